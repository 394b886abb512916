"""Office documents: Word (.docx, python-docx), PowerPoint (.pptx, python-pptx), OpenDocument text,
spreadsheets and presentations (.odt, .ods, .odp: LibreOffice) and Rich Text Format (.rtf, striprtf)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from qa.ingest.formats.common import (
    HTML_MAX_DEPTH,
    Outline,
    ReadRules,
    Skipped,
    continues,
    decode,
    heading_mark,
    html_depth,
    make_document,
    metadata_title,
    names_in_bold,
    read_xml,
    table_units,
)
from qa.ingest.formats.sheets import sheets_document
from qa.ingest.formats.text import heading_by_look, plain_sections
from qa.types import Document

# The main part of a macro-enabled file, a template or a slide show is the same XML as a document's, under
# another content type, which python-docx and python-pptx refuse: read as its plain sibling (macros are never
# run, only text is read). Excel's variants (.xlsm, .xltx) openpyxl opens as they are.
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.{}.main+xml"
_VARIANTS = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "wordprocessingml.document",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "wordprocessingml.document",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "presentationml.presentation",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": "presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "presentationml.presentation",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml": "presentationml.presentation",
}


def as_standard_package(data: bytes) -> bytes:
    """An OOXML package as python-docx and python-pptx open it: a main part with a variant's content type
    (.docm, .dotx, .dotm, .pptm, .ppsx, .ppsm, .potx, .potm) renamed to the plain document's, and a
    relationship to a part the package lacks marked external (`_dangling_marked`); any other package
    unchanged. The copy is stored uncompressed (its unpacked size was checked before the reader opened it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        types = package.read("[Content_Types].xml").decode("utf-8")
        renamed = types
        for variant, kind in _VARIANTS.items():
            renamed = renamed.replace(f'"{variant}"', f'"{_MAIN_TYPE.format(kind)}"')
        changed = {"[Content_Types].xml": renamed} if renamed != types else {}
        for name in names:
            if name.endswith(".rels"):
                rels = package.read(name).decode("utf-8", "replace")
                marked = _dangling_marked(rels, name, names)
                if marked != rels:
                    changed[name] = marked
        if not changed:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            for member in package.infolist():
                text = changed.get(member.filename)
                copy.writestr(member.filename, text.encode("utf-8") if text is not None else package.read(member))
        return out.getvalue()


_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*?/?>")
_TARGET = re.compile(r'\bTarget="([^"]*)"')


def _dangling_marked(rels: str, name: str, names: set[str]) -> str:
    """A relationships part with each internal relationship whose target part is missing marked
    TargetMode="External": LibreOffice writes a link to a bookmark as a relationship to "#page-header", and
    python-docx, looking for the part "word/#page-header", failed on the whole document."""
    import posixpath
    from urllib.parse import unquote

    base = posixpath.dirname(posixpath.dirname(name))  # "word/_rels/document.xml.rels" -> "word"

    def mark(found: re.Match) -> str:
        tag = found.group(0)
        target = _TARGET.search(tag)
        if "TargetMode=" in tag or target is None:
            return tag
        path = unquote(target.group(1))
        part = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(base, path))
        if part in names:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end].rstrip()} TargetMode="External"{tag[end:]}'

    return _RELATIONSHIP.sub(mark, rels)


