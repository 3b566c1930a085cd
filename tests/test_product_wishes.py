"""Wishes over a catalog whose titles describe its items (products): what the titles say."""

from __future__ import annotations

import numpy as np
import pytest
from crossrec.agent.asides import NO_PRICES
from crossrec.agent.clauses import split_wishes
from crossrec.agent.ranking import Signals, TieredRanking
from crossrec.agent.wish import Wish
from crossrec.agent.wish_titles import forms_in, same_stem, same_word
from crossrec.agent.wishes import WishMapper

_CRAFT_TAPE = "arts crafts sewing crafting craft supplies adhesives arts crafts tape"
_PATHS = {  # kind of item -> (title words, category path)
    "washi": ("washi masking tape roll", _CRAFT_TAPE),
    "clear": (
        "scotch transparent tape refill",
        "office products office school supplies tape adhesives fasteners tape transparent tape",
    ),
    "dispenser": (
        "weighted desk tape dispenser",
        "office products office school supplies tape "
        "adhesives fasteners tape dispensers office tape dispensers",
    ),
    "stapler": (
        "desktop stapler",
        "office products office school supplies staplers punches manual staplers desktop staplers",
    ),
    "staples": (
        "standard staples box",
        "office products office school supplies staplers punches staples",
    ),
    "yarn": ("acrylic yarn skein", "arts crafts sewing knitting crochet yarn"),
    "sketchbook": (
        "spiral sketchbook pad",
        "arts crafts sewing painting drawing art supplies art paper sketchbooks",
    ),
    "organizer": (
        "mesh desk organizer",
        "office products office school supplies desk accessories workspace organizers "
        "desk organizers",
    ),
    "pad": (
        "desk pad calendar",
        "office products office school supplies desk accessories workspace organizers desk pads",
    ),
    "pens": (
        "gel ink pens pack",
        "office products office school supplies writing correction supplies pens refills gel pens",
    ),
}


@pytest.fixture(scope="module")
def products():
    from crossrec.retrieval.datasets.schema import Catalog, Item

    items = [
        Item(
            f"{kind}{n}",
            "arts" if path.startswith("arts") else "office",
            f"{words} {colour}",
            attributes={"category": (path,), "brand": (f"maker {k}",)},
        )
        for k, (kind, (words, path)) in enumerate(_PATHS.items())
        for n, colour in enumerate(("red", "blue", "green", "black"))
    ]
    return Catalog("products", items)


@pytest.fixture(scope="module")
def graph(products):
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    return KnowledgeGraph(ItemSpace(products), max_share=1.0)


def test_stems_and_plurals():
    assert same_stem("organised", "organizers") and same_stem("gift", "gifts")
    assert not same_stem("org", "organizers") and not same_stem("painting", "printing")
    assert same_word("mat", "mats") and same_word("boxes", "box")
    # a wish word's own forms in a sorted vocabulary: "machine" is also "machines"
    vocabulary = ["box", "boxes", "machine", "machines", "mat", "stapler", "staples"]
    assert forms_in("machine", vocabulary) == [2, 3] and forms_in("boxes", vocabulary) == [0, 1]
    assert forms_in("staple", vocabulary) == [6] and forms_in("pen", vocabulary) == []
    assert not same_word("stapler", "staples")


def test_a_wish_also_means_what_items_titled_like_it_are_filed_under(graph, embedder):
    assert graph.titles_describe  # the precondition: products, not films
    mapper = WishMapper(graph, embedder, min_items=1)
    paths = {v for _, v in mapper.map("washi tape").facts}
    # the category paths say "tape" twice for office tapes only; the washi rolls' own path
    # says it once, and their titles say "washi tape"
    assert _CRAFT_TAPE in paths, paths
    assert _PATHS["clear"][1] in paths  # widened, not replaced
    # a word no path holds is read through the titles alone, and the reply says so
    washi = mapper.map("washi")
    assert [v for _, v in washi.facts] == [_CRAFT_TAPE]
    assert washi.summary == "items like the catalog's 'washi'"
    # a title word, not its stem: a stapler is not a box of staples
    assert mapper.titles.titled("stapler") == {f"stapler{n}" for n in range(4)}
    # a wish no title holds keeps what the paths say
    assert mapper.map("quelque chose").facts == ()


def test_a_weaker_wish_word_counts_where_it_found_its_own_stem(graph, embedder):
    mapper = WishMapper(graph, embedder, min_items=1)
    wish = mapper.map("keep desk organised")  # desk: 1.0; organised ~ organizers: far less
    assert [v for _, v in wish.facts] == [_PATHS["organizer"][1]], wish
    # the query says the wish in the catalog's words too: "keep desk organised" alone sits
    # nearer laptop desks than desk organizers
    assert wish.query.split()[:3] == ["keep", "desk", "organised"] and "organizers" in wish.query


def test_with_nothing_named_a_wishs_picks_are_ordered_by_what_was_asked(
    products, embedder, tmp_path
):
    from crossrec.retrieval.features import nearness
    from crossrec.retrieval.index.store import CatalogStore, StoreConfig, make_client

    store = CatalogStore(make_client(StoreConfig(store=tmp_path / "chroma")), embedder, "p")
    store.index(list(products), progress=False)
    tapes = [i.id for i in products if i.id.startswith(("clear", "dispenser"))]
    tapes += [f"washi{n}" for n in range(4)]
    sigs = [Signals(fits_wish=True)] * len(tapes)  # all fit "tape"; the stage put washi last
    near = nearness(sigs, tapes, (), store, products, text="washi tape")
    order = TieredRanking().order(tapes, np.zeros((len(tapes), 1)), near, wish=True)
    assert all(i.startswith("washi") for i in order[:4]), order
    # without the words asked (titles that name items) nothing is near: the stage's order,
    # or, given, the popularity counts: the best-known first ("I want a scary movie" gave the
    # obscure films titled "(Horror Film)" that matched its words)
    assert nearness(sigs, tapes, (), store, products) == sigs
    from crossrec.retrieval.itemspace import ItemSpace
    from crossrec.retrieval.sources.cooccur import Popularity

    popularity = Popularity(ItemSpace(products)).fit([["washi2"], ["washi2", "clear1"]] * 3)
    near = nearness(sigs, tapes, (), store, products, popularity=popularity)
    order = TieredRanking().order(tapes, np.zeros((len(tapes), 1)), near, wish=True)
    assert order[:2] == ["washi2", "clear1"], order
    assert nearness(sigs, tapes, ("washi1",), None, products, popularity=popularity) == sigs


def test_with_nothing_named_a_wish_orders_its_picks_by_how_much_of_them_it_is():
    """ "books for a 5 year old" gave The Scarlet Letter (Children's literature among 24
    genres, well known) before Green Eggs and Ham (filed under it alone)."""
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.features import nearness
    from crossrec.retrieval.itemspace import ItemSpace
    from crossrec.retrieval.sources.cooccur import Popularity

    genres = {"alone": ("Kids",), "among": ("Kids", "Drama", "War", "Crime", "History", "Law")}
    books = Catalog("b", [Item(i, "book", i, attributes={"genre": g}) for i, g in genres.items()])
    popularity = Popularity(ItemSpace(books)).fit([["alone"], ["among"], ["among"]])
    sigs, ids = [Signals(fits_wish=True)] * 2, ["among", "alone"]
    kids = [("genre", "Kids")]
    near = nearness(sigs, ids, (), None, books, popularity=popularity, wish=kids)
    assert TieredRanking().order(ids, np.zeros((2, 1)), near, wish=True) == ["alone", "among"]
    near = nearness(sigs, ids, (), None, books, popularity=popularity)  # no wish: the known
    assert TieredRanking().order(ids, np.zeros((2, 1)), near, wish=True) == ["among", "alone"]
    # the graph's facts where given: they hold genres the attributes lack (WALL·E's Science
    # Fiction came from the knowledge graph, and the film fell to the end of a sci-fi wish)
    graph = {"among": [("genre", "Kids")], "alone": [("genre", "Kids"), ("genre", "War")]}
    near = nearness(sigs, ids, (), None, books, "", popularity, kids, facts_of=graph.get)
    assert TieredRanking().order(ids, np.zeros((2, 1)), near, wish=True) == ["among", "alone"]


