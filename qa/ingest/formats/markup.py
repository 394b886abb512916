"""Markdown (markdown-it-py and its documentation-site plugins), Jupyter notebooks (their Markdown cells) and
reStructuredText (docutils)."""

from __future__ import annotations

import ast
import html
import re
import textwrap
from collections.abc import Callable
from functools import cache
from typing import Any

from qa.ingest.formats.common import (
    HTML_MAX_DEPTH,
    Outline,
    ReadRules,
    Skipped,
    continues,
    decode,
    html_depth,
    is_data,
    links_shown,
    make_document,
    only_links,
    pair_text,
    reads_as_pairs,
    row_text,
)
from qa.ingest.formats.text import QUESTION_LABEL, heading_by_look, only_names, paragraph_label, unmarked_list
from qa.types import Document

# MyST and Sphinx directives whose body is prose (admonitions, version notes): read; a code block's
# (```{code-block} python) read as a fenced block is (`_CODE_DIRECTIVES`); any other directive in a fence
# (```{toctree}, :::{mermaid}) is left out as code is
_PROSE_DIRECTIVES = frozenset(
    """admonition attention caution danger error hint important note seealso tip todo warning versionadded
    versionchanged versionremoved deprecated topic sidebar margin dropdown card tab-item glossary""".split()
)
_VERSION_NOTES = {
    "versionadded": "New in version",
    "versionchanged": "Changed in version",
    "versionremoved": "Removed in version",
    "deprecated": "Deprecated since version",
}
_DIRECTIVE = re.compile(r"^\{([\w-]+)\}\s*(.*)$")
_PANDOC_ATTRIBUTES = re.compile(r"^\{[ \t]*[.#][\w-]")  # a Pandoc div's classes or id: "{.note}", "{#intro .aside}"
_DIRECTIVE_OPTION = re.compile(r"^:[\w-]+:.*$")
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.I | re.S)
_DETAILS_END = re.compile(r"</details\s*>", re.I)
DETAILS_LEVEL = 7  # below any Markdown heading: a <details> section's summary, closed with the block
BOLD_LEVEL = 8  # below those: a short line all in bold, written as a heading ("**Installation**")
QUESTION_LEVEL = 9  # below that: a FAQ's question in bold (or "Q: ...?") atop its answer
LABEL_LEVEL = 10  # below those: a paragraph that only labels the list right under it ("Bugfixes:")
_LABELLED = "qa-labelled"  # the class a reStructuredText list headed by its label is given while it is read
_FRONT_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.M)
# a heading's attributes (Pandoc, kramdown, MkDocs attr_list): "Install {#install}", "Math {.unnumbered}"
_HEADING_ATTRIBUTES = re.compile(r"\s*\{:?\s*[#.][^{}]*\}\s*$")
# an emoji's short code (":tada:", ":+1:"), shown as a picture by GitHub and MkDocs; not "10:30:45", "std::map"
_EMOJI_CODE = re.compile(r"\s*(?<![\w:]):(?=[a-z0-9_+-]*[a-z])[a-z0-9_+-]{2,}:(?![\w:])")

# The template languages of documentation sites, written into their Markdown sources (GitHub Pages' Jekyll
# with Liquid and kramdown, Hugo, MkDocs Material). Their tags say nothing to a reader of the rendered page;
# a highlight block is code, a comment block is not shown, a content tab's body is prose under its label.
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_IAL_LINE = re.compile(r"^[ \t]*\{:[^{}\n]*\}[ \t]*$")  # kramdown's {: .class } and {:toc}
_IAL_AFTER = re.compile(r"[ \t]*\{:[^{}\n]*\}[ \t]*$")
# MkDocs' attr_list without kramdown's colon, after a paragraph, a link or an icon: "{ .md-button }",
# "{ #install }", "{ width=300 }" (not code's braces: "{x}", "{ 'a': 1 }")
_ATTR = r"(?:[.#][\w-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}\"']+))"
_ATTR_LIST = re.compile(rf"[ \t]*\{{[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}")
# an abbreviation's definition (Python-Markdown's abbr, PHP Markdown Extra): "*[HTML]: Hyper Text Markup Language"
_ABBREVIATION = re.compile(r"^[ \t]*\*\[([^\]\n]+)\]:[ \t]*(\S.*)$")
# mkdocstrings' "::: package.module.Class" (API documentation made from docstrings when the site is built),
# with its indented options
_AUTODOC = re.compile(r"^([ \t]*):::[ \t]+[A-Za-z_]\w*(?:\.\w+)+[ \t]*$")
_TOC_LINE = re.compile(r"^[ \t]*(?:\[TOC\]|\[\[_?TOC_?\]\]|\[\[toc\]\])[ \t]*$", re.I)
_TOC_ITEM = re.compile(r"^[ \t]*(?:[*+-]|\d+\.)[ \t]+TOC[ \t]*$")  # kramdown's "1. TOC" above its {:toc}
_LIQUID = re.compile(r"\{%-?\s*(\w+)([^%]*?)-?%\}")
_HUGO = re.compile(r"\{\{[<%]\s*/?\s*([\w-]+)[^}]*?[>%]\}\}")
_CODE_SPAN = r"`+[^`]*`+"  # inline code
_INLINE_CODE = re.compile(f"({_CODE_SPAN})")
_TAGS_OR_CODE = re.compile(rf"({_CODE_SPAN}|\{{%-?.*?-?%\}}|\{{\{{[<%].*?[>%]\}}\}})")  # inline code keeps its tags
_TAB = re.compile(r"^([ \t]*)===[!+]?[ \t]+\"([^\"]*)\"[ \t]*$")
# Note-taking apps (Obsidian, Logseq, Foam): wiki links read as their text or alias, embeds and block ids
# are not text, a callout of any kind or with a title reads "Title: ..." (GitHub's five bare kinds are
# markdown-it's alerts), a task's box says whether it is done; MkDocs snippet lines are not text
_WIKI_EMBED = re.compile(r"!\[\[[^\]\n]*\]\]")
_WIKI_LINK = re.compile(r"\[\[([^\]|#\n]*)(?:#([^\]|\n]*))?(?:\|([^\]\n]*))?\]\]")
_BLOCK_ID = re.compile(r"[ \t]+\^[A-Za-z0-9-]+[ \t]*$")
_CALLOUT = re.compile(r"^([ \t]*>[ \t]*)\[!([A-Za-z-]+)\][+-]?[ \t]*(.*)$")
_GITHUB_ALERTS = frozenset("note tip important warning caution".split())
_TASK = re.compile(r"^([ \t]*(?:[-*+]|\d+[.)])[ \t]+)\[([ xX])\][ \t]+")
_SNIPPET = re.compile(r"^[ \t]*;?-{1,2}8<-{1,2}[ \t]")
# "#black" alone between blank lines: a heading to Python-Markdown (MkDocs), which needs no space after the
# marks, a paragraph to CommonMark; one tag of a notes app ("#meeting") heads its note as well. Not a line
# of several tags, a C preprocessor line or an issue's number
_UNSPACED_HEADING = re.compile(r"(#{1,6})([A-Za-z][\w .,'()/&+-]*)")
# Logseq: "key:: value" properties (each a unit, "owner: Ann Lee"; its own bookkeeping left out), block
# references ((uuid)), and a block's TODO/DONE marker
_PROPERTY = re.compile(r"^([ \t]*(?:[-*+][ \t]+)?)([a-z][a-z0-9_-]*)::(?:[ \t]+(.*))?$")  # not "std::vector"
_BOOKKEEPING = frozenset("id collapsed heading background-color filters public alias icon template".split())
_BLOCK_REF = re.compile(r"[ \t]*\(\([0-9a-f-]{36}\)\)")
_MARKERS = {
    "TODO": "To do", "LATER": "To do", "NOW": "Doing", "DOING": "Doing", "DONE": "Done", "WAITING": "Waiting",
    "CANCELED": "Cancelled", "CANCELLED": "Cancelled",
}  # fmt: skip
_MARKER = re.compile(rf"^([ \t]*[-*+][ \t]+)({'|'.join(_MARKERS)})[ \t]+")
_TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S)
_TOML_TITLE = re.compile(r"^title\s*=\s*(['\"])(.*?)\1\s*$", re.M)
# MDX (Docusaurus, Nextra; Docusaurus reads .md files as MDX too): its JavaScript module lines
_MDX_IMPORT = re.compile(r"^import\s+(?:[\w*{}\s,]+\s+from\s+)?['\"][^'\"]+['\"];?\s*$")
_MDX_IMPORT_OPEN = re.compile(r"^import\s+(?:\w+\s*,\s*)?\{[^}]*$")  # "import {" whose names go on
_MDX_EXPORT = re.compile(r"^export\s+(?:const|let|var|function|default|async\s+function)\b")


