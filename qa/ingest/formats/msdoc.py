"""Word 97-2003 documents (.doc): the binary format's text, read from its piece table, with the headings of
its heading styles ([MS-DOC], Microsoft's published specification; the compound file is opened by olefile).

Only what answering needs is read: the main document's text (not headers, footers, comments or notes), each
paragraph's style (to know the headings and the title), fields as what they display, tables row by row (a
paragraph's properties say whether it is in a table's cell or ends a row). A file named
.doc that is really a .docx, RTF or HTML file (Word and many web applications save those under .doc) is read
as what it is."""

from __future__ import annotations

import bisect
import io
import re
import struct

from qa.ingest.formats.common import (
    Outline,
    ReadRules,
    Skipped,
    content_kind,
    make_document,
    metadata_title,
    summary_text,
)
from qa.ingest.formats.text import plain_sections
from qa.types import Document

_WORD_97 = 0x00C1  # the FIB version (nFib) Word 97 writes; Word 6 and 95 wrote smaller ones
_IDENT = 0xA5EC
_ENCRYPTED, _TABLE_1 = 0x0100, 0x0200  # FibBase flags: fEncrypted, fWhichTblStm
# FibRgFcLcb97 entries (fc, lcb pairs) read here: the style sheet, the paragraph properties' bin table, the
# piece table
_STYLES, _PARAGRAPHS, _PIECES = 1, 13, 33
_PAGE = 512  # an FKP page of paragraph properties
# characters of the text stream: paragraph end, cell or row end, line break, page or section break, field begin,
# separator and end; the rest of the control characters mark pictures, notes and other anchors
_PARAGRAPH, _CELL, _LINE, _BREAK = "\r", "\x07", "\x0b", "\x0c"
_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_ENDS = re.compile(f"[{_PARAGRAPH}{_CELL}{_BREAK}]")  # where a paragraph (a cell, a page) ends
_SHOWN = str.maketrans({"\x1e": "-", "\x1f": None, "\xa0": " ", _LINE: "\n"})


