"""Speed and scale benchmark (not a test). One run prints one table; every ratio compares numbers taken
in this same run on this machine.

    .venv/bin/python eval/bench.py [--bench ../shared/bench/squad2-a] [--runs 5] [--no-scale] [--stores ...]

Rows: cold `qa ask` against `import sentence_transformers` and a plain sentence-transformers + FAISS
script (eval/baseline_st_faiss.py); `qa --help`; warm per-question latency against encoding the question
alone; whole `qa index` of split A into a new index folder against a bare sentence-transformers `encode` of the same texts; adding
one document against the full build; peak memory; split-A quality through ONNX against torch; and (unless
--no-scale) the 1M-vector rows of eval/bench_scale.py. Last, the store rows: split A and a 100k-sentence
corpus indexed and asked in the local store and in milvus-lite, with a fast stand-in encoder
(eval/bench_product.py's compare_stores; --stores local skips milvus-lite, which needs qa[scale]).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import load_settings
from qa.evaluation.metrics import Outcome, load_questions, percentile, summarize
from qa.ingest.chunking import ChunkSettings, chunk_corpus
from qa.ingest.loaders import load_corpus
from qa.service import Service
from qa.types import heading_at, with_context

PY = sys.executable
QA = str(Path(PY).parent / "qa")


def run(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    """(wall seconds, stdout) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, **(env or {})}
    )
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {err.strip()[-300:]}")
    return wall, out


def timed(cmd: list[str], runs: int, env: dict | None = None) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) over runs, measured with GNU time's %M where present."""
    walls, peaks = [], []
    for _ in range(runs):
        if Path("/usr/bin/time").exists():
            with tempfile.NamedTemporaryFile("r") as rss:
                wall, _ = run(["/usr/bin/time", "-o", rss.name, "-f", "%M", *cmd], env)
                peaks.append(int(rss.read().strip().splitlines()[-1]) / 1024)
        else:
            wall, _ = run(cmd, env)
        walls.append(wall)
    return statistics.median(walls), max(peaks) if peaks else float("nan")


