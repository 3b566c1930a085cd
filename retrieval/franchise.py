"""Franchises: titles that continue a name and whose items people and makers hold together.

"The Hunger Games", "The Hunger Games: Catching Fire" and "The Hunger Games: Mockingjay -
Part 1" are one story, though the novel and the third film share no writer, director or actor:
only the title says so. A *franchise* here is a name (a title, or the words several titles
begin with: "Harry Potter" of "Harry Potter and the ...") whose titles form one connected
group through specific facts (a shared writer, director, actor, brand: any relation that does
not group items): the novel shares Suzanne Collins with the first film, which shares Jennifer
Lawrence with the others. Titles that only begin alike stay apart ("Brave" and "Brave New
World", "Friday" and "Friday the 13th Part 2" share nobody), so a shared opening word is not
a franchise. One title in two domains is one story, linked or not ("Jane Eyre", the novel and
the film). Found from the catalog alone, for any catalog whose titles name items (where
titles describe products, "Crayola ..." begins hundreds, and no such fact is made).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from typing import TYPE_CHECKING

from crossrec.retrieval.datasets.schema import normalize_title
from crossrec.retrieval.sources.lexical import stopwords

if TYPE_CHECKING:
    from crossrec.retrieval.graph import Fact, KnowledgeGraph

__all__ = ["FRANCHISE", "franchise_facts"]

FRANCHISE = "franchise"
_WORD = re.compile(r"\w+")
_RETOLD = 4  # items of one name across domains that are one story without a shared person
_SUBTITLE = re.compile(r"\s*:\s|\s+\(")  # "The Hobbit: ...", "Wicked (Thriller Film)"
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)  # "The Hobbit or There and Back Again"


def franchise_facts(graph: KnowledgeGraph, min_prefix_titles: int = 3) -> dict[str, list[Fact]]:
    """Item id -> its ``("franchise", name)`` facts. A title is a franchise's name when items
    of titles continuing it are connected to its own items through specific facts; words that
    begin ``min_prefix_titles`` titles or more but are no title ("harry potter and the") are
    one when most of those titles are so connected (the largest group, at least half)."""
    catalog = graph.space.catalog
    key_of = {item.id: normalize_title(catalog.spoken(item.id)) for item in catalog}
    keys: dict[str, list[str]] = {}
    for item_id, key in key_of.items():
        keys.setdefault(key, []).append(item_id)
    ordered = sorted(keys)
    found: dict[frozenset[str], tuple[str, str]] = {}
    for key, is_title in _candidate_keys(ordered, keys):
        root = keys[key][0] if is_title else None  # a title's own items, else the most titles
        titles = ([key] if root else []) + _continuing(ordered, key)
        said = catalog.spoken(root) if root else ""
        if said.isupper():  # "RED" goes on only as written so: not "Red Dragon"
            titles = [t for t in titles if any(catalog.spoken(i).startswith(said) for i in keys[t])]
        retold = root is not None and _domains(catalog, keys[key]) > 1  # a novel and its film
        if len(titles) < (2 if root else min_prefix_titles) and not retold:
            continue
        groups = _connected(graph, [i for t in titles for i in keys[t]], key_of, is_title)
        groups = _retold(catalog, groups, key)
        members = next(g for g in groups if root in g) if root else max(groups, key=len)
        spanned = {t for t in titles if any(i in members for i in keys[t])}
        retold = len(spanned) == 1 and _domains(catalog, members) > 1
        if (len(spanned) < 2 and not retold) or (not is_title and 2 * len(spanned) < len(titles)):
            continue
        common = key if is_title else _common_prefix([key_of[i] for i in members])
        name = _name(catalog.spoken(min(members, key=lambda i: len(catalog[i].title))), common)
        best = found.get(frozenset(members))
        if best is None or len(key) > len(best[0]):  # "Star Trek", not "Star", for one group
            found[frozenset(members)] = (key, name)
    out: dict[str, list[Fact]] = {}
    for members, (_, name) in found.items():
        for item_id in sorted(members):
            out.setdefault(item_id, []).append((FRANCHISE, name))
    return out


def _candidate_keys(ordered: list[str], keys: dict[str, list[str]]) -> list[tuple[str, bool]]:
    """Every title, and the words neighbouring titles begin with ("harry potter" of "harry
    potter and the ..."; not "el" or "o" alone), once each, with whether each is a title."""
    out = {key: True for key in ordered}
    for a, b in zip(ordered, ordered[1:], strict=False):
        prefix = _common_prefix([a, b])
        if any(len(w) > 2 for w in prefix.split()) and prefix not in keys:
            out.setdefault(prefix, False)
    return list(out.items())


def _common_prefix(titles: list[str]) -> str:
    """The words all ``titles`` begin with, less trailing stop words ("harry potter")."""
    common = []
    for words in zip(*(t.split() for t in titles), strict=False):
        if len(set(words)) > 1:
            break
        common.append(words[0])
    while common and common[-1] in stopwords():
        common.pop()
    return " ".join(common)


def _continuing(ordered: list[str], key: str) -> list[str]:
    """The titles that go on from ``key`` by whole words (sorted ``ordered``)."""
    titles = []
    at = bisect.bisect_left(ordered, key + " ")
    while at < len(ordered) and ordered[at].startswith(key + " "):
        titles.append(ordered[at])
        at += 1
    return titles


def _connected(
    graph: KnowledgeGraph, ids: list[str], key_of: dict[str, str], lenient: bool
) -> list[set[str]]:
    """``ids`` split into groups (union-find) joined where two items share a specific fact
    (``lenient``: titles going on from a title) or else two (the films of a franchise share a
    director and actors), or one and their title (the novel and its film): words that only
    begin titles need more, since one writer or actor alone joins Agatha Christie's "The
    Murder of Roger Ackroyd" and "The Murder on the Links", or "American Pie", "American
    Beauty" and "American Hustle" through a chain of actors."""
    grouping = graph.grouping_relations()
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holders: dict[Fact, list[str]] = {}
    for item_id in ids:
        for fact in graph.facts_of(item_id):
            if fact[0] not in grouping and graph.weight(fact) > 0:
                holders.setdefault(fact, []).append(item_id)
    shared: Counter[tuple[str, str]] = Counter()
    for held in holders.values():
        shared.update(itertools.combinations(held, 2))
    for (a, b), n in shared.items():
        if lenient or n >= 2 or key_of[a] == key_of[b]:
            parent[root(a)] = root(b)
    catalog, titled = graph.space.catalog, {}
    for item_id in ids:  # one title told in two domains: one story
        titled.setdefault(key_of[item_id], []).append(item_id)
    for same in titled.values():
        for a, b in itertools.combinations(same, 2):
            if catalog[a].domain != catalog[b].domain and _told(graph, a, b):
                parent[root(a)] = root(b)
    groups: dict[str, set[str]] = {}
    for item_id in ids:
        groups.setdefault(root(item_id), set()).add(item_id)
    return list(groups.values())


def _retold(catalog, groups: list[set[str]], key: str) -> list[set[str]]:
    """``groups`` with those whose every title is ``key`` before a subtitle joined as one
    story, where they span domains: the novel "The Hobbit or There and Back Again" and the
    films "The Hobbit: An Unexpected Journey", ... share no one, nor "The Lord of the Rings"
    and Peter Jackson's films of it, so "I liked The Hobbit", then "only movies", had none.
    At least :data:`_RETOLD` items: with fewer, one name is as often two works (the novel
    "Underworld" and the two "Underworld: ..." films; "2001" the album and the film). A
    name's works with more are joined too, though they may be two works: no fact tells them
    apart (in OpenDialKG only The Hobbit and The Lord of the Rings are joined so)."""
    telling = [g for g in groups if all(_main_title(catalog[i].title) == key for i in g)]
    joined = set().union(*telling)
    if len(telling) < 2 or len(joined) < _RETOLD or _domains(catalog, joined) < 2:
        return groups
    return [g for g in groups if g not in telling] + [joined]


def _main_title(title: str) -> str:
    """A title before its subtitle, folded: "the hobbit" of "The Hobbit: An Unexpected
    Journey" and of "The Hobbit or There and Back Again" (an alternative title after "or" is
    three words or more: "Dead or Alive" is one title)."""
    main = _SUBTITLE.split(title, maxsplit=1)[0]
    head, *rest = _OR.split(main, maxsplit=1)
    return normalize_title(head if rest and len(rest[0].split()) >= 3 else main)


def _told(graph: KnowledgeGraph, a: str, b: str) -> bool:
    """Whether two items of one title in two domains may tell one story: not a book written
    years after the film ("Chain Reaction", the 2011 novel and the 1996 action film)."""
    catalog = graph.space.catalog
    book, other = (a, b) if catalog[a].domain == "book" else (b, a)
    years = [
        [int(v) for r, v in graph.facts_of(i) if r == "year" and v.isdigit()] for i in (book, other)
    ]
    return catalog[book].domain != "book" or not all(years) or min(years[0]) <= max(years[1]) + 1


def _domains(catalog, ids) -> int:
    return len({catalog[i].domain for i in ids})


def _name(title: str, key: str) -> str:
    """The words of ``title`` that ``key`` folds ("Harry Potter" of "Harry Potter and the
    Goblet of Fire" for "harry potter"), as the title writes them."""
    words = list(_WORD.finditer(title))
    n = len(key.split())
    return title[: words[n - 1].end()] if 0 < n <= len(words) else title
