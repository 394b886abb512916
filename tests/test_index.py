"""Tier 2: index build/reuse with a fake embedder; FAISS checked against brute-force numpy."""

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEmbedder, build, service

from qa.errors import CorpusError
from qa.ingest.build import build_index, index_settings, is_current
from qa.ingest.chunking import ChunkSettings
from qa.store.local import INDEX_FILES, flat_index


def all_texts(snapshot) -> list[str]:
    return snapshot.texts(list(range(snapshot.n_sentences)))


def test_build_writes_self_describing_index(corpus: Path, tmp_path: Path, fake_embedder):
    store, report, _ = build(corpus, tmp_path / "idx", fake_embedder)
    assert report.rebuilt and report.documents == 3
    live = store.current()
    manifest = json.loads((live / "manifest.json").read_text())
    assert manifest["settings"]["model"] == "fake-bow@1"
    assert manifest["settings"]["dimension"] == 64
    assert manifest["settings"]["format_version"] == 5
    assert manifest["settings"]["chunker"]["passage_tokens"] == 192
    documents = json.loads((live / "documents.json").read_text())
    assert {d["path"] for d in documents} == {"a.txt", "b.txt", "sub/c.txt"}
    assert all(len(d["sha256"]) == 64 for d in documents)
    names = {p.relative_to(live).as_posix() for p in live.rglob("*") if p.is_file()}
    assert names == {"manifest.json", *INDEX_FILES}
    assert set(manifest["checksums"]) == set(INDEX_FILES)
    assert not any(p.suffix in {".pkl", ".pickle"} for p in store.root.rglob("*"))
    doc_a = next(d for d in documents if d["path"] == "a.txt")
    assert doc_a["title"] == "Cats and dogs" and doc_a["date"] == "2024-01-02"


def test_tables_give_back_exact_sentences_and_passages(corpus: Path, tmp_path: Path, fake_embedder):
    _, _, snap = build(corpus, tmp_path / "idx", fake_embedder)
    assert snap.n_sentences == 7
    for i in range(snap.n_sentences):
        s = snap.sentence(i)
        assert (corpus / s.doc).read_text()[s.start : s.end] == s.text
    nile = all_texts(snap).index("The Nile is a long river in Africa.")
    (holders,) = snap.passages_holding([nile])
    assert holders and all(first <= nile <= last for first, last in snap.passage_sentences(holders))
    assert snap.same_paragraph(nile, nile + 1)  # "It flows north." follows in the same paragraph
    cats = all_texts(snap).index("Cats sleep most of the day.")
    assert not snap.same_paragraph(cats + 1, cats + 2)  # the mailman paragraph is another one


def test_unchanged_corpus_is_not_reembedded(corpus: Path, tmp_path: Path, fake_embedder):
    store, _, _ = build(corpus, tmp_path / "idx", fake_embedder)
    first = fake_embedder.calls
    assert first > 0
    again = build_index(store, corpus, fake_embedder, ChunkSettings())
    assert not again.rebuilt and fake_embedder.calls == first
    assert (again.documents, again.sentences) == (3, 7)


def test_edited_document_alone_is_reembedded(corpus: Path, tmp_path: Path, fake_embedder):
    store, _, _ = build(corpus, tmp_path / "idx", fake_embedder)
    fake_embedder.seen.clear()
    (corpus / "b.txt").write_text("Rome is the capital of Italy.\n")
    (corpus / "new.txt").write_text("Oslo is in Norway.\n")
    (corpus / "sub" / "c.txt").unlink()
    report = build_index(store, corpus, fake_embedder, ChunkSettings())
    assert report.rebuilt and report.reused_documents == 1  # a.txt
    assert all("Cats" not in t and "mailman" not in t for t in fake_embedder.seen)
    assert any("Rome" in t for t in fake_embedder.seen) and any("Oslo" in t for t in fake_embedder.seen)
    loaded = store.open()
    texts = all_texts(loaded)
    assert "It flows north." not in texts and "Oslo is in Norway." in texts
    # reused vectors are the same as fresh ones, and so are the reused lexical terms
    fresh = FakeEmbedder().embed(texts)
    np.testing.assert_allclose(loaded.sentence_vectors(list(range(len(texts)))), fresh, atol=1e-6)
    from qa.retrieve.lexical import LexicalIndex

    rebuilt = LexicalIndex(loaded.lexical())
    scratch = LexicalIndex.from_texts(texts, [loaded.sentence(i).doc for i in range(len(texts))])
    for question in ("When does the mailman deliver letters?", "What is the capital of Italy?"):
        np.testing.assert_array_equal(rebuilt.bm25(question), scratch.bm25(question))
    # passages still point at their own document's sentences after the shift
    for p in range(loaded.n_passages):
        (first, last), doc = loaded.passage_sentences([p])[0], loaded._passages["doc"][p]
        assert {loaded._sentences["doc"][i] for i in range(first, last + 1)} == {doc}


