"""The chatbot in a real browser: Playwright driving Debian's chromium (/usr/bin/chromium).

Never `playwright install`: the system chromium is used as is. One app server and one browser
for the module; each test gets a fresh page. Skipped when chromium or playwright is missing.
The 问答 tab is a gr.Chatbot: user messages are [data-testid=user], answers [data-testid=bot],
oldest first; the chips are the newest answer's options (.options .option).
"""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest


pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PLEDGE = "哪个部门负责知识产权质押融资？"
PROBE = "<img src=x onerror=alert(1)>专利导航"
TIMEOUT = 60_000  # ms; answers take well under a second, but the machine is shared
USER = '#qa-chat [data-testid="user"]'
BOT = '#qa-chat [data-testid="bot"]'
CHIP = "#qa-chat .options .option"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    pw = sync_api.sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield b
    b.close()
    pw.stop()




class Page:
    """A fresh browser page on the app that records every dialog it is shown."""

    def __init__(self, browser, url, width=1280, height=900):
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)
        self.url = url

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, query=""):
        self.page.goto(self.url + query)
        self.page.wait_for_selector("#qa-question textarea")
        return self.page

    def answers(self) -> int:
        return self.page.locator(BOT).count()

    def wait_for_answers(self, more_than: int):
        self.page.wait_for_function(f"document.querySelectorAll('{BOT}').length > {more_than}")
        newest = self.newest()
        newest.locator(".qa-answer").wait_for()          # the card is rendered into the message
        return newest

    def newest(self):
        return self.page.locator(BOT).last     # oldest at the top, newest at the bottom

    def ask(self, question, submit="click"):
        p = self.page
        p.fill("#qa-question textarea", question)
        before = self.answers()
        if submit == "click":
            p.click("#qa-ask")
        else:
            p.press("#qa-question textarea", "Enter")
        return self.wait_for_answers(before)

    def chip(self, text):
        before = self.answers()
        self.page.locator(CHIP, has_text=text).click()
        return self.wait_for_answers(before)

    def users(self) -> list[str]:
        return self.page.locator(USER).all_inner_texts()

    def close(self):
        self.context.close()


@pytest.fixture
def page(browser, server):
    p = Page(browser, server.url)
    yield p
    p.close()


def test_question_shows_card_offices_and_highlight(page):
    page.open()
    turn = page.ask(PLEDGE)
    top = turn.locator(".qa-top")
    assert "二、主要任务 › (九)" in top.locator(".qa-path").inner_text()
    tags = top.locator(".qa-tag").all_inner_texts()
    assert "省金融办" in tags and "人民银行长春中心支行" in tags and len(tags) == len(set(tags))
    assert top.locator(".qa-text mark").count() > 0
    assert "质押融资" in " ".join(top.locator(".qa-text mark").all_inner_texts())
    related = turn.locator("details.qa-related")
    assert 2 <= related.count() <= 4
    assert not related.first.evaluate("d => d.open")               # collapsed
    assert "《“十三五”吉林省知识产权保护和运用规划》二、(九)2" in top.locator(".qa-cite-text").inner_text()


def test_copy_button_copies_the_citation(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.url.rstrip("/"))
    page.open()
    turn = page.ask(PLEDGE, submit="enter")
    turn.locator(".qa-top .qa-copy").click()
    page.page.wait_for_function("document.querySelector('#qa-chat .qa-top .qa-copy').textContent === '已复制'")
    copied = page.page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("《“十三五”吉林省知识产权保护和运用规划》二、(九)2")


def test_example_is_one_click_away(page):
    p = page.open()
    assert "请在下方输入问题" in p.locator("#qa-chat").inner_text()      # the empty conversation welcomes
    p.locator("#qa-chat .example", has_text="指标｜").click()
    turn = page.wait_for_answers(0)
    assert "5.3" in turn.locator(".qa-headline").inner_text()
    asked = page.users()
    assert len(asked) == 1 and "指标｜" not in asked[0] and asked[0].endswith("？")   # the question, not its label
    p.click("#qa-clear")                                                 # a new conversation shows them again
    p.locator("#qa-chat .example", has_text="规划外｜").click()
    newest = page.wait_for_answers(0)
    assert page.answers() == 1
    assert "本规划没有涉及这个问题" in newest.inner_text()
    assert "相关条款（仅供参考）" in newest.inner_text() and newest.locator(".qa-top").count() == 0


