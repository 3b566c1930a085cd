"""The conversational recommender: ``from crossrec.agent import Recommender``."""

from importlib import import_module

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "run_turn": ("turn", "run_turn"),
    "Explainer": ("explain", "Explainer"),
    "CandidateSet": ("recommender", "CandidateSet"),
    "AgentConfig": ("config", "AgentConfig"),
    "build_recommender": ("factory", "build_recommender"),
    "GroundingCheck": ("justify", "GroundingCheck"),
    "load_agent_models": ("factory", "load_agent_models"),
    "Models": ("factory", "Models"),
    "Recommendation": ("reply", "Recommendation"),
    "Recommender": ("recommender", "Recommender"),
    "register_commands": ("cli", "register"),
    "Reply": ("reply", "Reply"),
    "signals": ("ranking", "signals"),
    "stock_phrase": ("phrasing", "stock_phrase"),
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
