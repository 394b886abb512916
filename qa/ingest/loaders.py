"""Files -> Documents. The only module that knows about file formats and encodings."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import threading
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from qa.errors import CorpusError
from qa.types import Document

if TYPE_CHECKING:
    import zipfile

# The seed format: an optional first line "date YYYY-MM-DD Title".
_HEADER = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+([^\n]*?)[ \t]*(?:\r?\n|\Z)")


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


# Limits that keep one hostile file from hanging or swamping an index build (docs/design.md, "Limits on
# hostile files"). The size limits and the page limit are ReadRules (settings); these two are fixed.
HTML_MAX_DEPTH = 512  # elements nested inside each other (elements whose end tag is optional not counted)
DOCX_MAX_EXPANDED = 200 * 2**20  # bytes of a .docx once unzipped (or 4x its size limit, if that is more)
FILE_MB = {"text": 8, "html": 32, "pdf": 128, "docx": 32, "epub": 32, "odt": 32}  # default size limit of a file, per format
PDF_MAX_PAGES = 10_000


@dataclass(frozen=True)
class ReadRules:
    """How a corpus is read: whether links out of it are followed, and the limits on one file. A file over a
    limit is skipped with the reason; the rest of the corpus indexes. Part of an index's settings: changing
    them re-reads the corpus (reusing the vectors of every document that was read before)."""

    max_file_mb: float | None = None  # the size limit of every format; None: FILE_MB's per-format defaults
    max_pdf_pages: int = PDF_MAX_PAGES
    follow_symlinks: bool = False

    def file_limit(self, kind: str) -> int:
        """Bytes a file of this format may have."""
        return int((self.max_file_mb if self.max_file_mb is not None else FILE_MB[kind]) * 2**20)

    def text_limit(self) -> int:
        """Characters of text one document may yield, from any format: as many as the text format's bytes."""
        return self.file_limit("text")

    def to_json(self) -> dict:
        return {
            "max_file_mb": self.max_file_mb,
            "max_pdf_pages": self.max_pdf_pages,
            "follow_symlinks": self.follow_symlinks,
        }


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size / 2**10:.0f} KB"


_WESTERN_PUNCT = set("€‚ƒ„…†‡ˆ‰‹‘’“”•–—˜™›¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷\xa0")


def _plausible_western(text: str) -> bool:
    """Does a cp1252 reading look like Western European text? Accented letters sit sparsely inside mostly
    ASCII words (café, München); Cyrillic or Greek bytes read as cp1252 give whole words of them."""
    letters = [c for c in text if c.isalpha()]
    foreign = [c for c in text if ord(c) > 127]
    if not foreign:
        return True
    if any(not (c.isalpha() or c in _WESTERN_PUNCT) for c in foreign):
        return False
    accented = sum(1 for c in foreign if c.isalpha())
    return accented <= 0.3 * max(1, len(letters))


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding); never raises. UTF-8 first; then cp1252 when it reads as Western text
    (detectors guess poorly on short Western snippets); then charset-normalizer's detection (Cyrillic,
    CJK, ...); latin-1 last, which decodes any byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        western = data.decode("cp1252")
        if _plausible_western(western):
            return western, "cp1252"
    except UnicodeDecodeError:
        western = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best), best.encoding
    except Exception:  # noqa: BLE001 - a detector failure must not stop loading: fall through
        pass
    if western is not None:
        return western, "cp1252"
    return data.decode("latin-1"), "latin-1"


