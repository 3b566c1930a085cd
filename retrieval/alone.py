"""A name typed alone: "inception", "harry potter", "the shawshank redemtion", "zombies".

A message that is a name and nothing else (but punctuation and "please": casing.alone) names
it, where titles name items (films, books; not product descriptions): a one-word title in any
case, a series in lower case, a few lower-case words fuzzily (:func:`typed_alone`). A word that
names what groups items ("zombies" of "Zombie Film", "drama", "vampires") is that topic, not
the obscure film of that name (:func:`topics`); nor is a kind of item ("scary movies": no Scary
Movie) or a fact's name ("romantic comedies").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from crossrec.retrieval.casing import (
    KINDS,
    alone,
    alone_spans,
    fold,
    lowercase_runs,
    typed_in_lowercase,
)
from crossrec.retrieval.mention import Mention
from crossrec.retrieval.sources.lexical import stopwords
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.linking import EntityLinker

__all__ = [
    "capitalised_spans",
    "listed_beside_name",
    "named_so",
    "named_series",
    "near_words",
    "series_spans",
    "topics",
    "typed_alone",
]

_KIND_AFTER = re.compile(r"\s+" + KINDS + r"s?$|\s+genre$")  # "zombie" of "zombie film"
_KINDS_SAID = re.compile(r"\b" + KINDS + r"s?\b")  # in a folded key
_REFERENCE = frozenset({"one", "ones", "last", "best", "next", "first", "other", "more"})


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def topics(graph: KnowledgeGraph | None, fact_names: Mapping) -> Callable[[str], bool]:
    """Whether a folded word is a topic: a value that groups items, singular and less a kind,
    or any fact's name."""
    if graph is None:
        return lambda word: word in fact_names
    grouping = graph.grouping_relations()
    said = (_KIND_AFTER.sub("", fold(v)) for r, v in graph.facts if r in grouping)
    known = frozenset(map(_singular, said))
    return lambda word: word in fact_names or _singular(word) in known


def typed_alone(linker: EntityLinker, text: str, tokens: list, taken: list[bool]) -> bool:
    """Whether the message is a few words and nothing else, to be matched fuzzily as one
    title: not yet linked, where titles name items, two or more words besides stopwords (or
    one long one: "the godfater", not "the kids"), none a reference ("the last one", "the best
    ones": no The Last Don), no kind of item and no fact's name."""
    if not (2 <= len(tokens) <= 8 and linker.names_items) or any(taken):
        return False
    key = " ".join(t[2] for t in tokens)
    said = [t[2] for t in tokens if t[2] not in stopwords()]
    if not said or set(said) & _REFERENCE or (len(said) == 1 and len(said[0]) < 6):
        return False
    if _KINDS_SAID.search(key) or not alone(text, 0, tokens[-1][1]):
        return False
    cutoff = 100 * linker.fuzzy_cutoff
    return not process.extractOne(key, linker.fact_names, scorer=fuzz.ratio, score_cutoff=cutoff)


def near_words(said: str, title: str, least: float = 80.0) -> bool:
    """Whether each word of ``said`` but stopwords is spelled near a word of ``title``
    ("redemtion" of "redemption"; not "walk" of "war")."""
    words = title.split()
    return all(
        process.extractOne(w, words, scorer=fuzz.ratio, score_cutoff=least)
        for w in said.split()
        if w not in stopwords()
    )


def listed_after_name(
    text: str, tokens: list, taken: list[bool], n: int, facts: Collection[str] = ()
) -> bool:
    """Whether token ``n`` comes in a list right after a linked name ("the godfather and
    |goodfellas are my favs", "Inception, |memento"): a one-word title there is a title, in
    any case; not after a fact's name (``facts``: "Action, comedy and |drama are my favorite
    genres" liked the book Drama)."""
    m = n - 1
    if m >= 0 and tokens[m][2] in ("and", "or"):
        m -= 1
    elif m < 0 or "," not in text[tokens[m][1] : tokens[n][0]]:
        return False
    return m >= 0 and taken[m] and tokens[m][2] not in facts


def listed_beside_name(
    text: str, tokens: list, taken: list[bool], n: int, facts: Collection[str], titles
) -> bool:
    """Whether token ``n`` comes in a list right after or right before a linked name."""
    after = listed_after_name(text, tokens, taken, n, facts)
    return after or listed_before_name(text, tokens, taken, n, titles)


