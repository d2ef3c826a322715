"""The feedback file (qa/feedback.py): marks appended whole under concurrency, failures as codes."""
from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from pathlib import Path

import pytest

from qa import feedback
from qa.feedback import FeedbackError, append, make_entry, pending, read, resolved_entry
from qa.messages import render

ANSWER = {"found": True, "answer": "答：…", "departments": ["省科技厅"], "value": None,
          "hits": [{"clause_id": "d:二.九.2", "doc_id": "d", "text": "2.创新知识产权金融服务"}]}
WRITERS, EACH = 16, 25


def _writer(args):
    path, n = args
    for i in range(EACH):
        append(path, make_entry(i % 2 == 0, f"writer {n} 问题 {i} " + "长" * (n * 50), ANSWER, ["上文"], "fp"))
    return n


def test_sixteen_concurrent_writers_lose_no_entry_and_break_no_line(tmp_path):
    path = str(tmp_path / "fb" / "feedback.jsonl")
    with multiprocessing.get_context("fork").Pool(WRITERS) as pool:
        assert sorted(pool.map(_writer, [(path, n) for n in range(WRITERS)])) == list(range(WRITERS))
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == WRITERS * EACH
    entries = [json.loads(line) for line in lines]   # every line whole
    per_writer = Counter(e["question"].split(" 问题 ")[0] for e in entries)
    assert per_writer == {f"writer {n}": EACH for n in range(WRITERS)}
    assert len({e["id"] for e in entries}) == WRITERS * EACH
    assert read(path) == entries


def test_an_entry_holds_what_the_review_needs():
    entry = make_entry("dislike", "  谁负责质押融资？ ", ANSWER, ["二(九)讲的是什么？", "", None], "abc123")
    assert entry["rating"] == "wrong" and entry["question"] == "谁负责质押融资？"
    assert entry["history"] == ["二(九)讲的是什么？"]
    assert (entry["answer_clause"], entry["answer_doc"], entry["fingerprint"]) == ("d:二.九.2", "d", "abc123")
    assert entry["time"].endswith("Z") and entry["found"] is True


@pytest.mark.parametrize("rating, question, code", [("maybe", "问", "feedback.bad_rating"),
                                                     (True, "  ", "feedback.no_question"),
                                                     (False, None, "feedback.no_question")])
def test_a_mark_that_is_not_one_is_refused(rating, question, code):
    with pytest.raises(FeedbackError) as caught:
        make_entry(rating, question, ANSWER)
    assert caught.value.code == code


def test_a_full_disk_is_a_clear_message():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with pytest.raises(FeedbackError) as caught:
        append("/dev/full", make_entry(True, "问", ANSWER))
    assert caught.value.code == "feedback.disk_full"
    assert "磁盘已满" in render(caught.value, "zh") and "\n" not in render(caught.value, "en")


def test_an_unwritable_path_is_a_clear_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(FeedbackError) as caught:
        append(blocker / "feedback.jsonl", make_entry(True, "问", ANSWER))
    assert caught.value.code == "feedback.cannot_write"
    assert str(blocker) in render(caught.value, "en")


def test_a_write_cut_short_leaves_no_half_line(tmp_path, monkeypatch):
    path = tmp_path / "feedback.jsonl"
    append(path, make_entry(True, "第一条", ANSWER))
    before = path.read_bytes()
    real_write = os.write

    def short_write(fd, data):
        return real_write(fd, data[:7])

    monkeypatch.setattr(feedback.os, "write", short_write)
    with pytest.raises(FeedbackError) as caught:
        append(path, make_entry(False, "第二条", ANSWER))
    assert caught.value.code == "feedback.disk_full"
    assert path.read_bytes() == before


def test_resolved_marks_leave_the_review_list(tmp_path):
    path = tmp_path / "f.jsonl"
    first = append(path, make_entry(False, "一", ANSWER))
    second = append(path, make_entry(False, "二", ANSWER))
    append(path, make_entry(True, "三", ANSWER))
    with open(path, "a", encoding="utf-8") as f:
        f.write("not json\n")
    append(path, resolved_entry(first["id"], "set.jsonl", "c1"))
    assert [m["id"] for m in pending(read(path))] == [second["id"]]
    assert read(tmp_path / "missing.jsonl") == []
