"""Tables drawn in plain text: the Debian Reference's text version (Debian package `debian-reference-en`,
`debian-reference.en.txt.gz`, written by a text browser from the book's HTML), whose 200-odd tables are
boxed in `+---+` rules with their cells wrapped over several lines, each under a caption ("Table 1.4. List of
the first character of "ls -l" output"). `questions.jsonl` asks 12 questions whose answer is a row of one of
its tables ("What does Ctrl-Z do in bash?"), written while looking at the tables.

    .venv/bin/python eval/text_tables/build.py          # writes eval/text_tables/docs (not committed)
    .venv/bin/qa eval eval/text_tables/questions.jsonl --corpus eval/text_tables/docs
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devset"))

from build import rebuild  # noqa: E402  (eval/devset/build.py: apt-get download of pinned versions)

DEBS = [
    (
        "debian-reference-en",
        "2.100",
        {"usr/share/debian-reference/debian-reference.en.txt.gz": "debian-reference.en.txt"},
    ),
]


def main() -> None:
    rebuild(HERE / "docs", DEBS)


if __name__ == "__main__":
    main()
