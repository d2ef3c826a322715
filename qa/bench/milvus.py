"""The Milvus column of the scaling bench: the same synthetic build, served from Milvus.

Why its own worker: the side-by-side figures must come from the same build and the same
questions as the local backend's row, measured the way a deployment runs — Milvus as a process
of its own (Milvus Lite's server on a loopback port, qa/backends/lite.py), the engine in another —
so that the memory of each is its own. Publishing (the collection written, flushed, indexed and
switched to) is timed as the Milvus build; the answers are timed as the local row's are.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from .measure import latency_summary, rnd, rss_mb


def milvus_worker(cfg: dict) -> dict:
    """Publish the built synthetic index to a fresh Milvus Lite server, then time the questions."""
    from .. import store
    from ..backends import Backend
    from ..backends.lite import LiteServer
    from ..backends.remote import attach
    from ..corpus import Corpus, load_corpus
    from ..embed import make_embedder
    from ..engine import Engine
    from ..synthetic import PrecomputedEmbedder

    real = load_corpus(Path(cfg["corpus"]))
    embedder = PrecomputedEmbedder(make_embedder(cfg["spec"]))
    corpus = Corpus(Path(cfg["work"]) / "data", [], real.offices, real.glossary, real.user_words)
    built = store.load(Path(cfg["index"]), corpus, embedder, vectors=False)  # as Engine.open on Milvus
    data = Path(cfg["work"]) / "milvus"
    server = LiteServer(data).start()
    try:
        t0 = time.perf_counter()
        retriever = attach(Backend("milvus", server.uri), built, Path(cfg["index"]))
        publish_s = time.perf_counter() - t0
        engine = Engine(corpus, built, embedder, log=None, retriever=retriever)
        questions = cfg["questions"]
        from .scale import engine_query
        for q in questions:  # as the local row: one-time work done, each question's vector cached
            engine_query(engine, q["question"])
        for q in questions[:5]:
            engine.ask(q["question"])
        runs, tops = [], []
        for _ in range(cfg["repeats"]):
            run = []
            for q in questions:
                t0 = time.perf_counter()
                answer = engine.ask(q["question"])
                run.append((q["intent"], time.perf_counter() - t0))
                if not runs:
                    tops.append([answer.hits[0].clause.id if answer.hits else None, answer.found,
                                 list(answer.departments)])
            runs.append(run)
        lat = latency_summary(runs)["all"]
        app, milvus = rss_mb(), server.rss()
        disk = sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) / 2**20
        local = cfg.get("local_tops")
        parity = None if not local or len(local) != len(tops) else {
            "questions": len(tops), "same_top": sum(a[0] == b[0] for a, b in zip(local, tops)),
            "same_found": sum(a[1] == b[1] for a, b in zip(local, tops)),
            "same_offices": sum(a[2] == b[2] for a, b in zip(local, tops))}
        return {"parity": parity, "pool_sampled": bool(len(retriever.clauses) > len(retriever._pool_positions)),"publish_s": rnd(publish_s, 3), "p50_ms": lat["p50_ms"], "p95_ms": lat["p95_ms"],
                "app_rss_mb": app["now"], "app_peak_mb": app["peak"],
                "milvus_rss_mb": milvus["now"], "milvus_peak_mb": milvus["peak"], "milvus_disk_mb": rnd(disk, 1)}
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def milvus_lines(report: dict, add) -> None:
    """The local and Milvus rows side by side, size by size."""
    rows = [r for r in report["scaling"] if "milvus" in r]
    if not rows:
        return
    add("Backends side by side (same build, same questions; Milvus = Milvus Lite server on loopback)")
    add(f"  {'clauses':>8}{'backend':>9}{'build s':>9}{'p50 ms':>9}{'p95 ms':>9}{'app MB':>9}{'milvus MB':>11}"
        f"{'disk MB':>9}")
    for r in rows:
        m = r["milvus"]
        add(f"  {r['clauses']:>8}{'local':>9}{r['build_s']:>9.2f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
            f"{r.get('rss_now_mb', r['rss_mb']):>9.0f}{'-':>11}{r['index_mb']:>9.0f}")
        add(f"  {'':>8}{'milvus':>9}{m['publish_s']:>9.2f}{m['p50_ms']:>9.1f}{m['p95_ms']:>9.1f}"
            f"{m['app_rss_mb']:>9.0f}{m['milvus_rss_mb']:>11.0f}{m['milvus_disk_mb']:>9.0f}")
    for r in rows:
        par = r["milvus"].get("parity")
        if par:
            add(f"  {r['clauses']} clauses: same top clause {par['same_top']}/{par['questions']}, same found "
                f"{par['same_found']}, same offices {par['same_offices']}"
                + (" (fusion floor from the bounded sample)" if r["milvus"].get("pool_sampled") else ""))
    add("  build s: local = the whole build (synthetic vectors, no embedding); milvus = publishing that build")
    add("  (write, flush, index, switch). MB: resident memory after the timed questions (Milvus: its own process);")
    add("  disk: the local build folder, or Milvus's data folder.")
