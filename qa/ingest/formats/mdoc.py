"""Manual pages written with BSD's mdoc macros (OpenSSH's `ssh_config.5`, every page on a BSD or a Mac):
semantic macros on every line (".It Cm Host", ".Op Fl v", ".Xr ssh 1"), rendered to the text `man` shows.

Block macros give the structure: `.Sh` and `.Ss` head sections, `.Pp` parts paragraphs, a `.Bl -tag` list's
`.It` arguments are its item's tag (read before the item's text, as the man macros' `.TP` is), a bullet or
numbered list's items are paragraphs, a `-column` list's rows a line each, `.Bd -literal` keeps its lines.
Inline macros print their arguments as mdoc does: `Fl v` is "-v", `Xr ssh 1` is "ssh(1)", `Op` brackets
and `Dq` quotes what follows, `Ns` joins; a closing punctuation mark after them sticks to the word before;
`.Sm off` prints words with no space between until `.Sm on` ("[bind_address:]port"), `Fo`/`Fa`/`Fc` a
function and its arguments. A line's arguments go on over the lines from its `Xo` to the next `Xc` (OpenSSH's
and tmux's items: ".It Fl L Xo", ".Sm off", ".Oo Ar bind_address : Oc", ... ".Xc").
Names of macros mdoc does not print (fonts: `Cm`, `Pa`, `Ar`, ...) are dropped, their arguments kept."""

from __future__ import annotations

from dataclasses import dataclass

from qa.ingest.formats.common import Page, manual_page_name
from qa.ingest.formats.roff import arguments, unescape

# macros that print their arguments as they are (a font, a semantic mark)
_AS_IS = frozenset(
    "Ad An Ar Cd Cm Dv Em Er Ev Fa Fd Fr Ft Ic Li Lk Ms Mt Pa Sy Tn Va Vt Ot Sx No Tg".split()
    + "%A %B %C %D %I %J %N %O %P %Q %R %T %U %V".split()
)
# macros that enclose the rest of the line: their opening and closing marks
_ENCLOSING = {
    "Dq": ("\u201c", "\u201d"), "Sq": ("\u2018", "\u2019"), "Qq": ('"', '"'), "Ql": ("\u2018", "\u2019"),
    "Pq": ("(", ")"), "Bq": ("[", "]"), "Brq": ("{", "}"), "Aq": ("<", ">"), "Op": ("[", "]"),
}  # fmt: skip
# macros that only open or close such a mark, the rest of the line between them
_MARKS = {
    "Do": "\u201c", "Dc": "\u201d", "So": "\u2018", "Sc": "\u2019", "Qo": '"', "Qc": '"', "Po": "(", "Pc": ")",
    "Bo": "[", "Bc": "]", "Bro": "{", "Brc": "}", "Ao": "<", "Ac": ">", "Oo": "[", "Oc": "]",
}  # fmt: skip
_SYSTEMS = {"Ux": "UNIX", "Bx": "BSD", "Ox": "OpenBSD", "Nx": "NetBSD", "Fx": "FreeBSD", "Dx": "DragonFly", "Bsx": "BSD/OS", "At": "AT&T UNIX"}
_OPENING = frozenset({"(", "["})
_CLOSING = frozenset({".", ",", ":", ";", ")", "]", "?", "!"})
_CALLED = _AS_IS | set(_ENCLOSING) | set(_MARKS) | set(_SYSTEMS) | {"Fl", "Xr", "Fn", "Fo", "Fc", "Nm", "Ns", "Pf", "Ta", "Ap", "Sm"}
_TAGGED_LISTS = frozenset({"-tag", "-hang", "-ohang", "-inset", "-diag"})
_BLOCKS = frozenset({"Sh", "Ss", "Pp", "Lp", "Bl", "El", "It", "Bd", "Ed"})  # no line's arguments go on past one


@dataclass
class _Printing:
    """What one line's printing leaves to the next."""

    spaced: bool = True  # off from `.Sm off` to `.Sm on`
    unspaced: bool = False  # the last word was printed with spacing off
    glue: bool = False  # the next word joins the last ("crypt(" before its first argument)
    arguments: int | None = None  # inside `.Fo`: how many of the function's arguments were printed


