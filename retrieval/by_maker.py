"""A title said with its maker: "1984 by george orwell", "emma by jane austen".

A title in lower case, or of digits, or of one common word, links only after a liking word
("i loved emma") or typed alone: "1984 by george orwell" was the year 1984 (The Terminator,
Neuromancer) and "emma by jane austen" the wish 'emma', matched to nothing. Right before "by"
and a maker the linker found, the words that are a title of one of the maker's items name it;
a title linked there already keeps those of its items the maker holds ("Emma by Jane Austen").
An item of the maker's domain holding no fact of the maker's relation may be theirs ("1984",
which the data gives no writer).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from crossrec.retrieval.members import named_members
from crossrec.retrieval.mention import Mention
from crossrec.retrieval.numbered import numbered_titles

if TYPE_CHECKING:
    from crossrec.retrieval.linking import EntityLinker

__all__ = ["named_titles", "titles_by_maker"]

_BY = re.compile(r"\s+(?:written\s+|directed\s+)?by\s+$", re.IGNORECASE)
_LONGEST = 12  # words of a title said before its maker


def named_titles(
    linker: EntityLinker, text: str, tokens: list, mentions: list[Mention]
) -> list[Mention]:
    """``mentions`` with the titles named by their series and own words ("Harry Potter and
    the Sorcerer's Stone", :func:`~crossrec.retrieval.members.named_members`) or with their
    maker put in, or a sequel's number ("godfather 2", :mod:`crossrec.retrieval.numbered`)."""
    mentions = named_members(linker, text, tokens, mentions)
    if linker.names_items:  # not products: "pack of 3"
        mentions = numbered_titles(linker, text, tokens, mentions)
    return titles_by_maker(linker, text, tokens, mentions)


def titles_by_maker(
    linker: EntityLinker, text: str, tokens: list, mentions: list[Mention]
) -> list[Mention]:
    """``mentions`` with each title said right before "by" and a maker of it linked."""
    out = list(mentions)
    for maker in (m for m in mentions if m.kind == "fact"):
        by = _BY.search(text[: maker.start])
        last = [n for n, t in enumerate(tokens) if t[1] <= by.start()] if by else []
        if not last:
            continue
        end, held = last[-1] + 1, set(maker.facts)
        said = [m for m in out if m.kind == "item" and m.end == tokens[end - 1][1]]
        if said:  # "Emma by Jane Austen": the novel (and a film of it, where it holds her)
            theirs = tuple(i for i in said[0].ids if held & set(linker.graph.facts_of(i)))
            out = [replace(m, ids=theirs) if m is said[0] and theirs else m for m in out]
            continue
        for start in range(max(0, end - _LONGEST), end):  # longest first
            span = (tokens[start][0], tokens[end - 1][1])
            if any(m.start < span[1] and span[0] < m.end for m in out):
                continue
            key = " ".join(t[2] for t in tokens[start:end])
            theirs = _theirs(linker, linker.titles.get(key, []), held)
            if theirs:
                out.append(Mention(text[span[0] : span[1]], *span, "item", theirs, method="maker"))
                break
    return sorted(out, key=lambda m: m.start)


def _theirs(linker: EntityLinker, ids: list[str], held: set) -> tuple[str, ...]:
    """Of ``ids``, those holding a fact ``held``; where none does, those of the maker's domains
    that hold no fact of its relation (the data's "1984" has no writer)."""
    if not ids:
        return ()
    graph, catalog = linker.graph, linker.catalog
    theirs = tuple(i for i in ids if held & set(graph.facts_of(i)))
    if theirs:
        return theirs
    relations = {r for r, _ in held}
    domains = {catalog[i].domain for f in held for i in graph.items_with(f)}
    return tuple(
        i
        for i in ids
        if catalog[i].domain in domains and not relations & {r for r, _ in graph.facts_of(i)}
    )
