"""Why the Milvus backend stores the project's own BM25 weights: how often Milvus's built-in BM25
function picks the same best clause as qa/bm25.py (BM25 alone, the curated questions).

    python scripts/milvus_bm25_function.py [CORPUS]      # embedded Milvus Lite in a temporary folder

Two ways to give Milvus the text: our jieba segmentation joined by spaces with a whitespace
tokenizer, and the raw text with Milvus's own jieba tokenizer. (Stored weights: the same scores.)
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from pymilvus import DataType, Function, FunctionType, MilvusClient

    from qa.bm25 import SparseBM25
    from qa.corpus import load_corpus
    from qa.store import index_text

    corpus = load_corpus(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "corpus")
    seg = corpus.segmenter()
    clauses = [c for d in corpus.documents for c in d.clauses if c.searchable]
    toks = [seg.tokens(index_text(c)) for c in clauses]
    bm = SparseBM25.fit(toks)
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    work = Path(tempfile.mkdtemp(prefix="qa-bm25fn-"))
    c = MilvusClient(str(work / "milvus.db"))
    try:
        for tokenizer in ("whitespace", "jieba"):
            name = "f_" + tokenizer
            s = c.create_schema(auto_id=False)
            s.add_field("pos", DataType.INT64, is_primary=True)
            s.add_field("t", DataType.VARCHAR, max_length=65535, enable_analyzer=True, analyzer_params={"tokenizer": tokenizer})
            s.add_field("sp", DataType.SPARSE_FLOAT_VECTOR)
            s.add_function(Function(name="bm", function_type=FunctionType.BM25, input_field_names=["t"], output_field_names=["sp"]))
            ip = c.prepare_index_params()
            ip.add_index("sp", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
            c.create_collection(name, schema=s, index_params=ip)
            c.insert(name, [{"pos": i, "t": " ".join(t) if tokenizer == "whitespace" else index_text(cl)}
                            for i, (t, cl) in enumerate(zip(toks, clauses))])
            same = n = 0
            for q in questions:
                qt = seg.tokens(q)
                scores = bm.scores(qt)
                if scores.max() <= 0:
                    continue
                n += 1
                r = c.search(name, data=[" ".join(qt) if tokenizer == "whitespace" else q], anns_field="sp", limit=1,
                             search_params={"metric_type": "BM25"})
                same += bool(r[0]) and r[0][0]["id"] == int(np.argmax(scores))
            print(f"Milvus BM25 function, {tokenizer} tokenizer: same best clause as qa/bm25.py for {same} of {n} questions")
    finally:
        c.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
