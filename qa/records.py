"""The record types that flow through every stage: Clause in, Query through, Hit and Answer out.

One `Clause` type serves the whole outline (preamble, parts, sections, items, principles and
indicator rows) so that the parser, the indexes, the router and the UI never convert between
shapes. `kind` says which one it is; `values` is filled only for indicator rows.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

LEAF_KINDS = ("preamble", "chapter", "jie", "section", "item", "principle", "indicator", "box", "article")


@dataclass(frozen=True)
class Clause:
    """One addressable unit of a plan.

    >>> item = Clause(id="doc:二.九.2", doc_id="doc", path=("二、主要任务", "(九)加强…", "2.创新…"),
    ...               title="创新知识产权金融服务", text="2.创新知识产权金融服务。探索…",
    ...               departments=("省科技厅", "省财政厅"), kind="item", number="二(九)2")
    >>> item.searchable, Clause.from_json(item.to_json()) == item
    (True, True)
    """

    id: str
    doc_id: str
    path: tuple[str, ...]
    title: str
    text: str
    departments: tuple[str, ...] = ()
    kind: str = "item"
    number: str = ""
    values: dict[str, str] = field(default_factory=dict)
    order: int = 0
    has_children: bool = False
    lead: str = ""                 # the lead office when the document says which one leads
    written: tuple[str, ...] = ()  # the offices as the document writes them, where that differs
    offices_in_text: bool = False  # its offices are read from its running text (by sentence), not an office note

    @property
    def offices_as_written(self) -> tuple[str, ...]:
        """The offices as the document names them (人民银行, not the canonical 中国人民银行): what
        an answer quotes; `departments` holds the canonical names every look-up uses."""
        return self.written or self.departments

    @property
    def searchable(self) -> bool:
        """Leaves carry the text a question is answered from; containers only group them."""
        return not self.has_children

    def to_json(self) -> dict:
        data = asdict(self)
        data["path"] = list(self.path)
        data["departments"] = list(self.departments)
        data["written"] = list(self.written)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Clause":
        data = dict(data)
        data["path"] = tuple(data["path"])
        data["departments"] = tuple(data["departments"])
        data.setdefault("lead", "")
        data["written"] = tuple(data.get("written", ()))
        return cls(**data)


@dataclass(frozen=True)
class Document:
    """A parsed plan: its title and its clauses in plan order (containers included), with what
    its title and signature blocks say: number (国发〔2019〕4号), date (2019年1月24日), issuer,
    and the covering notice's title when the document is the attachment of one."""

    doc_id: str
    title: str
    clauses: tuple[Clause, ...]
    number: str = ""
    date: str = ""
    issuer: str = ""
    notice: str = ""


@dataclass(frozen=True)
class Hit:
    clause: Clause
    score: float
    doc_title: str = ""      # the title of the clause's document, filled in by the engine

    def to_json(self) -> dict:
        c = self.clause
        return {"clause_id": c.id, "doc_id": c.doc_id, "doc_title": self.doc_title, "path": list(c.path),
                "title": c.title, "text": c.text, "departments": list(c.offices_as_written),
                "lead_department": c.lead, "number": c.number,
                "kind": c.kind, "score": round(float(self.score), 4)}


@dataclass(frozen=True)
class Query:
    """One question as every answerer sees it, built once per question by the engine."""

    raw: str                      # as asked (sanitised), for the answer's `question`
    text: str                     # folded, tags removed, typos repaired
    lowered: str                  # text + " | " + plain: cue words are looked for in both
    tokens: tuple[str, ...]
    vector: Any = None            # the question's embedding (numpy array) or None
    offices: tuple[str, ...] = ()  # canonical offices the question names
    plain: str = ""               # in the documents' words: regional and English glossary terms replaced


@dataclass(frozen=True)
class Decision:
    """How an answer was decided: which answerer claimed the question, the evidence it weighed
    and the thresholds it crossed — so a wrong answer can be traced, and the not-found rule
    calibrated, from the answer alone.

    >>> Decision("search", {"coverage": 0.5}, ("coverage 0.50 ≥ min_coverage 0.32",)).to_json()["features"]
    {'coverage': 0.5}
    """

    answerer: str
    features: dict = field(default_factory=dict)
    crossed: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"answerer": self.answerer, "features": dict(self.features), "crossed": list(self.crossed)}


@dataclass(frozen=True)
class Answer:
    """What every surface shows; `to_json` is the contract of DESIGN.md."""

    question: str
    found: bool
    intent: str
    answer: str
    departments: tuple[str, ...] = ()
    value: str | None = None
    hits: tuple[Hit, ...] = ()
    id: str | None = None
    decision: Decision | None = None
    resolved_question: str | None = None   # how the question was read, when context changed it
    context_ids: tuple[str, ...] = ()      # the clauses of earlier turns that reading used

    def to_json(self) -> dict:
        out = {"id": self.id, "question": self.question, "found": self.found,
               "intent": self.intent, "answer": self.answer,
               "departments": list(self.departments), "value": self.value,
               "hits": [h.to_json() for h in self.hits]}
        if self.resolved_question is not None:
            out["resolved_question"] = self.resolved_question
            out["context_clause_ids"] = list(self.context_ids)
        if self.decision is not None:
            out["decision"] = self.decision.to_json()
        return out
