"""Line readers that turn malformed input into errors naming file, line and field."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crossrec.retrieval.datasets.schema import DataError, SkippedRow

__all__ = ["RowSink", "iter_csv", "iter_jsonl", "iter_lines", "read_json"]


class RowSink:
    """Collects bad rows: raises on the first one, or records all with ``skip_invalid``."""

    def __init__(self, skip_invalid: bool = False):
        self.skip_invalid = skip_invalid
        self.skipped: list[SkippedRow] = []

    def bad(self, path: Path | str, line: int, field: str, reason: str) -> None:
        error = DataError(str(path), line, field, reason)
        if not self.skip_invalid:
            raise error
        self.skipped.append(error.row)


def _require(path: Path) -> Path:
    if not path.is_file():
        raise FileNotFoundError(
            f"missing data file {path}; check the data directory (crossrec data check) "
            "or fetch the public sources (crossrec data download)"
        )
    return path


def iter_lines(path: Path, sink: RowSink) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, text) for each non-blank UTF-8 line."""
    with _require(path).open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                sink.bad(
                    path, number, "<line>", f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
                )
                continue
            if text.strip():
                yield number, text.rstrip("\r\n")


def iter_jsonl(path: Path, sink: RowSink) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each JSON-object line."""
    for number, text in iter_lines(path, sink):
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            sink.bad(path, number, "<json>", f"bad JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(row, dict):
            sink.bad(path, number, "<json>", f"expected a JSON object, got {type(row).__name__}")
            continue
        yield number, row


def iter_csv(
    path: Path, sink: RowSink, columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a headed CSV file that must have ``columns``."""
    lines = list(iter_lines(path, sink))
    if not lines:
        raise DataError(str(path), 1, "<header>", "empty file")
    header = next(csv.reader([lines[0][1]]))
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(
            str(path), lines[0][0], "<header>", f"missing column(s) {missing}; got {header}"
        )
    for number, text in lines[1:]:
        try:
            values = next(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            sink.bad(path, number, "<csv>", str(exc))
            continue
        if len(values) != len(header):
            sink.bad(path, number, "<csv>", f"expected {len(header)} columns, got {len(values)}")
            continue
        yield number, dict(zip(header, values, strict=True))


def read_json(path: Path) -> Any:
    """Load one JSON document, with an error naming the file on failure."""
    try:
        return json.loads(_require(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(str(path), getattr(exc, "lineno", 1), "<json>", f"bad JSON: {exc}") from exc
