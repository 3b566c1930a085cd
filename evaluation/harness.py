"""``crossrec eval``: every system on the same held-out samples, in one run, with one report."""

from __future__ import annotations

import json
import platform
import shlex
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crossrec.evaluation.metrics import (
    aggregate,
    interval,
    latency_summary,
    paired_test,
    recall_at_k,
)
from crossrec.evaluation.samples import Sample
from crossrec.evaluation.systems import System
from tqdm.auto import tqdm

__all__ = [
    "ALL_SYSTEMS",
    "NEEDS_STORE",
    "EvalConfig",
    "compare_with_best_baseline",
    "evaluate_rankings",
    "run_systems",
]
AGENT_SYSTEMS = ("ranked", "zero_shot", "full")

ALL_SYSTEMS = (
    "popularity",
    "bm25",
    "dense",
    "cooccurrence",
    "sasrec",
    "fused",
    "ranked",
    "zero_shot",
    "full",
)
NEEDS_STORE = frozenset({"dense", "fused", "ranked", "zero_shot", "full"})


@dataclass
class EvalConfig:
    """One evaluation run."""

    dataset: str | None = field(default=None, metadata={"help": "opendialkg or amazon_arts_office"})
    catalog: Path | None = field(default=None, metadata={"help": "bring-your-own catalog JSONL"})
    dialogs: Path | None = field(
        default=None, metadata={"help": "bring-your-own dialog turns JSONL"}
    )
    name: str | None = field(default=None, metadata={"help": "collection name for --catalog"})
    train_dialogs: Path | None = field(
        default=None,
        metadata={"help": "your own training dialogs JSONL for --catalog (other dialogs)"},
    )
    train_histories: Path | None = field(
        default=None,
        metadata={"help": "your own users' histories JSONL for --catalog (oldest item first)"},
    )
    dialog_disjoint: bool = field(
        default=False,
        metadata={
            "help": "fit co-occurrence, popularity and ALS only on train dialogs or users that "
            "have no turn in the evaluated split (OpenDialKG's public split shares dialogs)"
        },
    )
    split: str = field(
        default="test", metadata={"help": "valid or test", "choices": ("valid", "test")}
    )
    limit: int = field(default=0, metadata={"help": "a fixed, seeded subset of N rows (0: all)"})
    systems: tuple[str, ...] = field(
        default=ALL_SYSTEMS,
        metadata={"help": "comma-separated systems to run (default: all)", "comma": True},
    )
    out: Path = field(default=Path("runs/eval"), metadata={"help": "output folder"})
    seed: int = field(default=0, metadata={"help": "seed of the subset and of SASRec"})
    k: int = field(default=100, metadata={"help": "length of every ranked list"})
    justify_samples: int = field(
        default=50, metadata={"help": "samples whose justifications are scored"}
    )
    justify: bool = field(
        default=False,
        metadata={
            "help": "the LLM writer writes the scored justifications (else evidence sentences)"
        },
    )
    writer_adapter: str | None = field(
        default=None,
        metadata={"help": "writer adapter with --justify (default: shipped; 'none': few-shot)"},
    )
    writer_samples: int | None = field(
        default=None,
        metadata={
            "help": "sampled rewrites of a refused reason with --justify (default: the agent's)"
        },
    )
    cross_domain_limit: int = field(
        default=300,
        metadata={"help": "Amazon: samples re-run with only the other domain's history"},
    )
    model: str = field(
        default="smollm2-135m-instruct", metadata={"help": "base LLM of zero_shot and full"}
    )
    adapter: str | None = field(
        default=None, metadata={"help": "adapter of 'full' (default: shipped)"}
    )
    protocol: str = field(
        default="crossrec",
        metadata={
            "help": "'crossrec' (rank every item for held-out turns or lines), 'ievalm' "
            "(OpenDialKG as iEvaLM-CRS scores it: its 2,965-item set, published numbers "
            "beside ours) or 'requests' (plain requests, follow-up wishes and strict "
            "cross-domain turns; the order before the ranking stage side by side)",
            "choices": ("crossrec", "ievalm", "requests"),
        },
    )
    ranking: str = field(
        default="learned_specific",
        metadata={
            "help": "the agent's ranking stage: learned_specific (default), learned, tiers or "
            "fused (before)"
        },
    )
    sasrec_epochs: int = field(
        default=30,
        metadata={
            "help": "most SASRec training epochs (early-stopped on the validation histories; "
            "cached under a key over config, data and code)"
        },
    )

    def __post_init__(self) -> None:
        if (self.dataset is None) == (self.catalog is None):
            raise ValueError("give exactly one of --dataset or --catalog (with --dialogs)")
        if self.catalog is not None and self.dialogs is None:
            raise ValueError("--catalog needs --dialogs to evaluate on")
        if self.catalog is None and (self.train_dialogs or self.train_histories):
            raise ValueError("--train-dialogs and --train-histories go with --catalog")
        unknown = [s for s in self.systems if s not in ALL_SYSTEMS]
        if unknown:
            raise ValueError(f"unknown system(s) {unknown}; choose from {', '.join(ALL_SYSTEMS)}")
        if self.dialog_disjoint and self.catalog is not None:
            raise ValueError(
                "--dialog-disjoint is for the built-in datasets; keep your --train-dialogs "
                "apart from the evaluated --dialogs yourself"
            )
        if self.protocol == "ievalm" and self.dataset != "opendialkg":
            raise ValueError("--protocol ievalm is OpenDialKG's (--dataset opendialkg)")
        if self.k < 50:
            raise ValueError(f"k must be >= 50 (recall@50 is reported), got {self.k}")


