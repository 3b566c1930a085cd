"""The :class:`Wish` value: what a wish was mapped onto, kept in a session until replaced.

A message may hold more than one wish ("washi tape and my planner", "something funny from the
90s"); :meth:`Wish.joined` keeps them together as one active wish whose ``parts`` a reply's
picks are shared among (:func:`~crossrec.agent.ranking.among_wishes`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations, zip_longest

from crossrec.agent.wish_titles import same_word
from crossrec.retrieval import Fact, normalize_title

__all__ = ["Wish", "facts_text", "head_of", "most_together", "named_exactly"]


def facts_text(facts, limit: int = 3) -> str:
    """ "Horror, Thriller", "Comedy, Family, Animation and 2 more", or "years 1980-1989" for a
    run of years; a value said once (Christopher Nolan the writer and the director)."""
    values = list(dict.fromkeys(value for _, value in facts))
    years = [int(v) for v in values if v.isdigit()]
    if len(years) == len(values) and len(years) > limit:
        return f"years {min(years)}-{max(years)}"
    more = len(values) - limit
    return ", ".join(values[:limit]) + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class Wish:
    """A wish in the user's words and the catalog facts it maps onto (empty: not understood)."""

    text: str
    negative: bool = False
    facts: tuple[Fact, ...] = ()
    similarity: float = 0.0
    words: tuple[str, ...] = ()  # the catalog's words it matched, where values are long
    label: str = ""  # how a reply says the facts, where listing them would not do ("up to 2004")
    parts: tuple[Wish, ...] = ()  # the wishes of one message joined in this one
    together: bool = False  # the parts are meant of one pick ("funny horror": horror comedies)
    said: tuple[str, ...] = ()  # words a follow-up narrowed it by, for titles: "in white"
    missed: tuple[str, ...] = ()  # its words nothing matched: "dragons" of "kids dragons"

    @classmethod
    def joined(cls, wishes: Sequence[Wish], together: bool = False) -> Wish:
        """The understood wishes of one message as one active wish: their facts and words
        together, each kept as a part ("washi tape and planner": tapes and planners).
        ``together``: one phrase meant of one pick ("funny horror")."""
        if len(wishes) < 2:
            if not wishes:
                raise ValueError("no wishes to join")
            return wishes[0]
        if len({(w.facts, w.words) for w in wishes}) == 1:  # "i want to cry. a sad movie"
            return replace(wishes[0], text=" ".join(dict.fromkeys(w.text for w in wishes)))
        # one wish read twice: either reading fits (not "'scary' and 'scary' at once")
        if len({w.text for w in wishes}) == 1:
            facts = dict.fromkeys(f for w in wishes for f in w.facts)
            return replace(wishes[0], facts=tuple(facts))
        wider = [w for w in wishes if w.facts and not w.words and len(w.facts) > 1]
        within = [
            w
            for w in wishes
            if w.facts and not w.words and any(set(w.facts) < set(o.facts) for o in wider)
        ]
        if within and not together:  # "old black and white": 'white' adds nothing to it
            text = " and ".join(w.text for w in wishes)
            kept = [w for w in wishes if w not in within]
            return replace(cls.joined(kept), text=text)
        # one fact of each in turn: a pick's line then names one of each it fits
        facts = (f for turn in zip_longest(*(w.facts for w in wishes)) for f in turn if f)
        return cls(
            " and ".join(w.text for w in wishes),
            facts=tuple(dict.fromkeys(facts)),
            similarity=min(w.similarity for w in wishes),
            words=tuple(dict.fromkeys(x for w in wishes for x in w.words)),
            parts=tuple(wishes),
            together=together,
        )

    @property
    def summary(self) -> str:
        """What the wish was mapped onto, for a reply: the facts, or the words they share, and
        the words nothing matched ("; nothing here is filed under 'dragons'", and where titles
        say them, that those come first)."""
        missed = self._missed_said
        if self.parts and not all(p.words and not p.label for p in self.parts):
            return " and ".join(p.summary for p in self.parts) + missed  # "Comedy and years ..."
        if self.label:
            return self.label + missed
        if self.words:
            return "items filed under " + " and ".join(repr(w) for w in self.words) + missed
        return facts_text(self.facts) + missed

    def summary_of(self, held: Counter, said: set[str] | None = None) -> str:
        """The summary said above picks: of a wish that is its facts, those the picks hold
        (``held``: how many), the most held first, each value once (not ``said`` before). "a
        scary movie for halloween" said "Christmas, Costume drama, Horror comedy and 1 more and
        Horror" of five horror films; a label or a run of years is said as it is."""
        said = set() if said is None else said
        if self.parts and not all(p.words and not p.label for p in self.parts):
            each = (p.summary_of(held, said) for p in self.parts)
            return " and ".join(e for e in each if e) + self._missed_said
        facts = [f for f in self.facts if held[f]]
        if not facts or self.label or self.words or all(v.isdigit() for _, v in self.facts):
            return self.summary
        new = sorted((f for f in facts if f[1] not in said), key=held.__getitem__, reverse=True)
        said.update(v for _, v in facts)
        return facts_text(new) + self._missed_said if new else ""

    @property
    def _missed_said(self) -> str:
        missed = f"; nothing here is filed under {' '.join(self.missed)!r}" if self.missed else ""
        if self.missed and set(self.missed) <= set(self.said):  # "dragons": titled so first
            missed += ", so titles saying it come first"
        return missed

    @property
    def query(self) -> str:
        """The wish in its words and the catalog's: "keep desk organised" is near laptop desks,
        "keep desk organised organization organizers" near desk organizers."""
        said = f"{self.text} {' '.join(self.words)} {' '.join(self.said)}".replace("/", " ")
        return " ".join(dict.fromkeys(said.split()))

    @property
    def understood(self) -> bool:
        return bool(self.facts)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "negative": self.negative,
            "facts": [list(f) for f in self.facts],
            "similarity": round(self.similarity, 4),
            "words": list(self.words),
            "label": self.label,
            "parts": [p.to_dict() for p in self.parts],
            "together": self.together,
            "said": list(self.said),
            "missed": list(self.missed),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Wish:
        facts = tuple(tuple(f) for f in data.get("facts", ()))
        words = tuple(str(w) for w in data.get("words", ()))
        return cls(
            str(data["text"]),
            bool(data.get("negative")),
            facts,
            data.get("similarity", 0),
            words,
            str(data.get("label", "")),
            tuple(cls.from_dict(p) for p in data.get("parts", ())),
            bool(data.get("together")),
            tuple(str(w) for w in data.get("said", ())),
            tuple(str(w) for w in data.get("missed", ())),
        )


