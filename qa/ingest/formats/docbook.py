"""DocBook XML (`.xml`, `.docbook`, `.dbk`: the sources of many Linux projects' manuals and specifications,
freedesktop.org's, X.Org's, GNOME's), read as the HTML page it becomes.

Its elements are renamed to HTML's and the page read by the HTML reader: a chapter's, section's or
article's title is a heading at the section's depth, `<para>` a paragraph, a `<variablelist>`'s term before
its definition, a table row by row, `<programlisting>` code (left out, as a page's `<pre>`), a manual page
in DocBook (`<refentry>`) its name and purpose; of the front matter (`<bookinfo>`, `<info>`) only the title
is read. Entities the file declares itself (`<!ENTITY version "0.21">`) are replaced by their values. An
XML file that is not DocBook (data, configuration, a signature) is not read."""

from __future__ import annotations

import html
import re

from qa.ingest.formats.common import ReadRules, Skipped, decode, manual_page_name, read_xml
from qa.types import Document

# its DOCTYPE names DocBook's DTD, or its root element DocBook 5's namespace
_DOCBOOK = re.compile(r"DTD DocBook|docbookx?\.dtd|docbook\.org/ns/docbook", re.I)
_HEAD = 8192  # where the DOCTYPE or the root element stands
_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.S)
_ENTITY = re.compile(r"<!ENTITY\s+([\w.-]+)\s+(['\"])([^'\"<&%]*)\2\s*>")
_SECTIONS = frozenset(
    "book part chapter appendix preface article section sect1 sect2 sect3 sect4 sect5 simplesect refentry "
    "refsect1 refsect2 refsect3 refsection reference glossary bibliography colophon partintro".split()
)
_FRONT_MATTER = frozenset(
    "bookinfo articleinfo chapterinfo sectioninfo sect1info sect2info sect3info refentryinfo info refmeta "
    "prefaceinfo appendixinfo partinfo".split()
)
_DROPPED = frozenset("indexterm remark index toc lot comment".split())
_RENAMED = {
    "para": "p", "simpara": "p", "formalpara": "p", "programlisting": "pre", "screen": "pre", "synopsis": "pre",
    "literallayout": "pre", "funcsynopsis": "pre", "cmdsynopsis": "p", "itemizedlist": "ul", "orderedlist": "ol",
    "simplelist": "ul", "member": "li", "variablelist": "dl", "term": "dt", "ulink": "a", "link": "a",
    "emphasis": "em", "row": "tr", "entry": "td", "note": "div", "warning": "div", "tip": "div",
    "important": "div", "caution": "div", "blockquote": "blockquote", "footnote": "span", "refnamediv": "p",
    "refsynopsisdiv": "div", "example": "div", "informalexample": "div", "figure": "div", "table": "table",
    "informaltable": "table", "tgroup": "tbody", "thead": "thead", "tbody": "tbody", "qandaset": "dl",
    "question": "dt", "answer": "dd",
}  # fmt: skip


def is_docbook(text: str) -> bool:
    """Does the XML say it is DocBook (its DOCTYPE, or DocBook 5's namespace)?"""
    return _DOCBOOK.search(text, 0, _HEAD) is not None


def _manual_page(tag) -> str:
    """The manual page a `<refmeta>` or `<citerefentry>` names: `<refentrytitle>ls</refentrytitle>
    <manvolnum>1</manvolnum>` is "ls(1)"."""
    name, volume = tag.find("refentrytitle"), tag.find("manvolnum")
    return manual_page_name(name.get_text(strip=True) if name else "", volume.get_text(strip=True) if volume else "")


def to_html(text: str) -> str:
    """The DocBook document as an HTML page of the same text and structure."""
    doctype = _DOCTYPE.search(text, 0, _HEAD)
    declared = doctype.group(0) if doctype else ""
    entities = {name: value for name, _, value in _ENTITY.findall(declared)}
    body = text[doctype.end() :] if doctype else text  # its internal subset ("[ <!ENTITY ...> ]") is no text
    body = re.sub(r"&([\w.-]+);", lambda m: entities.get(m.group(1), m.group(0)), body)
    soup = read_xml(body)
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    refmeta = soup.find("refmeta")  # a manual page's name and section: its title, "xmlwf(1)"
    title = _manual_page(refmeta) if refmeta is not None else ""
    for tag in soup.find_all(_FRONT_MATTER):
        found = tag.find("title")
        if found is not None and not title:
            title = found.get_text(" ", strip=True)
        kept = found.extract() if found is not None else None
        tag.clear()
        if kept is not None and tag.parent is not None and tag.parent.name in _SECTIONS:
            tag.replace_with(kept)  # the front matter's title is its section's
        else:
            tag.decompose()
    for tag in soup.find_all("citerefentry"):  # a reference to a manual page: "ls(1)"
        tag.replace_with(_manual_page(tag))
    for tag in soup.find_all("refnamediv"):  # a manual page's "ls - list directory contents"
        names = ", ".join(n.get_text(" ", strip=True) for n in tag.find_all("refname"))
        purpose = tag.find("refpurpose")
        tag.clear()
        tag.append(f"{names} - {purpose.get_text(' ', strip=True)}" if purpose is not None else names)
    for tag in soup.find_all("varlistentry"):
        for item in tag.find_all("listitem", recursive=False):
            item.name = "dd"
        tag.unwrap()
    for tag in soup.find_all("title"):  # a section's title: a heading at its depth; another's a paragraph
        parent = tag.parent
        depth = sum(1 for p in tag.parents if p.name in _SECTIONS) if parent is not None and parent.name in _SECTIONS else 0
        tag.name = f"h{min(depth, 6)}" if depth else "p"
    for tag in soup.find_all(True):
        if tag.name in _SECTIONS:
            tag.name = "section"
        elif tag.name == "listitem":
            tag.name = "li"
        elif tag.name in _RENAMED:
            renamed = _RENAMED[tag.name]
            if renamed == "a" and tag.get("url"):
                tag["href"] = tag["url"]
            if renamed == "td" and tag.find_parent("thead") is not None:
                renamed = "th"
            tag.name = renamed
    heading = f"<title>{html.escape(title)}</title>" if title else ""
    return f"<html><head>{heading}</head><body>{soup}</body></html>"


def parse_docbook(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """DocBook XML -> the Document its HTML page reads as; any other XML is skipped."""
    from qa.ingest.formats.web import html_page

    text, encoding = decode(data)
    if not is_docbook(text):
        return Skipped(path, "XML that is not DocBook (data, not a document)")
    return html_page(path, data, to_html(text), encoding)
