"""People named by their surname alone: "something by Tarantino", "not by Spielberg".

People say a director's or writer's surname ("Tarantino", "Nolan's films") where the catalog
holds the full name. A surname names a person here when the catalog's values of people (a
relation that names, not groups: writer, director, actor) end in it, one person holds at least
:data:`DOMINANCE` times the items of any other with that surname ("Spielberg": Steven; "Nolan":
Christopher, with twice Jonathan's), and the word is no other name and is not common in titles
("King": The Lion King, King Kong, ...). One person spelled two ways ("J. K. Rowling",
"J.K. Rowling") is one. Its facts are the person's facts, so a surname links as the whole
name does, and only where it is said as a maker (:func:`said_as_maker`): after "by", "with",
"from" or a liking word ("I like Tarantino"), and for a person of a few items or more also
before "'s" or a kind or after "no" ("Nolan's films", "tarantino movies", "no nolan"); "movies
set in Washington" names no Denzel Washington. A franchise is no person ("Happy Feet"
makes no surname "Feet"). A name typed with a letter or two wrong is the person's where it is
near enough (:func:`respelt_people`): capitalised, or in lower case right after "by" (after
"with" or "starring", two words or more), where a person is likely named ("books by agatha
cristie", "anything by tolkein").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from crossrec.retrieval.datasets.schema import normalize_title
from crossrec.retrieval.franchise import FRANCHISE
from crossrec.retrieval.mention import Mention
from crossrec.retrieval.sources.lexical import stopwords
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from crossrec.retrieval.graph import Fact, KnowledgeGraph

__all__ = [
    "DOMINANCE",
    "MAKER_BEFORE",
    "said_as_maker",
    "TITLE_WORD",
    "people_by_initial",
    "person_key",
    "respelt_people",
    "siblings",
    "surnames",
]

MAKER_BEFORE = re.compile(  # a surname said so: "by Tarantino", "I like Tarantino", "Did |Nolan"
    r"(?:\b(?:by|with|from|love|loved|like|liked|adore|enjoy|enjoyed|fan of)|^\s*(?:is|was|did|"
    r"does))\s+$",
    re.IGNORECASE,
)

# said of a maker after it: "Nolan's films", "tarantino movies"
MAKER_AFTER = re.compile(r"['’]s\b|\s+(?:movies?|films?|books?|novels?|flicks?|stuff)\b", re.I)
_LEFT_OUT_BEFORE = re.compile(r"\b(?:no|not|except|than)\s+$", re.IGNORECASE)  # "no nolan"
_LOWER_BEFORE = re.compile(  # "anything by kubrick", "i like tolkien"
    r"\b(?:by|from|love|loved|like|liked|adore|enjoy|enjoyed|fan of)\s+$", re.IGNORECASE
)
LOWER_HELD = 5  # items a person holds whose surname links in lower case ("bond movies": no
# Felicia Bond, with 4 books)
DOMINANCE = 2  # the person holds this many times the items of the next with the surname
TITLE_WORD = 3  # a word this many titles hold is a common word ("king"), no surname
RESPELT = 93  # a typed name this near a person's (rapidfuzz ratio) is that person: "Jim Carey"
CUED = 84  # in lower case after "by" or "with": "agatha cristie", "stephen spielburg"
CUED_SURNAME = 85  # a surname alone after "by": "tolkein"
_MAKER_CUE = re.compile(  # typed fast too: "movies wiht brad pit" (two typos at once)
    r"\b(by|with|wiht|wtih|whit|wth|starring|staring)\s+$", re.IGNORECASE
)
_NAME = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,3}([A-Z][\w'’-]{3,})$")  # "Quentin Tarantino"


def person_key(name: str) -> str:
    """One person however spelt: "J. K. Rowling" is "J.K. Rowling"."""
    return re.sub(r"[\s.]", "", name).casefold()


def said_as_maker(text: str, start: int, end: int, held: int) -> bool:
    """Whether a surname at ``text[start:end]`` is said as a maker's: capitalised after "by"
    or a liking word (:data:`MAKER_BEFORE`); of a person holding :data:`LOWER_HELD` items or
    more, also before "'s" or a kind or after "no" or "not" ("Tarantino movies", "no nolan
    please"; "Bond movies" is no Felicia Bond's), and in lower case after "by", "from" or a
    liking word, or said alone ("scorsese")."""
    before, after = text[:start], bool(MAKER_AFTER.match(text, end))
    if after or _LEFT_OUT_BEFORE.search(before):  # "Bond movies" is no Felicia Bond either
        return held >= LOWER_HELD or (text[start].isupper() and bool(MAKER_BEFORE.search(before)))
    alone = held >= LOWER_HELD and not before.strip() and not text[end:].strip(" ?!.")
    if text[start].isupper():  # "Scorsese?" and no more
        return alone or bool(MAKER_BEFORE.search(before))
    return alone or held >= LOWER_HELD and bool(_LOWER_BEFORE.search(before))


def surnames(
    graph: KnowledgeGraph, names: Mapping[str, list[Fact]], title_words: Mapping[str, int]
) -> dict[str, list[Fact]]:
    """Surname -> the facts of the one person it names (see the module docstring), and
    :func:`siblings`; ``names`` are the linker's fact names and ``title_words`` how many
    titles hold each word."""
    out, cast = {}, _casts(graph)
    for surname, persons in _people(graph).items():
        if surname in names or title_words.get(surname, 0) >= TITLE_WORD or surname in stopwords():
            continue
        # all their items, else those they made, where they hold as many as any other:
        # "Hitchcock" is Alfred (5 films directed, 5 cameos), not Michael (5 parts played);
        # "Pitt" is no director Angelina Jolie Pitt (Brad played in more)
        found = _dominant(graph, persons) or _dominant(graph, persons, cast)
        if found:
            out[surname] = found
    return out | {kin: facts for kin, facts in siblings(graph).items() if kin not in names}


def siblings(graph: KnowledgeGraph) -> dict[str, list[Fact]]:
    """ "X brothers" and "X sisters" -> the facts of the people with the surname X who made an
    item together (not as its cast): "films by the coen brothers" was Step Brothers and
    Undercover Brother, titles saying 'brothers'; Joel and Ethan Coen direct and write alike,
    so neither surname names one person."""
    out, cast = {}, _casts(graph)
    for surname, persons in _people(graph).items():
        made = [
            {i for f in facts if f[0] not in cast for i in graph.items_with(f)}
            for facts in persons.values()
        ]
        together = [p for p, items in zip(persons, made, strict=True)
                    if any(items & other for other in made if other is not items)]  # fmt: skip
        if len(together) > 1:
            facts = [f for p in together for f in persons[p]]
            out.update({f"{surname} {kin}": facts for kin in ("brothers", "sisters")})
    return out


def _people(graph: KnowledgeGraph) -> dict[str, dict[str, list[Fact]]]:
    """Surname -> each person with it (however spelt) -> their facts, of the relations that
    name people (not grouping ones, nor a franchise)."""
    grouping = graph.grouping_relations()
    people: dict[str, dict[str, list[Fact]]] = {}
    for fact in graph.facts:
        said = _NAME.match(fact[1])
        if fact[0] in grouping or fact[0] == FRANCHISE or not said or graph.weight(fact) <= 0:
            continue
        person = person_key(fact[1])
        surname = normalize_title(said.group(1))  # "Cuarón": "cuaron"; "gordon levitt"
        people.setdefault(surname, {}).setdefault(person, []).append(fact)
    return people


def _dominant(graph: KnowledgeGraph, persons: dict, skip: set[str] = frozenset()) -> list | None:
    """The facts of the one of ``persons`` (full name -> facts) holding :data:`DOMINANCE`
    times the items of any other (by no relation in ``skip``), two at least, and in all as
    many as any other; else None."""

    def items(facts, skip=frozenset()) -> int:
        return len({i for f in facts if f[0] not in skip for i in graph.items_with(f)})

    held = sorted(((items(facts, skip), facts) for facts in persons.values()), key=lambda p: -p[0])
    most = max(items(facts) for facts in persons.values())
    if held[0][0] >= 2 and (len(held) == 1 or held[0][0] >= DOMINANCE * held[1][0]):
        return held[0][1] if items(held[0][1]) >= most else None
    return None


def _casts(graph: KnowledgeGraph, many: float = 2.0) -> set[str]:
    """The relations of people an item holds ``many`` values of or more on average: a cast
    (actor), not its makers (director, writer)."""
    held: dict[str, list[int]] = {}
    for item_id in graph.space.ids:
        counts: dict[str, int] = {}
        for relation, _ in graph.facts_of(item_id):
            counts[relation] = counts.get(relation, 0) + 1
        for relation, n in counts.items():
            held.setdefault(relation, []).append(n)
    return {r for r, ns in held.items() if sum(ns) >= many * len(ns)} - graph.grouping_relations()


def people_by_initial(graph: KnowledgeGraph, names: Mapping[str, list[Fact]]) -> dict:
    """First letter -> the linker's fact names (``names``' keys) of people, of a relation that
    names, not groups (writer, director, actor, brand): two words or more, or one (a surname)
    of a person holding :data:`LOWER_HELD` items or more."""
    grouping, out = graph.grouping_relations(), {}
    for key, facts in names.items():
        people = [f for f in facts if f[0] not in grouping and f[0] != FRANCHISE]
        held = len({i for f in people for i in graph.items_with(f)}) if " " not in key else 0
        if people and (" " in key or held >= LOWER_HELD):
            out.setdefault(key[0], []).append(key)
    return out


def respelt_people(
    people: Mapping[str, list[str]],
    names: Mapping,
    text: str,
    tokens: list,
    taken: list[bool],
    spans: list[tuple[int, int]],
) -> list[Mention]:
    """The capitalised runs (``spans`` of tokens, none ``taken``), and the words right after
    "by" (:func:`_after_maker`), that are a person's name typed with a letter or two wrong
    ("Quentin Tarentino", "Jim Carey", "books by agatha cristie"), as fuzzy mentions of the
    person's facts. Each word must begin as the person's does ("John Wayne" is no John Payne),
    and the name be :data:`RESPELT` near, after "by" :data:`CUED` (a surname alone of six
    letters or more :data:`CUED_SURNAME`, and not its plural: "by william" is no Williams)."""
    found, cued = [], _after_maker(text, tokens, taken)
    for n, m in [*cued, *spans]:
        if any(taken[n:m]):
            continue
        key = " ".join(t[2] for t in tokens[n:m])
        near = RESPELT if (n, m) not in cued else CUED if m - n > 1 else CUED_SURNAME
        if (n, m) in cued and m - n == 1 and len(key) < 6:  # "sorted by date": no Dante
            continue
        pool = [p for p in people.get(key[0], ()) if p.count(" ") == key.count(" ")]
        best = process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=near)
        if best and " " not in key and best[0].rstrip("s") == key.rstrip("s"):
            continue  # "anything by william" is no Robin Williams
        if best and [w[0] for w in best[0].split()] == [w[0] for w in key.split()]:
            start, end = tokens[n][0], tokens[m - 1][1]
            facts = tuple(names[best[0]])
            found.append(
                Mention(text[start:end], start, end, "fact", (), facts, "fuzzy", best[1] / 100)
            )
            taken[n:m] = [True] * (m - n)
    return found


def _after_maker(text: str, tokens: list, taken: list[bool]) -> list[tuple[int, int]]:
    """The spans of up to three words (no stopwords, none ``taken``) right after "by", or after
    "with" or "starring" of two words or more, longest first: where a name typed in lower case
    is likely a person's ("books by agatha cristie", "anything by tolkein", "movies with tom
    hankss")."""
    spans = []
    for n, (start, _, _) in enumerate(tokens):
        cue = _MAKER_CUE.search(text[:start])
        if not cue:
            continue
        m = n
        # a first name may be a stopword: "with will ferrel"
        while (
            m < min(n + 3, len(tokens))
            and not taken[m]
            and (m == n or tokens[m][2] not in stopwords())
        ):
            if m > n and text[tokens[m - 1][1] : tokens[m][0]].strip():
                break  # "by king, or"
            m += 1
        shortest = n + 1 if cue.group(1).casefold() == "by" else n + 2
        spans += [(n, end) for end in range(m, shortest - 1, -1)]
        spans += [(m - 1, m)] if shortest == n + 1 and m - n > 1 else []  # "by jk |rowlings|"
    return spans
