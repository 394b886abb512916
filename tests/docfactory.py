"""Builders for the messy documents tests need: a real PDF (hand-written, with text per page), a DOCX, HTML."""

from __future__ import annotations

from pathlib import Path


def _cells_drawn(cells: list[tuple], y: int, escape) -> str:
    """A table line at height `y` as a word processor draws it: each cell (x from the left margin, text; and
    True for bold) a text object of its own; then a text object begins again where the next line goes."""
    drawn = " ".join(f"BT /F{1 + (len(c) > 2)} 12 Tf {72 + c[0]} {y} Td ({escape(c[1])}) Tj ET" for c in cells)
    return f"ET {drawn} BT /F1 12 Tf 14 TL 72 {y - 14} Td"


def write_pdf(
    path: Path,
    pages: list[list],
    font: str = "Helvetica",
    word_gap: int = 0,
    outline: list[tuple[str, int, list[tuple[str, int]]]] = (),
    title: str = "",
) -> None:
    """A minimal, valid PDF: one text line per string in a standard `font` at 12 points (or per (string, size)
    pair at that size; a (string, size, True) triple is set in Helvetica-Bold; {"runs": [(string, size),
    ...]} one line of several sizes, a footnote's mark in it; {"drawn_at": y, "text": ...} a line drawn at
    that height, out of turn), one page per list. With a
    `word_gap` each line is set as justified text is: its words drawn apart by that much (thousandths of
    the font size) and no space characters between them. `outline`: bookmarks (title, page index,
    children of the same shape without children). `title`: the document information's Title."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    named = title  # the bookmarks' loop below names its own titles

    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages  # then the bold font
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    marks = [(title, page, None) for title, page, _ in outline]
    for parent, (_, _, children) in enumerate(outline):
        marks += [(title, page, parent) for title, page in children]
    first_mark = 6 + 2 * n_pages  # after the pages, their contents, the two fonts and the outline's root
    outlines = f" /Outlines {first_mark - 1} 0 R" if marks else ""
    objects.append(f"<< /Type /Catalog /Pages 2 0 R{outlines} >>".encode())
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        content_id = 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R /F2 {font_id + 1} 0 R >> >> >>".encode()
        )
        if word_gap:
            drawn = [f"[{f' -{word_gap} '.join(f'({escape(w)})' for w in line.split())}] TJ T*" for line in lines]
        else:  # a line given as (text, size) is set in that size, (text, size, True) in bold
            drawn = [
                f"/F{1 + (len(line) > 2)} {line[1]} Tf ({escape(line[0])}) Tj T* /F1 12 Tf"
                if isinstance(line, tuple)
                else f"ET BT /F1 12 Tf 72 {line['drawn_at']} Td ({escape(line['text'])}) Tj ET BT /F1 12 Tf 14 TL 72 "
                f"{720 - 14 * (k + 1)} Td"
                if isinstance(line, dict) and "drawn_at" in line  # {"drawn_at": y, "text": ...}: out of turn
                else " ".join(f"/F1 {size} Tf ({escape(text)}) Tj" for text, size in line["runs"]) + " T* /F1 12 Tf"
                if isinstance(line, dict)  # {"runs": [(text, size), ...]}: one line in several sizes
                else _cells_drawn(line, 720 - 14 * k, escape)  # a table line: a list of (x, cell text)
                if isinstance(line, list)
                else f"({escape(line)}) Tj T*"
                for k, line in enumerate(lines)
            ]
        body = "BT /F1 12 Tf 14 TL 72 720 Td " + " ".join(drawn) + " ET"
        objects.append(f"<< /Length {len(body)} >>\nstream\n{body}\nendstream".encode())
    objects.append(f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>")
    if marks:
        def number(i: int) -> int:
            return first_mark + i

        def level(parent: int | None) -> list[int]:
            return [i for i, mark in enumerate(marks) if mark[2] == parent]

        top = level(None)
        objects.append(f"<< /Type /Outlines /First {number(top[0])} 0 R /Last {number(top[-1])} 0 R /Count {len(top)} >>".encode())
        for i, (title, page, parent) in enumerate(marks):
            siblings, kids = level(parent), level(i)
            at = siblings.index(i)
            fields = [f"/Title ({escape(title)})", f"/Dest [{3 + 2 * page} 0 R /XYZ 0 792 0]"]
            fields.append(f"/Parent {first_mark - 1 if parent is None else number(parent)} 0 R")
            if at:
                fields.append(f"/Prev {number(siblings[at - 1])} 0 R")
            if at + 1 < len(siblings):
                fields.append(f"/Next {number(siblings[at + 1])} 0 R")
            if kids:
                fields.append(f"/First {number(kids[0])} 0 R /Last {number(kids[-1])} 0 R /Count {len(kids)}")
            objects.append(f"<< {' '.join(fields)} >>".encode())
    info = ""
    if named:
        objects.append(f"<< /Title ({escape(named)}) >>".encode())
        info = f" /Info {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def write_docx(path: Path, title: str, paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


HTML_PAGE = """<!doctype html><html><head><title>Glacier notes</title>
<style>body { color: red; }</style><script>var secret = "The launch code is swordfish.";</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About us</a> Menu entry that is navigation.</nav>
<header>Site header banner text.</header>
<main><h1>Glaciers</h1><p>The Aletsch Glacier is the largest glacier in the Alps.
It covers about 81 <b>square</b> kilometres.</p><p>Its ice is up to 900 metres thick.</p>
<script>document.write("Injected script sentence about glaciers.");</script></main>
<footer>Copyright footer text.</footer></body></html>"""


def messy_folder(root: Path, big_line_bytes: int = 1_000_000) -> Path:
    """A folder of every kind: PDF, DOCX, HTML with scripts and a menu, Markdown, latin-1 text, a slide deck,
    a spreadsheet, a CSV file, an RTF document, an e-mail, an empty file, a binary file and a single-line file of about
    `big_line_bytes` bytes."""
    root.mkdir(parents=True, exist_ok=True)
    write_pdf(
        root / "report.pdf",
        [["Quarterly report of the lighthouse society."], ["The lighthouse at Cape Wrath was built in 1828."]],
    )
    write_docx(root / "minutes.docx", "Board minutes", ["The board approved a budget of 12000 euros for new boats."])
    (root / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (root / "notes.md").write_text(
        "# Garden notes\n\nThe **tomatoes** were planted on the *south* wall in May.\n\n- Basil grows next to them.\n",
        encoding="utf-8",
    )
    (root / "letter.txt").write_bytes("Le café était fermé. The baker in Besançon sells croissants.".encode("latin-1"))
    (root / "empty.txt").write_text("")
    (root / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (root / "data.txt").write_bytes(b"\x00\x01binary data pretending to be text")
    write_pptx(root / "deck.pptx", [{"title": "Fleet", "bullets": ["The society owns three sailing boats."]}])
    write_xlsx(root / "members.xlsx", {"Members": [["Name", "Joined"], ["Ines Duarte", 2017], ["Tom Reyes", 2020]]})
    (root / "moorings.csv").write_text("berth,boat\nA4,Gannet\nB2,Petrel\n")
    (root / "harbour.rtf").write_text(
        r"{\rtf1\ansi{\info{\title Harbour}}\pard The harbour master keeps the keys of the boathouse.\par}"
    )
    (root / "regatta.eml").write_text(
        "From: Ines <ines@example.org>\nSubject: Regatta\nContent-Type: text/plain\n\n"
        "The summer regatta starts at the harbour wall at noon.\n"
    )
    words = ("log entry value ok " * (big_line_bytes // 19 + 1))[:big_line_bytes]
    (root / "huge.log.txt").write_text(words)
    return root


def write_epub(
    path: Path,
    title: str,
    chapters: list[tuple[str, str]],
    filler_mb: int = 0,
    encrypted: tuple[str, ...] = (),
    folder: str = "",
) -> None:
    """An EPUB 3 book: `chapters` are (heading, body paragraph) pairs, listed in the manifest in reverse but in
    reading order in the spine, beside a navigation page that is not in the spine. `filler_mb` adds a chapter
    of that many megabytes of spaces (a few hundred KB zipped). `folder`: every path inside it ("epub/"), as
    a book zipped from outside its folder is."""
    import zipfile

    class Zipped(zipfile.ZipFile):
        def writestr(self, name, data, *args, **kwargs):  # type: ignore[override]
            super().writestr(folder + name, data, *args, **kwargs)

        def open(self, name, *args, **kwargs):  # type: ignore[override]
            return super().open(folder + name if isinstance(name, str) else name, *args, **kwargs)

    opf_items, spine = [], []
    with Zipped(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        for n, (heading, body) in enumerate(chapters, 1):
            book.writestr(
                f"OEBPS/text/ch{n}.xhtml",
                f'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>{heading}</title>'
                f"</head><body><h1>{heading}</h1><p>{body}</p></body></html>",
            )
            opf_items.insert(0, f'<item id="ch{n}" href="text/ch{n}.xhtml" media-type="application/xhtml+xml"/>')
            spine.append(f'<itemref idref="ch{n}"/>')
        book.writestr(
            "OEBPS/nav.xhtml",
            '<html><body><nav epub:type="toc"><ol><li>Every chapter title, listed.</li></ol></nav>'
            "<p>The navigation page is not read.</p></body></html>",
        )
        if encrypted:  # as a DRM scheme lists what it encrypted (here nothing really is)
            refs = "".join(
                f'<enc:EncryptedData><enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>'
                "</enc:EncryptedData>"
                for uri in encrypted
            )
            book.writestr(
                "META-INF/encryption.xml",
                '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                f'xmlns:enc="http://www.w3.org/2001/04/xmlenc#">{refs}</encryption>',
            )
        if filler_mb:
            with book.open("OEBPS/text/filler.xhtml", "w") as member:
                for _ in range(filler_mb):
                    member.write(b" " * 2**20)
            opf_items.append('<item id="filler" href="text/filler.xhtml" media-type="application/xhtml+xml"/>')
            spine.append('<itemref idref="filler"/>')
        book.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
            f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></metadata>'
            '<manifest><item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/>'
            + "".join(opf_items)
            + "</manifest><spine>"
            + "".join(spine)
            + "</spine></package>",
        )


def write_odt(path: Path, title: str, body: str, automatic: str = "", styles: str = "") -> None:
    """An OpenDocument text file whose content.xml office:text holds `body` (ODF markup: text:h, text:p, ...),
    with `automatic` styles (style:style elements) in content.xml and named `styles` in styles.xml."""
    write_opendocument(path, "text", title, body, automatic, styles)


def write_opendocument(path: Path, kind: str, title: str, body: str, automatic: str = "", styles: str = "") -> None:
    """An OpenDocument file of `kind` (text, spreadsheet, presentation) whose content.xml office:body holds
    `body` inside its office:KIND element, after its `automatic` styles; `styles`: styles.xml's office:styles."""
    import zipfile

    ns = " ".join(
        f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}:1.0"'
        for prefix, name in (("office", "office"), ("text", "text"), ("table", "table"), ("draw", "drawing"),
                             ("presentation", "presentation"), ("style", "style"), ("fo", "xsl-fo-compatible"))
    ) + ' xmlns:dc="http://purl.org/dc/elements/1.1/"'  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml",
            f'<?xml version="1.0"?><office:document-content {ns}><office:automatic-styles>{automatic}'
            f"</office:automatic-styles><office:body><office:{kind}>{body}"
            f"</office:{kind}></office:body></office:document-content>",
        )
        if styles:
            archive.writestr(
                "styles.xml",
                f'<?xml version="1.0"?><office:document-styles {ns}><office:styles>{styles}</office:styles>'
                "</office:document-styles>",
            )
        archive.writestr(
            "meta.xml",
            f'<?xml version="1.0"?><office:document-meta {ns}><office:meta><dc:title>{title}</dc:title>'
            "</office:meta></office:document-meta>",
        )


