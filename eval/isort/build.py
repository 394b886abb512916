"""A tool's documentation as its MkDocs site holds it: isort 9.0.2's Markdown pages (configuration options,
config files, profiles, action comments, quick start, upgrade guides), README and changelog, from the source
distribution on PyPI (pinned by its sha256; MIT licence). `questions.jsonl` asks them as a user of isort
would (6 of 31 not answered there).

    .venv/bin/python eval/isort/build.py               # writes eval/isort/docs (not committed)
    .venv/bin/qa eval eval/isort/questions.jsonl --corpus eval/isort/docs
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devset"))

from build import unpack_sdist  # noqa: E402  (eval/devset/build.py: PyPI's simple index, the sha256 checked)

NAME, SHA256 = "isort-9.0.2.tar.gz", "d2298980ce44350f11d9d24c8150eaef1883431ec203dddbb4e9b5c3ceb54c70"


if __name__ == "__main__":
    unpack_sdist(NAME, SHA256, HERE / "docs", ("README.md", "CHANGELOG.md"))
