"""Question -> candidate sentences with their features: the union of a dense sentence search, a dense
passage search (each passage brings all its sentences) and a lexical (BM25) search, each scored with both
similarities and its term coverage. Fusion works on the searchers' results, not their internals."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

import numpy as np

from qa.retrieve.dense import DenseSearcher
from qa.retrieve.lexical import LexicalIndex, named_terms, rows_in_own_words, term_weights, unseen_words
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
    # per candidate: the position of the candidate it continues (the sentence before it in its paragraph, which
    # it points back at: "He called it packet switching"), -1 for none; None where nothing was looked up
    continues: np.ndarray | None = None

    def kept(self, keep: np.ndarray) -> Candidates:
        """The candidates where `keep` (a mask over them) is true, each link to one left out undone."""
        near = None if self.same_document is None else self.same_document[keep]
        continues = None
        if self.continues is not None:
            moved = np.cumsum(keep) - 1  # a kept candidate's new position
            continues = np.array([moved[c] if c >= 0 and keep[c] else -1 for c in self.continues[keep]], dtype=np.int64)
        return replace(
            self,
            ids=self.ids[keep],
            sentence_sim=self.sentence_sim[keep],
            passage_sim=self.passage_sim[keep],
            lexical=self.lexical[keep],
            same_document=near,
            continues=continues,
        )


LEXICAL_CANDIDATES = 10

# A follow-up also takes this many sentences of the answered sentence's document, by vector
DOCUMENT_CANDIDATES = 10


# A sentence that points back at the one before it: a personal or demonstrative pronoun among its first six
# words ("He called it packet switching", "Its purpose was ...", "With 301 attendees it was the largest"), or
# one that opens with "That ...", "Such ..." or "There is ... for this"
_POINTS_BACK = re.compile(
    r"^\W*(?:that|such|there\s+(?:is|are|was|were)\b[^.]*\b(?:this|that))\b"
    r"|^\W*(?:\w+\W+){0,5}?(?:he|she|it|its|they|them|him|his|her|their|this|these|those)\b",
    re.I,
)


def points_back(text: str) -> bool:
    """Does the sentence open by pointing back at the one before it (`_POINTS_BACK`)?"""
    return bool(_POINTS_BACK.search(text))


def continuations(snapshot: Snapshot, chosen: AbstractSet[int]) -> dict[int, int]:
    """Among `chosen` and the sentences just after them, each that points back at the sentence before it in
    its paragraph (`points_back`), with that sentence: {sentence: the sentence it continues}. Such a sentence
    often holds the answer to a question about the one before it ("What did Davies call it?": "He called it
    packet switching, ..."), which it does not name."""
    around = sorted({j for i in chosen for j in (i - 1, i, i + 1) if j >= 0})
    text = dict(zip(around, snapshot.texts(around)))  # one fetch: a remote store keeps the rows it fetched
    return {
        i: i - 1
        for i in around
        if i - 1 in text
        and (i in chosen or i - 1 in chosen)
        and points_back(text[i])
        and snapshot.same_paragraph(i - 1, i)
    }


def with_continuations(snapshot: Snapshot, chosen: set[int]) -> dict[int, int]:
    """Add to `chosen` the sentences that continue one of them and those that one of them continues
    (`continuations`); give the links found."""
    links = continuations(snapshot, chosen)
    chosen.update(links)
    chosen.update(links.values())
    return links


def continued_positions(ids: list[int], links: dict[int, int]) -> np.ndarray:
    """Candidates.continues for these sorted candidate ids."""
    position = {i: n for n, i in enumerate(ids)}
    return np.array([position.get(links.get(i, -1), -1) for i in ids], dtype=np.int64)


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

    def holding(self, term: str, limit: int) -> list[int]:
        """The sentences holding a lexical term (in their text or heading path), in document order; none when
        more than `limit` do (a word most sentences use names no one thing)."""
        ids = self.lexical.postings(term)[0]
        return [] if len(ids) > limit else ids.tolist()

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
        """Sentences of the k best passages and the k best sentences by the question's vector, plus the
        lexical_k best sentences by BM25 on the question's words (names and rare terms the vector misses).
        With `near` (a follow-up: the sentence last answered with), also the best sentences of its document,
        each candidate marked as in that document or not. `names` is the text whose names a candidate's
        document is checked for (`missing_names`; default the question: a follow-up's, with the person or
        thing it points at). `also`: sentences that are candidates whatever the search finds (the one a
        follow-up steps to: "Tell me more" shows what comes next, which need not match its topic; those that
        say what a "What is X?" asks)."""
        p_ids, _ = self.passages.search(vector, k)
        s_ids, _ = self.sentences.search(vector, k)
        chosen: set[int] = {int(s) for s in s_ids}
        if question:
            chosen.update(int(i) for i in self.lexical.search(question, lexical_k)[0])
        if near is not None:
            chosen.update(int(i) for i in self.snapshot.search_document(vector, near, DOCUMENT_CANDIDATES))
        for first, last in self.snapshot.passage_sentences([int(p) for p in p_ids]):
            chosen.update(range(first, last + 1))
        chosen.update(also)
        links = with_continuations(self.snapshot, chosen)
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
        weights = term_weights(question, self.lexical.idf)
        held = self.lexical.covered(weights, ids)
        lexical = np.asarray(rows_in_own_words(weights, self.snapshot.texts(ids), held), dtype=np.float32)
        named = named_terms(question if names is None else names, self.lexical.df)

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
            continues=continued_positions(ids, links),
        )
        return found if near is None else replace(found, same_document=same_document(self.snapshot, ids, near))


def same_document(snapshot: Snapshot, ids: list[int], near: int) -> np.ndarray:
    """1.0 for each of `ids` in sentence `near`'s document, else 0.0."""
    return (snapshot.document_of(ids) == snapshot.document_of([near])[0]).astype(np.float32)
