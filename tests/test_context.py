"""Follow-ups read in context: each pattern on a two- or three-turn dialogue with the real
embedder, plus the pure readers. The dialogues are written for this file (eval/dialogues.jsonl
measures; these pin behaviour down)."""
from __future__ import annotations

import pytest

from qa.context import aspect_of, lone_topic, navigation, refers_back, replace_topic


def local(answer) -> str:
    return answer.hits[0].clause.id.split(":", 1)[1]


def converse(engine, *questions):
    history, answers = [], []
    for q in questions:
        answers.append(engine.ask(q, history=list(history)))
        history.append(q)
    return answers


# ---------------------------------------------------------------- pure readers


@pytest.mark.parametrize("text, move", [
    ("下一条呢？", ("step", 1)), ("上一条", ("step", -1)), ("next one?", ("step", 1)),
    ("还有呢", ("more", 0)), ("第2条呢", ("ordinal", 2)), ("第二项是什么", ("ordinal", 2)),
    ("下一条规定对小微企业有什么支持", None), ("专利谁负责", None), ("", None),
])
def test_navigation_is_a_bare_request_to_move(text, move):
    assert navigation(text) == move


@pytest.mark.parametrize("text, back, aspect", [
    ("它的责任单位有哪些？", True, "offices"), ("这一条的原文是什么", True, "text"),
    ("这条在哪一部分？", True, "place"), ("Who is responsible for this clause?", True, "offices"),
    ("专利导航谁负责？", False, "offices"), ("商标有哪些规定", False, "text"),
    ("那这块是哪些部门负责的？", True, "offices"),
])
def test_pointing_back_and_what_is_asked_of_the_clause(text, back, aspect):
    assert refers_back(text) is back
    assert aspect_of(text) == aspect


@pytest.mark.parametrize("text, topic", [
    ("那地理标志呢？", "地理标志"), ("专利呢", "专利"), ("And trademarks?", "trademarks"),
    ("what about copyright", "copyright"), ("那么版权呢？", "版权"), ("呢", ""),
])
def test_lone_topic_drops_the_lead_and_the_tail(text, topic):
    assert lone_topic(text) == topic


def test_replace_topic_keeps_the_previous_wording():
    assert replace_topic("哪个部门负责知识产权质押融资？", ["知识产权", "质押融资"], "版权") == "哪个部门负责版权？"
    assert replace_topic("Who handles patents?", ["专利"], "商标") is None


# ---------------------------------------------------------------- dialogues


def test_the_same_clause_its_offices_text_and_place(engine):
    first, offices, text, place = converse(engine, "二(十)1讲的是什么？", "它的责任单位有哪些？",
                                           "这一条的原文是什么", "这条在哪一部分？")
    clause = first.hits[0].clause
    assert local(offices) == local(text) == local(place) == "二.十.1"
    assert offices.intent == "department" and offices.departments == clause.departments
    assert offices.answer.startswith("按上文理解为：") and offices.context_ids == (clause.id,)
    assert clause.text in text.answer
    assert clause.path[0] in place.answer


def test_outline_navigation_next_previous_and_ordinal(engine):
    _, nxt, back = converse(engine, "二(十)1讲的是什么？", "下一条呢？", "上一条")
    assert local(nxt) == "二.十.2" and local(back) == "二.十.1"
    _, third = converse(engine, "主要任务有哪些？", "第3条呢")
    assert local(third) == "二.三"


def test_more_gives_the_next_best_clause(engine):
    first, more = converse(engine, "哪个部门负责知识产权质押融资？", "还有呢")
    assert more.found and local(more) != local(first)
    assert more.hits[0].clause.id in [h.clause.id for h in first.hits]


