"""A wish read through the titles of the items it names, where titles describe items.

In a product catalog a wish often names a kind of item its category paths never spell:
"washi tape" is filed under "... adhesives arts crafts tape", while the paths that say "tape"
twice are office tapes; "cutting mat" under "... quilting cutting mats", not "mat cutters".
The titles say it: 107 titles hold both words. :class:`TitleIndex` finds the items whose
titles hold every word of a wish (or its plural) and the category paths most of them share.
Where titles name items, a word no fact holds is still one that titles may say
(:func:`titled_missed`: "family movies about dragons").
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace

from crossrec.retrieval import Fact, KnowledgeGraph, stopwords

__all__ = [
    "TitleIndex",
    "forms_in",
    "in_a_row",
    "same_stem",
    "same_word",
    "says_in_a_row",
    "titled_missed",
]

_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
_IN_TITLE = re.compile(r"\w+")
_LOOSE = 0.62  # a wish mapped less near is read through the titles saying it, where some do


def says_in_a_row(title: str, words: Sequence[str]) -> bool:
    """Whether ``title`` says ``words`` in a row, each in the singular or plural."""
    singular = " ".join(w.removesuffix("s") for w in _IN_TITLE.findall(title.casefold()))
    return in_a_row(singular, [w.removesuffix("s") for w in words])


def in_a_row(title: str, words: Sequence[str]) -> bool:
    """Whether ``title`` says ``words`` in a row."""
    said, words = _IN_TITLE.findall(title.casefold()), list(words)
    return any(said[n : n + len(words)] == words for n in range(len(said) - len(words) + 1))


def same_word(word: str, other: str) -> bool:
    """The same word, or its plural ("mat" and "mats"; not "stapler" and "staples")."""
    return other in (word, word + "s", word + "es") or word in (other + "s", other + "es")


def _forms(word: str) -> set[str]:
    """The words :func:`same_word` holds the same as ``word``."""
    less = (word[: -len(e)] for e in ("s", "es") if word.endswith(e))
    return {word, word + "s", word + "es", *less}


def forms_in(word: str, words: Sequence[str]) -> list[int]:
    """Where ``word`` and its plural or singular are in the sorted ``words``."""
    at = [bisect.bisect_left(words, w) for w in _forms(word)]
    return sorted({n for n in at if n < len(words) and same_word(words[n], word)})


def same_stem(word: str, other: str, letters: int = 5) -> bool:
    """Whether two words share a stem: their first ``letters`` letters, or the whole of the
    shorter one ("organised" and "organizers", "gift" and "gifts"; not "org" and
    "organizers")."""
    if same_word(word, other):
        return True
    shorter = min(len(word), len(other))
    return shorter >= 4 and len(os.path.commonprefix([word, other])) >= min(letters, shorter)


def _kinds(facts, path_words: int = 3) -> frozenset[Fact]:
    """The facts of the relations whose values are paths (median ``path_words`` words or
    more), where there are such relations; else all ``facts``."""
    facts = list(facts)
    lengths: dict[str, list[int]] = {}
    for relation, value in facts:
        lengths.setdefault(relation, []).append(len(value.split()))
    paths = {r for r, n in lengths.items() if sorted(n)[len(n) // 2] >= path_words}
    return frozenset(f for f in facts if f[0] in paths or not paths)


class TitleIndex:
    """Title words -> items, over a catalog whose titles describe its items.

    :meth:`facts` gives the ``wishable`` facts held by at least ``min_share`` of the items
    whose titles hold every word of a wish (at least ``min_items`` such items), the most held
    first, at most ``max_facts``. Where some relations' values are paths (Amazon's
    categories), only those count: a brand most staplers have is no kind of item, and a
    wish for a stapler is not met by that brand's hole punches.
    """

    def __init__(
        self,
        graph: KnowledgeGraph,
        wishable: Collection[Fact],
        min_items: int = 3,
        min_share: float = 0.25,
        max_facts: int = 4,
    ):
        self.graph = graph
        self.wishable = _kinds(f for f in wishable if not f[1].isdigit())
        self.min_items, self.min_share, self.max_facts = min_items, min_share, max_facts
        self._items: dict[str, set[str]] | None = None

    def items(self) -> dict[str, set[str]]:
        """Each title word (three letters or more, not a stopword) -> the items holding it."""
        if self._items is None:
            self._items = {}
            catalog = self.graph.space.catalog
            for item_id in self.graph.space.ids:
                for word in _WORD.findall(catalog[item_id].title.casefold()):
                    if len(word) > 2 and word not in stopwords():
                        self._items.setdefault(word, set()).add(item_id)
        return self._items

    def titled(self, text: str) -> set[str]:
        """The items whose titles hold every word of ``text`` (or its plural)."""
        index, found = self.items(), None
        for word in dict.fromkeys(w for w in text.split() if len(w) > 2):
            held = set().union(*(index.get(w, ()) for w in _forms(word)))
            found = held if found is None else found & held
            if not found:
                return set()
        return found or set()

    def facts(self, text: str, items: set[str] | None = None) -> tuple[Fact, ...]:
        """The facts most ``items`` share (by default, those titled by ``text``; given
        ``items``, ``text`` is not read)."""
        items = self.titled(text) if items is None else items
        if len(items) < self.min_items:
            return ()
        held = Counter(f for i in items for f in self.graph.facts_of(i) if f in self.wishable)
        need = self.min_share * len(items)
        return tuple(f for f, n in held.most_common(self.max_facts) if n >= need)

    def widen(self, wish, allowed: Collection[Fact] | None = None):
        """``wish`` (a :class:`~crossrec.agent.wishes.Wish`) also meaning the facts most items
        titled like it share: "washi tape" is the craft tape its 107 items are filed under,
        not only the office tapes whose paths say "tape" twice."""
        more = tuple(f for f in self.facts(wish.text) if f not in wish.facts)
        if not more:
            return self._in_a_row(wish, allowed)
        if not wish.understood:
            return replace(wish, facts=more, label=f"items like the catalog's {wish.text!r}")
        return self._in_a_row(replace(wish, facts=wish.facts + more), allowed)

    def _in_a_row(
        self, wish, allowed: Collection[Fact] | None, least: float = 0.1, share: float = 0.25
    ):
        """``wish`` as the kind of the items whose titles say its words in a row, where
        :attr:`min_items` or more do: the facts most of them share first, and of the others
        only those whose items say it (``least`` of them or more). "push pins" was sewing pins
        (no title of theirs says it; 36 of the 54 pushpins are filed under "pins tacks"),
        "fountain pen ink" fountain pens (6 of 333), not the bottled inks (33 of 78). Only
        where ``share`` of the titles saying its words say them so, and only the items holding
        ``allowed`` facts count, where given (those of a domain asked)."""
        words = wish.text.split()
        if wish.negative or len(words) < 2 or not wish.facts:
            return wish
        catalog = self.graph.space.catalog
        titled = self.titled(wish.text)
        items = {i for i in titled if says_in_a_row(catalog[i].title, words)}
        if len(items) < share * len(titled):  # "yarn wool": 5 of 34, wool winders
            return wish
        if allowed is not None:  # "ink pad for rubber stamps" of office stamps: stamp pads
            items = {i for i in items if not allowed.isdisjoint(self.graph.facts_of(i))}
        row = self.facts(wish.text, items)
        if not row:
            return wish
        theirs = (f for f in wish.facts if f not in row)
        said = tuple(f for f in theirs if self._share(f, items) >= least)
        kinds = (" ".join(self.graph.kind_path(v).split()[-2:]) for _, v in row)
        return replace(wish, facts=row + said, words=tuple(dict.fromkeys(kinds)))

    def _share(self, fact: Fact, items: set[str]) -> float:
        """The share of ``fact``'s items among ``items``."""
        held = set(self.graph.items_with(fact))
        return len(held & items) / len(held) if held else 0.0


