"""Benchmark (not a test): `qa eval` on every document set nothing was fitted on, in one run.

    .venv/bin/python eval/bench_probes.py           # after the build scripts the table names (once each)

The confidence's weights and shifts and the rerank rule were fitted on SQuAD train and the development set
(eval/bench_devset.py); these sets were never fitted on, only used to check rules: the seed article's new
questions, files of the kinds people keep and household records (both written for this project), charters and
licences in plain text, e-books, research papers in PDF, three Python tools' documentation sites, and the GNU
manuals a Debian system installs. Each runs through the real CLI (`qa eval --json`) against its own corpus; a
set whose documents are not built is listed with the command that builds it. Prints two markdown tables: ans@1,
end-to-end accuracy, the share of answers given that are right and how many were given, the calibration error
(ECE) and the ECE a perfectly calibrated confidence would show on as many questions; then, per conversation set,
the follow-ups right first, answered and right, and their ECE.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
QA = [sys.executable, "-m", "qa"]

# name, questions, corpus, how the corpus is built ("" where it is committed or installed)
SETS = [
    ("seed article, new questions", EVAL / "seed_questions.jsonl", ROOT / "seeds", ""),
    ("personal files", EVAL / "personal" / "questions.jsonl", EVAL / "personal" / "docs", ""),
    ("everyday files", EVAL / "everyday" / "questions.jsonl", EVAL / "everyday" / "docs", ""),
    ("household records", EVAL / "household" / "questions.jsonl", EVAL / "household" / "docs", ""),
    ("a catalogue written as headings", EVAL / "catalogue" / "questions.jsonl", EVAL / "catalogue" / "docs", ""),
    ("charters and licences", EVAL / "charters" / "questions.jsonl", EVAL / "charters" / "docs", "eval/charters/build.py"),
    ("e-books", EVAL / "ebooks" / "questions.jsonl", EVAL / "ebooks" / "docs", "eval/ebooks/build.py"),
    ("research papers (PDF)", EVAL / "papers" / "questions.jsonl", EVAL / "papers" / "docs", "eval/papers/build.py"),
    ("Hatch's documentation", EVAL / "hatch" / "questions.jsonl", EVAL / "hatch" / "docs", "eval/hatch/build.py"),
    ("isort's documentation", EVAL / "isort" / "questions.jsonl", EVAL / "isort" / "docs", "eval/isort/build.py"),
    ("Flask's documentation", EVAL / "flask" / "questions.jsonl", EVAL / "flask" / "docs", "eval/flask/build.py"),
    ("tables drawn in plain text", EVAL / "text_tables" / "questions.jsonl", EVAL / "text_tables" / "docs", "eval/text_tables/build.py"),
    ("GNU manuals (Info)", EVAL / "gnu_info.jsonl", Path("/usr/share/info"), "a Debian system's /usr/share/info"),
    ("\"What is X?\" (development documents)", EVAL / "definitions" / "questions.jsonl", EVAL / "devset" / "docs", "eval/devset/build.py"),
    ("\"What is X?\" (Flask's documentation)", EVAL / "definitions" / "flask.jsonl", EVAL / "flask" / "docs", "eval/flask/build.py"),
    ("\"What does X do?\" (development documents)", EVAL / "definitions" / "does.jsonl", EVAL / "devset" / "docs", "eval/devset/build.py"),
    ("\"What does X do?\" (Flask's documentation)", EVAL / "definitions" / "does_flask.jsonl", EVAL / "flask" / "docs", "eval/flask/build.py"),
]


def main() -> None:
    lines = [
        "| documents | questions | ans@1 | end-to-end | answers right (given) | ECE | ECE if calibrated |",
        "|---|---|---|---|---|---|---|",
    ]
    missing = []
    for name, questions, corpus, build in SETS:
        if not corpus.is_dir():
            missing.append(f"{name}: {build}")
            continue
        done = subprocess.run(
            [*QA, "eval", str(questions), "--corpus", str(corpus), "--json"], capture_output=True, text=True, cwd=ROOT
        )
        if done.returncode:
            sys.exit(f"qa eval {questions} failed: {done.stderr.strip()}")
        m = json.loads(done.stdout)
        f = {k: "n/a" if v is None else f"{v:.3f}" for k, v in m.items() if v is None or isinstance(v, float)}
        lines.append(
            f"| {name} | {m['questions']} | {f['ans@1']} | {f['end_to_end_accuracy']} | {f['answers_right']} "
            f"({m['answered']}) | {f['calibration_error']} | {f['calibration_error_by_chance']} |"
        )
    print("\n".join(lines))
    print()
    print("\n".join(conversations()))
    if missing:
        print("\nNot built, left out: " + "; ".join(missing))


def conversations() -> list[str]:
    """The scripted conversations of the sets that have some (their folder's conversations.jsonl; the GNU
    manuals' eval/gnu_info_conversations.jsonl): follow-up turns, how many have a right sentence first, how
    many were answered and how many of those are right, and the follow-ups' calibration error."""
    lines = [
        "| documents | conversations | follow-ups | answerable ones right first | answered (right) | follow-ups' ECE |",
        "|---|---|---|---|---|---|",
    ]
    for name, questions, corpus, _ in SETS:
        talk = questions.parent / "conversations.jsonl" if questions.parent != EVAL else EVAL / f"{questions.stem}_conversations.jsonl"
        if not talk.is_file() or not corpus.is_dir():
            continue
        done = subprocess.run([*QA, "eval", str(talk), "--corpus", str(corpus), "--json"], capture_output=True, text=True, cwd=ROOT)
        if done.returncode:
            sys.exit(f"qa eval {talk} failed: {done.stderr.strip()}")
        m = json.loads(done.stdout)
        turns, answered = m["follow_up_turns"], m["follow_up_answered"]
        rows = [json.loads(line) for line in talk.read_text().splitlines() if line.strip()]
        answerable = sum(bool(t.get("answers") or t.get("gold_sentence")) for row in rows for t in row["turns"][1:])
        right = f"{round(m['follow_up_right@1'] * answerable)} of {answerable}"
        given = "n/a" if m["follow_up_answers_right"] is None else round(m["follow_up_answers_right"] * answered)
        lines.append(
            f"| {name} | {m['conversations']} | {turns} | {right} | {answered} ({given}) | {m['follow_up_calibration_error']:.3f} |"
        )
    return lines


if __name__ == "__main__":
    main()
