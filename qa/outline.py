"""The documents' structure as one read-only object: clauses by id, children, parts, offices,
headings and indicator rows.

Why an object of its own: the answerers, the app's browse/offices/indicator tabs and the
benchmark all look clauses up by structure, and each look-up must cost a dict access, not a walk
over every clause (at 100k clauses a walk per question is the slowest part of an answer). It is
built once from the parsed clauses and knows nothing of retrieval.

Example:
>>> from qa.records import Clause
>>> part = Clause("d:一", "d", ("一、任务",), "任务", "一、任务", kind="part", has_children=True)
>>> item = Clause("d:一.1", "d", ("一、任务", "1.专利"), "专利", "1.专利。")
>>> [c.title for c in Outline([part, item]).children(part)]
['专利']
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .records import Clause

HEADING_KINDS = ("chapter", "jie", "part", "section", "principle", "table", "box")
_PIECE_SPLIT = re.compile(r"[、和及与,]")
PIECE_KEY = 4   # heading pieces are found by the question's windows of this many characters


def local_id(clause_id: str) -> str:
    """The id inside its document.

    >>> local_id("plan:二.九.2")
    '二.九.2'
    """
    return clause_id.split(":", 1)[1] if ":" in clause_id else clause_id


def parent_id(clause_id: str) -> str | None:
    """The id of the clause one level up, None for a part.

    >>> parent_id("plan:二.九.2"), parent_id("plan:二")
    ('plan:二.九', None)
    """
    return clause_id.rsplit(".", 1)[0] if "." in local_id(clause_id) else None


class Outline:
    """Structure look-ups over every clause of every document, in document order."""

    def __init__(self, clauses: Iterable[Clause], titles: Mapping[str, str] | None = None):
        self.clauses: list[Clause] = list(clauses)
        self.titles: dict[str, str] = dict(titles or {})   # doc_id → title
        self.by_id: dict[str, Clause] = {c.id: c for c in self.clauses}
        self.by_local: dict[str, Clause] = {}
        self._children: dict[str, list[Clause]] = {}
        self._by_office: dict[str, list[Clause]] = {}
        for c in self.clauses:
            parent = parent_id(c.id)
            if parent is not None:
                self._children.setdefault(parent, []).append(c)
            for name in c.departments:
                self._by_office.setdefault(name, []).append(c)
            self.by_local.setdefault(local_id(c.id), c)
        self.parts = [c for c in self.clauses if c.kind == "part"]
        self.indicators = [c for c in self.clauses if c.kind == "indicator"]
        self.preamble = next((c for c in self.clauses if c.kind == "preamble"), None)
        self.headings = sorted((c for c in self.clauses if c.kind in HEADING_KINDS), key=lambda c: -len(c.title))
        self.heading_pieces = _heading_pieces(self.headings)
        self._written: list[str] | None = None
        self.doc_ids: tuple[str, ...] = tuple(dict.fromkeys(c.doc_id for c in self.clauses))   # document order

    def children(self, clause: Clause | None) -> list[Clause]:
        """The clauses one level below a part, section or table, in document order."""
        return list(self._children.get(clause.id, ())) if clause is not None else []

    def office_clauses(self, canonical_office: str) -> list[Clause]:
        """Every clause naming an office (its canonical name), in document order."""
        return list(self._by_office.get(canonical_office, ()))

    def sector_offices(self, core: str) -> list[str]:
        """The actors of a sector as the documents write them (国务院人力资源社会保障行政部门,
        人力资源社会保障部门) when they name the sector's departments, not the ministry.

        >>> c = Clause("d:一", "d", (), "甲", "", departments=("国务院教育行政部门", "教育部"))
        >>> Outline([c]).sector_offices("教育")
        ['国务院教育行政部门']
        """
        return [n for n in self._by_office if len(core) >= 2 and core in n and n.endswith("部门")]

    def offices_written_in(self, text: str) -> list[str]:
        """Office names as the documents write them (各省级人民政府, 教育行政部门 …) that the text
        contains, longest first, none inside a longer one found.

        >>> c = Clause("d:一", "d", (), "甲", "", departments=("国务院教育行政部门",))
        >>> Outline([c]).offices_written_in("国务院教育行政部门负责什么")
        ['国务院教育行政部门']
        """
        if self._written is None:
            self._written = sorted((n for n in self._by_office if len(n) >= 4), key=len, reverse=True)
        found: list[str] = []
        for name in self._written:
            if name in text and not any(name in f for f in found):
                found.append(name)
        return found

    def siblings(self, clause: Clause) -> list[Clause]:
        """The clauses at the same level under the same parent (parts: of the same document).

        >>> a = Clause("d:一", "d", ("一、甲",), "甲", "", kind="part")
        >>> b = Clause("d:二", "d", ("二、乙",), "乙", "", kind="part")
        >>> [c.title for c in Outline([a, b]).siblings(b)]
        ['甲', '乙']
        """
        parent = parent_id(clause.id)
        if parent is not None:
            return list(self._children.get(parent, ()))
        return [c for c in self.clauses if c.doc_id == clause.doc_id and parent_id(c.id) is None
                and c.kind == clause.kind]

    def step(self, clause: Clause, offset: int) -> Clause | None:
        """The sibling `offset` places after (negative: before) the clause, None past either end."""
        siblings = self.siblings(clause)
        at = next((i for i, c in enumerate(siblings) if c.id == clause.id), None)
        if at is None or not 0 <= at + offset < len(siblings):
            return None
        return siblings[at + offset]

    def heading_in(self, text: str) -> Clause | None:
        """The heading whose title (better) or a piece of it (else) the text contains; the longest
        wins, then document order; the question "主要任务有哪些" names the part 二、主要任务."""
        for whole in (True, False):
            found = [(-len(piece), order, c) for i in range(len(text) - PIECE_KEY + 1)
                     for piece, order, c in self.heading_pieces[whole].get(text[i:i + PIECE_KEY], ())
                     if text.startswith(piece, i)]
            if found:
                return min(found, key=lambda f: (f[0], f[1]))[2]
        return None


def _heading_pieces(headings: list[Clause]) -> dict[bool, dict[str, list]]:
    """Heading titles (True) and their pieces (False) of 4+ characters, keyed by their first four
    characters, so a question's windows find them without testing every heading.

    >>> from qa.records import Clause
    >>> h = Clause("d:一", "d", ("一、指导思想和基本原则",), "指导思想和基本原则", "", kind="part")
    >>> _heading_pieces([h])[False]["指导思想"][0][0]
    '指导思想'
    """
    out: dict[bool, dict[str, list]] = {True: {}, False: {}}
    for order, c in enumerate(headings):
        for whole in (True, False):
            pieces = [c.title] if whole else [p for p in _PIECE_SPLIT.split(c.title) if p != c.title]
            for j, piece in enumerate(dict.fromkeys(pieces)):
                if len(piece) >= PIECE_KEY:
                    out[whole].setdefault(piece[:PIECE_KEY], []).append((piece, (order, j), c))
    return out
