"""The engine's parts on tiny fixtures: the one fusion, coverage read from the index, outline
look-ups, and the ordered answerers each claiming only their own questions."""
from __future__ import annotations

import numpy as np
import pytest

from qa.bm25 import SparseBM25
from qa.intents import ANSWERERS
from qa.outline import Outline, local_id, parent_id
from qa.records import Clause
from qa.retrieval import Retriever, fuse, top_candidates
from qa.settings import Settings


def clause(cid, title, kind="item", departments=(), has_children=False, path=None, text=None):
    return Clause(id=f"d:{cid}", doc_id="d", path=tuple(path or (title,)), title=title, text=text or title,
                  departments=tuple(departments), kind=kind, has_children=has_children)


PART = clause("一", "主要任务", kind="part", has_children=True)
SECTION = clause("一.一", "加强知识产权保护", kind="section", has_children=True)
ITEM1 = clause("一.一.1", "专利质押融资", departments=("甲厅", "乙局"))
ITEM2 = clause("一.一.2", "商标品牌建设", departments=("乙局",))
OUTLINE = Outline([PART, SECTION, ITEM1, ITEM2], {"d": "某规划"})


# ------------------------------------------------------------------ fusion


def test_weighted_fusion_mixes_scaled_scores_by_the_dense_weight():
    fused = fuse(np.array([2.0, 0.0]), np.array([0.1, 0.9]), np.array([0.1, 0.9]), Settings(dense_weight=0.3))
    assert fused == pytest.approx([0.7, 0.3])


def test_rrf_fusion_ranks_a_clause_first_in_both_lists_highest():
    fused = fuse(np.array([3.0, 2.0, 1.0]), np.array([0.9, 0.1, 0.5]), np.array([0.9, 0.1, 0.5]),
                 Settings(fusion="rrf"))
    assert int(np.argmax(fused)) == 0


def test_fusion_without_any_bm25_evidence_follows_the_dense_side():
    pool = np.array([0.0, 0.0, 0.2, 0.5, 0.8])  # every clause in play; its median is the dense floor
    fused = fuse(np.zeros(3), np.array([0.2, 0.8, 0.5]), pool, Settings())
    assert list(np.argsort(-fused)) == [1, 2, 0]


def test_top_candidates_keeps_the_best_of_each_ranking():
    bm, dn = np.array([9.0, 0, 0, 0, 1]), np.array([0, 0, 0, 9.0, 1])
    assert set(top_candidates(bm, dn, np.arange(5), 1)) == {0, 3}
    assert list(top_candidates(bm, dn, np.arange(5), 10)) == [0, 1, 2, 3, 4]


# ------------------------------------------------------------------ retriever


@pytest.fixture
def retriever():
    docs = [["专利", "质押", "融资"], ["商标", "品牌"], ["专利", "商标"]]
    leaves = [ITEM1, ITEM2, clause("一.一.3", "其他")]
    return Retriever(leaves, SparseBM25.fit(docs), None)


def test_contains_reads_the_clause_terms_from_the_bm25_matrix(retriever):
    assert retriever.contains(0, "质押") and retriever.contains(2, "商标")
    assert not retriever.contains(1, "专利") and not retriever.contains(0, "没有的词")


def test_coverage_is_the_share_of_question_term_weight_a_clause_holds(retriever):
    s = Settings()
    assert retriever.coverage(["质押", "融资"], 0, s) == 1.0
    assert retriever.coverage(["质押", "融资"], 1, s) == 0.0
    assert 0.0 < retriever.coverage(["专利", "品牌"], 2, s) < 1.0
    assert retriever.coverage([], 0, s) == 0.0


def test_bm25_only_ranking_puts_the_matching_clause_first(retriever):
    ranked = retriever.rank(["品牌"], None, Settings(mode="bm25"))
    assert ranked[0][0] == 1


def test_masks_filter_by_office_and_an_empty_mask_ranks_nothing(retriever):
    mask = retriever.mask(office="甲厅")
    assert list(mask) == [True, False, False]
    assert retriever.rank(["品牌"], None, Settings(mode="bm25"), mask)[0][0] == 0
    assert retriever.rank(["品牌"], None, Settings(mode="bm25"), np.zeros(3, bool)) == []
    assert retriever.mask() is None


