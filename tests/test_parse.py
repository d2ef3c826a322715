"""The parser reads the Jilin plan into its outline, and a second plan of another style unchanged.

The second plan (tests/fixtures/second_plan.txt) is a short national-level plan written the way
gov.cn pages write them: page chrome above and below, full-width brackets （一）, items 1．,
offices as （海关总署、商务部负责） with the lead office first, and an indicator table laid out
one cell per line with 2015年/2020年 columns. Nothing in qa/ knows it; it must parse as it is.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa import Engine, ParseError, parse_document
from qa.corpus import load_corpus
from qa.parse import cn_to_int, int_to_cn
from qa.textnorm import decode

ROOT = Path(__file__).resolve().parent.parent
PLAN_FILE = ROOT / "corpus" / "000_73dbaa277aa75437.txt"
SECOND_FILE = Path(__file__).resolve().parent / "fixtures" / "second_plan.txt"
DOC = "000_73dbaa277aa75437"
SECOND = "second_plan"


@pytest.fixture(scope="module")
def plan():
    return parse_document(decode(PLAN_FILE.read_bytes()), DOC)


@pytest.fixture(scope="module")
def second():
    return parse_document(SECOND_FILE.read_text(encoding="utf-8"), SECOND)


def by_id(doc):
    return {c.id: c for c in doc.clauses}


def children(doc, parent_id):
    prefix = parent_id + "."
    return [c for c in doc.clauses
            if c.id.startswith(prefix) and c.id.count(".") == parent_id.count(".") + 1]


# ---------------------------------------------------------------- the Jilin plan


def test_title_is_the_plan_not_the_notice(plan):
    assert plan.title == "“十三五”吉林省知识产权保护和运用规划"


def test_item_has_id_path_short_title_and_offices_in_written_order(plan):
    c = by_id(plan)[f"{DOC}:二.九.2"]
    assert c.kind == "item"
    assert c.path == ("二、主要任务", "(九)加强知识产权交易运营体系建设", "2.创新知识产权金融服务")
    assert c.title == "创新知识产权金融服务"
    assert c.text.startswith("2.创新知识产权金融服务。探索设立知识产权质押融资担保基金。")
    assert c.departments == ("省科技厅", "省发展改革委", "省财政厅", "省工商局", "省新闻出版广电局",
                             "省金融办", "人民银行长春中心支行", "吉林银监局", "吉林保监局")


@pytest.mark.parametrize("local, departments", [
    ("二.一", ("省科技厅", "省发展改革委", "省人力资源社会保障厅", "省工商局", "省统计局")),
    ("二.三.5", ("省文化厅", "省科技厅", "省中医药管理局")),
    ("二.四.3", ("省新闻出版广电局",)),
    ("二.十一.3", ("省人力资源社会保障厅", "省教育厅", "省科技厅", "省财政厅")),
    ("三.一", ()),
])
def test_offices_are_read_in_the_order_the_plan_writes_them(plan, local, departments):
    assert by_id(plan)[f"{DOC}:{local}"].departments == departments


def test_preamble_is_its_own_clause(plan):
    pre = by_id(plan)[f"{DOC}:序"]
    assert pre.kind == "preamble"
    assert pre.text.startswith("为贯彻落实党中央、国务院和省委、省政府关于知识产权工作的重要部署")
    assert pre.text.endswith("制定本规划。")
    assert plan.clauses[0] is pre


def test_outline_has_three_parts_and_twelve_main_tasks(plan):
    parts = [c.id for c in plan.clauses if c.kind == "part"]
    assert parts == [f"{DOC}:一", f"{DOC}:二", f"{DOC}:三"]
    tasks = children(plan, f"{DOC}:二")
    assert [c.title for c in tasks][:3] == ["建立知识产权评价体系", "完善知识产权法规制度", "提升知识产权保护水平"]
    assert len(tasks) == 12


def test_three_principles_under_basic_principles(plan):
    principles = children(plan, f"{DOC}:一.二")
    assert [c.kind for c in principles] == ["principle"] * 3
    assert [c.title for c in principles] == ["坚持深化改革、全面创新", "坚持市场主导、企业主体", "坚持示范引领、协调发展"]
    assert [c.id for c in principles] == [f"{DOC}:一.二.1", f"{DOC}:一.二.2", f"{DOC}:一.二.3"]


INDICATORS = [  # title, 2015, 2016, 2020, 累计增加值, 属性 — as the table in the plan reads
    ("每万人口发明专利拥有量(件)", "2.6", "3.36", "5.3", "2.7", "预期性"),
    ("PCT 专利申请量(件)", "52", "76", "100", "48", "预期性"),
    ("有效注册商标数量(万件)", "8.6", "10.4", "15", "6.4", "预期性"),
    ("植物新品种申请总量(件)", "1999", "2058", "2272", "273", "预期性"),
    ("全省作品登记数量(万件)", "0.22", "0.3", "0.6", "0.38", "预期性"),
    ("年度知识产权质押融资金额(亿元)", "1.2", "1.36", "2.0", "0.8", "预期性"),
    ("规模以上制造业每亿元主营业务收入有效发明专利数(件)", "0.11", "0.397", "0.5", "0.39", "预期性"),
    ("知识产权服务业营业收入年均增长(%)", "15", "16.5", "20", "5", "预期性"),
    ("知识产权保护社会满意度(分)", "70", "72", "80", "10", "预期性"),
]


@pytest.mark.parametrize("n, row", list(enumerate(INDICATORS, 1)), ids=[r[0] for r in INDICATORS])
def test_indicator_rows_carry_their_values_by_column(plan, n, row):
    title, v2015, v2016, v2020, increase, attribute = row
    c = by_id(plan)[f"{DOC}:指标.{n}"]
    assert c.kind == "indicator"
    assert c.title == title
    assert c.values == {"2015": v2015, "2016": v2016, "2020": v2020,
                        "十三五末较十二五末累计增加值": increase, "属性": attribute}


def test_the_table_has_exactly_nine_rows(plan):
    assert [c.id for c in plan.clauses if c.kind == "indicator"] == [f"{DOC}:指标.{n}" for n in range(1, 10)]


@pytest.mark.parametrize("local, joined", [
    ("一.二.1", "充分发挥市场对创新资源配置的决定性作用"),   # 资源配 / 置
    ("二.一", "委托第三方发布我省年度知识产权发展状况报告"),  # 年 / 度
    ("二.三.4", "加强知识产权海关执法保护,完善跨境电子商务"),  # 海关执法 / 保护
])
def test_lines_the_web_page_broke_are_joined(plan, local, joined):
    assert joined in by_id(plan)[f"{DOC}:{local}"].text


def test_no_clause_keeps_a_line_break(plan):
    assert not [c.id for c in plan.clauses if "\n" in c.text]


@pytest.mark.parametrize("chrome", ["登录", "一网搜", "站群导航", "无障碍", "当前位置", "【字体", "打印", "编 辑", "编辑:"])
def test_page_chrome_is_in_no_clause(plan, chrome):
    assert [c.id for c in plan.clauses if chrome in c.text or chrome in c.title] == []


# ---------------------------------------------------------------- a second plan, another style


def test_second_plan_title_and_preamble(second):
    assert second.title == "“十三五”国家知识产权对外合作与海外维权规划"
    pre = by_id(second)[f"{SECOND}:序"]
    assert pre.text.startswith("为深入实施国家知识产权战略")


def test_second_plan_outline_with_full_width_brackets_and_item_marks(second):
    c = by_id(second)[f"{SECOND}:二.二.2"]
    assert c.kind == "item"
    assert c.path == ("二、重点任务", "(二)提升海外维权能力", "2.加强进出口环节知识产权保护")
    assert c.title == "加强进出口环节知识产权保护"
    assert "知识产权海关执法保护备案制度" in c.text  # 海关 / 执法 joined
    assert [p.id for p in second.clauses if p.kind == "part"] == [f"{SECOND}:一", f"{SECOND}:二", f"{SECOND}:三"]
    assert [p.title for p in children(second, f"{SECOND}:一.二")] == ["坚持企业主体", "坚持统筹协调"]


@pytest.mark.parametrize("local, departments", [
    ("二.一.1", ("国家知识产权局", "财政部")),
    ("二.一.2", ("国家工商总局", "商务部")),
    ("二.二.1", ("商务部", "国家知识产权局", "外交部")),
    ("二.二.2", ("海关总署", "商务部")),
    ("二.三", ("外交部", "商务部", "国家知识产权局")),   # a section without items names its own offices
    ("三.一", ()),
])
def test_second_plan_offices_lead_first(second, local, departments):
    assert by_id(second)[f"{SECOND}:{local}"].departments == departments


@pytest.mark.parametrize("n, title, v2015, v2020, increase, attribute", [
    (1, "PCT国际专利申请量(万件)", "3", "6", "3", "预期性"),
    (2, "马德里商标国际注册申请量(件)", "4200", "8000", "3800", "预期性"),
    (3, "海外知识产权纠纷应对指导中心(个)", "2", "20", "18", "约束性"),
])
def test_second_plan_indicator_table_one_cell_per_line(second, n, title, v2015, v2020, increase, attribute):
    c = by_id(second)[f"{SECOND}:指标.{n}"]
    assert c.title == title
    column = {k[:4] if k[:4].isdigit() else k: v for k, v in c.values.items()}  # 2015年 or 2015
    assert column == {"2015": v2015, "2020": v2020, "累计增加值": increase, "属性": attribute}


@pytest.mark.parametrize("chrome", ["首页", "登录", "当前位置", "索 引 号", "发文字号", "扫一扫", "打印", "关闭窗口",
                                    "责任编辑", "版权所有", "网站声明", "主办单位", "运行维护"])
def test_second_plan_page_chrome_is_in_no_clause(second, chrome):
    assert [c.id for c in second.clauses if chrome in c.text or chrome in c.title] == []


def test_second_plan_saved_as_gb18030_parses_the_same(tmp_path):
    text = SECOND_FILE.read_text(encoding="utf-8")
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the file really is not UTF-8
    (tmp_path / "gb").mkdir()
    (tmp_path / "utf8").mkdir()
    (tmp_path / "gb" / f"{SECOND}.txt").write_bytes(data)
    (tmp_path / "utf8" / f"{SECOND}.txt").write_text(text, encoding="utf-8")
    corpus = load_corpus(tmp_path / "gb")
    assert corpus.warnings == []
    [doc] = corpus.documents
    [as_utf8] = load_corpus(tmp_path / "utf8").documents
    assert doc.clauses == as_utf8.clauses
    assert [c.text for c in doc.clauses] == [c.text for c in parse_document(text, SECOND).clauses]


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory):
    """The real corpus plus the second plan, indexed with the hash embedder."""
    folder = tmp_path_factory.mktemp("two-plans")
    for p in (ROOT / "corpus").iterdir():
        if p.is_file():
            shutil.copy(p, folder / p.name)
    shutil.copy(SECOND_FILE, folder / f"{SECOND}.txt")
    return Engine.open(folder, tmp_path_factory.mktemp("two-plans-index"), "hash", log=None)


@pytest.mark.parametrize("question, clause, offices", [
    ("哪个部门负责设立海外知识产权纠纷应对指导中心？", f"{SECOND}:二.二.1", ("商务部", "国家知识产权局", "外交部")),
    ("进出口货物知识产权海关执法保护备案归谁管", f"{SECOND}:二.二.2", ("海关总署", "商务部")),
    ("海外知识产权侵权责任保险由哪些部门负责", f"{SECOND}:二.二.3", ("中国保监会", "国家知识产权局")),
    ("马德里商标国际注册便利化由哪个单位负责", f"{SECOND}:二.一.2", ("国家工商总局", "商务部")),
    ("知识产权质押融资担保基金由哪些部门负责", f"{DOC}:二.九.2", ("省科技厅", "省发展改革委", "省财政厅", "省工商局",
                                              "省新闻出版广电局", "省金融办", "人民银行长春中心支行",
                                              "吉林银监局", "吉林保监局")),
])
def test_a_corpus_of_two_plans_answers_each_plans_questions(two_plans, question, clause, offices):
    a = two_plans.ask(question)
    assert a.found
    assert a.intent == "department"
    assert a.hits[0].clause.id == clause
    assert a.departments == offices


def test_office_of_the_second_plan_lists_its_clauses(two_plans):
    a = two_plans.ask("外交部负责哪些任务")
    assert a.intent == "office_reverse"
    assert [h.clause.id for h in a.hits] == [f"{SECOND}:二.二.1", f"{SECOND}:二.三"]


def test_indicator_of_the_second_plan_reads_its_2020_column(two_plans):
    a = two_plans.ask("马德里商标国际注册申请量2020年要达到多少件？")
    assert a.intent == "indicator"
    assert a.hits[0].clause.id == f"{SECOND}:指标.2"
    assert a.value == "8000"


# ---------------------------------------------------------------- errors and numerals


@pytest.mark.parametrize("text", [
    "",
    "   \n\n",
    "这是一段没有任何提纲的普通文字。\n它只有两句话。",
    "登录 | 注册\n首页 > 政策\n版权所有",
])
def test_text_without_an_outline_raises_a_clear_parse_error(text):
    with pytest.raises(ParseError, match=r"no outline found.*一、"):
        parse_document(text, "bad")


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)


@pytest.mark.parametrize("n, numeral", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"),
                                        (20, "二十"), (21, "二十一"), (99, "九十九")])
def test_chinese_numerals_examples(n, numeral):
    assert int_to_cn(n) == numeral
    assert cn_to_int(numeral) == n


def test_chinese_numerals_round_trip_1_to_99():
    assert [cn_to_int(int_to_cn(n)) for n in range(1, 100)] == list(range(1, 100))
    assert len({int_to_cn(n) for n in range(1, 100)}) == 99
