""" "A stapler that doesn't jam": what a product should be free of, as its title says it.

"best stapler that doesn't jam" said "Leaving out everything titled 'jam'", which left out the
Bostitch "no jam" and the Swingline "jam free" staplers, exactly the ones asked for. Product
titles name a trouble only to say the item is free of it ("no jam", "smudge free", "won't
bleed"), so the verb after "that doesn't" is a word the picks' titles should say: those that
say it come first (``Wish.said``), and the reply says how many of the wish's items do, or that
none does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from crossrec.retrieval import says

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.wish import Wish

__all__ = ["free_of"]


def free_of(rec: Recommender, wish: Wish, words: list[str]) -> tuple[Wish, str]:
    """``wish`` with ``words`` (the verbs of "that doesn't jam") for its picks' titles to
    say, and what the reply says of it."""
    graph, catalog = rec.retrieval.graph, rec.catalog
    items = {i for fact in wish.facts for i in graph.items_with(fact)}
    saying = sum(1 for i in items if says(catalog[i].title, words))
    said = " or ".join(repr(word) for word in words)
    if not saying:
        return wish, f"No title among the items for {wish.text!r} speaks of {said}."
    wish = replace(wish, said=tuple(dict.fromkeys((*wish.said, *words))))
    first = words[0]
    return wish, (
        f"Titles that speak of {said} (such as 'no {first}', '{first} free') come first: "
        f"{saying} of the items for {wish.text!r}."
    )
