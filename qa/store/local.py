"""The local store: versioned folders of FAISS files and memory-mapped numpy tables. The only module that
imports faiss or knows the index files.

Layout of one corpus's index under the index folder:

    <corpus-key>/CURRENT            name of the live version folder (replaced atomically)
    <corpus-key>/.lock              held while writing, so two builds never interleave
    <corpus-key>/v-<time>/          manifest.json, documents.json, files.json,
                                    sentences.npy (spans), sentence_text.bin + sentence_text.npy,
                                    passages.npy, document_path.bin/.npy, document_sections.bin/.npy
                                    (each document's heading paths, JSON), document_code.bin/.npy (the
                                    code blocks its sentences lead into, JSON), sentences.faiss,
                                    passages.faiss, lexical/*.npy

No pickle: JSON, numpy's .npy and FAISS's own binary format only. Opening an index parses no per-sentence
object: tables are memory-mapped and a Sentence is made when one is asked for.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import BinaryIO

import numpy as np

from qa.errors import IndexError_
from qa.store.base import (
    CorruptIndex,
    DocumentEntry,
    DocumentRows,
    IndexMissing,
    IndexWriteError,
    LexicalTables,
    StoreStats,
    lends_vectors,
    text_keys,
    writer_lock,
)
from qa.store.lexicon import TermCounter, sentence_counts
from qa.types import Sentence, code_for, heading_at, with_context


def _unwritable(root: Path, exc: OSError) -> IndexWriteError:
    return IndexWriteError(f"could not write the index in {str(root)!r}: {exc.strerror or exc}")


SENTENCE_DTYPE = np.dtype(
    [("doc", "<i4"), ("start", "<i4"), ("end", "<i4"), ("paragraph", "<i4"), ("page", "<i4"), ("line", "<i4")]
)
PASSAGE_DTYPE = np.dtype([("doc", "<i4"), ("start", "<i4"), ("end", "<i4"), ("first", "<i4"), ("last", "<i4")])
TABLE_FILES = (
    "sentences.npy",
    "sentence_text.bin",
    "sentence_text.npy",
    "passages.npy",
    "document_path.bin",
    "document_path.npy",
    "document_sections.bin",
    "document_sections.npy",
    "document_code.bin",
    "document_code.npy",
    "text_keys.npy",  # each sentence's and passage's text key (qa.store.base.text_keys): vectors reused by text
)
VECTOR_FILES = ("sentences.faiss", "passages.faiss")
LEXICAL_FILES = tuple(f"lexical/{name}.npy" for name in LexicalTables.ARRAYS)
INDEX_FILES = ("documents.json", "files.json", *TABLE_FILES, *VECTOR_FILES, *LEXICAL_FILES)


def corpus_key(corpus: str | Path) -> str:
    absolute = str(Path(corpus).resolve())
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(absolute).name).strip("-")[:40] or "corpus"
    return f"{slug}-{hashlib.sha1(absolute.encode()).hexdigest()[:10]}"


# ---- vector indexes -----------------------------------------------------------------------------------
# Above this many vectors exact search gets slow for one question at a time, and qa builds an inverted-file
# index over float16 vectors instead (measured: eval/bench_scale.py, docs/benchmarks.md).
ANN_THRESHOLD = 200_000
ANN_NPROBE = 64
# A follow-up searches the answered sentence's document: at most this many sentences either side of it
DOCUMENT_WINDOW = 20_000


def flat_index(vectors: np.ndarray, dim: int):
    import faiss

    index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def vector_index(vectors: np.ndarray, dim: int):
    """Exact search up to ANN_THRESHOLD vectors, the IVF index above it (sentences and passages alike)."""
    return ann_index(vectors, dim) if len(vectors) > ANN_THRESHOLD else flat_index(vectors, dim)


def describe(index) -> str:
    nlist = getattr(index, "nlist", 0)
    return f"IVF{nlist},SQfp16 nprobe={index.nprobe}" if nlist else "Flat"


def ann_index(vectors: np.ndarray, dim: int, nprobe: int = ANN_NPROBE, seed: int = 1234):
    """IVF (about 4*sqrt(n) lists, k-means trained on a seeded sample) over float16 scalar-quantised
    vectors, inner product, with a direct map so vectors can be read back by id."""
    import faiss

    n = len(vectors)
    nlist = max(16, 1 << int(round(np.log2(4 * np.sqrt(n)))))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dim, nlist, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    sample = np.random.default_rng(seed).choice(n, size=min(n, 40 * nlist), replace=False)
    index.cp.niter = 10
    index.cp.seed = seed
    index.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
    for start in range(0, n, 100_000):
        index.add(np.ascontiguousarray(vectors[start : start + 100_000], dtype=np.float32))
    index.nprobe = nprobe
    index.make_direct_map()
    return index


def _reconstruct(index, ids: list[int]) -> np.ndarray:
    if not len(ids):
        return np.zeros((0, index.d), dtype=np.float32)
    return index.reconstruct_batch(np.asarray(ids, dtype=np.int64))


def _search(index, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, scores) of the k nearest by inner product; padding (-1) removed."""
    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores, ids = index.search(np.asarray(query, dtype=np.float32).reshape(1, -1), k)
    keep = ids[0] >= 0
    return ids[0][keep], scores[0][keep]


