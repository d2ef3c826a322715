"""A mark that cannot be stored: the app started with its feedback file on a full disk (/dev/full).

The mark is refused with one clear message in the user's language; the answer it was about, and
every later answer, are unaffected.
"""
from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from _app import AppServer, app_index_dir

PLEDGE = "哪个部门负责知识产权质押融资？"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def full_disk_server(corpus_dir, tmp_path_factory):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full to stand for a full disk")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path_factory.mktemp("app-full-disk") / "app.log"
    server = AppServer(port, corpus_dir, app_index_dir(tmp_path_factory), log,
                       feedback=Path("/dev/full"))
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def test_feedback_on_a_full_disk_is_one_message_and_answers_go_on(full_disk_server):
    from gradio_client import Client
    from gradio_client.exceptions import AppError
    client = Client(full_disk_server.url, verbose=False, download_files=False)
    with pytest.raises(AppError) as caught:
        client.predict(PLEDGE, "wrong", None, None, api_name="/feedback")
    assert "磁盘已满" in str(caught.value) and "Traceback" not in str(caught.value)
    assert client.predict(PLEDGE, 5, "", api_name="/ask")["found"] is True


@pytest.mark.browser
def test_a_thumb_down_on_a_full_disk_warns_and_keeps_the_answer(full_disk_server):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        page.set_default_timeout(120_000)
        page.goto(full_disk_server.url)
        page.fill("#qa-question textarea", PLEDGE)
        page.click("#qa-ask")
        page.wait_for_selector('#qa-chat [data-testid="bot"] .qa-answer')
        page.click('#qa-chat button[aria-label="踩"]')
        page.locator(".toast-body", has_text="磁盘已满").first.wait_for()
        assert page.locator('#qa-chat [data-testid="bot"] .qa-answer').count() == 1   # the answer stays
        browser.close()
