"""Offices named in running text, for documents that assign work in sentences, not office notes.

Many State Council opinions never write 「（A、B负责）」: they say 「国家卫生健康委建立…信息系统」 or
「财政部要会同发展改革委…等部门」. Such a document's clauses get as offices the ones their text
names (from the office table, plus the genre's collective actors: 各省级人民政府, 卫生健康行政部门
…), so "who handles X" and "what does office Y do" work there too; an answer then narrows them to
the sentence that answers the question (`sentence_offices`). Documents that do write office notes
are left exactly as parsed.

Example:
>>> from qa.offices import Office, OfficeTable
>>> table = OfficeTable([Office("财政部"), Office("国家卫生健康委", aliases=("卫生健康委",))])
>>> text_offices("财政部要会同卫生健康委研究。各省级人民政府抓好落实。", table)
['财政部', '卫生健康委', '各省级人民政府']
"""
from __future__ import annotations

import re
import weakref
from dataclasses import replace

from .passages import SENTENCE as _SENTENCE
from .records import Clause, Document

# collective actors of the genre: levels of government and the State Council's own committees
# ("the X administrative departments" are sector_pattern's)
COLLECTIVE = re.compile(
    r"(?:各省[(（]区、市[)）]|各省、自治区、直辖市|地方各级|各级|各省级|各有关|县级以上地方各级|县级以上地方|有关)?人民政府"
    r"|国务院[\u4e00-\u9fff]{2,10}?(?:委员会|领导小组)")
# "X部门" (各级财政部门, 金融管理部门) only for a sector X the office table knows (财政部 → 财政,
# 市场监管总局 → 市场监管): 全面推行部门联合…, 大胆探索部门 are no offices
_OFFICE_SUFFIX = re.compile(r"(?:委员会|总局|管理局|监督管理局|部|委|局|厅|署|办|行|会)$")
_OFFICE_PREFIX = re.compile(r"^(?:中华人民共和国|国务院|国家|中国|省)")
# per office table (weakly held: a cache keyed by id() would hand a new table the patterns of a
# collected one that had the same id): (the X部门 pattern, the shared-部门 list pattern, one listed
# sector with its separator)
_SECTORS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def sector_core(name: str) -> str:
    """The sector an office's name stands for, without its level and its kind of body.

    >>> sector_core("人力资源社会保障部"), sector_core("国家卫生健康委"), sector_core("省财政厅")
    ('人力资源社会保障', '卫生健康', '财政')
    """
    return _OFFICE_PREFIX.sub("", _OFFICE_SUFFIX.sub("", name or ""))


def sector_pattern(table) -> re.Pattern | None:
    """The "X部门" actors of the sectors the office table knows (cached per table).

    >>> from qa.offices import Office, OfficeTable
    >>> p = sector_pattern(OfficeTable([Office("财政部"), Office("市场监管总局")]))
    >>> [m.group(1) for m in p.finditer("各级财政部门要会同有关方面；建立市场监管部门牵头的制度；大胆探索部门协同")]
    ['各级财政部门', '市场监管部门']
    """
    return _sector_patterns(table)[0]


def _sector_patterns(table) -> tuple:
    """The table's X部门 pattern, its shared-部门 list pattern and the pattern of one listed sector
    with its separator, compiled once per table."""
    if table not in _SECTORS:
        sectors = set()
        for office in table.offices.values():
            if not office.listed:
                continue   # an actor read from some sentence (各地区) is no sector
            for name in (office.name, office.full_name, *office.aliases):
                core = sector_core(name)
                if len(core) >= 2 and not core.isascii():
                    sectors.add(core)
        cores = "|".join(sorted(map(re.escape, sectors), key=len, reverse=True))
        _SECTORS[table] = ((re.compile("((?:各级|地方|县级以上|国务院)?(?:" + cores
                                       + r")(?:管理|监管|行政)?部门)(?!联合|之间|间)"),
                            re.compile(f"(?P<level>各级|地方各级|县级以上地方|县级以上)?(?<!各)(?P<body>(?:{cores})(?:[、和及](?:{cores}))*"
                                       f"[、和及](?![各有相其])[\u4e00-\u9fff]{{2,10}}?)(?P<tail>等?(?:有关|相关)?部门)(?!联合|之间|间)"),
                            re.compile(f"(?:{cores})[、和及]"))
                           if sectors else (None, None, None))
    return _SECTORS[table]


