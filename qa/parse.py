"""Turn the text of a Chinese government plan into a `Document` of `Clause` records.

Plans share one outline: a title, a preamble, parts 一、, sections (一), items 1., principles
——坚持…, an indicator table laid out one cell per line, and responsible offices in
(责任单位:…) or (A、B负责). Nothing here knows a particular plan: the same code reads any
document of the genre. Shortcuts: page chrome is recognised by shape (short lines without
sentence punctuation outside the outline), not by a list of site phrases; a numbering that
restarts gets a suffixed id rather than an error.
"""
from __future__ import annotations

import re
from .clausetree import Node, short_title, split_measures, to_clauses
from .docmeta import ATTACHMENT, ATTACHMENT_TITLED, body_end, read_header
from .listings import (NUMERIC, column_name, header_at, indicator_at, number_rows, office_columns, row_offices,
                       table_cells, table_rows)
from .office_notes import LABELLED, split_names
from .records import Document
from .textnorm import fold, squeeze

CN_NUM = "一二三四五六七八九十"
PART = re.compile(rf"^([{CN_NUM}]+)、\s*(.*)$")
SECTION = re.compile(rf"^\(([{CN_NUM}]+)\)\s*(.*)$")
ITEM = re.compile(r"^(\d{1,2})[.、](?!\d)\s*(.*)$")
PRINCIPLE = re.compile(r"^(?:——|—|--)\s*(\S.*)$")
# chapters and their sections (第三章 重点任务 / 第一节 提升创新能力), above the 一、 parts inside them
CHAPTER = re.compile(rf"^第([{CN_NUM}百]+)章\s*(.*)$")
JIE = re.compile(rf"^第([{CN_NUM}百]+)节\s*(.*)$")
ARTICLE = re.compile(rf"^第([{CN_NUM}百]+)条\s*(.*)$")   # the articles of a 办法 or 规定
# a box of a national plan (专栏1 知识产权法律完善工程): projects listed apart from the text around it
BOX = re.compile(r"^专栏\s*(\d{1,2}|[一二三四五六七八九十]+)\s*[:：]?\s*(.*)$")
TERMINAL = tuple("。!?;:)」”…")
SENTENCE_END = tuple("。!?;)」”…")
TITLE_END = re.compile(r"[。;:!?]")
NOTES = re.compile(r"^注\s*:\s*$")
# a document that says its first-listed office leads (排在第一位的部门为牵头部门)
FIRST_LEADS = re.compile(r"(?:排在?第一(?:位|个)?|排序第一|位列第一|列第一位?|排名第一|排名首位|排在首位)的?"
                         r"(?:部门|单位)?(?:为|是)牵头")


class ParseError(ValueError):
    """The text has no outline this parser recognises; the message says what was expected."""


def cn_to_int(numeral: str) -> int:
    """A Chinese numeral from 一 to 九十九 as an int.

    >>> cn_to_int("十二"), cn_to_int("九"), cn_to_int("二十")
    (12, 9, 20)
    """
    digits = {c: i + 1 for i, c in enumerate(CN_NUM)}
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + digits[numeral[1]]
    if len(numeral) == 3 and numeral[1] == "十":
        return digits[numeral[0]] * 10 + digits[numeral[2]]
    if len(numeral) == 2 and numeral[1] == "十":
        return digits[numeral[0]] * 10
    return digits[numeral]


def int_to_cn(n: int) -> str:
    """The inverse of cn_to_int for 1..99.

    >>> int_to_cn(12), int_to_cn(20)
    ('十二', '二十')
    """
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUM[tens - 1]
    return head + "十" + (CN_NUM[ones - 1] if ones else "")


def _marker(line: str):
    for kind, pattern in (("part", PART), ("section", SECTION), ("item", ITEM), ("principle", PRINCIPLE),
                          ("notes", NOTES), ("box", BOX), ("chapter", CHAPTER), ("jie", JIE),
                          ("article", ARTICLE)):
        m = pattern.match(line)
        if m:
            return kind, m
    return None


