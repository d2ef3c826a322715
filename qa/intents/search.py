"""The fallback answerer: the best clause of hybrid retrieval, if the documents answer at all.

Department questions keep only clauses that name offices (only those can say who is
responsible); a table row answers "how much", not "what does it say", so rows go last. Then the
not-found rule: the top clause must hold enough of the question's term weight (coverage) or be
close enough in meaning (dense similarity; a Latin-script question gets the cross-lingual
allowance). Its thresholds are `Settings.min_coverage`/`min_dense`, calibrated by
`python -m qa eval --calibrate` from the features each answer's `Decision` records.

>>> answerable(0.5, None, False, Settings()), answerable(0.1, 0.5, False, Settings())
(True, False)
"""
from __future__ import annotations

from .. import answer as compose
from ..actors import sentence_offices
from .cues import LEAD_CUES, has_any
from ..records import Answer, Decision
from ..settings import Settings


def is_latin(text: str) -> bool:
    """>>> is_latin("who handles patents?"), is_latin("谁负责专利")
    (True, False)
    """
    return sum(ch.isascii() and ch.isalpha() for ch in text) > len(text) / 2


def answerable(coverage: float, dense: float | None, latin: bool, st: Settings) -> bool:
    if dense is None:
        return coverage >= st.min_coverage
    return coverage >= st.min_coverage or dense >= st.min_dense - (st.cross_lingual_gap if latin else 0.0)


def crossed(coverage: float, dense: float | None, latin: bool, st: Settings) -> tuple[str, ...]:
    """The thresholds the evidence reached, in words, for the answer's `Decision`."""
    out = []
    if coverage >= st.min_coverage:
        out.append(f"coverage {coverage:.2f} ≥ min_coverage {st.min_coverage}")
    bar = st.min_dense - (st.cross_lingual_gap if latin else 0.0)
    if dense is not None and dense >= bar:
        out.append(f"dense {dense:.3f} ≥ {'min_dense - cross_lingual_gap' if latin else 'min_dense'} {bar:.3f}")
    return tuple(out)


def retrieval_only(s) -> Answer | None:
    """Mine in the retrieval-only modes of the ablation (bm25, dense, hybrid): always answers."""
    if s.settings.mode == "full":
        return None
    return compose.clause_answer(s.q.raw, "search", s.hits(s.ranked), True)


def answer(s) -> Answer:
    ranked = s.candidates
    if s.retriever.clauses[ranked[0][0]].kind == "indicator":
        ranked = sorted(ranked, key=lambda r: s.retriever.clauses[r[0]].kind == "indicator")
    hits = s.hits(ranked)
    intent = "department" if s.asks_department else "clause"
    top = ranked[0][0]
    cov = s.retriever.coverage(s.q.tokens, top, s.settings)
    dense = s.retriever.similarity(top, s.q.vector)
    latin = is_latin(s.q.raw)
    decision = Decision("search", {"coverage": cov, "dense": dense, "latin": latin},
                        crossed(cov, dense, latin, s.settings))
    if not answerable(cov, dense, latin, s.settings):
        return compose.decided(compose.not_found(s.q.raw, intent, hits), decision)
    offices = None
    if intent == "department" and s.retriever.office_free[top]:  # offices written in sentences
        clause = s.retriever.clauses[top]   # a term rare in the clause's document tells its sentence
        offices = sentence_offices(clause.text, s.q.tokens, s.offices, s.issuer_of(top), s.rarity(clause.doc_id),
                                   s.q.text, has_any(s.q.lowered, LEAD_CUES))
    elif intent == "department" and has_any(s.q.lowered, LEAD_CUES):  # 谁牵头: the lead, where one is named
        offices = compose.lead_as_written(hits[0].clause) or None
    return compose.decided(compose.clause_answer(s.q.raw, intent, hits, True, offices), decision)
