"""Wish words as the catalog says them: spelled wrong ("stapplers", "thriler", "watercolour"),
or comparatives ("scarier" is scary).

:class:`Speller` corrects a wish word that no fact value holds to the nearest word of the
catalog's fact values by rapidfuzz's ratio, at ``cutoff`` or above, with the same first two
letters: "father" is never "feather", "reading" never "beading".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

__all__ = ["Speller", "near_any", "positive"]

_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


class Speller:
    """Corrects words against ``words`` (a catalog's vocabulary)."""

    def __init__(self, words: Iterable[str], cutoff: float = 90.0, min_letters: int = 5):
        self.known = frozenset(w.casefold() for w in words if len(w) >= min_letters - 1)
        self._by_start: dict[str, list[str]] = {}  # the words of each first two letters
        for word in sorted(self.known):
            self._by_start.setdefault(word[:2], []).append(word)
        self.cutoff = cutoff
        self.min_letters = min_letters

    def correct(self, text: str) -> str:
        """``text`` with each unknown word of ``min_letters`` or more replaced by its nearest
        catalog word, where one is near enough."""
        return _WORD.sub(lambda m: self._word(m.group()), text)

    def _word(self, word: str) -> str:
        low = word.casefold()
        if len(low) < self.min_letters or low in self.known:
            return word
        same_start = self._by_start.get(low[:2], [])
        found = process.extractOne(low, same_start, scorer=fuzz.ratio, score_cutoff=self.cutoff)
        return found[0] if found else word


def positive(word: str) -> tuple[str, ...]:
    """The plain form of a comparative ("scarier" -> "scary", "sadder" -> "sad", "darker" ->
    "dark"), which sits nearer the catalog's values; nothing for other words."""
    if len(word) > 5 and word.endswith("ier"):
        return (word[:-3] + "y",)
    if len(word) > 4 and word.endswith("er"):
        stem = word[:-2]
        return (stem[:-1],) if stem[-1] == stem[-2] else (stem,)
    return ()


def near_any(word: str, words: Iterable[str], cutoff: float = 85.0) -> bool:
    """Whether ``word`` is one of ``words`` or spelled near one ("somthing": something)."""
    return process.extractOne(word, list(words), scorer=fuzz.ratio, score_cutoff=cutoff) is not None
