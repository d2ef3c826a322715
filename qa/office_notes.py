"""Office notes: the parentheses in which plans of the genre name who carries a measure out.

The genre writes them in a handful of shapes, each closing the sentences before it:
(责任单位:A、B), (负责部门:A、B;适用范围:…), (牵头单位:A;配合单位:B), (A、B负责),
(A、B等负责), (A、B按职责分工负责), (A、B和各有关省级人民政府负责), (A、B,各省级人民政府按职责分工
负责), (A牵头,B、C参与) and (A指导), sometimes with a deadline after the offices ((A负责,2019年底前
完成)); some write the labels without parentheses, as a sentence or lines of their own
(责任单位:A、B。 / 牵头单位:A 配合单位:B). `find_notes` returns every such note with its span, its
offices in written order and its lead office when the note says which one leads (牵头).
A parenthesis counts only where a note stands: right after a sentence's end or right before one
(or at the end of the text), or before a comma when what it names reads as plain office names,
so an aside inside a sentence such as (技工院校内由X负责), is never one.
Nothing here knows an office: names are recognised by the shape of the note, not by a list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# labels of a labelled note; the lead label's offices lead, the others take part
_LABELS = (r"(责任单位|责任部门|负责单位|负责部门|牵头单位|牵头部门|实施单位|实施部门|主管部门|指导部门"
           r"|配合单位|配合部门|参与单位|参与部门)\s*:")
_LABEL = re.compile("^" + _LABELS)
LABELLED = re.compile("^" + _LABELS + r"\s*[\u4e00-\u9fff]")   # a line that is an office note of its own
# a label outside any parenthesis opens a note only where a sentence or a line could begin
_OPEN_LABEL = re.compile(r"(?:^|(?<=[。;!?\s)]))" + _LABELS)
# a group after the offices that says when, not who (2019年底前完成, 持续推进, 长期坚持)
_WHEN = re.compile(r"\d{4}年|年底|月底|年内|前完成|持续推进|长期坚持|持续实施|逐步推进|分步实施|分阶段")
_LEAD_LABEL = ("牵头单位", "牵头部门")
# any other label (适用范围:, 完成时限:) ends the list of offices
_OTHER_LABEL = re.compile(r"[;,]\s*[\u4e00-\u9fff]{2,6}\s*:")
# the verb a bare note ends with; 牵头 (alone or before 负责) marks the lead group
_VERB = re.compile(r"(?:等部门|等单位|等)?\s*(?:按职责分工|按照职责分工|分别|共同|牵头)?\s*"
                   r"(牵头负责|牵头|负责|指导|参与|配合|落实)$")
# 和 joins two offices when the name before it ends like an office (…厅, …局, …委, …海关, …政府) or
# the one after it begins like one (省…, 市…, 国家…, 各…); inside a name (工业和信息化部,
# 人力资源和社会保障厅) it is preceded by an ordinary word and stays.
_OFFICE_END = "厅局委办部署行会院室心馆处所社司队站关府团联组台校"
_OFFICE_START = "省|市|县|国家|国务院|中国|中央|中共|全国|各|人民"
_SPLIT = re.compile(rf"[、,;]|及|会同|(?<=[{_OFFICE_END}])和|和(?={_OFFICE_START})")
_NOISE = re.compile(r"^(?:按职责分工|按照职责分工|分别|会同|配合|参与|共同|由)|"
                    r"(?:等(?:有关|相关)?(?:部门|单位)|等|按职责分工|按照职责分工|分别|配合|参与|牵头|负责|指导|共同)$")
_SENTENCE_END = "。;!?"
# how the name of an office, a government or a body of offices ends (部门, 单位, 人民政府, 海关 …)
_NAME_END = set(_OFFICE_END + "门位构市县州盟区")
_NOT_A_NAME = re.compile(r"[。:!?《》“”\"]|\d{4}年")


@dataclass(frozen=True)
class OfficeNote:
    """One office parenthesis: where it is in the text, the offices it names, the lead if said."""

    start: int
    end: int
    offices: tuple[str, ...]
    lead: str = ""


def parentheses(text: str):
    """(start, end, inner text) of every outermost balanced parenthesis, in order.

    >>> [t for _, _, t in parentheses("甲(乙(丙)丁)戊(己)")]
    ['乙(丙)丁', '己']
    """
    depth, opened = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                yield opened, i + 1, text[opened + 1:i]


def split_names(listing: str) -> list[str]:
    """The offices of a list as written: 、 , ; 及 and 和 between offices split it; 等 and
    manner words (按职责分工, 分别, 参与) are dropped.

    >>> split_names("海关总署、商务部等")
    ['海关总署', '商务部']
    >>> split_names("文化和旅游部和各有关省级人民政府")
    ['文化和旅游部', '各有关省级人民政府']
    >>> split_names("民政部、各省(区、市)人民政府")
    ['民政部', '各省(区、市)人民政府']
    >>> split_names("市场监管总局、交通运输部等相关部门")
    ['市场监管总局', '交通运输部']
    """
    out: list[str] = []
    # a list inside a name (各省(区、市)人民政府) does not split it
    listing = re.sub(r"\([^()]*\)", lambda m: m.group(0).replace("、", "\0"), listing)
    for part in _SPLIT.split(listing):
        name = part.strip().replace("\0", "、")
        while True:
            cleaned = _NOISE.sub("", name).strip()
            if cleaned == name:
                break
            name = cleaned
        if 2 <= len(name) <= 30 and not _NOT_A_NAME.search(name) and name not in out:
            out.append(name)
    return out


def _stands_as_note(text: str, start: int, end: int) -> str:
    """"yes" where a note stands (after a sentence's end, before one, at the end of the text),
    "clause" before a comma (a note closing a clause of a longer sentence), else ""."""
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    if (not before or before[-1] in _SENTENCE_END or not after or after[0] in _SENTENCE_END
            or after.startswith(("(", "—"))):
        return "yes"
    return "clause" if after[0] in ",、" else ""


def _plain_names(offices: list[str]) -> bool:
    """Names short and plain enough to be offices even mid-sentence (not 技工院校内由X部门)."""
    return all(len(n) <= 16 and "由" not in n for n in offices)


def _labelled(inner: str) -> tuple[list[str], str] | None:
    inner = inner.strip()
    if not _LABEL.match(inner):
        return None
    offices: list[str] = []
    lead = ""
    # the note is a series of `label:value` parts; a label this module does not know ends it
    for piece in re.split(r"[;,]\s*(?=[\u4e00-\u9fff]{2,6}\s*:)", inner):
        m = _LABEL.match(piece)
        if not m:
            continue
        names = split_names(piece[m.end():])
        if m.group(1) in _LEAD_LABEL and names and not lead:
            lead = names[0]
        offices.extend(n for n in names if n not in offices)
    return offices, lead


def _bare(inner: str) -> tuple[list[str], str] | None:
    inner = inner.strip()
    groups = [g.strip() for g in re.split(r"[,;]", inner) if g.strip()]
    while len(groups) > 1 and _WHEN.search(groups[-1]) and not _VERB.search(groups[-1]):
        groups.pop()
    if not groups or not _VERB.search(groups[-1]):
        return None
    offices: list[str] = []
    lead = ""
    pending: list[str] = []  # groups without a verb of their own share the next group's verb
    for group in groups:
        verb = _VERB.search(group)
        pending.append(group[:verb.start()] if verb else group)
        if verb is None:
            continue
        listed = [n for g in pending for n in split_names(g)]
        names = [n for n in listed if n[-1] in _NAME_END]
        if len(names) * 2 >= len(listed) > 1:
            names = listed   # a list of offices: 中国信保 beside 商务部、进出口银行 is one too
        pending_text, pending = pending, []
        if not names:
            return None
        # A牵头 and A会同B (A together with B, A leading) name the lead
        if ("牵头" in verb.group(0) or "会同" in "".join(pending_text)) and not lead:
            lead = names[0]
        offices.extend(n for n in names if n not in offices)
    return (offices, lead) if offices else None


def find_notes(text: str) -> list[OfficeNote]:
    """Every office note of a (folded) text, in order.

    >>> [(n.offices, n.lead) for n in find_notes("甲。(负责部门:商务部、海关总署;适用范围:所有试验区)")]
    [(('商务部', '海关总署'), '')]
    >>> [(n.offices, n.lead) for n in find_notes("乙。(水利部牵头,自然资源部、生态环境部参与)")]
    [(('水利部', '自然资源部', '生态环境部'), '水利部')]
    >>> find_notes("分别负责管理(技工院校内由人力资源社会保障行政部门负责),并组织")
    []
    >>> [n.offices for n in find_notes("加强执法(公安部负责),完善制度(司法部负责)。")]
    [('公安部',), ('司法部',)]
    >>> [n.offices for n in find_notes("清理排污口。(生态环境部、水利部负责,2020年6月底前完成)")]
    [('生态环境部', '水利部')]
    >>> [(n.offices, n.lead) for n in find_notes("建设备用水源。 牵头单位:住房城乡建设部 配合单位:水利部、应急管理部")]
    [(('住房城乡建设部', '水利部', '应急管理部'), '住房城乡建设部')]
    >>> [n.offices for n in find_notes("审计资金。 责任单位:省财政厅、省审计厅 完成时限:2020年底前")]
    [('省财政厅', '省审计厅')]
    """
    out: list[OfficeNote] = []
    spans = list(parentheses(text))
    for start, end, inner in spans:
        where = _stands_as_note(text, start, end)
        if not where:
            continue
        found = _labelled(inner) or _bare(inner)
        if found and found[0] and (where == "yes" or _plain_names(found[0])):
            offices, lead = found
            out.append(OfficeNote(start, end, tuple(offices), lead))
    out.extend(_open_notes(text, spans))
    return sorted(out, key=lambda n: n.start)


_RUN_END = re.compile(r"[。!?]|$")
# the space before any label (配合单位:, 完成时限:) parts it from the list before it
_LABEL_GAP = re.compile(r"\s+(?=[\u4e00-\u9fff]{2,6}\s*:)")


def _open_notes(text: str, spans) -> list[OfficeNote]:
    """Labelled notes written without parentheses (责任单位:A、B。), each running from its first
    label to the end of its sentence; labels on consecutive lines (牵头单位:A 配合单位:B) are one
    note. A label inside a parenthesis is the parenthesis's."""
    out: list[OfficeNote] = []
    at = 0
    for m in _OPEN_LABEL.finditer(text):
        if m.start() < at or any(a < m.start() < b for a, b, _ in spans):
            continue
        stop = _RUN_END.search(text, m.start()).start()
        run = _LABEL_GAP.sub(";", text[m.start():stop].strip())
        found = _labelled(run)
        at = stop
        if found and found[0]:
            out.append(OfficeNote(m.start(), min(stop + 1, len(text)), tuple(found[0]), found[1]))
    return out


def note_offices(text: str) -> list[str]:
    """The offices of every note of a text, in written order, without duplicates."""
    out: list[str] = []
    for note in find_notes(text):
        out.extend(n for n in note.offices if n not in out)
    return out