def test_a_reply_holds_two_picks_of_one_product_line_at_most():
    from crossrec.agent.turn import distinct_picks, product_line
    from crossrec.retrieval.datasets.schema import Catalog, Item

    g2 = [
        "pilot g2 retractable premium gel ink roller ball pens fine pt 7 dozen box red",
        "pilot g2 retractable premium gel ink roller ball pens fine point 5 pack assorted",
        "pilot g2 retractable premium gel ink roller ball pens extra fine point 2 pack blue ink",
        "pilot g2 retractable premium gel ink roller ball pens bold point 4 pack 31255",
    ]
    others = ["pilot g2 metallics gel roller pens 8 pack", "uni ball signo gel pens 12 pack"]
    catalog = Catalog("pens", [Item(f"p{n}", "office", t) for n, t in enumerate(g2 + others)])
    ranked = [(f"p{n}", 1.0 - n / 10) for n in range(len(g2 + others))]
    assert len({product_line(t) for t in g2}) == 1 and product_line(others[0]) != product_line(
        g2[0]
    )
    picks = [i for i, _ in distinct_picks(catalog, ranked, by_line=True)]
    assert picks == ["p0", "p1", "p4", "p5", "p2", "p3"]  # the line's third pick waits, kept
    # the line's picks shown before count ("something else" gave the pens shown in other
    # colours): two shown, the others wait
    shown = ("p0", "p1")
    picks = [i for i, _ in distinct_picks(catalog, ranked[2:], shown, True, shown)]
    assert picks == ["p4", "p5", "p2", "p3"]
    # liked, not shown: more of the pen liked may come
    picks = [i for i, _ in distinct_picks(catalog, ranked[2:], shown, by_line=True)]
    assert picks == ["p2", "p3", "p4", "p5"]
    # titles that name items (films, books) keep the stage's order
    assert [i for i, _ in distinct_picks(catalog, ranked)] == [i for i, _ in ranked]
    # one film filed twice, its title shortened once ("Kill Bill Volume 1" and "Kill Bill: Vol.
    # 1" were two picks of one reply)
    said = ["Kill Bill Volume 1", "Kill Bill: Vol. 1", "Kill Bill Volume 2", "Saw: Pt. 2"]
    films = Catalog("films", [Item(f"f{n}", "movie", t) for n, t in enumerate(said)])
    ranked = [(f"f{n}", 1.0 - n / 10) for n in range(len(said))]
    assert [i for i, _ in distinct_picks(films, ranked)] == ["f0", "f2", "f3"]


def test_a_reply_holds_two_picks_of_one_maker_unless_it_was_named():
    from crossrec.agent.turn import varied
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    def book(n, writer, genre):
        return Item(
            f"b{n}", "book", f"book {n}", attributes={"writer": (writer,), "genre": (genre,)}
        )

    writers = ["Mead", "Mead", "Mead", "Mead", "Harris", "Butcher", "Collins", "Collins"]
    genres = ["Dark"] * 6 + ["Other"] * 2
    # 300 more by one writer each: a writer names items here, a genre groups them
    writers, genres = writers + [f"w{n}" for n in range(300)], genres + ["Other"] * 300
    catalog = Catalog(
        "books", [book(n, *wg) for n, wg in enumerate(zip(writers, genres, strict=True))]
    )
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    assert graph.grouping_relations() == {"genre"}
    ranked = [(f"b{n}", 1.0 - n / 10) for n in range(8)]
    dark = [("genre", "Dark")]
    picks = [i for i, _ in varied(graph, ranked, [], dark)]
    # the third and fourth of Mead's wait behind the other writers' books that fit the wish,
    # not behind those that do not fit it (Collins's)
    assert picks == ["b0", "b1", "b4", "b5", "b2", "b3", "b6", "b7"], picks
    # a maker that what was named has (an item or a fact) is what was asked for
    assert varied(graph, ranked, ["b0"], dark) == ranked
    assert varied(graph, ranked, [("writer", "Mead")], dark) == ranked
    # no wish: every other pick comes before a maker's third
    picks = [i for i, _ in varied(graph, ranked, [])]
    assert picks == ["b0", "b1", "b4", "b5", "b6", "b7", "b2", "b3"], picks


def test_a_pick_sharing_a_maker_with_what_was_named_never_waits():
    """After Inception, Nolan's films are not held back as Christian Bale's third."""
    from crossrec.agent.turn import varied
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    def film(n, director, actor):
        facts = {"director": (director,), "actor": (actor,), "genre": ("Thriller",)}
        return Item(f"m{n}", "movie", f"film {n}", attributes=facts)

    rows = [("Nolan", "Caine"), *[("Nolan", "Bale")] * 4, ("Other", "Gaston"), ("Else", "Bale")]
    rows += [(f"d{n}", f"a{n}") for n in range(300)]  # directors and actors name, genres group
    catalog = Catalog("films", [film(n, *row) for n, row in enumerate(rows)])
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    ranked = [(f"m{n}", 1.0 - n / 10) for n in range(1, 7)]
    picks = [i for i, _ in varied(graph, ranked, ["m0"])]
    assert picks == ["m1", "m2", "m3", "m4", "m5", "m6"], picks  # all Nolan's come first
    picks = [i for i, _ in varied(graph, ranked, [])]  # nothing named: Bale's third waits
    assert picks == ["m1", "m2", "m5", "m3", "m4", "m6"], picks


def test_two_wishes_of_two_domains_each_get_their_share(products, graph, embedder, tmp_path):
    from crossrec.agent.nlu import understand
    from crossrec.retrieval.index.store import CatalogStore, StoreConfig, make_client
    from crossrec.retrieval.linking import EntityLinker
    from crossrec.retrieval.sources.candidates import CandidateQuery, DenseSource

    linker = EntityLinker(products, graph)
    und = understand("I love washi tape and gel pens", linker)
    assert und.wishes == [("washi tape", False), ("gel pens", False)]
    # "pens" is a kind of office item, and washi tape is filed under arts: with both wishes
    # understood (the request's call), no one domain
    assert und.domain == "office" and und.domain_beside_wishes is None
    assert understand("I love gel pens", linker).domain_beside_wishes == "office"
    said = understand("washi tape and gel pens for the office", linker)
    assert said.domain_beside_wishes == "office"
    store = CatalogStore(make_client(StoreConfig(store=tmp_path / "chroma")), embedder, "two")
    store.index(list(products), progress=False)
    dense = DenseSource(store)
    query = CandidateQuery(text="washi tape and gel pens", wish_texts=("washi tape", "gel pens"))
    found = [i for i, _ in dense.retrieve(query, k=4)]
    # each wish's nearest in turn, not the four nearest to either
    assert {i.rstrip("0123456789") for i in found} == {"washi", "pens"}, found


