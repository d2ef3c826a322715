"""Place names in Chinese text, by jieba's part-of-speech tags (ns): which words of a title are
its region, which places a question names, whether a clause names any place at all.

Why a module of its own: the corpus (a title's region), the scope (a place the documents never
name) and the figure check (哪几个城市 needs a clause that names one) read places the same way.

>>> names_a_place("支持郑州、西安等城市开展试点。"), names_a_place("各省(区、市)要加强城市管理。")
(True, False)
"""
from __future__ import annotations

# common nouns jieba's dictionary tags as places (ns): an ocean or a city is no region a title
# belongs to, nor a place a question or a clause names
NOT_REGIONS = frozenset(("海洋", "海岛", "城市", "城镇", "山区", "垦区", "湖区", "中国"))


def posseg():
    """jieba's tagger, imported at first use: qa.dictcache can give it its table from the index's
    cache first (importing it parses jieba's dictionary again otherwise)."""
    import jieba.posseg
    return jieba.posseg


def place_names(text: str) -> list[str]:
    """The places a text names, in order: ns words of 2+ characters that are no common noun and
    no collective (各省, 各市)."""
    return [w.word for w in posseg().lcut(text)
            if w.flag == "ns" and len(w.word) >= 2 and w.word not in NOT_REGIONS and not w.word.startswith("各")]


def names_a_place(text: str) -> bool:
    return bool(place_names(text))
