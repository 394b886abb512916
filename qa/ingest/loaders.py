"""Files -> Documents. The only module that knows about file formats and encodings."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from qa.errors import CorpusError
from qa.types import Document

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
FILE_MB = {"text": 8, "html": 32, "pdf": 128, "docx": 32}  # default size limit of a file, per format
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
        return {"max_file_mb": self.max_file_mb, "max_pdf_pages": self.max_pdf_pages, "follow_symlinks": self.follow_symlinks}


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
    )


def _paragraphs_text(paragraphs: list[str]) -> str:
    """Paragraphs with inner whitespace collapsed, separated by blank lines (the chunker's boundaries)."""
    cleaned = [" ".join(p.split()) for p in paragraphs]
    return "\n\n".join(p for p in cleaned if p)


def parse_document(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """Plain text: decoded, newlines normalised; a first line `date YYYY-MM-DD Title` becomes metadata."""
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title, date, body_start = "", "", 0
    match = _HEADER.match(text)
    if match:
        date, title, body_start = match.group(1), match.group(2), match.end()
    return _document(path, data, text, title, date, body_start, encoding)


def parse_markdown(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """Markdown: markup stripped with a real parser (markdown-it-py); the first heading is the title,
    headings separate paragraphs and are not sentences themselves; fenced and indented code blocks are left
    out (code is not prose: merged into sentences it matched questions by its identifiers)."""
    from markdown_it import MarkdownIt

    source, encoding = decode(data)
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    paragraphs: list[str] = []
    title = ""
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline":
            words = "".join(
                " " if child.type in {"softbreak", "hardbreak"} else child.content
                for child in token.children or []
                if child.type in {"text", "code_inline", "softbreak", "hardbreak"}
            )
            if in_heading:
                title = title or " ".join(words.split())
            else:
                paragraphs.append(words)
    return _document(path, data, _paragraphs_text(paragraphs), title, encoding=encoding)


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
    paragraphs: list[str] = []

    def visit(node) -> None:
        nonlocal title
        if isinstance(node, skip):
            return
        if isinstance(node, nodes.title):
            title = title or node.astext()
            return
        if isinstance(node, nodes.paragraph | nodes.line):
            paragraphs.append(node.astext())
            return
        for child in node.children:
            if isinstance(child, nodes.Element):
                visit(child)

    visit(tree)
    return _document(path, data, _paragraphs_text(paragraphs), title, encoding=encoding)


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
    """HTML: the main text only (BeautifulSoup): scripts, styles, navigation, headers, footers and forms are
    dropped; <main> or <article> is preferred to the whole body; block elements separate paragraphs. A page
    nested deeper than HTML_MAX_DEPTH is skipped (a parser builds its tree recursively)."""
    from bs4 import BeautifulSoup

    markup, encoding = decode(data)
    if html_depth(markup) > HTML_MAX_DEPTH:
        return Skipped(path, f"HTML nested deeper than {HTML_MAX_DEPTH} elements")
    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    heading = root.find("h1")
    title = title or (heading.get_text(" ", strip=True) if heading else "")
    for tag in root.find_all(("h1", "h2", "h3", "h4", "h5", "h6")):
        tag.decompose()  # headings are titles, as in Markdown, not sentences
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    paragraphs = re.split(r"\n\s*\n", root.get_text())
    return _document(path, data, _paragraphs_text(paragraphs), title, encoding=encoding)


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
    there are at least three. Pages of fewer than three lines are left whole. Otherwise pypdf glues a header
    to the page's first sentence."""
    if len(pages) < 3:
        return pages
    counts: dict[str, int] = {}
    for text in pages:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 3:
            continue  # a page of a line or two (a slide, a title page) is all content
        edges = {_line_key(line) for line in lines[:RUNNING_LINES] + lines[-RUNNING_LINES:]}
        for key in edges:
            counts[key] = counts.get(key, 0) + 1
    running = {key for key, n in counts.items() if n > len(pages) / 2 and key.strip("# ")}
    if not running:
        return pages
    cleaned = []
    for text in pages:
        lines = text.splitlines()
        content = [i for i, line in enumerate(lines) if line.strip()]
        edge = set(content[:RUNNING_LINES] + content[-RUNNING_LINES:]) if len(content) >= 3 else set()
        cleaned.append("\n".join(line for i, line in enumerate(lines) if not (i in edge and _line_key(line) in running)))
    return cleaned


def parse_pdf(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """PDF: text per page (pypdf); pages are paragraph boundaries and each page's start offset is kept,
    so a sentence's page number is part of its citation. Running headers and footers are dropped. More than
    `rules.max_pdf_pages` pages, or more text than `rules.text_limit()`, and the file is skipped (the text
    limit is checked page by page)."""
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # broken files are reported once, by the caller
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception:  # noqa: BLE001 - any decryption failure means: cannot read it
            return Skipped(path, "encrypted PDF")
    if len(reader.pages) > rules.max_pdf_pages:
        return Skipped(path, f"PDF of {len(reader.pages):,} pages (limit {rules.max_pdf_pages:,}; QA_MAX_PDF_PAGES)")
    pages: list[str] = []
    size = 0
    for page in reader.pages:
        pages.append(page.extract_text() or "")
        size += len(pages[-1])
        if size > rules.text_limit():
            return _too_much_text(path, rules)
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for text in without_running_lines(pages):
        text = _paragraphs_text(re.split(r"\n\s*\n", text))
        starts.append(offset)
        parts.append(text)
        offset += len(text) + 2
    title = ""
    if reader.metadata is not None and reader.metadata.title:
        title = str(reader.metadata.title)
    return _document(path, data, "\n\n".join(parts), title, pages=tuple(starts))


def parse_docx(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """Word .docx (python-docx): paragraphs and table cells; the first Title/Heading paragraph is the title.
    A file that would unzip to more than DOCX_MAX_EXPANDED bytes (or 4x the DOCX size limit, if more) is
    skipped before anything is unzipped."""
    import io
    import zipfile

    import docx

    expanded = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(data)).infolist())
    limit = max(DOCX_MAX_EXPANDED, 4 * rules.file_limit("docx"))
    if expanded > limit:
        return Skipped(path, f"DOCX expands to {_mb(expanded)} unzipped (limit {_mb(limit)})")
    document = docx.Document(io.BytesIO(data))
    paragraphs: list[str] = []
    title = document.core_properties.title or ""
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith(("Heading", "Title")):
            title = title or paragraph.text.strip()
            continue
        paragraphs.append(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            paragraphs.extend(cell.text for cell in row.cells)
    return _document(path, data, _paragraphs_text(paragraphs), title)


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
}
BINARY_FORMATS = {".pdf", ".docx"}
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}  # else "text"


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


def load_file(path: Path, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """One file -> a Document, or the reason it was skipped. Never raises for what is in the file. A file
    over its format's size limit is skipped before it is read."""
    suffix = path.suffix.lower()
    # a file without an extension (README, NOTES) is read as plain text when its content is text
    parser = PARSERS.get(suffix) or (parse_document if not suffix else None)
    if parser is None:
        return Skipped(str(path), f"unsupported file type {suffix or '(none)'!r}")
    kind = FORMATS.get(suffix, "text")
    try:
        # non-blocking: a file swapped for a pipe since the folder was listed cannot hang the build
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            stat = os.fstat(handle.fileno())
            if not S_ISREG(stat.st_mode):
                return Skipped(str(path), SPECIAL)
            if stat.st_size > rules.file_limit(kind):
                limit = _mb(rules.file_limit(kind))
                return Skipped(str(path), f"{_mb(stat.st_size)}, over the {limit} limit for {kind} files (QA_MAX_FILE_MB)")
            data = handle.read()
    except OSError as exc:
        return Skipped(str(path), f"unreadable: {exc.strerror or exc}")
    if suffix not in BINARY_FORMATS and _looks_binary(data, strict=not suffix):
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
