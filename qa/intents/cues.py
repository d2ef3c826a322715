"""Cue words shared by several answerers: is a question asking *who* is responsible?

Only cues that more than one answerer reads live here; each answerer keeps its own cues beside
its decision. The lexicons are about the form of questions in Chinese and English (who / which
office), never about a particular document.

>>> has_any("哪个部门负责专利", DEPARTMENT_CUES)
True
"""
from __future__ import annotations

import re

# "responsible", 责任单位 and 牵头 also occur in "what is office X responsible for": weak cues
WEAK_DEPARTMENT_CUES = ("责任单位", "牵头", "主管", "in charge", "responsible")
DEPARTMENT_CUES = ("哪个部门", "哪些部门", "哪几个部门", "几个部门", "哪几个单位", "什么部门", "哪个单位", "哪些单位", "什么单位", "哪个机构",
                   "哪些机构", "谁", "找哪", "哪家", "责任单位",
                   "负责部门", "牵头", "主管", "哪个厅", "哪个局", "负责单位", "由谁", "谁牵头",
                   "which department", "which agenc", "which office", "which bod", "which government",
                   "who ", "who's", "whom", "in charge", "responsible", "which unit", "what department",
                   "what agenc", "what office")
# asking for the lead office only (谁牵头, 牵头部门是哪个, which office leads)
LEAD_CUES = ("牵头", "主责", "主要负责", "lead office", "leads", "leading", "take the lead", "lead department")
STRONG_DEPARTMENT_CUES = tuple(c for c in DEPARTMENT_CUES if c not in WEAK_DEPARTMENT_CUES)
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def has_any(text: str, cues) -> bool:
    """>>> has_any("who is in charge", ("in charge",))
    True
    """
    return any(c in text for c in cues)


def years_in(text: str) -> list[str]:
    """>>> years_in("2030年比2026年")
    ['2030', '2026']
    """
    return [m.group() for m in _YEAR.finditer(text)]
