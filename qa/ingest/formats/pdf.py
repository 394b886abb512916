"""PDF (PDFium through pypdfium2): text per page, running headers and footers dropped, the outline as headings
(else the lines set larger than the body text)."""

from __future__ import annotations

import bisect
import ctypes
import itertools
import re
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from qa.ingest.chunking import BULLETS
from qa.ingest.formats.common import (
    Outline,
    ReadRules,
    Skipped,
    is_data,
    make_document,
    metadata_title,
    paragraphs_text,
    table_units,
    title_key,
    too_much_text,
)
from qa.ingest.formats.sheets import numbers_tell_header
from qa.types import Document

# a page number ending a longer line: "[Page 12]", "12", "12 / 57", "12 of 57", or a front-matter "iv"
_LAST_PAGE_NUMBER = re.compile(r"(?<=\bpage )\d+(?=\]?$)|(?<=\s)(?:\d+(?:\s*(?:/|of)\s*\d+)?|[ivxlc]{1,6})$")
_LAST_ROMAN = re.compile(r"(?<=\s)[ivxlc]{1,6}$")
_PAGE_NUMBER = re.compile(r"[#ivxlc]{1,6}|- ?# ?-|page #|# of #|#/#")  # a masked line that is only a page number
LEADER = re.compile(r"(?:\. ?){4,}\.?\s*[\divxlc]*\s*$")  # a contents line's dot leader and page number
# a word hyphenated across a line break (blanks before the break: a note set in the margin after it, left out)
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[a-z])")


# a bullet opening a line: a list item, a unit of its own (the chunker's bullets, Word's from the Symbol font
# among them), read as "•"
_BULLET = re.compile(f"^[ \t]*[{BULLETS}][ \t]*", re.M)


def clean_page(text: str) -> str:
    """A PDF page's text as prose: words hyphenated at a line's end joined ("com-\nmands" -> "commands"),
    table-of-contents lines (dot leaders and a page number) dropped, and a paragraph break before each line
    that opens with a bullet (PDF lists have no blank lines between items: each item is a unit)."""
    text = _BROKEN_WORD.sub("", text)
    text = "\n".join(line for line in text.split("\n") if not LEADER.search(line))
    return _BULLET.sub("\n\u2022 ", text)


def page_continues(before: str, after: str) -> bool:
    """Does a page's text run on into the next one's (a sentence broken by the page end)? The first page
    does not end a sentence and the next begins in lower case."""
    return (
        bool(before)
        and bool(after)
        and before.rstrip()[-1:] not in ".!?:;\"'\u201d\u2019)]"
        and after.lstrip()[:1].islower()
    )


RUNNING_LINES = 2  # lines at the top and at the bottom of a page where a running header or footer may sit
RUNNING_WORDS = 6
STAMP_WORDS = 4  # a stamp or watermark: a few words


def _line_key(line: str) -> str:
    """A line as a running header or footer is recognised: spaces collapsed, case folded, and in a short line
    (at most RUNNING_WORDS words) numbers masked, so "Page 3 of 40" and "Page 4 of 40" are the same footer
    while body sentences that differ only in their numbers stay apart; in a longer one only the page number
    it ends with."""
    words = line.split()
    key = " ".join(words).lower()
    # a page number ending a longer line ("Fielding, et al.  Standards Track  [Page 12]", "Debian New
    # Maintainers' Guide 23 / 57") is masked too
    if len(words) <= RUNNING_WORDS:
        return _LAST_ROMAN.sub("#", re.sub(r"\d+", "#", key))
    return _LAST_PAGE_NUMBER.sub("#", key)


def without_running_lines(pages: list[str]) -> list[str]:
    """The pages without their running headers and footers and their stamps (`running_lines`)."""
    split = [text.splitlines() for text in pages]
    dropped = running_lines(split)
    if not any(dropped):
        return pages
    return ["\n".join(line for i, line in enumerate(lines) if i not in out) for lines, out in zip(split, dropped)]


def running_lines(pages: list[list[str]]) -> list[set[int]]:
    """Per page, the numbers of its lines that are a running header or footer: a line among the first or last
    RUNNING_LINES of a page whose text (numbers masked in short lines) recurs there on more than half of the
    pages, or on more than half of the left-hand (or right-hand) pages and more than two of them, when there
    are at least three (`_running_on_few` otherwise). Pages of fewer than three lines are left whole.
    Otherwise a header
    is glued to the page's first sentence. A stamp or watermark ("CONFIDENTIAL", "Internal use only") may be
    drawn anywhere on the page: a line of at most STAMP_WORDS words, with letters, recurring on more than half
    of the pages is left out wherever it stands."""
    if len(pages) < 3:
        return _running_on_few(pages)
    counts: dict[str, int] = {}
    sided: tuple[dict[str, int], dict[str, int]] = ({}, {})  # the same, on the even and on the odd pages
    stamps: dict[str, int] = {}
    for number, page in enumerate(pages):
        lines = [line for line in page if line.strip()]
        for key in {_line_key(line) for line in lines if len(line.split()) <= STAMP_WORDS}:
            if any(c.isalpha() for c in key):
                stamps[key] = stamps.get(key, 0) + 1
        if len(lines) < 3:
            continue  # a page of a line or two (a slide, a title page) is all content
        edges = {_line_key(line) for line in lines[:RUNNING_LINES] + lines[-RUNNING_LINES:]}
        edges -= {key for key in edges if not key.strip("# ")}
        # a bare page number counts only as a page's first or last line: elsewhere a number alone may be content
        edges |= {key for key in (_line_key(lines[0]), _line_key(lines[-1])) if _PAGE_NUMBER.fullmatch(key)}
        for key in edges:
            counts[key] = counts.get(key, 0) + 1
            sided[number % 2][key] = sided[number % 2].get(key, 0) + 1
    running = {key for key, n in counts.items() if n > len(pages) / 2}
    # a book or a journal sets one header on its left-hand pages ("12 poweRlaw: Fitting Heavy Tailed
    # Distributions") and another on its right-hand ones (the authors, the page number): each recurs on
    # only half of the pages
    side = [{key for key, n in sided[parity].items() if n > max(len(pages[parity::2]) / 2, 2)} for parity in (0, 1)]
    anywhere = {key for key, n in stamps.items() if n > len(pages) / 2}
    numbered = _numbered_edges(pages)
    if not running and not any(side) and not anywhere and not any(numbered):
        return [set() for _ in pages]
    dropped = []
    for number, (page, own) in enumerate(zip(pages, numbered)):
        content = [i for i, line in enumerate(page) if line.strip()]
        # a page of a line or two (a figure and its caption) loses a header the other pages showed to be one
        edge = set(content[:RUNNING_LINES] + content[-RUNNING_LINES:]) if len(content) >= 3 else set(content[:1])
        keys = [_line_key(line) for line in page]
        headers = running | side[number % 2]
        dropped.append(
            own
            | {
                i
                for i, key in enumerate(keys)
                if (i in edge and key in headers) or (key in anywhere and len(page[i].split()) <= STAMP_WORDS)
            }
        )
    return dropped


_ENDS_IN_NUMBER = re.compile(r"(?:^|\s)(\d{1,4})$")
NUMBERED_LINE_WORDS = 12  # a running header with its page number: the title of a chapter, then the number


def _numbered_edges(pages: list[list[str]]) -> list[set[int]]:
    """Per page, its first or last line when that line ends in the page's printed number: the numbers at the
    pages' edges that count up with the pages (the most common difference between a page's number and its
    place in the file, on three pages at least and more than a third of them). A texinfo manual's header
    names the chapter ("Chapter 4: Function reference 12"), so no one text recurs on more than half of the
    pages, and a chapter's first page has its number alone ("1"): both were read as text, glued to the page's
    first sentence."""
    found: list[list[tuple[int, int]]] = []  # per page: (line, the number it ends in)
    for page in pages:
        content = [i for i, line in enumerate(page) if line.strip()]
        lines = {content[0], content[-1]} if len(content) >= 3 else set()
        matches = [(i, _ENDS_IN_NUMBER.search(page[i].strip())) for i in sorted(lines)]
        found.append([(i, int(m.group(1))) for i, m in matches if m and len(page[i].split()) <= NUMBERED_LINE_WORDS])
    offsets: dict[int, int] = {}
    for place, ends in enumerate(found):
        for shift in {number - place for _, number in ends}:
            offsets[shift] = offsets.get(shift, 0) + 1
    if not offsets:
        return [set() for _ in pages]
    shift, count = max(offsets.items(), key=lambda item: item[1])
    if count < 3 or count <= len(pages) / 3:
        return [set() for _ in pages]
    return [{i for i, number in ends if number - place == shift} for place, ends in enumerate(found)]


# a line that only numbers its page: "Page 2", "Page 2 of 3", "2 of 3", "- 2 -", "2/3" (numbers masked); not a
# bare number, which on a page or two may be content
_PAGE_LABEL = re.compile(r"- ?# ?-|page #(?: of #)?|# of #|#/#")


# a browser's stamp over a printed page: "12/4/26, 11:28 PM Lisbon trip itinerary" (Chrome, Firefox)
_PRINTED_AT = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?\b", re.I)
_ENDS_NUMBERED = re.compile(r"(?:\bpage\s+)?(\d+)\s*(?:/|\bof\b)\s*(\d+)\s*$", re.I)


def _numbers_its_page(line: str, number: int, count: int) -> bool:
    """Does the line end with its own page's number and the page count ("file:///.../trip.html 1/1", "Page 2
    of 2"): a footer, where "Add 1/2 cup" on a page of one is not?"""
    found = _ENDS_NUMBERED.search(line)
    return found is not None and (int(found.group(1)), int(found.group(2))) == (number, count)


def _running_on_few(pages: list[list[str]]) -> list[set[int]]:
    """`running_lines` for one or two pages, where "on more than half of the pages" cannot tell a header
    from content: a line among the first or last RUNNING_LINES of both pages with the same text (spaces and
    case aside: a journal's "Journal of Urban Ecology 14 (2024) 113-121"), a page's first or last line
    that only numbers it ("Page 1", "1 of 2"), and, among those lines, one that ends with its page's number
    and the page count ("file:///home/ann/trip.html 1/1") or opens with a browser's print stamp ("12/4/26,
    11:28 PM Lisbon trip"). Otherwise a two-page article's header was glued to its title, its footer to the
    last sentence of each page, and a web page saved as a PDF ended in a "sentence" of its date and address.
    Pages of fewer than three lines are left whole."""
    ends: list[list[int]] = []
    for page in pages:
        content = [i for i, line in enumerate(page) if line.strip()]
        ends.append(content[:RUNNING_LINES] + content[-RUNNING_LINES:] if len(content) >= 3 else [])
    texts = [{i: " ".join(page[i].split()).lower() for i in edge} for page, edge in zip(pages, ends)]
    both = set(texts[0].values()) & set(texts[-1].values()) if len(pages) == 2 else set()
    shared = {t for t in both if any(c.isalpha() for c in t)}
    return [
        {
            i
            for i in edge
            if text[i] in shared
            or (i in (edge[0], edge[-1]) and _PAGE_LABEL.fullmatch(_line_key(page[i])))
            or _numbers_its_page(page[i], number, len(pages))
            or _PRINTED_AT.match(page[i].strip())
        }
        for number, (page, edge, text) in enumerate(zip(pages, ends, texts), 1)
    ]