def test_what_the_user_has_is_left_out_and_is_no_wish_beside_another(products, graph, embedder):
    from types import SimpleNamespace

    from crossrec.agent.nlu import understand
    from crossrec.agent.owned import kind_facts, owned_kinds
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval.linking import EntityLinker

    said = "I bought my son a desktop stapler. What else do I need?"
    assert owned_kinds(said, [], ["office"]) == ["son desktop stapler"]
    assert owned_kinds("I own a shop and need pens", [], ["office"]) == ["shop"]
    assert owned_kinds("I have kids, any yarn?", [], ["arts"]) == []
    assert owned_kinds("I own no stapler", [], ["office"]) == []
    # had and loved: more like it ("i bought sharpie markers and loved them" left out markers)
    assert owned_kinds("i bought sharpie markers and loved them", [], ["office"]) == []
    assert owned_kinds("i bought a stapler and need staples", [], ["office"]) == ["stapler"]
    liking = "I bought a stapler and I like colorful things"  # what is liked is no stapler
    assert owned_kinds(liking, [], ["office"]) == ["stapler"]
    # what is said of a birthday, a choice or what something works with has nothing
    for other in ("For my birthday I want a stapler", "OK, I will go with the gel pens"):
        assert owned_kinds(other, [], ["office"]) == [], other
    assert owned_kinds("I bought it, and now I need pens", [], ["office"]) == []
    first = "I just bought my first sewing machine and need thread"  # had, though the first
    assert owned_kinds(first, [], ["arts"]) == ["first sewing machine"]
    assert owned_kinds("yarn for my first crochet project", [], ["arts"]) == []  # begun
    assert owned_kinds("stuff for my daughter's slime party", [], ["arts"]) == []  # an occasion
    assert owned_kinds("What goes with a desktop stapler?", [], ["office"]) == ["desktop stapler"]
    assert owned_kinds("Something for my planner", [], ["office"]) == ["planner"]
    # a person is no thing they have: "a gift for my mom who loves painting" owns no painting
    for gift in ("a gift for my mom who loves painting", "something for my kid who paints"):
        assert owned_kinds(gift, [], ["arts"]) == [], gift
    assert owned_kinds("a cover for my planner that is cute", [], ["office"]) == ["planner"]
    # a gift alone is no kind of thing ("a gift for my boss" gave the seller "... giftware")
    assert split_wishes("a gift for my boss", [], ["office"]) == []
    assert split_wishes("gifts for my mom who loves painting", [], ["arts"]) == [
        ("gifts painting", False)
    ]
    # ... said before the person ("for my elderly mom with big buttons" left out buttons)
    assert owned_kinds("a phone for my elderly mom with big buttons", [], ["office"]) == []
    # what "my ... is" ("my printer is an HP officejet, need ink" gave five printers)
    printer = "my printer is an HP officejet, need ink"
    assert owned_kinds(printer, [], ["office"]) == ["printer officejet"]
    assert owned_kinds("my next purchase is a printer, which one?", [], ["office"]) == []
    assert owned_kinds("I bought a kids easel, what paint", [], ["arts"]) == ["kids easel"]
    assert owned_kinds("my cricut is new, what goes with it", [], ["arts"]) == []
    # what it has is part of it ("with" ending it made 'wifi' a wish beside ink)
    wifi = "I bought a printer with wifi, need ink"
    assert owned_kinds(wifi, [], ["office"]) == ["printer wifi"]
    # what a thing is for: "to hold my pens" owns pens and wishes for a holder
    assert owned_kinds("something to hold my pens", [], ["office"]) == ["pens"]
    assert split_wishes("something to hold my pens", [], ["office"]) == [("holder pens", False)]
    assert split_wishes("a box that stores all our yarn", [], ["arts"]) == [
        ("box storage yarn", False)
    ]
    # of two words that name no path together, the last is the kind: brushes, not paints
    brushes = [("category", "a b paints"), ("category", "a b brushes")]
    assert kind_facts("paint brushes", brushes) == ("brushes", (brushes[1],))
    # a kind's path and a seller's name after it is that kind too; a longer kind is not
    shelves = (
        "a b staplers",
        "a b staplers acme co",
        "a b staplers x y",
        "a b printer",
        "a b printer ink",
    )
    paths = [("category", p) for p in shelves]
    assert kind_facts("stapler", paths) == ("staplers", tuple(paths[:3]))
    assert kind_facts("printer", paths) == ("printer", tuple(paths[3:]))  # by the words alone
    # by the items each holds: "... inkjet printer ink", 200 items after 1, is no printer
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    held = {"a b printer": 1, "a b printer ink": 9, "a b staplers": 4, "a b staplers acme co": 2}
    rows = [(p, n) for p, many in held.items() for n in range(many)]
    catalog = Catalog(
        "shelves",
        [
            Item(f"i{k}", "office", f"item {k}", attributes={"category": (p,)})
            for k, (p, _) in enumerate(rows)
        ],
    )
    shelves = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    facts = [("category", p) for p in held]
    assert kind_facts("printer", facts, shelves) == ("printer", (facts[0],))
    assert kind_facts("stapler", facts, shelves) == ("staplers", tuple(facts[2:]))
    # a seller's name ending three paths is no kind: "for my son's school project"
    sold = {
        f"x y {kind}{seller}": 3
        for kind in ("kits", "stamps", "paper")
        for seller in ("", " project")
    }
    rows = [p for p, many in sold.items() for _ in range(many)]
    items = [
        Item(f"s{k}", "arts", f"item {k}", attributes={"category": (p,)})
        for k, p in enumerate(rows)
    ]
    stamped = KnowledgeGraph(ItemSpace(Catalog("sellers", items)), max_share=1.0)
    assert kind_facts("son's school project", [("category", p) for p in sold], stamped) == ("", ())
    assert kind_facts("stamps", [("category", p) for p in sold], stamped)[0] == "stamps"
    seller_first = [("category", "x y stamps project"), ("category", "x y stamps")]
    assert kind_facts("stamps", seller_first, stamped)[0] == "stamps"  # not the seller's word
    mapper = WishMapper(graph, embedder)
    staplers = [f for f in mapper.facts if f[1].endswith("desktop staplers")]
    assert kind_facts("son desktop stapler", mapper.facts) == ("desktop staplers", tuple(staplers))
    assert kind_facts("son", mapper.facts) == ("", ())
    rec, linker = SimpleNamespace(wishes=mapper), EntityLinker(products, graph)
    assert graph.titles_describe  # products: one who has a stapler wants no second one

    def turn(message):
        session, notices = Session("s", "products"), []
        wishes = _apply_wishes(rec, understand(message, linker), session, notices)
        return wishes, notices, [tuple(f) for f in session.profile.disliked_facts]

    wishes, notices, left_out = turn(said)
    assert notices == ["Leaving out desktop staplers, since you have one."]
    assert left_out == staplers
    # alone, what they have asks for what goes with it: its words, not its kind
    assert [w.text for w in wishes] == ["son desktop stapler"]
    assert not set(staplers) & set(wishes[0].facts)
    # beside another wish, it is no wish
    wishes, notices, left_out = turn("I bought a desktop stapler. Any gel pens?")
    assert [w.text for w in wishes] == ["gel pens"] and left_out == staplers
    # a wish that holds what they have does not ask for it again
    assert turn("accessories for my desktop stapler")[2] == staplers
    # asked for later, it is no longer left out
    session = Session("later", "products")
    _apply_wishes(rec, understand("I bought a desktop stapler", linker), session, [])
    _apply_wishes(rec, understand("I need a desktop stapler", linker), session, [])
    assert session.profile.disliked_facts == []


def test_a_follow_up_naming_no_kind_refines_the_wish(products, graph, embedder):
    """ "I'm into scrapbooking", then "for a beginner", gave jewelry basics kits (the follow-up
    replaced the wish); "smaller" after a planner, coin envelopes. A price asked for is said
    unknown, and the wish kept."""
    from types import SimpleNamespace

    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval.linking import EntityLinker

    rec = SimpleNamespace(wishes=WishMapper(graph, embedder))
    linker, session = EntityLinker(products, graph), Session("refine", "products")

    def wish(message):
        return [w.text for w in _apply_wishes(rec, understand(message, linker), session, [])]

    assert wish("I need yarn") == ["yarn"]
    assert wish("for sewing") == ["yarn sewing"]  # no kind named: the wish narrowed
    assert wish("I need a desktop stapler") == ["desktop stapler"]  # a kind: a wish anew
    assert wish("for knitting") == ["knitting"]  # a word of a kind ("knitting crochet yarn")
    # a kind's word that the kept wish's titles say is which of them ("electric" after a pencil
    # sharpener, "in blue" after a stapler), within the kept wish's facts
    assert wish("I need pens") == ["pens"]
    assert wish("gel ones") == ["pens gel"]
    pens = {f for f in graph.facts if f[0] == "category" and f[1].endswith("gel pens")}
    assert set(Wish.from_dict(session.profile.wish).facts) <= pens
    assert wish("for knitting") == ["knitting"]
    # a price is no wish (no catalog has prices): said, and the wish kept ("under 20 dollars"
    # gave counterfeit-bill detector pens and currency bands)
    notices = []
    asked = _apply_wishes(rec, understand("something under 20 dollars", linker), session, notices)
    assert asked == [] and notices == [NO_PRICES], notices
    assert Wish.from_dict(session.profile.wish).text == "knitting"
    assert split_wishes("a gift for a coworker under $10", [], ["office"]) == []  # (a gift
    # alone is no kind either)
    assert split_wishes("gift bags under $10", [], ["office"]) == [("gift bags", False)]
    assert split_wishes("money clips", [], ["office"]) == [("money clips", False)]
    from crossrec.agent.asides import asks_price

    assert not asks_price("a 10 pound bag of clay") and asks_price("a gift under $10")


def test_a_wish_maps_among_the_facts_of_the_domain_asked_for(products, graph, embedder):
    from types import SimpleNamespace

    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval.linking import EntityLinker

    mapper = WishMapper(graph, embedder)
    # "tape" alone is every tape; asked among arts items, the craft tapes, among office items
    # the office tapes
    tapes = mapper.map("tape").facts
    assert ("category", _CRAFT_TAPE) in tapes and len(tapes) == 3
    assert mapper.map("tape", domain="arts").facts == (("category", _CRAFT_TAPE),)
    office = mapper.map("tape", domain="office").facts
    assert len(office) == 2 and all(v.startswith("office") for _, v in office)
    # where nothing of the domain fits, among all; a domain the catalog lacks restricts nothing
    assert mapper.map("stapler", domain="arts").facts == mapper.map("stapler").facts
    assert mapper.map("tape", domain="podcast").facts == mapper.map("tape").facts
    # a turn maps its wish in the domain its other words ask for
    session, linker = Session("s", "products"), EntityLinker(products, graph)
    und = understand("Any tape for my crafts?", linker)
    assert und.domain_beside_wishes == "arts"
    (wish,) = _apply_wishes(SimpleNamespace(wishes=mapper), und, session, [])
    assert wish.facts == (("category", _CRAFT_TAPE),)


