"""Hybrid retrieval: BM25 and dense scores over the searchable clauses, fused, filtered, and the
coverage of a question by one clause — the one place where ranking maths lives.

Why one object: the engine, the benchmark's bare harness and any storage backend rank the same
way, so `fuse` is written once and everyone calls it. The retriever owns no question logic (that
is the answerers') and no structure (that is the outline's); it turns tokens and a vector into a
ranking of positions in `clauses`.

Coverage is read from the index itself: the BM25 matrix already records which terms each clause
contains (its column for a term lists the clauses holding it), so no clause is segmented again at
question time.

Example:
>>> fuse(np.array([2., 0.]), np.array([.1, .9]), np.array([.1, .9]), Settings()).round(2).tolist()
[0.7, 0.3]
"""
from __future__ import annotations

import numpy as np

from .actors import NOTED_SHARE   # a document whose leaves name offices this often writes office notes
from .bm25 import SparseBM25, frequency_of, idf_of
from .dense import DenseIndex
from .passages import SentenceIndex
from .records import Clause, Hit
from .settings import Settings



def fuse(bm: np.ndarray, dn: np.ndarray, pool: np.ndarray, settings: Settings) -> np.ndarray:
    """Fused scores of aligned BM25 (`bm`) and dense (`dn`) scores of the same candidates.

    weighted: BM25 divided by its maximum, dense min-max scaled from the median of `pool` (the
    dense scores of every clause in play: most of them are off-topic, so the median is a floor that does not
    depend on how many candidates were kept), then mixed by `dense_weight`. rrf: reciprocal ranks.
    >>> fuse(np.array([1., 0.]), np.array([0., 1.]), np.array([1., 0.]), Settings(dense_weight=.5)).tolist()
    [0.5, 0.5]
    """
    w = settings.dense_weight
    if settings.fusion == "rrf":
        rb = np.argsort(np.argsort(-bm))
        rd = np.argsort(np.argsort(-dn))
        return (1 - w) / (settings.rrf_k + rb + 1) + w / (settings.rrf_k + rd + 1)
    b = bm / bm.max() if len(bm) and bm.max() > 0 else np.zeros(len(bm))
    lo = np.median(pool) if len(pool) > 2 else (dn.min() if len(dn) else 0.0)
    d = np.clip((dn - lo) / max((dn.max() if len(dn) else 0.0) - lo, 1e-6), 0, None)
    return (1 - w) * b + w * d


def with_runner_up(first: list, rest: list, of_close) -> list:
    """The chosen document's ranking with the best clause of a document nearly as close second
    (`of_close(position)`: is it that document's?), so the user sees both and which document each
    is from (a national plan and a province's plan on one field).

    >>> with_runner_up([(1, .9), (2, .8)], [(7, .5), (5, .7)], lambda p: p == 5)
    [(1, 0.9), (5, 0.7), (2, 0.8), (7, 0.5)]
    """
    at = next((i for i, (p, _) in enumerate(rest) if of_close(p)), None)
    if at is None:
        return first + rest
    return first[:1] + [rest[at]] + first[1:] + rest[:at] + rest[at + 1:]


def top_candidates(bm: np.ndarray, dn: np.ndarray, cand: np.ndarray, n: int) -> np.ndarray:
    """The union of the `n` best of each ranking among `cand` (partial sorts: O(len), not a sort)."""
    if len(cand) <= n:
        return cand
    top_b = cand[np.argpartition(-bm[cand], n)[:n]]
    top_d = cand[np.argpartition(-dn[cand], n)[:n]]
    return np.union1d(top_b, top_d)


