"""Re-indexing benchmark (not a test): what a build costs when the corpus or qa's reading changes.

    .venv/bin/python eval/devset/build.py          # once: the documents
    .venv/bin/python eval/bench_reindex.py         # about 10 minutes on a 2-core machine

A copy of the development set's documents (53 files, about 8,000 sentences) is indexed with the shipped
encoder three ways, each timed, with the number of texts the encoder read:
- from nothing (the first `qa ask` on a new corpus);
- again after a release that reads files differently (the index settings' extraction number raised): every
  file is read and chunked again, and each text the old index holds keeps its vector;
- after a note is appended to the largest Markdown file: that document is read again, and only its new
  texts are encoded.
Each change is built on copies of the first index: as qa builds now; as it did before text keys were kept
(the old index lends no vectors: the baseline); and, for the release, from an index made before text keys
were kept, whose keys are worked out from its tables (the upgrade from 0.14.0).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np

import qa.ingest.build as build_module
from qa.ingest.build import build_index
from qa.ingest.chunking import ChunkSettings
from qa.models.encoder import load_embedder
from qa.store.local import LocalSnapshot, LocalStore

DOCS = ROOT / "eval" / "devset" / "docs"


def timed(store: LocalStore, corpus: Path, embedder) -> tuple[float, int, int]:
    started = time.perf_counter()
    report = build_index(store, corpus, embedder, ChunkSettings())
    return time.perf_counter() - started, report.encoded, report.reused_texts


NOTE = "\nThe committee will meet again next Thursday to review the budget.\n"


def keyless(version: Path) -> None:
    """Make an index version as qa made them before text keys were kept: without text_keys.npy."""
    (version / "text_keys.npy").unlink()
    manifest = json.loads((version / "manifest.json").read_text())
    del manifest["checksums"]["text_keys.npy"]
    (version / "manifest.json").write_text(json.dumps(manifest))


def main() -> None:
    if not DOCS.is_dir():
        sys.exit("eval/devset/docs is missing: run eval/devset/build.py first")
    embedder = load_embedder("all-MiniLM-L6-v2", threads=2)
    made = build_module.index_settings
    read_otherwise = mock.patch.object(build_module, "index_settings", lambda *a, **k: {**made(*a, **k), "extraction": -1})
    lends_nothing = mock.patch.object(  # as before text keys were kept
        LocalSnapshot, "vectors_by_key", lambda self, keys: (np.zeros(len(keys), dtype=bool), np.zeros((0, 0), np.float32))
    )
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "docs"
        shutil.copytree(DOCS, corpus)
        base = Path(tmp) / "index"
        rows = [("from nothing", "", *timed(LocalStore(corpus, base), corpus, embedder))]
        largest = max(corpus.rglob("*.md"), key=lambda p: p.stat().st_size)
        original = largest.read_text()
        for name, ways in (
            ("a release that reads files differently", ("no (before)", "yes", "keys worked out (an older index)")),
            ("a note appended to the largest Markdown file", ("no (before)", "yes")),
        ):
            for how in ways:
                index = Path(tmp) / f"index-{len(rows)}"
                shutil.copytree(base, index)  # the index as the first build left it
                if how.startswith("keys worked out"):
                    keyless(LocalStore(corpus, index).current())
                if name.startswith("a note"):
                    largest.write_text(original + NOTE)
                with (read_otherwise if name.startswith("a release") else contextlib.nullcontext()):
                    with lends_nothing if how.startswith("no") else contextlib.nullcontext():
                        seconds, encoded, reused = timed(LocalStore(corpus, index), corpus, embedder)
                rows.append((name, how, seconds, encoded, reused))
                largest.write_text(original)
    print("| build | vectors reused by text | seconds | texts encoded | texts reused |\n|---|---|---|---|---|")
    for name, how, seconds, encoded, reused in rows:
        print(f"| {name} | {how} | {seconds:.1f} | {encoded:,} | {reused:,} |")


if __name__ == "__main__":
    main()
