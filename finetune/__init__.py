"""The crossrec finetune package."""

from importlib import import_module

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "Trainer": ("train", "Trainer"),
    "TrainResult": ("train", "TrainResult"),
    "TrainConfig": ("train", "TrainConfig"),
    "READOUTS": ("rerank", "READOUTS"),
    "LineReranker": ("rerank", "LineReranker"),
    "LabelReranker": ("rerank", "LabelReranker"),
    "LOSSES": ("losses", "LOSSES"),
    "adapter_mode": ("adapter", "adapter_mode"),
    "cut_to_tokens": ("prompting", "cut_to_tokens"),
    "DEFAULT_MODEL": ("model", "DEFAULT_MODEL"),
    "fuse_scores": ("rerank", "fuse_scores"),
    "git_commit": ("adapter", "git_commit"),
    "load_adapter": ("adapter", "load_adapter"),
    "load_base_model": ("model", "load_base_model"),
    "load_ranker": ("ltr", "load_ranker"),
    "merge_adapter": ("adapter", "merge_adapter"),
    "ModelConfig": ("model", "ModelConfig"),
    "PromptBuilder": ("prompting", "PromptBuilder"),
    "register_commands": ("cli", "register"),
    "RerankInput": ("prompting", "RerankInput"),
    "shipped_adapter_path": ("adapter", "shipped_adapter_path"),
    "Reranker": ("rerank", "Reranker"),
    "build_rerank_input": ("prompting", "build_rerank_input"),
    "VerbalizerReranker": ("rerank", "VerbalizerReranker"),
    "make_reranker": ("rerank", "make_reranker"),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    value = getattr(import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
