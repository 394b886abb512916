"""Tier 2: index build/reuse with a fake embedder; FAISS checked against brute-force numpy."""

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEmbedder

from qa.chunking import ChunkSettings
from qa.config import load_settings
from qa.errors import CorpusError
from qa.index import IndexStore, flat_index, index_settings
from qa.pipeline import Engine


def test_build_writes_self_describing_index(corpus: Path, tmp_path: Path, fake_embedder):
    store = IndexStore(corpus, tmp_path / "idx")
    report = store.build(fake_embedder, ChunkSettings())
    assert report.rebuilt and report.documents == 3
    live = store.current()
    manifest = json.loads((live / "manifest.json").read_text())
    assert manifest["settings"]["model"] == "fake-bow@1"
    assert manifest["settings"]["dimension"] == 64
    assert manifest["settings"]["format_version"] == 2
    assert manifest["settings"]["chunker"]["passage_tokens"] == 192
    assert {d["path"] for d in manifest["documents"]} == {"a.txt", "b.txt", "sub/c.txt"}
    assert all(len(d["sha256"]) == 64 for d in manifest["documents"])
    names = {p.name for p in live.iterdir()}
    assert names == {"manifest.json", "sentences.jsonl", "passages.jsonl", "sentences.faiss", "passages.faiss"}
    assert not any(p.suffix in {".pkl", ".pickle"} for p in store.root.rglob("*"))
    doc_a = next(d for d in manifest["documents"] if d["path"] == "a.txt")
    assert doc_a["title"] == "Cats and dogs" and doc_a["date"] == "2024-01-02"


def test_unchanged_corpus_is_not_reembedded(corpus: Path, tmp_path: Path, fake_embedder):
    store = IndexStore(corpus, tmp_path / "idx")
    store.build(fake_embedder, ChunkSettings())
    first = fake_embedder.calls
    assert first > 0
    again = store.build(fake_embedder, ChunkSettings())
    assert not again.rebuilt and fake_embedder.calls == first


def test_edited_document_alone_is_reembedded(corpus: Path, tmp_path: Path, fake_embedder):
    store = IndexStore(corpus, tmp_path / "idx")
    store.build(fake_embedder, ChunkSettings())
    fake_embedder.seen.clear()
    (corpus / "b.txt").write_text("Rome is the capital of Italy.\n")
    (corpus / "new.txt").write_text("Oslo is in Norway.\n")
    (corpus / "sub" / "c.txt").unlink()
    report = store.build(fake_embedder, ChunkSettings())
    assert report.rebuilt and report.reused_documents == 1  # a.txt
    assert all("Cats" not in t and "mailman" not in t for t in fake_embedder.seen)
    assert any("Rome" in t for t in fake_embedder.seen) and any("Oslo" in t for t in fake_embedder.seen)
    loaded = store.load()
    texts = [s.text for s in loaded.sentences]
    assert "It flows north." not in texts and "Oslo is in Norway." in texts
    # reused vectors are the same as fresh ones
    fresh = FakeEmbedder().embed(texts)
    np.testing.assert_allclose(loaded.sentence_vectors(list(range(len(texts)))), fresh, atol=1e-6)


def test_other_model_or_settings_rebuild_never_mix(corpus: Path, tmp_path: Path, fake_embedder):
    store = IndexStore(corpus, tmp_path / "idx")
    store.build(fake_embedder, ChunkSettings())
    other = FakeEmbedder(dim=32, model_id="other@2")
    report = store.build(other, ChunkSettings())
    assert report.rebuilt and report.reused_documents == 0 and other.calls > 0
    assert store.load().sentence_index.d == 32
    assert not store.is_current(index_settings(fake_embedder, ChunkSettings()))
    report = store.build(other, ChunkSettings(passage_tokens=40))
    assert report.rebuilt and report.reused_documents == 0