def sector_lists(text: str, table) -> list[tuple[int, int, str]]:
    """「财政、发展改革…、组织部门」 and 「财政和医保部门」: sectors sharing one 部门, as one span
    each (财政部门, 医保部门 …), for lists whose every member but the last is a sector the office
    table knows (政府性融资担保、再担保机构 is one actor, not a list).

    >>> from qa.offices import Office, OfficeTable
    >>> t = OfficeTable([Office("财政部"), Office("国家医疗保障局", aliases=("医保局",))])
    >>> [n for _, _, n in sector_lists("财政和医保部门结合考核结果调整政策", t)]
    ['财政部门', '医保部门']
    >>> [n for _, _, n in sector_lists("财政、医保、组织部门研究建立机制", t)]
    ['财政部门', '医保部门', '组织部门']
    >>> [n for _, _, n in sector_lists("各级财政、医保等有关部门", t)], [n for _, _, n in sector_lists("医保、财政部等部门", t)]
    (['各级财政部门', '各级医保部门'], ['医保部门', '财政部'])
    """
    _, pattern, listed = _sector_patterns(table)
    spans = []
    for m in pattern.finditer(text) if pattern else ():
        members, at, end = [], m.start("body"), m.end("body")
        while (sep := listed.match(text, at)) and sep.end() < end:   # 工业和信息化 is one sector
            members.append((at, text[at:sep.end() - 1]))
            at = sep.end()
        members.append((at, text[at:end]))
        if any(member.endswith("部门") for _, member in members[:-1]):
            continue   # 人社行政部门、教育行政部门: actors written whole, each its own
        level = m.group("level") or ""
        for start, member in members:
            name = member if member.endswith("部门") or table.canonical(member) else level + member + "部门"
            spans.append((start, start + len(member), name))
    return spans


# the subject of a sentence that assigns work, when it is an actor the office table lacks
# (各有关部门要…, 国家融资担保基金要…, 行业协会要…, 各省份建立…): who does what, as the document says it
_ACTOR_ENDS = "部门|机构|政府|组织|院校|学校|高校|协会|基金|委员会|领导小组|联席会议|各地区|各地|各省份|地方|企业|医院|单位|中心|银行"   # how the genre's actors end
_SUBJECT = re.compile(
    r"(?:^|(?<=[。；;，,：:]))\s*(?:(?:到|在|于)?(?:(?:19|20)\d{2}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|初|中|内)?(?:前|起|后)?"
    r"(?<=[年月日底初中内前起后])[，,]?\s*)?"   # 2019年6月底前各省份要…, 12月31日前各地要…
    r"((?:[\u4e00-\u9fff]|、){0,18}?"
    r"(?:" + _ACTOR_ENDS + "))"
    r"(?=要|应当|应|须|必须|需要|负责|牵头|会同|可以|将|依据|依照|按照|根据|于\d|结合|通过|建立|推动|组织|完成|制定|制订|"
    r"加强|积极|统筹|做好|承担|开展|落实|定期|共同|分别|均)")
_VERB_INSIDE = re.compile(r"监督|指导|落实|建立|推动|加强|负责|实施|开展|完成|制定|制订|提供|促进|支持|鼓励|推进|引导|依托|按照|根据|"
                          r"通过|加快|会同|牵头|配合|要|应|对|把|向|为")
_NOT_SUBJECT = re.compile(r"^(?:促进|鼓励|支持|推动|引导|加强|建立|完善|推进|实施|开展|探索|积极|加快|深化|落实|到|在|对|从|为|以|"
                          r"将|按照|根据|依据|通过|同时|此外|其中|发挥|充分|进一步|要|把|由|与|和|及|使|让|指导|督促|允许|"
                          r"研究|明确|规范|强化|提高|扩大|降低|优化|健全|坚持|注重|保障|确保)")
_NOT_NOUN = frozenset("v vd c p a ad u".split())   # part-of-speech flags no actor's name starts with
_SUBJECT_END = re.compile(f"(?:{_ACTOR_ENDS})$")
_BARE = frozenset("部门 机构 单位 中心 银行 企业 组织 基金 学校 医院 政府 委员会".split())  # whose? the text does not say

_LEADING = re.compile(r"^(?:会同|配合|指导|支持|督促|推动|推进|组织|发展|加强|建立|负责|完善|落实|鼓励|引导|协调|"
                      r"由|和|与|及|同|在|对|要|将|的|并|把|向|经|从|按|以|、)+")
