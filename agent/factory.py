"""Assembling a :class:`Recommender` from local defaults (entry points call this)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from crossrec.agent.config import AgentConfig
from crossrec.agent.justify import JustificationWriter
from crossrec.agent.ranking import make_ranking
from crossrec.agent.recommender import Recommender
from crossrec.agent.state import SessionStore
from crossrec.finetune.prompting import PromptBuilder
from crossrec.finetune.rerank import VerbalizerReranker
from crossrec.retrieval.catalogs import open_dataset
from crossrec.retrieval.datasets import DATASETS
from crossrec.retrieval.embed import EmbedderConfig, load_embedder
from crossrec.retrieval.fusion import default_fusion
from crossrec.retrieval.paths import Paths
from crossrec.retrieval.pipeline import Retrieval, build_retrieval
from crossrec.retrieval.store import CatalogStore, NotIndexedError, StoreConfig, make_client

__all__ = ["Models", "build_recommender", "load_agent_models"]

log = logging.getLogger(__name__)


@dataclass
class Models:
    """The LLMs and embedder one process shares between catalogs."""

    writer_model: object
    tokenizer: object
    rerank_model: object
    embedder: object
    chat_model: object = field(default=None)
    rerank_mode: str = "label"  # the read-out the rerank model was trained for


def load_agent_models(
    config: AgentConfig,
    cache: Path,
    embedder_config: EmbedderConfig | None = None,
    embedder=None,
) -> Models:
    """Load the base LLM, the adapter-merged reranker, the chat wrapper and the embedder once.

    ``embedder`` reuses an already loaded embedder instead of loading ``embedder_config``'s.
    """
    from crossrec.agent.llm import load_models, local_chat_model

    writer_model, tokenizer, rerank_model, mode = load_models(
        config.model, config.adapter, cache, config.device
    )
    chat_model = (
        local_chat_model(writer_model, tokenizer, config.max_new_tokens) if config.justify else None
    )
    if embedder is None:
        embedder = load_embedder(embedder_config or EmbedderConfig(), cache_dir=cache)
    return Models(writer_model, tokenizer, rerank_model, embedder, chat_model, mode)


def build_recommender(
    catalog: str = "opendialkg",
    *,
    data_dir: str | Path | None = None,
    store: str | Path | None = None,
    cache_dir: str | Path | None = None,
    chroma_host: str | None = None,
    chroma_port: int = 8000,
    config: AgentConfig | None = None,
    models: Models | None = None,
    sessions: SessionStore | None = None,
    chat_model=None,
    retrieval: Retrieval | None = None,
) -> Recommender:
    """A ready recommender for ``catalog``; raises NotIndexedError with the command that fixes it.

    ``chat_model`` replaces the local justification writer with any LangChain chat model;
    ``retrieval`` reuses already fitted retrieval components (and their store).
    """
    config = config or AgentConfig(catalog=catalog)
    config.catalog = catalog
    paths = Paths.resolve(
        Path(data_dir) if data_dir else None,
        Path(store) if store else None,
        Path(cache_dir) if cache_dir else None,
    )
    if retrieval is None:
        retrieval = _retrieval(catalog, paths, models, chroma_host, chroma_port)
    dataset = retrieval.dataset
    if models is None:  # the store's embedder is loaded already: reuse it, not a second copy
        store_embedder = retrieval.store.embedder if retrieval.store is not None else None
        models = load_agent_models(config, paths.cache, embedder=store_embedder)
    reranker = None
    if config.rerank:
        builder = PromptBuilder(dataset.catalog, models.tokenizer)
        reranker = VerbalizerReranker(
            models.rerank_model, models.tokenizer, builder, mode=models.rerank_mode
        )
    writer_llm = chat_model or models.chat_model
    writer = (
        JustificationWriter(writer_llm, dataset.catalog, retrieval.graph) if writer_llm else None
    )
    sessions = sessions or SessionStore(config.sessions or paths.cache / "sessions.sqlite")
    ranking = make_ranking(config.ranking, dataset.name, paths.cache)
    return Recommender(retrieval, reranker, writer, sessions, config, ranking)


def _retrieval(
    catalog: str, paths: Paths, models: Models | None, chroma_host: str | None, chroma_port: int
) -> Retrieval:
    dataset = open_dataset(catalog, paths)
    embedder = models.embedder if models else load_embedder(EmbedderConfig(), cache_dir=paths.cache)
    client = make_client(
        StoreConfig(store=paths.store, chroma_host=chroma_host, chroma_port=chroma_port)
    )
    catalog_store = CatalogStore(client, embedder, dataset.name)
    if not catalog_store.exists():
        raise NotIndexedError(
            f"catalog {catalog!r} is not indexed in {chroma_host or paths.store}; run: crossrec index "
            + (
                f"--dataset {catalog}"
                if catalog in DATASETS
                else f"--catalog FILE.jsonl --name {catalog}"
            )
        )
    if catalog_store.count() != len(dataset.catalog):
        log.warning(
            "index of %s holds %d items but the catalog has %d; re-run crossrec index",
            catalog,
            catalog_store.count(),
            len(dataset.catalog),
        )
    return build_retrieval(dataset, catalog_store, default_fusion(dataset.name, paths.cache))