def vectors_match_fresh_ones(snapshot) -> None:
    """Every sentence's and passage's vector is the one the encoder gives its text (after its heading path)."""
    from qa.types import with_context

    texts = [with_context(snapshot.sentence(i).heading, t) for i, t in enumerate(all_texts(snapshot))]
    np.testing.assert_allclose(snapshot.sentence_vectors(list(range(len(texts)))), FakeEmbedder().embed(texts), atol=1e-6)


def test_an_edited_document_keeps_the_vectors_of_its_unchanged_texts(corpus: Path, tmp_path: Path, fake_embedder):
    store, first, _ = build(corpus, tmp_path / "idx", fake_embedder)
    assert first.reused_texts == 0
    fake_embedder.seen.clear()
    with (corpus / "a.txt").open("a") as handle:  # a note appended to a file: only it is new
        handle.write("\nThe parrot repeats every word it hears.\n")
    report = build_index(store, corpus, fake_embedder, ChunkSettings())
    assert report.reused_documents == 2 and report.reused_texts > 0
    assert fake_embedder.seen == ["The parrot repeats every word it hears."]  # a sentence, and its own passage
    # the three sentences before it and their two-sentence passage (the third is a passage of its own text)
    assert report.encoded == 1 and report.reused_texts == 4
    snapshot = store.open()
    assert "The parrot repeats every word it hears." in all_texts(snapshot)
    vectors_match_fresh_ones(snapshot)


def test_an_index_read_otherwise_lends_its_vectors_by_text(corpus: Path, tmp_path: Path, fake_embedder, monkeypatch):
    """A release that reads some formats differently re-reads every file, but encodes only the texts that
    changed; another encoder's index lends nothing."""
    import qa.ingest.build as build_module

    store, first, _ = build(corpus, tmp_path / "idx", fake_embedder)
    made = build_module.index_settings
    monkeypatch.setattr(build_module, "index_settings", lambda *a, **k: {**made(*a, **k), "extraction": 10**6})
    fake_embedder.seen.clear()
    report = build_index(store, corpus, fake_embedder, ChunkSettings())
    assert report.rebuilt and report.reused_documents == 0  # every file read again
    assert fake_embedder.seen == [] and report.encoded == 0 and report.reused_texts == first.encoded
    assert store.settings()["extraction"] == 10**6
    vectors_match_fresh_ones(store.open())
    forced = build_index(store, corpus, fake_embedder, ChunkSettings(), force=True)  # --force: all encoded afresh
    assert forced.reused_texts == 0 and forced.encoded == first.encoded
    other = FakeEmbedder(dim=32, model_id="other@2")
    again = build_index(store, corpus, other, ChunkSettings())
    assert again.reused_texts == 0 and again.encoded == len(other.seen) > 0


