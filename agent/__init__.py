"""The conversational recommender: ``from crossrec.agent import Recommender``."""

from crossrec.agent.config import AgentConfig
from crossrec.agent.recommender import Recommender
from crossrec.agent.reply import Recommendation, Reply

__all__ = ["AgentConfig", "Recommendation", "Recommender", "Reply"]
