"""Offices read from running text (qa.actors): documents that assign work in sentences."""
from __future__ import annotations

import pytest

from qa.actors import sentence_offices, text_offices, with_text_offices
from qa.offices import Office, OfficeTable
from qa.records import Clause, Document

TABLE = OfficeTable([Office("财政部", level="national"), Office("教育部", level="national"),
                     Office("国家发展改革委", aliases=("发展改革委",), level="national"),
                     Office("市场监管总局", level="national"),
                     Office("国家卫生健康委", aliases=("卫生健康委",), level="national")])


def test_an_office_inside_a_longer_actor_still_counts_where_it_stands_alone():
    text = "各级财政部门要会同有关方面研究制定办法。财政部要会同发展改革委加强统筹。"
    assert text_offices(text, TABLE) == ["各级财政部门", "财政部", "发展改革委"]


def test_an_office_only_inside_a_longer_actor_is_not_named():
    assert text_offices("各级财政部门要会同有关方面研究制定办法。", TABLE) == ["各级财政部门"]


@pytest.mark.parametrize("text, offices", [
    ("各省(区、市)人民政府要建设平台。", ["各省(区、市)人民政府"]),
    ("县级以上地方人民政府统筹制定计划。", ["县级以上地方人民政府"]),
    ("全面推行部门联合抽查。", []),
])
def test_collective_actors_and_words_that_are_no_office(text, offices):
    assert text_offices(text, TABLE) == offices


def test_the_issuer_assigns_nothing():
    assert text_offices("经国务院同意，教育部负责。", TABLE, issuer="国务院办公厅") == ["教育部"]


def test_the_sentence_holding_the_question_gives_the_offices():
    text = "财政部要设立基金，扩大规模，教育部要培训教师。市场监管总局负责抽查。"
    assert sentence_offices(text, ["培训", "教师"], TABLE) == ["教育部"]
    assert sentence_offices(text, ["抽查"], TABLE) == ["市场监管总局"]


@pytest.mark.parametrize("text, actors", [
    ("各有关部门要依照法律规定,建立本部门随机抽查事项清单。", ["各有关部门"]),
    ("国家融资担保基金要推动与全国性银行业金融机构的合作。", ["国家融资担保基金"]),
    ("各省份建立省级绩效考核信息系统,与国家系统对接。", ["各省份"]),
    ("各地区、各有关部门要细化追责免责相关办法。", ["各地区", "各有关部门"]),       # two actors listed
    ("政府性融资担保、再担保机构要严格以小微企业为主。", ["政府性融资担保、再担保机构"]),  # one shared noun
    ("市场监管总局要会同有关部门制定联合抽查事项清单。", ["市场监管总局"]),
    ("卫生健康行政部门监督指导三级公立医院落实病案首页。", ["卫生健康行政部门"]),
    ("原则上国家融资担保基金承担的风险责任比例不低于20%。", ["国家融资担保基金"]),   # a leading adverb is cut
])
def test_the_subject_of_a_sentence_assigning_work_is_its_actor(text, actors):
    assert text_offices(text, TABLE) == actors


@pytest.mark.parametrize("text", ["鼓励企业要加强研发。", "试点工作要进一步发挥好学历证书作用。", "部门要加强协作。",
                                  "促进职业院校加强专业建设。", "银行要扩大业务,优先与费率较低的担保机构开展合作。",
                                  "抽查事项较多的,可以委托有资质的机构开展检查。", "构建政府性融资担保机构要聚焦主业。"])
def test_a_verb_or_a_bare_noun_starting_a_sentence_is_no_actor(text):
    assert text_offices(text, TABLE) == []


def test_an_actor_only_a_sentence_names_is_not_an_office_wherever_its_words_occur():
    table = TABLE.with_names(["三级公立医院"])
    assert text_offices("国家卫生健康委建立全国三级公立医院绩效考核信息系统。", table) == ["国家卫生健康委"]
    assert "三级公立医院" not in table.all_names()


def test_who_leads_is_the_actor_written_before_qiantou_or_huitong():
    text = "财政部要会同发展改革委、教育部等部门加强统筹。市场监管总局负责抽查。"
    assert sentence_offices(text, ["统筹"], TABLE) == ["财政部", "发展改革委", "教育部"]
    assert sentence_offices(text, ["统筹"], TABLE, lead=True) == ["财政部"]


def test_respectively_pairs_the_office_with_the_task_the_question_names():
    text = "财政部、教育部在职责范围内,分别负责管理监督考核院校外、院校内职业技能等级证书的实施。"
    assert sentence_offices(text, ["院校", "证书"], TABLE, question="院校外的证书由谁考核？") == ["财政部"]
    assert sentence_offices(text, ["院校", "证书"], TABLE, question="院校内的证书由谁考核？") == ["教育部"]


