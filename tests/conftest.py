"""Shared fixtures: a deterministic fake embedder, and the real model (session-scoped)."""

from __future__ import annotations

import hashlib
import re
import shutil
import signal
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SEED_QUESTIONS = REPO / "eval" / "seed_questions.jsonl"
BENCH = REPO.parent / "shared" / "bench" / "squad2-a"


def paragraphs_of(tmp_path: Path, name: str, source: str):
    """The document a file of this name and text reads as, and its paragraphs."""
    from qa.ingest.loaders import load_file
    from qa.types import Document

    path = tmp_path / name
    path.write_text(source)
    doc = load_file(path)
    assert isinstance(doc, Document)
    return doc, prose(doc).split("\n\n")


def prose(doc) -> str:
    """A document's text without the code blocks kept in it (`Document.code`): its paragraphs of prose."""
    pieces, cursor = [], 0
    for start, end in doc.code:
        pieces.append(doc.text[cursor:start])
        cursor = end
    pieces.append(doc.text[cursor:])
    return "\n\n".join(piece.strip("\n") for piece in pieces if piece.strip("\n"))


def heading_paths(doc, paragraphs: list[str]) -> dict[str, str]:
    """Each paragraph's heading path in the document (`paragraphs_of`'s paragraphs)."""
    from qa.types import heading_at

    return {p: heading_at(doc.sections, doc.text.index(p)) for p in paragraphs}


def interruptible() -> None:
    """A subprocess's `preexec_fn`: SIGINT acts as Ctrl-C at a terminal does. A test run started in the
    background (`pytest &` from a script) ignores SIGINT, and its children would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class FakeEmbedder:
    """Hashed bag of words: deterministic, instant, and it records every text it embeds."""

    def __init__(self, dim: int = 64, model_id: str = "fake-bow@1", max_tokens: int = 64) -> None:
        self.dim = dim
        self.model_id = model_id
        self.max_tokens = max_tokens
        self.calls = 0
        self.seen: list[str] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        self.calls += len(texts)
        self.seen.extend(texts)
        return out


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A small three-document corpus in a temporary folder."""
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(
        "date 2024-01-02 Cats and dogs\nCats sleep most of the day. Dogs bark at the mailman.\n\n"
        "The mailman delivers letters on Monday.\n"
    )
    (root / "b.txt").write_text("Paris is the capital of France. Berlin is the capital of Germany.\n")
    (root / "sub" / "c.txt").write_text("The Nile is a long river in Africa. It flows north.\n")
    return root


@pytest.fixture(scope="session")
def real_embedder():
    from qa.models.encoder import load_embedder

    return load_embedder("all-MiniLM-L6-v2", threads=1)


@pytest.fixture(scope="session")
def seed_copy(tmp_path_factory) -> Path:
    """The seed corpus copied to a temporary folder, so tests never touch the repo's embeddings/."""
    target = tmp_path_factory.mktemp("seedcorpus") / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def fake_calibration():
    """The shipped calibration, declared fitted for the fake encoder (its scores are only for testing)."""
    from dataclasses import replace

    from qa.answer.calibration import load_calibration

    return replace(load_calibration(), model="fake-bow@1")


def build(corpus: Path, index_dir: Path, embedder, **chunk):
    """Index `corpus` into `index_dir` with `embedder`; (store, report, opened snapshot)."""
    from qa.ingest.build import build_index
    from qa.ingest.chunking import ChunkSettings
    from qa.store.local import LocalStore

    store = LocalStore(corpus, index_dir)
    report = build_index(store, corpus, embedder, ChunkSettings(**chunk))
    return store, report, store.open()


def service(corpus: Path, index_dir: Path, embedder, calibration=None, settings: dict | None = None, **kw):
    from qa.config import load_settings
    from qa.service import Service

    if calibration is None:
        from dataclasses import replace

        from qa.answer.calibration import load_calibration

        calibration = replace(load_calibration(), model=embedder.model_id)
    chosen = load_settings(corpus=str(corpus), index_dir=str(index_dir), **(settings or {}))
    return Service(chosen, embedder=embedder, calibration=calibration, **kw)
