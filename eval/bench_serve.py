"""`qa serve` under load (not a test): latency and throughput over loopback beside `qa ask` and `qa eval`,
all on split A of the benchmark with the real model, measured in one run.

    .venv/bin/python eval/bench_serve.py [--bench ../shared/bench/squad2-a] [--clients 16] [--questions 20]

Rows: a cold `qa ask` (a process per question, median of 5); `qa eval`'s warm per-question latency (one
process, questions one after another); `POST /api/ask` from one client, one question after another; and from
`--clients` clients at once, each asking `--questions` questions (the first ones of split A, a different slice
per client). Latency is per request as the client sees it; throughput is answers per second of wall time."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QA = str(Path(sys.executable).parent / "qa")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ask(url: str, question: str) -> tuple[float, bool]:
    body = json.dumps({"question": question}).encode()
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{url}/api/ask", data=body), timeout=120) as response:
            ok = response.status == 200 and "sentences" in json.loads(response.read())
    except OSError:
        ok = False
    return (time.perf_counter() - started) * 1000, ok


def load(url: str, questions: list[str], clients: int, per_client: int) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(i: int) -> None:
        nonlocal errors
        for j in range(per_client):
            ms, ok = ask(url, questions[(i * per_client + j) % len(questions)])
            with lock:
                latencies.append(ms)
                errors += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "n": len(latencies),
        "errors": errors,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "per_s": len(latencies) / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    corpus = Path(args.bench) / "corpus"
    rows = [json.loads(line) for line in (Path(args.bench) / "questions.jsonl").read_text().splitlines()]
    questions = [r["question"] for r in rows[: args.clients * args.questions]]
    work = Path(tempfile.mkdtemp(prefix="qa-serve-bench-"))
    env = {**os.environ, "QA_INDEX_DIR": str(work / "idx")}
    server = None
    try:
        subprocess.run([QA, "index", str(corpus)], env=env, check=True, capture_output=True)
        cold = []
        for question in questions[:5]:
            started = time.perf_counter()
            subprocess.run([QA, "ask", question, "--corpus", str(corpus), "--json"], env=env, check=True, capture_output=True)
            cold.append(time.perf_counter() - started)
        subset = work / "questions.jsonl"
        subset.write_text("\n".join(json.dumps(r) for r in rows[: args.clients * args.questions]) + "\n")
        out = subprocess.run(
            [QA, "eval", str(subset), "--corpus", str(corpus), "--json"], env=env, check=True, capture_output=True, text=True
        ).stdout
        warm = json.loads(out)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [QA, "serve", "--corpus", str(corpus), "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True
        )
        server.stdout.readline()  # type: ignore[union-attr]
        server.stdout.readline()  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}"
        if not ask(url, "warm-up question?")[1]:
            sys.exit("qa serve did not answer")
        one = load(url, questions, 1, args.clients * args.questions // 4)
        many = load(url, questions, args.clients, args.questions)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"split A, {len(questions)} questions; {os.cpu_count()} CPUs\n")
    print("| how | requests | errors | p50 ms | p95 ms | answers/s |\n|---|---|---|---|---|---|")
    print(f"| cold `qa ask` (a process each) | {len(cold)} | 0 | {statistics.median(cold) * 1000:.0f} | - | {1 / statistics.median(cold):.2f} |")
    print(f"| `qa eval`, one process, in turn | {warm['questions']} | 0 | {warm['latency_p50_ms']:.0f} | {warm['latency_p95_ms']:.0f} | - |")
    for name, r in (("`POST /api/ask`, 1 client", one), (f"`POST /api/ask`, {args.clients} clients × {args.questions}", many)):
        print(f"| {name} | {r['n']} | {r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['per_s']:.1f} |")


if __name__ == "__main__":
    main()
