"""Tool (not a test): what a change moves, on every question set at once.

    .venv/bin/python eval/compare_runs.py run DIR              # every set through `qa eval --predictions` into DIR
    .venv/bin/python eval/compare_runs.py diff BEFORE AFTER    # per set: top sentences moved, figures changed
    .venv/bin/python eval/compare_runs.py diff BEFORE AFTER --show tech   # and each moved question of a set

Run it before a change (from a clean tree, or a `git worktree` of the commit before) and after, then diff:
a rule that should move one question shows whether it moved only that one. The sets: the development set's
four genres, its conversations and short turns, SQuAD split A, the seed article's questions, conversations
and short turns, and every probe set of eval/bench_probes.py with its conversations where it has some (a
set whose corpus is not built is left out and named). Each runs through the real CLI, two at a time (about a
minute on two cores once the indexes are built); the index folder is qa's own, so a run after a change that
alters what is read rebuilds them as `qa eval` would.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from bench_devset import GENRES  # noqa: E402
from bench_probes import SETS as PROBES  # noqa: E402

EVAL = ROOT / "eval"
DEVSET = EVAL / "devset"
QA = [sys.executable, "-m", "qa", "eval"]
# the figures compared, as `qa eval --json` names them
FIGURES = (
    "ans@1",
    "answered",
    "answers_right",
    "end_to_end_accuracy",
    "calibration_error",
    "confidence_auroc",
    "follow_up_right@1",
    "follow_up_answered",
    "follow_up_answers_right",
    "follow_up_calibration_error",
)


def question_sets(bench: Path) -> dict[str, tuple[Path, Path | None]]:
    """Every set by a short name: its questions (or conversations) file and its corpus (None: the seeds)."""
    sets: dict[str, tuple[Path, Path | None]] = {
        name: (DEVSET / f"{name}.jsonl", DEVSET / "docs") for name in (*GENRES, "conversations", "short_turns")
    }
    sets["squad"] = (bench / "questions.jsonl", bench / "corpus")
    sets["seed_conversations"] = (EVAL / "seed_conversations.jsonl", None)
    sets["seed_short_turns"] = (EVAL / "seed_short_turns.jsonl", None)
    sets["gnu_info_conversations"] = (EVAL / "gnu_info_conversations.jsonl", Path("/usr/share/info"))
    for _, questions, corpus, _ in PROBES:
        own_folder = questions.parent != EVAL  # eval/papers/questions.jsonl, not eval/gnu_info.jsonl
        name = questions.stem if not own_folder else questions.parent.name
        if own_folder and questions.stem != "questions":  # eval/definitions/flask.jsonl: definitions_flask
            name = f"{name}_{questions.stem}"
        sets[name] = (questions, None if corpus == ROOT / "seeds" else corpus)
        if own_folder and (questions.parent / "conversations.jsonl").is_file():
            sets[f"{name}_conversations"] = (questions.parent / "conversations.jsonl", corpus)
    return sets


def run(out: Path, bench: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    sets = question_sets(bench)
    missing = [name for name, (_, corpus) in sets.items() if corpus is not None and not corpus.is_dir()]

    def one(name: str) -> str:
        questions, corpus = sets[name]
        command = [*QA, str(questions), "--json", "--predictions", str(out / f"{name}.jsonl")]
        done = subprocess.run(command + (["--corpus", str(corpus)] if corpus else []), capture_output=True, text=True, cwd=ROOT)
        if done.returncode:
            return f"{name}: qa eval failed: {done.stderr.strip()}"
        (out / f"{name}.json").write_text(done.stdout)
        return ""

    with ThreadPoolExecutor(2) as pool:
        failed = [message for message in pool.map(one, [n for n in sets if n not in missing]) if message]
    if missing:
        print("not built, left out: " + ", ".join(missing))
    if failed:
        sys.exit("\n".join(failed))
    print(f"{len(sets) - len(missing)} sets written to {out}")


def top(prediction: dict) -> str:
    return prediction["sentences"][0]["text"] if prediction["sentences"] else ""


def diff(before: Path, after: Path, show: set[str]) -> None:
    for figures in sorted(after.glob("*.json")):
        name = figures.stem
        if not (before / figures.name).is_file():
            continue
        a, b = (json.loads((side / figures.name).read_text()) for side in (before, after))
        changed = [
            f"{key} {a.get(key)} -> {b.get(key)}"
            if not isinstance(a.get(key), float) or not isinstance(b.get(key), float)
            else f"{key} {a[key]:.3f} -> {b[key]:.3f}"
            for key in FIGURES
            if a.get(key) != b.get(key)
        ]
        old, new = (
            {p["id"]: p for p in map(json.loads, (side / f"{name}.jsonl").read_text().splitlines())} for side in (before, after)
        )
        moved = [i for i in new if i in old and top(old[i]) != top(new[i])]
        print(f"{name:24} tops moved {len(moved):3}  " + ("; ".join(changed) if changed else "same figures"))
        if name in show:
            for i in new:
                if i in old and (top(old[i]) != top(new[i]) or abs(old[i]["confidence"] - new[i]["confidence"]) > 1e-4):
                    print(f"    {i}: {old[i]['confidence']:.3f} {top(old[i])[:70]!r}")
                    print(f"    {' ' * len(i)}  {new[i]['confidence']:.3f} {top(new[i])[:70]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    runs = sub.add_parser("run", help="every set through qa eval --predictions into DIR")
    runs.add_argument("out", type=Path)
    runs.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    diffs = sub.add_parser("diff", help="what moved between two runs")
    diffs.add_argument("before", type=Path)
    diffs.add_argument("after", type=Path)
    diffs.add_argument("--show", action="append", default=[], metavar="SET", help="list each moved question of SET")
    args = parser.parse_args()
    if args.command == "run":
        run(args.out, args.bench)
    else:
        diff(args.before, args.after, set(args.show))


if __name__ == "__main__":
    main()
