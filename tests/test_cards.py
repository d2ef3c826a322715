"""qa/cards.py: pure HTML rendering over tiny hand-made clauses (no engine, no server)."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from qa import cards, indicator_cards
from qa.records import Answer, Clause, Hit

TITLES = {"doc": "测试规划"}
PROBE = "<img src=x onerror=alert(1)>"
SAFE_TAGS = {"div", "p", "span", "strong", "mark", "article", "section", "h4", "details", "summary", "code",
             "button", "a", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
             "svg", "rect", "text", "line", "title"}


def item(text="2.创新知识产权金融服务。积极探索开展知识产权质押融资。(责任单位:省科技厅、省金融办)",
         departments=("省科技厅", "省金融办"), number="二(九)2", key="二.九.2", title="创新知识产权金融服务",
         path=("二、主要任务", "(九)加强知识产权交易运营体系建设", "2.创新知识产权金融服务"), kind="item", order=3):
    return Clause(f"doc:{key}", "doc", path, title, text, departments, kind, number, {}, order, False)


PLEDGE = item()
SERVICE = item("1.建设知识产权信息公共服务平台。", ("省科技厅",), "二(十)1", "二.十.1", "建设知识产权信息公共服务平台",
               ("二、主要任务", "(十)加强知识产权公共服务体系建设", "1.建设知识产权信息公共服务平台"), order=5)
TALENT = item("3.促进知识产权人才流动。", ("省人力资源社会保障厅", "省科技厅"), "二(十一)3", "二.十一.3", "促进知识产权人才流动",
              ("二、主要任务", "(十一)加强知识产权人才培训体系建设", "3.促进知识产权人才流动"), order=7)
EVIL = item(f"1.{PROBE}<script>alert(2)</script> & {{{{constructor}}}} ${{x}} `y`", ("<b>省科技厅</b>",),
            "二(一)1", "二.一.1", "<i>恶意</i>", ("二、主要任务", "(一)<svg onload=alert(3)>", "1.x"), order=1)


def department_answer(hits=(PLEDGE, SERVICE, TALENT), found=True, question="哪个部门负责知识产权质押融资？"):
    top = hits[0]
    text = f"根据规划二、(九)2「{top.title}」，责任单位是：{'、'.join(top.departments)}。原文：{top.text}"
    return Answer(question, found, "department", text, top.departments, None,
                  tuple(Hit(c, 1.0 - i / 10) for i, c in enumerate(hits)))


def not_found_answer(hits=(SERVICE, TALENT)):
    return Answer("新能源汽车补贴是多少？", False, "clause",
                  "规划中没有找到能回答这个问题的条款。最接近的条款是二、(十)1「建设知识产权信息公共服务平台」，仅供参考。",
                  (), None, tuple(Hit(c, 0.3) for c in hits))


class _Tags(HTMLParser):
    """Collects (tag, attributes) so tests can assert what the browser would build."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def assert_inert(markup: str) -> _Tags:
    parsed = _Tags(markup)
    for tag, attrs in parsed.tags:
        assert tag in SAFE_TAGS, f"unexpected <{tag}> in {markup[:200]}"
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not str(attrs.get("href", "")).lower().startswith("javascript"), attrs
    return parsed


# ---------------------------------------------------------------- escaping and highlighting

@pytest.mark.parametrize("raw, expected", [
    ("", ""),
    (None, ""),
    ("质押融资", "质押融资"),
    (PROBE, "&lt;img src=x onerror=alert(1)&gt;"),
    ('"引号" & \'撇号\'', "&quot;引号&quot; &amp; &#x27;撇号&#x27;"),
    ("{{x}} ${y} `z`", "&#123;&#123;x&#125;&#125; &#36;&#123;y&#125; &#96;z&#96;"),
])
def test_esc(raw, expected):
    assert cards.esc(raw) == expected


