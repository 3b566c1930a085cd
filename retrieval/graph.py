"""Knowledge bridges: items linked through shared facts (people, genres, categories, brands).

The graph is bipartite: items on one side, facts ``(relation, value)`` on the other. It is
built from item attributes, where a dataset ships one from its knowledge-graph triples
(OpenDialKG's ``kg.json``), and where titles name items from the titles' franchises
(:mod:`crossrec.retrieval.franchise`: "The Hunger Games" of its films). A fact's weight is
its inverse document frequency, so sharing a director says more than sharing the English
language.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence

import numpy as np
from crossrec.retrieval.datasets.schema import normalize_title, without_qualifier
from crossrec.retrieval.franchise import FRANCHISE, franchise_facts
from crossrec.retrieval.itemspace import ItemSpace
from crossrec.retrieval.shelves import seller_free
from crossrec.retrieval.title_keys import NUMBERS
from rapidfuzz import fuzz
from scipy import sparse

__all__ = ["Fact", "KnowledgeGraph"]

Fact = tuple[str, str]  # (relation, value)

# Facts shared by too many items carry no preference signal and make noisy evidence.
WEAK_RELATIONS = frozenset({"language", "year"})
# Titles describe items when items sharing a title word share a grouping fact this many times
# as often as random pairs (measured: OpenDialKG 0.9, Amazon Arts+Office 39).
DESCRIPTIVE_LIFT = 5.0


class KnowledgeGraph:
    """Item <-> fact incidence with IDF weights."""

    def __init__(
        self,
        space: ItemSpace,
        triples: Iterable[tuple[str, str, str]] = (),
        max_share: float = 0.2,
        franchises: bool = True,
    ):
        self.space = space
        self.max_share = max_share
        catalog = space.catalog
        item_facts: dict[str, dict[Fact, None]] = {i: {} for i in space.ids}
        for item in catalog:
            for relation, values in item.attributes.items():
                for value in values:
                    item_facts[item.id][(relation, value)] = None
        held, values = _relations_by_domain(catalog), _values_by_domain(catalog)
        for head, relation, tail in triples:
            for item_id in catalog.by_title(head):
                domain = catalog[item_id].domain
                if _of_domain(relation, domain, held) and _value_of(relation, tail, domain, values):
                    item_facts[item_id][(relation, tail)] = None
        self._index(item_facts)
        if franchises and not catalog.describes:  # titles that name items can continue a name
            for item_id, facts in franchise_facts(self).items():
                item_facts[item_id].update(dict.fromkeys(facts))
            self._index(item_facts)

    def _index(self, item_facts: dict[str, dict[Fact, None]]) -> None:
        """The incidence matrix and IDF weights of ``item_facts`` (and fresh caches)."""
        space = self.space
        facts: dict[Fact, int] = {}
        rows, cols = [], []
        for item_id, fs in item_facts.items():
            for fact in fs:
                rows.append(space.position[item_id])
                cols.append(facts.setdefault(fact, len(facts)))
        self.facts: list[Fact] = list(facts)
        self.fact_index = facts
        n_items = max(len(space), 1)
        incidence = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(space), len(facts))
        )
        df = np.asarray(incidence.sum(axis=0)).ravel()
        idf = np.log((n_items + 1) / (df + 1))
        # a weak relation's value filed under another says as little ("Spanish Language" genre)
        said = {f[1].casefold() for f in self.facts if f[0] in WEAK_RELATIONS}
        weak = np.array(
            [f[0] in WEAK_RELATIONS or f[1].casefold() in said for f in self.facts], bool
        )
        idf[weak] *= 0.1
        idf[df > self.max_share * n_items] = 0.0  # a fact most items share bridges nothing
        self.idf = idf
        self.df = df
        self.incidence = incidence
        self.by_fact = incidence.T.tocsr()
        self._item_facts = {i: tuple(fs) for i, fs in item_facts.items()}
        self._names: dict[str, list[Fact]] | None = None
        self._titles_describe: bool | None = None
        self._grouping: dict[float, frozenset[str]] = {}
        self._kinds: dict[str, str] | None = None
        self._kind_items: dict[str, float] | None = None

    def grouping_relations(self, min_share: float = 0.02) -> frozenset[str]:
        """Relations that group items (genre, language, category), not name them (writer, brand).

        A relation groups when its most common value covers at least ``min_share`` of the items
        (computed once per share: the linker, the evidence and the ranking features all ask).
        """
        if min_share not in self._grouping:
            n_items = max(len(self.space), 1)
            top: dict[str, float] = {}
            for fact, df in zip(self.facts, self.df, strict=True):
                top[fact[0]] = max(top.get(fact[0], 0.0), float(df) / n_items)
            self._grouping[min_share] = frozenset(r for r, s in top.items() if s >= min_share)
        return self._grouping[min_share]

    @property
    def titles_describe(self) -> bool:
        """Do titles *describe* items (products: "gel pens, black, 12 pack") rather than *name*
        them (films, books: "Wicker Park")? Measured on the catalog, not configured: where
        titles describe, a shared title word is a real link and no candidate is a title echo."""
        if self._titles_describe is None:
            self._titles_describe = self.title_lift() >= DESCRIPTIVE_LIFT
        return self._titles_describe

    def title_lift(self, pairs: int = 2000, seed: int = 0) -> float:
        """How much more often items sharing a title word share a grouping fact (genre,
        category) than random pairs of items do (seeded samples of ``pairs`` each)."""
        grouping = self.grouping_relations()
        ids = list(self.space.ids)
        words = {i: _title_words(self.space.catalog[i].title) for i in ids}
        by_word: dict[str, list[str]] = {}
        for item_id, ws in words.items():
            for w in ws:
                by_word.setdefault(w, []).append(item_id)
        rng = random.Random(seed)

        def grouped(a: str, b: str) -> bool:
            return a != b and any(f[0] in grouping for f in self.shared(a, b))

        same_word = random_pair = 0
        for _ in range(pairs if len(ids) > 1 else 0):
            a = rng.choice(ids)
            random_pair += grouped(a, rng.choice(ids))
            shared_words = sorted(w for w in words[a] if len(by_word[w]) > 1)
            if shared_words:
                same_word += grouped(a, rng.choice(by_word[rng.choice(shared_words)]))
        return same_word / max(random_pair, 1)

    def kind_path(self, value: str) -> str:
        """A category path without the seller's name at its end ("... round ring binders acco
        brands" -> "... round ring binders"; :mod:`crossrec.retrieval.shelves`), else ``value``."""
        if self._kinds is None:
            paths = zip(self.facts, self.df, strict=True)
            self._kinds = seller_free({f[1]: float(n) for f, n in paths if f[0] == "category"})
        return self._kinds.get(value, value)

    def kinds(self) -> dict[str, float]:
        """The last two or three words of every category path less a seller's name (the kinds
        of things the catalog files: "colored pencils"), with the items filed so."""
        if self._kind_items is None:
            kinds: dict[str, float] = {}
            for fact, df in zip(self.facts, self.df, strict=True):
                path = self.kind_path(fact[1]).split() if fact[0] == "category" else []
                for key in {" ".join(path[-n:]) for n in (2, 3) if len(path) > n}:
                    kinds[key] = kinds.get(key, 0.0) + float(df)
            self._kind_items = kinds
        return self._kind_items

    def facts_of(self, item_id: str) -> tuple[Fact, ...]:
        return self._item_facts.get(item_id, ())

    def weight(self, fact: Fact) -> float:
        index = self.fact_index.get(fact)
        return float(self.idf[index]) if index is not None else 0.0

    def shared(self, a: str, b: str) -> list[Fact]:
        """Facts items ``a`` and ``b`` share, strongest first."""
        mine = set(self.facts_of(b))
        common = [f for f in self.facts_of(a) if f in mine and self.weight(f) > 0]
        return sorted(common, key=self.weight, reverse=True)

    def same_works(
        self, items: Iterable[str], maker: str = "director", cast: str = "actor", least: int = 2
    ) -> set[str]:
        """The other items of the same domain told as the same work as one of ``items``: a
        ``maker`` and ``least`` of the ``cast`` in common, no other year, and a title alike
        with the same numbers ("Seven (Psychological thriller Film)" is Se7en, and came first
        for it; Kill Bill: Vol. 2 is Kill Bill Volume 2, not Volume 1)."""
        out, catalog = set(), self.space.catalog
        for item in items:
            mine = set(self.facts_of(item)) if item in catalog else set()
            years = {v for r, v in mine if r == "year"}
            for fact in (f for f in mine if f[0] == maker):
                for other in self.items_with(fact):
                    theirs = set(self.facts_of(other))
                    when = {v for r, v in theirs if r == "year"}
                    same = catalog[other].domain == catalog[item].domain and other != item
                    acted = sum(1 for f in mine & theirs if f[0] == cast)
                    same = same and acted >= least and not (years and when and years != when)
                    if same and _told_alike(catalog[item].title, catalog[other].title):
                        out.add(other)
        return out

    def items_with(self, fact: Fact) -> list[str]:
        index = self.fact_index.get(fact)
        if index is None:
            return []
        row = self.by_fact[index]
        return [self.space.ids[n] for n in row.indices]

    def names(self) -> dict[str, list[Fact]]:
        """Normalised fact value -> facts, for linking names in text (built on first use).
        A franchise is not among them: its titles name it (the linker's series)."""
        if self._names is None:
            names: dict[str, list[Fact]] = {}
            for fact in self.facts:
                if self.weight(fact) > 0 and fact[0] != FRANCHISE:  # said with and without
                    said = {normalize_title(v) for v in (fact[1], without_qualifier(fact[1]))}
                    said |= {_initials_joined(key) for key in said}  # "jk rowling"
                    for key in said:  # its qualifier: "Terry Turner (TV Program Creator)"
                        names.setdefault(key, []).append(fact)
            self._names = names
        return self._names

    def scores(
        self,
        items: Sequence[str] = (),
        facts: Sequence[Fact] = (),
        item_weights: Sequence[float] | None = None,
    ) -> np.ndarray:
        """Per-item bridge strength from seed items (through their facts) and seed facts."""
        weights = np.zeros(len(self.facts))
        positions = self.space.positions(items)
        if positions:
            w = (
                np.ones(len(positions))
                if item_weights is None
                else np.asarray(item_weights)[: len(positions)]
            )
            seed = sparse.csr_matrix(w[None, :]) @ self.incidence[positions]
            weights += np.asarray(seed.todense()).ravel()
        for fact in facts:
            index = self.fact_index.get(fact)
            if index is not None:
                weights[index] += 2.0  # a fact the user named is a strong, explicit preference
        if not weights.any():
            return np.zeros(len(self.space))
        weights *= self.idf
        return np.asarray(self.incidence @ weights).ravel()