def _is_heading_only(line: str) -> bool:
    return _marker(line) is not None and len(line) <= 40 and not TITLE_END.search(line)


def join_broken_lines(lines: list[str]) -> list[str]:
    """Join lines a web page broke inside a sentence; blank lines separate paragraphs.

    Only a line of 20+ characters is continued: a shorter unpunctuated line may be a heading or
    page chrome, so it stays on its own.
    >>> join_broken_lines(["充分发挥市场在资源配置中的决定性作用,更好发", "挥政府作用。"])
    ['充分发挥市场在资源配置中的决定性作用,更好发挥政府作用。']
    >>> join_broken_lines(["发挥市场对资源配", "置的作用。"])
    ['发挥市场对资源配', '置的作用。']
    """
    out: list[str] = []
    prev_blank = True
    for line in lines:
        if not line:
            prev_blank = True
            continue
        if (out and not prev_blank and not out[-1].endswith(TERMINAL) and len(out[-1]) >= 20
                and not _is_heading_only(out[-1]) and _marker(line) is None):
            out[-1] += line
        else:
            out.append(line)
        prev_blank = False
    return out


def _locate_body(lines: list[str]) -> int:
    """Index of the first outline line."""
    start = next((i for i, l in enumerate(lines) if PART.match(l) and PART.match(l).group(1) == "一"), None)
    if start is None:
        start = next((i for i, l in enumerate(lines) if SECTION.match(l) or ITEM.match(l)), None)
    chapter = next((i for i, l in enumerate(lines) if (CHAPTER.match(l) and CHAPTER.match(l).group(1) == "一")
                    or (ARTICLE.match(l) and ARTICLE.match(l).group(1) == "一")), None)
    if chapter is not None and (start is None or chapter < start):
        start = chapter   # a plan in chapters: its 一、 parts are inside them
    if start is None:
        raise ParseError("no outline found: expected headings such as 一、 (一) or 1.")
    return start


def join_bare_markers(lines: list[str]) -> list[str]:
    """A marker alone on its line ((四), 一、) takes the short label lines below it as its heading,
    as tables laid out one cell per line write it.

    >>> join_bare_markers(["(十四)", "", "医务人员", "", "满意度", "", "55.医务人员满意度▲"])
    ['(十四)医务人员满意度', '', '', '', '', '', '55.医务人员满意度▲']
    """
    out = list(lines)
    for i, line in enumerate(out):
        found = _marker(line)
        if found is None or found[0] not in ("part", "section") or found[1].group(2):
            continue
        j = i + 1
        while j < len(out) and (not out[j] or (len(out[j]) <= 10 and not TITLE_END.search(out[j])
                                                 and _marker(out[j]) is None and not NUMERIC.match(out[j]))):
            if out[j]:
                out[i] += out[j]
                out[j] = ""
            j += 1
    return out


def parse_document(text: str, doc_id: str) -> Document:
    """Parse a plan's text into clauses; raises ParseError when no outline is recognisable.

    >>> text = "某省知识产权规划\\n一、主要任务\\n1.加强执法。(责任单位:省科技厅、省公安厅)"
    >>> doc = parse_document(text, "d")
    >>> doc.title, [(c.id, c.number, c.departments) for c in doc.clauses]
    ('某省知识产权规划', [('d:一', '一', ()), ('d:一.1', '一1', ('省科技厅', '省公安厅'))])
    """
    lines = join_bare_markers([squeeze(l) for l in fold(text).splitlines()])
    start = _locate_body(lines)
    header = read_header(lines, start)
    title_at = header.title_at
    title = header.title or doc_id
    preamble = [l for l in join_broken_lines(lines[title_at + 1:start]) if l.endswith(TERMINAL) and len(l) >= 20]
    if preamble and preamble[0].endswith(":") and "。" not in preamble[0]:
        preamble = preamble[1:]  # the addressees (各省、自治区、直辖市人民政府,…:) are not the preamble

    root = Node("root", "", "", title, None)
    pre = Node("preamble", "序", "前言", "前言", root, paragraphs=preamble)
    if preamble:
        root.children.append(pre)
    end, marks = body_end(lines, start)
    _read_outline(lines[start:end], root, root)
    for n, at in enumerate(marks):
        stop = marks[n + 1] if n + 1 < len(marks) else len(lines)
        m = ATTACHMENT.match(lines[at].replace(" ", "")) or ATTACHMENT_TITLED.match(lines[at])
        written = m.group(1) if m else ""
        _read_attachment(lines[at:stop], root, "附件" if len(marks) == 1 else f"附件{written or n + 1}")
    if not any(c.kind not in ("preamble", "attachment") for c in root.children):
        raise ParseError("no outline found: expected headings such as 一、 (一) or 1.")
    split_measures(root)
    first_leads = bool(FIRST_LEADS.search(fold(text)))
    return Document(doc_id, title, tuple(to_clauses(root, doc_id, first_leads)), number=header.number,
                    date=header.date, issuer=header.issuer, notice=header.notice)


