"""Every outline and office form of the genre, each on a small document written here.

The documents are invented (other ministries and provinces than the real library's) so that no
rule is tuned to one document: titles broken over lines, a number, a signature date, a covering
notice with its attachment, sections with text and no items, a flat list 一、…三十、, several office
notes in one paragraph, the office-note shapes (负责部门:…;适用范围:…), (A、B等负责), (A牵头,B、C参与),
(A指导), (A、B和各有关省级人民政府负责), (A、B,各省级人民政府按职责分工负责), 排在第一位的部门为牵头部门,
an indicator list, and a 序号 table whose office column gives each row's offices.
"""
from __future__ import annotations

import json

import pytest

from qa.office_notes import find_notes
from qa.parse import int_to_cn, parse_document
from qa.records import Clause, Hit

HEAD = "各省、自治区、直辖市人民政府,国务院各部委、各直属机构:\n"


def by_local(doc):
    return {c.id.split(":", 1)[1]: c for c in doc.clauses}


def leaves(doc):
    return [c for c in doc.clauses if c.searchable]


# ---------------------------------------------------------------- the title and signature blocks


BROKEN_TITLE = ("水利部关于加强\n河湖岸线保护\n工作的指导意见\n水河湖〔2031〕17号\n\n" + HEAD
                + "为加强河湖岸线保护,维护河湖健康生命,经国务院同意,现提出如下意见。\n一、总体要求\n(一)指导思想。坚持节水优先。\n"
                + "(二)工作目标。到2035年,河湖面貌明显改善。\n二、保障措施\n各地要加强领导。\n"
                + "水利部\n2031年3月5日\n(此件公开发布)\n")


def test_a_title_broken_over_three_lines_is_joined_and_the_number_date_issuer_are_read():
    doc = parse_document(BROKEN_TITLE, "w")
    assert doc.title == "水利部关于加强河湖岸线保护工作的指导意见"
    assert (doc.number, doc.date, doc.issuer) == ("水河湖〔2031〕17号", "2031年3月5日", "水利部")


def test_the_addressees_and_the_signature_block_are_in_no_clause():
    doc = parse_document(BROKEN_TITLE, "w")
    assert by_local(doc)["序"].text == "为加强河湖岸线保护,维护河湖健康生命,经国务院同意,现提出如下意见。"
    texts = "".join(c.text for c in doc.clauses)
    assert "各直属机构" not in texts and "此件公开发布" not in texts and "2031年3月5日" not in texts


def test_sections_with_text_and_no_items_are_leaves():
    doc = by_local(parse_document(BROKEN_TITLE, "w"))
    assert [doc[k].kind for k in ("一.一", "一.二")] == ["section", "section"]
    assert doc["一.二"].searchable and doc["一.二"].text.startswith("(二)工作目标。到2035年")
    assert doc["二"].searchable and doc["二"].text == "二、保障措施 各地要加强领导。"   # heading, space, text


COVERING = ("某某自治区人民政府关于印发\n某某自治区草原保护\n实施方案的通知\n某政发〔2031〕5号\n\n各市人民政府:\n"
            "现将《某某自治区草原保护实施方案》印发给你们,请认真贯彻执行。\n某某自治区人民政府\n2031年2月1日\n"
            "(此件公开发布)\n\n某某自治区草原保护实施方案\n\n草原是重要的生态系统,为加强草原保护修复,制定本方案。\n"
            "一、主要任务\n(一)落实禁牧休牧。全面落实禁牧休牧制度。(自治区林草局负责)\n")


def test_a_covering_notice_gives_way_to_its_attachment_as_the_document_title():
    doc = parse_document(COVERING, "c")
    assert doc.title == "某某自治区草原保护实施方案"
    assert doc.notice == "某某自治区人民政府关于印发某某自治区草原保护实施方案的通知"
    assert (doc.number, doc.date, doc.issuer) == ("某政发〔2031〕5号", "2031年2月1日", "某某自治区人民政府")
    assert by_local(doc)["序"].text == "草原是重要的生态系统,为加强草原保护修复,制定本方案。"
    assert by_local(doc)["一.一"].departments == ("自治区林草局",)


