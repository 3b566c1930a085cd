"""Sentences and card lines that say why a pick fits, built only from true, computed facts.

:func:`explain_pick` turns a pick's strongest evidence link (a fact shared with a liked item,
co-occurrence with one, a fact the user named, or the active wish) into a natural sentence in
one of several forms chosen by the kind of connection, plus one true detail of the pick itself:
"Lullaby is by Chuck Palahniuk, who also wrote Fight Club. It came out in 2002." The forms live
in ``prompts/phrasing.yaml``; stock praise ("a great choice", "a fan favorite") lives in
``words/stock_phrases.txt`` and is what :func:`stock_phrase` finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from crossrec.retrieval import (
    Catalog,
    EvidenceLink,
    Fact,
    KnowledgeGraph,
    name_key,
    says,
    without_qualifier,
)

__all__ = [
    "Explanation",
    "explain_pick",
    "form_words",
    "compose_reason",
    "detail_sentence",
    "is_specific",
    "spoken_forms",
    "spoken_value",
    "detail_phrase",
    "praise_words",
    "stock_phrase",
    "writer_facts",
]

# the details said of a pick, most telling first; year last (it is rarely what connects)
_DETAIL_ORDER = ("writer", "director", "actor", "brand", "genre", "category", "year", "language")


@cache
def _forms() -> dict:
    text = resources.files("crossrec.agent").joinpath("prompts", "phrasing.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def _stock_patterns() -> re.Pattern:
    text = resources.files("crossrec.agent").joinpath("words", "stock_phrases.txt")
    lines = [ln.strip() for ln in text.read_text("utf-8").splitlines()]
    patterns = [ln for ln in lines if ln and not ln.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


@cache
def praise_words() -> tuple[str, ...]:
    """The praise words a trained writer is never let write (package data)."""
    text = resources.files("crossrec.agent").joinpath("words", "praise_words.txt")
    lines = [ln.strip() for ln in text.read_text("utf-8").splitlines()]
    return tuple(ln.casefold() for ln in lines if ln and not ln.startswith("#"))


def stock_phrase(text: str, names: Sequence[str] = ()) -> str | None:
    """The first stock-praise phrase in ``text`` ("great choice"), or None; ``names`` (titles,
    fact values: "The Amazing Spider-Man", "Classic rock") are blanked out first."""
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    found = _stock_patterns().search(text)
    return found.group(0) if found else None


@cache
def form_words() -> frozenset[str]:
    """Every word the forms themselves use; the grounding check allows them."""
    words: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, str):
            plain = re.sub(r"\{[a-z]+\}", " ", node)
            words.update(re.findall(r"[^\W_]+", plain.casefold()))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(_forms())
    return frozenset(words)


def spoken_value(fact: Fact, graph: KnowledgeGraph | None = None) -> str:
    """A fact's value as said in a sentence: a category path keeps its last distinct words,
    not a seller's name the ``graph`` finds at its end ("round ring binders", not "binders acco
    brands")."""
    relation, value = fact
    if relation != "category":  # "David Diamond" of OpenDialKG's "David Diamond (Screenwriter) #1"
        return without_qualifier(value)
    if graph is not None:
        value = graph.kind_path(value)
    words = list(dict.fromkeys(reversed(value.split())))[:3]
    return " ".join(reversed(words))


def spoken_forms(fact: Fact, graph: KnowledgeGraph | None) -> set[str]:
    """The ways a text may say ``fact``: as :func:`spoken_value` with and without the seller's
    name (a writer adapter was trained on the path's last words as they are)."""
    raw = {fact[1]} if fact[0] != "category" else set()  # "Dan Harris (Screenwriter)" too
    return {spoken_value(fact), spoken_value(fact, graph), *raw}


def _phrase(fact: Fact, graph: KnowledgeGraph | None = None) -> str:
    """A fact as a verb phrase: "is filed under Comedy", "came out in 1975"."""
    return detail_phrase(fact[0], [fact[1]], graph)


