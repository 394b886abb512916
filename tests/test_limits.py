"""Reading rules: per-format size limits, the PDF page limit, the text limit, following links out of the
corpus when asked, and a build that embeds and writes a batch at a time."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from conftest import build, service
from docfactory import write_docx, write_pdf

import qa.ingest.build
from qa.ingest.loaders import OUTSIDE, ReadRules, Skipped, load_file


def test_a_file_over_its_formats_size_limit_is_skipped_before_it_is_read(tmp_path: Path, monkeypatch):
    path = tmp_path / "log.txt"
    path.write_text("A line of a long log file.\n" * 2000)  # 54 KB
    opened = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: opened.append(n) or real_read(fd, n))
    item = load_file(path, ReadRules(max_file_mb=0.01))
    assert isinstance(item, Skipped)
    assert item.reason == "53 KB, over the 10 KB limit for text files (QA_MAX_FILE_MB)"
    assert not opened  # judged by its size alone
    assert not isinstance(load_file(path, ReadRules(max_file_mb=1)), Skipped)


def test_per_format_defaults_differ_and_one_setting_overrides_them():
    defaults, raised = ReadRules(), ReadRules(max_file_mb=500)
    assert defaults.file_limit("text") < defaults.file_limit("html") < defaults.file_limit("pdf")
    assert {raised.file_limit(kind) for kind in ("text", "html", "pdf", "docx")} == {500 * 2**20}


def test_a_pdf_over_the_page_limit_is_skipped(tmp_path: Path):
    path = tmp_path / "manual.pdf"
    write_pdf(path, [[f"Page {i} explains step {i}."] for i in range(5)])
    item = load_file(path, ReadRules(max_pdf_pages=4))
    assert isinstance(item, Skipped) and item.reason == "PDF of 5 pages (limit 4; QA_MAX_PDF_PAGES)"
    doc = load_file(path, ReadRules(max_pdf_pages=5))
    assert not isinstance(doc, Skipped) and len(doc.pages) == 5


def test_a_document_yielding_more_text_than_the_limit_is_skipped(tmp_path: Path):
    path = tmp_path / "report.docx"
    write_docx(path, "Report", ["Words of a report. " * 10] * 2000)  # compresses well: 380k characters
    rules = ReadRules(max_file_mb=0.1)
    assert os.path.getsize(path) < rules.file_limit("docx")
    item = load_file(path, rules)
    assert isinstance(item, Skipped)
    assert item.reason == "more text than the limit of 104,857 characters (QA_MAX_FILE_MB)"


def test_raising_a_limit_indexes_the_file_and_later_commands_keep_the_rules(corpus: Path, tmp_path: Path, fake_embedder):
    (corpus / "big.txt").write_text("The archive holds the lighthouse records. " * 400)  # 17 KB
    small = service(corpus, tmp_path / "idx", fake_embedder, settings={"max_file_mb": 0.01})
    report = small.ensure_index()
    assert [s.path for s in report.skipped] == ["big.txt"]
    raised = service(corpus, tmp_path / "idx", fake_embedder, settings={"max_file_mb": 1})
    assert raised.live()[0].stats().documents == report.documents + 1  # the changed rule re-read the corpus
    plain = service(corpus, tmp_path / "idx", fake_embedder)  # no explicit rule: as the index was made
    assert plain.rules.max_file_mb == 1
    assert plain._current()
    assert plain.ask("What does the archive hold?").sentences[0].sentence.text.startswith("The archive holds")


def test_follow_symlinks_indexes_links_out_of_the_corpus_only_when_asked(corpus: Path, tmp_path: Path, fake_embedder):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("The vault code is kept in the red binder.\n")
    (corpus / "linked.txt").symlink_to(outside)
    default = service(corpus, tmp_path / "idx", fake_embedder).ensure_index()
    assert ("linked.txt", OUTSIDE) in [(s.path, s.reason) for s in default.skipped]
    following = service(corpus, tmp_path / "idx", fake_embedder, settings={"follow_symlinks": True})
    report = following.ensure_index()
    assert "linked.txt" not in [s.path for s in report.skipped]
    again = service(corpus, tmp_path / "idx", fake_embedder)
    assert again._current()  # the freshness check reads the corpus as the index did
    assert again.ask("Where is the vault code kept?").sentences[0].sentence.text.endswith("red binder.")


def test_the_build_embeds_and_writes_a_batch_at_a_time_with_the_same_result(tmp_path: Path, fake_embedder, monkeypatch):
    from conftest import FakeEmbedder

    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(40):
        (corpus / f"f{i:02}.txt").write_text(f"File {i} tells of harbour {i}. The harbour {i} has {i} boats.\n")
    whole = FakeEmbedder()
    _, _, one = build(corpus, tmp_path / "one", whole)
    calls: list[int] = []

    class Counting(FakeEmbedder):
        def embed(self, texts):
            calls.append(len(texts))
            return super().embed(texts)

    monkeypatch.setattr(qa.ingest.build, "BATCH_TEXTS", 10)
    _, report, batched = build(corpus, tmp_path / "batched", Counting())
    assert len(calls) > 5 and max(calls) < 10 + 4  # a batch, plus at most one document's texts
    assert sum(calls) == report.embedded == whole.calls
    n = batched.stats().sentences
    assert n == one.stats().sentences
    assert batched.texts(list(range(n))) == one.texts(list(range(n)))
    assert np.array_equal(batched.sentence_vectors(list(range(n))), one.sentence_vectors(list(range(n))))
    assert [d.path for d in batched.documents()] == [d.path for d in one.documents()]


def test_progress_follows_files_and_texts(corpus: Path, tmp_path: Path, fake_embedder):
    seen: list[tuple[int, int, int]] = []
    engine = service(corpus, tmp_path / "idx", fake_embedder, on_progress=lambda *a: seen.append(a))
    report = engine.ensure_index()
    files = {total for _, total, _ in seen}
    assert files == {report.documents}
    assert seen[-1][0] == report.documents and seen[-1][2] == report.embedded
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)


def test_invalid_limits_are_refused_in_one_line():
    from qa.config import load_settings
    from qa.errors import QAError

    with pytest.raises(QAError, match="QA_MAX_FILE_MB"):
        load_settings(max_file_mb=0)
    os.environ["QA_FOLLOW_SYMLINKS"] = "maybe"
    try:
        with pytest.raises(QAError, match="QA_FOLLOW_SYMLINKS"):
            load_settings()
    finally:
        del os.environ["QA_FOLLOW_SYMLINKS"]
