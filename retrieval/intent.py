"""Explicit domain intent in a message: "any books?", "something to watch", "office supplies".

Cue words map to the built-in domains; any other catalog's domain names (and their plurals)
are cues for themselves. A cue right after a request word ("any", "recommend", "some",
"looking for", ...) or right before one ("book recommendations") is the target, unless another
cue already stands between them ("Any books like the movie Fight Club?" -> book); otherwise the
last cue wins, as in "I loved the movie Fight Club. Any books?" -> book. A cue that says where
picks come from is none ("movies based on books by John Grisham" -> movie), nor one negated
("the comics, not the movies").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache
from importlib import resources

import yaml
from crossrec.retrieval.sources.lexical import stopwords

__all__ = [
    "detect_domain",
    "domains_together",
    "domain_cues",
    "domain_names",
    "kinds_sold",
    "other_domains",
    "requested_unknown_domain",
]


@cache
def _cue_lists() -> dict[str, dict[str, tuple[str, ...]]]:
    """``words/domain_cues.yaml``: cue words of the built-in domains and of other domains."""
    text = (
        resources.files("crossrec.retrieval").joinpath("words/domain_cues.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(text)
    return {
        key: {d: tuple(cues) for d, cues in data[key].items()}
        for key in ("domains", "names", "other_domains")
    }


def domain_cues() -> dict[str, tuple[str, ...]]:
    """Cue words of the built-in domains (package data, read once)."""
    return _cue_lists()["domains"]


def domain_names() -> dict[str, tuple[str, ...]]:
    """The cue words that only name a built-in domain ("books", "watch"), never a wish."""
    return _cue_lists()["names"]


def other_domains() -> dict[str, tuple[str, ...]]:
    """Things people ask for that are not a catalog domain unless a catalog says so."""
    return _cue_lists()["other_domains"]


_REQUEST = re.compile(
    r"\b(?:any|some|recommend|suggest|suggestions?|looking for|want|need|find|something to|a good|"
    r"another|more|other|(?:should|can|could) (?:i|we)|what to)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
# a cue that asks by the word after it ("book recommendations for someone who liked the movie
# X"), or that says where a pick comes from ("movies based on books by John Grisham")
_ASKS_AFTER = re.compile(r"\s+(?:recommendations?|recs|suggestions?|ideas|picks)\b")
_SOURCE = re.compile(r"\b(?:based on|adapted from|adaptations? of)(?:\s+(?:the|a|an|his|her))?\s+$")
# the kind of what was liked: "what can i read if i loved the |movie the princess bride"
_LIKED_KIND = re.compile(  # past: not "would like the movie", "want to read the book"
    r"(?<!\bto )(?<!would )(?<!'d )\b(?:loved|liked|enjoyed|watched|read|saw|seen)\s+the\s+$"
)
_NOT_ASKED = re.compile(  # "not the movies", "no more books", "enough books"
    r"\b(?:not|no|nothing|without|instead of|enough)\s+(?:the\s+|any\s+|more\s+)?$"
)
_WORD = re.compile(r"[a-z]+(?:\s+supplies)?")
_JOINED = re.compile(r"(?:\bor|\band|&|/)\s*$", re.IGNORECASE)  # "movies or |books"; not ", books"
_LETTERS = re.compile(r"[a-z]+")


def _cues(domains: Sequence[str]) -> dict[str, str]:
    cues: dict[str, str] = {}
    for domain in domains:
        for cue in _cue_lists()["domains"].get(
            domain, _cue_lists()["other_domains"].get(domain, ())
        ):
            cues[cue] = domain
        base = domain.lower()
        cues[base] = domain
        cues[base + "s"] = domain
    return cues


def detect_domain(text: str, domains: Sequence[str]) -> str | None:
    """The domain ``text`` explicitly asks for, among ``domains``; None if it names none."""
    found = _asked(text, domains)
    if not found:
        return None
    requested = [d for _, _, d, r in found if r]
    return requested[-1] if requested else found[-1][2]


def domains_together(text: str, domains: Sequence[str]) -> tuple[str, ...]:
    """The domains ``text`` asks for at once, the second right after "or" / "and" ("movies
    or books similar?", "books by Neil Gaiman and movies based on them"), in order; () where it
    asks for one or none."""
    found = _asked(text, domains)
    for a, b in zip(found, found[1:], strict=False):
        if a[2] != b[2] and _JOINED.search(text[a[1] : b[0]]):
            return (a[2], b[2])
    return ()


def _asked(text: str, domains: Sequence[str]) -> list[tuple[int, int, str, bool]]:
    """``(start, end, domain, requested)`` of each domain cue of ``text`` that asks for its
    domain (not its source: "based on the book"; not negated), in order; requested where a
    request word asks for it. The kind of what was liked ("if i loved the movie X, what can i
    read") counts only where no other cue is said."""
    cues = _cues(domains)
    lowered = text.lower()
    found: list[tuple[int, int, str, bool, bool]] = []
    for match in _WORD.finditer(lowered):
        word = match.group()
        domain = cues.get(word) or cues.get(word.split()[0])
        if not domain:
            continue
        if word == "series" and found and not lowered[found[-1][1] : match.start()].strip():
            continue  # "a book series": books
        before = lowered[: match.start()]  # "the comics, not the movies": no movies asked
        if not _SOURCE.search(before) and not _NOT_ASKED.search(before):
            request = _REQUEST.search(before)
            # "Any books like the movie X?": a cue after the one a request word asks for says
            # what the request is like, not what it asks for
            requested = bool(request) and all(at < request.start() for at, *_ in found)
            requested = requested or bool(_ASKS_AFTER.match(lowered, match.end()))
            liked = not requested and bool(_LIKED_KIND.search(before))
            found.append((match.start(), match.end(), domain, requested, liked))
    asked = [cue[:4] for cue in found if not cue[4]]  # a liked thing's kind, where none else
    return asked or [cue[:4] for cue in found]


def requested_unknown_domain(
    text: str, domains: Sequence[str], kinds: Collection[str] = ()
) -> str | None:
    """A domain the user explicitly asks for that the catalog does not have ("any podcasts?").
    A cue that begins one of the catalog's ``kinds`` of item (:func:`kinds_sold`) asks for
    that item, not the domain: "I need a book stand" in a catalog of office products."""
    known = set(domains)
    lists = _cue_lists()
    everything = [
        *known,
        *(d for d in (*lists["domains"], *lists["other_domains"]) if d not in known),
    ]
    found = detect_domain(text, everything)
    if found is None or found in known:
        return None
    lowered = text.lower()
    cues = _cues([found])
    for match in _WORD.finditer(lowered):
        if cues.get(match.group()) != found or not _REQUEST.search(lowered[: match.start()]):
            continue
        pair = _LETTERS.findall(lowered[match.start() :])[:2]  # "book stand", "book ends"
        if not {" ".join(pair), "".join(pair)} & set(kinds):
            return found
    return None


def kinds_sold(text: str, domains: Sequence[str], titles: Collection[str]) -> frozenset[str]:
    """The two words of ``text`` that begin with a cue word of a domain not in ``domains``
    ("book", "music") and that some of the catalog's ``titles`` (normalised) hold, as the titles
    say them: "book stand", or "bookends" for "book ends", where office products are sold."""
    lists, words = _cue_lists(), _LETTERS.findall(text.lower())
    cues = {
        cue
        for group in ("domains", "other_domains")
        for domain, group_cues in lists[group].items()
        if domain not in domains
        for cue in group_cues
    }
    pairs = {
        f"{a} {b}"
        for a, b in zip(words, words[1:], strict=False)
        if a in cues and b not in stopwords()
    }
    padded = [f" {title} " for title in titles]
    kinds = set()
    for pair in pairs:  # as the titles say it
        for said in (pair, pair.replace(" ", "")):
            if any(f" {said} " in title for title in padded):
                kinds.add(said)
                break
    return frozenset(kinds)
