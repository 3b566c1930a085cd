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
    "interval",
    "latency_summary",
    "mrr",
    "ndcg_at_k",
    "paired_test",
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


def interval(values: Sequence[float], seed: int = 0, resamples: int = 2000) -> list[float]:
    """The bootstrap 95% interval of the mean of per-sample ``values`` (percentile method,
    ``scipy.stats.bootstrap``, seeded); ``[mean, mean]`` when every value is the same."""
    from scipy.stats import bootstrap

    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        raise ValueError("no values to bootstrap")
    if np.all(data == data[0]):
        return [float(data[0]), float(data[0])]
    result = bootstrap(
        (data,),
        np.mean,
        confidence_level=0.95,
        n_resamples=resamples,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    return [float(result.confidence_interval.low), float(result.confidence_interval.high)]


def paired_test(
    a: Sequence[float], b: Sequence[float], seed: int = 0, resamples: int = 2000
) -> dict[str, float | list[float]]:
    """``a`` against ``b`` on the same samples: the mean difference, its bootstrap 95%
    interval, and the two-sided p-value of a paired permutation test (signs of the per-sample
    differences flipped at random; ``scipy.stats.permutation_test``)."""
    from scipy.stats import permutation_test

    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if x.shape != y.shape or x.size == 0:
        raise ValueError(
            f"paired values must be two non-empty lists of one length: {x.size}, {y.size}"
        )
    diff = x - y
    if not diff.any():
        return {"difference": 0.0, "ci95": [0.0, 0.0], "p_value": 1.0, "n": int(x.size)}
    test = permutation_test(
        (x, y),
        lambda u, v: np.mean(u - v),
        permutation_type="samples",
        n_resamples=resamples,
        alternative="two-sided",
        rng=np.random.default_rng(seed),
    )
    return {
        "difference": float(diff.mean()),
        "ci95": interval(diff, seed, resamples),
        "p_value": float(test.pvalue),
        "n": int(x.size),
    }
