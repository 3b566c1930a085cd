"""Hand-computed values for the justification text metrics."""

from __future__ import annotations

import math

import pytest
from crossrec.evaluation.textmetrics import (
    bleu,
    distinct_n,
    feature_matching_ratio,
    mean_rouge_l,
    rouge_l,
    tokenize,
    unique_sentence_ratio,
)

HYP = "The cat sat on the mat."
REF = "the cat is on the mat"


def test_tokenize_lowercases_and_drops_punctuation() -> None:
    assert tokenize("Don't STOP, me-now!") == ["don", "t", "stop", "me", "now"]
    assert tokenize("  ...  ") == []


def test_distinct_n_by_hand() -> None:
    texts = ["a b a b", "A, b!"]
    # Unigrams a b a b a b: 2 distinct of 6.
    assert distinct_n(texts, 1) == pytest.approx(2 / 6)
    # Bigrams (a b) (b a) (a b) + (a b): 2 distinct of 4; none crosses the two texts.
    assert distinct_n(texts, 2) == pytest.approx(2 / 4)


def test_distinct_n_without_ngrams_is_zero() -> None:
    assert distinct_n(["a", "b"], 2) == 0.0
    assert distinct_n([], 1) == 0.0
    with pytest.raises(ValueError, match="n must be >= 1"):
        distinct_n(["a"], 0)


def test_unique_sentence_ratio_normalises_case_and_punctuation() -> None:
    assert unique_sentence_ratio(["Great movie!", "great  movie", "Bad film."]) == pytest.approx(
        2 / 3
    )
    assert unique_sentence_ratio(["x", "y"]) == 1.0
    assert unique_sentence_ratio([]) == 0.0


def test_bleu_identical_texts_is_one() -> None:
    texts = [HYP, "a short one", "x"]
    assert bleu(texts, texts) == pytest.approx(1.0)


def test_bleu_partial_overlap_by_hand() -> None:
    # sacrebleu's corpus BLEU: 1-grams 5/6, 2-grams 3/5, 3-grams 1/4; 4-grams 0/3 smoothed
    # exponentially to 1/(2*3). Equal lengths, so no brevity penalty.
    hyp, ref = "the cat sat on the mat", "the cat is on the mat"
    assert bleu([hyp], [ref]) == pytest.approx((5 / 6 * 3 / 5 * 1 / 4 * 1 / 6) ** 0.25)
    assert bleu([hyp], [ref], max_n=1) == pytest.approx(5 / 6)


def test_bleu_brevity_penalty_and_case() -> None:
    # every n-gram matches; c=6 words, r=7: the score is the brevity penalty exp(1 - r/c)
    hyp = "the cat sat on the mat"
    assert bleu([hyp], [hyp + " today"]) == pytest.approx(math.exp(1 - 7 / 6))
    # sacrebleu is case-sensitive, as papers report it: "The" is not "the"
    assert bleu(["The cat"], ["the cat"]) < bleu(["the cat"], ["the cat"])


def test_bleu_pools_counts_over_the_corpus() -> None:
    # 1-grams 3/5, 2-grams 2/3 pooled; a mean of sentence scores would give (1 + 0) / 2.
    score = bleu(["a b c", "d e"], ["a b c", "f g"], max_n=2)
    assert score == pytest.approx(math.sqrt(3 / 5 * 2 / 3))


def test_bleu_clips_repeated_words() -> None:
    # "the the the" has 3 unigrams but the reference allows "the" once.
    assert bleu(["the the the"], ["the cat sat"], max_n=1) == pytest.approx(1 / 3)


def test_bleu_degenerate_inputs() -> None:
    assert bleu(["dog"], ["cat"]) == 0.0
    assert bleu([""], ["cat"]) == 0.0
    assert bleu([], []) == 0.0
    with pytest.raises(ValueError, match="pair up one to one"):
        bleu(["a"], ["a", "b"])
    with pytest.raises(ValueError, match="max_n"):
        bleu(["a"], ["a"], max_n=0)


def test_rouge_l_by_hand() -> None:
    # LCS "the cat on the mat" = 5 of 6 tokens on both sides.
    assert rouge_l(HYP, REF) == pytest.approx(5 / 6)
    # LCS "a c" = 2; P = 2/4, R = 2/3, F1 = 4/7.
    assert rouge_l("a b c d", "a c e") == pytest.approx(4 / 7)
    # Order matters: LCS of "b a" and "a b" is 1.
    assert rouge_l("b a", "a b") == pytest.approx(0.5)


def test_rouge_l_edge_cases() -> None:
    assert rouge_l("Same text!", "same text") == 1.0
    assert rouge_l("dog", "cat") == 0.0
    assert rouge_l("", "cat") == 0.0
    assert rouge_l("cat", "") == 0.0


def test_mean_rouge_l() -> None:
    score = mean_rouge_l([HYP, "a b c d"], [REF, "a c e"])
    assert score == pytest.approx((5 / 6 + 4 / 7) / 2)
    assert mean_rouge_l([], []) == 0.0
    with pytest.raises(ValueError, match="pair up one to one"):
        mean_rouge_l(["a"], [])


def test_feature_matching_ratio_respects_word_boundaries() -> None:
    texts = [
        "A great Rock album.",
        "Rocket science for kids.",  # neither "rock" nor "science fiction" as whole words
        "Hardrock anthems",
        "Starring Tom Hanks!",
        "Learn C++ quickly",
    ]
    features = [["rock"], ["rock", "science fiction"], ["rock"], {" tom hanks "}, ("c++", "")]
    assert feature_matching_ratio(texts, features) == pytest.approx(3 / 5)


def test_feature_matching_ratio_uses_each_texts_own_features() -> None:
    assert feature_matching_ratio(["about jazz", "about rock"], [["rock"], ["jazz"]]) == 0.0
    assert feature_matching_ratio(["about jazz"], [[]]) == 0.0
    assert feature_matching_ratio(["about jazz"], [[""]]) == 0.0
    assert feature_matching_ratio([], []) == 0.0


def test_feature_matching_ratio_errors() -> None:
    with pytest.raises(ValueError, match="pair up one to one"):
        feature_matching_ratio(["a"], [])
    with pytest.raises(TypeError, match="not a string"):
        feature_matching_ratio(["rock"], ["rock"])
