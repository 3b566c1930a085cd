"""The one ``crossrec`` command: ``main(argv)`` parses, resolves the runtime, runs a command.

Each package contributes its commands (``register_commands``); the handlers live in that
package's ``cli.py`` and call library functions with typed configs and the runtime. The
option helpers here (options from config dataclasses, ``--config``, the runtime) are what
those handlers use.
"""

from crossrec.retrieval import lazy_exports

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "add_dataclass_arguments": ("options", "add_dataclass_arguments"),
    "apply_config_file": ("options", "apply_config_file"),
    "build_parser": ("command", "build_parser"),
    "check_required": ("options", "check_required"),
    "from_namespace": ("options", "from_namespace"),
    "main": ("command", "main"),
    "runtime_from": ("options", "runtime_from"),
    "runtime_parser": ("options", "runtime_parser"),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
