"""Experiment (not a test): what headings known by their type (size, bold) give a PDF that has no outline.

    .venv/bin/python eval/devset/build.py      # once: the documents
    .venv/bin/python eval/experiment_pdf_headings.py    # about 5 minutes

The development set's PDF manuals all have an outline (bookmarks), which `qa` reads as their headings; many
PDFs have none. Their questions are asked of the manuals four times, each over its own index: read as
shipped (the outline), read as a PDF without an outline was read before font headings (no headings), with
headings by size alone, and read as one is now (`qa.ingest.formats.pdf.font_outline`: lines set larger than
the body text, or in bold at its size). Prints ans@1, end-to-end accuracy and the confidence's AUROC for each, and the time reading the three
PDFs takes each way (median of five).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import load_settings
from qa.evaluation.metrics import load_questions, summarize
from qa.evaluation.runner import measure
from qa.ingest.formats import pdf
from qa.ingest.loaders import load_file
from qa.service import Service

DEVSET = ROOT / "eval" / "devset"


def run(index_dir: Path) -> dict:
    service = Service(load_settings(corpus=str(DEVSET / "docs" / "manuals"), index_dir=str(index_dir)))
    service.ensure_index()
    found = summarize([measure(service.ask, q)[1] for q in load_questions(DEVSET / "manuals.jsonl")])
    return {**found, "read_s": read_time()}


def read_time(repeats: int = 5) -> float:
    """Median seconds to read the manuals' PDFs (as the current patches have them read)."""
    files = sorted((DEVSET / "docs" / "manuals").glob("*.pdf"))
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for path in files:
            load_file(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    if not (DEVSET / "docs").is_dir():
        sys.exit("eval/devset/docs is missing: run eval/devset/build.py first")
    no_outline = mock.patch.object(pdf, "_pdf_outline", lambda document, count: [])
    with tempfile.TemporaryDirectory() as tmp:
        rows = {"the outline (as shipped)": run(Path(tmp) / "outline")}
        with no_outline, mock.patch.object(pdf, "font_outline", lambda sized: ([], "")):
            rows["no outline, no headings"] = run(Path(tmp) / "none")
        with no_outline, mock.patch.object(pdf, "_bold_headings", lambda looks, body, n: []):
            rows["no outline, headings by font size only"] = run(Path(tmp) / "size")
        with no_outline:
            rows["no outline, headings by font size and bold"] = run(Path(tmp) / "font")
    print("| PDF manuals read with | ans@1 | end-to-end | AUROC | reading the PDFs |\n|---|---|---|---|---|")
    for name, r in rows.items():
        print(
            f"| {name} | {r['ans@1']:.3f} | {r['end_to_end_accuracy']:.3f} | {r['confidence_auroc']:.3f} | {r['read_s']:.2f} s |"
        )


if __name__ == "__main__":
    main()
