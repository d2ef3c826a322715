"""Milvus Lite as a server: the Milvus core the PyPI package milvus-lite ships, serving gRPC on a
loopback port over one data file — for tests, the bench and a small deployment whose app
replicas share one Milvus without a cluster (`python -m qa.backends.lite DATA_DIR PORT`).

Why not pymilvus's embedded mode everywhere: an embedded Milvus lives and dies with the process
that opened it and serves only that process; a test that stops Milvus under a serving engine,
the bench that weighs Milvus apart from the app, and several app processes all need it as a
process of its own, started and stopped by its pid. Loopback only: Milvus Lite has no auth.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> dict:
    """Current and peak resident memory of a process (Linux /proc), in MB; zeros elsewhere."""
    out = {"now": 0.0, "peak": 0.0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out["now"] = round(int(line.split()[1]) / 1024, 1)
            elif line.startswith("VmHWM:"):
                out["peak"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


class LiteServer:
    """start() → listening on HOST:port; stop() by pid (SIGTERM, then SIGKILL); uri; rss()."""

    def __init__(self, data_dir, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, wait: float = 60.0) -> "LiteServer":
        import milvus_lite
        lib = Path(milvus_lite.__file__).parent / "lib"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, LD_LIBRARY_PATH=f"{lib}:{os.environ.get('LD_LIBRARY_PATH', '')}")
        self.proc = subprocess.Popen([str(lib / "milvus"), str(self.data_dir / "server.db"), f"{HOST}:{self.port}",
                                      "ERROR"], cwd=self.data_dir, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"milvus exited with {self.proc.returncode}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("milvus did not listen in time")

    def rss(self) -> dict:
        return rss_mb(self.proc.pid) if self.proc is not None else {"now": 0.0, "peak": 0.0}

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python -m qa.backends.lite DATA_DIR PORT", file=sys.stderr)
        return 2
    server = LiteServer(argv[0], int(argv[1])).start()

    def stop(signum, frame):  # Ctrl-C, or SIGTERM from a supervisor (a background job ignores SIGINT)
        server.stop()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"milvus lite serving {server.uri} (pid {server.proc.pid}); Ctrl-C or SIGTERM stops it",
          file=sys.stderr, flush=True)
    server.proc.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
