"""Dense search over clause vectors with faiss: exact while small, HNSW above a threshold.

Inner product on L2-normalised vectors is cosine similarity. Exact search costs O(n) per question
— measured 5 ms at 100k clauses (one BLAS thread), below the ~11 ms of embedding the question —
so it stays exact up to `HNSW_THRESHOLD`; past it an HNSW graph keeps a question near O(log n).
e5 vectors of one genre sit in a narrow cone (the plan's clauses: mean pairwise cosine 0.93; a
question's 10 best clauses within 0.003 of each other), where HNSW needs a wide search for
recall@10 ≥ 0.98 against exact: M=64, efConstruction=200, efSearch=1024 measured 0.99 (1.7 ms a
search, 35 s to build) on 100k single-topic synthetic clauses, where M=48/efConstruction=100 gave
0.974-0.983; 1.0 on clustered vectors (tests/test_dense_recall.py; `python -m qa bench`).

Shortcuts: `vectors` is a read-only view of the vectors faiss already holds, not a second copy;
numpy's BLAS is set to one thread once an index exists (see `_one_blas_thread`).
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

HNSW_THRESHOLD = 200_000
HNSW_M = 64
EF_CONSTRUCTION = 200
EF_SEARCH = 1024

_blas_limited = False


def _one_blas_thread() -> None:
    """One question's products (n × 384 by 384) gain nothing from BLAS threads, and idle OpenBLAS
    threads spin on the cores the embedder's OpenMP threads need next: with two cores, retrieval
    at 10k clauses measured 12 ms with the default threads and 1.5 ms with one. Process-wide, once."""
    global _blas_limited
    if _blas_limited:
        return
    _blas_limited = True
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1, user_api="blas")
    except Exception:  # threadpoolctl missing or a BLAS it cannot drive: keep the defaults
        pass


def _storage_view(index, n: int, dim: int) -> np.ndarray | None:
    """The float32 vectors inside a flat or HNSW-flat faiss index, as a numpy view (no copy)."""
    if n == 0:
        return None
    try:
        flat = faiss.downcast_index(index.storage) if hasattr(index, "storage") else index
        view = faiss.rev_swig_ptr(flat.get_xb(), n * dim).reshape(n, dim)
        view.flags.writeable = False
        return view
    except Exception:
        return None


class DenseIndex:
    def __init__(self, vectors: np.ndarray, index=None, hnsw_threshold: int = HNSW_THRESHOLD):
        _one_blas_thread()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.index = index if index is not None else self._build(vectors, hnsw_threshold)
        n, dim = (vectors.shape if vectors.ndim == 2 else (0, 1))
        view = _storage_view(self.index, n, dim) if self.index.ntotal == n else None
        self.vectors = view if view is not None else vectors

    @staticmethod
    def _build(vectors: np.ndarray, threshold: int):
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 1
        if len(vectors) >= threshold:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = EF_CONSTRUCTION
            index.hnsw.efSearch = EF_SEARCH
        else:
            index = faiss.IndexFlatIP(dim)
        if len(vectors):
            index.add(vectors)
        return index

    @property
    def exact(self) -> bool:
        return isinstance(self.index, faiss.IndexFlat)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, cosine scores) for one query vector."""
        k = min(k, self.index.ntotal)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, ids = self.index.search(np.asarray(query, dtype=np.float32).reshape(1, -1), k)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def similarity(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact cosine of the query with chosen clauses (to score fusion candidates)."""
        return self.vectors[ids] @ np.asarray(query, dtype=np.float32)

    def save(self, folder: Path) -> None:
        np.save(folder / "vectors.npy", np.asarray(self.vectors), allow_pickle=False)
        faiss.write_index(self.index, str(folder / "dense.faiss"))

    @classmethod
    def load(cls, folder: Path) -> "DenseIndex":
        # vectors.npy is only checked for its shape here: faiss holds the same vectors
        stored = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
        index = faiss.read_index(str(folder / "dense.faiss"))
        if index.ntotal != len(stored):
            raise ValueError("dense index and vectors disagree in size")
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = max(index.hnsw.efSearch, EF_SEARCH)
        if len(stored) and _storage_view(index, *stored.shape) is None:
            stored = np.array(stored)  # an index type without flat storage: keep our own copy
        return cls(stored, index)
