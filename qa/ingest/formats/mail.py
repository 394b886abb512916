"""E-mail messages (.eml, and .mbox mailboxes of them, the standard library's email package; Outlook's .msg,
its compound file opened by olefile): the subject, who wrote to whom and when, and the message's own text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.ingest.formats.common import (
    HEADING_SEPARATOR,
    Outline,
    ReadRules,
    Skipped,
    content_kind,
    decode,
    make_document,
    row_text,
)
from qa.ingest.formats.web import read_html
from qa.types import Document

_QUOTED = re.compile(r"^[ \t]*>")  # a line quoted from the message replied to
# where a reply's quotation of the earlier message begins ("On Mon, 3 Jun 2024, Ann wrote:", Outlook's block)
_ATTRIBUTION = re.compile(r"^(?:On .{6,200} wrote:|-{2,} ?Original Message ?-{2,}|_{10,})\s*$", re.M)
_SIGNATURE = re.compile(r"^-- $", re.M)  # the signature separator (RFC 3676)


def parse_eml(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """One message: its subject is the title and the heading of its text; its From, To and Date are one
    unit ("From: Ann <ann@example.org>; To: Bob; Date: ...") and its date the document's date; the text is
    the plain-text body (else the HTML body, read as a page is), without the quotation of the message it
    replies to (lines starting with ">", or everything after an "On ... wrote:" line; in HTML, block quotes
    and the quote wrappers of common mail programs) and without the signature; then its attachments
    (`add_attachments`)."""
    outline = Outline()
    subject, date = _add_message(outline, read_message(data), path, rules)
    return make_document(path, data, outline.text(), subject, date, **outline.fields())


# where an mbox mailbox's next message begins: a line "From sender date" (an escaped one in a message's text
# reads ">From "); a mailbox of mboxrd escapes ">>From " too
_MBOX_FROM = re.compile(rb"^From [^\n]*\n", re.M)
_MBOX_ESCAPED = re.compile(rb"^>(>*From )", re.M)


def parse_mbox(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document:
    """A mailbox (.mbox, as Thunderbird, Apple Mail and Google Takeout export one): each message as an .eml
    file is read, one after another, each headed by its subject. The mailbox's name is the title."""
    outline = Outline()
    for raw in _MBOX_FROM.split(data):
        if raw.strip():
            _add_message(outline, read_message(_MBOX_ESCAPED.sub(rb"\1", raw)), path, rules)
    return make_document(path, data, outline.text(), **outline.fields())


def read_message(data: bytes):
    """A MIME message (an e-mail, a web page saved as .mhtml), with the standard library's modern policy."""
    from email import policy
    from email.parser import BytesParser

    return BytesParser(policy=policy.default).parsebytes(data)


def _add_message(outline: Outline, message, path: str, rules: ReadRules) -> tuple[str, str]:
    """A message's header unit (under no heading), then its own text under its subject, then each attachment
    qa reads (`add_attachments`): (subject, date)."""
    from email.utils import parsedate_to_datetime

    subject = " ".join(str(message.get("subject", "")).split())
    date = ""
    try:
        date = parsedate_to_datetime(str(message["date"])).date().isoformat() if message["date"] else ""
    except (TypeError, ValueError, IndexError):
        pass
    fields = {name: str(message.get(name, "")) for name in ("From", "To", "Cc", "Date")}
    body = message.get_body(preferencelist=("plain", "html"))
    content, html = "", False
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, UnicodeError):  # a charset Python does not know: read as a text file is
            payload = body.get_payload(decode=True)
            content = decode(payload if isinstance(payload, bytes) else b"")[0]
        html = body.get_content_subtype() == "html"
    _add(outline, subject, fields, content, html)
    files = ((str(part.get_filename() or ""), part.get_payload(decode=True)) for part in message.iter_attachments())
    add_attachments(outline, files, path, rules)
    return subject, date


ATTACHMENT_LEVEL = 2  # under the message's subject


