"""Evernote exports (.enex): each note under its title, its ENML content read as a web page is, its attached
files (a PDF, a Word file...) read as an e-mail's attachments are."""

from __future__ import annotations

import base64
import binascii
import re

from qa.ingest.formats.common import HTML_MAX_DEPTH, Outline, ReadRules, html_depth, make_document, read_xml
from qa.ingest.formats.mail import add_attachments
from qa.ingest.formats.web import read_html
from qa.types import Document

NOTE_LEVEL = 1
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T")  # "20240603T100000Z"
_HEADING_TAG = re.compile(r"<(/?)h([1-5])\b", re.I)
_TODO = re.compile(r"<en-todo\b([^<>]{0,200})/?>(?:\s*</en-todo>)?", re.I)


def parse_enex(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """An Evernote export: every note a section headed by its title (the file's title and date are its one
    note's, when it holds one); the note's content is ENML, XHTML whose headings are read one level below
    the note's title and whose check boxes read "Done: " or "To do: "; its resources that are files qa reads
    are read under "Attachment: <file name>" (pictures and nameless resources are not). The export is read
    with the HTML parser, which expands no entity a DTD declares."""
    export = read_xml(data)
    outline = Outline()
    notes = export.find_all("note")
    titles = [" ".join(note.find("title").get_text().split()) if note.find("title") else "" for note in notes]
    for note, title in zip(notes, titles):
        outline.close()
        outline.heading(NOTE_LEVEL, title or "Untitled note")
        content = note.find("content")
        page = _as_page(content.get_text()) if content is not None else ""
        if page and html_depth(page) <= HTML_MAX_DEPTH:  # a parser builds its tree recursively
            read_html(page, outline)
        add_attachments(outline, _resources(note), path, rules, level=NOTE_LEVEL + 1)
    title, date = "", ""
    if len(notes) == 1:
        title = titles[0]
        created = notes[0].find("created")
        found = _DATE.match(created.get_text().strip()) if created is not None else None
        date = "-".join(found.groups()) if found else ""
    return make_document(path, data, outline.text(), title, date, **outline.fields())


def _as_page(enml: str) -> str:
    """A note's ENML as the HTML reader reads it: headings one level down (under the note's title), check
    boxes as words."""
    enml = _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", enml)
    return _TODO.sub(lambda m: "Done: " if re.search(r"checked\s*=\s*[\"']true", m.group(1), re.I) else "To do: ", enml)


def _resources(note) -> list[tuple[str, object]]:
    """A note's attached files: (file name, bytes); a resource without a name or whose data does not decode
    gives no bytes (and is left out)."""
    files: list[tuple[str, object]] = []
    for resource in note.find_all("resource"):
        name = resource.find("file-name")
        payload = resource.find("data")
        try:
            data = base64.b64decode("".join(payload.get_text().split()), validate=True) if payload else None
        except (binascii.Error, ValueError):
            data = None
        files.append((name.get_text() if name is not None else "", data))
    return files