def titled_missed(titles: TitleIndex, wish, domain: str | None, least: int = 2):
    """``wish`` (a :class:`~crossrec.agent.wish.Wish`) with the words nothing matched that
    titles of items it fits say (of ``domain``, where asked), for its picks' titles to say,
    where titles name items: "family movies about dragons" gave Family films, none How to
    Train Your Dragon. Where no fact matched, or only loosely (:data:`_LOOSE`: "narnia" was
    Horror comedy and Dark fantasy, "cowboys" American football), the facts most of ``least``
    items titled so share ("books about dragons", Fantasy, titled so first, gave the most
    popular books)."""
    graph = titles.graph
    loose = wish.understood and not wish.missed and wish.similarity < _LOOSE
    loose = loose and " " not in wish.text  # one word: not "picture toddler" (Picture book)
    loose = loose and not any(same_word(wish.text, v.casefold()) for _, v in wish.facts)
    anew = loose or not wish.understood  # the titles say what it is
    words = tuple(w for w in wish.text.split() if len(w) > 3) if anew else wish.missed
    if graph.titles_describe or wish.negative or not words:
        return wish
    catalog, fit = graph.space.catalog, {i for f in wish.facts for i in graph.items_with(f)}
    found = {w: {i for i in titles.titled(w) if domain in (None, catalog[i].domain)} for w in words}
    if not anew:  # of the items it fits: "kids dragons" has no children's book so titled
        found = {w: ids & fit for w, ids in found.items() if ids & fit}
    said = tuple(w for w, ids in found.items() if len(ids) >= (least if anew else 1))
    if not said:
        return wish
    if not anew:
        return replace(wish, said=tuple(dict.fromkeys((*wish.said, *said))))
    items = set().union(*(found[w] for w in said))
    # no language (English weighs 0.0)
    weighty = (f for i in items for f in graph.facts_of(i) if graph.weight(f) >= 1.0)
    held = Counter(f for f in weighty if f in titles.wishable)
    # held by half of them or more, two at least (not one of two titles' Cold War)
    facts = tuple(f for f, n in held.most_common(titles.max_facts) if 2 * n >= max(len(items), 4))
    if not facts:
        return wish
    said, missed = tuple(dict.fromkeys((*wish.said, *said))), said
    return replace(wish, facts=facts, said=said, missed=missed, words=())
