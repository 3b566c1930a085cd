"""The learned ranking stage: cross-fitted rows, LightGBM training, the agent's ordering."""

from __future__ import annotations

import numpy as np
import pytest
from crossrec.agent.ranking import LearnedRanking, make_ranking
from crossrec.finetune.ltr import (
    RankerConfig,
    RankingRows,
    build_rows,
    fused_scores,
    load_ranker,
    recall_at,
    train_ranker,
)
from crossrec.retrieval.features import FEATURES, Signals


@pytest.fixture(scope="module")
def rows(odkg_retrieval):
    config = RankerConfig(train_rows=120, valid_rows=40, rounds=20, min_data_in_leaf=5)
    before = odkg_retrieval.cooccurrence.pair_count()
    crossfit = build_rows(odkg_retrieval, "train", config, cross_fit=True)
    # the collaborative models are refit on the whole train split afterwards
    assert odkg_retrieval.cooccurrence.pair_count() == before
    leaky = build_rows(odkg_retrieval, "train", config, cross_fit=False)
    valid = build_rows(odkg_retrieval, "valid", config, cross_fit=False)
    return config, crossfit, leaky, valid


def test_rows_are_groups_of_labelled_candidates(rows):
    _, train, _, valid = rows
    for r in (train, valid):
        assert r.features.shape == (sum(r.groups), len(FEATURES))
        assert set(np.unique(r.labels)) <= {0.0, 1.0}
        assert len(r.groups) <= r.rows and r.labels.sum() >= len(r.groups) * 0.5


def test_cross_fitting_keeps_a_rows_own_target_out_of_its_features(rows):
    """Fit on every train dialog, co-occurrence 'knows' each target; cross-fitted, it cannot."""
    _, crossfit, leaky, _ = rows
    column = FEATURES.index("cooccurrence_max")

    def positives(r):
        return r.features[r.labels == 1, column].mean()

    assert positives(crossfit) < 0.5 * positives(leaky)


def test_trained_ranker_beats_chance_and_round_trips(rows, tmp_path):
    config, train, _, valid = rows
    booster = train_ranker(train, valid, config)
    learned = recall_at(booster.predict(valid.features), valid)
    fused = recall_at(fused_scores(valid), valid)
    shuffled = recall_at(np.random.default_rng(0).random(len(valid.labels)), valid)
    assert learned["recall@10"] > shuffled["recall@10"]
    assert fused["recall@10"] > shuffled["recall@10"]
    path = tmp_path / "rankers" / "mine.txt"
    path.parent.mkdir()
    booster.save_model(str(path))
    again = load_ranker("mine", tmp_path)
    assert np.allclose(again.predict(valid.features), booster.predict(valid.features))
    saved = tmp_path / "rows.npz"
    valid.save(saved)
    loaded = RankingRows.load(saved)
    assert loaded.groups == valid.groups and np.array_equal(loaded.features, valid.features)


def test_learned_order_keeps_the_wish_and_echo_rules(rows):
    config, train, _, _ = rows
    stage = LearnedRanking(train_ranker(train, None, config))
    features = np.zeros((3, len(FEATURES)), np.float32)
    features[:, FEATURES.index("fused_rank")] = [0, 1, 2]
    sig = [Signals(echo=True), Signals(), Signals(fits_wish=True)]
    assert stage.order(["echo", "plain", "fits"], features, sig, wish=False)[-1] == "echo"
    assert stage.order(["echo", "plain", "fits"], features, sig, wish=True)[0] == "fits"


def test_shipped_rankers_load_and_any_catalog_gets_one():
    assert isinstance(make_ranking("learned", "opendialkg"), LearnedRanking)
    # a brought catalog without its own ranker uses the shipped generic one
    assert isinstance(make_ranking("learned", "my-own-catalog"), LearnedRanking)


def test_a_brought_catalog_trains_its_own_ranker_on_its_own_logs(tmp_path, workdir, embedder):
    """Histories only: a tenth of the users is held out to validate; the agent then loads the
    catalog's own ranker from the cache instead of the generic one."""
    import json

    from crossrec.cli import main

    words = [
        "amber",
        "basil",
        "cedar",
        "delta",
        "ember",
        "fjord",
        "garnet",
        "harbor",
        "indigo",
        "juniper",
    ]
    items = [{"id": f"m{n}", "title": f"{w} film", "domain": "movie"} for n, w in enumerate(words)]
    items += [{"id": f"b{n}", "title": f"{w} tale", "domain": "book"} for n, w in enumerate(words)]
    (tmp_path / "items.jsonl").write_text("\n".join(json.dumps(i) for i in items) + "\n")
    users = [
        {"user_id": f"u{n}-{r}", "items": [f"m{n}", f"m{(n + 3) % 10}", f"b{(n + 5) % 10}"]}
        for n in range(10)
        for r in range(12)
    ]
    (tmp_path / "users.jsonl").write_text("\n".join(json.dumps(u) for u in users) + "\n")
    where = ["--cache-dir", str(workdir), "--store", str(workdir / "store")]
    files = ["--catalog", str(tmp_path / "items.jsonl"), "--train-histories"]
    assert main(["index", *where, *files, str(tmp_path / "users.jsonl"), "--name", "byo-rank"]) == 0
    assert main(["train-ranker", *where, "--dataset", "byo-rank"]) == 0
    out = workdir / "rankers" / "byo-rank.txt"  # where the agent looks first
    report = json.loads(out.with_suffix(".json").read_text())["datasets"]["byo-rank"]
    assert report["valid_rows"] == 12  # one user in ten, whole
    # the book after m<n> is b<n+5>, with no words shared: only the logs can teach it
    assert report["learned"]["recall@1"] == 1.0
    import lightgbm as lgb

    trained = lgb.Booster(model_file=str(out)).model_to_string()
    assert load_ranker("byo-rank", workdir).model_to_string() == trained
    assert load_ranker("other-catalog", workdir).model_to_string() != trained  # generic
