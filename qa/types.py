"""Plain data that flows between the stages. Frozen dataclasses, no behaviour beyond their JSON form."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Document:
    """A loaded file. `text` is the extracted text; every offset in the project points into it."""

    path: str
    text: str
    sha256: str
    title: str = ""
    date: str = ""
    body_start: int = 0  # offset where the body begins (after a metadata header line)
    encoding: str = "utf-8"
    pages: tuple[int, ...] = ()  # start offset of each page (PDF), empty otherwise
    # (start offset, heading path) of each section, in order: the headings above the text from that offset
    # on, outermost first ("Usage › Line length"); empty for formats without headings
    sections: tuple[tuple[int, str], ...] = ()
    # [start, end) spans of headings written in the text itself (plain text): context, not sentences
    headings: tuple[tuple[int, int], ...] = ()
    # [start, end) spans of records (a table row, an e-mail's header line): each one sentence, never split at
    # a full stop inside it ("Notes: Revenue rose. Costs fell." keeps its column names)
    records: tuple[tuple[int, int], ...] = ()
    # [start, end) spans of code blocks kept in the text, each right after the paragraph that leads into it
    # ("A minimal application looks like this:"): cited with its last sentence, never sentences
    code: tuple[tuple[int, int], ...] = ()


def heading_at(sections: tuple[tuple[int, str], ...], offset: int) -> str:
    """The heading path above `offset`, given a document's sections ("" where the format has none)."""
    i = bisect.bisect_right(sections, (offset, "\uffff")) - 1
    return sections[i][1] if i >= 0 else ""


CONTEXT_CHARS = 160  # at most this much of a heading path goes with a text to the models (its innermost part)


def with_context(heading: str, text: str) -> str:
    """A text as the models read it (the encoder, lexical matching, the ranker): its heading path (the
    innermost CONTEXT_CHARS of it) before it."""
    if not heading:
        return text
    if len(heading) > CONTEXT_CHARS:
        heading = "\u2026" + heading[-CONTEXT_CHARS:].split(" ", 1)[-1]
    return f"{heading}: {text}"


@dataclass(frozen=True)
class Code:
    """A code block shown with the sentence that leads into it: [start, end) in its document's text."""

    start: int
    end: int
    text: str


CODE_GAP = 2  # a code block opens this many characters (a paragraph break) after the sentence leading into it


def code_blocks(doc: Document) -> tuple[tuple[int, str], ...]:
    """A document's code blocks as (start, text), in order: what `code_for` looks in, and what an index keeps."""
    return tuple((start, doc.text[start:end]) for start, end in doc.code)


# "The code above will limit the payload to 16 megabytes.", "In the example above, ...", "Above, we ...": a
# sentence that speaks of the example just before it. "This example ..." and "This code ..." do too, unless
# they lead on with a colon ("This code finds the first and last link: soup.find_all(...)")
_CODE_NOUN = r"(?:code|example|snippet|listing|configuration|program|script|sample)"
_ABOVE = re.compile(
    rf"\W*(?:(?:in|with|using|from|as\s+(?:shown|seen)\s+in)\s+)?(?:the|this)\s+(?:{_CODE_NOUN}\s+)?above\b"
    rf"|\W*(?:(?:in|with)\s+)?the\s+above\s+{_CODE_NOUN}\b"
    r"|\W*the\s+above\s+(?:will|would|is|does|shows|creates|defines|sets|uses|makes|adds|tells|registers)\b"
    r"|\W*above,",
    re.I,
)
_THIS_CODE = re.compile(rf"\W*(?:(?:in|with)\s+)?(?:this|the\s+(?:previous|preceding))\s+{_CODE_NOUN}\b", re.I)


def speaks_of_code_above(text: str) -> bool:
    """Does a sentence (or a paragraph, by its opening) speak of the code block just before it?"""
    return bool(_ABOVE.match(text)) or (bool(_THIS_CODE.match(text)) and ":" not in text)


BACK_GAP = 600  # a sentence speaking of "the code above" follows its block within this many characters


def _opens_section(sections: tuple[tuple[int, str], ...], offset: int) -> bool:
    """Does the text at `offset` open its section (nothing before it under its heading)?"""
    i = bisect.bisect_right(sections, (offset, "\uffff")) - 1
    return i >= 0 and bool(sections[i][1]) and offset - sections[i][0] <= CODE_GAP


def code_for(
    blocks: tuple[tuple[int, str], ...], sections: tuple[tuple[int, str], ...], start: int, end: int, text: str
) -> Code | None:
    """The code block (of a document's (start, text) blocks, in order) a sentence is shown with, under the
    same headings: the one it leads into (opening `CODE_GAP` characters after it), else, for a sentence that
    speaks of the example above it ("The code above will limit ..."), the block before it, at most a
    paragraph away (`BACK_GAP`), and for the first sentence after a block that opens their section (CMake's
    "add_executable(<name> ...)" right under "Normal Executables", then "Adds an executable target called
    <name> ..."), that block."""
    i = bisect.bisect_left(blocks, (end,))
    near: list[int] = []
    if i < len(blocks) and blocks[i][0] - end <= CODE_GAP:
        near.append(i)
    if i > 0:
        after = start - (blocks[i - 1][0] + len(blocks[i - 1][1]))
        if (after <= BACK_GAP and speaks_of_code_above(text)) or (
            after <= CODE_GAP and _opens_section(sections, blocks[i - 1][0])
        ):  # the block above it: one it speaks of, or one right under their heading, that it follows
            near.append(i - 1)
    for at in near:
        block, code = blocks[at]
        if heading_at(sections, block) == heading_at(sections, start):  # not one under the next heading
            return Code(block, block + len(code), code)
    return None


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: `doc` path and the [start, end) span in the document's text."""

    doc: str
    start: int
    end: int
    text: str
    paragraph: int = 0
    page: int = 0  # 1-based page for paged formats (PDF), 0 otherwise
    line: int = 0  # 1-based line of `start` in the extracted text
    heading: str = ""  # the heading path above it ("Usage › Line length"), where the store keeps it
    code: Code | None = None  # the code block it leads into ("... looks like this:")


