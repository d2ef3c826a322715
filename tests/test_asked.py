"""Which figure of a clause answers (qa.asked.figure): the one whose own comma piece names what
the question asks about, not the first of the sentence."""
from __future__ import annotations

import pytest

from qa.asked import asked_kind, figure

FEES = ("单户担保金额500万元以上的再担保业务收费，原则上不高于承担风险责任的0.5%；"
        "单户担保金额500万元及以下的再担保业务收费，原则上不高于承担风险责任的0.3%。")
SOURCES = "26个指标为国家监测指标，其中15个指标自动生成，9个指标由财务年报表获取，2个指标由医院填报。"


@pytest.mark.parametrize("kind, text, terms, value", [
    ("count", SOURCES, ["财务", "年报表", "获取"], "9个"),
    ("count", SOURCES, ["医院", "填报"], "2个"),
    ("count", SOURCES, ["自动", "生成"], "15个"),
    ("rate", "支小支农担保金额占比不得低于80%，其中单户500万元及以下的占比不得低于50%。", ["单户", "以下", "占比"], "50%"),
])
def test_the_figure_whose_piece_names_the_asked_thing(kind, text, terms, value):
    assert figure(kind, text, terms) == value


def test_a_figure_closing_its_piece_measures_what_the_piece_before_names():
    assert figure("rate", FEES, ["及以下", "收费"]) == "0.3%"
    assert figure("rate", FEES, ["以上", "收费"]) == "0.5%"


def test_rarer_terms_weigh_more_when_the_engine_says_so():
    text = "基金规模达到100亿元，其中专项资金20亿元。"
    assert figure("money", text, ["基金", "规模"]) == "100亿元"
    assert figure("money", text, ["基金", "专项"], weight=lambda t: 5.0 if t == "专项" else 1.0) == "20亿元"


def test_no_figure_of_the_kind_asked_gives_none():
    assert figure("money", "研究设立国家融资担保基金。", ["基金"]) is None


def test_a_count_written_in_chinese_numerals_is_a_figure_too():
    assert figure("count", "批准文件可一证多批使用，但最多不超过六批。", ["批"]) == "六批"
    assert figure("count", "每万人口发明专利拥有量。", []) is None   # 万人 is no count


@pytest.mark.parametrize("question, kind", [
    ("By when should the integration be finished?", "date"),
    ("How much central funding will each province receive?", "money"),
    ("How much guarantee fee subsidy, in yuan per loan, is paid?", "money"),
    ("How much does the fund cover?", None),
])
def test_english_forms_of_asking_a_figure(question, kind):
    assert asked_kind(question) == kind


@pytest.mark.parametrize("question", ["重点检查事项和一般检查事项在抽查比例上有什么不同？", "两类费率有何区别？",
                                      "What is the difference between the two inspection ratios?"])
def test_asking_how_two_things_differ_is_not_asking_for_a_figure(question):
    assert asked_kind(question) is None


def test_a_count_in_a_unit_of_measure_asks_for_that_figure():
    assert asked_kind("每年能额外拿到多少亩新增建设用地指标？") == "count"
    assert figure("count", "安排新增建设用地指标500亩。", ["建设用地"]) == "500亩"


@pytest.mark.parametrize("question, kind", [
    ("每户每年最多能扣减多少税？", "money"),
    ("What is the most an individual can borrow through a start-up loan?", "money"),
    ("连续两年排名最后几位的要整改？", "count"),
    ("哪几个城市的试点被撤销了？", "place"),
])
def test_what_kind_of_figure_a_question_asks_for(question, kind):
    assert asked_kind(question.lower()) == kind


def test_a_duration_asked_in_one_unit_is_not_answered_in_another():
    text = "签发长期(5年至10年)多次往返签证。工作许可在10个工作日内办结。"
    assert figure("duration", text, ["签证"], unit="日") == "10个工作日"
    assert figure("duration", "签发长期(5年至10年)多次往返签证。", ["签证"], unit="日") is None


def test_a_count_asked_of_a_named_thing_is_a_count_of_that_thing():
    text = "形成纵向贯通的两个层次。26个指标为国家监测指标,其中15个指标自动生成,9个由年报获取。"
    assert figure("count", "形成纵向贯通的两个层次。", [], unit="等级") is None      # 几个等级: no count of 等级
    assert figure("count", text, ["年报", "获取"], unit="指标") == "9个"            # the sentence names 指标


def test_a_yes_or_no_question_asks_for_no_figure_and_a_measure_word_names_what_is_counted():
    assert asked_kind("抽查比例有上限不？") is None
    assert asked_kind("这个比例能在医院之间比吗？") is None
    assert figure("count", "(四)军民深度融合方面6项。", [], unit=None) == "6项"


def test_what_is_asks_for_the_figure_and_days_are_days_however_written():
    assert asked_kind("补贴标准是什么？") == "money"
    assert figure("duration", "受理后20日内作出决定。", [], unit="日") == "20日"
