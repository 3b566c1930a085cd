"""Side-by-side reranking quality: retrieval order vs zero-shot base model vs LoRA adapter.

Every system reorders the same K fused candidates of each validation row, so the numbers
differ only by the ranking. Recall@k counts a row as a hit if a target is in the first k;
``label_accuracy`` is recall@1 over the rows whose target is among the candidates at all.
Rows without a target among the candidates are a miss under every order, so the models only
score the other rows (the metrics are the same as scoring all; on Amazon it is 9x cheaper).
Each model's fusion with the retrieval rank is reported at the catalog's weight, over the
weight grid, and cross-fitted (each half of the rows ranked with the weight best on the other).
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from crossrec.finetune.ltr import learned_order, load_ranker
from crossrec.finetune.model import DEFAULT_MODEL
from crossrec.finetune.prompting import PromptBuilder, RerankInput, build_rerank_input
from crossrec.finetune.rerank import fuse_scores, make_reranker
from crossrec.retrieval import (
    Decision,
    EntityLinker,
    EvidenceFinder,
    Retrieval,
    Runtime,
    candidate_query,
    decisions,
)

__all__ = [
    "FUSION_GRID",
    "RERANK_SYSTEMS",
    "RerankEvalConfig",
    "best_weight",
    "build_inputs",
    "cross_fitted",
    "ranking_metrics",
    "reachable_rows",
    "run_rerank_eval",
    "score_reachable",
]

# zero_shot reads label tokens (LlamaRec style), zero_shot_line the per-line read-out of the
# base model, lora the shipped adapter in the mode it was trained for.
RERANK_SYSTEMS = ("zero_shot", "zero_shot_line", "lora")
FUSION_GRID = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0)


@dataclass
class RerankEvalConfig:
    """What ``crossrec rerank-eval`` compares, on which rows, and where the report goes."""

    dataset: str = field(
        default="",
        metadata={
            "required": True,
            "choices": ("opendialkg", "amazon_arts_office"),
            "help": "dataset",
        },
    )
    split: str = field(default="valid", metadata={"choices": ("valid", "test"), "help": "split"})
    limit: int = field(default=0, metadata={"help": "evaluate a seeded subset of N rows"})
    model: str = field(
        default=DEFAULT_MODEL,
        metadata={"help": "base model name, Hugging Face id or folder (the adapter must fit it)"},
    )
    adapter: str | None = field(
        default=None, metadata={"help": "adapter folder (default: the shipped adapter)"}
    )
    num_candidates: int = field(default=20, metadata={"help": "candidates per row"})
    seed: int = field(default=0, metadata={"help": "seed of the row subset and the halves"})
    batch_size: int = field(default=4, metadata={"help": "prompts per forward pass"})
    fusion_weight: float | None = field(
        default=None, metadata={"help": "LLM/retrieval weight (default: the catalog's tuned one)"}
    )
    ranking: str = field(
        default="fused",
        metadata={
            "choices": ("fused", "learned"),
            "help": "candidates in the fused order, or the learned stage's (as the agent ranks)",
        },
    )
    systems: tuple[str, ...] = field(
        default=RERANK_SYSTEMS,
        metadata={"comma": True, "help": "rerankers to compare with the retrieval order"},
    )
    out: Path | None = field(default=None, metadata={"help": "also write the report as JSON here"})
    tune_weight: bool = field(
        default=False,
        metadata={
            "help": "write the best LLM/retrieval fusion weight to <cache>/fusion/NAME.yaml, "
            "which overlays the shipped fusion file (the package is never written)"
        },
    )

    def __post_init__(self) -> None:
        unknown = set(self.systems) - set(RERANK_SYSTEMS)
        if unknown:
            raise ValueError(
                f"unknown rerank systems {sorted(unknown)}; choose from {RERANK_SYSTEMS}"
            )


def build_inputs(
    retrieval: Retrieval, rows: Sequence[Decision], k: int, ranker=None, pool: int = 100
) -> list[RerankInput]:
    """The reranker input of each row: its top-k candidates in retrieval order.

    With a learned ``ranker`` (a LightGBM booster) the order is the learned stage's over the
    ``pool`` fused candidates, as the agent ranks them before its LLM.
    """
    finder = EvidenceFinder(retrieval.graph, retrieval.cooccurrence)
    inputs = []
    for row in rows:
        if ranker is None:
            candidates = tuple(
                c.item_id for c in retrieval.generator.generate(candidate_query(row), k=k)
            )
        else:
            candidates = tuple(learned_order(retrieval, ranker, candidate_query(row), pool)[:k])
        inputs.append(
            build_rerank_input(finder, candidates, row.history, row.facts, row.dialog, row.domain)
        )
    return inputs


def ranking_metrics(
    orders: Sequence[Sequence[str]], targets: Sequence[Sequence[str]]
) -> dict[str, float]:
    """Recall@1/5/10 over all rows, and label accuracy over rows with a target among candidates."""
    firsts = []
    for order, wanted in zip(orders, targets, strict=True):
        hits = [n for n, item in enumerate(order) if item in set(wanted)]
        firsts.append(hits[0] + 1 if hits else None)
    reachable = [f for f in firsts if f is not None]
    out = {
        f"recall@{k}": float(np.mean([f is not None and f <= k for f in firsts]))
        for k in (1, 5, 10)
    }
    out["label_accuracy"] = float(np.mean([f == 1 for f in reachable])) if reachable else 0.0
    out["rows"] = len(firsts)
    out["rows_with_target_in_candidates"] = len(reachable)
    return out


def reachable_rows(inputs: Sequence[RerankInput], targets: Sequence[Sequence[str]]) -> list[int]:
    """The rows with a target among their candidates: the only ones a reranker can change."""
    return [n for n, i in enumerate(inputs) if set(i.candidates) & set(targets[n])]


def score_reachable(
    reranker, inputs: Sequence[RerankInput], reachable: Sequence[int]
) -> list[np.ndarray]:
    """Scores of the ``reachable`` rows; the others keep the retrieval order (all zeros).

    A row without a target among its candidates is a miss under every order, so every metric
    of ``ranking_metrics`` is the same as scoring all rows.
    """
    scores = [np.zeros(len(i.candidates)) for i in inputs]
    for n, row_scores in zip(
        reachable, reranker.score([inputs[n] for n in reachable]), strict=True
    ):
        scores[n] = np.asarray(row_scores)
    return scores


def _order(inp: RerankInput, scores: np.ndarray) -> list[str]:
    return [inp.candidates[n] for n in np.argsort(-scores, kind="stable")]


def _grid(inputs, scores, targets, rows: Sequence[int]) -> dict[str, dict[str, float]]:
    """Recall@1/5/10 of the fused order over ``rows`` at every weight of the grid."""
    grid = {}
    for weight in FUSION_GRID:
        orders = [_order(inputs[n], fuse_scores(scores[n], weight)) for n in rows]
        m = ranking_metrics(orders, [targets[n] for n in rows])
        grid[str(weight)] = {k: m[k] for k in ("recall@1", "recall@5", "recall@10")}
    return grid


def best_weight(grid: dict[str, dict[str, float]]) -> float:
    """The grid's weight with the best recall@10 + recall@1; ties go to the smaller weight."""
    return float(max(grid, key=lambda w: (grid[w]["recall@10"] + grid[w]["recall@1"], -float(w))))


