"""Build or update the index of a corpus: load the files, reuse what the store already holds for unchanged
documents (by content hash), chunk and embed the rest, and commit it to the store in one transaction."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from qa.errors import CorpusError
from qa.ingest.chunking import ChunkSettings, chunk_document
from qa.ingest.freshness import file_state, unchanged
from qa.ingest.loaders import ReadRules, Skipped, in_its_folder, load_file, project_of, walk
from qa.models.encoder import Embedder
from qa.retrieve.lexical import document_terms
from qa.store.base import FORMAT_VERSION, DocumentEntry, DocumentRows, Store, text_keys
from qa.types import Document, code_blocks, heading_at, with_context


@dataclass(frozen=True)
class BuildReport:
    documents: int
    sentences: int
    passages: int
    embedded: int  # texts given a vector in this build (one repeated in a batch is encoded once)
    reused_documents: int
    skipped: list[Skipped]
    seconds: float
    rebuilt: bool  # False when the existing index was already current
    encoded: int = 0  # texts the encoder read: `embedded` less the repeats, whose vectors are copied,
    reused_texts: int = 0  # and less the texts whose vectors the previous index held (`Transaction.vectors_for`)


def index_settings(embedder: Embedder, chunk: ChunkSettings, rules: ReadRules = ReadRules()) -> dict:
    """What an index is made with; an index made otherwise is rebuilt, never mixed."""
    return {
        "format_version": FORMAT_VERSION,
        "model": embedder.model_id,
        "dimension": embedder.dim,
        "normalized": True,
        "metric": "inner_product",
        "chunker": chunk.to_json(),
        "reading": rules.to_json(),
        "model_text": "NFKC",  # what the encoder reads (qa.models.encoder.for_model)
        "context": "headings",  # each text is embedded and its terms counted with its heading path
        # what qa.retrieve.lexical.terms counts: a shell's special variables ("$?") since 2, versions with two
        # points or more whole ("0.27.1") since 3, names with a version after a slash ("HTTP/2") since 4, a
        # command's one-letter options as written ("-N") since 5, a sentence's with its code's since 6, with
        # the code above it that it speaks of ("The code above will ...") since 7, a verb in -ify and its noun
        # in -ification one term ("modify", "modification": "modif") since 8
        "terms": 8,
        "pdf_text": "pdfium",  # what reads a PDF's text layer (pypdf's glued some words)
        # what the loaders read beyond the formats' basics (raised when it changes, so indexes re-read once):
        # gzip files, conventional doc names, MyST and admonition Markdown, HTML landmark roles and permalinks,
        # plain-text headings and Project Gutenberg licences; PDF outline titles set apart from the text and
        # PDF code lines left out (5); EPUB, ODT, PPTX, XLSX, CSV, TSV and e-mail read, not skipped (6); RTF,
        # LaTeX and mbox mailboxes read, Word tables read where they stand, PDF headings by font size, Markdown's
        # HTML blocks read, web pages' cookie notices and sign-ups left out (7); Word footnotes, endnotes and text
        # boxes, ODT notes, Office 97-2003 .doc, .xls and .ppt, Outlook .msg, WebVTT and SubRip read (8); Markdown
        # as documentation sites and notes apps show it, .mdx/.qmd/.Rmd, plain-text tables, page furniture and
        # markup behind a .txt name, Sphinx's directives and terms before definitions (rst, HTML) (9); a
        # Markdown table of contents, heading attributes and emoji codes left out, definition terms read;
        # plain text's title line, sentence-case numbered headings, list labels and field lines; FAQ questions
        # head their answers; Word paragraphs and Markdown lines all in bold as headings (10); ODT paragraphs
        # and PDF lines all in bold as headings, a PDF heading wrapped over two lines one title, two-column
        # tables of labels and values read as pairs (11); Org mode, AsciiDoc, saved web pages, Evernote exports,
        # macro-enabled Office files and e-mail attachments read, a saved page's resource folder left out (12);
        # a file whose name ends in a version or a date ("v2.15-ReleaseNotes.gz", "LICENSE-2.0") read as a file
        # without an ending; GNU Texinfo's links to neighbouring pages and HTML contents lists left out; a
        # `git log --stat` read as its commit messages (13); a unit without a letter or a digit no sentence (14);
        # a Debian changelog's entries headed by their versions, and never read as Markdown (15); a `git log`'s
        # commit headers head their messages (16); plain-text lists without markers read item by item (17); a
        # period standing alone and "eg." end no sentence (18); plain-text FAQ questions in blocks of their own
        # and DocBook FAQs head their answers (19); numbered FAQ entries head theirs (20); a short code block
        # ends the paragraph that leads into it with a colon (21); `nav` classes left out (22); "A." labels (23);
        # a short block indented under a sentence that leads into it with a colon ends it, in plain text (24); a
        # plain text's contents without page numbers left out (25); no code joined that holds a sentence end (26);
        # AsciiDoc listings and Org source blocks joined as the other formats' code (27); a FAQ's questions in
        # paragraphs of their own head their answers in every format (28); an accordion's question buttons (29);
        # a PDF running header of a long title with "12 / 57" or a front-matter "iv" (30); a shell's "$?" and "$!"
        # end no sentence (31); PDF headings below the outline, known by their size (32); a PDF heading written
        # with the number its bookmark leaves out ("9.5.5 System and hardware time") set apart (33); a paragraph
        # going on after a code block ("type:" [deactivate] "into the terminal.") ends the sentence it broke off;
        # a label ("For example:") before code left out is no unit; MyST glossaries; a footer <div> and an HTML
        # note's kind ("Note") left out; a DOCX linking to its own bookmarks read; Word and ODT code styles; an
        # HTML box's title heads only the box; a plain text's "6. Technical committee" over "6.1." a heading (34);
        # a PDF's (or paged text's) running header and "Page 1" on one or two pages left out (35); a
        # word processor's PDF tables read row by row; a PDF's title set apart (37); a PDF table's first
        # row its header only when bold or when its numbers say so (38); bulleted lines no table rows (39); a
        # browser's print stamp and "address 1/1" on one or two pages left out (40); code lines no table rows (41);
        # a PDF title only at the first page's top, before its prose (42); PDF table cells set flush right (43);
        # a Word document's tracked changes accepted (44); its smart tags', fields' and custom XML's runs (45);
        # the table of contents reStructuredText's `.. contents::` generates left out (46); a Sphinx object
        # description under `.. contents::` read, not the file skipped (47); the SQLAlchemy family's changelog
        # directives, sphinx-design's cards and grids read, icon roles and directive options no text, roles
        # in titles read as their text (48); an rst file docutils' transforms fail on read as parsed, a
        # label-less changelog directive's body where it stands, the default role's `~a.b.c` as "c" and an
        # undefined substitution's |name| as "name"; MyST's targets, comment lines and block breaks no text, its
        # PEP and RFC roles "PEP 8"; a web page that is only a <pre> of prose read as plain text; "Sect. 2" and
        # "Arts." no sentence end before a number; a Markdown paragraph of links only no text; an rst or HTML
        # table under a header row read row by row however long a cell, docutils' reports in a cell no text,
        # `.. only::` read as Sphinx's HTML build shows it; rst fields read with their names, bibliographic
        # fields read; a plain text's headings kept when more than half of them head text; an older
        # Project Gutenberg e-text read from its small print's end, an e-book to its "End of ..." line; a doc
        # site's "Edit on GitHub" and Sphinx's index tables no text (49); a Markdown label over a list heads it,
        # an HTML paragraph of links only no text (50); a label over a list heads it in rst and HTML too (51);
        # a changelog's "(#3250)" after its entry no unit (52); a plain text's table of contents whose entries
        # head its sections in other words (a title over its subtitle, other case, a page number) no text (53);
        # MkDocs' attribute lists without a colon and mkdocstrings' "::: a.b" no text, abbreviations read,
        # a Pandoc div with attributes read, a note's mark "(1)" or "[2]" no unit (54); a release's dated
        # heading a sentence, sphinx-issues' :issue:`2558` read "#2558" (55); in plain text too, and a dated
        # release's line alone over its entries heads them (56); a function or method role read as the call
        # Sphinx writes, "getchar()" (57); a one-line install command right under a heading a unit, a Markdown
        # table of contents linking the page's headings by its address no text, a line in italics a label (59),
        # not a line of two italic runs (60); a shortlog's commits opening with the code they change each a
        # unit, a plain text's heading underlined to its length though it ends in a colon, a version atop a
        # text no title (61); an HTML code block's buttons and switches no text, its flavours a line each (62);
        # a PDF page's first or last line ending in the page's printed number no text (63); a PDF heading
        # placed where a line opens with it, not inside a sentence (64); a `git log --oneline` a commit a unit (65);
        # a `git log` after a generated file's note, and its headers of four to six lines (66); a plain text's
        # item that labels the items under it ("* Wayland:") heads them (67); a Debian copyright file read
        # stanza by stanza, its file lists headings (68); a list of people with their addresses (an AUTHORS or
        # THANKS file) a person a unit (69); a GNU Info manual read, without its node lines and menus, and
        # a manual page's roff rendered as man shows it (70); a Texinfo source read (71); DocBook XML (72); an
        # Info manual's chapters under its title (73); a README's, a changelog's sections under their folder's
        # name (74); a man page's own strings, help2man's .HP options over their text (75); a web page's
        # sections under what its <title> says beyond its heading (76); a plain-text item's title line heads its
        # text, a dated line that tells something no release heading (77), an item indented with tabs too (78);
        # Markdown's "#black" alone a heading, a date's day not a version's last number (79); a Markdown
        # paragraph of inline code only ends the paragraph leading into it with a colon (80); a PDF's headers
        # on its left-hand and right-hand pages, its footnotes apart from its text (81); a PDF's title as its
        # metadata names it, a paper's abstract a heading, its byline none (82); what a PDF shows typed at an
        # interactive prompt ("R> ", ">>> ") left out as code (83); a footnote's mark in the text blanked, a
        # note broken over two pages one note (84); a plot's text drawn in a PDF left out (85); a PDF's list of
        # references an entry a unit, a one-word "References" heading (86), its year from 1500 (87); an EPUB
        # zipped from outside its folder read (88); the authors' addresses after a PDF's references apart (89);
        # a page number in a PDF's footnotes' small type no part of the last note (90); a GNU ChangeLog entry by
        # entry under its author and date (91); an HTML <br> inside a sentence a line break (92); an mdoc item's
        # tag over its lines from Xo to Xc, with .Sm off and .Fo, mdoc's \*[Am] (93); an rst table of terms and
        # their texts with no header row each term before its text (94), a Word, OpenDocument, AsciiDoc or Org
        # table's too (95); a code block a sentence leads into with a colon kept in the text, cited with that
        # sentence (96), a block after any paragraph too (97); a question over code only no FAQ heading, an
        # attachment's code as code, a block under a new heading not after the last one kept, a notebook's code
        # cells as code (98); an HTML code block beside its line numbers the code block, not a table (99); a
        # one-line command at a prompt ("$ make test") right under a heading a unit, as an install command (100);
        # a block nothing leads into kept when the paragraph after it speaks of it ("The code above ...") (101);
        # a plain text's numbered heading wrapped over two lines one heading (102); a catalogue's entries
        # read after their names ("BarCache: Response caching ...") (103); a Project Gutenberg web page read
        # between its START and END lines, as its plain text (104); an API reference's entries with their
        # examples (105); an entry opening with its name no end to a catalogue's run (106); a reference's
        # entries under names written as code, their first paragraph after the name (107); a note in a PDF's
        # margin set apart from the sentence beside it (108); a list's number between sentences ("2.") no unit
        # (109); a PDF's bold line numbered below the outline entry above it a heading (110); Markdown inside an
        # HTML element marked `markdown` read as Markdown (111); a paragraph of links only read as where they
        # lead, a pre-release's heading a release's (112); in reStructuredText too (113); a heading naming a
        # release's notes by its version ("Git 2.23 Release Notes") a release's (114); an HTML page that leaves
        # its paragraphs, list items or cells open read with them closed where a browser closes them (115); a
        # page title that runs on from its heading ("Office move memo") names no site over it (116); an HTML
        # word-break opportunity (<wbr>) no break between words ("LayoutErr", not "Layout Err") (117); a button
        # beside a heading's own words left out of it ("Copy item path") (118); a code block right under a heading
        # kept and shown with the first sentence after it (119); a wiki's "[edit]" and a bracketed "[source]"
        # link no text (120); an article's <header> keeps its headings, a wiki's note marks ("[1]") and
        # unprinted lines (class noprint) no text (121); an article's <header> read but for its lists, a dropdown
        # menu short clutter (122); a wiki's sources an entry a unit, its categories short clutter (123); a page's
        # one <h1> before its main part heads it, a title's site the part after its heading (124); a fold's
        # label that only says how to open it ("Expand description") no heading (125); a post's tag list, vote
        # count, author's card and controls ("Improve this question") no text (126); a heading folded in a
        # <details> heads at its own level, "1.0.0 · Source" and a closing "Read more" no text (127); a
        # pre-release of two numbers ("21.8b0") a release's heading (128); a plain text in tabs a table, one
        # of numbers skipped, a table's first row of codes a record (129); a hidden microdata value ("48 Answers
        # 48") no text (130); a heading's linked words ("<h3><a>Delete</a></h3>") no control (131); a PDF
        # table whose cells wrap read row by row (132); a PDF's paragraphs told by the space above them, a
        # numbered list item by item (133); a plain text written one paragraph a line read line by line (134);
        # Word's Symbol-font bullet (U+F0B7) a list item's marker (135); a .doc's tables row by row, its Title
        # its title (136); an ODT's and a web page's table whose first row names its columns (in bold, a
        # <thead>) read with the names (137); a placeholder title in a file's metadata ("Word Document",
        # "Microsoft Word - lease.docx") no title (138); a bookmarked PDF's title the one its first page shows
        # where its metadata names none (139); a PDF table read on past a row with an empty cell or a wrapped
        # one, and on over a page break under its names (140); a paragraph's closing label with the command or
        # value it shows ("You would run: hatch new", "Default: false") part of the sentence before it (141); a
        # list item ending in a full stop with the command set deeper under it ("• Sort in descending
        # (reverse) numeric order." over "sort -n -r") one sentence (142); a Markdown line all in bold after an
        # icon (an MkDocs Material card's title, ":material-hammer-wrench: __Build system__") a heading (143),
        # the card's button ("[:octicons-arrow-right-24: Configure builds](...)") no text (144); a Markdown
        # table's label whose value is pictures only (a README's row of badges, "CI/CD") no text (145); a book's
        # list of tables (DocBook's, a text dump's "List of Tables") and a contents entry found again after
        # "Chapter"/"Appendix" no text, a book's chapters over its numbered sections, a margin of no-break
        # spaces a margin, an admonition's "Note" no subtitle, an HTML table's caption the heading of its rows (146);
        # a plain text's no-break spaces spaces, a contents entry wrapped over three lines one, a heading the
        # contents name wrapped over up to three lines a heading (a FAQ's long question), a rule no subtitle (147);
        # a plain text's terminal session (a command at a "$ " prompt and what it printed) code, not sentences (148);
        # a plain text's grid table (boxed in "+---+" rules: a text browser's dump, MySQL's output) row by row, under
        # its column names and a "Table 1.1. ..." caption over it (149); a plain text's terminal formatting (ANSI
        # escapes, overstrikes) no text, and no sign of a binary file (150); nroff's bullet ("+" struck over "o") a
        # list item's marker (151)
        "extraction": 151,
    }


CODE_TERMS = 400  # a sentence's terms are counted with this many characters of the code it leads into (at most)


def is_current(store: Store, corpus: str | Path, settings: dict, rules: ReadRules = ReadRules()) -> bool:
    """The store's index was made with these settings from the files as they are now."""
    if store.settings() != settings:
        return False
    recorded = store.files()
    return recorded is not None and unchanged(corpus, recorded, rules.follow_symlinks)


