"""Is the index still what the corpus holds? One listing and one stat per file; a file whose modification
time moved is hashed before it counts as changed (a `touch` alone rebuilds nothing)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from qa.ingest.loaders import list_files


def relative(corpus: Path, path: Path) -> str:
    root = corpus if corpus.is_dir() else corpus.parent
    return path.relative_to(root).as_posix()


def file_state(path: Path) -> dict:
    """{size, mtime_ns} of a file, or -1s when it cannot be read."""
    try:
        stat = path.stat()
        return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    except OSError:
        return {"size": -1, "mtime_ns": -1}


def unchanged(corpus: str | Path, recorded: dict[str, dict]) -> bool:
    """True when the corpus holds exactly the recorded files, each of the recorded size and either the
    recorded modification time or the recorded content hash."""
    corpus = Path(corpus)
    files = list_files(corpus)
    if len(files) != len(recorded):
        return False
    for file in files:
        entry = recorded.get(relative(corpus, file))
        if entry is None:
            return False
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
