"""How a recorded or replayed cross-encoder logit is named: the model, the question and the sentence, hashed
(shared by sitecustomize.py here and eval/cross_on_gpu.py)."""

import hashlib


def pair_key(model: str, question: str, sentence: str) -> str:
    return hashlib.sha256(f"{model}\x00{question}\x00{sentence}".encode()).hexdigest()[:20]
