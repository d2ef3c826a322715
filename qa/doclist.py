"""`python -m qa docs`: what the parser made of each document of a corpus, one row a document.

The row says the document's title, number and date as its title and signature blocks give them,
and how many clauses it has: leaves (what questions are answered from), leaves naming offices, and
indicators. It reads the corpus only (no index, no embedder), so it is the quick check that a new
document of the genre parsed: a row with no title, no offices or no leaves shows what went wrong.
"""
from __future__ import annotations

import json
import unicodedata

from .records import Document


def document_row(doc: Document) -> dict:
    """The facts of one parsed document.

    Example:
    >>> from qa.records import Clause
    >>> leaf = Clause("d:一", "d", ("一、甲",), "甲", "做甲。(商务部负责)", ("商务部",), kind="part")
    >>> document_row(Document("d", "某某方案", (leaf,), number="国发〔2030〕1号"))["offices"]
    1
    """
    leaves = [c for c in doc.clauses if c.searchable]
    return {"doc_id": doc.doc_id, "title": doc.title, "number": doc.number, "date": doc.date,
            "issuer": doc.issuer, "notice": doc.notice, "clauses": len(doc.clauses), "leaves": len(leaves),
            "offices": sum(1 for c in leaves if c.departments),
            "lead": sum(1 for c in leaves if c.lead),
            "indicators": sum(1 for c in leaves if c.kind == "indicator")}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _cut(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            return out + "…"
        out += ch
    return out


def render_table(rows: list[dict], title_width: int = 64) -> str:
    """The rows as an aligned text table (CJK characters count two columns).

    Example:
    >>> print(render_table([{"doc_id": "d", "title": "某某方案", "number": "", "date": "", "leaves": 3,
    ...                      "offices": 1, "indicators": 0}]))
    document  title     number  date  leaves  offices  indicators
    d         某某方案  -       -          3        1           0
    """
    head = ("document", "title", "number", "date", "leaves", "offices", "indicators")
    cells = [[r["doc_id"], _cut(r["title"], title_width) if _width(r["title"]) > title_width else r["title"],
              r["number"] or "-", r["date"] or "-", str(r["leaves"]), str(r["offices"]), str(r["indicators"])]
             for r in rows]
    widths = [max(_width(x) for x in col) for col in zip(head, *cells)]
    lines = []
    for line in [list(head)] + cells:
        out = [_pad(x, w) if k < 4 else " " * (w - _width(x)) + x for k, (x, w) in enumerate(zip(line, widths))]
        lines.append("  ".join(out).rstrip())
    return "\n".join(lines)


def run_docs(corpus, as_json: bool) -> str:
    """What `python -m qa docs` prints for a loaded corpus."""
    rows = [document_row(d) for d in corpus.documents]
    if as_json:
        return json.dumps(rows, ensure_ascii=False, indent=1)
    return render_table(rows)
