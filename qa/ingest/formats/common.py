"""What every format reader shares: the skip record and the reading limits, decoding, the Document a reader
returns, headings as sections (Outline), table rows as units, and the guards for zipped and nested formats."""

from __future__ import annotations

import bisect
import hashlib
import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qa.ingest.chunking import SHOWN_CHARS, SHOWN_LINES
from qa.types import Document, speaks_of_code_above

if TYPE_CHECKING:
    import zipfile


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


# Limits that keep one hostile file from hanging or swamping an index build (docs/design.md, "Limits on
# hostile files"). The size limits and the page limit are ReadRules (settings); these two are fixed.
HTML_MAX_DEPTH = 512  # elements nested inside each other (elements whose end tag is optional not counted)
# elements whose end tag may be left out (a paragraph, a list item, a table cell) left open one inside another;
# deeper, a page's markup is closed as a browser closes them first (`closed_as_read`)
HTML_MAX_OPEN = 100
DOCX_MAX_EXPANDED = 200 * 2**20  # bytes of a .docx once unzipped (or 4x its size limit, if that is more)
# default size limit of a file, per format
FILE_MB = {
    "text": 8, "html": 32, "pdf": 128, "docx": 32, "epub": 32, "odt": 32, "ods": 32, "odp": 128, "pptx": 128,
    "xlsx": 32, "eml": 32, "ipynb": 32, "mbox": 128, "rtf": 64, "doc": 32, "msg": 32, "xls": 32, "ppt": 128,
    "saved page": 128,  # a web page saved as one file carries its pictures
}  # fmt: skip
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


def size_text(size: int) -> str:
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


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)  # fmt: skip


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32, as Windows writes "Unicode" text (Notepad, PowerShell's `>`): by its byte-order mark,
    or, without one, UTF-16 by its zero bytes: in Latin-script text every other byte is zero (the high byte of
    an ASCII letter), at odd offsets (little-endian) or even ones (big-endian), and almost never on the other.
    None for any other bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    head = data[:8192]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd >= 0.4 * pairs and even <= 0.01 * pairs:
        return "utf-16-le"
    if even >= 0.4 * pairs and odd <= 0.01 * pairs:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding); never raises. UTF-16 or UTF-32 when the bytes say so (`wide_encoding`);
    UTF-8 first otherwise; then cp1252 when it reads as Western text (detectors guess poorly on short Western
    snippets); then charset-normalizer's detection (Cyrillic, CJK, ...); latin-1 last, which decodes any byte."""
    wide = wide_encoding(data)
    if wide is not None:
        bom = next((len(b) for b, e in _BOMS if e == wide and data.startswith(b)), 0)
        return data[bom:].decode(wide, errors="replace"), wide
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


# what makeinfo tells an Info reader between NUL-backspace brackets: an index follows ("\0\b[index\0\b]"),
# an image stands here ("\0\b[image src="modules.png" alt="..."\0\b]")
INFO_COOKIE = re.compile(rb"\x00\x08\[[^\x00]{0,500}\x00\x08\]")


