"""Catalogs, datasets, embeddings, the Chroma store and the candidate generators."""

from importlib import import_module

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "as_retriever": ("langchain", "as_retriever"),
    "build_retrieval": ("pipeline", "build_retrieval"),
    "candidate_query": ("pipeline", "candidate_query"),
    "CandidateQuery": ("candidates", "CandidateQuery"),
    "CandidateSource": ("candidates", "CandidateSource"),
    "Catalog": ("schema", "Catalog"),
    "collection_name": ("store", "collection_name"),
    "config_from_dict": ("config", "config_from_dict"),
    "config_to_dict": ("config", "config_to_dict"),
    "Dataset": ("schema", "Dataset"),
    "DATASETS": ("datasets", "DATASETS"),
    "Decision": ("pipeline", "Decision"),
    "decisions": ("pipeline", "decisions"),
    "default_fusion": ("fusion", "default_fusion"),
    "DEFAULT_STUDENT": ("student", "DEFAULT_STUDENT"),
    "detect_domain": ("intent", "detect_domain"),
    "dialog_query": ("pipeline", "dialog_query"),
    "DialogTurn": ("schema", "DialogTurn"),
    "domain_cues": ("intent", "domain_cues"),
    "Embedder": ("embed", "Embedder"),
    "EmbedderConfig": ("embed", "EmbedderConfig"),
    "EntityLinker": ("linking", "EntityLinker"),
    "EvidenceFinder": ("evidence", "EvidenceFinder"),
    "EvidenceLink": ("evidence", "EvidenceLink"),
    "Fact": ("graph", "Fact"),
    "feature_matrix": ("features", "feature_matrix"),
    "FEATURES": ("features", "FEATURES"),
    "History": ("schema", "History"),
    "KnowledgeGraph": ("graph", "KnowledgeGraph"),
    "list_catalogs": ("catalogs", "list_catalogs"),
    "load_config_file": ("config", "load_config_file"),
    "load_dialogs_jsonl": ("datasets", "load_dialogs_jsonl"),
    "load_embedder": ("embed", "load_embedder"),
    "Mention": ("linking", "Mention"),
    "normalize_title": ("schema", "normalize_title"),
    "NotIndexedError": ("store", "NotIndexedError"),
    "other_domains": ("intent", "other_domains"),
    "Paths": ("paths", "Paths"),
    "register_catalog": ("catalogs", "register_catalog"),
    "register_commands": ("cli", "register"),
    "requested_unknown_domain": ("intent", "requested_unknown_domain"),
    "resolve_model": ("embed", "resolve_model"),
    "Retrieval": ("pipeline", "Retrieval"),
    "Runtime": ("runtime", "Runtime"),
    "RuntimeConfig": ("runtime", "RuntimeConfig"),
    "save_config": ("config", "save_config"),
    "save_fusion": ("fusion", "save_fusion"),
    "save_student": ("student", "save_student"),
    "Signals": ("features", "Signals"),
    "signals": ("features", "signals"),
    "stopwords": ("lexical", "stopwords"),
    "StoreConfig": ("store", "StoreConfig"),
    "StoreUnavailableError": ("store", "StoreUnavailableError"),
    "training_sequences": ("pipeline", "training_sequences"),
    "tuned_fusion_path": ("fusion", "tuned_fusion_path"),
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
