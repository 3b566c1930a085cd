"""The iEvaLM-CRS protocol on OpenDialKG, so our numbers sit beside published ones.

iEvaLM-CRS (Wang et al., 2023, github.com/RUCAIBox/iEvaLM-CRS) scores the "original"
evaluation as: every test turn, one sample per labelled item, targets already named in the
dialog counted, and a ranking over its own item set: the 2,965 entities of ``item_ids.json``,
one per title (a film and a book called "Fight Club" are one entity). :func:`ievalm_view`
turns our rankings over all 3,672 catalog items into rankings over that set: each item becomes
the entity of its title, entities outside the set drop out, repeats keep their first place.

The published numbers are theirs, copied with their source (:data:`PUBLISHED`); they were
measured on the same public split, which shares dialogs between train and test (see
``crossrec eval --dialog-disjoint``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from crossrec.evaluation.samples import Sample

__all__ = ["PUBLISHED", "PUBLISHED_SOURCE", "ievalm_items", "ievalm_view"]

PUBLISHED_SOURCE = (
    "iEvaLM-CRS README (Wang et al. 2023), performance table, OpenDialKG, 'Original' "
    "evaluation; ChatGPT's R@50 is '-' in its current README (0.607 in an earlier one)"
)
# theirs, not ours: recall@k as published; all copies of the README agree on these cells
PUBLISHED: dict[str, dict[str, float | None]] = {
    "KBRD": {"recall@1": 0.231, "recall@10": 0.423, "recall@50": 0.492},
    "BARCOR": {"recall@1": 0.312, "recall@10": 0.453, "recall@50": 0.510},
    "UniCRS": {"recall@1": 0.308, "recall@10": 0.513, "recall@50": 0.574},
    "ChatGPT": {"recall@1": 0.310, "recall@10": 0.539, "recall@50": None},
}


def ievalm_items(data_dir: Path) -> set[str]:
    """The titles of iEvaLM-CRS's OpenDialKG item set (``item_ids.json`` via ``entity2id``)."""
    root = Path(data_dir) / "opendialkg"
    read = lambda name: json.loads((root / name).read_text(encoding="utf-8"))  # noqa: E731
    names = {int(v): k for k, v in read("entity2id.json").items()}
    return {names[int(i)] for i in read("item_ids.json") if int(i) in names}


def ievalm_view(
    rankings: dict[str, dict[str, list[str]]], samples: Sequence[Sample], catalog, titles: set[str]
) -> tuple[dict[str, dict[str, list[str]]], list[Sample], dict]:
    """(rankings, samples, counts) over iEvaLM's item set: one catalog id stands for each title
    in ``titles``; a target outside the set keeps its id and can never be hit."""
    entity: dict[str, str] = {}
    for item in sorted(catalog, key=lambda i: i.id):
        if item.title in titles:
            entity.setdefault(item.title, item.id)

    def view(ranking: list[str]) -> list[str]:
        out = (entity.get(catalog[i].title) for i in ranking if i in catalog)
        return list(dict.fromkeys(i for i in out if i is not None))

    viewed = {name: {k: view(r) for k, r in ranks.items()} for name, ranks in rankings.items()}
    moved = [replace(s, target=entity.get(catalog[s.target].title, s.target)) for s in samples]
    outside = sum(catalog[s.target].title not in entity for s in samples)
    counts = {"items": len(entity), "samples": len(moved), "targets_outside": outside}
    return viewed, moved, counts
