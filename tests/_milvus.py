"""A Milvus server for tests: the real Milvus core that the PyPI package milvus-lite ships (the
project's requirements install it; nothing is downloaded), serving gRPC on a free loopback port
over a temporary data file, started and stopped by its pid.

Why a server and not only the embedded mode: a fault test must stop Milvus under a serving engine
and start it again on the same port and data, exactly what happens to a standalone server.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary() -> Path:
    import milvus_lite
    return Path(milvus_lite.__file__).parent / "lib"


class MilvusServer:
    """`milvus <db file> 127.0.0.1:<port>`: start(), stop() (SIGTERM then SIGKILL by pid), uri."""

    def __init__(self, data_dir: Path, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 30.0) -> "MilvusServer":
        lib = _binary()
        env = dict(os.environ, LD_LIBRARY_PATH=f"{lib}:{os.environ.get('LD_LIBRARY_PATH', '')}")
        self.proc = subprocess.Popen([str(lib / "milvus"), str(self.data_dir / "server.db"),
                                      f"127.0.0.1:{self.port}", "ERROR"],
                                     cwd=self.data_dir, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"milvus exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("milvus did not listen in time")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = None
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None