def test_an_index_made_before_text_keys_lends_by_keys_worked_out_from_its_tables(
    corpus: Path, tmp_path: Path, fake_embedder
):
    # a hard-wrapped paragraph: its passage's text holds a line break, which the tables do not keep
    (corpus / "wrapped.txt").write_text("The ferry leaves at noon.\nIt returns at six.\n")
    store, _, snapshot = build(corpus, tmp_path / "idx", fake_embedder)
    stored = np.array(snapshot.keys())
    live = store.current()
    (live / "text_keys.npy").unlink()  # as an index made before text keys were kept
    manifest = json.loads((live / "manifest.json").read_text())
    del manifest["checksums"]["text_keys.npy"]
    (live / "manifest.json").write_text(json.dumps(manifest))
    old = store.open()
    derived = np.asarray(old.keys())
    assert len(derived) == len(stored) and derived[: old.n_sentences].tolist() == stored[: old.n_sentences].tolist()
    wrapped = np.flatnonzero(derived != stored).tolist()
    assert len(wrapped) == 1 and wrapped[0] >= old.n_sentences  # only the wrapped passage cannot be told
    fake_embedder.seen.clear()
    (corpus / "b.txt").write_text("Paris is the capital of France. Rome is the capital of Italy.\n")
    report = build_index(store, corpus, fake_embedder, ChunkSettings())
    assert report.reused_texts > 0 and "Paris is the capital of France." not in fake_embedder.seen
    assert "Rome is the capital of Italy." in fake_embedder.seen
    assert (store.current() / "text_keys.npy").is_file()  # the new version keeps them
    vectors_match_fresh_ones(store.open())


def test_other_model_or_settings_rebuild_never_mix(corpus: Path, tmp_path: Path, fake_embedder):
    store, _, _ = build(corpus, tmp_path / "idx", fake_embedder)
    other = FakeEmbedder(dim=32, model_id="other@2")
    report = build_index(store, corpus, other, ChunkSettings())
    assert report.rebuilt and report.reused_documents == 0 and other.calls > 0
    assert store.open().sentence_index.d == 32
    assert not is_current(store, corpus, index_settings(fake_embedder, ChunkSettings()))
    report = build_index(store, corpus, other, ChunkSettings(passage_tokens=40))
    assert report.rebuilt and report.reused_documents == 0


def test_switch_is_atomic_and_old_versions_removed(corpus: Path, tmp_path: Path, fake_embedder):
    store, _, _ = build(corpus, tmp_path / "idx", fake_embedder)
    first = store.current()
    build_index(store, corpus, fake_embedder, ChunkSettings(), force=True)
    second = store.current()
    assert first != second and not first.exists()
    assert (store.root / "CURRENT").read_text().strip() == second.name
    assert not list(store.root.glob(".tmp-*")) and not list(store.root.glob(".CURRENT-*"))


def test_empty_corpus_is_a_clear_error(tmp_path: Path, fake_embedder):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "x.bin").write_bytes(b"\x00\x00")
    with pytest.raises(CorpusError, match="no readable text documents"):
        build(tmp_path / "docs", tmp_path / "idx", fake_embedder)


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
    from qa.retrieve.hybrid import HybridRetriever

    _, _, index = build(corpus, tmp_path / "idx", fake_embedder)
    retriever = HybridRetriever(index)
    nile = all_texts(index).index("The Nile is a long river in Africa.")
    vector = fake_embedder.embed(["Cats sleep most of the day."])[0]  # the vector points elsewhere
    dense_only = retriever.candidates(vector, "", k=1)
    assert nile not in dense_only.ids
    hybrid = retriever.candidates(vector, "Which river is in Africa?", k=1)
    assert nile in hybrid.ids  # found by its words
    row = list(hybrid.ids).index(nile)
    assert hybrid.lexical[row] > 0.5 and len(hybrid.sentence_sim) == len(hybrid.ids)


def test_engine_answers_with_citations(corpus: Path, tmp_path: Path, fake_embedder):
    engine = service(corpus, tmp_path / "idx", fake_embedder)
    result = engine.ask("What is the capital of Germany?")
    best = result.sentences[0].sentence
    assert best.text == "Berlin is the capital of Germany."
    assert best.doc.endswith("b.txt")
    source = Path(best.doc).read_text()
    assert source[best.start : best.end] == best.text
    from qa.answer.extract import verdict

    assert result.verdict is verdict(result.confidence, engine.threshold)
    assert result.answered == (result.confidence >= engine.threshold)
    payload = result.to_json(3)
    assert set(payload) - {"answer"} == {"question", "answered", "confidence", "sentences"}
    assert set(payload["sentences"][0]) == {"text", "doc", "start", "end", "score"}
    assert result.context == ("Paris is the capital of France.", "")  # the paragraph around it, for a renderer
    stats = engine.stats()
    assert (stats["documents"], stats["sentences"], stats["store"]) == (3, 7, "local")


