"""Candidate sentences -> ranked supporting sentences, a confidence and the answer/abstain decision."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.index import LoadedIndex
from qa.retrieval import Candidates
from qa.types import Answer, ScoredSentence

CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"


@dataclass(frozen=True)
class Calibration:
    """confidence = sigmoid(bias + w_top * top_score + w_margin * (top - second)), fitted by
    eval/fit_calibration.py on train.jsonl reweighted to the evaluation prior."""

    passage_weight: float = 0.4  # score = (1 - p) * sentence_sim + p * passage_sim + l * lexical
    lexical_weight: float = 0.3
    bias: float = -6.0
    w_top: float = 12.0
    w_margin: float = 4.0
    threshold: float = 0.35
    model: str = ""

    def confidence(self, top: float, second: float) -> float:
        z = self.bias + self.w_top * top + self.w_margin * (top - second)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return Calibration()
    known = Calibration.__dataclass_fields__
    return Calibration(**{k: v for k, v in data.items() if k in known})


def score(candidates: Candidates, calibration: Calibration) -> np.ndarray:
    p, lex = calibration.passage_weight, calibration.lexical_weight
    return (1.0 - p) * candidates.sentence_sim + p * candidates.passage_sim + lex * candidates.lexical


def rank(candidates: Candidates, calibration: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """(sentence ids, scores) best first."""
    scores = score(candidates, calibration)
    order = np.argsort(-scores, kind="stable")
    return candidates.ids[order], scores[order]


def answer(
    question: str,
    index: LoadedIndex,
    candidates: Candidates,
    calibration: Calibration,
    threshold: float,
    limit: int = 10,
    query: str = "",
) -> Answer:
    ids, scores = rank(candidates, calibration)
    if len(ids) == 0:
        return Answer(question, False, 0.0, [], query or question)
    top = float(scores[0])
    second = float(scores[1]) if len(scores) > 1 else 0.0
    confidence = calibration.confidence(top, second)
    chosen = [
        ScoredSentence(index.sentences[int(i)], float(s), int(i)) for i, s in zip(ids[:limit], scores[:limit])
    ]
    return Answer(question, confidence >= threshold, confidence, chosen, query or question)
