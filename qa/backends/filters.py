"""The retriever's filters (document, office, part) as Milvus boolean expressions.

Why here and not in the store: one function says what a filter keeps, in two forms that must
agree — the expression Milvus evaluates over millions of rows (`expression`), and the same test on
one clause in Python (`keeps`), used on the bounded sample of dense vectors from which the fusion's
floor is taken. Adding a filter is adding one line to each. Values are quoted as Milvus string
literals, so an office or part name can never change the shape of the expression.

>>> expression(Filter(doc="plan-a", office="省科技厅", part="二"))
'doc == "plan-a" and array_contains(offices, "省科技厅") and part like "二%"'
"""
from __future__ import annotations

from dataclasses import dataclass

# what LIKE would read as wildcards: a part prefix holding them is matched literally in Python
# (keeps) and by an exact-prefix range in Milvus instead
_WILDCARDS = ("%", "_")


@dataclass(frozen=True)
class Filter:
    """What a question is limited to; None/"" means no limit on that field."""

    doc: str | tuple | None = None     # one document id, or several (a question naming two)
    office: str | None = None
    part: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.doc or self.office is not None or self.part)


def quote(value: str) -> str:
    """A Milvus string literal: backslashes and double quotes escaped.

    >>> quote('a"b\\\\c')
    '"a\\\\"b\\\\\\\\c"'
    """
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def expression(f: Filter) -> str:
    """The Milvus filter of `f` ("" when it keeps everything).

    >>> expression(Filter(part="一")), expression(Filter())
    ('part like "一%"', '')
    >>> expression(Filter(part="5%"))
    'part >= "5%" and part < "5&"'
    >>> expression(Filter(doc=("a", "b")))
    'doc in ["a", "b"]'
    """
    terms = []
    if f.doc and isinstance(f.doc, (tuple, list)) and len(f.doc) > 1:
        terms.append("doc in [" + ", ".join(quote(d) for d in f.doc) + "]")
    elif f.doc:
        terms.append(f"doc == {quote(_one(f.doc))}")
    if f.office is not None:
        terms.append(f"array_contains(offices, {quote(f.office)})")
    if f.part:
        part = str(f.part)
        if any(w in part for w in _WILDCARDS):  # a prefix as a range: [part, part with last char + 1)
            terms.append(f"part >= {quote(part)} and part < {quote(part[:-1] + chr(ord(part[-1]) + 1))}")
        else:
            terms.append(f"part like {quote(part + '%')}")
    return " and ".join(terms)


def _one(doc) -> str:
    return doc[0] if isinstance(doc, (tuple, list)) else doc


def keeps(f: Filter, doc: str, offices, part: str) -> bool:
    """Does `f` keep a clause of document `doc`, naming `offices`, under top heading `part`?

    >>> keeps(Filter(office="省科技厅", part="二"), "d", ("省科技厅",), "二、主要任务")
    True
    >>> keeps(Filter(doc="other"), "d", (), "二、主要任务")
    False
    """
    if f.doc and doc not in (f.doc if isinstance(f.doc, (tuple, list)) else (f.doc,)):
        return False
    if f.office is not None and f.office not in offices:
        return False
    return not f.part or part.startswith(str(f.part))