FOOTNOTE_SCALE = 0.9  # a footnote is set this much smaller than the page's text, or smaller still
NOTE_SMALLEST = 0.5  # but not as small as a figure's labels (a plot drawn scaled down) may be
# a footnote's mark opening its first line: a number set as a superscript before its text ("1We thank ..."), or a
# symbol ("*Paper accepted in ...", "\u2020This file may ..."); or the mark alone on a line of its own
_NOTE_MARK = re.compile(r"\s*(?:\d{1,3}(?=\s?[^\W\d_])|[*\u2217\u2020\u2021\u00a7\u00b6](?=\s?\S))")
_MARK_ALONE = re.compile(r"\s*(?:\d{1,3}|[*\u2217\u2020\u2021\u00a7\u00b6])\s*")
FOOTER_WORDS = 6  # a footer below the footnotes (a page number, a short running line) is at most this long


def _inked(raw: str) -> list[tuple[int, int]]:
    """The spans of a page's lines with ink (not blank), as `_line_looks` lists their looks."""
    return [m.span() for m in re.finditer(r"[^\r\n]+", raw) if m.group().strip()]


def _blanked(raw: str, spans: list[tuple[int, int]]) -> str:
    """The page's text with these spans blanked (their line breaks kept): left out, offsets kept PDFium's."""
    out = list(raw)
    for start, end in spans:
        out[start:end] = re.sub(r"[^\r\n]", " ", raw[start:end])
    return "".join(out)


def _text_size(looks: list[tuple[str, float, bool]]) -> float | None:
    """The size most of a page's characters are set in (None for a page without text)."""
    weight: dict[float, int] = {}
    for line, size, _ in looks:
        weight[size] = weight.get(size, 0) + len(line)
    return max(weight, key=lambda size: weight[size]) if weight else None


def footnote_block(looks: list[tuple[str, float, bool]], continued: bool = False) -> tuple[int, int, int] | None:
    """Where a page's footnotes stand among its lines (their looks), as (lead, first, end): the run of lines
    set FOOTNOTE_SCALE times smaller than the page's text (the size most of its characters are set in), but
    not below NOTE_SMALLEST times, at its foot, above at most two short lines (a footer), from the first
    that opens with a footnote's mark, below at least three lines of text at the text's size, and at most
    half of the page's lines (three for a short page); None for a page without. A caption or a table's
    small print opens with no mark. When the page before ended in a footnote (`continued`), the lines of the
    run before the first mark, from `lead`, are the rest of it (TeX breaks a long note over two pages), and
    so is a run without a mark that opens in lower case."""
    body = _text_size(looks)
    if body is None:
        return None
    end = len(looks)
    for _ in range(2):
        line, size, _ = looks[end - 1] if end else ("", 0.0, False)
        numbers_page = bool(_PAGE_NUMBER.fullmatch(key := _line_key(line)) or _PAGE_LABEL.fullmatch(key))
        if end and (size > FOOTNOTE_SCALE * body or numbers_page) and len(line.split()) <= FOOTER_WORDS:
            end -= 1  # a footer below the notes, or a page number in their small type ("Page 3 of 10")
    start = end
    while start and NOTE_SMALLEST * body <= looks[start - 1][1] <= FOOTNOTE_SCALE * body:
        start -= 1
    first = next(
        (
            i
            for i in range(start, end)
            if _NOTE_MARK.match(looks[i][0])
            or (_MARK_ALONE.fullmatch(looks[i][0]) and i + 1 < end and looks[i + 1][0].lstrip()[:1].isalpha())
        ),
        None,
    )
    if first is None and continued and start < end and looks[start][0].lstrip()[:1].islower():
        first = end  # only the rest of the note before
    lead = start if continued else first
    if first is None or lead is None or sum(1 for _, size, _ in looks[:lead] if size == body) < 3:
        return None
    return (lead, first, end) if end - lead <= max(3, len(looks) // 2) else None


def footnotes_apart(
    raw: str, looks: list[tuple[str, float, bool]], continued: bool = False
) -> tuple[str, str, str, list[tuple[str, float, bool]]]:
    """A page's text without its footnotes (`footnote_block`; their characters blanked, so that offsets into
    the page stay PDFium's), the footnotes as paragraphs, one a note, their marks left out, the rest of the
    page before's last note, and the looks of the lines left. A footnote at a page's foot was read into the
    sentence that the page break cut ("... a number 20Note that in the first example ... of R packages, such
    as ...")."""
    block = footnote_block(looks, continued)
    if block is None:
        return raw, "", "", looks
    inked = _inked(raw)
    if len(inked) != len(looks):
        return raw, "", "", looks
    lead, first, end = block
    start, stop = inked[lead][0], inked[end - 1][1]
    rest = " ".join(raw[a:b] for a, b in inked[lead:first])
    notes: list[list[str]] = []
    for line in _page_lines(raw[inked[first][0] : stop] if first < end else "").split("\n"):
        if _MARK_ALONE.fullmatch(line):
            notes.append([])
        elif (mark := _NOTE_MARK.match(line)) is not None:
            notes.append([line[mark.end() :]])
        elif notes:
            notes[-1].append(line)
    text = clean_page("\n\n".join("\n".join(note) for note in notes))
    rest = " ".join(clean_page(_page_lines(rest)).split())
    return _blanked(raw, [(start, stop)]), paragraphs_text(re.split(r"\n\s*\n", text)), rest, looks[:lead] + looks[end:]


def without_plots(raw: str, looks: list[tuple[str, float, bool]]) -> tuple[str, list[tuple[str, float, bool]]]:
    """A page's text without the text of a plot drawn in it (its lines blanked, offsets kept), and the looks
    of the lines left: lines of numbers alone set larger than the page's text (an axis's tick labels), and
    the labels among them (`_plotted`). They ran into the figure's caption, and an axis's title set large
    ("Increase in Sleep (Hours)") was taken for a heading."""
    body = _text_size(looks)
    if body is None:
        return raw, looks
    large = HEADING_SCALE * body
    drawn = {
        k
        for k, (line, size, _) in enumerate(looks)
        if size >= large and (_plotted(looks, k, large, itself=True) if _only_numbers(line) else _plotted(looks, k, large))
    }
    inked = _inked(raw)
    if not drawn or len(inked) != len(looks):
        return raw, looks
    return _blanked(raw, [inked[k] for k in drawn]), [look for k, look in enumerate(looks) if k not in drawn]


# a footnote's mark in the text: a number right after a sentence's or a clause's stop ("... two
# distributions.2 For instance", "(Gelling et al. 2017).1 This"), or after a word and before a stop set
# apart ("... the displ constructor2 ."); only where it is set smaller than the character before it. Found
# here, the word or bracket before it checked by `_marks_in_text` (lookbehinds of several characters make
# the search twice as slow)
_MARK_IN_TEXT = re.compile(r"(?<=[.,;:])\d{1,2}(?=\s)|(?<=[^\W\d_])\d{1,2}(?= [.,;:])")


def _marks_in_text(raw: str) -> list[tuple[int, int]]:
    """The spans of `_MARK_IN_TEXT`'s numbers after a word of two letters or more, or a closing bracket."""
    found = []
    for mark in _MARK_IN_TEXT.finditer(raw):
        at = mark.start()
        if raw[at - 1] in ".,;:":
            ok = raw[at - 2 : at - 1] == ")" or (at >= 3 and raw[at - 3].isalpha() and raw[at - 2].isalpha())
        else:
            ok = at >= 2 and raw[at - 2].isalpha()
        if ok:
            found.append(mark.span())
    return found


MARK_SCALE = 0.85  # a footnote's mark is set at most this large against the character before it


def without_note_marks(textpage, raw: str) -> str:
    """A page's text with the footnote marks in its sentences blanked (`_MARK_IN_TEXT`, set smaller than the
    text: a superscript), offsets kept: "distributions.2 For instance" was one sentence with the next."""
    found = _marks_in_text(raw)
    if not found:
        return raw
    size = _font_sizes(textpage, raw)
    return _blanked(raw, [(a, b) for a, b in found if all(size(i) <= MARK_SCALE * size(a - 1) for i in range(a, b))])


def _font_sizes(textpage, raw: str) -> Callable[[int], float]:
    """The font size of a page's character, by its index in `raw` (PDFium counts UTF-16 units)."""
    import pypdfium2.raw as pdfium_c

    at = _pdfium_index(raw)
    return lambda i: pdfium_c.FPDFText_GetFontSize(textpage.raw, at(i))


# where a sentence ends: a stop (and a closing quote or bracket) before a capital, or at the paragraph's end
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[A-Z]|\s*\n|\s*$)")


def after_first_sentence(prose: str, rows: list[tuple[int, int]], notes: str) -> tuple[str, list[tuple[int, int]]]:
    """A page's text with the page before's footnotes set after the sentence that ran on into it (its first),
    as paragraphs of their own; `rows` (spans in the text) moved with what follows them."""
    found = _SENTENCE_END.search(prose)
    at = found.end() if found is not None else len(prose)
    rest = prose[at:].lstrip()
    inserted = f"\n\n{notes}\n\n" if rest else f"\n\n{notes}"
    shift = len(inserted) - (len(prose) - at - len(rest))
    moved = [(start + shift, end + shift) if start >= at else (start, end) for start, end in rows]
    return prose[:at] + inserted + rest, moved


# A note set in the page's right margin ("New description 1996/12/01" beside a paragraph of the LaTeX manuals,
# a change bar's date, a gloss) is drawn where its line is, so PDFium read it into the middle of a sentence:
# "... part of the pream- New description 1996/12/01 ble." A label in the left margin (a macro's or an
# option's name beside its description, in ltxdoc's and many packages' manuals) names what the text beside it
# is about, and stays where it is.
MARGIN_GAP = 8.0  # points: a note stands at least this far past the text block's edge, and from the text beside it
MARGIN_EDGE = 1.5  # points: lines ending within this of one another end at the text block's edge
MARGIN_SHARE = 0.2  # at least this share of the lines ends at that edge (a justified text)
MARGIN_MOST = 0.1  # more than this share of a page's words past the edge: a column or a table, no notes
MARGIN_WORDS = 4  # a note is at most this many words on a line
MARGIN_LINE = 20  # characters: a line this long is text, whose end may mark the block's edge
MARGIN_PAGES = 40  # pages read for the edge, at most
MARGIN_LARGER = 0.375  # points: a piece set larger than most lines' start by more than this is no note


