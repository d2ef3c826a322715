"""The retriever on Milvus: the same ranking as qa.retrieval.Retriever, its search done by Milvus.

Why a subclass: the maths stays in qa/retrieval.py (`fuse`, coverage, the not-found evidence) and
is shared; only where the candidates and their scores come from changes. Per question: the best
`candidates` rows by BM25 (sparse inner product with the question's term counts: the project's
own BM25 score) and by dense similarity (FLAT, exact), both under the filter expression; then
each side scores the other side's candidates by a search limited to those rows (Milvus computes
the scores where the vectors are; none crosses the network), so every candidate has both scores,
as in the local backend; then the shared `fuse`.

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

from ..retrieval import Retriever, fuse, with_runner_up
from .filters import Filter, expression, keeps

POOL_SAMPLE = 4096


def _counts(vocab: dict[str, int], tokens) -> dict[int, float]:
    """The question as a sparse vector: term id → how often it occurs (rank_bm25 counts repeats)."""
    return {vocab[t]: float(n) for t, n in Counter(t for t in tokens if t in vocab).items()}


class MilvusRetriever(Retriever):
    def __init__(self, clauses, bm25, store, collection: str, dim: int | None, sentences=None):
        super().__init__(clauses, bm25, None, sentences)
        self.store = store
        self.collection = collection
        self.dim = dim
        self._pool_positions, self._pool = self._read_pool() if dim else (np.zeros(0, np.int64), None)

    def _read_pool(self):
        n = len(self.clauses)
        stride = max(1, math.ceil(n / POOL_SAMPLE))
        positions = np.arange(0, n, stride)
        rows = self.store.fetch(self.collection, positions.tolist(), fields=("dense",))
        vectors = np.array([rows[int(p)]["dense"] for p in positions], dtype=np.float32).reshape(len(positions), -1)
        return positions, vectors

    def mask(self, office: str | None = None, part: str | None = None, docs=None) -> Filter | None:
        doc = tuple(docs) if docs and not isinstance(docs, str) else docs
        f = Filter(doc=(doc[0] if isinstance(doc, tuple) and len(doc) == 1 else doc), office=office, part=part)
        return None if f.empty else f

    def rank(self, tokens, vector, settings, allowed=None, prefer=None) -> list[tuple[int, float]]:
        """As the local retriever ranks: the library ranked together chooses the document (the one
        holding the clause closest in meaning — the best dense hit — a document the question names
        by a title word leading by `named_doc_lead`), then that document's clauses ranked among
        themselves (its own fusion floor: a search filtered to it) come first."""
        f = allowed if isinstance(allowed, Filter) else Filter()
        ranked, dense, lexical = self._ranking(tokens, vector, settings, f, prefer)
        if self.n_docs < 2 or not ranked or settings.mode != "full":
            return ranked
        doc, close = self._document_of(dense, prefer, settings, tokens, lexical) if dense else (None, None)
        doc = self.clauses[ranked[0][0]].doc_id if doc is None else doc
        if f.doc and not isinstance(f.doc, tuple):
            return ranked   # one document already
        first, _, _ = self._ranking(tokens, vector, settings, Filter(doc=doc, office=f.office, part=f.part), None)
        rest = [(p, sc) for p, sc in ranked if self.clauses[p].doc_id != doc]
        if close is None:
            return first + rest
        return with_runner_up(first, rest, lambda p: self.clauses[p].doc_id == close)   # as the local ranking

    def _worded_of(self, tokens, lexical: dict, settings, docs) -> dict[str, float]:
        """As the local `_worded`, over the candidates: for the documents `docs`, the coverage of
        the question by each one's best-scoring (BM25 with best sentence) candidate."""
        best: dict[str, int] = {}
        for p, score in lexical.items():
            d = self.clauses[p].doc_id
            if d in docs and score > 0 and (d not in best or score > lexical[best[d]]
                                            or (score == lexical[best[d]] and p < best[d])):
                best[d] = p
        return {d: self.coverage(tokens, p, settings) for d, p in best.items()}

    def _document_of(self, dense: dict, prefer, settings, tokens=(), lexical=None) -> tuple[str | None, str | None]:
        """(the document of the best dense score among the candidates, named documents leading,
        and those within `doc_coverage_lead` of the best led by their word-for-word coverage; the
        runner-up when within `doc_close` of it), as the local ranking does."""
        by_doc: dict[str, float] = {}
        for p, score in dense.items():
            lead = settings.named_doc_lead if prefer is not None and prefer[p] else 0.0
            d = self.clauses[p].doc_id
            by_doc[d] = max(by_doc.get(d, -np.inf), score + lead)
        if not by_doc:
            return None, None
        top = max(by_doc.values())
        near = sorted((d for d, v in by_doc.items() if v >= top - settings.doc_coverage_lead), key=lambda d: -by_doc[d])
        contenders = set(near[:settings.doc_contenders])
        if lexical and settings.doc_coverage_lead and len(contenders) > 1:
            for d, share in self._worded_of(tokens, lexical, settings, contenders).items():
                by_doc[d] += settings.doc_coverage_lead * share
        first = {}   # ties go to the document of the earliest candidate, as np.argmax does locally
        for p in sorted(dense):
            first.setdefault(self.clauses[p].doc_id, p)
        order = sorted(by_doc, key=lambda d: (-by_doc[d], first[d]))
        close = order[1] if len(order) > 1 and by_doc[order[1]] >= by_doc[order[0]] - settings.doc_close else None
        return order[0], close

    def _ranking(self, tokens, vector, settings, f: Filter, prefer):
        """(fused ranking of what `f` keeps, the dense and the lexical scores of its candidates)."""
        expr = expression(f)
        use_dense = settings.mode != "bm25" and self.dim is not None and vector is not None
        use_bm25 = settings.mode != "dense"
        n = settings.candidates
        query = _counts(self.bm25.vocab, tokens)
        q = np.asarray(vector, np.float32) if use_dense else None
        bm = self.store.search(self.collection, "bm25", query, expr, n) if use_bm25 else {}
        dn = self.store.search(self.collection, "dense", q.tolist(), expr, n) if use_dense else {}
        found = set(bm) | set(dn) | (self._sentence_candidates(tokens, settings, f, n) if use_bm25 else set())
        if len(found) < n and not use_dense:  # as the local ranking: fewer matches than n → every allowed clause
            found |= set(self._allowed_positions(expr, n))
        if not found:
            return [], {}, {}
        cand = np.array(sorted(found), dtype=np.int64)
        # each side's score for the other side's candidates: a search limited to those rows, so
        # Milvus computes them where the vectors are (no vector crosses the network)
        if use_dense:
            dn.update(self._scores_of("dense", q.tolist(), [p for p in cand.tolist() if p not in dn]))
            self._remember(vector, dn)
        if use_bm25:
            bm.update(self._scores_of("bm25", query, [p for p in cand.tolist() if p not in bm]))
        bm = np.array([bm.get(p, 0.0) for p in cand.tolist()], dtype=np.float64)
        if use_bm25:   # each candidate's best sentence, added as the local retriever adds it
            bm = self.lexical(bm, tokens, settings, cand)
        dn = np.array([dn.get(p, 0.0) for p in cand.tolist()], dtype=np.float64)
        if not use_dense:
            fused = bm
        elif not use_bm25:
            fused = dn
        else:
            fused = fuse(bm, dn, self._pool_scores(f, vector), settings)
        if prefer is not None and prefer[cand].any() and not prefer[cand].all():
            fused = fused * np.where(prefer[cand], 1.0 + settings.named_doc_boost, 1.0)
        order = np.argsort(-fused, kind="stable")
        dense = {int(p): float(d) for p, d in zip(cand.tolist(), dn)} if use_dense else {}
        lexical = {int(p): float(b) for p, b in zip(cand.tolist(), bm)} if use_bm25 else {}
        return [(int(cand[k]), float(fused[k])) for k in order], dense, lexical

    def _sentence_candidates(self, tokens, settings, f: Filter, n: int) -> set[int]:
        """The `n` clauses the filter keeps whose best sentence scores highest: the local ranking
        picks its BM25 candidates by clause and sentence together, so a clause carried by one
        sentence is a candidate here too (its clause score is then fetched from Milvus)."""
        if self.sentences is None or not settings.sentence_weight:
            return set()
        best = self.best_sentences(tokens)
        hit = np.flatnonzero(best)
        out: set[int] = set()
        for p in hit[np.argsort(-best[hit], kind="stable")]:
            c = self.clauses[int(p)]
            if keeps(f, c.doc_id, c.departments, c.path[0] if c.path else ""):
                out.add(int(p))
                if len(out) >= n:
                    break
        return out

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

    def _scores_of(self, field: str, query, positions: list[int]) -> dict[int, float]:
        if not positions or (field == "bm25" and not query):
            return {}
        return self.store.search(self.collection, field, query, f"pos in {positions}", len(positions))

    def _remember(self, vector, scores: dict[int, float]) -> None:
        """The dense scores of the last ranking, for `similarity` of its top clause."""
        self._last = (np.asarray(vector, np.float32).tobytes(), dict(scores))

    def similarity(self, position: int, vector) -> float | None:
        if vector is None or self.dim is None:
            return None
        key = np.asarray(vector, np.float32).tobytes()
        last = getattr(self, "_last", None)
        if last is not None and last[0] == key and int(position) in last[1]:
            return float(last[1][int(position)])
        got = self._scores_of("dense", np.frombuffer(key, np.float32).tolist(), [int(position)])
        return float(got.get(int(position), 0.0))


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
    dim = None if built.dense is None or not len(clauses) else int(built.dense.vectors.shape[1])
    if built.dense is not None:  # the vectors are Milvus's now: this process keeps no copy
        built.dense = InMilvus(dim)
    return MilvusRetriever(clauses, built.bm25, store, live[0], dim, built.sentences)


class InMilvus:
    """Stands for the dense index where the engine asks only whether there is one: the vectors
    live in Milvus, so the process serving questions holds none of them."""

    exact = True
    vectors = None

    def __init__(self, dim: int | None):
        self.dim = dim
