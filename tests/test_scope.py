"""What the corpus cannot answer: answer types, places, years and plan periods — all checked
against a tiny corpus text, so each rule is shown to follow the corpus rather than a phrase list."""
import pytest

from qa.scope import Scope

PLAN = ("“十三五”吉林省知识产权规划。到2020年,长春市建设知识产权强市。实施“中国制造2025”。"
        "主要指标:2015 2.6;2016 3.36;2020 5.3。")


@pytest.fixture(scope="module")
def scope():
    return Scope(PLAN, known_names=["省科技厅", "食药监局"], known_english=["People's Bank of China"])


@pytest.mark.parametrize("question", [
    "省科技厅的电话是多少",          # phone
    "知识产权局地址在哪里",          # address
    "专利申请费多少钱",              # fee
    "商标注册要多少天",              # duration
    "专利法第几条规定了职务发明",     # statute
    "2025年的目标是多少",            # a year the plan does not speak of
    "十四五规划有哪些任务",          # another plan period
    "辽宁省的知识产权规划",          # a place the plan never names
    "What is Guangdong's target?",   # a Chinese place written in pinyin
])
def test_out_of_scope(scope, question):
    assert scope.outside(question.lower(), question) is not None


@pytest.mark.parametrize("question", [
    "",
    "2020年的目标是多少",                           # the plan's own year
    "2016年每万人口发明专利拥有量",                  # a column of its table
    "中国制造2025由谁负责",                          # 2025 inside a name the plan uses
    "长春市的知识产权强市建设",                      # a place it names
    "食药监局负责什么",                              # an office alias is a known name
    "Who handles IP in Changchun?",                 # pinyin of a place it names
    "What does the People's Bank of China do?",     # an English name from the office table
    "十三五期间的目标",                              # its own plan period
    "城市的专利拥有量",                              # a common noun the dictionary tags as a place
    "知识产权单保机构怎么增信",                      # a typo (担保) is guessed to be a name: no one asked about
    "平台要不要办业务许可证",                        # a common noun the dictionary lists as a name
])
def test_in_scope(scope, question):
    assert scope.outside(question.lower(), question) is None


def test_a_cue_inside_a_phrase_the_documents_use_does_not_ask_for_that_kind():
    scope = Scope("推动科技型企业全生命周期金融综合服务。")
    assert scope.outside("全生命周期金融综合服务由谁指导") is None      # 周期 is part of the topic
    assert scope.outside("审批周期是多久") == "asks for a duration, which the plan does not give"


def test_a_corpus_with_a_hotline_answers_hotline_questions():
    with_phone = Scope(PLAN + "维权援助热线电话:0431-12345678。")
    assert with_phone.outside("维权援助热线电话是多少") is None
    assert Scope(PLAN).outside("维权援助热线电话是多少") is not None


def test_a_who_question_about_a_fee_asks_for_an_office_and_a_slip_of_a_place_is_that_place():
    scope = Scope("支持郑州机场利用第五航权。开展中医治未病服务试点。")
    assert scope.outside("治未病服务收费由哪个部门负责", who=True) is None
    assert scope.outside("治未病服务收费是多少") == "asks for a fee, which the plan does not give"
    assert scope.outside("郑洲机场第五航权支持什么") is None          # 郑洲 sounds like the text's 郑州
    assert scope.outside("广州机场第五航权支持什么") == "广州 is not mentioned in the plan"


def test_a_who_question_about_a_person_is_still_outside():
    assert Scope("省科技厅负责。").outside("知识产权局局长是谁", who=True) == \
        "asks for a person, which the plan does not give"
