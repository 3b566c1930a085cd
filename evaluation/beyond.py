"""Beyond accuracy: how varied, how broad and how unexpected a system's top k is.

- **intra-list diversity**: the mean pairwise distance between the items of one list, where two
  items' distance is 1 - the Jaccard overlap of their knowledge-graph facts (writer, genre,
  brand, category ...): a list of one writer's books scores low. Items without facts count as
  unlike everything. Averaged over the lists.
- **coverage**: the share of the catalog that appears in at least one list.
- **novelty**: the mean self-information -log2 p(i) of the listed items, p(i) being item i's
  share of the training interactions (add-one smoothed): a list of best-sellers scores low.

Each is computed on the same top-k lists the accuracy metrics read, per domain as well.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

__all__ = ["beyond_accuracy", "beyond_by_domain"]


def _distance(a: frozenset, b: frozenset) -> float:
    union = a | b
    return 1.0 - len(a & b) / len(union) if union else 1.0


def _diversity(items: Sequence[str], facts: dict[str, frozenset]) -> float:
    pairs = list(itertools.combinations(items, 2))
    if not pairs:
        return 0.0
    return sum(_distance(facts[a], facts[b]) for a, b in pairs) / len(pairs)


def beyond_accuracy(
    lists: Sequence[Sequence[str]], catalog, graph, popularity, k: int = 10
) -> dict[str, float]:
    """Diversity, coverage and novelty of ``lists`` cut to ``k`` (items outside the catalog
    are left out); ``popularity`` is the fitted :class:`~crossrec.retrieval.Popularity`."""
    tops = [[i for i in ranking if i in catalog][:k] for ranking in lists]
    listed = {i for top in tops for i in top}
    facts = {i: frozenset(graph.facts_of(i)) for i in listed}
    counts, position = popularity.counts, popularity.space.position
    total = float(counts.sum()) + len(counts)

    def information(item: str) -> float:
        seen = counts[position[item]] if item in position else 0.0
        return -math.log2((seen + 1.0) / total)

    shown = [i for top in tops for i in top]
    return {
        "intra_list_diversity": sum(_diversity(t, facts) for t in tops) / len(tops)
        if tops
        else 0.0,
        "coverage": len(listed) / len(catalog) if len(catalog) else 0.0,
        "novelty": sum(map(information, shown)) / len(shown) if shown else 0.0,
    }


def beyond_by_domain(rankings: dict[str, list[str]], samples, retrieval, k: int = 10) -> dict:
    """:func:`beyond_accuracy` over all samples' lists, and per target domain ("per_domain")."""
    catalog = retrieval.dataset.catalog

    def over(subset) -> dict[str, float]:
        lists = [rankings[s.key] for s in subset]
        return beyond_accuracy(lists, catalog, retrieval.graph, retrieval.popularity, k)

    result = over(samples)
    domains = sorted({s.target_domain for s in samples})
    result["per_domain"] = {d: over([s for s in samples if s.target_domain == d]) for d in domains}
    return result
