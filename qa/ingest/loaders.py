"""Files -> Documents: the corpus walk (links, hidden and special files), each file's reader chosen by its name
(qa.ingest.formats), and the size limits applied before a file is read."""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from qa.errors import CorpusError
from qa.ingest.formats.common import (
    ReadRules,
    Skipped,
    content_kind,
    looks_binary,
    size_text,
    title_key,
    too_much_text,
    under_title,
    unzips_too_far,
)
from qa.ingest.formats.text import asked_paragraphs
from qa.types import Document


@dataclass(frozen=True)
class Reader:
    """How files of one ending are read: the parser (`function` of the module `qa.ingest.formats.<module>`,
    imported when a file of it is first read: a freshness check walks the corpus without any of them), the
    format whose size limit applies (FILE_MB), whether the file is a zip package (DOCX, EPUB, ODF, PPTX,
    XLSX), which `load_file` checks against unzipping too far before the parser opens it, and whether its
    bytes are not text (a PDF, the compound files of Office 97-2003 and Outlook; a zip package is not text
    either): they are not checked for looking like text."""

    module: str
    function: str
    kind: str = "text"
    zipped: bool = False
    raw: bool = False

    def parse(self, path: str, data: bytes, rules: ReadRules) -> Document | Skipped:
        from importlib import import_module

        return getattr(import_module(f"qa.ingest.formats.{self.module}"), self.function)(path, data, rules)

    @property
    def binary(self) -> bool:
        return self.zipped or self.raw


PLAIN = Reader("text", "parse_plain")
READERS = {
    ".txt": PLAIN,
    ".text": PLAIN,
    ".info": PLAIN,  # a GNU Info manual (formats/info.py; a split one's parts, "find.info-1", have no ending)
    ".man": PLAIN,  # a manual page (formats/roff.py)
    ".md": Reader("markup", "parse_markdown"),
    ".markdown": Reader("markup", "parse_markdown"),
    ".mdx": Reader("markup", "parse_markdown"),  # Markdown with JSX (Docusaurus, Nextra)
    ".qmd": Reader("markup", "parse_markdown"),  # Quarto and R Markdown: their code chunks are fenced code
    ".rmd": Reader("markup", "parse_markdown"),
    ".rst": Reader("markup", "parse_rst"),
    ".rest": Reader("markup", "parse_rst"),
    ".tex": Reader("latex", "parse_latex"),
    ".texi": Reader("texinfo", "parse_texinfo"),  # GNU manuals' sources
    ".texinfo": Reader("texinfo", "parse_texinfo"),
    ".txi": Reader("texinfo", "parse_texinfo"),
    ".ipynb": Reader("markup", "parse_ipynb", "ipynb"),  # outputs (images) make a notebook large for its text
    ".html": Reader("web", "parse_html", "html"),
    ".htm": Reader("web", "parse_html", "html"),
    ".xhtml": Reader("web", "parse_html", "html"),
    ".mhtml": Reader("web", "parse_mhtml", "saved page"),  # a page saved as one file (Chrome, Edge, Word)
    ".mht": Reader("web", "parse_mhtml", "saved page"),
    ".xml": Reader("docbook", "parse_docbook", "html"),  # DocBook (formats/docbook.py); other XML is skipped
    ".docbook": Reader("docbook", "parse_docbook", "html"),
    ".dbk": Reader("docbook", "parse_docbook", "html"),
    ".webarchive": Reader("web", "parse_webarchive", "saved page", raw=True),  # a page saved by Safari
    ".pdf": Reader("pdf", "parse_pdf", "pdf", raw=True),
    ".docx": Reader("office", "parse_docx", "docx", zipped=True),
    # macro-enabled files and templates hold the same XML (macros are never run: only the text is read)
    ".docm": Reader("office", "parse_docx", "docx", zipped=True),
    ".dotx": Reader("office", "parse_docx", "docx", zipped=True),
    ".dotm": Reader("office", "parse_docx", "docx", zipped=True),
    ".doc": Reader("msdoc", "parse_doc", "doc", raw=True),
    ".epub": Reader("web", "parse_epub", "epub", zipped=True),
    ".odt": Reader("office", "parse_odt", "odt", zipped=True),
    ".ods": Reader("office", "parse_ods", "ods", zipped=True),
    ".odp": Reader("office", "parse_odp", "odp", zipped=True),
    ".pptx": Reader("office", "parse_pptx", "pptx", zipped=True),
    ".pptm": Reader("office", "parse_pptx", "pptx", zipped=True),
    ".ppsx": Reader("office", "parse_pptx", "pptx", zipped=True),  # a slide show
    ".ppsm": Reader("office", "parse_pptx", "pptx", zipped=True),
    ".potx": Reader("office", "parse_pptx", "pptx", zipped=True),
    ".potm": Reader("office", "parse_pptx", "pptx", zipped=True),
    ".ppt": Reader("msppt", "parse_ppt", "ppt", raw=True),
    ".xlsx": Reader("sheets", "parse_xlsx", "xlsx", zipped=True),
    ".xlsm": Reader("sheets", "parse_xlsx", "xlsx", zipped=True),
    ".xltx": Reader("sheets", "parse_xlsx", "xlsx", zipped=True),
    ".xltm": Reader("sheets", "parse_xlsx", "xlsx", zipped=True),
    ".xls": Reader("sheets", "parse_xls", "xls", raw=True),
    ".csv": Reader("sheets", "parse_delimited"),
    ".tsv": Reader("sheets", "parse_delimited"),
    ".eml": Reader("mail", "parse_eml", "eml"),
    ".mbox": Reader("mail", "parse_mbox", "mbox"),
    ".msg": Reader("mail", "parse_msg", "msg", raw=True),
    ".vtt": Reader("captions", "parse_captions"),  # meeting transcripts (Teams, Zoom) and web subtitles
    ".srt": Reader("captions", "parse_captions"),
    ".rtf": Reader("office", "parse_rtf", "rtf"),
    ".enex": Reader("enex", "parse_enex", "saved page"),  # an Evernote export: notes, their files inside
    ".org": Reader("org", "parse_org"),  # Emacs Org mode notes
    ".adoc": Reader("asciidoc", "parse_asciidoc"),
    ".asciidoc": Reader("asciidoc", "parse_asciidoc"),
}


