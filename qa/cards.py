"""HTML for the chatbot: an `Answer`, a clause and the offices as markup (the indicator table and
chart are qa/indicator_cards.py).

Pure functions of records, no Gradio and no engine: app.py calls them and shows the strings.
Escaping rule: every string that comes from the user or the corpus goes through `esc`
(html.escape plus the characters Gradio's HTML template language treats specially), and
question terms are highlighted by escaping the text first and then wrapping the escaped terms
in <mark>, so a highlight can never open a tag.
"""
from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Iterable, Mapping, Sequence
from urllib.parse import quote

from .answer import citation
from .records import Answer, Clause

NOT_COVERED_TITLE = "本规划没有涉及这个问题"
RELATED_TITLE = "相关条款"
REFERENCE_ONLY_TITLE = "相关条款（仅供参考）"
WELCOME = "请在下方输入问题，或点一个示例问题。回答全部引自规划原文，并注明出处和责任单位。"
READING = "按上文理解为："  # how qa/answer.py's read_in_context opens an answer read in context
MAX_RELATED = 4
HEADLINE_CHARS = 110

# Gradio's gr.HTML evaluates its *template* as a JS template string; values are inserted as data,
# but escaping `{ } $ \`` as well keeps corpus or user text inert under any template.
_EXTRA = str.maketrans({"{": "&#123;", "}": "&#125;", "$": "&#36;", "`": "&#96;"})
_ENTITY = r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);"


def esc(text) -> str:
    """Escape any value for HTML text or a quoted attribute.

    >>> esc('<img src=x onerror="a">')
    '&lt;img src=x onerror=&quot;a&quot;&gt;'
    >>> esc("{x} $y")
    '&#123;x&#125; &#36;y'
    """
    return html.escape("" if text is None else str(text), quote=True).translate(_EXTRA)


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escaped `text` with every escaped term wrapped in <mark>; longest terms win.

    Terms shorter than two characters are ignored (a single character marks half the plan);
    matches never fall inside an entity such as &amp;.
    >>> highlight("知识产权质押<融资>", ["质押", "融资"])
    '知识产权<mark>质押</mark>&lt;<mark>融资</mark>&gt;'
    """
    safe = esc(text)
    wanted = sorted({esc(t) for t in terms if t and len(t.strip()) >= 2}, key=len, reverse=True)
    if not wanted:
        return safe
    pattern = re.compile(f"({_ENTITY})|(" + "|".join(re.escape(t) for t in wanted) + ")", re.IGNORECASE)
    marked = pattern.sub(lambda m: m.group(1) or f"<mark>{m.group(2)}</mark>", safe)
    return marked.replace("</mark><mark>", "")  # 知识|产权 read as one highlight


def path_text(clause: Clause) -> str:
    """The clause's place in the outline, headings joined by ›.

    >>> item = Clause("d:二.九.2", "d", ("二、主要任务", "(九)加强运用", "2.创新金融服务"), "创新金融服务", "")
    >>> path_text(item)
    '二、主要任务 › (九)加强运用 › 2.创新金融服务'
    """
    return " › ".join(clause.path)


def full_citation(clause: Clause, titles: Mapping[str, str]) -> str:
    """The citation a reader can paste: the plan's title (from `titles`, by doc id) and the clause.

    >>> item = Clause("d:二.九.2", "d", ("二、主要任务",), "创新金融服务", "…", number="二(九)2")
    >>> full_citation(item, {"d": "吉林省知识产权规划"})
    '《吉林省知识产权规划》二、(九)2「创新金融服务」'
    """
    title = titles.get(clause.doc_id) or "规划"
    return f"《{title}》{citation(clause)}"


def clause_link(clause_id: str) -> str:
    """The relative URL that opens one clause in the browse tab.

    >>> clause_link("doc:二")
    '?clause=doc%3A%E4%BA%8C'
    """
    return "?clause=" + quote(clause_id, safe="")


def office_tags(names: Iterable[str]) -> str:
    """Distinct offices as tags, in the order given; empty string when there are none."""
    distinct = list(dict.fromkeys(n for n in names if n))
    if not distinct:
        return ""
    tags = "".join(f'<span class="qa-tag">{esc(n)}</span>' for n in distinct)
    return f'<div class="qa-tags" aria-label="责任单位"><span class="qa-tags-label">责任单位</span>{tags}</div>'


def doc_prefix(clause: Clause, titles: Mapping[str, str]) -> str:
    """《title》 before a citation when the corpus holds several documents (one needs no name).

    >>> c = Clause("a:一", "a", ("一、甲",), "甲", "")
    >>> doc_prefix(c, {"a": "某方案"}), doc_prefix(c, {"a": "某方案", "b": "某意见"})
    ('', '《某方案》')
    """
    return f"《{titles.get(clause.doc_id, clause.doc_id)}》" if len(titles) > 1 else ""


def doc_line(clause: Clause, titles: Mapping[str, str]) -> str:
    """The document a card's clause comes from, in a library of several documents."""
    prefix = doc_prefix(clause, titles)
    return f'<div class="qa-doc">{esc(prefix)}</div>' if prefix else ""