def _looks_binary(data: bytes, strict: bool = False) -> bool:
    """NUL bytes in the first 8 KB; with `strict` (a file whose name says nothing of its format), also more
    than 5% control bytes other than tabs, newlines and form feeds."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    return strict and sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13)) > 0.05 * max(1, len(head))


def _document(
    path: str,
    data: bytes,
    text: str,
    title: str = "",
    date: str = "",
    body_start: int = 0,
    encoding: str = "utf-8",
    pages: tuple[int, ...] = (),
    sections: tuple[tuple[int, str], ...] = (),
    headings: tuple[tuple[int, int], ...] = (),
) -> Document:
    return Document(
        path=path,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        title=title or Path(path).stem,
        date=date,
        body_start=body_start,
        encoding=encoding,
        pages=pages,
        sections=sections,
        headings=headings,
    )


def _paragraphs_text(paragraphs: list[str]) -> str:
    """Paragraphs with inner whitespace collapsed, separated by blank lines (the chunker's boundaries)."""
    cleaned = [" ".join(p.split()) for p in paragraphs]
    return "\n\n".join(p for p in cleaned if p)


HEADING_SEPARATOR = " \u203a "  # "Usage › Line length"


class _Outline:
    """Paragraphs under headings: `heading(level, text)` opens a section (closing those at its level and
    below), `paragraph(text)` adds text under the headings open now; `text()` and `sections()` give the
    document text (as `_paragraphs_text`) and where each heading path begins in it."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str]] = []
        self.parts: list[str] = []
        self.marks: list[tuple[int, str]] = []
        self.offset = 0

    def heading(self, level: int, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        while self.open and self.open[-1][0] >= level:
            self.open.pop()
        self.open.append((level, text))

    def close(self) -> None:
        self.open.clear()

    def path(self) -> str:
        return HEADING_SEPARATOR.join(text for _, text in self.open)

    def paragraph(self, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        path = self.path()
        if path != (self.marks[-1][1] if self.marks else ""):
            self.marks.append((self.offset, path))
        self.parts.append(text)
        self.offset += len(text) + 2

    def text(self) -> str:
        return "\n\n".join(self.parts)

    def sections(self) -> tuple[tuple[int, str], ...]:
        return tuple(self.marks)


CELL_CHARS = 200  # a table whose cells are all at most this long is data: each row is read as one unit


def row_text(cells: list[str], header: list[str] | None) -> str:
    """A table row as one unit: "Option: --line-length; Default: 88" under a header row, else the cells
    joined by " | "; empty cells left out."""
    cells = [" ".join(c.split()) for c in cells]
    if header and len(header) == len(cells):
        return "; ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells) if c)
    return " | ".join(c for c in cells if c)


def _is_data(rows: list[list[str]]) -> bool:
    return all(len(cell) <= CELL_CHARS for row in rows for cell in row)


# A Project Gutenberg e-book: the text between its START and END lines; the licence around it is not the book
_GUTENBERG_START = re.compile(r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b[^\n]*$", re.I | re.M)
_GUTENBERG_END = re.compile(r"^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b", re.I | re.M)
_GUTENBERG_TITLE = re.compile(r"^Title:[ \t]*(\S[^\n]*?)[ \t]*$", re.M)


def parse_document(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """Plain text: decoded, newlines normalised; a first line `date YYYY-MM-DD Title` becomes metadata; a
    Project Gutenberg e-book is read without its licence; headings found by their look (`plain_sections`)."""
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title, date, body_start = "", "", 0
    match = _HEADER.match(text)
    if match:
        date, title, body_start = match.group(1), match.group(2), match.end()
    start = _GUTENBERG_START.search(text)
    if start is not None:
        named = _GUTENBERG_TITLE.search(text, 0, start.start())
        title = named.group(1) if named else title
        body_start = start.end()
        end = _GUTENBERG_END.search(text, body_start)
        text = text[: end.start()] if end is not None else text
    sections, headings = plain_sections(text, body_start)
    return _document(path, data, text, title, date, body_start, encoding, sections=sections, headings=headings)


# Headings of plain text, known by their look: a line alone between blank lines that is underlined
# ("Usage\n=====") or marked ("## Usage"), opens with a division word and its number ("CHAPTER IV.",
# "Section. 8.", "FEDERALIST No. 10"), is numbered with a capitalised title ("2.1 Line Length"), or is in
# capitals ("TERMS AND CONDITIONS"). Levels go by style in the order the styles first appear, as
# reStructuredText's underlines do.
_UNDERLINE = re.compile(r"([=\-~^*#+])\1{2,}")
_ATX = re.compile(r"(#{1,6})\s+(.+?)[\s#]*")
_DIVISION = re.compile(
    r"(book|part|volume|chapter|article|section|appendix|letter|lecture|lesson|essay|canto|act|scene|federalist|"
    r"paper)\b[\s.:]*(?:no\.?\s*)?(?:\d+|[ivxlcdm]+\b|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    re.I,
)
_NUMBERED = re.compile(r"(\d+(?:\.\d+)*)\.?\s+(\S.*)")
_BLOCK = re.compile(r"[^\n]+(?:\n[ \t]*[^\s][^\n]*)*")  # lines between blank lines
HEADING_CHARS = 80
HEADING_WORDS = 12
_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to with vs via".split())


def _capitalised(words: list[str]) -> bool:
    """Every word but the small ones begins with a capital, a digit or a sign ("Line Length", "I.")."""
    return all(w.lower() in _SMALL_WORDS or not w[0].isalpha() or w[0].isupper() for w in words)


def _heading_style(lines: list[str]) -> tuple[tuple[str, str], str] | None:
    """(style, heading text) when a block between blank lines is a heading, else None."""
    if len(lines) == 2 and _UNDERLINE.fullmatch(lines[1]) and len(lines[1]) >= len(lines[0]) // 2:
        title = lines[0]
        style: tuple[str, str] = ("underline", lines[1][0])
    elif len(lines) == 3 and _UNDERLINE.fullmatch(lines[0]) and lines[0] == lines[2]:
        title, style = lines[1], ("overline", lines[0][0])
    elif len(lines) == 1:
        title = lines[0]
        atx = _ATX.fullmatch(title)
        division = _DIVISION.match(title)
        numbered = _NUMBERED.fullmatch(title)
        if atx and atx.group(2)[0].isupper():  # not a root prompt ("# apt-get install git")
            title, style = atx.group(2), ("atx", atx.group(1))
        elif division:
            style = ("division", division.group(1).lower())
        elif numbered and _capitalised(numbered.group(2).split()):
            style = ("numbered", str(numbered.group(1).count(".")))
        elif len(title.split()) >= 2 and title.upper() == title and sum(c.isalpha() for c in title) >= 4:
            style = ("capitals", "")  # one word in capitals is as often a signature ("HAMILTON") as a heading
        else:
            return None
    else:
        return None
    words = title.split()
    if style[0] in ("underline", "overline", "atx"):  # marked as a heading: a FAQ's question is one too
        return (style, title) if words and len(title) <= 3 * HEADING_CHARS and title[-1] not in ",;:" else None
    if not words or len(title) > HEADING_CHARS or len(words) > HEADING_WORDS or title[-1] in ",;:!?":
        return None
    if title.endswith(".") and not _capitalised(words):  # "Section 2 describes the options." is a sentence
        return None
    return style, title


def _is_subtitle(lines: list[str]) -> bool:
    words = lines[0].split()
    return len(lines) == 1 and 0 < len(words) <= HEADING_WORDS and lines[0][-1] not in ",;:!?" and _capitalised(words)


def plain_sections(text: str, start: int = 0) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
    """The sections of a plain text, (offset, heading path) each, and the spans of its headings (with their
    subtitles), found by `_heading_style`. A text in which most blocks would be headings (a list of short
    lines) has none."""
    levels: dict[tuple[str, str], int] = {}
    found: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int]] = []
    blocks = 0
    after_heading = False
    for block in _BLOCK.finditer(text, start):
        raw = block.group(0)
        lines = [line.strip() for line in raw.strip().split("\n")]
        if not lines[0]:
            continue
        blocks += 1
        heading = _heading_style(lines) if len(lines) <= 3 else None
        if (
            heading is not None
            and heading[0][0] not in ("capitals", "division")
            and raw.expandtabs(8).startswith("    ")
        ):
            heading = None  # indented: code or a quotation (a centred title in capitals stays a heading)
        begin, end = block.start() + len(raw) - len(raw.lstrip()), block.end()
        if heading is not None:
            style, title = heading
            level = levels.setdefault(style, len(levels))
            found.append((begin, level, title))
            spans.append((begin, end))
        elif after_heading and _is_subtitle(lines):  # "FEDERALIST No. 10" then "The Same Subject Continued"
            offset, level, title = found[-1]
            found[-1] = (offset, level, f"{title} \u2013 {lines[0]}")
            spans.append((begin, end))
        after_heading = heading is not None
    if not found or 2 * len(found) > blocks:
        return (), ()
    outline = _Outline()
    sections = []
    for offset, level, title in found:
        outline.heading(level, title)
        sections.append((offset, outline.path()))
    return tuple(sections), tuple(spans)


# MyST and Sphinx directives whose body is prose (admonitions, version notes): read; any other directive in a
# fence (```{code-block}, ```{toctree}, :::{mermaid}) is left out as code is
_PROSE_DIRECTIVES = frozenset(
    """admonition attention caution danger error hint important note seealso tip todo warning versionadded
    versionchanged versionremoved deprecated topic sidebar margin dropdown card tab-item""".split()
)
_VERSION_NOTES = {
    "versionadded": "New in version",
    "versionchanged": "Changed in version",
    "versionremoved": "Removed in version",
    "deprecated": "Deprecated since version",
}
_DIRECTIVE = re.compile(r"^\{([\w-]+)\}\s*(.*)$")
_DIRECTIVE_OPTION = re.compile(r"^:[\w-]+:.*$")
_FRONT_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.M)


def _directive_prose(info: str, body: str) -> str | None:
    """The prose of a fenced MyST directive (```{note} ...), None when it is not prose. Version notes read
    as Sphinx renders them ("New in version 22.2: ...")."""
    found = _DIRECTIVE.match(info.strip())
    if not found or found.group(1).lower() not in _PROSE_DIRECTIVES:
        return None
    name, argument = found.group(1).lower(), found.group(2).strip()
    lines = body.splitlines()
    while lines and _DIRECTIVE_OPTION.match(lines[0].strip()):  # ":class: tip" and the like
        lines.pop(0)
    text = "\n".join(lines).strip()
    if name in _VERSION_NOTES and argument:
        lead = f"{_VERSION_NOTES[name]} {argument}"
        return f"{lead}: {text}" if text else f"{lead}."
    return text


def parse_markdown(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """Markdown: markup stripped with a real parser (markdown-it-py); the first heading is the title,
    headings separate paragraphs and are not sentences themselves; fenced and indented code blocks are left
    out (code is not prose: merged into sentences it matched questions by its identifiers). The dialects of
    documentation sites are read with mdit-py-plugins: YAML front matter (its `title` is the title, the rest
    is not text), admonitions (`!!! note`, `??? tip`: their body is prose, their title is not), MyST roles
    ({ref}`text <target>` reads "text") and MyST directives in backtick or colon fences, whose body is read
    when the directive is prose (_PROSE_DIRECTIVES) and left out otherwise."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    source, encoding = decode(data)
    md = MarkdownIt("commonmark").enable("table")
    for plugin in (front_matter_plugin, admon_plugin, colon_fence_plugin, myst_role_plugin):
        md.use(plugin)
    outline = _Outline()
    title = ""
    level = 0
    row: list[str] | None = None  # the cells of the table row being read
    header: list[str] | None = None
    in_head = False
    in_admonition_title = False

    def words_of(token) -> str:
        parts = []
        for child in token.children or []:
            if child.type in {"softbreak", "hardbreak"}:
                parts.append(" ")
            elif child.type in {"text", "code_inline"}:
                parts.append(child.content)
            elif child.type == "myst_role":  # {ref}`pinned installs <repeatable>`: the text, not the target
                parts.append(re.sub(r"\s*<[^<>]*>\s*$", "", child.content) or child.content)
        return "".join(parts)

    def read(tokens) -> None:
        nonlocal title, level, row, header, in_head, in_admonition_title
        for token in tokens:
            if token.type == "front_matter":
                found = _FRONT_TITLE.search(token.content)
                title = title or (found.group(1).strip("\"'") if found else "")
            elif token.type in ("fence", "colon_fence"):
                prose = _directive_prose(token.info, token.content)
                if prose:
                    read(md.parse(prose))
            elif token.type in ("admonition_title_open", "admonition_title_close"):
                in_admonition_title = token.type == "admonition_title_open"
            elif token.type == "heading_open":
                level = int(token.tag[1:])
            elif token.type == "heading_close":
                level = 0
            elif token.type == "table_open":
                header = None
            elif token.type in ("thead_open", "thead_close"):
                in_head = token.type == "thead_open"
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close" and row is not None:
                if in_head:
                    header = row
                else:
                    outline.paragraph(row_text(row, header))  # a row is one unit, read with its column names
                row = None
            elif token.type == "inline" and not in_admonition_title:
                words = words_of(token)
                if row is not None:
                    row.append(words)
                elif level:
                    title = title or " ".join(words.split())
                    outline.heading(level, words)
                else:
                    outline.paragraph(words)

    read(md.parse(source))
    return _document(path, data, outline.text(), title, encoding=encoding, sections=outline.sections())


def parse_rst(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """reStructuredText (docutils): paragraphs, list items and table cells; section titles are not sentences
    (the first is the title); literal and code blocks, comments, raw content and the text of directives
    docutils does not know (Sphinx's `.. tabs::`, `.. code-block::` in plain docutils) are left out. File
    inclusion and raw passthrough are off: a document cannot make the parser read another file."""
    from docutils import nodes
    from docutils.core import publish_doctree

    source, encoding = decode(data)
    tree = publish_doctree(
        source,
        settings_overrides={
            "report_level": 5,  # nothing printed
            "halt_level": 5,  # nothing raised for markup errors: the text is what matters
            "file_insertion_enabled": False,
            "raw_enabled": False,
            "warning_stream": False,
            "input_encoding": "unicode",
        },
    )
    skip = (nodes.literal_block, nodes.doctest_block, nodes.comment, nodes.raw, nodes.system_message,
            nodes.substitution_definition, nodes.target)  # fmt: skip
    title = ""
    outline = _Outline()

    def visit(node, depth: int) -> None:
        nonlocal title
        if isinstance(node, skip):
            return
        if isinstance(node, nodes.title):
            title = title or node.astext()
            if isinstance(node.parent, nodes.section | nodes.document):
                outline.heading(depth, node.astext())
            return
        if isinstance(node, nodes.paragraph | nodes.line):
            outline.paragraph(_ROLE.sub(_role_text, node.astext()))
            return
        if isinstance(node, nodes.table):
            head = [
                [_ROLE.sub(_role_text, e.astext()) for e in r.findall(nodes.entry)]
                for h in node.findall(nodes.thead)
                for r in h.findall(nodes.row)
            ]
            body = [
                [_ROLE.sub(_role_text, e.astext()) for e in r.findall(nodes.entry)]
                for b in node.findall(nodes.tbody)
                for r in b.findall(nodes.row)
            ]
            if _is_data(head + body):
                for cells in body:
                    outline.paragraph(row_text(cells, head[-1] if head else None))
                return
        inner = depth + 1 if isinstance(node, nodes.section) else depth
        for child in node.children:
            if isinstance(child, nodes.Element):
                visit(child, inner)

    visit(tree, 0)
    return _document(path, data, outline.text(), title, encoding=encoding, sections=outline.sections())


# An interpreted-text role docutils does not know (Sphinx's :func:`echo`, :ref:`title <target>`) is left as
# its markup; a reader sees what it renders as: the title, or the name (~a.b.c renders as c).
_ROLE = re.compile(r":(?:[\w.+-]+:)+`([^`]+)`")


def _role_text(match: re.Match) -> str:
    inner = match.group(1).strip()
    if inner.endswith(">") and "<" in inner:
        inner = inner[: inner.rindex("<")].strip() or inner[inner.rindex("<") + 1 : -1]
    if inner.startswith("~"):
        inner = inner[1:].rsplit(".", 1)[-1]
    return inner.lstrip("!")


_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
    "button",
    "select",
    "head",
    "pre",  # code blocks: not prose
)
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "main",
    "blockquote",
    "dt",
    "dd",
    "figcaption",
    "table",
    "hr",
)


_CONTENTS = re.compile(
    r"^(?:toc|toctree.*|table-of-contents|contents|nav(?:header|footer|bar|igation)|breadcrumbs?)$", re.I
)


# ARIA landmarks that are what <nav>, <header>, <footer>, <aside> and a search form are
_LANDMARKS = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))