def parse_docx(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """Word .docx (python-docx): paragraphs and tables in document order (`_docx_blocks`), so a table sits under
    the heading above it; the first Title/Heading paragraph is the title. A paragraph's text boxes and the
    footnotes and endnotes it refers to follow it, under the same headings, each of their paragraphs a
    paragraph (python-docx reads neither: a text box's text is inside a drawing, a note in a part of its own)."""
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(as_standard_package(data)))
    _accept_changes(document.element.body)
    notes = _docx_notes(document)
    outline = Outline()
    title = metadata_title(document.core_properties.title or "")
    code: list[str] = []  # the lines of the code block being read, a paragraph each
    for block in _docx_blocks(document.element.body, document):
        if not isinstance(block, Table) and _docx_code(block.style):
            code.append(block.text)
            continue
        after_code = _code_read(outline, code)
        if isinstance(block, Table):
            rows = list(block.rows)
            outline.table([[cell.text for cell in row.cells] for row in rows], pairs=not _names_columns(rows))
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style.startswith(("Heading", "Title")):
            title = title or block.text.strip()
            level = style.removeprefix("Heading").strip()
            outline.heading(int(level) if level.isdigit() else 0, block.text)
        elif (bold := _bold_heading(block)) is not None:
            outline.heading(bold, block.text)
        elif after_code and continues(block.text):
            outline.goes_on(block.text)  # "into the terminal." after "type:" and its command
        else:
            outline.paragraph(block.text)
        for text in _docx_attached(block, notes):
            outline.paragraph(text)
    _code_read(outline, code)
    return make_document(path, data, outline.text(), title, **outline.fields())


# paragraph styles that set code, a line a paragraph: LibreOffice's "Preformatted Text" (what it makes of an
# HTML <pre>), Word's "HTML Preformatted", and the "Code" or "Source Code" styles people make
_CODE_STYLES = frozenset(
    ["preformatted text", "html preformatted", "code", "code block", "source code", "source text", "macro text"]
)


def _code_read(outline: Outline, code: list[str]) -> bool:
    """Read the lines gathered of a code block (a run of paragraphs in a code style, a line each) as one block,
    and empty the list; whether there were any."""
    if not code:
        return False
    outline.shows("\n".join(code))
    code.clear()
    return True


def _docx_code(style) -> bool:
    """Is a Word paragraph code, by its style or a style it is based on? Read as a Markdown code block is
    (`Outline.shows`), not as a sentence."""
    seen = 0
    while style is not None and seen < 10:
        if (style.name or "").lower() in _CODE_STYLES:
            return True
        style, seen = style.base_style, seen + 1
    return False


def _names_columns(rows: list) -> bool:
    """Does a Word table's first row say it names the columns: marked to repeat on each page ("Repeat as
    header row"), or all in bold over a first column that is not (a table of bold labels and their values is
    bold down its first column, not across its first row)?"""
    from docx.oxml.ns import qn

    if not rows:
        return False
    head = rows[0]._tr.trPr
    if head is not None and head.find(qn("w:tblHeader")) is not None:
        return True
    first = [cell.paragraphs for cell in rows[0].cells if cell.text.strip()]
    below = [row.cells[0].paragraphs for row in rows[1:] if row.cells and row.cells[0].text.strip()]
    return names_in_bold(list(map(_all_bold, first)), list(map(_all_bold, below)))


