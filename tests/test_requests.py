"""Requests as people type them: named items vs wishes, wish constraints, the ranking stage."""

from __future__ import annotations

import re

import pytest
from crossrec.agent.ranking import FusedOrder, Signals, TieredRanking, signals
from crossrec.agent.wishes import WishMapper, split_wishes
from crossrec.evaluation.requests import (
    WISHES,
    build_requests,
    dialog_requests,
    markdown_table,
    run_requests,
)

DOMAINS = ("book", "movie")


def test_split_wishes_keeps_only_the_wish():
    message = "I loved the movie Fight Club. Any books I'd like?"
    start = message.index("Fight Club")
    assert split_wishes(message, [(start, start + len("Fight Club"))], DOMAINS) == []
    assert split_wishes("Something funnier, please", [], DOMAINS) == [("funnier", False)]
    assert split_wishes("I want something my kids can watch", [], DOMAINS) == [("kids", False)]
    assert split_wishes("nothing too scary", [], DOMAINS) == [("scary", True)]
    # a wish next to a named item keeps the item's words out of it
    message = "like Toy Story but darker"
    start = message.index("Toy Story")
    assert split_wishes(message, [(start, start + 9)], DOMAINS) == [("darker", False)]


@pytest.fixture(scope="module")
def mapper(odkg_retrieval, embedder):
    return WishMapper(odkg_retrieval.graph, embedder)


def test_wishes_map_onto_the_catalogs_own_genres(mapper):
    funnier = mapper.map("funnier")
    assert ("genre", "Comedy") in funnier.facts and funnier.understood
    assert ("genre", "Family") in mapper.map("kids").facts
    assert mapper.map("scary", negative=True).facts[0] == ("genre", "Horror")
    # only grouping relations are candidates: no actor or writer is ever a wish
    assert {f[0] for f in mapper.facts} <= {"genre", "year", "language"}
    # words that mean nothing here are not forced onto a genre
    assert not mapper.map("quelque chose").understood


def test_older_and_newer_are_years_around_the_history(mapper, odkg):
    toy_story = odkg.catalog.by_title("Toy Story")[0]
    year = int(dict(odkg.catalog[toy_story].attributes)["year"][0])
    older = mapper.map("older", history=[toy_story]).facts
    assert older and all(int(v) < year for _, v in older)
    newer = mapper.map("newer", history=[toy_story]).facts
    assert newer and all(int(v) > year for _, v in newer)


def test_a_year_or_a_decade_is_the_catalogs_year_facts(mapper):
    assert split_wishes("Any films from 1975?", [], ("movie", "book")) == [("1975", False)]
    assert mapper.map("1975").facts == (("year", "1975"),)
    decade = {int(v) for _, v in mapper.map("1980s").facts}
    assert decade and decade <= set(range(1980, 1990))
    assert not mapper.map("1802").understood  # no item of that year: said, not pretended


def test_title_echo_and_specific_links(odkg_retrieval, odkg):
    graph, catalog = odkg_retrieval.graph, odkg.catalog
    grouping = graph.grouping_relations()
    assert "genre" in grouping and "writer" not in grouping and "actor" not in grouping
    (mansfield,) = [i for i in catalog.by_title("Mansfield Park") if catalog[i].domain == "book"]
    wicker = next(i for i in catalog.by_title("Wicker Park"))
    echo = signals(wicker, [mansfield], (), (), graph, grouping, odkg_retrieval.cooccurrence)
    assert echo.echo and echo.specific == 0
    austen = next(
        i
        for i in catalog.by_title("Pride & Prejudice")
        if ("writer", "Jane Austen") in graph.facts_of(i)
    )
    same_writer = signals(austen, [mansfield], (), (), graph, grouping, None)
    assert same_writer.specific > 0 and not same_writer.echo


def test_tiered_ranking_orders_by_wish_then_specific_then_echo():
    import numpy as np
    from crossrec.retrieval.features import FEATURES

    ids = ["echo", "genre_only", "writer", "fits"]
    sig = [Signals(echo=True), Signals(), Signals(specific=5.0), Signals(fits_wish=True)]
    features = np.zeros((len(ids), len(FEATURES)), np.float32)
    tiers = TieredRanking()
    assert tiers.order(ids, features, sig, wish=False) == ["writer", "genre_only", "fits", "echo"]
    assert tiers.order(ids, features, sig, wish=True)[0] == "fits"
    assert FusedOrder().order(ids, features, sig, wish=True) == ids
    by_id = dict(zip(ids, sig, strict=True))
    assert tiers.after_llm(ids, by_id, wish=True) == ["fits", "writer", "genre_only", "echo"]


