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
from crossrec.agent.unknown import name_spans, unknown_names

if TYPE_CHECKING:
    from crossrec.retrieval import Catalog, EntityLinker, KnowledgeGraph

__all__ = ["NOT_SHOWN", "about", "asked_about", "asked_together", "unknown_asked"]

NOT_SHOWN = "There is no such pick among those I showed; ask about one by its place or its title."

# questions about a named thing: "Who directed |Inception?", "tell me more about |Dune"
_NAMED = (
    r"tell me (?:more )?about|more about|who (?:directed|wrote|writes|made|makes|stars in|starred "
    r"in|acted in|is in|was in|plays in|played in)|when (?:was|did|is)|what year (?:was|did|is)|"
    r"which year (?:was|did)|(?:who(?:'s| is| are)? in )?the cast of|^\s*(?:is|was|are|does)"
)  # "Is |Finding Nemo good for kids?": a yes/no question about it, said at the start
_OBJECT = r")(?:\s+the\s+(?:book|movie|film|show|novel))?\s+$"  # the object comes right after
_ASKS = re.compile(  # any question whose object comes right after it
    r"\b(?:" + _NAMED + r"|what genre is|what brand is|what is|what's|(?:what|how) about" + _OBJECT,
    re.IGNORECASE,
)
# a name the catalog may lack is asked about only so ("Who directed |Zzyzx Road?"); "what is",
# "what about" come before requests too ("What about Something Scary", "What is The Best Movie")
_ASKS_NAME = re.compile(r"\b(?:" + _NAMED + _OBJECT, re.IGNORECASE)
# a name in a list asked about: right after the question or after ", ", "and", "or"
_LISTED = re.compile(r"(?:\b(?:" + _NAMED + _OBJECT + r"|(?:,|\band|\bor|&)\s+$)", re.I)
_RELATIONS = (  # the words of a question -> the relation it asks for first
    (re.compile(r"\bdirect", re.I), "director"),
    (re.compile(r"\b(?:wrote|writes|written|author)", re.I), "writer"),
    (re.compile(r"\b(?:stars?|starred|acted|is in|was in|plays?|played|cast)\b", re.I), "actor"),
    (re.compile(r"\b(?:when|year)\b", re.I), "year"),
    (
        re.compile(r"\b(?:genre|kind|kids?|child|children|family|scary|violent|funny)\b", re.I),
        "genre",
    ),
    (re.compile(r"\b(?:brand|made|makes)\b", re.I), "brand"),
)
_PLACES = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
_PLACES |= {"4th": 4, "fifth": 5, "5th": 5}  # "last": the number of picks
_REFERENCE = re.compile(  # "the second one", "the last pick", "#3", "number 3"
    r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\s+"
    r"(?:one|pick|item|book|movie|film|product)\b|#\s*(\d+)\b|\bnumber\s+(\d+)\b",
    re.IGNORECASE,
)
_ALONE = re.compile(r"^\W*(?:and\s+)?$")  # "the second one?" is a question by itself
_ASKED = re.compile(r"\W*\?\W*$")
_JOINED = re.compile(r"\s*(?:,\s*)?(?:(?:and|or|&)\s+)?$", re.IGNORECASE)  # ", ", " and ", ", or "
_END = re.compile(r"\W*$")
_IT = re.compile(r"\b(?:it|this one|that one)\b")  # in lower case: "It Follows" is a title
_VALUES = 3  # values of one relation said
_ORDER = ("director", "writer", "actor", "brand", "category", "genre", "franchise", "year")


def asked_about(
    message: str, linker: EntityLinker, shown: Sequence[str], last: str | None = None
) -> str | None:
    """The item ``message`` asks about, said right after a question ("Who directed
    Inception?", "tell me more about the second one", "the second one?"): one of the last
    reply's picks (``shown``, in order) it points to, else the one item it names, else ``last``
    (the item asked about or liked last) where it says "it" ("What year was it released?").
    None where it asks no such question ("What is a good movie like Interstellar?", "Tell me
    about good fantasy books"), "" where it points to a place no pick holds."""
    items = [m for m in linker.link(message) if m.kind == "item"]
    asked = [(m.start, m.ids[0]) for m in items[:1]] if len(items) == 1 else []
    for said in (_REFERENCE.search(message), _IT.search(message)):  # not "It" of "It Follows"
        if said and not any(m.start <= said.start() < m.end for m in items):
            asked.append((said.start(), ""))
    for start, item_id in sorted(asked):
        place = _REFERENCE.match(message, start)
        alone = place and _ALONE.match(message[:start]) and _ASKED.match(message[place.end() :])
        if not (_ASKS.search(message[:start]) or alone):
            continue
        if place:
            word, *digits = place.groups()
            at = (
                _PLACES.get(word.casefold(), len(shown))
                if word
                else int(next(filter(None, digits)))
            )
            return shown[at - 1] if 1 <= at <= len(shown) else ""
        return item_id or last or None
    return None


def about(item_id: str, message: str, catalog: Catalog, graph: KnowledgeGraph) -> str:
    """What the catalog knows of ``item_id``, the relation ``message`` asks for first:
    "Inception (movie) is directed by Christopher Nolan, is written by ..., stars ..."."""
    asked = [relation for pattern, relation in _RELATIONS if pattern.search(message)]
    facts: dict[str, list[str]] = {}
    # the values most items share first: the leads, not a cameo ("stars Leonardo DiCaprio")
    for relation, value in sorted(
        graph.facts_of(item_id), key=lambda f: -graph.df[graph.fact_index[f]]
    ):
        if value.casefold() != catalog.spoken(item_id).casefold():  # not "The Dark Knight's"
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


def unknown_asked(message: str, linker: EntityLinker, domains: Sequence[str]) -> str | None:
    """The name a question asks about that the catalog lacks ("Who directed Zzyzx Road?": its
    words are no wish for road movies), else None."""
    linked = linker.link(message)
    spans, people = name_spans([*linked, *linker.series(message, linked)])
    for start, end in unknown_names(message, spans, domains, before=_ASKS_NAME, people=people):
        if _ASKS_NAME.search(message[:start]):  # not a subject before "was" ("La La Land was")
            return message[start:end]
    return None


def asked_together(
    message: str, linker: EntityLinker, domains: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The items a question asks about as a list right after it ("Who directed Inception and
    Interstellar?", "Tell me about Dune, Emma and Persuasion"), in order, and the names in the
    list the catalog lacks ("Tell me about Stranger Things and Inception"): two or more in
    all, else ([], []) (two titles apart are a request: "Who directed Inception? I loved
    Up")."""
    linked = linker.link(message)
    items = [m for m in linked if m.kind == "item"]
    spans, people = name_spans([*linked, *linker.series(message, linked)])
    unknown = unknown_names(message, spans, domains, before=_LISTED, people=people)
    members = sorted(
        [*((m.start, m.end, m.ids[0]) for m in items), *((a, b, "") for a, b in unknown)]
    )
    if len(members) < 2 or not _ASKS.search(message[: members[0][0]]):
        return [], []
    between = [message[a[1] : b[0]] for a, b in zip(members, members[1:], strict=False)]
    if not all(_JOINED.fullmatch(text) for text in between):
        return [], []
    if not _END.fullmatch(message[members[-1][1] :]):
        return [], []
    ids = [item_id for _, _, item_id in members if item_id]
    return list(dict.fromkeys(ids)), [message[a:b] for a, b, item_id in members if not item_id]
