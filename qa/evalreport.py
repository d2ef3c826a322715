"""A scored set as text people keep: Markdown (the CLI's report, the tab's export) and CSV (one
row per question, for a spreadsheet). Pure: a `report()` dict and scored rows in, text out.
"""
from __future__ import annotations

import csv
import io

from .messages import render
from .errors import QAError
from .scoring import METRICS, RowScore

LABELS = {"hit1": "hit@1", "hit5": "hit@5", "mrr10": "MRR@10", "offices": "offices",
          "office_reverse": "office_reverse", "values": "values", "not_found_precision": "not-found P",
          "not_found_recall": "not-found R", "not_found_f1": "not-found F1"}


def figure(value) -> str:
    """A figure as the tables show it: three decimals, '–' when there is none.

    >>> figure(0.98765), figure(None)
    ('0.988', '–')
    """
    return "–" if value is None else f"{value:.3f}"


def table(groups: dict, first: str) -> str:
    """A Markdown table: one line per group (name → summary), one column per metric.

    >>> print(table({"all": {"hit1": 1.0, "rows": 2}}, "set").splitlines()[2][:24])
    | all | 2 | 1.000 | – |
    """
    lines = [f"| {first} | n | " + " | ".join(LABELS[m] for m in METRICS) + " |",
             "|---|---|" + "---|" * len(METRICS)]
    for name, s in groups.items():
        lines.append(f"| {name} | {s.get('rows', 0)} | " + " | ".join(figure(s.get(m)) for m in METRICS) + " |")
    return "\n".join(lines)


def expected(row: RowScore) -> str:
    """The gold of a row, in short, as a failure list shows it.

    >>> from qa.evalset import Case
    >>> from qa.scoring import Target
    >>> expected(RowScore(Case("q", "问", type="unanswerable"), Target()))
    'not in the documents'
    """
    c = row.case
    if not c.answerable:
        return "not in the documents"
    parts = list(c.gold_clause_ids) + [f"「{s}」" for s in c.gold_spans]
    if c.gold_departments:
        parts.append("offices " + "、".join(c.gold_departments))
    if c.gold_value is not None:
        parts.append(f"value {c.gold_value}")
    return "; ".join(parts)


def got(row: RowScore) -> str:
    """What the answer gave, in short: not found, or its first clause, offices and value."""
    a = row.answer
    hits = a.get("hits") or []
    parts = ["not found" if row.refused else "found"]
    if hits:
        parts.append(hits[0].get("clause_id", ""))
    if a.get("departments"):
        parts.append("offices " + "、".join(a["departments"]))
    if a.get("value") is not None:
        parts.append(f"value {a['value']}")
    return "; ".join(parts)


def markdown(result: dict, rows: list[RowScore], title: str = "Evaluation report", lang: str = "en",
             config: str = "full") -> str:
    """The report: overall figures, per intent, per document, the failures, the unscorable rows."""
    out = [f"# {title}", "", table({"all": result}, "set"), "", "## By intent", "",
           table(result["by_intent"], "intent"), "", "## By document", "",
           table(result["by_document"], "document"), "", f"## Errors of the {config} system", ""]
    wrong = [r for r in rows if r.wrong]
    out += [f"- {r.case.id} [{r.group}] {r.case.question} — expected {expected(r)} — got {got(r)}" for r in wrong] \
        or ["none"]
    out += ["", "## Unscorable rows", ""]
    out += [f"- {u['id']} (line {u['line']}) {u['question']} — {render(QAError(u['code'], **u['params']), lang)}"
            for u in result["unscorable"]] or ["none"]
    return "\n".join(out) + "\n"


def comparison(first: dict, second: dict, diffs: list[dict], a: str, b: str) -> str:
    """The Markdown section comparing two configurations: both figures side by side, then each
    question whose outcome differs (qa/evalrun.py `differences`).

    >>> print(comparison({"hit1": 1.0}, {"hit1": 0.5}, [], "full", "bm25").splitlines()[5])
    | hit@1 | 1.000 | 0.500 |
    """
    lines = [f"\n## {a} against {b}\n", f"| metric | {a} | {b} |", "|---|---|---|"]
    lines += [f"| {LABELS[m]} | {figure(first.get(m))} | {figure(second.get(m))} |" for m in METRICS]
    lines.append("")
    for d in diffs:
        x, y = d[a], d[b]
        lines.append(f"- {d['id']} {d['question']}: {a} {'right' if x['right'] else 'wrong'} ({x['top']}), "
                     f"{b} {'right' if y['right'] else 'wrong'} ({y['top']})")
    if not diffs:
        lines.append("no question differs")
    return "\n".join(lines) + "\n"


CSV_FIELDS = ("id", "type", "question", "right", "rank", "offices", "office_reverse", "value", "found",
              "expected", "got")


def rows_csv(rows: list[RowScore]) -> str:
    """One line per scored question (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for r in rows:
        w.writerow([r.case.id, r.group, r.case.question, int(not r.wrong), r.rank or "",
                    "" if r.offices is None else int(r.offices),
                    "" if r.reverse is None else f"{r.reverse:.3f}",
                    "" if r.value is None else int(r.value), int(not r.refused), expected(r), got(r)])
    return "\ufeff" + buf.getvalue()
