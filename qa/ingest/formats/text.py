"""Plain text: encodings, the seed header line, Project Gutenberg e-books, headings known by their look, tables,
and what is there to find one's way (running headers and footers, a table of contents)."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from qa.ingest.chunking import Spans, paragraphs
from qa.ingest.formats.common import (
    HEADING_SEPARATOR,
    TRIMMED_LINE,
    VERSION,
    Outline,
    ReadRules,
    Skipped,
    dated_release,
    decode,
    make_document,
    under_title,
)
from qa.ingest.formats.pdf import LEADER, running_lines
from qa.types import Document, heading_at

# The seed format: an optional first line "date YYYY-MM-DD Title".
_HEADER = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+([^\n]*?)[ \t]*(?:\r?\n|\Z)")


# A Project Gutenberg e-book: the text between its START and END lines; the licence around it is not the book
# a Project Gutenberg e-book's text lies between its markers: "*** START OF THE PROJECT GUTENBERG EBOOK ...",
# or, in the older e-texts, after the licence's last line "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*...";
# it ends at "*** END OF ..." or at the line before it, "End of the Project Gutenberg EBook of ..."
GUTENBERG_START = re.compile(
    r"^(?:\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)\b[^\n]*|\*END\*THE SMALL PRINT![^\n]*)$",
    re.I | re.M,
)
GUTENBERG_END = re.compile(
    r"^(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)\b|End of (?:the )?Project Gutenberg(?:'s)?\b)",
    re.I | re.M,
)
GUTENBERG_TITLE = re.compile(r"^Title:[ \t]*(\S[^\n]*?)[ \t]*$", re.M)


# a line of fields split by tabs (not a line indented with them): an export of a table, as a spreadsheet saves
# one as "Text (Tab delimited)" under .txt
_TAB_FIELDS = re.compile(r"\S[ ]*\t+[ ]*\S")
_WORDLIKE = re.compile(r"[^\W\d_]{2,}")  # two letters or more: what a number's "e-01" or "E5" is not
TABLE_LINES = 3  # the fewest lines of fields that make a table
DATA_TOKENS = 200  # the fewest tokens that say a text is numbers
SNIFF_BYTES = 65_536  # how much of a plain text is looked at to tell whether it is data (not decoded twice)


def tab_separated(text: str) -> bool:
    """Is the text a table in tabs: at least TABLE_LINES lines, 9 in 10 of them with fields split by tabs, as
    many (two or more) on 9 in 10 and on the first (its header or first row; a comment over the table, as a
    list of installed packages opens with, leaves the file a text)?"""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < TABLE_LINES or sum(bool(_TAB_FIELDS.search(line)) for line in lines) < 0.9 * len(lines):
        return False
    counts = [len(line.strip().split("\t")) for line in lines]
    most = max(set(counts), key=counts.count)
    return most >= 2 and counts[0] == most and counts.count(most) >= 0.9 * len(lines)


def numbers_only(text: str) -> bool:
    """Is the text numbers (a matrix, a list of measurements), not words: at least DATA_TOKENS tokens, fewer
    than one in ten with a word in it (a comment above the numbers may say what they are)?"""
    tokens = text.split()
    return len(tokens) >= DATA_TOKENS and sum(bool(_WORDLIKE.search(t)) for t in tokens) < 0.1 * len(tokens)


UNWRAPPED_LINE = 120  # characters: a line of prose this long, of UNWRAPPED_WORDS words at least, was not wrapped
UNWRAPPED_WORDS = 20
_LINE_BREAK = re.compile(r"(?<=[^\n])\n(?=[^\n])")  # a line break inside a paragraph (no blank line)


def unwrapped(text: str) -> bool:
    """Is this a text written one paragraph a line (by an editor that wraps lines only on the screen, or a
    word processor's "Text" export), not one wrapped at a width? Two lines of prose or more run longer than
    any wrapped text's (UNWRAPPED_LINE), and next to none of its line breaks goes on with a sentence (a line
    after another that opens in lower case: in a wrapped text, most). Then each line is a paragraph: its
    list's items and its headings are lines of their own, with no blank line between them."""
    lines = text[:SNIFF_BYTES].split("\n")
    if sum(len(line) > UNWRAPPED_LINE and len(line.split()) >= UNWRAPPED_WORDS for line in lines) < 2:
        return False
    breaks = [after for before, after in zip(lines, lines[1:]) if before.strip() and after.strip()]
    return bool(breaks) and sum(after.lstrip()[:1].islower() for after in breaks) <= 0.1 * len(breaks)


def parse_plain(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """A plain text file (`parse_document`), unless it is data: a table written with tabs is read as one (a
    row a unit, with its columns' names where the first line gives them), and a file of numbers without
    words is skipped; as text, each became paragraphs of thousands of characters that said nothing."""
    text, _ = decode(data[:SNIFF_BYTES])
    if len(data) > SNIFF_BYTES:  # whole lines only (whole words, of a line longer than that)
        cut = text.rfind("\n")
        text = text[: cut + 1] if cut >= 0 else (text.rsplit(None, 1) or [""])[0]
    if tab_separated(text):
        from qa.ingest.formats.sheets import parse_delimited

        return parse_delimited(path, data, rules)
    if numbers_only(text):
        return Skipped(path, "numbers without words: data rather than a document")
    return parse_document(path, data, rules)


# a terminal's formatting saved with the text, no text itself: ANSI escape sequences (colours and bold in a log
# saved from a terminal, a manual rendered by grotty: "\x1b[1mman-db\x1b[0m" read as "[1mman-db[0m") and a
# printer's overstrikes ("N\bNA\bAM\bME" in bold, "_\bw" underlined, as nroff writes a manual; not an Info
# file's "\0\b[index\0\b]"), but for nroff's bullet, "+" struck over "o", which is one ("\u2022"). Offsets count
# the text without them
_TERMINAL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)|[^\n\x00\x08]\x08")


def parse_document(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """Plain text: decoded, newlines normalised; a first line `date YYYY-MM-DD Title` becomes metadata; a
    Project Gutenberg e-book is read without its licence; headings found by their look (`plain_sections`)."""
    # the plain texts with a format of their own, read when a plain text is (not on `qa ask`'s start, which
    # lists the corpus through this module)
    from qa.ingest.formats.dep5 import is_dep5, parse_dep5
    from qa.ingest.formats.info import is_info, manual_title, without_navigation
    from qa.ingest.formats.roff import man_macros, parse_man

    text, encoding = decode(data)
    text = _TERMINAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("+\bo", "\u2022"))
    # a text browser's dump writes no-break spaces in margins ("\xa0\xa0\xa0  3. Arguments") and after a
    # section's number ("1.1.\xa0What is this FAQ?"): spaces all the same (offsets unchanged)
    text = text.replace("\xa0", " ")
    if is_dep5(text):  # a Debian package's copyright file: stanzas of fields
        return parse_dep5(path, data, text, encoding)
    if macros := man_macros(text):  # a manual page's roff source: rendered as man shows it
        return parse_man(path, data, text, encoding, macros)
    title, date, body_start = "", "", 0
    info = is_info(text)
    if info:  # a GNU Info manual: its nodes' navigation and menus are no text
        title, text = manual_title(text), without_navigation(text)
    match = _HEADER.match(text)
    if match:
        date, title, body_start = match.group(1), match.group(2), match.end()
    # a Debian changelog is plain text whatever it quotes (a "# ..." note with `code` reads as Markdown); it
    # and a `git log` saved as a file open with a heading that is no title (a version, a commit)
    opening = len(text) - len(text.lstrip())
    debian = _DEBIAN_ENTRY.match(text, opening) is not None
    log_start = git_log_start(text, opening)
    logged = log_start is not None or gnu_changelog(text, opening)
    if log_start is not None and match is None and _only_comments(text[:log_start]):
        body_start = log_start  # a generated file's note ("# Generated by configure.") before the first commit
    markup = markup_kind(text) if match is None and not (debian or logged or info) else ""
    if markup == "asciidoc":  # git's manuals, a README.txt written in AsciiDoc
        from qa.ingest.formats.asciidoc import parse_asciidoc

        return parse_asciidoc(path, data, rules)
    if markup:  # a README.txt, CHANGES.txt or extension-less README written in reStructuredText or Markdown
        from qa.ingest.formats import markup as readers

        return (readers.parse_rst if markup == "rst" else readers.parse_markdown)(path, data, rules)
    start = GUTENBERG_START.search(text)
    if start is not None:
        named = GUTENBERG_TITLE.search(text, 0, start.start())
        title = named.group(1) if named else title
        body_start = start.end()
        end = GUTENBERG_END.search(text, body_start)
        text = text[: end.start()] if end is not None else text
    if start is None and not (debian or logged or info) and unwrapped(text[body_start:]):
        text = text[:body_start] + _LINE_BREAK.sub("\n\n", text[body_start:])
    contents, titles = repeated_contents(text, body_start)
    furniture = page_furniture(text, body_start, contents)
    sections, headings, titles_told = plain_sections(
        text, body_start, furniture, title_line=not title, named=frozenset(titles)
    )
    headings, releases = release_lines(text, headings)
    if info:  # the Top heading is underlined as the chapters are: it is the title above them
        sections = under_title(title, sections)
    first = len(text) - len(text[body_start:].lstrip())
    if not title and sections and headings and headings[0][0] == first and not (debian or logged):
        if not _RELEASE_HEADING.match(sections[0][1]):  # "Version v2.39.5; changes since v2.39.4" heads one release
            title = sections[0][1]  # the first line, or an underlined heading, atop the text names it (not a version)
    sections, headings, records = with_tables(text, body_start, sections, tuple(sorted(headings + furniture)))
    records = tuple(
        sorted(
            set(records)
            | set(field_lines(text, body_start))
            | set(message_lines(text, body_start))
            | set(releases)
            | set(titles_told)
        )
    )
    # a list's items are records unless a heading or another record (a table row, a field) holds the line
    taken = Spans((*headings, *records))
    records = tuple(sorted({*records, *(r for r in listed_lines(text, body_start) if not taken.overlap(*r))}))
    taken = Spans((*headings, *records))
    code = tuple(b for b in terminal_sessions(text, body_start) if not taken.overlap(*b))
    return make_document(
        path, data, text, title, date, body_start, encoding, sections=sections, headings=headings, records=records,
        code=code,
    )


