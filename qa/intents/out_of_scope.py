"""Questions about what the documents never contain — an answer type they have no evidence of
(a phone number, a fee …), a place, year or plan period they never mention — are refused before
any score is read. The judgement itself is `qa.scope.Scope`; this answerer only applies it.
"""
from __future__ import annotations

from .. import answer as compose
from ..records import Answer, Decision


def answer(s) -> Answer | None:
    if s.outside is None:
        return None
    intent = "department" if s.asks_department else "clause"
    return compose.decided(compose.not_found(s.q.raw, intent, s.hits(s.ranked)),
                           Decision("out_of_scope", {"outside": s.outside}, (s.outside,)))


def nothing_ranked(s) -> Answer | None:
    """Mine when no clause is left to rank (a filter kept none)."""
    if s.candidates:
        return None
    return compose.not_found(s.q.raw, "department" if s.asks_department else "search", [])
