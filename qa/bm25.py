"""BM25 as a sparse matrix product, so a question costs the postings of its terms, not the corpus.

rank_bm25.BM25Okapi scores every document in Python for every query term; at 100k clauses that
is ~140 ms a question. Here the per-(document, term) weights are computed once at build time into
a CSC matrix and a question is `W[:, terms] @ counts`. The formula is BM25Okapi's exactly (its
idf floor eps·mean(idf) included); tests check both give the same top 10.
"""
from __future__ import annotations

import json
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from scipy import sparse


class SparseBM25:
    """Okapi BM25 with rank_bm25's parameters and idf floor.

    >>> SparseBM25.fit([["a", "b"], ["b", "c"], ["a", "d"]]).scores(["c"]).round(2)
    array([0.  , 0.51, 0.  ])

    With two documents a term in one of them has idf log(1.5 / 1.5) = 0, so it scores nothing:
    >>> SparseBM25.fit([["a", "b"], ["b", "c"]]).scores(["c"])
    array([0., 0.])
    """

    def __init__(self, vocab: dict[str, int], weights: sparse.csc_matrix):
        self.vocab = vocab
        self.weights = weights

    @classmethod
    def fit(cls, corpus: Iterable[list[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> "SparseBM25":
        """Any iterable of token lists (a generator too: documents are counted as they come, so a
        large corpus never holds all its token lists at once)."""
        vocab: dict[str, int] = {}
        rows, cols, tfs, lens = array("q"), array("q"), array("d"), array("d")
        for d, doc in enumerate(corpus):
            lens.append(len(doc))
            counts = Counter(doc)
            rows.extend([d] * len(counts))
            cols.extend([vocab.setdefault(term, len(vocab)) for term in counts])
            tfs.extend(counts.values())
        n_docs = len(lens)
        doc_len = np.frombuffer(lens, dtype=np.float64) if n_docs else np.zeros(0)
        rows_a = np.frombuffer(rows, dtype=np.int64) if len(rows) else np.zeros(0, np.int64)
        cols_a = np.frombuffer(cols, dtype=np.int64) if len(cols) else np.zeros(0, np.int64)
        tf_a = np.frombuffer(tfs, dtype=np.float64) if len(tfs) else np.zeros(0)
        df = np.bincount(cols_a, minlength=len(vocab)).astype(np.float64)
        idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
        if len(idf):
            idf[idf < 0] = epsilon * idf.mean()
        avgdl = doc_len.mean() if n_docs and doc_len.mean() > 0 else 1.0
        norm = k1 * (1 - b + b * doc_len[rows_a] / avgdl)
        data = idf[cols_a] * tf_a * (k1 + 1) / (tf_a + norm)
        weights = sparse.csc_matrix((data, (rows_a, cols_a)), shape=(n_docs, len(vocab)))
        return cls(vocab, weights)

    @property
    def n_docs(self) -> int:
        return self.weights.shape[0]

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 score of every document; repeated query terms count again, as in rank_bm25."""
        counts = Counter(self.vocab[t] for t in query if t in self.vocab)
        if not counts:
            return np.zeros(self.n_docs, dtype=np.float64)
        ids = np.fromiter(counts.keys(), dtype=np.int64)
        qv = np.fromiter(counts.values(), dtype=np.float64)
        return np.asarray(self.weights[:, ids] @ qv).ravel()

    def save(self, folder: Path) -> None:
        w = self.weights
        np.save(folder / "bm25_data.npy", w.data, allow_pickle=False)
        np.save(folder / "bm25_indices.npy", w.indices, allow_pickle=False)
        np.save(folder / "bm25_indptr.npy", w.indptr, allow_pickle=False)
        (folder / "bm25_vocab.json").write_text(
            json.dumps({"shape": list(w.shape), "vocab": self.vocab}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "SparseBM25":
        meta = json.loads((folder / "bm25_vocab.json").read_text(encoding="utf-8"))
        w = sparse.csc_matrix((np.load(folder / "bm25_data.npy", allow_pickle=False),
                               np.load(folder / "bm25_indices.npy", allow_pickle=False),
                               np.load(folder / "bm25_indptr.npy", allow_pickle=False)),
                              shape=tuple(meta["shape"]))
        return cls(meta["vocab"], w)


def idf_of(bm25: SparseBM25, term: str) -> float:
    """Document frequency turned into an idf, for weighting question terms outside BM25."""
    j = bm25.vocab.get(term)
    n = bm25.n_docs
    if j is None:
        return 0.0
    df = bm25.weights.indptr[j + 1] - bm25.weights.indptr[j]
    return max(0.0, math.log((n - df + 0.5) / (df + 0.5)))
