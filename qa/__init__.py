"""Plan QA: question answering over Chinese government plans.

The public names: `Engine` (open an index and `ask`), `Answer`, `Clause`, `parse_document`.
"""
import logging

import jieba

jieba.setLogLevel(logging.WARNING)

from .engine import Engine, QuestionError, Settings  # noqa: E402
from .parse import ParseError, parse_document  # noqa: E402
from .records import Answer, Clause, Document, Hit  # noqa: E402

__all__ = ["Engine", "QuestionError", "Settings", "ParseError", "parse_document",
           "Answer", "Clause", "Document", "Hit"]
