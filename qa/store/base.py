"""What qa needs from the place where vectors and sentence tables live: the store interface.

A store holds, per corpus and model, the sentences and passages of every document (spans, texts, vectors),
the lexical tables (postings) and a record of the files they came from. It is written one transaction at a
time: a document is kept as it is, upserted with new rows, or (listed in neither) deleted. It is read through a
Snapshot, a consistent view of one committed state that stays valid while a newer one is written.

`LocalStore` (qa/store/local.py) is the first backend: versioned folders with FAISS files and memory-mapped
numpy tables. The shapes here are what a remote engine (a vector database) would implement as well."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from qa.errors import IndexError_
from qa.types import Passage, Sentence


class IndexMissing(IndexError_):
    """There is no index for this corpus yet."""


class CorruptIndex(IndexError_):
    """A file of the live index is damaged or unreadable: rebuild from the documents."""


class IndexWriteError(IndexError_):
    """A new index version could not be written (a full disk, a read-only folder); the previous one is intact."""


@contextlib.contextmanager
def writer_lock(
    path: Path, on_wait: Callable[[str], None] | None, waiting: str, unwritable: Callable[[OSError], Exception]
) -> Iterator[None]:
    """Hold the lock file `path` while one writer works; a second writer waits, saying `waiting` first. A
    lock file that cannot be opened raises unwritable(the OSError)."""
    try:
        handle = open(path, "w")
    except OSError as exc:
        raise unwritable(exc) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(waiting)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


FORMAT_VERSION = 5  # of the index a store holds; 3: memory-mapped tables and persisted lexical postings; 4: headings;
# 5: the Milvus store keeps each sentence's heading path


@dataclass(frozen=True)
class LexicalTables:
    """BM25 postings and per-sentence term counts, as flat arrays (memory-mapped when loaded).

    The vocabulary is sorted (by code point) and stored as one UTF-8 blob with offsets, so a term is found by
    binary search without building a dict. Postings of term t are ids/tf[ptr[t]:ptr[t+1]], ids ascending. The
    forward table (each sentence's term ids and counts) lets an update reuse unchanged documents' terms."""

    vocab: np.ndarray  # uint8: the sorted terms, UTF-8, concatenated
    vocab_offsets: np.ndarray  # int64, len(vocabulary) + 1
    postings_ptr: np.ndarray  # int64, len(vocabulary) + 1
    postings_ids: np.ndarray  # int32 sentence ids
    postings_tf: np.ndarray  # float32 term frequencies
    forward_ptr: np.ndarray  # int64, sentences + 1
    forward_terms: np.ndarray  # int32 term ids
    forward_tf: np.ndarray  # int32 counts
    sentence_lengths: np.ndarray  # float32: terms per sentence (the BM25 document length)

    ARRAYS = (
        "vocab",
        "vocab_offsets",
        "postings_ptr",
        "postings_ids",
        "postings_tf",
        "forward_ptr",
        "forward_terms",
        "forward_tf",
        "sentence_lengths",
    )


@dataclass(frozen=True)
class DocumentEntry:
    """One indexed document: where its rows lie in the tables."""

    path: str  # relative to the corpus root
    sha256: str
    title: str = ""
    date: str = ""
    encoding: str = "utf-8"
    sentences: tuple[int, int] = (0, 0)  # [first, end) rows of the sentence table
    passages: tuple[int, int] = (0, 0)
    sections: tuple[tuple[int, str], ...] = ()  # Document.sections: where each heading path begins
    code: tuple[tuple[int, str], ...] = ()  # Document.code that a sentence leads into: (start, text) of each


def text_keys(texts: list[str]) -> np.ndarray:
    """A 64-bit key for each text as the encoder reads it (BLAKE2b; never 0, which marks a row without one),
    so that a later build can ask the index for the text's vector instead of encoding it again."""
    keys = np.empty(len(texts), dtype=np.uint64)
    for i, text in enumerate(texts):
        digest = hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=8).digest()
        keys[i] = int.from_bytes(digest, "little") or 1
    return keys


@dataclass(frozen=True)
class DocumentRows:
    """A new or changed document, as the builder hands it to a store. Passage sentence numbers and the
    rows of `terms` are local to the document."""

    entry: DocumentEntry
    sentences: list[Sentence]
    passages: list[Passage]
    sentence_vectors: np.ndarray
    passage_vectors: np.ndarray
    terms: list[dict[str, int]]  # per sentence: lexical term -> count
    keys: np.ndarray  # the key of each text as the encoder read it (`text_keys`), sentences then passages


