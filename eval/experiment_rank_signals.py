"""Experiment (not a test, nothing shipped): do cheap extra signals reorder the best candidates better?

    .venv/bin/python eval/experiment_rank_signals.py [--bench ../shared/bench/squad2-a]   # about 8 minutes

For every answerable question of the development set (each genre) and of SQuAD split A, the candidates are
scored and reordered exactly as `qa` does (the shipped calibration's score, then the ranker over the close
ones, each read after its heading path), and ans@1 is printed for that and for each variant:

- reader R: the reader's answer logit added with weight R to the reordering (score + rank_weight rank +
  R reader) over the same close candidates;
- ranker reads the sentence alone: without its heading path; rank weight W: the ranker's logit at weight W
  instead of the shipped one; ranker reads previous: the sentence before it in its paragraph goes with it
  (anaphoric only: only when it opens with a pronoun or "this");
- neighbour terms A: the lexical feature also counts, with weight A, the question terms of the sentence before
  (when this one opens with a pronoun or "this") and of the one after (when that one does);
- name elsewhere T: T is subtracted from the score of a sentence whose document lacks a name of the question
  that other documents hold;
- with --mpnet FOLDER (all-mpnet-base-v2, eval/fetch_mpnet.py), mpnet S: the best eight candidates by score
  have S x (mpnet's cosine similarity - MiniLM's) added, each read after its heading path as qa embeds it, before
  the same reordering: mpnet judging only the few sentences in contention, not indexing the corpus.

Nothing here is fitted: the figures are for choosing what to try next (docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from fit_calibration import DEVSET, GENRES, collect, source_of  # noqa: E402

from qa.answer.calibration import load_calibration  # noqa: E402
from qa.answer.extract import score  # noqa: E402
from qa.evaluation.metrics import load_questions  # noqa: E402
from qa.models.cross import ANSWER, RANK  # noqa: E402
from qa.retrieve.lexical import term_weights, terms  # noqa: E402
from qa.types import with_context  # noqa: E402

MPNET_DEPTH = 8
ANAPHOR = re.compile(r"^\W*(?:this|these|that|those|it|its|they|their|he|his|she|her|such)\b", re.I)


def variants(question, cands, texts, right, miss, snap, lexical, ranker, reader, cal, mpnet=None) -> dict[str, bool]:
    ids = [int(i) for i in cands.ids]
    base = score(cands, cal, miss)

    def headed(i: int) -> str:  # as qa's ranker reads a candidate: after its heading path
        return with_context(snap.sentence(ids[i]).heading, texts[i])

    def first(scores: np.ndarray, read=headed, weight: float = cal.rank_weight, extra=None) -> bool:
        order = [int(i) for i in np.argsort(-scores, kind="stable")]
        n = cal.to_read(scores[order])
        if n > 1:
            head = order[:n]
            shown = [read(i) for i in head]
            combined = scores[head] + weight * ranker.logits(question, shown)[:, RANK]
            if extra is not None:
                combined = combined + extra(head)
            order = [head[i] for i in np.argsort(-combined, kind="stable")] + order[n:]
        return bool(right[order[0]])

    out = {"shipped": first(base)}
    for r in (0.05, 0.2):
        out[f"reader {r}"] = first(
            base, extra=lambda head, r=r: r * reader.logits(question, [texts[i] for i in head])[:, ANSWER]
        )

    def alone(i: int) -> str:
        return texts[i]

    def previous(i: int) -> str:  # its heading path, the sentence before it in its paragraph, then it
        before = ids[i] - 1
        if not snap.same_paragraph(ids[i], before):
            return headed(i)
        return with_context(snap.sentence(ids[i]).heading, f"{snap.texts([before])[0]} {texts[i]}")

    out["ranker reads the sentence alone"] = first(base, alone)
    for w in (0.05, 0.2):
        out[f"rank weight {w}"] = first(base, weight=w)
    out["ranker reads previous"] = first(base, previous)

    def previous_if_anaphoric(i: int) -> str:  # the sentence before only when this one opens by pointing back
        return previous(i) if ANAPHOR.match(texts[i]) else headed(i)

    out["ranker reads previous, anaphoric only"] = first(base, previous_if_anaphoric)

    weights = term_weights(question, lexical.idf)
    total = sum(weights.values()) or 1.0
    own = [set(terms(t)) for t in texts]
    near = []
    for k, i in enumerate(ids):
        extra: set[str] = set()
        if ANAPHOR.match(texts[k]) and snap.same_paragraph(i, i - 1):
            extra |= set(terms(snap.texts([i - 1])[0]))
        if snap.same_paragraph(i, i + 1) and ANAPHOR.match(after := snap.texts([i + 1])[0]):
            extra |= set(terms(after))
        near.append(sum(v for t, v in weights.items() if t in extra - own[k]) / total)
    for a in (0.25, 0.5):
        widened = replace(cands, lexical=cands.lexical + a * np.asarray(near, dtype=np.float32))
        out[f"neighbour terms {a}"] = first(score(widened, cal, miss))

    missing = cands.missing_names  # as qa's confidence reads it (qa.retrieve.lexical.named_terms)
    lacks_name = np.array([bool(missing(i)) for i in ids], dtype=float) if missing else np.zeros(len(ids))
    for t in (0.1, 0.3):
        out[f"name elsewhere {t}"] = first(base - t * lacks_name)
    if mpnet is not None:
        best = [int(i) for i in np.argsort(-base, kind="stable")[:MPNET_DEPTH]]
        vectors = mpnet.encode([question] + [headed(i) for i in best], normalize_embeddings=True)
        shift = np.zeros(len(ids))
        shift[best] = vectors[1:] @ vectors[0] - cands.sentence_sim[best]
        for s in (0.3, 0.5, 0.8):
            out[f"mpnet {s}"] = first(base + s * shift)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    parser.add_argument("--mpnet", type=Path, help="an all-mpnet-base-v2 folder (eval/fetch_mpnet.py)")
    args = parser.parse_args()
    cal = load_calibration()
    mpnet = None
    if args.mpnet:
        from sentence_transformers import SentenceTransformer

        mpnet = SentenceTransformer(str(args.mpnet.expanduser()), device="cpu")
    sets = [
        (DEVSET / "docs", [q for g in GENRES for q in load_questions(DEVSET / f"{g}.jsonl") if q.answerable]),
        (args.bench / "corpus", [q for q in load_questions(args.bench / "questions.jsonl") if q.answerable]),
    ]
    table: dict[str, dict[str, list[bool]]] = {}
    for corpus, questions in sets:
        found, engine = collect(corpus, questions)
        snap, retriever = engine.live()
        ranker, reader = engine.models.cross_encoder("ranker"), engine.models.cross_encoder("reader")
        for q, c, texts, right, miss in zip(found.questions, found.candidates, found.texts, found.right, found.misses):
            group = table.setdefault(source_of(q), {})
            got = (
                variants(q.question, c, texts, right, miss, snap, retriever.lexical, ranker, reader, cal, mpnet)
                if len(c.ids)
                else {}
            )
            for name, hit in got.items():
                group.setdefault(name, []).append(hit)
    print_variants(table)


def print_variants(table: dict[str, dict[str, list[bool]]]) -> None:
    """A markdown table of ans@1: a row per variant, a column per set (its questions' hits per variant)."""
    names = list(next(iter(table.values())))
    print("| variant | " + " | ".join(table) + " |")
    print("|---|" + "---|" * len(table))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{np.mean(group[name]):.3f}" for group in table.values()) + " |")


if __name__ == "__main__":
    main()
