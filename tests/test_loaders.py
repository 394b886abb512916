"""Tier 1: loading files of the kinds people really have."""

from pathlib import Path

import pytest

from qa.errors import CorpusError
from qa.ingest.formats.common import decode
from qa.ingest.formats.text import parse_document
from qa.ingest.loaders import Skipped, load_corpus


def test_utf8_and_bom():
    assert decode("café".encode())[0] == "café"
    assert decode(b"\xef\xbb\xbfhello")[0] == "hello"


def test_legacy_encodings_are_decoded_not_crashed():
    text, encoding = decode("Le café était très chaud. Ça va.".encode("latin-1"))
    assert "caf" in text and "chaud" in text
    assert encoding != "utf-8"
    text, _ = decode("He said \u201chi\u201d \u2014 ok.".encode("cp1252"))
    assert "hi" in text


def test_crlf_normalised_and_header_parsed():
    doc = parse_document("x.txt", b"date 2020-01-01 A title\r\nBody text. More.\r\n")
    assert doc.title == "A title" and doc.date == "2020-01-01"
    assert "\r" not in doc.text
    assert doc.text[doc.body_start :].startswith("Body text.")


def test_no_header_keeps_all_text():
    doc = parse_document("notes.txt", b"dates are fun. 2020-01-01 was a day.")
    assert doc.body_start == 0 and doc.date == "" and doc.title == "notes"


def test_folder_recursive_skips_binary_empty_and_unknown(tmp_path: Path):
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "a.txt").write_text("Deep file. Found it.")
    (tmp_path / "empty.txt").write_text("   \n\n")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "image.png").write_bytes(b"\x89PNG....")
    (tmp_path / ".hidden.txt").write_text("Hidden. Ignored.")
    docs, skipped = load_corpus(tmp_path)
    assert [Path(d.path).name for d in docs] == ["a.txt"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["empty.txt"] == "empty"
    assert reasons["bin.txt"] == "binary content"
    assert "unsupported" in reasons["image.png"]
    assert all(isinstance(s, Skipped) for s in skipped)


def test_missing_corpus_raises_project_error(tmp_path: Path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_single_file_corpus(tmp_path: Path):
    f = tmp_path / "one.txt"
    f.write_text("Only this. And this.")
    docs, skipped = load_corpus(f)
    assert len(docs) == 1 and not skipped
