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


def free_of(rec: Recommender, wish: Wish, words: list[str], notices: list[str]) -> Wish:
    """``wish`` with ``words`` (the verbs of "that doesn't jam"; none: ``wish`` as it is) for
    its picks' titles to say; what the reply says of it is added to ``notices``."""
    if not words:
        return wish
    graph, catalog = rec.retrieval.graph, rec.catalog
    items = {i for fact in wish.facts for i in graph.items_with(fact)}
    saying = sum(1 for i in items if says(catalog[i].title, words))
    said = " or ".join(repr(word) for word in words)
    if not saying:
        notices.append(f"No title among the items for {wish.text!r} speaks of {said}.")
        return wish
    notices.append(
        f"Titles that speak of {said} (such as 'no {words[0]}', '{words[0]} free') come first: "
        f"{saying} of the items for {wish.text!r}."
    )
    return replace(wish, said=tuple(dict.fromkeys((*wish.said, *words))))