def test_of_two_wish_words_with_no_path_in_common_the_one_the_titles_describe_wins(embedder):
    """ "glue son's school project": glues titled "school glue", not school chairs, though
    the paths say "school" and only "glues"; "oil painting": paints titled "oil", not sewing
    machine oil (each word matches paths of its own)."""
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    glue = "office products office school supplies adhesives liquid white glues"
    sticks = "office products office school supplies adhesives glues sticks"
    chairs = "office products office school supplies education classroom furniture school chairs"
    oil = "arts crafts sewing sewing notions sewing machine parts accessories oil"
    paints = "arts crafts sewing painting drawing art supplies painting paints"
    rows = [
        ("elmers washable school glue", glue),
        ("clear school glue bottle", glue),
        ("purple school glue sticks", sticks),
        ("stackable plastic school chair", chairs),
        ("student school chair with handle", chairs),
        ("sewing machine oil bottle", oil),
        ("oil paint set of twelve tubes", paints),
        ("artist oil colors", paints),
        ("acrylic paint set", paints),
    ]
    office = "office products office school supplies"  # "school": a word of most paths
    rows += [
        (f"{kind} set", f"{office} {kind}") for kind in ["staplers", "binders", "pens", "tape"]
    ]
    rows += [(f"{kind} pack", f"{office} {kind}") for kind in ["labels", "folders", "markers"]]
    items = [
        Item(f"i{n}", path.split()[0], title, attributes={"category": (path,)})
        for n, (title, path) in enumerate(rows)
    ]
    graph = KnowledgeGraph(ItemSpace(Catalog("heads", items)), max_share=1.0)
    mapper = WishMapper(graph, embedder, min_items=1)
    assert {v for _, v in mapper.map("glue son's school project").facts} >= {glue}
    assert chairs not in {v for _, v in mapper.map("glue son's school project").facts}
    assert [v for _, v in mapper.map("oil painting").facts] == [paints]


def test_a_follow_up_of_a_kinds_modifier_narrows_the_kept_wish(products, embedder):
    """ "hot glue gun", then "cordless", gave cordless telephones; "a desk organizer", then
    "in white", Elmer's white glue: a word some kind holds but no kind ends in, said in the
    kept wish's titles, or anything said "in ..." / "... ones", narrows the kept wish, and the
    titles that say it come first."""
    from types import SimpleNamespace

    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.features import feature_matrix
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace
    from crossrec.retrieval.linking import EntityLinker
    from crossrec.retrieval.sources.candidates import Candidate, CandidateQuery

    guns = "arts crafts sewing crafting craft supplies adhesives glue guns glue sticks glue guns"
    phones = "office products office electronics telephones cordless telephones"
    glue = "office products office school supplies adhesives glues liquid white glues"
    desk = "office products office school supplies desk accessories workspace desk organizers"
    rows = [
        # two cordless guns among the guns (the catalog's third is filed with glue sticks)
        *(("gun", f"cordless hot glue gun {c}", guns) for c in "ab"),
        *(("gun", f"corded hot glue gun {c}", guns) for c in "abc"),
        *(("phone", f"cordless phone {c}", phones) for c in "abc"),
        *(("glue", f"white school glue {c}", glue) for c in "abc"),
        *(("desk", f"mesh desk organizer {c}", desk) for c in ("white", "black", "silver")),
    ]
    items = [
        Item(f"{kind}{n}", path.split()[0], title, attributes={"category": (path,)})
        for n, (kind, title, path) in enumerate(rows)
    ]
    catalog = Catalog("gear", [*products, *items])
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    assert graph.titles_describe
    rec = SimpleNamespace(wishes=WishMapper(graph, embedder))
    linker, session = EntityLinker(catalog, graph), Session("narrow", "gear")

    def wish(message) -> Wish:
        (said,) = _apply_wishes(rec, understand(message, linker), session, [])
        return said

    assert wish("I need a hot glue gun").text == "hot glue gun"
    cordless = wish("cordless")
    assert cordless.said == ("cordless",) and cordless.facts
    assert {f[1] for f in cordless.facts} <= {f[1] for f in graph.facts_of(items[0].id)}
    assert wish("a desk organizer").text == "desk organizer"
    refined = understand("in white", linker)
    (white,) = _apply_wishes(rec, refined, session, [])
    assert white.said == ("white",) and all("organizers" in f[1] for f in white.facts)
    # the white ones shown before may be shown again ("hot glue gun", then "mini one", left
    # out the mini ones shown and gave full-size guns)
    assert refined.again == ("white",)
    # "with ..." alone is of the kept kind too ("cross stitch kit for beginners", then "with
    # flowers", gave floral foam and floral wire)
    tray = wish("with pens")
    assert tray.text == "desk organizer white pens" and all(
        "organizers" in f[1] for f in tray.facts
    )
    glue = wish("white glue for this one")  # what goes with it: anew, for the organizer
    assert glue.text == "white glue for desk organizer" and all("glue" in f[1] for f in glue.facts)
    # the titles that say it are marked, for the ranking stage's wish rule
    desks = [i.id for i in items if i.id.startswith("desk")]
    query = CandidateQuery(wish=white.facts, wish_words=white.said)
    candidates = [Candidate(i, 1.0) for i in desks]
    _, sigs = feature_matrix(candidates, query, graph, graph.grouping_relations(), None, None)
    assert [s.says for s in sigs] == [True, False, False]
    ids = ["black", "white"]
    sig = [Signals(fits_wish=True, maker=True), Signals(fits_wish=True, says=True)]
    features = np.zeros((2, 1), np.float32)
    assert TieredRanking().order(ids, features, sig, wish=True) == ["white", "black"]


def test_what_a_product_should_not_do_is_what_its_title_should_say(products, embedder):
    """ "best stapler that doesn't jam" said "Leaving out everything titled 'jam'" and left out
    the "no jam" and "jam free" staplers: the verb after "that doesn't" (or the word before
    "free") is a word the picks' titles should say, and the reply says how many of the wish's
    items do, or that none does."""
    from types import SimpleNamespace

    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace
    from crossrec.retrieval.linking import EntityLinker

    path = "office products office school supplies staplers desktop staplers"
    titles = ("no jam stapler", "jam free stapler", "compact stapler", "non smudging stapler")
    titles += ("residue free stapler",)
    items = [
        Item(f"s{n}", "office", t, attributes={"category": (path,)}) for n, t in enumerate(titles)
    ]
    catalog = Catalog("gear", [*products, *items])
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    rec = SimpleNamespace(wishes=WishMapper(graph, embedder))
    linker = EntityLinker(catalog, graph)
    for message, said, words in (
        ("best stapler that doesn't jam", "come first (2 here)", ("jam",)),
        ("a stapler that won't smudge", "come first (1 here)", ("smudging",)),  # as said
        ("a stapler that won't leave residue", "come first (1 here)", ("residue",)),  # object
        # titles that say the word but not that they are free of it ("dry erase markers")
        ("a stapler that doesn't compact", "No title among the items for 'stapler' says", ()),
        # "X free" too: "glitter free craft kits" gave glitter, the word a wish
        ("a residue-free stapler", "are 'residue free' come first (1 here)", ("residue",)),
        ("a compact free stapler", "says it is 'compact free'", ()),
    ):
        session, notices = Session(message, "gear"), []
        und = understand(message, linker)
        assert not und.left_out and not und.disliked_facts, message
        (wish,) = _apply_wishes(rec, und, session, notices)
        assert wish.text == "stapler" and any(said in n for n in notices), notices
        assert Wish.from_dict(session.profile.wish).said == words
    # "with free shipping" says nothing a product should lack ("printer ink with free
    # shipping" said no title "is 'with free'" and gave printers)
    assert understand("printer ink with free shipping", linker).lacks == []
    # "free of X" says it too (it read "kit free" and asked for glitter)
    glitter = understand("a craft kit free of glitter", linker)
    assert glitter.lacks == ["glitter free"] and "glitter" not in str(glitter.wishes)


