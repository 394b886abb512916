"""PowerPoint 97-2003 presentations (.ppt): each slide's text, read from the binary format's records
([MS-PPT], Microsoft's published specification; the compound file is opened by olefile).

A .ppt keeps every version of a slide that a fast save appended: the current ones are found as PowerPoint
finds them, from the "Current User" stream's last edit through the chain of edits' persist directories. The
slides come in the order the document's slide list gives; a slide's text is what that list holds for it
(older files) and what its shapes' text boxes hold (newer ones), then its speaker notes. Masters are not read."""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from qa.ingest.formats.common import Outline, ReadRules, Skipped, content_kind, make_document, summary_text
from qa.types import Document

_CONTAINER = 0xF  # recVer of a record that holds records
_USER_EDIT, _PERSIST_DIRECTORY = 0x0FF5, 0x1772
_SLIDE_LIST, _SLIDE_PERSIST = 0x0FF0, 0x03F3  # the document's slide list (instance 0: slides) and its entries
_TEXT_HEADER, _TEXT_CHARS, _TEXT_BYTES = 0x0F9F, 0x0FA0, 0x0FA8
_SLIDE_ATOM = 0x03EF  # a slide's properties: its notes page's persist id among them
_NOTES = 2  # TextHeaderAtom type of a notes page's text
_TITLES = (0, 6)  # TextHeaderAtom types of a title: Tx_TYPE_TITLE, Tx_TYPE_CENTERTITLE
_ENCRYPTED = 0xF3D1C4DF  # the Current User header token of an encrypted presentation
MAX_DEPTH = 32  # records nest a few levels; a file nesting deeper is damaged


