"""What a message leaves out: the facts its negative wishes and dislikes name (kept as
disliked facts, said in the reply), the kinds of item it says the user has, and the wishes
those take facts from ("something scary but not horror": thrillers)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from crossrec.agent.asides import NO_PRICES
from crossrec.agent.kinds import in_domains
from crossrec.agent.nlu import Understanding
from crossrec.agent.owned import kind_facts, shelves
from crossrec.agent.state import Profile
from crossrec.agent.wish import Wish, facts_text, named_exactly
from crossrec.agent.wish_titles import in_a_row, says_in_a_row
from crossrec.retrieval import Fact, person_key

if TYPE_CHECKING:
    from crossrec.agent.recommender import Recommender

_WORD = re.compile(r"\w+")

__all__ = [
    "also_named",
    "leave_out",
    "leave_out_owned",
    "leave_out_said",
    "leave_out_titled",
    "said_left_out",
    "titled_only",
]


def leave_out(
    rec: Recommender,
    und: Understanding,
    wishes: list[Wish],
    left_out: list[Wish],
    profile: Profile,
    notices: list[str],
) -> list[Wish]:
    """Leave out what a message's negative wishes name, said in ``notices``; its wishes are
    returned without it. What a wish holds alone stays ("a horror movie that isn't too scary":
    horror is all they asked) unless its mood means more ("scary but not horror": thrillers);
    what it holds among others leaves it ("kids movies but not animated": no animation); said
    by degree of a kept wish, it leaves out none of the kept wish ("war movies", then "not too
    violent"), unless it is the kept wish, said again or all its facts ("scary movies", then
    "too scary": what scary means without horror, thrillers; "violent movies", then "too
    violent")."""
    untold: set[str] = set()
    if not wishes and profile.wish:  # "war movies", then "not too violent": less so, still war
        left_out, untold = _of_kept(Wish.from_dict(profile.wish), left_out, und)
    excluded = {f for wish in left_out for f in wish.facts} | set(map(tuple, und.disliked_facts))
    domain = und.domain_beside_wishes
    if not wishes and profile.wish and excluded:  # "something scary", then "no horror"
        wishes = _kept_without(rec, Wish.from_dict(profile.wish), excluded, domain, profile)
    kept = [_without(w, excluded) for w in wishes]
    wishes = [
        w if w.facts else rec.wishes.instead(old, excluded, domain) or old
        for w, old in zip(kept, wishes, strict=True)
    ]
    asked_for = {f for wish in wishes for f in wish.facts}
    among = asked_for or set(Wish.from_dict(profile.wish).facts if profile.wish else ())
    among = among or set(map(tuple, profile.liked_facts))  # "johnny depp movies", "no pirates"
    for wish in left_out:
        wish = named_exactly(rec.retrieval.graph, wish)
        # "glitter glue", then "no glitter"; where titles name items, not of a kept wish that
        # it would leave out whole ("horror", then "nothing scary": Scary Movie alone), nor a
        # word naming a value ("science fiction", then "no war": War, not Star Wars)
        told = rec.retrieval.graph.titles_describe or not (
            wish.text in untold or _a_value(rec, wish.text)
        )
        titled = _titled_among(rec, wish.text, among, profile) if told else 0
        wish = _without(wish, asked_for)
        for fact in wish.facts:
            profile.dislike_fact(fact)
        said = "" if wish.text.casefold() in wish.summary.casefold() else f" ({wish.text})"
        notices.extend([f"Leaving out {wish.summary}{said}."] if wish.facts else [])
        notices.extend(
            [f"Leaving out the {titled} whose titles say {wish.text!r}."] if titled else []
        )
        if wish.text in untold and not (wish.facts or titled):
            notices.append(f"I can't tell which of these are {wish.text!r} here; none is left out.")
        if titled and not asked_for and profile.wish:  # the kept wish no longer says it
            _unsaid(profile, wish.text)
    return wishes


def _of_kept(was: Wish, left_out: list[Wish], und: Understanding) -> tuple[list, set[str]]:
    """``left_out`` less the kept wish's facts where said by degree of it, or where one holds
    all of them and more, said otherwise: then the catalog cannot tell which of the kept wish's
    picks it means (the texts returned): "superhero movies", then "not marvel" left out every
    superhero film."""
    kept, again = set(was.facts), {w.text for w in left_out} & {was.text}
    graded = [
        set(w.text.split()) & set(und.graded) and set(w.facts) - kept and w.text not in again
        for w in left_out
    ]
    whole = [
        bool(kept) and kept <= set(w.facts) and w.text not in again and not g
        for w, g in zip(left_out, graded, strict=True)
    ]
    untold = {w.text for w, a in zip(left_out, whole, strict=True) if a}
    return [  # all of it said otherwise: none of its facts ("comedy", then "no funny ones")
        replace(w, facts=()) if a else _without(w, kept) if g else w
        for w, g, a in zip(left_out, graded, whole, strict=True)
    ], untold


def _without(wish: Wish, facts: set[Fact]) -> Wish:
    """``wish`` less ``facts``: a wish said by degree ("not too violent") less the kept wish's
    (it asks for less of it, not for none of what was asked: it left out War after "war
    movies"); a wish less what is left out."""
    return replace(wish, facts=tuple(f for f in wish.facts if f not in facts))


def _unsaid(profile: Profile, text: str) -> None:
    """The kept wish without the words of ``text``, where it has others."""
    kept, words = Wish.from_dict(profile.wish), set(text.casefold().split())
    rest = [w for w in kept.text.split() if w.casefold() not in words]
    if rest and not kept.parts:
        said = tuple(w for w in kept.said if w not in words)
        profile.wish = replace(kept, text=" ".join(rest), said=said).to_dict()


def _a_value(rec: Recommender, text: str) -> bool:
    """Whether ``text`` (or its singular or plural) names a grouping value ("war": War)."""
    return bool(named_exactly(rec.retrieval.graph, Wish(text, True)).facts)


def _titled_among(rec: Recommender, text: str, facts: set, profile: Profile) -> int:
    """Leave out the items of the wished-for ``facts`` whose titles say ``text`` (its words in
    a row, singular or plural): "glitter glue", then "no glitter", said it left out the
    category glitter and kept the glitter glues; "pastels, not oil pastels" kept the oil
    pastels (filed under pastels); "johnny depp movies from the 2000s", then "not pirates",
    left out Piracy and kept the three Pirates of the Caribbean films, filed under none. How
    many were left out."""
    graph = rec.retrieval.graph
    words = _WORD.findall(text.casefold())
    if not words or not facts:
        return 0
    items = {i for fact in facts for i in graph.items_with(fact)} - set(profile.liked)
    found = [i for i in sorted(items) if says_in_a_row(rec.catalog[i].title, words)]
    for item_id in found:
        profile.dislike(item_id)
    return len(found)


def _kept_without(
    rec: Recommender, kept: Wish, excluded: set, domain: str | None, profile: Profile
) -> list[Wish]:
    """The kept wish once a follow-up leaves out some of its facts: without them, else what
    its mood means without them ("something scary", then "no horror": thrillers), else none
    (a horror wish, then "no horror", is dropped)."""
    if kept.parts or not set(kept.facts) & excluded:
        return []
    rest = tuple(f for f in kept.facts if f not in excluded)
    instead = replace(kept, facts=rest) if rest else rec.wishes.instead(kept, excluded, domain)
    if instead is None:
        profile.wish = None
    return [instead] if instead else []


def leave_out_owned(
    rec: Recommender, und: Understanding, profile: Profile, notices: list[str]
) -> dict[str, set[Fact]]:
    """Leave out the kinds of item the user says they have, where titles describe things
    (:mod:`crossrec.agent.owned`). The words that said each, with its facts, are returned:
    they say what the user has, not a wish ("I bought a label maker, what else do I need?")."""
    if not rec.wishes.graph.titles_describe:
        return {}
    said, graph = {}, rec.wishes.graph
    for text in und.owned:
        kind, facts = kind_facts(text, rec.wishes.facts, graph)
        if facts:  # and its sellers' shelves: "... computer desks techni mobili" is desks too
            for fact in dict.fromkeys([*facts, *shelves(graph, facts)]):
                profile.dislike_fact(fact)
            notices.append(f"Leaving out {kind}, since you have one.")
            said[text] = set(facts)
    return said


def leave_out_titled(rec: Recommender, text: str, profile: Profile, notices: list[str]) -> bool:
    """Leave out the items whose titles say every word of a negative wish that maps onto no
    fact ("Disney movies", then "not a princess one": no Princess and the Frog, no Princess
    Diaries), said in ``notices``; False where no title says them."""
    words = {w.removesuffix("s") for w in _WORD.findall(text.casefold())}
    found = [
        item.id
        for item in rec.catalog
        if words <= {w.removesuffix("s") for w in _WORD.findall(item.title.casefold())}
        and item.id not in profile.liked
    ]
    for item_id in found:
        profile.dislike(item_id)
    notices.extend([f"Leaving out everything titled {text!r}."] if found else [])
    return bool(found)


def leave_out_said(rec: Recommender, facts: list, profile: Profile) -> None:
    """Where titles describe items, also leave out those whose titles say a disliked maker's
    name, where at least half of that maker's own titles say it: "not Sharpie" left in
    "sharpie fine point permanent markers", filed under another brand."""
    if not rec.retrieval.graph.titles_describe:
        return
    graph, liked = rec.retrieval.graph, set(profile.liked)
    for fact in map(tuple, facts):
        words = _WORD.findall(fact[1].casefold())
        theirs = graph.items_with(fact)
        said = sum(in_a_row(rec.catalog[i].title, words) for i in theirs)
        if not words or 2 * said < len(theirs):
            continue
        for item in rec.catalog:
            if item.id not in liked and in_a_row(item.title, words):
                profile.dislike(item.id)


def titled_only(rec: Recommender, text: str, least: int = 3) -> bool:
    """Whether the words of ``text`` are said by titles (``least`` or more) and by no value of
    the catalog's facts, where titles describe items: "sticky notes but not yellow" left out
    what mapped onto 'color/colored/red', and kept the canary yellow notes; such a word is
    left out as titled."""
    if not rec.retrieval.graph.titles_describe:
        return False
    words = _WORD.findall(text.casefold())
    known = set(rec.wishes.vocabulary()[0])
    forms = {f for w in words for f in (w, w + "s", w + "es", w.removesuffix("s"))}
    if not words or forms & known:  # a word of a value, in the singular or plural
        return False
    said = (i for i in rec.catalog if set(words) <= set(_WORD.findall(i.title.casefold())))
    return sum(1 for _ in itertools.islice(said, least)) >= least


def said_left_out(und: Understanding, grouping: Collection[str] = ()) -> list[str]:
    """What the reply says a message leaves out, or that the catalog lacks: a person in the
    role left out ("Leaving out the director Christopher Nolan", whose films he only wrote
    stay), a ``grouping`` value as it is ("Leaving out Horror")."""
    notices = [f"Leaving out everything titled {name!r}." for name in und.left_out]
    notices += [f"Leaving out {title}." for title in und.disliked_titles]
    notices += [f"I don't know {name!r}: it is not in this catalog." for name in und.unknown]
    roles = {r for r, _ in und.disliked_facts}
    if len(roles) == 1 and not roles & set(grouping):  # "the actors Nicky Katt, ..."
        people = {person_key(f[1]): f for f in und.disliked_facts}  # "J. K.", "J.K. Rowling"
        many = "s" if len(people) > 1 else ""
        notices.append(f"Leaving out the {roles.pop()}{many} {facts_text(people.values())}.")
    elif und.disliked_facts:
        notices.append(f"Leaving out {facts_text(und.disliked_facts)}.")
    return notices + ([NO_PRICES] if und.priced else [])


_SAYS = 0.95  # a value this near the one named is another name of it ("Science Fiction")


def also_named(rec: Recommender, fact: Fact) -> list[Fact]:
    """``fact`` and the other values that name it, where it groups items: its other names
    ("Sci-Fi": Science Fiction) and its kinds in a domain ("Romance": Romance novel, Romance
    Film). "movies with will smith but not sci-fi" said it left out Sci-Fi and showed
    Independence Day, filed under Science Fiction."""
    mapper = rec.wishes
    if fact[0] not in {f[0] for f in mapper.facts}:
        return [fact]
    wish = mapper.map(fact[1].casefold(), negative=True)
    same = wish.facts if wish.similarity >= _SAYS else ()
    return list(dict.fromkeys([fact, *same, *in_domains([fact[1]], mapper.facts)]))