def test_a_wish_word_beside_its_categories_is_what_titles_should_say(products, embedder):
    """ "red sharpie markers" gave black, purple and white markers (the categories know no
    colour), "a big whiteboard" coin envelopes (filed under 'small'): a wish's words beside
    what its categories say are words for its picks' titles to say, where some of its items'
    titles say them, and a size maps onto no category."""
    from types import SimpleNamespace

    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace
    from crossrec.retrieval.linking import EntityLinker

    path = "office products office school supplies writing correction supplies pens gel pens"
    titles = ("fine gel pen red", "fine gel pen blue", "gel pen set", "large gel pen grip")
    items = [
        Item(f"p{n}", "office", t, attributes={"category": (path,)}) for n, t in enumerate(titles)
    ]
    small = "office products office school supplies envelopes small parts coin envelopes"
    items += [
        Item(f"e{n}", "office", f"coin envelopes {n}", attributes={"category": (small,)})
        for n in "abc"
    ]
    pencils = "office products office school supplies writing pencils wooden colored pencils"
    erasers = "office products office school supplies writing pencils standard pencil erasers"
    items += [  # "colored" is said by one pencil path, not the other: a word titles say
        Item(f"{k}{n}", "office", title, attributes={"category": (path,)})
        for k, path, title in (("c", pencils, "colored pencils set"), ("r", erasers, "eraser"))
        for n in "abc"
    ]
    catalog = Catalog("gear", [*products, *items])
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    assert graph.titles_describe
    rec = SimpleNamespace(wishes=WishMapper(graph, embedder))
    linker = EntityLinker(catalog, graph)
    assert not rec.wishes.map("big").understood  # not 'small'; no category says a size
    for message, said in (
        ("red gel pens", ("red",)),
        ("gel pens", ()),
        ("big gel pens", ()),
        ("large gel pens", ()),  # a size is no title word: large easels among canvases
        ("gel pens for a red project", ()),  # after the kind: what it is for, not a colour
    ):
        session = Session(message, "gear")
        _apply_wishes(rec, understand(message, linker), session, [])
        wish = Wish.from_dict(session.profile.wish)
        assert wish.said == said and wish.facts, (message, wish)
        assert all("pens" in value for _, value in wish.facts), (message, wish.facts)
    # a word some of its paths say and others not is a title word too (the real catalog
    # matched "colored pencils" by "pencils" alone: erasers and leads among colored pencils)
    from crossrec.agent.title_words import said_beside

    paths = (("category", pencils), ("category", erasers))
    both = Wish("colored pencils", facts=paths, words=("pencils/pencil",))
    assert said_beside(rec, both).said == ("colored",)


def _paths_mapper(paths: dict[str, str], embedder):
    """A graph of four arts items per category path of ``paths``, and its wish mapper."""
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    items = [
        Item(f"{kind}{n}", "arts", f"{kind} item {n}", attributes={"category": (path,)})
        for kind, path in paths.items()
        for n in range(4)
    ]
    graph = KnowledgeGraph(ItemSpace(Catalog("paths", items)), max_share=1.0)
    return graph, WishMapper(graph, embedder, min_items=1)


def test_a_kind_asked_for_is_the_paths_ending_in_it_or_in_a_word_of_it(embedder):
    """ "I need brushes" gave brush holders, brush cleaners and stencil pouncers, and no
    paintbrush: a kind named is the paths that end in it (before a word of sets: "paintbrush
    sets"), or in a word that ends in it and is as near ("paintbrushes"); a path that merely
    names it ("paint brush organizers holders") is another kind."""
    art = "arts crafts sewing painting drawing art supplies "
    paths = {
        "sets": art + "painting paintbrushes paintbrush sets",
        "sumi": art + "drawing calligraphy sumi brushes",
        "holders": "arts crafts sewing organization storage transport paint brush organizers holders",
        "cleaners": art + "brush pen cleaners",
        "sanding": art + "sanding sandpaper",
    }
    graph, mapper = _paths_mapper(paths, embedder)
    brushes = {graph.kind_path(v) for _, v in mapper.map("brushes").facts}
    assert brushes == {paths["sets"], paths["sumi"]}, brushes
    assert paths["sanding"] not in {graph.kind_path(v) for _, v in mapper.map("paper").facts}
    # a path ending in the word holds what is filed below it ("I need drawing supplies" gave
    # the catch-all "... art supplies drawing": shrink film, pen sets; not its pencils)
    drawing = art + "drawing"
    paths = {"all": drawing, "pencils": drawing + " drawing media pencils", "pads": art + "pads"}
    graph, mapper = _paths_mapper(paths, embedder)
    found = {graph.kind_path(v) for _, v in mapper.map("drawing").facts}
    assert found == {paths["all"], paths["pencils"]}, found


def test_a_disliked_maker_leaves_out_the_titles_saying_its_name(products):
    """ "not Sharpie" left in "sharpie fine point permanent markers metallic silver", filed
    under another brand: titles saying the name of a maker whose own titles say it go too;
    a maker its titles do not name ("maker 1") leaves only its own items."""
    from types import SimpleNamespace

    from crossrec.agent.leave_out import leave_out_said
    from crossrec.agent.state import Profile
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    pens = _PATHS["pens"][1]
    rows = [("s1", "sharpie fine pens", "sharpie"), ("s2", "sharpie ultra fine pens", "sharpie")]
    rows += [("odd", "sharpie metallic silver pens", "newell")]
    items = [
        Item(i, "office", t, attributes={"brand": (b,), "category": (pens,)}) for i, t, b in rows
    ]
    catalog = Catalog("markers", [*products, *items])
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    assert graph.titles_describe
    rec = SimpleNamespace(catalog=catalog, retrieval=SimpleNamespace(graph=graph))
    profile = Profile()
    leave_out_said(rec, [("brand", "sharpie"), ("brand", "maker 1")], profile)
    assert sorted(profile.disliked) == ["odd", "s1", "s2"]


def test_a_colour_left_out_is_what_titles_say_not_a_category(products, embedder):
    """ "sticky notes but not yellow" left out what 'yellow' was near among category words
    ('color/colored/red') and kept the canary yellow notes: a word no fact's value holds,
    said by titles, is left out as titled; a word values hold is not."""
    from types import SimpleNamespace

    from crossrec.agent.leave_out import titled_only
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    # a path 'red' is near ("colored pencils"), as 'yellow' was near 'color/colored/red'
    colored = "arts crafts sewing painting drawing art supplies colored pencils"
    pencils = [
        Item(f"cp{n}", "arts", f"colored pencils set {n}", attributes={"category": (colored,)})
        for n in range(4)
    ]
    catalog = Catalog("colours", [*products, *pencils])
    graph = KnowledgeGraph(ItemSpace(catalog), max_share=1.0)
    rec = SimpleNamespace(
        catalog=catalog,
        retrieval=SimpleNamespace(graph=graph),
        wishes=WishMapper(graph, embedder),
        grouping=graph.grouping_relations(),
    )
    assert titled_only(rec, "red") and titled_only(rec, "blue")  # four titles each, no path
    assert not titled_only(rec, "stapler")  # a kind the paths file
    assert not titled_only(rec, "purple")  # no title says it
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval.linking import EntityLinker

    session, notices = Session("red", "products"), []
    said = understand("pens but not red", EntityLinker(catalog, graph))
    _apply_wishes(rec, said, session, notices)
    assert "Leaving out everything titled 'red'." in notices, notices
    assert sorted(session.profile.disliked) == [f"{kind}0" for kind in sorted(_PATHS)]


@pytest.fixture(scope="module")
def amazon_wishes(data_dir, embedder):
    """The Amazon catalog's wishes as a turn maps them (no store, no models), and its linker."""
    from types import SimpleNamespace

    from crossrec.retrieval.datasets import load_dataset
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace
    from crossrec.retrieval.linking import EntityLinker

    catalog = load_dataset("amazon_arts_office", data_dir).catalog
    graph = KnowledgeGraph(ItemSpace(catalog))
    rec = SimpleNamespace(
        catalog=catalog,
        retrieval=SimpleNamespace(graph=graph),
        wishes=WishMapper(graph, embedder),
        grouping=graph.grouping_relations(),
    )
    return rec, EntityLinker(catalog, graph)


