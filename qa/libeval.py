"""The library section of `python -m qa eval`: the plan's curated set inside a library of
documents, and each library document's own curated questions.

Why a section of its own: adding documents must take nothing away from the plan (its answers
inside the library are compared with its answers alone, question by question), and a library is
only as good as its worst document, so the figures are given per document. The library is the
corpus folder plus its `library/` folder of State Council documents and the invented documents of
`eval/library/docs/` (forms the real ones lack); its index lives beside the main one
(`<index>-library`). The questions are `eval/library/*.jsonl` in the curated-set format
(qa/evalset.py), scored by qa/scoring.py.

Example:
>>> same_answer({"found": True, "hits": [{"clause_id": "d:一"}], "departments": ["甲"], "value": None},
...             {"found": True, "hits": [{"clause_id": "d:一"}, {"clause_id": "e:二"}], "departments": ["甲"],
...              "value": None})
True
"""
from __future__ import annotations

from pathlib import Path

from .evalrun import run_set
from .evalset import load_set

LIBRARY_SETS = Path("eval/library")
METRICS = ("hit1", "hit5", "offices", "office_reverse", "values", "not_found_precision", "not_found_recall",
           "not_found_f1")


def library_spec(corpus) -> str | None:
    """The library's corpus spec for a corpus folder, or None when it has no `library/` folder."""
    first = Path(str(corpus).split(",")[0])
    folders = [first, first / "library", LIBRARY_SETS / "docs"]
    return ",".join(str(f) for f in folders if f.is_dir()) if (first / "library").is_dir() else None


def same_answer(alone: dict, inside: dict) -> bool:
    """Do two answers say the same thing: found, first clause, offices and value? (The hits after
    the first may include other documents' clauses; two refusals are the same answer, whichever
    clause each offers as the nearest reference.)"""
    if not alone["found"] and not inside["found"]:
        return True

    def essence(a):
        return a["found"], (a["hits"][0]["clause_id"] if a["hits"] else None), list(a["departments"]), a["value"]
    return essence(alone) == essence(inside)


def _figure(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def library_section(library, items: list[dict], alone_answers: list[dict], spec: str) -> str:
    """Markdown: the plan's curated questions inside the library (how many answer as alone, and
    the figures), then each library document's questions, scored per document."""
    inside = [library.ask(it["question"], top_k=10).to_json() for it in items]
    same = sum(same_answer(a, b) for a, b in zip(alone_answers, inside))
    changed = [it["id"] for it, a, b in zip(items, alone_answers, inside) if not same_answer(a, b)]
    cases = [c for path in sorted(LIBRARY_SETS.glob("*.jsonl")) for c in load_set(path)]
    run = run_set(library, cases)
    result = run.result
    lines = ["| document | rows | " + " | ".join(METRICS) + " |", "|---|---|" + "---|" * len(METRICS)]
    for doc, figures in result["by_document"].items():
        lines.append(f"| {doc} | {figures['rows']} | " + " | ".join(_figure(figures[m]) for m in METRICS) + " |")
    lines.append(f"| **all** | {result['rows']} | " + " | ".join(_figure(result[m]) for m in METRICS) + " |")
    unscorable = "".join(f"\n- {u['id']}: {u['reason']}" for u in result["unscorable"])
    return (
        "## The library\n\n"
        f"Corpus `{spec}` ({len(library.outline.titles)} documents). The plan's {len(items)} curated questions "
        f"answered inside the library give the same found, first clause, offices and value as the plan alone "
        f"for **{same} of {len(items)}**" + (f" (different: {', '.join(changed)})" if changed else "") + ".\n\n"
        f"Curated library questions (`{LIBRARY_SETS}/*.jsonl`, {len(cases)} rows, gold as quotations; "
        "per document of the gold clause, `(none)` = questions no document answers):\n\n"
        + "\n".join(lines) + "\n"
        + (f"\nRows that could not be scored:{unscorable}\n" if unscorable else "")
        + "\nWrong rows: " + (", ".join(result["failures"]) or "none") + "\n")
