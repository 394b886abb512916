"""Texinfo sources (`.texi`, `.texinfo`, `.txi`: GNU projects' manuals, `doc/*.texi` in their source trees),
rendered to the text their Info manual shows.

Its sectioning commands (`@chapter`, `@section`, ...) head sections under the manual's `@settitle`; a
two-column table's `@item` (and `@itemx`) is its entry's tag, read before its text as a term before its
definition ("-k, --keep: Keep (don't delete) input files ..."), and so is a definition's head (`@deffn`);
a list's items and a `@multitable`'s rows are paragraphs; examples (`@example`, `@verbatim`) keep their
lines. Inline commands print what they show (`@code{x}` is x, `@samp{x}` 'x', `@xref{Node}` "See Node",
`@dots{}` "...", `@'e` "é"), a footnote after its paragraph. Left out: comments, index entries, nodes and
menus, the title page and the copying notice, macro definitions, and the TeX, HTML, DocBook and LaTeX
alternatives of a passage (its Info one is read)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from qa.ingest.formats.common import Page, ReadRules, decode, make_document
from qa.types import Document

_LEVELS = {
    "chapter": 1, "unnumbered": 1, "appendix": 1, "majorheading": 1, "chapheading": 1,
    "section": 2, "unnumberedsec": 2, "appendixsec": 2, "appendixsection": 2, "heading": 2,
    "subsection": 3, "unnumberedsubsec": 3, "appendixsubsec": 3, "subheading": 3,
    "subsubsection": 4, "unnumberedsubsubsec": 4, "appendixsubsubsec": 4, "subsubheading": 4,
}  # fmt: skip
# blocks whose text is not read: navigation, the title page, other formats' versions, definitions
_SKIPPED = frozenset(
    "menu detailmenu direntry titlepage copying ignore tex iftex html ifhtml docbook ifdocbook latex iflatex xml "
    "ifxml macro rmacro ifset ifclear documentdescription".split()
)
# blocks read as the text around them: quotations, boxes, the Info version of a passage
_WRAPPERS = frozenset(
    "quotation smallquotation cartouche indentedblock smallindentedblock flushleft flushright raggedright ifinfo "
    "ifnottex ifnothtml ifplaintext ifnotdocbook ifnotlatex ifnotxml group".split()
)
_EXAMPLES = frozenset("example smallexample lisp smalllisp verbatim display smalldisplay format smallformat".split())
_TABLES = frozenset({"table", "ftable", "vtable"})
_LISTS = frozenset({"itemize", "enumerate"})
_DEFINITIONS = re.compile(r"def(?:fn|un|mac|spec|var|opt|tp|typefn|typefun|typevar|typevr|vr|cv|op|ivar|method|typemethod|typeop|typecv|typeivar|typeline|line)x?")
# line commands whose line prints nothing
_SILENT_LINES = re.compile(
    r"(?:[a-z]*index|node|setfilename|syncodeindex|synindex|defindex|defcodeindex|printindex|contents|"
    r"shortcontents|summarycontents|page|need|noindent|vskip|headings|setchapternewpage|paragraphindent|"
    r"exampleindent|firstparagraphindent|frenchspacing|documentencoding|documentlanguage|include|insertcopying|"
    r"dircategory|finalout|smallbook|afourpaper|afivepaper|bye|clear|title|subtitle|author|evenheading|"
    r"oddheading|everyheading|evenfooting|oddfooting|everyfooting|allowcodebreaks|kbdinputstyle|"
    r"deftypefnnewline|codequoteundirective|codequotebacktick|urefbreakstyle|setcontentsaftertitlepage|"
    r"setshortcontentsaftertitlepage|refill|columnfractions|raggedright|validatemenus|"
    r"novalidate|hyphenation|anchor|float|caption|shortcaption|listoffloats|errormsg)\b"
)
_SYMBOLS = {
    "dots": "...", "enddots": "...", "copyright": "\u00a9", "registeredsymbol": "\u00ae", "TeX": "TeX",
    "LaTeX": "LaTeX", "bullet": "\u2022", "minus": "-", "result": "\u21d2", "expansion": "\u2192",
    "print": "-|", "error": "error\u2192", "equiv": "\u2261", "point": "\u2217", "arrow": "\u2192",
    "tie": " ", "comma": ",", "atchar": "@", "lbracechar": "{", "rbracechar": "}", "backslashchar": "\\",
    "hashchar": "#", "euro": "\u20ac", "pounds": "\u00a3", "geq": "\u2265", "leq": "\u2264",
    "exclamdown": "\u00a1", "questiondown": "\u00bf", "ss": "\u00df", "AA": "\u00c5", "aa": "\u00e5",
    "AE": "\u00c6", "ae": "\u00e6", "OE": "\u0152", "oe": "\u0153", "O": "\u00d8", "o": "\u00f8",
    "L": "\u0141", "l": "\u0142", "ordf": "\u00aa", "ordm": "\u00ba", "textdegree": "\u00b0",
    "quotedblleft": "\u201c", "quotedblright": "\u201d", "quoteleft": "\u2018", "quoteright": "\u2019",
    "guillemetleft": "\u00ab", "guillemetright": "\u00bb", "today": "", "thischapter": "", "thissection": "",
}  # fmt: skip
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ",": "\u0327",
    "v": "\u030c", "u": "\u0306", "H": "\u030b", "dotaccent": "\u0307", "ringaccent": "\u030a",
    "ogonek": "\u0328", "udotaccent": "\u0323", "ubaraccent": "\u0331", "tieaccent": "\u0361",
}  # fmt: skip
_WITH_ARGUMENTS = frozenset({"uref", "url", "email", "xref", "pxref", "ref", "inforef", "acronym", "abbr", "samp"})
_DROPPED = frozenset({"image", "anchor", "indexterm", "sortas", "seeentry", "seealso"})
_NAME = re.compile(r"[A-Za-z]+")
MAX_NESTING = 32  # commands inside commands read as such (a manual nests a few)
_BARE_COMMAND = re.compile(r"@[A-Za-z]*")


class _Inline:
    """Inline commands -> the text they print; footnotes set aside for after their paragraph."""

    def __init__(self, values: dict[str, str], page: Page) -> None:
        self.values = values
        self.page = page  # a footnote goes to its notes, written after the paragraph
        self.depth = 0  # commands open around the text being read

    def __call__(self, text: str) -> str:
        if self.depth >= MAX_NESTING:  # a hostile file's "@code{@code{@code{...": its letters, not its commands
            return _BARE_COMMAND.sub("", text).replace("{", "").replace("}", "")
        self.depth += 1
        try:
            return self._read(text, 0)
        finally:
            self.depth -= 1

    def _braced(self, text: str, i: int) -> tuple[str, int]:
        """The raw text of the braced argument opening at text[i] == "{" and the index after its "}"."""
        for j, char, depth in _structure(text, i):
            if char == "}" and depth == 0:
                return text[i + 1 : j], j + 1
        return text[i + 1 :], len(text)

    def _read(self, text: str, i: int) -> str:
        out: list[str] = []
        while i < len(text):
            char = text[i]
            if char != "@":
                out.append(char)
                i += 1
                continue
            if i + 1 >= len(text):
                break
            nxt = text[i + 1]
            if nxt in "@{}.?!":
                out.append(nxt)
                i += 2
                continue
            if nxt in ":-/|\n":
                i += 2
                continue
            if nxt in " \t*":
                out.append(" ")
                i += 2
                continue
            if nxt in _ACCENTS and not nxt.isalpha():  # @'e, @"{u}
                i += 2
                base, i = self._argument(text, i)
                out.append(_accented(base, nxt))
                continue
            name_match = _NAME.match(text, i + 1)
            if name_match is None:
                i += 1
                continue
            name = name_match.group(0)
            i = name_match.end()
            if i < len(text) and text[i] == "{":
                raw, i = self._braced(text, i)
                out.append(self._command(name, raw))
            elif name in _ACCENTS:  # @v{c} without braces reads as @v c
                base, i = self._argument(text, i)
                out.append(_accented(base, name))
            elif name == "tab":  # a row's next cell: two spaces between cells, whatever the source had
                while out and out[-1] in " \t":
                    out.pop()
                out.append("  ")
                while i < len(text) and text[i] in " \t":
                    i += 1
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            # any other command without braces (@noindent, @refill) prints nothing
        return "".join(out)

    def _argument(self, text: str, i: int) -> tuple[str, int]:
        """An accent's argument: braced, or the next character (after a space for a letter command)."""
        if i < len(text) and text[i] == "{":
            raw, i = self._braced(text, i)
            return self(raw), i
        while i < len(text) and text[i] == " ":
            i += 1
        return (text[i], i + 1) if i < len(text) else ("", i)

    def _command(self, name: str, raw: str) -> str:
        if name in _DROPPED:
            return ""
        if name == "value":
            return self.values.get(raw.strip(), "")
        if name == "footnote":
            self.page.notes.append(self(raw).strip())
            return ""
        if name in _ACCENTS:
            return _accented(self(raw), name)
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name == "verb":  # @verb{|text|}: the text between the delimiters, as it is
            return raw[1:-1] if len(raw) >= 2 else raw
        if name not in _WITH_ARGUMENTS:
            return self(raw)  # @code, @var, @emph, @file, @option, @w, ...: the text
        parts = [self(part).strip() for part in _split_arguments(raw)]
        if name in {"uref", "url"}:  # @uref{address, text, replacement}
            return next((p for p in reversed(parts[1:3]) if p), parts[0] if parts else "")
        if name == "email":
            return parts[1] if len(parts) > 1 and parts[1] else parts[0] if parts else ""
        if name in {"xref", "pxref", "ref", "inforef"}:  # @xref{node, entry, title, file, manual}
            shown = next((p for p in (parts[2:3] + parts[1:2] + parts[:1]) if p), "")
            return {"xref": "See ", "pxref": "see "}.get(name, "") + shown
        if name in {"acronym", "abbr"}:
            return f"{parts[0]} ({parts[1]})" if len(parts) > 1 and parts[1] else parts[0] if parts else ""
        return f"\u2018{parts[0] if parts else ''}\u2019"  # @samp


