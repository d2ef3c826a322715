"""--backend / QA_BACKEND: parsed the same way everywhere, refused in one line (exit 2) when it
names no backend, before any corpus or index is opened; filters as Milvus expressions. None of
this needs Milvus (tests/test_milvus.py does)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from qa.backends import UnknownBackend, parse_backend
from qa.backends.filters import Filter, expression, keeps

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value, kind, uri", [
    (None, "local", None), ("local", "local", None), ("milvus", "milvus", None),
    ("milvus:http://127.0.0.1:19530", "milvus", "http://127.0.0.1:19530"),
    (" milvus:/data/x.db ", "milvus", "/data/x.db")])
def test_backend_values(value, kind, uri):
    b = parse_backend(value, env={})
    assert (b.kind, b.uri) == (kind, uri)


def test_environment_names_the_backend_when_the_flag_does_not():
    assert parse_backend(None, env={"QA_BACKEND": "milvus:http://h:1"}).uri == "http://h:1"
    assert parse_backend("local", env={"QA_BACKEND": "milvus"}).kind == "local"


@pytest.mark.parametrize("value", ["faiss", "milvus:", "milvus: a b", "Milvus", "local:x"])
def test_unknown_backends_are_refused(value):
    with pytest.raises(UnknownBackend):
        parse_backend(value, env={})


def test_unknown_backend_is_one_line_and_exit_2_before_the_index_is_opened(tmp_path):
    r = subprocess.run([sys.executable, "-m", "qa", "ask", "问题", "--backend", "faiss",
                        "--corpus", str(tmp_path / "nowhere"), "--index", str(tmp_path / "idx")],
                       cwd=ROOT, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().count("\n") == 0 and "faiss" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "idx").exists()


def test_app_refuses_an_unknown_backend_without_starting(tmp_path):
    r = subprocess.run([sys.executable, "app.py", "--backend", "faiss", "--index", str(tmp_path / "idx")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert r.returncode == 2 and "faiss" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "idx").exists()


def test_every_filter_is_one_expression_and_one_python_test():
    f = Filter(doc="d1", office='省"厅', part="二")
    assert expression(f) == 'doc == "d1" and array_contains(offices, "省\\"厅") and part like "二%"'
    assert keeps(f, "d1", ('省"厅',), "二、任务") and not keeps(f, "d2", ('省"厅',), "二、任务")
    assert not keeps(f, "d1", (), "二、任务") and not keeps(f, "d1", ('省"厅',), "三、任务")
    assert Filter().empty and expression(Filter()) == ""
