"""Charters and licences in plain text: the Debian Constitution and Social Contract (Debian package
`doc-debian`, saved from their web pages as text) and the GPL 3, Apache 2.0 and MPL 2.0 texts every Debian
system keeps in /usr/share/common-licenses (package `base-files`). Numbered sections and items, titled list
items, hard-wrapped lines, definitions: the layout of rules written as text. `questions.jsonl` asks them as a
member of the project or a user of the software would (7 of 32 not answered there).

    .venv/bin/python eval/charters/build.py            # writes eval/charters/docs (not committed)
    .venv/bin/qa eval eval/charters/questions.jsonl --corpus eval/charters/docs
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devset"))

from build import rebuild  # noqa: E402  (eval/devset/build.py: apt-get download of pinned versions)

DEBS = [
    (
        "doc-debian",
        "11.3+nmu1",
        {
            "usr/share/doc/debian/constitution.txt.gz": "constitution.txt",
            "usr/share/doc/debian/social-contract.txt.gz": "social-contract.txt",
        },
    ),
    (
        "base-files",
        "12.4+deb12u15",
        {f"usr/share/common-licenses/{name}": name for name in ("GPL-3", "Apache-2.0", "MPL-2.0")},
    ),
]


def main() -> None:
    rebuild(HERE / "docs", DEBS)


if __name__ == "__main__":
    main()
