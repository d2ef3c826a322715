"""Sentence-level evidence: BM25 over each clause's sentences, its best sentence added to the clause.

Why: a clause of running text (a State Council opinion's (二)明确部门职责分工, say) holds five
tasks in five sentences. A question about one of them shares four rare words with one sentence,
but against the whole clause those words are diluted by its length, and a shorter clause that
merely mentions two of them wins. Scoring each sentence as a passage of its own and adding the
best to the clause's score (passage-level evidence, "max-passage") lets the sentence that says
what is asked carry its clause. The sentences keep their document's statistics, like the clauses.

The index is built with the clause index (tokenising is the cost: done once, at build time) and
read by every retriever, local or remote: it is evidence about candidates, not a search.

>>> sentences("各地要建立机制。财政部门负责资金；教育部门负责培训")
['各地要建立机制。', '财政部门负责资金；', '教育部门负责培训']
>>> idx = SentenceIndex.fit([["甲", "乙"], ["丙"], ["丁"]], clause_of=[0, 0, 1])  # clause 0: two sentences
>>> (idx.best(["丙"], 2) > 0).tolist(), (idx.best(["丁"], 2) > 0).tolist()
([True, False], [False, True])
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .bm25 import SparseBM25

SENTENCE = re.compile(r"[^。；;！!？?]+[。；;！!？?]?")
PREFIX = "sent"


def sentences(text: str) -> list[str]:
    """The sentences of a text, each with its closing mark; blank pieces dropped."""
    return [s for s in SENTENCE.findall(text) if s.strip()]


class SentenceIndex:
    """BM25 over sentences; `clause_of[row]` is the position (retriever row) of the sentence's clause."""

    def __init__(self, bm25: SparseBM25, clause_of: np.ndarray):
        self.bm25 = bm25
        self.clause_of = clause_of

    @classmethod
    def fit(cls, token_lists, clause_of, groups=None) -> "SentenceIndex":
        """`token_lists`: one per sentence; `groups`: the document of each sentence (own statistics)."""
        return cls(SparseBM25.fit(token_lists, groups=groups), np.asarray(clause_of, dtype=np.int64))

    def best(self, tokens: list[str], n_clauses: int) -> np.ndarray:
        """The BM25 score of each clause's best sentence for the question's `tokens`."""
        out = np.zeros(n_clauses)
        scores = self.bm25.scores(tokens)
        hit = np.flatnonzero(scores)
        if len(hit):
            np.maximum.at(out, self.clause_of[hit], scores[hit])
        return out

    def save(self, folder: Path) -> None:
        self.bm25.save(folder, PREFIX)
        np.save(folder / f"{PREFIX}_clause_of.npy", self.clause_of, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "SentenceIndex":
        return cls(SparseBM25.load(folder, PREFIX),
                   np.load(folder / f"{PREFIX}_clause_of.npy", allow_pickle=False).astype(np.int64))
