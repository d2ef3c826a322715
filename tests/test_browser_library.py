"""The chatbot over a library of two documents, in a real browser (Debian's chromium).

The corpus spec joins the 广东 plan fixture and an invented State Council notice
(tests/fixtures/library_pair): every answer card names its document, and the 文件 filter keeps
the answer inside the chosen one.
"""
from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from _app import AppServer
from _browser import app_page

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BOT = '#qa-chat [data-testid="bot"]'
NOTICE_TITLE = "《国务院关于推进知识产权质押融资扩面增效的通知》"
PLAN_TITLE = "《“十四五”广东省知识产权保护和运用规划》"


@pytest.fixture(scope="module")
def server(tmp_path_factory, free_port):
    root = tmp_path_factory.mktemp("two-docs")
    for name in ("other_plan", "library_pair"):
        shutil.copytree(FIXTURES / name, root / name)
    spec = f"{root / 'other_plan'},{root / 'library_pair'}"
    app = AppServer(free_port, spec, tmp_path_factory.mktemp("two-docs-index"), root / "app.log")
    try:
        yield app.wait_ready()
    finally:
        app.stop()


@pytest.fixture(scope="module")
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def page(server):
    with app_page(server.url) as p:
        yield p


def _ask(page, question: str):
    before = page.locator(BOT).count()
    page.fill("#qa-question textarea", question)
    page.click("#qa-ask")
    page.wait_for_function(f"document.querySelectorAll('{BOT}').length > {before}")
    newest = page.locator(BOT).last
    newest.locator(".qa-answer").wait_for()
    return newest


def test_cards_name_their_document_and_the_doc_filter_keeps_the_answer_inside_it(server, page):
    assert "2 份文件" in page.locator(".qa-title h1").inner_text()
    turn = _ask(page, "国发〔2030〕9号里谁负责风险补偿？")
    assert turn.locator(".qa-top .qa-doc").inner_text() == NOTICE_TITLE
    assert "财政部" in turn.locator(".qa-top .qa-tag").all_inner_texts()

    page.get_by_text("筛选（可选，对每一轮提问都有效）").click()
    page.locator("#qa-doc input").click()
    page.get_by_role("option", name=PLAN_TITLE.strip("《》")).click()
    filtered = _ask(page, "知识产权质押融资由哪些部门负责？")
    assert filtered.locator(".qa-top .qa-doc").inner_text() == PLAN_TITLE
    docs = filtered.locator(".qa-doc").all_text_contents()   # related cards are collapsed
    assert docs and set(docs) == {PLAN_TITLE}