def _boxes(textpage, raw: str) -> Callable[[int], tuple[float, float]]:
    """The left and right edge of a page's character, by its index in `raw` (PDFium counts UTF-16 units)."""
    import pypdfium2.raw as pdfium_c

    at = _pdfium_index(raw)
    edges = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top

    def across(i: int) -> tuple[float, float]:
        pdfium_c.FPDFText_GetCharBox(textpage.raw, at(i), *(ctypes.byref(e) for e in edges))
        return edges[0].value, edges[1].value

    return across


def _inked_lines(raw: str) -> list[tuple[int, int]]:
    """`_inked`'s lines, each from its first character with ink to past its last."""
    return [(a + len(raw[a:b]) - len(raw[a:b].lstrip()), a + len(raw[a:b].rstrip())) for a, b in _inked(raw)]


def line_ends(textpage, raw: str) -> list[float]:
    """Where each line of text ends on the page (its last character's right edge): lines of at least
    `MARGIN_LINE` characters, not a plot's labels and points."""
    across = _boxes(textpage, raw)
    return [across(end - 1)[1] for start, end in _inked_lines(raw) if end - start >= MARGIN_LINE]


def text_edges(ends: dict[int, list[float]], count: int) -> list[float | None]:
    """Per page of `count`, the right edge of the text block: where at least `MARGIN_SHARE` of the lines
    end (a justified text), over the document's odd and even pages apart (a book's margins alternate), of
    the pages whose line ends are given (by page number); None where no edge stands out."""

    def edge(values: list[float]) -> float | None:
        values = sorted(values)
        best, most, lo = None, 0, 0
        for hi, value in enumerate(values):  # the largest cluster of values within MARGIN_EDGE of its first
            while value - values[lo] > MARGIN_EDGE:
                lo += 1
            if hi - lo + 1 > most:
                best, most = value, hi - lo + 1
        return best if most >= MARGIN_SHARE * len(values) else None

    sides = [edge([end for number, page in ends.items() if number % 2 == parity for end in page]) for parity in (0, 1)]
    return [sides[n % 2] for n in range(count)]


def sampled_pages(count: int) -> list[int]:
    """The pages whose lines tell where the text block ends: all of a short document, `MARGIN_PAGES` spread
    over a long one (the block is the same on every page, or on every other)."""
    if count <= MARGIN_PAGES:
        return list(range(count))
    return sorted({round(k * (count - 1) / (MARGIN_PAGES - 1)) for k in range(MARGIN_PAGES)})


