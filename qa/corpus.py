"""The corpus folder: plan texts plus the domain data the pipeline reads with them.

Every `*.txt` in corpus/ is a document (UTF-8 or GB18030); `offices.json`, `glossary_en.tsv` and
`userdict.txt` are data, not code. A file that cannot be read or parsed is skipped with one
warning naming it, so one bad file never takes the others down.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .offices import OfficeTable
from .parse import ParseError, parse_document
from .records import Document
from .segment import Segmenter, load_glossary
from .textnorm import decode

PARSER_VERSION = "1"
DATA_FILES = ("offices.json", "glossary_en.tsv", "userdict.txt")


class CorpusError(RuntimeError):
    """The corpus has no usable document; the message says where it looked."""


@dataclass
class Corpus:
    folder: Path
    documents: list[Document]
    offices: OfficeTable
    glossary: dict[str, list[str]]
    user_words: list[str]
    warnings: list[str] = field(default_factory=list)

    def segmenter(self) -> Segmenter:
        return Segmenter(self.user_words + self.offices.all_names(), self.glossary)


def read_user_words(path: Path) -> list[str]:
    """jieba user-dictionary format: one word a line, optional frequency and tag after it."""
    if not path.exists():
        return []
    return [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.txt") if p.name != "userdict.txt")


def fingerprint(folder: Path) -> tuple[str, str]:
    """(corpus hash, dictionary hash): change either and the index is stale."""
    docs = hashlib.sha256(PARSER_VERSION.encode())
    for p in corpus_files(folder):
        docs.update(p.name.encode() + b"\0")
        try:
            docs.update(p.read_bytes())
        except OSError:
            docs.update(b"<unreadable>")
    data = hashlib.sha256()
    for name in DATA_FILES:
        p = folder / name
        try:
            content = p.read_bytes() if p.exists() else b""
        except OSError:  # e.g. a folder named offices.json: load_corpus warns about it
            content = b"<unreadable>"
        data.update(name.encode() + b"\0" + content)
    return docs.hexdigest()[:16], data.hexdigest()[:16]


def load_corpus(folder: Path) -> Corpus:
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist; put plan .txt files there")
    warnings: list[str] = []
    documents: list[Document] = []
    for path in corpus_files(folder):
        try:
            text = decode(path.read_bytes())
            documents.append(parse_document(text, path.stem))
        except UnicodeDecodeError:
            warnings.append(f"skipped {path.name}: not UTF-8 or GB18030 text")
        except ParseError as exc:
            warnings.append(f"skipped {path.name}: {exc}")
        except OSError as exc:
            warnings.append(f"skipped {path.name}: cannot read ({exc.strerror or exc})")
    if not documents:
        raise CorpusError(f"no readable plan in {folder}" + (f" ({'; '.join(warnings)})" if warnings else ""))
    try:
        offices = OfficeTable.load(folder / "offices.json")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        warnings.append(f"ignored offices.json: unreadable ({exc}); offices are used as written")
        offices = OfficeTable([])
    offices = offices.with_names(d for doc in documents for c in doc.clauses for d in c.departments)
    try:
        glossary = load_glossary(folder / "glossary_en.tsv")
    except (OSError, UnicodeDecodeError) as exc:
        warnings.append(f"ignored glossary_en.tsv: unreadable ({exc})")
        glossary = {}
    try:
        user_words = read_user_words(folder / "userdict.txt")
    except (OSError, UnicodeDecodeError) as exc:
        warnings.append(f"ignored userdict.txt: unreadable ({exc})")
        user_words = []
    return Corpus(folder, documents, offices, glossary, user_words, warnings)
