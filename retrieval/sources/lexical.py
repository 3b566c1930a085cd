"""BM25 over item titles and attributes (``bm25s``), with crossrec's tokens and stopwords."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np

__all__ = ["BM25Index", "stopwords", "title_words", "tokenize"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@cache
def stopwords() -> frozenset[str]:
    """``words/stopwords.txt``: words BM25, the linker and the wish mapper skip."""
    text = resources.files("crossrec.retrieval").joinpath("words/stopwords.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens without stopwords or one-letter words."""
    return [t for t in _WORD.findall(text.casefold()) if len(t) > 1 and t not in stopwords()]


def title_words(title: str) -> frozenset[str]:
    """The words a title says, each in the singular (no trailing "s"): two letters or more, or
    any number (a model's: "hp 62")."""
    said = _WORD.findall(title.casefold())
    return frozenset(w.removesuffix("s") for w in said if len(w) > 1 or not w.isalpha())


class BM25Index:
    """Okapi BM25 (Lucene's variant, via ``bm25s``) scores for every document at once."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75):
        import bm25s

        self.size = len(documents)
        # Lucene leaves out BM25's constant (k1 + 1) factor; it is put back so the scores (a
        # feature of the shipped learned rankers) keep the scale the rankers were trained on
        self.scale = k1 + 1
        self.retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
        tokens = [tokenize(text) for text in documents]
        self.vocabulary = {t for doc in tokens for t in doc}
        if self.vocabulary:
            self.retriever.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (zeros when no term matches)."""
        terms = [t for t in tokenize(query) if t in self.vocabulary]
        if not terms:
            return np.zeros(self.size)
        return self.scale * np.asarray(self.retriever.get_scores(terms), dtype=np.float64)