def _inline(tokens: list[str], name: str, printing: _Printing) -> tuple[str, bool]:
    """A macro line's arguments (macros among them) as the text they print, and whether that joins the line
    before with no space; `name` is the page's `Nm`, `printing` what the lines before left (updated)."""
    words: list[tuple[str, bool]] = []  # (text, joined to the word before)
    spaced, unspaced, glue, arguments_put = printing.spaced, printing.unspaced, printing.glue, printing.arguments

    def put(text: str, joined: bool = False) -> None:
        nonlocal unspaced
        if text:  # with spacing off a word joins the one before, printed with spacing off too
            words.append((text, joined or (unspaced and not spaced)))
            unspaced = not spaced

    closers: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token in _CALLED:
            if token == "Fl":
                flags = 0
                while i < len(tokens) and tokens[i] not in _CALLED and tokens[i] not in _CLOSING:
                    flag = unescape(tokens[i])
                    if flag == "|":  # "Fl c | s" is "-c | -s", "Fl | Ar x" is "- | x"
                        put("|" if flags else "- |", glue)
                    else:
                        put("-" + flag, glue)
                    glue, flags, i = False, flags + 1, i + 1
                if not flags:
                    put("-", glue)
                    glue = True
            elif token == "Xr" and i < len(tokens):
                section = f"({tokens[i + 1]})" if i + 1 < len(tokens) and tokens[i + 1] not in _CALLED else ""
                put(unescape(tokens[i]) + section, glue)
                glue, i = False, i + (2 if section else 1)
            elif token == "Fn" and i < len(tokens):
                args = []
                function, i = unescape(tokens[i]), i + 1
                while i < len(tokens) and tokens[i] not in _CALLED and tokens[i] not in _CLOSING:
                    args.append(unescape(tokens[i]))
                    i += 1
                put(f"{function}({', '.join(args)})", glue)
                glue = False
            elif token == "Nm":
                if i >= len(tokens) or tokens[i] in _CALLED or tokens[i] in _CLOSING:
                    put(name, glue)
                    glue = False
            elif token in {"Ns", "Ap"}:
                glue = True
                if token == "Ap":
                    put("'", True)
            elif token == "Pf" and i < len(tokens):
                put(unescape(tokens[i]), glue)
                glue, i = True, i + 1
            elif token == "Sm":  # "on", "off", or with neither a switch
                switch = tokens[i] if i < len(tokens) and tokens[i] in {"on", "off"} else ""
                spaced, i = (switch == "on", i + 1) if switch else (not spaced, i)
            elif token == "Fo" and i < len(tokens):
                put(unescape(tokens[i]) + "(", glue)
                glue, i, arguments_put = True, i + 1, 0
            elif token == "Fa" and arguments_put is not None:
                while i < len(tokens) and tokens[i] not in _CALLED:
                    if arguments_put:
                        put(",", True)
                    put(unescape(tokens[i]), not arguments_put)
                    i, arguments_put = i + 1, arguments_put + 1
            elif token == "Fc":
                put(")", True)
                glue, arguments_put = False, None
            elif token == "Ta":
                put(" ", False)
            elif token in _SYSTEMS:
                put(_SYSTEMS[token], glue)
                glue = False
            elif token in _ENCLOSING:
                opening, closing = _ENCLOSING[token]
                put(opening, glue)
                glue = True
                closers.append(closing)
            elif token in _MARKS:
                mark = _MARKS[token]
                closes = mark in {"\u201d", "\u2019", '"', ")", "]", "}", ">"} and token.endswith("c")
                put(mark, closes or glue)
                glue = not closes
            continue  # a font's name prints nothing
        if token in _CLOSING and closers and all(t in _CLOSING for t in tokens[i - 1 :]):
            while closers:  # trailing punctuation goes after what the line encloses
                put(closers.pop(), True)
        put(unescape(token), glue or token in _CLOSING)
        glue = token in _OPENING
    if closers:
        glue = False
    while closers:
        put(closers.pop(), True)
    printing.spaced, printing.unspaced, printing.glue, printing.arguments = spaced, unspaced, glue, arguments_put
    shown = "".join((" " if n and not joined else "") + text for n, (text, joined) in enumerate(words))
    return shown.strip(), bool(words) and words[0][1]


