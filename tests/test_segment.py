"""One segmentation function for documents and questions: domain terms whole, forms folded,
question words dropped, English glossary terms turned into the plan's Chinese."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus import load_corpus
from qa.segment import Segmenter

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return load_corpus(CORPUS).segmenter()


@pytest.mark.parametrize("text, term", [
    ("加强知识产权保护", "知识产权"),
    ("积极探索开展知识产权质押融资", "质押融资"),
    ("实施专利导航产业发展试点工程", "专利导航"),
    ("开展地理标志资源调查", "地理标志"),
    ("建立授权植物新品种的基因图谱数据库", "植物新品种"),
    ("省科技厅会同省财政厅", "省科技厅"),
    ("省科技厅会同省财政厅", "省财政厅"),
    ("由省发展改革委牵头", "省发展改革委"),
    ("人民银行长春中心支行参与", "人民银行长春中心支行"),
    ("省人力资源社会保障厅负责", "省人力资源社会保障厅"),
])
def test_domain_terms_stay_whole(seg, text, term):
    assert term in seg.tokens(text)


@pytest.mark.parametrize("traditional, simplified", [
    ("知識產權", "知识产权"),
    ("知識產權質押融資", "知识产权质押融资"),
    ("地理標誌", "地理标志"),
    ("省科技廳", "省科技厅"),
])
def test_traditional_characters_give_the_same_tokens(seg, traditional, simplified):
    assert seg.tokens(traditional) == seg.tokens(simplified)
    assert seg.tokens(traditional) != []


@pytest.mark.parametrize("full_width, half_width", [
    ("ＰＣＴ专利申请", "PCT专利申请"),
    ("（责任单位：省科技厅）", "(责任单位:省科技厅)"),
    ("２０２０年目标", "2020年目标"),
])
def test_full_width_forms_give_the_same_tokens(seg, full_width, half_width):
    assert seg.tokens(full_width) == seg.tokens(half_width)


@pytest.mark.parametrize("text", ["哪个部门", "负责", "请问", "请问哪个部门负责？", "谁来负责呢", "哪些单位"])
def test_question_words_produce_no_tokens(seg, text):
    assert seg.tokens(text) == []


@pytest.mark.parametrize("term, longer", [
    ("质押融资", "开展知识产权质押融资"),
    ("地理标志", "加强地理标志证明商标注册"),
    ("知识产权", "提升知识产权保护水平"),
])
def test_a_term_asked_alone_is_found_inside_a_longer_phrase(seg, term, longer):
    assert term in seg.tokens(term)
    assert term in seg.tokens(longer)  # otherwise BM25 cannot match the question to the clause


def test_a_question_and_its_topic_give_the_same_tokens(seg):
    assert seg.tokens("请问哪个部门负责专利导航？") == seg.tokens("专利导航")


@pytest.mark.parametrize("english, term", [
    ("patent pledge financing", "质押融资"),
    ("Who is responsible for IP pledge financing?", "质押融资"),
    ("Who is responsible for IP pledge financing?", "知识产权"),
    ("patent navigation", "专利导航"),
    ("PATENT NAVIGATION", "专利导航"),
])
def test_english_glossary_terms_become_the_plans_words(seg, english, term):
    assert term in seg.tokens(english)


def test_english_function_words_are_dropped(seg):
    tokens = seg.tokens("Which department is responsible for the patent navigation?")
    assert not {"which", "is", "the", "for", "responsible"} & set(tokens)


@pytest.mark.parametrize("text", ["", " ", "\n\t", "？！。，", "\u3000"])
def test_empty_or_punctuation_only_text_has_no_tokens(seg, text):
    assert seg.tokens(text) == []


def test_repeated_terms_are_kept_for_bm25(seg):
    assert seg.tokens("专利导航 专利导航").count("专利导航") == 2


def test_a_segmenter_without_data_still_cuts_chinese():
    assert "知识产权" in Segmenter().tokens("知识产权保护")


# ---------------------------------------------------------------- the corpus's home words


def test_no_plan_is_written_into_the_generic_word_lists():
    from qa.segment import ENGLISH_STOP, QUESTION_WORDS
    assert not {"吉林", "吉林省", "十三五", "长春"} & QUESTION_WORDS
    assert "jilin" not in ENGLISH_STOP


def test_the_corpus_supplies_its_region_and_period_as_words_to_drop(seg):
    assert load_corpus(CORPUS).home_words() == ["十三五", "吉林省", "吉林", "jilin"]
    assert seg.context_words == {"十三五", "吉林省", "吉林", "jilin"}


@pytest.mark.parametrize("question, topic", [
    ("吉林省哪个部门负责专利导航？", "专利导航"),
    ("吉林的专利导航", "专利导航"),
    ("patent navigation in Jilin province", "patent navigation"),
])
def test_the_plans_own_region_says_nothing(seg, question, topic):
    assert seg.tokens(question) == seg.tokens(topic)


@pytest.mark.parametrize("titles, words", [
    (["“十三五”吉林省知识产权保护和运用规划"], ["十三五", "吉林省", "吉林", "jilin"]),
    (["“十四五”广东省知识产权保护和运用规划"], ["十四五", "广东省", "广东", "guangdong"]),
    (["广西壮族自治区“十四五”知识产权发展规划"], ["十四五", "广西壮族自治区", "广西", "guangxi"]),  # periods first
    (["上海市知识产权保护和运用“十四五”规划"], ["十四五", "上海市", "上海", "shanghai"]),
    (["“十三五”国家知识产权对外合作与海外维权规划"], ["十三五"]),        # a national plan has no region
    (["“十三五”吉林省规划", "“十三五”吉林省知识产权规划"], ["十三五", "吉林省", "吉林", "jilin"]),  # once each
    (["doc_0001"], []),
])
def test_home_words_are_read_from_titles(titles, words):
    from qa.corpus import home_words
    assert home_words(titles) == words


def test_a_segmenter_keeps_words_no_corpus_made_its_own():
    assert "吉林省" in Segmenter().tokens("吉林省知识产权")
    assert "吉林省" not in Segmenter(context_words=["吉林省", "吉林"]).tokens("吉林省知识产权")


def test_another_form_of_a_glossary_word_is_no_typo():
    from qa.segment import Segmenter
    seg = Segmenter([], {"employee": ["职工"], "satisfaction": ["满意度"]})
    assert "employer" in seg.plain_wording("the employer pays")
    assert "满意度" in seg.plain_wording("public satisfation")
