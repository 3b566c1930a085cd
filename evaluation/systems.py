"""The systems compared in one evaluation run, behind one small interface.

Every system answers the same samples with a ranked list of catalog ids. Baselines reuse the
crossrec components they are named after, so the comparison isolates what each stage adds:
``popularity``, ``bm25``, ``dense`` and ``cooccurrence`` are single candidate sources,
``sasrec`` a sequential model (Amazon), ``fused`` the fused candidate generator, and
``zero_shot``/``full`` the agent reranking the fused candidates with the base LLM (line
read-out, same fusion with the retrieval rank) / the shipped adapter. All collaborative
statistics come from the train split only.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Sequence

from crossrec.agent import Recommender
from crossrec.evaluation.samples import Sample
from crossrec.retrieval import (
    CandidateQuery,
    CandidateSource,
    EntityLinker,
    Retrieval,
    dialog_query,
)

__all__ = ["AgentSystem", "FusedSystem", "SASRecSystem", "SourceSystem", "System", "sample_query"]


def sample_query(sample: Sample, linker: EntityLinker, recent: int = 3) -> CandidateQuery:
    """The query every system gets: the agent's own reading of the dialog, or the history."""
    if sample.context:
        return dialog_query(sample.context, linker, recent=recent)
    return CandidateQuery(
        history=sample.history, domain=sample.domain, exclude=frozenset(sample.history)
    )


class System(ABC):
    """Ranks catalog items for a sample."""

    name: str

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {}

    def _time(self, stage: str, seconds: float) -> None:
        self.latencies.setdefault(stage, []).append(seconds)

    @abstractmethod
    def rank(self, sample: Sample, k: int) -> list[str]:
        """Up to ``k`` catalog ids, best first."""


class SourceSystem(System):
    """One candidate source on its own."""

    def __init__(self, name: str, source: CandidateSource, linker: EntityLinker):
        super().__init__()
        self.name = name
        self.source = source
        self.linker = linker

    def rank(self, sample: Sample, k: int) -> list[str]:
        start = time.perf_counter()
        ranked = [i for i, _ in self.source.retrieve(sample_query(sample, self.linker), k)]
        self._time("total_s", time.perf_counter() - start)
        return ranked


class FusedSystem(System):
    """The fused candidate generator without reranking."""

    name = "fused"

    def __init__(self, retrieval: Retrieval, linker: EntityLinker):
        super().__init__()
        self.retrieval = retrieval
        self.linker = linker

    def rank(self, sample: Sample, k: int) -> list[str]:
        start = time.perf_counter()
        ranked = [
            c.item_id
            for c in self.retrieval.generator.generate(sample_query(sample, self.linker), k)
        ]
        self._time("total_s", time.perf_counter() - start)
        return ranked


class AgentSystem(System):
    """The agent's ranking (fused candidates reranked by its LLM), stage by stage timed."""

    def __init__(self, name: str, recommender: Recommender):
        super().__init__()
        self.name = name
        self.recommender = recommender

    def rank(self, sample: Sample, k: int) -> list[str]:
        timings: dict[str, float] = {}
        start = time.perf_counter()
        if sample.context:
            ranked = self.recommender.rank_dialog(sample.context, k, timings=timings)
        else:
            query = sample_query(sample, self.recommender.linker)
            ranked = self.recommender.rank(query, k, timings=timings)
        timings["total_s"] = time.perf_counter() - start
        for stage, seconds in timings.items():
            self._time(stage, seconds)
        return [i for i, _ in ranked]


class SASRecSystem(System):
    """A SASRec model trained on the train histories, ranking the target domain's items."""

    name = "sasrec"

    def __init__(self, model, retrieval: Retrieval):
        super().__init__()
        self.model = model
        self.space = retrieval.space

    def rank(self, sample: Sample, k: int) -> list[str]:
        start = time.perf_counter()
        scores = self.model.scores(self.space.positions(sample.history))
        mask = self.space.allowed(sample.domain, sample.history)
        ranked = [i for i, _ in self.space.top(scores, k, mask, positive_only=False)]
        self._time("total_s", time.perf_counter() - start)
        return ranked


def dedupe(ranked: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ranked))