def add_attachments(
    outline: Outline, files: Iterable[tuple[str, object]], path: str, rules: ReadRules, level: int = ATTACHMENT_LEVEL
) -> None:
    """Each attached file (name, bytes) of a kind qa reads (a PDF, a Word document, a spreadsheet, a text
    file...), read as the file it would be saved as, under the heading "Attachment: <its name>" below the
    message's subject, its own headings below that: the report a message sends is often what answers.
    Attached messages, and an attachment over its format's size limit or unreadable, are left out."""
    from qa.ingest.loaders import READERS, ending, read_data

    for name, data in files:
        name = " ".join(name.split())
        suffix = ending(name)
        reader = READERS.get(suffix)
        if reader is None or reader.module == "mail":
            continue
        if not isinstance(data, bytes) or not data or len(data) > rules.file_limit(reader.kind):
            continue
        attached = read_data(f"{path}#{name}", suffix, reader, data, rules)
        # an attachment the message's document has no room left for is left out (a mailbox of reports must
        # not grow past the text limit, which would skip the whole mailbox)
        if isinstance(attached, Document) and outline.offset + 1.1 * len(attached.text) + 100 <= rules.text_limit():
            add_document(outline, level, f"Attachment: {name}", attached)


def add_document(outline: Outline, level: int, heading: str, doc: Document) -> None:
    """`doc`'s text into `outline` under `heading` at `level`, its own heading paths below it: each paragraph
    cut at its headings and records as the chunker cuts it (a heading written in a plain text is context,
    not text; a table row stays one unit), its code blocks as code."""
    from qa.ingest.chunking import Spans, around_units, paragraphs
    from qa.types import heading_at

    outline.heading(level, heading)
    units = sorted([(s, e, True) for s, e in doc.headings] + [(s, e, False) for s, e in doc.records])
    code, blocks = Spans(doc.code), dict(doc.code)  # a code block goes after its paragraph, as its reader put it
    path = ""
    for p_start, p_end in paragraphs(doc.text, doc.body_start):
        if code.overlap(p_start, p_end):  # the paragraphs of a block (blank lines in it): the block once
            if p_start in blocks:
                outline.shows(doc.text[p_start : blocks[p_start]])
            continue
        for start, end, kind in around_units(doc.text, p_start, p_end, units):
            if kind == "heading":
                continue
            if heading_at(doc.sections, start) != path:
                path = heading_at(doc.sections, start)
                outline.close(level + 1)
                for depth, part in enumerate((p for p in path.split(HEADING_SEPARATOR) if p.strip()), level + 1):
                    outline.heading(depth, part)
            outline.paragraph(doc.text[start:end], record=kind == "record")


def _add(outline: Outline, subject: str, fields: dict[str, str], content: str, html: bool) -> None:
    """A message into `outline`: its From, To, Cc and Date as one unit, then its own text under its subject."""
    outline.close()
    values = [" ".join(value.split()) for value in fields.values()]
    outline.paragraph(row_text(values, list(fields)), record=True)
    outline.heading(1, subject)
    if html:
        read_html(content, outline, drop=_is_quote)
    else:
        for paragraph in re.split(r"\n\s*\n", _own_text(content)):
            outline.paragraph(paragraph)


# Outlook's .msg ([MS-OXMSG]): each property a stream "__substg1.0_" + its id and type in hex; the fixed-size
# ones (dates, numbers) 16-byte entries of the "__properties_version1.0" stream, after a 32-byte header
_SUBJECT, _BODY, _HTML, _RTF, _SENDER, _SENDER_ADDRESS, _TO, _CC = (
    0x0037, 0x1000, 0x1013, 0x1009, 0x0C1A, 0x0C1F, 0x0E04, 0x0E03
)  # fmt: skip
_SENT, _DELIVERED, _CREATED, _CODEPAGE = 0x0039, 0x0E06, 0x3007, 0x3FFD
# an attachment: a storage "__attach_version1.0_#" + its number in hex, holding its data and file names (an
# attached message is a storage of its own, not data: not read)
_ATTACH_DATA, _ATTACH_NAME, _ATTACH_LONG_NAME = 0x3701, 0x3704, 0x3707
_UNICODE, _EIGHT_BIT, _BINARY, _TIME, _INTEGER = 0x001F, 0x001E, 0x0102, 0x0040, 0x0003