def _read_attachment(lines: list[str], root: "Node", key: str) -> None:
    """An attachment after the body: its title, then an outline, a 序号 table or an indicator list.
    `lines` opens with its marker (附件2), its marker and title (附件2:标题) or its title alone."""
    titled = ATTACHMENT_TITLED.match(lines[0]) if lines else None
    i = 1 if titled or (lines and ATTACHMENT.match(lines[0].replace(" ", ""))) else 0
    while i < len(lines) and not lines[i]:
        i += 1
    j = i
    if not titled:
        j = i + 1 if i < len(lines) and _marker(lines[i]) is None and not lines[i].endswith(TERMINAL) else i
        while i < j < len(lines) and lines[j] and _marker(lines[j]) is None and not lines[j].endswith(TERMINAL) \
                and header_at(lines, j) is None and j - i < 3:
            j += 1
    name = titled.group(2) if titled else "".join(lines[i:j]) or key
    node = Node("attachment", key, f"{key}:{name}", name, root)
    root.children.append(node)
    _read_outline(lines[j:], node, root)


def _read_outline(body: list[str], top: "Node", root: "Node") -> None:
    """Place the lines of a body (or an attachment under `top`) in the outline."""
    current: Node = top
    i = 0
    logical: list[tuple[str, object]] = []
    columns: list[str] = []
    while i < len(body):
        if not body[i]:
            logical.append(("line", ""))
            i += 1
            continue
        compact = body[i].replace(" ", "")
        # the table is cut out first so that its cells are never joined into paragraphs
        if compact.startswith("指标") and len(compact) <= 12 and not TITLE_END.search(compact):
            cells, j = table_cells(body, i, lambda l: _marker(l) is not None)
            if top is root or number_rows(cells)[1]:   # in an attachment, only a table of numbers
                logical.append(("table", cells))
                i = j
                continue
        head = header_at(body, i) if top is not root and not _marker(body[i]) else None
        if head is not None:
            columns, i = head
            if columns[0] == "序号":
                rest = body[i:]
                cut = next((k for k, l in enumerate(rest) if NOTES.match(l)), len(rest))
                logical.extend(("row", (columns, r)) if not isinstance(r, str) else ("line", r)
                               for r in table_rows(columns, rest[:cut]))
                i += cut
            continue
        found = indicator_at(body, i, columns) if ITEM.match(body[i]) else None
        if found is not None:
            logical.append(("indicator", found))
            i = found.end
            continue
        logical.append(("line", body[i]))
        i += 1

    pending: list[str] = []
    tables = 0

    def flush():
        nonlocal current
        for para in join_broken_lines(pending):
            current = _attach(para, current, root)
        pending.clear()

    for kind, payload in logical:
        if kind == "line":
            pending.append(payload)
            continue
        if kind == "indicator":
            flush()
            node = _attach(payload.line, current, root)
            node.kind, node.title, node.values, node.paragraphs = "indicator", payload.name, payload.values, []
            node.heading = f"{node.key}.{payload.name}"
            current = node
            continue
        if kind == "row":
            flush()
            current = _add_row(*payload, current)
            continue
        # the table's caption is the short unpunctuated line just before it
        caption = "主要指标"
        while pending and not pending[-1]:
            pending.pop()
        if pending and not pending[-1].endswith(TERMINAL) and "指标" in pending[-1]:
            caption = pending.pop()
        flush()
        tables += 1
        header, rows = number_rows(payload)
        anchor = current
        while anchor.parent is not None and anchor.kind not in ("part", "attachment", "root"):
            anchor = anchor.parent
        key = "指标" if tables == 1 else f"指标{tables}"
        table = Node("table", key, caption, caption, anchor)
        anchor.children.append(table)
        for n, row in enumerate(rows, 1):
            values = {column_name(h): v for h, v in zip(header[1:], row[1:])}
            table.children.append(Node("indicator", str(n), row[0], row[0], table, values=values))
    flush()


