"""The title block and the signature block of a document of the genre: title, number, date, issuer.

A document opens with its title (a web page may break it over two or three lines), its number
(国发〔2019〕4号), the addressees and, for a covering notice (关于印发…的通知), the notice text, the
signature and then the attachment's own title: that last title is the document's subject. The body
closes with a signature block (issuer, 成文 date, (此件公开发布)) and may be followed by attachments
(a line 附件 or 附件2 alone). Everything here is read by the shape of lines, never by their words
about one document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(][12]\d{3}[〕\])]\d{1,4}号")
_CN_DIGITS = "〇一二三四五六七八九"
DATE_LINE = re.compile(r"^((?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                       r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$")
PAREN_DATE = re.compile(r"^\(((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
LABELLED_DATE = re.compile(r"(?:成文日期|发布日期|印发日期)\s*:\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ATTACHMENT = re.compile(r"^附\s*件\s*([0-9一二三四五六七八九十]*)$")
# after the signature an attachment may also open as 附件1:标题 on one line
ATTACHMENT_TITLED = re.compile(r"^附\s*件\s*([0-9一二三四五六七八九十]*)\s*:\s*(\S.*)$")
_TERMINAL = tuple("。!?;:)」”…")
_CHROME = re.compile(r"[|>【】:]|\d{4}[-年]\d")
_ISSUER_END = ("国务院", "办公厅", "人民政府", "委员会", "部", "委", "局", "厅", "办", "署", "院", "会", "行")
_GENRE_END = re.compile(r"(?:通知|意见|决定|方案|规划|办法|纲要|计划|措施|细则|规定|批复|函|报告|公告|通告|条例|指引"
                        r"|要点|清单|指标|目录|标准)$")
_ATTACHMENT_END = re.compile(r"(?:表|名单|一览|目录|任务)$")
_OUTLINE = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、](?!\d))")


@dataclass(frozen=True)
class Header:
    """What the title block says; `title_at` is the index of the title's last line (-1: none)."""

    title: str = ""
    title_at: int = -1
    notice: str = ""       # the covering notice's own title, when the title is an attachment's
    number: str = ""
    date: str = ""
    issuer: str = ""


def _title_like(line: str, quoted: bool = False) -> bool:
    """A line that may be (part of) a title; `quoted`: one ending in a closing quote may be too
    (…关于印发“某某” broken before the rest of the name)."""
    ends = tuple(ch for ch in _TERMINAL if ch not in "”」") if quoted else _TERMINAL
    return (2 <= len(line) <= 80 and not line.endswith(ends) and not _CHROME.search(line)
            and not NUMBER.fullmatch(line) and not _OUTLINE.match(line) and not DATE_LINE.match(line))


def _complete(line: str) -> bool:
    """A line that ends the way a title of the genre ends (…的通知, …意见, …规划)."""
    return bool(_GENRE_END.search(line))


def _title_lines(lines: list[str], end: int) -> tuple[int, int]:
    """(first, last) index of the last title before line `end`, with the lines a web page broke
    it into joined back (at most three); (-1, -1) if there is none."""
    # a line just above a date is the signature's issuer, not a title
    last = next((i for i in range(end - 1, -1, -1) if _title_like(lines[i]) and len(lines[i]) >= 4
                 and not (i + 1 < len(lines) and DATE_LINE.match(lines[i + 1]))), -1)
    if last < 0:
        return -1, -1
    first = last
    while first > 0 and last - first < 2 and _title_like(lines[first - 1]) and not _complete(lines[first - 1]):
        first -= 1
    return first, last


def _notice(lines: list[str], end: int) -> str:
    """The first title naming what it is about (…关于…), joined over at most three lines."""
    for i in range(end):
        if "关于" in lines[i] and _title_like(lines[i], quoted=True):
            j = i
            while not _complete(lines[j]) and j + 1 < end and j - i < 2 and _title_like(lines[j + 1]):
                j += 1
            return "".join(lines[i:j + 1])
    return ""