# ---- reading ------------------------------------------------------------------------------------------
class LocalSnapshot:
    """One version folder, opened: FAISS indexes and numpy tables memory-mapped, JSON read on demand."""

    def __init__(self, path: Path, manifest: dict) -> None:

        self.path = path
        self.manifest = manifest
        self.settings: dict = manifest.get("settings", {})
        try:
            self._sentences = _load(path / "sentences.npy")
            self._passages = _load(path / "passages.npy")
            self._text, self._text_offsets = _load_blob(path, "sentence_text")
            self._paths, self._path_offsets = _load_blob(path, "document_path")
            self._blobs = {"sections": _load_blob(path, "document_sections"), "code": _NO_BLOB}
            if (path / "document_code.bin").exists():  # an index made before code was kept has none
                self._blobs["code"] = _load_blob(path, "document_code")
            self._lexical = LexicalTables(
                **{name: _load(path / "lexical" / f"{name}.npy") for name in LexicalTables.ARRAYS}
            )
            kinds = manifest.get("vector_index", {})
            self.sentence_index = _read_vectors(path / "sentences.faiss", kinds.get("sentences", ""))
            self.passage_index = _read_vectors(path / "passages.faiss", kinds.get("passages", ""))
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise CorruptIndex(f"index at {str(path)!r} is unreadable ({type(exc).__name__}: {exc})") from None
        self.n_sentences = len(self._sentences)
        self.n_passages = len(self._passages)
        if (
            self.sentence_index.ntotal != self.n_sentences
            or self.passage_index.ntotal != self.n_passages
            or len(self._text_offsets) != self.n_sentences + 1
            or len(self._lexical.forward_ptr) != self.n_sentences + 1
            or len(self._lexical.sentence_lengths) != self.n_sentences
            or len(self._path_offsets) != int(manifest.get("counts", {}).get("documents", -1)) + 1
        ):
            raise CorruptIndex(f"index at {str(path)!r} is inconsistent (vector and sentence counts differ)")
        if self.n_passages and (
            int(self._passages["first"].min()) < 0 or int(self._passages["last"].max()) >= self.n_sentences
        ):
            raise CorruptIndex(f"index at {str(path)!r} is inconsistent (a passage points past the sentences)")
        self._documents: list[DocumentEntry] | None = None
        self._files: dict[str, dict] | None = None
        self._blobs_read: dict[tuple[str, int], tuple[tuple[int, str], ...]] = {}  # (blob, document) -> as read
        self._keys: np.ndarray | None = None
        self._by_key: tuple[np.ndarray, np.ndarray] | None = None  # text keys sorted, and their rows

    def keys(self) -> np.ndarray:
        """The text key of each sentence, then of each passage (memory-mapped, read once). An index made
        before they were kept has them worked out from its tables (`_derived_keys`)."""
        if self._keys is None:
            try:
                keys = _load(self.path / "text_keys.npy")
            except (OSError, ValueError):
                keys = None
            fits = keys is not None and keys.dtype == np.uint64 and len(keys) == self.n_sentences + self.n_passages
            self._keys = keys if fits and keys is not None else self._derived_keys()
        return self._keys

    def _derived_keys(self) -> np.ndarray:
        """Text keys for an index that kept none: each sentence as it was encoded, its heading path and text
        (both in the tables); each passage as its sentences joined by as many spaces as the gaps between them
        (the tables keep no passage text: where a gap was a line break, the key misses and the passage is
        encoded again, which costs time, never a wrong vector)."""
        texts = self.texts(list(range(self.n_sentences)))
        docs = self._sentences["doc"]
        starts, ends = self._sentences["start"], self._sentences["end"]
        read = [with_context(heading_at(self.sections(int(docs[i])), int(starts[i])), t) for i, t in enumerate(texts)]
        for p in range(self.n_passages):
            first, last = int(self._passages["first"][p]), int(self._passages["last"][p])
            joined = texts[first]
            for i in range(first + 1, last + 1):
                joined += " " * max(int(starts[i]) - int(ends[i - 1]), 0) + texts[i]
            read.append(with_context(heading_at(self.sections(int(docs[first])), int(self._passages["start"][p])), joined))
        return text_keys(read)

    def vectors_by_key(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of these text keys this index holds (a mask), and the vectors of those found, in order."""
        keys = np.asarray(keys, dtype=np.uint64)
        if self._by_key is None:
            held = np.asarray(self.keys())
            order = np.argsort(held, kind="stable")
            self._by_key = held[order], order
        ordered, rows = self._by_key
        at = np.minimum(np.searchsorted(ordered, keys), max(len(ordered) - 1, 0))
        found = (ordered[at] == keys) & (keys != 0) if len(ordered) else np.zeros(len(keys), dtype=bool)
        hits = rows[at[found]]
        vectors = np.empty((len(hits), self.sentence_index.d), dtype=np.float32)
        is_sentence = hits < self.n_sentences
        vectors[is_sentence] = self.sentence_vectors(hits[is_sentence].tolist())
        vectors[~is_sentence] = self.passage_vectors((hits[~is_sentence] - self.n_sentences).tolist())
        return found, vectors

    # sentences and passages
    def texts(self, ids: list[int]) -> list[str]:
        off, n = self._text_offsets, self.n_sentences
        return [self._text[off[i] : off[i + 1]].tobytes().decode("utf-8") if 0 <= i < n else "" for i in ids]

    def sentence(self, i: int) -> Sentence:
        row = self._sentences[i]
        doc, start, end, text = int(row["doc"]), int(row["start"]), int(row["end"]), self.texts([i])[0]
        sections = self.sections(doc)
        return Sentence(
            self.doc_path(doc), start, end, text, int(row["paragraph"]), int(row["page"]), int(row["line"]),
            heading_at(sections, start), code_for(self.code(doc), sections, start, end, text),
        )

    def sections(self, doc: int) -> tuple[tuple[int, str], ...]:
        """Document `doc`'s sections (offset, heading path)."""
        return self._per_document("sections", doc)

    def code(self, doc: int) -> tuple[tuple[int, str], ...]:
        """Document `doc`'s code blocks that a sentence leads into (offset, text)."""
        return self._per_document("code", doc)

    def _per_document(self, name: str, doc: int) -> tuple[tuple[int, str], ...]:
        """One document's slice of a mapped blob of (offset, text) pairs, decoded when first asked for (showing
        a sentence parses no other document's)."""
        if (name, doc) not in self._blobs_read:
            blob, off = self._blobs[name]
            raw = blob[off[doc] : off[doc + 1]].tobytes().decode("utf-8") if doc + 1 < len(off) else ""
            self._blobs_read[name, doc] = tuple((int(o), str(t)) for o, t in json.loads(raw)) if raw else ()
        return self._blobs_read[name, doc]

    def same_paragraph(self, a: int, b: int) -> bool:
        if not (0 <= a < self.n_sentences and 0 <= b < self.n_sentences):
            return False
        x, y = self._sentences[a], self._sentences[b]
        return bool(x["doc"] == y["doc"] and x["paragraph"] == y["paragraph"])

    def document_of(self, ids: list[int]) -> np.ndarray:
        return np.asarray(self._sentences["doc"][np.asarray(ids, dtype=np.int64)], dtype=np.int64)

    def document_range(self, i: int) -> range:
        """The ids of the sentences of sentence i's document (a document's sentences are one run of ids).
        bisect reads a few entries of the mapped column; np.searchsorted would copy all of it first."""
        docs = self._sentences["doc"]
        return range(bisect.bisect_left(docs, docs[i]), bisect.bisect_right(docs, docs[i]))

    def passage_sentences(self, ids: list[int]) -> list[tuple[int, int]]:
        """(first, last) sentence of each passage, last inclusive."""
        return [(int(self._passages["first"][p]), int(self._passages["last"][p])) for p in ids]

    def passages_holding(self, ids: list[int]) -> list[list[int]]:
        """The passages holding each sentence. Passages are in sentence order, so those holding s are a run:
        from the first whose last sentence is >= s to the last whose first sentence is <= s. bisect, as in
        document_range: the mapped columns are strided fields, which np.searchsorted would copy whole."""
        firsts, lasts = self._passages["first"], self._passages["last"]
        return [list(range(bisect.bisect_left(lasts, s), bisect.bisect_right(firsts, s))) for s in ids]

    # vectors
    def sentence_vectors(self, ids: list[int]) -> np.ndarray:
        return _reconstruct(self.sentence_index, ids)

    def passage_vectors(self, ids: list[int]) -> np.ndarray:
        return _reconstruct(self.passage_index, ids)

    def search_sentences(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return _search(self.sentence_index, vector, k)

    def search_passages(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return _search(self.passage_index, vector, k)

    def search_document(self, vector: np.ndarray, of: int, k: int) -> np.ndarray:
        """The k sentences of sentence `of`'s document closest to `vector` (within DOCUMENT_WINDOW of it in a
        very long document), best first."""
        doc = self.document_range(of)
        ids = np.arange(max(doc.start, of - DOCUMENT_WINDOW), min(doc.stop, of + DOCUMENT_WINDOW + 1))
        sims = self.sentence_vectors(ids.tolist()) @ np.asarray(vector, dtype=np.float32).reshape(-1)
        return ids[np.argsort(-sims, kind="stable")[:k]]

    # lexical tables, documents, files
    def lexical(self) -> LexicalTables:
        return self._lexical

    def documents(self) -> list[DocumentEntry]:
        if self._documents is None:
            rows = _read_json(self.path / "documents.json")
            self._documents = [
                DocumentEntry(
                    **{**d, "sentences": tuple(d["sentences"]), "passages": tuple(d["passages"])},
                    sections=self.sections(i),
                    code=self.code(i),
                )
                for i, d in enumerate(rows)
            ]
        return self._documents

    def doc_path(self, doc: int) -> str:
        """A document's path (relative to the corpus), read from the mapped table without parsing the rest."""
        raw = self._paths[self._path_offsets[doc] : self._path_offsets[doc + 1]].tobytes()
        return raw.decode("utf-8", "surrogateescape")  # a name that is not UTF-8 comes back as it was

    def files(self) -> dict[str, dict]:
        if self._files is None:  # read once: a snapshot does not change
            self._files = _read_json(self.path / "files.json")
        return self._files

    def stats(self) -> StoreStats:
        counts = self.manifest.get("counts", {})
        return StoreStats(
            backend="local",
            location=str(self.path.parent),
            documents=int(counts.get("documents", 0)),
            sentences=self.n_sentences,
            passages=self.n_passages,
            vector_index=dict(self.manifest.get("vector_index", {})),
            created=str(self.manifest.get("created", "")),
        )

    # used by a transaction to carry an unchanged document into the next version
    def rows(self, entry: DocumentEntry) -> tuple[np.ndarray, np.ndarray, list[str], list[dict[str, int]]]:
        s0, s1 = entry.sentences
        p0, p1 = entry.passages
        return (
            np.array(self._sentences[s0:s1]),
            np.array(self._passages[p0:p1]),
            self.texts(list(range(s0, s1))),
            sentence_counts(self._lexical, s0, s1),
        )


def _read_vectors(path: Path, kind: str):
    """A FAISS index, memory-mapped: an inverted file's lists, or a flat index's vectors (paged in as they
    are searched, so opening a large index reads nothing of it)."""
    import faiss

    flat = getattr(faiss, "IO_FLAG_MMAP_IFC", faiss.IO_FLAG_MMAP)
    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP if kind.startswith("IVF") else flat)


_NO_BLOB = (np.zeros(0, np.uint8), np.zeros(0, np.int64))


def _load_blob(folder: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Strings stored as one UTF-8 blob (`name.bin`) and their offsets (`name.npy`), memory-mapped."""
    blob = folder / f"{name}.bin"
    data = np.memmap(blob, dtype=np.uint8, mode="r") if blob.stat().st_size else np.zeros(0, np.uint8)
    return data, _load(folder / f"{name}.npy")


def _save_blob(folder: Path, name: str, strings: list[str]) -> None:
    encoded = [s.encode("utf-8", "surrogateescape") for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    _write_bytes(folder / f"{name}.bin", b"".join(encoded))
    _save(folder / f"{name}.npy", offsets)


def _load(path: Path) -> np.ndarray:
    """A .npy table, memory-mapped (an empty one cannot be mapped, and is read)."""
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError:
        return np.load(path, allow_pickle=False)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorruptIndex(f"index file {path.name} is unreadable ({type(exc).__name__})") from None


# ---- the store ------------------------------------------------------------------------------------------
class LocalStore:
    """The index of one corpus under one index folder."""

    backend = "local"

    def __init__(self, corpus: str | Path, index_dir: str | Path) -> None:
        self.corpus = Path(corpus)
        self.root = Path(index_dir) / corpus_key(corpus)

    def current(self) -> Path | None:
        """The live version folder. CURRENT must name a version folder of this store: anything else (an
        absolute path, `..`) is ignored, never followed."""
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not re.fullmatch(r"v-\d+", name):
            return None
        path = self.root / name
        return path if (path / "manifest.json").is_file() else None

    def manifest(self) -> dict | None:
        path = self.current()
        if path is None:
            return None
        try:
            return json.loads((path / "manifest.json").read_text())
        except (OSError, ValueError):
            return None

    def settings(self) -> dict | None:
        manifest = self.manifest()
        return None if manifest is None else manifest.get("settings")

    def open(self) -> LocalSnapshot:
        self._tidy()
        path = self.current()
        if path is None:
            raise IndexMissing(f"no index for {str(self.corpus)!r}: run `qa index {self.corpus}`")
        try:
            manifest = json.loads((path / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise CorruptIndex(f"index at {str(path)!r} is unreadable ({type(exc).__name__})") from None
        for name, expected in manifest.get("checksums", {}).items():
            try:
                if checksum(path / name) != expected:
                    raise CorruptIndex(f"index file {name} is damaged (checksum mismatch)")
            except OSError:
                raise CorruptIndex(f"index file {name} is missing") from None
        return LocalSnapshot(path, manifest)

    def stats(self) -> StoreStats | None:
        try:
            return self.open().stats()
        except IndexError_:
            return None

    def _tidy(self) -> None:
        """Remove what an interrupted build left, when no build is running (the lock is free): so a killed
        build's half-written version does not wait for the next rebuild to go. Never waits, never fails."""
        if not any(p.name.startswith((".tmp-", ".CURRENT-")) for p in self._entries()):
            return
        try:
            with open(self.root / ".lock", "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                try:
                    self._remove_leftovers()
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        except OSError:  # a build holds the lock, or the folder is read-only: leave it
            pass

    def _entries(self) -> list[Path]:
        try:
            return list(self.root.iterdir())
        except OSError:
            return []

    def _remove_leftovers(self) -> None:
        """What an interrupted write left (a half-written version, a pointer not yet renamed): safe to remove
        while this writer holds the lock."""
        for item in self.root.iterdir():
            if item.name.startswith(".tmp-") and item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            elif item.name.startswith(".CURRENT-"):
                item.unlink(missing_ok=True)

    def files(self) -> dict[str, dict] | None:
        """The files the committed index was made from (path -> size, mtime_ns, sha256)."""
        path = self.current()
        if path is None:
            return None
        try:
            return json.loads((path / "files.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def skipped(self) -> list[dict]:
        return list((self.manifest() or {}).get("skipped", []))

    @contextlib.contextmanager
    def lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Only one writer of a corpus at a time; a second one waits (and says so) instead of interleaving."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unwritable(self.root, exc) from None
        waiting = f"another qa is indexing {str(self.corpus)!r}; waiting for it to finish"
        with writer_lock(self.root / ".lock", on_wait, waiting, lambda exc: _unwritable(self.root, exc)):
            yield

    @contextlib.contextmanager
    def transaction(self, settings: dict, on_wait: Callable[[str], None] | None = None) -> Iterator[LocalTransaction]:
        with self.lock(on_wait):
            self._remove_leftovers()
            previous = donor = None
            committed = self.settings()
            if lends_vectors(committed, settings):
                with contextlib.suppress(IndexError_):  # damaged or unreadable: nothing is reused
                    donor = self.open()
            if committed == settings:
                previous = donor
            txn = LocalTransaction(self, settings, previous, donor)
            try:
                yield txn
            finally:
                txn.abort()  # whatever was not committed: an early return, an error, an interrupt



class LocalTransaction:
    """The next version, written as it is gathered. Vectors and sentence texts go to files in a temporary
    folder as each document arrives, so a build's memory does not grow with the corpus; the row tables (a few
    integers per sentence) and the term counts (compact arrays) stay in memory until `commit`, which finishes
    the folder and switches CURRENT to it. Kept documents are copied from the previous version, vectors
    included. Nothing is created on disk before the first document."""

    def __init__(
        self, store: LocalStore, settings: dict, previous: LocalSnapshot | None, donor: LocalSnapshot | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.previous = previous  # made with these settings: its documents can be kept whole
        self.donor = donor  # made with this encoder: its vectors can be had by text
        self.dim = int(settings.get("dimension", 0))
        self.name = f"v-{time.time_ns()}"
        self.tmp = store.root / f".tmp-{self.name}"
        self._entries: list[DocumentEntry] = []
        self._sentences: list[np.ndarray] = []
        self._passages: list[np.ndarray] = []
        self._text_sizes: list[np.ndarray] = []
        self._sentence_keys: list[np.ndarray] = []
        self._passage_keys: list[np.ndarray] = []
        self._terms = TermCounter()
        self._out: dict[str, BinaryIO] = {}
        self.n_sentences = 0
        self.n_passages = 0

    def known(self) -> dict[str, DocumentEntry]:
        """The previous version's documents by content hash (empty when nothing can be reused)."""
        return {} if self.previous is None else {d.sha256: d for d in self.previous.documents()}

    def keep(self, entry: DocumentEntry, path: str) -> None:
        if self.previous is None:
            raise IndexError_("nothing to keep: there is no previous index made with these settings")
        sentences, passages, texts, counts = self.previous.rows(entry)
        held, n = self.previous.keys(), self.previous.n_sentences
        (s0, s1), (p0, p1) = entry.sentences, entry.passages
        shift = self.n_sentences - entry.sentences[0]
        passages = passages.copy()
        passages["first"] += shift
        passages["last"] += shift
        self._append(
            DocumentEntry(**{**asdict(entry), "path": path}),
            sentences,
            passages,
            texts,
            counts,
            self.previous.sentence_vectors(list(range(s0, s1))),
            self.previous.passage_vectors(list(range(p0, p1))),
            np.concatenate([held[s0:s1], held[n + p0 : n + p1]]),
        )

    def vectors_for(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.donor is None:
            return np.zeros(len(keys), dtype=bool), np.zeros((0, self.dim), dtype=np.float32)
        return self.donor.vectors_by_key(keys)

    def upsert(self, rows: DocumentRows) -> None:
        first = self.n_sentences
        sentences = np.array(
            [(0, s.start, s.end, s.paragraph, s.page, s.line) for s in rows.sentences], dtype=SENTENCE_DTYPE
        )
        passages = np.array(
            [(0, p.start, p.end, first + p.first_sentence, first + p.last_sentence) for p in rows.passages],
            dtype=PASSAGE_DTYPE,
        )
        self._append(
            rows.entry,
            sentences,
            passages,
            [s.text for s in rows.sentences],
            rows.terms,
            rows.sentence_vectors,
            rows.passage_vectors,
            rows.keys,
        )

    def _append(self, entry, sentences, passages, texts, counts, s_vectors, p_vectors, keys) -> None:
        """A document's rows, vectors and text keys (its sentences', then its passages') into this version."""
        doc = len(self._entries)
        sentences["doc"] = doc
        passages["doc"] = doc
        s0, p0 = self.n_sentences, self.n_passages
        encoded = [t.encode("utf-8", "surrogateescape") for t in texts]
        try:
            self._file("sentence_text.bin").write(b"".join(encoded))
            self._file("sentences.f32").write(np.asarray(s_vectors, dtype=np.float32).reshape(-1, self.dim).tobytes())
            self._file("passages.f32").write(np.asarray(p_vectors, dtype=np.float32).reshape(-1, self.dim).tobytes())
        except OSError as exc:
            raise _unwritable(self.store.root, exc) from None
        self._entries.append(
            DocumentEntry(**{**asdict(entry), "sentences": (s0, s0 + len(texts)), "passages": (p0, p0 + len(passages))})
        )
        self._sentences.append(sentences)
        self._passages.append(passages)
        self._sentence_keys.append(np.array(keys[: len(texts)], dtype=np.uint64))
        self._passage_keys.append(np.array(keys[len(texts) :], dtype=np.uint64))
        self._text_sizes.append(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)))
        self._terms.add(counts)
        self.n_sentences += len(texts)
        self.n_passages += len(passages)

    def _file(self, name: str) -> BinaryIO:
        if name not in self._out:
            (self.tmp / "lexical").mkdir(parents=True, exist_ok=True)
            self._out[name] = open(self.tmp / name, "wb")
        return self._out[name]

    def abort(self) -> None:
        """Remove what was written (the transaction ended without a commit, or the commit failed)."""
        for handle in self._out.values():
            with contextlib.suppress(OSError):  # a buffered write that cannot be flushed: a full disk
                handle.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def commit(self, files: dict[str, dict], manifest: dict) -> None:
        """Finish the version folder, then switch CURRENT to it in one rename. A write that fails (a full
        disk, a read-only folder) leaves nothing behind and raises IndexWriteError."""
        root = self.store.root
        try:
            self._write(files, manifest)
        except OSError as exc:
            raise _unwritable(root, exc) from None
        finally:
            self.abort()  # after a successful commit the folder has been renamed: nothing is removed
        for old in root.iterdir():
            if old.is_dir() and old.name != self.name and old.name.startswith(("v-", ".tmp-")):
                shutil.rmtree(old, ignore_errors=True)

    def _vectors(self, name: str) -> np.ndarray:
        """The vectors written so far to `name` (a raw float32 file), memory-mapped."""
        handle = self._file(name)
        handle.close()
        size = os.path.getsize(handle.name)
        if not size:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.memmap(handle.name, dtype=np.float32, mode="r", shape=(size // (4 * self.dim), self.dim))

    def _write(self, files: dict[str, dict], manifest: dict) -> None:
        import faiss

        root, tmp = self.store.root, self.tmp
        texts = self._file("sentence_text.bin")
        texts.flush()
        os.fsync(texts.fileno())
        texts.close()
        sentences = np.concatenate(self._sentences) if self._sentences else np.zeros(0, SENTENCE_DTYPE)
        passages = np.concatenate(self._passages) if self._passages else np.zeros(0, PASSAGE_DTYPE)
        _save(tmp / "sentences.npy", sentences)
        _save(tmp / "passages.npy", passages)
        offsets = np.zeros(self.n_sentences + 1, dtype=np.int64)
        if self._text_sizes:
            np.cumsum(np.concatenate(self._text_sizes), out=offsets[1:])
        _save(tmp / "sentence_text.npy", offsets)
        _save(tmp / "text_keys.npy", np.concatenate([*self._sentence_keys, *self._passage_keys, np.zeros(0, np.uint64)]))
        _save_blob(tmp, "document_path", [e.path for e in self._entries])
        _save_blob(tmp, "document_sections", [json.dumps(e.sections) if e.sections else "" for e in self._entries])
        _save_blob(tmp, "document_code", [json.dumps(e.code) if e.code else "" for e in self._entries])
        tables = self._terms.tables()
        for array_name in LexicalTables.ARRAYS:
            _save(tmp / "lexical" / f"{array_name}.npy", getattr(tables, array_name))
        # a document's sections and code are kept once, in their blobs (documents() reads them back from them)
        _write_json(
            tmp / "documents.json",
            [{k: v for k, v in asdict(e).items() if k not in ("sections", "code")} for e in self._entries],
        )
        _write_json(tmp / "files.json", files)
        kinds = {}
        for kind in ("sentences", "passages"):
            index = vector_index(self._vectors(f"{kind}.f32"), self.dim)
            faiss.write_index(index, str(tmp / f"{kind}.faiss"))
            _fsync(tmp / f"{kind}.faiss")
            kinds[kind] = describe(index)
            del index
            (tmp / f"{kind}.f32").unlink()
        full = {
            "settings": self.settings,
            "corpus": str(self.store.corpus.resolve()),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "counts": {"documents": len(self._entries), "sentences": len(sentences), "passages": len(passages)},
            "vector_index": kinds,
            **manifest,
        }
        full["checksums"] = {f: checksum(tmp / f) for f in INDEX_FILES}
        _write_json(tmp / "manifest.json", full)
        os.replace(tmp, root / self.name)
        pointer = root / f".CURRENT-{self.name}"
        try:
            pointer.write_text(self.name + "\n")
            os.replace(pointer, root / "CURRENT")
        finally:
            pointer.unlink(missing_ok=True)


FULL_HASH_LIMIT = 2**20  # larger files: size plus the hash of their first and last SAMPLE bytes
SAMPLE = 2**18


def checksum(path: Path) -> dict:
    """Size and SHA-256 of a file: of all of it up to 1 MiB, else of its first and last 256 KiB (`sampled`),
    so that checking every file of an index on every start costs the same at any corpus size."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        if size <= FULL_HASH_LIMIT:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        else:
            digest.update(handle.read(SAMPLE))
            handle.seek(size - SAMPLE)
            digest.update(handle.read(SAMPLE))
    return {"size": size, "sha256": digest.hexdigest(), "sampled": size > FULL_HASH_LIMIT}


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _save(path: Path, array: np.ndarray) -> None:
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)
    _fsync(path)


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    _fsync(path)


def _write_json(path: Path, obj: object) -> None:
    # ASCII with \u escapes: a file name that is not UTF-8 (lone surrogates in Python) round-trips
    path.write_text(json.dumps(obj, ensure_ascii=True, indent=None), encoding="utf-8")
    _fsync(path)
