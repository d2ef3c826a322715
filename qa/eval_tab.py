"""The 评测 tab of the chatbot (wired by app.py inside its gr.Blocks) and the `/evaluate` endpoint.

Staff who keep a curated question set use it: run the built-in set or an uploaded one (JSONL or
CSV) with a progress bar; read the figures as a table and a small chart per intent; open each
failure to see the expected and the returned clause side by side; compare two configurations in
one run; export the report as Markdown and CSV; review the users' marks from the chat, choose the
right clause from the outline (or "not in the documents"), add the case to the curated set file
and see the set measured again at once. Everything it does is a function of qa/workbench.py (the
actions) or qa/workbench_html.py (the markup); this module only places components and wires events.
"""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from . import cards, workbench, workbench_html
from .corpus import fingerprint
from .errors import QAError
from .evalengines import Engines
from .evalrun import CONFIGS
from .evalset import other_columns
from .messages import language_of, render
from .question import check_history

CURATED = "curated"
NO_EMBEDDER = "embedder:none"  # the full system without its embedder: what the embeddings add
FAILURE_HEADERS = ["编号", "类型", "问题", "应为", "实际"]
MARK_HEADERS = ["时间", "评价", "问题", "上文", "回答条款"]


def set_choices(builtin: list[str], curated: str) -> list[tuple[str, str]]:
    """(label, key) of the sets offered: the built-in ones that exist, then the curated file once it
    exists. Keys, not paths, go to the browser: the server's paths stay unshown (`set_path`).

    >>> set_choices(["/no/such/set.jsonl"], "/no/such/curated.jsonl")
    []
    """
    names = [(f"内置题集（{Path(s).name}）", f"builtin:{n}") for n, s in enumerate(builtin) if Path(s).is_file()]
    if Path(curated).is_file():
        names.append((f"收集的题集（{Path(curated).name}）", CURATED))
    return names


def set_path(key, builtin: list[str], curated: str) -> str | None:
    """The file behind a key of `set_choices`; None for anything else.

    >>> set_path("builtin:0", ["a.jsonl"], "c.jsonl"), set_path(CURATED, [], "c.jsonl"), set_path("x", [], "c")
    ('a.jsonl', 'c.jsonl', None)
    """
    if key == CURATED:
        return curated
    if isinstance(key, str) and key.startswith("builtin:") and key[8:].isdigit() and int(key[8:]) < len(builtin):
        return builtin[int(key[8:])]
    return None


def _fail(exc: QAError):
    raise gr.Error(render(exc, "zh", escape=cards.esc), title="无法评测", print_exception=False) from None


