"""What a user says they have: "I bought a label maker. What else would help?", "What goes with
a Cricut machine?", "something for my planner".

A person who has a label maker does not want five more; in a catalog whose titles describe
things (products, not films or books: :attr:`KnowledgeGraph.titles_describe`), the kind of
item they say they own is left out of the picks, while the wish its words make keeps what goes
with it (label tape, sewing machine needles). A kind is a category path's last words: "label
maker" is "... other office equipment label makers", "stapler" every path ending in
"staplers". Who owns a thriller wants more thrillers, so film and book catalogs leave nothing
out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from crossrec.agent.clauses import masked, split_wishes
from crossrec.agent.wish_titles import same_word
from crossrec.agent.wordlists import for_whom
from crossrec.retrieval import Fact

if TYPE_CHECKING:
    from crossrec.retrieval import KnowledgeGraph

__all__ = ["kind_facts", "owned_kinds", "shelves"]

_OWNED = re.compile(  # "I bought", "what goes with a", "to use with my", "to hold my"
    r"(?:\b(?:i|we)(?:'ve|\s+have)?\s+(?:already\s+(?:have|got|bought|purchased|own)|"
    r"(?:just|recently)\s+(?:got|bought|purchased)|bought|purchased|own)"
    r"|\b(?:goes|to go|to use)\s+with|(?<=\w\s)for\s+(?:my|our)"
    # "my printer is an HP officejet": a maker after it; not "my next purchase is a printer"
    r"|\b(?:my|our)(?=\s+[\w-]+(?:\s+[\w-]+)?\s+(?:is|are)\s+(?:an?|the)\s+(?-i:[A-Z]))"
    r"|\b(?:to|that|which)\s+(?:holds?|stores?|organi[sz]es?|carry)\s+"
    r"(?:all\s+)?(?:my|our))\b(.*)",
    re.IGNORECASE,
)
_KIDS = frozenset({"kid", "kids", "child", "children", "baby", "students", "class"})
# the last word had: a project is begun, an occasion held ("for my daughter's slime party"
# left out party supplies)
_BEGUN = frozenset(
    {"project", "projects", "party", "parties", "wedding", "shower", "event", "trip", "class"}
)
_SELLER = 3  # words of a seller's name after a kind's category path
_SHELF = 3.0  # a seller's shelf holds at most this many times its kind's items
_OBJECT_END = re.compile(
    r"[,;:]|\b(?:and|but|who|that|which)\b", re.IGNORECASE
)  # where what is had ends
_CLAUSE = re.compile(r"[.!?;\n]+|\bbut\b|\bwhat\b", re.IGNORECASE)
_LOVED = re.compile(  # "I bought sharpie markers and loved them": more like them, not others
    r"^[^.!?;]*?\b(?:and|which|that)\s+(?:i\s+|we\s+)?(?:really\s+|just\s+)?"
    r"(?:love|loved|like|liked|enjoy|enjoyed|adore|adored)\s+(?:it|them|these|those|this|that)\b",  # not "and I like
    # colorful things"
    re.IGNORECASE,
)


def owned_kinds(
    message: str, spans: Iterable[tuple[int, int]], domains: Sequence[str]
) -> list[str]:
    """The words right after "I bought" / "I own" / "I already have" / "goes with" / "for my"
    (not at a clause's start: "For my birthday I want ..." says no such thing) in each clause
    of ``message``, up to the next "and" or comma, outside the linked ``spans`` (a named item
    is liked, not a kind): "I bought a label maker for my desk" -> "label maker desk"; "I own a
    shop and need pens" -> "shop"; "I bought it, and now I need pens" -> nothing; "for my first
    crochet project" -> nothing (a project is begun, not had)."""
    out = []
    for clause in _CLAUSE.split(masked(message, spans)):
        said = _OWNED.search(clause.strip())
        said_object = _OBJECT_END.split(said.group(1))[0] if said else ""
        had = [w.casefold() for w in said_object.split()]
        trigger = said.group(0)[: said.start(1) - said.start(0)].casefold() if said else ""
        whom = had[:2] if trigger.rstrip().endswith(("my", "our")) else had[:1]  # "for my"
        if any(w in _KIDS or w in for_whom() for w in whom):
            continue  # "a gift for my (elderly) mom who loves painting": no thing they have
        if had and had[-1] in _BEGUN:
            continue  # "yarn for my first crochet project": no crochet had, a project begun
        if said and _LOVED.search(said.group(1)):
            continue  # "I bought sharpie markers and loved them": liked, more of it wished
        wishes = split_wishes(said_object, (), domains) if said_object.strip() else []
        if wishes and not wishes[0][1]:
            out.append(wishes[0][0])
    return out


def kind_facts(
    owned: str, facts: Iterable[Fact], graph: KnowledgeGraph | None = None, min_words: int = 3
) -> tuple[str, tuple[Fact, ...]]:
    """The kind ``owned`` says, as the catalog says it, and the ``facts`` whose value (a
    category path of ``min_words`` words or more) ends in it: two words of it in a row ("sewing
    machine" in "daughter sewing machine birthday": "sewing machines"), else one word
    ("stapler" in "daughter stapler": "staplers"; the last first: "paint brushes" are brushes,
    not paints), the first found, plurals alike. A path that
    is such a path and up to ``_SELLER`` words more is one too, where it holds at most
    ``_SHELF`` times its items (by the ``graph``): Amazon files many items under their kind's
    path and a seller's name ("... planners global printed products"), but "... inkjet printer
    ink" (200 items after "... inkjet printer") is no printer. A path's own end is a seller's
    name where the ``graph`` finds one there ("... scrapbooking stamping project": "for my
    son's school project" owns no project). ``("", ())`` where no path ends so."""
    words = owned.split()
    paths = [f for f in facts if len(f[1].split()) >= min_words]
    # a kind is the path less a seller's name at its end: "... stamping project" is no project
    kinds = [(graph.kind_path(f[1]) if graph is not None else f[1]).split() for f in paths]
    for kind in [*zip(words, words[1:], strict=False), *zip(reversed(words))]:  # last word first
        at = [n for n, path in enumerate(kinds) if _ends_with(path, list(kind))]
        if at:
            found = [paths[n] for n in at]
            sold = [f for f in paths for k in found if _shelf(f[1], k[1], graph)]
            said = " ".join(kinds[at[0]][-len(kind) :])  # "wood stamps", not a seller's "arts inc"
            return said, tuple(dict.fromkeys(found + sold))
    return "", ()


def shelves(graph: KnowledgeGraph, facts: Iterable[Fact]) -> list[Fact]:
    """The category paths that are one of ``facts``' paths and up to :data:`_SELLER` words
    more, a seller's name (any seller's, not only those :func:`kind_facts` tells apart): "...
    computer desks techni mobili" is desks, "... desktop staplers esselte" staplers."""
    paths = {f[1] for f in facts}  # at most _SHELF times the kind's items: "... inkjet
    # printer ink" (1,013 items after "... inkjet printer") is no printer
    return [
        f for f in graph.facts if f[0] == "category" and any(_shelf(f[1], p, graph) for p in paths)
    ]


def _shelf(value: str, kind: str, graph: KnowledgeGraph | None) -> bool:
    """Whether ``value`` is the ``kind`` path and a seller's name (see :func:`kind_facts`)."""
    extra = value[len(kind) :].split() if value.startswith(kind + " ") else []
    if not 0 < len(extra) <= _SELLER:
        return False
    index = [graph.fact_index.get(("category", p)) for p in (value, kind)] if graph else [None]
    if None in index:  # no graph, or not its category paths: by the words alone
        return True
    return float(graph.df[index[0]]) <= _SHELF * float(graph.df[index[1]])


def _ends_with(value: list[str], kind: list[str]) -> bool:
    tail = value[-len(kind) :]
    return len(tail) == len(kind) and all(map(same_word, kind, tail))
