"""``crossrec eval``."""

from __future__ import annotations

import argparse
import json

from crossrec.cli import (
    add_dataclass_arguments,
    from_namespace,
    runtime_from,
    runtime_parser,
)

__all__ = ["register"]


def _eval(args: argparse.Namespace) -> int:
    from crossrec.evaluation.harness import EvalConfig
    from crossrec.evaluation.run import evaluate

    config = from_namespace(EvalConfig, args)
    report = evaluate(config, runtime_from(args))
    if config.protocol == "requests":
        for name, kinds in report["systems"].items():
            for kind, m in kinds.items():
                figures = {k: v for k, v in m.items() if k != "examples"}
                print(f"{name:9s} {kind:7s} {json.dumps(figures)}")
        print(f"wrote {config.out}/requests.json")
        return 0
    summary = {
        name: {
            k: round(m[k], 4)
            for k in ("recall@1", "recall@10", "recall@50", "ndcg@10", "valid_rate")
            if k in m
        }
        for name, m in report["systems"].items()
    }
    print(json.dumps(summary, indent=2))
    print(f"wrote {config.out}/metrics.json, report.md and plots")
    return 0


def _tables(args: argparse.Namespace) -> int:
    from pathlib import Path

    from crossrec.evaluation.tables import StaleTable, render_tables

    for name in args.files:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        try:
            new = render_tables(text, path.resolve().parent, check=args.check)
        except (StaleTable, KeyError, ValueError, OSError) as exc:
            print(f"{path}: {exc}")
            return 1
        if not args.check and new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote the tables of {path}")
        else:
            print(f"{path}: every table matches its reports")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``crossrec eval`` and ``crossrec tables`` to the ``crossrec`` parser."""
    from crossrec.evaluation.harness import EvalConfig

    parser = subparsers.add_parser(
        "eval", parents=[runtime_parser()], help="evaluate crossrec and baselines on held-out data"
    )
    add_dataclass_arguments(parser.add_argument_group("evaluation"), EvalConfig)
    parser.set_defaults(func=_eval)
    tables = subparsers.add_parser(
        "tables",
        parents=[runtime_parser()],
        help="fill the results tables of Markdown files from their eval reports",
    )
    tables.add_argument("files", nargs="+", help="Markdown files with crossrec:table blocks")
    tables.add_argument(
        "--check", action="store_true", help="write nothing; fail where a table is stale"
    )
    tables.set_defaults(func=_tables)