def test_switch_is_atomic_and_old_versions_removed(corpus: Path, tmp_path: Path, fake_embedder):
    store = IndexStore(corpus, tmp_path / "idx")
    store.build(fake_embedder, ChunkSettings())
    first = store.current()
    store.build(fake_embedder, ChunkSettings(), force=True)
    second = store.current()
    assert first != second and not first.exists()
    assert (store.root / "CURRENT").read_text().strip() == second.name
    assert not list(store.root.glob(".tmp-*"))


def test_empty_corpus_is_a_clear_error(tmp_path: Path, fake_embedder):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "x.bin").write_bytes(b"\x00\x00")
    with pytest.raises(CorpusError, match="no readable text documents"):
        IndexStore(tmp_path / "docs", tmp_path / "idx").build(fake_embedder, ChunkSettings())


def test_faiss_matches_brute_force_numpy():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(500, 48)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = flat_index(vectors, 48)
    queries = rng.normal(size=(20, 48)).astype(np.float32)
    scores, ids = index.search(queries, 10)
    expected = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    np.testing.assert_array_equal(ids, expected)
    np.testing.assert_allclose(scores, np.take_along_axis(queries @ vectors.T, expected, axis=1), rtol=1e-5)


def test_candidates_are_hybrid_dense_plus_bm25(corpus: Path, tmp_path: Path, fake_embedder):
    from qa.retrieval import closest_sentences

    store = IndexStore(corpus, tmp_path / "idx")
    store.build(fake_embedder, ChunkSettings())
    index = store.load()
    nile = next(i for i, s in enumerate(index.sentences) if "Nile" in s.text)
    vector = fake_embedder.embed(["Cats sleep most of the day."])[0]  # the vector points elsewhere
    dense_only = closest_sentences(index, vector, k=1, question="")
    assert nile not in dense_only.ids
    hybrid = closest_sentences(index, vector, k=1, question="Which river is in Africa?")
    assert nile in hybrid.ids  # found by its words
    row = list(hybrid.ids).index(nile)
    assert hybrid.lexical[row] > 0.5 and len(hybrid.sentence_sim) == len(hybrid.ids)


def test_engine_answers_with_citations(corpus: Path, tmp_path: Path, fake_embedder):
    settings = load_settings(corpus=str(corpus), index_dir=str(tmp_path / "idx"))
    engine = Engine(settings, embedder=fake_embedder)
    result = engine.ask("What is the capital of Germany?")
    best = result.sentences[0].sentence
    assert best.text == "Berlin is the capital of Germany."
    assert best.doc.endswith("b.txt")
    source = Path(best.doc).read_text()
    assert source[best.start : best.end] == best.text
    assert 0.0 <= result.confidence <= 1.0
    payload = result.to_json(3)
    assert set(payload) - {"answer"} == {"question", "answered", "confidence", "sentences"}
    assert set(payload["sentences"][0]) == {"text", "doc", "start", "end", "score"}


def test_large_index_switches_to_ivf_and_still_finds(tmp_path: Path, fake_embedder, monkeypatch):
    import qa.index as index_module

    monkeypatch.setattr(index_module, "ANN_THRESHOLD", 100)
    docs = tmp_path / "many"
    docs.mkdir()
    for d in range(30):
        body = " ".join(f"Document {d} sentence {i} mentions topic{d}x{i} and more." for i in range(8))
        (docs / f"d{d:02}.txt").write_text(body)
    store = IndexStore(docs, tmp_path / "idx")
    store.build(fake_embedder, ChunkSettings())
    manifest = json.loads((store.current() / "manifest.json").read_text())
    assert manifest["vector_index"]["sentences"].startswith("IVF")
    loaded = store.load()
    assert loaded.sentence_index.ntotal == 240
    target = loaded.sentences.index(next(s for s in loaded.sentences if "topic7x3" in s.text))
    query = FakeEmbedder().embed([loaded.sentences[target].text])[0]
    ids, _ = loaded.search_sentences(query, 5)
    assert target in ids.tolist()
    np.testing.assert_allclose(loaded.sentence_vectors([target])[0], query, atol=1e-3)  # float16 storage
