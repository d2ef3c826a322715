"""qa/gradio_boot.py: Gradio imported without its stub rewrite and IPython, and still whole.

Imports are per process, so each check runs `python -c` in a subprocess.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

from qa import gradio_boot

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, sys
from qa.gradio_boot import import_gradio, not_a_notebook
gr = import_gradio()
import hashlib, inspect, jinja2
import gradio.blocks_events, gradio.component_meta, gradio.events, gradio.utils
docs = hashlib.sha256()  # every event docstring of every component, as Gradio wrote it
for name, cls in sorted(vars(gradio.components).items()):
    if inspect.isclass(cls) and issubclass(cls, gradio.components.Component):
        for event in getattr(cls, "EVENTS", []):
            docs.update(f"{name}.{event}:{getattr(cls, str(event)).__doc__}\n".encode())
after_import = {"stubs_skipped": hasattr(gradio.component_meta.create_or_modify_pyi, "original"),
                "template_restored": gradio.events.Template is jinja2.Template, "docs": docs.hexdigest(),
                "blocks_events_too": gradio.blocks_events.create_or_modify_pyi is gradio.component_meta.create_or_modify_pyi,
                "ipython_loaded": sys.modules.get("IPython") is not None,
                "ipython_blocked": "IPython" in sys.modules and sys.modules["IPython"] is None}
blocked = not_a_notebook()  # before the page: building one asks "is this Colab?" (app.py's order)
with gr.Blocks() as demo:  # a page still builds, events and all
    box = gr.Textbox()
    box.submit(lambda s: s, box, box, api_name="echo")
after_import.update(notebook_blocked=blocked, colab=gradio.utils.colab_check(), ipython=gradio.utils.ipython_check(),
                    ipython_loaded_at_launch_checks=sys.modules.get("IPython") is not None,
                    hook_left=[type(f).__name__ for f in sys.meta_path if "StubHook" in type(f).__name__])
print(json.dumps(after_import))
"""


def probe(**env) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", **env))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_gradio_imports_without_stub_rewrite_or_ipython_and_still_builds_a_page():
    got = probe()
    assert got["stubs_skipped"] and got["blocks_events_too"] and got["template_restored"]
    assert not got["ipython_loaded"] and not got["ipython_blocked"]  # blocked during the import only
    assert got["notebook_blocked"] and got["colab"] is False and got["ipython"] is False
    assert not got["ipython_loaded_at_launch_checks"]
    assert got["hook_left"] == []


def test_the_plain_import_is_one_variable_away_and_writes_the_same_docstrings():
    plain, booted = probe(QA_GRADIO_PLAIN_IMPORT="1"), probe()
    assert not plain["stubs_skipped"]
    assert booted["docs"] == plain["docs"]  # the memoized templates render what fresh ones do


def test_an_unknown_stub_writer_is_left_alone():
    """A Gradio whose function has other parameters (or none of that name) is imported untouched."""
    def create_or_modify_pyi(component_class, class_name, events, extra):
        return "theirs"

    changed = types.SimpleNamespace(create_or_modify_pyi=create_or_modify_pyi)
    assert gradio_boot._skip_stub_rewrite(changed) is False
    assert changed.create_or_modify_pyi is create_or_modify_pyi
    assert gradio_boot._skip_stub_rewrite(types.SimpleNamespace()) is False

    def known(component_class, class_name, events):
        return "theirs"

    same = types.SimpleNamespace(create_or_modify_pyi=known)
    assert gradio_boot._skip_stub_rewrite(same) is True
    assert same.create_or_modify_pyi.original is known and same.create_or_modify_pyi(1, 2, 3) is None


def test_a_notebook_keeps_ipython(monkeypatch):
    fake = types.ModuleType("IPython")
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert gradio_boot.not_a_notebook() is False
    assert sys.modules["IPython"] is fake


def test_qa_imports_jieba_without_pkg_resources_and_reads_the_same_files():
    code = ("import sys; import qa, jieba, jieba._compat as c; import os; "
            "f = c.get_module_res('dict.txt'); data = f.read(); f.close(); "
            "own = open(os.path.join(os.path.dirname(jieba.__file__), 'dict.txt'), 'rb').read(); "
            "print('pkg_resources' in sys.modules, data == own, len(data) > 1_000_000)")
    out = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c", code], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "True"]
    assert "pkg_resources" not in out.stderr


def test_the_default_path_loads_no_heavy_optional_module():
    """Starting the app's engine and answering once imports neither torch/transformers (only the
    st: embedder needs them) nor IPython, nor the part-of-speech code's own dictionary builder."""
    code = ("import sys, app; app.not_a_notebook(); from qa import Engine; "
            "e = Engine.open('corpus', sys.argv[1], 'hash', log=None); app.build_demo(e); "
            "e.ask('哪个部门负责知识产权质押融资？'); "
            "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'IPython', "
            "'pkg_resources', 'qa.userdict') if sys.modules.get(m) is not None))")
    import tempfile
    with tempfile.TemporaryDirectory() as index:
        out = subprocess.run([sys.executable, "-c", code, index], cwd=ROOT, capture_output=True, text=True,
                             timeout=600, env=dict(os.environ, GRADIO_ANALYTICS_ENABLED="False"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
