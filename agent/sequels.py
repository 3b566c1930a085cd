"""Sequels: a wish that asks for, or leaves out, the rest of a franchise.

"No Matrix sequels though" after The Matrix, "any sequels?" after The Hunger Games: the wish
means the franchise of what was named (:mod:`crossrec.retrieval.franchise`), not a genre whose
name is near "sequels" (Remake, Miniseries). :func:`sequel_facts` reads it so, before a wish is
matched against the catalog's values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crossrec.retrieval import FRANCHISE, Fact, KnowledgeGraph, stopwords

__all__ = ["SEQUEL", "sequel_facts"]

# not "series": "a good series" is a TV series
SEQUEL = re.compile(
    r"\b(?:sequels?|prequels?|follow[- ]ups?|franchises?|sagas?|trilog(?:y|ies)|"
    r"installments?|instalments?|spin[- ]?offs?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def sequel_facts(
    text: str, history: Sequence[str], graph: KnowledgeGraph, named: Sequence[str] = ()
) -> tuple[Fact, ...] | None:
    """The franchises a wish asking for sequels means: those of the items ``named`` in its
    message ("no Shrek sequels": Shrek was linked, not left in the wish), else those of the
    ``history`` items whose names share a word with it ("matrix sequels"), else, where it says
    nothing more, all the history's, the latest named first (() where none has one: not
    understood). None where it asks for no sequels, or says more than sequels of nothing it
    names ("a fantasy saga": a genre, matched as any wish)."""
    if not SEQUEL.search(text):
        return None
    said = {w.casefold() for w in _WORD.findall(SEQUEL.sub(" ", text))} - stopwords()
    own = _franchises(named, graph)
    if own:
        return own
    held = _franchises(list(reversed(history)), graph)
    by_name = [
        f for f in held if said & ({w.casefold() for w in _WORD.findall(f[1])} - stopwords())
    ]
    if by_name or said:
        return tuple(by_name) or None
    return held


def _franchises(items: Sequence[str], graph: KnowledgeGraph) -> tuple[Fact, ...]:
    return tuple(dict.fromkeys(f for i in items for f in graph.facts_of(i) if f[0] == FRANCHISE))
