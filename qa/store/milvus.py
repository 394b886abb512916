"""The Milvus store: the same store interface on Milvus, embedded (milvus-lite, a `.db` file) or a Milvus
server or cluster (`http(s)://host:port`), through one pymilvus client. pymilvus is imported only here, and
only when this store is chosen (`pip install 'qa[scale]'`).

Three collections per corpus and model (the name is a hash of both, so two models never share one):

    <base>_s   sentences: id, doc, span, paragraph, page, line, text, qa's lexical terms (with a BM25
               function over them), holders (ids of the passages holding the sentence), vector
    <base>_p   passages: id, doc, span, first and last sentence id, vector
    <base>_r   records: "meta" (settings, counts, the manifest), "doc:<serial>" (one per document),
               "file:<hash>" (one per corpus file, with its skip reason), "term:<term>" (document frequency)

A document is numbered (its serial) when it is written; its sentence ids are serial << 24 | position, so the
ids of one document stay contiguous and an unchanged document is never rewritten. The BM25 function reads
qa's own stemmed terms (the engine's analyzer only splits them on spaces), so the engine's lexical matching
is qa's, on a server and in milvus-lite alike (which has no English stemmer). Lexical coverage needs each
question term's document frequency: kept in the term records, adjusted as documents come and go.

Milvus has no transactions: an update inserts the new documents' rows, then deletes the removed ones, then
rewrites the records; questions asked meanwhile may see both versions of a changed document. Rows of a build
that died before its commit (a serial above every recorded one) are deleted by the next update."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

import numpy as np

from qa.errors import IndexError_, QAError
from qa.store.base import (
    CorruptIndex,
    DocumentEntry,
    DocumentRows,
    IndexMissing,
    IndexWriteError,
    StoreStats,
    lends_vectors,
    writer_lock,
)
from qa.types import Code, Sentence, heading_at

SERIAL_SHIFT = 24  # sentence and passage ids: document serial << 24 | position in the document
ROW_BATCH = 2048  # rows per insert
QUERY_BATCH = 1024  # ids or keys per query
MAX_TERM = 512  # longer tokens (a hash, base64) get no document-frequency record
VARCHAR_MAX = 65535


def scale_extra_missing(what: str) -> QAError:
    return QAError(f"{what} needs the scale extra: pip install 'qa[scale]'")


def _engine_error(exc: Exception, uri: str) -> IndexError_:
    message = getattr(exc, "message", "") or str(exc)
    return IndexError_(f"Milvus at {uri!r}: {' '.join(str(message).split())[:300]}")


def engine_terms(counts: dict[str, int]) -> str:
    """A sentence's lexical terms as the text the engine's BM25 function reads: each term as often as it
    occurs, separated by spaces."""
    return fit(" ".join(t for t, n in counts.items() for _ in range(n)))


def fit(value: str, limit: int = VARCHAR_MAX) -> str:
    """`value` cut to at most `limit` UTF-8 bytes (a VARCHAR's limit), never inside a character."""
    data = value.encode("utf-8", "surrogateescape")
    return value if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


class MilvusStore:
    """One corpus's index in Milvus, for one model."""

    backend = "milvus"

    def __init__(self, corpus: str | Path, uri: str, model: str) -> None:
        self.corpus = Path(corpus)
        self.remote = uri.startswith(("http://", "https://"))
        self.uri = uri if self.remote else str(Path(uri).expanduser().resolve())
        key = hashlib.sha1(f"{self.corpus.resolve()}\0{model}".encode()).hexdigest()[:16]
        self.base = f"qa_{key}"
        self.sentences, self.passages, self.records = (f"{self.base}_{x}" for x in "spr")
        # an index made otherwise (read or chunked differently, same vectors) is kept under these names while a
        # build replaces it, and lends its vectors by text key (`MilvusTransaction.vectors_for`)
        self.lenders = (f"{self.base}_ls", f"{self.base}_lp")
        self._client = None
        self._loaded: set[str] = set()
        self._exists = False

    # ---- the connection --------------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            try:
                from pymilvus import MilvusClient
            except ImportError:
                raise scale_extra_missing(f"the Milvus store ({self.uri})") from None
            # pymilvus logs each failed call with its traceback, and notices of its own: qa reports errors itself
            for name in ("pymilvus", "milvus_lite"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
            if not self.remote:
                Path(self.uri).parent.mkdir(parents=True, exist_ok=True)
            try:
                if self.remote:
                    self._client = MilvusClient(uri=self.uri, token=os.environ.get("QA_MILVUS_TOKEN", ""))
                else:
                    self._client = MilvusClient(self.uri)
            except Exception as exc:  # noqa: BLE001 - pymilvus raises its own and grpc's errors
                if not self.remote and "open local milvus failed" in str(exc).lower():
                    raise IndexError_(
                        f"milvus-lite could not open {self.uri!r}: another process has it open (a milvus-lite "
                        "file serves one process at a time; a Milvus server serves many)"
                    ) from None
                raise _engine_error(exc, self.uri) from None
        return self._client

    def call(self, method: str, *args, **kwargs):
        """One client call; the engine's errors become one-line IndexErrors."""
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except QAError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise _engine_error(exc, self.uri) from None

    @property
    def vector_index(self) -> str:
        """milvus-lite searches exactly; a server builds a graph."""
        return "HNSW" if self.remote else "FLAT"

    def exists(self) -> bool:
        """The three collections are there (once seen, taken as known for this process's store object)."""
        if not self._exists:
            self._exists = all(self.call("has_collection", n) for n in (self.sentences, self.passages, self.records))
        return self._exists

    def drop(self, name: str) -> None:
        """Drop the collection, if there is one."""
        if self.call("has_collection", name):
            self.call("drop_collection", name)
        self._loaded.discard(name)

    def load(self, name: str) -> None:
        if name not in self._loaded:
            self.call("load_collection", name)
            self._loaded.add(name)

    def query(self, name: str, **kwargs) -> list[dict]:
        self.load(name)
        return list(self.call("query", name, **kwargs))

    def query_all(self, name: str, filter: str, output_fields: list[str]) -> Iterator[dict]:
        """Every row matching `filter`, a batch at a time (a query alone returns at most 16,384)."""
        self.load(name)
        iterator = self.call("query_iterator", name, batch_size=QUERY_BATCH, filter=filter, output_fields=output_fields)
        try:
            while True:
                try:
                    rows = iterator.next()
                except Exception as exc:  # noqa: BLE001
                    raise _engine_error(exc, self.uri) from None
                if not rows:
                    return
                yield from rows
        finally:
            iterator.close()

    def records_by_key(self, keys: list[str], fields: list[str]) -> list[dict]:
        out: list[dict] = []
        for start in range(0, len(keys), QUERY_BATCH):
            part = keys[start : start + QUERY_BATCH]
            listed = ", ".join(map(_literal, part))
            out.extend(self.query(self.records, filter=f"key in [{listed}]", output_fields=fields))
        return out

    # ---- the store interface ---------------------------------------------------------------------------
    def meta(self) -> dict | None:
        if not self.exists():
            return None
        rows = self.query(self.records, filter='key == "meta"', output_fields=["data"])
        return rows[0]["data"] if rows else None

    def settings(self) -> dict | None:
        meta = self.meta()
        return None if meta is None else meta.get("settings")

    def open(self) -> MilvusSnapshot:
        meta = self.meta()
        if meta is None:
            raise IndexMissing(f"no index for {str(self.corpus)!r} in Milvus at {self.uri!r}: run `qa index`")
        dimension = int(meta.get("settings", {}).get("dimension", 0))
        wanted = self.properties(meta.get("settings", {}))
        for name in (self.sentences, self.passages):
            described = self.call("describe_collection", name)
            dims = [int(f.get("params", {}).get("dim", 0)) for f in described.get("fields", []) if f.get("name") == "vector"]
            if dims != [dimension]:
                raise CorruptIndex(f"collection {name} holds vectors of width {dims} for a {dimension}-wide model")
            said = {k: described.get("properties", {}).get(k) for k in wanted}
            if said != wanted:
                raise CorruptIndex(f"collection {name} was made for {said}, not {wanted}: rebuild with qa index --force")
        for name in (self.sentences, self.passages):
            self.load(name)
        return MilvusSnapshot(self, meta)

    def stats(self) -> StoreStats | None:
        try:
            return self.open().stats()
        except IndexError_:
            return None

    def files(self) -> dict[str, dict] | None:
        if not self.exists():
            return None
        return {
            json.loads(row["name"]): {k: row["data"][k] for k in ("size", "mtime_ns", "sha256")}
            for row in self.query_all(self.records, 'kind == "file"', ["name", "data"])
        }

    def skipped(self) -> list[dict]:
        if not self.exists():
            return []
        rows = self.query_all(self.records, 'kind == "file"', ["name", "data"])
        return [{"path": json.loads(r["name"]), "reason": r["data"]["reason"]} for r in rows if r["data"].get("reason")]

    def documents(self) -> list[DocumentEntry]:
        entries = [_entry(row) for row in self.query_all(self.records, 'kind == "doc"', ["name", "data"])]
        return sorted(entries, key=lambda e: e.sentences[0])

    @contextlib.contextmanager
    def lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """One writer at a time: a lock file beside a milvus-lite database (a server's clients must not run
        two builds of one corpus at once)."""
        if self.remote:
            yield
            return
        waiting = f"another qa is indexing into {self.uri!r}; waiting for it to finish"

        def unwritable(exc: OSError) -> IndexWriteError:
            return IndexWriteError(f"could not write beside {self.uri!r}: {exc.strerror or exc}")

        with writer_lock(Path(self.uri + ".lock"), on_wait, waiting, unwritable):
            yield

    @contextlib.contextmanager
    def transaction(self, settings: dict, on_wait: Callable[[str], None] | None = None) -> Iterator[MilvusTransaction]:
        with self.lock(on_wait):
            txn = MilvusTransaction(self, settings, committed=self.settings())
            try:
                yield txn
            finally:
                txn.abort()

    # ---- collections -----------------------------------------------------------------------------------
    def create(self, settings: dict) -> None:
        """(Re)create the three collections for an index made with `settings`."""
        from pymilvus import DataType, Function, FunctionType

        dim = int(settings["dimension"])
        for name in (self.sentences, self.passages, self.records):
            self.drop(name)
        self._loaded.clear()
        self._exists = False
        dense = self.vector_index
        dense_params = {"M": 16, "efConstruction": 200} if dense == "HNSW" else {}

        s = self.call("create_schema", auto_id=False)
        s.add_field("id", DataType.INT64, is_primary=True)
        s.add_field("doc", DataType.INT64)
        for column in ("start", "end", "paragraph", "page", "line"):
            s.add_field(column, DataType.INT64)
        s.add_field("text", DataType.VARCHAR, max_length=VARCHAR_MAX)
        s.add_field("heading", DataType.VARCHAR, max_length=VARCHAR_MAX)  # its heading path ("" where none)
        s.add_field("code", DataType.VARCHAR, max_length=VARCHAR_MAX)  # the code it leads into, JSON ("" if none)
        s.add_field("terms", DataType.VARCHAR, max_length=VARCHAR_MAX, enable_analyzer=True,
                    analyzer_params={"tokenizer": "standard"})  # fmt: skip
        s.add_field("holders", DataType.ARRAY, element_type=DataType.INT64, max_capacity=64)
        s.add_field("key", DataType.INT64)  # the text's key as encoded (qa.store.base.text_keys), as signed
        s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        s.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        s.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["terms"],
                                output_field_names=["sparse"]))  # fmt: skip
        index = self.call("prepare_index_params")
        index.add_index("vector", index_type=dense, metric_type="IP", params=dense_params)
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        index.add_index("doc", index_type="INVERTED")
        index.add_index("key", index_type="INVERTED")
        self.call("create_collection", self.sentences, schema=s, index_params=index, consistency_level="Strong")

        p = self.call("create_schema", auto_id=False)
        p.add_field("id", DataType.INT64, is_primary=True)
        for column in ("doc", "start", "end", "first", "last", "key"):
            p.add_field(column, DataType.INT64)
        p.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        index = self.call("prepare_index_params")
        index.add_index("vector", index_type=dense, metric_type="IP", params=dense_params)
        index.add_index("doc", index_type="INVERTED")
        index.add_index("key", index_type="INVERTED")
        self.call("create_collection", self.passages, schema=p, index_params=index, consistency_level="Strong")

        r = self.call("create_schema", auto_id=False)
        r.add_field("key", DataType.VARCHAR, is_primary=True, max_length=1024)
        r.add_field("kind", DataType.VARCHAR, max_length=16)
        r.add_field("name", DataType.VARCHAR, max_length=VARCHAR_MAX)  # a path as JSON (ASCII-safe)
        r.add_field("data", DataType.JSON)
        r.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # Milvus requires a vector field in every collection
        index = self.call("prepare_index_params")
        index.add_index("v", index_type="FLAT", metric_type="L2")
        index.add_index("kind", index_type="INVERTED")
        self.call("create_collection", self.records, schema=r, index_params=index, consistency_level="Strong")
        for name in (self.sentences, self.passages, self.records):  # milvus-lite drops schema descriptions
            self.call("alter_collection_properties", name, properties=self.properties(settings))

    @staticmethod
    def properties(settings: dict) -> dict[str, str]:
        """What each collection says it holds: the model and the width of its vectors."""
        return {"qa.model": str(settings.get("model")), "qa.dimension": str(int(settings.get("dimension", 0)))}

    def write(self, name: str, rows: list[dict], upsert: bool = False) -> None:
        for start in range(0, len(rows), ROW_BATCH):
            try:
                self.call("upsert" if upsert else "insert", name, rows[start : start + ROW_BATCH])
            except IndexError_ as exc:
                raise IndexWriteError(str(exc)) from None

    def delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), QUERY_BATCH):
            self.call("delete", self.records, ids=keys[start : start + QUERY_BATCH])

    def delete_docs(self, serials: list[int]) -> None:
        for start in range(0, len(serials), QUERY_BATCH):
            part = serials[start : start + QUERY_BATCH]
            for name in (self.sentences, self.passages):
                self.call("delete", name, filter=f"doc in {part}")


