"""The library's catalogue: which document a filter or a question names, and by how much.

Why a module of its own: a library of many documents needs one place that knows documents by
the names people use — a file name, a number such as 国发〔2019〕4号 (written with any brackets),
the title or the subject words of the title (职业教育, 融资担保), an abbreviation the document
defines itself (「以下简称自贸试验区」), and the kind of document (规划, 方案, 意见, 通知). The
engine uses it twice: to resolve the `doc` filter of the CLI, API and UI, and to find the
documents a question is about, so an answer is taken from them and not from another document
that happens to share its words. Nothing here knows a particular document: the words come from
the corpus's titles and texts.

Example:
>>> docs = [Entry("a", "国家职业教育改革实施方案", "国发〔2019〕4号"),
...         Entry("b", "关于支持自由贸易试验区深化改革创新若干措施的通知", "国发〔2018〕38号", ("自贸试验区",))]
>>> cat = Catalogue(docs)
>>> cat.resolve("国发[2019]4号"), cat.resolve("b"), cat.resolve("自由贸易试验区")
('a', 'b', 'b')
>>> cat.named_exactly("自贸试验区这份文件里商务部负责什么"), cat.named_in("职业教育的老师")
(('b',), ('a',))
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .textnorm import fold

# Words of the genre's titles that say what kind of document it is or how it acts, not what it
# is about: they never tell one document from another.
TITLE_FUNCTION_WORDS = frozenset("""
国务院 办公厅 国务院办公厅 人民政府 人民政府办公厅 省人民政府 政府 关于 印发 转发 的 通知 意见 指导意见 实施意见 若干 措施 若干措施 实施 方案
实施方案 规划 纲要 办法 决定 通告 批复 有关 进一步 加强 推进 推动 全面 深化 切实 有效 发挥 作用
支持 促进 加快 完善 建立 健全 开展 做好 工作 相关 第二批 第一批 第三批 和 与 及 在 领域 部门 联合
改革 创新 发展 建设 保护 运用 提高 提升 推行 推广 举措 重点 任务 国家
""".split())
# the kind of a document, as a question may name it (这个规划 / the plan) → the title words that show it
KINDS = {"规划": ("规划", "plan"), "方案": ("方案", "programme", "program", "scheme"),
         "意见": ("意见", "opinion", "guideline"), "通知": ("通知", "notice", "circular"),
         "纲要": ("纲要", "outline"), "措施": ("措施", "measures"), "办法": ("办法", "measures")}
# a kind word used as the name of the document: 这个规划 / 本规划 / 规划里 / 规划的…, not 统筹规划
_KIND_AS_DOCUMENT = (r"(?:这个|这份|这部|本|该|此|那个|那份)\s*{kind}|^{kind}"
                     r"|(?:^|[在从按据照、，,。？?\s]){kind}(?:里|中|当中|内|提出|提到|规定|要求|写|说|讲|的)")
_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,8}?)\s*[〔\[【(（]?\s*((?:19|20)\d{2})\s*[〕\]】)）]?\s*年?\s*(\d{1,4})\s*号")
_SHORT_NAME = re.compile(r"以下简称[\"“「]?([\u4e00-\u9fffA-Za-z]{2,12}?)[\"”」]?[)）,，。;；]")


def number_key(text: str) -> str | None:
    """A document number in any bracket style, as one comparable key.

    >>> number_key("国发〔2019〕4号"), number_key("国发[2019]4号"), number_key("国办发（2018）126号")
    ('国发-2019-4', '国发-2019-4', '国办发-2018-126')
    >>> number_key("职业教育") is None
    True
    """
    m = _NUMBER.search(fold(text or ""))
    return f"{m.group(1)}-{m.group(2)}-{int(m.group(3))}" if m else None


def short_names(text: str) -> tuple[str, ...]:
    """The abbreviations a document defines for itself (「以下简称自贸试验区」).

    >>> short_names("建设自由贸易试验区(以下简称自贸试验区)是…")
    ('自贸试验区',)
    """
    return tuple(dict.fromkeys(_SHORT_NAME.findall(fold(text or ""))))


def subject_words(title: str, segmenter=None) -> tuple[str, ...]:
    """The words of a title that say what the document is about (function words of the genre out).

    >>> subject_words("国务院办公厅关于加强三级公立医院绩效考核工作的意见")
    ('三级', '公立医院', '绩效考核')
    """
    title = title_core(title)
    if segmenter is not None:
        words = segmenter.tokens(title)
    else:
        import jieba
        words = jieba.lcut(title)
    out = [w for w in words if len(w) >= 2 and w not in TITLE_FUNCTION_WORDS and not w.isdigit()
           and not re.fullmatch(r"[a-z]+|[一二三四五六七八九十]+", w)]
    return tuple(dict.fromkeys(out))


def title_core(title: str) -> str:
    """A title without its issuer and its "关于…的通知" frame: the words that say what it is about.

    >>> title_core("国务院办公厅关于推广第二批支持创新相关改革举措的通知")
    '推广第二批支持创新相关改革举措'
    >>> title_core("国家职业教育改革实施方案")
    '国家职业教育改革实施方案'
    """
    title = fold(title or "")
    title = title.split("关于", 1)[1] if "关于" in title[:16] else title
    return re.sub(r"(?:的)?(?:通知|指导意见|实施意见|意见|决定|批复|通告)$", "", title)


def title_phrases(title: str, shortest: int = 4, longest: int = 16) -> set[str]:
    """Every run of `shortest`..`longest` characters of a title's core (a question may name a
    document by any phrase of its title: 「推广创新改革举措的通知」 → 改革举措).

    >>> sorted(title_phrases("关于推广改革举措的通知", 4, 4))
    ['广改革举', '推广改革', '改革举措']
    """
    core = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", title_core(title))
    return {core[i:i + n] for n in range(shortest, longest + 1) for i in range(len(core) - n + 1)}


@dataclass(frozen=True)
class Entry:
    """One document as the catalogue knows it."""

    doc_id: str
    title: str
    number: str = ""
    aliases: tuple[str, ...] = ()       # abbreviations it defines, regions its title names
    subjects: tuple[str, ...] = ()      # subject words of its title
    kind: str = ""                      # 规划 / 方案 / 意见 / 通知 … as its title ends
    date: str = ""


def _common_words(entries, texts: dict[str, str], segmenter) -> set[str]:
    """Title words found in the text of more than half of the documents (with 3 or more)."""
    if len(texts) < 3:
        return set()
    words = {w for e in entries for w in (e.subjects or subject_words(e.title, segmenter))}
    folded = [fold(t) for t in texts.values()]
    return {w for w in words if sum(w in t for t in folded) * 2 > len(folded)}


_LEVEL_SAID = (("national", re.compile(r"(?:国家|全国|中央|部委)层面|national level|at the national")),
               ("local", re.compile(r"(?:省级?|地方|市级?)层面|省里|本省|我省|provincial level|local level")))


def level_asked(text: str) -> str | None:
    """The level of documents a question asks about, when it says one: 国家层面 (national) or
    省里 (local). A level said with 层面 wins over a mere mention of the other.

    >>> level_asked("我们省想做质押融资，国家层面是哪些部门在管？"), level_asked("省里谁负责"), level_asked("谁负责")
    ('national', 'local', None)
    """
    lowered = text.lower()
    said = [level for level, pattern in _LEVEL_SAID if pattern.search(lowered)]
    if len(said) == 2:
        explicit = [level for level, pattern in _LEVEL_SAID
                    if re.search(r"(?:层面|level)", "".join(m.group() for m in pattern.finditer(lowered)))]
        said = explicit if len(explicit) == 1 else []
    return said[0] if said else None


def kind_of(title: str) -> str:
    """The kind of document a title names, by its last kind word.

    >>> kind_of("国家职业教育改革实施方案"), kind_of("关于…的指导意见"), kind_of("某某")
    ('方案', '意见', '')
    """
    title = fold(title or "")
    best, at = "", -1
    for kind in KINDS:
        i = title.rfind(kind)
        if i > at:
            best, at = kind, i
    return best


class Catalogue:
    """Documents by every name people use for them."""

    def __init__(self, entries, segmenter=None, texts: dict[str, str] | None = None):
        """`texts` (document id → its text) lets a subject word that most documents use (指导,
        发展) stop counting as the name of one."""
        self.entries: dict[str, Entry] = {}
        entries = list(entries)
        common = _common_words(entries, texts or {}, segmenter)
        for e in entries:
            subjects = tuple(w for w in (e.subjects or subject_words(e.title, segmenter)) if w not in common)
            self.entries[e.doc_id] = Entry(e.doc_id, e.title, e.number, e.aliases, subjects,
                                           e.kind or kind_of(e.title), e.date)
        # a subject word shared by every document tells none of them apart
        counts: dict[str, int] = {}
        for e in self.entries.values():
            for w in set(e.subjects) | set(e.aliases):
                counts[w] = counts.get(w, 0) + 1
        many = len(self.entries)
        self._names = {d: tuple(w for w in dict.fromkeys(e.aliases + e.subjects)
                                if many == 1 or counts.get(w, 0) < many)
                       for d, e in self.entries.items()}
        self._aliases = {d: tuple(a for a in e.aliases if counts.get(a, 0) == 1) for d, e in self.entries.items()}
        # title phrases of one document only: a question quoting one names that document
        owners: dict[str, set[str]] = {}
        for d, e in self.entries.items():
            for phrase in title_phrases(e.title):
                owners.setdefault(phrase, set()).add(d)
        self._phrases = {p: next(iter(ds)) for p, ds in owners.items() if len(ds) == 1 and many > 1}

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def names(self) -> dict[str, tuple[str, ...]]:
        """doc id → every name a question may call it by (title, number, abbreviations, subject words)."""
        return {d: tuple(n for n in (e.title, e.number, *self._names[d]) if n) for d, e in self.entries.items()}

    def title(self, doc_id: str) -> str:
        e = self.entries.get(doc_id)
        return e.title if e else ""

    def resolve(self, spec: str) -> str | None:
        """The document a filter names: its file name (stem), number, title, or a title word or
        abbreviation that names one document only; None when nothing or several match."""
        text = fold(str(spec or "")).strip()
        if not text:
            return None
        if text in self.entries:
            return text
        stem = re.sub(r"\.txt$", "", text)
        if stem in self.entries:
            return stem
        key = number_key(text)
        if key:
            hits = [d for d, e in self.entries.items() if number_key(e.number) == key]
            return hits[0] if len(hits) == 1 else None
        hits = [d for d, e in self.entries.items() if fold(e.title) == text]
        if len(hits) == 1:
            return hits[0]
        hits = [d for d, e in self.entries.items() if text in fold(e.title) or text in self._names[d]]
        return hits[0] if len(hits) == 1 else None

    def named_exactly(self, question: str) -> tuple[str, ...]:
        """The documents a question names unmistakably: by number, full title, or a name the
        document gives itself (an abbreviation it defines, the region its title names) that no
        other document gives itself; empty when it names none.

        >>> cat = Catalogue([Entry("a", "某某方案", "国发〔2019〕4号"), Entry("b", "另一个通知", "", ("自贸试验区",))])
        >>> cat.named_exactly("国发〔2019〕4号讲了什么"), cat.named_exactly("自贸试验区里谁负责"), cat.named_exactly("专利")
        (('a',), ('b',), ())
        """
        text = fold(question or "")
        key = number_key(text)
        if key:
            hits = tuple(d for d, e in self.entries.items() if number_key(e.number) == key)
            if hits:
                return hits
        hits = tuple(d for d, e in self.entries.items()
                     if (len(e.title) >= 6 and fold(e.title) in text) or any(a in text for a in self._aliases[d]))
        return hits if len(hits) < len(self.entries) else ()

    def named_in(self, question: str) -> tuple[str, ...]:
        """The documents a question names by a subject word of their titles (the most title
        characters win); empty when it names none, or names every document alike.

        >>> cat = Catalogue([Entry("a", "学徒制改革方案", subjects=("学徒制",)), Entry("b", "书法教育方案", subjects=("书法", "教育"))])
        >>> cat.named_in("学徒制方案里教育部负责什么"), cat.named_in("方案里谁负责")
        (('a',), ())
        """
        text = fold(question or "")
        scores = {}
        for d, names in self._names.items():
            got = sum(len(w) for w in names if w in text)
            if got:
                scores[d] = got
        for d, length in self._quoted_phrases(text).items():
            scores[d] = max(scores.get(d, 0), length)
        if not scores or (len(scores) == len(self.entries) > 1 and len(set(scores.values())) == 1):
            return ()   # every document named alike
        best = max(scores.values())
        return tuple(d for d, s in scores.items() if s == best)

    def _quoted_phrases(self, text: str) -> dict[str, int]:
        """doc id → the length of the longest phrase of its title (and of no other) the text quotes.

        >>> cat = Catalogue([Entry("a", "关于推广第二批支持创新相关改革举措的通知"),
        ...                  Entry("b", "关于支持自由贸易试验区深化改革创新若干措施的通知")])
        >>> cat._quoted_phrases("推广创新改革举措的这份通知里")
        {'a': 4}
        """
        found: dict[str, int] = {}
        chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
        for i in range(len(chars)):
            for n in range(16, 3, -1):
                d = self._phrases.get(chars[i:i + n])
                if d is not None:
                    found[d] = max(found.get(d, 0), n)
                    break
        return found

    def only_of_kind(self, question: str) -> tuple[str, ...]:
        """The one document of the kind a question names in Chinese (这个规划里…) when no other
        document is of that kind; else empty. An English "plan" stays a hint (of_kind): English
        speakers call many kinds of document a plan.

        >>> cat = Catalogue([Entry("p", "某省知识产权规划"), Entry("n", "关于推广改革举措的通知")])
        >>> cat.only_of_kind("规划里关于专利保险是怎么说的"), cat.only_of_kind("what does the plan say")
        (('p',), ())
        >>> cat.only_of_kind("谁来统筹规划、宏观管理")   # 规划 as a verb names no document
        ()
        """
        text = fold(question or "")
        kinds = {k for k in KINDS if re.search(_KIND_AS_DOCUMENT.format(kind=k), text)}
        hits = tuple(d for d, e in self.entries.items() if e.kind in kinds)
        return hits if len(hits) == 1 and len(self.entries) > 1 else ()

    def of_kind(self, question: str) -> tuple[str, ...]:
        """The documents of the kind a question names (这个规划 → the 规划s), when the kind tells
        some documents from the others; else empty.

        >>> cat = Catalogue([Entry("p", "某省知识产权规划"), Entry("n", "关于推广改革举措的通知")])
        >>> cat.of_kind("规划里关于专利保险是怎么说的"), cat.of_kind("文件里关于专利保险是怎么说的")
        (('p',), ())
        """
        text = fold(question or "").lower()
        kinds = {k for k, words in KINDS.items()
                 if any((w in text) if not w.isascii() else re.search(rf"\b{w}s?\b", text) for w in words)}
        if not kinds:
            return ()
        hits = tuple(d for d, e in self.entries.items() if e.kind in kinds)
        return hits if 0 < len(hits) < len(self.entries) else ()


def catalogue_of(documents, clauses, segmenter=None) -> Catalogue:
    """The catalogue of parsed documents: title, number, date, and the names each document gives
    itself (abbreviations its opening defines, the region its title names); every document's text
    tells which title words most documents share."""
    from .corpus import home_words
    from .scope import PERIOD
    opening: dict[str, list[str]] = {}
    whole: dict[str, list[str]] = {}
    for c in clauses:
        whole.setdefault(c.doc_id, []).append(c.text)
        if c.kind == "preamble" or len(opening.get(c.doc_id, ())) < 3:
            opening.setdefault(c.doc_id, []).append(c.text)
    entries = []
    for d in documents:
        regions = tuple(w for w in home_words([d.title]) if not w.isascii() and not PERIOD.fullmatch(w))
        entries.append(Entry(d.doc_id, d.title, getattr(d, "number", "") or "",
                             short_names("".join(opening.get(d.doc_id, ()))) + regions,
                             date=getattr(d, "date", "") or ""))
    return Catalogue(entries, segmenter, {d: "".join(t) for d, t in whole.items()})
