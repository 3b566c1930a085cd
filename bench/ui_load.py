"""N browser sessions chatting at once through the Gradio queue, in a real headless Chromium.

Each session names its own item ("I loved the movie X. Any books I'd like?") and then sends
follow-ups. After every reply the page must show cards of catalog items only, the session's
profile must hold its own named items and nobody else's, and no request may go unanswered.
Reply latency (click to the cards of this turn on screen) and the server's peak memory are
recorded. Used by ``make bench`` (``bench_ui_load`` in bench/run.py).
"""

from __future__ import annotations

import asyncio
import random
import resource
import socket
import time

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
FOLLOW_UPS = ("Something funnier, please", "Any movies instead?")
TIMEOUT_MS = 180_000  # a reply with no picks keeps the old cards: counted unanswered
# the n-th reply is complete when its cards (drawn after the last word) are all named in it
_DONE = """(n) => {
  const bots = document.querySelectorAll('#crossrec-chat [data-testid="bot"]');
  if (bots.length <= n) return false;
  const text = bots[bots.length - 1].innerText;
  const titles = [...document.querySelectorAll('#crossrec-cards .crossrec-card-title')];
  return titles.length > 0 && titles.every((t) => text.includes(t.innerText.trim()));
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _session(browser, url: str, rec, first: str, named: str, turns: int) -> dict:
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    page = await (await browser.new_context()).new_page()
    await page.goto(url)
    await page.wait_for_selector("#crossrec-profile .crossrec-profile", timeout=TIMEOUT_MS)
    out = {"latencies": [], "answered": 0, "foreign": 0, "outside": 0, "missing_own": 0}
    messages = [first, *FOLLOW_UPS][:turns]
    for n, text in enumerate(messages):
        await page.locator("#crossrec-message textarea").fill(text)
        start = time.perf_counter()
        await page.locator("#crossrec-send").click()
        try:
            await page.wait_for_function(_DONE, arg=n, timeout=TIMEOUT_MS)
        except PlaywrightTimeout:  # counted as unanswered; the session goes on
            continue
        out["latencies"].append(time.perf_counter() - start)
        out["answered"] += 1
        cards = await page.locator("#crossrec-cards .crossrec-card").all()
        ids = [await c.get_attribute("data-item-id") for c in cards]
        out["outside"] += sum(i not in rec.catalog for i in ids)
        chips = page.locator('#crossrec-profile .crossrec-chip[data-list="liked"]')
        liked = [await c.get_attribute("data-item-id") for c in await chips.all()]
        out["missing_own"] += named not in liked
        out["foreign"] += sum(i != named for i in liked)
    out["sent"] = len(messages)
    return out


async def _run(url: str, rec, sessions: int, turns: int, seed: int) -> list[dict]:
    from playwright.async_api import async_playwright

    rng = random.Random(seed)
    movies = [  # unambiguous titles, so that the message names exactly one item
        i
        for i in rec.catalog
        if i.domain == "movie" and ":" not in i.title and len(rec.catalog.by_title(i.title)) == 1
    ]
    named = rng.sample(movies, sessions)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            return await asyncio.gather(
                *(
                    _session(
                        browser,
                        url,
                        rec,
                        f"I loved the movie {item.title}. Any books I'd like?",
                        item.id,
                        turns,
                    )
                    for item in named
                )
            )
        finally:
            await browser.close()


def ui_load(rec, sessions: int = 8, turns: int = 3, seed: int = 0) -> dict:
    """Serve ``rec`` in the app and drive ``sessions`` browser sessions at once."""
    from crossrec.evaluation.metrics import latency_summary
    from crossrec.ui.app import build_app, launch_app
    from crossrec.ui.config import UIConfig

    config = UIConfig(port=_free_port())
    demo = build_app({rec.catalog.name: rec}, rec.catalog.name, config=config)
    _, url, _ = launch_app(demo, config, block=False, quiet=True)
    started = time.perf_counter()
    try:
        results = asyncio.run(_run(url, rec, sessions, turns, seed))
    finally:
        demo.close()
    latencies = [s for r in results for s in r["latencies"]]
    return {
        "sessions": sessions,
        "turns_per_session": turns,
        "requests_sent": sum(r["sent"] for r in results),
        "requests_answered": sum(r["answered"] for r in results),
        "items_outside_catalog": sum(r["outside"] for r in results),
        "foreign_profile_items": sum(r["foreign"] for r in results),
        "own_item_missing": sum(r["missing_own"] for r in results),
        "reply_latency_s": latency_summary(latencies),
        "wall_s": round(time.perf_counter() - started, 1),
        # this process is the server (models loaded, app, queue); Chromium is the clients
        "server_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
