"""Run a curated set against an engine: check the gold, ask every question, score the answers.

The one loop behind `python -m qa eval --questions`, the 评测 tab and `/evaluate`. A configuration
is a named way of answering (the full system, or one retrieval ablation of it) on the same index,
so two configurations compare like with like. Rows that cannot be scored — gold not in the
documents, a question the engine refuses as input — are returned with the reason, never dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import QAError
from .evalset import Case
from .messages import render
from .scoring import RowScore, report, resolve, score_row

TOP_K = 10  # MRR@10 needs ten hits
CONFIGS = {"full": "full", "hybrid": "hybrid", "bm25": "bm25", "dense": "dense"}


@dataclass
class Run:
    """One configuration's pass over a set: the scored rows, the unscorable ones and the report."""

    config: str
    rows: list[RowScore]
    unscorable: list[dict]
    result: dict


def configured(engine, config: str):
    """The engine answering as `config` says (full, hybrid, bm25 or dense), same index.

    Unknown names raise ValueError listing the known ones."""
    if config not in CONFIGS:
        raise ValueError(f"unknown configuration {config!r}; use one of {', '.join(CONFIGS)}")
    return engine.with_settings(replace(engine.settings, mode=CONFIGS[config]))


def unscorable_entry(case: Case, code: str, params: dict) -> dict:
    """How an unscorable row is listed: its id, question, line, and the reason (code, params, English).

    >>> unscorable_entry(Case("q9", "问", line=4), "evalset.no_gold", {})["reason"]
    'no gold given and the type is not unanswerable: give a clause id, a quotation, offices or a value'
    """
    return {"id": case.id, "question": case.question, "line": case.line, "code": code, "params": dict(params),
            "reason": render(QAError(code, **params), "en")}


def run_set(engine, cases: list[Case], config: str = "full", progress=None) -> Run:
    """Score `cases` on `engine` answering as `config`; `progress(done, total)` is called after
    each question (the tab's progress bar)."""
    answering = configured(engine, config)
    tables: dict = {}
    rows, unscorable = [], []
    canonical = engine.offices.canonical
    for n, case in enumerate(cases, 1):
        target = resolve(case, engine.outline.clauses, tables)
        if target.problem is not None:
            unscorable.append(unscorable_entry(case, *target.problem))
        else:
            try:
                answer = answering.ask(case.question, top_k=TOP_K, qid=case.id, history=case.history).to_json()
            except QAError as exc:
                unscorable.append(unscorable_entry(case, "evalset.question_refused",
                                                   {"reason": render(exc, "en")}))
            else:
                rows.append(score_row(case, target, answer, canonical))
        if progress is not None:
            progress(n, len(cases))
    return Run(config, rows, unscorable, report(rows, unscorable))


def differences(first: Run, second: Run) -> list[dict]:
    """Questions whose outcome differs between two runs of the same set, in set order: the id,
    the question, and per run whether it was right and what came first.

    >>> from qa.scoring import Target
    >>> a = Run("bm25", [RowScore(Case("q", "问"), Target(spans=("x",)), {"hits": []}, None, True)], [], {})
    >>> b = Run("full", [RowScore(Case("q", "问"), Target(spans=("x",)), {"hits": []}, 1, True)], [], {})
    >>> [(d["id"], d["bm25"]["right"], d["full"]["right"]) for d in differences(a, b)]
    [('q', False, True)]
    """
    other = {r.case.id: r for r in second.rows}
    out = []
    for row in first.rows:
        twin = other.get(row.case.id)
        if twin is None:
            continue
        if row.wrong != twin.wrong or top_id(row) != top_id(twin) or row.refused != twin.refused:
            out.append({"id": row.case.id, "question": row.case.question,
                        first.config: outcome(row), second.config: outcome(twin)})
    return out


def top_id(row: RowScore) -> str | None:
    hits = row.answer.get("hits") or []
    return hits[0].get("clause_id") if hits else None


def outcome(row: RowScore) -> dict:
    """What a row got, in short: right or not, found, the first clause, the offices, the value."""
    return {"right": not row.wrong, "found": not row.refused, "top": top_id(row),
            "departments": list(row.answer.get("departments") or []), "value": row.answer.get("value")}
