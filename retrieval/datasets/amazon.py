"""Amazon Reviews 2018, Arts & Crafts + Office Products overlapping users (URLLM release).

Items: ``item_listA_F.csv`` (domain ``arts``) and ``item_listO_AA_F.csv`` (domain
``office``); the global id is ``idAfter``. ``item_attribute`` is the lowercased category path
followed by the brand; the brand is split off as the longest tail (up to four words) that
also occurs in the title, the rest is the category.

Interactions: ``{train,valid,test}_F2.txt``, tab-separated ``user n item|pos|pos ...``: the
first ``n`` items are the time-ordered history, the last one is the target.
"""

from __future__ import annotations

from pathlib import Path

from crossrec.retrieval.datasets.rows import RowSink, iter_csv, iter_lines
from crossrec.retrieval.datasets.schema import Catalog, Dataset, History, Item

__all__ = ["FILES", "load_amazon_arts_office", "split_brand"]

ITEM_FILES = {"arts": "item_listA_F.csv", "office": "item_listO_AA_F.csv"}
SPLITS = {"train": "train_F2.txt", "valid": "valid_F2.txt", "test": "test_F2.txt"}
FILES = (*ITEM_FILES.values(), *SPLITS.values())


def split_brand(title: str, attribute: str) -> tuple[str, str]:
    """Split ``attribute`` into (category path, brand) using the title as the witness."""
    words = attribute.split()
    padded = f" {title} "
    for size in range(min(4, len(words) - 1), 0, -1):
        tail = " ".join(words[-size:])
        if f" {tail} " in padded:
            return " ".join(words[:-size]), tail
    return attribute, ""


def _items(root: Path, sink: RowSink) -> list[Item]:
    items: list[Item] = []
    for domain, filename in ITEM_FILES.items():
        path = root / filename
        for line, row in iter_csv(path, sink, ("item_title", "idAfter", "item_attribute")):
            title = row["item_title"].strip()
            item_id = row["idAfter"].strip()
            if not item_id.isdigit():
                sink.bad(path, line, "idAfter", f"expected an integer id, got {item_id!r}")
                continue
            if not title:
                sink.bad(path, line, "item_title", "empty title")
                continue
            category, brand = split_brand(title, row["item_attribute"].strip())
            attributes = {"category": (category,)} if category else {}
            if brand:
                attributes["brand"] = (brand,)
            items.append(Item(id=item_id, domain=domain, title=title, attributes=attributes))
    return items


def _histories(path: Path, catalog: Catalog, sink: RowSink) -> list[History]:
    rows = []
    for line, text in iter_lines(path, sink):
        fields = text.rstrip("\t").split("\t")
        if len(fields) < 3 or not fields[1].isdigit():
            sink.bad(path, line, "n", "expected 'user<TAB>n<TAB>item|pos|pos ...'")
            continue
        n = int(fields[1])
        ids = [f.split("|", 1)[0] for f in fields[2:]]
        if len(ids) != n + 1:
            sink.bad(
                path, line, "items", f"n={n} but {len(ids)} items (expected n history + 1 target)"
            )
            continue
        unknown = [i for i in ids if i not in catalog]
        if unknown:
            sink.bad(path, line, "items", f"unknown item id(s) {unknown[:3]}")
            continue
        rows.append(History(user_id=fields[0], items=tuple(ids[:-1]), target=ids[-1]))
    return rows


def load_amazon_arts_office(data_dir: Path, skip_invalid: bool = False) -> Dataset:
    """Load the two item lists and the three history splits from ``data_dir``."""
    root = Path(data_dir) / "amazon_arts_office"
    sink = RowSink(skip_invalid)
    catalog = Catalog("amazon_arts_office", _items(root, sink))
    histories = {split: _histories(root / f, catalog, sink) for split, f in SPLITS.items()}
    return Dataset(
        name="amazon_arts_office", catalog=catalog, histories=histories, skipped=sink.skipped
    )
