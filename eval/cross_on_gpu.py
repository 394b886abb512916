"""Measure another base model for the two cross-encoders (all-mpnet-base-v2), trained on a GPU machine and
judged here through the unchanged `qa`.

The recipe is eval/train_reader.py's (the same pairs and lists, folds, seeds, epochs, learning rates); only
the base model and the device differ, and the logits come from the torch model (float32 weights, bfloat16
autocast on CUDA) instead of an int8 ONNX export. Three steps:

    # 1. here: every pair qa asks the cross-encoders about on the sets measured, recorded with a calibration
    #    whose rerank rule reads the most the grid allows (rerank_depth 6, rerank_margin 0.5), so that a rule
    #    refitted for the new model finds its pairs; then the training candidates
    export PYTHONPATH=eval/cross_replay QA_CROSS_RECORD=pairs.jsonl
    .venv/bin/python -c "import sys; sys.path.insert(0, 'eval'); import fit_calibration as f; f.devset_pool()"
    QA_CALIBRATION=wide.json .venv/bin/python eval/bench_devset.py
    QA_CALIBRATION=wide.json .venv/bin/qa eval eval/seed_questions.jsonl --corpus seeds
    unset QA_CROSS_RECORD; .venv/bin/python eval/cross_on_gpu.py prepare --pairs pairs.jsonl --out DATA
    # 2. on the GPU machine, with the base model folder and DATA there: the 12 trainings side by side, merged
    bash eval/cross_on_gpu.sh MODEL DATA OUT          # OUT/reader_oof.json, OUT/ranker_oof.json, OUT/replay.json
    # 3. here: refit the calibration on the new out-of-fold logits, then measure with the replayed logits
    export PYTHONPATH=eval/cross_replay QA_CROSS_REPLAY=OUT/replay.json QA_CROSS_MISSES=misses.jsonl
    .venv/bin/python eval/fit_calibration.py --rerank --write --out cal.json --oof OUT/reader_oof.json \
        --ranker-oof OUT/ranker_oof.json
    QA_CALIBRATION=cal.json .venv/bin/python eval/bench_devset.py

Run with MiniLM as MODEL, step 2 gives the control: the same recipe and logit path from the shipped base.
`cost` times an int8 cross-encoder of MODEL's shape against the shipped ranker on this machine.
`train` imports nothing of qa's retrieval (no index, no faiss): what it needs comes in --data.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent), str(ROOT), str(ROOT / "cross_replay")]  # qa, the eval scripts, the replay key

from replay_key import pair_key  # noqa: E402  (the name eval/cross_replay/sitecustomize.py replays by)

FOLDS = 5


def prepare(pairs_file: Path, out: Path, bench: Path) -> None:
    """Write out/items.json (train_reader's candidates, with and without BM25) and out/pairs.json (the unique
    pairs each model was asked about)."""
    from fit_calibration import OOF_PER_QUESTION
    from train_reader import LIST_SIZE, PAIRS_PER_QUESTION, candidate_pairs

    assert max(LIST_SIZE, PAIRS_PER_QUESTION) <= OOF_PER_QUESTION

    def rows(items):  # the candidates train_reader can choose: the best OOF_PER_QUESTION and every answer
        out = []
        for q, ranked, right, near in items:
            keep = [i for i in range(len(ranked)) if i < OOF_PER_QUESTION or right[i] or near[i]]
            out.append([q.id, q.question, q.answerable, *([seq[i] for i in keep] for seq in (ranked, right, near))])
        return out

    out.mkdir(parents=True, exist_ok=True)
    items = {"hybrid": rows(candidate_pairs(bench)), "lexical0": rows(candidate_pairs(bench, lexical_k=0))}
    (out / "items.json").write_text(json.dumps(items))
    asked: dict[str, dict[tuple[str, str], None]] = {"reader": {}, "ranker": {}}
    for line in pairs_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for sentence in row["sentences"]:
            asked[row["model"]][(row["question"], sentence)] = None
            if row["model"] == "ranker":  # the reader reads what the ranker puts first; where a sentence has
                asked["reader"][(row["question"], sentence)] = None  # no heading, the ranker reads it as is
    (out / "pairs.json").write_text(json.dumps({name: list(map(list, got)) for name, got in asked.items()}))
    print(f"{len(items['hybrid'])} training questions; pairs: reader {len(asked['reader'])}, ranker {len(asked['ranker'])}")


class _Question:
    def __init__(self, qid: str, question: str, answerable: bool) -> None:
        self.id, self.question, self.answerable = qid, question, answerable


def _items(rows: list) -> list:
    return [(_Question(qid, q, a), ranked, right, near) for qid, q, a, ranked, right, near in rows]


def logits(net, tokenizer, pairs: list[tuple[str, str]], device: str, batch: int = 64) -> list[list[float]]:
    """The model's logits for each (question, sentence), read as qa.models.cross.Reader reads them (NFKC,
    the longer of the two cut to MAX_TOKENS together)."""
    import torch
    from train_reader import MAX_TOKENS

    from qa.models.encoder import for_model

    rows: list[list[float]] = []
    with torch.no_grad():
        for start in range(0, len(pairs), batch):
            chunk = pairs[start : start + batch]
            encoded = tokenizer(
                [for_model(q) for q, _ in chunk], [for_model(s) for _, s in chunk], truncation="longest_first",
                max_length=MAX_TOKENS, padding=True, return_tensors="pt",
            ).to(device)  # fmt: skip
            out = net(**encoded).float().reshape(len(chunk), -1)
            rows += [[round(float(x), 4) for x in row] for row in out.cpu()]
    return rows


def train(data: Path, base: Path, part: str, fold: str, out: Path) -> None:
    import torch
    from fit_calibration import OOF_PER_QUESTION, sentence_key
    from train_reader import EPOCHS, SEED, candidate_lists, train_ranker, train_reader, training_pairs

    device = "cuda" if torch.cuda.is_available() else "cpu"
    items = json.loads((data / "items.json").read_text())
    hybrid = _items(items["hybrid"])
    chosen = _items(items["lexical0"] if part == "reader" else items["hybrid"])  # as train_reader chooses
    held = None if fold == "final" else int(fold)
    seed = SEED if held is None else SEED + 1 + held
    if held is not None:
        chosen = [it for i, it in enumerate(chosen) if i % FOLDS != held]
    started = time.time()
    if part == "reader":
        net = train_reader(training_pairs(chosen, random.Random(seed)), base, EPOCHS[part], seed, device)
    else:
        net = train_ranker(candidate_lists(chosen), base, EPOCHS[part], seed, device)
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base))
    result: dict = {"part": part, "fold": fold, "seconds_training": round(time.time() - started)}
    if held is None:  # the pairs qa asked about, by replay key
        pairs = [tuple(p) for p in json.loads((data / "pairs.json").read_text())[part]]
        got = logits(net, tokenizer, pairs, device)
        result["replay"] = {pair_key(part, q, s): row for (q, s), row in zip(pairs, got)}
    else:  # out-of-fold logits for the held-out fold's candidates, keyed as train_reader keys them
        oof = {}
        for q, ranked, _, _ in hybrid[held::FOLDS]:
            top = ranked[:OOF_PER_QUESTION]
            rows = logits(net, tokenizer, [(q.question, t) for t in top], device)
            oof[q.id] = {sentence_key(t): row[0] if len(row) == 1 else row for t, row in zip(top, rows)}
        result["oof"] = oof
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{part}_{fold}.json").write_text(json.dumps(result))
    print(f"{part} {fold}: done in {time.time() - started:.0f} s", flush=True)


def merge(out: Path) -> None:
    """reader_oof.json and ranker_oof.json as eval/train_reader.py writes them, and replay.json for
    eval/cross_replay (both models' pairs in one table)."""
    from train_reader import EPOCHS, SEED

    replay: dict = {}
    for part in ("reader", "ranker"):
        oof: dict = {}
        for fold in range(FOLDS):
            path = out / f"{part}_{fold}.json"
            if path.is_file():
                oof.update(json.loads(path.read_text())["oof"])
            else:
                print(f"{part} fold {fold} missing")
        record = {"epochs": EPOCHS[part], "folds": FOLDS, "seed": SEED, "logits": oof}
        (out / f"{part}_oof.json").write_text(json.dumps(record, sort_keys=True) + "\n")
        final = out / f"{part}_final.json"
        if final.is_file():
            replay.update(json.loads(final.read_text())["replay"])
        else:
            print(f"{part} final missing")
    (out / "replay.json").write_text(json.dumps(replay))
    print(f"merged: {len(replay)} replayed pairs")


def cost(base: Path, data: Path, questions: int) -> None:
    """What a base model would cost qa on this machine: a cross-encoder of its shape (untrained: the weights do
    not change the cost) exported to int8 ONNX as eval/train_reader.py exports, against the shipped ranker, one
    thread, on the pairs the shipped ranker read for the first `questions` questions of the record."""
    import os
    import statistics
    import tempfile

    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    from train_reader import CrossEncoder, export_int8
    from transformers import AutoModel

    from qa.config import DEFAULT_MODEL
    from qa.models.cross import RANKER_FILE, Reader
    from qa.models.encoder import resolve_model

    torch.set_num_threads(1)
    asked = json.loads((data / "pairs.json").read_text())["ranker"]
    by_question: dict[str, list[str]] = {}
    for q, s in asked:
        by_question.setdefault(q, []).append(s)
    chosen = [(q, ss[:4]) for q, ss in list(by_question.items())[:questions]]
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other.int8.onnx"
        export_int8(CrossEncoder(AutoModel.from_pretrained(str(base), dtype=torch.float32), units=2).eval(), other)
        shipped_tokenizer = resolve_model(DEFAULT_MODEL) / "tokenizer.json"
        rows = []
        for name, model, tokenizer in (("shipped", RANKER_FILE, shipped_tokenizer), (base.name, other, base / "tokenizer.json")):
            started = time.perf_counter()
            reader = Reader(model, tokenizer, threads=1)
            loaded = time.perf_counter() - started
            for q, ss in chosen[:5]:  # warm-up
                reader.logits(q, ss)
            per_pair = []
            for q, ss in chosen:
                started = time.perf_counter()
                reader.logits(q, ss)
                per_pair.append((time.perf_counter() - started) * 1000 / len(ss))
            rows.append((name, model.stat().st_size / 1e6, loaded, statistics.median(per_pair)))
    for name, size, loaded, ms in rows:
        print(f"{name}: {size:.1f} MB, loaded in {loaded:.2f} s, {ms:.1f} ms per pair (median over {len(chosen)} questions)")
    print(f"ratio per pair: {rows[1][3] / rows[0][3]:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--pairs", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--bench", type=Path, default=ROOT.parent.parent / "shared" / "bench" / "squad2-a")
    t = sub.add_parser("train")
    t.add_argument("--data", type=Path, required=True)
    t.add_argument("--base", type=Path, required=True)
    t.add_argument("--part", choices=("reader", "ranker"), required=True)
    t.add_argument("--fold", choices=[*map(str, range(FOLDS)), "final"], required=True)
    t.add_argument("--out", type=Path, required=True)
    m = sub.add_parser("merge")
    m.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("cost")
    c.add_argument("--base", type=Path, required=True)
    c.add_argument("--data", type=Path, required=True)
    c.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.pairs, args.out, args.bench)
    elif args.step == "train":
        train(args.data, args.base, args.part, args.fold, args.out)
    elif args.step == "merge":
        merge(args.out)
    else:
        cost(args.base, args.data, args.questions)


if __name__ == "__main__":
    main()
