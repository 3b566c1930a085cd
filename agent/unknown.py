"""Names the catalog does not know: "La La Land was great", "I read Where the Crawdads Sing".

A title the user liked that is not in the catalog was read as a wish, word by word: "La La
Land" became the wish 'land' (the genre Ocean), "Where the Crawdads Sing" the wish 'crawdads
sing' (Music). Where a run of capitalised words that nothing linked is said as a work
liked (after "loved", "read", "watched", "like", ...; or a clause's subject before "was") in
a message written in sentence case, it is a name: its words are no wish, and the reply says it
does not know it. Said in the present ("I enjoy Watercolor Painting", "Christmas Eve is coming"), or
joined by "and" ("Game of Thrones and Breaking Bad": two), it is not one name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from crossrec.agent.clauses import masked
from crossrec.agent.wordlists import request_words
from crossrec.retrieval import Mention, domain_cues, stopwords

__all__ = ["name_spans", "unknown_names"]

_WORD = re.compile(r"[^\W_][\w'’-]*", re.UNICODE)
_JOINERS = frozenset({"of", "the", "a", "an", "in", "to", "at", "on", "for", "with"})
_LIKED_BEFORE = re.compile(  # "I loved", "just watched the movie"; not "I enjoy Watercolor"
    r"\b(?:loved|liked|enjoyed|read|watched|saw|seen|finished|adored"
    r"|(?<!'d\s)(?<!would\s)like|similar to|such as|fans? of)"
    r"(?:\s+(?:the\s+)?(?:movie|film|book|novel|show|series))?\s*$",
    re.IGNORECASE,
)
_SUBJECT_AFTER = re.compile(r"^\s*(?:was|were)\b", re.IGNORECASE)  # not "Christmas Eve is"
_CLAUSE_START = re.compile(r"(?:^|[.!?;,\n])\s*$")
_PEOPLE = frozenset({"actor", "director", "writer"})


def name_spans(mentions: Iterable[Mention]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans of ``mentions`` an unknown name never holds, and those of people, which one
    may ("La La" of "La La Land"): the two span arguments of :func:`unknown_names`."""
    spans, people = [], []
    for m in mentions:
        person = m.kind == "fact" and m.facts and all(r in _PEOPLE for r, _ in m.facts)
        (people if person else spans).append((m.start, m.end))
    return spans, people


def unknown_names(
    message: str,
    spans: Iterable[tuple[int, int]],
    domains: Sequence[str],
    before: re.Pattern = _LIKED_BEFORE,
    people: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each unknown name in ``message``, outside the linked ``spans``;
    ``before``: what is said right before a name (a question: "Who directed Zzyzx Road?").
    A name may hold a linked person (``people``: "La La" of "La La Land") where words the
    person's name lacks continue it; the person alone is no name ("Tom Hanks movies")."""
    people, spans = list(people), list(spans)
    words = list(_WORD.finditer(masked(message, spans)))
    if not any(w.group()[0].islower() for w in words):  # "I LOVED LA LA LAND": no capitals
        return []
    plain = _plain_words(domains)
    out, n = [], 0
    while n < len(words):
        m = _run_end(message, words, n)
        listed = _listed_after(message, words[n].start(), spans, before) and words[n].group() != "I"
        # one word listed after a name ends its clause ("and Clueless", not "and Scary ones");
        # several begin with an article or end in a number ("and The Da Vinci Code", "and
        # Fahrenheit 451", not "and Romantic Comedies")
        one = bool(_ENDS.match(message, words[n].end()))
        titled = words[n].group() in ("The", "A", "An") or words[m - 1].group().isdigit()
        listed = listed and (one if m == n + 1 else titled)
        if m > n + 1 or m == n + 1 and listed:  # "Gone Girl and |The Da Vinci Code|"
            start, end = words[n].start(), words[m - 1].end()
            said = [
                w.group().casefold()
                for w in words[n:m]
                if not any(a <= w.start() < b for a, b in people)
            ]
            liked = (
                listed
                or before.search(message[:start])
                or (_CLAUSE_START.search(message[:start]) and _SUBJECT_AFTER.match(message[end:]))
            )
            if liked and said and not all(w in plain for w in said):
                out.append((start, end))
                n = m
                continue
        n += 1  # "Is Zzyzx Road good?": the name may begin after a capitalised question word
    return out


def _listed_after(message: str, start: int, spans: list, before: re.Pattern) -> bool:
    """Whether a name at ``start`` is listed right after a linked name that ``before`` says
    ("I liked Mean Girls and |Clueless": a title the catalog lacks, not the wish 'clueless')."""
    return any(_AND.fullmatch(message[b:start]) and before.search(message[:a]) for a, b in spans)


_ENDS = re.compile(r"\s*(?:[.,;:!?]|$)")
_AND = re.compile(r"\s*(?:,|and|&|,\s*and)\s+", re.IGNORECASE)


def _run_end(message: str, words: list, n: int) -> int:
    """Where the run of capitalised words (joined by small words, only spaces between) that
    begins at word ``n`` ends; ``n`` where it does not begin with a capital."""
    if not words[n].group()[0].isupper():
        return n
    m, last = n + 1, n + 1
    while m < len(words) and not message[words[m - 1].end() : words[m].start()].strip(" :"):
        word = words[m].group()
        if word[0].isupper() or word[0].isdigit():
            last = m + 1
        elif word.casefold() not in _JOINERS:
            break
        m += 1
    return last


def _plain_words(domains: Sequence[str]) -> frozenset[str]:
    """Words that name no title on their own: stopwords, asking words, domain words."""
    cues = {c.casefold() for d in domains for c in (d, d + "s", *domain_cues().get(d, ()))}
    return frozenset(stopwords() | request_words() | cues)
