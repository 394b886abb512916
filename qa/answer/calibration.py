"""The confidence model and its fitted parameters (qa/answer/calibration.json)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from qa.errors import ModelError

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
    reader's logit for (question, top sentence) (qa/models/cross.py); r_reader = 0 turns the reader off, and
    rank_weight = 0 the ranker.
    confidence = sigmoid(c_bias + c_scale*logit(raw) + w_unseen*unseen + w_elsewhere*elsewhere
    + w_follow_up*follow_up): the minimum of two probabilities is
    not itself a probability (it under-states), so a monotone map fitted on the same training questions makes
    it one again; it changes no ranking and no decision: the threshold is stated on the same scale. `unseen`
    is 1 when the question names something the documents never mention (qa.retrieve.lexical.unseen_words),
    else 0; `elsewhere` is 1 when the top sentence's document lacks a name of the question that other
    documents hold (qa.retrieve.lexical.named_terms), else 0. Both shifts are fitted on SQuAD train and the
    development set together (SQuAD's typos make it alone a poor judge of unseen words).
    `follow_up` is 1 for a question a conversation answers with its context ("Where is that breed native
    to?"): its own words match the sentence that answers it less well than a question standing alone does,
    so the same score is more often right. w_follow_up, fitted on the development set's scripted
    conversations (eval/fit_follow_up.py), says by how much.
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
    w_unseen: float = 0.0
    w_elsewhere: float = 0.0
    w_follow_up: float = 0.0
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

    def check_model(self, model_id: str) -> None:
        """The calibration was fitted with one encoder's scores; another encoder's are on another scale."""
        if self.model and self.model.split("@")[0] != model_id.split("@")[0]:
            raise ModelError(
                f"the calibration was fitted for model {self.model!r}, not {model_id!r}: "
                "fit one for this model with eval/fit_calibration.py and point QA_CALIBRATION at it"
            )

    def confidence(
        self,
        top: float,
        second: float,
        reader: float | None = None,
        unseen: bool = False,
        elsewhere: bool = False,
        follow_up: bool = False,
    ) -> float:
        z = self.bias + self.w_top * top + self.w_margin * (top - second)  # retrieval, as a logit
        if reader is not None and self.uses_reader:
            reading = self.r_bias + self.r_top * top + self.r_margin * (top - second) + self.r_reader * reader
            z = min(z, reading)  # the sigmoid is monotone: the logit of the min is the min of the logits
        shift = (self.w_unseen if unseen else 0.0) + (self.w_elsewhere if elsewhere else 0.0)
        shift += self.w_follow_up if follow_up else 0.0
        return _sigmoid(self.c_bias + self.c_scale * z + shift)


def load_calibration(path: str | Path = CALIBRATION_FILE) -> Calibration:
    """The fitted calibration. A missing, unreadable or incomplete file is an error: the defaults above are
    not fitted to anything, and answering with them would make the confidence meaningless."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except OSError:
        raise ModelError(
            f"the calibration {str(path)!r} is missing: reinstall qa or point QA_CALIBRATION at one"
        ) from None
    except ValueError:
        raise ModelError(f"the calibration {str(path)!r} is not valid JSON: reinstall qa") from None
    names = [f.name for f in fields(Calibration)]
    missing = [n for n in names if n not in data]
    if not isinstance(data, dict) or missing:
        raise ModelError(
            f"the calibration {str(path)!r} lacks {', '.join(missing) or 'its fields'}: refit it with eval/fit_calibration.py"
        )
    return Calibration(**{n: data[n] for n in names})
