"""SASRec on a tiny synthetic catalogue whose next item is always ``(item + 1) % 20``."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import torch
from crossrec.evaluation.sasrec import SASRec, SASRecConfig, SASRecRecommender

NUM_ITEMS = 20


def cycle(start: int, length: int) -> list[int]:
    """``start, start + 1, ...`` modulo the catalogue size."""
    return [(start + i) % NUM_ITEMS for i in range(length)]


def tiny_config(**changes: object) -> SASRecConfig:
    settings: dict[str, object] = dict(
        hidden=32, layers=1, heads=2, max_len=10, dropout=0.1, epochs=25, batch_size=32, lr=5e-3
    )
    settings.update(changes)
    return SASRecConfig(**settings)  # type: ignore[arg-type]


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    """Keep these small models on one CPU thread (faster for them, kinder to the machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def trained() -> SASRecRecommender:
    sequences = [cycle(start, 12) for start in range(NUM_ITEMS)] * 3
    recommender = SASRecRecommender(NUM_ITEMS, tiny_config())
    stats = recommender.fit(sequences)
    assert len(stats["loss"]) == 25
    assert stats["loss"][-1] < stats["loss"][0]
    return recommender


def test_learns_the_next_item(trained: SASRecRecommender) -> None:
    hits = total = 0
    for start in range(NUM_ITEMS):
        for length in (1, 2, 5, 9, 14):  # 14 > max_len: only the last 10 are read
            scores = trained.scores(cycle(start, length))
            assert scores.shape == (NUM_ITEMS,)
            assert np.all(np.isfinite(scores))
            top3 = np.argsort(-scores)[:3]
            hits += int((start + length) % NUM_ITEMS in top3)
            total += 1
    assert hits / total >= 0.8


def test_long_history_keeps_the_most_recent_items(trained: SASRecRecommender) -> None:
    history = [3, 17, 8, 1, 12, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    np.testing.assert_array_equal(trained.scores(history), trained.scores(history[-10:]))
    assert not np.allclose(trained.scores(history), trained.scores(history[:10]))


def test_batch_scores_do_not_depend_on_padding(trained: SASRecRecommender) -> None:
    histories = [[4], cycle(2, 7), cycle(9, 14)]
    batch = trained.batch_scores(histories)
    assert batch.shape == (3, NUM_ITEMS)
    for row, history in zip(batch, histories, strict=True):
        np.testing.assert_allclose(row, trained.scores(history), rtol=1e-5, atol=1e-5)


def test_save_load_round_trip(trained: SASRecRecommender, tmp_path) -> None:
    path = tmp_path / "nested" / "sasrec.pt"
    trained.save(path)
    # Loading into a recommender built with default settings takes the saved ones.
    into = SASRecRecommender(NUM_ITEMS)
    assert into.load(path) is into
    loaded = SASRecRecommender.from_file(path)
    for other in (into, loaded):
        assert other.config == trained.config
        assert other.num_items == NUM_ITEMS
        for history in ([0], cycle(5, 6), cycle(11, 13)):
            np.testing.assert_array_equal(other.scores(history), trained.scores(history))
    with pytest.raises(ValueError, match="trained on 20 items"):
        SASRecRecommender(NUM_ITEMS + 1).load(path)


def test_model_is_causal() -> None:
    torch.manual_seed(0)
    model = SASRec(NUM_ITEMS, tiny_config(dropout=0.0)).eval()
    first = torch.tensor([[1, 2, 3, 4, 5, 0, 0]])
    changed = torch.tensor([[1, 2, 3, 9, 7, 6, 0]])  # differs from position 3 on
    with torch.no_grad():
        a, b = model(first), model(changed)
    torch.testing.assert_close(a[:, :3], b[:, :3])
    assert not torch.allclose(a[:, 3], b[:, 3])


def test_fit_is_deterministic_and_restores_the_global_rng() -> None:
    sequences = [cycle(start, 30) for start in range(0, NUM_ITEMS, 4)]
    state = torch.random.get_rng_state()
    runs = []
    for chunk in (4096, 7):  # 7 forces the chunked, recomputed cross-entropy path
        recommender = SASRecRecommender(NUM_ITEMS, tiny_config(epochs=2, logit_chunk=chunk))
        runs.append((recommender.fit(sequences), recommender))
    assert torch.equal(torch.random.get_rng_state(), state)
    (stats_a, rec_a), (stats_b, rec_b) = runs
    np.testing.assert_allclose(stats_a["loss"], stats_b["loss"], rtol=1e-5)
    np.testing.assert_allclose(rec_a.scores([1, 2]), rec_b.scores([1, 2]), rtol=1e-4, atol=1e-5)
    again = SASRecRecommender(NUM_ITEMS, tiny_config(epochs=2))
    assert again.fit(sequences)["loss"] == stats_a["loss"]
    # Five sequences of 30 items, cut into windows of at most 11: 29 transitions each.
    assert stats_a["transitions"] == 5 * 29
    assert stats_a["windows"] == 5 * 3


def test_fit_skips_short_sequences_and_rejects_bad_items() -> None:
    recommender = SASRecRecommender(NUM_ITEMS, tiny_config(epochs=1))
    assert recommender.fit([[1], [], [2, 3]])["transitions"] == 1
    with pytest.raises(ValueError, match="nothing to train on"):
        recommender.fit([[1], []])
    with pytest.raises(ValueError, match=r"sequence 1 has item 20 outside 0\.\.19"):
        recommender.fit([[1, 2], [3, 20]])
    with pytest.raises(ValueError, match="history 0 is empty"):
        recommender.scores([])
    with pytest.raises(ValueError, match="item -1"):
        recommender.scores([-1])


def test_scores_before_fit_raise() -> None:
    with pytest.raises(RuntimeError, match="not trained"):
        SASRecRecommender(NUM_ITEMS).scores([1])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hidden": 30, "heads": 4}, "must divide"),
        ({"dropout": 1.0}, "dropout"),
        ({"layers": 0}, "layers"),
        ({"lr": 0.0}, "lr"),
        ({"device": "gpu9"}, "not a torch device"),
    ],
)
def test_config_validation(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SASRecConfig(**changes)  # type: ignore[arg-type]


def test_config_round_trips_through_a_dict() -> None:
    config = tiny_config(seed=7)
    assert SASRecConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="unknown SASRecConfig keys"):
        SASRecConfig.from_dict({"hiden": 8})