def _literal(value: str) -> str:
    """A string literal of Milvus's filter language (which knows the escapes \\ and \" only)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _record(key: str, kind: str, name: str, data: dict) -> dict:
    return {"key": key, "kind": kind, "name": name, "data": data, "v": [0.0, 0.0]}


def _file_key(path: str) -> str:
    return "file:" + hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()


def _entry(row: dict) -> DocumentEntry:
    d = row["data"]
    return DocumentEntry(
        json.loads(row["name"]), d["sha256"], d.get("title", ""), d.get("date", ""), d.get("encoding", "utf-8"),
        tuple(d["sentences"]), tuple(d["passages"]),
    )  # fmt: skip


def _doc_record(serial: int, entry: DocumentEntry) -> dict:
    data = asdict(entry)
    data.pop("path")
    data.pop("sections")  # a record's JSON is bounded (64 KB): each sentence row holds its heading path instead
    data.pop("code")  # and the code block it leads into
    return _record(f"doc:{serial}", "doc", json.dumps(entry.path), data)


def _code(field: str) -> Code | None:
    """A sentence row's code block (its "code" field: [start, text] as JSON, "" where it leads into none)."""
    if not field:
        return None
    start, text = json.loads(field)
    return Code(int(start), int(start) + len(text), str(text))


