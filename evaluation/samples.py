"""Evaluation samples: what each system is asked, and what counts as a hit.

OpenDialKG: one sample per (turn, target item), as CRSLab, UniCRS and iEvaLM-CRS count them;
the input is the dialog context. Amazon: one sample per test line; the input is the user's
history and the target's domain, and every item of that domain is a candidate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crossrec.retrieval import Dataset, DialogTurn, History

__all__ = ["Sample", "make_samples"]


@dataclass(frozen=True)
class Sample:
    """One ranking task: the system sees ``context``/``history``/``domain`` and must rank ``target``."""

    key: str  # samples with the same key share one ranking (one dialog turn, several targets)
    target: str
    target_domain: str
    context: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    domain: str | None = None  # given to the system (Amazon); dialogs must infer it
    mentioned: tuple[str, ...] = ()
    reference: str = ""

    @property
    def target_mentioned(self) -> bool:
        return self.target in self.mentioned

    def cross_domain(self, catalog) -> bool:
        """OpenDialKG strict subset: the target's domain differs from every item mentioned so far."""
        return bool(self.mentioned) and all(
            catalog[m].domain != self.target_domain for m in self.mentioned
        )


def make_samples(dataset: Dataset, split: str, limit: int = 0, seed: int = 0) -> list[Sample]:
    """All samples of a split, or a fixed seeded subset of ``limit`` rows (turns or lines)."""
    rows = list(dataset.split(split))
    if limit and limit < len(rows):
        rows = random.Random(seed).sample(rows, limit)
    catalog = dataset.catalog
    samples = []
    for n, row in enumerate(rows):
        if isinstance(row, DialogTurn):
            for target in row.targets:
                samples.append(
                    Sample(
                        f"{split}-{row.dialog_id}-{row.turn_id}-{n}",
                        target,
                        catalog[target].domain,
                        context=row.context,
                        mentioned=row.mentioned,
                        reference=row.reference,
                    )
                )
        elif isinstance(row, History):
            domain = catalog[row.target].domain
            samples.append(
                Sample(
                    f"{split}-{row.user_id}-{n}",
                    row.target,
                    domain,
                    history=row.items,
                    domain=domain,
                    mentioned=row.items,
                )
            )
    return samples