def parse_ppt(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """A .ppt: slide by slide, as a .pptx is read (each slide a page, its title the heading of its text). A
    .pptx saved under the old name is read as one."""
    kind = content_kind(data)
    if kind == "zip":
        from qa.ingest.formats.office import parse_pptx

        return parse_pptx(path, data, rules)
    if kind != "ole":
        return Skipped(path, "not a PowerPoint 97-2003 presentation (.ppt) nor a .pptx")
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        if not ole.exists("PowerPoint Document") or not ole.exists("Current User"):
            return Skipped(path, "not a PowerPoint 97-2003 presentation: save it as .pptx to have it read")
        user = ole.openstream("Current User").read()
        stream = ole.openstream("PowerPoint Document").read()
        title = summary_text(ole.get_metadata().title)
    if struct.unpack_from("<I", user, 12)[0] == _ENCRYPTED:
        return Skipped(path, "password-protected: save it as .pptx without a password to have it read")
    persist, document = _persist(stream, struct.unpack_from("<I", user, 16)[0])
    outline = Outline()
    starts: list[int] = []
    for listed, slide in _slides(stream, persist[document]):
        at = persist.get(slide, -1)
        notes = persist.get(_notes_of(stream, at), -1)
        texts = listed + list(_texts(stream, at)) + [(_NOTES, text) for _, text in _texts(stream, notes)]
        heading = next((" ".join(text.split()) for kind, text in texts if kind in _TITLES), "")
        units = [
            (" ".join(paragraph.split()), False)
            for kind, text in texts
            if kind not in _TITLES
            for paragraph in text.split("\r")
            if paragraph.strip() and paragraph.strip() != "*"  # "*": the slide number's field
        ]
        starts.append(outline.offset)
        title = title or heading
        outline.slide(heading, units)
    return make_document(path, data, outline.text(), title, pages=tuple(starts), **outline.fields())


def _header(stream: bytes, at: int) -> tuple[int, int, int, int]:
    """(recVer, recInstance, recType, recLen) of the record at `at`."""
    packed, kind, length = struct.unpack_from("<HHI", stream, at)
    return packed & 0xF, packed >> 4, kind, length


def _persist(stream: bytes, edit: int) -> tuple[dict[int, int], int]:
    """Persist id -> offset of the object's record, the newest edit's first, and the document's persist id:
    the chain of UserEditAtoms from the last edit back to the first."""
    offsets: dict[int, int] = {}
    document, seen = None, set()
    while edit and edit not in seen and edit + 8 <= len(stream):
        seen.add(edit)
        _, _, kind, _ = _header(stream, edit)
        if kind != _USER_EDIT:
            raise ValueError("no UserEditAtom where the last edit should be")
        previous, directory, doc = struct.unpack_from("<III", stream, edit + 16)
        document = doc if document is None else document
        _, _, kind, length = _header(stream, directory)
        if kind != _PERSIST_DIRECTORY:
            raise ValueError("no persist directory where the edit says")
        at, end = directory + 8, min(directory + 8 + length, len(stream))
        while at + 4 <= end:
            entry = struct.unpack_from("<I", stream, at)[0]
            first, count = entry & 0xFFFFF, entry >> 20
            for k, offset in enumerate(struct.unpack_from(f"<{count}I", stream, at + 4)):
                offsets.setdefault(first + k, offset)
            at += 4 + 4 * count
        edit = previous
    if document is None or document not in offsets:
        raise ValueError("no document in the persist directory")
    return offsets, document


def _notes_of(stream: bytes, slide: int) -> int:
    """The persist id of a slide's notes page (its SlideAtom's notesIdRef), 0 for none."""
    if slide < 0 or slide + 8 > len(stream):
        return 0
    for at, _, kind, size in _children(stream, slide):
        if kind == _SLIDE_ATOM and size >= 20:
            return struct.unpack_from("<I", stream, at + 8 + 16)[0]
    return 0


def _children(stream: bytes, at: int) -> Iterator[tuple[int, int, int, int]]:
    """The records directly inside the container at `at`: (offset, recInstance, recType, recLen)."""
    _, _, _, length = _header(stream, at)
    at, end = at + 8, min(at + 8 + length, len(stream))
    while at + 8 <= end:
        _, instance, kind, size = _header(stream, at)
        yield at, instance, kind, size
        at += 8 + size


def _slides(stream: bytes, document: int) -> Iterator[tuple[list[tuple[int, str]], int]]:
    """Each slide of the document's slide list, in order: the text the list holds for it (type, text) and
    its persist id. In the list a slide's entry (SlidePersistAtom) is followed by its text's records."""
    for at, instance, kind, _ in _children(stream, document):
        if kind != _SLIDE_LIST or instance != 0:
            continue
        slides: list[tuple[int, list[tuple[int, int, int, int]]]] = []
        for child in _children(stream, at):
            if child[2] == _SLIDE_PERSIST:
                slides.append((struct.unpack_from("<I", stream, child[0] + 8)[0], []))
            elif slides:
                slides[-1][1].append(child)
        for slide, records in slides:
            yield list(_text_atoms(stream, records)), slide


def _texts(stream: bytes, at: int) -> Iterator[tuple[int, str]]:
    """The text atoms inside the container at `at` (a slide, a notes page), each with its type of text."""
    if 0 <= at and at + 8 <= len(stream) and _header(stream, at)[0] == _CONTAINER:
        yield from _text_atoms(stream, _children(stream, at))


def _text_atoms(stream: bytes, records, depth: int = 0) -> Iterator[tuple[int, str]]:
    """The text atoms among `records` (offset, instance, type, length) and inside those that are containers,
    each with the type of text the TextHeaderAtom before it gave."""
    kind_of_text = 1
    for at, _, record, size in records:
        if record == _TEXT_HEADER:
            kind_of_text = struct.unpack_from("<I", stream, at + 8)[0]
        elif record in (_TEXT_CHARS, _TEXT_BYTES):
            yield kind_of_text, _text(stream, at, record, size)
        elif depth < MAX_DEPTH and _header(stream, at)[0] == _CONTAINER:
            yield from _text_atoms(stream, _children(stream, at), depth + 1)


def _text(stream: bytes, at: int, record: int, size: int) -> str:
    raw = stream[at + 8 : at + 8 + size]
    text = raw.decode("utf-16-le", errors="replace") if record == _TEXT_CHARS else raw.decode("cp1252", errors="replace")
    return text.replace("\x0b", " ")