@dataclass(frozen=True)
class Passage:
    """A run of consecutive sentences of one paragraph, embedded as a unit for retrieval."""

    doc: str
    start: int
    end: int
    text: str
    first_sentence: int  # index into the sentence list it was made with (document-local in a build)
    last_sentence: int  # inclusive


@dataclass(frozen=True)
class Chunks:
    """Everything the chunker produced for a corpus."""

    sentences: list[Sentence]
    passages: list[Passage]


@dataclass(frozen=True)
class Turn:
    """What a question's conversation adds to it (qa.conversation.Conversation.turn); the default is a
    question asked on its own."""

    query: str = ""  # what the encoder and the reader read: a follow-up with its topic ("" = the question)
    # what the ranker reads: a follow-up's own words and what it points at, or its topic question with them
    # when it has no words of its own ("Why?"); "" = the question
    focus: str = ""
    near: int | None = None  # a sentence whose document is searched as well: the last answer's
    excluded: frozenset[int] = frozenset()  # sentences not to answer with again ("who else...")
    following: int | None = None  # the sentence after (before) the last answer, for "who came after him?"
    follow_up: bool = False  # answered with its conversation's context (it shifts the confidence)
    words: str = ""  # what the lexical search matches: the focus of a follow-up with no words of its own
    # whose names the top sentence's document must hold (Candidates.missing_names): what a follow-up is
    # matched with (`words`, else the question), what it points at and its topic question ("Where did he
    # study? Stefano Zacchiroli When did Steve McIntyre lead Debian?"); "" = the question
    names: str = ""
    # the kind of answer the conversation makes this turn ask for where its words alone do not say
    # (kinds.expected_type): "code" for "How do I change it?" after a question about a default
    expects: str | None = None
    # a follow-up asking a figure, a date or a place of what was just answered ("How much did it cost?" after
    # "When was the cambelt replaced?"): the answer's own section (its heading path) holds the record
    same_section: bool = False
    # a request to read on ("Tell me more", "Go on"): its `following` sentence comes first, whatever it matches
    reads_on: bool = False
    # "Who led it after him?" with the person answered in place of "him" ("Who led it after Ian Murdock?"): the
    # item after that person's in a list answers it (extract.step_from_name); "" = no such step
    named_step: str = ""
    # "What does it do?" after "How do I turn on debug mode?" asked of what "it" stands for ("What does debug mode
    # do?"): what says which sentences say what the thing is or does (kinds.asked_what_it_is); "" = the question
    about: str = ""


@dataclass(frozen=True)
class ScoredSentence:
    sentence: Sentence
    score: float
    index: int  # position in the index's sentence table


class Verdict(str, Enum):
    """What an answer claims: answered (confidence at or above the threshold), not sure (below it, but more
    likely right than not) or abstained (the documents do not seem to answer)."""

    ANSWERED = "answered"
    NOT_SURE = "not sure"
    ABSTAINED = "abstained"


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    confidence: float
    sentences: list[ScoredSentence] = field(default_factory=list)
    query: str = ""  # the text actually searched (after follow-up resolution)
    answer_span: tuple[int, int] | None = None  # likely answer inside the top sentence, document offsets
    verdict: Verdict = Verdict.ABSTAINED
    threshold: float = 0.0  # the confidence qa answers from
    context: tuple[str, str] = ("", "")  # the sentences before and after the top one, same paragraph
    unseen: tuple[str, ...] = ()  # the question's names and rare words that the documents never use
    elsewhere: tuple[str, ...] = ()  # the question's names other documents use, but not the top sentence's
    corrections: tuple[tuple[str, str], ...] = ()  # (typed, read as) for each slip read as a documents' word
    reply: str = ""  # a chat's words to a turn that asks nothing of the documents ("thanks": "You're welcome.")
    # a request to read on ("Tell me more") answered with the sentence after the last one shown: what follows
    # in the document, whatever the confidence says of it as an answer to the topic question
    read_on: bool = False

    def to_json(self, limit: int | None = None) -> dict:
        chosen = self.sentences if limit is None else self.sentences[:limit]
        return {
            "question": self.question,
            "answered": self.answered,
            "confidence": round(float(self.confidence), 4),
            "sentences": [_sentence_json(s) for s in chosen],
            **self._answer_json(),
            **({"unseen": list(self.unseen)} if self.unseen else {}),
            **({"elsewhere": list(self.elsewhere)} if self.elsewhere else {}),
            **({"corrected": dict(self.corrections)} if self.corrections else {}),
            **({"reply": self.reply} if self.reply else {}),
            **({"read_on": True} if self.read_on else {}),
        }

    def _answer_json(self) -> dict:
        if self.answer_span is None or not self.sentences:
            return {}
        top = self.sentences[0].sentence
        start, end = self.answer_span
        return {"answer": {"text": top.text[start - top.start : end - top.start], "start": start, "end": end}}


def _sentence_json(item: ScoredSentence) -> dict:
    s = item.sentence
    row = {"text": s.text, "doc": s.doc, "start": s.start, "end": s.end, "score": round(float(item.score), 4)}
    if s.page:
        row["page"] = s.page  # paged formats only: part of the citation
    if s.heading:
        row["heading"] = s.heading  # formats with headings only
    if s.code is not None:
        row["code"] = {"text": s.code.text, "start": s.code.start, "end": s.code.end}  # cited as code
    return row
