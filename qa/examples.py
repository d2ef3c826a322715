"""One-click example questions, derived from whatever corpus is loaded.

Each kind of question the engine answers gets one example built from the plan's own material:
部门 asks who is responsible for the clause naming the most offices, 条款编号 asks what the
first numbered item says, 指标 asks an indicator's target in its last year column, 单位 asks what
the office named by the most clauses does, 概览 asks what the largest part contains, and 规划外
asks for a kind of answer (a phone number, a web site, an address, a fee …) that the corpus text
never gives (qa.scope.ANSWER_TYPES). A kind whose material the corpus lacks is left out.
Deterministic: the same clauses always give the same questions, in the order of `KINDS`.
The app shows them as buttons; the benchmark uses `example_items` as its fallback questions.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from .records import Clause
from .scope import ANSWER_TYPES

KINDS = ("部门", "条款编号", "指标", "单位", "概览", "规划外")
INTENTS = {"部门": "department", "条款编号": "clause", "指标": "indicator", "单位": "office_reverse",
           "概览": "overview", "规划外": "unanswerable"}
_YEAR = re.compile(r"(?:19|20)\d{2}")
_UNIT = re.compile(r"^(.+?)\s*\(([^()]{1,6})\)$")
_CJK_UNIT = re.compile(r"[\u4e00-\u9fff]{1,4}")
_MAX_TITLE = 24
# questions for answer types the corpus does not contain; {office} or {topic} is filled from it
_OUTSIDE = (("phone", "{office}的联系电话是多少？"), ("website", "{office}的官网网址是什么？"),
            ("address", "{office}的办公地址在哪里？"), ("fee", "{topic}要交多少费用？"))


def example_questions(clauses: Sequence[Clause], offices=None) -> list[tuple[str, str]]:
    """(kind, question) pairs, one per kind the corpus has material for, in the order of KINDS.

    `clauses` are the corpus's clauses in plan order (containers included); `offices` is an
    optional qa.offices.OfficeTable used to count an office under its canonical name.

    >>> item = Clause("d:二.九.1", "d", ("二、主要任务", "(九)加强保护", "1.加强行政执法"), "加强行政执法",
    ...               "1.加强行政执法。(责任单位:省科技厅、省公安厅)", ("省科技厅", "省公安厅"),
    ...               number="二(九)1")
    >>> example_questions([item])
    [('部门', '哪个部门负责加强行政执法？'), ('条款编号', '二(九)1讲的是什么？'),
     ('单位', '省科技厅在规划里承担什么工作？'), ('规划外', '省科技厅的联系电话是多少？')]
    """
    clauses = list(clauses)
    out: list[tuple[str, str]] = []
    duty = _department_clause(clauses)
    if duty is not None:
        out.append(("部门", f"哪个部门负责{_topic(duty)}？"))
    items = [c for c in clauses if c.kind == "item" and c.number]
    item = next((c for c in items if c is not duty), items[0] if items else None)
    if item is not None:
        out.append(("条款编号", f"{item.number}讲的是什么？"))
    indicator = _indicator_question(clauses)
    if indicator:
        out.append(("指标", indicator))
    office = _busiest_office(clauses, offices)
    if office:
        out.append(("单位", f"{office}在规划里承担什么工作？"))
    part = _largest_container(clauses)
    if part is not None:
        out.append(("概览", f"{_topic(part)}有哪些？"))
    topic = _topic(duty) if duty is not None else (_topic(item) if item is not None else "")
    outside = _outside_question(clauses, office, topic)
    if outside:
        out.append(("规划外", outside))
    return out


def example_items(clauses: Sequence[Clause], offices=None) -> list[dict]:
    """The examples as benchmark questions: {"id", "intent", "question"}, intents as in eval/.

    >>> item = Clause("d:1", "d", ("1.加强行政执法",), "加强行政执法", "…", ("省科技厅",), number="1")
    >>> example_items([item])[0]
    {'id': 'f1', 'intent': 'department', 'question': '哪个部门负责加强行政执法？'}
    """
    return [{"id": f"f{n}", "intent": INTENTS[kind], "question": question}
            for n, (kind, question) in enumerate(example_questions(clauses, offices), 1)]


def _topic(clause: Clause) -> str:
    return clause.title.strip().rstrip("。.;；:：,，、…")


def _usable_title(clause: Clause) -> bool:
    title = _topic(clause)
    return 2 <= len(title) <= _MAX_TITLE and not clause.title.endswith("…")


def _department_clause(clauses: list[Clause]) -> Clause | None:
    """The clause naming the most offices (the first of equals), with a title fit to ask about."""
    best = None
    for c in clauses:
        if c.departments and c.kind != "indicator" and _usable_title(c):
            if best is None or len(c.departments) > len(best.departments):
                best = c
    return best


def _indicator_question(clauses: list[Clause]) -> str:
    """Asks the first indicator row with a number in its last year column for that target."""
    for row in clauses:
        if row.kind != "indicator":
            continue
        years = [k for k in row.values if _YEAR.fullmatch(k)]
        if not years or not re.search(r"\d", row.values.get(years[-1], "")):
            continue
        m = _UNIT.match(row.title.strip())
        name, unit = (m.group(1), m.group(2)) if m else (row.title.strip(), "")
        unit = unit if _CJK_UNIT.fullmatch(unit) else ""
        if name:
            return f"到{years[-1]}年{name}的目标是多少{unit}？"
    return ""


def _busiest_office(clauses: list[Clause], offices) -> str:
    """The office named by the most clauses (canonical name; the first named of equals)."""
    count: Counter = Counter()
    for c in clauses:
        for name in dict.fromkeys((offices.canonical(n) if offices is not None else None) or n
                                  for n in c.departments):
            count[name] += 1
    return max(count, key=lambda n: count[n]) if count else ""  # max keeps the first of equals


def _largest_container(clauses: list[Clause]) -> Clause | None:
    """The part with the most clauses directly below it; sections when the plan has no parts."""
    for kind in ("part", "section"):
        best, most = None, 0
        for c in clauses:
            if c.kind != kind or not c.has_children or not _usable_title(c):
                continue
            n = sum(1 for d in clauses if d.doc_id == c.doc_id and len(d.path) == len(c.path) + 1
                    and d.path[:len(c.path)] == c.path)
            if n > most:
                best, most = c, n
        if best is not None:
            return best
    return None


def _outside_question(clauses: list[Clause], office: str, topic: str) -> str:
    """A question for an answer type the corpus text never gives, so the plan cannot answer it."""
    text = "".join(c.text for c in clauses)
    missing = {t.name for t in ANSWER_TYPES if not t.evidence.search(text)}
    for name, template in _OUTSIDE:
        if name not in missing:
            continue
        if "{office}" in template and office:
            return template.format(office=office)
        if "{topic}" in template and topic:
            return template.format(topic=topic)
    return ""
