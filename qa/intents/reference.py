"""Clause numbers written in a question (二(九)2, 第二部分第九项第2条, Part II section 9 item 2)
go straight to the clause: the outline, not retrieval, answers them.

>>> clause_reference("二(九)2讲的是什么")
ClauseRef(part='二', section='九', item='2')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .. import answer as compose
from ..parse import CN_NUM, cn_to_int, int_to_cn
from ..records import Answer, Clause, Hit

_CN = f"[{CN_NUM}]+"


@dataclass(frozen=True)
class ClauseRef:
    part: str | None
    section: str | None
    item: str | None


def clause_reference(text: str) -> ClauseRef | None:
    """A clause number written in the question, if any.

    >>> clause_reference("第二部分第九项第2条")
    ClauseRef(part='二', section='九', item='2')
    >>> clause_reference("Part II section 9 item 2")
    ClauseRef(part='二', section='九', item='2')
    >>> clause_reference("专利质押融资") is None
    True
    """
    t = text.replace(" ", "")
    num = rf"(?:{_CN}|\d+)"
    m = re.search(rf"第({num})部分(?:的|中|里)?(?:第?\(?({num})\)?[项节部分]|\(({_CN}|\d+)\))?(?:[^第]{{0,4}}第({num})[条项点款])?", t)
    if m:
        return ClauseRef(_cn(m.group(1)), _cn(m.group(2) or m.group(3)), _arabic(m.group(4)))
    m = re.search(rf"(?<![{CN_NUM}])({_CN})[、.]?\(({_CN})\)(?:第)?(\d{{1,2}})?(?![\d.])", t)
    if m:
        return ClauseRef(m.group(1), m.group(2), m.group(3))
    m = re.search(rf"(?:^|[^{CN_NUM}\w]|第)\(({_CN})\)(?:第)?(\d{{1,2}})?(?![\d.])", t)
    if m:
        return ClauseRef(None, m.group(1), m.group(2))
    low = _english_numbers(text.lower())
    m = re.search(r"\bpart\s*(\d+|[ivx]+)\b\W*(?:(?:section|chapter)\s*\(?(\d+|[ivx]+)\)?)?\W*(?:(?:item|point|article|clause|paragraph)\s*\(?(\d+)\)?)?", low)
    if m:
        return ClauseRef(_cn(_roman(m.group(1))), _cn(_roman(m.group(2))) if m.group(2) else None, m.group(3))
    return None


_EN_NUMBERS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
               "sixteen seventeen eighteen nineteen twenty").split()


def _english_numbers(text: str) -> str:
    """Number words after part/section/item written as digits.

    >>> _english_numbers("what does part four say")
    'what does part 4 say'
    """
    return re.sub(r"\b(part|section|chapter|item|point|article|clause|paragraph)\s+(" + "|".join(_EN_NUMBERS) + r")\b",
                  lambda m: f"{m.group(1)} {_EN_NUMBERS.index(m.group(2)) + 1}", text)


def _roman(s: str | None) -> str | None:
    """>>> _roman("iv"), _roman("12")
    ('4', '12')
    """
    if s is None or s.isdigit():
        return s
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return str(total)


def _cn(s: str | None) -> str | None:
    """Arabic or Chinese numeral → Chinese numeral, as the outline writes parts and sections."""
    if s is None:
        return None
    return int_to_cn(int(s)) if s.isdigit() and 0 < int(s) < 100 else s


def _arabic(s: str | None) -> str | None:
    if s is None:
        return None
    return s if s.isdigit() else str(cn_to_int(s))


def resolve_reference(ref: ClauseRef, by_local: dict[str, Clause]) -> Clause | None:
    """The clause a reference points at, from clauses keyed by their local id ("二.九.2");
    a reference without a part must match one clause only."""
    keys = [k for k in (ref.part, ref.section, ref.item) if k]
    if ref.part:
        return by_local.get(".".join(keys))
    tail = "." + ".".join(keys)
    matches = [c for local, c in by_local.items() if local.endswith(tail) and local.count(".") == len(keys)]
    return matches[0] if len(matches) == 1 else None


def answer(s) -> Answer | None:
    """Mine when the question writes a clause number."""
    ref = clause_reference(s.q.lowered)
    if ref is None:
        return None
    outlines = [s.library]
    if s.doc_outlines and s.library_docs == tuple(s.doc_outlines):  # no document named: each in turn
        order = list(s.named) + [d for d in s.doc_outlines if d not in s.named]
        outlines = [s.doc_outlines[d] for d in order]
    targets = [t for t in (resolve_reference(ref, o.by_local) for o in outlines) if t is not None]
    target = targets[0] if targets else None
    answer = compose.reference_answer(s.q.raw, target, s.library.children(target), s.k)
    if len(targets) > 1:  # the same number in other documents: offered after the first
        extra = tuple(Hit(t, 0.8) for t in targets[1:])
        answer = replace(answer, hits=(answer.hits[:1] + extra + answer.hits[1:])[: max(s.k, len(targets))])
    return answer
