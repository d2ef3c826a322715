"""The chatbot in a real browser: Playwright driving Debian's chromium (/usr/bin/chromium).

Never `playwright install`: the system chromium is used as is. One app server and one browser
for the module; each test gets a fresh page. Skipped when chromium or playwright is missing.
"""
from __future__ import annotations

import re
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

    def ask(self, question, submit="click"):
        p = self.page
        p.fill("#qa-question textarea", question)
        before = p.locator("#qa-chat .qa-turn").count()
        if submit == "click":
            p.click("#qa-ask")
        else:
            p.press("#qa-question textarea", "Enter")
        p.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-turn').length > {before}")
        return p.locator("#qa-chat .qa-turn").first   # newest first

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
    p.get_by_role("button", name=re.compile("^指标｜")).click()
    p.wait_for_selector("#qa-chat .qa-turn")
    turn = p.locator("#qa-chat .qa-turn").first
    assert "5.3" in turn.locator(".qa-headline").inner_text()
    p.get_by_role("button", name=re.compile("^规划外｜")).click()
    p.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn').length === 2")
    newest = p.locator("#qa-chat .qa-turn").first
    assert "本规划没有涉及这个问题" in newest.inner_text()
    assert "相关条款（仅供参考）" in newest.inner_text() and newest.locator(".qa-top").count() == 0


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
    turn = page.ask(PROBE)
    assert turn.locator(".qa-question-text").inner_text() == PROBE
    assert p.locator("#qa-chat img").count() == 0
    p.wait_for_timeout(500)
    assert page.dialogs == []


def test_empty_question_gets_a_chinese_error(page):
    p = page.open()
    p.click("#qa-ask")
    p.get_by_text("请输入问题。").first.wait_for()


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
        phone.ask(PLEDGE)
        overflow = p.evaluate("document.documentElement.scrollWidth")
        p.screenshot(path=str(artifacts / "phone_chat.png"))
        assert overflow <= 376, f"page is {overflow}px wide at 375px"
        p.get_by_role("tab", name="主要指标").click()
        p.wait_for_selector("#qa-indicator-chart svg")
        p.screenshot(path=str(artifacts / "phone_indicators.png"), full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth") <= 376
    finally:
        phone.close()
    assert (artifacts / "phone_chat.png").stat().st_size > 10_000
