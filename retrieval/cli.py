"""``crossrec data``, ``crossrec index``, ``crossrec search`` and ``crossrec tune-fusion``."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from crossrec.cli import (
    add_dataclass_arguments,
    from_namespace,
    runtime_from,
    runtime_parser,
)

__all__ = ["register"]

DATASET_NAMES = ("opendialkg", "amazon_arts_office")


@dataclass
class DataOptions:
    action: str = field(
        default="check",
        metadata={
            "positional": True,
            "choices": ("check", "download"),
            "help": "check or download",
        },
    )
    dataset: tuple[str, ...] = field(
        default=(), metadata={"repeat": True, "help": "limit to this dataset (repeatable)"}
    )
    mirror: str | None = field(
        default=None, metadata={"help": "fetch from {MIRROR}/{dataset}/{file} instead of GitHub"}
    )
    verify_checksums: bool = field(default=False, metadata={"help": "check: also compare SHA-256"})


@dataclass
class IndexOptions:
    dataset: str | None = field(
        default=None, metadata={"choices": DATASET_NAMES, "help": "a shipped dataset"}
    )
    catalog: Path | None = field(
        default=None, metadata={"help": "a JSONL catalog you bring (needs --name)"}
    )
    name: str | None = field(default=None, metadata={"help": "collection name for --catalog"})
    train_dialogs: Path | None = field(
        default=None, metadata={"help": "your own training dialogs JSONL for --catalog"}
    )
    train_histories: Path | None = field(
        default=None, metadata={"help": "your own users' histories JSONL for --catalog"}
    )
    skip_invalid: bool = field(default=False, metadata={"help": "skip and report malformed rows"})
    json: bool = field(default=False, metadata={"help": "print the summary as one JSON object"})


@dataclass
class SearchOptions:
    text: str = field(default="", metadata={"positional": True, "help": "what to search for"})
    catalog: str = field(default="", metadata={"required": True, "help": "catalog name"})
    domain: str | None = field(default=None, metadata={"help": "only this domain"})
    k: int = field(default=10, metadata={"help": "hits to show"})
    json: bool = field(default=False, metadata={"help": "print the hits as JSON"})


@dataclass
class TuneFusionOptions:
    dataset: str = field(
        default="", metadata={"required": True, "choices": DATASET_NAMES, "help": "dataset"}
    )
    split: str = field(
        default="valid", metadata={"choices": ("valid",), "help": "only validation data tunes"}
    )
    k: int = field(default=20, metadata={"help": "maximise recall at this cut-off"})
    out: Path | None = field(
        default=None,
        metadata={"help": "where to write the weights (default: <cache>/fusion/NAME.yaml)"},
    )


def _data(args: argparse.Namespace) -> int:
    from crossrec.retrieval.datasets import EXPECTED_COUNTS, dataset_counts, load_dataset
    from crossrec.retrieval.datasets.download import MANIFEST, SOURCES, check_data_dir, download

    options = from_namespace(DataOptions, args)
    data_dir = runtime_from(args).paths.data_dir
    wanted = tuple(options.dataset or SOURCES)
    if options.action == "download":
        download(data_dir, wanted, mirror=options.mirror)
        return 0
    manifest = tuple(f for f in MANIFEST if f.dataset in wanted)
    problems = check_data_dir(data_dir, manifest, verify_checksums=options.verify_checksums)
    for name in wanted:
        try:
            counts = dataset_counts(load_dataset(name, data_dir))
        except (OSError, ValueError) as exc:
            problems.append(f"{name}: cannot load: {exc}")
            continue
        status = "ok" if counts == EXPECTED_COUNTS[name] else f"expected {EXPECTED_COUNTS[name]}"
        print(f"{name}: {counts} {status}")
        if counts != EXPECTED_COUNTS[name]:
            problems.append(
                f"{name}: counts {counts} differ from the published {EXPECTED_COUNTS[name]}"
            )
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print(f"{data_dir}: {'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def _index(args: argparse.Namespace) -> int:
    from crossrec.retrieval.datasets.catalogs import register_catalog

    options = from_namespace(IndexOptions, args)
    runtime = runtime_from(args)
    if bool(options.catalog) == bool(options.dataset):
        raise ValueError("index needs one of --dataset NAME or --catalog FILE.jsonl --name NAME")
    if options.catalog:
        if not options.name:
            raise ValueError("--catalog needs --name NAME for the collection")
        dataset = register_catalog(
            options.catalog,
            options.name,
            runtime.paths,
            options.skip_invalid,
            train_dialogs=options.train_dialogs,
            train_histories=options.train_histories,
        )
    else:
        if options.train_dialogs or options.train_histories:
            raise ValueError("--train-dialogs and --train-histories go with --catalog")
        dataset = runtime.dataset(options.dataset, options.skip_invalid)
    for row in dataset.skipped:
        print(f"skipped {row}", file=sys.stderr)
    store = runtime.store(dataset.name)
    summary = store.index(dataset.catalog, progress=not options.json, skipped=len(dataset.skipped))
    if options.json:
        print(json.dumps(summary.to_dict()))
    else:
        s = summary
        print(
            f"{s.catalog}: {s.items} items in the collection; added {s.added}, updated {s.updated}, "
            f"deleted {s.deleted}, skipped {s.skipped}; {s.seconds:.1f} s, "
            f"{s.items_per_second:.1f} items/s embedded"
        )
        turns, histories = dataset.turns.get("train", []), dataset.histories.get("train", [])
        if options.catalog and (turns or histories):
            print(
                f"training data kept with it: {len(turns)} dialog turns, {len(histories)} histories"
            )
    return 0


def _search(args: argparse.Namespace) -> int:
    options = from_namespace(SearchOptions, args)
    store = runtime_from(args).store(options.catalog)
    known = store.domains()
    if options.domain and known and options.domain not in known:
        raise ValueError(
            f"unknown domain {options.domain!r} for catalog {options.catalog!r}; "
            f"available: {', '.join(known)}"
        )
    hits = store.search(options.text, k=options.k, domain=options.domain)
    if options.json:
        print(
            json.dumps(
                [
                    {
                        "id": h.item_id,
                        "title": h.title,
                        "domain": h.domain,
                        "score": round(h.score, 4),
                    }
                    for h in hits
                ]
            )
        )
    else:
        for rank, h in enumerate(hits, 1):
            print(f"{rank:3d}. [{h.domain}] {h.title}  ({h.score:.3f})  id={h.item_id}")
    return 0


def _tune_fusion(args: argparse.Namespace) -> int:
    from crossrec.retrieval.linking import EntityLinker
    from crossrec.retrieval.pipeline import candidate_query, decisions
    from crossrec.retrieval.sources.fusion import save_fusion, tune_fusion, tuned_fusion_path

    options = from_namespace(TuneFusionOptions, args)
    runtime = runtime_from(args)
    retrieval = runtime.retrieval(options.dataset, index_if_missing=True)
    linker = EntityLinker(retrieval.dataset.catalog, retrieval.graph)
    rows = decisions(retrieval.dataset, options.split, linker)
    tuned, report = tune_fusion(
        retrieval.generator,
        [candidate_query(d) for d in rows],
        [d.targets for d in rows],
        k=options.k,
        progress=print,
    )
    out = options.out or tuned_fusion_path(options.dataset, runtime.cache)
    note = f"tuned on {options.dataset}/{options.split}: {json.dumps(report)}"
    save_fusion(tuned, out, note=note)
    print(json.dumps({"fusion": tuned.weights, "rrf_k": tuned.rrf_k, **report}))
    print(f"wrote {out}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the retrieval commands to the ``crossrec`` parser."""
    common = runtime_parser()
    for name, options, handler, text in (
        ("data", DataOptions, _data, "check or download the datasets"),
        ("index", IndexOptions, _index, "embed a catalog into Chroma"),
        ("search", SearchOptions, _search, "query a catalog's index"),
        ("tune-fusion", TuneFusionOptions, _tune_fusion, "tune candidate-fusion weights"),
    ):
        parser = subparsers.add_parser(name, parents=[common], help=text)
        add_dataclass_arguments(parser.add_argument_group(name), options)
        parser.set_defaults(func=handler)