def test_a_number_cited_in_a_sentence_is_not_the_documents_own():
    text = "某省林业规划\n\n根据《国务院关于林业的意见》(国发〔2030〕9号),制定本规划。\n一、目标\n造林。\n"
    assert parse_document(text, "f").number == ""


# ---------------------------------------------------------------- outlines


def test_a_flat_list_of_thirty_measures_each_with_its_note():
    body = "\n".join(f"{int_to_cn(n)}、推进第{n}项改革措施落地。(交通运输部、水利部负责)" for n in range(1, 31))
    doc = parse_document("交通运输部关于深化改革的若干措施\n交运发〔2031〕8号\n" + body, "t")
    parts = [c for c in doc.clauses if c.kind == "part"]
    assert [c.id for c in parts] == [f"t:{int_to_cn(n)}" for n in range(1, 31)]
    assert all(c.searchable and c.departments == ("交通运输部", "水利部") for c in parts)


def test_several_notes_in_one_paragraph_each_cover_the_sentences_before_them():
    text = ("某省湿地保护规划\n一、主要任务\n(一)加强湿地保护。划定湿地保护红线。(省林业局负责)"
            "开展湿地修复工程。建设湿地公园。(省自然资源厅、省生态环境厅负责)\n")
    doc = by_local(parse_document(text, "h"))
    assert doc["一.一"].has_children
    first, second = doc["一.一.1"], doc["一.一.2"]
    assert first.departments == ("省林业局",) and "划定湿地保护红线" in first.text
    assert second.departments == ("省自然资源厅", "省生态环境厅")
    assert "开展湿地修复工程" in second.text and "划定" not in second.text


def test_notes_before_the_full_stop_keep_it_and_leave_no_empty_measure():
    text = ("某省湿地保护规划\n一、主要任务\n(一)加强湿地保护。划定湿地保护红线(省林业局负责)。"
            "开展湿地修复工程(省自然资源厅负责)。\n")
    doc = by_local(parse_document(text, "h"))
    assert [k for k in doc if k.startswith("一.一.")] == ["一.一.1", "一.一.2"]
    assert doc["一.一.1"].text.endswith("(省林业局负责)。")
    assert doc["一.一.2"].text == "开展湿地修复工程(省自然资源厅负责)。"


def test_notes_closing_the_clauses_of_one_sentence_each_cover_their_clause():
    text = "某省禁毒规划\n一、主要任务\n(一)严打毒品犯罪(省公安厅负责),完善戒毒制度(省司法厅、省卫生健康委负责)。\n"
    doc = by_local(parse_document(text, "j"))
    assert doc["一.一.1"].departments == ("省公安厅",) and "严打毒品犯罪" in doc["一.一.1"].text
    assert doc["一.一.2"].departments == ("省司法厅", "省卫生健康委")
    assert doc["一.一.2"].text.startswith("完善戒毒制度")


def test_a_paragraph_with_one_note_stays_one_clause():
    text = "某省湿地保护规划\n一、主要任务\n(一)加强保护。划定红线。开展修复。(省林业局负责)\n"
    doc = by_local(parse_document(text, "h"))
    assert doc["一.一"].searchable and doc["一.一"].departments == ("省林业局",)


# ---------------------------------------------------------------- office notes


