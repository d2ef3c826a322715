"""Import Gradio without the work a served app never uses: half of `python app.py`'s wait.

Gradio 6's `import gradio` spends most of its time on two things no running app needs:
- rewriting type stubs: every component class, as it is defined, has `ComponentMeta` re-read its
  source file, parse it with `ast`, render a jinja template and compare it with the `.pyi` stub
  beside it (`gradio.component_meta.create_or_modify_pyi`). The stubs are for editors; the
  installed ones are already complete, and nothing reads them at run time. Gradio has no switch
  for it, so while `import gradio` runs, an import hook replaces that one function with a no-op
  as soon as its module is loaded — and only if the function is there with the parameters this
  code was written against: a Gradio that renames or changes it is imported untouched (slower,
  never broken). `blocks_events` imports the function by name afterwards and gets the no-op too.
- importing IPython (`gradio.ipython_ext` at import, `colab_check`/`ipython_check` at launch),
  which only matters inside a notebook. A notebook kernel has IPython loaded before any user
  code runs; when it is not loaded, `import IPython` is made to fail — during `import gradio`,
  and for the rest of the process once `not_a_notebook()` says so (app.py's main) — so Gradio
  takes its own "IPython not installed" path and its answer to "is this a notebook?" stays what
  it would have been: no.

Measured on the 2-core dev VM (`python scripts/time_to_first_answer.py`, README): `import gradio`
2.1 s → 1.2 s, of which the stubs ~0.85 s and IPython ~0.1 s; launch saves IPython once more.
Set QA_GRADIO_PLAIN_IMPORT=1 to import Gradio exactly as it comes (to compare, or to rule this out).

>>> _STUB_PARAMETERS
('component_class', 'class_name', 'events')
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import inspect
import os
import sys

STUB_MODULE = "gradio.component_meta"
STUB_FUNCTION = "create_or_modify_pyi"
_STUB_PARAMETERS = ("component_class", "class_name", "events")
PLAIN_ENV = "QA_GRADIO_PLAIN_IMPORT"


def _skip_stub_rewrite(module) -> bool:
    """Replace the module's stub writer with a no-op when it is the function we know; True if done."""
    original = getattr(module, STUB_FUNCTION, None)
    try:
        params = tuple(inspect.signature(original).parameters) if callable(original) else ()
    except (TypeError, ValueError):
        params = ()
    if params != _STUB_PARAMETERS:
        return False

    def create_or_modify_pyi(component_class, class_name, events):
        """Skipped by qa.gradio_boot: stubs are for editors, not for a running app."""

    create_or_modify_pyi.original = original
    setattr(module, STUB_FUNCTION, create_or_modify_pyi)
    return True


class _StubHook(importlib.abc.MetaPathFinder):
    """Finds gradio.component_meta like the normal path finder, and patches it once executed."""

    def find_spec(self, fullname, path, target=None):
        if fullname != STUB_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        execute = loader.exec_module

        class Loader(type(loader)):  # the same loader, one step more after executing the module
            def exec_module(self, module):
                execute(module)
                _skip_stub_rewrite(module)

        try:
            loader.__class__ = Loader
        except TypeError:  # a loader whose class cannot be swapped: import it untouched
            pass
        return spec


def import_gradio():
    """`import gradio`, minus the stub rewrite and IPython (see the module docstring); the module.

    Already imported (a notebook, a test) or QA_GRADIO_PLAIN_IMPORT set: the plain import.
    """
    if "gradio" in sys.modules or os.environ.get(PLAIN_ENV):
        import gradio
        return gradio
    blocked = "IPython" not in sys.modules
    if blocked:
        sys.modules["IPython"] = None
    hook = _StubHook()
    sys.meta_path.insert(0, hook)
    try:
        import gradio
    finally:
        sys.meta_path.remove(hook)
        if blocked and "IPython" in sys.modules and sys.modules["IPython"] is None:
            del sys.modules["IPython"]
    return gradio


def not_a_notebook() -> bool:
    """For a process that serves the app (app.py's main): unless IPython is already loaded (a
    notebook), make `import IPython` fail, so launch's notebook checks cost nothing; True if so."""
    if "IPython" in sys.modules:
        return sys.modules["IPython"] is None
    sys.modules["IPython"] = None
    return True