def _all_bold(paragraphs) -> bool:
    """Is all the text of these Word paragraphs in bold (by its runs, else their paragraph's style)?"""
    runs = [(run, paragraph) for paragraph in paragraphs for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(
        run.bold if run.bold is not None else bool(paragraph.style is not None and paragraph.style.font.bold)
        for run, paragraph in runs
    )


BOLD_LEVEL = 10  # below Word's nine heading levels: a short paragraph all in bold, written as a heading
BOLD_QUESTION_LEVEL = 11  # a FAQ's question in bold, under the bold heading it may stand below


def _bold_heading(paragraph) -> int | None:
    """The level of a paragraph that is a heading by its look, not its style, as most people write them: all
    in bold, short, not a sentence ("Annual leave", or a FAQ's "Can I carry over unused leave?", which heads
    its answer); None for any other."""
    look = heading_by_look(" ".join(paragraph.text.split()))
    if look is None or not _all_bold([paragraph]):
        return None
    return BOLD_QUESTION_LEVEL if look == "question" else BOLD_LEVEL


# what a footnote or endnote reference names: ("footnote", its id)
_NOTE_KINDS = ("footnote", "endnote")


# Elements that hold runs (or paragraphs) where python-docx, reading only a paragraph's own runs and the body's
# own paragraphs, does not look: a tracked insertion or move, a smart tag (a date, an address), a custom XML
# element, a simple field's shown result, a run of another writing direction
_WRAPPERS = ("w:ins", "w:moveTo", "w:smartTag", "w:customXml", "w:fldSimple", "w:bdo", "w:dir")


def _accept_changes(root) -> None:
    """Read a Word document as it shows with its tracked changes accepted, as ODT's are: the runs of an
    insertion, a move and the other `_WRAPPERS` in place (python-docx skipped them: every tracked insertion,
    every smart-tagged date was missing), a deletion's or a move's old place left out (<w:del>,
    <w:moveFrom>). In place, on the parsed XML."""
    from docx.oxml.ns import qn

    for tag in ("w:del", "w:moveFrom"):
        for element in list(root.iter(qn(tag))):
            if element.getparent() is not None and element.getparent().tag != qn("w:rPr"):
                element.getparent().remove(element)
    for tag in _WRAPPERS:
        for element in list(root.iter(qn(tag))):
            parent = element.getparent()
            if parent is None or parent.tag == qn("w:rPr"):
                continue  # a paragraph mark's or a run's change record, no text
            at = parent.index(element)
            for offset, child in enumerate(list(element)):
                parent.insert(at + offset, child)
            parent.remove(element)


def _docx_notes(document) -> dict[tuple[str, str], list[str]]:
    """The footnotes and endnotes of a Word document, by (kind, id): each note's paragraphs' text. The
    separators Word keeps among them (w:type="separator" and the like) are not notes."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    notes: dict[tuple[str, str], list[str]] = {}
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1].removesuffix("s")
        if kind not in _NOTE_KINDS or rel.is_external:
            continue
        root = parse_xml(rel.target_part.blob)
        _accept_changes(root)
        for note in root.iterchildren(qn(f"w:{kind}")):
            if note.get(qn("w:type")) in (None, "normal"):
                notes[(kind, note.get(qn("w:id")))] = [_docx_text(p, document) for p in note.iter(qn("w:p"))]
    return notes


def _docx_attached(paragraph, notes: dict[tuple[str, str], list[str]]) -> Iterator[str]:
    """What a Word paragraph carries beside its own text: the paragraphs of its text boxes (once: a box is
    written twice, for new and for old readers, and only the first copy, outside mc:Fallback, is read), then
    those of the notes it refers to."""
    from docx.oxml.ns import qn

    def first_copy(tag: str) -> Iterator:
        fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
        return (e for e in paragraph._p.iter(qn(tag)) if not any(a.tag == fallback for a in e.iterancestors()))

    for box in first_copy("w:txbxContent"):
        yield from (_docx_text(p, paragraph) for p in box.iterchildren(qn("w:p")))
    for kind in _NOTE_KINDS:
        for reference in first_copy(f"w:{kind}Reference"):
            yield from notes.get((kind, reference.get(qn("w:id"))), [])


def _docx_text(paragraph, parent) -> str:
    """A Word paragraph's text (w:p), as python-docx gives it, from its XML element."""
    from docx.text.paragraph import Paragraph

    return Paragraph(paragraph, parent).text


def _docx_blocks(container, parent) -> Iterator:
    """A Word body's paragraphs and tables in order, with those inside content controls (<w:sdt>: a template's
    fields, or a whole body a tool wrapped in one) but not a table of contents, which repeats the headings."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in container.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, parent)
        elif element.tag == qn("w:tbl"):
            yield Table(element, parent)
        elif element.tag == qn("w:sdt"):
            gallery = element.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
            content = element.find(qn("w:sdtContent"))
            if content is not None and (gallery is None or gallery.get(qn("w:val")) != "Table of Contents"):
                yield from _docx_blocks(content, parent)


def parse_odt(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """OpenDocument text (.odt, LibreOffice): the paragraphs and headings of content.xml in order (a heading's
    outline level is its level), a table as a .docx's is (`Outline.table`: a row one unit, with its columns'
    names where the first row names them); a footnote's or endnote's
    paragraphs follow the paragraph that refers to it, as Word's do; tracked deletions and comments are left
    out; the metadata's title is the title. Read by `_open_document`."""
    opened = _open_document(path, data, rules, "odt", notes=True)
    if isinstance(opened, Skipped):
        return opened
    content, title = opened
    weights = _odt_weights(data, content)
    for note in content.find_all("text:note"):
        holder = note.find_parent(["text:p", "text:h"])
        body = note.find("text:note-body")
        note.extract()  # its citation mark ("1") goes with it
        if holder is not None and body is not None:
            for paragraph in reversed(body.find_all(["text:p", "text:h"], recursive=False)):
                holder.insert_after(paragraph)
    outline = Outline()
    read: set[int] = set()  # the tables read (each at its first row)
    code: list[str] = []  # the lines of the code block being read, a paragraph each
    for tag in content.find_all(["text:h", "text:p", "table:table-row"]):
        if tag.name == "text:p" and tag.find_parent("table:table-row") is None and _odt_code(weights, tag):
            code.append(tag.get_text())
            continue
        after_code = _code_read(outline, code)
        if tag.name == "table:table-row":
            table = tag.find_parent("table:table")
            if table is not None and id(table) not in read:
                read.add(id(table))
                own = [row for row in table.find_all("table:table-row") if row.find_parent("table:table") is table]
                rows = [[cell.get_text(" ") for cell in row.find_all("table:table-cell")] for row in own]
                outline.table(rows, pairs=not _odt_names_columns(table, own, weights))
        elif tag.find_parent("table:table-row") is not None:
            continue  # read with its row
        elif tag.name == "text:h":
            level = str(tag.get("text:outline-level", "1"))
            title = title or tag.get_text(" ", strip=True)
            outline.heading(int(level) if level.isdigit() else 1, tag.get_text(" "))
        elif (bold := _odt_bold_heading(tag, weights)) is not None:
            outline.heading(bold, tag.get_text())
        elif after_code and continues(tag.get_text()):
            outline.goes_on(tag.get_text())  # "into the terminal." after "type:" and its command
        else:
            outline.paragraph(tag.get_text())
    _code_read(outline, code)
    return make_document(path, data, outline.text(), title, **outline.fields())


