"""Manual pages written with BSD's mdoc macros (OpenSSH's `ssh_config.5`, every page on a BSD or a Mac):
semantic macros on every line (".It Cm Host", ".Op Fl v", ".Xr ssh 1"), rendered to the text `man` shows.

Block macros give the structure: `.Sh` and `.Ss` head sections, `.Pp` parts paragraphs, a `.Bl -tag` list's
`.It` arguments are its item's tag (read before the item's text, as the man macros' `.TP` is), a bullet or
numbered list's items are paragraphs, a `-column` list's rows a line each, `.Bd -literal` keeps its lines.
Inline macros print their arguments as mdoc does: `Fl v` is "-v", `Xr ssh 1` is "ssh(1)", `Op` brackets
and `Dq` quotes what follows, `Ns` joins; a closing punctuation mark after them sticks to the word before.
Names of macros mdoc does not print (fonts: `Cm`, `Pa`, `Ar`, ...) are dropped, their arguments kept."""

from __future__ import annotations

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
_CALLED = _AS_IS | set(_ENCLOSING) | set(_MARKS) | set(_SYSTEMS) | {"Fl", "Xr", "Fn", "Nm", "Ns", "Pf", "Ta", "Ap", "Sm"}
_TAGGED_LISTS = frozenset({"-tag", "-hang", "-ohang", "-inset", "-diag"})


def _inline(tokens: list[str], name: str) -> str:
    """A macro line's arguments (macros among them) as the text they print; `name` is the page's `Nm`."""
    words: list[tuple[str, bool]] = []  # (text, joined to the word before)

    def put(text: str, joined: bool = False) -> None:
        if text:
            words.append((text, joined))

    closers: list[str] = []
    glue = False  # the next word joins the one before (Ns, Pf, an opening bracket)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token in _CALLED:
            if token == "Fl":
                flags = 0
                while i < len(tokens) and tokens[i] not in _CALLED and tokens[i] not in _CLOSING:
                    put("-" + unescape(tokens[i]), glue)
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
            elif token == "Sm":
                i += 1 if i < len(tokens) and tokens[i] in {"on", "off"} else 0
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
    while closers:
        put(closers.pop(), True)
    return "".join((" " if n and not joined else "") + text for n, (text, joined) in enumerate(words)).strip()


def render(text: str) -> tuple[str, str, tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
    """An mdoc page's source -> (title, the text it shows, its sections, its heading spans)."""
    page = Page()
    title = name = ""
    lists: list[str] = []  # the open lists' types
    for line in text.split("\n"):
        if line.startswith(('.\\"', "'\\\"")) or line.strip() in {".", ""}:
            if not line.strip() and page.no_fill:
                page.add("")
            continue
        if line[:1] not in ".'":
            page.add(unescape(line))
            continue
        tokens = arguments(line[1:].strip())
        if not tokens:
            continue
        macro, args = tokens[0], tokens[1:]
        if macro == "Dt":
            title = manual_page_name(*args[:2]) if args else ""
            page.titled(title)
        elif macro in {"Sh", "Ss"}:
            page.heading(_inline(args, name), 1 if macro == "Sh" else 2)
        elif macro in {"Pp", "Lp", "br", "sp"}:
            page.flush()
        elif macro == "Nm" and not name and args:
            name = unescape(args[0])
            page.add(_inline(tokens, name))
        elif macro == "Nd":
            page.add("- " + _inline(args, name))
        elif macro == "Bl":
            page.flush()
            lists.append(next((a for a in args if a.startswith("-") and a not in {"-offset", "-width", "-compact"}), "-item"))
        elif macro == "El":
            page.end_paragraph()
            if lists:
                lists.pop()
        elif macro == "It":
            kind = lists[-1] if lists else "-item"
            page.end_paragraph()
            shown = _inline(args, name)  # a -column list's cells parted by "Ta": two spaces between them
            if kind in _TAGGED_LISTS and shown:
                page.tag = [shown]
            elif shown:
                page.add(shown)
        elif macro == "Bd":
            page.flush()
            page.no_fill = "-literal" in args or "-unfilled" in args
        elif macro == "Ed":
            page.flush()
            page.no_fill = False
        elif macro in {"D1", "Dl"}:
            page.flush()
            page.add(_inline(args, name))
            page.flush()
        elif macro == "In":
            page.add(f"#include <{' '.join(args)}>")
        elif macro in _CALLED:
            page.add(_inline(tokens, name))
        # any other macro (Dd, Os, Rs, Re, nr, ...) prints nothing
    return title, *page.rendered()

