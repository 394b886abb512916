"""Does the fast test tier catch changed decision logic? Applies one small change at a time to the working
tree (each restored afterwards), runs `pytest -m "not model" -x`, and prints whether the tier failed.

    .venv/bin/python eval/check_mutations.py

Every line should say "caught". The changes are the kind a reviewer made by hand: a penalty, a threshold
comparison, passage expansion, the focus weight, the "not sure" level, the index's size check and the
follow-up rule, plus two edits of the fitted calibration file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MUTATIONS = [
    ("type-miss penalty halved", "qa/answer/extract.py",
     "s = s - calibration.type_weight * miss", "s = s - 0.5 * calibration.type_weight * miss"),
    ("type-miss penalty dropped", "qa/answer/extract.py",
     "if miss is not None and calibration.type_weight:", "if False:"),
    ("threshold comparison strict", "qa/answer/extract.py",
     "if confidence >= threshold:", "if confidence > threshold:"),
    ("passage expansion drops its last sentence", "qa/retrieve/hybrid.py",
     "chosen.update(range(first, last + 1))", "chosen.update(range(first, last))"),
    ("focus weight 0.25", "qa/retrieve/lexical.py", "FOCUS_WEIGHT = 0.5", "FOCUS_WEIGHT = 0.25"),
    ("not-sure level 0.45", "qa/answer/extract.py", "MAYBE = 0.5", "MAYBE = 0.45"),
    ("index size check ignores passages", "qa/store/local.py",
     "or self.passage_index.ntotal != self.n_passages", "or False"),
    ("follow-up rule: two words", "qa/conversation.py", "len(words) <= 3", "len(words) <= 2"),
    ("calibration threshold edited", "qa/answer/calibration.json", '"threshold": 0.56005', '"threshold": 0.5'),
    ("calibration type weight edited", "qa/answer/calibration.json", '"type_weight": 0.3', '"type_weight": 0.2'),
]  # fmt: skip


def fast_tier() -> tuple[bool, float]:
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "not model", "-x", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return run.returncode == 0, time.perf_counter() - started


def main() -> None:
    passed, seconds = fast_tier()
    if not passed:
        sys.exit("the fast tier fails on the unchanged tree: fix that first")
    print(f"unchanged tree: fast tier passes ({seconds:.0f} s)")
    missed = 0
    for name, file, old, new in MUTATIONS:
        path = ROOT / file
        original = path.read_text()
        if original.count(old) != 1:
            sys.exit(f"{name}: {old!r} is not in {file} exactly once; update this script")
        try:
            path.write_text(original.replace(old, new))
            passed, seconds = fast_tier()
        finally:
            path.write_text(original)
        missed += passed
        print(f"{'MISSED' if passed else 'caught'}  {name}  ({file}, {seconds:.0f} s)")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
