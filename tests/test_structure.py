"""Structure as context: heading paths of every format, what the encoder and the lexical index read, and the
PDF clean-up that keeps page furniture out of sentences."""

from dataclasses import replace
from pathlib import Path

from conftest import build
from docfactory import write_docx, write_pdf

from qa.ingest.chunking import chunk_document
from qa.ingest.formats.common import Skipped
from qa.ingest.formats.pdf import clean_page, code_line, page_continues, without_running_lines
from qa.ingest.loaders import load_file
from qa.retrieve.lexical import LexicalIndex
from qa.types import heading_at, with_context

MARKDOWN = """# Black docs

Intro paragraph about formatting.

## Line length

The default is 88 characters.

### Why 88

It produces shorter files.

## Quotes

Double quotes are preferred.
"""


def heading_of(doc, needle: str) -> str:
    return heading_at(doc.sections, doc.text.index(needle))


def under_headings(path: Path, source: str) -> list[tuple[str, str]]:
    """Each sentence of `source`, written to `path` and read as qa reads it, with its heading path."""
    path.write_text(source)
    doc = load_file(path)
    return [(s.text, heading_at(doc.sections, s.start)) for s in chunk_document(doc)[0]]


def test_markdown_sentences_know_their_heading_path(tmp_path: Path):
    path = tmp_path / "style.md"
    path.write_text(MARKDOWN)
    doc = load_file(path)
    assert heading_of(doc, "Intro paragraph") == "Black docs"
    assert heading_of(doc, "The default is 88") == "Black docs › Line length"
    assert heading_of(doc, "It produces shorter") == "Black docs › Line length › Why 88"
    assert heading_of(doc, "Double quotes") == "Black docs › Quotes"  # a same-level heading closes the deeper one
    assert "Line length" not in doc.text  # headings are context, not sentences


def test_rst_sections_and_roles(tmp_path: Path):
    path = tmp_path / "options.rst"
    path.write_text(
        "Options\n=======\n\nUse :func:`click.option` to add one.\n\n"
        "Boolean Flags\n-------------\n\nSee :ref:`the guide <flags>` and :meth:`~click.Context.invoke`.\n"
    )
    doc = load_file(path)
    assert heading_of(doc, "Use click.option") == "Options"
    assert heading_of(doc, "See the guide") == "Options › Boolean Flags"
    assert "See the guide and invoke()." in doc.text  # roles read as what they render
    assert ":func:" not in doc.text and "`" not in doc.text


def test_html_headings_open_sections(tmp_path: Path):
    path = tmp_path / "faq.html"
    path.write_text(
        "<html><body><h1>Debian FAQ</h1><p>Welcome to the FAQ.</p><h2>Choosing</h2>"
        "<h3>Which distribution for a server?</h3><p>Install stable.</p>"
        "<h2>Packages</h2><p>Packages end in .deb.</p></body></html>"
    )
    doc = load_file(path)
    assert heading_of(doc, "Welcome") == "Debian FAQ"
    assert heading_of(doc, "Install stable.") == "Debian FAQ › Choosing › Which distribution for a server?"
    assert heading_of(doc, "Packages end") == "Debian FAQ › Packages"
    assert "Choosing" not in doc.text


FAQ_PAGE = """<html><head><title>Help centre</title></head><body><main><h1>Questions</h1>
<p><strong>How do I reset my password?</strong><br>Open Settings and choose Reset.</p>
<p><b>Can I change my username?</b></p><p>No, usernames are permanent.</p>
<dl><dt>Is there a mobile app?</dt><dd>Yes, for Android and iOS.</dd><dt>Storage</dt><dd>Ten gigabytes.</dd></dl>
<details><summary>Do you ship abroad?</summary><p>We ship to 30 countries.</p></details>
<p><strong>Why?</strong> Because bold can open a sentence too.</p>
<p><b>Billing</b></p><p>Invoices go out monthly.</p><ul><li><b>Fast</b></li><li><b>Small</b></li></ul>
<h2>Contact</h2><p>Write to help@example.com.</p></main></body></html>"""


def test_a_faq_pages_questions_head_their_answers(tmp_path: Path):
    assert under_headings(tmp_path / "faq.html", FAQ_PAGE) == [
        ("Open Settings and choose Reset.", "Questions › How do I reset my password?"),
        ("No, usernames are permanent.", "Questions › Can I change my username?"),
        ("Yes, for Android and iOS.", "Questions › Is there a mobile app?"),
        ("Storage: Ten gigabytes.", "Questions"),  # a term that asks nothing leads its definition
        ("We ship to 30 countries.", "Questions › Do you ship abroad?"),
        ("Why? Because bold can open a sentence too.", "Questions"),  # not on a line of its own
        ("Invoices go out monthly.", "Questions › Billing"),  # a label in bold heads what follows
        ("Fast", "Questions › Billing"),  # items in bold are items
        ("Small", "Questions › Billing"),
        ("Write to help@example.com.", "Questions › Contact"),
    ]


def test_html_tables_of_contents_and_navigation_are_not_sentences(tmp_path: Path):
    path = tmp_path / "chapter.html"
    path.write_text(
        '<html><body><div class="navheader"><table><tr><th>Chapter 3. Choosing</th></tr></table></div>'
        '<table class="nav"><tr><td><a href="up.html">Up</a></td><th>Valgrind FAQ</th></tr></table>'
        '<div class="toc"><dl class="toc"><dt><a href="#a">3.1. Which distribution is better for me?</a></dt></dl></div>'
        "<h2>3.1. Which distribution is better for me?</h2><p>It depends on what you do.</p>"
        '<div class="contents topic"><p>Contents</p><ul><li>Usage</li></ul></div></body></html>'
    )
    doc = load_file(path)
    assert doc.text == "It depends on what you do."
    assert heading_of(doc, "It depends") == "3.1. Which distribution is better for me?"


def test_a_manual_s_links_to_its_other_pages_are_not_sentences(tmp_path: Path):
    """GNU Texinfo's pages open with a line of links to their neighbours and list their sections' pages; a
    hand-made page lists its contents under a "Table of Contents" heading. A list whose items are links to
    sections and say something stays: manuals link every item of a list of errors or examples."""
    path = tmp_path / "Using-libffi.html"
    path.write_text(
        '<html><body><div class="header"><p>Next: <a href="Memory.html">Memory Usage</a>, Previous: '
        '<a href="Intro.html">What is libffi?</a>, Up: <a href="index.html">Top</a> &nbsp; [<a href="Ix.html">Index'
        '</a>]</p></div><h2>Using libffi</h2><p>Call ffi_prep_cif first.</p><ul class="section-toc">'
        '<li><a href="Basics.html">The Basics</a></li><li><a href="Types.html">Types</a></li></ul>'
        "<h3>Table of Contents</h3><ul><li><a href='#a'>Overview</a></li><li><a href='#b'>Reference</a></li></ul>"
        "<h3>Contents of the box</h3><ul><li><a href='#c'>A cable</a></li><li><a href='#p'>A plug</a></li></ul>"
        "<p>It detects three kinds of error:</p><ul><li><a href='#m'>Misuses of the pthreads API.</a></li>"
        "<li><a href='#d'>Data races.</a></li></ul><p>The next page is <a href='n.html'>Types</a>.</p></body></html>"
    )
    doc = load_file(path)
    assert doc.text == (
        "Call ffi_prep_cif first.\n\nA cable\n\nA plug\n\nIt detects three kinds of error:\n\n"
        "Misuses of the pthreads API.\n\n"
        "Data races.\n\nThe next page is Types."
    )


def test_docx_heading_styles_open_sections(tmp_path: Path):
    path = tmp_path / "report.docx"
    write_docx(path, "Annual report", ["Revenue grew by a tenth."])
    doc = load_file(path)
    assert heading_of(doc, "Revenue grew") == "Annual report"


def test_docx_paragraphs_all_in_bold_are_headings_by_their_look(tmp_path: Path):
    import docx

    document = docx.Document()
    document.add_heading("Staff handbook", level=1)
    for text, bold in [
        ("Annual leave", True),
        ("Full-time staff receive 25 days of leave a year.", False),
        ("Can I carry over unused leave?", True),
        ("Yes, up to five days.", False),
        ("Sick leave", True),
        ("Call your manager before 9:30.", False),
        ("This whole sentence is bold.", True),
    ]:
        document.add_paragraph().add_run(text).bold = bold
    mixed = document.add_paragraph()
    mixed.add_run("Important").bold = True
    mixed.add_run(" bring a note")
    document.save(str(tmp_path / "handbook.docx"))
    doc = load_file(tmp_path / "handbook.docx")
    assert [(s.text, heading_at(doc.sections, s.start)) for s in chunk_document(doc)[0]] == BOLD_HANDBOOK


BOLD_HANDBOOK = [
    ("Full-time staff receive 25 days of leave a year.", "Staff handbook › Annual leave"),
    ("Yes, up to five days.", "Staff handbook › Annual leave › Can I carry over unused leave?"),
    ("Call your manager before 9:30.", "Staff handbook › Sick leave"),  # the question closed under it
    ("This whole sentence is bold.", "Staff handbook › Sick leave"),  # a sentence, not a heading
    ("Important bring a note", "Staff handbook › Sick leave"),  # bold only in part
]


def test_odt_paragraphs_all_in_bold_are_headings_by_their_look(tmp_path: Path):
    from docfactory import write_odt

    def style(name: str, family: str, weight: str = "", parent: str = "") -> str:
        props = f'<style:text-properties fo:font-weight="{weight}"/>' if weight else ""
        return f'<style:style style:name="{name}" style:family="{family}" style:parent-style-name="{parent}">{props}</style:style>'

    # bold four ways: an automatic paragraph style (LibreOffice's Ctrl+B on a whole paragraph), an automatic
    # text style on a span, a named paragraph style through its parent, a named text style ("Strong Emphasis")
    automatic = style("P1", "paragraph", "bold") + style("P2", "paragraph", parent="Handbook_20_Item") + style("T1", "text", "700")
    named = style("Handbook_20_Label", "paragraph", "bold") + style("Handbook_20_Item", "paragraph", parent="Handbook_20_Label")
    named += style("Strong_20_Emphasis", "text", "bold") + style("Plain", "text", "normal")
    write_odt(
        tmp_path / "handbook.odt",
        "Staff handbook",
        '<text:h text:outline-level="1">Staff handbook</text:h>'
        '<text:p text:style-name="P1">Annual leave</text:p>'
        "<text:p>Full-time staff receive 25 days of leave a year.</text:p>"
        '<text:p><text:span text:style-name="T1">Can I carry over unused leave?</text:span></text:p>'
        "<text:p>Yes, up to five days.</text:p>"
        '<text:p text:style-name="P2">Sick leave</text:p>'
        "<text:p>Call your manager before 9:30.</text:p>"
        '<text:p><text:span text:style-name="Strong_20_Emphasis">This whole sentence is bold.</text:span></text:p>'
        '<text:p text:style-name="P1">Important<text:span text:style-name="Plain"> bring a note</text:span></text:p>'
        '<text:list><text:list-item><text:p text:style-name="P1">Packed lunch</text:p></text:list-item></text:list>',
        automatic,
        named,
    )
    doc = load_file(tmp_path / "handbook.odt")
    got = [(s.text, heading_at(doc.sections, s.start)) for s in chunk_document(doc)[0]]
    assert got == [*BOLD_HANDBOOK, ("Packed lunch", "Staff handbook › Sick leave")]  # a bold list item stays one


def test_a_pdf_without_an_outline_takes_its_headings_from_the_lines_set_larger(tmp_path: Path):
    body = "The harbour office stands at the end of the east pier and opens daily."
    pages = [
        [("Harbour Guide", 24), body, body],
        [("1 Moorings", 16), "Visitors moor at the east pontoon.", body, ("1.1 Fees", 14), "A night costs 5 euros.", body],
        [("2 Showers", 16), "The showers open at 7 am.", body, body],
        [("Harbour Guide", 24), body],  # the title size again: then it is a heading, not only the title
    ]
    write_pdf(tmp_path / "guide.pdf", pages[:3])
    doc = load_file(tmp_path / "guide.pdf")
    assert doc.title == "Harbour Guide"
    assert heading_of(doc, "Visitors moor") == "1 Moorings" and heading_of(doc, "A night") == "1 Moorings › 1.1 Fees"
    assert heading_of(doc, "The showers") == "2 Showers"
    headings = {doc.text[start:end] for start, end in doc.headings}  # context, not sentences
    assert {"1 Moorings", "1.1 Fees", "2 Showers"} <= headings
    write_pdf(tmp_path / "again.pdf", pages)
    assert heading_of(load_file(tmp_path / "again.pdf"), "The showers") == "Harbour Guide › 2 Showers"
    # a poster: as many short lines in large type as body lines, so none is a heading; its title is set apart
    # and names it
    write_pdf(tmp_path / "poster.pdf", [[("Summer Regatta", 28), body, ("Saturday 3 June", 20), body]])
    poster = load_file(tmp_path / "poster.pdf")
    assert poster.sections == ((0, "Summer Regatta"),)
    # (its short line a unit of its own: it ends before the width the lines below reach)
    assert [s.text for s in chunk_document(poster)[0]] == [body, "Saturday 3 June", body]


def test_a_pdf_without_an_outline_takes_headings_from_short_bold_lines_at_the_body_size(tmp_path: Path):
    body = "The office keeps a record of every request and answers it within a week of receiving it."
    pages = [
        [("Staff Handbook", 20), ("Contents", 16), ("1 Leave 1", 12, True), ("2 Expenses 2", 12, True), body],
        [
            ("1 Leave", 16),
            ("Annual leave", 12, True),
            "Staff get 25 days of paid leave a year.",
            body,
            ("Can I carry unused days over", 12, True),
            ("into the next year?", 12, True),  # one bold question, wrapped
            "Up to five days carry over to the next year.",
            ("Always book leave in the planner.", 12, True),  # a bold sentence: emphasis, no heading
            "Managers approve requests in the planner.",
            body,
        ],
        [("2 Expenses", 16), "Receipts go to the finance team.", *[body] * 8],
    ]
    write_pdf(tmp_path / "handbook.pdf", pages)
    doc = load_file(tmp_path / "handbook.pdf")
    assert heading_of(doc, "Staff get 25 days") == "1 Leave › Annual leave"
    assert heading_of(doc, "Up to five days") == "1 Leave › Annual leave › Can I carry unused days over into the next year?"
    assert heading_of(doc, "Managers approve") == heading_of(doc, "Up to five days")
    assert heading_of(doc, "Receipts go") == "2 Expenses"  # the contents entries in bold head nothing
    assert "Always book leave in the planner." in [s.text for s in chunk_document(doc)[0]]
    # where bold is common (here every other line), it sets nothing apart
    write_pdf(tmp_path / "bold.pdf", [[(f"Note {i}", 12, True), body] for i in range(4)])
    assert load_file(tmp_path / "bold.pdf").sections == ()


def test_a_pdf_heading_wrapped_over_two_lines_is_one_title(tmp_path: Path):
    body = "The harbour office stands at the end of the east pier and opens daily."
    pages = [
        [("Harbour Guide", 24), body, body],
        [("3 Moorings for visiting boats and", 16), ("their crews", 16), "Visitors moor at the east pontoon.", body],
        [("4 Fees", 16), ("4.1 Daily rates", 14), "A night costs 5 euros.", body, body, body],
    ]
    write_pdf(tmp_path / "guide.pdf", pages)
    doc = load_file(tmp_path / "guide.pdf")
    assert heading_of(doc, "Visitors moor") == "3 Moorings for visiting boats and their crews"
    assert heading_of(doc, "A night costs") == "4 Fees › 4.1 Daily rates"  # numbered: two headings, not one


def test_a_readme_s_html_title_and_details_are_read_badges_and_comments_are_not(tmp_path: Path):
    (tmp_path / "README.md").write_text(
        '<p align="center">\n  <img src="logo.png" alt="Harbour logo">\n</p>\n\n<h1 align="center">Harbour</h1>\n\n'
        "[![Build](https://img.shields.io/badge/build-passing-green.svg)](https://ci)\n\n"
        "Harbour tracks tides for small ports.\n\n<details>\n<summary>Why the <em>name</em>?</summary>\n\n"
        "Because every port has one.\n\n</details>\n\nIt runs offline.\n\n"
        "<details><summary>Example config</summary>\n\n```toml\nport = 1\n```\n\n</details>\n\n"
        "## Install\n\nRun the installer.\n\n<!-- do not index this -->\n"
    )
    doc = load_file(tmp_path / "README.md")
    assert doc.title == "Harbour"
    assert doc.text == (
        "Harbour tracks tides for small ports.\n\nBecause every port has one.\n\nIt runs offline.\n\nRun the installer."
    )
    assert heading_of(doc, "Because") == "Harbour › Why the name?" and heading_of(doc, "It runs") == "Harbour"
    assert heading_of(doc, "Run the") == "Harbour › Install"


def test_plain_text_has_no_sections(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("Just a note.\n\nAnother paragraph.\n")
    doc = load_file(path)
    assert doc.sections == () and heading_of(doc, "Another") == ""


def test_the_encoder_and_the_lexical_index_see_the_heading(tmp_path: Path, fake_embedder):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "style.md").write_text(MARKDOWN)
    store, _, _ = build(corpus, tmp_path / "idx", fake_embedder)
    assert "Black docs › Line length: The default is 88 characters." in fake_embedder.seen
    snapshot = store.open()
    ids, _ = LexicalIndex(snapshot.lexical()).search("length", 10)
    found = set(snapshot.texts([int(i) for i in ids]))
    # "length" is only in the heading: the two sentences under "Line length" match it, the others do not;
    # the shown text stays the sentence's own
    assert found == {"The default is 88 characters.", "It produces shorter files."}


def test_with_context_keeps_the_innermost_part_of_a_long_path():
    path = " › ".join(f"Section {i} with a long name" for i in range(12))
    text = with_context(path, "Body.")
    assert text.endswith("Section 11 with a long name: Body.") and text.startswith("\u2026")
    assert len(text) < 200
    assert with_context("", "Body.") == "Body."


def test_pdf_page_furniture_stays_out_of_sentences(tmp_path: Path):
    path = tmp_path / "manual.pdf"
    pages = [
        ["Contents", "1 Introduction . . . . . . . . . 2", "2 Usage . . . . . . . . . . . 3", "1"],
        ["The lamp turns every two sec-", "onds and the beam reaches far", "2"],
        ["out to sea on a clear night.", "Keepers log every turn.", "3"],
        ["The log is kept for ten years.", "Keepers sign each page.", "4"],
    ]
    write_pdf(path, pages)
    doc = load_file(path)
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert "The lamp turns every two seconds and the beam reaches far out to sea on a clear night." in sentences
    assert not any(". . ." in s for s in sentences)  # contents lines are not prose
    assert not any(s.strip().isdigit() or s.rstrip().endswith((" 2", " 3")) for s in sentences)  # page numbers
    second = next(s for s in chunk_document(doc)[0] if s.text.startswith("The lamp"))
    assert second.page == 2 and len(doc.pages) == 4



def test_pdf_outline_gives_heading_paths(tmp_path: Path):
    path = tmp_path / "guide.pdf"
    pages = [
        ["Intro text for readers."],
        ["Usage starts with a command.", "Options", "The fast option skips checks.", "Options that take", "values"],
        ["A value follows its option."],
    ]
    outline = [("Introduction", 0, []), ("Usage", 1, [("Options", 1), ("Options that take values", 1)])]
    write_pdf(path, pages, outline=outline)
    doc = load_file(path)
    assert heading_of(doc, "Intro text") == "Introduction"
    assert heading_of(doc, "Usage starts") == "Usage"  # the child begins where its title is on the page
    assert heading_of(doc, "The fast option") == "Usage › Options"
    # a title that is a line of its page is the section's heading, not glued to its first sentence
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert "The fast option skips checks." in sentences and not any("Options" in s for s in sentences)
    # a long title wrapped over two lines is found too, and its section runs on into the next page
    assert heading_of(doc, "A value follows") == "Usage › Options that take values"