def build_eval_tab(engine, feedback_path: str, curated_path: str, builtin: list[str], queue: str, index_dir=None):
    """Place the 评测 tab (call inside `gr.Tabs`) and wire its events; returns the `/evaluate`
    function, for the caller to register with gr.api outside the tabs."""
    titles = engine.outline.titles
    engines = Engines(engine, None, index_dir)
    names = list(CONFIGS) + ([NO_EMBEDDER] if index_dir is not None and engine.embedder is not None else [])
    config_choices = [(workbench_html.CONFIG_NAMES.get(c, c), c) for c in names]
    with gr.Tab("评测", id="evaluate") as tab:
        gr.Markdown("用一套题检验问答：选择内置题集或上传自己的题集（JSONL 或 CSV，UTF-8 或 GB18030），"
                    "可同时比较两种配置。答错的题可逐条打开，左右对照应有条款与实际条款。")
        with gr.Row(equal_height=False):
            choice = gr.Dropdown(set_choices(builtin, curated_path), label="题集", elem_id="qa-eval-set",
                                 value=next((v for _, v in set_choices(builtin, curated_path)), None), min_width=220)
            upload = gr.File(label="或上传题集", file_types=[".jsonl", ".csv", ".tsv", ".json"], type="filepath",
                             elem_id="qa-eval-upload", height=90)
        with gr.Row(equal_height=False):
            first = gr.Dropdown(config_choices, value="full", label="配置", elem_id="qa-eval-config", min_width=160)
            second = gr.Dropdown([("（不比较）", "")] + config_choices, value="", label="对比配置",
                                 elem_id="qa-eval-second", min_width=160)
            run = gr.Button("运行评测", variant="primary", elem_id="qa-eval-run", scale=0, min_width=120)
        status = gr.Markdown(elem_id="qa-eval-status")
        figures = gr.HTML(elem_id="qa-eval-figures")
        chart = gr.HTML(elem_id="qa-eval-chart")
        diffs = gr.HTML(elem_id="qa-eval-diffs")
        failures = gr.Dataframe(headers=FAILURE_HEADERS, value=[], interactive=False, wrap=True,
                                label="答错的题（点一行，左右对照两个条款）", elem_id="qa-eval-failures")
        sides = gr.HTML(elem_id="qa-eval-sides")
        with gr.Row():
            md_file = gr.File(label="报告（Markdown）", interactive=False, elem_id="qa-eval-md")
            csv_file = gr.File(label="逐题结果（CSV）", interactive=False, elem_id="qa-eval-csv")
        evaluation = gr.State(None)
        with gr.Accordion("用户评价 → 题集", open=True):
            gr.Markdown(f"问答中标为“错”的回答列在这里。选一条，在目录中选出正确条款（或“不在文件中”），"
                        f"加入题集 `{cards.esc(Path(curated_path).name)}`，该题集随即重新评测。")
            with gr.Row():
                refresh = gr.Button("刷新评价", size="sm", elem_id="qa-fb-refresh", scale=0, min_width=100)
                show_all = gr.Checkbox(label="也显示标为“对”的", value=False, elem_id="qa-fb-all")
            marks_table = gr.Dataframe(headers=MARK_HEADERS, value=[], interactive=False, wrap=True,
                                       label="待处理的评价", elem_id="qa-fb-marks")
            marks, picked = gr.State([]), gr.State(None)
            picked_view = gr.Markdown(elem_id="qa-fb-picked")
            clause = gr.Dropdown([("不在文件中", workbench.NOT_IN_DOCUMENTS)] + cards.outline_choices(engine.clauses),
                                 label="正确条款", elem_id="qa-fb-clause", filterable=True)
            with gr.Row():
                add = gr.Button("加入题集并重新评测", variant="primary", elem_id="qa-fb-add")
                drop = gr.Button("忽略这条评价", variant="secondary", elem_id="qa-fb-dismiss", scale=0, min_width=140)

    shown = [status, figures, chart, diffs, failures, sides, md_file, csv_file, evaluation]

    def show(result: workbench.Evaluation):
        first_run = result.runs[0]
        md, csv_path = workbench.export(result)
        counts = f"{cards.esc(result.name)}：{first_run.result['rows']} 题评分"
        if first_run.unscorable:
            counts += f"，{len(first_run.unscorable)} 行无法评分"
        extra = other_columns([r.case for r in first_run.rows])
        if extra:
            counts += f"；列 {cards.esc('、'.join(extra))} 不是题集字段，只作备注"
        note = workbench_html.unscorable_html(first_run.unscorable, workbench.reason_text)
        compare = (workbench_html.differences_html(result.diffs, result.runs[0].config, result.runs[1].config)
                   if len(result.runs) == 2 else "")
        return (counts, workbench_html.figures_html(result.results),
                workbench_html.intent_chart_svg(first_run.result["by_intent"]), compare + note,
                workbench.failure_table(result), "", md, csv_path, result)

    def on_run(name, uploaded, config, other, progress=gr.Progress()):
        path = set_path(name, builtin, curated_path)
        if not uploaded and path is None:
            raise gr.Error("请选择或上传一个题集。", print_exception=False)
        try:
            label, cases = workbench.read_set(path, uploaded)
        except QAError as exc:
            _fail(exc)
        progress(0, desc="评测中")
        return show(workbench.evaluate(engines, cases, label, config or "full", other or None,
                                       lambda f, d: progress(f, desc=d)))

    run.click(on_run, inputs=[choice, upload, first, second], outputs=shown, api_name="run_evaluation",
              api_visibility="private", concurrency_id=queue)

    def on_failure(data: gr.SelectData, result):
        if result is None:
            return ""
        row = data.row_value[0] if getattr(data, "row_value", None) else None
        match = next((r for r in result.failures if r.case.id == row), None)
        if match is None:
            return ""
        gold, got, note = workbench.failure_clauses(engine, match)
        return workbench_html.side_by_side(gold, got, titles, note)

    failures.select(on_failure, inputs=evaluation, outputs=sides, api_visibility="private")

    def on_refresh(everything):
        try:
            entries, rows = workbench.review_rows(feedback_path, everything)
        except QAError as exc:
            _fail(exc)
        return entries, rows, None, ""

    refresh_io = dict(inputs=show_all, outputs=[marks, marks_table, picked, picked_view])
    refresh.click(on_refresh, api_visibility="private", **refresh_io)
    show_all.change(on_refresh, api_visibility="private", **refresh_io)

    def on_arrive(everything, current):
        """The newest marks, and the sets as they are now (the curated one may have appeared)."""
        offered = set_choices(builtin, curated_path)
        keep = current if current in [v for _, v in offered] else next((v for _, v in offered), None)
        return (*on_refresh(everything), gr.Dropdown(choices=offered, value=keep))

    tab.select(on_arrive, inputs=[show_all, choice], outputs=refresh_io["outputs"] + [choice],
               api_visibility="private")

    def on_mark(data: gr.SelectData, entries):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        if not isinstance(index, int) or not 0 <= index < len(entries):
            return None, "", gr.skip()
        entry = entries[index]
        history = "；".join(entry.get("history") or [])
        text = f"**问题**：{cards.esc(entry.get('question', ''))}" + (f"（上文：{cards.esc(history)}）" if history else "")
        text += f"\n\n**当时的回答条款**：{cards.esc(entry.get('answer_clause') or '未找到')}"
        # a mark of "right" confirms the clause shown; for "wrong" staff must choose, nothing is preset
        confirmed = entry.get("rating") == "right" and entry.get("answer_clause") in engine.outline.by_id
        preset = (entry["answer_clause"] if entry.get("found") else workbench.NOT_IN_DOCUMENTS) if confirmed else None
        return entry, text, preset

    marks_table.select(on_mark, inputs=marks, outputs=[picked, picked_view, clause], api_visibility="private")

    def on_add(entry, clause_id, config, everything, progress=gr.Progress()):
        if not entry:
            raise gr.Error("请先在列表中选一条评价。", print_exception=False)
        if not clause_id:
            raise gr.Error("请选择正确条款，或“不在文件中”。", print_exception=False)
        try:
            case = workbench.add_case(engine, feedback_path, curated_path, entry, clause_id)
            label, cases = workbench.read_set(curated_path)
            entries, rows = workbench.review_rows(feedback_path, everything)
        except QAError as exc:
            _fail(exc)
        result = workbench.evaluate(engines, cases, label, config or "full", None,
                                    lambda f, d: progress(f, desc=d))
        out = list(show(result))
        out[0] = f"已把 {case.id} 加入 {Path(curated_path).name}。" + out[0]
        update = gr.Dropdown(choices=set_choices(builtin, curated_path), value=CURATED)
        return (*out, update, entries, rows, None, "")

    add.click(on_add, inputs=[picked, clause, first, show_all],
              outputs=shown + [choice, marks, marks_table, picked, picked_view], api_name="add_case",
              api_visibility="private", concurrency_id=queue)

    def on_dismiss(entry, everything):
        if not entry:
            raise gr.Error("请先在列表中选一条评价。", print_exception=False)
        try:
            workbench.dismiss(feedback_path, entry)
        except QAError as exc:
            _fail(exc)
        return on_refresh(everything)

    drop.click(on_dismiss, inputs=[picked, show_all], outputs=[marks, marks_table, picked, picked_view],
               api_visibility="private")

    def evaluate(questions: str = "", filename: str = "set.jsonl", config: str = "full") -> dict:
        """Score a question set (its text, JSONL or CSV as `filename` says; empty: the built-in set)
        with `config` (full, hybrid, bm25, dense, or embedder:none when the app offers it); returns
        the figures of `python -m qa eval --json`."""
        if config and config not in names:   # only the offered ones: no embedder loaded at a caller's word
            raise gr.Error(f"unknown configuration '{config}'; use one of {', '.join(names)}",
                           print_exception=False)
        try:
            return workbench.evaluate_text(engines, questions, filename, config, builtin[0])
        except QAError as exc:
            _fail(exc)

    return evaluate  # the caller registers it with gr.api outside the gr.Tabs


