"""Questions about one item: "Who directed Inception?", "Tell me more about the first one".

A person asks about a title they name or one of the last reply's picks ("the second one",
"number 3"); the answer is the item's own facts, said with the phrasing's detail forms, the
asked one first. Nothing is read into their tastes: asking who directed a film is not saying
they liked it, and "the first one" is no wish for first-contact films.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crossrec.agent.phrasing import detail_phrase

if TYPE_CHECKING:
    from crossrec.retrieval import Catalog, EntityLinker, KnowledgeGraph

__all__ = ["NOT_SHOWN", "about", "asked_about"]

NOT_SHOWN = "There is no such pick among those I showed; ask about one by its place or its title."

_ASKS = re.compile(
    r"\b(?:tell me (?:more )?about|more (?:about|on)|who (?:directed|wrote|writes|made|makes|"
    r"stars|starred|acted|is in|was in|plays|played)|when (?:was|did|is)|what year|which year|"
    r"what genre|what kind of|what is .{1,60} about|what's .{1,60} about|what brand)\b",
    re.IGNORECASE,
)
_RELATIONS = (  # the words of a question -> the relation it asks for first
    (re.compile(r"\bdirect", re.I), "director"),
    (re.compile(r"\b(?:wrote|writes|written|author)", re.I), "writer"),
    (re.compile(r"\b(?:stars?|starred|acted|is in|was in|plays?|played|cast)\b", re.I), "actor"),
    (re.compile(r"\b(?:when|year)\b", re.I), "year"),
    (re.compile(r"\b(?:genre|kind)\b", re.I), "genre"),
    (re.compile(r"\b(?:brand|made|makes)\b", re.I), "brand"),
)
_PLACES = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3}
_PLACES |= {"4th": 3, "fifth": 4, "5th": 4, "last": -1}
_REFERENCE = re.compile(
    r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\s+"
    r"(?:one|pick|item|book|movie|film|product)\b|#\s*(\d)\b|\bnumber\s+(\d)\b",
    re.IGNORECASE,
)
_POINTS = re.compile(r"\b(?:what|how) about\b|^\W*(?:and\s+)?(?:the\s+)?\w+\s+\w+\W*\?\W*$", re.I)
_IT = re.compile(r"\b(?:it|this one|that one)\b", re.IGNORECASE)
_VALUES = 3  # values of one relation said
_ORDER = ("director", "writer", "actor", "brand", "category", "genre", "year")  # not language


def asked_about(
    message: str, linker: EntityLinker, shown: Sequence[str], named: Sequence[str] = ()
) -> str | None:
    """The item ``message`` asks about: one of the last reply's picks (``shown``, in order)
    it points to, else the one item it names, else the last one ``named`` before where it says
    "it" ("What year was it released?"); None where it asks no such question, "" where it asks
    about a place among picks that are not there ("the first one", none shown)."""
    place = _REFERENCE.search(message)
    if not (_ASKS.search(message) or (place and _POINTS.search(message))):
        return None
    if place:
        word, *digits = place.groups()
        at = _PLACES[word.casefold()] if word else int(next(d for d in digits if d)) - 1
        return shown[at] if -len(shown) <= at < len(shown) else ""
    items = [m for m in linker.link(message) if m.kind == "item"]
    if len(items) == 1:
        return items[0].ids[0]
    return named[-1] if not items and named and _IT.search(message) else None


def about(item_id: str, message: str, catalog: Catalog, graph: KnowledgeGraph) -> str:
    """What the catalog knows of ``item_id``, the relation ``message`` asks for first:
    "Inception (movie) is directed by Christopher Nolan, is written by ..., stars ..."."""
    asked = [relation for pattern, relation in _RELATIONS if pattern.search(message)]
    facts: dict[str, list[str]] = {}
    # the values most items share first: the leads, not a cameo ("stars Leonardo DiCaprio")
    for relation, value in sorted(
        graph.facts_of(item_id), key=lambda f: -graph.df[graph.fact_index[f]]
    ):
        facts.setdefault(relation, []).append(value)
    order = [r for r in _ORDER if r in facts]
    order.sort(key=lambda r: r not in asked)  # stable: the asked relation first
    phrases = [detail_phrase(r, facts[r][:_VALUES], graph) for r in order]
    item = catalog[item_id]
    name = f"{catalog.spoken(item_id)} ({item.domain})"
    if not phrases:
        return f"I know nothing more of {name} than its title."
    said = ", ".join(phrases[:-1]) + (" and " if len(phrases) > 1 else "") + phrases[-1]
    return f"{name[:1].upper()}{name[1:]} {said}."