def _add_row(columns: list[str], row, current: "Node") -> "Node":
    """A row of a 序号 table becomes an item under its group; its offices are its office cells."""
    parent = current
    while parent.kind not in ("part", "attachment", "root"):
        parent = parent.parent
    names = list(row.values)
    name = row.values.get(names[0], "") if names else ""
    office_cols = office_columns(columns)
    body = [v for k, v in row.values.items() if k != names[0] and k not in office_cols]
    text = f"{row.serial}.{name}。" + "".join(v if v.endswith(TERMINAL) else v + "。" for v in body[:1])
    notes = ";".join(f"{k}:{v}" for k, v in row.values.items() if k != names[0] and v not in body[:1])
    if notes:
        text += f"({notes})"
    node = Node("item", row.serial, f"{row.serial}.{name}", name, parent, paragraphs=[text],
                values=dict(row.values))
    if office_cols:
        node.offices, node.lead = row_offices(row.values, split_names)
    parent.children.append(node)
    return node


def _attach(para: str, current: "Node", root: "Node") -> "Node":
    """Place one paragraph in the outline and return the node later paragraphs continue."""
    found = _marker(para)
    if (found is None and not para.endswith(SENTENCE_END) and (len(para) < 20 or not para.endswith(":"))
            and not LABELLED.match(para)):
        return current  # page chrome ("编辑:", "版权所有 | 网站地图"): not a sentence (an office line is kept)
    if found is None or (found[0] == "principle" and current.kind == "root"):
        target = current if current.kind != "root" else root
        if target is root:
            pre = next((c for c in root.children if c.kind == "preamble"), None)
            if pre is None:
                pre = Node("preamble", "序", "前言", "前言", root)
                root.children.insert(0, pre)
            pre.paragraphs.append(para)
            return root
        target.paragraphs.append(para)
        return target
    kind, m = found
    levels = {"chapter": 0.2, "jie": 0.5, "part": 1, "notes": 1, "section": 2, "box": 2, "item": 3, "principle": 3,
              "indicator": 3, "article": 0.8}   # an article's own (一) items stay inside it
    parent = current
    while parent.kind not in ("root", "attachment") and levels.get(parent.kind, 0) >= levels[kind]:
        parent = parent.parent
    if kind == "notes":
        key, marker = "注", "注"
    elif kind == "part":
        key, marker = m.group(1), f"{m.group(1)}、"
    elif kind == "section":
        key, marker = m.group(1), f"({m.group(1)})"
    elif kind == "item":
        key, marker = m.group(1), f"{m.group(1)}."
    elif kind == "box":
        key = marker = f"专栏{m.group(1)}"
    elif kind in ("chapter", "jie", "article"):
        key = marker = f"第{m.group(1)}{ {'chapter': '章', 'jie': '节', 'article': '条'}[kind] }"
    else:
        key, marker = str(sum(c.kind == "principle" for c in parent.children) + 1), "——"
    rest = m.group(m.lastindex) if m.lastindex else ""
    title = short_title(rest) if rest else marker
    heading = marker + title if rest else marker
    node = Node(kind, key, heading, title, parent, paragraphs=[para])
    parent.children.append(node)
    return node
