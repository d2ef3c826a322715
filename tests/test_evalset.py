"""Curated sets in any form (qa/evalset.py) and the one scorer (qa/scoring.py, qa/evalrun.py).

Gold is written as staff know it; these tests check that each form reads the same, that bad files
are refused with one line, that quotation gold does not depend on the clause id scheme, and that
the figures are the documented ones.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.errors import QAError
from qa.evalset import Case, EvalSetError, load_set, parse_set, write_case
from qa.messages import render
from qa.records import Clause
from qa.scoring import METRICS, RowScore, Target, report, resolve, score_row, summarize

ROOT = Path(__file__).resolve().parent.parent

CLAUSES = [
    Clause("d:一.一", "d", ("一",), "甲", "(一)加强 知识产权 保护。(责任单位:省科技厅、省财政厅)"),
    Clause("d:一.二", "d", ("一",), "乙", "(二)创新知识产权金融服务，探索设立质押融资担保基金。"),
    Clause("e:二.一", "e", ("二",), "丙", "(一)培育地理标志品牌，发展特色产业。"),
]


def hit(clause_id, text, doc="d"):
    return {"clause_id": clause_id, "doc_id": doc, "text": text}


# ---------------------------------------------------------------- reading sets

JSONL = ('{"id": "a", "question": "谁负责质押融资？", "type": "department", '
         '"gold_spans": ["质押融资担保基金"], "gold_departments": ["省科技厅", "省财政厅"]}\n'
         '{"id": "b", "question": "火星上有专利吗？", "type": "unanswerable"}\n')
CSV_ZH = ("编号,问题,类型,原文,责任单位\n"
          "a,谁负责质押融资？,department,质押融资担保基金,省科技厅|省财政厅\n"
          "b,火星上有专利吗？,无答案,,\n")


def test_jsonl_and_a_csv_with_chinese_headers_give_the_same_cases():
    assert parse_set(JSONL, "s.jsonl") == parse_set(CSV_ZH, "s.csv")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_in_any_of_the_encodings_staff_save_reads_the_same(tmp_path, encoding):
    path = tmp_path / "set.csv"
    path.write_bytes(CSV_ZH.encode(encoding))
    assert load_set(path) == parse_set(CSV_ZH, "s.csv")


def test_the_first_eval_files_format_still_reads():
    cases = load_set(ROOT / "eval" / "questions.jsonl")
    kinds = {c.type for c in cases}
    assert kinds == {"department", "clause", "indicator", "dept_reverse", "overview", "unanswerable"}
    department = next(c for c in cases if c.type == "department")
    assert department.gold_clause_ids and department.gold_departments
    reverse = next(c for c in cases if c.type == "dept_reverse")
    assert reverse.gold_departments == ()   # its gold_offices named the office asked about, not the answer


@pytest.mark.parametrize("name, data, code", [
    ("s.jsonl", b"", "evalset.empty"),
    ("s.jsonl", b"\n  \n", "evalset.empty"),
    ("s.csv", "问题,类型\n".encode(), "evalset.empty"),
    ("s.jsonl", b'{"question": "a"}\n{"question": \n', "evalset.bad_json"),
    ("s.jsonl", b'["a list"]\n', "evalset.bad_json"),
    ("s.jsonl", b"\xff\xfe\xff\xff\x80", "evalset.encoding"),
    ("s.csv", "问题,答案\n谁负责？,省科技厅\n".encode(), "evalset.unknown_column"),
    ("s.jsonl", '{"question": "q", "type": "weather"}\n'.encode(), "evalset.unknown_type"),
    ("s.jsonl", b'{"id": "x", "question": "q"}\n{"id": "x", "question": "r"}\n', "evalset.duplicate_id"),
    ("s.csv", '问题\n"谁负责\n'.encode(), "evalset.bad_csv"),
])
def test_a_bad_file_is_refused_with_a_code_worded_in_both_languages(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(EvalSetError) as caught:
        load_set(path)
    assert caught.value.code == code
    for lang in ("zh", "en"):
        line = render(caught.value, lang)
        assert name in line and "\n" not in line and "{" not in line


def test_a_missing_file_is_refused_too(tmp_path):
    with pytest.raises(EvalSetError) as caught:
        load_set(tmp_path / "nothing.csv")
    assert caught.value.code == "evalset.missing"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_written_case_reads_back_as_it_was(tmp_path, suffix):
    path = tmp_path / f"set{suffix}"
    case = Case("n1", "谁负责地理标志？", ("上一个问题",), "department", ("e:二.一",), ("地理标志品牌",), ("省科技厅",))
    write_case(path, case)
    write_case(path, Case("n2", "火星？", type="unanswerable"))
    back = load_set(path)
    assert [(c.id, c.question, c.history, c.type, c.gold_clause_ids, c.gold_spans, c.gold_departments)
            for c in back] == [(case.id, case.question, case.history, case.type, case.gold_clause_ids,
                                case.gold_spans, case.gold_departments), ("n2", "火星？", (), "unanswerable", (), (), ())]


def test_a_case_appended_to_a_gb18030_csv_keeps_its_encoding(tmp_path):
    path = tmp_path / "set.csv"
    path.write_bytes(CSV_ZH.encode("gb18030"))
    write_case(path, Case("c", "地理标志谁管？", gold_spans=("地理标志",)))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert [c.id for c in load_set(path)] == ["a", "b", "c"]


# ---------------------------------------------------------------- gold against the documents

def test_gold_that_is_not_in_the_documents_makes_the_row_unscorable_with_the_reason():
    assert resolve(Case("q", "问", gold_spans=("月球基地",)), CLAUSES).problem[0] == "evalset.span_not_found"
    assert resolve(Case("q", "问", gold_clause_ids=("d:九.九",)), CLAUSES).problem[0] == "evalset.unknown_clause"
    assert resolve(Case("q", ""), CLAUSES).problem[0] == "evalset.no_question"
    assert resolve(Case("q", "问"), CLAUSES).problem[0] == "evalset.no_gold"
    assert resolve(Case("q", "问", type="unanswerable"), CLAUSES).problem is None


def test_quotations_are_compared_after_folding_width_and_spaces():
    target = resolve(Case("q", "问", gold_spans=("加强知识产权保护。（责任单位：省科技厅",)), CLAUSES)
    assert target.problem is None and target.docs == ("d",)
    assert score_row(Case("q", "问"), target, {"found": True, "hits": [hit("x", CLAUSES[0].text)]}).rank == 1


def test_quotation_gold_scores_the_same_whatever_the_clause_ids_are_called():
    case = Case("q", "谁负责质押融资？", gold_spans=("质押融资担保基金",))
    target = resolve(case, CLAUSES)
    answer = {"found": True, "hits": [hit("d:一.一", CLAUSES[0].text), hit("d:一.二", CLAUSES[1].text)]}
    renamed = {"found": True, "hits": [hit(f"doc-7/p{n}", h["text"]) for n, h in enumerate(answer["hits"])]}
    assert score_row(case, target, answer).rank == score_row(case, target, renamed).rank == 2


def test_a_clause_id_in_the_older_file_stem_scheme_still_finds_its_clause():
    target = resolve(Case("q", "问", gold_clause_ids=("e_old_stem:二.一",)), CLAUSES)
    assert target.problem is None and target.clause_ids == {"e:二.一"} and target.docs == ("e",)


def test_a_sector_written_once_for_a_list_counts_with_or_without_its_bumen():
    case = Case("q", "谁调整医保政策？", type="department", gold_departments=("财政", "医保部门"))
    target = Target(spans=("质押",))
    assert score_row(case, target, {"found": True, "departments": ["财政部门", "医保部门"], "hits": []}).offices
    assert not score_row(case, target, {"found": True, "departments": ["财政部门"], "hits": []}).offices
    assert not score_row(case, target, {"found": True, "departments": ["财政部", "医保部门"], "hits": []}).offices


# ---------------------------------------------------------------- the figures

def rows_for(pairs):
    tables: dict = {}
    return [score_row(c, resolve(c, CLAUSES, tables), a, {"科技厅": "省科技厅"}.get) for c, a in pairs]


def test_each_figure_is_the_documented_one_on_a_hand_counted_set():
    q = CLAUSES[1].text
    pairs = [
        # right first, offices equal as a set through an alias
        (Case("a", "问", type="department", gold_spans=("质押融资",), gold_departments=("科技厅", "省财政厅")),
         {"found": True, "departments": ["省财政厅", "省科技厅"], "hits": [hit("1", q)]}),
        # right second, refused anyway: still ranked; a wrong refusal
        (Case("b", "问", type="clause", gold_spans=("地理标志",)),
         {"found": False, "hits": [hit("1", q), hit("2", CLAUSES[2].text)]}),
        # lists one of two gold clauses
        (Case("c", "问", type="dept_reverse", gold_clause_ids=("d:一.一", "e:二.一")),
         {"found": True, "hits": [hit("d:一.一", CLAUSES[0].text)]}),
        (Case("d", "问", type="indicator", gold_value="５.３"), {"found": True, "value": "5.3", "hits": []}),
        (Case("e", "问", type="unanswerable"), {"found": False, "hits": [hit("1", q)]}),
        (Case("f", "问", type="unanswerable"), {"found": True, "hits": [hit("1", q)]}),
    ]
    result = report(rows_for(pairs), [])
    assert result["hit1"] == pytest.approx(2 / 3)        # a, c right first; b second
    assert result["hit5"] == pytest.approx(1.0)
    assert result["mrr10"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert result["offices"] == 1.0 and result["n"]["offices"] == 1
    assert result["office_reverse"] == 0.5
    assert result["values"] == 1.0
    assert result["not_found_precision"] == 0.5           # e right, b wrong
    assert result["not_found_recall"] == 0.5              # e refused, f answered
    assert result["not_found_f1"] == pytest.approx(0.5)
    assert set(METRICS) <= set(result["by_intent"]["clause"])
    assert result["by_intent"]["clause"]["hit1"] == 0.0
    assert result["by_document"]["e"]["hit1"] == 0.0      # b's gold is in document e
    assert sorted(result["failures"]) == ["b", "c", "f"]


def test_offices_in_another_order_or_with_one_missing():
    case = Case("a", "问", type="department", gold_departments=("省科技厅", "省财政厅"))
    same = score_row(case, Target(), {"found": True, "departments": ["省财政厅", "省科技厅"]})
    short = score_row(case, Target(), {"found": True, "departments": ["省科技厅"]})
    assert (same.offices, short.offices) == (True, False)


def test_a_system_that_never_refuses_has_no_precision_and_zero_f1():
    s = summarize([RowScore(Case("a", "问", type="unanswerable"), Target(), refused=False)])
    assert (s["not_found_precision"], s["not_found_recall"], s["not_found_f1"]) == (None, 0.0, 0.0)


def test_a_set_with_nothing_to_average_gives_none_not_zero():
    s = summarize([])
    assert all(s[m] is None for m in METRICS)


# ---------------------------------------------------------------- on the engine and the command line

def test_run_set_on_the_engine_lists_unscorable_rows_and_scores_the_rest(hash_engine):
    from qa.evalrun import run_set
    clause = next(c for c in hash_engine.clauses if c.departments and c.searchable)
    quote = clause.text[len(clause.text) // 3: len(clause.text) // 3 + 12]
    cases = [Case("ok", clause.number + "讲的是什么？", type="clause", gold_spans=(quote,)),
             Case("gone", "随便问问", gold_spans=("这句话不在任何文件里",)),
             Case("bad", "问", gold_clause_ids=("nowhere:九.九.九",))]
    seen = []
    run = run_set(hash_engine, cases, progress=lambda done, total: seen.append((done, total)))
    assert [r.case.id for r in run.rows] == ["ok"] and run.rows[0].rank == 1
    assert [(u["id"], u["code"]) for u in run.unscorable] == [("gone", "evalset.span_not_found"),
                                                               ("bad", "evalset.unknown_clause")]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert run.result["unscorable"] == run.unscorable


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "qa", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})


def test_cli_json_carries_every_figure_and_the_breakdowns(tmp_path, corpus_dir, tmp_path_factory):
    path = tmp_path / "set.csv"
    path.write_text("问题,类型,原文,责任单位\n哪个部门负责知识产权质押融资？,department,质押融资,\n"
                    "火星上的专利归谁管？,无答案,,\n随便,clause,这句话不在任何文件里,\n", encoding="gb18030")
    index = tmp_path_factory.getbasetemp() / "index-hash"
    out = cli("--corpus", str(corpus_dir), "--index", str(index), "--embedder", "hash",
              "eval", "--questions", str(path), "--json", "--compare", "bm25")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["config"] == "full" and result["compare"]["config"] == "bm25"
    assert set(METRICS) <= set(result["compare"]) and isinstance(result["compare"]["differences"], list)
    assert result["compare"]["not_found_recall"] == 0.0     # retrieval alone never refuses
    assert set(METRICS) <= set(result) and result["rows"] == 2
    assert set(result["by_intent"]) == {"department", "unanswerable"}
    assert all(set(METRICS) <= set(v) for v in result["by_document"].values())
    assert [u["line"] for u in result["unscorable"]] == [4]
    assert "1 of 3 rows could not be scored" in out.stderr


def test_cli_refuses_a_bad_set_in_one_line_before_opening_anything(tmp_path):
    path = tmp_path / "set.csv"
    path.write_text("问题,答案\n谁？,甲\n", encoding="utf-8")
    out = cli("--corpus", str(tmp_path / "no-corpus"), "eval", "--questions", str(path))
    assert out.returncode == 2
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "unknown column '答案'" in errors[0] and "Traceback" not in out.stderr


def test_the_built_in_set_scores_the_same_with_its_gold_rewritten_as_quotations(hash_engine):
    from qa.evalrun import run_set
    by_ids = load_set(ROOT / "eval" / "questions.jsonl")
    by_quotes = []
    for c in by_ids:
        texts = [hash_engine.outline.by_id[g].text for g in c.gold_clause_ids]
        quotes = tuple(t[len(t) // 3: len(t) // 3 + 20] for t in texts)
        by_quotes.append(Case(c.id, c.question, c.history, c.type, (), quotes, c.gold_departments, c.gold_value))
    ids, quotes = run_set(hash_engine, by_ids).result, run_set(hash_engine, by_quotes).result
    assert ids["unscorable"] == quotes["unscorable"] == []
    for m in METRICS:
        assert quotes[m] == pytest.approx(ids[m], abs=0.01), m
    assert ids["n"] == quotes["n"] and ids["n"]["hit1"] > 150


def test_a_column_of_the_keepers_own_is_kept_as_a_note_and_named(tmp_path):
    from qa.evalset import other_columns
    cases = parse_set("问题,类型,原文,reviewer,lang\n谁负责？,clause,质押融资,王,zh\n", "s.csv")
    assert other_columns(cases) == ["reviewer"] and cases[0].gold_spans == ("质押融资",)
    for misspelt in ("gold_span", "expected_clause", "标准答案"):
        with pytest.raises(EvalSetError) as caught:
            parse_set(f"问题,{misspelt}\n谁负责？,x\n", "s.csv")
        assert caught.value.code == "evalset.unknown_column"


def test_a_json_file_holding_one_list_of_rows_reads_like_jsonl():
    rows = '[{"question": "谁负责质押融资？", "gold_spans": ["质押融资"]}, {"question": "火星？", "type": "unanswerable"}]'
    assert [c.question for c in parse_set(rows, "s.json")] == ["谁负责质押融资？", "火星？"]
    with pytest.raises(EvalSetError):
        parse_set('[{"question": "a"}, 3]', "s.json")
