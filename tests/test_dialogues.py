"""Dialogue scoring (qa/dialogues.py): the maths on a hand-written list with fake answers, the
shipped eval/dialogues.jsonl checked against the plan, the eval subcommand's options, and three
real dialogues through the engine and run_eval."""
from __future__ import annotations

import io
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from qa import dialogues as dlg

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "eval" / "dialogues.jsonl"


def hit(*ids):
    return [{"clause_id": i} for i in ids]


def answer(found=True, ids=(), offices=(), value=None, **extra):
    return {"id": None, "found": found, "intent": extra.pop("intent", "clause"), "answer": "…",
            "departments": list(offices), "value": value, "hits": hit(*ids), **extra}


# six dialogues, one fake answer each: what each metric should come to is worked out by hand
DIALOGUES = [
    {"id": "a", "pattern": "topic", "turns": ["专利质量谁负责？", "那商标呢？"], "intent": "department",
     "answerable": True, "gold_clauses": ["p:二.四.2"], "gold_offices": ["省工商局", "省发展改革委"]},
    {"id": "b", "pattern": "topic", "turns": ["专利质量谁负责？", "那版权呢？"], "intent": "department",
     "answerable": True, "gold_clauses": ["p:二.四.3"], "gold_offices": ["省新闻出版广电局"]},
    {"id": "c", "pattern": "indicator_column", "turns": ["2020年PCT申请量？", "那2015年呢？"], "intent": "indicator",
     "answerable": True, "gold_clauses": ["p:指标.2"], "gold_value": "52"},
    {"id": "d", "pattern": "unanswerable", "turns": ["质押融资谁负责？", "利率是多少？"], "intent": "unanswerable",
     "answerable": False, "gold_clauses": []},
    {"id": "e", "pattern": "unanswerable", "turns": ["质押融资谁负责？", "保费多少？"], "intent": "unanswerable",
     "answerable": False, "gold_clauses": []},
    {"id": "f", "pattern": "control", "turns": ["二(十)1讲的是什么？", "长春海关负责哪些工作？"],
     "intent": "office_reverse", "answerable": True, "gold_clauses": ["p:二.三.4", "p:二.五.2"],
     "gold_offices": ["长春海关"]},
]
ANSWERS = [
    answer(ids=("p:二.四.2", "p:二.四.1"), offices=("省工商局", "省发展改革委"), intent="department"),  # all right
    answer(ids=("p:二.四.3",), offices=("省新闻出版广电局", "省财政厅"), intent="department"),     # clause right, offices wrong
    answer(ids=("p:指标.2",), value="76", intent="indicator"),                                   # row right, column wrong
    answer(found=False, ids=("p:二.九.2",), intent="unanswerable"),                               # refused: right
    answer(found=True, ids=("p:二.九.2",)),                                                       # answered: wrong
    answer(ids=("p:二.三.4",), offices=("长春海关",), intent="office_reverse"),                   # half the clauses
]
ALONE = [None] * 5 + [answer(ids=("p:二.三.4",), offices=("长春海关",), intent="office_reverse", id="x")]


def test_judge_scores_only_the_metrics_that_apply():
    assert dlg.judge(DIALOGUES[0], ANSWERS[0]) == {"hit1": 1.0, "offices": 1.0}
    assert dlg.judge(DIALOGUES[1], ANSWERS[1]) == {"hit1": 1.0, "offices": 0.0}
    assert dlg.judge(DIALOGUES[2], ANSWERS[2]) == {"hit1": 1.0, "value": 0.0}
    assert dlg.judge(DIALOGUES[3], ANSWERS[3]) == {}
    assert dlg.judge(DIALOGUES[5], ANSWERS[5], ALONE[5]) == {"hit1": 1.0, "reverse": 0.5, "same": 1.0}


def test_the_top_clause_must_be_gold_and_an_empty_answer_misses():
    assert dlg.judge(DIALOGUES[0], answer(ids=("p:二.四.1", "p:二.四.2")))["hit1"] == 0.0
    assert dlg.judge(DIALOGUES[0], answer(found=False))["hit1"] == 0.0


