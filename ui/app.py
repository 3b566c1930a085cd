"""The Gradio chat app: streamed replies, recommendation cards, feedback and a profile panel.

``build_app`` only lays out components and wires events; the recommenders are passed in,
already built or as a loader that is called (with a visible status) the first time a catalog
is needed. ``launch_app`` serves it with safe defaults: loopback address, no share link,
optional password, a queue with a concurrency limit.

Each browser tab gets a random session id, so two users never share a profile or a dialog.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import gradio as gr
from crossrec.agent import Recommender, Reply
from crossrec.ui.components import (
    EMPTY_CARDS,
    cards_html,
    profile_html,
    read_static,
    recommendations_from_state,
    status_markdown,
)
from crossrec.ui.config import UIConfig

__all__ = ["RecommenderPool", "UIConfig", "build_app", "launch_app", "new_session_id"]

log = logging.getLogger(__name__)

ANY = "any"
EXAMPLES = [
    "I loved the movie Fight Club. Any books I'd like?",
    "I liked the book The Lord of the Rings; which movies should I watch?",
    "Something with Leonardo DiCaprio, like Inception",
]
MAX_SHOWN_CHARS = 2000  # a longer user message is shortened in the chat view only


def new_session_id() -> str:
    """A fresh random session id (one per browser tab)."""
    return f"ui-{uuid.uuid4().hex}"


class RecommenderPool:
    """Recommenders by catalog name, built on first use by ``loader`` when not given."""

    def __init__(
        self,
        recommenders: Mapping[str, Recommender] | None = None,
        loader: Callable[[str], Recommender] | None = None,
        names: Sequence[str] = (),
    ):
        self._ready: dict[str, Recommender] = dict(recommenders or {})
        self._loader = loader
        self.names = list(dict.fromkeys([*self._ready, *names]))
        if not self.names:
            raise ValueError("no catalogs: pass recommenders or catalog names with a loader")
        self._lock = threading.Lock()

    def is_loaded(self, name: str) -> bool:
        return name in self._ready

    def loaded(self) -> list[Recommender]:
        return list(self._ready.values())

    def get(self, name: str) -> Recommender:
        """The recommender for ``name``, loading it once if needed."""
        if name in self._ready:
            return self._ready[name]
        if name not in self.names or self._loader is None:
            raise ValueError(f"unknown catalog {name!r}; this app serves: {', '.join(self.names)}")
        with self._lock:
            if name not in self._ready:
                self._ready[name] = self._loader(name)
        return self._ready[name]


def _chat_messages(rec: Recommender, session_id: str) -> list[dict[str, str]]:
    """The stored dialog of a session as Chatbot messages."""
    return [{"role": t.role, "content": _shown(t.text)} for t in rec.session(session_id).dialog]


def _shown(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + " …"


def _readable(exc: Exception) -> str:
    detail = str(exc).strip() or type(exc).__name__
    return f"Sorry, something went wrong: {detail}"


class _Handlers:
    """Event handlers; each reads the tab's session id and catalog from its inputs."""

    def __init__(self, pool: RecommenderPool):
        self.pool = pool

    def _domain_update(self, rec: Recommender, value: str | None):
        return gr.update(choices=[ANY, *rec.catalog.domains], value=value or ANY)

    def _panel(self, rec: Recommender, session_id: str, rows=None) -> tuple[str, str]:
        profile = rec.profile(session_id)
        cards = cards_html(recommendations_from_state(rows), profile.liked, profile.disliked)
        return cards, profile_html(profile, rec.catalog)

    def open_catalog(self, session_id: str, catalog: str) -> Iterator[tuple]:
        """Load (once) and show a catalog: status, chat, cards, profile, domains, items."""
        skip = gr.skip()
        if not self.pool.is_loaded(catalog):
            yield status_markdown(loading=catalog), skip, skip, skip, skip, skip
        try:
            rec = self.pool.get(catalog)
            profile = rec.profile(session_id)
            yield (
                status_markdown(rec),
                _chat_messages(rec, session_id),
                EMPTY_CARDS,
                profile_html(profile, rec.catalog),
                self._domain_update(rec, profile.domain),
                [],
            )
        except Exception as exc:  # a missing index or model: say so on the page
            log.exception("cannot open catalog %s", catalog)
            detail = str(exc).strip() or type(exc).__name__
            yield status_markdown(error=f"Cannot open catalog {catalog!r}: {detail}"), *[skip] * 5

    def respond(
        self, message: str, history: list, session_id: str, catalog: str
    ) -> Iterator[tuple]:
        """Stream one reply: chat, textbox, cards, profile, domain, items."""
        skip = gr.skip()
        history = list(history or [])
        if isinstance(message, str) and message.strip():
            history.append({"role": "user", "content": _shown(message)})
        history.append({"role": "assistant", "content": ""})
        yield history, "", skip, skip, skip, skip
        try:
            rec = self.pool.get(catalog)
            reply = None
            for event in rec.chat_events(message if isinstance(message, str) else "", session_id):
                if isinstance(event, Reply):
                    reply = event
                    continue
                history[-1] = {"role": "assistant", "content": history[-1]["content"] + event}
                yield history, skip, skip, skip, skip, skip
            if reply is None:
                raise RuntimeError("the recommender ended the turn without a reply")
            history[-1] = {"role": "assistant", "content": reply.text}
            profile = rec.profile(session_id)
            rows = [item.to_dict() for item in reply.items]
            cards = cards_html(reply.items, profile.liked, profile.disliked) if rows else skip
            yield (
                history,
                skip,
                cards,
                profile_html(profile, rec.catalog),
                self._domain_update(rec, reply.domain or profile.domain),
                rows if rows else skip,
            )
        except Exception as exc:  # never a stack trace in the page
            log.exception("chat turn failed")
            history[-1] = {"role": "assistant", "content": _readable(exc)}
            yield history, skip, skip, skip, skip, skip

    def feedback(
        self, session_id: str, catalog: str, rows: list, evt: gr.EventData
    ) -> tuple[Any, Any]:
        """A like, dislike or remove click on a card or a profile chip."""
        action = getattr(evt, "_data", None)
        action = action if isinstance(action, dict) else {}
        item_id, kind = str(action.get("item_id") or ""), action.get("action")
        if kind not in ("like", "dislike", "forget") or not item_id:
            return gr.skip(), gr.skip()
        return self._change(session_id, catalog, rows, kind, item_id)

    def _change(self, session_id: str, catalog: str, rows: list, kind: str, item_id: str):
        try:
            rec = self.pool.get(catalog)
            rec.update_profile(session_id, **{kind: [item_id]})
            return self._panel(rec, session_id, rows)
        except Exception as exc:
            log.warning("profile change %s %s failed: %s", kind, item_id, exc)
            gr.Warning(_readable(exc))
            return gr.skip(), gr.skip()

    def add(self, kind: str) -> Callable:
        """A handler adding the searched item to the liked or disliked list."""

        def handler(item_id: str | None, session_id: str, catalog: str, rows: list):
            if not item_id:
                gr.Warning("Type a title in the search box and pick an item first.")
                return gr.skip(), gr.skip()
            return self._change(session_id, catalog, rows, kind, item_id)

        return handler

    def search(self, text: str, catalog: str):
        """Catalog items matching the typed text, as dropdown choices."""
        text = (text or "").strip()[:200]
        if len(text) < 2:
            return gr.update(choices=[], value=None)
        try:
            rec = self.pool.get(catalog)
            if rec.retrieval.store is not None:
                hits = [h.item_id for h in rec.retrieval.store.search(text, k=8)]
            else:  # no vector store: match titles
                low = text.lower()
                hits = [i.id for i in rec.catalog if low in i.title.lower()][:8]
        except Exception as exc:
            log.warning("search %r failed: %s", text, exc)
            return gr.update(choices=[], value=None)
        # a title typed whole comes first ("Dune", not the nearest vector, "Heretics of Dune")
        hits = list(dict.fromkeys([*rec.catalog.by_title(text), *hits]))[:8]
        items = rec.catalog
        choices = [(f"{items.shown(i)} ({items[i].domain})", i) for i in hits if i in items]
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def set_domain(self, domain: str, session_id: str, catalog: str) -> Any:
        try:
            rec = self.pool.get(catalog)
            profile = rec.set_domain(session_id, None if domain in (None, "", ANY) else domain)
            return profile_html(profile, rec.catalog)
        except Exception as exc:
            gr.Warning(_readable(exc))
            return gr.skip()

    def reset(self, session_id: str, catalog: str) -> tuple:
        try:
            rec = self.pool.get(catalog)
            rec.reset(session_id)
            return (
                [],
                EMPTY_CARDS,
                profile_html(rec.profile(session_id), rec.catalog),
                self._domain_update(rec, None),
                [],
            )
        except Exception as exc:
            gr.Warning(_readable(exc))
            return tuple(gr.skip() for _ in range(5))

    def forget_session(self, session_id: str | None) -> None:
        """Drop a closed tab's sessions; its random id can never be reopened."""
        for rec in self.pool.loaded():
            try:
                rec.reset(session_id)
            except Exception:  # best effort during shutdown
                log.debug("could not drop session %s", session_id, exc_info=True)


