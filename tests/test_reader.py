"""The reader (qa/models/cross.py): the shipped cross-encoder, and how the confidence uses it."""

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.answer.calibration import Calibration, load_calibration
from qa.config import DEFAULT_MODEL, load_settings
from qa.errors import ModelError
from qa.models.cross import ANSWER, RANK, RANKER_FILE, READER_FILE, Reader
from qa.models.encoder import resolve_model
from qa.service import Service

TOKENIZER = resolve_model(DEFAULT_MODEL) / "tokenizer.json"


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(READER_FILE, TOKENIZER)


@pytest.fixture(scope="module")
def ranker() -> Reader:
    return Reader(RANKER_FILE, TOKENIZER)


def test_shipped_models_fit_the_size_limit_and_are_used():
    for model in (READER_FILE, RANKER_FILE):
        assert model.is_file() and model.stat().st_size <= 25 * 1024 * 1024
    shipped = load_calibration()
    assert shipped.r_reader > 0  # the shipped confidence was fitted with the reader
    assert shipped.reranks  # and the ranking with the ranker


GIFT = [
    "Kim gave Putin a pair of Pungsan dogs, a local breed.",
    "Putin visited China last month, soon after his inauguration.",
]


def test_reader_prefers_the_sentence_that_answers(reader):
    logits = reader.logits("What gift did Kim give Putin?", GIFT)
    assert logits.shape == (2, 1) and logits[0, ANSWER] > logits[1, ANSWER]


def test_ranker_prefers_the_sentence_the_question_is_about(ranker):
    logits = ranker.logits("What gift did Kim give Putin?", GIFT)
    assert logits.shape == (2, 2) and logits[0, RANK] > logits[1, RANK]


def test_reader_reads_long_sentences_without_failing(reader):
    long = "The dogs were " + "very " * 600 + "friendly."
    logits = reader.logits("What were the dogs like?", [long, "Short."])
    assert logits.shape == (2, 1) and np.isfinite(logits).all()
    assert reader.logits("Anything?", []).shape == (0, 1)
    long_question = "Where " + "and what else " * 200 + "?"  # longer than the window by itself
    assert np.isfinite(reader.logits(long_question, ["Short.", long])).all()


def test_rerank_reads_only_close_candidates_and_reorders_them():
    cal = Calibration(rank_weight=0.1, rerank_depth=3, rerank_margin=0.2)
    scores = np.array([0.50, 0.95, 0.90, 0.60, 0.85])
    order = [1, 2, 4, 3, 0]
    assert cal.to_read(scores[order]) == 3  # 0.95, 0.90, 0.85 are within 0.2; depth stops at 3
    assert Calibration(rank_weight=0.1, rerank_depth=3, rerank_margin=0.07).to_read(scores[order]) == 2
    assert cal.rerank(order, scores, np.array([0.0, 1.0, -1.0])) == [2, 1, 4, 3, 0]  # 1.0 lifts 0.90 past 0.95
    assert cal.rerank(order, scores, np.array([0.0, 0.2, 3.0])) == [4, 1, 2, 3, 0]
    off = Calibration()
    assert not off.reranks and off.to_read(scores[order]) == 1
    assert off.rerank(order, scores, np.array([0.0])) == order
    assert cal.to_read(np.zeros(0)) == 0


def test_the_reader_can_lower_the_confidence_but_never_raise_it():
    on = Calibration(bias=-1.0, w_top=2.0, r_bias=0.0, r_top=1.0, r_reader=1.0)
    retrieval = on.confidence(0.8, 0.6)
    assert on.confidence(0.8, 0.6, reader=-4.0) < retrieval  # the reader doubts: lower
    assert on.confidence(0.8, 0.6, reader=6.0) == retrieval  # the reader is sure: unchanged
    off = Calibration(r_reader=0.0)
    assert off.confidence(0.8, 0.6, reader=-4.0) == off.confidence(0.8, 0.6)


