"""The chatbot's filter choices — document, part, office — as (label, value) pairs.

Pure functions of the outline and the office table, apart from Gradio so they can be read and
tested alone. In a library a part is labelled with its document's title, since every document has
its own 一、 and 二、.

Example:
>>> from qa.outline import Outline
>>> from qa.records import Clause
>>> part = Clause("d:一", "d", ("一、总体要求",), "总体要求", "", kind="part", number="一")
>>> part_choices(Outline([part], {"d": "某方案"}))
[('全部', ''), ('一、总体要求', '一')]
>>> doc_choices(Outline([part], {"d": "某方案", "e": "某意见"}))
[('全部文件', ''), ('某方案', 'd'), ('某意见', 'e')]
"""
from __future__ import annotations


def part_choices(outline) -> list:
    many = len(outline.titles) > 1
    return [("全部", "")] + [((f"《{outline.titles.get(c.doc_id, c.doc_id)}》" if many else "") + c.path[0], c.number)
                             for c in outline.parts]


def doc_choices(outline) -> list:
    """Every document by title (the filter is shown for a library of several)."""
    return [("全部文件", "")] + [(title, doc_id) for doc_id, title in outline.titles.items()]


def office_choices(offices) -> list:
    """Every office of the table by its canonical name."""
    return [("全部单位", "")] + [(name, name) for name in offices.offices]
