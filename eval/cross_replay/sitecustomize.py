"""Record or replay the cross-encoders' logits, to measure other cross-encoders through the unchanged `qa`
(eval/cross_on_gpu.py). Python imports this module at start-up when its folder is on PYTHONPATH:

    PYTHONPATH=eval/cross_replay QA_CROSS_RECORD=pairs.jsonl  .venv/bin/python eval/bench_devset.py
    PYTHONPATH=eval/cross_replay QA_CROSS_REPLAY=logits.json  .venv/bin/python eval/bench_devset.py

QA_CROSS_RECORD appends every (model, question, sentences) that the reader or the ranker is asked to read,
with the shipped models' answers unchanged. QA_CROSS_REPLAY answers from a file of logits by model, question
and sentence (written by `eval/cross_on_gpu.py merge`); a pair missing from it is read by the shipped model
and noted in QA_CROSS_MISSES (a file, a line per question and model), so a result can say how much of it was replayed.
Without either variable nothing changes."""

from __future__ import annotations

import os

RECORD = os.environ.get("QA_CROSS_RECORD")
REPLAY = os.environ.get("QA_CROSS_REPLAY")


def _patch() -> None:
    import json
    from pathlib import Path

    import numpy as np
    from replay_key import pair_key  # beside this file, on PYTHONPATH

    from qa.models import cross

    original_init, original_logits = cross.Reader.__init__, cross.Reader.logits
    table = json.loads(Path(REPLAY).read_text()) if REPLAY else {}
    misses = os.environ.get("QA_CROSS_MISSES")

    def init(self, model, *args, **kwargs):
        original_init(self, model, *args, **kwargs)
        self.replay_name = Path(model).name.split(".")[0]  # "reader" or "ranker"

    def logits(self, question, sentences):
        name = getattr(self, "replay_name", "")
        if RECORD:
            with open(RECORD, "a", encoding="utf-8") as out:
                out.write(json.dumps({"model": name, "question": question, "sentences": list(sentences)}) + "\n")
        if not REPLAY:
            return original_logits(self, question, sentences)
        keys = [pair_key(name, question, s) for s in sentences]
        if all(k in table for k in keys):
            rows = [table[k] for k in keys]
            return np.asarray(rows, dtype=np.float32) if rows else np.zeros((0, 1), dtype=np.float32)
        if misses:
            with open(misses, "a", encoding="utf-8") as out:
                out.write(json.dumps({"model": name, "question": question, "missed": [s for k, s in zip(keys, sentences) if k not in table]}) + "\n")
        shipped = original_logits(self, question, sentences)
        return np.asarray([table.get(k, row.tolist()) for k, row in zip(keys, shipped)], dtype=np.float32)

    cross.Reader.__init__, cross.Reader.logits = init, logits


if RECORD or REPLAY:
    _patch()
