"""The one ``crossrec`` command: ``main(argv)`` parses, resolves the runtime, runs a command.

Each package contributes its commands (``register_commands``); the handlers live in that
package's ``cli.py`` and call library functions with typed configs and the runtime.
"""

from crossrec.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
