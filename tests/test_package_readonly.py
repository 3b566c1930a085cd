"""No command writes under the installed package: the commands that tune or index run from a
copy of the package, and every file of that copy is the same afterwards (content, mtime, no
new files), while the tuned weights land in the cache folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import crossrec_env

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("agent", "retrieval", "finetune", "evaluation", "ui", "cli")


def _tree(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_no_command_writes_under_the_installed_package(tmp_path, data_dir, workdir, odkg_store):
    site = tmp_path / "site"
    for name in PACKAGES:
        shutil.copytree(
            ROOT / name, site / "crossrec" / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    before = _tree(site)
    env = crossrec_env(workdir / "store", data_dir.resolve(), workdir)
    env.update(PYTHONPATH=str(site), PYTHONDONTWRITEBYTECODE="1")
    items = tmp_path / "items.jsonl"
    items.write_text(
        "".join(
            json.dumps({"id": f"p{n}", "title": f"Pen No. {n}", "domain": "office"}) + "\n"
            for n in range(4)
        )
    )

    def crossrec(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", "import sys, crossrec.cli; print(crossrec.cli.__file__, file=sys.stderr); raise SystemExit(crossrec.cli.main())", *args],
            env=env, capture_output=True, text=True, timeout=900, cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        assert str(site) in done.stderr  # the copy ran, not the source tree
        return done.stdout

    crossrec("index", "--catalog", str(items), "--name", "readonly-test")
    crossrec("search", "pen", "--catalog", "readonly-test", "--k", "2")
    out = crossrec("tune-fusion", "--dataset", "opendialkg", "--k", "10")
    assert f"wrote {workdir / 'fusion' / 'opendialkg.yaml'}" in out
    assert _tree(site) == before
    os.remove(workdir / "fusion" / "opendialkg.yaml")  # later tests read the shipped weights
