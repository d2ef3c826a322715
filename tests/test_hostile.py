"""Hostile input: arbitrary text never crashes the parser or the engine, long questions are refused
with a message, the running app serves no file outside its own, binds to loopback, and corpus text
with markup is shown as text.
"""
from __future__ import annotations

import ipaddress
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _app import ROOT
from qa.errors import QuestionError
from qa.question import MAX_QUESTION_CHARS
from qa.parse import ParseError, parse_document

PLAN = "000_73dbaa277aa75437"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])

# ------------------------------------------------------------------------------------------ parser

MARKERS = ["一、", "二、", "十三、", "（一）", "(二)", "（十）", "1.", "2．", "12.", "（1）", "第一章", "第一节",
           "责任单位：", "主要指标", "专栏1", "\t", "　", "|", "：", "。", "\r\n", "\x00", "\x1b[31m", "\u202e",
           "\ufeff", "<script>", "年", "2020年", "%", "万件"]
outline_lines = st.lists(st.tuples(st.sampled_from(MARKERS), st.text(max_size=40)).map("".join), max_size=60)
any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Lo", "Nd", "Po"]),
            max_size=300),
    outline_lines.map("\n".join),
    st.binary(max_size=400).map(lambda b: b.decode("latin-1")),
)


@FAST
@given(any_text)
def test_parser_raises_only_parse_error(text):
    try:
        doc = parse_document(text, "fuzz")
    except ParseError:
        return
    assert all(c.doc_id == "fuzz" for c in doc.clauses)


@pytest.mark.parametrize("text", ["\ud800", "一、总则\n（一）\udcff知识产权。"])
def test_parser_on_lone_surrogates(text):
    try:
        parse_document(text, "surrogate")
    except ParseError:
        pass


@settings(max_examples=12, deadline=None)
@given(st.text(min_size=1, max_size=30), st.integers(2_000, 40_000), st.sampled_from(["", "\n", "一、", "（一）"]))
def test_parser_on_huge_strings(chunk, times, sep):
    try:
        parse_document((sep + chunk) * times, "huge")
    except ParseError:
        pass


def test_parser_on_plan_with_control_characters_sprinkled():
    text = (ROOT / "corpus" / f"{PLAN}.txt").read_text(encoding="utf-8")
    noisy = "".join(ch + ("\x00\x07\u200b" if i % 97 == 0 else "") for i, ch in enumerate(text))
    doc = parse_document(noisy, "noisy")
    assert len(doc.clauses) > 20


# ------------------------------------------------------------------------------------------ engine

questions = st.one_of(
    st.text(),
    st.text(min_size=400, max_size=700),
    st.binary(max_size=600).map(lambda b: b.decode("latin-1")),
    st.lists(st.sampled_from(["哪个部门", "负责", "质押", "二(九)2", "2020年", "<script>", "\x00", "\ud800",
                              "？", "office", "%", "'", '"', "\\", "${x}", "{{x}}"]), max_size=40).map("".join),
)


@FAST
@given(questions, st.sampled_from([1, 5, 50]))
def test_ask_raises_only_question_error(hash_engine, question, top_k):
    try:
        answer = hash_engine.ask(question, top_k=top_k)
    except QuestionError as exc:
        assert str(exc)
        return
    assert isinstance(answer.found, bool) and isinstance(answer.answer, str)
    assert len(answer.hits) <= top_k
    answer.to_json()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.none(), st.integers(), st.binary(max_size=20), st.lists(st.text(max_size=5), max_size=3)))
def test_ask_non_text_is_question_error(hash_engine, question):
    with pytest.raises(QuestionError):
        hash_engine.ask(question)