def test_not_found_precision_recall_f1():
    r = dlg.not_found([(False, False), (False, False), (False, True), (True, False), (True, True)])
    assert r["not_found_precision"] == (pytest.approx(2 / 3), 3)
    assert r["not_found_recall"] == (pytest.approx(2 / 3), 3)
    assert r["not_found_f1"][0] == pytest.approx(2 / 3)
    nothing = dlg.not_found([(True, True)])
    assert all(math.isnan(v) and n == 0 for v, n in nothing.values())
    never = dlg.not_found([(False, True), (True, True)])   # nothing refused: recall 0, precision undefined
    assert never["not_found_recall"] == (0.0, 1) and never["not_found_precision"][1] == 0


def test_score_per_pattern_and_overall():
    s = dlg.score(DIALOGUES, ANSWERS, ALONE)
    assert list(s["by_pattern"]) == ["topic", "indicator_column", "unanswerable", "control"]
    assert s["n"] == {"topic": 2, "indicator_column": 1, "unanswerable": 2, "control": 1}
    topic = s["by_pattern"]["topic"]
    assert topic["hit@1"] == (1.0, 2) and topic["offices"] == (0.5, 2) and topic["indicator"][1] == 0
    assert s["by_pattern"]["indicator_column"]["indicator"] == (0.0, 1)
    unans = s["by_pattern"]["unanswerable"]
    assert unans["not_found_precision"] == (1.0, 1) and unans["not_found_recall"] == (0.5, 2)
    assert unans["not_found_f1"][0] == pytest.approx(2 / 3)
    assert s["by_pattern"]["control"]["same_as_alone"] == (1.0, 1)
    overall = s["overall"]
    assert overall["hit@1"] == (1.0, 4)
    assert overall["offices"] == (0.5, 2)
    assert overall["office_reverse"] == (0.5, 1)
    assert overall["indicator"] == (0.0, 1)
    assert overall["same_as_alone"] == (1.0, 1)


def test_a_control_answered_differently_with_history_is_counted():
    changed = dict(ALONE[5], answer="按上文理解为：…")
    s = dlg.score(DIALOGUES[5:], ANSWERS[5:], [changed])
    assert s["overall"]["same_as_alone"] == (0.0, 1)
    assert dlg.same_answer({"id": "1", "x": 1}, {"id": None, "x": 1})


def test_table_and_misses():
    text = dlg.table(dlg.score(DIALOGUES, ANSWERS, ALONE))
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| pattern")]
    assert [r.split(" | ")[0][2:] for r in rows] == ["topic", "indicator_column", "unanswerable", "control",
                                                     "**overall**"]
    assert rows[0].split(" | ")[1:4] == ["2", "1.000", "0.500"]
    assert "–" in rows[0]                                   # no indicator in that pattern
    assert rows[-1].split(" | ")[1] == "6"
    previous = [answer(ids=("p:二.四.1",))] * 6
    wrong = dlg.misses(DIALOGUES, ANSWERS, ALONE, previous)
    assert [w.split()[1] for w in wrong] == ["b", "c", "e", "f"]
    assert "offices" in wrong[0] and "省财政厅" in wrong[0] and "turn before" in wrong[0]
    assert "gold_value=52" in wrong[1] and "wrong: found" in wrong[2] and "reverse" in wrong[3]
    section = dlg.section(DIALOGUES, ANSWERS, ALONE, "x.jsonl", previous)
    assert section.startswith("## Dialogues") and "### Dialogues the full system gets wrong" in section


