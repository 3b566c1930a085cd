"""The distilled document encoder: training moves the student, saving round-trips, the split
between documents and queries, finding a student by name, and re-embedding on an embedder
change."""

from __future__ import annotations

import json

import numpy as np
import pytest
from cli_helpers import crossrec_env, run_crossrec
from crossrec.finetune.distill import (
    DistillConfig,
    RankingPairs,
    build_student,
    dialog_pairs,
    student_vectors,
    train_student,
)
from crossrec.retrieval.index.embed import (
    EmbedderConfig,
    SentenceTransformerEmbedder,
    bundled_minilm_path,
    load_embedder,
)
from crossrec.retrieval.index.student import (
    DistilledEmbedder,
    materialise_student,
    save_student,
    student_path,
)


@pytest.fixture(scope="module")
def teacher():
    return SentenceTransformerEmbedder(max_seq_length=128)


@pytest.fixture(scope="module")
def documents(odkg):
    return [item.document() for item in odkg.catalog][:240]


@pytest.fixture(scope="module")
def trained(teacher, documents):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(bundled_minilm_path())
    model = build_student(bundled_minilm_path(), (0, 5))
    config = DistillConfig(layers="0,5", epochs=3, batch_size=16, lr=3e-4, valid_share=0.1)
    metrics = train_student(
        model, tokenizer, documents, teacher.embed(documents), config, progress=False
    )
    return model, tokenizer, metrics


@pytest.fixture(scope="module")
def cache(trained, tmp_path_factory):
    """A cache folder holding the trained student under the name ``test-student``."""
    root = tmp_path_factory.mktemp("student-cache")
    save_student(trained[0], root / "embedders" / "test-student", {"note": "test"})
    return root


def test_training_moves_held_out_vectors_toward_the_teacher(trained):
    model, _, metrics = trained
    assert model.config.num_hidden_layers == 2
    assert metrics["valid_texts"] == 24 and metrics["train_texts"] == 216
    assert metrics["valid_cosine_epoch3"] > metrics["valid_cosine_start"] + 0.01


def test_hard_negatives_are_the_teachers_best_wrong_documents():
    targets = np.eye(4, dtype=np.float32)
    queries = np.array([[0.9, 0.5, 0.1, 0.0], [0.0, 0.2, 0.3, 0.8]], np.float32)
    pairs = RankingPairs.mine(queries, [[0], [3, 2]], documents=[0, 1, 2, 3], targets=targets)
    assert pairs.negatives == [[1, 2, 3], [1, 0]]
    # only the listed documents are candidates, and indices stay text indices
    pairs = RankingPairs.mine(queries[:1], [[3]], documents=[1, 3], targets=targets, hard=5)
    assert pairs.negatives == [[1]] and len(pairs) == 1


def test_dialog_pairs_point_at_the_items_recommended_in_train_dialogs(odkg):
    import dataclasses

    turns = odkg.turns["train"][:200]
    queries, positives, dialogs = dialog_pairs(dataclasses.replace(odkg, turns={"train": turns}))
    assert 150 <= len(queries) == len(positives) == len(dialogs) <= 200
    assert len(set(dialogs)) < len(dialogs)  # several turns per dialog: held out together
    assert all(q.strip() for q in queries)
    items = list(odkg.catalog)
    recommended = {t for turn in turns for t in turn.targets}
    assert {items[j].id for row in positives for j in row} <= recommended
    # no dialogs, no pairs (Amazon has histories only)
    assert dialog_pairs(dataclasses.replace(odkg, turns={})) == ([], [], [])


def test_held_out_ranking_pairs_are_whole_dialogs():
    import random

    from crossrec.finetune.distill import _Ranking

    n = 40
    pairs = RankingPairs(
        np.zeros((n, 4), np.float32),
        [[i] for i in range(n)],
        [[] for _ in range(n)],
        np.arange(n),
        [f"dialog-{i // 4}" for i in range(n)],
    )
    config = DistillConfig(valid_share=0.1)
    ranking = _Ranking(pairs, held={0}, config=config, rng=random.Random(0))
    held_dialogs = {pairs.groups[i] for i in ranking.valid}
    assert len(ranking.valid) == 4 * len(held_dialogs) >= 4
    assert not held_dialogs & {pairs.groups[i] for i in ranking.train}
    assert 0 not in ranking.train  # its positive is a held-out text