@pytest.mark.parametrize("note, offices, lead", [
    ("(负责部门:交通运输部、水利部;适用范围:所有试验区)", ("交通运输部", "水利部"), ""),
    ("(负责部门:应急管理部,适用范围:沿海试验区)", ("应急管理部",), ""),
    ("(牵头单位:省民政厅;配合单位:省财政厅、省卫生健康委)", ("省民政厅", "省财政厅", "省卫生健康委"), "省民政厅"),
    ("(交通运输部、水利部等负责)", ("交通运输部", "水利部"), ""),
    ("(水利部牵头,自然资源部、生态环境部参与)", ("水利部", "自然资源部", "生态环境部"), "水利部"),
    ("(农业农村部牵头负责,商务部配合)", ("农业农村部", "商务部"), "农业农村部"),
    ("(国家林草局指导)", ("国家林草局",), ""),
    ("(生态环境部会同水利部、自然资源部负责)", ("生态环境部", "水利部", "自然资源部"), "生态环境部"),
    ("(民政部、财政部按职责分工负责)", ("民政部", "财政部"), ""),
    ("(民政部、财政部和各有关省级人民政府负责)", ("民政部", "财政部", "各有关省级人民政府"), ""),
    ("(民政部、财政部,各省级人民政府按职责分工负责)", ("民政部", "财政部", "各省级人民政府"), ""),
    ("(民政部、各省(区、市)人民政府负责)", ("民政部", "各省(区、市)人民政府"), ""),
    ("(民政部、财政部负责,2031年底前完成)", ("民政部", "财政部"), ""),
    ("(民政部、交通运输部等相关部门按职责分工负责)", ("民政部", "交通运输部"), ""),
    ("(民政部牵头,各相关部门按职责分工负责)", ("民政部", "各相关部门"), "民政部"),
    ("(商务部、进出口银行、中国信保按职责分工负责)", ("商务部", "进出口银行", "中国信保"), ""),
    ("(民政部牵头,财政部参与,持续推进)", ("民政部", "财政部"), "民政部"),
    ("责任单位:省民政厅、省财政厅,各市(州)人民政府。", ("省民政厅", "省财政厅", "各市(州)人民政府"), ""),
])
def test_office_note_forms(note, offices, lead):
    [found] = find_notes("推进养老服务体系建设。" + note)
    assert (found.offices, found.lead) == (offices, lead)


@pytest.mark.parametrize("text", [
    "分别负责管理(高职院校内由教育行政部门负责),并组织实施。",   # an aside inside a sentence
    "建设国家数据中心(贵阳)。",                                    # a place, not an office
    "实施节水行动(2031年底前完成)。",                              # a date
])
def test_parentheses_that_are_not_office_notes(text):
    assert find_notes(text) == []


def test_a_box_of_projects_is_a_clause_of_its_own_not_part_of_the_section_before_it():
    text = ("国家海洋经济发展规划\n一、主要任务\n(一)发展海洋渔业。推进远洋渔业基地建设。\n"
            "专栏1 海洋渔业重大工程\n远洋渔业基地:建设3个国家远洋渔业基地。\n渔港升级:改造一批沿海渔港。\n"
            "(二)保护海洋生态。实施海岸带修复。\n")
    doc = by_local(parse_document(text, "h"))
    box = doc["一.专栏1"]
    assert (box.kind, box.number, box.title) == ("box", "专栏1", "海洋渔业重大工程")
    assert "建设3个国家远洋渔业基地" in box.text and "改造一批沿海渔港" in box.text
    assert "远洋渔业基地:" not in doc["一.一"].text
    assert doc["一.二"].text.startswith("(二)保护海洋生态")


CHAPTERS = ("国务院关于印发某某产业发展规划的通知\n国发〔2031〕2号\n" + HEAD + "现将规划印发给你们。\n国务院\n2031年5月1日\n"
            "某某产业发展规划\n第一章 发展基础\n当前,产业规模持续扩大。\n第二章 重点任务\n第一节 提升创新能力\n"
            "一、建设创新平台。布局一批创新中心。(科技部负责)\n二、突破关键技术。实施攻关工程。(科技部牵头,工业和信息化部参与)\n"
            "第二节 优化产业结构\n培育一批领军企业。(工业和信息化部负责)\n第三章 保障措施\n加强组织领导。\n")


def test_a_plan_in_chapters_keeps_every_chapter_and_the_parts_inside_them():
    doc = parse_document(CHAPTERS, "c")
    assert doc.title == "某某产业发展规划"
    local = by_local(doc)
    assert local["第一章"].text == "第一章 发展基础 当前,产业规模持续扩大。"
    part = local["第二章.第一节.二"]
    assert (part.kind, part.departments, part.lead) == ("part", ("科技部", "工业和信息化部"), "科技部")
    assert local["第二章.第二节"].departments == ("工业和信息化部",)
    assert local["第三章"].text.endswith("加强组织领导。")


def test_the_articles_of_a_measures_document_are_clauses_under_their_chapters():
    text = ("某某资金管理办法\n第一章 总则\n第一条 为规范资金管理,制定本办法。\n第二章 资金分配\n"
            "第二条 资金按因素法分配,其中基础因素占60%。\n第三条 财政部会同农业农村部下达资金预算。\n")
    local = by_local(parse_document(text, "b"))
    assert [k for k in local] == ["第一章", "第一章.第一条", "第二章", "第二章.第二条", "第二章.第三条"]
    assert (local["第二章.第二条"].kind, local["第二章.第二条"].number) == ("article", "第二章第二条")
    assert local["第二章.第二条"].text == "第二条 资金按因素法分配,其中基础因素占60%。"