class Retriever:
    """Ranks `clauses` (the searchable ones, in index row order) for a question's tokens and vector."""

    def __init__(self, clauses: list[Clause], bm25: SparseBM25, dense: DenseIndex | None,
                 sentences: SentenceIndex | None = None):
        self.clauses = clauses
        self.bm25 = bm25
        self.dense = dense
        self.sentences = sentences
        self._last_best: tuple | None = None   # (tokens, best sentence scores) of the last question
        if not bm25.weights.has_sorted_indices:
            bm25.weights.sort_indices()
        # a word the corpus never uses weighs like a typical word: named places, organisations and
        # years are judged by qa.scope; here an unknown word is more often a colloquial synonym
        df = np.diff(bm25.weights.indptr)
        n = bm25.n_docs
        self._unknown_by_group: dict[int, float] = {}
        self.unknown_idf = float(np.median(np.log((n - df + 0.5) / (df + 0.5)).clip(min=0.05))) if len(df) else 1.0
        self._first_path = [c.path[0] if c.path else "" for c in clauses]
        self._doc_of = [c.doc_id for c in clauses]
        doc_ids: dict[str, int] = {}
        self._doc_index = np.fromiter((doc_ids.setdefault(d, len(doc_ids)) for d in self._doc_of),
                                      dtype=np.int64, count=len(clauses))
        self._doc_ids = doc_ids
        self._first_position: dict[str, int] = {}
        for j, d in enumerate(self._doc_of):
            self._first_position.setdefault(d, j)
        self.n_docs = len(doc_ids)
        # clauses whose offices are read from sentences (or none at all, in a document without
        # office notes): they may answer *who*, naming the offices of the sentence that answers
        noted: dict[str, list[bool]] = {}
        for c in clauses:
            noted.setdefault(c.doc_id, []).append(bool(c.departments))
        quiet = {d for d, flags in noted.items() if sum(flags) < NOTED_SHARE * len(flags)}
        self.office_free = np.fromiter((d in quiet or c.offices_in_text for c, d in zip(clauses, self._doc_of)),
                                       dtype=bool, count=len(clauses))

    # ------------------------------------------------------------ ranking
    def scores(self, tokens: list[str], vector: np.ndarray | None, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
        """(BM25, dense) score of every clause; zeros for a side the mode leaves out. The BM25
        side holds the clause's best sentence too (`lexical`)."""
        n = len(self.clauses)
        bm = self.lexical(self.bm25.scores(tokens), tokens, settings) if settings.mode != "dense" else np.zeros(n)
        if settings.mode == "bm25" or self.dense is None or vector is None:
            return bm, np.zeros(n)
        if self.dense.exact:
            return bm, self.dense.vectors @ vector
        ids, sims = self.dense.search(vector, settings.candidates)
        dn = np.full(n, float(sims.min()) if len(sims) else 0.0)
        dn[ids] = sims
        return bm, dn

    def lexical(self, bm: np.ndarray, tokens: list[str], settings: Settings, positions=None) -> np.ndarray:
        """Clause BM25 scores `bm` (of every clause, or of `positions`) plus
        `settings.sentence_weight` × the score of each clause's best sentence (qa/passages.py):
        a sentence that says what is asked carries its long clause."""
        if self.sentences is None or not settings.sentence_weight:
            return bm
        best = self.best_sentences(tokens)
        return bm + settings.sentence_weight * (best if positions is None else best[positions])

    def best_sentences(self, tokens) -> np.ndarray:
        """Each clause's best sentence score for `tokens` (zeros without a sentence index); the
        last question's is kept, as a library ranks twice per question (all documents, then one)."""
        if self.sentences is None:
            return np.zeros(len(self.clauses))
        key = tuple(tokens)
        last = self._last_best
        if last is None or last[0] != key:
            last = self._last_best = (key, self.sentences.best(list(tokens), len(self.clauses)))
        return last[1]

    def rank(self, tokens: list[str], vector: np.ndarray | None, settings: Settings,
             allowed: np.ndarray | None = None, prefer: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Fused ranking: [(position in `clauses`, score)], best first; `allowed` masks positions;
        `prefer` marks positions (the documents a question names by a title word) whose fused
        score is raised by `settings.named_doc_boost`.

        In a library, two steps: first the document — the one holding the clause closest in
        meaning to the question (dense similarity compares across documents; BM25 weights are
        each document's own), a document the question names by a title word given a small
        lead; without vectors, that of the best fused clause. Then that document's clauses are
        ranked among themselves — fused with its own maxima and floor, as if it were alone — and
        come first, the other documents' after. So a document answers the same whether or not
        others stand beside it.
        """
        n = len(self.clauses)
        allowed = np.ones(n, dtype=bool) if allowed is None else allowed
        if not allowed.any():
            return []
        bm, dn = self.scores(tokens, vector, settings)
        ranked = self._fused(bm, dn, allowed, settings, vector, prefer)
        if self.n_docs < 2 or not ranked or settings.mode != "full":
            return ranked
        doc, close = (self._document(dn, allowed, prefer, settings, tokens, bm) if self._dense_on(settings, vector)
                      else (None, None))
        doc = self._doc_index[ranked[0][0]] if doc is None else doc
        own = allowed & (self._doc_index == doc)
        if own.sum() == allowed.sum():
            return ranked
        first = self._fused(bm, dn, own, settings, vector, None)
        rest = [(p, sc) for p, sc in ranked if self._doc_index[p] != doc]
        return first + rest if close is None else with_runner_up(first, rest, lambda p: self._doc_index[p] == close)

    def _dense_on(self, settings: Settings, vector) -> bool:
        return settings.mode != "bm25" and self.dense is not None and vector is not None and self.dense.exact

    def _worded(self, tokens, bm, allowed, settings: Settings, docs: np.ndarray) -> np.ndarray:
        """For the documents `docs` (indices), the coverage of the question by each one's best
        BM25 clause (`bm` of every position, `allowed` masking them): how much of what the question
        says, word for word, the document holds — comparable across documents, as BM25 scores are
        not. Zero for the other documents."""
        out = np.zeros(self.n_docs)
        keep = allowed & np.isin(self._doc_index, docs) & (bm > 0)
        top = np.full(self.n_docs, -np.inf)
        np.maximum.at(top, self._doc_index[keep], bm[keep])
        best_at = np.flatnonzero(keep & (bm == top[self._doc_index]))
        for p in best_at[np.unique(self._doc_index[best_at], return_index=True)[1]]:
            out[self._doc_index[p]] = self.coverage(tokens, int(p), settings)
        return out

    def _document(self, dn, allowed, prefer, settings: Settings, tokens=(), bm=None) -> tuple[int | None, int | None]:
        """(the document (index) whose allowed clause is closest in meaning to the question, and
        the runner-up when it is within `settings.doc_close` of it, else None) — the document:
        documents the question names (`prefer`) leading by `settings.named_doc_lead`, and each
        led by `settings.doc_coverage_lead` × the share of the question its best clause holds word
        for word: meaning alone confuses two documents of one field (知识产权 in a plan and in a
        notice), the words the question quotes (“三合一”) tell them apart. Only the documents
        within that lead of the closest, and at most `settings.doc_contenders` of them, are read
        for their words (a library of thousands costs a handful of coverages, not thousands)."""
        best = np.full(self.n_docs, -np.inf)
        np.maximum.at(best, self._doc_index[allowed], dn[allowed])
        if prefer is not None:
            named = np.zeros(self.n_docs, dtype=bool)
            named[self._doc_index[prefer & allowed]] = True
            best = best + np.where(named, settings.named_doc_lead, 0.0)
        if not np.isfinite(best).any():
            return None, None
        if bm is not None and settings.doc_coverage_lead:
            contenders = np.flatnonzero(best >= best.max() - settings.doc_coverage_lead)
            if len(contenders) > settings.doc_contenders:   # near-twins by meaning: the closest few
                contenders = contenders[np.argsort(-best[contenders], kind="stable")[:settings.doc_contenders]]
            if len(contenders) > 1:
                best = best + settings.doc_coverage_lead * self._worded(tokens, bm, allowed, settings, contenders)
        order = np.argsort(-best, kind="stable")
        chosen = int(order[0])
        close = (int(order[1]) if len(order) > 1 and np.isfinite(best[order[1]])
                 and best[order[1]] >= best[chosen] - settings.doc_close else None)
        return chosen, close

    def _fused(self, bm, dn, allowed, settings, vector, prefer) -> list[tuple[int, float]]:
        """The fused ranking of the `allowed` positions, best first."""
        use_dense = settings.mode != "bm25" and self.dense is not None and vector is not None
        use_bm25 = settings.mode != "dense"
        cand = top_candidates(bm, dn, np.flatnonzero(allowed), settings.candidates)
        if not use_dense:
            fused = bm[cand]
        elif not use_bm25:
            fused = dn[cand]
        else:
            fused = fuse(bm[cand], dn[cand], dn[allowed], settings)
        if prefer is not None and prefer[cand].any() and not prefer[cand].all():
            fused = fused * np.where(prefer[cand], 1.0 + settings.named_doc_boost, 1.0)
        order = np.argsort(-fused, kind="stable")
        return [(int(cand[k]), float(fused[k])) for k in order]

    def mask(self, office: str | None = None, part: str | None = None, docs=None) -> np.ndarray | None:
        """Positions a filter keeps: clauses naming `office` (canonical), under part `part`, and
        in one of `docs` (document ids)."""
        if office is None and not part and not docs:
            return None
        keep = self.in_docs(docs) if docs else np.ones(len(self.clauses), dtype=bool)
        for j, c in enumerate(self.clauses):
            if office is not None and office not in c.departments:
                keep[j] = False
            if part and not self._first_path[j].startswith(str(part)):
                keep[j] = False
        return keep

    def in_docs(self, docs) -> np.ndarray:
        """Positions of the clauses of the documents `docs`."""
        wanted = [self._doc_ids[d] for d in docs if d in self._doc_ids]
        return np.isin(self._doc_index, wanted)

    def hits(self, ranked: list[tuple[int, float]], k: int) -> list[Hit]:
        return [Hit(self.clauses[p], s) for p, s in ranked[:k]]

    # ------------------------------------------------------------ evidence for decisions
    def contains(self, position: int, term: str) -> bool:
        """Does the clause at `position` contain `term`? Read from the BM25 matrix's column."""
        j = self.bm25.vocab.get(term)
        if j is None:
            return False
        w = self.bm25.weights
        rows = w.indices[w.indptr[j]:w.indptr[j + 1]]
        k = np.searchsorted(rows, position)
        return bool(k < len(rows) and rows[k] == position)

    def doc_frequency(self, term: str, position: int) -> int:
        """How many clauses of the document of the clause at `position` contain `term`."""
        return frequency_of(self.bm25, term, self.group_of(position))

    def term_weight(self, term: str, settings: Settings, position: int | None = None) -> float:
        """How much a question term counts in coverage: its idf (within the document of the
        clause at `position`, when given); a word the corpus never uses weighs like a typical
        word (an untranslated English word little); a lone character little."""
        group = self.group_of(position)
        if term in self.bm25.vocab:
            w = idf_of(self.bm25, term, group)
        elif term.isascii() and term.isalpha():
            w = settings.unknown_latin_weight
        else:
            w = self._unknown_idf(group)
        return max(w, settings.min_term_weight) * (settings.lone_char_weight if len(term) == 1 else 1.0)

    def coverage(self, tokens: list[str], position: int, settings: Settings) -> float:
        """Share of the question's term weight that one clause contains (idf-weighted).

        >>> r = Retriever([], SparseBM25.fit([["质押", "融资"], ["商标"]]), None)
        >>> r.coverage(["质押", "融资"], 0, Settings()), r.coverage(["质押", "融资"], 1, Settings())
        (1.0, 0.0)
        """
        terms = list(dict.fromkeys(tokens))
        if not terms:
            return 0.0
        total = got = 0.0
        for t in terms:
            w = self.term_weight(t, settings, position)
            total += w
            got += w if self.contains(position, t) else 0.0
        return got / total

    def group_of(self, position: int | None) -> int | None:
        """The BM25 group (document) of a position, None when the index has one group."""
        if position is None or self.bm25.groups is None or position >= len(self.bm25.groups):
            return None
        return int(self.bm25.groups[position])

    def group_of_doc(self, doc_id: str) -> int | None:
        """The BM25 group of a document, read at its first clause; None when the index has one
        group or the document has no searchable clause."""
        at = self._first_position.get(doc_id)
        return None if at is None else self.group_of(at)

    def _unknown_idf(self, group: int | None) -> float:
        """The weight of a word the corpus never uses: the median idf of the document's words."""
        if group is None:
            return self.unknown_idf
        if group not in self._unknown_by_group:
            w = self.bm25.weights
            rows_of = self.bm25.groups[w.indices]
            cols = np.repeat(np.arange(w.shape[1]), np.diff(w.indptr))
            df = np.bincount(cols[rows_of == group], minlength=w.shape[1])
            df = df[df > 0]
            n = self.bm25.group_sizes()[group]
            self._unknown_by_group[group] = (float(np.median(np.log((n - df + 0.5) / (df + 0.5)).clip(min=0.05)))
                                             if len(df) else 1.0)
        return self._unknown_by_group[group]

    def similarity(self, position: int, vector: np.ndarray | None) -> float | None:
        """Dense similarity of the question to one clause (None without vectors)."""
        if vector is None or self.dense is None:
            return None
        return float(self.dense.vectors[position] @ vector)
