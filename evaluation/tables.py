"""Results tables written from eval reports, not typed: ``crossrec tables README.md``.

A table is a block in a Markdown file: an HTML comment holding a small YAML spec, the table,
and a closing comment. Rewriting the file fills every block from the reports it names; with
``--check`` nothing is written and a stale table is an error (the test suite checks the
README this way, so a figure cannot drift from its report)::

    <!-- crossrec:table
    columns: [recall@1, recall@10 ci, beyond.novelty:1]
    rows:
      - {report: docs/results/x/metrics.json, system: fused}
      - {report: docs/results/x/metrics.json, system: full, label: "**full** (crossrec)"}
    -->
    | system | R@1 | R@10 [95% CI] | novelty |
    ...
    <!-- /crossrec:table -->

A column is a dotted path into a system's entry of the report (``recall@10``,
``beyond.novelty``, ``cross_domain.recall@10``), then ``ci`` to add its bootstrap interval,
then ``:N`` for the digits (3 by default). ``headers`` overrides the column headers. A row
names a ``system`` of the report, or with ``entry`` another part of it (``justifications``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["StaleTable", "render_tables"]

_OPEN, _CLOSE = "<!-- crossrec:table", "<!-- /crossrec:table -->"
_BLOCK = re.compile(  # a table never runs into the next block (a lost close marker is an error)
    r"(?P<open><!-- crossrec:table\r?\n(?P<spec>(?:(?!<!--).)*?)-->\r?\n)"
    r"(?P<table>(?:(?!<!-- crossrec:table).)*?)(?P<close><!-- /crossrec:table -->)",
    re.DOTALL,
)
_HEADERS = {"recall": "R", "ndcg": "NDCG", "mrr": "MRR", "intra_list_diversity": "diversity"}


class StaleTable(ValueError):
    """A table that differs from what its reports give (``--check``)."""


@dataclass(frozen=True)
class _Column:
    path: tuple[str, ...]
    interval: bool
    digits: int

    @classmethod
    def parse(cls, text: str) -> _Column:
        spec, _, digits = str(text).partition(":")
        words = spec.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] != "ci"):
            raise ValueError(f"column {text!r}: expected 'metric.path [ci][:digits]'")
        return cls(tuple(words[0].split(".")), len(words) == 2, int(digits or 3))

    @property
    def header(self) -> str:
        name = self.path[-1].removesuffix("_excl_mentioned")
        head, at, k = name.partition("@")
        name = _HEADERS.get(head, head) + at + k
        if self.path[-1].endswith("_excl_mentioned"):
            name += " excl. mentioned"
        if self.path[0] == "cross_domain":
            name += " cross-domain"
        return name + (" [95% CI]" if self.interval else "")

    def cell(self, entry: Mapping, where: str) -> str:
        value = parent = entry
        for key in self.path:
            if not isinstance(value, Mapping) or key not in value:
                raise KeyError(f"{where}: no {'.'.join(self.path)!r} in the report")
            parent, value = value, value[key]
        if value is None:
            raise ValueError(f"{where}: {'.'.join(self.path)!r} is empty in the report")
        text = f"{value:.{self.digits}f}" if isinstance(value, float) else str(value)
        if self.interval:  # the interval beside the value ("cross_domain.ci95" for its figures)
            low, high = parent.get("ci95", {}).get(self.path[-1], (None, None))
            if low is None:
                raise KeyError(f"{where}: no interval for {self.path[-1]!r} in the report")
            text += f" [{low:.{self.digits}f}, {high:.{self.digits}f}]"
        return text


def _entry(report: Mapping, row: Mapping) -> Mapping:
    """A row's part of its report: a system's metrics, or another part named by ``entry``."""
    if "system" in row:
        found = report.get("systems", {}).get(row["system"])
        if found is None:
            raise KeyError(f"{row['report']} / {row['system']}: the report has no such system")
        return found
    found = report
    for key in str(row.get("entry", "")).split("."):
        if not isinstance(found, Mapping) or key not in found:
            raise KeyError(f"{row['report']}: no {row.get('entry')!r} (give a system or entry)")
        found = found[key]
    return found


def _table(spec: Mapping, root: Path, reports: dict) -> str:
    rows = spec.get("rows") if isinstance(spec, Mapping) else None
    if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
        raise ValueError("a table spec is a mapping whose rows are mappings")
    columns = [_Column.parse(c) for c in spec.get("columns", ())]
    headers = spec.get("headers") or ["system", *(c.header for c in columns)]
    if not columns or not spec.get("rows") or len(headers) != len(columns) + 1:
        raise ValueError("a table needs columns, rows and one header per column plus the label")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in spec["rows"]:
        path = root / row["report"]
        if path not in reports:
            reports[path] = json.loads(path.read_text(encoding="utf-8"))
        entry = _entry(reports[path], row)
        where = f"{row['report']} / {row.get('system') or row.get('entry')}"
        cells = [c.cell(entry, where) for c in columns]
        label = row.get("label") or row.get("system") or row["entry"]
        lines.append("| " + " | ".join([str(label), *cells]) + " |")
    return "\n".join(lines) + "\n"


def render_tables(text: str, root: Path, check: bool = False) -> str:
    """``text`` with every table block filled from its reports (paths relative to ``root``);
    with ``check``, raise :class:`StaleTable` naming the first block that differs."""
    reports: dict = {}
    blocks = len(_BLOCK.findall(text))
    if not blocks or blocks != text.count(_OPEN) or blocks != text.count(_CLOSE):
        raise ValueError(
            f"{text.count(_OPEN)} table openings, {text.count(_CLOSE)} closings, "
            f"{blocks} whole blocks: each table needs both markers"
        )

    def fill(match: re.Match) -> str:
        try:
            spec = yaml.safe_load(match["spec"]) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"a table spec is not YAML: {exc}") from None
        table = _table(spec, root, reports)
        if check and table != match["table"]:
            line = text.count("\n", 0, match.start()) + 1
            raise StaleTable(f"the table at line {line} differs from its reports")
        return match["open"] + table + match["close"]

    return _BLOCK.sub(fill, text)
