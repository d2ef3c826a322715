"""The indicator table and chart as markup: the 主要指标 tab, apart from the answer cards.

Pure functions of indicator rows (Clause records whose `values` hold the table's cells). The
years come from the rows' own header — the last year column is the target, the earlier ones the
actual values — so any plan's table draws without knowing its period. Shortcut: the chart is a
hand-drawn inline SVG (no plotting library, no CDN), each bar scaled to its row's own target.
"""
from __future__ import annotations

import re
from typing import Sequence

from .cards import clause_link, esc
from .records import Clause


def indicator_columns(rows: Sequence[Clause]) -> list[str]:
    """The union of the rows' value columns, in first-seen order."""
    return list(dict.fromkeys(k for r in rows for k in r.values))


def indicators_table_html(rows: Sequence[Clause]) -> str:
    """The indicator table as the plan prints it: one row per indicator, values by column."""
    if not rows:
        return '<p>规划中没有主要指标表。</p>'
    columns = indicator_columns(rows)
    head = "".join(f"<th>{esc(_column_label(c))}</th>" for c in columns)
    body = "".join(
        f'<tr><th scope="row"><a href="{esc(clause_link(r.id))}" target="_blank" rel="noopener">{esc(r.title)}</a></th>'
        + "".join(f"<td>{esc(r.values.get(c, ''))}</td>" for c in columns) + "</tr>"
        for r in rows)
    return (f'<p class="qa-hint">表格较宽，可左右滑动查看全部列。</p>'
            f'<div class="qa-table-wrap"><table class="qa-table qa-indicators"><thead><tr><th>指标</th>{head}</tr>'
            f'</thead><tbody>{body}</tbody></table></div>')


def indicators_by_document_html(rows: Sequence[Clause], titles) -> str:
    """In a library, one table per document that has indicators, under its title (each with its
    own columns: a plan's years, an indicator list's 计算方法 and 指标来源), each with its chart
    when its columns are years; one document: the table alone, as before."""
    docs = list(dict.fromkeys(r.doc_id for r in rows))
    if len(titles) < 2 or len(docs) < 1:
        return indicators_table_html(rows)
    parts = []
    for doc in docs:
        own = [r for r in rows if r.doc_id == doc]
        parts.append(f'<h3 class="qa-doc-heading">《{esc(titles.get(doc, doc))}》</h3>' + indicators_table_html(own))
        years, _ = indicator_years(own)
        if years:
            parts.append(f"<p>{esc(chart_caption(own))}</p>" + indicators_chart_svg(own))
    return "".join(parts)


def _column_label(column: str) -> str:
    return f"{column}年" if column.isdigit() else column


def _number(text) -> float | None:
    try:
        return float(str(text).strip().rstrip("%"))
    except (TypeError, ValueError):
        return None


_YEAR_COLUMN = re.compile(r"(?:19|20)\d{2}")


def indicator_years(rows: Sequence[Clause]) -> tuple[tuple[str, ...], str | None]:
    """(the years of actual values, the target year), read from the rows' own year columns:
    the last year column is the target, the earlier ones are actual values.

    >>> row = Clause("d:指标.1", "d", ("主要指标", "专利(件)"), "专利(件)", "", kind="indicator",
    ...              values={"2015": "1.2", "2016": "1.5", "2020": "3", "属性": "预期性"})
    >>> indicator_years([row])
    (('2015', '2016'), '2020')
    """
    years = [c for c in indicator_columns(rows) if _YEAR_COLUMN.fullmatch(c)]
    years.sort()
    return (tuple(years[:-1]), years[-1]) if years else ((), None)


def chart_caption(rows: Sequence[Clause], years: Sequence[str] | None = None, target: str | None = None) -> str:
    """The line above the chart, naming the table's own years; empty when there is no year column.

    >>> row = Clause("d:指标.1", "d", ("主要指标", "专利(件)"), "专利(件)", "", kind="indicator",
    ...              values={"2020": "3", "2025": "5"})
    >>> chart_caption([row])
    '各项指标 2020 年实际值与 2025 年目标的比较（按各自目标值换算为百分比，标注原始数值）：'
    """
    found_years, found_target = indicator_years(rows)
    years = tuple(found_years if years is None else years)
    target = found_target if target is None else target
    if target is None:
        return ""
    how = "（按各自目标值换算为百分比，标注原始数值）："
    if not years:
        return f"各项指标 {target} 年目标{how}"
    return f"各项指标 {'、'.join(years)} 年实际值与 {target} 年目标的比较{how}"


