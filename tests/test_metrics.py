"""Hand-computed values for the ranking metrics."""

from __future__ import annotations

import math

import pytest
from crossrec.evaluation.metrics import (
    aggregate,
    hit_rank,
    latency_summary,
    mrr,
    ndcg_at_k,
    recall_at_k,
)


def test_recall_single_target_counts_only_the_first_k() -> None:
    ranked = ["a", "b", "c"]
    assert recall_at_k(ranked, {"c"}, 2) == 0.0
    assert recall_at_k(ranked, {"c"}, 3) == 1.0
    assert recall_at_k(ranked, {"c"}, 50) == 1.0  # k beyond the list


def test_recall_multiple_targets_is_a_fraction() -> None:
    ranked = ["a", "b", "c", "d"]
    assert recall_at_k(ranked, ["b", "d", "x"], 2) == pytest.approx(1 / 3)
    assert recall_at_k(ranked, ["b", "d", "x"], 4) == pytest.approx(2 / 3)


def test_duplicates_are_dropped_before_cutting_at_k() -> None:
    # Distinct order is a, b, c: the target is third although it is fourth in the raw list.
    ranked = ["a", "a", "b", "c"]
    assert hit_rank(ranked, {"c"}) == 3
    assert recall_at_k(ranked, {"c"}, 3) == 1.0
    assert ndcg_at_k(ranked, {"c"}, 3) == pytest.approx(0.5)
    assert mrr(ranked, {"c"}) == pytest.approx(1 / 3)


def test_a_repeated_target_counts_once() -> None:
    ranked = ["c", "x", "c"]
    assert recall_at_k(ranked, {"c", "y"}, 3) == pytest.approx(0.5)
    assert ndcg_at_k(ranked, {"c"}, 3) == pytest.approx(1.0)


def test_duplicate_targets_are_one_target() -> None:
    assert recall_at_k(["a", "b"], ["b", "b"], 2) == 1.0


def test_empty_ranked_scores_zero() -> None:
    assert recall_at_k([], {"a"}, 10) == 0.0
    assert ndcg_at_k([], {"a"}, 10) == 0.0
    assert mrr([], {"a"}) == 0.0
    assert hit_rank([], {"a"}) is None


@pytest.mark.parametrize(
    "call",
    [
        lambda: recall_at_k(["a"], set(), 1),
        lambda: ndcg_at_k(["a"], [], 1),
        lambda: mrr(["a"], ()),
        lambda: hit_rank(["a"], []),
    ],
)
def test_empty_targets_raise(call) -> None:
    with pytest.raises(ValueError, match="targets is empty"):
        call()


@pytest.mark.parametrize("k", [0, -1, 1.5, True])
def test_bad_k_raises(k) -> None:
    with pytest.raises(ValueError, match="k must be an integer"):
        recall_at_k(["a"], {"a"}, k)
    with pytest.raises(ValueError, match="k must be an integer"):
        ndcg_at_k(["a"], {"a"}, k)


def test_ndcg_single_target_by_rank() -> None:
    ranked = [10, 20, 30, 40]
    assert ndcg_at_k(ranked, {10}, 10) == pytest.approx(1.0)
    assert ndcg_at_k(ranked, {20}, 10) == pytest.approx(1 / math.log2(3))  # 0.6309
    assert ndcg_at_k(ranked, {30}, 10) == pytest.approx(0.5)  # 1 / log2(4)
    assert ndcg_at_k(ranked, {30}, 2) == 0.0


def test_ndcg_multiple_targets_uses_the_ideal_over_all_targets() -> None:
    # Targets at ranks 1 and 3: DCG = 1 + 1/2; ideal puts them at ranks 1 and 2.
    expected = 1.5 / (1 + 1 / math.log2(3))
    assert ndcg_at_k(["a", "x", "b", "y"], {"a", "b"}, 10) == pytest.approx(expected)
    assert expected == pytest.approx(0.919721, abs=1e-6)


def test_ndcg_ideal_is_capped_at_k() -> None:
    # Three targets but k=2: the ideal has two hits, DCG has one at rank 1.
    expected = 1 / (1 + 1 / math.log2(3))
    assert ndcg_at_k(["a", "x"], {"a", "b", "c"}, 2) == pytest.approx(expected)
    assert ndcg_at_k(["a", "b", "c"], {"a", "b", "c"}, 2) == pytest.approx(1.0)


def test_mrr_and_cutoff() -> None:
    ranked = ["a", "b", "c", "d"]
    assert mrr(ranked, {"d"}) == pytest.approx(0.25)
    assert mrr(ranked, {"d"}, cutoff=4) == pytest.approx(0.25)
    assert mrr(ranked, {"d"}, cutoff=3) == 0.0
    assert mrr(ranked, {"z"}) == 0.0
    assert mrr(ranked, {"d", "b"}) == pytest.approx(0.5)  # first of several targets
    with pytest.raises(ValueError, match="cutoff"):
        mrr(ranked, {"d"}, cutoff=0)


def test_hit_rank_works_with_integer_ids() -> None:
    assert hit_rank([5, 3, 9], [9]) == 3
    assert hit_rank([5, 3, 9], [1]) is None


