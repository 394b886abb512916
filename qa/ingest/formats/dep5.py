"""Debian's machine-readable copyright files (DEP-5, `/usr/share/doc/<package>/copyright`): stanzas of
"Field: value" lines, a value going on over indented lines and " ." standing for an empty one.

Read as plain text, a "Files:" list of a thousand paths was one unit, and "License: Expat" said nothing of the
files it covers. Here each stanza is a section: a "Files:" stanza is headed by its patterns (the first few:
"curl copyright › Files: debian/*"), so its "Copyright:" holders (a line each) and its "License:" line read as
that section's; a stanza that gives a licence's text is headed by the licence's name, and the text is prose,
its paragraphs split where " ." stands. The file lists themselves are context, never units."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from qa.ingest.formats.common import HEADING_SEPARATOR, TRIMMED_LINE, make_document
from qa.types import Document

# "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" (or the draft's
# "Format-Specification: http://svn.debian.org/wsvn/dep/web/deps/dep5.mdwn?op=file&rev=135") opens the file
_FORMAT = re.compile(r"[ \t\ufeff]*Format(?:-Specification)?:[ \t]*\S*(?:copyright-format|dep5)\S*[ \t]*$", re.I | re.M)
_FIELD = re.compile(r"([A-Za-z][\w-]*):(?:[ \t]|$)")
_LINE = re.compile(r"^[^\n]*$", re.M)
_EMPTY = re.compile(r"^([ \t]+)\.([ \t]*)$", re.M)  # " ." in a value: an empty line
# values whose continuation lines are prose (a licence's text, a comment), not one item a line
_PROSE = frozenset({"license", "comment", "disclaimer"})
SHOWN_PATTERNS = 3  # a "Files:" heading names this many patterns, then how many more there are


def is_dep5(text: str) -> bool:
    """Does the text open with a DEP-5 "Format:" line?"""
    return _FORMAT.match(text, len(text) - len(text.lstrip())) is not None


class _Field(NamedTuple):
    name: str  # lower-cased
    start: int
    first_end: int  # the end of its first line
    end: int  # the end of its value
    opens: bool  # the first of its stanza (after a blank line)


def _paths(field: _Field) -> bool:
    """A list of paths ("Files:", "Files-Excluded:"): context at most, never units."""
    return field.name.startswith("files")


def _fields(text: str) -> list[_Field]:
    """The fields in order. Indented lines, even after a blank one, go on the field before."""
    fields: list[_Field] = []
    blank = True
    for line in _LINE.finditer(text):
        start, end = line.span()
        if not line.group(0).strip():
            blank = True
            continue
        match = _FIELD.match(text, start, end)
        if match and not text[start].isspace():
            fields.append(_Field(match.group(1).lower(), start, end, end, blank))
        elif fields:
            fields[-1] = fields[-1]._replace(end=end)
        blank = False
    return fields


def _stanzas(fields: list[_Field]) -> list[list[_Field]]:
    stanzas: list[list[_Field]] = []
    for field in fields:
        if field.opens or not stanzas:
            stanzas.append([field])
        else:
            stanzas[-1].append(field)
    return stanzas


def _value(text: str, field: _Field, end: int | None = None) -> str:
    return text[field.start : field.end if end is None else end].split(":", 1)[1].strip()


def _files_heading(value: str) -> str:
    patterns = value.split()
    shown = ", ".join(patterns[:SHOWN_PATTERNS])
    more = len(patterns) - SHOWN_PATTERNS
    return f"Files: {shown} and {more} more" if more > 0 else f"Files: {shown}"


def parse_dep5(path: str, data: bytes, text: str, encoding: str) -> Document:
    """A DEP-5 copyright file (`is_dep5`): its package's name (Upstream-Name, else its folder's) titles it."""
    text = _EMPTY.sub(lambda m: m.group(1) + " " + m.group(2), text)  # same length: offsets stay the file's
    fields = _fields(text)
    named = next((_value(text, f, f.first_end) for f in fields if f.name == "upstream-name"), "")
    package = named or Path(path).parent.name
    title = f"{package} copyright" if package else "copyright"
    sections: list[tuple[int, str]] = []
    headings: list[tuple[int, int]] = []
    records: list[tuple[int, int]] = []
    for stanza in _stanzas(fields):
        files = next((f for f in stanza if f.name == "files"), None)
        licence = stanza[0] if stanza[0].name == "license" and files is None else None
        licence_name = _value(text, licence, licence.first_end) if licence is not None else ""
        if files is not None:
            heading = f"{title}{HEADING_SEPARATOR}{_files_heading(_value(text, files))}"
        else:
            heading = f"{title}{HEADING_SEPARATOR}License: {licence_name}" if licence_name else title
        sections.append((stanza[0].start if sections else 0, heading))  # the first from the text's start
        for field in stanza:
            value = _value(text, field, field.first_end)
            if field.name == "format" or _paths(field) or field is licence:
                # a file list, the format's address, a licence's name over its text (it heads it): context
                headings.append((field.start, field.end if _paths(field) else field.first_end))
                continue
            if not value:  # a bare label ("Copyright:", "Comment:" over its lines): context
                headings.append((field.start, field.first_end))
            elif field.name == "license":
                records.append((field.start, field.first_end))  # "License: GPL-2+" over its text: a unit
            if field.name not in _PROSE:  # "Copyright:" and the rest: each line of the value an item
                lines = TRIMMED_LINE.finditer(text, field.start if value else field.first_end, field.end)
                records.extend(m.span(1) for m in lines)
    return make_document(
        path,
        data,
        text,
        title,
        encoding=encoding,
        sections=tuple(sections),
        headings=tuple(headings),
        records=tuple(records),
    )
