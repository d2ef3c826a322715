"""One browser page on a running app, for the test modules that drive Debian's chromium through
Playwright (never `playwright install`): skipped when chromium or playwright is missing."""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@contextmanager
def app_page(url: str, timeout_ms: int = 60_000):
    """A fresh page (1280×900, zh-CN) on the app at `url`, its question box ready; closed after."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    pw = sync_api.sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    try:
        page.goto(url)
        page.wait_for_selector("#qa-question textarea")
        yield page
    finally:
        context.close()
        browser.close()
        pw.stop()
