"""The 评测 tab in a real browser (Playwright driving Debian's chromium, never `playwright install`).

The loop staff close: run the built-in set, open a failure side by side, mark a chat answer wrong,
correct it from the outline, add it to the curated set file and see the figures of the re-run.
The app's feedback file and curated set are in a temporary folder (tests/_app.py).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from _browser import app_page

pytestmark = pytest.mark.browser

TIMEOUT = 180_000  # ms: the built-in set is a few hundred questions on a shared machine
PLEDGE = "哪个部门负责知识产权质押融资？"
CORRECTION = "建设知识产权强市"   # a clause of the outline other than the one the answer gives
HIT1 = '#qa-eval-figures td[data-metric="hit1"]'


@pytest.fixture(scope="module")
def page(server):
    with app_page(server.url, TIMEOUT) as p:
        yield p


def entries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_from_a_wrong_answer_to_a_curated_case_and_new_figures(page, server):
    page.get_by_role("tab", name="评测").click()
    page.click("#qa-eval-run")
    page.wait_for_selector(HIT1)
    built_in = page.locator(HIT1).inner_text()
    assert built_in.startswith("0.") or built_in.startswith("1.")
    assert page.locator(".qa-intent-chart").count() >= 5          # a chart per intent
    if page.locator('#qa-eval-failures [data-testid="cell-0-2"]').count():
        page.click('#qa-eval-failures [data-testid="cell-0-2"]')
        page.wait_for_selector("#qa-eval-sides .qa-eval-expected article")
        assert page.locator("#qa-eval-sides .qa-eval-got").count() == 1

    page.get_by_role("tab", name="问答").click()
    page.fill("#qa-question textarea", PLEDGE)
    page.click("#qa-ask")
    page.wait_for_selector('#qa-chat [data-testid="bot"] .qa-answer')
    from gradio_client import Client
    answered = Client(server.url, verbose=False).predict(PLEDGE, 5, "", api_name="/ask")["hits"][0]["clause_id"]
    page.click('#qa-chat button[aria-label="踩"]')   # 👎 (the zh-CN page's label for Dislike)
    mark = wait_for(lambda: [e for e in entries(server.feedback) if e.get("question") == PLEDGE])[-1]
    assert mark["rating"] == "wrong" and mark["answer_clause"] == answered

    page.get_by_role("tab", name="评测").click()
    page.wait_for_selector(f"#qa-fb-marks [data-testid='cell-0-2']:has-text('{PLEDGE}')")
    page.click("#qa-fb-marks [data-testid='cell-0-2']")
    page.wait_for_selector(f"#qa-fb-picked:has-text('{PLEDGE}')")
    page.click("#qa-fb-clause input")
    page.fill("#qa-fb-clause input", CORRECTION)
    page.locator(f"[role=option]:has-text('{CORRECTION}')").first.click()
    page.click("#qa-fb-add")
    page.wait_for_selector("#qa-eval-status:has-text('已把')")

    cases = entries(server.curated)
    assert [c["question"] for c in cases] == [PLEDGE]
    assert cases[0]["gold_clause_ids"] != [answered]
    after = page.locator(HIT1).inner_text()
    assert after != built_in and after.startswith("0.000")          # the new case, re-run: still answered wrong
    assert page.locator('#qa-eval-failures [data-testid="cell-0-0"]').inner_text() == cases[0]["id"]
    page.wait_for_function("!document.querySelector('#qa-fb-marks').innerText.includes('知识产权质押融资')")


def test_an_uploaded_gb18030_csv_runs_and_a_bad_one_is_one_message(page, server, tmp_path):
    page.get_by_role("tab", name="评测").click()
    good = tmp_path / "our_set.csv"
    good.write_bytes(("问题,类型,原文\n"
                      f"{PLEDGE},部门,探索设立知识产权质押融资担保基金\n"
                      "专利申请费多少钱？,无答案,\n"
                      "随便问问,条款,这句话不在任何文件里\n").encode("gb18030"))
    page.locator("#qa-eval-upload input[type=file]").set_input_files(str(good))
    page.wait_for_selector("#qa-eval-upload :text('our_set.csv')")
    page.click("#qa-eval-run")
    page.wait_for_selector("#qa-eval-status:has-text('our_set.csv')")
    assert "2 题评分" in page.locator("#qa-eval-status").inner_text()
    assert "1 行无法评分" in page.locator("#qa-eval-status").inner_text()
    assert "这句话不在任何文件里" in page.locator("#qa-eval-diffs").inner_text()   # listed with its reason

    bad = tmp_path / "bad_set.csv"
    bad.write_text("问题,答案\n谁负责？,省科技厅\n", encoding="utf-8")
    page.reload()                      # an upload box that holds a file has no file input left
    page.wait_for_selector("#qa-question textarea")
    page.get_by_role("tab", name="评测").click()
    page.locator("#qa-eval-upload input[type=file]").set_input_files(str(bad))
    page.wait_for_selector("#qa-eval-upload :text('bad_set.csv')")
    page.click("#qa-eval-run")
    toast = page.locator(".toast-body", has_text="答案")
    toast.first.wait_for()
    assert "Traceback" not in toast.first.inner_text()
