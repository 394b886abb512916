"""Train the reader (qa/reader.py): all-MiniLM-L6-v2 fine-tuned as a cross-encoder on (question, sentence)
pairs from the SQuAD 2.0 split-A TRAINING questions only (never questions.jsonl).

    .venv/bin/python eval/train_reader.py [--bench ../shared/bench/squad2-a] [--epochs 1] [--folds 5]
    .venv/bin/python eval/fit_calibration.py --write      # then refit the confidence on its logits

Training choices, compared on a held-out fifth of train (never on the evaluation questions): learning rate
1e-4 with 1e-3 for the new output unit and positives weighted 3x made the reader learn (AUROC of the
confidence 0.80 against 0.76 with 4e-5 and no weighting, where the logits stayed near the base rate); a
second epoch did not help (0.78).

Pairs: for every training question, the top candidates under the current sentence score (qa/calibration.json
weights) plus the gold sentence when it is missing. Label 1 when the sentence holds a gold answer; for the
unanswerable questions (65% of train) every pair is 0, including the sentence holding SQuAD's plausible
answer: the reader learns what retrieval scores cannot see, a close match that does not answer.

Writes
- qa/models/reader.int8.onnx: the model trained on all training questions, exported with torch.onnx and
  quantised to int8 by ONNX Runtime (about 23 MB);
- eval/results/reader_oof.json: out-of-fold logits (train cut in 5 folds, each scored by a model trained on
  the other four, through the same int8 path), which eval/fit_calibration.py fits the confidence on, so the
  calibration never sees a reader's opinion of a question it was trained on.
Fixed seed, two CPU threads; about 30 minutes on this project's 2-core machine (5 folds + the final model, one
epoch each; two runs here wrote byte-identical models). Needs no GPU.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import DEFAULT_MODEL
from qa.embedding import mean_pool, resolve_model, write_onnx
from qa.evaluate import Question
from qa.extract import load_calibration, score
from qa.reader import MAX_TOKENS, READER_FILE, Reader

sys.path.insert(0, str(ROOT / "eval"))
from fit_calibration import OOF_FILE, sentence_key, training_set  # noqa: E402

SEED = 13
PAIRS_PER_QUESTION = 4  # top candidates under the current score
OOF_PER_QUESTION = 3  # how many top candidates get an out-of-fold logit
BATCH = 16
LEARNING_RATE = 1e-4  # the transformer
HEAD_LEARNING_RATE = 1e-3  # the new linear unit
POSITIVE_WEIGHT = 3.0  # about 1 pair in 9 holds an answer; weighting positives makes the model learn them


def candidate_pairs(bench: Path) -> list[tuple[Question, list[str], list[bool]]]:
    """Per training question: its candidate sentences, best first under the current score, and which hold
    a gold answer."""
    train = training_set(bench)
    cal = load_calibration()
    out = []
    for q, c, texts, right, miss in zip(train.questions, train.candidates, train.texts, train.right, train.misses):
        order = np.argsort(-score(c, cal, miss), kind="stable")
        out.append((q, [texts[i] for i in order], [bool(right[i]) for i in order]))
    return out


def training_pairs(items, rng: random.Random) -> list[tuple[str, str, float]]:
    pairs = []
    for q, ranked, right in items:
        chosen = list(range(min(PAIRS_PER_QUESTION, len(ranked))))
        gold = [i for i, r in enumerate(right) if r and i not in chosen]
        chosen += gold[:1]
        pairs += [(q.question, ranked[i], float(right[i])) for i in chosen]
    rng.shuffle(pairs)
    return pairs


def train(pairs: list[tuple[str, str, float]], model_dir: Path, epochs: float, seed: int):
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    net = CrossEncoder(AutoModel.from_pretrained(str(model_dir)))
    steps = max(1, int(math.ceil(len(pairs) / BATCH) * epochs))
    optimizer = torch.optim.AdamW(
        [
            {"params": net.encoder.parameters(), "lr": LEARNING_RATE},
            {"params": net.head.parameters(), "lr": HEAD_LEARNING_RATE},
        ],
        weight_decay=0.01,
    )
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps)
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(POSITIVE_WEIGHT))
    rng = random.Random(seed)
    net.train()
    step, started = 0, time.time()
    while step < steps:
        order = list(range(len(pairs)))
        rng.shuffle(order)
        for start in range(0, len(order), BATCH):
            if step >= steps:
                break
            batch = [pairs[i] for i in order[start : start + BATCH]]
            feed = tokenizer(
                [b[0] for b in batch],
                [b[1] for b in batch],
                truncation="only_second",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            loss = loss_fn(net(**feed), torch.tensor([b[2] for b in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 100 == 0:
                print(f"  step {step}/{steps} loss {loss.item():.3f} ({time.time() - started:.0f} s)", flush=True)
    return net.eval()


class CrossEncoder(torch.nn.Module):
    """Transformer, mean pooling over the pair's tokens, one linear unit."""

    def __init__(self, encoder) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = torch.nn.Linear(encoder.config.hidden_size, 1)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        return self.head(mean_pool(hidden, attention_mask)).squeeze(-1)


def export_int8(net, target: Path) -> None:
    """torch.onnx export (fp32), then ONNX Runtime's dynamic int8 quantisation; written aside, renamed."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "reader.onnx"
        write_onnx(net, fp32, "logit")
        aside = target.with_name(f".{target.name}.tmp")
        quantize_dynamic(str(fp32), str(aside), weight_type=QuantType.QInt8)
        os.replace(aside, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--folds", type=int, default=5, help="cross-fitting folds for the out-of-fold logits")
    parser.add_argument("--oof-only", metavar="FILE", help="experiment: write only out-of-fold logits, to FILE")
    args = parser.parse_args()

    import logging

    logging.getLogger().setLevel(logging.ERROR)  # the quantiser's advice on pre-processing
    torch.set_num_threads(2)
    model_dir = resolve_model(DEFAULT_MODEL)
    items = candidate_pairs(Path(args.bench))
    print(f"{len(items)} training questions", flush=True)
    oof: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for h in range(args.folds):
            rest = [it for i, it in enumerate(items) if i % args.folds != h]
            pairs = training_pairs(rest, random.Random(SEED + 1 + h))
            print(f"fold {h}: training on the other folds, {len(pairs)} pairs", flush=True)
            net = train(pairs, model_dir, args.epochs, SEED + 1 + h)
            path = Path(tmp) / f"fold{h}.onnx"
            export_int8(net, path)
            reader = Reader(path, model_dir / "tokenizer.json")
            for q, ranked, _ in items[h :: args.folds]:
                top = ranked[:OOF_PER_QUESTION]
                oof[q.id] = {sentence_key(t): round(float(x), 4) for t, x in zip(top, reader.logits(q.question, top))}
    record = {"epochs": args.epochs, "folds": args.folds, "seed": SEED, "logits": oof}
    if args.oof_only:
        Path(args.oof_only).write_text(json.dumps(record, sort_keys=True) + "\n")
        return
    pairs = training_pairs(items, random.Random(SEED))
    print(f"final model: all {len(items)} questions, {len(pairs)} pairs", flush=True)
    export_int8(train(pairs, model_dir, args.epochs, SEED), READER_FILE)
    OOF_FILE.parent.mkdir(parents=True, exist_ok=True)
    OOF_FILE.write_text(json.dumps(record, sort_keys=True) + "\n")
    print(f"wrote {READER_FILE} ({READER_FILE.stat().st_size / 1e6:.1f} MB) and {OOF_FILE}")


if __name__ == "__main__":
    main()