def cite_bar(clause: Clause, titles: Mapping[str, str]) -> str:
    """The copyable citation, a copy button and the link that opens the clause."""
    cite = full_citation(clause, titles)
    return ('<div class="qa-cite">'
            f'<code class="qa-cite-text">{esc(cite)}</code>'
            f'<button type="button" class="qa-copy" data-cite="{esc(cite)}">复制引用</button>'
            f'<a class="qa-open" href="{esc(clause_link(clause.id))}" target="_blank" rel="noopener">打开条款</a>'
            '</div>')


def clause_card(clause: Clause, titles: Mapping[str, str], terms: Iterable[str] = (),
                offices: Sequence[str] | None = None, css_class: str = "qa-card") -> str:
    """One clause: its path, its text (terms highlighted), its offices and its citation.

    `offices` overrides the clause's own offices (the top card shows the answer's offices).
    """
    names = clause.offices_as_written if offices is None else offices
    return (f'<article class="{css_class}" data-clause="{esc(clause.id)}">{doc_line(clause, titles)}'
            f'<div class="qa-path">{esc(path_text(clause))}</div>'
            f'<div class="qa-text">{highlight(clause.text, terms)}</div>'
            f'{office_tags(names)}{cite_bar(clause, titles)}</article>')


def related_list(clauses: Sequence[Clause], titles: Mapping[str, str], terms: Iterable[str],
                 heading: str) -> str:
    """Clauses collapsed in <details>, each opening to its card."""
    if not clauses:
        return ""
    terms = list(terms)
    items = "".join(
        f'<details class="qa-related"><summary>{esc(doc_prefix(c, titles) + citation(c))}'
        f'<span class="qa-summary-path">{esc(path_text(c))}</span></summary>'
        f'{clause_card(c, titles, terms, css_class="qa-card qa-card-inner")}</details>'
        for c in clauses)
    return f'<section class="qa-related-list"><h4>{esc(heading)}</h4>{items}</section>'


def headline(answer: Answer) -> tuple[str, bool]:
    """(one line that answers, whether it was shortened). The full text stays available.

    >>> answer = Answer("谁负责?", True, "department",
    ...                 "根据规划二、(九)2「创新金融服务」，责任单位是：省科技厅。原文：2.创新金融服务。……")
    >>> headline(answer)
    ('根据规划二、(九)2「创新金融服务」，责任单位是：省科技厅。', True)
    """
    text = answer.answer
    for marker in ("原文：", "整行："):
        if marker in text:
            return text[: text.index(marker)].rstrip(), True
    if len(text) > HEADLINE_CHARS:
        return text[:HEADLINE_CHARS].rstrip("，、；：") + "…", True
    return text, False


def split_reading(answer: Answer) -> tuple[str | None, Answer]:
    """(how a follow-up was read, the answer without that first line); (None, answer) for a
    question answered on its own. An empty reading (context found nothing to read) is "".

    >>> reading, rest = split_reading(Answer("它呢？", True, "clause", "按上文理解为：一1讲的是什么？\\n规划一1：……",
    ...                                      resolved_question="一1讲的是什么？"))
    >>> reading, rest.answer
    ('一1讲的是什么？', '规划一1：……')
    """
    text = answer.answer
    if answer.resolved_question is None or not text.startswith(READING):
        return None, answer
    first, _, rest = text.partition("\n")
    return first[len(READING):].strip(), replace(answer, answer=rest)


def reading_html(reading: str | None) -> str:
    """The line saying how a follow-up was read in the conversation's context (escaped)."""
    if not reading:
        return ""
    return f'<p class="qa-reading"><span class="qa-reading-label">{esc(READING)}</span>{esc(reading)}</p>'


def answer_html(answer: Answer, titles: Mapping[str, str], terms: Iterable[str] = ()) -> str:
    """The whole reply to one question: one line, the top clause card, then related clauses.

    When the plan does not answer (found false), it says so and offers the nearest clauses only
    as "相关条款（仅供参考）", never as the answer. A follow-up read in context opens with how it
    was read (「按上文理解为：…」) on a line of its own.
    """
    terms = list(terms)
    hits = [h.clause for h in answer.hits]
    reading, answer = split_reading(answer)
    if not answer.found:
        # "not covered" is said of the plan only when the question itself was looked for in it
        contextual = reading is not None or (answer.decision is not None and answer.decision.answerer == "no_context")
        title = "" if contextual else f"<strong>{esc(NOT_COVERED_TITLE)}。</strong>"
        parts = [f'<div class="qa-answer qa-notfound">{reading_html(reading)}'
                 f'<p class="qa-headline">{title}{esc(answer.answer)}</p>']
        parts.append(related_list(hits[:MAX_RELATED], titles, terms, REFERENCE_ONLY_TITLE))
        parts.append("</div>")
        return "".join(parts)
    line, shortened = headline(answer)
    parts = [f'<div class="qa-answer qa-found">{reading_html(reading)}<p class="qa-headline">{esc(line)}</p>']
    if answer.value is not None:
        parts.append(f'<p class="qa-value">数值：<strong>{esc(answer.value)}</strong></p>')
    if shortened:
        parts.append(f'<details class="qa-full"><summary>完整回答</summary><p>{esc(answer.answer)}</p></details>')
    if hits:
        top = hits[0]
        offices = answer.departments or top.offices_as_written
        parts.append(clause_card(top, titles, terms, offices, css_class="qa-card qa-top"))
        parts.append(related_list(hits[1:1 + MAX_RELATED], titles, terms, RELATED_TITLE))
    parts.append("</div>")
    return "".join(parts)


