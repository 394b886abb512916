"""Build or update the index of a corpus: load the files, reuse what the store already holds for unchanged
documents (by content hash), chunk and embed the rest, and commit it to the store in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from qa.errors import CorpusError
from qa.ingest.chunking import ChunkSettings, chunk_document
from qa.ingest.freshness import file_state, unchanged
from qa.ingest.loaders import Skipped, load_file, walk
from qa.models.encoder import Embedder
from qa.retrieve.lexical import document_terms
from qa.store.base import FORMAT_VERSION, DocumentEntry, DocumentRows, Store
from qa.types import Document


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


def index_settings(embedder: Embedder, chunk: ChunkSettings) -> dict:
    """What an index is made with; an index made otherwise is rebuilt, never mixed."""
    return {
        "format_version": FORMAT_VERSION,
        "model": embedder.model_id,
        "dimension": embedder.dim,
        "normalized": True,
        "metric": "inner_product",
        "chunker": chunk.to_json(),
    }


def is_current(store: Store, corpus: str | Path, settings: dict) -> bool:
    """The store's index was made with these settings from the files as they are now."""
    if store.settings() != settings:
        return False
    recorded = store.files()
    return recorded is not None and unchanged(corpus, recorded)


def build_index(
    store: Store,
    corpus: str | Path,
    embedder: Embedder,
    chunk: ChunkSettings,
    force: bool = False,
    extra: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> BuildReport:
    """Bring the store's index of `corpus` up to date. Unchanged documents keep their rows and vectors;
    nothing is mixed across models or chunker settings."""
    started = time.perf_counter()
    corpus = Path(corpus)
    settings = index_settings(embedder, chunk)
    with store.transaction(settings, on_wait) as txn:
        if not force and is_current(store, corpus, settings):
            stats = store.stats()
            if stats is not None:
                return BuildReport(
                    stats.documents, stats.sentences, stats.passages, 0, stats.documents,
                    [Skipped(**s) for s in store.skipped()], time.perf_counter() - started, rebuilt=False,
                )  # fmt: skip
        docs, skipped, files = _load(corpus)
        known = {} if force else txn.known()
        plan: list[tuple[Document, DocumentEntry | None, tuple]] = []
        texts: list[str] = []
        for doc in docs:
            prior = known.get(doc.sha256)
            if prior is not None:
                plan.append((doc, prior, ()))
                continue
            sentences, passages = chunk_document(doc, chunk, embedder.count_tokens, 0)
            plan.append((doc, None, (sentences, passages, document_terms([s.text for s in sentences]))))
            texts.extend(s.text for s in sentences)
        n_sentence_texts = len(texts)
        for _, prior, rows in plan:
            if prior is None:
                texts.extend(p.text for p in rows[1])
        vectors = _embed_all(embedder, texts, progress)
        s_vectors, p_vectors = vectors[:n_sentence_texts], vectors[n_sentence_texts:]
        reused = 0
        for doc, prior, rows in plan:
            if prior is not None:
                txn.keep(prior, doc.path)
                reused += 1
                continue
            sentences, passages, counts = rows
            entry = DocumentEntry(doc.path, doc.sha256, doc.title, doc.date, doc.encoding)
            txn.upsert(DocumentRows(entry, sentences, passages, s_vectors[: len(sentences)], p_vectors[: len(passages)], counts))
            s_vectors, p_vectors = s_vectors[len(sentences) :], p_vectors[len(passages) :]
        txn.commit(files, {"skipped": [asdict(s) for s in skipped], **(extra or {})})
    return BuildReport(
        len(docs),
        txn.n_sentences,
        txn.n_passages,
        len(texts),
        reused,
        skipped,
        time.perf_counter() - started,
        True,
    )


def _load(corpus: Path) -> tuple[list[Document], list[Skipped], dict[str, dict]]:
    """The corpus's readable documents (paths relative to it), what was skipped and why, and every file's
    state for the next freshness check."""
    docs: list[Document] = []
    skipped: list[Skipped] = []
    files: dict[str, dict] = {}
    for rel, _, name, reason in walk(corpus):
        file = Path(name)
        files[rel] = file_state(file, follow=not reason)
        item = Skipped(rel, reason) if reason else load_file(file)
        if isinstance(item, Skipped):
            # not hashed: a skipped file may be huge (a video, a log) and is not read again just for that;
            # if it is touched, the index is rebuilt, reusing every document's vectors
            files[rel]["sha256"] = ""
            skipped.append(Skipped(rel, item.reason))
            continue
        files[rel]["sha256"] = item.sha256
        docs.append(replace(item, path=rel))
    if not docs:
        raise CorpusError(
            f"no readable text documents in {str(corpus)!r}"
            + (f" ({len(skipped)} skipped, e.g. {skipped[0].path}: {skipped[0].reason})" if skipped else "")
        )
    return docs, skipped, files


def _embed_all(embedder: Embedder, texts: list[str], progress: Callable[[int, int], None] | None) -> np.ndarray:
    """Embed in slices so a progress callback can follow; one call when nobody is watching."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    if progress is None:
        return embedder.embed(texts)
    step = 512
    parts = []
    for start in range(0, len(texts), step):
        parts.append(embedder.embed(texts[start : start + step]))
        progress(min(start + step, len(texts)), len(texts))
    return np.concatenate(parts)
