"""The retriever on Milvus: the same ranking as qa.retrieval.Retriever, its search done by Milvus.

Why a subclass: the maths stays in qa/retrieval.py (`fuse`, coverage, the not-found evidence) and
is shared; only where the candidates and their scores come from changes. Per question: the best
`candidates` rows by BM25 (sparse inner product with the question's term counts: the project's
own BM25 score) and by dense similarity (FLAT, exact), both under the filter expression; their
union is fetched once and both scores recomputed from the stored rows, exactly as the local
backend scores every candidate on both sides; then the shared `fuse`.

The one figure Milvus cannot give is the fusion's floor, the median dense score of every clause a
filter allows. It is taken over a fixed sample of at most `POOL_SAMPLE` clause vectors read once
at start (every clause below that size, so small libraries are exact; a bounded, evenly spread
sample above it: a median of 4096 draws is within about ±1.5 percentiles of the true one).

>>> _counts({"质押": 3, "融资": 7}, ["质押", "融资", "质押", "未知"])
{3: 2.0, 7: 1.0}
"""
from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np

from ..retrieval import Retriever, fuse
from .filters import Filter, expression, keeps

POOL_SAMPLE = 4096
VECTOR_CACHE = 4096


def _counts(vocab: dict[str, int], tokens) -> dict[int, float]:
    """The question as a sparse vector: term id → how often it occurs (rank_bm25 counts repeats)."""
    return {vocab[t]: float(n) for t, n in Counter(t for t in tokens if t in vocab).items()}


class MilvusRetriever(Retriever):
    def __init__(self, clauses, bm25, store, collection: str, dim: int | None):
        super().__init__(clauses, bm25, None)
        self.store = store
        self.collection = collection
        self.dim = dim
        self._vectors: dict[int, np.ndarray] = {}
        self._pool_positions, self._pool = self._read_pool() if dim else (np.zeros(0, np.int64), None)

    def _read_pool(self):
        n = len(self.clauses)
        stride = max(1, math.ceil(n / POOL_SAMPLE))
        positions = np.arange(0, n, stride)
        rows = self.store.fetch(self.collection, positions.tolist(), fields=("dense",))
        vectors = np.array([rows[int(p)]["dense"] for p in positions], dtype=np.float32).reshape(len(positions), -1)
        return positions, vectors

    def mask(self, office: str | None = None, part: str | None = None, doc: str | None = None) -> Filter | None:
        f = Filter(doc=doc, office=office, part=part)
        return None if f.empty else f

    def rank(self, tokens, vector, settings, allowed=None) -> list[tuple[int, float]]:
        f = allowed if isinstance(allowed, Filter) else Filter()
        expr = expression(f)
        use_dense = settings.mode != "bm25" and self.dim is not None and vector is not None
        use_bm25 = settings.mode != "dense"
        n = settings.candidates
        query = _counts(self.bm25.vocab, tokens)
        found = set(self.store.search(self.collection, "bm25", query, expr, n)) if use_bm25 else set()
        if use_dense:
            found |= set(self.store.search(self.collection, "dense", np.asarray(vector, np.float32).tolist(), expr, n))
        if len(found) < n and not use_dense:  # as the local ranking: fewer matches than n → every allowed clause
            found |= set(self._allowed_positions(expr, n))
        if not found:
            return []
        cand = np.array(sorted(found), dtype=np.int64)
        rows = self.store.fetch(self.collection, cand.tolist(), fields=("dense", "bm25") if use_dense else ("bm25",))
        bm = np.array([sum(w * float(rows[p]["bm25"].get(j, 0.0)) for j, w in query.items()) for p in cand.tolist()])
        if use_dense:
            q = np.asarray(vector, np.float32)
            vecs = np.array([rows[p]["dense"] for p in cand.tolist()], dtype=np.float32)
            self._remember(cand, vecs)
            dn = vecs @ q
        if not use_dense:
            fused = bm
        elif not use_bm25:
            fused = dn
        else:
            fused = fuse(bm, dn, self._pool_scores(f, vector), settings)
        order = np.argsort(-fused, kind="stable")
        return [(int(cand[k]), float(fused[k])) for k in order]

    def _allowed_positions(self, expr: str, n: int) -> list[int]:
        return self.store.positions(self.collection, expr, n)

    def _pool_scores(self, f: Filter, vector) -> np.ndarray:
        """Dense scores of the sampled clauses the filter keeps (the floor of `fuse`)."""
        if self._pool is None or not len(self._pool_positions):
            return np.zeros(0)
        if f.empty:
            return self._pool @ np.asarray(vector, np.float32)
        keep = np.array([keeps(f, c.doc_id, c.departments, c.path[0] if c.path else "")
                         for c in (self.clauses[int(p)] for p in self._pool_positions)])
        return self._pool[keep] @ np.asarray(vector, np.float32)

    def _remember(self, positions, vectors) -> None:
        if len(self._vectors) + len(positions) > VECTOR_CACHE:
            self._vectors.clear()
        for p, v in zip(positions.tolist(), vectors):
            self._vectors[p] = v

    def similarity(self, position: int, vector) -> float | None:
        if vector is None or self.dim is None:
            return None
        v = self._vectors.get(int(position))
        if v is None:
            row = self.store.fetch(self.collection, [int(position)], fields=("dense",))[int(position)]
            v = np.asarray(row["dense"], np.float32)
        return float(v @ np.asarray(vector, np.float32))


def published_manifest(manifest: dict) -> dict:
    """What identifies a build in Milvus: the local manifest's identity, and the digest of the
    vocabulary file (the sparse vectors' term ids are its ids).

    >>> published_manifest({"format": 2, "corpus_hash": "c", "dict_hash": "d", "embedder": "e",
    ...                     "n_searchable": 3, "files": {"bm25_vocab.json": "v"}, "built_at": "t"})["vocab"]
    'v'
    """
    keep = ("format", "corpus_hash", "dict_hash", "embedder", "n_searchable")
    out = {k: manifest.get(k) for k in keep}
    out["vocab"] = (manifest.get("files") or {}).get("bm25_vocab.json")
    return out


def attach(backend, built, index_dir, log=None, rebuild: bool = False, before_switch=None) -> MilvusRetriever:
    """Connect, publish the build when Milvus does not hold this one, and return the retriever."""
    from .milvus import MilvusStore
    store = MilvusStore(backend, Path(index_dir))
    clauses = [built.clauses[i] for i in built.searchable]
    want = published_manifest(built.manifest)
    live = store.live()
    if rebuild or live is None or live[1] != want:
        if log is not None:
            print(f"milvus: publishing {len(clauses)} clauses to {store.where}", file=log, flush=True)
        vectors = None if built.dense is None else np.asarray(built.dense.vectors, np.float32)
        store.publish(clauses, built.bm25, vectors, want, log, before_switch=before_switch)
        live = store.live()
    dim = None if built.dense is None else int(built.dense.vectors.shape[1]) if len(clauses) else None
    return MilvusRetriever(clauses, built.bm25, store, live[0], dim)
