"""BM25 over item titles and attributes, as one sparse matrix product per query."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse

__all__ = ["BM25Index", "STOPWORDS", "tokenize"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "like",
        "me",
        "more",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "some",
        "something",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "any",
        "anything",
        "else",
        "also",
        "maybe",
        "really",
        "want",
        "know",
        "think",
        "good",
        "great",
        "love",
        "loved",
        "liked",
        "enjoy",
        "enjoyed",
        "recommend",
        "recommendation",
        "recommendations",
        "please",
        "thanks",
        "thank",
        "yes",
        "okay",
        "ok",
        "sure",
        "one",
        "ones",
        "other",
        "others",
        "about",
        "all",
        "get",
        "got",
        "see",
        "seen",
        "read",
        "watch",
        "watched",
        "book",
        "books",
        "movie",
        "movies",
        "film",
        "films",
    ]
)


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens without stopwords or one-letter words."""
    return [t for t in _WORD.findall(text.casefold()) if len(t) > 1 and t not in STOPWORDS]


class BM25Index:
    """Okapi BM25 scores for every document at once."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75):
        vocabulary: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(documents), np.float64)
        for doc_id, text in enumerate(documents):
            counts: dict[int, int] = {}
            tokens = tokenize(text)
            lengths[doc_id] = len(tokens)
            for token in tokens:
                term = vocabulary.setdefault(token, len(vocabulary))
                counts[term] = counts.get(term, 0) + 1
            for term, count in counts.items():
                rows.append(doc_id)
                cols.append(term)
                vals.append(count)
        self.vocabulary = vocabulary
        n_docs = max(len(documents), 1)
        tf = sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(documents), len(vocabulary)), dtype=np.float64
        )
        df = np.bincount(cols, minlength=len(vocabulary))
        self.idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        avg = lengths.mean() if len(documents) else 1.0
        norm = k1 * (1 - b + b * lengths / max(avg, 1e-9))
        tf = tf.tocoo()
        weights = tf.data * (k1 + 1) / (tf.data + norm[tf.row])
        # term-major (CSC) so a query is a sum of a few columns
        self.matrix = sparse.csc_matrix((weights, (tf.row, tf.col)), shape=tf.shape)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (zeros when no term matches)."""
        terms = [self.vocabulary[t] for t in tokenize(query) if t in self.vocabulary]
        if not terms:
            return np.zeros(self.matrix.shape[0])
        weights = np.zeros(self.matrix.shape[1])
        for term in terms:
            weights[term] += self.idf[term]
        return np.asarray(self.matrix @ weights).ravel()