def test_large_index_switches_to_ivf_and_still_finds(tmp_path: Path, fake_embedder, monkeypatch):
    import qa.store.local as index_module

    monkeypatch.setattr(index_module, "ANN_THRESHOLD", 100)
    docs = tmp_path / "many"
    docs.mkdir()
    for d in range(30):
        body = " ".join(f"Document {d} sentence {i} mentions topic{d}x{i} and more." for i in range(8))
        (docs / f"d{d:02}.txt").write_text(body)
    store, _, loaded = build(docs, tmp_path / "idx", fake_embedder)
    manifest = json.loads((store.current() / "manifest.json").read_text())
    assert manifest["vector_index"]["sentences"].startswith("IVF")
    assert loaded.sentence_index.ntotal == 240
    target = all_texts(loaded).index(next(t for t in all_texts(loaded) if "topic7x3" in t))
    query = FakeEmbedder().embed([loaded.texts([target])[0]])[0]
    ids, _ = loaded.search_sentences(query, 5)
    assert target in ids.tolist()
    np.testing.assert_allclose(loaded.sentence_vectors([target])[0], query, atol=1e-3)  # float16 storage


def test_current_never_leaves_the_store(corpus: Path, tmp_path: Path, fake_embedder):
    store, _, _ = build(corpus, tmp_path / "idx", fake_embedder)
    live = store.current()
    for forged in (str(live), "../elsewhere", "/etc", "v-1/../../x"):
        (store.root / "CURRENT").write_text(forged + "\n")
        assert store.current() is None
    (store.root / "CURRENT").write_text(live.name + "\n")
    assert store.current() == live


def test_a_text_repeated_in_a_build_is_encoded_once(tmp_path: Path, fake_embedder):
    """A one-sentence paragraph (a list item, a table row, a slide's bullet) is also a passage of the same text:
    the encoder reads it once and both rows get its vector."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "list.md").write_text("# Kit\n\n- Bring a tent.\n- Bring a stove.\n\nThe lake is cold. Swim early.\n")
    store, report, snap = build(corpus, tmp_path / "idx", fake_embedder)
    texts = all_texts(snap)
    assert texts == ["Bring a tent.", "Bring a stove.", "The lake is cold.", "Swim early."]
    assert len(fake_embedder.seen) == len(set(fake_embedder.seen)) == 5  # 4 sentences and the two-sentence passage
    assert report.embedded == 4 + snap.stats().passages == 7 and report.encoded == 5  # every text has its vector
    first, last = zip(*snap.passage_sentences(list(range(snap.stats().passages))))
    alone = [p for p, (a, b) in enumerate(zip(first, last)) if a == b]
    assert len(alone) == 2
    assert np.array_equal(snap.passage_vectors(alone), snap.sentence_vectors([first[p] for p in alone]))


def test_a_changelog_copied_into_another_project_s_folder_reads_as_that_project_s(tmp_path: Path, fake_embedder):
    """A changelog's sections go under its folder's name; the same bytes in another project's folder were
    kept from the index by their hash, under the first project's name."""
    docs = tmp_path / "docs"
    (docs / "attrs").mkdir(parents=True)
    (docs / "attrs" / "CHANGES.md").write_text("# Changes\n\n## 1.2.0\n\nSlots are the default.\n")
    store, _, snapshot = build(docs, tmp_path / "idx", fake_embedder)
    assert snapshot.sentence(0).heading.startswith("attrs \u203a Changes")
    (docs / "cattrs").mkdir()
    (docs / "cattrs" / "CHANGES.md").write_bytes((docs / "attrs" / "CHANGES.md").read_bytes())
    report = build_index(store, docs, fake_embedder, ChunkSettings())
    snapshot = store.open()
    headings = {snapshot.sentence(i).doc: snapshot.sentence(i).heading for i in range(snapshot.n_sentences)}
    assert headings["attrs/CHANGES.md"].startswith("attrs \u203a ")
    assert headings["cattrs/CHANGES.md"].startswith("cattrs \u203a ")
    assert report.reused_documents == 1  # attrs' kept as it was
