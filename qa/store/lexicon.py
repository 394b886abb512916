"""The lexical tables' layout: built from per-sentence term counts, looked up without a dict."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qa.store.base import LexicalTables


def build_tables(counts: Sequence[dict[str, int]]) -> LexicalTables:
    """Tables for sentences whose terms are counted in `counts` (sentence i -> {term: count})."""
    vocabulary = sorted({t for c in counts for t in c})
    ids = {t: i for i, t in enumerate(vocabulary)}
    encoded = [t.encode("utf-8") for t in vocabulary]
    vocab_offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=vocab_offsets[1:])
    vocab = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()

    forward_ptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in counts], out=forward_ptr[1:])
    forward_terms = np.fromiter((ids[t] for c in counts for t in c), dtype=np.int32, count=int(forward_ptr[-1]))
    forward_tf = np.fromiter((n for c in counts for n in c.values()), dtype=np.int32, count=int(forward_ptr[-1]))

    # postings: the forward table transposed; a stable sort keeps sentence ids ascending within a term
    rows = np.repeat(np.arange(len(counts), dtype=np.int32), np.diff(forward_ptr))
    order = np.argsort(forward_terms, kind="stable")
    postings_ptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(np.bincount(forward_terms, minlength=len(vocabulary)), out=postings_ptr[1:])
    return LexicalTables(
        vocab=vocab,
        vocab_offsets=vocab_offsets,
        postings_ptr=postings_ptr,
        postings_ids=rows[order],
        postings_tf=forward_tf[order].astype(np.float32),
        forward_ptr=forward_ptr,
        forward_terms=forward_terms,
        forward_tf=forward_tf,
        sentence_lengths=np.array([sum(c.values()) for c in counts], dtype=np.float32),
    )


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
