"""``crossrec data``, ``crossrec index`` and ``crossrec search``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crossrec.retrieval.config import add_dataclass_arguments, from_namespace
from crossrec.retrieval.embed import EmbedderConfig, load_embedder
from crossrec.retrieval.paths import Paths
from crossrec.retrieval.store import CatalogStore, StoreConfig, make_client

__all__ = ["common_parser", "open_retrieval", "open_store", "paths_from_args", "register"]


def common_parser() -> argparse.ArgumentParser:
    """Options every command shares: folders, the Chroma location, the embedder."""
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("locations")
    group.add_argument("--data-dir", type=Path, help="data directory (env CROSSREC_DATA_DIR)")
    group.add_argument("--cache-dir", type=Path, help="cache folder (env CROSSREC_CACHE)")
    add_dataclass_arguments(group, StoreConfig)
    add_dataclass_arguments(parser.add_argument_group("embedder"), EmbedderConfig, prefix="embed-")
    return parser


def paths_from_args(args: argparse.Namespace) -> Paths:
    return Paths.resolve(args.data_dir, args.store, args.cache_dir)


def open_store(args: argparse.Namespace, catalog: str) -> CatalogStore:
    """The catalog's store as the command line describes it."""
    paths = paths_from_args(args)
    store_config = from_namespace(StoreConfig, args)
    if store_config.store is None:
        store_config.store = paths.store
    embedder = load_embedder(
        from_namespace(EmbedderConfig, args, prefix="embed-"), cache_dir=paths.cache
    )
    return CatalogStore(make_client(store_config), embedder, catalog)


def _data(args: argparse.Namespace) -> int:
    from crossrec.retrieval.datasets import EXPECTED_COUNTS, dataset_counts, load_dataset
    from crossrec.retrieval.datasets.download import MANIFEST, SOURCES, check_data_dir, download

    paths = paths_from_args(args)
    data_dir = paths.data_dir
    wanted = tuple(args.dataset or SOURCES)
    if args.action == "download":
        download(data_dir, wanted, mirror=args.mirror)
        return 0
    manifest = tuple(f for f in MANIFEST if f.dataset in wanted)
    problems = check_data_dir(data_dir, manifest, verify_checksums=args.verify_checksums)
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
    from crossrec.retrieval.catalogs import open_dataset, register_catalog

    paths = paths_from_args(args)
    if args.catalog:
        if not args.name:
            raise ValueError("--catalog needs --name NAME for the collection")
        dataset = register_catalog(args.catalog, args.name, paths, args.skip_invalid)
    else:
        dataset = open_dataset(args.dataset, paths, args.skip_invalid)
    for row in dataset.skipped:
        print(f"skipped {row}", file=sys.stderr)
    store = open_store(args, dataset.name)
    summary = store.index(dataset.catalog, progress=not args.json, skipped=len(dataset.skipped))
    if args.json:
        print(json.dumps(summary.to_dict()))
    else:
        s = summary
        print(
            f"{s.catalog}: {s.items} items in the collection; added {s.added}, updated {s.updated}, "
            f"deleted {s.deleted}, skipped {s.skipped}; {s.seconds:.1f} s, "
            f"{s.items_per_second:.1f} items/s embedded"
        )
    return 0


def _search(args: argparse.Namespace) -> int:
    store = open_store(args, args.catalog)
    known = store.domains()
    if args.domain and known and args.domain not in known:
        raise ValueError(
            f"unknown domain {args.domain!r} for catalog {args.catalog!r}; available: {', '.join(known)}"
        )
    hits = store.search(args.text, k=args.k, domain=args.domain)
    if args.json:
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
    from crossrec.retrieval.fusion import save_fusion, tune_fusion, tuned_fusion_path
    from crossrec.retrieval.linking import EntityLinker
    from crossrec.retrieval.pipeline import candidate_query, decisions

    retrieval = open_retrieval(args, args.dataset)
    linker = EntityLinker(retrieval.dataset.catalog, retrieval.graph)
    rows = decisions(retrieval.dataset, args.split, linker)
    tuned, report = tune_fusion(
        retrieval.generator,
        [candidate_query(d) for d in rows],
        [d.targets for d in rows],
        k=args.k,
        progress=print,
    )
    out = args.out or tuned_fusion_path(args.dataset, paths_from_args(args).cache)
    save_fusion(tuned, out, note=f"tuned on {args.dataset}/{args.split}: {json.dumps(report)}")
    print(json.dumps({"fusion": tuned.weights, "rrf_k": tuned.rrf_k, **report}))
    print(f"wrote {out}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the retrieval commands to the ``crossrec`` parser."""
    common = common_parser()
    data = subparsers.add_parser("data", parents=[common], help="check or download the datasets")
    data.add_argument("action", choices=["check", "download"])
    data.add_argument("--dataset", action="append", help="limit to this dataset (repeatable)")
    data.add_argument("--mirror", help="fetch from {MIRROR}/{dataset}/{file} instead of GitHub")
    data.add_argument("--verify-checksums", action="store_true", help="check: also compare SHA-256")
    data.set_defaults(func=_data)

    index = subparsers.add_parser("index", parents=[common], help="embed a catalog into Chroma")
    source = index.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", choices=["opendialkg", "amazon_arts_office"])
    source.add_argument("--catalog", type=Path, help="a JSONL catalog you bring (needs --name)")
    index.add_argument("--name", help="collection name for --catalog")
    index.add_argument("--skip-invalid", action="store_true", help="skip and report malformed rows")
    index.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    index.set_defaults(func=_index)

    search = subparsers.add_parser("search", parents=[common], help="query a catalog's index")
    search.add_argument("text")
    search.add_argument("--catalog", required=True)
    search.add_argument("--domain")
    search.add_argument("--k", type=int, default=10)
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_search)

    tune = subparsers.add_parser(
        "tune-fusion", parents=[common], help="tune candidate-fusion weights on a validation split"
    )
    tune.add_argument("--dataset", required=True, choices=["opendialkg", "amazon_arts_office"])
    tune.add_argument(
        "--split", default="valid", choices=["valid"], help="only validation data tunes"
    )
    tune.add_argument("--k", type=int, default=20, help="maximise recall at this cut-off")
    tune.add_argument(
        "--out", type=Path, help="where to write the weights (default: the package's)"
    )
    tune.set_defaults(func=_tune_fusion)


def open_retrieval(args: argparse.Namespace, catalog: str, index_if_missing: bool = False):
    """Dataset + store + fitted candidate generator for ``catalog``, as the command line says."""
    from crossrec.retrieval.catalogs import open_dataset
    from crossrec.retrieval.fusion import default_fusion
    from crossrec.retrieval.pipeline import build_retrieval

    dataset = open_dataset(catalog, paths_from_args(args))
    store = open_store(args, dataset.name)
    if index_if_missing and not store.up_to_date(len(dataset.catalog)):
        summary = store.index(dataset.catalog)
        print(
            f"indexed {summary.catalog}: {summary.items} items ({summary.added} added)",
            file=sys.stderr,
        )
    return build_retrieval(
        dataset, store, default_fusion(dataset.name, paths_from_args(args).cache)
    )