def _title_words(title: str) -> set[str]:
    return {w for w in re.findall(r"\w+", title.casefold()) if len(w) > 2 and not w.isdigit()}


_INITIALS = re.compile(r"\b[a-z](?: [a-z]\b)+")


def _initials_joined(key: str) -> str:
    """``key`` with its run of initials written as one word: "j k rowling" -> "jk rowling",
    "george r r martin" -> "george rr martin" (people type names so)."""
    return _INITIALS.sub(lambda m: m.group().replace(" ", ""), key)


def _relations_by_domain(catalog) -> dict[str, set[str]]:
    """The relations each domain's items hold in their own attributes."""
    held: dict[str, set[str]] = {}
    for item in catalog:
        held.setdefault(item.domain, set()).update(r for r, v in item.attributes.items() if v)
    return held


def _values_by_domain(catalog) -> dict[tuple[str, str], set[str]]:
    """The domains whose items hold each fact in their own attributes."""
    held: dict[tuple[str, str], set[str]] = {}
    for item in catalog:
        for relation, values in item.attributes.items():
            for value in values:
                held.setdefault((relation, value), set()).add(item.domain)
    return held


def _value_of(relation: str, value: str, domain: str, held: dict) -> bool:
    """Whether a triple's fact may hold of an item of ``domain``: one that domain's items
    hold, or one no item's attributes hold. A film titled as its novel is not filed under the
    novel's genres ("Gone Baby Gone (movie): same genre as Gone with the Wind: Novel"; no
    film's own genres say Novel, Classics or English Literature)."""
    return domain in held.get((relation, value), {domain})


def _of_domain(relation: str, domain: str, held: dict[str, set[str]]) -> bool:
    """Whether a triple's ``relation`` may hold of an item of ``domain``: one that domain's
    items hold, or one no domain's attributes know. A book titled as its film is not given the
    film's cast by the film's triples ("Gone, Baby, Gone (book): same actor as The Shawshank
    Redemption: Morgan Freeman"); three books were, by 29 actor and director facts."""
    return relation in held.get(domain, ()) or not any(relation in r for r in held.values())


_NUMBER = re.compile(r"\d+|\b[a-z]+\b")  # "Part 2", "Part II", "Happy Feet Two", "Se7en"


def _told_alike(a: str, b: str, alike: float = 80.0) -> bool:
    """Whether two titles tell one work: near alike, with the same numbers ("Se7en", "Seven";
    not "Ghostbusters" and "Ghostbusters III", nor "Happy Feet Two")."""
    a, b = (normalize_title(without_qualifier(t)) for t in (a, b))
    said = [{NUMBERS.get(n, n) for n in _NUMBER.findall(t)} for t in (a, b)]
    numbers = [{n for n in words if n.isdigit()} for words in said]
    return numbers[0] == numbers[1] and fuzz.ratio(a, b) >= alike
