"""The recommender as a LangChain Runnable and tool.

``RecommenderRunnable`` takes ``{"message": ..., "session_id": ..., "domain": ...}`` (or a
plain string) and returns the reply as a dict; ``stream`` yields the reply's text chunks as
``{"text": chunk}`` and finally ``{"reply": {...}}``. ``recommender_tool`` wraps it as a
structured tool an agent framework can call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crossrec.agent.recommender import Recommender
from crossrec.agent.reply import Reply
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.tools import StructuredTool

__all__ = ["RecommenderRunnable", "recommender_tool"]


def _args(value: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, str):
        return {"message": value, "session_id": "default", "domain": None}
    if not isinstance(value, dict) or "message" not in value:
        raise ValueError("input must be a message string or a dict with a 'message' key")
    unknown = set(value) - {"message", "session_id", "domain"}
    if unknown:
        raise ValueError(f"unknown input keys {sorted(unknown)}; use message, session_id, domain")
    return {
        "message": value["message"],
        "session_id": value.get("session_id") or "default",
        "domain": value.get("domain"),
    }


class RecommenderRunnable(Runnable[str | dict[str, Any], dict[str, Any]]):
    """invoke / batch / stream over :meth:`Recommender.chat_events`."""

    def __init__(self, recommender: Recommender):
        self.recommender = recommender

    def invoke(
        self, input: str | dict[str, Any], config: RunnableConfig | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        return self.recommender.chat(**_args(input)).to_dict()

    def stream(
        self, input: str | dict[str, Any], config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        for event in self.recommender.chat_events(**_args(input)):
            yield {"reply": event.to_dict()} if isinstance(event, Reply) else {"text": event}


def recommender_tool(recommender: Recommender, name: str = "crossrec_recommend") -> StructuredTool:
    """A tool that returns recommendations (titles, domains, justifications) for a request."""
    domains = ", ".join(recommender.catalog.domains)

    def recommend(
        request: str, session_id: str = "tool", domain: str | None = None
    ) -> dict[str, Any]:
        reply = recommender.chat(request, session_id=session_id, domain=domain)
        return {
            "text": reply.text,
            "items": [
                {"id": r.item_id, "title": r.title, "domain": r.domain, "why": r.justification}
                for r in reply.items
            ],
        }

    return StructuredTool.from_function(
        recommend,
        name=name,
        description=(
            f"Recommend {domains} items from the {recommender.catalog.name} catalog for a user's "
            "request, using what they said they liked; remembers each session_id."
        ),
    )