_NOT_ACTOR = ("有关", "相关", "其他", "各类", "同级", "本级")
NOTED_SHARE = 0.2   # a document whose leaves name offices at least this often writes office notes


_DESCRIBING = re.compile(r"(?:牵头|负责|主导|参与)的")


def text_offices(text: str, table, issuer: str = "", describing: bool = False) -> list[str]:
    """Offices the text names, as written, first mention first: the table's and the genre's
    collective actors; never the document's own issuer (「经国务院同意」 assigns nothing). The
    corpus then names them canonically at the document's level (发展改革委 in a national notice
    is the national one)."""
    sectors = sector_pattern(table)
    spans = [(m.start(1), m.end(1), m.group(1)) for m in sectors.finditer(text)] if sectors else []
    for m in _SUBJECT.finditer(text):
        name = _as_actor(m.group(1))
        if name:
            spans.extend(_listed_actors(name, m.end(1) - len(name)))
    for m in COLLECTIVE.finditer(text):
        name = m.group()
        cut = name.find("国务院") if "国务院" in name else len(name) - len(_LEADING.sub("", name))
        name = name[cut:]
        if len(name) >= 5 and not (name.startswith(_NOT_ACTOR) and "人民政府" not in name):
            spans.append((m.start() + cut, m.end(), name))
    for name in table.find_in(text):
        office = table.get(name)
        if office is not None and not office.listed:
            continue   # a name read from some sentence is no office wherever its words occur
        places = sorted((m.start(), -len(n), n) for n in (office.names() if office else (name,)) if n
                        for m in re.finditer(re.escape(n), text))
        # the first mention that is not part of a longer actor (财政部 after 各级财政部门)
        free = [p for p in places if not any(s <= p[0] < e for s, e, _ in spans)]
        if free:
            at, _, written = free[0]
            spans.append((at, at + len(written), written))  # as written: its level is the document's
    lists = sector_lists(text, table)   # the list's members, not the list or a member's own match
    spans = [sp for sp in spans if not any(sp[0] < end and start < sp[1] for start, end, _ in lists)] + lists
    spans = sorted(sp for sp in set(spans)   # a name inside a longer one is part of it
                   if not any(o[0] <= sp[0] and sp[1] <= o[1] and o[1] - o[0] > sp[1] - sp[0] for o in spans))
    # 「建立市场监管部门牵头的联席会议制度」: an office describing what is built, after the actor who
    # builds it, is not assigned the work
    # (kept when the question asks who leads: 「…联席会议由谁牵头」 asks for that office)
    spans = [sp for i, sp in enumerate(spans) if describing or i == 0 or not _DESCRIBING.match(text, sp[1])]
    names = [n for _, _, n in spans]
    for i in range(1, len(spans)):   # 国务院人社、教育行政部门: the second shares the first's 国务院
        (_, end, first), (start, _, name) = spans[i - 1], spans[i]
        if first.startswith("国务院") and not name.startswith("国务院") and text[end:start] == "、" \
                and name.endswith(("行政部门", "主管部门")):
            names[i] = "国务院" + name
    names = [n for n in dict.fromkeys(names) if not (issuer and n in issuer)]
    return [n for n in names if not any(n != m and m.endswith(n) and m.startswith("国务院") for m in names)]


def _as_actor(phrase: str) -> str:
    """The actor a sentence-opening phrase names ("" when it names none): a noun phrase, after any
    leading adverb (原则上国家融资担保基金 → 国家融资担保基金); a verb, conjunction or adjective first
    (构建…机构, 可以委托…机构, 厚植企业) or a description with 的 (费率较低的…机构) is no actor.

    >>> _as_actor("原则上国家融资担保基金"), _as_actor("构建政府性融资担保机构"), _as_actor("各省份")
    ('国家融资担保基金', '', '各省份')
    """
    import jieba.posseg   # the corpus's titles already loaded its dictionary
    words = jieba.posseg.lcut(phrase)
    while words and words[0].flag.startswith("d"):
        words = words[1:]
    name = "".join(w.word for w in words)
    if not words or words[0].flag in _NOT_NOUN or "的" in name:
        return ""
    if _NOT_SUBJECT.match(name) or _VERB_INSIDE.search(name) or name.startswith(_NOT_ACTOR) or name in _BARE:
        return ""
    return name