def most_together(groups: Sequence) -> list:
    """Of three or more matched wish words (each with its ``facts`` and best similarity
    ``top``) that match no value all together, the most that do, the best matched of those on
    a tie ("sticky notes neon colors": sticky, notes and neon are self-stick notes, while
    'colors' alone made them glue gun sticks); [] where no two do."""
    for size in range(len(groups) - 1, 1, -1):
        held = [c for c in combinations(groups, size) if set.intersection(*(g.facts for g in c))]
        if held:
            return list(max(held, key=lambda c: sum(g.top for g in c)))
    return []


def head_of(mapper, groups: Sequence):
    """Of several wish words that match no value together (each with the ``facts`` of the
    ``mapper``'s it matched, the words it ``shown``, its best similarity ``top``), the one the
    others describe, among those the values hold (or their plurals): the one whose items'
    titles say the others most often, the larger share on equal counts ("Glue for my son's
    school project": glues titled "school glue", not school chairs; "oil painting": paints
    titled "oil", not sewing machine oil; "charcoal pencils": charcoals titled "pencils").
    Without such titles, the best-matched word, the most specific one on a tie."""
    said = [g for g in groups if any(same_word(w, g.word) for w in g.shown.split("/"))]
    described: dict[str, tuple[int, float]] = {}
    titled = {g.word: mapper.titles.titled(g.word) for g in groups} if len(said) > 1 else {}
    for group in said if len(said) > 1 else ():
        facts = (mapper.facts[f] for f in group.facts)
        items = set().union(*(mapper.graph.items_with(f) for f in facts))
        others = set().union(*(titled[g.word] for g in groups if g is not group))
        count = len(others & items)
        described[group.word] = (count, count / max(len(items), 1))
    if max(described.values(), default=(0, 0.0))[0] > 0:
        return max(said, key=lambda g: described[g.word])
    return min(groups, key=lambda g: (-g.top, len(g.facts)))


def named_exactly(graph, wish: Wish, near: float = 0.65, domain: str | None = None) -> Wish:
    """``wish`` with the grouping values its words name exactly, however few items hold them
    (some of ``domain``, where one is asked), beside the values mapped ``near`` it (only
    loosely near: in place of them). "not the dinosaur ones" left out Animal (0.57 near
    'dinosaur'), not Dinosaur, two films' genre, too rare to wish for: Jurassic Park stayed;
    "movies about dinosaurs" matched nothing."""
    said = normalize_title(wish.text)  # the whole wish, not each word: "dark comedy" no Comedy
    grouping, catalog = graph.grouping_relations(), graph.space.catalog
    keys = dict.fromkeys((said, said.removesuffix("s"), said + "s"))  # "dinosaurs", "dinosaur"
    named = [f for key in keys for f in graph.names().get(key, ()) if f[0] in grouping]
    held = [f for f in named if any(catalog[i].domain == domain for i in graph.items_with(f))]
    named = held if domain else named  # "movies about horses": no Horse, a book's
    if not named:
        return wish
    kept = wish.facts if wish.similarity >= near else ()  # "no horror": Horror film too
    return replace(wish, facts=tuple(dict.fromkeys((*named, *kept))))
