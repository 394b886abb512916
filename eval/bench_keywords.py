"""Benchmark (not a test): the development set's questions asked as keywords, as people often type them.

    .venv/bin/python eval/devset/build.py       # once: the documents
    .venv/bin/python eval/bench_keywords.py

Each answerable and unanswerable question of the four genres is asked twice through `qa eval --json`: as
written ("What is Black's default line length?") and as its keywords, the question's words less question words,
auxiliaries and stop words, lower-cased ("black's default line length"). Prints ans@1, end-to-end accuracy and
the share of answers given that are right, per genre and for the four together, both ways.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from bench_devset import DEVSET, GENRES, qa_eval  # noqa: E402

from qa.retrieve.lexical import STOPWORDS  # noqa: E402

# words that make a question of the keywords: question words, auxiliaries and "I", "my"
ASKING = frozenset("what which who whom whose how why where when does do did is are was were can could i my".split())


def keywords(question: str) -> str:
    """The question's words that say what it is about, lower-cased, in order."""
    words = re.findall(r"[\w'./\\+-]+", question)
    return " ".join(w for w in words if w.lower() not in STOPWORDS and w.lower() not in ASKING).lower()


def main() -> None:
    corpus = DEVSET / "docs"
    if not corpus.is_dir():
        sys.exit("eval/devset/docs is missing: run eval/devset/build.py first")
    print("| set | ans@1 question / keywords | end-to-end | answers right (given) |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        files = {name: [DEVSET / f"{genre}.jsonl"] for genre, name in GENRES.items()}
        files["all four genres"] = [DEVSET / f"{genre}.jsonl" for genre in GENRES]
        for name, sources in files.items():
            asked = [json.loads(line) for source in sources for line in source.read_text().splitlines() if line.strip()]
            plain, typed = Path(tmp) / "questions.jsonl", Path(tmp) / "keywords.jsonl"
            plain.write_text("".join(json.dumps(q) + "\n" for q in asked))
            typed.write_text("".join(json.dumps({**q, "question": keywords(q["question"])}) + "\n" for q in asked))
            a, b = qa_eval(plain, corpus), qa_eval(typed, corpus)
            print(
                f"| {name} | {a['ans@1']:.3f} / {b['ans@1']:.3f} | {a['end_to_end_accuracy']:.3f} /"
                f" {b['end_to_end_accuracy']:.3f} | {a['answers_right']:.3f} ({a['answered']}) /"
                f" {b['answers_right']:.3f} ({b['answered']}) |"
            )


if __name__ == "__main__":
    main()
