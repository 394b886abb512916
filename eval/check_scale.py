"""The scale-out acceptance checks on the real model (not a test: a few minutes of CPU). Needs qa[scale].

    .venv/bin/python eval/check_scale.py [--bench ../shared/bench/squad2-a] [--skip-ray]

1. `qa eval` of the seed questions, of split A and (when eval/devset/build.py has made its documents) of the
   development set's technical docs and FAQs, whose sentences have heading paths, with the local store and
   with milvus-lite (QA_STORE=x.db): ans@1, end-to-end, AUROC, and on how many questions the two agree
   (answered or not; same top sentence).
2. `qa index --ray` (a local Ray) of split A against the local build: the smallest cosine between a
   sentence's two vectors, and the same for passages.
Everything goes to new folders under a temporary directory; nothing of the user's is touched."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QA = str(Path(sys.executable).parent / "qa")


def qa(*args: str, env: dict) -> str:
    done = subprocess.run([QA, *args], capture_output=True, text=True, env={**os.environ, **env}, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"qa {' '.join(args)} failed: {done.stderr.strip()[-400:]}")
    return done.stdout


def evaluate(questions: Path, corpus: Path, env: dict, out: Path) -> tuple[dict, list[dict]]:
    started = time.perf_counter()
    summary = json.loads(qa("eval", str(questions), "--corpus", str(corpus), "--json", "--predictions", str(out), env=env))
    summary["wall_s"] = time.perf_counter() - started
    return summary, [json.loads(line) for line in out.open()]


def vectors(folder: Path, kind: str) -> np.ndarray:
    import faiss

    (path,) = folder.glob(f"*/v-*/{kind}.faiss")
    index = faiss.read_index(str(path))
    return index.reconstruct_n(0, index.ntotal)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    parser.add_argument("--skip-ray", action="store_true")
    args = parser.parse_args()
    bench = Path(args.bench)
    work = Path(tempfile.mkdtemp(prefix="qa-scale-"))
    base = {"QA_INDEX_DIR": str(work / "idx"), "OMP_WAIT_POLICY": "PASSIVE"}
    try:
        print("| question set | store | ans@1 | end-to-end | AUROC | ECE | p50 ms | same answered | same top |")
        print("|---|---|---|---|---|---|---|---|---|")
        sets = [("seed questions", ROOT / "eval" / "seed_questions.jsonl", ROOT / "seeds"),
                ("split A", bench / "questions.jsonl", bench / "corpus")]  # fmt: skip
        devset = ROOT / "eval" / "devset"
        if (devset / "docs").is_dir():  # documents with heading paths, which the ranker reads in both stores
            sets += [(f"dev {genre}", devset / f"{genre}.jsonl", devset / "docs") for genre in ("tech", "faq")]
        for name, questions, corpus in sets:
            runs = {}
            for store in ("local", "milvus-lite"):
                env = {**base, "QA_STORE": "local" if store == "local" else str(work / "qa.db")}
                runs[store] = evaluate(questions, corpus, env, work / f"{name}-{store}.jsonl")
            local = runs["local"][1]
            for store, (s, predictions) in runs.items():
                answered = sum(a["answered"] == b["answered"] for a, b in zip(local, predictions))
                top = sum(a["sentences"][:1] == b["sentences"][:1] for a, b in zip(local, predictions))
                print(
                    f"| {name} | {store} | {s['ans@1']:.3f} | {s['end_to_end_accuracy']:.3f} | {s['confidence_auroc']:.3f}"
                    f" | {s['calibration_error']:.3f} | {s['latency_p50_ms']:.1f} | {answered}/{len(local)} | {top}/{len(local)} |"
                )
        if args.skip_ray:
            return
        print()
        folders = {}
        for name, extra in (("local", []), ("ray", ["--ray"])):
            folders[name] = work / f"build-{name}"
            started = time.perf_counter()
            report = json.loads(qa("index", str(bench / "corpus"), "--json", *extra, env={**base, "QA_INDEX_DIR": str(folders[name])}))
            print(f"`qa index {' '.join(extra)}` split A: {report['embedded']} texts in {time.perf_counter() - started:.1f} s")
        for kind in ("sentences", "passages"):
            a, b = vectors(folders["local"], kind), vectors(folders["ray"], kind)
            assert a.shape == b.shape, (a.shape, b.shape)
            print(f"{kind}: {len(a)} vectors, smallest cosine local vs Ray {float(np.min(np.sum(a * b, axis=1))):.7f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
