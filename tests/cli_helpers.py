"""Running the ``crossrec`` command in a subprocess, as a user does, for the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def crossrec_env(store: Path, data_dir: Path, cache: Path) -> dict[str, str]:
    """The environment of a user with this store, data directory and cache, offline."""
    return dict(
        os.environ,
        CROSSREC_DATA_DIR=str(data_dir),
        CROSSREC_STORE=str(store),
        CROSSREC_CACHE=str(cache),
        HF_HUB_OFFLINE="1",
    )


def run_crossrec(*args: str, env: dict[str, str], timeout: int = 600):
    """``crossrec ARGS...`` with captured text output."""
    return subprocess.run(
        [sys.executable, "-m", "crossrec.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
