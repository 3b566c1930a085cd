"""One conversational turn: understand -> candidates -> rank -> explain -> persist.

Each stage is a small typed step: :func:`~crossrec.agent.request.read_request` (message ->
:class:`Request`), :meth:`Recommender.candidates` (query -> :class:`CandidateSet`),
:func:`rank` (candidates -> picks), :class:`~crossrec.agent.explain.Explainer` (picks -> text
chunks and cards) and :func:`persist` (-> the saved :class:`Reply`). A request that needs no
ranking carries its answer through the same path, so a turn has one exit.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from crossrec.agent.dated import dated_first
from crossrec.agent.ranking import among_wishes
from crossrec.agent.reply import Recommendation, Reply
from crossrec.agent.request import Request, facts_text, read_request
from crossrec.agent.versions import versions_first, versions_said
from crossrec.retrieval import WEAK_RELATIONS, normalize_title

if TYPE_CHECKING:
    from crossrec.agent.ranking import Signals
    from crossrec.agent.recommender import CandidateSet, Recommender
    from crossrec.agent.wish import Wish
    from crossrec.retrieval import Catalog, KnowledgeGraph

__all__ = ["persist", "rank", "run_turn"]

_LINE = 2  # picks of one product line in a reply, where titles describe items
_MAKER = 2  # picks of one writer, director, actor or brand, unless what was named has it


def run_turn(
    rec: Recommender, message: str, session_id: str, domain: str | None
) -> Iterator[str | Reply]:
    """Text chunks of the reply as they are ready, then the complete, saved :class:`Reply`."""
    request = read_request(rec, message, session_id, domain)
    timings = {"link_s": time.perf_counter() - request.started}
    ranked, signals = [], {}
    if request.answer is None:
        start = time.perf_counter()
        candidates = rec.candidates(request.query, request.picks(rec.config.k), request.avoid)
        ranked, signals = rank(rec, request, candidates)
        timings["rank_s"] = time.perf_counter() - start
    parts, picks = [], []
    for event in rec.explainer.reply(request, ranked, signals):
        if isinstance(event, Recommendation):
            picks.append(event)
            continue
        timings.setdefault("first_chunk_s", time.perf_counter() - request.started)
        parts.append(event)
        yield event
    yield persist(rec, request, "".join(parts), picks, timings)


def rank(
    rec: Recommender, request: Request, candidates: CandidateSet
) -> tuple[list[tuple[str, float]], dict[str, Signals]]:
    """The top k picks (ranking stage, then the LLM), one per title, with their signals."""
    if not candidates.ids and candidates.avoided:  # every candidate had a disliked fact
        request.notices.append(
            f"Everything left has {facts_text(request.avoid)}, which you asked me to leave "
            "out; these are the closest."
        )
        candidates = candidates.avoided
    candidates = _without_genre_titles(rec, candidates, request.query.facts)
    query, parts = request.query, request.wish.parts if request.wish else ()
    # the whole order: each wish's best, and picks past a title's, line's or maker's share
    ranked = rec.order(query, candidates, len(candidates.ids), dialog=request.dialog)
    ranked = versions_first(rec, request, ranked)  # "any of those made into movies?"
    graph = rec.retrieval.graph
    # a person named alone; not a brand (its best-sold are one shelf's: Fiskars's trimmers)
    makers = any(f[0] not in rec.grouping for f in query.facts) and not graph.titles_describe
    if not (query.history or query.wish) and (makers or not (query.facts or query.text.strip())):
        ranked = _best_known(rec, query, ranked, candidates.signals)
    wished = [set(p.facts) for p in parts]
    fits = [{i for i, _ in ranked if facts & set(graph.facts_of(i))} for facts in wished]
    if fits:
        ranked = among_wishes(ranked, fits)
    elif request.domains:  # "books by Neil Gaiman and movies based on them": some of each,
        # among the picks near the top (no film far down the list beside Jane Austen's books)
        top = ranked[: 2 * request.picks(rec.config.k)]
        kinds = [{i for i, _ in top if rec.catalog[i].domain == d} for d in request.domains]
        ranked = among_wishes(ranked, kinds)
    by_line = graph.titles_describe
    # an item shown before is left out (unless asked again) under any row's title too
    shown = request.session.profile.recommended if request.session else []
    shown = [i for i in shown if i in query.exclude]
    said = tuple(i for i in (*query.history, *shown) if i not in request.stand_in)  # (the
    # films of a novel named)
    ranked = distinct_picks(rec.catalog, ranked, said, by_line, shown)
    ranked = varied(graph, ranked, [*query.history, *query.facts], query.wish)
    if by_line and not fits:  # "a planner for 2027": not the dated planners of 2015 first
        titles = {i: rec.catalog[i].title for i, _ in ranked}
        wish = request.wish.text if request.wish else ""
        k = request.picks(rec.config.k)
        ranked, dated = dated_first(titles, ranked, candidates.signals, wish, k)
        request.notices += dated
    if not fits:  # "I loved Titanic and The Notebook": some of each
        ranked = each_named(rec, request.named, ranked, request.picks(rec.config.k))
    ranked = ranked[: request.picks(rec.config.k)]
    if fits and (request.wish.together or _together(parts)):
        request.notices += _fit_all(parts, fits, [i for i, _ in ranked])
    request.notices += _made_and_wished(rec, request, [i for i, _ in ranked])
    request.notices += versions_said(rec, request)  # "is there a movie of it?"
    return ranked, {i: candidates.signals[i] for i, _ in ranked}


def _best_known(rec: Recommender, query, ranked: list, sig: dict[str, Signals]) -> list:
    """With nothing to go on, or a person named alone ("movies with Tom Cruise" began with
    Days of Thunder and Losin' It): the works holding most of those named first, each what
    people name most first, none sharing a person with what they disliked ("I hated
    Titanic": no Inception, with Leonardo DiCaprio, second)."""
    graph, named = rec.retrieval.graph, rec.retrieval.named
    theirs = {f for i in query.disliked for f in graph.facts_of(i) if f[0] not in rec.grouping}
    said = [tuple(f) for f in query.facts if f[0] not in rec.grouping]
    # each person's role most theirs ("Steven Spielberg films": directed, not Men in Black)
    most = {
        v: max((f for f in said if f[1] == v), key=lambda f: len(graph.items_with(f)))
        for _, v in said
    }

    def key(pick: tuple[str, float]) -> tuple:
        own = set(graph.facts_of(pick[0]))
        mains = len(own & set(most.values()))
        known = named.get(pick[0], 0) if sig[pick[0]].held or not said else 0  # else as ranked
        return -sig[pick[0]].held, -mains, bool(theirs & own), -known

    return sorted(ranked, key=key)


def each_named(rec: Recommender, named: Sequence[str], ranked: list, k: int) -> list:
    """``ranked`` with one pick of each item the message named among the first ``k``, where
    none of them follows it (shares a writer, director, actor or brand with it): the first
    stays, each named item's best that none before follows comes next ("I loved Titanic and
    The Notebook" gave five of Cameron's films and cast). Named items that share such a fact
    count as one (a series). Scores keep their picks: those put first may score lower."""
    graph = rec.retrieval.graph

    def follows(item: str, other: str) -> bool:
        return any(f[0] not in rec.grouping for f in graph.shared(item, other))

    groups: list[list[str]] = []
    for x in named:
        group = next((g for g in groups if any(follows(x, y) for y in g)), None)
        group.append(x) if group is not None else groups.append([x])
    if len(groups) < 2:
        return ranked
    lead = ranked[:1]
    for group in groups:  # the first pick, then each group's best none of those follows
        if len(lead) < k and not any(follows(i, x) for i, _ in lead for x in group):
            best = next((p for p in ranked if any(follows(p[0], x) for x in group)), None)
            lead += [best] if best else []
    return [*lead, *(p for p in ranked if p not in lead)]


def _made_and_wished(rec: Recommender, request: Request, picks: list[str]) -> list[str]:
    """A notice where a wish narrows the works of a person named ("movies starring Meryl
    Streep", then "just the comedies") and only some picks are theirs: "Only 2 of these have
    Meryl Streep; the others fit 'comedies'.", with those of theirs that fit shown before."""
    query, graph = request.query, rec.retrieval.graph
    makers = {tuple(f) for f in query.facts if f[0] not in rec.grouping}
    if not (makers and request.wish and picks) or query.history or graph.titles_describe:
        return []
    theirs = sum(1 for i in picks if makers & set(graph.facts_of(i)))
    if theirs == len(picks):
        return []
    said, wish = facts_text(sorted(makers)), set(request.wish.facts)
    shown = [  # theirs that fit, shown before: "comedies" after Jim Carrey's four comedies
        i
        for i in (request.session.profile.recommended if request.session else ())
        if makers & set(graph.facts_of(i)) and wish & set(graph.facts_of(i)) and i not in picks
    ]
    more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""  # "5 shown before" named 3
    before = f" (shown before: {', '.join(map(rec.catalog.spoken, shown[:3]))}{more})"
    before = before if shown else ""
    if not theirs:
        return [f"No other pick has {said} and fits {request.wish.text!r}{before}; these fit it."]
    have = "has" if theirs == 1 else "have"
    return [f"Only {theirs} of these {have} {said}{before}; the others fit {request.wish.text!r}."]


def _together(parts: tuple[Wish, ...]) -> bool:
    """Whether a message's wishes are meant of one pick ("funny, from the 90s": a genre and an
    era) rather than of one pick each ("washi tape and my planner": two categories)."""
    relations = [{relation for relation, _ in part.facts} for part in parts]
    return all(not a & b for n, a in enumerate(relations) for b in relations[n + 1 :])


def _fit_all(parts: tuple[Wish, ...], fits: list[set[str]], picks: list[str]) -> list[str]:
    """A notice where some picks fit only some of the wishes meant together."""
    both = sum(all(i in fit for fit in fits) for i in picks)
    if both == len(picks):
        return []
    said = " and ".join(repr(part.text) for part in parts)
    some = all(any(i in fit for fit in fits) for i in picks)  # every pick fits one of them
    if both == 0:
        rest = "; each pick fits one of them" if some else ""
        return [f"Nothing I found fits {said} at once{rest}."]
    rest = "; the others fit one of them" if some else ""
    return [f"{both} of these fit {said} at once{rest}."]


@lru_cache(maxsize=4)
def _genre_names(graph: KnowledgeGraph, min_items: int = 20) -> frozenset[str]:
    """The values of grouping relations (not years or languages) that 20 or more items hold:
    the words a dialog says as a genre ("drama"), not every fact that looks like a title."""
    grouping = graph.grouping_relations() - WEAK_RELATIONS
    return frozenset(
        normalize_title(value)
        for (relation, value), df in zip(graph.facts, graph.df, strict=True)
        if relation in grouping and df >= min_items
    )


def _without_genre_titles(
    rec: Recommender, candidates: CandidateSet, named_facts: tuple = ()
) -> CandidateSet:
    """An item titled like a genre ("Drama", "Mystery", "Young Adult": a book, a film and
    genres) is left out unless it shares a name (a writer, director, actor or brand) with
    what the person named: in the dialogs the popularity and co-occurrence counts come from,
    those mentions are mostly the genre. On OpenDialKG they were a new user's first three
    picks, and the book "Mystery" followed "I liked Dracula" as often chosen with it. A named
    genre ("more mystery") is no such name."""
    graph, sig = rec.retrieval.graph, candidates.signals
    names, grouping = _genre_names(graph), graph.grouping_relations()
    said = {f for f in named_facts if f[0] not in grouping}

    def keep_item(i: str) -> bool:
        if normalize_title(rec.catalog[i].title) not in names:
            return True
        return sig[i].specific_items > 0 or sig[i].named or bool(said & set(graph.facts_of(i)))

    keep = [n for n, i in enumerate(candidates.ids) if keep_item(i)]
    if not keep:
        return candidates
    ids = [candidates.ids[n] for n in keep]
    return replace(
        candidates,
        ids=ids,
        features=candidates.features[keep],
        signals={i: candidates.signals[i] for i in ids},
    )


_SHORT = {"vol": "volume", "pt": "part", "ep": "episode"}  # words titles shorten


def distinct_picks(
    catalog: Catalog,
    ranked: list,
    liked: tuple[str, ...] = (),
    by_line: bool = False,
    shown: Sequence[str] = (),
) -> list:
    """Drop a pick whose domain and title (ignoring case and accents) an earlier pick has:
    "From Dusk till Dawn" and "From Dusk Till Dawn" are two catalog rows, one film to a person.
    Where titles are names, the name said (:meth:`Catalog.spoken`) counts: a reply would say
    "The Great Gatsby" twice. Product descriptions keep their whole title. A pick a reply would
    call by the name of a ``liked`` item ("Platoon" for a liked "Platoon") or of one shown before
    is that item again.
    ``by_line`` (where titles describe items): a product line's picks after the first
    :data:`_LINE` wait behind the others; five pack sizes of one pen are one pick to a person.
    Those ``shown`` before count in it ("gel pens", then "something else" gave the two Pilot
    FriXion and two Pentel EnerGel pens shown, in other colours); a liked item's line does not
    (more of the pen liked may be asked). ``ranked``: (id, score) pairs, best first."""

    def said(item_id: str) -> tuple[str, str]:  # "Kill Bill: Vol. 1" is Kill Bill Volume 1
        words = normalize_title(catalog.listed(item_id)).split()
        return catalog[item_id].domain, " ".join(_SHORT.get(w, w) for w in words)

    seen, out, later = {said(i) for i in liked if i in catalog}, [], []
    held = Counter(product_line(catalog[i].title) for i in shown if by_line and i in catalog)
    for item_id, score in ranked:
        key = said(item_id)
        if key in seen:
            continue
        seen.add(key)
        line = product_line(catalog[item_id].title) if by_line else ""
        held[line] = held.get(line, 0) + 1
        (later if by_line and held[line] > _LINE else out).append((item_id, score))
    return out + later


def varied(graph: KnowledgeGraph, ranked: list, named: Sequence, wish: Sequence = ()) -> list:
    """Picks past the :data:`_MAKER`-th of one maker (a fact of a relation that does not group
    the catalog: writer, director, actor, brand) wait behind the others that fit the ``wish``
    (its facts) as well, unless what was named has that maker:
    "more like The Hunger Games" may be five of Suzanne Collins's books, "any dark fantasy
    books?" is not five of Richelle Mead's. A pick sharing a maker with what was named never
    waits: after Inception, The Prestige and Memento (Christopher Nolan's) are not held back as
    Christian Bale's or Jonathan Nolan's third. ``named``: item ids and facts."""
    grouping, wish = graph.grouping_relations(), set(wish)
    asked = {f for n in named for f in ([n] if isinstance(n, tuple) else graph.facts_of(n))}
    held: dict[tuple[str, str], int] = {}
    keys = []
    for item_id, _ in ranked:
        own = set(graph.facts_of(item_id))
        makers = [f for f in own if f[0] not in grouping and f not in asked]
        # one that shares a maker with what was named never waits for another maker's share
        shares = any(f in asked for f in own if f[0] not in grouping)
        waits = not shares and any(held.get(f, 0) >= _MAKER for f in makers)
        for fact in [] if waits else makers:
            held[fact] = held.get(fact, 0) + 1
        keys.append((bool(wish) and not wish & own, waits))
    order = sorted(range(len(ranked)), key=keys.__getitem__)  # stable: each keeps its place
    return [ranked[n] for n in order]


def product_line(title: str, words: int = 5) -> str:
    """The first ``words`` words of a product title, model numbers and sizes aside: "pilot g2
    retractable premium gel" for every pack of G2 pens, not for G2 metallics."""
    kept = [w for w in normalize_title(title).split() if not any(c.isdigit() for c in w)]
    return " ".join(kept[:words])


def persist(
    rec: Recommender, request: Request, text: str, picks: list[Recommendation], timings: dict
) -> Reply:
    """Record the reply in the session and save it (unless nothing of the turn is kept)."""
    if request.keep:
        profile = request.session.profile
        profile.recommended += [p.item_id for p in picks if p.item_id not in profile.recommended]
        rec.record_turn(request.session, "assistant", text, [p.item_id for p in picks])
        rec.sessions.save(request.session)
    timings["total_s"] = time.perf_counter() - request.started
    return Reply(
        text,
        picks,
        request.session_id,
        request.domain,
        request.notices,
        request.question,
        timings,
    )
