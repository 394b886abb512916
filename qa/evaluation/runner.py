"""Asking evaluation questions through the service, timed."""

from __future__ import annotations

import time
from collections.abc import Callable

from qa.conversation import Conversation
from qa.evaluation.metrics import Outcome, Question
from qa.types import Answer


def measure(
    ask: Callable[[str, Conversation | None], Answer], question: Question, conversation: Conversation | None = None
) -> tuple[Answer, Outcome]:
    """Ask one evaluation question, timed, and record what happened for the metrics."""
    started = time.perf_counter()
    result = ask(question.question, conversation)
    latency = (time.perf_counter() - started) * 1000
    ranked = [s.sentence.text for s in result.sentences]
    shown = [f"{s.sentence.text}\n{s.sentence.code.text}" if s.sentence.code else s.sentence.text for s in result.sentences]
    return result, Outcome(question, ranked, result.answered, result.confidence, latency, shown)
