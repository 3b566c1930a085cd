"""What the agent returns: recommendations with evidence, and the reply around them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Recommendation", "Reply"]


@dataclass
class Recommendation:
    """One recommended catalog item, why, and how sure."""

    item_id: str
    title: str
    domain: str
    score: float
    justification: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    justification_source: str = ""
    connection: str = (
        ""  # what connects it to the user: "same writer as Fight Club: Chuck Palahniuk"
    )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Reply:
    """The assistant's message and its recommendations."""

    text: str
    items: list[Recommendation] = field(default_factory=list)
    session_id: str = ""
    domain: str | None = None
    notices: list[str] = field(default_factory=list)
    question: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
