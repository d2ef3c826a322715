"""The outline as a tree of nodes, and the tree as `Clause` records.

The parser (qa/parse.py) places paragraphs in a tree of `Node`s; this module turns the tree into
clauses: ids `<doc>:<part>.<section>.<item>`, numbers (二(九)2), paths, offices and the lead office,
and splits a leaf whose text carries several office notes into one measure per note (each note is
for the sentences before it). Nothing here reads text layout.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .office_notes import find_notes, note_offices
from .records import Clause

TITLE_END = re.compile(r"[。;:!?]")
_PUNCTUATED = tuple("。!?;:)」”…,、")
_LEADING_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、](?!\d)|——|—)\s*")


def short_title(body: str) -> str:
    """The leading phrase of a clause: up to the first full stop, or its first words.

    >>> short_title("加强湿地保护。划定红线。")
    '加强湿地保护'
    """
    m = TITLE_END.search(body)
    head = body[: m.start()] if m else body
    head = head.strip()
    return head if len(head) <= 40 else head[:24] + "…"


def join_paragraphs(paragraphs: list[str]) -> str:
    """A clause's text: its paragraphs run together, a heading that ends without punctuation
    kept apart from the sentence after it by a space.

    >>> join_paragraphs(["二、主要目标", "到2035年建成体系。", "各地要落实。"])
    '二、主要目标 到2035年建成体系。各地要落实。'
    """
    out = ""
    for para in paragraphs:
        if out and not out.endswith(_PUNCTUATED):
            out += " "
        out += para
    return out


@dataclass
class Node:
    kind: str
    key: str
    heading: str
    title: str
    parent: "Node | None"
    paragraphs: list[str] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    number: str = ""
    offices: tuple[str, ...] | None = None   # from a table's office cells rather than the text
    lead: str = ""                           # … and the lead its 牵头 column names

    def path(self) -> tuple[str, ...]:
        node, out = self, []
        while node is not None and node.kind != "root":
            out.append(node.heading)
            node = node.parent
        return tuple(reversed(out))


def split_measures(node: "Node") -> None:
    """A leaf whose text has several office notes becomes one measure per note: each note is for
    the sentences before it (back to the previous note).

    Example:
    >>> root = Node("root", "", "", "", None)
    >>> sec = Node("section", "一", "(一)甲", "甲", root, ["(一)甲。做乙。(水利部负责)做丙。(财政部负责)"])
    >>> root.children.append(sec); split_measures(root)
    >>> [(c.key, c.paragraphs) for c in sec.children]
    [('1', ['(一)甲。做乙。(水利部负责)']), ('2', ['做丙。(财政部负责)'])]
    """
    for child in node.children:
        if child.children:
            split_measures(child)
            continue
        if child.kind not in ("part", "section", "item", "principle"):
            continue
        text = join_paragraphs(child.paragraphs)
        notes = find_notes(text)
        if len(notes) < 2:
            continue
        # a note closes its sentence before or after the full stop: (A负责)。 keeps its 。
        cuts = [0] + [n.end + (text[n.end:n.end + 1] in ("。", ";")) for n in notes]
        pieces = [text[a:b] for a, b in zip(cuts, cuts[1:])]
        tail = text[cuts[-1]:]
        if TITLE_END.search(tail):
            pieces.append(tail)
        else:
            pieces[-1] += tail
        for k, piece in enumerate(pieces, 1):
            body = piece.strip().lstrip(",、;")
            head = _LEADING_MARKER.sub("", body)
            title = short_title(head)
            child.children.append(Node("measure", str(k), title, title, child, paragraphs=[body]))



def _number(node: "Node") -> str:
    parts = []
    n = node
    while n is not None and n.kind != "root":
        parts.append(n)
        n = n.parent
    out = ""
    for p in reversed(parts):
        if p.kind in ("part", "chapter", "jie", "article"):
            out += p.key
        elif p.kind == "section":
            out += f"({p.key})"
        elif p.kind in ("item", "principle", "indicator"):
            out += ("-" if p.parent is not None and p.parent.kind == "box" else "") + \
                (p.key if p.kind != "principle" else f"——{p.key}")   # 专栏1-1, not 专栏11
        elif p.kind in ("table", "attachment", "notes", "box"):
            out = p.key if p.kind != "notes" else out + p.key
    return out


def to_clauses(root: "Node", doc_id: str, first_leads: bool = False) -> list[Clause]:
    out: list[Clause] = []
    seen: dict[str, int] = {}

    def walk(node: "Node", keys: tuple[str, ...]):
        for child in node.children:
            # a table's rows are numbered on their own (指标.3), inside an attachment under it (附件.指标.3)
            own = child.kind in ("preamble", "table") and node.kind != "attachment"
            child_keys = (child.key,) if own else keys + (child.key,)
            local = ".".join(child_keys)
            seen[local] = seen.get(local, 0) + 1
            if seen[local] > 1:
                local = f"{local}~{seen[local]}"
            text = join_paragraphs(child.paragraphs)
            if child.kind == "indicator":
                text = child.title + ":" + ";".join(f"{k} {v}" for k, v in child.values.items())
            elif child.children and not text:
                text = child.heading
            if child.children:
                text += " 包括:" + ";".join(c.heading for c in child.children)
            offices, lead = (), ""
            if not child.children:
                offices, lead = _offices(child, text, first_leads)
            out.append(Clause(
                id=f"{doc_id}:{local}", doc_id=doc_id, path=child.path(), title=child.title,
                text=text, departments=offices, kind=child.kind, number=_number(child),
                values=dict(child.values), order=len(out), has_children=bool(child.children), lead=lead))
            walk(child, child_keys)

    walk(root, ())
    return out


def _offices(node: "Node", text: str, first_leads: bool) -> tuple[tuple[str, ...], str]:
    """A leaf's offices in written order and its lead office: the one its note says leads (牵头),
    else the first listed when the document says the first listed leads, else none."""
    if node.offices is not None:
        offices, lead = node.offices, node.lead
    else:
        notes = find_notes(text)
        offices = tuple(note_offices(text))
        lead = next((n.lead for n in notes if n.lead), "")
    if not lead and first_leads and offices:
        lead = offices[0]
    return offices, lead