# an HTML element on a line of its own whose inside is Markdown (Python-Markdown's md_in_html, which MkDocs
# Material's pages use: `<figure markdown>` over a picture, `<div class="grid cards" markdown>` over a list,
# `<details markdown="1">`); CommonMark reads the lines after it as raw HTML up to a blank line
_MARKDOWN_IN_HTML = re.compile(
    r"\s{0,3}<(div|figure|details|section|article|aside|blockquote|p|span)\b[^<>]*?\smarkdown(?:=[\"']?\w*[\"']?)?"
    r"(?:\s[^<>]*)?>\s*$",
    re.I,
)


def _as_shown(source: str) -> str:
    """Markdown as the documentation site or the notes app renders it, before markdown-it reads it: kramdown
    attribute lines, table-of-contents markers, MkDocs snippet lines and MDX module lines out; Liquid and
    Hugo tags out (their text between stays), their highlight blocks made fences (code, left out), Liquid
    comments out; MkDocs content tabs (`=== "Linux"` over an indented body) made folded sections headed by
    their label, as a <details> is; Hugo's TOML front matter as YAML's; wiki links, callouts, block ids,
    block references, properties and task boxes and markers of note-taking apps as they show; "#black" alone
    between blank lines a heading, as MkDocs shows it; the inside of an HTML element marked `markdown`
    (`<figure markdown>`) apart from its tags by blank lines, so that it reads as Markdown. Fenced code is left
    as it is."""
    toml = _TOML_FRONT.match(source)
    if toml:  # Hugo's TOML front matter, as the YAML front matter markdown-it reads (only its title matters)
        named = _TOML_TITLE.search(toml.group(1))
        source = "---\n" + (f"title: {named.group(2)}\n" if named else "") + "---\n" + source[toml.end() :]
    out: list[str] = []
    lines = source.split("\n")
    fence = ""
    in_comment = False
    wrapped: list[str] = []  # the HTML elements open whose inside is Markdown (`_MARKDOWN_IN_HTML`), innermost last
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        opened = _FENCE_LINE.match(line)
        if fence:
            fence = "" if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) else fence
            out.append(line)
            continue
        if opened:
            fence = opened.group(1)
            out.append(line)
            continue
        if in_comment:
            in_comment = not re.search(r"\{%-?\s*endcomment\b", line)
            continue
        if _MDX_IMPORT.match(line) or _MDX_IMPORT_OPEN.match(line) or _MDX_EXPORT.match(line):
            i = _module_statement_end(lines, i - 1)
            continue
        autodoc = _AUTODOC.match(line)
        if autodoc:  # the line and its options, indented under it
            margin = len(autodoc.group(1).expandtabs(4))
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > margin):
                i += 1
            continue
        tab = _TAB.match(line)
        if tab:
            inside, body = len(tab.group(1).expandtabs(4)) + 4, []
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) >= inside):
                body.append(lines[i].expandtabs(4)[inside:])
                i += 1
            folded = _as_shown("\n".join(body))
            out += [f"<details><summary>{html.escape(tab.group(2))}</summary>", "", folded, "", "</details>", ""]
            continue
        opening = _MARKDOWN_IN_HTML.match(line)
        if opening:  # its inside is Markdown: a blank line ends the HTML block, as one before its end tag
            wrapped.append(opening.group(1).lower())
            out += [line, ""]
            continue
        if wrapped and "".join(line.split()).lower() == f"</{wrapped[-1]}>":
            out += ["", line]
            wrapped.pop()
            continue
        unspaced = _UNSPACED_HEADING.fullmatch(line.rstrip())
        if unspaced and not (out and out[-1].strip()) and (i >= len(lines) or not lines[i].strip()):
            line = f"{unspaced.group(1)} {unspaced.group(2)}"
        if "{%" in line or "{{" in line:
            line, in_comment = _template_tags(line)
        shown = _line_as_shown(line)
        if shown is None:
            if "{:toc" in line and out and _TOC_ITEM.match(out[-1]):  # it makes the list item above it the TOC
                out.pop()
            continue
        out.append(shown)
    return "\n".join(out)


def _line_as_shown(line: str) -> str | None:
    """One line of Markdown outside code as its site or notes app shows it; None for a line that shows nothing
    (kramdown attributes, table-of-contents markers, snippet lines, an outliner's bookkeeping)."""
    if _TOC_LINE.match(line) or _IAL_LINE.match(line) or _SNIPPET.match(line):
        return None
    original = line
    line = _outside_code(lambda part: _ATTR_LIST.sub("", part), _IAL_AFTER.sub("", line))
    if not line.strip() and original.strip():
        return None  # a line that only held attributes: "{ .annotate }"
    abbreviation = _ABBREVIATION.match(line)
    if abbreviation:  # a unit of its own, as a list item: "HTML: Hyper Text Markup Language"
        return f"- {abbreviation.group(1)}: {abbreviation.group(2)}"
    if "[[" in line:
        line = _WIKI_LINK.sub(lambda m: (m.group(3) or m.group(1) or m.group(2) or "").strip(), _WIKI_EMBED.sub("", line))
    callout = _CALLOUT.match(line)
    if callout and (callout.group(3) or callout.group(2).lower() not in _GITHUB_ALERTS):
        line = f"{callout.group(1)}{callout.group(3).strip() or callout.group(2).capitalize()}:"
    line = _TASK.sub(lambda m: f"{m.group(1)}{'To do' if m.group(2) == ' ' else 'Done'}: ", _BLOCK_ID.sub("", line))
    line = _MARKER.sub(lambda m: f"{m.group(1)}{_MARKERS[m.group(2)]}: ", _BLOCK_REF.sub("", line))
    prop = _PROPERTY.match(line)
    if prop is None:
        return line
    if prop.group(2) in _BOOKKEEPING or not (prop.group(3) or "").strip():
        return None
    return f"{prop.group(1) or '- '}{prop.group(2)}: {prop.group(3)}"  # a unit of its own, as a list item