# a command typed at a shell's prompt: "$ ssh-add ~/.ssh/id_rsa" (not an amount: "$ 100")
_SHELL_PROMPT = re.compile(r"[ \t]*\$[ \t]+[a-z./~_-]")


def terminal_sessions(text: str, start: int = 0) -> list[tuple[int, int]]:
    """A block that opens with a command at a shell's prompt and shows what it printed ("$ ssh-add
    ~/.ssh/id_rsa" over "Enter passphrase for /home/username/.ssh/id_rsa:"), after a paragraph that does not
    lead into it with a colon: code, not sentences (such a transcript answered "How do I set a passphrase on an
    existing SSH key?" at 0.57). Commands alone ("$ make test") stay text, and so does a block a sentence
    leads into ("Install it with:"), which reads as that sentence's end (the chunker's `_shows`)."""
    found = []
    before = ""
    for block in _BLOCK.finditer(text, start):
        raw = block.group(0)
        if _SHELL_PROMPT.match(raw) and not before.endswith(":"):
            later = [line for line in raw.split("\n")[1:] if line.strip()]
            if any(not _SHELL_PROMPT.match(line) for line in later):  # it shows what a command printed
                found.append((block.start() + len(raw) - len(raw.lstrip()), block.end()))
        before = raw.rstrip()
    return found


# a heading that opens by naming a version: "Version 2.1", "Release v2.39.5; changes since ...", "v1.0 (beta)"
_RELEASE_HEADING = re.compile(rf"(?:(?:version|release)[ \t]+)?{VERSION.pattern}", re.I)


def release_lines(
    text: str, headings: tuple[tuple[int, int], ...]
) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """A release's heading that gives its date ("Version 2.1.0 (2024-03-01)", underlined or alone over its
    entries) is a sentence too, as the formats read through the Outline make it: it says when that version
    came out, which no entry under it says. Its line leaves the heading spans (context, not sentences) for
    the records (each one sentence); an underline under it stays context. The heading spans left, and the
    release lines."""
    kept: list[tuple[int, int]] = []
    lines: list[tuple[int, int]] = []
    for begin, end in headings:
        stop = text.find("\n", begin, end)
        stop = end if stop < 0 else stop
        line = text[begin:stop].rstrip()
        if not dated_release(line.strip()):
            kept.append((begin, end))
            continue
        lines.append((begin, begin + len(line)))
        if text[stop:end].strip():  # the underline
            kept.append((stop + 1, end))
    return tuple(kept), tuple(lines)


