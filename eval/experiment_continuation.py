"""Experiment (not a test): how much a sentence that points back at the one before it should inherit of that
one's score (qa.answer.extract.CONTINUATION), measured by `qa eval` with each value.

    .venv/bin/python eval/devset/build.py          # once: the documents, from Debian and PyPI packages
    .venv/bin/python eval/experiment_continuation.py [--bench ../shared/bench/squad2-a] [--dev]

Each run is the real CLI (`python -m qa eval --json`) in a subprocess with CONTINUATION set first; "off" also
finds no continuations (qa.retrieve.hybrid.continuations gives none: the candidates are the searches' alone,
as before sentences pointing back were looked up). SQuAD split A and train by default; with --dev, the four
development genres too (one index of the development corpus). Prints ans@1, end-to-end, answers given (the
share right), ECE, AUROC and the median time per question per set and value (one run each: noisy). The calibration is the shipped one throughout (fitted without
the inheritance). About 1 minute per SQuAD set and value on 2 cores with a built index.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "eval" / "devset"
VALUES = ["off", "0.05", "0.1", "0.15", "0.2"]

RUN = """
import sys
import qa.answer.extract as extract
import qa.retrieve.hybrid as hybrid
value = sys.argv.pop(1)
if value == "off":
    hybrid.continuations = lambda snapshot, chosen: {}
else:
    extract.CONTINUATION = float(value)
from qa.interfaces.cli import main
main()
"""


def qa_eval(value: str, questions: Path, corpus: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN, value, "eval", str(questions), "--corpus", str(corpus), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"},
    )
    if done.returncode:
        sys.exit(f"qa eval {questions} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    parser.add_argument("--dev", action="store_true", help="the development genres too")
    args = parser.parse_args()
    sets = [
        ("split A", args.bench / "questions.jsonl", args.bench / "corpus"),
        ("SQuAD train", args.bench / "train.jsonl", args.bench / "corpus"),
    ]
    if args.dev:
        sets += [(g, DEVSET / f"{g}.jsonl", DEVSET / "docs") for g in ("tech", "prose", "manuals", "faq")]
    print("| set | CONTINUATION | ans@1 | end-to-end | answered (right) | ECE | AUROC | p50 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for name, questions, corpus in sets:
        for value in VALUES:
            s = qa_eval(value, questions, corpus)
            print(
                f"| {name} | {value} | {s['ans@1']:.3f} | {s['end_to_end_accuracy']:.3f} | "
                f"{s['answered']} ({s['answers_right']:.3f}) | {s['calibration_error']:.3f} | {s['confidence_auroc']:.3f} | "
                f"{s['latency_p50_ms']:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
