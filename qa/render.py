"""Plain-text rendering of an Answer for the terminal (the CLI without --json)."""
from __future__ import annotations

from .answer import citation
from .records import Answer


def render_text(answer: Answer, related: int = 3) -> str:
    """Example: render_text(answer) → "答：…\n\n出处：二、主要任务 › (九)… › 2.…\n责任单位：…"."""
    lines = [f"答：{answer.answer}"]
    if answer.hits and answer.found:
        top = answer.hits[0].clause
        lines.append("")
        lines.append("出处：" + " › ".join(top.path))
        if top.departments:
            lines.append("责任单位：" + "、".join(top.offices_as_written))
    rest = answer.hits[1:1 + related] if answer.found else answer.hits[:related]
    if rest and answer.intent != "office_reverse":
        lines.append("")
        lines.append("相关条款：" if answer.found else "最接近的条款（仅供参考）：")
        for h in rest:
            lines.append(f"  · {citation(h.clause)}")
    return "\n".join(lines)
