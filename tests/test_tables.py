"""Results tables are written from eval reports (``crossrec tables``), never typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from crossrec.evaluation.tables import StaleTable, render_tables

ROOT = Path(__file__).resolve().parents[1]

BLOCK = """Intro.

<!-- crossrec:table
columns: [recall@1, recall@10 ci, beyond.novelty:1]
rows:
  - {report: r/metrics.json, system: fused}
  - {report: r/metrics.json, system: full, label: "**full**"}
-->
stale
<!-- /crossrec:table -->

After.
"""


@pytest.fixture
def report_dir(tmp_path):
    systems = {
        "fused": {
            "recall@1": 0.25,
            "recall@10": 0.5,
            "ci95": {"recall@10": [0.4, 0.6]},
            "beyond": {"novelty": 11.44},
        },
        "full": {
            "recall@1": 0.3335,
            "recall@10": 0.75,
            "ci95": {"recall@10": [0.7, 0.8]},
            "beyond": {"novelty": 9.96},
            "cross_domain": {"recall@10": 0.1, "ci95": {"recall@10": [0.05, 0.15]}},
        },
    }
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "metrics.json").write_text(json.dumps({"systems": systems}))
    return tmp_path


def test_a_table_is_filled_from_its_report_and_checked(report_dir):
    text = render_tables(BLOCK, report_dir)
    assert "| system | R@1 | R@10 [95% CI] | novelty |" in text
    assert "| fused | 0.250 | 0.500 [0.400, 0.600] | 11.4 |" in text
    assert "| **full** | 0.334 | 0.750 [0.700, 0.800] | 10.0 |" in text
    assert text.startswith("Intro.") and text.endswith("After.\n") and "stale" not in text
    assert render_tables(text, report_dir, check=True) == text  # fresh: nothing to change
    with pytest.raises(StaleTable, match="line 3"):
        render_tables(BLOCK, report_dir, check=True)
    typed = text.replace("0.750 [0.700", "0.760 [0.700")  # a figure typed by hand
    with pytest.raises(StaleTable):
        render_tables(typed, report_dir, check=True)


def test_an_interval_comes_from_beside_its_value(report_dir):
    block = BLOCK.replace("beyond.novelty:1", "cross_domain.recall@10 ci").replace(
        "  - {report: r/metrics.json, system: fused}\n", ""
    )
    text = render_tables(block, report_dir)
    assert "| **full** | 0.334 | 0.750 [0.700, 0.800] | 0.100 [0.050, 0.150] |" in text
    assert "R@10 cross-domain [95% CI]" in text


def test_a_missing_system_or_metric_is_a_clear_error(report_dir):
    with pytest.raises(KeyError, match="no such system"):
        render_tables(BLOCK.replace("system: full", "system: sasrec"), report_dir)
    with pytest.raises(KeyError, match="'beyond.coverage'"):
        render_tables(BLOCK.replace("beyond.novelty", "beyond.coverage"), report_dir)
    with pytest.raises(ValueError, match="column"):
        render_tables(BLOCK.replace("recall@1,", "recall@1 interval,"), report_dir)


def test_the_readme_tables_match_their_reports():
    """Every generated table in the README is what its report in docs/results gives."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("<!-- crossrec:table") >= 2
    render_tables(readme, ROOT, check=True)


def test_broken_blocks_are_errors_and_lose_no_text(report_dir):
    lost_close = BLOCK.replace("<!-- /crossrec:table -->", "") + BLOCK
    with pytest.raises(ValueError, match="both markers"):
        render_tables(lost_close, report_dir)
    with pytest.raises(ValueError, match="both markers"):
        render_tables("No tables here.\n", report_dir)
    with pytest.raises(ValueError, match="not YAML"):
        render_tables(BLOCK.replace("rows:", "rows: {"), report_dir)
    with pytest.raises(ValueError, match="mapping"):
        render_tables(
            BLOCK.replace("columns:", "- columns:").replace("rows:", "- rows:"), report_dir
        )
    crlf = render_tables(BLOCK.replace("\n", "\r\n"), report_dir)
    assert "| fused | 0.250 |" in crlf and "Intro." in crlf and "After." in crlf