@dataclass(frozen=True)
class StoreStats:
    backend: str
    location: str
    documents: int
    sentences: int
    passages: int
    vector_index: dict[str, str] = field(default_factory=dict)
    created: str = ""


class Snapshot(Protocol):
    """A read-only, consistent view of one committed index: what answering needs of any backend. Sentence
    ids are the store's own (contiguous in the local store, one block per document in the Milvus store):
    the ids of a document's sentences are DocumentEntry.sentences' range, in order."""

    settings: dict
    n_sentences: int
    n_passages: int

    def sentence(self, i: int) -> Sentence: ...

    def texts(self, ids: list[int]) -> list[str]:
        """The sentences' texts; "" for an id that is no sentence of this index."""
        ...

    def same_paragraph(self, a: int, b: int) -> bool:
        """Both ids are sentences of this index, of one paragraph of one document."""
        ...

    def document_of(self, ids: list[int]) -> np.ndarray:
        """Each sentence's document, as a key that is equal for sentences of one document."""
        ...

    def documents(self) -> list[DocumentEntry]: ...

    def files(self) -> dict[str, dict]: ...

    def stats(self) -> StoreStats: ...


class VectorSnapshot(Snapshot, Protocol):
    """A snapshot whose vectors and lexical tables are searched in this process (the local store)."""

    def search_sentences(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def search_passages(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def search_document(self, vector: np.ndarray, of: int, k: int) -> np.ndarray:
        """The ids of the k sentences of sentence `of`'s document nearest to `vector`, best first."""
        ...

    def sentence_vectors(self, ids: list[int]) -> np.ndarray: ...

    def passage_vectors(self, ids: list[int]) -> np.ndarray: ...

    def passage_sentences(self, ids: list[int]) -> list[tuple[int, int]]: ...

    def passages_holding(self, ids: list[int]) -> list[list[int]]: ...

    def lexical(self) -> LexicalTables: ...


class Transaction(Protocol):
    """One update of a store. Documents neither kept nor upserted are deleted when it commits."""

    def known(self) -> dict[str, DocumentEntry]:
        """The committed documents by content hash, when they can be kept (same settings)."""
        ...

    def keep(self, entry: DocumentEntry, path: str) -> None: ...

    def upsert(self, rows: DocumentRows) -> None: ...

    def vectors_for(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The vectors the committed index already holds for texts read again (an edited document's
        unchanged sentences, every text after an upgrade that reads some files differently), by the texts'
        keys: a mask of the keys found, and their vectors in order. Only from an index made with the same
        encoder; none found where the store cannot say."""
        ...

    @property
    def n_sentences(self) -> int:
        """Sentences gathered so far: after commit, the committed index's count."""
        ...

    @property
    def n_passages(self) -> int: ...

    def commit(self, files: dict[str, dict], manifest: dict) -> None:
        """Make the update live: `files` records what the corpus held (path -> size, mtime_ns, sha256),
        `manifest` what a reader should know (counts, skipped files, encoder)."""
        ...


class Store(Protocol):
    def settings(self) -> dict | None:
        """The settings (model, dimension, chunker, format) of the committed index; None when there is none."""
        ...

    def open(self) -> Snapshot:
        """The committed index. Raises IndexMissing or CorruptIndex."""
        ...

    def transaction(
        self, settings: dict, on_wait: Callable[[str], None] | None = None
    ) -> AbstractContextManager[Transaction]:
        """An update made while no other writer works on this corpus; nothing changes unless it commits."""
        ...

    def stats(self) -> StoreStats | None: ...

    def files(self) -> dict[str, dict] | None:
        """The files the committed index was made from (path -> size, mtime_ns, sha256)."""
        ...

    def skipped(self) -> list[dict]:
        """The files the committed index left out, with the reason ({path, reason})."""
        ...


# what a text's vector depends on besides the text: an index made with these equal lends its vectors by text
# (`Transaction.vectors_for`) even when it was read or chunked otherwise
VECTOR_SETTINGS = ("format_version", "model", "dimension", "normalized", "metric", "model_text")


def lends_vectors(committed: dict | None, settings: dict) -> bool:
    """An index made with `committed` settings holds vectors a build with `settings` can take by text key."""
    return committed is not None and all(committed.get(k) == settings.get(k) for k in VECTOR_SETTINGS)
