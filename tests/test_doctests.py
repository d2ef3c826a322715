"""The examples in docstrings run: every `>>>` line of every module under qa/ is a doctest, and
the pure modules (no state, no I/O) show at least one — an example that cannot go stale."""
from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest

import qa

MODULES = sorted(m.name for m in pkgutil.walk_packages(qa.__path__, "qa.") if not m.name.endswith("__main__"))
PURE = ("qa.settings", "qa.outline", "qa.retrieval", "qa.records", "qa.intents.cues", "qa.intents.indicator",
        "qa.intents.office", "qa.intents.overview", "qa.intents.reference", "qa.intents.search",
        "qa.parse", "qa.textnorm", "qa.offices", "qa.answer", "qa.cards", "qa.indicator_cards", "qa.segment",
        "qa.scope", "qa.typos", "qa.question", "qa.messages", "qa.errors", "qa.examples", "qa.corpus",
        "qa.bm25", "qa.userdict", "qa.office_notes", "qa.docmeta", "qa.listings", "qa.clausetree", "qa.doclist",
        "qa.catalogue", "qa.actors", "qa.asked", "qa.intents.gate", "qa.choices", "qa.scoring", "qa.evalreport",
        "qa.workbench_html", "qa.evalengines")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_give_what_they_say(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=FLAGS, verbose=False)
    assert result.failed == 0


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_show_runnable_examples_instead_of_prose_ones(name):
    module = importlib.import_module(name)
    assert doctest.testmod(module, optionflags=FLAGS).attempted > 0
    prose = [line for line in open(module.__file__, encoding="utf-8")
             if re.search(r"Example: .*(==|→| is (True|False|None))", line)]
    assert not prose, f"{name}: examples written as prose, not doctests: {prose[:2]}"
