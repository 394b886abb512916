"""The stages wired together: corpus -> index (built or reused) -> retrieve -> extract.
Only the CLI (and tests) import this module."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from qa.chunking import ChunkSettings, largest_fit
from qa.config import DEFAULT_MODEL, Settings
from qa.conversation import Conversation
from qa.embedding import (
    ONNX_FILE,
    TOKENIZER_FILE,
    Embedder,
    OnnxEmbedder,
    export_onnx,
    load_embedder,
    onnx_sha256,
    resolve_model,
)
from qa.errors import ModelError, QuestionError
from qa.evaluate import Outcome, Question
from qa.extract import Calibration, answer, load_calibration
from qa.index import BuildReport, CorruptIndex, IndexStore, LoadedIndex, index_settings
from qa.reader import RANKER_FILE, READER_FILE, Reader
from qa.retrieval import closest_sentences
from qa.types import Answer

RECHECK_SECONDS = 1.0


def _quiet(_: str) -> None:
    pass


def gpu_present() -> bool:
    """An NVIDIA GPU visible to this machine, checked without importing torch."""
    return Path("/dev/nvidia0").exists() or Path("/proc/driver/nvidia/gpus").is_dir()


class OnDemand:
    """A cross-encoder loaded on its first use."""

    def __init__(self, load: Callable[[], Reader]) -> None:
        self._load = load

    def logits(self, question: str, sentences: list[str]):
        return self._load().logits(question, sentences)


@dataclass
class Engine:
    settings: Settings
    embedder: Embedder | None = None  # injected (tests): used for indexing and questions alike
    calibration: Calibration = field(default_factory=load_calibration)
    on_build: Callable[[str], None] | None = None  # told before a (re)build starts
    on_notice: Callable[[str], None] = _quiet  # one-line notices (e.g. a fallback to torch)
    on_progress: Callable[[int, int], None] | None = None  # (texts embedded, total) during a build

    def __post_init__(self) -> None:
        self.store = IndexStore(self.settings.corpus, self.settings.index_dir)
        self._index: LoadedIndex | None = None
        self._checked = 0.0
        self._query_encoder: Embedder | None = self.embedder
        self._readers: dict[str, Future[Reader]] = {}

    @property
    def model(self) -> Embedder:
        """The indexing encoder (sentence-transformers). Loading torch happens on its first embed."""
        if self.embedder is None:
            self.embedder = load_embedder(self.settings.model, device=self.settings.device)
        return self.embedder

    @property
    def chunk_settings(self) -> ChunkSettings:
        return ChunkSettings(self.settings.passage_tokens, self.settings.passage_overlap)

    @property
    def loaded(self) -> LoadedIndex | None:
        """The index the last question was answered from, without another freshness check."""
        return self._index

    @property
    def threshold(self) -> float:
        return self.calibration.threshold if self.settings.threshold is None else self.settings.threshold

    # ---- the ONNX query encoder ------------------------------------------------------------------
    def onnx_dir(self) -> Path:
        safe = re.sub(r"[^A-Za-z0-9@._-]+", "_", self.model.model_id)
        return Path(self.settings.index_dir) / "models" / safe

    def _export(self) -> Path | None:
        """The ONNX export for this model, made now if missing; None (with a notice) if impossible."""
        folder = self.onnx_dir()
        if (folder / ONNX_FILE).is_file():
            return folder
        try:
            export_onnx(self.model, folder)
        except ModelError as exc:
            self.on_notice(f"{exc}; using sentence-transformers")
            return None
        return folder

    def _onnx_encoder(self, threads: int) -> OnnxEmbedder | None:
        """The export under ONNX Runtime, or None (with a notice) when the settings, the model or a
        damaged export rule it out; the caller then uses sentence-transformers."""
        model = self.model
        if self.settings.backend != "onnx" or not hasattr(model, "path"):
            return None  # the torch backend, or an injected test encoder
        folder = self._export()
        if folder is None:
            return None
        try:
            return OnnxEmbedder(folder, model.model_id, model.dim, model.max_tokens, threads=threads)
        except ModelError as exc:
            self.on_notice(f"{exc}; using sentence-transformers")
            return None

    @property
    def query_encoder(self) -> Embedder:
        if self._query_encoder is None:
            encoder = self._onnx_encoder(threads=1)  # one question at a time runs fastest on one thread
            if encoder is None:
                encoder = self.model
                if hasattr(encoder, "use_threads"):
                    encoder.use_threads(1)
            self._query_encoder = encoder
        return self._query_encoder

    def _load_soon(self, name: str) -> None:
        """Start loading one cross-encoder ("reader" or "ranker") in a thread, if the calibration uses it and
        it is not loading yet. Errors surface where the model is used."""
        used = self.calibration.uses_reader if name == "reader" else self.calibration.reranks
        if name in self._readers or not used:
            return
        path = READER_FILE if name == "reader" else RANKER_FILE
        future: Future[Reader] = Future()

        def load() -> None:
            try:
                future.set_result(Reader(path, resolve_model(DEFAULT_MODEL) / TOKENIZER_FILE, threads=1))
            except BaseException as exc:  # handed to whoever asks for the model
                future.set_exception(exc)

        # Not a daemon: exiting (on an error elsewhere) while ONNX Runtime builds a session in a daemon thread
        # aborted the process ("terminate called without an active exception"); the exit now waits for the
        # load instead (a fraction of a second).
        threading.Thread(target=load, name=f"qa-{name}").start()
        self._readers[name] = future

    def _loaded(self, name: str) -> Reader | None:
        self._load_soon(name)
        future = self._readers.get(name)
        return None if future is None else future.result()

    @property
    def reader(self) -> Reader | None:
        """The cross-encoder that reads the top sentence with the question; None when the calibration does
        not use it. A missing or damaged model file is an error: the confidence was fitted with it. Every
        question uses it, so `ask` starts loading it at once, beside the index and the question encoder."""
        return self._loaded("reader")

    @property
    def ranker(self) -> Reader | None:
        """The cross-encoder that reorders the closest candidates; None when the calibration does not rerank.
        Most questions do not need it (one candidate is clearly best), so it loads on first need: a cold
        `qa ask` that does not rerank never pays for it."""
        return self._loaded("ranker")

    # ---- index -------------------------------------------------------------------------------------
    def _index_encoder(self, extra: dict) -> Embedder:
        """The encoder for a build: the ONNX export on all cores when it can be had (faster than torch
        here) and no GPU is to be used, else sentence-transformers."""
        cores = os.cpu_count() or 1
        if hasattr(self.model, "use_threads"):
            self.model.use_threads(cores)
        device = self.settings.device or ("cuda" if gpu_present() else "cpu")
        encoder = self._onnx_encoder(threads=cores) if device == "cpu" else None
        if encoder is None:
            return self.model
        folder = self.onnx_dir()
        extra["query_encoder"] = {
            "onnx": (folder / ONNX_FILE).relative_to(Path(self.settings.index_dir)).as_posix(),
            "sha256": onnx_sha256(folder),
        }
        return encoder

    def build(self, force: bool = False) -> BuildReport:
        if self.on_build is not None:
            self.on_build(str(self.settings.corpus))
        extra: dict = {}
        encoder = self._index_encoder(extra)
        report = self.store.build(
            encoder, self.chunk_settings, force=force, extra=extra, progress=self.on_progress, on_wait=self.on_notice
        )
        self._index = None
        return report

    def index(self) -> LoadedIndex:
        """The loaded index, built first if missing or out of date. Between questions the documents are
        checked again (at most once a second): edited files answer with their new text, deleted ones stop
        answering. A damaged index is rebuilt with a notice."""
        now = time.monotonic()
        if self._index is not None and now - self._checked < RECHECK_SECONDS:
            return self._index
        self._checked = now
        current = self.store.is_current(index_settings(self.model, self.chunk_settings))
        if self._index is not None and current:
            return self._index
        if not current:
            self.build()
        try:
            self._index = self.store.load()
        except CorruptIndex as exc:
            self.on_notice(f"{exc}; rebuilding the index")
            self.build(force=True)
            self._index = self.store.load()
        return self._index

    def _fit_question(self, question: str) -> str:
        """A question longer than the model's window is cut to fit, with a notice (never silently)."""
        encoder = self.query_encoder
        limit = getattr(encoder, "max_tokens", 0)
        if not limit or encoder.count_tokens(question) <= limit:
            return question
        words = question.split()
        lo = largest_fit(len(words), lambda n: encoder.count_tokens(" ".join(words[:n])) <= limit)
        self.on_notice(f"the question is longer than the model's {limit}-token window; using its first {lo} words")
        return " ".join(words[:lo])

    def measure(self, question: Question, conversation: Conversation | None = None) -> tuple[Answer, Outcome]:
        """Ask one evaluation question, timed, and record what happened for the metrics."""
        started = time.perf_counter()
        result = self.ask(question.question, conversation)
        latency = (time.perf_counter() - started) * 1000
        ranked = [s.sentence.text for s in result.sentences]
        return result, Outcome(question, ranked, result.answered, result.confidence, latency)

    def ask(self, question: str, conversation: Conversation | None = None, limit: int = 10) -> Answer:
        question = question.strip()
        if not question:
            raise QuestionError('the question is empty: type a question, e.g. qa ask "What gift did Kim give?"')
        self._load_soon("reader")
        question = self._fit_question(question)
        query = conversation.query_for(question) if conversation is not None else question
        index = self.index()
        vector = self.query_encoder.embed([query])[0]
        # A follow-up is embedded with its topic (that resolves "they", "he"), but its words alone say what
        # it asks now: the lexical signal uses only them.
        candidates = closest_sentences(index, vector, self.settings.candidates, question)
        ranker = OnDemand(lambda: self.ranker) if self.calibration.reranks else None
        result = answer(question, index, candidates, self.calibration, self.threshold, limit, query, self.reader, ranker)
        if conversation is not None:
            conversation.add(question)
        return result
