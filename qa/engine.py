"""The question-answering engine: question in, `Answer` out.

Flow: validate → fold and repair typos → route the intent → let the structure do the exact work
(clause numbers, offices, the indicator table, the outline) and hybrid retrieval the fuzzy work
(BM25 + dense, fused) → decide whether the plan answers at all → compose a quoted answer.
No generative model: every answer quotes the plan.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import answer as compose
from . import route
from .bm25 import idf_of
from .corpus import Corpus, load_corpus
from .embed import EmbedderError, make_embedder
from .records import Answer, Clause, Hit
from .store import Built, StaleIndex, build, index_text, load
from .textnorm import fold, sanitize, squeeze
from .scope import Scope
from .typos import PinyinCorrector

MAX_QUESTION_CHARS = 500
_TAGS = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)|<[^>]{0,200}>", re.I | re.S)
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


class QuestionError(ValueError):
    """The question cannot be asked as it is; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    """Retrieval settings; `mode` selects the ablations compared by `python -m qa eval`.

    mode: "full" (routing + structure + hybrid), "hybrid", "bm25" or "dense" (retrieval only).
    """

    mode: str = "full"
    fusion: str = "weighted"      # "weighted" (min-max normalised sum) or "rrf"
    dense_weight: float = 0.3     # chosen by `python -m qa eval --sweep`
    rrf_k: int = 60
    candidates: int = 200
    min_coverage: float = 0.32    # not-found rule, calibrated by `python -m qa eval --calibrate`
    min_dense: float = 0.86
    cross_lingual_gap: float = 0.12
    modes = ("bm25", "dense", "hybrid", "full")

    def __post_init__(self):
        if self.mode not in self.modes:
            raise ValueError(f"mode {self.mode!r} is not one of {', '.join(self.modes)}")
        if self.fusion not in ("weighted", "rrf"):
            raise ValueError(f"fusion {self.fusion!r} is not weighted or rrf")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must lie between 0 and 1")


@dataclass
class Query:
    """One question as every stage sees it."""

    raw: str
    text: str                     # folded, tags removed, typos repaired
    lowered: str                  # text + " | " + plain: cue words are looked for in both
    tokens: list[str]
    vector: np.ndarray | None
    offices: list[str] = field(default_factory=list)
    plain: str = ""               # in the plan's words: regional and English glossary terms replaced
    features: tuple | None = None  # set when the answer came down to the not-found rule


