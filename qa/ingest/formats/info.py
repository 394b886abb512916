"""GNU Info manuals (`/usr/share/info/*.info.gz`, what makeinfo writes from Texinfo): plain text with
underlined headings, its nodes parted by a 0x1F character on a line of its own, each opening with a
navigation line ("File: find.info,  Node: Invoking find,  Next: ..., Up: ..."), most closing with a menu of
the nodes below ("* Menu:" over "* Name::  what it is" lines); a directory entry at the top and a table of the
nodes' offsets at the end.

The text and its headings read as plain text does. The navigation is blanked in place (spaces for its
characters; every offset stays the file's), so that none of it is a unit: read as text, each node's
"File: ..., Node: ..." line and each menu entry was one, matching any question about the manual by name."""

from __future__ import annotations

import re

from qa.ingest.formats.common import INFO_COOKIE

SEPARATOR = "\x1f"
# a node's separator line followed by what follows one: a node's navigation line, or a table of offsets
_NODE = re.compile(r"\x1f\n(?:File:[^\n]*\bNode:|Tag Table:|Indirect:)")
_PRODUCED = re.compile(r"[ \t]*This is [^\n]*, produced by (?:makeinfo|texi2any)\b[^\n]*$", re.M)
_DIRECTORY = re.compile(r"^INFO-DIR-SECTION\b[^\n]*$|^START-INFO-DIR-ENTRY$.*?^END-INFO-DIR-ENTRY$", re.M | re.S)
_NAVIGATION = re.compile(r"(?<=\x1f\n)File:[^\n]*\bNode:[^\n]*$", re.M)
# after a separator: the tables of offsets (a split manual's "Indirect:" list of its parts, the "Tag Table:")
# and the Emacs "Local Variables:" block that may close the file
_TABLE = re.compile(r"(?<=\x1f\n)(?:Indirect:|Tag Table:|End Tag Table|Local Variables:)[^\x1f]*", re.S)
_MENU = re.compile(r"^\* Menu:[^\n]*$", re.M)
_FOOTNOTES = re.compile(r"^[ \t]*-{5,} Footnotes -{5,}[ \t]*$", re.M)  # the rule over a node's footnotes
_COOKIE = re.compile(INFO_COOKIE.pattern.decode())  # the marker of an index or an image
_SENTENCE_END = re.compile(r"[.!?]['\")]*$")
# a line of a menu's detailed listing that names a group of entries ("How to use bzip2"), not prose
MENU_TITLE_CHARS = 60
MENU_INDENT = 8  # an entry's description going on (a paragraph's first line is indented 3, an example 5)
PARAGRAPH_INDENT = 3


def is_info(text: str) -> bool:
    """Is the text an Info manual (or one part of a split one)? It holds a node separator followed by a
    node's navigation line or a table of offsets."""
    return SEPARATOR in text and _NODE.search(text) is not None


# the Top node's heading, underlined with asterisks: the manual's title
_TOP_TITLE = re.compile(r"\x1f\nFile:[^\n]*\bNode:[ \t]*Top\b[^\n]*\n\s*(\S[^\n]*?)[ \t]*\n\*{3,}[ \t]*$", re.M)


# the manual's file named by a node's navigation line: "File: find.info,  Node: ..."
_FILE = re.compile(r"\x1f\nFile:[ \t]*([^,\n]+?)(?:\.info)?,")


def manual_title(text: str) -> str:
    """The title of the manual: its Top node's heading; in a part of a split manual that lacks it, the name
    of the manual's file ("find" for find.info-1, whose nodes say "File: find.info")."""
    top = _TOP_TITLE.search(text)
    if top:
        return top.group(1)
    named = _FILE.search(text)
    return named.group(1) if named else ""


def _menu_end(text: str, start: int) -> int:
    """Where the menu whose "* Menu:" line starts at `start` ends: at the next separator, or before the first
    line of prose after it (9 of 264 menus in a Debian system's manuals have text after them). A menu's lines
    are its entries ("* Name::  what it is"), their descriptions going on deeply indented, blank lines, and
    in a detailed node listing the short titles of its groups ("-- The Detailed Node Listing --", "How to use
    bzip2"); a line that is none of these (long, or ending as a sentence does) is prose."""
    stop = text.find(SEPARATOR, start)
    stop = len(text) if stop < 0 else stop
    pos = text.find("\n", start, stop)
    pos = stop if pos < 0 else pos + 1
    while pos < stop:
        newline = text.find("\n", pos, stop)
        line_end = stop if newline < 0 else newline + 1
        line = text[pos:line_end].rstrip().expandtabs()
        words = line.lstrip()
        indent = len(line) - len(words)
        entry = not words or line.startswith("* ") or indent >= MENU_INDENT
        # a paragraph after the menu opens indented 3: a group's title is not ("Developer information:")
        title = indent < PARAGRAPH_INDENT and len(words) <= MENU_TITLE_CHARS and not _SENTENCE_END.search(words)
        if not (entry or title):
            return pos
        pos = line_end
    return stop


def _blank(text: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if text[i] != "\n":
            text[i] = " "


def without_navigation(text: str) -> str:
    """The manual with its navigation blanked: separators, navigation lines, menus, the directory entry,
    the line saying which program produced it, the tables of offsets, the rule over footnotes, the markers
    of an index or an image. The same length and lines."""
    chars = list(text)
    produced = _PRODUCED.match(text)
    spans = [produced.span()] if produced else []
    found = (_DIRECTORY, _NAVIGATION, _TABLE, _FOOTNOTES, _COOKIE)
    spans += [m.span() for pattern in found for m in pattern.finditer(text)]
    spans += [(m.start(), _menu_end(text, m.start())) for m in _MENU.finditer(text)]
    for start, end in spans:
        _blank(chars, start, end)
    return "".join(chars).replace(SEPARATOR, " ")