def parse_doc(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """A .doc file: a Word 97-2003 document, or another format Word saves under that name."""
    kind = content_kind(data)
    if kind in ("rtf", "zip"):
        from qa.ingest.formats.office import parse_docx, parse_rtf

        return (parse_rtf if kind == "rtf" else parse_docx)(path, data, rules)
    if kind == "markup" and b"<w:worddocument" not in data[:1024].lower():  # Word 2003's XML is no web page
        from qa.ingest.formats.web import parse_html

        return parse_html(path, data, rules)
    if kind != "ole":
        return Skipped(path, "not a Word document (.doc): neither Word 97-2003, .docx, RTF nor HTML")
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        if not ole.exists("WordDocument"):
            return Skipped(path, "not a Word document (.doc): a compound file without a WordDocument stream")
        word = ole.openstream("WordDocument").read()
        ident, version = struct.unpack_from("<HH", word, 0)
        flags = struct.unpack_from("<H", word, 10)[0]
        if ident != _IDENT or version < _WORD_97:
            return Skipped(path, "a Word 6 or 95 document: save it as .docx to have it read")
        if flags & _ENCRYPTED:
            return Skipped(path, "password-protected: save it as .docx without a password to have it read")
        name = "1Table" if flags & _TABLE_1 else "0Table"
        if not ole.exists(name):
            return Skipped(path, f"not a Word document (.doc): its {name} stream is missing")
        table = ole.openstream(name).read()
        meta = ole.get_metadata()
        title = metadata_title(summary_text(meta.title))
        created = meta.create_time.date().isoformat() if meta.create_time else ""
    levels = _heading_levels(word, table)
    outline = Outline()
    headed = False
    rows: list[list[str]] = []  # the table being read, row by row
    row: list[str] = []
    for text, style, mark in _paragraphs(word, table):
        if mark == CELL_END:
            row.append(text)
            continue
        if mark == ROW_END:
            if row:
                rows.append(row)
            row = []
            continue
        if rows or row:  # the paragraph after a table
            outline.table([*rows, row] if row else rows)
            rows, row = [], []
        if style in levels:
            title, headed = title or " ".join(text.split()), True
            outline.heading(levels[style], text)
        else:
            outline.paragraph(text)
    if rows or row:
        outline.table([*rows, row] if row else rows)
    body = outline.text()
    if headed:
        return make_document(path, data, body, title, created, sections=outline.sections(), records=outline.records())
    sections, headings, titles = plain_sections(body)
    records = tuple(sorted({*outline.records(), *titles}))
    return make_document(path, data, body, title, created, sections=sections, headings=headings, records=records)


def _fib_longs(word: bytes) -> int:
    """Where the FIB's FibRgLw (its 32-bit fields) begins: after FibBase and the counted FibRgW."""
    return 34 + 2 * struct.unpack_from("<H", word, 32)[0] + 2


def _fib_pair(word: bytes, index: int) -> tuple[int, int]:
    """The (fc, lcb) pair `index` of the FIB's FibRgFcLcb, after the counted FibRgLw: where a structure starts
    in the table stream, and its size."""
    at = _fib_longs(word)
    at += 4 * struct.unpack_from("<H", word, at - 2)[0]
    count = struct.unpack_from("<H", word, at)[0]
    if index >= count:
        return 0, 0
    return struct.unpack_from("<II", word, at + 2 + 8 * index)


def _main_length(word: bytes) -> int:
    """ccpText (FibRgLw's fourth field): how many characters the main document has (notes, headers and
    comments follow it)."""
    return struct.unpack_from("<i", word, _fib_longs(word) + 12)[0]


def _pieces(word: bytes, table: bytes) -> list[tuple[int, int, int, bool]]:
    """The piece table: (first character, last character + 1, file offset, 8-bit) per piece of text."""
    fc, lcb = _fib_pair(word, _PIECES)
    clx = table[fc : fc + lcb]
    at = 0
    while at < len(clx) and clx[at] == 1:  # Prc: formatting, skipped (read unsigned: always forward)
        at += 3 + struct.unpack_from("<H", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 2:
        raise ValueError("no piece table")
    size = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5 : at + 5 + size]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for k in range(n):
        raw = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        compressed = bool(raw & 0x40000000)
        offset = (raw & 0x3FFFFFFF) // 2 if compressed else raw & 0x3FFFFFFF
        out.append((cps[k], cps[k + 1], offset, compressed))
    return out


def _paragraphs(word: bytes, table: bytes) -> list[tuple[str, int, int]]:
    """The main document's paragraphs: (text as displayed, style index, table mark); in a table, a cell's
    paragraphs joined into one ending its cell (`CELL_END`), and a row's end (ROW_END) kept, empty; other
    empty paragraphs left out."""
    styles = _paragraph_styles(word, table)
    end = _main_length(word)
    out: list[tuple[str, int, int]] = []
    current: list[str] = []
    cell: list[str] = []  # the paragraphs of the table's cell being read
    for first, last, offset, compressed in _pieces(word, table):
        if first >= end:
            break
        count = min(last, end) - first
        width = 1 if compressed else 2
        raw = word[offset : offset + count * width]
        text = raw.decode("cp1252", errors="replace") if compressed else raw.decode("utf-16-le", errors="replace")
        start = 0
        for end_mark in _ENDS.finditer(text):
            current.append(text[start : end_mark.start()])
            style, mark = _style_at(styles, offset + end_mark.start() * width)
            shown = _displayed("".join(current))
            current, start = [], end_mark.end()
            if mark & ROW_END:
                out.append(("", style, ROW_END))
            elif mark & IN_TABLE:
                cell.append(shown)
                if end_mark.group() == _CELL:
                    out.append(("\n".join(part for part in cell if part.strip()), style, CELL_END))
                    cell = []
            elif shown.strip():
                out.append((shown, style, 0))
        current.append(text[start:])
    if current and (shown := _displayed("".join(current))).strip():
        out.append((shown, 0, 0))
    return out


def _displayed(text: str) -> str:
    """A paragraph's text as Word displays it: a field's result without its instructions ({ HYPERLINK "…" }),
    special characters as what they show, anchors of pictures and notes left out."""
    out: list[str] = []
    hidden: list[bool] = []  # per open field: whether its instructions are still being read
    for char in text:
        if char == _FIELD_BEGIN:
            hidden.append(True)
        elif char == _FIELD_SEPARATOR and hidden:
            hidden[-1] = False
        elif char == _FIELD_END and hidden:
            hidden.pop()
        elif not any(hidden) and (char >= " " or char in ("\t", "\n", _LINE)):
            out.append(char)
    return "".join(out).translate(_SHOWN)


def _paragraph_styles(word: bytes, table: bytes) -> list[tuple[int, int, int, int]]:
    """(first byte, last byte + 1, style index, table mark) of each run of paragraph properties, from the FKP
    pages that the bin table points at, sorted by position; the mark says whether the paragraph is in a
    table's cell (IN_TABLE) or ends a table's row (ROW_END), from its properties (`_table_mark`)."""
    fc, lcb = _fib_pair(word, _PARAGRAPHS)
    if lcb < 8:
        return []
    n = (lcb - 4) // 8
    pages = struct.unpack_from(f"<{n}I", table, fc + 4 * (n + 1))
    runs = []
    for number in pages:
        page = word[(number & 0x3FFFFF) * _PAGE : ((number & 0x3FFFFF) + 1) * _PAGE]
        if len(page) < _PAGE:
            continue
        crun = page[_PAGE - 1]
        bounds = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for k in range(crun):
            at = page[4 * (crun + 1) + 13 * k] * 2  # BxPap: where the PapxInFkp is, in words
            style = mark = 0
            if at:
                size = page[at]
                start, length = (at + 1, 2 * size - 1) if size else (at + 2, 2 * page[at + 1])  # cb, or 0 then cb'
                style = struct.unpack_from("<H", page, start)[0]
                mark = _table_mark(page[start + 2 : start + length])
            runs.append((bounds[k], bounds[k + 1], style, mark))
    return sorted(runs)


IN_TABLE, ROW_END, CELL_END = 1, 2, 4
# paragraph properties (sprms) that place a paragraph in a table: sprmPFInTable, sprmPFTtp (the paragraph
# that ends a row), sprmPItap (how deep in nested tables: read as in a table), sprmPFInnerTtp
_IN_TABLE, _TTP, _ITAP, _INNER_TTP = 0x2416, 0x2417, 0x6649, 0x244C
_OPERAND_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}  # by the sprm's spra (its top three bits)


