"""The corpus folder: plan texts plus the domain data the pipeline reads with them.

Every `*.txt` in corpus/ is a document (UTF-8 or GB18030); `offices.json`, `glossary_en.tsv` and
`userdict.txt` are data, not code. A file that cannot be read or parsed is skipped with one
warning naming it, so one bad file never takes the others down.
What a plan implicitly is about — its region and its period — is read from the titles
(`home_words`), never written into code.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .actors import with_text_offices
from .errors import QAError
from .offices import OfficeTable
from .parse import ParseError, parse_document
from .places import NOT_REGIONS
from .records import Document
from .segment import Segmenter, load_glossary
from .textnorm import decode, fold

PARSER_VERSION = "27"
DATA_FILES = ("offices.json", "glossary_en.tsv", "userdict.txt")
_PERIOD = re.compile(r"十[一二三四五六七八九]五")  # a five-year plan period: 十一五 … 十九五
# the suffix of an administrative region's name, longest first (广西壮族自治区 → 广西)
_LOCAL_ISSUER = re.compile(r"(?:省|自治区|市|州|县|盟|区)(?:人民政府|委员会|委)")
_REGION_SUFFIX = re.compile(r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|自治州|地区|新区|省|市|县|区|州|盟)$")


class CorpusError(QAError, RuntimeError):
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
        return Segmenter(self.user_words + self.offices.all_names(), self.glossary,
                         context_words=self.home_words())

    def home_words(self) -> list[str]:
        """The region and period words the corpus's titles name (see `home_words`)."""
        return home_words(d.title for d in self.documents)


def home_words(titles) -> list[str]:
    """The words every question about these plans may use without saying anything: the plan
    periods and the regions their titles name, each region also without its suffix and in pinyin.

    A region is a place name (jieba's part-of-speech tag ns) in the title; a national plan has none.

    >>> home_words(["“十三五”吉林省知识产权保护和运用规划"])
    ['十三五', '吉林省', '吉林', 'jilin']
    >>> home_words(["国家知识产权战略纲要"]), home_words(["国家海洋经济发展规划"])
    ([], [])
    """
    out: list[str] = []
    for title in dict.fromkeys(titles):
        out.extend(_title_home(fold(title or "")))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def _title_home(title: str) -> tuple[str, ...]:
    """home_words of one folded title (cached: synthetic corpora repeat one title many times)."""
    import jieba.posseg
    from pypinyin import lazy_pinyin

    out = list(_PERIOD.findall(title))
    for word in jieba.posseg.lcut(title):
        if word.flag != "ns" or len(word.word) < 2 or word.word in NOT_REGIONS:
            continue
        short = _REGION_SUFFIX.sub("", word.word)
        short = short if len(short) >= 2 else word.word
        out.extend((word.word, short, "".join(lazy_pinyin(short)).lower()))
    return tuple(w for w in out if w)


def document_level(doc: Document, offices: OfficeTable) -> str:
    """"national" or "local": the level of the document's issuer when the office data knows it,
    else local when the issuer is a local government (…省人民政府办公厅) or the title names a region
    (see `home_words`), and national when neither does. Offices the document writes without
    their level (发展改革委) are read at this level.

    >>> document_level(Document("d", "国家职业教育改革实施方案", ()), OfficeTable([]))
    'national'
    >>> document_level(Document("d", "广西壮族自治区知识产权规划", ()), OfficeTable([]))
    'local'
    >>> document_level(Document("d", "关于加强某某工作的意见", (), issuer="某某市人民政府"), OfficeTable([]))
    'local'
    """
    level = offices.level_of(doc.issuer) if doc.issuer else ""
    if level:
        return level
    if _LOCAL_ISSUER.search(doc.issuer) or home_words([doc.title]):
        return "local"
    return "national"


def read_user_words(path: Path) -> list[str]:
    """jieba user-dictionary format: one word a line, optional frequency and tag after it."""
    if not path.exists():
        return []
    return [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def folders_of(spec) -> list[Path]:
    """The folders a corpus spec names: one folder, or several joined by commas (the first holds
    the domain data; the others add documents), so a library can be the plan's own folder plus
    a folder of other documents.

    >>> [str(p) for p in folders_of("corpus,corpus/library")], [str(p) for p in folders_of(Path("corpus"))]
    (['corpus', 'corpus/library'], ['corpus'])
    """
    return [Path(part.strip()) for part in str(spec).split(",") if part.strip()] or [Path(str(spec))]


def corpus_files(folder) -> list[Path]:
    """The documents of a corpus spec, folder by folder, each folder's in name order; a file
    name met again in a later folder is left out (one name, one document)."""
    seen: set[str] = set()
    out: list[Path] = []
    for one in folders_of(folder):
        for p in sorted(p for p in one.glob("*.txt") if p.name != "userdict.txt"):
            if p.name not in seen:
                seen.add(p.name)
                out.append(p)
    return out


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
        p = folders_of(folder)[0] / name
        try:
            content = p.read_bytes() if p.exists() else b""
        except OSError:  # e.g. a folder named offices.json: load_corpus warns about it
            content = b"<unreadable>"
        data.update(name.encode() + b"\0" + content)
    return docs.hexdigest()[:16], data.hexdigest()[:16]


def load_corpus(folder: Path) -> Corpus:
    """Every document of the corpus spec (one folder, or several joined by commas) with the
    domain data of the first folder."""
    for one in folders_of(folder):
        if not one.is_dir():
            raise CorpusError("corpus.missing_folder", folder=str(one))
    home = folders_of(folder)[0]
    folder = Path(str(folder))
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
        raise CorpusError("corpus.no_documents", folder=str(folder), details="; ".join(warnings) or "no .txt file")
    try:
        offices = OfficeTable.load(home / "offices.json")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        warnings.append(f"ignored offices.json: unreadable ({exc}); offices are used as written")
        offices = OfficeTable([])
    documents = [with_text_offices(doc, offices) for doc in documents]
    documents = [offices.canonical_offices(doc, document_level(doc, offices)) for doc in documents]
    offices = offices.with_names(d for doc in documents for c in doc.clauses for d in c.departments)
    try:
        glossary = load_glossary(home / "glossary_en.tsv")
    except (OSError, UnicodeDecodeError) as exc:
        warnings.append(f"ignored glossary_en.tsv: unreadable ({exc})")
        glossary = {}
    try:
        user_words = read_user_words(home / "userdict.txt")
    except (OSError, UnicodeDecodeError) as exc:
        warnings.append(f"ignored userdict.txt: unreadable ({exc})")
        user_words = []
    return Corpus(folder, documents, offices, glossary, user_words, warnings)
