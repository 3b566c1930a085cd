"""Per-candidate signals and features: what a ranking stage knows about each fused candidate.

:class:`Signals` are the three facts a person would check (does it fit my wish, does it share
something specific with what I named, or does it only share title words with it).
:func:`feature_matrix` turns a fused candidate list into the learned ranker's features: every
source's score and rank, the fused score and rank, the strongest specific and grouping facts
shared with the history or named, co-occurrence, popularity, wish fit and the title echo. All
are computed from the catalog, the graph and the collaborative models the caller passes in, so
training (cross-fitted models) and serving (train-split models) use the same function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from crossrec.retrieval.casing import name_key
from crossrec.retrieval.datasets.schema import without_qualifier
from crossrec.retrieval.graph import WEAK_RELATIONS, Fact, KnowledgeGraph
from crossrec.retrieval.sources.candidates import Candidate, CandidateQuery
from crossrec.retrieval.sources.cooccur import Cooccurrence, Popularity
from crossrec.retrieval.sources.lexical import title_words, tokenize

if TYPE_CHECKING:
    from crossrec.retrieval.datasets.schema import Catalog
    from crossrec.retrieval.index.store import CatalogStore

__all__ = [
    "FEATURES",
    "SOURCES",
    "Signals",
    "feature_matrix",
    "nearness",
    "said_of",
    "says",
    "signals",
]

_WORDS = re.compile(r"[^\W_]+", re.UNICODE)  # as the lexical tokenizer splits
_ARTICLES = frozenset({"the", "an"})
SOURCES = ("dense", "bm25", "cooccurrence", "knowledge", "popularity", "als")
FEATURES = (
    *(f"{s}_score" for s in SOURCES),
    *(f"{s}_rank" for s in SOURCES),
    "fused_score",
    "fused_rank",
    "specific_weight",
    "specific_items",
    "grouping_weight",
    "named_fact",
    "cooccurrence_max",
    "popularity",
    "echo",
    "wish_fit",
    "history_same_domain",
    "history_len",
)


@dataclass(frozen=True)
class Signals:
    """What one candidate has to do with the request."""

    fits_wish: bool = False
    specific: float = 0.0  # weight of the strongest specific fact shared with what was named
    echo: bool = False
    grouping: float = 0.0  # weight of the strongest grouping fact (genre, category) shared
    specific_items: int = 0  # named items it shares a specific fact with
    named_fact: float = 0.0
    cooccurrence: float = 0.0
    named: bool = False  # the candidate is one of the named items itself
    kin: bool = False  # shares a genre or category (not a year or language) with a named item
    near: float = 0.0  # cosine to the nearest named item's stored vector (0: none, or an echo)
    maker: bool = False  # holds a named fact that names items (a brand, a writer), not a genre
    says: int = 0  # how many words a follow-up narrowed the wish by its title says ("in white")
    held: int = 0  # named makers it holds: "starring Brad Pitt and Angelina Jolie" (2 of 2)


def _title_words(title: str) -> set[str]:
    """The words that make a title its name; a title that is one common word ("Up", "Her",
    "The Others") is that word, so "What's Up, Doc?" echoes "Up". A longer title of common
    words only ("She's All That") names nothing here."""
    words = {w for w in tokenize(title) if len(w) > 2 and not w.isdigit()}
    if words:
        return words
    one = _all_words(title) - _ARTICLES
    return one if len(one) == 1 else set()


def _all_words(title: str) -> set[str]:
    return {w for w in _WORDS.findall(title.casefold()) if len(w) > 1 and not w.isdigit()}


def _singular(words: set[str]) -> set[str]:
    return {w.removesuffix("s") for w in words}


def _name_echo(words: set[str], own: set, named_facts: Sequence[Fact], grouping) -> bool:
    """Whether an item holding no person named says a named person's surname in its title or
    its people's names: "movies with John Wayne" filled with Wayne's World 2 and films by
    Wayne Wang. A title that is the surname alone is about the person ("Capote")."""
    said = [without_qualifier(v).split() for r, v in named_facts if r not in grouping]
    surnames = {name_key(words[-1]) for words in said if len(words) > 1}  # not a one-word brand
    if not surnames:  # no person named: nothing to echo
        return False
    whole = {name_key(" ".join(words)) for words in said}  # the person in another role
    values = (without_qualifier(v) for r, v in own if r not in grouping)
    people = {w for v in values if name_key(v) not in whole for w in _all_words(v)}
    title = {name_key(w) for w in words}
    return bool(surnames & ({name_key(w) for w in people} | (title if len(title) > 1 else set())))


def says(title: str, words: Sequence[str]) -> bool:
    """Whether ``title`` says each of ``words`` (:func:`said_of`)."""
    return said_of(title, words) == len(words)


def said_of(title: str, words: Sequence[str]) -> int:
    """How many of ``words`` ``title`` says, in the singular or plural; a model's number too
    ("hp 62")."""
    own = title_words(title)
    return sum(w.casefold().removesuffix("s") in own for w in words)


def signals(
    item_id: str,
    named: Sequence[str],
    named_facts: Sequence[Fact],
    wish_facts: Sequence[Fact],
    graph: KnowledgeGraph,
    grouping: frozenset[str],
    cooccurrence: Cooccurrence | None = None,
    recent: int = 10,
) -> Signals:
    """The :class:`Signals` of ``item_id`` for a request that named ``named`` and ``named_facts``."""
    catalog = graph.space.catalog
    own = set(graph.facts_of(item_id))
    fits = bool(own & set(wish_facts))
    named_fact = max((graph.weight(f) + 2.0 for f in named_facts if f in own), default=0.0)
    specific, group, items, co, kin = named_fact, 0.0, 0, 0.0, False
    words = _all_words(catalog[item_id].title)
    echo, describe = False, graph.titles_describe  # descriptive titles make no echoes
    for other in list(dict.fromkeys(named))[-recent:]:
        if other == item_id or other not in catalog:
            continue
        shared = graph.shared(item_id, other)
        strong = [f for f in shared if f[0] not in grouping]
        if strong:
            specific = max(specific, graph.weight(strong[0]))
            items += 1
        weak = [f for f in shared if f[0] in grouping]
        if weak:
            group = max(group, graph.weight(weak[0]))
            kin = kin or any(f[0] not in WEAK_RELATIONS for f in weak)
        link = cooccurrence.neighbours(item_id, other) if cooccurrence is not None else 0.0
        co = max(co, link)
        said = _singular(_title_words(catalog[other].title))  # "Star Wars": This Means War
        if not shared and link <= 0 and not describe and _singular(words) & said:
            echo = True
    maker = any(f in own and f[0] not in grouping for f in named_facts)
    echo = echo or (not (maker or describe) and _name_echo(words, own, named_facts, grouping))
    named_item = item_id in set(named)
    makers = {tuple(f) for f in named_facts if f[0] not in grouping}  # not a genre named
    held = len({name_key(value) for _, value in own & makers})  # names, not roles
    return Signals(
        fits, specific, echo, group, items, named_fact, co, named_item, kin, maker=maker, held=held
    )


def nearness(
    sigs: Sequence[Signals],
    ids: Sequence[str],
    named: Sequence[str],
    store: CatalogStore | None,
    catalog: Catalog,
    text: str | Sequence[str] = "",
    popularity: Popularity | None = None,
    wish: Sequence[Fact] = (),
    recent: int = 10,
    facts_of: Callable[[str], Sequence[Fact]] | None = None,
) -> list[Signals]:
    """``sigs`` with :attr:`Signals.near` set from the ``store``'s vectors: how close each
    candidate is to what was named, a relatedness no shared fact shows (the novel Dracula has
    no genre; Hotel Transylvania is near it). A candidate sharing a word with a named title
    gets none, since the stored text holds the title and such words pull vectors together.
    With nothing named, ``text`` (what was asked, where titles describe items) is the anchor:
    "I love washi tape" puts the washi tapes before the office tapes the wish also fits; several
    texts (a message's wishes) are one anchor each. With neither, the ``popularity`` counts
    stand in (log-scaled, the most popular 1.0): "I want a scary movie" gets the best-known
    horror films first, not the obscure ones titled "(Horror Film)" that matched its words;
    by how much of each the ``wish`` is too (:func:`_by_popularity`; its facts by ``facts_of``,
    else its attributes)."""
    named = [i for i in list(dict.fromkeys(named))[-recent:] if i in catalog]
    texts = [t for t in ([text] if isinstance(text, str) else text) if t.strip()]
    anchored = bool(named or texts)  # no anchor, no vectors to fetch
    vectors = store.vectors([*named, *ids]) if store is not None and ids and anchored else {}
    anchors = [vectors[i] for i in named if i in vectors]
    if not anchors and vectors and texts:
        anchors = [np.asarray(store.embedder.embed_query(t), np.float32).ravel() for t in texts]
    if not anchors:
        return _by_popularity(sigs, ids, popularity, wish, facts_of) if not named else list(sigs)
    anchor = np.vstack(anchors)
    words = _singular(set().union(*(_title_words(catalog[i].title) for i in named)))
    out = []
    for item_id, sig in zip(ids, sigs, strict=True):
        if (
            item_id in vectors
            and not sig.named
            and not words & _singular(_all_words(catalog[item_id].title))
        ):
            near = float(np.max(anchor @ vectors[item_id]))
            sig = replace(sig, near=near)
        out.append(sig)
    return out


_CENTRAL = 0.35  # how much the wish's share of an item counts: a square root put obscure
# horror films tagged Horror alone above Cloverfield; none gave The Scarlet Letter for kids


def _by_popularity(
    sigs: Sequence[Signals],
    ids: Sequence[str],
    popularity: Popularity | None,
    wish: Sequence[Fact] = (),
    facts_of: Callable[[str], Sequence[Fact]] | None = None,
) -> list[Signals]:
    """``sigs`` with :attr:`Signals.near` the candidate's log popularity over the catalog's
    highest (see :func:`nearness`), times a root (:data:`_CENTRAL`) of the share of its
    values of the ``wish``'s relations that the wish holds: "books for a 5 year old" gave The
    Scarlet Letter, filed under Children's literature among 24 genres, before Green Eggs and
    Ham, filed under it alone. As they are without ``popularity``."""
    if popularity is None or not popularity.counts.size or not popularity.counts.max():
        return list(sigs)
    top, position = float(np.log1p(popularity.counts.max())), popularity.space.position
    counts = [popularity.counts[position[i]] if i in position else 0.0 for i in ids]
    catalog, wished = popularity.space.catalog, set(map(tuple, wish))
    relations = {relation for relation, _ in wished}
    out = []
    for item_id, sig, count in zip(ids, sigs, counts, strict=True):
        attributes = catalog[item_id].attributes.items()
        own = facts_of(item_id) if facts_of else [(r, v) for r, vs in attributes for v in vs]
        values = {tuple(f) for f in own if f[0] in relations}
        share = len(values & wished) / len(values) if values else 1.0
        out.append(replace(sig, near=float(np.log1p(count)) / top * share**_CENTRAL))
    return out


def feature_matrix(
    candidates: Sequence[Candidate],
    query: CandidateQuery,
    graph: KnowledgeGraph,
    grouping: frozenset[str],
    cooccurrence: Cooccurrence | None,
    popularity: Popularity | None,
    per_source: int = 100,
) -> tuple[np.ndarray, list[Signals]]:
    """``(len(candidates) x len(FEATURES))`` features and each candidate's :class:`Signals`."""
    catalog = graph.space.catalog
    ranks: dict[str, dict[str, int]] = {s: {} for s in SOURCES}
    by_source: dict[str, list[tuple[float, str]]] = {s: [] for s in SOURCES}
    for c in candidates:
        for s, score in c.sources.items():
            if s in by_source:
                by_source[s].append((-score, c.item_id))
    for s, pairs in by_source.items():
        ranks[s] = {item: n for n, (_, item) in enumerate(sorted(pairs))}
    domains = {catalog[h].domain for h in query.history if h in catalog}
    rows, sigs = [], []
    for n, c in enumerate(candidates):
        sig = signals(
            c.item_id, query.history, query.facts, query.wish, graph, grouping, cooccurrence
        )
        if query.wish_words:  # "a desk organizer", then "in white": the white ones first
            sig = replace(sig, says=said_of(catalog[c.item_id].title, query.wish_words))
        sigs.append(sig)
        pop = 0.0
        if popularity is not None:
            position = graph.space.position.get(c.item_id)
            pop = float(np.log1p(popularity.counts[position])) if position is not None else 0.0
        rows.append(
            [
                *(c.sources.get(s, 0.0) for s in SOURCES),
                *(ranks[s].get(c.item_id, per_source) for s in SOURCES),
                c.score,
                n,
                sig.specific,
                sig.specific_items,
                sig.grouping,
                sig.named_fact,
                sig.cooccurrence,
                pop,
                float(sig.echo),
                float(sig.fits_wish),
                float(catalog[c.item_id].domain in domains),
                len(query.history),
            ]
        )
    matrix = np.asarray(rows, dtype=np.float32).reshape(len(candidates), len(FEATURES))
    return matrix, sigs