def _odt_code(weights: dict[tuple[str, str], tuple[bool | None, str]], paragraph) -> bool:
    """Is an ODT paragraph code, by its style or a parent style ("Preformatted_20_Text": `_CODE_STYLES`)?"""
    name, seen = str(paragraph.get("text:style-name", "")), set()
    while name and name not in seen:
        seen.add(name)
        if name.replace("_20_", " ").lower() in _CODE_STYLES:
            return True
        name = weights.get(("paragraph", name), (None, ""))[1]
    return False


def _odt_weights(data: bytes, content) -> dict[tuple[str, str], tuple[bool | None, str]]:
    """Each paragraph and text style, by (family, name): whether it sets bold (None when it leaves the weight
    to its parent) and its parent's name. The automatic styles of content.xml (what bolding a selection in
    LibreOffice makes) and the named styles of styles.xml ("Strong Emphasis")."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    trees = [content]
    if "styles.xml" in archive.namelist():
        markup, _ = decode(archive.read("styles.xml"))
        if html_depth(markup) <= HTML_MAX_DEPTH:  # else its named styles are not read (as content this deep is not)
            trees.append(read_xml(markup))
    weights: dict[tuple[str, str], tuple[bool | None, str]] = {}
    for tree in trees:
        for style in tree.find_all("style:style"):
            props = style.find("style:text-properties")
            weight = str(props.get("fo:font-weight", "")) if props is not None else ""
            bold = (weight == "bold" or weight.isdigit() and int(weight) >= 600) if weight else None
            key = (str(style.get("style:family", "")), str(style.get("style:name", "")))
            weights.setdefault(key, (bold, str(style.get("style:parent-style-name", ""))))
    return weights


def _odt_bold(weights: dict[tuple[str, str], tuple[bool | None, str]], family: str, name: str) -> bool | None:
    """Whether a style, or the nearest of its parents that says, sets bold (None when none says)."""
    seen = set()
    while name and name not in seen:
        seen.add(name)
        bold, parent = weights.get((family, name), (None, ""))
        if bold is not None:
            return bold
        name = parent
    return None


def _odt_bold_heading(paragraph, weights: dict[tuple[str, str], tuple[bool | None, str]]) -> int | None:
    """The level of an ODT paragraph that is a heading by its look, as `_bold_heading` finds a Word one: all
    its text in bold (`_odt_all_bold`), short, not a sentence; not a list item. None for any other."""
    look = heading_by_look(" ".join(paragraph.get_text().split()))
    if look is None or paragraph.find_parent("text:list-item") is not None or not _odt_all_bold(paragraph, weights):
        return None
    return BOLD_QUESTION_LEVEL if look == "question" else BOLD_LEVEL


def _odt_all_bold(element, weights: dict[tuple[str, str], tuple[bool | None, str]]) -> bool:
    """Is all the text of an ODT paragraph (or of a table's cell: its paragraphs) in bold, by its paragraph
    style or the text styles of the spans holding it?"""
    paragraphs = [element] if element.name in ("text:p", "text:h") else element.find_all(["text:p", "text:h"])
    seen = False
    for paragraph in paragraphs:
        own = bool(_odt_bold(weights, "paragraph", str(paragraph.get("text:style-name", ""))))
        for text in paragraph.find_all(string=True):
            if not text.strip():
                continue
            bold = None
            for span in text.find_parents("text:span"):  # the innermost span that says decides
                bold = _odt_bold(weights, "text", str(span.get("text:style-name", "")))
                if bold is not None:
                    break
            if not (own if bold is None else bold):
                return False
            seen = True
    return seen


def _odt_names_columns(table, rows: list, weights: dict[tuple[str, str], tuple[bool | None, str]]) -> bool:
    """Does an ODT table's first row name its columns, as `_names_columns` asks of a Word one: marked as the
    rows repeated on each page (table:table-header-rows), or all in bold over a first column that is not?"""
    if table.find("table:table-header-rows") is not None:
        return True
    if not rows:
        return False
    first = [cell for cell in rows[0].find_all("table:table-cell") if cell.get_text().strip()]
    below = [cells[0] for row in rows[1:] if (cells := row.find_all("table:table-cell")) and cells[0].get_text().strip()]
    return names_in_bold([_odt_all_bold(c, weights) for c in first], [_odt_all_bold(c, weights) for c in below])


def parse_ods(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """OpenDocument spreadsheet (.ods): each sheet a section under its name, each row a unit with the first
    row's column names, as a workbook is read (qa.ingest.formats.sheets); a repeated cell counts as many
    columns (at most 1,000: ODF stores a sheet's blank area as one cell repeated 16,384 times), a run of
    repeated rows once; more than MAX_ROWS filled rows is data rather than a document, and skipped."""
    opened = _open_document(path, data, rules, "ods")
    if isinstance(opened, Skipped):
        return opened
    content, title = opened

    def rows(sheet) -> Iterator[list[str]]:
        for row in sheet.find_all("table:table-row"):
            cells: list[str] = []
            for cell in row.find_all(["table:table-cell", "table:covered-table-cell"]):
                text = " ".join(p.get_text(" ") for p in cell.find_all("text:p"))
                repeat = str(cell.get("table:number-columns-repeated", "1"))
                cells += [text] * (min(int(repeat), 1_000) if repeat.isdigit() else 1)  # the blank area: 16,384
            yield cells

    sheets = ((str(sheet.get("table:name", "")), rows(sheet)) for sheet in content.find_all("table:table"))
    return sheets_document(path, data, title, sheets)


def parse_odp(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """OpenDocument presentation (.odp): slide by slide, each a page, as a .pptx is read: the title frame
    heads the slide's other text frames, tables and speaker notes; a title-only slide's title is its text."""
    opened = _open_document(path, data, rules, "odp")
    if isinstance(opened, Skipped):
        return opened
    content, title = opened
    outline = Outline()
    starts: list[int] = []
    for slide in content.find_all("draw:page"):
        starts.append(outline.offset)
        heading, units = "", []  # (text, whether it is a record)
        for frame in slide.find_all("draw:frame"):
            kind = str(frame.get("presentation:class", ""))
            if frame.find_parent("presentation:notes") is not None or kind in ("footer", "date-time", "page-number"):
                continue
            paragraphs = [p.get_text(" ") for p in frame.find_all("text:p")]
            if kind == "title" and not heading:
                heading = " ".join(" ".join(paragraphs).split())
            elif frame.find("table:table") is not None:
                rows = [[c.get_text(" ") for c in r.find_all("table:table-cell")] for r in frame.find_all("table:table-row")]
                units += table_units(rows)
            else:
                units += [(text, False) for text in paragraphs]
        notes = slide.find("presentation:notes")
        units += [(p.get_text(" "), False) for p in notes.find_all("text:p")] if notes is not None else []
        title = title or heading
        outline.slide(heading, units)
    return make_document(path, data, outline.text(), title, pages=tuple(starts), **outline.fields())


def _open_document(path: str, data: bytes, rules: ReadRules, kind: str, notes: bool = False):
    """An OpenDocument file's content.xml (read by `read_xml`, tracked deletions, comments and, unless `notes`,
    footnotes removed, spaces, tabs and line breaks as spaces) and its metadata's title; or why it is skipped:
    content nested deeper than HTML_MAX_DEPTH."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    markup, _ = decode(archive.read("content.xml"))
    if html_depth(markup) > HTML_MAX_DEPTH:
        return Skipped(path, f"{kind.upper()} content nested deeper than {HTML_MAX_DEPTH} elements")
    content = read_xml(markup)
    found = read_xml(archive.read("meta.xml")).find("dc:title") if "meta.xml" in archive.namelist() else None
    title = metadata_title(found.get_text(" ", strip=True)) if found else ""
    for tag in content.find_all(["text:tracked-changes", "office:annotation", *([] if notes else ["text:note"])]):
        tag.decompose()
    for tag in content.find_all(["text:s", "text:tab", "text:line-break"]):
        tag.replace_with(" ")
    return content, title


def parse_pptx(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """PowerPoint .pptx (python-pptx): slide by slide, each slide a page (its number is the citation's page).
    A slide's title opens its section (context for what the slide says, as a heading is), or is its only
    unit when nothing else is on the slide; every paragraph of a text box or placeholder (a bullet) is a
    unit, shapes read top to bottom and left to right, groups opened; a table's rows are units as a
    document's are; the speaker notes follow the slide's text under its title. Pictures and charts have no
    text to read."""
    import pptx

    deck = pptx.Presentation(io.BytesIO(as_standard_package(data)))
    title = metadata_title(deck.core_properties.title or "")
    outline = Outline()
    starts: list[int] = []
    for slide in deck.slides:
        starts.append(outline.offset)
        heading = slide.shapes.title
        heading_text = _slide_text(heading.text_frame.text) if heading is not None and heading.has_text_frame else ""
        title = title or heading_text
        shapes = [shape for shape in slide.shapes if heading is None or shape.shape_id != heading.shape_id]
        units = [unit for shape in _reading_order(shapes) for unit in _units(shape)]
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            units += [(text, False) for text in slide.notes_slide.notes_text_frame.text.split("\n")]
        outline.slide(heading_text, [(_slide_text(text), record) for text, record in units])
    return make_document(path, data, outline.text(), title, pages=tuple(starts), **outline.fields())


def _slide_text(text: str) -> str:
    return text.replace("\v", " ")  # a line break inside a paragraph (python-pptx writes it as a vertical tab)


def _reading_order(shapes) -> list:
    """Shapes top to bottom, then left to right (a placeholder without a position of its own first)."""
    return sorted(shapes, key=lambda shape: (shape.top or 0, shape.left or 0))


def _units(shape) -> list[tuple[str, bool]]:
    """The units of one shape, each with whether it is a record: its text frame's paragraphs, its table's
    rows (`table_units`), a group's shapes in order."""
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.shapes.group import GroupShape

    if shape.is_placeholder and shape.placeholder_format.type in (
        PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER
    ):
        return []  # "7", "03/12/2026", "Confidential": the slide's furniture, the same on every slide
    if isinstance(shape, GroupShape):
        return [unit for inner in _reading_order(shape.shapes) for unit in _units(inner)]
    if getattr(shape, "has_table", False):
        return table_units([[cell.text for cell in row.cells] for row in shape.table.rows])
    if getattr(shape, "has_text_frame", False):
        return [(paragraph.text, False) for paragraph in shape.text_frame.paragraphs]
    return []


# Rich Text Format: headings are paragraphs in a style the stylesheet names "heading N" or gives an outline
# level ({\s2 ... \outlinelevel1 ... heading 2;}); each paragraph that uses one (\s2) is marked for the reader
_RTF_STYLE = re.compile(r"\{\\s(\d+)(?!\d)([^{}]*);\}")
_RTF_LEVEL = re.compile(r"\\outlinelevel(\d)|\bheading (\d)\b", re.I)
_RTF_USES = re.compile(r"\\s(\d+)(?!\d) ?")
_RTF_TITLE = re.compile(r"\{\\title\b ?((?:[^{}\\]|\\[^{}])*)\}")
_RTF_HEX = re.compile(r"[0-9a-fA-F\r\n]{512,}")  # a picture's or object's data, cut before the slow tokeniser
_RTF_CREATED = re.compile(r"\\creatim\\yr(\d{4})\\mo(\d{1,2})\\dy(\d{1,2})")


def parse_rtf(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """Rich Text Format (.rtf, striprtf): paragraph by paragraph, headings from the stylesheet's heading
    styles (else found by their look, as in plain text), each table row one unit; the information group's
    title and creation date. Pictures, fonts, styles and other destinations are left out."""
    from striprtf.striprtf import rtf_to_text

    raw = _RTF_HEX.sub("", data.decode("latin-1"))  # RTF is 7-bit: others are escapes (\'e9, \u233)
    levels = {}
    for number, style in _RTF_STYLE.findall(raw):
        found = _RTF_LEVEL.search(style)
        if found is not None:
            levels[number] = int(found.group(1) or int(found.group(2)) - 1) + 1
    if levels:
        raw = _RTF_USES.sub(
            lambda m: f"{m.group(0)} {heading_mark(levels[m.group(1)])}" if m.group(1) in levels else m.group(0), raw
        )
    text = rtf_to_text(raw, errors="replace")
    named = _RTF_TITLE.search(raw)
    title = " ".join(rtf_to_text("{\\rtf1 " + named.group(1) + "}", errors="replace").split()) if named else ""
    created = _RTF_CREATED.search(raw)
    date = f"{created.group(1)}-{int(created.group(2)):02}-{int(created.group(3)):02}" if created else ""
    outline = Outline()
    rows: list[list[str]] = []
    for line in text.split("\n"):
        line = line.strip()
        if line.endswith("|"):  # a table row: striprtf ends each cell with "|"
            rows.append(line[:-1].split("|"))
            continue
        if rows:
            outline.table(rows)
            rows = []
        outline.block(line)
    if rows:
        outline.table(rows)
    body = outline.text()
    if levels:
        return make_document(path, data, body, title, date, **outline.fields())
    sections, headings, titles = plain_sections(body)
    records = tuple(sorted({*outline.records(), *titles}))
    return make_document(path, data, body, title, date, sections=sections, headings=headings, records=records)