def test_an_article_listing_items_keeps_them_and_the_next_article_is_its_sibling():
    text = ("某某管理规定\n第一章 总则\n第一条 本规定遵循以下原则:\n(一)依法管理。\n(二)公开透明。\n"
            "第二条 本规定自印发之日起施行。\n")
    local = by_local(parse_document(text, "r"))
    assert "第一章.第一条.一" in local and "第一章.第二条" in local


def test_items_of_a_box_are_numbered_apart_from_the_box():
    text = "某省规划\n一、主要任务\n(一)发展渔业。建设基地。\n专栏1 渔业工程\n1.建设渔港。\n2.更新渔船。\n"
    local = by_local(parse_document(text, "b"))
    assert local["一.专栏1.1"].number == "专栏1-1"


def test_office_lines_without_parentheses_belong_to_the_measure_above_them():
    text = ("某省养老服务方案\n一、主要任务\n(一)发展社区养老。建设社区养老服务中心。\n牵头单位:省民政厅\n"
            "配合单位:省财政厅、省卫生健康委\n(二)发展康养产业。培育康养企业。\n责任单位:省发展改革委\n")
    doc = by_local(parse_document(text, "y"))
    assert (doc["一.一"].departments, doc["一.一"].lead) == (("省民政厅", "省财政厅", "省卫生健康委"), "省民政厅")
    assert doc["一.二"].departments == ("省发展改革委",)


def test_first_listed_office_leads_when_the_document_says_so():
    text = ("某省养老服务规划\n各项任务中排在第一位的部门为牵头部门。\n一、主要任务\n"
            "(一)发展社区养老。建设社区养老服务中心。(省民政厅、省财政厅负责)\n"
            "(二)发展康养产业。培育康养企业。(省发展改革委牵头,省民政厅参与)\n")
    doc = by_local(parse_document(text, "y"))
    assert doc["一.一"].lead == "省民政厅"
    assert doc["一.二"].lead == "省发展改革委"


def test_without_a_lead_rule_a_plain_note_has_no_lead():
    text = "某省养老服务规划\n一、主要任务\n(一)发展社区养老。建设服务中心。(省民政厅、省财政厅负责)\n"
    assert by_local(parse_document(text, "y"))["一.一"].lead == ""


def test_the_lead_is_serialised():
    c = Clause("d:一", "d", ("一、甲",), "甲", "做甲。(水利部牵头,财政部参与)", ("水利部", "财政部"),
               kind="part", lead="水利部")
    assert Clause.from_json(json.loads(json.dumps(c.to_json()))) == c
    assert Hit(c, 1.0).to_json()["lead_department"] == "水利部"
    old = {k: v for k, v in c.to_json().items() if k != "lead"}   # a clause stored before the field
    assert Clause.from_json(old).lead == ""


# ---------------------------------------------------------------- attachments: indicator lists and tables


INDICATORS = ("国家卫生健康委关于加强二级医院考核的意见\n国卫发〔2031〕2号\n" + HEAD
              + "一、总体要求\n(一)工作目标。建立考核体系。\n国家卫生健康委\n2031年4月1日\n\n附件\n\n"
              "二级医院考核指标\n\n一级指标\n\n二级指标\n\n三级指标\n\n指标性质\n\n指标说明\n\n"
              "一、服务质量\n\n(一)\n\n功能\n\n定位\n\n1.出院患者手术占比▲\n\n定量\n\n"
              "计算方法:出院患者手术台次数/同期出院患者总人次数×100%。\n指标来源:病案首页。\n\n"
              "2.病房管理规范程度\n\n定性\n\n考察病房管理制度的建立和执行情况。\n\n"
              "二、运营效率\n\n(二)收支结构\n\n3.门诊收入占比\n\n定量\n\n计算方法:门诊收入/医疗收入×100%。\n"
              "指标来源:财务年报。\n\n注:\n1.标记“▲”的为国家监测指标。\n2.指标每年更新。\n")


