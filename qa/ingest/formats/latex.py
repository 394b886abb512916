"""LaTeX sources (.tex, pylatexenc): the document's text as it would read typeset, its sectioning as headings."""

from __future__ import annotations

import re
from functools import lru_cache

from qa.ingest.formats.common import Outline, ReadRules, decode, heading_mark, make_document
from qa.types import Document

_SECTIONS = ("part", "chapter", "section", "subsection", "subsubsection", "paragraph")
# commands that say nothing to a reader of the text: references print as numbers, pictures and labels not at all
_SILENT = """cite citep citet ref eqref pageref autoref cref Cref label includegraphics maketitle tableofcontents
listoffigures listoftables footnote bibliographystyle bibliography input include""".split()
_TITLE = re.compile(r"\\title\s*(?:\[[^\]]*\])?\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_LOOSE = re.compile(r"[ \t\xa0]+(?=[.,;:!?)])")  # "berths ~\cite{x}." read as "berths ."
_BODY = re.compile(r"\\begin\s*\{document\}(.*?)(?:\\end\s*\{document\}|\Z)", re.S)


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    def heading(level: int):
        def text(node, l2tobj) -> str:
            args = node.nodeargd.argnlist if node.nodeargd is not None else []
            title = l2tobj.nodelist_to_text([args[-1]]) if args and args[-1] is not None else ""
            return f"\n\n{heading_mark(level)}{' '.join(title.split())}\n\n"

        return text

    context = get_default_latex_context_db()
    specs = [MacroTextSpec(name, simplify_repl=heading(level)) for level, name in enumerate(_SECTIONS, 1)]
    specs += [MacroTextSpec(name, discard=True) for name in _SILENT]
    context.add_context_category("qa", macros=specs, prepend=True)
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=True)


def parse_latex(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """A LaTeX source: the body (between \\begin{document} and \\end{document}, else the whole file: a chapter
    included by another) read as text with pylatexenc: macros and environments rendered as their text
    (emphasis, accents, lists, captions, math as plain symbols), comments, citations, references, labels,
    pictures and verbatim blocks left out; \\part to \\paragraph open headings; `\\title` is the title."""
    source, encoding = decode(data)
    body = _BODY.search(source)
    converter = _converter()
    text = _LOOSE.sub("", converter.latex_to_text(body.group(1) if body else source))
    named = _TITLE.search(source[: body.start()] if body else source)
    title = " ".join(converter.latex_to_text(named.group(1)).split()) if named else ""
    outline = Outline()
    for block in re.split(r"\n\s*\n", text):
        outline.block(block)
    return make_document(
        path, data, outline.text(), title, encoding=encoding, **outline.fields()
    )
