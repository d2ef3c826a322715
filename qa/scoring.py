"""The metrics of a curated set, as pure functions of (cases, answers): the one scorer every
surface uses (`python -m qa eval --questions`, the 评测 tab, the `/evaluate` endpoint).

Standard, documented in docs/API.md:
- hit@1, hit@5, MRR@10 over answerable rows with clause or quotation gold, whatever `found` says
  (a refusal is scored by the not-found figures, not twice). A hit is right when its clause id is
  one of `gold_clause_ids` or its text, folded (NFKC width, all spaces removed), contains any one
  of `gold_spans` — so quotation gold does not depend on how clauses are numbered.
- offices: the answer's `departments` equal `gold_departments` as a set, after both sides are
  put through the office table's canonical names (aliases agree; a name the table lacks as
  written), then folded, a sector with or without its 部门 alike (「财政、医保部门」: 财政 = 财政部门).
- office_reverse: on dept_reverse rows, the share of gold items (each id, each quotation) that
  some hit matches.
- values: the answer's `value` equals `gold_value`, both folded.
- not_found_precision / recall / f1 with "unanswerable" as the positive class: precision =
  correct refusals / all refusals, recall = correct refusals / unanswerable rows.
The same keys are given per intent (the row's `type`) and per document (the document of the
gold clause, else the row's `doc_id`). A figure with no row to average is None.

`resolve` checks the gold against the documents first: a quotation found in no clause or a clause
id that does not exist makes the row unscorable, and it is listed with the reason.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from .evalset import Case

METRICS = ("hit1", "hit5", "mrr10", "offices", "office_reverse", "values",
           "not_found_precision", "not_found_recall", "not_found_f1")
NO_DOCUMENT = "(none)"
UNTYPED = "(untyped)"


def fold_text(text) -> str:
    """Width folded (NFKC) and every space removed: how quotations and values are compared.

    >>> fold_text("（责任单位： 省科技厅）\\u3000")
    '(责任单位:省科技厅)'
    """
    return "".join(unicodedata.normalize("NFKC", "" if text is None else str(text)).split())


def office_as_written(name) -> str:
    """How an office name (canonical, or as written when the table lacks it) is compared: folded
    (各省（区、市） = 各省(区、市)), and a sector the same with or without its 部门 — a list
    writes it once for all its members.

    >>> office_as_written("财政部门") == office_as_written("财政"), office_as_written("部门")
    (True, '部门')
    """
    folded = fold_text(name)
    return folded[:-2] if folded.endswith("部门") and len(folded) > 3 else folded


@dataclass(frozen=True)
class Target:
    """A case's gold as it stands in the documents: clause ids that exist, folded quotations,
    the documents they are in; `problem` (a message code and params) when it cannot be scored."""

    clause_ids: frozenset = frozenset()
    spans: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    problem: tuple | None = None


def resolve(case: Case, clauses, id_map: dict | None = None) -> Target:
    """Check one case's gold against the documents' clauses (objects with id, doc_id, text).

    Clause ids in an older scheme (`<file stem>:<part>.<section>.<item>`) are found by their
    local part in the document of that stem; `id_map` caches the lookup tables across cases.
    >>> from qa.records import Clause
    >>> cs = [Clause("d:二.一", "d", ("二",), "t", "1.加强 知识产权 保护。")]
    >>> resolve(Case("q", "问", gold_spans=("知识产权保护",)), cs).docs
    ('d',)
    >>> resolve(Case("q", "问", gold_spans=("不存在",)), cs).problem
    ('evalset.span_not_found', {'span': '不存在'})
    >>> sorted(resolve(Case("q", "问", gold_clause_ids=("old:二.一",)), cs).clause_ids)
    ['d:二.一']
    """
    if not case.question:
        return Target(problem=("evalset.no_question", {}))
    tables = id_map if id_map is not None else {}
    if not tables:
        tables.update(_tables(clauses))
    docs: list[str] = []
    ids = set()
    for gold in case.gold_clause_ids:
        found = _find_id(gold, tables)
        if found is None:
            return Target(problem=("evalset.unknown_clause", {"clause": gold}))
        ids.add(found.id)
        docs.append(found.doc_id)
    spans = tuple(fold_text(s) for s in case.gold_spans)
    for raw, span in zip(case.gold_spans, spans):
        where = [c.doc_id for c, text in tables["texts"] if span and span in text]
        if not where:
            return Target(problem=("evalset.span_not_found", {"span": raw}))
        docs.append(case.doc_id if case.doc_id in where else where[0])  # the row's document when it has one
    if case.answerable and not case.has_gold and not case.type:
        return Target(problem=("evalset.no_gold", {}))
    if not docs and case.doc_id:
        docs.append(case.doc_id)
    return Target(frozenset(ids), spans, tuple(dict.fromkeys(docs)))


def _tables(clauses) -> dict:
    clauses = list(clauses)
    local: dict[str, list] = defaultdict(list)
    for c in clauses:
        local[c.id.rsplit(":", 1)[-1]].append(c)
    return {"by_id": {c.id: c for c in clauses}, "local": local,
            "texts": [(c, fold_text(c.text)) for c in clauses]}


def _find_id(gold: str, tables: dict):
    clause = tables["by_id"].get(gold)
    if clause is not None:
        return clause
    stem, _, part = gold.rpartition(":")
    candidates = tables["local"].get(part or gold, [])
    if len(candidates) == 1:
        return candidates[0]
    named = [c for c in candidates if stem and (stem in c.doc_id or c.doc_id in stem)]
    return named[0] if len(named) == 1 else None


@dataclass
class RowScore:
    """One scored row: what each metric saw (None where the metric does not apply)."""

    case: Case
    target: Target
    answer: dict = field(default_factory=dict)
    rank: int | None = None          # 1-based rank of the first right hit within 10
    ranked: bool = False             # the row counts for hit@k / MRR
    offices: bool | None = None
    reverse: float | None = None
    value: bool | None = None
    refused: bool = False

    @property
    def group(self) -> str:
        return self.case.type or UNTYPED

    @property
    def doc(self) -> str:
        return self.target.docs[0] if self.target.docs else NO_DOCUMENT

    @property
    def wrong(self) -> bool:
        """A failure to show: any metric of the row missed, or the refusal was wrong."""
        return ((self.ranked and self.rank != 1) or self.offices is False or self.value is False
                or (self.reverse is not None and self.reverse < 1) or self.refused == self.case.answerable)


def hit_matches(hit: dict, target: Target) -> bool:
    """A hit is right when its id is gold or its folded text contains a gold quotation.

    >>> hit_matches({"clause_id": "x", "text": "探索设立 知识产权质押融资担保基金"}, Target(spans=("质押融资",)))
    True
    """
    if hit.get("clause_id") in target.clause_ids:
        return True
    text = fold_text(hit.get("text", "")) if target.spans else ""
    return any(span in text for span in target.spans)


def score_row(case: Case, target: Target, answer: dict, canonical=None) -> RowScore:
    """Every metric of one row from its answer (Answer.to_json()); `canonical` maps an office
    name to its canonical one (None when unknown: then the name as written, folded like a quotation).

    >>> row = score_row(Case("q", "问", type="department", gold_departments=("科技厅",)),
    ...                 Target(spans=("质押",)), {"found": True, "departments": ["省科技厅"],
    ...                 "hits": [{"clause_id": "a", "text": "x"}, {"clause_id": "b", "text": "质押融资"}]},
    ...                 {"科技厅": "省科技厅"}.get)
    >>> row.rank, row.offices, row.wrong
    (2, True, True)
    """
    canon = (lambda name: office_as_written((canonical(name) if canonical else None) or name))
    hits = list(answer.get("hits") or [])
    row = RowScore(case, target, answer, refused=not answer.get("found", False))
    if case.answerable and (target.clause_ids or target.spans):
        row.ranked = True
        row.rank = next((r for r, h in enumerate(hits[:10], 1) if hit_matches(h, target)), None)
    if case.gold_departments:
        row.offices = {canon(d) for d in answer.get("departments") or []} == {canon(d) for d in case.gold_departments}
    if case.type == "dept_reverse" and (target.clause_ids or target.spans):
        items = [Target(clause_ids=frozenset([i])) for i in sorted(target.clause_ids)] + \
                [Target(spans=(s,)) for s in target.spans]
        row.reverse = sum(any(hit_matches(h, t) for h in hits) for t in items) / len(items)
    if case.gold_value is not None:
        row.value = fold_text(answer.get("value")) == fold_text(case.gold_value) and answer.get("value") is not None
    return row


def summarize(rows: list[RowScore]) -> dict:
    """The metric keys (each a figure or None) plus `n`, the rows each figure averages.

    >>> rows = [RowScore(Case("a", "问", type="unanswerable"), Target(), refused=True),
    ...         RowScore(Case("b", "问"), Target(spans=("x",)), rank=2, ranked=True, refused=True)]
    >>> s = summarize(rows)
    >>> s["hit1"], s["hit5"], s["mrr10"], s["not_found_precision"], s["not_found_recall"], s["offices"]
    (0.0, 1.0, 0.5, 0.5, 1.0, None)
    """
    ranked = [r for r in rows if r.ranked]
    out: dict = {}
    n: dict = {}

    def mean(name, values):
        values = list(values)
        out[name] = sum(values) / len(values) if values else None
        n[name] = len(values)

    mean("hit1", (float(r.rank == 1) for r in ranked))
    mean("hit5", (float(r.rank is not None and r.rank <= 5) for r in ranked))
    mean("mrr10", (1.0 / r.rank if r.rank else 0.0 for r in ranked))
    mean("offices", (float(r.offices) for r in rows if r.offices is not None))
    mean("office_reverse", (r.reverse for r in rows if r.reverse is not None))
    mean("values", (float(r.value) for r in rows if r.value is not None))
    tp = sum(1 for r in rows if r.refused and not r.case.answerable)
    refusals = sum(1 for r in rows if r.refused)
    unanswerable = sum(1 for r in rows if not r.case.answerable)
    p = tp / refusals if refusals else None
    rc = tp / unanswerable if unanswerable else None
    out["not_found_precision"], n["not_found_precision"] = p, refusals
    out["not_found_recall"], n["not_found_recall"] = rc, unanswerable
    # 2TP / (2TP + FP + FN): the harmonic mean of P and R where both exist, and 0 (not undefined)
    # when nothing unanswerable was refused — a system that never refuses scores 0, as it should
    f1_base = refusals + unanswerable
    out["not_found_f1"] = 2 * tp / f1_base if f1_base else None
    n["not_found_f1"] = unanswerable
    out["n"] = n
    out["rows"] = len(rows)
    return out


def report(rows: list[RowScore], unscorable: list[dict]) -> dict:
    """The whole result: overall figures at the top level, then `by_intent`, `by_document`,
    `unscorable` (id, question, reason code and params) and `failures` (ids of wrong rows)."""
    out = summarize(rows)
    by_intent: dict[str, list] = defaultdict(list)
    by_doc: dict[str, list] = defaultdict(list)
    for r in rows:
        by_intent[r.group].append(r)
        by_doc[r.doc].append(r)
    out["by_intent"] = {k: summarize(v) for k, v in sorted(by_intent.items())}
    out["by_document"] = {k: summarize(v) for k, v in sorted(by_doc.items())}
    out["unscorable"] = list(unscorable)
    out["failures"] = [r.case.id for r in rows if r.wrong]
    return out
