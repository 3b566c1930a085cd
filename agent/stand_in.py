"""A maker's works in other domains stand in for what was named; a named item's versions in
the domain asked for stand in beside it.

"Anything by Neil Gaiman?", then "which ones have films?" filled four of five slots with Wild
Bill and The Football Factory: the catalog holds one film of his. Where a maker named has fewer
than a reply's worth of items left in the domain asked for, their best-known works in the other
domains are what the picks are like, and the reply says so. "The Giver is one of my
favourite films. What should I read?" is like the novel of it too: bridges run through its
writer, Lois Lowry, whom no fact of the film names (her Gathering Blue and Messenger were
missed); "I loved the Lord of the Rings books, what movies?" through the films' director, to
the Hobbit films. The reply is still based on what was named. A named item in the domain
asked for is like its versions in another where they hold a maker it lacks: the catalog's film
The Shining has its cast alone, its novel Stephen King (whose films Misery and The Green Mile
were missed for minor actors' films).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from crossrec.agent.versions import told_as
from crossrec.agent.wishes import facts_text

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.request import Request

__all__ = ["stand_in"]


def stand_in(rec: Recommender, request: Request, most: int = 3) -> None:
    """Where nothing liked is named and a maker named (a writer, a brand) has fewer than a
    reply's worth of items left in the domain asked for, the maker's best-known works in
    other domains stand in for what was named: "Anything by Neil Gaiman?", then "which ones
    have films?" filled four of five slots with Wild Bill and The Football Factory. Where
    something is named, its versions in the domain asked for stand in beside it
    (:func:`_versions`)."""
    query, graph = request.query, rec.retrieval.graph
    if not isinstance(query.domain, str) or graph.titles_describe:
        return  # products: a brand's other department is no stand-in
    if query.history:
        return _versions(rec, request)
    makers = [tuple(f) for f in query.facts if f[0] not in rec.grouping]
    if not makers:
        return
    items = {i for fact in makers for i in graph.items_with(fact)}
    left = [i for i in items if rec.catalog[i].domain == query.domain and i not in query.exclude]
    works = [i for i in items if rec.catalog[i].domain != query.domain]
    if len(left) >= rec.config.k or not works:
        return
    named = rec.retrieval.named
    request.stand_in = tuple(sorted(works, key=lambda i: (-named.get(i, 0), i))[:most])
    request.query = replace(query, history=request.stand_in)
    maker, shown = facts_text(makers[:1]), any(i in query.exclude for i in items)
    how = "few" if left else "no more" if shown else "no"
    by = "with" if makers[0][0] == "actor" else "by"  # "no books with Tom Hanks"
    request.notices.append(
        f"I have {how} {query.domain}s {by} {maker} here; "
        f"the others are like {maker}'s {rec.catalog[request.stand_in[0]].domain}s."
    )


def _versions(rec: Recommender, request: Request, recent: int = 3) -> None:
    """The versions, in the domain asked for, of the ``recent`` last items named in another
    stand in beside them: "I loved the Lord of the Rings books, what movies?" is like the
    films of them too (their director's Hobbit films, not Titanic for a shared 'Epic film');
    first in the history, so that what was named weighs more."""
    query, catalog = request.query, rec.catalog
    told = [i for i in query.history[-recent:] if catalog[i].domain != query.domain]
    found = (v for i in told for v in told_as(catalog, i, query.domain))
    seen = {*query.history, *query.disliked}  # not the films of a novel, hated
    versions = tuple(dict.fromkeys(v for v in found if v not in seen))
    lent = tuple(v for v in _lending(rec, query.history[-recent:], query.domain) if v not in seen)
    if versions or lent:  # first: what was named weighs more (and the reply is based on it)
        request.stand_in = (*versions, *lent)
        request.query = replace(query, history=(*versions, *lent, *query.history))


def _lending(rec: Recommender, named: tuple[str, ...], domain: str) -> list[str]:
    """The versions in other domains, told under the very name, of the ``named`` items of
    ``domain`` that lack a maker's relation the version holds and ``domain``'s items hold (the
    novel The Shining a writer, its film none here; no book lacks an actor)."""
    graph, catalog, out = rec.retrieval.graph, rec.catalog, []
    held = _relations(graph, catalog, domain)
    for item_id in (i for i in named if catalog[i].domain == domain):
        lacks = held - {r for r, _ in graph.facts_of(item_id)} - rec.grouping
        name = catalog.spoken(item_id).casefold()
        for other in (d for d in catalog.domains if d != domain):
            out += [
                v
                for v in told_as(catalog, item_id, other)
                if catalog.spoken(v).casefold() == name  # not The Killing Joke for Batman
                and lacks & {r for r, _ in graph.facts_of(v)}
            ]
    return list(dict.fromkeys(out))


@lru_cache(maxsize=8)
def _relations(graph, catalog, domain: str) -> frozenset[str]:
    """The relations ``domain``'s items hold (built once per catalog and domain)."""
    return frozenset(r for i in catalog.ids(domain) for r, _ in graph.facts_of(i))
