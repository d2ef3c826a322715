"""Dense search: exact below a threshold, HNSW above it with recall@10 ≥ 0.98 against exact.

The vectors imitate sentence embeddings (clustered, a few dozen directions mixed, plus noise)
rather than uniform noise, on which no approximate index — and no embedding model — behaves;
queries are data points moved a little, as questions land near the clauses that answer them.
"""
from __future__ import annotations

import numpy as np
import pytest

from qa.dense import HNSW_THRESHOLD, DenseIndex

DIM = 384


def embeddings_like(n: int, seed: int = 0, topics: int = 64) -> np.ndarray:
    """Example: embeddings_like(5).shape == (5, 384), rows of norm 1."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, DIM)).astype(np.float32)
    weights = rng.random((n, topics), dtype=np.float32) ** 8          # a few topics dominate each row
    x = weights @ centres + 0.3 * rng.standard_normal((n, DIM), dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def near(x: np.ndarray, count: int, seed: int = 1, noise: float = 0.05) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = x[rng.choice(len(x), count, replace=False)] + noise * rng.standard_normal((count, DIM), dtype=np.float32)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def exact_top(x: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    sims = q @ x.T
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    return np.take_along_axis(top, np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1), axis=1)


def recall(index: DenseIndex, x: np.ndarray, q: np.ndarray, k: int = 10) -> float:
    truth = exact_top(x, q, k)
    got = [len(set(index.search(v, k)[0].tolist()) & set(t.tolist())) / k for v, t in zip(q, truth)]
    return float(np.mean(got))


@pytest.fixture(scope="module")
def big():
    # the default threshold (200k) is too large for a unit test; the HNSW settings are the defaults
    x = embeddings_like(30_000)
    return x, DenseIndex(x, hnsw_threshold=20_000)


def test_default_threshold_keeps_100k_exact():
    assert HNSW_THRESHOLD > 100_000


def test_large_index_is_hnsw_with_recall_at_10_of_098(big):
    x, index = big
    assert not index.exact
    r = recall(index, x, near(x, 300))
    print(f"HNSW recall@10 over 30k vectors: {r:.4f}")
    assert r >= 0.98


def test_hnsw_finds_the_point_a_query_was_made_from(big):
    x, index = big
    rng = np.random.default_rng(5)
    picks = rng.choice(len(x), 50, replace=False)
    hits = [index.search(x[i], 1)[0][0] == i for i in picks]
    assert np.mean(hits) >= 0.98


def test_hnsw_scores_are_cosines(big):
    x, index = big
    ids, scores = index.search(x[7], 5)
    np.testing.assert_allclose(scores, x[ids] @ x[7], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(index.similarity(x[7], ids), scores, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("n", [1, 10, 2_000])
def test_small_index_is_exact_and_equals_brute_force(n):
    x = embeddings_like(n, seed=n)
    index = DenseIndex(x)
    assert index.exact
    q = near(x, min(n, 20), seed=2)
    k = min(10, n)
    for v, truth in zip(q, exact_top(x, q, k)):
        ids, _ = index.search(v, k)
        assert ids.tolist() == truth.tolist()


def test_threshold_is_a_setting():
    x = embeddings_like(500)
    assert not DenseIndex(x, hnsw_threshold=100).exact
    assert DenseIndex(x, hnsw_threshold=501).exact


def test_vectors_are_the_index_own_and_read_only():
    x = embeddings_like(50)
    for index in (DenseIndex(x), DenseIndex(x, hnsw_threshold=10)):
        np.testing.assert_array_equal(index.vectors, x)
        with pytest.raises(ValueError):
            index.vectors[0, 0] = 1.0


def test_k_larger_than_index_and_empty_index():
    x = embeddings_like(3)
    assert len(DenseIndex(x).search(x[0], 10)[0]) == 3
    empty = DenseIndex(np.zeros((0, DIM), dtype=np.float32))
    ids, scores = empty.search(x[0], 5)
    assert len(ids) == 0 and len(scores) == 0


@pytest.mark.parametrize("threshold", [10, 10_000])
def test_save_load_round_trip(tmp_path, threshold):
    x = embeddings_like(300, seed=3)
    index = DenseIndex(x, hnsw_threshold=threshold)
    index.save(tmp_path)
    again = DenseIndex.load(tmp_path)
    assert again.exact == index.exact
    np.testing.assert_array_equal(again.vectors, index.vectors)
    np.testing.assert_array_equal(again.vectors, x)
    for v in near(x, 10):
        assert again.search(v, 5)[0].tolist() == index.search(v, 5)[0].tolist()
