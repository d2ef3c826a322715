"""Is a question inside what the corpus can answer at all? Answer types and named things.

Two corpus-checked tests, before any score threshold:
- expected answer type: a question asking for a phone number, an address, a web site, a fee, a
  duration, a procedure, a statute article or a named official can only be answered by a corpus
  that contains such things; each type pairs its question cues with a pattern that finds
  evidence of that type in the corpus text. A plan with a hotline number answers hotline questions.
- named things and periods: a place or organisation (jieba's ns/nt tags), a year, or a plan period
  (十四五) that the corpus never mentions means the question is about something else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .places import NOT_REGIONS, posseg as _posseg
from .textnorm import fold


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
PERIOD = re.compile(r"十[一二三四五六七八九]五")
_BRACKETED_YEAR = re.compile(r"[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]")


@dataclass(frozen=True)
class AnswerType:
    name: str
    cues: tuple[str, ...]
    evidence: re.Pattern


ANSWER_TYPES = (
    AnswerType("phone", ("电话", "号码", "热线", "联系方式", "phone", "hotline", "contact number"),
               re.compile(r"\d{3,4}-\d{7,8}|电话[:：]")),
    AnswerType("address", ("地址", "在哪里", "在哪儿", "在哪个城市", "位置", "怎么去", "address",
                           "where is", "located"), re.compile(r"地址[:：]|[路街]\d+号")),
    AnswerType("website", ("网址", "网站", "链接", "官网", "website", "url", "web site"),
               re.compile(r"https?://|www\.")),
    AnswerType("fee", ("多少钱", "收费", "费用", "价格", "申请费", "奖金", "补贴标准", "补贴多少", "fee", "cost",
                       "price", "how much money", "bonus", "subsidy"),
               re.compile(r"\d+(?:\.\d+)?\s*(?:元|万元)(?![)）])|收费标准")),
    AnswerType("duration", ("多久", "多少天", "多长时间", "几天", "周期", "多长", "判几年", "几年刑",
                            "how long", "how many days"),
               re.compile(r"(?<!\d)\d{1,3}\s*(?:个工作日|天|日内|个月|小时|周)|(?<!\d)\d{1,2}\s*年(?:内|以上|以内|为|1次)")),
    AnswerType("procedure", ("哪些材料", "什么材料", "准备材料", "办理流程", "申请流程", "什么流程", "流程是", "手续", "怎么申请",
                             "如何申请", "报名", "怎么办理", "去哪儿办", "what documents", "which documents",
                             "how to apply", "procedure", "register for"),
               re.compile(r"申请材料|办理流程|提交.{0,10}材料|报名时间")),
    AnswerType("statute", ("法第", "条例第", "哪条法律", "法律第", "第几条规定", "法律条款", "which article of"),
               re.compile(r"第[一二三四五六七八九十百\d]+条")),
    AnswerType("person", ("局长", "厅长", "主任是谁", "负责人是谁", "叫什么名字", "director", "minister"),
               re.compile(r"(?:局长|厅长|主任)[\u4e00-\u9fff]{2,3}[,，。]")),
)


@lru_cache(maxsize=1)
def _syllables() -> frozenset:
    """Every pinyin syllable (~0.1 s, once a process: every document's scope shares it)."""
    every_han = "".join(chr(c) for c in range(0x4E00, 0x9FA6))
    return frozenset(s for s in lazy_pinyin(every_han) if s.isalpha())


class Scope:
    """Built once per corpus; `outside(question)` says why a question is out of scope, or None."""

    def __init__(self, corpus_text: str, known_names=(), known_english=(), vocabulary=None):
        self.text = corpus_text
        self.vocabulary = vocabulary  # the corpus's tokens (BM25 vocabulary), to find its places cheaply
        self.english = {w.lower() for name in known_english for w in re.findall(r"[A-Za-z]+", name)}
        self._toned: set[str] | None = None
        self._places: set[str] | None = None
        self.names = "\n".join(known_names)
        self._name_list: list[str] | None = None  # office aliases: 食药监局 is not in the text, yet known
        self.types = [t for t in ANSWER_TYPES if not t.evidence.search(corpus_text)]
        # a year the plan speaks of: "2020年", or a column of its tables — not 中国制造2025
        self.years = set(re.findall(r"((?:19|20)\d{2})(?=年)", corpus_text)) | set(
            re.findall(r"[:;]((?:19|20)\d{2}) ", corpus_text))  # indicator columns: "…:2015 2.6;2016 3.36"
        self.periods = set(PERIOD.findall(corpus_text))

    def outside(self, question: str, original: str | None = None, who: bool = False) -> str | None:
        """Why `question` is outside the corpus ("year 2025", "asks for a phone …"), or None.

        >>> scope = Scope("到2020年,专利申请量达到3万件。")
        >>> scope.outside("2025年的目标"), scope.outside("2020年的目标")
        ('year 2025', None)
        >>> scope.outside("专利申请的咨询电话是多少")
        'asks for a phone, which the plan does not give'
        """
        lowered = question.lower()
        # "who handles the fees" asks for an office, not a fee; "who is its director" for a person
        for t in (t for t in self.types if not who or t.name == "person"):
            if any(self._asks(lowered, c) for c in t.cues):
                return f"asks for a {t.name}, which the plan does not give"
        for m in _YEAR.finditer(_BRACKETED_YEAR.sub(" ", question)):  # 国发〔2019〕4号 names a document
            context = question[m.start() - 2:m.end()] if m.start() >= 2 else ""  # 中国制造2025: a name
            if m.group() not in self.years and not (context and context in self.text):
                return f"year {m.group()}"
        for p in PERIOD.findall(question):
            if p not in self.periods:
                return f"plan period {p}"
        for word in re.findall(r"(?<=[A-Za-z,;:] )([A-Z][a-z]{3,})(?:'s)?\b", original or question):
            if self._is_unknown_place(word.lower()):
                return f"{word} is not mentioned in the plan"
        for name in self._names_in(question):  # 规划里省金融办: 里省 is no place
            question = question.replace(name, " ")
        # Places and organisations only, and only as the user wrote them: the dictionary's person
        # names are too often common nouns (许可证) or guesses at a mistyped word (融资单保机构), and
        # the words the glossary puts for an English question (benefits → 惠及) are none the user named.
        written = fold(original or question).lower()
        for word in _posseg().lcut(question):
            if word.flag in ("ns", "nt") and len(word.word) >= 2 and word.word not in self.text \
                    and word.word not in self.names and word.word not in NOT_REGIONS and word.word in written \
                    and not self._sounds_like_its_own(word.word):
                return f"{word.word} is not mentioned in the plan"
        return None

    def _asks(self, lowered: str, cue: str) -> bool:
        """Does the question use `cue` to ask, not as part of a phrase the documents use
        (全生命周期 holds 周期, 担保收费 holds 收费: the topic, not a period or a fee asked for)?"""
        at = lowered.find(cue)
        while at >= 0:
            if cue.isascii() or at < 2 or lowered[at - 2:at + len(cue)] not in self.text:
                return True
            at = lowered.find(cue, at + 1)
        return False

    def _names_in(self, question: str) -> list[str]:
        """The office names (any alias) the question contains, longest first."""
        if self._name_list is None:
            self._name_list = sorted({n for n in self.names.split("\n") if len(n) >= 2}, key=lambda n: (-len(n), n))
        return [n for n in self._name_list if n in question]

    def _sounds_like_its_own(self, word: str) -> bool:
        """Is the word a slip for a place the text names — the same syllables and tones, and no
        place of the dictionary itself (郑洲 for 郑州, but 陕西 is not 山西)? Then it is the text's
        place, mistyped, not another place."""
        if _posseg().dt.word_tag_tab.get(word) == "ns":
            return False
        if self._toned is None:
            self._toned = {"".join(lazy_pinyin(p, style=Style.TONE3)) for p in self._place_words()}
        return "".join(lazy_pinyin(word, style=Style.TONE3)) in self._toned

    def _place_words(self) -> set[str]:
        """The places the text names (the dictionary's ns words among its terms)."""
        tags = _posseg().dt.word_tag_tab  # the general dictionary's part-of-speech tags
        if self.vocabulary is not None:
            return {w for w in self.vocabulary if tags.get(w) == "ns"}
        return {w.word for w in _posseg().cut(self.text) if w.flag == "ns"}

    def _is_unknown_place(self, word: str) -> bool:
        """A capitalised English word that reads as pinyin (Guangdong, Liaoning) names a Chinese
        place; unless the plan names that place (Jilin, Changchun), the question is elsewhere."""
        if self._places is None:
            self._places = set()
            for p in self._place_words():
                for name in (p, p[:-1] if p[-1:] in "省市县区州" and len(p) > 2 else p):
                    self._places.add("".join(lazy_pinyin(name)))
        if word in self._places or word in self.english:
            return False
        ok = [True] + [False] * len(word)  # can the word be cut into known syllables?
        for i in range(len(word)):
            if ok[i]:
                for j in range(i + 1, min(len(word), i + 6) + 1):
                    if word[i:j] in _syllables():
                        ok[j] = True
        return ok[len(word)]