def clean_question(question) -> str:
    """Validate and tidy a question; raises QuestionError with advice.

    Example: clean_question("  哪个部门负责专利？ ") == "哪个部门负责专利？"
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
        self.clauses: list[Clause] = built.clauses
        self.by_id = {c.id: c for c in self.clauses}
        self.searchable = np.asarray(built.searchable, dtype=np.int64)
        self.bm25 = built.bm25
        self.dense = built.dense
        self.segmenter = segmenter or corpus.segmenter()
        self.offices = corpus.offices
        self.log = log
        self.indicators = [j for j, i in enumerate(built.searchable) if self.clauses[i].kind == "indicator"]
        # structure look-ups are built once: per question they must not walk every clause
        self._children: dict[str, list[Clause]] = {}
        self._by_office: dict[str, list[Clause]] = {}
        self._by_local: dict[str, Clause] = {}
        for c in self.clauses:
            parent = c.id.rsplit(".", 1)[0] if "." in c.id.split(":", 1)[1] else None
            if parent is not None:
                self._children.setdefault(parent, []).append(c)
            for name in c.departments:
                self._by_office.setdefault(name, []).append(c)
            self._by_local.setdefault(c.id.split(":", 1)[1], c)
        self._headings = sorted((c for c in self.clauses if c.kind in ("part", "section", "principle", "table")),
                                key=lambda c: -len(c.title))
        self._preamble = next((c for c in self.clauses if c.kind == "preamble"), None)
        self._heading_pieces = _heading_pieces(self._headings)
        corpus_text = "".join(c.text for c in self.clauses)
        self.typos = PinyinCorrector(self.segmenter.user_words, corpus_text)
        # a word the corpus never uses weighs like a typical word: named places, organisations and
        # years are judged by qa.scope; here an unknown word is more often a colloquial synonym
        df = np.diff(self.bm25.weights.indptr)
        n = self.bm25.n_docs
        self._oov_idf = float(np.median(np.log((n - df + 0.5) / (df + 0.5)).clip(min=0.05))) if len(df) else 1.0
        self._doc_tokens = {}
        english_names = [n for o in self.offices.offices.values() for n in o.english]
        self.scope = Scope(corpus_text, self.offices.all_names(),
                           english_names + sorted(self.segmenter.english_words()), self.bm25.vocab)

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
        other = object.__new__(Engine)
        other.__dict__.update(self.__dict__)
        other.settings = settings
        return other

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
        query = self._query(sanitize(question), stripped)
        mask = self._mask(office_filter, part)
        result = self._answer(query, top_k, mask)
        return result if qid is None else _with_id(result, qid)

    def office_clauses(self, office: str) -> list[Clause]:
        """Every clause naming an office (any alias), in plan order."""
        canon = self.offices.canonical(office) or office
        return list(self._by_office.get(canon, ()))

    def embed_query(self, text: str) -> np.ndarray | None:
        return self.embedder.queries([text])[0] if self.embedder is not None else None

    # ---------------------------------------------------------------- stages
    def _query(self, raw: str, text: str) -> Query:
        repaired = self.typos.correct(text)
        # cue words are looked for in both the question and its glossary translation
        plain = self.segmenter.plain_wording(repaired)
        lowered = repaired.lower() + " | " + plain
        tokens = self.segmenter.tokens(repaired)
        vector = self.embed_query(repaired) if self.settings.mode != "bm25" else None
        offices = self.offices.find_in(text) or self.offices.find_in(lowered)
        return Query(raw, repaired, lowered, tokens, vector, offices, plain)

    def _office_filter(self, office: str | None) -> str | None:
        if office is None or not str(office).strip():
            return None
        canon = self.offices.canonical(str(office))
        if canon is None:
            raise QuestionError(f"unknown office {office!r}; choose one of the offices the plan names")
        return canon

    def _mask(self, office: str | None, part: str | None) -> np.ndarray | None:
        if office is None and not part:
            return None
        keep = np.ones(len(self.searchable), dtype=bool)
        for j, i in enumerate(self.searchable):
            c = self.clauses[i]
            if office is not None and office not in c.departments:
                keep[j] = False
            if part and not (c.path and c.path[0].startswith(str(part))):
                keep[j] = False
        return keep

    def retrieve(self, query: Query, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Fused ranking of searchable clauses: [(position in searchable, score)], best first."""
        s = self.settings
        n = len(self.searchable)
        use_bm25 = s.mode != "dense"
        use_dense = s.mode != "bm25" and self.dense is not None and query.vector is not None
        bm = self.bm25.scores(query.tokens) if use_bm25 else np.zeros(n)
        if use_dense:
            if self.dense.exact:
                dn = self.dense.vectors @ query.vector
            else:
                ids, sims = self.dense.search(query.vector, s.candidates)
                dn = np.full(n, float(sims.min()) if len(sims) else 0.0)
                dn[ids] = sims
        else:
            dn = np.zeros(n)
        allowed = np.ones(n, dtype=bool) if mask is None else mask.copy()
        if not allowed.any():
            return []
        cand = np.flatnonzero(allowed)
        if len(cand) > s.candidates:  # partial sorts: O(n), not O(n log n)
            top_b = cand[np.argpartition(-bm[cand], s.candidates)[: s.candidates]]
            top_d = cand[np.argpartition(-dn[cand], s.candidates)[: s.candidates]]
            cand = np.union1d(top_b, top_d)
        if not use_dense:
            fused = bm[cand]
        elif not use_bm25:
            fused = dn[cand]
        elif s.fusion == "rrf":
            rb = np.argsort(np.argsort(-bm[cand]))
            rd = np.argsort(np.argsort(-dn[cand]))
            fused = (1 - s.dense_weight) / (s.rrf_k + rb + 1) + s.dense_weight / (s.rrf_k + rd + 1)
        else:
            b = bm[cand] / bm[cand].max() if bm[cand].max() > 0 else np.zeros(len(cand))
            d = dn[cand]
            lo = np.median(dn[allowed]) if allowed.sum() > 2 else d.min()
            d = np.clip((d - lo) / max(d.max() - lo, 1e-6), 0, None)
            fused = (1 - s.dense_weight) * b + s.dense_weight * d
        order = np.argsort(-fused, kind="stable")
        return [(int(cand[k]), float(fused[k])) for k in order]

    def coverage(self, query: Query, position: int) -> float:
        """Share of the question's term weight that one clause contains (idf-weighted).

        Terms the corpus never uses weigh as much as a typical corpus word; English words the
        glossary could not translate weigh little: the dense model judges those.
        """
        terms = list(dict.fromkeys(query.tokens))
        if not terms:
            return 0.0
        have = self._tokens_of(position)
        total = got = 0.0
        for t in terms:
            w = idf_of(self.bm25, t) if t in self.bm25.vocab else (0.3 if t.isascii() and t.isalpha() else self._oov_idf)
            w = max(w, 0.05) * (0.3 if len(t) == 1 else 1.0)  # a lone character says little
            total += w
            got += w if t in have else 0.0
        return got / total

    def _tokens_of(self, position: int) -> set[str]:
        toks = self._doc_tokens.get(position)
        if toks is None:
            toks = set(self.segmenter.tokens(index_text(self.clauses[self.searchable[position]])))
            self._doc_tokens[position] = toks
        return toks

    def _hits(self, ranked: list[tuple[int, float]], k: int) -> list[Hit]:
        return [Hit(self.clauses[self.searchable[p]], s) for p, s in ranked[:k]]

    # ---------------------------------------------------------------- intents
    def _answer(self, q: Query, k: int, mask) -> Answer:
        if self.settings.mode != "full":
            ranked = self.retrieve(q, mask)
            hits = self._hits(ranked, k)
            return compose.clause_answer(q.raw, "search", hits, True)
        text = q.lowered
        ref = route.clause_reference(text)
        if ref is not None:
            target = route.resolve_reference(ref, self._by_local)
            return compose.reference_answer(q.raw, target, self.children(target), k)
        asks_department = route.has_any(text, route.DEPARTMENT_CUES)
        asks_who = route.has_any(text, [c for c in route.DEPARTMENT_CUES if c not in route.WEAK_DEPARTMENT_CUES])
        outside = self.scope.outside(q.plain, q.text)
        if q.offices and not asks_who and outside is None and self._asks_about_office(q):
            return compose.office_answer(q.raw, q.offices[0], self.office_clauses(q.offices[0]),
                                         self.offices.get(q.offices[0]))
        ranked = self.retrieve(q, mask)
        if outside is not None:
            return compose.not_found(q.raw, "department" if asks_department else "clause",
                                     self._hits(ranked, k), reason=outside)
        if asks_department:  # only clauses that name offices can say who is responsible
            with_offices = [(p, sc) for p, sc in ranked if self.clauses[self.searchable[p]].departments]
            ranked = with_offices or ranked
        if not ranked:
            return compose.not_found(q.raw, "department" if asks_department else "search", [])
        indicator = self._indicator(q, ranked)
        if indicator is not None and not asks_department:
            row, column = indicator
            others = [h for h in self._hits(ranked, k + 1) if h.clause.id != row.id]
            return compose.indicator_answer(q.raw, row, column, others[: k - 1])
        container = None if asks_department else self._overview(q)
        if container is not None and container.has_children:
            return compose.overview_answer(q.raw, container, self.children(container), k)
        if container is not None:
            rest = [h for h in self._hits(ranked, k) if h.clause.id != container.id]
            return compose.clause_answer(q.raw, "overview", [Hit(container, 1.0)] + rest[: k - 1], True)
        if self._is_indicator(ranked[0][0]):  # a table row answers "how much", not "what does it say"
            ranked = sorted(ranked, key=lambda r: self._is_indicator(r[0]))
        hits = self._hits(ranked, k)
        intent = "department" if asks_department else "clause"
        q.features = self._features(q, ranked)
        if not self._answerable(*q.features, latin=_is_latin(q.raw)):
            return compose.not_found(q.raw, intent, hits)
        return compose.clause_answer(q.raw, intent, hits, True)

    def _features(self, q: Query, ranked) -> tuple[float, float]:
        """The not-found rule's inputs: (coverage of the top clause, its dense similarity)."""
        top = ranked[0][0]
        cov = self.coverage(q, top)
        dense = float(self.dense.vectors[top] @ q.vector) if q.vector is not None and self.dense is not None else None
        return cov, dense

    def _answerable(self, cov: float, dense: float | None, latin: bool) -> bool:
        s = self.settings
        if dense is None:
            return cov >= s.min_coverage
        # e5 scores a Latin-script question against Chinese text lower (measured: ~0.76 vs ~0.89)
        return cov >= s.min_coverage or dense >= s.min_dense - (s.cross_lingual_gap if latin else 0.0)

    def answer_with_features(self, question: str) -> tuple[Answer, tuple | None]:
        """The answer, and (coverage, dense, latin) when it came down to the not-found rule —
        questions settled by structure or scope never reach it (for `python -m qa eval --calibrate`)."""
        text = squeeze(_TAGS.sub(" ", clean_question(question)))
        if not _CONTENT.search(text):
            return compose.nothing_to_search(sanitize(question), None), None
        q = self._query(sanitize(question), text)
        answer = self._answer(q, 5, None)
        return answer, (None if q.features is None else (*q.features, _is_latin(q.raw)))

    def _asks_about_office(self, q: Query) -> bool:
        """Office named, and the rest of the question asks what it does rather than about a topic."""
        if route.has_any(q.lowered, route.REVERSE_CUES):
            return True
        names = [n for o in q.offices for n in self.offices.offices[o].names()] if q.offices else []
        rest = q.lowered
        for n in sorted(names, key=len, reverse=True):
            rest = rest.replace(n.lower(), " ")
        content = [t for t in self.segmenter.tokens(rest) if idf_of(self.bm25, t) > 1.0]
        return not content

    def _indicator(self, q: Query, ranked) -> tuple[Clause, str | None] | None:
        """An indicator row when the question asks for a figure and names an indicator."""
        if not self.indicators:
            return None
        asks_number = (route.has_any(q.lowered, route.NUMBER_CUES + route.TARGET_CUES + route.INCREASE_CUES)
                       or bool(route.years_in(q.lowered)))
        if not asks_number:
            return None
        pos = set(self.indicators)
        best = next(((p, s) for p, s in ranked if p in pos), None)
        if best is None:
            return None
        rank = [p for p, _ in ranked].index(best[0])
        cov = self._name_coverage(q, self.clauses[self.searchable[best[0]]])
        if (rank > 2 and cov < 0.6) or cov < (0.2 if rank == 0 else 0.34):
            return None
        row = self.clauses[self.searchable[best[0]]]
        return row, route.column_asked(q.lowered, list(row.values))

    def _is_indicator(self, position: int) -> bool:
        return self.clauses[self.searchable[position]].kind == "indicator"

    def _name_coverage(self, q: Query, row: Clause) -> float:
        name = re.sub(r"\(.*?\)", "", row.title)
        terms = set(self.segmenter.tokens(name))
        if not terms:
            return 0.0
        have = set(q.tokens)
        weight = {t: max(idf_of(self.bm25, t), 0.1) for t in terms}
        return sum(w for t, w in weight.items() if t in have) / sum(weight.values())

    def _overview(self, q: Query) -> Clause | None:
        """The part, section or principle whose heading the question names, when it asks what
        that heading contains; "第N条" after a heading picks its N-th child; 前言-type cues the
        preamble. Whole headings beat pieces of headings (指导思想 beats 指导思想、基本原则和…)."""
        spaced, text = q.lowered, q.lowered.replace(" ", "")
        if route.has_any(spaced, route.PREAMBLE_CUES) and self._preamble is not None:
            return self._preamble
        if not route.has_any(spaced, route.OVERVIEW_CUES) and not route.ORDINAL.search(text):
            return None
        best = None
        for whole in (True, False):  # the longest heading (piece) in the question; plan order breaks ties
            found = [(-len(piece), order, c) for i in range(len(text) - 3)
                     for piece, order, c in self._heading_pieces[whole].get(text[i:i + 4], ())
                     if text.startswith(piece, i)]
            if found:
                best = min(found, key=lambda f: (f[0], f[1]))[2]
                break
        if best is None:
            return None
        m = route.ORDINAL.search(text[text.find(best.title[:4]):] if best.title[:4] in text else text)
        if m and best.has_children:
            n = int(m.group(1)) if m.group(1).isdigit() else route.cn_to_int(m.group(1))
            kids = self.children(best)
            if 1 <= n <= len(kids):
                return kids[n - 1]
        return best

    def children(self, clause: Clause | None) -> list[Clause]:
        """The clauses one level below a part, section or table, in plan order."""
        return list(self._children.get(clause.id, ())) if clause is not None else []


def _heading_pieces(headings) -> dict:
    """Heading titles (True) and their pieces (False) of 4+ characters, keyed by their first four
    characters: `_overview` looks up the question's 4-character windows instead of splitting and
    testing every heading for every question."""
    out: dict[bool, dict[str, list]] = {True: {}, False: {}}
    for order, c in enumerate(headings):
        for whole in (True, False):
            pieces = [c.title] if whole else [p for p in re.split(r"[、和及与,]", c.title) if p != c.title]
            for j, piece in enumerate(dict.fromkeys(pieces)):
                if len(piece) >= 4:
                    out[whole].setdefault(piece[:4], []).append((piece, (order, j), c))
    return out


def _is_latin(text: str) -> bool:
    return sum(ch.isascii() and ch.isalpha() for ch in text) > len(text) / 2


def _with_id(answer: Answer, qid: str) -> Answer:
    from dataclasses import replace
    return replace(answer, id=qid)


def _say(log, line: str) -> None:
    if log is not None:
        print(line, file=log, flush=True)
