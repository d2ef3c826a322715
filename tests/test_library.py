"""The six real State Council documents of the shared library parse into the genre's shapes.

Only shape-level facts are checked (every document has a real title, a number and a date; the
office notes, the indicator list and the attachment table are read), never answers copied from the
documents. The library lives beside the repository (shared/library); without it these tests skip.
Also here: offices are read at the document's level, and `python -m qa docs` lists the documents.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.corpus import load_corpus
from qa.docmeta import NUMBER
from qa.office_notes import split_names
from qa.parse import parse_document
from qa.textnorm import decode

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT.parent / "shared" / "library"
FILES = sorted(LIBRARY.glob("*.txt")) if LIBRARY.is_dir() else []
needs_library = pytest.mark.skipif(len(FILES) < 6, reason="the shared library of real documents is not beside the repo")


@pytest.fixture(scope="module")
def docs():
    return {p.stem: parse_document(decode(p.read_bytes()), p.stem) for p in FILES}


def _one(docs, part):
    [doc] = [d for k, d in docs.items() if part in k]
    return doc


@needs_library
def test_every_document_has_a_real_title_a_number_and_a_date(docs):
    for doc in docs.values():
        assert len(doc.title) >= 8 and not NUMBER.search(doc.title), doc.doc_id
        assert doc.title.endswith(("通知", "意见", "方案", "规划", "办法", "决定")), doc.title
        assert NUMBER.fullmatch(doc.number), doc.doc_id
        assert re.fullmatch(r"20\d\d年\d{1,2}月\d{1,2}日", doc.date), doc.doc_id
        assert doc.issuer.startswith("国务院"), doc.doc_id


@needs_library
def test_no_document_restarts_its_numbering_or_keeps_its_signature(docs):
    for doc in docs.values():
        assert not [c.id for c in doc.clauses if "~" in c.id], doc.doc_id
        assert not [c.id for c in doc.clauses if re.search(r"此件公开发布|本文有删减|各直属机构:", c.text)], doc.doc_id
        assert sum(c.searchable for c in doc.clauses) >= 10, doc.doc_id


@needs_library
def test_a_covering_notice_gives_its_attachment_title(docs):
    notices = [d for d in docs.values() if d.notice]
    assert notices
    for doc in notices:
        assert "印发" in doc.notice and doc.title in doc.notice


@needs_library
def test_the_notes_with_responsible_departments_give_each_measure_its_offices(docs):
    doc = _one(docs, "zimaoqu")
    measures = [c for c in doc.clauses if c.kind == "section"]
    with_note = [c for c in measures if "负责部门" in c.text]
    assert len(with_note) >= 40
    assert all(c.departments for c in with_note)
    names = {n for c in with_note for n in c.departments}
    assert not [n for n in names if re.search(r"适用范围|:|等$", n)]   # the scope is not an office


@needs_library
def test_the_indicator_list_becomes_indicators_with_a_calculation_method(docs):
    doc = _one(docs, "gongli_yiyuan")
    rows = [c for c in doc.clauses if c.kind == "indicator"]
    assert len(rows) >= 50
    assert sum("计算方法" in c.values for c in rows) >= 0.8 * len(rows)
    assert all(c.values.get("指标性质") in ("定量", "定性") for c in rows)
    assert all(c.id.split(":")[1].startswith("附件.") for c in rows)


@needs_library
def test_the_attachment_table_rows_take_their_offices_from_the_guiding_department_cell(docs):
    doc = _one(docs, "126")
    rows = [c for c in doc.clauses if c.id.split(":")[1].startswith("附件.") and c.kind == "item"]
    assert len(rows) >= 10
    for c in rows:
        column = next(k for k in c.values if "部门" in k)
        assert c.departments == tuple(split_names(c.values[column])) and c.departments


# ---------------------------------------------------------------- offices across levels


NATIONAL = ("国务院关于推进水运改革的意见\n国发〔2031〕3号\n\n一、主要任务\n"
            "(一)完善价格机制。(负责部门:发展改革委、财政部)\n(二)加强科技支撑。(负责部门:科技部、人民银行)\n"
            "国务院\n2031年1月5日\n")
LOCAL = ("广西壮族自治区水运发展规划\n\n一、主要任务\n(一)完善价格机制。(责任单位:发展改革委、省财政厅)\n"
         "(二)加强科技支撑。(责任单位:科技厅、人民银行)\n")


@pytest.fixture(scope="module")
def two_levels(tmp_path_factory):
    folder = tmp_path_factory.mktemp("levels")
    shutil.copy(ROOT / "corpus" / "offices.json", folder / "offices.json")
    (folder / "national.txt").write_text(NATIONAL, encoding="utf-8")
    (folder / "local.txt").write_text(LOCAL, encoding="utf-8")
    corpus = load_corpus(folder)
    return folder, corpus, {c.id: c for d in corpus.documents for c in d.clauses}


def test_a_bare_office_name_is_read_at_the_documents_level(two_levels):
    _, corpus, clauses = two_levels
    national = [clauses["national:一.一"].departments, clauses["national:一.二"].departments]
    local = [clauses["local:一.一"].departments, clauses["local:一.二"].departments]
    levels = {o: corpus.offices.level_of(o) for pair in national + local for o in pair}
    assert {levels[o] for pair in national for o in pair} == {"national"}
    assert {levels[o] for pair in local for o in pair} == {"local"}
    assert not set(national[0]) & set(local[0]) and not set(national[1]) & set(local[1])


def test_a_provincial_department_never_merges_into_its_ministry(two_levels):
    _, corpus, _ = two_levels
    table = corpus.offices
    for provincial, ministry in (("省财政厅", "财政部"), ("省科技厅", "科技部"), ("财政厅", "财政部"), ("科技厅", "科技部")):
        assert table.canonical(provincial) != table.canonical(ministry)
        assert table.canonical(provincial, "national") != table.canonical(ministry, "national")
    assert table.canonical("国家发展和改革委员会") == table.canonical("发展改革委", "national")
    assert table.canonical("人社部") == table.canonical("人力资源社会保障部")
    assert table.canonical("国家市场监督管理总局") == table.canonical("市场监管总局")


def test_every_office_the_library_names_is_in_the_office_data():
    if len(FILES) < 6:
        pytest.skip("the shared library of real documents is not beside the repo")
    from qa.offices import OfficeTable
    table = OfficeTable.load(ROOT / "corpus" / "offices.json")
    named = {n for p in FILES for c in parse_document(decode(p.read_bytes()), p.stem).clauses for n in c.departments}
    assert sorted(n for n in named if table.canonical(n, "national") is None) == []
    assert all(table.get(n).english for n in named)


# ---------------------------------------------------------------- python -m qa docs


def test_the_docs_command_lists_each_document_with_its_counts(two_levels):
    folder, _, _ = two_levels
    run = subprocess.run([sys.executable, "-m", "qa", "--corpus", str(folder), "docs", "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    rows = {r["doc_id"]: r for r in json.loads(run.stdout)}
    assert rows["national"]["title"] == "国务院关于推进水运改革的意见"
    assert (rows["national"]["number"], rows["national"]["date"]) == ("国发〔2031〕3号", "2031年1月5日")
    assert (rows["local"]["leaves"], rows["local"]["offices"], rows["local"]["indicators"]) == (2, 2, 0)
    table = subprocess.run([sys.executable, "-m", "qa", "--corpus", str(folder), "docs"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert table.returncode == 0 and "国发〔2031〕3号" in table.stdout
    assert table.stdout.splitlines()[0].split()[:4] == ["document", "title", "number", "date"]
