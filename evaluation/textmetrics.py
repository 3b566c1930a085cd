"""Metrics for generated justifications, with no dependency beyond the standard library.

Text is tokenised by lower-casing and taking the ``\\w+`` runs, so punctuation is ignored
and ``"Don't"`` becomes ``["don", "t"]``. Corpus-level functions return 0.0 for an empty
corpus and raise ``ValueError`` when paired lists differ in length.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

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
    """Corpus BLEU (uniform weights, one reference per hypothesis) in [0, 1].

    Clipped n-gram matches and hypothesis n-gram counts are summed over the corpus. Unigram
    precision is unsmoothed; for ``n > 1`` one is added to both the match count and the
    total ("smoothing 2" of Lin & Och 2004, method 2 of Chen & Cherry 2014), so a missing
    higher-order match lowers the score without zeroing it. The brevity penalty is
    ``exp(1 - r / c)`` when the total hypothesis length ``c`` is at most the total
    reference length ``r``, else 1.

    Returns:
        The score; 0.0 for an empty corpus, an empty hypothesis side, or no unigram match.
    """
    if max_n < 1:
        raise ValueError(f"max_n must be >= 1, got {max_n}")
    _check_pairs(hypotheses, references, ("hypotheses", "references"))
    matches = [0] * max_n
    totals = [0] * max_n
    hyp_len = ref_len = 0
    for hypothesis, reference in zip(hypotheses, references, strict=True):
        hyp, ref = tokenize(hypothesis), tokenize(reference)
        hyp_len += len(hyp)
        ref_len += len(ref)
        for n in range(1, max_n + 1):
            hyp_counts = Counter(_ngrams(hyp, n))
            ref_counts = Counter(_ngrams(ref, n))
            matches[n - 1] += sum(min(c, ref_counts[g]) for g, c in hyp_counts.items())
            totals[n - 1] += sum(hyp_counts.values())
    if hyp_len == 0 or matches[0] == 0:
        return 0.0
    log_precision = math.log(matches[0] / totals[0])
    for n in range(2, max_n + 1):
        log_precision += math.log((matches[n - 1] + 1) / (totals[n - 1] + 1))
    brevity = 1.0 if hyp_len > ref_len else math.exp(1.0 - ref_len / hyp_len)
    return brevity * math.exp(log_precision / max_n)


def _lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence, in O(len(a) * len(b)) time."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if token == other else max(previous[j], current[-1]))
        previous = current
    return previous[-1]


def rouge_l(hypothesis: str, reference: str) -> float:
    """ROUGE-L F1: harmonic mean of LCS / hypothesis length and LCS / reference length."""
    hyp, ref = tokenize(hypothesis), tokenize(reference)
    lcs = _lcs_length(hyp, ref) if hyp and ref else 0
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(hyp), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


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
