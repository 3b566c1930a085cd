"""Dataset adapters: every source becomes a :class:`~crossrec.retrieval.datasets.schema.Dataset`."""

from __future__ import annotations

from pathlib import Path

from crossrec.retrieval.datasets.amazon import load_amazon_arts_office
from crossrec.retrieval.datasets.jsonl import (
    load_catalog_jsonl,
    load_dialogs_jsonl,
    load_histories_jsonl,
)
from crossrec.retrieval.datasets.opendialkg import load_opendialkg
from crossrec.retrieval.datasets.schema import Dataset

__all__ = [
    "DATASETS",
    "EXPECTED_COUNTS",
    "dataset_counts",
    "load_catalog_jsonl",
    "load_dataset",
    "load_dialogs_jsonl",
    "load_histories_jsonl",
]

DATASETS = {"opendialkg": load_opendialkg, "amazon_arts_office": load_amazon_arts_office}

# What the published files hold; ``crossrec data check`` compares against these.
EXPECTED_COUNTS = {
    "opendialkg": {"items": 3672, "train": 5547, "valid": 1188, "test": 1188},
    "amazon_arts_office": {"items": 38396, "train": 16000, "valid": 1154, "test": 2000},
}


def load_dataset(name: str, data_dir: Path, skip_invalid: bool = False) -> Dataset:
    """Load a named dataset from ``data_dir`` (the folder holding one folder per dataset)."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; available: {', '.join(DATASETS)}")
    if data_dir is None:
        raise ValueError("no data directory: pass --data-dir or set CROSSREC_DATA_DIR")
    return DATASETS[name](Path(data_dir), skip_invalid=skip_invalid)


def dataset_counts(dataset: Dataset) -> dict[str, int]:
    """Items and rows per split, in the shape of ``EXPECTED_COUNTS``."""
    rows = dataset.turns if dataset.kind == "dialogs" else dataset.histories
    return {"items": len(dataset.catalog), **{split: len(r) for split, r in rows.items()}}