BATCH_TEXTS = 2048  # texts embedded together; documents are written to the store after each batch
_SLICE = 512  # texts per encoder call


def build_index(
    store: Store,
    corpus: str | Path,
    embedder: Embedder,
    chunk: ChunkSettings,
    force: bool = False,
    extra: dict | None = None,
    progress: Callable[[int, int, int], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    rules: ReadRules = ReadRules(),
) -> BuildReport:
    """Bring the store's index of `corpus` up to date. Unchanged documents keep their rows and vectors;
    nothing is mixed across models, chunker settings or reading rules. Files are read, chunked, embedded and
    written a batch at a time, so memory stays bounded at any corpus size (one file at a time is bounded by
    the reading rules' limits). `progress(files done, files, texts embedded)` follows the build."""
    started = time.perf_counter()
    corpus = Path(corpus)
    if not os.path.lexists(corpus):  # said before the store is touched: nothing is created for a typo
        raise CorpusError(f"corpus path {str(corpus)!r} does not exist")
    settings = index_settings(embedder, chunk, rules)
    with store.transaction(settings, on_wait) as txn:
        if not force and is_current(store, corpus, settings, rules):
            stats = store.stats()
            if stats is not None:
                return BuildReport(
                    stats.documents, stats.sentences, stats.passages, 0, stats.documents,
                    [Skipped(**s) for s in store.skipped()], time.perf_counter() - started, rebuilt=False,
                )  # fmt: skip
        known = {} if force else txn.known()
        batch = _Batch(embedder, txn, progress, lend=not force)  # --force: every text encoded afresh
        skipped: list[Skipped] = []
        files: dict[str, dict] = {}
        entries = list(walk(corpus, rules.follow_symlinks))
        batch.files_total = sum(1 for *_, reason in entries if not reason)
        documents = reused = 0
        for rel, _, name, reason in entries:
            file = Path(name)
            files[rel] = file_state(file, follow=not reason)
            item = Skipped(rel, reason) if reason else load_file(file, rules)
            if isinstance(item, Skipped):
                # not hashed: a skipped file may be huge (a video, a log) and is not read again just for that;
                # if it is touched, the index is rebuilt, reusing every document's vectors
                files[rel]["sha256"] = ""
                skipped.append(Skipped(rel, item.reason))
            else:
                files[rel]["sha256"] = item.sha256
                doc = in_its_folder(replace(item, path=rel), file)
                documents += 1
                prior = known.get(doc.sha256)
                # the same bytes read the same, but for their folder's name (`in_its_folder`): a copy in another
                # project's folder, or a renamed folder, reads anew
                if prior is not None and (prior.path == doc.path or project_of(corpus / prior.path) == project_of(file)):
                    batch.flush()  # documents keep the corpus's order
                    txn.keep(prior, doc.path)
                    reused += 1
                else:
                    batch.add(doc, chunk)
            if not reason:
                batch.files_done += 1
                batch.report()
        batch.flush()
        if not documents:
            raise CorpusError(
                f"no readable text documents in {str(corpus)!r}"
                + (f" ({len(skipped)} skipped, e.g. {skipped[0].path}: {skipped[0].reason})" if skipped else "")
            )
        txn.commit(files, {"skipped": [asdict(s) for s in skipped], **(extra or {})})
    return BuildReport(
        documents, txn.n_sentences, txn.n_passages, batch.embedded, reused, skipped, time.perf_counter() - started, True,
        batch.encoded, batch.reused,
    )  # fmt: skip


class _Batch:
    """Documents chunked but not yet embedded; `flush` embeds their sentences and passages together and
    upserts each document into the transaction."""

    def __init__(
        self, embedder: Embedder, txn, progress: Callable[[int, int, int], None] | None, lend: bool = True
    ) -> None:
        self.embedder, self.txn, self.progress, self.lend = embedder, txn, progress, lend
        # (document, sentences, passages, term counts, every text as the encoder reads it: sentences, then passages)
        self.pending: list[tuple[Document, list, list, list, list[str]]] = []
        self.texts = 0
        self.embedded = 0
        self.encoded = 0
        self.reused = 0
        self.files_done = 0
        self.files_total = 0

    def report(self) -> None:
        if self.progress is not None:
            self.progress(self.files_done, self.files_total, self.embedded)

    def add(self, doc: Document, chunk: ChunkSettings) -> None:
        sentences, passages = chunk_document(doc, chunk, self.embedder.count_tokens, 0)
        # each text as the encoder reads it, after its heading path ("Usage › Line length: ..."); a sentence's
        # terms are counted with the path's too, so one under "Line length" answers for line length, and with
        # the start of the code it leads into, so that a name only its code uses is one the documents use
        read = [with_context(heading_at(doc.sections, s.start), s.text) for s in sentences]
        counts = document_terms([t if s.code is None else f"{t} {s.code.text[:CODE_TERMS]}" for t, s in zip(read, sentences)])
        read += [with_context(heading_at(doc.sections, p.start), p.text) for p in passages]
        self.pending.append((doc, sentences, passages, counts, read))
        self.texts += len(read)
        if self.texts >= getattr(self.embedder, "window", BATCH_TEXTS):
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        texts = [text for *_, read in self.pending for text in read]
        keys = text_keys(texts)
        vectors = self._embed(texts, keys)
        at = 0
        for doc, sentences, passages, counts, read in self.pending:
            mid, end = at + len(sentences), at + len(read)
            entry = DocumentEntry(
                doc.path, doc.sha256, doc.title, doc.date, doc.encoding, sections=doc.sections, code=code_blocks(doc)
            )
            self.txn.upsert(
                DocumentRows(entry, sentences, passages, vectors[at:mid], vectors[mid:end], counts, keys[at:end])
            )
            at = end
        self.pending, self.texts = [], 0

    def _embed(self, texts: list[str], keys: np.ndarray) -> np.ndarray:
        """Embed in slices into one array: neither the encoder nor a concatenation holds a second copy of
        a large document's vectors, and a progress display can follow. An encoder that works on larger
        windows (Ray) gets them whole. A text repeated in the batch is encoded once and its vector copied:
        a paragraph of one sentence is also a passage of the same text (a list item, a table row, a slide's
        bullet), which made a fifth of a real corpus's texts (docs/benchmarks.md). A text the previous index
        holds (by its key) takes its vector from there: the encoder gives one text the same vector every
        time, and it is most of the cost of a build."""
        out = np.empty((len(texts), self.embedder.dim), dtype=np.float32)
        first: dict[str, int] = {}
        for i, text in enumerate(texts):
            first.setdefault(text, i)
        rows = list(first.values())  # where each distinct text first stands, in order
        if rows and self.lend:
            found, held = self.txn.vectors_for(keys[rows])
            if found.any():
                out[np.asarray(rows)[found]] = held
                self.embedded += int(found.sum())
                self.reused += int(found.sum())
                rows = [row for row, known in zip(rows, found) if not known]
                self.report()
        step = getattr(self.embedder, "window", _SLICE)
        for start in range(0, len(rows), step):
            chosen = rows[start : start + step]
            out[chosen] = self.embedder.embed([texts[i] for i in chosen])
            self.embedded += len(chosen)
            self.encoded += len(chosen)
            self.report()
        copies = [i for i, text in enumerate(texts) if first[text] != i]
        if copies:
            out[copies] = out[[first[texts[i]] for i in copies]]
            self.embedded += len(copies)
            self.report()
        return out
