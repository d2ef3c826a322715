"""Lists that a web page lays out one cell per line: indicator tables, attachment tables and
indicator lists.

A plan's indicator table (指标 / 2015 / 2020 / 属性, then a label and its numbers per row) is read by
`table_cells` and `number_rows`. Two more shapes of the genre, read by their layout alone:
- a table with a header row whose first cell is 序号 (序号 / 改革举措 / 主要内容 / 指导部门 / 推广范围):
  each row starts with its serial number alone on a line, group lines (一、…方面) may sit between
  rows, and the cells follow in header order; `table_rows` turns it into rows;
- an indicator list: an item line naming the indicator (1.门诊人次数与出院人次数比), its kind on a
  short line of its own (定量, 定性), then `key:value` lines (计算方法:…, 指标来源:…) or a
  description; `indicator_at` reads one.
A header of short cells (一级指标 / 二级指标 / … / 指标性质 / 指标说明) names the columns those values
go under; `header_at` finds it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_NUM = "一二三四五六七八九十"
GROUP = re.compile(rf"^(?:[{CN_NUM}]+、|\([{CN_NUM}]+\))")
ITEM_NAME = re.compile(r"^(\d{1,2})[.、](?!\d)\s*([^。;:!?]{1,60})$")
KEY_VALUE = re.compile(r"^([\u4e00-\u9fff]{2,8})\s*:\s*(\S.*)$")
INDICATOR_KEY = re.compile(r"(?:计算方法|计算公式|指标定义|指标说明|指标解释|统计口径|指标来源|数据来源)$")
_PUNCT = re.compile(r"[。,;:!?、()]")
SERIAL = re.compile(r"^\d{1,3}$")
NUMERIC = re.compile(r"^[+-]?\d+(\.\d+)?%?$")
OFFICE_COLUMN = re.compile(r"部门|单位")
_MARKS = "▲△★☆*"


def _compact(line: str) -> str:
    return line.replace(" ", "")


def _is_cell(line: str, width: int = 8) -> bool:
    c = _compact(line)
    return 2 <= len(c) <= width and not _PUNCT.search(c) and not GROUP.match(c) and not SERIAL.match(c)


def header_at(lines: list[str], i: int) -> tuple[list[str], int] | None:
    """A header row of three or more short cells starting at line `i` (blank lines between cells
    are skipped): the cells and the index after them, or None.

    >>> header_at(["序号", "", "举措", "", "牵头部门", "", "范围", "", "一、甲方面", "1"], 0)
    (['序号', '举措', '牵头部门', '范围'], 8)
    >>> header_at(["加强领导。", "甲"], 0) is None
    True
    """
    cells, j = [], i
    while j < len(lines):
        if not lines[j]:
            j += 1
            continue
        if not _is_cell(lines[j]):
            break
        cells.append(_compact(lines[j]))
        j += 1
    return (cells, j) if len(cells) >= 3 else None


@dataclass
class Row:
    serial: str
    cells: list[str]
    group: str = ""                              # the group line the row sits under, if any
    values: dict[str, str] = field(default_factory=dict)


def table_rows(header: list[str], lines: list[str]) -> list[Row | str]:
    """Rows of a 序号 table (and the group lines between them, as strings), cells by header name.

    A row with more cells than the header has its extra lines joined into its longest column.
    >>> rows = table_rows(["序号", "举措", "内容", "部门"], ["一、甲方面", "1", "举措甲", "做甲。", "做乙。", "某部"])
    >>> rows[0], rows[1].values
    ('一、甲方面', {'举措': '举措甲', '内容': '做甲。做乙。', '部门': '某部'})
    """
    out: list[Row | str] = []
    row: Row | None = None
    width = len(header) - 1
    for line in lines:
        if not line:
            continue
        if GROUP.match(line):
            out.append(line)
            row = None
        elif SERIAL.match(line) and (row is None or len(row.cells) >= width - 1):
            row = Row(line, [])
            out.append(row)
        elif row is not None:
            row.cells.append(line)
    rows = [r for r in out if isinstance(r, Row)]
    widest = _widest_column(rows, header[1:])
    for r in rows:
        cells = r.cells
        if len(cells) > width:
            extra = len(cells) - width
            cells = cells[:widest] + ["".join(cells[widest:widest + extra + 1])] + cells[widest + extra + 1:]
        r.values = {h: c for h, c in zip(header[1:], cells)}
    return out


def _widest_column(rows: list[Row], names: list[str]) -> int:
    """The column whose cells are longest in the rows that fill the header exactly (a column
    named like 内容 when none does)."""
    width = len(names)
    full = [r.cells for r in rows if len(r.cells) == width]
    if not full:
        return next((k for k, n in enumerate(names) if re.search(r"内容|说明|描述", n)), min(1, width - 1))
    return max(range(width), key=lambda k: sum(len(c[k]) for c in full))


def office_columns(header: list[str]) -> list[str]:
    """The header cells that name offices (指导部门, 责任单位, 牵头单位, 配合单位), in order."""
    return [h for h in header if OFFICE_COLUMN.search(h)]


def row_offices(values: dict[str, str], split) -> tuple[tuple[str, ...], str]:
    """A row's offices (its office cells, in column order, split by `split`) and its lead office
    (the first of a 牵头 column, if the table has one).

    >>> row_offices({"任务": "甲", "牵头单位": "水利部", "配合单位": "财政部、商务部"}, lambda s: s.split("、"))
    (('水利部', '财政部', '商务部'), '水利部')
    """
    offices: list[str] = []
    lead = ""
    for column in office_columns(list(values)):
        names = split(values[column])
        if "牵头" in column and names and not lead:
            lead = names[0]
        offices.extend(n for n in names if n not in offices)
    return tuple(offices), lead


@dataclass
class Indicator:
    line: str                                    # the item line, marker and name
    name: str
    values: dict[str, str]
    end: int                                     # the index after its last line


def indicator_at(lines: list[str], i: int, header: list[str] | None = None) -> Indicator | None:
    """The indicator whose item line is `lines[i]`, if the lines below it read as one.

    >>> ind = indicator_at(["3.河湖水质达标率▲", "", "定量", "", "计算方法:达标河段/全部河段×100%。", "指标来源:监测。", "4.乙"], 0)
    >>> ind.name, ind.values, ind.end
    ('河湖水质达标率', {'属性': '定量', '标记': '▲', '计算方法': '达标河段/全部河段×100%。', '指标来源': '监测。'}, 6)
    >>> indicator_at(["1.加强领导", "各地要重视。"], 0) is None
    True
    >>> indicator_at(["2.森林覆盖率", "计算方法:森林面积/土地面积×100%。", "数据来源:林草部门。"], 0).values
    {'计算方法': '森林面积/土地面积×100%。', '数据来源': '林草部门。'}
    """
    m = ITEM_NAME.match(lines[i])
    if not m:
        return None
    j = i + 1
    while j < len(lines) and not lines[j]:
        j += 1
    kv = KEY_VALUE.match(lines[j]) if j < len(lines) else None
    # the kind on a line of its own (定量), or straight away the indicator's method or source
    if j >= len(lines) or not (_is_cell(lines[j], 4) or (kv and INDICATOR_KEY.search(kv.group(1)))):
        return None
    kind_col = next((h for h in header or () if re.search(r"性质|属性|类型", h)), "属性")
    note_col = next((h for h in header or () if re.search(r"说明|解释|口径", h)), "指标说明")
    name = m.group(2).strip()
    mark = name[-1] if name and name[-1] in _MARKS else ""
    values = {} if kv else {kind_col: _compact(lines[j])}
    if mark:
        name = name.rstrip(_MARKS).strip()
        values["标记"] = mark
    description: list[str] = []
    j += 0 if kv else 1
    while j < len(lines) and not GROUP.match(lines[j]) and not ITEM_NAME.match(lines[j]) \
            and not re.match(r"^\d{1,2}[.、](?!\d)", lines[j]) and not re.match(r"^注\s*:", lines[j]):
        kv = KEY_VALUE.match(lines[j])
        if kv:
            values[kv.group(1)] = kv.group(2)
        elif lines[j] and not _is_cell(lines[j], 12):
            description.append(lines[j])
        elif lines[j]:
            break  # a short label line: the next group's heading broken off its marker
        j += 1
    if description:
        values[note_col] = "".join(description)
    return Indicator(lines[i], name, values, j)


def table_cells(lines: list[str], start: int, is_outline) -> tuple[list[str], int]:
    """Cells of a one-cell-per-line table from `start` until the next outline line."""
    cells, i = [], start
    while i < len(lines) and not is_outline(lines[i]):
        if lines[i]:
            cells.extend(c.strip() for c in re.split(r"\t", lines[i]) if c.strip())
        i += 1
    return cells, i


def number_rows(cells: list[str]) -> tuple[list[str], list[list[str]]]:
    """Split cells into a header and rows: a row starts at a label followed by a number.

    >>> number_rows(["指标", "2015", "2020", "属性", "A(件)", "1", "2", "预期性"])
    (['指标', '2015', '2020', '属性'], [['A(件)', '1', '2', '预期性']])
    """
    width = next((i for i in range(2, len(cells) - 1)
                  if not NUMERIC.match(cells[i]) and NUMERIC.match(cells[i + 1])), None)
    if width is None:
        return cells, []
    header = cells[:width]
    rows = [cells[i:i + width] for i in range(width, len(cells) - width + 1, width)]
    return header, rows


def column_name(header: str) -> str:
    """A year header becomes the bare year; other headers lose only their spaces.

    >>> column_name("2020 年"), column_name("属 性")
    ('2020', '属性')
    """
    h = header.replace(" ", "")
    m = re.fullmatch(r"((?:19|20)\d{2})年?(?:\(.*\))?", h)
    return m.group(1) if m else h
