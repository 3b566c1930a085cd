"""Assembling a :class:`Recommender` from local defaults (entry points call this)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crossrec.agent.config import AgentConfig
from crossrec.agent.justify import JustificationWriter
from crossrec.agent.ranking import make_ranking
from crossrec.agent.recommender import Recommender
from crossrec.agent.state import SessionStore
from crossrec.finetune import PromptBuilder, make_reranker
from crossrec.retrieval import Retrieval, Runtime, RuntimeConfig, StoreConfig

if TYPE_CHECKING:
    from crossrec.retrieval import Embedder
    from langchain_core.language_models import BaseChatModel
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

__all__ = ["Models", "build_recommender", "load_agent_models"]


@dataclass
class Models:
    """The LLMs and embedder one process shares between catalogs."""

    writer_model: PreTrainedModel  # the base model (the chat model may carry a writer adapter)
    tokenizer: PreTrainedTokenizerBase
    rerank_model: PreTrainedModel  # the adapter merged in, or the writer itself
    embedder: Embedder
    chat_model: BaseChatModel | None = field(default=None)
    rerank_mode: str = "label"  # the read-out the rerank model was trained for
    writer_trained: bool = False  # the chat model carries the writer adapter (its own prompt)


def load_agent_models(config: AgentConfig, runtime: Runtime | None = None) -> Models:
    """Load the base LLM, the adapter-merged reranker and the chat wrapper once; the embedder
    is the runtime's (one copy per process)."""
    from crossrec.agent.llm import load_models, load_writer, local_chat_model, writer_dtype

    runtime = runtime or Runtime.resolve()
    device = runtime.device if config.device == "auto" else config.device
    writer_model, tokenizer, rerank_model, mode = load_models(
        config.model, config.adapter, runtime.cache, device
    )
    chat_model, trained = None, False
    if config.justify:
        writer, trained = load_writer(writer_model, config.model, config.writer_adapter)
        dtype = writer_dtype(config.writer_dtype, writer.device)
        if writer.dtype != dtype:  # the base and rerank models stay as they are
            writer = (copy.deepcopy(writer) if writer is writer_model else writer).to(dtype)
        chat_model = local_chat_model(writer, tokenizer, config.max_new_tokens)
    return Models(
        writer_model, tokenizer, rerank_model, runtime.embedder, chat_model, mode, trained
    )


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
    runtime: Runtime | None = None,
) -> Recommender:
    """A ready recommender for ``catalog``; raises NotIndexedError with the command that fixes it.

    ``runtime`` (paths, Chroma client, embedder) replaces the folder and server arguments;
    ``chat_model`` replaces the local justification writer with any LangChain chat model;
    ``retrieval`` reuses already fitted retrieval components (and their store).
    """
    config = config or AgentConfig(catalog=catalog)
    config.catalog = catalog
    if runtime is None:
        runtime = Runtime.resolve(
            RuntimeConfig(
                data_dir=Path(data_dir) if data_dir else None,
                cache_dir=Path(cache_dir) if cache_dir else None,
            ),
            StoreConfig(
                store=Path(store) if store else None,
                chroma_host=chroma_host,
                chroma_port=chroma_port,
            ),
            # one embedder per process: the models' or the given store's, else loaded once
            embedder=models.embedder
            if models
            else (retrieval.store.embedder if retrieval and retrieval.store else None),
        )
    if retrieval is None:
        retrieval = runtime.retrieval(catalog)
    dataset = retrieval.dataset
    if models is None:
        models = load_agent_models(config, runtime)
    reranker = None
    if config.rerank:
        builder = PromptBuilder(dataset.catalog, models.tokenizer)
        reranker = make_reranker(models.rerank_mode, models.rerank_model, models.tokenizer, builder)
    writer = None
    if chat_model or models.chat_model:  # a given chat model is prompted few-shot
        trained = chat_model is None and models.writer_trained
        writer = JustificationWriter(
            chat_model or models.chat_model, dataset.catalog, retrieval.graph,
            trained=trained, samples=config.writer_samples, race=config.race_first_reason,
            detail=config.second_sentence,
        )  # fmt: skip
    sessions = sessions or SessionStore(config.sessions or runtime.cache / "sessions.sqlite")
    ranking = make_ranking(config.ranking, dataset.name, runtime.cache)
    return Recommender(retrieval, reranker, writer, sessions, config, ranking)
