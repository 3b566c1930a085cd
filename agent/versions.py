"""'Is there a movie of it?': whether the catalog holds a version of an item in another domain.

"I loved Gone Girl the book", then "is there a movie of it?", got five films like it and no
answer; "Is there a movie of Pride and Prejudice?" showed the film without saying it was one.
A question for a version of what was named ("is there a movie of ...", "do you have the book
of it?") is answered before the picks: the items of that domain told under the same title
(the film of a novel, "&" read as "and"), or that none is here; of a series named as a whole
("I loved Harry Potter"), nothing is claimed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from crossrec.agent.referents import of_shown
from crossrec.retrieval import FRANCHISE, detect_domain, name_key, without_qualifier

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.request import Request

__all__ = ["told_as", "versions_first", "versions_said"]

_ASKED = re.compile(
    r"\b(?:is there|are there|do you have|have you got|any)\s+(?:a|an|any|the)?\s*"
    r"(?P<kind>\w+)\s+(?:(?:version\s+|adaptation\s+)?(?:of|based on)|version|adaptation)\b",
    re.IGNORECASE,
)

_ASKED_ALONE = re.compile(  # "what about the movie?", "is there a film?": of what was named
    r"\b(?:is there|do you have|have you got|what about)\s+(?:a|an|the)\s+"
    r"(?P<kind>movie|film|book|novel)\s*(?:[?.!]|$)",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s*:\s+|\s+[-–—]\s+")  # "The Hobbit: An Unexpected Journey"
_SOURCE = re.compile(r"\b(?:based on|adapted from)\b", re.IGNORECASE)


def versions_first(rec: Recommender, request: Request, ranked: list) -> list:
    """``ranked`` (ids and scores) with the versions, in the domain asked, of the picks shown
    that a message asks of first ("sci fi books", then "any of those made into movies?": The
    Hunger Games and Ender's Game films, not X-Men before them)."""
    versions = {v for told in _of_shown(rec, request)[1].values() for v in told}
    return [p for p in ranked if p[0] in versions] + [p for p in ranked if p[0] not in versions]


def versions_said(rec: Recommender, request: Request) -> list[str]:
    """The answer to a question for a version of the item named last (or of the picks shown
    asked of), or none."""
    domain, shown = _of_shown(rec, request)
    if domain is not None:  # "any of those made into movies?"
        names = [rec.catalog.spoken(i) for i, told in shown.items() if told]
        if not names:
            # (by title: a film of another name, Blade Runner's novel, is not seen)
            return [f"None of those has a {domain} of its title here; these are like them."]
        have = "has" if len(names) == 1 else "have"
        return [f"Of those, {_listed(names)} {have} a {domain} version here."]
    asked = _ASKED.search(request.message or "") or _ASKED_ALONE.search(request.message or "")
    domain = detect_domain(asked.group("kind"), rec.catalog.domains) if asked else None
    catalog = rec.catalog
    source = next((i for i in reversed(request.query.history) if catalog[i].domain != domain), None)
    if domain is None or source is None or _in_series(rec, source, request.query.history):
        return []
    versions = told_as(catalog, source, domain)
    said = f"{catalog.spoken(source)} ({catalog[source].domain})"
    if not versions:
        return [f"I have no {domain} titled like {said} here; these are like it."]
    found = " and ".join(_told_apart(rec, i, len(versions) > 1) for i in versions[:3])
    return [f"Yes: {found} {'tells' if len(versions) == 1 else 'tell'} the story of {said}."]


def _of_shown(rec: Recommender, request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The domain a message asks of the picks shown ("any of those made into movies?") and each
    pick's versions in it, in the order shown; ``(None, {})`` where it asks no such thing."""
    message, catalog = request.message or "", rec.catalog
    asked = _SOURCE.sub(" ", message)  # "any of those based on books?": the books asked of
    domain = detect_domain(asked, catalog.domains) if of_shown(message) else None
    if domain is None:
        return None, {}
    dialog = request.session.dialog if request.session else []
    last = next((t.items for t in reversed(dialog) if t.role == "assistant" and t.items), [])
    shown = [i for i in last if catalog[i].domain != domain]  # not all liked before
    return domain, {i: told_as(catalog, i, domain) for i in shown}


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def told_as(catalog, item_id: str, domain: str) -> list[str]:
    """The items of ``domain`` told under ``item_id``'s name: its film, its novel; where none
    is, those whose title has it as a part after or before a colon or a dash ("The Hobbit": The
    Hobbit: An Unexpected Journey; "The Fellowship of the Ring": The Lord of the Rings: The
    Fellowship of the Ring; not The Secret Garden for "The Secret")."""
    key, (whole, parts) = _key(catalog.spoken(item_id)), _told(catalog, domain)
    same = [i for i in whole.get(key, ()) if i != item_id]
    return same or [i for i in parts.get(key, ()) if i != item_id]


@lru_cache(maxsize=8)
def _told(catalog, domain: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Of ``domain``'s items, those told under each name and under each part of a title
    around a colon or a dash, in catalog order (built once: a turn asks it of each item named,
    and reading every title took about 30 ms a time)."""
    whole: dict[str, list[str]] = {}
    parts: dict[str, list[str]] = {}
    for item_id in catalog.ids(domain):
        title = catalog.spoken(item_id)
        whole.setdefault(_key(title), []).append(item_id)
        for part in _parts(title):
            parts.setdefault(part, []).append(item_id)
    return whole, parts


def _parts(title: str) -> set[str]:
    """The keys of a title's parts around a colon or a dash, where it has several."""
    parts = _PARTS.split(title)
    return {_key(p) for p in parts} if len(parts) > 1 else set()


def _told_apart(rec: Recommender, item_id: str, several: bool) -> str:
    """ "The Great Gatsby (movie)", with one fact of it where ``several`` versions share that
    name: "The Great Gatsby (movie, 2013)", "(movie, with Sam Waterston)"."""
    catalog, graph = rec.catalog, rec.retrieval.graph
    held = sorted(graph.facts_of(item_id), key=lambda f: graph.df[graph.fact_index[f]])
    facts = dict(held)  # of each relation the value most items share: a lead, not a cameo
    how = next(((r, how) for r, how in _APART if r in facts), None) if several else None
    detail = f", {how[1]}{without_qualifier(facts[how[0]])}" if how else ""
    return f"{catalog.spoken(item_id)} ({catalog[item_id].domain}{detail})"


_APART = (("year", ""), ("director", "directed by "), ("writer", "by "), ("actor", "with "))


def _in_series(rec: Recommender, source: str, history) -> bool:
    """Whether ``source`` was named with others of its franchise ("I loved Harry Potter"): which
    one "it" is, is unsaid, so no version is claimed."""
    graph, domain = rec.retrieval.graph, rec.catalog[source].domain
    series = {f for f in graph.facts_of(source) if f[0] == FRANCHISE}
    others = (i for i in history if i != source and rec.catalog[i].domain == domain)
    return any(series & set(graph.facts_of(i)) for i in others)


def _key(title: str) -> str:
    return name_key(title.replace("&", " and "))
