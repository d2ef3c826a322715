"""Synthetic-scale workers: build and serve plans of 1k/10k/100k clauses, each in its own process.

Why a module of its own: growth is measured on corpora far larger than the real plan, made by
qa/synthetic.py from the plan's outline and vocabulary (fixed seed; clause vectors mixed from
real-model vectors of the plan's sentences instead of computed one by one). Each size is built by
one fresh process and served by another (`python -m qa.bench --worker build|serve`), so the peak
RSS of each is that size's own. Served three ways per question: a full `Engine.ask`, the bare
harness (qa/bench/harness.py) with and without embedding the question, and the engine's
`Retriever.rank` alone on the engine's own `Query`. At the largest size the HNSW index is built
anyway and probed; at `CHANGE_AT` clauses one document is replaced and the rebuild timed (its
clauses re-embedded by the real model, the rest reused by content hash).
"""
from __future__ import annotations

import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from .harness import harness_retrieve, hnsw_probe, recall_at_k
from .measure import folder_mb, latency_summary, rnd, rss_mb, run_worker, say

SAMPLE = 2048                 # rows whose dense scores give the harness its dense floor


def synthetic_terms(corpus) -> list[str]:
    """Domain terms the synthetic plans swap among: the user dictionary and the office names."""
    return corpus.user_words + corpus.offices.all_names()


def embed_basis(corpus, embedder, path: Path) -> Path:
    """Embed the template's sentences and headings once with the real model (qa.synthetic)."""
    from ..synthetic import basis_texts
    np.save(path, embedder.passages(basis_texts(corpus.documents[0], synthetic_terms(corpus))), allow_pickle=False)
    return path


def _synthetic_setup(cfg: dict):
    """The real corpus and embedder, and a synthetic corpus of cfg["size"] clauses with its vector table."""
    from .. import store
    from ..corpus import DATA_FILES, Corpus, load_corpus
    from ..embed import make_embedder
    from ..synthetic import PrecomputedEmbedder, make_documents, mix_vectors

    real = load_corpus(Path(cfg["corpus"]))
    embedder = make_embedder(cfg["spec"])
    basis = np.load(cfg["basis"], allow_pickle=False)
    folder = Path(cfg["work"]) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for name in DATA_FILES:
        if (real.folder / name).exists():
            shutil.copy(real.folder / name, folder / name)
    terms = synthetic_terms(real)
    docs, sources = make_documents(real.documents[0], cfg["size"], seed=cfg["seed"], terms=terms)
    corpus = Corpus(folder, docs, real.offices, real.glossary, real.user_words)
    vectors = mix_vectors(sources, basis, seed=cfg["seed"])
    leaves = [c for d in docs for c in d.clauses if c.searchable]
    table = {store.embed_text(c): v for c, v in zip(leaves, vectors)}
    return real, corpus, PrecomputedEmbedder(embedder, table), terms


def build_worker(cfg: dict) -> dict:
    """Build the synthetic index `repeats` times (fresh folders), keep the last; optionally time a
    one-document change."""
    from .. import store

    log = sys.stderr if cfg.get("progress") else None
    t0 = time.perf_counter()
    real, corpus, embedder, terms = _synthetic_setup(cfg)
    gen_s = time.perf_counter() - t0
    segmenter = corpus.segmenter()
    work = Path(cfg["work"])
    builds, keep = [], None
    for r in range(cfg["repeats"]):
        index = work / f"index-{r}"
        say(log, f"{cfg['size']} clauses: build {r + 1}/{cfg['repeats']}")
        t0 = time.perf_counter()
        store.build(corpus, index, embedder, segmenter=None, stream=log)
        builds.append(time.perf_counter() - t0)
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
        keep = index
    out = {"generate_s": rnd(gen_s, 3), "build_s": rnd(float(np.median(builds)), 3),
           "build_runs_s": [rnd(b, 3) for b in builds],
           "index_mb": rnd(folder_mb(store.current_folder(keep)), 2), "index": str(keep),
           "n_docs": len(corpus.documents)}
    if cfg.get("change"):
        out.update(_one_document_change(cfg, real, corpus, embedder, terms, segmenter, keep, log))
    out["build_rss_mb"] = rss_mb()["peak"]
    return out


