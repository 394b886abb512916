"""Human output: the best sentence with the likely answer highlighted, its source (file, page, line, span),
a little context, and the other supporting sentences. rich does the styling; it turns colours off when
stdout is not a terminal or NO_COLOR is set. Everything shown comes with the Answer: no index is read here."""

from __future__ import annotations

import re

from qa.ingest.formats.common import HEADING_SEPARATOR
from qa.types import Answer, Sentence, Verdict

CONTEXT_CHARS = 160

# Characters a document (or a file name) must not send to a terminal: C0 controls but tab and newline (as
# their visible "control pictures", U+2400 on), DEL, C1 controls, bidirectional overrides and isolates, and
# lone surrogates (undecodable bytes of a file name). Each is replaced by one character, so offsets into the
# text (the highlighted answer) stay right. ESC becomes "␛": no escape sequence can reach the terminal.
_HARMLESS = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
_HARMLESS[0x7F] = 0x2421
_HARMLESS.update({c: 0xFFFD for c in range(0x80, 0xA0)})
_HARMLESS.update({c: 0xFFFD for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def for_terminal(text: str) -> str:
    """`text` with every character that could control a terminal made visible and harmless."""
    text = text.translate(_HARMLESS)
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


_ON_ONE_LINE = {0x09: 0x2409, 0x0A: 0x2424}  # a tab and a line break as "␉" and "␤"


def path_shown(path: str) -> str:
    """A file's path as a line of output names it: `for_terminal`, and a tab or a line break in its name (a
    name may hold both) made visible too, so that the line stays one line."""
    return for_terminal(path).translate(_ON_ONE_LINE)


_LINE_BREAK = re.compile(r"[ \t]*\n\s*|[ \t]{2,}")


def flowed(text: str) -> str:
    """A sentence of hard-wrapped text as one line: each line break, with the indentation around it, read as
    one space ("plus\npublic holidays" -> "plus public holidays"), and so is a run of spaces (a plain text
    set justified or in columns: "Committee member             who has served")."""
    return _LINE_BREAK.sub(" ", text)


# A sentence of plain text that ends with the short block it leads into (qa.ingest.chunking: "... is to
# specify the width:" over "ps -o pid,user:19,comm", an example's caption over its command) holds the
# paragraph break before that block; nothing else in a sentence does
_SHOWN_BLOCK = re.compile(r"[ \t]*\n[ \t]*\n")


def shown_block(text: str) -> tuple[str, list[str]]:
    """A sentence as its lead-in and the lines of the block it ends with (none for most sentences): a
    command's lines are shown as written, one a line, never flowed into one ("wget --save-headers URL" and
    "more index.html" are two commands)."""
    parts = _SHOWN_BLOCK.split(text, maxsplit=1)
    if len(parts) == 1:
        return text, []
    lines = [line.rstrip() for line in parts[1].expandtabs(8).split("\n") if line.strip()]
    if not lines:
        return text, []
    depth = min(len(line) - len(line.lstrip()) for line in lines)  # as indented under one another
    return parts[0], [line[depth:] for line in lines]


def _flowed_offset(text: str, offset: int) -> int:
    """Where `offset` of `text` lands in `flowed(text)`."""
    return offset - sum(max(0, min(offset, m.end()) - m.start() - 1) for m in _LINE_BREAK.finditer(text, 0, offset))


HEADING_SHOWN = 100  # a source line shows at most this much of a heading path: its innermost parts


def shown_heading(heading: str) -> str:
    """A heading path as a source line shows it: whole when short, else its innermost parts that fit (a
    FAQ's long question heads its answer), its middle left out when the innermost one alone is longer ("I
    tried running a Java program (or another … Does Valgrind handle such programs?")."""
    if len(heading) <= HEADING_SHOWN:
        return heading
    parts = heading.split(HEADING_SEPARATOR)
    while len(parts) > 1 and len(HEADING_SEPARATOR.join(parts)) + 1 > HEADING_SHOWN:
        parts.pop(0)
    kept = "\u2026" + HEADING_SEPARATOR.join(parts)
    if len(kept) <= HEADING_SHOWN:
        return kept
    half = (HEADING_SHOWN - 3) // 2  # its start and its end (where a question asks), the middle left out
    return f"{kept[1 : half + 1].rstrip()} \u2026 {kept[-half:].lstrip()}"


def where(sentence: Sentence) -> str:
    """Where a sentence is: its document, its span, and its page (a PDF's, a deck's) or else its line; a
    paged document's text holds a paragraph a line, so its line number ("page 16, line 8625") found nothing
    in the file."""
    place = f"{path_shown(sentence.doc)}:{sentence.start}-{sentence.end}"
    detail = f"page {sentence.page}" if sentence.page else f"line {sentence.line}" if sentence.line else ""
    place = f"{place} ({detail})" if detail else place
    return f"{place} \u00b7 {for_terminal(shown_heading(sentence.heading))}" if sentence.heading else place


def _clip(text: str, before: bool) -> str:
    if len(text) <= CONTEXT_CHARS:
        return text
    return ("…" + text[-CONTEXT_CHARS:]) if before else (text[:CONTEXT_CHARS] + "…")


def print_answer(result: Answer, top_k: int, console=None) -> None:
    from rich.console import Console
    from rich.text import Text

    console = console or Console(highlight=False, soft_wrap=True)
    if result.reply:
        console.print(result.reply)
        return
    shown = result.sentences[:top_k]
    if result.corrections:  # a slip read as the documents' word: say so, the user may have meant it
        pairs = ((for_terminal(typed), for_terminal(fix)) for typed, fix in result.corrections)
        read = ", ".join(f"\u201c{typed}\u201d as \u201c{fix}\u201d" for typed, fix in pairs)
        _say(console, Text(f"(read {read})", style="dim"), 0)
    if not shown:
        console.print("The documents do not answer this: nothing in them matched.")
        return
    best, rest = shown[0], shown[1:]
    lead, block = shown_block(best.sentence.text)
    sentence = Text(for_terminal(flowed(lead)))
    if result.verdict is Verdict.ANSWERED:
        sentence.stylize("bold")
        if result.answer_span and result.answer_span[1] - best.sentence.start <= len(lead):  # the span in the lead-in
            start, end = (_flowed_offset(lead, o - best.sentence.start) for o in result.answer_span)
            sentence.stylize("bold reverse", start, end)
    elif result.read_on:  # "Tell me more": what follows in the document, not an answer judged by the topic
        _say(console, Text("Next in the document:", style="bold"), 0)
    else:
        verdict, lead_in = (
            ("Not sure the documents answer this", "This sentence may:")
            if result.verdict is Verdict.NOT_SURE
            else ("The documents do not seem to answer this", "Closest sentence:")
        )
        head = Text(verdict, style="bold yellow")
        head.append(f" (confidence {result.confidence:.2f}; it answers from {result.threshold:.2f}).", style="")
        if result.unseen:
            head.append(f" They never mention {_listed(result.unseen)}.", style="")
        if result.elsewhere:
            head.append(f" The sentence's document never mentions {_listed(result.elsewhere)}.", style="")
        head.append(f" {lead_in}", style="")
        _say(console, head, 0)
    if result.verdict is Verdict.ANSWERED:
        _say(console, sentence, 0, hang=2)
    else:
        _say(console, sentence, 2)
    _show_lines(console, block, 4)
    if best.sentence.code is not None:
        _show_code(console, best.sentence, 4)
    source = f"source: {where(best.sentence)}  score {best.score:.2f}"
    if result.answered:
        source += f"  confidence {result.confidence:.2f}"
    _say(console, Text(source, style="dim"), 2)
    for label, text in (("before", _clip(result.context[0], True)), ("after", _clip(result.context[1], False))):
        if text:
            line = Text(f"{label}: ", style="dim")
            line.append(for_terminal(flowed(text)), style="dim italic")
            _say(console, line, 2)
    if rest:
        console.print()
        console.print("Also relevant:" if result.answered else "Other close sentences:")
        for n, item in enumerate(rest, 2):
            _say(console, Text(f"{n}. {for_terminal(flowed(item.sentence.text))}"), 2, hang=3)
            _say(console, Text(f"{where(item.sentence)}  score {item.score:.2f}", style="dim"), 5)


def _show_lines(console, lines: list[str], indent: int) -> None:
    """Lines of code as written, `indent` spaces in: never wrapped (a line too long for the terminal is cut,
    with an ellipsis)."""
    from rich.padding import Padding
    from rich.text import Text

    for line in lines:
        text = Text(for_terminal(line), style="cyan")
        if not line:
            console.print()
        elif console.is_terminal:
            console.print(Padding(text, (0, 0, 0, indent), expand=False), no_wrap=True, overflow="ellipsis")
        else:
            console.print(Text(" " * indent) + text)


CODE_LINES_SHOWN = 20  # a code block after its sentence shows at most this many lines; the citation says where the rest is


def _show_code(console, sentence: Sentence, indent: int) -> None:
    """The code block a sentence leads into, line by line as written, `indent` spaces in: never wrapped (a
    line too long for the terminal is cut, with an ellipsis), at most CODE_LINES_SHOWN lines, then where the
    whole block is."""
    from rich.text import Text

    code = sentence.code
    if code is None:
        return
    lines = code.text.split("\n")
    _show_lines(console, lines[:CODE_LINES_SHOWN], indent)
    if len(lines) > CODE_LINES_SHOWN:
        more = len(lines) - CODE_LINES_SHOWN
        whole = f"{path_shown(sentence.doc)}:{code.start}-{code.end}"
        console.print(Text(f"{' ' * indent}\u2026 {more} more line{'s' * (more > 1)}: {whole}", style="dim"))


def _listed(words: tuple[str, ...]) -> str:
    """'a', 'a' or 'b', 'a', 'b' or 'c'"""
    quoted = [f"'{for_terminal(w)}'" for w in words]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _say(console, text, indent: int, hang: int = 0) -> None:
    """One block of output, `indent` spaces in. On a terminal it is wrapped between words at the terminal's
    width, each further line `hang` spaces deeper (under the text after "2. "); piped, it stays one line."""
    from rich.padding import Padding
    from rich.text import Text

    if not console.is_terminal:
        console.print(Text(" " * indent) + text)
        return
    if hang:
        lines = text.wrap(console, max(console.width - indent, 20))
        for line in lines:
            line.rstrip()  # the space each line was broken at
        console.print(Padding(lines[0], (0, 0, 0, indent), expand=False), soft_wrap=False)
        if len(lines) > 1:
            text, indent = Text(" ").join(lines[1:]), indent + hang
        else:
            return
    console.print(Padding(text, (0, 0, 0, indent), expand=False), soft_wrap=False)
