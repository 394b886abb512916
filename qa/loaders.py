"""Files -> Documents. The only module that knows about file formats and encodings."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from qa.errors import CorpusError
from qa.types import Document

TEXT_SUFFIXES = {".txt", ".text"}
# The seed format: an optional first line "date YYYY-MM-DD Title".
_HEADER = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+([^\n]*?)[ \t]*(?:\r?\n|\Z)")


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 first, then a detected encoding, then cp1252/latin-1: never raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best), best.encoding
    except Exception:  # a detector failure must not stop loading: fall through
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    return b"\x00" in head


def parse_document(path: str, data: bytes) -> Document:
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title, date, body_start = "", "", 0
    match = _HEADER.match(text)
    if match:
        date, title, body_start = match.group(1), match.group(2), match.end()
    return Document(
        path=path,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        title=title or Path(path).stem,
        date=date,
        body_start=body_start,
        encoding=encoding,
    )


def list_files(corpus: str | Path) -> list[Path]:
    """All candidate files under a corpus path (a file or a folder, recursively), sorted."""
    root = Path(corpus)
    if not root.exists():
        raise CorpusError(f"corpus path {str(corpus)!r} does not exist")
    if root.is_file():
        return [root]
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def load_file(path: Path) -> Document | Skipped:
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return Skipped(str(path), f"unsupported file type {path.suffix or '(none)'!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(str(path), f"unreadable: {exc.strerror or exc}")
    if _looks_binary(data):
        return Skipped(str(path), "binary content")
    doc = parse_document(str(path), data)
    if not doc.text[doc.body_start :].strip():
        return Skipped(str(path), "empty")
    return doc


def load_corpus(corpus: str | Path) -> tuple[list[Document], list[Skipped]]:
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for path in list_files(corpus):
        item = load_file(path)
        (docs if isinstance(item, Document) else skipped).append(item)
    return docs, skipped
