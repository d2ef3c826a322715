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

from .actors import sentence_offices
from .bm25 import idf_of
from .catalogue import catalogue_of, level_asked
from .corpus import Corpus, document_level, home_words, load_corpus
from .embed import EmbedderError, UnknownEmbedder, make_embedder
from .errors import QuestionError
from . import answer as compose
from . import context, dictcache
from .intents import Situation, decide
from .intents.cues import LEAD_CUES, has_any
from .offices import outermost
from .outline import Outline
from .question import check_top_k, clean_question, strip_tags
from .records import Answer, Clause, Decision, Hit, Query
from .retrieval import Retriever
from .scope import PERIOD, Scope
from .settings import Settings
from .store import Built, StaleIndex, build, load
from .textnorm import sanitize
from .typos import PinyinCorrector, question_word_slip

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
        titles = {d.doc_id: d.title for d in corpus.documents}
        self.outline = Outline(built.clauses, titles)
        self.catalogue = catalogue_of(corpus.documents, built.clauses, self.segmenter)
        self.doc_outlines = ({d: Outline([c for c in built.clauses if c.doc_id == d], titles) for d in titles}
                             if len(titles) > 1 else {})
        # a backend other than local brings its own retriever (qa/backends): same maths, its search
        self.retriever = retriever or Retriever([built.clauses[i] for i in built.searchable], built.bm25, built.dense,
                                                  built.sentences)
        self._meta = {d.doc_id: " ".join(filter(None, (d.title, getattr(d, "number", ""))))
                      for d in corpus.documents}   # a document's title and number count as its text
        corpus_text = "".join(c.text for c in built.clauses) + "\n".join(self._meta.values())
        self.typos = PinyinCorrector(self.segmenter.user_words, corpus_text)
        english_names = [n for o in self.offices.offices.values() for n in o.english]
        self._english_names = english_names + sorted(self.segmenter.english_words())
        home = corpus.home_words()  # the documents' own region and period, named in their titles
        self.scope = Scope(corpus_text, self.offices.all_names() + [w for w in home if not w.isascii()],
                           english_names + sorted(self.segmenter.english_words()) + [w for w in home if w.isascii()],
                           built.bm25.vocab)
        # indicator names are segmented once here, not per question
        position = {c.id: j for j, c in enumerate(self.retriever.clauses)}
        self._indicator_names = {   # weighed within the row's own document
            row.id: {t: max(idf_of(built.bm25, t, self.retriever.group_of(position.get(row.id))), 0.1)
                     for t in self.segmenter.tokens(_UNIT.sub("", row.title))}
            for row in self.outline.indicators}
        self.doc_scopes = self._doc_scopes(built.bm25)
        self._issuers = {d.doc_id: getattr(d, "issuer", "") or "" for d in corpus.documents}
        self._levels = {d.doc_id: document_level(d, self.offices) for d in corpus.documents}
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
        dictcache.load(index_dir, log)  # jieba's dictionary from the index's cache: ~0.5 s sooner
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
            qid: str | None = None, history=(), doc: str | None = None) -> Answer:
        """Answer one question; raises QuestionError (a code and its params) for input that is
        not a question.

        `history` is the earlier user turns of the same conversation, oldest first: a follow-up
        (它的责任单位？ 那2016年呢？ 下一条) is read in their context (qa/context.py) and the answer
        says how; a complete question ignores them. The same question with the same history
        always gets the same answer: no state is kept between calls but a bounded cache.
        `doc` keeps the answer inside one document (its file name, number or title).
        """
        check_top_k(top_k)
        text = strip_tags(clean_question(question))
        office_filter = self._office_filter(office)
        doc_filter = self._doc_filter(doc)
        raw = sanitize(question)
        turn = self._previous_turn(_turns(history), top_k, office, part, doc_filter)
        reading = context.read(text, turn, self.segmenter, self.offices, self.outline, self._indicator_names,
                               self.retriever.bm25.vocab)
        if reading is None:
            result = self._answer(raw, text, top_k, office_filter, part, doc_filter)
        elif reading.pattern == "no_context":  # 它的责任单位？ with nothing before it
            result = Answer(raw, False, "clause", compose.NO_CONTEXT, decision=Decision("no_context"))
        elif reading.question is None:  # a clause fixed by the conversation
            result = self._in_context(raw, reading, turn, top_k)
        else:
            # a follow-up stays in the document of the answer it follows, unless it names another
            same_doc = doc_filter or self._followed_document(reading.question, turn)
            result = self._answer(reading.question, reading.question, top_k, office_filter, part, same_doc)
            result = compose.read_in_context(result, raw, reading.question, reading.context_ids)
        result = compose.name_documents(result, self.outline.titles)
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
        lead = has_any(raw, LEAD_CUES)
        offices = None
        if reading.aspect == "offices" and reading.clause.offices_in_text:  # the sentence the talk is about
            offices = sentence_offices(reading.clause.text, self.segmenter.tokens(turn.question), self.offices,
                                       self._issuers.get(reading.clause.doc_id, ""), question=turn.question, lead=lead)
        result = compose.clause_aspect_answer(raw, reading.clause, reading.aspect, others,
                                              self.outline.children(reading.clause), lead, offices)
        return compose.read_in_context(replace(result, decision=decision), raw, reading.describe(),
                                       reading.context_ids)

    def _answer(self, raw: str, text: str, top_k: int, office: str | None, part: str | None,
                doc: str | None = None) -> Answer:
        """One question on its own: the answerers decide, inside the documents a filter or the
        question itself names (by number, title, or an abbreviation the document defines), and
        preferring those it names by a subject word of their title."""
        q = self.query(raw, text)
        docs, named, titled = self._documents_in_play(q.lowered, doc, q.offices)
        library = self.doc_outlines.get(docs[0], self.outline) if len(docs) == 1 else self.outline
        situation = Situation(q, top_k, self.retriever.mask(office, part, docs),
                              self.settings, library, self.retriever, self.offices, self.segmenter, self.scope,
                              self._indicator_names, self._own_periods, named, self.doc_outlines,
                              self.doc_scopes, self._issuers, self.catalogue.names, self._levels, titled)
        name, result = decide(situation)
        return result if result.decision is not None else replace(result, decision=Decision(name))

    def _without_offices(self, text: str, offices) -> str:
        """The text without the names of the offices it names: 知识产权局 or 教育部 names an
        office, not a document whose title says 知识产权 or 教育."""
        for canon in offices:
            office = self.offices.get(canon)
            for name in sorted(office.names() if office else (canon,), key=len, reverse=True):
                if len(name) >= 2:
                    text = text.replace(name.lower(), " ")
        return text

    def _documents_in_play(self, text: str, doc: str | None, offices=()) -> tuple[tuple[str, ...], ...]:
        """(documents the answer must come from, documents to prefer, those of them named by a
        title word or phrase): a filter's document; else the documents the question names exactly;
        else none, preferring the documents it names by a word of their title (not inside an
        office's name: 教育部), by their kind (这个规划) or by the level it says (国家层面)."""
        if doc is not None:
            return (doc,), (), ()
        if len(self.catalogue) < 2 or self.settings.mode != "full":
            return (), (), ()
        exact = self.catalogue.named_exactly(text) or self.catalogue.only_of_kind(text)
        if exact:
            return exact, (), ()
        text = self._without_offices(text, offices)
        titled = self.catalogue.named_in(text)
        level = level_asked(text)   # 国家层面这事谁管: the national documents lead
        at_level = [d for d, lv in self._levels.items() if lv == level] if level else []
        if len(at_level) == len(self._levels):
            at_level = []
        return (), tuple(dict.fromkeys((*titled, *self.catalogue.of_kind(text), *at_level))), titled

    def _previous_turn(self, turns: tuple[str, ...], top_k: int, office, part, doc=None) -> context.Turn | None:
        """The previous user turn, answered in its own context (cached: in a chat it was just
        answered with the same history, so a follow-up costs about one answer)."""
        if not turns:
            return None
        key = (turns[-context.MAX_TURNS:], top_k, office, part, doc, self.settings)
        turn = self._turns.get(key)
        if turn is None:
            *earlier, last = key[0]
            try:
                answer = self.ask(last, top_k, office, part, history=tuple(earlier), doc=doc)
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
        repaired = self.typos.correct(question_word_slip(text))
        plain = self.segmenter.plain_wording(repaired)  # cue words are looked for in both
        lowered = repaired.lower() + " | " + plain
        tokens = tuple(self.segmenter.tokens(repaired))
        vector = self.embed_query(repaired) if self.settings.mode != "bm25" else None
        offices = self.offices.find_in(text) or self.offices.find_in(lowered)
        written = [o for o in self.outline.offices_written_in(text) if self.offices.canonical(o) is None]
        if written:  # 国务院教育行政部门 as the document writes it, not the 国务院 inside it
            offices = written + [o for o in offices if not any(o in w for w in written)]
        # "the State Council Education Supervision Committee (国务院教育督导委员会)": the committee, not 国务院
        return Query(raw, repaired, lowered, tokens, vector, outermost(offices), plain)

    def _doc_scopes(self, bm25) -> dict[str, Scope]:
        """What each document can answer (the places, years and periods it names, the kinds of
        answer it gives), judged like the corpus-wide `scope` but on that document alone."""
        if not self.doc_outlines:
            return {}
        rows = bm25.weights.tocsr()
        positions: dict[str, list[int]] = {}
        for j, c in enumerate(self.retriever.clauses):
            positions.setdefault(c.doc_id, []).append(j)
        names = self.scope.names.split("\n")
        scopes = {}
        for d, outline in self.doc_outlines.items():
            title = outline.titles.get(d, "")
            terms = set(rows[positions.get(d, [])].indices.tolist())
            vocab = {t: j for t, j in bm25.vocab.items() if j in terms}
            home = [w for w in home_words([title]) if w.isascii()]
            text = "".join(c.text for c in outline.clauses) + self._meta.get(d, title)
            scopes[d] = Scope(text, names, self._english_names + home, vocab)
        return scopes

    def _followed_document(self, question: str, turn) -> str | None:
        """The document a rewritten follow-up stays in: that of the answer it follows, in a
        library, unless the follow-up names a document of its own."""
        if len(self.catalogue) < 2 or turn is None or not turn.answer.hits:
            return None
        if self.catalogue.named_exactly(question) or self.catalogue.only_of_kind(question):
            return None
        return turn.answer.hits[0].clause.doc_id

    def _doc_filter(self, doc: str | None) -> str | None:
        """The document id a `doc` filter names (file name, number or title); unknown: refused."""
        if doc is None or not str(doc).strip():
            return None
        found = self.catalogue.resolve(str(doc))
        if found is None:
            raise QuestionError("question.unknown_doc", doc=str(doc))
        return found

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
