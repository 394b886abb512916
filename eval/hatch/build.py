"""A packaging tool's documentation as its MkDocs Material site holds it: Hatch 1.13.0's Markdown pages (the
tutorials, how-to guides, configuration and plugin references with their content tabs, admonitions and option
tables, the FAQ, the release history of Hatch and Hatchling, blog posts), and its README, from the source
distribution on PyPI (pinned by its sha256; MIT licence). `questions.jsonl` asks them as a user of Hatch would.

    .venv/bin/python eval/hatch/build.py               # writes eval/hatch/docs (not committed)
    .venv/bin/qa eval eval/hatch/questions.jsonl --corpus eval/hatch/docs
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devset"))

from build import unpack_sdist  # noqa: E402  (eval/devset/build.py: PyPI's simple index, the sha256 checked)

NAME, SHA256 = "hatch-1.13.0.tar.gz", "5e1a75770cfe8f3ebae3abfded3a976238b0acefd19cdabc5245597525b8066f"


if __name__ == "__main__":
    unpack_sdist(NAME, SHA256, HERE / "docs", ("README.md",))