def margin_notes_apart(textpage, raw: str, right: float | None) -> tuple[str, str]:
    """A page's text without the notes set in its right margin (blanked, offsets kept PDFium's; a line all
    in the margin loses its break too), and those notes as paragraphs: a run of lines that hold one, one
    paragraph. A note is a piece of a line past the text block's edge (`text_edges`) by `MARGIN_GAP`, as
    far from the text before it (which ends inside the block), of at most `MARGIN_WORDS` words a line, a
    letter in its run of lines (a line's number in the margin stays where it is), set no larger than most of
    the page's lines begin. A page where more than `MARGIN_MOST` of the words are in such pieces is set in
    columns, or holds a table: left as it is."""
    if right is None:
        return raw, ""
    across = _boxes(textpage, raw)
    inked = _inked_lines(raw)
    pieces: dict[int, tuple[int, int]] = {}  # line number: the span of raw that is a note
    for n, (start, end) in enumerate(inked):
        if across(end - 1)[0] <= right + MARGIN_GAP:
            continue
        ink = [i for i in range(start, end) if not raw[i].isspace()]
        boxes = [across(i) for i in ink]
        past = (
            k
            for k, (a, _) in enumerate(boxes)
            if a > right + MARGIN_GAP and (k == 0 or (a - boxes[k - 1][1] >= MARGIN_GAP and boxes[k - 1][1] <= right + MARGIN_EDGE))
        )
        k = next(past, None)
        if k is not None:
            pieces[n] = (ink[k], ink[-1] + 1)
    if pieces:  # a note is set no larger than the text (an author's name or a date on a title page is)
        size = _font_sizes(textpage, raw)
        sizes = sorted(size(start) for start, _ in inked)
        body = sizes[len(sizes) // 2]
        pieces = {n: (a, b) for n, (a, b) in pieces.items() if size(a) <= body + MARGIN_LARGER}
    words = {n: raw[a:b].split() for n, (a, b) in pieces.items()}
    runs: list[list[int]] = []  # notes: runs of lines (their numbers) with a piece in the margin
    for n in sorted(pieces):
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    runs = [
        run
        for run in runs
        if all(len(words[n]) <= MARGIN_WORDS for n in run) and any(re.search(r"[^\W\d_]", " ".join(words[n])) for n in run)
    ]
    beyond = sum(len(words[n]) for run in runs for n in run)
    if not runs or beyond > MARGIN_MOST * sum(len(raw[start:end].split()) for start, end in inked):
        return raw, ""
    out = list(raw)
    for run in runs:
        for n in run:
            start, end = pieces[n]
            if (start, end) == inked[n]:  # the whole line: its break goes too
                start, stop = raw.rfind("\n", 0, start) + 1, raw.find("\n", end)
                end = len(raw) if stop < 0 else stop + 1
            out[start:end] = " " * (end - start)
    return "".join(out), "\n\n".join(" ".join(w for n in run for w in words[n]) for run in runs)


def _opened(pdf, number: int) -> tuple:
    """A page of an open PDF, its text page and its text."""
    page = pdf[number]
    textpage = page.get_textpage()
    return page, textpage, textpage.get_text_range()


_PDFIUM = threading.Lock()  # PDFium keeps one state per process and is not thread-safe


def parse_pdf(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """PDF: text per page, read by PDFium (pypdfium2), which spaces words by where they are drawn, so
    justified lines keep their spaces (pypdf's text layer gave "requiresavalue" in the LaTeX manuals).
    Pages are paragraph boundaries and each page's start offset is kept, so a sentence's page number is
    part of its citation. Running headers and footers are dropped. More than `rules.max_pdf_pages` pages,
    or more text than `rules.text_limit()`, and the file is skipped (the text limit is checked page by
    page)."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                return Skipped(path, "encrypted PDF")
            raise
        opened: dict[int, tuple] = {}  # pages read for the text block's edge, kept open to be read for their text
        try:
            count = len(pdf)
            if count > rules.max_pdf_pages:
                return Skipped(path, f"PDF of {count:,} pages (limit {rules.max_pdf_pages:,}; QA_MAX_PDF_PAGES)")
            meta = pdf.get_metadata_dict()
            title = metadata_title(str(meta.get("Title") or ""))
            typeset = bool(_TEX.search(f"{meta.get('Producer') or ''} {meta.get('Creator') or ''}"))
            outline = _pdf_outline(pdf, count)
            opened = {number: _opened(pdf, number) for number in sampled_pages(count)}
            edges = text_edges({number: line_ends(textpage, raw) for number, (_, textpage, raw) in opened.items()}, count)
            pages: list[str] = []
            notes: list[str] = []  # each page's footnotes, apart from its text
            looks: list[list[tuple[str, float, bool]]] = []  # each page's lines, their sizes, bold or not
            size = 0
            carry = None  # the columns and names of the table the page before ended with
            for number in range(count):
                page, textpage, raw = opened.pop(number, None) or _opened(pdf, number)
                raw, margin = margin_notes_apart(textpage, raw, edges[number])
                looks.append(_line_looks(textpage, raw))
                raw, note, rest, body_looks = footnotes_apart(without_note_marks(textpage, raw), looks[-1], bool(notes and notes[-1]))
                raw, body_looks = without_plots(raw, body_looks)
                if rest:
                    notes[-1] = f"{notes[-1]} {rest}"
                notes.append("\n\n".join(part for part in (note, margin) if part))
                tables = [] if typeset else _tables(textpage, raw, body_looks, carry)
                carry = carried_table(raw, tables)
                breaks = [] if typeset else paragraph_breaks(textpage, raw)
                pages.append(_page_lines(with_tables(raw, tables, breaks)))
                if tables:  # a table's header, in bold, looks like a heading: its names are read with each row
                    names = table_headers(raw, tables)
                    looks[-1] = [("" if bold and " ".join(t.split()) in names else t, size, bold) for t, size, bold in looks[-1]]
                textpage.close()
                page.close()
                size += len(pages[-1])
                if size > rules.text_limit():
                    return too_much_text(path, rules)
            if outline:
                outline, shown = titled(with_sub_headings(outline, looks), looks, title)
                title = title or shown
            else:
                outline, named = font_outline(looks, title)
                title = title or named
            outline = with_abstract(outline, looks)
        finally:
            for page, textpage, _ in opened.values():
                textpage.close()
                page.close()
            pdf.close()
    if count and not any(page.strip() for page in pages):
        pages_said = "its page" if count == 1 else f"its {count:,} pages"
        return Skipped(path, f"no text on {pages_said}: a scan? qa reads a PDF's text layer and has no OCR")
    pieces: list[str] = []
    starts: list[int] = []
    records: list[tuple[int, int]] = []
    offset = 0
    texts = [_unmarked(paragraphs_text(re.split(r"\n\s*\n", clean_page(raw)))) for raw in set_apart(without_running_lines(pages), outline)]
    carried = ""  # the footnotes of the page before, when a sentence runs on from it into this one
    for number, (prose, rows) in enumerate(texts):
        if carried:
            prose, rows = after_first_sentence(prose, rows, carried)
            carried = ""
        if notes[number]:
            if page_continues(prose, texts[number + 1][0] if number + 1 < len(texts) else ""):
                carried = notes[number]
            else:
                prose = f"{prose}\n\n{notes[number]}" if prose else notes[number]
        if pieces:
            # pages are paragraph boundaries, unless a sentence runs on from one page into the next
            joined = page_continues(pieces[-1], prose)
            pieces.append(" " if joined else "\n\n")
            if joined and records and records[-1][1] == offset and not (rows and rows[0][0] == 0):
                # a unit (a reference, a table's row) that the page break cut goes on to its paragraph's end
                end = prose.find("\n\n")
                records[-1] = (records[-1][0], offset + 1 + (len(prose) if end < 0 else end))
            offset += len(pieces[-1])
        starts.append(offset)
        records += [(offset + start, offset + end) for start, end in rows]
        pieces.append(prose)
        offset += len(prose)
    text = "".join(pieces)
    sections, headings = _pdf_sections(outline, text, starts)
    return make_document(
        path, data, text, title, pages=tuple(starts), sections=sections, headings=headings, records=tuple(records)
    )


# TeX (pdfTeX, LuaTeX, XeTeX, dvipdfmx) draws a line as many runs of text, one at each font change and
# kerned word, so its runs are no cells; a word processor draws each cell of a table as a text object of its own
_TEX = re.compile(r"\b(?:pdf|lua|xe)?(?:la)?tex\b|\bdvipdf", re.I)
# opens a table row's unit in a page's text until the document is assembled (`_unmarked`): a private-use
# character, never in a document's text (HEADING_MARK's neighbour), and no whitespace that joining lines drops
ROW_MARK = "\ue001"
TABLE_COLUMNS = 3  # a table has at least this many columns
TABLE_ROWS = 2  # and this many rows of them below its header (when it has one)
ALIGNED = 2.0  # points: cells whose left edges differ by at most this stand in one column
TEXT_RUN_GAP = 1.5  # points: runs of text closer than this are one run (a word set in two fonts)
HEADER_CELL_WORDS = 5
_WORD = re.compile(r"\w\w")  # a cell with a word (or a number), not a mark
CARRIED_LINES = 3  # a table goes on from the page before within this many of a page's first lines
FOOTER_LINES = 2  # and ended that page with at most this many short lines below it (a footer, a page number)
PITCH_TOLERANCE = 1.0  # points: lines of a table whose pitches differ by at most this are spaced alike


def _runs(textpage, start: int, count: int) -> list[tuple[float, float, float, float]]:
    """The (left, bottom, right, top) of the runs of text PDFium finds in `count` characters from `start` (a
    rectangle per stretch of a text object), runs closer than TEXT_RUN_GAP merged, left to right."""
    import pypdfium2.raw as pdfium_c

    edges = [ctypes.c_double() for _ in range(4)]  # left, top, right, bottom
    found = []
    for i in range(pdfium_c.FPDFText_CountRects(textpage.raw, start, count)):
        pdfium_c.FPDFText_GetRect(textpage.raw, i, *(ctypes.byref(e) for e in edges))
        left, top, right, bottom = (e.value for e in edges)
        found.append((left, bottom, right, top))
    merged: list[tuple[float, float, float, float]] = []
    for run in sorted(found):
        if merged and run[0] - merged[-1][2] < TEXT_RUN_GAP:
            last = merged[-1]
            merged[-1] = (last[0], min(last[1], run[1]), max(last[2], run[2]), max(last[3], run[3]))
        else:
            merged.append(run)
    return merged


def _tables(
    textpage, raw: str, looks: list[tuple[str, float, bool]], carried: tuple[list[float], list[str]] | None = None
) -> list[tuple[int, int, list[list[str]], bool, list[float]]]:
    """The tables of a page, as (start, end) of their lines in `raw`, their rows of cells and whether the
    first row is a header. A table is a run of lines, each drawn as separate runs of text (PDFium's
    rectangles: a word processor draws each cell as a text object of its own), the first with TABLE_COLUMNS
    runs or more, every run of every line starting where one of the first line's does or ending where it
    ends (a number set flush right; within ALIGNED points), at least TABLE_ROWS of them and three lines with
    the header: prose, even with words set in
    another font, does not line up from one line to the next, and a contents line (dot leaders) or a list's
    item (a bullet first, its text a run of its own) is none. The
    line right above, with short cells that each stand over one of those columns (a header centred over its
    column, or set flush left over numbers set flush right), is its header; else the first row is, when it is all in bold or the numbers below tell
    (`numbers_tell_header`: "Item, Amount" over "Rent, 1150"), and not in a table of text only (a CV's
    "2019-2021  Acme  Engineer" lines). Each cell's text is what PDFium finds inside its run; a table with a
    cell longer than a data table's (`is_data`) is left as it was."""
    lines = _inked(raw)
    if len(lines) < TABLE_ROWS:
        return []
    at = _pdfium_index(raw)
    runs = [_runs(textpage, at(start), at(end) - at(start)) for start, end in lines]
    # a line of one run is no row; nor is a contents line (dot leaders), a list's item (a bullet first) or a
    # line of code (`_fixed_pitch`: tokens highlighted apart line up as cells do), asked only of the others
    no_row = [
        len(line_runs) < 2
        or bool(LEADER.search(raw[start:end]) or _BULLET.match(raw[start:end]))
        or _fixed_pitch(textpage, raw, start, end, at)
        for (start, end), line_runs in zip(lines, runs)
    ]

    def aligned(k: int, columns: list[tuple[float, float]]) -> bool:
        """Does each run of line k start where a column starts, or end where it ends (a number set flush
        right), no two in one column?"""
        if no_row[k]:
            return False
        matched = [_column_at(columns, run) for run in runs[k]]
        return None not in matched and len(set(matched)) == len(matched)

    bolds = [look[2] for look in looks]
    found: list[tuple[int, int, list[list[str]], bool, list[float]]] = []
    i = 0
    if carried:  # the page before ended in a table: it goes on from one of this page's first lines
        for k in range(min(CARRIED_LINES, len(lines))):
            if len(runs[k]) > 1 and (going_on := _wrapped_table(textpage, raw, lines, runs, no_row, bolds, k, 0, carried)):
                found.append((*going_on[:4], going_on[5]))
                i = going_on[4]
                break
    while i < len(lines):
        columns = [(run[0], run[2]) for run in runs[i]]
        if len(columns) < TABLE_COLUMNS or no_row[i]:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and aligned(j, columns):
            j += 1
        spans = _spans(columns, [run for k in range(i, j) for run in runs[k]])
        above = i > 0 and _heads(raw, lines[i - 1], runs[i - 1], spans)
        first = i - 1 if above else i
        rows = [_cells(textpage, runs[k], spans) for k in range(first, j)] if j - i >= TABLE_ROWS else []
        # a table whose cells wrap, or that leaves some empty, reads on past where its lines stop lining up
        # (a note's second line, a row without its last cell): read so, where it reaches further (asked
        # only where the line after the lined-up ones starts where a column does)
        lined_up = j - first >= 3 and is_data(rows)
        goes_on = j < len(lines) and all(any(abs(run[0] - c[0]) <= ALIGNED for c in columns) for run in runs[j])
        after = found[-1][1] if found else 0
        wrapped = _wrapped_table(textpage, raw, lines, runs, no_row, bolds, i, after) if goes_on or not lined_up else None
        if wrapped and (wrapped[4] > j or not lined_up):
            found.append((*wrapped[:4], wrapped[5]))
            i = wrapped[4]
        elif lined_up:
            bold = len(looks) == len(lines) and looks[i][2]
            header = above or bold or bool(numbers_tell_header(rows))
            found.append((lines[first][0], lines[j - 1][1], rows, header, [left for left, _ in columns]))
            i = j
        else:
            i += 1
    return found


def _wrapped_table(
    textpage,
    raw: str,
    lines: list[tuple[int, int]],
    runs: list[list[tuple[float, float, float, float]]],
    no_row: list[bool],
    bold: list[bool],
    i: int,
    after: int,
    carried: tuple[list[float], list[str]] | None = None,
) -> tuple[int, int, list[list[str]], bool, int, list[float]] | None:
    """A table whose cells wrap onto more lines than one (a web page printed to PDF, a word processor's
    table with long notes), read from line i, whose runs start its columns: as `_tables` gives one, with the
    index of the line after it. Its lines are those around line i (none before `after`, where the last
    table found ends) whose every run starts where one of line i's does and ends before the next column
    starts (a cell's text wraps inside its column; a line of prose runs across them). Its rows are the bands
    of those runs that overlap from top to bottom (a cell set in the middle of its row spans the lines of
    the others); a band continues the row above when it has nothing in the first column (the second line of
    a note in a cell set at the top), or when it stands one line's pitch below it where other bands stand
    further apart (the first column wrapping too). It has a header of short names: the line right above,
    short cells over those columns (`_heads`, centred or not, not out to the left of them), else its
    first line in bold. None where that gives no table: no such header, fewer than TABLE_ROWS rows with
    words in two columns or more (prose drawn in pieces: a name in code, a list's marker), or a cell
    longer than a data table's (`is_data`). `carried`: the columns (left edges) and names of the table the
    page before ended with, which this one goes on with from line i (its rows under no header of their own).
    The table's left edges come last."""
    # the columns: where line i's cells start (a mark drawn apart, a ":" after a word in bold, starts none)
    lefts = carried[0] if carried else [run[0] for run in runs[i] if _WORD.search(_run_text(textpage, run))]
    if len(lefts) < TABLE_COLUMNS:
        return None

    def column(run: tuple[float, float, float, float]) -> int | None:
        for k, left in enumerate(lefts):
            if abs(run[0] - left) <= ALIGNED and (k + 1 == len(lefts) or run[2] <= lefts[k + 1] + ALIGNED):
                return k
        return None

    def fits(k: int) -> bool:
        text = raw[lines[k][0] : lines[k][1]]
        if lines[k][0] < after or (no_row[k] and len(runs[k]) > 1) or LEADER.search(text) or _BULLET.match(text):
            return False
        placed = [column(run) for run in runs[k]]
        return bool(placed) and None not in placed and len(set(placed)) == len(placed)

    first, end = i, i + 1
    while first > 0 and fits(first - 1):
        first -= 1
    while end < len(lines) and fits(end):
        end += 1
    # each run with its column and its line, top to bottom
    placed = sorted(((run, column(run) or 0, k) for k in range(first, end) for run in runs[k]), key=lambda c: -c[0][3])
    bands: list[list[tuple[tuple[float, float, float, float], int, int]]] = []
    low = 0.0  # the lowest bottom of the band being gathered
    for entry in placed:
        if bands and entry[0][3] > low:
            bands[-1].append(entry)
            low = min(low, entry[0][1])
        else:
            bands.append([entry])
            low = entry[0][1]
    # the space from one band's last baseline to the next one's first: one line's pitch within a cell, more
    # between rows (a cell's padding, a border); all about the same where no cell wraps onto a band of its own
    baselines = [[_baseline(textpage, entry[0]) for entry in band] for band in bands]
    pitches = [min(above) - max(below) for above, below in zip(baselines, baselines[1:])]
    uneven = bool(pitches) and max(pitches) - min(pitches) > PITCH_TOLERANCE
    rows: list[list[tuple[tuple[float, float, float, float], int, int]]] = []
    for band, pitch in zip(bands, [0.0, *pitches]):
        starts = any(k == 0 for _, k, _ in band) and not (uneven and pitch <= min(pitches) + PITCH_TOLERANCE)
        if rows and not starts:
            rows[-1] += band
        else:
            rows.append(band)
    # a row of the first column alone, first or last, is the short paragraph next to the table (a heading
    # above it, "Fees" below it, set where the first column's cells start)
    while rows and all(k == 0 for _, k, _ in rows[-1]):
        rows.pop()
    while rows and all(k == 0 for _, k, _ in rows[0]):
        rows.pop(0)
    if not rows:
        return None
    first = min(line for row in rows for _, _, line in row)
    end = max(line for row in rows for _, _, line in row) + 1
    cells = [_row_cells(textpage, row, len(lefts)) for row in rows]
    right = max(entry[0][2] for entry in placed)
    spans = [(left, lefts[k + 1] if k + 1 < len(lefts) else right) for k, left in enumerate(lefts)]
    above = (
        carried is None
        and first > 0
        and lines[first - 1][0] >= after
        and runs[first - 1][0][0] >= lefts[0] - ALIGNED  # a header stands over its columns, not out to the left
        and _heads(raw, lines[first - 1], runs[first - 1], spans)
    )
    if above:
        cells.insert(0, _cells(textpage, runs[first - 1], spans))
    if carried:
        cells.insert(0, carried[1])
    named = (above or carried or (len(bold) == len(lines) and bold[first])) and all(
        len(cell.split()) <= HEADER_CELL_WORDS for cell in cells[0]
    )
    filled = sum(sum(bool(_WORD.search(cell)) for cell in row) > 1 for row in cells[1:])
    # a table going on from the page before needs no second row: it has its names
    if not named or filled < (1 if carried else TABLE_ROWS) or not is_data(cells):
        return None
    return lines[first - 1 if above else first][0], lines[end - 1][1], cells, True, end, lefts


def _char_baseline(textpage, index: int) -> float | None:
    """The baseline of the page's character at PDFium's `index` (None where PDFium has no origin for it)."""
    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_double(), ctypes.c_double()
    if index < 0 or not pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y)):
        return None
    return y.value