def test_a_three_turn_dialogue_reads_follow_ups_in_context(page, artifacts):
    p = page.open()
    first = page.ask("二(九)1讲的是什么？", submit="enter")
    assert "完善知识产权运营公共服务平台" in first.locator(".qa-top .qa-path").inner_text()
    assert first.locator(".qa-reading").count() == 0                     # a complete question: no reading
    second = page.ask("它的责任单位有哪些？", submit="enter")
    reading = second.locator(".qa-reading").inner_text()
    assert reading.startswith("按上文理解为：") and "二、(九)1" in reading
    assert second.locator(".qa-top .qa-tag").all_inner_texts() == ["省科技厅", "省教育厅"]
    third = page.ask("下一条呢？")
    assert "二、(九)2" in third.locator(".qa-reading").inner_text()
    assert "创新知识产权金融服务" in third.locator(".qa-top .qa-path").inner_text()
    # the order every chat app uses: oldest at the top, newest at the bottom, the input below
    assert page.users() == ["二(九)1讲的是什么？", "它的责任单位有哪些？", "下一条呢？"]
    tops = [b["y"] for b in p.locator(USER).evaluate_all("us => us.map(u => u.getBoundingClientRect())")]
    assert tops == sorted(tops)
    assert p.locator(BOT).count() == 3
    chat_box, input_box = p.locator("#qa-chat").bounding_box(), p.locator("#qa-question textarea").bounding_box()
    assert input_box["y"] >= chat_box["y"] + chat_box["height"] - 1
    assert p.locator("#qa-question textarea").input_value() == ""         # the box is cleared for the next one
    p.wait_for_timeout(400)                       # the conversation scrolls the newest question to its top
    log, newest_question = p.locator('#qa-chat [role="log"]').bounding_box(), p.locator(USER).last.bounding_box()
    assert log["y"] <= newest_question["y"] <= log["y"] + log["height"] / 2
    p.screenshot(path=str(artifacts / "chat_dialogue.png"))


def test_a_chip_asks_its_follow_up_as_the_next_turn(page, artifacts):
    p = page.open()
    page.ask("二(九)1讲的是什么？")
    chips = p.locator(CHIP).all_inner_texts()
    assert 2 <= len(chips) <= 4 and "这条的责任单位有哪些？" in chips
    turn = page.chip("这条的责任单位有哪些？")
    assert page.users() == ["二(九)1讲的是什么？", "这条的责任单位有哪些？"]
    assert turn.locator(".qa-reading").inner_text().startswith("按上文理解为：")
    assert turn.locator(".qa-top .qa-tag").all_inner_texts() == ["省科技厅", "省教育厅"]
    after = p.locator(CHIP).all_inner_texts()                            # new chips for the newest answer
    assert 2 <= len(after) <= 4 and "这条的责任单位有哪些？" not in after
    p.wait_for_timeout(400)
    p.screenshot(path=str(artifacts / "chat_chips.png"))
    turn = page.chip("下一条呢？")
    assert "二、(九)2" in turn.locator(".qa-reading").inner_text()


def test_retry_undo_and_clear(page):
    p = page.open()
    page.ask("二(九)1讲的是什么？")
    page.ask("它的责任单位有哪些？")
    # retry: the last question is asked again, in the same context, and replaces its answer
    p.get_by_role("button", name="重试").last.click()
    p.wait_for_timeout(300)
    page.newest().locator(".qa-answer").wait_for()
    assert page.users() == ["二(九)1讲的是什么？", "它的责任单位有哪些？"] and page.answers() == 2
    assert page.newest().locator(".qa-reading").inner_text().startswith("按上文理解为：")
    # undo: the last exchange goes, its question comes back to the box
    p.get_by_role("button", name="撤销").last.click()
    p.wait_for_function(f"document.querySelectorAll('{BOT}').length === 1")
    assert page.users() == ["二(九)1讲的是什么？"]
    assert p.locator("#qa-question textarea").input_value() == "它的责任单位有哪些？"
    assert p.locator(CHIP).count() >= 2                                   # the remaining answer's chips are back
    # clear (the Chatbot's own button): a new conversation
    p.locator("#qa-chat").get_by_role("button", name="清空对话").click()
    p.wait_for_function(f"document.querySelectorAll('{BOT}').length === 0")
    assert p.locator(USER).count() == 0 and p.locator("#qa-chat .example").count() >= 2
    # … and nothing of the old one is context any more
    turn = page.ask("它的责任单位有哪些？")
    assert "要接着上文问" in turn.inner_text()
    p.click("#qa-clear")                                                  # the page's own clear button
    p.wait_for_function(f"document.querySelectorAll('{BOT}').length === 0")


def test_filters_apply_to_every_turn_including_a_retry(page):
    p = page.open()
    turn = page.ask("加强知识产权工作")
    assert not all(t.startswith("三、组织实施") for t in turn.locator(".qa-path").all_text_contents())
    p.get_by_text("筛选（可选").click()
    p.locator("#qa-part input").click()
    p.get_by_role("option", name="三、组织实施").click()
    p.get_by_role("button", name="重试").last.click()
    p.wait_for_function(f"""(() => {{ const b = document.querySelectorAll('{BOT}');
        const path = b.length ? b[b.length - 1].querySelector('.qa-top .qa-path') : null;
        return path && path.textContent.startsWith('三、组织实施'); }})()""")
    paths = page.newest().locator(".qa-path").all_text_contents()      # collapsed cards included
    assert paths and all(t.startswith("三、组织实施") for t in paths)
    turn = page.ask("还有呢？")                                          # a follow-up under the same filter
    assert all(t.startswith("三、组织实施") for t in turn.locator(".qa-path").all_text_contents())


