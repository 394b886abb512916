"""Candidate sentences -> ranked supporting sentences, a confidence and the answer/abstain decision."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.answer_types import answer_span, expected_type, has_type
from qa.index import LoadedIndex
from qa.retrieval import Candidates
from qa.types import Answer, ScoredSentence

CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"


@dataclass(frozen=True)
class Calibration:
    """Sentence score and confidence model, fitted by eval/fit_calibration.py on train.jsonl.

    score = (1-p)*sentence_sim + p*passage_sim + l*lexical - t*type_miss
    confidence = sigmoid(bias + w_top*top + w_margin*(top - second))
    """

    passage_weight: float = 0.2
    lexical_weight: float = 0.7
    type_weight: float = 0.0
    bias: float = -2.9
    w_top: float = 2.4
    w_margin: float = 1.7
    threshold: float = 0.4
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


def type_misses(question: str, texts: list[str]) -> np.ndarray:
    """Per sentence: 1.0 when the question asks for a kind of answer (number, date, ...) and the sentence
    holds nothing of that kind, else 0.0."""
    kind = expected_type(question)
    return np.array([0.0 if has_type(kind, t, question) else 1.0 for t in texts], dtype=np.float32)


def score(candidates: Candidates, calibration: Calibration, miss: np.ndarray | None = None) -> np.ndarray:
    p, lex = calibration.passage_weight, calibration.lexical_weight
    s = (1.0 - p) * candidates.sentence_sim + p * candidates.passage_sim + lex * candidates.lexical
    if miss is not None and calibration.type_weight:
        s = s - calibration.type_weight * miss
    return s


def answer(
    question: str,
    index: LoadedIndex,
    candidates: Candidates,
    calibration: Calibration,
    threshold: float,
    limit: int = 10,
    query: str = "",
) -> Answer:
    """Rank, score the confidence, decide whether to answer."""
    if len(candidates.ids) == 0:
        return Answer(question, False, 0.0, [], query or question)
    texts = [index.sentences[int(i)].text for i in candidates.ids]
    miss = type_misses(question, texts)
    scores = score(candidates, calibration, miss)
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    top = float(scores[order[0]])
    second = float(scores[order[1]]) if len(order) > 1 else 0.0
    confidence = calibration.confidence(top, second)
    chosen = [
        ScoredSentence(index.sentences[int(candidates.ids[i])], float(scores[i]), int(candidates.ids[i]))
        for i in order[:limit]
    ]
    top_sentence = chosen[0].sentence
    span = answer_span(question, top_sentence.text)
    located = (top_sentence.start + span[0], top_sentence.start + span[1]) if span else None
    return Answer(question, confidence >= threshold, confidence, chosen, query or question, located)
