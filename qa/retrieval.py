"""Question vector -> candidate sentences with their dense scores (sentence and passage context)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.index import LoadedIndex


@dataclass(frozen=True)
class Candidates:
    ids: np.ndarray  # sentence ids
    sentence_sim: np.ndarray  # cosine(question, sentence)
    passage_sim: np.ndarray  # best cosine(question, a passage holding the sentence)
    lexical: np.ndarray  # IDF-weighted share of the question's terms in the sentence


LEXICAL_CANDIDATES = 10


def closest_sentences(
    index: LoadedIndex, query: np.ndarray, k: int = 30, question: str = "", lexical_k: int = LEXICAL_CANDIDATES
) -> Candidates:
    """Hybrid candidates: sentences from the k best passages and the k best sentences by the question's
    vector, plus the lexical_k best sentences by BM25 on the question's words (names and rare terms the
    vector misses). Each is then scored with both similarities and its term coverage."""
    p_ids, _ = index.search_passages(query, k)
    s_ids, _ = index.search_sentences(query, k)
    chosen: set[int] = {int(s) for s in s_ids}
    if question:
        chosen.update(index.term_stats.search(question, lexical_k))
    for p in p_ids:
        passage = index.passages[int(p)]
        chosen.update(range(passage.first_sentence, passage.last_sentence + 1))
    ids = sorted(chosen)
    if not ids:
        empty = np.zeros(0, dtype=np.float32)
        return Candidates(np.zeros(0, dtype=np.int64), empty, empty, empty)
    query = np.asarray(query, dtype=np.float32).reshape(-1)
    sentence_sim = index.sentence_vectors(ids) @ query
    holders = sorted({p for s in ids for p in index.passages_of[s]})
    position = {p: i for i, p in enumerate(holders)}
    holder_sim = index.passage_vectors(holders) @ query if holders else np.zeros(0, dtype=np.float32)
    passage_sim = np.array(
        [max((holder_sim[position[p]] for p in index.passages_of[s]), default=0.0) for s in ids],
        dtype=np.float32,
    )
    lexical = np.asarray(index.term_stats.coverage(question, ids), dtype=np.float32)
    return Candidates(np.asarray(ids, dtype=np.int64), sentence_sim.astype(np.float32), passage_sim, lexical)