def test_aggregate_means_over_samples() -> None:
    samples = [
        (["a", "b", "c"], {"b"}),  # hit at rank 2
        (["x", "y"], {"z"}),  # miss
    ]
    result = aggregate(samples)
    assert set(result) == {"recall@1", "recall@5", "recall@10", "recall@50", "ndcg@10", "mrr", "n"}
    assert result["recall@1"] == 0.0
    assert result["recall@5"] == pytest.approx(0.5)
    assert result["recall@10"] == pytest.approx(0.5)
    assert result["recall@50"] == pytest.approx(0.5)
    assert result["ndcg@10"] == pytest.approx(0.5 / math.log2(3))  # 0.3155
    assert result["mrr"] == pytest.approx(0.25)
    assert result["n"] == 2


def test_aggregate_custom_cutoffs_and_generator_input() -> None:
    samples = ((["a", "b", "c", "d"], [t]) for t in ("a", "d"))
    result = aggregate(samples, ks=(3,), ndcg_ks=(1, 4), mrr_cutoff=3)
    assert set(result) == {"recall@3", "ndcg@1", "ndcg@4", "mrr", "n"}
    assert result["recall@3"] == pytest.approx(0.5)
    assert result["ndcg@1"] == pytest.approx(0.5)
    assert result["ndcg@4"] == pytest.approx((1 + 1 / math.log2(5)) / 2)
    assert result["mrr"] == pytest.approx(0.5)  # rank 4 is beyond the cutoff


def test_aggregate_rejects_no_samples() -> None:
    with pytest.raises(ValueError, match="no samples"):
        aggregate([])


def test_latency_summary_uses_linear_interpolation() -> None:
    result = latency_summary([4.0, 1.0, 3.0, 2.0])
    assert result["p50"] == pytest.approx(2.5)
    assert result["p95"] == pytest.approx(1 + 0.95 * 3)  # 3.85
    assert result["mean"] == pytest.approx(2.5)
    assert result["n"] == 4


def test_latency_summary_single_value_and_errors() -> None:
    assert latency_summary([0.2]) == {"p50": 0.2, "p95": 0.2, "mean": 0.2, "n": 1}
    with pytest.raises(ValueError, match="no latencies"):
        latency_summary([])
    with pytest.raises(ValueError, match="-1.0"):
        latency_summary([0.1, -1.0])
    with pytest.raises(ValueError, match="nan"):
        latency_summary([float("nan")])


def test_bootstrap_interval_covers_the_mean_and_narrows_with_more_samples():
    from crossrec.evaluation.metrics import interval

    few = [1.0, 0.0] * 10
    many = [1.0, 0.0] * 500
    low, high = interval(few)
    assert low < 0.5 < high and high - low > 0.3  # 20 coin flips say little
    low2, high2 = interval(many)
    assert low2 < 0.5 < high2 and high2 - low2 < 0.08  # 1,000 say more
    assert interval([0.0] * 5) == [0.0, 0.0]
    assert interval(few, seed=3) == interval(few, seed=3)  # seeded
    with pytest.raises(ValueError):
        interval([])


def test_paired_test_tells_a_real_gain_from_noise():
    from crossrec.evaluation.metrics import paired_test

    base = [0.0, 1.0] * 100
    better = [1.0] * 200  # wins 100 samples, loses none
    gain = paired_test(better, base)
    assert gain["difference"] == 0.5 and gain["p_value"] < 0.01
    assert 0.4 < gain["ci95"][0] < gain["ci95"][1] <= 0.6
    shuffled = [1.0, 0.0] * 100  # the same rate, other samples: no systematic difference
    noise = paired_test(shuffled, base)
    assert noise["difference"] == 0.0 and noise["p_value"] > 0.5
    assert paired_test(base, base)["p_value"] == 1.0
    with pytest.raises(ValueError):
        paired_test([1.0], [1.0, 0.0])


def test_beyond_accuracy_hand_computed() -> None:
    import math

    from crossrec.evaluation.beyond import beyond_accuracy
    from crossrec.retrieval.datasets.schema import Catalog, Item
    from crossrec.retrieval.graph import KnowledgeGraph
    from crossrec.retrieval.itemspace import ItemSpace
    from crossrec.retrieval.sources.cooccur import Popularity

    catalog = Catalog(
        "toy",
        [
            Item("a", "book", "A", attributes={"writer": ("W",), "genre": ("G",)}),
            Item("b", "book", "B", attributes={"writer": ("W",), "genre": ("G",)}),
            Item("c", "book", "C", attributes={"writer": ("V",), "genre": ("G",)}),
            Item("d", "book", "D"),
        ],
    )
    space = ItemSpace(catalog)
    graph = KnowledgeGraph(space, max_share=1.0)
    popularity = Popularity(space).fit([("a", "b"), ("a",), ("a", "c")])  # a 3, b 1, c 1, d 0
    same = beyond_accuracy([["a", "b"]], catalog, graph, popularity)
    assert same["intra_list_diversity"] == 0.0  # the same writer and genre
    mixed = beyond_accuracy([["a", "c", "zzz"], ["d"]], catalog, graph, popularity)
    # a-c share G of {W, V, G}: distance 2/3; a one-item list has no pair: 0
    assert math.isclose(mixed["intra_list_diversity"], (2 / 3 + 0.0) / 2)
    assert mixed["coverage"] == 3 / 4  # "zzz" is no catalog item
    total = 5 + 4  # interactions + one per item (add-one)
    expected = -(math.log2(4 / total) + math.log2(2 / total) + math.log2(1 / total)) / 3
    assert math.isclose(mixed["novelty"], expected)
    assert mixed["novelty"] > same["novelty"]  # the unseen item is the most novel
