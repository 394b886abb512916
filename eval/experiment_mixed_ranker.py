"""Experiment (not a test, nothing shipped): does a ranker trained on mixed data rank the development set better?

    .venv/bin/python eval/experiment_mixed_ranker.py [--headings] [--reuse]   # about 30 minutes on 2 CPU cores

One fold: the development set's questions are halved by a hash of their id; a ranker is trained as
eval/train_reader.py trains the shipped one (two epochs, listwise), on SQuAD train plus the first half's
candidate lists repeated three times, and written to /tmp/ranker_mixed.int8.onnx. On the second half's
answerable questions it prints ans@1 per genre for the shipped and the new ranker: with the shipped
calibration's reordering rule ("rule"), with score + w * rank logit over the best six ("w0.1", "w0.3"), with
the rank logit alone over the best six, and without reordering. --reuse: test the ranker already written.
--headings: every development candidate is read after its heading path, in training and in the test, as qa
reranks; half of the SQuAD questions' candidates (by a hash of the id) after their article's title, taken
from the file name ("Amazon_rainforest__01.txt": "Amazon rainforest"), the other half alone as qa reads
SQuAD's heading-less text; written to /tmp/ranker_headed.int8.onnx."""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

import train_reader as tr  # noqa: E402
from fit_calibration import DEVSET, GENRES, collect, source_of  # noqa: E402

from qa.answer.calibration import load_calibration  # noqa: E402
from qa.answer.extract import score  # noqa: E402
from qa.config import DEFAULT_MODEL  # noqa: E402
from qa.evaluation.metrics import load_questions  # noqa: E402
from qa.models.cross import RANK, RANKER_FILE, Reader  # noqa: E402
from qa.models.encoder import resolve_model  # noqa: E402
from qa.types import with_context  # noqa: E402

HEADINGS = "--headings" in sys.argv
OUT = Path("/tmp/ranker_headed.int8.onnx" if HEADINGS else "/tmp/ranker_mixed.int8.onnx")
BENCH = ROOT.parent / "shared" / "bench" / "squad2-a"
DEV_REPEATS = 3
READ = 6


def half(question) -> int:
    return int(hashlib.sha256(question.id.encode()).hexdigest(), 16) % 2


def squad_titles() -> dict[str, str]:
    """Each SQuAD sentence's article title, by its text, from its file name."""
    from qa.config import load_settings
    from qa.service import Service

    snapshot, _ = Service(load_settings(corpus=str(BENCH / "corpus"))).live()
    titles: dict[str, str] = {}
    for i in range(snapshot.n_sentences):
        s = snapshot.sentence(i)
        titles.setdefault(s.text, Path(s.doc).stem.split("__")[0].replace("_", " "))
    return titles


def main() -> None:
    torch.set_num_threads(2)
    cal = load_calibration()
    model_dir = resolve_model(DEFAULT_MODEL)
    questions = [q for g in GENRES for q in load_questions(DEVSET / f"{g}.jsonl")]
    dev, engine = collect(DEVSET / "docs", questions)
    snapshot, _ = engine.live()
    items = []
    for q, c, texts, right, miss in zip(dev.questions, dev.candidates, dev.texts, dev.right, dev.misses):
        if len(c.ids):
            s = score(c, cal, miss)
            order = np.argsort(-s, kind="stable")
            if HEADINGS:
                texts = [with_context(snapshot.sentence(int(i)).heading, t) for i, t in zip(c.ids, texts)]
            items.append((q, [texts[i] for i in order], [bool(right[i]) for i in order], s[order]))
    train_half = [(q, ranked, right, [False] * len(ranked)) for q, ranked, right, _ in items if half(q) == 0]
    test_half = [it for it in items if half(it[0]) == 1 and it[0].answerable]
    print(f"development questions: {len(train_half)} to train on, {len(test_half)} answerable to test", flush=True)
    if not ("--reuse" in sys.argv and OUT.is_file()):
        started = time.time()
        squad = tr.candidate_pairs(BENCH)
        if HEADINGS:  # half of the questions' candidates after their article's title
            titles = squad_titles()
            squad = [
                (q, [with_context(titles.get(t, ""), t) for t in ranked], right, near)
                if half(q) == 0
                else (q, ranked, right, near)
                for q, ranked, right, near in squad
            ]
        net = tr.train_ranker(tr.candidate_lists(squad + train_half * DEV_REPEATS), model_dir, 2.0, tr.SEED)
        tr.export_int8(net, OUT)
        print(f"trained in {time.time() - started:.0f} s", flush=True)
    tokenizer = model_dir / "tokenizer.json"
    for name, model in (("shipped", Reader(RANKER_FILE, tokenizer)), ("mixed", Reader(OUT, tokenizer))):
        hits: dict[str, dict[str, list[bool]]] = {}
        for q, ranked, right, s in test_half:
            logits = model.logits(q.question, ranked[:READ])[:, RANK]
            n = cal.to_read(s)
            rule = cal.rerank(list(range(len(ranked))), s, logits[:n]) if n > 1 else list(range(len(ranked)))
            picks = {
                "rule": rule[0],
                "w0.1": int(np.argmax(s[:READ] + 0.1 * logits)),
                "w0.3": int(np.argmax(s[:READ] + 0.3 * logits)),
                "ranker alone": int(np.argmax(logits)),
                "no reordering": 0,
            }
            for how, pick in picks.items():
                hits.setdefault(how, {}).setdefault(source_of(q), []).append(right[pick])
        for how, by_genre in hits.items():
            every = [h for hs in by_genre.values() for h in hs]
            genres = " ".join(f"{g} {np.mean(hs):.3f} ({len(hs)})" for g, hs in by_genre.items())
            print(f"{name:8} {how:14} {genres} | all {np.mean(every):.3f}", flush=True)


if __name__ == "__main__":
    main()
