"""Time reading long, flat HTML pages: 20,000 paragraphs in one <div> (a book or a chat saved as one page),
50,000 lines set with <br> in one <p> (a text file shown as HTML), and, as old pages are written, the same
paragraphs left open ("<p>One.<p>Two.", which HTML allows), left open with a <font> in each, a table of as
many rows whose cells are left open, and, as generated documentation is written, a list of as many long names
broken with <wbr> (Rust's documentation).

    .venv/bin/python eval/bench_html_lines.py [--paragraphs 20000] [--lines 50000] [--only messy]

Each page is written to a temporary folder (12 words a paragraph or line, seeded) and read once by
`qa.ingest.loaders.load_file` and chunked; prints the seconds and the units each gives. One run: timings on a
shared machine are noisy, and the point is the order of magnitude (an element looked up among its siblings
once per paragraph or line grows with the square of their number).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.ingest.chunking import chunk_document  # noqa: E402
from qa.ingest.loaders import load_file  # noqa: E402
from qa.types import Document  # noqa: E402

WORDS = "the quick brown fox jumps over a lazy dog and runs into the forest where it finds many things".split()


def line(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(12))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=20000)
    parser.add_argument("--lines", type=int, default=50000)
    parser.add_argument("--only", choices=["messy"], help="only the pages written as old or generated pages are")
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        pages = {
            f"{args.paragraphs:,} paragraphs in one <div>": "<html><body><div>"
            + "".join(f"<p>{line(rng)}.</p>\n" for _ in range(args.paragraphs))
            + "</div></body></html>",
            f"{args.lines:,} lines set with <br>": "<html><body><p>"
            + "<br>\n".join(line(rng) for _ in range(args.lines))
            + "</p></body></html>",
        }
        if args.only:  # built all the same, so that the pages below draw the same words with --only or without
            pages = {}
        n = args.paragraphs
        pages[f"{n:,} paragraphs left open"] = "<html><body>" + "".join(f"<p>{line(rng)}.\n" for _ in range(n))
        pages[f"{n:,} paragraphs left open, a <font> in each"] = "<html><body>" + "".join(
            f"<p><font size=2>{line(rng)}.\n" for _ in range(n)
        )
        pages[f"{n:,} table rows, cells left open"] = "<html><body><table>" + "".join(
            f"<tr><td>{i}<td>{line(rng)}\n" for i in range(n)
        )
        pages[f"{n:,} names broken with <wbr>"] = "<html><body><ul>" + "".join(
            f"<li><a href='fn.{i}.html'>vld1q_<wbr>dup_<wbr>u{i}</a> {line(rng)}.</li>\n" for i in range(n)
        ) + "</ul></body></html>"
        for i, (name, markup) in enumerate(pages.items()):
            path = Path(folder) / f"page{i}.html"
            path.write_text(markup)
            start = time.perf_counter()
            doc = load_file(path)
            if not isinstance(doc, Document):
                print(f"{name}: {time.perf_counter() - start:.1f} s, skipped: {doc.reason}")
                continue
            units = chunk_document(doc)[0]
            print(f"{name}: {time.perf_counter() - start:.1f} s, {len(units):,} units")


if __name__ == "__main__":
    main()
