"""Score follow-up dialogues: the last turn of each, answered with the earlier turns as history.

`eval/dialogues.jsonl` holds one dialogue a line — {"id", "pattern", "turns": [first, …, last],
"intent", "answerable", "gold_clauses", "gold_offices"?, "gold_value"?, "lang"} — the gold being
the right answer to the *last* turn read in the conversation's context. `python -m qa eval`
answers every last turn with the earlier turns as history (full system only) and reports, per
pattern and overall: last-turn hit@1 (the top clause is a gold clause; like the question set,
a refused answer's reference clause counts), offices exact on department last turns (the
offices equal the gold list, in order), office-reverse coverage, indicator values, not-found
precision/recall/F1 ("unanswerable" is the positive class), and for control dialogues — whose
last question is complete on its own — the share answered exactly as without history.

Every metric is a (value, n) pair, as in qa/evaluate.py; n = 0 prints as "–".

>>> d = {"id": "d1", "pattern": "topic", "turns": ["专利质量谁负责？", "那商标呢？"], "intent": "department",
...      "answerable": True, "gold_clauses": ["p:二.四.2"], "gold_offices": ["省工商局", "省发展改革委"]}
>>> right = {"found": True, "departments": ["省工商局", "省发展改革委"], "value": None,
...          "hits": [{"clause_id": "p:二.四.2"}]}
>>> judge(d, right)
{'hit1': 1.0, 'offices': 1.0}
>>> wrong = dict(right, departments=["省发展改革委", "省工商局"])
>>> summary = score([d, d], [right, wrong])["overall"]
>>> summary["hit@1"], summary["offices"]
((1.0, 2), (0.5, 2))
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

PATTERNS = ("same_clause_offices", "same_clause_text", "same_clause_place", "topic", "indicator_column",
            "indicator_row", "indicator_increase", "navigation", "office", "cross_lingual", "unanswerable",
            "control")
INTENTS = ("department", "clause", "indicator", "office_reverse", "overview", "unanswerable")
METRICS = ("hit@1", "offices", "office_reverse", "indicator", "not_found_precision", "not_found_recall",
           "not_found_f1", "same_as_alone")
_JUDGED = {"hit@1": "hit1", "offices": "offices", "office_reverse": "reverse", "indicator": "value",
           "same_as_alone": "same"}


def load_dialogues(path: Path) -> list[dict]:
    """The dialogues of a JSON Lines file; a line that is not a dialogue is a ValueError naming it."""
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise ValueError(f"{path}:{n} is not valid JSON")
        problem = check(item)
        if problem:
            raise ValueError(f"{path}:{n} {problem}")
        items.append(item)
    return items


def check(item) -> str | None:
    """What is wrong with one dialogue record, None when nothing is.

    >>> check({"id": "d1", "pattern": "topic", "turns": ["专利谁负责？", "那商标呢？"], "intent": "department"})
    >>> check({"id": "d2", "pattern": "topic", "turns": [], "intent": "department"})
    'has no turns'
    >>> check({"id": "d3", "pattern": "gossip", "turns": ["a"], "intent": "clause"})
    "has an unknown pattern 'gossip'"
    """
    if not isinstance(item, dict):
        return "is not an object"
    turns = item.get("turns")
    if not isinstance(turns, list) or not all(isinstance(t, str) and t.strip() for t in turns):
        return "has turns that are not a list of questions"
    if not turns:
        return "has no turns"
    if item.get("pattern") not in PATTERNS:
        return f"has an unknown pattern {item.get('pattern')!r}"
    if item.get("intent") not in INTENTS:
        return f"has an unknown intent {item.get('intent')!r}"
    return None


def answer_dialogues(engine, dialogues: list[dict], top_k: int = 10):
    """Three lists of answer JSON, one entry per dialogue: the last turn answered with the earlier
    turns as history; for control dialogues the same question answered alone (None for the
    others); the turn before the last in its own context (None for a one-turn dialogue), so a
    miss shows whether the follow-up or the question before it went wrong."""
    answers, alone, previous = [], [], []
    for d in dialogues:
        *history, last = d["turns"]
        answers.append(engine.ask(last, top_k=top_k, history=history).to_json())
        alone.append(engine.ask(last, top_k=top_k).to_json() if d["pattern"] == "control" else None)
        previous.append(engine.ask(history[-1], top_k=top_k, history=history[:-1]).to_json() if history else None)
    return answers, alone, previous


def judge(dialogue: dict, answer: dict, alone: dict | None = None) -> dict[str, float]:
    """One dialogue's scores, each 0.0 or 1.0 (coverage: a share): only the metrics that apply.
    Not-found is counted by `not_found` over many dialogues, not here."""
    out: dict[str, float] = {}
    ids = [h["clause_id"] for h in answer.get("hits", [])]
    gold = dialogue.get("gold_clauses") or []
    intent = dialogue["intent"]
    if dialogue.get("answerable", True):
        if gold:
            out["hit1"] = float(bool(ids) and ids[0] in gold)
        if intent == "department":
            out["offices"] = float(list(answer.get("departments", [])) == list(dialogue.get("gold_offices") or []))
        if intent == "office_reverse" and gold:
            out["reverse"] = sum(1 for g in gold if g in ids) / len(gold)
        if intent == "indicator":
            out["value"] = float(str(answer.get("value")) == str(dialogue.get("gold_value")))
    if alone is not None:
        out["same"] = float(same_answer(answer, alone))
    return out


def same_answer(with_history: dict, without: dict) -> bool:
    """The same answer JSON, whatever the history (ids aside).

    >>> same_answer({"id": None, "answer": "甲"}, {"id": "x", "answer": "甲"})
    True
    """
    return {k: v for k, v in with_history.items() if k != "id"} == {k: v for k, v in without.items() if k != "id"}


def not_found(pairs) -> dict[str, tuple[float, int]]:
    """Precision, recall and F1 of refusing, "unanswerable" being the positive class, from
    (answerable, found) pairs; each with its n (precision: refusals; recall and F1: unanswerable).

    >>> r = not_found([(False, False), (False, True), (True, False), (True, True)])
    >>> r["not_found_precision"], r["not_found_recall"], r["not_found_f1"]
    ((0.5, 2), (0.5, 2), (0.5, 2))
    """
    tp = fp = fn = 0
    for answerable, found in pairs:
        tp += (not answerable) and not found
        fp += answerable and not found
        fn += (not answerable) and found
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else (0.0 if tp + fp + fn else float("nan"))
    return {"not_found_precision": (precision, tp + fp), "not_found_recall": (recall, tp + fn),
            "not_found_f1": (f1, tp + fn)}


def summarise(dialogues: list[dict], answers: list[dict], alone: list[dict | None] | None = None) -> dict:
    """Every metric of METRICS as (value, n) over the given dialogues."""
    alone = alone or [None] * len(dialogues)
    values: dict[str, list[float]] = defaultdict(list)
    for d, a, solo in zip(dialogues, answers, alone):
        for key, v in judge(d, a, solo).items():
            values[key].append(v)
    out = {}
    for metric in METRICS:
        if metric in _JUDGED:
            vals = values.get(_JUDGED[metric], [])
            out[metric] = (sum(vals) / len(vals), len(vals)) if vals else (float("nan"), 0)
    out.update(not_found([(d.get("answerable", True), bool(a.get("found"))) for d, a in zip(dialogues, answers)]))
    return {m: out[m] for m in METRICS}


def score(dialogues: list[dict], answers: list[dict], alone: list[dict | None] | None = None) -> dict:
    """{"overall": metrics, "by_pattern": {pattern: metrics}, "n": {pattern: dialogues}}, patterns in
    PATTERNS order (any other after them)."""
    alone = alone or [None] * len(dialogues)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(dialogues):
        groups[d["pattern"]].append(i)
    order = [p for p in PATTERNS if p in groups] + sorted(p for p in groups if p not in PATTERNS)
    by_pattern = {p: summarise([dialogues[i] for i in groups[p]], [answers[i] for i in groups[p]],
                               [alone[i] for i in groups[p]]) for p in order}
    return {"overall": summarise(dialogues, answers, alone), "by_pattern": by_pattern,
            "n": {p: len(groups[p]) for p in order}}


def fmt(value) -> str:
    """A (value, n) pair as the report prints it.

    >>> fmt((0.5, 4)), fmt((float("nan"), 0))
    ('0.500', '–')
    """
    v, n = value
    return "–" if n == 0 or v != v else f"{v:.3f}"


def table(scores: dict) -> str:
    """The per-pattern markdown table, overall last."""
    heads = ["hit@1", "offices", "reverse", "value", "nf P", "nf R", "nf F1", "same as alone"]
    lines = ["| pattern | n | " + " | ".join(heads) + " |", "|---|---|" + "---|" * len(heads)]
    rows = list(scores["by_pattern"].items()) + [("**overall**", scores["overall"])]
    for name, m in rows:
        n = scores["n"].get(name, sum(scores["n"].values()))
        lines.append(f"| {name} | {n} | " + " | ".join(fmt(m[k]) for k in METRICS) + " |")
    return "\n".join(lines)


def misses(dialogues: list[dict], answers: list[dict], alone: list[dict | None] | None = None,
           previous: list[dict | None] | None = None) -> list[str]:
    """One line per dialogue whose last turn is wrong on any metric, with its turns, what the
    turn before it answered (when given) and how the engine read the last one."""
    alone = alone or [None] * len(dialogues)
    previous = previous or [None] * len(dialogues)
    out = []
    for d, a, solo, before in zip(dialogues, answers, alone, previous):
        judged = judge(d, a, solo)
        wrong = [k for k, v in judged.items() if v < 1.0]
        if d.get("answerable", True) != bool(a.get("found")):
            wrong.append("found")
        if not wrong:
            continue
        ids = [h["clause_id"].split(":", 1)[-1] for h in a.get("hits", [])]
        gold = [g.split(":", 1)[-1] for g in d.get("gold_clauses") or []]
        detail = f"found={a.get('found')} intent={a.get('intent')} top={ids[0] if ids else None} gold={gold[:3]}"
        if "offices" in wrong:
            detail += f" offices={'、'.join(a.get('departments', []))}"
        if "value" in wrong:
            detail += f" value={a.get('value')} gold_value={d.get('gold_value')}"
        if before is not None:
            top_before = [h["clause_id"].split(":", 1)[-1] for h in before.get("hits", [])[:1]]
            detail = (f"turn before: found={before.get('found')} intent={before.get('intent')} "
                      f"top={top_before[0] if top_before else None}; last: " + detail)
        read = a.get("resolved_question")
        out.append(f"- {d['id']} [{d['pattern']}/{d.get('lang')}] " + " → ".join(d["turns"])
                   + f" ⇒ {detail}" + (f" read as「{read}」" if read else " (read alone)")
                   + f" — wrong: {', '.join(wrong)}")
    return out


def section(dialogues: list[dict], answers: list[dict], alone: list[dict | None] | None, source,
            previous: list[dict | None] | None = None) -> str:
    """The report's "Dialogues" section: the table and the dialogues the full system gets wrong."""
    scores = score(dialogues, answers, alone)
    wrong = misses(dialogues, answers, alone, previous)
    return ("## Dialogues\n\n"
            f"{len(dialogues)} dialogues from `{source}`: the last turn answered with the earlier turns as "
            "history (full system). reverse = office-reverse coverage; nf = not-found (\"unanswerable\" "
            "positive); same as alone = control dialogues (last question complete on its own) answered "
            "exactly as without history.\n\n"
            + table(scores) + "\n\n### Dialogues the full system gets wrong\n\n" + ("\n".join(wrong) or "none") + "\n")
