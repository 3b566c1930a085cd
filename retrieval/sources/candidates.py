"""Candidate generation: several small sources behind one interface, fused into one list.

Sources: dense retrieval from Chroma (over the recent context and over the profile), BM25
over titles and attributes, item co-occurrence, knowledge bridges and popularity. Each
returns its top items with scores; :class:`FusedGenerator` combines them with weighted
reciprocal-rank fusion (weights are config and tuned on validation data) and keeps every
source's score on each candidate for features, evidence and debugging.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from crossrec.retrieval.graph import Fact, KnowledgeGraph
from crossrec.retrieval.index.store import CatalogStore
from crossrec.retrieval.itemspace import ItemSpace
from crossrec.retrieval.sources.cooccur import ALSModel, Cooccurrence, Popularity
from crossrec.retrieval.sources.lexical import BM25Index, title_words

__all__ = [
    "ALSSource",
    "BM25Source",
    "Candidate",
    "CandidateQuery",
    "CandidateSource",
    "CooccurrenceSource",
    "DenseSource",
    "FusedGenerator",
    "FusionConfig",
    "KnowledgeSource",
    "PopularitySource",
]


@dataclass(frozen=True)
class CandidateQuery:
    """What candidate generation knows about the user at this turn."""

    text: str = ""
    history: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    domain: str | tuple[str, ...] | None = None
    exclude: frozenset[str] = frozenset()
    disliked: tuple[str, ...] = ()
    wish: tuple[Fact, ...] = ()  # facts the user's active wish maps onto ("funnier": Comedy)
    wish_texts: tuple[str, ...] = ()  # each wish in its words, where one message held several
    wish_words: tuple[str, ...] = ()  # what a pick's title should say: "in white" after a kind

    @property
    def texts(self) -> tuple[str, ...]:
        """What was asked: one text per wish where a message held several ("washi tape",
        "planner"), each its own anchor; else the query text."""
        return self.wish_texts or ((self.text,) if self.text.strip() else ())


@dataclass(frozen=True)
class Candidate:
    """A fused candidate with every source's score for it."""

    item_id: str
    score: float
    sources: dict[str, float] = field(default_factory=dict)


class CandidateSource(ABC):
    """One way of proposing items for a query."""

    name: str

    @abstractmethod
    def retrieve(self, query: CandidateQuery, k: int) -> list[tuple[str, float]]:
        """Up to ``k`` (item id, score) pairs, best first, honouring domain and exclusions."""


class _VectorSource(CandidateSource):
    """A source that scores every item as a numpy vector."""

    def __init__(self, space: ItemSpace):
        self.space = space

    @abstractmethod
    def scores(self, query: CandidateQuery) -> np.ndarray: ...

    def retrieve(self, query: CandidateQuery, k: int) -> list[tuple[str, float]]:
        mask = self.space.allowed(query.domain, query.exclude | set(query.disliked))
        return self.space.top(self.scores(query), k, mask)


class BM25Source(_VectorSource):
    name = "bm25"

    def __init__(self, space: ItemSpace, history_titles: int = 3):
        super().__init__(space)
        self.index = BM25Index([item.document() for item in (space.catalog[i] for i in space.ids)])
        self.history_titles = history_titles

    def scores(self, query: CandidateQuery) -> np.ndarray:
        recent = [
            self.space.catalog[i].title
            for i in query.history[-self.history_titles :]
            if i in self.space.catalog
        ]
        return self.index.scores(" ".join([query.text, *recent, *(f[1] for f in query.facts)]))


class _HistorySource(_VectorSource):
    """A source over a fitted model that scores every item for a history (``model.scores``)."""

    def __init__(self, model: Cooccurrence | ALSModel):
        super().__init__(model.space)
        self.model = model

    def scores(self, query: CandidateQuery) -> np.ndarray:
        return self.model.scores(query.history)


class CooccurrenceSource(_HistorySource):
    name = "cooccurrence"


class ALSSource(_HistorySource):
    """Items a matrix factorisation of the training histories predicts for the profile."""

    name = "als"


class KnowledgeSource(_VectorSource):
    name = "knowledge"

    def __init__(self, graph: KnowledgeGraph, recent: int = 10):
        super().__init__(graph.space)
        self.graph = graph
        self.recent = recent
        self._title_words: list[frozenset[str]] | None = None

    def scores(self, query: CandidateQuery) -> np.ndarray:
        """Bridges from the history, the named facts and the wish's facts, each by how few items
        hold it; a seller's shelf by its kind's (:meth:`KnowledgeGraph.kind_path`): "inkjet
        printer ink blake printing supply", one item, fits "printer ink" no better than HP's
        own ink, so what was named decides: "ink for my HP printer" is HP's ink."""
        history = query.history[-self.recent :]
        weights = [0.85 ** (len(history) - 1 - n) for n in range(len(history))]
        scores = self.graph.scores(history, query.facts, weights)
        index, held, idf = self.graph.fact_index, [], []
        for relation, value in query.wish:
            if (relation, value) in index:
                kind = index.get((relation, self.graph.kind_path(value)), index[relation, value])
                held.append(index[relation, value])
                idf.append(self.graph.idf[kind])
        if held:
            wished = self.graph.incidence[:, held] @ (2.0 * np.asarray(idf))
            scores = scores + wished + self._titled(query.wish_words, wished > 0) * max(idf)
        return np.asarray(scores).ravel()

    def _titled(self, words: Sequence[str], among: np.ndarray) -> np.ndarray:
        """How many of ``words`` the titles of the items ``among`` say: "beads for a 7 year
        old" is the 34 beads titled "kids" of the 1,233 filed under beads (the rest, ranked by
        knowledge alone, filled the list)."""
        said = np.zeros(len(self.space.ids))
        words = [w.casefold().removesuffix("s") for w in words]
        if not words:
            return said
        if self._title_words is None:
            catalog = self.space.catalog
            self._title_words = [title_words(catalog[i].title) for i in self.space.ids]
        for n in np.flatnonzero(np.asarray(among).ravel()):
            said[n] = sum(w in self._title_words[n] for w in words)
        return said


