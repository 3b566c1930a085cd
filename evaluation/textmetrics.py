"""Metrics for generated justifications.

BLEU is ``sacrebleu``'s and ROUGE-L is ``rouge-score``'s, so the figures match what papers
report (the swap from hand-written code is measured in DEVELOPERS.md). The diversity metrics
tokenise by lower-casing and taking the ``\\w+`` runs, so punctuation is ignored. Corpus-level
functions return 0.0 for an empty corpus and raise ``ValueError`` when paired lists differ
in length.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache

__all__ = [
    "bleu",
    "distinct_n",
    "feature_matching_ratio",
    "mean_rouge_l",
    "rouge_l",
    "tokenize",
    "unique_sentence_ratio",
]

_WORD = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """Lower-cased ``\\w+`` word tokens of ``text``."""
    return _WORD.findall(text.lower())


def _ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def _check_pairs(left: Sequence[object], right: Sequence[object], names: tuple[str, str]) -> None:
    if len(left) != len(right):
        raise ValueError(
            f"got {len(left)} {names[0]} but {len(right)} {names[1]}; they must pair up one to one"
        )


def distinct_n(texts: Iterable[str], n: int) -> float:
    """Distinct n-grams over total n-grams across all texts (n-grams never cross texts).

    Returns 0.0 when the texts hold no n-gram.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    counts: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        counts.update(_ngrams(tokenize(text), n))
    total = sum(counts.values())
    return len(counts) / total if total else 0.0


def unique_sentence_ratio(texts: Sequence[str]) -> float:
    """Distinct texts over the number of texts, after tokenising (case, punctuation ignored).

    Returns 0.0 for no texts.
    """
    if not texts:
        return 0.0
    return len({tuple(tokenize(text)) for text in texts}) / len(texts)


def bleu(hypotheses: Sequence[str], references: Sequence[str], max_n: int = 4) -> float:
    """Corpus BLEU in [0, 1], as ``sacrebleu`` computes it (13a tokens, exponential smoothing),
    one reference per hypothesis, so the figure matches what papers report.

    Returns 0.0 for an empty corpus or an empty hypothesis side.
    """
    import sacrebleu

    if max_n < 1:
        raise ValueError(f"max_n must be >= 1, got {max_n}")
    _check_pairs(hypotheses, references, ("hypotheses", "references"))
    if not any(h.strip() for h in hypotheses):
        return 0.0
    metric = sacrebleu.metrics.BLEU(max_ngram_order=max_n, effective_order=True)
    return metric.corpus_score(list(hypotheses), [list(references)]).score / 100


@cache
def _rouge():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"])


def rouge_l(hypothesis: str, reference: str) -> float:
    """ROUGE-L F1 (longest common subsequence), as Google's ``rouge-score`` computes it."""
    return float(_rouge().score(reference, hypothesis)["rougeL"].fmeasure)


def mean_rouge_l(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Mean sentence-level ROUGE-L F1 over paired texts; 0.0 for no pairs."""
    _check_pairs(hypotheses, references, ("hypotheses", "references"))
    if not hypotheses:
        return 0.0
    pairs = zip(hypotheses, references, strict=True)
    return sum(rouge_l(h, r) for h, r in pairs) / len(hypotheses)


def _mentions(text: str, feature: str) -> bool:
    """Whether ``feature`` occurs in ``text``, case-insensitively, not inside a longer word."""
    pattern = r"(?<!\w)" + re.escape(feature.lower()) + r"(?!\w)"
    return re.search(pattern, text.lower()) is not None


def feature_matching_ratio(texts: Sequence[str], feature_sets: Sequence[Iterable[str]]) -> float:
    """Share of texts that mention at least one feature value of their own item.

    A mention is a case-insensitive substring match that neither starts nor ends inside a
    word (``"rock"`` matches ``"Rock music"`` and ``"rock."`` but not ``"rocket"``);
    surrounding whitespace of a feature is ignored and blank features never match.

    Args:
        texts: One justification per recommended item.
        feature_sets: For each text, its item's feature values (genre, actor, brand...).

    Returns:
        The share in [0, 1]; 0.0 for no texts.
    """
    _check_pairs(texts, feature_sets, ("texts", "feature sets"))
    if not texts:
        return 0.0
    hits = 0
    for text, features in zip(texts, feature_sets, strict=True):
        if isinstance(features, str):
            raise TypeError(
                f"feature set must be an iterable of strings, not a string: {features!r}"
            )
        if any(f.strip() and _mentions(text, f.strip()) for f in features):
            hits += 1
    return hits / len(texts)
