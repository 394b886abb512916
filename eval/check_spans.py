"""Tool (not a test): how often the highlighted answer span is the answer, by the kind of answer asked for.

    .venv/bin/python eval/compare_runs.py run DIR       # every set's predictions, as `qa eval` writes them
    .venv/bin/python eval/check_spans.py DIR [--show KIND]

For every answerable question of every set of `eval/compare_runs.py` whose top sentence holds a gold answer,
and for every question of SQuAD train and the development set with a gold sentence, `kinds.answer_span` is
read off that sentence as `qa` reads it, and counted right when the span and a gold answer overlap (one holds
the other, case aside). Printed per kind (place, name, date, number, money, duration; a question asking for
none has no span). The span changes no ranking or confidence: it is what a terminal and the page highlight,
and what a follow-up's "it" or "he" stands for.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from compare_runs import question_sets  # noqa: E402

from qa.answer.kinds import answer_span, expected_type  # noqa: E402

KINDS = ("place", "name", "date", "number", "money", "duration")


def overlaps(span: str, answers: list[str]) -> bool:
    span = span.lower()
    return bool(span) and any(span in a.lower() or a.lower() in span for a in answers)


def spans_of(question: str, sentence: str) -> str:
    found = answer_span(question, sentence)
    return sentence[found[0] : found[1]] if found else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("predictions", type=Path, help="a folder of eval/compare_runs.py run")
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    parser.add_argument("--show", choices=KINDS, help="print each question of this kind with its span")
    args = parser.parse_args()
    total: dict[str, Counter] = {"top sentences": Counter(), "gold sentences": Counter()}
    right: dict[str, Counter] = {"top sentences": Counter(), "gold sentences": Counter()}

    def count(where: str, question: str, sentence: str, answers: list[str]) -> None:
        kind = expected_type(question)
        if kind not in KINDS:
            return
        span = spans_of(question, sentence)
        hit = overlaps(span, answers)
        total[where][kind] += 1
        right[where][kind] += hit
        if kind == args.show:
            print(f"{'ok' if hit else '--'} {question[:60]:60} | {span[:30]:30} | {answers[0][:40]}")

    for name, (questions_file, _) in question_sets(args.bench).items():
        found = args.predictions / f"{name}.jsonl"
        if not found.is_file():
            continue
        questions = {}
        for line in questions_file.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            if "question" in q:  # conversations are left out: a turn's words lean on the turns before
                questions[q["id"]] = q
        for line in found.read_text(encoding="utf-8").splitlines():
            p = json.loads(line)
            q = questions.get(p["id"])
            if not q or not q.get("answers") or not p["sentences"]:
                continue
            top = p["sentences"][0]["text"]
            if overlaps(top, q["answers"]):  # the top sentence holds a gold answer
                count("top sentences", q["question"], top, q["answers"])
    gold_files = [args.bench / "train.jsonl"] + [ROOT / "eval" / "devset" / f"{g}.jsonl" for g in ("tech", "prose", "manuals", "faq")]
    for path in gold_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            if q.get("answers") and q.get("gold_sentence"):
                count("gold sentences", q["question"], q["gold_sentence"], q["answers"])
    print("| kind | right top sentences: span is the answer | SQuAD train and development gold sentences: span is the answer |")
    print("|---|---|---|")
    for kind in KINDS:
        cells = [f"{right[w][kind]} of {total[w][kind]}" for w in ("top sentences", "gold sentences")]
        print(f"| {kind} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