@pytest.mark.parametrize("n", [MAX_QUESTION_CHARS + 1, 12_000, 1_000_000])
def test_too_long_question_is_refused_with_a_message(hash_engine, n):
    with pytest.raises(QuestionError, match=f"{MAX_QUESTION_CHARS}"):
        hash_engine.ask("专" * n)
    hash_engine.ask("专利" * (MAX_QUESTION_CHARS // 2))  # exactly the limit is fine


def test_cli_refuses_a_12000_char_question(corpus_dir, tmp_path):
    out = subprocess.run([sys.executable, "-m", "qa", "--corpus", str(corpus_dir), "--index", str(tmp_path / "idx"),
                          "--embedder", "hash", "ask", "专利" * 6000], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and str(MAX_QUESTION_CHARS) in lines[0], out.stderr
    assert out.stdout == ""


# ------------------------------------------------------------------------------------------ markup

def test_script_in_corpus_text_renders_as_escaped_text():
    from qa import cards, indicator_cards
    from qa.offices import Office
    from qa.records import Answer, Hit

    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    text = (ROOT / "corpus" / f"{PLAN}.txt").read_text(encoding="utf-8")
    marker = "创新知识产权金融服务"
    assert marker in text
    text = text.replace(marker, marker + evil, 1)  # in a heading: path, title and text
    text = text.replace("质押融资", "质押融资" + evil, 1)  # in a clause body
    doc = parse_document(text, "evil")
    hit = [c for c in doc.clauses if "<script>" in c.text]
    assert hit, "the parser dropped the markup, so this test checks nothing"
    titles = {doc.doc_id: doc.title + evil}
    clause = hit[0]
    answer = Answer(question=evil, found=True, intent="department", answer=f"根据规划「{clause.text}」",
                    departments=("<b>省科技厅</b>", evil), hits=tuple(Hit(c, 1.0) for c in hit[:3]))
    office = Office(evil, evil, (evil,), ())
    pages = {
        "answer": cards.answer_html(answer, titles, ["<script>", "alert", "质押"]),
        "turn": cards.turn_html(evil, cards.answer_html(answer, titles)),
        "card": cards.clause_card(clause, titles, [evil]),
        "view": cards.clause_view(clause, hit, titles),
        "missing": cards.clause_view(None, [], titles, missing=evil),
        "offices": cards.offices_html([office], {evil: hit}, titles),
        "table": indicator_cards.indicators_table_html([c for c in doc.clauses if c.kind == "indicator"]),
    }
    for name, page in pages.items():
        low = page.lower()
        assert "<script" not in low and "<img" not in low and "<b>" not in low, name
        if name != "table":
            assert "&lt;script&gt;" in page, name
    for label, _ in cards.outline_choices(doc.clauses):  # Radio labels are text; they stay plain
        assert isinstance(label, str)


# ------------------------------------------------------------------------------------------ the running app



TRAVERSALS = [
    "/file=/etc/passwd", "/gradio_api/file=/etc/passwd", "/file=../../etc/passwd",
    "/gradio_api/file=../../etc/passwd", "/gradio_api/file=..%2F..%2Fetc%2Fpasswd",
    "/gradio_api/file=%2Fetc%2Fpasswd", "/gradio_api/file=..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/../../etc/passwd", "/static/..%2F..%2F..%2Fetc%2Fpasswd", "/assets/../../../etc/passwd",
    "/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/gradio_api/file=/proc/self/environ",
    "/gradio_api/file=" + str(ROOT / "app.py"), "/gradio_api/file=" + str(ROOT / "corpus" / "offices.json"),
    "/favicon.ico/../../../etc/passwd", "/gradio_api/file=....//....//etc/passwd",
    "/gradio_api/file=%252e%252e%252fetc%252fpasswd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    "/gradio_api/upload/../../etc/passwd", "/gradio_api/file=\\..\\..\\etc\\passwd",
]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url), timeout=20) as r:
            return r.status, r.read(200_000)
    except urllib.error.HTTPError as e:
        return e.code, e.read(200_000) if e.fp else b""


@pytest.mark.slow
def test_no_path_traversal(server):
    base = server.url.rstrip("/")
    assert base.startswith("http://127.0.0.1:")
    leaks = []
    for path in TRAVERSALS:
        status, body = _get(base + path)
        if status == 200 and (b"root:" in body or b"import gradio" in body or b"PATH=" in body
                              or b'"aliases"' in body):
            leaks.append((path, status, body[:80]))
    assert not leaks, leaks
    assert server.proc.poll() is None, server.log_tail()


def test_app_binds_loopback_by_default():
    sys.path.insert(0, str(ROOT))
    try:
        import app
    finally:
        sys.path.pop(0)
    args = app._parser().parse_args([])
    assert ipaddress.ip_address(args.host).is_loopback
    assert args.share is False


def _own_non_loopback_address() -> str | None:
    """This machine's own outward address (no packet is sent: a UDP connect only picks a route)."""
    candidates = set()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1, never contacted
            candidates.add(s.getsockname()[0])
    except OSError:
        pass
    try:
        candidates.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    except OSError:
        pass
    for a in sorted(candidates):
        ip = ipaddress.ip_address(a)
        if not ip.is_loopback and not ip.is_unspecified:
            return a
    return None


@pytest.mark.slow
def test_running_app_is_not_reachable_on_this_machines_other_address(server):
    own = _own_non_loopback_address()
    if own is None:
        pytest.skip("this machine has no non-loopback address")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(3)
        result = s.connect_ex((own, server.port))
    assert result != 0, f"the app answers on {own}:{server.port}; it must bind to 127.0.0.1 only"