def test_load_refuses_what_is_not_a_dialogue(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DIALOGUES) + "\n\n", encoding="utf-8")
    assert [d["id"] for d in dlg.load_dialogues(good)] == list("abcdef")
    for line, says in (("{oops", "not valid JSON"), ('{"id": "z", "pattern": "topic", "turns": "专利？", '
                                                     '"intent": "clause"}', "turns"),
                       ('{"id": "z", "pattern": "chitchat", "turns": ["a"], "intent": "clause"}', "pattern")):
        bad = tmp_path / "bad.jsonl"
        bad.write_text(json.dumps(DIALOGUES[0], ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
        with pytest.raises(ValueError, match=f"bad.jsonl:2 .*{says}"):
            dlg.load_dialogues(bad)


# ---------------------------------------------------------------- the shipped set


def test_the_shipped_dialogues_cover_every_pattern_and_agree_with_the_plan(corpus_dir):
    from qa.corpus import load_corpus
    items = dlg.load_dialogues(SHIPPED)
    assert len(items) >= 60 and len({d["id"] for d in items}) == len(items)
    counts = Counter(d["pattern"] for d in items)
    assert all(counts[p] >= 5 for p in dlg.PATTERNS) and counts["control"] >= 10
    clauses = {c.id: c for doc in load_corpus(corpus_dir).documents for c in doc.clauses}
    for d in items:
        assert d["lang"] in ("zh", "en", "zh-hant") and len(d["turns"]) >= 2, d["id"]
        assert d["answerable"] == (d["intent"] != "unanswerable"), d["id"]
        assert all(g in clauses for g in d["gold_clauses"]) and (d["gold_clauses"] or not d["answerable"]), d["id"]
        if d["intent"] == "department":
            assert d["gold_offices"] == list(clauses[d["gold_clauses"][0]].departments), d["id"]
        if d["intent"] == "indicator":
            assert d["gold_value"] in clauses[d["gold_clauses"][0]].values.values(), d["id"]
        if d["intent"] == "office_reverse":
            (office,) = d["gold_offices"]
            assert d["gold_clauses"] == [i for i, c in clauses.items() if office in c.departments], d["id"]


def test_the_eval_options_choose_the_dialogue_file(tmp_path, monkeypatch):
    from qa.cli import _dialogues, parse_args
    monkeypatch.chdir(tmp_path)
    assert _dialogues(parse_args(["eval"])) is None                   # no eval/dialogues.jsonl here
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "dialogues.jsonl").write_text("", encoding="utf-8")
    assert _dialogues(parse_args(["eval"])) == Path("eval/dialogues.jsonl")
    assert _dialogues(parse_args(["eval", "--no-dialogues"])) is None
    assert _dialogues(parse_args(["eval", "--dialogues", "other.jsonl"])) == Path("other.jsonl")
    with pytest.raises(SystemExit):
        parse_args(["eval", "--dialogues", "x.jsonl", "--no-dialogues"])


# ---------------------------------------------------------------- real dialogues


def test_three_real_dialogues_through_the_engine_and_the_report(engine, tmp_path):
    from qa.evaluate import run_eval
    chosen = {d["id"]: d for d in dlg.load_dialogues(SHIPPED)}
    three = [chosen["d001"], chosen["d028"], chosen["d080"]]   # same clause's offices, other year, control
    assert [d["pattern"] for d in three] == ["same_clause_offices", "indicator_column", "control"]
    answers, alone, previous = dlg.answer_dialogues(engine, three)
    assert alone[:2] == [None, None] and alone[2] is not None and all(p is not None for p in previous)
    assert answers[0]["resolved_question"] and answers[1]["resolved_question"]
    assert [dlg.judge(d, a, s) for d, a, s in zip(three, answers, alone)] == [
        {"hit1": 1.0, "offices": 1.0}, {"hit1": 1.0, "value": 1.0}, {"hit1": 1.0, "offices": 1.0, "same": 1.0}]

    file = tmp_path / "three.jsonl"
    file.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in three) + "\n", encoding="utf-8")
    questions = tmp_path / "questions.jsonl"
    questions.write_text((ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n",
                         encoding="utf-8")
    out, report = io.StringIO(), tmp_path / "r.md"
    assert run_eval(engine, questions, report, out=out, dialogues=file) == 0
    text = out.getvalue()
    assert "## Errors of the full system" in text and "## Dialogues" in text
    assert "| **overall** | 3 | 1.000 | 1.000 |" in text
    assert report.read_text(encoding="utf-8") == text
    plain = io.StringIO()
    run_eval(engine, questions, out=plain)
    assert "## Dialogues" not in plain.getvalue()
