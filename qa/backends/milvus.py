"""The index in Milvus: one collection per build, published atomically, searched with filters.

One row per searchable clause: `pos` (its position among the searchable clauses, the primary
key), clause id, document, top heading (`part`), path, title, text, offices (an array), kind,
the dense vector (FLAT, inner product: exact, like the local default) and the clause's own BM25
weights as a sparse vector (inner product with the question's term counts *is* the project's
BM25 score, so both backends rank with the same numbers; Milvus's built-in BM25 function has its
own tokenizer and idf and would not). The document is the partition key on a Milvus server or
cluster, so a document filter reads one partition.

Atomic publish: a build writes a new collection `qa_<stamp>`, flushes it, and only then moves the
name readers use — the alias `qa_live` on a server; Milvus Lite implements no aliases (it answers
UNIMPLEMENTED), so there a one-row pointer collection is upserted instead. A build killed before
that leaves the previous collection serving; the next publish drops the debris and every build
but the one it replaced (app replicas not yet restarted may still read that one). The manifest
(format, corpus hash, dictionary hash, embedder id) is the collection's description, so it
travels with the data. Every call has a timeout, so a Milvus that went away costs a question a
bounded wait and a clear message (BackendError "backend.unavailable"), never a hang; pymilvus
reconnects by itself when Milvus is back.
"""
from __future__ import annotations

import json
import logging
import time

import numpy as np

from . import Backend, BackendError, redact, token

ALIAS = "qa_live"
POINTER = "qa_pointer"
PREFIX = "qa_b"
# seconds one call may take, retries included, before the question is refused; an int, because
# pymilvus bounds its retry loop by `timeout` only when it is one (a float leaves 75 retries)
CALL_TIMEOUT = 3
CONNECT_TIMEOUT = 10
INSERT_BATCH = 500
MAX_TEXT = 16_000             # characters; VARCHAR max_length counts bytes (3 a CJK character)
MAX_OFFICES = 64
EMPTY_QUERY_ERROR = "Unsupported data type: 0"   # Milvus Lite 2.5.1, when a query matches no row
TEXT_FIELDS = ("clause_id", "doc", "part", "path", "title", "text", "kind")


def _reason(exc: BaseException) -> str:
    """One short line for an exception from pymilvus/grpc: its message, never its traceback, and
    never the token, should a server echo it."""
    text = " ".join(str(getattr(exc, "message", None) or str(exc) or type(exc).__name__).split())
    secret = token()
    for part in {secret, *secret.split(":")} if secret else ():
        if len(part) >= 4:
            text = text.replace(part, "***")
    return text[:160]


def _is_auth(exc: BaseException) -> bool:
    text = _reason(exc).lower()
    return any(w in text for w in ("auth", "credential", "password", "permission denied", "unauthenticated"))


def _unimplemented(exc: BaseException) -> bool:
    return "unimplemented" in (repr(exc) + str(exc)).lower()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit]


