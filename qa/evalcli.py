"""`python -m qa eval --questions FILE [--json] [--config NAME] [--compare NAME]`: any curated set, scored.

With --compare the set runs under a second configuration too, and the questions whose outcome
differs are listed (under `compare.differences` in the JSON). A configuration is a retrieval mode
(full, hybrid, bm25, dense) or the full system under another embedder (embedder:<spec>, indexed
beside the main index: qa/evalengines.py).

--report FILE also writes what is printed to FILE. (--write-report, --calibrate, --sweep and
--dialogues belong to the project's own report, qa/evaluate.py, which then reads the file given.)
The set is read (and refused with one line when it cannot be) before the index is opened, so a
typo in a file costs nothing. stdout carries the report — Markdown, or with --json one object
whose top-level keys are the figures (docs/API.md) — and stderr one line on the unscorable rows.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .evalreport import comparison, markdown
from .evalengines import Engines
from .evalrun import differences
from .evalset import load_set, other_columns
from .messages import cli_language


def run_questions(open_engine, args, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    cases = load_set(Path(args.questions))        # EvalSetError → one line, exit 2 (qa/cli.py)
    extra = other_columns(cases)
    if extra:
        print(f"note: column(s) {', '.join(extra)} are not set fields; kept as notes, not scored", file=err)
    engine = open_engine(args)
    engines = Engines(engine, args.corpus, args.index, log=err)
    run = engines.run(cases, args.config)
    result = dict(run.result)
    result["questions"] = str(args.questions)
    result["config"] = args.config
    result["embedder"] = engine.embedder.id if engine.embedder is not None else "none"
    other = getattr(args, "compare", None)
    if other and other != args.config:
        twin = engines.run(cases, other)
        diffs = differences(run, twin)
        result["compare"] = {k: twin.result[k] for k in twin.result if k not in ("unscorable",)}
        result["compare"].update(config=other, differences=diffs)
    if args.json:
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    else:
        text = markdown(result, run.rows, f"Evaluation report: {args.questions}, {args.config} system",
                        cli_language(), args.config)
        if "compare" in result:
            text += comparison(result, result["compare"], result["compare"]["differences"], args.config, other)
    print(text, file=out, end="")
    if args.report:
        report = Path(args.report)
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(text, encoding="utf-8")
        print(f"wrote the report to {report}", file=err)
    if run.unscorable:
        print(f"{len(run.unscorable)} of {len(cases)} rows could not be scored (listed under 'unscorable')",
              file=err)
    return 0
