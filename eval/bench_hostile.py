"""Large and hostile corpora (not a test): does `qa index` finish with bounded memory, or skip with a reason?

    .venv/bin/python eval/bench_hostile.py [--files 20000] [--pages 5000]

Each corpus is indexed by `qa index --json` into a new index folder, in its own process, with a stand-in
encoder of the real model's width (eval/make_standin_encoder.py --dim 384), so the rows time and size everything
but the encoder's own arithmetic and the vectors are as large as the real model's. Corpora, all of real text
(the docstrings of the Python modules installed beside qa, as in eval/bench_product.py):

- `--files` small text files (three docstring paragraphs each, in 100 folders);
- one text file just under the 8 MB text limit;
- a `--pages`-page PDF (eight docstring lines per page);
- a 200 MB text file (sparse), the 100,000-div HTML page and the 1 GB-unzipped DOCX, each beside the seed
  article: they must be skipped with their reason and the seed article indexed.

Reported: documents, sentences, skipped, wall seconds and peak RSS (/usr/bin/time)."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_product import QA, docstring_files, run
from docfactory import write_pdf
from make_standin_encoder import make
from test_hostile import docx_bomb, nested_html


def paragraphs():
    for _, text in docstring_files():
        for part in text.split("\n\n"):
            part = " ".join(part.split())
            if len(part) > 40:
                yield part


def small_files(folder: Path, files: int) -> None:
    source = paragraphs()
    for i in range(files):
        sub = folder / f"d{i % 100:02}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note{i:05}.txt").write_text("\n\n".join(next(source) for _ in range(3)) + "\n")


def one_large_text(folder: Path, size: int) -> None:
    folder.mkdir(parents=True)
    written = 0
    with open(folder / "large.txt", "w", encoding="utf-8") as out:
        for part in paragraphs():
            if written + len(part.encode()) + 2 > size:
                break
            out.write(part + "\n\n")
            written += len(part.encode()) + 2


def long_pdf(folder: Path, pages: int) -> None:
    folder.mkdir(parents=True)
    lines = (line[:90] for part in paragraphs() for line in [part])
    write_pdf(folder / "manual.pdf", [[next(lines) for _ in range(8)] for _ in range(pages)])


def beside_seeds(folder: Path, make_file) -> None:
    shutil.copytree(ROOT / "seeds", folder)
    make_file(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--pages", type=int, default=5_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qa-hostile-"))
    try:
        encoder = make(work / "standin-encoder", dim=384)
        env = {
            "QA_MODEL": str(encoder),
            "QA_CALIBRATION": str(encoder / "calibration.json"),
            "QA_CACHE_DIR": str(work / "cache"),
            "OMP_NUM_THREADS": "1",
        }

        def sparse(folder: Path) -> None:
            with open(folder / "huge.txt", "wb") as huge:
                huge.truncate(200 * 2**20)

        corpora = {
            f"{args.files:,} small files": lambda f: small_files(f, args.files),
            "one 7.9 MB text file": lambda f: one_large_text(f, 8 * 2**20 - 65536),
            f"a {args.pages:,}-page PDF": lambda f: long_pdf(f, args.pages),
            "200 MB text file + seeds": lambda f: beside_seeds(f, sparse),
            "100,000 nested divs + seeds": lambda f: beside_seeds(f, lambda g: nested_html(g / "nested.html")),
            "1 GB-unzipped DOCX + seeds": lambda f: beside_seeds(f, lambda g: docx_bomb(g / "bomb.docx", 1024)),
        }
        # the stand-in's ONNX export, made once (as a user's cache holds it), before anything is measured
        run([QA, "index", str(ROOT / "seeds"), "--json"], {**env, "QA_INDEX_DIR": str(work / "idx-seeds")})
        print("| corpus | documents | sentences | skipped | `qa index` s | peak RSS MB |\n|---|---|---|---|---|---|")
        for number, (name, build) in enumerate(corpora.items()):
            folder = work / f"corpus-{number}"
            build(folder)
            wall, rss, out = run([QA, "index", str(folder), "--json"], {**env, "QA_INDEX_DIR": str(work / f"idx-{number}")})
            report = json.loads(out)
            skipped = "; ".join(f"{s['path']}: {s['reason']}" for s in report["skipped"]) or "none"
            print(f"| {name} | {report['documents']:,} | {report['sentences']:,} | {skipped} | {wall:.1f} | {rss:.0f} |", flush=True)
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
