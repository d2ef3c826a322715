"""Homophone typo repair for questions typed with a pinyin keyboard (只是产权 → 知识产权).

A window of the question is replaced by a domain term only when both read the same in toneless
pinyin and the window itself never occurs in the corpus — so real words are left alone.
Shortcut: same-length substitutions only; missing or extra characters are left to BM25 and the
dense model.
"""
from __future__ import annotations

import re

from pypinyin import lazy_pinyin

_HAN = re.compile(r"[\u4e00-\u9fff]")


class PinyinCorrector:
    """A window that sounds like a domain term (3+ characters) and never occurs in the corpus
    becomes that term.

    >>> fix = PinyinCorrector(["知识产权"], "加强知识产权保护。")
    >>> fix.correct("只是产权质押"), fix.correct("知识产权质押")
    ('知识产权质押', '知识产权质押')
    """

    def __init__(self, terms, corpus_text: str):
        self._corpus = corpus_text
        self._by_sound: dict[tuple[int, str], str | None] = {}
        for term in set(terms):
            if len(term) < 3 or not all(_HAN.match(ch) for ch in term):
                continue
            key = (len(term), " ".join(lazy_pinyin(term)))
            known = self._by_sound.get(key, term)
            self._by_sound[key] = term if known == term else None  # two terms sound alike: no fix
        self._lengths = sorted({n for n, _ in self._by_sound}, reverse=True)

    def correct(self, text: str) -> str:
        if not self._by_sound or not _HAN.search(text):
            return text
        sounds = lazy_pinyin(text, errors=lambda s: ["?"] * len(s))
        if len(sounds) != len(text):
            return text
        out, i = [], 0
        while i < len(text):
            for n in self._lengths:
                window = text[i:i + n]
                if len(window) < n or not all(_HAN.match(ch) for ch in window):
                    continue
                term = self._by_sound.get((n, " ".join(sounds[i:i + n])))
                if term and term != window and window not in self._corpus:
                    out.append(term)
                    i += n
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)


_SLIP = re.compile(r"那(?=(?:个|些|一个|几个)(?:部门|单位|机构|地方|部委)|家单位)")
_ASKING = re.compile(r"谁|哪|什么|啥|吗|呢|多少|几|怎么|如何|是否|how|what|which|who|why|when|where", re.I)


def question_word_slip(text: str) -> str:
    """那 typed for 哪 (the same na on a pinyin keyboard) in a question that asks nothing else:
    「证书归那个部门管？」 asks which office. With another question word 那个部门 points back
    (「那个部门还负责什么」) and is left alone.

    >>> question_word_slip("技工院校的证书归那个部门管？"), question_word_slip("那个部门还负责什么？")
    ('技工院校的证书归哪个部门管？', '那个部门还负责什么？')
    """
    if not _SLIP.search(text) or _ASKING.search(text):
        return text
    return _SLIP.sub("哪", text)
