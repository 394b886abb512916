"""Experiment (not a test, nothing shipped): does a sentence's similarity without its heading path reorder the
best candidates better?

    .venv/bin/python eval/experiment_bare_sentence.py [--bench ../shared/bench/squad2-a]   # about 10 minutes

`qa` embeds each sentence after its heading path ("Creating Virtual Environments: <sentence>"). Under a heading
that matches the question, a short sentence is mostly its heading to the encoder, and every sentence there
scores alike: in Python's tutorial "A common directory location for a virtual environment is .venv." came
first for "How do I create a virtual environment?" and the sentence that says how was not among the best
eight. Here the best K candidates by the shipped score are embedded again without their path, by the same
encoder, and S x (that cosine - the indexed one) is added to their score before the shipped reordering (the
ranker over the close ones); "max" adds only a gain; "within" adds each gain less the mean gain of the
candidates among the K that share its document and heading path, so it reorders a section's sentences and
leaves the sections' standing as it was. ans@1 over the answerable questions of each genre of the
development set and of SQuAD split A, and the mean milliseconds the extra embedding took a question.

Nothing here is fitted: the figures are for choosing what to try next (docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from experiment_rank_signals import print_variants  # noqa: E402
from fit_calibration import DEVSET, GENRES, collect, source_of  # noqa: E402

from qa.answer.calibration import load_calibration  # noqa: E402
from qa.answer.extract import score  # noqa: E402
from qa.evaluation.metrics import load_questions  # noqa: E402
from qa.models.cross import RANK  # noqa: E402
from qa.types import with_context  # noqa: E402

DEPTHS = (8, 16)
SHIFTS = (0.3, 0.5, 1.0)


def first_after_rerank(question, scores, texts, headed, ranker, cal) -> int:
    """The candidate `qa` puts first: the shipped score, then the ranker over the close ones."""
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    n = cal.to_read(scores[order])
    if n > 1:
        order = cal.rerank(order, scores, ranker.logits(question, [headed(i) for i in order[:n]])[:, RANK])
    return order[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    args = parser.parse_args()
    cal = load_calibration()
    sets = [
        (DEVSET / "docs", [q for g in GENRES for q in load_questions(DEVSET / f"{g}.jsonl") if q.answerable]),
        (args.bench / "corpus", [q for q in load_questions(args.bench / "questions.jsonl") if q.answerable]),
    ]
    table: dict[str, dict[str, list[bool]]] = {}
    costs: dict[str, list[float]] = {}
    for corpus, questions in sets:
        found, engine = collect(corpus, questions)
        snap, _ = engine.live()
        ranker, encoder = engine.models.cross_encoder("ranker"), engine.models.query_encoder
        for q, c, texts, right, miss in zip(found.questions, found.candidates, found.texts, found.right, found.misses):
            if not len(c.ids):
                continue
            ids = [int(i) for i in c.ids]
            paths = [snap.sentence(i).heading for i in ids]

            def headed(i: int, paths=paths, texts=texts) -> str:
                return with_context(paths[i], texts[i])

            base = score(c, cal, miss)
            got = {"shipped": bool(right[first_after_rerank(q.question, base, texts, headed, ranker, cal)])}
            best = [int(i) for i in np.argsort(-base, kind="stable")[: max(DEPTHS)]]
            started = time.perf_counter()
            vectors = encoder.embed([q.question] + [texts[i] for i in best])
            costs.setdefault(source_of(q), []).append(1000 * (time.perf_counter() - started))
            bare = vectors[1:] @ vectors[0]
            for depth in DEPTHS:
                gain = bare[:depth] - c.sentence_sim[best[:depth]]
                # "within": each gain less its section's mean gain (same document and heading path, among the
                # best K), so the shift reorders sentences under one heading and leaves sections' scores as they are
                groups: dict[tuple, list[int]] = {}
                for k, i in enumerate(best[:depth]):
                    groups.setdefault((snap.sentence(ids[i]).doc, paths[i]), []).append(k)
                centred = gain.copy()
                for members in groups.values():
                    centred[members] -= gain[members].mean()
                for s in SHIFTS:
                    for kind, values in (("", gain), ("max ", np.maximum(gain, 0)), ("within ", centred)):
                        shift = np.zeros(len(ids))
                        shift[best[:depth]] = values
                        top = first_after_rerank(q.question, base + s * shift, texts, headed, ranker, cal)
                        got[f"{kind}bare K={depth} S={s}"] = bool(right[top])
            group = table.setdefault(source_of(q), {})
            for name, hit in got.items():
                group.setdefault(name, []).append(hit)
    print_variants(table)
    print("\nms per question to embed the best", max(DEPTHS), "bare:", {k: round(float(np.median(v)), 1) for k, v in costs.items()})


if __name__ == "__main__":
    main()