def turn_html(question: str, reply_html: str) -> str:
    """One exchange: the user's question (escaped) and the reply markup."""
    return (f'<div class="qa-turn"><div class="qa-question"><span class="qa-who">问</span>'
            f'<span class="qa-question-text">{esc(question)}</span></div>{reply_html}</div>')


def question_html(question: str) -> str:
    """A user's question as the content of its chat message: escaped, so it shows as typed.

    >>> question_html("<b>专利</b>")
    '&lt;b&gt;专利&lt;/b&gt;'
    """
    return esc(question)


def question_text(content: str) -> str:
    """The question back from its message content (`question_html` undone).

    >>> question_text(question_html("<b>{专利}</b> & $x"))
    '<b>{专利}</b> & $x'
    """
    return html.unescape(content)


def conversation_html(turns: Sequence[str]) -> str:
    """All exchanges in the order given (the app passes newest first); a welcome line when none."""
    if not turns:
        return f'<div class="qa-chat qa-empty"><p>{esc(WELCOME)}</p></div>'
    return '<div class="qa-chat">' + "".join(turns) + "</div>"


# ---------------------------------------------------------------- browse tab

def outline_label(clause: Clause) -> str:
    """A tree line for the outline: indented by depth (ideographic spaces survive HTML).

    >>> item = Clause("d:二.九.2", "d", ("二、主要任务", "(九)加强运用", "2.创新金融服务"), "创新金融服务", "")
    >>> outline_label(item)
    '\u3000\u30002.创新金融服务'
    """
    depth = max(len(clause.path) - 1, 0)
    return "\u3000" * depth + (clause.path[-1] if clause.path else clause.title)


def outline_choices(clauses: Sequence[Clause]) -> list[tuple[str, str]]:
    """(label, clause id) for every clause, in plan order."""
    return [(outline_label(c), c.id) for c in sorted(clauses, key=lambda c: c.order)]


def clause_view(clause: Clause | None, children: Sequence[Clause], titles: Mapping[str, str],
                missing: str = "") -> str:
    """The browse pane: one clause card and, for a part or section, links to what it contains."""
    if clause is None:
        if missing:
            return f'<div class="qa-view qa-missing"><p>没有找到条款「{esc(missing)}」，请在目录中选择。</p></div>'
        return '<div class="qa-view qa-empty"><p>请在目录中选择一个条款。</p></div>'
    parts = [f'<div class="qa-view">{clause_card(clause, titles, css_class="qa-card qa-top")}']
    if clause.kind == "indicator" and clause.values:
        cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in clause.values.items())
        parts.append(f'<table class="qa-table qa-values">{cells}</table>')
    if children:
        items = "".join(f'<li><a href="{esc(clause_link(c.id))}">{esc(citation(c))}</a></li>' for c in children)
        parts.append(f'<section class="qa-children"><h4>下设条款</h4><ul>{items}</ul></section>')
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- offices tab

def offices_html(offices: Sequence, clauses_of: Mapping[str, Sequence[Clause]],
                 titles: Mapping[str, str]) -> str:
    """Every office: canonical name, full name, aliases and every clause naming it (plan order).

    `offices` are qa.offices.Office records; `clauses_of` maps a canonical name to its clauses.
    """
    rows = []
    for o in offices:
        clauses = list(clauses_of.get(o.name, ()))
        full = f'<span class="qa-fullname">{esc(o.full_name)}</span>' if o.full_name and o.full_name != o.name else ""
        aliases = [a for a in o.aliases if a and a not in (o.name, o.full_name)]
        alias_line = (f'<p class="qa-aliases">又称：{"、".join(esc(a) for a in aliases)}</p>' if aliases else "")
        if clauses:
            items = "".join(f'<li><a href="{esc(clause_link(c.id))}" target="_blank" rel="noopener">'
                            f'{esc(citation(c))}</a></li>' for c in clauses)
            listing = f'<ol class="qa-office-clauses">{items}</ol>'
        else:
            listing = '<p>规划中没有把该单位列为责任单位的条款。</p>'
        rows.append(f'<details class="qa-office" data-office="{esc(o.name)}"><summary>'
                    f'<span class="qa-tag">{esc(o.name)}</span>{full}'
                    f'<span class="qa-count">{len(clauses)} 项</span></summary>{alias_line}{listing}</details>')
    return f'<div class="qa-offices">{"".join(rows)}</div>'
