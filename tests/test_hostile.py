"""Hostile input the fast tier can check: terminal escapes in documents and file names, links out of the
corpus, pipes, leftovers of an interrupted write."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from conftest import build

from qa.ingest.build import build_index, index_settings, is_current
from qa.ingest.chunking import ChunkSettings
from qa.ingest.loaders import BROKEN, OUTSIDE, SPECIAL
from qa.interfaces.render import for_terminal, print_answer
from qa.types import Answer, ScoredSentence, Sentence, Verdict

HOSTILE = "Kim gave \x1b]0;pwned\x07\x1b[2Jtwo \x1b[8mdogs\u202e\x9b2J."
CONTROLS = ["\x1b", "\x07", "\x9b", "\u202e"]


def test_for_terminal_keeps_length_and_drops_every_control():
    safe = for_terminal(HOSTILE)
    assert len(safe) == len(HOSTILE)
    assert not any(c in safe for c in CONTROLS)
    assert "␛]0;pwned␇␛[2J" in safe  # visible, not acted on
    assert for_terminal("tab\there\nline") == "tab\there\nline"
    assert for_terminal("bad\udcff\udcfename.txt") == "bad\ufffd\ufffdname.txt"


def test_rendered_answer_bytes_hold_no_escape_sequence():
    from rich.console import Console

    start = HOSTILE.index("two")
    top = ScoredSentence(Sentence("evil\x1b[31m\udcff.txt", 0, len(HOSTILE), HOSTILE, line=1), 0.9, 0)
    result = Answer(
        "How many dogs?", True, 0.9, [top, top], answer_span=(start, start + 3), verdict=Verdict.ANSWERED,
        threshold=0.56, context=("Before \x1b[2J.", "After \u202e."),
    )  # fmt: skip
    out = io.StringIO()
    print_answer(result, 3, console=Console(file=out, width=300, force_terminal=True, color_system="standard"))
    written = out.getvalue()
    ours = {"\x1b[1m", "\x1b[0m", "\x1b[1;7m", "\x1b[2m", "\x1b[2;3m"}  # rich's own styling
    for style in ours:
        written = written.replace(style, "")
    assert not any(c in written for c in CONTROLS), repr(written)
    assert "␛]0;pwned␇" in written and "evil␛[31m\ufffd.txt" in written
    written.encode("utf-8")  # no lone surrogate left: a terminal can be written to


def test_a_file_name_with_a_line_break_or_a_tab_keeps_its_source_line_one_line():
    from rich.console import Console

    from qa.ingest.loaders import Skipped
    from qa.interfaces.cli import skipped_lines

    text = "The boiler was serviced on 3 May 2025."
    top = ScoredSentence(Sentence("notes/boiler\nold\tcopy.txt", 0, len(text), text, line=1), 0.9, 0)
    result = Answer("When was the boiler serviced?", True, 0.9, [top], verdict=Verdict.ANSWERED, threshold=0.56)
    out = io.StringIO()
    print_answer(result, 1, console=Console(file=out, width=300))
    source = [line for line in out.getvalue().splitlines() if "source:" in line]
    assert source == [line for line in out.getvalue().splitlines() if "boiler" in line and "txt" in line]
    assert "notes/boiler\u2424old\u2409copy.txt:0-38" in source[0]
    assert skipped_lines([Skipped("a\nb.bin", "empty")]) == ["skipped a\u2424b.bin: empty"]


def test_links_out_of_the_corpus_pipes_and_broken_links_are_skipped(corpus: Path, tmp_path: Path, fake_embedder):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash")
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "b.txt")
    (corpus / "gone.txt").symlink_to(tmp_path / "nothing.txt")
    os.mkfifo(corpus / "pipe.txt")
    store, report, snap = build(corpus, tmp_path / "idx", fake_embedder)
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons == {"passwd.txt": OUTSIDE, "gone.txt": BROKEN, "pipe.txt": SPECIAL}
    texts = snap.texts(list(range(snap.n_sentences)))
    assert not any("root:x" in t for t in texts)
    assert texts.count("Paris is the capital of France.") == 2  # b.txt and the link to it inside the corpus
    assert is_current(store, corpus, index_settings(fake_embedder, ChunkSettings()))  # the check agrees
    assert not build_index(store, corpus, fake_embedder, ChunkSettings()).rebuilt


def test_leftovers_of_an_interrupted_write_are_removed_by_the_next(corpus: Path, tmp_path: Path, fake_embedder):
    store, _, _ = build(corpus, tmp_path / "idx", fake_embedder)
    (store.root / ".tmp-v-1").mkdir()
    (store.root / ".tmp-v-1" / "sentences.npy").write_bytes(b"half")
    (store.root / ".CURRENT-v-1").write_text("")
    (corpus / "new.txt").write_text("Oslo is in Norway.")
    build_index(store, corpus, fake_embedder, ChunkSettings())
    assert not list(store.root.glob(".tmp-*")) and not list(store.root.glob(".CURRENT-*"))


def test_leftovers_go_with_the_next_command_even_without_a_rebuild(corpus: Path, tmp_path: Path, fake_embedder):
    import fcntl

    store, _, _ = build(corpus, tmp_path / "idx", fake_embedder)
    (store.root / ".tmp-v-1").mkdir()
    (store.root / ".tmp-v-1" / "sentences.f32").write_bytes(b"half")
    with open(store.root / ".lock", "a") as held:  # a build is running: its folder must stay
        fcntl.flock(held, fcntl.LOCK_EX)
        store.open()
        assert (store.root / ".tmp-v-1").exists()
    store.open()  # no build running: an answer's open removes it, nothing rebuilt
    assert not list(store.root.glob(".tmp-*"))


@pytest.mark.parametrize("name", ["new\nline.txt", "esc\x1b[2J.txt"])
def test_odd_but_valid_file_names_index_and_answer(corpus: Path, tmp_path: Path, fake_embedder, name):
    (corpus / name).write_text("The lighthouse at Cape Wrath was built in 1828.")
    _, report, snap = build(corpus, tmp_path / "idx", fake_embedder)
    assert report.documents == 4
    paths = {snap.sentence(i).doc for i in range(snap.n_sentences)}
    assert name in paths


def test_a_full_disk_keeps_the_previous_index_answering(corpus: Path, tmp_path: Path, fake_embedder, monkeypatch):
    import errno

    from conftest import service

    import qa.store.local
    from qa.store.local import IndexWriteError

    engine = service(corpus, tmp_path / "idx", fake_embedder)
    engine.ensure_index()
    before = engine.store.current()
    (corpus / "b.txt").write_text("Rome is the capital of Italy.\n")

    def full(path, array):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(qa.store.local, "_save", full)
    with pytest.raises(IndexWriteError, match="No space left on device"):
        build_index(engine.store, corpus, fake_embedder, ChunkSettings())
    notices: list[str] = []
    fresh = service(corpus, tmp_path / "idx", fake_embedder, on_notice=notices.append)
    result = fresh.ask("What is the capital of Germany?")
    assert result.sentences[0].sentence.text == "Berlin is the capital of Germany."  # the intact index
    assert len(notices) == 1 and "No space left on device; answering from the previous index" in notices[0]
    assert engine.store.current() == before
    assert not list(engine.store.root.glob(".tmp-*")) and not list(engine.store.root.glob(".CURRENT-*"))


def test_a_file_name_that_is_not_utf8_indexes_and_round_trips_in_json(corpus, tmp_path, fake_embedder):
    import json

    from conftest import service

    from qa.interfaces.cli import json_line

    raw = b"bad\xff\xfe.txt"
    (corpus / os.fsdecode(raw)).write_text("The lighthouse at Cape Wrath was built in 1828.")
    engine = service(corpus, tmp_path / "idx", fake_embedder)
    result = engine.ask("When was the lighthouse at Cape Wrath built?")
    line = json_line(result.to_json(3))
    line.encode("utf-8")  # printable as it is
    doc = json.loads(line)["sentences"][0]["doc"]
    assert os.fsencode(doc).endswith(raw)
    assert engine.ask("When was the lighthouse built?").sentences[0].sentence.doc == doc


def nested_html(path: Path, depth: int = 100_000) -> None:
    path.write_text("<html><body>" + "<div>" * depth + "Deep text." + "</div>" * depth + "</body></html>")


def docx_bomb(path: Path, megabytes: int = 250) -> None:
    """A .docx whose document.xml unzips to `megabytes` MB of spaces (a few hundred KB on disk)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            block = b" " * 2**20
            for _ in range(megabytes):
                member.write(block)


