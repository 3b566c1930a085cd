"""``crossrec ui``: serve the chat app in the browser."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import time
from collections.abc import Callable, Sequence

from crossrec.cli import (
    add_dataclass_arguments,
    from_namespace,
    runtime_from,
    runtime_parser,
)

__all__ = ["indexed_catalogs", "register"]

log = logging.getLogger(__name__)

AUTH_ENV = "CROSSREC_UI_AUTH"


def indexed_catalogs(client, candidates: Sequence[str]) -> list[str]:
    """The names among ``candidates`` that have a collection in the Chroma ``client``."""
    from crossrec.retrieval import collection_name

    present = {getattr(c, "name", c) for c in client.list_collections()}
    return [name for name in candidates if collection_name(name) in present]


def _catalogs(runtime, wanted: Sequence[str], default: str) -> list[str]:
    """The catalogs to offer, default first: ``wanted``, else every indexed one."""
    from crossrec.retrieval import DATASETS, NotIndexedError, list_catalogs

    if wanted:
        required = list(wanted)
    else:
        wanted, required = [default, *DATASETS, *list_catalogs(runtime.paths)], [default]
    indexed = indexed_catalogs(runtime.client, list(dict.fromkeys(wanted)))
    missing = [name for name in required if name not in indexed]
    if missing:
        raise NotIndexedError(
            f"catalog(s) not indexed: {', '.join(missing)}; run: crossrec index "
            "--dataset NAME (or --catalog FILE.jsonl --name NAME) first"
        )
    first = default if default in indexed else indexed[0]
    return [first, *(name for name in indexed if name != first)]


def _loader(runtime, config) -> Callable[[str], object]:
    """Builds a catalog's recommender on first use; the models are loaded once and shared."""
    import threading

    from crossrec.agent import build_recommender, load_agent_models

    shared: dict[str, object] = {}
    lock = threading.Lock()

    def load(name: str):
        with lock:
            if "models" not in shared:
                log.info("loading the agent models (%s)", config.model)
                shared["models"] = load_agent_models(config, runtime)
        log.info("opening catalog %s", name)
        rec = build_recommender(
            name,
            config=dataclasses.replace(config, catalog=name),
            models=shared["models"],
            runtime=runtime,
        )
        log.info("warmed up %s in %.1f s", name, rec.warm_up())
        return rec

    return load


def _ui(args: argparse.Namespace) -> int:
    from crossrec.agent import AgentConfig
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
    runtime = runtime_from(args)
    catalogs = _catalogs(runtime, ui_config.catalogs, agent_config.catalog)
    load = _loader(runtime, agent_config)
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
    from crossrec.agent import AgentConfig
    from crossrec.ui.config import UIConfig

    ui = subparsers.add_parser(
        "ui",
        parents=[runtime_parser()],
        help="serve the chat app in the browser",
        description="Serve the chat app. It binds 127.0.0.1 unless --host says "
        "otherwise and never opens a public share link.",
    )
    add_dataclass_arguments(ui.add_argument_group("server"), UIConfig)
    add_dataclass_arguments(ui.add_argument_group("agent"), AgentConfig)
    ui.set_defaults(func=_ui)