def _listed_actors(name: str, at: int) -> list[tuple[int, int, str]]:
    """A subject listing actors (各地区、各有关部门) as one span each, when every member ends like an
    actor; 政府性融资担保、再担保机构 or 财政和医保部门 share one noun and stay whole.

    >>> [n for _, _, n in _listed_actors("各地区、各有关部门", 0)], [n for _, _, n in _listed_actors("财政和医保部门", 0)]
    (['各地区', '各有关部门'], ['财政和医保部门'])
    """
    parts = re.split(r"(、|和)", name)
    members = parts[::2]
    if len(members) > 1 and all(_SUBJECT_END.search(p) and len(p) >= 2 for p in members):
        spans, start = [], at
        for i, p in enumerate(parts):
            if i % 2 == 0:
                spans.append((start, start + len(p), p))
            start += len(p)
        return spans
    return [(at, at + len(name), name)]


def sentence_offices(text: str, terms, table, issuer: str = "", weight=len, question: str = "",
                     lead: bool = False) -> list[str]:
    """The offices of the sentence of `text` that holds most of the question's `terms` (each
    counting `weight(term)`: by default its length; the engine gives rarer terms more); the whole
    text's when no sentence names an office. With `lead` (谁牵头), only the actor the sentence has
    lead (「A牵头」, 「A要会同B」); `question` tells 「A、B分别负责X、Y」 apart.

    >>> from qa.offices import Office, OfficeTable
    >>> t = OfficeTable([Office("财政部"), Office("教育部")])
    >>> sentence_offices("财政部负责资金保障。教育部负责教师培训。", ["教师", "培训"], t)
    ['教育部']
    >>> sentence_offices("财政部要会同教育部制定办法。", ["办法"], t, lead=True)
    ['财政部']
    """
    scored = []   # (score, the part's offices, whom it says leads)
    for sentence in _SENTENCE.findall(text):
        for part in _by_actor(sentence, table, issuer):
            offices = text_offices(part, table, issuer, describing=lead)
            if not offices:
                continue
            score = sum(weight(t) for t in set(terms) if len(t) > 1 and t in part)
            if score > 0:
                chosen = excepted(part, terms, table, issuer) or respectively(part, offices, terms, question)
                scored.append((score, chosen, leading(part, chosen) if lead else []))
    if not scored:
        return text_offices(text, table, issuer)
    top = max(score for score, _, _ in scored)
    if lead:   # 谁牵头: a sentence nearly as close that says who leads (A要会同B) answers it
        led = [(score, leader) for score, _, leader in scored if leader and score >= LEAD_SHARE * top]
        if led:
            return max(led, key=lambda x: x[0])[1]
    return next(chosen for score, chosen, _ in scored if score == top)


LEAD_SHARE = 0.75
_ASIDE = re.compile(r"[(（]([^()（）]{2,20}?)由([^()（）]{2,30}?)负责[)）]")


def excepted(part: str, terms, table, issuer: str = "") -> list[str]:
    """The office of an aside that makes an exception (「…(技工院校内由人力资源社会保障行政部门负责)」)
    when the question asks about the exception: a word of its condition that the rest of the
    sentence lacks (技工) is among the question's terms.

    >>> from qa.offices import Office, OfficeTable
    >>> t = OfficeTable([Office("教育部"), Office("人力资源社会保障部")])
    >>> excepted("教育部负责院校内证书(技工院校内由人力资源社会保障部负责)。", ["技工", "院校"], t)
    ['人力资源社会保障部']
    >>> excepted("教育部负责院校内证书(技工院校内由人力资源社会保障部负责)。", ["院校", "证书"], t)
    []
    """
    for m in _ASIDE.finditer(part):
        rest = part[:m.start()] + part[m.end():]
        if any(len(t) > 1 and t in m.group(1) and t not in rest for t in set(terms)):
            found = text_offices(m.group(2), table, issuer)
            if found:
                return found
    return []


_LEADS = re.compile(r"(?:要|应|应当|负责)?(?:牵头|会同)")


def leading(text: str, offices) -> list[str]:
    """The one actor the text says leads — written right before 牵头 or (要)会同 — else none.

    >>> leading("市场监管总局要会同有关部门制定清单", ["市场监管总局"]), leading("甲部、乙部负责", ["甲部", "乙部"])
    (['市场监管总局'], [])
    """
    found = [o for o in offices if any(_LEADS.match(text, m.end()) for m in re.finditer(re.escape(o), text))]
    return found if len(found) == 1 else []


