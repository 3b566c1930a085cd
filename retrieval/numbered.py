"""A title named by its series' name and a sequel's number: "godfather 2", "star wars
episode 5", "pirates of the caribbean 2", "harry potter 3".

The number ends the name, so it is found in lower case too. Of the titles beginning with the
name (or "the" and it), the one whose next word is the number (written either way: "Part II"
is "part 2", :mod:`crossrec.retrieval.title_keys`) is named; where none is, the series, every
title beginning so (:meth:`EntityLinker.series_of`), if it holds that many works in a domain
and no title was linked there ("the matrix 2" stays The Matrix; "world war 2" names no World
War Z). Else "harry potter 3" was the wish 'harry potter' (Cannabis, Horror comedy) and
"godfather 2" the wish 'godfather' (Sicilian Mafia: Goodfellas, Training Day). A number
followed by what it counts ("we saw 3 films") names nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crossrec.retrieval.mention import Mention
from crossrec.retrieval.sources.lexical import stopwords
from crossrec.retrieval.title_keys import ROMAN

if TYPE_CHECKING:
    from crossrec.retrieval.linking import EntityLinker

__all__ = ["numbered_titles"]

_NUMBERS = frozenset(("2", "3", "4", "5", "6", "7", "8", "9", *ROMAN))
_MARKS = frozenset({"part", "episode", "chapter", "volume", "vol", "pt"})  # "part 2"
_LONGEST = 6  # words of a series' name


def numbered_titles(
    linker: EntityLinker, text: str, tokens: list, mentions: list[Mention]
) -> list[Mention]:
    """``mentions`` with each title named by a name and a sequel's number put in place of
    the mentions inside it ("the godfather" of "the godfather 2")."""
    out = list(mentions)
    for k in range(1, len(tokens)):
        if tokens[k][2] not in _NUMBERS or any(m.start <= tokens[k][0] < m.end for m in out):
            continue
        counted = k + 1 < len(tokens) and _counted(tokens[k + 1][2])  # "we saw 3 films"
        found = None if counted else _named_at(linker, text, tokens, k)
        if found is None:
            continue
        a, ids, method = found
        start, stop = tokens[a][0], tokens[k][1]
        inside = [m for m in out if m.start < stop and start < m.end]
        if any(m.start < start or m.end > stop for m in inside):
            continue  # a longer name was linked already
        if method == "series" and inside:  # "the matrix 2": The Matrix, its sequels picks
            continue
        out = [m for m in out if m not in inside]
        out.append(Mention(text[start:stop], start, stop, "item", ids, (), method))
    return sorted(out, key=lambda m: m.start)


def _named_at(linker: EntityLinker, text: str, tokens: list, k: int) -> tuple | None:
    """``(first token, ids, method)`` of the title (or series) named by the words before the
    number at token ``k``, longest name first; None where they begin no numbered title. In
    lower case, a name of one word has five letters or more ("rocky 4"; not "saw 2 of them"),
    and only a name of two words or more is a series ("harry potter 3"; not "the final 2")."""
    b = k - 1 if tokens[k - 1][2] in _MARKS else k
    number = tokens[k][2]
    for a in range(max(0, b - _LONGEST), b):
        words = [t[2] for t in tokens[a:b]]
        own = [w for w in words if w != "the"]
        cased = text[tokens[a][0]].isupper() or (b > a + 1 and text[tokens[a + 1][0]].isupper())
        if not set(own) - stopwords() or not cased and len(own) == 1 and len(own[0]) < 5:
            continue
        name = " ".join(words)
        held = [key for key in linker.titles_beginning(name) if _next(key, name) == number]
        if held:  # the shortest: "star wars episode 5 the empire strikes back"
            return a, tuple(linker.titles[min(held, key=len)]), "exact"
        series = linker.series_of(name) if cased or len(own) > 1 else ()
        if series and _works(linker, series) >= _value(number):  # "world war 2": no World War Z
            return a, series, "series"
    return None


def _counted(word: str) -> bool:
    """Whether ``word`` after a number is what it counts: a plural ("3 films", "2 nights")."""
    return word.isalpha() and len(word) > 3 and word.endswith("s") and word not in stopwords()


def _next(key: str, name: str) -> str:
    """The word of title ``key`` right after ``name`` (and a mark: "part"), its number where
    it is a sequel's: "2" of "the godfather part 2" after "godfather"; not of "the hunger
    games mockingjay part 2" (Catching Fire is the second)."""
    words = key.removeprefix("the ").removeprefix(name.removeprefix("the ")).split()
    while words and words[0] in _MARKS:
        words.pop(0)
    return words[0] if words else ""


def _works(linker: EntityLinker, ids) -> int:
    """The most items of ``ids`` in one domain: how many works the series holds."""
    domains = [linker.catalog[i].domain for i in ids]
    return max(map(domains.count, set(domains)), default=0)


def _value(number: str) -> int:
    """A sequel's number's value: "3" -> 3, "iv" -> 4."""
    return int(number) if number.isdigit() else ROMAN.index(number) + 2
