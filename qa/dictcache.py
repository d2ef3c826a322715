"""jieba's general dictionary and part-of-speech table, loaded from a cache in the index folder.

Every process that answers needs jieba's dictionary twice: the prefix dictionary
(`jieba.dt.FREQ`, ~500k words and prefixes, for cutting) and the part-of-speech table
(`jieba.posseg.dt.word_tag_tab`, ~350k words, for qa.scope and qa.corpus.home_words). jieba reads
the first from its marshal file in the temp folder, object by object from the file (~0.5 s on
the 2-core dev VM), and builds the second at `import jieba.posseg` by parsing dict.txt line by line
(~0.2 s). `load(index_dir)` builds both dicts, equal and in the same order, from one file
`<index_dir>/jieba-dict.cache` laid out in columns — every word in one newline-joined string, the
frequencies as one int64 array, the tagged words as positions into the words and the tags as
indices into the tag names — in 0.34 s of CPU instead of jieba's 0.83 s (both dicts, median of 3,
`time.process_time()` around the load, on the loaded dev VM).

Safety:
- The cache is keyed by a hash of the dictionary file jieba reads, jieba's version, Python's and
  this format's: any change → stale → rebuilt (one line on `log`).
- The payload's hash is checked before it is decoded (marshal is not safe on damaged data):
  truncated or damaged → rebuilt (one line on `log`).
- Written to a temporary file in the same folder, then `os.replace`d: a concurrent process sees
  the old file or the new one, never a torn one; a failed write leaves no cache and no error.
- A miss has jieba load both dicts its own way, and the cache is written from those: it only ever
  holds what jieba itself built. Whatever is already loaded in the process (someone used jieba
  first, or added words to its global dictionary) is left alone, and nothing is written from it.
"""
from __future__ import annotations

import hashlib
import importlib
import io
import json
import marshal
import os
import sys
import tempfile
from array import array
from pathlib import Path

import jieba

FORMAT = 1
FILE_NAME = "jieba-dict.cache"
MAGIC = b"qa-jieba-dict-cache\n"


def dictionary_key() -> str:
    """What the cache depends on: the bytes of jieba's dictionary file and the versions involved."""
    with jieba.dt.get_dict_file() as f:
        digest = hashlib.blake2b(f.read(), digest_size=16).hexdigest()
    return (f"{FORMAT}:{jieba.__version__}:{sys.version_info[0]}.{sys.version_info[1]}:"
            f"{sys.byteorder}:{digest}")


def encode(freq: dict, total: int, tags: dict) -> bytes | None:
    """The two dicts in columns (marshal); None when they do not fit the layout (then no cache).

    >>> freq, tags = {"知识": 3, "知": 0, "知识产权": 5}, {"知识产权": "n", "知识": "n"}
    >>> decode(encode(freq, 8, tags)) == (freq, 8, tags)
    True
    """
    words = list(freq)
    joined = "\n".join(words)
    if not words or "" in freq or joined.count("\n") != len(words) - 1:
        return None
    names = sorted(set(tags.values()))
    at = {w: i for i, w in enumerate(words)}
    if len(names) > 255 or not all(isinstance(v, int) for v in freq.values()) \
            or not all(w in at for w in tags) or not isinstance(total, int):
        return None
    name_at = {n: i for i, n in enumerate(names)}
    return marshal.dumps((joined, array("q", freq.values()).tobytes(), total,
                          array("I", (at[w] for w in tags)).tobytes(),
                          bytes(name_at[t] for t in tags.values()), tuple(names)))


def decode(payload: bytes) -> tuple[dict, int, dict]:
    """(FREQ, total, word_tag_tab) from `encode`'s bytes; ValueError when they do not add up."""
    joined, freq_bytes, total, positions, tag_bytes, names = marshal.loads(payload)
    words = joined.split("\n")
    freqs, at = array("q"), array("I")
    freqs.frombytes(freq_bytes)
    at.frombytes(positions)
    if len(freqs) != len(words) or len(at) != len(tag_bytes) or not isinstance(total, int):
        raise ValueError("columns of different lengths")
    if (len(at) and max(at) >= len(words)) or (tag_bytes and max(tag_bytes) >= len(names)):
        raise ValueError("an index out of range")
    freq = dict(zip(words, freqs.tolist()))
    tags = dict(zip(map(words.__getitem__, at), map(names.__getitem__, tag_bytes)))
    return freq, total, tags


def read(path: Path, key: str) -> tuple[tuple[dict, int, dict] | None, str | None]:
    """(the dicts, None) from a good cache; (None, why) when it is missing, stale or damaged."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no cache yet (or no index folder at all)
        return None, None
    except OSError as exc:
        return None, f"unreadable ({exc.strerror or exc})"
    try:
        if not data.startswith(MAGIC):
            raise ValueError("not a cache file")
        end = data.index(b"\n", len(MAGIC))
        header = json.loads(data[len(MAGIC):end])
        payload = data[end + 1:]
        if header.get("key") != key:
            return None, "made for another dictionary or version"
        if header.get("size") != len(payload) or \
                hashlib.blake2b(payload, digest_size=16).hexdigest() != header.get("digest"):
            raise ValueError("damaged")
        return decode(payload), None
    except Exception as exc:  # anything wrong with the bytes: rebuild
        return None, f"damaged ({exc})"


def write(path: Path, key: str, payload: bytes) -> bool:
    """Write the cache atomically (temporary file, then os.replace); False when it cannot."""
    header = json.dumps({"key": key, "size": len(payload),
                         "digest": hashlib.blake2b(payload, digest_size=16).hexdigest()}).encode()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + header + b"\n" + payload)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from other users of the index
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def _import_posseg_with(tags: dict | None):
    """Import jieba.posseg; with `tags`, its tagger gets them instead of parsing dict.txt again.

    `import jieba.posseg` builds its tagger from `jieba.dt.get_dict_file()`: for the length of the
    import that method returns an empty file, and the tags go in afterwards.
    """
    if tags is None:
        return importlib.import_module("jieba.posseg")
    jieba.dt.get_dict_file = lambda: io.BytesIO(b"")  # an instance attribute, removed below
    try:
        posseg = importlib.import_module("jieba.posseg")
    finally:
        del jieba.dt.get_dict_file
    if posseg.dt.tokenizer is jieba.dt and posseg.dt.word_tag_tab == {}:
        posseg.dt.word_tag_tab = tags
    else:  # not the jieba this was written for: its own table, its own way
        posseg.dt.load_word_tag(jieba.dt.get_dict_file())
    return posseg


def load(index_dir, log=None) -> str:
    """Make jieba's dictionary and part-of-speech table ready, from the cache when it is good.

    Returns what happened: "loaded" (cache hit), "built" (jieba loaded them; cache written),
    "unwritten" (jieba loaded them; the folder refused the cache) or "skipped" (already loaded).
    """
    if jieba.dt.initialized or "jieba.posseg" in sys.modules:
        return "skipped"
    path = Path(index_dir) / FILE_NAME
    key = dictionary_key()
    cached, why = read(path, key)
    if why is not None and log is not None:
        print(f"jieba dictionary cache {why}; rebuilding it", file=log)
    if cached is not None:
        freq, total, tags = cached
        with jieba.dt.lock:
            if not jieba.dt.initialized:
                jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = freq, total, True
        _import_posseg_with(tags)
        return "loaded"
    jieba.dt.check_initialized()
    posseg = _import_posseg_with(None)
    payload = encode(jieba.dt.FREQ, jieba.dt.total, posseg.dt.word_tag_tab)
    return "built" if payload is not None and write(path, key, payload) else "unwritten"
