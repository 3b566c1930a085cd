"""The one ``crossrec`` command; each package contributes its subcommands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from crossrec.agent import cli as agent_cli
    from crossrec.evaluation import cli as evaluation_cli
    from crossrec.finetune import cli as finetune_cli
    from crossrec.retrieval import cli as retrieval_cli
    from crossrec.ui import app_cli

    parser = argparse.ArgumentParser(
        prog="crossrec", description="Cross-domain conversational recommendation."
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    retrieval_cli.register(subparsers)
    finetune_cli.register(subparsers)
    agent_cli.register(subparsers)
    evaluation_cli.register(subparsers)
    app_cli.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``crossrec`` command; errors print one readable line and return 2."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.argv = argv  # recorded in run reports so a result can be reproduced
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
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
