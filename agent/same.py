""" "The same writer", "not by the same director": a relation of what the person liked.

After "I loved Fight Club", "not by the same writer" was read as a wish for books ("writer" is a
cue of the book domain) and gave four of Chuck Palahniuk's novels, the opposite of the request.
Said so, a writer, director, actor or brand is the liked items' own values of that relation:
liked ("more by the same director") or left out ("not by the same writer", "a different
author"), and its words are no wish and name no domain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crossrec.agent.wish import facts_text
from crossrec.retrieval import person_key

if TYPE_CHECKING:
    from crossrec.agent.nlu import Understanding
    from crossrec.agent.recommender import Recommender
    from crossrec.agent.state import Profile
    from crossrec.retrieval import Fact, KnowledgeGraph

__all__ = [
    "SOMEONE_WHO",
    "as_said",
    "few_left",
    "first_names",
    "said_same",
    "same_facts",
    "same_relations",
]

_RELATIONS = {
    **dict.fromkeys(("writer", "writers", "author", "authors"), "writer"),
    **dict.fromkeys(("director", "directors"), "director"),
    **dict.fromkeys(("actor", "actors", "actress", "actresses", "cast"), "actor"),  # no "star":
    # "any other Star Wars movies?"
    **dict.fromkeys(("brand", "brands", "maker", "makers"), "brand"),
}
_WORDS = "|".join(sorted(_RELATIONS, key=len, reverse=True))
# "the same writer", "same director" (typed without "the"), "by that director", "a different
# author"
_SAME = re.compile(
    rf"\b(?:(?:the\s+)?same|(?<=by )(?:that|this)|(?P<other>(?:a\s+)?(?:different|another|other)))"
    rf"\s+(?P<rel>{_WORDS})\b",
    re.IGNORECASE,
)
# "books by the guy who wrote jaws", "movies by the director of jaws": that title's writer
SOMEONE_WHO = r"(?:guy|person|woman|man|lady|one|people)\s+who"
_WHO = re.compile(
    r"\bthe\s+(?:" + SOMEONE_WHO + r"\s+(?P<verb>wrote|directed)"
    r"|(?P<rel>author|writer|director)\s+of)\b",
    re.IGNORECASE,
)
_VERBS = {"wrote": "writer", "directed": "director"}
# "not by him", "more with her": the person named last; not "with her mom", "by his books"
_PERSON = "person"
_PRONOUN = re.compile(
    r"(?<!watch )(?<!read )(?<!see )(?<!share )(?<!enjoy )"  # "to watch with her": company
    r"\b(?:by|with|starring|featuring|"
    r"(?P<no>without|(?<!why )not|no more of|other than|anyone but))"  # "why not her?" asks
    r"\s+(?:him|her)\b"
    r"(?!\s+(?!(?:and|or|but|please|though|either|anymore|too|again|in|this|at)\b)[a-z])",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|no|nothing|without|except|avoid)\b[^.,;!?]{0,30}$", re.I)


def same_relations(message: str) -> list[tuple[int, int, str, bool]]:
    """``(start, end, relation, negative)`` for each "the same writer" / "a different
    director" of ``message``; negative where a negation comes before it in its clause or it
    says another one."""
    out = []
    for m in _SAME.finditer(message):
        negative = bool(m.group("other")) or bool(_NEGATED.search(message[: m.start()]))
        out.append((m.start(), m.end(), _RELATIONS[m.group("rel").casefold()], negative))
    for m in _WHO.finditer(message):
        relation = _VERBS[m["verb"].casefold()] if m["verb"] else _RELATIONS[m["rel"].casefold()]
        out.append((m.start(), m.end(), relation, bool(_NEGATED.search(message[: m.start()]))))
    for m in _PRONOUN.finditer(message):  # "anything similar but not by him"
        negative = bool(m["no"])  # "not her, but similar": Julia Roberts left out
        negative = negative or bool(_NEGATED.search(message[: m.start()]))
        out.append((m.start(), m.end(), _PERSON, negative))
    return out


def same_facts(
    relation: str, items: Sequence[str], facts: Sequence[Fact], graph: KnowledgeGraph
) -> list[Fact]:
    """The values of ``relation`` the ``items`` hold and the liked ``facts`` are ("I love
    Crayola", then "a different brand"), once each, in order."""
    held = [f for i in items for f in graph.facts_of(i)] + [tuple(f) for f in facts]
    return list(dict.fromkeys(f for f in held if f[0] == relation))


def said_same(rec: Recommender, und: Understanding, profile: Profile) -> list[Fact]:
    """The liked items' values (the message's, else the session's: after "I loved Titanic",
    "movies by the director of jaws" is Spielberg alone) of each relation said "the same"
    (``und.same``), added to the message's liked or disliked facts ("not by the same writer":
    the writers left out), and the person named last where a message says "him" or "her" ("not
    by him"); the liked ones are returned."""
    wanted, liked = [], list(und.liked) or list(profile.liked)  # "the director of |jaws|": his
    for relation, negative in und.same:
        if relation == _PERSON:  # "him": the person named last, in each relation of theirs
            said = [*profile.liked_facts, *und.liked_facts]
            people = [tuple(f) for f in said if f[0] not in rec.grouping]
            last = person_key(people[-1][1]) if people else ""  # however spelt
            facts = [f for f in people if person_key(f[1]) == last]
        else:
            facts = same_facts(relation, liked, profile.liked_facts, rec.retrieval.graph)
        (und.disliked_facts if negative else und.liked_facts).extend(facts)
        wanted += [] if negative else facts
    return wanted


_ALONE = r"(?!\s+(?!(?:please|but|too|again|in|movies?|films?|books?)\b)\w)"


def first_names(message: str, people: Sequence[Fact]) -> str:
    """``message`` with a person named before said again by first name alone made whole:
    "80s movies with arnold schwarzenegger", then "with arnold" ("I couldn't match 'arnold'").
    ``people``: the liked facts of people (writer, director, actor, brand), in order."""
    for _, name in reversed(people):
        first = name.split()[0]
        if len(name.split()) < 2 or len(first) < 3 or name.casefold() in message.casefold():
            continue
        found = re.search(
            rf"\b(?:with|by|from|and|more)\s+({re.escape(first)})\b{_ALONE}", message, re.I
        )
        if found:  # alone: "with arnold", "with arnold please"; not "with arnold palmer"
            message = message[: found.start(1)] + name + message[found.end(1) :]
    return message


_SAID_AS = {"writer": "by", "director": "directed by", "actor": "with", "brand": "by"}


def few_left(rec: Recommender, facts: Sequence[Fact], profile: Profile, k: int) -> list[str]:
    """What a reply says where fewer than its ``k`` picks of the items holding ``facts`` (the
    liked items' writer, "more by the same author") are left to show in the domain asked
    for: "the notebook", then "something else by the same author", gave five other romance
    novels as though they were Nicholas Sparks's, every one of his having been shown."""
    if not facts:
        return []
    graph, catalog = rec.retrieval.graph, rec.catalog
    seen = {*profile.liked, *profile.recommended, *profile.disliked}
    left = {
        i
        for f in facts
        for i in graph.items_with(tuple(f))
        if i not in seen and profile.domain in (None, catalog[i].domain)
    }
    said = f"{_SAID_AS.get(facts[0][0], 'of')} {facts_text(facts)}"
    held = {
        i
        for f in facts
        for i in graph.items_with(tuple(f))
        if profile.domain in (None, catalog[i].domain)
    }
    if not left and not held & set(profile.recommended):  # none shown: none else in the domain
        kind = f"{profile.domain}s" if profile.domain else "items"
        other = " other" if held else ""  # the liked one is theirs: "no other books by ..."
        return [f"There are no{other} {kind} {said} here; these share other things with it."]
    if not left:
        return [f"I have shown everything {said} here; these share other things with it."]
    if len(left) < k:
        return [f"The last {len(left)} {said} here come first."]
    return []


# the relation said right before a name: "directed by |Steven Spielberg", "written and
# directed by", "starring", "the author"; "by" and "with" say none ("something by Tarantino")
_SAID_BEFORE = (
    (re.compile(r"\bdirected\s+by\s+$|\bdirect(?:ed|or)\b[^.,;!?]{0,20}$", re.I), "director"),
    (
        re.compile(
            r"\bwritten\s+by\s+$|\b(?:writ(?:ten|er)|author|novelist)\b[^.,;!?]{0,20}$", re.I
        ),
        "writer",
    ),
    (re.compile(r"\b(?:starring|featuring|actor|actress)\s+(?:the\s+)?$", re.I), "actor"),
    # "adaptations of Stephen King books": what he wrote, not Creepshow, which he is in
    (re.compile(r"\badapt(?:ed|ations?)\b[^.,;!?]{0,20}$", re.I), "writer"),
)
_SAID_AFTER = re.compile(  # "Stephen King adaptations", "Jane Austen's novels adapted"
    r"^(?:['’]s)?\s+(?:(?:books?|novels?|stories|works?)\s+)?(?:adaptations?|adapted)\b", re.I
)


def as_said(before: str, facts: Sequence[Fact], after: str = "") -> list[Fact]:
    """The ``facts`` a name stands for, of the relations said right ``before`` it (or an
    adaptation said right ``after`` it) where any is ("Movies directed by Steven Spielberg" is
    no film he acted in), else all of them."""
    said = {relation for pattern, relation in _SAID_BEFORE if pattern.search(before)}
    said |= {"writer"} if _SAID_AFTER.match(after) else set()
    return [f for f in facts if f[0] in said] or list(facts)
