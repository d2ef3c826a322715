"""Faults on disk: every one gives one clear log line and either a rebuild or a clear refusal.

Never a crash, never a rebuild loop (the next open loads what the rebuild wrote), never a silently
wrong answer. Index faults: corrupt, truncated, other format version, missing CURRENT, garbage
CURRENT, missing manifest. Corpus faults: a directory named x.txt, invalid bytes, GB18030 text, a
document without an outline, unreadable offices.json / glossary_en.tsv / userdict.txt, no plan left.
Atomic writes: `python -m qa build` killed (SIGKILL) midway leaves the previous index in use.
The hash embedder keeps these fast; the index logic does not depend on the embedder.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa import Engine
from qa.corpus import CorpusError
from qa.store import current_folder

ROOT = Path(__file__).resolve().parent.parent
PLAN = "000_73dbaa277aa75437"
PLEDGE = "哪个部门负责知识产权质押融资？"
PLEDGE_CLAUSE = f"{PLAN}:二.九.2"


def open_engine(corpus: Path, index: Path, embedder="hash"):
    log = io.StringIO()
    engine = Engine.open(corpus, index, embedder, log=log)
    return engine, [line for line in log.getvalue().splitlines() if line.strip()]


def assert_answers(engine, doc_id: str = PLAN):
    a = engine.ask(PLEDGE)
    assert a.found, a.answer
    assert a.hits and a.hits[0].clause.doc_id == doc_id
    assert "省金融办" in a.departments or any("金融" in d for d in a.departments), a.departments
    return a


def rebuild_lines(lines):
    return [line for line in lines if "rebuilding" in line]


@pytest.fixture
def corpus(tmp_path, corpus_dir) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(corpus_dir, dest)
    for p in dest.iterdir():
        p.chmod(0o644)
    return dest


@pytest.fixture
def built(corpus, tmp_path):
    """(corpus, index folder, live build folder) after one clean build."""
    index = tmp_path / "index"
    engine, lines = open_engine(corpus, index)
    assert_answers(engine)
    return corpus, index, current_folder(index)


def reopen_rebuilds_once(corpus, index, reason: str):
    """Open: exactly one log line says why it rebuilds; it answers; the next open just loads."""
    engine, lines = open_engine(corpus, index)
    said = rebuild_lines(lines)
    assert len(said) == 1, lines
    assert reason in said[0], said
    assert_answers(engine)
    again, lines2 = open_engine(corpus, index)
    assert not rebuild_lines(lines2), f"rebuilt twice (a rebuild loop): {lines2}"
    assert_answers(again)
    return said[0]


# ------------------------------------------------------------------------------------------ index

INDEX_FILES = ["clauses.json", "vectors.npy", "dense.faiss", "bm25_data.npy", "bm25_indices.npy",
               "bm25_indptr.npy", "bm25_vocab.json"]


@pytest.mark.parametrize("name", INDEX_FILES)
def test_corrupt_index_file_is_rebuilt(built, name):
    corpus, index, folder = built
    path = folder / name
    assert path.exists(), sorted(p.name for p in folder.iterdir())
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 16] = b"\xde\xad\xbe\xef" * 4
    path.write_bytes(bytes(data))
    reopen_rebuilds_once(corpus, index, f"index file {name} is missing or corrupt")


@pytest.mark.parametrize("name", ["clauses.json", "vectors.npy", "dense.faiss", "bm25_indptr.npy"])
def test_truncated_index_file_is_rebuilt(built, name):
    corpus, index, folder = built
    path = folder / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    reopen_rebuilds_once(corpus, index, f"index file {name} is missing or corrupt")


@pytest.mark.parametrize("name", ["clauses.json", "vectors.npy", "dense.faiss"])
def test_truncated_file_with_matching_checksum_is_rebuilt(built, name):
    """Even when the manifest agrees with a damaged file (a tool rewrote it), decoding fails loudly."""
    corpus, index, folder = built
    path = folder / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    from qa.store import _sha
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][name] = _sha(path)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    reopen_rebuilds_once(corpus, index, "index files unreadable")


@pytest.mark.parametrize("fmt", [1, 99, "2", None])
def test_other_format_version_is_rebuilt(built, fmt):
    corpus, index, folder = built
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = fmt
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    reopen_rebuilds_once(corpus, index, "index format")


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"null"])
def test_unreadable_manifest_is_rebuilt(built, content):
    corpus, index, folder = built
    (folder / "manifest.json").write_bytes(content)
    reopen_rebuilds_once(corpus, index, "manifest")


def test_missing_manifest_is_rebuilt(built):
    corpus, index, folder = built
    (folder / "manifest.json").unlink()
    reopen_rebuilds_once(corpus, index, "manifest is missing or unreadable")


def test_missing_current_is_rebuilt(built):
    corpus, index, _ = built
    (index / "CURRENT").unlink()
    reopen_rebuilds_once(corpus, index, "no index built yet")


@pytest.mark.parametrize("content", [b"b-does-not-exist", b"", b"\n\n", b"../../etc", b"\xff\xfe\xfa garbage",
                                     b"b-\x00nul"])
def test_garbage_current_is_rebuilt(built, content):
    corpus, index, _ = built
    (index / "CURRENT").write_bytes(content)
    reopen_rebuilds_once(corpus, index, "")


def test_current_naming_a_file_is_rebuilt(built):
    corpus, index, _ = built
    (index / "stray").write_text("x", encoding="utf-8")
    (index / "CURRENT").write_text("stray", encoding="utf-8")
    reopen_rebuilds_once(corpus, index, "no index built yet")


# ------------------------------------------------------------------------------------------ corpus

def test_directory_named_txt_is_skipped_with_a_warning(built):
    corpus, index, _ = built
    (corpus / "x.txt").mkdir()
    engine, lines = open_engine(corpus, index)
    warnings = [line for line in lines if "x.txt" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning:"), lines
    assert_answers(engine)


def test_file_with_invalid_bytes_is_skipped_with_a_warning(built):
    corpus, index, _ = built
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\xff\x80\x81 not a plan \xff" * 50)
    engine, lines = open_engine(corpus, index)
    warnings = [line for line in lines if "broken.txt" in line]
    assert len(warnings) == 1 and "skipped" in warnings[0], lines
    assert_answers(engine)
    assert all(c.doc_id != "broken" for c in engine.clauses)


def test_missing_corpus_file_is_a_clear_refusal(built):
    corpus, index, _ = built
    (corpus / f"{PLAN}.txt").unlink()
    with pytest.raises(CorpusError, match="no readable plan"):
        Engine.open(corpus, index, "hash", log=None)
    out = subprocess.run([sys.executable, "-m", "qa", "--corpus", str(corpus), "--index", str(index),
                          "--embedder", "hash", "ask", PLEDGE], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "no readable plan" in errors[0], out.stderr


def test_missing_corpus_folder_is_a_clear_refusal(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        Engine.open(tmp_path / "nowhere", tmp_path / "index", "hash", log=None)


def test_gb18030_plan_parses_and_answers(tmp_path, corpus_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in corpus_dir.iterdir():
        if p.suffix != ".txt" or p.name == "userdict.txt":
            shutil.copy(p, corpus / p.name)
    text = (corpus_dir / f"{PLAN}.txt").read_text(encoding="utf-8")
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8
    (corpus / "plan_gbk.txt").write_bytes(data)
    engine, lines = open_engine(corpus, tmp_path / "index")
    assert not [line for line in lines if line.startswith("warning:")], lines
    a = assert_answers(engine, doc_id="plan_gbk")
    assert a.hits[0].clause.id == PLEDGE_CLAUSE.replace(PLAN, "plan_gbk")
    assert "质押" in a.answer


def test_document_without_outline_is_skipped_others_answer(built):
    corpus, index, _ = built
    (corpus / "notes.txt").write_text("这是一份会议纪要，没有任何章节编号。\n" * 40 + "知识产权质押融资由银行负责。\n",
                                      encoding="utf-8")
    engine, lines = open_engine(corpus, index)
    warnings = [line for line in lines if "notes.txt" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: skipped notes.txt"), lines
    assert_answers(engine)
    assert all(c.doc_id != "notes" for c in engine.clauses)


DATA_GARBAGE = {
    "offices.json": [b"\xff\xfe\x00\x81garbage", b"{not json", b"[1, 2, 3]", b'{"name": "x"}', b'[{"no_name": 1}]'],
    "glossary_en.tsv": [b"\xff\xfe\x00\x81garbage\tx\n" * 10],
    "userdict.txt": [b"\xff\xfe\x00\x81garbage\n" * 10],
}


@pytest.mark.parametrize("name,content", [(n, c) for n, cs in DATA_GARBAGE.items() for c in cs])
def test_unreadable_data_file_warns_and_still_answers(built, name, content):
    corpus, index, _ = built
    (corpus / name).write_bytes(content)
    engine, lines = open_engine(corpus, index)
    warnings = [line for line in lines if line.startswith("warning:") and name in line]
    assert len(warnings) == 1, lines
    assert "Traceback" not in "\n".join(lines)
    a = engine.ask(PLEDGE)
    assert a.found and a.hits[0].clause.id == PLEDGE_CLAUSE, (a.answer, [h.clause.id for h in a.hits])


def test_data_file_that_is_a_directory_warns_and_still_answers(built):
    corpus, index, _ = built
    for name in ("offices.json", "glossary_en.tsv", "userdict.txt"):
        (corpus / name).unlink()
        (corpus / name).mkdir()
    engine, lines = open_engine(corpus, index)
    assert "Traceback" not in "\n".join(lines)
    a = engine.ask(PLEDGE)
    assert a.found and a.hits[0].clause.id == PLEDGE_CLAUSE


# ------------------------------------------------------------------------------------------ atomic build

def _big_corpus(tmp_path: Path, corpus_dir: Path, copies: int = 24) -> Path:
    big = tmp_path / "big"
    big.mkdir()
    for p in corpus_dir.iterdir():
        if p.suffix != ".txt" or p.name == "userdict.txt":
            shutil.copy(p, big / p.name)
    shutil.copy(corpus_dir / "userdict.txt", big / "userdict.txt")
    text = (corpus_dir / f"{PLAN}.txt").read_bytes()
    shutil.copy(corpus_dir / f"{PLAN}.txt", big / f"{PLAN}.txt")
    for i in range(copies):
        (big / f"copy{i:02d}.txt").write_bytes(text)
    return big


def _build_cmd(corpus: Path, index: Path) -> list[str]:
    return [sys.executable, "-m", "qa", "--corpus", str(corpus), "--index", str(index), "--embedder", "hash", "build"]


@pytest.mark.slow
def test_build_killed_midway_leaves_previous_index(tmp_path, corpus_dir):
    corpus, index = _big_corpus(tmp_path, corpus_dir), tmp_path / "index"
    t0 = time.monotonic()
    first = subprocess.run(_build_cmd(corpus, index), cwd=ROOT, capture_output=True, text=True, timeout=300)
    full = time.monotonic() - t0
    assert first.returncode == 0, first.stderr
    live = current_folder(index)
    pointer = (index / "CURRENT").read_bytes()
    manifest = (live / "manifest.json").read_bytes()

    caught_tmp, kept, published = False, 0, 0
    delays = [full * f for f in (0.3, 0.6, 0.85)] + [None]  # None: kill the moment a .tmp-* folder appears
    for delay in delays:
        proc = subprocess.Popen(_build_cmd(corpus, index), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            if delay is None:
                deadline = time.monotonic() + full * 3 + 30
                while proc.poll() is None and time.monotonic() < deadline:
                    if any(p.name.startswith(".tmp-") for p in index.iterdir()):
                        caught_tmp = True
                        break
                    time.sleep(0.001)
            else:
                time.sleep(delay)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        if proc.returncode != -signal.SIGKILL:
            continue  # finished before the kill: a complete new index, nothing to check
        engine, lines = open_engine(corpus, index)
        assert not rebuild_lines(lines), f"killed at {delay}: {lines}"
        assert_answers(engine)
        if (index / "CURRENT").read_bytes() != pointer:
            # killed after the pointer moved (while tidying old builds): the new build is complete
            published += 1
            live, pointer = current_folder(index), (index / "CURRENT").read_bytes()
            manifest = (live / "manifest.json").read_bytes()
            continue
        # the previous build is still the live one, byte for byte
        kept += 1
        assert current_folder(index) == live
        assert (live / "manifest.json").read_bytes() == manifest
    assert kept >= 1, f"every kill landed after publishing ({published}); nothing tested"
    if not caught_tmp:
        pytest.skip("never caught the build inside its publish step (machine too fast); earlier kills passed")