def serial_of(sentence_id: int) -> int:
    return int(sentence_id) >> SERIAL_SHIFT


# ---- reading --------------------------------------------------------------------------------------------
class MilvusSnapshot:
    """The committed index in Milvus. Rows a question touches are fetched once and kept (a bounded cache);
    `hybrid` is the engine's side of retrieval (qa.retrieve.engine)."""

    CACHE_ROWS = 20_000

    def __init__(self, store: MilvusStore, meta: dict) -> None:
        self.store = store
        self.meta = meta
        self.settings: dict = meta.get("settings", {})
        counts = meta.get("counts", {})
        self.n_sentences = int(counts.get("sentences", 0))
        self.n_passages = int(counts.get("passages", 0))
        self.n_documents = int(counts.get("documents", 0))
        self._rows: dict[int, dict] = {}
        self._passages: dict[int, np.ndarray] = {}
        self._pool = None
        self._paths: dict[int, str] = {}
        self._documents: list[DocumentEntry] | None = None
        self._files: dict[str, dict] | None = None

    SENTENCE_FIELDS = ["doc", "start", "end", "paragraph", "page", "line", "text", "heading", "code", "terms", "holders",
                       "vector"]  # fmt: skip

    def rows(self, ids: list[int]) -> dict[int, dict]:
        """Sentence rows by id (ids not in the index left out): kept ones, the others fetched."""
        out: dict[int, dict] = {}
        wanted = []
        for i in dict.fromkeys(int(i) for i in ids):
            row = self._rows.get(i)
            if row is None:
                wanted.append(i)
            else:
                out[i] = row
        for start in range(0, len(wanted), QUERY_BATCH):
            part = wanted[start : start + QUERY_BATCH]
            fetched = self.store.query(self.store.sentences, ids=part, output_fields=self.SENTENCE_FIELDS)
            self.remember(fetched)
            out.update((int(r["id"]), r) for r in fetched)
        return out

    def remember(self, rows: list[dict]) -> None:
        if len(self._rows) > self.CACHE_ROWS:
            self._rows.clear()
        for row in rows:
            self._rows[int(row["id"])] = row

    def doc_path(self, serial: int) -> str:
        if serial not in self._paths:
            found = self.store.records_by_key([f"doc:{serial}"], ["name"])
            self._paths[serial] = json.loads(found[0]["name"]) if found else ""
        return self._paths[serial]

    def sentence(self, i: int) -> Sentence:
        row = self.rows([i]).get(int(i))
        if row is None:
            raise CorruptIndex(f"sentence {i} is not in the Milvus index (it changed while answering)")
        return Sentence(
            self.doc_path(int(row["doc"])), int(row["start"]), int(row["end"]), row["text"],
            int(row["paragraph"]), int(row["page"]), int(row["line"]), row["heading"], _code(row["code"]),
        )  # fmt: skip

    def texts(self, ids: list[int]) -> list[str]:
        rows = self.rows(ids)
        return [rows[int(i)]["text"] if int(i) in rows else "" for i in ids]

    def same_paragraph(self, a: int, b: int) -> bool:
        rows = self.rows([a, b])
        if int(a) not in rows or int(b) not in rows:
            return False
        x, y = rows[int(a)], rows[int(b)]
        return bool(x["doc"] == y["doc"] and x["paragraph"] == y["paragraph"])

    def document_of(self, ids: list[int]) -> np.ndarray:
        rows = self.rows(ids)
        return np.asarray([int(rows[int(i)]["doc"]) if int(i) in rows else -1 for i in ids], dtype=np.int64)

    def documents(self) -> list[DocumentEntry]:
        if self._documents is None:
            self._documents = self.store.documents()
        return self._documents

    def files(self) -> dict[str, dict]:
        if self._files is None:  # read once: a snapshot does not change
            self._files = self.store.files() or {}
        return self._files

    def stats(self) -> StoreStats:
        return StoreStats(
            backend="milvus-lite" if not self.store.remote else "milvus",
            location=f"{self.store.uri} ({self.store.base}_*)",
            documents=self.n_documents,
            sentences=self.n_sentences,
            passages=self.n_passages,
            vector_index=dict(self.meta.get("vector_index", {})),
            created=str(self.meta.get("created", "")),
        )

    # ---- the engine's searches ---------------------------------------------------------------------------
    def hybrid(self, vector: np.ndarray, lexical_query: str, k: int, lexical_k: int) -> list[dict]:
        """One hybrid search of the sentences: the k nearest by vector and the lexical_k best by BM25 over
        qa's terms, fused by rank (RRF: the engine's BM25 scores are not comparable across updates). With
        limit k + lexical_k the fused list is the union of both."""
        from pymilvus import AnnSearchRequest, RRFRanker

        query = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        requests = [AnnSearchRequest([query], "vector", {"metric_type": "IP"}, limit=k)]
        if lexical_query and lexical_k > 0:
            requests.append(AnnSearchRequest([lexical_query], "sparse", {"metric_type": "BM25"}, limit=lexical_k))
        hits = self.store.call(
            "hybrid_search", self.store.sentences, requests, RRFRanker(60), limit=k + lexical_k,
            output_fields=self.SENTENCE_FIELDS,
        )  # fmt: skip
        rows = [{"id": h["id"], **h["entity"]} for h in hits[0]]
        self.remember(rows)
        return rows

    def search_document(self, vector: np.ndarray, of: int, k: int) -> list[dict]:
        """The k sentences of sentence `of`'s document nearest by vector: the engine's search, filtered."""
        doc = self.document_of([of])[0]
        if doc < 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        hits = self.store.call(
            "search", self.store.sentences, [query], anns_field="vector", limit=k, filter=f"doc == {int(doc)}",
            search_params={"metric_type": "IP"}, output_fields=self.SENTENCE_FIELDS,
        )  # fmt: skip
        rows = [{"id": h["id"], **h["entity"]} for h in hits[0]]
        self.remember(rows)
        return rows

    def search_passages(self, vector: np.ndarray, k: int) -> list[dict]:
        query = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        hits = self.store.call(
            "search", self.store.passages, [query], anns_field="vector", limit=k,
            search_params={"metric_type": "IP"}, output_fields=["first", "last", "vector"],
        )  # fmt: skip
        rows = [{"id": h["id"], **h["entity"]} for h in hits[0]]
        if len(self._passages) > self.CACHE_ROWS:
            self._passages.clear()
        for row in rows:
            self._passages[int(row["id"])] = np.asarray(row["vector"], dtype=np.float32)
        return rows

    def passage_vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        """Passage vectors by id: those the last passage search returned, the others fetched."""
        wanted = [int(i) for i in ids if int(i) not in self._passages]
        for start in range(0, len(wanted), QUERY_BATCH):
            part = wanted[start : start + QUERY_BATCH]
            for row in self.store.query(self.store.passages, ids=part, output_fields=["vector"]):
                self._passages[int(row["id"])] = np.asarray(row["vector"], dtype=np.float32)
        found = {int(i): self._passages.get(int(i)) for i in ids}
        return {i: v for i, v in found.items() if v is not None}

    def together(self, *calls):
        """Run independent engine requests at once (each is a network round trip to a server)."""
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="qa-milvus")
        futures = [self._pool.submit(call) for call in calls]
        return [f.result() for f in futures]

    def missing_terms(self, i: int, terms: list[str]) -> list[str]:
        """The lexical `terms` that sentence i's document lacks: one search of the engine's lexical index,
        filtered to that document, where a term no sentence of it holds finds nothing."""
        doc = self.document_of([i])[0]
        if doc < 0 or not terms:
            return []
        hits = self.store.call(
            "search", self.store.sentences, list(terms), anns_field="sparse", limit=1, filter=f"doc == {int(doc)}",
            search_params={"metric_type": "BM25"}, output_fields=["doc"],
        )  # fmt: skip
        return [term for term, found in zip(terms, hits) if len(found) == 0]

    def holding(self, term: str, limit: int) -> list[int]:
        """The ids of the (at most `limit`) sentences that match a lexical term best (one BM25 search)."""
        hits = self.store.call(
            "search", self.store.sentences, [term], anns_field="sparse", limit=limit,
            search_params={"metric_type": "BM25"}, output_fields=[],
        )  # fmt: skip
        return sorted(int(hit["id"]) for hit in hits[0]) if hits else []

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        rows = self.store.records_by_key([f"term:{t}" for t in terms if len(t) <= MAX_TERM], ["key", "data"])
        return {row["key"][5:]: int(row["data"]["df"]) for row in rows}


