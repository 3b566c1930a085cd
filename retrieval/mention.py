"""What a message names: a span of text linked to catalog items or to graph facts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crossrec.retrieval.casing import fold

if TYPE_CHECKING:
    from crossrec.retrieval.graph import Fact

__all__ = ["Mention", "masked_words"]

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Mention:
    """A span of text linked to catalog items (``ids``) or to graph facts (``facts``)."""

    text: str
    start: int
    end: int
    kind: str  # "item" or "fact"
    ids: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    method: str = "exact"
    score: float = 1.0

    @property
    def ambiguous(self) -> bool:
        return self.kind == "item" and len(self.ids) > 1 and self.method != "series"


def masked_words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The folded words of ``text`` outside ``spans`` (start, end offsets into it)."""
    return [
        fold(m.group())
        for m in _TOKEN.finditer(text)
        if not any(s <= m.start() < e for s, e in spans)
    ]
