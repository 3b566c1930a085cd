"""A thing asked for a purpose: "glue for fabric", "a case for my colored pencils", "a
laminator for classroom posters".

Where titles describe things, the kind asked for is said before "for" and what follows says
what it is for. Mapped together, the words chose the purpose's kind: fabric strips for "glue
for fabric", posters and school chairs for the laminator, graphite pencils for the pencil case.
The words up to the one before "for" choose the kind; those after it narrow it where some of
its values say them ("yarn for my first crochet project": crochet yarn), else to what the
items titled by one of them right before the kind are filed under ("a case for my colored
pencils": the pencil holders that pencil cases are; not "paper mate" pens for "paper for my
fountain pen"). Picks whose titles say those words come first ("fabric glue"). A wish whose
words together found the kind already stays ("a bag for my knitting supplies": knitting bags,
titled "bag"), as does a gift for someone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from crossrec.agent.wish import Wish
from crossrec.agent.wish_titles import same_word, says_in_a_row
from crossrec.agent.wordlists import for_whom
from crossrec.retrieval import Fact, says, stopwords

if TYPE_CHECKING:
    from crossrec.agent.nlu import Understanding
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.state import Profile

__all__ = ["for_kept", "headed", "whom_beside", "with_named"]

_WORD = re.compile(r"\w+")
_TOGETHER = 0.1  # of the wish's items titled by the kind: the words together found it
_SAID = 3  # titles of the wish's items that say the kind: it may be among them
_NONE = 0.01  # of a kind's items titled by the kept thing: it says nothing of it
_WHOM = frozenset({"kid", "kids", "child", "children", "toddler", "toddlers", "teen", "teens"})
_NO_KIND = frozenset({"gift", "gifts", "present", "presents", "idea", "ideas"})  # "gifts for"


def for_kept(und: Understanding, profile: Profile) -> None:
    """Make ``und``'s wishes of a thing asked "for it" or "for them" for the kept wish's kind
    ("rubber stamps", then "ink pad for them": ink pads for rubber stamps, not gaming mouse
    pads; "label maker", then "tape for it"), and keep that kind's facts in ``und.kept``."""
    if not (und.for_kept and profile.wish) or und.liked or und.liked_facts:
        return
    kept = Wish.from_dict(profile.wish)
    kind = " ".join(w for w in kept.text.split() if w not in kept.said)  # not "in white"
    und.wishes = [(t if negative else f"{t} for {kind}", negative) for t, negative in und.wishes]
    und.kept = tuple(map(tuple, kept.facts))


def headed(rec: Recommender, und: Understanding, text: str, wish: Wish, known: tuple) -> Wish:
    """``wish`` (of the words ``text``, mapped with what is ``known``: history, domain,
    names, facts) as the kind said before "for" in the message (``und.before_for``), where
    titles describe items and it is another."""
    words = text.split()
    at = next((n for n, w in enumerate(words[:-1]) if w in und.before_for), None)
    if wish.negative or at is None or not rec.wishes.graph.titles_describe:
        return wish
    if words[at] in _NO_KIND:  # "gifts for an artist"
        return wish
    kind = _compound(rec, words[: at + 1])
    rest = [w for w in words[at + 1 :] if w.isalpha() and w not in stopwords()]
    titles = _titles(rec, wish.facts)
    kind_said = sum(1 for t in titles if says_in_a_row(t, kind))
    share = kind_said / len(titles) if titles else 0.0
    kinds = _of_kind(rec, wish.facts, words[at])
    if share >= _TOGETHER and len(kind) == 1 and not (kinds or und.for_kept):
        return wish  # the words together found it ("staples for a stapler")
    if share >= _TOGETHER and kinds and not und.for_kept:  # "a bag for my knitting": knitting
        # bags, a fifth titled "bag" (not "a sharpener for them": colored pencils, with
        # sharpeners), those of its kind ("ink for my fountain pen": bottled ink, not gel pens)
        # and where the titles saying both are filed, those titles first: "beads for a 7 year
        # old", the 34 titled "kids" (filed under beading supplies, not bead assortments)
        whom = [w for w in rest[-1:] if w in _WHOM or w in for_whom()]  # not "for school"
        titled = rec.wishes.titles.facts(" ".join((*kind, *whom))) if whom else ()
        said = (*kind, *_said(rec, kinds, whom)) if titled else _said(rec, kinds, whom)
        return replace(wish, facts=tuple(dict.fromkeys((*kinds, *titled))), said=said)
    head = rec.wishes.map(" ".join(words[: at + 1]), False, *known)
    # of the head's facts, of its kind and some of their items titled by it ("yarn for
    # knitting" is no "... knitting needles kollage yarns", a seller's name after the needles;
    # "ink pad for rubber stamps" no self-inking stamps, one of three titled "ink pad")
    within = kind_said and kinds and set(wish.facts) <= set(head.facts) and not und.for_kept
    if not head.understood or within:  # ("brushes for them": no brush holders, of the head)
        return wish
    narrow = tuple(  # of the kind said, its items titled so: "yarn" is no "... knitting
        f  # needles kollage yarns" (a seller's name after the needles)
        for f in _of_kind(rec, head.facts, words[at])
        if any(same_word(r, v) for r in rest for v in _WORD.findall(f[1]))
        and _share(_titles(rec, [f]), words[at]) > 0
    )
    titled = (_phrase_facts(rec, r, words[at]) for r in reversed(rest))
    narrow = narrow or next((facts for facts in titled if facts), ())
    said = kind_said >= _SAID  # not one C-Pen scanner for "pens for signing documents"
    if not narrow and said and _kept_said(rec, und, head, rest, share):  # "a case for my gel
        return wish  # pens": "case" alone is projector cases; 25 pens' titles say "case"
    facts = narrow or head.facts
    paths = [rec.wishes.graph.kind_path(f[1]) for f in facts]  # the kinds said of these
    shown = tuple(w for w in head.words if any(p.endswith(w) for p in paths)) or head.words
    return replace(head, text=text, facts=facts, words=shown, said=_said(rec, facts, rest))


