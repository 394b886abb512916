"""Experiment (not a test, nothing shipped): would a learned linear reordering of the best candidates beat the
shipped rule (score + rank_weight x rank logit over the close ones)?

    .venv/bin/python eval/experiment_learned_rerank.py [--bench ../shared/bench/squad2-a]   # about 12 minutes

For every answerable question, its best K candidates under the shipped score, each with its features: the
score, its parts (sentence and passage similarity, lexical coverage, type miss), the ranker's and the reader's
logits, its gap to the best score and whether it is first. The logits are out of fold for SQuAD train
(eval/results/*_oof.json) and from the shipped models for the development set and split A, which they never
saw. A softmax over the K candidates, linear in the standardised features (L2 1e-2, L-BFGS), is fitted to put
probability on those holding a gold answer, on SQuAD train and the development set with half the weight each;
each genre is scored by a model fitted without it (leave one genre out), split A by one fitted on everything.
Prints ans@1 "learned / shipped rule" per set and feature set, and the share of questions with a gold answer
among the K (the ceiling)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from fit_calibration import (  # noqa: E402
    GENRES,
    OOF_FILE,
    RANKER_OOF_FILE,
    collect,
    devset_pool,
    sentence_key,
    source_of,
    training_set,
)  # fmt: skip

from qa.answer.calibration import load_calibration  # noqa: E402
from qa.answer.extract import score  # noqa: E402
from qa.evaluation.metrics import load_questions  # noqa: E402
from qa.models.cross import ANSWER, RANK  # noqa: E402
from qa.types import with_context  # noqa: E402

K = 6
FEATURES = ["score", "sentence", "passage", "lexical", "type miss", "rank logit", "reader logit", "gap", "first"]
VARIANTS = {
    "score + rank logit": [0, 5],
    "score + rank and reader logits": [0, 5, 6],
    "score's parts + both logits": [0, 1, 2, 3, 4, 5, 6],
    "all nine": list(range(9)),
}


def rows_of(found, ranking: dict, reading: dict, cal, source: str | None = None) -> list[dict]:
    out = []
    for q, c, texts, right, miss in zip(found.questions, found.candidates, found.texts, found.right, found.misses):
        if not q.answerable or not len(c.ids):
            continue
        s = score(c, cal, miss)
        order = [int(i) for i in np.argsort(-s, kind="stable")][:K]
        try:
            rank = [ranking[q.id][sentence_key(texts[i])][RANK] for i in order]
            read = [reading[q.id][sentence_key(texts[i])] for i in order]
        except KeyError:
            continue  # a candidate without a logit (the out-of-fold files hold each question's best six)
        f = [
            [s[i], c.sentence_sim[i], c.passage_sim[i], c.lexical[i], miss[i], rank[j], read[j], s[order[0]] - s[i], j == 0]
            for j, i in enumerate(order)
        ]
        out.append(
            dict(source=source or source_of(q), f=np.array(f, float), y=np.array([bool(right[i]) for i in order]),
                 n=cal.to_read(s[order]))
        )  # fmt: skip
    return out


def shipped(row: dict, weight: float) -> bool:
    """The first candidate as qa orders them: score + weight x rank logit over the n it reads."""
    order, n, f = list(range(len(row["y"]))), row["n"], row["f"]
    if n > 1:
        head = order[:n]
        order = [head[i] for i in np.argsort(-(f[head, 0] + weight * f[head, 5]), kind="stable")] + order[n:]
    return bool(row["y"][order[0]])


def fit(rows: list[dict], cols: list[int], l2: float = 1e-2):
    """A linear softmax over each question's candidates; returns a function row -> first is right."""
    stacked = np.vstack([r["f"][:, cols] for r in rows])
    mu, sd = stacked.mean(0), stacked.std(0) + 1e-9
    squad = sum(r["source"] == "train" for r in rows)
    dev = len(rows) - squad
    weights = [1.0 if r["source"] == "train" else squad / max(dev, 1) for r in rows]
    used = [(w, (r["f"][:, cols] - mu) / sd, r["y"]) for w, r in zip(weights, rows) if r["y"].any()]

    def loss(w: np.ndarray):
        total, grad = 0.0, np.zeros_like(w)
        for weight, x, y in used:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            hit = p[y].sum()
            total -= weight * np.log(hit + 1e-12)
            grad -= weight * (x.T @ (np.where(y, p, 0) / (hit + 1e-12) - p))
        return total / len(used) + l2 * w @ w, grad / len(used) + 2 * l2 * w

    w = minimize(loss, np.zeros(len(cols)), jac=True, method="L-BFGS-B").x
    return lambda r: bool(r["y"][int(np.argmax(((r["f"][:, cols] - mu) / sd) @ w))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    args = parser.parse_args()
    cal = load_calibration()
    ranking = json.loads(RANKER_OOF_FILE.read_text())["logits"]
    reading = json.loads(OOF_FILE.read_text())["logits"]
    rows = rows_of(training_set(args.bench), ranking, reading, cal, "train")
    dev, dev_reading, dev_ranking = devset_pool()
    rows += rows_of(dev, dev_ranking, dev_reading, cal)
    split_a, engine = collect(args.bench / "corpus", [q for q in load_questions(args.bench / "questions.jsonl") if q.answerable])
    snapshot, _ = engine.live()
    reader, ranker = engine.models.cross_encoder("reader"), engine.models.cross_encoder("ranker")
    a_rank: dict[str, dict] = {}
    a_read: dict[str, dict] = {}
    for q, c, texts, miss in zip(split_a.questions, split_a.candidates, split_a.texts, split_a.misses):
        if not texts:
            continue
        order = [int(i) for i in np.argsort(-score(c, cal, miss), kind="stable")][:K]
        shown = [with_context(snapshot.sentence(int(c.ids[i])).heading, texts[i]) for i in order]
        rank, read = ranker.logits(q.question, shown)[:, RANK], reader.logits(q.question, [texts[i] for i in order])[:, ANSWER]
        a_rank[q.id] = {sentence_key(texts[i]): [0.0, float(v)] for i, v in zip(order, rank)}
        a_read[q.id] = {sentence_key(texts[i]): float(v) for i, v in zip(order, read)}
    rows += rows_of(split_a, a_rank, a_read, cal, "split A")
    sets = [*GENRES, "split A"]
    print("| features | " + " | ".join(sets) + " |")
    print("|---|" + "---|" * len(sets))
    for name, cols in VARIANTS.items():
        cells = []
        for held in sets:
            fitted = [r for r in rows if r["source"] != held and r["source"] != "split A"]
            learned = fit(fitted, cols)
            test = [r for r in rows if r["source"] == held]
            cells.append(f"{np.mean([learned(r) for r in test]):.3f} / {np.mean([shipped(r, cal.rank_weight) for r in test]):.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    ceiling = [f"{np.mean([r['y'].any() for r in rows if r['source'] == s]):.3f}" for s in sets]
    print(f"| a gold answer among the best {K} | " + " | ".join(ceiling) + " |")


if __name__ == "__main__":
    main()
