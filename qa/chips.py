"""Suggested follow-ups: two to four one-click chips under the newest answer, chosen from what the
answer contains.

Pure: an `Answer` (and, optionally, the outline) in, questions out. Every chip is a follow-up the
engine reads against the answer it follows (qa/context.py): 这条的责任单位有哪些？ and
这一条的原文是什么？ point back at the answer's top clause, 下一条呢？/上一条呢？ move in the
outline, 第1条呢？ opens a heading's first item, 还有呢？ goes down the list of hits, 那<年>年呢？ asks
another column of an indicator row, and <指标>是多少？ asks an indicator that was among the hits.
The wording is fixed per kind of follow-up; the only words taken from the answer are an
indicator's name and a year column, so no chip is written for one plan's clauses or offices.

Rules, in order of use (the first four that apply are kept):
- an indicator row on top: the other end of its years (the target after a baseline, the
  baseline after the target);
- offices: the top clause names offices and the answer was not already about its offices;
- text: the top clause is a heading → its first item; else its text, unless the answer quotes it;
- a related indicator: the answer (not itself an indicator's) found an indicator among its hits;
- moving: the next clause when there is one (else the previous one);
- more: the answer has hits after the top one;
- place: only to make up two chips.
An answer with no clause (nothing found, no context) offers none: there is nothing to follow up.
When the plan does not answer, only the nearest clause is offered (its text, its offices, the
next nearest), never a move away from it.

>>> from qa.records import Answer, Clause, Hit
>>> item = Clause("d:一.1", "d", ("一、任务", "1.专利"), "专利", "1.专利。", ("省甲厅",), number="一1")
>>> row = Clause("d:表.1", "d", ("主要指标", "专利数(件)"), "专利数(件)", "专利数(件)", kind="indicator",
...              values={"2010": "1", "2011": "2", "属性": "预期性"})
>>> suggest(Answer("专利怎么办？", True, "clause", "规划一1「专利」：1.专利。", hits=(Hit(item, 1.0), Hit(row, 0.5))))
['这条的责任单位有哪些？', '专利数是多少？', '下一条呢？', '还有呢？']
>>> suggest(Answer("专利数多少？", True, "indicator", "规划主要指标「专利数(件)」2011年为 2 件。", value="2",
...                hits=(Hit(row, 1.0),)))
['那2010年呢？', '下一条呢？']
>>> suggest(Answer("它的责任单位？", False, "clause", "这个问题要接着上文问……"))
[]
"""
from __future__ import annotations

import re

from .records import Answer, Clause

OFFICES = "这条的责任单位有哪些？"
TEXT = "这一条的原文是什么？"
FIRST_ITEM = "第1条呢？"
NEXT = "下一条呢？"
PREVIOUS = "上一条呢？"
MORE = "还有呢？"
PLACE = "这条在哪一部分？"
MIN_CHIPS, MAX_CHIPS = 2, 4
_UNIT = re.compile(r"\s*[(（][^()（）]*[)）]")


def suggest(answer: Answer, outline=None) -> list[str]:
    """Two to four follow-up questions for `answer` (none when it has no clause); see the module.

    `outline` (qa.outline.Outline) lets 下一条呢？ be offered only when there is a next clause
    (上一条呢？ at the end of a list); without it a leaf clause is assumed to have one.
    """
    if not answer.hits:
        return []
    top = answer.hits[0].clause
    more = len(answer.hits) > 1
    chips: list[str] = []
    if not answer.found:  # the nearest clause, for reference: look at it, nothing else
        chips += [TEXT] + ([OFFICES] if top.departments else [])  # 还有呢 would give one more reference only
        return _fill(chips, top)
    if top.kind == "indicator":
        chips.append(other_year(top, answer.value))
    if top.departments and answer.intent != "department":
        chips.append(OFFICES)
    if top.has_children:
        chips.append(FIRST_ITEM)
    elif top.kind != "indicator" and _body(top) not in answer.answer:
        chips.append(TEXT)
    if top.kind != "indicator":
        related = next((h.clause for h in answer.hits[1:] if h.clause.kind == "indicator"), None)
        if related is not None:
            chips.append(f"{indicator_name(related)}是多少？")
    chips.append(_move(top, outline))
    if more:
        chips.append(MORE)
    return _fill(chips, top)


def other_year(row: Clause, value: str | None) -> str:
    """The follow-up asking the other end of an indicator row's years: the first year after a
    question about any later one, the last year after a question about the first.

    >>> row = Clause("d:表.1", "d", (), "专利数(件)", "", kind="indicator", values={"2010": "1", "2014": "4"})
    >>> other_year(row, "4"), other_year(row, "1")
    ('那2010年呢？', '那2014年呢？')
    """
    years = [k for k in row.values if k.isdigit()]
    if not years:
        return ""
    asked = next((y for y in reversed(years) if row.values[y] == value), years[-1])
    return f"那{years[0] if asked != years[0] else years[-1]}年呢？"


def indicator_name(row: Clause) -> str:
    """An indicator row's name without its unit, as a question names it.

    >>> indicator_name(Clause("d:表.2", "d", (), "PCT 专利申请量(件)", "", kind="indicator"))
    'PCT 专利申请量'
    """
    return _UNIT.sub("", row.title).strip()


def _body(clause: Clause) -> str:
    """The part of a clause's text an answer that quotes it contains."""
    return clause.text.strip()[:40]


def _move(top: Clause, outline) -> str:
    if outline is None:
        return NEXT
    if outline.step(top, 1) is not None:
        return NEXT
    return PREVIOUS if outline.step(top, -1) is not None else ""


def _fill(chips: list[str], top: Clause) -> list[str]:
    out = list(dict.fromkeys(c for c in chips if c))
    if len(out) < MIN_CHIPS and PLACE not in out and top.kind != "indicator":
        out.append(PLACE)
    return out[:MAX_CHIPS]