def test_similarity_is_none_without_vectors(retriever):
    assert retriever.similarity(0, np.ones(4)) is None


# ------------------------------------------------------------------ outline


def test_outline_finds_children_offices_and_local_ids():
    assert OUTLINE.children(PART) == [SECTION]
    assert OUTLINE.children(SECTION) == [ITEM1, ITEM2]
    assert OUTLINE.children(None) == []
    assert OUTLINE.office_clauses("乙局") == [ITEM1, ITEM2]
    assert OUTLINE.by_local["一.一.2"] is ITEM2
    assert OUTLINE.parts == [PART]
    assert local_id("d:一.一") == "一.一" and parent_id("d:一.一") == "d:一" and parent_id("d:一") is None


@pytest.mark.parametrize("text, title", [
    ("主要任务有哪些", "主要任务"),
    ("加强知识产权保护包括什么", "加强知识产权保护"),
    ("天气怎么样", None),
    ("", None),
])
def test_heading_in_finds_the_longest_heading_a_question_names(text, title):
    found = OUTLINE.heading_in(text)
    assert (found.title if found else None) == title


# ------------------------------------------------------------------ answerers


def test_answerers_run_in_policy_order_and_search_comes_last():
    names = [name for name, _ in ANSWERERS]
    assert names[-1] == "search"
    assert names.index("reference") < names.index("office_reverse") < names.index("out_of_scope") \
        < names.index("indicator") < names.index("overview")


@pytest.mark.parametrize("question, answerer", [
    ("二(九)2讲的是什么？", "reference"),
    ("省知识产权局负责哪些任务？", "office_reverse"),
    ("申请专利的办理电话是多少？", "out_of_scope"),
    ("主要任务有哪些？", "overview"),
    ("哪个部门负责知识产权质押融资？", "search"),
])
def test_every_answer_records_which_answerer_decided_it(hash_engine, question, answerer):
    a = hash_engine.ask(question)
    assert a.decision is not None and a.decision.answerer == answerer
    assert a.to_json()["decision"]["answerer"] == answerer


def test_a_search_answer_records_the_not_found_rule_features_and_thresholds(hash_engine):
    a = hash_engine.ask("哪个部门负责知识产权质押融资？")
    f = a.decision.features
    assert set(f) == {"coverage", "dense", "latin"} and 0.0 <= f["coverage"] <= 1.0
    assert a.found == bool(a.decision.crossed)


def test_the_document_whose_clause_holds_the_questions_words_wins_a_near_tie_in_meaning():
    """Two documents of one field: by meaning the plan is a hair closer, but only the notice
    holds the words the question quotes, so the notice answers."""
    from qa.dense import DenseIndex

    def leaf(doc, cid, text):
        return Clause(id=f"{doc}:{cid}", doc_id=doc, path=(cid,), title=cid, text=text, kind="item")
    clauses = [leaf("plan", "1", "加强知识产权保护"), leaf("plan", "2", "发展知识产权服务"), leaf("plan", "3", "培育人才"),
               leaf("notice", "1", "知识产权审判三合一"), leaf("notice", "2", "推广专利保险"), leaf("notice", "3", "科技金融")]
    tokens = [["知识产权", "保护"], ["知识产权", "服务"], ["培育", "人才"],
              ["知识产权", "审判", "三合一"], ["专利", "保险"], ["科技", "金融"]]
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.1, 0.9], [0.99, 0.14], [0.0, 1.0], [0.2, 0.8]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    r = Retriever(clauses, SparseBM25.fit(tokens, groups=[c.doc_id for c in clauses]), DenseIndex(vectors))
    question, vector = ["三合一", "审判"], np.array([1.0, 0.0], dtype=np.float32)
    assert r.rank(question, vector, Settings(doc_coverage_lead=0.0))[0][0] in (0, 1)   # the plan, by meaning
    assert r.rank(question, vector, Settings())[0][0] == 3                          # the notice, by its words
