"""Scale benchmark (not a test): exact vs ANN search over 100k and 1M sentence vectors.

    .venv/bin/python eval/bench_scale.py [--sizes 100000,1000000] [--bench ../shared/bench/squad2-a]

Vectors with the structure of real embeddings: each is a random mix of two real MiniLM vectors of split A
(its sentences and passages, from the `qa` index) plus Gaussian noise, normalised; seeded. Queries are the
1,200 split-A evaluation questions embedded by qa's own question encoder. For each size it reports build
time, index bytes, resident memory after a memory-mapped load, single-thread p50/p95 latency per query and
recall@10 against exact search, for exact search and for the ANN index qa builds above its threshold
(IVF with float16 scalar-quantised vectors) at several nprobe values.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import load_settings
from qa.evaluation.metrics import load_questions, percentile
from qa.service import Service
from qa.store.local import ann_index, flat_index


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def synthesize(base: np.ndarray, n: int, seed: int = 0, noise: float = 0.03) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        m = min(step, n - start)
        i, j = rng.integers(0, len(base), m), rng.integers(0, len(base), m)
        a = rng.uniform(0.5, 1.0, (m, 1)).astype(np.float32)
        v = a * base[i] + (1 - a) * base[j] + rng.normal(0, noise, (m, base.shape[1])).astype(np.float32)
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def timed_search(index, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, list[float]]:
    import faiss

    faiss.omp_set_num_threads(1)  # one question at a time, as qa answers
    ids, times = [], []
    for q in queries:
        started = time.perf_counter()
        _, found = index.search(q.reshape(1, -1), k)
        times.append((time.perf_counter() - started) * 1000)
        ids.append(found[0])
    return np.array(ids), times


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth)]))


def main() -> None:
    import faiss

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--nprobes", default="16,32,64,128")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--noise", type=float, default=0.03, help="Gaussian noise per dimension")
    args = parser.parse_args()
    bench = Path(args.bench)
    engine = Service(load_settings(corpus=str(bench / "corpus")))
    index, _ = engine.live()
    base = np.concatenate(
        [
            index.sentence_vectors(list(range(index.n_sentences))),
            index.passage_vectors(list(range(index.n_passages))),
        ]
    )
    questions = [q.question for q in load_questions(bench / "questions.jsonl")][: args.queries]
    queries = engine.models.query_encoder.embed(questions)
    print(
        f"{len(base)} real base vectors, noise {args.noise}/dim; {len(queries)} real question vectors;"
        f" faiss {faiss.__version__}\n"
    )
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        vectors = synthesize(base, n, noise=args.noise)
        faiss.omp_set_num_threads(2)
        exact = flat_index(vectors, vectors.shape[1])
        _, truth = exact.search(queries, 10)
        found, times = timed_search(exact, queries)
        rows.append((n, "exact (flat, float32)", "-", 0.0, n * vectors.shape[1] * 4, recall(found, truth), times))
        del exact
        faiss.omp_set_num_threads(2)
        started = time.perf_counter()
        ann = ann_index(vectors, vectors.shape[1])
        build_s = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ann.faiss"
            faiss.write_index(ann, str(path))
            size = path.stat().st_size
            del ann
            before = rss_mb()
            loaded = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)
            for nprobe in [int(p) for p in args.nprobes.split(",")]:
                loaded.nprobe = nprobe
                found, times = timed_search(loaded, queries)
                label = f"IVF{loaded.nlist},SQfp16 mmap"
                rows.append((n, label, str(nprobe), build_s, size, recall(found, truth), times))
            resident = rss_mb() - before
            rows.append((n, "  resident memory after the searches (MB)", "", 0.0, 0, float("nan"), [resident]))
            del loaded
        del vectors
    print("| vectors | index | nprobe | build s | index MB | recall@10 | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for n, label, nprobe, build_s, size, rec, times in rows:
        if label.startswith("  resident"):
            print(f"| {n:,} | {label.strip()} | | | {times[0]:.0f} | | | |")
            continue
        print(
            f"| {n:,} | {label} | {nprobe} | {build_s:.1f} | {size / 2**20:.0f} | {rec:.3f} |"
            f" {percentile(times, 0.5):.2f} | {percentile(times, 0.95):.2f} |"
        )


if __name__ == "__main__":
    main()
