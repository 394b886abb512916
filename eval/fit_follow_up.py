"""Fit w_follow_up, the confidence's shift for a question a conversation answers with its context, on the
development set's scripted conversations; check it on the seed conversations, which it never sees.

    .venv/bin/python eval/devset/build.py          # once: the development documents
    .venv/bin/python eval/fit_follow_up.py [--write]

Run after eval/fit_calibration.py (the shift is fitted on top of the rest of the calibration, which it keeps).
Every conversation is asked turn by turn, as `qa chat` does, with the shift at 0. For each follow-up turn
the shift applies to (`extract.takes_follow_up_shift`) the label is "the top sentence holds an answer" (its gold answers, else its gold
sentence; never, for a turn the documents do not answer), and the shift is the maximum-likelihood offset of
the confidence's logit: one number, found on a grid of 0.01. The conversations are then asked again with it
(an answer given changes what a conversation remembers) and both runs are reported: mean confidence against
the share right, log loss, and how many follow-ups would be answered and how many of those are right.
Deterministic. --write sets w_follow_up in qa/answer/calibration.json and changes nothing else.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answer.calibration import CALIBRATION_FILE, Calibration, load_calibration  # noqa: E402
from qa.answer.extract import takes_follow_up_shift  # noqa: E402
from qa.config import load_settings  # noqa: E402
from qa.conversation import Conversation  # noqa: E402
from qa.evaluation.metrics import Outcome, load_conversations, turn_right  # noqa: E402
from qa.service import Service  # noqa: E402

SETS = {
    "development": (ROOT / "eval" / "devset" / "conversations.jsonl", ROOT / "eval" / "devset" / "docs"),
    "seeds": (ROOT / "eval" / "seed_conversations.jsonl", ROOT / "seeds"),
}


@dataclass(frozen=True)
class Turn:
    confidence: float
    right: bool
    answerable: bool


def follow_ups(path: Path, corpus: Path, calibration: Calibration) -> list[Turn]:
    service = Service(load_settings(corpus=str(corpus)), calibration=calibration)
    turns = []
    for conversation in load_conversations(path):
        state = Conversation()
        for question in conversation.turns:
            turn = state.turn(question.question)
            result = service.ask(question.question, state)
            if not takes_follow_up_shift(turn, result.unseen):  # a question alone, or one the shift skips
                continue
            ranked = [s.sentence.text for s in result.sentences]
            right = turn_right(Outcome(question, ranked, result.answered, result.confidence, 0.0))
            answerable = bool(question.answers or question.gold_sentence)  # a seed turn has a gold sentence only
            turns.append(Turn(result.confidence, right, answerable))
    return turns


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def shifted(p: float, shift: float) -> float:
    return 1.0 / (1.0 + math.exp(-(logit(p) + shift)))


def log_loss(turns: list[Turn], shift: float) -> float:
    return -sum(math.log(shifted(t.confidence, shift) if t.right else 1 - shifted(t.confidence, shift)) for t in turns) / len(
        turns
    )


def report(name: str, turns: list[Turn], threshold: float) -> str:
    given = [t for t in turns if t.confidence >= threshold]
    unanswerable = [t for t in turns if not t.answerable]
    return (
        f"{name}: {len(turns)} follow-ups ({len(unanswerable)} unanswerable); mean confidence "
        f"{sum(t.confidence for t in turns) / len(turns):.3f}, right {sum(t.right for t in turns) / len(turns):.3f}; "
        f"log loss {log_loss(turns, 0.0):.3f}; answered {len(given)}, right {sum(t.right for t in given)}; "
        f"unanswerable answered {sum(t.confidence >= threshold for t in unanswerable)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="set w_follow_up in qa/answer/calibration.json")
    args = parser.parse_args()
    shipped = load_calibration()
    plain = replace(shipped, w_follow_up=0.0)
    fit_path, fit_corpus = SETS["development"]
    if not fit_corpus.is_dir():
        sys.exit("eval/devset/docs is missing: run eval/devset/build.py first")
    before = {name: follow_ups(path, corpus, plain) for name, (path, corpus) in SETS.items()}
    grid = [k / 100 for k in range(-300, 301)]
    shift = min(grid, key=lambda s: (log_loss(before["development"], s), abs(s)))
    print(f"w_follow_up {shift:+.2f} (maximum likelihood on the development set's follow-ups)")
    after = {name: follow_ups(path, corpus, replace(shipped, w_follow_up=shift)) for name, (path, corpus) in SETS.items()}
    threshold = shipped.threshold
    for name in SETS:
        print("  without  " + report(name, before[name], threshold))
        print("  with     " + report(name, after[name], threshold))
    if args.write:
        data = json.loads(CALIBRATION_FILE.read_text())
        data["w_follow_up"] = shift
        CALIBRATION_FILE.write_text(json.dumps(data, indent=1) + "\n")
        print(f"wrote {CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
