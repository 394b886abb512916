"""E-mail messages (.eml, the standard library's email package): the subject, who wrote to whom and when,
and the message's own text."""

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
    from email import policy
    from email.parser import BytesParser
    from email.utils import parsedate_to_datetime

    message = BytesParser(policy=policy.default).parsebytes(data)
    subject = " ".join(str(message.get("subject", "")).split())
    date = ""
    try:
        date = parsedate_to_datetime(str(message["date"])).date().isoformat() if message["date"] else ""
    except (TypeError, ValueError, IndexError):
        pass
    outline = Outline()
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
    return make_document(path, data, outline.text(), subject, date, sections=outline.sections(), records=outline.records())


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