def _one_document_change(cfg, real, corpus, embedder, terms, segmenter, index: Path, log) -> dict:
    """Replace document r by a new plan of the same shape (all its leaves change) and rebuild."""
    from .. import store
    from ..synthetic import make_documents

    changes, embedded = [], []
    for r in range(cfg.get("change_repeats", cfg["repeats"])):
        new, _ = make_documents(real.documents[0], sum(c.searchable for c in corpus.documents[r].clauses),
                                seed=10_000 + r, terms=terms, prefix=f"chg{r}-")
        doc_id = corpus.documents[r].doc_id
        doc = replace(new[0], doc_id=doc_id, clauses=tuple(
            replace(c, id=doc_id + c.id[c.id.index(":"):], doc_id=doc_id) for c in new[0].clauses))
        corpus.documents[r] = doc
        before = embedder.embedded
        say(log, f"{cfg['size']} clauses: one-document change {r + 1}")
        t0 = time.perf_counter()
        store.build(corpus, index, embedder, segmenter=segmenter, stream=None)
        changes.append(time.perf_counter() - t0)
        embedded.append(embedder.embedded - before)
    return {"change_doc_s": rnd(float(np.median(changes)), 3),
            "change_doc_reembedded": int(np.median(embedded)),
            "change_doc_clauses": sum(c.searchable for c in corpus.documents[0].clauses)}


def engine_query(engine, question: str):
    """The engine's own Query for `question`, built as `Engine.ask` builds it; None for text that
    is no question (nothing to search: `Engine.ask` answers it without ranking)."""
    from ..question import clean_question, strip_tags
    from ..textnorm import sanitize
    try:
        return engine.query(sanitize(question), strip_tags(clean_question(question)))
    except ValueError:
        return None


def serve_worker(cfg: dict) -> dict:
    """Load a built synthetic index as the app would, then time questions three ways."""
    from .. import store
    from ..corpus import Corpus, load_corpus
    from ..embed import make_embedder
    from ..engine import Engine
    from ..synthetic import PrecomputedEmbedder

    real = load_corpus(Path(cfg["corpus"]))
    embedder = PrecomputedEmbedder(make_embedder(cfg["spec"]))
    corpus = Corpus(Path(cfg["work"]) / "data", [], real.offices, real.glossary, real.user_words)
    t0 = time.perf_counter()
    built = store.load(Path(cfg["index"]), corpus, embedder)
    engine = Engine(corpus, built, embedder, log=None)
    load_s = time.perf_counter() - t0
    loaded_rss = rss_mb()["now"]
    questions = cfg["questions"]
    # one question of each kind first, timed apart: lazy one-time work (tables built on first
    # use) is a cost of the first answers, not of every answer
    firsts, seen = [], set()
    for q in questions:
        if (q["intent"], q.get("lang")) not in seen:
            seen.add((q["intent"], q.get("lang")))
            t0 = time.perf_counter()
            engine.ask(q["question"])
            firsts.append((time.perf_counter() - t0, q["question"]))
    first_s, first_q = max(firsts)
    n = len(built.searchable)
    rng = np.random.default_rng(cfg["seed"])
    bm25, dense, settings = engine.retriever.bm25, engine.dense, engine.settings
    knobs = {"sample": np.sort(rng.choice(n, size=min(n, SAMPLE), replace=False)), "settings": settings}
    texts = [q["question"] for q in questions]
    qvecs = embedder.queries(texts)
    tokens = [engine.segmenter.tokens(t) for t in texts]
    queries = [engine_query(engine, t) for t in texts]   # the engine's Query, embedded once
    full, harness, harness_only, retrieve_only, tops = [], [], [], [], []
    for _ in range(cfg["repeats"]):
        run_full, run_h, run_ho, run_r = [], [], [], []
        for i, q in enumerate(questions):
            t0 = time.perf_counter()
            answer = engine.ask(q["question"])
            run_full.append((q["intent"], time.perf_counter() - t0))
            if not full:  # what was answered, for the other backend's parity (qa/bench/milvus.py)
                tops.append([answer.hits[0].clause.id if answer.hits else None, answer.found, list(answer.departments)])
            t0 = time.perf_counter()
            v = embedder.queries([q["question"]])[0]
            harness_retrieve(bm25, dense, engine.segmenter.tokens(q["question"]), v, **knobs)
            run_h.append((q["intent"], time.perf_counter() - t0))
            t0 = time.perf_counter()
            harness_retrieve(bm25, dense, tokens[i], qvecs[i], **knobs)
            run_ho.append((q["intent"], time.perf_counter() - t0))
            if queries[i] is not None:
                t0 = time.perf_counter()
                engine.retriever.rank(queries[i].tokens, queries[i].vector, settings)
                run_r.append((q["intent"], time.perf_counter() - t0))
        full.append(run_full)
        harness.append(run_h)
        harness_only.append(run_ho)
        retrieve_only.append(run_r)
    lat, h, ho = latency_summary(full), latency_summary(harness)["all"], latency_summary(harness_only)["all"]
    r = latency_summary(retrieve_only)["all"]
    out = {"p50_ms": lat["all"]["p50_ms"], "p95_ms": lat["all"]["p95_ms"], "by_intent": lat["by_intent"],
           "harness_p50_ms": h["p50_ms"], "harness_p95_ms": h["p95_ms"],
           "harness_retrieve_p50_ms": ho["p50_ms"], "harness_retrieve_p95_ms": ho["p95_ms"],
           "engine_retrieve_p50_ms": r["p50_ms"], "engine_retrieve_p95_ms": r["p95_ms"],
           "load_s": rnd(load_s, 3), "loaded_rss_mb": loaded_rss, "first_answers_max_s": rnd(first_s, 3),
           "first_answers_slowest": first_q, "max_ms": rnd(max(t for run in full for _, t in run) * 1000),
           "dense": "exact" if dense.exact else "hnsw", "tops": tops,
           "recall_at_10": rnd(recall_at_k(dense, qvecs), 4)}
    mem = rss_mb()
    out["rss_mb"], out["rss_now_mb"] = mem["peak"], mem["now"]
    if cfg.get("hnsw_probe"):   # recall over every eval question, not only the timed sample
        every = embedder.queries(cfg.get("probe_questions") or texts)
        out["hnsw"] = hnsw_probe(np.asarray(dense.vectors), every, cfg["repeats"], cfg["seed"])
    return out