def write_pptx(path: Path, slides: list[dict]) -> None:
    """A deck (python-pptx's default template): each slide a dict with `title`, `bullets` (a text box's
    paragraphs, the second one written first so that reading order must come from position), `table` (rows),
    `notes` and `footer`, each optional."""
    import copy

    import pptx
    from pptx.util import Inches

    deck = pptx.Presentation()
    for spec in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        if "title" in spec:
            slide.shapes.title.text = spec["title"]
        bullets = spec.get("bullets", [])
        for i in reversed(range(len(bullets))):
            box = slide.shapes.add_textbox(Inches(1), Inches(2 + i), Inches(8), Inches(1))
            box.text_frame.text = bullets[i]
        if "table" in spec:
            rows = spec["table"]
            shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1), Inches(5), Inches(8), Inches(1))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = value
        if "notes" in spec:
            slide.notes_slide.notes_text_frame.text = spec["notes"]
        if "footer" in spec:  # the layout's date, footer and slide-number placeholders, each showing this text
            for placeholder in slide.slide_layout.placeholders:
                if placeholder.placeholder_format.idx >= 10:
                    slide.shapes._spTree.append(copy.deepcopy(placeholder._element))
            for shape in slide.placeholders:
                if shape.placeholder_format.idx >= 10:
                    shape.text_frame.text = spec["footer"]
    deck.save(str(path))


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(str(path))


