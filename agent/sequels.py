"""Sequels: a wish that asks for, or leaves out, the rest of a franchise.

"No Matrix sequels though" after The Matrix, "any sequels?" after The Hunger Games: the wish
means the franchise of what was named (:mod:`crossrec.retrieval.franchise`), not a genre whose
name is near "sequels" (Remake, Miniseries). :func:`sequel_facts` reads it so, before a wish is
matched against the catalog's values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crossrec.retrieval import FRANCHISE, Catalog, Fact, KnowledgeGraph, stopwords

__all__ = ["SEQUEL", "first_asked", "plain_sequels", "sequel_facts"]

# not "series": "a good series" is a TV series
SEQUEL = re.compile(
    r"\b(?:sequels?|prequels?|follow[- ]ups?|franchises?|sagas?|trilog(?:y|ies)|"
    r"installments?|instalments?|spin[- ]?offs?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# "the rest of the series", "what comes next in the series?", "more from that series", "what's
# the next book?" (said last: "the next movie I should watch" is no sequel): the series of what
# was named ("a good series" is a TV series: not without "the")
_THE_SERIES = re.compile(
    r"\b(?:(?:the\s+)?rest\s+of\s+|(?:what\s+)?comes\s+next\s+in\s+|next\s+in\s+)?"
    r"(?:the|that|this|its)\s+(?:whole\s+|same\s+|entire\s+)?(?:book\s+|movie\s+|film\s+)?series\b"
    r"|\bwhat\s+comes\s+next\b|\bthe\s+next\s+(?:book|movie|film|part|installment)(?=\W*$)",
    re.IGNORECASE,
)


def sequel_facts(
    text: str, history: Sequence[str], graph: KnowledgeGraph, named: Sequence[str] = ()
) -> tuple[Fact, ...] | None:
    """The franchises a wish asking for sequels means: those of the items ``named`` in its
    message ("no Shrek sequels": Shrek was linked, not left in the wish), else those of the
    ``history`` items whose names share a word with it ("matrix sequels"), else, where it says
    nothing more, all the history's, the latest named first (() where none has one: not
    understood). None where it asks for no sequels, or says more than sequels of nothing it
    names ("a fantasy saga": a genre, matched as any wish). Where no item has a franchise, the
    writers of the latest book (:func:`_writers`)."""
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
    return held or _writers(list(reversed(history)), graph)


def _writers(items: Sequence[str], graph: KnowledgeGraph) -> tuple[Fact, ...]:
    """The writers of the latest book of ``items``: a series of books the catalog makes no
    franchise of (Divergent's sequels Insurgent and Allegiant do not begin with its title) is
    its writer's books (a film's writer writes other films than its sequels)."""
    catalog = graph.space.catalog
    for item_id in items:
        if catalog[item_id].domain == "book":
            return tuple(f for f in graph.facts_of(item_id) if f[0] == "writer")
    return ()


def _franchises(items: Sequence[str], graph: KnowledgeGraph) -> tuple[Fact, ...]:
    return tuple(dict.fromkeys(f for i in items for f in graph.facts_of(i) if f[0] == FRANCHISE))


def plain_sequels(text: str) -> str:
    """``text`` with what it says of the series of what was named as "sequels" ("I want the
    rest of the series" was the wish 'rest', "what comes next in the series?" 'comes')."""
    return _THE_SERIES.sub(" sequels ", text)


# what was read, seen or liked already: "I loved the harry potter movies" likes them all
_HAD = re.compile(  # not "i haven't seen", "i want to read"
    r"(?<!n't )(?<!not )(?<!never )(?<!to )\b(?:lov(?:e|ed|es|ing)|lik(?:e|ed|es)|enjoy(?:ed|s)?|"
    r"adored?|seen|saw|watched|read|finished|fans?|into|hated?|dislike[sd]?|through|great|"
    r"amazing|awesome|favou?rites?|best)\b",
    re.IGNORECASE,
)


def first_asked(said: str, ids: Sequence[str], catalog: Catalog, domain: str | None) -> list:
    """A series asked for by its name, not said to be had (nothing like "loved" or "seen" in
    the clause ``said``): its first work (of ``domain``, where one is asked),
    for its others to come as picks ("harry potter movies" liked all seven films, and gave
    Brave and Arthur Christmas); ``ids`` as they are where it was had."""
    if _HAD.search(said):
        return list(ids)
    works = [i for i in ids if domain in (None, catalog[i].domain)]
    years = {i: (catalog[i].attributes.get("year") or ("9999",))[0] for i in works}
    return [min(works, key=lambda i: years[i])] if works else list(ids)
