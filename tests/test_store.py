"""The index folder: build → load round trip, a manifest that says what was built, and a stale or
damaged index that is refused by `store.load` and rebuilt by `Engine.open` with one log line.

Every test builds over its own tiny corpus (the second plan and the domain data files) with the
hash embedder, so it is fast and may break its index freely.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa import Engine
from qa.corpus import Corpus, fingerprint, load_corpus
from qa.embed import HashEmbedder
from qa.segment import Segmenter
from qa.bm25 import SparseBM25
from qa.passages import sentences
from qa.store import FORMAT_VERSION, StaleIndex, build, current_folder, index_text, load

ROOT = Path(__file__).resolve().parent.parent
SECOND_FILE = Path(__file__).resolve().parent / "fixtures" / "second_plan.txt"
QUESTION = "哪个部门负责海外知识产权纠纷应对指导"


class OtherEmbedder(HashEmbedder):
    """Same vectors, another id: the index must still count as built by someone else."""

    id = "other-embedder"


_SEGMENTERS: dict = {}


@pytest.fixture(autouse=True)
def one_segmenter_per_dictionary(monkeypatch):
    """Speed only: loading jieba's dictionary costs most of a build, and these tests build dozens
    of times over the same few dictionaries. A Segmenter is reused when its words and glossary
    are the same, so a changed userdict.txt still gets a segmenter of its own."""
    def segmenter(self: Corpus) -> Segmenter:
        words = tuple(self.user_words + self.offices.all_names())
        key = (words, tuple(sorted((k, tuple(v)) for k, v in self.glossary.items())))
        if key not in _SEGMENTERS:
            _SEGMENTERS[key] = Segmenter(words, self.glossary)
        return _SEGMENTERS[key]
    monkeypatch.setattr(Corpus, "segmenter", segmenter)


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("offices.json", "glossary_en.tsv", "userdict.txt"):
        shutil.copy(ROOT / "corpus" / name, folder / name)
    shutil.copy(SECOND_FILE, folder / "second_plan.txt")
    return folder


@pytest.fixture
def built(corpus_dir, tmp_path):
    """(corpus, index folder, Built) after one build."""
    corpus = load_corpus(corpus_dir)
    index = tmp_path / "index"
    return corpus, index, build(corpus, index, HashEmbedder(), stream=None)


def test_build_load_round_trip(built):
    corpus, index, fresh = built
    loaded = load(index, corpus, HashEmbedder())
    assert loaded.clauses == fresh.clauses
    assert loaded.searchable == fresh.searchable
    assert loaded.bm25.vocab == fresh.bm25.vocab
    query = ["海外", "知识产权", "纠纷"]
    assert np.array_equal(loaded.bm25.scores(query), fresh.bm25.scores(query))
    assert np.array_equal(loaded.dense.vectors, fresh.dense.vectors)
    assert loaded.manifest == fresh.manifest
    assert np.array_equal(loaded.sentences.clause_of, fresh.sentences.clause_of)
    assert np.array_equal(loaded.sentences.best(query, len(fresh.searchable)),
                          fresh.sentences.best(query, len(fresh.searchable)))


def test_one_pass_of_tokenising_gives_the_clause_index_of_its_whole_text(built):
    """The build tokenises each sentence once and joins them for the clause: the same BM25 as
    tokenising the clause's heading and text whole, and one sentence row per sentence."""
    corpus, _, fresh = built
    seg = corpus.segmenter()
    clauses = [fresh.clauses[i] for i in fresh.searchable]
    whole = SparseBM25.fit([seg.tokens(index_text(c)) for c in clauses], groups=[c.doc_id for c in clauses])
    assert whole.vocab == fresh.bm25.vocab
    assert abs(whole.weights - fresh.bm25.weights).max() < 1e-12
    assert len(fresh.sentences.clause_of) == sum(len(sentences(c.text)) for c in clauses)


def test_manifest_says_what_was_built(built, corpus_dir):
    _, index, fresh = built
    manifest = json.loads((current_folder(index) / "manifest.json").read_text(encoding="utf-8"))
    corpus_hash, dict_hash = fingerprint(corpus_dir)
    assert manifest["format"] == FORMAT_VERSION
    assert manifest["corpus_hash"] == corpus_hash
    assert manifest["dict_hash"] == dict_hash
    assert manifest["embedder"] == HashEmbedder.id
    assert manifest["n_clauses"] == len(fresh.clauses)


def test_current_points_at_the_build_folder(built):
    _, index, _ = built
    name = (index / "CURRENT").read_text(encoding="utf-8").strip()
    folder = index / name
    assert folder.is_dir()
    assert folder.parent == index
    assert (folder / "manifest.json").is_file()
    assert current_folder(index) == folder


def test_a_rebuild_replaces_the_previous_folder(built):
    corpus, index, _ = built
    first = current_folder(index)
    build(corpus, index, HashEmbedder(), stream=None)
    second = current_folder(index)
    assert second != first
    assert not first.exists()
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == [second.name]


def test_debris_of_a_killed_build_does_not_disturb_loading(built):
    corpus, index, fresh = built
    (index / ".tmp-b-killed").mkdir()
    (index / ".tmp-b-killed" / "clauses.json").write_text("{", encoding="utf-8")
    assert load(index, corpus, HashEmbedder()).clauses == fresh.clauses


