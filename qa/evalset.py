"""Curated question sets as their keepers write them: JSONL or CSV, UTF-8 or GB18030.

Staff know the gold of a question in different forms — a clause id, a quotation of the right
clause, the responsible offices, the indicator cell — so a row may give any of them; nothing but
the question is required. CSV takes the JSON names or Chinese ones (问题, 类型, 原文, 责任单位,
数值 …), lists separated by `|`. The set format of this project's first eval file (`intent`,
`answerable`, `gold_clauses`, `gold_offices`) is read too, so old sets keep working.

`load_set(path)` returns `Case` records; a problem with the file as a whole (not text, not JSON,
no rows, an unknown type, an unknown column that reads like gold — `gold_span`, 答案) raises
`EvalSetError` with the line, for one clear message; any other column of the keeper's own is kept
as a note and named by `other_columns`, so a set with a reviewer column still runs.
Whether a row's gold exists in the documents is checked later, against the outline (qa/scoring.py).
"""
from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QAError
from .textnorm import decode

TYPES = ("department", "clause", "indicator", "dept_reverse", "overview", "unanswerable")
# other ways of writing a type: the first eval file's names and the Chinese ones staff use
TYPE_ALIASES = {"office_reverse": "dept_reverse", "部门": "department", "责任单位": "department",
                "条款": "clause", "原文": "clause", "指标": "indicator", "数值": "indicator",
                "单位职责": "dept_reverse", "部门反查": "dept_reverse", "概览": "overview", "概况": "overview",
                "无答案": "unanswerable", "规划外": "unanswerable", "拒答": "unanswerable"}
# column → field; Chinese headers and the first eval file's names included
COLUMNS = {"id": "id", "编号": "id", "question": "question", "问题": "question",
           "history": "history", "上文": "history", "历史": "history",
           "type": "type", "intent": "type", "类型": "type",
           "gold_clause_ids": "gold_clause_ids", "gold_clauses": "gold_clause_ids", "条款": "gold_clause_ids",
           "条款编号": "gold_clause_ids",
           "gold_spans": "gold_spans", "原文": "gold_spans",
           "gold_departments": "gold_departments", "gold_offices": "gold_offices", "责任单位": "gold_departments",
           "gold_value": "gold_value", "数值": "gold_value",
           "doc_id": "doc_id", "doc": "doc_id", "document": "doc_id", "文件": "doc_id", "文档": "doc_id",
           "answerable": "answerable"}
# columns that describe a row without being gold: kept out of the way, never reported
NOTES = ("lang", "style", "gold_column", "note", "notes", "source", "comment", "备注", "来源", "doc_title")
LIST_FIELDS = ("history", "gold_clause_ids", "gold_spans", "gold_departments", "gold_offices")
SEPARATOR = "|"


class EvalSetError(QAError, ValueError):
    """The question set cannot be read as it is; the message names the file and the line.

    >>> EvalSetError("evalset.unknown_column", file="s.csv", column="答案", known="问题").code
    'evalset.unknown_column'
    """


@dataclass(frozen=True)
class Case:
    """One curated question and its gold, in whichever forms its author gave.

    >>> c = Case("q1", "哪个部门负责？", gold_departments=("省科技厅",))
    >>> c.answerable, c.has_clause_gold
    (True, False)
    """

    id: str
    question: str
    history: tuple[str, ...] = ()
    type: str = ""
    gold_clause_ids: tuple[str, ...] = ()
    gold_spans: tuple[str, ...] = ()
    gold_departments: tuple[str, ...] = ()
    gold_value: str | None = None
    doc_id: str = ""
    line: int = field(default=0, compare=False)
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def has_clause_gold(self) -> bool:
        return bool(self.gold_clause_ids or self.gold_spans)

    @property
    def has_gold(self) -> bool:
        return self.has_clause_gold or bool(self.gold_departments) or self.gold_value is not None

    def to_json(self) -> dict:
        """The row as this module writes it (JSONL): only the fields that carry something."""
        out = {"id": self.id, "question": self.question}
        for name in ("history", "gold_clause_ids", "gold_spans", "gold_departments"):
            if getattr(self, name):
                out[name] = list(getattr(self, name))
        if self.type:
            out["type"] = self.type
        if self.gold_value is not None:
            out["gold_value"] = self.gold_value
        if self.doc_id:
            out["doc_id"] = self.doc_id
        return out