def parse_msg(path: str, data: bytes, rules: ReadRules = ReadRules()) -> Document | Skipped:
    """An Outlook message (.msg): read as an .eml is (`parse_eml`), from its properties: subject, sender,
    To, Cc, the time it was sent (else delivered, else created), and the plain-text body, else the HTML body.
    A message whose text is only in compressed RTF is skipped with what to do. Its attachments are read as an
    .eml's are."""
    import datetime
    import io
    import struct

    import olefile

    if content_kind(data) != "ole":
        return Skipped(path, "not an Outlook message (.msg): save the message as .eml to have it read")
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        fixed: dict[int, tuple[int, bytes]] = {}
        if ole.exists("__properties_version1.0"):
            table = ole.openstream("__properties_version1.0").read()
            for at in range(32, len(table) - 15, 16):
                tag = struct.unpack_from("<I", table, at)[0]
                fixed[tag >> 16] = (tag & 0xFFFF, table[at + 8 : at + 16])
        kind, value = fixed.get(_CODEPAGE, (0, b""))
        codepage = f"cp{struct.unpack_from('<I', value)[0]}" if kind == _INTEGER else "cp1252"

        def raw(prop: int, kind: int) -> bytes | None:
            return raw_in("", prop, kind)

        def raw_in(storage: str, prop: int, kind: int) -> bytes | None:
            name = f"{storage}/__substg1.0_{prop:04X}{kind:04X}" if storage else f"__substg1.0_{prop:04X}{kind:04X}"
            return ole.openstream(name).read() if ole.exists(name) else None

        def text(prop: int) -> str:
            return text_in("", prop)

        def text_in(storage: str, prop: int) -> str:
            wide = raw_in(storage, prop, _UNICODE)
            if wide is not None:
                return wide.decode("utf-16-le", errors="replace").rstrip("\x00")
            narrow = raw_in(storage, prop, _EIGHT_BIT)
            if narrow is None:
                return ""
            try:
                return narrow.decode(codepage, errors="replace").rstrip("\x00")
            except LookupError:
                return narrow.decode("cp1252", errors="replace").rstrip("\x00")

        subject, body = " ".join(text(_SUBJECT).split()), text(_BODY)
        binary = raw(_HTML, _BINARY)  # the HTML body, in the charset its markup declares
        html = text(_HTML) or (decode(binary)[0] if binary else "")
        if not body.strip() and not html.strip() and raw(_RTF, _BINARY) is not None:
            return Skipped(path, "an Outlook message whose text is only in compressed RTF: save it as .eml to have it read")
        sender, address = text(_SENDER), text(_SENDER_ADDRESS)
        when = None
        for prop in (_SENT, _DELIVERED, _CREATED):
            kind, value = fixed.get(prop, (0, b""))
            ticks = struct.unpack_from("<Q", value)[0] if kind == _TIME else 0  # a FILETIME: 100 ns since 1601
            if not ticks:
                continue
            try:
                when = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
                    microseconds=ticks // 10
                )
                break
            except OverflowError:  # past the year 9999: not a date
                continue
        fields = {
            "From": f"{sender} <{address}>" if sender and "@" in address and address not in sender else sender or address,
            "To": text(_TO),
            "Cc": text(_CC),
            "Date": when.strftime("%a, %d %b %Y %H:%M:%S +0000") if when else "",
        }
        files = [
            (text_in(storage, _ATTACH_LONG_NAME) or text_in(storage, _ATTACH_NAME), raw_in(storage, _ATTACH_DATA, _BINARY))
            for storage in sorted({entry[0] for entry in ole.listdir() if entry[0].startswith("__attach_version1.0_#")})
        ]
    outline = Outline()
    _add(outline, subject, fields, body if body.strip() else html, html=not body.strip())
    add_attachments(outline, files, path, rules)
    date = when.date().isoformat() if when else ""
    return make_document(path, data, outline.text(), subject, date, **outline.fields())


def _own_text(text: str) -> str:
    """A plain-text body without what it quotes and without its signature."""
    text = text.replace("\r\n", "\n")
    for pattern in (_ATTRIBUTION, _SIGNATURE):
        found = pattern.search(text)
        if found is not None:
            text = text[: found.start()]
    return "\n".join(line for line in text.split("\n") if not _QUOTED.match(line))


# where mail programs put the message replied to: <blockquote type="cite">, Gmail's and Thunderbird's wrappers
_QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "OutlookMessageHeader")


def _is_quote(tag) -> bool:
    """Where an HTML body quotes the message it replies to."""
    return tag.name == "blockquote" or any(name in _QUOTE_CLASSES for name in tag.get("class") or ())

