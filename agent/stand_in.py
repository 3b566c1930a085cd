"""A maker's works in other domains stand in for what was named.

"Anything by Neil Gaiman?", then "which ones have films?" filled four of five slots with Wild
Bill and The Football Factory: the catalog holds one film of his. Where a maker named has fewer
than a reply's worth of items left in the domain asked for, their best-known works in the other
domains are what the picks are like, and the reply says so.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from crossrec.agent.wishes import facts_text

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.request import Request

__all__ = ["stand_in"]


def stand_in(rec: Recommender, request: Request, most: int = 3) -> None:
    """Where nothing liked is named and a maker named (a writer, a brand) has fewer than a
    reply's worth of items left in the domain asked for, the maker's best-known works in
    other domains stand in for what was named: "Anything by Neil Gaiman?", then "which ones
    have films?" filled four of five slots with Wild Bill and The Football Factory."""
    query, graph = request.query, rec.retrieval.graph
    makers = [tuple(f) for f in query.facts if f[0] not in rec.grouping]
    if query.history or not makers or not isinstance(query.domain, str) or graph.titles_describe:
        return  # products: a brand's other department is no stand-in
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
