"""Instruction examples for the reranker, built from the train splits only.

One example is one recommendation decision with K labelled candidates:

* Amazon Arts+Office: a user's time-ordered cross-domain history and the target's domain ->
  the target item;
* OpenDialKG: the dialog so far (and the items and facts it names) -> the recommended item.

Candidates are our own retrieval's top K (dense + BM25 + co-occurrence + knowledge bridges +
popularity), so negatives are hard. Collaborative statistics are cross-fitted: the
co-occurrence and popularity used for a row's candidates are fitted on the other folds, so a
row never sees its own interactions (at test time nothing has seen the test rows either).
By default only rows whose target the retrieval found are kept, which matches what the
reranker sees at inference; the candidates are then shuffled (seeded), which puts the true
item at a random position (``candidate_order: retrieval`` keeps the fused order instead, so a
model can learn how far to trust it). A slice of train users/dialogs is held out for validation.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from crossrec.finetune.prompting import build_rerank_input
from crossrec.retrieval import (
    Decision,
    EntityLinker,
    EvidenceFinder,
    EvidenceLink,
    Retrieval,
    candidate_query,
    decisions,
    training_sequences,
)
from tqdm.auto import tqdm

__all__ = [
    "CANDIDATE_ORDERS",
    "Example",
    "ExampleConfig",
    "build_examples",
    "read_examples",
    "rerank_input",
    "write_examples",
]


CANDIDATE_ORDERS = ("random", "retrieval")


@dataclass
class ExampleConfig:
    """How many examples to build, and how."""

    per_dataset: int = field(default=900, metadata={"help": "training examples per dataset"})
    heldout_per_dataset: int = field(
        default=150, metadata={"help": "validation examples per dataset"}
    )
    heldout_fraction: float = field(
        default=0.1, metadata={"help": "share of train users/dialogs held out"}
    )
    num_candidates: int = field(
        default=20, metadata={"help": "K labelled candidates per prompt (<= 26)"}
    )
    folds: int = field(
        default=2, metadata={"help": "cross-fitting folds for collaborative statistics"}
    )
    require_retrieved: bool = field(
        default=True,
        metadata={
            "help": "keep only rows whose target is in the retrieved top K (as at inference)"
        },
    )
    justification: bool = field(
        default=False,
        metadata={"help": "OpenDialKG: append the reference reply as a justification target"},
    )
    candidate_order: str = field(
        default="random",
        metadata={
            "help": "random: shuffle the candidates (the true item anywhere); retrieval: keep "
            "the fused order, the true item where retrieval put it (as at inference)"
        },
    )
    seed: int = field(default=0, metadata={"help": "random seed"})

    def __post_init__(self) -> None:
        if self.candidate_order not in CANDIDATE_ORDERS:
            raise ValueError(
                f"candidate_order must be one of {CANDIDATE_ORDERS}, got {self.candidate_order!r}"
            )
        if not 2 <= self.num_candidates <= 26:
            raise ValueError(f"num_candidates must be in 2..26, got {self.num_candidates}")
        if not 0 < self.heldout_fraction < 1:
            raise ValueError(f"heldout_fraction must be in (0, 1), got {self.heldout_fraction}")
        if self.folds < 2:
            raise ValueError(f"folds must be >= 2, got {self.folds}")


@dataclass
class Example:
    """One training or validation example (re-rendered for any tokenizer at train time)."""

    dataset: str
    row_id: str
    split: str
    history: list[str]
    dialog: list[str]
    domain: str | None
    candidates: list[str]
    evidence: list[dict | None]
    label: int
    target: str
    justification: str = ""


def rerank_input(example: Example):
    from crossrec.finetune.prompting import RerankInput

    evidence = tuple(EvidenceLink.from_dict(e) if e else None for e in example.evidence)
    return RerankInput(
        candidates=tuple(example.candidates),
        history=tuple(example.history),
        dialog=tuple(example.dialog),
        domain=example.domain,
        evidence=evidence,
    )


def _example(
    dataset: str,
    split: str,
    decision: Decision,
    retrieval: Retrieval,
    finder: EvidenceFinder,
    config: ExampleConfig,
    rng: random.Random,
) -> Example | None:
    k = config.num_candidates
    pool = [c.item_id for c in retrieval.generator.generate(candidate_query(decision), k=k + 4)]
    found = [t for t in decision.targets if t in pool[:k]]
    if found:
        target = found[0]
    elif config.require_retrieved:
        return None
    else:
        target = decision.targets[0]
    if config.candidate_order == "retrieval" and target in pool[:k]:
        candidates = [c for c in pool if c == target or c not in decision.targets][:k]
    else:
        candidates = [*[c for c in pool if c not in decision.targets][: k - 1], target]
    if config.candidate_order == "random":
        rng.shuffle(candidates)
    inp = build_rerank_input(finder, candidates, decision.history, decision.facts)
    catalog = retrieval.dataset.catalog
    evidence = [link.to_dict(catalog) if link else None for link in inp.evidence]
    return Example(
        dataset=dataset,
        row_id=decision.row_id,
        split=split,
        history=list(decision.history),
        dialog=list(decision.dialog),
        domain=decision.domain,
        candidates=candidates,
        evidence=evidence,
        label=candidates.index(target),
        target=target,
        justification=decision.reference if config.justification else "",
    )


def build_examples(
    retrieval: Retrieval, config: ExampleConfig, progress: bool = True
) -> Iterator[Example]:
    """Train and held-out examples of one dataset, cross-fitted and seeded."""
    dataset = retrieval.dataset
    rng = random.Random(f"{config.seed}-{dataset.name}")
    linker = EntityLinker(dataset.catalog, retrieval.graph)
    rows = decisions(dataset, "train", linker)
    groups = sorted({d.group for d in rows})
    rng.shuffle(groups)
    n_heldout = max(1, int(len(groups) * config.heldout_fraction))
    heldout = set(groups[:n_heldout])
    fold_of = {g: n % config.folds for n, g in enumerate(groups[n_heldout:])}
    plans = [("heldout", heldout, config.heldout_per_dataset, set(groups) - heldout)]
    for fold in range(config.folds):
        members = {g for g, f in fold_of.items() if f == fold}
        quota = config.per_dataset // config.folds + (fold < config.per_dataset % config.folds)
        plans.append(("train", members, quota, set(groups) - heldout - members))
    finder = EvidenceFinder(retrieval.graph, retrieval.cooccurrence)
    for split, members, quota, fit_on in plans:
        retrieval.refit(training_sequences(dataset, keep=fit_on))
        chosen = [d for d in rows if d.group in members]
        rng.shuffle(chosen)
        made = 0
        with tqdm(
            total=quota, desc=f"{dataset.name} {split} examples", disable=not progress
        ) as bar:
            for decision in chosen:
                if made >= quota:
                    break
                example = _example(dataset.name, split, decision, retrieval, finder, config, rng)
                if example is not None:
                    made += 1
                    bar.update(1)
                    yield example
    retrieval.refit(training_sequences(dataset))


def write_examples(examples: Sequence[Example], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for example in examples:
            fh.write(json.dumps(asdict(example), ensure_ascii=False) + "\n")


def read_examples(path: Path) -> list[Example]:
    with Path(path).open(encoding="utf-8") as fh:
        return [Example(**json.loads(line)) for line in fh if line.strip()]
