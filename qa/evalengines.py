"""The engines a comparison needs: the open one under its retrieval modes, or the full system
under another embedder (`embedder:<spec>`, e.g. `embedder:none` for BM25 and structure only, or
`embedder:st:/models/bge-small-zh`).

Another embedder needs its own index, so it is built (once, then loaded) in a folder beside the
main one — `<index>-<embedder>` — and the main index is never rebuilt for a comparison. Engines
are opened on first use and kept, so a second run of the same comparison costs only the answers.
"""
from __future__ import annotations

import re
from pathlib import Path

from .embed import check_spec
from .evalrun import CONFIGS, Run, run_set

EMBEDDER = "embedder:"


def is_config(name: str) -> bool:
    """A configuration name: a retrieval mode of the open engine, or `embedder:<spec>`.

    >>> is_config("bm25"), is_config("embedder:none"), is_config("fast")
    (True, True, False)
    """
    return name in CONFIGS or (isinstance(name, str) and name.startswith(EMBEDDER) and len(name) > len(EMBEDDER))


def folder_for(index_dir, spec: str) -> Path:
    """The index folder of another embedder, beside the main one.

    >>> folder_for("index", "st:/models/bge-small-zh").name
    'index-st-models-bge-small-zh'
    """
    slug = re.sub(r"[^A-Za-z0-9._]+", "-", spec).strip("-") or "default"
    main = Path(index_dir)
    return main.parent / f"{main.name}-{slug}"


class Engines:
    """The open engine, and others opened on demand for `embedder:<spec>` configurations."""

    def __init__(self, engine, corpus_dir=None, index_dir=None, log=None):
        self.engine = engine
        self.corpus_dir = corpus_dir if corpus_dir is not None else engine.corpus.folder
        self.index_dir = index_dir
        self.log = log
        self._others: dict[str, object] = {}

    def resolve(self, config: str):
        """(engine, retrieval mode) for a configuration name; ValueError for an unknown one, and
        embedder.unknown (a QAError) for an embedder spec that names none."""
        if config in CONFIGS:
            return self.engine, config
        if not is_config(config):
            raise ValueError(f"unknown configuration {config!r}; use one of {', '.join(CONFIGS)} or embedder:<spec>")
        if self.index_dir is None:
            raise ValueError("comparing embedders needs the index folder")
        spec = check_spec(config[len(EMBEDDER):])
        if spec not in self._others:
            from .engine import Engine
            self._others[spec] = Engine.open(self.corpus_dir, folder_for(self.index_dir, spec), spec,
                                             settings=self.engine.settings, log=self.log)
        return self._others[spec], "full"

    def run(self, cases, config: str, progress=None) -> Run:
        """run_set under a configuration name of either kind; the run carries that name."""
        engine, mode = self.resolve(config)
        run = run_set(engine, cases, mode, progress)
        run.config = config
        return run
