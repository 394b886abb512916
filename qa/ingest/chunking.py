"""Document -> sentences and passages. Pure functions; every piece keeps its character span."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from qa.types import Chunks, Document, Passage, Sentence, code_blocks, code_for

# Abbreviations that (almost) never end a sentence: titles and words that precede a name or number.
NEVER_FINAL = frozenset(
    """mr mrs ms dr prof rev fr sr jr st mt ft gen col lt sgt capt cmdr adm maj gov sen rep pres supt insp
    hon messrs mme mlle no nos vol vols fig figs eq eqs ch chap sec pp p para op cit cf vs v approx
    ca est dept univ assn bros jan feb mar apr jun jul aug sep sept oct nov dec eg ie viz""".split()
)
# Abbreviations that may end a sentence: split only when a typical sentence opener follows. Some are words
# too: "Art. 3, Sect. 2" goes on, "... of modern art. The ..." and "... a small sect. They ..." end.
MAYBE_FINAL = frozenset("inc ltd co corp etc al plc llc bhd art arts sect sects secs paras".split())
OPENERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there here but and so
    yet or nor then however meanwhile in on at for after before when while if although as by from with
    since during some many most one two no not what who why how where which mr mrs ms dr""".split()
)

_CANDIDATE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+([\"'\u201c\u2018(\[]*)(\S)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
# A list item's marker: a bullet, or a number or letter with a period or parenthesis ("1.", "a)")
# •, ‣, ◦, ⁃, ∙, ▪, ●, and Word's bullets from the Symbol and Wingdings fonts' private-use characters (an RTF
# or a PDF keeps them as U+F0B7 and U+F0A7)
BULLETS = "\u2022\u2023\u25e6\u2043\u2219\u25aa\u25cf\uf0b7\uf0a7"
_MARKER = rf"(?:[-*+{BULLETS}]|\d{{1,2}}[.)]|[a-z][)])[ \t]+"
# paragraphs end at a blank line, and before a line that opens a list item (plain text and PDF lists
# have no blank lines between their items: each item is a unit of its own)
_PARAGRAPH_BREAK = re.compile(rf"\n[ \t]*\n\s*|\n(?=[ \t]*{_MARKER}\S)")
# an entry of a list numbered in brackets, which keeps its number ("[28991] libc: sysconf(...) should read",
# glibc's fixed bugs in its NEWS; "[2] https://...", a list of references)
_NUMBERED_ENTRY = r"[ \t]*\[\d{1,6}\][ \t]+(?=\S)"
_OPENS_NUMBERED_ENTRY = re.compile(_NUMBERED_ENTRY)
_BEFORE_NUMBERED_ENTRY = re.compile(rf"\n(?={_NUMBERED_ENTRY})")
_LEADING_MARKER = re.compile(rf"[ \t]*{_MARKER}(?=\S)")
_WORD = re.compile(r"[\w']+")
# A news dateline opening the first paragraph: "SEOUL − ", "NEW YORK (AP) — ", "LONDON, June 20 (Reuters) - ".
# It says where the story was filed, not what happened: it is left out of the first sentence (its text and
# offsets stay in the document), so that it neither dilutes that sentence's vector nor misleads the ranker.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'\u2019-]{2,}(?:[ ,]+[A-Z][A-Z.'\u2019-]*)*"
    r"(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([A-Za-z .]{1,30}\))?\s+[\u2212\u2014\u2013-]{1,2}\s+(?=[A-Z])"
)


def _is_boundary(text: str, end: int, mark: str, limit: int) -> bool:
    """Is the punctuation run ending at `end` (ending with `mark`) a sentence end? Looks no further than
    `limit` (the paragraph's end) and copies nothing, so a long paragraph splits in linear time."""
    if mark[0] in "?!" and text[end - len(mark) - 1 : end - len(mark)] == "$":
        return False  # a shell's special variable: "? ($?) Expands to the exit status ...", "$!"
    nxt = _NEXT_START.match(text, end, limit)
    if nxt is None:
        return True
    first = nxt.group(2)
    opening = bool(nxt.group(1))
    reference = first == "#" and text[nxt.end(2) : nxt.end(2) + 1].isdigit()  # a changelog's "#2558" after its entry
    if not (first.isupper() or first.isdigit() or opening or reference):
        return False
    if "." not in mark or mark.endswith(("..", "\u2026")) or mark.rstrip("\"'\u201d\u2019)]") != ".":
        return True  # ! ? ellipsis, or a quote closed after the period
    if mark == "." and text[end - 2 : end - 1].isspace() and opening and first.islower():
        return False  # a period standing alone, glossed after it, is the character: "the last . (period) character"
    word_match = _WORD_BEFORE.search(text, max(0, end - 40), end)
    if word_match is None:
        return True
    word = word_match.group(1)
    # the whole token: letters and dots directly before the final period
    lower = word.lower().rstrip(".")
    next_word = _WORD.match(text, nxt.start(2), limit)
    opener = next_word is not None and next_word.group(0).lower() in OPENERS
    if "." in word:  # dotted acronym (U.S., a.m., J.R.R.)
        return opener
    if len(word) == 1:  # an initial (J. Smith), unless a pronoun-like opener follows a capital letter
        return word.islower() and opener
    if lower in NEVER_FINAL:
        return False
    if lower in MAYBE_FINAL:
        return opener
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans [s, e) within text[start:end] (one paragraph); whitespace trimmed, none empty."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _CANDIDATE.finditer(text, start, end):
        if _is_boundary(text, match.end(), match.group(0), end):
            s, e = _trim(text, cursor, match.end())
            if s < e:
                spans.append((s, e))
            cursor = match.end()
    s, e = _trim(text, cursor, end)
    if s < e:
        spans.append((s, e))
    return spans


def paragraphs(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """Paragraph spans separated by blank lines or list items (and entries numbered in brackets:
    `_entries`), whitespace and list markers trimmed."""
    cursor = start
    for match in _PARAGRAPH_BREAK.finditer(text, start):
        yield from _entries(text, cursor, match.start())
        cursor = match.end()
    yield from _entries(text, cursor, len(text))


def _entries(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A paragraph, cut before each line that opens with a number in brackets when two lines or more do (a
    list of bugs fixed, of references); one such line alone may be wrapped prose ("Buffer\n[0] will refer
    to ...") or a line of a table."""
    cuts = [m.start() + 1 for m in _BEFORE_NUMBERED_ENTRY.finditer(text, start, end)]
    opening = len(cuts) + bool(_OPENS_NUMBERED_ENTRY.match(text, start, end))  # the paragraph's first line too
    bounds = [start, *cuts, end] if opening >= 2 else [start, end]
    for a, b in zip(bounds, bounds[1:]):
        s, e = _unmarked(text, *_trim(text, a, b))
        if s < e:
            yield s, e


# a FAQ's answer label: "A: Yes, up to five days.", "A. That would be nice, ..." (the question above it heads
# it; not an initial: "A. B. Smith wrote")
_ANSWER_LABEL = re.compile(r"[ \t]*(?:(?:A|Answer)[ \t]*:[ \t]+(?=\S)|A\.[ \t]+(?=[A-Z])(?![A-Z]\.))")


def _unmarked(text: str, start: int, end: int) -> tuple[int, int]:
    """A paragraph's span less the list marker ("* ", "2. ") or answer label ("A: ") it opens with."""
    marker = _LEADING_MARKER.match(text, start, end) or _ANSWER_LABEL.match(text, start, end)
    return (marker.end(), end) if marker else (start, end)


_LETTER_WORD = re.compile(r"\w*[^\W\d_]\w*")


# a section's number opening a paragraph ("3.1. Programs run OK ..." in a plain-text FAQ)
_SECTION_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})+\.?")


# "For example:", "Like this:", "as follows:": a short label a paragraph ends with, leading into what follows it
_LEAD_IN = re.compile(r"(?:\S+\s+){1,2}\S+:")


# "You would run: hatch new "Hatch Demo"": a short label a paragraph ends with, and the short command or value
# the reader joined to it (`SHOWN_CHARS`); not closed as a sentence is
_LEAD_IN_SHOWN = re.compile(r"(?:\S+[ \t]+){0,2}\S+:[ \t]+[^\n]*[^\s.!?]")


def _is_fragment(piece: str, first: bool = False) -> bool:
    """A piece of one word says nothing on its own: a reply ("Yes."), a label before a code block
    ("Example:"), nor does a section's number opening its paragraph ("3.1."), nor a label of two or three words
    after a sentence ("... that requires less memory. For example:", over a list or code: alone, read after its
    heading path, it was the best match of its section's question). A changelog's reference ("1649") stays
    apart: joined to its entry it only blurs the entry's vector ("(#4447)" and "(Pull #676)" are no unit at
    all: `_ONLY_REFERENCE`)."""
    if first and _SECTION_NUMBER.fullmatch(piece):
        return True
    if not first and _LEAD_IN.fullmatch(piece.strip()):
        return True
    return len(_LETTER_WORD.findall(piece)) == 1 and not piece.startswith(("(", "["))


# a list's number standing as a sentence of its own: a numbered list run into one paragraph, as a PDF's
# lines are joined ("... Package Writers. 1. Should it become a class or a package? ... 2. If it uses ...")
_LIST_NUMBER = re.compile(r"\d{1,2}\.")


def _joined_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A paragraph's sentence spans with each fragment joined to a neighbour: to the sentence it introduces
    when it opens the paragraph or ends with ":" or "?" ("Yes. Black is strictly about formatting."), else to
    the sentence before it. A fragment alone in its paragraph stays a unit: a one-word list item ("Bash") can
    be an answer, and no text is left out. A list's number between sentences ("2.") is left out, as one
    opening a paragraph is (`_unmarked`), and what follows it opens an item: a fragment after it ("12.
    Footnotes.", a numbered title) joins the sentence after it, or stands alone, never the one before. A
    label closing the paragraph with the short command or value it shows ("You would run: hatch new Demo",
    "Default: false") joins the sentence before it."""
    out: list[tuple[int, int]] = []
    carry: int | None = None  # the start of fragments waiting for the sentence they introduce
    opens = True  # the piece opens the paragraph or a list's item
    for i, (s, e) in enumerate(spans):
        if len(spans) > 1 and carry is None and _LIST_NUMBER.fullmatch(text, s, e):
            opens = True
            continue
        start = s if carry is None else carry
        carry = None
        piece = text[s:e]
        if out and not opens and i == len(spans) - 1 and len(piece) <= SHOWN_CHARS and _LEAD_IN_SHOWN.fullmatch(piece):
            out[-1] = (out[-1][0], e)
            continue
        if _is_fragment(piece, i == 0):
            forward = opens or piece.rstrip().endswith((":", "?"))
            if i + 1 < len(spans) and (forward or not out):
                carry = start
                continue
            if out and not opens:
                out[-1] = (out[-1][0], e)
                continue
        opens = False
        out.append((start, e))
    return out


def largest_fit(n: int, fits_prefix: Callable[[int], bool]) -> int:
    """Largest k in 1..n with fits_prefix(k) true (fits_prefix is monotone); at least 1."""
    lo, hi = 1, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits_prefix(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _split_long(text: str, start: int, end: int, fits: Callable[[str], bool], limit: int) -> list[tuple[int, int]]:
    """Cut a span that does not fit the model window into pieces at word boundaries, each fitting.

    Every word is at least one token, so a piece never holds more than `limit` words: each search looks
    at that many words at most, which keeps a megabyte-long line linear. A single "word" longer than the
    window (a run with no spaces) is cut between characters the same way."""
    words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
    pieces: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        rest = words[i : i + max(1, limit)]

        def prefix_fits(m: int, rest: list[tuple[int, int]] = rest) -> bool:
            return fits(text[rest[0][0] : rest[m - 1][1]])

        k = largest_fit(len(rest), prefix_fits)
        s, e = rest[0][0], rest[k - 1][1]
        if k == 1 and not fits(text[s:e]):
            while s < e:
                window = min(e - s, max(1, limit) * 64)

                def chars_fit(m: int, s: int = s) -> bool:
                    return fits(text[s : s + m])

                c = largest_fit(window, chars_fit)
                pieces.append((s, s + c))
                s += c
        else:
            pieces.append((s, e))
        i += k
    return pieces


@dataclass(frozen=True)
class ChunkSettings:
    passage_tokens: int = 192
    overlap: int = 1

    def to_json(self) -> dict:
        return {"passage_tokens": self.passage_tokens, "overlap": self.overlap, "splitter": "qa-rules-9"}


def word_count(text: str) -> int:
    """A stand-in token counter (one token per word) for tests and the fake embedder."""
    return len(text.split()) + 2


_SAYS = re.compile(r"[^\W_]")  # a letter or a digit
_BARE_LABEL = re.compile(r"(?:Q|A|Question|Answer)[ \t]*:")
# a changelog entry's issue or pull-request numbers after its last sentence: "(#3250)", "[#2510, #2511]",
# "(Issue #1234)", "#12, #13", an unstable feature's tracking issue ("(box_vec_non_null #130364)", rustdoc); a
# note's or an annotation's mark after a sentence: "(1)", "[2]"
_ONLY_REFERENCE = re.compile(
    r"[(\[]?[ \t]*(?:(?:pull(?:[ \t]+request)?|PR|issue|gh-?|see|\w+(?=[ \t]+#\d+[ \t]*[)\]]))[ \t]*)?"
    r"#\d+(?:[\s,;]+(?:and[ \t]+)?#?\d+)*[ \t]*[)\]]?[.,;]?"
    r"|[(\[]\d{1,3}[)\]]\.?",
    re.I,
)


def _says_nothing(text: str, start: int, end: int) -> bool:
    """A piece that is no sentence: a rule of dashes or stars ("-----", "* * *") between parts, a FAQ's
    "Answer:" standing alone over its answer's paragraphs, a changelog's "(#3250)" after its entry (a unit of
    its own, it was cited as the answer to "What changed in 0.27.1?") or a note's mark."""
    return not _SAYS.search(text, start, end) or any(p.fullmatch(text, start, end) for p in (_BARE_LABEL, _ONLY_REFERENCE))


def chunk_document(
    doc: Document,
    settings: ChunkSettings = ChunkSettings(),
    count_tokens: Callable[[str], int] = word_count,
    sentence_offset: int = 0,
) -> tuple[list[Sentence], list[Passage]]:
    """Sentences and passages of one document. Sentence indices in passages start at `sentence_offset`."""
    limit = settings.passage_tokens

    def fits(piece: str) -> bool:
        return count_tokens(piece) <= limit

    sentences: list[Sentence] = []
    passages: list[Passage] = []
    text = doc.text
    newlines = [m.start() for m in re.finditer("\n", text)]
    units = sorted([(s, e, True) for s, e in doc.headings] + [(s, e, False) for s, e in doc.records])
    code = Spans(doc.code)  # code blocks: cited with the sentence leading into them, never sentences
    blocks = [(s, e) for s, e in paragraphs(text, doc.body_start) if not code.overlap(s, e)]
    led_into = code_blocks(doc)
    shown: set[int] = set()  # paragraphs read as the end of the sentence before them (`_shows`)
    unit_spans = Spans((s, e) for s, e, _ in units)
    for p_index, (p_start, p_end) in enumerate(blocks):
        if p_index in shown:
            continue
        dateline = _DATELINE.match(text, p_start, p_end) if p_index == 0 else None
        if dateline is not None:
            p_start = dateline.end()
        spans: list[tuple[int, int]] = []
        for s_start, s_end, unit in around_units(text, p_start, p_end, units):
            if unit == "heading":  # a heading of plain text: its section's context, not a sentence
                continue
            if unit == "record":  # a table row: one sentence, its full stops kept inside
                pieces = [(s_start, s_end)]
            else:
                pieces = _joined_fragments(text, split_sentences(text, s_start, s_end))
            for s, e in pieces:
                if _says_nothing(text, s, e):
                    continue
                spans.extend(_split_long(text, s, e, fits, limit) if not fits(text[s:e]) else [(s, e)])
        if not spans:
            continue
        if p_index + 1 < len(blocks) and _shows(text, spans[-1], (p_start, p_end), blocks[p_index + 1], unit_spans):
            spans[-1] = (spans[-1][0], blocks[p_index + 1][1])
            shown.add(p_index + 1)
        first = sentence_offset + len(sentences)
        sentences.extend(
            Sentence(
                doc.path, s, e, text[s:e], p_index, _page_of(doc.pages, s), _line_of(newlines, s),
                code=code_for(led_into, doc.sections, s, e, text[s:e]) if led_into else None,
            )
            for s, e in spans
        )
        passages.extend(_group(doc.path, text, spans, first, fits, settings.overlap))
    return sentences, passages


# what a command, a setting or a value shown under an example's caption does not open with: a capitalised word
# ("Version 0.13 (01-Jan-2003)", a release's heading) or a banner ("**** BUILDING")
_NOT_A_COMMAND = re.compile(r"[A-Z][a-z]|[*=_-]{3}")
SHOWN_LINES = 3  # a code block this short, led into by a sentence ending in a colon, ends that sentence
SHOWN_CHARS = 200


class Spans:
    """[start, end) spans of a text (headings, records, page furniture; they may overlap), asked in log time
    whether one of them overlaps a range or holds it: sorted by start, with the furthest end reached so far."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(itertools.accumulate((end for _, end in ordered), max))

    def overlap(self, start: int, end: int) -> bool:
        """Does a span overlap [start, end)?"""
        k = bisect.bisect_left(self.starts, end)  # the spans that open before `end`
        return k > 0 and self.reach[k - 1] > start

    def hold(self, start: int, end: int) -> bool:
        """Does a span that opens at or before `start` reach `end`?"""
        k = bisect.bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end


def _indent(text: str, at: int) -> int:
    """The column at which the line holding `at` begins its text."""
    line = text.rfind("\n", 0, at) + 1
    return len(text[line:at].expandtabs(8))


def _shows(text: str, last: tuple[int, int], paragraph: tuple[int, int], after: tuple[int, int], units: Spans) -> bool:
    """Is the paragraph `after` a short block (a command, a setting) set deeper than `paragraph`, whose `last`
    sentence leads into it with a colon ("... is to rename the column:" over "    ps -o pid,user=Name")? Plain
    text keeps such a block in place (the Markdown, reStructuredText and HTML readers join theirs while
    reading); read as the end of that sentence, the sentence says what it promised. Not a list's item, a
    heading or a record (units of their own), nor prose (it ends with a full stop). A list's item that
    ends with a full stop leads into the command under it as well: the item is the example's caption ("•
    Sort in descending (reverse) numeric order." over "    sort -n -r", a GNU manual's examples)."""
    start, end = after
    block = text[start:end]
    lead = text[last[0] : last[1]].rstrip()
    opening = text.rfind("\n", 0, paragraph[0]) + 1  # the paragraph's first line, its list marker trimmed off
    caption = lead.endswith(".") and _LEADING_MARKER.match(text, opening) is not None
    if caption and _NOT_A_COMMAND.match(text, start):  # a release's heading under the last item of the one before
        return False
    if not (lead.endswith(":") or caption) or _indent(text, start) <= _indent(text, paragraph[0]):
        return False
    if block.count("\n") >= SHOWN_LINES or len(" ".join(block.split())) > SHOWN_CHARS or block.endswith((".", ":")):
        return False  # long, or prose: a sentence of an item under a label ("Security related changes:")
    line = text.rfind("\n", 0, start) + 1  # a list marker or an answer label ("Answer: ") the paragraph opened with
    if _LEADING_MARKER.match(text, line) or _ANSWER_LABEL.match(text, line):
        return False
    following = text.find("\n", end) + 1  # the first of a list's entries numbered in brackets (`_entries`)
    if _OPENS_NUMBERED_ENTRY.match(text, line) and following and _OPENS_NUMBERED_ENTRY.match(text, following):
        return False
    return not units.overlap(start, end)


def around_units(
    text: str, start: int, end: int, units: list[tuple[int, int, bool]]
) -> Iterator[tuple[int, int, str]]:
    """A paragraph cut at the headings and records it holds (a plain-text table: its header line and its
    rows, one paragraph between blank lines): (start, end, "heading" | "record" | "") in order, each part
    trimmed; a unit holding the whole paragraph gives it whole."""
    i = max(0, bisect.bisect_right(units, (start, len(text) + 1, True)) - 1)
    cursor = start
    for u_start, u_end, is_heading in units[i:]:
        if u_start >= end:
            break
        if u_end <= cursor:
            continue
        s, e = _trim(text, cursor, max(cursor, u_start))
        if s < e:
            yield s, e, ""
        s, e = _trim(text, max(cursor, u_start), min(u_end, end))
        if s < e:
            yield s, e, "heading" if is_heading else "record"
        cursor = min(u_end, end)
    s, e = _trim(text, cursor, end)
    if cursor > start:  # what follows a heading inside the paragraph opens a paragraph ("Q: ...?" over "A: ...")
        s, e = _unmarked(text, s, e)
    if s < e:
        yield s, e, ""


def _group(
    path: str,
    text: str,
    spans: list[tuple[int, int]],
    first: int,
    fits: Callable[[str], bool],
    overlap: int,
) -> Iterator[Passage]:
    """Greedy passages of consecutive sentences that fit the window; `overlap` sentences repeat."""
    i = 0
    n = len(spans)
    while i < n:
        j = i + 1
        while j < n and fits(text[spans[i][0] : spans[j][1]]):
            j += 1
        s, e = spans[i][0], spans[j - 1][1]
        yield Passage(path, s, e, text[s:e], first + i, first + j - 1)
        if j >= n:
            break
        i = max(j - overlap, i + 1)


def _page_of(pages: tuple[int, ...], offset: int) -> int:
    return bisect.bisect_right(pages, offset) if pages else 0


def _line_of(newlines: list[int], offset: int) -> int:
    return bisect.bisect_left(newlines, offset) + 1


def chunk_corpus(
    docs: list[Document],
    settings: ChunkSettings = ChunkSettings(),
    count_tokens: Callable[[str], int] = word_count,
) -> Chunks:
    sentences: list[Sentence] = []
    passages: list[Passage] = []
    for doc in docs:
        s, p = chunk_document(doc, settings, count_tokens, len(sentences))
        sentences.extend(s)
        passages.extend(p)
    return Chunks(sentences, passages)
