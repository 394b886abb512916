"""The scale-out paths: the Milvus store (milvus-lite, embedded) and embedding on a local Ray. Marked `scale`
(`pytest -m "not scale"` skips them); they need `pip install 'qa[scale]'` and nothing else: no network, no
server but milvus-lite and a Ray started on this machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SEED_QUESTIONS, FakeEmbedder, service

from qa.errors import QAError

scale = pytest.mark.scale

QUESTIONS = [
    "What is the capital of France?",
    "Which river flows north?",
    "Who delivers letters on Monday?",
    "What do cats do most of the day?",
    "What is the capital of Germany?",
    "Who barks at the mailman?",
]


def milvus(corpus: Path, tmp_path: Path, embedder, name: str = "qa.db", **kw):
    pytest.importorskip("pymilvus")
    return service(corpus, tmp_path / "unused", embedder, settings={"store": str(tmp_path / name)}, **kw)


def rows_of(svc) -> int:
    store = svc.store
    return int(store.query(store.sentences, filter="", output_fields=["count(*)"])[0]["count(*)"])


@scale
def test_milvus_store_answers_as_the_local_store_does(corpus: Path, tmp_path: Path):
    local = service(corpus, tmp_path / "idx", FakeEmbedder())
    engine = milvus(corpus, tmp_path, FakeEmbedder())
    for question in QUESTIONS:
        a, b = local.ask(question), engine.ask(question)
        assert [s.sentence.text for s in a.sentences] == [s.sentence.text for s in b.sentences], question
        assert (a.answered, a.verdict) == (b.answered, b.verdict)
        assert b.confidence == pytest.approx(a.confidence, abs=1e-6)
        top = b.sentences[0].sentence
        assert (corpus / Path(top.doc).relative_to(corpus)).read_text()[top.start : top.end] == top.text
    assert engine.stats()["store"] == "milvus-lite" and engine.stats()["sentences"] == local.stats()["sentences"]


@scale
def test_a_follow_up_on_milvus_searches_the_answered_document_as_the_local_store_does(corpus: Path, tmp_path: Path):
    from qa.conversation import Conversation

    local = service(corpus, tmp_path / "idx", FakeEmbedder())
    engine = milvus(corpus, tmp_path, FakeEmbedder())
    talks = Conversation(), Conversation()
    for question in ("What is the capital of France?", "And of Germany?", "Which river flows north?", "Where is it?"):
        a, b = (svc.ask(question, talk) for svc, talk in zip((local, engine), talks))
        assert [s.sentence.text for s in a.sentences] == [s.sentence.text for s in b.sentences], question
        assert b.confidence == pytest.approx(a.confidence, abs=1e-6)
    snapshot, _ = engine.live()
    paris = next(s for s in engine.ask("What is the capital of France?").sentences if s.sentence.text.startswith("Paris"))
    vector = engine.models.query_encoder.embed(["capital"])[0]
    found = [int(r["id"]) for r in snapshot.search_document(vector, paris.index, 10)]
    assert len(found) == 2 and len(set(snapshot.document_of(found))) == 1
    assert snapshot.document_of(found)[0] == snapshot.document_of([paris.index])[0]


@scale
def test_milvus_finds_what_a_thing_is_as_the_local_store_does(tmp_path: Path):
    from test_decisions import _widget_docs

    from qa.service import _defining

    docs = _widget_docs(tmp_path / "docs")
    found = []
    for svc in (service(docs, tmp_path / "idx", FakeEmbedder()), milvus(docs, tmp_path, FakeEmbedder())):
        snapshot, retriever = svc.live()
        found.append(snapshot.texts(list(_defining(snapshot, retriever, "What is Widget?"))))
    assert found[0] == found[1] == ["Widget is a small tool that converts files to text."]


@scale
def test_milvus_sentences_carry_their_heading_paths_and_code_as_the_local_stores_do(tmp_path: Path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "style.md").write_text(
        "# Black docs\n\nIntro paragraph about formatting.\n\n## Line length\n\nThe default is 88 characters.\n\n"
        "### Why 88\n\nIt produces shorter files.\n\nThe setting in a pyproject.toml looks like this:\n\n"
        "```toml\n[tool.black]\nline-length = 100\ntarget-version = ['py312']\ninclude = '\\.pyi?$'\n```\n"
    )
    (corpus / "plain.txt").write_text("Plain text has no headings at all.\n")
    local = service(corpus, tmp_path / "idx", FakeEmbedder())
    engine = milvus(corpus, tmp_path, FakeEmbedder())
    shown = []
    for svc in (local, engine):
        snapshot, _ = svc.live()
        sentences = [snapshot.sentence(i) for i in snapshot_ids(snapshot)]
        shown.append({s.text: (s.heading, s.code) for s in sentences})
    assert shown[0] == shown[1]
    assert shown[1]["The default is 88 characters."] == ("Black docs › Line length", None)
    assert shown[1]["It produces shorter files."] == ("Black docs › Line length › Why 88", None)
    assert shown[1]["Plain text has no headings at all."] == ("", None)
    code = shown[1]["The setting in a pyproject.toml looks like this:"][1]  # and the code it leads into
    assert code is not None and code.text == "[tool.black]\nline-length = 100\ntarget-version = ['py312']\ninclude = '\\.pyi?$'"


def snapshot_ids(snapshot) -> list[int]:
    return [i for entry in snapshot.documents() for i in range(*entry.sentences)]


@scale
def test_milvus_finds_the_documents_lacking_a_name_as_the_local_store_does(corpus: Path, tmp_path: Path):
    question = "Which river flows north of Paris?"  # "Paris": only b.txt says it
    marked = []
    for svc in (service(corpus, tmp_path / "idx", FakeEmbedder()), milvus(corpus, tmp_path, FakeEmbedder())):
        snapshot, retriever = svc.live()
        found = retriever.candidates(svc.models.query_encoder.embed([question])[0], question)
        assert found.missing_names is not None
        ids = [int(i) for i in found.ids]
        marked.append(dict(zip(snapshot.texts(ids), map(found.missing_names, ids))))
    local, engine = marked
    assert local == engine
    assert local["It flows north."] == ("Paris",) and local["Paris is the capital of France."] == ()
    assert local["Berlin is the capital of Germany."] == ()  # same document
    assert local["Cats sleep most of the day."] == ("Paris",)


@scale
def test_milvus_reads_a_slip_as_the_local_store_does(corpus: Path, tmp_path: Path):
    question = "Which rivr flows north of Pariss?"
    local, engine = service(corpus, tmp_path / "idx", FakeEmbedder()), milvus(corpus, tmp_path, FakeEmbedder())
    a, b = local.ask(question), engine.ask(question)
    assert a.corrections == b.corrections == (("rivr", "river"), ("Pariss", "Paris"))
    assert [s.sentence.text for s in a.sentences] == [s.sentence.text for s in b.sentences]


@scale
def test_milvus_reads_a_compound_as_the_local_store_does(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "keys.txt").write_text("The pass phrase must be at least 20 characters long.\n\nMount the filesystem first.\n")
    question = "How long must the passphrase be on the file system?"
    local, engine = service(docs, tmp_path / "idx", FakeEmbedder()), milvus(docs, tmp_path, FakeEmbedder())
    a, b = local.ask(question), engine.ask(question)
    assert a.corrections == b.corrections == (("passphrase", "pass phrase"), ("file system", "filesystem"))
    assert [s.sentence.text for s in a.sentences] == [s.sentence.text for s in b.sentences]


@scale
def test_milvus_update_touches_only_what_changed(corpus: Path, tmp_path: Path):
    embedder = FakeEmbedder()
    svc = milvus(corpus, tmp_path, embedder)
    svc.ensure_index()
    assert rows_of(svc) == 7
    # an edited document answers with its new text; the others are not embedded again
    (corpus / "b.txt").write_text("Paris is the capital of France. Madrid is the capital of Spain.\n")
    before = list(embedder.seen)
    report = svc.ensure_index()
    embedded = embedder.seen[len(before) :]
    assert report.reused_documents == 2 and embedded and all("Madrid" in t or "Paris" in t for t in embedded)
    # and of the edited one, the sentence that stayed takes its vector from the collection, by its text's key
    assert "Paris is the capital of France." not in embedded and report.reused_texts == 1
    top = svc.ask("What is the capital of Spain?").sentences[0].sentence
    assert top.text == "Madrid is the capital of Spain." and top.doc.endswith("b.txt")
    assert not any("Berlin" in s.sentence.text for s in svc.ask("What is the capital of Germany?").sentences)
    # a deleted document stops answering, and its rows are gone
    (corpus / "sub" / "c.txt").unlink()
    svc.ensure_index()
    assert not any(s.sentence.doc.endswith("c.txt") for s in svc.ask("Which river flows north?").sentences)
    assert rows_of(svc) == svc.stats()["sentences"] == 5
    # a renamed document keeps its rows: nothing is embedded, answers cite the new name
    (corpus / "a.txt").rename(corpus / "z.txt")
    calls = embedder.calls
    assert svc.ensure_index().reused_documents == 2 and embedder.calls == calls
    assert svc.ask("Who delivers letters on Monday?").sentences[0].sentence.doc.endswith("z.txt")
    # a fresh process's view agrees (the records, not this process's memory)
    again = milvus(corpus, tmp_path, FakeEmbedder())
    assert again.ask("What is the capital of Spain?").sentences[0].sentence.text == "Madrid is the capital of Spain."
    assert again.store.files() is not None and set(again.store.files()) == {"b.txt", "z.txt"}


@scale
def test_a_failed_or_killed_build_leaves_no_rows(corpus: Path, tmp_path: Path):
    svc = milvus(corpus, tmp_path, FakeEmbedder())
    svc.ensure_index()
    store = svc.store

    class Broken(FakeEmbedder):
        def embed(self, texts):
            raise RuntimeError("encoder died")

    (corpus / "new.txt").write_text("Rome is the capital of Italy.\n" * 3000)
    (corpus / "newer.txt").write_text("Oslo is the capital of Norway.\n")
    from qa.ingest.build import build_index

    with pytest.raises(RuntimeError):
        build_index(store, corpus, Broken(), svc.chunk_settings)
    assert rows_of(svc) == 7
    # a build killed after writing rows (no abort ran): rows above the last recorded document
    store.write(store.sentences, [{
        "id": (999 << 24), "doc": 999, "start": 0, "end": 4, "paragraph": 0, "page": 0, "line": 1,
        "text": "orphan", "heading": "", "code": "", "terms": "orphan", "holders": [], "key": 0, "vector": np.zeros(64, np.float32),
    }])  # fmt: skip
    assert rows_of(svc) == 8
    (corpus / "new.txt").unlink()
    svc.ensure_index()
    assert rows_of(svc) == 8 == svc.stats()["sentences"]  # 7 + Oslo; the orphan is gone
    assert svc.ask("What is the capital of Norway?").sentences[0].sentence.text == "Oslo is the capital of Norway."


@scale
def test_model_and_dimension_are_kept_apart_and_checked(corpus: Path, tmp_path: Path):
    from qa.store.base import CorruptIndex

    wide = milvus(corpus, tmp_path, FakeEmbedder(dim=64))
    wide.ensure_index()
    from qa.store.milvus import MilvusStore

    a = MilvusStore(corpus, str(tmp_path / "qa.db"), "model-a")
    b = MilvusStore(corpus, str(tmp_path / "qa.db"), "model-b")
    assert a.base != b.base  # one collection set per corpus and model
    # same model name, another width: the index is rebuilt, never mixed
    narrow = milvus(corpus, tmp_path, FakeEmbedder(dim=32))
    assert narrow.ensure_index().embedded > 0
    assert narrow.ask("What is the capital of France?").sentences[0].sentence.text == "Paris is the capital of France."
    fields = narrow.store.call("describe_collection", narrow.store.sentences)["fields"]
    assert [f["params"]["dim"] for f in fields if f["name"] == "vector"] == [32]
    # records that claim another width than the collection holds: refused
    store = narrow.store
    meta = store.meta()
    meta["settings"]["dimension"] = 64
    store.write(store.records, [{"key": "meta", "kind": "meta", "name": "", "data": meta, "v": [0.0, 0.0]}], upsert=True)
    with pytest.raises(CorruptIndex, match="width"):
        store.open()
    meta["settings"]["dimension"] = 32
    meta["settings"]["model"] = "another-model@2"
    store.write(store.records, [{"key": "meta", "kind": "meta", "name": "", "data": meta, "v": [0.0, 0.0]}], upsert=True)
    with pytest.raises(CorruptIndex, match="was made for"):
        store.open()


def test_missing_extra_names_the_command_that_fixes_it(corpus: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pymilvus", None)
    with pytest.raises(QAError, match=r"pip install 'qa\[scale\]'"):
        service(corpus, tmp_path, FakeEmbedder(), settings={"store": str(tmp_path / "x.db")}).ensure_index()
    monkeypatch.setitem(sys.modules, "ray", None)
    from qa.models.distributed import RayEmbedder

    with pytest.raises(QAError, match=r"pip install 'qa\[scale\]'"):
        RayEmbedder(object(), tmp_path)  # type: ignore[arg-type]


def test_store_setting_is_checked(tmp_path: Path):
    from qa.config import load_settings

    for good in ("local", "x.db", "http://milvus:19530", "https://m.example:443"):
        assert load_settings(store=good).store == good
    with pytest.raises(QAError, match="milvus-lite file"):
        load_settings(store="postgres://x")


def test_ray_without_an_address_is_a_local_ray():
    from qa.interfaces.cli import _ray_alone

    assert _ray_alone(["index", "--ray"]) == ["index", "--ray=local"]
    assert _ray_alone(["index", "--ray", "docs/"]) == ["index", "--ray=local", "docs/"]
    assert _ray_alone(["index", "--ray", "ray://head:10001", "docs"]) == ["index", "--ray", "ray://head:10001", "docs"]
    assert _ray_alone(["index", "--ray", "10.0.0.5:6379"]) == ["index", "--ray", "10.0.0.5:6379"]
    assert _ray_alone(["index", "--ray", "--force"]) == ["index", "--ray=local", "--force"]


def _run(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-c", "from qa.interfaces.cli import main; main()", *args],
        capture_output=True, text=True, timeout=timeout, cwd=REPO,
        env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE", **(env or {})},
    )  # fmt: skip


@pytest.mark.model
def test_without_the_flags_nothing_imports_ray_or_pymilvus(seed_copy: Path, tmp_path: Path):
    code = (
        "import sys\nfrom qa.interfaces.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('ray', 'pymilvus', 'milvus_lite') if m in sys.modules))"
    )
    args = ["index", str(seed_copy), "--index-dir", str(tmp_path / "idx")]
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600, cwd=REPO)
    assert "Index" in out.stdout and out.stdout.strip().endswith("[]"), out.stdout + out.stderr


@scale
def test_an_unreachable_milvus_server_is_one_line(tmp_path: Path):
    pytest.importorskip("pymilvus")
    done = _run("ask", "What gift did Kim give?", "--store", "http://127.0.0.1:9", timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("qa: error: Milvus at 'http://127.0.0.1:9'")


@scale
@pytest.mark.model
def test_seed_questions_on_milvus_lite_match_the_local_store(seed_copy: Path, tmp_path: Path, real_embedder):
    from qa.evaluation.metrics import load_questions, summarize
    from qa.evaluation.runner import measure

    pytest.importorskip("pymilvus")
    from qa.config import load_settings
    from qa.service import Service

    results = {}
    for name, store in (("local", "local"), ("milvus", str(tmp_path / "seeds.db"))):
        settings = load_settings(corpus=str(seed_copy), index_dir=str(tmp_path / "idx"), store=store)
        svc = Service(settings, embedder=real_embedder)
        results[name] = [measure(svc.ask, q) for q in load_questions(SEED_QUESTIONS)]
    local, engine = (summarize([o for _, o in results[n]]) for n in ("local", "milvus"))
    assert abs(local["ans@1"] - engine["ans@1"]) <= 0.01
    same = sum(a.answered == b.answered for (a, _), (b, _) in zip(results["local"], results["milvus"]))
    assert same >= 0.95 * len(results["local"])
    assert engine["gold_sentence@1"] == local["gold_sentence@1"]


@scale
@pytest.mark.model
def test_ray_build_matches_the_local_build(seed_copy: Path, tmp_path: Path):
    pytest.importorskip("ray")
    import faiss

    vectors, answers = {}, {}
    for name, extra in (("local", []), ("ray", ["--ray"])):
        folder = tmp_path / name
        built = _run("index", str(seed_copy), "--index-dir", str(folder), *extra)
        assert built.returncode == 0 and built.stderr == "", built.stderr
        (path,) = folder.glob("*/v-*/sentences.faiss")
        index = faiss.read_index(str(path))
        vectors[name] = index.reconstruct_n(0, index.ntotal)
        out = tmp_path / f"{name}.jsonl"
        asked = _run("eval", str(SEED_QUESTIONS), "--corpus", str(seed_copy), "--index-dir", str(folder),
                     "--predictions", str(out))  # fmt: skip
        assert asked.returncode == 0, asked.stderr
        answers[name] = [(p["answered"], [s["text"] for s in p["sentences"]]) for p in map(json.loads, out.open())]
    assert vectors["ray"].shape == vectors["local"].shape
    assert float(np.min(np.sum(vectors["ray"] * vectors["local"], axis=1))) >= 0.9999
    assert answers["ray"] == answers["local"] and len(answers["ray"]) > 20


@scale
@pytest.mark.model
def test_a_worker_without_the_drivers_files_gets_the_export_through_ray(tmp_path: Path, monkeypatch, real_embedder):
    ray = pytest.importorskip("ray")
    from qa.config import load_settings
    from qa.models.distributed import _encoder_class
    from qa.models.encoder import ONNX_FILE, TOKENIZER_FILE
    from qa.models.loading import Models

    models = Models(load_settings(), embedder=None, cache_dir=tmp_path / "driver")
    models._embedder = real_embedder
    encoder, _ = models.indexing_encoder()
    folder = models.onnx_dir()
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "worker"))
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        files = ray.put({name: (folder / name).read_bytes() for name in (ONNX_FILE, TOKENIZER_FILE)})
        missing = tmp_path / "elsewhere" / folder.name  # the driver's path, absent on this "worker"
        actor = _encoder_class(str(missing), encoder.model_id, encoder.dim, encoder.max_tokens, 1, files)()
        texts = ["Kim gave Putin two dogs.", "Pungsans are hunting dogs."]
        got = actor({"text": np.array(texts)})["vector"]
    finally:
        ray.shutdown()
    assert (tmp_path / "worker" / "ray-models" / folder.name / ONNX_FILE).is_file()
    assert float(np.min(np.sum(got * encoder.embed(texts), axis=1))) >= 0.9999


@scale
def test_a_milvus_lite_file_open_elsewhere_is_one_line(corpus: Path, tmp_path: Path):
    svc = milvus(corpus, tmp_path, FakeEmbedder())
    svc.ensure_index()  # this process holds the file open
    done = _run("index", str(corpus), "--store", str(tmp_path / "qa.db"), timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert "another process has it open" in done.stderr


@scale
def test_milvus_index_read_otherwise_lends_its_vectors_by_text(corpus: Path, tmp_path: Path, monkeypatch):
    """An upgrade that reads some formats differently rebuilds the collections, but the ones it replaces lend
    their vectors by text key until it commits: nothing is encoded again, answers are the same, and the old
    collections are gone afterwards. Another encoder's index lends nothing."""
    import qa.ingest.build as build_module

    embedder = FakeEmbedder()
    svc = milvus(corpus, tmp_path, embedder)
    first = svc.ensure_index()
    before = svc.ask("What is the capital of France?").sentences[0].sentence.text
    made = build_module.index_settings
    monkeypatch.setattr(build_module, "index_settings", lambda *a, **k: {**made(*a, **k), "extraction": 10**6})
    embedder.seen.clear()
    again = milvus(corpus, tmp_path, embedder)
    report = again.ensure_index()
    assert report.rebuilt and report.reused_documents == 0  # every file read again
    assert embedder.seen == [] and report.encoded == 0 and report.reused_texts == first.encoded > 0
    assert again.store.settings()["extraction"] == 10**6
    assert not any(again.store.call("has_collection", name) for name in again.store.lenders)
    assert again.ask("What is the capital of France?").sentences[0].sentence.text == before
    # what the encoder reads changed (so would its vectors): the collections are replaced, nothing is lent
    monkeypatch.setattr(build_module, "index_settings", lambda *a, **k: {**made(*a, **k), "model_text": "other"})
    embedder.seen.clear()
    changed = milvus(corpus, tmp_path, embedder).ensure_index()
    assert changed.reused_texts == 0 and changed.encoded == len(embedder.seen) == first.encoded
