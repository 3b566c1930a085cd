"""A seller's name at a category path's end is said and matched as no kind of thing."""

from __future__ import annotations

import pytest
from crossrec.agent.phrasing import explain_pick, spoken_value
from crossrec.agent.wishes import WishMapper
from crossrec.retrieval.shelves import seller_free

_OFFICE = "office products office school supplies"
_KINDS = {  # a kind's path -> items filed under it
    f"{_OFFICE} binders binding systems binders round ring binders": 6,
    f"{_OFFICE} tape adhesives fasteners clips": 5,
    f"{_OFFICE} book covers bible covers": 4,
    f"{_OFFICE} staplers punches": 2,
    f"{_OFFICE} tape adhesives fasteners tape": 6,
    f"{_OFFICE} labels tape": 3,
    f"{_OFFICE} writing correction supplies pens refills gel pens": 3,
    f"{_OFFICE} paper notebooks writing pads": 3,
    f"{_OFFICE} filing products folders": 3,
    f"{_OFFICE} desk accessories workspace organizers": 3,
}


def _shelves() -> dict[str, float]:
    counts = {path: float(n) for path, n in _KINDS.items()}
    for path in list(_KINDS)[:3]:  # a seller after three kinds
        counts[f"{path} christian art gifts"] = 3.0
    counts[f"{_OFFICE} labels tape christian art gifts manufacturer"] = 1.0
    counts[f"{_OFFICE} staplers punches staples"] = 9.0  # a kind: more items than before it
    kinds = list(_KINDS)
    for path in (kinds[0], kinds[2], kinds[3]):  # "tape" follows three paths, as a seller
        counts[f"{path} tape"] = 1.0
    counts[f"{kinds[4]} dispensers"] = counts[f"{kinds[5]} refills"] = 1.0  # and is inside three
    return counts


def test_a_seller_after_several_kinds_is_found_and_a_kind_is_not():
    counts = _shelves()
    found = seller_free(counts)
    kinds = list(_KINDS)
    assert found[f"{kinds[0]} christian art gifts"] == kinds[0]
    assert found[f"{kinds[5]} christian art gifts manufacturer"] == kinds[5]
    assert f"{_OFFICE} staplers punches staples" not in found
    assert not any(path.endswith(" tape") for path in found)  # a kind inside other paths
    assert set(found) <= set(counts)
    assert seller_free({k: float(n) for k, n in _KINDS.items()}) == {}


@pytest.fixture(scope="module")
def graph():
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace

    items = [
        Item(f"i{n}{k}", "office", f"item {n} {k}", attributes={"category": (path,)})
        for n, (path, count) in enumerate(_shelves().items())
        for k in range(int(count))
    ]
    return KnowledgeGraph(ItemSpace(Catalog("products", items)), max_share=1.0)


def test_a_sellers_shelf_is_said_by_its_kind(graph):
    path = f"{list(_KINDS)[0]} christian art gifts"
    assert spoken_value(("category", path)) == "christian art gifts"  # no graph: as before
    assert spoken_value(("category", path), graph) == "round ring binders"
    item = graph.items_with(("category", path))[0]
    card = explain_pick(item, [], graph.space.catalog, graph, ("binders", [("category", path)]))
    assert card.connection.endswith("round ring binders"), card.connection


def test_a_sellers_name_is_no_wish_word(graph, embedder):
    mapper = WishMapper(graph, embedder)
    gifts = mapper.map("gifts")
    assert not any("gifts" in value for _, value in gifts.facts), gifts.facts
    binders = mapper.map("binders")
    assert ("category", f"{list(_KINDS)[0]} christian art gifts") in binders.facts