OUTSIDE = "a link that points outside the corpus"
BROKEN = "a broken link"
SPECIAL = "not a regular file (a pipe, socket or device)"
# a file without an extension that opens with "#!" is a program (42 of the 913 such files under a Debian
# machine's /usr/share/doc), as one ending in .sh or .py is: its code read as prose gave units such as
# "## # File: # nginx_modsite # Description: ..."
SCRIPT = "a script (it opens with #!), not a document"


def walk(corpus: str | Path, follow_symlinks: bool = False) -> Iterator[tuple[str, os.DirEntry | None, str, str]]:
    """(path relative to the corpus root, directory entry, path, reason) of every entry under a corpus path
    (a file or a folder, recursively), sorted as paths are; `reason` is "" for a file to read, else why it is
    left out: a link resolving outside the corpus folder (unless `follow_symlinks`), a broken link, a pipe,
    socket or device (never opened). Hidden files and folders are left out, and so are installed packages
    and build metadata (node_modules, a virtual environment, site-packages, *.egg-info), and links to folders
    are never followed (no cycles). One directory listing per folder: the entries carry what a freshness check needs
    without another lookup."""
    root = Path(corpus)
    if not root.exists():
        raise CorpusError(f"corpus path {str(corpus)!r} does not exist")
    if not root.is_dir():
        yield root.name, None, str(root), "" if root.is_file() else SPECIAL
        return
    inside = os.path.realpath(root)
    found: list[tuple[str, os.DirEntry, str, str]] = []
    folders = [(str(root), "", "")]
    while folders:
        folder, prefix, left_out = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        if prefix and any(e.name == "pyvenv.cfg" for e in entries):
            continue  # a virtual environment inside the corpus: installed packages, not documents
        pages = {e.name.lower() for e in entries if e.name.lower().endswith((".html", ".htm", ".xhtml"))}
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
                    if _INSTALLED.fullmatch(entry.name):
                        continue  # installed packages or build metadata (node_modules, site-packages, *.egg-info)
                    folders.append((entry.path, rel + "/", left_out or _resources_of(entry.name, pages)))
                elif entry.is_file():
                    found.append((rel, entry, entry.path, left_out))
                else:
                    found.append((rel, entry, entry.path, SPECIAL))
            except OSError:
                continue
    found.sort(key=lambda item: item[0].split("/"))  # as paths sort: folder by folder
    yield from found


# A browser saving a page "complete" puts its pictures, scripts, style sheets and frames (ads, embedded
# players) in a folder beside it: "Page_files" (Chrome, Edge, Safari, Firefox in English), "Page-Dateien"
# (German Firefox), "Page_fichiers", "Page_archivos", "Page_arquivos", "Page_file" (localised Firefox)
SAVED_PAGE_FILES = "a saved web page's pictures, scripts and frames"
_RESOURCE_FOLDER = re.compile(r"(.+?)(?:_files|-Dateien|_fichiers|_archivos|_arquivos|_file|-bestanden|_filer)$", re.I)


