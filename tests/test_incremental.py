"""Incremental index: a build re-embeds only clauses whose text changed (content hash).

A counting embedder (HashEmbedder underneath) tells how many passages each build sent to the
model, over a copy of the real plan plus a small second plan written here.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa import store
from qa.corpus import load_corpus
from qa.embed import HashEmbedder

ROOT = Path(__file__).resolve().parent.parent

SECOND_PLAN = """吉林省专利导航产业发展实施方案

  为发挥专利信息对产业发展的导航作用,推动产业转型升级,结合我省实际,制定本方案。
  一、总体要求
  (一)指导思想。以专利导航为抓手,把专利分析嵌入产业决策,提高产业创新效率和质量。
  (二)工作目标。到2020年,建设5个省级专利导航产业发展实验区,形成一批专利导航分析报告。
  二、重点任务
  (一)开展产业专利导航分析。
  1.建立专利导航工作机制。围绕汽车、石化、农产品加工等优势产业,开展专利布局分析,发布产业专利导航报告。(责任单位:省科技厅、省工业和信息化厅)
  2.培育专利导航服务机构。支持知识产权服务机构开展专利导航服务,培养专利分析人才。(责任单位:省科技厅、省人力资源社会保障厅)
  (二)推动专利协同运用。
  1.组建产业专利联盟。引导企业、高校和科研院所组建产业知识产权联盟,构建专利池。(责任单位:省科技厅、省教育厅)
  2.促进专利转移转化。完善专利交易平台,推动高校专利向中小企业转移。(责任单位:省科技厅、省财政厅)
  三、保障措施
  (一)加强组织领导。各地区、各有关部门要把专利导航工作纳入重要议事日程。
  (二)加大资金支持。省级财政对专利导航实验区给予资金支持。
"""


class CountingEmbedder(HashEmbedder):
    """HashEmbedder that counts the passages it embeds."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def passages(self, texts):
        self.count += len(texts)
        return super().passages(texts)


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    dest = tmp_path / "corpus"
    dest.mkdir()
    for pattern in ("*.json", "*.tsv", "*.txt"):
        for p in (ROOT / "corpus").glob(pattern):
            shutil.copy(p, dest / p.name)
    return dest


def _build(corpus_dir: Path, index: Path, embedder: CountingEmbedder):
    before = embedder.count
    built = store.build(load_corpus(corpus_dir), index, embedder, stream=None)
    return built, embedder.count - before


def _vectors_by_id(built) -> dict[str, np.ndarray]:
    return {built.clauses[i].id: built.dense.vectors[row] for row, i in enumerate(built.searchable)}


def test_unchanged_corpus_embeds_nothing(corpus_dir, tmp_path):
    emb, index = CountingEmbedder(), tmp_path / "index"
    first, n = _build(corpus_dir, index, emb)
    assert n == len(first.searchable) > 0
    again, n = _build(corpus_dir, index, emb)
    assert n == 0
    np.testing.assert_array_equal(again.dense.vectors, first.dense.vectors)


def test_adding_a_document_embeds_only_its_clauses(corpus_dir, tmp_path):
    emb, index = CountingEmbedder(), tmp_path / "index"
    first, _ = _build(corpus_dir, index, emb)
    (corpus_dir / "zz_patent_navigation.txt").write_text(SECOND_PLAN, encoding="utf-8")
    with pytest.raises(store.StaleIndex):
        store.load(index, load_corpus(corpus_dir), emb)
    second, n = _build(corpus_dir, index, emb)
    new_doc = [c for c in second.clauses if c.doc_id == "zz_patent_navigation"]
    assert new_doc, "the second plan should parse"
    assert n == sum(c.searchable for c in new_doc) == len(second.searchable) - len(first.searchable)
    old = _vectors_by_id(first)
    for cid, v in _vectors_by_id(second).items():
        if cid in old:
            np.testing.assert_array_equal(v, old[cid])
    loaded = store.load(index, load_corpus(corpus_dir), emb)
    assert len(loaded.searchable) == len(second.searchable)


def test_changing_one_clause_embeds_that_clause_only(corpus_dir, tmp_path):
    emb, index = CountingEmbedder(), tmp_path / "index"
    (corpus_dir / "zz_patent_navigation.txt").write_text(SECOND_PLAN, encoding="utf-8")
    first, _ = _build(corpus_dir, index, emb)
    changed = SECOND_PLAN.replace("完善专利交易平台", "完善专利交易与评估平台")
    (corpus_dir / "zz_patent_navigation.txt").write_text(changed, encoding="utf-8")
    second, n = _build(corpus_dir, index, emb)
    assert n == 1
    before, after = _vectors_by_id(first), _vectors_by_id(second)
    differ = [cid for cid in after if not np.array_equal(after[cid], before[cid])]
    assert len(differ) == 1 and "专利交易与评估平台" in second.clauses[
        next(i for i in second.searchable if second.clauses[i].id == differ[0])].text


def test_removing_a_document_embeds_nothing(corpus_dir, tmp_path):
    emb, index = CountingEmbedder(), tmp_path / "index"
    (corpus_dir / "zz_patent_navigation.txt").write_text(SECOND_PLAN, encoding="utf-8")
    both, _ = _build(corpus_dir, index, emb)
    (corpus_dir / "zz_patent_navigation.txt").unlink()
    one, n = _build(corpus_dir, index, emb)
    assert n == 0 and all(c.doc_id != "zz_patent_navigation" for c in one.clauses)
    assert len(one.searchable) < len(both.searchable)


def test_another_embedder_reembeds_everything(corpus_dir, tmp_path):
    emb, index = CountingEmbedder(), tmp_path / "index"
    first, _ = _build(corpus_dir, index, emb)

    class Other(CountingEmbedder):
        id = "hash-bigram-256-other"
    other = Other()
    _, n = _build(corpus_dir, index, other)
    assert n == len(first.searchable)


def test_an_index_format_that_changed_other_files_keeps_its_vectors(corpus_dir, tmp_path):
    """Upgrading from format 5 (before the sentence index) re-embeds nothing: the vectors were
    made the same way; a manifest that says its vectors were made otherwise re-embeds all."""
    emb, index = CountingEmbedder(), tmp_path / "index"
    first, _ = _build(corpus_dir, index, emb)
    manifest_path = store.current_folder(index) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["vectors_format"]
    manifest["format"] = 5
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    _, n = _build(corpus_dir, index, emb)
    assert n == 0
    manifest_path = store.current_folder(index) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["vectors_format"] = store.VECTORS_FORMAT + 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    _, n = _build(corpus_dir, index, emb)
    assert n == len(first.searchable)
