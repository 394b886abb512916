"""Question sets and metrics. Pure functions: no model, no index."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from qa.errors import QuestionError

T = TypeVar("T")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: list[str]
    answerable: bool
    gold_sentence: str | None = None
    doc: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What the system did with one question."""

    question: Question
    ranked: list[str]  # sentence texts, best first (up to 10)
    answered: bool
    confidence: float
    latency_ms: float
    shown: list[str] | None = None  # each as shown, with the code it leads into where it has some (None: ranked)

    @property
    def seen(self) -> list[str]:
        """What was shown of each sentence, where its answer is looked for: a sentence leading into code
        ("A minimal application looks like this:") shows the answer in its code."""
        return self.ranked if self.shown is None else self.shown


def _read_jsonl(path: str | Path, what: str, build: Callable[[dict, int], T]) -> list[T]:
    """One object per non-blank line, built by `build(row, line_number)`; a bad line names its place."""
    path = Path(path)
    if not path.is_file():
        raise QuestionError(f"{what} file {str(path)!r} does not exist")
    items = []
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise QuestionError(f"{path}:{number}: not UTF-8 text (byte {raw[exc.start]:#04x})") from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise TypeError("it is not a JSON object")
                items.append(build(row, number))
            except KeyError as exc:
                raise QuestionError(f'{path}:{number}: not a {what} line: it has no "{exc.args[0]}" field') from None
            except (ValueError, TypeError) as exc:
                raise QuestionError(f"{path}:{number}: not a {what} line: {exc}") from None
    if not items:
        raise QuestionError(f"{what} file {str(path)!r} holds no {what}s")
    return items


def _question(row: dict, id_: str) -> Question:
    if not isinstance(row.get("answers", []), list):
        raise TypeError('"answers" must be a list (empty for an unanswerable question)')
    if not isinstance(row["question"], str):
        raise TypeError('"question" must be a string')
    answers = [str(a) for a in row.get("answers") or []]
    return Question(
        id=id_,
        question=str(row["question"]),
        answers=answers,
        answerable=bool(row.get("answerable", bool(answers))),  # an empty `answers` means unanswerable
        gold_sentence=row.get("gold_sentence"),
        doc=row.get("doc"),
    )


def load_questions(path: str | Path) -> list[Question]:
    return _read_jsonl(path, "question", lambda row, n: _question(row, str(row.get("id", n))))


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: list[Question]  # in order; every turn after the first is a follow-up


def is_conversation_file(path: str | Path) -> bool:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:  # a bad byte is reported when it is read
        for line in handle:
            if line.strip():
                try:
                    return "turns" in json.loads(line)
                except ValueError:
                    return False
    return False


def load_conversations(path: str | Path) -> list[Conversation]:
    """JSONL, one conversation a line: {"id", "turns": [{"question", "gold_sentence", "answers"?}, ...]}."""

    def build(row: dict, number: int) -> Conversation:
        id_ = str(row.get("id", number))
        return Conversation(id_, [_question(turn, f"{id_}/{k}") for k, turn in enumerate(row["turns"])])

    return _read_jsonl(path, "conversation", build)


def gold_at_1(outcomes: list[Outcome]) -> float:
    """Share of questions with a gold sentence whose top sentence is it."""
    graded = [o for o in outcomes if o.question.gold_sentence]
    hits = [bool(o.ranked) and same_sentence(o.ranked[0], o.question.gold_sentence or "") for o in graded]
    return sum(hits) / len(hits) if hits else float("nan")


