"""Lexical similarity: BM25 (bm25s) over the stems of objective fragments.

One bm25s index covers every fragment of the framework, so term statistics (IDF) are those of the whole
framework, and a neighbourhood is a contiguous range of documents. A query is a weighted bag of stems (title
words weigh more than description words, lexicon expansions less); its score on a document is the weighted sum of
the bm25s per-term scores, read from the index's sparse columns restricted to the document range.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import bm25s
import numpy as np
import numpy.typing as npt

# bm25s sets its own logger to DEBUG on import, so every index build printed « Building index from tokens » on
# the command line and in the site's logs. Its warnings still pass.
logging.getLogger("bm25s").setLevel(logging.WARNING)

K1 = 1.2
B = 0.75

Scores = npt.NDArray[np.float32]


class LexicalIndex:
    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        self.n_docs = len(docs)
        if not docs:  # an empty framework: nothing to index, every score is 0
            docs = [[]]
        # bm25s refuses empty documents; a private token keeps positions aligned and never matches a query
        corpus = [list(d) if d else ["\x00"] for d in docs]
        self._bm25 = bm25s.BM25(k1=K1, b=B, method="lucene")
        self._bm25.index(corpus, show_progress=False)
        scores = self._bm25.scores
        self._data = np.asarray(scores["data"], dtype=np.float32)
        indices = np.asarray(scores["indices"], dtype=np.int64)
        indptr = np.asarray(scores["indptr"], dtype=np.int64)
        # make sure document ids are sorted within each term column (searchsorted relies on it)
        for t in range(len(indptr) - 1):
            lo, hi = indptr[t], indptr[t + 1]
            col = indices[lo:hi]
            if hi - lo > 1 and np.any(col[1:] < col[:-1]):
                order = np.argsort(col, kind="stable")
                indices[lo:hi] = col[order]
                self._data[lo:hi] = self._data[lo:hi][order]
        self._indices = indices
        self._indptr = indptr
        self._vocab: dict[str, int] = {str(k): int(v) for k, v in self._bm25.vocab_dict.items()}
        df = np.diff(indptr)
        self._df = {term: int(df[i]) for term, i in self._vocab.items() if i < len(df)}
        self._idf = {term: math.log(1 + (self.n_docs - int(df[i]) + 0.5) / (int(df[i]) + 0.5))
                     for term, i in self._vocab.items() if i < len(df)}

    def idf(self, term: str) -> float:
        return self._idf.get(term, 0.0)

    def df_ratio(self, term: str) -> float:
        """Share of documents containing ``term`` (0 when unknown)."""
        return self._df.get(term, 0) / self.n_docs if self.n_docs else 0.0

    def __contains__(self, term: str) -> bool:
        return term in self._vocab

    def score(self, query: dict[str, float], start: int = 0, end: int | None = None) -> Scores:
        """Weighted BM25 score of every document in [start, end)."""
        end = self.n_docs if end is None else end
        out = np.zeros(end - start, dtype=np.float32)
        for term in sorted(query):  # sorted: float sums in a fixed order, hence deterministic
            t = self._vocab.get(term)
            if t is None or t + 1 >= len(self._indptr):
                continue
            lo, hi = int(self._indptr[t]), int(self._indptr[t + 1])
            col = self._indices[lo:hi]
            a = lo + int(np.searchsorted(col, start, side="left"))
            b = lo + int(np.searchsorted(col, end, side="left"))
            if b > a:
                out[self._indices[a:b] - start] += np.float32(query[term]) * self._data[a:b]
        return out