def test_what_is_had_is_left_out_on_its_sellers_shelves_too(amazon_wishes):
    """ "office supplies for my new desk" said "Leaving out desks" and showed four desks, and "I
    bought a stapler" staplers: they are filed under their kind's path and a seller's name
    ("... computer desks techni mobili", "... desktop staplers esselte"), which the catalog
    does not tell apart as a seller's shelf."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    for said, shelf in (
        ("office supplies for my new desk", " computer desks techni mobili"),
        ("i bought a stapler, what else do i need?", " desktop staplers esselte"),
    ):
        session, notices = Session(said, "amazon"), []
        _apply_wishes(rec, understand(said, linker), session, notices)
        left = [value for _, value in session.profile.disliked_facts]
        assert notices[0].startswith("Leaving out ") and any(v.endswith(shelf) for v in left), left
    # a shelf holds at most a few times its kind's items: a printer's is no printer ink
    session = Session("printer", "amazon")
    _apply_wishes(rec, understand("I bought an inkjet printer", linker), session, [])
    left = [value for _, value in session.profile.disliked_facts]
    assert left and not any(v.endswith("inkjet printer ink") for v in left), left


def test_a_maker_had_already_with_something_else_asked_is_left_out(amazon_wishes):
    """ "colored pencils", then "I already have prismacolor, something else", gave five
    Prismacolor items: the maker had, where something else is asked, is left out; had beside
    what goes with it, it stays liked."""
    from crossrec.agent.nlu import understand

    _, linker = amazon_wishes
    prismacolor = ("brand", "prismacolor")
    und = understand("I already have prismacolor, something else", linker)
    assert prismacolor in map(tuple, und.disliked_facts), und
    und = understand("I already have prismacolor, what sharpener goes with them", linker)
    assert prismacolor not in map(tuple, und.disliked_facts), und
    # the maker of the kind had: other than that kind (it gave Sharpie markers)
    und = understand("I already have crayola markers, need something else", linker)
    assert ("brand", "crayola") not in map(tuple, und.disliked_facts), und
    und = understand("I already have prismacolor and want other colors too", linker)
    assert prismacolor not in map(tuple, und.disliked_facts), und
    und = understand("I already have prismacolor, want something different", linker)
    assert prismacolor in map(tuple, und.disliked_facts), und


def test_a_word_left_out_leaves_out_the_wished_items_whose_titles_say_it(amazon_wishes):
    """ "glitter glue for kids crafts", then "no glitter", said it left out the category
    glitter and kept the glitter glues (filed under glues); "pastels for an artist, not oil
    pastels" kept the oil pastels (filed under pastels). The wished items whose titles say the
    words are left out, and the kept wish no longer says them."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    catalog, graph = rec.catalog, rec.retrieval.graph
    for said, then, word in (
        ("glitter glue for kids crafts", "no glitter", "glitter"),
        ("pastels for an artist, not oil pastels", None, "oil pastel"),
    ):
        session, notices = Session(said, "amazon"), []
        _apply_wishes(rec, understand(said, linker), session, notices)
        if then:
            _apply_wishes(rec, understand(then, linker), session, notices)
        wished = {
            i for f in Wish.from_dict(session.profile.wish).facts for i in graph.items_with(f)
        }
        saying = {i for i in wished if word in catalog[i].title}
        assert saying and saying <= set(session.profile.disliked), notices
        assert not (wished - saying) & set(session.profile.disliked)
        assert any("whose titles say" in n for n in notices), notices
    # words that map onto nothing, said by two titles of the kept wish, say which of them
    # ("sketchbook", then "spiral bound": "I couldn't match 'spiral bound'")
    books, notices = Session("spiral", "amazon"), []
    _apply_wishes(rec, understand("sketchbook", linker), books, notices)
    spiral = understand("spiral bound", linker)
    (said,) = _apply_wishes(rec, spiral, books, notices)
    assert said.said == ("spiral", "bound") and spiral.again == ("spiral", "bound"), notices
    # a follow-up that refines the kept wish does not ask again for what they have ("labels
    # for my home printer", then "round ones", brought label printers back)
    labels = Session("labels", "amazon")
    _apply_wishes(rec, understand("labels for my home printer", linker), labels, [])
    owned = {tuple(f) for f in labels.profile.disliked_facts}
    _apply_wishes(rec, understand("round ones", linker), labels, [])
    assert owned and owned <= {tuple(f) for f in labels.profile.disliked_facts}
    glue = Session("glue", "amazon")
    _apply_wishes(rec, understand("glitter glue for kids crafts", linker), glue, [])
    _apply_wishes(rec, understand("no glitter", linker), glue, [])
    assert "glitter" not in Wish.from_dict(glue.profile.wish).text


def test_a_thing_asked_for_a_purpose_is_the_kind_said_before_for(amazon_wishes):
    """ "glue for fabric" gave fabric strips, "a case for my colored pencils" graphite pencils,
    "I need a laminator for classroom posters" posters and school chairs: mapped together, the
    words after "for" chose the kind. The kind said before it is asked for; the words after it
    narrow it (pencil cases) and put the titles that say them first (fabric glue)."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval import says

    rec, linker = amazon_wishes
    catalog, graph = rec.catalog, rec.retrieval.graph
    for said, kind, first in (
        ("glue for fabric", "glue", "fabric"),
        ("a case for my colored pencils", "case", "pencils"),
        ("I need a laminator for classroom posters", "laminator", None),
        ("sketchbook for drawing with pencils", "sketchbook", None),
        # one C-Pen scanner titled "pen" kept the document scanners the words found together
        ("pens for signing documents", "pen", None),
        # said "to" do ("a nice notebook to take notes in meetings" gave post-it notes)
        ("a nice notebook to take notes in meetings", "notebook", None),
        ("glue to use on fabric", "glue", "fabric"),
    ):
        session = Session(said, "amazon")
        (wish,) = _apply_wishes(rec, understand(said, linker), session, [])
        wished = {i for f in wish.facts for i in graph.items_with(f)}
        titled = sum(says(catalog[i].title, [kind]) for i in wished)  # pencil cases: holders
        filed = all(kind in value for _, value in wish.facts)  # sketchbooks: "sketch book"
        assert wished and (filed or 2 * titled > len(wished)), (said, wish.facts)
        assert first is None or first in wish.said, wish
    # where the words together found the kind, or the kind's word alone finds another, the
    # wish stays ("a case for my gel pens" gave projector cases, "a bag for my knitting
    # supplies" sewing machine totes, "gifts for an artist" bead kits)
    for said, wrong in (
        ("a case for my gel pens", "projector"),
        ("a bag for my knitting supplies", "sewing machine"),
        ("gifts for an artist", "bead"),
        ("tape for shipping boxes", "label"),  # a tenth of shipping supplies say "tape"
    ):
        (wish,) = _apply_wishes(rec, understand(said, linker), Session(said, "amazon"), [])
        assert not all(wrong in value for _, value in wish.facts), (said, wish.facts)
    # of the wish the words together found, those of the kind said where some are ("ink for my
    # fountain pen" gave gel ink pens, a fifth of the pens found titled "ink"): bottled ink
    said = "ink for my fountain pen"
    (wish,) = _apply_wishes(rec, understand(said, linker), Session(said, "amazon"), [])
    assert wish.facts and all(value.endswith(" ink") for _, value in wish.facts), wish.facts
    # a project begun is nothing they have ("Leaving out crochet, since you have one")
    session, notices = Session("yarn", "amazon"), []
    _apply_wishes(rec, understand("yarn for my first crochet project", linker), session, notices)
    assert not session.profile.disliked_facts and not notices, notices


def test_a_kind_of_two_words_is_what_the_titles_saying_them_in_a_row_are_filed_under(
    amazon_wishes,
):
    """ "fountain pen ink" gave fountain pens, "push pins for a cork board" sewing pins, "ink
    pad for rubber stamps" self-inking stamps and "yarn for knitting a baby blanket" knitting
    needles (filed under "... knitting needles kollage yarns", a seller's name): the words
    matched paths apart. Titles say the kind in a row: bottled inks, pushpins, stamp pads."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    for said, kind, wrong in (
        ("fountain pen ink", " bottled ink", "fountain pens"),
        ("push pins", " pins tacks", "pincushions"),
        ("push pins for a cork board", " pins tacks", "pincushions"),
        ("ink pad for rubber stamps", " stamp pads refills", "rubber stamp creation"),
        ("yarn for knitting a baby blanket", " knitting crochet yarn", "needles"),
    ):
        (wish,) = _apply_wishes(rec, understand(said, linker), Session(said, "amazon"), [])
        values = [value for _, value in wish.facts]
        assert any(v.endswith(kind) for v in values), (said, values)
        assert not any(wrong in v for v in values), (said, values)
    # a kind of one word the words together found stays ("staples for a stapler" gave
    # staplers); words a few of many titles say in a row are no kind ("yarn", then "wool":
    # 5 of the 34 titles saying both are wool winders, and the reply said it)
    said = "staples for a stapler"
    (wish,) = _apply_wishes(rec, understand(said, linker), Session(said, "amazon"), [])
    assert any(value.endswith(" staples") for _, value in wish.facts), wish.facts
    session = Session("wool", "amazon")
    _apply_wishes(rec, understand("yarn", linker), session, [])
    (wish,) = _apply_wishes(rec, understand("wool", linker), session, [])
    assert not any("winders" in word for word in wish.words), wish  # "filed under ... winders"


