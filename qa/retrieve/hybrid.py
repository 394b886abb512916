"""Question -> candidate sentences with their features: the union of a dense sentence search, a dense
passage search (each passage brings all its sentences) and a lexical (BM25) search, each scored with both
similarities and its term coverage. Fusion works on the searchers' results, not their internals."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

import numpy as np

from qa.retrieve.dense import DenseSearcher
from qa.retrieve.lexical import LexicalIndex, named_terms, unseen_words
from qa.store.base import Snapshot, VectorSnapshot


@dataclass(frozen=True)
class Candidates:
    ids: np.ndarray  # sentence ids
    sentence_sim: np.ndarray  # cosine(question, sentence)
    passage_sim: np.ndarray  # best cosine(question, a passage holding the sentence)
    lexical: np.ndarray  # IDF-weighted share of the question's terms in the sentence
    # a follow-up's: 1.0 for the sentences of the document the conversation was answered from, else 0.0
    same_document: np.ndarray | None = None
    # the question's names and rare words that no sentence of the documents holds (lexical.unseen_words)
    unseen: tuple[str, ...] = ()
    # the names of the question that other documents hold but sentence i's document lacks (lexical.named_terms);
    # asked of the sentence ranked first only (a search of the engine, for the Milvus store)
    missing_names: Callable[[int], tuple[str, ...]] | None = None

    def without(self, ids: AbstractSet[int]) -> Candidates:
        """These candidates less the sentences `ids`."""
        keep = np.array([int(i) not in ids for i in self.ids], dtype=bool)
        near = None if self.same_document is None else self.same_document[keep]
        return replace(
            self,
            ids=self.ids[keep],
            sentence_sim=self.sentence_sim[keep],
            passage_sim=self.passage_sim[keep],
            lexical=self.lexical[keep],
            same_document=near,
        )


LEXICAL_CANDIDATES = 10
# A follow-up also takes this many sentences of the answered sentence's document, by vector
DOCUMENT_CANDIDATES = 10


class HybridRetriever:
    """Dense sentences + dense passages + BM25 over one snapshot of the store."""

    def __init__(self, snapshot: VectorSnapshot, lexical: LexicalIndex | None = None) -> None:
        self.snapshot = snapshot
        self.sentences = DenseSearcher(snapshot, "sentences")
        self.passages = DenseSearcher(snapshot, "passages")
        self.lexical = lexical if lexical is not None else LexicalIndex(snapshot.lexical())

    def frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many sentences hold each of these lexical terms."""
        return self.lexical.frequencies(terms)

    def candidates(
        self,
        vector: np.ndarray,
        question: str = "",
        k: int = 30,
        lexical_k: int = LEXICAL_CANDIDATES,
        near: int | None = None,
    ) -> Candidates:
        """Sentences of the k best passages and the k best sentences by the question's vector, plus the
        lexical_k best sentences by BM25 on the question's words (names and rare terms the vector misses).
        With `near` (a follow-up: the sentence last answered with), also the best sentences of its document,
        each candidate marked as in that document or not."""
        p_ids, _ = self.passages.search(vector, k)
        s_ids, _ = self.sentences.search(vector, k)
        chosen: set[int] = {int(s) for s in s_ids}
        if question:
            chosen.update(int(i) for i in self.lexical.search(question, lexical_k)[0])
        if near is not None:
            chosen.update(int(i) for i in self.snapshot.search_document(vector, near, DOCUMENT_CANDIDATES))
        for first, last in self.snapshot.passage_sentences([int(p) for p in p_ids]):
            chosen.update(range(first, last + 1))
        ids = sorted(chosen)
        unseen = unseen_words(question, self.lexical.df)
        if not ids:
            empty = np.zeros(0, dtype=np.float32)
            return Candidates(np.zeros(0, dtype=np.int64), empty, empty, empty, unseen=unseen)
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        sentence_sim = self.snapshot.sentence_vectors(ids) @ query
        holding = self.snapshot.passages_holding(ids)
        holders = sorted({p for row in holding for p in row})
        position = {p: i for i, p in enumerate(holders)}
        holder_sim = self.snapshot.passage_vectors(holders) @ query if holders else np.zeros(0, dtype=np.float32)
        passage_sim = np.array(
            [max((holder_sim[position[p]] for p in row), default=0.0) for row in holding], dtype=np.float32
        )
        lexical = np.asarray(self.lexical.coverage(question, ids), dtype=np.float32)
        named = named_terms(question, self.lexical.df)

        def missing_names(i: int) -> tuple[str, ...]:
            doc = self.snapshot.document_of([i])[0]
            held = self.snapshot.document_of  # the documents of a term's postings
            return tuple(word for t, word in named.items() if doc not in held(self.lexical.postings(t)[0].tolist()))

        found = Candidates(
            np.asarray(ids, dtype=np.int64),
            sentence_sim.astype(np.float32),
            passage_sim,
            lexical,
            unseen=unseen,
            missing_names=missing_names if named else None,
        )
        return found if near is None else replace(found, same_document=same_document(self.snapshot, ids, near))


def same_document(snapshot: Snapshot, ids: list[int], near: int) -> np.ndarray:
    """1.0 for each of `ids` in sentence `near`'s document, else 0.0."""
    return (snapshot.document_of(ids) == snapshot.document_of([near])[0]).astype(np.float32)
