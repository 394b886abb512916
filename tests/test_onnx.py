"""The torch-free question path: an ONNX export of the same model, checked against sentence-transformers."""

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import BENCH, REPO

from qa.config import load_settings
from qa.ingest.chunking import chunk_corpus
from qa.ingest.loaders import load_corpus
from qa.models.encoder import OnnxEmbedder, export_onnx
from qa.service import Service

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def onnx_dir(real_embedder, tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx")
    export_onnx(real_embedder, folder)
    return folder


def real_sentences(limit: int = 300) -> list[str]:
    """Sentences of the seed article and, where present, of the split-A corpus."""
    texts = [s.text for s in chunk_corpus(load_corpus(REPO / "seeds")[0]).sentences]
    if (BENCH / "corpus").is_dir():
        docs, _ = load_corpus(BENCH / "corpus")
        texts += [s.text for s in chunk_corpus(docs[:12]).sentences]
    return texts[:limit]


def test_onnx_agrees_with_sentence_transformers(real_embedder, onnx_dir):
    texts = real_sentences()
    assert len(texts) >= (200 if (BENCH / "corpus").is_dir() else 19)
    onnx = OnnxEmbedder(onnx_dir, real_embedder.model_id, real_embedder.dim, real_embedder.max_tokens)
    a = onnx.embed(texts)
    b = real_embedder.embed(texts)
    cosine = (a * b).sum(axis=1)
    assert cosine.min() >= 0.999, cosine.min()
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_question_path_never_imports_torch(seed_copy, tmp_path):
    env = {"QA_INDEX_DIR": str(tmp_path), "QA_CORPUS": str(seed_copy)}
    built = subprocess.run(
        [sys.executable, "-m", "qa", "index", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**__import__("os").environ, **env},
    )
    assert built.returncode == 0, built.stderr
    manifest_onnx = json.loads(next(tmp_path.rglob("manifest.json")).read_text())["query_encoder"]
    assert len(manifest_onnx["sha256"]) == 64 and manifest_onnx["onnx"].endswith("model.onnx")
    code = (
        "import sys\nfrom qa.interfaces.cli import main\nsys.argv = ['qa', 'ask', 'Where are Pungsan dogs native to?', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))"
    )
    asked = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env={**__import__("os").environ, **env}
    )
    assert asked.returncode == 0, asked.stderr
    answer_line, modules_line = asked.stdout.strip().splitlines()
    assert "northern North Korea" in json.loads(answer_line)["sentences"][0]["text"]
    assert modules_line == "[]"


def test_damaged_export_falls_back_to_torch_with_a_notice(seed_copy, real_embedder, tmp_path):
    notices = []
    engine = Service(load_settings(corpus=str(seed_copy), index_dir=str(tmp_path)), on_notice=notices.append)
    engine.models.cache_dir = tmp_path / "models"  # not the user's cache
    folder = engine.models.onnx_dir()
    folder.mkdir(parents=True)
    (folder / "model.onnx").write_bytes(b"not an onnx file")
    (folder / "tokenizer.json").write_text("{}")
    result = engine.ask("Where are Pungsan dogs native to?")
    assert "northern North Korea" in result.sentences[0].sentence.text
    assert notices and all("sentence-transformers" in n for n in notices)  # indexing and questions fell back
    assert engine.models.query_encoder is real_embedder


def test_torch_backend_setting(seed_copy, real_embedder, tmp_path):
    engine = Service(load_settings(corpus=str(seed_copy), index_dir=str(tmp_path), backend="torch"))
    engine.models.cache_dir = tmp_path / "models"
    assert engine.models.embedder is real_embedder  # one loaded model per process
    assert engine.models.query_encoder is real_embedder
    assert not (tmp_path / "models").exists()


def test_a_new_index_folder_reuses_the_users_export(seed_copy, real_embedder, tmp_path):
    first = Service(load_settings(corpus=str(seed_copy), index_dir=str(tmp_path / "a")))
    first.models.cache_dir = tmp_path / "models"
    first.ensure_index()
    export = first.models.onnx_dir() / "model.onnx"
    made = export.stat().st_mtime_ns
    second = Service(load_settings(corpus=str(seed_copy), index_dir=str(tmp_path / "b")))
    second.models.cache_dir = tmp_path / "models"
    second.ensure_index()
    assert export.stat().st_mtime_ns == made  # not exported again
    assert not list((tmp_path / "a").rglob("*.onnx")) and not list((tmp_path / "b").rglob("*.onnx"))


def test_feed_holds_only_the_inputs_the_graph_takes():
    """An MPNet or RoBERTa export takes no token_type_ids: feeding it one is an ONNX Runtime error."""
    from types import SimpleNamespace

    from qa.models.encoder import onnx_feed

    encodings = [SimpleNamespace(ids=[5, 6, 7], attention_mask=[1, 1, 1], type_ids=[0, 0, 0]),
                 SimpleNamespace(ids=[5], attention_mask=[1], type_ids=[0])]
    fed = onnx_feed(encodings, {"input_ids", "attention_mask"})
    assert sorted(fed) == ["attention_mask", "input_ids"]
    assert fed["input_ids"].tolist() == [[5, 6, 7], [5, 0, 0]] and fed["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]
    assert sorted(onnx_feed(encodings)) == ["attention_mask", "input_ids", "token_type_ids"]  # a BERT export's three
