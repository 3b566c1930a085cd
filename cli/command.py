"""The ``crossrec`` entry point; each package contributes its subcommands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from crossrec.cli.options import apply_config_file, check_required

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """``crossrec`` with every package's commands; each accepts the shared runtime options."""
    from crossrec import agent, evaluation, finetune, retrieval, ui

    parser = argparse.ArgumentParser(
        prog="crossrec", description="Cross-domain conversational recommendation."
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for package in (retrieval, finetune, agent, evaluation, ui):
        package.register_commands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``crossrec`` command; errors print one readable line and return 2."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.argv = argv  # recorded in run reports so a result can be reproduced
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        command = subparsers.choices[args.command]
        apply_config_file(command, args)
        check_required(command, args)
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, LookupError, OSError) as exc:
        if args.verbose >= 2:
            raise
        print(f"crossrec {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
