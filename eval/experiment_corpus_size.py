"""Experiment (not a test): does the confidence need to know how large the corpus is?

    .venv/bin/python eval/experiment_corpus_size.py [--bench ../shared/bench/squad2-a] [--out DIR]

On a corpus of one short document (the seed article, a folder of personal files) the confidence is too low:
nearly every answer given is right, at a mean confidence near 0.75. The calibration was fitted on SQuAD train
asked of SQuAD's whole corpus (126 files, about 3,100 units), so this asks the same training questions of
smaller corpora cut from that corpus: each question's own file alone, its file among 5 and among 25 (the files
dealt into groups at random, seed 7), and the whole corpus. For each it prints the reliability (mean
confidence against the share right, weighted to two answerable questions in three as the fit is), the ECE,
and fits one number by maximum likelihood on all four: a shift of the confidence's logit by w × ln(units /
units of the whole corpus). Then it asks the seed questions, the personal files', the everyday files', the
charters' and the development set's four genres (each of its own corpus, as `qa eval` does), and reports
their ECE, answers given and how many of them are right, and unanswerable questions answered, without the
shift and with it. The files copied for the groups and the indexes go to --out (a temporary folder by
default). About 8 minutes on 2 cores; nothing in qa changes.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from qa.answer import calibration as calibration_module  # noqa: E402
from qa.config import load_settings  # noqa: E402
from qa.evaluation.metrics import calibration_error, holds_answer  # noqa: E402
from qa.service import Service  # noqa: E402

PRIOR = 2 / 3  # the answerable share the calibration is fitted for
PROBES = {
    "seed article": (ROOT / "eval" / "seed_questions.jsonl", ROOT / "seeds"),
    "personal files": (ROOT / "eval" / "personal" / "questions.jsonl", ROOT / "eval" / "personal" / "docs"),
    "everyday files": (ROOT / "eval" / "everyday" / "questions.jsonl", ROOT / "eval" / "everyday" / "docs"),
    "charters": (ROOT / "eval" / "charters" / "questions.jsonl", ROOT / "eval" / "charters" / "docs"),
    **{
        genre: (ROOT / "eval" / "devset" / f"{name}.jsonl", ROOT / "eval" / "devset" / "docs")
        for genre, name in (("technical docs", "tech"), ("prose", "prose"), ("PDF manuals", "manuals"), ("FAQs", "faq"))
    },
}


def asked(questions: list[dict], corpus: Path, index_dir: Path | None = None) -> list[dict]:
    """Each question asked of the corpus: its confidence, whether the top sentence holds an answer, and how many
    units the index holds."""
    kwargs = {"corpus": str(corpus)}
    if index_dir is not None:
        kwargs["index_dir"] = str(index_dir)
    service = Service(load_settings(**kwargs))
    service.ensure_index()
    units = service.stats()["sentences"]
    rows = []
    for q in questions:
        result = service.ask(q["question"])
        top = result.sentences[0].sentence.text if result.sentences else ""
        rows.append(
            {
                "answerable": bool(q["answers"]),
                "right": bool(q["answers"]) and holds_answer(top, q["answers"]),
                "confidence": result.confidence,
                "units": units,
            }
        )
    service.close()
    return rows


def weights(rows: list[dict]) -> np.ndarray:
    answerable = np.array([r["answerable"] for r in rows])
    share = answerable.mean()
    if share in (0.0, 1.0):
        return np.ones(len(rows))
    return np.where(answerable, PRIOR / share, (1 - PRIOR) / (1 - share))


def shifted(rows: list[dict], w: float, reference: float) -> np.ndarray:
    c = np.clip(np.array([r["confidence"] for r in rows]), 1e-6, 1 - 1e-6)
    z = np.log(c / (1 - c)) + w * np.log(np.array([r["units"] for r in rows]) / reference)
    return 1 / (1 + np.exp(-z))


def ece(conf: np.ndarray, right: np.ndarray, weight: np.ndarray) -> float:
    return calibration_error(conf.tolist(), right.astype(bool).tolist(), weight.tolist())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    parser.add_argument("--out", type=Path, default=None, help="where the groups' files and indexes go")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="qa-corpus-size-"))
    corpus = args.bench / "corpus"
    train = [json.loads(line) for line in (args.bench / "train.jsonl").open()]
    files = sorted(p.name for p in corpus.iterdir())
    conditions: dict[str, list[dict]] = {}
    for size in (1, 5, 25, len(files)):
        order = files[:]
        random.Random(7).shuffle(order)
        group = {name: i // size for i, name in enumerate(order)}
        by_group = collections.defaultdict(list)
        for q in train:
            by_group[0 if size == len(files) else group[q["doc"]]].append(q)
        rows = []
        for g, questions in sorted(by_group.items()):
            if size == len(files):
                rows += asked(questions, corpus, out / "index" / "all")
                continue
            folder = out / f"files{size}" / str(g)
            folder.mkdir(parents=True, exist_ok=True)
            for name, at in group.items():
                if at == g:
                    shutil.copy(corpus / name, folder / name)
            rows += asked(questions, folder, out / "index" / f"files{size}-{g}")
        conditions[f"{size} file{'s' if size > 1 else ''}"] = rows
    reference = float(conditions[f"{len(files)} files"][0]["units"])
    print(f"SQuAD train ({len(train)} questions), reweighted to {PRIOR:.2f} answerable")
    print("| corpus | median units | mean confidence | share right | ECE |")
    print("|---|---|---|---|---|")
    for name, rows in conditions.items():
        w = weights(rows)
        conf = np.array([r["confidence"] for r in rows])
        right = np.array([r["right"] for r in rows], dtype=float)
        units = int(np.median([r["units"] for r in rows]))
        print(f"| {name} | {units} | {np.average(conf, weights=w):.3f} | {np.average(right, weights=w):.3f} | {ece(conf, right, w):.3f} |")
    pooled = [r for rows in conditions.values() for r in rows]
    pw, pr = weights(pooled), np.array([r["right"] for r in pooled], dtype=float)

    def loss(w: float) -> float:
        p = shifted(pooled, w, reference)
        return float(-(pw * (pr * np.log(p) + (1 - pr) * np.log(1 - p))).sum() / pw.sum())

    fitted = min((k / 100 for k in range(-100, 101)), key=lambda w: (loss(w), abs(w)))
    print(f"\nw = {fitted:+.2f} per ln(units / {reference:.0f}) (maximum likelihood; log loss {loss(0):.4f} -> {loss(fitted):.4f})")
    threshold = calibration_module.load_calibration().threshold
    print("\n| set | units | ECE without / with | answered without / with | right without / with | unanswerable answered without / with |")
    print("|---|---|---|---|---|---|")
    for name, (questions_file, folder) in PROBES.items():
        if not folder.is_dir():
            print(f"| {name} | (missing: build it first) | | | | |")
            continue
        rows = asked([json.loads(line) for line in questions_file.open()], folder)
        right = np.array([r["right"] for r in rows], dtype=float)
        unanswerable = np.array([not r["answerable"] for r in rows])
        cells = []
        for w in (0.0, fitted):
            conf = shifted(rows, w, reference)
            given = conf >= threshold
            cells.append((ece(conf, right, np.ones(len(rows))), int(given.sum()), int((given & (right > 0)).sum()), int((given & unanswerable).sum())))
        (e0, g0, r0, u0), (e1, g1, r1, u1) = cells
        print(f"| {name} | {rows[0]['units']} | {e0:.3f} / {e1:.3f} | {g0} / {g1} | {r0} / {r1} | {u0} / {u1} |")
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
