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