def run_systems(
    systems: Sequence[System], samples: Sequence[Sample], k: int, progress: bool = True
) -> dict[str, dict[str, list[str]]]:
    """Rankings per system per sample key (samples sharing a key are ranked once)."""
    keys: dict[str, Sample] = {}
    for sample in samples:
        keys.setdefault(sample.key, sample)
    out: dict[str, dict[str, list[str]]] = {}
    for system in systems:
        rankings = {}
        for key, sample in tqdm(
            keys.items(), desc=system.name, unit="sample", disable=not progress
        ):
            rankings[key] = system.rank(sample, k)
        out[system.name] = rankings
    return out


def _metrics(pairs: list[tuple[list[str], tuple[str, ...]]]) -> dict[str, float]:
    return aggregate(pairs) if pairs else {"n": 0}


def evaluate_rankings(
    rankings: dict[str, list[str]], samples: Sequence[Sample], catalog, dialogs: bool
) -> dict:
    """All metrics of one system: overall, mentioned-excluded, per domain, cross-domain, validity."""
    pairs = [(rankings[s.key], (s.target,)) for s in samples]
    result = dict(_metrics(pairs))
    if pairs:  # bootstrap 95% intervals over the samples
        result["ci95"] = {
            f"recall@{k}": interval([recall_at_k(r, t, k) for r, t in pairs]) for k in (1, 10)
        }
    outputs = [i for ranking in rankings.values() for i in ranking]
    result["valid_rate"] = sum(i in catalog for i in outputs) / len(outputs) if outputs else 1.0
    fresh = [s for s in samples if not s.target_mentioned]
    excl = _metrics(
        [([i for i in rankings[s.key] if i not in set(s.mentioned)], (s.target,)) for s in fresh]
    )
    result.update({f"{k}_excl_mentioned": v for k, v in excl.items()})
    result["per_domain"] = {}
    for domain in sorted({s.target_domain for s in samples}):
        subset = [s for s in samples if s.target_domain == domain]
        result["per_domain"][domain] = _metrics([(rankings[s.key], (s.target,)) for s in subset])
    if dialogs:
        cross = [s for s in samples if s.cross_domain(catalog)]
        result["cross_domain"] = _metrics([(rankings[s.key], (s.target,)) for s in cross])
    return result


def compare_with_best_baseline(
    rankings: dict[str, dict[str, list[str]]], samples: Sequence[Sample], k: int = 10
) -> dict:
    """Each agent system against the best other system by recall@k on the same samples: the
    paired difference, its bootstrap interval and a permutation test's p-value."""

    def hits(name: str) -> list[float]:
        return [recall_at_k(rankings[name][s.key], (s.target,), k) for s in samples]

    baselines = [n for n in rankings if n not in AGENT_SYSTEMS]
    if not baselines or not samples:
        return {}
    best = max(baselines, key=lambda n: sum(hits(n)))
    return {
        name: {"baseline": best, "metric": f"recall@{k}", **paired_test(hits(name), hits(best))}
        for name in rankings
        if name in AGENT_SYSTEMS
    }


def latency_table(systems: Sequence[System]) -> dict[str, dict[str, dict[str, float]]]:
    return {
        s.name: {stage: latency_summary(v) for stage, v in s.latencies.items()} for s in systems
    }


def run_info(config: EvalConfig, started: float, argv: Sequence[str] = ()) -> dict:
    """How a report was made: the exact command line, commit, seed and machine."""
    from crossrec.finetune import git_commit

    return {
        "command": "crossrec " + shlex.join(argv),
        "git_commit": git_commit(Path(__file__).parent),
        "seed": config.seed,
        "limit": config.limit,
        "split": config.split,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=float) + "\n", encoding="utf-8")