def test_headings_below_a_pdf_outline_are_known_by_their_size(tmp_path: Path):
    """A GNU manual's outline stops at its sections; a heading set larger below it ("Invoked with name sh") was
    glued to the sentence after it. Not taken: a larger line that repeats an outline title with its number or
    decorated, a divider ("Part II"), a one-word line."""
    body = ["Bash reads several files when it starts.", "Which ones depends on how it was invoked."] * 3
    pages = [
        [("6.2 Startup files", 17), *body, ("Invoked with name sh", 14), "If Bash is invoked as sh, it mimics sh.", *body],
        [("Part II", 17), ("Index", 14), "The shell keeps a history of commands.", *body],
        [("THREE STARTUP FILES", 17), ("Invoked in posix mode", 14), "In posix mode Bash follows the standard.", *body],
    ]
    outline = [("Startup files", 0, []), ("History", 1, [])]
    write_pdf(tmp_path / "bash.pdf", pages, outline=outline)
    doc = load_file(tmp_path / "bash.pdf")
    assert heading_of(doc, "If Bash is invoked as sh") == "Startup files › Invoked with name sh"
    assert heading_of(doc, "In posix mode Bash") == "History › Invoked in posix mode"
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert "If Bash is invoked as sh, it mimics sh." in sentences and not any("Invoked" in s for s in sentences)
    # the page's "6.2 Startup files" is the bookmark "Startup files" with its number: a heading, not prose
    assert heading_of(doc, "Bash reads several") == "Startup files" and not any("6.2" in s for s in sentences)
    assert {path for _, path in doc.sections} == {
        "Startup files", "Startup files › Invoked with name sh", "History", "History › Invoked in posix mode",
    }  # fmt: skip


def test_a_pdf_contents_list_without_dot_leaders_is_not_read_as_a_sentence(tmp_path: Path):
    pages = [
        ["Contents", "1 Moorings 2", "2 Showers and the washing", "machines 3", "Keep this guide aboard."],
        ["1 Moorings", "Visitors moor at the east pontoon."],
        ["2 Showers and the washing machines", "The showers open at 7 am."],
    ]
    outline = [("Contents", 0, []), ("1 Moorings", 1, []), ("2 Showers and the washing machines", 2, [])]
    write_pdf(tmp_path / "guide.pdf", pages, outline=outline)
    doc = load_file(tmp_path / "guide.pdf")
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert sentences == ["Keep this guide aboard.", "Visitors moor at the east pontoon.", "The showers open at 7 am."]
    assert heading_of(doc, "The showers") == "2 Showers and the washing machines"


def test_pdf_code_lines_are_left_out_of_the_prose(tmp_path: Path):
    path = tmp_path / "manual.pdf"
    lines = [
        "The test chooses its branch from the argument given.",
        "\\IfBlankTF {<arg>} {<true code>} {<false code>}",
        "It returns true when the argument holds only blanks, so",
        "the user input \\foo{a}[b] and \\foo{c} will match.",
    ]
    write_pdf(path, [lines])
    sentences = [s.text for s in chunk_document(load_file(path))[0]]
    assert sentences == [
        "The test chooses its branch from the argument given.",  # not glued to the code after it
        # a line of prose that names some code stays in its sentence
        "It returns true when the argument holds only blanks, so the user input \\foo{a}[b] and \\foo{c} will match.",
    ]
    assert code_line("x = f(a) + g(b)") and not code_line("\\IfBlankTF (described below) instead.")


def test_pdf_clean_up_rules():
    assert clean_page("com-\nmands and well-\nKnown") == "commands and well-\nKnown"  # only before lower case
    assert clean_page("2.1 Overview . . . . . . . 2\nBody text.") == "Body text."
    assert page_continues("it can", "range from") and not page_continues("It ends.", "and then")
    assert not page_continues("No lower case", "Next page")
    # a bare number is a page number only as a page's first or last line
    words = ["apple", "birch", "cedar", "daisy"]
    pages = [
        f"The {w} opens this page.\nIts height in feet\n42\nThe {w} closes it.\n{i + 1}" for i, w in enumerate(words)
    ]
    cleaned = without_running_lines(pages)
    assert all("\n42\n" in page for page in cleaned) and not any(
        page.endswith(str(i + 1)) for i, page in enumerate(cleaned)
    )
    # a longer footer is recognised by its text with only the page number it ends with masked
    pages = [f"The {w} opens this page.\nThe {w} grows.\nFielding, et al. Standards Track [Page {i + 1}]" for i, w in enumerate(words)]
    assert not any("Standards Track" in page for page in without_running_lines(pages))
    # "page of pages" after a title of seven words, and the front matter's roman numbers under the same title
    numbers = ["iii", "iv", "1 / 57", "2 / 57", "3 / 57"]
    pages = [f"Debian New Maintainers' Guide {n}\nThe {w} opens this page.\nThe {w} grows." for n, w in zip(numbers, [*words, "elm"])]
    assert not any("Guide" in page for page in without_running_lines(pages))
    pages = [f"The {w} opens this page.\nThe {w} grows.\nThe tree is {i + 1} meters tall in year {i} of the study" for i, w in enumerate(words)]
    assert without_running_lines(pages) == pages  # other numbers in a long line are not masked


def test_a_running_header_that_names_its_chapter_is_known_by_its_page_number():
    """A texinfo manual (GNU Libtasn1's PDF in Debian): each page's header names its chapter ("Chapter 4:
    Function reference 12"), so no header recurs on more than half of the pages, and a chapter's first page
    has its number alone ("1"): both were glued to the page's first sentence. A page's first or last line
    that ends in the page's printed number (counting up with the pages) is left out."""
    pages = [
        "Lighthouse keeping\nA manual for keepers\nThe second edition",
        "1\n1 The lamp\nThe lamp burns oil.\nIt is lit at dusk.",
        "Chapter 1: The lamp 2\nThe wick is trimmed daily.\nThe tower is 42\nThe glass is cleaned.",
        "3\n2 The lens\nThe lens came from Paris.\nIt weighs two tons.",
        "Chapter 2: The lens 4\nThe lens turns on mercury.\nIt turns every 10 seconds.",
        "Chapter 2: The lens 5\nThe lens is covered by day.\nIts brass is polished.",
    ]
    cleaned = without_running_lines(pages)
    assert cleaned[0] == pages[0] and "The tower is 42" in cleaned[2]  # no number in its place, or mid-page
    assert not any("Chapter" in page for page in cleaned)
    assert [page.splitlines()[0] for page in cleaned[1:4]] == ["1 The lamp", "The wick is trimmed daily.", "2 The lens"]
    # numbers at the pages' edges that do not count up with them are content (a log's last entries)
    log = [
        f"The {w} log opens.\nThe keeper wrote of the {w} wind.\nOn day {d} the {w} wind reached force {n}"
        for d, w, n in zip("ABCDE", ("north", "south", "east", "west", "sea"), (4, 7, 3, 3, 9))
    ]
    assert without_running_lines(log) == log


def test_a_pdf_title_dropped_with_its_running_headers_heads_the_first_page_not_a_sentence(tmp_path: Path):
    """A DocBook specification (shared-mime-info's, in Debian) repeats its title as every page's running
    header, so the title line of its first page goes with them; the title, added back as the outline's first
    entry, was placed where its words stood inside a sentence ("This is version 0.21 of the Shared MIME-info
    Database specification"), and the sections after it on that page were read under the title instead of
    under their chapter."""
    path = tmp_path / "spec.pdf"
    header = ("Harbour Tides Guide", 9)
    pages = [
        [("Harbour Tides Guide", 20), "Ann Lee", "1. Introduction", "1.1. Version", "This is the Harbour Tides Guide for 2026.",
         "1.2. Scope", "It covers small ports."],
        [header, "2. Tides", "Tides come twice a day.", "Spring tides are the highest."],
        [header, "3. Charts", "Charts show the depth.", "They are updated each year."],
    ]
    write_pdf(path, pages, outline=[("1. Introduction", 0, [("1.1. Version", 0), ("1.2. Scope", 0)]), ("2. Tides", 1, []), ("3. Charts", 2, [])])
    doc = load_file(path)
    assert "Harbour Tides Guide for 2026" in doc.text and doc.text.count("Harbour Tides Guide") == 1  # the headers went
    assert heading_of(doc, "Ann Lee") == "Harbour Tides Guide"
    assert heading_of(doc, "This is the") == "1. Introduction › 1.1. Version"
    assert heading_of(doc, "It covers small ports.") == "1. Introduction › 1.2. Scope"


def test_table_rows_are_units_read_with_their_column_names(tmp_path: Path):
    (tmp_path / "options.md").write_text(
        "# Options\n\n| Option | Default |\n|---|---|\n| `--line-length` | 88 |\n| `--fast` | off |\n"
    )
    md = load_file(tmp_path / "options.md")
    assert md.text == "Option: --line-length; Default: 88\n\nOption: --fast; Default: off"
    assert heading_of(md, "Option: --fast") == "Options"

    (tmp_path / "t.html").write_text(
        "<html><body><table><tr><th>Port</th><th>Service</th></tr><tr><td>22</td><td>ssh</td></tr></table>"
        "<table><tr><td>x</td><td>" + "A long layout cell. " * 20 + "</td></tr></table></body></html>"
    )
    html = load_file(tmp_path / "t.html")
    assert "Port: 22; Service: ssh" in html.text
    assert "x\n\nA long layout cell." in html.text  # a layout table is read cell by cell

    (tmp_path / "t.rst").write_text(
        "+--------+---------+\n| Option | Default |\n+========+=========+\n| --fast | off     |\n+--------+---------+\n"
    )
    assert load_file(tmp_path / "t.rst").text == "Option: --fast; Default: off"

    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Plan", "Price"), ("Basic", "5 EUR"), ("Pro", "9 EUR")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    document.save(str(tmp_path / "prices.docx"))
    assert load_file(tmp_path / "prices.docx").text == "Plan: Basic; Price: 5 EUR\n\nPlan: Pro; Price: 9 EUR"


FIELDS = [("Owner", "Ann Lee"), ("Budget", "40,000 EUR"), ("Status", "approved")]
AS_PAIRS = "Owner: Ann Lee\n\nBudget: 40,000 EUR\n\nStatus: approved"


def test_a_table_of_labels_and_values_reads_each_row_as_a_pair(tmp_path: Path):
    """A form's or a brief's two-column table has no column names: read with its first row as names it gave
    "Owner: Budget; Ann Lee: 40,000 EUR" and lost "Owner: Ann Lee"."""
    import docx
    from docfactory import write_odt
    from docx.oxml import OxmlElement

    def word_table(name: str, rows: list[tuple[str, str]], named: bool = False, bold: str = "") -> str:
        document = docx.Document()
        table = document.add_table(rows=len(rows), cols=2)
        for r, (a, b) in enumerate(rows):
            for c, text in enumerate((a, b)):
                run = table.cell(r, c).paragraphs[0].add_run(text)
                run.bold = (bold == "first row" and r == 0) or (bold == "first column" and c == 0)
        if named:  # Word's "Repeat as header row"
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        document.save(str(tmp_path / name))
        return load_file(tmp_path / name).text

    assert word_table("brief.docx", FIELDS) == AS_PAIRS
    merged = docx.Document()  # a title row merged over both columns, atop the pairs
    table = merged.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Project Falcon"
    for r, (a, b) in enumerate(FIELDS[:2], 1):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    merged.save(str(tmp_path / "merged.docx"))
    assert load_file(tmp_path / "merged.docx").text == "Project Falcon\n\nOwner: Ann Lee\n\nBudget: 40,000 EUR"
    labelled = [("Owner:", "Ann Lee"), ("Due:", "Friday"), ("Notes:", "")]  # a label left blank, as forms have
    assert word_table("labels.docx", labelled) == "Owner: Ann Lee\n\nDue: Friday\n\nNotes:"
    team = [("Name", "Role"), ("Ann Lee", "PM"), ("Bob Stone", "backend")]
    assert word_table("team.docx", team) == "Name: Role\n\nAnn Lee: PM\n\nBob Stone: backend"  # no markup says
    with_names = "Name: Ann Lee; Role: PM\n\nName: Bob Stone; Role: backend"
    assert word_table("named.docx", team, named=True) == with_names
    assert word_table("bold.docx", team, bold="first row") == with_names  # names in bold over plain rows
    assert word_table("keys.docx", FIELDS, bold="first column") == AS_PAIRS  # bold labels: still pairs
    steps = [("Step", "What to do"), ("Unplug", "Wait ten seconds."), ("Unplug", "Plug it back in.")]
    assert word_table("steps.docx", steps).startswith("Step: Unplug; What to do: Wait")  # labels repeat: no pairs

    rows = "".join(f"<tr><th>{a}</th><td>{b}</td></tr>" for a, b in FIELDS)
    caption = '<tr><td colspan="2">Project Falcon</td></tr>'
    (tmp_path / "brief.html").write_text(f"<html><body><table>{caption}{rows}</table></body></html>")
    assert load_file(tmp_path / "brief.html").text == "Project Falcon\n\n" + AS_PAIRS

    def cells(row: tuple[str, str]) -> str:
        return "<table:table-row>" + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in row) + "</table:table-row>"

    write_odt(tmp_path / "brief.odt", "Brief", "<table:table>" + "".join(map(cells, FIELDS)) + "</table:table>")
    assert load_file(tmp_path / "brief.odt").text == AS_PAIRS
    named = f"<table:table-header-rows>{cells(team[0])}</table:table-header-rows>" + "".join(map(cells, team[1:]))
    write_odt(tmp_path / "team.odt", "Team", f"<table:table>{named}</table:table>")
    assert load_file(tmp_path / "team.odt").text == with_names  # as Word's table marked the same way


def test_a_word_table_of_terms_beside_long_texts_reads_each_term_before_its_text(tmp_path: Path):
    """A policy's table sets each heading beside its text ("Scope" beside what the policy covers, two
    sentences or more): read cell by cell, "Scope" was a unit of its own and its text said of nothing. The
    term stands before its text, as a definition list's does, the text split where its sentences end."""
    import docx

    scope = "This policy applies to all staff who travel on company business. " * 4
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for row, (term, text) in zip(table.rows, [("Scope", scope.strip()), ("Meals", "Refunded up to 40 EUR a day.")]):
        row.cells[0].text, row.cells[1].text = term, text
    document.save(str(tmp_path / "policy.docx"))
    doc = load_file(tmp_path / "policy.docx")
    units = [s.text for s in chunk_document(doc)[0]]
    assert units[0] == "Scope: This policy applies to all staff who travel on company business."
    assert units[-1] == "Meals: Refunded up to 40 EUR a day."
    assert "Scope" not in units and len(units) == 5


def test_a_word_table_is_read_where_it_stands_under_its_heading(tmp_path: Path):
    import docx

    document = docx.Document()
    document.add_heading("Moorings", level=1)
    document.add_paragraph("Visitors moor at the east pontoon.")
    document.add_heading("Fees", level=2)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("Boat", "Night", "Week"), ("Dinghy", "5 EUR", "30 EUR"), ("Yacht", "", "")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    merged = table.cell(2, 1).merge(table.cell(2, 2))
    merged.text = "ask the harbour master"
    document.add_heading("Showers", level=1)
    document.add_paragraph("The showers open at 7 am.")
    document.save(str(tmp_path / "harbour.docx"))
    doc = load_file(tmp_path / "harbour.docx")
    assert doc.text == (
        "Visitors moor at the east pontoon.\n\nBoat: Dinghy; Night: 5 EUR; Week: 30 EUR\n\n"
        "Boat: Yacht; Night: ask the harbour master; Week: ask the harbour master\n\nThe showers open at 7 am."
    )
    assert heading_of(doc, "Boat: Dinghy") == "Moorings › Fees" and heading_of(doc, "Yacht") == "Moorings › Fees"
    assert heading_of(doc, "The showers") == "Showers"


def test_word_content_controls_are_read_but_not_a_table_of_contents(tmp_path: Path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("Contents line that repeats a heading")
    document.add_paragraph("The harbour opens at dawn.")
    document.add_paragraph("Visitors pay at the office.")
    body = document.element.body
    toc, field, _ = [p for p in body.iterchildren() if p.tag.endswith("}p")]

    def wrap(paragraph, properties: str) -> None:
        control = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr>{properties}</w:sdtPr><w:sdtContent/></w:sdt>")
        paragraph.addprevious(control)
        control[1].append(paragraph)  # moved inside the control

    wrap(toc, '<w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj>')
    wrap(field, "<w:alias w:val=\"Opening\"/>")
    document.save(str(tmp_path / "controls.docx"))
    assert load_file(tmp_path / "controls.docx").text == "The harbour opens at dawn.\n\nVisitors pay at the office."


def test_list_items_are_units(tmp_path: Path):
    (tmp_path / "l.md").write_text("Black is:\n\n- a formatter without options\n- fast when compiled\n")
    (tmp_path / "l.html").write_text(
        "<html><body><ul><li>a formatter without options</li><li>fast when compiled</li></ul></body></html>"
    )
    (tmp_path / "l.rst").write_text("Black is:\n\n* a formatter without options\n* fast when compiled\n")
    for name in ("l.md", "l.html", "l.rst"):
        sentences = [s.text for s in chunk_document(load_file(tmp_path / name))[0]]
        assert "a formatter without options" in sentences and "fast when compiled" in sentences, name


def test_an_answer_cites_the_heading_path_of_its_sentence(tmp_path: Path, fake_embedder):
    from conftest import service

    from qa.interfaces.render import where

    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "style.md").write_text(MARKDOWN)
    (corpus / "plain.txt").write_text("Plain text has no headings at all.\n")
    engine = service(corpus, tmp_path / "idx", fake_embedder)
    top = engine.ask("What is the default line length in characters?").sentences[0].sentence
    assert top.text == "The default is 88 characters." and top.heading == "Black docs › Line length"
    row = engine.ask("What is the default line length in characters?").to_json()["sentences"][0]
    assert row["heading"] == "Black docs › Line length"
    assert where(top).endswith("(line 3) · Black docs › Line length")
    # a PDF's text holds a paragraph a line: its page is where to look, not a line of that text
    assert where(replace(top, page=16, line=8625)).endswith("(page 16) · Black docs › Line length")
    plain = engine.ask("Does plain text have headings?").to_json()["sentences"][0]
    assert plain["text"].startswith("Plain text") and "heading" not in plain  # only formats with headings


def test_a_source_line_shows_the_innermost_part_of_a_long_heading_path():
    from qa.interfaces.render import HEADING_SHOWN, shown_heading

    assert shown_heading("Black docs › Line length") == "Black docs › Line length"
    zlib = 'Frequently Asked Questions about zlib › Why am I getting this "register_frame_info not found" error on Solaris?'
    assert shown_heading(zlib) == '…Why am I getting this "register_frame_info not found" error on Solaris?'
    java = (
        "3. Valgrind aborts unexpectedly › I tried running a Java program (or another program that uses a "
        "just-in-time compiler) under Valgrind but something went wrong. Does Valgrind handle such programs?"
    )
    shown = shown_heading(java)  # a long FAQ question alone: its start and the question it ends with
    assert len(shown) <= HEADING_SHOWN and shown.startswith("I tried running a Java program")
    assert shown.endswith("Does Valgrind handle such programs?") and "…" in shown


FIXTURES = Path(__file__).parent / "fixtures" / "real"

EBOOK = """The Project Gutenberg eBook of Essays

Title: Collected Essays

*** START OF THE PROJECT GUTENBERG EBOOK COLLECTED ESSAYS ***

COLLECTED ESSAYS

CHAPTER I.

Of Gardens

For the Weekly Journal.

GOD Almighty first planted a garden. And indeed it is the purest of human pleasures.

CHAPTER II.

Of Building

Houses are built to live in, and not to look on.

1. Install the package

Section 2 describes the options.

*** END OF THE PROJECT GUTENBERG EBOOK COLLECTED ESSAYS ***

Section 1.A. By reading or using any part of this Project Gutenberg electronic work, you indicate that you accept.
"""


def test_a_plain_text_ebook_is_read_without_its_licence_and_knows_its_chapters(tmp_path: Path):
    path = tmp_path / "essays.txt"
    path.write_text(EBOOK)
    doc = load_file(path)
    assert doc.title == "Collected Essays"
    assert "Project Gutenberg electronic work" not in doc.text  # the licence after the END line
    assert doc.text.index("\n\nCOLLECTED ESSAYS\n") >= doc.body_start  # the header before START is not read
    assert doc.body_start > doc.text.index("Title:")
    assert heading_of(doc, "GOD Almighty") == "COLLECTED ESSAYS › CHAPTER I. – Of Gardens"
    assert heading_of(doc, "Houses are built") == "COLLECTED ESSAYS › CHAPTER II. – Of Building"
    # a list item and a sentence that opens with a division word are text, not headings
    assert heading_of(doc, "Section 2 describes") == heading_of(doc, "Houses are built")
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert "God Almighty" not in sentences and not any(s.startswith(("CHAPTER", "Of Gardens")) for s in sentences)
    assert "For the Weekly Journal." in sentences
    assert "Install the package" in sentences
    assert "Section 2 describes the options." in sentences


