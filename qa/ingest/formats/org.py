"""Org mode notes (.org): headings by their stars, paragraphs, list items and table rows as units; source,
example and export blocks, drawers, planning lines, clock lines, comments and keywords left out."""

from __future__ import annotations

import re

from qa.ingest.formats.common import Outline, ReadRules, decode, make_document
from qa.types import Document

# "** TODO [#A] Call the bank :finance:urgent:": level 2, "Call the bank"
_HEADING = re.compile(r"(\*+)[ \t]+(.*?)[ \t]*$")
_PRIORITY = re.compile(r"\[#[A-Za-z0-9]\][ \t]*")
_TAGS = re.compile(r"[ \t]+:[\w@#%:]+:$")
_COMMENT_HEADING = re.compile(r"COMMENT\b[ \t]*")
DEFAULT_KEYWORDS = ("TODO", "DONE")
# "#+TODO: TODO NEXT | DONE CANCELLED(c@)": the keywords a heading may open with in this file
_KEYWORD_LINE = re.compile(r"#\+(?:SEQ_|TYP_)?TODO:(.*)$", re.I)
_SETTING = re.compile(r"[ \t]*#\+(\w+):[ \t]*(.*)$")
_OTHER_SETTING = re.compile(r"[ \t]*#\+")
_BEGIN = re.compile(r"[ \t]*#\+begin_(\w+)", re.I)
_DYNAMIC = re.compile(r"[ \t]*#\+begin:", re.I)
_DRAWER = re.compile(r"[ \t]*:([\w-]+):[ \t]*$")
_DRAWER_END = re.compile(r"[ \t]*:end:[ \t]*$", re.I)
_PLANNING = re.compile(r"[ \t]*(?:(?:SCHEDULED|DEADLINE|CLOSED):|CLOCK:)")
_COMMENT = re.compile(r"[ \t]*#(?:[ \t]|$)")
_FIXED_WIDTH = re.compile(r"[ \t]*:(?:[ \t]|$)")
_RULE = re.compile(r"[ \t]*-{5,}[ \t]*$")
# "- item", "+ item", "1. item", "2) item", an indented "* item"; "[X] " a checkbox; "term :: what it is"
_ITEM = re.compile(r"([ \t]*)(?:[-+]|\d+[.)]|(?<=[ \t])\*)[ \t]+(?:\[[ Xx-]\][ \t]+)?(.*)")
_TERM = re.compile(r"(.*?)[ \t]+::(?:[ \t]+(.*)|$)")
_TABLE = re.compile(r"[ \t]*\|")
_TABLE_RULE = re.compile(r"[ \t]*\|[-+:]*\|?[ \t]*$")
# blocks whose lines are code or markup for another program: not sentences ("src", "example", "export",
# "comment"); a quote, a verse, a centred block or a special one ("note", "warning") is prose
_CODE_BLOCKS = frozenset("src example export comment".split())
_LINK = re.compile(r"\[\[([^\[\]\n]{1,500})\](?:\[([^\[\]\n]{1,500})\])?\]")
_FOOTNOTE = re.compile(r"\[fn:[^\[\]\n]{0,500}\]")
_TIMESTAMP = re.compile(r"[<\[](\d{4}-\d{2}-\d{2}[^<>\[\]\n]{0,100})[>\]]")
_STATISTICS = re.compile(r"\[\d*(?:%|/\d*)\]")  # a heading's progress cookie: "[2/5]", "[40%]"
# *bold*, /italic/, _underlined_, =verbatim=, ~code~, +struck+: the words, without the marks; the marks open
# after a space or an opening sign and close before one or an end of sentence, as Org's own rule has it
_EMPHASIS = re.compile(r"(?<![\w*/=~+])([*/_=~+])(?=\S)((?:(?!\1)[^\n]){0,500}?\S)\1(?![\w*/=~+])")