def test_an_indicator_list_becomes_indicator_clauses_with_their_method_and_source():
    doc = parse_document(INDICATORS, "i")
    rows = [c for c in doc.clauses if c.kind == "indicator"]
    assert [c.title for c in rows] == ["出院患者手术占比", "病房管理规范程度", "门诊收入占比"]
    first = by_local(doc)["附件.一.一.1"]
    assert first.values == {"指标性质": "定量", "标记": "▲", "计算方法": "出院患者手术台次数/同期出院患者总人次数×100%。",
                            "指标来源": "病案首页。"}
    assert first.path[-2] == "(一)功能定位"                      # a marker broken off its label
    assert rows[1].values == {"指标性质": "定性", "指标说明": "考察病房管理制度的建立和执行情况。"}
    assert by_local(doc)["附件"].title == "二级医院考核指标"
    notes = [c for c in doc.clauses if c.id.startswith("i:附件.注.")]
    assert [c.text for c in notes] == ["1.标记“▲”的为国家监测指标。", "2.指标每年更新。"]


def test_numbering_that_restarts_in_an_attachment_gets_no_suffix():
    assert not [c.id for c in parse_document(INDICATORS, "i").clauses if "~" in c.id]


TABLE = ("国务院办公厅关于推广第三批改革举措的通知\n国办发〔2031〕40号\n" + HEAD
         + "一、推广的改革举措\n现推广改革举措3项。\n国务院办公厅\n2031年6月1日\n\n附件\n\n第三批改革举措推广清单\n\n"
         "序号\n\n改革举措\n\n主 要 内 容\n\n牵头部门\n\n推广范围\n\n一、农业方面(共2项)\n\n1\n\n"
         "耕地保护补偿机制\n\n对承担耕地保护任务的农户给予补偿。\n\n农业农村部、财政部\n\n全国\n\n2\n\n"
         "农产品质量追溯\n\n建立农产品质量追溯平台。\n\n实现生产经营全过程留痕。\n\n农业农村部\n\n全国\n\n"
         "二、交通方面(共1项)\n\n3\n\n客货邮融合\n\n推进客运、货运和邮政快递融合。\n\n交通运输部、国家邮政局\n\n8个地区\n")


def test_a_numbered_table_gives_one_clause_per_row_with_its_office_column():
    doc = by_local(parse_document(TABLE, "n"))
    assert doc["附件.一.1"].title == "耕地保护补偿机制"
    assert doc["附件.一.1"].departments == ("农业农村部", "财政部")
    assert doc["附件.一.2"].values["主要内容"] == "建立农产品质量追溯平台。实现生产经营全过程留痕。"  # a cell over two lines
    assert doc["附件.二.3"].departments == ("交通运输部", "国家邮政局")
    assert doc["附件.二.3"].values["推广范围"] == "8个地区"
    assert "推进客运、货运和邮政快递融合" in doc["附件.二.3"].text


def test_several_attachments_keep_their_own_numbers_and_outlines():
    text = ("生态环境部关于印发两项工作方案的通知\n环发〔2031〕6号\n一、总体要求\n请结合实际认真组织实施,确保各项任务落到实处。\n"
            "附件:1.土壤污染防治工作方案\n2.地下水污染防治工作方案\n生态环境部\n2031年7月1日\n\n附件1\n\n土壤污染防治工作方案\n\n一、目标\n土壤环境质量总体稳定。\n\n"
            "附件2\n\n地下水污染防治工作方案\n\n一、目标\n地下水质量保持稳定。(水利部、自然资源部负责)\n")
    doc = by_local(parse_document(text, "m"))
    assert (doc["附件1"].title, doc["附件2"].title) == ("土壤污染防治工作方案", "地下水污染防治工作方案")
    assert doc["附件1.一"].text.endswith("土壤环境质量总体稳定。")
    assert doc["附件2.一"].departments == ("水利部", "自然资源部")
    assert [k for k in doc if not k.startswith("附件")] == ["一"]          # the list of attachments is no item


def test_a_date_in_chinese_numerals_and_a_signature_above_the_outline():
    doc = parse_document("某某省湿地保护办法\n某某省人民政府\n二〇三一年十二月二十日\n一、总则\n保护湿地。\n", "d")
    assert (doc.title, doc.date) == ("某某省湿地保护办法", "2031年12月20日")


