"""Import Gradio without the work a served app never uses: about half of `import gradio`.

Gradio 6's `import gradio` spends most of its time on three things no running app needs:
- rewriting type stubs: every component class, as it is defined, has `ComponentMeta` re-read its
  source file, parse it with `ast`, render a jinja template and compare it with the `.pyi` stub
  beside it (`gradio.component_meta.create_or_modify_pyi`). The stubs are for editors; the
  installed ones are already complete, and nothing reads them at run time.
- compiling the same jinja template again and again: each event of each component class gets its
  docstring from `EventListener.set_doc`, which compiles the shared docstring template afresh
  (216 times) only to fill in the component's name. Compiled once per distinct text and rendered
  for each, the docstrings come out identical.
- importing IPython (`gradio.ipython_ext` at import, `colab_check`/`ipython_check` at launch),
  which only matters inside a notebook. A notebook kernel has IPython loaded before any user
  code runs; when it is not loaded, `import IPython` is made to fail — during `import gradio`,
  and for the rest of the process once `not_a_notebook()` says so (app.py's main) — so Gradio
  takes its own "IPython not installed" path and its answer to "is this a notebook?" stays what
  it would have been: no.

Gradio has no switch for the first two, so while `import gradio` runs, an import hook steps in
as soon as `gradio.component_meta` is loaded: its stub writer becomes a no-op (for good), and
`gradio.events.Template` a memo of compiled templates (until the import ends). Each change is
made only if what it replaces is exactly what this was written against — the stub writer's
parameters, jinja2's own `Template` — so a Gradio that changes them is imported untouched: slower,
never broken. Set QA_GRADIO_PLAIN_IMPORT=1 to import Gradio as it comes (to compare, or to rule
this out). Measured figures: README, "Launch to first answer".

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


def memoized_templates(template_class):
    """A stand-in for jinja2's `Template(source)` that compiles each distinct source once.

    A compiled template renders the same text as a fresh one, whatever it rendered before:
    >>> from jinja2 import Template
    >>> make = memoized_templates(Template)
    >>> [make("{{ component }} changed").render(component=c) for c in ("Button", "Textbox")]
    ['Button changed', 'Textbox changed']
    >>> make("x {{ a }}") is make("x {{ a }}"), make.compiled
    (True, 2)
    """
    cache: dict = {}

    def Template(source, *args, **kwargs):  # noqa: N802 - stands in for a class
        if args or kwargs or not isinstance(source, str):
            return template_class(source, *args, **kwargs)
        compiled = cache.get(source)
        if compiled is None:
            compiled = cache[source] = template_class(source)
            Template.compiled = len(cache)
        return compiled

    Template.compiled = 0
    return Template


class _ImportHook(importlib.abc.MetaPathFinder):
    """Finds gradio.component_meta like the normal path finder, and adjusts Gradio once it is
    executed; `undo()` puts back what is only meant to last for the import."""

    def __init__(self):
        self._restore: list[tuple[object, str, object]] = []

    def find_spec(self, fullname, path, target=None):
        if fullname != STUB_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        execute, adjust = loader.exec_module, self._adjust

        class Loader(type(loader)):  # the same loader, one step more after executing the module
            def exec_module(self, module):
                execute(module)
                adjust(module)

        try:
            loader.__class__ = Loader
        except TypeError:  # a loader whose class cannot be swapped: import it untouched
            pass
        return spec

    def _adjust(self, component_meta) -> None:
        _skip_stub_rewrite(component_meta)
        events = sys.modules.get("gradio.events")  # component_meta imports it first
        try:
            import jinja2
        except ImportError:
            return
        if events is not None and getattr(events, "Template", None) is jinja2.Template:
            self._restore.append((events, "Template", jinja2.Template))
            events.Template = memoized_templates(jinja2.Template)

    def undo(self) -> None:
        for module, name, value in reversed(self._restore):
            setattr(module, name, value)
        self._restore.clear()


def import_gradio():
    """`import gradio` without the work above (see the module docstring); the module.

    Already imported (a notebook, a test) or QA_GRADIO_PLAIN_IMPORT set: the plain import.
    """
    if "gradio" in sys.modules or os.environ.get(PLAIN_ENV):
        import gradio
        return gradio
    blocked = "IPython" not in sys.modules
    if blocked:
        sys.modules["IPython"] = None
    hook = _ImportHook()
    sys.meta_path.insert(0, hook)
    try:
        import gradio
    finally:
        sys.meta_path.remove(hook)
        hook.undo()
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
