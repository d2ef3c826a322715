"""Does the chosen clause contain what the question asks for? Quantities, clause by clause.

A question often names a topic a document covers while asking for something it does not give:
「融资担保基金的规模有多大」, 「比例具体是多少」, 「试点期限是几年」, 「什么时候之前出台」. Topic
words then match well and only the kind of answer tells the truth, so the kind is read from the
question's form (a rate, money, a count, a duration, a date, a score; a rate first: 金额占多少 asks a share) and looked for in the
clause that would answer: a clause without a figure of that kind cannot answer it. Formulas
(「…/…×100%」) are definitions, not figures, and do not count.

Example:
>>> asked_kind("国家融资担保基金的注册资本是多少亿元？"), asked_kind("哪个部门负责融资担保")
('money', None)
>>> asked_kind("how much central funding will each province receive?"), asked_kind("how much does it cover?")
('money', None)
>>> holds("money", "首期注册资本661亿元。"), holds("money", "研究设立国家融资担保基金。")
(True, False)
"""
from __future__ import annotations

import re

from .passages import SENTENCE as _SENTENCE
from .places import names_a_place

_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"
KINDS = (
    ("rate", ("比例", "百分之几", "百分比", "费率", "利率", "贴息", "容错率", "占比", "占多少", "多少%", "权重", "几成",
              "percent", "percentage", "rate", "ratio", "proportion", "weight"),
     re.compile(rf"{_NUM}\s*[%％‰]|{_NUM}\s*个?基点|百分之{_NUM}|{_NUM}分之{_NUM}|{_NUM}成|{_NUM}\s*[:：比]\s*{_NUM}|不(?:超过|低于|高于){_NUM}")),
    ("money", ("多少钱", "多少亿元", "多少万元", "多少元", "几亿元", "几万元", "多少块", "金额", "规模有多大", "规模多大", "多大规模",
               "注册资本", "资本金", "补多少", "拨多少", "给多少", "奖多少", "罚多少", "罚款标准", "补贴标准",
               "收费标准", "拨款标准", "资助标准", "how much money", "how much funding", "amount of",
               "多少税", "多少贷款", "多少补贴", "多少奖励", "多少资金", "贷多少", "借多少", "扣多少", "减多少",
               "扣减多少", "补助多少", "资助多少"),
     re.compile(rf"{_NUM}\s*(?:亿|万|千)?\s*元|元/")),
    ("score", ("多少分", "几分", "分数线", "合格线", "达标线", "score", "points"),
     re.compile(rf"{_NUM}\s*分")),
    ("duration", ("几年", "多少年", "多久", "多长时间", "期限", "几天", "多少天", "几个月", "多少个月", "时限",
                  "几个小时", "几小时", "多少小时", "how long", "how many years", "how many days", "how many months",
                  "how many hours"),
     re.compile(r"(?<!\d)(?:\d{1,3}(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(?:年|个月|天|日|周|小时|个工作日)|期限为|年限")),
    ("date", ("什么时间", "什么时候", "何时", "哪一年", "哪年", "截止", "几月", "by what date", "by when", "when will",
              "when must", "when does", "deadline"),
     re.compile(r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月|年底|年内|月底")),
    ("count", ("多少个", "几个", "多少家", "几家", "多少项", "几项", "多少条", "几条", "多少人", "多少名",
               "多少所", "多少批", "多少件", "多少种", "一共有多少", "共有多少", "至少要有多少", "how many",
               "几位", "多少位", "前几名", "多少名",
               "多少亩", "多少吨", "多少辆", "多少台", "多少套", "多少户", "多少次", "多少公里", "多少平方米",
               "几亩", "几吨", "几台", "几套", "几户", "几次"),
     re.compile(r"\d|[一二两三四五六七八九十百千万]+\s*(?:个|家|项|条|人|名|所|批|件|类|种|支|座|位)")),
    # which cities or provinces: the clause must name one (长春市, 四川省), not only 各市 or 城市
    ("place", ("哪几个城市", "哪些城市", "哪个城市", "哪座城市", "哪几个省", "哪些省", "哪个省", "哪些地市",
               "哪几个地区", "哪些地区", "which cities", "which city", "which provinces",
               "which province", "which regions"),
     None),   # read by qa.places: a clause names a place (郑州, 长三角) or it does not
)
_PIECE = re.compile(r"[^，,、；;]+[，,、；;]?")   # a sentence's pieces between commas and list marks (、)
# "how much (central) funding / capital / subsidy", "in yuan": English asks for money in many word orders
# "the most an individual can borrow", "maximum subsidy": a sum of money, though no "how much"
_MONEY_MOST = re.compile(r"\b(?:most|maximum|max|minimum|up to)\b(?:\W+\w+){0,6}?\W+(?:borrow|loans?|subsid\w*|grants?"
                         r"|deduct\w*|reimburse\w*)\b")
_MONEY_EN = re.compile(r"\bhow much\b(?:\W+\w+){0,3}?\W+(?:money|funding|funds|capital|subsid\w*|yuan|rmb|budget|fees?|costs?"
                       r"|price|charged?|salary|pay)\b"
                       r"|\b(?:in|of) (?:yuan|rmb)\b")
_FORMULA = re.compile(r"[×xX*]\s*100\s*[%％]")
_FROM = re.compile(r"(?:由|从)\s*$")              # a figure just after 由/从 …
_TO = re.compile(r"^\s*(?:\S{0,6}?)(?:压缩|缩短|降低|降|减少|提高|提升|增加|扩大|调整|下调|上调)?\s*(?:至|到)")
_NOT_ASKING = ("哪几", "哪些", "哪个", "哪家")   # 哪几个方面 asks for a list, not a count
# asking how a figure is computed or whether there is one is not asking for the figure
_NO_FIGURE = ("怎么算", "如何计算", "怎么计算", "计算方法", "计算公式", "怎样计算", "来源", "从哪", "有没有", "是否",
              "什么不同", "有何不同", "哪些不同", "区别", "差别", "异同", "how do they differ", "difference",
              "有无", "要不要", "能不能", "可不可以", "how is", "how are", "calculated", "computed", "whether", "is there",
              "are there")
_FIGURE = ("多少", "几", "how much", "how many")


def asked_kind(question: str) -> str | None:
    """The kind of figure a question asks for, by its form; None when it asks for no figure."""
    found = asking(question)
    return found[0] if found else None


_YES_NO = re.compile(r"(?:吗|不|没有)\s*[?？]?\s*$|^(?:is|are|does|do|can|will|must|should)\b")


def asking(question: str) -> tuple[str, str] | None:
    """(kind, the words that ask for it) of the figure a question asks for; None when none.
    A follow-up such as 「那教材呢？」 keeps asking it.

    >>> asking("专业目录多久修订一次？"), asking("Who leads?")
    (('duration', '多久'), None)
    >>> asked_kind("How much is the exam fee?"), asked_kind("How much is the guarantee fee rate?")
    ('money', 'rate')
    >>> asked_kind("哪几个城市被撤销了？"), holds("place", "各市要加强城市管理。"), holds("place", "支持长春市建设。")
    ('place', False, True)
    >>> asked_kind("重点检查事项的抽查比例有上限不？"), asked_kind("抽查比例上限是多少？")
    (None, 'rate')
    >>> figure("duration", "每3年修订1次教材。", []), figure("date", "于2019年11月底前完成。", [])
    ('每3年', '2019年11月底前')
    >>> figure("duration", "将公告时间由45天压缩至20天。", ["公告", "时间"])
    '20天'
    """
    text = question.lower()
    if any(_has(text, c) for c in _NO_FIGURE) and not any(_has(text, c) for c in _FIGURE):
        return None
    if not any(_has(text, c) for c in _FIGURE) and any(_YES_NO.search(part.strip()) for part in text.split("|")):
        return None   # 抽查比例有上限吗: yes or no, not a figure
    place = next(c for k, c, _ in KINDS if k == "place")
    cue = next((c for c in place if _has(text, c)), None)
    if cue is not None:
        return "place", cue   # 哪几个城市 asks for places, not for a count
    for word in _NOT_ASKING:
        text = text.replace(word, " ")
    for kind, cues, _ in KINDS:
        cue = next((c for c in cues if _has(text, c)), None)
        if cue is not None:
            return kind, cue
    m = _MONEY_EN.search(text) or _MONEY_MOST.search(text)
    return ("money", "how much") if m else None   # the words that ask, not the topic after them


# the unit a duration question names: 压缩到几个工作日 is not answered by 5年
_UNITS = (("日", ("工作日", "working day", "business day", "多少天", "几天", "多少日", "days")),
          ("小时", ("几小时", "几个小时", "多少小时", "hours")), ("月", ("几个月", "多少个月", "months")),
          ("年", ("几年", "多少年", "years")))
_UNIT_WRITTEN = {"日": ("日", "天", "个工作日"), "小时": ("小时",), "月": ("个月",), "年": ("年",)}   # 20日, 15天, 5个工作日


def duration_unit(question: str) -> str | None:
    """The unit a question asking how long names, if any.

    >>> duration_unit("审批时限压缩到几个工作日？"), duration_unit("How many months?"), duration_unit("实施期限是哪几年")
    ('日', '月', None)
    """
    text = question.lower().replace("哪几年", " ")   # which years: a period, named by its dates
    return next((unit for unit, cues in _UNITS if any(_has(text, c) for c in cues)), None)


_COUNTED = re.compile(r"(?:几|多少)(个)?([\u4e00-\u9fff]{2})")
_NOT_NOUN = re.compile(r"^(?:是|呢|啊|吗|的|了|呀|么|在|要|可|能|会|才|就|都)")


def counted_noun(question: str) -> str | None:
    """What a count question counts, when it names it right after 几个 / 多少个: the count given
    must be of that (几个等级 is not answered by a 两个 of something else). A measure word of its
    own (几项举措, 多少所学校) already says what is counted, and the text often drops the noun (6项).

    >>> counted_noun("资历框架分为几个等级？"), counted_noun("一共有几项举措？"), counted_noun("要建多少所学校")
    ('等级', None, None)
    """
    return next((m.group(2) for m in _COUNTED.finditer(question) if m.group(1) and not _NOT_NOUN.match(m.group(2))),
                None)


def holds(kind: str, clause_text: str, unit: str | None = None) -> bool:
    """Does a clause's text give a figure of that kind (formulas aside), in `unit` when asked?

    >>> holds("rate", "计算方法：预约诊疗人次数/总诊疗人次数×100%。"), holds("rate", "费率不超过1.5%。")
    (False, True)
    >>> holds("duration", "签发5年多次往返签证。", "日"), holds("duration", "20日内作出决定。", "日")
    (False, True)
    """
    evidence = next(p for k, _, p in KINDS if k == kind)
    text = _FORMULA.sub(" ", clause_text)
    if unit and kind == "duration":
        return any(m.group().endswith(_UNIT_WRITTEN[unit]) for m in FIGURES["duration"].finditer(text))
    if kind == "place":
        return names_a_place(text)
    if unit and kind == "count":   # the counted noun: a count in a sentence that names it
        return figure("count", text, (), unit=unit) is not None
    return bool(evidence.search(text))


def _has(text: str, cue: str) -> bool:
    """A cue in the text; an English cue as a whole word."""
    if cue.isascii():
        return re.search(rf"\b{re.escape(cue)}\b", text) is not None
    return cue in text


# the figure itself, once a clause is known to give one: narrower than the evidence above
FIGURES = {
    "money": re.compile(rf"{_NUM}\s*(?:亿|万|千)?\s*元"),
    "rate": re.compile(rf"{_NUM}\s*[%％‰]|{_NUM}\s*个?基点|(?:百|千|{_NUM})分之{_NUM}"),
    "score": re.compile(rf"{_NUM}\s*分"),
    # with the words that make it a frequency or a deadline: 每3年 (every three years), 2019年6月底前 (by)
    "duration": re.compile(r"(?<!\d)每?(?:\d{1,3}(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(?:个工作日|个月|小时|年|天|日|周)"),
    "date": re.compile(r"(?:(?:19|20)\d{2}\s*年(?:底|年底|\d{1,2}\s*月(?:底)?)?|\d{1,2}\s*月底)(?:前(?![一二两三四五六七八九十\d]))?"),
    "count": re.compile(r"(?:\d+(?:\.\d+)?|[两三四五六七八九十][一二两三四五六七八九十百千万]*)\s*"
                        r"(?:个|家|项|条|人|名|所|批|件|类|种|支|座|位|亩|吨|辆|台|套|户|次|公里|平方米)"),
}


def figure(kind: str, clause_text: str, terms=(), weight=len, unit: str | None = None) -> str | None:
    """The figure of that kind the clause gives, for the question's `terms` (each counting
    `weight(term)`: by default its length; the engine gives rarer terms more); None when none does.

    Each figure is scored by the terms of its sentence plus those of its own piece (between commas
    or list marks), and of the piece before it when that piece has no figure of the kind: they
    name what the figure measures, so 「26个指标为国家监测指标，其中…9个指标由财务年报表获取」 answers "how many come from
    the annual financial reports" with 9个, not with the sentence's first figure.

    >>> figure("rate", "费率降至1%以下。支小支农担保金额占比不得低于80%。", ["支小支农", "担保金额"])
    '80%'
    >>> figure("count", "26个指标为国家监测指标，其中15个自动生成，9个由财务年报表获取。", ["监测", "年报表", "获取"])
    '9个'
    >>> figure("count", "建设50所高水平高等职业学校。", []), figure("money", "研究设立基金。", [])
    ('50所', None)
    """
    pattern = FIGURES.get(kind)
    if pattern is None:
        return None   # a place is named, not measured: the clause is the answer
    wanted = [t for t in set(terms) if len(t) > 1]
    best, best_score = None, -1.0
    for sentence in _SENTENCE.findall(_FORMULA.sub(" ", clause_text)):
        whole = sum(weight(t) for t in wanted if t in sentence)
        pieces = _PIECE.findall(sentence)
        for i, piece in enumerate(pieces):
            # a piece's figures also measure what the piece before names, unless that piece has
            # a figure of its own (「…收费，原则上不高于…的0.3%」 / 「15个…，9个…」)
            own = piece if i == 0 or pattern.search(pieces[i - 1]) else pieces[i - 1] + piece
            for m in pattern.finditer(piece):
                if unit and kind == "duration" and not m.group().endswith(_UNIT_WRITTEN[unit]):
                    continue
                if unit and kind == "count" and unit not in sentence:
                    continue   # 两个 of something else than the 等级 asked for
                score = whole + sum(weight(t) for t in wanted if t in own)
                if kind != "date" and _FROM.search(piece[:m.start()]) and _TO.search(piece[m.end():]):
                    score -= 0.5   # 由45天压缩至20天: 45天 is where it starts, 20天 what is asked
                if score > best_score:
                    best, best_score = re.sub(r"\s+", "", m.group()), score
    return best


def asks_figure(question: str) -> bool:
    """Does the question ask for some figure (多少, 几, how much/many) without naming its kind?

    >>> asks_figure("生均拨款水平要达到多少？"), asks_figure("主要任务分哪几个方面"), asks_figure("谁负责")
    (True, False, False)
    """
    text = question.lower()
    for word in _NOT_ASKING:
        text = text.replace(word, " ")
    return any(_has(text, c) for c in _FIGURE)


def any_figure(clause_text: str, terms=(), weight=len) -> str | None:
    """The first figure of any kind the clause gives (rates first, then money, counts, durations,
    dates, scores), for a question that asks 多少 without saying of what.

    >>> any_figure("生均财政拨款水平达到12000元。", ["拨款"])
    '12000元'
    """
    for kind in ("rate", "money", "count", "duration", "date", "score"):
        value = figure(kind, clause_text, terms, weight)
        if value:
            return value
    return None
