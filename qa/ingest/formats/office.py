"""Office documents: Word (.docx, python-docx) and OpenDocument text (.odt, LibreOffice)."""

from __future__ import annotations

import io

from qa.ingest.formats.common import (
    HTML_MAX_DEPTH,
    Outline,
    ReadRules,
    Skipped,
    decode,
    html_depth,
    is_data,
    make_document,
    read_xml,
    row_text,
    unzips_too_far,
)
from qa.types import Document


def parse_docx(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """Word .docx (python-docx): paragraphs and table cells; the first Title/Heading paragraph is the title.
    A file that would unzip to more than DOCX_MAX_EXPANDED bytes (or 4x the DOCX size limit, if more) is
    skipped before anything is unzipped."""
    import io
    import zipfile

    import docx

    too_big = unzips_too_far(path, zipfile.ZipFile(io.BytesIO(data)), "docx", rules)
    if too_big is not None:
        return too_big
    document = docx.Document(io.BytesIO(data))
    outline = Outline()
    title = document.core_properties.title or ""
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith(("Heading", "Title")):
            title = title or paragraph.text.strip()
            level = style.removeprefix("Heading").strip()
            outline.heading(int(level) if level.isdigit() else 0, paragraph.text)
            continue
        outline.paragraph(paragraph.text)
    outline.close()  # python-docx gives the tables apart from the paragraphs: under no heading
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if not is_data(rows):
            for cells in rows:
                for text in cells:
                    outline.paragraph(text)
            continue
        # a data table's first row names its columns when there is more than one row
        header = rows[0] if len(rows) > 1 else None
        for cells in rows[1:] if header else rows:
            outline.paragraph(row_text(cells, header))
    return make_document(path, data, outline.text(), title, sections=outline.sections())


def parse_odt(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """OpenDocument text (.odt, LibreOffice): the paragraphs and headings of content.xml in order (a heading's
    outline level is its level), each table row one unit (cells joined by " | "); tracked deletions, comments
    and footnotes are left out; the metadata's title is the title. Guarded like a DOCX: a file that would
    unzip to more than DOCX_MAX_EXPANDED bytes (or 4x its size limit) is skipped before anything is
    unzipped, and so is content nested deeper than HTML_MAX_DEPTH. The XML is read by `read_xml`."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    too_big = unzips_too_far(path, archive, "odt", rules)
    if too_big is not None:
        return too_big
    markup, _ = decode(archive.read("content.xml"))
    if html_depth(markup) > HTML_MAX_DEPTH:
        return Skipped(path, f"ODT content nested deeper than {HTML_MAX_DEPTH} elements")
    content = read_xml(markup)
    found = read_xml(archive.read("meta.xml")).find("dc:title") if "meta.xml" in archive.namelist() else None
    title = found.get_text(" ", strip=True) if found else ""
    for tag in content.find_all(["text:tracked-changes", "office:annotation", "text:note"]):
        tag.decompose()
    for tag in content.find_all(["text:s", "text:tab", "text:line-break"]):
        tag.replace_with(" ")
    outline = Outline()
    for tag in content.find_all(["text:h", "text:p", "table:table-row"]):
        if tag.name == "table:table-row":
            cells = [cell.get_text(" ") for cell in tag.find_all("table:table-cell")]
            outline.paragraph(row_text(cells, None))
        elif tag.find_parent("table:table-row") is not None:
            continue  # read with its row
        elif tag.name == "text:h":
            level = str(tag.get("text:outline-level", "1"))
            title = title or tag.get_text(" ", strip=True)
            outline.heading(int(level) if level.isdigit() else 1, tag.get_text(" "))
        else:
            outline.paragraph(tag.get_text())
    return make_document(path, data, outline.text(), title, sections=outline.sections())
