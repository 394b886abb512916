"""Dense search: a question vector against a store's sentence or passage vectors."""

from __future__ import annotations

import numpy as np

from qa.store.base import VectorSnapshot


class DenseSearcher:
    """search(vector, k) -> (ids, cosine scores) over one kind of unit ("sentences" or "passages")."""

    def __init__(self, snapshot: VectorSnapshot, unit: str = "sentences") -> None:
        if unit not in {"sentences", "passages"}:
            raise ValueError(f"unit {unit!r} is not 'sentences' or 'passages'")
        self.snapshot = snapshot
        self.unit = unit

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self.unit == "sentences":
            return self.snapshot.search_sentences(vector, k)
        return self.snapshot.search_passages(vector, k)