def _table_mark(grpprl: bytes) -> int:
    """IN_TABLE, ROW_END or 0, from a paragraph's properties (a list of sprms: an operation code, then an
    operand whose size the code's top bits say, or its first byte for a variable one); reading stops at one
    it cannot size (a row's table definition, which comes after the marks)."""
    mark, at = 0, 0
    while at + 2 <= len(grpprl):
        code = struct.unpack_from("<H", grpprl, at)[0]
        spra = code >> 13
        if spra == 6:
            if code in (0xD608, 0xC615) or at + 2 >= len(grpprl):  # sprmTDefTable, sprmPChgTabs: sized otherwise
                break
            size = 1 + grpprl[at + 2]
        else:
            size = _OPERAND_SIZE[spra]
        operand = grpprl[at + 2 : at + 2 + size]
        if code in (_IN_TABLE, _INNER_TTP, _ITAP) and any(operand):
            mark |= IN_TABLE
        elif code == _TTP and any(operand):
            mark |= ROW_END
        at += 2 + size
    return mark


def _style_at(runs: list[tuple[int, int, int, int]], position: int) -> tuple[int, int]:
    """The style index and table mark of the paragraph run holding the byte at `position` ((0, 0): Normal,
    outside a table, if none does)."""
    k = bisect.bisect_right(runs, (position, 1 << 62, 0, 0)) - 1
    if k >= 0 and runs[k][0] <= position < runs[k][1]:
        return runs[k][2], runs[k][3]
    return 0, 0


_TITLE_STYLE = 62  # the sti of Word's built-in "Title" style


def _heading_levels(word: bytes, table: bytes) -> dict[int, int]:
    """Style index -> heading level for the styles that are Word's built-in headings (sti 1-9: "heading 1" to
    "heading 9", whatever the language they are named in), and 0 for its "Title", from the style sheet."""
    fc, lcb = _fib_pair(word, _STYLES)
    sheet = table[fc : fc + lcb]
    if len(sheet) < 6:
        return {}
    header = struct.unpack_from("<H", sheet, 0)[0]
    count = struct.unpack_from("<H", sheet, 2)[0]
    at, levels = 2 + header, {}
    for index in range(count):
        if at + 2 > len(sheet):
            break
        size = struct.unpack_from("<H", sheet, at)[0]
        if size >= 2:
            sti = struct.unpack_from("<H", sheet, at + 2)[0] & 0x0FFF
            if 1 <= sti <= 9 or sti == _TITLE_STYLE:
                levels[index] = 0 if sti == _TITLE_STYLE else sti
        at += 2 + size
    return levels
