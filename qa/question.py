"""What counts as a question: pure checks, run before anything is loaded.

`clean_question` validates and tidies the text every surface receives; `check_top_k` validates
the number of hits asked for. Both raise `QuestionError` (qa/errors.py) with a code; the words are
in qa/messages.py.
"""
from __future__ import annotations

import re

from .errors import QuestionError
from .textnorm import fold, sanitize, squeeze

MAX_QUESTION_CHARS = 500
MAX_TOP_K = 50
_TAGS = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)|<[^>]{0,200}>", re.I | re.S)
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def strip_tags(text: str) -> str:
    """The text without HTML tags (script and style bodies included).

    Example:
    >>> strip_tags("<b>专利</b>导航<script>x()</script>")
    '专利 导航'
    """
    return squeeze(_TAGS.sub(" ", text))


def clean_question(question) -> str:
    """Validate and tidy a question (folded, one line, tags kept); raises QuestionError with a code.

    Codes: question.not_text, question.wrong_encoding, question.empty, question.too_long (length,
    limit), question.no_content (nothing but punctuation, symbols or tags).
    Example (full-width punctuation folds to half width):
    >>> clean_question("  哪个部门负责专利？ ")
    '哪个部门负责专利?'
    >>> clean_question("？？？")
    Traceback (most recent call last):
    qa.errors.QuestionError: the question has nothing to search for (only punctuation or symbols?); type a question about the plan in words
    """
    if not isinstance(question, str):
        raise QuestionError("question.not_text")
    clean = sanitize(question)
    if "\ufffd" in clean:
        raise QuestionError("question.wrong_encoding")
    text = squeeze(fold(clean).replace("\n", " "))
    if not text:
        raise QuestionError("question.empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError("question.too_long", length=len(text), limit=MAX_QUESTION_CHARS)
    if not _CONTENT.search(strip_tags(text)):
        raise QuestionError("question.no_content")
    return text


def check_top_k(top_k) -> int:
    """A whole number of hits from 1 to 50; raises QuestionError("question.bad_top_k") otherwise.

    Example:
    >>> check_top_k(5)
    5
    """
    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= MAX_TOP_K:
        raise QuestionError("question.bad_top_k")
    return top_k


def check_history(history) -> tuple[str, ...]:
    """The earlier user turns of a conversation, oldest first: a list of strings (None: none).

    >>> check_history(["二(十)1讲的是什么？"]), check_history(None)
    (('二(十)1讲的是什么？',), ())
    """
    if history is None:
        return ()
    if isinstance(history, str) or not isinstance(history, (list, tuple)) \
            or not all(isinstance(h, str) for h in history):
        raise QuestionError("question.bad_history")
    return tuple(history)