def _compound(rec: Recommender, words: list[str]) -> list[str]:
    """The kind said last of ``words``: its last word, or the last two where the titles of
    some items say them in a row ("push pins for a cork board": pushpins, not sewing pins)."""
    titles, catalog = rec.wishes.titles, rec.wishes.graph.space.catalog
    two = words[-2:]
    items = titles.titled(" ".join(two)) if len(two) == 2 else set()
    row = sum(1 for i in items if says_in_a_row(catalog[i].title, two))
    return two if row >= titles.min_items else words[-1:]


def _of_kind(rec: Recommender, facts, word: str) -> tuple[Fact, ...]:
    """The ``facts`` whose kind (their path's last two words) says ``word``."""
    kind = rec.wishes.graph.kind_path
    return tuple(f for f in facts if any(same_word(word, w) for w in kind(f[1]).split()[-2:]))


def _kept_said(rec: Recommender, und: Understanding, head: Wish, rest: list, share: float) -> bool:
    """Whether a thing asked "for it" is the wish of its words together rather than its kind
    alone: where no title of the kind's items says the kept thing ("ink pad for them" after
    rubber stamps: no pad's title says "stamps") and a tenth of the together wish's say the
    kind; "brushes for them" after paints is brushes (half their titles say "paint"), not the
    brush holders that "brushes for paints" finds. Said of no kept wish, any share is it."""
    if not und.for_kept:
        return True
    theirs = _share(_titles(rec, head.facts), rest[-1]) if rest else 1.0
    return theirs < _NONE and share >= _TOGETHER


def _titles(rec: Recommender, facts) -> list[str]:
    """The titles of the items holding any of ``facts``."""
    graph = rec.wishes.graph
    items = {i for fact in facts for i in graph.items_with(tuple(fact))}
    return [graph.space.catalog[i].title for i in items]


def _share(titles: list[str], word: str) -> float:
    """The share of ``titles`` that say ``word``."""
    return sum(1 for t in titles if says(t, [word])) / len(titles) if titles else 0.0


def _phrase_facts(rec: Recommender, word: str, kind: str) -> tuple[Fact, ...]:
    """The facts of the items titled ``word`` and ``kind`` in that order ("pencil case"; Paper
    Mate pens say "pen" and "paper", not "paper pen"; "pen case", not "pens with a case")."""
    titles, catalog = rec.wishes.titles, rec.wishes.graph.space.catalog
    phrase = f"{word} {kind}"
    items = titles.titled(phrase)
    return titles.facts(phrase, {i for i in items if says_in_a_row(catalog[i].title, [word, kind])})


def _said(rec: Recommender, facts: tuple[Fact, ...], rest: list[str]) -> tuple[str, ...]:
    """The purpose's words that some, not all, of the kind's items' titles say: those first."""
    titles = _titles(rec, facts)
    return tuple(w for w in dict.fromkeys(rest) if 0 < _share(titles, w) < 1)


def whom_beside(rec: Recommender, und: Understanding, text: str) -> bool:
    """Whether a wish that only says whom a pick is for ("daughter") is none beside the items
    named: "My daughter loved The Hunger Games" asks for more like it, not children's books;
    so does "books like the hunger games for my daughter". It is a wish where it is said as
    whom the picks are for and a named item fits it: "movies like frozen for my niece" (Final
    Destination 5 came, of another Frozen's cast)."""
    if not set(text.split()) <= for_whom():
        return False
    if not und.said_for:
        return True
    fits, graph = set(rec.wishes.map(text).facts), rec.wishes.graph
    return not any(fits & set(graph.facts_of(i)) for i in und.liked)


def with_named(rec: Recommender, und: Understanding, wish: Wish) -> Wish:
    """``wish`` with the grouping values named in its words that it lost, of one pick with
    it: "young adult books about friendship" was Friendship alone (nearest the whole)."""
    said = f" {wish.text} "
    lost = [
        Wish(value.casefold(), False, (fact,), 1.0)
        for fact in map(tuple, und.liked_facts)
        if (value := fact[1]) and fact[0] in rec.grouping and fact not in wish.facts
        and f" {value.casefold()} " in said
    ]  # fmt: skip
    if wish.negative or not wish.understood or not lost:
        return wish
    for part in lost:
        said = said.replace(f" {part.text} ", " ")
    # "true crime books": the value is the whole wish, mapped as it is (no book is True
    # crime), not one wish twice
    if not (rest := " ".join(said.split())):
        return wish
    return replace(Wish.joined([*lost, replace(wish, text=rest)], together=True), text=wish.text)
