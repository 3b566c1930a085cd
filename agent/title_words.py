"""Words a product's title should say: "red sharpie markers", "a stapler that doesn't jam".

A wish maps onto categories, which know no colour and no trouble: "red sharpie markers" gave
black, purple and white markers, and "best stapler that doesn't jam" said "Leaving out
everything titled 'jam'", which left out the Bostitch "no jam" and Swingline "jam free"
staplers, exactly the ones asked for. Product titles say both: a wish's words that its
categories do not ("red"), and a trouble only to say the item is free of it ("no jam",
"smudge free"). Such words are ``Wish.said``: the picks whose titles say them come first,
and for a trouble the reply says how many of the wish's items do, or that none does.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from crossrec.agent.wish_titles import same_word
from crossrec.agent.wordlists import word_list
from crossrec.retrieval import says, stopwords

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.wish import Wish

__all__ = ["coded", "free_of", "free_titled", "said_beside", "titled_words"]


def _not_said() -> frozenset[str]:  # "free" of "glitter free": what it is, not what it lacks
    return stopwords() | {"free"}


def free_titled(rec: Recommender, text: str) -> bool:
    """Whether the titles saying the one word ``text`` (of a negative wish: "glue that isn't
    toxic") mostly say the item is free of it ("non toxic", "acid free"): leaving them out
    left out exactly what was asked for; their titles are to say it (:func:`free_of`)."""
    if " " in text or not rec.wishes.graph.titles_describe:
        return False
    stem = text.removesuffix("e")  # the titles saying a word it begins ("nontoxic" too)
    index = rec.wishes.titles.items()
    ids = set().union(*(ids for w, ids in index.items() if stem in w and len(w) < 3 * len(stem)))
    word = re.compile(rf"\b{re.escape(stem)}\w*")
    titles = [t for t in (rec.catalog[i].title.casefold() for i in ids) if word.search(t)]
    free = _free(re.escape(stem), "free|proof")
    return bool(titles) and 2 * sum(1 for t in titles if free.search(t)) >= len(titles)


def _free(stems: str, after: str = "free|proof|resistant|less") -> re.Pattern:
    """A title saying it is free of a word of ``stems`` (a regex alternation): "no jam",
    "non-smudge", "residue free" (a word of ``after`` after it); the word as said is a group."""
    return re.compile(
        rf"\b(?:no|non|anti)[\s-]?((?:{stems})\w*)|\b((?:{stems})\w*)[\s-]?(?:{after})\b"
    )


def free_of(rec: Recommender, wish: Wish, lacks: list[str], notices: list[str]) -> Wish:
    """``wish`` with the words of ``lacks`` (what follows "that doesn't": "jam", "leave
    residue"; none: ``wish`` as it is) for its picks' titles to say, as the titles say them
    where some of its items' titles say they are free of one ("no jam", "residue free",
    "non-smudge"); what the reply says of it is added to ``notices``."""
    if not lacks:
        return wish
    graph = rec.wishes.graph
    catalog = graph.space.catalog
    words = {w for said in lacks for w in said.split()[1:] if len(w) > 3 and w not in _not_said()}
    words |= {said.split()[0] for said in lacks}  # the verb, and what it does: "leave residue"
    stems = "|".join(w.removesuffix("e") for w in sorted(words))  # "non damaging", "residue free"
    free = _free(stems)
    # and the kinds most items titled with it and free of it are filed under: "glue that isn't
    # toxic" found no "non toxic" glue among the liquid glues; 12 glue sticks say so
    titled = rec.wishes.titles.titled(wish.text)
    titled = {i for i in titled if free.search(catalog[i].title.casefold())}
    wider = tuple(f for f in rec.wishes.titles.facts("", titled) if f not in wish.facts)
    wish = replace(wish, facts=(*wish.facts, *wider))
    items = {i for fact in wish.facts for i in graph.items_with(fact)}
    found = [free.search(catalog[i].title.casefold()) for i in items]
    forms = Counter(next(filter(None, m.groups())) for m in found if m)
    said = " or ".join(repr(words) for words in lacks)
    said = f"is {said}" if all(w.endswith(" free") for w in lacks) else f"won't {said}"
    if not forms:
        notices.append(f"No title among the items for {wish.text!r} says it {said}.")
        return wish
    saying = sum(forms.values())
    said = said.replace("is ", "are ", 1) if said.startswith("is ") else said
    notices.append(f"Those whose titles say they {said} come first ({saying} here).")
    form = forms.most_common(1)[0][0]  # as the titles say it: "jam", "damaging"
    return replace(wish, said=tuple(dict.fromkeys((*wish.said, form))))


def said_beside(rec: Recommender, wish: Wish) -> Wish:
    """``wish`` with the words it says before the kind its categories match ("red" of "red
    markers", "colored" of "colored pencils", which some of its paths say and others not:
    erasers; no word of what it matched nor one all its paths say) for its picks' titles to
    say, where some but not all of its items' titles say them; a wish narrowed before
    (``Wish.said``) as it is."""
    graph = rec.wishes.graph
    catalog = graph.space.catalog
    if not graph.titles_describe or not wish.facts or wish.said:
        return wish
    matched = [form for words in wish.words for form in words.split("/")]
    values = [set(value.split()) for _, value in wish.facts]  # a word every path says; not
    matched += set.intersection(*values) if values else []  # "colored" of "colored pencils"
    said = wish.text.split()
    head = next((n for n, w in enumerate(said) if any(same_word(w, m) for m in matched)), 0)
    rest = [  # before the kind it names: "red markers", not "glue for a school project"
        w
        for w in dict.fromkeys(said[:head])
        if w.isalpha()
        and w not in stopwords()
        and w not in word_list("measure_words")
        and not any(same_word(w, m) for m in matched)
    ]
    items = {i for fact in wish.facts for i in graph.items_with(fact)}
    saying = {w: sum(1 for i in items if says(catalog[i].title, [w])) for w in rest}
    words = tuple(w for w, n in saying.items() if 0 < n < len(items))
    return replace(wish, said=words) if words else wish


def titled_words(rec: Recommender, wishes: list[Wish], texts: list[str]) -> list[str]:
    """Of ``texts`` (wishes that map onto no fact), those that two titles or more of the
    ``wishes``' items say: "brushes, synthetic" said "I couldn't match 'synthetic'", though
    synthetic brushes are titled so; they are for the picks' titles to say."""
    graph = rec.wishes.graph
    if not graph.titles_describe:
        return []
    catalog = graph.space.catalog
    items = {i for wish in wishes for fact in wish.facts for i in graph.items_with(fact)}
    return [t for t in texts if sum(says(catalog[i].title, t.split()) for i in items) >= 2]


def coded(rec: Recommender, wish: Wish, codes: list[str]) -> Wish:
    """``wish`` with the model codes and numbers said (``codes``: "hp 62" ink, refills for a
    "pilot g2", "toner for brother hl-2270dw", "a planner for 2019") that some of its items'
    titles say, for its picks' titles to say: HP 98 and 60XL came before the HP 62 cartridges,
    and 2018 planners before the 2019 ones."""
    graph = rec.wishes.graph
    catalog = graph.space.catalog
    if not graph.titles_describe or not wish.facts or not codes:
        return wish
    items = {i for fact in wish.facts for i in graph.items_with(fact)}
    parts = [c.replace("-", " ").split() for c in codes]  # titles say "hl 2270dw"
    said = [w for c in parts if any(says(catalog[i].title, c) for i in items) for w in c]
    return replace(wish, said=tuple(dict.fromkeys((*wish.said, *said)))) if said else wish
