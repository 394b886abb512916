"""Follow-up questions in a chat: carry the topic of earlier turns into the search query."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_REFERRING = frozenset(
    ["he", "she", "it", "they", "them", "him", "her", "his", "hers", "its", "their", "theirs", "this", "that", "these", "those", "there", "then", "one", "ones", "such", "same", "other", "another"]
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
    """Remembers the questions asked so far; `query_for` builds the text actually searched."""

    turns: list[str] = field(default_factory=list)
    max_turns: int = 1

    def query_for(self, question: str) -> str:
        if self.turns and needs_context(question):
            context = " ".join(self.turns[-self.max_turns :])
            return f"{context} {question}"
        return question

    def add(self, question: str, query: str) -> None:
        # Keep the resolved text so a chain of follow-ups keeps the original topic.
        self.turns.append(query if query != question else question)

    def reset(self) -> None:
        self.turns.clear()
