"""One segmentation function for documents and questions alike.

`Segmenter.tokens` folds characters (textnorm.fold), rewrites English and regional terms into
the plan's wording through the glossary, cuts Chinese with jieba in search mode (so 知识产权 also
yields 知识 and 产权) with a domain user dictionary, and drops punctuation, function words and
question words (哪个部门, 负责, 请问 …) — words that say what is asked, not what it is about.
A corpus also passes its "home" words (`context_words`: the region and plan period its titles
name, see qa.corpus.home_words): a question about the plan's own province says nothing by naming it.
Shortcut: English is matched word by word after the glossary; no stemming beyond a plural 's'.
"""
from __future__ import annotations

import re
from pathlib import Path

import jieba

from .textnorm import fold

# Words that carry the question's form rather than its topic. Generic Chinese, not plan-specific.
QUESTION_WORDS = frozenset("""
哪个 哪些 哪 什么 啥 咋 哪儿 谁 来 谁来 怎么 怎样 如何 是否 吗 呢 吧 啊 呀 么 请问 请 问 一下 我 我们 你 你们 他们
咱们 的 了 和 与 及 或 是 在 有 对 把 被 给 由 从 向 就 都 也 还 要 想 能 会 可以 应该 需要 该 找 管
负责 负责人 归 部门 单位 机构 哪家 哪里 这个 那个 这 那 这件 事 事情 事儿 方面 相关 关于 工作
规划 本规划 这份 里 中 上 下 多少 几 具体 主要 一 个 些 呢 哦 嘛 为 以 等 其 之 所 于 着 过 得 地
那块 这块 这一块 那一块 这事 那事 这方面 咋办 啥的 到底 究竟
我省 省 全省 说 讲 提到 提出 内容 规定 怎么办 干 做 搞 办 职责 承担 任务
""".split())
ENGLISH_STOP = frozenset("""
a an the of in on for to and or is are was were be been by with which who whom what whose how
does do did this that these those it its as at from about under plan province provincial
responsible department departments office offices agency agencies charge please tell me i we our
you can could should would will there their they any all some much many
""".split())
_ENGLISH_WORD = re.compile(r"[a-z0-9][a-z0-9\-]*")
_KEEP = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]")


def load_glossary(path: Path) -> dict[str, list[str]]:
    """English (or regional) term → the plan's Chinese terms, from a two-column TSV."""
    out: dict[str, list[str]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) == 2 and parts[0].strip():
            out.setdefault(fold(parts[0]).strip().lower(), []).extend(parts[1].split())
    return out