def detail_phrase(relation: str, values: Sequence[str], graph: KnowledgeGraph | None = None) -> str:
    """Values of one relation as a verb phrase: "stars Tom Hanks and Meg Ryan"."""
    said = list(dict.fromkeys(spoken_value((relation, value), graph) for value in values))
    joined = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
    return _forms()["detail"].get(relation, "has " + relation + " {value}").format(value=joined)


@dataclass(frozen=True)
class Explanation:
    """Why one pick fits: a sentence for the reply and a short line for its card."""

    sentence: str
    connection: str  # "same writer as Fight Club: Chuck Palahniuk"; "" when nothing connects
    kind: str  # "shared", "cooccurrence", "named", "wish" or "nothing"
    fact: Fact | None = None
    detail: tuple[Fact, ...] = ()


def _choose(forms: Sequence[str], variant: int = 0) -> str:
    """The form for this place in the reply: consecutive places use different forms."""
    return forms[variant % len(forms)]


def _details(
    graph: KnowledgeGraph | None, item_id: str, used: set[Fact], n: int = 2, linked=frozenset()
) -> list:
    """Up to ``n`` true facts of the pick besides ``used``; a fact that connects it through
    another link (``linked``: the brand a second liked item shares) only where nothing else is
    left, so that a reason says something of the pick besides what connects it."""
    if graph is None:
        return []

    def rank(fact: Fact) -> tuple[bool, int]:  # the value most items share: "Horror", not "Africa"
        return fact not in linked, graph.df[graph.fact_index[fact]]

    by_relation: dict[str, Fact] = {}
    for fact in graph.facts_of(item_id):
        if fact in used or fact[0] not in _DETAIL_ORDER:
            continue
        best = by_relation.get(fact[0])
        if best is None or rank(fact) > rank(best):
            by_relation[fact[0]] = fact
    used_relations = {f[0] for f in used}
    order = [r for r in _DETAIL_ORDER if r not in used_relations] + list(used_relations)
    order.sort(key=lambda r: by_relation.get(r) in linked)  # stable: unlinked facts first
    picked, values = [], {spoken_value(f, graph).casefold() for f in used}
    for relation in order:  # not "written by X and directed by X", nor "Family" said twice
        fact = by_relation.get(relation)
        if fact is not None and spoken_value(fact, graph).casefold() not in values:
            picked.append(fact)
            values.add(spoken_value(fact, graph).casefold())
    return picked[:n]


def _detail_sentence(facts: Sequence[Fact], graph: KnowledgeGraph | None = None) -> str:
    phrases = [_phrase(fact, graph) for fact in facts]
    return f"It {' and '.join(phrases)}." if phrases else ""


def detail_sentence(
    item_id: str, text: str, links: Sequence[EvidenceLink], catalog: Catalog, graph
) -> str:
    """A composed sentence saying one true detail of the pick that ``text`` does not say yet,
    a fact besides what connects it where there is one: "Camp Rock came out in 2008." ("" when
    nothing is left to say)."""
    if graph is None:
        return ""
    folded = text.casefold()
    said = {f for f in graph.facts_of(item_id) if _says(folded, spoken_value(f, graph).casefold())}
    linked = {link.fact for link in links if link.fact}
    facts = _details(graph, item_id, said, n=1, linked=linked)
    return _sentences(f"{catalog.spoken(item_id)} {_phrase(facts[0], graph)}.") if facts else ""


def _sentences(*parts: str) -> str:
    """Sentences joined, each opening with a capital ("acco 70023 prong bases ..." too)."""
    return " ".join(p[:1].upper() + p[1:] for p in parts if p)


def _names(catalog: Catalog, item_id: str, liked_id: str) -> tuple[str, str]:
    """The pick's and the liked item's names, each with its domain where they share a title
    (the film of a book): "the movie The Hunger Games ... wrote the book The Hunger Games"."""
    pick, liked = catalog.spoken(item_id), catalog.spoken(liked_id)
    if pick.casefold() != liked.casefold():
        return pick, liked
    return f"the {catalog[item_id].domain} {pick}", f"the {catalog[liked_id].domain} {liked}"


