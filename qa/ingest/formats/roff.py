"""Manual pages written in roff with the man macros (`bzip2.1`, `/usr/share/man/man1/*.1.gz`, a project's
`doc/tool.8`): rendered to the text `man` shows, its `.SH` and `.SS` headings as the sections.

Read as plain text (a manual page's ending, ".1", is no file type), every request and font change was part
of the text: ".I bzip2\\nexpects a list of file names", ".SH SYNOPSIS .ll +8 .B bzip2 .RB [ ...". Here
requests are carried out as far as the text needs: paragraphs (`.PP`, `.LP`, `.P`, `.sp`, `.br`), a tagged
paragraph's tag before its text as a term before its definition ("-k --keep: Keep (don't delete) input
files ..."), font macros (`.B`, `.BR`, ...) and escapes (`\\fB`, `\\-`, `\\(em`) as the characters they
print; comments, macro definitions, conditionals and layout requests left out. The pages pod2man writes
(Perl's) define their own verbatim and index macros (`.Vb`, `.IX`): read as such. A page in BSD's mdoc
macros (it opens with `.Dd`, its date) is rendered by formats/mdoc.py."""

from __future__ import annotations

import re

from qa.ingest.formats.common import ENDS_TERM, Page, make_document, manual_page_name
from qa.types import Document

# the first request of a man page, after comments and the preamble: its title line
_TITLE = re.compile(r"^[.'][ \t]*(TH|Dd)[ \t]", re.M)  # mdoc's pages open with their date
_POINTER = re.compile(r"(?:[.'][ \t]*\\\"[^\n]*\n|[ \t]*\n)*[.'][ \t]*so[ \t]+\S+\s*")
_DEFINES = re.compile(r"[.'][ \t]*(?:de|de1|dei|am|ami|ig)\b")
_LEADING = 8192  # a page opens with its title line within this many characters (pod2man's preamble: ~3,800)

_GLYPHS = {
    "em": "\u2014", "en": "\u2013", "hy": "-", "bu": "\u2022", "aq": "'", "dq": '"', "lq": "\u201c",
    "rq": "\u201d", "oq": "\u2018", "cq": "\u2019", "co": "\u00a9", "rg": "\u00ae", "tm": "\u2122",
    "de": "\u00b0", "mu": "\u00d7", "di": "\u00f7", "+-": "\u00b1", ">=": "\u2265", "<=": "\u2264",
    "!=": "\u2260", "->": "\u2192", "<-": "\u2190", "ti": "~", "ha": "^", "ga": "`", "rs": "\\",
    "sl": "/", "ba": "|", "or": "|", "at": "@", "sh": "#", "Do": "$", "ps": "\u00b6", "sc": "\u00a7",
    "dg": "\u2020", "lh": "\u261c", "rh": "\u261e", "Eu": "\u20ac", "eu": "\u20ac", "Po": "\u00a3",
    "ct": "\u00a2", "Ye": "\u00a5", "fm": "\u2032", "sd": "\u2033", "pc": "\u00b7", "ff": "ff",
    "fi": "fi", "fl": "fl", "Fi": "ffi", "Fl": "ffl",
}  # fmt: skip
# predefined strings: the man macros' and pod2man's quotes, mdoc's characters ("\*[Am]" is "&")
_STRINGS = {
    "lq": "\u201c", "rq": "\u201d", "R": "\u00ae", "Tm": "\u2122", 'L"': "\u201c", 'R"': "\u201d",
    "C+": "C++", "C`": "\u2018", "C'": "\u2019", "`": "`", "'": "'", "-": "\u2014",
    "Am": "&", "Lt": "<", "Gt": ">", "Le": "\u2264", "Ge": "\u2265", "Ne": "\u2260", "Ba": "|", "Pm": "\u00b1",
    "If": "\u221e", "Pi": "\u03c0", "Na": "NaN", "Lq": "\u201c", "Rq": "\u201d", "q": '"',
}  # fmt: skip
_STRING = r"\*(?:\((?P<string2>..)|\[(?P<string>[^\]]*)\]|(?P<string1>.))"  # a string's use, after its backslash
_ESCAPE = re.compile(
    r"\\(?:"
    r"\((?P<glyph2>..)|\[(?P<glyph>[^\]]*)\]"  # \(em, \[em]
    rf"|{_STRING}"  # \*(lq, \*[lq], \*R
    r"|f(?:\(..|\[[^\]]*\]|.)|F(?:\(..|\[[^\]]*\]|.)|m(?:\(..|\[[^\]]*\]|.)|s[+-]?(?:\d\d?|\(\d\d|\[[^\]]*\])"  # fonts, sizes
    r"|[hvwlLoNbxXDSRZCAB]'[^']*'"  # motions, widths, lines, brackets: nothing to read
    r"|[nkgVY](?:\(..|\[[^\]]*\]|.)"  # registers, environment: nothing to read
    r"|(?P<char>.)"  # \- \e \\ \& \  and the rest
    r")",
    re.S,
)
_CODE_POINT = re.compile(r"u[0-9A-Fa-f]{4,6}(?:_[0-9A-Fa-f]{4,6})*")  # \[u00E9], \[u0065_0301]
_CHARS = {"-": "-", "e": "\\", "\\": "\\", " ": " ", "~": " ", "0": " ", "t": "\t", ".": ".", "'": "'", "`": "`"}
_SILENT = frozenset("&)|^%:,/!cdurpjaz{}\n")  # break points, spacing and hints that print nothing


