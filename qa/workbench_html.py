"""Markup of the 评测 tab, apart from Gradio: the figures table, a small chart per intent, the two
clauses of a failure side by side, the question-by-question differences of two configurations.

Pure functions of plain data (report dicts, clauses); every corpus and user string is escaped
with cards.esc, so a question set cannot put markup into the page.
"""
from __future__ import annotations

from .cards import clause_card, esc
from .evalreport import LABELS, figure
from .scoring import METRICS

CONFIG_NAMES = {"full": "完整系统", "hybrid": "混合检索", "bm25": "仅 BM25", "dense": "仅向量",
                "embedder:none": "完整系统（不用向量模型）"}
BAR_WIDTH = 160


def figures_html(results: dict[str, dict]) -> str:
    """One table: a row per metric, a column per configuration (name → report), with n.

    >>> html = figures_html({"full": {"hit1": 0.5, "n": {"hit1": 4}, "rows": 4}})
    >>> "完整系统" in html and "0.500" in html and "(4)" in html
    True
    """
    names = list(results)
    head = "".join(f"<th>{esc(CONFIG_NAMES.get(n, n))}</th>" for n in names)
    counts = "".join(f"<td>{r.get('rows', 0)}</td>" for r in results.values())
    rows = [f"<tr><th>题数</th>{counts}</tr>"]
    for m in METRICS:
        cells = "".join(f'<td data-metric="{m}">{figure(r.get(m))} <small>({r.get("n", {}).get(m, 0)})</small></td>'
                        for r in results.values())
        rows.append(f"<tr><th>{esc(LABELS[m])}</th>{cells}</tr>")
    return (f'<table class="qa-table qa-eval-figures" id="qa-eval-figures-table"><thead><tr><th>指标</th>{head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def intent_chart_svg(by_intent: dict[str, dict]) -> str:
    """A small bar chart per intent: one bar per metric that applies to it (0–1).

    >>> svg = intent_chart_svg({"clause": {"hit1": 0.75, "hit5": 1.0, "rows": 4}})
    >>> svg.count("<rect") >= 2 and "clause" in svg and "0.750" in svg
    True
    """
    blocks = []
    for intent, summary in by_intent.items():
        present = [(m, summary.get(m)) for m in METRICS if summary.get(m) is not None]
        height = 22 + 16 * max(1, len(present))
        bars = [f'<text x="0" y="14" class="qa-chart-title">{esc(intent)} (n={summary.get("rows", 0)})</text>']
        for i, (m, v) in enumerate(present):
            y = 22 + 16 * i
            w = max(1, round(BAR_WIDTH * float(v)))
            bars.append(f'<text x="0" y="{y + 11}" font-size="11">{esc(LABELS[m])}</text>'
                        f'<rect x="96" y="{y + 2}" width="{BAR_WIDTH}" height="11" fill="#eee"></rect>'
                        f'<rect x="96" y="{y + 2}" width="{w}" height="11" fill="#4a7bd0"></rect>'
                        f'<text x="{100 + BAR_WIDTH}" y="{y + 11}" font-size="11">{figure(v)}</text>')
        blocks.append(f'<svg class="qa-intent-chart" width="300" height="{height}" role="img" '
                      f'aria-label="{esc(intent)}" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>')
    return f'<div class="qa-intent-charts">{"".join(blocks) or "<p>没有可画的数字。</p>"}</div>'


def side_by_side(expected: list, got, titles, expected_note: str = "") -> str:
    """The gold clause(s) and the answer's first clause in two columns; `expected_note` stands in
    when the gold is no clause (not in the documents, only offices or a value)."""
    left = "".join(clause_card(c, titles) for c in expected) or f"<p>{esc(expected_note or '（无条款）')}</p>"
    right = clause_card(got, titles) if got is not None else "<p>（没有返回条款）</p>"
    return ('<div class="qa-eval-compare" style="display:flex;gap:12px;flex-wrap:wrap">'
            f'<section class="qa-eval-expected" style="flex:1;min-width:260px"><h4>应为</h4>{left}</section>'
            f'<section class="qa-eval-got" style="flex:1;min-width:260px"><h4>实际</h4>{right}</section></div>')


def differences_html(diffs: list[dict], first: str, second: str) -> str:
    """The questions whose outcome differs between two configurations, one line each.

    >>> html = differences_html([{"id": "q1", "question": "问", "full": {"right": True, "top": "a"},
    ...                           "bm25": {"right": False, "top": "b"}}], "full", "bm25")
    >>> "q1" in html and "✓" in html and "✗" in html
    True
    """
    if not diffs:
        return "<p>两种配置的结果逐题相同。</p>"
    a, b = CONFIG_NAMES.get(first, first), CONFIG_NAMES.get(second, second)
    rows = []
    for d in diffs:
        cells = []
        for name in (first, second):
            o = d[name]
            mark = "✓" if o.get("right") else "✗"
            cells.append(f"<td>{mark} {esc(o.get('top') or '—')}</td>")
        rows.append(f"<tr><td>{esc(d['id'])}</td><td>{esc(d['question'])}</td>{''.join(cells)}</tr>")
    return (f'<p>{len(diffs)} 题结果不同：</p><table class="qa-table qa-eval-diffs"><thead><tr><th>编号</th>'
            f'<th>问题</th><th>{esc(a)}</th><th>{esc(b)}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def unscorable_html(entries: list[dict], render_reason) -> str:
    """The rows that could not be scored, with the reason each (worded by `render_reason`)."""
    if not entries:
        return ""
    items = "".join(f"<li>{esc(u['id'])}（第 {u['line']} 行）{esc(u['question'])} — {esc(render_reason(u))}</li>"
                    for u in entries)
    return f'<div class="qa-eval-unscorable"><p>{len(entries)} 行无法评分：</p><ul>{items}</ul></div>'
