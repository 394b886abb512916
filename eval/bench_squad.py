"""Benchmark (not a test): `qa eval` on the SQuAD 2.0 split-A evaluation questions, beside a plain dense
baseline (MiniLM sentence vectors only) measured in the same run.

    .venv/bin/python eval/bench_squad.py [--bench ../shared/bench/squad2-a]

Prints a markdown table. The qa row runs the real CLI (`qa eval --json`) in a subprocess; the
baseline row runs in this process on the same index with every extra signal switched off.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import load_settings
from qa.evaluate import load_questions, summarize
from qa.extract import Calibration
from qa.pipeline import Engine

COLUMNS = [
    ("ans@1", "ans@1"),
    ("ans@3", "ans@3"),
    ("ans@5", "ans@5"),
    ("mrr@10", "MRR@10"),
    ("gold_sentence@1", "gold@1"),
    ("end_to_end_accuracy", "end-to-end"),
    ("confidence_auroc", "conf. AUROC"),
    ("calibration_error", "ECE"),
    ("abstention_unanswerable", "abstain (unans.)"),
    ("false_abstention", "false abstain"),
    ("latency_p50_ms", "p50 ms"),
    ("latency_p95_ms", "p95 ms"),
]


def dense_baseline(bench: Path) -> dict:
    """Sentence vectors only: no passage context, no lexical or answer-type signal."""
    plain = Calibration(passage_weight=0.0, lexical_weight=0.0, type_weight=0.0, threshold=0.0)  # always answers
    engine = Engine(load_settings(corpus=str(bench / "corpus")), calibration=plain)
    engine.index()
    outcomes = [engine.measure(q)[1] for q in load_questions(bench / "questions.jsonl")]
    return summarize(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    args = parser.parse_args()
    bench = Path(args.bench)
    command = [
        str(Path(sys.executable).parent / "qa"),
        "eval",
        str(bench / "questions.jsonl"),
        "--corpus",
        str(bench / "corpus"),
        "--json",
    ]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        sys.exit(f"qa eval failed: {run.stderr.strip()}")
    rows = {"dense MiniLM sentences, always answers (baseline)": dense_baseline(bench), "qa": json.loads(run.stdout)}
    print(
        f"SQuAD 2.0 split A, {rows['qa']['questions']} evaluation questions ({rows['qa']['unanswerable']} unanswerable)\n"
    )
    print("| system | " + " | ".join(label for _, label in COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for name, m in rows.items():
        cells = [f"{m[k]:.1f}" if k.startswith("latency") else f"{m[k]:.3f}" for k, _ in COLUMNS]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
