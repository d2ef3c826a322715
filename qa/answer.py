"""Compose `Answer`s: one readable Chinese sentence that quotes the plan, plus the hits.

Pure functions of clauses; nothing here searches. Wording rule: say where the clause sits
(二、(九)2「创新知识产权金融服务」), quote it, and name the offices exactly as the plan does.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .records import Answer, Clause, Decision, Hit

NOT_COVERED = "规划中没有找到能回答这个问题的条款。"


_FORMULA_CELL = re.compile(r"[/×÷=]")
_REMARK = re.compile(r"。|[(（]([^()（）]*)[)）]")
_PURPOSE = re.compile(r"反映|引导|体现|衡量|用于|旨在|目的")   # a remark says what the figure is for


def formula_only(cell: str) -> str:
    """A formula cell without the remarks after the formula: a sentence after it, or a
    parenthesis after an operator that says what the figure is for (反映…, 引导…); a term in
    parentheses ((流动负债合计+长期负债合计), 执业(助理)医师) and an exclusion ((急诊不计入)) stay.

    >>> formula_only("负债合计/资产合计×100%(反映负债合理性,引导医院避免盲目负债)")
    '负债合计/资产合计×100%'
    >>> formula_only("(流动负债合计+长期负债合计)/资产总额×100%"), formula_only("总床日数/执业(助理)医师人数/365。医师人数=…")
    ('(流动负债合计+长期负债合计)/资产总额×100%', '总床日数/执业(助理)医师人数/365')
    """
    for m in _REMARK.finditer(cell):
        before = cell[:m.start()]
        words = m.group(1) or ""
        if _FORMULA_CELL.search(before) and (m.group() == "。" or (_PURPOSE.search(words) and not re.search(r"[/×÷=+\-]", words))):
            return before.rstrip("。；;") or cell
    return cell


def citation(clause: Clause) -> str:
    """Where a clause sits, as the answer sentence names it: its number and its title.

    >>> item = Clause("d:二.九.2", "d", ("二、主要任务", "(九)加强运用", "2.创新金融服务"), "创新金融服务",
    ...               "2.创新金融服务。…", kind="item", number="二(九)2")
    >>> citation(item)
    '二、(九)2「创新金融服务」'
    """
    if clause.kind == "indicator":
        return f"主要指标「{clause.title}」"
    if clause.kind == "preamble":
        return "前言"
    number = clause.number
    if clause.kind in ("part", "section", "item", "principle") and number and number[0] in "一二三四五六七八九十":
        i = 1
        while i < len(number) and number[i] in "一二三四五六七八九十":
            i += 1
        number = number[:i] + "、" + number[i:] if i < len(number) else number + "、"
    return f"{number}「{clause.title}」".replace("、「", "「") if number else f"「{clause.title}」"


def lead_as_written(clause: Clause) -> tuple[str, ...]:
    """The clause's lead office as its document writes it, when the document says which leads.

    >>> c = Clause("d:七", "d", (), "培训", "", departments=("人力资源社会保障部", "工业和信息化部"),
    ...            lead="人力资源社会保障部", written=("人社部", "工信部"))
    >>> lead_as_written(c), lead_as_written(Clause("d:八", "d", (), "x", ""))
    (('人社部',), ())
    """
    if not clause.lead:
        return ()
    if clause.lead in clause.departments:
        return (clause.offices_as_written[clause.departments.index(clause.lead)],)
    return (clause.lead,)


def _offices(names) -> str:
    return "、".join(names)


def clause_answer(question: str, intent: str, hits: list[Hit], found: bool, offices=None) -> Answer:
    """The answer quoting the top hit; `offices` are the ones its text assigns the asked task to,
    where the document names offices in sentences rather than in office notes."""
    top = hits[0].clause if hits else None
    if top is None:
        return not_found(question, intent, hits)
    if offices is not None and intent == "department":
        named = tuple(offices)
        if named and top.lead and named == lead_as_written(top):
            text = (f"根据规划{citation(top)}，牵头单位是：{_offices(named)}"
                    f"（责任单位：{_offices(top.offices_as_written)}）。原文：{top.text}")
        elif named:
            text = f"根据规划{citation(top)}，文中负责这项工作的是：{_offices(named)}。原文：{top.text}"
        else:
            text = f"规划{citation(top)}没有写明责任单位。原文：{top.text}"
        return Answer(question, found, intent, text, named, None, tuple(hits))
    if intent == "department":
        if top.departments:
            text = f"根据规划{citation(top)}，责任单位是：{_offices(top.offices_as_written)}。原文：{top.text}"
        else:
            text = f"规划{citation(top)}没有写明责任单位。原文：{top.text}"
    else:
        text = f"规划{citation(top)}：{top.text}"
        if top.departments:
            text += f"（责任单位：{_offices(top.offices_as_written)}）" if "责任单位" not in top.text else ""
    return Answer(question, found, intent, text, top.offices_as_written, None, tuple(hits))


def not_found(question: str, intent: str, hits: list[Hit], reason: str | None = None) -> Answer:
    text = NOT_COVERED
    if hits:
        text += f"最接近的条款是{citation(hits[0].clause)}，仅供参考。"
    return Answer(question, False, intent, text, (), None, tuple(hits))


def reference_answer(question: str, target: Clause | None, children: list[Clause], k: int) -> Answer:
    if target is None:
        return Answer(question, False, "clause", "规划中没有这个编号的条款，请检查编号（例如 二、(九)2）。")
    hits = [Hit(target, 1.0)] + [Hit(c, 0.9) for c in children[: max(0, k - 1)]]
    if children:
        text = f"规划{citation(target)}包括：" + "；".join(citation(c) for c in children) + "。"
    else:
        text = f"规划{citation(target)}：{target.text}"
    return Answer(question, True, "clause", text, target.offices_as_written, None, tuple(hits))


def contents(container: Clause, children: list[Clause]) -> Clause:
    """A heading as an overview shows it: its own text followed by the first sentence of each
    clause below it, so the hit quotes what the heading holds.

    >>> part = Clause("d:三", "d", ("三、重点任务",), "重点任务", "三、重点任务", kind="part")
    >>> kid = Clause("d:三.一", "d", ("三、重点任务", "(一)建设平台"), "建设平台", "(一)建设平台。要建设…")
    >>> contents(part, [kid]).text.splitlines()
    ['三、重点任务', '(一)建设平台。']
    """
    if not children:
        return container
    firsts = [re.split(r"(?<=[。；;])", c.text.strip(), maxsplit=1)[0][:80] for c in children]
    return replace(container, text=container.text.rstrip() + "\n" + "\n".join(firsts))


def overview_answer(question: str, container: Clause, children: list[Clause], k: int) -> Answer:
    hits = [Hit(contents(container, children), 1.0)] + [Hit(c, 0.9) for c in children[: max(0, k - 1)]]
    listing = "；".join(citation(c) for c in children)
    whole = container.kind == "document"   # the whole document: its parts
    text = f"规划共 {len(children)} 部分：{listing}。" if whole else f"规划{citation(container)}包括：{listing}。"
    return Answer(question, True, "overview", text, (), None, tuple(hits))


def office_answer(question: str, office: str, clauses: list[Clause], info, also: tuple[str, ...] = ()) -> Answer:
    """Every clause naming the office; `also`: the offices the same name means in other documents
    of a library (人民银行: the central bank in a national notice, a branch in a provincial plan).

    >>> c = Clause("d:一", "d", ("一、甲",), "甲", "一、甲。", departments=("中国人民银行",), number="一")
    >>> office_answer("人民银行负责什么", "中国人民银行", [c], None, ("人民银行某支行",)).answer
    '中国人民银行、人民银行某支行是规划中 1 项任务的责任单位（其中 1 项列为第一责任单位）：一「甲」。'
    """
    full = f"（{info.full_name}）" if info is not None and info.full_name and info.full_name != office else ""
    if not clauses:
        return Answer(question, False, "office_reverse", f"规划中没有把{office}{full}列为责任单位的条款。",
                      (office,), None, ())
    offices = (office, *also)
    lead = sum(1 for c in clauses if c.departments and c.departments[0] in offices)
    listing = "；".join(citation(c) for c in clauses)
    text = f"{office}{full}" + "".join(f"、{o}" for o in also) + f"是规划中 {len(clauses)} 项任务的责任单位"
    text += f"（其中 {lead} 项列为第一责任单位）" if lead else ""
    text += f"：{listing}。"
    hits = tuple(Hit(c, 1.0) for c in clauses)
    return Answer(question, True, "office_reverse", text, offices, None, hits)


def indicator_answer(question: str, row: Clause, column: str | None, others: list[Hit]) -> Answer:
    columns = list(row.values)
    years = [c for c in columns if c.isdigit()]
    asked = column or (years[-1] if years else None)
    value = row.values.get(asked) if asked else None
    value = value.rstrip("。；;") if value is not None else None   # a cell of words ends its sentence
    if value is not None and _FORMULA_CELL.search(value):
        value = formula_only(value)
    unit = row.title[row.title.find("(") + 1: row.title.rfind(")")] if "(" in row.title else ""
    cells = "；".join(f"{c}：{v}" for c, v in row.values.items())
    label = f"{asked}年" if asked and asked.isdigit() else (asked or "")
    if value is not None:
        numeric = re.fullmatch(r"-?\d+(?:\.\d+)?", value) is not None
        shown = value if not numeric or not unit else (f"{value}%" if unit == "%" else f"{value} {unit}")
        text = f"规划主要指标「{row.title}」{label}为 {shown}。整行：{cells}。"
    else:
        text = f"规划主要指标「{row.title}」：{cells}。"
    hits = (Hit(row, 1.0),) + tuple(others)
    return Answer(question, True, "indicator", text, (), value, hits)


def decided(answer: Answer, decision: Decision) -> Answer:
    """The answer carrying how it was decided."""
    return replace(answer, decision=decision)


def read_in_context(answer: Answer, question: str, reading: str, context_ids) -> Answer:
    """An answer to a question read in the conversation's context: it says how it read it.

    >>> a = read_in_context(Answer("q2", True, "clause", "规划……"), "那专利呢？", "专利谁负责？", ("d:一",))
    >>> a.answer.splitlines()[0], a.question, a.resolved_question
    ('按上文理解为：专利谁负责？', '那专利呢？', '专利谁负责？')
    """
    return replace(answer, question=question, answer=f"按上文理解为：{reading}\n{answer.answer}",
                   resolved_question=reading, context_ids=tuple(context_ids))


NO_CONTEXT = "这个问题要接着上文问（例如先问“一(二)3讲的是什么？”，再问“它的责任单位有哪些？”）；现在没有上文，请把问题问完整。"


def clause_aspect_answer(question: str, clause: Clause | None, aspect: str, others: list[Hit],
                         children: list[Clause] = (), lead: bool = False, offices=None) -> Answer:
    """One clause fixed by the conversation (这一条, 下一条 …): its offices (`offices` when the
    caller narrowed them to the sentence the conversation is about), place or text (a heading's
    text is the list of what it contains)."""
    if clause is None:
        return Answer(question, False, "clause", "按上文没有找到要找的条款（已经到了这一部分的开头或末尾）。")
    hits = [Hit(clause, 1.0)] + [h for h in others if h.clause.id != clause.id]
    if children and aspect == "text":
        return overview_answer(question, clause, children, max(len(hits), 5))
    if aspect == "offices":
        return clause_answer(question, "department", hits, True,
                             offices or ((lead_as_written(clause) or None) if lead else None))
    if aspect == "place":
        text = f"{citation(clause)}位于：{' › '.join(clause.path)}。"
        return Answer(question, True, "clause", text, clause.offices_as_written, None, tuple(hits))
    return clause_answer(question, "clause", hits, True)


CONTEXT_PREFIX = "按上文理解为："


def name_documents(answer: Answer, titles: dict[str, str]) -> Answer:
    """The answer with every hit carrying its document's title and, in a library of several
    documents, the sentence naming the document it quotes (《标题》二、(九)2…) — an office's
    duties are listed document by document.

    >>> c = Clause("a:一", "a", ("一、甲",), "甲", "一、甲。", kind="part")
    >>> a = name_documents(Answer("q", True, "clause", "规划「甲」：一、甲。", hits=(Hit(c, 1.0),)),
    ...                    {"a": "某方案", "b": "某意见"})
    >>> a.answer, a.hits[0].doc_title
    ('《某方案》「甲」：一、甲。', '某方案')
    """
    hits = tuple(replace(h, doc_title=titles.get(h.clause.doc_id, "")) for h in answer.hits)
    answer = replace(answer, hits=hits)
    if len(titles) < 2:
        return answer
    head, sep, body = answer.answer.partition("\n") if answer.answer.startswith(CONTEXT_PREFIX) else ("", "", answer.answer)
    if answer.intent == "office_reverse" and answer.found and len({h.clause.doc_id for h in hits}) > 1:
        body = _duties_by_document(body, hits, titles)
    elif hits and answer.found:
        body = body.replace("规划", f"《{titles.get(hits[0].clause.doc_id, '')}》", 1)
    elif hits:
        body = body.replace(NOT_COVERED, NOT_COVERED.replace("规划", "文件库"), 1).replace(
            "最接近的条款是", f"最接近的条款是《{titles.get(hits[0].clause.doc_id, '')}》", 1)
    else:
        body = body.replace("规划中", "文件库中", 1)
    return replace(answer, answer=head + sep + body)


def _duties_by_document(body: str, hits, titles) -> str:
    """「X是规划中 N 项任务的责任单位…：a；b」 rewritten as one list per document."""
    lead, _, _ = body.partition("：")
    lead = lead.replace("是规划中", "是文件库中", 1)
    groups: dict[str, list[str]] = {}
    for h in hits:
        groups.setdefault(h.clause.doc_id, []).append(citation(h.clause))
    parts = [f"《{titles.get(d, d)}》{len(cs)} 项：" + "；".join(cs) for d, cs in groups.items()]
    return lead + "：" + "。".join(parts) + "。"
