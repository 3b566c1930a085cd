"""The crossrec finetune package."""

from crossrec.retrieval import lazy_exports

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
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
