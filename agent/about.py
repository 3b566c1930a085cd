"""Questions about one item: "Who directed Inception?", "Tell me more about the first one".

A person asks about a title they name or one of the last reply's picks ("the second one",
"number 3"); the answer is the item's own facts, said with the phrasing's detail forms, the
asked one first. Nothing is read into their tastes: asking who directed a film is not saying
they liked it, and "the first one" is no wish for first-contact films.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from crossrec.agent.clauses import masked, split_wishes
from crossrec.agent.eras import plain_years
from crossrec.agent.phrasing import detail_phrase
from crossrec.agent.same import SOMEONE_WHO
from crossrec.agent.unknown import name_spans, unknown_names
from crossrec.agent.wish import Wish
from crossrec.retrieval import detect_domain, name_key, without_qualifier

if TYPE_CHECKING:
    from crossrec.agent.wishes import WishMapper
    from crossrec.retrieval import Catalog, EntityLinker, Fact, KnowledgeGraph, Mention

__all__ = [
    "NOT_SHOWN",
    "WHICH_ONE",
    "about",
    "about_series",
    "asked_about",
    "asked_qualities",
    "asked_series",
    "asked_together",
    "places_said",
    "unknown_asked",
]

NOT_SHOWN = "There is no such pick among those I showed; ask about one by its place or its title."
WHICH_ONE = 'Which one do you mean? Ask about a pick by its place ("the second one") or its title.'

# questions about a named thing: "Who directed |Inception?", "tell me more about |Dune"
_NAMED = (
    r"tell me (?:more )?about|more about|who (?:directed|wrote|writes|made|makes|stars in|starred "
    r"in|acted in|is in|was in|plays in|played in)|when (?:was|did|is)|what year (?:was|did|is)|"
    r"which year (?:was|did)|(?:who(?:'s| is| are)? in )?the cast of|^\s*(?:is|was|are|does)"
)  # "Is |Finding Nemo good for kids?": a yes/no question about it, said at the start
# the object comes right after ("who directed the |Star Wars movies")
_OBJECT = r")(?:\s+the(?:\s+(?:book|movie|film|show|novel)s?)?)?\s+$"
_ASKS = re.compile(  # any question whose object comes right after it; "is Matt Damon in |it?"
    r"\b(?:" + _NAMED + r"|what genre is|what brand is|what is|what's|(?:what|how) about|"
    r"^\s*(?:is|was|did|does)\s+(?!there\b)[\w .'-]{2,40}?\s+(?:in|direct|write|star in|act in|play in)"
    + _OBJECT,
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"\b" + SOMEONE_WHO + r"\s+\w+\s+$", re.IGNORECASE)
# a name the catalog may lack is asked about only so ("Who directed |Zzyzx Road?"); "what is",
# "what about" come before requests too ("What about Something Scary", "What is The Best Movie")
_ASKS_NAME = re.compile(r"\b(?:" + _NAMED + _OBJECT, re.IGNORECASE)
# a name in a list asked about: right after the question or after ", ", "and", "or"
_LISTED = re.compile(r"(?:\b(?:" + _NAMED + _OBJECT + r"|(?:,|\band|\bor|&)\s+$)", re.I)
_RELATIONS = (  # the words of a question -> the relation it asks for first
    (re.compile(r"\bdirect", re.I), "director"),
    (re.compile(r"\b(?:wrote|writes|written|author)", re.I), "writer"),
    (re.compile(r"\b(?:stars?|starred|acted|is in|was in|plays?|played|cast)\b", re.I), "actor"),
    (re.compile(r"\b(?:when|year)\b", re.I), "year"),
    (re.compile(r"\b(?:genre|kind)\b", re.I), "genre"),
    (re.compile(r"\b(?:brand|made|makes)\b", re.I), "brand"),
)
# qualities a question asks of an item ("Is Finding Nemo good for kids?", "too scary?"): each
# is mapped onto the catalog's own facts (genres, audiences) by the wish mapper
_QUALITY = re.compile(
    r"\b(?:kids?|child(?:ren)?|family|teens?|teenagers?|teenage|adults?|scary|creepy|frightening|"
    r"violent|gory|funny|sad|romantic|dark|depressing|disturbing|boring)\b",
    re.IGNORECASE,
)
_PERSON = "person"  # the label of a person asked of an item ("is Matt Damon in it?")
_YES_NO = re.compile(r"^\s*(?:is|was|are|does|did)\b", re.IGNORECASE)
_NAMES = 0.8  # a word asked of an item this near a fact's value names it ("romance")
_PLACES = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
_PLACES |= {"4th": 4, "fifth": 5, "5th": 5}  # "last": the number of picks
_REFERENCE = re.compile(  # "the second one", "the last pick", "#3", "number 3"
    r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\s+"
    r"(?:one|pick|item|book|movie|film|product)\b|#\s*(\d+)\b|\bnumber\s+(\d+)\b",
    re.IGNORECASE,
)
_ALONE = re.compile(r"^\W*(?:and\s+)?$")  # "the second one?" is a question by itself
_ASKED = re.compile(r"\W*\?\W*$")
_JOINED = re.compile(r"\s*(?:,\s*)?(?:(?:and|or|&)\s+)?$", re.IGNORECASE)  # ", ", " and ", ", or "
_END = re.compile(r"\W*$")
_IT = re.compile(r"\b(?:it|this one|that one)\b")  # in lower case: "It Follows" is a title
_VALUES = 3  # values of one relation said
_ORDER = ("director", "writer", "actor", "brand", "category", "genre", "franchise", "year")


def asked_about(
    message: str, linker: EntityLinker, shown: Sequence[str], last: str | None = None
) -> str | None:
    """The item ``message`` asks about, said right after a question ("Who directed
    Inception?", "tell me more about the second one", "the second one?"): one of the last
    reply's picks (``shown``, in order) it points to, else the one item it names, else ``last``
    (the item asked about or liked last) where it says "it" ("What year was it released?").
    None where it asks no such question ("What is a good movie like Interstellar?", "Tell me
    about good fantasy books"), "" where it points to a place no pick holds, :data:`WHICH_ONE`
    where it says "it" of several picks and nothing was asked about or liked."""
    items = [m for m in linker.link(message) if m.kind == "item"]
    asked = [(m.start, m.ids[0]) for m in items[:1]] if len(items) == 1 else []
    pointed = None  # "the second one, who directed it?": "it" is that pick
    for said in (_REFERENCE.search(message), _IT.search(message)):  # not "It" of "It Follows"
        if said and not any(m.start <= said.start() < m.end for m in items):
            asked.append((said.start(), ""))
            pointed = pointed or _REFERENCE.match(message, said.start())
    for start, item_id in sorted(asked):
        place = _REFERENCE.match(message, start)
        alone = place and _ALONE.match(message[:start]) and _ASKED.match(message[place.end() :])
        if not (_ASKS.search(message[:start]) or alone) or _RELATIVE.search(message[:start]):
            continue  # "books by the guy who wrote |jaws": a request, not a question
        if place or (pointed and not item_id):
            at = _place(place or pointed, len(shown))
            return shown[at - 1] if 1 <= at <= len(shown) else ""
        if item_id or last:
            return item_id or last
        if _YES_NO.match(message) and not _QUALITY.search(message):  # "is Julia Roberts in
            return None  # it?" of nothing known: her films
        return WHICH_ONE if shown else None  # "books by J.K. Rowling", then "who wrote it?"
    return None


def places_said(message: str, count: int) -> list[tuple[int, tuple[int, int]]]:
    """The places of a reply's ``count`` picks ``message`` points to ("the second one", "the
    last pick", "#3", "number 3"), from 1, each with its span."""
    return [(_place(m, count), m.span()) for m in _REFERENCE.finditer(message)]


def _place(said: re.Match, count: int) -> int:
    word, *digits = said.groups()
    return _PLACES.get(word.casefold(), count) if word else int(next(filter(None, digits)))


def about(
    item_id: str,
    message: str,
    catalog: Catalog,
    graph: KnowledgeGraph,
    qualities: Sequence[Wish] = (),
) -> str:
    """What the catalog knows of ``item_id``, the relation ``message`` asks for first:
    "Inception (movie) is directed by Christopher Nolan, is written by ...". The
    ``qualities`` asked of it (:func:`asked_qualities`) are said first, with the facts that
    fit each or the ones it lacks: "For 'kids': Finding Nemo (movie) is filed under Family."."""
    held, domain = set(graph.facts_of(item_id)), catalog[item_id].domain
    qualities = [  # what items of its domain are filed under: no "Children's literature" of a film
        replace(w, facts=tuple(f for f in w.facts if _of_domain(f, domain, catalog, graph)))
        for w in qualities
    ]
    asked = [relation for pattern, relation in _RELATIONS if pattern.search(message)]
    roles = tuple(asked)  # "Did Tom Hanks direct Forrest Gump?": the director asked
    fits = [(wish, _fit(wish, held, asked)) for wish in qualities if wish.facts]
    asked += [f[0] for wish, fit in fits for f in fit or wish.facts]
    shown = {f for _, fit in fits for f in fit}
    facts: dict[str, list[str]] = {}
    # what fits a quality asked of it, then the values most items share: the leads, not a
    # cameo ("stars Leonardo DiCaprio")
    for relation, value in sorted(
        held, key=lambda f: (f not in shown, -graph.df[graph.fact_index[f]], f)
    ):
        if value.casefold() != catalog.spoken(item_id).casefold():  # not "The Dark Knight's"
            facts.setdefault(relation, []).append(value)
    order = [r for r in _ORDER if r in facts]
    order.sort(key=lambda r: r not in asked)  # stable: the asked relation first
    phrases = [detail_phrase(r, facts[r][:_VALUES], graph) for r in order]
    item = catalog[item_id]
    name = f"{catalog.spoken(item_id)} ({item.domain})"
    name = f"{name[:1].upper()}{name[1:]}"
    said = [_quality(wish, fit, name, graph, roles) for wish, fit in fits]
    if not phrases:
        return " ".join([*said, f"I know nothing more of {name} than its title."])
    listed = ", ".join(phrases[:-1]) + (" and " if len(phrases) > 1 else "") + phrases[-1]
    return " ".join([*said, f"{name} {listed}."])


def _fit(wish: Wish, held: set[Fact], asked: Sequence[str] = ()) -> list[Fact]:
    """The ``held`` facts that fit ``wish``: its own (of the relations ``asked`` where it has
    some: "Did Spielberg direct Jaws?" of the director, not the actor), else of its relations
    those whose values hold one of its one-word values ("is it a romance?": Romance novel)."""
    own = [f for f in wish.facts if f in held]
    own = [f for f in own if f[0] in asked] or own
    words = {v.casefold() for _, v in wish.facts if " " not in v}
    relations = {r for r, _ in wish.facts}
    return own or sorted(
        f for f in held if f[0] in relations and words & set(f[1].casefold().split())
    )


def _of_domain(fact: Fact, domain: str, catalog: Catalog, graph: KnowledgeGraph) -> bool:
    return any(catalog[i].domain == domain for i in graph.items_with(fact))


def _quality(
    wish: Wish, fit: list[Fact], name: str, graph: KnowledgeGraph, roles: Sequence[str] = ()
) -> str:
    """ "For 'kids': Finding Nemo (movie) is filed under Family." or "For 'scary': Inception
    (movie) is not filed under Horror."; of a person asked, "Yes: Good Will Hunting (movie)
    stars Matt Damon.", "No: I know of no Matt Damon in Titanic (movie)." or, of a role asked
    they do not hold, "No, but Forrest Gump (movie) stars Tom Hanks."."""
    if wish.label == _PERSON:
        person = without_qualifier(wish.facts[0][1])
        said = detail_phrase(fit[0][0], [fit[0][1]], graph) if fit else ""
        other = roles and not any(f[0] in roles for f in fit)
        yes = f"No, but {name} {said}." if other else f"Yes: {name} {said}."
        return yes if fit else f"No: I know of no {person} in {name}."
    if fit:
        relations = dict.fromkeys(relation for relation, _ in fit)
        phrases = [detail_phrase(r, [v for s, v in fit if s == r], graph) for r in relations]
        return f"For {wish.text!r}: {name} " + " and ".join(phrases) + "."
    values = list(dict.fromkeys(value for _, value in wish.facts))[:_VALUES]
    return f"For {wish.text!r}: {name} is not filed under " + " or ".join(values) + "."


def asked_qualities(message: str, linker: EntityLinker, mapper: WishMapper) -> list[Wish]:
    """The qualities ``message`` asks of an item ("good for kids", "too scary"; in a yes/no
    question, a value the catalog names: "is it a romance?"; not the words of a title it
    names: "The Family Man"), each mapped onto the catalog's facts; those no fact means are
    left out."""
    spans = [(m.start, m.end) for m in linker.link(message) if m.kind == "item"]
    plain = plain_years(masked(message, spans))  # "for a 12 year old": kids
    said = [m.group().casefold() for m in _QUALITY.finditer(plain)]
    named = []  # "is it a romance?", "Is Alien horror?": a genre the catalog names, asked of it
    if _YES_NO.match(message):
        rest = masked(plain, [m.span() for m in _QUALITY.finditer(plain)])
        named = [w for w, no in split_wishes(rest, (), linker.catalog.domains) if not no]
    wishes = [mapper.map(text) for text in dict.fromkeys(said + named)]
    people = [  # "is Matt Damon in it?", "Did Spielberg direct Jaws?"
        Wish(m.text, facts=m.facts, similarity=1.0, label=_PERSON)
        for m in linker.link(message)
        if _YES_NO.match(message) and m.kind == "fact" and _people(m.facts, mapper)
    ]
    return people + [
        wish
        for wish in wishes
        if wish.understood and not wish.label and (wish.text in said or wish.similarity >= _NAMES)
    ]


def _people(facts: Sequence[Fact], mapper: WishMapper) -> bool:
    return not any(f[0] in mapper.graph.grouping_relations() for f in facts)


def unknown_asked(message: str, linker: EntityLinker, domains: Sequence[str]) -> str | None:
    """The name a question asks about that the catalog lacks ("Who directed Zzyzx Road?": its
    words are no wish for road movies), else None."""
    linked = linker.link(message)
    spans, people = name_spans([*linked, *linker.series(message, linked)])
    for start, end in unknown_names(message, spans, domains, before=_ASKS_NAME, people=people):
        if _ASKS_NAME.search(message[:start]):  # not a subject before "was" ("La La Land was")
            return message[start:end]
    return None


def asked_together(
    message: str, linker: EntityLinker, domains: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The items a question asks about as a list right after it ("Who directed Inception and
    Interstellar?", "Tell me about Dune, Emma and Persuasion"), in order, and the names in the
    list the catalog lacks ("Tell me about Stranger Things and Inception"): two or more in
    all, else ([], []) (two titles apart are a request: "Who directed Inception? I loved
    Up")."""
    linked = linker.link(message)
    items = [m for m in linked if m.kind == "item"]
    spans, people = name_spans([*linked, *linker.series(message, linked)])
    unknown = unknown_names(message, spans, domains, before=_LISTED, people=people)
    members = sorted(
        [*((m.start, m.end, m.ids[0]) for m in items), *((a, b, "") for a, b in unknown)]
    )
    if len(members) < 2 or not _ASKS.search(message[: members[0][0]]):
        return [], []
    between = [message[a[1] : b[0]] for a, b in zip(members, members[1:], strict=False)]
    if not all(_JOINED.fullmatch(text) for text in between):
        return [], []
    if not _END.fullmatch(message[members[-1][1] :]):
        return [], []
    ids = [item_id for _, _, item_id in members if item_id]
    return list(dict.fromkeys(ids)), [message[a:b] for a, b, item_id in members if not item_id]


def asked_series(message: str, linker: EntityLinker) -> Mention | None:
    """The series a question asks about right after it ("Who wrote Harry Potter?", "Is Star
    Wars too violent for kids?", "who directed the star wars movies?"), else None."""
    linked = linker.link(message)
    return next(
        (m for m in linker.series(message, linked) if _ASKS_NAME.search(message[: m.start])),
        None,
    )


def about_series(
    name: str,
    ids: Sequence[str],
    message: str,
    catalog: Catalog,
    graph: KnowledgeGraph,
    qualities: Sequence[Wish] = (),
) -> str:
    """What the items of a series (``ids``, called ``name``; those of the domain ``message``
    asks of, if any: "the Harry Potter books") share, the relation ``message`` asks for first,
    and how many fit each quality asked: "For 'kids': 5 of the 15 Harry Potter titles I have
    are filed under Family (...). Of the 15 Harry Potter titles I have (8 books and 7 movies),
    13 are written by J.K. Rowling and 12 are filed under Fantasy." A value said in two
    spellings ("J. K. Rowling") counts once."""
    domain = detect_domain(message, catalog.domains)
    ids = [i for i in ids if catalog[i].domain == domain] or list(ids)
    name = next(  # as the titles write it: "Star Wars" for "star wars"
        (
            t[: len(name)]
            for t in map(catalog.spoken, ids)
            if t.casefold().startswith(name.casefold())
        ),
        name,
    )
    held = {i: {(r, name_key(v)): (r, v) for r, v in graph.facts_of(i)} for i in ids}
    kinds = Counter(catalog[i].domain for i in ids)
    noun = f"{next(iter(kinds))}s" if len(kinds) == 1 else "titles"
    whole = f"the {len(ids)} {name} {noun} I have"
    said = [
        _series_quality(replace(w, facts=fit), ids, held, whole, catalog, graph)
        for w in qualities  # no "Children's literature" of films
        if (
            fit := tuple(f for f in w.facts if any(_of_domain(f, d, catalog, graph) for d in kinds))
        )
    ]
    phrases = _series_shared(name, held, message, graph)
    if phrases:
        listed = ", ".join(phrases[:-1]) + (" and " if len(phrases) > 1 else "") + phrases[-1]
        counted = " and ".join(f"{n} {d}{'s' if n > 1 else ''}" for d, n in kinds.most_common())
        said.append(f"Of {whole}" + (f" ({counted})" if noun == "titles" else "") + f", {listed}.")
    return " ".join(said) or f"I have {len(ids)} {name} {noun}; they share no fact."


def _series_shared(name: str, held: dict, message: str, graph: KnowledgeGraph) -> list[str]:
    """ "5 are directed by George Lucas": the asked relation's most held values, then what
    half of the series' items share (not "part of the franchise Harry Potter")."""
    counts = Counter(key for facts in held.values() for key in facts)
    spoken = {key: fact for facts in held.values() for key, fact in facts.items()}
    asked = [relation for pattern, relation in _RELATIONS if pattern.search(message)]
    shared = [
        key
        for key, count in counts.most_common()
        if key[0] in _ORDER
        and (key[0] in asked or 2 * count >= len(held) > 1 < count)
        and not key[1].startswith(name_key(name))
    ]
    shared.sort(key=lambda key: (key[0] not in asked, _ORDER.index(key[0])))
    keys = [k for k in shared if k[0] in asked][:_VALUES]
    keys += [k for k in shared if k[0] not in asked][: 2 if asked else _VALUES]
    return [
        ("all" if counts[k] == len(held) else str(counts[k]))
        + f" {_plural(detail_phrase(k[0], [spoken[k][1]], graph), counts[k])}"
        for k in keys
    ]


def _series_quality(
    wish: Wish, ids: Sequence[str], held: dict, whole: str, catalog: Catalog, graph: KnowledgeGraph
) -> str:
    """ "For 'kids': 5 of the 15 Harry Potter titles I have are filed under Family (...)." """
    facts = {(r, name_key(v)) for r, v in wish.facts}
    fit = [i for i in ids if facts & held[i].keys()]
    if not fit:
        values = list(dict.fromkeys(v for _, v in wish.facts))[:_VALUES]
        return f"For {wish.text!r}: none of {whole} is filed under {' or '.join(values)}."
    found = [held[i][k] for i in fit for k in sorted(facts & held[i].keys())]
    values = list(dict.fromkeys(v for r, v in found if r == found[0][0]))
    phrase = _plural(detail_phrase(found[0][0], values[:_VALUES], graph), len(fit))
    titles = [catalog.spoken(i) for i in fit[:2]] + ([f"{len(fit) - 2} more"] if fit[2:] else [])
    count = "all" if len(fit) == len(ids) else f"{len(fit)} of"
    return f"For {wish.text!r}: {count} {whole} {phrase} ({', '.join(titles)})."


def _plural(phrase: str, count: int) -> str:  # "is written by" -> "are written by"
    for one, many in () if count == 1 else (("is ", "are "), ("stars ", "star ")):
        if phrase.startswith(one):
            return many + phrase[len(one) :]
    return phrase
