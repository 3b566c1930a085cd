"""The Chroma store: round trip, domain filters, idempotence, updates, deletes, LangChain view."""

from __future__ import annotations

import pytest
from crossrec.retrieval.index.store import CatalogStore, NotIndexedError, StoreConfig, make_client


@pytest.fixture
def store(tmp_path, embedder):
    return CatalogStore(
        make_client(StoreConfig(store=tmp_path / "chroma")), embedder, "tiny-catalog"
    )


def test_round_trip_and_domain_filter(store, small_items):
    summary = store.index(small_items, progress=False)
    assert (summary.items, summary.added, summary.updated, summary.deleted) == (6, 6, 0, 0)
    hits = store.search("scary haunted hotel horror novel", k=3)
    assert hits[0].item_id == "b2"
    books = store.search("science fiction", k=10, domain="book")
    assert books and all(h.domain == "book" for h in books)
    assert {h.item_id for h in books} == {"b1", "b2", "b3"}
    movies = store.search(store.embedder.embed_query("space"), k=2, domain="movie", exclude=["m2"])
    assert all(h.domain == "movie" and h.item_id != "m2" for h in movies)


def test_reindex_adds_nothing_and_embeds_nothing(store, small_items):
    store.index(small_items, progress=False)
    calls = []
    original = store.embedder.embed
    store.embedder.embed = lambda texts, progress=False: calls.append(len(texts)) or original(texts)
    try:
        again = store.index(small_items, progress=False)
    finally:
        store.embedder.embed = original
    assert (again.added, again.updated, again.deleted, again.items) == (0, 0, 0, 6)
    assert calls == []


def test_updates_and_deletes_are_reflected(store, small_items):
    store.index(small_items, progress=False)
    from crossrec.retrieval.datasets.schema import Item

    changed = [
        Item("m3", "movie", "Toy Story 2", attributes={"genre": ("Animation",)}),
        *small_items[:2],
        *small_items[3:5],
    ]
    summary = store.index(changed, progress=False)
    assert (summary.added, summary.updated, summary.deleted, summary.items) == (0, 1, 1, 5)
    titles = {h.item_id: h.title for h in store.search("animation", k=5)}
    assert titles.get("m3") == "Toy Story 2" and "b3" not in titles


def test_missing_collection_names_the_fix(tmp_path, embedder):
    store = CatalogStore(
        make_client(StoreConfig(store=tmp_path / "empty")), embedder, "never-indexed"
    )
    assert not store.exists()
    with pytest.raises(
        NotIndexedError, match="crossrec index --catalog FILE.jsonl --name never-indexed"
    ):
        store.search("anything")


def test_langchain_retriever_reads_the_same_collection(store, small_items):
    from crossrec.retrieval.langchain import as_retriever

    store.index(small_items, progress=False)
    docs = as_retriever(store, k=2, domain="book").invoke("a desert planet and spice")
    assert docs and docs[0].metadata["title"] == "Dune"
    assert all(d.metadata["domain"] == "book" for d in docs)
