"""SparseBM25 gives rank_bm25.BM25Okapi's scores exactly, and survives save → load."""
from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qa.bm25 import SparseBM25, idf_of

# Five tiny documents that differ in one word; the odd word sometimes repeats a shared one,
# so term frequencies, document frequencies and the idf floor all come into play.
BASE = ["知识产权", "质押", "融资", "服务"]
DOCS = [BASE[:2] + [w] + BASE[2:] for w in ("银行", "保险", "质押", "融资", "知识产权")]

QUERIES = [
    ["银行"],
    ["质押"],
    ["质押", "质押"],                 # a repeated query term counts twice
    ["知识产权", "保险", "融资"],
    ["银行", "未知词"],               # an unknown term adds nothing
    ["未知词"],
    [],
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "+".join(q) or "empty")
def test_scores_equal_rank_bm25(query):
    ours = SparseBM25.fit(DOCS).scores(query)
    reference = BM25Okapi(DOCS).get_scores(query)
    assert ours.shape == (len(DOCS),)
    assert np.allclose(ours, reference)


def test_the_odd_word_decides_the_ranking():
    scores = SparseBM25.fit(DOCS).scores(["保险"])
    assert int(np.argmax(scores)) == 1
    assert scores[1] > 0 and np.count_nonzero(scores) == 1


def test_unknown_and_empty_queries_score_zero():
    bm25 = SparseBM25.fit(DOCS)
    assert not bm25.scores(["未知词"]).any()
    assert not bm25.scores([]).any()


def test_scores_equal_rank_bm25_on_a_larger_random_corpus():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    docs = [list(rng.choice(words, size=rng.integers(1, 30))) for _ in range(60)]
    bm25, reference = SparseBM25.fit(docs), BM25Okapi(docs)
    for _ in range(20):
        query = list(rng.choice(words + ["unknown"], size=rng.integers(1, 6)))
        assert np.allclose(bm25.scores(query), reference.get_scores(query))


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "+".join(q) or "empty")
def test_save_load_round_trip_gives_the_same_scores(tmp_path, query):
    bm25 = SparseBM25.fit(DOCS)
    bm25.save(tmp_path)
    loaded = SparseBM25.load(tmp_path)
    assert loaded.vocab == bm25.vocab
    assert loaded.n_docs == len(DOCS)
    assert np.array_equal(loaded.scores(query), bm25.scores(query))


def test_saved_files_need_no_pickle(tmp_path):
    SparseBM25.fit(DOCS).save(tmp_path)
    for npy in tmp_path.glob("*.npy"):
        np.load(npy, allow_pickle=False)
    assert "知识产权" in (tmp_path / "bm25_vocab.json").read_text(encoding="utf-8")  # ensure_ascii=False


def test_idf_of_matches_the_rarity_of_a_term():
    bm25 = SparseBM25.fit(DOCS)
    assert idf_of(bm25, "银行") > idf_of(bm25, "质押")
    assert idf_of(bm25, "未知词") == 0.0


def test_an_empty_corpus_scores_nothing():
    bm25 = SparseBM25.fit([])
    assert bm25.n_docs == 0
    assert bm25.scores(["知识产权"]).shape == (0,)