def _baseline(textpage, run: tuple[float, float, float, float]) -> float:
    """Where a run's text stands: the baseline of its first character (its bottom where PDFium finds none)."""
    import pypdfium2.raw as pdfium_c

    index = pdfium_c.FPDFText_GetCharIndexAtPos(textpage.raw, run[0] + 0.5, (run[1] + run[3]) / 2, 2.0, 2.0)
    found = _char_baseline(textpage, index)
    return run[1] if found is None else found


def _run_text(textpage, run: tuple[float, float, float, float]) -> str:
    """The text PDFium finds inside a run's rectangle."""
    left, bottom, right, top = run
    return textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)


def _row_cells(textpage, row: list[tuple[tuple[float, float, float, float], int, int]], count: int) -> list[str]:
    """A wrapped row's cells: in each column, the text inside its runs (run, column, line) from top to bottom."""
    cells = [""] * count
    for run, k, _ in sorted(row, key=lambda c: -c[0][3]):
        cells[k] = _joined(cells[k], _run_text(textpage, run))
    return cells


def _joined(cell: str, text: str) -> str:
    """A cell's text with a run's text after it, spaces collapsed (PDFium's U+FFFE hyphen marks dropped)."""
    return " ".join(f"{cell} {text}".replace("\ufffe", "").split())


_FIXED_PITCH = 1  # the font descriptor's FixedPitch flag (bit 1)