# folders of installed packages and build metadata inside a project: what a user's documents depend on, not
# the documents (a project folder with a node_modules or a virtual environment held thousands of other
# projects' READMEs and licences); left out as hidden folders are
_INSTALLED = re.compile(r"node_modules|__pycache__|site-packages|dist-packages|[^/]+\.(?:egg|dist)-info", re.I)


def _resources_of(name: str, pages: set[str]) -> str:
    """SAVED_PAGE_FILES for a folder that holds the resources of a saved page beside it, else ""."""
    folder = _RESOURCE_FOLDER.fullmatch(name)
    if folder is None:
        return ""
    stem = folder.group(1).lower()
    return SAVED_PAGE_FILES if any(f"{stem}{ending}" in pages for ending in (".html", ".htm", ".xhtml")) else ""


def list_files(corpus: str | Path, follow_symlinks: bool = False) -> list[Path]:
    """All candidate files under a corpus path (a file or a folder, recursively), sorted."""
    return [Path(path) for _, _, path, reason in walk(corpus, follow_symlinks) if not reason]


# the names a project gives its documents by convention (`in_its_folder`), and a user's notes
_PROJECT_NAMES = r"readme|news|changelog|changes|history|install|authors|contributing|copying|licen[cs]e|notice|thanks|bugs"
_DOC_NAME = re.compile(rf"(?:{_PROJECT_NAMES}|notes|todo|faq)(?:\.|$)", re.I)
# a manual page's section, with a suffix ("tar.1", "open.3pm", "openssl.1ssl"): plain text, read by its
# content as the page it is (formats/roff.py)
_MAN_SECTION = re.compile(r"\.[1-9][a-z]{0,6}")
# endings of code and data, never read as prose even under a documentation name ("CHANGES.py")
_NOT_PROSE = frozenset(
    ".py .js .ts .json .yaml .yml .toml .cfg .ini .sh .bat .ps1 .c .h .cpp .rs .go .java .rb .pl .php .css .xml .csv"
    " .tsv .sql .png .jpg .jpeg .gif .svg .ico .zip .tar .gz .bz2 .xz .dot".split()
)


# what to do with a common file qa does not read: said beside the reason it was skipped
_HINTS = {
    ".pages": "export it as .docx or PDF to have it read",
    ".key": "export it as .pptx or PDF to have it read",
    ".numbers": "export it as .xlsx or CSV to have it read",
    ".zip": "archives are not opened: unpack it into the folder",
    ".png": "an image: qa reads text, not pictures, and has no OCR",
    ".jpg": "an image: qa reads text, not pictures, and has no OCR",
    ".jpeg": "an image: qa reads text, not pictures, and has no OCR",
}


# A file-type ending: letters and digits, at least one letter ("v2.15-ReleaseNotes", "LICENSE-2.0" and
# "Minutes 12.05" have none: a version or a date after the last dot is part of the name)
_ENDING = re.compile(r"\.(?=[a-z0-9_+]*[a-z])[a-z0-9_+]{1,12}")


def ending(name: str) -> str:
    """A file name's type ending, lower-cased ("" when the part after its last dot is not one)."""
    suffix = Path(name).suffix.lower()
    return suffix if _ENDING.fullmatch(suffix) else ""


