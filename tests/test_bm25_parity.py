"""SparseBM25 against the reference rank_bm25.BM25Okapi: same scores, same top 10.

Clause texts are tokenised as the index does (qa.store.index_text through the corpus segmenter),
questions as the engine does; on the real plan and on a sample of the synthetic corpus.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from qa.bm25 import SparseBM25, idf_of
from qa.corpus import load_corpus
from qa.store import index_text
from qa.synthetic import make_documents

QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl"


def eval_questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def top10(scores: np.ndarray) -> list[int]:
    # ties broken by position; scores rounded so float noise in the last bits cannot reorder them
    return np.argsort(-np.round(scores, 9), kind="stable")[:10].tolist()


@pytest.fixture(scope="module")
def plan(corpus_dir):
    corpus = load_corpus(corpus_dir)
    return corpus, corpus.segmenter()


def _both(docs):
    return SparseBM25.fit(docs), BM25Okapi(docs)


def _check(sparse, reference, queries):
    assert queries
    for q in queries:
        ours, ref = sparse.scores(q), np.asarray(reference.get_scores(q))
        np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-9, err_msg=" ".join(q))
        assert top10(ours) == top10(ref), " ".join(q)


def test_real_plan_same_top10_for_every_eval_question(plan):
    corpus, seg = plan
    docs = [seg.tokens(index_text(c)) for d in corpus.documents for c in d.clauses if c.searchable]
    sparse, ref = _both(docs)
    _check(sparse, ref, [seg.tokens(q) for q in eval_questions()] + [["知识产权"], ["质押", "质押", "融资"]])


def test_synthetic_sample_same_top10(plan):
    corpus, seg = plan
    docs_, _ = make_documents(corpus.documents[0], 1500, seed=7, terms=corpus.user_words)
    docs = [seg.tokens(index_text(c)) for d in docs_ for c in d.clauses if c.searchable]
    assert len(docs) == 1500
    sparse, ref = _both(docs)
    _check(sparse, ref, [seg.tokens(q) for q in eval_questions()[::4]])


@pytest.mark.parametrize("query", [[], [""], ["不在词表里的词"], ["a", "b", "a"]])
def test_edge_queries(query):
    docs = [["a", "b"], ["b", "c"], ["c", "c", "d"], []]
    sparse, ref = _both(docs)
    np.testing.assert_allclose(sparse.scores(query), ref.get_scores(query), atol=1e-12)


def test_idf_floor_for_terms_in_most_documents():
    # "x" is in 4 of 5 documents: raw idf is negative and both floor it at eps * mean idf
    docs = [["x", "a"], ["x", "b"], ["x", "c"], ["x"], ["d"]]
    sparse, ref = _both(docs)
    np.testing.assert_allclose(sparse.scores(["x"]), ref.get_scores(["x"]), rtol=1e-12)
    assert idf_of(sparse, "x") == 0.0 and idf_of(sparse, "zzz") == 0.0


def test_save_load_round_trip(plan, tmp_path):
    corpus, seg = plan
    docs = [seg.tokens(index_text(c)) for d in corpus.documents for c in d.clauses if c.searchable]
    sparse = SparseBM25.fit(docs)
    sparse.save(tmp_path)
    again = SparseBM25.load(tmp_path)
    q = seg.tokens("哪个部门负责知识产权质押融资？")
    assert again.vocab == sparse.vocab
    np.testing.assert_array_equal(again.scores(q), sparse.scores(q))


def test_fit_from_a_generator_equals_fit_from_a_list(plan):
    corpus, seg = plan
    clauses = [c for d in corpus.documents for c in d.clauses if c.searchable]
    listed = SparseBM25.fit([seg.tokens(index_text(c)) for c in clauses])
    streamed = SparseBM25.fit(seg.tokens(index_text(c)) for c in clauses)
    assert streamed.vocab == listed.vocab
    assert (streamed.weights != listed.weights).nnz == 0
    assert SparseBM25.fit(iter([])).n_docs == 0
