"""A web framework's documentation in reStructuredText, dense with code: Flask 3.0.3's Sphinx sources
(quickstart, tutorial, patterns, deployment, API) and changelog, from the source distribution on PyPI
(pinned by its sha256; BSD-3-Clause licence). `questions.jsonl` asks them as a Flask user would (2 of 28
not answered there): how-to questions whose answer is often a code example after a sentence leading into
it ("A minimal Flask application looks something like this:").

    .venv/bin/python eval/flask/build.py               # writes eval/flask/docs (not committed)
    .venv/bin/qa eval eval/flask/questions.jsonl --corpus eval/flask/docs
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devset"))

from build import unpack_sdist  # noqa: E402  (eval/devset/build.py: PyPI's simple index, the sha256 checked)

NAME, SHA256 = "flask-3.0.3.tar.gz", "ceb27b0af3823ea2737928a4d99d125a06175b8512c445cbd9a9ce200ef76842"


if __name__ == "__main__":
    unpack_sdist(NAME, SHA256, HERE / "docs", ("README.md", "CHANGES.rst"))
