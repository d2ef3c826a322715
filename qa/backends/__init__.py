"""Where the index lives: `local` (faiss + sparse BM25 under the index folder, the default) or
Milvus, reached only through its own client `pymilvus` — embedded Milvus Lite (`milvus`, its data
file under the index folder) or a Milvus standalone server / Milvus Distributed cluster
(`milvus:<uri>`). One spelling for the CLI's --backend, the app's --backend and `QA_BACKEND`.

Why a spec object and not a flag: the same string must mean the same thing to every surface, be
refused the same way when it is wrong (before any corpus or index is opened), and never carry a
secret: the token for a secured server comes only from the environment (`QA_MILVUS_TOKEN`), so
it is never on a command line, in `ps`, or in a log.

>>> parse_backend(None), parse_backend("milvus").uri, parse_backend("milvus:http://127.0.0.1:19530").uri
(Backend(kind='local', uri=None), None, 'http://127.0.0.1:19530')
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import QAError

ENV_BACKEND = "QA_BACKEND"
ENV_TOKEN = "QA_MILVUS_TOKEN"
LITE_FILE = "milvus.db"       # Milvus Lite's data file, inside the index folder


class UnknownBackend(QAError, ValueError):
    """A --backend / QA_BACKEND value that names no backend (a usage error: exit 2)."""


class BackendError(QAError):
    """Milvus cannot be used: unreachable at start, refused credentials, or gone while serving.
    Codes: backend.unreachable (uri), backend.auth (uri), backend.unavailable."""


@dataclass(frozen=True)
class Backend:
    kind: str                 # "local" or "milvus"
    uri: str | None = None    # None for local, and for embedded Milvus Lite (a file under the index)

    @property
    def is_local(self) -> bool:
        return self.kind == "local"

    def lite_path(self, index_dir) -> str:
        """The Milvus Lite file of an index folder (embedded mode)."""
        return os.path.join(str(index_dir), LITE_FILE)

    def describe(self) -> str:
        """How the backend is named in one-line messages: never a token.

        >>> Backend("milvus", "http://u:secret@127.0.0.1:19530").describe()
        'milvus:http://127.0.0.1:19530'
        """
        if self.kind == "local" or self.uri is None:
            return self.kind
        return f"milvus:{redact(self.uri)}"


def redact(uri: str) -> str:
    """A URI without the user:password part a careless operator may have put in it.

    >>> redact("https://root:Milvus@db.example:443"), redact("/tmp/x/milvus.db")
    ('https://db.example:443', '/tmp/x/milvus.db')
    """
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    host = rest.split("@", 1)[1] if "@" in rest.split("/", 1)[0] else rest
    return f"{scheme}://{host}"


def parse_backend(value: str | None, env=None) -> Backend:
    """The backend named by `value`, else by QA_BACKEND, else local; UnknownBackend otherwise.

    >>> parse_backend("", {"QA_BACKEND": "milvus"}).kind
    'milvus'
    >>> parse_backend("faiss")
    Traceback (most recent call last):
    ...
    qa.backends.UnknownBackend: unknown backend 'faiss'; use local, milvus or milvus:<uri>
    """
    env = os.environ if env is None else env
    text = (value if value is not None and str(value).strip() else env.get(ENV_BACKEND, "")) or "local"
    text = str(text).strip()
    if text == "local":
        return Backend("local")
    if text == "milvus":
        return Backend("milvus")
    if text.startswith("milvus:"):
        uri = text[len("milvus:"):].strip()
        if uri and not any(ch.isspace() for ch in uri):
            return Backend("milvus", uri)
    raise UnknownBackend("backend.unknown", spec=redact(text)[:120])


def token(env=None) -> str:
    """The credentials for a secured Milvus ("user:password" or an API key), from the environment
    only; empty when unset."""
    env = os.environ if env is None else env
    return env.get(ENV_TOKEN, "")