# long by design: the Gradio page's layout and its event wiring, top to bottom as it renders
def build_app(
    recommenders: Mapping[str, Recommender] | Callable[[str], Recommender],
    default_catalog: str,
    *,
    catalogs: Sequence[str] = (),
    config: UIConfig | None = None,
):
    """The chat app as a ``gr.Blocks`` (not launched).

    Args:
        recommenders: Built recommenders by catalog name, or a loader ``name -> Recommender``
            called the first time a catalog is shown (the page shows a loading status meanwhile).
        default_catalog: The catalog a new tab starts with.
        catalogs: Further catalog names offered in the catalog selector (with a loader).
        config: Queue and serving options; only the queue settings are used here.

    Returns:
        The configured, queued ``gr.Blocks``; serve it with :func:`launch_app`.
    """
    config = config or UIConfig()
    if callable(recommenders) and not isinstance(recommenders, Mapping):
        pool = RecommenderPool(loader=recommenders, names=[default_catalog, *catalogs])
    else:
        pool = RecommenderPool(recommenders, names=[default_catalog, *catalogs])
    if default_catalog not in pool.names:
        raise ValueError(f"default catalog {default_catalog!r} is not among {pool.names}")
    on = _Handlers(pool)
    card_css, actions_js = read_static("cards.css"), read_static("actions.js")

    def forget(session_id: str | None) -> None:
        # a plain function: Gradio deep-copies component props per page load, and a bound
        # method would drag the recommenders (and their models) into that copy
        on.forget_session(session_id)

    with gr.Blocks(title="crossrec", analytics_enabled=False) as demo:
        session = gr.State(new_session_id, delete_callback=forget)
        items = gr.State([])
        gr.Markdown(
            "# crossrec\nTell it what you loved in one domain; get recommendations in "
            "another, each with the reason it fits.",
            elem_id="crossrec-header",
        )
        status = gr.Markdown(status_markdown(loading=default_catalog), elem_id="crossrec-status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=5, min_width=380):
                chatbot = gr.Chatbot(
                    label="Chat",
                    height=430,
                    elem_id="crossrec-chat",
                    feedback_options=None,
                    buttons=["copy"],
                    placeholder="Say what you enjoyed, and what you want next.",
                )
                with gr.Row():
                    message = gr.Textbox(
                        show_label=False,
                        scale=5,
                        max_lines=6,
                        autofocus=True,
                        placeholder="e.g. I loved the movie Fight Club. Any books?",
                        elem_id="crossrec-message",
                    )
                    send = gr.Button(
                        "Send", variant="primary", scale=1, min_width=80, elem_id="crossrec-send"
                    )
                gr.Examples(EXAMPLES, inputs=message, label="Try")
            with gr.Column(scale=4, min_width=340):
                with gr.Row():
                    catalog = gr.Dropdown(
                        pool.names,
                        value=default_catalog,
                        label="Catalog",
                        visible=len(pool.names) > 1,
                        elem_id="crossrec-catalog",
                    )
                    domain = gr.Dropdown(
                        [ANY], value=ANY, label="Recommend from", elem_id="crossrec-domain"
                    )
                cards = gr.HTML(
                    EMPTY_CARDS,
                    css_template=card_css,
                    js_on_load=actions_js,
                    elem_id="crossrec-cards",
                    padding=False,
                )
                with gr.Accordion("Your profile", open=True, elem_id="crossrec-profile-panel"):
                    profile = gr.HTML(
                        "", css_template=card_css, js_on_load=actions_js, elem_id="crossrec-profile"
                    )
                    with gr.Row():
                        find = gr.Textbox(
                            label="Add something you know",
                            scale=3,
                            placeholder="type a title…",
                            elem_id="crossrec-find",
                        )
                        found = gr.Dropdown([], label="Matches", scale=3, elem_id="crossrec-found")
                    with gr.Row():
                        add_like = gr.Button("I liked it", size="sm", elem_id="crossrec-add-like")
                        add_dislike = gr.Button(
                            "Not for me", size="sm", elem_id="crossrec-add-dislike"
                        )
                        reset = gr.Button(
                            "Start over", size="sm", variant="secondary", elem_id="crossrec-reset"
                        )

        opened = [status, chatbot, cards, profile, domain, items]
        demo.load(on.open_catalog, [session, catalog], opened)
        catalog.input(on.open_catalog, [session, catalog], opened)
        chat_out = [chatbot, message, cards, profile, domain, items]
        for trigger in (message.submit, send.click):
            trigger(
                on.respond,
                [message, chatbot, session, catalog],
                chat_out,
                concurrency_limit=config.concurrency,
                concurrency_id="chat",
            )
        cards.feedback(on.feedback, [session, catalog, items], [cards, profile])
        profile.feedback(on.feedback, [session, catalog, items], [cards, profile])
        find.input(
            on.search, [find, catalog], found, trigger_mode="always_last", show_progress="hidden"
        )
        add_like.click(on.add("like"), [found, session, catalog, items], [cards, profile])
        add_dislike.click(on.add("dislike"), [found, session, catalog, items], [cards, profile])
        domain.input(on.set_domain, [domain, session, catalog], profile)
        reset.click(on.reset, [session, catalog], [chatbot, cards, profile, domain, items])

    demo.queue(default_concurrency_limit=config.concurrency, max_size=config.max_queue)
    return demo


def launch_app(demo, config: UIConfig | None = None, *, block: bool = True, quiet: bool = False):
    """Serve ``demo``: bind ``config.host`` only, never a share link, login when configured.

    Returns:
        Gradio's ``(app, local_url, share_url)``; with ``block=False`` the server keeps running
        in the background until ``demo.close()``.
    """
    config = config or UIConfig()
    credentials = config.credentials()
    if not config.is_loopback() and credentials is None:
        log.warning(
            "serving on %s without a login; anyone who can reach this address can use "
            "the app (set --auth USER:PASS or CROSSREC_UI_AUTH)",
            config.host,
        )
    return demo.launch(
        server_name=config.host,
        server_port=config.port,
        share=False,
        auth=credentials,
        auth_message="crossrec: sign in" if credentials else None,
        prevent_thread_lock=not block,
        show_error=False,
        quiet=quiet,
        css=read_static("page.css"),
        ssr_mode=False,
        mcp_server=False,
        footer_links=["gradio", "settings"],
    )
