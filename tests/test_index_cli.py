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
        [sys.executable, "-m", "crossrec.cli", "index", "--dataset", "opendialkg"],
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


def test_every_command_reads_its_options_from_a_config_file(tmp_path, data_dir, workdir, embedder):
    """``--config FILE.yaml`` holds a command's options by their long names; the command line
    wins over the file; an unknown name is a clear error that lists the known ones."""
    from crossrec.cli import build_parser, main

    env = crossrec_env(tmp_path / "store", data_dir, workdir)
    items = tmp_path / "items.jsonl"
    items.write_text(
        "".join(
            json.dumps({"id": f"i{n}", "title": f"Knitting Needles No. {n}", "domain": "arts"})
            + "\n"
            for n in range(5)
        )
    )
    config = tmp_path / "search.yaml"
    config.write_text(f"catalog: config-test\nk: 2\njson: true\nstore: {tmp_path / 'store'}\n")
    done = run_crossrec("index", "--catalog", str(items), "--name", "config-test", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    done = run_crossrec("search", "knitting", "--config", str(config), env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(json.loads(done.stdout)) == 2
    done = run_crossrec("search", "knitting", "--config", str(config), "--k", "4", env=env)
    assert len(json.loads(done.stdout)) == 4
    config.write_text("catalog: config-test\nnot_an_option: 1\n")
    done = run_crossrec("search", "knitting", "--config", str(config), env=env)
    assert done.returncode == 2 and "unknown option 'not_an_option'" in done.stderr
    # every command takes --config (train: its recipe)
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, command in commands.items():
        assert "--config" in command._option_string_actions, name
    assert main(["search", "x", "--catalog", "c", "--config", str(tmp_path / "none.yaml")]) == 2
