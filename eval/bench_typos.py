"""Benchmark (not a test): questions as people type them, with a slip of the keyboard.

    .venv/bin/python eval/bench_typos.py [--bench ../shared/bench/squad2-a] [--no-squad]

Every question of the development set's four genres, the seed questions and (unless --no-squad) SQuAD split A
is asked twice through the real CLI (`qa eval --json`): as written, and with one typing slip in one of its
words (seeded, so every run makes the same slips). A slip is what a hurried hand does to a word of four or
more letters: a letter dropped, doubled, swapped with the next one, or replaced by a neighbour on a QWERTY
keyboard. Only words of four or more letters are touched, never stop words, numbers or code. Prints ans@1 and
end-to-end accuracy both ways, per set, and writes the slipped question files to --out for inspection.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "eval"))
from bench_devset import DEVSET, GENRES, qa_eval  # noqa: E402

from qa.retrieve.lexical import STOPWORDS  # noqa: E402

ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(c: str) -> str:
    """The letters next to `c` on a QWERTY keyboard (same row, and the rows above and below)."""
    for r, row in enumerate(ROWS):
        if c in row:
            i = row.index(c)
            near = row[max(i - 1, 0) : i + 2].replace(c, "")
            for other in (r - 1, r + 1):
                if 0 <= other < len(ROWS):
                    near += ROWS[other][max(i - 1, 0) : i + 1]
            return near
    return ""


def slip(word: str, rng: random.Random) -> str:
    """One typing slip in `word` (at least four letters): never its first letter, as people seldom miss it."""
    i = rng.randrange(1, len(word))
    kind = rng.choice(["drop", "double", "swap", "near"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i + 1 < len(word) and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    low = word[i].lower()
    near = neighbours(low)
    if not near:
        return word[:i] + word[i + 1 :]
    c = rng.choice(near)
    return word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1 :]


def slipped(question: str, rng: random.Random) -> str:
    words = question.split(" ")
    usable = [
        i for i, w in enumerate(words)
        if len(w.strip("?.,!:;\"'()")) >= 4 and w.strip("?.,!:;\"'()").isalpha() and w.lower() not in STOPWORDS
    ]
    if not usable:
        return question
    i = rng.choice(usable)
    core = words[i].strip("?.,!:;\"'()")
    words[i] = words[i].replace(core, slip(core, rng), 1)
    return " ".join(words)


def slipped_file(source: Path, target: Path, seed: int) -> None:
    rng = random.Random(seed)
    rows = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
    target.write_text("".join(json.dumps({**r, "question": slipped(r["question"], rng)}) + "\n" for r in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    parser.add_argument("--no-squad", action="store_true", help="leave out SQuAD split A")
    parser.add_argument("--out", type=Path, default=None, help="keep the slipped question files here")
    args = parser.parse_args()
    sets = [(name, DEVSET / f"{g}.jsonl", DEVSET / "docs") for g, name in GENRES.items()]
    sets.append(("seed article", ROOT / "eval" / "seed_questions.jsonl", ROOT / "seeds"))
    if not args.no_squad:
        sets.append(("SQuAD 2.0 split A", args.bench / "questions.jsonl", args.bench / "corpus"))
    out = args.out or Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "| set | questions | ans@1 as written | ans@1 with a slip | end-to-end as written | end-to-end with a slip |",
        "|---|---|---|---|---|---|",
    ]
    for n, (name, questions, corpus) in enumerate(sets):
        typed = out / f"slipped-{questions.stem}.jsonl"
        slipped_file(questions, typed, seed=n)
        clean, slip_ = qa_eval(questions, corpus), qa_eval(typed, corpus)
        lines.append(
            f"| {name} | {clean['questions']} | {clean['ans@1']:.3f} | {slip_['ans@1']:.3f} | "
            f"{clean['end_to_end_accuracy']:.3f} | {slip_['end_to_end_accuracy']:.3f} |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
