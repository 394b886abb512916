"""Is the index still what the corpus holds? One listing and one stat per file; a file whose modification
time moved is hashed before it counts as changed (a `touch` alone rebuilds nothing)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from qa.ingest.loaders import walk


def relative(corpus: Path, path: Path) -> str:
    root = corpus if corpus.is_dir() else corpus.parent
    return path.relative_to(root).as_posix()


def file_state(path: Path, follow: bool = True) -> dict:
    """{size, mtime_ns} of a file (of the link itself with follow=False), or -1s when it cannot be read."""
    try:
        stat = path.stat() if follow else path.lstat()
        return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    except OSError:
        return {"size": -1, "mtime_ns": -1}


def unchanged(corpus: str | Path, recorded: dict[str, dict], follow_symlinks: bool = False) -> bool:
    """True when the corpus holds exactly the recorded files, each of the recorded size and either the
    recorded modification time or the recorded content hash."""
    seen = 0
    for rel, found, file, reason in walk(corpus, follow_symlinks):
        seen += 1
        entry = recorded.get(rel)
        if entry is None:
            return False
        try:
            follow = not reason  # a left-out entry (link, pipe) is judged by itself, never opened
            stat = (found.stat(follow_symlinks=follow) if found is not None else os.stat(file, follow_symlinks=follow))
        except OSError:
            return False
        if stat.st_size != entry["size"]:
            return False
        if stat.st_mtime_ns != entry["mtime_ns"]:
            if not entry["sha256"]:  # a skipped file, never hashed: touched means look again
                return False
            try:
                if hashlib.sha256(Path(file).read_bytes()).hexdigest() != entry["sha256"]:
                    return False
            except OSError:
                return False
    return seen == len(recorded)
