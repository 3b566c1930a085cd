"""``crossrec ui``: serve the chat app in the browser."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import time
from collections.abc import Callable, Sequence

__all__ = ["indexed_catalogs", "register"]

log = logging.getLogger(__name__)

AUTH_ENV = "CROSSREC_UI_AUTH"


def _catalog_list(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of catalogs, got {text!r}"
        )
    return names


def _store_client(args: argparse.Namespace):
    from crossrec.retrieval.cli import paths_from_args
    from crossrec.retrieval.config import from_namespace
    from crossrec.retrieval.store import StoreConfig, make_client

    store_config = from_namespace(StoreConfig, args)
    if store_config.store is None:
        store_config.store = paths_from_args(args).store
    return make_client(store_config)


def indexed_catalogs(client, candidates: Sequence[str]) -> list[str]:
    """The names among ``candidates`` that have a collection in the Chroma ``client``."""
    from crossrec.retrieval.store import collection_name

    present = {getattr(c, "name", c) for c in client.list_collections()}
    return [name for name in candidates if collection_name(name) in present]


def _catalogs(args: argparse.Namespace, default: str) -> list[str]:
    """The catalogs to offer, default first: ``--catalogs``, else every indexed one."""
    from crossrec.retrieval.catalogs import list_catalogs
    from crossrec.retrieval.cli import paths_from_args
    from crossrec.retrieval.datasets import DATASETS
    from crossrec.retrieval.store import NotIndexedError

    if args.catalogs:
        wanted, required = args.catalogs, args.catalogs
    else:
        wanted, required = [default, *DATASETS, *list_catalogs(paths_from_args(args))], [default]
    indexed = indexed_catalogs(_store_client(args), list(dict.fromkeys(wanted)))
    missing = [name for name in required if name not in indexed]
    if missing:
        raise NotIndexedError(
            f"catalog(s) not indexed: {', '.join(missing)}; run: crossrec index "
            "--dataset NAME (or --catalog FILE.jsonl --name NAME) first"
        )
    first = default if default in indexed else indexed[0]
    return [first, *(name for name in indexed if name != first)]


def _loader(args: argparse.Namespace, config) -> Callable[[str], object]:
    """Builds a catalog's recommender on first use; the models are loaded once and shared."""
    import threading

    from crossrec.agent.factory import build_recommender, load_agent_models
    from crossrec.retrieval.cli import paths_from_args
    from crossrec.retrieval.config import from_namespace
    from crossrec.retrieval.embed import EmbedderConfig
    from crossrec.retrieval.store import StoreConfig

    paths = paths_from_args(args)
    store = from_namespace(StoreConfig, args)  # fills the defaults argparse leaves as None
    shared: dict[str, object] = {}
    lock = threading.Lock()

    def load(name: str):
        with lock:
            if "models" not in shared:
                log.info("loading the agent models (%s)", config.model)
                shared["models"] = load_agent_models(
                    config, paths.cache, from_namespace(EmbedderConfig, args, prefix="embed-")
                )
        log.info("opening catalog %s", name)
        rec = build_recommender(
            name,
            data_dir=args.data_dir,
            store=args.store,
            cache_dir=args.cache_dir,
            chroma_host=store.chroma_host,
            chroma_port=store.chroma_port,
            config=dataclasses.replace(config, catalog=name),
            models=shared["models"],
        )
        log.info("warmed up %s in %.1f s", name, rec.warm_up())
        return rec

    return load


def _ui(args: argparse.Namespace) -> int:
    from crossrec.agent.config import AgentConfig
    from crossrec.retrieval.config import from_namespace
    from crossrec.ui.config import UIConfig

    try:
        from crossrec.ui.app import build_app, launch_app
    except ImportError as exc:
        raise OSError(
            f"the chat app needs Gradio ({exc}); install it with: pip install 'crossrec[ui]'"
        ) from exc

    if args.auth is None and os.environ.get(AUTH_ENV):
        args.auth = os.environ[AUTH_ENV]
    ui_config = from_namespace(UIConfig, args)
    agent_config = from_namespace(AgentConfig, args)
    catalogs = _catalogs(args, agent_config.catalog)
    load = _loader(args, agent_config)
    # the default catalog is loaded and warmed before serving: the first reply is not slower
    print(f"crossrec ui: loading {catalogs[0]} (models, index, ranker) ...", flush=True)
    started = time.perf_counter()
    ready = {catalogs[0]: load(catalogs[0])}
    print(f"crossrec ui: {catalogs[0]} ready in {time.perf_counter() - started:.0f} s", flush=True)
    demo = build_app(
        lambda name: ready.get(name) or load(name),
        catalogs[0],
        catalogs=catalogs[1:],
        config=ui_config,
    )
    print(
        f"crossrec ui: serving {', '.join(catalogs)} on http://{ui_config.host}:{ui_config.port}"
        + (" (login required)" if ui_config.auth else ""),
        flush=True,
    )
    launch_app(demo, ui_config, block=True)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``crossrec ui``."""
    from crossrec.agent.config import AgentConfig
    from crossrec.retrieval.cli import common_parser
    from crossrec.retrieval.config import add_dataclass_arguments
    from crossrec.ui.config import UIConfig

    ui = subparsers.add_parser(
        "ui",
        parents=[common_parser()],
        help="serve the chat app in the browser",
        description="Serve the chat app. It binds 127.0.0.1 unless --host says "
        "otherwise and never opens a public share link.",
    )
    add_dataclass_arguments(ui.add_argument_group("server"), UIConfig)
    ui.add_argument(
        "--catalogs",
        type=_catalog_list,
        metavar="A,B",
        help="catalogs to offer (default: --catalog plus every other indexed one)",
    )
    add_dataclass_arguments(ui.add_argument_group("agent"), AgentConfig)
    ui.set_defaults(func=_ui)
