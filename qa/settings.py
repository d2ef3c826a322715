"""Every tunable number of the engine, named, in one frozen record.

Why one record: the evaluation compares configurations (`python -m qa eval` runs the ablations,
`--sweep` the fusion, `--calibrate` the not-found rule) by replacing fields, and a threshold
that hides as a bare number in a function cannot be compared or calibrated. Each field says
where its value came from.

Example:
>>> Settings(mode="bm25").mode
'bm25'
"""
from __future__ import annotations

from dataclasses import dataclass

MODES = ("bm25", "dense", "hybrid", "full")
FUSIONS = ("weighted", "rrf")


@dataclass(frozen=True)
class Settings:
    """Retrieval and decision settings; `mode` selects the ablations compared by `python -m qa eval`.

    mode: "full" (routing + structure + hybrid), "hybrid", "bm25" or "dense" (retrieval only).
    """

    mode: str = "full"
    # fusion of BM25 and dense scores
    fusion: str = "weighted"      # "weighted" (min-max normalised sum) or "rrf"
    dense_weight: float = 0.3     # chosen by `python -m qa eval --sweep`
    rrf_k: int = 60
    sentence_weight: float = 2.0  # BM25 of a clause's best sentence, added to the clause's (qa/passages.py)
    candidates: int = 200         # best of each ranking kept before fusing (partial sort)
    # documents: a question naming a document by a word of its title prefers that document's clauses
    named_doc_boost: float = 0.15     # on fused scores (choosing the document without vectors)
    named_doc_lead: float = 0.025     # on dense similarity, when the document is chosen by meaning
    doc_coverage_lead: float = 0.03   # × the question's coverage by a document's best BM25 clause, likewise
    doc_contenders: int = 5           # at most this many documents are read for that coverage
    doc_close: float = 0.02           # a document this close to the chosen one shows its best clause second
    # a clause lacking the figure asked for gives way to a runner-up of its document that has it
    figure_runner_ups: int = 3
    figure_runner_up_share: float = 0.8
    # the not-found rule, calibrated by `python -m qa eval --calibrate`
    min_coverage: float = 0.32
    min_dense: float = 0.86
    cross_lingual_gap: float = 0.12   # e5 scores a Latin-script question against Chinese lower (~0.76 vs ~0.89)
    # how question terms weigh in coverage
    min_term_weight: float = 0.05
    lone_char_weight: float = 0.3     # a single character says little
    unknown_latin_weight: float = 0.3  # an English word the glossary could not translate: the dense model judges it
    # office questions: a word this rare (idf) beside the office name makes it a topic question
    office_topic_idf: float = 1.0
    # indicator rows: how much of the row's name the question must contain, by the row's rank
    indicator_name_at_top: float = 0.2
    indicator_name_near: float = 0.34
    indicator_name_far: float = 0.6
    indicator_near_rank: int = 2      # ranks 0..near_rank count as near
    indicator_elsewhere_df: int = 3   # a question word the row lacks, held by at most this many other clauses

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"mode {self.mode!r} is not one of {', '.join(MODES)}")
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion {self.fusion!r} is not weighted or rrf")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must lie between 0 and 1")
        if self.sentence_weight < 0:
            raise ValueError("sentence_weight must not be negative")
        if self.doc_contenders < 1:
            raise ValueError("doc_contenders must be at least 1")
        if self.candidates < 1:
            raise ValueError("candidates must be at least 1")
