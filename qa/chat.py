"""`python -m qa chat`: a conversation in the terminal, the history kept on this side.

The engine is stateless: each question goes with the earlier questions of the conversation
(oldest first), exactly as the Gradio `/ask` endpoint and `batch` send them. `/reset` starts a
new conversation; `/quit` or end of input ends it. Bad input is one line, and the conversation
goes on.
"""
from __future__ import annotations

from .errors import QuestionError
from .messages import render
from .render import render_text

PROMPT = "问> "
HELP = {"zh": "输入问题后回车；/reset 开始新的对话，/quit 退出。",
        "en": "Type a question and press Enter; /reset starts a new conversation, /quit ends."}
RESET = {"zh": "（新的对话）", "en": "(new conversation)"}


def run_chat(engine, stdin, stdout, top_k: int = 5, lang: str = "zh", doc: str | None = None) -> int:
    """Read questions line by line and answer each in the context of the ones before it
    (inside one document when `doc` names it)."""
    interactive = getattr(stdin, "isatty", lambda: False)()
    history: list[str] = []
    print(HELP.get(lang, HELP["en"]), file=stdout)
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        question = line.strip()
        if not question:
            continue
        if question in ("/quit", "/exit"):
            return 0
        if question == "/reset":
            history.clear()
            print(RESET.get(lang, RESET["en"]), file=stdout, flush=True)
            continue
        try:
            answer = engine.ask(question, top_k=top_k, history=history, doc=doc)
        except QuestionError as exc:
            print(f"error: {render(exc, lang)}", file=stdout, flush=True)
            continue
        history.append(question)
        print(render_text(answer) + "\n", file=stdout, flush=True)
