"""Follow-up questions read in the context of the conversation, without a language model.

A chatbot's users ask 「它的责任单位有哪些？」, 「那地理标志呢？」, 「那2016年呢？」, 「下一条呢？」. Each
is read against the previous turn — what that turn was read as and what it answered — by rules
about the *form* of follow-ups (anaphora, ellipsis, navigation, a changed column or row), never
about particular clauses or questions. A complete question ignores the history: context only
fills what the question leaves out. Every reading that context changed is returned, so the
answer can say how it read the question and a wrong reading is visible.

Stateless: the caller sends the earlier user turns; the engine answers the previous one (in its
own context) and hands it here as a `Turn`.

>>> from qa.records import Answer
>>> lone_topic("那地理标志呢？")
'地理标志'
>>> navigation("下一条呢？"), navigation("还有呢"), navigation("第3条呢"), navigation("下一步怎么做专利导航")
(('step', 1), ('more', 0), ('ordinal', 3), None)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .answer import citation
from .asked import asking
from .intents.cues import DEPARTMENT_CUES, has_any
from .intents.indicator import NUMBER_CUES, column_asked
from .intents.office import REVERSE_CUES
from .intents.overview import OVERVIEW_CUES, ORDINAL, ordinal
from .intents.search import is_latin
from .records import Answer, Clause

MAX_TURNS = 4        # earlier turns read for context: a conversation's last few, not its whole past

# ---------------------------------------------------------------- the forms of follow-ups
ANAPHORA = ("这条", "该条", "这一条", "此条", "这项", "该项", "这一项", "此项", "上面那条", "上面这条", "上述条款",
            "那条", "那一条", "这个条款", "该条款", "这个规定", "这件事", "这事", "此事", "它",
            "这块", "这一块", "那块", "那一块", "这方面", "那方面")
# 这个/那个 alone point back; 这个规划 / 这份文件 name the document, not the previous clause
BARE_THIS = re.compile(r"[这那]个(?!规划|文件|方案|意见|通知|纲要|办法|措施|政策)|^这(?=由|归|是|要|该|应)")
ANAPHORA_EN = re.compile(r"\b(this|that) (clause|item|one|measure|provision)\b|\bits\b|\bit\b")
OFFICE_ASPECT = DEPARTMENT_CUES + ("哪些单位", "什么单位", "指导部门", "牵头部门", "主管部门", "负责部门", "指导单位",
                                   "部门指导", "单位指导", "部门负责", "单位负责", "指导", "负责", "主管", "牵头",
                                   "部门", "offices", "departments", "agencies")
TEXT_ASPECT = ("原文", "全文", "具体内容", "内容", "讲的是什么", "讲什么", "说了什么", "说的是什么", "写了什么",
               "是什么", "具体", "full text", "text", "say", "content", "about")
PLACE_ASPECT = ("在哪", "哪一部分", "哪个部分", "哪部分", "位于", "位置", "出处", "属于", "哪一章", "哪一节", "where",
                "which part", "which section", "located")
NEXT = ("下一条", "下一项", "下一个", "下条", "后一条", "后面一条", "接下来一条", "next")
PREVIOUS = ("上一条", "上一项", "上一个", "前一条", "前面一条", "previous", "one before")
MORE = ("还有呢", "还有吗", "还有别的", "还有其他", "其他的呢", "别的呢", "还有哪些", "anything else", "what else",
        "any other", "more")
LEADS = ("那么", "那", "还有", "再问", "and what about", "what about", "how about", "and", "also", "then")
TAILS = ("呢", "吗", "呀", "啊", "怎么样", "如何")
ASPECTS = ANAPHORA + OFFICE_ASPECT + TEXT_ASPECT + PLACE_ASPECT
OWN_CUES = DEPARTMENT_CUES + NUMBER_CUES + OVERVIEW_CUES + REVERSE_CUES + (
    "怎么", "如何", "怎样", "为什么", "是否", "能不能", "可以", "要不要", "how", "what", "why", "which", "whether")
_PUNCT = re.compile(r"[\s?？!！。,，、:：;；\"'“”‘’()（）]+")


@dataclass(frozen=True)
class Turn:
    """The previous turn: what it was read as, and what it answered."""

    question: str
    answer: Answer


@dataclass(frozen=True)
class Reading:
    """How a question was read in context. `question` is the text to answer instead (a
    rewritten question), or `clause` is fixed by context with the `aspect` asked of it."""

    pattern: str
    question: str | None = None
    clause: Clause | None = None
    aspect: str = "text"               # offices | text | place
    context_ids: tuple[str, ...] = ()

    def describe(self) -> str:
        """The reading in words, for the answer's 「按上文理解为：…」.

        >>> c = Clause("d:一.1", "d", ("一、任务", "1.专利"), "专利", "1.专利。", number="一1")
        >>> Reading("same_clause", clause=c, aspect="offices").describe()
        '一、1「专利」的责任单位有哪些？'
        """
        if self.clause is None:
            return self.question or ""
        what = {"offices": "的责任单位有哪些？", "place": "在文件中的什么位置？", "text": "讲的是什么？"}[self.aspect]
        return f"{citation(self.clause)}{what}"


def bare(text: str) -> str:
    """The question without punctuation and spaces, lower-cased.

    >>> bare("那 2016年呢？")
    '那2016年呢'
    """
    return _PUNCT.sub("", text).lower()


def lone_topic(text: str) -> str:
    """What an elliptical follow-up is about: the question without its lead (那, and, what
    about) and tail (呢, 吗, ?).

    >>> lone_topic("And trademarks?"), lone_topic("专利呢")
    ('trademarks', '专利')
    """
    t = _PUNCT.sub(" ", text).strip().lower()
    changed = True
    while changed:
        changed = False
        for lead in LEADS:
            if t.startswith(lead) and (not lead.isascii() or t[len(lead):len(lead) + 1] in ("", " ")):
                t, changed = t[len(lead):].strip(), True
        for tail in TAILS:
            if t.endswith(tail):
                t, changed = t[: -len(tail)].strip(), True
    return t


def navigation(text: str) -> tuple[str, int] | None:
    """A request to move in the outline or down the list: ("step", ±1), ("more", 0) or
    ("ordinal", N); None when the question says more than that (see the module example)."""
    b = bare(text)
    rest = lone_topic(b)
    for cues, move in ((NEXT, ("step", 1)), (PREVIOUS, ("step", -1)), (MORE, ("more", 0))):
        for cue in cues:
            if cue in b and len(rest.replace(cue, "")) <= 3:
                return move
    m = ORDINAL.search(b)
    if m and len(rest.replace(m.group(0), "")) <= 3:
        return ("ordinal", ordinal(b))
    return None


def refers_back(text: str) -> bool:
    """Does the question point at the previous clause (这条, 它, this clause, its …)?

    >>> refers_back("它的责任单位有哪些"), refers_back("What does this clause say?"), refers_back("专利谁负责")
    (True, True, False)
    >>> refers_back("这由哪些部门负责"), refers_back("这是什么意思")
    (True, True)
    >>> refers_back("这个由哪个部门负责"), refers_back("发改委在这个规划里负责哪些工作")
    (True, False)
    """
    return has_any(text, ANAPHORA) or bool(BARE_THIS.search(text)) or bool(ANAPHORA_EN.search(text.lower()))


def aspect_of(text: str) -> str:
    """What is asked of a clause pointed at: its offices, its place, or (by default) its text.

    >>> aspect_of("它的责任单位有哪些"), aspect_of("这条在哪一部分"), aspect_of("这一条的原文是什么")
    ('offices', 'place', 'text')
    """
    low = text.lower()
    if has_any(low, OFFICE_ASPECT):
        return "offices"
    if has_any(low, PLACE_ASPECT):
        return "place"
    return "text"


def replace_topic(previous: str, previous_terms, topic: str) -> str | None:
    """The previous question with the span of its topic terms replaced by the new topic; None
    when none of its terms is found in it (e.g. it was asked in another language).

    >>> replace_topic("商标品牌建设谁负责？", ["商标", "品牌", "建设"], "地理标志")
    '地理标志谁负责？'
    """
    spans = [(m.start(), m.end()) for t in previous_terms if len(t) >= 2
             for m in re.finditer(re.escape(t), previous)]
    if not spans:
        return None
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return previous[:start] + topic + previous[end:]


def read(text: str, turn: Turn | None, segmenter, offices, outline, indicator_names=None,
         vocabulary=None) -> Reading | None:
    """How `text` reads after `turn`; None when it is complete on its own (the history is ignored).

    The order is the policy: moving in the outline (下一条, 第3条呢, 还有呢); pointing back at
    the previous clause (它的责任单位, 这一条的原文); another column or row of the previous
    indicator (那2016年呢, 有效注册商标数量呢); a lone topic or office in place of the previous
    one (那地理标志呢, 省公安厅呢, And trademarks?). A question with its own question words and
    topic is complete. `vocabulary` (the index's terms) tells a topic word from a filler
    (看看, 发我): only words the documents use count as content.
    """
    def content(t: str) -> list[str]:
        return [w for w in segmenter.tokens(ANAPHORA_EN.sub(" ", t))
                if len(w) >= 2 and (vocabulary is None or w in vocabulary)]

    if turn is None:
        bare_back = refers_back(text) and not content(_without(text.lower(), ASPECTS))
        return Reading("no_context") if navigation(text) is not None or bare_back else None
    prev = turn.answer
    top = prev.hits[0].clause if prev.hits else None
    plain = segmenter.plain_wording(text)
    both = text.lower() + " | " + plain
    used = (top.id,) if top is not None else ()
    move = navigation(text) or navigation(plain)
    if move is not None and top is not None:
        pattern = "more" if move[0] == "more" else "navigation"
        return Reading(pattern, clause=_moved(move, top, prev, outline), context_ids=used)
    if top is not None and (refers_back(text) or refers_back(plain)):
        if not content(_without(both, ASPECTS)):
            return Reading("same_clause", clause=top, aspect=aspect_of(both), context_ids=used)
        if prev.intent != "indicator":   # 它的数据从哪来 after an indicator: another of its columns
            return None
    if prev.intent == "indicator" and top is not None and top.kind == "indicator" \
            and not has_any(both, DEPARTMENT_CUES + REVERSE_CUES + OVERVIEW_CUES):
        reading = _indicator(both, segmenter, top, prev, outline, indicator_names or {})
        if reading is not None:
            return reading
    if has_any(both, OWN_CUES):
        return None
    topic = lone_topic(plain)
    elliptical = topic != _PUNCT.sub(" ", plain).strip().lower() or len(bare(text)) <= 8
    if not topic or not elliptical or not content(topic):
        return None
    named = offices.find_in(text) or offices.find_in(plain)
    if prev.intent == "office_reverse" and named:
        return Reading("office", question=f"{named[0]}负责哪些工作？", context_ids=used)
    # the previous wording takes the new topic when it is Chinese (the topic is in the documents'
    # words); an English question's terms are not where its Chinese tokens would be
    question = (None if is_latin(turn.question) else replace_topic(turn.question, segmenter.tokens(turn.question), topic)) \
        or _frame(prev.intent, topic)
    return Reading("topic", question=_still_asking(question, turn.question), context_ids=used)


_INTERROGATIVE = re.compile(r"多|几|什么|何|哪|how|when|deadline")


def _still_asking(question: str, previous: str) -> str:
    """The rewritten question asks for the figure the previous one asked for (多久, 什么时候,
    how much), when the rewriting lost its words: 「多久修订一次？」 then 「那教材呢？」 asks how often
    the textbooks are revised.

    >>> _still_asking("教材?", "专业目录多久修订一次？"), _still_asking("商标?", "专利谁负责？")
    ('教材多久?', '商标?')
    """
    before = asking(previous)
    if before is None or not _INTERROGATIVE.search(before[1]) or asking(question) is not None:
        return question   # 投资比例限制吗 names a rate but asks yes or no
    stripped = question.rstrip("?？ ")
    return stripped + (" " if is_latin(before[1]) else "") + before[1] + question[len(stripped):]


def _moved(move: tuple[str, int], top: Clause, prev: Answer, outline) -> Clause | None:
    kind, n = move
    if kind == "step":
        return outline.step(top, n)
    if kind == "more":
        return next((h.clause for h in prev.hits[1:] if h.clause.id != top.id), None)
    pool = outline.children(top) if top.has_children else outline.siblings(top)
    return pool[n - 1] if n and 1 <= n <= len(pool) else None


def _without(text: str, cues) -> str:
    for cue in sorted(set(cues), key=lambda c: (-len(c), c)):   # the same order in every process
        text = text.replace(cue, " ")
    return text


def _indicator(both: str, segmenter, top: Clause, prev: Answer, outline, names: dict) -> Reading | None:
    """Another column of the same row, or the same column of another row."""
    tokens = set(segmenter.tokens(both))
    best, best_cov = None, 0.0
    for row in outline.indicators:
        weights = names.get(row.id) or {}
        total = sum(weights.values())
        cov = sum(w for t, w in weights.items() if t in tokens) / total if total else 0.0
        if cov > best_cov:
            best, best_cov = row, cov
    named_row = best if best_cov >= 0.5 else None
    column = column_asked(both, list(top.values))
    if named_row is not None and column is not None:
        return None  # row and column both asked: complete on its own
    previous_column = (prev.decision.features.get("column") if prev.decision is not None else None)
    if named_row is not None and named_row.id != top.id:
        row, column = named_row, previous_column
    elif column is not None and named_row is None:
        row = top
    else:
        return None
    name = re.sub(r"\(.*?\)", "", row.title).strip()
    cell = "" if column is None else (f"{column}年" if column.isdigit() else column)
    return Reading("indicator", question=f"{name}{cell}是多少？", context_ids=(top.id,))


def _frame(intent: str, topic: str) -> str:
    """A question about `topic` in the form of the previous answer's intent, when the previous
    question's own wording cannot take the new topic."""
    if intent == "department":
        return f"{topic}由哪些部门负责？"
    if intent == "indicator":
        return f"{topic}是多少？"
    return f"{topic}有哪些规定？"
