"""Synthetic plans for scaling runs: the real plan's outline and vocabulary, recombined.

`make_documents(template, n)` writes `n` searchable clauses as a series of plans that copy the
template plan's outline (parts › sections › items, principles, the indicator table) clause by
clause. Each leaf gets the template's heading and a body of sentences drawn from the whole plan,
with some domain terms swapped for other domain terms of the plan, so every word is the plan's
but every clause is new. Offices are drawn from the plan's own 责任单位 lists; indicator cells
are jittered. Everything is fixed by `seed`.

Shortcut: clause vectors are not computed by a model. The real model embeds the template's
sentences and leaf headings once (`basis_texts`, ~200 short texts); `mix_vectors` then makes each
synthetic clause's vector as the length-weighted mean of the vectors of the pieces its text was
made from, plus a little noise for the swapped terms. So vectors sit where the model puts this
kind of text — questions embedded by the real model find meaningful neighbours and HNSW recall is
measured on a realistic distribution — at no per-clause embedding cost. `random_unit_vectors` is
the structure-free alternative. Search cost depends on neither.
"""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from .passages import SENTENCE as _SENTENCE
from .records import Clause, Document

_DEPT_TAIL = re.compile(r"[(（]责任单位[:：][^)）]*[)）]")
_HEAD = re.compile(r"^\s*(?:\d+[.．、]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|——)")


class SentencePool:
    """The template plan's sentences, each remembering which searchable clause it came from.

    Example: SentencePool(doc).sentences[0] == (the first sentence of the first searchable clause, 0)
    """

    def __init__(self, document: Document, terms=()):
        leaves = [c for c in document.clauses if c.searchable]
        self.leaves = leaves
        self.sentences: list[tuple[str, int]] = []
        for j, c in enumerate(leaves):
            if c.kind == "indicator":
                continue
            body = _DEPT_TAIL.sub("", c.text)
            for s in _SENTENCE.findall(body):
                s = s.strip()
                if len(s) >= 6 and not _HEAD.match(s):
                    self.sentences.append((s, j))
        if not self.sentences:
            raise ValueError("the template plan has no sentences to recombine")
        self.departments = [c.departments for c in leaves if c.departments]
        words = sorted({t for t in terms if len(t) >= 2 and not t.isascii()})
        self.terms = [t for t in words if any(t in s for s, _ in self.sentences)]
        self._term_re = re.compile("|".join(map(re.escape, sorted(self.terms, key=len, reverse=True)))) \
            if self.terms else None
        by_len: dict[int, list[str]] = {}
        for t in self.terms:
            by_len.setdefault(len(t), []).append(t)
        self._by_len = by_len

    def basis_texts(self) -> list[str]:
        """The pieces synthetic clauses are made of, in basis order: every sentence, then for each
        template leaf its heading (an indicator row: its whole text)."""
        return [s for s, _ in self.sentences] + [
            c.text if c.kind == "indicator" else (c.path[-1] if c.path else c.title) for c in self.leaves]

    def body(self, rng: np.random.Generator, target_chars: int, swap: float = 0.3) -> tuple[str, list[int], list[int]]:
        """Sentences until about `target_chars`; returns (text, their basis rows, their lengths)."""
        parts, sources, weights, size = [], [], [], 0
        while size < target_chars or not parts:
            k = int(rng.integers(len(self.sentences)))
            s = self._swap_terms(self.sentences[k][0], rng, swap)
            parts.append(s)
            sources.append(k)
            weights.append(len(s))
            size += len(s)
        return "".join(parts), sources, weights

    def _swap_terms(self, sentence: str, rng: np.random.Generator, p: float) -> str:
        if self._term_re is None or p <= 0:
            return sentence

        def swap(m):
            if rng.random() >= p:
                return m.group()
            same = self._by_len.get(len(m.group())) or [m.group()]
            return same[int(rng.integers(len(same)))]
        return self._term_re.sub(swap, sentence)


def make_documents(template: Document, n_clauses: int, seed: int = 0, terms=(),
                   prefix: str = "syn") -> tuple[list[Document], list[list[tuple[int, float]]]]:
    """`n_clauses` searchable clauses as plans shaped like `template`.

    Returns (documents, sources): sources[i] lists (basis row, weight) of the pieces the i-th
    searchable clause (corpus order) is made of, rows of `basis_texts(template, terms)`, for
    `mix_vectors`.
    Example: docs, src = make_documents(plan, 1000); sum(c.searchable for d in docs for c in d.clauses) == 1000
    """
    if n_clauses < 0:
        raise ValueError("n_clauses must be 0 or more")
    rng = np.random.default_rng(seed)
    pool = SentencePool(template, terms)
    leaf_pos = {c.id: j for j, c in enumerate(pool.leaves)}
    docs: list[Document] = []
    sources: list[list[tuple[int, float]]] = []
    made, k = 0, 0
    while made < n_clauses:
        doc_id = f"{prefix}{k:06d}"
        clauses: list[Clause] = []
        cut = False
        for c in template.clauses:
            if made >= n_clauses and c.searchable:
                cut = True
                break
            suffix = c.id.split(":", 1)[1] if ":" in c.id else c.id
            new = replace(c, id=f"{doc_id}:{suffix}", doc_id=doc_id, order=len(clauses))
            if c.searchable:
                new, src = _leaf(new, c, pool, len(pool.sentences) + leaf_pos[c.id], rng)
                sources.append(src)
                made += 1
            clauses.append(new)
        if cut:
            clauses = _drop_empty_containers(clauses)
        docs.append(Document(doc_id, f"{template.title}（合成 {k + 1}）", tuple(clauses)))
        k += 1
    return docs, sources


