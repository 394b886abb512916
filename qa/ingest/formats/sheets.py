"""Spreadsheets and delimited data: Excel workbooks (.xlsx, openpyxl; .xls, xlrd) and CSV/TSV files (the
standard library's csv). Each row is one unit, read with its sheet's column names ("Quarter: Q3; Budget: 12000")."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator

from qa.ingest.formats.common import Outline, ReadRules, Skipped, content_kind, decode, make_document, summary_text
from qa.types import Document

# A table longer than this is data rather than a document: each row would be a unit to embed (5,000 take a
# minute or two on a laptop's CPU, a 200,000-row export an hour), and a question about it is a query, not a
# sentence to find. Such a file is skipped with the reason.
MAX_ROWS = 5_000


def too_long(path: str) -> Skipped:
    return Skipped(path, f"a table of more than {MAX_ROWS:,} rows: data rather than a document")


def cell_text(value: object) -> str:
    """A cell as a reader sees it: a whole number without ".0", a date without a midnight time, empty for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return " ".join(str(value).split())


_NUMBER = re.compile(r"[-+(]?[$€£¥]?\s?\d[\d.,' ]*%?\)?")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def has_header(rows: list[list[str]]) -> bool:
    """Does the first row name the columns? Yes, unless it reads as a record: some column holds numbers in
    (nearly) every row below, and in each such column the first row holds a number too, of the same kind
    (a year where the column holds years, a count where it holds counts: "Region, 2022, 2023" above "North, 5,
    6" names the columns by year). Nor where some column holds codes of one shape in (nearly) every row below
    ("B012", "B013": a letter and three digits) and the first row one of them too ("B011"). A table of text
    that cannot tell keeps its first row as the names."""
    if coded_first_row(rows):
        return False
    told = numbers_tell_header(rows)
    return True if told is None else told


def _shape(cell: str) -> str:
    """A cell's shape: each digit 9, each capital A, each small letter a ("B011" -> "A999")."""
    return re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", cell.strip())))


def coded_first_row(rows: list[list[str]]) -> bool:
    """Does the first row hold, in some column, a code of the shape (with a digit) that 4 in 5 of the cells
    below it have: one record of a table of codes, not the column's name?"""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 3:
        return False
    first, below = rows[0], rows[1:]
    for column, name in enumerate(first):
        values = [row[column] for row in below if column < len(row) and row[column].strip()]
        shape = _shape(name)
        if len(values) >= 2 and any(c.isdigit() for c in name):
            if sum(_shape(v) == shape for v in values) >= 0.8 * len(values):
                return True
    return False


def numbers_tell_header(rows: list[list[str]]) -> bool | None:
    """`has_header`'s answer where its numbers tell (some column holds numbers in nearly every row below the
    first); None for a table of text only."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        return False
    first, below = rows[0], rows[1:]
    numeric = []
    for column in range(len(first)):
        values = [row[column] for row in below if column < len(row) and row[column].strip()]
        if values and sum(bool(_NUMBER.fullmatch(v.strip())) for v in values) >= 0.8 * len(values):
            numeric.append((first[column].strip(), values))
    if not numeric:
        return None
    for name, values in numeric:
        if not _NUMBER.fullmatch(name):
            return True
        years = sum(bool(_YEAR.fullmatch(v.strip())) for v in values) >= 0.8 * len(values)
        if bool(_YEAR.fullmatch(name)) != years:
            return True
    return False


def parse_xlsx(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """Excel .xlsx (openpyxl, read-only, formulas as their last computed values): each sheet a section under
    its name, each row a unit with the first row's column names (see `table_units`) unless that row reads as
    a record (`has_header`); empty rows and columns
    past the last filled one are left out; hidden sheets are read (a hidden sheet is still the file's data).
    A workbook of more than MAX_ROWS filled rows is skipped (data rather than a document)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)

    def rows(sheet) -> Iterator[list[str]]:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the cells the file holds, not the range its header claims (A1:XFD1048576)
        for row in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in row]

    try:
        return sheets_document(path, data, book.properties.title or "", ((s.title, rows(s)) for s in book.worksheets))
    finally:
        book.close()


def sheets_document(
    path: str, data: bytes, title: str, sheets: Iterable[tuple[str, Iterable[list[str]]]]
) -> Document | Skipped:
    """A workbook's sheets (name, rows of cell texts) as one document: each sheet a section under its name,
    its rows a table (`Outline.table`) with trailing empty cells dropped and every row as wide as the widest;
    more than MAX_ROWS filled rows in all is data rather than a document, and skipped. Rows are read as they
    come, so a long sheet is given up on at the first row over the limit."""
    outline = Outline()
    filled = 0
    for name, cells_of_rows in sheets:
        kept = []
        for cells in cells_of_rows:
            while cells and not cells[-1].strip():
                cells.pop()
            if cells:
                filled += 1
                if filled > MAX_ROWS:
                    return too_long(path)
                kept.append(cells)
        width = max((len(row) for row in kept), default=0)
        outline.close()
        outline.heading(1, name)
        table = [row + [""] * (width - len(row)) for row in kept]
        outline.table(table, has_header(table), pairs=False)  # a sheet's first row names its columns
    return make_document(path, data, outline.text(), title, **outline.fields())


def parse_delimited(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """CSV and TSV: decoded as text is; a .tsv splits at tabs, a .csv at the delimiter the standard library's
    sniffer finds among , ; tab and | (a comma when it finds none); each record a unit with the first
    record's column names (see `table_units`) unless it reads as a record itself (`has_header`); quoted fields may hold delimiters and line breaks. A file of
    more than MAX_ROWS records is skipped (data rather than a document)."""
    text, encoding = decode(data)
    if path.lower().endswith((".tsv", ".tsv.gz")):
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    rows = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append(row)
        if len(rows) > MAX_ROWS:
            return too_long(path)
    outline = Outline()
    outline.table(rows, has_header(rows), pairs=False)
    return make_document(path, data, outline.text(), encoding=encoding, **outline.fields())


def parse_xls(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """Excel 97-2003 .xls (xlrd): read as an .xlsx is, sheet by sheet, dates as dates and whole numbers
    without ".0". What programs save under .xls that is something else is read as what it is: an .xlsx, a web
    page's table (Excel's "web page" and many web applications' exports) or delimited text (CSV, TSV)."""
    kind = content_kind(data)
    if kind == "zip":
        return parse_xlsx(path, data, rules)
    if kind == "markup":
        from qa.ingest.formats.web import parse_html

        return parse_html(path, data, rules)
    if kind != "ole":
        return parse_delimited(path, data, rules)
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            return Skipped(path, "password-protected: save it as .xlsx without a password to have it read")
        return Skipped(path, f"could not read XLS: {str(exc)[:120]}")

    def value(cell) -> str:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell_text(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return cell_text(bool(cell.value))
        if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return ""
        return cell_text(cell.value)

    def sheets() -> Iterator[tuple[str, Iterator[list[str]]]]:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield sheet.name, ([value(cell) for cell in sheet.row(r)] for r in range(sheet.nrows))
            book.unload_sheet(index)

    try:
        return sheets_document(path, data, _ole_title(data), sheets())
    finally:
        book.release_resources()


def _ole_title(data: bytes) -> str:
    """The title an Office compound file records in its summary information, or ""."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return summary_text(ole.get_metadata().title)
    except OSError:
        return ""