def test_parser_bombs_are_skipped_with_a_reason(corpus: Path, tmp_path: Path, fake_embedder):
    from qa.ingest.formats.common import DOCX_MAX_EXPANDED, HTML_MAX_DEPTH, html_depth

    nested_html(corpus / "nested.html")
    docx_bomb(corpus / "bomb.docx")
    (corpus / "fine.html").write_text("<p>One<p>Two<ul><li>a<li>b</ul>" + "<div>" * 50 + "Ok." + "</div>" * 50)
    assert html_depth((corpus / "fine.html").read_text()) == 50  # the <ul> closed before the divs; <p>, <li> uncounted
    _, report, snap = build(corpus, tmp_path / "idx", fake_embedder)
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["nested.html"] == f"HTML nested deeper than {HTML_MAX_DEPTH} elements"
    assert reasons["bomb.docx"] == f"DOCX expands to 250 MB unzipped (limit {DOCX_MAX_EXPANDED // 2**20} MB)"
    assert report.documents == 4  # the three small documents and fine.html
    assert "Ok." in snap.texts(list(range(snap.n_sentences)))


def _tree_depth(soup) -> int:
    return max((sum(1 for _ in tag.parents) for tag in soup.find_all(True)), default=0)


def test_a_page_that_never_closes_its_paragraphs_is_read_paragraph_by_paragraph(tmp_path: Path):
    """HTML lets a page leave its paragraphs open ("<p>One.<p>Two."), and old pages do, often with a <font> in
    each; html.parser nested every one inside the one before, so 800 such paragraphs went over the nesting
    limit (the page was skipped) and every step of reading a long page walked the whole chain."""
    from qa.ingest.formats.common import HTML_MAX_OPEN, prepared, read_xml
    from qa.ingest.loaders import load_file
    from qa.types import Document

    entries = [f"Entry {i}: item {i} costs {i} pounds." for i in range(2000)]
    markup = "<html><body>" + "".join(f"<p><font size=2>{e}" for e in entries) + "<p>The spare key is under the blue pot."
    path = tmp_path / "old.html"
    path.write_text(markup + "</body></html>")
    doc = load_file(path)
    assert isinstance(doc, Document)
    assert doc.text.split("\n\n") == [*entries, "The spare key is under the blue pot."]
    assert _tree_depth(read_xml(markup)) > 2000  # what html.parser makes of it as written
    assert _tree_depth(read_xml(prepared(markup))) <= 4  # as read: html > body > p > font
    few = "<p>One.<p>Two.<ul><li>a<li>b</ul>"
    assert prepared(few) == few and HTML_MAX_OPEN < 2000  # a page leaving a few open is read as it is written


