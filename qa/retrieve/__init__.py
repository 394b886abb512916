"""Question -> candidate sentences with their features. `retriever_for` picks the retriever a snapshot's
backend needs: vectors searched in this process (HybridRetriever) or by the engine that holds them."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from qa.retrieve.hybrid import Candidates, HybridRetriever
from qa.store.base import Snapshot


class Retriever(Protocol):
    def frequencies(self, terms: list[str]) -> dict[str, int]: ...

    def holding(self, term: str, limit: int) -> list[int]: ...

    def candidates(
        self,
        vector: np.ndarray,
        question: str = "",
        k: int = 30,
        *,
        near: int | None = None,
        names: str | None = None,
        also: tuple[int, ...] = (),
    ) -> Candidates: ...


def retriever_for(snapshot: Snapshot) -> Retriever:
    if hasattr(snapshot, "hybrid"):  # the Milvus store: imported only when it is in use
        from qa.retrieve.engine import EngineRetriever

        return EngineRetriever(snapshot)  # type: ignore[arg-type]
    return HybridRetriever(snapshot)  # type: ignore[arg-type]
