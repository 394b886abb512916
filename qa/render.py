"""Human output: the best sentence with the likely answer highlighted, its source (file, page, line,
span), a little context, and the other supporting sentences. rich does the styling; it turns colours off
when stdout is not a terminal or NO_COLOR is set."""

from __future__ import annotations

from qa.index import LoadedIndex
from qa.types import Answer, Sentence

CONTEXT_CHARS = 160
# The confidence is a calibrated probability that the top sentence holds the answer. Below the threshold but
# at least this, the sentence is more likely right than not: the output says "not sure" rather than "no".
MAYBE = 0.5


def where(sentence: Sentence) -> str:
    place = f"{sentence.doc}:{sentence.start}-{sentence.end}"
    details = [f"page {sentence.page}"] if sentence.page else []
    if sentence.line:
        details.append(f"line {sentence.line}")
    return f"{place} ({', '.join(details)})" if details else place


def _neighbour(index: LoadedIndex | None, sid: int, step: int) -> str:
    if index is None:
        return ""
    other = sid + step
    if not 0 <= other < len(index.sentences):
        return ""
    a, b = index.sentences[sid], index.sentences[other]
    if a.doc != b.doc or a.paragraph != b.paragraph:
        return ""
    text = b.text
    if len(text) > CONTEXT_CHARS:
        text = ("…" + text[-CONTEXT_CHARS:]) if step < 0 else (text[:CONTEXT_CHARS] + "…")
    return text


def print_answer(
    result: Answer, top_k: int, index: LoadedIndex | None = None, threshold: float | None = None, console=None
) -> None:
    from rich.console import Console
    from rich.text import Text

    console = console or Console(highlight=False, soft_wrap=True)
    shown = result.sentences[:top_k]
    if not shown:
        console.print("The documents do not answer this: nothing in them matched.")
        return
    best, rest = shown[0], shown[1:]
    sentence = Text(best.sentence.text)
    if result.answered:
        sentence.stylize("bold")
        if result.answer_span:
            start, end = (offset - best.sentence.start for offset in result.answer_span)
            sentence.stylize("bold reverse", start, end)
    else:
        needed = f"; it answers from {threshold:.2f}" if threshold is not None else ""
        verdict, lead_in = (
            ("Not sure the documents answer this", "This sentence may:")
            if result.confidence >= MAYBE
            else ("The documents do not seem to answer this", "Closest sentence:")
        )
        head = Text(verdict, style="bold yellow")
        head.append(f" (confidence {result.confidence:.2f}{needed}). {lead_in}", style="")
        console.print(head)
        sentence = Text("  ") + sentence
    console.print(sentence)
    source = f"  source: {where(best.sentence)}"
    if result.answered:
        source += f"  confidence {result.confidence:.2f}"
    console.print(Text(source, style="dim"))
    before, after = _neighbour(index, best.index, -1), _neighbour(index, best.index, 1)
    if before or after:
        context = Text("  context: ", style="dim")
        context.append(before + " ", style="dim italic")
        context.append("[…]", style="dim")
        context.append(" " + after, style="dim italic")
        console.print(context)
    if rest:
        console.print()
        console.print("Also relevant:" if result.answered else "Other close sentences:")
        for n, item in enumerate(rest, 2):
            console.print(Text(f"  {n}. {item.sentence.text}"))
            console.print(Text(f"     {where(item.sentence)}  score {item.score:.2f}", style="dim"))
