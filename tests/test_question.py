"""qa/question.py: what counts as a question, checked as pure functions (nothing is loaded)."""
from __future__ import annotations

import pytest

from qa.errors import QAError, QuestionError
from qa.messages import MESSAGES
from qa.question import MAX_QUESTION_CHARS, check_top_k, clean_question, strip_tags


def code_of(question) -> str:
    with pytest.raises(QuestionError) as info:
        clean_question(question)
    return info.value.code


@pytest.mark.parametrize("question", ["？？？", "...", "——", "!?！？。，、", "《》“”", "   ？ ",
                                      "<p><br/></p>", "<script>alert(1)</script>", "😀🎉👍", "\x01？\x1b"])
def test_punctuation_symbols_or_tags_only_are_no_content(question):
    assert code_of(question) == "question.no_content"


@pytest.mark.parametrize("question, code", [
    ("", "question.empty"),
    ("  \t \n ", "question.empty"),
    ("\x01\x02\x7f", "question.empty"),
    (None, "question.not_text"),
    (b"\xe4\xb8\x93", "question.not_text"),
    (42, "question.not_text"),
    ("\ud800专利", "question.wrong_encoding"),
])
def test_other_bad_questions_have_their_own_code(question, code):
    assert code_of(question) == code


def test_too_long_carries_length_and_limit():
    with pytest.raises(QuestionError) as info:
        clean_question("专" * (MAX_QUESTION_CHARS + 1))
    assert info.value.code == "question.too_long"
    assert info.value.params == {"length": MAX_QUESTION_CHARS + 1, "limit": MAX_QUESTION_CHARS}
    assert str(MAX_QUESTION_CHARS) in str(info.value)
    assert clean_question("专" * MAX_QUESTION_CHARS) == "专" * MAX_QUESTION_CHARS  # the limit itself is fine


@pytest.mark.parametrize("question, expected", [
    ("  哪个部门负责专利？ ", "哪个部门负责专利?"),      # the docstring's example (full width folds)
    ("二(九)2", "二(九)2"),
    ("2020？", "2020?"),                                   # a digit is content
    ("Who funds patents?", "Who funds patents?"),
    ("知識產權\n質押", "知识产权 质押"),                    # Traditional folds, one line
    ("<b>专利</b>导航", "<b>专利</b>导航"),                 # tags are kept: the engine strips them
])
def test_real_questions_pass_tidied(question, expected):
    assert clean_question(question) == expected


def test_question_error_is_structured_and_a_value_error():
    with pytest.raises(ValueError) as info:
        clean_question("？？？")
    exc = info.value
    assert isinstance(exc, QuestionError) and isinstance(exc, QAError)
    assert exc.code in MESSAGES and exc.params == {}
    assert "punctuation" in str(exc)


def test_strip_tags_example():
    assert strip_tags("<b>专利</b>导航") == "专利 导航"


@pytest.mark.parametrize("top_k", [0, 51, -1, 2.5, "3", None, True])
def test_bad_top_k(top_k):
    with pytest.raises(QuestionError) as info:
        check_top_k(top_k)
    assert info.value.code == "question.bad_top_k"
    assert "top_k" in str(info.value)


@pytest.mark.parametrize("top_k", [1, 5, 50])
def test_good_top_k(top_k):
    assert check_top_k(top_k) == top_k
