"""Collaborative signals learned from training interactions: co-occurrence, popularity and
matrix factorisation (ALS from the ``implicit`` library).

Both are fitted on sequences of item ids (a user's time-ordered history, or the items one
dialog mentioned and recommended) and never see validation or test data unless a caller
passes it in. Cross-domain pairs are kept: they are how a movie leads to a book.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from crossrec.retrieval.itemspace import ItemSpace
from scipy import sparse

__all__ = ["ALSModel", "Cooccurrence", "Popularity"]


class Cooccurrence:
    """Item-item similarity from windowed co-occurrence, cosine-normalised."""

    def __init__(
        self, space: ItemSpace, window: int = 10, decay: float = 0.8, forward_weight: float = 1.0
    ):
        """``forward_weight`` scales pairs read forwards in time (a before b) against backwards
        ones; 1.0 is symmetric co-occurrence, larger values favour what tends to come next."""
        self.space = space
        self.window = window
        self.decay = decay
        self.forward_weight = forward_weight
        self.matrix = sparse.csr_matrix((len(space), len(space)))
        self.counts = np.zeros(len(space))

    def fit(self, sequences: Iterable[Sequence[str]]) -> Cooccurrence:
        """Count pairs within ``window`` positions, weighted ``decay ** (distance - 1)``."""
        rows, cols, vals = [], [], []
        counts = np.zeros(len(self.space))
        for sequence in sequences:
            positions = self.space.positions(sequence)
            for n, a in enumerate(positions):
                counts[a] += 1
                for d, b in enumerate(positions[n + 1 : n + 1 + self.window], start=1):
                    if a != b:
                        w = self.decay ** (d - 1)
                        rows += [a, b]
                        cols += [b, a]
                        vals += [w * self.forward_weight, w]
        size = len(self.space)
        raw = sparse.csr_matrix((vals, (rows, cols)), shape=(size, size))
        raw.sum_duplicates()
        norm = 1.0 / np.sqrt(np.maximum(counts, 1.0))
        self.matrix = sparse.diags(norm) @ raw @ sparse.diags(norm)
        self.matrix = self.matrix.tocsr()
        self.counts = counts
        return self

    def scores(self, history: Sequence[str], weights: Sequence[float] | None = None) -> np.ndarray:
        """Similarity of every item to ``history`` (recent items weigh more by default)."""
        positions = self.space.positions(history)
        if not positions:
            return np.zeros(len(self.space))
        if weights is None:
            weights = [0.9 ** (len(positions) - 1 - n) for n in range(len(positions))]
        seed = np.zeros(len(self.space))
        for position, weight in zip(positions, weights, strict=False):
            seed[position] += weight
        return np.asarray(self.matrix.T @ seed).ravel()

    def neighbours(self, item_id: str, other: str) -> float:
        """Similarity of two items (0 when they never co-occurred)."""
        a, b = self.space.position.get(item_id), self.space.position.get(other)
        return float(self.matrix[a, b]) if a is not None and b is not None else 0.0

    def pair_count(self) -> int:
        return int(self.matrix.nnz)


class Popularity:
    """How often each item occurred in the training interactions."""

    def __init__(self, space: ItemSpace):
        self.space = space
        self.counts = np.zeros(len(space))

    def fit(self, sequences: Iterable[Sequence[str]]) -> Popularity:
        counts = np.zeros(len(self.space))
        for sequence in sequences:
            for position in self.space.positions(sequence):
                counts[position] += 1
        self.counts = counts
        return self

    def scores(self) -> np.ndarray:
        """log(1 + count): a prior that never outweighs a real signal by much."""
        return np.log1p(self.counts)


class ALSModel:
    """Implicit-feedback matrix factorisation (``implicit``'s alternating least squares).

    Fitted on one row per training sequence; a new history is folded in by solving for its
    user vector against the fitted item factors (no refit), so any profile can be scored.
    """

    def __init__(
        self,
        space: ItemSpace,
        factors: int = 128,
        regularization: float = 0.05,
        iterations: int = 15,
        alpha: float = 2.0,
        seed: int = 0,
    ):
        self.space = space
        self.factors = factors
        self.regularization = regularization
        self.iterations = iterations
        self.alpha = alpha
        self.seed = seed
        self.model = None

    def fit(self, sequences: Iterable[Sequence[str]]) -> ALSModel:
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        rows, cols = [], []
        for user, sequence in enumerate(sequences):
            for position in set(self.space.positions(sequence)):
                rows.append(user)
                cols.append(position)
        users = (max(rows) + 1) if rows else 0
        if users < 2:  # nothing to factorise
            self.model = None
            return self
        matrix = sparse.csr_matrix(
            (np.full(len(rows), self.alpha, np.float32), (rows, cols)),
            shape=(users, len(self.space)),
        )
        with threadpool_limits(1, "blas"):  # implicit's advice: its own loop, one BLAS thread
            self.model = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                iterations=self.iterations,
                random_state=self.seed,
                num_threads=1,
            )
            self.model.fit(matrix, show_progress=False)
        return self

    def scores(self, history: Sequence[str]) -> np.ndarray:
        """Predicted preference of every item for a user who has ``history``."""
        positions = sorted(set(self.space.positions(history)))
        if self.model is None or not positions:
            return np.zeros(len(self.space))
        row = sparse.csr_matrix(
            (np.full(len(positions), self.alpha, np.float32), ([0] * len(positions), positions)),
            shape=(1, len(self.space)),
        )
        user = np.asarray(self.model.recalculate_user(0, row)).ravel()
        return np.asarray(self.model.item_factors @ user).ravel()