def parse_org(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """An Org file: `#+TITLE:` names it; each heading opens a section at its level (its TODO keyword,
    priority, progress cookie and tags left out); paragraphs, list items ("term :: what it is" as "term:
    what it is") and table rows (named by a header row above a rule) are units, links read as their
    description. Blocks of code or export markup, drawers (properties, logbook), planning and clock lines,
    comments, fixed-width lines and `#+` settings say nothing to a reader of the notes and are left out."""
    text, encoding = decode(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    keywords = set(DEFAULT_KEYWORDS)
    for line in lines:
        listed = _KEYWORD_LINE.match(line)
        if listed is not None:
            keywords.update(re.sub(r"\(.*?\)", "", word) for word in listed.group(1).split() if word != "|")
    outline = Outline()
    title = ""
    unit: list[str] = []
    table: list[list[str]] = []
    header = False
    skipping: re.Pattern | None = None  # the end of a block or drawer being left out
    code: list[str] | None = None  # the lines of a source or example block: a short one may end the paragraph
    hidden = 0  # the level of a COMMENT heading whose subtree is being left out

    def flush() -> None:
        nonlocal header
        if unit:
            outline.paragraph(_inline(" ".join(unit)))
            unit.clear()
        if table:
            outline.table([[_inline(cell) for cell in row] for row in table], header=header, pairs=not header)
            table.clear()
            header = False

    for line in lines:
        if skipping is not None:
            if skipping.match(line):
                skipping = None
                if code is not None:  # "To list them, run:" over a one-line source block
                    outline.shows("\n".join(code))
                code = None
            elif code is not None:
                code.append(line)
            continue
        heading = _HEADING.fullmatch(line)
        if heading is not None:
            flush()
            level, words = len(heading.group(1)), _heading_words(heading.group(2), keywords)
            if hidden and level > hidden:
                continue
            hidden = 0 if words is not None else level  # a COMMENT heading: its subtree is not read
            outline.heading(level, words or "")
            continue
        if hidden:
            continue
        begin = _BEGIN.match(line)
        if begin is not None:
            flush()
            if begin.group(1).lower() in _CODE_BLOCKS:
                skipping = re.compile(rf"[ \t]*#\+end_{re.escape(begin.group(1))}\b", re.I)
                code = [] if begin.group(1).lower() in ("src", "example") else None
            continue
        if _DYNAMIC.match(line):  # "#+BEGIN: clocktable": a table Org computes
            flush()
            skipping = re.compile(r"[ \t]*#\+end:", re.I)
            continue
        drawer = _DRAWER.fullmatch(line)
        if drawer is not None and drawer.group(1).lower() != "end":
            flush()
            skipping = _DRAWER_END
            continue
        setting = _SETTING.match(line)
        if setting is not None:
            if setting.group(1).lower() == "title" and not title:
                title = _inline(setting.group(2))
            continue
        # "#+CAPTION:", "SCHEDULED: <...>", "# a comment", "-----", ": a program's output": no text of the notes
        if any(p.match(line) for p in (_OTHER_SETTING, _PLANNING, _COMMENT, _FIXED_WIDTH)) or _RULE.fullmatch(line):
            flush()
            continue
        if _TABLE.match(line):
            if unit:
                flush()
            if _TABLE_RULE.fullmatch(line):
                header = header or len(table) == 1
            else:
                table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
            continue
        if table:
            flush()
        if not line.strip():
            flush()
            continue
        item = _ITEM.fullmatch(line)
        if item is not None:
            flush()
            term = _TERM.fullmatch(item.group(2))
            unit.append(f"{term.group(1)}: {term.group(2) or ''}" if term is not None else item.group(2))
            continue
        unit.append(line.strip())
    flush()
    return make_document(
        path, data, outline.text(), title, encoding=encoding, **outline.fields()
    )


def _heading_words(words: str, keywords: set[str]) -> str | None:
    """A heading's title: without its TODO keyword, priority, progress cookie and tags; None for a COMMENT
    heading."""
    first, _, rest = words.partition(" ")
    if first in keywords:
        words = rest.lstrip()
    words = _PRIORITY.sub("", words, count=1)
    if _COMMENT_HEADING.match(words):
        return None
    words = _TAGS.sub("", words)
    return _inline(_STATISTICS.sub("", words))


def _inline(text: str) -> str:
    """Org's inline markup as the words it shows: a link's description (else its target, without "file:"),
    emphasis without its marks, a timestamp without its brackets; footnote references left out."""
    text = _LINK.sub(lambda m: m.group(2) or re.sub(r"^file:", "", m.group(1)), text)
    text = _FOOTNOTE.sub("", text)
    text = _TIMESTAMP.sub(r"\1", text)
    for _ in range(2):  # nested once: */bold italic/*
        text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())
