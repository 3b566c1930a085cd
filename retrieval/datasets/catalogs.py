"""Catalog names -> datasets: the built-in datasets and catalogs users brought."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from crossrec.retrieval.datasets import (
    DATASETS,
    load_catalog_jsonl,
    load_dataset,
    load_dialogs_jsonl,
    load_histories_jsonl,
)
from crossrec.retrieval.datasets.schema import Dataset
from crossrec.retrieval.paths import Paths

__all__ = ["list_catalogs", "open_dataset", "register_catalog"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,62}[A-Za-z0-9]$")


def _registered(paths: Paths, name: str) -> Path:
    return paths.cache / "catalogs" / f"{name}.jsonl"


def _logs(paths: Paths, name: str) -> Path:
    """Where a registered catalog's training dialogs and histories are kept."""
    return paths.cache / "catalogs" / f"{name}.logs"


def _read_logs(dataset: Dataset, files: dict[str, Path | None], skip_invalid: bool) -> None:
    """Put the training ``files`` ("dialogs", "histories") into ``dataset``'s train split."""
    for kind, load, split in (
        ("dialogs", load_dialogs_jsonl, dataset.turns),
        ("histories", load_histories_jsonl, dataset.histories),
    ):
        path = files.get(kind)
        if path is not None and Path(path).is_file():
            rows, sink = load(Path(path), dataset.catalog, skip_invalid)
            split["train"] = rows
            dataset.skipped = [*dataset.skipped, *sink.skipped]


def register_catalog(
    source: Path,
    name: str,
    paths: Paths,
    skip_invalid: bool = False,
    train_dialogs: Path | None = None,
    train_histories: Path | None = None,
) -> Dataset:
    """Validate a JSONL catalog and keep a copy under the cache so it can be opened by name;
    with the team's own training dialogs and/or histories (JSONL, :mod:`.jsonl`), validated
    against it and kept beside it, so co-occurrence, popularity and ALS learn from them
    wherever the catalog is opened. A file given again replaces its kind; one not given
    keeps what was registered before; a bad row replaces nothing."""
    if not _NAME.match(name):
        raise ValueError(f"catalog name {name!r} must be 3-64 letters, digits, '.', '_' or '-'")
    if name in DATASETS:
        raise ValueError(f"{name!r} is a built-in dataset name; choose another --name")
    given = {"dialogs": train_dialogs, "histories": train_histories}
    for kind, path in given.items():
        if path is not None and not Path(path).is_file():
            raise FileNotFoundError(f"--train-{kind}: no file {str(path)!r}")
    catalog, sink = load_catalog_jsonl(Path(source), name, skip_invalid)
    dataset = Dataset(name=name, catalog=catalog, skipped=sink.skipped)
    logs = _logs(paths, name)
    kept = {kind: path or logs / f"{kind}.jsonl" for kind, path in given.items()}
    _read_logs(dataset, kept, skip_invalid)  # validated before anything is replaced
    target = _registered(paths, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    if Path(source).resolve() != target.resolve():
        shutil.copyfile(source, target)
    for kind, path in given.items():
        if path is not None:
            logs.mkdir(exist_ok=True)
            shutil.copyfile(path, logs / f"{kind}.jsonl")
    return dataset


def open_dataset(name: str, paths: Paths, skip_invalid: bool = False) -> Dataset:
    """A built-in dataset from the data directory, or a catalog registered by ``crossrec index``
    (with the training logs registered beside it, if any)."""
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
    dataset = Dataset(name=name, catalog=catalog, skipped=sink.skipped)
    logs = _logs(paths, name)
    _read_logs(dataset, {k: logs / f"{k}.jsonl" for k in ("dialogs", "histories")}, True)
    return dataset


def list_catalogs(paths: Paths) -> list[str]:
    """Names of the catalogs users have registered."""
    folder = paths.cache / "catalogs"
    return sorted(p.stem for p in folder.glob("*.jsonl")) if folder.is_dir() else []
