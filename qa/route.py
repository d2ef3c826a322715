"""Intent routing: what kind of question is this, and which exact structure can answer it?

Pure functions over folded question text. The lexicons below are about the *form* of questions
in Chinese and English (who / which office / how much / which clause), never about a particular
plan; the plan-specific parts — office names, clause numbers, indicator names, headings — come
from the parsed corpus passed in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .parse import CN_NUM, cn_to_int, int_to_cn
from .records import Clause

# "responsible", 责任单位 and 牵头 also occur in "what is office X responsible for": weak cues
WEAK_DEPARTMENT_CUES = ("责任单位", "牵头", "主管", "in charge", "responsible")
DEPARTMENT_CUES = ("哪个部门", "哪些部门", "什么部门", "哪个单位", "哪些单位", "什么单位", "哪个机构",
                   "哪些机构", "谁负责", "谁来", "谁管", "归谁", "找谁", "找哪", "哪家", "责任单位",
                   "负责部门", "牵头", "主管", "哪个厅", "哪个局", "负责单位", "由谁", "谁牵头",
                   "which department", "which agenc", "which office", "which bod", "which government",
                   "who ", "who's", "whom", "in charge", "responsible", "which unit", "what department",
                   "what agenc", "what office")
REVERSE_CUES = ("负责哪些", "负责什么", "哪些任务", "哪些工作", "什么工作", "什么任务", "承担", "职责",
                "管哪些", "管什么", "负责的", "涉及哪些", "参与哪些", "哪些条", "哪些事", "什么事",
                "干什么", "做什么", "要做", "干啥", "做啥", "负责啥", "管啥", "啥任务", "啥工作", "负责了", "哪几项", "哪些方面", "有哪些", "都负责", "分工",
                "responsible for", "tasks", "what does", "what is the", "role", "duties", "involved")
NUMBER_CUES = ("多少", "几", "数量", "数值", "目标值", "指标", "达到", "是多少", "how many", "how much",
               "number", "value", "target", "amount", "figure", "rate", "score", "level")
OVERVIEW_CUES = ("有哪些", "包括", "哪几", "哪些方面", "主要内容", "概况", "概述", "总体", "整体", "是什么",
                 "什么样", "讲了什么", "讲什么", "说了什么", "内容", "what are", "overview", "summary",
                 "summar", "list", "main", "what is", "outline")
TARGET_CUES = ("提高到", "增加到", "增长到", "达到", "目标", "target", "goal", "到20", "by 20", "预期", "计划达到", "要达到", "达到多少")
INCREASE_CUES = ("累计", "增加", "增长了", "增量", "增多少", "提高", "提升", "多了", "increase", "growth", "grow")
ATTRIBUTE_CUES = ("属性", "性质", "预期性", "约束性", "类型", "attribute", "binding", "type of")
BASELINE_CUES = ("基期", "基数", "起点", "十二五末", "baseline", "base year", "starting")

PREAMBLE_CUES = ("前言", "序言", "引言", "开头", "开篇", "开篇", "第一段", "依据什么", "根据什么", "依据哪些",
                 "为什么制定", "制定依据", "preamble", "introduction", "opening", "based on", "basis")
ORDINAL = re.compile(rf"第([{CN_NUM}]+|\d+)(?:条|项|点|个)")
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_CN = f"[{CN_NUM}]+"


@dataclass(frozen=True)
class ClauseRef:
    part: str | None
    section: str | None
    item: str | None


def has_any(text: str, cues) -> bool:
    return any(c in text for c in cues)


def clause_reference(text: str) -> ClauseRef | None:
    """A clause number written in the question, if any.

    Example: clause_reference("二(九)2讲的是什么") == ClauseRef("二", "九", "2")
    Example: clause_reference("第二部分第九项第2条") == ClauseRef("二", "九", "2")
    """
    t = text.replace(" ", "")
    num = rf"(?:{_CN}|\d+)"
    m = re.search(rf"第({num})部分(?:的|中|里)?(?:第?\(?({num})\)?[项节部分]|\(({_CN}|\d+)\))?(?:[^第]{{0,4}}第({num})[条项点款])?", t)
    if m:
        return ClauseRef(_cn(m.group(1)), _cn(m.group(2) or m.group(3)), _arabic(m.group(4)))
    m = re.search(rf"(?<![{CN_NUM}])({_CN})[、.]?\(({_CN})\)(?:第)?(\d{{1,2}})?(?![\d.])", t)
    if m:
        return ClauseRef(m.group(1), m.group(2), m.group(3))
    m = re.search(rf"(?:^|[^{CN_NUM}\w])\(({_CN})\)(?:第)?(\d{{1,2}})?(?![\d.])", t)
    if m:
        return ClauseRef(None, m.group(1), m.group(2))
    low = text.lower()
    m = re.search(r"\bpart\s*(\d+|[ivx]+)\b\W*(?:(?:section|chapter)\s*\(?(\d+|[ivx]+)\)?)?\W*(?:(?:item|point|article|clause|paragraph)\s*\(?(\d+)\)?)?", low)
    if m:
        return ClauseRef(_cn(_roman(m.group(1))), _cn(_roman(m.group(2))) if m.group(2) else None, m.group(3))
    return None


def _roman(s: str | None) -> str | None:
    if s is None or s.isdigit():
        return s
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return str(total)


def _cn(s: str | None) -> str | None:
    """Arabic or Chinese numeral → Chinese numeral, as the outline writes parts and sections."""
    if s is None:
        return None
    return int_to_cn(int(s)) if s.isdigit() and 0 < int(s) < 100 else s


def _arabic(s: str | None) -> str | None:
    if s is None:
        return None
    return s if s.isdigit() else str(cn_to_int(s))


def resolve_reference(ref: ClauseRef, by_local: dict[str, Clause]) -> Clause | None:
    """The clause a reference points at, from clauses keyed by their local id ("二.九.2");
    a reference without a part must match one clause only."""
    keys = [k for k in (ref.part, ref.section, ref.item) if k]
    if ref.part:
        return by_local.get(".".join(keys))
    tail = "." + ".".join(keys)
    matches = [c for local, c in by_local.items() if local.endswith(tail) and local.count(".") == len(keys)]
    return matches[0] if len(matches) == 1 else None


def column_asked(text: str, columns: list[str]) -> str | None:
    """Which table column a question asks for, read from the header the plan itself has.

    Example: column_asked("2020年目标是多少", ["2015", "2016", "2020", "累计增加值", "属性"]) == "2020"
    """
    years = [c for c in columns if re.fullmatch(r"(19|20)\d{2}", c)]
    for m in _YEAR.finditer(text):
        if m.group() in years:
            return m.group()
    increase = next((c for c in columns if "增" in c or "累计" in c), None)
    attribute = next((c for c in columns if "属性" in c or "性质" in c), None)
    if attribute and has_any(text, ATTRIBUTE_CUES):
        return attribute
    reaches = has_any(text, TARGET_CUES[:4])
    if increase and not reaches and has_any(text, INCREASE_CUES):
        return increase
    if years and has_any(text, BASELINE_CUES):
        return years[0]
    if years and has_any(text, TARGET_CUES):
        return years[-1]
    return None


def years_in(text: str) -> list[str]:
    return [m.group() for m in _YEAR.finditer(text)]
