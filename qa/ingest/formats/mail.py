"""E-mail messages (.eml, and .mbox mailboxes of them; the standard library's email package): the subject,
who wrote to whom and when, and the message's own text."""

from __future__ import annotations

import re

from qa.ingest.formats.common import Outline, ReadRules, decode, make_document, row_text
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
    and the quote wrappers of common mail programs) and without the signature. Attachments are not read."""
    outline = Outline()
    subject, date = _add_message(outline, _parse(data))
    return make_document(path, data, outline.text(), subject, date, sections=outline.sections(), records=outline.records())


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
            _add_message(outline, _parse(_MBOX_ESCAPED.sub(rb"\1", raw)))
    return make_document(path, data, outline.text(), sections=outline.sections(), records=outline.records())


def _parse(data: bytes):
    from email import policy
    from email.parser import BytesParser

    return BytesParser(policy=policy.default).parsebytes(data)


def _add_message(outline: Outline, message) -> tuple[str, str]:
    """A message's header unit (under no heading), then its own text under its subject: (subject, date)."""
    from email.utils import parsedate_to_datetime

    subject = " ".join(str(message.get("subject", "")).split())
    date = ""
    try:
        date = parsedate_to_datetime(str(message["date"])).date().isoformat() if message["date"] else ""
    except (TypeError, ValueError, IndexError):
        pass
    outline.close()
    fields = [(name, " ".join(str(message.get(name, "")).split())) for name in ("From", "To", "Cc", "Date")]
    outline.paragraph(row_text([value for _, value in fields], [name for name, _ in fields]), record=True)
    outline.heading(1, subject)
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, UnicodeError):  # a charset Python does not know: read as a text file is
            payload = body.get_payload(decode=True)
            content = decode(payload if isinstance(payload, bytes) else b"")[0]
        if body.get_content_subtype() == "html":
            read_html(content, outline, drop=_is_quote)
        else:
            for paragraph in re.split(r"\n\s*\n", _own_text(content)):
                outline.paragraph(paragraph)
    return subject, date


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