def load_file(path: Path, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """One file -> a Document, or the reason it was skipped. Never raises for what is in the file. A file
    over its format's size limit is skipped before it is read."""
    suffix = ending(path.name)
    # a gzip-compressed file (Debian's /usr/share/doc: "README.md.gz", "changelog.gz") is read as what it holds
    packed = suffix == ".gz"
    if packed:
        suffix = ending(path.stem)
    # a file without an extension (README, NOTES), or a documentation file named by convention whatever its
    # ending ("README.Debian", "NEWS.source"), is read as plain text when its content is text
    plain = not suffix or (_DOC_NAME.match(path.name) is not None and suffix not in _NOT_PROSE)
    plain = plain or _MAN_SECTION.fullmatch(suffix) is not None  # "ls.1" has no ending, "openssl.1ssl" does
    reader = READERS.get(suffix) or (PLAIN if plain else None)
    if reader is None:
        shown = suffix + ".gz" if packed else suffix
        hint = _HINTS.get(suffix)
        return Skipped(str(path), f"unsupported file type {shown or '(none)'!r}" + (f" ({hint})" if hint else ""))
    kind = reader.kind
    try:
        # non-blocking: a file swapped for a pipe since the folder was listed cannot hang the build
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            stat = os.fstat(handle.fileno())
            if not S_ISREG(stat.st_mode):
                return Skipped(str(path), SPECIAL)
            if stat.st_size > rules.file_limit(kind):
                limit = size_text(rules.file_limit(kind))
                return Skipped(
                    str(path), f"{size_text(stat.st_size)}, over the {limit} limit for {kind} files (QA_MAX_FILE_MB)"
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
            limit = size_text(rules.file_limit(kind))
            return Skipped(str(path), f"over the {limit} limit for {kind} files once decompressed (QA_MAX_FILE_MB)")
    if not suffix and data.startswith(b"#!"):
        return Skipped(str(path), SCRIPT)
    return read_data(str(path), suffix, reader, data, rules)


# a project's folder named for what it keeps, not for what it is about: the one above it names that
_KEPT_IN = re.compile(r"docs?|documentation|src|source|debian", re.I)
# a user's own folders: what is in them is about anything (above them is the user's home)
_USERS = re.compile(r"documents|downloads|desktop|home|tmp|temp", re.I)
# a project's document named by convention says what kind of document it is, and only its folder says which
# project's (a user's own "notes.txt" or "faq.md" is about what the user keeps there)
_PROJECT_DOC = re.compile(rf"(?:{_PROJECT_NAMES})(?:\.|$)", re.I)
# a release's version after the project's name, as an unpacked release's folder has it ("attrs-26.1.0")
_FOLDER_VERSION = re.compile(r"[-_ ]v?\d+(?:\.\d+)+\S*$")


def subject_folder(path: Path) -> str:
    """What a document named by convention is about, as its folder says: "attrs" for attrs/CHANGELOG.md and
    for attrs-26.1.0/docs/changelog.rst, "bzip2" for /usr/share/doc/bzip2/changelog.Debian.gz; nothing for
    a README in ~/Downloads."""
    for folder in list(path.absolute().parents)[:2]:
        name = _FOLDER_VERSION.sub("", folder.name)
        if not name or _USERS.fullmatch(name):
            return ""
        if not _KEPT_IN.fullmatch(name):
            return name
    return ""


def project_of(path: Path) -> str:
    """The folder's name a document named by convention goes under (`in_its_folder`); "" for any other."""
    return subject_folder(path) if _PROJECT_DOC.match(path.name) else ""


def in_its_folder(doc: Document, path: Path) -> Document:
    """A document named by convention (README, CHANGES, NEWS, a Debian changelog) says what kind of document it
    is, not what it is about: its sections go under its folder's name (`subject_folder`), unless its title
    already names it. In a folder of projects, "What changed in attrs 26.1.0?" drew the releases of every
    changelog that had a 26.1.0; no sentence of attrs' changelog said "attrs"."""
    subject = project_of(path)
    opening = doc.sections[0][1] if doc.sections else ""
    if not subject or title_key(subject) in title_key(f"{doc.title} {opening}"):
        return doc
    sections = doc.sections if doc.sections and doc.sections[0][0] == 0 else ((0, ""), *doc.sections)
    return dataclasses.replace(doc, sections=under_title(subject, sections))


def read_data(path: str, suffix: str, reader: Reader, data: bytes, rules: ReadRules) -> Document | Skipped:
    """A file's bytes, read in, -> a Document, or the reason it was skipped (also for an e-mail's attachment,
    read as the file it would be saved as)."""
    if not reader.binary and looks_binary(data, strict=suffix not in READERS):
        return Skipped(path, "binary content")
    try:
        doc = _refused_package(path, data, reader, rules) or reader.parse(path, data, rules)
    except Exception as exc:  # noqa: BLE001 - a broken file of a known type is skipped, never fatal
        kind = suffix.lstrip(".").upper()
        return Skipped(path, f"could not read {kind}: {type(exc).__name__}: {str(exc)[:120]}")
    if isinstance(doc, Skipped):
        return doc
    if not doc.text[doc.body_start :].strip():
        return Skipped(path, "empty")
    if len(doc.text) > rules.text_limit():
        return too_much_text(path, rules)
    return asked_paragraphs(doc)  # a FAQ's questions written as paragraphs head their answers, in any format


def _refused_package(path: str, data: bytes, reader: Reader, rules: ReadRules) -> Skipped | None:
    """A zip package that would unzip to more than its limit, found from the zip's directory before any
    member is unzipped (common.unzips_too_far), or one that is not a zip but an encrypted (or old binary)
    Office file; None for any other file."""
    if not reader.zipped:
        return None
    if content_kind(data) == "ole":  # Office saves a password-protected document as an encrypted OLE file
        named = Path(path).suffix.lower()
        return Skipped(
            path, f"password-protected, or an older binary Office file named {named}: save it as {named} without a password"
        )
    import zipfile

    return unzips_too_far(path, zipfile.ZipFile(io.BytesIO(data)), reader.kind, rules)


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
