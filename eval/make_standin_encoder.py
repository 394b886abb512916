"""Write a tiny random sentence-transformers model folder: a stand-in encoder for benchmarks that time
everything in `qa` except the encoder itself (its vectors mean nothing).

    .venv/bin/python eval/make_standin_encoder.py OUT_FOLDER [--dim 32]

One BERT layer of width `dim` with seeded random weights, MiniLM's tokenizer and vocabulary, mean pooling and
normalisation (sentence-transformers 6's Pooling config format), so `qa` exports and runs it as it does the
real model. Beside it, `calibration.json` is the shipped calibration marked as fitted for the stand-in: the
confidence is meaningless with random vectors, but every stage runs as with the real model."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answer.calibration import CALIBRATION_FILE
from qa.config import DEFAULT_MODEL
from qa.models.encoder import model_id, resolve_model

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def make(out: Path, dim: int = 32, seed: int = 0) -> Path:
    import torch
    from transformers import BertConfig, BertModel

    source = resolve_model(DEFAULT_MODEL)
    out.mkdir(parents=True, exist_ok=True)
    base = json.loads((source / "config.json").read_text())
    config = BertConfig(
        vocab_size=base["vocab_size"],
        hidden_size=dim,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=2 * dim,
        max_position_embeddings=base["max_position_embeddings"],
    )
    torch.manual_seed(seed)
    BertModel(config).save_pretrained(out, safe_serialization=True)
    for name in TOKENIZER_FILES:
        if (source / name).is_file():
            shutil.copyfile(source / name, out / name)
    (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 256, "do_lower_case": False}))
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    (out / "modules.json").write_text(json.dumps(modules, indent=1))
    (out / "1_Pooling").mkdir(exist_ok=True)
    (out / "1_Pooling" / "config.json").write_text(json.dumps({"embedding_dimension": dim, "pooling_mode": "mean"}))
    (out / "2_Normalize").mkdir(exist_ok=True)
    calibration = json.loads(CALIBRATION_FILE.read_text())
    calibration["model"] = model_id(str(out), out)
    calibration["fitted_on"] = "nothing: the shipped calibration, relabelled for a random stand-in encoder"
    (out / "calibration.json").write_text(json.dumps(calibration, indent=1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--dim", type=int, default=32)
    args = parser.parse_args()
    print(make(Path(args.out), args.dim))


if __name__ == "__main__":
    main()