def indicators_chart_svg(rows: Sequence[Clause], years: Sequence[str] | None = None,
                         target: str | None = None) -> str:
    """Each indicator's values in `years` as bars against its `target` (the dashed line = 100%).

    The years default to the rows' own year columns (`indicator_years`): the last is the target,
    the earlier ones the actual values; pass `years`/`target` to override.
    Indicators differ in unit and size (0.11 件 to 2272 件), so every bar is drawn as a share
    of its own target and labelled with the real value. Rows without a numeric target are left out.

    >>> row = Clause("d:指标.1", "d", ("主要指标", "专利(件)"), "专利(件)", "", kind="indicator",
    ...              values={"2020": "3", "2025": "5"})
    >>> svg = indicators_chart_svg([row])
    >>> svg.startswith("<svg"), "专利(件) 2025年目标：5" in svg
    (True, True)
    >>> indicators_chart_svg([])
    '<p>没有可以作图的指标。</p>'
    """
    found_years, found_target = indicator_years(rows)
    years = tuple(found_years if years is None else years)
    target = found_target if target is None else target
    usable = [(r, _number(r.values.get(target))) for r in rows] if target is not None else []
    usable = [(r, t) for r, t in usable if t]
    if not usable:
        return '<p>没有可以作图的指标。</p>'
    width, left, plot_w, bar_h, gap, top_share = 330, 2, 200, 11, 3, 1.25
    x100 = left + plot_w / top_share
    series = [(y, "#9ecae1", f"{y}年") for y in years] + [(target, "none", f"{target}年目标")]
    items, y = [], 30
    for r, t in usable:
        items.append(f'<text x="{left}" y="{y + 11}" class="qa-svg-name">{esc(r.title)}</text>')
        y += 16
        first = y
        for k, (year, color, label) in enumerate(series):
            raw = r.values.get(year)
            v = _number(raw)
            w = min(max(0.0, (v or 0.0) / t), top_share) * plot_w / top_share
            fill = "#3182bd" if k == len(years) - 1 else color
            stroke = ' stroke="#d62728" stroke-width="1.2"' if year == target else ""
            shown = "—" if v is None else esc(raw)
            items.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{fill}"{stroke}>'
                         f'<title>{esc(r.title)} {esc(label)}：{shown}</title></rect>')
            cls = "qa-svg-target" if year == target else "qa-svg-value"
            items.append(f'<text x="{left + plot_w + 6}" y="{y + bar_h - 1}" class="{cls}">{esc(label)}：{shown}</text>')
            y += bar_h + gap
        items.append(f'<line x1="{x100:.1f}" x2="{x100:.1f}" y1="{first - 2}" y2="{y}" stroke="#d62728" '
                     f'stroke-width="1.5" stroke-dasharray="3 2"/>')
        y += 8
    legend = ""
    if len(years) > 1:  # the earlier actual years share the light colour, the latest is dark
        legend += (f'<rect x="{left}" y="6" width="12" height="10" fill="#9ecae1"/>'
                   f'<text x="{left + 16}" y="15" class="qa-svg-value">{esc(years[0])}年</text>')
    if years:
        x = left + 60 if len(years) > 1 else left
        legend += (f'<rect x="{x}" y="6" width="12" height="10" fill="#3182bd"/>'
                   f'<text x="{x + 16}" y="15" class="qa-svg-value">{esc(years[-1])}年</text>')
    legend += (f'<line x1="{left + 124}" x2="{left + 124}" y1="4" y2="18" stroke="#d62728" stroke-width="1.5" '
               f'stroke-dasharray="3 2"/>'
               f'<text x="{left + 130}" y="15" class="qa-svg-value">{esc(target)}年目标（虚线 = 100%）</text>')
    named = years if len(years) <= 2 else (years[0], years[-1])
    label = f"{'、'.join(esc(y) for y in named)}年实际值与{esc(target)}年目标" if years else f"{esc(target)}年目标"
    return (f'<svg class="qa-chart" viewBox="0 0 {width} {y}" width="100%" role="img" '
            f'aria-label="主要指标：{label}">'
            f'{legend}{"".join(items)}</svg>')


# ---------------------------------------------------------------- page assets
