"""The chat app served by a real Gradio server, driven in a real headless Chromium.

The recommender is the ``tiny_agent`` fixture: the real OpenDialKG catalog in a real Chroma
store, the bundled MiniLM, and a tiny random LLM. Expectations come from the catalog and from
the same agent answering the same message in a separate session, never from the page itself.

Set ``CROSSREC_UI_SCREENSHOT=docs/ui.png`` to also refresh the README screenshot.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
VIEWPORT = {"width": 1280, "height": 900}
REPLY_TIMEOUT_MS = 90_000  # the tiny LLM is quick, but this machine may be busy
CROSS_DOMAIN = "I loved the movie Fight Club. Any books I'd like?"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} (apt install chromium)"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module; each test opens its own contexts."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'crossrec[dev]'")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def app_url(tiny_agent) -> Iterator[str]:
    """The app on a free loopback port, served by the same launch path as ``crossrec ui``."""
    pytest.importorskip("gradio", reason="pip install 'crossrec[ui]'")
    from crossrec.ui.app import build_app, launch_app
    from crossrec.ui.config import UIConfig

    config = UIConfig(port=_free_port())
    demo = build_app({"opendialkg": tiny_agent}, "opendialkg", config=config)
    _, url, _ = launch_app(demo, config, block=False, quiet=True)
    try:
        yield url
    finally:
        demo.close()


def _open(browser, url: str):
    """A new tab in a fresh browser context (its own cookies: another user), app loaded."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(url)
    page.wait_for_selector("#crossrec-profile .crossrec-profile", timeout=REPLY_TIMEOUT_MS)
    return page


def _send(page, text: str) -> None:
    page.locator("#crossrec-message textarea").fill(text)
    page.locator("#crossrec-send").click()


def _wait_for_cards(page) -> None:
    page.wait_for_selector("#crossrec-cards .crossrec-card", timeout=REPLY_TIMEOUT_MS)


def _profile_ids(page, name: str) -> list[str]:
    chips = page.locator(f'#crossrec-profile .crossrec-chip[data-list="{name}"]')
    return [chip.get_attribute("data-item-id") for chip in chips.all()]


def _bot_messages(page):
    return page.locator('#crossrec-chat [data-testid="bot"]')


