"""Models read NFKC-normalised text: a ligature or a full-width letter means what it stands for; the text
shown and its offsets are unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from qa.models.encoder import for_model


def test_for_model_folds_compatibility_forms_only():
    assert for_model("The ﬁrst ﬂight") == "The first flight"
    assert for_model("ＡＢＣ １２３") == "ABC 123"
    assert for_model("Möngke café") == "Möngke café"  # accents stay (the model's tokenizer handles them)
    text = "plain ascii"
    assert for_model(text) is text


@pytest.mark.model
def test_the_encoders_read_a_ligature_as_its_letters(real_embedder):
    a, b = real_embedder.embed(["The ﬁrst ﬂight left at dawn.", "The first flight left at dawn."])
    assert np.allclose(a, b, atol=1e-6)
    assert real_embedder.count_tokens("ﬁrst") == real_embedder.count_tokens("first")


def test_a_ligature_in_a_document_is_found_and_shown_as_written(tmp_path, fake_embedder):
    from conftest import service

    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "manual.txt").write_text("The ﬁrst ﬂight left at dawn. The second one left at noon.\n")
    result = service(corpus, tmp_path / "idx", fake_embedder).ask("When did the first flight leave?")
    top = result.sentences[0].sentence
    assert top.text == "The ﬁrst ﬂight left at dawn."  # shown as written
