"""The index folder: build, save atomically, load, and tell when it is stale.

Layout: `index/CURRENT` names the live build folder `index/b-<stamp>/`, which holds
clauses.json, the BM25 matrix (.npy), vectors.npy, dense.faiss and manifest.json (format version,
corpus hash, dictionary hash, embedder id, and a sha256 of every file). A build writes a new folder
and only then replaces CURRENT (os.replace is atomic), so a build killed midway leaves the previous
index in use. Clause vectors are reused from the previous build when a clause's text and the
embedder are unchanged (content hash), so editing one document re-embeds only its clauses.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .bm25 import Postings, SparseBM25
from .corpus import Corpus, fingerprint
from .dense import DenseIndex
from .passages import SentenceIndex, sentences
from .records import Clause

FORMAT_VERSION = 6     # 6: the sentence index (qa/passages.py)
VECTORS_FORMAT = 1     # how clause vectors are made (embed_text): reusable across index formats
ABANDONED_AFTER_S = 6 * 3600   # where a process cannot be probed (Windows): older .tmp- folders are debris
EMBED_BATCH = 32
TOKENISE_PROGRESS_MIN = 2000     # smaller corpora tokenise in about a second: no bar


class StaleIndex(RuntimeError):
    """The index on disk cannot serve this corpus/embedder; the message says why."""


@dataclass
class Built:
    clauses: list[Clause]          # every clause, plan order (containers included)
    searchable: list[int]          # positions in `clauses` of the rows of bm25 / dense
    bm25: SparseBM25
    dense: DenseIndex | None
    manifest: dict
    sentences: SentenceIndex | None = None   # the searchable clauses' sentences, same row order


def index_text(clause: Clause) -> str:
    """What is indexed for a clause: its headings, then its text (titles count twice)."""
    return " ".join(clause.path) + "\n" + clause.text


def embed_text(clause: Clause) -> str:
    return " › ".join(clause.path) + "\n" + clause.text


def _content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _progress(done: int, total: int, label: str, stream) -> None:
    if stream is None or total <= 0 or not getattr(stream, "isatty", lambda: False)():
        return  # a bar only where a person watches; logs get the one-line reason instead
    width = 30
    filled = int(width * done / total)
    stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        stream.write("\n")
    stream.flush()


def _tokenised(segmenter, clauses: list[Clause], stream):
    """(heading tokens, token list of each sentence) one clause at a time; a progress bar on large
    corpora (tokenising is most of a build without embeddings: ~45 s at 100k clauses).

    The clause's own tokens are the heading's followed by its sentences': the segmenter never
    joins words across a sentence mark, so this is `segmenter.tokens(index_text(clause))`, got
    with one pass of tokenising for both indexes."""
    total = len(clauses)
    show = stream if total >= TOKENISE_PROGRESS_MIN else None
    step = max(1, total // 100)
    for n, clause in enumerate(clauses, 1):
        yield (segmenter.tokens(" ".join(clause.path) + "\n"),
               [segmenter.tokens(s) for s in sentences(clause.text)])
        if n % step == 0 or n == total:
            _progress(n, total, "tokenising", show)


def _lexical_indexes(segmenter, clauses: list[Clause], stream) -> tuple[SparseBM25, SentenceIndex]:
    """The clause BM25 and the sentence index of `clauses`, each document with its own statistics."""
    whole, parts = Postings(), Postings()
    clause_of, sentence_docs = [], []
    for position, (head, pieces) in enumerate(_tokenised(segmenter, clauses, stream)):
        whole.add(head + [t for piece in pieces for t in piece])
        for piece in pieces:
            parts.add(piece)
            clause_of.append(position)
            sentence_docs.append(clauses[position].doc_id)
    docs = [c.doc_id for c in clauses]
    return whole.bm25(groups=docs), SentenceIndex(parts.bm25(groups=sentence_docs), np.asarray(clause_of, np.int64))


def embed_in_batches(embedder, texts: list[str], stream=None, label="embedding") -> np.ndarray:
    out = []
    for start in range(0, len(texts), EMBED_BATCH):
        out.append(embedder.passages(texts[start:start + EMBED_BATCH]))
        _progress(min(start + EMBED_BATCH, len(texts)), len(texts), label, stream)
    return np.concatenate(out) if out else np.zeros((0, embedder.dim), np.float32)


def current_folder(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, ValueError):  # missing, or not text (UnicodeDecodeError): no live index
        return None
    if not name or "\0" in name:
        return None
    folder = index_dir / name
    return folder if folder.is_dir() else None


def read_manifest(index_dir: Path) -> dict | None:
    folder = current_folder(index_dir)
    if folder is None:
        return None
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _previous_vectors(index_dir: Path, embedder_id: str) -> dict[str, np.ndarray]:
    """Content hash → vector from the live build, when it used the same embedder."""
    try:
        folder = current_folder(index_dir)
        if folder is None:
            return {}
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("embedder") != embedder_id \
                or _vectors_format(manifest) != VECTORS_FORMAT:
            return {}
        hashes = manifest["embed_hashes"]
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        return dict(zip(hashes, vectors)) if len(hashes) == len(vectors) else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _vectors_format(manifest: dict) -> int | None:
    """How a build's vectors were made: an index format that changed only other files (5 → 6
    added the sentence index) keeps its vectors reusable, so upgrading re-embeds nothing."""
    return manifest.get("vectors_format", VECTORS_FORMAT if manifest.get("format") in (5, 6) else None)


def build(corpus: Corpus, index_dir: Path, embedder, segmenter=None, stream=sys.stderr) -> Built:
    """Build and atomically publish a new index for `corpus`; returns it ready to use."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    segmenter = segmenter or corpus.segmenter()
    clauses = [c for doc in corpus.documents for c in doc.clauses]
    searchable = [i for i, c in enumerate(clauses) if c.searchable]
    # each document keeps its own BM25 statistics: adding one changes no score of another
    bm25, sentence_index = _lexical_indexes(segmenter, [clauses[i] for i in searchable], stream)
    dense, embed_hashes = None, []
    if embedder is not None:
        texts = [embed_text(clauses[i]) for i in searchable]
        embed_hashes = [_content_hash(t) for t in texts]
        cache = _previous_vectors(index_dir, embedder.id)
        todo = [j for j, h in enumerate(embed_hashes) if h not in cache]
        fresh = embed_in_batches(embedder, [texts[j] for j in todo], stream) if todo else None
        vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        fresh_at = {j: k for k, j in enumerate(todo)}
        for j, h in enumerate(embed_hashes):
            vectors[j] = fresh[fresh_at[j]] if j in fresh_at else cache[h]
        dense = DenseIndex(vectors)
    docs_hash, dict_hash = fingerprint(corpus.folder)
    manifest = {"format": FORMAT_VERSION, "vectors_format": VECTORS_FORMAT, "corpus_hash": docs_hash, "dict_hash": dict_hash,
                "embedder": embedder.id if embedder is not None else None,
                "n_clauses": len(clauses), "n_searchable": len(searchable),
                "embed_hashes": embed_hashes, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    built = Built(clauses, searchable, bm25, dense, manifest, sentence_index)
    _publish(built, index_dir)
    return built


def _publish(built: Built, index_dir: Path) -> None:
    name = f"b-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    tmp = index_dir / (".tmp-" + name)
    tmp.mkdir()
    (tmp / "clauses.json").write_text(json.dumps(
        {"clauses": [c.to_json() for c in built.clauses], "searchable": built.searchable},
        ensure_ascii=False), encoding="utf-8")
    built.bm25.save(tmp)
    if built.sentences is not None:
        built.sentences.save(tmp)
    if built.dense is not None:
        built.dense.save(tmp)
    files = {p.name: _sha(p) for p in sorted(tmp.iterdir())}
    manifest = dict(built.manifest, files=files)
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    final = index_dir / name
    os.replace(tmp, final)
    pointer_tmp = index_dir / f".CURRENT-{name}"
    pointer_tmp.write_text(name, encoding="utf-8")
    os.replace(pointer_tmp, index_dir / "CURRENT")
    built.manifest = manifest
    for old in index_dir.iterdir():  # earlier builds and debris of killed builds
        if old.is_dir() and old.name != name and (old.name.startswith("b-") or _abandoned(old)):
            shutil.rmtree(old, ignore_errors=True)


def _abandoned(folder: Path) -> bool:
    """Is `.tmp-b-<stamp>-<pid>-<n>` the debris of a build whose process is gone? A build another
    live process is writing right now is not (two processes opening one stale index both build).

    >>> _abandoned(Path(f".tmp-b-20260101000000-{os.getpid()}-1")), _abandoned(Path("b-20260101000000-1-1"))
    (False, False)
    """
    name = folder.name
    if not name.startswith(".tmp-"):
        return False
    parts = name.split("-")
    if len(parts) < 4 or not parts[3].isdigit():
        return True    # not a name a build of ours writes: nothing is writing it
    if os.name == "nt":   # signal 0 is CTRL_C_EVENT there, not a probe: judge by age instead
        try:
            return time.time() - folder.stat().st_mtime > ABANDONED_AFTER_S
        except OSError:
            return False
    try:
        os.kill(int(parts[3]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError, OSError):
        return False
    return False


class VectorsOnDisk:
    """The clause vectors of a loaded build, left on disk until asked for: a backend that searches
    elsewhere (qa/backends) needs them only to publish a build, never to answer."""

    exact = True

    def __init__(self, folder: Path):
        self.folder = folder

    @property
    def vectors(self) -> np.ndarray:
        return np.load(self.folder / "vectors.npy", mmap_mode="r", allow_pickle=False)


def load(index_dir: Path, corpus: Corpus, embedder, vectors: bool = True) -> Built:
    """Load the live index, or raise StaleIndex saying why it cannot be used; `vectors=False`
    leaves the dense vectors on disk (VectorsOnDisk)."""
    folder = current_folder(Path(index_dir))
    if folder is None:
        raise StaleIndex("no index built yet")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise StaleIndex("index manifest is missing or unreadable")
    if not isinstance(manifest, dict):
        raise StaleIndex("index manifest is not a JSON object")
    if manifest.get("format") != FORMAT_VERSION:
        raise StaleIndex(f"index format {manifest.get('format')} is not {FORMAT_VERSION}")
    docs_hash, dict_hash = fingerprint(corpus.folder)
    if manifest.get("corpus_hash") != docs_hash:
        raise StaleIndex("the corpus changed since the index was built")
    if manifest.get("dict_hash") != dict_hash:
        raise StaleIndex("the dictionaries changed since the index was built")
    want = embedder.id if embedder is not None else None
    if manifest.get("embedder") != want:
        raise StaleIndex(f"index was built with embedder {manifest.get('embedder')}, not {want}")
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.exists() or _sha(path) != digest:
            raise StaleIndex(f"index file {name} is missing or corrupt")
    try:
        data = json.loads((folder / "clauses.json").read_text(encoding="utf-8"))
        clauses = [Clause.from_json(c) for c in data["clauses"]]
        bm25 = SparseBM25.load(folder)
        sentence_index = SentenceIndex.load(folder) if (folder / "sent_vocab.json").exists() else None
        dense = None if want is None else DenseIndex.load(folder) if vectors else VectorsOnDisk(folder)
    except Exception as exc:  # any decoding failure means: rebuild
        raise StaleIndex(f"index files unreadable ({type(exc).__name__})")
    return Built(clauses, data["searchable"], bm25, dense, manifest, sentence_index)