def test_whom_a_thing_is_for_is_what_its_titles_should_say(amazon_wishes):
    """ "beads for a 7 year old" gave gold and gemstone beads, "an easel for my kid" floor
    easels: the kind's words together found it and what it is for was dropped. The titles
    should say it, and where the items titled by both are filed is wished for too (the kids'
    beads are beading supplies, not bead assortments)."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    for said, whom, filed in (
        ("beads for a 7 year old", "kids", " beading supplies"),
        ("an easel for my kid", "kid", " easels"),
    ):
        (wish,) = _apply_wishes(rec, understand(said, linker), Session(said, "amazon"), [])
        assert whom in wish.said, (said, wish)
        assert any(value.endswith(filed) for _, value in wish.facts), (said, wish.facts)
    # what it is for that is no one ("a binder for school" put copier film and an easel
    # titled "school" first, filed under binders)
    (wish,) = _apply_wishes(rec, understand("a binder for school", linker), Session("b", "a"), [])
    assert "school" not in wish.said, wish


def test_a_follow_up_word_said_before_the_kind_in_titles_says_which_of_it(amazon_wishes):
    """ "journal", then "leather", gave cowhide scraps; "scissors", then "for kids", talking
    pens and flash cards; "tissue paper", then "only white", Elmer's white glue: the word alone
    maps onto another kind. Where catalog titles say it before the kept wish's kind ("leather
    journal", "kids scissors"), it says which of the kept kind, also among the items so titled
    (leather journals are filed under notebooks); a kind of its own after it ("stapler", then
    "staples") is still a wish anew."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    catalog, graph = rec.catalog, rec.retrieval.graph
    for kept, then, title_words, least in (
        ("I need a journal", "leather", ("leather", "journal"), 5),
        ("scissors", "for kids", ("kids", "scissors"), 5),
        # "white" ends one kind of one item (Lily White oil paint): no kind of its own; it gave
        # Elmer's white glue after poster board for a school project (3 white ones here)
        ("poster board for a school project", "white", ("white", "poster board"), 3),
    ):
        session = Session(then, "amazon")
        _apply_wishes(rec, understand(kept, linker), session, [])
        (wish,) = _apply_wishes(rec, understand(then, linker), session, [])
        assert wish.said[-1] == title_words[0] and wish.text.endswith(title_words[0]), wish
        items = {i for f in wish.facts for i in graph.items_with(f)}
        titled = [i for i in items if all(w in catalog[i].title for w in title_words)]
        assert len(titled) >= least, (then, wish)
    session = Session("staples", "amazon")
    _apply_wishes(rec, understand("stapler", linker), session, [])
    assert [w.text for w in _apply_wishes(rec, understand("staples", linker), session, [])] == [
        "staples"
    ]


def test_a_follow_up_saying_what_the_kept_kind_is_like_narrows_it(amazon_wishes):
    """ "cute sticky notes", then "shaped like animals", gave leather scraps (filed under
    'leather strips shapes scraps'); "notebook", then "with dots instead of lines", dot matrix
    printer ribbons: a follow-up saying the shape, make or look of the kept kind ("shaped like
    ...", "made of ...", "with ...", with something left out beside it) narrows the kept wish,
    and the titles saying the most of its words come first."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    for kept, then, word in (
        ("cute sticky notes", "shaped like animals", "animals"),
        ("notebook", "with dots instead of lines", "dots"),
        ("wooden beads", "in the shape of hearts", "hearts"),
    ):
        session = Session(then, "amazon")
        (first,) = _apply_wishes(rec, understand(kept, linker), session, [])
        (wish,) = _apply_wishes(rec, understand(then, linker), session, [])
        assert wish.facts and set(wish.facts) <= set(first.facts), (then, wish)
        assert word in wish.said and not {"shaped", "shape"} & set(wish.said), (then, wish)
    # the kept facts whose items' titles say the follow-up stay, not only those it maps
    # nearest ("rubber stamps", then "with flowers", kept the office stamps only: the cling
    # flower stamps came after self-inking address stamps)
    session = Session("flowers", "amazon")
    (first,) = _apply_wishes(rec, understand("rubber stamps", linker), session, [])
    (wish,) = _apply_wishes(rec, understand("with flowers", linker), session, [])
    flowers = rec.wishes.titles.titled("flowers")
    graph = rec.retrieval.graph
    held = {f for f in first.facts if flowers & set(graph.items_with(f))}
    assert held and held <= set(wish.facts) <= set(first.facts), wish
    # "suck uk animal sticky notes" says two of the words, "super sticky notes" one
    ids = ["one", "two", "none"]
    sig = [
        Signals(fits_wish=True, says=1),
        Signals(fits_wish=True, says=2),
        Signals(fits_wish=True),
    ]
    order = TieredRanking().order(ids, np.zeros((3, 1), np.float32), sig, wish=True)
    assert order == ["two", "one", "none"]


def test_a_word_titles_say_items_are_free_of_is_not_left_out(amazon_wishes):
    """ "glue that isn't toxic" said "Leaving out everything titled 'toxic'", which left out
    the glues titled "non toxic": where most titles saying a word left out say the item is
    free of it, they are what is asked for (titled so first), not what is left out."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    for message in ("paint that isnt toxic", "glue that is not toxic"):
        said, notices, session = understand(message, linker), [], Session(message, "amazon")
        _apply_wishes(rec, said, session, notices)
        assert "toxic free" in said.lacks and not session.profile.disliked, notices
        assert not any("Leaving out" in n for n in notices), notices
    # where the kinds asked hold none so titled, the kinds those so titled are filed under too
    # ("No title among the items for 'glue' says it is 'toxic free'": 12 glue sticks do), and
    # said of the kept wish ("glue", then "that isn't toxic" was ignored without a word)
    session, notices = Session("glue", "amazon"), []
    _apply_wishes(rec, understand("glue", linker), session, [])
    _apply_wishes(rec, understand("that isn't toxic", linker), session, notices)
    wish = Wish.from_dict(session.profile.wish)
    assert "toxic" in wish.said and any("come first" in n for n in notices), notices
    assert any("glue sticks" in f[1] for f in wish.facts), wish
    said, notices, session = understand("pens but not red", linker), [], Session("red", "amazon")
    _apply_wishes(rec, said, session, notices)  # a colour is left out as before
    assert "Leaving out the 118 whose titles say 'red'." in notices, notices


def test_a_follow_up_word_replaces_the_kept_word_it_is_near(amazon_wishes):
    """ "black gel pens", then "in blue", was 'black gel pens blue' (black ink in blue
    barrels); "red pens", then "in black instead", 'red pens black': a follow-up word near a
    kept word before the kind (a colour of a colour, a size of a size) replaces it; one of
    another sort says more ("watercolor paints", then "in blue": blue watercolors)."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    for kept, then, text in (
        ("black gel pens", "in blue", "gel pens blue"),
        ("red pens", "in black instead", "pens black"),
        ("a small notebook", "a bigger one", "notebook bigger"),
        ("watercolor paints", "in blue", "watercolor paints blue"),
    ):
        session = Session(then, "amazon")
        _apply_wishes(rec, understand(kept, linker), session, [])
        _apply_wishes(rec, understand(then, linker), session, [])
        wish = Wish.from_dict(session.profile.wish)
        assert wish.text == text and wish.said[-1] == text.split()[-1], (then, wish)
        assert not set(wish.said) - set(text.split()), wish
    # a word said after the kind is replaced too ("in blue", then "in red": not 'blue red')
    _apply_wishes(rec, understand("in red", linker), session, [])
    assert Wish.from_dict(session.profile.wish).text == "watercolor paints red"


def test_a_thing_asked_for_it_is_for_the_kept_wishs_kind(amazon_wishes):
    """ "rubber stamps", then "ink pad for them", gave a gaming mouse pad and easel pads;
    "label maker", then "tape for it", Scotch tape: "it" and "them" are the kept wish's kind,
    the purpose of the thing asked for ("a sharpener for them" is colored pencil sharpeners,
    not colored pencils that come with one)."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    catalog, graph = rec.catalog, rec.retrieval.graph
    for kept, then, kind in (
        ("colored pencils", "a sharpener for them", "sharpeners"),
        ("label maker", "tape for it", "tape"),
        # the kind alone where its items' titles say the kept thing ("paint brush set"):
        # "brushes for paints" together finds brush holders
        ("watercolor paints", "brushes for them", "brush"),
    ):
        session = Session(then, "amazon")
        _apply_wishes(rec, understand(kept, linker), session, [])
        (wish,) = _apply_wishes(rec, understand(then, linker), session, [])
        assert wish.text.endswith(kept.split()[-1]) and all(kind in f[1] for f in wish.facts), wish
        items = {i for f in wish.facts for i in graph.items_with(f)}
        assert any(kept.split()[-1][:4] in catalog[i].title for i in items), wish
        assert not any("holders" in f[1] for f in wish.facts), wish
    # "for this summer", "for those who knit" are for no kept thing
    assert not understand("any good beach reads for this summer?", linker).for_kept
    assert understand("glue sticks for them please", linker).for_kept