def test_the_confidence_map_rescales_without_reordering():
    plain = Calibration(bias=-1.0, w_top=2.0, r_bias=0.0, r_top=1.0, r_reader=1.0)
    mapped = replace(plain, c_bias=0.5, c_scale=1.2)
    cases = [(0.8, 0.6, -4.0), (0.8, 0.6, 6.0), (0.3, 0.2, 0.0), (1.1, 0.4, 1.0)]
    raw = [plain.confidence(*c) for c in cases]
    shown = [mapped.confidence(*c) for c in cases]
    for r, c in zip(raw, shown):
        assert c == pytest.approx(1 / (1 + math.exp(-(0.5 + 1.2 * math.log(r / (1 - r))))))
    assert np.argsort(raw).tolist() == np.argsort(shown).tolist()  # same order: same AUROC, same decisions


def test_missing_reader_model_is_one_clear_error(corpus, tmp_path, fake_embedder, monkeypatch):
    import qa.models.loading

    monkeypatch.setattr(qa.models.loading, "READER_FILE", Path(tmp_path / "nowhere.onnx"))
    settings = load_settings(corpus=str(corpus), index_dir=str(tmp_path / "idx"))
    engine = Service(settings, embedder=fake_embedder, calibration=replace(Calibration(), r_reader=1.0))
    with pytest.raises(ModelError, match="reader model"):
        engine.ask("What is the capital of France?")


class StubModel:
    """Logits 5 for the sentences holding `favourite`, else 0, in every unit; records what it read."""

    def __init__(self, favourite: str) -> None:
        self.favourite = favourite
        self.read_texts: list[str] = []

    def logits(self, question, sentences):
        self.read_texts.extend(sentences)
        column = np.array([[5.0 if self.favourite in s else 0.0] for s in sentences], dtype=np.float32)
        return np.hstack([column, column])


def test_answer_is_reranked_by_the_reader_and_confidence_uses_the_new_top(corpus, tmp_path, fake_embedder):
    from conftest import build

    from qa.answer.extract import answer, score
    from qa.retrieve.hybrid import HybridRetriever

    _, _, index = build(corpus, tmp_path / "idx", fake_embedder)
    question = "What is the capital of Germany?"
    candidates = HybridRetriever(index).candidates(fake_embedder.embed([question])[0], question, 30)
    texts = index.texts([int(i) for i in candidates.ids])
    plain = Calibration(passage_weight=0.2, lexical_weight=0.65, r_reader=0.5, threshold=0.0)
    scores = score(candidates, plain)
    ranked = [texts[i] for i in np.argsort(-scores, kind="stable")]
    assert ranked[0] == "Berlin is the capital of Germany." and ranked[1] == "Paris is the capital of France."

    reader, ranker = StubModel("Paris"), StubModel("Paris")
    kept = answer(question, candidates, texts, index.sentence, plain, 0.0, reader=reader, ranker=lambda: ranker)
    assert kept.sentences[0].sentence.text == ranked[0]
    assert reader.read_texts == [ranked[0]] and ranker.read_texts == []  # no reranking: the top is read alone

    gap = float(np.sort(scores)[-1] - np.sort(scores)[-2])
    rerank = replace(plain, rank_weight=1.0, rerank_depth=3, rerank_margin=gap + 0.01)
    reader, ranker = StubModel("Paris"), StubModel("Paris")
    moved = answer(question, candidates, texts, index.sentence, rerank, 0.0, reader=reader, ranker=lambda: ranker)
    assert moved.sentences[0].sentence.text == "Paris is the capital of France."
    assert [s.sentence.text for s in moved.sentences[1:2]] == [ranked[0]]
    assert ranked[0] in ranker.read_texts and ranked[1] in ranker.read_texts
    assert reader.read_texts == ["Paris is the capital of France."]  # the reader reads the new top
    # the confidence is the one of the new top: its own score, and a negative margin to the old top
    top, second = float(np.sort(scores)[-2]), float(np.sort(scores)[-1])
    assert moved.confidence == pytest.approx(rerank.confidence(top, second, 5.0))


