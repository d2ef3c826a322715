"""Structured errors: a stable `code` and its `params`, so every surface can word them itself.

An error carries no prose of its own. `str(error)` is the English sentence from the message table
in qa/messages.py; the CLI and the app render the same code in the user's language with
`qa.messages.render(error, lang)`.

Codes (params): question.not_text, question.wrong_encoding, question.empty, question.no_content,
question.too_long (length, limit), question.bad_top_k, question.unknown_office (office), question.unknown_doc (doc);
corpus.missing_folder (folder), corpus.no_documents (folder, details); embedder.unknown (spec),
embedder.cannot_load (spec, reason); evalset.* (a question set that cannot be read, or a row that
cannot be scored: see qa/evalset.py and qa/scoring.py); feedback.* (the feedback file cannot be
written, or a mark is not one: qa/feedback.py);
backend.unknown (spec), backend.unreachable (uri, reason), backend.auth (uri), backend.unavailable.
"""
from __future__ import annotations


class QAError(Exception):
    """An error with a message-table code and the values its message needs.

    Example:
    >>> str(QAError("question.too_long", length=600, limit=500))
    'the question is 600 characters long; keep it under 500 characters'
    """

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        from .messages import render
        return render(self, "en")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, **{self.params!r})"

    def __reduce__(self):  # picklable across processes despite keyword params
        return _rebuild, (type(self), self.code, self.params)


def _rebuild(cls, code, params):
    return cls(code, **params)


class QuestionError(QAError, ValueError):
    """The question cannot be asked as it is; the message says what to change.

    Example:
    >>> error = QuestionError("question.empty")
    >>> error.code, isinstance(error, ValueError)
    ('question.empty', True)
    """
