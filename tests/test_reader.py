"""The reader (qa/reader.py): the shipped cross-encoder, and how the confidence uses it."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.config import DEFAULT_MODEL, load_settings
from qa.embedding import resolve_model
from qa.errors import ModelError
from qa.extract import Calibration, load_calibration
from qa.pipeline import Engine
from qa.reader import READER_FILE, Reader


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(READER_FILE, resolve_model(DEFAULT_MODEL) / "tokenizer.json")


def test_shipped_reader_fits_the_size_limit_and_is_used():
    assert READER_FILE.is_file()
    assert READER_FILE.stat().st_size <= 25 * 1024 * 1024
    assert load_calibration().r_reader > 0  # the shipped confidence was fitted with the reader


def test_reader_prefers_the_sentence_that_answers(reader):
    logits = reader.logits(
        "What gift did Kim give Putin?",
        [
            "Kim gave Putin a pair of Pungsan dogs, a local breed.",
            "Putin visited China last month, soon after his inauguration.",
        ],
    )
    assert logits.shape == (2,) and logits[0] > logits[1]


def test_reader_reads_long_sentences_without_failing(reader):
    long = "The dogs were " + "very " * 600 + "friendly."
    logits = reader.logits("What were the dogs like?", [long, "Short."])
    assert logits.shape == (2,) and np.isfinite(logits).all()
    assert reader.logits("Anything?", []).shape == (0,)
    long_question = "Where " + "and what else " * 200 + "?"  # longer than the window by itself
    assert np.isfinite(reader.logits(long_question, ["Short.", long])).all()


def test_the_reader_can_lower_the_confidence_but_never_raise_it():
    on = Calibration(bias=-1.0, w_top=2.0, r_bias=0.0, r_top=1.0, r_reader=1.0)
    retrieval = on.confidence(0.8, 0.6)
    assert on.confidence(0.8, 0.6, reader=-4.0) < retrieval  # the reader doubts: lower
    assert on.confidence(0.8, 0.6, reader=6.0) == retrieval  # the reader is sure: unchanged
    off = Calibration(r_reader=0.0)
    assert off.confidence(0.8, 0.6, reader=-4.0) == off.confidence(0.8, 0.6)


def test_missing_reader_model_is_one_clear_error(corpus, tmp_path, fake_embedder, monkeypatch):
    import qa.pipeline

    monkeypatch.setattr(qa.pipeline, "READER_FILE", Path(tmp_path / "nowhere.onnx"))
    settings = load_settings(corpus=str(corpus), index_dir=str(tmp_path / "idx"))
    engine = Engine(settings, embedder=fake_embedder, calibration=replace(Calibration(), r_reader=1.0))
    with pytest.raises(ModelError, match="reader model"):
        engine.ask("What is the capital of France?")
