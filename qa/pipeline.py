"""The stages wired together: corpus -> index (built or reused) -> retrieve -> extract.
Only the CLI (and tests) import this module."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from qa.chunking import ChunkSettings
from qa.config import Settings
from qa.conversation import Conversation
from qa.embedding import Embedder, load_embedder
from qa.errors import QuestionError
from qa.extract import Calibration, answer, load_calibration
from qa.index import BuildReport, IndexStore, LoadedIndex, index_settings
from qa.retrieval import closest_sentences
from qa.types import Answer


@dataclass
class Engine:
    settings: Settings
    embedder: Embedder | None = None
    calibration: Calibration = field(default_factory=load_calibration)
    on_build: Callable[[str], None] | None = None  # told before a (re)build starts

    def __post_init__(self) -> None:
        self.store = IndexStore(self.settings.corpus, self.settings.index_dir)
        self._index: LoadedIndex | None = None

    @property
    def model(self) -> Embedder:
        if self.embedder is None:
            self.embedder = load_embedder(self.settings.model, device=self.settings.device)
        return self.embedder

    @property
    def chunk_settings(self) -> ChunkSettings:
        return ChunkSettings(self.settings.passage_tokens, self.settings.passage_overlap)

    @property
    def threshold(self) -> float:
        return self.calibration.threshold if self.settings.threshold is None else self.settings.threshold

    def build(self, force: bool = False) -> BuildReport:
        if hasattr(self.model, "use_threads"):
            self.model.use_threads(os.cpu_count() or 1)
        if self.on_build is not None:
            self.on_build(str(self.settings.corpus))
        report = self.store.build(self.model, self.chunk_settings, force=force)
        self._index = None
        return report

    def index(self) -> LoadedIndex:
        """The loaded index, built first if missing or out of date."""
        if self._index is None:
            if not self.store.is_current(index_settings(self.model, self.chunk_settings)):
                self.build()
            self._index = self.store.load()
            if hasattr(self.model, "use_threads"):
                self.model.use_threads(1)  # from here on: one question at a time
        return self._index

    def ask(self, question: str, conversation: Conversation | None = None, limit: int = 10) -> Answer:
        question = question.strip()
        if not question:
            raise QuestionError('the question is empty: type a question, e.g. qa ask "What gift did Kim give?"')
        query = conversation.query_for(question) if conversation is not None else question
        index = self.index()
        vector = self.model.embed([query])[0]
        candidates = closest_sentences(index, vector, self.settings.candidates, query)
        result = answer(question, index, candidates, self.calibration, self.threshold, limit, query)
        if conversation is not None:
            conversation.add(question, result.sentences[0].index if result.sentences else -1)
        return result
