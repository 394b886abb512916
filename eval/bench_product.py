"""Product-level scale benchmark (not a test): the whole `qa` command at growing corpus sizes, with a fast
stand-in encoder (eval/make_standin_encoder.py) so that the rows time everything but the encoder.

    .venv/bin/python eval/bench_product.py [--sizes 3000,30000,100000] [--runs 5] [--questions 300]
                                           [--stores local,milvus-lite]

Corpora of real text: split A of the benchmark (Wikipedia, about 3.1k sentences) and, at each size, the
docstrings of the Python modules installed beside qa (the standard library first, then site-packages in name
order), one text file per module, added until the chunker counts the wanted number of sentences. Per corpus:
`qa index` into a new index folder (wall seconds, peak RSS), cold `qa ask` (median over processes, each of
five questions asked --runs times; peak RSS) and the warm per-question p50 of `qa eval` over the first
--questions split-A questions. Ratios are against split A, measured in the same run. Last, the freshness check
over --files small files. With milvus-lite among --stores (needs qa[scale]), every corpus is measured in
both stores, the Milvus rows beside the local ones (`compare_stores`, which eval/bench.py prints too)."""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from make_standin_encoder import make

from qa.ingest.chunking import chunk_document
from qa.ingest.formats.text import parse_document

PY = sys.executable
QA = str(Path(PY).parent / "qa")
QUESTIONS = (  # for the cold runs; whether the ranker must load depends on the question, so several are asked
    "Who was the Norse leader?",
    "What does the function return?",
    "When was the treaty signed?",
    "How many people live in the city?",
    "What is the default value?",
)


