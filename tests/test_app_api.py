"""The chatbot's API: `python app.py` on a loopback port, called with gradio_client like any user.

`/ask` must return exactly Answer.to_json() and agree with `python -m qa ask --json` over the
same corpus and index folder. One server for the module (built into a temporary index folder).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from _app import ROOT, app_index_dir

PLEDGE = "哪个部门负责知识产权质押融资？"




@pytest.fixture
def client(server):
    from gradio_client import Client
    return Client(server.url, verbose=False, download_files=False)


def cli_json(corpus_dir, tmp_path_factory, question: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "qa", "--corpus", str(corpus_dir),
                          "--index", str(app_index_dir(tmp_path_factory)), "ask", "--json", question],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_ask_names_the_offices_for_pledge_financing(client):
    result = client.predict(PLEDGE, 5, "", api_name="/ask")
    assert result["found"] is True
    assert {"省金融办", "人民银行长春中心支行"} <= set(result["departments"])
    assert result["hits"] and result["hits"][0]["path"][0] == "二、主要任务"
    contract = {"id", "question", "found", "intent", "answer", "departments", "value", "hits"}
    assert contract <= set(result) and set(result) - contract <= {"decision"}  # fields may be added, none removed
    assert result["decision"]["answerer"] == "search"


@pytest.mark.parametrize("question", [PLEDGE, "到2020年每万人口发明专利拥有量的目标是多少件？", "专利申请费多少钱？"])
def test_ask_equals_the_cli(client, corpus_dir, tmp_path_factory, question):
    api = client.predict(question, 5, "", api_name="/ask")
    cli = cli_json(corpus_dir, tmp_path_factory, question)
    for key in ("question", "found", "intent", "answer", "departments", "value"):
        assert api[key] == cli[key], key
    assert [h["clause_id"] for h in api["hits"]] == [h["clause_id"] for h in cli["hits"]]
    assert [h["score"] for h in api["hits"]] == pytest.approx([h["score"] for h in cli["hits"]], abs=1e-3)


DIALOGUES = [
    ("它的责任单位有哪些？", ["二(十)1讲的是什么？"]),
    ("那2016年呢？", ["全省作品登记数量2020年的目标是多少？"]),
    ("下一条呢？", ["二(十)1讲的是什么？", "它的责任单位有哪些？"]),
    ("哪个部门负责专利导航？", ["二(十)1讲的是什么？"]),
]


def test_ask_with_history_equals_batch_with_the_same_history(client, corpus_dir, tmp_path_factory):
    lines = "\n".join(json.dumps({"id": n, "question": q, "history": h}, ensure_ascii=False)
                      for n, (q, h) in enumerate(DIALOGUES))
    out = subprocess.run([sys.executable, "-m", "qa", "--corpus", str(corpus_dir),
                          "--index", str(app_index_dir(tmp_path_factory)), "batch"],
                         input=lines, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    batch = [json.loads(line) for line in out.stdout.splitlines()]
    for (question, history), cli in zip(DIALOGUES, batch):
        api = client.predict(question, 5, "", history, api_name="/ask")
        for key in ("question", "found", "intent", "answer", "departments", "value", "resolved_question"):
            assert api.get(key) == cli.get(key), (question, key)
        assert [h["clause_id"] for h in api["hits"]] == [h["clause_id"] for h in cli["hits"]]
    assert batch[0]["resolved_question"] and batch[3].get("resolved_question") is None


def test_ask_without_history_is_answered_alone(client):
    alone = client.predict("它的责任单位有哪些？", 5, "", api_name="/ask")
    assert alone["found"] is False and "resolved_question" not in alone
    with pytest.raises(Exception, match="history"):
        client.predict("它的责任单位有哪些？", 5, "", "not a list", api_name="/ask")


def test_ask_honours_top_k_and_office_aliases(client):
    narrow = client.predict(PLEDGE, 2, "", api_name="/ask")
    assert len(narrow["hits"]) <= 2
    filtered = client.predict("知识产权保护", 5, "金融办", api_name="/ask")   # alias of 省金融办
    assert filtered["hits"] and all("省金融办" in h["departments"] for h in filtered["hits"])


def text_of(message: dict) -> str:
    """A Chatbot message's text (Gradio sends content as a list of {"type": "text", "text": …})."""
    content = message["content"]
    return content if isinstance(content, str) else "".join(c.get("text", "") for c in content)