def test_an_older_ebook_is_read_between_its_small_print_and_its_end_line(tmp_path: Path):
    """Older Project Gutenberg e-texts end their licence with "*END*THE SMALL PRINT! ..." instead of a START
    line, and many e-books close with "End of the Project Gutenberg EBook of ..." before (or instead of) the
    END line: the licence was read as the book, and the closing line as its last sentence."""
    path = tmp_path / "old.txt"
    path.write_text(
        "The Project Gutenberg Etext of Essays\n\nThe Legal Small Print: you may copy this etext.\n\n"
        "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\n"
        "GOD Almighty first planted a garden.\n\nEnd of Project Gutenberg's Essays, by Francis Bacon\n"
    )
    assert [s.text for s in chunk_document(load_file(path))[0]] == ["GOD Almighty first planted a garden."]
    modern = tmp_path / "essays.txt"
    modern.write_text(EBOOK.replace("*** END OF", "End of the Project Gutenberg EBook of Essays\n\n*** END OF"))
    assert "End of the Project Gutenberg" not in load_file(modern).text


def test_an_ebook_s_web_page_is_read_without_its_terms_and_licence(tmp_path: Path):
    """Project Gutenberg's web pages hold the book between the same START and END lines as its plain texts,
    in <div>s of their own: the terms of use and the catalogue's fields before, the licence after (thousands
    of words on copies, refunds, donations and taxes, which a question about an essay on taxes and the state
    would match). Both are left out, the markers too, and the title is the catalogue's; an older page's header
    and licence in a <pre> likewise. A page that only speaks of Project Gutenberg is read whole."""
    licence = " ".join(["Contributions to the Foundation are tax deductible to the full extent permitted by law."] * 12)
    modern = (
        "<html><head><title>The Project Gutenberg eBook of Essays, by F. Bacon</title></head><body>"
        "<section class='pg-boilerplate pgheader' id='pg-header'><h2>The Project Gutenberg eBook of Essays</h2>"
        "<div>This ebook is for the use of anyone anywhere at no cost. You may copy it or give it away.</div>"
        "<div id='pg-machine-header'><p><strong>Title</strong>: Collected Essays</p><p><strong>Author</strong>: F. Bacon</p></div>"
        "<div id='pg-start-separator'><span>*** START OF THE PROJECT GUTENBERG EBOOK COLLECTED ESSAYS ***</span></div>"
        "</section><h1>Of Gardens</h1><p>GOD Almighty first planted a garden.</p><p>Taxes are not discussed here.</p>"
        "<section class='pg-boilerplate pgfooter' id='pg-footer'>"
        "<div id='pg-end-separator'><span>*** END OF THE PROJECT GUTENBERG EBOOK COLLECTED ESSAYS ***</span></div>"
        f"<h2>THE FULL PROJECT GUTENBERG LICENSE</h2><p>{licence}</p></section></body></html>"
    )
    older = (
        "<html><head><title>Essays</title></head><body><pre>\nThe Project Gutenberg EBook of Essays\n\n"
        "This eBook is for the use of anyone anywhere at no cost.\n\nTitle: Collected Essays\n\n"
        "*** START OF THIS PROJECT GUTENBERG EBOOK COLLECTED ESSAYS ***\n</pre>"
        "<h1>Of Gardens</h1><p>GOD Almighty first planted a garden.</p><p>Taxes are not discussed here.</p>"
        "<p>End of the Project Gutenberg EBook of Essays</p>"
        f"<pre>*** END OF THIS PROJECT GUTENBERG EBOOK COLLECTED ESSAYS ***\n\n{licence}</pre>"
        f"<p>{licence}</p></body></html>"
    )
    for name, page in (("modern.html", modern), ("older.html", older)):
        (tmp_path / name).write_text(page)
        doc = load_file(tmp_path / name)
        assert doc.title == "Collected Essays", name
        assert [s.text for s in chunk_document(doc)[0]] == [
            "GOD Almighty first planted a garden.",
            "Taxes are not discussed here.",
        ], name
        assert heading_of(doc, "GOD Almighty") == "Of Gardens", name
    (tmp_path / "about.html").write_text(
        "<html><head><title>About</title></head><body><h1>About</h1><p>Project Gutenberg offers free e-books.</p>"
        f"<p>{licence}</p></body></html>"
    )
    about = load_file(tmp_path / "about.html")
    assert about.title == "About" and "Project Gutenberg offers free e-books." in about.text and licence in about.text


def test_plain_text_headings_of_a_real_licence(tmp_path: Path):
    doc = load_file(FIXTURES / "GPL-3")
    assert doc.title == "GNU GENERAL PUBLIC LICENSE"  # its first line, centred: the root of every path
    assert heading_of(doc, "The \"source code\" for a work means") == (
        "GNU GENERAL PUBLIC LICENSE › TERMS AND CONDITIONS › 1. Source Code."
    )
    assert heading_of(doc, "THERE IS NO WARRANTY FOR THE PROGRAM") == (
        "GNU GENERAL PUBLIC LICENSE › TERMS AND CONDITIONS › 15. Disclaimer of Warranty."
    )
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert "1. Source Code." not in sentences and "TERMS AND CONDITIONS" not in sentences
    assert any(s.startswith("You may convey verbatim copies") for s in sentences)


HANDBOOK = """ACME Employee Handbook
Version 3.2, March 2024

1. LEAVE

1.1 Annual leave

Full-time employees receive 25 days of annual leave a year.

1.2 Sick leave

Tell your manager before 9:30 on the first day.

Q: Can I carry over unused leave?
A: Yes, up to 5 days.

Question 2) Who approves parental leave?
HR does, after your manager signs the form.

How do I book leave?
Use the HR portal.

1. Open the form
"""


def test_plain_text_title_numbered_sections_and_questions_head_what_follows(tmp_path: Path):
    path = tmp_path / "handbook.txt"
    path.write_text(HANDBOOK)
    doc = load_file(path)
    assert doc.title == "ACME Employee Handbook"
    leave = "ACME Employee Handbook › 1. LEAVE"
    assert heading_of(doc, "Version 3.2") == "ACME Employee Handbook"
    assert heading_of(doc, "Full-time employees") == f"{leave} › 1.1 Annual leave"  # sentence case under "1.1"
    assert heading_of(doc, "A: Yes") == f"{leave} › 1.2 Sick leave › Can I carry over unused leave?"
    assert heading_of(doc, "HR does") == f"{leave} › 1.2 Sick leave › Who approves parental leave?"
    assert heading_of(doc, "Use the HR") == f"{leave} › 1.2 Sick leave › How do I book leave?"  # unlabelled
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert "1.1 Annual leave" not in sentences and not any(s.startswith(("Can I", "How do I")) for s in sentences)
    assert "Yes, up to 5 days." in sentences  # under its question, without its "A: " label
    assert "Open the form" in sentences  # a list's step in sentence case is no heading (its marker is dropped)
    plain = tmp_path / "plain.txt"
    plain.write_text("Dear Ann, thank you for the parcel.\n\nIt came on Monday.\n")
    assert load_file(plain).title == "plain"  # no title line: the file's name


PLAIN_FAQ = """Frequently Asked Questions

Why does the tool warn about a bogus '-'?

    The standards read the command another way. The warning breaks a habit.

2.1. With the leak detector, what is the difference between
     "definitely lost" and "still reachable"?

"Definitely lost" means a leak. Fix it.

2.2. How do you pronounce "Valgrind"?
The "Val" as in the word "value".

2.3. Programs run fine, but at exit they print errors.

Run them with --run-libc-freeres=no instead.
------------------------------------------------------------------------

Q.  What do the letters XZ mean?

A.  Nothing. They come from the file suffix.

Should we move the server?

When do we launch?
"""


def test_a_plain_text_faq_s_questions_head_their_answers(tmp_path: Path):
    got = [(text, heading.split(" \u203a ")[-1]) for text, heading in under_headings(tmp_path / "FAQ", PLAIN_FAQ)]
    leak = 'With the leak detector, what is the difference between "definitely lost" and "still reachable"?'
    xz = "What do the letters XZ mean?"
    assert got == [
        ("The standards read the command another way.", "Why does the tool warn about a bogus '-'?"),  # alone on its line
        ("The warning breaks a habit.", "Why does the tool warn about a bogus '-'?"),
        ('"Definitely lost" means a leak.', leak),  # numbered and wrapped over two lines
        ("Fix it.", leak),
        ('The "Val" as in the word "value".', 'How do you pronounce "Valgrind"?'),  # numbered, atop its answer
        # an entry of a FAQ that numbers its questions heads its answer though it asks nothing; the sentence over
        # a rule across the page is no heading
        ("Run them with --run-libc-freeres=no instead.", "Programs run fine, but at exit they print errors."),
        ("Nothing. They come from the file suffix.", xz),  # "Q." in a block of its own; "A." is no sentence
        ("Should we move the server?", xz),  # questions that nothing answers stay sentences
        ("When do we launch?", xz),
    ]
    notes = tmp_path / "notes.txt"
    notes.write_text("Release notes\n\n3.1. Programs run fine. They stop.\n")
    # outside a FAQ a numbered line is text, its number kept with its first sentence
    sentences = [s.text for s in chunk_document(load_file(notes))[0]]
    assert sentences[-2:] == ["3.1. Programs run fine.", "They stop."]


def test_a_faq_written_as_paragraphs_has_its_questions_head_their_answers(tmp_path: Path):
    """A web page's FAQ in plain paragraphs or divs (no headings, no bold), and one in Markdown: each question
    alone in its paragraph heads its answer once the page holds two such pairs; a letter's one question is
    a sentence."""
    page = (
        '<html><body><h1>FAQ</h1><div class="faq-question">How do I reset my password?</div>'
        '<div class="faq-answer"><p>Open Settings and choose Reset.</p></div>'
        "<p>Q: Can I export my data?</p><p>Yes, as a ZIP file.</p></body></html>"
    )
    assert under_headings(tmp_path / "faq.html", page) == [
        ("Open Settings and choose Reset.", "FAQ \u203a How do I reset my password?"),
        ("Yes, as a ZIP file.", "FAQ \u203a Can I export my data?"),
    ]
    notes = "# Help\n\nWhy is my file not formatted?\n\nIt is excluded.\n\nWhat does --check do?\n\nIt reports, no more.\n"
    assert under_headings(tmp_path / "help.md", notes) == [
        ("It is excluded.", "Help \u203a Why is my file not formatted?"),
        ("It reports, no more.", "Help \u203a What does --check do?"),
    ]
    letter = "<html><body><p>Dear Ann,</p><p>Can you send me the report?</p><p>Thanks, Bob</p></body></html>"
    assert [text for text, _ in under_headings(tmp_path / "letter.html", letter)] == [
        "Dear Ann,",
        "Can you send me the report?",
        "Thanks, Bob",
    ]


def test_an_accordion_s_question_buttons_head_their_answers(tmp_path: Path):
    """A web FAQ's accordion puts each question in a button (in a heading, or alone before its panel): its
    text heads the answer, where buttons (controls) were left out with the question; other buttons stay out."""
    page = (
        '<html><body><h1>FAQ</h1><h2 class="accordion-header"><button class="accordion-button">How do I reset my '
        'password?</button></h2><div class="accordion-body">Open Settings and choose Reset.</div>'
        '<h2>Shipping</h2><button class="faq-toggle">Do you ship abroad?</button><div class="faq-panel"><p>We ship to 30 countries.'
        "</p></div><button>Subscribe</button></body></html>"
    )
    assert under_headings(tmp_path / "faq.html", page) == [
        ("Open Settings and choose Reset.", "FAQ \u203a How do I reset my password?"),
        ("We ship to 30 countries.", "FAQ \u203a Shipping \u203a Do you ship abroad?"),
    ]


DOCBOOK_FAQ = """<html><body><div class="qandaset">
<dl><dt>1. <a href="faq.html#bg">Background</a></dt>
<dd>1.1. <a href="faq.html#say">How do you pronounce "Valgrind"?</a></dd></dl>
<table summary="Q and A Div">
<tr class="qandadiv"><td colspan="2"><h3 class="title">1. Background</h3></td></tr>
<tr class="toc"><td colspan="2">1.1. <a href="faq.html#say">How do you pronounce "Valgrind"?</a></td></tr>
<tr class="question"><td><b>1.1.</b></td><td><b>How do you pronounce "Valgrind"?</b></td></tr>
<tr class="answer"><td></td><td><p>The "Val" as in the word "value".</p></td></tr>
<tr class="question"><td><b>1.2.</b></td><td><b>Where does the name come from?</b></td></tr>
<tr class="answer"><td></td><td><p>From Nordic mythology.</p></td></tr>
</table></div></body></html>"""


def test_a_docbook_faq_s_questions_head_their_answers_and_its_question_lists_are_left_out(tmp_path: Path):
    assert under_headings(tmp_path / "faq.html", DOCBOOK_FAQ) == [
        ('The "Val" as in the word "value".', '1. Background › How do you pronounce "Valgrind"?'),
        ("From Nordic mythology.", "1. Background › Where does the name come from?"),
    ]


MEETING = """Project Falcon - kickoff meeting notes

Date: 2024-05-02
Owner: Ann Lee
Budget: 40,000 EUR

Attendees:
- Ann Lee (PM)
- Bob Stone (backend)

The library is
- fast
- small

Action items
1) Bob sets up the staging server by Friday

Carla sends mock-ups after the review.
"""


def test_plain_text_notes_fields_and_list_labels(tmp_path: Path):
    path = tmp_path / "falcon.txt"
    path.write_text(MEETING)
    doc = load_file(path)
    assert doc.title == "Project Falcon - kickoff meeting notes"  # sentence case, three words or more
    got = [(s.text, heading_at(doc.sections, s.start).removeprefix(doc.title)) for s in chunk_document(doc)[0]]
    assert got == [
        ("Date: 2024-05-02", ""),  # each field a unit, not one run-on sentence
        ("Owner: Ann Lee", ""),
        ("Budget: 40,000 EUR", ""),
        ("Ann Lee (PM)", " › Attendees"),  # a label heads the list right under it
        ("Bob Stone (backend)", " › Attendees"),
        ("The library is", ""),  # a clause running into its list is no label
        ("fast", ""),
        ("small", ""),
        ("Bob sets up the staging server by Friday", " › Action items"),
        ("Carla sends mock-ups after the review.", ""),  # the label heads its list only
    ]
    hello = tmp_path / "hello.txt"
    hello.write_text("Hi all\n\nThe party is on Friday.\n")
    assert load_file(hello).title == "hello"  # two words in sentence case: no title


RELEASE_NOTES = """Release 2.4

Changes by Ann Lee (4):
    Read the settings file only once
    Fix a crash when the cache folder is missing
    Bump the version to 2.4
    Update the manual for the new flags

Requirements:
Python 3.10 or later
PostgreSQL 14

The release was built on the new machines and
Tested on three of them before it went out, as
Described in the manual, and it took a week.
"""


def test_plain_text_lists_without_markers_are_read_item_by_item(tmp_path: Path):
    path = tmp_path / "NEWS"
    path.write_text(RELEASE_NOTES)
    doc = load_file(path)
    got = [(s.text, heading_at(doc.sections, s.start).removeprefix(doc.title)) for s in chunk_document(doc)[0]]
    assert doc.title == "NEWS"  # "Release 2.4" atop the notes heads that release's part, not the whole file
    assert got == [
        ("Read the settings file only once", "Release 2.4 › Changes by Ann Lee (4)"),  # one unit per line,
        ("Fix a crash when the cache folder is missing", "Release 2.4 › Changes by Ann Lee (4)"),  # not one
        ("Bump the version to 2.4", "Release 2.4 › Changes by Ann Lee (4)"),  # run-on "sentence"
        ("Update the manual for the new flags", "Release 2.4 › Changes by Ann Lee (4)"),
        ("Python 3.10 or later", "Release 2.4 › Requirements"),  # two items under a label
        ("PostgreSQL 14", "Release 2.4 › Requirements"),
        # wrapped prose, though each line opens with a capital: its lines are full and run on ("and", ",")
        ("The release was built on the new machines and\nTested on three of them before it went out, as\n"
         "Described in the manual, and it took a week.", "Release 2.4"),
    ]
    markdown = tmp_path / "NEWS.md"  # the same notes named .md: a paragraph's lines, not bullets
    markdown.write_text(RELEASE_NOTES)
    read = [s.text for s in chunk_document(load_file(markdown))[0]]
    items = [text for text, _ in got]
    assert read == ["Release 2.4", "Changes by Ann Lee (4):", *items[:4], "Requirements:", *items[4:6], items[6].replace("\n", " ")]


SHORTLOG = """Version v3.1.2; changes since v3.1.1:
-------------------------------------

Ann Lee (3):
      config: read the settings file only once
      cache_dir(): create the folder when it is missing
      Bump the version to 3.1.2

Bob Stone (2):
      make the manual build without network access
      docs: explain the new flags


Version v3.1.1; changes since v3.1.0:
---------------------------------------

Ann Lee (1):
      tests: stop relying on the system locale
"""


def test_a_git_shortlog_is_read_commit_by_commit_under_its_version(tmp_path: Path):
    """git's own changelog (`git shortlog` per version, /usr/share/doc/git/changelog.gz): the commits' subjects
    open with the part of the code they change, in lower case ("config: read ..."), so each author's block
    was one run-on "sentence" of up to 2,290 characters that matched every question about git; and the
    version over it, underlined but ending in a colon, was read as a sentence (the first one as the file's
    title). An author's line "Ann Lee (3):" over three lines counts them: each is a commit, whatever it opens
    with."""
    path = tmp_path / "changelog"
    path.write_text(SHORTLOG)
    doc = load_file(path)
    assert doc.title == "changelog"
    got = [(s.text, heading_at(doc.sections, s.start).removeprefix(doc.title)) for s in chunk_document(doc)[0]]
    first, second = "Version v3.1.2; changes since v3.1.1", "Version v3.1.1; changes since v3.1.0"
    assert got == [
        ("config: read the settings file only once", f"{first} › Ann Lee (3)"),
        ("cache_dir(): create the folder when it is missing", f"{first} › Ann Lee (3)"),
        ("Bump the version to 3.1.2", f"{first} › Ann Lee (3)"),
        ("make the manual build without network access", f"{first} › Bob Stone (2)"),  # counted: an item too
        ("docs: explain the new flags", f"{first} › Bob Stone (2)"),
        ("tests: stop relying on the system locale", f"{second} › Ann Lee (1)"),
    ]


GNU_CHANGELOG = """2022-12-12  Dmitry V. Levin  <ldv@strace.io>

\tPrepare for 6.1 release.
\t* NEWS: Update for 6.1 release.

2022-10-10  Werner Koch  <wk@gnupg.org>
\t    Klas Lindfors

\tgpg: Use AES-128 instead of 3DES as implicit preference.
\t+ commit 2e9f8a511dc01ef9ffc59c90f1cb5082e052da06
\t* g10/pkclist.c (select_algo_from_prefs): Change implicit cipher
\talgorithm.
\t* unix/configure.in:
\t* win/configure.in: Bump the version.
\t* Makefile.am (ALL_MACHINES, ALL_MACHINES_CFILES):
\tAdd cpu-amdgcn.c.

Tue Dec 16 12:13:14 1997  Jim Meyering  <meyering@example.org>

\t* src/list.c (list_archive): Likewise.
"""


def test_a_gnu_changelog_is_read_entry_by_entry_under_who_wrote_it_and_when(tmp_path: Path):
    """A GNU-style ChangeLog (the upstream changelog.gz of 110 of /usr/share/doc's 542 changelogs: strace,
    GnuPG, tar, wget): each entry's header line ("2022-12-12  Dmitry V. Levin  <ldv@strace.io>") was a unit
    of its own and the changes under it had no heading, so nothing said who made a change or when. The header,
    with its co-authors' lines, heads the changes as a commit's does ("Dmitry V. Levin, 2022-12-12"; the
    old form's date without the time of day); a commit's hash and a file named with nothing said of it are no
    units (tar's ChangeLog read as 8,877 units, 1,025 of them header lines; now 7,813)."""
    path = tmp_path / "ChangeLog"
    path.write_text(GNU_CHANGELOG)
    doc = load_file(path)
    got = [(" ".join(s.text.split()), heading_at(doc.sections, s.start).removeprefix(doc.title)) for s in chunk_document(doc)[0]]
    assert got == [
        ("Prepare for 6.1 release.", "Dmitry V. Levin, 2022-12-12"),
        ("NEWS: Update for 6.1 release.", "Dmitry V. Levin, 2022-12-12"),
        ("gpg: Use AES-128 instead of 3DES as implicit preference.", "Werner Koch, 2022-10-10"),
        ("g10/pkclist.c (select_algo_from_prefs): Change implicit cipher algorithm.", "Werner Koch, 2022-10-10"),
        ("win/configure.in: Bump the version.", "Werner Koch, 2022-10-10"),
        ("Makefile.am (ALL_MACHINES, ALL_MACHINES_CFILES): Add cpu-amdgcn.c.", "Werner Koch, 2022-10-10"),
        ("src/list.c (list_archive): Likewise.", "Jim Meyering, Tue Dec 16 1997"),
    ]
    # such a line alone in its paragraph heads what follows in any plain text; the hashes and bare file names
    # are furniture only in a text that opens as a ChangeLog
    assert under_headings(
        tmp_path / "notes.txt", "Meeting notes.\n\n2022-12-12  Ann Lee  <ann@example.org>\n\nWe agreed.\n* src/a.c:\n"
    ) == [("Meeting notes.", ""), ("We agreed.", "Ann Lee, 2022-12-12"), ("src/a.c:", "Ann Lee, 2022-12-12")]