def listed_before_name(
    text: str, tokens: list, taken: list[bool], n: int, titles: Collection[str] = ()
) -> bool:
    """Whether token ``n`` comes in a list right before a linked name, or before a one-word
    title (one of ``titles``) capitalised ("|Inception and The Matrix", "|Jaws, Jurassic
    Park", "|Titanic and Avatar"): a message's first word, capitalised anyway, is a title
    there as it is after one (:func:`listed_after_name`)."""
    m = n + 1
    if m < len(tokens) and tokens[m][2] in ("and", "or"):
        m += 1
    elif m >= len(tokens) or "," not in text[tokens[n][1] : tokens[m][0]]:
        return False
    if m >= len(tokens):
        return False
    start, _, word = tokens[m]
    return taken[m] or (text[start].isupper() and word in titles)


def named_so(catalog, graph, fact: tuple[str, str], ids: set[str]) -> bool:
    """Whether half or more of ``ids`` (the items titled with ``fact``'s word) have ``fact``:
    the titles' word names it; not counting those made for it ("toner for brother")."""
    ids = ids - _made_for(catalog, ids, fact[1])
    return bool(ids) and 2 * len(ids.intersection(graph.items_with(fact))) >= len(ids)


def _made_for(catalog, ids: Collection[str], word: str) -> set[str]:
    """The items of ``ids`` whose titles say ``word`` as what they are made for ("toner for
    brother printers", "replacement for hp 61"): the word names another maker's machine, not
    theirs, so it says nothing of whether the catalog's titles use it as a maker's name."""
    said = re.compile(
        rf"\b(?:for|with|fits|replaces)\s+(?:use\s+(?:in|with)\s+)?{re.escape(word)}\b"
    )
    return {i for i in ids if said.search(catalog[i].title)}


def series_spans(text: str, tokens: list) -> list[tuple[int, int]]:
    """The spans a series may take that no cue word shows: the message typed alone (see
    :func:`alone_spans`), or its first words in lower case right before "but", less a kind
    said last ("star wars movies but for kids")."""
    spans = alone_spans(tokens) if 1 < len(tokens) <= 8 and alone(text, 0, tokens[-1][1]) else []
    end = next((n for n, t in enumerate(tokens[:7]) if t[2] == "but"), 0)
    if end < 2 or not typed_in_lowercase(text):
        return spans
    return spans + alone_spans(tokens[:end])


def capitalised_spans(text: str, tokens: list, taken: list[bool]) -> list[tuple[int, int]]:
    """Runs of capitalised words (joined by short lowercase words) not yet linked."""
    spans, n = [], 0
    while n < len(tokens):
        if taken[n] or not text[tokens[n][0]].isupper():
            n += 1
            continue
        m = n + 1
        while (
            m < len(tokens)
            and not taken[m]
            and (
                text[tokens[m][0]].isupper()
                or tokens[m][2] in {"of", "the", "and", "a", "in", "to"}
            )
        ):
            m += 1
        while m - 1 > n and not text[tokens[m - 1][0]].isupper():
            m -= 1
        if m - n >= 2:
            spans.append((n, m))
        n = m
    return spans


def named_series(linker: EntityLinker, text: str, linked: Sequence[Mention] = ()) -> list[Mention]:
    """What :meth:`EntityLinker.series` finds."""
    if linker.graph is None:
        return []
    tokens = [(m.start(), m.end(), fold(m.group())) for m in re.finditer(r"\w+", text)]
    taken = [any(m.start < e and s < m.end for m in linked) for s, e, _ in tokens]
    found = []
    runs = [(m, range(n, m)) for n, m in capitalised_spans(text, tokens, taken)]
    groups = [
        [(a, b) for a in starts for b in range(a + 2, min(m, a + 8) + 1)]
        for m, starts in runs + lowercase_runs(text, tokens, taken)
    ]
    if linker.names_items:  # typed alone, or first: "star wars but for kids"
        groups.append(series_spans(text, tokens))
    for spans in groups:
        for a, b in sorted(spans, key=lambda span: span[0] - span[1]):
            # longest first: "No Star Wars" holds "Star Wars"
            if any(taken[a:b]) or tokens[b - 1][2] in ("and", "or", "the"):
                continue  # not "harry potter and" of "harry potter and twilight"
            ids = linker.series_of(" ".join(t[2] for t in tokens[a:b]))
            if ids:
                start, end = tokens[a][0], tokens[b - 1][1]
                found.append(Mention(text[start:end], start, end, "item", ids, method="series"))
                taken[a:b] = [True] * (b - a)
    return found
