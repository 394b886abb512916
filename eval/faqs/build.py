"""Rebuild the documents of the plain-text FAQ check from Debian packages.

    .venv/bin/python eval/faqs/build.py [--out eval/faqs/docs]
    .venv/bin/qa eval eval/faqs/questions.jsonl --corpus eval/faqs/docs

Six FAQs as their projects ship them, in the layouts plain-text and DocBook FAQs use: a question alone on its
line over its indented answer (procps), numbered questions (zlib), "Q:" and "A:" blocks (XZ Utils), "Q." and
"A." (base-files), numbered questions wrapped over lines (Valgrind's FAQ.txt) and the same FAQ as DocBook
HTML. None is a development-set document; nothing was fitted on them. The questions in questions.jsonl were
written from the answers' content, in other words than the FAQ's own questions. Nothing is committed; each
file keeps its package's licence (its Debian copyright file).
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devset"))

from build import deb  # noqa: E402  (eval/devset/build.py: apt-get download, pinned version first)

# (Debian package, version it was built from, {path inside the package: file name in the corpus folder})
DEBS = [
    ("procps", "2:4.0.2-3", {"usr/share/doc/procps/FAQ": "procps-FAQ"}),
    ("xz-utils", "5.4.1-1+deb12u1", {"usr/share/doc/xz-utils/faq.txt": "xz-faq.txt"}),
    ("zlib1g-dev", "1:1.2.13.dfsg-1", {"usr/share/doc/zlib1g-dev/FAQ": "zlib-FAQ"}),
    ("base-files", "12.4+deb12u15", {"usr/share/doc/base-files/FAQ": "base-files-FAQ"}),
    (
        "valgrind",
        "1:3.19.0-1",
        {"usr/share/doc/valgrind/FAQ.txt": "valgrind-FAQ.txt", "usr/share/doc/valgrind/html/faq.html": "valgrind-faq.html"},
    ),
]


def build(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        for package, version, members in DEBS:
            tree = deb(package, version, Path(scratch))
            for member, target in members.items():
                source = tree / member
                data = source.read_bytes() if source.exists() else gzip.decompress((tree / (member + ".gz")).read_bytes())
                (out / target).write_bytes(data)
    print(f"{sum(1 for _ in out.iterdir())} files in {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "docs")
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
