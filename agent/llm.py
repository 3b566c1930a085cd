"""The local models behind the agent: the base LLM for writing, a merged copy for reranking."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

__all__ = ["load_models", "local_chat_model"]

log = logging.getLogger(__name__)


def local_chat_model(model, tokenizer, max_new_tokens: int = 48):
    """A LangChain chat model over a local Hugging Face causal LM (greedy, offline)."""
    from langchain_huggingface import ChatHuggingFace, HuggingFacePipeline
    from transformers import pipeline

    generate = pipeline(
        "text-generation",
        model=model,
        tokenizer=tokenizer,
        max_new_tokens=max_new_tokens,
        do_sample=False,
        repetition_penalty=1.1,
        return_full_text=False,
    )
    name = getattr(model, "name_or_path", None) or getattr(model.config, "_name_or_path", "local")
    return ChatHuggingFace(
        llm=HuggingFacePipeline(pipeline=generate, model_id=str(name)), tokenizer=tokenizer
    )


def load_models(model_name: str, adapter: str | None, cache_dir: Path, device: str = "auto"):
    """(writer model, tokenizer, rerank model, rerank mode): the base model, and a copy with the
    adapter merged; the mode is the read-out the adapter was trained for ("label" zero-shot).

    ``adapter`` None means the adapter shipped with crossrec; ``"none"`` reranks zero-shot.
    """
    from crossrec.finetune import (
        DEFAULT_MODEL,
        ModelConfig,
        adapter_mode,
        load_adapter,
        load_base_model,
        merge_adapter,
        shipped_adapter_path,
    )

    model, tokenizer = load_base_model(ModelConfig(name=model_name, device=device), cache_dir)
    if adapter is None and model_name != DEFAULT_MODEL:
        log.warning(
            "the shipped adapter is for %s; reranking zero-shot with %s", DEFAULT_MODEL, model_name
        )
        adapter = "none"
    if adapter == "none":
        return model, tokenizer, model, "label"
    path = Path(adapter) if adapter else shipped_adapter_path()
    rerank_model = merge_adapter(load_adapter(copy.deepcopy(model), path))
    rerank_model.eval()
    log.info("reranking with adapter %s", path)
    return model, tokenizer, rerank_model, adapter_mode(path)
