"""Suggested follow-ups (qa/chips.py): two to four chips chosen from what an answer contains, each
one a follow-up the engine reads in the answer's context."""
from __future__ import annotations

import pytest

from qa import chips
from qa.chips import suggest
from qa.examples import example_questions
from qa.outline import Outline
from qa.records import Answer, Clause, Hit

PART = Clause("d:二", "d", ("二、任务",), "任务", "二、任务", kind="part", number="二", has_children=True)
SECTION = Clause("d:二.一", "d", ("二、任务", "(一)保护"), "保护", "(一)保护。", kind="section", number="二(一)",
                 has_children=True)
FIRST = Clause("d:二.一.1", "d", ("二、任务", "(一)保护", "1.执法"), "执法", "1.执法。加强执法。(责任单位:省甲厅、省乙局)",
               ("省甲厅", "省乙局"), number="二(一)1")
SECOND = Clause("d:二.一.2", "d", ("二、任务", "(一)保护", "2.司法"), "司法", "2.司法。加强司法。", number="二(一)2")
ROW = Clause("d:指标.1", "d", ("主要指标", "专利数(件)"), "专利数(件)", "专利数(件):2010 1;2011 2;2014 4",
             kind="indicator", values={"2010": "1", "2011": "2", "2014": "4", "属性": "预期性"})
ROW2 = Clause("d:指标.2", "d", ("主要指标", "商标数(万件)"), "商标数(万件)", "商标数(万件):2010 3;2014 5",
              kind="indicator", values={"2010": "3", "2014": "5"})
OUTLINE = Outline([PART, SECTION, FIRST, SECOND, ROW, ROW2])
GENERIC = {chips.OFFICES, chips.TEXT, chips.FIRST_ITEM, chips.NEXT, chips.PREVIOUS, chips.MORE, chips.PLACE}


def clause_answer(*hits, intent="clause", found=True, text=None, departments=()):
    text = text if text is not None else f"规划{hits[0].number}：{hits[0].text}"
    return Answer("问题", found, intent, text, departments, None, tuple(Hit(c, 1.0 - i / 10) for i, c in enumerate(hits)))


def test_a_clause_answer_offers_its_offices_a_move_and_more():
    out = suggest(clause_answer(FIRST, SECOND), OUTLINE)
    assert out == [chips.OFFICES, chips.NEXT, chips.MORE]
    assert chips.TEXT not in out                          # the answer already quotes the clause


def test_a_department_answer_does_not_offer_its_offices_again():
    answer = clause_answer(FIRST, SECOND, intent="department", departments=FIRST.departments,
                           text=f"根据规划，责任单位是：省甲厅、省乙局。原文：{FIRST.text}")
    out = suggest(answer, OUTLINE)
    assert chips.OFFICES not in out and chips.NEXT in out and 2 <= len(out) <= 4


def test_an_answer_that_does_not_quote_the_clause_offers_its_text():
    answer = clause_answer(FIRST, SECOND, intent="office_reverse", text="省甲厅是规划中 1 项任务的责任单位：二(一)1「执法」。")
    assert suggest(answer, OUTLINE)[:2] == [chips.OFFICES, chips.TEXT]


def test_the_last_clause_of_a_list_offers_the_previous_one():
    out = suggest(clause_answer(SECOND), OUTLINE)
    assert chips.PREVIOUS in out and chips.NEXT not in out
    assert len(out) >= 2                                   # made up with 这条在哪一部分？


def test_a_heading_offers_its_first_item():
    answer = Answer("任务有哪些？", True, "overview", "规划二「任务」包括：二、(一)「保护」。", (), None,
                    (Hit(PART, 1.0), Hit(SECTION, 0.9)))
    out = suggest(answer, OUTLINE)
    assert out[0] == chips.FIRST_ITEM and chips.TEXT not in out and chips.MORE in out