def read_text(path: Path) -> str:
    """The file's text, UTF-8 (with or without BOM) or GB18030; EvalSetError when neither."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise EvalSetError("evalset.missing", file=str(path)) from None
    except IsADirectoryError:
        raise EvalSetError("evalset.missing", file=str(path)) from None
    try:
        return decode(data)
    except UnicodeDecodeError:
        raise EvalSetError("evalset.encoding", file=str(path)) from None


def load_set(path, text: str | None = None) -> list[Case]:
    """Read a question set (JSONL or CSV, told apart by the extension, else by the first
    character); `text` overrides the file's content (an upload already read)."""
    path = Path(path)
    text = read_text(path) if text is None else text
    if not text.strip():
        raise EvalSetError("evalset.empty", file=str(path))
    is_csv = path.suffix.lower() in (".csv", ".tsv") or (
        path.suffix.lower() not in (".jsonl", ".json", ".ndjson") and not text.lstrip().startswith(("{", "[")))
    rows = _csv_rows(text, path) if is_csv else _json_rows(text, path)
    cases = [case_from_row(row, n, path) for n, row in rows]
    if not cases:
        raise EvalSetError("evalset.empty", file=str(path))
    seen: set[str] = set()
    for c in cases:
        if c.id in seen:
            raise EvalSetError("evalset.duplicate_id", file=str(path), line=c.line, id=c.id)
        seen.add(c.id)
    return cases


def parse_set(text: str, name: str = "set.jsonl") -> list[Case]:
    """A question set from text; `name`'s extension says JSONL or CSV.

    >>> [c.type for c in parse_set('问题,类型,原文\\n哪个部门负责质押融资？,部门,质押融资|担保基金\\n', "s.csv")]
    ['department']
    >>> parse_set('{"question": "二(九)2讲的是什么？", "gold_clause_ids": ["d:二.九.2"]}\\n')[0].id
    'row1'
    """
    return load_set(Path(name), text)


def _json_rows(text: str, path: Path):
    if text.lstrip().startswith("["):   # a .json file holding one list of rows
        try:
            rows = json.loads(text)
        except ValueError:
            raise EvalSetError("evalset.bad_json", file=str(path), line=1) from None
        for n, row in enumerate(rows, 1):
            if not isinstance(row, dict):
                raise EvalSetError("evalset.bad_json", file=str(path), line=n)
            yield n, row
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise EvalSetError("evalset.bad_json", file=str(path), line=n) from None
        if not isinstance(row, dict):
            raise EvalSetError("evalset.bad_json", file=str(path), line=n)
        yield n, row


def _csv_rows(text: str, path: Path):
    sample = text[:4096]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in sample.splitlines()[0] and
                                                           "," not in sample.splitlines()[0]) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except (StopIteration, csv.Error):
        raise EvalSetError("evalset.empty", file=str(path)) from None
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise EvalSetError("evalset.bad_csv", file=str(path), line=reader.line_num)
            yield reader.line_num, {h: v for h, v in zip(header, values) if h}
    except csv.Error:
        raise EvalSetError("evalset.bad_csv", file=str(path), line=reader.line_num) from None


def case_from_row(row: dict, line: int, path: Path = Path("set")) -> Case:
    """One row (a JSON object or a CSV record keyed by its header) as a Case.

    >>> case_from_row({"问题": "科技厅负责哪些任务？", "类型": "部门反查", "原文": "甲 | 乙"}, 2)
    ... # doctest: +ELLIPSIS
    Case(id='row2', question='科技厅负责哪些任务？', history=(), type='dept_reverse', gold_clause_ids=(), gold_spans=('甲', '乙'), ...)
    >>> case_from_row({"question": "q", "intent": "department", "gold_offices": ["A"], "lang": "zh"}, 1).gold_departments
    ('A',)
    """
    fields: dict = {}
    extra: dict = {}
    for column, value in row.items():
        key = str(column).strip()
        name = COLUMNS.get(key) or COLUMNS.get(key.lower())
        if name is None:
            if looks_like_gold(key):
                raise EvalSetError("evalset.unknown_column", file=str(path), column=key,
                                   known=", ".join(k for k in COLUMNS if k.isascii()))
            extra[key] = value   # a column of the keeper's own (reviewer, date …): kept, reported
            continue
        fields[name] = value
    question = fields.get("question")
    if not isinstance(question, str):
        question = "" if question is None else str(question)
    kind = _type(fields.get("type"), path, line)
    lists = {name: _list(fields.get(name)) for name in LIST_FIELDS}
    departments = lists["gold_departments"]
    if not departments and kind in ("department", "") and lists["gold_offices"]:
        departments = lists["gold_offices"]   # the first eval file: its offices mean this only for department rows
    answerable = fields.get("answerable")
    if answerable is not None and str(answerable).strip().lower() in ("false", "0", "no", "否"):
        kind = "unanswerable"
    value = fields.get("gold_value")
    value = None if value is None or (isinstance(value, str) and not value.strip()) else str(value).strip()
    qid = fields.get("id")
    qid = f"row{line}" if qid is None or not str(qid).strip() else str(qid).strip()
    return Case(qid, question.strip(), lists["history"], kind, lists["gold_clause_ids"], lists["gold_spans"],
                departments, value, str(fields.get("doc_id") or "").strip(), line, extra)


