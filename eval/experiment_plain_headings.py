"""Experiment (not a test): what headings found in plain text add, on the development set written out as plain text.

    .venv/bin/python eval/devset/build.py      # once: the documents
    .venv/bin/python eval/experiment_plain_headings.py

Every development document is read as `qa` reads it, then written as a .txt file: its paragraphs, and
before each section its new headings, underlined ("=" for the outermost level, then "-", "~", "^"), as
a plain-text README or an e-book would have them. The genres' questions are asked of that folder twice:
with the plain-text reader as shipped (headings found by their look, `plain_sections`) and with it
finding none. Prints ans@1 and end-to-end accuracy per genre for both. The questions' gold sentences are
the same text in both folders.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import load_settings
from qa.evaluation.metrics import load_questions, summarize
from qa.evaluation.runner import measure
from qa.ingest.formats import text as plain_reader
from qa.ingest.formats.common import HEADING_SEPARATOR, Skipped
from qa.ingest.loaders import list_files, load_file
from qa.service import Service

DEVSET = ROOT / "eval" / "devset"
GENRES = ("tech", "prose", "manuals", "faq")
UNDERLINES = "=-~^"


def as_plain_text(text: str, sections: tuple[tuple[int, str], ...]) -> str:
    """The text with each section's new headings written, underlined, where the section begins."""
    out, last, shown = [], 0, list[str]()
    for offset, path in sections:
        out.append(text[last:offset])
        last = offset
        parts = path.split(HEADING_SEPARATOR) if path else []
        same = 0
        while same < min(len(parts), len(shown)) and parts[same] == shown[same]:
            same += 1
        for depth in range(same, len(parts)):
            title = " ".join(parts[depth].split())
            out.append(f"{title}\n{UNDERLINES[min(depth, len(UNDERLINES) - 1)] * len(title)}\n\n")
        shown = parts
    out.append(text[last:])
    return "".join(out)


def write_corpus(target: Path) -> int:
    docs = DEVSET / "docs"
    written = 0
    for path in list_files(docs):
        doc = load_file(path)
        if isinstance(doc, Skipped):
            continue
        out = target / path.relative_to(docs).with_suffix(".txt")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(as_plain_text(doc.text, doc.sections), encoding="utf-8")
        written += 1
    return written


def run(corpus: Path, index_dir: Path) -> dict[str, dict]:
    service = Service(load_settings(corpus=str(corpus), index_dir=str(index_dir)))
    service.ensure_index()
    results = {}
    for genre in GENRES:
        outcomes = [measure(service.ask, q)[1] for q in load_questions(DEVSET / f"{genre}.jsonl")]
        results[genre] = summarize(outcomes)
    return results


def main() -> None:
    if not (DEVSET / "docs").is_dir():
        sys.exit("eval/devset/docs is missing: run eval/devset/build.py first")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "plain"
        print(f"{write_corpus(corpus)} documents written as plain text", flush=True)
        found = run(corpus, Path(tmp) / "index-headings")
        with mock.patch.object(plain_reader, "plain_sections", lambda *args, **kwargs: ((), ())):
            none = run(corpus, Path(tmp) / "index-none")
    print(
        "| genre | ans@1, no headings | ans@1, headings found | end-to-end, no headings | end-to-end, headings found |"
    )
    print("|---|---|---|---|---|")
    for genre in GENRES:
        a, b = none[genre], found[genre]
        print(
            f"| {genre} | {a['ans@1']:.3f} | {b['ans@1']:.3f} | "
            f"{a['end_to_end_accuracy']:.3f} | {b['end_to_end_accuracy']:.3f} |"
        )


if __name__ == "__main__":
    main()
