"""Load test: N concurrent gradio_client clients ask the running app's /ask endpoint for a bounded time.

    python scripts/load_test.py --url http://127.0.0.1:7860/ --clients 16 --seconds 30

Each client is a thread with its own `gradio_client.Client`, asking a mix of questions from
eval/questions.jsonl (client i starts at a different question). Prints throughput (answers/s),
p50/p95/p99 latency and the error count; with --json prints one JSON object instead. Exits 1 when
any request failed, 2 on bad usage. Only loopback servers are accepted (this is a test tool, not a
way to load someone else's server).
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import math
import os
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "questions.jsonl"


def is_loopback(host: str) -> bool:
    """True only when every address `host` resolves to is a loopback address."""
    if not host:
        return False
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    addrs = {info[4][0].split("%")[0] for info in infos}
    return bool(addrs) and all(ipaddress.ip_address(a).is_loopback for a in addrs)


def load_questions(path: Path = QUESTIONS) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line).get("question")
            if isinstance(q, str) and q.strip():
                out.append(q)
    if not out:
        raise SystemExit(f"error: no questions in {path}")
    return out


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(round(p / 100.0 * len(s), 9)) - 1))
    return s[k]


def run(url: str, clients: int = 16, seconds: float = 30.0, questions: list[str] | None = None,
        api_name: str = "/ask") -> dict:
    from gradio_client import Client

    questions = questions or load_questions()
    latencies: list[float] = []
    per_client = [0] * clients
    errors: list[str] = []
    lock = threading.Lock()
    deadline_box = [0.0, 0.0]  # (start, deadline), set once every client is connected

    def go() -> None:
        deadline_box[1] = time.monotonic()
        deadline_box[0] = deadline_box[1] + seconds

    start_barrier = threading.Barrier(clients + 1, action=go)

    def worker(i: int) -> None:
        client = None
        try:
            client = Client(url, verbose=False)
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none is fatal
            with lock:
                errors.append(f"client {i}: connect: {type(exc).__name__}: {exc}")
        try:
            start_barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        if client is None:
            return
        n = i * 7
        while time.monotonic() < deadline_box[0]:
            q = questions[n % len(questions)]
            n += 1
            t0 = time.perf_counter()
            try:
                result = client.predict(q, 5, "", api_name=api_name)
                if not isinstance(result, dict) or "found" not in result:
                    raise ValueError(f"unexpected result {str(result)[:80]!r}")
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"client {i}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                per_client[i] += 1
        try:
            client.close()
        except Exception:  # noqa: BLE001
            pass

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    try:
        start_barrier.wait(timeout=120)
    except threading.BrokenBarrierError:
        go()
    t_start = deadline_box[1]
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.monotonic() - t_start
    answers = len(latencies)
    return {
        "url": url, "clients": clients, "seconds": round(elapsed, 2), "answers": answers,
        "throughput": round(answers / elapsed, 2) if elapsed > 0 else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else 0.0,
        "errors": len(errors), "error_samples": errors[:5], "per_client": per_client,
        "hung_clients": sum(t.is_alive() for t in threads),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Concurrent load test of the running Plan QA app (loopback only).")
    p.add_argument("--url", default="http://127.0.0.1:7860/", help="app URL (loopback only)")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients (threads), default 16")
    p.add_argument("--seconds", type=float, default=30.0, help="how long to ask, default 30")
    p.add_argument("--questions", default=str(QUESTIONS), help="JSON Lines with a 'question' field")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = p.parse_args(argv)
    host = urlparse(args.url).hostname or ""
    if not is_loopback(host):
        print(f"error: refusing to load {host or args.url!r}: only loopback hosts (127.0.0.1, ::1, localhost)",
              file=sys.stderr)
        return 2
    if args.clients < 1 or not 0 < args.seconds <= 3600:
        print("error: --clients must be >= 1 and --seconds in (0, 3600]", file=sys.stderr)
        return 2
    stats = run(args.url, args.clients, args.seconds, load_questions(Path(args.questions)))
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        print(f"{stats['answers']} answers in {stats['seconds']} s from {stats['clients']} clients: "
              f"{stats['throughput']} answers/s; latency p50 {stats['p50_ms']} ms, p95 {stats['p95_ms']} ms, "
              f"p99 {stats['p99_ms']} ms, max {stats['max_ms']} ms; errors {stats['errors']}")
        print(f"answers per client: min {min(stats['per_client'])}, max {max(stats['per_client'])}")
        for e in stats["error_samples"]:
            print(f"  {e}", file=sys.stderr)
    return 1 if stats["errors"] or stats["hung_clients"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
