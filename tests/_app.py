"""Start `python app.py` as a subprocess on a loopback port and stop it (shared by the app tests).

The app builds its index into the folder it is given, so tests never touch ./index. One server
per test module: `ServerBox` is filled by the first test that needs it and emptied by a
module-scoped finaliser.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 300  # first start builds the index (embeddings) on a shared 2-core machine


class AppServer:
    def __init__(self, port: int, corpus: Path, index: Path, log: Path, feedback: Path | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.corpus, self.index, self.log_path = corpus, index, log
        # the marks and the curated set go beside the log, never into the repository
        self.feedback, self.curated = feedback or log.parent / "feedback.jsonl", log.parent / "curated.jsonl"
        env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port),
             "--corpus", str(corpus), "--index", str(index),
             "--feedback", str(self.feedback), "--curated-set", str(self.curated)],
            cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> "AppServer":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "gradio_api/info", timeout=5) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"app.py not ready after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, n: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._log.close()


def app_index_dir(tmp_path_factory) -> Path:
    """One index folder for every app test in the session: built once, then only loaded."""
    path = tmp_path_factory.getbasetemp() / "app-index"
    path.mkdir(exist_ok=True)
    return path


class ServerBox:
    """Holds the module's one server; `get` starts it on the first call."""

    def __init__(self):
        self.server: AppServer | None = None
        self.error: str | None = None

    def get(self, port: int, corpus: Path, tmp_path_factory) -> AppServer:
        if self.error:  # do not wait READY_TIMEOUT again for every test of the module
            raise RuntimeError(self.error)
        if self.server is None:
            log = tmp_path_factory.mktemp("app-log") / "app.log"
            self.server = AppServer(port, corpus, app_index_dir(tmp_path_factory), log)
            try:
                self.server.wait_ready()
            except RuntimeError as exc:
                self.error = str(exc)
                raise
        return self.server

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