def _outside_code(change: Callable[[str], str], line: str) -> str:
    """The line with `change` made to its text outside inline code ("`{ .x }`" stays as written)."""
    return "".join(part if k % 2 else change(part) for k, part in enumerate(_INLINE_CODE.split(line)))


def _module_statement_end(lines: list[str], first: int) -> int:
    """The index of the line after an MDX import or export that starts at `first`: an import's names may go
    on to a line with `from '...'`, an export's braces and brackets to where they close."""
    if lines[first].startswith("import"):
        end = first
        while not re.search(r"\bfrom\s+['\"]|^import\s+['\"]", lines[end]) and end + 1 < len(lines):
            end += 1
        return end + 1
    depth, end = 0, first
    while end < len(lines):
        depth += sum(lines[end].count(c) for c in "{([") - sum(lines[end].count(c) for c in "})]")
        end += 1
        if depth <= 0:
            break
    return end


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def _template_tags(line: str) -> tuple[str, bool]:
    """A line without its Liquid and Hugo tags (a highlight tag becomes a fence); True when a Liquid
    comment opens on it and does not close."""
    kept = []
    comment = False
    for piece in _TAGS_OR_CODE.split(line):
        liquid, hugo = _LIQUID.fullmatch(piece), _HUGO.fullmatch(piece)
        if comment:
            comment = not (liquid and liquid.group(1) == "endcomment")
        elif liquid:
            name = liquid.group(1)
            comment = name == "comment"
            if name in ("highlight", "endhighlight"):  # {% highlight bash %}: the fence's language
                return "```" + (liquid.group(2).split() + [""])[0] * (name == "highlight"), False
        elif hugo:
            if hugo.group(1) == "highlight":
                return "```", False
        else:
            kept.append(piece)
    return "".join(kept), comment


def _directive_prose(info: str, body: str, colon: bool = False) -> str | None:
    """The prose of a fenced MyST directive (```{note} ...), None when it is not prose. Version notes read
    as Sphinx renders them ("New in version 22.2: ..."). A colon fence without braces is a Docusaurus
    admonition or a VuePress container (`:::tip`, `::: warning Title`): its body is prose (code in it is
    fenced again, and left out), its title is not."""
    if colon and (not info.strip().startswith("{") or _PANDOC_ATTRIBUTES.match(info.strip())):
        return body.strip()  # a Docusaurus or VuePress container, a Pandoc div (`::: {.note}`)
    found = _DIRECTIVE.match(info.strip())
    if not found or found.group(1).lower() not in _PROSE_DIRECTIVES:
        return None
    name, argument = found.group(1).lower(), found.group(2).strip()
    lines = body.splitlines()
    while lines and _DIRECTIVE_OPTION.match(lines[0].strip()):  # ":class: tip" and the like
        lines.pop(0)
    text = "\n".join(lines).strip()
    if name == "glossary":
        return _glossary_definitions(text)
    if name in _VERSION_NOTES and argument:
        lead = f"{_VERSION_NOTES[name]} {argument}"
        return f"{lead}: {text}" if text else f"{lead}."
    return text


_CODE_DIRECTIVES = frozenset({"code-block", "sourcecode", "code"})


def _directive_code(info: str, body: str) -> tuple[str, str] | None:
    """A fenced MyST code block (```{code-block} python): its code, without its options (":linenos:"), and
    its language; None for any other directive."""
    found = _DIRECTIVE.match(info.strip())
    if not found or found.group(1).lower() not in _CODE_DIRECTIVES:
        return None
    lines = body.splitlines()
    while lines and _DIRECTIVE_OPTION.match(lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines), found.group(2).strip()


def _glossary_definitions(body: str) -> str:
    """A MyST glossary's body (terms at the margin, each over its indented definition, as Sphinx writes
    one) as a Markdown definition list, which reads each definition after its term ("dunder methods:
    "Dunder" is a contraction of ..."); terms written one over another share their definition."""
    out: list[str] = []
    terms: list[str] = []
    definition: list[str] = []

    def flush() -> None:
        if terms and any(line.strip() for line in definition):
            lines = textwrap.dedent("\n".join(definition)).strip("\n").splitlines()
            out.extend([", ".join(terms), "", ":   " + lines[0], *("    " + line if line.strip() else "" for line in lines[1:]), ""])
        elif terms:
            out.extend([", ".join(terms), ""])
        terms.clear()
        definition.clear()

    for line in body.splitlines():
        if line.strip() and not line[0].isspace():
            if any(d.strip() for d in definition):
                flush()
            terms.append(line.strip())
        else:
            definition.append(line)
    flush()
    return "\n".join(out)