def looks_binary(data: bytes, strict: bool = False) -> bool:
    """NUL bytes in the first 8 KB (unless it is UTF-16 or UTF-32 text: `wide_encoding`); with `strict` (a file
    whose name says nothing of its format), also more than 5% control bytes other than tabs, newlines, form
    feeds and a terminal's formatting (escapes and backspaces: a README in colour, a manual in bold)."""
    head = data[:8192]
    if b"\x00\x08[" in head:  # a GNU Info manual's markers of an index or an image are no binary content
        head = INFO_COOKIE.sub(b"", head)
    if b"\x00" in head:
        if wide_encoding(data) is None:
            return True
        head = decode(head[: len(head) // 4 * 4])[0].encode("utf-8", errors="replace")
    return strict and sum(1 for b in head if b < 32 and b not in (8, 9, 10, 12, 13, 27)) > 0.05 * max(1, len(head))


def make_document(
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
    records: tuple[tuple[int, int], ...] = (),
    code: tuple[tuple[int, int], ...] = (),
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
        records=records,
        code=code,
    )


def title_key(text: str) -> str:
    """A heading or a name as it is matched against another: NFKC (ligatures), letters and digits only, case
    folded."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).casefold()


def under_title(title: str, sections: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
    """Sections whose heading paths are rooted in the document's title: a path that does not open with it
    gets it in front, and a stretch under no heading is under the title. An Info manual's Top heading is
    underlined as its chapters are, so "2.11 Recursive Retrieval Options" lay under "2 Invoking" and not under
    "Wget 1.21.3": a sentence of the manual never said which program it was about."""
    if not title:
        return sections
    root = title + HEADING_SEPARATOR

    def rooted(path: str) -> str:
        if not path:
            return title
        return path if path == title or path.startswith(root) else root + path

    return tuple((at, rooted(path)) for at, path in sections)


_SEPARATORS = re.compile(r"[\s|\u00b7\u2022/,;()\[\]\u2013\u2014-]*")
_NAMES_ITSELF = re.compile(r"@|\w+://|www\.")  # a link named by a person's handle or its address says who or where


def only_links(links: list[tuple[str, str]], between: str) -> list[tuple[str, str]] | None:
    """A paragraph of links and separators only, each link named in three words at most ("GitHub |
    Documentation", "(Full Changelog)", "View commits"), given its links (text, address) and the text between
    them: a project list's or a changelog's way to other pages, whose links it returns (None for any other
    paragraph). Links named by a handle ("@jtpio | @krassowski", a release's contributors) or an address are
    text."""
    named = [text.split() for text, _ in links]
    ok = (
        bool(named)
        and all(0 < len(words) <= 3 and not _NAMES_ITSELF.match(words[0]) for words in named)
        and bool(_SEPARATORS.fullmatch(between))
    )
    return links if ok else None


_WEB_ADDRESS = re.compile(r"(?:https?|ftp)://[^\s<>\"']+", re.I)
# what `links_shown` writes: each link's text and its web address, "; " between them
_LINK_SHOWN = rf"[^:;]{{1,60}}:\s*{_WEB_ADDRESS.pattern}"
LINKS_SHOWN = re.compile(rf"{_LINK_SHOWN}(?:;\s*{_LINK_SHOWN})*", re.I)


def links_shown(links: list[tuple[str, str]]) -> str:
    """A paragraph of links only (`only_links`), each given as (text, address), read as where they lead:
    "GitHub: https://github.com/encode/httpx; Documentation: https://www.python-httpx.org" (`LINKS_SHOWN`).
    Links within the documents (a page, an anchor) lead nowhere a reader can be sent: "" when there is no web
    address."""
    return "; ".join(f"{' '.join(text.split())}: {href.strip()}" for text, href in links if _WEB_ADDRESS.fullmatch(href.strip()))


def paragraphs_text(paragraphs: list[str]) -> str:
    """Paragraphs with inner whitespace collapsed, separated by blank lines (the chunker's boundaries)."""
    cleaned = [" ".join(p.split()) for p in paragraphs]
    return "\n\n".join(p for p in cleaned if p)


# a version ("0.27.0", "v2.1", "Version 8.1") and a date ("2024-05-29", "21st February, 2024", "May 1, 2026",
# "March 2024") in one short heading: a release and when it came out (`DATE`: a whole date, day to year)
# "2.1", "v2.39.5", and a pre-release of one ("7.6.0b1", "v2.14.0rc2", "7.6.0-beta.1", "1.0.dev3")
VERSION = re.compile(r"(?<![\w.])v?\d+(?:\.\d+)+(?:[-.]?(?:a|b|rc|alpha|beta|dev|pre)\.?\d*)?(?![\w.])", re.I)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# a day before the month is no version's last number: "9.0.0 August 26 2026" is dated August 26, not "0 August"
DATE = re.compile(
    rf"(?<!\d)\d{{4}}[-/]\d{{1,2}}[-/]\d{{1,2}}(?!\d)|"
    rf"\b(?:(?<![\d.]){_DAY}\s+)?{_MONTH},?\s+(?:{_DAY},?\s+)?\d{{4}}(?!\d)",
    re.I,
)
RELEASE_CHARS = 80  # a longer heading is a title that names a version and a date, not a release's heading


def _version_and_date(heading: str) -> tuple[re.Match | None, re.Match | None, str]:
    """A short heading's version and date, and the heading with the date left out (whose numbers are no
    version) that the version was found in; (None, None, "") for a heading longer than RELEASE_CHARS."""
    if len(heading) > RELEASE_CHARS:
        return None, None, ""
    date = DATE.search(heading)
    rest = heading if date is None else heading[: date.start()] + " " + heading[date.end() :]
    return VERSION.search(rest), date, rest


def dated_release(heading: str) -> tuple[str, str] | None:
    """The version and the date of a release's heading that gives when it came out ("2.32.3 (2024-05-29)":
    ("2.32.3", "2024-05-29")); None for any other heading."""
    version, date, _ = _version_and_date(heading)
    return (version.group(0), date.group(0)) if version and date else None


def release_heading(heading: str) -> bool:
    """A release's heading: a version, at most two other words, and a date, a third number, a "v" or the word
    "version" or "release" that say it is one ("1.10.0 - 2024-05-02", "23.7.0", "Hatch v1.10.0", "Version
    2.0", "0.27.1 (27th August, 2024)"), or words that call it a release's notes, not counted among the two
    ("Git 2.23 Release Notes", "What's New In Python 3.12"). Not a numbered section ("2.1 Text font
    attributes": its number opens words), nor a title that names a version of something else ("HTTP/1.1
    Semantics", "Python 3.12")."""
    version, date, rest = _version_and_date(heading)
    if version is None:
        return False
    around = rest[: version.start()] + " " + rest[version.end() :]
    notes = _RELEASE_NOTES.search(around)
    words = _WORDS.findall(_RELEASE_NOTES.sub(" ", around))
    if len(words) > 2 or (words and date is None and not rest[: version.start()].strip()):
        return False
    named = version.group(0)[0] in "vV" or version.group(0).count(".") >= 2 or bool(_PRE_RELEASE.search(version.group(0)))
    called = notes is not None or any(word.lower() in ("version", "release") for word in words)
    return date is not None or named or called


_WORDS = re.compile(r"[^\W\d_]+")
# a pre-release's suffix, which no numbered section carries: "21.8b0", "2.0rc1", "3.13.0a2"
_PRE_RELEASE = re.compile(r"\d[-.]?(?:a|b|rc|alpha|beta|dev|pre)\.?\d+$", re.I)
# words that head a release's notes and name it by its version: "Git 2.23 Release Notes", "What's New In Python
# 3.12", "Changes in 1.2"; they say the heading is a release's, and are not counted as its other words
_RELEASE_NOTES = re.compile(
    r"\b(?:release\s+notes?|what['\u2019]?s\s+new(?:\s+in)?|changes\s+in|change\s*log\s+(?:for|of))\b", re.I
)


# A one-line command that installs something ("pip install pypdfium2", "$ sudo apt install ripgrep", "python -m
# pip install -U black"), in a block whose language is a shell's (or unnamed)
_PROMPTED = re.compile(r"\$ +\S")  # a command typed at a shell's prompt, as documentation shows one
_INSTALLS = re.compile(
    r"(?:\$\s*)?(?:sudo\s+)?(?:python3?\s+-m\s+)?(?:pip3?|pipx|uv(?:\s+pip)?|conda|mamba|apt(?:-get)?|brew|npm|yarn|"
    r"pnpm|cargo|go|gem|snap|dnf|yum|pacman|choco|winget)\s+(?:install|add|get)\b"
)
_SHELL = re.compile(r"|bash|sh|shell|console|zsh|fish|shell-session|powershell|ps1|bat|cmd|text")
KEPT_CODE_LINES = 30  # a code block a sentence leads into is kept, as code, up to this long (`Outline._keep_code`)
KEPT_CODE_CHARS = 2000
HEADING_SEPARATOR = " \u203a "  # "Usage › Line length"
TRIMMED_LINE = re.compile(r"^[ \t]*(\S[^\n]*?)[ \t]*$", re.M)  # a line's text without its blanks (group 1)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+[\"'(\[]*[A-Z0-9']")  # where the chunker could end a sentence
# "Example:", "For example:", "Example usage:": three words at most ending in a colon
_LABEL = re.compile(r"\S+(?:\s\S+){0,2}:")
# "into the terminal.", "where NAME is the project's name", "or, better,": a paragraph right after a code block
# whose plain text (not inline code: "python -m pip show will display ...") opens with a lower-case word goes
# on with the sentence the block broke off (`Outline.goes_on`)
_GOES_ON = re.compile(r"[a-z]+(?:[\s,;:]|$)")


def continues(plain_start: str) -> bool:
    """Does a paragraph after a code block, whose first inline piece is the plain text `plain_start`, go on
    with the sentence before the block?"""
    return bool(_GOES_ON.match(plain_start.lstrip()))


# A reader whose parser gives only text (RTF, LaTeX) marks a heading's line in it: a private-use character,
# never in a document's own text, then the level (`heading_mark`); `Outline.block` reads the mark back
HEADING_MARK = "\ue000"
_MARKED = re.compile(rf"{HEADING_MARK}(\d) ?([^\n]*)")


def heading_mark(level: int) -> str:
    """What a reader puts before a heading's text in the text it parses, for `Outline.block`."""
    return f"{HEADING_MARK}{level} "


class Outline:
    """Paragraphs under headings: `heading(level, text)` opens a section (closing those at its level and
    below), `paragraph(text)` adds text under the headings open now; `text()` and `sections()` give the
    document text (as `paragraphs_text`) and where each heading path begins in it."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str]] = []
        self.parts: list[str] = []
        self.marks: list[tuple[int, str]] = []
        self.offset = 0
        self.whole: list[tuple[int, int]] = []
        self.held = ""  # a short code block after a paragraph that does not lead into it with a colon
        self.dropped = False  # the last paragraph was a label, left out with the code block after it
        self.code: list[tuple[int, int]] = []  # [start, end) of each code block kept after its lead-in
        self.unled = ""  # the code block just left out with nothing leading into it (`paragraph` may keep it)
        self.opening = ""  # ... and the heading path it opened, right under its heading ("" for none)
        self.linked: set[int] = set()  # where each paragraph of links only (`links`) starts

    def heading(self, level: int, text: str) -> None:
        """Open a section. A release's heading with its date ("0.27.0 (21st February, 2024)") is a sentence
        too, under the headings above it: it says when that version came out, which no sentence under it says."""
        self.held, self.dropped, self.unled, self.opening = "", False, "", ""
        text = " ".join(text.split())
        if not text:
            return
        while self.open and self.open[-1][0] >= level:
            self.open.pop()
        if dated_release(text):
            self.paragraph(text)
        self.open.append((level, text))

    def close(self, level: int = 0) -> None:
        """Close the open headings of `level` and below (all of them by default)."""
        while self.open and self.open[-1][0] >= level:
            self.open.pop()

    def path(self) -> str:
        return HEADING_SEPARATOR.join(text for _, text in self.open)

    def paragraph(self, text: str, record: bool = False) -> None:
        """A paragraph under the headings open now; a `record` (a table row) is one sentence, never split. One
        that speaks of the code above it ("The code above will limit the payload to 16 megabytes.") keeps the
        block left out just before it, if nothing led into that block (`unled`), to be cited with it."""
        unled, opening, self.held, self.dropped, self.unled, self.opening = self.unled, self.opening, "", False, "", ""
        text = " ".join(text.split())
        if not text:
            return
        path = self.path()
        if path != self._marked():
            self.marks.append((self.offset, path))
        if unled and not record and ((opening and opening == path) or speaks_of_code_above(text)):
            self._keep_code(unled)
        if record:
            self.whole.append((self.offset, self.offset + len(text)))
        self.parts.append(text)
        self.offset += len(text) + 2

    def links(self, shown: str) -> None:
        """A paragraph of links only, read as where they lead (`links_shown`): a record of its own, which a
        catalogue's entry does not count as its paragraph (`name_entries`: "GitHub: https://...;
        Documentation: https://..." between a package's name and what it is). Under a release's heading
        ("Full Changelog", "View commits", "GitHub release": where the release's changes are listed) it is
        no text: in a changelog it stood beside every release's entries and named its version in its address
        ("compare/4.5.2...4.5.3")."""
        if any(release_heading(heading) for _, heading in self.open):
            self.passed_over()
            return
        self.linked.add(self.offset)
        self.paragraph(shown, record=True)

    def shows(self, code: str, language: str = "") -> None:
        """A code block: left out (code is not prose), except a short one (`SHOWN_LINES` lines, `SHOWN_CHARS`
        characters) right after a paragraph that leads into it with a colon ("Use this command line:"), under
        the same headings: it ends that paragraph ("Use this command line: valgrind --leak-check=yes myprog"),
        which said nothing without it. Any other block after a paragraph under the same headings is kept as
        code cited with that paragraph's last sentence (`_keep_code`), unless the paragraph is only a label
        ("Example:"), which goes with the block; a sentence going on after the block ends that paragraph
        instead (`goes_on`), with the block when it is short ("To start a service, run" [it] "and ..."). Right
        under a heading, a one-line command that installs something ("pip install pypdfium2") or is typed at a
        prompt ("$ make test"), `language` the block's, a shell's or none, is a unit of its own."""
        self.held, self.unled, self.opening = "", "", ""
        lines = [line.strip() for line in code.strip().splitlines() if line.strip()]
        shown = " ".join(" ".join(line.split()) for line in lines)
        if not lines or self._after_code():
            self.unled = code  # nothing, or a second block after one kept: left out
            return
        if not self._goes_on_from_last():
            # right under a heading, nothing leading into it: a command that installs something, or one typed
            # at a shell's prompt ("$ http -A digest -a username:password ..." under "Authentication › Digest
            # auth"), is what that section says, and a unit of its own; other code is left out
            if len(lines) == 1 and len(shown) <= SHOWN_CHARS and _SHELL.fullmatch(language.strip().lower()) and (
                _INSTALLS.match(shown) or _PROMPTED.match(shown)
            ):
                self.paragraph(shown, record=True)
            else:
                # kept, before it, if a paragraph follows: it says what this is (CMake's "add_executable(<name>
                # ...)" under "Normal Executables", then "Adds an executable target called <name> ...")
                self.unled = code
                self.opening = self.path() if self.path() != self._marked() else ""
            return
        # too long for the sentence, or holding what the chunker takes for a sentence's end ("rl.question('What
        # is your favorite food? ');" would be cut there)
        long = len(lines) > SHOWN_LINES or len(shown) > SHOWN_CHARS or bool(_SENTENCE_END.search(shown))
        if long and _LABEL.fullmatch(self.parts[-1]):
            self.left_out()  # "Example:" over it: the label goes with it
            self.unled = code
            return
        if not long and self.parts[-1].endswith(":"):
            self.parts[-1] += " " + shown
            self.offset += len(shown) + 1
            return
        if not long:
            self.held = shown  # shown inside the sentence if the paragraph after it goes on ("run" [it] "and")
        self._keep_code(code)

    def _keep_code(self, code: str) -> None:
        """A code block right after the last paragraph, which leads into it ("A minimal application looks like
        this:") or says what it shows ("Define the blueprint and register it in the factory."): kept in the
        text as it is written (dedented, its lines' trailing blanks dropped), after that paragraph, and cited
        with its last sentence (`Document.code`), never read as sentences. One longer than `KEPT_CODE_LINES`
        lines or `KEPT_CODE_CHARS` characters is a listing rather than an example, and left out."""
        lines = [line.rstrip() for line in textwrap.dedent(code.expandtabs(4)).splitlines()]
        text = "\n".join(lines).strip("\n")
        if len(lines) > KEPT_CODE_LINES or len(text) > KEPT_CODE_CHARS:
            return
        self.code.append((self.offset, self.offset + len(text)))
        self.parts.append(text)
        self.offset += len(text) + 2

    def _after_code(self) -> bool:
        """Is the last part a kept code block, under the headings open now?"""
        return bool(self.code) and self.code[-1][1] == self.offset - 2 and self.path() == self._marked()

    def left_out(self) -> None:
        """A block left out after the last paragraph (code too long to show, a directive whose text is not
        prose): that paragraph goes too when it is only a label leading into the block ("Example:", "For
        example:", "Example usage:"; `_LABEL`): it says nothing alone, and as a unit, read after its heading
        path, it ranked with the section's best sentences."""
        if not self._goes_on_from_last() or not _LABEL.fullmatch(self.parts[-1]):
            return
        self.offset -= len(self.parts.pop()) + 2
        self.dropped = True  # what follows goes on from the label, not from the paragraph before it
        if self.marks and self.marks[-1][0] >= self.offset:
            self.marks.pop()  # the label opened its path: the next paragraph opens it again

    def passed_over(self) -> None:
        """A block read as no text (a paragraph of links only): what follows does not go on from the paragraph
        before it."""
        self.held, self.dropped, self.unled, self.opening = "", True, "", ""

    def goes_on(self, text: str) -> None:
        """A paragraph right after a code block that goes on with the sentence the block broke off ("To
        deactivate a virtual environment, type:" over `deactivate`, then "into the terminal."): it ends the
        paragraph before the block, under the same headings, instead of standing as a fragment, with the
        block when it is short (held by `shows`); anywhere else it is a paragraph. The readers tell one
        (`continues`)."""
        text = " ".join(text.split())
        if text and self._after_code():
            # the sentence the block broke off ends after it: the block goes, as one too long to show does
            self.offset = self.code.pop()[0]
            self.parts.pop()
        if not text or not self._goes_on_from_last() or self.dropped:
            self.paragraph(text)
            return
        text = f"{self.held} {text}" if self.held else text
        self.held = ""
        self.parts[-1] += " " + text
        self.offset += len(text) + 1

    def _marked(self) -> str:
        """The heading path the last paragraph was read under."""
        return self.marks[-1][1] if self.marks else ""

    def leads_in(self) -> bool:
        """Does the last paragraph, under the headings open now, lead into what comes with a colon ("Install
        it with your package manager:")?"""
        return self._goes_on_from_last() and self.parts[-1].endswith(":")

    def _goes_on_from_last(self) -> bool:
        """Can what comes now end the last paragraph: there is one, under the headings open now, and it is no
        table row (a record is whole as it is)?"""
        record = bool(self.whole) and self.whole[-1][1] == self.offset - 2
        return bool(self.parts) and self.path() == self._marked() and not record and not self._after_code()

    def block(self, text: str) -> None:
        """A block of a text whose headings were marked (`heading_mark`): a heading, or else a paragraph."""
        marked = _MARKED.fullmatch(text.strip())
        if marked is not None:
            self.heading(int(marked.group(1)), marked.group(2))
        else:
            self.paragraph(text.replace(HEADING_MARK, ""))

    def slide(self, heading: str, units: list[tuple[str, bool]]) -> None:
        """One slide (PPTX, PPT, ODP): its title heads its units (text, whether a record); a slide with nothing
        but its title says what it says in the title, which is then its text."""
        self.close()
        units = [(text, record) for text, record in units if text.strip()]
        if not units:
            self.paragraph(heading)
            return
        self.heading(1, heading)
        for text, record in units:
            self.paragraph(text, record)

    def table(self, rows: list[list[str]], header: bool = True, pairs: bool = True) -> None:
        """A table's units (`table_units`): a data table's rows as records, a layout table's cells as paragraphs."""
        for text, record in table_units(rows, header, pairs):
            self.paragraph(text, record)

    def name_entries(self) -> None:
        """A run of sibling sections (`ENTRY_RUN` or more), each a short name over one short paragraph (a
        list of packages: "BarCache" over "Response caching middleware backed by Redis."), or a name written
        as code over paragraphs and examples (a reference: "site_url" over what it sets and more), is a
        catalogue: each entry's (first) paragraph is read after its name ("BarCache: Response caching ..."),
        which it means and which only its heading held, unless it opens with it. Called by a reader once its
        outline is whole (offsets after an entry move with it)."""
        starts, at = [], 0
        for part in self.parts:
            starts.append(at)
            at += len(part) + 2
        code = {start for start, _ in self.code}
        rows = {start for start, _ in self.whole}
        bounds = [offset for offset, _ in self.marks] + [at]
        names = Counter(path.rsplit(HEADING_SEPARATOR, 1)[-1] for _, path in self.marks)
        runs: list[list[tuple[int, str]]] = [[]]  # each run's entries: (part index, the name read before it)
        level = -1
        for k, ((offset, path), end) in enumerate(zip(self.marks, bounds[1:])):
            inside = [
                i for i in range(bisect.bisect_left(starts, offset), bisect.bisect_left(starts, end)) if starts[i] not in self.linked
            ]
            # an API reference's entry may show an example too ("HTMLResponse" over what it returns and how it
            # is used); a section of a guide with one paragraph and its code ("Favicon") is no entry
            prose = [i for i in inside if starts[i] not in code]
            name = path.rsplit(HEADING_SEPARATOR, 1)[-1]
            depth = path.count(HEADING_SEPARATOR)  # siblings, or cousins under headings with no text of their own
            entry = (
                bool(prose)
                and not (k == 0 and depth == 0)  # the page's own title over its introduction is no entry
                and names[name] == 1  # "Features" or "Fixed" over each release's one change is a kind, not a name
                and starts[prose[0]] not in rows
                and (
                    # a reference's entry under a name written as code says more ("site_name" over what it is,
                    # an example and what else to know): its first paragraph is read after the name
                    _reference_name(name)
                    or (
                        len(prose) == 1
                        and _names_entry(name, self.parts[prose[0]])
                        and (len(inside) == 1 or bool(_IDENTIFIER.search(name)))
                    )
                )
            )
            if not entry or depth != level:
                runs.append([])
            level = depth
            if entry:
                # one whose paragraph already opens with its name ("Mangum is an adapter for ...") needs none
                said = self.parts[prose[0]].casefold().startswith(name.casefold())
                runs[-1].append((prose[0], "" if said else name))
        named = {i: name for run in runs if len(run) >= ENTRY_RUN for i, name in run if name}
        if not named:
            return
        shift = [0] * (len(self.parts) + 1)
        for i in range(len(self.parts)):
            shift[i + 1] = shift[i] + (len(named[i]) + 2 if i in named else 0)

        def moved(offset: int) -> int:  # an offset at a part's start (before its name) or inside it (after)
            i = bisect.bisect_right(starts, offset) - 1  # starts[0] is 0: every offset is in some part
            return offset + (shift[i] if offset == starts[i] else shift[i + 1])

        self.marks = [(moved(offset), path) for offset, path in self.marks]
        self.code = [(moved(a), moved(b)) for a, b in self.code]
        self.whole = [(moved(a), moved(b)) for a, b in self.whole]
        self.linked = {moved(a) for a in self.linked}
        self.parts = [f"{named[i]}: {part}" if i in named else part for i, part in enumerate(self.parts)]
        self.offset += shift[-1]

    def text(self) -> str:
        return "\n\n".join(self.parts)

    def sections(self) -> tuple[tuple[int, str], ...]:
        return tuple(self.marks)

    def records(self) -> tuple[tuple[int, int], ...]:
        return tuple(self.whole)

    def fields(self) -> dict:
        """What a document made of this outline holds besides its text: sections, records, code blocks."""
        return {"sections": self.sections(), "records": self.records(), "code": tuple(self.code)}


# a name written as code: "HTMLResponse", "JSONResponse", "url_for", "Request.url", "get()", "--verbose",
# "ERR_TLS_CERT"
_IDENTIFIER = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]|[_.(]|^--?\w|^[A-Z0-9_]{2,}$")
_VERSION_NAME = re.compile(r"v?\d|.*\d\.\d")  # "1.2.0", "v2", "Version 0.7.2", "IPython 8.35": a release


def _reference_name(name: str) -> bool:
    """A heading that names something written as code ("site_name", "url_for()", "HTMLResponse", "--verbose",
    "nav": one word in lower case), not a release ("1.2.0", "Version 0.7.2": its entries are its changes)."""
    words = name.split()
    code = bool(_IDENTIFIER.search(name)) or (len(words) == 1 and name.islower() and name[0].isalpha())
    return code and 0 < len(words) <= ENTRY_NAME_WORDS and "://" not in name and not _VERSION_NAME.match(name)


ENTRY_RUN = 3  # sibling sections of a name over one short paragraph, at least this many, are a catalogue
ENTRY_NAME_WORDS = 4
ENTRY_CHARS = 400


def _names_entry(name: str, paragraph: str) -> bool:
    """Is a section's heading a short name over its one short paragraph?"""
    words = name.split()
    return (
        0 < len(words) <= ENTRY_NAME_WORDS
        and name[-1] not in ".,;:!?"
        and "://" not in name  # an address is no name (a comment line of a CMake file read as Markdown)
        and len(paragraph) <= ENTRY_CHARS
    )


CELL_CHARS = 200  # a table whose cells are all at most this long is data: each row is read as one unit


def row_text(cells: list[str], header: list[str] | None) -> str:
    """A table row as one unit: "Option: --line-length; Default: 88" under a header row, else the cells
    joined by " | "; empty cells left out."""
    cells = [" ".join(c.split()) for c in cells]
    if header and len(header) == len(cells):
        return "; ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells) if c)
    return " | ".join(c for c in cells if c)


def is_data(rows: list[list[str]]) -> bool:
    return all(len(cell) <= CELL_CHARS for row in rows for cell in row)


def table_units(rows: list[list[str]], header_row: bool = True, pairs: bool = True) -> list[tuple[str, bool]]:
    """A table's units, each with whether it is a record: a data table's rows, each one record read with the
    first row's column names when there is more than one row and `header_row` ("Option: --line-length;
    Default: 88"), or, when `pairs` allows and it `reads_as_pairs`, each row as its label and value ("Owner:
    Ann Lee"); a layout table (a long cell) cell by cell, as paragraphs, but one of terms beside their texts
    (`reads_as_pairs` where `pairs` allows) each term before its text, as a definition list's."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not is_data(rows):
        if pairs and reads_as_pairs(rows):  # terms beside long texts: a policy's "Scope" beside what it covers
            return [(pair_text(row), is_data([row])) for row in rows]
        return [(cell, False) for row in rows for cell in row]
    if pairs and reads_as_pairs(rows):
        return [(pair_text(row), True) for row in rows]
    header = rows[0] if len(rows) > 1 and header_row else None
    return [(row_text(cells, header), True) for cells in (rows[1:] if header else rows)]


PAIR_LABEL_WORDS = 8


def reads_as_pairs(rows: list[list[str]]) -> bool:
    """Is this a table of labels and values, as forms, briefs and spec sheets are ("Owner | Ann Lee", "Budget |
    40,000 EUR"), rather than one whose first row names its columns? At most two cells a row; two rows or more
    with a label and something else beside it, each label short (at most PAIR_LABEL_WORDS words, no sentence's
    or clause's end) and no two alike; other rows only a caption over both columns or a label left blank; and,
    of three such rows or more, not a second column holding a number in (nearly) every row but the first ("Plan
    | Price" over "Basic | 5 EUR", "Pro | 9 EUR": the first row names the columns). Read with its first row as
    column names, such a table gave "Owner: Budget; Ann Lee: 40,000 EUR" and lost its first row; a two-column
    table that has column names ("Name | Role") reads as pairs too ("Name: Role", "Ann Lee: PM"), which loses
    the names but no row, and is only asked where no markup says which row names the columns."""
    cells = [[" ".join(c.split()) for c in row] for row in rows]
    if any(len(row) > 2 or (len(row) == 2 and not row[0] and row[1]) for row in cells):
        return False
    pairs = [row for row in cells if len(row) == 2 and row[0] and row[1] and row[0] != row[1]]
    if len(pairs) < 2:
        return False
    labels = [row[0].rstrip(":").strip().lower() for row in pairs]
    values = [any(c.isdigit() for c in row[1]) for row in pairs]
    if len(values) > 2 and not values[0] and sum(values[1:]) >= 0.8 * len(values[1:]):
        return False  # "Plan | Price" over "5 EUR", "9 EUR": the first row names the columns
    return len(set(labels)) == len(labels) and all(
        label and len(label.split()) <= PAIR_LABEL_WORDS and label[-1] not in ".?!;," for label in labels
    )


def pair_text(row: list[str]) -> str:
    """A label-and-value row as one unit: "Owner: Ann Lee" (a label's own colon kept once); a caption over both
    columns (Word repeats a merged cell) or a label without a value, as its text once."""
    filled = [" ".join(c.split()) for c in row if c.strip()]
    if len(filled) < 2 or filled[0] == filled[1]:
        return filled[0] if filled else ""
    return f"{filled[0].rstrip(':').rstrip()}: {filled[1]}"


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# elements that have no end tag
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_UNCOUNTED = _VOID | frozenset(
    "p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption rb rt rtc rp".split()
)


def html_depth(markup: str, limit: int = HTML_MAX_DEPTH) -> int:
    """How deep elements nest (up to `limit` + 1: the scan stops there), in one linear pass over the tags."""
    return _nesting(markup, lambda name: name not in _UNCOUNTED, limit)


def _nesting(markup: str, counted: Callable[[str], bool], limit: int) -> int:
    """How deep the elements `counted` (by name) nest, each start tag one level more and each end tag one
    less, up to `limit` + 1 (the scan stops there)."""
    depth = deepest = 0
    for match in _TAG.finditer(markup):
        if match.group(3) or not counted(match.group(2).lower()):
            continue
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


_LEFT_OPEN = frozenset("p li dt dd tr td th option".split())


def open_depth(markup: str, limit: int = HTML_MAX_OPEN) -> int:
    """How deep the elements whose end tag HTML lets a page leave out (a paragraph, a list item, a definition,
    a table row or cell, an option) nest when a page leaves them open, as Python's html.parser nests them:
    each opens one more level, each end tag closes one (up to `limit` + 1: the scan stops there)."""
    return _nesting(markup, _LEFT_OPEN.__contains__, limit)


_RAW_TEXT = frozenset("script style textarea title xmp".split())


def _names(names: str) -> frozenset[str]:
    return frozenset(names.split())


# a start tag: the left-open elements it closes, and the elements that bound the search for them
_CLOSES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (_names("li"), _names("ul ol menu dir table")),
    **dict.fromkeys(("dt", "dd"), (_names("dt dd"), _names("dl table"))),
    "tr": (_names("tr td th"), _names("table")),
    **dict.fromkeys(("td", "th"), (_names("td th"), _names("tr table"))),
    **dict.fromkeys(("tbody", "thead", "tfoot"), (_names("tr td th tbody thead tfoot"), _names("table"))),
    "option": (_names("option"), _names("select datalist optgroup")),
    "optgroup": (_names("option optgroup"), _names("select")),
}
# the other start tags that end a paragraph left open (HTML's "close a p element"), up to its scope's bounds
_CLOSES.update(
    dict.fromkeys(
        _names(
            """address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer
            form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary table ul listing
            plaintext search"""
        ),
        (_names("p"), _names("table td th caption button object template marquee applet html")),
    )
)
_CLOSES_NOTHING: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
_MARKUP = re.compile(r"<!--.*?(?:-->|$)|" + _TAG.pattern, re.S)


def closed_as_read(markup: str) -> str:
    """`markup` with the end tags it leaves out written in, where a browser closes those elements: a paragraph
    where a block opens (another paragraph, a list, a table, a heading), a list item at the next item, a
    table cell at the next cell or row; whatever was opened inside one and left open (a `<font>` of each
    paragraph) closes with it. Python's html.parser instead nests each element left open in the one before
    it, so a page that never closes its paragraphs becomes one chain as deep as the page is long, and every
    step of reading it walks that chain (2,000 such paragraphs took 3 s to read, 20,000 about ten minutes).
    One pass over the tags; comments and the text of scripts and styles are passed over."""
    out: list[str] = []
    stack: list[str] = []
    at = 0
    raw = ""  # the script or style whose text this is: only its end tag counts
    for match in _MARKUP.finditer(markup):
        if match.group(2) is None:  # a comment
            continue
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if raw and not (closing and name == raw):
            continue
        raw = ""
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
            continue
        closes, bounds = _CLOSES.get(name, _CLOSES_NOTHING)
        depth = len(stack)  # the outermost element it closes, above the nearest bound (a row closes its cell too)
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] in bounds:
                break
            if stack[i] in closes:
                depth = i
        if depth < len(stack):
            out.append(markup[at : match.start()])
            out.append("".join(f"</{open_name}>" for open_name in reversed(stack[depth:])))
            at = match.start()
            del stack[depth:]
        if name in _RAW_TEXT:
            raw = name
        if name not in _VOID and not self_closing:
            stack.append(name)
    out.append(markup[at:])
    return "".join(out)


# a word-break opportunity: no text, and no break between the words either side ("Very<wbr>Long<wbr>Name")
_WORD_BREAK = re.compile(r"<wbr\b[^>]*>", re.I)


def prepared(markup: str) -> str:
    """A page's markup as html.parser is given it: its word-break opportunities (`<wbr>`) left out, and, where it
    leaves open elements nested deeper than HTML_MAX_OPEN (html.parser would chain them), `closed_as_read`.
    BeautifulSoup's html.parser builder keeps a list of the empty elements it met and looks each end tag up in
    it, so reading grew with their number times the page's end tags: Rust's documentation breaks its long names
    with 24,657 of them on one page (8.7 s to read), and read by `get_text(" ")` a name was cut where it broke."""
    markup = _WORD_BREAK.sub("", markup)
    return closed_as_read(markup) if open_depth(markup) > HTML_MAX_OPEN else markup


def read_xml(markup: bytes | str):
    """Markup read with the HTML parser (an HTML page; an XML part read so on purpose, an EPUB package, ODT
    content, XHTML, an Evernote export: it expands no entity a DTD declares). Its warning that this is XML is
    expected, so silenced."""
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "html.parser")


def unzips_too_far(path: str, archive: zipfile.ZipFile, kind: str, rules: ReadRules) -> Skipped | None:
    """A zip package (DOCX, EPUB, ODF, PPTX, XLSX) that would unzip to more than DOCX_MAX_EXPANDED bytes, or
    4x its size limit if that is more, is skipped; the sizes come from the zip's directory, before anything
    is unzipped (reading a member stops at its stated size). `load_file` asks it of every zip package before
    its parser runs."""
    expanded = sum(item.file_size for item in archive.infolist())
    limit = max(DOCX_MAX_EXPANDED, 4 * rules.file_limit(kind))
    if expanded <= limit:
        return None
    return Skipped(path, f"{kind.upper()} expands to {size_text(expanded)} unzipped (limit {size_text(limit)})")


def too_much_text(path: str, rules: ReadRules) -> Skipped:
    return Skipped(path, f"more text than the limit of {rules.text_limit():,} characters (QA_MAX_FILE_MB)")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Office 97-2003, Outlook .msg, encrypted OOXML


def content_kind(data: bytes) -> str:
    """What a file's first bytes say it is, whatever its name: "ole" (a compound file), "zip" (an OOXML or
    OpenDocument package), "rtf", "markup" (HTML or XML) or "text". Office and web applications save one format
    under another's name (an .xlsx or an HTML table as .xls, RTF as .doc)."""
    if data.startswith(OLE):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return "markup" if head.startswith(b"<") else "text"


# what programs write as a document's title when its author gave none: their defaults ("Word Document",
# LibreOffice's EPUB "Unknown Title", "Presentation1") and a printed file's name ("Microsoft Word - lease.docx")
_PLACEHOLDER_TITLE = re.compile(
    r"(?:untitled(?: document)?|no title|unknown title|title|document ?\d*|(?:microsoft )?word document|"
    r"presentation ?\d*|powerpoint presentation|slide ?\d+|book ?\d*|workbook ?\d*|sheet ?\d*)",
    re.I,
)
_PRINTED_FILE = re.compile(r"^microsoft (?:office )?(?:word|powerpoint|excel) - |\.(?:docx?|pptx?|xlsx?|odt|rtf|txt|html?)$", re.I)


def metadata_title(value: str) -> str:
    """A title a file's metadata records, or "" where it is a program's placeholder or the name of the file it
    was printed from: the reader then takes the title the document shows (its Title paragraph, its first
    heading, a PDF's largest line), else the file's name."""
    title = " ".join(value.split())
    return "" if _PLACEHOLDER_TITLE.fullmatch(title) or _PRINTED_FILE.search(title) else title


def names_in_bold(first: list[bool], below: list[bool]) -> bool:
    """Does a table's first row name its columns by its look: every cell of it with text in bold (`first`),
    over a first column that is not all in bold (`below`: its cells with text)? A table of bold labels and
    their values is bold down its first column, not across its first row."""
    return bool(first) and all(first) and bool(below) and not all(below)


def summary_text(value: object) -> str:
    """A property of an Office compound file's summary information (olefile's metadata: bytes in the file's
    code page, taken as cp1252, or None) as one line of text."""
    if isinstance(value, bytes):
        value = value.decode("cp1252", errors="replace")
    return " ".join(str(value or "").replace("\x00", "").split())


def manual_page_name(name: str, section: str = "") -> str:
    """A manual page as it is cited: "bzip2(1)", its name alone when no section is given."""
    return f"{name}({section})" if name and section else name


TERM_CHARS = 80  # a term over its definition fits a line
ENDS_TERM = re.compile(r"[.:!?]['\")\u201d]*$")  # a line ending so is a sentence, not a term


@dataclass
class Page:
    """A document's text as a markup language renders it (a manual page's roff, Texinfo), built paragraph by
    paragraph, with its sections (heading paths under its title) and its headings' spans. A paragraph may be
    tagged: its tags (an option, a term) stand before its text, "-k, --keep: Keep ..."."""

    out: list[str] = field(default_factory=list)
    length: int = 0
    paragraph: list[str] = field(default_factory=list)
    sections: list[tuple[int, str]] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)
    title: str = ""  # the root of every heading path (a manual page's name and section)
    path: list[str] = field(default_factory=list)  # the headings above, outermost first
    no_fill: bool = False
    tag: list[str] | None = None  # a tagged paragraph's tag(s) being read; None when not reading one
    tag_waits: bool = False  # the next line of text is a tag
    notes: list[str] = field(default_factory=list)  # footnotes of the paragraph, written after it

    def write(self, text: str) -> None:
        self.out.append(text)
        self.length += len(text)

    def add(self, text: str) -> None:
        """A line of text: a tag awaited, or the current paragraph's (a tagged paragraph opens with its tag,
        "-k --keep: Keep ...")."""
        if not text.strip():  # a blank line: a blank line in an example, a paragraph's end in text
            if self.no_fill:
                self.paragraph.append("")
            else:
                self.flush()
            return
        if self.tag_waits:
            self.tag = (self.tag or []) + [text.strip()]
            self.tag_waits = False
            return
        if self.tag:
            tags, self.tag = ", ".join(self.tag), None
            self.flush()
            self.paragraph.append(tags if tags.endswith((":", "=")) else f"{tags}:")  # "KillUserProcesses= Takes ..."
        self.paragraph.append(text.rstrip() if self.no_fill else text.strip())

    def flush(self) -> None:
        """End the paragraph: written, then a blank line, then its footnotes (`notes`) a paragraph each. A tag
        with no text under it is a line of its own."""
        if self.tag and not self.tag_waits:
            self.paragraph.append(", ".join(self.tag))
            self.tag = None
        lines = list(self.paragraph)
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines:
            self.write(("\n" if self.no_fill else " ").join(lines) + "\n\n")
        self.paragraph = []
        for note in self.notes:
            if note.strip():
                self.write(note.strip() + "\n\n")
        self.notes = []

    def end_list(self) -> None:
        """End a list: tags still waiting for text are items with none of their own, a line each (a list of
        names), not one line of names as tags that share a text are; then `end_paragraph`."""
        if self.tag and not self.paragraph:
            tags, self.tag = self.tag, None
            for tag in tags:
                self.add(tag)
                self.flush()
        self.end_paragraph()

    def end_paragraph(self) -> None:
        """End the paragraph (`flush`) and forget a tag still awaited: a new paragraph, list item or section
        starts untagged."""
        self.flush()
        self.tag, self.tag_waits = None, False

    def term(self) -> bool:
        """Take the paragraph so far as the tag of what follows, when it is one short line that is no
        sentence ("MACAddress=", "--help, -h" over an indented paragraph, as DocBook's pages write a term and
        its definition); say whether it was."""
        if self.no_fill or self.tag or len(self.paragraph) != 1:
            return False
        line = self.paragraph[0].strip()
        if not line or len(line) > TERM_CHARS or ENDS_TERM.search(line):
            return False
        self.paragraph, self.tag = [], [line]
        return True

    def titled(self, title: str) -> None:
        """The title, root of every heading path, from the start of the text."""
        self.title = title
        self.sections.append((0, title))

    def heading(self, text: str, level: int) -> None:
        """A heading at `level` (1 the outermost): a new section, its path the headings above it."""
        self.end_paragraph()
        text = " ".join(text.split())
        if not text:
            return
        self.path = [*self.path[: level - 1], text]
        self.sections.append((self.length, HEADING_SEPARATOR.join(part for part in (self.title, *self.path) if part)))
        self.headings.append((self.length, self.length + len(text)))
        self.write(text + "\n\n")

    def rendered(self) -> tuple[str, tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
        """The text, its sections and its headings' spans, the last paragraph ended."""
        self.flush()
        return "".join(self.out), tuple(self.sections), tuple(self.headings)