def wire_feedback(engine, feedback_path: str, conversation, filters: list, user_questions, queue: str):
    """👍/👎 on the chat's answers, and the `/feedback` endpoint: both append to the feedback file.

    A mark that cannot be stored (full disk, unwritable path) is one warning; the answer stays."""
    documents = fingerprint(engine.corpus.folder)[0]

    def on_like(data: gr.LikeData, office_name, part_numeral, messages):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        asked = user_questions((messages or [])[:index]) if isinstance(index, int) else []
        if not asked or not isinstance(data.liked, bool):
            return
        try:
            workbench.mark(engine, feedback_path, documents, asked[-1], data.liked, asked[:-1],
                           office=office_name, part=part_numeral)
        except QAError as exc:
            gr.Warning(render(exc, language_of(asked[-1]), escape=cards.esc))
            return
        gr.Info("已记录：回答正确。" if data.liked else "已记录：回答有误，将由评测人员处理。")

    conversation.like(on_like, inputs=filters + [conversation], api_visibility="private", concurrency_id=queue)

    def feedback(question: str, rating: str, history: list[str] | None = None, answer: dict | None = None) -> dict:
        """Mark the answer to `question` (asked after `history`) "right" or "wrong"; `answer` is the
        /ask result being marked (answered again when absent). Returns the stored entry."""
        try:
            return workbench.mark(engine, feedback_path, documents, question, rating, check_history(history), answer)
        except QAError as exc:
            raise gr.Error(render(exc, language_of(question), escape=cards.esc), print_exception=False) from None

    gr.api(feedback, api_name="feedback", concurrency_id=queue)