def respectively(part: str, offices: list[str], terms, question: str = "") -> list[str]:
    """「A、B分别负责X、Y」: the office whose task the question names — by the characters only that
    task has (院校外 against 院校内), else by the question's terms; all of them when the tasks do
    not pair one to one with the offices or the question tells none apart.

    >>> respectively("甲部、乙部分别负责院校外、院校内证书的实施。", ["甲部", "乙部"], ["院校内", "证书"])
    ['乙部']
    >>> respectively("甲部、乙部分别负责管理院校外、院校内证书的实施。", ["甲部", "乙部"], ["院校", "证书"], "院校外的证书谁管")
    ['甲部']
    >>> respectively("甲部、乙部负责证书。", ["甲部", "乙部"], ["证书"])
    ['甲部', '乙部']
    """
    if "分别" not in part or len(offices) < 2:
        return offices
    tail = re.split(r"[，,。；;（(]", part.split("分别", 1)[1])[0]
    tasks = tail.split("、")
    if len(tasks) != len(offices):
        return offices
    # the parallel elements stand by the 、: the end of each task but the last, the start of the last
    # (「负责管理院校外、院校内证书的实施」 → 院校外 / 院校内)
    elements = [t[-3:] for t in tasks[:-1]] + [tasks[-1][:3]]
    pairs = [{e[i:i + 2] for i in range(len(e) - 1)} for e in elements]
    asked = {question[i:i + 2] for i in range(len(question) - 1)}
    own = [len((p - set().union(*(q for j, q in enumerate(pairs) if j != i))) & asked) for i, p in enumerate(pairs)]
    scores = own if max(own) and own.count(max(own)) == 1 else \
        [sum(len(t) for t in set(terms) if len(t) > 1 and t in task) for task in tasks]
    best = max(scores)
    return [offices[scores.index(best)]] if best and scores.count(best) == 1 else offices


def _by_actor(sentence: str, table, issuer: str = "") -> list[str]:
    """A sentence cut where a comma is followed by an office starting a new task
    (「市场监管总局要…清单，明确标准，各省人民政府要…」 → two parts), so each office keeps its own task.

    >>> from qa.offices import Office, OfficeTable
    >>> _by_actor("财政部要设立基金，扩大规模，教育部要培训教师。", OfficeTable([Office("财政部"), Office("教育部")]))
    ['财政部要设立基金，扩大规模，', '教育部要培训教师。']
    """
    pieces = re.split(r"(?<=[，,])", sentence)
    parts: list[str] = []
    for piece in pieces:
        head = piece.lstrip()
        starts = ([o for o in text_offices(head[:30], table, issuer) if head.startswith(o)]
                  or [n for at, _, n in sector_lists(head, table) if at == 0])
        if parts and starts:
            parts.append(piece)
        elif parts:
            parts[-1] += piece
        else:
            parts.append(piece)
    return parts


def with_text_offices(doc: Document, table) -> Document:
    """The document with offices read from the text of its leaves, when it writes no office notes.

    A document that does write notes keeps them as its offices; a leaf it left without one but
    whose sentences assign work (a covering notice's 「国家发展改革委和科技部要…督促检查」) is only
    marked `offices_in_text`, so a who-question may still be answered from it, by its sentence."""
    leaves = [c for c in doc.clauses if not c.has_children]
    issuer = getattr(doc, "issuer", "") or ""
    if leaves and sum(bool(c.departments) for c in leaves) >= NOTED_SHARE * len(leaves):
        return replace(doc, clauses=tuple(
            replace(c, offices_in_text=True) if not c.departments and not c.has_children
            and text_offices(c.text, table, issuer) else c for c in doc.clauses))
    if not leaves:
        return doc
    clauses = tuple(c if c.departments or c.has_children else _with_offices(c, text_offices(c.text, table, issuer))
                    for c in doc.clauses)
    return replace(doc, clauses=clauses)


def _with_offices(clause: Clause, offices: list[str]) -> Clause:
    """The clause with the offices its text names; the lead too, when one actor is written leading."""
    if not offices:
        return clause
    lead = leading(clause.text, offices)
    return replace(clause, departments=tuple(offices), offices_in_text=True, lead=lead[0] if lead else "")
