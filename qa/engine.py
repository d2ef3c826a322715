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

from .bm25 import idf_of
from .corpus import Corpus, load_corpus
from .embed import EmbedderError, UnknownEmbedder, make_embedder
from .errors import QuestionError
from . import answer as compose
from . import context
from .intents import Situation, decide
from .outline import Outline
from .question import check_top_k, clean_question, strip_tags
from .records import Answer, Clause, Decision, Hit, Query
from .retrieval import Retriever
from .scope import PERIOD, Scope
from .settings import Settings
from .store import Built, StaleIndex, build, load
from .textnorm import sanitize
from .typos import PinyinCorrector

_UNIT = re.compile(r"\(.*?\)")
TURN_CACHE = 512     # previous turns kept answered; oldest out first
VECTOR_CACHE = 1024  # question embeddings kept; oldest out first


def _turns(history) -> tuple[str, ...]:
    """The earlier user turns as a tuple of strings; anything else in the list is no turn.

    >>> _turns(["二(十)1讲的是什么？", None, "", 3])
    ('二(十)1讲的是什么？',)
    """
    if isinstance(history, str):
        history = [history]
    return tuple(h for h in (history or ()) if isinstance(h, str) and h.strip())


class Engine:
    def __init__(self, corpus: Corpus, built: Built, embedder, settings: Settings = Settings(), log=None,
                 segmenter=None, retriever=None):
        self.corpus = corpus
        self.settings = settings
        self.embedder = embedder if built.dense is not None else None
        self.dense = built.dense
        self.segmenter = segmenter or corpus.segmenter()
        self.offices = corpus.offices
        self.log = log
        self.outline = Outline(built.clauses, {d.doc_id: d.title for d in corpus.documents})
        # a backend other than local brings its own retriever (qa/backends): same maths, its search
        self.retriever = retriever or Retriever([built.clauses[i] for i in built.searchable], built.bm25, built.dense)
        corpus_text = "".join(c.text for c in built.clauses)
        self.typos = PinyinCorrector(self.segmenter.user_words, corpus_text)
        english_names = [n for o in self.offices.offices.values() for n in o.english]
        home = corpus.home_words()  # the documents' own region and period, named in their titles
        self.scope = Scope(corpus_text, self.offices.all_names() + [w for w in home if not w.isascii()],
                           english_names + sorted(self.segmenter.english_words()) + [w for w in home if w.isascii()],
                           built.bm25.vocab)
        # indicator names are segmented once here, not per question
        self._indicator_names = {
            row.id: {t: max(idf_of(built.bm25, t), 0.1) for t in self.segmenter.tokens(_UNIT.sub("", row.title))}
            for row in self.outline.indicators}
        self._own_periods = tuple(dict.fromkeys(PERIOD.findall(" ".join(self.outline.titles.values()))))
        self._turns: dict = {}   # (earlier turns, top_k, filters, settings) → context.Turn
        self._vectors: dict = {}  # question text → its embedding

    # ---------------------------------------------------------------- construction
    @classmethod
    def open(cls, corpus_dir="corpus", index_dir="index", embedder_spec: str | None = None,
             settings: Settings = Settings(), log=sys.stderr, rebuild: bool = False, backend=None) -> "Engine":
        """Load the index, rebuilding it (with one line of explanation) when it is stale; with a
        Milvus `backend` (qa.backends.Backend), also publish it there when Milvus lacks this build."""
        corpus = load_corpus(Path(corpus_dir))
        for warning in corpus.warnings:
            _say(log, f"warning: {warning}")
        try:
            embedder = make_embedder(embedder_spec)
        except UnknownEmbedder:
            raise  # a typo is refused, never turned into a BM25-only rebuild
        except EmbedderError as exc:
            _say(log, f"warning: {exc}; answering from BM25 and the plan's structure only")
            embedder = None
        built, segmenter = None, corpus.segmenter()
        if not rebuild:
            try:
                built = load(Path(index_dir), corpus, embedder, vectors=backend is None or backend.is_local)
            except StaleIndex as exc:
                _say(log, f"index: {exc}; rebuilding")
        if built is None:
            built = build(corpus, Path(index_dir), embedder, segmenter, stream=log)
        retriever = None
        if backend is not None and not backend.is_local:
            from .backends.remote import attach
            retriever = attach(backend, built, Path(index_dir), log, rebuild)
        return cls(corpus, built, embedder, settings, log, segmenter, retriever)

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
            qid: str | None = None, history=()) -> Answer:
        """Answer one question; raises QuestionError (a code and its params) for input that is
        not a question.

        `history` is the earlier user turns of the same conversation, oldest first: a follow-up
        (它的责任单位？ 那2016年呢？ 下一条) is read in their context (qa/context.py) and the answer
        says how; a complete question ignores them. The same question with the same history
        always gets the same answer: no state is kept between calls but a bounded cache.
        """
        check_top_k(top_k)
        text = strip_tags(clean_question(question))
        office_filter = self._office_filter(office)
        raw = sanitize(question)
        turn = self._previous_turn(_turns(history), top_k, office, part)
        reading = context.read(text, turn, self.segmenter, self.offices, self.outline, self._indicator_names,
                               self.retriever.bm25.vocab)
        if reading is None:
            result = self._answer(raw, text, top_k, office_filter, part)
        elif reading.pattern == "no_context":  # 它的责任单位？ with nothing before it
            result = Answer(raw, False, "clause", compose.NO_CONTEXT, decision=Decision("no_context"))
        elif reading.question is None:  # a clause fixed by the conversation
            result = self._in_context(raw, reading, turn, top_k)
        else:
            result = self._answer(reading.question, reading.question, top_k, office_filter, part)
            result = compose.read_in_context(result, raw, reading.question, reading.context_ids)
        return result if qid is None else replace(result, id=qid)

    def _in_context(self, raw: str, reading: context.Reading, turn: context.Turn, top_k: int) -> Answer:
        """The answer about a clause the conversation points at (its offices, text or place, the
        next one, the next best): no search. Past the end of a list it says so; the next best
        after a refusal is still only a reference."""
        decision = Decision(reading.pattern)
        if reading.clause is None:
            return replace(compose.clause_aspect_answer(raw, None, reading.aspect, []),
                           decision=decision, context_ids=reading.context_ids)
        if reading.pattern == "more" and not turn.answer.found:
            return replace(compose.not_found(raw, "clause", [Hit(reading.clause, 1.0)]),
                           decision=decision, context_ids=reading.context_ids)
        others = list(turn.answer.hits[1:top_k]) if reading.pattern == "same_clause" else []
        result = compose.clause_aspect_answer(raw, reading.clause, reading.aspect, others,
                                              self.outline.children(reading.clause))
        return compose.read_in_context(replace(result, decision=decision), raw, reading.describe(),
                                       reading.context_ids)

    def _answer(self, raw: str, text: str, top_k: int, office: str | None, part: str | None) -> Answer:
        """One question on its own: the answerers decide."""
        situation = Situation(self.query(raw, text), top_k, self.retriever.mask(office, part), self.settings,
                              self.outline, self.retriever, self.offices, self.segmenter, self.scope,
                              self._indicator_names, self._own_periods)
        name, result = decide(situation)
        return result if result.decision is not None else replace(result, decision=Decision(name))

    def _previous_turn(self, turns: tuple[str, ...], top_k: int, office, part) -> context.Turn | None:
        """The previous user turn, answered in its own context (cached: in a chat it was just
        answered with the same history, so a follow-up costs about one answer)."""
        if not turns:
            return None
        key = (turns[-context.MAX_TURNS:], top_k, office, part, self.settings)
        turn = self._turns.get(key)
        if turn is None:
            *earlier, last = key[0]
            try:
                answer = self.ask(last, top_k, office, part, history=tuple(earlier))
            except QuestionError:
                return None  # an earlier turn that was no question gives no context
            turn = context.Turn(answer.resolved_question or strip_tags(clean_question(last)), answer)
            if len(self._turns) >= TURN_CACHE:
                self._turns.pop(next(iter(self._turns)))
            self._turns[key] = turn
        return turn

    def embed_query(self, text: str) -> np.ndarray | None:
        """The question's vector; recent ones are kept, since a conversation sends its earlier
        turns with every question and those are read again for context."""
        if self.embedder is None:
            return None
        vector = self._vectors.get(text)
        if vector is None:
            vector = self.embedder.queries([text])[0]
            vector.flags.writeable = False
            if len(self._vectors) >= VECTOR_CACHE:
                self._vectors.pop(next(iter(self._vectors)))
            self._vectors[text] = vector
        return vector

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
            raise QuestionError("question.unknown_office", office=str(office))
        return canon


def _say(log, line: str) -> None:
    if log is not None:
        print(line, file=log, flush=True)
