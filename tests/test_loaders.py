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


def test_windows_unicode_text_is_read_not_skipped_as_binary(tmp_path: Path):
    """Notepad's "Unicode" and PowerShell's `>` write UTF-16 with a byte-order mark; other tools without one."""
    text = "Le café ferme à 18 h.\r\nThe tram stops at the castle.\r\n"
    files = {
        "notepad.txt": text.encode("utf-16"),  # BOM, little-endian here
        "mac.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "bare.md": text.encode("utf-16-le"),  # no BOM
        "wide.txt": text.encode("utf-32"),
        "README": text.encode("utf-16"),  # no extension: read as text by its content
        "table.csv": "city,river\r\nLisbon,Tagus\r\n".encode("utf-16"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary data, NULs nowhere in pairs")
    docs, skipped = load_corpus(tmp_path)
    read = {Path(d.path).name: d.text for d in docs}
    for name in ("notepad.txt", "mac.txt", "bare.md", "wide.txt", "README"):
        assert " ".join(read[name].split()) == "Le café ferme à 18 h. The tram stops at the castle.", name
    assert read["table.csv"] == "city: Lisbon; river: Tagus"
    assert {Path(s.path).name: s.reason for s in skipped} == {"bin.txt": "binary content"}


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


def test_installed_packages_and_build_metadata_in_a_project_are_not_read(tmp_path: Path):
    """A project folder holds its dependencies too (node_modules, a virtual environment, site-packages) and
    its build metadata (*.egg-info: a SOURCES.txt of every file's name): other projects' READMEs and licences
    by the thousand, and file lists read as 8 KB "sentences". They are left out as hidden folders are; the
    corpus itself may be anything, a virtual environment too."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\nTrim the wick daily.\n")
    for folder in ("node_modules/left-pad", "venv/lib/python3.11/site-packages/x", "lamps.egg-info", "src/__pycache__"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "README.md").write_text("# Someone else's\n\nNot your documents.\n")
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "venv" / "NOTES.txt").write_text("Inside the environment.\n")
    docs, skipped = load_corpus(tmp_path)
    assert [Path(d.path).relative_to(tmp_path).as_posix() for d in docs] == ["docs/guide.md"]
    assert skipped == []
    docs, _ = load_corpus(tmp_path / "venv")  # asked for by name: read
    assert "NOTES.txt" in [Path(d.path).name for d in docs]


def test_missing_corpus_raises_project_error(tmp_path: Path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_single_file_corpus(tmp_path: Path):
    f = tmp_path / "one.txt"
    f.write_text("Only this. And this.")
    docs, skipped = load_corpus(f)
    assert len(docs) == 1 and not skipped


def test_a_saved_pages_resource_folder_is_left_out_with_its_reason(tmp_path: Path):
    """A browser saving a page "complete" puts its pictures, scripts and frames (ads, players) in
    "<page>_files" beside it ("-Dateien" in German Firefox): they are left out, said once per reason; a
    "_files" folder with no page of its name beside it is read as any folder."""
    from qa.ingest.loaders import SAVED_PAGE_FILES, Skipped, walk
    from qa.interfaces.cli import skipped_lines

    (tmp_path / "Harbour fees.html").write_text("<html><body><p>Dinghies pay 5 EUR.</p></body></html>")
    for folder in ("Harbour fees_files", "Harbour fees_files/nested", "Bericht-Dateien", "project_files"):
        (tmp_path / folder).mkdir()
    (tmp_path / "Bericht.htm").write_text("<html><body><p>Der Bericht.</p></body></html>")
    (tmp_path / "Harbour fees_files" / "ad.html").write_text("<html><body><p>Buy a boat now!</p></body></html>")
    (tmp_path / "Harbour fees_files" / "nested" / "player.html").write_text("<html><body><p>Play</p></body></html>")
    (tmp_path / "Bericht-Dateien" / "frame.html").write_text("<html><body><p>Werbung</p></body></html>")
    (tmp_path / "project_files" / "notes.txt").write_text("The notes of the project.\n")
    reasons = {rel: reason for rel, _, _, reason in walk(tmp_path)}
    assert reasons["Harbour fees.html"] == "" and reasons["project_files/notes.txt"] == ""
    assert reasons["Harbour fees_files/ad.html"] == reasons["Harbour fees_files/nested/player.html"] == SAVED_PAGE_FILES
    assert reasons["Bericht-Dateien/frame.html"] == SAVED_PAGE_FILES
    skipped = [Skipped(rel, reason) for rel, reason in reasons.items() if reason]
    assert skipped_lines(skipped) == [
        f"skipped 3 files, {SAVED_PAGE_FILES}: Bericht-Dateien/frame.html, Harbour fees_files/ad.html, "
        "Harbour fees_files/nested/player.html"
    ]


def test_a_project_s_readme_and_changelog_go_under_their_folder_s_name(tmp_path: Path):
    """A changelog, a README, a NEWS file are named for what kind of document they are; in a folder of
    projects, "What changed in attrs 26.1.0?" drew every changelog's 26.1.0, as no sentence of attrs' own
    said "attrs". Their sections go under the folder's name (past "docs" and a release's version), unless
    the title already names it; a user's own notes keep theirs."""
    from qa.ingest.formats.common import HEADING_SEPARATOR as SEP
    from qa.ingest.loaders import in_its_folder, load_file
    from qa.types import heading_at

    def read(path: Path):
        return in_its_folder(load_file(path), path)  # as the index reads it

    changelog = "# Changelog\n\n## 26.1.0\n\n- Fixed the slots.\n"
    for folder in (tmp_path / "attrs", tmp_path / "attrs-26.1.0" / "docs"):
        folder.mkdir(parents=True)
        (folder / "CHANGELOG.md").write_text(changelog)
        doc = read(folder / "CHANGELOG.md")
        assert heading_at(doc.sections, doc.text.index("Fixed")) == SEP.join(("attrs", "Changelog", "26.1.0")), folder
    (tmp_path / "attrs" / "README.md").write_text("# attrs: classes without boilerplate\n\nWrite less.\n")
    (tmp_path / "attrs" / "NEWS").write_text("Write less, and more plainly.\n")
    (tmp_path / "attrs" / "notes.md").write_text("# Ideas\n\nTry slots.\n")
    readme, news, notes = (read(tmp_path / "attrs" / name) for name in ("README.md", "NEWS", "notes.md"))
    assert heading_at(readme.sections, readme.text.index("Write")) == "attrs: classes without boilerplate"
    assert heading_at(news.sections, 0) == "attrs"  # no heading at all: under the folder's name
    assert heading_at(notes.sections, notes.text.index("Try")) == "Ideas"
    (tmp_path / "Downloads").mkdir()
    (tmp_path / "Downloads" / "README.txt").write_text("Unpack the archive first.\n")
    assert heading_at(read(tmp_path / "Downloads" / "README.txt").sections, 0) == ""  # a user's folder says nothing