def _escape(match: re.Match[str]) -> str:
    glyph = match.group("glyph2") or match.group("glyph")
    if glyph is not None:  # \[u00E9] names a code point
        return _unicode(glyph) if _CODE_POINT.fullmatch(glyph) else _GLYPHS.get(glyph, "")
    string = _string_name(match)
    if string is not None:
        return _STRINGS.get(string, "")
    char = match.group("char")
    if char is None or char in _SILENT:
        return ""
    return _CHARS.get(char, char)


def _string_name(match: re.Match[str]) -> str | None:
    """The name of the string a `_STRING` match uses ("lq" of \\*(lq), None for another escape."""
    return match.group("string2") or match.group("string") or match.group("string1")


def _unicode(name: str) -> str:
    """\\[u00E9]: the character of that code point ("" for none)."""
    try:
        return "".join(chr(int(part.removeprefix("u"), 16)) for part in name.split("_"))
    except (ValueError, OverflowError):
        return ""


def unescape(text: str) -> str:
    """A line of roff text as it prints: escapes replaced by their characters, font changes dropped."""
    return _ESCAPE.sub(_escape, text) if "\\" in text else text


_COMMENT = re.compile(r'\\"|\\#')


def _without_comment(line: str) -> str:
    """A line without its comment (\\" to the end; \\# with the newline)."""
    match = _COMMENT.search(line)
    while match is not None and _escaped(line, match.start()):
        match = _COMMENT.search(line, match.start() + 1)
    return line[: match.start()] if match is not None else line


def _escaped(line: str, at: int) -> bool:
    """Is the backslash at `at` itself escaped (an odd run of backslashes before it)?"""
    run = 0
    while at - run - 1 >= 0 and line[at - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def arguments(rest: str) -> list[str]:
    """A request's arguments: split on spaces, a double-quoted one may hold spaces ("" is a quote in it)."""
    args: list[str] = []
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] in " \t":
            i += 1
        if i >= n:
            break
        if rest[i] == '"':
            i += 1
            arg = []
            while i < n:
                if rest[i] == '"':
                    if i + 1 < n and rest[i + 1] == '"':
                        arg.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                arg.append(rest[i])
                i += 1
            args.append("".join(arg))
        else:
            start = i
            while i < n and rest[i] not in " \t":
                i += 1
            args.append(rest[start:i])
    return args


# Font macros: one font for all the arguments (joined by spaces), or two alternating (joined without)
_ONE_FONT = frozenset({"B", "I", "SB", "SM", "R"})
_ALTERNATING = frozenset({"BR", "RB", "BI", "IB", "IR", "RI"})
_PARAGRAPH = frozenset({"PP", "LP", "P", "sp", "br", "Sp", "HP", "bp", "RS", "RE", "in"})
_NO_FILL = frozenset({"nf", "EX", "Vb"})
_FILL = frozenset({"fi", "EE", "Ve"})
_SKIPPED_BLOCKS = frozenset({"de", "de1", "am", "ig", "dei", "ami"})  # until ".." (or the ig's end mark)
_TAGGED = frozenset({"TP", "TQ"})
_BULLETS = frozenset({"", "\u2022", "*", "-", "\u00b7", "o", "\u2013", "\u2014"})  # an item's mark, not a tag
_TABLE_OPTIONS = re.compile(r"[^.]*;[ \t]*$")  # tbl's options line ("tab(@); allbox;")
_TABLE_TAB = re.compile(r"\btab[ \t]*\((.)\)")  # the character parting a row's cells (a tab unless set)
_CELLS = re.compile(r"T[{}]|\t+")


