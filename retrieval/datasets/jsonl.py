"""Bring-your-own catalogs and dialogs as JSON Lines.

Catalog, one item per line::

    {"id": "b1", "title": "Dune", "domain": "book", "text": "optional description",
     "attributes": {"writer": ["Frank Herbert"], "genre": ["Science fiction"]}}

``id``, ``title`` and ``domain`` are required (ids are strings or integers, unique in the
file; domains are lowercased); ``text`` is an optional string; ``attributes`` an optional
object of string or list-of-string values.

Dialogs, one recommendation turn per line, as in the OpenDialKG files::

    {"context": ["user utterance", "system utterance", ...], "rec": ["Dune"], "resp": "..."}

``rec`` holds item ids or exact catalog titles. ``dialog_id``, ``turn_id`` and ``entity``
are optional.

Histories (training data a team brings for its catalog), one user per line, oldest first::

    {"user_id": "u1", "items": ["Dune", "b7", "Alien"]}

``items`` holds item ids or exact catalog titles (at least one); ``user_id`` is optional.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from crossrec.retrieval.datasets.mentions import mentioned_items, title_pattern
from crossrec.retrieval.datasets.rows import RowSink, iter_jsonl
from crossrec.retrieval.datasets.schema import Catalog, DialogTurn, History, Item

__all__ = [
    "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS",
    "load_catalog_jsonl",
    "load_dialogs_jsonl",
    "load_histories_jsonl",
]

MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 20_000
_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9_\- ]{0,63}$")


def _string(row: dict[str, Any], key: str, required: bool) -> tuple[str | None, str | None]:
    """(value, problem) for a string field; ints are accepted for ids."""
    value = row.get(key)
    if value is None:
        return None, (f"missing required field {key!r}" if required else None)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, f"expected a string, got {type(value).__name__}"
    value = str(value).strip()
    if required and not value:
        return None, "empty value"
    return value, None


def _attributes(value: Any) -> tuple[dict[str, tuple[str, ...]] | None, str | None]:
    if value is None:
        return {}, None
    if not isinstance(value, dict):
        return None, f"expected an object, got {type(value).__name__}"
    out: dict[str, tuple[str, ...]] = {}
    for key, values in value.items():
        if isinstance(values, str | int | float) and not isinstance(values, bool):
            values = [values]
        if not isinstance(values, list) or not all(
            isinstance(v, str | int | float) for v in values
        ):
            return None, f"attribute {key!r} must be a string or a list of strings"
        cleaned = tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
        if cleaned:
            out[str(key)] = cleaned
    return out, None


def load_catalog_jsonl(
    path: Path, name: str, skip_invalid: bool = False
) -> tuple[Catalog, RowSink]:
    """Read and validate a catalog file; returns the catalog and the skipped-row report."""
    path = Path(path)
    sink = RowSink(skip_invalid)
    items: list[Item] = []
    first_line: dict[str, int] = {}
    for line, row in iter_jsonl(path, sink):
        fields: dict[str, Any] = {}
        problem = None
        for key, required in (("id", True), ("title", True), ("domain", True), ("text", False)):
            fields[key], problem = _string(row, key, required)
            if problem:
                sink.bad(path, line, key, problem)
                break
        if problem:
            continue
        if len(fields["title"]) > MAX_TITLE_CHARS:
            sink.bad(path, line, "title", f"longer than {MAX_TITLE_CHARS} characters")
            continue
        domain = fields["domain"].lower()
        if not _DOMAIN.match(domain):
            sink.bad(
                path,
                line,
                "domain",
                f"{domain!r} is not a domain name (letters, digits, _ - space)",
            )
            continue
        attributes, problem = _attributes(row.get("attributes"))
        if problem:
            sink.bad(path, line, "attributes", problem)
            continue
        item_id = fields["id"]
        if item_id in first_line:
            sink.bad(
                path, line, "id", f"duplicate id {item_id!r} (first on line {first_line[item_id]})"
            )
            continue
        first_line[item_id] = line
        text = (fields["text"] or "")[:MAX_TEXT_CHARS]
        items.append(
            Item(
                id=item_id,
                domain=domain,
                title=fields["title"],
                text=text,
                attributes=attributes or {},
            )
        )
    if not items:
        raise ValueError(
            f"{path}: no valid catalog items"
            + (f" ({len(sink.skipped)} skipped)" if sink.skipped else "")
        )
    return Catalog(name, items), sink


def load_dialogs_jsonl(
    path: Path, catalog: Catalog, skip_invalid: bool = False
) -> tuple[list[DialogTurn], RowSink]:
    """Read dialog turns whose ``rec`` entries are ids or titles of ``catalog`` items."""
    path = Path(path)
    sink = RowSink(skip_invalid)
    turns: list[DialogTurn] = []
    pattern = title_pattern(catalog)
    for line, row in iter_jsonl(path, sink):
        context = row.get("context")
        if (
            not isinstance(context, list)
            or not context
            or not all(isinstance(u, str) for u in context)
        ):
            sink.bad(path, line, "context", "expected a non-empty list of utterance strings")
            continue
        recs = row.get("rec")
        if not isinstance(recs, list) or not recs:
            sink.bad(path, line, "rec", "expected a non-empty list of item ids or titles")
            continue
        targets: list[str] = []
        for ref in recs:
            ref = str(ref)
            ids = [ref] if ref in catalog else catalog.by_title(ref)
            if not ids:
                sink.bad(
                    path,
                    line,
                    "rec",
                    f"{ref!r} is neither an item id nor a title in {catalog.name!r}",
                )
                targets = []
                break
            targets.append(ids[0])
        if not targets:
            continue
        entities = tuple(str(e) for e in row.get("entity") or ())
        mentioned = mentioned_items(tuple(context), entities, catalog, pattern)
        turns.append(
            DialogTurn(
                dialog_id=str(row.get("dialog_id", line)),
                turn_id=int(row.get("turn_id", 0) or 0),
                context=tuple(context),
                mentioned=mentioned,
                targets=tuple(dict.fromkeys(targets)),
                reference=str(row.get("resp", "")),
                entities=entities,
            )
        )
    return turns, sink


def load_histories_jsonl(
    path: Path, catalog: Catalog, skip_invalid: bool = False
) -> tuple[list[History], RowSink]:
    """Read users' time-ordered item histories (ids or titles of ``catalog`` items)."""
    path = Path(path)
    sink = RowSink(skip_invalid)
    histories: list[History] = []
    for line, row in iter_jsonl(path, sink):
        refs = row.get("items")
        if not isinstance(refs, list) or not refs:
            sink.bad(path, line, "items", "expected a non-empty list of item ids or titles")
            continue
        ids = [
            str(r) if str(r) in catalog else next(iter(catalog.by_title(str(r))), None)
            for r in refs
        ]
        missing = [str(r) for r, i in zip(refs, ids, strict=True) if i is None]
        if missing:
            sink.bad(
                path,
                line,
                "items",
                f"{missing[0]!r} is neither an item id nor a title in {catalog.name!r}",
            )
            continue
        user, ids = str(row.get("user_id", line)), tuple(ids)
        # the last item is the next one to predict, as in the built-in histories
        histories.append(History(user, ids[:-1], ids[-1]) if len(ids) > 1 else History(user, ids))
    return histories, sink
