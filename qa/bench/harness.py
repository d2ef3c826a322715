"""The bare retrieval harness and the dense-index probes of the scaling runs.

Why a module of its own: to tell what growth costs the engine's logic from what it costs the
indexes themselves, the scaling runs also time retrieval straight on SparseBM25 + DenseIndex, with
nothing of the engine around it. The harness scores with the indexes and then ranks with
`qa.retrieval.top_candidates` and `qa.retrieval.fuse` — the engine's own fusion, never a copy — so
the two timings differ only by what the engine does beyond ranking. `recall_at_k` and
`hnsw_probe` measure the approximate index the engine switches to past HNSW_THRESHOLD.
"""
from __future__ import annotations

import time

import numpy as np

from ..retrieval import fuse, top_candidates
from ..settings import Settings
from .measure import med, pct, rnd


def harness_retrieve(bm25, dense, tokens: list[str], vector, k: int = 10, candidates: int = 200,
                     dense_weight: float = 0.5, sample: np.ndarray | None = None,
                     settings: Settings | None = None) -> np.ndarray:
    """Hybrid retrieval straight on SparseBM25 + DenseIndex: BM25 scores, dense scores (exact product,
    or HNSW when the index is approximate), the best `candidates` of each kept by partial sort
    (`top_candidates`), fused by `qa.retrieval.fuse` with the dense floor read from the rows in
    `sample` (all rows without one). `settings` wins over `candidates`/`dense_weight`. Returns the
    top-k row positions.

    Example: harness_retrieve(bm25, dense, ["专利"], q)[:1] → array([17])
    """
    if settings is None:
        settings = Settings(mode="hybrid", candidates=max(int(candidates), 1), dense_weight=dense_weight)
    n = bm25.n_docs
    if n <= 0 or k <= 0:
        return np.zeros(0, dtype=np.int64)
    every = np.arange(n)
    bm = bm25.scores(list(tokens))
    if vector is None or dense is None:
        cand = top_candidates(bm, bm, every, settings.candidates)
        fused = bm[cand]
    else:
        vector = np.asarray(vector, dtype=np.float32)
        if dense.exact:
            dn = dense.vectors @ vector
        else:                      # as the engine: HNSW's neighbours, the rest at their lowest score
            ids, sims = dense.search(vector, settings.candidates)
            dn = np.full(n, float(sims.min()) if len(sims) else 0.0)
            dn[ids] = sims
        cand = top_candidates(bm, dn, every, settings.candidates)
        pool = dn[sample] if sample is not None and len(sample) < n else dn
        fused = fuse(bm[cand], dn[cand], pool, settings)
    order = np.argsort(-fused, kind="stable")[:k]
    return cand[order]


def recall_at_k(dense, vectors: np.ndarray, k: int = 10) -> float:
    """Mean share of the exact top-k that `dense.search` returns, over query `vectors`."""
    if dense.exact:
        return 1.0
    got = []
    for v in vectors:
        sims = dense.vectors @ v
        exact = set(np.argpartition(-sims, k - 1)[:k].tolist())
        ids, _ = dense.search(v, k)
        got.append(len(exact & set(ids.tolist())) / k)
    return float(np.mean(got)) if got else 0.0


def hnsw_probe(vectors: np.ndarray, questions: np.ndarray, repeats: int, seed: int) -> dict:
    """The HNSW index the engine switches to past HNSW_THRESHOLD, built over these vectors anyway:
    build time, recall@10 against exact for the questions and for points near the data, search time."""
    from .. import dense as dense_mod

    t0 = time.perf_counter()
    index = dense_mod.DenseIndex(vectors, hnsw_threshold=0)
    build_s = time.perf_counter() - t0
    rng = np.random.default_rng(seed)
    near = vectors[rng.choice(len(vectors), min(300, len(vectors)), replace=False)]
    near = near + 0.05 * rng.standard_normal(near.shape).astype(np.float32)
    near /= np.linalg.norm(near, axis=1, keepdims=True)
    times = []
    for _ in range(repeats):
        ts = []
        for v in questions:
            t0 = time.perf_counter()
            index.search(v, 10)
            ts.append(time.perf_counter() - t0)
        times.append(pct(ts, 50) * 1000)
    return {"build_s": rnd(build_s, 2), "m": dense_mod.HNSW_M, "ef_construction": dense_mod.EF_CONSTRUCTION,
            "ef_search": dense_mod.EF_SEARCH, "search_p50_ms": rnd(med(times), 3),
            "recall_at_10": rnd(recall_at_k(index, questions), 4),
            "recall_at_10_near_data": rnd(recall_at_k(index, near), 4)}
