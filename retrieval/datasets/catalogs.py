"""Catalog names -> datasets: the built-in datasets and catalogs users brought."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from crossrec.retrieval.datasets import DATASETS, load_catalog_jsonl, load_dataset
from crossrec.retrieval.datasets.schema import Dataset
from crossrec.retrieval.paths import Paths

__all__ = ["list_catalogs", "open_dataset", "register_catalog"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,62}[A-Za-z0-9]$")


def _registered(paths: Paths, name: str) -> Path:
    return paths.cache / "catalogs" / f"{name}.jsonl"


def register_catalog(source: Path, name: str, paths: Paths, skip_invalid: bool = False) -> Dataset:
    """Validate a JSONL catalog and keep a copy under the cache so it can be opened by name."""
    if not _NAME.match(name):
        raise ValueError(f"catalog name {name!r} must be 3-64 letters, digits, '.', '_' or '-'")
    if name in DATASETS:
        raise ValueError(f"{name!r} is a built-in dataset name; choose another --name")
    catalog, sink = load_catalog_jsonl(Path(source), name, skip_invalid)
    target = _registered(paths, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    if Path(source).resolve() != target.resolve():
        shutil.copyfile(source, target)
    return Dataset(name=name, catalog=catalog, skipped=sink.skipped)


def open_dataset(name: str, paths: Paths, skip_invalid: bool = False) -> Dataset:
    """A built-in dataset from the data directory, or a catalog registered by ``crossrec index``."""
    if name in DATASETS:
        return load_dataset(name, paths.require_data_dir(), skip_invalid)
    path = _registered(paths, name)
    if not path.is_file():
        known = ", ".join([*DATASETS, *list_catalogs(paths)])
        raise ValueError(
            f"unknown catalog {name!r}; known: {known}. Bring one with: "
            f"crossrec index --catalog FILE.jsonl --name {name}"
        )
    catalog, sink = load_catalog_jsonl(path, name, skip_invalid=True)
    return Dataset(name=name, catalog=catalog, skipped=sink.skipped)


def list_catalogs(paths: Paths) -> list[str]:
    """Names of the catalogs users have registered."""
    folder = paths.cache / "catalogs"
    return sorted(p.stem for p in folder.glob("*.jsonl")) if folder.is_dir() else []
