"""The jieba dictionary cache (qa/dictcache.py): same dicts as jieba's own, and safe on disk.

Stale (another dictionary) → rebuilt with one line; damaged or truncated → rebuilt with one line;
a writer never exposes a torn file to a reader; concurrent first starts all succeed and leave one
good cache and no temporary files. jieba's state is per process, so the loads run in subprocesses.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from qa import dictcache

ROOT = Path(__file__).resolve().parent.parent

# In a fresh process: load (or not) the dictionary, then print what happened, the log, and a digest
# of FREQ, total and the tag table — in their iteration order, which jieba's users may rely on.
PROBE = r"""
import hashlib, io, json, sys
from qa import dictcache
import jieba
if len(sys.argv) > 2 and sys.argv[2]:
    jieba.set_dictionary(sys.argv[2])
log = io.StringIO()
if sys.argv[1] == "jieba":
    how = "jieba"
    jieba.dt.check_initialized()
else:
    how = dictcache.load(sys.argv[1], log)
import jieba.posseg
h = hashlib.sha256()
for w, f in jieba.dt.FREQ.items():
    h.update(f"{w}\t{f}\n".encode())
h.update(f"total {jieba.dt.total}\n".encode())
for w, t in jieba.posseg.dt.word_tag_tab.items():
    h.update(f"{w}\t{t}\n".encode())
print(json.dumps({"how": how, "log": log.getvalue().splitlines(), "digest": h.hexdigest(),
                  "words": len(jieba.dt.FREQ), "tags": len(jieba.posseg.dt.word_tag_tab),
                  "cut": [tuple(p) for p in jieba.posseg.lcut("知识产权质押融资")]}, ensure_ascii=False))
"""


def probe(index_dir, dictionary: str = "") -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(index_dir), dictionary], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def jiebas_own(tmp_path_factory) -> dict:
    return probe("jieba")


@pytest.fixture
def cached(tmp_path) -> Path:
    """An index folder holding a freshly written cache."""
    first = probe(tmp_path)
    assert first["how"] == "built" and first["log"] == [], first
    return tmp_path


def test_a_cache_hit_gives_exactly_jiebas_own_dicts(cached, jiebas_own):
    again = probe(cached)
    assert again["how"] == "loaded" and again["log"] == []
    assert again["words"] > 100_000 and again["tags"] > 100_000
    assert again["digest"] == jiebas_own["digest"]
    assert again["cut"] == jiebas_own["cut"]


def test_a_miss_gives_jiebas_own_dicts_and_writes_the_cache(tmp_path, jiebas_own):
    first = probe(tmp_path)
    assert first["how"] == "built" and first["digest"] == jiebas_own["digest"]
    assert (tmp_path / dictcache.FILE_NAME).is_file()
    assert [p.name for p in tmp_path.iterdir()] == [dictcache.FILE_NAME]  # no temporary file left


def test_another_dictionary_makes_the_cache_stale(cached, tmp_path_factory):
    small = tmp_path_factory.mktemp("dict") / "small.txt"
    small.write_text("知识产权 50 n\n质押 30 v\n融资 40 vn\n", encoding="utf-8")
    stale = probe(cached, str(small))
    assert stale["how"] == "built", stale
    assert len(stale["log"]) == 1 and "another dictionary" in stale["log"][0] and "rebuilding" in stale["log"][0]
    assert stale["tags"] == 3  # the small dictionary's own tags, not the cached ones
    again = probe(cached, str(small))
    assert again["how"] == "loaded" and again["log"] == [] and again["digest"] == stale["digest"]


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty", "header"])
def test_a_damaged_cache_is_rebuilt_with_one_line(cached, jiebas_own, damage):
    path = cached / dictcache.FILE_NAME
    data = bytearray(path.read_bytes())
    if damage == "flip":
        mid = len(data) // 2
        data[mid:mid + 8] = bytes(b ^ 0xFF for b in data[mid:mid + 8])
    elif damage == "truncate":
        del data[len(data) * 2 // 3:]
    elif damage == "garbage":
        data = bytearray(os.urandom(4096))
    elif damage == "empty":
        data = bytearray()
    else:
        data[len(dictcache.MAGIC):len(dictcache.MAGIC) + 4] = b"{{{{"
    path.write_bytes(bytes(data))
    repaired = probe(cached)
    assert repaired["how"] == "built", repaired
    assert len(repaired["log"]) == 1 and "rebuilding" in repaired["log"][0], repaired["log"]
    assert repaired["digest"] == jiebas_own["digest"]
    again = probe(cached)
    assert again["how"] == "loaded" and again["log"] == []  # rebuilt once, not at every start


def test_concurrent_first_starts_all_succeed_and_leave_one_good_cache(tmp_path, jiebas_own):
    procs = [subprocess.Popen([sys.executable, "-c", PROBE, str(tmp_path), ""], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["digest"] == jiebas_own["digest"] and r["log"] == [] for r in results), results
    assert [p.name for p in tmp_path.iterdir()] == [dictcache.FILE_NAME]
    assert probe(tmp_path)["how"] == "loaded"


def test_a_reader_never_sees_a_torn_file(tmp_path):
    """Rewrite a large cache again and again while another thread reads it: every read is either
    the whole old file or the whole new one (a write in place would expose half-written files)."""
    freq = {f"词{i}": i for i in range(300_000)}
    tags = {f"词{i}": "n" for i in range(0, 300_000, 3)}
    payload = dictcache.encode(freq, sum(freq.values()), tags)
    path = tmp_path / dictcache.FILE_NAME
    assert dictcache.write(path, "k", payload)
    seen, done = [], threading.Event()

    def reader():
        while not done.is_set():
            seen.append(dictcache.read(path, "k")[1])

    t = threading.Thread(target=reader)
    t.start()
    try:
        for _ in range(15):
            assert dictcache.write(path, "k", payload)
    finally:
        done.set()
        t.join()
    assert seen and set(seen) == {None}, {w for w in seen if w}
    assert dictcache.read(path, "k")[0] == (freq, sum(freq.values()), tags)


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dictcache.os, "replace", refuse)
    assert dictcache.write(tmp_path / dictcache.FILE_NAME, "k", b"payload") is False
    assert list(tmp_path.iterdir()) == []


def test_what_does_not_fit_the_layout_is_not_cached():
    assert dictcache.encode({"a\nb": 1}, 1, {}) is None      # a word that would split in two
    assert dictcache.encode({"a": 1}, 1, {"b": "n"}) is None  # a tag for a word not in the dictionary
    assert dictcache.encode({}, 0, {}) is None


def test_a_process_that_already_loaded_jieba_is_left_alone(tmp_path):
    code = ("import jieba, sys; from qa import dictcache; jieba.dt.check_initialized(); "
            "print(dictcache.load(sys.argv[1]))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["skipped"] and list(tmp_path.iterdir()) == []