def test_a_task_table_with_lead_and_partner_columns_names_the_lead():
    text = ("国务院办公厅关于落实重点任务的通知\n国办函〔2031〕9号\n一、总体要求\n请认真抓好落实,确保各项任务按期完成。\n"
            "国务院办公厅\n2031年8月1日\n\n附件\n\n重点任务分工表\n\n序号\n\n重点任务\n\n牵头单位\n\n配合单位\n\n完成时限\n\n"
            "1\n\n完善农村供水设施\n\n水利部\n\n财政部、国家发展改革委\n\n2031年底前\n\n"
            "2\n\n推进城乡客运一体化\n\n交通运输部\n\n公安部\n\n持续推进\n")
    doc = by_local(parse_document(text, "k"))
    assert doc["附件.1"].departments == ("水利部", "财政部", "国家发展改革委")
    assert doc["附件.1"].lead == "水利部"
    assert (doc["附件.2"].departments, doc["附件.2"].lead) == (("交通运输部", "公安部"), "交通运输部")
    assert doc["附件.2"].values["完成时限"] == "持续推进"


def test_a_table_of_numbers_in_an_attachment_is_read_as_indicator_rows():
    text = ("某某省人民政府关于印发节水行动方案的通知\n某政发〔2031〕7号\n一、总体要求\n请结合实际认真贯彻执行,确保节水目标按期实现。\n"
            "某某省人民政府\n2031年9月1日\n\n附件\n\n节水主要指标\n\n指标\n\n2030年\n\n2035年\n\n属性\n\n"
            "万元GDP用水量(立方米)\n\n30\n\n25\n\n约束性\n\n农田灌溉水有效利用系数\n\n0.58\n\n0.6\n\n预期性\n")
    doc = parse_document(text, "s")
    rows = [c for c in doc.clauses if c.kind == "indicator"]
    assert [(c.title, c.values) for c in rows] == [
        ("万元GDP用水量(立方米)", {"2030": "30", "2035": "25", "属性": "约束性"}),
        ("农田灌溉水有效利用系数", {"2030": "0.58", "2035": "0.6", "属性": "预期性"})]
    assert all(c.id.startswith("s:附件.") for c in rows)


@pytest.mark.parametrize("opening", ["附件\n\n重点任务分工表\n", "附件:重点任务分工表\n", "重点任务分工表\n"])
def test_an_attachment_opens_with_a_marker_a_marker_and_title_or_its_title_alone(opening):
    text = ("国务院办公厅关于落实重点任务的通知\n国办函〔2031〕9号\n一、总体要求\n请认真抓好落实,确保各项任务按期完成。\n"
            "国务院办公厅\n2031年8月1日\n(此件公开发布)\n\n" + opening + "\n一、农村供水\n"
            "(一)完善农村供水设施,提高农村自来水普及率。(水利部负责)\n")
    doc = by_local(parse_document(text, "u"))
    assert doc["附件"].title == "重点任务分工表"
    assert doc["附件.一.一"].departments == ("水利部",)
    assert "此件公开发布" not in doc["一"].text


def test_page_chrome_after_the_signature_is_no_attachment():
    text = ("国务院办公厅关于落实重点任务的通知\n国办函〔2031〕9号\n一、总体要求\n请认真抓好落实,确保各项任务按期完成。\n"
            "国务院办公厅\n2031年8月1日\n\n扫一扫在手机打开当前页\n相关稿件\n1.解读文章\n")
    doc = parse_document(text, "v")
    assert [c.id for c in doc.clauses] == ["v:一"]


def test_an_indicator_without_a_kind_line_is_read_from_its_method():
    text = ("某某省林业发展规划\n一、主要指标\n1.森林覆盖率\n计算方法:森林面积/土地总面积×100%。\n数据来源:省林业局。\n"
            "2.草原综合植被盖度\n计算方法:草原植被覆盖面积/草原面积×100%。\n")
    rows = [c for c in parse_document(text, "g").clauses if c.kind == "indicator"]
    assert [(c.id, c.title) for c in rows] == [("g:一.1", "森林覆盖率"), ("g:一.2", "草原综合植被盖度")]
    assert rows[0].values == {"计算方法": "森林面积/土地总面积×100%。", "数据来源": "省林业局。"}
