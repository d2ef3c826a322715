"""The 评测 tab's actions, apart from Gradio: run a set under one or two configurations, explain a
failure, record a user's mark, turn a mark into a curated case and re-run the set it went into.

Staff close the loop here: a real question that went wrong (a 👎 in the chat) becomes a case with
the right clause chosen from the outline — or "not in the documents" — appended to a set file,
and the set is measured again at once. Every function takes the engine and plain values and
returns plain values, so the app only wires them to components (and tests call them directly).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import feedback as fb
from .errors import QAError
from .evalreport import comparison, expected, got, markdown, rows_csv
from .evalengines import Engines
from .evalrun import Run, differences
from .evalset import Case, EvalSetError, load_set, parse_set, write_case
from .messages import render
from .scoring import RowScore, fold_text

NOT_IN_DOCUMENTS = "__none__"
# the engine's answer intents → a set's types
INTENT_TYPES = {"department": "department", "clause": "clause", "indicator": "indicator",
                "office_reverse": "dept_reverse", "overview": "overview"}


@dataclass
class Evaluation:
    """One press of 运行: the set's name, its runs (one or two configurations) and their diffs."""

    name: str
    runs: list[Run]
    diffs: list[dict]

    @property
    def results(self) -> dict[str, dict]:
        return {r.config: r.result for r in self.runs}

    @property
    def failures(self) -> list[RowScore]:
        return [r for r in self.runs[0].rows if r.wrong] if self.runs else []


def read_set(path=None, upload=None) -> tuple[str, list[Case]]:
    """(name, cases) of an uploaded file when there is one, else of `path`; EvalSetError if bad,
    naming the file by its name only (the server's folders are nobody's business in the page)."""
    p = Path(upload or path)
    try:
        return p.name, load_set(p)
    except EvalSetError as exc:
        raise EvalSetError(exc.code, **dict(exc.params, file=p.name)) from None


def evaluate(engine, cases: list[Case], name: str, first: str = "full", second: str | None = None,
             progress=None) -> Evaluation:
    """Run the set as `first` and, when given and different, as `second` (configuration names of
    qa/evalengines.py; `engine` is an Engine or an Engines); `progress(fraction, label)` follows
    the questions of both runs."""
    engines = engine if isinstance(engine, Engines) else Engines(engine)
    configs = [first] + ([second] if second and second != first else [])
    runs = []
    for k, config in enumerate(configs):
        def step(done, total, k=k, config=config):
            if progress is not None:
                progress((k * total + done) / (len(configs) * total), f"{config}: {done}/{total}")
        runs.append(engines.run(cases, config, step))
    diffs = differences(runs[0], runs[1]) if len(runs) == 2 else []
    return Evaluation(name, runs, diffs)


def evaluate_text(engine, text: str = "", filename: str = "set.jsonl", config: str = "full",
                  default_set=None) -> dict:
    """The `/evaluate` endpoint: a set given as its text (JSONL or CSV, by `filename`'s
    extension), or the built-in one when the text is empty → the report dict of `eval --json`."""
    cases = parse_set(text, filename or "set.jsonl") if text and text.strip() else load_set(Path(default_set))
    engines = engine if isinstance(engine, Engines) else Engines(engine)
    run = engines.run(cases, config or "full")
    return dict(run.result, config=config or "full", questions=filename if text else Path(default_set).name)


def failure_table(evaluation: Evaluation | None) -> list[list[str]]:
    """Rows of the failures table: id, type, question, expected, got."""
    if evaluation is None:
        return []
    return [[r.case.id, r.group, r.case.question, expected(r), got(r)] for r in evaluation.failures]


def failure_clauses(engine, row: RowScore) -> tuple[list, object, str]:
    """(the gold clauses, the answer's first clause, a note when the gold is no clause) of a row."""
    by_id = engine.outline.by_id
    gold = [by_id[i] for i in sorted(row.target.clause_ids) if i in by_id]
    if row.target.spans:
        for span in row.target.spans:
            match = next((c for c in engine.outline.clauses if c.searchable and span in fold_text(c.text)), None)
            if match is not None and match not in gold:
                gold.append(match)
    hits = row.answer.get("hits") or []
    top = by_id.get(hits[0].get("clause_id")) if hits else None
    note = "不在文件中（应回答没有涉及）" if not row.case.answerable else expected(row)
    return gold, top, note


