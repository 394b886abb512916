"""AsciiDoc (.adoc, .asciidoc, .asc): section titles as headings; paragraphs, list items, admonitions and
table rows as units; listing, literal, passthrough and comment blocks, attribute entries and directives left
out."""

from __future__ import annotations

import re

from qa.ingest.formats.common import Outline, ReadRules, decode, make_document
from qa.types import Document

# "== Section", "=== Subsection" (the document title is "= Title"); Markdown's "## Section" is allowed too
_TITLE = re.compile(r"(={1,6}|#{1,6})[ \t]+(\S.*?)(?:[ \t]+\1)?[ \t]*$")
_ATTRIBUTE = re.compile(r":(!?[\w][\w-]*!?):(?:[ \t]+(.*?))?[ \t]*$")
_BLOCK_ATTRIBUTES = re.compile(r"\[(?:[^\[\]]|\[[^\[\]]*\])*\][ \t]*$")  # "[source,python]", "[NOTE]", "[[id]]"
_BLOCK_TITLE = re.compile(r"\.(?=[^\s.])(.*)$")  # ".Optional title" above a block
_DIRECTIVE = re.compile(r"(?:include|ifdef|ifndef|ifeval|endif|toc|image|video|audio)::")
_COMMENT = re.compile(r"//(?!/)")
_BREAK = re.compile(r"(?:'{3,}|<{3,}|\*{3,}[ \t]*$|-{3}[ \t]*$)")  # a thematic or page break
# a delimited block: its fence, and whether its content is prose (example, sidebar, quote, open block) or
# not (listing, literal, passthrough, comment, a Markdown code fence)
_FENCES = {"=": True, "*": True, "_": True, "-": False, ".": False, "+": False, "/": False, "`": False}
_FENCE = re.compile(r"([=*_\-.+/])\1{3,}[ \t]*$|(`{3})[^\n`]*$|(--)[ \t]*$")
_TABLE = re.compile(r"[|!,:]===[ \t]*$")
_ADMONITION = re.compile(r"(NOTE|TIP|IMPORTANT|WARNING|CAUTION):[ \t]+(.*)")
_ADMONITION_STYLE = re.compile(r"\[(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\b")
_CODE_STYLE = re.compile(r"\[(?:source|listing|literal|pass|stem|latexmath|asciimath|comment)\b")
_HIDDEN_STYLE = re.compile(r"\[(?:comment|pass)\b")  # code of these never shows, not even after a colon
_ITEM = re.compile(r"[ \t]*(?:\*{1,5}|-|\.{1,5}|\d+\.)[ \t]+(?:\[[ x*]\][ \t]+)?(\S.*)")
_TERM = re.compile(r"[ \t]*(\S.*?)(?::{2,4}|;;)(?:[ \t]+(.*))?$")
_CONTINUATION = re.compile(r"\+[ \t]*$")
_COLUMNS = re.compile(r"cols=\"?([^\"\],]+(?:,[^\"\],]+)*)\"?")
# inline markup: "https://jetty.org/[Eclipse Jetty]", "link:LICENSE.txt[license]", "<<install,Installing>>",
# "xref:setup.adoc[Setup]", "kbd:[Ctrl+T]", "footnote:[...]", "{attribute}", "*bold*", "_italic_", "`code`"
_URL_MACRO = re.compile(r"(?:link:([^\s\[\]]{1,500})|((?:https?|ftp|irc|file)://[^\s\[\]]{0,500}|mailto:[^\s\[\]]{1,500}))\[([^\[\]\n]{0,500})\]")
_XREF = re.compile(r"<<([^,<>\n]{1,200})(?:,[ \t]*([^<>\n]{1,200}))?>>|xref:([^\[\s]{1,500})\[([^\[\]\n]{0,500})\]")
# any other inline macro ("linkgit:git-config[1]", "man:ls[1]"): its text, or its target when the text is
# only a number (a manual section) or empty
_MACRO = re.compile(r"(?<![\w/])[a-z][\w-]*:(?!//)([^\s\[\]]{1,500})\[([^\[\]\n]{0,500})\]")
_UI_MACRO = re.compile(r"\b(?:kbd|btn|menu|pass|stem|latexmath|asciimath):(?:[^\[\s]{0,500})\[([^\[\]\n]{0,500})\]")
_FOOTNOTE = re.compile(r"\bfootnote(?:ref)?:[^\[\s]{0,500}\[[^\[\]\n]{0,500}\]")
_ANCHOR = re.compile(r"\[\[[^\[\]\n]{0,500}\]\]|\[#[^\[\]\n]{0,500}\]")
_PASSTHROUGH = re.compile(r"\+\+\+(.{1,500}?)\+\+\+|(?<![\w+])\+(\S(?:.{0,500}?\S)?)\+(?![\w+])")
_UNCONSTRAINED = re.compile(r"(\*\*|__|``|##)(?=\S)(.{1,500}?)(?<=\S)\1")
# a single mark stands apart from the words around it: "snake_case_name" and "2 * 3 * 4" keep theirs
_CONSTRAINED = re.compile(r"(?<![\w*_`#])([*_`#])(?=\S)((?:(?!\1).){1,500}?)(?<=\S)\1(?![\w*_`#])")
_REFERENCE = re.compile(r"\{([\w][\w-]*)\}")
_ESCAPE = re.compile(r"\\(?=[-*_`+#{<\[])")  # "\--" shows "--", not an en dash
_HARD_BREAK = re.compile(r"[ \t]\+$")


