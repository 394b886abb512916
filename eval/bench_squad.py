"""Benchmark (not a test): `qa eval` on the SQuAD 2.0 split-A evaluation questions, beside three retrieval
baselines measured in the same run: dense (MiniLM sentence vectors only), BM25 over stemmed sentence terms, and
their hybrid by reciprocal rank fusion (RRF, k = 60). The baselines always answer.

    .venv/bin/python eval/bench_squad.py [--bench ../shared/bench/squad2-a]

Prints a markdown table. The qa row runs the real CLI (`qa eval --json`) in a subprocess; the
baseline row runs in this process on the same index with every extra signal switched off.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answer.calibration import Calibration
from qa.config import load_settings
from qa.evaluation.metrics import Outcome, load_questions, summarize
from qa.evaluation.runner import measure
from qa.retrieve.lexical import LexicalIndex
from qa.service import Service

COLUMNS = [
    ("ans@1", "ans@1"),
    ("ans@3", "ans@3"),
    ("ans@5", "ans@5"),
    ("mrr@10", "MRR@10"),
    ("gold_sentence@1", "gold@1"),
    ("end_to_end_accuracy", "end-to-end"),
    ("confidence_auroc", "conf. AUROC"),
    ("calibration_error", "ECE"),
    ("abstention_unanswerable", "abstain (unans.)"),
    ("false_abstention", "false abstain"),
    ("latency_p50_ms", "p50 ms"),
    ("latency_p95_ms", "p95 ms"),
]


def dense_baseline(bench: Path) -> dict:
    """Sentence vectors only: no passage context, no lexical or answer-type signal."""
    plain = Calibration(passage_weight=0.0, lexical_weight=0.0, type_weight=0.0, threshold=0.0)  # always answers
    engine = Service(load_settings(corpus=str(bench / "corpus")), calibration=plain)
    engine.live()
    outcomes = [measure(engine.ask, q)[1] for q in load_questions(bench / "questions.jsonl")]
    return summarize(outcomes)


RRF_K = 60
DEPTH = 100  # how deep each ranking is read before fusing (only the top 10 are scored)


def lexical_baselines(bench: Path) -> dict[str, dict]:
    """BM25 alone and RRF(BM25, dense) over all sentences, each question timed (the hybrid's time includes
    encoding the question). Their confidence is the top sentence's raw score: its AUROC is meaningful, a
    calibration error is not (reported as nan)."""
    engine = Service(load_settings(corpus=str(bench / "corpus")))
    index, _ = engine.live()
    stats, encoder = LexicalIndex(index.lexical()), engine.models.query_encoder
    text = index.texts(list(range(index.n_sentences)))
    encoder.embed(["warm up"])
    bm25_rows, hybrid_rows = [], []
    for q in load_questions(bench / "questions.jsonl"):
        started = time.perf_counter()
        lexical = stats.search(q.question, DEPTH)[0].tolist()
        bm25_ms = (time.perf_counter() - started) * 1000
        dense, _ = index.search_sentences(encoder.embed([q.question])[0], DEPTH)
        fused: dict[int, float] = {}
        for ranking in (lexical, [int(i) for i in dense]):
            for rank, i in enumerate(ranking, 1):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
        hybrid = sorted(fused, key=lambda i: (-fused[i], i))
        hybrid_ms = (time.perf_counter() - started) * 1000
        top_bm25 = float(stats.bm25(q.question)[lexical[0]]) if lexical else 0.0  # untimed: only for the AUROC
        bm25_rows.append(Outcome(q, [text[i] for i in lexical[:10]], True, top_bm25, bm25_ms))
        hybrid_rows.append(
            Outcome(q, [text[i] for i in hybrid[:10]], True, fused[hybrid[0]] if hybrid else 0.0, hybrid_ms)
        )
    out = {}
    for name, rows in (
        ("BM25 (stemmed) sentences, always answers (baseline)", bm25_rows),
        ("hybrid RRF(k=60) of BM25 and dense, always answers (baseline)", hybrid_rows),
    ):
        summary = summarize(rows)
        summary["calibration_error"] = math.nan
        out[name] = summary
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    args = parser.parse_args()
    bench = Path(args.bench)
    command = [
        str(Path(sys.executable).parent / "qa"),
        "eval",
        str(bench / "questions.jsonl"),
        "--corpus",
        str(bench / "corpus"),
        "--json",
    ]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        sys.exit(f"qa eval failed: {run.stderr.strip()}")
    rows = {
        "dense MiniLM sentences, always answers (baseline)": dense_baseline(bench),
        **lexical_baselines(bench),
        "qa": json.loads(run.stdout),
    }
    print(
        f"SQuAD 2.0 split A, {rows['qa']['questions']} evaluation questions ({rows['qa']['unanswerable']} unanswerable)\n"
    )
    print("| system | " + " | ".join(label for _, label in COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for name, m in rows.items():
        cells = [
            "-" if math.isnan(m[k]) else f"{m[k]:.1f}" if k.startswith("latency") else f"{m[k]:.3f}" for k, _ in COLUMNS
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
