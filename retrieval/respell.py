"""Titles said with a misspelt word: "lord of the rigns", "inceptoin", "harry poter books",
"lord of teh rings" (a short word's letters swapped).

The fuzzy pass of the linker looks at capitalised spans only, so in a message typed in lower
case a misspelt title was a wish nothing matched ("I couldn't match 'lord rigns'"), or worse
("harry poter": Cannabis). A word that no title or fact of the catalog uses (four letters or
more, not a comparative of a word they use: "funnier") is respelt as the nearest word the
titles use, by rapidfuzz's ratio with the same first letter (a shorter one as a title word of
the same letters: "teh", "fo"); where the respelt words then
make a whole title (a one-word title only where the word is near it and first or after a
liking word: "inceptoin and ...", not "a thriller with twists") or begin a
series, that is what the message names (``method`` "respelt", or "series"). Words the catalog
uses are never respelt: "the dark night" stays a mood, not The Dark Knight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from crossrec.retrieval.casing import after_cue
from crossrec.retrieval.mention import Mention
from rapidfuzz import fuzz, process

__all__ = ["Respeller"]

_MIN_LETTERS = 4
_LONGEST = 6  # words of a title looked for around a respelt word
_ONE_WORD = 85.0  # a one-word title is respelt only this near: "inceptoin" (89) is Inception


class Respeller:
    """Respells the words of a message that the catalog never uses as its titles' words."""

    def __init__(self, titles: Iterable[str], known: Iterable[str], cutoff: float = 80.0):
        words = {w for key in titles for w in key.split()}
        self.known = frozenset(words) | frozenset(known)
        self.cutoff = cutoff
        self._by_initial: dict[str, list[str]] = {}
        self._short = [w for w in sorted(words) if w.isalpha() and len(w) < _MIN_LETTERS]
        for word in sorted(words):
            if len(word) >= _MIN_LETTERS and word.isalpha():
                self._by_initial.setdefault(word[0], []).append(word)

    def words(self, word: str) -> list[str]:
        """The title words ``word`` may misspell, nearest first ("rigns": reigns, rings); of a
        short word those of its letters ("teh": the); none for a known word or a number."""
        if not word.isalpha() or word in self.known:
            return []
        if len(word) < _MIN_LETTERS:  # "teh" is "the", "fo" of: its letters swapped, no other
            return [w for w in self._short if sorted(w) == sorted(word)]
        ending = next((e for e in ("er", "est") if word.endswith(e)), "")
        plain = word[: -len(ending)] if ending else ""  # "funnier", "darker", "scariest": a
        if plain and (plain in self.known or plain[:-1] + "y" in self.known):
            return []  # comparative or superlative, not a misspelt title word (The Scarlet Letter)
        pool = self._by_initial.get(word[0], [])
        found = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=self.cutoff, limit=3)
        return [near for near, *_ in found]

    def mentions(
        self,
        text: str,
        tokens: list,
        taken: list[bool],
        titles: Mapping[str, Iterable[str]],
        series_of: Callable[[str], tuple[str, ...]],
    ) -> list[Mention]:
        """The titles (keys of ``titles``, ids their values) and series the words of
        ``tokens`` not yet ``taken`` name once respelt; ``taken`` is updated."""
        fixed = [[] if taken[n] else self.words(word) for n, (_, _, word) in enumerate(tokens)]
        words = [f[0] if f else word for f, (_, _, word) in zip(fixed, tokens, strict=True)]
        found = []
        for n, near in ((n, near) for n, f in enumerate(fixed) for near in f):
            words[n] = near
            for a, b in _windows(n, len(tokens)):
                if any(taken[a:b]):
                    continue
                key = " ".join(words[a:b])
                ids = tuple(titles.get(key, ()))
                if b - a == 1 and not _one_word_title(text, tokens[n], key):
                    ids = ()
                method = "respelt"
                if not ids and b - a > 1:
                    ids, method = series_of(key), "series"
                if ids:
                    start, end = tokens[a][0], tokens[b - 1][1]
                    found.append(Mention(text[start:end], start, end, "item", ids, (), method))
                    taken[a:b] = [True] * (b - a)
                    break
        return found


def _one_word_title(text: str, token: tuple, title: str) -> bool:
    """Whether a word respelt as a one-word title names it: near it, and first in the message
    or right after a liking or asking word ("inceptoin and ...", "i loved inceptoin"; not "a
    thriller with twists": The Twits)."""
    start, _, word = token
    first = not text[:start].strip()
    return fuzz.ratio(word, title) >= _ONE_WORD and (first or after_cue(text, start))


def _windows(n: int, size: int) -> list[tuple[int, int]]:
    """The spans of tokens holding token ``n``, longest first, then left to right."""
    return [
        (a, a + width)
        for width in range(min(_LONGEST, size), 0, -1)
        for a in range(max(0, n - width + 1), min(n, size - width) + 1)
    ]