def _also_named(link, links: Sequence[EvidenceLink]) -> list[Fact]:
    """The other facts of ``link``'s relation a person named that the pick holds too: "stars
    Brad Pitt and Angelina Jolie, whom you mentioned" (it said her name alone)."""
    if link is None or link.kind != "named_fact":
        return []
    values = {name_key(link.fact[1])}  # "J. K. Rowling" and "J.K. Rowling" once
    also = []
    for other in links:
        same = other.kind == "named_fact" and other.fact and other.fact[0] == link.fact[0]
        if same and name_key(other.fact[1]) not in values:
            values.add(name_key(other.fact[1]))
            also.append(other.fact)
    return also


def _connect(
    item_id, link, catalog, variant, graph=None, also: Sequence[Fact] = ()
) -> tuple[str, str, str, Fact | None]:
    """(sentence, card line, kind, fact) of the strongest evidence link (with ``also``, the
    other named facts of its relation the pick holds, said in the first form, which reads
    for several)."""
    forms, pick = _forms(), catalog.spoken(item_id)
    if link is None:
        return "", "", "nothing", None
    if link.history_item:
        pick, liked = _names(catalog, item_id, link.history_item)
    if link.kind == "cooccurrence":
        sentence = _choose(forms["cooccurrence"], variant).format(pick=pick, liked=liked)
        return (
            sentence,
            forms["connection"]["cooccurrence"].format(liked=liked),
            "cooccurrence",
            None,
        )
    relation, value = link.fact[0], spoken_value(link.fact, graph)
    if link.kind == "shared_fact":
        said = catalog.spoken(link.history_item).casefold()  # one title in two domains: told
        told = relation == "franchise" and catalog.spoken(item_id).casefold() == said
        key = "told" if told else relation if relation in forms["shared"] else "other"
        sentence = _choose(forms["shared"][key], variant).format(
            pick=pick, liked=liked, value=value, relation=relation
        )
        own_name = value.casefold() == said
        line = forms["connection"]["told" if told else "shared_self" if own_name else "shared"]
        line = line.format(relation=relation, liked=liked, value=value)
        return sentence, line, "shared", link.fact
    group = forms["named"].get(relation, forms["named"]["other"])
    values = dict.fromkeys([value, *(spoken_value(f, graph) for f in also)])
    if len(values) > 1:  # not "Family and Family"
        *rest, last = values
        value, variant = f"{', '.join(rest)} and {last}", 0
    sentence = _choose(group, variant).format(pick=pick, value=value, relation=relation)
    line = forms["connection"]["named"].format(relation=relation, value=value)
    return sentence, line, "named", link.fact


def _said(fact: Fact, said: set[str], graph: KnowledgeGraph | None) -> bool:
    """Whether the wish's values say ``fact``'s: the same, or begun by it ("Zombie" of
    "Zombie Film": "fits your wish 'zombie comedy': ... Zombie Film and Comedy. Zombieland is
    filed under Zombie and Comedy, which you asked for" said it twice)."""
    value = spoken_value(fact, graph).casefold()
    return any(s == value or s.startswith(value + " ") for s in said)


