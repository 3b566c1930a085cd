"""The ranking stage: which fused candidates a person would accept, before and after the LLM.

Each candidate gets a few signals computed from data (:class:`Signals`): does it fit the
active wish, does it share a *specific* fact with what the user named (a writer, director,
actor or brand, or a fact they named themselves; not a genre or a year, which group hundreds
of items), and is it a *title echo* (shares words with a named title but no fact and no
co-occurrence with it: Mansfield Park -> Wicker Park). :class:`TieredRanking` orders by tier
(wish fit, then specific link, then not an echo) and keeps the retrieval / LLM order inside a
tier, so the LLM still decides among comparable picks. ``FusedOrder`` is the shipped order
before this stage, kept for side-by-side evaluation.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from crossrec.retrieval.cooccur import Cooccurrence
from crossrec.retrieval.graph import Fact, KnowledgeGraph
from crossrec.retrieval.lexical import tokenize

__all__ = ["RANKINGS", "FusedOrder", "RankingStage", "Signals", "TieredRanking", "signals"]


@dataclass(frozen=True)
class Signals:
    """What one candidate has to do with the request."""

    fits_wish: bool = False
    specific: float = 0.0  # weight of the strongest specific fact shared with what was named
    echo: bool = False


def _title_words(title: str) -> set[str]:
    return {w for w in tokenize(title) if len(w) > 2 and not w.isdigit()}


def signals(
    item_id: str,
    named: Sequence[str],
    named_facts: Sequence[Fact],
    wish_facts: Sequence[Fact],
    graph: KnowledgeGraph,
    grouping: frozenset[str],
    cooccurrence: Cooccurrence | None = None,
) -> Signals:
    """The :class:`Signals` of ``item_id`` for a request that named ``named`` and ``named_facts``."""
    catalog = graph.space.catalog
    own = set(graph.facts_of(item_id))
    fits = bool(own & set(wish_facts))
    specific = max((graph.weight(f) + 2.0 for f in named_facts if f in own), default=0.0)
    words = _title_words(catalog[item_id].title)
    echo = False
    for other in named:
        if other == item_id or other not in catalog:
            continue
        shared = [f for f in graph.shared(item_id, other) if f[0] not in grouping]
        if shared:
            specific = max(specific, graph.weight(shared[0]))
        linked = bool(graph.shared(item_id, other)) or (
            cooccurrence is not None and cooccurrence.neighbours(item_id, other) > 0
        )
        if not linked and words & _title_words(catalog[other].title):
            echo = True
    return Signals(fits, specific, echo)


class RankingStage(ABC):
    """Orders candidates (best first) given their signals; the LLM reranks within the head."""

    name: str

    @abstractmethod
    def order(self, ids: Sequence[str], sig: dict[str, Signals], wish: bool) -> list[str]:
        """``ids`` reordered; ``wish`` says whether a wish is active."""


class FusedOrder(RankingStage):
    """The retrieval (and LLM) order as it is: the behaviour before the ranking stage."""

    name = "fused"

    def order(self, ids: Sequence[str], sig: dict[str, Signals], wish: bool) -> list[str]:
        return list(ids)


class TieredRanking(RankingStage):
    """Wish fit, then a specific shared fact, then not an echo; stable inside each tier."""

    name = "tiers"

    def order(self, ids: Sequence[str], sig: dict[str, Signals], wish: bool) -> list[str]:
        def tier(item_id: str) -> tuple[bool, bool, bool]:
            s = sig[item_id]
            return (wish and not s.fits_wish, s.specific <= 0, s.echo)

        return sorted(ids, key=tier)


RANKINGS: dict[str, type[RankingStage]] = {"fused": FusedOrder, "tiers": TieredRanking}