def cross_fitted(
    inputs: Sequence[RerankInput],
    scores: Sequence[np.ndarray],
    targets: Sequence[Sequence[str]],
    seed: int = 0,
) -> tuple[dict[str, float], list[float]]:
    """Metrics of the fused order with the weight tuned on the *other* half of the rows.

    The rows are split in two at random; each half is ranked with the weight that is best on
    the other half. Unlike the grid's best weight, this estimate does not tune on the rows it
    measures. Returns the metrics over all rows and the two weights chosen.
    """
    perm = np.random.default_rng(seed).permutation(len(inputs))
    halves = [sorted(perm[: len(perm) // 2]), sorted(perm[len(perm) // 2 :])]
    orders: list[list[str]] = [[] for _ in inputs]
    weights = []
    for measured, tuned_on in ((halves[0], halves[1]), (halves[1], halves[0])):
        weight = best_weight(_grid(inputs, scores, targets, tuned_on))
        weights.append(weight)
        for n in measured:
            orders[n] = _order(inputs[n], fuse_scores(scores[n], weight))
    return ranking_metrics(orders, targets), weights


# long by design: one report assembled system by system, in the order it is printed
def run_rerank_eval(config: RerankEvalConfig, runtime: Runtime) -> dict:
    """Score the rows with all systems in one run and return the report."""
    from crossrec.finetune.adapter import adapter_mode, load_adapter, shipped_adapter_path
    from crossrec.finetune.model import ModelConfig, load_base_model

    retrieval = runtime.retrieval(config.dataset)
    linker = EntityLinker(retrieval.dataset.catalog, retrieval.graph)
    rows = decisions(retrieval.dataset, config.split, linker)
    if config.limit and config.limit < len(rows):
        rows = random.Random(config.seed).sample(rows, config.limit)
    ranker = None
    if config.ranking == "learned":
        ranker = load_ranker(config.dataset, runtime.cache)
    inputs = build_inputs(retrieval, rows, config.num_candidates, ranker)
    targets = [r.targets for r in rows]
    adapter = config.adapter or str(shipped_adapter_path())
    model, tokenizer = load_base_model(
        ModelConfig(name=config.model, device=runtime.device), cache_dir=runtime.cache
    )
    builder = PromptBuilder(retrieval.dataset.catalog, tokenizer)
    report: dict = {
        "dataset": config.dataset,
        "split": config.split,
        "model": config.model,
        "adapter": adapter,
        "num_candidates": config.num_candidates,
        "ranking": config.ranking,
        "systems": {},
        "seconds": {},
    }
    report["systems"]["retrieval_order"] = ranking_metrics([i.candidates for i in inputs], targets)
    reachable = reachable_rows(inputs, targets)
    report["rows_scored"] = len(reachable)
    timings = {}
    for name, mode in (
        ("zero_shot", "label"),
        ("zero_shot_line", "line"),
        ("lora", adapter_mode(adapter)),
    ):
        if name not in config.systems:
            continue
        if name == "lora":
            model = load_adapter(model, adapter)
        reranker = make_reranker(mode, model, tokenizer, builder, batch_size=config.batch_size)
        start = time.perf_counter()
        scores = score_reachable(reranker, inputs, reachable)
        timings[name] = time.perf_counter() - start
        report["systems"][name] = ranking_metrics(
            [_order(i, s) for i, s in zip(inputs, scores, strict=True)], targets
        )
        weight = (
            retrieval.generator.config.rerank_weight
            if config.fusion_weight is None
            else config.fusion_weight
        )
        fused = [fuse_scores(s, weight) for s in scores]
        report["systems"][f"{name}+retrieval"] = ranking_metrics(
            [_order(i, s) for i, s in zip(inputs, fused, strict=True)], targets
        )
        grid = _grid(inputs, scores, targets, range(len(inputs)))
        crossfit, weights = cross_fitted(inputs, scores, targets, seed=config.seed)
        report["systems"][f"{name}+retrieval_crossfit"] = crossfit
        report[f"{name}_crossfit_weights"] = weights
        report[f"{name}_fusion_weight_grid"] = grid
    report["seconds"] = {k: round(v, 1) for k, v in timings.items()}
    report["seconds_per_scored_row"] = {
        k: round(v / max(report["rows_scored"], 1), 3) for k, v in timings.items()
    }
    return report
