"""Sentence-level evidence (qa/passages.py): a long clause whose one sentence says what is asked
is carried by that sentence, and the index the build writes is the one a fresh fit gives."""
from __future__ import annotations

import numpy as np

from qa.bm25 import SparseBM25
from qa.passages import SentenceIndex, sentences
from qa.records import Clause
from qa.retrieval import Retriever
from qa.settings import Settings


def leaf(cid: str, text: str) -> Clause:
    return Clause(id=f"d:{cid}", doc_id="d", path=(cid,), title=cid, text=text, kind="item")


# a long clause of running text: five tasks, one of them the one asked about
LONG = leaf("一", "各地要建立考核制度，完善考核指标。国家卫生健康委要建设信息平台。教育部门要培养医学人才。"
                  "财政和医保部门要调整政府投入和医保政策。中医药局负责中医医院考核。")
SHORT = leaf("二", "调整医保政策。")
OTHERS = [leaf("三", "加强宣传引导，营造良好环境。"), leaf("四", "建立人才培养制度。"), leaf("五", "建设考核平台。"),
          leaf("六", "完善考核指标。")]
QUESTION = ["调整", "政府", "投入", "医保", "政策"]


def tokens(text: str) -> list[str]:
    """Whitespace-free fixture tokeniser: the question's words found in the text, in order."""
    words = ["考核", "制度", "指标", "信息", "平台", "医学", "人才", "调整", "政府", "投入", "医保", "政策",
             "中医", "医院", "宣传", "引导", "环境", "完善", "建立", "建设", "培养", "加强"]
    return [w for i in range(len(text)) for w in words if text.startswith(w, i)]


def retriever(clauses) -> Retriever:
    rows = [(p, s) for p, c in enumerate(clauses) for s in sentences(c.text)]
    index = SentenceIndex.fit([tokens(s) for _, s in rows], [p for p, _ in rows], ["d"] * len(rows))
    return Retriever(clauses, SparseBM25.fit([tokens(c.text) for c in clauses]), None, index)


def test_sentences_keep_their_closing_marks_and_drop_blank_pieces():
    assert sentences("甲要做A。乙要做B；丙做C！") == ["甲要做A。", "乙要做B；", "丙做C！"]
    assert sentences("没有句号") == ["没有句号"]
    assert sentences("") == []


def test_a_sentence_that_says_what_is_asked_carries_its_long_clause():
    r = retriever([LONG, SHORT, *OTHERS])
    without = r.rank(QUESTION, None, Settings(mode="bm25", sentence_weight=0.0))
    with_sentences = r.rank(QUESTION, None, Settings(mode="bm25"))
    assert without[0][0] == 1          # the short clause wins on its length alone
    assert with_sentences[0][0] == 0   # the sentence holding every word wins it back


def test_best_sentence_is_the_maximum_over_a_clause_not_the_sum():
    index = SentenceIndex.fit([["医保"], ["医保"], ["宣传"], ["医保"], ["考核"], ["平台"], ["人才"]],
                              [0, 0, 1, 2, 3, 3, 3], ["d"] * 7)
    best = index.best(["医保"], 4)
    assert best[0] == best[2] > 0 and best[1] == best[3] == 0


def test_sentences_of_another_document_keep_their_own_statistics():
    alone = SentenceIndex.fit([["医保", "政策"], ["宣传"]], [0, 1], ["a", "a"]).best(["医保"], 2)
    beside = SentenceIndex.fit([["医保", "政策"], ["宣传"], ["医保"], ["医保"]], [0, 1, 2, 3],
                               ["a", "a", "b", "b"]).best(["医保"], 4)
    assert np.array_equal(alone, beside[:2])


def test_without_a_sentence_index_ranking_is_the_clause_bm25_alone():
    clauses = [LONG, SHORT, *OTHERS]
    plain = Retriever(clauses, SparseBM25.fit([tokens(c.text) for c in clauses]), None)
    assert plain.rank(QUESTION, None, Settings(mode="bm25"))[0][0] == 1


def test_the_best_sentences_of_the_last_question_are_read_once():
    r = retriever([LONG, SHORT, *OTHERS])
    calls = []
    real = r.sentences.best
    r.sentences.best = lambda tokens, n: calls.append(tuple(tokens)) or real(tokens, n)
    first = r.best_sentences(QUESTION)
    again = r.best_sentences(QUESTION)
    assert calls == [tuple(QUESTION)] and first is again
    r.best_sentences(["医保"])
    assert calls == [tuple(QUESTION), ("医保",)]
