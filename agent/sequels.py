"""Sequels: a wish that asks for, or leaves out, the rest of a franchise.

"No Matrix sequels though" after The Matrix, "any sequels?" after The Hunger Games: the wish
means the franchise of what was named (:mod:`crossrec.retrieval.franchise`), not a genre whose
name is near "sequels" (Remake, Miniseries). :func:`sequel_facts` reads it so, before a wish is
matched against the catalog's values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crossrec.retrieval import FRANCHISE, Fact, KnowledgeGraph

__all__ = ["sequel_facts"]

# not "series" alone: "a good series" is a TV series
_SEQUEL = re.compile(
    r"\b(?:sequels?|prequels?|follow[- ]ups?|franchises?|sagas?|trilog(?:y|ies)|"
    r"installments?|instalments?|spin[- ]?offs?|the rest of the series)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def sequel_facts(
    text: str, history: Sequence[str], graph: KnowledgeGraph
) -> tuple[Fact, ...] | None:
    """The franchises of the ``history`` items that a wish asking for sequels means: those
    whose names share a word with it ("matrix sequels"), else all of them, the latest named
    first; () where it asks for sequels of nothing that has some; None where it does not ask."""
    if not _SEQUEL.search(text):
        return None
    held = [f for i in reversed(history) for f in graph.facts_of(i) if f[0] == FRANCHISE]
    held = list(dict.fromkeys(held))
    said = {w.casefold() for w in _WORD.findall(_SEQUEL.sub(" ", text))}
    named = [f for f in held if said & {w.casefold() for w in _WORD.findall(f[1])}]
    return tuple(named or held)
