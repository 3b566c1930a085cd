"""Catalogs, datasets, embeddings, the Chroma store and the candidate generators."""

from importlib import import_module

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "as_retriever": ("langchain", "as_retriever"),
    "build_retrieval": ("pipeline", "build_retrieval"),
    "candidate_query": ("pipeline", "candidate_query"),
    "CandidateQuery": ("sources.candidates", "CandidateQuery"),
    "CandidateSource": ("sources.candidates", "CandidateSource"),
    "Catalog": ("datasets.schema", "Catalog"),
    "collection_name": ("index.store", "collection_name"),
    "config_from_dict": ("config", "config_from_dict"),
    "config_to_dict": ("config", "config_to_dict"),
    "Dataset": ("datasets.schema", "Dataset"),
    "DATASETS": ("datasets", "DATASETS"),
    "Decision": ("pipeline", "Decision"),
    "decisions": ("pipeline", "decisions"),
    "default_fusion": ("sources.fusion", "default_fusion"),
    "DEFAULT_STUDENT": ("index.student", "DEFAULT_STUDENT"),
    "detect_domain": ("intent", "detect_domain"),
    "dialog_query": ("pipeline", "dialog_query"),
    "DialogTurn": ("datasets.schema", "DialogTurn"),
    "domain_cues": ("intent", "domain_cues"),
    "Embedder": ("index.embed", "Embedder"),
    "EmbedderConfig": ("index.embed", "EmbedderConfig"),
    "EntityLinker": ("linking", "EntityLinker"),
    "EvidenceFinder": ("evidence", "EvidenceFinder"),
    "EvidenceLink": ("evidence", "EvidenceLink"),
    "Fact": ("graph", "Fact"),
    "feature_matrix": ("features", "feature_matrix"),
    "FEATURES": ("features", "FEATURES"),
    "History": ("datasets.schema", "History"),
    "KnowledgeGraph": ("graph", "KnowledgeGraph"),
    "list_catalogs": ("datasets.catalogs", "list_catalogs"),
    "load_config_file": ("config", "load_config_file"),
    "load_dialogs_jsonl": ("datasets", "load_dialogs_jsonl"),
    "load_embedder": ("index.embed", "load_embedder"),
    "Mention": ("linking", "Mention"),
    "normalize_title": ("datasets.schema", "normalize_title"),
    "NotIndexedError": ("index.store", "NotIndexedError"),
    "other_domains": ("intent", "other_domains"),
    "Paths": ("paths", "Paths"),
    "register_catalog": ("datasets.catalogs", "register_catalog"),
    "register_commands": ("cli", "register"),
    "requested_unknown_domain": ("intent", "requested_unknown_domain"),
    "resolve_model": ("index.embed", "resolve_model"),
    "Retrieval": ("pipeline", "Retrieval"),
    "Runtime": ("runtime", "Runtime"),
    "RuntimeConfig": ("runtime", "RuntimeConfig"),
    "save_config": ("config", "save_config"),
    "save_fusion": ("sources.fusion", "save_fusion"),
    "save_student": ("index.student", "save_student"),
    "Signals": ("features", "Signals"),
    "signals": ("features", "signals"),
    "stopwords": ("sources.lexical", "stopwords"),
    "StoreConfig": ("index.store", "StoreConfig"),
    "StoreUnavailableError": ("index.store", "StoreUnavailableError"),
    "training_sequences": ("pipeline", "training_sequences"),
    "tuned_fusion_path": ("sources.fusion", "tuned_fusion_path"),
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
