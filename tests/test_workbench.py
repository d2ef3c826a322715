"""The 评测 tab's actions (qa/workbench.py) and markup (qa/workbench_html.py), without a browser."""
from __future__ import annotations

import csv
import io

import pytest

from qa import feedback as fb
from qa import workbench, workbench_html
from qa.evalset import Case, load_set

PLEDGE = "哪个部门负责知识产权质押融资？"


@pytest.fixture
def two_cases(hash_engine):
    clause = next(c for c in hash_engine.clauses if c.searchable and c.departments and c.number)
    other = next(c for c in hash_engine.clauses if c.searchable and c.departments and c.id != clause.id)
    return clause, other, [Case("right", clause.number + "讲的是什么？", type="clause", gold_clause_ids=(clause.id,)),
                           Case("wrong", clause.number + "讲的是什么？", type="clause", gold_clause_ids=(other.id,))]


def test_two_configurations_run_with_one_progress_and_list_the_differences(hash_engine, two_cases):
    _, _, cases = two_cases
    seen = []
    result = workbench.evaluate(hash_engine, cases, "s", "full", "bm25", lambda f, label: seen.append(f))
    assert [r.config for r in result.runs] == ["full", "bm25"]
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 4
    assert [r.case.id for r in result.failures] == ["wrong"]
    assert all(d["id"] in ("right", "wrong") for d in result.diffs)


def test_a_failure_opens_the_expected_and_the_returned_clause(hash_engine, two_cases):
    clause, other, cases = two_cases
    result = workbench.evaluate(hash_engine, cases, "s")
    gold, got, _ = workbench.failure_clauses(hash_engine, result.failures[0])
    assert [c.id for c in gold] == [other.id] and got.id == clause.id
    html = workbench_html.side_by_side(gold, got, hash_engine.outline.titles)
    assert html.index(other.id) < html.index(clause.id)     # expected on the left, got on the right


def test_the_export_holds_the_figures_and_one_csv_line_per_question(hash_engine, two_cases, tmp_path):
    _, _, cases = two_cases
    md, csv_path = workbench.export(workbench.evaluate(hash_engine, cases, "s", "full", "bm25"), tmp_path)
    text = open(md, encoding="utf-8").read()
    assert "| all | 2 | 0.500 |" in text and "## full against bm25" in text
    rows = list(csv.DictReader(io.StringIO(open(csv_path, encoding="utf-8-sig").read())))
    assert [(r["id"], r["right"]) for r in rows] == [("right", "1"), ("wrong", "0")]


def test_a_reviewed_mark_becomes_a_case_that_scores_as_chosen(hash_engine, tmp_path):
    marks, curated = tmp_path / "fb.jsonl", tmp_path / "sets" / "curated.jsonl"
    wrong = workbench.mark(hash_engine, marks, "fp", PLEDGE, False)
    answered = wrong["answer_clause"]
    chosen = next(c for c in hash_engine.clauses if c.searchable and c.departments and c.id != answered)
    pending, rows = workbench.review_rows(marks)
    assert [m["id"] for m in pending] == [wrong["id"]] and rows[0][2] == PLEDGE

    case = workbench.add_case(hash_engine, marks, curated, pending[0], chosen.id)
    assert load_set(curated) == [case] and case.gold_clause_ids == (chosen.id,)
    if case.type == "department":
        assert case.gold_departments == chosen.departments
    assert workbench.review_rows(marks)[0] == []          # resolved: off the list
    result = workbench.evaluate(hash_engine, load_set(curated), "curated")
    assert result.results["full"]["hit1"] == 0.0            # the answer still gives the other clause

    refused = workbench.mark(hash_engine, marks, "fp", "火星上的专利归谁管？", "wrong")
    second = workbench.add_case(hash_engine, marks, curated, refused, workbench.NOT_IN_DOCUMENTS)
    assert (second.type, second.id) == ("unanswerable", "fb0002")
    assert [c.id for c in load_set(curated)] == [case.id, "fb0002"]


def test_a_curated_set_that_cannot_be_written_is_a_clear_error(hash_engine, tmp_path):
    marks = tmp_path / "fb.jsonl"
    entry = workbench.mark(hash_engine, marks, "fp", PLEDGE, False)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(fb.FeedbackError) as caught:
        workbench.add_case(hash_engine, marks, blocker / "curated.jsonl", entry, workbench.NOT_IN_DOCUMENTS)
    assert caught.value.code == "feedback.cannot_write"
    assert [m["id"] for m in workbench.review_rows(marks)[0]] == [entry["id"]]   # still to review


def test_evaluate_text_reads_the_set_sent_or_the_built_in_one(hash_engine, tmp_path):
    builtin = tmp_path / "b.jsonl"
    builtin.write_text('{"question": "专利申请费多少钱？", "type": "unanswerable"}\n', encoding="utf-8")
    sent = workbench.evaluate_text(hash_engine, f"问题,类型\n{PLEDGE},无答案\n", "x.csv", "bm25", builtin)
    own = workbench.evaluate_text(hash_engine, "", "", "full", builtin)
    assert (sent["config"], sent["questions"], sent["not_found_recall"]) == ("bm25", "x.csv", 0.0)
    assert own["questions"] == "b.jsonl" and own["rows"] == 1


def test_the_markup_escapes_what_a_set_brings():
    html = workbench_html.differences_html([{"id": "<b>", "question": "<script>x</script>",
                                             "full": {"right": True}, "bm25": {"right": False}}], "full", "bm25")
    assert "<script>" not in html and "&lt;script&gt;" in html
    chart = workbench_html.intent_chart_svg({"<i>": {"hit1": 0.5, "rows": 2}})
    assert "<i>" not in chart and "&lt;i&gt;" in chart


def test_another_embedder_is_compared_on_its_own_index_beside_the_main_one(hash_engine, two_cases, tmp_path):
    from qa.evalengines import Engines
    _, _, cases = two_cases
    main = tmp_path / "index"
    engines = Engines(hash_engine, hash_engine.corpus.folder, main)
    result = workbench.evaluate(engines, cases, "s", "full", "embedder:none")
    assert [r.config for r in result.runs] == ["full", "embedder:none"]
    other, mode = engines.resolve("embedder:none")
    assert other.embedder is None and other is not hash_engine and mode == "full"
    assert engines.resolve("embedder:none")[0] is other                 # opened once
    assert (tmp_path / "index-none").is_dir() and not main.exists()      # the main index untouched
    with pytest.raises(ValueError):
        engines.resolve("fast")


def test_a_dismissed_mark_leaves_the_review_list_without_a_case(hash_engine, tmp_path):
    marks = tmp_path / "fb.jsonl"
    kept = workbench.mark(hash_engine, marks, "fp", PLEDGE, False)
    dropped = workbench.mark(hash_engine, marks, "fp", "专利申请费多少钱？", False)
    workbench.dismiss(marks, dropped)
    pending, rows = workbench.review_rows(marks)
    assert [m["id"] for m in pending] == [kept["id"]]
    assert rows[0][4] == kept["answer_clause"]
    refused = workbench.mark(hash_engine, marks, "fp", "专利申请费多少钱？", False)
    assert refused["found"] is False and workbench.review_rows(marks)[1][0][4].startswith("未找到")


def test_app_eval_examples_run():
    import doctest

    from qa import eval_tab as app_eval
    result = doctest.testmod(app_eval, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2 and result.failed == 0
