""""What is office X responsible for?" — every clause naming the office, in document order.

Mine when the question names an office, does not ask *who*, is in scope, and asks what the
office does rather than about a topic: a reverse cue (负责哪些, what does … do), or nothing
left but the office's name once its names are taken out.

>>> has_any("省科技厅负责哪些任务", REVERSE_CUES)
True
"""
from __future__ import annotations

import re

from .. import answer as compose
from ..actors import sector_core
from ..bm25 import idf_of
from ..records import Answer
from .cues import STRONG_DEPARTMENT_CUES, has_any

REVERSE_CUES = ("负责哪些", "负责什么", "哪些任务", "哪些工作", "什么工作", "什么任务", "承担", "职责",
                "管哪些", "管什么", "负责的", "涉及哪些", "参与哪些", "哪些条", "哪些事", "什么事",
                "干什么", "做什么", "要做", "干啥", "做啥", "负责啥", "管啥", "啥任务", "啥工作", "负责了", "哪几项", "哪些方面", "有哪些", "都负责", "分工",
                "responsible for", "tasks", "what does", "what is the", "role", "duties", "involved",
                "as a responsible", "as the responsible", "as responsible", "assigned", "charged with",
                "which measures", "what measures")


# cues that also ask about a topic (政策有哪些, what is the …): enough for an office of the table,
# not for an actor only some sentence names (三级公立医院, 职业院校 are topics as often as actors)
WEAK_REVERSE_CUES = ("有哪些", "哪些方面", "涉及哪些", "哪几项", "哪些条", "what is the", "involved", "tasks",
                     "which measures", "what measures")


def asks_about_office(s) -> bool:
    """Office named, and the rest of the question asks what it does rather than about a topic."""
    q = s.q
    office = s.offices.get(s.offices_named[0])
    cues = REVERSE_CUES if office is None or office.listed else tuple(c for c in REVERSE_CUES if c not in WEAK_REVERSE_CUES)
    if has_any(q.lowered, cues):
        return True
    names = [n for o in s.offices_named for n in (s.offices.offices[o].names() if o in s.offices.offices else (o,))]
    rest = q.lowered
    for n in sorted(names, key=len, reverse=True):
        if re.search(f"(?:跟|与|和|同){re.escape(n.lower())}(?:有关|相关)", rest):
            return True   # 哪些内容跟X有关: what concerns the office
        rest = rest.replace(n.lower(), " ")
    bm25 = s.retriever.bm25
    return not [t for t in s.segmenter.tokens(rest) if idf_of(bm25, t) > s.settings.office_topic_idf]


def answer(s) -> Answer | None:
    q = s.q
    if not s.offices_named or has_any(q.lowered, STRONG_DEPARTMENT_CUES) or s.outside is not None:
        return None
    if not asks_about_office(s):
        return None
    if not s.doc_outlines:
        office = s.offices_named[0]
        return compose.office_answer(q.raw, office, s.library.office_clauses(office), s.offices.get(office))
    offices, clauses = duties(s)
    return compose.office_answer(q.raw, offices[0], clauses, s.offices.get(offices[0]), offices[1:])


def duties(s) -> tuple[tuple[str, ...], list]:
    """(the offices meant, their clauses in document order) over the documents in play — only
    those the question names (by a title word, else by kind) when the office has duties there. Each document reads
    the office's name at its own level: 人民银行 is the central bank in a State Council notice and
    the province's branch in a provincial plan."""
    docs = s.library_docs
    per_doc = {d: s.office_in(d) for d in docs}
    found = {d: _duties_in(s.doc_outlines[d], o, s.offices) if d in s.doc_outlines and o else []
             for d, o in per_doc.items()}
    named = [d for d in s.titled if found.get(d)] or [d for d in s.named if found.get(d)]
    chosen = named or [d for d in docs if found[d]]
    offices = tuple(dict.fromkeys(per_doc[d] for d in chosen)) or (s.offices_named[0],)
    return offices, [c for d in chosen for c in found[d]]


def _duties_in(outline, office: str, table) -> list:
    """The clauses of one document naming the office: those assigning it work and, for an actor
    the office table lacks (国家融资担保基金, 各省份 — named in sentences, not notes), every clause
    whose text names it, since its work is written wherever it is the subject, not only first.
    A document that names the ministry's sector instead (国务院人力资源社会保障行政部门 for
    人力资源社会保障部) gives the clauses of that sector's departments."""
    clauses = outline.office_clauses(office)
    known = table.get(office)
    if known is not None and known.listed:
        if not clauses:
            wanted = {c.id for name in outline.sector_offices(sector_core(office)) for c in outline.office_clauses(name)}
            clauses = [c for c in outline.clauses if c.id in wanted]
        return clauses
    held = {c.id for c in clauses}
    return [c for c in outline.clauses if c.id in held or (c.searchable and office in c.text)]