GOLD_WORDS = ("gold", "answer", "expect", "question", "type", "span", "clause", "office", "depart", "value",
              "答案", "标准", "原文", "条款", "单位", "部门", "数值", "问题", "类型", "引文")


def looks_like_gold(column: str) -> bool:
    """An unknown column that reads like gold or a required field: refused, so that a misspelt
    gold column never leaves its rows scored without gold. Other unknown columns are notes.

    >>> looks_like_gold("gold_span"), looks_like_gold("答案"), looks_like_gold("Questions"), looks_like_gold("reviewer")
    (True, True, True, False)
    """
    if column in NOTES or column.lower() in NOTES:
        return False
    low = column.lower()
    return any(w in low for w in GOLD_WORDS) or bool(difflib.get_close_matches(low, list(COLUMNS), n=1, cutoff=0.75))


def other_columns(cases: list[Case]) -> list[str]:
    """The columns of a set that are neither fields nor the usual notes, for one line of report.

    >>> other_columns([Case("a", "q", extra={"reviewer": "王", "lang": "zh"})])
    ['reviewer']
    """
    return sorted({k for c in cases for k in c.extra if k not in NOTES and k.lower() not in NOTES})


def _type(value, path: Path, line: int) -> str:
    if value is None or not str(value).strip():
        return ""
    text = str(value).strip()
    kind = text.lower() if text.lower() in TYPES else TYPE_ALIASES.get(text.lower()) or TYPE_ALIASES.get(text)
    if kind is None:
        raise EvalSetError("evalset.unknown_type", file=str(path), line=line, type=text, known=", ".join(TYPES))
    return kind


def _list(value) -> tuple[str, ...]:
    """A list column: a JSON list, or one string with items separated by `|`.

    >>> _list("省科技厅 | 省财政厅"), _list(["a", " ", None]), _list(None), _list('["x", "y"]')
    (('省科技厅', '省财政厅'), ('a',), (), ('x', 'y'))
    """
    if value is None:
        return ()
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return _list(parsed)
        return tuple(p.strip() for p in text.split(SEPARATOR) if p.strip())
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())
    return (str(value).strip(),) if str(value).strip() else ()


def write_case(path, case: Case) -> None:
    """Append one case to a set file: a JSON line, or a CSV record under the file's own header.

    A new file gets the JSONL form (or a CSV header of the JSON names when it ends in .csv)."""
    path = Path(path)
    row = case.to_json()
    if path.suffix.lower() == ".csv":
        exists = path.is_file() and path.stat().st_size > 0
        header = next(csv.reader(io.StringIO(read_text(path)))) if exists else [
            "id", "question", "history", "type", "gold_clause_ids", "gold_spans", "gold_departments", "gold_value"]
        names = [COLUMNS.get(h.strip().lstrip("\ufeff"), h) for h in header]
        values = []
        for name in names:
            v = row.get("gold_departments" if name == "gold_offices" else name, "")
            values.append(SEPARATOR.join(v) if isinstance(v, list) else ("" if v is None else str(v)))
        buf = io.StringIO()
        writer = csv.writer(buf)
        if not exists:
            writer.writerow(header)
        writer.writerow(values)
        data = buf.getvalue()
    else:
        data = json.dumps(row, ensure_ascii=False) + "\n"
    prefix = ""
    if path.is_file() and path.stat().st_size > 0:
        with open(path, "rb") as f:
            f.seek(-1, 2)
            prefix = "" if f.read(1) == b"\n" else "\n"
    encoding = "utf-8"
    if path.is_file():
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            encoding = "gb18030"   # a set kept in GB18030 stays in it
    with open(path, "a", encoding=encoding, newline="") as f:
        f.write(prefix + data)