def test_specific_first_keeps_the_learned_order_inside_each_tier():
    import numpy as np
    from crossrec.agent.ranking import SpecificFirstRanking
    from crossrec.finetune.ltr import load_ranker
    from crossrec.retrieval.features import FEATURES

    booster = load_ranker("opendialkg")  # the shipped LightGBM ranker
    rng = np.random.default_rng(0)
    features = rng.normal(size=(40, len(FEATURES))).astype(np.float32)
    ids = [f"i{n}" for n in range(40)]
    sig = [Signals(specific=float(n % 3 == 0), echo=n % 7 == 0) for n in range(40)]
    by_id = dict(zip(ids, sig, strict=True))
    learned = dict(zip(ids, booster.predict(features), strict=True))
    order = SpecificFirstRanking(booster).order(ids, features, sig, wish=False)
    tiers = [(by_id[i].echo, by_id[i].specific <= 0) for i in order]
    assert tiers == sorted(tiers)  # echoes last, a specific fact first among the rest
    for tier in set(tiers):
        inside = [learned[i] for i, t in zip(order, tiers, strict=True) if t == tier]
        assert inside == sorted(inside, reverse=True)  # the learned order inside each tier
    llm_order = list(reversed(ids))
    after = SpecificFirstRanking(booster).after_llm(llm_order, by_id, wish=False)
    specific_first = [i for i in llm_order if not by_id[i].echo and by_id[i].specific > 0]
    assert after[: len(specific_first)] == specific_first  # the LLM's order kept inside a tier


def test_fight_club_books_share_the_writer(tiny_agent):
    reply = tiny_agent.chat("I loved the movie Fight Club. Any books I'd like?", session_id="fc")
    writers = [
        dict(tiny_agent.catalog[r.item_id].attributes).get("writer", ()) for r in reply.items
    ]
    assert all("Chuck Palahniuk" in w for w in writers), [r.title for r in reply.items]


def test_a_wish_is_followed_kept_and_said(tiny_agent):
    tiny_agent.chat("I loved the movie Lara Croft: Tomb Raider", session_id="kids")
    reply = tiny_agent.chat("I want something my kids can watch", session_id="kids")
    assert "Following your wish 'kids'" in reply.text
    fits = re.compile(WISHES[1][1], re.IGNORECASE)
    for rec in reply.items:
        genres = dict(tiny_agent.catalog[rec.item_id].attributes).get("genre", ())
        assert any(fits.search(g) for g in genres), rec.title
    assert tiny_agent.profile("kids").wish["text"] == "kids"
    # the wish persists into the next turn until the user changes it
    again = tiny_agent.chat("more please", session_id="kids")
    assert "Following your wish 'kids'" in again.text


def test_unmapped_wishes_and_total_exclusions_are_said(tiny_agent):
    reply = tiny_agent.chat("I liked Fight Club. quelque chose de drôle", session_id="fr")
    assert "couldn't match" in reply.text and reply.items
    for rec in reply.items:
        assert rec.item_id in tiny_agent.catalog
    reply = tiny_agent.chat("nothing scary", session_id="fr")
    assert "Leaving out Horror" in reply.text
    assert all(
        ("genre", "Horror") not in tiny_agent.retrieval.graph.facts_of(r.item_id)
        for r in reply.items
    )


def test_requests_protocol_scores_relevance_echo_and_wish_fit(tiny_agent, odkg):
    graph = tiny_agent.retrieval.graph
    requests = build_requests(odkg, graph, n_plain=4, n_wish=2, seed=1)
    plain = [r for r in requests if r.kind == "plain"]
    assert len(plain) == 4 and all(r.relevant and r.named[0] not in r.relevant for r in plain)
    # the other domain is asked for whenever it has a relevant item
    assert any(odkg.catalog[r.named[0]].domain != r.domain for r in plain)
    strict = dialog_requests(odkg, "test", graph)
    assert strict and all({odkg.catalog[i].domain for i in r.named} != {r.domain} for r in strict)
    report = run_requests(tiny_agent, requests + strict[:2])
    assert set(report) == {"plain", "wish", "dialog"}
    plain = report["plain"]
    assert plain["requests"] == 4 and 0 <= plain["precision@5"] <= plain["hit@5"] <= 1
    assert report["wish"]["wish_fit"] is not None and report["plain"]["wish_fit"] is None
    table = markdown_table({"systems": {"crossrec": report}})
    assert (
        "| crossrec | plain requests | 4 |" in table and "| crossrec | follow-up wishes |" in table
    )


def test_a_reply_never_shows_one_title_twice_in_a_domain(odkg):
    from types import SimpleNamespace

    from crossrec.agent.turn import _distinct
    from crossrec.retrieval.datasets.schema import normalize_title

    catalog = odkg.catalog
    groups: dict = {}
    for item in catalog:
        groups.setdefault((item.domain, normalize_title(item.title)), []).append(item.id)
    twins = next(ids for ids in groups.values() if len(ids) > 1)
    other = next(i.id for i in catalog if i.id not in twins)
    ranked = [(twins[0], 3.0), (twins[1], 2.0), (other, 1.0)]
    assert _distinct(SimpleNamespace(catalog=catalog), ranked) == [ranked[0], ranked[2]]