def man_macros(text: str) -> str:
    """The macros a manual page is written in: "man" (it opens with `.TH name section`) or "mdoc" (with
    `.Dd`, its date), after nothing but requests (comments, a preamble of definitions); "man" too for a page
    that only points at another (".so man5/pam_env.conf.5": it shows nothing itself); "" for any other text."""
    match = _TITLE.search(text, 0, _LEADING)
    if match is None:
        return "man" if _POINTER.fullmatch(text) is not None else ""
    defining = False  # inside a macro's definition (rst2man's preamble: lines of "\\$1 \\n[an-margin]")
    for line in text[: match.start()].split("\n"):
        if defining:
            defining = not line.startswith("..")
        elif _DEFINES.match(line):
            defining = True
        elif line.strip() and line[:1] not in ".'\\":  # "\\{\\" goes on an .if
            return ""
    return "mdoc" if match.group(1) == "Dd" else "man"


_DEFINE_STRING = re.compile(r"[.'][ \t]*ds[ \t]+(\S+)[ \t]?(.*)")
# a string built of marks, motions and overstrikes (pod2man's accents: ".ds : \\k:\\h'...'\\z."): typesetting, no text
_TYPESETTING = re.compile(r"\\[khvzownx]")
_USE_STRING = re.compile(rf"\\{_STRING}")


def with_strings(text: str) -> str:
    """The page's own strings put where it uses them: help2man's sed page defines ".ds sd \\fIsed\\fP" and
    writes "\\*(sd works by making only one pass", which read "works by making only one pass" (the
    predefined strings only were known). Only strings defined outside a conditional (pod2man's quotes are
    set one way for a terminal and another for print, and keep the predefined ones) and made of text (an
    accent built of marks and motions stays unread, as it was)."""
    strings: dict[str, str] = {}
    depth = 0
    for line in text.split("\n"):
        defined = _DEFINE_STRING.fullmatch(line) if depth == 0 else None
        if defined and not _TYPESETTING.search(defined.group(2)):
            value = defined.group(2)
            strings[defined.group(1)] = value[1:] if value.startswith('"') else value
        depth = max(depth + line.count("\\{") - line.count("\\}"), 0)
    if not strings:
        return text

    def used(match: re.Match[str]) -> str:
        return strings.get(_string_name(match) or "", match.group(0))

    return _USE_STRING.sub(used, text)