def _accented(base: str, accent: str) -> str:
    """`base` with the accent a command names (@'e, @v{c}) as one character where there is one: "é"."""
    return unicodedata.normalize("NFC", base + _ACCENTS[accent]) if base else ""


def _quotes(text: str) -> str:
    """TeX's quotes in running text (``copyleft'') as the marks they print."""
    return text.replace("``", "\u201c").replace("''", "\u201d")


def _structure(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """The braces and commas of `text` from `start` that no @ escapes ("@{" is a brace printed), each with
    the depth of braces after it."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == "@":
            i += 2
            continue
        if char in "{},":
            depth += (char == "{") - (char == "}")
            yield i, char, depth
        i += 1


def _split_arguments(raw: str) -> list[str]:
    """A command's arguments, split at commas outside braces."""
    parts, start = [], 0
    for i, char, depth in _structure(raw):
        if char == "," and depth == 0:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return parts


_COMMENT = re.compile(r"@c(?:omment)?(?=[\s{]|$)")


def _without_comment(line: str) -> str:
    """A line without its comment (@c or @comment to the end)."""
    i = 0
    while i < len(line):
        if line[i] == "@":
            match = _COMMENT.match(line, i)
            if match is not None:
                return line[:i]
            i += 2
            continue
        i += 1
    return line


_COMMAND_LINE = re.compile(r"\s*@([A-Za-z]+)(?=[ \t]|$)[ \t]*(.*)$")


def render(text: str) -> tuple[str, str, tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
    """A Texinfo source -> (its title, the text it shows, its sections, its headings' spans)."""
    page = Page()
    values: dict[str, str] = {}
    inline = _Inline(values, page)
    blocks: list[tuple[str, str]] = []  # the open blocks: (name, a table's item command)
    skipping = ""  # the block whose text is left out, until its @end
    depth = 0  # nested blocks of the same name inside the skipped one
    title = ""

    for raw in text.split("\n"):
        if skipping:
            command = _COMMAND_LINE.match(raw)
            if command and command.group(1) == skipping:
                depth += 1
            elif command and command.group(1) == "end" and command.group(2).split()[:1] == [skipping]:
                depth -= 1
                skipping = skipping if depth else ""
            continue
        if page.no_fill and blocks and blocks[-1][0] == "verbatim":
            if raw.strip() == "@end verbatim":
                page.flush()
                page.no_fill = False
                blocks.pop()
            else:
                page.add(raw.rstrip())
            continue
        line = _without_comment(raw)
        if raw.strip() and not line.strip():
            continue  # a comment line
        if line.startswith("\\input"):  # "\\input texinfo": TeX's first line
            continue
        command = _COMMAND_LINE.match(line)  # "@section Foo", not "@code{x} is ..." (text)
        name, rest = (command.group(1), command.group(2)) if command else ("", "")
        if not command:
            if not line.strip():
                if page.no_fill:
                    page.add("")
                else:
                    page.flush()
                continue
            page.add(inline(line).rstrip() if page.no_fill else _quotes(inline(line)))
            continue
        if name in _SKIPPED:
            skipping, depth = name, 1
            continue
        if name == "settitle":
            title = inline(rest).strip()
            page.titled(title)
        elif name == "set":
            key, _, value = rest.partition(" ")
            values[key] = value.strip()
        elif name == "top":  # the Top node's heading: the title, unless @settitle gave one
            if not title:
                title = inline(rest).strip()
                page.titled(title)
        elif name in _LEVELS:
            page.flush()
            page.heading(inline(rest), _LEVELS[name])
        elif name == "end":
            ended = rest.split()[:1]
            page.end_paragraph()
            if ended and ended[0] in _EXAMPLES:
                page.no_fill = False
            if blocks and ended and blocks[-1][0] == ended[0]:
                blocks.pop()
        elif name in _EXAMPLES:
            page.flush()
            page.no_fill = True
            blocks.append((name, ""))
        elif name in _TABLES:
            page.flush()
            blocks.append((name, rest.strip().lstrip("@")))
        elif name in _LISTS or name == "multitable":
            page.flush()
            blocks.append((name, ""))
        elif name in {"item", "itemx", "headitem"}:
            kind, marker = blocks[-1] if blocks else ("", "")
            if kind in _TABLES:
                term = inline(f"@{marker}{{{rest}}}" if marker and marker != "asis" else rest).strip()
                if name == "itemx" and page.tag is not None:
                    page.tag.append(term)
                else:
                    page.flush()
                    page.tag = [term] if term else None
            else:
                page.end_paragraph()
                if rest.strip():
                    page.add(inline(rest))
        elif _DEFINITIONS.fullmatch(name):
            head = inline(rest).strip()
            if name.endswith("x") and page.tag is not None:
                page.tag.append(head)
            else:
                page.flush()
                page.tag = [head] if head else None
            if not name.endswith("x"):
                blocks.append((name, ""))
        elif name in _WRAPPERS:
            page.flush()
            if name in {"quotation", "smallquotation"} and rest.strip():
                page.add(inline(rest).strip() + ":")
        elif name in {"center", "exdent", "sp"}:
            page.flush()
            if name != "sp" and rest.strip():
                page.add(inline(rest))
                page.flush()
        elif _SILENT_LINES.match(name):
            continue
        else:  # an unknown line command: its argument is text ("@acronym" never opens a line)
            page.add(inline(line))
    return title, *page.rendered()


def parse_texinfo(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """A Texinfo source -> a Document of the text its Info manual shows, titled by its @settitle."""
    text, encoding = decode(data)
    title, shown, sections, headings = render(text.replace("\r\n", "\n").replace("\r", "\n"))
    return make_document(path, data, shown, title, encoding=encoding, sections=sections, headings=headings)