def measure_scale(size: int, corpus_dir: Path, spec: str, basis: Path, questions: list[dict],
                  probe_questions: list[str], work: Path, repeats: int, heavy: int, seed: int,
                  change: bool, probe: bool, isolate: bool, log, backend=None) -> dict:
    """Build then serve one synthetic size; in separate processes when `isolate` (per-size RSS)."""
    cfg = {"size": size, "corpus": str(corpus_dir), "spec": spec, "basis": str(basis),
           "probe_questions": probe_questions if probe else [],
           "work": str(work), "repeats": repeats, "seed": seed, "change": change, "hnsw_probe": probe,
           "change_repeats": heavy, "progress": log is not None, "questions": questions}
    work.mkdir(parents=True, exist_ok=True)
    say(log, f"{size} clauses: generating and building")
    built = run_worker("build", cfg) if isolate else build_worker(cfg)
    say(log, f"{size} clauses: serving {len(questions)} questions x {repeats}" + (" + HNSW probe" if probe else ""))
    serve_cfg = dict(cfg, index=built["index"])
    served = run_worker("serve", serve_cfg) if isolate else serve_worker(serve_cfg)
    serve_cfg["local_tops"] = served.pop("tops", None)
    if backend is not None and not backend.is_local:  # the same build served from Milvus (qa/bench/milvus.py)
        from .milvus import milvus_worker
        say(log, f"{size} clauses: publishing to Milvus and serving from it")
        milvus = run_worker("milvus", serve_cfg) if isolate else milvus_worker(serve_cfg)
    shutil.rmtree(built["index"], ignore_errors=True)
    row = {"clauses": size, "p50_ms": served["p50_ms"], "p95_ms": served["p95_ms"],
           "build_s": built["build_s"], "rss_mb": served["rss_mb"], "index_mb": built["index_mb"]}
    row.update({k: v for k, v in served.items() if k not in row})
    row.update({k: v for k, v in built.items() if k not in row and k != "index"})
    if backend is not None and not backend.is_local:
        row["milvus"] = milvus
    return row