def _number(text: str) -> int:
    """An Arabic or Chinese number of a date: 2019, 二〇一九, 十二, 二十四.

    >>> _number("二〇一九"), _number("二十四"), _number("十二"), _number("07")
    (2019, 24, 12, 7)
    """
    if text.isdigit():
        return int(text)
    text = text.replace("零", "〇")
    if "十" not in text:
        return int("".join(str(_CN_DIGITS.index(ch)) for ch in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.index(tens) if tens else 1) * 10 + (_CN_DIGITS.index(ones) if ones else 0)


def _date(m: re.Match) -> str:
    return f"{_number(m.group(1))}年{_number(m.group(2))}月{_number(m.group(3))}日"


def read_header(lines: list[str], start: int) -> Header:
    """Title, number, date and issuer of a document whose outline starts at line `start`.

    >>> h = read_header(["国务院关于推进", "某某工作的意见", "国发〔2030〕9号", "", "各省人民政府:", "一、总体要求"], 5)
    >>> h.title, h.number, h.title_at
    ('国务院关于推进某某工作的意见', '国发〔2030〕9号', 1)
    >>> h = read_header(["某省人民政府关于印发某某", "规划的通知", "某省人民政府", "2030年3月1日", "", "某某规划", "一、目标"], 6)
    >>> h.title, h.notice, h.date, h.issuer
    ('某某规划', '某省人民政府关于印发某某规划的通知', '2030年3月1日', '某省人民政府')
    >>> h = read_header(["某某办法", "某某省人民政府", "二〇三〇年一月二十四日", "一、总则"], 3)
    >>> h.title, h.date
    ('某某办法', '2030年1月24日')
    >>> read_header(["国务院关于某某的决定", "(2030年1月24日国务院第9次常务会议通过)", "一、总则"], 2).date
    '2030年1月24日'
    """
    first, last = _title_lines(lines, start)
    title = "".join(lines[first:last + 1]) if last >= 0 else ""
    notice = _notice(lines, start)
    # the document's own number stands alone on its line or after 发文字号:; one cited in a sentence
    # (…(国发〔2030〕86号)…) is another document's
    number = next((m.group(1) for line in lines[:start]
                   for m in [re.fullmatch(rf"(?:(?:发文字号|文号)\s*:\s*)?({NUMBER.pattern})", line)] if m), "")
    date, issuer = "", ""
    for i, line in enumerate(lines):
        m = DATE_LINE.match(line)
        if m:
            date = _date(m)
            above = lines[i - 1] if i else ""
            if above and len(above) <= 30 and _title_like(above) and above.endswith(_ISSUER_END):
                issuer = above
            break
    if not date:  # 成文日期:…, or a dated line under the title: (2030年1月24日国务院第9次常务会议通过)
        date = next((_date(m) for line in lines for m in [LABELLED_DATE.search(line)] if m), "")
    if not date:
        date = next((_date(m) for line in lines[:start] for m in [PAREN_DATE.match(line)] if m), "")
    head = notice or title
    if not issuer and "关于" in head and head.index("关于") <= 30:
        issuer = head[:head.index("关于")]
    return Header(title, last, notice if notice != title else "", number, date, issuer)


def _unmarked_attachments(lines: list[str], date_at: int) -> list[int]:
    """Attachments after a signature written 附件1:标题 on one line, or, with no marker at all,
    a title followed by an outline: the index where each starts."""
    titled = [i for i in range(date_at + 1, len(lines)) if ATTACHMENT_TITLED.match(lines[i])]
    if titled:
        return titled
    first = next((i for i in range(date_at + 1, len(lines)) if lines[i] and _title_like(lines[i])), None)
    # only a title of the genre's kind (…方案, …清单, …分工表) soon followed by an outline: page
    # chrome after a signature (扫一扫, 相关稿件) is neither
    if first is None or not (_complete(lines[first]) or _ATTACHMENT_END.search(lines[first])):
        return []
    following = [l for l in lines[first + 1:] if l][:8]
    return [first] if any(_OUTLINE.match(l) or l.replace(" ", "") == "序号" for l in following) else []


def body_end(lines: list[str], start: int) -> tuple[int, list[int]]:
    """Where the body after `start` ends (its signature block, or the first attachment) and the
    line index of each attachment marker (附件, 附件2 alone on a line).

    >>> body_end(["一、甲", "做好工作。", "国务院", "2030年1月2日", "(此件公开发布)", "附件", "清单"], 0)
    (2, [5])
    >>> body_end(["一、甲", "做好工作。", "国务院", "2030年1月2日", "附件1:甲清单", "一、乙"], 0)
    (2, [4])
    >>> body_end(["一、甲", "做好工作。", "国务院", "2030年1月2日", "(此件公开发布)", "甲方案", "一、乙"], 0)
    (2, [5])
    """
    marks = [i for i in range(start, len(lines)) if ATTACHMENT.match(lines[i].replace(" ", ""))]
    limit = marks[0] if marks else len(lines)
    date_at = next((i for i in range(start, limit) if DATE_LINE.match(lines[i])), None)
    end = date_at if date_at is not None else limit
    if date_at is not None and not marks:
        marks = _unmarked_attachments(lines, date_at)
    if date_at is not None:
        # a list of attachments (附件:1.甲方案 / 2.乙方案) above the signature is not an outline
        listed = next((k for k in range(date_at - 1, max(start, date_at - 12), -1) if lines[k].startswith("附件")), None)
        if listed is not None and all(len(l) <= 60 and not l.endswith(_TERMINAL) for l in lines[listed + 1:date_at]):
            end = listed
    # the issuer and the list of attachments above the date belong to the signature block
    while end - 1 > start and (not lines[end - 1] or lines[end - 1].startswith("附件")
                               or (date_at is not None and len(lines[end - 1]) <= 40
                                   and not lines[end - 1].endswith(_TERMINAL) and not _OUTLINE.match(lines[end - 1]))):
        end -= 1
    return end, marks
