"""Build, check and load the on-disk index. The only module that imports faiss.

Layout of one corpus's index (one per corpus path) under the index folder:

    <corpus-key>/CURRENT            name of the live version folder (replaced atomically)
    <corpus-key>/.lock              held while building, so two builds never interleave
    <corpus-key>/v-<time>/          manifest.json, sentences.jsonl, passages.jsonl,
                                    sentences.faiss, passages.faiss
No pickle: JSON, JSONL and FAISS's own binary format only.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from qa.chunking import ChunkSettings, chunk_document
from qa.embedding import Embedder
from qa.errors import CorpusError, IndexError_
from qa.loaders import Skipped, list_files, load_file
from qa.types import Document, Passage, Sentence

FORMAT_VERSION = 2  # 2: sentences carry page and line


class CorruptIndex(IndexError_):
    """A file of the live index is damaged or unreadable: rebuild from the documents."""


@dataclass(frozen=True)
class BuildReport:
    documents: int
    sentences: int
    passages: int
    embedded: int  # texts sent to the encoder in this build
    reused_documents: int
    skipped: list[Skipped]
    seconds: float
    rebuilt: bool  # False when the existing index was already current


def corpus_key(corpus: str | Path) -> str:
    absolute = str(Path(corpus).resolve())
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(absolute).name).strip("-")[:40] or "corpus"
    return f"{slug}-{hashlib.sha1(absolute.encode()).hexdigest()[:10]}"


def _rel(corpus: Path, path: Path) -> str:
    root = corpus if corpus.is_dir() else corpus.parent
    return path.relative_to(root).as_posix()


def _display(corpus: str | Path, rel: str) -> str:
    """The `doc` shown to users: the corpus path as they gave it, joined with the file's path in it."""
    corpus = Path(corpus)
    path = (corpus if corpus.is_dir() else corpus.parent) / rel
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            return path.relative_to(Path.cwd()).as_posix()
    return path.as_posix()


