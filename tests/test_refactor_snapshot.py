"""Every answer on the curated set is what it was when the snapshot was last recorded.

`tests/data/eval_answers_snapshot.jsonl` holds, for each question of `eval/questions.jsonl`, the
answer on the corpus folder alone (answer text, found, intent, offices, value and the ten hit ids).
It was first written before the engine was split into parts, and re-recorded with
`python scripts/record_snapshot.py` when the library work deliberately changed answers (the answer
text names offices as written, not-found is decided clause by clause, figures are given as values;
near-tied lower hits had also moved with this machine's package versions). A change of behaviour
must be a decision that rewrites the snapshot in its own commit, never a side effect of moving code.
"""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SNAPSHOT = ROOT / "tests" / "data" / "eval_answers_snapshot.jsonl"


def _load(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.slow
def test_every_eval_answer_is_unchanged_by_the_refactor(engine):
    questions = {q["id"]: q for q in _load(ROOT / "eval" / "questions.jsonl")}
    changed = []
    for before in _load(SNAPSHOT):
        now = engine.ask(questions[before["id"]]["question"], top_k=10).to_json()
        got = {k: now.get(k) for k in ("found", "intent", "answer", "departments", "value")}
        got["hits"] = [h["clause_id"] for h in now["hits"]]
        want = {k: before[k] for k in got}
        if got != want:
            changed.append((before["id"], {k: (want[k], got[k]) for k in got if got[k] != want[k]}))
    assert not changed, f"{len(changed)} answers changed, first: {changed[:3]}"
