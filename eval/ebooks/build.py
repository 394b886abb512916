"""E-books: two manuals as EPUB, the form Debian ships them in (packages `debian-edu-doc-en`, `cxxtest`): the
Debian Edu 12 manual, an administrator's guide to a school network (zipped from outside its folder, every
path under "epub/"), and CxxTest's user guide, a C++ testing framework's. `questions.jsonl` asks them as
their readers would (6 of 31 not answered there).

    .venv/bin/python eval/ebooks/build.py            # writes eval/ebooks/docs (not committed)
    .venv/bin/qa eval eval/ebooks/questions.jsonl --corpus eval/ebooks/docs
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devset"))

from build import rebuild  # noqa: E402  (eval/devset/build.py: apt-get download of pinned versions)

DEBS = [
    (
        "debian-edu-doc-en",
        "2.12.23~deb12u1",
        {"usr/share/doc/debian-edu-doc-en/debian-edu-bookworm-manual.epub": "debian-edu-bookworm-manual.epub"},
    ),
    ("cxxtest", "4.4+git171022-2", {"usr/share/doc/cxxtest/guide.epub": "cxxtest-guide.epub"}),
]


def main() -> None:
    rebuild(HERE / "docs", DEBS)


if __name__ == "__main__":
    main()
