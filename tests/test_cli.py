"""`python -m qa` as a user runs it: JSON and text answers, JSON Lines batches, one-line errors.

Every command runs in a subprocess over a temporary copy of the corpus with the hash embedder.
The index is built once; the commands after it are started together and awaited together, so
the file costs about as much as its slowest command rather than the sum of all of them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = "000_73dbaa277aa75437"
ANSWER_KEYS = {"id", "question", "found", "intent", "answer", "departments", "value", "hits"}
HIT_KEYS = {"clause_id", "doc_id", "path", "title", "text", "departments", "score"}

BATCH = [
    {"id": "q-a", "question": "哪个部门负责专利导航？"},
    {"id": "q-b", "question": "2020年有效注册商标数量要达到多少万件"},
    {"id": 3, "question": "教育厅负责哪些任务"},
]
MALFORMED = [
    json.dumps(BATCH[0], ensure_ascii=False),
    "this is not json",
    "[1, 2, 3]",
    json.dumps({"id": "empty", "question": ""}),
    json.dumps({"id": "none", "question": None}),
    json.dumps(BATCH[1], ensure_ascii=False),
]
SURROGATE = [
    json.dumps({"id": "surrogate", "question": "\ud800专利"}),   # a lone surrogate, escaped in JSON
    json.dumps(BATCH[0], ensure_ascii=False),
]

BAD = {
    "empty": "",
    "whitespace": "   \t ",
    "12000 chars": "专利" * 6000,
    "control chars": "\x01\x02\x1b\x7f",
    "html": "<p><br/></p>",
    "emoji": "😀🎉👍",
    "invalid utf-8 bytes": b"\xff\xfe\xfd",
}


def _env():
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", HF_HUB_OFFLINE="1")
    env.pop("QA_EMBEDDER", None)
    return env


def _start(base, args, stdin_text=None):
    p = subprocess.Popen([*base, *args], cwd=ROOT, env=_env(), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p, (stdin_text or "").encode("utf-8")


def _finish(started, timeout=120):
    p, data = started
    out, err = p.communicate(data, timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, out.decode("utf-8", "replace"),
                                       err.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def qa_cmd(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("cli-corpus")
    for p in (ROOT / "corpus").iterdir():
        if p.is_file():
            shutil.copy(p, corpus / p.name)
    index = tmp_path_factory.mktemp("cli-index")
    return [sys.executable, "-m", "qa", "--corpus", str(corpus), "--index", str(index), "--embedder", "hash"]


@pytest.fixture(scope="module")
def build(qa_cmd):
    return _finish(_start(qa_cmd, ["build"]))


@pytest.fixture(scope="module")
def runs(qa_cmd, build):
    """Every other command, run concurrently once the index exists."""
    assert build.returncode == 0, build.stderr
    jobs = {
        "ask-json": _start(qa_cmd, ["ask", "哪个部门负责知识产权质押融资？", "--json"]),
        "ask-text": _start(qa_cmd, ["ask", "哪个部门负责知识产权质押融资？"]),
        "batch": _start(qa_cmd, ["batch"], "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in BATCH)),
        "batch-malformed": _start(qa_cmd, ["batch"], "\n".join(MALFORMED) + "\n"),
        "batch-surrogate": _start(qa_cmd, ["batch"], "\n".join(SURROGATE) + "\n"),
        "unknown": _start(qa_cmd, ["frobnicate"]),
        **{f"bad:{name}": _start(qa_cmd, ["ask", q, "--json"]) for name, q in BAD.items()},
    }
    return {name: _finish(job) for name, job in jobs.items()}


def test_build_prints_a_line_to_stderr_and_exits_0(build):
    assert build.returncode == 0
    assert "built index" in build.stderr
    assert build.stdout == ""
    assert "Traceback" not in build.stderr


def test_ask_json_has_the_design_keys(runs):
    r = runs["ask-json"]
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) >= ANSWER_KEYS
    assert data["question"] == "哪个部门负责知识产权质押融资？"
    assert data["found"] is True
    assert data["intent"] == "department"
    assert data["value"] is None
    assert data["departments"][:3] == ["省科技厅", "省发展改革委", "省财政厅"]
    hit = data["hits"][0]
    assert set(hit) >= HIT_KEYS
    assert hit["clause_id"] == f"{DOC}:二.九.2"
    assert hit["doc_id"] == DOC
    assert hit["path"] == ["二、主要任务", "(九)加强知识产权交易运营体系建设", "2.创新知识产权金融服务"]
    assert hit["departments"] == data["departments"]
    assert isinstance(hit["score"], float)
    assert len(data["hits"]) == 5


def test_ask_without_json_prints_source_and_offices(runs):
    r = runs["ask-text"]
    assert r.returncode == 0, r.stderr
    assert "出处：二、主要任务 › (九)加强知识产权交易运营体系建设 › 2.创新知识产权金融服务" in r.stdout
    assert "责任单位：省科技厅、省发展改革委、省财政厅" in r.stdout


def test_batch_answers_every_line_in_order_with_the_given_ids(runs):
    r = runs["batch"]
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 3
    answers = [json.loads(line) for line in lines]
    assert [a["id"] for a in answers] == ["q-a", "q-b", 3]
    assert [a["question"] for a in answers] == [b["question"] for b in BATCH]
    assert all(set(a) >= ANSWER_KEYS for a in answers)
    assert answers[0]["hits"][0]["clause_id"] == f"{DOC}:二.七.1"
    assert answers[1]["value"] == "15"
    assert answers[2]["intent"] == "office_reverse"


def test_batch_turns_malformed_lines_into_error_objects(runs):
    r = runs["batch-malformed"]
    assert "Traceback" not in r.stderr
    assert r.returncode in (0, 1, 2)
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == len(MALFORMED)                          # one line out per line in
    assert out[0]["id"] == "q-a" and out[0]["found"] is True
    assert "error" in out[1] and "error" in out[2]             # not JSON / not an object
    assert out[3]["id"] == "empty" and out[3]["found"] is False
    assert out[4]["id"] == "none" and out[4]["found"] is False
    assert out[5]["id"] == "q-b" and out[5]["value"] == "15"   # later lines still answered


def test_batch_survives_a_question_that_cannot_be_encoded(runs):
    r = runs["batch-surrogate"]
    assert "Traceback" not in r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["surrogate", "q-a"]
    assert out[0]["found"] is False
    assert out[1]["found"] is True


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_exits_cleanly_with_at_most_one_line_on_stderr(runs, name):
    r = runs[f"bad:{name}"]
    assert "Traceback" not in r.stderr
    assert r.returncode in (0, 1, 2)
    lines = r.stderr.strip().splitlines()
    if r.returncode == 0:
        assert json.loads(r.stdout)["found"] is False
        assert len(lines) <= 1
    else:
        assert len(lines) == 1, r.stderr
        assert lines[0].startswith("error:")
        assert r.stdout == ""


def test_unknown_subcommand_exits_2_with_one_line(runs):
    r = runs["unknown"]
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert "frobnicate" in r.stderr