@pytest.mark.parametrize("text, terms, expected", [
    ("", ["质押"], ""),
    ("知识产权质押融资", [], "知识产权质押融资"),
    ("知识产权质押融资", ["质押", "融资"], "知识产权<mark>质押融资</mark>"),            # adjacent marks merge
    ("知识产权质押融资", ["质押", "质押融资"], "知识产权<mark>质押融资</mark>"),        # longest wins
    ("<b>质押</b>", ["质押"], "&lt;b&gt;<mark>质押</mark>&lt;/b&gt;"),                  # escaped first
    ("R&D 投入", ["r&d"], "<mark>R&amp;D</mark> 投入"),                                 # escaped terms
    ("R&D 与 amp", ["amp"], "R&amp;D 与 <mark>amp</mark>"),                             # never inside an entity
    ("PCT 专利申请量", ["pct"], "<mark>PCT</mark> 专利申请量"),                          # case folds
    ("省科技厅", ["省"], "省科技厅"),                                                    # single characters ignored
])
def test_highlight(text, terms, expected):
    assert cards.highlight(text, terms) == expected


def test_highlight_never_builds_markup_from_input():
    out = cards.highlight(PROBE + "<script>x</script>", ["img", "script", "onerror", "src"])
    tags = {t for t, _ in assert_inert(out).tags}
    assert tags <= {"mark"}


# ---------------------------------------------------------------- pieces of a card

def test_office_tags_are_distinct_and_escaped():
    out = cards.office_tags(["省科技厅", "省金融办", "省科技厅", "", "<b>x</b>"])
    parsed = assert_inert(out)
    tags = [t for t, a in parsed.tags if a.get("class") == "qa-tag"]
    assert len(tags) == 3
    assert "&lt;b&gt;x&lt;/b&gt;" in out
    assert cards.office_tags([]) == ""


def test_citation_names_the_plan_and_the_clause():
    assert cards.full_citation(PLEDGE, TITLES) == "《测试规划》二、(九)2「创新知识产权金融服务」"
    assert cards.full_citation(PLEDGE, {}) == "《规划》二、(九)2「创新知识产权金融服务」"
    assert cards.clause_link("doc:二.九.2") == "?clause=doc%3A%E4%BA%8C.%E4%B9%9D.2"


def test_clause_card_shows_path_text_offices_and_citation():
    out = cards.clause_card(PLEDGE, TITLES, ["质押融资"])
    parsed = assert_inert(out)
    assert "二、主要任务 › (九)加强知识产权交易运营体系建设 › 2.创新知识产权金融服务" in out
    assert "<mark>质押融资</mark>" in out
    assert out.count('class="qa-tag"') == 2
    copy = next(a for t, a in parsed.tags if t == "button")
    assert copy["data-cite"] == "《测试规划》二、(九)2「创新知识产权金融服务」"
    link = next(a for t, a in parsed.tags if t == "a")
    assert link["href"] == cards.clause_link(PLEDGE.id)


def test_hostile_clause_renders_as_text():
    out = cards.clause_card(EVIL, TITLES, ["alert", "img"])
    parsed = assert_inert(out)
    text = "".join(parsed.text)
    assert PROBE in text and "<script>alert(2)</script>" in text
    assert "<svg onload=alert(3)>" in text and "<b>省科技厅</b>" in text
    assert "${" not in out and "{{" not in out and "`" not in out


# ---------------------------------------------------------------- whole answers

def test_found_answer_has_one_line_top_card_and_collapsed_related():
    answer = department_answer()
    out = cards.answer_html(answer, TITLES, ["知识", "产权", "质押", "融资"])
    assert_inert(out)
    line, shortened = cards.headline(answer)
    assert shortened and "原文" not in line and line.endswith("省金融办。")
    assert f'<p class="qa-headline">{line}</p>' in out
    assert out.count("qa-top") == 1 and "<mark>" in out
    top = out[out.index("qa-top"):out.index("</article>")]
    assert top.count('class="qa-tag"') == 2                      # the answer's offices
    assert out.count('<details class="qa-related">') == 2          # the other hits, collapsed
    assert cards.RELATED_TITLE in out and cards.REFERENCE_ONLY_TITLE not in out
    assert cards.NOT_COVERED_TITLE not in out


