"""Train the two cross-encoders of qa/models/cross.py: all-MiniLM-L6-v2 fine-tuned on (question, sentence) pairs
from the SQuAD 2.0 split-A TRAINING questions only (never questions.jsonl).

    .venv/bin/python eval/train_reader.py [--part reader|ranker|both] [--bench ../shared/bench/squad2-a]
    .venv/bin/python eval/fit_calibration.py --write      # then refit the calibration on their logits

The reader (qa/models/reader.int8.onnx) gives one logit, "this sentence holds a gold answer", which the
confidence uses. Pairs: for every training question its top 4 candidates under the current score plus the
gold sentence when missing; label 1 when the sentence holds a gold answer; for the unanswerable questions (65%
of train) every pair is 0, the sentence with SQuAD's plausible answer included, so the reader learns what
retrieval scores cannot see: a close match that does not answer. Its training pairs come from the candidates
without the BM25 ones (how it was first trained; the out-of-fold logits are for the candidates qa retrieves
now). Choices, compared on a held-out fifth of train: learning rate 1e-4 with 1e-3 for the output unit and
positives weighted 3x made it learn (confidence AUROC 0.80 against 0.76 with 4e-5 and no weighting); a second
epoch did not help (0.78).

The ranker (qa/models/ranker.int8.onnx) gives two logits; qa uses its second, "this is the sentence the
question is about", to reorder the closest candidates. It is trained on each question's top 5 candidates plus
the sentence the question is about when missing (the gold sentence, or for an unanswerable question the one
holding SQuAD's plausible answer), by a listwise softmax over each question's candidates, together with the
reader's loss on its first unit, for two epochs (EPOCHS says why). Trained that way its first unit is a worse reader (out-of-fold AUROC of the
answer logit 0.687 against 0.728), hence two models.

Each part cuts train in 5 folds and scores each fold with a model trained on the other four, through the same
int8 path (eval/results/reader_oof.json, eval/results/ranker_oof.json): eval/fit_calibration.py fits on those,
so the calibration never sees a model's opinion of a question it was trained on. The shipped model is then
trained on all training questions, exported with torch.onnx and quantised to int8 by ONNX Runtime (about
23 MB). Fixed seeds, two CPU threads; about 30 minutes for the reader and 75 for the ranker (two epochs) on
this project's 2-core machine.
Needs no GPU.

`--extra DIR` adds a built question set to either part's training questions (each question `--extra-weight`
times), its candidates read as qa reads them: after their innermost heading for the reader, after their heading
path for the ranker. eval/faq_headings/build.py --train writes 36 Python projects' FAQs that way (their own
questions over their answers). Measured for both parts, not shipped (docs/benchmarks.md, "FAQ questions asked
of their answers"). `--folds 0` trains only the final model (no out-of-fold logits; the calibration's stay as
they are), enough to see how a ranker reorders under the shipped rule. Every run writes the shipped model
file; `git checkout qa/models eval/results` puts the shipped models back.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answer.calibration import load_calibration
from qa.answer.extract import for_reader, score
from qa.config import DEFAULT_MODEL
from qa.evaluation.metrics import Question, holds_answer, load_questions
from qa.models.cross import ANSWER, MAX_TOKENS, RANK, RANKER_FILE, READER_FILE, Reader
from qa.models.encoder import mean_pool, resolve_model, write_onnx
from qa.retrieve.hybrid import LEXICAL_CANDIDATES
from qa.types import with_context

sys.path.insert(0, str(ROOT / "eval"))
from fit_calibration import OOF_FILE, OOF_PER_QUESTION, RANKER_OOF_FILE, collect, sentence_key  # noqa: E402

SEED = 13
PAIRS_PER_QUESTION = 4  # reader: top candidates under the current score
BATCH = 16  # reader: pairs per step
LIST_SIZE = 5  # ranker: top candidates under the current score, per question
QUESTIONS_PER_BATCH = 4  # ranker: a batch holds whole candidate lists (about 24 pairs)
# reader: a second epoch lowered its held-out AUROC (0.80 -> 0.78); ranker: a second epoch raised out-of-fold
# train ans@1 with reranking from 0.8362 to 0.8516
EPOCHS = {"reader": 1.0, "ranker": 2.0}
LEARNING_RATE = 1e-4  # the transformer
HEAD_LEARNING_RATE = 1e-3  # the new output units
POSITIVE_WEIGHT = 3.0  # about 1 pair in 9 holds an answer; weighting positives makes the model learn them

Item = tuple[Question, list[str], list[bool], list[bool]]


def candidate_pairs(bench: Path, lexical_k: int = LEXICAL_CANDIDATES) -> list[Item]:
    """Per training question: its candidate sentences, best first under the current score, which hold a
    gold answer, and which hold SQuAD's plausible answer (unanswerable questions only)."""
    plausible = {}
    with open(bench / "train.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            plausible[row["id"]] = [str(a) for a in row.get("plausible_answers") or []]
    return ranked_items(bench / "corpus", load_questions(bench / "train.jsonl"), lexical_k, plausible)


def extra_pairs(folder: Path, part: str = "reader") -> list[Item]:
    """Per question of a built question set (`folder`/docs and `folder`/questions.jsonl: the training FAQs of
    eval/faq_headings/build.py --train), the same, from the candidates qa retrieves, each read as qa's `part`
    reads it: the reader after its innermost heading (`for_reader`), the ranker after its heading path
    (`with_context`)."""
    read = for_reader if part == "reader" else with_context
    return ranked_items(folder / "docs", load_questions(folder / "questions.jsonl"), LEXICAL_CANDIDATES, {}, read)


def ranked_items(
    corpus: Path,
    questions: list[Question],
    lexical_k: int,
    plausible: dict[str, list[str]],
    read: Callable[[str, str], str] | None = None,
) -> list[Item]:
    train, engine = collect(corpus, questions, lexical_k)
    snapshot, _ = engine.live()
    cal = load_calibration()
    out = []
    for q, c, texts, right, miss in zip(train.questions, train.candidates, train.texts, train.right, train.misses):
        order = np.argsort(-score(c, cal, miss), kind="stable")
        ranked = [read(snapshot.sentence(int(c.ids[i])).heading, texts[i]) if read else texts[i] for i in order]
        near = [False] * len(ranked) if q.answerable else [holds_answer(t, plausible.get(q.id, [])) for t in ranked]
        out.append((q, ranked, [bool(right[i]) for i in order], near))
    return out


# ---- the reader: pairs, binary cross-entropy ------------------------------------------------------------
def training_pairs(items: list[Item], rng: random.Random) -> list[tuple[str, str, float]]:
    pairs = []
    for q, ranked, right, _ in items:
        chosen = list(range(min(PAIRS_PER_QUESTION, len(ranked))))
        gold = [i for i, r in enumerate(right) if r and i not in chosen]
        chosen += gold[:1]
        pairs += [(q.question, ranked[i], float(right[i])) for i in chosen]
    rng.shuffle(pairs)
    return pairs


def train_reader(pairs: list[tuple[str, str, float]], model_dir: Path, epochs: float, seed: int, device: str = "cpu"):
    """One output unit, binary cross-entropy on "holds a gold answer" (positives weighted)."""

    def loss(net, tokenizer, batch: list[tuple[str, str, float]]):
        out = net(**_tokenize(tokenizer, [b[0] for b in batch], [b[1] for b in batch], device))
        return answer_loss(out, [b[2] for b in batch])

    return _train(pairs, BATCH, 1, loss, model_dir, epochs, seed, device)


# ---- the ranker: whole candidate lists, listwise softmax plus the reader's loss -------------------------
@dataclass(frozen=True)
class CandidateList:
    """One training question's candidates, and the targets of the ranker's two outputs."""

    question: str
    sentences: list[str]
    answers: list[float]  # 1 = holds a gold answer (always 0 for an unanswerable question)
    topic: list[float]  # 1 = the sentence the question was written about (gold, or SQuAD's plausible answer)


def candidate_lists(items: list[Item]) -> list[CandidateList]:
    """The top LIST_SIZE candidates plus, when missing from them, the first sentence the question is about."""
    lists = []
    for q, ranked, right, near in items:
        about = right if q.answerable else near
        chosen = list(range(min(LIST_SIZE, len(ranked))))
        chosen += [i for i, r in enumerate(about) if r and i not in chosen][:1]
        lists.append(
            CandidateList(
                q.question,
                [ranked[i] for i in chosen],
                [float(right[i]) for i in chosen],
                [float(about[i]) for i in chosen],
            )
        )
    return lists


def train_ranker(lists: list[CandidateList], model_dir: Path, epochs: float, seed: int, device: str = "cpu"):
    """Two outputs per pair, trained together: unit 0 like the reader, unit 1 by a listwise softmax over each
    question's candidates on "is the sentence the question is about"."""

    def loss(net, tokenizer, batch: list[CandidateList]):
        questions, sentences = [b.question for b in batch for _ in b.sentences], [s for b in batch for s in b.sentences]
        out = net(**_tokenize(tokenizer, questions, sentences, device))
        total = answer_loss(out[:, ANSWER], [a for b in batch for a in b.answers])
        ranking, row = [], 0
        for b in batch:
            n, target = len(b.sentences), torch.tensor(b.topic, device=out.device)
            if target.sum() > 0:
                log_p = torch.log_softmax(out[row : row + n, RANK], dim=0)
                ranking.append(-(log_p * target).sum() / target.sum())
            row += n
        return total + torch.stack(ranking).mean() if ranking else total

    return _train(lists, QUESTIONS_PER_BATCH, 2, loss, model_dir, epochs, seed, device)


# ---- shared -------------------------------------------------------------------------------------------------
def _train(examples: list, per_step: int, units: int, loss, model_dir: Path, epochs: float, seed: int, device: str):
    """Fine-tune the model in `model_dir` (MiniLM as shipped) with `units` output units: shuffled batches of
    `per_step` examples, loss(net, tokenizer, batch) per step, AdamW with warm-up and linear decay. On CUDA the
    transformer runs in bfloat16 autocast (the weights and the optimiser stay float32)."""
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    net = CrossEncoder(AutoModel.from_pretrained(str(model_dir), dtype=torch.float32), units=units).to(device)
    steps = max(1, int(math.ceil(len(examples) / per_step) * epochs))
    optimizer, schedule = _optimizer(net, steps)
    rng = random.Random(seed)
    net.train()
    step, started = 0, time.time()
    while step < steps:
        order = list(range(len(examples)))
        rng.shuffle(order)
        for start in range(0, len(order), per_step):
            if step >= steps:
                break
            batch = [examples[i] for i in order[start : start + per_step]]
            step = _step(net, loss(net, tokenizer, batch), optimizer, schedule, step, steps, started)
    return net.eval()


def _optimizer(net, steps: int):
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
    return optimizer, schedule


def _tokenize(tokenizer, questions: list[str], sentences: list[str], device: str = "cpu"):
    return tokenizer(
        questions, sentences, truncation="only_second", max_length=MAX_TOKENS, padding=True, return_tensors="pt"
    ).to(device)


def answer_loss(out, targets: list[float]):
    """Binary cross-entropy on "holds a gold answer", positives weighted POSITIVE_WEIGHT."""
    weight = torch.tensor(POSITIVE_WEIGHT, device=out.device)
    return torch.nn.functional.binary_cross_entropy_with_logits(
        out.float(), torch.tensor(targets, device=out.device), pos_weight=weight
    )


def _step(net, loss, optimizer, schedule, step: int, steps: int, started: float) -> int:
    loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad()
    step += 1
    if step % 100 == 0:
        print(f"  step {step}/{steps} loss {loss.item():.3f} ({time.time() - started:.0f} s)", flush=True)
    return step


class CrossEncoder(torch.nn.Module):
    """Transformer, mean pooling over the pair's tokens, `units` linear output units."""

    def __init__(self, encoder, units: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.units = units
        self.head = torch.nn.Linear(encoder.config.hidden_size, units)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}  # MPNet has none
        if input_ids.is_cuda:
            with torch.autocast("cuda", dtype=torch.bfloat16):
                hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state
        else:  # as the shipped models were trained and exported
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state
        out = self.head(mean_pool(hidden.float(), attention_mask))
        return out.squeeze(-1) if self.units == 1 else out


def export_int8(net, target: Path) -> None:
    """torch.onnx export (fp32), then ONNX Runtime's dynamic int8 quantisation; written aside, renamed."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        write_onnx(net, fp32, "logit" if net.units == 1 else "logits")
        aside = target.with_name(f".{target.name}.tmp")
        quantize_dynamic(str(fp32), str(aside), weight_type=QuantType.QInt8)
        os.replace(aside, target)


def run_part(
    part: str, items: list[Item], hybrid: list[Item], epochs: float, folds: int, oof_only: str | None, model_dir: Path
) -> None:
    """Train one part on `items`, with out-of-fold logits for `hybrid`, the candidates qa retrieves (none for
    `folds` 0: the final model only, the out-of-fold file left as it is)."""
    if part == "reader":
        target, oof_file = READER_FILE, OOF_FILE

        def fit(chosen: list[Item], seed: int):
            return train_reader(training_pairs(chosen, random.Random(seed)), model_dir, epochs, seed)
    else:
        target, oof_file = RANKER_FILE, RANKER_OOF_FILE

        def fit(chosen: list[Item], seed: int):
            return train_ranker(candidate_lists(chosen), model_dir, epochs, seed)

    print(f"{part}: {len(items)} training questions", flush=True)
    oof: dict[str, dict[str, float | list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for h in range(folds):
            print(f"{part} fold {h}: training on the other folds", flush=True)
            net = fit([it for i, it in enumerate(items) if i % folds != h], SEED + 1 + h)
            path = Path(tmp) / f"fold{h}.onnx"
            export_int8(net, path)
            model = Reader(path, model_dir / "tokenizer.json")
            for q, ranked, _, _ in hybrid[h::folds]:
                top = ranked[:OOF_PER_QUESTION]
                logits = model.logits(q.question, top)
                oof[q.id] = {
                    sentence_key(t): round(float(row[0]), 4) if len(row) == 1 else [round(float(x), 4) for x in row]
                    for t, row in zip(top, logits)
                }
    record = {"epochs": epochs, "folds": folds, "seed": SEED, "logits": oof}
    if oof_only:
        Path(oof_only).write_text(json.dumps(record, sort_keys=True) + "\n")
        return
    print(f"{part} final model: all {len(items)} questions", flush=True)
    export_int8(fit(items, SEED), target)
    if not folds:
        print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB); no out-of-fold logits")
        return
    oof_file.parent.mkdir(parents=True, exist_ok=True)
    oof_file.write_text(json.dumps(record, sort_keys=True) + "\n")
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) and {oof_file}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("reader", "ranker", "both"), default="both")
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    parser.add_argument("--epochs", type=float, help="passes over the training questions (default: reader 1, ranker 2)")
    parser.add_argument(
        "--folds", type=int, default=5,
        help="cross-fitting folds for the out-of-fold logits; 0: experiment, the final model only",
    )  # fmt: skip
    parser.add_argument("--oof-only", metavar="FILE", help="experiment: write only out-of-fold logits, to FILE")
    parser.add_argument(
        "--extra", action="append", default=[], metavar="DIR",
        help="also train on a built question set (docs/, questions.jsonl), e.g. eval/faq_headings/train",
    )  # fmt: skip
    parser.add_argument("--extra-weight", type=int, default=1, help="how many times each --extra question counts")
    args = parser.parse_args()
    if args.folds == 1 or args.folds < 0 or (args.folds == 0 and args.oof_only):
        # one fold trains on nothing; 0 writes no out-of-fold logits (the calibration's are left as they are)
        parser.error("--folds must be 0 (the final model only) or at least 2")

    import logging

    logging.getLogger().setLevel(logging.ERROR)  # the quantiser's advice on pre-processing
    torch.set_num_threads(2)
    model_dir = resolve_model(DEFAULT_MODEL)
    bench = Path(args.bench)
    hybrid = candidate_pairs(bench)
    for part in ("reader", "ranker") if args.part == "both" else (args.part,):
        # the reader trains on the candidates without BM25 (how it was first made), the ranker on qa's own
        items = candidate_pairs(bench, lexical_k=0) if part == "reader" else hybrid
        if args.extra:  # after SQuAD's: the folds' SQuAD questions stay those of `hybrid`
            items = items + [it for folder in args.extra for it in extra_pairs(Path(folder), part)] * args.extra_weight
        epochs = args.epochs or EPOCHS[part]
        run_part(part, items, hybrid, epochs, args.folds, args.oof_only, model_dir)


if __name__ == "__main__":
    main()