@dataclass
class LoadedIndex:
    """A live index: metadata in memory, vectors in FAISS."""

    path: Path
    manifest: dict
    sentences: list[Sentence]
    passages: list[Passage]
    sentence_index: object
    passage_index: object

    def __post_init__(self) -> None:
        # sentence -> passages holding it
        self.passages_of: list[list[int]] = [[] for _ in self.sentences]
        for p_id, passage in enumerate(self.passages):
            for s_id in range(passage.first_sentence, passage.last_sentence + 1):
                self.passages_of[s_id].append(p_id)

    @property
    def term_stats(self):
        """Lexical statistics of the sentences, computed on first use."""
        if getattr(self, "_term_stats", None) is None:
            from qa.lexical import TermStats

            self._term_stats = TermStats((s.text for s in self.sentences), (s.doc for s in self.sentences))
        return self._term_stats

    def sentence_vectors(self, ids: list[int]) -> np.ndarray:
        return _reconstruct(self.sentence_index, ids)

    def passage_vectors(self, ids: list[int]) -> np.ndarray:
        return _reconstruct(self.passage_index, ids)

    def search_sentences(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return _search(self.sentence_index, query, k)

    def search_passages(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return _search(self.passage_index, query, k)


def _reconstruct(index, ids: list[int]) -> np.ndarray:
    if not ids:
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


def flat_index(vectors: np.ndarray, dim: int):
    import faiss

    index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


# Above this many vectors exact search gets slow for one question at a time, and qa builds an
# inverted-file index over float16 vectors instead (measured: eval/bench_scale.py, see README).
ANN_THRESHOLD = 200_000
ANN_NPROBE = 64


def vector_index(vectors: np.ndarray, dim: int):
    """Exact search up to ANN_THRESHOLD vectors, the IVF index above it."""
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


def index_settings(embedder: Embedder, chunk: ChunkSettings) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "model": embedder.model_id,
        "dimension": embedder.dim,
        "normalized": True,
        "metric": "inner_product",
        "chunker": chunk.to_json(),
    }


class IndexStore:
    """The index of one corpus under one index folder."""

    def __init__(self, corpus: str | Path, index_dir: str | Path) -> None:
        self.corpus = Path(corpus)
        self.root = Path(index_dir) / corpus_key(corpus)

    # ---- reading -------------------------------------------------------------------------
    def current(self) -> Path | None:
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except OSError:
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

    def load(self) -> LoadedIndex:
        import faiss

        path = self.current()
        if path is None:
            raise IndexError_(f"no index for {str(self.corpus)!r}: run `qa index {self.corpus}`")
        try:
            manifest = json.loads((path / "manifest.json").read_text())
            for name, expected in manifest.get("checksums", {}).items():
                if checksum(path / name) != expected:
                    raise CorruptIndex(f"index file {name} is damaged (checksum mismatch)")
            sentences = [Sentence(**json.loads(line)) for line in _lines(path / "sentences.jsonl")]
            passages = [Passage(**json.loads(line)) for line in _lines(path / "passages.jsonl")]
            # memory-mapped: a large index is paged in as searched, not read whole
            s_index = faiss.read_index(str(path / "sentences.faiss"), faiss.IO_FLAG_MMAP)
            p_index = faiss.read_index(str(path / "passages.faiss"), faiss.IO_FLAG_MMAP)
        except CorruptIndex:
            raise
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise CorruptIndex(f"index at {str(path)!r} is unreadable ({type(exc).__name__}: {exc})") from None
        if s_index.ntotal != len(sentences) or p_index.ntotal != len(passages):
            raise CorruptIndex(f"index at {str(path)!r} is inconsistent (vector and sentence counts differ)")
        display = {doc: _display(self.corpus, doc) for doc in {s.doc for s in sentences}}
        sentences = [replace(s, doc=display[s.doc]) for s in sentences]
        passages = [replace(p, doc=display.get(p.doc, p.doc)) for p in passages]
        return LoadedIndex(path, manifest, sentences, passages, s_index, p_index)

    # ---- freshness -----------------------------------------------------------------------
    def is_current(self, settings: dict, manifest: dict | None = None) -> bool:
        """True when the live index was made with these settings from the files as they are now."""
        manifest = manifest if manifest is not None else self.manifest()
        if manifest is None or manifest.get("settings") != settings:
            return False
        files = list_files(self.corpus)
        recorded = manifest.get("files", {})
        if {_rel(self.corpus, f) for f in files} != set(recorded):
            return False
        for file in files:
            entry = recorded[_rel(self.corpus, file)]
            try:
                stat = file.stat()
            except OSError:
                return False
            if stat.st_size != entry["size"]:
                return False
            if stat.st_mtime_ns != entry["mtime_ns"]:
                if not entry["sha256"]:  # a skipped file, never hashed: touched means look again
                    return False
                try:
                    if hashlib.sha256(file.read_bytes()).hexdigest() != entry["sha256"]:
                        return False
                except OSError:
                    return False
        return True

    # ---- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Only one build of a corpus at a time; a second one waits (and says so) instead of interleaving."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait(f"another qa is indexing {str(self.corpus)!r}; waiting for it to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def build(
        self,
        embedder: Embedder,
        chunk: ChunkSettings,
        force: bool = False,
        extra: dict | None = None,
        progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> BuildReport:
        """Bring the index up to date. Unchanged documents reuse their vectors; nothing is mixed
        across models or chunker settings."""
        started = time.perf_counter()
        settings = index_settings(embedder, chunk)
        with self.lock(on_wait):
            manifest = self.manifest()
            if not force and manifest is not None and self.is_current(settings, manifest):
                counts = manifest.get("counts", {})
                return BuildReport(
                    counts.get("documents", 0),
                    counts.get("sentences", 0),
                    counts.get("passages", 0),
                    0,
                    counts.get("documents", 0),
                    [Skipped(**s) for s in manifest.get("skipped", [])],
                    time.perf_counter() - started,
                    rebuilt=False,
                )
            previous = None if force else self._previous(settings, manifest)
            return self._rebuild(embedder, chunk, settings, started, previous, extra or {}, progress)

    def _previous(self, settings: dict, manifest: dict | None) -> tuple[LoadedIndex, dict] | None:
        """The old index, if it was made with the same settings, and its documents by hash."""
        if manifest is None or manifest.get("settings") != settings:
            return None
        try:
            old = self.load()
        except IndexError_:  # damaged or unreadable: embed everything again
            return None
        return old, {d["sha256"]: d for d in manifest.get("documents", [])}

    def _rebuild(
        self,
        embedder: Embedder,
        chunk: ChunkSettings,
        settings: dict,
        started: float,
        previous: tuple[LoadedIndex, dict] | None,
        extra: dict,
        progress: Callable[[int, int], None] | None,
    ) -> BuildReport:
        files = list_files(self.corpus)
        docs: list[Document] = []
        skipped: list[Skipped] = []
        stats: dict[str, dict] = {}
        for file in files:
            rel = _rel(self.corpus, file)
            item = load_file(file)
            try:
                stat = file.stat()
                stats[rel] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
            except OSError:
                stats[rel] = {"size": -1, "mtime_ns": -1}
            if isinstance(item, Skipped):
                # not hashed: a skipped file may be huge (a video, a log) and is not read again just for
                # that; if it is touched, the index is rebuilt, reusing every document's vectors
                stats[rel]["sha256"] = ""
                skipped.append(Skipped(rel, item.reason))
                continue
            stats[rel]["sha256"] = item.sha256
            docs.append(replace(item, path=rel))
        if not docs:
            raise CorpusError(
                f"no readable text documents in {str(self.corpus)!r}"
                + (f" ({len(skipped)} skipped, e.g. {skipped[0].path}: {skipped[0].reason})" if skipped else "")
            )

        old, old_docs = previous if previous is not None else (None, {})
        sentences: list[Sentence] = []
        passages: list[Passage] = []
        s_vectors: list[np.ndarray] = []
        p_vectors: list[np.ndarray] = []
        documents: list[dict] = []
        to_embed_s: list[tuple[int, str]] = []  # (row, text)
        to_embed_p: list[tuple[int, str]] = []
        reused = 0
        for doc in docs:
            s0, p0 = len(sentences), len(passages)
            prior = old_docs.get(doc.sha256)
            if old is not None and prior is not None:
                s_range, p_range = range(*prior["sentences"]), range(*prior["passages"])
                offset = s0 - s_range.start
                sentences.extend(replace(old.sentences[i], doc=doc.path) for i in s_range)
                passages.extend(
                    replace(
                        p,
                        doc=doc.path,
                        first_sentence=p.first_sentence + offset,
                        last_sentence=p.last_sentence + offset,
                    )
                    for p in (old.passages[i] for i in p_range)
                )
                s_vectors.append(old.sentence_vectors(list(s_range)))
                p_vectors.append(old.passage_vectors(list(p_range)))
                reused += 1
            else:
                doc_s, doc_p = chunk_document(doc, chunk, embedder.count_tokens, s0)
                to_embed_s.extend((s0 + i, s.text) for i, s in enumerate(doc_s))
                to_embed_p.extend((p0 + i, p.text) for i, p in enumerate(doc_p))
                sentences.extend(doc_s)
                passages.extend(doc_p)
                s_vectors.append(np.zeros((len(doc_s), embedder.dim), dtype=np.float32))
                p_vectors.append(np.zeros((len(doc_p), embedder.dim), dtype=np.float32))
            documents.append(
                {
                    "path": doc.path,
                    "sha256": doc.sha256,
                    "title": doc.title,
                    "date": doc.date,
                    "encoding": doc.encoding,
                    "sentences": [s0, len(sentences)],
                    "passages": [p0, len(passages)],
                }
            )
        all_s = np.concatenate(s_vectors) if s_vectors else np.zeros((0, embedder.dim), np.float32)
        all_p = np.concatenate(p_vectors) if p_vectors else np.zeros((0, embedder.dim), np.float32)
        texts = [t for _, t in to_embed_s] + [t for _, t in to_embed_p]
        if texts:
            vectors = _embed_all(embedder, texts, progress)
            n_s = len(to_embed_s)
            if n_s:
                all_s[[r for r, _ in to_embed_s]] = vectors[:n_s]
            if to_embed_p:
                all_p[[r for r, _ in to_embed_p]] = vectors[n_s:]

        manifest = {
            "settings": settings,
            "corpus": str(self.corpus.resolve()),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "counts": {"documents": len(docs), "sentences": len(sentences), "passages": len(passages)},
            "documents": documents,
            "files": stats,
            "skipped": [asdict(s) for s in skipped],
            **extra,
        }
        self._write(manifest, sentences, passages, all_s, all_p, embedder.dim)
        return BuildReport(
            len(docs), len(sentences), len(passages), len(texts), reused, skipped, time.perf_counter() - started, True
        )

    def _write(
        self,
        manifest: dict,
        sentences: list[Sentence],
        passages: list[Passage],
        s_vectors: np.ndarray,
        p_vectors: np.ndarray,
        dim: int,
    ) -> None:
        """Write a new version folder completely, then switch CURRENT to it in one rename."""
        import faiss

        self.root.mkdir(parents=True, exist_ok=True)
        name = f"v-{time.time_ns()}"
        tmp = self.root / f".tmp-{name}"
        tmp.mkdir()
        try:
            _write_jsonl(tmp / "sentences.jsonl", (asdict(s) for s in sentences))
            _write_jsonl(tmp / "passages.jsonl", (asdict(p) for p in passages))
            s_index, p_index = vector_index(s_vectors, dim), vector_index(p_vectors, dim)
            manifest["vector_index"] = {"sentences": describe(s_index), "passages": describe(p_index)}
            faiss.write_index(s_index, str(tmp / "sentences.faiss"))
            faiss.write_index(p_index, str(tmp / "passages.faiss"))
            manifest["checksums"] = {name: checksum(tmp / name) for name in INDEX_FILES}
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
            os.replace(tmp, self.root / name)
            pointer = self.root / f".CURRENT-{name}"
            pointer.write_text(name + "\n")
            os.replace(pointer, self.root / "CURRENT")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        for old in self.root.iterdir():
            if old.is_dir() and old.name != name and (old.name.startswith("v-") or old.name.startswith(".tmp-")):
                shutil.rmtree(old, ignore_errors=True)


def _embed_all(embedder: Embedder, texts: list[str], progress: Callable[[int, int], None] | None) -> np.ndarray:
    """Embed in slices so a progress callback can follow; one call when nobody is watching."""
    if progress is None:
        return embedder.embed(texts)
    step = 512
    parts = []
    for start in range(0, len(texts), step):
        parts.append(embedder.embed(texts[start : start + step]))
        progress(min(start + step, len(texts)), len(texts))
    return np.concatenate(parts)


INDEX_FILES = ("sentences.jsonl", "passages.jsonl", "sentences.faiss", "passages.faiss")
FULL_HASH_LIMIT = 64 * 2**20  # larger files: size plus the hash of their first and last MiB


def checksum(path: Path) -> dict:
    """Size and SHA-256 of a file: of all of it up to 64 MiB, else of its first and last MiB (`sampled`),
    so checking a million-sentence index on every start stays cheap."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        if size <= FULL_HASH_LIMIT:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        else:
            digest.update(handle.read(1 << 20))
            handle.seek(size - (1 << 20))
            digest.update(handle.read(1 << 20))
    return {"size": size, "sha256": digest.hexdigest(), "sampled": size > FULL_HASH_LIMIT}


def _lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line


def _write_jsonl(path: Path, rows: Iterator[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        handle.flush()
        os.fsync(handle.fileno())