def parse_asciidoc(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """An AsciiDoc file: "= Title" names it, "== Section" and deeper open sections; paragraphs, list items
    ("term:: what it is" as "term: what it is"), admonitions ("NOTE: ..." as "Note: ...") and table rows
    (named by their header row) are units, with links and cross-references read as their text and
    attribute references replaced by their values. Listing, literal, passthrough and comment blocks, a
    paragraph marked [source] or indented (a literal), attribute entries, block attributes and titles, and
    directives (include::, ifdef::, image::) are left out."""
    text, encoding = decode(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    attributes: dict[str, str] = {}
    outline = Outline()
    title = ""
    unit: list[str] = []
    lead = ""  # an admonition's kind ("Note"), read before its paragraph or block
    code_next = False  # a [source] or [literal] block attribute: the next paragraph is code
    closing: str | None = None  # the fence that ends the block being left out (a listing, a comment)
    code: list[str] = []  # the lines of that block: a short listing may end the paragraph before it
    commenting = commented = False  # a [comment] or [pass] attribute: the next block is not shown
    prose_block: list[str] = []  # fences of the open prose blocks
    table: list[str] | None = None  # the lines of a table being read
    table_header = False
    table_cols = 0  # from a [cols="1,2"] attribute: a row's cells may each sit on a line of their own
    separator = "|"
    after_title = False  # right under "= Title": the author and revision lines

    def flush() -> None:
        nonlocal lead
        if unit:
            words = _inline(" ".join(unit), attributes)
            outline.paragraph(f"{lead}: {words}" if lead else words)
            unit.clear()
            lead = ""

    def read_table(rows_text: list[str], header: bool, separator: str, width: int) -> None:
        rows = _table_rows(rows_text, separator, width)
        if rows:
            outline.table([[_inline(cell, attributes) for cell in row] for row in rows], header=header, pairs=not header)

    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if closing is not None and not prose_block:  # inside a block left out
            if line.rstrip() == closing:
                if closing[0] in "-.`" and not commented:  # a listing or a literal, not a comment or passthrough
                    outline.shows("\n".join(code))  # "To list them, run:" over a one-line listing
                closing = None
            else:
                code.append(line)
            continue
        if table is not None:
            if _TABLE.match(line):
                read_table(table, table_header, separator, table_cols)
                table, table_header, table_cols = None, False, 0
            else:
                table.append(line)
            continue
        if after_title:  # the header: the title's author and revision lines and attribute entries, to a blank
            if not line.strip():
                after_title = False
                continue
            if not _ATTRIBUTE.match(line):
                continue  # "Ann Lee <ann@example.org>", "v1.2, 2024-03-01"
        if _COMMENT.match(line) and not line.startswith("////"):
            continue
        heading = _TITLE.fullmatch(line)
        underlined = _underlined(line, lines[i] if i < len(lines) else "") if not unit else 0
        if underlined or (heading is not None and not unit):
            flush()
            if heading is not None and not underlined:
                level, words = len(heading.group(1)), _inline(heading.group(2), attributes)
            else:
                level, words = underlined, _inline(line.strip(), attributes)
                i += 1
            after_title = level == 1 and not title
            title = title or words
            outline.heading(level, words)
            code_next = commenting = False
            continue
        fence = _FENCE.match(line)
        if fence is not None:
            flush()
            mark = fence.group(0).rstrip()
            if prose_block and mark == prose_block[-1]:
                prose_block.pop()
                continue
            prose = fence.group(3) is not None or (fence.group(1) is not None and _FENCES[fence.group(1)])
            if prose and not code_next:
                prose_block.append(mark)
            else:
                closing, code, commented = mark, [], commenting
                if prose_block:  # a listing inside an example: skip it here
                    i = _skip_to(lines, i, mark)
                    closing = None
            code_next = commenting = False
            continue
        if _TABLE.match(line):
            flush()
            table, separator = [], line[0]
            table_header = table_header or _has_header(lines, i, separator)
            continue
        attribute = _ATTRIBUTE.match(line)
        if attribute is not None and not unit:
            name, value = attribute.group(1), attribute.group(2) or ""
            if not name.startswith("!") and not name.endswith("!"):
                attributes[name] = _inline(value, attributes)
            continue
        if _BLOCK_ATTRIBUTES.match(line) and not unit:
            admonition = _ADMONITION_STYLE.match(line)
            if admonition is not None:
                lead = admonition.group(1).capitalize()
            code_next = code_next or bool(_CODE_STYLE.match(line))
            commenting = bool(_HIDDEN_STYLE.match(line))
            table_header = table_header or "%header" in line or bool(re.search(r"options=\"?[\w,]*header", line))
            columns = _COLUMNS.search(line)
            if columns is not None:
                spec = columns.group(1)
                repeated = re.match(r"(\d+)\*", spec)
                table_cols = int(repeated.group(1)) if repeated else len(spec.split(","))
            continue
        if (_BLOCK_TITLE.match(line) and not unit) or _DIRECTIVE.match(line) or _BREAK.match(line):
            continue
        if not line.strip() or _CONTINUATION.fullmatch(line):
            flush()
            continue
        if code_next or (not unit and line[:1] in (" ", "\t") and not _ITEM.match(line)):
            # a [source] paragraph, or one indented: a literal, shown as typed
            start, i = i - 1, _paragraph_end(lines, i)
            if not commenting:
                outline.shows("\n".join(lines[start:i]))
            code_next = commenting = False
            continue
        item = _ITEM.fullmatch(line)
        if item is not None:
            flush()
            unit.append(item.group(1))
            continue
        term = _TERM.fullmatch(line)
        if term is not None and "://" not in line:
            flush()
            said = term.group(1).rstrip()  # "Showers:: in the blue building" reads "Showers: in the blue building"
            unit.append(f"{said}{'' if said[-1] in '?!.' else ':'} {term.group(2) or ''}".rstrip())
            continue
        admonition = _ADMONITION.match(line)
        if admonition is not None and not unit:
            lead = admonition.group(1).capitalize()
            unit.append(admonition.group(2))
            continue
        unit.append(_HARD_BREAK.sub("", line.strip()))
    flush()
    if table is not None:
        read_table(table, table_header, separator, table_cols)
    return make_document(
        path, data, outline.text(), title, encoding=encoding, **outline.fields()
    )


_UNDERLINE = re.compile(r"([=\-~^+])\1+[ \t]*$")
_UNDERLINE_LEVELS = {"=": 1, "-": 2, "~": 3, "^": 4, "+": 5}


def _underlined(line: str, below: str) -> int:
    """The level of a two-line section title ("Configuration" over "-------------", as older AsciiDoc and
    git's manuals write them: = - ~ ^ + from the document title down), 0 if `line` is not one. The underline
    is as long as the title, give or take two characters."""
    mark = _UNDERLINE.match(below)
    if mark is None or not re.search(r"\w", line) or line[:1].isspace() or _BLOCK_ATTRIBUTES.match(line):
        return 0
    if abs(len(below.rstrip()) - len(line.rstrip())) > 2 or _ITEM.match(line) or _ATTRIBUTE.match(line):
        return 0
    return _UNDERLINE_LEVELS[mark.group(1)]


def _skip_to(lines: list[str], i: int, mark: str) -> int:
    while i < len(lines) and lines[i].rstrip() != mark:
        i += 1
    return i + 1


def _paragraph_end(lines: list[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _has_header(lines: list[str], i: int, separator: str) -> bool:
    """AsciiDoc's implicit header row: the table's first line holds every cell of a row and a blank line
    follows it."""
    return i + 1 < len(lines) and lines[i].count(separator) > 1 and not lines[i + 1].strip()


def _table_rows(lines: list[str], separator: str, width: int = 0) -> list[list[str]]:
    """A table's rows. In a "|===" table each cell opens with "|" (a cell specifier such as "2+" or "a" may
    stand before it), and a row has as many cells as the columns attribute says, else as the first line
    holds (a cell may sit on a line of its own, its text go on over more lines). In a ",===" or ":==="
    table each line is a row of values between the separators."""
    if separator in ",:":
        return [[cell.strip() for cell in line.split(separator)] for line in lines if line.strip()]
    cells: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        parts = line.split(separator)
        if len(parts) == 1:  # a cell's text going on over another line
            if cells:
                cells[-1] += " " + line.strip()
            continue
        found = [part.strip() for part in parts[1:]]
        width = width or len(found)
        cells.extend(found)
    width = max(width, 1)
    return [cells[k : k + width] for k in range(0, len(cells), width)]


def _inline(text: str, attributes: dict[str, str]) -> str:
    """AsciiDoc's inline markup as the words it shows."""
    text = _REFERENCE.sub(lambda m: attributes.get(m.group(1), m.group(0)), text)
    text = _ESCAPE.sub("", text)
    text = _FOOTNOTE.sub("", text)
    text = _ANCHOR.sub("", text)
    text = _XREF.sub(lambda m: m.group(2) or m.group(4) or m.group(1) or m.group(3), text)
    text = _UI_MACRO.sub(r"\1", text)
    text = _URL_MACRO.sub(lambda m: m.group(3) or m.group(1) or m.group(2), text)
    text = _MACRO.sub(lambda m: m.group(2) if m.group(2) and not m.group(2).isdigit() else m.group(1), text)
    text = _PASSTHROUGH.sub(lambda m: m.group(1) or m.group(2), text)
    text = _UNCONSTRAINED.sub(r"\2", text)
    for _ in range(2):  # nested once: *_bold italic_*
        text = _CONSTRAINED.sub(r"\2", text)
    return " ".join(text.split())