def parse_markdown(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """Markdown: markup stripped with a real parser (markdown-it-py); the first heading is the title,
    headings separate paragraphs and are not sentences themselves; fenced and indented code blocks are left
    out (code is not prose: merged into sentences it matched questions by its identifiers). The dialects of
    documentation sites are read with mdit-py-plugins: YAML front matter (its `title` is the title, the rest
    is not text), admonitions (`!!! note`, `??? tip`: their body is prose, their title is not), MyST roles
    ({ref}`text <target>` reads "text") and MyST directives in backtick or colon fences, whose body is read
    when the directive is prose (_PROSE_DIRECTIVES) and left out otherwise."""
    source, encoding = decode(data)
    outline = Outline()
    title = read_markdown(source, outline)
    outline.name_entries()
    return make_document(path, data, outline.text(), title, encoding=encoding, **outline.fields())


def read_markdown(source: str, outline: Outline) -> str:
    """Markdown text into `outline` (its headings open sections), as `parse_markdown` reads it; returns the
    title it names (front matter, else the first heading), "" if none."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    md = MarkdownIt("commonmark", {"alerts": True}).enable("table")  # GitHub's > [!NOTE] alerts
    plugins = (front_matter_plugin, admon_plugin, colon_fence_plugin, myst_role_plugin, myst_block_plugin, footnote_plugin,
               deflist_plugin)  # fmt: skip
    for plugin in plugins:
        md.use(plugin)
    title = ""
    level = 0
    row: list[str] | None = None  # the cells of the table row being read
    header: list[str] | None = None
    in_head = False
    in_admonition_title = False
    in_alert_title = False
    in_term = False
    lead = ""  # read before the next paragraph: an alert's title ("Note"), a definition's term
    after_code = False  # the last token was a code block
    lists = 0  # the lists the token is in
    labelled: int | None = None  # how many lists a label's list is in, while it is read

    def words_of(token) -> str:
        return words_in(token.children or [])

    def words_in(children) -> str:
        parts = []
        for child in children:
            if child.type in {"softbreak", "hardbreak"}:
                parts.append(" ")
            elif child.type == "text":
                parts.append(_EMOJI_CODE.sub("", child.content))
            elif child.type == "code_inline":
                parts.append(child.content)
            elif child.type == "myst_role":  # {ref}`pinned installs <repeatable>`: the text, not the target
                parts.append(role_text(child.content, str((child.meta or {}).get("name", ""))))
        return "".join(parts)

    def read(tokens) -> None:
        nonlocal title, level, row, header, in_head, in_admonition_title, in_alert_title, in_term, lead, after_code
        nonlocal lists, labelled
        stream = _without_contents(tokens)
        for i, token in enumerate(stream):
            # a paragraph straight after a code block may go on with the sentence the block broke off
            code_before, after_code = after_code, after_code and token.type == "paragraph_open"
            lists += token.nesting if token.type in ("bullet_list_open", "bullet_list_close", "ordered_list_open",
                                                      "ordered_list_close") else 0  # fmt: skip
            if labelled is not None and lists == labelled and token.type.endswith("list_close"):
                outline.close(LABEL_LEVEL)  # the list its label headed ends
                labelled = None
            if token.type == "front_matter":
                found = _FRONT_TITLE.search(token.content)
                title = title or (found.group(1).strip("\"'") if found else "")
            elif token.type in ("fence", "colon_fence"):
                prose = _directive_prose(token.info, token.content, colon=token.type == "colon_fence")
                if prose:
                    read(md.parse(prose))
                elif token.type == "fence" and not token.info.strip().startswith("{"):
                    outline.shows(token.content, token.info)  # a short one after "Run:" ends that paragraph
                    after_code = True
                elif token.type == "fence" and (code := _directive_code(token.info, token.content)) is not None:
                    outline.shows(*code)  # ```{code-block} python
                    after_code = True
                else:
                    outline.left_out()  # ```{toctree}, ```{mermaid}: not prose
            elif token.type == "code_block":
                outline.shows(token.content)
                after_code = True
            elif token.type in ("alert_title_open", "alert_title_close"):  # GitHub shows its kind: "Note"
                in_alert_title = token.type == "alert_title_open"
            elif token.type == "footnote_block_open":  # the footnotes, at the end: under no heading
                outline.close()
            elif token.type in ("dt_open", "dt_close"):  # a definition list's term leads its definition
                in_term = token.type == "dt_open"
            elif token.type in ("admonition_title_open", "admonition_title_close"):
                in_admonition_title = token.type == "admonition_title_open"
            elif token.type == "heading_open":
                level = int(token.tag[1:])
            elif token.type == "heading_close":
                level = 0
            elif token.type == "table_open":
                header = None
            elif token.type in ("thead_open", "thead_close"):
                in_head = token.type == "thead_open"
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close" and row is not None:
                if in_head:
                    header = row
                elif header is not None and not any(name.strip() for name in header) and len(row) == 2:
                    if row[1].strip():  # an empty header over labels and values
                        outline.paragraph(pair_text(row), record=True)
                    # else a label whose value is pictures only (a README's "| CI/CD | ![CI](...) ![CD](...) |"
                    # badges): it says nothing
                else:
                    outline.paragraph(row_text(row, header), record=True)  # one unit, read with its column names
                row = None
            elif token.type == "html_block" and html_depth(token.content) <= HTML_MAX_DEPTH:
                # a README's centred title (<h1 align="center">), a tagline: read as a page's HTML is (badges,
                # pictures and comments say nothing); a <details> block's <summary> heads what it folds away
                from qa.ingest.formats.web import read_html

                content, summary = token.content, _SUMMARY.search(token.content)
                if summary is not None:
                    outline.heading(DETAILS_LEVEL, html.unescape(re.sub(r"<[^>]*>", "", summary.group(1))))
                    content = content[: summary.start()] + content[summary.end() :]
                named = read_html(content, outline)
                title = title or named
                if _DETAILS_END.search(content):
                    outline.close(DETAILS_LEVEL)
            elif token.type == "inline" and not in_admonition_title:
                words = words_of(token)
                if in_alert_title or in_term:
                    lead = " ".join(words.split()).rstrip(":")
                elif row is not None:
                    row.append(words)
                elif level:
                    words = _HEADING_ATTRIBUTES.sub("", words)
                    title = title or " ".join(words.split())
                    outline.heading(level, words)
                else:
                    atop = _heading_atop(token.children or [], words_in)
                    if atop is not None:  # it heads what follows, as a heading would
                        outline.heading(*atop[:2])
                        words = atop[2]
                    lines = _soft_lines(token.children or [], words_in) if atop is None and not lead else []
                    first = unmarked_list(lines)
                    if first is not None:  # a list written a line per item, without markers: item by item
                        for i, line in enumerate(lines):
                            outline.paragraph(line, record=i >= first)
                    elif code_before and not lead and _goes_on(token.children or []):
                        outline.goes_on(words)  # "into the terminal." after "type:" and its command
                    elif not lists and not lead and _only_code(token.children or []) and outline.leads_in():
                        outline.shows(words)  # "Install it with your package manager:" over "`pip install x`"
                    elif (
                        (not lists or _a_button(token.children or []))
                        and not lead
                        and (links := _only_links(token.children or [])) is not None
                    ):
                        # "GitHub | Documentation" under a package's heading: where they lead is what it says
                        if shown := links_shown(links):
                            outline.links(shown)
                        else:  # "(Full Changelog)", "[Install](#install)": nowhere outside the documents
                            outline.passed_over()
                    elif not lead and (label := _labels_list(words, stream[i + 1 : i + 3])):
                        _heads_list(outline, words, label)
                        labelled = lists
                    else:
                        outline.paragraph(f"{lead}: {words}" if lead else words)
                    lead = ""

    read(md.parse(_as_shown(source)))
    return title


def _labels_list(words: str, following: list) -> str | None:
    """The label a Markdown paragraph gives the list right after it ("Bugfixes:", "Requirements:"), without its
    colon (`paragraph_label`); None for any other paragraph."""
    if len(following) < 2 or following[0].type != "paragraph_close":
        return None
    return paragraph_label(words) if following[1].type in ("bullet_list_open", "ordered_list_open") else None


def _heads_list(outline: Outline, text: str, label: str) -> None:
    """A paragraph that labels the list after it heads that list's items ("Bugfixes:"), as a plain text's
    label does; a longer label says something of its own too ("It detects three kinds of error:"), and is
    read as a sentence before it heads them. The reader closes LABEL_LEVEL where the list ends."""
    if not only_names(label):
        outline.paragraph(text)
    outline.heading(LABEL_LEVEL, label)


_ANCHOR_OPEN = re.compile(r"<a\b", re.I)
_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.I)
_ANCHOR_HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def _only_code(children: list) -> bool:
    """A Markdown paragraph of one piece of inline code and nothing else ("`pip3 install isort`")."""
    shown = [child for child in children if not (child.type == "text" and not child.content.strip())]
    return len(shown) == 1 and shown[0].type == "code_inline"


def _a_button(children: list) -> bool:
    """Does a paragraph open with a link whose words open with an icon ("[:octicons-arrow-right-24: Configure
    builds](config/build.md)": an MkDocs Material card's button, in a list item)? In a list a paragraph of links
    is text as a rule (a list of projects); a button is not ("Configure builds" answered "How do I build it?")."""
    kinds = [c.type for c in children[:2]]
    return kinds == ["link_open", "text"] and _EMOJI_CODE.match(children[1].content) is not None


def _only_links(children: list) -> list[tuple[str, str]] | None:
    """A Markdown paragraph of links and separators only (`only_links`): its links, each (text, address);
    None for any other paragraph. Out of a list it is no text but where its links lead (read as text,
    "GitHub" under each package's heading of a project list was a unit)."""
    outside: list[str] = []  # the text between the links
    inner: list[str] = []  # the text of the link being read
    links: list[tuple[str, str]] = []
    href = ""
    depth = 0
    for child in children:
        opens = child.type == "link_open" or (child.type == "html_inline" and _ANCHOR_OPEN.match(child.content))
        closes = child.type == "link_close" or (child.type == "html_inline" and _ANCHOR_CLOSE.match(child.content))
        if opens:
            depth, inner = depth + 1, []
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
            else:
                found = _ANCHOR_HREF.search(child.content)
                href = html.unescape(found.group(2)) if found else ""
        elif closes and depth:
            depth -= 1
            links.append((" ".join(inner), href))
        elif child.type in ("text", "code_inline"):
            (inner if depth else outside).append(child.content)
        elif child.type not in ("softbreak", "hardbreak", "html_inline"):
            return None  # emphasis, a role, a picture: more than links
    return only_links(links, "".join(outside))


def _rst_links(paragraph) -> list[tuple[str, str]] | None:
    """A reStructuredText paragraph of links and separators only (`only_links`): its links, each (text,
    address); None for any other paragraph (a badge, a picture that links, is more than a link, as in
    Markdown)."""
    from docutils import nodes

    links: list[tuple[str, str]] = []
    between: list[str] = []
    for child in paragraph.children:
        if isinstance(child, nodes.reference) and not any(True for _ in child.findall(nodes.image)):
            links.append((child.astext(), str(child.get("refuri", ""))))
        elif isinstance(child, nodes.target):
            continue  # the name a `text <address>`_ link defines beside it
        elif isinstance(child, nodes.Text):
            between.append(child.astext())
        else:
            return None
    return only_links(links, "".join(between))


def _goes_on_from_literal(node) -> bool:
    """Does a reStructuredText paragraph come straight after a literal block and open with plain text that
    goes on with the sentence before it (`continues`)?"""
    from docutils import nodes

    parent = node.parent
    if parent is None or not len(node) or not isinstance(node[0], nodes.Text):
        return False
    i = parent.index(node)
    return i > 0 and isinstance(parent[i - 1], nodes.literal_block) and continues(node[0].astext())


def _goes_on(children: list) -> bool:
    """Does a paragraph (its inline tokens) open with plain text that goes on with the sentence before a code
    block (`continues`)? Not one opening with code."""
    return bool(children) and children[0].type == "text" and continues(children[0].content)


def _soft_lines(children: list, words_in) -> list[str]:
    """A paragraph's words line by line, as its source breaks them (soft line breaks), none empty."""
    lines: list[list] = []
    line: list = []
    for child in children:
        if child.type in {"softbreak", "hardbreak"}:
            lines.append(line)
            line = []
        else:
            line.append(child)
    found = [" ".join(words_in(part).split()) for part in [*lines, line]]
    return [text for text in found if text]


def _heading_atop(children: list, words_in) -> tuple[int, str, str] | None:
    """A paragraph's first line that is a heading by its look, atop the rest of the paragraph or alone in it
    before the next: a FAQ's question in bold ("**Can I sync to S3?**") or labelled ("Q: Can I sync to
    S3?"), or a short line all in bold or italics that is no sentence ("**Installation**", "*System*"). (its level, its text
    without a label, the words after it); None for a paragraph that does not open so."""
    # an icon before it (":material-hammer-wrench:", a card's title on an MkDocs Material page) is no word
    children = [c for c in children if c.type != "text" or _EMOJI_CODE.sub("", c.content).strip()]
    end = next((i for i, c in enumerate(children) if c.type in {"softbreak", "hardbreak"}), len(children))
    first = children[:end]
    emphasised = bool(first) and (first[0].type, first[-1].type) in {("strong_open", "strong_close"), ("em_open", "em_close")}
    opening = first[0].type if emphasised else "strong_open"
    if emphasised:
        first = first[1:-1]
    elif not (first and first[0].type == "text" and QUESTION_LABEL.match(first[0].content)):
        return None
    if any(c.type == opening for c in first):
        return None  # two bold or italic runs: "**Note:** this is **bold**", "*a* or *b*"
    line = " ".join(QUESTION_LABEL.sub("", words_in(first)).split())
    look = heading_by_look(line)
    if look == "question" or (look == "label" and emphasised):  # a labelled line is a question or nothing
        return QUESTION_LEVEL if look == "question" else BOLD_LEVEL, line, words_in(children[end + 1 :])
    return None


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub and most Markdown sites make it: "Install & Run" -> "install--run"."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _within_page(href: str, anchors: frozenset[str]) -> bool:
    """Does the link go to a heading of this page: "#install", or the page's own address with one of its
    headings' anchors ("https://github.com/ijl/orjson?tab=readme-ov-file#install", as a README is linked on
    its repository's page)?"""
    return href.startswith("#") or ("#" in href and href.rsplit("#", 1)[1].lower() in anchors)


def _links_within_page(token, anchors: frozenset[str]) -> bool:
    """Is this inline token nothing but links to the page's own anchors ("[Install](#install)")?"""
    children = token.children or []
    links = [c for c in children if c.type == "link_open"]
    if not links or not all(_within_page(str(c.attrs.get("href", "")), anchors) for c in links):
        return False
    depth = 0
    for child in children:
        depth += (child.type == "link_open") - (child.type == "link_close")
        if depth == 0 and child.type not in {"link_open", "link_close", "softbreak", "hardbreak"} and child.content.strip(" ,|·•-"):
            return False  # words outside a link: a sentence that links, not a contents entry
    return True


def _without_contents(tokens: list) -> list:
    """The tokens without a README's hand-made table of contents: a list whose every item is only links to
    the page's own headings (its entries repeat the headings, which are context already, and as sentences
    they said nothing)."""
    anchors = frozenset(
        _slug(tokens[k + 1].content) for k, t in enumerate(tokens[:-1]) if t.type == "heading_open"
    )
    out, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            end, depth = i, 0
            for end in range(i, len(tokens)):
                depth += tokens[end].nesting if tokens[end].type.endswith(("list_open", "list_close")) else 0
                if depth == 0:
                    break
            inlines = [t for t in tokens[i:end] if t.type == "inline"]
            if inlines and all(_links_within_page(t, anchors) for t in inlines):
                i = end + 1
                continue
        out.append(token)
        i += 1
    return out


def parse_ipynb(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """A Jupyter notebook (JSON, nbformat 4 or 3): its Markdown cells in order, each read as Markdown is, the
    headings of one cell heading the cells after it; a code cell is read as a Markdown code block (kept as
    code after the paragraph before it, `Outline.shows`), its outputs left out. The title is the metadata's,
    else the first heading."""
    import json

    notebook = json.loads(decode(data)[0])
    if not isinstance(notebook, dict):
        return Skipped(path, "not a Jupyter notebook (no cells)")
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3 keeps its cells in worksheets
        cells = [cell for sheet in notebook.get("worksheets") or [] for cell in sheet.get("cells") or []]
    if not isinstance(cells, list):
        return Skipped(path, "not a Jupyter notebook (no cells)")
    metadata = notebook.get("metadata")
    title = str(metadata.get("title") or "") if isinstance(metadata, dict) else ""
    outline = Outline()
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("markdown", "code"):
            continue
        source = cell.get("source") or ""
        text = "".join(str(line) for line in source) if isinstance(source, list) else str(source)
        if cell["cell_type"] == "code":
            outline.shows(text)
            continue
        named = read_markdown(text, outline)
        title = title or named
    return make_document(path, data, outline.text(), title, **outline.fields())


def parse_rst(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """reStructuredText (docutils): paragraphs, list items and table cells; section titles are not sentences
    (the first is the title); literal and code blocks, comments, raw content and the text of directives
    docutils does not know (`.. toctree::`, Sphinx's `autoclass`) are left out, code blocks but a short
    one or one a sentence leads into (`Outline.shows`); Sphinx's
    notes, tabs and object descriptions are read as Sphinx renders them ("Changed in version 7.1: ...",
    `_register_sphinx_directives`), and a definition's term before its definition (`_term_first`). File
    inclusion and raw passthrough are off: a document cannot make the parser read another file."""
    from docutils import nodes
    from docutils.core import publish_doctree

    _register_sphinx_directives()
    source, encoding = decode(data)
    settings = {
        "report_level": 5,  # nothing printed
        "halt_level": 5,  # nothing raised for markup errors: the text is what matters
        "file_insertion_enabled": False,
        "raw_enabled": False,
        "warning_stream": False,
        "input_encoding": "unicode",
    }
    try:
        tree = publish_doctree(source, settings_overrides=settings)
    except Exception:  # noqa: BLE001 - one of docutils' transforms failed on this file: read it as parsed
        tree = _parsed(source, settings)
    skip = (nodes.literal_block, nodes.doctest_block, nodes.comment, nodes.raw, nodes.system_message,
            nodes.substitution_definition, nodes.target)  # fmt: skip
    title = ""
    outline = Outline()

    def visit(node, depth: int) -> None:
        nonlocal title
        if isinstance(node, nodes.literal_block):
            outline.shows(node.astext())  # a short one after "Run::" ends that paragraph
            return
        if isinstance(node, nodes.system_message):
            outline.left_out()  # an unknown directive (`.. click:example::`, `.. literalinclude::`): left out
            return
        if isinstance(node, skip) or (isinstance(node, nodes.topic) and "contents" in node.get("classes", ())):
            # the table of contents `.. contents::` generates: the section titles again, as links. Read as text,
            # each title was a sentence, and a question a title repeats was answered with it, not its section
            return
        if isinstance(node, nodes.title):
            shown = " ".join(_rendered(node).split())  # ":mod:`json` -- ..." reads "json -- ..."
            title = title or shown
            if isinstance(node.parent, nodes.section | nodes.document):
                outline.heading(depth, shown)
            return
        if isinstance(node, nodes.paragraph) and not isinstance(node.parent, nodes.list_item):
            links = _rst_links(node)
            if links is not None and (shown := links_shown(links)):
                outline.links(shown)  # "`Documentation <https://...>`_ | `Source <https://...>`_": as in Markdown
                return
        if isinstance(node, nodes.paragraph | nodes.line):
            text = _rendered(node)
            following = node.next_node(descend=False, siblings=True)
            label = paragraph_label(text)
            if label and isinstance(following, nodes.bullet_list | nodes.enumerated_list):
                _heads_list(outline, text, label)
                following["classes"].append(_LABELLED)
                return
            outline.goes_on(text) if _goes_on_from_literal(node) else outline.paragraph(text)
            return
        if isinstance(node, nodes.table):
            head = [
                [_rendered(e) for e in r.findall(nodes.entry)]
                for h in node.findall(nodes.thead)
                for r in h.findall(nodes.row)
            ]
            body = [
                [_rendered(e) for e in r.findall(nodes.entry)]
                for b in node.findall(nodes.tbody)
                for r in b.findall(nodes.row)
            ]
            if is_data(head + body):
                for cells in body:
                    outline.paragraph(row_text(cells, head[-1] if head else None), record=True)
                return
            if head and is_data(head):
                # a table under a header row is data, however long a cell (a plugin list's summaries): each
                # row is read with its column names, a row with a long cell as a paragraph, split where its
                # sentences end; read cell by cell, "N/A" no longer said whose status it was
                for cells in body:
                    outline.paragraph(row_text(cells, head[-1]), record=is_data([cells]))
                return
            if not head and reads_as_pairs(body):
                # terms beside what they mean, with no header row (Flask's route parameters: `rule` beside "the
                # URL rule as string"): each term before its text (`table_units`); read cell by cell, "rule"
                # and "endpoint" were units of their own
                outline.table(body, header=False)
                return
        inner = depth + 1 if isinstance(node, nodes.section) else depth
        for child in node.children:
            if isinstance(child, nodes.Element):
                visit(child, inner)
        if isinstance(node, nodes.section):
            outline.close(inner)  # what follows a section held in a body (a tab) is not under its title
        elif _LABELLED in node.get("classes", ()):
            outline.close(LABEL_LEVEL)  # the list its label headed ends

    _default_roles(tree)
    _term_first(tree)
    _fields_named(tree)
    visit(tree, 0)
    outline.name_entries()
    return make_document(path, data, outline.text(), title, encoding=encoding, **outline.fields())


# Sphinx's builders and output formats, the tags an `.. only::` expression may test (builder_*, format_* too)
_BUILDERS = frozenset(
    "html dirhtml singlehtml epub latex man texinfo text xml pseudoxml json pickle gettext linkcheck changes".split()
)
_ONLY_TOKEN = re.compile(r"\s*(\(|\)|and\b|or\b|not\b|[\w-]+)")


def _for_html(expression: str) -> bool:
    """Does an `.. only::` expression hold for Sphinx's HTML build ("not latex", "html or epub")? One that
    names a tag other than a builder or a format (a project's own) holds: which the project sets is not known."""
    tokens = _ONLY_TOKEN.findall(expression)
    if not tokens or "".join(tokens) != "".join(expression.split()):
        return True  # not an expression this reads
    words = []
    for token in tokens:
        if token in ("(", ")", "and", "or", "not"):
            words.append(token)
            continue
        name = token.removeprefix("builder_").removeprefix("format_")
        if name not in _BUILDERS:
            return True
        words.append(str(name in ("html", "dirhtml", "singlehtml")))  # the HTML builders' tags
    try:
        return _truth(ast.parse(" ".join(words), mode="eval").body)
    except (SyntaxError, ValueError):
        return True


def _truth(node: ast.expr) -> bool:
    """The value of an expression of True, False, and, or, not (ValueError for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _truth(node.operand)
    if isinstance(node, ast.BoolOp):
        values = [_truth(value) for value in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    raise ValueError("not a boolean expression")


def _parsed(source: str, settings: dict):
    """The document tree as docutils parses it, before its transforms: one of them can fail on a file that
    parses (a substitution whose definition lives in an included file: "KeyError: 'json'" from psycopg2's
    docs), and the text does not need them (a reference reads as its name, a footnote as its label)."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    parser = Parser()
    options = get_default_settings(parser)
    for name, value in settings.items():
        setattr(options, name, value)
    tree = new_document("<rst>", options)
    parser.parse(source, tree)
    return tree


def _default_roles(tree) -> None:
    """Text in single backquotes with no role named (`~psycopg2.connect`) takes the document's default
    role, in Sphinx projects often a Python object's: a dotted name after "~" reads as its last name
    ("connect"), one after "!" as itself. A substitution defined outside the file (Sphinx's `rst_epilog`:
    "|Quantity|") reads as its name."""
    from docutils import nodes

    for node in list(tree.findall(nodes.title_reference)) + list(tree.findall(nodes.problematic)):
        text = node.astext()
        shown = text[1:-1] if isinstance(node, nodes.problematic) and _SUBSTITUTION.fullmatch(text) else None
        if isinstance(node, nodes.title_reference) and (named := _OBJECT_NAME.fullmatch(text)):
            shown = named.group(2) if text.startswith("~") else text[1:]
        if shown is not None and len(node.children) == 1 and isinstance(node.children[0], nodes.Text):
            node.replace(node.children[0], nodes.Text(shown))


# `~lamps.cursor.DictCursor`, `!connect()`: a Python name, shown by its last part or as written
_OBJECT_NAME = re.compile(r"[~!]((?:\w+\.)*)(\w+(?:\(\))?)")
_SUBSTITUTION = re.compile(r"\|[\w .-]+\|")


def _term_first(tree) -> None:
    """A definition list's term ("context") and an option list's options ("-v, --verbose") are not paragraphs,
    and would be lost: each is written before the first paragraph of what it defines ("context: The state of
    one invocation.")."""
    from docutils import nodes

    for item in list(tree.findall(nodes.definition_list_item)) + list(tree.findall(nodes.option_list_item)):
        named = [child for child in item.children if isinstance(child, nodes.term | nodes.option_group)]
        if named:
            _lead(item, ", ".join(" ".join(_rendered(n).split()) for n in named))


def _fields_named(tree) -> None:
    """A field's body is read after its name, as Sphinx shows it (`_field_label`), and the document's
    bibliographic fields, which docutils takes out of the text into its docinfo, are paragraphs again; a field
    that says nothing to a reader (an unexpanded version-control keyword, a build setting) is left out."""
    from docutils import nodes

    for field in list(tree.findall(nodes.field)):  # ":wick: the length of the wick" reads "wick: the length ..."
        named = [child for child in field.children if isinstance(child, nodes.field_name)]
        body = " ".join(" ".join(_rendered(c).split()) for c in field.children if isinstance(c, nodes.field_body))
        name = " ".join(_rendered(named[0]).split()) if named else ""
        if _KEYWORD_ONLY.fullmatch(body) or name.lower() in _SPHINX_METADATA:
            # ":Date: $LastChangedDate$", a keyword never expanded, and ":tocdepth: 2" say nothing to a reader
            field.parent.remove(field)
        elif name:
            _lead(field, _field_label(name))
    for info in list(tree.findall(nodes.docinfo)):
        # the document's bibliographic fields (":Author: Ann Lee", ":Version: 1.2"), which docutils takes out
        # of the text: each a paragraph of its own, read with its name
        lines = []
        for child in info.children:
            if isinstance(child, nodes.field):
                continue  # a field of another name: led by its name above, read where it stands
            value = " ".join(_rendered(child).split())
            if value and not _KEYWORD_ONLY.fullmatch(value):
                lines.append(nodes.paragraph(text=f"{child.tagname.capitalize()}: {value}"))
        info.replace_self([*lines, *(c for c in info.children if isinstance(c, nodes.field))])


# a version control keyword never expanded ("$LastChangedDate$", "$Date$"): no value
_KEYWORD_ONLY = re.compile(r"\$[A-Za-z]+\$")
# the fields atop a file that set how Sphinx builds it, not text
_SPHINX_METADATA = frozenset("tocdepth orphan nocomments nosearch no-search".split())
# Sphinx's info fields (":param str name:", ":rtype:", ":raises ValueError:") and what its HTML calls them
_INFO_FIELD = re.compile(r"(param|parameter|arg|argument|key|keyword|kwarg|type|var|ivar|cvar|raises?|except|exception)\b\s*(.*)")
_INFO_NAMES = {"returns": "Returns", "return": "Returns", "rtype": "Return type", "yields": "Yields", "yield": "Yields"}


def _field_label(name: str) -> str:
    """A field's name as Sphinx shows it: "param str database" -> "Parameter database (str)", "type
    database" -> "Type of database", "rtype" -> "Return type", "raises ValueError" -> "Raises ValueError";
    any other name as it is."""
    if name in _INFO_NAMES:
        return _INFO_NAMES[name]
    info = _INFO_FIELD.fullmatch(name)
    if info is None or not info.group(2):
        return name
    kind, words = info.group(1), info.group(2).split()
    if kind.startswith(("rais", "except")):
        return f"Raises {' '.join(words)}"
    if kind == "type":
        return f"Type of {' '.join(words)}"
    if kind in ("var", "ivar", "cvar"):
        return f"Variable {' '.join(words)}"
    return f"Parameter {words[-1]}" + (f" ({' '.join(words[:-1])})" if len(words) > 1 else "")


def _lead(node, label: str) -> bool:
    """Write "label: " before the first paragraph inside a docutils node; False when it holds none."""
    from docutils import nodes

    first = next(iter(node.findall(nodes.paragraph)), None)
    if first is not None:
        first.insert(0, nodes.Text(f"{label}: "))
    return first is not None


_SPHINX_NOTES = {**_VERSION_NOTES, "seealso": "See also"}
# containers whose body is prose: Sphinx's, sphinx-design's grids, a changelog entry of the SQLAlchemy family's
# changelog extension (`.. change::` under `.. changelog::`, `Changelog`), a theme's `.. div::`
_SPHINX_BODIES = ("tabs", "tab-set", "glossary", "hlist", "rst-class", "grid", "grid-item", "change", "div")
_OBJECTS = "function class method attribute data exception decorator".split()
_SPHINX_LABELLED = (
    "tab", "group-tab", "tab-item", "option", "envvar", "confval", "describe", "object", "dropdown",
    *_OBJECTS, *(f"py:{name}" for name in _OBJECTS),
)  # fmt: skip
_CARDS = ("card", "grid-item-card")  # labelled by their header (`Card`)


@cache  # once a process: docutils keeps its directives in one registry
def _register_sphinx_directives() -> None:
    """Teach docutils the Sphinx directives whose text it would drop as an unknown directive's: notes,
    `.. versionchanged:: 7.1` over an indented body reading "Changed in version 7.1: <body>" (as the Markdown
    reader reads MyST's) and `.. seealso::` "See also: <body>"; containers whose body is prose (tabs, `only`,
    a glossary); and labelled blocks, a tab (sphinx-tabs, sphinx-design) or an object's description
    (`.. function::`, `.. option::`, `.. envvar::` ...), a sphinx-design card or a changelog's version
    (`.. changelog::` of the SQLAlchemy family), read as a section headed by the label. Code tabs,
    `toctree`, `autoclass` and the like stay unknown, and out. (`class` is Sphinx's, a Python
    class, not docutils' class attribute.) Code blocks (`code-block`, `sourcecode`, `code`) are literal
    blocks."""
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives

    class Note(Directive):
        has_content = True
        optional_arguments = 2  # the version, and text on the directive's own lines
        final_argument_whitespace = True

        def run(self) -> list:
            lead, words = _SPHINX_NOTES[self.name], list(self.arguments)
            if self.name != "seealso" and words:
                lead = f"{lead} {words.pop(0)}"
            box = nodes.container()
            if words:
                inline, _ = self.state.inline_text(" ".join(" ".join(words).split()), self.lineno)
                box += nodes.paragraph("", "", *inline)
            self.state.nested_parse(self.content, self.content_offset, box)
            return [box] if _lead(box, lead) else [nodes.paragraph(text=f"{lead}.")]

    class AnyOption(dict):
        """Every option accepted as text (`:tags: bug`, `:sync: key`): not read as the body's first lines."""

        def __missing__(self, name: str):
            return directives.unchanged

    options = AnyOption({"class": directives.class_option})  # not empty: docutils parses options only then

    class Body(Directive):
        """`.. tabs::`, `.. only:: html`, `.. glossary::`: their body is read where they stand."""

        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = options

        def run(self) -> list:
            box = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, box)
            return [box]

    class Code(Directive):
        """`.. code-block:: python`, `.. sourcecode::`, `.. code::`: a literal block, as "::" makes one (shown
        at the end of a sentence leading into it, or kept as code after it), whatever its language."""

        has_content = True
        optional_arguments = 1
        option_spec = options

        def run(self) -> list:
            text = "\n".join(self.content)
            return [nodes.literal_block(text, text)]

    class Only(Body):
        """`.. only:: not latex`: its body where it stands when the expression holds for an HTML build, as the
        site shows it; nothing when it does not (`.. only:: latex`: the PDF's version of the same text)."""

        def run(self) -> list:
            return super().run() if _for_html(self.arguments[0] if self.arguments else "") else []

    class Labelled(Directive):
        """`.. group-tab:: Bash`, `.. function:: getchar(echo=False)`, `.. option:: --verbose`: a section
        headed by its label (a tab's name, an object's signature) holding its body."""

        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = options
        arguments: list[str]
        content: Any  # docutils' StringList

        def label(self) -> str:
            return self.arguments[0] if self.arguments else ""

        def run(self) -> list:
            label = " ".join(self.label().split())
            # a section needs a title (docutils' transforms fail on one without: astropy's `.. changelog::`
            # naming only its towncrier options); with no label, the body is read where it stands
            section = nodes.section() if label else nodes.container()
            if label:
                # an id, as a section docutils makes has: `.. contents::` and `.. sectnum::` link to it
                self.state.document.set_id(section)
                section += nodes.title(text=label)
            self.state.nested_parse(self.content, self.content_offset, section)
            return [section]

    class Changelog(Labelled):
        """`.. changelog::` (the SQLAlchemy family's): a section headed by its `:version:` and `:released:`."""

        def label(self) -> str:
            version, released = self.options.get("version", ""), self.options.get("released", "")
            return f"{version} ({released})" if version and released else version or released

    class Card(Labelled):
        """A sphinx-design card: its header (before a `^^^` line) is its label when it has none; its footer
        (after `+++`, a button's link) is left out."""

        def run(self) -> list:
            lines = [line.strip() for line in self.content]
            if "+++" in lines:
                lines = lines[: lines.index("+++")]
                self.content = self.content[: len(lines)]
            if "^^^" in lines:
                cut = lines.index("^^^")
                header = " ".join(line for line in lines[:cut] if line)
                if not self.arguments and header:
                    self.arguments = [header]
                self.content = self.content[cut + 1 :]
                self.content_offset += cut + 1
            return super().run()

    for name in _SPHINX_NOTES:
        directives.register_directive(name, Note)
    for name in _SPHINX_BODIES:
        directives.register_directive(name, Body)
    directives.register_directive("only", Only)
    for name in _SPHINX_LABELLED:
        directives.register_directive(name, Labelled)
    for name in _CARDS:
        directives.register_directive(name, Card)
    directives.register_directive("changelog", Changelog)
    for name in ("code-block", "sourcecode", "code"):
        directives.register_directive(name, Code)


# An interpreted-text role docutils does not know (Sphinx's :func:`echo`, :ref:`title <target>`) is left as
# its markup; a reader sees what it renders as: the title, or the name (~a.b.c renders as c).
_ROLE = re.compile(r":((?:[\w.+-]+:)+)`([^`]+)`")
# sphinx-design's and Font Awesome's icons (:octicon:`heart;1em;sd-text-info`): a picture, no text
_ICON_ROLE = re.compile(r"octicon|fa[a-z]?|fa-[a-z]+|material-[a-z]+|icon", re.I)
# sphinx-issues' and similar roles naming an issue or a pull request by number (:issue:`2558`, :pr:`12, 13`)
_ISSUE_ROLE = re.compile(r"issues?|pr|pull|bug|gh(?:issue|pull)?", re.I)
_ISSUE_NUMBERS = re.compile(r"#?\d+(?:[\s,]+#?\d+)*")
_PYTHON_ROLE = re.compile(r"(?:py:)?(?:class|func|meth|attr|obj|exc|data|const|mod|paramref)")
# roles that name a function or a method, which Sphinx renders with "()" after the name (its default
# add_function_parentheses): "the :func:`getchar` function" reads "the getchar() function"
_CALLABLE_ROLE = re.compile(r"(?:py:|c:|cpp:)?(?:func|meth)")


def _rendered(node) -> str:
    """A docutils node's text with the roles docutils left as markup read as they render; the reports
    docutils leaves inside it (a table cell's 'Unknown interpreted text role "pypi".') are not its text."""
    from docutils import nodes

    if next(iter(node.findall(nodes.system_message, include_self=False)), None) is not None:
        node = node.deepcopy()
        for message in list(node.findall(nodes.system_message, include_self=False)):
            message.parent.remove(message)
    return _ROLE.sub(_role_text, node.astext())


def _role_text(match: re.Match) -> str:
    return role_text(match.group(2), match.group(1).rstrip(":").rsplit(":", 1)[-1])


def role_text(inner: str, name: str = "") -> str:
    """A role's text as Sphinx renders it, in reStructuredText and MyST alike: "pinned installs" for
    `pinned installs <repeatable>`, "define" for `~attrs.define` (the tilde shows the last name only);
    nothing for an icon (`name` the role's name)."""
    if _ICON_ROLE.fullmatch(name):
        return ""
    inner = inner.strip()
    if name.lower() in ("pep", "rfc") and (number := re.match(r"\d+", inner)):
        return f"{name.upper()} {number.group(0)}"  # {pep}`526` reads "PEP 526", as docutils renders :pep:
    if _ISSUE_ROLE.fullmatch(name) and _ISSUE_NUMBERS.fullmatch(inner):
        # sphinx-issues' :issue:`2558` renders "#2558": a changelog entry's reference, no unit of its own
        # (as a bare "2558" it was one, ranked under its release's heading path)
        return ", ".join("#" + n.lstrip("#") for n in re.split(r"[\s,]+", inner) if n)
    titled = False
    if inner.endswith(">") and "<" in inner:
        title = inner[: inner.rindex("<")].strip()
        titled, inner = bool(title), title or inner[inner.rindex("<") + 1 : -1]
    if inner.startswith("~"):
        inner = inner[1:].rsplit(".", 1)[-1]
    elif inner.startswith(".") and _PYTHON_ROLE.fullmatch(name):
        inner = inner[1:]  # `.Operations`: a name searched for, shown without its dot
    inner = inner.lstrip("!")
    if _CALLABLE_ROLE.fullmatch(name) and not titled and not inner.endswith(")"):
        inner += "()"  # Sphinx writes a function's or a method's name as a call: "getchar()"; a title as written
    return inner