def test_related_clauses_are_capped():
    hits = (PLEDGE, SERVICE, TALENT, SERVICE, TALENT, SERVICE, TALENT)
    out = cards.answer_html(department_answer(hits), TITLES)
    assert out.count('<details class="qa-related">') == cards.MAX_RELATED


def test_not_found_says_so_and_offers_clauses_only_for_reference():
    out = cards.answer_html(not_found_answer(), TITLES, ["补贴"])
    assert_inert(out)
    assert cards.NOT_COVERED_TITLE in out and cards.REFERENCE_ONLY_TITLE in out
    assert "qa-top" not in out and "qa-found" not in out
    assert out.count('<details class="qa-related">') == 2
    assert f"<h4>{cards.RELATED_TITLE}</h4>" not in out


def test_not_found_without_hits():
    answer = Answer(PROBE, False, "none", "问题里没有可以检索的文字。")
    out = cards.turn_html(answer.question, cards.answer_html(answer, TITLES))
    parsed = assert_inert(out)
    assert PROBE in "".join(parsed.text)
    assert cards.REFERENCE_ONLY_TITLE not in out


def test_indicator_value_is_shown():
    row = Clause("doc:指标.1", "doc", ("一、目标", "主要指标", "每万人口发明专利拥有量(件)"), "每万人口发明专利拥有量(件)",
                 "每万人口发明专利拥有量(件):2015 2.6;2020 5.3", (), "indicator", "指标1", {"2015": "2.6", "2020": "5.3"}, 9)
    answer = Answer("2020年每万人口发明专利拥有量是多少？", True, "indicator",
                    "规划主要指标「每万人口发明专利拥有量(件)」2020年为 5.3 件。整行：2015：2.6；2020：5.3。", (), "5.3",
                    (Hit(row, 1.0),))
    out = cards.answer_html(answer, TITLES)
    assert "<strong>5.3</strong>" in out and "整行" not in cards.headline(answer)[0]


def test_conversation_keeps_the_given_order_and_welcomes():
    assert cards.WELCOME in cards.conversation_html([])
    out = cards.conversation_html([cards.turn_html("新", ""), cards.turn_html("旧", "")])
    assert out.index("新") < out.index("旧")


# ---------------------------------------------------------------- browse, offices, indicators

def test_outline_is_in_plan_order_and_indented():
    part = Clause("doc:二", "doc", ("二、主要任务",), "主要任务", "二、主要任务", (), "part", "二", {}, 0, True)
    choices = cards.outline_choices([TALENT, PLEDGE, part])
    assert [v for _, v in choices] == ["doc:二", PLEDGE.id, TALENT.id]
    assert choices[0][0] == "二、主要任务" and choices[1][0] == "\u3000\u30002.创新知识产权金融服务"


def test_clause_view_lists_children_and_handles_unknown_ids():
    part = Clause("doc:二", "doc", ("二、主要任务",), "主要任务", "二、主要任务 包括:…", (), "part", "二", {}, 0, True)
    out = cards.clause_view(part, [PLEDGE, SERVICE], TITLES)
    assert_inert(out)
    assert "下设条款" in out and out.count("<li>") == 2
    missing = cards.clause_view(None, [], TITLES, missing=PROBE)
    assert_inert(missing)
    assert "&lt;img" in missing


def test_offices_html_lists_full_names_aliases_and_clauses():
    from qa.offices import Office
    offices = [Office("省金融办", "吉林省人民政府金融工作办公室", ("金融办", "省政府金融办")), Office("<i>x</i>")]
    out = cards.offices_html(offices, {"省金融办": [PLEDGE]}, TITLES)
    assert_inert(out)
    assert "吉林省人民政府金融工作办公室" in out and "金融办、省政府金融办" in out
    assert "二、(九)2「创新知识产权金融服务」" in out and "1 项" in out and "0 项" in out
    assert "&lt;i&gt;x&lt;/i&gt;" in out