@pytest.mark.parametrize(
    "markup, closed",
    [
        ("<table><tr><td>a<td>b<tr><td>c</table>", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</table>"),
        ("<ul><li>a<ul><li>b<li>c</ul><li>d</ul>", "<ul><li>a<ul><li>b</li><li>c</ul></li><li>d</ul>"),
        ("<dl><dt>a<dd>b<dt>c<dd>d</dl>", "<dl><dt>a</dt><dd>b</dd><dt>c</dt><dd>d</dl>"),
        ("<p>x<p><font>y<div>z</div><h2>t</h2>", "<p>x</p><p><font>y</font></p><div>z</div><h2>t</h2>"),
        ("<p>a<br>b<img src=x.png><span>c</span><p>d", "<p>a<br>b<img src=x.png><span>c</span></p><p>d"),
        ('<p>a<!-- <p> --><script>if (a<b) {"<p><li>"}</script><li>e', '<p>a<!-- <p> --><script>if (a<b) {"<p><li>"}</script><li>e'),
        ("<table><tr><td><p>cell<td>next</table>", "<table><tr><td><p>cell</p></td><td>next</table>"),
    ],
)
def test_elements_left_open_are_closed_where_a_browser_closes_them(markup: str, closed: str):
    from qa.ingest.formats.common import closed_as_read

    assert closed_as_read(markup) == closed


def _mount(*args: str) -> bool:
    import subprocess

    return os.geteuid() == 0 and subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 1 MB filesystem (tmpfs); skipped where this process may not mount one."""
    import subprocess

    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_really_full_disk_keeps_the_previous_index_answering(corpus: Path, small_disk: Path, fake_embedder):
    from conftest import service

    from qa.store.local import IndexWriteError

    engine = service(corpus, small_disk, fake_embedder)
    engine.ensure_index()
    before = engine.store.current()
    for f in range(40):  # about 5 MB once indexed
        (corpus / f"log{f:02}.txt").write_text(" ".join(f"Harbour {f}-{i} has {i} boats." for i in range(300)))
    first = fake_embedder.calls
    with pytest.raises(IndexWriteError, match="No space left on device"):
        engine.ensure_index()
    assert fake_embedder.calls - first < 40 * 300 / 2  # it failed at the first batch that did not fit
    assert engine.store.current() == before
    assert [p.name for p in engine.store.root.iterdir() if p.name.startswith(".") and p.name != ".lock"] == []
    notices: list[str] = []
    fresh = service(corpus, small_disk, fake_embedder, on_notice=notices.append)
    assert fresh.ask("What is the capital of Germany?").sentences[0].sentence.text == "Berlin is the capital of Germany."
    assert len(notices) == 1 and notices[0].endswith("No space left on device; answering from the previous index")


def test_a_read_only_index_folder_keeps_the_previous_index_answering(corpus: Path, tmp_path: Path, fake_embedder):
    import subprocess

    from conftest import service

    writable, frozen = tmp_path / "idx", tmp_path / "ro"
    service(corpus, writable, fake_embedder).ensure_index()
    frozen.mkdir()
    if not (_mount("--bind", str(writable), str(frozen)) and _mount("-o", "remount,bind,ro", str(frozen))):
        subprocess.run(["umount", "-l", str(frozen)], check=False)
        pytest.skip("cannot make a read-only bind mount here (needs root with CAP_SYS_ADMIN)")
    try:
        (corpus / "b.txt").write_text("Rome is the capital of Italy.\n")
        notices: list[str] = []
        engine = service(corpus, frozen, fake_embedder, on_notice=notices.append)
        result = engine.ask("What is the capital of Germany?")
        assert result.sentences[0].sentence.text == "Berlin is the capital of Germany."
        assert len(notices) == 1 and "Read-only file system; answering from the previous index" in notices[0]
    finally:
        subprocess.run(["umount", "-l", str(frozen)], check=False)
