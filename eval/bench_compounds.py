"""Benchmark (not a test): questions that write a compound the other way than their documents do.

    .venv/bin/python eval/bench_compounds.py [--bench ../shared/bench/squad2-a] [--no-squad] [--out DIR]

People write "passphrase" or "pass phrase", "filesystem" or "file system", "log in" or "login" as they
please, and a question need not write it as its documents do. Every question of the development set's four
genres, the probe sets (eval/bench_probes.py, those whose documents are built), the seed questions and
(unless --no-squad) SQuAD split A that holds one of the common compounds in COMPOUNDS, in either form, is
asked twice through the real CLI (`qa eval --json`): as written, and with that compound written the other
way (one word as two, two as one; its ending and first capital kept). Only those questions are asked. Prints
ans@1, end-to-end accuracy and answers given both ways, per set and in all, and writes the question files to
--out for inspection.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))
from bench_devset import DEVSET, GENRES, qa_eval  # noqa: E402
from bench_probes import SETS as PROBES  # noqa: E402

# common compounds of documentation and everyday writing, each as its two words
COMPOUNDS = [
    tuple(pair.split("+"))
    for pair in """pass+phrase file+system file+name user+name host+name path+name time+stamp time+out log+in log+out
    plug+in set+up back+up look+up start+up shut+down name+space white+space work+flow code+base data+set
    data+base end+point key+word new+line check+box screen+shot web+page home+page web+site on+line side+bar
    tool+bar book+mark wild+card place+holder upper+case lower+case nick+name code+name hand+shake check+sum
    run+time life+time bug+fix work+around print+out style+sheet spread+sheet note+book foot+note health+care
    every+day week+end day+time world+wide key+board sub+command sub+directory""".split()
]
_ENDING = r"(s|es|ed|ing)?"


def other_way(question: str) -> str | None:
    """The question with its first compound of COMPOUNDS written the other way, or None if it holds none."""
    for first, second in COMPOUNDS:
        for pattern, written in (
            (rf"\b({first}{second}){_ENDING}\b", f"{first} {second}"),
            (rf"\b({first}[ -]{second}){_ENDING}\b", f"{first}{second}"),
        ):
            found = re.search(pattern, question, flags=re.IGNORECASE)
            if found:
                swapped = written[0].upper() + written[1:] if found.group(1)[0].isupper() else written
                return question[: found.start()] + swapped + (found.group(2) or "") + question[found.end() :]
    return None


def shown(runs: tuple[dict, dict], key: str) -> str:
    """A figure of both runs, as written / the other way."""
    return " / ".join("n/a" if m.get(key) is None else f"{m[key]:.3f}" for m in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "squad2-a")
    parser.add_argument("--no-squad", action="store_true", help="leave out SQuAD split A")
    parser.add_argument("--out", type=Path, default=None, help="keep the question files here")
    args = parser.parse_args()
    sets = [(name, DEVSET / f"{g}.jsonl", DEVSET / "docs") for g, name in GENRES.items()]
    sets += [(name, questions, corpus) for name, questions, corpus, _ in PROBES if corpus.is_dir() and questions.is_file()]
    if not args.no_squad:
        sets.append(("SQuAD 2.0 split A", args.bench / "questions.jsonl", args.bench / "corpus"))
    out = args.out or Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "| set | questions | ans@1 as written / other way | end-to-end as written / other way | answered as written / other way |",
        "|---|---|---|---|---|",
    ]
    seen: set[tuple[Path, Path]] = set()
    total = {"questions": 0, "right": [0.0, 0.0], "end": [0.0, 0.0], "answered": [0, 0], "answerable": 0}
    for n, (name, questions, corpus) in enumerate(sets):
        if (questions, corpus) in seen:
            continue
        seen.add((questions, corpus))
        rows = [json.loads(line) for line in questions.read_text().splitlines() if line.strip()]
        pairs = [(r, other_way(r["question"])) for r in rows]
        pairs = [(r, q) for r, q in pairs if q is not None]
        if not pairs:
            continue
        written, swapped = out / f"{n}-written.jsonl", out / f"{n}-other.jsonl"
        written.write_text("".join(json.dumps(r) + "\n" for r, _ in pairs))
        swapped.write_text("".join(json.dumps({**r, "question": q}) + "\n" for r, q in pairs))
        both = qa_eval(written, corpus), qa_eval(swapped, corpus)
        answerable = sum(bool(r["answers"]) for r, _ in pairs)

        lines.append(
            f"| {name} | {len(pairs)} | {shown(both, 'ans@1')} | {shown(both, 'end_to_end_accuracy')} | "
            f"{both[0]['answered']} / {both[1]['answered']} |"
        )
        total["questions"] += len(pairs)
        total["answerable"] += answerable
        for i, m in enumerate(both):
            total["right"][i] += (m.get("ans@1") or 0.0) * answerable
            total["end"][i] += m["end_to_end_accuracy"] * len(pairs)
            total["answered"][i] += m["answered"]
    q, a = total["questions"], max(total["answerable"], 1)
    lines.append(
        f"| all | {q} | {total['right'][0] / a:.3f} / {total['right'][1] / a:.3f} | "
        f"{total['end'][0] / max(q, 1):.3f} / {total['end'][1] / max(q, 1):.3f} | "
        f"{total['answered'][0]} / {total['answered'][1]} |"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