def test_indicator_table_and_chart():
    rows = [Clause("doc:指标.1", "doc", ("一", "表", "每万人口发明专利拥有量(件)"), "每万人口发明专利拥有量(件)", "…", (),
                   "indicator", "指标1", {"2015": "2.6", "2016": "3.36", "2020": "5.3", "属性": "预期性"}, 1),
            Clause("doc:指标.2", "doc", ("一", "表", "<b>满意度</b>"), "<b>满意度</b>", "…", (),
                   "indicator", "指标2", {"2015": "70", "2016": "", "2020": "80"}, 2),
            Clause("doc:指标.3", "doc", ("一", "表", "无目标"), "无目标", "…", (), "indicator", "指标3", {"2015": "1"}, 3)]
    table = indicator_cards.indicators_table_html(rows)
    assert_inert(table)
    assert "<th>2015年</th>" in table and "<th>属性</th>" in table and "预期性" in table
    svg = indicator_cards.indicators_chart_svg(rows)
    assert_inert(svg)
    assert svg.startswith("<svg") and "2016年：3.36" in svg and "2020年目标：5.3" in svg
    assert "&lt;b&gt;满意度&lt;/b&gt;" in svg and "2016年：—" in svg
    assert "无目标" not in svg                                     # no target, no bar
    assert "没有" in indicator_cards.indicators_chart_svg([]) and "没有" in indicator_cards.indicators_table_html([])


def _row(n, title, values):
    return Clause(f"doc:指标.{n}", "doc", ("一", "表", title), title, "…", (), "indicator", f"指标{n}", values, n)


JILIN_ROWS = [_row(1, "每万人口发明专利拥有量(件)", {"2015": "2.6", "2016": "3.36", "2020": "5.3", "属性": "预期性"})]
OTHER_ROWS = [_row(1, "每万人口高价值发明专利拥有量(件)", {"2020": "6.8", "2025": "12", "累计增加值": "5.2", "属性": "预期性"}),
              _row(2, "PCT 专利申请量(件)", {"2020": "28000", "2025": "30000", "属性": "预期性"})]


def test_indicator_years_come_from_the_rows_own_header():
    assert indicator_cards.indicator_years(JILIN_ROWS) == (("2015", "2016"), "2020")
    assert indicator_cards.indicator_years(OTHER_ROWS) == (("2020",), "2025")
    assert indicator_cards.indicator_years([_row(1, "x", {"属性": "预期性"})]) == ((), None)
    assert indicator_cards.indicator_years([]) == ((), None)


def test_chart_caption_names_the_tables_years():
    assert indicator_cards.chart_caption(JILIN_ROWS) == \
        "各项指标 2015、2016 年实际值与 2020 年目标的比较（按各自目标值换算为百分比，标注原始数值）："
    assert indicator_cards.chart_caption(OTHER_ROWS) == \
        "各项指标 2020 年实际值与 2025 年目标的比较（按各自目标值换算为百分比，标注原始数值）："
    assert indicator_cards.chart_caption([_row(1, "x", {"2025": "3"})]).startswith("各项指标 2025 年目标")
    assert indicator_cards.chart_caption([]) == ""


def test_chart_years_are_derived_and_can_be_overridden():
    svg = indicator_cards.indicators_chart_svg(OTHER_ROWS)
    assert_inert(svg)
    assert "2020年：6.8" in svg and "2025年目标：12" in svg and "2025年目标（虚线 = 100%）" in svg
    assert 'aria-label="主要指标：2020年实际值与2025年目标"' in svg
    assert svg.count(">2020年</text>") == 1                      # one actual year, one legend entry
    assert indicator_cards.indicators_chart_svg(JILIN_ROWS) == indicator_cards.indicators_chart_svg(JILIN_ROWS, ("2015", "2016"), "2020")
    only_2016 = indicator_cards.indicators_chart_svg(JILIN_ROWS, years=("2016",))
    assert "2016年：3.36" in only_2016 and "2015年" not in only_2016 and "2020年目标：5.3" in only_2016
    assert "没有" in indicator_cards.indicators_chart_svg(OTHER_ROWS, target="2030")
