"""Indicator rows: "what is the 2020 target of X?" answered with the row and the asked cell.

Mine when the question asks for a figure (cue words or a year) and the best-ranked indicator
row is near the top and its name is in the question enough. The column comes from the table's
own header (its years, 累计增加, 属性), never from a year written here.

>>> column_asked("2025年目标是多少", ["2021", "2025", "属性"])
'2025'
"""
from __future__ import annotations

import re

from .. import answer as compose
from ..records import Answer, Decision
from .cues import has_any, years_in
from .search import is_latin

NUMBER_CUES = ("多少", "几", "数量", "数值", "目标值", "指标", "达到", "是多少", "how many", "how much",
               "number", "value", "target", "amount", "figure", "rate", "score", "level")
REACH_CUES = ("提高到", "增加到", "增长到", "达到")
TARGET_CUES = REACH_CUES + ("目标", "target", "goal", "到20", "by 20", "预期", "计划达到", "要达到", "达到多少")
INCREASE_CUES = ("累计", "增加", "增长了", "增量", "增多少", "提高", "提升", "多了", "increase", "growth", "grow")
ATTRIBUTE_CUES = ("属性", "性质", "预期性", "约束性", "类型", "attribute", "binding", "type of")
BASELINE_CUES = ("基期", "基数", "起点", "baseline", "base year", "starting")
PERIOD_END = re.compile(r"(十[一二三四五六七八九]五)(?:末|期末)")
_YEAR_COLUMN = re.compile(r"(19|20)\d{2}")


def asks_baseline(text: str, own_periods=()) -> bool:
    """A baseline cue, or the end of a plan period other than the documents' own (the end of the
    previous period is where the table starts).

    >>> asks_baseline("十四五末是多少", ["十五五"]), asks_baseline("十五五末是多少", ["十五五"])
    (True, False)
    """
    return has_any(text, BASELINE_CUES) or any(p not in own_periods for p in PERIOD_END.findall(text))


METHOD_CUES = ("怎么算", "怎么计算", "如何计算", "怎样计算", "计算方法", "计算公式", "公式", "how is", "how are",
               "calculated", "computed", "formula")
SOURCE_CUES = ("来源", "从哪", "哪里来", "数据来自", "出自", "source", "where does", "come from")
NATURE_CUES = ("定量还是定性", "定性还是定量", "定量", "定性", "性质", "quantitative", "qualitative")


def text_column(text: str, columns: list[str]) -> str | None:
    """A column of words rather than figures that the question asks for: how an indicator is
    computed, where its data come from, whether it is quantitative — as the list names them.

    >>> text_column("这个指标怎么计算", ["指标性质", "计算方法", "指标来源"])
    '计算方法'
    >>> text_column("数据从哪来", ["指标性质", "计算方法", "指标来源"]), text_column("目标多少", ["2025"])
    ('指标来源', None)
    """
    for cues, marks in ((METHOD_CUES, ("计算", "公式")), (SOURCE_CUES, ("来源",)), (NATURE_CUES, ("性质",))):
        if has_any(text, cues):
            column = next((c for c in columns if any(m in c for m in marks)), None)
            if column is not None:
                return column
    return None


def column_asked(text: str, columns: list[str], own_periods=()) -> str | None:
    """Which table column a question asks for, read from the header the document itself has.

    >>> cols = ["2021", "2022", "2025", "累计增加值", "属性"]
    >>> column_asked("2025年目标是多少", cols), column_asked("累计增加多少", cols), column_asked("目标", cols)
    ('2025', '累计增加值', '2025')
    """
    words = text_column(text, columns)
    if words is not None:
        return words
    years = [c for c in columns if _YEAR_COLUMN.fullmatch(c)]
    for y in years_in(text):
        if y in years:
            return y
    increase = next((c for c in columns if "增" in c or "累计" in c), None)
    attribute = next((c for c in columns if "属性" in c or "性质" in c), None)
    if attribute and has_any(text, ATTRIBUTE_CUES):
        return attribute
    if increase and not has_any(text, REACH_CUES) and has_any(text, INCREASE_CUES):
        return increase
    if years and asks_baseline(text, own_periods):
        return years[0]
    if years and has_any(text, TARGET_CUES):
        return years[-1]
    return None


def asks_number(text: str) -> bool:
    return has_any(text, NUMBER_CUES + TARGET_CUES + INCREASE_CUES) or bool(years_in(text))


def name_coverage(question_tokens, name_terms: dict[str, float]) -> float:
    """Share of an indicator name's term weight that the question contains.

    >>> name_coverage(["专利", "数量"], {"专利": 1.0, "数量": 1.0, "发明": 2.0})
    0.5
    """
    if not name_terms:
        return 0.0
    have = set(question_tokens)
    return sum(w for t, w in name_terms.items() if t in have) / sum(name_terms.values())


_ASKING_WORDS = NUMBER_CUES + TARGET_CUES + INCREASE_CUES + ATTRIBUTE_CUES + BASELINE_CUES


def asked_elsewhere(s, position: int) -> list[str]:
    """Words of the question that the row lacks and only a few other clauses of its document hold
    (at most `settings.indicator_elsewhere_df`): 「质押融资担保基金的规模是多少亿元」 names the
    fund of one task, not the row 「知识产权质押融资金额(亿元)」. Words the document never uses
    (做到, 老百姓) and asking words (达到, 目标) say nothing about which."""
    limit = s.settings.indicator_elsewhere_df
    found = [t for t in dict.fromkeys(s.q.tokens)
             if len(t) > 1 and not t.isascii() and not any(t in c for c in _ASKING_WORDS)
             and not s.retriever.contains(position, t) and 1 <= s.retriever.doc_frequency(t, position) <= limit]
    # a translated question carries every alternative of its words (application → 申请 申报 应用):
    # one stray word is no sign of another topic
    return found if len(found) > 1 or not is_latin(s.q.text) else []


def answer(s) -> Answer | None:
    if s.asks_department or not s.outline.indicators:
        return None
    if not asks_number(s.q.lowered) and not has_any(s.q.lowered, METHOD_CUES + SOURCE_CUES + NATURE_CUES):
        return None
    found = next(((rank, p) for rank, (p, _) in enumerate(s.candidates)
                  if s.retriever.clauses[p].kind == "indicator"), None)
    if found is None:
        return None
    rank, position = found
    row = s.retriever.clauses[position]
    cov = name_coverage(s.q.tokens, s.indicator_names.get(row.id, {}))
    st = s.settings
    need = st.indicator_name_at_top if rank == 0 else st.indicator_name_near
    if (rank > st.indicator_near_rank and cov < st.indicator_name_far) or cov < need:
        return None
    elsewhere = asked_elsewhere(s, position)
    if elsewhere:
        return None   # 担保基金的规模 beside the row 质押融资金额: the question is about another clause's topic
    column = column_asked(s.q.lowered, list(row.values), s.own_periods)
    others = [h for h in s.hits(s.candidates, s.k + 1) if h.clause.id != row.id]
    result = compose.indicator_answer(s.q.raw, row, column, others[: s.k - 1])
    decision = Decision("indicator", {"row_rank": rank, "name_coverage": round(cov, 4), "column": column},
                        (f"name coverage {cov:.2f} ≥ {need}",))
    return compose.decided(result, decision)
