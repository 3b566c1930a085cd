"""Ranking metrics for next-item and conversational recommendation.

Every function takes ``ranked``, the producer's list of item ids, best first, and
``targets``, the ids that count as relevant (one per sample in our protocol; several are
supported). Conventions shared by all functions:

* The order of ``ranked`` is authoritative. Ties in the producer's scores must already be
  broken in that order; nothing here looks at scores.
* A repeated id in ``ranked`` counts only at its first position; later copies are dropped
  before cutting at ``k``, so the top ``k`` are the first ``k`` distinct ids.
* Relevance is binary and ``targets`` is treated as a set.
* ``k`` larger than the list is fine; empty ``ranked`` scores 0; empty ``targets`` is an
  error, because recall over nothing is undefined.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Sequence

import numpy as np

__all__ = [
    "aggregate",
    "hit_rank",
    "latency_summary",
    "mrr",
    "ndcg_at_k",
    "recall_at_k",
]


def _target_set(targets: Collection[Hashable]) -> frozenset[Hashable]:
    found = frozenset(targets)
    if not found:
        raise ValueError("targets is empty; every sample needs at least one relevant item")
    return found


def _check_k(k: int, name: str = "k") -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {k!r}")


def _distinct(ranked: Iterable[Hashable], limit: int | None = None) -> list[Hashable]:
    """The first ``limit`` distinct ids of ``ranked``, in order."""
    seen: set[Hashable] = set()
    out: list[Hashable] = []
    for item in ranked:
        if limit is not None and len(out) >= limit:
            break
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def hit_rank(ranked: Sequence[Hashable], targets: Collection[Hashable]) -> int | None:
    """1-based rank of the first target among the distinct ids of ``ranked``, or None."""
    found = _target_set(targets)
    for rank, item in enumerate(_distinct(ranked), start=1):
        if item in found:
            return rank
    return None


def recall_at_k(ranked: Sequence[Hashable], targets: Collection[Hashable], k: int) -> float:
    """Share of the distinct targets found among the first ``k`` distinct ranked ids."""
    _check_k(k)
    found = _target_set(targets)
    hits = sum(1 for item in _distinct(ranked, k) if item in found)
    return hits / len(found)


def ndcg_at_k(ranked: Sequence[Hashable], targets: Collection[Hashable], k: int) -> float:
    """Binary-relevance NDCG@k with a ``1 / log2(rank + 1)`` discount.

    The ideal DCG puts a target at each of the first ``min(len(targets), k)`` ranks.
    """
    _check_k(k)
    found = _target_set(targets)
    dcg = sum(
        1.0 / math.log2(rank + 1)
        for rank, item in enumerate(_distinct(ranked, k), start=1)
        if item in found
    )
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(found), k) + 1))
    return dcg / ideal


def mrr(
    ranked: Sequence[Hashable], targets: Collection[Hashable], cutoff: int | None = None
) -> float:
    """Reciprocal rank of the first target; 0 when absent or ranked below ``cutoff``."""
    if cutoff is not None:
        _check_k(cutoff, "cutoff")
    rank = hit_rank(ranked, targets)
    if rank is None or (cutoff is not None and rank > cutoff):
        return 0.0
    return 1.0 / rank


def aggregate(
    samples: Iterable[tuple[Sequence[Hashable], Collection[Hashable]]],
    ks: Sequence[int] = (1, 5, 10, 50),
    ndcg_ks: Sequence[int] = (10,),
    mrr_cutoff: int | None = None,
) -> dict[str, float]:
    """Mean metrics over ``(ranked, targets)`` samples.

    Args:
        samples: One ``(ranked, targets)`` pair per evaluated sample.
        ks: Cut-offs for ``recall@k`` keys.
        ndcg_ks: Cut-offs for ``ndcg@k`` keys.
        mrr_cutoff: Optional cut-off for ``mrr`` (None: the whole list).

    Returns:
        ``recall@k`` for each ``k`` in ``ks``, ``ndcg@k`` for each in ``ndcg_ks``, ``mrr``,
        and ``n``, the number of samples (an int).

    Raises:
        ValueError: If there are no samples, a cut-off is not a positive integer, or a
            sample has no targets.
    """
    for k in (*ks, *ndcg_ks):
        _check_k(k)
    sums: dict[str, float] = {f"recall@{k}": 0.0 for k in ks}
    sums.update({f"ndcg@{k}": 0.0 for k in ndcg_ks})
    sums["mrr"] = 0.0
    n = 0
    for ranked, targets in samples:
        for k in ks:
            sums[f"recall@{k}"] += recall_at_k(ranked, targets, k)
        for k in ndcg_ks:
            sums[f"ndcg@{k}"] += ndcg_at_k(ranked, targets, k)
        sums["mrr"] += mrr(ranked, targets, mrr_cutoff)
        n += 1
    if n == 0:
        raise ValueError("no samples to aggregate")
    result = {key: value / n for key, value in sums.items()}
    result["n"] = n
    return result


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """Median, 95th percentile and mean of per-request latencies.

    Percentiles use numpy's default linear interpolation between closest ranks
    (``numpy.percentile(..., method="linear")``), so ``p50`` of an even-sized sample is the
    mean of the two middle values.

    Raises:
        ValueError: If ``seconds`` is empty or holds a negative or non-finite value.
    """
    values = np.asarray(seconds, dtype=float)
    if values.size == 0:
        raise ValueError("no latencies to summarise")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        bad = values[~np.isfinite(values) | (values < 0)][0]
        raise ValueError(f"latencies must be finite and >= 0, got {bad}")
    p50, p95 = np.percentile(values, [50, 95], method="linear")
    return {
        "p50": float(p50),
        "p95": float(p95),
        "mean": float(values.mean()),
        "n": int(values.size),
    }
