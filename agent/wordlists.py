"""The package's word lists (``agent/words/NAME.txt``): moods, who a pick is for, asking
words, negations, measures. Each is read once, on first use."""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = [
    "for_whom",
    "grown_ups",
    "moods",
    "request_words",
    "small_talk",
    "states",
    "word_list",
]


@cache
def word_list(name: str) -> frozenset[str]:
    """One of the package's word lists (``agent/words/NAME.txt``), read once."""
    text = resources.files("crossrec.agent").joinpath(f"words/{name}.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@cache
def moods(instead: bool = False) -> dict[str, tuple[str, ...]]:
    """Mood -> genre words (``agent/words/moods.txt``): "lighter" -> comedy, family, ...; with
    ``instead``, the genre words after a "|", what the mood means where its own genres are
    left out ("scary but not horror": thriller, suspense)."""
    out = {}
    for line in word_list("moods"):
        mood, _, genres = line.partition(":")
        genres = genres.partition("|")[2 if instead else 0]
        out[mood.strip()] = tuple(g.strip() for g in genres.split(",") if g.strip())
    return {mood: genres for mood, genres in out.items() if genres}


@cache
def states() -> dict[str, str]:
    """How a person feels -> the mood that answers it ("sad" -> uplifting;
    ``agent/words/states.txt``)."""
    pairs = (line.partition(":") for line in word_list("states"))
    return {state.strip(): mood.strip() for state, _, mood in pairs}


def for_whom() -> frozenset[str]:
    """Words that say who a pick is for ("son", "niece"; ``agent/words/for_whom.txt``)."""
    return word_list("for_whom")


def grown_ups() -> frozenset[str]:
    """Who a pick is for where that says no genre ("wife", "dad", "sister"; not "son", a mood):
    "a movie for my wife" asks for no Family films."""
    return for_whom() - moods().keys()


def request_words() -> frozenset[str]:
    """The asking words ("recommend", "suggest", ...) that are not part of a wish."""
    return word_list("request_words")


@cache
def small_talk() -> dict[str, str]:
    """Word -> what it says in small talk ("greeting", "thanks", "bye", or "-" for a word that
    only stands beside them; ``agent/words/small_talk.txt``)."""
    return dict(
        (word.strip(), kind.strip())
        for word, _, kind in (line.partition(":") for line in word_list("small_talk"))
    )
