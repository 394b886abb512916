"""Candidates from a search engine that holds the vectors and the lexical index itself (the Milvus store):
one hybrid search of the sentences (dense + BM25 over qa's terms, fused by rank), plus the sentences of the
best passages by vector, the same union the local HybridRetriever makes. Each candidate is then scored with
the same features (both cosines, term coverage), so the answerer and its calibration work on it unchanged."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from qa.retrieve.hybrid import (
    DOCUMENT_CANDIDATES,
    LEXICAL_CANDIDATES,
    Candidates,
    continued_positions,
    same_document,
    with_continuations,
)
from qa.retrieve.lexical import (
    content_words,
    coverage,
    idf,
    named_terms,
    rows_in_own_words,
    slashed,
    term_weights,
    terms,
    unseen_words,
)
from qa.store.milvus import MilvusSnapshot

ENGINE_HOLDING = 1_000  # the most sentences holding a word that the engine gives (its search returns 16,384 at most)


class EngineRetriever:
    def __init__(self, snapshot: MilvusSnapshot) -> None:
        self.snapshot = snapshot

    def frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many sentences hold each of these lexical terms (one query of the engine)."""
        return self.snapshot.document_frequencies(terms) if terms else {}

    def holding(self, term: str, limit: int) -> list[int]:
        """The sentences holding a lexical term: the engine's best by BM25 for it alone, at most
        ENGINE_HOLDING of them (not every holder, as HybridRetriever.holding gives; their texts are fetched
        from the engine next)."""
        return self.snapshot.holding(term, min(limit, ENGINE_HOLDING))

    def candidates(
        self,
        vector: np.ndarray,
        question: str = "",
        k: int = 30,
        lexical_k: int = LEXICAL_CANDIDATES,
        near: int | None = None,
        names: str | None = None,
        also: tuple[int, ...] = (),
    ) -> Candidates:
        snap = self.snapshot
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        q_terms = terms(question, names=False) if question else []
        checked = question if names is None else names  # whose names the answer's document must hold
        n_terms = list(content_words(checked)) if checked != question else []
        hits, passages, frequencies, in_document = snap.together(
            lambda: snap.hybrid(query, " ".join(dict.fromkeys(q_terms)), k, lexical_k if q_terms else 0),
            lambda: snap.search_passages(query, k),
            lambda: snap.document_frequencies(sorted({*q_terms, *slashed(question), *n_terms})),
            lambda: snap.search_document(query, near, DOCUMENT_CANDIDATES) if near is not None else [],
        )
        chosen = {int(h["id"]) for h in [*hits, *in_document]}
        for p in passages:
            chosen.update(range(int(p["first"]), int(p["last"]) + 1))
        chosen.update(also)  # candidates whatever the search finds (HybridRetriever.candidates)
        links = with_continuations(snap, chosen)
        rows = snap.rows(sorted(chosen))
        ids = sorted(rows)
        unseen = unseen_words(question, lambda term: frequencies.get(term, 0))
        if not ids:
            empty = np.zeros(0, dtype=np.float32)
            return Candidates(np.zeros(0, dtype=np.int64), empty, empty, empty, unseen=unseen)
        vectors = np.asarray([rows[i]["vector"] for i in ids], dtype=np.float32)
        holders = sorted({int(p) for i in ids for p in rows[i]["holders"]})
        held = snap.passage_vectors(holders)
        holder_sim = {p: float(v @ query) for p, v in held.items()}
        passage_sim = np.array(
            [max((holder_sim.get(int(p), 0.0) for p in rows[i]["holders"]), default=0.0) for i in ids],
            dtype=np.float32,
        )
        weights = term_weights(question, lambda t: idf(snap.n_sentences, frequencies.get(t, 0)))
        covered = coverage(weights, [set(rows[i]["terms"].split()) for i in ids])
        lexical = rows_in_own_words(weights, [rows[i]["text"] for i in ids], covered)
        named = named_terms(checked, lambda term: frequencies.get(term, 0))
        found = Candidates(
            np.asarray(ids, dtype=np.int64),
            (vectors @ query).astype(np.float32),
            passage_sim,
            np.asarray(lexical, dtype=np.float32),
            unseen=unseen,
            missing_names=(lambda i: tuple(named[t] for t in snap.missing_terms(i, list(named)))) if named else None,
            continues=continued_positions(ids, links),
        )
        return found if near is None else replace(found, same_document=same_document(snap, ids, near))