def basis_texts(template: Document, terms=()) -> list[str]:
    """Texts to embed with the real model for `mix_vectors` (same template and terms as
    `make_documents`). Example: len(basis_texts(plan)) == sentences + leaves (≈ 200)"""
    return SentencePool(template, terms).basis_texts()


def _leaf(new: Clause, template: Clause, pool: SentencePool, head_row: int, rng) -> tuple[Clause, list]:
    if template.kind == "indicator":
        values = {col: _jitter(v, rng) for col, v in template.values.items()}
        cells = ";".join(f"{col} {v}" for col, v in values.items())
        return replace(new, values=values, text=f"{template.title}:{cells}"), [(head_row, 1.0)]
    head = template.path[-1] if template.path else template.title
    target = int(len(template.text) * rng.uniform(0.7, 1.3))
    body, src, weights = pool.body(rng, max(20, target - len(head)))
    departments = template.departments
    if departments and pool.departments:
        departments = pool.departments[int(rng.integers(len(pool.departments)))]
    text = f"{head}。{body}" if template.kind in ("item", "principle") else f"{head} {body}"
    if departments:
        text += f"(责任单位:{'、'.join(departments)})"
    # each piece weighs by its length, as a mean-pooled embedding roughly does
    mix = [(head_row, float(len(head)))] + [(j, float(w)) for j, w in zip(src, weights)]
    return replace(new, text=text, departments=departments), mix


def _jitter(value: str, rng) -> str:
    try:
        x = float(value)
    except ValueError:
        return value
    decimals = len(value.split(".")[1]) if "." in value else 0
    y = x * rng.uniform(0.8, 1.25)
    return f"{y:.{decimals}f}" if decimals else str(int(round(y)))


def _drop_empty_containers(clauses: list[Clause]) -> list[Clause]:
    """A plan cut short may end on a heading whose children were not made; drop such headings."""
    ids = {c.id for c in clauses}
    keep = []
    for c in clauses:
        if c.has_children and not any(i.startswith(c.id + ".") for i in ids):
            continue
        keep.append(c)
    return keep


def mix_vectors(sources: list[list[tuple[int, float]]], base: np.ndarray, seed: int = 0,
                noise: float = 0.05) -> np.ndarray:
    """Unit vectors: weighted mean of `base` rows named in each source list, plus Gaussian noise
    of expected norm `noise`.

    Example: mix_vectors([[(0, 1.0)]], np.eye(3, dtype="float32"), noise=0.0) → [[1, 0, 0]]
    """
    base = np.asarray(base, dtype=np.float32)
    n, dim = len(sources), base.shape[1]
    rng = np.random.default_rng(seed)
    out = np.zeros((n, dim), dtype=np.float32)
    for i, src in enumerate(sources):
        ids = np.fromiter((j for j, _ in src), dtype=np.int64, count=len(src))
        w = np.fromiter((w for _, w in src), dtype=np.float32, count=len(src))
        out[i] = w @ base[ids] / max(float(w.sum()), 1e-12)
    if noise > 0 and n:
        out += rng.standard_normal((n, dim), dtype=np.float32) * np.float32(noise / np.sqrt(dim))
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def random_unit_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """Example: random_unit_vectors(2, 3).shape == (2, 3), each row of norm 1."""
    x = np.random.default_rng(seed).standard_normal((n, dim), dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


class PrecomputedEmbedder:
    """An embedder whose passage vectors are looked up by text (synthetic corpora); texts it does
    not know and all questions go to the real `base` embedder. `calls` counts texts sent to it.

    Example: PrecomputedEmbedder(HashEmbedder(), {"a": v}).passages(["a"])[0] is v's copy
    """

    def __init__(self, base, table: dict[str, np.ndarray] | None = None, id_suffix: str = "synthetic-mix"):
        self.base = base
        self.table = table or {}
        self.dim = base.dim
        self.id = f"{base.id}+{id_suffix}"
        self.embedded = 0       # passages sent to the real model

    def queries(self, texts: list[str]) -> np.ndarray:
        return self.base.queries(texts)

    def passages(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = [i for i, t in enumerate(texts) if t not in self.table]
        for i, t in enumerate(texts):
            v = self.table.get(t)
            if v is not None:
                out[i] = v
        if missing:
            self.embedded += len(missing)
            out[missing] = self.base.passages([texts[i] for i in missing])
        return out