def test_an_item_that_labels_the_items_under_it_heads_them(tmp_path: Path):
    """GTK's NEWS: "* Wayland:" over "- Notify on initial setting changes": the label was a one-word unit of
    its own (2,346 of them in that file) and its items were read under the release alone."""
    assert under_headings(
        tmp_path / "NEWS",
        "Changes in Harbour 3.2\n======================\n\n* Wayland:\n - Notify on setting changes\n"
        " - Do not crash on empty cursors\n\n* Translation updates:\n - Basque\n\n* Fix a leak in the parser\n",
    ) == [
        ("Notify on setting changes", "Changes in Harbour 3.2 \u203a Wayland"),
        ("Do not crash on empty cursors", "Changes in Harbour 3.2 \u203a Wayland"),
        ("Basque", "Changes in Harbour 3.2 \u203a Translation updates"),
        ("Fix a leak in the parser", "Changes in Harbour 3.2"),  # an item with nothing under it is one
    ]


def test_a_list_item_s_title_line_heads_its_text(tmp_path: Path):
    """A web page's list saved as text (lynx): each item's first line is its title, its text on the lines under
    it. The title was glued to the text's first sentence ("Members keep their data We never sell ...") and the
    item's other sentences were read without it. A title of more than three words says something and is a
    unit too; a shorter one only names its item. A dated line that tells something ("Version 3 adopted on
    ...") is no release heading over the whole text, and a wrapped sentence whose next line opens with a
    capital is no title."""
    read = under_headings(
        tmp_path / "charter.txt",
        "   Version 3 adopted on May 2nd, 2021.\n\n"
        "    1. Members keep their data\n       We never sell what members store with us. Each member may\n"
        "       export their data at any time.\n"
        "    2. Openness\n       Minutes of every meeting are published within a week.\n"
        "    3. The board answers to the members, who may remove any board member by a vote of the General\n"
        "       Assembly.\n",
    )
    assert [(" ".join(text.split()), path) for text, path in read] == [
        ("Version 3 adopted on May 2nd, 2021.", ""),
        ("Members keep their data", ""),
        ("We never sell what members store with us.", "Members keep their data"),
        ("Each member may export their data at any time.", "Members keep their data"),
        ("Minutes of every meeting are published within a week.", "Openness"),
        (
            "The board answers to the members, who may remove any board member by a vote of the General Assembly.",
            "",
        ),
    ]
    # a NEWS file's entry indented with a tab: its text, on two lines indented further, is under it
    news = under_headings(
        tmp_path / "NEWS",
        "\t* Use weak references to avoid leaks\n\t  See the notes\n"
        "\t  in the manual for the details of this change and of the others.\n\t* Faster start\n",
    )
    assert [(" ".join(text.split()), path) for text, path in news] == [
        ("Use weak references to avoid leaks", ""),
        (
            "See the notes in the manual for the details of this change and of the others.",
            "Use weak references to avoid leaks",
        ),
        ("Faster start", ""),
    ]


def test_a_one_line_git_log_and_a_bracketed_bug_list_are_read_entry_by_entry(tmp_path: Path):
    """libwebp's ChangeLog is `git log --oneline`: 4,406 lines in one block, each opening with a commit's hash
    (some of letters only, "badfcbaa"; some ending in "includes", which reads as a clause running on), read as
    runs of up to 1,700 characters. glibc's NEWS lists the bugs fixed as "[28991] libc: ..." with the rest of
    an entry indented under it, read as one run-on paragraph. Each entry is a unit; an entry keeps its number."""
    log = tmp_path / "ChangeLog"
    log.write_text(
        "980d2488 update NEWS\n9fde8127 bump version to 1.2.4\n33ddb894 lossless: remove some unneeded includes\n"
        "badfcbaa wicdec: fix alpha detection\nccbaebfe Merge \"Updated the includes\"\n"
    )
    assert [s.text for s in chunk_document(load_file(log))[0]] == [
        "980d2488 update NEWS",
        "9fde8127 bump version to 1.2.4",
        "33ddb894 lossless: remove some unneeded includes",
        "badfcbaa wicdec: fix alpha detection",
        'ccbaebfe Merge "Updated the includes"',
    ]
    news = tmp_path / "NEWS"
    news.write_text(
        "The following bugs are resolved with this release:\n\n"
        "  [28950] localedata: Add locale for ISO code \"tok\" (Toki Pona)\n"
        "  [28953] nss: NSS lookup result can be incorrect if function lookup\n    clobbers errno\n"
        "  [28991] libc: sysconf(_SC_NPROCESSORS_CONF) should read\n    /sys/devices/system/cpu/possible\n"
    )
    assert [" ".join(s.text.split()) for s in chunk_document(load_file(news))[0]] == [
        "The following bugs are resolved with this release:",
        '[28950] localedata: Add locale for ISO code "tok" (Toki Pona)',
        "[28953] nss: NSS lookup result can be incorrect if function lookup clobbers errno",
        "[28991] libc: sysconf(_SC_NPROCESSORS_CONF) should read /sys/devices/system/cpu/possible",
    ]
    defaced = tmp_path / "notes.txt"  # a word of the letters a to f is no hash: wrapped prose stays one sentence
    defaced.write_text("The old sign was\ndefaced by vandals and\nrepainted in the spring.\n")
    assert len(chunk_document(load_file(defaced))[0]) == 1
    notes = tmp_path / "AUTHORS"  # two entries alone in their paragraph are a list too
    notes.write_text("Thanks to everyone.\n\n[1] https://example.org/a\n[2] https://example.org/b\n")
    assert [s.text for s in chunk_document(load_file(notes))[0]][-2:] == ["[1] https://example.org/a", "[2] https://example.org/b"]
    wrapped = tmp_path / "multibuf.txt"  # one line opening with a number in brackets: wrapped prose, not a list
    wrapped.write_text(
        "Buffers are made in sets.\n\nEach buffer has the geometry of the window. Buffer\n[0] refers to the image buffer.\n"
    )
    assert [s.text for s in chunk_document(load_file(wrapped))[0]] == [
        "Buffers are made in sets.",
        "Each buffer has the geometry of the window.",
        "Buffer\n[0] refers to the image buffer.",
    ]


def test_a_numbered_heading_in_sentence_case_heads_the_sections_numbered_under_it(tmp_path: Path):
    """The Debian constitution (plain text): "6. Technical committee" was read as a sentence, since a list's
    "1. Open the file" is written so too, and "6.1. Powers" went under "5. Project Leader". A number with
    sections numbered under it heads them whatever its case; an indented list's items stay items."""
    text = (
        "5. Project Leader\n\n  5.1. Powers\n\n   The Leader may appoint Delegates.\n\n"
        "6. Technical committee\n\n  6.1. Powers\n\n   The committee may:\n\n"
        "    1. Decide technical matters.\n\n    2. Offer advice.\n\n"
        "1. Open the file\n\nIt is in your home folder.\n"
    )
    assert under_headings(tmp_path / "constitution.txt", text) == [
        ("The Leader may appoint Delegates.", "5. Project Leader \u203a 5.1. Powers"),
        ("The committee may:", "6. Technical committee \u203a 6.1. Powers"),
        ("Decide technical matters.", "6. Technical committee \u203a 6.1. Powers"),
        ("Offer advice.", "6. Technical committee \u203a 6.1. Powers"),
        ("Open the file", "6. Technical committee \u203a 6.1. Powers"),  # no section 1.x: an item
        ("It is in your home folder.", "6. Technical committee \u203a 6.1. Powers"),
    ]


def test_a_numbered_heading_wrapped_over_two_lines_is_one_heading(tmp_path: Path):
    """The Mozilla Public License (plain text) wraps "10.4. Distributing Source Code Form that is Incompatible
    With Secondary" over "Licenses": the two lines were a sentence, ranked first for "Can I distribute MPL code
    under a later version of the license?", and the section's text went under "10.3. Modified Versions". A
    numbered line that fills its line, over a word or three in capitals, is one heading; a sentence's
    wrapped end ("... the notice described in Exhibit B" over "Applies.") and a short item are not."""
    text = (
        "10. Versions of the License\n\n10.3. Modified Versions\n\nYou may create a modified version.\n\n"
        "10.4. Distributing Source Code Form that is Incompatible With Secondary\nLicenses\n\n"
        "The notice described in Exhibit B must be attached.\n\n"
        "10.5. If You distribute it, the notice described in Exhibit B\nApplies.\n\n"
        "10.6. Short\nTitle\n\nThe end.\n"
    )
    heading = "10. Versions of the License \u203a 10.4. Distributing Source Code Form that is Incompatible With Secondary Licenses"
    assert under_headings(tmp_path / "MPL-2.0", text) == [
        ("You may create a modified version.", "10. Versions of the License \u203a 10.3. Modified Versions"),
        ("The notice described in Exhibit B must be attached.", heading),
        ("10.5. If You distribute it, the notice described in Exhibit B\nApplies.", heading),
        ("10.6. Short\nTitle", heading),
        ("The end.", heading),
    ]


def test_plain_text_that_only_looks_like_headings_has_none(tmp_path: Path):
    path = tmp_path / "notes"
    path.write_text("# apt-get install git\n\nRun it as root.\n\n    1. Open The File\n\nHAMILTON\n\nThe end.\n")
    assert load_file(path).sections == ()
    shopping = tmp_path / "list.txt"
    shopping.write_text("MILK AND EGGS\n\nBREAD AND BUTTER\n\nTea.\n")  # most blocks would be headings
    assert load_file(shopping).sections == ()


def test_a_charter_whose_headings_are_half_its_blocks_keeps_them(tmp_path: Path):
    """A charter heads many paragraphs one by one ("AMENDMENT II." over its one paragraph, "Article. I." over
    "Section. 1." over its text): half its blocks are headings, and the rule that a text of mostly headings
    is a list of short lines took every one of them away. Headings that head text of their own are kept; a
    lone line is still text, not a heading over nothing."""
    path = tmp_path / "charter.txt"
    path.write_text(
        "THE CHARTER OF LUMEN\n\nWe the Keepers of the Lamps ordain this Charter.\n\nArticle. I.\n\nSection. 1.\n\n"
        "All lighting Powers shall be vested in a Council.\n\nSection. 2.\n\nThe Council meets at dusk.\n\n"
        "AMENDMENT I.\n\nNo law shall fix the colour of a lamp.\n\nAMENDMENT II.\n\nOil shall not be taxed.\n"
    )
    doc = load_file(path)
    paths = {s.text: heading_at(doc.sections, s.start) for s in chunk_document(doc)[0]}
    assert paths["The Council meets at dusk."] == "THE CHARTER OF LUMEN \u203a Article. I. \u203a Section. 2."
    assert paths["Oil shall not be taxed."] == "AMENDMENT II."
    single = tmp_path / "requirements.txt"
    single.write_text("PyYAML==6.0.3\n")
    assert [s.text for s in chunk_document(load_file(single))[0]] == ["PyYAML==6.0.3"]


def _note_part(document, kind: str, notes: dict[int, str]):
    """Add a footnotes or endnotes part to a python-docx document, as Word writes one: its two separators
    (ids -1 and 0), then the notes."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.ns import nsdecls

    body = f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
    body += f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>cont</w:t></w:r></w:p></w:{kind}>'
    for number, text in notes.items():
        body += f'<w:{kind} w:id="{number}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}>'
    blob = f"<w:{kind}s {nsdecls('w')}>{body}</w:{kind}s>".encode()
    content_type = CONTENT_TYPE.WML_FOOTNOTES if kind == "footnote" else CONTENT_TYPE.WML_ENDNOTES
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, blob, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES if kind == "footnote" else RELATIONSHIP_TYPE.ENDNOTES)


def test_word_footnotes_endnotes_and_text_boxes_follow_their_paragraph(tmp_path: Path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("Lease", level=1)
    rent = document.add_paragraph("The rent is due monthly.")
    rent._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    document.add_heading("Deposit", level=1)
    deposit = document.add_paragraph("A deposit is held.")
    deposit._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:endnoteReference w:id="1"/></w:r>'))
    # a text box as Word writes it: the box for new readers (mc:Choice), a copy for old ones (mc:Fallback)
    box = (
        '<w:p><w:r><w:t>The landlord keeps the keys.</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>Pets are allowed.</w:t></w:r></w:p>'
    )
    deposit._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
            f'<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx>'
            f'</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>{box}</w:txbxContent>'
            "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    document.add_paragraph("Notice is one month.")
    _note_part(document, "footnote", {1: "Rent is paid to account 42.", 2: "A note nothing refers to."})
    _note_part(document, "endnote", {1: "The deposit is two months of rent."})
    document.save(str(tmp_path / "lease.docx"))
    doc = load_file(tmp_path / "lease.docx")
    assert doc.text == (
        "The rent is due monthly.\n\nRent is paid to account 42.\n\nA deposit is held.\n\n"
        "The landlord keeps the keys.\n\nPets are allowed.\n\nThe deposit is two months of rent.\n\n"
        "Notice is one month."
    )
    assert heading_of(doc, "Rent is paid") == "Lease" and heading_of(doc, "Pets are allowed") == "Deposit"
    assert heading_of(doc, "The deposit is two months") == "Deposit"


PLAIN_TABLES = """Team handbook
=============

Contact numbers
---------------

Call the lead first:
Name        Role        Phone
----------  ----------  -----------
Ann Lee     Lead        555-0101
Bob Stone   Backup      555-0102

 name  | owner | size
-------+-------+-------
 sales | ann   | 12 GB. Grows 1 GB a month.
(1 row)

| Tool | Version |
|------|---------|
| pip  | 24.0    |

After the tables.
"""


def test_a_plain_text_table_is_read_row_by_row_under_its_column_names(tmp_path: Path):
    """A header over a rule of dashes (one run per column), a psql table and a pipe table: each row is one
    sentence (its full stops inside), read under the column names; the header and the rule are not
    sentences; text before the header in its block and after the table is read as it was."""
    path = tmp_path / "handbook.txt"
    path.write_text(PLAIN_TABLES)
    doc = load_file(path)
    sentences, _ = chunk_document(doc)
    got = [(s.text, heading_at(doc.sections, s.start)) for s in sentences]
    contacts = "Team handbook › Contact numbers"
    assert got == [
        ("Call the lead first:", contacts),
        ("Ann Lee     Lead        555-0101", f"{contacts} › Name / Role / Phone"),
        ("Bob Stone   Backup      555-0102", f"{contacts} › Name / Role / Phone"),
        ("sales | ann   | 12 GB. Grows 1 GB a month.", f"{contacts} › name / owner / size"),
        ("(1 row)", contacts),
        ("| pip  | 24.0    |", f"{contacts} › Tool / Version"),
        ("After the tables.", contacts),
    ]
    assert all(doc.text[s.start : s.end] == s.text for s in sentences)
    # a heading underlined with one run of dashes is no table, and a rule without rows under it is none
    path.write_text("Usage\n-----\n\nRun it.\n\nName  Role\n----  ----\n")
    doc = load_file(path)
    assert [s.text for s in chunk_document(doc)[0]] == ["Run it.", "Name  Role\n----  ----"]
    assert doc.records == ()


GRID_TABLE = """Packages
========

Install a few more of them.

Table 1.1. List of interesting text-mode
packages

    +---------------------------------------------+
    | package |popcon|size |description            |
    |---------+------+-----+-----------------------|
    |mc       |V:54, |1482 |A text-mode file       |
    |         |I:226 |     |manager. It has panels.|
    |---------+------+-----+-----------------------|
    |sudo     |V:638,|5990 |Limited root rights    |
    +---------------------------------------------+

mysql> SELECT name, size FROM disks;
+------+------+
| name | size |
+------+------+
| sda  | 1 TB |
+------+------+

+-----------+--------------+
| Extension | Decompressor |
+-----------+--------------+
| gz        | gzip -dc     |
| bz2       | bzip2 -dc    |
|           | (or lbzip2)  |
+-----------+--------------+

+-------+
| alone |
+-------+
| one   |
+-------+

