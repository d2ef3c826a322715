"""Character-level normalisation shared by documents and questions.

Folding happens once, here, so that the parser, the segmenter and the router all see the same
characters: full-width forms become half-width (NFKC), Traditional becomes Simplified (OpenCC
t2s, character level — phrase-level Taiwan conversion rewrites mainland words such as 建立), and
control characters disappear. Shortcut: regional vocabulary (智慧财产权 for 知识产权) is left to
the glossary, not to this module.
"""
from __future__ import annotations

import functools
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


@functools.lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a hard requirement, but stay usable
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters become Simplified, one character at a time.

    >>> to_simplified("知識產權質押")
    '知识产权质押'
    """
    conv = _t2s()
    return conv.convert(text) if conv else text


def sanitize(text: str) -> str:
    """Each lone surrogate (undecodable bytes from a terminal, a file or JSON) becomes U+FFFD three
    times, once per byte of its encoding; other text is unchanged.

    >>> sanitize("\\ud800专利") == "\\ufffd" * 3 + "专利"
    True
    """
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def fold(text: str) -> str:
    """NFKC + Traditional→Simplified + no control characters; keeps line breaks.

    >>> fold("（責任單位：省科技廳）")
    '(责任单位:省科技厅)'
    """
    text = unicodedata.normalize("NFKC", sanitize(text))
    text = _CONTROL.sub("", text)
    return to_simplified(text)


def squeeze(text: str) -> str:
    """Collapse runs of spaces (ideographic and no-break ones too) and strip the ends.

    >>> squeeze(" a \\u3000 b ")
    'a b'
    """
    return _SPACES.sub(" ", text).strip()


def decode(data: bytes) -> str:
    """Decode a corpus file written in UTF-8 (with or without BOM) or GB18030.

    Raises UnicodeDecodeError when neither fits, so the caller can name the file.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8/gb18030", data[:1], 0, 1, "neither UTF-8 nor GB18030")
