"""The learned ranking stage: LightGBM lambdarank over the fused candidates' features.

Training rows are the train split's decisions (OpenDialKG turns, Amazon lines). Their
candidates and features come from collaborative models that never saw them: the train groups
(dialogs, users) are split into folds, and each fold's rows are generated with co-occurrence
and popularity refit on the other folds only, so a row's own target never feeds its features.
Validation rows use the models fit on the whole train split, as at serving time. The model is
saved as LightGBM's text format in the cache (``<cache>/rankers/<name>.txt``); the package
ships one per built-in catalog plus a ``generic`` one (trained on both) that any other
catalog uses.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
from crossrec.retrieval import (
    FEATURES,
    EntityLinker,
    Retrieval,
    candidate_query,
    decisions,
    feature_matrix,
    training_sequences,
)

__all__ = [
    "RankerConfig",
    "RankingRows",
    "build_rows",
    "fused_scores",
    "hold_out_valid",
    "learned_order",
    "load_ranker",
    "ranker_path",
    "recall_at",
    "train_ranker",
]

log = logging.getLogger(__name__)


@dataclass
class RankerConfig:
    """How the learned ranker is trained."""

    pool: int = field(default=100, metadata={"help": "fused candidates per row"})
    train_rows: int = field(default=6000, metadata={"help": "train decisions used (0: all)"})
    valid_rows: int = field(default=0, metadata={"help": "validation decisions used (0: all)"})
    folds: int = field(default=2, metadata={"help": "cross-fitting folds of the train groups"})
    rounds: int = field(default=300, metadata={"help": "boosting rounds (early stopping on valid)"})
    learning_rate: float = field(default=0.05, metadata={"help": "LightGBM learning rate"})
    num_leaves: int = field(default=15, metadata={"help": "LightGBM leaves per tree"})
    min_data_in_leaf: int = field(default=50, metadata={"help": "LightGBM min rows per leaf"})
    seed: int = field(default=0, metadata={"help": "seed of the row subsets and folds"})

    def __post_init__(self) -> None:
        if self.pool < 20 or self.folds < 2 or self.rounds < 1:
            raise ValueError(
                f"pool must be >= 20, folds >= 2, rounds >= 1; got {self.pool}, {self.folds}, "
                f"{self.rounds}"
            )


@dataclass
class RankingRows:
    """Features, labels and per-row group sizes (LightGBM's query groups)."""

    features: np.ndarray
    labels: np.ndarray
    groups: list[int]
    rows: int = 0  # decisions, including those whose target is not among the candidates

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            features=self.features,
            labels=self.labels,
            groups=np.asarray(self.groups),
            rows=np.asarray(self.rows),
            names=np.asarray(FEATURES),
        )

    @classmethod
    def load(cls, path: Path) -> RankingRows:
        data = np.load(path)
        if tuple(data["names"]) != FEATURES:
            raise ValueError(f"{path} holds other features than this code computes; delete it")
        return cls(data["features"], data["labels"], data["groups"].tolist(), int(data["rows"]))

    def extend(self, other: RankingRows) -> RankingRows:
        return RankingRows(
            np.vstack([self.features, other.features]),
            np.concatenate([self.labels, other.labels]),
            self.groups + other.groups,
            self.rows + other.rows,
        )


def _rows_for(retrieval: Retrieval, rows, pool: int) -> RankingRows:
    grouping = retrieval.graph.grouping_relations()
    feats, labels, groups = [], [], []
    for row in rows:
        query = candidate_query(row)
        candidates = retrieval.generator.generate(query, k=pool)
        if not candidates:
            continue
        x, _ = feature_matrix(
            candidates,
            query,
            retrieval.graph,
            grouping,
            retrieval.cooccurrence,
            retrieval.popularity,
            retrieval.generator.config.per_source,
        )
        y = np.array([c.item_id in row.targets for c in candidates], np.float32)
        feats.append(x)
        labels.append(y)
        groups.append(len(candidates))
    if not feats:
        return RankingRows(np.zeros((0, len(FEATURES)), np.float32), np.zeros(0), [], len(rows))
    return RankingRows(np.vstack(feats), np.concatenate(labels), groups, len(rows))


def build_rows(
    retrieval: Retrieval, split: str, config: RankerConfig, cross_fit: bool
) -> RankingRows:
    """Candidate features of ``split``'s decisions; ``cross_fit`` refits per fold (train)."""
    dataset = retrieval.dataset
    linker = EntityLinker(dataset.catalog, retrieval.graph)
    rows = decisions(dataset, split, linker)
    limit = config.train_rows if split == "train" else config.valid_rows
    rng = random.Random(config.seed)
    if limit and len(rows) > limit:
        rows = rng.sample(rows, limit)
    if not cross_fit:
        return _rows_for(retrieval, rows, config.pool)
    groups = sorted({r.group for r in rows})
    rng.shuffle(groups)
    fold_of = {g: n % config.folds for n, g in enumerate(groups)}
    unsampled = _unsampled(dataset, fold_of)
    out = None
    try:
        for fold in range(config.folds):
            keep = {g for g, f in fold_of.items() if f != fold} | unsampled
            retrieval.refit(training_sequences(dataset, keep=keep))
            part = _rows_for(retrieval, [r for r in rows if fold_of[r.group] == fold], config.pool)
            out = part if out is None else out.extend(part)
    finally:
        retrieval.refit(training_sequences(dataset))
    return out


