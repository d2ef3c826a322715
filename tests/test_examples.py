"""qa/examples.py: one-click example questions derived from the loaded corpus, one per kind."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus import load_corpus
from qa.examples import INTENTS, KINDS, example_items, example_questions
from qa.records import Clause

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def jilin():
    corpus = load_corpus(CORPUS)
    return [c for d in corpus.documents for c in d.clauses], corpus.offices


def test_the_jilin_plan_gives_one_example_of_every_kind(jilin):
    assert example_questions(*jilin) == [
        ("部门", "哪个部门负责加强知识产权行政执法保护？"),     # the clause naming the most offices
        ("条款编号", "二(二)1讲的是什么？"),                    # the first numbered item
        ("指标", "到2020年每万人口发明专利拥有量的目标是多少件？"),  # first row, last year column
        ("单位", "省科技厅在规划里承担什么工作？"),              # the office named by the most clauses
        ("概览", "主要任务有哪些？"),                            # the part with the most clauses
        ("规划外", "省科技厅的联系电话是多少？"),                # the plan gives no phone number
    ]


def test_examples_are_deterministic(jilin):
    clauses, offices = jilin
    assert example_questions(clauses, offices) == example_questions(list(clauses), offices)
    assert example_questions(clauses) == example_questions(clauses, offices)  # names as written


def test_example_items_are_benchmark_questions(jilin):
    items = example_items(*jilin)
    assert [i["id"] for i in items] == ["f1", "f2", "f3", "f4", "f5", "f6"]
    assert [i["intent"] for i in items] == [INTENTS[k] for k in KINDS]
    assert [i["question"] for i in items] == [q for _, q in example_questions(*jilin)]


def test_kinds_without_material_are_left_out():
    item = Clause("d:一.1", "d", ("一、任务", "1.建设平台"), "建设平台", "1.建设平台。电话:0431-88888888", (),
                  "item", "一1", {}, 1)
    assert example_questions([item]) == [("条款编号", "一1讲的是什么？"), ("规划外", "建设平台要交多少费用？")]
    assert example_questions([]) == []


def test_the_out_of_scope_example_asks_what_the_corpus_does_not_give():
    clause = Clause("d:一.1", "d", ("一、任务", "1.建设平台"), "建设平台",
                    "1.建设平台。咨询电话:0431-88888888,网址 https://example.org,地址:人民大街1号。(责任单位:省科技厅)",
                    ("省科技厅",), "item", "一1", {}, 1)
    kinds = dict(example_questions([clause]))
    assert kinds["规划外"] == "建设平台要交多少费用？"


def test_every_example_is_answered_as_its_kind(hash_engine):
    intents = {"部门": "department", "条款编号": "clause", "指标": "indicator", "单位": "office_reverse",
               "概览": "overview", "规划外": "clause"}
    for kind, question in example_questions(hash_engine.clauses, hash_engine.offices):
        answer = hash_engine.ask(question)
        assert answer.found == (kind != "规划外"), (kind, question, answer.answer)
        assert answer.intent == intents[kind], (kind, question, answer.intent)
