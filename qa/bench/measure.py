"""Measuring helpers shared by every part of the bench: memory, percentiles, questions, processes.

Why a module of its own: the plan measurements, the synthetic-scale workers and the report all
read memory the same way (VmHWM, or the child's rusage), summarise latencies the same way (p50/p95
per pass, then the median over passes) and start `python -m qa …` children the same way; written
once here, the figures of the different parts stay comparable.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
QUESTIONS = ROOT / "eval" / "questions.jsonl"
SEED = 13


# ------------------------------------------------------------------------------------ numbers

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
    """Example: med([3, 1, 2]) == 2.0; med([]) == 0.0"""
    return float(np.median(np.asarray(values, dtype=np.float64))) if len(values) else 0.0


def rnd(x: float, nd: int = 2) -> float:
    return round(float(x), nd)


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) / 2**20


def latency_summary(passes: list[list[tuple[str, float]]]) -> dict:
    """passes: per pass, (intent, seconds) per question → p50/p95 ms overall and by intent, each the
    median over passes.

    Example: latency_summary([[("a", .001)], [("a", .003)]])["all"]["p50_ms"] == 2.0
    """
    def stats(select):
        p50s, p95s = [], []
        for run in passes:
            ts = [t * 1000 for intent, t in run if select(intent)]
            if ts:
                p50s.append(pct(ts, 50))
                p95s.append(pct(ts, 95))
        return {"p50_ms": rnd(med(p50s)), "p95_ms": rnd(med(p95s)),
                "n": sum(1 for i, _ in passes[0] if select(i)) if passes else 0}
    intents = sorted({i for run in passes for i, _ in run})
    return {"all": stats(lambda i: True), "by_intent": {k: stats(lambda i, k=k: i == k) for k in intents}}


# ------------------------------------------------------------------------------------ questions

def load_questions(path: Path = QUESTIONS, per_intent: int | None = None, corpus=None) -> list[dict]:
    """Eval questions ({id, intent, lang, question}); `per_intent` keeps the first n of each intent.

    Without the file (or with an empty one) the questions come from the loaded `corpus` itself
    (qa.examples: one example per kind of question the corpus has material for), so the bench
    runs on any plan; without a corpus either, ValueError.
    """
    items, seen = [], defaultdict(int)
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for line in lines:
        if not line.strip():
            continue
        d = json.loads(line)
        intent = d.get("intent") or "unknown"
        if per_intent is not None and seen[intent] >= per_intent:
            continue
        seen[intent] += 1
        items.append({"id": d.get("id"), "intent": intent, "lang": d.get("lang", ""), "question": d["question"]})
    if items:
        return items
    if corpus is None:
        raise ValueError(f"no questions in {path}; give the corpus to derive example questions from it")
    return corpus_questions(corpus)


def corpus_questions(corpus) -> list[dict]:
    """Example questions built from the corpus's own clauses and offices (qa.examples)."""
    from ..examples import example_items
    items = example_items([c for d in corpus.documents for c in d.clauses], corpus.offices)
    if not items:
        raise ValueError("the corpus gives no example questions to time; add eval/questions.jsonl")
    return [dict(item, lang="") for item in items]


def at_least(items: list[dict], n: int, spread: bool = False) -> list[dict]:
    """`n` or more questions: every item, cycled (ids suffixed #2, #3 …) up to `n` when there are
    fewer; with `spread`, exactly `n` evenly spaced over the list (every intent keeps its share).

    Example: [q["id"] for q in at_least([{"id": "a"}, {"id": "b"}], 3)] == ["a", "b", "a#2"]
    """
    if not items:
        return []
    if len(items) >= n:
        return [items[i * len(items) // n] for i in range(n)] if spread else list(items)
    out = []
    for i in range(n):
        item, lap = items[i % len(items)], i // len(items)
        out.append(dict(item) if lap == 0 else dict(item, id=f"{item['id']}#{lap + 1}"))
    return out


# ------------------------------------------------------------------------------------ processes

_T0 = time.perf_counter()


def say(log, text: str) -> None:
    if log is not None:
        print(f"bench [{time.perf_counter() - _T0:5.0f} s]: {text}", file=log, flush=True)


def child_env() -> dict:
    """This environment with the repository first on PYTHONPATH (children run `-m qa …`)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def reap(proc: subprocess.Popen) -> float:
    """Reap a child and return its peak RSS in MB (wait4 rusage: Linux reports kB)."""
    try:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_maxrss / 1024
    except (AttributeError, ChildProcessError):
        proc.wait()
        return 0.0


def qa_command(corpus: Path, index: Path, spec: str, *rest: str) -> list[str]:
    """`python -u -m qa --corpus … --index … --embedder … <rest>`."""
    return [sys.executable, "-u", "-m", "qa", "--corpus", str(corpus), "--index", str(index),
            "--embedder", spec, *rest]


def run_worker(kind: str, cfg: dict) -> dict:
    """Run one measurement in a fresh `python -m qa.bench --worker KIND cfg.json` process and
    return the JSON object it prints last (fresh processes: per-measurement peak RSS)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False)
        path = f.name
    try:
        proc = subprocess.run([sys.executable, "-m", "qa.bench", "--worker", kind, path], cwd=ROOT,
                              env=child_env(), stdout=subprocess.PIPE, stderr=None, stdin=subprocess.DEVNULL)
    finally:
        os.unlink(path)
    lines = proc.stdout.decode("utf-8").strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench worker {kind} failed (exit {proc.returncode})")
    return json.loads(lines[-1])


def loadavg() -> list[float] | None:
    """1/5/15-minute load averages: a bench on a shared machine says how shared it was."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None
