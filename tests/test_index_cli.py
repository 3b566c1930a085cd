"""``crossrec index`` / ``crossrec search`` as a user runs them, including a SIGKILL mid-index."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from cli_helpers import crossrec_env, run_crossrec


def _env(tmp_path, data_dir, workdir):
    return crossrec_env(tmp_path / "store", data_dir, workdir)


@pytest.mark.slow
def test_index_opendialkg_twice_then_search_by_domain(tmp_path, data_dir, workdir, embedder):
    env = _env(tmp_path, data_dir, workdir)
    first = run_crossrec("index", "--dataset", "opendialkg", "--json", env=env)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary["items"] == 3672 and summary["added"] == 3672
    second = json.loads(
        run_crossrec("index", "--dataset", "opendialkg", "--json", env=env).stdout.splitlines()[-1]
    )
    assert second["items"] == 3672 and second["added"] == 0
    found = run_crossrec(
        "search",
        "novels by Stephen King",
        "--catalog",
        "opendialkg",
        "--domain",
        "book",
        "--k",
        "8",
        "--json",
        env=env,
    )
    hits = json.loads(found.stdout)
    assert len(hits) == 8 and all(h["domain"] == "book" for h in hits)


@pytest.mark.slow
def test_killed_index_resumes_without_duplicates_or_re_embedding(
    tmp_path, data_dir, workdir, embedder
):
    env = _env(tmp_path, data_dir, workdir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "crossrec.ui.cli", "index", "--dataset", "opendialkg"],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )
    deadline = time.time() + 300
    seen = ""
    while time.time() < deadline:
        seen += proc.stderr.read(200) or ""
        done = [
            int(x.split("/")[0]) for x in seen.replace("\r", "\n").split("| ")[1:] if "/" in x[:12]
        ]
        if done and max(done) >= 1000:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    result = run_crossrec("index", "--dataset", "opendialkg", "--json", env=env)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["items"] == 3672  # complete, and Chroma ids are unique: no duplicates
    assert 0 < summary["added"] <= 3672 - 1000  # finished chunks were not embedded again


def test_index_rejects_a_malformed_catalog_with_the_line(tmp_path, data_dir, workdir):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "title": "A", "domain": "book"}\n{"id": "2", "domain": "book"}\n')
    env = _env(tmp_path, data_dir, workdir)
    result = run_crossrec("index", "--catalog", str(bad), "--name", "bad-catalog", env=env)
    assert result.returncode == 2
    assert f"{bad}:2: field 'title'" in result.stderr