def test_an_indicator_answer_offers_the_other_end_of_its_years():
    target = Answer("专利数2014年？", True, "indicator", "规划主要指标「专利数(件)」2014年为 4 件。", (), "4", (Hit(ROW, 1.0),))
    assert suggest(target, OUTLINE)[0] == "那2010年呢？"
    baseline = Answer("专利数2010年？", True, "indicator", "规划主要指标「专利数(件)」2010年为 1 件。", (), "1",
                      (Hit(ROW, 1.0),))
    assert suggest(baseline, OUTLINE)[0] == "那2014年呢？"


def test_an_indicator_among_the_hits_is_offered_by_name():
    out = suggest(clause_answer(FIRST, ROW2), OUTLINE)
    assert "商标数是多少？" in out                        # the unit is left out, as a question says it
    assert all(c in GENERIC or c.endswith("是多少？") for c in out)


def test_not_found_offers_only_the_nearest_clause():
    answer = clause_answer(FIRST, SECOND, found=False, text="规划中没有找到能回答这个问题的条款。最接近的条款是二(一)1，仅供参考。")
    out = suggest(answer, OUTLINE)
    assert out == [chips.TEXT, chips.OFFICES]   # 还有呢 after a refusal would only give another reference
    assert chips.NEXT not in out and chips.PREVIOUS not in out and chips.MORE not in out


def test_an_answer_without_a_clause_offers_nothing():
    assert suggest(Answer("它呢？", False, "clause", "这个问题要接着上文问……")) == []


def test_never_more_than_four_and_no_duplicates():
    answer = Answer("省甲厅做什么？", True, "office_reverse", "省甲厅是……", ("省甲厅",), None,
                    (Hit(FIRST, 1.0), Hit(ROW, 0.9), Hit(SECOND, 0.8), Hit(ROW2, 0.7)))
    out = suggest(answer, OUTLINE)
    assert 2 <= len(out) <= 4 and len(out) == len(set(out))


def test_without_an_outline_a_leaf_is_assumed_to_have_a_next_clause():
    assert chips.NEXT in suggest(clause_answer(SECOND))


def test_chips_name_no_clause_or_office():
    """Chips are built from fixed forms; only an indicator's name or a year column comes from the answer."""
    answers = [clause_answer(FIRST, SECOND), clause_answer(SECOND), clause_answer(FIRST, ROW2),
               clause_answer(FIRST, SECOND, found=False, text="没有。")]
    for answer in answers:
        for chip in suggest(answer, OUTLINE):
            assert not any(word in chip for word in ("省甲厅", "省乙局", "执法", "司法", "保护", "任务")), chip


# ---------------------------------------------------------------- against the real plan

def test_every_chip_is_answered_in_context(hash_engine):
    """For each example question, every chip it suggests is read against that answer (or, for a
    related indicator, answered as an indicator question) and finds a clause."""
    questions = [q for _, q in example_questions(hash_engine.clauses, hash_engine.offices)]
    questions += ["哪个部门负责知识产权质押融资？", "知识产权人才培养"]
    seen = set()
    for question in questions:
        first = hash_engine.ask(question)
        offered = suggest(first, hash_engine.outline)
        if first.hits:
            assert 2 <= len(offered) <= 4, (question, offered)
        for chip in offered:
            follow = hash_engine.ask(chip, history=[question])
            assert follow.found, (question, chip, follow.answer)
            if chip in GENERIC or chip.startswith("那"):
                assert follow.resolved_question, (question, chip)      # read in context, and it says so
                assert follow.answer.startswith("按上文理解为：")
            else:
                assert follow.intent == "indicator", (question, chip)
            seen.add(chip)
    assert {chips.OFFICES, chips.NEXT, chips.MORE} <= seen


@pytest.mark.parametrize("follow_up", [chips.OFFICES, chips.TEXT, chips.NEXT, chips.MORE, chips.PLACE])
def test_each_form_is_a_follow_up_the_engine_reads(hash_engine, follow_up):
    answer = hash_engine.ask(follow_up, history=["二(九)1讲的是什么？"] if follow_up != chips.MORE
                             else ["哪个部门负责知识产权质押融资？"])
    assert answer.found and answer.resolved_question