def run(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one child process."""
    with tempfile.NamedTemporaryFile("r") as rss:
        started = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-o", rss.name, "-f", "%M", *cmd],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            cwd=ROOT,
        )
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-400:]}")
        return wall, int(rss.read().strip().splitlines()[-1]) / 1024, proc.stdout


def docstring_files() -> list[tuple[str, str]]:
    """(name, text) per module with docstrings: the standard library, then site-packages, sorted."""
    roots = [Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"])]
    seen = set()
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root)
            if "site-packages" in rel.parts[:-1] and root == roots[0] or {"test", "tests"} & set(rel.parts):
                continue
            if path in seen:
                continue
            seen.add(path)
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue
            docs = [
                ast.get_docstring(node)
                for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            text = "\n\n".join(d for d in docs if d and len(d) > 40)
            if text:
                yield "__".join(rel.with_suffix("").parts), text


def docstring_corpus(folder: Path, sentences: int) -> tuple[int, int]:
    """Write module docstring files into `folder` until about `sentences` sentences; (files, sentences)."""
    folder.mkdir(parents=True)
    count = files = 0
    for name, text in docstring_files():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        count += len(chunk_document(parse_document(name, text.encode()))[0])
        files += 1
        if count >= sentences:
            break
    return files, count


def measure(corpus: Path, index_dir: Path, env: dict, runs: int, questions: Path) -> dict:
    env = {**env, "QA_INDEX_DIR": str(index_dir)}  # a new index folder per corpus
    index_s, index_mb, out = run([QA, "index", str(corpus), "--json"], env)
    report = json.loads(out)
    asks = [run([QA, "ask", q, "--corpus", str(corpus), "--json"], env) for _ in range(runs) for q in QUESTIONS]
    _, _, out = run([QA, "eval", str(questions), "--corpus", str(corpus), "--json"], env)
    return {
        "sentences": report["sentences"],
        "documents": report["documents"],
        "embedded": report["embedded"],
        "index_s": index_s,
        "index_mb": index_mb,
        "cold_s": statistics.median(a[0] for a in asks),
        "cold_mb": max(a[1] for a in asks),
        "warm_ms": json.loads(out)["latency_p50_ms"],
    }


def freshness(folder: Path, files: int, runs: int = 3) -> float:
    """Median seconds of one freshness check over a corpus of `files` small files (100 folders)."""
    from qa.ingest.freshness import file_state, relative, unchanged

    for i in range(files):
        sub = folder / f"d{i % 100:02}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{i}.txt").write_text(f"File {i} holds one sentence.")
    recorded = {}
    for path in folder.rglob("*.txt"):
        recorded[relative(folder, path)] = {**file_state(path), "sha256": "unused: mtimes match"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        assert unchanged(folder, recorded)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def standin_env(work: Path) -> dict:
    """The environment that runs qa with the stand-in encoder, its export made once (as a user's cache
    holds it) before anything is timed."""
    encoder = make(work / "standin-encoder")
    env = {
        "QA_MODEL": str(encoder),
        "QA_CALIBRATION": str(encoder / "calibration.json"),
        "QA_CACHE_DIR": str(work / "cache"),
        "OMP_NUM_THREADS": "1",
    }
    run([QA, "index", str(ROOT / "seeds"), "--json"], {**env, "QA_INDEX_DIR": str(work / "idx-seeds")})
    return env


def compare_stores(bench: Path, sizes: list[int], runs: int, questions: int, stores: list[str]) -> str:
    """The table of split A and docstring corpora of `sizes` sentences, indexed and asked in each store."""
    work = Path(tempfile.mkdtemp(prefix="qa-stores-"))
    try:
        env = standin_env(work)
        asked = work / "questions.jsonl"
        asked.write_text("\n".join((bench / "questions.jsonl").read_text().splitlines()[:questions]) + "\n")
        corpora = [("split A", bench / "corpus")]
        for size in sizes:
            docstring_corpus(work / f"docstrings-{size}", size)
            corpora.append((f"docstrings {size // 1000}k", work / f"docstrings-{size}"))
        rows = []
        for name, corpus in corpora:
            for store in stores:
                chosen = {**env, "QA_STORE": "local" if store == "local" else str(work / f"{name[:5]}.db")}
                rows.append((name, store, measure(corpus, work / f"idx-{len(rows)}", chosen, runs, asked)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = [
        "| corpus | store | sentences | `qa index` s | texts/s | index RSS MB | cold `qa ask` s | ask RSS MB"
        " | warm p50 ms | × local |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    local = {name: r for name, store, r in rows if store == "local"}
    for name, store, r in rows:
        ratio = f"{r['warm_ms'] / local[name]['warm_ms']:.2f}×" if name in local else ""
        out.append(
            f"| {name} | {store} | {r['sentences']} | {r['index_s']:.1f} | {r['embedded'] / r['index_s']:.0f}"
            f" | {r['index_mb']:.0f} | {r['cold_s']:.2f} | {r['cold_mb']:.0f} | {r['warm_ms']:.1f} | {ratio} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    parser.add_argument("--sizes", default="3000,30000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--files", type=int, default=100_000, help="files for the freshness check (0: skip)")
    parser.add_argument("--stores", default="local", help="local and/or milvus-lite (comma-separated)")
    args = parser.parse_args()
    stores = args.stores.split(",")
    if stores != ["local"]:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        print(compare_stores(Path(args.bench), sizes, args.runs, args.questions, stores))
        return
    work = Path(tempfile.mkdtemp(prefix="qa-product-"))
    try:
        env = standin_env(work)
        lines = (Path(args.bench) / "questions.jsonl").read_text().splitlines()[: args.questions]
        questions = work / "questions.jsonl"
        questions.write_text("\n".join(lines) + "\n")
        rows = [("split A", measure(Path(args.bench) / "corpus", work / "idx-split-a", env, args.runs, questions))]
        for size in (int(s) for s in args.sizes.split(",")):
            docstrings = work / f"docstrings-{size}"
            docstring_corpus(docstrings, size)
            row = measure(docstrings, work / f"idx-{size}", env, args.runs, questions)
            rows.append((f"docstrings {size // 1000}k", row))
        check = freshness(work / "many-files", args.files) if args.files else None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = rows[0][1]
    print(
        "| corpus | documents | sentences | `qa index` s | index RSS MB | cold `qa ask` s | × split A"
        " | ask RSS MB | warm p50 ms | × split A |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    for name, r in rows:
        print(
            f"| {name} | {r['documents']} | {r['sentences']} | {r['index_s']:.1f} | {r['index_mb']:.0f}"
            f" | {r['cold_s']:.2f} | {r['cold_s'] / base['cold_s']:.2f}× | {r['cold_mb']:.0f}"
            f" | {r['warm_ms']:.1f} | {r['warm_ms'] / base['warm_ms']:.2f}× |"
        )
    if check is not None:
        print(f"\nfreshness check of {args.files:,} unchanged files: {check:.2f} s (median of 3)")


if __name__ == "__main__":
    main()