def test_a_thing_asked_for_them_is_neither_them_nor_another_kinds_namesake(amazon_wishes):
    """ "knitting needles", then "yarn for them", led with needles filed under a yarn shop's
    name ("... knitting needles kollage yarns"); "gel pens", then "a case for them", gave
    projector cases, as most items titled "pen" and "case" are pens sold with a case. What is
    asked for them is none of the kept kind's categories, and "pen case" is what the items
    titled so, in that order, are filed under."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    for kept, then, not_in in (
        ("knitting needles", "yarn for them", "needles"),
        ("gel pens", "a case for them", "projector"),
    ):
        session = Session(then, "amazon")
        (first,) = _apply_wishes(rec, understand(kept, linker), session, [])
        (wish,) = _apply_wishes(rec, understand(then, linker), session, [])
        assert wish.facts and not set(wish.facts) & set(first.facts), wish
        assert not any(not_in in f[1] for f in wish.facts), wish


def test_a_follow_up_saying_only_what_it_is_for_says_which_of_the_kept_kind(amazon_wishes):
    """ "markers", then "something for fabric", gave fabric strips; "printer paper", then "for
    a laser printer", laser printers: where titles say the kept kind with what it is for, the
    follow-up says which of it, also on the kind's other shelves (fabric markers are filed as
    paint pens and permanent markers too); "for knitting" after a stapler is a wish anew."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    catalog, graph = rec.catalog, rec.retrieval.graph
    for kept, then, words in (
        ("markers", "something for fabric", ("fabric", "marker")),
        ("printer paper", "for a laser printer", ("laser", "paper")),
    ):
        session = Session(then, "amazon")
        _apply_wishes(rec, understand(kept, linker), session, [])
        (wish,) = _apply_wishes(rec, understand(then, linker), session, [])
        assert wish.text.startswith(kept) and words[0] in wish.said, wish
        assert not any(f[1].endswith(" printers") for f in wish.facts), wish
        items = {i for f in wish.facts for i in graph.items_with(f)}
        titled = [i for i in items if all(w in catalog[i].title for w in words)]
        assert len(titled) >= 8, (then, len(titled))
    session = Session("for knitting", "amazon")
    _apply_wishes(rec, understand("desktop stapler", linker), session, [])
    (wish,) = _apply_wishes(rec, understand("for knitting", linker), session, [])
    assert wish.text == "knitting" and not wish.said, wish
    # where the two together map within the kept facts, those ("needles", then "for my sewing
    # machine" kept knitting and punch needles)
    for kept, then, within in (("needles", "for my sewing machine", "machine"),):
        session = Session(then, "amazon")
        _apply_wishes(rec, understand(kept, linker), session, [])
        (wish,) = _apply_wishes(rec, understand(then, linker), session, [])
        assert wish.facts and within in wish.facts[0][1], wish
        assert not any("knitting" in f[1] or "punch" in f[1] for f in wish.facts), wish
    # a maker named with it ("ink cartridges", then "for my hp printer", gave HP printers)
    session = Session("for my hp printer", "amazon")
    _apply_wishes(rec, understand("ink cartridges", linker), session, [])
    _apply_wishes(rec, understand("for my hp printer", linker), session, [])
    wish = Wish.from_dict(session.profile.wish)
    assert wish.text.startswith("ink cartridges") and not any(
        "printers" in f[1][-9:] for f in wish.facts
    ), wish


def test_a_maker_said_in_lower_case_is_named_though_others_are_made_for_it(amazon_wishes):
    """ "printer paper, not hp" showed HP papers first and "toner that is not brother" Brother
    toners: most titles saying "brother" or "hp" are other makers' toners and inks made for
    their printers ("replacement for brother"), so the word was no maker's name in lower case.
    Whom a thing is for stays no maker ("a gift for my brother")."""
    _, linker = amazon_wishes

    def makers(said):
        return [f for m in linker.link(said) for f in m.facts if f[0] == "brand"]

    assert makers("toner that is not brother") == [("brand", "brother")]
    assert makers("printer paper, not hp") == makers("ink for my hp printer") == [("brand", "hp")]
    assert makers("a gift for my brother who likes drawing") == []
    assert makers("my brother loves drawing") == []


def test_a_model_said_is_what_titles_should_say(amazon_wishes):
    """ "printer ink for hp 62" led with HP 98 and 60XL cartridges, "refills for my pilot g2
    pen" with Dr. Grip refills, "a planner for 2019" with 2018 planners: a model's code or
    number said is for the picks' titles to say, where some of the wish's titles say it."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session
    from crossrec.retrieval import says

    rec, linker = amazon_wishes
    catalog, graph = rec.catalog, rec.retrieval.graph
    for said, code in (
        ("printer ink for hp 62", ("62",)),
        ("a planner for 2019", ("2019",)),
        ("toner for brother hl-2270dw", ("hl", "2270dw")),
    ):
        session = Session(said, "amazon")
        _apply_wishes(rec, understand(said, linker), session, [])
        wish = Wish.from_dict(session.profile.wish)
        assert set(code) <= set(wish.said), (said, wish)
        items = {i for f in wish.facts for i in graph.items_with(tuple(f))}
        assert sum(says(catalog[i].title, code) for i in items) >= 2, said
    # a count of picks, a price or an age is no model; a stop after it ends it
    for said in ("a gift for a 12-year-old", "show me 10 gel pens", "pens under 20 dollars"):
        assert understand(said, linker).codes == [], said
    assert understand("I need ink for my hp 62.", linker).codes == ["62"]


def test_a_word_no_fact_holds_but_titles_say_is_for_the_titles(amazon_wishes):
    """ "brushes, synthetic" said "I couldn't match 'synthetic'", though synthetic brushes are
    titled so; "dell toner" gave two Dell toners, then Brother's (the maker is named, and
    toners for Dell printers say "dell" too)."""
    from crossrec.agent.nlu import understand
    from crossrec.agent.request import _apply_wishes
    from crossrec.agent.state import Session

    rec, linker = amazon_wishes
    for said, word in (("brushes, synthetic", "synthetic"), ("dell toner", "dell")):
        session, notices = Session(said, "amazon"), []
        _apply_wishes(rec, understand(said, linker), session, notices)
        assert word in Wish.from_dict(session.profile.wish).said, said
        assert not any("couldn't match" in n for n in notices), notices


def test_a_year_asked_puts_titles_saying_it_then_undated_ones_first():
    """ "I need a planner for 2027" gave planners of 2014 to 2019: a catalog of products has no
    year facts, so the year was dropped from the wish."""
    from crossrec.agent.dated import dated_first

    titles = {
        "p2015": "at glance 2 year planner 2015 2016",
        "undated": "day runner undated planner",
        "p2027": "weekly planner 2027",
        "pen": "gel pen 2027 edition",
    }
    sig = {i: Signals(fits_wish=i != "pen") for i in titles}
    ranked = [(i, 1.0) for i in ("pen", "p2015", "undated", "p2027")]
    out, notices = dated_first(titles, ranked, sig, "planner 2027", 2)
    # inside the wish's picks (the pen fits none): the year said, undated, other years
    assert [i for i, _ in out] == ["p2027", "undated", "p2015", "pen"] and notices == []
    out, notices = dated_first(titles, ranked[:3], sig, "planner 2027", 2)
    assert [i for i, _ in out] == ["undated", "p2015", "pen"]
    assert notices == ["Nothing here says 2027; undated ones come first."]
    assert dated_first(titles, ranked, sig, "planner", 2) == (ranked, [])  # no year asked


def test_the_most_wish_words_matching_together_name_the_kind(amazon_wishes):
    """ "sticky notes in neon colors" gave five glue gun sticks: its four words match no value
    all together, and one ('sticky', as sticks) was kept alone; three of them name self-stick
    notes ("I'm learning to knit, what needles" gave sewing-machine needles)."""
    from types import SimpleNamespace as Group

    from crossrec.agent.wish import most_together

    a, b, c = Group(facts={1, 2}, top=0.9), Group(facts={2, 3}, top=0.8), Group(facts={4}, top=1)
    assert most_together([a, b, c]) == [a, b] and most_together([a, c]) == []
    rec, _ = amazon_wishes
    for said, kind in (
        ("sticky notes neon colors", "self stick notes"),
        ("learning knit needles start", "knitting needles"),
    ):
        facts = rec.wishes.map(said).facts
        assert facts and all(kind in value for _, value in facts), (said, facts)