class PopularitySource(_VectorSource):
    name = "popularity"

    def __init__(self, model: Popularity):
        super().__init__(model.space)
        self.model = model

    def scores(self, query: CandidateQuery) -> np.ndarray:
        return self.model.scores()


class DenseSource(CandidateSource):
    """Chroma nearest neighbours of the recent context and of the profile centroid."""

    name = "dense"

    def __init__(self, store: CatalogStore, recent: int = 10):
        self.store = store
        self.recent = recent

    def query_vectors(self, query: CandidateQuery) -> list[np.ndarray]:
        vectors = [self.store.embedder.embed_query(text) for text in query.texts]
        history = list(query.history[-self.recent :])
        if history:
            stored = self.store.vectors(history)
            rows = [stored[i] for i in history if i in stored]
            if rows:
                weights = np.array([0.85 ** (len(rows) - 1 - n) for n in range(len(rows))])
                centroid = (np.vstack(rows) * weights[:, None]).sum(0)
                vectors.append(centroid / max(np.linalg.norm(centroid), 1e-9))
        return vectors

    def retrieve(self, query: CandidateQuery, k: int) -> list[tuple[str, float]]:
        exclude = set(query.exclude) | set(query.disliked)
        best: dict[str, float] = {}
        place: dict[str, int] = {}  # an item's best place in any one vector's hits
        for vector in self.query_vectors(query):
            hits = self.store.search(vector, k=k, domain=query.domain, exclude=exclude)
            for n, hit in enumerate(hits):
                best[hit.item_id] = max(best.get(hit.item_id, -1.0), hit.score)
                place[hit.item_id] = min(place.get(hit.item_id, n), n)
        if len(query.wish_texts) > 1:  # each wish its share: "planner" titles are nearer to
            # "planner" than washi tapes are to "washi tape", and would fill the list
            return sorted(best.items(), key=lambda kv: (place[kv[0]], -kv[1], kv[0]))[:k]
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


@dataclass
class FusionConfig:
    """Weighted reciprocal-rank fusion of the candidate sources."""

    weights: dict[str, float] = field(
        default_factory=lambda: {
            "dense": 1.0,
            "bm25": 0.5,
            "cooccurrence": 1.0,
            "knowledge": 1.0,
            "popularity": 0.1,
        },
        metadata={"help": "weight per source name; 0 disables a source"},
    )
    rrf_k: float = field(
        default=10.0, metadata={"help": "RRF constant: larger flattens rank differences"}
    )
    per_source: int = field(default=100, metadata={"help": "items each source proposes"})
    rerank_weight: float = field(
        default=1.0,
        metadata={
            "help": "weight of the retrieval-rank prior when fused with the LLM reranker's scores"
        },
    )

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.weights.items() if v < 0}
        if bad:
            raise ValueError(f"fusion weights must be >= 0, got {bad}")
        if self.rerank_weight < 0:
            raise ValueError(f"rerank_weight must be >= 0, got {self.rerank_weight}")
        if self.rrf_k <= 0 or self.per_source < 1:
            raise ValueError(
                f"rrf_k must be > 0 and per_source >= 1, got {self.rrf_k}, {self.per_source}"
            )


class FusedGenerator:
    """Runs the sources and fuses their rankings."""

    def __init__(self, sources: Sequence[CandidateSource], config: FusionConfig | None = None):
        self.sources = list(sources)
        self.config = config or FusionConfig()
        unknown = set(self.config.weights) - {s.name for s in self.sources}
        self.unused_weights = sorted(unknown)

    def source(self, name: str) -> CandidateSource | None:
        return next((s for s in self.sources if s.name == name), None)

    def rankings(self, query: CandidateQuery) -> dict[str, list[tuple[str, float]]]:
        """Each enabled source's own ranking."""
        return {
            s.name: s.retrieve(query, self.config.per_source)
            for s in self.sources
            if self.config.weights.get(s.name, 0.0) > 0
        }

    def fuse(self, rankings: dict[str, list[tuple[str, float]]], k: int) -> list[Candidate]:
        fused: dict[str, float] = {}
        per_item: dict[str, dict[str, float]] = {}
        for name, ranking in rankings.items():
            weight = self.config.weights.get(name, 0.0)
            for rank, (item_id, score) in enumerate(ranking):
                fused[item_id] = fused.get(item_id, 0.0) + weight / (self.config.rrf_k + rank + 1)
                per_item.setdefault(item_id, {})[name] = score
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [Candidate(i, fused[i], per_item[i]) for i in order]

    def generate(self, query: CandidateQuery, k: int = 50) -> list[Candidate]:
        """The top ``k`` fused candidates for ``query``."""
        return self.fuse(self.rankings(query), k)
