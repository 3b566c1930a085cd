"""The one ``crossrec`` command: ``main(argv)`` parses, resolves the runtime, runs a command.

Each package contributes its commands (``register_commands``); the handlers live in that
package's ``cli.py`` and call library functions with typed configs and the runtime. The
option helpers here (options from config dataclasses, ``--config``, the runtime) are what
those handlers use.
"""

from importlib import import_module

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
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    value = getattr(import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