def _tag(page: Page, lists: list[str], shown: str) -> None:
    """An `.It` line's text: in a tagged list the tag of the item's text, which items with no text of their
    own share ("-L a, -L b: Specifies ..."); in any other list the item's first line."""
    if not shown:
        page.end_paragraph()
    elif (lists[-1] if lists else "-item") not in _TAGGED_LISTS:
        page.end_paragraph()
        page.add(shown)
    elif page.tag and not page.paragraph:
        page.tag.append(shown)
    else:
        page.end_paragraph()
        page.tag = [shown]


def render(text: str) -> tuple[str, str, tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
    """An mdoc page's source -> (title, the text it shows, its sections, its heading spans)."""
    page = Page()
    title = name = ""
    lists: list[str] = []  # the open lists' types
    printing = _Printing()

    def inline(tokens: list[str]) -> str:
        return _inline(tokens, name, printing)[0]

    def put(tokens: list[str]) -> None:
        """A line of text as it prints: joined to the one before where it goes on from it ("crypt(" and
        its first argument)."""
        shown, joins = _inline(tokens, name, printing)
        if joins and page.paragraph and not page.tag:
            page.paragraph[-1] += shown
        elif shown:  # not a blank line: `.Sm off` prints nothing
            page.add(shown)

    def macro_line(tokens: list[str]) -> None:
        """A macro line (one whose arguments went on over lines from `Xo` to `Xc`, joined)."""
        nonlocal title, name
        if not tokens:
            return
        macro, args = tokens[0], tokens[1:]
        if macro == "Dt":
            title = manual_page_name(*args[:2]) if args else ""
            page.titled(title)
        elif macro in {"Sh", "Ss"}:
            page.heading(inline(args), 1 if macro == "Sh" else 2)
        elif macro in {"Pp", "Lp", "br", "sp"}:
            page.flush()
        elif macro == "Nm" and not name and args:
            name = unescape(args[0])
            page.add(inline(tokens))
        elif macro == "Nd":
            page.add("- " + inline(args))
        elif macro == "Bl":
            page.flush()
            lists.append(next((a for a in args if a.startswith("-") and a not in {"-offset", "-width", "-compact"}), "-item"))
        elif macro == "El":
            page.end_list()
            if lists:
                lists.pop()
        elif macro == "It":
            _tag(page, lists, inline(args))  # a -column list's cells parted by "Ta": two spaces between them
        elif macro == "Bd":
            page.flush()
            page.no_fill = "-literal" in args or "-unfilled" in args
        elif macro == "Ed":
            page.flush()
            page.no_fill = False
        elif macro in {"D1", "Dl"}:
            page.flush()
            page.add(inline(args))
            page.flush()
        elif macro == "In":
            page.add(f"#include <{' '.join(args)}>")
        elif macro == "Nm" and page.path[-1:] == ["SYNOPSIS"]:  # each use of the command a line
            page.flush()
            put(tokens)
        elif macro in _CALLED:
            put(tokens)
        # any other macro (Dd, Os, Rs, Re, nr, ...) prints nothing

    extended: list[str] | None = None  # a line's arguments from its `Xo` on, until an `Xc`
    for line in text.split("\n"):
        if line.startswith(('.\\"', "'\\\"")) or line.strip() in {".", ""}:
            if not line.strip() and page.no_fill:
                page.add("")
            continue
        if line[:1] not in ".'" and extended is None:
            if printing.spaced and not printing.glue:
                page.add(unescape(line))
                printing.unspaced = False
            else:
                put([line])  # the whole line one word: text lines call no macro
            continue
        tokens = arguments(line[1:].strip() if line[:1] in ".'" else line)
        if extended is not None:
            if "Xc" in tokens:
                tokens, extended = extended + tokens[: tokens.index("Xc")], None
            elif line[:1] in ".'" and tokens[:1] and tokens[0] in _BLOCKS:  # no `Xc` before it: it ends here
                macro_line(extended)
                extended = None
            else:
                extended += tokens
                continue
        if "Xo" in tokens:  # a line that is only ".Xo ( Fl CC ) Xc" prints its arguments, as `No` does
            extended = ["No" if tokens[0] == "Xo" else tokens[0]] + [t for t in tokens[1:] if t != "Xo"]
            if "Xc" not in extended:
                continue
            tokens, extended = extended[: extended.index("Xc")], None
        macro_line(tokens)
    if extended is not None:  # an `Xo` never closed
        macro_line(extended)
    return title, *page.rendered()