def test_early_stopping_keeps_the_best_validation_epoch() -> None:
    sequences = [cycle(start, 12) for start in range(NUM_ITEMS)]
    valid = [(cycle(start, 5), (start + 5) % NUM_ITEMS) for start in range(NUM_ITEMS)]
    recommender = SASRecRecommender(NUM_ITEMS, tiny_config(epochs=60, patience=2))
    stats = recommender.fit(sequences, valid=valid)
    curve = stats["valid_recall@10"]
    assert len(curve) == len(stats["loss"]) < 60  # stopped before the last epoch
    best = stats["best_epoch"]
    assert curve[best - 1] == max(curve) and len(curve) - best == 2  # patience 2 after it
    assert recommender._recall_at_10(valid) == curve[best - 1]  # the best epoch's weights
    assert SASRecRecommender(NUM_ITEMS, tiny_config(epochs=2)).fit(sequences).keys() == {
        "loss",
        "seconds",
        "windows",
        "transitions",
    }


def test_the_harness_sasrec_early_stops_and_caches_by_config_data_and_code(tmp_path) -> None:
    from crossrec.evaluation.run import _sasrec
    from crossrec.evaluation.systems import SASRecSystem
    from crossrec.retrieval import build_retrieval
    from crossrec.retrieval.datasets.schema import Catalog, Dataset, History, Item

    items = [Item(f"i{n}", ("arts", "office")[n % 2], f"item {n}") for n in range(NUM_ITEMS)]
    train = [History(f"u{s}", tuple(f"i{n}" for n in cycle(s, 8))) for s in range(NUM_ITEMS)]
    valid = [
        History(f"v{s}", tuple(f"i{n}" for n in cycle(s, 4)), f"i{(s + 4) % 20}") for s in range(6)
    ]
    dataset = Dataset("toy", Catalog("toy", items), histories={"train": train, "valid": valid})
    retrieval = build_retrieval(dataset, None)
    model = _sasrec(retrieval, tmp_path, seed=0, epochs=40)
    (saved,) = (tmp_path / "sasrec").glob("toy-*.pt")
    assert model.training["best_epoch"] <= len(model.training["valid_recall@10"]) <= 40
    # read back, not retrained: same file, same training record
    again = _sasrec(retrieval, tmp_path, seed=0, epochs=40)
    assert again.training == model.training and len(list(saved.parent.glob("*.pt"))) == 1
    # another config (or other data) is another model, never the stale one
    _sasrec(retrieval, tmp_path, seed=1, epochs=40)
    assert len(list(saved.parent.glob("*.pt"))) == 2
    fewer = Dataset("toy", dataset.catalog, histories={"train": train[1:], "valid": valid})
    _sasrec(build_retrieval(fewer, None), tmp_path, seed=0, epochs=40)
    assert len(list(saved.parent.glob("*.pt"))) == 3
    from crossrec.evaluation.samples import Sample

    sample = Sample("v0", valid[0].target, "office", history=valid[0].items, domain="office")
    ranked = SASRecSystem(model, retrieval).rank(sample, 5)
    assert ranked and all(dataset.catalog[i].domain == "office" for i in ranked)