def test_the_ranking_term_pulls_recommended_documents_toward_their_queries(teacher, documents):
    """Pairs the teacher gets wrong (each query is another document's text): with the ranking
    term, the student scores the pair's document higher than distillation alone does."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(bundled_minilm_path())
    targets = teacher.embed(documents)
    n = 60
    queries = targets[n : 2 * n]  # query n is document n + 60; its "recommended" item is n
    pairs = RankingPairs.mine(queries, [[i] for i in range(n)], list(range(n)), targets)
    scores = {}
    for weight in (0.0, 1.0):
        model = build_student(bundled_minilm_path(), (0, 5))
        config = DistillConfig(
            layers="0,5", epochs=2, batch_size=16, lr=3e-4, valid_share=0.1, rank_weight=weight
        )
        metrics = train_student(
            model, tokenizer, documents, targets, config, progress=False, pairs=pairs
        )
        got = student_vectors(model, tokenizer, documents[:n], 128)
        scores[weight] = float(np.mean((got * queries).sum(1)))
        assert ("train_pairs" in metrics) == (weight > 0)
    assert scores[1.0] > scores[0.0] + 0.05


def test_student_layers_must_be_teacher_layers_in_order():
    with pytest.raises(ValueError, match="increasing teacher layers"):
        build_student(bundled_minilm_path(), (5, 0))
    with pytest.raises(ValueError, match="at least one"):
        DistillConfig(layers="")


def test_saved_student_materialises_to_the_same_vectors(trained, documents, tmp_path):
    model, tokenizer, _ = trained
    saved = save_student(model, tmp_path / "student", {"note": "test"})
    assert (saved / "student.safetensors").stat().st_size < 8_000_000  # no word embeddings
    folder = materialise_student(saved, bundled_minilm_path(), tmp_path / "cache")
    assert materialise_student(saved, bundled_minilm_path(), tmp_path / "cache") == folder
    rebuilt = SentenceTransformerEmbedder(str(folder), max_seq_length=128).embed(documents[:40])
    direct = student_vectors(model, tokenizer, documents[:40], 128)
    assert float((rebuilt * direct).sum(1).min()) > 0.999  # fp16 storage only

    card = json.loads((saved / "card.json").read_text())
    card["word_embeddings_sha256"] = "0" * 16
    (saved / "card.json").write_text(json.dumps(card))
    with pytest.raises(ValueError, match="another teacher"):
        materialise_student(saved, bundled_minilm_path(), tmp_path / "other-cache")


def test_documents_go_through_the_student_and_queries_through_the_teacher(
    trained, teacher, tmp_path
):
    model, _, _ = trained
    saved = save_student(model, tmp_path / "student", {})
    student = SentenceTransformerEmbedder(
        str(materialise_student(saved, bundled_minilm_path(), tmp_path / "cache"))
    )
    split = DistilledEmbedder(student, teacher, name="test-student")
    texts = ["a haunted hotel in the mountains", "a boy wizard at school"]
    assert np.allclose(split.embed(texts), student.embed(texts), atol=1e-5)
    assert np.allclose(split.embed_query(texts[0]), teacher.embed_query(texts[0]), atol=1e-5)
    assert not np.allclose(split.embed(texts)[0], teacher.embed_query(texts[0]), atol=1e-3)
    assert split.fingerprint == f"{teacher.fingerprint}+docs:test-student"


def test_a_student_is_found_by_name_in_the_cache_or_by_folder(
    embedder, trained, teacher, documents, cache
):
    model, tokenizer, _ = trained
    by_name = load_embedder(EmbedderConfig(document_model="test-student"), cache_dir=cache)
    folder = student_path("test-student", cache)
    assert folder == cache / "embedders" / "test-student"
    by_folder = load_embedder(EmbedderConfig(document_model=str(folder)), cache_dir=cache)
    assert isinstance(by_name, DistilledEmbedder) and not isinstance(embedder, DistilledEmbedder)
    assert by_name.fingerprint == by_folder.fingerprint
    # the int8 student lands documents where the fp32 student puts them
    direct = student_vectors(model, tokenizer, documents, 128)
    assert float(np.mean((by_name.embed(documents) * direct).sum(1))) > 0.98
    query = "a scary novel set in a hotel"
    assert np.allclose(by_name.embed_query(query), embedder.embed_query(query), atol=1e-6)
    with pytest.raises(FileNotFoundError, match="make student"):
        load_embedder(EmbedderConfig(document_model="no-such-student"), cache_dir=cache)


def test_a_new_embedder_re_embeds_every_item(tmp_path, small_items, embedder, cache):
    from crossrec.retrieval.index.store import CatalogStore, StoreConfig, make_client

    client = make_client(StoreConfig(store=tmp_path / "chroma"))
    old, embedder = (
        embedder,
        load_embedder(EmbedderConfig(document_model="test-student"), cache_dir=cache),
    )
    assert old.fingerprint != embedder.fingerprint
    CatalogStore(client, old, "tiny").index(small_items, progress=False)
    with pytest.raises(ValueError, match="re-index with this one"):
        CatalogStore(client, embedder, "tiny").search("horror", k=2)
    store = CatalogStore(client, embedder, "tiny")
    assert CatalogStore(client, old, "tiny").up_to_date(6) and not store.up_to_date(6)
    summary = store.index(small_items, progress=False)
    assert store.up_to_date(6) and not store.up_to_date(7)
    assert (summary.added, summary.updated, summary.items) == (0, 6, 6)
    assert store.search("scary haunted hotel horror novel", k=1)[0].item_id == "b2"
    again = CatalogStore(client, embedder, "tiny").index(small_items, progress=False)
    assert (again.added, again.updated) == (0, 0)


def test_distill_embedder_command_saves_a_student_the_embedder_loads(
    tmp_path, odkg, data_dir, workdir, embedder
):
    catalog = tmp_path / "items.jsonl"
    rows = [
        {"id": i.id, "title": i.title, "domain": i.domain, "attributes": dict(i.attributes)}
        for i in list(odkg.catalog)[:40]
    ]
    catalog.write_text("".join(json.dumps(r) + "\n" for r in rows))
    env = crossrec_env(tmp_path / "store", data_dir, workdir)

    def crossrec(*args):
        done = run_crossrec(*args, env=env)
        assert done.returncode == 0, done.stderr[-2000:]

    crossrec("index", "--catalog", str(catalog), "--name", "distill-cli-test")
    crossrec(
        "distill-embedder",
        "--dataset",
        "distill-cli-test",
        "--layers",
        "0",
        "--epochs",
        "1",
        "--batch-size",
        "8",
        "--name",
        "distill-cli-student",
    )
    out = workdir / "embedders" / "distill-cli-student"  # the default output, under the cache
    card = json.loads((out / "card.json").read_text())
    assert card["data"] == {"distill-cli-test documents": 40}
    assert card["num_hidden_layers"] == 1 and card["config"]["layers"] == "0"
    assert "valid_cosine_epoch1" in card["metrics"] and "distill-embedder" in card["command"]
    config = EmbedderConfig(document_model="distill-cli-student")
    loaded = load_embedder(config, cache_dir=workdir)
    assert (
        isinstance(loaded, DistilledEmbedder) and "+docs:distill-cli-student-" in loaded.fingerprint
    )
    assert loaded.embed(["a film about space"]).shape == (1, 384)


def _byo_files(tmp_path):
    """A small brought catalog (books and films) and dialogs that ask for books."""
    items = [
        {
            "id": f"b{n}",
            "title": f"Space Saga Part {n}",
            "domain": "book",
            "attributes": {"writer": [f"Author {n % 3}"], "genre": ["science fiction"]},
        }
        for n in range(12)
    ] + [
        {
            "id": f"m{n}",
            "title": f"Laugh Out Loud {n}",
            "domain": "movie",
            "attributes": {"director": [f"Director {n % 2}"], "genre": ["comedy"]},
        }
        for n in range(12)
    ]
    turns = [
        {
            "context": [f"I loved Laugh Out Loud {n}. Any books?"],
            "rec": [f"Space Saga Part {n}"],
            "resp": f"Try Space Saga Part {n}.",
        }
        for n in range(4)
    ]
    catalog, dialogs = tmp_path / "items.jsonl", tmp_path / "turns.jsonl"
    catalog.write_text("".join(json.dumps(i) + "\n" for i in items))
    dialogs.write_text("".join(json.dumps(t) + "\n" for t in turns))
    return catalog, dialogs


def test_chat_and_eval_use_the_embedder_the_store_was_indexed_with(
    tmp_path, cache, tiny_model_dir, capsys
):
    """``--embed-document-model`` reaches every command: a store indexed with the student is
    searched with the student by ``crossrec chat`` and ``crossrec eval``, and without the option
    the fingerprint check says to re-index instead of mixing two vector spaces."""
    from crossrec.cli import main

    catalog, dialogs = _byo_files(tmp_path)
    where = ["--store", str(tmp_path / "store"), "--cache-dir", str(cache)]
    student = ["--embed-document-model", "test-student"]
    tiny = ["--model", str(tiny_model_dir), "--adapter", "none"]
    index = ["index", "--catalog", str(catalog), "--name", "student-byo", *where]
    assert main([*index, *student]) == 0
    out = tmp_path / "eval"
    evaluate = ["eval", "--catalog", str(catalog), "--dialogs", str(dialogs), "--name",
                "student-byo", "--split", "test", "--systems", "dense,full", "--out", str(out),
                *tiny, *where]  # fmt: skip
    assert main([*evaluate, *student]) == 0
    report = json.loads((out / "metrics.json").read_text())
    assert report["samples"] == 4 and report["systems"]["dense"]["valid_rate"] == 1.0
    capsys.readouterr()
    chat = ["chat", "--catalog", "student-byo", "--message", "I loved Laugh Out Loud 1. Any books?",
            "--session", "student", *tiny, *where]  # fmt: skip
    assert main([*chat, *student]) == 0
    assert "Space Saga Part" in capsys.readouterr().out
    assert main(chat) == 2  # the default embedder against the student's store
    assert "re-index" in capsys.readouterr().err
