"""Load, short form: `python app.py` on a loopback port, 16 concurrent gradio_client clients for 15 s.

Every request must succeed and every client must get at least one answer (no starvation, no
"queue is full", no dropped connections). The long form and the figures are in the README
(Reliability); `scripts/load_test.py` is the same code.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from _app import ROOT

CLIENTS, SECONDS = 16, 15


@pytest.mark.slow
def test_sixteen_clients_for_fifteen_seconds_without_errors(server, artifacts):
    out = subprocess.run([sys.executable, "scripts/load_test.py", "--url", server.url, "--clients", str(CLIENTS),
                          "--seconds", str(SECONDS), "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=SECONDS + 40)
    assert out.stdout.strip(), f"no figures; stderr:\n{out.stderr[-2000:]}"
    stats = json.loads(out.stdout.strip().splitlines()[-1])
    (artifacts / "load_short.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
    assert stats["errors"] == 0, stats["error_samples"]
    assert stats["hung_clients"] == 0
    assert len(stats["per_client"]) == CLIENTS
    assert min(stats["per_client"]) >= 1, stats["per_client"]
    assert out.returncode == 0, out.stderr[-2000:]
    assert server.proc.poll() is None, "the app died under load:\n" + server.log_tail()


def test_load_script_refuses_non_loopback_hosts():
    out = subprocess.run([sys.executable, "scripts/load_test.py", "--url", "http://192.0.2.1:7860/", "--seconds", "1"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "loopback" in out.stderr and "Traceback" not in out.stderr


def test_percentiles():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from load_test import is_loopback, percentile
    finally:
        sys.path.pop(0)
    values = [i / 100 for i in range(1, 101)]
    assert percentile(values, 50) == 0.5 and percentile(values, 95) == 0.95 and percentile(values, 99) == 0.99
    assert percentile([], 50) == 0.0
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("192.0.2.1")
