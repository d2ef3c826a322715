"""Intent decisions: an ordered list of answerers, each saying "mine" (an `Answer`) or "not
mine" (None), and the `Situation` they read.

Why a list: each decision lives beside the cues it uses (one module each), and the order is the
whole policy, readable in one place: retrieval-only ablations; a clause number; an office's
duties; out of scope; nothing left to rank; an indicator cell; a heading's contents; else the
best clause, if the documents answer at all. The evidence an answerer needs (the fused ranking,
the scope verdict, whether the question asks *who*) is computed once, on first use, by the
`Situation`, so an answerer that decides early costs no retrieval.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..bm25 import idf_of
from ..offices import outermost
from ..records import Hit, Query
from ..settings import Settings
from . import gate, indicator, office, out_of_scope, overview, reference, search
from .cues import DEPARTMENT_CUES, has_any

ANSWERERS = (
    ("retrieval_only", search.retrieval_only),
    ("reference", reference.answer),
    ("office_reverse", office.answer),
    ("out_of_scope", out_of_scope.answer),
    ("nothing_ranked", out_of_scope.nothing_ranked),
    ("indicator", indicator.answer),
    ("overview", overview.answer),
    ("search", search.answer),
)


@dataclass
class Situation:
    """One question and the engine's parts it may consult; evidence is computed lazily, once."""

    q: Query
    k: int
    mask: np.ndarray | None
    settings: Settings
    library: object          # qa.outline.Outline of the documents in play (a filter's or the question's, else all)
    retriever: object        # qa.retrieval.Retriever
    offices: object          # qa.offices.OfficeTable
    segmenter: object        # qa.segment.Segmenter
    scope: object            # qa.scope.Scope
    indicator_names: dict = field(default_factory=dict)   # row id → {name term: weight}
    own_periods: tuple = ()  # plan periods the documents' titles name
    named: tuple = ()        # documents the question names by a title word or its kind: preferred
    doc_outlines: dict = field(default_factory=dict)   # doc id → its own Outline (libraries of 2+)
    doc_scopes: dict = field(default_factory=dict)     # doc id → its own Scope (libraries of 2+)
    issuers: dict = field(default_factory=dict)        # doc id → its issuer (国务院办公厅 …)
    doc_names: dict = field(default_factory=dict)      # doc id → the names it goes by (number, abbreviations…)
    levels: dict = field(default_factory=dict)         # doc id → "national" or "local"
    titled: tuple = ()       # of `named`, those named by a subject word of their title (not only their kind)
    _by_level: dict = field(default_factory=dict, repr=False)   # offices_at's answers, per level

    @cached_property
    def offices_named(self) -> tuple:
        """The offices the question names, read at the level of the one document in play when
        there is one (知识产权局 in a national notice is the national office, not a province's)."""
        docs = self.library_docs
        if self.doc_outlines and len(docs) == 1 and self.levels.get(docs[0]):
            return self.offices_at(self.levels[docs[0]])
        return self._asked(self.q.offices)

    def _asked(self, offices: tuple) -> tuple:
        """The offices asked about: an issuer named beside another office describes a document
        (「国务院…的那份通知里，药监局负责哪些」), it is not the office asked about."""
        issuers = set(self.issuers.values())
        rest = tuple(o for o in offices if o not in issuers)
        asked = rest if rest and len(rest) < len(offices) else tuple(offices)
        # an office of the table before an actor read from some sentence (三级公立医院 is a topic
        # as often as an actor: 「三级公立医院考核里跟国家发展改革委有关的」 asks about the commission)
        return tuple(sorted(asked, key=lambda o: not self._listed(o)))

    def _listed(self, name: str) -> bool:
        office = self.offices.get(name)
        return office is not None and office.listed

    def offices_at(self, level: str) -> tuple:
        """The offices the question names as a document of `level` reads them: 人民银行 is 中国人民银行
        in a State Council notice and the province's branch in a provincial plan (once per level:
        a library of many documents has two or three)."""
        if not level:
            return self._asked(self.q.offices)
        if level not in self._by_level:
            named = self.offices.find_in(self.q.text, level) or self.offices.find_in(self.q.lowered, level)
            written = [o for o in self.q.offices if self.offices.canonical(o) is None]
            self._by_level[level] = self._asked(tuple(
                outermost(written + [o for o in named if not any(o in w for w in written)]) or self.q.offices))
        return self._by_level[level]

    def office_in(self, doc_id: str) -> str:
        """The first office the question names, as document `doc_id` reads it ("" when none)."""
        named = self.offices_at(self.levels.get(doc_id, "")) if self.doc_outlines else self.offices_named
        return named[0] if named else ""

    @cached_property
    def outline(self):
        """The outline an exact look-up (a clause number, a heading, an indicator row) reads: the
        one document in play — named by the question or a filter, else the document of the best
        clause — so 二(三) or 总体要求 means that document's, not the first document's."""
        if not self.doc_outlines or self.library_docs != tuple(self.doc_outlines):
            return self.library   # one document, or a filter's / the question's own
        if self.ranked:
            return self.doc_outlines.get(self.retriever.clauses[self.ranked[0][0]].doc_id, self.library)
        return self.library

    @cached_property
    def library_docs(self) -> tuple:
        """The documents in play, in corpus order."""
        return self.library.doc_ids

    @cached_property
    def prefer(self) -> np.ndarray | None:
        return self.retriever.in_docs(self.named) if self.named else None

    @cached_property
    def asks_department(self) -> bool:
        return has_any(self.q.lowered, DEPARTMENT_CUES)

    @cached_property
    def outside(self) -> str | None:
        return self.scope.outside(self.q.plain, self.q.text, self.asks_department)

    @cached_property
    def ranked(self) -> list[tuple[int, float]]:
        return self.retriever.rank(self.q.tokens, self.q.vector, self.settings, self.mask, self.prefer)

    @cached_property
    def candidates(self) -> list[tuple[int, float]]:
        """The ranking an answer may take its clause from: for a department question only
        clauses that name offices (when any do), or that belong to a document naming its
        offices in running text rather than in office notes."""
        if not self.asks_department:
            return self.ranked
        clauses, free = self.retriever.clauses, self.retriever.office_free
        return [(p, sc) for p, sc in self.ranked if clauses[p].departments or free[p]] or self.ranked

    def rarity(self, doc_id: str):
        """How much a question term tells inside document `doc_id`: its length × (0.5 + its idf
        there) — a word most of the document's clauses use says little about which sentence, or
        which figure, answers."""
        group, bm25, known = self.retriever.group_of_doc(doc_id), self.retriever.bm25, {}

        def weight(term: str) -> float:   # each term's idf once: it is read per sentence and per figure
            if term not in known:
                known[term] = len(term) * (0.5 + idf_of(bm25, term, group))
            return known[term]
        return weight

    def issuer_of(self, position: int) -> str:
        """The issuer of the document of the clause at `position` ("" when unknown)."""
        return self.issuers.get(self.retriever.clauses[position].doc_id, "")

    def hits(self, ranked, k: int | None = None) -> list[Hit]:
        return self.retriever.hits(ranked, self.k if k is None else k)


def decide(s: Situation):
    """The first answerer that claims the question, and its answer."""
    for name, answerer in ANSWERERS:
        result = answerer(s)
        if result is not None:
            return name, gate.check(s, name, result)
    raise AssertionError("the search answerer always answers")
