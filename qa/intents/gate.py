"""The last check on a found answer: does the answering document, and the clause itself, hold
what the question asks for?

Why after the answerers: corpus-wide checks (`qa.scope`) only say whether *some* document
could answer; in a library the clause that won may come from a document that never names the
place, year or period the question is about, or may name the topic without the figure asked
for (`qa.asked`). Either way the honest answer is "not found", with the clause as a reference. When the clause does give the
figure asked for, the answer's `value` is that figure.

>>> unit_text(Clause("d:指标.1", "d", (), "专利申请量(件)", "专利申请量(件):2020 100", kind="indicator",
...                  values={"2020": "100"}))
'专利申请量(件):2020 100 100件'
"""
from __future__ import annotations

from dataclasses import replace

from .. import answer as compose
from ..asked import any_figure, asked_kind, asks_figure, counted_noun, duration_unit, figure, holds
from ..records import Answer, Clause, Decision
from .indicator import asked_elsewhere

CHECKED = ("search", "indicator", "overview")


def unit_text(clause: Clause) -> str:
    """A clause's text, with an indicator row's cells written with the unit of its title (52 → 52件),
    so the figure's kind can be read."""
    if clause.kind != "indicator" or not clause.values or "(" not in clause.title:
        return clause.text
    unit = clause.title[clause.title.rfind("(") + 1: clause.title.rfind(")")]
    return clause.text + " " + " ".join(f"{v}{unit}" for v in clause.values.values())


def check(s, name: str, result: Answer) -> Answer:
    """`result`, or a not-found answer when its document or clause cannot answer."""
    if name not in CHECKED or not result.found or not result.hits or s.settings.mode != "full":
        return result
    top = result.hits[0].clause
    reason = None
    scope = s.doc_scopes.get(top.doc_id)
    if scope is not None:
        reason = scope.outside(s.q.plain, s.q.text, s.asks_department)
    kind = None if s.asks_department else asked_kind(s.q.lowered)
    unit = _unit(s, kind)
    if reason is None and kind is not None and not holds(kind, unit_text(top), unit):
        better = _giving(s, name, result, kind)
        if better is not None:
            result, top = better, better.hits[0].clause
        else:
            reason = f"the clause gives no {kind}"
    if reason is None:
        if result.value is None and result.intent not in ("department", "overview") and not s.asks_department:
            weight = s.rarity(top.doc_id)   # the figure whose stretch holds the question's rarer words
            if kind is not None:
                value = figure(kind, unit_text(top), s.q.tokens, weight, unit)
            else:
                value = any_figure(unit_text(top), s.q.tokens, weight) if asks_figure(s.q.lowered) else None
            return replace(result, value=value) if value else result
        return result
    features = dict(result.decision.features) if result.decision else {}
    return compose.decided(compose.not_found(s.q.raw, result.intent, list(result.hits)),
                           Decision("lacks", {**features, "answered_by": name, "lacks": reason}, (reason,)))


def _unit(s, kind: str | None) -> str | None:
    """The unit a duration is asked in (几个工作日), or the noun a count counts (几个等级)."""
    if kind == "duration":
        return duration_unit(s.q.lowered)
    return counted_noun(s.q.lowered) if kind == "count" else None


def _elsewhere(s, clause: Clause) -> bool:
    """Does the question name what a few other clauses hold and this one lacks (the fund of
    「担保基金要设多少亿元」 beside the row 「质押融资金额(亿元)」)? Then its figure is another's."""
    position = next((p for p, _ in s.candidates if s.retriever.clauses[p].id == clause.id), None)
    return position is not None and bool(asked_elsewhere(s, position))


def _giving(s, name: str, result: Answer, kind: str) -> Answer | None:
    """A searched answer whose clause lacks the asked figure, re-answered from a runner-up of the
    same document that gives it and scored nearly as well (费率有什么要求 → the clause with 1%)."""
    if name != "search":
        return None
    top = result.hits[0]
    for i, h in enumerate(result.hits[1:s.settings.figure_runner_ups + 1], 1):
        if h.clause.doc_id == top.clause.doc_id and h.score >= s.settings.figure_runner_up_share * top.score \
                and holds(kind, unit_text(h.clause), _unit(s, kind)) \
                and not _elsewhere(s, h.clause):
            hits = [h] + [x for j, x in enumerate(result.hits) if j != i]
            features = dict(result.decision.features) if result.decision else {}
            return compose.decided(compose.clause_answer(s.q.raw, result.intent, hits, True),
                                   Decision("search", {**features, "figure_from_rank": i},
                                            (f"rank {i} gives the {kind} asked for",)))
    return None