# ---- writing --------------------------------------------------------------------------------------------
class MilvusTransaction:
    """One update: new documents' rows are inserted as they come (buffered to ROW_BATCH rows); at commit the
    removed documents' rows are deleted and the records rewritten."""

    def __init__(self, store: MilvusStore, settings: dict, committed: dict | None) -> None:
        self.store = store
        self.settings = settings
        self.committed = committed  # the settings the collections were made with (None: no index yet)
        self._ready = False
        self._committed = False
        self._previous: dict[int, DocumentEntry] = {}
        self._entries: dict[int, DocumentEntry] = {}  # serial -> entry, kept and new
        self._new: list[int] = []
        self._sentence_rows: list[dict] = []
        self._passage_rows: list[dict] = []
        self._df: Counter[str] = Counter()
        self._next = 1
        self._lenders: list[str] = []  # collections of the index this build replaces, kept to lend vectors
        self.n_sentences = 0
        self.n_passages = 0

    def known(self) -> dict[str, DocumentEntry]:
        self._start()
        return {e.sha256: e for e in self._previous.values()}

    def _start(self) -> None:
        """Read the committed documents, drop rows a build that died left, or start afresh when the index was
        made otherwise (another chunker, reading rules) or not at all."""
        if self._ready:
            return
        self._ready = True
        store = self.store
        if self.committed != self.settings:
            lend = lends_vectors(self.committed, self.settings)
            for name in store.lenders:  # an earlier replacement's, which may hold other vectors
                store.drop(name)
            if lend:  # read otherwise, same vectors: kept aside to lend them, dropped at commit
                for name, lender in zip((store.sentences, store.passages), store.lenders):
                    store.call("rename_collection", name, lender)
                self._lenders = list(store.lenders)
            store.create(self.settings)
            return
        # a replacement that died before its commit left its lenders: they lend to this build, made the same way
        self._lenders = [name for name in store.lenders if store.call("has_collection", name)]
        self._previous = {serial_of(e.sentences[0]): e for e in self.store.documents()}
        top = max(self._previous, default=0)
        for name in (self.store.sentences, self.store.passages):
            self.store.call("delete", name, filter=f"doc > {top}")
        self._next = top + 1

    def keep(self, entry: DocumentEntry, path: str) -> None:
        self._start()
        serial = serial_of(entry.sentences[0])
        self._entries[serial] = DocumentEntry(**{**asdict(entry), "path": path})
        self.n_sentences += entry.sentences[1] - entry.sentences[0]
        self.n_passages += entry.passages[1] - entry.passages[0]

    def vectors_for(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The vectors the collections hold for these text keys: those of this index when it was made with
        these settings, and those of an index made otherwise with the same vectors (an upgrade that reads
        some formats differently), kept aside while this build replaces it."""
        self._start()
        dim = int(self.settings.get("dimension", 0))
        found = np.zeros(len(keys), dtype=bool)
        sources = ([self.store.sentences, self.store.passages] if self._previous else []) + self._lenders
        if not sources or not len(keys):
            return found, np.zeros((0, dim), dtype=np.float32)
        signed = np.asarray(keys, dtype=np.uint64).view(np.int64)
        held: dict[int, list[float]] = {}
        wanted = sorted({int(k) for k in signed if k != 0})
        for name in sources:
            for start in range(0, len(wanted), QUERY_BATCH):
                batch = [k for k in wanted[start : start + QUERY_BATCH] if k not in held]
                if batch:
                    for row in self.store.query_all(name, f"key in {batch}", ["key", "vector"]):
                        held.setdefault(int(row["key"]), row["vector"])
        found = np.array([int(k) in held for k in signed], dtype=bool)
        vectors = np.asarray([held[int(k)] for k in signed[found]], dtype=np.float32).reshape(-1, dim)
        return found, vectors

    def upsert(self, rows: DocumentRows) -> None:
        self._start()
        serial = self._next
        self._next += 1
        base = serial << SERIAL_SHIFT
        if len(rows.sentences) >= 1 << SERIAL_SHIFT or len(rows.passages) >= 1 << SERIAL_SHIFT:
            raise IndexWriteError(f"{rows.entry.path} has more than {1 << SERIAL_SHIFT} sentences")
        holders: list[list[int]] = [[] for _ in rows.sentences]
        for j, p in enumerate(rows.passages):
            for i in range(p.first_sentence, p.last_sentence + 1):
                holders[i].append(base + j)
        n = len(rows.sentences)
        keys = np.asarray(rows.keys, dtype=np.uint64).view(np.int64).tolist()  # Milvus has signed 64-bit integers
        for j, (s, counts) in enumerate(zip(rows.sentences, rows.terms)):
            self._sentence_rows.append({
                "id": base + j, "doc": serial, "start": s.start, "end": s.end, "paragraph": s.paragraph,
                "page": s.page, "line": s.line, "text": fit(s.text), "terms": engine_terms(counts),
                "heading": fit(heading_at(rows.entry.sections, s.start)),
                "code": json.dumps([s.code.start, s.code.text]) if s.code is not None else "",
                "holders": holders[j][:64], "key": keys[j], "vector": rows.sentence_vectors[j],
            })  # fmt: skip
            self._df.update(counts.keys())
        for j, p in enumerate(rows.passages):
            self._passage_rows.append({
                "id": base + j, "doc": serial, "start": p.start, "end": p.end, "first": base + p.first_sentence,
                "last": base + p.last_sentence, "key": keys[n + j], "vector": rows.passage_vectors[j],
            })  # fmt: skip
        entry = DocumentEntry(**{
            **asdict(rows.entry),
            "sentences": (base, base + len(rows.sentences)), "passages": (base, base + len(rows.passages)),
        })  # fmt: skip
        self._entries[serial] = entry
        self._new.append(serial)
        self.n_sentences += len(rows.sentences)
        self.n_passages += len(rows.passages)
        if len(self._sentence_rows) + len(self._passage_rows) >= ROW_BATCH:
            self._flush()

    def _flush(self) -> None:
        self.store.write(self.store.sentences, self._sentence_rows)
        self.store.write(self.store.passages, self._passage_rows)
        self._sentence_rows, self._passage_rows = [], []

    def abort(self) -> None:
        """Delete the rows of documents this update wrote, unless it committed."""
        if self._committed or not self._new:
            return
        with contextlib.suppress(QAError):
            self.store.delete_docs(self._new)
        self._new = []

    def commit(self, files: dict[str, dict], manifest: dict) -> None:
        self._start()
        self._flush()
        store = self.store
        removed = sorted(set(self._previous) - set(self._entries))
        if removed:
            gone = store.query_all(store.sentences, f"doc in {removed}", ["terms"])
            for row in gone:
                self._df.subtract(set(row["terms"].split()))
            store.delete_docs(removed)
            store.delete_keys([f"doc:{s}" for s in removed])
        self._write_terms()
        changed = [s for s, e in self._entries.items() if s not in self._previous or self._previous[s] != e]
        store.write(store.records, [_doc_record(s, self._entries[s]) for s in changed], upsert=True)
        self._write_files(files, {s["path"]: s["reason"] for s in manifest.get("skipped", [])})
        meta = {
            "settings": self.settings,
            "corpus": str(store.corpus.resolve()),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "counts": {"documents": len(self._entries), "sentences": self.n_sentences, "passages": self.n_passages},
            "vector_index": {"sentences": store.vector_index, "passages": store.vector_index},
            **{k: v for k, v in manifest.items() if k != "skipped"},
        }
        store.write(store.records, [_record("meta", "meta", "", meta)], upsert=True)
        # sealed, so the engine searches them through their indexes: rows just written are otherwise
        # searched one by one (measured in milvus-lite: 1.9 s per search of 30,000 vectors, 0.12 s after this)
        for name in (store.sentences, store.passages, store.records):
            store.call("flush", name)
        self._committed = True
        for name in self._lenders:  # the index this one replaced
            store.drop(name)
        self._lenders = []

    def _write_terms(self) -> None:
        deltas = {t: n for t, n in self._df.items() if n and len(t) <= MAX_TERM}
        if not deltas:
            return
        now = {t: 0 for t in deltas}
        if self._previous:
            for row in self.store.records_by_key([f"term:{t}" for t in deltas], ["key", "data"]):
                now[row["key"][5:]] = int(row["data"]["df"])
        rows, zero = [], []
        for t, n in deltas.items():
            df = now[t] + n
            if df > 0:
                rows.append(_record(f"term:{t}", "term", "", {"df": df}))
            else:
                zero.append(f"term:{t}")
        self.store.write(self.store.records, rows, upsert=True)
        self.store.delete_keys(zero)

    def _write_files(self, files: dict[str, dict], reasons: dict[str, str]) -> None:
        store = self.store
        before = {}
        if self._previous:
            for row in store.query_all(store.records, 'kind == "file"', ["key", "data"]):
                before[row["key"]] = row["data"]
        rows = []
        for path, state in files.items():
            key = _file_key(path)
            data = {**state, "reason": reasons.get(path, "")}
            if before.pop(key, None) != data:
                rows.append(_record(key, "file", json.dumps(path), data))
        store.write(store.records, rows, upsert=True)
        store.delete_keys(list(before))