def explain_pick(
    item_id: str,
    links: Sequence[EvidenceLink],
    catalog: Catalog,
    graph: KnowledgeGraph | None = None,
    wish: tuple[str, Sequence[Fact]] | None = None,
    variant: int = 0,
    known: bool = True,
) -> Explanation:
    """The explanation of ``item_id``: the wish it fits (if any) and its strongest link, or
    the link and one or two true details of the pick; ``variant`` (its place in the reply)
    varies the form. ``known`` False: nothing is known of the person yet (the picks are the
    most chosen items), so a pick without a link is not said to be "for you"."""
    forms, item, pick = _forms(), catalog[item_id], catalog.spoken(item_id)
    own = set(graph.facts_of(item_id)) if graph is not None else set()
    wish_facts = [f for f in (wish[1] if wish else ()) if f in own]
    # say the wish's facts once: "For 'family night': X is filed under Family. You asked for
    # Family: X is filed under it" (a liked fact's link after the wish's)
    said = {spoken_value(f, graph).casefold() for f in wish_facts}  # "Family" of two spellings
    link = next((x for x in links if not (x.fact and _said(x.fact, said, graph))), None)
    also = _also_named(link, links)  # "stars Brad Pitt and Angelina Jolie"
    sentence, line, kind, fact = _connect(item_id, link, catalog, variant, graph, also)
    used = {f for f in (fact, *also) if f}
    if wish_facts:  # the wish the reply promised to follow comes first
        kinds = [f for n, f in enumerate(wish_facts) if f[0] not in {g[0] for g in wish_facts[:n]}]
        two = kinds[:2] if len(kinds) > 1 else wish_facts[:2]  # "... and came out in 2012"
        relations = dict.fromkeys(f[0] for f in two)
        phrase = " and ".join(
            detail_phrase(r, [v for s, v in two if s == r], graph) for r in relations
        )
        first = _choose(forms["wish"], variant).format(pick=pick, wish=wish[0], phrase=phrase)
        used.update(two)
        sentence = _sentences(first, sentence)
        # up to two of the wish's facts it holds: "Comedy, Horror" for a horror comedy
        values = ", ".join(dict.fromkeys(spoken_value(f, graph) for f in wish_facts[:2]))
        fits = forms["connection"]["wish"].format(wish=wish[0], value=values)
        # and its link to what was named, where it names: "...; same actor as Talladega Nights:
        # Will Ferrell", "...; actor Jim Carrey, as you mentioned" ("only comedies" of his)
        names = kind in ("shared", "named") and graph is not None and fact is not None
        names = names and fact[0] not in graph.grouping_relations()
        line = f"{fits}; {line}" if names else fits
        kind, fact = "wish", wish_facts[0]
        used.update(f for f in own if _said(f, said, graph))  # no "It is filed under Zombie."
    if not sentence:
        kind_of = forms["nothing"] if known else forms["popular"]
        sentence = _choose(kind_of, variant).format(pick=pick, domain=item.domain)
        line = line or ("" if known else forms["connection"]["popular"])  # no blank card
        said = [w for w in (wish[0].split() if wish and not line else ()) if len(w) > 3]
        said = " ".join(said) if said and says(item.title, said) else ""  # "Shark Tale"; all
        line = forms["connection"]["titled"].format(word=said) if said else line
    linked = {link.fact for link in links if link.fact}
    detail = _details(graph, item_id, used, n=1 if len(used) > 1 else 2, linked=linked)
    sentence = _sentences(sentence, _detail_sentence(detail, graph))
    return Explanation(sentence, line, kind, fact, tuple(detail))


def writer_facts(
    item_id: str,
    links: Sequence[EvidenceLink],
    catalog: Catalog,
    graph: KnowledgeGraph | None = None,
    wish: tuple[str, Sequence[Fact]] | None = None,
    extra: Sequence[Fact] = (),
) -> tuple[str, list[Fact]]:
    """What a trained writer is given about a pick: the liked item it connects to ("" when
    none) and the facts it may say, the connecting fact first, then the pick's own details
    (those :func:`explain_pick` would say, plus ``extra``: training adds what the reference
    reply states). The same function builds training prompts and serving prompts."""
    explanation = explain_pick(item_id, links, catalog, graph, wish)
    liked = ""
    if links and links[0].history_item and links[0].history_item in catalog:
        liked = catalog.spoken(links[0].history_item)
    facts = [f for f in (explanation.fact, *explanation.detail, *extra) if f]
    return liked, list(dict.fromkeys(facts))


