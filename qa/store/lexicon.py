"""The lexical tables' layout: built from per-sentence term counts, looked up without a dict."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qa.store.base import LexicalTables


class TermCounter:
    """Per-sentence term counts gathered document by document, kept as compact arrays (a term id and a count
    per entry, ids in first-seen order), so that a build's memory does not grow with a dict per sentence.
    `tables()` sorts the vocabulary and transposes the forward table into postings."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._terms: list[np.ndarray] = []
        self._tf: list[np.ndarray] = []
        self._sizes: list[np.ndarray] = []

    def add(self, counts: Sequence[dict[str, int]]) -> TermCounter:
        ids = self._ids
        self._terms.append(np.fromiter((ids.setdefault(t, len(ids)) for c in counts for t in c), dtype=np.int32))
        self._tf.append(np.fromiter((n for c in counts for n in c.values()), dtype=np.int32))
        self._sizes.append(np.fromiter((len(c) for c in counts), dtype=np.int64, count=len(counts)))
        return self

    def tables(self) -> LexicalTables:
        vocabulary = sorted(self._ids)
        rank = np.zeros(len(vocabulary), dtype=np.int32)  # first-seen id -> sorted id
        rank[np.fromiter((self._ids[t] for t in vocabulary), dtype=np.int64, count=len(vocabulary))] = np.arange(
            len(vocabulary), dtype=np.int32
        )
        encoded = [t.encode("utf-8") for t in vocabulary]
        vocab_offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=vocab_offsets[1:])
        vocab = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()

        sizes = np.concatenate(self._sizes) if self._sizes else np.zeros(0, np.int64)
        forward_ptr = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=forward_ptr[1:])
        forward_terms = rank[np.concatenate(self._terms)] if self._terms else np.zeros(0, np.int32)
        forward_tf = np.concatenate(self._tf) if self._tf else np.zeros(0, np.int32)

        # postings: the forward table transposed; a stable sort keeps sentence ids ascending within a term
        rows = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
        order = np.argsort(forward_terms, kind="stable")
        postings_ptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(forward_terms, minlength=len(vocabulary)), out=postings_ptr[1:])
        lengths = np.bincount(rows, weights=forward_tf, minlength=len(sizes)).astype(np.float32)
        return LexicalTables(
            vocab=vocab,
            vocab_offsets=vocab_offsets,
            postings_ptr=postings_ptr,
            postings_ids=rows[order],
            postings_tf=forward_tf[order].astype(np.float32),
            forward_ptr=forward_ptr,
            forward_terms=forward_terms.astype(np.int32),
            forward_tf=forward_tf,
            sentence_lengths=lengths,
        )


def build_tables(counts: Sequence[dict[str, int]]) -> LexicalTables:
    """Tables for sentences whose terms are counted in `counts` (sentence i -> {term: count})."""
    return TermCounter().add(counts).tables()


def term_at(tables: LexicalTables, i: int) -> str:
    return tables.vocab[tables.vocab_offsets[i] : tables.vocab_offsets[i + 1]].tobytes().decode("utf-8")


def term_id(tables: LexicalTables, term: str) -> int:
    """The term's row in the vocabulary, or -1: a binary search over the sorted blob."""
    key = term.encode("utf-8")
    lo, hi = 0, len(tables.vocab_offsets) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if tables.vocab[tables.vocab_offsets[mid] : tables.vocab_offsets[mid + 1]].tobytes() < key:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(tables.vocab_offsets) - 1 and term_at(tables, lo).encode("utf-8") == key:
        return lo
    return -1


def sentence_counts(tables: LexicalTables, first: int, end: int) -> list[dict[str, int]]:
    """The term counts of sentences first..end-1, read back from the forward table (to reuse them)."""
    out = []
    names: dict[int, str] = {}
    for s in range(first, end):
        lo, hi = tables.forward_ptr[s], tables.forward_ptr[s + 1]
        row = {}
        for t, n in zip(tables.forward_terms[lo:hi].tolist(), tables.forward_tf[lo:hi].tolist()):
            if t not in names:
                names[t] = term_at(tables, t)
            row[names[t]] = n
        out.append(row)
    return out
