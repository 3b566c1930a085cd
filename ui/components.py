"""HTML for the chat app: recommendation cards, the profile panel, the status line.

Everything shown here comes from the catalog, the profile or the agent's reply and is escaped;
the markup carries stable classes and ``data-`` attributes (``crossrec-card``,
``data-item-id``, ``data-domain``, ``data-action``) that the page script and the browser
tests rely on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from crossrec.agent import Recommendation

__all__ = [
    "EMPTY_CARDS",
    "cards_html",
    "evidence_lines",
    "profile_html",
    "read_static",
    "recommendations_from_state",
    "status_markdown",
]

EMPTY_CARDS = (
    '<div class="crossrec-cards crossrec-empty" data-count="0">Recommendations will '
    "appear here: tell me something you enjoyed and what you would like next.</div>"
)

_SAFE = re.compile(r"[^a-z0-9_-]+")


def read_static(name: str) -> str:
    """The text of a file shipped in ``crossrec/ui/static``."""
    return resources.files("crossrec.ui").joinpath("static", name).read_text(encoding="utf-8")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _token(value: str) -> str:
    """A value safe inside a class name or attribute (domains are free-form in user catalogs)."""
    return _SAFE.sub("-", str(value).lower()).strip("-") or "other"


def evidence_lines(evidence: Iterable[dict[str, Any]], limit: int = 3) -> list[str]:
    """Readable HTML lines for evidence links, e.g. 'Like <b>Fight Club</b>: same writer ...'
    (what a pick is like may be one the person liked or one they asked about, not liked)."""
    lines = []
    for link in list(evidence)[:limit]:
        title, relation, value = link.get("history_title"), link.get("relation"), link.get("value")
        fact = f"{relation} {value}" if relation and value else ""
        if title and fact and value.casefold() in title.casefold():  # its franchise: its name
            lines.append(f"Like <b>{_e(title)}</b>: same {_e(relation)}")
        elif title and fact:
            lines.append(f"Like <b>{_e(title)}</b>: same {_e(fact)}")
        elif title:
            lines.append(f"Often chosen with <b>{_e(title)}</b>")
        elif fact:
            lines.append(f"You mentioned {_e(fact)}")
        elif link.get("text"):
            lines.append(_e(link["text"]))
    return lines


def _card(rank: int, rec: Recommendation, feedback: str) -> str:
    evidence = "".join(f"<li>{line}</li>" for line in evidence_lines(rec.evidence))
    item = _e(rec.item_id)
    justification = (
        (
            f'<p class="crossrec-justification" data-source="{_e(rec.justification_source)}">'
            f"{_e(rec.justification)}</p>"
        )
        if rec.justification
        else ""
    )
    liked, disliked = feedback == "liked", feedback == "disliked"
    return (
        f'<article class="crossrec-card" data-item-id="{item}" data-domain="{_e(rec.domain)}" '
        f'data-feedback="{feedback}">'
        '<div class="crossrec-card-head">'
        f'<span class="crossrec-rank">{rank}.</span>'
        f'<h3 class="crossrec-card-title">{_e(rec.title)}</h3>'
        f'<span class="crossrec-badge crossrec-domain-{_token(rec.domain)}" '
        f'data-domain="{_token(rec.domain)}">{_e(rec.domain)}</span>'
        "</div>"
        + (
            f'<p class="crossrec-connection">{_e(rec.connection)}</p>'
            if getattr(rec, "connection", "")
            else ""
        )
        + f"{justification}"
        + (f'<ul class="crossrec-evidence">{evidence}</ul>' if evidence else "")
        + '<div class="crossrec-actions">'
        f'<button type="button" class="crossrec-like" data-action="like" data-item-id="{item}" '
        f'aria-pressed="{str(liked).lower()}">Like</button>'
        f'<button type="button" class="crossrec-dislike" data-action="dislike" data-item-id="{item}" '
        f'aria-pressed="{str(disliked).lower()}">Not for me</button>'
        "</div></article>"
    )


def cards_html(
    items: Sequence[Recommendation], liked: Sequence[str] = (), disliked: Sequence[str] = ()
) -> str:
    """Cards for a reply's recommendations, marked with the user's feedback so far."""
    if not items:
        return EMPTY_CARDS
    liked_set, disliked_set = set(liked), set(disliked)
    cards = []
    for rank, rec in enumerate(items, start=1):
        feedback = (
            "liked"
            if rec.item_id in liked_set
            else "disliked"
            if rec.item_id in disliked_set
            else ""
        )
        cards.append(_card(rank, rec, feedback))
    return f'<div class="crossrec-cards" data-count="{len(items)}">{"".join(cards)}</div>'


def recommendations_from_state(rows: Sequence[dict[str, Any]] | None) -> list[Recommendation]:
    """Recommendations back from the plain dicts kept in a ``gr.State``."""
    return [Recommendation(**row) for row in rows or ()]


def _chips(name: str, ids: Sequence[str], catalog) -> str:
    chips = []
    for item_id in reversed(list(ids)):  # newest first
        item = catalog.get(item_id)
        title, domain = (item.title, item.domain) if item else (item_id, "?")
        chips.append(
            f'<span class="crossrec-chip" data-list="{name}" data-item-id="{_e(item_id)}" '
            f'data-domain="{_e(domain)}"><span class="crossrec-chip-title">{_e(title)}</span>'
            f"<small>{_e(domain)}</small>"
            f'<button type="button" data-action="forget" data-item-id="{_e(item_id)}" '
            f'title="remove {_e(title)} from your profile" aria-label="remove {_e(title)}">'
            "&times;</button></span>"
        )
    body = "".join(chips) or '<span class="crossrec-none">nothing yet</span>'
    return f'<div class="crossrec-chips" data-list="{name}" data-count="{len(ids)}">{body}</div>'


def profile_html(profile, catalog) -> str:
    """The liked and disliked items of a profile, each with a remove button."""
    domain = profile.domain or "any"
    return (
        f'<div class="crossrec-profile" data-liked="{len(profile.liked)}" '
        f'data-disliked="{len(profile.disliked)}" data-domain="{_e(domain)}">'
        f"<h4>Liked</h4>{_chips('liked', profile.liked, catalog)}"
        f"<h4>Not for me</h4>{_chips('disliked', profile.disliked, catalog)}"
        f'<div class="crossrec-domain-line">Recommending from: <b>{_e(domain)}</b></div></div>'
    )


def status_markdown(rec=None, error: str | None = None, loading: str | None = None) -> str:
    """One line above the chat: which catalog is loaded, or what went wrong."""
    if error:
        return f"⚠️ {error}"
    if loading:
        return f"⏳ Loading catalog **{loading}** and the models; this can take a minute…"
    if rec is None:
        return ""
    domains = ", ".join(rec.catalog.domains)
    return (
        f"Catalog **{rec.catalog.name}**: {len(rec.catalog):,} items ({domains}). Ask across "
        "domains, e.g. a movie you loved and the books you would like."
    )