def _fixed_pitch(textpage, raw: str, start: int, end: int, at) -> bool:
    """Is the line `raw[start:end]` set in a fixed-pitch font (its first, middle and last inked characters;
    `at` maps an index of `raw` to PDFium's)? Code is, and a table's cells are not all."""
    import pypdfium2.raw as pdfium_c

    inked = [i for i in range(start, end) if not raw[i].isspace()]
    if not inked:
        return False
    flags = ctypes.c_int()
    for i in (inked[0], inked[len(inked) // 2], inked[-1]):
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, at(i), None, 0, ctypes.byref(flags))
        if not flags.value & _FIXED_PITCH:
            return False
    return True


def _column_at(columns: list[tuple[float, float]], run: tuple[float, float, float, float]) -> int | None:
    """The column (its first line's run: left, right) a run starts with, or ends with, within ALIGNED."""
    for k, (left, right) in enumerate(columns):
        if abs(run[0] - left) <= ALIGNED or abs(run[2] - right) <= ALIGNED:
            return k
    return None


def _spans(columns: list[tuple[float, float]], runs: list[tuple[float, float, float, float]]) -> list[tuple[float, float]]:
    """Each column's extent: from the leftmost to the rightmost edge of the runs that line up in it."""
    spans = [list(column) for column in columns]
    for run in runs:
        k = _column_at(columns, run)
        if k is not None:
            spans[k] = [min(spans[k][0], run[0]), max(spans[k][1], run[2])]
    return [(left, right) for left, right in spans]


def _placed(spans: list[tuple[float, float]], run: tuple[float, float, float, float]) -> int:
    """The column a run stands in: the one it overlaps most, else the nearest (a header centred over it)."""
    overlap = [min(run[2], right) - max(run[0], left) for left, right in spans]
    best = max(range(len(spans)), key=overlap.__getitem__)
    if overlap[best] > 0:
        return best
    middle = (run[0] + run[2]) / 2
    return min(range(len(spans)), key=lambda k: abs((spans[k][0] + spans[k][1]) / 2 - middle))


def _heads(raw: str, line: tuple[int, int], runs: list[tuple[float, float, float, float]], spans: list[tuple[float, float]]) -> bool:
    """Is this line a header over these columns: two runs or more, no two in one column (`_placed`), each of
    at most HEADER_CELL_WORDS words, not ending a sentence?"""
    text = raw[line[0] : line[1]]
    if len(runs) < 2 or len(text.split()) > HEADER_CELL_WORDS * len(runs) or text.rstrip().endswith((".", "!", "?")):
        return False
    if _LIST_LABEL.match(text):  # "3.  Hire a second engineer": a numbered list's item, drawn apart from its number
        return False
    placed = [_placed(spans, run) for run in runs]
    return len(set(placed)) == len(placed)


def _cells(textpage, runs: list[tuple[float, float, float, float]], spans: list[tuple[float, float]]) -> list[str]:
    """A table line's cells: the text inside each run, in the column it stands in (`_placed`)."""
    cells = [""] * len(spans)
    for run in runs:
        at = _placed(spans, run)
        cells[at] = _joined(cells[at], _run_text(textpage, run))
    return cells


def with_tables(raw: str, tables: Sequence[tuple], breaks: Sequence[int] = ()) -> str:
    """A page's text with each table's lines replaced by its units (`table_units`: a row read with its
    header's column names), each a paragraph of its own; a row (a record) marked with ROW_MARK; and a
    paragraph break before each line that starts at one of `breaks` (outside the tables)."""
    edits = []
    for start, end, rows, header, *_ in tables:
        units = [(ROW_MARK if record else "") + unit for unit, record in table_units(rows, header_row=header)]
        edits.append((start, end, "\r\n\r\n" + "\r\n\r\n".join(units) + "\r\n\r\n"))
    edits += [(at, at, "\r\n") for at in breaks if not any(start <= at < end for start, end, *_ in tables)]
    for start, end, text in sorted(edits, reverse=True):
        raw = raw[:start] + text + raw[end:]
    return raw


# a numbered list's label opening a line ("3.", "(b)", "iv)"), then the item's text
_LIST_LABEL = re.compile(r"^\s*\(?(?:\d{1,3}|[a-zA-Z]|[ivxlc]{1,6})[.)]\s+\S")
PARAGRAPH_PITCH = 1.3  # a line this many times further below the last than such lines usually are opens a paragraph


def paragraph_breaks(textpage, raw: str) -> list[int]:
    """Where a page's paragraphs begin, told by the space above them (a word processor's and a web page's
    paragraphs stand apart; TeX indents its own, and its PDFs are not asked): the start of each line whose
    baseline stands PARAGRAPH_PITCH times further below the line before than a line of its size usually
    stands below one of the same size (the lower quartile: within a paragraph). A list item whose bullet is
    drawn as a shape (a web page printed to PDF) is no line of the paragraph above it this way either; nor is
    a numbered list's item (`_labelled`), set without space between items."""
    import pypdfium2.raw as pdfium_c

    at = _pdfium_index(raw)
    lines = _inked_lines(raw)
    found = []  # (start, first baseline, last baseline, font size) of each line (PDFium joins some lines)
    for start, end in lines:
        first, last = at(start), at(end - 1)
        top, bottom = _char_baseline(textpage, first), _char_baseline(textpage, last)
        if top is not None and bottom is not None:
            size = round(pdfium_c.FPDFText_GetFontSize(textpage.raw, first) * 2) / 2
            found.append((start, top, bottom, size))
    steps = [(above[2] - below[1], above[3] == below[3], below) for above, below in zip(found, found[1:])]
    usual: dict[float, list[float]] = {}
    for pitch, same, below in steps:
        if same and pitch > 0:
            usual.setdefault(below[3], []).append(pitch)
    within = {size: sorted(p)[len(p) // 4] for size, p in usual.items() if len(p) >= 3}
    # PDFium lists a page's lines in the order they were drawn, mostly the order they are read: a line drawn
    # out of turn (a word in code, the next column) stands between two lines listed one after the other
    baselines = sorted({round(b, 1) for line in found for b in line[1:3]})

    def apart(high: float, low: float) -> bool:  # no other line stands between these baselines
        return bisect.bisect_right(baselines, high - 1) == bisect.bisect_left(baselines, low + 1)

    spaced = [
        below[0]
        for (pitch, _, below), above in zip(steps, found)
        if below[3] in within and pitch > PARAGRAPH_PITCH * within[below[3]] and apart(above[2], below[1])
    ]
    return sorted({*spaced, *_labelled(textpage, raw, lines, at), *_after_short_lines(textpage, raw, lines)})


SHORT_LINE = 0.5  # a line that fills less than this share of the width its column's lines usually reach is short
SHORT_LINE_SAMPLES = 3  # lines of a column, at least, to tell how far they usually reach


def _after_short_lines(textpage, raw: str, inked: list[tuple[int, int]]) -> list[int]:
    """The starts of the lines that follow a short one, opening with a capital letter or a digit: a line of
    prose runs on to where its column's lines usually end (the upper quartile of the right edges of the
    lines beside it, above or below: those it overlaps across the page), and one that stops short of
    SHORT_LINE of that width ends a paragraph, a heading or a list's item ("Order tools" over "Fix the tap
    by the greenhouse", their bullets drawn as shapes). A line after a short one that opens in lower case,
    or after one ending in a comma or a hyphen, goes on with its sentence (a long web address wrapped), and
    one after a label ("Affiliation:") says what it labels. `inked`: the page's `_inked_lines`."""
    across = _boxes(textpage, raw)
    lines = [(start, across(start)[0], across(end - 1)[1]) for start, end in inked]
    out = []
    for (_, left, right), (start, _, _) in zip(lines, lines[1:]):
        ends = sorted(end for _, start, end in lines if start <= right and end >= left)
        if len(ends) < SHORT_LINE_SAMPLES:
            continue
        full = ends[len(ends) * 3 // 4]
        opens, before = raw[start : start + 1], raw[:start].rstrip()[-1:]
        if (opens.isupper() or opens.isdigit()) and before not in ",-:" and right - left < SHORT_LINE * (full - left):
            out.append(start)
    return out


def _labelled(textpage, raw: str, lines: list[tuple[int, int]], at: Callable[[int], int]) -> list[int]:
    """The starts of the page's `lines` (`_inked_lines`) that open a numbered list's item: a label ("3.",
    "(b)") drawn apart from the text after it, as word processors set a list (a tab after the number), not a
    sentence that ends a line before with "page" and opens this one with "3. The next ...": one run of
    text. `at`: `_pdfium_index(raw)`."""
    return [
        start
        for start, end in lines
        if _LIST_LABEL.match(raw[start:end]) and len(_runs(textpage, at(start), at(end) - at(start))) > 1
    ]


def table_headers(raw: str, tables: Sequence[tuple]) -> set[str]:
    """The header lines of a page's tables (their first lines, where they say the header's names: not a row
    of a table going on from the page before, under that page's names), spaces collapsed."""
    return {
        " ".join(raw[a:b].split())
        for a, b in _inked(raw)
        for start, _, rows, header, *_ in tables
        if header and a == start and title_key(raw[a:b]) == title_key(" ".join(rows[0]))
    }


def carried_table(raw: str, tables: Sequence[tuple]) -> tuple[list[float], list[str]] | None:
    """The columns (left edges) and names of the table a page ends with, which the next page's may go on
    with: at most FOOTER_LINES short lines below it (a footer, a page number), and a header naming
    TABLE_COLUMNS columns or more."""
    if not tables or not tables[-1][3]:
        return None
    start, end, rows, _, lefts = tables[-1]
    if sum(bool(_WORD.search(name)) for name in rows[0]) < TABLE_COLUMNS:
        return None
    below = [raw[a:b] for a, b in _inked(raw) if a >= end]
    if len(below) > FOOTER_LINES or any(len(line.split()) > RUNNING_WORDS for line in below):
        return None
    return lefts, rows[0]


def _unmarked(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without its ROW_MARKs, and the spans of the rows they opened (each to its paragraph's end)."""
    spans = []
    for removed, piece in enumerate(re.finditer(rf"{ROW_MARK}[^\n]*", text)):
        start = piece.start() - removed  # each mark before it is gone
        spans.append((start, start + len(piece.group()) - 1))
    return text.replace(ROW_MARK, ""), spans


def _page_lines(text: str) -> str:
    """PDFium's page text with its line breaks as "\n". PDFium joins a word hyphenated at a line's end into
    one line, marking the break with U+FFFE: it becomes "-\n" again, so that clean_page joins it as it
    joins any other, and the page keeps its lines for the running header and footer check."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n")


def _pdf_outline(pdf, count: int) -> list[tuple[int, str, int]]:
    """The PDF's outline (bookmarks) as (depth, title, page index) in reading order; none if it is broken."""
    entries = []
    try:
        for mark in pdf.get_toc():
            dest = mark.get_dest()
            page = dest.get_index() if dest is not None else None
            title = " ".join(str(mark.get_title() or "").split())
            if title and page is not None and 0 <= page < count:
                entries.append((mark.level, title, page))
    except Exception:  # noqa: BLE001 - a broken outline costs the headings, never the document
        return []
    return entries


# a bold face, by its name: "Arial-BoldMT", "Calibri-Bold", "SegoeUI-Semibold", TeX's bold extended "CMBX12",
# "SFBX1000" (PDFium's weight is 0 for a font without a descriptor, as the standard fonts are)
_BOLD_FONT = re.compile(r"bold|black|heavy|demi|bx\d", re.I)


def _pdfium_index(raw: str) -> Callable[[int], int]:
    """PDFium counts a page's characters in UTF-16 units, and one beyond the Basic Multilingual Plane (an
    emoji) is two: the index PDFium gives a character of `raw`."""
    if max(raw, default=" ") <= "\uffff":
        return lambda i: i
    shift = list(itertools.accumulate((ord(c) > 0xFFFF for c in raw), initial=0))
    return lambda i: i + shift[i]


def _line_looks(textpage, raw: str) -> list[tuple[str, float, bool]]:
    """A page's lines, each with its font size and whether it is all in bold: the median size of its first,
    middle and last characters, bold when all three are (three characters a line, not every one, are asked
    of PDFium). PDFium counts characters in UTF-16 units."""
    import pypdfium2.raw as pdfium_c

    at = _pdfium_index(raw)
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()

    def bold(i: int) -> bool:
        if pdfium_c.FPDFText_GetFontWeight(textpage.raw, i) >= 600:
            return True
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, name, len(name), ctypes.byref(flags))
        return bool(flags.value & _FORCE_BOLD) or bool(_BOLD_FONT.search(name.value.decode("latin-1")))

    out = []
    for found in re.finditer(r"[^\r\n]+", raw):
        line = found.group()  # a word hyphenated inside it is marked U+FFFE (see _page_lines)
        inked = [found.start() + i for i, c in enumerate(line) if not c.isspace()]
        if not inked:
            continue
        picks = [at(i) for i in (inked[0], inked[len(inked) // 2], inked[-1])]
        sizes = sorted(pdfium_c.FPDFText_GetFontSize(textpage.raw, i) for i in picks)
        size = round(sizes[1] * 2) / 2  # to half points: a size drawn as 11.96 is 12
        out.append((line.replace("\ufffe", ""), size, all(bold(i) for i in picks)))
    return out


_FORCE_BOLD = 1 << 18  # the font descriptor's ForceBold flag (bit 19)
HEADING_SCALE = 1.15  # a line this much larger than the body text, short and standing alone, is a heading
HEADING_LEVELS = 4
BOLD_SHARE = 0.25  # when more of the lines than this are all in bold, bold sets nothing apart


TITLE_LINES = 3  # a title is wrapped over at most this many lines, one after another
TITLE_TOP = 10  # and begins among the first page's first this many lines


def _title_line(sized: list[tuple[int, int, str, float]], first_page: list[tuple[str, float, bool]]) -> tuple[list[str], int]:
    """A PDF's title as its first page shows it, and the number of its first line there: the lines set in the
    largest size, when only the first page has them, one after another, at most TITLE_LINES, beginning among
    the page's first TITLE_TOP lines (`first_page`: its lines' looks) with no sentence before them (a saved web
    page's navigation may be) ([] when none)."""
    if not sized:
        return [], 0
    largest = max(size for *_, size in sized)
    lines = [(page, at, t) for page, at, t, size in sized if size == largest]
    numbers = [at for _, at, _ in lines]
    if any(page for page, _, _ in lines) or len(lines) > TITLE_LINES or numbers != list(range(numbers[0], numbers[0] + len(lines))):
        return [], 0  # on other pages too, or apart: headings of one size, no title
    before = [text for text, _, _ in first_page[: numbers[0]]]
    if numbers[0] >= TITLE_TOP or any(text.rstrip().endswith((".", "!", "?")) for text in before):
        return [], 0  # below the page's top or its prose: large type within it ("Total due: 1,250 EUR") is content
    return [t for _, _, t in lines], lines[0][1]


def _named_title(first_page: list[tuple[str, float, bool]], named: str) -> tuple[list[str], int]:
    """The lines of the first page (one to TITLE_LINES, one after another, among its first TITLE_TOP) that
    say the title the PDF's metadata names, and the number of the first; ([], 0) when none do. A journal's
    name set larger than an article's title ("JSS Journal of Statistical Software") is no title."""
    key = title_key(named)
    if not key:
        return [], 0
    keys = [title_key(line) for line, _, _ in first_page[:TITLE_TOP]]
    for at in range(len(keys)):
        for n in range(1, TITLE_LINES + 1):
            if "".join(keys[at : at + n]) == key:
                return [line for line, _, _ in first_page[at : at + n]], at
    return [], 0


def titled(
    outline: list[tuple[int, str, int]], looks: list[list[tuple[str, float, bool]]], named: str = ""
) -> tuple[list[tuple[int, str, int]], str]:
    """An outline (bookmarks) with the title its first page shows (the one the metadata `named`, else by its
    size: `_title_line`), when the bookmarks do not have it, as an entry of their top level: set apart, it no
    longer runs into the first sentence ("LATEX 2ε font selection © Copyright ..."), and heads what comes
    before the first bookmark; and that title ("" if the page shows none), the document's where its
    metadata names none (a word processor's export of a document whose Title paragraph it bookmarks)."""
    first = looks[0] if looks else []
    lines, _ = _named_title(first, named)
    if not lines:
        _, sized = _sized_lines(looks)
        lines, _ = _title_line(_not_running(sized), first)
    shown = " ".join(lines)
    keys = {title_key(t) for _, t, _ in outline}
    if not lines or title_key(shown) in keys or any(title_key(line) in keys for line in lines):
        return outline, shown
    return [(min(depth for depth, _, _ in outline), shown, 0), *outline], shown


_ABSTRACT = re.compile(r"\s*(?:abstract|summary)[.:]?\s*", re.I)


def _abstract_line(looks: list[list[tuple[str, float, bool]]]) -> tuple[int, int, str] | None:
    """(page, line, text) of a paper's "Abstract" (or "Summary"), a line of its own on the first two pages."""
    return next(
        ((page, at, line) for page, lines in enumerate(looks[:2]) for at, (line, _, _) in enumerate(lines) if _ABSTRACT.fullmatch(line)),
        None,
    )


def with_abstract(outline: list[tuple[int, str, int]], looks: list[list[tuple[str, float, bool]]]) -> list[tuple[int, str, int]]:
    """The outline with a paper's "Abstract" (`_abstract_line`) as a heading below the top level when the
    outline lacks it: otherwise the authors' names and affiliations ran into its first sentence ("Colin S.
    Gillespie Newcastle University Abstract Over the last few years, ...")."""
    found = _abstract_line(looks)
    if not outline or found is None or any(_ABSTRACT.fullmatch(t) for _, t, _ in outline):
        return outline
    page, _, line = found
    entry = (min(depth for depth, _, _ in outline) + 1, line.strip().rstrip(".:"), page)
    at = next((i for i, (_, _, p) in enumerate(outline) if p > page), len(outline))
    return [*outline[:at], entry, *outline[at:]]


def font_outline(looks: list[list[tuple[str, float, bool]]], named: str = "") -> tuple[list[tuple[int, str, int]], str]:
    """Headings of a PDF without an outline, known by their look, as outline entries (level, title, page) in
    reading order, and its title. By size: lines in a font HEADING_SCALE times the body's (the size most
    characters are set in) or larger, of at most 12 words with letters, not ending as a clause does (",", ";",
    ":"); levels go by size, largest first; the lines that say the title the metadata `named`
    (`_named_title`), else the largest size, when only the first page has it (`_title_line`), are the
    document's title, set apart as an entry of the top level (it heads only what comes before the first
    heading, as `titled` does for bookmarks); none when half the lines or more would be headings (a poster, a form:
    short lines in large type are its content). By weight: one or two lines all in bold at the body's size
    that read as a heading (`text.heading_by_look`: "Annual leave", "Can I bring a guest?"), one level below
    the sized ones (a question below a label); none when bold is common (BOLD_SHARE of the lines). Neither
    counts a line repeated on three pages or more (a running header), nor a contents entry (a heading's
    title, then a page number)."""
    body, sized = _sized_lines(looks)
    if body is None:
        return [], ""
    n_lines = sum(len(lines) for lines in looks)
    sized = _not_running(sized)
    if len(sized) * 2 > n_lines:
        sized = []
    lines, at = _named_title(looks[0] if looks else [], named)
    if lines:
        sized = [f for f in sized if not (f[0] == 0 and at <= f[1] < at + len(lines))]
    else:
        lines, at = _title_line(sized, looks[0] if looks else [])
        if lines:
            largest = max(size for *_, size in sized)
            sized = [f for f in sized if f[3] != largest]
    title = " ".join(lines)
    # a paper's byline (its authors, their affiliations, a date) stands between its title and its abstract,
    # set larger than the text: no heading comes before the abstract
    abstract = _abstract_line(looks)
    if abstract is not None:
        sized = [f for f in sized if (f[0], f[1]) > abstract[:2]]
    sizes = sorted({size for *_, size in sized}, reverse=True)
    found = [(page, at, t, min(sizes.index(size) + 1, HEADING_LEVELS)) for page, at, t, size in sized]
    if title:
        found.append((0, at, title, 1))  # set apart, heading what comes before the first heading (`titled`)
    below = min(len(sizes), HEADING_LEVELS)  # a bold label, then a bold question within it, as the other readers nest them
    found += [(page, at, t, below + (1 if kind == "label" else 2)) for page, at, t, kind in _bold_headings(looks, body, n_lines)]
    keys = {title_key(t) for _, _, t, _ in found}
    found = [f for f in found if not _contents_lines([f[2]], 0, keys)]  # "1 Introduction 2": a contents entry
    return [(level, t, page) for page, _, t, level in sorted(found)], title


def _sized_lines(looks: list[list[tuple[str, float, bool]]]) -> tuple[float | None, list[tuple[int, int, str, float]]]:
    """The body's size (the size most characters are set in; None for no text) and each line (two, when a
    title wraps) set HEADING_SCALE times larger, of at most 12 words with letters, not ending as a clause does
    (",", ";", ":"): (page, line, title, size)."""
    body = _text_size([look for lines in looks for look in lines])
    if body is None:
        return None, []
    sized = [
        (page, at, " ".join(line.split()), size)
        for page, lines in enumerate(looks)
        for at, (line, size, _) in enumerate(lines)
        if size >= HEADING_SCALE * body
        and len(line.split()) <= 12
        and any(c.isalpha() for c in line)
        and line.rstrip()[-1] not in ",;:"
        and not _plotted(lines, at, HEADING_SCALE * body)
    ]
    return body, _wrapped(sized)


_NUMBERS = re.compile(r"[-\u2212+]?\d+(?:\.\d+)?")
PLOT_REACH = 3  # lines before and after a label where a plot's axis numbers stand


def _only_numbers(line: str) -> bool:
    return bool(line.split()) and all(_NUMBERS.fullmatch(word) for word in line.split())


def _plotted(lines: list[tuple[str, float, bool]], at: int, large: float, itself: bool = False) -> bool:
    """Is line `at` text of a plot drawn in the page (an axis's title, "Increase in Sleep (Hours)"; with
    `itself`, its tick labels too): among the PLOT_REACH lines on either side (and the line itself), lines of
    numbers alone set `large` ("-10 -5 0 5 10", or "2", "4", "6" a line each), two numbers or more in all?
    A chapter's number over its title is one; so is a power of ten in a formula ("105")."""
    near = lines[max(0, at - PLOT_REACH) : at] + lines[at + (0 if itself else 1) : at + 1 + PLOT_REACH]
    return sum(len(line.split()) for line, size, _ in near if size >= large and _only_numbers(line)) >= 2


# a title's number: "6.2 ", "D.4 ", "Chapter 3. ", "Appendix A: "
_TITLE_NUMBER = re.compile(
    r"(?:(?:chapter|appendix|part|section)\s+[\dA-Z]{1,3}|\d{1,3}(?:\.\d{1,3})*|[A-Z]\.\d{1,3}(?:\.\d{1,3})*)[.:]?\s+",
    re.I,
)


def _unnumbered_key(line: str) -> str:
    """A line's title key without the number it opens with ("9.5.5 System and hardware time"): a PDF's
    bookmarks often leave the number out."""
    return title_key(_TITLE_NUMBER.sub("", line, count=1))


def _title_forms(lines: list[tuple[str, float, bool]]) -> list[tuple[str, str, str]]:
    """How each line of a page may be a title: its key, its key with the next line's (a wrapped title), its
    key without the number it opens with."""
    keys = [title_key(line) for line, *_ in lines]
    return [(k, k + "".join(keys[i + 1 : i + 2]), _unnumbered_key(lines[i][0])) for i, k in enumerate(keys)]


_PART = re.compile(r"(?:part|book|volume)\s+\S+", re.I)  # "Part II": a divider, not a heading


# the heading of a paper's list of references
_REFERENCES = frozenset(title_key(t) for t in ("References", "Bibliography", "Literature Cited", "Works Cited"))
# a paper's back matter, headed by a word its bookmarks often leave out (an unnumbered section)
_BACK_MATTER = _REFERENCES | {title_key("Acknowledgements"), title_key("Acknowledgments")}


def with_sub_headings(outline: list[tuple[int, str, int]], looks: list[list[tuple[str, float, bool]]]) -> list[tuple[int, str, int]]:
    """The outline, and beneath its entries the headings it leaves out, known by their size (a GNU manual's
    "Invoked with name sh" under "6.2 Bash Startup Files": glued to the sentence after it otherwise). Such a
    heading is set larger than the body (`_sized_lines`), after the outline's first entry, no outline title
    (with or without its number, nor decorated: "THREE DEBIAN DEVELOPER'S DUTIES", "D.4 Function Index A"),
    nor a running header (its text, numbers masked, on three pages or more), a contents entry (it ends in a page
    number), a divider ("Part II") or a title of fewer than two words; it nests one level below the outline
    entry before it. Bold lines at the body's size are not taken: in a manual they are a table's header row."""
    if not outline:
        return outline
    _, sized = _sized_lines(looks)
    keys = {title_key(t) for _, t, _ in outline}
    keys |= {_unnumbered_key(t) for _, t, _ in outline}
    keys.discard("")
    # where each outline entry stands: its line on its page, else the page's top
    forms = {page: _title_forms(looks[page]) for *_, page in outline if page < len(looks)}  # once a page
    placed = []
    for depth, title, page in outline:
        key = title_key(title)
        at = next((i for i, f in enumerate(forms.get(page, [])) if key in f), -1)
        placed.append(((page, at), (depth, title, page)))
    placed.sort(key=lambda entry: entry[0])
    spots = [spot for spot, _ in placed]
    first = spots[0]
    pages_of: dict[str, set[int]] = {}
    for page, _, title, _ in sized:
        pages_of.setdefault(_line_key(title), set()).add(page)
    long_keys = [k for k in keys if len(k) >= 6]
    added = []
    for page, at, title, _ in sized:
        key, bare = title_key(title), _unnumbered_key(title)
        back = bare in _BACK_MATTER  # "References": one word, at the top level
        if (
            (page, at) <= first
            or key in keys
            or bare in keys
            or any(k in key for k in long_keys)
            or len(pages_of[_line_key(title)]) >= 3
            or _CONTENTS_LINE.fullmatch(title)
            or _PART.fullmatch(title)
            or (len(re.findall(r"[^\W\d_]{2,}", title)) < 2 and not back)
        ):
            continue
        parent = placed[bisect.bisect_left(spots, (page, at)) - 1][1][0]
        depth = min(d for _, (d, _, _) in placed) if back else parent + 1
        added.append(((page, at), (depth, title, page)))
    added += _numbered_below(looks, placed, spots, keys)
    if not added:
        return outline
    return [entry for _, entry in sorted([*placed, *added], key=lambda e: e[0])]


_SECTION_NUMBERED = re.compile(r"(\d+(?:\.\d+)+)\.?\s+[^\W\d_]")  # "2.7.1 Loading other files"


def _numbered_below(looks: list[list[tuple[str, float, bool]]], placed: list, spots: list, keys: set[str]) -> list:
    """Bold lines whose section number extends the number of the outline entry above them ("2.7.1 Loading
    other files" under "2.7 General style"): headings the outline leaves out, set at the body's size (LaTeX's
    \\subsubsection), one level below that entry. Glued to the paragraph after them otherwise: "2.7.1 Loading
    other files LaTeX provides these commands: ..." (`with_sub_headings` takes no other bold line). `spots`:
    where each of the outline's entries, `placed`, stands."""
    found = []
    for page, lines in enumerate(looks):
        for at, (line, _, bold) in enumerate(lines):
            number = _SECTION_NUMBERED.match(line.strip()) if bold else None
            if number is None or len(line.split()) > 12 or line.rstrip()[-1] in ".,;:" or title_key(line) in keys:
                continue
            above = bisect.bisect_left(spots, (page, at)) - 1
            if above < 0:
                continue
            depth, title, _ = placed[above][1]
            parent = re.match(r"\d+(?:\.\d+)*", title.strip())
            if parent is not None and number.group(1).rsplit(".", 1)[0] == parent.group(0):
                found.append(((page, at), (depth + 1, " ".join(line.split()), page)))
    return found


def _bold_headings(looks: list[list[tuple[str, float, bool]]], body: float, n_lines: int) -> list[tuple[int, int, str, str]]:
    """(page, line, title, kind) of each run of one or two lines all in bold, at the body's size (not set
    larger: those are sized headings; not smaller: a caption, a table's header), that reads as a heading: its
    kind is "label" or "question" (`text.heading_by_look`)."""
    from qa.ingest.formats.text import heading_by_look

    if sum(bold for lines in looks for *_, bold in lines) > BOLD_SHARE * n_lines:
        return []
    found = []
    for page, lines in enumerate(looks):
        at = 0
        while at < len(lines):
            run = 0
            while at + run < len(lines) and lines[at + run][2] and body - 0.5 <= lines[at + run][1] < HEADING_SCALE * body:
                run += 1
            if run == 2 and not _wraps(lines[at][0], lines[at + 1][0]):
                run = 1
            if 1 <= run <= 2:
                title = " ".join(" ".join(line for line, *_ in lines[at : at + run]).split())
                kind = heading_by_look(title) if any(c.isalpha() for c in title) else None
                if kind:
                    found.append((page, at, title, kind))
            at += max(run, 1)
    return _not_running(found)


def _wrapped(found: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Two lines in a row of one size on one page are one title, wrapped ("4 Preconstructing command names (or
    otherwise" and "expanding arguments)"), where they read as one (`_wraps`)."""
    out: list[tuple[int, int, str, float]] = []
    joined = False
    for entry in found:
        page, at, title, size = entry
        if out and not joined:
            last = out[-1]
            if (last[0], last[1] + 1, last[3]) == (page, at, size) and _wraps(last[2], title):
                out[-1] = (page, last[1], f"{last[2]} {title}", size)
                joined = True
                continue
        out.append(entry)
        joined = False
    return out


_Line = TypeVar("_Line", tuple[int, int, str, float], tuple[int, int, str, str])  # (page, line, title, size or kind)
_NUMBERED = re.compile(r"\s*(?:\d+\.)*\d+\.?\s")  # "2.1 Overview": a heading of its own


def _wraps(first: str, second: str) -> bool:
    """Can two heading lines be one title wrapped? Not when the first is a contents entry ("1 Introduction 2")
    or the second is numbered as a heading of its own ("1.2 Overview")."""
    return not _CONTENTS_LINE.fullmatch(first.strip()) and not _NUMBERED.match(second)


def _not_running(found: list[_Line]) -> list[_Line]:
    """Without the lines repeated on three pages or more: a running header, not a heading."""
    pages_of: dict[str, set[int]] = {}
    for page, _, title, _ in found:
        pages_of.setdefault(title_key(title), set()).add(page)
    return [f for f in found if len(pages_of[title_key(f[2])]) < 3]


_CODE_SYMBOLS = frozenset("{}[]()<>\\=;$%&|_^~#@\u27e8\u27e9")
_PLAIN_WORD = re.compile(r"[A-Za-z]{2,}[,.;:]?")


def code_line(line: str) -> bool:
    """A PDF line that is code or syntax, not prose: at least a fifth of its characters (spaces aside) are
    code symbols (braces, brackets, backslashes, ...), at least three of them, and it has fewer than three
    plain words ("\\IfBlankTF {<arg>} {<true code>} {<false code>}", but not "the user input \\foo{arg1} and
    \\foo{arg2} will")."""
    chars = "".join(line.split())
    symbols = sum(c in _CODE_SYMBOLS for c in chars)
    if symbols < 3 or symbols < 0.2 * len(chars):
        return False
    return sum(1 for word in line.split() if _PLAIN_WORD.fullmatch(word)) < 3


# a line typed at an interactive prompt: R's ("R> " in a journal's style, "> " before a call), Python's
# (">>> "); and the lines that go on with it ("+ ", "... ")
_PROMPT = re.compile(r"\s*(?:R>|>>>)\s|\s*>\s+\S.*(?:<-|\w\()")
_GOES_ON = re.compile(r"\s*(?:\+|\.\.\.)\s")


def console_lines(lines: list[str], i: int) -> int:
    """How many lines from `i` are one entry at an interactive prompt (the prompt's line and those going on
    with it), else 0. A paper's R session ran into the prose around it ("R> bridge_H1 <-
    bridge_sampler(stanfit_H1) The Bayes factor in favor of H0 over H1 can then be obtained as follows:")."""
    if not _PROMPT.match(lines[i]):
        return 0
    n = 1
    while i + n < len(lines) and _GOES_ON.match(lines[i + n]):
        n += 1
    return n


def set_apart(pages: list[str], outline: list[tuple[int, str, int]]) -> list[str]:
    """The pages with their headings set apart as paragraphs of their own and their code left out, so that
    neither is glued to a sentence of prose ("2.8 Testing special values Optional arguments make use of ...",
    "... scenario. \\IfBlankTF {<arg>} {<true code>} ..."): each outline title that is a line of its page (or
    two lines, a long title wrapped) becomes a heading, and each run of code lines (`code_line`, and what
    was typed at an interactive prompt: `console_lines`) a paragraph break, as Markdown's code blocks are left
    out (code is not prose: it matched questions by its names). A
    line that is an outline title and a page number ("2 Writing classes and packages 4") is a contents line
    without dot leaders: left out."""
    wanted: dict[int, set[str]] = {}
    for _, title, page in outline:
        if len(key := title_key(title)) > 1:
            wanted.setdefault(page, set()).add(key)
    every = set().union(*wanted.values()) if wanted else set()
    out = []
    citing = False  # in a list of references, under its heading
    previous = ""  # the last line of text kept
    for number, text in enumerate(pages):
        keys = wanted.get(number, set())
        lines = text.split("\n")
        kept: list[str] = []
        i = 0
        while i < len(lines):
            one = title_key(lines[i]) if keys else ""
            # a title wrapped onto two lines, a paragraph break between them where its first line is short
            after = i + 2 if i + 2 < len(lines) and not lines[i + 1].strip() else i + 1
            two = one + title_key(lines[after]) if one and after < len(lines) else ""
            if one and one not in keys and two not in keys and (bare := _unnumbered_key(lines[i])) in keys:
                one = bare  # the title with the number its bookmark leaves out
            if one in keys or two in keys:
                n = 1 if one in keys else after - i + 1
                keys.discard(one if n == 1 else two)
                kept += ["", " ".join(" ".join(lines[i : i + n]).split()), ""]
                citing = _unnumbered_key(" ".join(lines[i : i + n])) in _REFERENCES
                previous = ""
                i += n
                continue
            n = _contents_lines(lines, i, every) if every else 0
            if n:
                i += n  # a contents entry: the title is a heading where its section begins
                continue
            n = console_lines(lines, i)
            while i + n < len(lines) and code_line(lines[i + n]):
                n += 1
            if n:
                kept += ["", ""]  # code is not prose (as in Markdown): left out, a paragraph break in its place
                i += n
            else:
                # a reference list's entry is one unit, from the line that opens it (after one that ends an
                # entry: a line of a long list of authors may hold the year too)
                ended = not previous.strip() or previous.rstrip()[-1:] in _ENDS_ENTRY
                if citing and _AFTER_REFERENCES.match(lines[i]):
                    citing = False  # the authors' addresses after the list: no part of its last entry
                    kept.append("")
                opens = citing and ended and (_CITED.match(lines[i]) or _names_before_year(lines, i))
                kept += ["", ROW_MARK + lines[i]] if opens else [lines[i]]
                previous = lines[i]
                i += 1
        out.append("\n".join(kept))
    return out


_INITIAL = re.compile(r"\b[A-Z]\.(?=[\s,]|$)|(?<=\s)[A-Z]{1,3}(?=,|$)")  # "N. S.", "Hoffman MD,"
_EARLY_YEAR = re.compile(r"[^()]{0,40}?\((?:1[5-9]|20)\d\d[a-z]?\)")


def _names_before_year(lines: list[str], i: int) -> bool:
    """Does line `i` open a reference whose list of authors runs on to the next line, where the year is
    ("Keskar, N. S., Mudigere, D., Nocedal, J., Smelyanskiy, M. and Tang, P. T. P." over "(2016) On
    large-batch ...")? Two initials at least, and the year among the next line's first words."""
    return (
        i + 1 < len(lines)
        and lines[i][:1].isupper()
        and len(_INITIAL.findall(lines[i])) >= 2
        and _EARLY_YEAR.match(lines[i + 1]) is not None
    )


# a label after a paper's references: its authors' addresses ("Affiliation: Colin S. Gillespie ...")
_AFTER_REFERENCES = re.compile(r"\s*(?:affiliations?|authors?(?:'s?)? (?:addresses|affiliations?|information)|corresponding author)\b", re.I)
_ENDS_ENTRY = frozenset(".)\u201d\"")
# the line that opens an entry of a list of references: its number ("[12] ", "12. Name"), or a name and the
# year in brackets ("Abramowitz M, Stegun IA (1965).", "Clauset, A., Shalizi, C. R., and Newman, M. E. J. (2009).")
_CITED = re.compile(r"\s*(?:\[\d{1,3}\]\s|\d{1,3}\.\s+[A-Z]|[A-Z][^\s(]*[\s,].{0,120}?\((?:1[5-9]|20)\d\d[a-z]?\))")


_CONTENTS_LINE = re.compile(r"(.+?)\s+(?:\d{1,4}|[ivxlc]{1,6})")  # a title, then its page number


def _contents_lines(lines: list[str], i: int, titles: set[str]) -> int:
    """How many lines from `i` are one entry of a contents list without dot leaders: an outline title (on one
    line, or wrapped over two) followed by a page number; 0 if none."""
    for n in (1, 2):
        listed = _CONTENTS_LINE.fullmatch(lines[i + n - 1].strip()) if i + n <= len(lines) else None
        if listed is not None:
            title = " ".join([*lines[i : i + n - 1], listed.group(1)])
            if title_key(title) in titles:
                return n
    return 0


_LINE = re.compile(r"[^\n]+")  # in a PDF's text each paragraph is one line


def _line_opening(text: str, title: str, start: int, end: int) -> int:
    """Where a line of the page from `start` to `end` opens with `title`, else the page's start. Not where the
    title stands inside a sentence: a DocBook specification's title, dropped from its first page with the
    running headers that repeat it, was found in "This is version 0.21 of the Shared MIME-info Database
    specification" and split that sentence's heading path in two."""
    found = text.find(title, start, end)
    while found > start and text[found - 1] != "\n":
        found = text.find(title, found + 1, end)
    return found if found >= 0 else start


def _pdf_sections(
    outline: list[tuple[int, str, int]], text: str, starts: list[int]
) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
    """Outline entries as heading paths, and the spans of the titles that are paragraphs of their own (set
    apart by `set_apart`: context, not sentences). Each path begins at its title's paragraph on its
    page, else where a line of the page opens with the title, else at the page's start."""
    entries = []
    spans = []
    for depth, title, page in outline:
        end = starts[page + 1] if page + 1 < len(starts) else len(text)
        key = title_key(title)
        lines = _LINE.finditer(text, starts[page], end) if len(key) > 1 else iter(())
        own = next((m.span() for m in lines if key in (title_key(m.group()), _unnumbered_key(m.group()))), None)
        if own is not None:
            spans.append(own)
            entries.append((own[0], depth, title))
            continue
        entries.append((_line_opening(text, title, starts[page], end), depth, title))
    heading = Outline()
    marks: list[tuple[int, str]] = []
    for offset, depth, title in sorted(entries, key=lambda e: e[0]):
        heading.heading(depth, title)
        if marks and marks[-1][0] == offset:
            marks.pop()
        marks.append((offset, heading.path()))
    return tuple(marks), tuple(sorted(set(spans)))
