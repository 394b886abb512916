"""Follow-up questions in a chat: carry the topic of earlier turns into the search."""

from __future__ import annotations

import re
from dataclasses import dataclass

_REFERRING = frozenset(
    """he she it they them him her his hers its their theirs this that these those there then
    one ones such same other another""".split()
)
_WORD = re.compile(r"[A-Za-z']+")


def needs_context(question: str) -> bool:
    """A question that leans on an earlier turn: it refers back (pronouns) or is too short to stand alone."""
    words = [w.lower() for w in _WORD.findall(question)]
    if not words:
        return False
    return any(w in _REFERRING for w in words) or len(words) <= 3


@dataclass
class Conversation:
    """Remembers the topic of the conversation; `query_for` builds the text actually searched."""

    topic: str = ""  # the last question that stood on its own

    def is_follow_up(self, question: str) -> bool:
        return bool(self.topic) and needs_context(question)

    def query_for(self, question: str) -> str:
        """A follow-up is searched together with the topic question; a chain of follow-ups keeps that topic."""
        if self.is_follow_up(question):
            return f"{self.topic} {question}"
        return question

    def add(self, question: str) -> None:
        """Record an asked question: one that stands on its own becomes the topic."""
        if not self.is_follow_up(question):
            self.topic = question

    def reset(self) -> None:
        self.topic = ""