def render(text: str) -> tuple[str, str, tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
    """A man page's source -> (title, the text it shows, its sections, its heading spans)."""
    text = with_strings(text)
    page = Page()
    hanging = False  # a .HP paragraph is open: help2man's option line over an .IP of its text
    item = False  # in the text of such an option, which help2man breaks with more .IP where --help broke lines
    title = ""
    heading_next = 0  # a .SH or .SS with no argument: the next line of text is its heading (its level)
    skip_until = ""  # the end of a definition or an ignored block being skipped
    depth = 0  # open \{ of a conditional being skipped
    table = ""  # in a tbl table: "format" while its options and format lines last, then "rows"
    cells = _CELLS  # what parts a table row's cells (and tbl's T{ T} around a cell's text)
    for raw in text.split("\n"):
        if skip_until:
            if raw.strip() == skip_until or raw.strip().startswith(skip_until):
                skip_until = ""
            continue
        if depth:
            depth += raw.count("\\{") - raw.count("\\}")
            depth = max(depth, 0)
            continue
        line = _without_comment(raw)
        if raw[:1] in ".'" and not line.strip()[1:].strip():
            continue  # a comment line (.\" ...), or a bare "."
        if line[:1] in ".'":
            name, _, rest = line[1:].strip().partition(" ")
            name, rest = name.strip(), rest.strip()
            if "\t" in name:
                name, _, more = name.partition("\t")
                rest = f"{more} {rest}".strip()
            if name in _SKIPPED_BLOCKS:
                skip_until = f".{arguments(rest)[0]}" if name == "ig" and rest else ".."
                continue
            if name in {"if", "ie", "el", "while"}:
                depth = max(line.count("\\{") - line.count("\\}"), 0)
                continue
            if name == "TH":
                args = [unescape(a) for a in arguments(rest)]
                title = manual_page_name(*args[:2]) if args else ""
                if title and not page.sections:
                    page.titled(title)
            elif name in {"SH", "SS", "Sh", "Ss"}:
                hanging = item = False
                level = 1 if name in {"SH", "Sh"} else 2
                words = " ".join(arguments(rest))
                if words:
                    page.heading(unescape(words), level)
                else:
                    heading_next = level
            elif name == "RS" and page.term():
                continue  # DocBook's pages tag a paragraph with a line of its own over it, indented
            elif name in _PARAGRAPH:
                page.end_paragraph()
                hanging, item = name == "HP", False
            elif name in _TAGGED:
                hanging = item = False
                if name == "TP" or not page.tag:
                    page.flush()
                    page.tag = None
                page.tag_waits = True
            elif name == "IP":
                args = arguments(rest)
                tag = unescape(args[0]).strip() if args else ""
                tag = "" if tag in _BULLETS else tag
                if not tag and hanging and page.term():
                    hanging, item = False, True  # "-i[SUFFIX], --in-place[=SUFFIX]" over "edit files in place"
                    continue
                if not tag and item and page.paragraph and not ENDS_TERM.search(page.paragraph[-1].rstrip()):
                    continue  # "exit with the same status as COMMAND, even when the" .IP "command times out"
                hanging = item = False
                if tag and page.tag and not page.tag_waits:
                    page.tag.append(tag)  # tags one after another, nothing between (pod2man's "-A", "-B": one entry)
                else:
                    page.flush()
                    page.tag = [tag] if tag else None
                page.tag_waits = False
            elif name == "TS":
                page.flush()
                page.no_fill, table, cells = True, "format", _CELLS
            elif name == "TE":
                page.flush()
                page.no_fill, table = False, ""
            elif name in _NO_FILL:
                page.flush()
                page.no_fill = True
            elif name in _FILL:
                page.flush()
                page.no_fill = False
            elif name in _ONE_FONT or name in _ALTERNATING:
                args = [unescape(a) for a in arguments(rest)]
                shown = " ".join(args) if name in _ONE_FONT else "".join(args)
                if heading_next:
                    page.heading(shown, heading_next)
                    heading_next = 0
                elif shown:
                    page.add(shown)
            elif name in {"UR", "MT"}:
                continue  # a link's address; its text follows
            elif name in {"UE", "ME"}:
                tail = " ".join(arguments(rest))
                if tail and page.paragraph:
                    page.paragraph[-1] += unescape(tail)
            elif name in {"SY", "OP"}:
                args = [unescape(a) for a in arguments(rest)]
                if args:
                    page.add(f"[{' '.join(args)}]" if name == "OP" else " ".join(args))
            continue  # any other request lays out, sets or defines: nothing to read
        if table:  # a tbl table: its options and format lines are layout; a row is a line, its cells spaced
            if table == "format":
                tab = _TABLE_TAB.search(line)
                if tab:
                    cells = re.compile(rf"T[{{}}]|(?:{re.escape(tab.group(1))})+")
                if line.rstrip().endswith(".") and not _TABLE_OPTIONS.fullmatch(line):
                    table = "rows"  # the format's last line ends with a period
                continue
            if line.strip() in {"_", "=", ""}:
                continue
            line = cells.sub("  ", line).strip()
        shown = unescape(line)
        if heading_next:
            page.heading(shown, heading_next)
            heading_next = 0
            continue
        page.add(shown)
    return title, *page.rendered()


def parse_man(path: str, data: bytes, text: str, encoding: str, macros: str = "man") -> Document:
    """A man page (`macros` as `man_macros` finds them) -> a Document of the text it shows, titled by its
    name and section ("bzip2(1)")."""
    if macros == "mdoc":
        from qa.ingest.formats.mdoc import render as render_mdoc

        title, shown, sections, headings = render_mdoc(text)
    else:
        title, shown, sections, headings = render(text)
    return make_document(path, data, shown, title, encoding=encoding, sections=sections, headings=headings)
