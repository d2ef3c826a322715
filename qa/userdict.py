"""Generate the domain user dictionary (corpus/userdict.txt) from the corpus itself.

Terms come from three places: the offices a plan names, its indicator names, and new-word
discovery — character n-grams that recur, are free to combine with varied neighbours on both
sides (branching entropy) and that jieba's general dictionary would cut apart (专利导航,
质押融资, 地理标志). Run by `python -m qa dict`; the output is reviewed and committed.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import jieba
import jieba.posseg

from .records import Document

_RUN = re.compile(r"[\u4e00-\u9fff]+")
_EDGE = set("的了和与及在是等对为把被将要各其之并或以于从向中上下个这那有不也都就而且")


def _entropy(counter: Counter) -> float:
    total = sum(counter.values())
    return -sum(n / total * math.log(n / total) for n in counter.values()) if total else 0.0


def discover(texts: list[str], min_count: int = 3, min_entropy: float = 0.9, max_len: int = 6) -> list[str]:
    """Recurring, freely combining n-grams that jieba would split.

    Both neighbours of a term must vary (branching entropy ≥ `min_entropy`):
    >>> discover(["开展专利导航试点。", "推进专利导航工作,", "实施专利导航项目;"])
    ['专利导航']
    >>> discover(["专利导航试点。", "专利导航实验区,", "推进专利导航工作;"])  # left: ^ ^ 进, entropy 0.64
    []
    """
    count: Counter = Counter()
    left: dict[str, Counter] = defaultdict(Counter)
    right: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for run in _RUN.findall(text):
            padded = "^" + run + "$"
            for n in range(2, max_len + 1):
                for i in range(1, len(padded) - n):
                    g = padded[i:i + n]
                    count[g] += 1
                    left[g][padded[i - 1]] += 1
                    right[g][padded[i + n]] += 1
    words = []
    for g, n in count.items():
        if n < min_count or len(g) < 3 or g[0] in _EDGE or g[-1] in _EDGE:
            continue
        if min(_entropy(left[g]), _entropy(right[g])) < min_entropy:
            continue
        pieces = list(jieba.posseg.lcut(g, HMM=False))
        if 1 < len(pieces) <= 3 and all(len(p.word) >= 2 for p in pieces) and pieces[0].flag[:1] not in "vrpcdm":
            words.append(g)
    # keep maximal terms: drop a term that only ever occurs inside a longer kept one
    words.sort(key=len, reverse=True)
    kept: list[str] = []
    for w in words:
        if not any(w in k and count[w] <= count[k] for k in kept):
            kept.append(w)
    return sorted(kept)


def generate(documents: list[Document], glossary_terms=()) -> list[str]:
    """Dictionary words for a corpus: discovered terms, offices, indicator names and the
    glossary's Chinese terms that the corpus actually uses."""
    texts = [c.text for d in documents for c in d.clauses if c.searchable]
    joined = "".join(texts)
    used = {t for t in glossary_terms if len(t) >= 3 and t in joined}
    offices = {name for d in documents for c in d.clauses for name in c.departments}
    indicators = {re.sub(r"\(.*?\)", "", c.title).strip() for d in documents for c in d.clauses
                  if c.kind == "indicator"}
    return sorted(set(discover(texts)) | offices | used | {i for i in indicators if 2 <= len(i) <= 12})