def _measured(summary: dict[str, float]) -> dict[str, float | None]:
    """A metric the question set cannot measure (no gold sentences, no unanswerable questions) is None."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in summary.items()}


def _rate(values: list[bool]) -> float:
    return sum(values) / len(values) if values else float("nan")


def turn_right(outcome: Outcome) -> bool:
    """Does a conversation turn's top sentence answer it: its gold answers, else its gold sentence (a turn with
    neither is one the documents do not answer)?"""
    q, top = outcome.question, outcome.ranked[0] if outcome.ranked else ""
    if q.answers:
        return bool(top) and holds_answer(outcome.seen[0], q.answers)
    return bool(top and q.gold_sentence) and same_sentence(top, q.gold_sentence or "")


def summarize_conversations(first: list[Outcome], follow_ups: list[Outcome]) -> dict[str, float | None]:
    """Gold sentence@1 of first turns and follow-ups; the share of answerable follow-ups whose top sentence is
    right (`turn_right`: a gold answer in it, else the gold sentence); how the follow-ups were decided: the
    share answered whose top sentence is right, the calibration error of their confidence, the share of those
    the documents do not answer (no answers, no gold sentence) that were abstained on."""
    latencies = [o.latency_ms for o in first + follow_ups]
    right = [turn_right(o) for o in follow_ups]
    given = [r for o, r in zip(follow_ups, right) if o.answered]
    unanswerable = [o for o in follow_ups if not (o.question.answers or o.question.gold_sentence)]

    return _measured({
        "conversations": len(first),
        "follow_up_turns": len(follow_ups),
        "first_turn_gold_sentence@1": gold_at_1(first),
        "follow_up_gold_sentence@1": gold_at_1(follow_ups),
        "follow_up_right@1": _rate([r for o, r in zip(follow_ups, right) if o.question.answers or o.question.gold_sentence]),
        "follow_up_answered": len(given),
        "follow_up_answers_right": _rate(given),
        "follow_up_calibration_error": calibration_error([o.confidence for o in follow_ups], right)
        if follow_ups
        else float("nan"),
        "follow_up_calibration_error_by_chance": chance_calibration_error([o.confidence for o in follow_ups]),
        "follow_up_unanswerable_abstained": _rate([not o.answered for o in unanswerable]),
        "latency_p50_ms": percentile(latencies, 0.5),
        "latency_p95_ms": percentile(latencies, 0.95),
    })


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("\u2019", "'")).strip()


def holds_answer(sentence: str, answers: list[str]) -> bool:
    s = normalize(sentence)
    return any(normalize(a) and normalize(a) in s for a in answers)


def same_sentence(found: str, gold: str) -> bool:
    """Equal after normalisation, or one inside the other covering most of it (splitters differ)."""
    a, b = normalize(found), normalize(gold)
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return bool(short) and short in long_ and len(short) >= 0.6 * len(long_)


def first_hit(ranked: list[str], answers: list[str], k: int = 10) -> int | None:
    """1-based rank of the first sentence holding a gold answer, within the top k."""
    for rank, text in enumerate(ranked[:k], 1):
        if holds_answer(text, answers):
            return rank
    return None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def auroc(scores: list[float], labels: list[bool], weights: list[float] | None = None) -> float:
    """Probability a random positive scores above a random negative (ties count half). With `weights`, each
    (positive, negative) pair counts by the product of its two weights."""
    weights = [1.0] * len(scores) if weights is None else [float(w) for w in weights]
    rows = sorted(zip(scores, labels, weights), key=lambda row: row[0])
    positives = sum(w for _, y, w in rows if y)
    negatives = sum(w for _, y, w in rows if not y)
    if not positives or not negatives:
        return float("nan")
    below = total = 0.0  # negative weight scored below the current group; weighted pairs won
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j][0] == rows[i][0]:
            j += 1
        tied_pos = sum(w for _, y, w in rows[i:j] if y)
        tied_neg = sum(w for _, y, w in rows[i:j] if not y)
        total += tied_pos * (below + tied_neg / 2)
        below += tied_neg
        i = j
    return total / (positives * negatives)


def reliability(outcomes: list[Outcome], bins: int = 10) -> list[dict]:
    """Confidence against how often the top sentence really holds a gold answer, per confidence bin."""
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [o for o in outcomes if lo <= o.confidence < hi or (b == bins - 1 and o.confidence == 1.0)]
        right = [
            bool(o.question.answerable and o.ranked and holds_answer(o.seen[0], o.question.answers)) for o in inside
        ]
        rows.append(
            {
                "lo": lo,
                "hi": hi,
                "n": len(inside),
                "mean_confidence": sum(o.confidence for o in inside) / len(inside) if inside else None,
                "accuracy": sum(right) / len(right) if right else None,
            }
        )
    return rows


def calibration_error(
    confidences: list[float], right: list[bool], weights: list[float] | None = None, bins: int = 10
) -> float:
    """Expected calibration error: per confidence bin (the reliability table's), |mean confidence - share
    right| weighted by the bin's share of the questions (with `weights`, of their weight)."""
    weights = [1.0] * len(confidences) if weights is None else [float(w) for w in weights]
    total = sum(weights)
    if not total:
        return float("nan")
    gaps = [0.0] * bins
    for c, r, w in zip(confidences, right, weights):
        gaps[min(int(c * bins), bins - 1)] += w * (c - float(r))
    return sum(abs(g) for g in gaps) / total


CHANCE_DRAWS = 1000


def chance_calibration_error(confidences: list[float], bins: int = 10, draws: int = CHANCE_DRAWS) -> float:
    """The median ECE a perfectly calibrated confidence would show on these questions: each drawn right with
    its own confidence as the probability, `draws` times (seeded: the same every run). Few questions make the
    ECE large by chance alone (about 0.11 on 76 questions, 0.03 on 1,200), so a set's ECE means something only
    beside this."""
    if not confidences:
        return float("nan")
    conf = np.asarray(confidences, dtype=np.float64)
    rights = np.random.default_rng(0).random((draws, len(conf))) < conf
    bin_of = np.minimum((conf * bins).astype(int), bins - 1)
    gaps = np.zeros((draws, bins))
    for b in np.unique(bin_of):
        inside = bin_of == b
        gaps[:, b] = (conf[inside] - rights[:, inside]).sum(axis=1)
    return float(np.median(np.abs(gaps).sum(axis=1) / len(conf)))


def plot_reliability(rows: list[dict], path: str | Path, title: str = "") -> None:
    """A reliability diagram as PNG (matplotlib, an optional extra)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise QuestionError("--plot needs matplotlib: run `pip install -e '.[plot]'`") from None
    used = [r for r in rows if r["n"]]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6), height_ratios=[3, 1], sharex=True)
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    top.plot([r["mean_confidence"] for r in used], [r["accuracy"] for r in used], marker="o", label="qa")
    top.set_ylabel("top sentence holds a gold answer")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.legend(loc="upper left")
    top.set_title(title or "confidence calibration")
    bottom.bar([(r["lo"] + r["hi"]) / 2 for r in rows], [r["n"] for r in rows], width=0.09, color="tab:blue")
    bottom.set_xlabel("confidence")
    bottom.set_ylabel("questions")
    fig.tight_layout()
    fig.savefig(str(path), dpi=110)
    plt.close(fig)


def summarize(outcomes: list[Outcome]) -> dict[str, float | None]:
    """The metrics of a question set; a metric the set cannot measure (gold sentence@1 without gold
    sentences, abstention without unanswerable questions) is None, not nan."""
    return _measured(_summary(outcomes))


def _summary(outcomes: list[Outcome]) -> dict[str, float]:
    answerable = [o for o in outcomes if o.question.answerable]
    unanswerable = [o for o in outcomes if not o.question.answerable]
    hits = [first_hit(o.seen, o.question.answers) for o in answerable]

    top_right = [
        bool(o.question.answerable and o.ranked and holds_answer(o.seen[0], o.question.answers)) for o in outcomes
    ]
    end_to_end = [
        (o.answered and right) or (not o.answered and not o.question.answerable)
        for o, right in zip(outcomes, top_right)
    ]
    latencies = [o.latency_ms for o in outcomes]
    return {
        "questions": len(outcomes),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "answered": sum(o.answered for o in outcomes),
        "ans@1": _rate([h is not None and h <= 1 for h in hits]),
        "ans@3": _rate([h is not None and h <= 3 for h in hits]),
        "ans@5": _rate([h is not None and h <= 5 for h in hits]),
        "mrr@10": sum(1.0 / h for h in hits if h) / len(hits) if hits else float("nan"),
        "gold_sentence@1": gold_at_1(answerable),
        "end_to_end_accuracy": _rate(end_to_end),
        "confidence_auroc": auroc([o.confidence for o in outcomes], top_right),
        "calibration_error": calibration_error([o.confidence for o in outcomes], top_right),
        "calibration_error_by_chance": chance_calibration_error([o.confidence for o in outcomes]),
        "answers_right": _rate([right for o, right in zip(outcomes, top_right) if o.answered]),
        "abstention_unanswerable": _rate([not o.answered for o in unanswerable]),
        "false_abstention": _rate([not o.answered for o in answerable]),
        "latency_p50_ms": percentile(latencies, 0.5),
        "latency_p95_ms": percentile(latencies, 0.95),
    }