def test_clause_link_opens_the_clause(page):
    p = page.open()
    turn = page.ask(PLEDGE)
    href = turn.locator(".qa-top a.qa-open").get_attribute("href")
    assert href.startswith("?clause=")
    with page.context.expect_page() as popup_info:
        turn.locator(".qa-top a.qa-open").click()
    popup = popup_info.value
    popup.set_default_timeout(TIMEOUT)
    popup.wait_for_selector("#qa-clause .qa-top")
    assert "创新知识产权金融服务" in popup.locator("#qa-clause .qa-path").inner_text()
    assert popup.get_by_role("tab", name="浏览规划").get_attribute("aria-selected") == "true"
    popup.close()
    # the same link typed by hand, and an unknown clause id
    p.goto(page.url + "?clause=" + quote("nope:<b>"))
    p.wait_for_selector("#qa-clause .qa-missing")
    assert "nope:<b>" in p.locator("#qa-clause").inner_text()


def test_browse_tab_shows_the_chosen_clause(page):
    p = page.open()
    p.get_by_role("tab", name="浏览规划").click()
    labels = p.locator("#qa-outline label").all_inner_texts()
    assert labels[0].strip() == "前言" and any("2.创新知识产权金融服务" in t for t in labels)
    p.locator("#qa-outline label", has_text="2.创新知识产权金融服务").click()
    p.wait_for_selector("#qa-clause .qa-top")
    pane = p.locator("#qa-clause")
    assert "创新知识产权金融服务" in pane.locator(".qa-path").inner_text()
    assert "省金融办" in pane.locator(".qa-tag").all_inner_texts()
    p.locator("#qa-outline label", has_text="二、主要任务").click()
    p.wait_for_selector("#qa-clause .qa-children")
    assert pane.locator(".qa-children li").count() == 12


def test_offices_and_indicators_tabs(page):
    p = page.open()
    p.get_by_role("tab", name="责任单位").click()
    office = p.locator('details[data-office="省金融办"]')
    office.locator("summary").click()
    text = office.inner_text()
    assert "吉林省人民政府金融工作办公室" in text and "又称" in text and "创新知识产权金融服务" in text
    assert p.locator("details.qa-office").count() >= 30
    p.get_by_role("tab", name="主要指标").click()
    table = p.locator("#qa-indicator-table table")
    assert table.locator("tbody tr").count() == 9 and "每万人口发明专利拥有量" in table.inner_text()
    assert p.locator("#qa-indicator-chart svg rect").count() > 9


def test_xss_probe_is_shown_as_text_and_runs_nothing(page):
    p = page.open()
    page.ask(PROBE)
    assert page.users() == [PROBE]                       # the question shows exactly as typed
    assert p.locator("#qa-chat img").count() == 0
    p.wait_for_timeout(500)
    assert page.dialogs == []
    page.ask("它的责任单位有哪些？")                       # the probe is history now: still inert
    assert p.locator("#qa-chat img").count() == 0 and page.dialogs == []


def test_empty_question_gets_a_chinese_error(page):
    p = page.open()
    p.click("#qa-ask")
    p.get_by_text("请输入问题。").first.wait_for()
    assert page.answers() == 0 and p.locator(USER).count() == 0          # nothing is added to the conversation


def test_markup_only_question_is_refused_and_runs_nothing(page):
    p = page.open()
    p.fill("#qa-question textarea", "<img src=x onerror=alert(1)>")
    p.click("#qa-ask")
    p.get_by_text("没有可以查找的文字").first.wait_for()
    assert p.locator("#qa-chat img").count() == 0
    assert page.dialogs == []


def test_phone_width_screenshot(browser, server, artifacts):
    phone = Page(browser, server.url, width=375, height=812)
    try:
        p = phone.open()
        assert p.evaluate("document.documentElement.scrollWidth") <= 376     # the examples fit too
        phone.ask(PLEDGE, submit="enter")
        phone.ask("它的责任单位有哪些？", submit="enter")
        overflow = p.evaluate("document.documentElement.scrollWidth")
        p.wait_for_timeout(400)
        p.screenshot(path=str(artifacts / "phone_chat.png"))
        assert overflow <= 376, f"page is {overflow}px wide at 375px"
        wide = p.locator("#qa-chat .qa-answer, #qa-chat .options").evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length")
        assert wide == 0                                                  # no card scrolls sideways either
        chips = p.locator(CHIP)
        assert chips.count() >= 2 and all(b["x"] + b["width"] <= 376 for b in
                                          chips.evaluate_all("cs => cs.map(c => c.getBoundingClientRect())"))
        assert p.locator("#qa-ask").bounding_box()["x"] + p.locator("#qa-ask").bounding_box()["width"] <= 376
        p.get_by_role("tab", name="主要指标").click()
        p.wait_for_selector("#qa-indicator-chart svg")
        p.screenshot(path=str(artifacts / "phone_indicators.png"), full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth") <= 376
    finally:
        phone.close()
    assert (artifacts / "phone_chat.png").stat().st_size > 10_000
