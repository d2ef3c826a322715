"""Another province's plan behaves as the Jilin plan does: nothing about one plan is in the code.

tests/fixtures/other_plan/ holds a small plan of the same genre, 《“十四五”广东省知识产权保护和运用
规划》: period 十四五, an indicator table with year columns 2020 and 2025, its own offices
(省市场监管局, 广州海关, 省商务厅 …) and no data files. Its region and period words are dropped like
Jilin's, its offices, duties and indicators are answered from its text, and the chart, the
caption and the one-click examples are derived from it.
"""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from qa import indicator_cards
from qa.corpus import load_corpus
from qa.examples import example_items, example_questions

ROOT = Path(__file__).resolve().parent.parent
PLAN = Path(__file__).resolve().parent / "fixtures" / "other_plan"
FINANCE = ("省地方金融监管局", "省市场监管局", "省财政厅", "人民银行广州分行", "广东银保监局")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("other-plan")
    for p in PLAN.iterdir():
        shutil.copy(p, dest / p.name)
    return dest


@pytest.fixture(scope="module")
def corpus(folder):
    return load_corpus(folder)


@pytest.fixture(scope="module")
def engine(folder, tmp_path_factory):
    from qa import Engine
    return Engine.open(folder, tmp_path_factory.mktemp("other-index"), "hash", log=None)


@pytest.fixture(scope="module")
def rows(corpus):
    return [c for d in corpus.documents for c in d.clauses if c.kind == "indicator"]


# ---------------------------------------------------------------- the plan is read as any plan

def test_the_plan_parses_with_its_offices_and_table(corpus, rows):
    assert corpus.warnings == []
    assert [d.title for d in corpus.documents] == ["“十四五”广东省知识产权保护和运用规划"]
    clauses = {c.id.split(":")[1]: c for d in corpus.documents for c in d.clauses}
    assert clauses["二.一.3"].departments == ("省商务厅", "广州海关", "深圳海关")      # (A、B和C负责)
    assert clauses["二.二.2"].departments == ("省科技厅", "省市场监管局")             # (A和B负责)
    assert clauses["二.二.1"].departments == FINANCE
    assert [r.values["2025"] for r in rows] == ["12", "30000", "600", "85"]


# ---------------------------------------------------------------- its region and period are its home words

def test_its_region_and_period_are_dropped_like_jilins(corpus):
    assert corpus.home_words() == ["十四五", "广东省", "广东", "guangdong"]
    seg = corpus.segmenter()
    assert seg.tokens("广东省知识产权质押融资") == seg.tokens("知识产权质押融资")
    assert seg.tokens("广东的知识产权质押融资") == seg.tokens("知识产权质押融资")
    assert "guangdong" not in seg.tokens("pledge financing in Guangdong")
    assert {"吉林省", "吉林"} <= set(seg.tokens("吉林省"))   # another province is a word here, not home


def test_naming_its_own_province_and_period_changes_no_answer(engine):
    plain = engine.ask("哪个部门负责知识产权质押融资？")
    for question in ("广东省哪个部门负责知识产权质押融资？", "“十四五”期间广东省哪个部门负责知识产权质押融资？"):
        answer = engine.ask(question)
        assert (answer.found, answer.intent, answer.departments) == (plain.found, plain.intent, plain.departments)
        assert answer.hits[0].clause.id == plain.hits[0].clause.id


# ---------------------------------------------------------------- answers from its own text

def test_department_answer(engine):
    answer = engine.ask("哪个部门负责知识产权质押融资？")
    assert answer.found and answer.intent == "department"
    assert answer.departments == FINANCE
    assert answer.hits[0].clause.id.endswith(":二.二.1")
    assert answer.answer.startswith("根据规划二、(二)1「创新知识产权金融服务」，责任单位是：省地方金融监管局")


def test_office_answer(engine):
    answer = engine.ask("广州海关在规划里承担什么工作？")
    assert answer.found and answer.intent == "office_reverse"
    assert answer.departments == ("广州海关",)
    assert [h.clause.id.split(":")[1] for h in answer.hits] == ["二.一.3"]
    busiest = engine.ask("省市场监管局负责哪些工作？")
    assert busiest.intent == "office_reverse" and len(busiest.hits) == 7


@pytest.mark.parametrize("question, value", [
    ("到2025年每万人口高价值发明专利拥有量的目标是多少件？", "12"),
    ("PCT专利申请量2025年的目标是多少？", "30000"),
    ("PCT专利申请量2020年是多少？", "28000"),
])
def test_indicator_answer_for_its_own_years(engine, question, value):
    answer = engine.ask(question)
    assert answer.found and answer.intent == "indicator"
    assert answer.value == value


def test_years_and_provinces_it_does_not_cover_are_outside_it(engine):
    for question in ("2030年PCT专利申请量目标是多少？", "吉林省哪个部门负责知识产权质押融资？"):
        assert not engine.ask(question).found, question


# ---------------------------------------------------------------- what the app shows is derived from it

def test_chart_and_caption_use_its_year_columns(rows):
    assert indicator_cards.indicator_years(rows) == (("2020",), "2025")
    assert indicator_cards.chart_caption(rows) == \
        "各项指标 2020 年实际值与 2025 年目标的比较（按各自目标值换算为百分比，标注原始数值）："
    svg = indicator_cards.indicators_chart_svg(rows)
    assert svg.startswith("<svg") and "2025年目标：30000" in svg and "2020年：28000" in svg
    assert "2015" not in svg and "2016" not in svg


def test_examples_come_from_its_text(engine):
    examples = example_questions(engine.clauses, engine.offices)
    assert examples == [
        ("部门", "哪个部门负责创新知识产权金融服务？"),
        ("条款编号", "二(一)1讲的是什么？"),
        ("指标", "到2025年每万人口高价值发明专利拥有量的目标是多少件？"),
        ("单位", "省市场监管局在规划里承担什么工作？"),
        ("概览", "总体要求有哪些？"),
        ("规划外", "省市场监管局的联系电话是多少？"),
    ]
    intents = {"部门": "department", "条款编号": "clause", "指标": "indicator", "单位": "office_reverse",
               "概览": "overview", "规划外": "clause"}
    for kind, question in examples:
        answer = engine.ask(question)
        assert answer.found == (kind != "规划外") and answer.intent == intents[kind], (kind, question)
    assert [i["question"] for i in example_items(engine.clauses, engine.offices)] == [q for _, q in examples]


# ---------------------------------------------------------------- the rule, for every module and the app

FORBIDDEN = ("吉林", "长春", "十三五", "十二五", "2015", "2016", "2020")
SOURCES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "qa").rglob("*.py")) + ["app.py"]


@pytest.mark.parametrize("name", SOURCES)
def test_no_string_literal_names_one_plan(name):
    tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = [(node.lineno, word) for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
             for word in FORBIDDEN if word in node.value]
    assert found == []
