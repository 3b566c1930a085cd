"""The conversational recommender: ``from crossrec.agent import Recommender``."""

from crossrec.retrieval import lazy_exports

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "run_turn": ("turn", "run_turn"),
    "Explainer": ("explain", "Explainer"),
    "distinct_picks": ("turn", "distinct_picks"),
    "CandidateSet": ("recommender", "CandidateSet"),
    "compose_reason": ("phrasing", "compose_reason"),
    "COMPOSED": ("detail", "COMPOSED"),
    "AgentConfig": ("config", "AgentConfig"),
    "build_recommender": ("factory", "build_recommender"),
    "GroundingCheck": ("grounding", "GroundingCheck"),
    "is_specific": ("phrasing", "is_specific"),
    "load_agent_models": ("factory", "load_agent_models"),
    "Models": ("factory", "Models"),
    "Recommendation": ("reply", "Recommendation"),
    "Recommender": ("recommender", "Recommender"),
    "register_commands": ("cli", "register"),
    "Reply": ("reply", "Reply"),
    "signals": ("ranking", "signals"),
    "spoken_value": ("phrasing", "spoken_value"),
    "praise_words": ("phrasing", "praise_words"),
    "stock_phrase": ("phrasing", "stock_phrase"),
    "trained_prompt": ("writer_prompts", "trained_prompt"),
    "writer_facts": ("phrasing", "writer_facts"),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
