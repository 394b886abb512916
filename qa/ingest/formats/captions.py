"""Transcripts and subtitles (.vtt WebVTT, .srt SubRip): what was said, without cue numbers, timings and styling.

Meeting tools export their transcripts as WebVTT (Teams marks the speaker with a voice tag, `<v Ann Lee>`;
Zoom writes "Ann Lee: " before the words); video subtitles are SubRip. A cue is a line or two of speech,
seldom a sentence: consecutive cues of one speaker are one paragraph ("Ann Lee: ..."), and without speakers
cues are joined until one ends a sentence, so the chunker sees whole sentences."""

from __future__ import annotations

import html
import re

from qa.ingest.formats.common import Outline, ReadRules, decode, make_document
from qa.types import Document

_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>", re.I)  # <v Ann Lee>, <v.loud Ann>
_TAG = re.compile(r"<[^>]*>")  # <i>, <c.yellow>, </v>, <00:00:01.000> timestamps, SRT's <font color=...>
_SPEAKER = re.compile(r"^([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}):\s+(?=\S)")  # "Ann Lee: " as Zoom writes it
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
MAX_JOINED = 8  # cues joined at most into one paragraph when none ends a sentence (automatic captions)


def parse_captions(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """A WebVTT or SubRip file: its cues' text, by speaker where it names them. WebVTT's NOTE, STYLE and
    REGION blocks are left out; a WebVTT header's title ("WEBVTT - Weekly sync") is the title."""
    text, encoding = decode(data)
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    title = ""
    cues: list[tuple[str, str]] = []  # (speaker, words)
    for block in blocks:
        lines = block.split("\n")
        if lines[0].startswith("WEBVTT"):
            title = lines[0].removeprefix("WEBVTT").strip(" \t-:")
            continue
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timed = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timed is None:
            continue  # not a cue: a stray number or a broken block
        said = " ".join(line.strip() for line in lines[timed + 1 :] if line.strip())
        voice = _VOICE.search(said)
        speaker = voice.group(1).strip() if voice else ""
        said = html.unescape(_TAG.sub("", said)).strip()
        named = _SPEAKER.match(said)
        if named and not speaker:
            speaker, said = named.group(1), said[named.end() :]
        if said:
            cues.append((" ".join(speaker.split()), " ".join(said.split())))
    outline = Outline()
    for speaker, words in _paragraphs(cues):
        outline.paragraph(f"{speaker}: {words}" if speaker else words)
    return make_document(path, data, outline.text(), title, encoding=encoding)


def _paragraphs(cues: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Consecutive cues of one speaker joined; without speakers, joined until one ends a sentence (at most
    MAX_JOINED)."""
    out: list[tuple[str, list[str]]] = []
    for speaker, words in cues:
        last = out[-1] if out else None
        if last is not None and last[0] == speaker and (
            speaker or (not _ENDS_SENTENCE.search(last[1][-1]) and len(last[1]) < MAX_JOINED)
        ):
            last[1].append(words)
        else:
            out.append((speaker, [words]))
    return [(speaker, " ".join(parts)) for speaker, parts in out]