def hold_out_valid(retrieval: Retrieval, fraction: float = 0.1, seed: int = 0) -> int:
    """For a catalog brought with training logs only: move ``fraction`` of its train users or
    dialogs into a validation split (whole groups) and refit the statistics on the rest, so
    the ranker is early-stopped on rows it never saw. Returns the number of groups moved."""
    dataset = retrieval.dataset
    if "valid" in dataset.histories or "valid" in dataset.turns:
        return 0
    groups = sorted(
        {h.user_id for h in dataset.histories.get("train", [])}
        | {t.dialog_id for t in dataset.turns.get("train", [])}
    )
    random.Random(seed).shuffle(groups)
    held = set(groups[: max(1, int(len(groups) * fraction))])
    for split, group in ((dataset.histories, "user_id"), (dataset.turns, "dialog_id")):
        if "train" in split:
            rows = split["train"]
            split["valid"] = [r for r in rows if getattr(r, group) in held]
            split["train"] = [r for r in rows if getattr(r, group) not in held]
    retrieval.refit(training_sequences(dataset))
    return len(held)


def _unsampled(dataset, fold_of: dict[str, int]) -> set[str]:
    """Train groups with no sampled row: every fold's statistics may use them."""
    names = {r.user_id for r in dataset.histories.get("train", [])}
    names |= {t.dialog_id for t in dataset.turns.get("train", [])}
    return names - set(fold_of)


def train_ranker(train: RankingRows, valid: RankingRows | None, config: RankerConfig):
    """A LightGBM lambdarank booster, early-stopped on ``valid`` when given."""
    import lightgbm as lgb

    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "ndcg_eval_at": [1, 10],
        "learning_rate": config.learning_rate,
        "num_leaves": config.num_leaves,
        "min_data_in_leaf": config.min_data_in_leaf,
        "lambdarank_truncation_level": 20,
        "seed": config.seed,
        "deterministic": True,
        "num_threads": 2,
        "verbose": -1,
    }
    dtrain = lgb.Dataset(
        train.features, train.labels, group=train.groups, feature_name=list(FEATURES)
    )
    sets, callbacks = [], []
    if valid is not None and valid.groups:
        sets = [lgb.Dataset(valid.features, valid.labels, group=valid.groups, reference=dtrain)]
        callbacks = [lgb.early_stopping(30, verbose=False)]
    return lgb.train(params, dtrain, config.rounds, valid_sets=sets, callbacks=callbacks)


def recall_at(scores: np.ndarray, rows: RankingRows, ks=(1, 5, 10)) -> dict[str, float]:
    """Recall@k of an order given by ``scores`` (higher first), over every decision."""
    hits = dict.fromkeys(ks, 0)
    start = 0
    for size in rows.groups:
        s, y = scores[start : start + size], rows.labels[start : start + size]
        order = np.argsort(-s, kind="stable")
        for k in ks:
            hits[k] += bool(y[order[:k]].any())
        start += size
    return {f"recall@{k}": hits[k] / max(rows.rows, 1) for k in ks}


def learned_order(retrieval: Retrieval, booster, query, pool: int = 100) -> list[str]:
    """The learned stage's order of ``query``'s fused candidates (title echoes last, as the
    agent's :class:`~crossrec.agent.ranking.LearnedRanking` orders them without a wish)."""
    candidates = retrieval.generator.generate(query, k=pool)
    if not candidates:
        return []
    x, sigs = feature_matrix(
        candidates,
        query,
        retrieval.graph,
        retrieval.graph.grouping_relations(),
        retrieval.cooccurrence,
        retrieval.popularity,
        retrieval.generator.config.per_source,
    )
    scores = booster.predict(x)
    keys = sorted(range(len(candidates)), key=lambda n: (sigs[n].echo, -scores[n]))
    return [candidates[n].item_id for n in keys]


def fused_scores(rows: RankingRows) -> np.ndarray:
    """Scores that reproduce the fused order (the baseline the learned stage must beat)."""
    return -rows.features[:, FEATURES.index("fused_rank")]


def ranker_path(cache: Path, name: str) -> Path:
    return Path(cache) / "rankers" / f"{name}.txt"


def shipped_ranker_path(name: str) -> Path:
    return Path(str(resources.files("crossrec.finetune").joinpath("rankers", f"{name}.txt")))


def load_ranker(name: str, cache: Path | None = None):
    """The ranker trained into the cache, else the shipped one, else the shipped generic one."""
    import lightgbm as lgb

    candidates = [ranker_path(cache, name)] if cache is not None else []
    candidates += [shipped_ranker_path(name), shipped_ranker_path("generic")]
    for path in candidates:
        if path.is_file():
            log.info("learned ranker: %s", path)
            return lgb.Booster(model_file=str(path))
    return None
