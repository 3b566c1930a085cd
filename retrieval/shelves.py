"""Where a category path ends in a seller's name, not a kind of thing.

Amazon files many items under their kind's path and then a seller or storefront: "... binders
binding systems binders round ring binders acco brands", "... book covers book accessories
bible covers christian art gifts", "... featured brands lbr brands browse bin". Said on a card
("fits your wish 'binders': binders acco brands") or matched against a wish ("gifts for my
coworkers" -> Bible covers), the seller's words mislead. They are found from the paths alone,
for any catalog: the words after a shorter path that is itself a value are a *seller* where
they follow three or more different paths, more than the paths that hold them (a kind such as
"tape" or "paper" sits inside the paths of many others), and the shelf they make holds at most
``max_share`` times the items of the path before it (the kind "staples", 43 items after
"staplers punches", 8, is no seller's shelf). A seller's name and more words is one too
("christian art gifts manufacturer").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

__all__ = ["seller_free"]


def seller_free(
    counts: Mapping[str, float],
    min_parents: int = 3,
    max_share: float = 3.0,
    max_words: int = 6,
    min_words: int = 3,
) -> dict[str, str]:
    """Each category path of ``counts`` (path -> items filed under it) that ends in a seller's
    name -> the path without it (and without a second one before it); others are left out."""
    parent: dict[str, tuple[str, str]] = {}  # path -> (shorter path, the words after it)
    follows: dict[str, set[str]] = defaultdict(set)
    for path in counts:
        words = path.split()
        for cut in range(len(words) - 1, max(len(words) - max_words, min_words) - 1, -1):
            before = " ".join(words[:cut])
            if before in counts:
                suffix = " ".join(words[cut:])
                parent[path] = (before, suffix)
                follows[suffix].add(before)
                break
    parents = {before for before, _ in parent.values()}
    sellers = set()
    for suffix, befores in follows.items():
        if len(befores) >= min_parents:
            inside = sum(f" {suffix} " in f" {p} " for p in parents)
            if inside < len(befores):
                sellers.add(suffix)
    named = {f"{s} " for s in sellers}  # "christian art gifts manufacturer" too
    sellers |= {s for s in follows if any(s.startswith(n) for n in named)}
    out = {}
    for path, (before, suffix) in parent.items():
        if suffix in sellers and counts[path] <= max_share * counts[before]:
            out[path] = before
    for path, before in out.items():  # "... bead assortments rockin beads tm"
        while before in out:
            before = out[before]
        out[path] = before
    return out