class MilvusStore:
    """A connection to Milvus holding this project's collections; raises BackendError only."""

    def __init__(self, backend: Backend, index_dir, call_timeout: float = CALL_TIMEOUT):
        from pymilvus import MilvusClient  # imported here: the local backend never needs it
        # our own one-line messages say what failed; pymilvus would log each failed call again
        for name in ("pymilvus", "pymilvus.milvus_client", "pymilvus.bulk_writer"):  # each has its own handler
            logging.getLogger(name).setLevel(logging.CRITICAL)
        self.uri = backend.uri or backend.lite_path(index_dir)
        self.where = redact(self.uri)
        self.timeout = int(call_timeout)
        self._client_class = MilvusClient
        self._broken = False
        try:
            self.client = MilvusClient(uri=self.uri, token=token(), timeout=CONNECT_TIMEOUT)
            self.server = self._probe()
        except BackendError:
            raise
        except Exception as exc:
            raise self._start_error(exc) from None

    def _start_error(self, exc: BaseException) -> BackendError:
        if _is_auth(exc):
            return BackendError("backend.auth", uri=self.where)
        return BackendError("backend.unreachable", uri=self.where, reason=_reason(exc))

    def _probe(self) -> bool:
        """True on a Milvus server/cluster (aliases, partition key); False on Milvus Lite, which
        implements neither (and answers UNIMPLEMENTED to a version request)."""
        try:
            self.client.get_server_version(timeout=self.timeout)
            return True
        except Exception as exc:
            if _unimplemented(exc):
                return False
            raise

    def _call(self, fn, *args, **kwargs):
        """A pymilvus call with the timeout; any failure becomes backend.unavailable.

        After a failure the next call first opens a fresh connection (bounded by the same
        timeout): gRPC's own reconnection backs off up to two minutes, so without it answers
        would come back that long after Milvus does."""
        try:
            if self._broken:
                self._reconnect()
                fn = getattr(self.client, fn.__name__)
            return fn(*args, timeout=self.timeout, **kwargs)
        except BackendError:
            raise
        except Exception as exc:
            if _is_auth(exc):
                raise BackendError("backend.auth", uri=self.where) from None
            self._broken = True
            raise BackendError("backend.unavailable", reason=_reason(exc)) from None

    def _reconnect(self) -> None:
        try:
            self.client.close()
        except Exception:
            pass
        try:
            self.client = self._client_class(uri=self.uri, token=token(), timeout=self.timeout)
        except Exception as exc:
            raise BackendError("backend.unavailable", reason=_reason(exc)) from None
        self._broken = False

    # ------------------------------------------------------------ the live build
    def live(self) -> tuple[str, dict] | None:
        """(collection name, manifest) of the published build, or None."""
        name = None
        if self.server:
            if self._call(self.client.has_collection, ALIAS):
                name = self._call(self.client.describe_collection, ALIAS).get("collection_name")
        elif self._call(self.client.has_collection, POINTER):
            rows = self._call(self.client.query, POINTER, filter='key == "live"', output_fields=["target"],
                              consistency_level="Strong")
            name = rows[0]["target"] if rows else None
        if not name or not self._call(self.client.has_collection, name):
            return None
        description = self._call(self.client.describe_collection, name).get("description") or "{}"
        try:
            manifest = json.loads(description)
        except ValueError:
            manifest = {}
        return name, manifest if isinstance(manifest, dict) else {}

    def publish(self, clauses, bm25, vectors: np.ndarray | None, manifest: dict, log=None,
                before_switch=None) -> str:
        """Write a new collection for the searchable `clauses` (their BM25 rows and vectors), then
        switch readers to it. `before_switch` is a test hook (a killed build stops there)."""
        name = f"{PREFIX}{time.strftime('%Y%m%d%H%M%S')}{time.monotonic_ns() % 10**6:06d}"
        previous = self.live()
        dim = None if vectors is None else int(vectors.shape[1])
        self._call(self.client.create_collection, name, schema=self._schema(dim, json.dumps(manifest)),
                   index_params=self._indexes(dim))
        csr = bm25.weights.tocsr()
        for start in range(0, len(clauses), INSERT_BATCH):
            rows = [self._row(p, clauses[p], csr, vectors) for p in range(start, min(start + INSERT_BATCH, len(clauses)))]
            self._call(self.client.insert, name, rows)
            if log is not None and len(clauses) > INSERT_BATCH:
                print(f"milvus: {min(start + INSERT_BATCH, len(clauses))}/{len(clauses)} rows", file=log, flush=True)
        self._call(self.client.flush, name)
        self._call(self.client.load_collection, name)
        if before_switch is not None:
            before_switch(name)
        self._switch(name)
        self._drop_others({name, previous[0] if previous else name})
        return name

    def _schema(self, dim: int | None, description: str):
        from pymilvus import DataType
        s = self.client.create_schema(auto_id=False, description=description)
        s.add_field("pos", DataType.INT64, is_primary=True)
        for field in TEXT_FIELDS:
            limit = MAX_TEXT * 4 if field == "text" else 4096
            s.add_field(field, DataType.VARCHAR, max_length=limit,
                        **({"is_partition_key": True} if field == "doc" and self.server else {}))
        s.add_field("offices", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=MAX_OFFICES, max_length=256)
        if dim is not None:
            s.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        s.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
        return s

    def _indexes(self, dim: int | None):
        p = self.client.prepare_index_params()
        if dim is not None:
            p.add_index("dense", index_type="FLAT", metric_type="IP")
        p.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        return p

    @staticmethod
    def _row(p: int, clause, csr, vectors) -> dict:
        lo, hi = csr.indptr[p], csr.indptr[p + 1]
        row = {"pos": p, "clause_id": _clip(clause.id, 1000), "doc": _clip(clause.doc_id, 1000),
               "part": _clip(clause.path[0] if clause.path else "", 1000), "path": _clip(" › ".join(clause.path), 1000),
               "title": _clip(clause.title, 1000), "text": _clip(clause.text, MAX_TEXT), "kind": clause.kind,
               "offices": [_clip(o, 60) for o in clause.departments[:MAX_OFFICES]],
               "bm25": {int(j): float(w) for j, w in zip(csr.indices[lo:hi], csr.data[lo:hi])}}
        if vectors is not None:
            row["dense"] = vectors[p].tolist()
        return row

    def _switch(self, name: str) -> None:
        if self.server:
            if self._call(self.client.has_collection, ALIAS):
                self._call(self.client.alter_alias, name, ALIAS)
            else:
                self._call(self.client.create_alias, name, ALIAS)
            return
        if not self._call(self.client.has_collection, POINTER):
            self._create_pointer()
        self._call(self.client.upsert, POINTER, [{"key": "live", "target": name, "v": [0.0, 0.0]}])
        self._call(self.client.flush, POINTER)

    def _create_pointer(self) -> None:
        from pymilvus import DataType
        s = self.client.create_schema(auto_id=False, description="the live qa collection (Milvus Lite has no aliases)")
        s.add_field("key", DataType.VARCHAR, max_length=16, is_primary=True)
        s.add_field("target", DataType.VARCHAR, max_length=128)
        s.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # Milvus requires a vector field
        p = self.client.prepare_index_params()
        p.add_index("v", index_type="FLAT", metric_type="L2")
        self._call(self.client.create_collection, POINTER, schema=s, index_params=p, consistency_level="Strong")

    def _drop_others(self, keep: set[str]) -> None:
        """Older builds and the debris of killed ones. The one just replaced is kept: app
        replicas still serving it keep answering until they are restarted onto the new one."""
        for other in self._call(self.client.list_collections):
            if other.startswith(PREFIX) and other not in keep:
                self._call(self.client.drop_collection, other)

    # ------------------------------------------------------------ searching
    def search(self, name: str, field: str, query, expr: str, limit: int) -> dict[int, float]:
        """{pos: score} of the `limit` best rows for one query on `field` ("dense" or "bm25")."""
        if field == "bm25" and not query:
            return {}
        res = self._call(self.client.search, name, data=[query], anns_field=field, limit=limit, filter=expr,
                         output_fields=[], search_params={"metric_type": "IP"})
        return {int(h["id"]): float(h["distance"]) for h in res[0]}

    def fetch(self, name: str, positions, fields=("dense", "bm25")) -> dict[int, dict]:
        """The chosen fields of rows by position."""
        out: dict[int, dict] = {}
        positions = sorted({int(p) for p in positions})
        for start in range(0, len(positions), 1000):
            chunk = positions[start:start + 1000]
            rows = self._call(self.client.query, name, filter=f"pos in {chunk}", output_fields=["pos", *fields])
            out.update({int(r["pos"]): r for r in rows})
        return out

    def positions(self, name: str, expr: str, limit: int) -> list[int]:
        """Up to `limit` positions of rows the filter keeps (any order)."""
        try:
            rows = self._call(self.client.query, name, filter=expr or "pos >= 0", output_fields=["pos"], limit=limit)
        except BackendError as exc:
            if EMPTY_QUERY_ERROR not in str(exc.params.get("reason", "")):
                raise
            self._broken = False  # Milvus Lite's answer to a query that matched nothing
            return []
        return [int(r["pos"]) for r in rows]

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:
            pass