class TimedReader:
    """One of the engine's cross-encoders, timed: seconds spent reading, pairs read."""

    def __init__(self, model) -> None:
        self.model, self.seconds, self.pairs = model, 0.0, 0

    def logits(self, question, sentences):
        started = time.perf_counter()
        out = self.model.logits(question, sentences)
        self.seconds += time.perf_counter() - started
        self.pairs += len(sentences)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--stores", default="local,milvus-lite", help="stores of the last table (comma-separated)")
    parser.add_argument("--store-sizes", default="100000", help="docstring corpora of the last table (sentences)")
    args = parser.parse_args()
    bench = Path(args.bench)
    rows: list[tuple[str, str, str, str]] = []  # (what, qa, baseline, ratio)
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    env = {"QA_INDEX_DIR": str(work / "idx")}
    try:
        # --- cold start on the seeds (index built first, not timed) ---
        run([QA, "index", str(ROOT / "seeds")], env)
        ask_s, ask_mb = timed([QA, "ask", "What gift did Kim give?", "--json"], args.runs, env)
        imp_s, imp_mb = timed([PY, "-c", "import sentence_transformers"], args.runs)
        version = next((work / "idx").glob("seeds-*/v-*"))
        base_s, base_mb = timed(
            [PY, str(ROOT / "eval" / "baseline_st_faiss.py"), str(version), "What gift did Kim give?"], args.runs
        )
        help_s, _ = timed([QA, "--help"], args.runs)
        rows += [
            ("cold `qa ask` (s, median)", f"{ask_s:.2f}", f"import s-t {imp_s:.2f}", f"{ask_s / imp_s:.2f}×"),
            ("cold answer vs plain s-t + FAISS script (s)", f"{ask_s:.2f}", f"{base_s:.2f}", f"{ask_s / base_s:.2f}×"),
            ("peak RSS of one cold answer (MB)", f"{ask_mb:.0f}", f"{base_mb:.0f}", f"{ask_mb / base_mb:.2f}×"),
            ("`qa --help` (s, median)", f"{help_s:.2f}", "", ""),
        ]

        # --- indexing split A: whole command vs bare encode of the same texts ---
        corpus = work / "corpus"
        shutil.copytree(bench / "corpus", corpus)
        # into a new index folder; the user's ONNX export already exists (made by the seeds' index above)
        first_s, out = run([QA, "index", str(corpus), "--json"], env)
        report = json.loads(out)
        again_s, _ = run([QA, "index", str(corpus), "--force", "--json"], env)
        texts_file = work / "texts.txt"
        service = Service(load_settings(corpus=str(corpus), index_dir=env["QA_INDEX_DIR"]))
        docs, _ = load_corpus(corpus)
        chunks = chunk_corpus(docs, ChunkSettings(), service.models.embedder.count_tokens)
        # what qa index embeds: each sentence and passage after its heading path (split A: its article's title)
        sections = {doc.path: doc.sections for doc in docs}
        texts = [with_context(heading_at(sections[u.doc], u.start), u.text) for u in chunks.sentences + chunks.passages]
        assert len(texts) == report["embedded"], (len(texts), report["embedded"])
        texts_file.write_text("\n".join(t.replace("\n", " ") for t in texts) + "\n")
        _, rate = run([PY, str(ROOT / "eval" / "baseline_st_faiss.py"), "--encode", str(texts_file)])
        bare = float(rate)
        qa_rate = report["embedded"] / first_s
        rows += [
            (
                "`qa index` split A into a new index folder, whole command (texts/s)",
                f"{qa_rate:.0f}",
                f"bare encode {bare:.0f}",
                f"{qa_rate / bare:.2f}×",
            ),
            ("  the same, rebuilt with --force (texts/s)", f"{report['embedded'] / again_s:.0f}", "", ""),
        ]
        doc = corpus / "zz_added.txt"
        doc.write_text(
            (bench / "corpus" / "Normans__01.txt").read_text() + "\n\nA paragraph added for the benchmark. It is new.\n"
        )
        add_s, _ = run([QA, "index", str(corpus), "--json"], env)
        rows.append(("add one document (s) vs full build", f"{add_s:.2f}", f"{again_s:.1f}", f"{add_s / again_s:.1%}"))

        # --- warm latency and quality: ONNX vs torch question encoders ---
        questions = load_questions(bench / "questions.jsonl")
        results = {}
        for backend in ("onnx", "torch"):
            engine = Service(load_settings(corpus=str(bench / "corpus"), index_dir=env["QA_INDEX_DIR"], backend=backend))
            engine.live()
            encoder = engine.models.query_encoder
            encoder.embed(["warm-up"])
            engine.ask("warm-up question?")
            timers = []
            for name in ("reader", "ranker"):  # the service reads through timing wrappers from here on
                timers.append(TimedReader(engine.models.cross_encoder(name)))
                engine.models.use(name, timers[-1])
            outcomes, ask_ms, enc_ms, read_ms = [], [], [], []
            for q in questions:
                t0 = time.perf_counter()
                encoder.embed([q.question])
                t1 = time.perf_counter()
                before = sum(t.seconds for t in timers)
                r = engine.ask(q.question)
                t2 = time.perf_counter()
                enc_ms.append((t1 - t0) * 1000)
                ask_ms.append((t2 - t1) * 1000)
                read_ms.append((sum(t.seconds for t in timers) - before) * 1000)
                outcomes.append(
                    Outcome(q, [s.sentence.text for s in r.sentences], r.answered, r.confidence, ask_ms[-1])
                )
            results[backend] = tuple([summarize(outcomes)] + [percentile(ms, 0.5) for ms in (ask_ms, enc_ms, read_ms)])
            results[backend] += (sum(t.pairs for t in timers) / len(questions),)
        onnx, torch_ = results["onnx"], results["torch"]
        rows += [
            (
                "warm question p50, all included (ms)",
                f"{onnx[1]:.2f}",
                f"encode alone {onnx[2]:.2f}",
                f"{onnx[1] / onnx[2]:.2f}×",
            ),
            (
                f"  of which the reader and ranker (ms, p50; {onnx[4]:.2f} pairs read per question on average)",
                f"{onnx[3]:.2f}",
                "",
                f"{onnx[3] / onnx[1]:.0%} of the question",
            ),
            (
                "warm question p50 (ms), ONNX vs torch path",
                f"{onnx[1]:.2f}",
                f"{torch_[1]:.2f}",
                f"{onnx[1] / torch_[1]:.2f}×",
            ),
            (
                "split A ans@1, ONNX vs torch",
                f"{onnx[0]['ans@1']:.3f}",
                f"{torch_[0]['ans@1']:.3f}",
                f"{(onnx[0]['ans@1'] - torch_[0]['ans@1']) * 100:+.1f} pt",
            ),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("| measure | qa | baseline | ratio |\n|---|---|---|---|")
    for what, a, b, r in rows:
        print(f"| {what} | {a} | {b} | {r} |")
    if not args.no_scale:
        print()
        subprocess.run(
            [PY, str(ROOT / "eval" / "bench_scale.py"), "--sizes", "1000000", "--nprobes", "32,64"], check=True
        )
    if args.stores != "local":
        from bench_product import compare_stores

        sizes = [int(s) for s in args.store_sizes.split(",") if s]
        print("\nStores (stand-in encoder; warm p50 over the first 200 split-A questions):\n")
        print(compare_stores(bench, sizes, max(1, args.runs // 2), 200, args.stores.split(",")))


if __name__ == "__main__":
    main()
