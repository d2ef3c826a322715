"""The question-answering engine: question in, `Answer` out.

Flow: validate → fold and repair typos → build the `Query` (tokens, embedding, offices named) →
let the answerers of `qa.intents` decide, in order, with the outline doing the exact work
(clause numbers, offices, the indicator table, headings) and the retriever the fuzzy work
(BM25 + dense, fused) → an `Answer` that quotes the documents and records its `Decision`.
The engine only wires the parts together: the maths is `qa.retrieval`, the structure
`qa.outline`, the decisions `qa.intents`. No generative model: every answer quotes the plan.
"""
from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from . import answer as compose
from .bm25 import idf_of
from .corpus import Corpus, load_corpus
from .embed import EmbedderError, make_embedder
from .intents import Situation, decide
from .outline import Outline
from .records import Answer, Clause, Decision, Query
from .retrieval import Retriever
from .scope import PERIOD, Scope
from .settings import Settings
from .store import Built, StaleIndex, build, load
from .textnorm import fold, sanitize, squeeze
from .typos import PinyinCorrector

MAX_QUESTION_CHARS = 500
_TAGS = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)|<[^>]{0,200}>", re.I | re.S)
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_UNIT = re.compile(r"\(.*?\)")


class QuestionError(ValueError):
    """The question cannot be asked as it is; the message says what to change."""


def clean_question(question) -> str:
    """Validate and tidy a question; raises QuestionError with advice.

    Example: clean_question("  哪个部门负责专利？ ") == "哪个部门负责专利?"
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    clean = sanitize(question)
    if "\ufffd" in clean:
        raise QuestionError("the question has bytes that are not UTF-8 text (wrong encoding?); "
                            "type it again or save it as UTF-8")
    text = squeeze(fold(clean).replace("\n", " "))
    if not text:
        raise QuestionError("the question is empty; type a question about the plan")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is {len(text)} characters long; keep it under "
                            f"{MAX_QUESTION_CHARS} characters")
    return text


class Engine:
    def __init__(self, corpus: Corpus, built: Built, embedder, settings: Settings = Settings(), log=None,
                 segmenter=None):
        self.corpus = corpus
        self.settings = settings
        self.embedder = embedder if built.dense is not None else None
        self.dense = built.dense
        self.segmenter = segmenter or corpus.segmenter()
        self.offices = corpus.offices
        self.log = log
        self.outline = Outline(built.clauses, {d.doc_id: d.title for d in corpus.documents})
        self.retriever = Retriever([built.clauses[i] for i in built.searchable], built.bm25, built.dense)
        corpus_text = "".join(c.text for c in built.clauses)
        self.typos = PinyinCorrector(self.segmenter.user_words, corpus_text)
        english_names = [n for o in self.offices.offices.values() for n in o.english]
        self.scope = Scope(corpus_text, self.offices.all_names(),
                           english_names + sorted(self.segmenter.english_words()), built.bm25.vocab)
        # indicator names are segmented once here, not per question
        self._indicator_names = {
            row.id: {t: max(idf_of(built.bm25, t), 0.1) for t in self.segmenter.tokens(_UNIT.sub("", row.title))}
            for row in self.outline.indicators}
        self._own_periods = tuple(dict.fromkeys(PERIOD.findall(" ".join(self.outline.titles.values()))))

    # ---------------------------------------------------------------- construction
    @classmethod
    def open(cls, corpus_dir="corpus", index_dir="index", embedder_spec: str | None = None,
             settings: Settings = Settings(), log=sys.stderr, rebuild: bool = False) -> "Engine":
        """Load the index, rebuilding it (with one line of explanation) when it is stale."""
        corpus = load_corpus(Path(corpus_dir))
        for warning in corpus.warnings:
            _say(log, f"warning: {warning}")
        try:
            embedder = make_embedder(embedder_spec)
        except EmbedderError as exc:
            _say(log, f"warning: {exc}; answering from BM25 and the plan's structure only")
            embedder = None
        built, segmenter = None, corpus.segmenter()
        if not rebuild:
            try:
                built = load(Path(index_dir), corpus, embedder)
            except StaleIndex as exc:
                _say(log, f"index: {exc}; rebuilding")
        if built is None:
            built = build(corpus, Path(index_dir), embedder, segmenter, stream=log)
        return cls(corpus, built, embedder, settings, log, segmenter)

    def with_settings(self, settings: Settings) -> "Engine":
        """The same engine (same index, no copy) deciding with other settings."""
        other = object.__new__(Engine)
        other.__dict__.update(self.__dict__)
        other.settings = settings
        return other

    # ---------------------------------------------------------------- the structure, for surfaces
    @property
    def clauses(self) -> list[Clause]:
        return self.outline.clauses

    @property
    def by_id(self) -> dict[str, Clause]:
        return self.outline.by_id

    def children(self, clause: Clause | None) -> list[Clause]:
        return self.outline.children(clause)

    def office_clauses(self, office: str) -> list[Clause]:
        """Every clause naming an office (any alias), in plan order."""
        return self.outline.office_clauses(self.offices.canonical(office) or office)

    # ---------------------------------------------------------------- public API
    def ask(self, question, top_k: int = 5, office: str | None = None, part: str | None = None,
            qid: str | None = None) -> Answer:
        """Answer one question; raises QuestionError for input that is not a question."""
        if not isinstance(top_k, int) or not 1 <= top_k <= 50:
            raise QuestionError("top_k must be a whole number from 1 to 50")
        text = clean_question(question)
        office_filter = self._office_filter(office)
        stripped = squeeze(_TAGS.sub(" ", text))
        if not _CONTENT.search(stripped):
            return compose.nothing_to_search(sanitize(question), qid)
        query = self.query(sanitize(question), stripped)
        situation = Situation(query, top_k, self.retriever.mask(office_filter, part), self.settings,
                              self.outline, self.retriever, self.offices, self.segmenter, self.scope,
                              self._indicator_names, self._own_periods)
        name, result = decide(situation)
        if result.decision is None:
            result = replace(result, decision=Decision(name))
        return result if qid is None else replace(result, id=qid)

    def embed_query(self, text: str) -> np.ndarray | None:
        return self.embedder.queries([text])[0] if self.embedder is not None else None

    def query(self, raw: str, text: str) -> Query:
        """The question as every answerer sees it: repaired, in the documents' words, tokenised
        and embedded once."""
        repaired = self.typos.correct(text)
        plain = self.segmenter.plain_wording(repaired)  # cue words are looked for in both
        lowered = repaired.lower() + " | " + plain
        tokens = tuple(self.segmenter.tokens(repaired))
        vector = self.embed_query(repaired) if self.settings.mode != "bm25" else None
        offices = self.offices.find_in(text) or self.offices.find_in(lowered)
        return Query(raw, repaired, lowered, tokens, vector, tuple(offices), plain)

    def _office_filter(self, office: str | None) -> str | None:
        if office is None or not str(office).strip():
            return None
        canon = self.offices.canonical(str(office))
        if canon is None:
            raise QuestionError(f"unknown office {office!r}; choose one of the offices the plan names")
        return canon


def _say(log, line: str) -> None:
    if log is not None:
        print(line, file=log, flush=True)