def test_cross_domain_request_shows_book_cards_and_like_updates_profile(
    browser, app_url, tiny_agent, tmp_path
):
    from playwright.sync_api import expect

    page = _open(browser, app_url)
    catalog = tiny_agent.catalog
    _send(page, CROSS_DOMAIN)
    _wait_for_cards(page)

    cards = page.locator("#crossrec-cards .crossrec-card")
    assert cards.count() == tiny_agent.config.k
    for card in cards.all():
        item_id = card.get_attribute("data-item-id")
        assert item_id in catalog, f"card {item_id!r} is not a catalog item"
        assert catalog[item_id].domain == "book", f"{catalog[item_id]} is not a book"
        assert card.get_attribute("data-domain") == "book"
        assert card.locator(".crossrec-card-title").inner_text().strip() == catalog.shown(item_id)
    fight_club = catalog.by_title("Fight Club")[0]
    assert fight_club in _profile_ids(page, "liked"), (
        "the movie named in the message is not in the profile"
    )
    expect(page.locator("#crossrec-domain input")).to_have_value("book")

    card = cards.first
    item_id = card.get_attribute("data-item-id")
    assert item_id not in _profile_ids(page, "liked")
    card.locator('button[data-action="like"]').click()
    page.wait_for_selector(
        f'#crossrec-profile .crossrec-chip[data-list="liked"][data-item-id="{item_id}"]',
        timeout=REPLY_TIMEOUT_MS,
    )
    expect(
        page.locator(f'#crossrec-cards .crossrec-card[data-item-id="{item_id}"]')
    ).to_have_attribute("data-feedback", "liked")
    assert _profile_ids(page, "liked") == [item_id, fight_club]  # newest first

    page.screenshot(path=str(tmp_path / "ui.png"), full_page=True)
    assert (tmp_path / "ui.png").stat().st_size > 10_000
    if os.environ.get("CROSSREC_UI_SCREENSHOT"):
        target = Path(os.environ["CROSSREC_UI_SCREENSHOT"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "ui.png", target)

    card.locator('button[data-action="dislike"]').click()
    page.wait_for_selector(
        f'#crossrec-profile .crossrec-chip[data-list="disliked"][data-item-id="{item_id}"]',
        timeout=REPLY_TIMEOUT_MS,
    )
    assert _profile_ids(page, "liked") == [fight_club]


def test_two_browser_sessions_do_not_share_history_or_profile(browser, app_url, tiny_agent):
    message_a, message_b = CROSS_DOMAIN, "I liked the book Dune. What movies would I enjoy?"
    tiny_agent.chat(message_a, session_id="probe-a")
    tiny_agent.chat(message_b, session_id="probe-b")
    liked_a, liked_b = tiny_agent.profile("probe-a").liked, tiny_agent.profile("probe-b").liked
    assert liked_a and liked_b and not set(liked_a) & set(liked_b), "the two messages must differ"

    page_a, page_b = _open(browser, app_url), _open(browser, app_url)
    _send(page_a, message_a)
    _send(page_b, message_b)  # both replies are computed at the same time
    _wait_for_cards(page_a)
    _wait_for_cards(page_b)

    assert sorted(_profile_ids(page_a, "liked")) == sorted(liked_a)
    assert sorted(_profile_ids(page_b, "liked")) == sorted(liked_b)
    users_a = page_a.locator('#crossrec-chat [data-testid="user"]').all_inner_texts()
    users_b = page_b.locator('#crossrec-chat [data-testid="user"]').all_inner_texts()
    assert [t.strip() for t in users_a] == [message_a]
    assert [t.strip() for t in users_b] == [message_b]
    cards_b = page_b.locator("#crossrec-cards .crossrec-card")
    assert {c.get_attribute("data-domain") for c in cards_b.all()} == {"movie"}

    # a reload is a new session: nothing carried over
    page_a.reload()
    page_a.wait_for_selector("#crossrec-profile .crossrec-profile", timeout=REPLY_TIMEOUT_MS)
    assert _profile_ids(page_a, "liked") == []
    assert page_a.locator('#crossrec-chat [data-testid="user"]').count() == 0


def test_a_question_about_a_pick_is_answered_and_likes_nothing(browser, app_url, tiny_agent):
    """ "Who wrote the first one?" says the first card's writer; the pick is not liked, and
    the new cards say what they are like, not "because you liked" it."""
    from playwright.sync_api import expect

    page = _open(browser, app_url)
    _send(page, CROSS_DOMAIN)
    _wait_for_cards(page)
    cards = page.locator("#crossrec-cards .crossrec-card").all()
    ids = [card.get_attribute("data-item-id") for card in cards]
    # the first card with a writer (the novel Fight Club, first since it tells the film's
    # story, is filed with none)
    n, first = next(
        (n, i) for n, i in enumerate(ids) if tiny_agent.catalog[i].attributes.get("writer")
    )
    title = tiny_agent.catalog.spoken(first)
    _send(page, f"Who wrote the {('first', 'second', 'third')[n]} one?")
    expect(_bot_messages(page).last).to_contain_text(
        f"{title} (book) is written by", timeout=REPLY_TIMEOUT_MS
    )
    assert first not in _profile_ids(page, "liked")
    assert "Because you liked" not in page.locator("#crossrec-cards").inner_text()


def test_bad_input_gets_a_readable_reply(browser, app_url, tiny_agent):
    from playwright.sync_api import expect

    empty_reply = tiny_agent.chat("", session_id="probe-empty").text
    long_message = "great books " * 10_000  # 120,000 characters
    notice = tiny_agent.chat(long_message, session_id="probe-long").notices[0]

    page = _open(browser, app_url)
    page.locator("#crossrec-send").click()  # empty textbox
    expect(_bot_messages(page).last).to_have_text(empty_reply, timeout=REPLY_TIMEOUT_MS)
    assert page.locator('#crossrec-chat [data-testid="user"]').count() == 0

    _send(page, long_message)
    expect(_bot_messages(page)).to_have_count(2, timeout=REPLY_TIMEOUT_MS)
    expect(_bot_messages(page).last).to_contain_text(notice, timeout=REPLY_TIMEOUT_MS)
    shown = page.locator('#crossrec-chat [data-testid="user"]').last.inner_text()
    assert len(shown) < 2_100, "the chat view should shorten a huge message"
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "something went wrong" not in text


def test_profile_search_add_remove_and_domain(browser, app_url, tiny_agent):
    from playwright.sync_api import expect

    dune = tiny_agent.catalog.by_title("Dune")[0]
    page = _open(browser, app_url)
    page.locator("#crossrec-find textarea").press_sequentially("Dune", delay=40)
    expect(page.locator("#crossrec-found input")).to_have_value(
        "Dune (book)", timeout=REPLY_TIMEOUT_MS
    )
    page.locator("#crossrec-add-like").click()
    page.wait_for_selector(
        f'#crossrec-profile .crossrec-chip[data-list="liked"][data-item-id="{dune}"]',
        timeout=REPLY_TIMEOUT_MS,
    )

    page.locator("#crossrec-domain input").click()
    page.get_by_role("option", name="movie", exact=True).click()
    expect(page.locator("#crossrec-profile .crossrec-profile")).to_have_attribute(
        "data-domain", "movie", timeout=REPLY_TIMEOUT_MS
    )
    _send(page, "Something new for me, please")
    _wait_for_cards(page)
    cards = page.locator("#crossrec-cards .crossrec-card").all()
    assert cards and all(
        tiny_agent.catalog[c.get_attribute("data-item-id")].domain == "movie" for c in cards
    )

    page.locator(
        f'#crossrec-profile .crossrec-chip[data-item-id="{dune}"] button[data-action="forget"]'
    ).click()
    expect(page.locator('#crossrec-profile .crossrec-chips[data-list="liked"]')).to_have_attribute(
        "data-count", "0", timeout=REPLY_TIMEOUT_MS
    )
