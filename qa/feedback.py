"""The feedback file: users' right/wrong marks on answers, kept so staff can turn them into cases.

One JSON object a line, appended, never rewritten. Many app workers (and processes) may append at
once, so each entry is one `os.write` of one whole line to a file opened with O_APPEND, under an
exclusive `flock` on the file, then `fsync`ed before the lock is let go: no two lines interleave and
a mark the user was told is kept is on disk. A write that fails half way (a full disk) is cut back
to where it started, so the file never holds a broken line. The reasons a write can fail — the
disk is full, the path cannot be written — are `FeedbackError`s with a message-table code, for one
clear line in the user's language; the answer the mark was about is never touched.

A staff member's review is appended to the same file as a `resolved` entry naming the mark, so the
history stays whole and `pending()` lists what is left to review.
"""
from __future__ import annotations

import errno
import json
import os
import time
import uuid
from pathlib import Path

from .errors import QAError

try:  # POSIX; elsewhere O_APPEND's single write is what keeps lines whole
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

DEFAULT_PATH = "feedback/feedback.jsonl"
RATINGS = ("right", "wrong")
MAX_FIELD = 4000  # characters kept of any one text field: a mark is not a place for a book


class FeedbackError(QAError, OSError):
    """The feedback file cannot be written; the message says why and where.

    >>> FeedbackError("feedback.disk_full", path="f.jsonl").code
    'feedback.disk_full'
    """


def _clip(text) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= MAX_FIELD else text[:MAX_FIELD]


def make_entry(rating, question: str, answer: dict, history=(), fingerprint: str = "", now=None) -> dict:
    """A mark as it is stored: the question and its history, what the answer gave (its first
    clause, document, offices, value, found), the documents' fingerprint and the time.

    >>> e = make_entry(False, "谁负责？", {"found": True, "hits": [{"clause_id": "d:二.一", "doc_id": "d"}]},
    ...                ["上一问"], "abc", now=0)
    >>> e["rating"], e["answer_clause"], e["history"], e["time"]
    ('wrong', 'd:二.一', ['上一问'], '1970-01-01T00:00:00Z')
    """
    if isinstance(rating, str):
        rating = rating.strip().lower()
        if rating in ("like", "liked", "true", "1", "对", "正确"):
            rating = "right"
        elif rating in ("dislike", "disliked", "false", "0", "错", "错误"):
            rating = "wrong"
    else:
        rating = "right" if rating else "wrong"
    if rating not in RATINGS:
        raise FeedbackError("feedback.bad_rating", rating=str(rating))
    if not isinstance(question, str) or not question.strip():
        raise FeedbackError("feedback.no_question")
    answer = answer if isinstance(answer, dict) else {}
    hits = answer.get("hits") or []
    top = hits[0] if hits and isinstance(hits[0], dict) else {}
    stamp = time.gmtime(time.time() if now is None else now)
    return {"kind": "mark", "id": uuid.uuid4().hex[:12], "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp),
            "rating": rating, "question": _clip(question.strip()),
            "history": [_clip(h) for h in (history or []) if isinstance(h, str) and h.strip()],
            "found": bool(answer.get("found", False)), "answer_clause": top.get("clause_id"),
            "answer_doc": top.get("doc_id"), "departments": list(answer.get("departments") or []),
            "value": answer.get("value"), "answer": _clip(answer.get("answer", "")),
            "fingerprint": fingerprint}


def append(path, entry: dict) -> dict:
    """Append one entry as one line, atomically with respect to other writers; returns it.

    Raises FeedbackError (feedback.disk_full, feedback.cannot_write) instead of OSError."""
    path = Path(path)
    data = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _error(exc, path) from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        start = os.fstat(fd).st_size
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            os.fsync(fd)
        except OSError as exc:
            try:
                os.ftruncate(fd, start)   # no half line left behind
            except OSError:
                pass
            raise _error(exc, path) from None
    finally:
        os.close(fd)  # closing releases the lock
    return entry


def _error(exc: OSError, path: Path) -> FeedbackError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return FeedbackError("feedback.disk_full", path=str(path))
    return FeedbackError("feedback.cannot_write", path=str(path), reason=exc.strerror or type(exc).__name__)


def read(path) -> list[dict]:
    """Every entry of the file, oldest first; a missing file is an empty list and a line that is
    not a JSON object (a file edited by hand) is skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise _error(exc, Path(path)) from None
    out = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
    return out


def pending(entries: list[dict], rating: str | None = "wrong") -> list[dict]:
    """The marks not yet resolved (newest first), only those of `rating` unless it is None.

    >>> marks = [{"kind": "mark", "id": "a", "rating": "wrong"}, {"kind": "mark", "id": "b", "rating": "wrong"},
    ...          {"kind": "mark", "id": "c", "rating": "right"}, {"kind": "resolved", "mark": "a"}]
    >>> [m["id"] for m in pending(marks)], [m["id"] for m in pending(marks, None)]
    (['b'], ['c', 'b'])
    """
    done = {e.get("mark") for e in entries if e.get("kind") == "resolved"}
    marks = [e for e in entries if e.get("kind", "mark") == "mark" and e.get("id") not in done]
    return [m for m in reversed(marks) if rating is None or m.get("rating") == rating]


def resolved_entry(mark_id: str, set_path: str, case_id: str, now=None) -> dict:
    """The line that records a mark turned into a case (or dismissed, with no case_id)."""
    stamp = time.gmtime(time.time() if now is None else now)
    return {"kind": "resolved", "mark": mark_id, "set": set_path, "case": case_id,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp)}