After the tables.
"""


def test_a_grid_table_is_read_row_by_row_under_its_caption_and_column_names(tmp_path: Path):
    """A table boxed in rules (a text browser's dump, MySQL's output): each row between two rules is one
    sentence over its wrapped lines, read under the caption over it ("Table 1.1. ...", two lines) and the
    column names; the caption, the names and the rules are no sentences. Without rules between the rows each
    line is a row, a line whose first cell is empty part of the row above. A box of one column is no table."""
    path = tmp_path / "reference.txt"
    path.write_text(GRID_TABLE)
    doc = load_file(path)
    sentences, _ = chunk_document(doc)
    got = [(" ".join(s.text.split()), heading_at(doc.sections, s.start)) for s in sentences]
    table = "Packages › Table 1.1. List of interesting text-mode packages › package / popcon / size / description"
    assert got == [
        ("Install a few more of them.", "Packages"),
        ("|mc |V:54, |1482 |A text-mode file | | |I:226 | |manager. It has panels.|", table),
        ("|sudo |V:638,|5990 |Limited root rights |", table),
        ("mysql> SELECT name, size FROM disks;", "Packages"),
        ("| sda | 1 TB |", "Packages › name / size"),
        ("| gz | gzip -dc |", "Packages › Extension / Decompressor"),
        ("| bz2 | bzip2 -dc | | | (or lbzip2) |", "Packages › Extension / Decompressor"),
        ("+-------+ | alone | +-------+ | one | +-------+", "Packages"),
        ("After the tables.", "Packages"),
    ]
    assert all(doc.text[s.start : s.end] == s.text for s in sentences)


def _paged_text(pages: list[list[str]]) -> str:
    """A text paged by form feeds as an RFC is: a running header atop every page but the first, a footer
    ending in its page number under every page."""
    header = "RFC 9999                    Example Protocol                   March 2024"
    out = []
    for n, page in enumerate(pages, 1):
        lines = ([header, ""] if n > 1 else []) + page
        out.append("\n".join([*lines, "", "", f"Doe & Roe                    Standards Track                    [Page {n}]"]))
    return "\n\f".join(out) + "\n"


def test_running_headers_and_footers_of_a_paged_text_are_not_sentences(tmp_path: Path):
    """An RFC's header ("RFC 9999 Example Protocol March 2024") atop each page and footer ("... [Page 3]")
    under it are found as a PDF's are: they are not sentences, and a footer is no heading's subtitle."""
    path = tmp_path / "rfc9999.txt"
    path.write_text(
        _paged_text(
            [
                ["Example Protocol", "", "Abstract text of the protocol."],
                ["1.  Introduction", "", "   EP moves small messages between a client and", "   a server.", "", "2.  Format"],
                ["   Every message starts with a length field."],
                ["3.  Timeouts", "", "   A client SHOULD close an idle connection after 300 seconds."],
            ]
        )
    )
    doc = load_file(path)
    sentences, _ = chunk_document(doc)
    got = [(" ".join(s.text.split()), heading_at(doc.sections, s.start)) for s in sentences]
    assert doc.title == "Example Protocol"  # its first line
    assert got == [
        ("Abstract text of the protocol.", "Example Protocol"),
        ("EP moves small messages between a client and a server.", "Example Protocol › 1. Introduction"),
        ("Every message starts with a length field.", "Example Protocol › 2. Format"),
        ("A client SHOULD close an idle connection after 300 seconds.", "Example Protocol › 3. Timeouts"),
    ]
    assert all(doc.text[s.start : s.end] == s.text for s in sentences)
    # two pages are too few to tell a running line from content
    path.write_text(_paged_text([["First page text."], ["Second page text."]]))
    assert sum("Standards Track" in s.text for s in chunk_document(load_file(path))[0]) == 2


def test_a_git_log_saved_as_a_changelog_is_read_as_its_commit_messages(tmp_path: Path):
    """`git log --stat` (harfbuzz's changelog in /usr/share/doc): each commit's header heads its message ("who,
    when"), and the lists of files changed are not sentences. Of one commit alone the list is text."""
    log = (
        "commit afcae83a064843d71d47624bc162e121cc56c08b\nAuthor: Khaled Hosny <khaled@aliftype.com>\n"
        "Date:   Fri Dec 16 23:14:57 2022 +0200\n\n    Release 6.0.0 with a new subsetter.\n\n"
        " NEWS                   | 62 ++++++++++++++\n configure.ac           |  2 +-\n"
        " 2 files changed, 63 insertions(+), 1 deletion(-)\n\n"
        "commit 27ff90d7b8c65017334f15f45b5552d4f6fdb128\nAuthor: Matthias Clasen <mclasen@redhat.com>\n"
        "Date:   Fri Dec 16 22:08:33 2022 +0200\n\n    Use the FreeType wrap from WrapDB.\n\n"
        " subprojects/freetype2.wrap | 10 ++++++----\n 1 file changed, 6 insertions(+), 4 deletions(-)\n"
    )
    path = tmp_path / "changelog"
    path.write_text(log)
    doc = load_file(path)
    texts = [" ".join(s.text.split()) for s in chunk_document(doc)[0]]
    assert texts == ["Release 6.0.0 with a new subsetter.", "Use the FreeType wrap from WrapDB."]
    assert doc.title == "changelog"  # not the first commit's header
    assert heading_of(doc, "Release 6.0.0") == "Khaled Hosny, Fri Dec 16 2022"
    assert heading_of(doc, "Use the FreeType") == "Matthias Clasen, Fri Dec 16 2022"
    path.write_text(log.split("\n\ncommit ")[0] + "\n")  # one commit: its list of files is not told apart
    assert any("2 files changed" in s.text for s in chunk_document(load_file(path))[0])
    # cairo's changelog: a generated file's note atop, `--format=fuller` headers of five lines, a merge's of
    # four, `code` in a message: it was read as Markdown (the note a heading over the whole file, each list of
    # files one "sentence", each header a sentence)
    fuller = (
        "# Generated by configure.  Do not edit.\n\n"
        + log.replace("Date:   ", "AuthorDate: ").replace("+0200\n\n", "+0200\nCommit:     Ann Lee <ann@example.org>\n"
                      "CommitDate: Sat Dec 17 10:00:00 2022 +0200\n\n", 1)
        + "\ncommit 1111111111111111111111111111111111111111\nMerge: afcae83 27ff90d\nAuthor: Ann Lee <ann@example.org>\n"
        "Date:   Sat Dec 17 11:00:00 2022 +0200\n\n    Merge the `wrap` branch.\n\n"
        " a.c | 1 +\n 1 file changed, 1 insertion(+)\n"
    )
    path.write_text(fuller)
    doc = load_file(path)
    texts = [" ".join(s.text.split()) for s in chunk_document(doc)[0]]
    assert texts == ["Release 6.0.0 with a new subsetter.", "Use the FreeType wrap from WrapDB.", "Merge the `wrap` branch."]
    assert heading_of(doc, "Release 6.0.0") == "Khaled Hosny, Fri Dec 16 2022"
    assert heading_of(doc, "Merge the") == "Ann Lee, Sat Dec 17 2022"
    # libtirpc's: a ChangeLog entry before the log is read, not taken for a generated file's note
    path.write_text("2008-11-19  Steve Dickson <steved@example.org>\n\n    * Version 0.1.10 released.\n\n" + log)
    assert "Version 0.1.10 released." in [s.text for s in chunk_document(load_file(path))[0]]


def test_a_debian_changelog_s_versions_head_their_changes(tmp_path: Path):
    """/usr/share/doc/*/changelog.Debian.gz: each entry's "package (version) distribution; urgency=..." line
    heads its changes (the version is the context a change is asked by), the file keeps its name as title,
    and a note quoting a command in backticks under a "#" does not make it Markdown."""
    import gzip

    path = tmp_path / "changelog.Debian.gz"
    path.write_bytes(
        gzip.compress(
            b"dbus (1.14.10-1~deb12u1) bookworm; urgency=medium\n\n  * Rebuild for bookworm\n\n"
            b" -- Simon McVittie <smcv@debian.org>  Sat, 16 Sep 2023 11:03:58 +0100\n\n"
            b"dbus (1.14.8-2) unstable; urgency=low\n\n  * Fix the session bus socket path\n\n"
            b" -- Simon McVittie <smcv@debian.org>  Mon, 12 Jun 2023 10:00:00 +0100\n\n"
            b"# Older entries have been removed from this changelog.\n"
            b"# To read the complete changelog use `apt changelog dbus`.\n"
        )
    )
    doc = load_file(path)
    assert doc.title == "changelog.Debian"
    assert heading_of(doc, "Rebuild for bookworm") == "dbus (1.14.10-1~deb12u1) bookworm"
    assert heading_of(doc, "Fix the session bus") == "dbus (1.14.8-2) unstable"
    assert "<smcv@debian.org>" in doc.text  # read as plain text: the address is not taken for a Markdown link
    assert all("urgency" not in s.text for s in chunk_document(doc)[0])


def test_a_plain_text_release_heading_with_its_date_is_a_sentence(tmp_path: Path):
    """A CHANGES.txt's "Version 2.0.1 (January 15, 2024)" over its underline, and a NEWS file's "Release 1.3
    (2021-12-24)" alone over its entries: each heads its release's entries and is a sentence of its own (it
    says when the release came out, which no entry says), as in Markdown; the underline is no text. A
    heading without a date stays context."""
    changes = tmp_path / "CHANGES.txt"
    changes.write_text(
        "Changelog\n=========\n\nVersion 2.1.0 (2024-03-01)\n--------------------------\n\n"
        "- Added support for environment variables.\n\nVersion 2.0.1 (January 15, 2024)\n"
        "--------------------------------\n\n- Fixed the installer on Windows.\n"
    )
    doc = load_file(changes)
    units = [s.text for s in chunk_document(doc)[0]]
    assert units == [
        "Version 2.1.0 (2024-03-01)",
        "Added support for environment variables.",
        "Version 2.0.1 (January 15, 2024)",
        "Fixed the installer on Windows.",
    ]
    assert doc.title == "Changelog"
    assert heading_of(doc, "Fixed the installer") == "Changelog \u203a Version 2.0.1 (January 15, 2024)"
    news = tmp_path / "NEWS"
    news.write_text(
        "Release 1.4 (2022-06-01)\n\n  * The --quiet option suppresses all output.\n\n"
        "Release 1.3 (2021-12-24)\n\n  * New --json output format.\n"
    )
    doc = load_file(news)
    assert [s.text for s in chunk_document(doc)[0]] == [
        "Release 1.4 (2022-06-01)",
        "The --quiet option suppresses all output.",
        "Release 1.3 (2021-12-24)",
        "New --json output format.",
    ]
    assert heading_of(doc, "New --json") == "Release 1.3 (2021-12-24)"  # not 1.4's, as when 1.3 was a sentence
    assert doc.title != "Release 1.4 (2022-06-01)"  # a release heads its entries; it is not the file's title


def test_a_plain_texts_table_of_contents_is_not_sentences(tmp_path: Path):
    """Contents lines (a dot leader and a page number, as an RFC's) and their "Table of Contents" line are not
    sentences; dots inside a sentence are no leader."""
    path = tmp_path / "spec.txt"
    path.write_text(
        "Table of Contents\n\n"
        "   1.  Introduction  . . . . . . . . . . . . . . . . . . . .   3\n"
        "     1.1.  Requirements Language . . . . . . . . . . . . . .   4\n"
        "   2.  Message Format  . . . . . . . . . . . . . . . . . . .   5\n\n"
        "1.  Introduction\n\n   The protocol moves messages. See Section 2 .... for the format.\n"
    )
    doc = load_file(path)
    sentences, _ = chunk_document(doc)
    assert [(s.text, heading_at(doc.sections, s.start)) for s in sentences] == [
        ("The protocol moves messages.", "1. Introduction"),
        ("See Section 2 .... for the format.", "1. Introduction"),
    ]
    faq = (
        "Valgrind FAQ\n\nTable of Contents\n1. Background\n2. Compiling\n\n"
        + "-" * 40 + "\n1. Background\n" + "-" * 40 + "\n\nIt grinds values.\n\n"
        + "-" * 40 + "\n2. Compiling\n" + "-" * 40 + "\n\nRun make.\n\n"
        "Contents\nThe box holds a manual\nand a cable\n"
    )
    got = under_headings(tmp_path / "FAQ.txt", faq)  # without page numbers: its lines are the titles again
    assert [(" ".join(text.split()), heading) for text, heading in got] == [
        ("It grinds values.", "Valgrind FAQ \u203a 1. Background"),
        ("Run make.", "Valgrind FAQ \u203a 2. Compiling"),
        ("Contents The box holds a manual and a cable", "Valgrind FAQ \u203a 2. Compiling"),  # lines said once
    ]


def test_a_books_contents_naming_its_headings_in_other_words_is_not_read(tmp_path: Path):
    """A book's table of contents, a blank line after "CONTENTS", names each part as its heading and subtitle
    do on one line ("ESSAY No. 1. General Introduction" for "ESSAY No. 1" over "General Introduction"), or
    in other case with a page number ("Economy 3" for "ECONOMY"), or wrapped over two lines. Read, its lines
    were the best match of "Who wrote Essay No. 2?" ("General Introduction ESSAY No. 2.") and "CONTENTS" headed
    the whole book. The lines it names head their parts. Lines that are not the text's lines again stay text."""
    book = (
        "ESSAYS ON TRADE\n\nCONTENTS\n\n ESSAY No. 1. General Introduction\n ESSAY No. 2. Concerning Dangers\n"
        " from Foreign Force\n\n\nESSAY No. 1\n\nGeneral Introduction\n\nHAMILTON\n\nThe subject speaks its own importance.\n\n\n"
        "ESSAY No. 2\n\nConcerning Dangers from Foreign Force\n\nJAY\n\nNothing is more certain than a market.\n"
    )
    got = under_headings(tmp_path / "essays.txt", book)
    assert [(" ".join(text.split()), heading) for text, heading in got] == [
        ("HAMILTON", "ESSAYS ON TRADE \u203a ESSAY No. 1 \u2013 General Introduction"),
        ("The subject speaks its own importance.", "ESSAYS ON TRADE \u203a ESSAY No. 1 \u2013 General Introduction"),
        ("JAY", "ESSAYS ON TRADE \u203a ESSAY No. 2 \u2013 Concerning Dangers from Foreign Force"),
        ("Nothing is more certain than a market.", "ESSAYS ON TRADE \u203a ESSAY No. 2 \u2013 Concerning Dangers from Foreign Force"),
    ]
    woods = (
        "Life in the Woods\n\nContents\n\nEconomy 3\nReading 41\n\n"
        "ECONOMY\n\nI lived alone, a mile from any neighbor.\n\nREADING\n\nBooks must be read deliberately.\n\n"
        "Contents\n\nAn axe\nA pail\n"
    )
    got = under_headings(tmp_path / "woods.txt", woods)
    # the lines the contents name head their chapters, though one word in capitals heads nothing by its look
    assert [(" ".join(text.split()), heading) for text, heading in got] == [
        ("I lived alone, a mile from any neighbor.", "Life in the Woods \u203a ECONOMY"),
        ("Books must be read deliberately.", "Life in the Woods \u203a READING"),
        ("Contents", "Life in the Woods \u203a READING"),  # lines named nowhere else: a list, not the contents
        ("An axe A pail", "Life in the Woods \u203a READING"),
    ]


def test_a_short_code_block_ends_the_paragraph_that_leads_into_it(tmp_path: Path):
    """"Use this command line:" says nothing without its command: a code block of three lines at most right
    after a paragraph ending in a colon ends that paragraph, in Markdown, reStructuredText, AsciiDoc, Org and HTML;
    a longer block, one after a paragraph that does not lead into it, one under another heading and a comment
    stay out."""
    long_code = "\n".join(f"x{i} = {i}" for i in range(4))
    sources = {
        "run.md": (
            "# Run\n\nUse this command line:\n\n```bash\nvalgrind --leak-check=yes myprog\n```\n\n"
            f"Here is a longer one:\n\n```python\n{long_code}\n```\n\nMemcheck is the default tool.\n\n    ignored code\n\n"
            "Before a heading:\n\n## Next\n\n    not joined\n"
        ),
        "run.rst": (
            "Run\n===\n\nUse this command line::\n\n    valgrind --leak-check=yes myprog\n\n"
            f"Here is a longer one::\n\n{chr(10).join('    ' + line for line in long_code.splitlines())}\n\n"
            "Memcheck is the default tool.\n\n::\n\n    ignored code\n"
        ),
        "run.adoc": (
            "= Run\n\nUse this command line:\n\n----\nvalgrind --leak-check=yes myprog\n----\n\n"
            f"Here is a longer one:\n\n----\n{long_code}\n----\n\nMemcheck is the default tool.\n\n"
            "A comment follows:\n\n////\nignored code\n////\n"
        ),
        "run.org": (
            "* Run\nUse this command line:\n#+begin_src sh\nvalgrind --leak-check=yes myprog\n#+end_src\n\n"
            f"Here is a longer one:\n#+begin_src python\n{long_code}\n#+end_src\n\nMemcheck is the default tool.\n\n"
            "A comment follows:\n#+begin_comment\nignored code\n#+end_comment\n"
        ),
        "run.html": (
            "<h1>Run</h1><p>Use this command line:</p><pre>valgrind --leak-check=yes myprog\n</pre>"
            f"<p>Here is a longer one:</p><pre>{long_code}</pre><p>Memcheck is the default tool.</p><pre>ignored code</pre>"
        ),
    }
    for name, source in sources.items():
        path = tmp_path / name
        path.write_text(source)
        sentences = [s.text for s in chunk_document(load_file(path))[0]]
        assert sentences[:3] == [
            "Use this command line: valgrind --leak-check=yes myprog",
            "Here is a longer one:",
            "Memcheck is the default tool.",
        ], name
        assert not any("ignored" in s or "not joined" in s or "x0" in s for s in sentences), name
    # a Markdown paragraph of inline code alone shows the command as a block does; after a paragraph that
    # does not lead into it, it stays a unit of its own
    install = tmp_path / "install.md"
    install.write_text("# Install\n\nInstall it with your package manager:\n\n`pip3 install tool`\n\nOR\n\n`uv add tool`\n")
    assert [s.text for s in chunk_document(load_file(install))[0]] == [
        "Install it with your package manager: pip3 install tool",
        "OR",
        "uv add tool",
    ]
    node = tmp_path / "fs.html"  # Node.js' API pages: a "copy" button and the example in two flavours in one <pre>
    node.write_text(
        "<p>To use the promise-based APIs:</p><pre><input class=\"js-flavor-toggle\" type=\"checkbox\" checked>"
        "<code class=\"language-js mjs\">import * as fs from 'node:fs/promises';</code>"
        "<code class=\"language-js cjs\">const fs = require('node:fs/promises');</code>"
        "<button class=\"copy-button\">copy</button></pre><p>The promises are fulfilled on completion.</p>"
    )
    assert [(s.text) for s in chunk_document(load_file(node))[0]] == [
        "To use the promise-based APIs: import * as fs from 'node:fs/promises'; const fs = require('node:fs/promises');",
        "The promises are fulfilled on completion.",
    ]
    nested = tmp_path / "license.html"  # a <pre> left open around another (meson's macOS licence page)
    nested.write_text("<html><body><p>The licence follows:</p><pre>Copyright 2024<pre>All rights reserved.</pre></body></html>")
    assert [s.text for s in chunk_document(load_file(nested))[0]][0].startswith("The licence follows:")  # read, no error
    asks = tmp_path / "asks.md"  # code the chunker would cut at a question mark stays out
    asks.write_text("Ask it like this:\n\n```js\nrl.question('What is your name? ', answer);\n```\n")
    assert [s.text for s in chunk_document(load_file(asks))[0]] == ["Ask it like this:"]


def test_a_boxs_title_heads_only_what_the_box_holds(tmp_path: Path):
    """The Debian Administrator's Handbook (DocBook HTML): a sidebar's title ("BACK TO BASICS Kernel modules")
    was read as a bold heading and headed the section's text after the sidebar; a note's <h3> replaced the
    section's own <h3>. A box's title heads its own text, below the section, and no further."""
    path = tmp_path / "boot.html"
    path.write_text(
        "<h1>Unix services</h1><h3>System V init</h3><p>Init starts the services.</p>"
        '<div class="sidebar"><div class="titlepage"><p class="title"><strong>BACK TO BASICS</strong> Kernel modules'
        "</p></div><p>Modules extend the kernel.</p></div><p>By default, init uses four runlevels.</p>"
        '<div class="note"><h3 class="title">Note</h3><p>Runlevel 1 is single-user.</p></div>'
        "<p>Runlevels 2 to 5 are the same.</p><div class='tip'><p>No title here.</p></div><p>The end.</p>"
    )
    doc = load_file(path)
    assert {s.text: heading_at(doc.sections, s.start) for s in chunk_document(doc)[0]} == {
        "Init starts the services.": "Unix services \u203a System V init",
        "Modules extend the kernel.": "Unix services \u203a System V init \u203a BACK TO BASICS Kernel modules",
        "By default, init uses four runlevels.": "Unix services \u203a System V init",
        "Runlevel 1 is single-user.": "Unix services \u203a System V init \u203a Note",
        "Runlevels 2 to 5 are the same.": "Unix services \u203a System V init",
        "No title here.": "Unix services \u203a System V init",  # a box without a title closes nothing
        "The end.": "Unix services \u203a System V init",
    }


def units_of_each(folder: Path, sources: dict[str, str]) -> dict[str, list[str]]:
    """Each source written to a file of its name in `folder`, and the texts of the units it reads as."""
    got = {}
    for name, source in sources.items():
        (folder / name).write_text(source)
        got[name] = [s.text for s in chunk_document(load_file(folder / name))[0]]
    return got


def test_a_label_leading_into_code_left_out_is_no_unit(tmp_path: Path):
    """Python's sorting guide: "For example:" over a code block left out was a unit that, read after its
    heading path, ranked with the section's best sentences. A paragraph of three words at most ending in a
    colon, right before code that is left out (too long to show, a directive that is not prose), goes too,
    in Markdown, reStructuredText and HTML; a label with its short code, a longer lead-in and a label inside a
    paragraph stay (one over a list heads the list)."""
    long_code = "\n".join(f"x{i} = {i}" for i in range(5))
    indented = "\n".join(f"    {line}" for line in long_code.splitlines())
    sources = {
        "sorting.md": (
            f"# Key functions\n\nFor example:\n\n```\n{long_code}\n```\n\nExample usage:\n\n"
            f"```{{toctree}}\nsorted\n```\n\nUsage:\n\n```\nsort -k 2\n```\n\nSteps:\n\n- sort it\n\n"
            f"The key is a function that returns a key:\n\n```\n{long_code}\n```\n\nIt sorts. Example: see below.\n\n"
            f"And:\n\n```\n{long_code}\n```\n\nto:\n\n```\nx = 2\n```\n"
        ),
        "sorting.rst": (
            f"Key functions\n=============\n\nFor example::\n\n{indented}\n\nExample usage:\n\n"
            ".. click:example::\n\n    sorted(x)\n\nUsage::\n\n    sort -k 2\n\nSteps:\n\n- sort it\n\n"
            f"The key is a function that returns a key::\n\n{indented}\n\nIt sorts. Example: see below.\n\n"
            f"And::\n\n{indented}\n\nto::\n\n    x = 2\n"
        ),
        "sorting.html": (
            f"<h1>Key functions</h1><p>For example:</p><div class='highlight'><pre>{long_code}</pre></div>"
            "<p>Usage:</p><pre>sort -k 2</pre><p>Steps:</p><ul><li>sort it</li></ul>"
            f"<p>The key is a function that returns a key:</p><pre>{long_code}</pre><p>It sorts. Example: see below.</p>"
            f"<p>And:</p><pre>{long_code}</pre><p>to:</p><pre>x = 2</pre>"
        ),
    }
    for name, got in units_of_each(tmp_path, sources).items():
        assert got == [
            "Usage: sort -k 2",
            "sort it",  # under its label, "Steps"
            "The key is a function that returns a key:",
            "It sorts.",
            "Example: see below.",
            "to: x = 2",  # goes on from the label left out, not from the sentence before it
        ], name


def test_a_paragraph_going_on_after_a_code_block_ends_the_sentence_it_broke_off(tmp_path: Path):
    """Python's tutorial: "To deactivate a virtual environment, type:" [deactivate] "into the terminal." was
    two units, the second a fragment its heading path ranked first for "How do I create a virtual
    environment?". A paragraph right after a code block whose plain text opens with a lower-case word goes on
    with the sentence before the block, in Markdown, reStructuredText and HTML (Sphinx's wrapped <pre> too);
    one opening with code, or a list item, is a unit of its own."""
    sources = {
        "venv.md": (
            "# Venv\n\nTo deactivate it, type:\n\n```\ndeactivate\n```\n\ninto the terminal.\n\n"
            "Show a package:\n\n```\npip show foo\n```\n\n`pip list` will display all packages.\n\n"
            "Steps:\n\n- run it:\n\n  ```\n  x\n  ```\n- then wait.\n\n"
            "To start it, run\n\n```\nservice foo start\n```\n\nas root.\n"
        ),
        "venv.rst": (
            "Venv\n====\n\nTo deactivate it, type::\n\n    deactivate\n\ninto the terminal.\n\n"
            "Show a package::\n\n    pip show foo\n\n``pip list`` will display all packages.\n\n"
            "Steps:\n\n- run it::\n\n    x\n\n- then wait.\n\n"
            "To start it, run\n\n.. code-block:: sh\n\n    service foo start\n\nas root.\n"
        ),
        "venv.html": (
            "<h1>Venv</h1><p>To deactivate it, type:</p><div class='highlight-sh'><div class='highlight'><pre>"
            "deactivate\n</pre></div>\n</div>\n<p>into the terminal.</p><p>Show a package:</p><pre>pip show foo</pre>"
            "<p><code>pip list</code> will display all packages.</p>"
            "<p>Steps:</p><ul><li><p>run it:</p><pre>x</pre></li><li><p>then wait.</p></li></ul>"
            "<p>To start it, run</p><pre>service foo start</pre><p>as root.</p>"
        ),
    }
    for name, got in units_of_each(tmp_path, sources).items():
        assert got == [
            "To deactivate it, type: deactivate into the terminal.",
            "Show a package: pip show foo",
            "pip list will display all packages.",
            "run it: x",
            "then wait.",
            "To start it, run service foo start as root.",  # a short block inside the sentence: shown
        ], name


DEP5 = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: harbour
Source: https://example.org/harbour
Comment: Harbour was packaged from the release tarball.
 The documentation was left out.

Files: *
Copyright: 2019-2024 Ann Lee <ann@example.org>
           2021 Bob Stone
License: MIT

Files: src/compat/strlcpy.c src/compat/strlcpy.h src/compat/reallocarray.c
 src/compat/explicit_bzero.c src/compat/getopt.c
Copyright:
 1998 Todd C. Miller
License: ISC

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
"""


def test_a_debian_copyright_file_is_read_stanza_by_stanza(tmp_path: Path):
    """Debian's machine-readable copyright files (/usr/share/doc/<package>/copyright): read as plain text, a
    "Files:" list of paths was one unit (1,201 of the 1,953 units over 1,500 characters in a Debian system's
    documentation), "License: ISC" said nothing of the files it covers and a licence's paragraphs, parted by
    " .", ran together. A stanza's files head it (the first three patterns); its holders and its licence are
    a unit each; a licence's text is headed by its name, a paragraph where " ." stands."""
    folder = tmp_path / "harbour"
    folder.mkdir()
    path = folder / "copyright"
    path.write_text(DEP5)
    doc = load_file(path)
    assert doc.title == "harbour copyright"
    got = [(s.text, heading_at(doc.sections, s.start).removeprefix(doc.title)) for s in chunk_document(doc)[0]]
    compat = " \u203a Files: src/compat/strlcpy.c, src/compat/strlcpy.h, src/compat/reallocarray.c and 2 more"
    assert got == [
        ("Upstream-Name: harbour", ""),
        ("Source: https://example.org/harbour", ""),
        ("Comment: Harbour was packaged from the release tarball.", ""),
        ("The documentation was left out.", ""),
        ("Copyright: 2019-2024 Ann Lee <ann@example.org>", " \u203a Files: *"),
        ("2021 Bob Stone", " \u203a Files: *"),
        ("License: MIT", " \u203a Files: *"),
        ("1998 Todd C. Miller", compat),
        ("License: ISC", compat),
        ("Permission is hereby granted, free of charge, to any person obtaining a copy\n of this software.", " \u203a License: MIT"),
        ('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.', " \u203a License: MIT"),
    ]
    assert doc.text[doc.text.index("this software.") :].startswith("this software.\n  \n")  # offsets kept
    assert len(doc.text) == len(DEP5)


def test_a_copyright_file_in_free_form_is_plain_text(tmp_path: Path):
    """Only a file that says it is machine-readable (its "Format:" line) is read by its fields."""
    path = tmp_path / "copyright"
    path.write_text("This package was debianized by Ann Lee on Mon, 1 Jan 2001.\n\nFiles: everything here.\n")
    doc = load_file(path)
    assert [s.text for s in chunk_document(doc)[0]] == [
        "This package was debianized by Ann Lee on Mon, 1 Jan 2001.",
        "Files: everything here.",
    ]


def test_a_list_of_people_with_their_addresses_is_read_a_person_a_unit(tmp_path: Path):
    """GNU's THANKS files and D-Bus's AUTHORS: a person a line, their address last, in blocks of hundreds of
    lines that were read as runs of 1,500 to 3,500 characters ("???  kytek@..." opens coreutils' list, and
    names do not all open with a capital, so they were no list)."""
    path = tmp_path / "THANKS"
    path.write_text(
        "These people have contributed to Harbour.\n\n"
        "???                       kytek@example.net\nA Costa                   agcosta@example.net\n"
        "de Icaza, Miguel          miguel at example.com\n\n"
        "Alan Coopersmith <alan@example.org>\nAlban Crequy <alban@example.co.uk>\nAlex Lee <alex@example.org>\n"
    )
    assert [s.text for s in chunk_document(load_file(path))[0]] == [
        "These people have contributed to Harbour.",
        "???                       kytek@example.net",
        "A Costa                   agcosta@example.net",
        "de Icaza, Miguel          miguel at example.com",
        "Alan Coopersmith <alan@example.org>",
        "Alban Crequy <alban@example.co.uk>",
        "Alex Lee <alex@example.org>",
    ]


INFO = """This is harbour.info, produced by makeinfo version 6.8 from harbour.texi.

This manual is for Harbour, version 2.1.

INFO-DIR-SECTION Utilities
START-INFO-DIR-ENTRY
* Harbour: (harbour).           Moor boats by the tide.
END-INFO-DIR-ENTRY

\x1f
File: harbour.info,  Node: Top,  Next: Mooring,  Up: (dir)

Harbour
*******

Harbour moors boats by the tide.

* Menu:

* Mooring::                     Tying a boat up.
* Leaving::                     Casting off, with a long description
                                  that goes on.

-- The Detailed Node Listing --

Mooring

* Ropes::

\x1f
File: harbour.info,  Node: Mooring,  Next: Leaving,  Prev: Top,  Up: Top

1 Mooring
*********

A boat is moored with two ropes.

* Menu:

* Ropes::                       Which rope to use.

   The bow rope is tied first, then the stern rope.
   ---------- Footnotes ----------

   (1) Ropes are sold by the metre.

\x1f
Tag Table:
Node: Top\x7f160
Node: Mooring\x7f640
\x1f
End Tag Table

\x1f
Local Variables:
coding: utf-8
End:
"""


def test_a_gnu_info_manual_is_read_without_its_navigation(tmp_path: Path):
    """A GNU Info manual (/usr/share/info/*.info.gz) was skipped, and one part of a split manual
    (find.info-1.gz) read as plain text: each node's "File: ..., Node: ..." line, each menu entry and the
    directory entry were units. Now only its text is; its underlined headings head it under the manual's
    title (the Top node's heading, underlined as the chapters are, was their sibling: no sentence of
    wget.info said it was about Wget), a paragraph after a menu is kept, and every offset is the file's."""
    for name in ("harbour.info.gz", "harbour.info-1.gz", "harbour.info"):
        doc = read_as(tmp_path, name, INFO)
        assert doc.title == "Harbour", name
        got = [(s.text, heading_at(doc.sections, s.start)) for s in chunk_document(doc)[0]]
        assert got == [
            ("This manual is for Harbour, version 2.1.", ""),
            ("Harbour moors boats by the tide.", "Harbour"),
            ("A boat is moored with two ropes.", "Harbour › 1 Mooring"),
            ("The bow rope is tied first, then the stern rope.", "Harbour › 1 Mooring"),
            ("(1) Ropes are sold by the metre.", "Harbour › 1 Mooring"),
        ], name
        assert len(doc.text) == len(INFO) and doc.text.count("\n") == INFO.count("\n")
        at = INFO.index("A boat is moored")
        assert doc.text[at : at + 16] == "A boat is moored"  # offsets are the file's


def test_a_part_of_a_split_info_manual_is_titled_by_its_manual(tmp_path: Path):
    """A later part of a split manual (find.info-2.gz) has no Top node: its chapters go under the manual's
    name, as its nodes' navigation lines give it ("File: harbour.info")."""
    part = INFO[: INFO.index("\x1f")] + INFO[INFO.index("\x1f\nFile: harbour.info,  Node: Mooring") :]
    doc = read_as(tmp_path, "harbour.info-2.gz", part)
    assert doc.title == "harbour"
    got = [(s.text, heading_at(doc.sections, s.start)) for s in chunk_document(doc)[0]]
    assert got[1] == ("A boat is moored with two ropes.", "harbour › 1 Mooring")



def test_an_info_manual_s_index_and_image_markers_are_no_text(tmp_path: Path):
    """makeinfo marks an index node and an image between NUL-backspace brackets ("\\0\\b[index\\0\\b]"): the
    later part of a split manual that holds the index (find.info-2.gz) was skipped as binary content, and in
    a whole manual each marker was a unit."""
    index = (
        "\x1f\nFile: harbour.info,  Node: Index,  Up: Top\n\nIndex\n*****\n\n"
        "This lists every term.\n\n\x00\x08[index\x00\x08]\n* Menu:\n\n* rope:   Mooring.   (line 6)\n\n"
    )
    image = '\x00\x08[image src="knot.png" alt="A knot"\x00\x08]\n\n'
    manual = INFO.replace("\x1f\nTag Table:", index + "\x1f\nTag Table:").replace("   The bow rope", image + "   The bow rope")
    part = INFO[: INFO.index("\x1f")] + index
    for name, text in (("harbour.info.gz", manual), ("harbour.info-2.gz", part)):
        doc = read_as(tmp_path, name, text)
        units = [s.text for s in chunk_document(doc)[0]]
        assert "This lists every term." in units, name
        assert not any("\x00" in u or "index" in u or "knot" in u for u in units), (name, units)

MAN_PAGE = r""".\" Copyright 2024 Ann Lee
.de Vb \" Begin verbatim text
.ft CW
.nf
..
.de1 rstReportMargin
\\$1 \\n[an-margin]
..
.if n \{\
.  ds C` ""
.\}
.TH HARBOUR 1 "2024-05-01" "harbour 2.1" "User Commands"
.SH NAME
harbour \- moor boats by the tide
.SH SYNOPSIS
.B harbour
.RB [ \-k ]
.I boat
.SH
DESCRIPTION
.B harbour
moors a boat with two ropes\(emthe bow rope first.
It waits for the tide.

Boats are moored in the order given.
.SS Ropes
Use a
.BR rope (7)
of nylon; see
.UR https://example.org/ropes
the rope guide
.UE .
.SH OPTIONS
.TP
.BR \-k ", " \-\-keep
Keep the boat moored when the tide turns.
.TP
.B \-q
.TQ
.B \-\-quiet
Say nothing.
.IP "\fB\-a\fR" 4
.PD 0
.IP "\fB\-\-all\fR" 4
.PD
Moor every boat.
.IP \(bu 2
A bullet item.
.SH EXAMPLES
.nf
$ harbour \-k dinghy
$ harbour \-\-all
.fi
.TS
tab(;);
l l.
Boat;Ropes
_
dinghy;two
.TE
.SH FILES
.PP
\fIharbour\&.conf\fR
.RS 4
The settings\&.
.RE
.PP
\fITide=\fR
.RS 4
Takes a time\&.
.RE
"""


def read_as(folder: Path, name: str, text: str):
    """`text` written to `folder / name` (gzipped when the name ends in .gz) and read back as qa reads it."""
    import gzip

    path = folder / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    return load_file(path)


def units_under_title(doc) -> list[tuple[str, str]]:
    """Each unit with its heading path below the document's title ("HARBOUR(1) › OPTIONS": "OPTIONS")."""
    below = f"{doc.title} \u203a "
    return [(s.text, heading_at(doc.sections, s.start).removeprefix(below)) for s in chunk_document(doc)[0]]


def test_a_manual_page_is_read_as_man_shows_it(tmp_path: Path):
    """A manual page's roff source (`harbour.1`: no file type) was read as plain text, every request and
    font change in it (".I boat", "\\fB"). It is rendered as `man` shows it: its .SH and .SS headings head
    its sections under the page's name, a tagged paragraph's tags before its text, escapes as the characters
    they print; comments, definitions, conditionals and a table's layout left out."""
    for name in ("harbour.1", "harbour.1.gz", "harbour.3pm", "harbour.man"):
        doc = read_as(tmp_path, name, MAN_PAGE)
        assert doc.title == "HARBOUR(1)", name
        assert units_under_title(doc) == [
            ("harbour - moor boats by the tide", "NAME"),
            ("harbour [-k] boat", "SYNOPSIS"),
            ("harbour moors a boat with two ropes\u2014the bow rope first.", "DESCRIPTION"),
            ("It waits for the tide.", "DESCRIPTION"),
            ("Boats are moored in the order given.", "DESCRIPTION"),
            ("Use a rope(7) of nylon; see the rope guide.", "DESCRIPTION \u203a Ropes"),
            ("-k, --keep: Keep the boat moored when the tide turns.", "OPTIONS"),
            ("-q, --quiet: Say nothing.", "OPTIONS"),
            ("-a, --all: Moor every boat.", "OPTIONS"),
            ("A bullet item.", "OPTIONS"),
            ("$ harbour -k dinghy\n$ harbour --all", "EXAMPLES"),
            ("Boat  Ropes\ndinghy  two", "EXAMPLES"),
            ("harbour.conf: The settings.", "FILES"),  # DocBook's term over its indented definition
            ("Tide= Takes a time.", "FILES"),  # a setting's name ends in "=": no colon after it
        ], name


HELP2MAN_PAGE = r""".\" DO NOT MODIFY THIS FILE!  It was generated by help2man 1.48.5.
.TH HARBOUR "1" "May 2024" "GNU harbour 2.1" "User Commands"
.SH DESCRIPTION
.ds hb \fIharbour\fP
.if n \{\
.ds qu ""
.\}
.ds ac \k:\h'-(\n(.wu*8/10)'\z.\h'|\n:u'
\*(hb moors boats; \*(qu quay\*(ac unchanged.
.HP
\fB\-k\fR, \fB\-\-keep\fR
.IP
keep the boat moored when the tide turns
.HP
\fB\-t\fR, \fB\-\-timeout\fR=\fI\,DURATION\/\fR
.IP
wait this long for the tide;
.IP
then give up.
.IP
Ropes are not checked.
"""


def test_help2man_s_options_and_a_page_s_own_strings_are_read_as_man_shows_them(tmp_path: Path):
    """help2man (GNU's pages: sed, timeout) writes an option as ".HP" over its line and ".IP" over its text,
    and breaks the text with more ".IP" where --help broke its lines: the option stood apart from its text,
    and each piece of the text was a unit. And a page's own strings (".ds hb \\fIharbour\\fP", used as
    "\\*(hb") were dropped: "works by making only one pass" had lost "sed". Strings defined in a conditional,
    or built of motions (pod2man's accents), stay unread."""
    doc = read_as(tmp_path, "harbour.1", HELP2MAN_PAGE)
    assert [text for text, _ in units_under_title(doc)] == [
        "harbour moors boats;  quay unchanged.",
        "-k, --keep: keep the boat moored when the tide turns",
        "-t, --timeout=DURATION: wait this long for the tide; then give up.",
        "Ropes are not checked.",
    ]


def test_a_manual_page_that_only_points_at_another_shows_nothing(tmp_path: Path):
    """`environment.5` holds only ".so man5/pam_env.conf.5": read as plain text that line was a unit."""
    skipped = read_as(tmp_path, "environment.5.gz", '.\\" see pam_env\n.so man5/pam_env.conf.5\n')
    assert isinstance(skipped, Skipped) and skipped.reason == "empty"
    kept = read_as(tmp_path, "notes.txt", ".so the list goes on.\nAnd on.\n")
    assert [s.text for s in chunk_document(kept)[0]] == [".so the list goes on.", "And on."]


def test_a_text_that_only_mentions_a_title_request_is_plain_text(tmp_path: Path):
    """Only a text that opens with requests up to its `.TH` line is a manual page."""
    path = tmp_path / "notes.txt"
    path.write_text("Notes on roff.\n.TH sets a page's title.\n")
    doc = load_file(path)
    assert [s.text for s in chunk_document(doc)[0]] == ["Notes on roff.\n.TH sets a page's title."]


MDOC_PAGE = r""".\" Copyright 2024 Ann Lee
.Dd $Mdocdate: May 1 2024 $
.Dt HARBOUR 1
.Os
.Sh NAME
.Nm harbour
.Nd moor boats by the tide
.Sh SYNOPSIS
.Nm
.Op Fl kq
.Ar boat
.Sh DESCRIPTION
.Nm
moors a boat, as
.Xr dock 8
does.
.Bl -tag -width Ds
.It Fl k
Keep the boat moored
.Pq see Sx TIDES .
.It Cm Rope Ar length
Use a rope of
.Ar length
metres.
.El
.Bl -bullet
.It
A bullet item.
.El
.Bd -literal -offset indent
$ harbour -k dinghy
.Ed
"""


def test_a_bsd_manual_page_is_read_as_man_shows_it(tmp_path: Path):
    """A page written with mdoc's macros (OpenSSH's ssh_config.5) prints its macros' arguments as mdoc does:
    ".Op Fl kq" is "[-kq]", ".Xr dock 8" is "dock(8)"; a tag list's item is its tag before its text."""
    doc = read_as(tmp_path, "harbour.1", MDOC_PAGE)
    assert doc.title == "HARBOUR(1)"
    assert units_under_title(doc) == [
        ("harbour - moor boats by the tide", "NAME"),
        ("harbour [-kq] boat", "SYNOPSIS"),
        ("harbour moors a boat, as dock(8) does.", "DESCRIPTION"),
        ("-k: Keep the boat moored (see TIDES).", "DESCRIPTION"),
        ("Rope length: Use a rope of length metres.", "DESCRIPTION"),
        ("A bullet item.", "DESCRIPTION"),
        ("$ harbour -k dinghy", "DESCRIPTION"),
    ]


MDOC_EXTENDED_TAGS = r""".Dd May 1 2024
.Dt HARBOUR 1
.Os
.Sh DESCRIPTION
A boat is named as
.Sm off
.Oo Ar owner @ Oc Ar boat
.Sm on
on the command line.
.Pp
Run it with
.Op Fl k | q
or
.Op Fl | Ar file
only.
.Bl -tag -width Ds
.It Fl L Xo
.Sm off
.Oo Ar quay : Oc
.Ar berth
.Sm on
.Xc
.It Fl L Xo
.Sm off
.Ar buoy
.Sm on
.Xc
Moors the boat at a berth or a buoy.
.It Xo Ic tide
.Op Fl v
.Xc
Prints the tide table; given twice
.Xo ( Fl v ) Xc
the moon's too.
.El
.Bl -tag -width Ds -compact
.It Cm Anchor
.It Cm Rope
.El
"""


def test_an_mdoc_tag_over_several_lines_is_one_tag_and_tags_without_text_share_the_next(tmp_path: Path):
    """OpenSSH's and tmux's pages write an item's tag over several lines (".It Fl L Xo" to ".Xc"), with
    ".Sm off" printing the words between with no space, as in "-L [bind_address:]port", or within one line
    (".Xo ( Fl CC ) Xc"); "Fl k | q" is "-k | -q"; two items with no text of their own head the text that
    follows, as roff's tags do; a list of names alone stays a line each."""
    doc = read_as(tmp_path, "harbour.1", MDOC_EXTENDED_TAGS)
    assert units_under_title(doc) == [
        ("A boat is named as [owner@]boat on the command line.", "DESCRIPTION"),
        ("Run it with [-k | -q] or [- | file] only.", "DESCRIPTION"),
        ("-L [quay:]berth, -L buoy: Moors the boat at a berth or a buoy.", "DESCRIPTION"),
        ("tide [-v]: Prints the tide table; given twice (-v) the moon's too.", "DESCRIPTION"),
        ("Anchor", "DESCRIPTION"),
        ("Rope", "DESCRIPTION"),
    ]


TEXINFO = r"""\input texinfo
@c A comment.
@setfilename harbour.info
@settitle Harbour Manual
@set VERSION 2.1
@copying
This manual is free.
@end copying
@titlepage
@title Harbour
@end titlepage
@node Top
@top Harbour Manual
@menu
* Mooring::   Tying up.
@end menu

@node Mooring
@chapter Mooring
@cindex mooring
Harbour @value{VERSION} moors a boat with @code{harbour}@footnote{Or by hand.}.
See @samp{harbour -k}. @xref{Tides}. Caf@'e boats wait@dots{}

@section Options
@table @option
@item -k
@itemx --keep
Keep the boat moored.
@end table

@itemize @bullet
@item
A bullet item.
@end itemize

@example
$ harbour -k dinghy
@end example

@deffn Command moor boat
Moor @var{boat}.
@end deffn

@multitable @columnfractions .5 .5
@headitem Boat @tab Ropes
@item dinghy @tab two
@end multitable

@ifhtml
Only on the web.
@end ifhtml
@ifinfo
In the manual, @uref{https://example.org, its site}.
@end ifinfo
@bye
"""


def test_a_texinfo_manual_is_read_as_its_info_manual_shows_it(tmp_path: Path):
    """A GNU manual's Texinfo source (doc/*.texi) was skipped as an unsupported type. Its sections head its
    text, inline commands print what they show, a table's items are tags before their text, a footnote follows
    its paragraph; comments, index entries, menus, the title page and the copying notice, and the HTML
    version of a passage are left out."""
    doc = read_as(tmp_path, "harbour.texi", TEXINFO)
    assert doc.title == "Harbour Manual"
    assert units_under_title(doc) == [
        ("Harbour 2.1 moors a boat with harbour.", "Mooring"),
        ("See \u2018harbour -k\u2019.", "Mooring"),
        ("See Tides.", "Mooring"),
        ("Caf\u00e9 boats wait...", "Mooring"),
        ("Or by hand.", "Mooring"),  # the footnote, after its paragraph
        ("-k, --keep: Keep the boat moored.", "Mooring \u203a Options"),
        ("A bullet item.", "Mooring \u203a Options"),
        ("$ harbour -k dinghy", "Mooring \u203a Options"),
        ("Command moor boat: Moor boat.", "Mooring \u203a Options"),
        ("Boat  Ropes", "Mooring \u203a Options"),
        ("dinghy  two", "Mooring \u203a Options"),
        ("In the manual, its site.", "Mooring \u203a Options"),
    ]


DOCBOOK = """<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//OASIS//DTD DocBook XML V4.1.2//EN"
  "http://www.oasis-open.org/docbook/xml/4.1.2/docbookx.dtd" [
  <!ENTITY version "2.1">
]>
<article>
  <articleinfo>
    <title>Harbour Guide</title>
    <author><firstname>Ann</firstname><surname>Lee</surname></author>
  </articleinfo>
  <sect1><title>Mooring</title>
    <para>Harbour &version; moors a boat, as <citerefentry><refentrytitle>dock</refentrytitle>
    <manvolnum>8</manvolnum></citerefentry> does.<indexterm><primary>mooring</primary></indexterm></para>
    <sect2><title>Options</title>
      <variablelist>
        <varlistentry><term><option>--keep</option></term>
          <listitem><para>Keep the boat moored.</para></listitem></varlistentry>
      </variablelist>
      <programlisting>$ harbour --keep dinghy</programlisting>
      <itemizedlist><listitem><para>A bullet item.</para></listitem></itemizedlist>
    </sect2>
  </sect1>
</article>
"""


def test_a_docbook_document_is_read_as_its_html_page(tmp_path: Path):
    """DocBook XML (a freedesktop.org specification, X.Org's manuals) was skipped as an unsupported type. It is
    read as the HTML page it becomes: its sections' titles head them, a term stands before its definition,
    code is left out as a page's <pre> is, the front matter but its title and the index entries are left
    out, the entities it declares are replaced. XML that is not DocBook is still not read."""
    doc = read_as(tmp_path, "guide.xml", DOCBOOK)
    assert doc.title == "Harbour Guide"
    assert units_under_title(doc) == [
        ("Harbour 2.1 moors a boat, as dock(8) does.", "Mooring"),
        ("--keep: Keep the boat moored.", "Mooring \u203a Options"),
        ("A bullet item.", "Mooring \u203a Options"),
    ]
    data = read_as(tmp_path, "signature.xml", '<?xml version="1.0"?>\n<Signature><Value>abc</Value></Signature>\n')
    assert isinstance(data, Skipped) and "not DocBook" in data.reason


def test_a_documentation_site_s_page_goes_under_what_its_title_says_beyond_its_heading(tmp_path: Path):
    """A documentation site's page heads its text with its own topic ("File system"); the site, the manual it
    belongs to, is in its <title> only ("File system | Node.js v20 Documentation"), so no sentence of
    Node.js' fs.html said "Node.js". A page whose title is its heading, or does not hold it, is as it was."""

    def heading(name: str, page: str) -> str:
        doc = read_as(tmp_path, name, page)
        return heading_at(doc.sections, doc.text.index("Reads"))

    body = "<h1>{}</h1><h2>fs.readFile</h2><p>Reads a whole file.</p>"
    page = "<html><head><title>{}</title></head><body>" + body + "</body></html>"
    assert heading("fs.html", page.format("File system | Node.js v20 Documentation", "File system")) == (
        "Node.js v20 Documentation \u203a File system \u203a fs.readFile"
    )
    assert heading("basics.html", page.format("The Basics (libffi: the portable FFI)", "2.1 The Basics")) == (
        "libffi: the portable FFI \u203a 2.1 The Basics \u203a fs.readFile"
    )
    assert heading("same.html", page.format("File system", "File system")) == "File system \u203a fs.readFile"
    assert heading("other.html", page.format("Welcome", "File system")) == "File system \u203a fs.readFile"
    # a title that runs on from its heading names no site: not "memo \u203a Office move", "Of SQLite \u203a ..."
    assert heading("memo.htm", page.format("Office move memo", "Office move")) == "Office move \u203a fs.readFile"
    assert heading("history.html", page.format("Release History Of SQLite", "Release History")) == (
        "Release History \u203a fs.readFile"
    )


APP = 'from flask import Flask\n\napp = Flask(__name__)\n\n@app.route("/")\ndef hello():\n    return "Hello"'


def test_a_code_block_after_a_paragraph_is_kept_as_code_cited_with_its_last_sentence(tmp_path: Path):
    """Flask's quickstart answers "How do I write a minimal application?" with "A minimal Flask application
    looks something like this:" and seven lines of code, which were left out: the sentence said nothing. In
    Markdown, reStructuredText (`::` and Sphinx's `code-block`) and HTML, a block too long to end its
    sentence, right after a paragraph under the same headings (leading into it with a colon or not), is kept
    in the text as written and cited with that paragraph's last sentence; it is never a sentence itself. A
    label ("Example:") goes with the block after it, as before; when the sentence goes on after the block
    ("... type:" [block] "into the terminal."), the block stays out."""
    rst_app = "\n".join(f"    {line}" if line else "" for line in APP.splitlines())
    sources = {
        "quick.md": (
            f"# Quickstart\n\nA minimal application looks something like this:\n\n```python\n{APP}\n```\n\n"
            f"Then it is run. Define the view in a module.\n\n```\n{APP}\n```\n\nExample:\n\n```\n{APP}\n```\n\n"
            f"To start it from the project's folder, type:\n\n```\n{APP}\n```\n\ninto the terminal.\n"
        ),
        "quick.rst": (
            f"Quickstart\n==========\n\nA minimal application looks something like this:\n\n"
            f".. code-block:: python\n    :linenos:\n\n{rst_app}\n\nThen it is run. Define the view in a module.\n\n"
            f".. code-block:: python\n\n{rst_app}\n\nExample::\n\n{rst_app}\n\n"
            f"To start it from the project's folder, type::\n\n{rst_app}\n\ninto the terminal.\n"
        ),
        "quick.html": (
            "<h1>Quickstart</h1><p>A minimal application looks something like this:</p>"
            f"<div class='highlight'><pre>{APP.replace('<', '&lt;')}</pre></div>"
            f"<p>Then it is run. Define the view in a module.</p><pre>{APP}</pre><p>Example:</p><pre>{APP}</pre>"
            f"<p>To start it from the project's folder, type:</p><pre>{APP}</pre><p>into the terminal.</p>"
        ),
    }
    for name, source in sources.items():
        (tmp_path / name).write_text(source)
        doc = load_file(tmp_path / name)
        sentences = chunk_document(doc)[0]
        assert [s.text for s in sentences] == [
            "A minimal application looks something like this:",
            "Then it is run.",
            "Define the view in a module.",
            "To start it from the project's folder, type: into the terminal.",
        ], name
        assert [s.code is not None for s in sentences] == [True, False, True, False], name
        for s in (sentences[0], sentences[2]):
            assert s.code is not None and s.code.text == APP, name
            assert doc.text[s.code.start : s.code.end] == APP and s.code.start == s.end + 2, name
        assert len(doc.code) == 2, name  # the label's block went with it, the one a sentence goes on after too
    # a block kept last does not reach under the next heading: an install command right under it is a unit
    (tmp_path / "libuv.md").write_text(
        f"# Build\n\nTo cross-compile with CMake:\n\n```\n{APP}\n```\n\n### Install with Homebrew\n\n"
        "```bash\n$ brew install --HEAD libuv\n```\n"
    )
    assert [s.text for s in chunk_document(load_file(tmp_path / "libuv.md"))[0]] == [
        "To cross-compile with CMake:",
        "$ brew install --HEAD libuv",
    ]


def test_a_sentence_s_code_is_kept_by_the_index_and_shown_after_it(tmp_path: Path, fake_calibration):
    """The code a sentence leads into comes back from the index with it: in the answer's JSON ("code": its
    text and span in the document's extracted text) and on the terminal, line by line under the sentence,
    a block longer than the terminal shows cut with where the rest is."""
    import io

    from conftest import FakeEmbedder, service
    from rich.console import Console

    from qa.interfaces.render import CODE_LINES_SHOWN, print_answer

    corpus = tmp_path / "docs"
    corpus.mkdir()
    long_app = "\n".join(f"setting_{i} = {i}" for i in range(CODE_LINES_SHOWN + 4))
    (corpus / "quick.md").write_text(
        f"# Quickstart\n\nA minimal application looks something like this:\n\n```python\n{APP}\n```\n\n"
        f"Every setting of a configuration file is listed here:\n\n```\n{long_app}\n```\n\n"
        "Templates live in a folder of their own.\n"
    )
    engine = service(corpus, tmp_path / "idx", FakeEmbedder(), calibration=fake_calibration)
    answer = engine.ask("What does a minimal application look like?")
    top = answer.to_json()["sentences"][0]
    assert top["text"] == "A minimal application looks something like this:"
    text = load_file(corpus / "quick.md").text
    assert top["code"]["text"] == APP == text[top["code"]["start"] : top["code"]["end"]]
    others = [s for s in answer.to_json()["sentences"] if s["text"].startswith("Templates")]
    assert others and "code" not in others[0]

    out = io.StringIO()
    print_answer(answer, 1, Console(file=out, width=100, soft_wrap=True))
    shown = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(shown) if "A minimal application" in line)
    assert [line.strip() for line in shown[at + 1 : at + 8]] == [line.strip() for line in APP.splitlines()]
    assert shown[at + 6] == "    def hello():" and shown[at + 7] == '        return "Hello"'

    answer = engine.ask("Which settings does the configuration file list?")
    assert answer.sentences[0].sentence.text == "Every setting of a configuration file is listed here:"
    out = io.StringIO()
    print_answer(answer, 1, Console(file=out, width=100, soft_wrap=True))
    shown = out.getvalue()
    assert f"setting_{CODE_LINES_SHOWN - 1} = " in shown and f"setting_{CODE_LINES_SHOWN} = " not in shown
    code = answer.sentences[0].sentence.code
    assert code is not None and f"\u2026 4 more lines: {answer.sentences[0].sentence.doc}:{code.start}-{code.end}" in shown


def test_a_question_answered_only_by_code_stays_a_sentence_shown_with_its_code(tmp_path: Path):
    """peewee's query library asks "How can you produce a list of all facilities with the word 'Tennis' in
    their name?" over its SQL: with the code kept, each question had a block after it and was read as a FAQ
    question heading its answer, a heading and no sentence. Code is no answer of prose: the question stays
    a sentence, cited with its code."""
    source = "# Exercises\n\n" + "".join(
        f"How can you list the facilities named {name}?\n\n```sql\nSELECT * FROM facilities\nWHERE name ILIKE '%{name}%'\n"
        "ORDER BY name\nLIMIT 10;\n```\n\n"
        for name in ("tennis", "squash", "badminton")
    )
    (tmp_path / "library.md").write_text(source)
    sentences = chunk_document(load_file(tmp_path / "library.md"))[0]
    assert [s.text for s in sentences] == [f"How can you list the facilities named {n}?" for n in ("tennis", "squash", "badminton")]
    assert all(s.code is not None and s.code.text.startswith("SELECT * FROM facilities") for s in sentences)


def test_an_attached_document_s_code_stays_code_in_its_message(tmp_path: Path):
    """A Markdown file attached to a message is read as it would be alone: its code block is cited with the
    sentence before it, never a sentence of its message."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ann@example.org", "bob@example.org", "Deploy notes"
    message.set_content("Hi Bob,\n\nThe notes are attached.\n")
    notes = f"# Deploying\n\nA minimal application looks something like this:\n\n```python\n{APP}\n```\n\nThen it is run.\n"
    message.add_attachment(notes, filename="notes.md")
    (tmp_path / "notes.eml").write_bytes(bytes(message))
    doc = load_file(tmp_path / "notes.eml")
    sentences = chunk_document(doc)[0]
    texts = [s.text for s in sentences]
    assert "A minimal application looks something like this:" in texts and "Then it is run." in texts
    assert not any("Flask" in t for t in texts)
    lead = sentences[texts.index("A minimal application looks something like this:")]
    assert lead.code is not None and lead.code.text == APP == doc.text[lead.code.start : lead.code.end]


def test_a_name_only_a_sentence_s_code_uses_is_matched_by_the_word_match(tmp_path: Path, fake_calibration):
    """Flask's "How do you get access to the application with the config? Use current_app:" says
    current_app in its code only. A sentence's terms are counted with the start of its code: the word
    match finds it for a question naming what only its code says."""
    from conftest import FakeEmbedder, service

    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "files.md").write_text(
        "# Files\n\nUploaded files are kept in a folder of their own.\n\nServe them from that folder like this:\n\n"
        "```python\n@app.route('/uploads/<name>')\ndef download_file(name):\n    # the folder is checked first\n"
        "    return send_from_directory(app.config['UPLOAD_FOLDER'], name)\n```\n\n"
        "The folder must exist before the first upload.\n"
    )
    engine = service(corpus, tmp_path / "idx", FakeEmbedder(), calibration=fake_calibration)
    answer = engine.ask("When is send_from_directory used?")
    assert answer.sentences[0].sentence.text == "Serve them from that folder like this:"


def test_a_code_block_beside_its_line_numbers_is_code_not_a_table_row(tmp_path: Path):
    """Sphinx and MkDocs write a code block with line numbers as Pygments' "highlighttable": a table of two
    cells, the numbers' <pre> and the code's; Hugo's "lntable" the same way. Read as a table it was one unit,
    "1 2 3 4 | from flask import Flask app = ...". It is the code block it shows, kept after the paragraph
    leading into it; a table that holds code among prose stays a table."""
    code = 'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef hello():\n    return "Hi"'
    numbers = "\n".join(str(n) for n in range(1, 6))
    sphinx = (
        '<div class="highlight-python notranslate"><table class="highlighttable"><tr><td class="linenos">'
        f'<div class="linenodiv"><pre>{numbers}</pre></div></td><td class="code"><div class="highlight">'
        f"<pre>{code}</pre></div></td></tr></table></div>"
    )
    hugo = (
        '<div class="highlight"><div class="chroma"><table class="lntable"><tr><td class="lntd"><pre class="chroma">'
        f'<code>{numbers}</code></pre></td><td class="lntd"><pre class="chroma"><code>{code}</code></pre></td>'
        "</tr></table></div></div>"
    )
    prose_table = "<table><tr><td>Run it</td><td><pre>flask run</pre></td></tr><tr><td>Test it</td><td>pytest</td></tr></table>"
    for name, block in (("sphinx.html", sphinx), ("hugo.html", hugo)):
        (tmp_path / name).write_text(
            f"<h1>Quickstart</h1><p>A minimal application looks something like this:</p>{block}<p>Then it is run.</p>"
            f"{prose_table}"
        )
        sentences = chunk_document(load_file(tmp_path / name))[0]
        assert [s.text for s in sentences] == [
            "A minimal application looks something like this:",
            "Then it is run.",
            "Run it: flask run",  # a table of labels and values, read as pairs
            "Test it: pytest",
        ], name
        assert sentences[0].code is not None and sentences[0].code.text == code, name
    # a page laid out in a table, an example among its text and an empty cell beside it: its text is read
    (tmp_path / "layout.html").write_text(
        "<table><tr><td> </td><td><p>The latest versions can be found on the server.</p><pre>make\nmake install</pre>"
        "<p>Igor is now the maintainer of the Windows port.</p></td><td>2</td></tr></table>"
    )
    texts = [s.text for s in chunk_document(load_file(tmp_path / "layout.html"))[0]]
    assert any("Igor is now the maintainer of the Windows port." in t for t in texts), texts


def test_a_sentence_speaking_of_the_code_above_it_is_shown_with_that_code(tmp_path: Path, fake_calibration):
    """Flask answers "How do I limit the size of uploads?" with "The code above will limit the maximum
    allowed payload to 16 megabytes.", and its favicon page says "The above will serve the icon via your
    application" a paragraph after the view it means: without the block, neither says how. A sentence that
    speaks of the code above it is shown with the block before it, under the same headings, at most a
    paragraph away; a block nothing led into (right under a heading) is kept for the paragraph after it,
    which says what it is (an API reference's signature, then what the function does). "This code finds every
    link: ..." leads on, and a block under the heading before is not the one meant."""
    from conftest import FakeEmbedder, service

    limit = "app = Flask(__name__)\napp.config['MAX_CONTENT_LENGTH'] = 16 * 1000 * 1000\napp.run()\nprint(app)"

    def md(code: str) -> str:
        return f"```python\n{code}\n```"

    def rst(code: str) -> str:
        return ".. code-block:: python\n\n" + "\n".join(f"    {line}" if line else "" for line in code.splitlines())

    def source(block, title) -> str:
        return (
            f"{title('Uploads', 1)}You can limit uploads with a config key.\n\n{block(limit)}\n\n"
            "The code above will limit the maximum allowed payload to 16 megabytes.\n\n"
            f"{title('Favicon', 2)}Write a view for the icon.\n\n{block(APP)}\n\nWe can leave out the mimetype.\n\n"
            "The above will serve the icon via your application.\n\n"
            f"{title('Links', 2)}This code finds every link: soup.find_all\n\n"
            f"{title('Static', 2)}{block(APP)}\n\nThe example above serves static files.\n\n"
            f"{title('Unused', 2)}{block(APP)}\n\nNothing here speaks of it.\n\n"
            f"{title('Later', 2)}In the example above, the view returns a greeting.\n"
        )

    sources = {
        "uploads.md": source(md, lambda text, level: f"{'#' * level} {text}\n\n"),
        "uploads.rst": source(rst, lambda text, level: f"{text}\n{'=-'[level - 1] * len(text)}\n\n"),
    }
    for name, text in sources.items():
        (tmp_path / name).write_text(text)
        doc = load_file(tmp_path / name)
        by_text = {s.text: s for s in chunk_document(doc)[0]}
        lead_in = by_text["You can limit uploads with a config key."]
        above = by_text["The code above will limit the maximum allowed payload to 16 megabytes."]
        assert lead_in.code is not None and lead_in.code.text == limit, name
        assert above.code == lead_in.code, name  # the block it leads into is the one the next speaks of
        served = by_text["The above will serve the icon via your application."]
        assert served.code is not None and served.code == by_text["Write a view for the icon."].code, name
        assert served.code.text == APP == doc.text[served.code.start : served.code.end], name  # a paragraph away
        assert by_text["We can leave out the mimetype."].code is None, name
        assert by_text["This code finds every link: soup.find_all"].code is None, name
        static = by_text["The example above serves static files."].code
        assert static is not None and static.text == APP and static.end + 2 == by_text[
            "The example above serves static files."
        ].start, name  # right under its heading, nothing led into it: kept for the sentence after it
        assert by_text["In the example above, the view returns a greeting."].code is None, name  # another heading
        unused = by_text["Nothing here speaks of it."].code  # the first paragraph after a block under its heading
        assert unused is not None and unused.text == APP and unused.end + 2 == by_text["Nothing here speaks of it."].start
        assert len(doc.code) == 4, name

    # the index gives it back with the sentence, as the chunker made it
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "uploads.md").write_text(sources["uploads.md"])
    engine = service(corpus, tmp_path / "idx", FakeEmbedder(), calibration=fake_calibration)
    answer = engine.ask("What will limit the maximum allowed payload to 16 megabytes?")
    top = answer.to_json()["sentences"][0]
    assert top["text"] == "The code above will limit the maximum allowed payload to 16 megabytes."
    assert top["code"]["text"] == limit


def test_a_block_right_under_a_heading_is_shown_with_the_first_sentence_after_it(tmp_path: Path):
    """CMake's reference heads each form of a command with its signature, then says what it does ("Normal
    Executables" over "add_executable(<name> ...)" and "Adds an executable target called <name> ..."), and a
    README's "Installation" shows its commands first: the block was left out, and no answer showed it."""
    signature = "add_executable(<name> [WIN32] [MACOSX_BUNDLE]\n               [source1] [source2 ...])"
    rst_block = ".. code-block:: cmake\n\n" + "\n".join(f"  {line}" for line in signature.splitlines())
    sources = {
        "add_executable.rst": (
            "add_executable\n--------------\n\nAdd an executable to the project.\n\nNormal Executables\n"
            f"^^^^^^^^^^^^^^^^^^\n\n{rst_block}\n\nAdds an executable target called ``<name>``. It must be unique.\n\n"
            f"Alias Executables\n^^^^^^^^^^^^^^^^^\n\n{rst_block}\n\nImported Executables\n^^^^^^^^^^^^^^^^^^^^\n\n"
            "An imported executable is built elsewhere.\n"
        ),
        "add_executable.md": (
            "# add_executable\n\nAdd an executable to the project.\n\n## Normal Executables\n\n"
            f"```cmake\n{signature}\n```\n\nAdds an executable target called `<name>`. It must be unique.\n\n"
            f"## Alias Executables\n\n```cmake\n{signature}\n```\n\n## Imported Executables\n\n"
            "An imported executable is built elsewhere.\n"
        ),
    }
    for name, source in sources.items():
        doc = read_as(tmp_path, name, source)
        by_text = {s.text: s for s in chunk_document(doc)[0]}
        adds = by_text["Adds an executable target called <name>."]
        assert adds.code is not None and adds.code.text == signature, name
        assert by_text["It must be unique."].code is None, name  # the first sentence after it only
        assert by_text["An imported executable is built elsewhere."].code is None, name  # under another heading
        assert len(doc.code) == 1, name  # a block with no paragraph after it under its heading stays out


def test_a_catalogue_s_entries_are_read_after_their_names(tmp_path: Path):
    """A list of packages heads each one's description with its name ("BarCache" over "Response caching
    middleware backed by Redis."), and the name was in no sentence: "Which package caches responses?" was
    answered with a description that never says which. A run of three sibling sections or more, each a short
    name over one short paragraph that does not open with it, is a catalogue: each paragraph is read after its
    name ("BarCache: Response caching ..."), in Markdown, reStructuredText and HTML. Two such sections are no
    run, and a section of two paragraphs is no entry; one whose paragraph opens with its name ("Mangum is an
    adapter ...") is an entry that needs no name before it. Entries under headings with no text of their own
    (the catalogue's categories) make one run."""
    entries = [
        ("Foo-Auth", "Simple session-based login, with remember-me cookies."),
        ("Mangum", "Mangum is an adapter for running apps on AWS Lambda."),
        ("BarCache", "Response caching middleware backed by Redis or memory."),
        ("Zap", "A small REST framework with automatic OpenAPI schemas."),
    ]
    tail = [("Install", "Use pip."), ("Usage", "Import it.")]
    sources = {
        "packages.md": "# Packages\n\nSome packages build on it.\n\n## Plugins\n\n"
        + "".join(f"### {name}\n\n[GitHub](https://example.org/{name}) | [Docs](https://example.org)\n\n{text}\n\n" for name, text in entries)
        + "## Guide\n\nHow to use it.\n\n"
        + "".join(f"### {name}\n\n{text}\n\n" for name, text in tail)
        + "### Static\n\nFiles are served.\n\nFolders too.\n",
        "packages.rst": "Packages\n========\n\nSome packages build on it.\n\nPlugins\n-------\n\n"
        + "".join(f"{name}\n{'~' * len(name)}\n\n{text}\n\n" for name, text in entries)
        + "Guide\n-----\n\nHow to use it.\n\n"
        + "".join(f"{name}\n{'~' * len(name)}\n\n{text}\n\n" for name, text in tail)
        + "Static\n~~~~~~\n\nFiles are served.\n\nFolders too.\n",
        "packages.html": "<h1>Packages</h1><p>Some packages build on it.</p><h2>Plugins</h2>"
        + "".join(f"<h3>{name}</h3><p><a href='https://example.org'>GitHub</a> | <a href='https://example.org/d'>Docs</a></p><p>{text}</p>" for name, text in entries)
        + "<h2>Guide</h2><p>How to use it.</p>"
        + "".join(f"<h3>{name}</h3><p>{text}</p>" for name, text in tail)
        + "<h3>Static</h3><p>Files are served.</p><p>Folders too.</p>",
    }
    for name, source in sources.items():
        (tmp_path / name).write_text(source)
        doc = load_file(tmp_path / name)
        sentences = chunk_document(doc)[0]
        # the links under each name are where they lead, a record of their own, and no entry's paragraph
        links = {
            "packages.md": lambda entry: [f"GitHub: https://example.org/{entry}; Docs: https://example.org"],
            "packages.rst": lambda entry: [],
            "packages.html": lambda entry: ["GitHub: https://example.org; Docs: https://example.org/d"],
        }[name]
        assert [s.text for s in sentences] == [
            "Some packages build on it.",
            *(t for entry, text in entries for t in [*links(entry), text if text.startswith(entry) else f"{entry}: {text}"]),
            "How to use it.",  # a section with text of its own ends the run
            "Use pip.",  # two entries only under "Guide" (the run of two broken by "Static"): no catalogue
            "Import it.",
            "Files are served.",
            "Folders too.",
        ], name
        for s in sentences:
            assert doc.text[s.start : s.end] == s.text, name
        cache = next(s for s in sentences if s.text.startswith("BarCache: "))
        assert heading_at(doc.sections, cache.start).endswith("Plugins \u203a BarCache"), name
        assert heading_at(doc.sections, sentences[-1].start).endswith("Guide \u203a Static"), name


def test_an_api_reference_s_entries_with_examples_are_read_after_their_names(tmp_path: Path):
    """An API reference heads each class with its name and shows an example under its description
    ("HTMLResponse" over "Takes some text or bytes and returns an HTML response." and its code): an entry
    too, read after its name, its example still its code. A guide's sections of one paragraph and an example
    under headings that are words, not names written as code ("Favicon"), stay as they are."""
    example = "response = HTMLResponse('<p>Hello</p>')\nreturn response\n# sent as it is\nprint(response)"
    reference = "# Responses\n\nStarlette includes a few response classes.\n\n" + "".join(
        f"### {name}\n\n{text}\n\n```python\n{example}\n```\n\n"
        for name, text in (
            ("HTMLResponse", "Takes some text or bytes and returns an HTML response."),
            ("PlainTextResponse", "Takes some text or bytes and returns a plain text response."),
            ("JSONResponse", "Takes some data and returns an application/json encoded response."),
        )
    )
    guide = "# Guide\n\nHow to serve things.\n\n" + "".join(
        f"## {name}\n\n{text}\n\n```python\n{example}\n```\n\n"
        for name, text in (("Favicon", "Write a view for the icon."), ("Pages", "Return the page."), ("Files", "Send the file."))
    )
    (tmp_path / "responses.md").write_text(reference)
    (tmp_path / "guide.md").write_text(guide)
    sentences = chunk_document(load_file(tmp_path / "responses.md"))[0]
    assert [s.text for s in sentences] == [
        "Starlette includes a few response classes.",
        "HTMLResponse: Takes some text or bytes and returns an HTML response.",
        "PlainTextResponse: Takes some text or bytes and returns a plain text response.",
        "JSONResponse: Takes some data and returns an application/json encoded response.",
    ]
    assert all(s.code is not None and s.code.text == example for s in sentences[1:])
    assert [s.text for s in chunk_document(load_file(tmp_path / "guide.md"))[0]] == [
        "How to serve things.",
        "Write a view for the icon.",
        "Return the page.",
        "Send the file.",
    ]


def test_a_reference_s_entries_under_names_written_as_code_read_their_first_paragraph_after_the_name(tmp_path: Path):
    """A settings reference heads each setting with its name and says more than one paragraph of it
    ("site_url" over what it is, then more): the first paragraph was read without the name, which only the
    heading held, so "Which setting sets the canonical URL?" was answered with a sentence that never says which.
    Under names written as code (three or more in a run), the first paragraph is read after the name; a
    release's changes ("Version 1.2.0") and a page's title over its introduction are not entries."""
    (tmp_path / "configuration.md").write_text(
        "# Configuration\n\nThe settings live in one file.\n\n## Options\n\n"
        "### site_name\n\nThe main title of the documentation.\n\n```yaml\nsite_name: My Docs\n```\n\n"
        "It is shown in the title bar.\n\n"
        "### site_url\n\nSet the canonical URL of the site.\n\nMore about addresses.\n\n"
        "### nav\n\nThe navigation of the site.\n\nEach entry is a page.\n\n"
        "## Releases\n\n### Version 1.2.0\n\nFixed a crash.\n\nFaster.\n\n### Version 1.1.0\n\nFirst release.\n\n"
        "More pages.\n\n### Version 1.0.0\n\nBeta.\n\nDocs.\n"
    )
    assert [s.text for s in chunk_document(load_file(tmp_path / "configuration.md"))[0]] == [
        "The settings live in one file.",
        "site_name: The main title of the documentation.",
        "It is shown in the title bar.",
        "site_url: Set the canonical URL of the site.",
        "More about addresses.",
        "nav: The navigation of the site.",
        "Each entry is a page.",
        "Fixed a crash.",
        "Faster.",
        "First release.",
        "More pages.",
        "Beta.",
        "Docs.",
    ]


# A book's plain-text dump as a text browser writes it (DocBook's text output): its contents and its list of
# tables up front, a preface with numbered sections before the chapters, some margins of no-break spaces
BOOK_DUMP = """Debian Reference

Table of Contents

Preface
    1. Disclaimer
    2. What is Debian
1. GNU/Linux tutorials
    1.1. Console basics
    1.2. The umask
A. Appendix
    A.1. The Debian maze

List of Tables

1.1. List of interesting text-mode program packages
1.2. The umask value examples with a caption long enough to wrap onto
the next line

Preface

1. Disclaimer

All warranties are disclaimed.

2. What is Debian

The Debian Project is an association of individuals.

Chapter\u00a01.\u00a0GNU/Linux tutorials

    Note

    Learning a computer system is like learning a new foreign language.

1.1. Console basics

    Table\u00a01.1.\u00a0List of interesting text-mode program packages

    The shell prompt is where you type commands.

1.2. The umask

    Table\u00a01.2.\u00a0The umask value examples with a caption long enough
    to wrap onto the next line

    A simple command is a sequence of components.

     1. Variable assignments (optional)

     2. Command name

\u00a0\u00a0\u00a0  3. Arguments (optional)

     4. Redirections (optional: > , >> , < )

    The umask restricts the permissions of new files.

Appendix\u00a0A.\u00a0Appendix

A.1. The Debian maze

    The Debian system offers many choices.
"""


def test_a_books_text_dump_reads_its_chapters_without_its_contents_or_list_of_tables(tmp_path: Path):
    """A book saved as plain text by a text browser lists its contents and its tables' captions up front; the
    contents name the chapters without the word "Chapter", and the captions without "Table": both lists are
    no text (each read as sentences, "1.4. List of the first character of "ls -l" output" answered a question
    on `ls -l` at 0.76). The chapters head their numbered sections though a preface's "1. Disclaimer" came
    first (every chapter was read under the preface's last section), a list's item indented with no-break
    spaces ("3. Arguments (optional)") heads nothing, and an admonition's "Note" is no subtitle."""
    path = tmp_path / "reference.txt"
    path.write_text(BOOK_DUMP)
    doc = load_file(path)
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert not any(s.startswith(("List of", "Table of", "Console basics", "1.1.", "1.2.")) for s in sentences)
    assert "Table 1.1. List of interesting text-mode program packages" in sentences  # the caption, no-break spaces as spaces
    assert "All warranties are disclaimed." in sentences and "What is Debian" not in sentences
    assert heading_of(doc, "The Debian Project") == "Debian Reference › Preface › 2. What is Debian"
    assert heading_of(doc, "All warranties") == "Debian Reference › Preface › 1. Disclaimer"
    assert heading_of(doc, "Learning a computer") == "Debian Reference › Chapter 1. GNU/Linux tutorials"
    assert heading_of(doc, "The shell prompt") == "Debian Reference › Chapter 1. GNU/Linux tutorials › 1.1. Console basics"
    assert heading_of(doc, "The umask restricts") == "Debian Reference › Chapter 1. GNU/Linux tutorials › 1.2. The umask"
    assert heading_of(doc, "The Debian system offers") == "Debian Reference › Appendix A. Appendix › A.1. The Debian maze"


def test_docbook_s_list_of_tables_is_no_text(tmp_path: Path):
    """DocBook's HTML index page lists its tables' captions after its contents (<div class="list-of-tables">),
    each a link to its table: no text, as the contents are not."""
    path = tmp_path / "index.html"
    path.write_text(
        '<html><body><div class="book"><div class="toc"><p><b>Table of Contents</b></p><dl><dt>'
        '<a href="ch01.html">1. GNU/Linux tutorials</a></dt></dl></div><div class="list-of-tables"><p><strong>'
        'List of Tables</strong></p><dl><dt>1.4. <a href="ch01.html#t">List of the first character of "ls -l" '
        "output</a></dt></dl></div><p>This book is free software.</p></div></body></html>"
    )
    assert [s.text for s in chunk_document(load_file(path))[0]] == ["This book is free software."]


def test_a_tables_caption_heads_its_rows_only(tmp_path: Path):
    """A table's caption (<caption>, or DocBook's <p class="title"> atop its <div class="table">) is no
    sentence of its own, which said nothing and matched a question on what the rows say best: it heads the
    table's rows, and what follows the table is read under the headings above it again."""
    path = tmp_path / "ch01.html"
    path.write_text(
        "<html><body><h1>Permissions</h1><p>Files have modes.</p><table><caption>Table 1.4. The first "
        "character of ls -l output</caption><thead><tr><th>character</th><th>meaning</th></tr></thead><tbody>"
        "<tr><td>-</td><td>normal file</td></tr><tr><td>d</td><td>directory</td></tr></tbody></table>"
        '<div class="table"><p class="title"><strong>Table 1.5. The numeric mode</strong></p><div '
        'class="table-contents"><table><thead><tr><th>mode</th><th>meaning</th></tr></thead><tbody><tr><td>1'
        "</td><td>execute</td></tr><tr><td>2</td><td>write</td></tr></tbody></table></div></div>"
        "<p>Modes add up.</p></body></html>"
    )
    doc = load_file(path)
    assert [s.text for s in chunk_document(doc)[0]] == [
        "Files have modes.",
        "character: -; meaning: normal file",
        "character: d; meaning: directory",
        "mode: 1; meaning: execute",
        "mode: 2; meaning: write",
        "Modes add up.",
    ]
    assert heading_of(doc, "character: d") == "Permissions › Table 1.4. The first character of ls -l output"
    assert heading_of(doc, "mode: 2") == "Permissions › Table 1.5. The numeric mode"
    assert heading_of(doc, "Modes add up") == "Permissions"


def test_a_faqs_text_dump_reads_each_question_as_the_heading_of_its_answer(tmp_path: Path):
    """The Debian FAQ's text version numbers its questions with a no-break space after the number
    ("1.1.\\u00a0What is this FAQ?"), and wraps a long one over three lines, in its contents and again (at other
    words) over its answer: the questions the contents name head their answers (they were sentences, and the
    answers were read under the chapter alone), and a rule under the title is no subtitle."""
    path = tmp_path / "faq.txt"
    path.write_text(
        "                      The Debian FAQ\n\n-------------------------------------\n\n"
        "Table of Contents\n\n1. Definitions and overview\n    1.1. What is this FAQ?\n"
        "    1.2. What is the difference between Debian GNU/Linux and other\n"
        "    Linux distributions? Why should I choose Debian over some other\n    distribution?\n\n"
        "Chapter\u00a01.\u00a0Definitions and overview\n\n1.1.\u00a0What is this FAQ?\n\n"
        "    This document answers frequently asked questions.\n\n"
        "1.2.\u00a0What is the difference between Debian GNU/Linux and other Linux\n"
        "distributions? Why should I choose Debian over some other\ndistribution?\n\n"
        "    Debian is built by volunteers.\n"
    )
    doc = load_file(path)
    assert doc.title == "The Debian FAQ"
    assert [s.text for s in chunk_document(doc)[0]] == [
        "This document answers frequently asked questions.",
        "Debian is built by volunteers.",
    ]
    assert heading_of(doc, "This document") == "The Debian FAQ › Chapter 1. Definitions and overview › 1.1. What is this FAQ?"
    assert heading_of(doc, "Debian is built").endswith(
        "› 1.2. What is the difference between Debian GNU/Linux and other Linux distributions? Why should I choose "
        "Debian over some other distribution?"
    )


def test_a_terminal_session_in_plain_text_is_code_not_sentences(tmp_path: Path):
    """A block opening with a command at a shell's prompt and showing what it printed ("Enter passphrase for
    ...") is a terminal session: one answered "How do I set a passphrase on an existing SSH key?" (0.57). It is code,
    left out of the sentences. A command alone ("$ make test") stays a sentence, and so does a block a
    sentence leads into with a colon, read as that sentence's end."""
    path = tmp_path / "README"
    path.write_text(
        "Foo\n===\n\nInstall it with:\n\n    $ pip install foo\n\nThen run it.\n\n"
        "If a pass phrase was not set, use ssh-keygen -p to set it, then add the key as below.\n\n"
        "    $ ssh-add ~/.ssh/id_rsa\n    Enter passphrase for /home/username/.ssh/id_rsa:\n"
        "    Identity added: /home/username/.ssh/id_rsa\n\nTesting\n-------\n\n$ make test\n\nThat runs the suite.\n"
    )
    assert [s.text for s in chunk_document(load_file(path))[0]] == [
        "Install it with:\n\n    $ pip install foo",
        "Then run it.",
        "If a pass phrase was not set, use ssh-keygen -p to set it, then add the key as below.",
        "$ make test",
        "That runs the suite.",
    ]


def test_a_terminals_formatting_saved_with_a_text_is_no_text(tmp_path: Path):
    """ANSI escape sequences (a log saved from a terminal in colour, a manual rendered by grotty) and nroff's
    overstrikes (bold, underlined) are left out of the text: the words read as they show on the terminal."""
    path = tmp_path / "build-output"  # no extension: read as text by its content, escapes and all
    path.write_bytes(
        b"\x1b[1mN\x08NA\x08AM\x08ME\x1b[0m\n\nThe \x1b[32mtests passed\x1b[0m in 12 s on _\x08m_\x08a_\x08i_\x08n.\n\n"
        b"\x1b]0;title\x07Done with \x1b[38;5;196m2 warnings\x1b[m.\n"
    )
    doc = load_file(path)
    sentences = chunk_document(doc)[0]
    assert [s.text for s in sentences] == ["The tests passed in 12 s on main.", "Done with 2 warnings."]
    assert heading_at(doc.sections, sentences[0].start) == "NAME"  # a heading in capitals, as it shows
    assert "\x1b" not in doc.text and "\x08" not in doc.text
    path.write_bytes(b"Options:\n\n  +\bo the first\n  +\bo the second\n")  # nroff's bullet: "+" struck over "o"
    assert [s.text for s in chunk_document(load_file(path))[0]] == ["Options:", "the first", "the second"]
    path.write_bytes(b"\x1b[1mBold\x1b[0m " * 400)  # as many escapes as a README in colour has: still text
    assert not isinstance(load_file(path), Skipped)