def test_chat_shows_the_cli_answer(client, corpus_dir, tmp_path_factory):
    from qa import cards
    from qa.records import Answer
    cli = cli_json(corpus_dir, tmp_path_factory, PLEDGE)
    messages, box = client.predict(PLEDGE, "", "", api_name="/chat")
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert text_of(messages[0]) == cards.esc(PLEDGE)
    html = text_of(messages[1])
    line, _ = cards.headline(Answer(cli["question"], cli["found"], cli["intent"], cli["answer"]))
    assert f'<p class="qa-headline">{cards.esc(line)}</p>' in html
    assert cards.esc(" › ".join(cli["hits"][0]["path"])) in html
    chips = [o["value"] for o in messages[1]["options"]]
    assert 2 <= len(chips) <= 4                                            # the suggested follow-ups
    assert box == ""                                                        # the question box is cleared


def newest_answer(messages: list) -> str:
    assert messages[-1]["role"] == "assistant"
    return text_of(messages[-1])                          # the conversation lists the oldest first


def test_chat_filters_by_part_and_office_alias(client):
    messages, _ = client.predict("加强知识产权工作", "", "三", api_name="/chat")
    paths = re.findall(r'<div class="qa-path">(.*?)</div>', newest_answer(messages))
    assert paths and all(p.startswith("三、组织实施") for p in paths)
    messages, _ = client.predict("知识产权保护", "发改委", "", messages, api_name="/chat")   # alias of 省发展改革委
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    cards_html = re.findall(r'data-clause="[^"]*">(.*?)</article>', newest_answer(messages))
    assert cards_html and all("省发展改革委" in c for c in cards_html)


def test_chat_reads_a_follow_up_in_the_conversation_it_is_sent(client):
    """No session state: the history is the conversation the client sends back."""
    first, _ = client.predict("二(九)1讲的是什么？", "", "", api_name="/chat")
    second, _ = client.predict("它的责任单位有哪些？", "", "", first, api_name="/chat")
    html = newest_answer(second)
    assert "按上文理解为：" in html and "二、(九)1" in html
    assert '<span class="qa-tag">省科技厅</span><span class="qa-tag">省教育厅</span>' in html
    assert second[:2] == first                                              # earlier turns are kept as they were
    again, _ = client.predict("它的责任单位有哪些？", "", "", first, api_name="/chat")
    assert newest_answer(again) == html                                      # same conversation, same answer
    alone, _ = client.predict("它的责任单位有哪些？", "", "", api_name="/chat")
    assert "要接着上文问" in newest_answer(alone)                          # no conversation, no context


def test_chat_keeps_hostile_questions_escaped_in_the_conversation(client):
    probe = "<img src=x onerror=alert(1)>专利导航"
    first, _ = client.predict(probe, "", "", api_name="/chat")
    assert text_of(first[0]) == "&lt;img src=x onerror=alert(1)&gt;专利导航"
    second, _ = client.predict("它的责任单位有哪些？", "", "", first, api_name="/chat")
    assert "<img" not in "".join(text_of(m) for m in second)


def test_hostile_question_comes_back_as_data(client):
    probe = "<img src=x onerror=alert(1)>专利申请费多少钱"
    result = client.predict(probe, 5, "", api_name="/ask")
    assert result["question"] == probe and result["found"] is False


def test_markup_without_words_is_refused_like_an_empty_question(client):
    from gradio_client.exceptions import AppError
    with pytest.raises(AppError, match="没有可以查找的文字"):
        client.predict("<img src=x onerror=alert(1)>", 5, "", api_name="/ask")


@pytest.mark.parametrize("question, office, message", [
    ("", "", "请输入问题"),
    ("   ", "", "请输入问题"),
    ("专利", "<b>不存在的单位</b>", "规划中没有这个单位"),
    ("问" * 600, "", "太长"),
    ("？？？", "", "没有可以查找的文字"),
    ("Which office? " * 60, "", "keep it under 500 characters"),
])
def test_bad_input_is_a_chinese_error(client, question, office, message):
    from gradio_client.exceptions import AppError
    with pytest.raises(AppError, match=message):
        client.predict(question, 5, office, api_name="/ask")


def test_clause_endpoint_and_page(server, client):
    import urllib.request
    clause_id = client.predict(PLEDGE, 1, "", api_name="/ask")["hits"][0]["clause_id"]
    html = client.predict(clause_id, api_name="/clause")
    assert "创新知识产权金融服务" in html and "省金融办" in html
    with urllib.request.urlopen(server.url, timeout=30) as r:
        page = r.read().decode("utf-8")
    assert "规划问答" in page


def test_routine_bad_input_leaves_no_traceback_in_the_server_log(client, server):
    from gradio_client.exceptions import AppError
    before = server.log_path.read_text(encoding="utf-8", errors="replace")
    for question in ("", "？？？", "问" * 600):
        with pytest.raises(AppError):
            client.predict(question, 5, "", api_name="/ask")
    added = server.log_path.read_text(encoding="utf-8", errors="replace")[len(before):]
    assert "Traceback" not in added and "Error" not in added, added[-800:]
