"""Explicit domain intent in a message: "any books?", "something to watch", "office supplies".

Cue words map to the built-in domains; any other catalog's domain names (and their plurals)
are cues for themselves. A cue right after a request word ("any", "recommend", "some",
"looking for", ...) is the target; otherwise the last cue wins, as in "I loved the movie
Fight Club. Any books?" -> book.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["DOMAIN_CUES", "OTHER_DOMAINS", "detect_domain", "requested_unknown_domain"]

DOMAIN_CUES: dict[str, tuple[str, ...]] = {
    "movie": (
        "movie",
        "movies",
        "film",
        "films",
        "watch",
        "watching",
        "cinema",
        "tv",
        "series",
        "actor",
        "actress",
        "director",
        "starring",
        "dvd",
    ),
    "book": (
        "book",
        "books",
        "read",
        "reading",
        "novel",
        "novels",
        "author",
        "authors",
        "writer",
        "literature",
        "paperback",
        "ebook",
        "kindle",
    ),
    "arts": (
        "art",
        "arts",
        "craft",
        "crafts",
        "crafting",
        "sewing",
        "knitting",
        "yarn",
        "paint",
        "painting",
        "scrapbooking",
        "quilting",
        "beads",
        "beading",
        "embroidery",
        "fabric",
        "canvas",
        "drawing",
        "sketching",
        "crochet",
    ),
    "office": (
        "office",
        "desk",
        "printer",
        "ink",
        "toner",
        "stationery",
        "stapler",
        "binder",
        "binders",
        "folders",
        "envelopes",
        "labels",
        "calculator",
        "planner",
        "whiteboard",
        "school supplies",
        "pens",
    ),
}
# Things people ask for that are not a catalog domain unless a catalog says so.
OTHER_DOMAINS: dict[str, tuple[str, ...]] = {
    "music": ("music", "song", "songs", "album", "albums", "band", "bands", "playlist"),
    "podcast": ("podcast", "podcasts"),
    "game": ("game", "games", "videogame", "videogames"),
    "recipe": ("recipe", "recipes", "dish", "dishes"),
    "restaurant": ("restaurant", "restaurants"),
    "clothing": ("clothes", "clothing", "shoes", "shirt", "dress"),
    "electronics": ("phone", "phones", "laptop", "laptops", "headphones", "camera"),
    "travel": ("hotel", "hotels", "trip", "destination", "destinations"),
    "toy": ("toy", "toys"),
    "app": ("app", "apps"),
}
_REQUEST = re.compile(
    r"\b(?:any|some|recommend|suggest|suggestions?|looking for|want|need|find|something to|a good|"
    r"another|more|other)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+(?:\s+supplies)?")


def _cues(domains: Sequence[str]) -> dict[str, str]:
    cues: dict[str, str] = {}
    for domain in domains:
        for cue in DOMAIN_CUES.get(domain, OTHER_DOMAINS.get(domain, ())):
            cues[cue] = domain
        base = domain.lower()
        cues[base] = domain
        cues[base + "s"] = domain
    return cues


def detect_domain(text: str, domains: Sequence[str]) -> str | None:
    """The domain ``text`` explicitly asks for, among ``domains``; None if it names none."""
    cues = _cues(domains)
    lowered = text.lower()
    found: list[tuple[int, str, bool]] = []
    for match in _WORD.finditer(lowered):
        word = match.group()
        domain = cues.get(word) or cues.get(word.split()[0])
        if domain:
            requested = bool(_REQUEST.search(lowered[: match.start()]))
            found.append((match.start(), domain, requested))
    if not found:
        return None
    requested = [d for _, d, r in found if r]
    return requested[-1] if requested else found[-1][1]


def requested_unknown_domain(text: str, domains: Sequence[str]) -> str | None:
    """A domain the user explicitly asks for that the catalog does not have ("any podcasts?")."""
    known = set(domains)
    everything = [*known, *(d for d in (*DOMAIN_CUES, *OTHER_DOMAINS) if d not in known)]
    found = detect_domain(text, everything)
    if found is None or found in known:
        return None
    lowered = text.lower()
    cues = _cues([found])
    for match in _WORD.finditer(lowered):
        if cues.get(match.group()) == found and _REQUEST.search(lowered[: match.start()]):
            return found
    return None
