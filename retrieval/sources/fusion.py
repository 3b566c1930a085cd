"""Fusion weights per catalog: shipped defaults tuned on validation data, and the tuner.

``crossrec tune-fusion --dataset NAME`` grid-searches the source weights and the RRF constant
on the dataset's validation split (never test) and writes them to ``<cache>/fusion/<name>.yaml``
(or ``--out``), never into the installed package. :func:`default_fusion` reads that tuned file
when there is one, else the shipped ``retrieval/fusion/<name>.yaml``; other catalogs use
:class:`FusionConfig`'s defaults. To ship a tuned file, copy it into ``retrieval/fusion/``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from crossrec.retrieval.config import config_from_dict, config_to_dict
from crossrec.retrieval.sources.candidates import CandidateQuery, FusedGenerator, FusionConfig

__all__ = ["default_fusion", "fusion_path", "save_fusion", "tune_fusion", "tuned_fusion_path"]

GRID = {
    "dense": (0.5, 1.0, 2.0),
    "bm25": (0.0, 0.25, 0.5, 1.0),
    "cooccurrence": (0.5, 1.0, 2.0),
    "knowledge": (0.0, 0.5, 1.0, 2.0),
    "popularity": (0.0, 0.1, 0.3),
}
RRF_GRID = (5.0, 10.0, 20.0, 60.0)


def fusion_path(name: str) -> Path:
    """The shipped (read-only) fusion file of a built-in dataset."""
    return Path(str(resources.files("crossrec.retrieval").joinpath("fusion", f"{name}.yaml")))


def tuned_fusion_path(name: str, cache: Path | None = None) -> Path:
    """Where tuning writes a catalog's fusion: the cache (``CROSSREC_CACHE`` by default)."""
    if cache is None:
        from crossrec.retrieval.paths import Paths

        cache = Paths.resolve().cache
    return Path(cache) / "fusion" / f"{name}.yaml"


def default_fusion(name: str, cache: Path | None = None) -> FusionConfig:
    """The shipped fusion of a catalog (else the generic defaults), with what was tuned into
    the cache laid over it key by key (source weights one by one)."""
    data: dict = {}
    for path in (fusion_path(name), tuned_fusion_path(name, cache)):
        if path.is_file():
            layer = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            weights = {**data.get("weights", {}), **layer.get("weights", {})}
            data.update(layer)
            if weights:
                data["weights"] = weights
    return config_from_dict(FusionConfig, data) if data else FusionConfig()


def _contributions(
    rankings: dict[str, list[tuple[str, float]]],
    names: Sequence[str],
    rrf_k: float,
    targets: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """(sources x items reciprocal-rank terms, target mask) over the union of proposed items."""
    items = list(dict.fromkeys(i for n in names for i, _ in rankings.get(n, ())))
    column = {i: c for c, i in enumerate(items)}
    terms = np.zeros((len(names), len(items)))
    for row, name in enumerate(names):
        for rank, (item_id, _) in enumerate(rankings.get(name, ())):
            terms[row, column[item_id]] = 1.0 / (rrf_k + rank + 1)
    wanted = np.array([i in set(targets) for i in items], bool)
    return terms, wanted


def _hits(weights: np.ndarray, terms: np.ndarray, wanted: np.ndarray, k: int) -> np.ndarray:
    """For each weight row, 1 if a target is in the fused top k (ties broken against it)."""
    if not wanted.any():
        return np.zeros(len(weights))
    fused = weights @ terms
    if fused.shape[1] <= k:
        return (fused[:, wanted] > 0).any(axis=1).astype(float)
    kth = -np.partition(-fused, k - 1, axis=1)[:, k - 1]
    best_target = fused[:, wanted].max(axis=1)
    above = (fused > best_target[:, None]).sum(axis=1)
    return ((best_target > 0) & (above < k) & (best_target >= kth)).astype(float)


def tune_fusion(
    generator: FusedGenerator,
    queries: Sequence[CandidateQuery],
    targets: Sequence[Sequence[str]],
    k: int = 20,
    progress: Callable[[str], None] | None = None,
) -> tuple[FusionConfig, dict]:
    """Grid-search weights and RRF constant maximising recall@k of the fused list.

    Recall@k at the reranker's K is what matters: the reranker can only reorder what fusion
    puts in front of it.
    """
    base = generator.config
    names = [n for n in GRID if generator.source(n) is not None]
    generator.config = FusionConfig(weights=dict.fromkeys(names, 1.0), per_source=base.per_source)
    rankings = [generator.rankings(q) for q in queries]
    generator.config = base
    grid = np.array(list(itertools.product(*(GRID[n] for n in names))))
    grid = grid[grid.sum(axis=1) > 0]
    default = np.array([[base.weights.get(n, 0.0) for n in names]])
    scores: dict[float, np.ndarray] = {}
    default_hits = []
    for rrf_k in RRF_GRID:
        total = np.zeros(len(grid))
        for ranking, wanted_ids in zip(rankings, targets, strict=True):
            terms, wanted = _contributions(ranking, names, rrf_k, wanted_ids)
            total += _hits(grid, terms, wanted, k)
            if rrf_k == base.rrf_k:
                default_hits.append(_hits(default, terms, wanted, k)[0])
        scores[rrf_k] = total / max(len(queries), 1)
        if progress:
            progress(f"rrf_k={rrf_k}: best recall@{k}={scores[rrf_k].max():.4f}")
    rrf_k = max(scores, key=lambda r: scores[r].max())
    best = int(np.argmax(scores[rrf_k]))
    tuned = FusionConfig(
        weights={n: float(w) for n, w in zip(names, grid[best], strict=True)},
        rrf_k=rrf_k,
        per_source=base.per_source,
        rerank_weight=base.rerank_weight,
    )
    report = {f"tuned_recall@{k}": float(scores[rrf_k][best]), "queries": len(queries)}
    if default_hits:
        report[f"default_recall@{k}"] = float(np.mean(default_hits))
    return tuned, report


def save_fusion(config: FusionConfig, path: Path, note: str = "") -> None:
    text = (f"# {note}\n" if note else "") + yaml.safe_dump(config_to_dict(config), sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
