"""Offices: read out of clause text in written order, and named one way whatever alias is used."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa import parse_document
from qa.offices import Office, OfficeTable, parse_departments
from qa.textnorm import decode, fold

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DOC = "000_73dbaa277aa75437"


@pytest.fixture(scope="module")
def table() -> OfficeTable:
    return OfficeTable.load(CORPUS / "offices.json")


@pytest.fixture(scope="module")
def plan():
    return parse_document(decode((CORPUS / f"{DOC}.txt").read_bytes()), DOC)


# ---------------------------------------------------------------- parse_departments


@pytest.mark.parametrize("text, offices", [
    ("推动专利保险试点。(责任单位:省科技厅、省财政厅)", ["省科技厅", "省财政厅"]),
    ("(责任单位:省财政厅、省科技厅)", ["省财政厅", "省科技厅"]),                     # written order, not sorted
    ("(责任单位:省金融办、人民银行长春中心支行、吉林银监局)", ["省金融办", "人民银行长春中心支行", "吉林银监局"]),
    ("(责任单位:省科技厅、省科技厅)", ["省科技厅"]),                                  # no duplicates
    ("严厉打击侵权商品跨境流通。(海关总署、商务部负责)", ["海关总署", "商务部"]),     # lead office first
    ("(商务部、国家知识产权局、外交部负责)", ["商务部", "国家知识产权局", "外交部"]),
    ("(工业和信息化部、海关总署负责)", ["工业和信息化部", "海关总署"]),              # 和 inside a name stays
    ("", []),
    ("加强组织领导,确保各项任务落到实处。", []),
    ("建设国家专利技术(长春)展示交易中心。", []),                                    # a parenthesis, no offices
])
def test_parse_departments(text, offices):
    assert parse_departments(text) == offices


@pytest.mark.parametrize("text, offices", [
    ("推动专利保险试点。（责任单位：省科技厅、省财政厅）", ["省科技厅", "省财政厅"]),
    ("严厉打击侵权商品跨境流通。（海关总署、商务部负责）", ["海关总署", "商务部"]),
])
def test_parse_departments_of_full_width_text_after_folding(text, offices):
    assert parse_departments(fold(text)) == offices


@pytest.mark.parametrize("text, offices", [
    # other plans of the genre: 和 joins two offices by the form of their names, not a list of them
    ("（商务部、海关总署和各有关省级人民政府负责）", ["商务部", "海关总署", "各有关省级人民政府"]),
    ("(省发展改革委和广州海关负责)", ["省发展改革委", "广州海关"]),
    ("(省商务厅、广州海关和深圳海关负责)", ["省商务厅", "广州海关", "深圳海关"]),
    ("(责任单位:省市场监管局和省版权局)", ["省市场监管局", "省版权局"]),
    ("(责任单位:省科技厅和人民银行广州分行)", ["省科技厅", "人民银行广州分行"]),
    ("(国家知识产权局和中国人民银行负责)", ["国家知识产权局", "中国人民银行"]),
    ("(责任单位:省高级人民法院和省人民检察院)", ["省高级人民法院", "省人民检察院"]),
    ("(责任单位:省知识产权保护中心和省政府办公厅)", ["省知识产权保护中心", "省政府办公厅"]),
    ("(责任单位:各地级以上市人民政府和省直有关部门)", ["各地级以上市人民政府", "省直有关部门"]),
    # 和 inside one office's name stays
    ("(责任单位:省人力资源和社会保障厅、省住房和城乡建设厅)", ["省人力资源和社会保障厅", "省住房和城乡建设厅"]),
    ("(文化和旅游部、工业和信息化部负责)", ["文化和旅游部", "工业和信息化部"]),
    ("(责任单位:省卫生和计划生育委员会和省科技厅)", ["省卫生和计划生育委员会", "省科技厅"]),
])
def test_parse_departments_splits_on_and_between_offices_of_any_plan(text, offices):
    assert parse_departments(fold(text)) == offices


# ---------------------------------------------------------------- OfficeTable


@pytest.mark.parametrize("name, canonical", [
    ("省科技厅", "省科技厅"),
    ("科技厅", "省科技厅"),
    ("吉林省科学技术厅", "省科技厅"),
    (" 科技厅 ", "省科技厅"),
    ("Department of Science and Technology", "省科技厅"),
    ("department of science and technology", "省科技厅"),
    ("发改委", "省发展改革委"),
    ("省发改委", "省发展改革委"),
    ("人社厅", "省人力资源社会保障厅"),
    ("吉林省人力资源和社会保障厅", "省人力资源社会保障厅"),
    ("人民银行", "人民银行长春中心支行"),
    ("", None),
    ("不存在的厅", None),
])
def test_canonical(table, name, canonical):
    assert table.canonical(name) == canonical


def test_every_name_of_every_office_leads_back_to_it_at_its_level(table):
    clashes = [(n, o.name, table.canonical(n, o.level)) for o in table.offices.values() for n in o.names()
               if n and table.canonical(n, o.level) != o.name]
    assert clashes == []


def test_get_returns_the_office_record(table):
    office = table.get("科技厅")
    assert office.name == "省科技厅"
    assert office.full_name == "吉林省科学技术厅"
    assert table.get("不存在的厅") is None


def test_offices_the_table_lacks_are_used_as_written(table):
    wider = table.with_names(["某某试验区管理局", "省科技厅"])
    assert wider.canonical("某某试验区管理局") == "某某试验区管理局"
    assert wider.canonical("科技厅") == "省科技厅"
    assert table.canonical("某某试验区管理局") is None  # the original table is unchanged


@pytest.mark.parametrize("text, offices", [
    ("科技厅和发改委负责什么", ["省科技厅", "省发展改革委"]),
    ("发改委和科技厅负责什么", ["省发展改革委", "省科技厅"]),                  # order of mention
    ("吉林省科学技术厅", ["省科技厅"]),                                          # longest alias, once
    ("省科技厅和科技厅", ["省科技厅"]),
    ("What does the Department of Education do?", ["省教育厅"]),
    ("Which tasks fall to the Development and Reform Commission and the Department of Finance?",
     ["省发展改革委", "省财政厅"]),
    ("a mosaic of policies", []),                                               # AIC inside a word is not an office
    ("知识产权质押融资", []),
    ("", []),
])
def test_find_in_free_text(table, text, offices):
    assert table.find_in(text) == offices


def test_an_empty_table_knows_nothing():
    empty = OfficeTable([])
    assert empty.canonical("科技厅") is None
    assert empty.find_in("科技厅负责什么") == []


def test_missing_offices_file_gives_an_empty_table(tmp_path):
    assert OfficeTable.load(tmp_path / "offices.json").offices == {}


def test_all_names_are_chinese_for_the_segmenter():
    t = OfficeTable([Office("省科技厅", "吉林省科学技术厅", ("科技厅",), ("Department of Science and Technology",))])
    assert t.all_names() == ["省科技厅", "吉林省科学技术厅", "科技厅"]


# ---------------------------------------------------------------- the plan and the table agree


def test_every_office_the_plan_names_is_in_the_table_under_that_name(plan, table):
    named = {d for c in plan.clauses for d in c.departments}
    assert len(named) >= 30
    assert sorted(d for d in named if table.canonical(d) != d) == []


EDUCATION = ["二.四.4", "二.七.2", "二.八", "二.九.1", "二.十一.1", "二.十一.2", "二.十一.3", "二.十二.2"]


@pytest.mark.parametrize("name", ["教育厅", "省教育厅", "吉林省教育厅", "Department of Education"])
def test_office_clauses_lists_every_clause_naming_the_office_in_plan_order(hash_engine, name):
    clauses = hash_engine.office_clauses(name)
    assert [c.id for c in clauses] == [f"{DOC}:{local}" for local in EDUCATION]
    assert all("省教育厅" in c.departments for c in clauses)
    assert [c.order for c in clauses] == sorted(c.order for c in clauses)


def test_office_clauses_agrees_with_the_clause_departments(hash_engine):
    expected = [c.id for c in hash_engine.clauses if "省教育厅" in c.departments]
    assert [c.id for c in hash_engine.office_clauses("教育厅")] == expected


def test_office_clauses_of_an_office_the_plan_never_names_is_empty(hash_engine):
    assert hash_engine.office_clauses("不存在的厅") == []