def _role(tag) -> str:
    return str(tag.get("role") or "").strip().lower()


def _is_landmark(tag) -> bool:
    return _role(tag) in _LANDMARKS


def _is_main(tag) -> bool:
    return _role(tag) == "main"


def _is_permalink(tag) -> bool:
    """A link whose text is one or two signs and no word: a heading's permalink ("#", "¶", "§")."""
    text = tag.get_text(strip=True)
    return 0 < len(text) <= 2 and not any(c.isalnum() for c in text)


def _is_contents(tag) -> bool:
    """A table of contents or a navigation bar, as documentation generators mark them (DocBook, Sphinx,
    docutils, MkDocs)."""
    return tag.name in ("div", "nav", "ul", "ol", "dl", "section", "table") and any(
        _CONTENTS.match(name) for name in [*(tag.get("class") or []), tag.get("id") or ""]
    )


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_UNCOUNTED = frozenset(
    """area base br col embed hr img input link meta param source track wbr p li dt dd tr td th thead tbody
    tfoot option optgroup colgroup caption rb rt rtc rp""".split()
)


def html_depth(markup: str, limit: int = HTML_MAX_DEPTH) -> int:
    """How deep elements nest (up to `limit` + 1: the scan stops there), in one linear pass over the tags."""
    depth = deepest = 0
    for match in _TAG.finditer(markup):
        if match.group(2).lower() in _UNCOUNTED or match.group(3):
            continue
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def parse_html(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """HTML: the main text only (BeautifulSoup): scripts, styles, navigation (also as an ARIA role), headers,
    footers, forms and headings' permalinks are dropped; <main> (or role="main") or <article> is preferred to
    the whole body; block elements separate paragraphs. A page
    nested deeper than HTML_MAX_DEPTH is skipped (a parser builds its tree recursively)."""
    markup, encoding = decode(data)
    if html_depth(markup) > HTML_MAX_DEPTH:
        return Skipped(path, f"HTML nested deeper than {HTML_MAX_DEPTH} elements")
    outline = _Outline()
    title = _read_html(markup, outline)
    return _document(path, data, outline.text(), title, encoding=encoding, sections=outline.sections())


def _read_html(markup: str, outline: _Outline) -> str:
    """One HTML page's main text into `outline` (its headings open sections); returns the page's title."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_contents):
        tag.decompose()  # a table of contents repeats the headings (in a FAQ: every question) as text
    for tag in soup.find_all(_is_landmark):
        tag.decompose()  # <div role="navigation">: a sidebar is navigation whatever its tag
    for tag in soup.find_all("a"):
        if _is_permalink(tag):
            tag.decompose()  # "Zlib #", "Usage ¶": a heading's link to itself
    root = soup.find("main") or soup.find(_is_main) or soup.find("article") or soup.body or soup
    heading = root.find("h1")
    title = title or (heading.get_text(" ", strip=True) if heading else "")
    for table in root.find_all("table"):
        _table_rows(table)
    for tag in root.find_all(("h1", "h2", "h3", "h4", "h5", "h6")):
        # headings are titles, as in Markdown, not sentences: kept as marks that open a section
        mark = " ".join(tag.get_text(" ").split()).replace("\x00", "")
        tag.replace_with(f"\n\n\x00{tag.name[1]}{mark}\x00\n\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    for paragraph in re.split(r"\n\s*\n", root.get_text()):
        for i, piece in enumerate(paragraph.split("\x00")):
            if i % 2:
                outline.heading(int(piece[:1]), piece[1:])
            else:
                outline.paragraph(piece)
    return title


def _xml(markup: bytes | str):
    """A zipped format's XML part (EPUB package, ODT content) read with the HTML parser on purpose: it expands
    no entity a DTD declares. Its warning that this is XML is expected, so silenced."""
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "html.parser")


def parse_epub(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """EPUB e-books (a zip of XHTML chapters): the chapters in reading order (the package's spine), each read
    as an HTML page is, into one document; each chapter opens its own sections; the package's `dc:title` is
    the title. Like a DOCX, a book that would unzip to more than DOCX_MAX_EXPANDED bytes (or 4x its size
    limit) is skipped before anything is unzipped, and so is a chapter nested deeper than HTML_MAX_DEPTH.
    The package files are read by `_xml`."""
    import posixpath
    import zipfile

    book = zipfile.ZipFile(io.BytesIO(data))
    too_big = _unzips_too_far(path, book, "epub", rules)
    if too_big is not None:
        return too_big
    container = _xml(book.read("META-INF/container.xml")).find("rootfile")
    if container is None or not container.get("full-path"):
        return Skipped(path, "EPUB without a package file (META-INF/container.xml names none)")
    opf_path = str(container["full-path"])
    package = _xml(book.read(opf_path))
    found = package.find("dc:title")
    title = found.get_text(" ", strip=True) if found else ""
    items = {str(item.get("id")): str(item.get("href", "")) for item in package.find_all("item")}
    names = set(book.namelist())
    # a book under DRM lists its encrypted chapters in META-INF/encryption.xml (an embedded font's
    # obfuscation is listed there too, and is harmless)
    encrypted = set()
    if "META-INF/encryption.xml" in names:
        listed = _xml(book.read("META-INF/encryption.xml"))
        encrypted = {str(ref.get("uri")) for ref in listed.find_all(re.compile(r"(?:\w+:)?cipherreference$"))}
    outline = _Outline()
    for ref in package.find_all("itemref"):
        href = items.get(str(ref.get("idref")), "")
        name = posixpath.normpath(posixpath.join(posixpath.dirname(opf_path), href.split("#")[0]))
        if not href or name not in names:
            continue
        if name in encrypted:
            return Skipped(path, "encrypted EPUB (DRM): its chapters cannot be read")
        markup, _ = decode(book.read(name))
        if html_depth(markup) > HTML_MAX_DEPTH:
            return Skipped(path, f"EPUB chapter {name} nested deeper than {HTML_MAX_DEPTH} elements")
        outline.close()  # a chapter opens its own sections
        _read_html(markup, outline)
    return _document(path, data, outline.text(), title, sections=outline.sections())


_PAGE_NUMBER = re.compile(r"[#ivxlc]{1,6}|- ?# ?-|page #|# of #|#/#")  # a masked line that is only a page number
_LEADER = re.compile(r"(?:\. ?){4,}\.?\s*[\divxlc]*\s*$")  # a contents line's dot leader and page number
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-\n(?=[a-z])")  # a word hyphenated across a line break


def clean_page(text: str) -> str:
    """A PDF page's text as prose: words hyphenated at a line's end joined ("com-\nmands" -> "commands") and
    table-of-contents lines (dot leaders and a page number) dropped."""
    text = _BROKEN_WORD.sub("", text)
    return "\n".join(line for line in text.split("\n") if not _LEADER.search(line))


def page_continues(before: str, after: str) -> bool:
    """Does a page's text run on into the next one's (a sentence broken by the page end)? The first page
    does not end a sentence and the next begins in lower case."""
    return (
        bool(before)
        and bool(after)
        and before.rstrip()[-1:] not in ".!?:;\"'\u201d\u2019)]"
        and after.lstrip()[:1].islower()
    )


def _table_rows(table) -> None:
    """An HTML data table's rows become one paragraph each, read with the header row's names (a layout table,
    with long cells, is left to be read cell by cell)."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    cells = [[" ".join(c.get_text(" ").split()) for c in tr.find_all(("th", "td"), recursive=False)] for tr in rows]
    if not rows or not _is_data(cells):
        return
    header = None
    for tr, texts in zip(rows, cells):
        if header is None and tr.find("td", recursive=False) is None and texts:
            header = texts  # a row of <th> only names the columns
            tr.replace_with("\n\n")
        else:
            tr.replace_with(f"\n\n{row_text(texts, header)}\n\n")


RUNNING_LINES = 2  # lines at the top and at the bottom of a page where a running header or footer may sit
RUNNING_WORDS = 6


def _line_key(line: str) -> str:
    """A line as a running header or footer is recognised: spaces collapsed, case folded, and in a short line
    (at most RUNNING_WORDS words) numbers masked, so "Page 3 of 40" and "Page 4 of 40" are the same footer
    while body sentences that differ only in their numbers stay apart."""
    words = line.split()
    key = " ".join(words).lower()
    return re.sub(r"\d+", "#", key) if len(words) <= RUNNING_WORDS else key


def without_running_lines(pages: list[str]) -> list[str]:
    """The pages without their running headers and footers: a line among the first or last RUNNING_LINES
    of a page whose text (numbers masked in short lines) recurs there on more than half of the pages, when
    there are at least three. Pages of fewer than three lines are left whole. Otherwise a header is glued to the
    page's first sentence."""
    if len(pages) < 3:
        return pages
    counts: dict[str, int] = {}
    for text in pages:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 3:
            continue  # a page of a line or two (a slide, a title page) is all content
        edges = {_line_key(line) for line in lines[:RUNNING_LINES] + lines[-RUNNING_LINES:]}
        edges -= {key for key in edges if not key.strip("# ")}
        # a bare page number counts only as a page's first or last line: elsewhere a number alone may be content
        edges |= {key for key in (_line_key(lines[0]), _line_key(lines[-1])) if _PAGE_NUMBER.fullmatch(key)}
        for key in edges:
            counts[key] = counts.get(key, 0) + 1
    running = {key for key, n in counts.items() if n > len(pages) / 2}
    if not running:
        return pages
    cleaned = []
    for text in pages:
        lines = text.splitlines()
        content = [i for i, line in enumerate(lines) if line.strip()]
        edge = set(content[:RUNNING_LINES] + content[-RUNNING_LINES:]) if len(content) >= 3 else set()
        cleaned.append(
            "\n".join(line for i, line in enumerate(lines) if not (i in edge and _line_key(line) in running))
        )
    return cleaned


_PDFIUM = threading.Lock()  # PDFium keeps one state per process and is not thread-safe


def parse_pdf(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """PDF: text per page, read by PDFium (pypdfium2), which spaces words by where they are drawn, so
    justified lines keep their spaces (pypdf's text layer gave "requiresavalue" in the LaTeX manuals).
    Pages are paragraph boundaries and each page's start offset is kept, so a sentence's page number is
    part of its citation. Running headers and footers are dropped. More than `rules.max_pdf_pages` pages,
    or more text than `rules.text_limit()`, and the file is skipped (the text limit is checked page by
    page)."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                return Skipped(path, "encrypted PDF")
            raise
        try:
            count = len(pdf)
            if count > rules.max_pdf_pages:
                return Skipped(path, f"PDF of {count:,} pages (limit {rules.max_pdf_pages:,}; QA_MAX_PDF_PAGES)")
            pages: list[str] = []
            size = 0
            for number in range(count):
                page = pdf[number]
                textpage = page.get_textpage()
                pages.append(_page_lines(textpage.get_text_range()))
                textpage.close()
                page.close()
                size += len(pages[-1])
                if size > rules.text_limit():
                    return _too_much_text(path, rules)
            title = " ".join(str(pdf.get_metadata_dict().get("Title") or "").split())
            outline = _pdf_outline(pdf, count)
        finally:
            pdf.close()
    pieces: list[str] = []
    starts: list[int] = []
    offset = 0
    for raw in set_apart(without_running_lines(pages), outline):
        prose = _paragraphs_text(re.split(r"\n\s*\n", clean_page(raw)))
        if pieces:
            # pages are paragraph boundaries, unless a sentence runs on from one page into the next
            pieces.append(" " if page_continues(pieces[-1], prose) else "\n\n")
            offset += len(pieces[-1])
        starts.append(offset)
        pieces.append(prose)
        offset += len(prose)
    text = "".join(pieces)
    sections, headings = _pdf_sections(outline, text, starts)
    return _document(path, data, text, title, pages=tuple(starts), sections=sections, headings=headings)


def _page_lines(text: str) -> str:
    """PDFium's page text with its line breaks as "\n". PDFium joins a word hyphenated at a line's end into
    one line, marking the break with U+FFFE: it becomes "-\n" again, so that clean_page joins it as it
    joins any other, and the page keeps its lines for the running header and footer check."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n")


def _pdf_outline(pdf, count: int) -> list[tuple[int, str, int]]:
    """The PDF's outline (bookmarks) as (depth, title, page index) in reading order; none if it is broken."""
    entries = []
    try:
        for mark in pdf.get_toc():
            dest = mark.get_dest()
            page = dest.get_index() if dest is not None else None
            title = " ".join(str(mark.get_title() or "").split())
            if title and page is not None and 0 <= page < count:
                entries.append((mark.level, title, page))
    except Exception:  # noqa: BLE001 - a broken outline costs the headings, never the document
        return []
    return entries


def _title_key(text: str) -> str:
    """A heading as it is matched against a line of a page: NFKC (ligatures), letters and digits only, case folded."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).casefold()


_CODE_SYMBOLS = frozenset("{}[]()<>\\=;$%&|_^~#@\u27e8\u27e9")
_PLAIN_WORD = re.compile(r"[A-Za-z]{2,}[,.;:]?")


def code_line(line: str) -> bool:
    """A PDF line that is code or syntax, not prose: at least a fifth of its characters (spaces aside) are
    code symbols (braces, brackets, backslashes, ...), at least three of them, and it has fewer than three
    plain words ("\\IfBlankTF {<arg>} {<true code>} {<false code>}", but not "the user input \\foo{arg1} and
    \\foo{arg2} will")."""
    chars = "".join(line.split())
    symbols = sum(c in _CODE_SYMBOLS for c in chars)
    if symbols < 3 or symbols < 0.2 * len(chars):
        return False
    return sum(1 for word in line.split() if _PLAIN_WORD.fullmatch(word)) < 3


def set_apart(pages: list[str], outline: list[tuple[int, str, int]]) -> list[str]:
    """The pages with their headings set apart as paragraphs of their own and their code left out, so that
    neither is glued to a sentence of prose ("2.8 Testing special values Optional arguments make use of ...",
    "... scenario. \\IfBlankTF {<arg>} {<true code>} ..."): each outline title that is a line of its page (or
    two lines, a long title wrapped) becomes a heading, and each run of code lines (`code_line`) a paragraph
    break, as Markdown's code blocks are left out (code is not prose: it matched questions by its names)."""
    wanted: dict[int, set[str]] = {}
    for _, title, page in outline:
        if len(key := _title_key(title)) > 1:
            wanted.setdefault(page, set()).add(key)
    out = []
    for number, text in enumerate(pages):
        keys = wanted.get(number, set())
        lines = text.split("\n")
        kept: list[str] = []
        i = 0
        while i < len(lines):
            one = _title_key(lines[i]) if keys else ""
            two = one + _title_key(lines[i + 1]) if one and i + 1 < len(lines) else ""
            if one in keys or two in keys:
                n = 1 if one in keys else 2
                keys.discard(one if n == 1 else two)
                kept += ["", " ".join(lines[i : i + n]), ""]
                i += n
                continue
            n = 0
            while i + n < len(lines) and code_line(lines[i + n]):
                n += 1
            if n:
                kept += ["", ""]  # code is not prose (as in Markdown): left out, a paragraph break in its place
                i += n
            else:
                kept.append(lines[i])
                i += 1
        out.append("\n".join(kept))
    return out


_LINE = re.compile(r"[^\n]+")  # in a PDF's text each paragraph is one line


def _pdf_sections(
    outline: list[tuple[int, str, int]], text: str, starts: list[int]
) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
    """Outline entries as heading paths, and the spans of the titles that are paragraphs of their own (set
    apart by `set_apart`: context, not sentences). Each path begins at its title's paragraph on its
    page, else where the title first appears there, else at the page's start."""
    entries = []
    spans = []
    for depth, title, page in outline:
        end = starts[page + 1] if page + 1 < len(starts) else len(text)
        key = _title_key(title)
        lines = _LINE.finditer(text, starts[page], end) if len(key) > 1 else iter(())
        own = next((m.span() for m in lines if _title_key(m.group()) == key), None)
        if own is not None:
            spans.append(own)
            entries.append((own[0], depth, title))
            continue
        found = text.find(title, starts[page], end)
        entries.append((found if found >= 0 else starts[page], depth, title))
    heading = _Outline()
    marks: list[tuple[int, str]] = []
    for offset, depth, title in sorted(entries, key=lambda e: e[0]):
        heading.heading(depth, title)
        if marks and marks[-1][0] == offset:
            marks.pop()
        marks.append((offset, heading.path()))
    return tuple(marks), tuple(sorted(set(spans)))


def _unzips_too_far(path: str, archive: zipfile.ZipFile, kind: str, rules: ReadRules) -> Skipped | None:
    """A zipped format (DOCX, EPUB, ODT) that would unzip to more than DOCX_MAX_EXPANDED bytes, or 4x its
    size limit if that is more, is skipped; the sizes come from the zip's directory, before anything is
    unzipped (reading a member stops at its stated size)."""
    expanded = sum(item.file_size for item in archive.infolist())
    limit = max(DOCX_MAX_EXPANDED, 4 * rules.file_limit(kind))
    if expanded <= limit:
        return None
    return Skipped(path, f"{kind.upper()} expands to {_mb(expanded)} unzipped (limit {_mb(limit)})")


def parse_docx(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """Word .docx (python-docx): paragraphs and table cells; the first Title/Heading paragraph is the title.
    A file that would unzip to more than DOCX_MAX_EXPANDED bytes (or 4x the DOCX size limit, if more) is
    skipped before anything is unzipped."""
    import io
    import zipfile

    import docx

    too_big = _unzips_too_far(path, zipfile.ZipFile(io.BytesIO(data)), "docx", rules)
    if too_big is not None:
        return too_big
    document = docx.Document(io.BytesIO(data))
    outline = _Outline()
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
        if not _is_data(rows):
            for cells in rows:
                for text in cells:
                    outline.paragraph(text)
            continue
        # a data table's first row names its columns when there is more than one row
        header = rows[0] if len(rows) > 1 else None
        for cells in rows[1:] if header else rows:
            outline.paragraph(row_text(cells, header))
    return _document(path, data, outline.text(), title, sections=outline.sections())



def parse_odt(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """OpenDocument text (.odt, LibreOffice): the paragraphs and headings of content.xml in order (a heading's
    outline level is its level), each table row one unit (cells joined by " | "); tracked deletions, comments
    and footnotes are left out; the metadata's title is the title. Guarded like a DOCX: a file that would
    unzip to more than DOCX_MAX_EXPANDED bytes (or 4x its size limit) is skipped before anything is
    unzipped, and so is content nested deeper than HTML_MAX_DEPTH. The XML is read by `_xml`."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    too_big = _unzips_too_far(path, archive, "odt", rules)
    if too_big is not None:
        return too_big
    markup, _ = decode(archive.read("content.xml"))
    if html_depth(markup) > HTML_MAX_DEPTH:
        return Skipped(path, f"ODT content nested deeper than {HTML_MAX_DEPTH} elements")
    content = _xml(markup)
    found = _xml(archive.read("meta.xml")).find("dc:title") if "meta.xml" in archive.namelist() else None
    title = found.get_text(" ", strip=True) if found else ""
    for tag in content.find_all(["text:tracked-changes", "office:annotation", "text:note"]):
        tag.decompose()
    for tag in content.find_all(["text:s", "text:tab", "text:line-break"]):
        tag.replace_with(" ")
    outline = _Outline()
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
    return _document(path, data, outline.text(), title, sections=outline.sections())

PARSERS = {
    ".txt": parse_document,
    ".text": parse_document,
    ".md": parse_markdown,
    ".rst": parse_rst,
    ".rest": parse_rst,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".pdf": parse_pdf,
    ".docx": parse_docx,
    ".epub": parse_epub,
    ".odt": parse_odt,
}
BINARY_FORMATS = {".pdf", ".docx", ".epub", ".odt"}
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".epub": "epub", ".odt": "odt"}  # else text


def _too_much_text(path: str, rules: ReadRules) -> Skipped:
    return Skipped(path, f"more text than the limit of {rules.text_limit():,} characters (QA_MAX_FILE_MB)")


OUTSIDE = "a link that points outside the corpus"
BROKEN = "a broken link"
SPECIAL = "not a regular file (a pipe, socket or device)"


def walk(corpus: str | Path, follow_symlinks: bool = False) -> Iterator[tuple[str, os.DirEntry | None, str, str]]:
    """(path relative to the corpus root, directory entry, path, reason) of every entry under a corpus path
    (a file or a folder, recursively), sorted as paths are; `reason` is "" for a file to read, else why it is
    left out: a link resolving outside the corpus folder (unless `follow_symlinks`), a broken link, a pipe,
    socket or device (never opened). Hidden files and folders are left out, and links to folders are never
    followed (no cycles). One directory listing per folder: the entries carry what a freshness check needs
    without another lookup."""
    root = Path(corpus)
    if not root.exists():
        raise CorpusError(f"corpus path {str(corpus)!r} does not exist")
    if not root.is_dir():
        yield root.name, None, str(root), "" if root.is_file() else SPECIAL
        return
    inside = os.path.realpath(root)
    found: list[tuple[str, os.DirEntry, str, str]] = []
    folders = [(str(root), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if os.path.isdir(target):
                        continue
                    if not os.path.exists(target):
                        found.append((rel, entry, entry.path, BROKEN))
                        continue
                    if not follow_symlinks and not target.startswith(inside + os.sep):
                        found.append((rel, entry, entry.path, OUTSIDE))
                        continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, rel + "/"))
                elif entry.is_file():
                    found.append((rel, entry, entry.path, ""))
                else:
                    found.append((rel, entry, entry.path, SPECIAL))
            except OSError:
                continue
    found.sort(key=lambda item: item[0].split("/"))  # as paths sort: folder by folder
    yield from found


def list_files(corpus: str | Path, follow_symlinks: bool = False) -> list[Path]:
    """All candidate files under a corpus path (a file or a folder, recursively), sorted."""
    return [Path(path) for _, _, path, reason in walk(corpus, follow_symlinks) if not reason]


_DOC_NAME = re.compile(
    r"(?:readme|news|changelog|changes|history|notes|install|todo|authors|contributing|copying|thanks|bugs|faq)"
    r"(?:\.|$)",
    re.I,
)
# endings of code and data, never read as prose even under a documentation name ("CHANGES.py")
_NOT_PROSE = frozenset(
    ".py .js .ts .json .yaml .yml .toml .cfg .ini .sh .bat .ps1 .c .h .cpp .rs .go .java .rb .pl .php .css .xml .csv"
    " .tsv .sql .png .jpg .jpeg .gif .svg .ico .zip .tar .gz .bz2 .xz .dot".split()
)


def load_file(path: Path, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """One file -> a Document, or the reason it was skipped. Never raises for what is in the file. A file
    over its format's size limit is skipped before it is read."""
    suffix = path.suffix.lower()
    # a gzip-compressed file (Debian's /usr/share/doc: "README.md.gz", "changelog.gz") is read as what it holds
    packed = suffix == ".gz"
    if packed:
        suffix = Path(path.stem).suffix.lower()
    # a file without an extension (README, NOTES), or a documentation file named by convention whatever its
    # ending ("README.Debian", "NEWS.source"), is read as plain text when its content is text
    plain = not suffix or (_DOC_NAME.match(path.name) is not None and suffix not in _NOT_PROSE)
    parser = PARSERS.get(suffix) or (parse_document if plain else None)
    if parser is None:
        shown = suffix + ".gz" if packed else suffix
        return Skipped(str(path), f"unsupported file type {shown or '(none)'!r}")
    kind = FORMATS.get(suffix, "text")
    try:
        # non-blocking: a file swapped for a pipe since the folder was listed cannot hang the build
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            stat = os.fstat(handle.fileno())
            if not S_ISREG(stat.st_mode):
                return Skipped(str(path), SPECIAL)
            if stat.st_size > rules.file_limit(kind):
                limit = _mb(rules.file_limit(kind))
                return Skipped(
                    str(path), f"{_mb(stat.st_size)}, over the {limit} limit for {kind} files (QA_MAX_FILE_MB)"
                )
            data = handle.read()
    except OSError as exc:
        return Skipped(str(path), f"unreadable: {exc.strerror or exc}")
    if packed:  # decompressed one byte past the limit at most: a small file may unpack to gigabytes
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
                data = unpacked.read(rules.file_limit(kind) + 1)
        except (OSError, EOFError, zlib.error) as exc:
            return Skipped(str(path), f"could not read GZ: {type(exc).__name__}: {str(exc)[:120]}")
        if len(data) > rules.file_limit(kind):
            limit = _mb(rules.file_limit(kind))
            return Skipped(str(path), f"over the {limit} limit for {kind} files once decompressed (QA_MAX_FILE_MB)")
    if suffix not in BINARY_FORMATS and _looks_binary(data, strict=suffix not in PARSERS):
        return Skipped(str(path), "binary content")
    try:
        doc = parser(str(path), data, rules)
    except Exception as exc:  # noqa: BLE001 - a broken file of a known type is skipped, never fatal
        kind = suffix.lstrip(".").upper()
        return Skipped(str(path), f"could not read {kind}: {type(exc).__name__}: {str(exc)[:120]}")
    if isinstance(doc, Skipped):
        return doc
    if not doc.text[doc.body_start :].strip():
        return Skipped(str(path), "empty")
    if len(doc.text) > rules.text_limit():
        return _too_much_text(str(path), rules)
    return doc


def load_corpus(corpus: str | Path) -> tuple[list[Document], list[Skipped]]:
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for path in list_files(corpus):
        item = load_file(path)
        if isinstance(item, Document):
            docs.append(item)
        else:
            skipped.append(item)
    return docs, skipped
