"""Another kind of the same thing: a fact value that shares a word with a wish but has a word
of its own where the wish has one too. "legal thriller" is no Psychological thriller, "korean
war" no Vietnam War, "space opera" no Soap opera, "romantic drama" no Romantic comedy: the
embedder puts such siblings near each other (0.6-0.8), nearer than the plain kind they share
(Thriller, War). A value with no word of its own is the wider kind and still fits ("military
science fiction": Science Fiction); words that only name a domain ("Action Film") are no
word of a value's own. Also two words each naming a value, meant of one pick, and the
compounds of a kind ("paintbrushes" of "brushes").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import cache

import numpy as np
from crossrec.agent.wish import Wish
from crossrec.agent.wish_titles import same_stem
from crossrec.retrieval import domain_names, stopwords

__all__ = ["COMPOUND", "compounds", "each_named", "in_domains", "names", "other_kind", "unsaid"]

COMPOUND = 0.74  # a word ending in a wish word this near it is one of its kind ("paintbrushes")

_WORD = re.compile(r"[^\W\d_]+|\d+")
_NUMBERS = {  # "world war 1", "first world war" and World War I say one number
    word: str(n)
    for names in (
        ("one", "two", "three", "four", "five"),
        ("first", "second", "third", "fourth", "fifth"),
        ("i", "ii", "iii", "iv", "v"),
    )
    for n, word in enumerate(names, 1)
}


def _words(text: str) -> set[str]:
    words = (_NUMBERS.get(w, w) for w in _WORD.findall(text.casefold()))
    return {w for w in words if w not in stopwords()}


@cache
def _generic() -> frozenset[str]:
    return frozenset(w for names in domain_names().values() for w in names)


def _unmatched(words: Iterable[str], others: set[str]) -> set[str]:
    return {w for w in words if not any(same_stem(w, o) for o in others)}


def other_kind(wish: str, value: str) -> bool:
    """Whether ``value`` is a sibling of what ``wish`` says: a word shared, and one word of
    each swapped for another, not a domain's name ("legal thriller" and Psychological
    thriller; not Thriller, nor Action Film of "action comedy", nor History of the United
    States of "american history", which says more than a word)."""
    said, named = _words(wish), _words(value)
    own, asked = _unmatched(named, said), _unmatched(said, named)
    one = len(own - _generic()) == 1 and len(asked - _generic()) == 1
    return len(own) < len(named) and one


def each_named(text: str, phrase: Callable[[str], Wish], floor: float) -> Wish | None:
    """Two words each naming a value ``floor`` near or nearer (``phrase`` maps one), and that
    value saying only it, meant of one pick: "japanese animated" is Japanese and Animation
    (it was either), "christmas comedy" both; "art house" is no The arts and Haunted house.
    None otherwise."""
    words = text.split()
    each = [phrase(word) for word in words] if len(words) == 2 else []
    if not each or set(each[0].facts) & set(each[1].facts):
        return None
    for word, wish in zip(words, each, strict=True):
        if not (wish.understood and wish.similarity >= floor and names(word, wish.facts[0][1])):
            return None
    return replace(Wish.joined(each, together=True), text=text)


def names(word: str, value: str) -> bool:
    """Whether ``value`` says ``word`` and nothing more, but a domain's name ("Sport" of
    "sports", "Zombie Film" of "zombie"; not "Haunted house" of "house")."""
    return not _unmatched(_words(value), {word}) - _generic()


def unsaid(wish: str, facts: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The words of ``wish`` that no value of ``facts`` holds, where the first value is a wider
    kind of it, a word shared and none of its own ("legal" of "legal thriller", matched as
    Thriller); none where it is another name for it ("dark comedy": Black comedy)."""
    first = _words(facts[0][1]) if facts else set()
    said = _words(wish)
    own = _unmatched(first, said)
    if not first or own - _generic() or len(own) == len(first):
        return ()
    held = set().union(*(_words(value) for _, value in facts))
    return tuple(sorted(_unmatched(said, held) - _generic()))


def compounds(word: str, words: Sequence[str], similarity: np.ndarray) -> list[int]:
    """The ``words`` that end in ``word`` (or its singular) after a word of their own and are
    at least :data:`COMPOUND` near it ("paintbrushes" of "brushes")."""
    forms = {word, *(word[: -len(e)] for e in ("s", "es") if word.endswith(e))}
    return [
        n
        for n, other in enumerate(words)
        if similarity[n] >= COMPOUND
        and any(other.endswith(f) and len(other) >= len(f) + 3 for f in forms)
    ]


def in_domains(genres: Iterable[str], facts: Sequence[tuple[str, str]]) -> tuple:
    """The ``facts`` whose values are one of ``genres`` and words that only name a domain
    ("Crime Fiction", "War film" of "crime", "war"): "nothing violent" left out Crime and
    War and kept Kill Bill, filed under Crime Fiction."""
    named = {frozenset(_words(g)) for g in genres}
    kinds = _generic() | {"fiction"}  # "Crime Fiction": crime stories, books or films
    return tuple(
        f
        for f in facts
        if (said := _words(f[1])) and any(g <= said and said - g <= kinds for g in named)
    )


def holding(word: str, facts: Sequence[tuple[str, str]], allowed=None) -> tuple:
    """The ``facts`` (where ``allowed``) whose values hold ``word`` whole: a mood's genre
    word that no value is near enough ("children's" of "kids" among books: Children's
    literature, 0.517 from it with the int8 MiniLM on an AMD EPYC, below the bar)."""
    said = re.compile(rf"(?<!\w){re.escape(word.casefold())}(?!\w)")
    return tuple(
        f for n, f in enumerate(facts)
        if (allowed is None or allowed[n]) and said.search(f[1].casefold())
    )  # fmt: skip
