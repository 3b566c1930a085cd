"""The README screenshot: `crossrec ui` as `make demo` starts it, driven in headless Chromium.

Usage: python -m bench.screenshot [--out docs/ui.png] [--ui-arg=--justify ...] [MESSAGE ...]

Starts ``crossrec ui --catalog opendialkg`` on a free loopback port (shipped defaults, plus any
``--ui-arg``), waits
until it serves, sends each message in turn (waiting for its cards), and saves a 1280x900
screenshot of the page.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.ui_load import _DONE, CHROMIUM, CHROMIUM_ARGS, _free_port

MESSAGES = ("I loved the movie Fight Club. Any books I'd like?", "Something funnier, please")


def _wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 600) -> None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"crossrec ui exited with {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(2)
    raise TimeoutError(f"crossrec ui did not serve {url} within {timeout} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/ui.png"))
    parser.add_argument(
        "--ui-arg", action="append", default=[], help="an option for crossrec ui (repeatable)"
    )
    parser.add_argument("messages", nargs="*", default=list(MESSAGES))
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("crossrec")), "ui", "--catalog", "opendialkg"]
        + ["--port", str(port), *args.ui_arg],
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    try:
        _wait_until_serving(url, server)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            page.wait_for_selector("#crossrec-profile .crossrec-profile", timeout=600_000)
            for n, message in enumerate(args.messages):
                page.locator("#crossrec-message textarea").fill(message)
                page.locator("#crossrec-send").click()
                page.wait_for_function(_DONE, arg=n, timeout=600_000)
            page.wait_for_timeout(500)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
        print(f"wrote {args.out}")
    finally:
        server.terminate()
        server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