def test_a_build_leaves_the_folder_another_live_build_is_writing(built):
    """Two processes opening one stale index both build: neither may delete the other's work in
    progress; debris of a build whose process is gone is cleared."""
    corpus, index, _ = built
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid, live_pid = int(finished.stdout), os.getppid()
    writing = index / f".tmp-b-20260101000000-{live_pid}-1"
    debris = index / f".tmp-b-20260101000000-{dead_pid}-2"
    for folder in (writing, debris, index / ".tmp-b-killed"):
        folder.mkdir()
    build(corpus, index, HashEmbedder(), stream=None)
    assert writing.exists()
    assert not debris.exists() and not (index / ".tmp-b-killed").exists()


# ---------------------------------------------------------------- stale or damaged indexes


def _change_corpus(corpus_dir, folder):
    with open(corpus_dir / "second_plan.txt", "a", encoding="utf-8") as f:
        f.write("\n（三）强化宣传引导。加强海外维权典型案例宣传,提高企业知识产权风险防范意识。\n")


def _change_dictionary(corpus_dir, folder):
    with open(corpus_dir / "userdict.txt", "a", encoding="utf-8") as f:
        f.write("海外维权援助\n")


def _truncate(name):
    def damage(corpus_dir, folder):
        path = folder / name
        path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])
    return damage


def _delete(name):
    def damage(corpus_dir, folder):
        (folder / name).unlink()
    return damage


def _manifest(garbage: bytes):
    def damage(corpus_dir, folder):
        (folder / "manifest.json").write_bytes(garbage)
    return damage


def _current(text: str):
    def damage(corpus_dir, folder):
        (folder.parent / "CURRENT").write_text(text, encoding="utf-8")
    return damage


DAMAGE = {
    "corpus file changed": _change_corpus,
    "dictionary changed": _change_dictionary,
    "clauses.json truncated": _truncate("clauses.json"),
    "vectors.npy truncated": _truncate("vectors.npy"),
    "bm25_data.npy truncated": _truncate("bm25_data.npy"),
    "dense.faiss truncated": _truncate("dense.faiss"),
    "bm25_vocab.json deleted": _delete("bm25_vocab.json"),
    "manifest.json deleted": _delete("manifest.json"),
    "manifest.json empty": _manifest(b""),
    "manifest.json not JSON": _manifest(b"{not json"),
    "manifest.json binary": _manifest(b"\xff\xfe\x00garbage"),
    "manifest.json null": _manifest(b"null"),
    "manifest.json a list": _manifest(b"[1, 2, 3]"),
    "manifest.json a string": _manifest(b'"manifest"'),
    "manifest.json wrong format": _manifest(json.dumps({"format": -1}).encode()),
    "CURRENT names a missing folder": _current("b-does-not-exist"),
    "CURRENT empty": _current(""),
}


@pytest.mark.parametrize("damage", list(DAMAGE.values()), ids=list(DAMAGE))
def test_a_stale_or_damaged_index_raises_stale_index(built, corpus_dir, damage):
    _, index, _ = built
    damage(corpus_dir, current_folder(index))
    with pytest.raises(StaleIndex):
        load(index, load_corpus(corpus_dir), HashEmbedder())


def test_an_index_built_with_another_embedder_is_stale(built, corpus_dir):
    _, index, _ = built
    with pytest.raises(StaleIndex, match="embedder"):
        load(index, load_corpus(corpus_dir), OtherEmbedder())
    with pytest.raises(StaleIndex, match="embedder"):
        load(index, load_corpus(corpus_dir), None)


def test_no_index_at_all_is_stale(corpus_dir, tmp_path):
    with pytest.raises(StaleIndex):
        load(tmp_path / "nothing-here", load_corpus(corpus_dir), HashEmbedder())


def _rebuild_line(log: io.StringIO) -> list[str]:
    return [line for line in log.getvalue().splitlines() if "rebuild" in line]


@pytest.mark.parametrize("damage", list(DAMAGE.values()), ids=list(DAMAGE))
def test_engine_open_rebuilds_a_stale_or_damaged_index(built, corpus_dir, damage):
    _, index, _ = built
    damage(corpus_dir, current_folder(index))
    log = io.StringIO()
    engine = Engine.open(corpus_dir, index, "hash", log=log)
    assert len(_rebuild_line(log)) == 1, log.getvalue()
    load(index, load_corpus(corpus_dir), HashEmbedder())  # the new index is sound
    assert engine.ask(QUESTION).hits[0].clause.id == "second_plan:二.二.1"


def test_engine_open_rebuilds_when_the_embedder_changes(built, corpus_dir):
    _, index, _ = built
    log = io.StringIO()
    engine = Engine.open(corpus_dir, index, "none", log=log)
    [line] = _rebuild_line(log)
    assert "embedder" in line
    assert json.loads((current_folder(index) / "manifest.json").read_text(encoding="utf-8"))["embedder"] is None
    assert engine.ask(QUESTION).hits[0].clause.id == "second_plan:二.二.1"


def test_engine_open_says_why_it_rebuilds_in_exactly_one_line(built, corpus_dir):
    _, index, _ = built
    _change_corpus(corpus_dir, current_folder(index))
    log = io.StringIO()
    Engine.open(corpus_dir, index, "hash", log=log)
    lines = log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "corpus changed" in lines[0] and "rebuild" in lines[0]


def test_engine_open_on_a_fresh_index_logs_nothing(built, corpus_dir):
    _, index, _ = built
    log = io.StringIO()
    Engine.open(corpus_dir, index, "hash", log=log)
    assert log.getvalue() == ""