def _private_tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer of our own (user words added to it stay out of jieba's global one, which
    part-of-speech tagging uses), started from a copy of the global one's dictionary: loading the
    dictionary costs ~1 s a time, copying it ~0.05 s, and the process needs the global one anyway."""
    jieba.dt.check_initialized()
    own = jieba.Tokenizer()
    own.FREQ, own.total, own.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    return own


def _deletions(word: str) -> set[str]:
    """The word with one letter left out, every way."""
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Segmenter:
    """Tokenises any text into search terms; holds its own jieba instance and dictionary.

    >>> glossary = {"智慧财产权": ["知识产权"], "patent": ["专利"], "pledge financing": ["质押融资"]}
    >>> seg = Segmenter(["质押融资"], glossary)
    >>> seg.tokens("哪个部门负责知识产权质押融资？")
    ['知识', '产权', '知识产权', '质押', '融资', '质押融资']
    >>> seg.plain_wording("智慧財產權 pledge financing")
    '知识产权  质押融资 '
    >>> seg.plain_wording("who handles patent pledge financing")
    'who handles  专利   质押融资 '
    >>> seg._inner_words("知识产权质押融资")
    ['知识产权', '质押融资']
    >>> Segmenter([], {"satisfaction": ["满意度"]}).plain_wording("public satisfation")
    'public  满意度 '
    >>> Segmenter([], {"people's bank": ["人民银行"], "r&d": ["研发"]}).plain_wording("the People's Bank and R&D")
    'the  人民银行  and  研发 '
    """

    def __init__(self, user_words=(), glossary: dict[str, list[str]] | None = None, context_words=()):
        """`context_words` are dropped like question words: the corpus's own region and period
        (吉林省, 吉林, 十三五, jilin for a Jilin plan), which every clause implicitly shares."""
        self.context_words = frozenset(fold(w).strip().lower() for w in context_words if w and w.strip())
        self._jieba = _private_tokenizer()
        self.user_words = sorted({w for w in user_words if w and len(w) >= 2})
        for w in self.user_words:
            self._jieba.add_word(w, freq=max(2000, 200 * len(w)))
        glossary = glossary or {}
        # keys as the text's words read them: people's bank → "people s bank", r&d → "r d"
        self._english = {" ".join(_ENGLISH_WORD.findall(k.lower())): v for k, v in glossary.items() if k.isascii()}
        self._regional = sorted(((k, v[0]) for k, v in glossary.items() if not k.isascii() and v),
                                key=lambda kv: -len(kv[0]))
        self._max_phrase = max((len(k.split()) for k in self._english), default=1)
        self._typo_index: tuple | None = None

    def tokens(self, text: str) -> list[str]:
        """Search terms of `text`, in order, duplicates kept (BM25 counts them); question words
        (哪个部门, 负责) are dropped. See the class example."""
        out: list[str] = []
        for word in self._jieba.cut_for_search(self.plain_wording(text)):
            word = word.strip()
            if not word or not _KEEP.search(word):
                continue
            if word in QUESTION_WORDS or word in ENGLISH_STOP or word in self.context_words:
                continue
            out.append(word)
            if len(word) >= 5:  # jieba's search mode stops at 3-character parts
                out.extend(self._inner_words(word))
        return out

    def _inner_words(self, word: str) -> list[str]:
        """Dictionary words of 4+ characters inside a longer word (see the class example)."""
        freq = self._jieba.FREQ
        return [word[i:i + n] for n in range(4, len(word)) for i in range(len(word) - n + 1)
                if freq.get(word[i:i + n])]

    def english_words(self) -> set[str]:
        """Every word of the glossary's English side (known words, not foreign names)."""
        return {w for phrase in self._english for w in phrase.split()}

    def plain_wording(self, text: str) -> str:
        """The text in the plan's own words: folded, regional terms and English glossary terms
        replaced (see the class example)."""
        text = fold(text).lower()
        for variant, plain in self._regional:
            text = text.replace(variant, plain)
        return self._english_to_chinese(text)

    def _spelled(self, word: str) -> str:
        """A glossary word for a word of 7+ letters the glossary lacks and that is one letter
        off exactly one glossary word (satisfation → satisfaction); else the word itself."""
        if len(word) < 7 or not word.isalpha():
            return word
        if self._typo_index is None:
            known = {w for phrase in self._english for w in phrase.split() if len(w) >= 6 and w.isalpha()}
            index: dict[str, set[str]] = {}
            for w in known:
                for d in _deletions(w):
                    index.setdefault(d, set()).add(w)
            self._typo_index = (known, index)
        known, index = self._typo_index
        if word in known or word.rstrip("s") in known:
            return word
        found = set(index.get(word, ()))                       # a letter missing
        for d in _deletions(word):
            found |= {d} & known                                 # a letter too many
            found |= index.get(d, set())                         # a letter wrong or two swapped
        if len(found) != 1:
            return word
        fix = found.pop()
        # employer / employee, financed / finance: another form of a word, not a slip
        return word if fix[:-2] == word[:-2] or fix.startswith(word) or word.startswith(fix) else fix

    def _english_to_chinese(self, text: str) -> str:
        """Replace glossary phrases (longest first) with their Chinese terms, padded with spaces;
        keep other words (see the class example)."""
        if not self._english or not re.search(r"[a-z]", text):
            return text
        text = _ENGLISH_WORD.sub(lambda m: self._spelled(m.group()), text)
        pieces, pos = [], 0
        words = list(_ENGLISH_WORD.finditer(text))
        i = 0
        while i < len(words):
            for n in range(min(self._max_phrase, len(words) - i), 0, -1):
                span = words[i:i + n]
                phrase = " ".join(w.group() for w in span)
                hit = self._english.get(phrase) or (self._english.get(phrase[:-1]) if phrase.endswith("s") else None)
                if hit:
                    pieces.append(text[pos:span[0].start()])
                    pieces.append(" " + " ".join(hit) + " ")
                    pos = span[-1].end()
                    i += n
                    break
            else:
                i += 1
        pieces.append(text[pos:])
        return "".join(pieces)
