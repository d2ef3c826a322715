"""Overview questions: "what are the main tasks?", "what does the preamble say?", "第3条 of 重点工程".

Mine when the question names a heading (a part, section, principle or the table) and asks what
it contains, or asks for the preamble; "第N条" after a heading picks its N-th child. Whole
headings beat pieces of headings (指导思想 beats 指导思想、基本原则和…).

>>> ordinal("重点工程第3条")
3
"""
from __future__ import annotations

import re

from .. import answer as compose
from ..parse import CN_NUM, cn_to_int
from ..records import Answer, Clause, Hit
from .cues import has_any

OVERVIEW_CUES = ("有哪些", "包括", "哪几", "哪些方面", "主要内容", "概况", "概述", "总体", "整体", "是什么",
                 "什么样", "讲了什么", "讲什么", "说了什么", "内容", "what are", "overview", "summary",
                 "summar", "list", "main", "what is", "outline", "说了啥", "讲了啥", "讲啥", "说啥", "都有啥", "有啥",
                 "包括啥", "啥内容", "都说了", "都讲了", "干些啥", "干啥", "些啥", "捋一捋", "捋捋", "讲了哪些",
                 "讲哪些", "说了哪些", "怎么部署", "如何部署", "部署了哪些", "怎么安排", "如何安排")
# the user points at a part of the document by the word just before these (人力资源这块儿,
# 双元育人那部分): that one word of its heading is enough to name it
PART_CUES = re.compile(r"(?:这|那)(?:一|个)?(?:块|部分)")
PREAMBLE_CUES = ("前言", "序言", "引言", "开头", "开篇", "第一段", "依据什么", "根据什么", "依据哪些",
                 "为什么制定", "制定依据", "preamble", "introduction", "opening", "based on", "basis")
ORDINAL = re.compile(rf"第([{CN_NUM}]+|\d+)(?:条|项|点|个)")


def ordinal(text: str) -> int | None:
    """The N of a "第N条/项/点/个" in the text.

    >>> ordinal("第三项"), ordinal("没有序号")
    (3, None)
    """
    m = ORDINAL.search(text)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))


def container_asked(s) -> Clause | None:
    """The heading (or its N-th child, or the preamble) the question asks about, if any."""
    spaced, text = s.q.lowered, s.q.lowered.replace(" ", "")
    outline = s.outline
    if has_any(spaced, PREAMBLE_CUES) and outline.preamble is not None:
        return outline.preamble
    if not has_any(spaced, OVERVIEW_CUES) and not ORDINAL.search(text):
        return None
    best = outline.heading_in(text) or heading_by_words(s) or heading_pointed_at(s)
    if best is None:
        return whole_document(s)
    head = best.title[:4]
    n = ordinal(text[text.find(head):] if head in text else text)
    if n is not None and best.has_children:
        kids = outline.children(best)
        if 1 <= n <= len(kids):
            return kids[n - 1]
    return best


_TITLE_WORDS: dict[str, tuple[str, ...]] = {}
MIN_SHARED = 2          # words a question must share with a heading it names in other words
MIN_HEADING_SHARE = 0.5  # and the share of the heading's term weight they carry


def heading_by_words(s) -> Clause | None:
    """The heading a question names in its own order of words (财税方面有哪些激励 → 强化财税正向激励):
    the heading with children whose title words the question holds most of, by term weight —
    at least MIN_SHARED words and MIN_HEADING_SHARE of the title's weight."""
    asked = {t for t in s.q.tokens if len(t) > 1}
    best, best_key = None, (0.0, 0)
    for h, words in _parts(s):
        shared = [w for w in words if w in asked]
        if len(shared) < MIN_SHARED:
            continue
        weight = {w: s.retriever.term_weight(w, s.settings) for w in words}
        share = sum(weight[w] for w in shared) / (sum(weight.values()) or 1.0)
        key = (share, len(shared))
        if share >= MIN_HEADING_SHARE and key > best_key:
            best, best_key = h, key
    return best


def heading_pointed_at(s) -> Clause | None:
    """The part a question points at by the word before 这块/那部分 (人才那部分讲了哪些,
    保护这块儿都打算干些啥): the one heading of the outline (not a table) holding that word.
    Several → none (the word does not name one part); 农业这块 with no heading of 农业 → none."""
    m = PART_CUES.search(s.q.text)
    if m is None:
        return None
    before = [t for t in s.segmenter.tokens(s.q.text[:m.start()]) if len(t) > 1]
    if not before:
        return None
    holding = [h for h, words in _parts(s) if before[-1] in words and h.kind != "table"]
    return holding[0] if len(holding) == 1 else None


def _parts(s):
    """(heading, its title words) of every heading with children."""
    for h in s.outline.headings:
        if h.has_children:
            words = _TITLE_WORDS.get(h.id)
            if words is None:
                words = _TITLE_WORDS[h.id] = tuple(dict.fromkeys(t for t in s.segmenter.tokens(h.title) if len(t) > 1))
            yield h, words


def whole_document(s) -> Clause | None:
    """"What does this document say?" about one document of a library that the question names
    (by number, title or abbreviation) with no topic of its own: the document itself, whose
    contents are its parts."""
    if not s.doc_outlines or len(s.library_docs) != 1 or not s.library.parts:
        return None
    doc = s.library_docs[0]
    title = s.library.titles.get(doc, doc)
    rest = s.q.text
    for name in sorted(s.doc_names.get(doc, ()), key=len, reverse=True):
        rest = rest.replace(name, " ")
    if [t for t in s.segmenter.tokens(rest) if len(t) > 1 and t in s.retriever.bm25.vocab and t not in _ASKING]:
        return None
    return Clause(f"{doc}:", doc, (title,), title, title, kind="document", has_children=True)


_ASKING = frozenset(("主要", "内容", "讲", "说", "哪些", "方面", "文件", "措施", "意见", "通知", "方案", "规划"))


def answer(s) -> Answer | None:
    if s.asks_department:
        return None
    container = container_asked(s)
    if container is None:
        return None
    if container.kind == "document":
        return compose.overview_answer(s.q.raw, container, list(s.library.parts), s.k)
    if container.has_children:
        return compose.overview_answer(s.q.raw, container, s.outline.children(container), s.k)
    rest = [h for h in s.hits(s.candidates, s.k) if h.clause.id != container.id]
    return compose.clause_answer(s.q.raw, "overview", [Hit(container, 1.0)] + rest[: s.k - 1], True)