def test_topic_substitution_in_chinese_english_and_traditional(engine):
    first, geo = converse(engine, "商标品牌建设谁负责？", "那地理标志呢？")
    assert geo.intent == "department" and geo.resolved_question and "地理标志" in geo.resolved_question
    assert "地理标志" in geo.hits[0].clause.text
    _, english = converse(engine, "哪个部门负责知识产权质押融资？", "And copyright?")
    assert english.intent == "department" and "版权" in english.resolved_question
    _, traditional = converse(engine, "哪个部门负责知识产权质押融资？", "那商標呢？")
    assert traditional.intent == "department" and "商标" in traditional.hits[0].clause.text


def test_indicator_other_column_other_row_and_increase(engine):
    first, other_year, other_row, increase = converse(
        engine, "全省作品登记数量2020年的目标是多少？", "那2016年呢？", "有效注册商标数量呢？", "累计增加多少？")
    row = first.hits[0].clause
    assert other_year.hits[0].clause.id == row.id and other_year.value == row.values["2016"]
    assert other_row.hits[0].clause.id != row.id and other_row.value == other_row.hits[0].clause.values["2016"]
    increase_column = next(c for c in row.values if "累计" in c)
    assert increase.value == other_row.hits[0].clause.values[increase_column]


def test_office_follow_up_after_an_office_answer(engine):
    _, other = converse(engine, "省商务厅负责哪些工作？", "省公安厅呢？")
    assert other.intent == "office_reverse" and other.departments == ("省公安厅",)
    assert all("省公安厅" in h.clause.departments for h in other.hits)


@pytest.mark.parametrize("previous", ["二(十)1讲的是什么？", "全省作品登记数量2020年的目标是多少？", "省商务厅负责哪些工作？"])
def test_a_complete_question_ignores_the_history(engine, previous):
    question = "哪个部门负责专利导航？"
    alone = engine.ask(question)
    after = engine.ask(question, history=[previous])
    assert after.to_json() == alone.to_json()
    assert after.resolved_question is None


def test_a_follow_up_the_plan_does_not_answer_is_refused(engine):
    _, follow = converse(engine, "哪个部门负责知识产权质押融资？", "那贷款额度上限是多少？")
    assert follow.found is False


def test_same_history_same_answer_and_bad_turns_give_no_context(engine):
    history = ["二(十)1讲的是什么？"]
    assert engine.ask("它的责任单位有哪些？", history=history).to_json() == \
        engine.ask("它的责任单位有哪些？", history=list(history)).to_json()
    lone = engine.ask("哪个部门负责专利导航？", history=["", "？？？"])
    assert lone.resolved_question is None and lone.found


@pytest.mark.parametrize("question", ["它的责任单位有哪些？", "下一条呢？", "What does this clause say?"])
def test_a_follow_up_without_any_history_asks_for_the_question_in_full(engine, question):
    a = engine.ask(question)
    assert a.found is False and a.decision.answerer == "no_context" and "上文" in a.answer


def test_moving_past_the_end_of_a_list_says_so_without_a_reading(engine):
    last = engine.outline.children(engine.outline.by_id[engine.ask("二(十)讲的是什么？").hits[0].clause.id])[-1]
    follow = engine.ask("下一条呢？", history=[f"{last.number}讲的是什么？"])
    assert follow.found is False and follow.hits == () and follow.resolved_question is None
    assert follow.context_ids == (last.id,)


def test_more_after_a_refusal_is_still_only_a_reference(engine):
    refused, more = converse(engine, "申请专利要交多少钱？", "还有呢")
    assert refused.found is False and more.found is False
    assert more.hits and more.hits[0].clause.id != refused.hits[0].clause.id


@pytest.mark.parametrize("follow_up", ["那这个归哪些部门指导？", "这由哪些部门负责？", "它归哪个部门主管？", "这个谁牵头？"])
def test_asking_who_about_the_previous_clause_leaves_no_topic_words(follow_up):
    from qa.context import ASPECTS, _without, refers_back
    assert refers_back(follow_up)
    rest = _without(follow_up, ASPECTS)   # what is left must name no topic: the cue words all go
    assert not [w for w in ("指导", "负责", "主管", "牵头", "部门") if w in rest], rest
