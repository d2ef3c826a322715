"""A Milvus server for tests: qa.backends.lite (the Milvus core from the project's requirements,
nothing downloaded) on a free loopback port over a temporary data file, stopped by its pid."""
from __future__ import annotations

from qa.backends.lite import LiteServer, free_port


class MilvusServer(LiteServer):
    """The tests' name for it; `start(); stop(); start()` keeps the port and the data."""


__all__ = ["MilvusServer", "free_port"]
