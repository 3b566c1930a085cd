"""What a user wishes for, apart from what they named: "something funnier", "no horror".

:func:`split_wishes` takes the words of a message that are neither a linked name nor a way of
asking ("any books I'd like?"), clause by clause, and tells a wish ("for my kids") from an
exclusion ("nothing scary"). :class:`WishMapper` maps each onto the catalog's own facts by
embedding the wish against every fact value that groups items (genres, languages, eras,
categories, brands): no per-dataset table, so it works for any catalog. A wish that maps onto
nothing is kept as text and the reply says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from crossrec.retrieval import (
    Fact,
    KnowledgeGraph,
    domain_cues,
    domain_names,
    other_domains,
    stopwords,
)

__all__ = ["Wish", "WishMapper", "request_words", "split_wishes"]

_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
_YEAR = re.compile(r"(?<!\d)((?:1[89]|20)\d\d)(s?)(?!\d)")  # "1975", "1980s"
_CLAUSE = re.compile(r"[.!?;,\n]+|\bbut\b|\band\b|\bhowever\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:no|not|nothing|none|without|less|avoid|except|hate|hated|dislike|don'?t|doesn'?t|"
    r"never|skip|anything but|stop)\b",
    re.IGNORECASE,
)
_OLDER = frozenset({"older", "old", "classic", "classics", "vintage", "earlier"})
_NEWER = frozenset({"newer", "recent", "modern", "latest", "newest", "later"})


@cache
def _word_list(name: str) -> frozenset[str]:
    """One of the package's word lists (``agent/words/NAME.txt``), read once."""
    text = resources.files("crossrec.agent").joinpath(f"words/{name}.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def request_words() -> frozenset[str]:
    """The asking words ("recommend", "suggest", ...) that are not part of a wish."""
    return _word_list("request_words")


@cache
def _not_wishes(domains: tuple[str, ...]) -> frozenset[str]:
    """Stopwords, asking words and the words that only name a domain (and their plurals); a
    cue word naming a kind of thing in a domain ("drawing", "binders") stays a wish."""
    ignore = set(stopwords() | request_words())
    for domain in (*domains, *other_domains()):
        cues = (*domain_names().get(domain, ()), *other_domains().get(domain, ()), domain)
        if domain not in domain_names():  # a brought catalog's domain: every cue names it
            cues += domain_cues().get(domain, ())
        ignore |= {w for cue in cues for w in (cue.lower(), cue.lower() + "s")}
    return frozenset(ignore)


@dataclass(frozen=True)
class Wish:
    """A wish in the user's words and the catalog facts it maps onto (empty: not understood)."""

    text: str
    negative: bool = False
    facts: tuple[Fact, ...] = ()
    similarity: float = 0.0

    @property
    def understood(self) -> bool:
        return bool(self.facts)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "negative": self.negative,
            "facts": [list(f) for f in self.facts],
            "similarity": round(self.similarity, 4),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Wish:
        facts = tuple(tuple(f) for f in data.get("facts", ()))
        return cls(str(data["text"]), bool(data.get("negative")), facts, data.get("similarity", 0))


def split_wishes(
    message: str,
    spans: Iterable[tuple[int, int]],
    domains: Sequence[str],
    max_words: int = 8,
    max_wishes: int = 3,
) -> list[tuple[str, bool]]:
    """``(wish words, negative)`` per clause of ``message``, outside the linked ``spans``.

    The domain's cue words ("books", "watch"), stopwords and asking words are not a wish, so
    "I loved the movie Fight Club. Any books I'd like?" has none. Only the last
    ``max_wishes`` clauses with a wish count (a pasted essay is not a hundred wishes).
    """
    masked = list(message)
    for start, end in spans:
        masked[start:end] = " " * (end - start)
    text = "".join(masked)
    ignore = _not_wishes(tuple(domains))
    out = []
    for clause in _CLAUSE.split(text):
        negative = bool(_NEGATION.search(clause))
        words = [w for w in _WORD.findall(clause.casefold()) if len(w) > 2]
        words = [w for w in words if w not in ignore and w not in _word_list("negation_words")]
        words += ["".join(m) for m in _YEAR.findall(clause)]
        if words:
            out.append((" ".join(words[:max_words]), negative))
    return out[-max_wishes:]


class WishMapper:
    """Maps wish text onto the catalog facts whose values it means, by embedding similarity.

    Only facts that group items are candidates: relations whose most common value covers at
    least ``min_share`` of the catalog (genre, language, category, brand; not actors), values
    held by at least ``min_items`` items. Value vectors are computed on first use.
    """

    def __init__(
        self,
        graph: KnowledgeGraph,
        embedder,
        min_similarity: float = 0.52,
        margin: float = 0.06,
        max_facts: int = 4,
        min_items: int = 3,
        min_share: float = 0.02,
    ):
        self.graph = graph
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.margin = margin
        self.max_facts = max_facts
        grouping = graph.grouping_relations(min_share)
        self.facts: list[Fact] = [
            f
            for f, df in zip(graph.facts, graph.df, strict=True)
            if f[0] in grouping and df >= min_items
        ]
        self._vectors: np.ndarray | None = None

    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            values = [value for _, value in self.facts]
            self._vectors = np.asarray(self.embedder.embed(values), dtype=np.float32).reshape(
                len(values), -1
            )
        return self._vectors

    def map(self, text: str, negative: bool = False, history: Sequence[str] = ()) -> Wish:
        """The wish ``text`` with the facts it means (the best phrase or word match).

        "older" / "newer" map onto years before / after the ``history`` items' (or the
        catalog's quartiles without one), where the catalog has a ``year`` relation.
        """
        if not self.facts or not text.strip():
            return Wish(text, negative)
        era = self._years(text)
        era = era if era is not None else self._era(text, history)
        if era is not None:
            return Wish(text, negative, era, 1.0)
        if self.embedder is None:
            return Wish(text, negative)
        phrases = list(dict.fromkeys([text, *text.split()]))
        queries = np.asarray([self.embedder.embed_query(p) for p in phrases], dtype=np.float32)
        similarity = (self.vectors() @ queries.T).max(axis=1)
        best = float(similarity.max())
        if best < self.min_similarity:
            return Wish(text, negative, (), best)
        order = np.argsort(-similarity)[: self.max_facts]
        facts = tuple(self.facts[n] for n in order if similarity[n] >= best - self.margin)
        return Wish(text, negative, facts, best)

    def _years(self, text: str) -> tuple[Fact, ...] | None:
        """The catalog's year facts a wish names: "1975", or a decade, "1980s"."""
        wanted: set[str] = set()
        for year, decade in _YEAR.findall(text):
            start = int(year) - (int(year) % 10 if decade else 0)
            wanted |= {str(y) for y in range(start, start + (10 if decade else 1))}
        if not wanted:
            return None
        return tuple(f for f in self.graph.facts if f[0] == "year" and f[1] in wanted)

    def _era(self, text: str, history: Sequence[str]) -> tuple[Fact, ...] | None:
        words = set(text.split())
        older, newer = bool(words & _OLDER), bool(words & _NEWER)
        if older == newer:
            return None
        years = {f: int(f[1]) for f in self.graph.facts if f[0] == "year" and f[1].isdigit()}
        if not years:
            return None
        mine = [years[f] for h in history for f in self.graph.facts_of(h) if f in years]
        pool = mine or list(years.values())
        if older:
            cutoff = min(mine) if mine else int(np.percentile(pool, 25))
            return tuple(f for f, y in years.items() if y < cutoff)
        cutoff = max(mine) if mine else int(np.percentile(pool, 75))
        return tuple(f for f, y in years.items() if y > cutoff)
