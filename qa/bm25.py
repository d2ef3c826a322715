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

    def __init__(self, vocab: dict[str, int], weights: sparse.csc_matrix, groups: np.ndarray | None = None):
        self.vocab = vocab
        self.weights = weights
        self.groups = groups          # group index of each row (None: one group)

    @classmethod
    def fit(cls, corpus: Iterable[list[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25,
            groups=None) -> "SparseBM25":
        """Any iterable of token lists (a generator too: documents are counted as they come, so a
        large corpus never holds all its token lists at once).

        `groups` (one label per token list, e.g. the document a clause belongs to) gives each
        group its own statistics — document frequencies, idf and average length — so a group
        scores exactly as it would alone: adding a document to a library changes no score of
        the others. Without it the whole corpus is one group.

        >>> alone = SparseBM25.fit([["a", "b"], ["b", "c"], ["a", "d"]]).scores(["c"])
        >>> both = SparseBM25.fit([["a", "b"], ["b", "c"], ["a", "d"], ["c"], ["c", "e"]],
        ...                       groups=["x", "x", "x", "y", "y"]).scores(["c"])
        >>> bool((both[:3] == alone).all())
        True
        """
        postings = Postings()
        for doc in corpus:
            postings.add(doc)
        return postings.bm25(k1, b, epsilon, groups)


    @property
    def n_docs(self) -> int:
        return self.weights.shape[0]

    def group_sizes(self) -> np.ndarray:
        """Rows in each group (cached)."""
        if getattr(self, "_sizes", None) is None:
            self._sizes = (np.bincount(self.groups) if self.groups is not None
                           else np.array([self.n_docs]))
        return self._sizes

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 score of every document; repeated query terms count again, as in rank_bm25."""
        counts = Counter(self.vocab[t] for t in query if t in self.vocab)
        if not counts:
            return np.zeros(self.n_docs, dtype=np.float64)
        ids = np.fromiter(counts.keys(), dtype=np.int64)
        qv = np.fromiter(counts.values(), dtype=np.float64)
        return np.asarray(self.weights[:, ids] @ qv).ravel()

    def save(self, folder: Path, prefix: str = "bm25") -> None:
        """Write the matrix as `<prefix>_*.npy` files and `<prefix>_vocab.json` into `folder`."""
        w = self.weights
        np.save(folder / f"{prefix}_data.npy", w.data, allow_pickle=False)
        np.save(folder / f"{prefix}_indices.npy", w.indices, allow_pickle=False)
        np.save(folder / f"{prefix}_indptr.npy", w.indptr, allow_pickle=False)
        if self.groups is not None:
            np.save(folder / f"{prefix}_groups.npy", self.groups.astype(np.int32), allow_pickle=False)
        (folder / f"{prefix}_vocab.json").write_text(
            json.dumps({"shape": list(w.shape), "vocab": self.vocab}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, prefix: str = "bm25") -> "SparseBM25":
        meta = json.loads((folder / f"{prefix}_vocab.json").read_text(encoding="utf-8"))
        w = sparse.csc_matrix((np.load(folder / f"{prefix}_data.npy", allow_pickle=False),
                               np.load(folder / f"{prefix}_indices.npy", allow_pickle=False),
                               np.load(folder / f"{prefix}_indptr.npy", allow_pickle=False)),
                              shape=tuple(meta["shape"]))
        groups_file = folder / f"{prefix}_groups.npy"
        groups = np.load(groups_file, allow_pickle=False).astype(np.int64) if groups_file.exists() else None
        return cls(meta["vocab"], w, groups)


class Postings:
    """Term counts gathered one token list at a time, turned into a SparseBM25 at the end — so a
    build can feed two indexes (clauses and their sentences) from one pass of tokenising.

    >>> p = Postings(); p.add(["a", "b"]); p.add(["b", "c"]); p.add(["a", "d"])
    >>> p.bm25().scores(["c"]).round(2).tolist()
    [0.0, 0.51, 0.0]
    """

    def __init__(self):
        self.vocab: dict[str, int] = {}
        self.rows, self.cols, self.tfs, self.lens = array("q"), array("q"), array("d"), array("d")

    def add(self, doc: list[str]) -> None:
        d = len(self.lens)
        self.lens.append(len(doc))
        counts = Counter(doc)
        self.rows.extend([d] * len(counts))
        self.cols.extend([self.vocab.setdefault(term, len(self.vocab)) for term in counts])
        self.tfs.extend(counts.values())

    def bm25(self, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25, groups=None) -> SparseBM25:
        """The BM25 matrix of the token lists added (see SparseBM25.fit for `groups`)."""
        n_docs = len(self.lens)
        doc_len = np.frombuffer(self.lens, dtype=np.float64) if n_docs else np.zeros(0)
        rows_a = np.frombuffer(self.rows, dtype=np.int64) if len(self.rows) else np.zeros(0, np.int64)
        cols_a = np.frombuffer(self.cols, dtype=np.int64) if len(self.cols) else np.zeros(0, np.int64)
        tf_a = np.frombuffer(self.tfs, dtype=np.float64) if len(self.tfs) else np.zeros(0)
        group_of = group_index(groups, n_docs)
        n_groups = int(group_of.max()) + 1 if n_docs else 1
        v = max(len(self.vocab), 1)
        # per (group, term): document frequency, then idf with rank_bm25's floor of the group's mean
        pair = group_of[rows_a] * v + cols_a
        df = np.bincount(pair, minlength=n_groups * v).astype(np.float64).reshape(n_groups, v)
        n_in = np.bincount(group_of, minlength=n_groups).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            idf = np.log(n_in[:, None] - df + 0.5) - np.log(df + 0.5)
        for g in range(n_groups):
            present = df[g] > 0
            if present.any():
                row = idf[g]
                floor = epsilon * row[present].mean()
                row[present & (row < 0)] = floor
        len_sum = np.bincount(group_of, weights=doc_len, minlength=n_groups)
        avgdl = np.where((n_in > 0) & (len_sum > 0), len_sum / np.maximum(n_in, 1), 1.0)
        g_rows = group_of[rows_a]
        norm = k1 * (1 - b + b * doc_len[rows_a] / avgdl[g_rows])
        data = idf[g_rows, cols_a] * tf_a * (k1 + 1) / (tf_a + norm)
        weights = sparse.csc_matrix((data, (rows_a, cols_a)), shape=(n_docs, len(self.vocab)))
        return SparseBM25(self.vocab, weights, group_of if n_groups > 1 else None)


def group_index(groups, n: int) -> np.ndarray:
    """Labels → small integers in order of first appearance (all zeros without labels).

    >>> group_index(["b", "b", "a"], 3).tolist(), group_index(None, 2).tolist()
    ([0, 0, 1], [0, 0])
    """
    if groups is None:
        return np.zeros(n, dtype=np.int64)
    seen: dict = {}
    return np.fromiter((seen.setdefault(g, len(seen)) for g in groups), dtype=np.int64, count=n)


def frequency_of(bm25: SparseBM25, term: str, group: int | None = None) -> int:
    """How many clauses hold `term`; with `group`, how many of that group (one document's)."""
    j = bm25.vocab.get(term)
    if j is None:
        return 0
    if group is None or bm25.groups is None:
        return int(bm25.weights.indptr[j + 1] - bm25.weights.indptr[j])
    rows = bm25.weights.indices[bm25.weights.indptr[j]:bm25.weights.indptr[j + 1]]
    return int(np.count_nonzero(bm25.groups[rows] == group))


def idf_of(bm25: SparseBM25, term: str, group: int | None = None) -> float:
    """Document frequency turned into an idf, for weighting question terms outside BM25; with
    `group`, within that group only (the clauses of one document)."""
    if term not in bm25.vocab:
        return 0.0
    df = frequency_of(bm25, term, group)
    n = bm25.n_docs if group is None or bm25.groups is None else bm25.group_sizes()[group]
    return max(0.0, math.log((n - df + 0.5) / (df + 0.5)))