REAL_DOC = Path(__file__).parent / "fixtures" / "real" / "olefile-test-ole-file.doc"


def write_doc(path: Path, pieces: list[tuple[str, bool]], main: int, styles: list[tuple[int, int]]) -> None:
    """A Word 97-2003 .doc: the real document REAL_DOC (a compound file Word wrote) with its WordDocument and
    1Table streams rewritten in place, at their own sizes ([MS-DOC] layout): `pieces` of text (8-bit cp1252
    or UTF-16, in that order in the piece table), of which the first `main` characters are the main
    document; `styles` gives each paragraph's style as (characters of the text it covers, style index).
    The style sheet has Normal (0), "Überschrift 1" (1, Word's heading 1 in German), "heading 2" (2) and a
    style of the user's (3)."""
    import shutil
    import struct

    import olefile

    shutil.copyfile(REAL_DOC, path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        table = bytearray(ole.openstream("1Table").read())
        csw = struct.unpack_from("<H", word, 32)[0]
        longs = 34 + 2 * csw + 2
        cslw = struct.unpack_from("<H", word, longs - 2)[0]
        pairs = longs + 4 * cslw + 2
        struct.pack_into("<i", word, longs + 12, main)
        table[:] = bytes(len(table))
        # style sheet at 0: Stshi (its size, then cstd and cbSTDBaseInFile), then each style: cbStd, sti
        sheet = struct.pack("<HHH", 18, 4, 10) + bytes(14)
        for sti in (0, 1, 2, 0x0FFE):
            sheet += struct.pack("<HH", 10, sti) + bytes(8)
        table[0 : len(sheet)] = sheet
        struct.pack_into("<II", word, pairs + 8 * 1, 0, len(sheet))
        # text from byte 2048 on, the pieces one after the other
        cps, pcds, at, cp = [0], b"", 2048, 0
        spans = []
        for text, eight_bit in pieces:
            raw = text.encode("cp1252") if eight_bit else text.encode("utf-16-le")
            word[at : at + len(raw)] = raw
            pcds += struct.pack("<HIH", 0, (at * 2) | 0x40000000 if eight_bit else at, 0)
            spans.append((cp, at, 1 if eight_bit else 2))
            cp += len(text)
            cps.append(cp)
            at += len(raw) + (len(raw) % 2)
        assert at <= 7 * 512, "the text runs into the FKP page"
        plc = struct.pack(f"<{len(cps)}I", *cps) + pcds
        clx = b"\x02" + struct.pack("<I", len(plc)) + plc
        table[2000 : 2000 + len(clx)] = clx
        struct.pack_into("<II", word, pairs + 8 * 33, 2000, len(clx))

        def byte_after(character: int) -> int:  # the file offset just past a character
            first, start, width = [s for s in spans if s[0] <= character][-1]
            return start + (character - first + 1) * width

        # one FKP page of paragraph properties at page 7: runs of bytes, each with its PapxInFkp (cb, istd)
        page = bytearray(512)
        bounds, character = [2048], 0
        for length, _ in styles:
            character += length
            bounds.append(byte_after(character - 1))
        crun = len(styles)
        struct.pack_into(f"<{crun + 1}I", page, 0, *bounds)
        for k, (_, style) in enumerate(styles):
            where = 400 + 4 * k
            page[4 * (crun + 1) + 13 * k] = where // 2
            page[where : where + 3] = bytes([1]) + struct.pack("<H", style)
        page[511] = crun
        word[7 * 512 : 8 * 512] = page
        bins = struct.pack("<III", bounds[0], bounds[-1], 7)
        table[3000 : 3000 + len(bins)] = bins
        struct.pack_into("<II", word, pairs + 8 * 13, 3000, len(bins))
        ole.write_stream("WordDocument", bytes(word))
        ole.write_stream("1Table", bytes(table))


def write_compound_file(path: Path, tree: dict) -> None:
    """A compound file (CFB version 3, [MS-CFB]), what Outlook's .msg and Word's .doc are: `tree` maps names to
    bytes (a stream) or to another such dict (a storage). Streams under 4,096 bytes live in the mini stream,
    as the format requires; each storage's children are chained by their right-sibling links in the
    format's order (shorter names first, then by upper-case name)."""
    import struct

    free, end, fat_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "data": b"", "children": []}]

    def add(node: dict, parent: int) -> None:
        for name, value in node.items():
            index = len(entries)
            entries[parent]["children"].append(index)
            if isinstance(value, dict):
                entries.append({"name": name, "type": 1, "data": b"", "children": []})
                add(value, index)
            else:
                entries.append({"name": name, "type": 2, "data": bytes(value), "children": []})

    add(tree, 0)
    mini, mini_fat = bytearray(), []
    big = [e for e in entries if e["type"] == 2 and len(e["data"]) >= 4096]
    for e in entries:
        if e["type"] == 2 and len(e["data"]) < 4096:
            e["start"] = len(mini) // 64 if e["data"] else end
            count = -(-len(e["data"]) // 64)
            mini_fat += [len(mini_fat) + k + 1 for k in range(count - 1)] + ([end] if count else [])
            mini += e["data"] + bytes(count * 64 - len(e["data"]))
    directory_sectors = -(-len(entries) // 4)
    mini_fat_sectors = -(-len(mini_fat) // 128)
    mini_sectors = -(-len(mini) // 512)
    big_sectors = [-(-len(e["data"]) // 512) for e in big]
    others = directory_sectors + mini_fat_sectors + mini_sectors + sum(big_sectors)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + others:
        fat_sectors += 1
    fat: list[int] = [fat_mark] * fat_sectors

    def chain(count: int) -> int:
        first = len(fat)
        fat.extend([first + k + 1 for k in range(count - 1)] + [end])
        return first

    first_directory = chain(directory_sectors)
    first_mini_fat = chain(mini_fat_sectors) if mini_fat_sectors else end
    entries[0]["start"] = chain(mini_sectors) if mini_sectors else end
    entries[0]["data"] = bytes(mini)  # the root entry's stream is the mini stream
    for e, count in zip(big, big_sectors):
        e["start"] = chain(count)
    fat += [free] * (fat_sectors * 128 - len(fat))

    def order(index: int) -> tuple[int, str]:
        return len(entries[index]["name"]), entries[index]["name"].upper()

    records = bytearray()
    for e in entries:
        kids = sorted(e["children"], key=order)
        e["child"] = kids[0] if kids else free
        for a, b in zip(kids, kids[1:]):
            entries[a]["right"] = b
    for e in entries:
        name = e["name"].encode("utf-16-le") + b"\x00\x00"
        record = bytearray(128)
        record[: len(name)] = name
        struct.pack_into("<HBB", record, 64, len(name), e["type"], 1)
        struct.pack_into("<III", record, 68, free, e.get("right", free), e["child"])
        struct.pack_into("<II", record, 116, e.get("start", end) if e["type"] != 1 else 0, len(e["data"]))
        records += record
    for _ in range(directory_sectors * 4 - len(entries)):  # unused entries: empty, linking nothing
        records += bytes(68) + struct.pack("<III", free, free, free) + bytes(48)
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, fat_sectors, first_directory, 0, 4096, first_mini_fat,
                     mini_fat_sectors, end, 0)  # fmt: skip
    difat = list(range(fat_sectors)) + [free] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    body = struct.pack(f"<{len(fat)}I", *fat) + records
    body += struct.pack(f"<{len(mini_fat)}I", *mini_fat) + b"\xff" * (mini_fat_sectors * 512 - 4 * len(mini_fat))
    body += bytes(mini) + bytes(mini_sectors * 512 - len(mini))
    for e, count in zip(big, big_sectors):
        body += e["data"] + bytes(count * 512 - len(e["data"]))
    path.write_bytes(bytes(header) + body)


def write_msg(
    path: Path,
    strings: dict[int, str | bytes],
    times: dict[int, int] | None = None,
    codepage: int = 0,
    attachments: list[tuple[str, bytes]] = (),
) -> None:
    """An Outlook .msg ([MS-OXMSG]) in a compound file: `strings` maps property ids to text (stored as
    Unicode) or bytes (stored as 8-bit text, or as binary for the HTML and RTF bodies 0x1013 and 0x1009);
    `times` maps property ids to FILETIMEs, in the fixed-size property stream with the code page, if any;
    `attachments` (file name, data) each a storage with its long file name and its data."""
    import struct

    streams: dict[str, bytes | dict] = {}
    for prop, value in strings.items():
        if isinstance(value, str):
            streams[f"__substg1.0_{prop:04X}001F"] = value.encode("utf-16-le")
        else:
            kind = 0x0102 if prop in (0x1013, 0x1009) else 0x001E
            streams[f"__substg1.0_{prop:04X}{kind:04X}"] = value
    fixed = bytes(32)
    for prop, ticks in (times or {}).items():
        fixed += struct.pack("<IIQ", (prop << 16) | 0x0040, 6, ticks)
    if codepage:
        fixed += struct.pack("<IIQ", (0x3FFD << 16) | 0x0003, 6, codepage)
    streams["__properties_version1.0"] = fixed
    streams["__recip_version1.0_#00000000"] = {"__properties_version1.0": bytes(8)}
    for number, (name, data) in enumerate(attachments):
        streams[f"__attach_version1.0_#{number:08X}"] = {
            "__properties_version1.0": bytes(8),
            "__substg1.0_3707001F": name.encode("utf-16-le"),
            "__substg1.0_37010102": data,
        }
    write_compound_file(path, streams)


def write_ppt(path: Path) -> None:
    """A PowerPoint 97-2003 .ppt ([MS-PPT] records in a compound file) as a fast save leaves one: two edits, the
    second replacing slide 1 (its old version stays in the stream). Slide 1's text is in its shapes' text boxes
    (a centred title, a body with a line break, the slide number's "*"), slide 2's in the document's slide list,
    with speaker notes."""
    import struct

    def record(kind: int, payload: bytes = b"", instance: int = 0, container: bool = False) -> bytes:
        return struct.pack("<HHI", (0xF if container else 0) | instance << 4, kind, len(payload)) + payload

    def box(kind: int, text: str, wide: bool = True) -> bytes:
        atom = record(0x0FA0, text.encode("utf-16-le")) if wide else record(0x0FA8, text.encode("cp1252"))
        return record(0xF00D, record(0x0F9F, struct.pack("<I", kind)) + atom, container=True)

    def slide(*boxes: bytes, notes: int = 0, kind: int = 0x03EE) -> bytes:  # a SlideAtom, PPDrawing > shapes
        atom = record(0x03EF, bytes(16) + struct.pack("<I", notes) + bytes(4))
        drawing = record(0x040C, record(0xF003, b"".join(boxes), container=True), container=True)
        return record(kind, atom + drawing, container=True)

    def persist(ref: int) -> bytes:
        return record(0x03F3, struct.pack("<I", ref) + bytes(16))

    # the slide list holds slide 1's entry (its text is in its shapes), then slide 2's with its text atoms
    listed = persist(2) + persist(3)
    listed += record(0x0F9F, struct.pack("<I", 0)) + record(0x0FA0, "Second slide".encode("utf-16-le"))
    listed += record(0x0F9F, struct.pack("<I", 1)) + record(0x0FA8, b"Ferries leave hourly.\rTickets cost 5 EUR.")
    stream = bytearray(record(0x03E8, record(0x0FF0, listed, instance=0, container=True), container=True))
    old_first = len(stream)
    stream += slide(box(0, "Old title"))
    second = len(stream)
    stream += slide(notes=4)
    notes = len(stream)  # slide 2's notes page (a NotesContainer): the slide's picture, then the notes
    stream += slide(box(4, "*"), box(2, "Remind them of the ferry strike."), kind=0x03F0)
    first_edit_directory = len(stream)
    stream += record(0x1772, struct.pack("<I", 1 | 4 << 20) + struct.pack("<IIII", 0, old_first, second, notes))
    first_edit = len(stream)
    stream += record(0x0FF5, struct.pack("<IHBBIIII", 0, 0, 0, 3, 0, first_edit_directory, 1, 4))
    new_first = len(stream)
    stream += slide(box(6, "Harbour guide"), box(1, "Boats moor at the east pontoon.\x0bVisitors welcome."), box(4, "*"))
    directory = len(stream)
    stream += record(0x1772, struct.pack("<I", 2 | 1 << 20) + struct.pack("<I", new_first))
    edit = len(stream)
    stream += record(0x0FF5, struct.pack("<IHBBIIII", 0, 0, 0, 3, first_edit, directory, 1, 4))
    user = record(0x0FF6, struct.pack("<III", 20, 0xE391C05F, edit) + bytes(12))
    write_compound_file(path, {"Current User": user, "PowerPoint Document": bytes(stream)})