def test_a_clause_of_running_text_knows_its_lead_when_one_actor_leads():
    from qa.actors import with_text_offices
    from qa.records import Clause, Document
    doc = Document("d", "某意见", (Clause("d:一", "d", ("一",), "甲", "一、财政部要会同教育部制定办法。"),
                                    Clause("d:二", "d", ("二",), "乙", "二、财政部、教育部负责落实。")))
    lead = [c.lead for c in with_text_offices(doc, TABLE).clauses]
    assert lead == ["财政部", ""]


def test_sectors_sharing_one_bumen_are_each_an_office():
    """「财政、发展改革、组织部门」 writes 部门 once for three sectors; a member the table lacks may
    close the list (组织部门), but a shared noun of two actors the table lacks stays whole."""
    assert text_offices("财政、发展改革、组织部门研究建立机制。", TABLE) == ["财政部门", "发展改革部门", "组织部门"]
    assert text_offices("财政和卫生健康部门调整政策。", TABLE) == ["财政部门", "卫生健康部门"]
    assert text_offices("政府性融资担保、再担保机构要坚持主业。", TABLE) == ["政府性融资担保、再担保机构"]
    with_actor = OfficeTable([*TABLE.offices.values(), Office("各地区", listed=False)])
    assert text_offices("各地区、各有关部门要结合实际。", with_actor) == ["各地区", "各有关部门"]


def test_a_sector_list_opening_a_clause_of_a_sentence_keeps_its_own_task():
    text = "财政、发展改革、组织部门研究建立应用机制，财政和卫生健康部门结合考核结果，调整政府投入。"
    assert sentence_offices(text, ["应用", "机制", "建立"], TABLE) == ["财政部门", "发展改革部门", "组织部门"]
    assert sentence_offices(text, ["调整", "政府", "投入"], TABLE) == ["财政部门", "卫生健康部门"]


def test_a_sector_whose_name_holds_he_stays_whole_and_a_level_or_deng_is_not_a_member():
    table = OfficeTable([Office("财政部"), Office("工业和信息化部", aliases=("工信部",)), Office("商务部"),
                         Office("国家医疗保障局", aliases=("医保局",))])
    assert text_offices("财政、工业和信息化部门负责。", table) == ["财政部门", "工业和信息化部门"]
    assert text_offices("各级财政、医保等有关部门要落实。", table) == ["各级财政部门", "各级医保部门"]
    assert text_offices("医保、财政、商务部等部门要加强指导。", table) == ["医保部门", "财政部门", "商务部"]


def test_a_noted_document_keeps_its_notes_and_marks_the_leaves_whose_sentences_assign_work():
    def leaf(n, text, departments=()):
        return Clause(id=f"d:{n}", doc_id="d", path=(n,), title=n, text=text, departments=departments, kind="item")
    doc = Document("d", "关于推广改革举措的通知", (
        leaf("1", "推广专利保险。", ("财政部",)), leaf("2", "推广知识产权质押。", ("教育部",)),
        leaf("3", "市场监管总局要适时督促检查推广工作进展情况。"), leaf("4", "各项举措要因地制宜。")))
    read = with_text_offices(doc, TABLE).clauses
    assert [c.departments for c in read] == [("财政部",), ("教育部",), (), ()]   # notes stay the offices
    assert [c.offices_in_text for c in read] == [False, False, True, False]


def test_a_long_office_name_opening_a_comma_part_starts_its_own_task():
    table = OfficeTable([Office("国务院人力资源社会保障行政部门", level="national"),
                         Office("国务院教育行政部门", level="national")])
    text = ("国务院人力资源社会保障行政部门、国务院教育行政部门分别负责证书的实施，"
            "国务院人力资源社会保障行政部门组织制定职业标准，国务院教育行政部门依照职业标准组织开发教学标准。")
    assert sentence_offices(text, ["职业", "标准", "组织", "制定"], table) == ["国务院人力资源社会保障行政部门"]


def test_a_sentence_opening_with_its_deadline_still_names_its_actor():
    from qa.actors import text_offices
    from qa.offices import Office, OfficeTable
    table = OfficeTable([Office("国家卫生健康委")])
    assert text_offices("2019年6月底前各省份要出台具体实施方案。", table) == ["各省份"]


def test_an_office_describing_what_is_built_is_not_assigned_the_work_unless_its_lead_is_asked():
    from qa.actors import sentence_offices, text_offices
    from qa.offices import Office, OfficeTable
    table = OfficeTable([Office("市场监管总局")])
    text = "地方各级人民政府要建立市场监管部门牵头的联席会议制度。"
    assert text_offices(text, table) == ["地方各级人民政府"]
    assert sentence_offices(text, ["联席会议", "牵头"], table, lead=True) == ["市场监管部门"]
