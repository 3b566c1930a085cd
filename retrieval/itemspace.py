"""Dense positions for catalog items, so per-item scores are numpy vectors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from crossrec.retrieval.datasets.schema import Catalog

__all__ = ["ItemSpace"]


class ItemSpace:
    """Item id <-> row position, with a boolean mask per domain."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.ids: list[str] = [item.id for item in catalog]
        self.position: dict[str, int] = {item_id: n for n, item_id in enumerate(self.ids)}
        domains = np.array([catalog[i].domain for i in self.ids])
        self.masks: dict[str, np.ndarray] = {d: domains == d for d in catalog.domains}

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, ids: Iterable[str]) -> list[int]:
        return [self.position[i] for i in ids if i in self.position]

    def allowed(
        self, domain: str | Sequence[str] | None, exclude: Iterable[str] = ()
    ) -> np.ndarray:
        """Mask of items in ``domain`` (all for None) minus ``exclude``."""
        if domain is None:
            mask = np.ones(len(self.ids), bool)
        elif isinstance(domain, str):
            mask = self.masks.get(domain, np.zeros(len(self.ids), bool)).copy()
        else:
            mask = np.zeros(len(self.ids), bool)
            for d in domain:
                mask |= self.masks.get(d, False)
        mask[self.positions(exclude)] = False
        return mask

    def top(
        self, scores: np.ndarray, k: int, mask: np.ndarray | None = None, positive_only: bool = True
    ) -> list[tuple[str, float]]:
        """The ``k`` best (id, score) pairs among allowed items, best first."""
        scores = scores.astype(np.float64, copy=True)
        if mask is not None:
            scores[~mask] = -np.inf
        if positive_only:
            scores[scores <= 0] = -np.inf
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.lexsort((best, -scores[best]))]
        return [(self.ids[n], float(scores[n])) for n in best]
