"""Candidate sentences -> ranked supporting sentences, a confidence and the answer/abstain decision."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.answer_types import answer_span, expected_type, has_type
from qa.index import LoadedIndex
from qa.reader import ANSWER, RANK, Reader
from qa.retrieval import Candidates
from qa.types import Answer, ScoredSentence

CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.json"


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True)
class Calibration:
    """Sentence score and confidence model, fitted by eval/fit_calibration.py on train.jsonl.

    score = (1-p)*sentence_sim + p*passage_sim + l*lexical - t*type_miss
    reranking: the ranker reads the best `rerank_depth` candidates whose score is within `rerank_margin` of
    the best (when there are two or more), and orders them by score + rank_weight*rank_logit (they stay ahead
    of the unread ones)
    retrieval probability = sigmoid(bias + w_top*top + w_margin*(top - second))
    reading probability   = sigmoid(r_bias + r_top*top + r_margin*(top - second) + r_reader*reader)
    where top is the score of the sentence ranked first and second the best score of any other candidate.
    raw = min(retrieval, reading): both must find the top sentence likely to answer. `reader` is the
    reader's logit for (question, top sentence) (qa/reader.py); r_reader = 0 turns the reader off, and
    rank_weight = 0 the ranker.
    confidence = sigmoid(c_bias + c_scale*logit(raw)): the minimum of two probabilities is not itself a
    probability (it under-states), so a monotone map fitted on the same training questions makes it one again.
    It changes no ranking and no decision: the threshold is stated on the same scale.
    The reader can only lower the confidence: it was trained on Wikipedia questions, and on other text
    (the seed news article) it cannot tell answerable questions from unanswerable ones, so it must not
    lift a weak retrieval match above the threshold.
    """

    passage_weight: float = 0.2
    lexical_weight: float = 0.7
    type_weight: float = 0.0
    bias: float = -2.9
    w_top: float = 2.4
    w_margin: float = 1.7
    r_bias: float = 0.0
    r_top: float = 0.0
    r_margin: float = 0.0
    r_reader: float = 0.0
    rank_weight: float = 0.0
    rerank_depth: int = 1
    rerank_margin: float = 0.0
    c_bias: float = 0.0
    c_scale: float = 1.0
    threshold: float = 0.4
    model: str = ""

    @property
    def uses_reader(self) -> bool:
        return self.r_reader != 0.0

    @property
    def reranks(self) -> bool:
        return self.rank_weight != 0.0 and self.rerank_depth > 1

    def to_read(self, ranked_scores: np.ndarray) -> int:
        """How many of the best candidates (scores sorted best first) the ranker should compare: up to
        rerank_depth, as long as they are within rerank_margin of the best (1 means nothing to compare)."""
        if len(ranked_scores) == 0:
            return 0
        if not self.reranks:
            return 1
        close = ranked_scores[: self.rerank_depth] > ranked_scores[0] - self.rerank_margin
        return max(1, int(np.count_nonzero(close)))

    def rerank(self, order: list[int], scores: np.ndarray, rank_logits: np.ndarray) -> list[int]:
        """`order` (best first) with its first len(rank_logits) entries reordered by score plus the
        weighted rank logit."""
        n = len(rank_logits)
        if n < 2 or not self.reranks:
            return order
        head = order[:n]
        combined = scores[head] + self.rank_weight * np.asarray(rank_logits, dtype=np.float64)
        return [head[i] for i in np.argsort(-combined, kind="stable")] + order[n:]

    def confidence(self, top: float, second: float, reader: float | None = None) -> float:
        z = self.bias + self.w_top * top + self.w_margin * (top - second)  # retrieval, as a logit
        if reader is not None and self.uses_reader:
            reading = self.r_bias + self.r_top * top + self.r_margin * (top - second) + self.r_reader * reader
            z = min(z, reading)  # the sigmoid is monotone: the logit of the min is the min of the logits
        return _sigmoid(self.c_bias + self.c_scale * z)


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


def top_and_second(scores: np.ndarray, first: int) -> tuple[float, float]:
    """The score of the sentence ranked first and the best score of any other candidate (0 if none)."""
    others = np.delete(scores, first)
    return float(scores[first]), float(others.max()) if len(others) else 0.0


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
    reader: Reader | None = None,
    ranker: Reader | None = None,
) -> Answer:
    """Rank (the ranker reordering the closest candidates when the calibration says so), score the
    confidence (with the reader's logit for the top sentence), decide whether to answer."""
    if len(candidates.ids) == 0:
        return Answer(question, False, 0.0, [], query or question)
    texts = [index.sentences[int(i)].text for i in candidates.ids]
    miss = type_misses(question, texts)
    scores = score(candidates, calibration, miss)
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    n = calibration.to_read(scores[order])
    if n > 1 and ranker is not None:
        order = calibration.rerank(order, scores, ranker.logits(query or question, [texts[i] for i in order[:n]])[:, RANK])
    logit = None
    if calibration.uses_reader and reader is not None:
        logit = float(reader.logits(query or question, [texts[order[0]]])[0, ANSWER])
    top, second = top_and_second(scores, order[0])
    confidence = calibration.confidence(top, second, logit)
    chosen = [
        ScoredSentence(index.sentences[int(candidates.ids[i])], float(scores[i]), int(candidates.ids[i]))
        for i in order[:limit]
    ]
    top_sentence = chosen[0].sentence
    span = answer_span(question, top_sentence.text)
    located = (top_sentence.start + span[0], top_sentence.start + span[1]) if span else None
    return Answer(question, confidence >= threshold, confidence, chosen, query or question, located)
