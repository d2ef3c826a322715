"""`/feedback` and `/evaluate` through gradio_client, as a deploying organisation's CI would call
them (one `python app.py` for the module; its feedback file is in a temporary folder)."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from qa.scoring import METRICS

PLEDGE = "哪个部门负责知识产权质押融资？"


@pytest.fixture
def client(server):
    from gradio_client import Client
    return Client(server.url, verbose=False, download_files=False)


def stored(server) -> list[dict]:
    return [json.loads(line) for line in server.feedback.read_text(encoding="utf-8").splitlines()]


def test_feedback_stores_an_entry_that_the_file_then_holds(client, server):
    entry = client.predict(PLEDGE, "wrong", ["二(九)讲的是什么？"], None, api_name="/feedback")
    assert entry["rating"] == "wrong" and entry["history"] == ["二(九)讲的是什么？"]
    answered = client.predict(PLEDGE, 5, "", ["二(九)讲的是什么？"], api_name="/ask")
    assert entry["answer_clause"] == answered["hits"][0]["clause_id"]
    assert entry["fingerprint"]
    assert entry in stored(server)


def test_feedback_keeps_the_answer_the_client_marked(client, server):
    answer = client.predict(PLEDGE, 5, "", api_name="/ask")
    answer["hits"] = answer["hits"][1:]   # the client marks what it was shown, not a fresh answer
    entry = client.predict(PLEDGE, "right", None, answer, api_name="/feedback")
    assert entry["rating"] == "right" and entry["answer_clause"] == answer["hits"][0]["clause_id"]
    assert stored(server)[-1]["id"] == entry["id"]


def test_sixteen_clients_marking_at_once_lose_no_entry(server):
    from gradio_client import Client
    before = len(stored(server)) if server.feedback.exists() else 0

    def one(n):
        c = Client(server.url, verbose=False, download_files=False)
        return c.predict(f"{PLEDGE} 第{n}次", "wrong" if n % 2 else "right", None, {"found": False},
                         api_name="/feedback")["id"]

    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(one, range(16)))
    entries = stored(server)
    assert len(entries) == before + 16 and set(ids) <= {e["id"] for e in entries}


def test_a_mark_that_is_not_one_is_refused_with_a_message(client):
    from gradio_client.exceptions import AppError
    with pytest.raises(AppError) as caught:
        client.predict(PLEDGE, "maybe", None, None, api_name="/feedback")
    assert "right" in str(caught.value) and "wrong" in str(caught.value)


def test_evaluate_scores_a_set_sent_as_text_with_the_cli_keys(client):
    text = ("问题,类型,原文,责任单位\n"
            f"{PLEDGE},department,探索设立知识产权质押融资担保基金,省科技厅|省发展改革委|省财政厅|省工商局|"
            "省新闻出版广电局|省金融办|人民银行长春中心支行|吉林银监局|吉林保监局\n"
            "专利申请费多少钱？,unanswerable,,\n"
            "随便,clause,这句话不在任何文件里,\n")
    result = client.predict(text, "set.csv", "full", api_name="/evaluate")
    assert set(METRICS) <= set(result)
    assert (result["hit1"], result["offices"], result["not_found_recall"]) == (1.0, 1.0, 1.0)
    assert [u["code"] for u in result["unscorable"]] == ["evalset.span_not_found"]
    assert set(result["by_intent"]) == {"department", "unanswerable"}


def test_evaluate_compares_configurations_on_the_built_in_set(client):
    full = client.predict("", "set.jsonl", "full", api_name="/evaluate")
    bm25 = client.predict("", "set.jsonl", "bm25", api_name="/evaluate")
    assert full["rows"] == bm25["rows"] > 100
    assert full["values"] > bm25["values"]          # only the full system reads the indicator table


def test_evaluate_refuses_a_bad_set_in_one_line(client):
    from gradio_client.exceptions import AppError
    with pytest.raises(AppError) as caught:
        client.predict("问题,答案\n谁？,甲\n", "set.csv", "full", api_name="/evaluate")
    assert "答案" in str(caught.value)