def export(evaluation: Evaluation, folder=None) -> tuple[str, str]:
    """Write the first run's report as Markdown (with the comparison) and CSV; returns both paths."""
    folder = Path(folder or tempfile.mkdtemp(prefix="qa-eval-"))
    folder.mkdir(parents=True, exist_ok=True)
    run = evaluation.runs[0]
    text = markdown(run.result, run.rows, f"Evaluation report: {evaluation.name}, {run.config} system", "zh",
                    run.config)
    if len(evaluation.runs) == 2:
        other = evaluation.runs[1]
        text += comparison(run.result, other.result, evaluation.diffs, run.config, other.config)
    md, csv_path = folder / "evaluation.md", folder / "evaluation.csv"
    md.write_text(text, encoding="utf-8")
    csv_path.write_text(rows_csv(run.rows), encoding="utf-8")
    return str(md), str(csv_path)


def mark(engine, path, fingerprint: str, question: str, rating, history=(), answer: dict | None = None,
         office=None, part=None) -> dict:
    """Record a user's mark on an answer. Without `answer` the question is answered again with the
    same history and filters (answers are deterministic), so the entry names the clause shown."""
    if answer is None:
        if not isinstance(question, str) or not question.strip():
            raise fb.FeedbackError("feedback.no_question")
        answer = engine.ask(question, top_k=5, office=office or None, part=part or None,
                            history=tuple(history or ())).to_json()
    return fb.append(path, fb.make_entry(rating, question, answer, history, fingerprint))


def review_rows(path, show_all: bool = False) -> tuple[list[dict], list[list[str]]]:
    """The marks left to review (newest first; wrong ones unless `show_all`) and their table rows."""
    marks = fb.pending(fb.read(path), None if show_all else "wrong")
    rows = [[m.get("time", ""), "✗" if m.get("rating") == "wrong" else "✓", m.get("question", ""),
             " / ".join(m.get("history") or []),
             (m.get("answer_clause") or "") if m.get("found") else f"未找到（参考 {m.get('answer_clause') or '无'}）"]
            for m in marks]
    return marks, rows


def case_from_mark(engine, entry: dict, clause_id: str, case_id: str) -> Case:
    """The curated case a reviewed mark becomes: the question and its history, and as gold the
    clause chosen from the outline (with its offices when the question asks for offices), or
    "not in the documents"."""
    question, history = entry.get("question", ""), tuple(entry.get("history") or ())
    if clause_id == NOT_IN_DOCUMENTS:
        return Case(case_id, question, history, "unanswerable")
    clause = engine.outline.by_id.get(clause_id)
    if clause is None:
        raise QAError("evalset.unknown_clause", clause=str(clause_id))
    try:
        intent = engine.ask(question, top_k=5, history=history).intent
    except QAError:
        intent = "clause"
    kind = INTENT_TYPES.get(intent, "clause")
    departments = clause.departments if kind == "department" else ()
    value = None
    return Case(case_id, question, history, kind, (clause.id,), (), tuple(departments), value)


def add_case(engine, feedback_path, set_path, entry: dict, clause_id: str) -> Case:
    """Append the case made from `entry` to the set file and mark the entry resolved."""
    set_path = Path(set_path)
    existing = load_set(set_path) if set_path.is_file() and set_path.stat().st_size > 0 else []
    taken = {c.id for c in existing}
    n = len(existing) + 1
    while f"fb{n:04d}" in taken:
        n += 1
    case = case_from_mark(engine, entry, clause_id, f"fb{n:04d}")
    try:
        set_path.parent.mkdir(parents=True, exist_ok=True)
        write_case(set_path, case)
    except OSError as exc:
        raise fb.FeedbackError("feedback.cannot_write", path=str(set_path),
                               reason=exc.strerror or type(exc).__name__) from None
    fb.append(feedback_path, fb.resolved_entry(entry.get("id", ""), str(set_path), case.id))
    return case


def dismiss(feedback_path, entry: dict) -> None:
    """Take a mark off the review list without a case (a mark that was itself mistaken)."""
    fb.append(feedback_path, fb.resolved_entry(entry.get("id", ""), "", ""))


def reason_text(entry: dict, lang: str = "zh") -> str:
    """An unscorable row's reason in `lang`, from its code and params."""
    return render(QAError(entry["code"], **entry.get("params", {})), lang)
