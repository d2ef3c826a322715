"""Offices read from running text (qa.actors): documents that assign work in sentences."""
from __future__ import annotations

import pytest

from qa.actors import sentence_offices, text_offices
from qa.offices import Office, OfficeTable

TABLE = OfficeTable([Office("财政部", level="national"), Office("教育部", level="national"),
                     Office("国家发展改革委", aliases=("发展改革委",), level="national"),
                     Office("市场监管总局", level="national")])


def test_an_office_inside_a_longer_actor_still_counts_where_it_stands_alone():
    text = "各级财政部门要会同有关方面研究制定办法。财政部要会同发展改革委加强统筹。"
    assert text_offices(text, TABLE) == ["各级财政部门", "财政部", "发展改革委"]


def test_an_office_only_inside_a_longer_actor_is_not_named():
    assert text_offices("各级财政部门要会同有关方面研究制定办法。", TABLE) == ["各级财政部门"]


@pytest.mark.parametrize("text, offices", [
    ("各省(区、市)人民政府要建设平台。", ["各省(区、市)人民政府"]),
    ("县级以上地方人民政府统筹制定计划。", ["县级以上地方人民政府"]),
    ("全面推行部门联合抽查。", []),
])
def test_collective_actors_and_words_that_are_no_office(text, offices):
    assert text_offices(text, TABLE) == offices


def test_the_issuer_assigns_nothing():
    assert text_offices("经国务院同意，教育部负责。", TABLE, issuer="国务院办公厅") == ["教育部"]


def test_the_sentence_holding_the_question_gives_the_offices():
    text = "财政部要设立基金，扩大规模，教育部要培训教师。市场监管总局负责抽查。"
    assert sentence_offices(text, ["培训", "教师"], TABLE) == ["教育部"]
    assert sentence_offices(text, ["抽查"], TABLE) == ["市场监管总局"]
