"""Responsible offices: reading them out of clause text, and naming them consistently.

`parse_departments` reads the office notes plans write — (责任单位:A、B), (A、B负责) and the other
forms `office_notes` knows — and knows no office. `OfficeTable` is the data in
corpus/offices.json: canonical names with full names, aliases and English names, so that
省科技厅, 科技厅 and 吉林省科学技术厅 are one office for the router, the filters and the UI.
Offices a document names but the table lacks are still used, under the name as written.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .office_notes import note_offices


def parse_departments(text: str) -> list[str]:
    """Offices named in a clause's office notes, in the order written, without duplicates
    (the forms are read by `office_notes`).

    >>> parse_departments("…(责任单位:省科技厅、省财政厅)")
    ['省科技厅', '省财政厅']
    >>> parse_departments("…(海关总署、商务部负责)")
    ['海关总署', '商务部']
    >>> parse_departments("(省发展改革委和广州海关负责)")
    ['省发展改革委', '广州海关']
    """
    return note_offices(text)


@dataclass(frozen=True)
class Office:
    name: str
    full_name: str = ""
    aliases: tuple[str, ...] = ()
    english: tuple[str, ...] = ()
    level: str = ""          # "national", "local" or "" (any): which documents its bare aliases serve
    listed: bool = True      # in the data file; False: only a name some document writes (各省份, 行业协会)

    def names(self) -> tuple[str, ...]:
        """Every way of writing this office, canonical first."""
        return tuple(dict.fromkeys((self.name, self.full_name, *self.aliases, *self.english)))


class OfficeTable:
    """Canonical office names and their aliases; lookups fold case and spacing.

    >>> table = OfficeTable([Office("省科技厅", "吉林省科学技术厅", ("科技厅",)),
    ...                      Office("省发展改革委", aliases=("发改委",))])
    >>> table.canonical("吉林省科学技术厅"), table.canonical("省财政厅")
    ('省科技厅', None)
    >>> table.find_in("科技厅和发改委负责什么")
    ['省科技厅', '省发展改革委']
    """

    def __init__(self, offices: list[Office]):
        self.offices: dict[str, Office] = {o.name: o for o in offices}
        # a name some plan writes as an office is that office, even where another office lists
        # it as an alias; among aliases, the first office listed in the data file wins
        self._alias: dict[str, str] = {_key(o.name): o.name for o in offices}
        for o in offices:
            for n in o.names():
                if n:
                    self._alias.setdefault(_key(n), o.name)
        # the same bare alias (发展改革委, 知识产权局, 人民银行) is a ministry in a national document and
        # a provincial office in a provincial one: each level keeps its own look-up
        self._by_level: dict[str, dict[str, str]] = {}
        for o in offices:
            if o.level:
                table = self._by_level.setdefault(o.level, {})
                table.setdefault(_key(o.name), o.name)
        for o in offices:
            if o.level:
                for n in o.names():
                    if n:
                        self._by_level[o.level].setdefault(_key(n), o.name)

    @classmethod
    def load(cls, path: Path) -> "OfficeTable":
        """Read corpus/offices.json; a missing file gives an empty table (offices as written)."""
        if not path.exists():
            return cls([])
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls([Office(d["name"], d.get("full_name", ""), tuple(d.get("aliases", ())),
                           tuple(d.get("english", ())), d.get("level", "")) for d in data])

    def with_names(self, names) -> "OfficeTable":
        """A table that also knows offices a corpus names but the data file lacks."""
        extra = [Office(n, listed=False) for n in dict.fromkeys(names) if n not in self.offices]
        return OfficeTable(list(self.offices.values()) + extra) if extra else self

    def canonical(self, name: str, level: str = "") -> str | None:
        """The canonical name for any way of writing an office; unknown names give None. With a
        level (the document's), an alias is first read as that level's office.

        >>> t = OfficeTable([Office("省财政厅", aliases=("财政厅",), level="local"),
        ...                  Office("省发展改革委", aliases=("发展改革委",), level="local"),
        ...                  Office("国家发展改革委", aliases=("发展改革委",), level="national"),
        ...                  Office("财政部", level="national")])
        >>> t.canonical("发展改革委"), t.canonical("发展改革委", "national"), t.canonical("财政厅", "national")
        ('省发展改革委', '国家发展改革委', '省财政厅')
        """
        key = _key(name)
        return self._by_level.get(level, {}).get(key) or self._alias.get(key)

    def level_of(self, name: str) -> str:
        """The level of the office a name is ("" when unknown or not given)."""
        office = self.get(name)
        return office.level if office else ""

    def canonical_offices(self, doc, level: str):
        """The document with each clause's offices (and lead) under their canonical names at the
        document's level; names the table lacks stay as written."""
        from dataclasses import replace
        return replace(doc, clauses=tuple(self._canonical_clause(c, level) for c in doc.clauses))

    def _canonical_clause(self, clause, level: str):
        """A clause whose offices are canonical, keeping the document's own names in `written`."""
        from dataclasses import replace
        pairs = {}
        for name in clause.departments:
            pairs.setdefault(self.canonical(name, level) or name, name)
        canonical, written = tuple(pairs), tuple(pairs.values())
        lead = (self.canonical(clause.lead, level) or clause.lead) if clause.lead else ""
        return replace(clause, departments=canonical, lead=lead, written=written if written != canonical else ())

    def get(self, name: str) -> Office | None:
        canon = self.canonical(name)
        return self.offices.get(canon) if canon else None

    def find_in(self, text: str, level: str = "") -> list[str]:
        """Canonical offices mentioned in free text, longest alias first, in order of mention; with
        a level (a document's), an alias shared across levels is read as that level's office.

        >>> t = OfficeTable([Office("省发展改革委", aliases=("发展改革委",), level="local"),
        ...                  Office("国家发展改革委", aliases=("发展改革委",), level="national")])
        >>> t.find_in("发展改革委牵头"), t.find_in("发展改革委牵头", "national")
        (['省发展改革委'], ['国家发展改革委'])
        """
        key = _key(text)
        spans: list[tuple[int, int, str]] = []
        aliases = {**self._alias, **self._by_level.get(level, {})} if level else self._alias
        for alias, canon in sorted(aliases.items(), key=lambda kv: -len(kv[0])):
            if len(alias) < 2:
                continue
            start = 0
            while True:
                i = key.find(alias, start)
                if i < 0:
                    break
                end = i + len(alias)
                ascii_alias = alias.isascii()
                bounded = not ascii_alias or ((i == 0 or not key[i - 1].isalnum())
                                              and (end == len(key) or not key[end].isalnum()))
                if bounded and not any(s < end and i < e for s, e, _ in spans):
                    spans.append((i, end, canon))
                start = i + 1
        return list(dict.fromkeys(c for _, _, c in sorted(spans)))

    def all_names(self) -> list[str]:
        """Every Chinese alias (for the segmenter's user dictionary and the typo repair). Of the
        names only documents write, those of government bodies (各省级人民政府, 卫生健康行政部门); the
        other actors sentences name (各地, 各部门, 高等职业学校) stay ordinary words: 哪个部门 is no typo of 各部门."""
        return [n for o in self.offices.values() for n in (o.name, o.full_name, *o.aliases)
                if n and not n.isascii() and (o.listed or _OFFICIAL_END.search(n))]


def outermost(names) -> tuple[str, ...]:
    """The names, without one that is part of another named too (国务院 beside 国务院教育督导委员会).

    >>> outermost(["国务院", "国务院教育督导委员会", "财政部"])
    ('国务院教育督导委员会', '财政部')
    """
    names = list(names)
    return tuple(n for n in names if not any(n != other and n in other for other in names))


_OFFICIAL_END = re.compile(r"^.{2,}(?:人民政府|部门|委员会|领导小组|局|厅|委|办|署|部|法院|检察院|支行|分行|海关|总公司)$")


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())
