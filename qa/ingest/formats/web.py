"""HTML pages (BeautifulSoup) and EPUB books, whose chapters are HTML pages."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from qa.ingest.formats.common import (
    HEADING_SEPARATOR,
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
    metadata_title,
    names_in_bold,
    only_links,
    pair_text,
    prepared,
    read_xml,
    reads_as_pairs,
    row_text,
    under_title,
)
from qa.ingest.formats.text import (
    GUTENBERG_END,
    GUTENBERG_START,
    GUTENBERG_TITLE,
    heading_by_look,
    only_names,
    paragraph_label,
    parse_document,
    runs_on,
    writers_breaks,
)
from qa.types import Document

if TYPE_CHECKING:
    from bs4 import PageElement, Tag

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
    "button",
    "select",
    "head",
    "pre",  # code blocks: not prose
)
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "main",
    "blockquote",
    "dt",
    "dd",
    "figcaption",
    "table",
    "hr",
)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CONTENTS = re.compile(
    r"^(?:toc|toctree.*|table-of-contents|contents|nav(?:header|footer|bar|igation)?|breadcrumbs?|menu)$"
    r"|^\w+[-_]breadcrumbs?$"  # rustdoc's "rustdoc-breadcrumbs" ("std::vec" over every page)
    r"|^(?:section|mini|page|side)[-_]?toc$"  # GNU Texinfo's "section-toc" and "mini-toc", and the like
    r"|^(?:gen|mod)?indextable$"  # Sphinx's general and module indexes: every name again, as links
    r"|^list-of-(?:tables|figures|examples|equations|procedures)$",  # DocBook's lists of captions
    re.I,
)
# a version and a link to the source beside an item's heading: "1.0.0 · Source", "1.0.0 (const: 1.39.0) · Source"
# (rustdoc, every item and method); the link alone is a control (`_CONTROL_LINK`)
_SOURCE_STAMP = re.compile(r"\d+(?:\.\d+)+(?:\s*\(const:[^()]*\))?\s*·\s*Source")
# a documentation site's link to the page's source: "Edit on GitHub" (Read the Docs, MkDocs), "Show Source"
_SOURCE_LINK = re.compile(
    r"edit (?:on \w+|this page)|view (?:page )?source|show source|suggest an edit|\[(?:source|src|edit(?: source)?)\]", re.I
)  # ... or a bracketed "[source]" (Sphinx's viewcode), "[src]" (Node.js), "[edit]"


# a fold's label that says only how to open it (Rust's documentation folds each item's text under "Expand
# description")
_TOGGLE = re.compile(
    r"(?:click (?:here )?to )?(?:expand|collapse|show|hide|toggle|read|see|view)(?: (?:more|less|all|details|description))?"
    r"|details|more|read more",
    re.I,
)


# the mark of a note after a word, as a wiki writes it: "[1]", "[2][3]", "[a]", "[citation needed]"
_NOTE_MARK = re.compile(r"(?:\[[^\[\]]{1,30}\])+")


# ARIA landmarks that are what <nav>, <header>, <footer>, <aside> and a search form are
_LANDMARKS = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))


def _role(tag) -> str:
    return str(tag.get("role") or "").strip().lower()


def _is_landmark(tag) -> bool:
    return _role(tag) in _LANDMARKS


# what a page lays over or beside its text: cookie and consent notices, newsletter sign-ups, share buttons, ads;
# a footer written as a <div> (AsciiDoc's "Last updated 2024-05-31 00:35:55 UTC" under every git manual page), as <footer> is;
# a post's tag list, vote count and author's card (a Q&A site, a forum, a blog: "python", "7113", "Mateen Ulhaq 52.3k")
_CLUTTER = re.compile(
    r"(?:^|[-_])(?:cookies?|consent|gdpr|newsletter|subscribe|social|share|sharing|popup|modal|advert(?:isement)?|"
    r"sponsor(?:ed)?|footer|noprint|no-print|print-none|dropdown|catlinks|"
    r"tags|post-?tag(?:s|list)?|tag-?(?:list|links|cloud)|tagcloud|votes?|vote-?count|votecell|voting|"
    r"user-(?:info|card|details)|post-(?:signature|menu)|reactions)(?:$|[-_])",
    re.I,
)
# a post's controls written as links: "Share", "Improve this answer", "Add a comment" (a Q&A site), "Reply" (a
# blog's comments), "Source" beside an item's heading (rustdoc); left out where they stand apart from the text
# (`_stands_apart`)
_CONTROL_LINK = re.compile(
    r"share|follow|unfollow|flag|report|reply|edit|delete|permalink|source|"
    r"(?:add|post|leave) a (?:comment|reply)|improve this (?:question|answer|post)|"
    r"(?:show|load|view|see) (?:\d+ )?more(?: comments?| replies| answers)?|(?:log|sign) in to (?:reply|comment)",
    re.I,
)
CLUTTER_CHARS = 500  # clutter is short: a longer element holds text, whatever its class says


def _is_clutter(tag) -> bool:
    """A dialog (a cookie notice is one) or an element whose class or id names clutter, with little text."""
    named = _role(tag) in ("dialog", "alertdialog") or str(tag.get("aria-modal") or "").lower() == "true"
    named = named or any(_CLUTTER.search(name) for name in [*(tag.get("class") or []), tag.get("id") or ""])
    return named and len(tag.get_text(" ", strip=True)) <= CLUTTER_CHARS


def _is_main(tag) -> bool:
    return _role(tag) == "main"


# a link that only says there is more: "Read more" after a trait method's summary (rustdoc), a blog's "Continue
# reading →"; left out where it ends its element (`_ends_its_element`), not where a sentence goes on after it
_MORE_LINK = re.compile(r"(?:read|learn|see) more|continue reading", re.I)


def _ends_its_element(tag) -> bool:
    return not any(
        (sibling.get_text() if hasattr(sibling, "get_text") else str(sibling)).strip() for sibling in tag.next_siblings
    )


def _stands_apart(tag) -> bool:
    """No words beside it in its element, and not a list's item nor a heading's words: a control in a row of
    controls, not a link in a sentence ("please <a>report</a> it"), in a list of pages or sections (Node.js'
    "Report", npm's "edit") or naming a section (`<h3><a href="#delete">delete</a></h3>`, a command's)."""
    parent = tag.parent
    if tag.find_parent(_HEADINGS) is not None:
        return False
    return parent is None or (
        parent.name != "li" and not any(str(text).strip() for text in parent.find_all(string=True, recursive=False))
    )


_HIDDEN = re.compile(r"display\s*:\s*none", re.I)


def _is_hidden_data(tag) -> bool:
    """An element a page hides that holds a value for machines (schema.org microdata's `itemprop`): a count or a
    date repeated for search engines, no text a reader sees. (Hidden elements without it are kept: a page's
    tabs and folds hide text a reader opens.)"""
    return tag.has_attr("itemprop") and bool(_HIDDEN.search(str(tag.get("style") or "")))


def _is_permalink(tag) -> bool:
    """A link whose text is one or two signs and no word: a heading's permalink ("#", "¶", "§")."""
    text = tag.get_text(strip=True)
    return 0 < len(text) <= 2 and not any(c.isalnum() for c in text)


# the words of a page's links to its neighbours (GNU Texinfo's "Next: Memory Usage, Previous: Introduction, Up:
# libffi [Index]", older manuals' "Prev | Home | Next")
_NAVIGATION = re.compile(r"\b(?:next|previous|prev|up|home|top|contents|index)\b", re.I)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


_CONTENTS_HEADING = re.compile(r"(?:table of )?contents|on this page|in this (?:section|article|chapter)", re.I)


def _is_navigation(tag) -> bool:
    """A list right under a heading that says it is the contents ("Table of Contents"), or a paragraph of
    links to the page's neighbours with only their labels between them. (A list of links alone is not
    enough: manuals link every item of a list of errors, examples or functions to its section.)"""
    if tag.name in ("ul", "ol", "dl"):
        before = tag.find_previous_sibling(True)
        return before is not None and before.name in _HEADINGS and bool(
            _CONTENTS_HEADING.fullmatch(_words(before.get_text(" ")))
        )
    if tag.name != "p" or tag.find("a") is None:
        return False
    between = _words(tag.get_text(" ").replace("\xa0", " "))
    for link in tag.find_all("a"):
        between = between.replace(_words(link.get_text(" ")), " ", 1)
    return bool(_NAVIGATION.search(between)) and not _NAVIGATION.sub(" ", between).strip()


def _links_only(paragraph) -> list[tuple[str, str]] | None:
    """A <p> of links and separators only (`only_links`): its links, each (text, address); None for any other
    paragraph. Asked of two links or more: a page links a name where it stands (Sphinx's "Return type:
    <a>int</a>"), and a paragraph of one link is often text."""
    strings = list(paragraph.find_all(string=True))
    between = "".join(str(text) for text in strings if text.find_parent("a") is None)
    links = [(link.get_text(" "), str(link.get("href") or "")) for link in paragraph.find_all("a")]
    return only_links(links, between)


def _is_contents(tag) -> bool:
    """A table of contents or a navigation bar, as documentation generators mark them (DocBook, Sphinx,
    docutils, MkDocs)."""
    return tag.name in ("div", "nav", "ul", "ol", "dl", "section", "table", "tr") and any(
        _CONTENTS.match(name) for name in [*(tag.get("class") or []), tag.get("id") or ""]
    )


def parse_html(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """HTML: the main text only (BeautifulSoup): scripts, styles, navigation (also as an ARIA role), headers,
    footers, forms, headings' permalinks and short clutter (cookie notices and other dialogs, newsletter
    sign-ups, share buttons, ads: `_is_clutter`) are dropped; <main> (or role="main") or <article> is preferred to
    the whole body; block elements separate paragraphs. A page
    nested deeper than HTML_MAX_DEPTH is skipped (a parser builds its tree recursively)."""
    markup, encoding = decode(data)
    return html_page(path, data, markup, encoding)


def html_page(path: str, data: bytes, markup: str, encoding: str) -> Document | Skipped:
    markup = prepared(markup)
    if html_depth(markup) > HTML_MAX_DEPTH:
        return Skipped(path, f"HTML nested deeper than {HTML_MAX_DEPTH} elements")
    outline = Outline()
    title = read_html(markup, outline)
    outline.name_entries()
    text = outline.text()
    if not text.strip() and (plain := _preformatted_prose(markup)):
        # a text document wrapped in <pre> (a licence, an RFC, a mailing-list archive's message): its only
        # block would be left out as code, and the page read as empty; it is read as the plain text it is
        doc = parse_document(path, plain.encode())
        return dataclasses.replace(doc, sha256=make_document(path, data, "").sha256, title=title or doc.title, encoding=encoding)
    fields = outline.fields()
    fields["sections"] = under_title(site_of(title, fields["sections"]), fields["sections"])
    return make_document(path, data, text, title, encoding=encoding, **fields)


_NUMBERING = re.compile(r"^(?:[\dA-Z]{1,3}\.)*\d*\.?\s+(?=\S)")  # "2.1 ", "3. ", "A.2 " before a heading's words
_AROUND = " |\u00b7-\u2013\u2014:()[]"
# what sets a site's name apart from the page's heading in its title: "File system | Node.js", "Basics (libffi)"
_OPENS_PART, _CLOSES_PART = "|\u00b7-\u2013\u2014:([,", "|\u00b7-\u2013\u2014:)],"
_ANY_SITE = frozenset("docs doc documentation home index manual help reference guide wiki".split())  # says nothing


def site_of(title: str, sections: tuple[tuple[int, str], ...]) -> str:
    """What a page's <title> says beyond its one top heading: the site or the manual it belongs to ("File
    system | Node.js v20.20.2 Documentation" over the heading "File system": "Node.js v20.20.2
    Documentation"; "The Basics (libffi: the portable foreign function interface library)" over "2.1 The
    Basics"). A documentation site's page heads its sections with its own topic only, so no sentence of
    Node.js' fs.html said "Node.js". "" when the title is the heading, or does not hold it, or runs on from it
    with no mark between ("Office move memo" over "Office move", "Release History Of SQLite"), or adds only a
    word any site could ("Zlib | Docs"). With words on both sides, the site is the part after ("Stack
    Overflow" of "python - How do I merge two dictionaries? - Stack Overflow")."""
    roots = {path.split(HEADING_SEPARATOR)[0] for _, path in sections if path}
    if len(roots) != 1 or not title:
        return ""
    heading = _NUMBERING.sub("", roots.pop())
    at = title.find(heading) if heading else -1
    if at < 0:
        return ""
    before, after = title[:at].rstrip(), title[at + len(heading) :].lstrip()
    if (before and before[-1] not in _CLOSES_PART) or (after and after[0] not in _OPENS_PART):
        return ""
    # with words on both sides, the site's name ends the title ("python - How do I ...? - Stack Overflow")
    rest = " ".join((after or before).strip(_AROUND).split())
    return rest if any(c.isalpha() for c in rest) and rest.lower() not in _ANY_SITE else ""


_PROSE_TOKEN = re.compile(r"[\"'(]?[A-Za-z][A-Za-z]+[,.;:!?\"')]*|\d+[.)]")  # a word, or a number that numbers


def _preformatted_prose(markup: str) -> str:
    """The text of a page's <pre> blocks when it reads as prose: two thirds of their lines with words, three
    lines at least, are mostly words (three of five tokens), as a licence's or a letter's are and code's
    (">>> from ipdb import set_trace") are not; else ""."""
    soup = read_xml(markup)
    text = "\n\n".join(tag.get_text() for tag in soup.find_all("pre"))
    lines = [line.split() for line in text.splitlines() if any(c.isalpha() for c in line)]
    worded = sum(3 * sum(bool(_PROSE_TOKEN.fullmatch(t)) for t in tokens) >= 1.8 * len(tokens) for tokens in lines)
    return text if worded >= 3 and 3 * worded >= 2 * len(lines) else ""


def parse_mhtml(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """A web page saved as one file by Chrome, Edge or Word ("Webpage, Single File": .mhtml, .mht): a MIME
    message whose root part (the one its `start` parameter names, else the first HTML part) is the page, read
    as an .html file is; its pictures and style sheets are other parts, not read."""
    from qa.ingest.formats.mail import read_message

    message = read_message(data)
    start = (message.get_param("start", header="content-type") or "") if message.is_multipart() else ""
    pages = [part for part in message.walk() if part.get_content_type() == "text/html"]
    if start:
        named = [part for part in pages if str(part.get("content-id", "")).strip() == str(start).strip()]
        pages = named or pages
    if not pages:
        return Skipped(path, "no HTML page in the MHTML file")
    return html_page(path, data, str(pages[0].get_content()), pages[0].get_content_charset() or "utf-8")


def parse_webarchive(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """A web page saved by Safari (.webarchive): a property list whose main resource holds the page's HTML
    (in the encoding it names), read as an .html file is; its subresources (pictures, scripts) are not."""
    import plistlib

    archive = plistlib.loads(data)
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict) or not isinstance(main.get("WebResourceData"), bytes):
        return Skipped(path, "no web page in the web archive")
    markup, named = main["WebResourceData"], main.get("WebResourceTextEncodingName")
    try:
        text, encoding = markup.decode(str(named)), str(named)
    except (LookupError, UnicodeDecodeError):
        text, encoding = decode(markup)
    return html_page(path, data, text, encoding)


_GUTENBERG = re.compile("gutenberg", re.I)


def _marker(found) -> PageElement:
    """The element that holds a marker line alone (its <div>, <p> or <span>), else the line itself."""
    element, line = found, found.strip()
    while element.parent is not None and element.parent.name not in ("body", "html", "[document]"):
        if element.parent.get_text().strip() != line:
            break
        element = element.parent
    return element


def _gutenberg_book(soup) -> str:
    """A Project Gutenberg e-book's web page holds the book between its "*** START OF THE PROJECT GUTENBERG
    EBOOK ... ***" and "*** END OF ... ***" lines, as its plain text does; what lies before (the terms of use,
    the catalogue's fields) and after (the licence, thousands of words about copies, refunds, donations and
    taxes) is left out, the markers too. Returns the book's title from the catalogue's "Title:" field ("" for
    any other page)."""
    start = soup.find(string=lambda t: GUTENBERG_START.search(t.strip()) is not None)
    end = soup.find(string=lambda t: GUTENBERG_END.search(t.strip()) is not None)
    title = ""
    if start is not None:
        for tag in start.find_all_previous(("p", "div", "pre")):
            named = GUTENBERG_TITLE.search(tag.get_text().replace("\u00a0", " "))
            if named:
                title = " ".join(named.group(1).split())
                break
        marker = _marker(start)
        ancestors = set(map(id, marker.parents))
        for element in list(marker.find_all_previous()):
            if id(element) not in ancestors and not element.decomposed:
                element.decompose()
        marker.extract()
    if end is not None:
        marker = _marker(end)
        for element in list(marker.find_all_next()):
            if not element.decomposed:
                element.decompose()
        marker.extract()
    return title


def read_html(markup: str, outline: Outline, drop: Callable[[Tag], bool] | None = None) -> str:
    """One HTML page's main text into `outline` (its headings open sections); returns the page's title.
    `drop` names more elements to leave out (an e-mail's quotation of the message it replies to)."""
    soup = read_xml(markup)  # html.parser, quiet about XHTML (an Evernote note) being XML read as HTML
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if _GUTENBERG.search(markup):  # a look at the markup spares every other page two walks of its strings
        title = _gutenberg_book(soup) or title
    for tag in soup.find_all("button"):
        _question_button(tag)
    for table in soup.find_all("table"):
        code = _numbered_code(table)
        if code is not None:  # a code block beside its line numbers: the block, where the table stood
            table.replace_with(code.extract())
    for tag in soup.find_all("pre"):
        if tag.find_parent(_DROP_TAGS) is None:  # code: kept aside, a short block to end the paragraph before it
            _mark_going_on(tag)
            for control in tag.find_all(("button", "input", "select")):  # a "copy" button, a flavour's switch
                control.decompose()
            # a block of one example in two flavours, a <code> each (Node.js' ES module and CommonJS): a line each
            flavours = tag.find_all("code", recursive=False)
            shown = "\n".join(c.get_text() for c in flavours) if len(flavours) > 1 else tag.get_text()
            code = shown.replace(CODE, "").replace(CODE_LINE, "").replace("\x00", "").replace(RECORD, "")
            tag.replace_with(f"\n\n{CODE}{code.replace(chr(10), CODE_LINE)}{CODE}\n\n")
    for header in soup.find_all("header"):
        if header.find_parent(("main", "article")) is not None or header.find_parent(_is_main) is not None:
            # an article's own header (<article><header><h1>...): its title, summary, byline and date are the
            # article's; its menus (a wiki's languages) are not
            for menu in header.find_all(("ul", "ol", "menu")):
                menu.decompose()
            header.unwrap()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_hidden_data):
        tag.decompose()  # Stack Overflow's "48 Answers <span itemprop=answerCount style=display:none>48</span>"
    for tag in soup.find_all("sup"):
        if _NOTE_MARK.fullmatch(tag.get_text("").strip()):
            tag.decompose()  # "[1]", "[citation needed]": a note's mark, not the sentence's words
    for notes in soup.find_all("ol", class_="references"):
        # a wiki's notes and sources: each one unit, as a table's row is ("\"Pungsan dog\". KCNA. 2019.
        # Retrieved 4 March 2020." was four, "2019." one of them), without its "^" back to the text
        for item in notes.find_all("li", recursive=False):
            for back in item.find_all(class_="mw-cite-backlink"):
                back.decompose()
            said = " ".join(item.get_text().split())
            item.clear()
            item.append(f"\n\n{RECORD}{said}\n\n" if said else "")
    for tag in soup.find_all(drop) if drop is not None else ():
        tag.decompose()
    for tag in soup.find_all(_is_contents):
        tag.decompose()  # a table of contents repeats the headings (in a FAQ: every question) as text
    for tag in soup.find_all(_is_landmark):
        tag.decompose()  # <div role="navigation">: a sidebar is navigation whatever its tag
    for tag in soup.find_all(_is_navigation):
        if not tag.decomposed:
            if tag.name != "p":
                tag.find_previous_sibling(True).decompose()  # its "Table of Contents" heading too
            tag.decompose()  # "Next: Memory Usage, Up: libffi [Index]": links to other pages, not text
    for tag in soup.find_all(_is_clutter):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(class_="mw-editsection"):
        tag.decompose()  # a wiki's "[edit]" beside each heading, its brackets with it (MediaWiki)
    for tag in soup.find_all("a"):
        if tag.decomposed:
            continue
        said = " ".join(tag.get_text(" ").split())
        stamp = tag.parent if tag.parent is not None and tag.parent.name in ("span", "div", "small", "p") else None
        if said == "Source" and stamp is not None and _SOURCE_STAMP.fullmatch(" ".join(stamp.get_text(" ").split())):
            stamp.decompose()  # "1.0.0 · Source": when the item came and where its code is, not text
        elif (
            _is_permalink(tag)
            or _SOURCE_LINK.fullmatch(said)
            or (_CONTROL_LINK.fullmatch(said) and _stands_apart(tag))
            or (_MORE_LINK.fullmatch(said.strip(" .…»›→>")) and _ends_its_element(tag))
        ):
            tag.decompose()  # "Zlib #", "Usage ¶": a heading's link to itself; "Edit on GitHub": to its source
    for tag in soup.find_all("p"):
        if len(tag.find_all("a", limit=2)) < 2 or tag.find_parent(("li", "td", "th")) is not None:
            continue
        if (links := _links_only(tag)) is not None:
            # "GitHub | Documentation" under a package's name: where they lead is what it says; links within
            # the documents lead nowhere a reader can be sent, and it is no text
            if shown := links_shown(links):
                tag.replace_with(soup.new_string(f"\n\n{LINKS}{shown}\n\n"))
            else:
                tag.decompose()
    root = soup.find("main") or soup.find(_is_main) or soup.find("article") or soup.body or soup
    heading = root.find("h1")
    if heading is None and len(titles := soup.find_all("h1", limit=2)) == 1 and _heads(titles[0], root, title):
        heading = titles[0].extract()
        root.insert(0, heading)
    title = title or (heading.get_text(" ", strip=True) if heading else "")
    _questions_and_answers(root)
    for tag in root.find_all(class_="admonition-title"):
        if " ".join(tag.get_text(" ").split()).rstrip(":").lower() in _ADMONITION_KINDS:
            tag.decompose()  # Sphinx's and MkDocs' "Note" over a note: its kind, not its text
    _boxes(root)
    for table in root.find_all("table"):
        _captioned(table)
        _table_rows(table)
    for dl in root.find_all("dl"):
        _terms_first(dl)
    _bold_headings(root)
    _list_labels(root)
    for details in root.find_all("details"):
        summary = details.find("summary")
        said = " ".join(summary.get_text(" ").split()) if summary is not None else ""
        if summary is not None and _TOGGLE.fullmatch(said):
            summary.decompose()  # "Expand description", "Show more": the control's label, not what it folds away
        elif summary is not None:  # a folded section: its summary heads what it folds away, as in Markdown
            inner = summary.find(_HEADINGS)
            if inner is None:
                summary.replace_with(_heading_mark(said))
                details.insert_after(_heading_mark(""))
                continue
            # a heading folded with what it heads (rustdoc's methods, a README's "<summary><h2>Install</h2>"): it
            # heads at its own level, above the headings of its text (each method's "Examples"), and the rest of
            # the summary (an unstable method's "This is a nightly-only experimental API.") is read under it
            level = int(inner.name[1])
            heading = _heading_mark(" ".join(inner.get_text(" ").split()), level)
            inner.decompose()
            summary.insert_before(heading)
            summary.unwrap()
            details.insert_after(_heading_mark("", level))
    for tag in root.find_all(_HEADINGS):
        # headings are titles, as in Markdown, not sentences: kept as marks that open a section
        tag.replace_with(_heading_mark(" ".join(tag.get_text(" ").split()), int(tag.name[1])))
    _line_breaks(root)
    for tag in root.find_all(_BLOCK_TAGS):
        # inside the element, not beside it: inserting beside it looks it up among its siblings, and a page of
        # 20,000 paragraphs in one <div> took a minute and a half
        tag.insert(0, "\n\n")
        tag.append("\n\n")
    for paragraph in re.split(r"\n\s*\n", root.get_text()):
        for i, piece in enumerate(paragraph.split("\x00")):
            # the mark counts where it opens a paragraph; anywhere else (a table cell's text) it goes unread
            goes_on, piece = piece.lstrip().startswith(GOES_ON), piece.replace(GOES_ON, "")
            if i % 2:  # a heading's mark; one without text closes the headings of its level
                if piece[1:].strip():
                    outline.heading(int(piece[:1]), piece[1:])
                else:
                    outline.close(int(piece[:1]))
            elif piece.strip().startswith(CODE):
                outline.shows(piece.replace(CODE, "").replace(CODE_LINE, "\n"))
            elif goes_on:
                outline.goes_on(piece)
            elif piece.lstrip().startswith(LINKS):
                outline.links(piece.replace(LINKS, ""))
            else:
                record = piece.lstrip().startswith(RECORD)
                outline.paragraph(piece.replace(RECORD, ""), record)
    return title


def parse_epub(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """EPUB e-books (a zip of XHTML chapters): the chapters in reading order (the package's spine), each read
    as an HTML page is, into one document; each chapter opens its own sections; the package's `dc:title` is
    the title. A book with a chapter nested deeper than HTML_MAX_DEPTH is skipped. The package files are read
    by `read_xml`."""
    import posixpath
    import zipfile

    book = zipfile.ZipFile(io.BytesIO(data))
    names = set(book.namelist())
    root = _epub_root(names)
    if root is None:
        return Skipped(path, "EPUB without META-INF/container.xml")
    container = read_xml(book.read(f"{root}META-INF/container.xml")).find("rootfile")
    if container is None or not container.get("full-path"):
        return Skipped(path, "EPUB without a package file (META-INF/container.xml names none)")
    opf_path = root + str(container["full-path"])
    if opf_path not in names:
        return Skipped(path, f"EPUB without its package file {opf_path}")
    package = read_xml(book.read(opf_path))
    found = package.find("dc:title")
    title = metadata_title(found.get_text(" ", strip=True)) if found else ""
    items = {str(item.get("id")): str(item.get("href", "")) for item in package.find_all("item")}
    # a book under DRM lists its encrypted chapters in META-INF/encryption.xml (an embedded font's
    # obfuscation is listed there too, and is harmless)
    encrypted = set()
    if f"{root}META-INF/encryption.xml" in names:
        listed = read_xml(book.read(f"{root}META-INF/encryption.xml"))
        encrypted = {root + str(ref.get("uri")) for ref in listed.find_all(re.compile(r"(?:\w+:)?cipherreference$"))}
    outline = Outline()
    for ref in package.find_all("itemref"):
        href = items.get(str(ref.get("idref")), "")
        name = posixpath.normpath(posixpath.join(posixpath.dirname(opf_path), href.split("#")[0]))
        if not href or name not in names:
            continue
        if name in encrypted:
            return Skipped(path, "encrypted EPUB (DRM): its chapters cannot be read")
        markup, _ = decode(book.read(name))
        markup = prepared(markup)
        if html_depth(markup) > HTML_MAX_DEPTH:
            return Skipped(path, f"EPUB chapter {name} nested deeper than {HTML_MAX_DEPTH} elements")
        outline.close()  # a chapter opens its own sections
        read_html(markup, outline)
    return make_document(path, data, outline.text(), title, **outline.fields())


def _epub_root(names: set[str]) -> str | None:
    """The folder of a zip that an EPUB's paths are relative to: the zip's own top, or the one folder that
    holds META-INF/container.xml when the book was zipped from outside its folder ("epub/META-INF/...", as
    Debian Edu's manual is); None when there is no container."""
    if "META-INF/container.xml" in names:
        return ""
    roots = [name.removesuffix("META-INF/container.xml") for name in names if name.endswith("/META-INF/container.xml")]
    return roots[0] if len(roots) == 1 else None


def _heads(h1, root, title: str) -> bool:
    """Does a page's one <h1>, standing before its main part, head that part (a question's title over the post
    and its answers)? Not when it ends the page's <title> after the page's own words: then it is the site's or
    the book's name in a bar above every page ("The Rust Programming Language" over each chapter)."""
    said = " ".join(h1.get_text(" ").split())
    whole = " ".join(title.split())
    return h1 in root.find_all_previous("h1") and bool(said) and not (whole != said and whole.endswith(said))


def _question_button(button) -> None:
    """Buttons are controls, left out, but an accordion's toggle is a FAQ's question: inside a heading, a
    <summary> or a <dt> its text is that element's ("<h2><button>How do I reset my password?</button></h2>"),
    and one that asks, standing alone, heads the panel it opens. A button beside a heading's own words is a
    control again (Rust's documentation heads each item "Function vld1q_dup_u64" with a "Copy item path")."""
    holder = button.find_parent((*_HEADINGS, "summary", "dt"))
    if holder is not None:
        beside = holder.get_text(" ").replace(button.get_text(" "), " ", 1)
        if any(c.isalpha() for c in beside):
            button.decompose()
        else:
            button.unwrap()
        return
    asked = " ".join(button.get_text(" ").split())
    if asked.endswith("?") and heading_by_look(asked) == "question":
        button.replace_with(_heading_mark(asked, QUESTION_LEVEL))


def _questions_and_answers(root) -> None:
    """A DocBook FAQ (a `qandaset`): its lists of questions (links to them) are left out, as contents are,
    and its table is a layout: each question, in its row beside its number ("1.2."), heads what the rows
    after it hold (its answer)."""
    for qandaset in root.find_all("div", class_="qandaset"):
        for dl in qandaset.find_all("dl", recursive=False):
            dl.decompose()
        for row in qandaset.find_all("tr"):
            cells = row.find_all(("td", "th"), recursive=False)
            if "question" in (row.get("class") or []):
                asked = " ".join(cells[-1].get_text(" ").split()) if cells else ""
                row.replace_with(_heading_mark(asked, QUESTION_LEVEL) if asked else "")
                continue
            row.insert_before("\n\n")
            row.insert_after("\n\n")
            for cell in cells:
                cell.unwrap()
            row.unwrap()


def _terms_first(dl) -> None:
    """A definition list's terms (<dt>: "context", a function's signature in Sphinx's pages) are written
    before the first paragraph of what they define (<dd>: "context: The state of one invocation."), not left
    as paragraphs of their own."""
    terms: list = []  # the <dt>s before the next <dd>
    for item in dl.find_all(("dt", "dd"), recursive=False):
        if item.name == "dt":
            terms.append(item)
            continue
        label = ", ".join(t for t in (" ".join(dt.get_text(" ").split()).rstrip(":") for dt in terms) if t)
        first = next((t for t in item.find_all(string=True) if t.strip()), None)
        if label and first is not None:
            # a FAQ's question heads its answer ("Is there an app?" over "Yes, for Android and iOS.")
            if label.endswith("?"):
                first.insert_before(_heading_mark(label, QUESTION_LEVEL))
                item.insert_after(_heading_mark("", QUESTION_LEVEL))  # the question heads its <dd> only
            else:
                first.insert_before(f"{label}: ")
            for dt in terms:
                dt.decompose()
        terms = []


INNER_LEVEL = 7  # below <h6>: a line in bold written as a heading, a <details> summary
QUESTION_LEVEL = 8  # below that: a FAQ's question atop its answer (in bold, a <dt>)
LABEL_LEVEL = 9  # below that: a paragraph that only labels the list right under it ("<p>Bugfixes:</p><ul>")


def _heading_mark(text: str, level: int = INNER_LEVEL) -> str:
    """The mark a heading of `level` leaves in the page's text until `read_html` reads it back into the
    outline (<h1> to <h6>, and INNER_LEVEL and QUESTION_LEVEL below them); with no text, the mark that closes
    the headings of its level."""
    text = text.replace("\x00", "")
    return f"\n\n\x00{level}{text}\x00\n\n"


_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d)]*$")
_WORDED = re.compile(r"[^\W\d_]")
_PLAIN_WORD = re.compile(r"[a-z]+(?![\w(]|\.\w)")  # a word, not a name in code ("xsltCreateRVT", "os.path")
def _lines_around_breaks(parent) -> dict[int, tuple[str, str, bool | None]]:
    """For each <br> among an element's children (by id): the line before it and the line after it (each up to
    the next <br>, block element or paragraph break), and whether its block of lines (the lines between empty
    ones) is wrapped text: fewer than two thirds of its breaks the writer's (`text.writers_breaks`), as a plain
    text's unmarked list is told from prose; None for a block of fewer than three lines, too few to tell."""
    lines: list[str] = []
    breaks: dict[int, int] = {}  # a <br>'s id: the line it ends
    part: list[str] = []

    def end_line() -> None:
        lines.append(" ".join("".join(part).split()))
        part.clear()

    for node in parent.children:
        name = getattr(node, "name", None)
        if name == "br":
            end_line()
            breaks[id(node)] = len(lines) - 1
        elif name in _BLOCK_TAGS:
            end_line()
            lines.append("")  # a block element between lines parts them, as an empty line does
        else:
            pieces = (node.get_text() if hasattr(node, "get_text") else str(node)).split("\n\n")
            for piece in pieces[:-1]:
                part.append(piece)
                end_line()
                lines.append("")
            part.append(pieces[-1])
    end_line()
    verdicts: list[bool | None] = [None] * len(lines)
    start = 0
    for stop in [*(i for i, text in enumerate(lines) if not text), len(lines)]:
        block = lines[start:stop]
        if len(block) >= 3:
            verdicts[start:stop] = [3 * writers_breaks(block) < 2 * (len(block) - 1)] * len(block)
        start = stop + 1
    return {
        br: (lines[at], lines[at + 1] if at + 1 < len(lines) else "", verdicts[at]) for br, at in breaks.items()
    }


def _wrapped(before: str, after: str, filled: bool | None) -> bool:
    """Is the <br> between these lines a line break inside a sentence (text set line by line, as DocBook's
    literallayout sets a NEWS file and some mailers a message), not the end of a line of its own? The line ends
    no sentence, and in wrapped text (`_lines_around_breaks`) it runs on (a comma, "and", "as" last) or the
    next goes on with a plain word in lower case; of two lines, the first runs on; in a list, never."""
    if not _WORDED.search(before) or not _WORDED.search(after) or _SENTENCE_END.search(before) or filled is False:
        return False  # a rule under a title ("------------") runs on into nothing
    if filled is None:
        return runs_on(before)
    return runs_on(before) or _PLAIN_WORD.match(after) is not None


def _line_breaks(root) -> None:
    """Each <br> as a paragraph break, or as a line break inside one where a sentence runs on over it (the
    page's own line breaks around it dropped, which would make it a blank line). All are judged first, on the
    page as it is, then each element holding them is rebuilt once: replacing them one by one looks each up
    among its siblings, and a page of 50,000 lines took minutes."""
    from bs4 import NavigableString

    for parent in {id(br.parent): br.parent for br in root.find_all("br")}.values():
        wrapped = {br for br, around in _lines_around_breaks(parent).items() if _wrapped(*around)}
        children = list(parent.contents)
        rebuilt: list = []
        strip_next = False
        for node in children:
            if getattr(node, "name", None) == "br":
                if id(node) in wrapped:
                    if rebuilt and type(rebuilt[-1]) is NavigableString:  # text, not a comment
                        rebuilt[-1] = NavigableString(rebuilt[-1].rstrip())
                    rebuilt.append(NavigableString("\n"))
                    strip_next = True
                else:
                    rebuilt.append(NavigableString("\n\n"))
                    strip_next = False
                continue
            if strip_next and type(node) is NavigableString:
                node = NavigableString(node.lstrip())
            strip_next = False
            rebuilt.append(node)
        parent.clear()
        parent.extend(rebuilt)


def _bold_headings(root) -> None:
    """A line in bold that opens a paragraph and stands on its own ("<p><strong>How do I reset my
    password?</strong><br>Open Settings ...", or alone in its paragraph before the answer) heads what follows,
    as a heading would: a FAQ's question (it was a sentence of its own, and the one a question put to `qa`
    matched first), or a short label that is no sentence ("<p><b>Bugfixes</b></p>")."""
    from bs4 import NavigableString

    def blank(node) -> bool:
        return isinstance(node, NavigableString) and not node.strip()

    for strong in root.find_all(("strong", "b")):
        if strong.parent is None or strong.parent.name not in ("p", "div", "li"):
            continue
        line = " ".join(strong.get_text(" ").split())
        after = next((n for n in strong.next_siblings if not blank(n)), None)
        look = heading_by_look(line)
        asks = look == "question"
        label = look == "label" and strong.parent.name != "li"  # a list of items in bold says its items
        if (
            not (asks or label)
            or any(not blank(n) for n in strong.previous_siblings)
            or (after is not None and getattr(after, "name", None) != "br")
        ):
            continue
        if after is not None:
            after.decompose()
        strong.replace_with(_heading_mark(line, QUESTION_LEVEL if asks else INNER_LEVEL))


def _list_labels(root) -> None:
    """A paragraph that only labels the list right after it ("<p>Bugfixes:</p><ul>...") heads that list's
    items, as a plain text's and a Markdown file's label does (`paragraph_label`); a longer one stays a sentence
    too (`only_names`)."""
    for paragraph in root.find_all("p"):
        label = paragraph_label(" ".join(paragraph.get_text(" ").split()))
        after = paragraph.find_next_sibling(True)
        if not label or after is None or after.name not in ("ul", "ol"):
            continue
        between = itertools.takewhile(after.__ne__, paragraph.next_siblings)
        if not "".join(str(node) for node in between).strip():  # text between: the label leads into it
            after.insert_after(_heading_mark("", LABEL_LEVEL))
            if only_names(label):
                paragraph.replace_with(_heading_mark(label, LABEL_LEVEL))
            else:  # "It detects three kinds of error:" says something too: a sentence, then the heading
                paragraph.insert_after(_heading_mark(label, LABEL_LEVEL))


# boxes set beside the text: DocBook's sidebars and notes ("BACK TO BASICS Kernel modules"), <aside>
_BOX_CLASSES = frozenset("sidebar note tip warning important caution danger attention hint callout".split())


def _boxes(root) -> None:
    """A box beside the text whose title opens it (an <aside>, or a <div> or <section> of a box's class:
    DocBook writes a sidebar as <div class="sidebar"> over <p class="title">, a note as <div class="note"> over
    <h3>) heads only what it holds: its title becomes a heading below any other, closed where the box ends.
    Read as a bold line or an <h3>, its title headed the text after the box too, and replaced the section's
    own heading ("By default, System V init in Debian uses four different runlevels:" under "BACK TO BASICS
    Kernel modules and options" in the Debian Administrator's Handbook)."""

    def is_box(tag) -> bool:
        classes = {c.lower() for c in tag.get("class") or []}
        return tag.name == "aside" or (tag.name in ("div", "section") and bool(classes & _BOX_CLASSES))

    for box in root.find_all(is_box):
        title = box.find(_HEADINGS) or box.find(class_="title")
        words = " ".join(title.get_text(" ").split()) if title is not None else ""
        if not words or not " ".join(box.get_text(" ").split()).startswith(words):
            continue  # no title, or text before it: the box is read as it stands
        title.replace_with(_heading_mark(words, INNER_LEVEL))
        box.insert_after(_heading_mark("", INNER_LEVEL))


# the kinds of note whose title Sphinx and MkDocs (Python-Markdown) print over it as a paragraph of its own:
# a unit "Note" said nothing and, read after its heading path, came first for "How do I start a new MkDocs
# project?"; as in Markdown, the note's body is read and its kind is not. A title of its own ("New in version
# 1.4") stays.
_ADMONITION_KINDS = frozenset(
    ["note", "notes", "warning", "tip", "hint", "important", "caution", "danger", "attention", "error", "todo", "see also"]
)
RECORD = "\x01"  # marks a table row's text in the page until it is read, as "\x00" marks a heading
CODE = "\x02"  # encloses a code block (<pre>) until it is read; CODE_LINE stands for its line breaks meanwhile
CODE_LINE = "\x03"
GOES_ON = "\x04"  # opens a paragraph that goes on with the sentence a code block broke off
LINKS = "\x05"  # opens a paragraph of links only, read as where they lead (`links_shown`)


_LINE_NUMBERS = re.compile(r"[\d\s]*")


def _numbered_code(table):
    """The <pre> of a code block set in a table beside its line numbers (Pygments' "highlighttable", which
    Sphinx and MkDocs write for numbered code, Hugo's "lntable"): a table of one row of cells (a file name's
    row of <th> above it aside), each nothing but one <pre>, one of them more than numbers. None for any other
    table (a page laid out in a table, one holding an example among its text). Read as a table, "1 2 3 4 |
    from flask import Flask app = ..." was a unit, code read as prose."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table and tr.find("td", recursive=False)]
    if len(rows) != 1:
        return None
    cells = rows[0].find_all("td", recursive=False)
    blocks = [cell.find_all("pre") for cell in cells]
    if len(cells) < 2 or any(len(pres) != 1 or pres[0].get_text().strip() != cell.get_text().strip() for cell, pres in zip(cells, blocks)):
        return None
    code = [pres[0] for pres in blocks if not _LINE_NUMBERS.fullmatch(pres[0].get_text())]
    return code[0] if len(code) == 1 else None


def _mark_going_on(pre) -> None:
    """Mark the paragraph right after a code block (the <pre>, or the <div>s that hold only it, as Sphinx
    wraps it) when it goes on with the sentence the block broke off (`continues`): "To deactivate a virtual
    environment, type:" [deactivate] "into the terminal."."""
    from bs4 import Comment, NavigableString

    def said(nodes) -> list:
        return [n for n in nodes if not (isinstance(n, NavigableString) and (isinstance(n, Comment) or not n.strip()))]

    block = pre
    while block.parent is not None and block.parent.name == "div" and said(block.parent.children) == [block]:
        block = block.parent
    after = said(block.next_siblings)
    if not after or getattr(after[0], "name", None) != "p":
        return
    opening = said(after[0].children)
    if opening and isinstance(opening[0], NavigableString) and continues(str(opening[0])):
        after[0].insert(0, GOES_ON)


_UNMARKED = str.maketrans({CODE: None, GOES_ON: None, CODE_LINE: " "})


def _cell_text(cell) -> str:
    """A table cell's words; code in it (already marked as a block) is read as its words, without the marks."""
    return " ".join(cell.get_text(" ").translate(_UNMARKED).split())


def _heads_columns(rows: list) -> bool:
    """Does a table's first row of <td> cells, two or more with text, name its columns: in a <thead>, or each
    all in bold (<b>, <strong>) over a first column that is not?"""

    def bold(cell) -> bool:
        text = "".join(cell.get_text().split())
        return bool(text) and text == "".join("".join(b.get_text().split()) for b in cell.find_all(("b", "strong")))

    first = [cell for cell in rows[0].find_all(("th", "td"), recursive=False) if cell.get_text().strip()]
    if len(first) < 2:
        return False
    if rows[0].find_parent("thead") is not None:
        return True
    below = [cells[0] for tr in rows[1:] if (cells := tr.find_all(("th", "td"), recursive=False)) and cells[0].get_text().strip()]
    return names_in_bold(list(map(bold, first)), list(map(bold, below)))


def _captioned(table) -> None:
    """A table's caption (<caption>, or DocBook's <p class="title"> atop the <div class="table"> that holds it)
    heads its rows, and only them: "Table 1.4. List of the first character of "ls -l" output" was a sentence of
    its own, the best match of a question on what the rows say (0.81), and said nothing."""
    caption, holder = table.find("caption", recursive=False), table
    if caption is None:
        box = table.find_parent("div", class_="table")
        caption = box.find("p", class_="title", recursive=False) if box is not None else None
        if caption is None:
            return
        holder = box
    said = " ".join(caption.get_text(" ").split())
    caption.decompose()
    if said:
        holder.insert_before(_heading_mark(said, LABEL_LEVEL))
        holder.insert_after(_heading_mark("", LABEL_LEVEL))


def _table_rows(table) -> None:
    """An HTML data table's rows become one paragraph each, read with the header row's names (a layout table,
    with long cells, is left to be read cell by cell). A table whose first row names its columns is data
    however long a cell: a row with a long cell is a paragraph, split where its sentences end, the others
    records."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    cells = [[_cell_text(c) for c in tr.find_all(("th", "td"), recursive=False)] for tr in rows]
    # a first row that names the columns: of <th> only, or in the table's <thead>, or all in bold over a first
    # column that is not (a word processor's page: "<td><b>Job</b></td>")
    names = bool(rows) and (rows[0].find("td", recursive=False) is None or _heads_columns(rows))
    # a header of two columns or more that the rows keep to (a page whose cells are never closed nests them:
    # a one-cell "header" over rows that each hold the rest of the table)
    headed = (
        names
        and len(cells[0]) >= 2
        and is_data(cells[:1])
        and all(len(row) == len(cells[0]) for row in cells[1:])
    )
    if not rows or not (is_data(cells) or headed):
        return
    # without a row of <th> only, a table of labels and values ("<th>Owner</th><td>Ann Lee</td>") reads as pairs
    named = names or any(tr.find("td", recursive=False) is None and texts for tr, texts in zip(rows, cells))
    pairs = not named and reads_as_pairs(cells)
    header = None
    for k, (tr, texts) in enumerate(zip(rows, cells)):
        # each row's cells give way to its text, inside the row: replacing the row looks it up among its
        # siblings, and a table of 20,000 rows took 7 s
        heads = (k == 0 and names) or tr.find("td", recursive=False) is None
        names_columns = header is None and heads and bool(texts)
        tr.clear()
        if names_columns:
            header = texts  # a row of <th> only names the columns
            tr.append("\n\n")
        else:
            record = RECORD if is_data([texts]) else ""
            tr.append(f"\n\n{record}{pair_text(texts) if pairs else row_text(texts, header)}\n\n")
