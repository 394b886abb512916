"""Which encoder does what, loaded when first needed: the indexing encoder, the question encoder (the ONNX
export, kept once per user and model in the user's cache) and the two cross-encoders (loaded in threads, so
that a cold question overlaps their start with the index's)."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from qa.config import DEFAULT_MODEL, Settings, model_cache_dir
from qa.errors import ModelError
from qa.models.cross import RANKER_FILE, READER_FILE, Reader
from qa.models.encoder import (
    ONNX_FILE,
    TOKENIZER_FILE,
    Embedder,
    OnnxEmbedder,
    export_onnx,
    load_embedder,
    onnx_sha256,
    resolve_model,
)


def gpu_present() -> bool:
    """An NVIDIA GPU visible to this machine, checked without importing torch."""
    return Path("/dev/nvidia0").exists() or Path("/proc/driver/nvidia/gpus").is_dir()


def _quiet(_: str) -> None:
    pass


class Models:
    """The models of one service. An injected `embedder` (tests, benchmarks) is used for indexing and
    questions alike."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        on_notice: Callable[[str], None] = _quiet,
        cache_dir: Path | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder
        self._query: Embedder | None = embedder
        self.on_notice = on_notice
        self.cache_dir = cache_dir or model_cache_dir()
        self._lock = threading.RLock()
        self._cross: dict[str, Future[Reader]] = {}

    @property
    def embedder(self) -> Embedder:
        """The indexing encoder (sentence-transformers). Loading torch happens on its first embed."""
        with self._lock:
            if self._embedder is None:
                self._embedder = load_embedder(self.settings.model, device=self.settings.device)
            return self._embedder

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    # ---- the ONNX export ---------------------------------------------------------------------------------
    def onnx_dir(self) -> Path:
        safe = re.sub(r"[^A-Za-z0-9@._-]+", "_", self.model_id)
        return self.cache_dir / safe

    def _export(self) -> Path | None:
        """The ONNX export for this model, made now if missing; None (with a notice) if impossible."""
        folder = self.onnx_dir()
        if (folder / ONNX_FILE).is_file():
            return folder
        try:
            export_onnx(self.embedder, folder)  # type: ignore[arg-type]
        except (ModelError, OSError) as exc:
            self.on_notice(f"{exc}; using sentence-transformers")
            return None
        return folder

    def _onnx_encoder(self, threads: int) -> OnnxEmbedder | None:
        """The export under ONNX Runtime, or None (with a notice) when the settings, the model or a damaged
        export rule it out; the caller then uses sentence-transformers."""
        model = self.embedder
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
        with self._lock:
            if self._query is None:
                encoder: Embedder | None = self._onnx_encoder(threads=1)  # one question at a time: one thread
                if encoder is None:
                    encoder = self.embedder
                    if hasattr(encoder, "use_threads"):
                        encoder.use_threads(1)
                self._query = encoder
            return self._query

    def indexing_encoder(self) -> tuple[Embedder, dict]:
        """The encoder for a build and what the manifest should record of it: the ONNX export on all cores
        when it can be had (faster than torch here) and no GPU is to be used, else sentence-transformers."""
        cores = os.cpu_count() or 1
        model = self.embedder
        if hasattr(model, "use_threads"):
            model.use_threads(cores)
        device = self.settings.device or ("cuda" if gpu_present() else "cpu")
        encoder = self._onnx_encoder(threads=cores) if device == "cpu" else None
        if encoder is None:
            if self.settings.ray is not None:
                raise ModelError("embedding on Ray needs the ONNX encoder (QA_BACKEND=onnx, no GPU device)")
            return model, {}
        folder = self.onnx_dir()
        extra = {"query_encoder": {"onnx": (folder / ONNX_FILE).as_posix(), "sha256": onnx_sha256(folder)}}
        if self.settings.ray is not None:
            from qa.models.distributed import RayEmbedder

            return RayEmbedder(encoder, folder, self.settings.ray), extra
        return encoder, extra

    # ---- cross-encoders ----------------------------------------------------------------------------------
    def load_soon(self, name: str) -> None:
        """Start loading one cross-encoder ("reader" or "ranker") in a thread, unless it is loading already.
        Errors surface where the model is used."""
        with self._lock:
            if name in self._cross:
                return
            path = READER_FILE if name == "reader" else RANKER_FILE
            future: Future[Reader] = Future()
            self._cross[name] = future

        def load() -> None:
            try:
                tokenizer = resolve_model(DEFAULT_MODEL) / TOKENIZER_FILE
                future.set_result(Reader(path, tokenizer, threads=1, cache=self.cache_dir / "optimized"))
            except BaseException as exc:  # handed to whoever asks for the model
                future.set_exception(exc)

        # Not a daemon: exiting (on an error elsewhere) while ONNX Runtime builds a session in a daemon thread
        # aborted the process ("terminate called without an active exception"); the exit waits for the load.
        threading.Thread(target=load, name=f"qa-{name}").start()

    def cross_encoder(self, name: str) -> Reader:
        self.load_soon(name)
        return self._cross[name].result()

    def use(self, name: str, model) -> None:
        """Put a ready model in place of a cross-encoder (tests and benchmarks time or replace them)."""
        future: Future = Future()
        future.set_result(model)
        with self._lock:
            self._cross[name] = future