def test_the_ranker_reads_each_sentence_after_its_heading_path_the_reader_after_its_innermost_heading():
    """A short sentence or a table row says what it is about only with its section ("Line length"): the
    reader reads that heading before the top sentence, not the whole path (the document's title names the
    topic that questions the documents do not answer share too); the ranker reads the whole path, as the
    encoder did."""
    from qa.answer.extract import answer, for_reader
    from qa.retrieve.hybrid import Candidates
    from qa.types import Sentence

    sentences = [
        Sentence("style.md", 0, 29, "The default is double quotes.", heading="Black › Quotes"),
        Sentence("style.md", 40, 58, "The default is 88.", heading="Black › Line length"),
    ]
    texts = [s.text for s in sentences]
    scores = np.array([0.62, 0.60], dtype=np.float32)  # the quotes sentence first, closely
    candidates = Candidates(np.arange(2, dtype=np.int64), scores, np.zeros(2, np.float32), np.zeros(2, np.float32))
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0, r_reader=1.0, rank_weight=0.1, rerank_depth=2,
                      rerank_margin=0.1)  # fmt: skip
    reader, ranker = StubModel("Line length"), StubModel("Line length")
    got = answer("What is the default line length?", candidates, texts, sentences.__getitem__, cal, 0.0,
                 reader=reader, ranker=lambda: ranker)  # fmt: skip
    assert sorted(ranker.read_texts) == [
        "Black › Line length: The default is 88.",
        "Black › Quotes: The default is double quotes.",
    ]
    assert got.sentences[0].sentence.text == "The default is 88."  # only its heading says "line length"
    assert reader.read_texts == ["Line length: The default is 88."]
    assert for_reader("Lease › Rent and deposit", "Deposit: 1,326 GBP") == "Rent and deposit: Deposit: 1,326 GBP"
    assert for_reader("", "Deposit: 1,326 GBP") == "Deposit: 1,326 GBP"


def test_the_ranker_compares_different_sentences_not_one_sentence_twice():
    """The same manual as HTML and as PDF (or a file and its backup) gives each of its sentences twice: the
    ranker, reading the best few, read two copies of two sentences and never the third, which answers."""
    from qa.answer.extract import answer, unrepeated_first
    from qa.retrieve.hybrid import Candidates
    from qa.types import Sentence

    said = ["The check occurs upon decompression.", "It can't help you recover the data.",
            "bzip2 uses 32-bit CRCs to check the decompressed data."]  # fmt: skip
    sentences = [Sentence(doc, 0, len(t), t) for t in said for doc in ("manual.html", "manual.pdf")]
    texts = [s.text for s in sentences]
    scores = np.array([0.80, 0.79, 0.78, 0.77, 0.76, 0.75], dtype=np.float32)
    candidates = Candidates(np.arange(6, dtype=np.int64), scores, np.zeros(6, np.float32), np.zeros(6, np.float32))
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0, rank_weight=0.1, rerank_depth=3, rerank_margin=0.3)
    ranker = StubModel("CRC")
    got = answer("What checksum does bzip2 use?", candidates, texts, sentences.__getitem__, cal, 0.0,
                 ranker=lambda: ranker)  # fmt: skip
    assert ranker.read_texts == said  # three different sentences, each once
    assert got.sentences[0].sentence.text == said[2]
    assert [s.sentence.text for s in got.sentences] == [said[2], said[0], said[1]]  # each shown once
    # nothing is dropped: the copies wait behind the different sentences, in their order
    assert unrepeated_first([0, 1, 2, 3, 4, 5], texts, 3) == [0, 2, 4, 1, 3, 5]
    assert unrepeated_first([0, 2, 4], texts, 2) == [0, 2, 4]


def test_a_cross_encoder_without_token_type_inputs_reads_pairs(tmp_path):
    """An MPNet- or RoBERTa-based export takes no token_type_ids; feeding them was an ONNX Runtime error."""
    import onnx
    from onnx import TensorProto, helper

    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1])
    nodes = [  # logit = the number of tokens the pair has
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("ReduceSum", ["mask_f", "axes"], ["logits"], keepdims=1),
    ]
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [1])
    graph = helper.make_graph(nodes, "count", [ids, mask], [out], initializer=[axes])
    path = tmp_path / "no_token_types.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))

    logits = Reader(path, TOKENIZER).logits("Who?", ["Kim.", "Kim gave Putin two dogs."])
    assert logits.shape == (2, 1)
    assert logits[0, 0] == 7 and logits[1, 0] > logits[0, 0]  # [CLS] who ? [SEP] kim . [SEP]