def compose_reason(
    item_id: str,
    links: Sequence[EvidenceLink],
    catalog: Catalog,
    graph: KnowledgeGraph | None,
    variant: int = 0,
) -> str:
    """A reason composed from the pick's evidence, as a training target for the writer on a
    catalog without human replies ("You bought X, and Y is from hp as well; it belongs to
    inkjet printer ink."); "" when no link names a history item."""
    link = links[0] if links else None  # the link writer_facts names the liked item of
    if link is None or link.history_item not in catalog:
        return ""
    if catalog.spoken(item_id) == catalog.spoken(link.history_item):
        return ""  # a second pack of the same thing: nothing to say
    forms, pick, liked = (
        _forms()["composed"],
        catalog.spoken(item_id),
        catalog.spoken(link.history_item),
    )
    used = {link.fact} if link.fact else set()
    detail = _details(graph, item_id, used, n=1, linked={x.fact for x in links if x.fact})
    kind = "shared" if link.kind == "shared_fact" and link.fact else "cooccurrence"
    if not detail:  # no other fact of the pick to say
        group = forms["bare"][kind]
    elif kind == "shared":
        group = forms["shared"].get(link.fact[0], forms["shared"]["other"])
    else:
        group = forms["cooccurrence"]
    relation, value = (link.fact[0], spoken_value(link.fact, graph)) if link.fact else ("", "")
    said = _phrase(detail[0], graph) if detail else ""
    return _sentences(
        _choose(group, variant).format(
            pick=pick, liked=liked, relation=relation, value=value, detail=said
        )
    )


def _says(text: str, phrase: str) -> bool:
    return bool(phrase) and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def is_specific(
    text: str, item_id: str, history, links, graph, catalog, wish_facts=(), strict: bool = False
) -> bool:
    """Says a true detail of the pick (one of its facts) and, besides that detail, what
    connects the pick to the user: another linked fact (shared, named, or the wish's), a liked
    item bought or chosen together with it, or a liked item where the detail is not a linked
    fact. "Blade Runner is by Ridley Scott, like Alien" says only the connection; "Like Alien,
    Blade Runner is Science Fiction" and "after sharpie 37001 many people picked sharpie 37003,
    made by sharpie" say a detail too. The pick's own name names no liked item, though a liked
    item shares it (the Fight Club book for a fan of the film). ``strict``: the detail must be
    none of the linked facts (as before, when an Amazon item whose brand and category both
    connect could never be specific, whatever a text said).

    Titles are taken out before facts are looked for (an Amazon title holds its brand) and
    every match is on word boundaries.
    """
    folded = text.casefold()
    known = [h for h in history if h in catalog]
    pick = {catalog[item_id].title.casefold(), catalog.spoken(item_id).casefold()}

    def names(h):  # the pick's own name names no liked item, though one shares it
        return {catalog[h].title.casefold(), catalog.spoken(h).casefold()} - pick

    def cut(text: str, titles) -> str:  # whole words, longest first
        for title in sorted(titles, key=len, reverse=True):
            text = re.sub(rf"(?<!\w){re.escape(title)}(?!\w)", " ", text)
        return text

    # every name, longest first, is cut out as it is found: "Toy Story 2" names no liked "Toy
    # Story", and a liked "The Dark Knight Rises" is named beside a pick "The Dark Knight"
    named = set()
    for title, owner in sorted(
        [(t, None) for t in pick] + [(t, h) for h in known for t in names(h)],
        key=lambda pair: len(pair[0]),
        reverse=True,
    ):
        if _says(folded, title):
            named |= {owner} - {None}
            folded = cut(folded, [title])
    together = any(link.kind == "cooccurrence" and link.history_item in named for link in links)
    link_facts = {link.fact for link in links if link.fact} | set(wish_facts)
    linked = {f for f in link_facts if _says(folded, f[1].casefold())}
    details = {  # as a sentence says them: a category path by its last words
        fact
        for fact in graph.facts_of(item_id)
        for said in {fact[1], *spoken_forms(fact, graph)}
        if (len(said) >= 4 or fact[0] == "year") and _says(folded, said.casefold())
    }
    if strict:
        return bool(named or linked) and bool(details - link_facts)
    return any(together or linked - {d} or (named and d not in link_facts) for d in details)