# Markup that a plain-text name hides, known by what only it writes: reStructuredText by a directive
# (".. code-block:: python", ".. note::"), or an underlined heading with inline literals, roles, links or a
# literal block ("Install with::"); Markdown by fenced code, or a "# Heading" with links, inline code or bold
_RST_DIRECTIVE = re.compile(r"^\.\. [A-Za-z][\w-]*::", re.M)
_RST_UNDERLINED = re.compile(r"^\S[^\n]*\n([=\-~^*#+])\1{2,}[ \t]*$", re.M)
_RST_INLINE = re.compile(r"``[^`\n]+``|:[a-z]+:`[^`\n]+`|`[^`\n]+ <[^>\n]+>`_|\S::[ \t]*\n\n[ \t]+\S")
_MD_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)[^\n]*\n.*?^[ \t]{0,3}\1[ \t]*$", re.M | re.S)
_MD_HEADING = re.compile(r"^#{1,6} [A-Z]", re.M)
_MD_INLINE = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)|(?<!`)`[^`\n]+`(?!`)|\*\*[^*\n]+\*\*")


# AsciiDoc (git's manuals are .txt files) by what only it writes, two kinds of it at least: a block attribute
# line ("[source,sh]", "[[anchor]]"), a table fence "|===", a directive ("include::", "ifdef::"), an inline
# macro ("link:x[...]", "linkgit:git-log[1]", "xref:a[...]"), an attribute entry (":toc:"), a "+" alone
# joining a block to a list item
_ADOC_MARKERS = (
    re.compile(r"^\[(?:source|listing|literal|verse|quote|NOTE|TIP|IMPORTANT|WARNING|CAUTION)\b[^\]\n]*\]$|^\[\[[\w:.-]+\]\]$", re.M),
    re.compile(r"^\|===$", re.M),
    re.compile(r"^(?:include|ifdef|ifndef|endif)::", re.M),
    re.compile(r"\b(?:link|xref|linkgit|image):[^\s\[\]]{1,200}\[[^\[\]\n]{0,200}\]"),
    re.compile(r"^:[\w-]+:(?:[ \t]|$)", re.M),
    re.compile(r"^\+$", re.M),
)


def markup_kind(text: str) -> str:
    """"rst", "markdown" or "asciidoc" for a plain text that is written in that markup, "" otherwise."""
    if _RST_DIRECTIVE.search(text) or (_RST_UNDERLINED.search(text) and _RST_INLINE.search(text)):
        return "rst"
    if _MD_FENCE.search(text) or (_MD_HEADING.search(text) and _MD_INLINE.search(text)):
        return "markdown"
    if sum(1 for marker in _ADOC_MARKERS if marker.search(text)) >= 2:
        return "asciidoc"
    return ""


# Headings of plain text, known by their look: a line alone between blank lines that is underlined
# ("Usage\n=====") or marked ("## Usage"), opens with a division word and its number ("CHAPTER IV.",
# "Section. 8.", "FEDERALIST No. 10"), is numbered with a capitalised title ("2.1 Line Length"), or is in
# capitals ("TERMS AND CONDITIONS"). Levels go by style in the order the styles first appear, as
# reStructuredText's underlines do.
_UNDERLINE = re.compile(r"([=\-~^*#+])\1{2,}")
_ATX = re.compile(r"(#{1,6})\s+(.+?)[\s#]*")
_DIVISION = re.compile(
    r"(book|part|volume|chapter|article|section|appendix|letter|lecture|lesson|essay|canto|act|scene|federalist|"
    r"paper)\b[\s.:]*(?:no\.?\s*)?(?:\d+|[ivxlcdm]+\b|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)"
    r"|(appendix)[\s.:]*(?-i:[A-Z])\b",  # "Appendix A"
    re.I,
)
# "2. Working Hours", "3.1 Annual leave", an appendix's "A. Tools", "A.1. The Debian maze", a part's "IV. Writing"
_NUMBERED = re.compile(r"(\d+(?:\.\d+)*|(?:[A-Z]|[IVXLC]{2,6})(?=\.)(?:\.\d+)*)\.?\s+(\S.*)")
# a Debian changelog's entry: "coreutils (9.1-1) unstable; urgency=low" heads the changes of that version
_DEBIAN_ENTRY = re.compile(r"([a-z0-9][a-z0-9+.-]+ \([^()\s]+\)(?: [a-z0-9/.+-]+)+);[ \t]*urgency=\S+", re.I)
_BLOCK = re.compile(r"[^\n]+(?:\n[ \t]*[^\s][^\n]*)*")  # lines between blank lines
HEADING_CHARS = 80
HEADING_WORDS = 12
WRAPPED_TITLE = 50  # a numbered heading's first line this long at least may go on over the next (`_wrapped_title`)
_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to with vs via".split())


def _capitalised(words: list[str]) -> bool:
    """Every word but the small ones begins with a capital, a digit or a sign ("Line Length", "I.")."""
    return all(w.lower() in _SMALL_WORDS or not w[0].isalpha() or w[0].isupper() for w in words)


_COMMIT_LINE = re.compile(r"commit [0-9a-f]{40}\b.*")
_COMMITS = re.compile(rf"^{_COMMIT_LINE.pattern}", re.M)
LOG_OPENING_LINES = 5


def _only_comments(text: str) -> bool:
    """Is every line of `text` that is not blank a "#" comment?"""
    return all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip())


def git_log_start(text: str, opening: int = 0) -> int | None:
    """Where a `git log` saved as a file begins: its first commit's header line ("commit <hash>"), when it is
    among the text's first lines; None for any other text. Cairo's ChangeLog opens with "# Generated by
    configure.  Do not edit.", and with a commit message's `code` somewhere in its megabyte it was read as
    Markdown: each file list of `--stat` became one "sentence", and the note headed the whole file."""
    first = _COMMITS.search(text, opening)
    return first.start() if first is not None and text.count("\n", opening, first.start()) < LOG_OPENING_LINES else None


# A GNU-style ChangeLog's entry header: its date, who wrote it and their address ("2022-12-12  Dmitry V. Levin
# <ldv@strace.io>"; before 2000 "Tue Dec 16 12:13:14 1997  Name  <address>"), and under it any co-authors, one
# to a line ("\t    Other Name  <address>", or the name alone)
_GNU_ENTRY = re.compile(
    r"(?:(\d{4}-\d{2}-\d{2})|(\w{3} \w{3} [ \d]\d)(?: [\d:]{8})?(?: [A-Z]{3,4})? (\d{4}))[ \t]+(\S[^<>\n]*?)[ \t]+<[^<>\s]+@[^<>\s]+>[ \t]*"
)
_GNU_HEADER = re.compile(rf"^{_GNU_ENTRY.pattern}$", re.M)
GNU_OPENING_LINES = 20  # a note before the first entry: Tcl's says in 8 lines that the log is no longer kept
# what a GNU ChangeLog's entries hold that is no text: a commit's hash ("+ commit 2e9f8a5...", GnuPG's), a file
# named with nothing said of it ("* unix/configure.in:" over another file's line, whose change was made in both)
_GNU_FURNITURE = re.compile(
    r"^[ \t]*(?:[+*][ \t]*commit [0-9a-f]{7,40}[ \t]*$|\*[ \t]*[\w./+-]+(?:[ \t]*\([^()\n]*\))?:[ \t]*(?=\n[ \t]*(?:\*|\n)|\s*\Z))",
    re.M,
)


def gnu_changelog(text: str, opening: int = 0) -> bool:
    """Does the text open as a GNU-style ChangeLog does, with an entry's header line (after a note of at most
    GNU_OPENING_LINES lines), and hold another?"""
    first = _GNU_HEADER.search(text, opening)
    if first is None or text.count("\n", opening, first.start()) >= GNU_OPENING_LINES:
        return False
    return _GNU_HEADER.search(text, first.end()) is not None


def _co_author(line: str) -> bool:
    """A co-author's line under a GNU ChangeLog entry's header (stripped): a name, with or without an address,
    or an address alone ("Dmitry V. Levin  <ldv@strace.io>", "Klas Lindfors", "wk@gnupg.org"), not a change."""
    words = line.split()
    if not words or words[0][0] in "*(" or len(words) > 7:
        return False
    return "@" in line or all(w[0].isupper() or w == "and" for w in words)


def _gnu_heading(lines: list[str]) -> str:
    """A GNU ChangeLog entry's header as the heading of its changes: "Dmitry V. Levin, 2022-12-12" (who and
    when, as a commit's: not the time of day); "" for any other block."""
    entry = _GNU_ENTRY.fullmatch(lines[0]) if lines else None
    if entry is None or not all(_co_author(line) for line in lines[1:]):
        return ""
    date = entry.group(1) or " ".join(f"{entry.group(2)} {entry.group(3)}".split())  # "Tue Dec 16 1997", as a commit's
    return f"{entry.group(4)}, {date}"


_AUTHOR_LINE = re.compile(r"Author:\s*(.*?)\s*(?:<[^>]*>)?")
_DATE_LINE = re.compile(r"(?:Author)?Date:\s*(\w{3} \w{3} \d{1,2}) [\d:]+ (\d{4}).*")


def _commit_heading(lines: list[str]) -> str:
    """A `git log` commit's header ("commit <hash>", "Author: ...", "Date: ...") as the heading of its message:
    "Khaled Hosny, Fri Dec 16 2022"; "" for any other block."""
    if not lines or not _COMMIT_LINE.fullmatch(lines[0]):
        return ""
    author = next((m.group(1) for m in map(_AUTHOR_LINE.fullmatch, lines) if m), "")
    date = next((f"{m.group(1)} {m.group(2)}" for m in map(_DATE_LINE.fullmatch, lines) if m), "")
    return ", ".join(part for part in (author, date) if part)


def _heading_style(lines: list[str], parents: frozenset[str] = frozenset()) -> tuple[tuple[str, str], str] | None:
    """(style, heading text) when a block between blank lines is a heading, else None. `parents`: the numbers
    whose sections are numbered under them in the text ("6" when "6.1. Powers" heads a block)."""
    commit = _commit_heading(lines) or _gnu_heading(lines)
    if commit:
        return ("commit", ""), commit
    if len(lines) == 2 and _UNDERLINE.fullmatch(lines[1]) and len(lines[1]) >= len(lines[0]) // 2:
        title = lines[0]
        style: tuple[str, str] = ("underline", lines[1][0])
    elif len(lines) == 3 and _UNDERLINE.fullmatch(lines[0]) and lines[0] == lines[2]:
        title, style = lines[1], ("overline", lines[0][0])
    elif len(lines) == 2 and _wrapped_title(lines):
        # "10.4. Distributing Source Code Form that is Incompatible With Secondary" over "Licenses": a numbered
        # heading too long for its line (a licence's, a standard's), under a number with a point
        title, style = " ".join(lines), ("numbered", str(lines[0].split()[0].rstrip(".").count(".")))
    elif len(lines) == 1:
        title = lines[0]
        atx = _ATX.fullmatch(title)
        division = _DIVISION.match(title)
        numbered = _NUMBERED.fullmatch(title)
        entry = _DEBIAN_ENTRY.fullmatch(title)
        if entry:
            title, style = entry.group(1), ("debian", "")
        elif atx and atx.group(2)[0].isupper():  # not a root prompt ("# apt-get install git")
            title, style = atx.group(2), ("atx", atx.group(1))
        elif division:
            style = ("division", division.group(1).lower() if division.group(1) else "chapter")  # an appendix is one
        elif numbered and (
            _capitalised(numbered.group(2).split()) or "." in numbered.group(1) or numbered.group(1) in parents
        ):
            # "2. Working Hours", and in sentence case under a number with a point ("3.1 Annual leave") or over
            # sections numbered under its number ("6. Technical committee" over "6.1. Powers"): a list's "1.
            # Open the file" is no heading
            style = ("numbered", str(numbered.group(1).count(".")))
        elif len(title.split()) >= 2 and title.upper() == title and sum(c.isalpha() for c in title) >= 4:
            style = ("capitals", "")  # one word in capitals is as often a signature ("HAMILTON") as a heading
        else:
            return None
    else:
        return None
    words = title.split()
    if style[0] == "commit":
        return style, title
    if style[0] == "underline" and title.endswith(".") and not _capitalised(words) and len(lines[1]) > 1.25 * len(title):
        return None  # a sentence over a rule across the page ("Don't feel bad: ... at first." then "-----...")
    if style[0] == "underline" and title.endswith(":") and abs(len(lines[1]) - len(title)) <= 2 and len(words) > 1:
        # ruled as long as it is (a sentence's rule runs across the page): git's "Version v2.39.5; changes since
        # v2.39.4:" over its shortlog
        return (style, title[:-1].rstrip()) if len(title) <= 3 * HEADING_CHARS else None
    if style[0] in ("underline", "overline", "atx"):  # marked as a heading: a FAQ's question is one too
        return (style, title) if words and len(title) <= 3 * HEADING_CHARS and title[-1] not in ",;:" else None
    if not words or len(title) > HEADING_CHARS or len(words) > HEADING_WORDS or title[-1] in ",;:!?":
        return None
    if title.endswith(".") and not _capitalised(words):  # "Section 2 describes the options." is a sentence
        return None
    return style, title


def _wrapped_title(lines: list[str]) -> bool:
    """Two lines that are one numbered heading wrapped: the first opens with a number with a point in it
    ("10.4.") and fills its line, the second is a word or three in capitals ending in none of a sentence's
    marks ("Licenses")."""
    numbered = _NUMBERED.fullmatch(lines[0])
    rest = lines[1].split()
    return (
        numbered is not None
        and "." in numbered.group(1)
        and len(lines[0]) >= WRAPPED_TITLE
        and 0 < len(rest) <= 3
        and _capitalised(rest)
        and lines[1][-1] not in ".,;:!?"
    )


def _told(line: str) -> bool:
    """Does a line with a release's version and date say something of it ("Version 1.2 ratified on October
    1st, 2022."), rather than name it ("version 1.13 - Paul Eggert, 1999-07-08.", "Release 1.4 (2022-06-01)")?
    A full stop after two words in lower case at least, besides "version" or "release"."""
    told = [w for w in re.findall(r"[^\W\d_]+", line) if w.islower() and w not in ("version", "release")]
    return line.endswith(".") and len(told) >= 2


# an admonition's label alone on its line ("Note", "Tip" over what it notes): no subtitle of the heading above
_ADMONITIONS = frozenset("note notes tip tips hint warning caution important attention danger notice".split())


def _is_subtitle(lines: list[str]) -> bool:
    words = lines[0].split()
    return (
        len(lines) == 1
        and 0 < len(words) <= HEADING_WORDS
        and lines[0][-1] not in ",;:!?"
        and _capitalised(words)
        and lines[0].lower() not in _ADMONITIONS
        and any(c.isalpha() for c in lines[0])  # a rule ("-----") is none
    )


# "Contents", "Table of Contents"; "List of Tables" (or figures, examples ...: a book's list of its captions,
# which name their kind further on: "Table 1.6. The umask value examples")
_CONTENTS_LABEL = re.compile(
    r"^[ \t]*((?:table\s+of\s+)?contents|list\s+of\s+(tables|figures|examples|equations|listings|illustrations))[ \t]*:?[ \t]*$",
    re.I | re.M,
)


# `git log --stat` saved as a changelog: the list of files each commit changed with its count of lines
# ("src/hb-map.cc |  2 ++", "2 files changed, 24 insertions(+)")
_GIT_STAT = re.compile(
    r"^(?:[ \t]*\S[^\n|]*\|[ \t]+(?:\d+[ \t]*[-+]*|Bin[^\n]*)[ \t]*\n)+[ \t]*\d+ files? changed[^\n]*$", re.M
)


def page_furniture(text: str, start: int, repeated: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The spans of what a text holds for finding one's way, not to read: the running headers and footers of a
    text paged by form feeds (an RFC, a printed report), found as a PDF's are (`running_lines`: "RFC 9110
    HTTP Semantics  June 2022" atop every page is not a sentence, and the footer "Fielding, et al.  Standards
    Track  [Page 12]" no heading's subtitle), a table of contents (lines ending in a dot leader and a page
    number, as the PDF reader leaves them out, and its "Table of Contents" line; without them, `repeated`,
    the spans `repeated_contents` found), and the file lists of a `git log --stat` (two commits or more): its
    commit messages are the text, under their headers."""
    contents = [
        (m.start(1), m.end(1)) for m in TRIMMED_LINE.finditer(text, start) if LEADER.search(text, m.start(1), m.end(1))
    ]
    if contents:
        contents += [(m.start(1), m.end(1)) for m in _CONTENTS_LABEL.finditer(text, start)]
    else:
        contents += repeated
    if len(_COMMITS.findall(text, start)) >= 2:  # the commits' headers head their messages (_heading_style)
        contents += [(m.start(), m.end()) for m in _GIT_STAT.finditer(text, start)]
    if gnu_changelog(text, start):
        contents += [(m.start() + len(m.group()) - len(m.group().lstrip()), m.end()) for m in _GNU_FURNITURE.finditer(text, start)]
    if "\f" not in text:
        return tuple(sorted(contents))
    pages: list[list[tuple[int, str]]] = []  # each page's lines, with where each starts
    offset = start
    for raw in text[start:].split("\f"):
        lines = []
        for line in raw.split("\n"):
            lines.append((offset, line))
            offset += len(line) + 1
        pages.append(lines)
    dropped = running_lines([[line for _, line in page] for page in pages])
    spans = []
    for numbered, out in zip(pages, dropped):
        for at, line in (numbered[i] for i in sorted(out)):
            spans.append((at + len(line) - len(line.lstrip()), at + len(line.rstrip())))
    return tuple(sorted(set(spans + contents)))


_WORD = re.compile(r"[^\W_]+")
_PAGE_NUMBER = re.compile(r"[ \t.]+\d{1,4}$")
_BLANK_LINES = re.compile(r"(?:[ \t]*\n){0,2}")


def _words(line: str) -> str:
    """A line's words, lowercased, without its punctuation: "ESSAY No. 1." and "Essay no 1" read alike."""
    return " ".join(_WORD.findall(line.casefold()))


def _later_lines(text: str, start: int) -> dict[str, int]:
    """Where each line of the text last begins, by its words (`_words`), and each line together with the next
    line that is not blank (a title over its subtitle: "ESSAY No. 1" over "General Introduction"), or the next
    two (a long question wrapped over three lines)."""
    lines = [m for m in TRIMMED_LINE.finditer(text, start) if m.group(1)]
    words = [_words(m.group(1)) for m in lines]  # the words of lines joined are the lines' words joined
    last: dict[str, int] = {}
    for k, m in enumerate(lines):
        for n in (1, 2, 3):
            if k + n <= len(lines):
                last[" ".join(w for w in words[k : k + n] if w)] = m.start(1)
    return last


def repeated_contents(text: str, start: int = 0) -> tuple[list[tuple[int, int]], list[int]]:
    """A table of contents without dot leaders: a "Contents" line over two or more lines (the first block after
    it, blank lines between them or not), each of which the text holds again further on as a line of its own or
    as a title over its subtitle, in other case and punctuation or without a page number at its end (its
    titles: "1. Background" is the heading of that section; "ESSAY No. 1. General Introduction" heads a book's
    essay as "ESSAY No. 1" over "General Introduction"). An entry wrapped over two lines counts as one. The
    label's and the lines' spans, and where the lines it names stand further on: the headings of the text's
    parts, whatever they look like ("Economy" alone on its line heads a chapter of a book); none when a line
    is not found again."""
    found: list[tuple[int, int]] = []
    titles: list[int] = []
    last: dict[str, int] | None = None  # made once, when needed
    for label in _CONTENTS_LABEL.finditer(text, start):
        blank = _BLANK_LINES.match(text, label.end() + 1)  # the entries may stand after a blank line or two
        begin = blank.end() if blank else label.end() + 1
        block = text.find("\n\n", begin)
        block = len(text) if block == -1 else block
        lines = [m for m in TRIMMED_LINE.finditer(text, begin, block) if m.group(1)]
        if len(lines) < 2:
            continue
        kind = label.group(2)
        if kind:  # a list of captions: each caption is found again by its kind and number ("Table 1.6. ...")
            if _captions_found([m.group(1) for m in lines], text, block, kind[:-1]):
                found += [(label.start(1), label.end(1)), *((m.start(1), m.end(1)) for m in lines)]
            continue
        if last is None:
            last = _later_lines(text, start)
        named = _found_later([m.group(1) for m in lines], last, block)
        if named is not None:
            found += [(label.start(1), label.end(1)), *((m.start(1), m.end(1)) for m in lines)]
            titles += named
    return found, titles


# the word a book's part may be named by before its number: "Chapter 1. GNU/Linux tutorials"
_PARTS = ("chapter", "appendix", "part", "section", "book")
_CAPTION_NUMBER = re.compile(r"([A-Z]|\d+)(?:\.\d+)*\.?(?=\s)")


def _captions_found(entries: list[str], text: str, after: int, kind: str) -> bool:
    """A list of captions ("1.6. The umask value examples", a long one wrapped onto a line with no number):
    each number opens a caption of that kind past `after` ("Table 1.6. The umask value examples"), however
    the captions are wrapped there."""
    numbers = [m.group().rstrip(".") for e in entries if (m := _CAPTION_NUMBER.match(e))]
    if not numbers or not _CAPTION_NUMBER.match(entries[0]):
        return False
    shown = re.compile(rf"^[ \t]*{kind}\s+((?:[A-Z]|\d+)(?:\.\d+)*)(?=\.?\s)", re.I | re.M)
    later = {m.group(1) for m in shown.finditer(text, after)}
    return all(n in later for n in numbers)


def _found_later(entries: list[str], last: dict[str, int], after: int) -> list[int] | None:
    """Where each entry stands again past `after` as a line (or a title over its subtitle), as it stands,
    without its page number or after the word naming its part ("Chapter 1. GNU/Linux tutorials" for "1.
    GNU/Linux tutorials", "Appendix A. ..."), or together with the entry after it (an entry wrapped over two
    lines, or three); None when an entry does not. Of ten entries or more, one in ten may be missing (a long title
    wrapped at another word there)."""

    def found(entry: str) -> int:
        shown = [words for e in (entry, _PAGE_NUMBER.sub("", entry)) if (words := _words(e))]
        keys = [*shown, *(f"{part} {words}" for words in shown[:1] for part in _PARTS)]
        return max((last.get(k, -1) for k in keys), default=-1)  # a line of no words ("-----") is found nowhere

    at: list[int] = []
    missing = len(entries) // 10 if len(entries) >= 10 else 0
    i = 0
    while i < len(entries):
        if (where := found(entries[i])) > after:
            i += 1
        elif i + 1 < len(entries) and (where := found(f"{entries[i]} {entries[i + 1]}")) > after:
            i += 2
        elif i + 2 < len(entries) and (where := found(" ".join(entries[i : i + 3]))) > after:
            i += 3
        elif missing:
            missing, i = missing - 1, i + 1
            continue
        else:
            return None
        at.append(where)
    return at


# "Q: ", "Question 3) ": the label a FAQ's question may open with
_LABEL = r"(?:Q|Question)[ \t]*\d*[ \t]*[:.)][ \t]*"
QUESTION_LABEL = re.compile(rf"^[ \t]*{_LABEL}", re.I)
# a FAQ's number before its question or entry: "4. ", "1.2. ", "3) "
_NUMBER_LABEL = r"\d+(?:\.\d+)*[.)][ \t]+"
# "Q: Can I carry over unused leave?", "1.1. How do you pronounce it?" (or the question alone, "How do I reset
# my password?") on the first line of a block, atop its answer: the question heads the answer, as a FAQ's does
_ASKED_LINE = re.compile(
    rf"(?:(?:{_LABEL}|{_NUMBER_LABEL})(\S[^\n]{{0,200}}\?)|"
    r"((?:how|what|why|when|where|who|which|can|could|do|does|did|is|are|should|will|may)\b[^\n?]{0,200}\?))[ \t]*",
    re.I,
)


# A block that is a question alone, atop the block that answers it (a plain-text FAQ's "How do I reset my
# password?", "1.2. Can I export my data?", wrapped or not): an asking word first, or a FAQ's number or label
_ASKING = r"(?:how|what|why|when|where|who|whom|whose|which|can|could|do|does|did|is|are|was|were|should|will|would|may|must|has|have)\b"
_QUESTION_BLOCK = re.compile(rf"(?:(?:{_LABEL}|{_NUMBER_LABEL})(\S.*\?)|({_ASKING}.*\?))", re.I | re.S)


def _asked_block(lines: list[str]) -> str | None:
    """The question a block asks when it is nothing but a question (four lines at most), else None."""
    joined = " ".join(lines)
    asked = _QUESTION_BLOCK.fullmatch(joined) if len(lines) <= 4 and len(joined) <= 3 * HEADING_CHARS else None
    if asked is None:
        return None
    question = asked.group(1) or asked.group(2)
    return question if question.count("?") == 1 else None  # two questions are a paragraph that asks, not a heading


def asked_paragraphs(doc: Document) -> Document:
    """A FAQ written as paragraphs, whatever its format (a web page's "<p>How do I reset my password?</p>"
    over its answer, a Markdown or Word FAQ without headings): a paragraph that is nothing but a question
    (`_asked_block`), over one that is not, under the same heading, heads what follows it as a question
    heading does, when the document holds two such pairs or more (one question over a paragraph is as likely a
    question in a letter). The paragraphs already read as headings, and code blocks, are passed over (a
    question answered only by code is a sentence, shown with its code)."""
    taken = Spans((*doc.headings, *doc.records, *doc.code))
    blocks = [(s, e) for s, e in paragraphs(doc.text, doc.body_start) if not taken.overlap(s, e)]
    asked = [_asked_block(doc.text[s:e].split("\n")) if e - s <= 3 * HEADING_CHARS else None for s, e in blocks]
    found = []
    for k in range(len(blocks) - 1):
        (start, end), (after, _) = blocks[k], blocks[k + 1]
        if asked[k] and not asked[k + 1] and heading_at(doc.sections, start) == heading_at(doc.sections, after):
            found.append((start, end, " ".join(str(asked[k]).split()), after))
    if len(found) < 2:
        return doc
    sections = dict(doc.sections)
    for start, _, question, after in found:
        above = heading_at(doc.sections, start)
        sections[after] = f"{above}{HEADING_SEPARATOR}{question}" if above else question
    headings = tuple(sorted([*doc.headings, *((start, end) for start, end, _, _ in found)]))
    return replace(doc, sections=tuple(sorted(sections.items())), headings=headings)


_NUMBERED_ENTRY = re.compile(rf"{_NUMBER_LABEL}(\S.*)", re.S)
_NUMBERED_START = re.compile(rf"\s*{_NUMBER_LABEL}")


def _block_lines(block: re.Match[str]) -> list[str]:
    return [line.strip() for line in block.group(0).strip().split("\n")]


def _numbered_question(lines: list[str]) -> bool:
    """A block that is a numbered question, alone or atop its answer ("1.2. Can I export my data?")."""
    return bool(_NUMBERED_ENTRY.match(lines[0]) and (_asked_block(lines) or _ASKED_LINE.fullmatch(lines[0])))


def _faq_entry(lines: list[str], after: list[str] | None) -> str | None:
    """In a FAQ whose questions are numbered, an entry that states its problem instead of asking ("4.
    compress() returns Z_BUF_ERROR.", "3.1. Programs run OK on Valgrind, but at exit ... die"): a numbered
    block of three lines at most, over a block without a number (its answer). Its title, else None."""
    joined = " ".join(lines)
    entry = _NUMBERED_ENTRY.fullmatch(joined) if len(lines) <= 3 and len(joined) <= 3 * HEADING_CHARS else None
    if entry is None or after is None or _NUMBERED_ENTRY.fullmatch(" ".join(after)):
        return None
    return entry.group(1)


def heading_by_look(line: str) -> str | None:
    """What a line set apart by its look (all in bold, or labelled "Q:") heads what follows as: "question" for
    a question ("Can I sync to S3?", heading its answer), "label" for a short line that is no sentence
    ("Billing", "Annual leave"); None for a sentence. The Markdown, HTML and Word readers ask it."""
    words = line.split()
    if not words:
        return None
    if line.endswith("?"):
        return "question" if len(line) <= 3 * HEADING_CHARS else None
    return "label" if len(line) <= HEADING_CHARS and len(words) <= HEADING_WORDS and line[-1] not in ".,;:!" else None


# "Decisions" or "Attendees:" right atop a list: a label that heads its items
_ITEM = re.compile(r"(?:[-*+\u2022]|\d{1,3}[.)]|[a-z][.)])\s+\S")
LABEL_WORDS = 6
_LINKING = frozenset("is are was were be been being that which who include includes including".split())
_INNERMOST = {"question": 1000, "label": 1001}
# "Owner: Ann Lee" on each line of a block: fields, each one unit ("Date: 2024-05-02", "Budget: 40,000 EUR")
_FIELD = re.compile(r"[A-Z][\w .&/()'-]{0,40}?:[ \t]+\S[^\n]*")


# a chat export's message opens its line with a time stamp and the sender: "[03/06/2024, 10:00:12] Ann Lee: "
# (WhatsApp on a phone), "03/06/2024, 10:00 - Ann Lee: " (WhatsApp elsewhere), "2024-06-03 10:00:12 Ann: ",
# "[10:00] <ann> " (IRC)
_STAMP = r"\[?\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp]\.?[Mm]\.?)?\]?"
_MESSAGE = re.compile(
    rf"^(?:{_STAMP}(?:[ \t]+-)?[ \t]+[^\n:]{{1,60}}:[ \t]|\[?\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]?[ \t]+<[^>\n]{{1,40}}>[ \t])",
    re.M,
)
MIN_MESSAGES = 3


def message_lines(text: str, start: int = 0) -> tuple[tuple[int, int], ...]:
    """A chat export's messages (WhatsApp, Signal, an IRC log): each line that opens with a time stamp and
    its sender, with the lines after it up to the next message or a blank line (a message written over
    several lines), is one record, one unit, instead of the lines run together into sentences that end
    inside one message and go on in the next. None unless the text holds MIN_MESSAGES of them."""
    opens = [m.start() for m in _MESSAGE.finditer(text, start)]
    if len(opens) < MIN_MESSAGES:
        return ()
    spans = []
    for k, begin in enumerate(opens):
        end = opens[k + 1] if k + 1 < len(opens) else len(text)
        blank = text.find("\n\n", begin, end)
        end = blank if blank != -1 else end
        while end > begin and text[end - 1].isspace():
            end -= 1
        spans.append((begin, end))
    return tuple(spans)


def field_lines(text: str, start: int = 0) -> tuple[tuple[int, int], ...]:
    """The lines of the blocks that are all "Name: value" fields (two or more): each a record, one unit,
    instead of the block run together into one sentence. A question and its answer ("Q: ...?", "A: ...")
    are no fields."""
    spans: list[tuple[int, int]] = []
    for block in _BLOCK.finditer(text, start):
        raw = block.group(0).strip()
        if "\n" not in raw or not _FIELD.match(raw):  # one line, or not a field first: split no further
            continue
        lines = [(block.start() + m.start(1), block.start() + m.end(1)) for m in TRIMMED_LINE.finditer(block.group(0))]
        if _ASKED_LINE.fullmatch(text, *lines[0]):
            continue
        if all(_FIELD.fullmatch(text, *line) for line in lines):
            spans += lines
    return tuple(spans)


# A list written without markers: a line per item, each opening with a capital or a digit ("Fix logic error in
# pkexec" over "Make pkexec(1) use syslog", a git shortlog in a NEWS file; "Python 3.10" over "PostgreSQL 12"),
# or with the part of the code a commit's subject names ("send-email: drop FakeTerm hack", "has_dir_name(): do
# not get confused", git's own shortlog); or each line opening with a commit's abbreviated hash ("b217b4ff
# webpinfo: fix ...", `git log --oneline` saved as a ChangeLog)
_OPENS_ITEM = re.compile(r"[A-Z0-9]|[\w./+-]+(?:\(\))?:[ \t]+\S")
_HASHED = re.compile(r"(?:(?=[a-f]{0,39}\d)[0-9a-f]{7,40}|[a-f]{8,40})[ \t]+\S")
# a person a line with their address last (an AUTHORS or THANKS file): "Alan Coopersmith <alan@example.com>",
# "A Costa                             agcosta@gis.net", "Adam Mitchell\t\t   adam at cafe21.org"
_ADDRESSED = re.compile(r".*\S[ \t]+(?:<[^<>\s]+@[^<>\s]+>|[\w.+-]+(?:@|[ \t]+at[ \t]+)[\w-]+(?:\.[\w-]+)+)")
# a shortlog's author over the subjects of their commits, with how many: "Jeff King (5):"
_COUNTED = re.compile(r".*\((\d{1,4})\):")
_RUNS_ON = re.compile(r"(?:[,;(\u2013\u2014-]|\b(?:" + "|".join(sorted(_SMALL_WORDS | _LINKING)) + r"))$", re.I)


def runs_on(line: str) -> bool:
    """Does the line stop where its sentence cannot (a comma, a dash, "and", "the" last)?"""
    return _RUNS_ON.search(line.rstrip()) is not None


def writers_breaks(lines: list[str]) -> int:
    """How many of the breaks between these lines (trimmed, none empty) the writer chose, rather than wrapping:
    the next line's first word would have fit on the line before it, within the longest line. Wrapped prose
    fills each line first; a list or a form leaves them ragged."""
    width = max(len(line) for line in lines)
    return sum(len(a) + 1 + len(b.split()[0]) <= width for a, b in zip(lines, lines[1:]))


def _unmarked_items(lines: list[str], labelled: bool = False) -> bool:
    """Lines that are a list's items without markers: each opens with a capital or a digit, none runs on into
    the next (a comma, a dash, "and", "the" last), and two thirds of the line breaks (two at least) are the
    writer's, not wrapping (`writers_breaks`). Under a label ("Requirements:") that is not asked: the label
    says a list follows."""
    if len(lines) < 2 or not all(_OPENS_ITEM.match(line) and not _ITEM.match(line) for line in lines):
        return False  # a marked list ("1) Bob ...") is split into its items by the chunker
    if any(runs_on(line) for line in lines[:-1]):
        return False
    if labelled:
        return True
    chosen = writers_breaks(lines)
    breaks = len(lines) - 1
    return 3 * chosen >= 2 * breaks and chosen >= min(2, breaks)


def unmarked_list(lines: list[str]) -> int | None:
    """Where the items begin when these lines (trimmed, none empty) are a list without markers
    (`_unmarked_items`): three lines or more, or two under a label line ending in ":" (1: the label is
    no item); None when they are not."""
    labelled = len(lines) >= 3 and lines[0].endswith(":")
    items = lines[1:] if labelled else lines
    counted = _COUNTED.fullmatch(lines[0]) if lines else None
    if counted and int(counted.group(1)) == len(lines) - 1 and not any(_ITEM.match(line) for line in lines[1:]):
        return 1  # "Jeff King (5):" over five lines: they are the five, whatever each opens with
    if len(items) >= 2 + (not labelled) and all(_HASHED.match(line) for line in items):
        # a commit a line, each opening with its hash, whatever each ends with ("... unneeded includes"); one
        # line opening with something like a hash ("ed25519  Daniel J. Bernstein") makes no list of them
        return int(labelled)
    if len(items) >= 3 and 10 * sum(bool(_ADDRESSED.fullmatch(line)) for line in items) >= 9 * len(items):
        # a person a line, whatever their name opens with ("???", "de Icaza"), nine in ten with an address
        # (a few give a home page or write theirs as "brad comstyle com")
        return int(labelled)
    return int(labelled) if (len(items) >= 3 or labelled) and _unmarked_items(items, labelled) else None


def listed_lines(text: str, start: int = 0) -> tuple[tuple[int, int], ...]:
    """The items of the blocks that are lists without markers (`unmarked_list`), each a record, one unit,
    instead of the block run together into one "sentence" of fifteen lines. Indented blocks count too (a
    shortlog's commits are indented)."""
    spans: list[tuple[int, int]] = []
    for block in _BLOCK.finditer(text, start):
        lines = [(block.start() + m.start(1), block.start() + m.end(1)) for m in TRIMMED_LINE.finditer(block.group(0))]
        first = unmarked_list([text[s:e] for s, e in lines]) if lines else None  # no lines: spaces only
        if first is not None:
            spans += lines[first:]
    return tuple(spans)


def _line_label(line: str) -> str | None:
    """The label a line would give a list right under it ("Action items", "Bugfixes:"), without its colon:
    a few words, no sentence's end, no list item, not a clause that runs on into the list ("The library is");
    None when it is none."""
    label = line.rstrip(":").strip()
    words = label.lower().split()
    if (
        not words
        or len(words) > LABEL_WORDS
        or label[-1] in ".,;!?"
        or _ITEM.match(label)
        or words[-1] in _SMALL_WORDS | _LINKING
    ):
        return None
    return label


def paragraph_label(text: str) -> str | None:
    """The label a paragraph of its own gives the list right under it: one ending in a colon that reads as
    a label (`_line_label`: "Bugfixes:"); None otherwise."""
    return _line_label(text) if text.rstrip().endswith(":") else None


def only_names(label: str) -> bool:
    """Does a list's label only name the list ("Bugfixes", "New features", "Pull requests (27)"), three words
    at most? A longer one may say something of its own ("It detects three kinds of error:"): read as a
    sentence too, not only as the heading of its items."""
    return len(label.split()) <= 3


def _list_label(lines: list[str]) -> str | None:
    """The label a block's first line gives the list that makes the rest of it ("Action items" over "1) Bob
    sets up ..."), without its colon; None when the block is not so."""
    if len(lines) < 2:
        return None
    # an item may label the items under it: "* Wayland:" over "- Fix running under GLES"
    marked = _ITEM.match(lines[0]) if lines[0].endswith(":") else None
    label = _line_label(lines[0] if marked is None else lines[0][marked.end() - 1 :])
    if label is None:
        return None
    listed = all(_ITEM.match(line) for line in lines[1:]) or (marked is None and unmarked_list(lines) == 1)
    return label if listed else None


# a list's item whose first line is its title, the item's text on the lines under it, further in: "1. Debian will
# remain 100% free" over "We provide the guidelines ..." (the Debian Social Contract; a web page's list saved as
# text by lynx). Group 1: the marker's indent, group 2: the title
_TITLED_ITEM = re.compile(
    r"^([ \t]*)(?:[-*+\u2022]|\d{1,3}[.)]|[a-z][.)])[ \t]+(\S[^\n]*?)[ \t]*\n([ \t]+)([A-Z])", re.M
)


def _margin(line: str) -> int:
    """The columns of blanks a line opens with (tabs to eighth columns)."""
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def titled_items(text: str, start: int, end: int) -> list[tuple[int, int, int, int, str]]:
    """The items of a block (`text[start:end]`) whose first line is a title (`_TITLED_ITEM`): a few words,
    no stop or comma (a clause's), none running on, its brackets and quotes closed, opening with a capital,
    and a line the writer ended: the next line's first two words would have fit on it within the item's
    longest line (a wrapped sentence fills its line; "the session" over "ID assigned by ..." is one). The
    item ends before a line no further in than its marker (tabs to eighth columns). (title start, title end,
    text start, item end, title) each."""
    block = text[start:end]
    items = []
    for m in _TITLED_ITEM.finditer(block):
        title, marker = m.group(2), _margin(m.group(1))
        lines = [block[m.start() : m.start(3) - 1]]  # the title's line, then the item's lines of text
        at = m.start(3)
        for line in block[at:].split("\n"):
            if line.strip() and _margin(line) <= marker:
                break
            lines.append(line)
            at += len(line) + 1
        item_end = min(at - 1, len(block))
        width = max(len(line.expandtabs(8)) for line in lines)
        next_words = " ".join(block[m.start(4) :].split(None, 2)[:2])
        if (
            len(title) > HEADING_CHARS
            or len(title.split()) > HEADING_WORDS
            or not title[0].isupper()
            or any(mark in title for mark in ".,;:!?")
            or runs_on(title)
            or title.count("(") != title.count(")")
            or title.count("[") != title.count("]")
            or title.count('"') % 2
            or _margin(m.group(3)) <= marker
            or len(lines[0].expandtabs(8)) + 1 + len(next_words) > width
        ):
            continue
        items.append((start + m.start(2), start + m.end(2), start + m.start(4), start + item_end, title))
    return items


def _reads_as_title(lines: list[str]) -> bool:
    """A text's first line as a title: short, no sentence's end, and in title case or of three words or
    more ("Project Falcon - kickoff meeting notes"; not "Hi all")."""
    words = lines[0].split()
    return heading_by_look(lines[0]) == "label" and lines[0][0].isupper() and (_capitalised(words) or len(words) >= 3)


def plain_sections(
    text: str,
    start: int = 0,
    furniture: tuple[tuple[int, int], ...] = (),
    title_line: bool = False,
    named: frozenset[int] = frozenset(),
) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """The sections of a plain text, (offset, heading path) each, the spans of its headings (with their
    subtitles), found by `_heading_style`, and those of the titles that are sentences too; a "Q: ...?" line
    heads the answer under it, a short label the list right under it (`_list_label`), an item's title its text
    (`titled_items`: a title of more than three words says something, "Debian will remain 100% free", and is
    a unit of its own as well, under the item's parent); with `title_line`, a first line that reads as a
    title (`_reads_as_title`, then a blank line or one more line) is the root heading; a line alone in its
    block where the text's table of contents names a part (`named`: `repeated_contents`) is a heading whatever
    it looks like. Blocks of page furniture (`page_furniture`) are passed over. A text in which most blocks
    would be headings (a list of short lines) has none."""
    levels: dict[tuple[str, str], int] = {}
    found: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int]] = []
    told: list[tuple[int, int]] = []  # titles that are sentences too
    blocks = 0
    atop = 0  # headings that are a block's first line only, atop what they head (title, question, label)
    closes: list[int] = []  # where a label's list ends
    after_heading = False
    whole: list[int] = []  # the block numbers of the headings that are a whole block
    blocks_of = list(_BLOCK.finditer(text, start))
    # a FAQ numbers its questions (two or more of them): its numbered entries that ask nothing head theirs too
    numbered = (b for b in blocks_of if _NUMBERED_START.match(b.group(0)))
    numbered_faq = sum(_numbered_question(_block_lines(b)) for b in numbered) >= 2
    aside = Spans(furniture)
    # the blocks numbered with a point ("6.1. Powers"), in order: "6. Technical committee", in sentence case,
    # heads the sections numbered under it when the next of them is one (the Debian constitution's 2, 4, 6
    # and 9 were read as sentences); a list's "1. Open the form" after "1.2 Sick leave" heads nothing
    firsts = (_NUMBERED.fullmatch(_block_lines(b)[0]) for b in blocks_of)
    dotted = [(k, m.group(1)) for k, m in enumerate(firsts) if m and "." in m.group(1)]
    for k, block in enumerate(blocks_of):
        after = bisect.bisect_right(dotted, (k, "\uffff"))
        parents = frozenset([dotted[after][1].split(".")[0]]) if after < len(dotted) else frozenset()
        raw = block.group(0)
        begin = block.start() + len(raw) - len(raw.lstrip())
        if aside.hold(begin, block.end() - 1):  # a block inside furniture is passed over
            continue
        lines = [line.strip() for line in raw.strip().split("\n")]
        if not lines[0]:
            continue
        blocks += 1
        # a commit's header may take five lines or six (a merge's "Merge:", `--format=fuller`'s committer and dates)
        heading = _heading_style(lines, parents) if len(lines) <= 3 or _COMMIT_LINE.fullmatch(lines[0]) else None
        indented = raw.expandtabs(8).startswith("    ")
        if heading is not None and heading[0][0] not in ("capitals", "division") and indented:
            heading = None  # indented: code or a quotation (a centred title in capitals stays a heading)
        if heading is None and begin in named and len(lines) <= 3:
            # a part the table of contents names: "Economy"; a numbered one nests by its number ("2. What is
            # Debian", in sentence case), wrapped or not (a FAQ's long question)
            number = _NUMBERED.fullmatch(lines[0])
            style = ("numbered", str(number.group(1).count("."))) if number else ("contents", "")
            heading = style, " ".join(lines)
        if heading is None and len(lines) == 1 and not indented and dated_release(lines[0]) and not _told(lines[0]):
            heading = ("release", ""), lines[0]  # "Release 1.4 (2022-06-01)" alone, over that release's entries
        end = block.end()
        line_end = begin + len(raw.lstrip().split("\n")[0])
        # a question alone heads the block after it, unless that one asks as well (a list of open questions)
        alone = _asked_block(lines) if heading is None and not indented and len(lines) <= 4 else None
        if alone is not None or (heading is None and numbered_faq and not indented):
            following = _block_lines(blocks_of[k + 1]) if k + 1 < len(blocks_of) else None
            if alone is not None and (following is None or _asked_block(following)):
                alone = None
            if alone is None and heading is None and numbered_faq and not indented:
                alone = _faq_entry(lines, following)
        asked = _ASKED_LINE.fullmatch(lines[0]) if heading is None and alone is None and len(lines) > 1 else None
        label = _list_label(lines) if heading is None and asked is None and alone is None else None
        if heading is None and title_line and blocks == 1 and not found and len(lines) <= 2 and _reads_as_title(lines):
            heading, end = (("title", ""), lines[0]), line_end
            atop += len(lines) > 1
        elif alone is not None:  # a question, or a numbered FAQ's entry
            heading = ("question", ""), " ".join(alone.split())
            atop += 1
        elif asked is not None:
            heading, end = (("question", ""), asked.group(1) or asked.group(2)), line_end
            atop += 1
        elif label is not None:
            heading, end = (("label", ""), label), line_end
            atop += 1
            closes.append(block.end())  # a label heads its list only
        if heading is None and len(lines) > 1:
            for title_start, title_end, text_start, item_end, title in titled_items(text, block.start(), block.end()):
                said = not only_names(title)
                found.append((text_start if said else title_start, _INNERMOST["label"], title))
                (told if said else spans).append((title_start, title_end))
                closes.append(item_end)
                atop += 1
        if heading is not None:
            style, title = heading
            # a question or a list's label is innermost wherever it stands; other styles nest by first use
            level = _INNERMOST.get(style[0]) or levels.setdefault(style, len(levels))
            found.append((begin, level, title))
            spans.append((begin, end))
            if end == block.end():
                whole.append(blocks)
        elif after_heading and _is_subtitle(lines):  # "FEDERALIST No. 10" then "The Same Subject Continued"
            offset, level, title = found[-1]
            found[-1] = (offset, level, f"{title} \u2013 {lines[0]}")
            spans.append((begin, end))
        elif len(lines) > 1 and _UNDERLINE.fullmatch(lines[-1]):  # a rule under a paragraph ends it: not its text
            spans.append((block.start() + raw.rstrip().rindex("\n") + 1, block.end()))
        # a subtitle follows a block that is a heading (a commit's first message line is its subject: text)
        after_heading = heading is not None and end == block.end() and heading[0][0] != "commit"
    # most blocks headings: a list of short lines, unless more than half the headings head a block of text
    # (a charter's "Amendment II." over its one paragraph; a list's lines head nothing but one another)
    # a heading atop its block heads text; a whole-block one does when the next block is no heading
    heading_text = len(found) - len(whole) + sum(at < blocks and at + 1 not in whole for at in whole)
    if not found or (2 * (len(found) - atop) > blocks - atop and 2 * heading_text <= len(found)):
        return (), (), ()
    # a book's divisions ("Chapter 2. Debian package management", "Appendix A") head its numbered sections and
    # the parts its contents name, however late they come first: a preface's "1. Disclaimer" before "Chapter
    # 1" put every chapter under it
    under = min((at for style, at in levels.items() if style[0] in ("numbered", "contents")), default=len(levels))
    ranked = sorted(levels, key=lambda style: min(levels[style], under - 0.5) if style[0] == "division" else levels[style])
    rank = {levels[style]: r for r, style in enumerate(ranked)}
    found = [(offset, rank.get(level, level), title) for offset, level, title in found]
    outline = Outline()
    sections: list[tuple[int, str]] = []
    marks = sorted(found + [(at, _INNERMOST["label"], "") for at in closes])
    for offset, level, title in marks:
        if title:
            outline.heading(level, title)
        else:
            outline.close(level)
        if sections and sections[-1][0] == offset:
            sections.pop()
        sections.append((offset, outline.path()))
    return tuple(sections), tuple(spans), tuple(told)


# A table of plain text: a header line over a rule of dashes, one run per column ("Name   Phone" over
# "------ -----"), or a pipe table ("| Name | Phone |" over "|---|---|"; psql's " name | phone" over
# "------+------"). Each row under it is a record (one sentence, whatever full stops it holds), read under the
# column names as the innermost part of its heading path ("Contacts › Name / Phone: Ann Lee 555-0101"); the
# header and the rule are context, not sentences. A closing rule or psql's "(2 rows)" ends the rows.
_RULE = re.compile(r"[ \t]*(?:-{2,}(?:[ \t]+-{2,})+|\|?[ \t]*:?-{2,}:?[ \t]*(?:[|+][ \t]*:?-{2,}:?[ \t]*)+\|?)[ \t]*")
_ROW_COUNT = re.compile(r"\(\d+ rows?\)")


def _cells(row: str) -> list[str]:
    """A table row's cells between its pipes, as written ("| pip  | 24.0 |": " pip  ", " 24.0 ")."""
    return row.strip().strip("|").split("|")


def _column_names(header: str) -> list[str]:
    """A header line's cells: split at pipes, else at runs of two or more spaces or a tab."""
    parts = _cells(header) if "|" in header else re.split(r"\s{2,}|\t", header.strip())
    return [name for name in (" ".join(p.split()) for p in parts) if name]


# A grid table, boxed in rules of dashes (or equals signs) between plus signs and pipes, each row between two
# rules and its cells wrapped over as many lines as the longest needs: a text browser's dump of an HTML table
# (w3m, lynx: the Debian Reference's text version), MySQL's output, a reStructuredText grid table kept as text.
# Its first row, a line or two over the first inner rule, names the columns; each later row is one record, its
# lines together, read across ("mc V:54, 1482 A text-mode full-screen file manager I:226" is still the row's
# words, and no sentence of it runs into the next row's). Where no rules part the rows, each line is one, and a
# line whose first cell is empty goes on with the row above.
_GRID_RULE = re.compile(r"[ \t]*[+|](?:[ \t]*:?[-=]{2,}:?[ \t]*[+|])+[ \t]*")
_GRID_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*")
GRID_HEADER_LINES = 2  # the most lines of a grid table's first row that are read as its column names


def _grid(text: str, lines: list[tuple[int, int]]) -> tuple[list[str], tuple[int, int], list[tuple[int, int]]] | None:
    """A block's grid table (see above): its column names, the span of its top rule and first row (the names,
    context), and each later row's span; None unless the block ends in one (rules top and bottom, every line
    a rule or a row, two rows or more; lines before it, as a query over its output, stay text)."""
    is_rule = [bool(_GRID_RULE.fullmatch(text, *line)) for line in lines]
    top = next((i for i, rule in enumerate(is_rule) if rule), len(lines))
    lines, is_rule = lines[top:], is_rule[top:]
    if len(lines) < 5 or not is_rule[-1]:
        return None
    if not all(rule or _GRID_ROW.fullmatch(text, *line) for rule, line in zip(is_rule, lines)):
        return None
    groups: list[list[tuple[int, int]]] = [[]]
    for rule, line in zip(is_rule[1:-1], lines[1:-1]):
        if rule:
            groups.append([])
        else:
            groups[-1].append(line)
    groups = [group for group in groups if group]
    if len(groups) < 2 or len(groups[0]) > GRID_HEADER_LINES:
        return None
    cells = [_cells(text[slice(*line)]) for line in groups[0]]
    if len({len(row) for row in cells}) != 1:
        return None
    names = [name for name in (" ".join(" ".join(column).split()) for column in zip(*cells)) if name]
    body = groups[1:]
    if len(body) == 1:  # no rules between the rows: a line each, one whose first cell is empty going on with the last
        body = []
        for line in groups[1]:
            if body and not _cells(text[slice(*line)])[0].strip():
                body[-1].append(line)
            else:
                body.append([line])
    return names, (lines[0][0], groups[0][-1][1]), [(row[0][0], row[-1][1]) for row in body]


# a table's caption, alone in the block over it, on one line or two: "Table 1.1. List of interesting text-mode
# program packages"
_TABLE_CAPTION = re.compile(r"Table[ \t]+(?:[A-Z]|\d+)(?:\.\d+)*\.?[ \t]+\S.*")
CAPTION_LINES = 2


def _caption(text: str, lines: list[tuple[int, int]]) -> tuple[tuple[int, int], str] | None:
    """A block that is a table's caption (`_TABLE_CAPTION`): its span and its words; else None."""
    if not lines or len(lines) > CAPTION_LINES or not _TABLE_CAPTION.fullmatch(text, *lines[0]):
        return None
    return (lines[0][0], lines[-1][1]), " ".join(text[lines[0][0] : lines[-1][1]].split())


def with_tables(
    text: str, start: int, sections: tuple[tuple[int, str], ...], headings: tuple[tuple[int, int], ...]
) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """The sections and headings of a plain text with its tables' added (see above), and its records."""
    marks, heads, rows = list(sections), list(headings), []
    before: list[tuple[int, int]] = []  # the lines of the block before
    for block in _BLOCK.finditer(text, start):
        lines = [  # each line's span, less its surrounding blanks
            (block.start() + m.start(1), block.start() + m.end(1)) for m in TRIMMED_LINE.finditer(block.group(0))
        ]
        caption, before = _caption(text, before), lines
        grid = _grid(text, lines)
        if grid is not None:
            names, header, body = grid
        else:
            rule = next((i for i in range(1, len(lines) - 1) if _RULE.fullmatch(text, *lines[i])), None)
            if rule is None:
                continue
            names, header = _column_names(text[slice(*lines[rule - 1])]), (lines[rule - 1][0], lines[rule][1])
            body = []
            for row in lines[rule + 1 :]:
                if _RULE.fullmatch(text, *row) or _ROW_COUNT.fullmatch(text, *row):
                    break
                body.append(row)
        if len(names) < 2 or not body:
            continue
        outer = heading_at(tuple(sorted(marks)), header[0])
        inner = " / ".join(names)
        heads.append(header)
        if caption is not None:  # the table's caption heads its rows, not a sentence that says nothing
            heads.append(caption[0])
            inner = f"{caption[1]}{HEADING_SEPARATOR}{inner}"
        marks += [(body[0][0], f"{outer}{HEADING_SEPARATOR}{inner}" if outer else inner), (body[-1][1], outer)]
        rows += body
    if not rows:
        return sections, headings, ()
    return tuple(sorted(marks)), tuple(sorted(heads)), tuple(rows)
