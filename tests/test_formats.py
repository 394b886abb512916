"""Real-world files: formats, encodings, junk. Loaders never raise for what is inside a file."""

import json
import re
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, heading_paths, paragraphs_of, prose
from docfactory import HTML_PAGE, messy_folder, write_docx, write_pdf, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.ingest.chunking import _LEADING_MARKER, chunk_document
from qa.ingest.loaders import Skipped, load_file
from qa.types import Document


def test_pdf_text_per_page_and_page_numbers(tmp_path: Path):
    path = tmp_path / "r.pdf"
    write_pdf(path, [["First page says hello."], ["Second page says goodbye."]])
    doc = load_file(path)
    assert isinstance(doc, Document) and len(doc.pages) == 2
    sentences, _ = chunk_document(doc)
    assert [(s.text, s.page) for s in sentences] == [("First page says hello.", 1), ("Second page says goodbye.", 2)]



def test_pdf_justified_lines_keep_their_word_spaces(tmp_path: Path):
    """Justified text is drawn as words set apart, with no space characters between them: the spaces come
    from where the words are drawn (a plain text layer glued "requiresavalue" in the LaTeX manuals)."""
    path = tmp_path / "j.pdf"
    write_pdf(path, [["Each embellishment requires a value.", "It is given as a token."]], font="Courier", word_gap=250)
    doc = load_file(path)
    assert [s.text for s in chunk_document(doc)[0]] == ["Each embellishment requires a value.", "It is given as a token."]


def test_encrypted_pdfs(tmp_path: Path):
    """tests/fixtures/pdf: docfactory's one-page PDF encrypted (RC4, 128 bits) by pypdf, once with the user
    password "hunter2" and once with an empty one, as PDFs that may be printed but not edited often are."""
    folder = REPO / "tests" / "fixtures" / "pdf"
    locked = load_file(folder / "locked.pdf")
    assert isinstance(locked, Skipped) and locked.reason == "encrypted PDF"
    readable = load_file(folder / "no-user-password.pdf")
    assert isinstance(readable, Document) and readable.text == "Secret page text."

def test_html_main_text_only(tmp_path: Path):
    path = tmp_path / "p.html"
    path.write_text(HTML_PAGE)
    doc = load_file(path)
    assert doc.title == "Glacier notes"
    assert "largest glacier in the Alps. It covers about 81 square kilometres." in doc.text
    for junk in ("swordfish", "Injected", "Menu entry", "About us", "banner", "Copyright", "color: red"):
        assert junk not in doc.text


def test_a_word_break_opportunity_in_html_joins_the_words_either_side(tmp_path: Path):
    """Rust's documentation breaks long names with <wbr> (24,657 on one page): a heading read as "Function
    _mm256_ cvtepi32_ epi16", a table cell as "Layout Err"; and BeautifulSoup's html.parser builder looked every
    end tag up among the empty elements met so far, so that page took 8.7 s to read."""
    doc, _ = paragraphs_of(
        tmp_path,
        "fn.html",
        "<html><body><h1>Function _mm256_<wbr>cvtepi32_<wbr>epi16</h1><p>Converts packed<wbr/> 32-bit integers.</p>"
        "<table><tr><th>Name</th><th>Kind</th></tr><tr><td>Layout<wbr>Err</td><td>type alias</td></tr>"
        "<tr><td>Global</td><td>struct</td></tr></table></body></html>"
    )
    assert heading_paths(doc, ["Converts"]) == {"Converts": "Function _mm256_cvtepi32_epi16"}
    assert "Converts packed 32-bit integers." in doc.text
    assert "Name: LayoutErr; Kind: type alias" in doc.text


def test_a_button_beside_a_headings_words_is_left_out_a_button_that_is_the_heading_stays(tmp_path: Path):
    """Rust's documentation heads each item with its name and a "Copy item path" button, and the heading read
    "Function vld1q_dup_u64 Copy item path"; an accordion's toggle is its heading's only text, and stays."""
    doc, _ = paragraphs_of(
        tmp_path,
        "fn.html",
        "<html><body><h1>Function <span>vld1q_dup_u64</span><button id='copy-path' title='Copy item path to "
        "clipboard'>Copy item path</button></h1><p>Loads one element.</p>"
        "<h2><button aria-expanded='false'>Can it load two?</button></h2><p>Use vld2q_dup_u64.</p></body></html>"
    )
    assert heading_paths(doc, ["Loads", "Use"]) == {
        "Loads": "Function vld1q_dup_u64", "Use": "Function vld1q_dup_u64 \u203a Can it load two?"
    }  # fmt: skip


def test_a_saved_wiki_pages_edit_links_and_sphinxs_source_links_are_not_text(tmp_path: Path):
    """A Wikipedia page as a browser saves it heads each section "History [edit]" (older markup) or follows the
    heading with "[edit]", read as a paragraph (newer); Sphinx's API pages end a signature with "[source]"."""
    doc, _ = paragraphs_of(
        tmp_path,
        "page.html",
        "<html><head><title>Pungsan dog - Wikipedia</title></head><body><main><h1>Pungsan dog</h1>"
        "<p>The Pungsan is a hunting dog.</p><h2><span class='mw-headline'>History</span><span class='mw-editsection'>"
        "<span class='mw-editsection-bracket'>[</span><a href='/w/index.php?action=edit'>edit</a>"
        "<span class='mw-editsection-bracket'>]</span></span></h2><p>It comes from Ryanggang.</p>"
        "<div class='mw-heading mw-heading2'><h2>Appearance</h2><span class='mw-editsection'>"
        "<span class='mw-editsection-bracket'>[</span><a href='/w/index.php?action=edit&section=2'>edit</a>"
        "<span class='mw-editsection-bracket'>]</span></span></div><p>Pungsans are white.</p>"
        "<h3><code>flask.Flask(import_name)</code><a href='_modules/flask/app.html#Flask'>"
        "<span class='viewcode-link'>[source]</span></a></h3><p>The flask object is a WSGI application.</p>"
        "</main></body></html>"
    )
    assert doc.text.split("\n\n") == [
        "The Pungsan is a hunting dog.", "It comes from Ryanggang.", "Pungsans are white.",
        "The flask object is a WSGI application.",
    ]  # fmt: skip
    headed = heading_paths(doc, ["It comes", "The flask"])
    assert headed["It comes"] == "Wikipedia \u203a Pungsan dog \u203a History"
    assert headed["The flask"].endswith("Appearance \u203a flask.Flask(import_name)")


def test_a_saved_wiki_page_keeps_its_title_and_leaves_out_note_marks_and_unprinted_lines(tmp_path: Path):
    """A Wikipedia page saved from the browser puts its title in the article's <header> (dropped with the site's
    header, so the page's sentences had no heading; a news article's summary, byline and date are there too), its
    languages in a menu beside it, lists its sources (read as fragments of sentences), marks notes "[1]" and
    "[citation needed]" after words (which kept "... North Korea.[1] It is ..." one sentence) and opens with "From
    Wikipedia, the free encyclopedia", a line the site does not print."""
    doc, _ = paragraphs_of(
        tmp_path,
        "wiki.html",
        "<html><head><title>Pungsan dog - Wikipedia</title></head><body><header class='vector-header'>"
        "<a href='/wiki/Main_Page'>Main page</a></header><main id='content'><header class='mw-body-header'>"
        "<h1>Pungsan dog</h1><div class='vector-dropdown'><span>10 languages</span><ul><li><a>Deutsch</a></li>"
        "<li><a>Français</a></li></ul></div><p class='standfirst'>A dog breed.</p></header><div id='siteSub' class='noprint'>From Wikipedia, "
        "the free encyclopedia</div><p>The Pungsan is a hunting dog from North Korea.<sup class='reference'>"
        "<a href='#cite_note-1'>[1]</a></sup> It is a national symbol.<sup class='Template-Fact'>[<i><a>citation "
        "needed</a></i>]</sup></p><h2>History</h2><p>It comes from Ryanggang.<sup><a>[2]</a></sup><sup><a>[3]</a>"
        "</sup></p><h2>References</h2><ol class='references'><li><span class='mw-cite-backlink'><a>^</a></span> "
        "<cite>\"Pungsan dog\". <i>KCNA</i>. 2019. Retrieved 4 March 2020.</cite></li></ol><div id='catlinks' "
        "class='catlinks'><a>Categories</a>: <ul><li><a>Hunting dogs</a></li></ul></div></main></body></html>"
    )
    assert [s.text for s in chunk_document(doc)[0]] == [
        "A dog breed.", "The Pungsan is a hunting dog from North Korea.", "It is a national symbol.",
        "It comes from Ryanggang.", '"Pungsan dog". KCNA. 2019. Retrieved 4 March 2020.',
    ]  # fmt: skip  a source one unit ("2019." was one), the page's categories none
    assert heading_paths(doc, ["A dog breed.", "It comes"]) == {
        "A dog breed.": "Wikipedia \u203a Pungsan dog", "It comes": "Wikipedia \u203a Pungsan dog \u203a History"
    }  # fmt: skip  the first words, at offset 0


def test_a_pages_one_title_before_its_main_part_heads_it_unless_it_names_the_site(tmp_path: Path):
    """A saved Stack Overflow page sets the question's title above its main part (role="main": the post and its
    answers), so the answers were read with no heading; a book's menu bar names the book in an <h1> above every
    chapter, which heads nothing. With words on both sides of the heading, the site ends the title."""

    def heading(name: str, title: str, h1: str, main: str) -> str:
        doc, _ = paragraphs_of(tmp_path, name, f"<html><head><title>{title}</title></head><body>{h1}{main}</body></html>")
        return heading_paths(doc, ["Use"])["Use"]

    question = "How do I merge two dicts?"
    assert heading(
        "q.html", f"python - {question} - Stack Overflow", f"<div id='question-header'><h1>{question}</h1></div>",
        "<div id='mainbar' role='main'><p>I have two dicts.</p><h2>2 Answers</h2><p>Use z = x | y.</p></div>",
    ) == f"Stack Overflow \u203a {question} \u203a 2 Answers"  # fmt: skip
    assert heading(
        "ch09.html", "To panic! - The Book", "<div class='menu-bar'><h1 class='menu-title'>The Book</h1></div>",
        "<main><h2>To panic!</h2><p>Use panic! for bugs.</p></main>",
    ) == "The Book \u203a To panic!"  # fmt: skip  the title's site over the chapter, not "To panic! › The Book › ..."


def test_a_saved_posts_tags_votes_author_card_and_controls_are_not_text(tmp_path: Path):
    """A saved Q&A page (a forum thread, a blog post) sets its tag list, vote count, author's card and a row of
    controls around each post: each was a unit of its own ("python", "7113", "Improve this question"). A link
    in a sentence keeps its words, whatever they are."""
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "thread.html",
        "<html><body><div role='main'><div class='votecell'><div class='js-vote-count'>7113</div></div>"
        "<p>I want to merge two dictionaries.</p>"
        "<div class='post-taglist'><ul><li><a class='post-tag'>python</a></li><li><a>dictionary</a></li></ul></div>"
        "<div><a class='js-share-link'>Share</a> <a>Improve this question</a> <a>Follow</a></div>"
        "<div class='post-signature'><div class='user-info'><a>Mateen Ulhaq</a> <span>52.3k</span></div></div>"
        "<div class='comments'><ul><li>Dict unpacking works since 3.5.</li></ul><a>Add a comment</a></div>"
        "<p>If it fails, please <a href='/issues'>report</a> it.</p><p class='tags'>Tagged: python, dict</p>"
        "<h2>2 Answers<span style='display:none' itemprop='answerCount'>2</span></h2><p>Use z = x | y.</p>"
        "<h3><a href='#delete'>Delete</a></h3><p>Removes a dict's key.</p>"
        "</div></body></html>",
    )
    assert paragraphs == [
        "I want to merge two dictionaries.", "Dict unpacking works since 3.5.", "If it fails, please report it.",
        "Use z = x | y.", "Removes a dict's key.",
    ]  # fmt: skip
    # not "2 Answers 2" (a count for machines); a section's name as a link heads it
    assert heading_paths(doc, ["Use z", "Removes"]) == {"Use z": "2 Answers", "Removes": "2 Answers \u203a Delete"}


def test_a_folded_heading_heads_at_its_own_level_and_an_items_source_stamp_is_not_text(tmp_path: Path):
    """Rust's documentation folds each method, its <h4> heading in the fold's <summary>, with the method's own
    <h5> "Examples": read as a fold's label (below every <h6>), each method nested under the one before's
    "Examples" and its own "Examples" left it. Its "1.0.0 · Source" stamp, a "Source" link standing alone and a
    "Read more" that ends a summary are no text; "Read more" that a sentence goes on after is."""

    def method(name: str, stamp: str) -> str:
        return (
            f"<details class='method-toggle' open><summary><section class='method'>{stamp}"
            f"<h4 class='code-header'>pub fn {name}(&amp;self)</h4></section></summary><div class='docblock'>"
            f"<p>Does {name}.</p><h5>Examples</h5><p>Call {name} twice.</p></div></details>"
        )

    doc, paragraphs = paragraphs_of(
        tmp_path,
        "struct.Vec.html",
        "<html><body><main><div class='rustdoc-breadcrumbs'><a>std</a>::<a>vec</a></div>"
        "<h1>Struct Vec</h1><span class='sub-heading'><span class='since'>1.0.0</span> · <a class='src'>Source</a></span>"
        "<h2>Implementations</h2>"
        + method("push", "<span class='rightside'><span class='since'>1.0.0</span> · <a class='src'>Source</a></span>")
        + method("pop", "<a class='src rightside'>Source</a>")
        + "<p>Returns a copy. <a href='#clone'>Read more</a></p><p>You can <a href='#more'>read more</a> in the guide.</p>"
        "</main></body></html>",
    )
    assert paragraphs == [
        "Does push.", "Call push twice.", "Does pop.", "Call pop twice.", "Returns a copy.", "You can read more in the guide."
    ]  # fmt: skip
    assert heading_paths(doc, ["Does pop", "Call pop", "Returns a copy"]) == {
        "Does pop": "Struct Vec \u203a Implementations \u203a pub fn pop(&self)",
        "Call pop": "Struct Vec \u203a Implementations \u203a pub fn pop(&self) \u203a Examples",
        "Returns a copy": "Struct Vec \u203a Implementations",
    }


def test_a_fold_labelled_only_with_how_to_open_it_heads_nothing(tmp_path: Path):
    """Rust's documentation folds each item's text under "Expand description", which headed it; a fold whose
    label says what it holds still heads it."""
    doc, _ = paragraphs_of(
        tmp_path,
        "item.html",
        "<html><body><main><h1>Struct Vec</h1><details open><summary>Expand description</summary>"
        "<p>A growable array.</p></details><details><summary>Why the name?</summary><p>Short for vector.</p>"
        "</details><p>It lives on the heap.</p></main></body></html>"
    )
    assert heading_paths(doc, ["A growable", "Short for", "It lives"]) == {
        "A growable": "Struct Vec", "Short for": "Struct Vec \u203a Why the name?", "It lives": "Struct Vec"
    }  # fmt: skip


def test_html_landmark_roles_and_heading_permalinks_are_not_text(tmp_path: Path):
    path = tmp_path / "api.html"
    path.write_text(
        "<html><head><title>Zlib | Docs</title></head><body>"
        '<div role="navigation" id="column2"><ul><li><a href="e.html">Errors</a></li></ul></div>'
        '<div id="column1"><div role="banner">Node.js v20 documentation</div>'
        '<div role="main"><h2>Zlib<span><a class="mark" href="#zlib">#</a></span></h2>'
        '<p>The zlib module provides compression. See <a href="#x">the flush section</a> and <a href="#n">[1]</a>.</p>'
        '<h3>Flushing <a class="headerlink" href="#f">\u00b6</a></h3><p>Calling flush() forces output.</p>'
        '</div><div role="contentinfo">Copyright the authors.</div></div></body></html>'
    )
    doc = load_file(path)
    assert doc.text == (
        "The zlib module provides compression. See the flush section and [1].\n\nCalling flush() forces output."
    )
    assert [name for _, name in doc.sections] == ["Zlib", "Zlib \u203a Flushing"]


def test_markdown_stripped_heading_is_title(tmp_path: Path):
    path = tmp_path / "n.md"
    path.write_text("# Title here\n\nSome **bold** and `code` and [a link](http://x).\n\n## Part\n\n* item one\n")
    doc = load_file(path)
    assert doc.title == "Title here"
    assert doc.text == "Some bold and code and a link.\n\nitem one"


S = " \u203a "  # between the parts of a heading path
MARKDOWN_AS_RENDERED = {
    # a README's table of contents (links to its own headings only) is not read; links that say something are
    "contents": (
        "# Foo\n\n## Contents\n\n- [Install](#install)\n  - [From PyPI](#from-pypi)\n- [FAQ](#faq)\n\n"
        "## Install\n\nRun pip install foo.\n\n- See [the FAQ](#faq) before you report a bug.\n- [Changelog](CHANGES.md)\n",
        [
            ("Run pip install foo.", f"Foo{S}Install"),
            ("See the FAQ before you report a bug.", f"Foo{S}Install"),
            ("Changelog", f"Foo{S}Install"),
        ],
    ),
    # ... also where it links to them by the page's address, as a README does on its repository's page
    "contents by address": (
        "# Foo\n\n1. [Usage](https://github.com/x/foo?tab=readme-ov-file#usage)\n"
        "   1. [Install](https://github.com/x/foo?tab=readme-ov-file#install)\n\n"
        "## Usage\n\n### Install\n\nRun pip install foo.\n\n- [Docs](https://foo.dev/#api)\n",
        [("Run pip install foo.", f"Foo{S}Usage{S}Install"), ("Docs", f"Foo{S}Usage{S}Install")],
    ),
    # a one-line command that installs, or one typed at a prompt, right under a heading, is a unit of its own;
    # other code stays out
    "install command": (
        "# Foo\n\n## Installation\n\n```bash\npython -m pip install -U foo\n```\n\n"
        "Wheels are built for Linux.\n\n## Usage\n\n```bash\nfoo --help\n```\n\n"
        "### From Python\n\n```python\npip install foo\n```\n\n### Prompt\n\n```console\n$ sudo apt install foo\n```\n\n"
        "### Digest auth\n\n```bash\n$ foo -A digest -a user:pass example.org\n```\n\n"
        "### Script\n\n```python\n$ not a prompt in Python\n```\n",
        [
            ("python -m pip install -U foo", f"Foo{S}Installation"),
            ("Wheels are built for Linux.", f"Foo{S}Installation"),
            ("$ sudo apt install foo", f"Foo{S}Usage{S}Prompt"),
            ("$ foo -A digest -a user:pass example.org", f"Foo{S}Usage{S}Digest auth"),
        ],
    ),
    # a short line all in italics labels what follows, as one in bold does
    "italic label": (
        "# Foo\n\n## Dependencies\n\n*System*\n\n+ A C compiler, such as gcc.\n\n*fast* or *safe*\n",
        [("A C compiler, such as gcc.", f"Foo{S}Dependencies{S}System"), ("fast or safe", f"Foo{S}Dependencies{S}System")],
    ),
    # heading attributes and emoji codes are not text; a definition list's term leads its definition
    "extensions": (
        "# Agent :rocket:\n\n## Installing the agent {#install}\n\n"
        "The agent listens on port 8125 by default :tada:. It starts at 10:30:45 and links std::map.\n\n"
        "## Limits { .unnumbered }\n\nRate limit\n:   The agent sends at most 100 packets a second.\n\n"
        "Timeout:\n: Thirty seconds.\n",
        [
            ("The agent listens on port 8125 by default. It starts at 10:30:45 and links std::map.", f"Agent{S}Installing the agent"),
            ("Rate limit: The agent sends at most 100 packets a second.", f"Agent{S}Limits"),
            ("Timeout: Thirty seconds.", f"Agent{S}Limits"),
        ],
    ),
    # a FAQ's question in bold or labelled "Q:" on a line of its own heads its answer
    "faq": (
        "# FAQ\n\n**Can I sync to S3?**\nYes, install the `foo[s3]` extra.\n\n**Why is it slow on NFS?**\n\n"
        "Network file systems answer slowly.\n\nQ: Does it run on Windows?\nA: Yes, since 2.0.\n\n"
        "**Bold start?** and more on the same line.\n\n## Licence\n\nMIT.\n",
        [
            ("Yes, install the foo[s3] extra.", f"FAQ{S}Can I sync to S3?"),
            ("Network file systems answer slowly.", f"FAQ{S}Why is it slow on NFS?"),
            ("A: Yes, since 2.0.", f"FAQ{S}Does it run on Windows?"),
            ("Bold start? and more on the same line.", f"FAQ{S}Does it run on Windows?"),  # not on its own line
            ("MIT.", f"FAQ{S}Licence"),
        ],
    ),
    # a short line all in bold is a heading below the document's own; two bold runs or a sentence are prose
    "bold": (
        "# Release History\n\n## 2.32.3 (2024-05-29)\n\n**Bugfixes**\n\n- Fixed custom SSLContexts.\n\n"
        "**Can I pin it?**\nYes.\n\n**Note:** this is **bold** prose.\n\n**A bold sentence ends.**\n",
        [
            ("2.32.3 (2024-05-29)", "Release History"),  # a release's dated heading says when it came out
            ("Fixed custom SSLContexts.", f"Release History{S}2.32.3 (2024-05-29){S}Bugfixes"),
            ("Yes.", f"Release History{S}2.32.3 (2024-05-29){S}Bugfixes{S}Can I pin it?"),
            ("Note: this is bold prose.", f"Release History{S}2.32.3 (2024-05-29){S}Bugfixes{S}Can I pin it?"),
            ("A bold sentence ends.", f"Release History{S}2.32.3 (2024-05-29){S}Bugfixes{S}Can I pin it?"),
        ],
    ),
    # an MkDocs Material card: its title in bold after an icon heads it, its button is no text
    "cards": (
        "# Wick\n\n<div class=\"grid cards\" markdown>\n\n"
        "-   :material-hammer-wrench:{ .lg .middle } __Build system__\n\n    ---\n\n"
        "    Reproducible builds by default.\n\n"
        "    [:octicons-arrow-right-24: Configure builds](config/build.md#build-system)\n\n"
        "-   :material-lock:{ .lg .middle } __Environments__\n\n    ---\n\n"
        "    Robust environment management.\n\n"
        "    [:octicons-arrow-right-24: Getting started](environment.md)\n\n</div>\n",
        [
            ("Reproducible builds by default.", f"Wick{S}Build system"),
            ("Robust environment management.", f"Wick{S}Environments"),
        ],
    ),
    # a table whose header row is empty is labels and values; one with column names reads with them
    "pairs": (
        "# Falcon\n\n| | |\n|---|---|\n| Owner | Ann Lee |\n| Budget | 40,000 EUR |\n"
        "| CI/CD | ![CI](https://example.org/ci.svg) ![CD](https://example.org/cd.svg) |\n\n"
        "| Flag | Default |\n|---|---|\n| `--jobs` | 4 |\n",
        [("Owner: Ann Lee", "Falcon"), ("Budget: 40,000 EUR", "Falcon"), ("Flag: --jobs; Default: 4", "Falcon")],
    ),
}


@pytest.mark.parametrize("case", MARKDOWN_AS_RENDERED)
def test_markdown_reads_as_rendered(tmp_path: Path, case: str):
    source, expected = MARKDOWN_AS_RENDERED[case]
    doc, paragraphs = paragraphs_of(tmp_path, f"{case}.md", source)
    assert list(heading_paths(doc, paragraphs).items()) == expected


MKDOCS_AND_MYST = """---
title: Caching
template: page.html
---

# Configuring the cache

See {ref}`pinned installs <repeatable-installs>`, {doc}`caching` and {func}`~attrs.define`.

!!! note "Good to know"
    The cache lives in the user folder by default.

    It can be moved with an option.

??? tip
    Collapsed tips are prose too.

```{versionadded} 22.2
Experimental support, behind a flag.
```

:::{warning}
:class: strong
Never share the cache between users.
:::

```{toctree}
getting-started
```

```{code-block} python
print("code")
```
"""


def test_documentation_site_markdown_reads_its_prose_and_leaves_out_its_machinery(tmp_path: Path):
    path = tmp_path / "caching.md"
    path.write_text(MKDOCS_AND_MYST)
    doc = load_file(path)
    assert doc.title == "Caching"  # the front matter's; the rest of it is not text
    assert prose(doc).split("\n\n") == [
        "See pinned installs, caching and define().",  # roles read as their text (as Sphinx shows "~"), not their targets
        "The cache lives in the user folder by default.",  # an admonition's body, not its title
        "It can be moved with an option.",
        "Collapsed tips are prose too.",
        "New in version 22.2: Experimental support, behind a flag.",  # as Sphinx renders it
        "Never share the cache between users.",  # a colon fence, less its options
    ]  # the toctree and the code block are left out
    assert doc.sections == ((0, "Configuring the cache"),)


def test_code_in_an_html_table_cell_is_read_as_its_words(tmp_path: Path):
    """A <pre> in a data table's cell left its block marks (control characters) in the row's text."""
    source = (
        "<h1>Options</h1><p>The options follow.</p><table><tr><th>Option</th><th>Example</th></tr>"
        "<tr><td>--width</td><td><pre>qa --width 80\nqa -w 80</pre><p>then see below</p></td></tr>"
        "<tr><td>--quiet</td><td>none</td></tr></table>"
    )
    assert paragraphs_of(tmp_path, "options.html", source)[1] == [
        "The options follow.",
        "Option: --width; Example: qa --width 80 qa -w 80 then see below",
        "Option: --quiet; Example: none",
    ]


def test_a_line_break_in_html_that_a_sentence_runs_on_over_does_not_cut_it(tmp_path: Path):
    """Valgrind's NEWS in its HTML manual is a text file set line by line with <br> (DocBook's literallayout),
    as an e-mail written as plain text is in HTML: every <br> ended a paragraph, so a sentence wrapped over two
    lines was two units ("They are now correctly marked as" and '"possibly lost".', which answered "And
    possibly lost?"). As a plain text's lines are judged, a filled line (the next word would not have fit on
    it) that runs on (a comma, "and", "as" last) or goes on in lower case continues its sentence; a line that
    ends a sentence, and the ragged lines of a list or a form, still end there."""
    news = (
        "This release supports X86/Linux, AMD64/Linux, ARM32/Linux, ARM64/Linux,<br>\n"
        "PPC32/Linux, PPC64BE/Linux and AMD64/FreeBSD.  Blocks that are only<br>\n"
        "reachable via an interior pointer were previously marked as \"still<br>\n"
        "reachable\". They are now correctly marked as \"possibly lost\", and the<br>\n"
        "summary counts them so.<br>\n<br>\n* Fix Rust v0 name demangling.<br>\n"
        "* The Linux rseq syscall now returns ENOSYS.<br>\n"
    )
    source = (
        f"<html><body><div class='literallayout'><p><br>\n{news}</p></div>"
        "<p>Dear Anna,<br>the meeting moved to Tuesday.<br>Best, Tom</p>"
        "<p>Date: 12 May<br>Flight: TP 1331<br>From: Hamburg</p>"
        "<p>attributes - interface for the XSLT attribute handling<br>documents - interface for the documents<br>"
        "extensions - interface for the extension support<br>keys - interface for the key matching used</p>"
        "</body></html>"
    )
    doc = paragraphs_of(tmp_path, "news.html", source)[0]
    assert [" ".join(s.text.split()) for s in chunk_document(doc)[0]] == [
        "This release supports X86/Linux, AMD64/Linux, ARM32/Linux, ARM64/Linux, PPC32/Linux, PPC64BE/Linux and"
        " AMD64/FreeBSD.",
        'Blocks that are only reachable via an interior pointer were previously marked as "still reachable".',
        'They are now correctly marked as "possibly lost", and the summary counts them so.',
        "Fix Rust v0 name demangling.",
        "The Linux rseq syscall now returns ENOSYS.",
        "Dear Anna, the meeting moved to Tuesday.",
        "Best, Tom",
        "Date: 12 May",
        "Flight: TP 1331",
        "From: Hamburg",
        "attributes - interface for the XSLT attribute handling",
        "documents - interface for the documents",
        "extensions - interface for the extension support",
        "keys - interface for the key matching used",
    ]


def test_an_html_notes_kind_is_not_read_its_own_title_is(tmp_path: Path):
    """Sphinx and MkDocs print a note's kind as a paragraph over it ("Note"): a unit that said nothing came
    first for "How do I start a new MkDocs project?". The kind goes, as in Markdown; a title of its own stays."""
    source = (
        "<h1>Getting started</h1><p>Run mkdocs new.</p>"
        '<div class="admonition note"><p class="admonition-title">Note</p><p>Two options are required.</p></div>'
        '<div class="admonition seealso"><p class="admonition-title">See also:</p><p>The user guide.</p></div>'
        '<div class="admonition note"><p class="admonition-title">New in version 1.4</p><p>Hooks.</p></div>'
    )
    assert paragraphs_of(tmp_path, "start.html", source)[1] == [
        "Run mkdocs new.",
        "Two options are required.",
        "The user guide.",
        "New in version 1.4",
        "Hooks.",
    ]


def test_a_myst_glossary_reads_each_definition_after_its_term(tmp_path: Path):
    """attrs' glossary.md is one `:::{glossary}` block: left out as an unknown directive, the file read as
    empty. Its terms stand at the margin over indented definitions, as Sphinx writes them."""
    source = (
        "# Glossary\n\n:::{glossary}\ndunder methods\n  \"Dunder\" is short for *double underscore*.\n\n"
        "  It's methods like `__init__`.\n\nslotted classes\nslots\n  A class without a `__dict__`.\n\n"
        "  - They use less memory.\n:::\n"
    )
    assert paragraphs_of(tmp_path, "glossary.md", source)[1] == [
        'dunder methods: "Dunder" is short for double underscore.',
        "It's methods like __init__.",
        "slotted classes, slots: A class without a __dict__.",  # two terms over one definition
        "They use less memory.",
    ]


def test_myst_targets_comments_and_block_breaks_are_no_text(tmp_path: Path):
    """MyST's `(label)=` targets, `%` comment lines and `+++` block breaks are markup: read as paragraphs,
    Black's docs gave units such as "(labels/line-length)=", and a commented-out passage read as prose. A
    percentage inside a line is text; a PEP or RFC role reads as Sphinx renders it ("PEP 526", not "526")."""
    source = (
        "(labels/line-length)=\n\n# Line length\n\n% TODO: explain the history\n% of this default.\n"
        "The default is 88 characters.\n\n+++ {\"tags\": [\"strip\"]}\n\nAbout 10% of lines are wrapped.\n\n"
        "Annotations follow {pep}`526` and dates {rfc}`3339#section-5.6`.\n"
    )
    doc, paragraphs = paragraphs_of(tmp_path, "style.md", source)
    assert paragraphs == [
        "The default is 88 characters.",
        "About 10% of lines are wrapped.",
        "Annotations follow PEP 526 and dates RFC 3339.",  # as Sphinx renders the roles
    ]
    assert doc.title == "Line length"


def test_an_html_table_whose_first_row_is_in_bold_reads_its_rows_with_the_names(tmp_path: Path):
    """A word processor's web page (LibreOffice's "Save as HTML") writes a table's header as <td> cells in
    bold, not <th>: its rows were read without the columns' names ("Compost | Karim | April"). A first row
    all in bold over a first column that is not, or a <thead> row of two cells or more, names the columns;
    a one-cell row in a <thead> (a caption) does not."""

    def cells(tag: str, *texts: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{t}</{tag}>" for t in texts) + "</tr>"

    jobs = cells("td", "Compost", "Karim", "April") + cells("td", "Hedge", "Lena", "May")
    head = cells("td", "<p><font><b>Job</b></font></p>", "<b>Who</b>", "<strong>When</strong>")
    (tmp_path / "jobs.html").write_text(f"<html><body><table>{head}{jobs}</table></body></html>")
    units = [s.text for s in chunk_document(load_file(tmp_path / "jobs.html"))[0]]
    assert units == ["Job: Compost; Who: Karim; When: April", "Job: Hedge; Who: Lena; When: May"]
    thead = f"<thead>{cells('td', 'Job', 'Who', 'When')}</thead>"
    (tmp_path / "thead.html").write_text(f"<html><body><table>{thead}<tbody>{jobs}</tbody></table></body></html>")
    assert [s.text for s in chunk_document(load_file(tmp_path / "thead.html"))[0]] == units
    caption = f"<thead>{cells('td', 'Spring jobs')}</thead>"
    (tmp_path / "caption.html").write_text(f"<html><body><table>{caption}<tbody>{jobs}</tbody></table></body></html>")
    assert "Compost | Karim | April" in [s.text for s in chunk_document(load_file(tmp_path / "caption.html"))[0]]


def test_an_html_table_under_a_header_row_is_read_row_by_row_however_long_a_cell(tmp_path: Path):
    """A table whose first row names its columns is data even with a long cell (an API reference's
    descriptions): read cell by cell, "Description" and "the exception instance." were units that no longer
    said what they described. A row with a long cell is a paragraph, split where its sentences end."""
    long = "It names the template and the line. " * 6
    page = (
        "<h1>Errors</h1><table><tr><th>Member</th><th>Description</th></tr>"
        "<tr><td>error</td><td>the exception instance.</td></tr>"
        f"<tr><td>source</td><td>{long}</td></tr></table>"
    )
    doc, paragraphs = paragraphs_of(tmp_path, "errors.html", page)
    assert paragraphs[0] == "Member: error; Description: the exception instance."
    assert paragraphs[1].startswith("Member: source; Description: It names the template and the line.")
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert sentences[1] == "Member: source; Description: It names the template and the line."


def test_a_doc_sites_source_link_and_index_tables_are_no_text(tmp_path: Path):
    """Read the Docs' and Sphinx's "Edit on GitHub" and "Show Source" link to the page's source, and Sphinx's
    general index repeats every name as a link ("(lamps.Wick method)"): read, each was a unit."""
    page = (
        "<html><body><div class='body'><h1>Wicks</h1><p>A wick draws the oil up.</p>"
        "<a href='https://github.com/x/edit/main/wicks.rst'>Edit on GitHub</a>"
        "<a href='_sources/wicks.rst.txt'>Show Source</a>"
        "<table class='indextable genindextable'><tr><td><ul><li><a href='#'>trim()</a> "
        "(lamps.Wick method)</li></ul></td></tr></table></div></body></html>"
    )
    assert paragraphs_of(tmp_path, "wicks.html", page)[1] == ["A wick draws the oil up."]


def test_a_label_over_a_list_heads_its_items(tmp_path: Path):
    """nox's changelog labels its lists with paragraphs ("Bugfixes:", "Internal changes:"): each label was a
    unit that said nothing, and the items did not say which kind of change they were. The label heads its list,
    as a plain text's does, in Markdown, reStructuredText and HTML; what follows the list is not under it."""
    source = (
        "# Changelog\n\n## 2026.02.09\n\nBugfixes:\n\n* Support uv 0.10.0\n* Show tags\n\n"
        "Internal changes:\n\n1. Drop Python 3.8\n\nThanks to everyone.\n\nThe library is:\n\n- fast\n\n"
        "It detects three kinds of error:\n\n- data races\n"
    )
    doc, paragraphs = paragraphs_of(tmp_path, "CHANGELOG.md", source)
    assert paragraphs == [
        "Support uv 0.10.0",
        "Show tags",
        "Drop Python 3.8",
        "Thanks to everyone.",
        "The library is:",  # a clause that runs on into its list: no label
        "fast",
        "It detects three kinds of error:",  # a longer label says something too: a sentence as well
        "data races",
    ]
    heading = heading_paths(doc, paragraphs)
    assert heading["data races"] == "Changelog \u203a 2026.02.09 \u203a It detects three kinds of error"
    assert heading["Show tags"] == "Changelog \u203a 2026.02.09 \u203a Bugfixes"
    assert heading["Drop Python 3.8"] == "Changelog \u203a 2026.02.09 \u203a Internal changes"
    assert heading["Thanks to everyone."] == "Changelog \u203a 2026.02.09"
    others = {
        "CHANGES.rst": "Changelog\n=========\n\nBugfixes:\n\n* Support uv 0.10.0\n* Show tags\n\nThanks to everyone.\n",
        "changes.html": "<h1>Changelog</h1><p>Bugfixes:</p><ul><li>Support uv 0.10.0</li><li>Show tags</li></ul>"
        "<p>Thanks to everyone.</p>",
    }
    for name, source in others.items():  # the same in reStructuredText and HTML
        doc, paragraphs = paragraphs_of(tmp_path, name, source)
        assert paragraphs == ["Support uv 0.10.0", "Show tags", "Thanks to everyone."], name
        heading = heading_paths(doc, paragraphs)
        assert heading["Show tags"] == "Changelog \u203a Bugfixes", name
        assert heading["Thanks to everyone."] == "Changelog", name


def test_a_paragraph_of_links_only_reads_as_where_they_lead(tmp_path: Path):
    """A project list's "GitHub | Documentation" under each package and a changelog's "([Full
    Changelog](...))" say nothing but where they lead: read as their text, each was a unit "GitHub" under its
    heading; read as their addresses, they answer "Where is WickAuth's documentation?" ("GitHub:
    https://...; Documentation: https://..."), one unit whatever its full stops. Links within the documents
    ("[Home](/) | [API](/api)") lead nowhere a reader can be sent, and a release's beside its entries (the full
    changelog, its commits) name its version in their address: no text. Links named by a handle (a
    release's contributors), a link inside a sentence and a list of links are text; what follows a code block
    goes on from no links. reStructuredText's and HTML's are read the same way."""
    source = (
        "# Packages\n\n## WickAuth\n\n"
        '<a href="https://example.org/wickauth">GitHub</a> |\n<a href="https://wickauth.example.org/">Documentation</a>\n\n'
        "Simple authentication middleware for Lamps.\n\n"
        "## 2.4.1\n\n([Full Changelog](https://example.org/compare/2.4.0...2.4.1))\n\n"
        "Thanks to [@lumen](https://example.org/lumen) | [@wick](https://example.org/wick)\n\n"
        "[@lumen](https://example.org/lumen) | [@wick](https://example.org/wick)\n\n"
        "See the [guide](guide.md) for more.\n\n- [Glow](https://example.org/glow)\n\n"
        "[Home](/) | [API](/api)\n\n```bash\npip install lamps\n```\n\nor with conda.\n"
    )
    doc, paragraphs = paragraphs_of(tmp_path, "packages.md", source)
    links = "GitHub: https://example.org/wickauth; Documentation: https://wickauth.example.org/"
    assert paragraphs == [
        links,
        "Simple authentication middleware for Lamps.",
        "Thanks to @lumen | @wick",
        "@lumen | @wick",
        "See the guide for more.",
        "Glow",
        "or with conda.",
    ]
    headings = heading_paths(doc, paragraphs)
    assert headings["Simple authentication middleware for Lamps."] == headings[links] == "Packages \u203a WickAuth"
    assert [s.text for s in chunk_document(doc)[0]][:2] == paragraphs[:2]  # each one unit, its dots no sentence end
    rst = (
        "Packages\n========\n\nWickAuth\n--------\n\n"
        "`GitHub <https://example.org/wickauth>`_ | `Documentation <https://wickauth.example.org/>`_\n\n"
        "Simple authentication middleware for Lamps.\n"
    )
    assert paragraphs_of(tmp_path, "packages.rst", rst)[1][:2] == [links, "Simple authentication middleware for Lamps."]
    page = (
        "<h1>Packages</h1><h2>WickAuth</h2><p><a href='https://example.org'>GitHub</a> | "
        "<a href='https://docs.example.org'>Documentation</a></p><p>Simple authentication middleware.</p>"
        "<p><a href='/'>Home</a> | <a href='/api'>API</a></p>"
        "<p>Return type: <a href='#int'>int</a></p><p><a href='#trim'>trim()</a></p>"
    )
    assert paragraphs_of(tmp_path, "packages.html", page)[1] == [
        "GitHub: https://example.org; Documentation: https://docs.example.org",
        "Simple authentication middleware.",
        "Return type: int",
        "trim()",  # one link alone may be text: a page links a name where it stands
    ]


def test_a_text_document_wrapped_in_pre_is_read_as_plain_text(tmp_path: Path):
    """A page whose only content is a <pre> of prose (a licence, a mailing-list archive's message) was read
    as empty: the block was left out as code. It is read as the plain text it holds, headings by their look;
    a page of code in <pre> is still no text."""
    licence = (
        "<html><head><title>Lamp Licence</title></head><body><pre>\n"
        "TERMS AND CONDITIONS\n\n1. Definitions.\n\n"
        "   \"Lamp\" shall mean the light and the wick that holds it, as\n"
        "   described in this document.\n\n"
        "   \"Keeper\" shall mean the person who trims the wick.\n</pre></body></html>"
    )
    doc, paragraphs = paragraphs_of(tmp_path, "licence.html", licence)
    assert doc.title == "Lamp Licence"
    texts = [" ".join(p.split()) for p in paragraphs]
    assert '"Lamp" shall mean the light and the wick that holds it, as described in this document.' in texts
    assert heading_paths(doc, paragraphs)[paragraphs[texts.index('"Keeper" shall mean the person who trims the wick.')]] == (
        "TERMS AND CONDITIONS \u203a 1. Definitions."
    )
    code = "<html><body><pre>def trim(wick):\n    wick.length -= 1\n    return wick.length &gt; 0\n</pre></body></html>"
    (tmp_path / "code.html").write_text(code)
    assert load_file(tmp_path / "code.html") == Skipped(str(tmp_path / "code.html"), "empty")


def test_docx_paragraphs_and_title(tmp_path: Path):
    path = tmp_path / "m.docx"
    write_docx(path, "Minutes", ["We met on Monday.", "The budget passed."])
    doc = load_file(path)
    assert doc.title == "Minutes" and doc.text == "We met on Monday.\n\nThe budget passed."


def test_a_docx_linking_to_its_own_bookmark_is_read(tmp_path: Path):
    """LibreOffice writes a link to a bookmark as a relationship to "#page-header" without marking it
    external; python-docx looked for the part "word/#page-header" and the whole document was skipped."""
    import zipfile

    plain = tmp_path / "plain.docx"
    write_docx(plain, "Access control", ["Authentication checks who you are.", "Authorization checks what you may do."])
    linked = tmp_path / "linked.docx"
    rels = "word/_rels/document.xml.rels"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(linked, "w") as copy:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == rels:
                link = '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="#page-header"/>'
                content = content.replace(b"</Relationships>", link.encode() + b"</Relationships>")
            copy.writestr(member, content)
    doc = load_file(linked)
    assert isinstance(doc, Document), doc
    assert doc.text == load_file(plain).text == "Authentication checks who you are.\n\nAuthorization checks what you may do."


def test_code_paragraphs_in_word_and_odt_read_as_code_blocks(tmp_path: Path):
    """LibreOffice saves an HTML <pre> as paragraphs in "Preformatted Text", a line each; Word users keep code
    in a "Code" style. Each line was a unit ("$ git init"). A run of them is a code block, as in Markdown: a
    short one ends the sentence that leads into it with a colon, a long one is left out."""
    import docx
    from docfactory import write_odt
    from docx.enum.style import WD_STYLE_TYPE

    expected = [
        "Introduce yourself to Git: $ git config user.name Ann as your first step.",  # the sentence goes on
        "Then create a repository.",
        "Git replies with its folder.",
    ]
    document = docx.Document()
    code = document.styles.add_style("Code", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Introduce yourself to Git:")
    document.add_paragraph("$ git config user.name Ann", style=code)
    document.add_paragraph("as your first step.")
    document.add_paragraph("Then create a repository.")
    for line in ("$ mkdir project", "$ cd project", "$ git init", "$ ls -a"):
        document.add_paragraph(line, style=code)
    document.add_paragraph("Git replies with its folder.")
    document.save(str(tmp_path / "git.docx"))
    automatic = '<style:style style:name="P3" style:family="paragraph" style:parent-style-name="Preformatted_20_Text"/>'
    lines = "".join(f'<text:p text:style-name="P3">{line}</text:p>' for line in ("$ mkdir project", "$ cd project", "$ git init", "$ ls -a"))
    write_odt(
        tmp_path / "git.odt",
        "Git",
        '<text:p>Introduce yourself to Git:</text:p><text:p text:style-name="P3">$ git config user.name Ann</text:p>'
        f"<text:p>as your first step.</text:p><text:p>Then create a repository.</text:p>{lines}<text:p>Git replies with its folder.</text:p>",
        automatic,
    )
    for name in ("git.docx", "git.odt"):
        assert [s.text for s in chunk_document(load_file(tmp_path / name))[0]] == expected, name


def test_broken_files_of_known_types_are_skipped_with_a_reason(tmp_path: Path):
    for name in ("bad.pdf", "bad.docx"):
        (tmp_path / name).write_bytes(b"this is not really that format")
        item = load_file(tmp_path / name)
        assert isinstance(item, Skipped) and item.reason.startswith("could not read")


def test_gzipped_files_are_read_as_what_they_hold(tmp_path: Path):
    import gzip

    from qa.ingest.loaders import ReadRules

    (tmp_path / "README.md.gz").write_bytes(gzip.compress(b"# Usage\n\nRun it daily.\n\n```\nrm -rf /\n```\n"))
    (tmp_path / "changelog.gz").write_bytes(gzip.compress(b"Version 2 fixed the parser.\n"))
    (tmp_path / "src.tar.gz").write_bytes(gzip.compress(b"not read"))
    (tmp_path / "bad.txt.gz").write_bytes(b"\x1f\x8b but truncated")
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"word " * 300_000))  # 1.5 MB from a few KB
    markdown = load_file(tmp_path / "README.md.gz")
    assert isinstance(markdown, Document) and markdown.title == "Usage" and prose(markdown) == "Run it daily."
    plain = load_file(tmp_path / "changelog.gz")
    assert isinstance(plain, Document) and plain.text.strip() == "Version 2 fixed the parser."
    assert load_file(tmp_path / "src.tar.gz").reason == "unsupported file type '.tar.gz'"
    assert load_file(tmp_path / "bad.txt.gz").reason.startswith("could not read GZ")
    small = ReadRules(max_file_mb=1)
    assert "once decompressed" in load_file(tmp_path / "bomb.txt.gz", small).reason
    assert isinstance(load_file(tmp_path / "bomb.txt.gz"), Document)


def test_a_version_or_a_date_after_the_last_dot_is_part_of_the_name(tmp_path: Path):
    import gzip

    (tmp_path / "v2.15-ReleaseNotes.gz").write_bytes(gzip.compress(b"Release 2.15 adds the fdisk wipe option.\n"))
    (tmp_path / "LICENSE-2.0").write_text("Permission is granted to copy this file.\n")
    (tmp_path / "Minutes 12.05").write_text("The board met on Friday.\n")
    (tmp_path / "dump.2023").write_bytes(bytes(range(256)) * 8)  # no type ending, and not text
    (tmp_path / "keys.arrows").write_text("an ending qa does not read\n")
    notes = load_file(tmp_path / "v2.15-ReleaseNotes.gz")
    assert isinstance(notes, Document) and notes.text.strip() == "Release 2.15 adds the fdisk wipe option."
    assert isinstance(load_file(tmp_path / "LICENSE-2.0"), Document)
    assert isinstance(load_file(tmp_path / "Minutes 12.05"), Document)
    assert isinstance(load_file(tmp_path / "dump.2023"), Skipped)
    assert load_file(tmp_path / "keys.arrows").reason == "unsupported file type '.arrows'"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=3000),
    suffix=st.sampled_from(
        [".txt", ".md", ".html", ".pdf", ".docx", ".epub", ".odt", ".ods", ".odp", ".pptx", ".xlsx", ".csv", ".eml", ".ipynb", ".rtf", ".mbox", ".tex", ".doc", ".msg", ".vtt", ".srt", ".xls", ".ppt", ".org", ".adoc", ".mhtml", ".webarchive", ".enex"]
    ),
)
def test_random_bytes_never_raise(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("junk") / f"junk{suffix}"
    path.write_bytes(data)
    item = load_file(path)
    assert isinstance(item, Document | Skipped)
    if isinstance(item, Document):
        chunk_document(item)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_sentence_spans_cover_the_text_exactly(text):
    doc = Document("x.txt", text, "0" * 64)
    sentences, passages = chunk_document(doc)
    previous_end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text and s.text.strip() == s.text and s.text
        assert s.start >= previous_end  # ordered, never overlapping
        previous_end = s.end
    covered = "".join(s.text for s in sentences)
    # nothing lost, nothing duplicated: all of the text but the markers of list items (each item is a unit,
    # its marker trimmed: "- 0" is the sentence "0") and the units that hold no letter or digit (":", "---")
    expected = re.sub(rf"(?m)^{_LEADING_MARKER.pattern}", "", text)
    assert re.findall(r"[^\W_]", covered) == re.findall(r"[^\W_]", expected)
    assert all(re.search(r"[^\W_]", s.text) for s in sentences)
    for p in passages:
        assert text[p.start : p.end] == p.text


@pytest.mark.model
def test_messy_folder_indexes_and_answers_from_every_format(tmp_path: Path):
    import os
    import subprocess
    import sys

    folder = messy_folder(tmp_path / "messy")
    env = {**os.environ, "QA_INDEX_DIR": str(tmp_path / "idx")}

    def qa(*args):
        return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=REPO, env=env)

    indexed = qa("index", str(folder))
    assert indexed.returncode == 0, indexed.stderr
    assert "skipped empty.txt: empty" in indexed.stdout
    assert "skipped blob.bin: unsupported file type '.bin'" in indexed.stdout
    assert "skipped data.txt: binary content" in indexed.stdout
    assert "11 documents" in indexed.stdout
    expectations = {
        "When was the lighthouse at Cape Wrath built?": ("report.pdf", "1828"),
        "How much money did the board approve for boats?": ("minutes.docx", "12000 euros"),
        "How many square kilometres does the glacier cover?": ("page.html", "81 square kilometres"),
        "Where were the tomatoes planted?": ("notes.md", "south wall"),
        "What does the baker in Besançon sell?": ("letter.txt", "croissants"),
        "How many sailing boats does the society own?": ("deck.pptx", "three sailing boats"),
        "When did Tom Reyes join?": ("members.xlsx", "Joined: 2020"),
        "Which boat is moored at berth B2?": ("moorings.csv", "Petrel"),
        "Where does the summer regatta start?": ("regatta.eml", "harbour wall"),
        "Who keeps the keys of the boathouse?": ("harbour.rtf", "harbour master"),
    }
    for question, (name, needle) in expectations.items():
        result = qa("ask", question, "--corpus", str(folder), "--json")
        assert result.returncode == 0, result.stderr
        top = json.loads(result.stdout)["sentences"][0]
        assert top["doc"].endswith(name) and needle in top["text"], (question, top)
        if name.endswith((".pdf", ".pptx")):
            assert top["page"] == (2 if name.endswith(".pdf") else 1)
    secret = json.loads(qa("ask", "What is the launch code?", "--corpus", str(folder), "--json", "-k", "10").stdout)
    assert all("swordfish" not in s["text"] for s in secret["sentences"])


def test_pdf_running_headers_and_footers_are_dropped(tmp_path: Path):
    path = tmp_path / "manual.pdf"
    pages = [
        ["ACME Lighthouse Manual", f"The lamp of tower {i} turns every {i + 2} seconds.", f"Page {i + 1} of 4"]
        for i in range(4)
    ]
    write_pdf(path, pages)
    doc = load_file(path)
    assert "ACME Lighthouse Manual" not in doc.text and "Page 1 of 4" not in doc.text and "of 4" not in doc.text
    for i in range(4):
        assert f"The lamp of tower {i} turns every {i + 2} seconds." in doc.text
    assert len(doc.pages) == 4


def test_a_pdf_s_headers_on_its_left_and_right_hand_pages_are_dropped(tmp_path: Path):
    """A journal sets one running header on its left-hand pages ("2 poweRlaw: Fitting Heavy Tailed
    Distributions") and another on its right-hand ones: each recurs on only half of the pages, and the left
    one, its page number first, was glued to the page's first sentence."""
    path = tmp_path / "paper.pdf"
    pages = []
    for i in range(7):
        header = f"{i + 1} poweRlaw: Fitting Heavy Tailed Distributions" if i % 2 else f"Colin S. Gillespie {i + 1}"
        pages.append([header, f"Word {i} of the novel occurs {i + 7} times.", "The fit is repeated.", "Its error is small."])
    pages.append(["8 poweRlaw: Fitting Heavy Tailed Distributions", "Figure 3: the fitted tail."])  # a figure's page
    write_pdf(path, pages)
    doc = load_file(path)
    assert "poweRlaw: Fitting" not in doc.text and "Gillespie" not in doc.text
    units = [s.text for s in chunk_document(doc)[0]]
    assert "Word 1 of the novel occurs 8 times." in units and "Figure 3: the fitted tail." in units


def test_a_pdf_s_footnotes_are_set_apart_from_the_sentence_the_page_break_cuts(tmp_path: Path):
    """A footnote at a page's foot, in smaller type and opening with its mark, was read into the sentence
    that runs on into the next page ("... support for a number 20Note that ... of R packages ...")."""
    path = tmp_path / "paper.pdf"
    first = [
        "Bridge sampling estimates the marginal likelihood.",
        "It needs posterior samples from the model.",
        "In the future we hope to add bridgesampling support for a number",
        ("20Note that in the first example we used proper priors.", 9),
        ("*Paper accepted in the Journal of Statistical Software.", 9),
    ]
    second = ["of R packages, such as MCMCglmm. The rest is left to the user.", "Stan models are supported.", "So are nimble models."]
    write_pdf(path, [first, second])
    units = [s.text for s in chunk_document(load_file(path))[0]]
    assert "In the future we hope to add bridgesampling support for a number of R packages, such as MCMCglmm." in units
    assert "Note that in the first example we used proper priors." in units
    assert "Paper accepted in the Journal of Statistical Software." in units
    # a page number set as small as the notes, below them, is no part of the last one
    write_pdf(path, [[*first, ("Page 1 of 2", 9)], [*second, ("Page 2 of 2", 9)]])
    doc = load_file(path)
    assert "Paper accepted in the Journal of Statistical Software." in [s.text for s in chunk_document(doc)[0]]
    assert "of 2" not in doc.text  # a footer, dropped as footers are
    # a mark in the text, set small, is no part of it; a note TeX breaks over two pages is one note
    first[1] = {"runs": [("It needs posterior samples from the model.", 12), ("2", 7), (" Stan gives them.", 12)]}
    second = [
        "of R packages, such as MCMCglmm. The rest is left to the user.",
        "Stan models are supported.",
        "So are nimble models.",
        ("of Statistical Software in 2014.", 9),
    ]
    first[4] = ("*Paper accepted in the Journal", 9)
    write_pdf(path, [first, second])
    units = [s.text for s in chunk_document(load_file(path))[0]]
    assert "It needs posterior samples from the model." in units and "Stan gives them." in units
    assert "Paper accepted in the Journal of Statistical Software in 2014." in units
    # small type at a page's foot without a mark (a caption), or drawn tiny (a plot's labels), stays where it is
    write_pdf(path, [[*first[:3], ("Figure 2: the lattice.", 9)], second])
    text = load_file(path).text
    assert text.index("Figure 2: the lattice.") < text.index("of R packages")
    write_pdf(path, [[*first[:3], ("3", 1), ("4", 1), ("log(subs)", 1)], second])
    text = load_file(path).text
    assert text.index("log(subs)") < text.index("of R packages")


def _justified(text: str, width: int = 60) -> list[str]:
    """`text` in lines of exactly `width` characters (the spaces between words widened): in Courier, every
    line but the last ends at one edge, as a justified text's do."""
    import textwrap

    lines = textwrap.wrap(text, width)
    out = []
    for line in lines[:-1]:
        words = line.split()
        gaps, extra = divmod(width - sum(map(len, words)), len(words) - 1)
        out.append("".join(w + " " * (gaps + (k < extra)) for k, w in enumerate(words[:-1])) + words[-1])
    return out + lines[-1:]


def test_a_note_in_a_pdf_s_margin_is_set_apart_from_the_sentence_beside_it(tmp_path: Path):
    """A note in the margin (the LaTeX manuals' "New description 1996/12/01") is drawn where its line is, and
    was read into the sentence beside it: "... part of the pream- New description 1996/12/01 ble."."""
    path = tmp_path / "guide.pdf"
    lines = _justified(
        "Packages should load other files with these commands rather than with the primitive input command. "
        "They keep a list of the files loaded, so that no file is loaded twice. However, note that code in this "
        "hook is part of the preamble. Thus there are restrictions on what can be put there; in particular, no "
        "typesetting can be done. Classes may use the hooks as well, and so may the document itself."
    )
    at = next(k for k, line in enumerate(lines) if "preamble" in line)
    # the note beside the line that mentions the preamble and the two lines below it, past the text's edge
    beside = [[(0, line), (452, note)] for line, note in zip(lines[at : at + 3], ("New", "description", "1996/12/01"))]
    page: list = [*lines[:at], *beside, *lines[at + 3 :]]
    write_pdf(path, [page], font="Courier")
    units = [s.text for s in chunk_document(load_file(path))[0]]
    assert "Thus there are restrictions on what can be put there; in particular, no typesetting can be done." in units
    assert "New description 1996/12/01" in units
    # a label in the left margin (a macro's name beside its description) is no note: it stays with its text
    write_pdf(path, [[[(-70, "\\hook"), (0, "Runs its code at the start.")], *lines]], font="Courier")
    assert load_file(path).text.startswith("\\hook Runs its code at the start.")
    # nor is a word past the edge of a page whose lines mostly run on past it (a column, a wide table)
    write_pdf(path, [[[(0, line), (452, "New")] for line in lines]], font="Courier")
    assert load_file(path).text.count("New") == len(lines)


def test_a_plot_s_text_in_a_pdf_is_no_heading_and_no_part_of_its_caption(tmp_path: Path):
    """A plot drawn in a paper sets its axis's title and tick labels larger than the text: the title was
    taken for a heading ("Toy example › Increase in Sleep (Hours)") and the ticks ran into the caption. A
    chapter's number over its title is no plot."""
    path = tmp_path / "paper.pdf"
    pages = [
        [("4. Toy example", 16), "We use the sleep data set of ten patients.", "Two drugs were given.", "Sleep was measured."],
        [
            "The effect is shown below.",
            ("2", 16),
            ("4", 16),
            ("6", 16),
            ("Increase in Sleep (Hours)", 20),
            ("1 2", 16),
            "Figure 3: The sleep data set.",
            "Each dot is a patient.",
            ("5", 20),
            ("Stan interface", 20),
            "Stan models are read as they are.",
        ],
    ]
    write_pdf(path, pages, outline=[("4. Toy example", 0, [])])
    doc = load_file(path)
    units = [s.text for s in chunk_document(doc)[0]]
    assert "Figure 3: The sleep data set." in units
    assert "Increase in Sleep" not in doc.text
    paths = heading_paths(doc, ["Each dot is a patient.", "Stan models are read as they are."])
    assert paths == {"Each dot is a patient.": "4. Toy example", "Stan models are read as they are.": "4. Toy example \u203a Stan interface"}


def test_a_pdf_s_numbered_heading_the_outline_leaves_out_heads_its_text(tmp_path: Path):
    """LaTeX sets a \\subsubsection in bold at the text's size, and the outline stops a level above it: "2.7.1
    Loading other files" was glued to the sentence after it. A bold line whose number extends the number of
    the outline entry above it is a heading below that entry; a bold line with another number is not."""
    path = tmp_path / "guide.pdf"
    page = [
        ("2.7 General style", 14, True),
        "This section outlines some ways to make good use of these.",
        ("2.7.1 Loading other files", 12, True),
        "Packages load other packages with these commands.",
        ("3.1 Not a child", 12, True),
        "Nor is this line a heading.",
    ]
    write_pdf(path, [page], outline=[("2.7 General style", 0, [])])
    doc = load_file(path)
    paths = heading_paths(doc, ["Packages load other packages with these commands.", "Nor is this line a heading."])
    assert paths == {
        "Packages load other packages with these commands.": "2.7 General style \u203a 2.7.1 Loading other files",
        "Nor is this line a heading.": "2.7 General style \u203a 2.7.1 Loading other files",
    }


def test_a_pdf_s_references_are_an_entry_a_unit(tmp_path: Path):
    """A paper's list of references was split at every full stop ("New York: Dover.", "Springer-Verlag."),
    and its one-word heading, set large but missing from the bookmarks, ran into the first entry. An entry
    is a unit from the line that opens it (a name and the year, or its number), across a page break too;
    a long list of authors may put the year on the next line."""
    path = tmp_path / "paper.pdf"
    pages = [
        [
            ("1. Introduction", 16),
            "Elliptic functions have a long history.",
            "They are computed with theta functions.",
            ("References", 16),
            "Abramowitz M, Stegun IA (1965). Handbook of Mathematical Functions.",
            "New York: Dover.",
            "Chandrasekharan K (1985). Elliptic Functions. Springer-Verlag.",
            "Keskar, N. S., Mudigere, D., Nocedal, J. and Tang, P. T. P.",
            "(2016) On large-batch training for deep learning. ArXiv.",
            "Chow KW (2002). A Class of Doubly Periodic Waves for Nonlinear",
        ],
        [
            "evolution equations. Wave Motion, 35, 71-90.",
            "Swift J (1726). Travels into Several Remote Nations. Benjamin Motte.",
            "Affiliation:",
            "Robin K. S. Hankin, Auckland University of Technology.",
        ],
    ]
    write_pdf(path, pages, outline=[("1. Introduction", 0, [])])
    doc = load_file(path)
    units = [s.text for s in chunk_document(doc)[0]]
    assert units[2:] == [
        "Abramowitz M, Stegun IA (1965). Handbook of Mathematical Functions. New York: Dover.",
        "Chandrasekharan K (1985). Elliptic Functions. Springer-Verlag.",
        "Keskar, N. S., Mudigere, D., Nocedal, J. and Tang, P. T. P. (2016) On large-batch training for deep learning. ArXiv.",
        "Chow KW (2002). A Class of Doubly Periodic Waves for Nonlinear evolution equations. Wave Motion, 35, 71-90.",
        "Swift J (1726). Travels into Several Remote Nations. Benjamin Motte.",
        "Affiliation: Robin K. S. Hankin, Auckland University of Technology.",  # the authors', no reference
    ]
    assert heading_paths(doc, ["Chandrasekharan K (1985)."]) == {"Chandrasekharan K (1985).": "References"}


def test_what_a_pdf_shows_typed_at_a_prompt_is_left_out_as_code(tmp_path: Path):
    """An R session in a paper ("R> ", "> " before a call, and the "+ " lines going on with it) or a Python
    one (">>> ") ran into the prose around it; a quoted line ("> I agree ...") is no prompt."""
    path = tmp_path / "vignette.pdf"
    lines = [
        "The marginal likelihoods are estimated first.",
        "R> bridge_H0 <- bridge_sampler(stanfit_H0,",
        "+ silent = TRUE)",
        "The Bayes factor can then be obtained as follows.",
        "> fit <- fitdist(serving, weibull)",
        "The fit is printed.",
        ">>> import numpy",
        "Python reads it too.",
        "> I agree with the reviewer.",
    ]
    write_pdf(path, [lines])
    units = [s.text for s in chunk_document(load_file(path))[0]]
    assert units[:3] == [
        "The marginal likelihoods are estimated first.",
        "The Bayes factor can then be obtained as follows.",
        "The fit is printed.",
    ]
    assert units[3].startswith("Python reads it too.")
    assert "I agree with the reviewer." in " ".join(units)
    assert "bridge_sampler" not in " ".join(units) and "import numpy" not in " ".join(units)


def test_a_paper_s_title_is_the_one_its_metadata_names_and_its_abstract_a_heading(tmp_path: Path):
    """A journal's name set larger than the article's title ("JSS Journal of Statistical Software") was taken
    for the title, and the authors ran into the abstract's first sentence ("Colin S. Gillespie Newcastle
    University Abstract Over the last few years, ..."); with bookmarks or without, the byline is no heading."""
    path = tmp_path / "paper.pdf"
    title = "Fitting Heavy Tailed Distributions: The poweRlaw Package"
    page = [
        ("JSS Journal of Statistical Software", 28),
        "February 2015, Volume 64, Issue 2.",
        ("Fitting Heavy Tailed Distributions: The poweRlaw", 17),
        ("Package", 17),
        ("Colin S. Gillespie", 14),
        "Newcastle University",
        "Abstract",
        "This paper describes the poweRlaw R package.",
        ("1. Introduction", 16),
        "Pareto observed that many processes are not Gaussian.",
        "The rule has been used widely.",
    ]
    for outline in ([("1. Introduction", 0, [])], []):
        write_pdf(path, [page], outline=outline, title=title)
        doc = load_file(path)
        assert doc.title == title
        units = [s.text for s in chunk_document(doc)[0]]
        assert "Colin S. Gillespie Newcastle University" in units or "Newcastle University" in units
        assert "This paper describes the poweRlaw R package." in units
        paths = heading_paths(doc, ["This paper describes the poweRlaw R package.", "The rule has been used widely."])
        assert paths["This paper describes the poweRlaw R package."] == f"{title} \u203a Abstract"
        assert paths["The rule has been used widely."] == "1. Introduction"


def test_pdf_list_items_are_units_not_one_run_on_sentence():
    from qa.ingest.formats.common import paragraphs_text
    from qa.ingest.formats.pdf import clean_page

    page = (  # a page as PDFium gives it: no blank lines between the items; Word's bullet a Symbol-font glyph
        "Note the following:\n\u2022 the dvips option runs before the german one;\n\u2022 options are\n"
        "processed in the order given.\n\uf0b7 a Word bullet opens an item too.\nThe list ends here."
    )
    text = paragraphs_text(re.split(r"\n\s*\n", clean_page(page)))
    assert text == (
        "Note the following:\n\n\u2022 the dvips option runs before the german one;\n\n"
        "\u2022 options are processed in the order given.\n\n\u2022 a Word bullet opens an item too. The list ends here."
    )
    sentences = [s.text for s in chunk_document(Document("notes.pdf", text, "0" * 64))[0]]
    assert sentences[:3] == [
        "Note the following:",
        "the dvips option runs before the german one;",
        "options are processed in the order given.",
    ]


def test_a_stamp_on_every_page_is_dropped_wherever_it_stands(tmp_path: Path):
    lines = ["Tower {} keeps its lamp lit from dusk.", "Its lens came from Paris in {}.", "It turns every {} seconds."]
    pages = [[line.format(i) for line in lines] for i in range(4)]
    for i, page in enumerate(pages):
        page.insert(2, "CONFIDENTIAL")  # mid-page, where no running header sits
        page += [f"The keeper of tower {i} logs each ship.", "He writes in ink.", "The log is kept."]
    pages[0].insert(4, "Harbour rules")  # a short line on one page only is content
    write_pdf(tmp_path / "stamped.pdf", pages)
    doc = load_file(tmp_path / "stamped.pdf")
    assert "CONFIDENTIAL" not in doc.text and "Harbour rules" in doc.text
    assert "Tower 2 keeps its lamp lit from dusk." in doc.text and "The keeper of tower 3 logs each ship." in doc.text


def test_a_pdf_without_a_text_layer_is_skipped_as_a_likely_scan(tmp_path: Path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(3):
        pdf.new_page(595, 842)  # a scanner's pages hold pictures, no text
    pdf.save(tmp_path / "scan.pdf")
    pdf.close()
    skipped = load_file(tmp_path / "scan.pdf")
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "no text on its 3 pages: a scan? qa reads a PDF's text layer and has no OCR"


def test_pdf_lines_that_only_look_alike_on_few_pages_are_kept(tmp_path: Path):
    path = tmp_path / "short.pdf"
    write_pdf(path, [["Chapter one opens here."], ["Chapter two opens here."]])  # under three pages: untouched
    assert "Chapter one opens here." in load_file(path).text
    from qa.ingest.formats.pdf import without_running_lines

    body = [
        "Intro line.\nThe storm came at night.\nMore.",
        "Other line.\nThe storm came at night.\nMore.",
        "Third.\nA calm day.\nEnd.",
    ]
    assert without_running_lines(body)[2] == "Third.\nA calm day.\nEnd."  # recurring lines are not on this page
    assert "The storm came at night." not in without_running_lines(body)[0]


def test_a_two_page_article_is_read_without_its_running_header_and_page_labels(tmp_path: Path):
    """A journal article or a letter of two pages, as LibreOffice exports one: the same header on both pages
    and "Page 1", "Page 2" under them. "More than half of the pages" cannot tell them on two pages, so they
    were glued to the title and to each page's last sentence."""
    path = tmp_path / "article.pdf"
    header = "Journal of Urban Ecology 14 (2024) 113-121"
    write_pdf(
        path,
        [
            [header, "Honey yield of rooftop hives.", "We studied 48 rooftop hives in Rotterdam.", "The median yield was 21 kg.", "Page 1"],
            [header, "Winter losses were 12 percent overall.", "Parks supply nectar late in summer.", "Page 2"],
        ],
    )
    text = load_file(path).text
    assert "Journal" not in text and "Page" not in text
    assert "Honey yield of rooftop hives." in text and "Parks supply nectar late in summer." in text
    letter = tmp_path / "letter.pdf"
    write_pdf(letter, [["Dear Ann,", "The meeting moves to Friday.", "Kind regards, Ben", "1 of 1"]])
    assert load_file(letter).text.split() == "Dear Ann, The meeting moves to Friday. Kind regards, Ben".split()
    # a web page printed by a browser: its date stamp and its address with "1/1" were a last "sentence"
    printed = ["Booking reference: QX7P2L.", "Check-out is by 11:00.", "12/4/26, 11:28 PM Lisbon trip", "file:///home/ann/trip.html 1/1"]
    write_pdf(letter, [printed])
    assert load_file(letter).text.split() == "Booking reference: QX7P2L. Check-out is by 11:00.".split()
    recipe = ["Pancakes", "Whisk two eggs with the milk.", "Add sugar 1/2"]  # not its page's number: kept
    write_pdf(letter, [recipe])
    assert load_file(letter).text.split() == " ".join(recipe).split()
    from qa.ingest.formats.pdf import without_running_lines

    # on two pages, lines that only look alike stay (a numbered heading, a figure), and a bare number may be
    # content; a line both pages share only counts at their edges
    pages = [
        "Section 1\nIt rained.\nThe storm came at night.\nIt stopped.\n12",
        "Section 2\nA calm day.\nThe storm came at night.\nWe slept.\n14",
    ]
    assert without_running_lines(pages) == pages


def test_a_word_processor_pdf_table_is_read_row_by_row_with_its_column_names(tmp_path: Path, monkeypatch):
    """LibreOffice and Word draw each cell of a table as a text object of its own: cells whose left edges line
    up from row to row are columns, and each row is one unit read with the header's names, as a DOCX table is.
    The whole table was one run-on "sentence" ("Date Flight From Departs 12 May TP 1331 Hamburg ...")."""
    from qa.ingest.formats.pdf import _TEX

    rows = [
        [(0, "Date", True), (90, "Flight", True), (180, "From", True), (270, "Departs", True)],  # a bold header
        [(0, "12 May"), (90, "TP 1331"), (180, "Hamburg"), (270, "06:40")],
        [(0, "18 May"), (90, "TP 1336"), (180, "Lisbon"), (270, "18:25")],
    ]
    path = tmp_path / "trip.pdf"
    write_pdf(path, [["We fly to Lisbon in May.", *rows, "Pack light."]])
    doc = load_file(path)
    units = [s.text for s in chunk_document(doc)[0]]
    assert units == [
        "We fly to Lisbon in May.",
        "Date: 12 May; Flight: TP 1331; From: Hamburg; Departs: 06:40",
        "Date: 18 May; Flight: TP 1336; From: Lisbon; Departs: 18:25",
        "Pack light.",
    ]
    assert [doc.text[a:b] for a, b in doc.records] == units[1:3]  # rows are records: never split at a stop
    # cells that do not line up from one line to the next are prose drawn in pieces, and two lines no table
    ragged = [[(0, "The"), (40, "cat"), (95, "sat.")], [(0, "A"), (33, "dog"), (70, "ran.")], [(0, "Then"), (50, "rain.")]]
    write_pdf(path, [["Some prose.", *ragged, *rows[:2]]])
    assert not load_file(path).records
    # a spreadsheet printed to PDF: numbers set flush right (their left edges differ), the header flush left
    digit = 12 * 0.556  # Helvetica's digit width at 12 points

    def flush_right(text: str) -> tuple[float, str]:
        return 130 - digit * len(text), text

    sheet = [
        [(0, "Category"), (90, "Amount (EUR)"), (180, "Notes")],
        [(0, "Rent"), flush_right("1150"), (180, "Standing order")],
        [(0, "Groceries"), flush_right("420"), (180, "Weekly market")],
        [(0, "Electricity"), flush_right("96"), (180, "Fixed tariff")],
    ]
    write_pdf(path, [["Budget", *sheet]])
    assert [s.text for s in chunk_document(load_file(path))[0]][1:] == [
        "Category: Rent; Amount (EUR): 1150; Notes: Standing order",
        "Category: Groceries; Amount (EUR): 420; Notes: Weekly market",
        "Category: Electricity; Amount (EUR): 96; Notes: Fixed tariff",
    ]
    # a table of text only whose first row is no header (a CV's lines set in columns): rows without names
    jobs = [[(0, "2019-2021"), (90, "Acme"), (180, "Engineer")], [(0, "2016-2019"), (90, "Birch"), (180, "Analyst")]]
    write_pdf(path, [["Work", *jobs, [(0, "2014-2016"), (90, "Cedar"), (180, "Intern")]]])
    assert [s.text for s in chunk_document(load_file(path))[0]][1:] == [
        "2019-2021 | Acme | Engineer",
        "2016-2019 | Birch | Analyst",
        "2014-2016 | Cedar | Intern",
    ]
    # a list whose bullets are drawn apart from their items (a saved web page's navigation: "• | Prev 5.5. |
    # Coexistence ...") is no table: the runs PDFium would report for each line, given
    from qa.ingest.formats import pdf

    raw = "\u2022 Prev Chapter 5\r\n\u2022 Up Contents\r\n\u2022 Next Chapter 7"
    lines = raw.split("\r\n")
    drawn = {len(raw[: raw.index(line)]): [(72, 0, 80, 9), (92, 0, 120, 9), (190, 0, 250, 9)] for line in lines}
    monkeypatch.setattr(pdf, "_runs", lambda textpage, start, count: drawn[start])
    monkeypatch.setattr(pdf, "_cells", lambda textpage, runs, columns: ["a", "b", "c"])
    monkeypatch.setattr(pdf, "_run_text", lambda textpage, run: "word")  # what the wrapped table's reading asks
    monkeypatch.setattr(pdf, "_baseline", lambda textpage, run: run[1])
    monkeypatch.setattr(pdf, "_fixed_pitch", lambda textpage, raw, start, end, at: False)
    assert pdf._tables(None, raw, []) == []
    assert len(pdf._tables(None, raw.replace("\u2022", "*"), [])) == 1  # the same lines without bullets: a table
    # the same lines in a fixed-pitch font are code whose highlighted tokens line up ("class: logging.Stream...")
    monkeypatch.setattr(pdf, "_fixed_pitch", lambda textpage, raw, start, end, at: True)
    assert pdf._tables(None, raw.replace("\u2022", "*"), []) == []
    # TeX sets a line as many runs (each font change): its PDFs are not read for tables
    assert _TEX.search("pdfTeX-1.40.24") and _TEX.search("LuaTeX-1.15") and not _TEX.search("LibreOffice 7.4")


def test_a_placeholder_title_in_a_file_s_metadata_gives_way_to_the_title_it_shows(tmp_path: Path):
    """Programs write a title of their own where the author gave none: LibreOffice's "Word Document" in a
    converted .docx, "Unknown Title" in its EPUB, Word's "Microsoft Word - lease.docx" in a printed PDF, a
    browser's file name. That was the document's title, read before each of its sentences; the title the
    document shows (its Title paragraph, a PDF's largest line), else the file's name, is."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Word Document"
    document.add_heading("Allotment handbook", 0)
    document.add_paragraph("The shed is open from eight.")
    document.save(str(tmp_path / "handbook.docx"))
    assert load_file(tmp_path / "handbook.docx").title == "Allotment handbook"
    page = [("Tenancy Agreement", 24), "This agreement is made on 1 March 2025."]
    write_pdf(tmp_path / "lease.pdf", [page], title="Microsoft Word - lease final.docx")
    assert load_file(tmp_path / "lease.pdf").title == "Tenancy Agreement"
    write_pdf(tmp_path / "notes.pdf", [["We met on Monday."]], title="notes.html")  # a browser's print
    assert load_file(tmp_path / "notes.pdf").title == "notes"
    write_pdf(tmp_path / "named.pdf", [["We met on Monday."]], title="Garden committee minutes")
    assert load_file(tmp_path / "named.pdf").title == "Garden committee minutes"


def test_a_word_97_document_reads_its_tables_row_by_row_and_its_title():
    """A .doc's table was read cell by cell, each cell a unit ("Karim", "April"), so no row could answer "Who
    turns the compost?"; and its "Title" paragraph was no title (the first heading was). A paragraph's
    properties say whether it is in a cell or ends a row: each row is one unit with its columns' names, as
    a .docx's is. tests/fixtures/office/handbook.doc, written by LibreOffice."""
    doc = load_file(REPO / "tests" / "fixtures" / "office" / "handbook.doc")
    units = [s.text for s in chunk_document(doc)[0]]
    assert doc.title == "Allotment handbook"
    rows = [
        "Job: Compost; Who: Karim; When: April; Notes: Turn the heaps every two weeks and cover the finished compost "
        "with a tarpaulin",
        "Job: Water butts; Who: Josie; When: June; Notes: Check the taps and replace the lids that cracked over the winter",
        "Job: Hedge; Who: Lena and Ole; When: May; Notes: Cut after the birds have nested",
    ]
    at = units.index(rows[0])
    assert units[at - 1 : at + 4] == ["The shed is open from eight in the morning until dusk.", *rows, "Fees"]
    assert [doc.text[a:b] for a, b in doc.records] == rows
    assert heading_paths(doc, [rows[1]]) == {rows[1]: "Allotment handbook › Jobs this spring"}


def test_a_word_document_reads_with_its_tracked_changes_accepted(tmp_path: Path):
    """A contract or policy under review holds tracked changes: an insertion's runs sit in <w:ins>, which
    python-docx does not read, so the new text was missing ("The daily meal allowance is ." lost its "35 EUR");
    a deletion (<w:del>) is left out, as in an ODT. Smart tags and simple fields hold runs the same way."""
    from docx import Document
    from docx.oxml.ns import qn
    from lxml import etree

    def tracked(paragraph, tag: str, text: str) -> None:
        change = etree.SubElement(paragraph._p, qn(tag), {qn("w:id"): "1", qn("w:author"): "Ann"})
        etree.SubElement(etree.SubElement(change, qn("w:r")), qn("w:delText" if tag == "w:del" else "w:t")).text = text

    document = Document()
    document.add_heading("Travel policy", 1)
    tracked(document.add_paragraph("Book economy flights. "), "w:ins", "Flights over six hours may be premium economy.")
    allowance = document.add_paragraph("The daily meal allowance is ")
    tracked(allowance, "w:del", "30 EUR")
    tracked(allowance, "w:ins", "35 EUR")
    etree.SubElement(etree.SubElement(allowance._p, qn("w:r")), qn("w:t")).text = "."
    # runs python-docx does not look into either: a smart tag (a date), a simple field's shown result
    tracked(document.add_paragraph("The policy applies from "), "w:smartTag", "1 March 2025.")
    tracked(document.add_paragraph("Questions go to "), "w:fldSimple", "travel@example.com.")
    document.save(tmp_path / "policy.docx")
    units = [s.text for s in chunk_document(load_file(tmp_path / "policy.docx"))[0]]
    assert units == [
        "Book economy flights.",
        "Flights over six hours may be premium economy.",
        "The daily meal allowance is 35 EUR.",
        "The policy applies from 1 March 2025.",
        "Questions go to travel@example.com.",
    ]


def test_a_web_page_printed_to_pdf_by_chromium_reads_as_its_page():
    """eval/personal/docs/trip.pdf, printed by Chromium (Skia): its table row by row, its title apart, and no
    "12/4/26, 11:28 PM Lisbon trip itinerary" or "file:///...trip.html 1/1" left as a sentence."""
    doc = load_file(REPO / "eval" / "personal" / "docs" / "trip.pdf")
    units = [s.text for s in chunk_document(doc)[0]]
    assert units[0] == "Booking reference: QX7P2L. Travellers: Tom and Anja Berger."
    assert "Date: 18 May; Flight: TP 1336; From: Lisbon; To: Hamburg; Departs: 18:25; Arrives: 22:35" in units
    assert not any("file://" in u or " PM " in u for u in units)
    assert units[-1] == "Most places take cards, but keep some cash for the trams."


def test_a_pdf_table_whose_cells_wrap_is_read_row_by_row():
    """A table printed from a web page or a word processor wraps its long cells onto more lines: each line
    then holds only some of a row's cells, so no line-per-row table was found and the whole table was one
    run-on "sentence" ("Remove old units Berg Bau 2 March Skip hire is booked ... Electrics Lichtwerk GmbH 9
    March ..."). Its rows are the bands of cells that overlap from top to bottom (cells set in the middle of
    the row: eval/personal/docs/plan.pdf, its header centred), or that the spacing between lines tells apart
    (cells set at the top, the first column wrapping too: the fixtures); its bold header is no heading."""
    plan = load_file(REPO / "eval" / "personal" / "docs" / "plan.pdf")
    units = [s.text for s in chunk_document(plan)[0]]
    assert units[1:6] == [
        "The budget is 18,000 EUR including VAT.",
        "Task: Remove old units; Contractor: Berg Bau; Start: 2 March; Notes: Skip hire is booked for the whole "
        "first week, the neighbours have been told about the noise",
        "Task: Electrics; Contractor: Lichtwerk GmbH; Start: 9 March; Notes: Six new sockets and under-cabinet lighting",
        "Task: Plumbing; Contractor: Nass und Söhne; Start: 11 March; Notes: Move the sink under the window; the "
        "dishwasher needs its own valve",
        "Task: Worktops; Contractor: Steinhaus; Start: 23 March; Notes: Quartz, 30 mm, templating two weeks before fitting",
    ]
    assert units[-1] == "The kitchen will be unusable for about four weeks, so we will cook at my sister's flat."
    assert [plan.text[a:b] for a, b in plan.records] == units[2:6]
    assert [title for _, title in plan.sections] == ["Kitchen renovation plan"]  # not "Task Contractor Start Notes"
    folder = REPO / "tests" / "fixtures" / "pdf"
    garden = [s.text for s in chunk_document(load_file(folder / "garden-jobs.pdf"))[0]]
    assert garden[1:4] == [
        "Job: Compost; Who: Karim; When: April; Notes: Turn the heaps every two weeks and cover the finished compost "
        "with a tarpaulin so the rain does not wash it out",
        "Job: Hedge; Who: Lena and Ole; When: May; Notes: Cut after the birds have nested",
        "Job: Water butts; Who: Josie; When: June; Notes: Check the taps, replace the lids that cracked over the "
        "winter, and clean the gutters that feed them",
    ]
    schedule = [s.text for s in chunk_document(load_file(folder / "schedule.pdf"))[0]]
    assert schedule[1:4] == [
        "Talk title: Keeping bees in cities without upsetting the neighbours; Speaker: Marta Silva; Room: Hall A",
        "Talk title: Soil health; Speaker: Jon Berg; Room: Room 2",
        "Talk title: Seed saving for beginners and the curious among us; Speaker: Ana Lopes; Room: Room 3",
    ]


def test_a_pdf_paragraph_is_told_by_the_space_above_it(tmp_path: Path):
    """A word processor or a browser sets space between paragraphs, not a blank line in the text layer, so a
    line that ends no sentence ran into the next paragraph ("Tickets on sale from May Members pay half ...",
    a list item without a drawn bullet into the next). A line further below the last than lines of its size
    usually are (the lower quartile, within paragraphs) opens a paragraph; one listed out of turn (drawn
    later, between the two) leaves them together, as it may be a word in code between the halves of a
    sentence."""
    path = tmp_path / "walk.pdf"
    lines = ["We meet at the station at nine and walk", "to the lake, where the boats are.", "", "Tickets on sale from May"]
    lines += ["", "Members pay half and children go free", "on the first weekend.", "", "The walk takes four hours."]
    write_pdf(path, [lines])
    assert [s.text for s in chunk_document(load_file(path))[0]] == [
        "We meet at the station at nine and walk to the lake, where the boats are.",
        "Tickets on sale from May",
        "Members pay half and children go free on the first weekend.",
        "The walk takes four hours.",
    ]
    lines = ["We meet at the station at nine and walk", "to the lake, where the boats are.", "Members pay half"]
    lines += ["and children go free if they", "", "book early.", "The walk takes four hours."]
    write_pdf(path, [lines])
    units = [s.text for s in chunk_document(load_file(path))[0]]
    assert "and children go free if they" in " ".join(units) and "book early." in units
    write_pdf(path, [[*lines, {"drawn_at": 720 - 14 * 4, "text": "import foo"}]])  # in the gap, drawn last
    units = [s.text for s in chunk_document(load_file(path))[0]]
    assert "Members pay half and children go free if they book early." in units


def test_a_short_pdf_line_ends_its_paragraph(tmp_path: Path):
    """A web page printed to PDF draws its list's bullets as shapes and sets no space between the items, so
    "Order tools" ran into "Fix the tap" and on into the next paragraph. A line that stops short of half the
    width its column's lines reach ends its paragraph when the next opens with a capital; a short line before
    one in lower case (a long web address wrapped to the next line) goes on with its sentence."""
    path = tmp_path / "notes.pdf"
    lines = ["The committee met on Monday and agreed on the jobs for", "the spring, which everyone should read before the"]
    lines += ["first working day of the season.", "Order tools", "Fix the tap", "The full rules are at"]
    lines += ["https://allotment.example.org/rules/2025/spring-jobs", "and on the gate."]
    write_pdf(path, [lines])
    assert [s.text for s in chunk_document(load_file(path))[0]] == [
        "The committee met on Monday and agreed on the jobs for the spring, which everyone should read before the "
        "first working day of the season.",
        "Order tools",
        "Fix the tap",
        "The full rules are at https://allotment.example.org/rules/2025/spring-jobs and on the gate.",
    ]


def test_a_pdf_numbered_list_is_item_by_item_and_heads_no_table(tmp_path: Path):
    """A word processor sets a numbered list with no space between its items and each number drawn apart from
    its text: the items ran together ("... by 30 November 2." then "Cut onboarding ..."), and the last item,
    right above a table, was taken for the table's header ("3.: Q1; Hire a second backend engineer: 120,000")."""
    path = tmp_path / "report.pdf"
    items = [[(0, "1."), (18, "Launch payments in two more countries by 30 November")], [(0, "2."), (18, "Cut onboarding to five days")]]
    items.append([(0, "3."), (18, "Hire a second backend engineer")])
    table = [[(0, "Quarter"), (144, "Revenue"), (288, "Customers")], [(0, "Q1"), (144, "120,000"), (288, "310")]]
    table.append([(0, "Q2"), (144, "150,000"), (288, "362")])
    write_pdf(path, [["Our plans are set for the rest of the year.", *items, *table, "Prepared by Dana Okafor"]])
    assert [s.text for s in chunk_document(load_file(path))[0]] == [
        "Our plans are set for the rest of the year.",
        "Launch payments in two more countries by 30 November",
        "Cut onboarding to five days",
        "Hire a second backend engineer",
        "Quarter: Q1; Revenue: 120,000; Customers: 310",
        "Quarter: Q2; Revenue: 150,000; Customers: 362",
        "Prepared by Dana Okafor",
    ]


def test_a_pdf_table_going_on_over_a_page_break_keeps_its_column_names(tmp_path: Path):
    """A long table goes on over the next page without its header (a members' list, a statement), and some of
    its rows leave the last column empty: the rows of the second page were read without the columns' names
    ("A37 | Ole Nilsen | 2011"), and a row with all four cells there was taken for a header of the rows below
    it ("A42: A43; Bob Stone: Karim Haddad; ..."). The columns and names of the table a page ends with carry
    on to the rows that open the next page; a row with an empty cell does not end a table."""
    header = [(0, "Plot", True), (108, "Holder", True), (216, "Joined", True), (324, "Notes", True)]

    def row(plot: str, holder: str, year: str, notes: str = "") -> list:
        return [(0, plot), (108, holder), (216, year), *([(324, notes)] if notes else [])]

    first = ["Every plot holder and the year they joined.", header, row("A1", "Ann Lee", "2000", "Keeps bees")]
    first += [row("A2", "Bob Stone", "2001"), row("A3", "Karim Haddad", "2002", "Shares a shed")]
    second = [row("A4", "Ole Nilsen", "2011"), row("A5", "Lena Vogt", "2012", "Keeps bees"), row("A6", "Tom Reyes", "2014")]
    write_pdf(tmp_path / "members.pdf", [first, [*second, "The list is updated every March."]])
    assert [s.text for s in chunk_document(load_file(tmp_path / "members.pdf"))[0]] == [
        "Every plot holder and the year they joined.",
        "Plot: A1; Holder: Ann Lee; Joined: 2000; Notes: Keeps bees",
        "Plot: A2; Holder: Bob Stone; Joined: 2001",
        "Plot: A3; Holder: Karim Haddad; Joined: 2002; Notes: Shares a shed",
        "Plot: A4; Holder: Ole Nilsen; Joined: 2011",
        "Plot: A5; Holder: Lena Vogt; Joined: 2012; Notes: Keeps bees",
        "Plot: A6; Holder: Tom Reyes; Joined: 2014",
        "The list is updated every March.",
    ]


def test_prose_drawn_in_pieces_is_no_wrapped_table(monkeypatch):
    """An API reference printed to PDF sets a description with a name in code ("Create a new XSLT" |
    "TransformContext") over parameters and their texts ("style:" | "a parsed XSLT stylesheet"), the
    last with a ":" drawn apart: no table. The ":" starts no column (too few are left), and a header standing
    out to the left of the columns heads none. The runs PDFium would report for each line (left, bottom,
    right, top), given."""
    from qa.ingest.formats import pdf

    def page(header_left: float, returns: list[tuple[float, float]]) -> tuple[str, list]:
        cells = [[(header_left, 128), (131, 219)], [(76, 95), (123, 244)], [(76, 95), (123, 215)], returns]
        texts = ["Create a new XSLT TransformContext", "style: a parsed XSLT stylesheet", "doc: the input document"]
        texts.append("Returns : the newly allocated context")
        runs = [[(left, 700 - 14 * k, right, 709 - 14 * k) for left, right in line] for k, line in enumerate(cells)]
        raw = "\r\n".join(texts)
        drawn = {raw.index(text): line for text, line in zip(texts, runs)}
        monkeypatch.setattr(pdf, "_runs", lambda textpage, start, count: drawn[start])
        return raw, runs

    monkeypatch.setattr(pdf, "_run_text", lambda textpage, run: ":" if run[2] - run[0] < 3 else "word")
    monkeypatch.setattr(pdf, "_fixed_pitch", lambda textpage, raw, start, end, at: False)
    monkeypatch.setattr(pdf, "_baseline", lambda textpage, run: run[1])
    monkeypatch.setattr(pdf, "_cells", lambda textpage, runs, spans: ["Create", "a", "new"])
    raw, _ = page(34, [(75, 95), (117, 118), (123, 461)])  # "Returns" ":" "the newly ..."
    assert pdf._tables(None, raw, []) == []
    raw, _ = page(34, [(75, 95), (100, 115), (123, 461)])  # three words: columns, the header out to the left
    assert pdf._tables(None, raw, []) == []
    raw, _ = page(76, [(75, 95), (100, 115), (123, 461)])  # the same header over the columns: a table
    rows = [["Create", "a", "new"], ["word", "", "word"], ["word", "", "word"], ["word", "word", "word"]]
    assert [table[2] for table in pdf._tables(None, raw, [])] == [rows]


def test_a_pdf_title_is_set_apart_from_the_first_sentence(tmp_path: Path):
    """The title a PDF's first page shows in its largest type ran into the first sentence ("Tenancy Agreement
    This agreement is made on ...", "LATEX 2ε font selection © Copyright ..."), with or without bookmarks."""
    path = tmp_path / "lease.pdf"
    pages = [[("Tenancy Agreement", 24), "This agreement is made on 1 March 2025.", ("1. Term", 16), "It runs for a year."]]
    write_pdf(path, pages)
    doc = load_file(path)
    assert [s.text for s in chunk_document(doc)[0]] == ["This agreement is made on 1 March 2025.", "It runs for a year."]
    assert doc.title == "Tenancy Agreement"
    assert heading_paths(doc, ["It runs for a year."]) == {"It runs for a year.": "1. Term"}
    write_pdf(path, pages, outline=[("1. Term", 0, [])])  # bookmarks without the title
    doc = load_file(path)
    assert [s.text for s in chunk_document(doc)[0]] == ["This agreement is made on 1 March 2025.", "It runs for a year."]
    assert doc.title == "Tenancy Agreement"  # no title in the metadata: the one the page shows, not "lease"
    # large type below the first page's prose is content, not a title the bookmarks lack: it stays a sentence
    invoice = ["Invoice 2291 for garden work.", "Hedge cut and green waste removed.", "", ("Total due: 1,250 EUR.", 24)]
    write_pdf(path, [invoice, ["Terms", "Pay within 30 days."]], outline=[("Terms", 1, [])])
    assert "Total due: 1,250 EUR." in [s.text for s in chunk_document(load_file(path))[0]]
    # headings of one size on one page are headings, not a title of three lines joined
    write_pdf(path, [[("Tools", 16), "A spade.", ("Seeds", 16), "Beans.", ("Soil", 16), "Loam."]])
    assert [s.text for s in chunk_document(load_file(path))[0]] == ["A spade.", "Beans.", "Loam."]


def test_an_epub_is_read_chapter_by_chapter_in_reading_order(tmp_path: Path):
    from docfactory import write_epub
    from test_structure import heading_of

    path = tmp_path / "book.epub"
    chapters = [("The Voyage", "The ship left Bergen in May."), ("The Storm", "A storm broke the mast in June.")]
    write_epub(path, "Northern Seas", chapters)
    doc = load_file(path)
    assert isinstance(doc, Document), doc
    assert doc.title == "Northern Seas"  # the package's dc:title, not a chapter's <title>
    # the spine's order, not the manifest's; the navigation page is not in the spine
    assert doc.text == "The ship left Bergen in May.\n\nA storm broke the mast in June."
    assert heading_of(doc, "A storm broke") == "The Storm"  # a chapter's headings, not the one before
    assert [s.text for s in chunk_document(doc)[0]] == ["The ship left Bergen in May.", "A storm broke the mast in June."]
    # zipped from outside its folder (Debian Edu's manual: "epub/META-INF/container.xml"), it reads the same
    write_epub(path, "Northern Seas", chapters, folder="epub/")
    folded = load_file(path)
    assert isinstance(folded, Document), folded
    assert (folded.title, folded.text) == (doc.title, doc.text)


def test_an_epub_that_unzips_to_too_much_is_skipped_before_it_is_unzipped(tmp_path: Path):
    from docfactory import write_epub

    from qa.ingest.formats.common import DOCX_MAX_EXPANDED

    path = tmp_path / "bomb.epub"
    write_epub(path, "Bomb", [("One", "Short.")], filler_mb=DOCX_MAX_EXPANDED // 2**20 + 10)
    skipped = load_file(path)
    assert isinstance(skipped, Skipped) and skipped.reason.startswith("EPUB expands to 210 MB unzipped")
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04 not really a zip")
    assert load_file(tmp_path / "broken.epub").reason.startswith("could not read EPUB")


def test_an_odt_is_read_with_its_headings_rows_spaces_and_notes_without_deletions_or_comments(tmp_path: Path):
    from docfactory import write_odt
    from test_structure import heading_of

    path = tmp_path / "minutes.odt"
    write_odt(
        path,
        "Club minutes",
        '<text:tracked-changes><text:changed-region><text:deletion><text:p>Deleted words.</text:p>'
        "</text:deletion></text:changed-region></text:tracked-changes>"
        '<text:h text:outline-level="1">Budget</text:h>'
        "<text:p>The club spent<text:s/>40 euros.<text:line-break/>It rained"
        "<office:annotation><text:p>A reviewer's comment.</text:p></office:annotation>.</text:p>"
        '<text:h text:outline-level="2">Boats</text:h>'
        '<text:p>Two boats were repaired<text:note text:note-class="footnote"><text:note-citation>1'
        "</text:note-citation><text:note-body><text:p>By the harbour yard.</text:p><text:p>In May.</text:p>"
        "</text:note-body></text:note>.</text:p>"
        "<table:table><table:table-row><table:table-cell><text:p>Oars</text:p></table:table-cell>"
        "<table:table-cell><text:p>12</text:p></table:table-cell></table:table-row></table:table>",
    )
    doc = load_file(path)
    assert isinstance(doc, Document), doc
    assert doc.title == "Club minutes"
    assert doc.text == (
        "The club spent 40 euros. It rained.\n\nTwo boats were repaired.\n\nBy the harbour yard.\n\nIn May.\n\n"
        "Oars | 12"
    )
    assert heading_of(doc, "Two boats") == "Budget › Boats" and heading_of(doc, "In May") == "Budget › Boats"
    assert heading_of(doc, "Oars") == "Budget › Boats"
    (tmp_path / "broken.odt").write_bytes(b"PK\x03\x04 not really a zip")
    assert load_file(tmp_path / "broken.odt").reason.startswith("could not read ODT")


def test_an_odt_table_whose_first_row_names_its_columns_reads_each_row_with_the_names(tmp_path: Path):
    """An ODT's rows were read without their columns' names ("Compost | Karim | April"), where a .docx's are
    read with them ("Job: Compost; Who: Karim; When: April"): a first row all in bold over a first column that
    is not, or rows marked to repeat on each page, names the columns."""
    from docfactory import write_odt

    def row(*cells: str, style: str = "") -> str:
        named = f' text:style-name="{style}"' if style else ""
        return "<table:table-row>" + "".join(
            f"<table:table-cell><text:p{named}>{cell}</text:p></table:table-cell>" for cell in cells
        ) + "</table:table-row>"  # fmt: skip

    bold = '<style:style style:name="P1" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style>'
    jobs = row("Compost", "Karim", "April") + row("Hedge", "Lena", "May")
    write_odt(tmp_path / "jobs.odt", "Jobs", f"<table:table>{row('Job', 'Who', 'When', style='P1')}{jobs}</table:table>", bold)
    expected = "Job: Compost; Who: Karim; When: April\n\nJob: Hedge; Who: Lena; When: May"
    assert load_file(tmp_path / "jobs.odt").text == expected
    header = f"<table:table-header-rows>{row('Job', 'Who', 'When')}</table:table-header-rows>"
    write_odt(tmp_path / "repeated.odt", "Jobs", f"<table:table>{header}{jobs}</table:table>")
    assert load_file(tmp_path / "repeated.odt").text == expected


def test_an_odt_nested_too_deep_is_skipped(tmp_path: Path):
    from docfactory import write_odt

    from qa.ingest.formats.common import HTML_MAX_DEPTH

    write_odt(tmp_path / "deep.odt", "Deep", "<text:section>" * (HTML_MAX_DEPTH + 5) + "<text:p>x y</text:p>")
    assert load_file(tmp_path / "deep.odt").reason == f"ODT content nested deeper than {HTML_MAX_DEPTH} elements"


def test_an_epub_under_drm_is_skipped_but_an_obfuscated_font_is_harmless(tmp_path: Path):
    from docfactory import write_epub

    chapters = [("One", "The ship left Bergen in May.")]
    write_epub(tmp_path / "locked.epub", "Locked", chapters, encrypted=("OEBPS/text/ch1.xhtml",))
    assert load_file(tmp_path / "locked.epub").reason == "encrypted EPUB (DRM): its chapters cannot be read"
    write_epub(tmp_path / "font.epub", "Font", chapters, encrypted=("OEBPS/fonts/serif.otf",))
    assert load_file(tmp_path / "font.epub").text == "The ship left Bergen in May."


def test_a_pptx_is_read_slide_by_slide_with_titles_as_headings_bullets_tables_and_notes(tmp_path: Path):
    from docfactory import write_pptx
    from test_structure import heading_of

    path = tmp_path / "deck.pptx"
    write_pptx(
        path,
        [
            {"title": "Quarterly results", "bullets": ["Revenue grew 12%.", "The Lisbon office opened."],
             "notes": "Growth came from the new plan.", "footer": "Confidential"},
            {"title": "Headcount", "table": [["Team", "People"], ["Sales", "14"], ["Support", "9"]]},
            {"title": "We will hire a head of research in 2025."},
        ],
    )
    doc = load_file(path)
    assert isinstance(doc, Document), doc
    assert doc.title == "Quarterly results"
    # bullets in the order they stand on the slide, then the notes; a table's rows with its column names;
    # a title-only slide's title is its text; the footer, date and slide number are not read
    assert doc.text == (
        "Revenue grew 12%.\n\nThe Lisbon office opened.\n\nGrowth came from the new plan.\n\n"
        "Team: Sales; People: 14\n\nTeam: Support; People: 9\n\nWe will hire a head of research in 2025."
    )
    assert heading_of(doc, "The Lisbon office") == "Quarterly results"
    assert heading_of(doc, "Team: Support") == "Headcount"
    assert heading_of(doc, "We will hire") == ""
    sentences, _ = chunk_document(doc)
    assert [(s.text, s.page) for s in sentences if s.text.startswith(("Growth", "Team: Sales", "We will"))] == [
        ("Growth came from the new plan.", 1), ("Team: Sales; People: 14", 2),
        ("We will hire a head of research in 2025.", 3),
    ]
    (tmp_path / "broken.pptx").write_bytes(b"PK\x03\x04 not really a zip")
    assert load_file(tmp_path / "broken.pptx").reason.startswith("could not read PPTX")


def test_an_xlsx_is_read_row_by_row_with_column_names_under_each_sheet(tmp_path: Path):
    import datetime

    from docfactory import write_xlsx
    from test_structure import heading_of

    path = tmp_path / "budget.xlsx"
    write_xlsx(
        path,
        {
            "Budget": [
                ["Quarter", "Budget", "Owner", "Approved", None],
                ["Q1", 12000.0, "Ann", datetime.datetime(2024, 1, 15), None],
                [None, None, None, None, None],
                ["Q2", 15500.5, None, datetime.datetime(2024, 4, 2, 9, 30), None],
            ],
            "Notes": [["The Q2 budget includes the conference travel."]],
        },
    )
    doc = load_file(path)
    assert isinstance(doc, Document), doc
    assert doc.text == (
        "Quarter: Q1; Budget: 12000; Owner: Ann; Approved: 2024-01-15\n\n"
        "Quarter: Q2; Budget: 15500.5; Approved: 2024-04-02T09:30:00\n\n"
        "The Q2 budget includes the conference travel."
    )
    assert heading_of(doc, "Quarter: Q2") == "Budget" and heading_of(doc, "The Q2 budget") == "Notes"
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert load_file(tmp_path / "broken.xlsx").reason.startswith("could not read XLSX")


def test_csv_and_tsv_records_are_units_with_their_column_names(tmp_path: Path):
    (tmp_path / "people.csv").write_text('name;role;started\nAnn Lee;CTO;2019\n"Lee; Bob";"Engineer,\nlead";2021\n')
    (tmp_path / "plain.csv").write_text("just one line of text\n")
    (tmp_path / "rooms.tsv").write_text("room\tseats\nAtlas\t12\n\nBorealis\t40\n")
    people = load_file(tmp_path / "people.csv")
    assert people.text == "name: Ann Lee; role: CTO; started: 2019\n\nname: Lee; Bob; role: Engineer, lead; started: 2021"
    assert load_file(tmp_path / "plain.csv").text == "just one line of text"
    assert load_file(tmp_path / "rooms.tsv").text == "room: Atlas; seats: 12\n\nroom: Borealis; seats: 40"


def test_a_table_whose_first_row_is_a_record_is_read_without_column_names(tmp_path: Path):
    (tmp_path / "spend.csv").write_text("\n2024-01-03,Coffee,3.50\n2024-01-04,Bread,2.10\n")  # an export, no header
    assert load_file(tmp_path / "spend.csv").text == "2024-01-03 | Coffee | 3.50\n\n2024-01-04 | Bread | 2.10"
    (tmp_path / "staff.csv").write_text("Ann Lee,CTO,2019\nBob,Engineer,2021\n")  # years below a year
    assert load_file(tmp_path / "staff.csv").text == "Ann Lee | CTO | 2019\n\nBob | Engineer | 2021"
    (tmp_path / "sales.csv").write_text("Region,2022,2023\nNorth,5,6\n")  # years naming counts: a header
    assert load_file(tmp_path / "sales.csv").text == "Region: North; 2022: 5; 2023: 6"
    (tmp_path / "rivers.csv").write_text("city,river\nLisbon,Tagus\n")  # text only: the first row names
    assert load_file(tmp_path / "rivers.csv").text == "city: Lisbon; river: Tagus"
    write_xlsx(tmp_path / "boats.xlsx", {"Boats": [["Petrel", 1998, 7.5], ["Gannet", 2004, 9]]})
    assert load_file(tmp_path / "boats.xlsx").text == "Petrel | 1998 | 7.5\n\nGannet | 2004 | 9"
    # codes of one shape down a column, the first row's one of them (PostgreSQL's sql_features.txt)
    (tmp_path / "features.tsv").write_text("B011\tEmbedded Ada\tNO\nB012\tEmbedded C\tYES\nB013\tEmbedded COBOL\tNO\n")
    assert load_file(tmp_path / "features.tsv").text.split("\n\n")[0] == "B011 | Embedded Ada | NO"
    (tmp_path / "codes.csv").write_text("code,name\nB012,Embedded C\nB013,Embedded COBOL\n")  # a name over codes
    assert load_file(tmp_path / "codes.csv").text.split("\n\n")[0] == "code: B012; name: Embedded C"


def test_a_text_written_one_paragraph_a_line_is_read_line_by_line(tmp_path: Path):
    """A word processor's "Text" export (LibreOffice's, below), or a note typed in an editor that wraps only
    on the screen, puts each paragraph on one line and no blank line between them: a list's last item ran
    into the paragraph after it ("Seeds or young plants The shed is open ..."), and a line read as a list's
    item was not split into its sentences. Where two lines of prose run longer than a wrapped text's and
    next to no line goes on with the sentence above it, each line is a paragraph; a text wrapped at a width
    (most of its lines going on in lower case) is read as it was."""
    note = (
        "\ufeffAllotment handbook\n"
        "Welcome to the allotment. This handbook explains the rules that every tenant agrees to when taking a plot, "
        "and who to ask when something goes wrong.\n"
        "What to bring\n"
        "    \u2022 Gloves and a hand fork\n"
        "    \u2022 Seeds or young plants\n"
        "The shed is open from eight in the morning until dusk, and the key hangs in the box by the gate for "
        "anyone who comes later than that.\n"
    )
    (tmp_path / "handbook.txt").write_text(note, encoding="utf-8")
    units = [s.text for s in chunk_document(load_file(tmp_path / "handbook.txt"))[0]]
    assert units == [
        "Allotment handbook",
        "Welcome to the allotment.",
        "This handbook explains the rules that every tenant agrees to when taking a plot, and who to ask when "
        "something goes wrong.",
        "What to bring",
        "Gloves and a hand fork",
        "Seeds or young plants",
        "The shed is open from eight in the morning until dusk, and the key hangs in the box by the gate for "
        "anyone who comes later than that.",
    ]
    wrapped = "\n".join(textwrap.wrap(note.replace("\n", " ").replace("\u2022", ""), 70)) + "\n"
    (tmp_path / "wrapped.txt").write_text(wrapped, encoding="utf-8")
    units = [" ".join(s.text.split()) for s in chunk_document(load_file(tmp_path / "wrapped.txt"))[0]]
    assert any("Seeds or young plants The shed is open" in unit for unit in units)  # one paragraph, as written


def test_a_plain_text_table_in_tabs_is_read_as_one_and_a_file_of_numbers_is_skipped(tmp_path: Path):
    """A spreadsheet saved as "Text (Tab delimited)" is a .txt: each row was a line of one paragraph of
    thousands of characters; a file of numbers (a matrix, test data) read as one said nothing. A text indented
    with tabs, or with a comment line over its columns, is a text."""
    (tmp_path / "budget.txt").write_text("Item\tAmount\tDue\nRent\t1150\t1st\nDeposit\t1326\tMarch\n")
    assert load_file(tmp_path / "budget.txt").text == "Item: Rent; Amount: 1150; Due: 1st\n\nItem: Deposit; Amount: 1326; Due: March"
    (tmp_path / "matrix.txt").write_text("\n".join(" ".join(f"{i * j / 7:.7e}" for j in range(10)) for i in range(30)))
    skipped = load_file(tmp_path / "matrix.txt")
    assert isinstance(skipped, Skipped) and "numbers" in skipped.reason
    (tmp_path / "steps.txt").write_text("Setup:\n\tInstall it.\n\tRun it.\n\tCheck it.\n")
    assert "Install it." in load_file(tmp_path / "steps.txt").text
    (tmp_path / "listed.txt").write_text("# packages on this machine\n\napt\tdpkg\t1.21\napt\ted\t1.19\napt\tdub\t1.27\n")
    assert load_file(tmp_path / "listed.txt").text.startswith("# packages on this machine")


def test_an_email_is_read_with_its_headers_subject_and_own_text_without_quotes_or_signature(tmp_path: Path):
    from test_structure import heading_of

    (tmp_path / "venue.eml").write_text(
        "From: Ann Lee <ann@example.org>\nTo: Bob <bob@example.org>\nSubject: Offsite venue\n"
        "Date: Mon, 3 Jun 2024 10:00:00 +0200\nContent-Type: text/plain; charset=utf-8\n\n"
        "Hi Bob,\n\nWe booked the Quinta da Regaleira. It holds 40 people and\nthe deposit is 2,000 euros.\n\n"
        "> Did you find a venue?\n\nOn Fri, 31 May 2024, Bob <bob@example.org> wrote:\n> We need one by June.\n\n"
        "-- \nAnn Lee, Operations\n"
    )
    doc = load_file(tmp_path / "venue.eml")
    assert isinstance(doc, Document), doc
    assert (doc.title, doc.date) == ("Offsite venue", "2024-06-03")
    assert doc.text == (
        "From: Ann Lee <ann@example.org>; To: Bob <bob@example.org>; Date: Mon, 03 Jun 2024 10:00:00 +0200\n\n"
        "Hi Bob,\n\nWe booked the Quinta da Regaleira. It holds 40 people and the deposit is 2,000 euros."
    )
    assert heading_of(doc, "We booked") == "Offsite venue" and heading_of(doc, "From:") == ""
    (tmp_path / "news.eml").write_bytes(
        b"Subject: =?utf-8?q?Caf=C3=A9_news?=\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=XX\n\n"
        b"--XX\nContent-Type: text/html; charset=utf-8\n\n<html><body><h2>Menu</h2><p>The caf\xc3\xa9 serves soup.</p>"
        b"<script>var x = 'hidden';</script><div class=\"gmail_quote\">On Monday Bob wrote: quoted words</div>"
        b"<blockquote type=\"cite\">More quoted words</blockquote></body></html>\n--XX--\n"
    )
    html = load_file(tmp_path / "news.eml")
    assert html.title == "Café news" and html.text.endswith("The café serves soup.") and "hidden" not in html.text
    assert "quoted" not in html.text
    assert heading_of(html, "The café") == "Café news › Menu"


@pytest.mark.parametrize("name", ["bomb.pptx", "bomb.xlsx"])
def test_a_deck_or_workbook_that_unzips_to_too_much_is_skipped_before_it_is_unzipped(tmp_path: Path, name: str):
    import zipfile

    from qa.ingest.formats.common import DOCX_MAX_EXPANDED, ReadRules

    with zipfile.ZipFile(tmp_path / name, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("filler.bin", bytes(DOCX_MAX_EXPANDED + 2**20))
    # the limit is DOCX_MAX_EXPANDED or 4x the format's size limit, whichever is more: 1 MB files here
    skipped = load_file(tmp_path / name, ReadRules(max_file_mb=1))
    assert isinstance(skipped, Skipped) and " expands to 201 MB unzipped" in skipped.reason


def test_a_notebook_is_read_from_its_markdown_cells_its_code_cells_as_code_without_outputs(tmp_path: Path):
    from test_structure import heading_of

    cells = [
        {"cell_type": "markdown", "source": ["# Sales analysis\n", "\n", "We load the **2023** sales data.\n"]},
        {"cell_type": "code", "source": ["df = load('sales.csv')\n"], "outputs": [{"text": ["an output line\n"]}]},
        {"cell_type": "markdown", "source": "## Findings\n\nNorth region sales doubled after the price cut."},
        {"cell_type": "markdown", "source": ["The south region stayed flat.\n", "```python\nprint(1)\n```\n"]},
    ]
    (tmp_path / "analysis.ipynb").write_text(json.dumps({"nbformat": 4, "metadata": {}, "cells": cells}))
    doc = load_file(tmp_path / "analysis.ipynb")
    assert isinstance(doc, Document), doc
    assert doc.title == "Sales analysis"
    assert prose(doc) == (
        "We load the 2023 sales data.\n\nNorth region sales doubled after the price cut.\n\nThe south region stayed flat."
    )
    assert heading_of(doc, "The south region") == "Sales analysis › Findings"  # a cell's heading heads the next
    # the code cell is code after the paragraph before it, cited with it; its output is not read
    lead = next(s for s in chunk_document(doc)[0] if s.text == "We load the 2023 sales data.")
    assert lead.code is not None and lead.code.text == "df = load('sales.csv')" and "an output" not in doc.text
    (tmp_path / "list.ipynb").write_text("[1, 2]")
    assert load_file(tmp_path / "list.ipynb").reason == "not a Jupyter notebook (no cells)"



def test_a_table_too_long_to_be_a_document_is_skipped_with_the_reason(tmp_path: Path, monkeypatch):
    from docfactory import write_xlsx

    from qa.ingest.formats import sheets

    (tmp_path / "export.csv").write_text("id,value\n" + "".join(f"{i},{i * 2}\n" for i in range(5_001)))
    skipped = load_file(tmp_path / "export.csv")
    assert isinstance(skipped, Skipped) and skipped.reason == "a table of more than 5,000 rows: data rather than a document"
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    write_xlsx(tmp_path / "two.xlsx", {"A": [["x", 1], ["y", 2]], "B": [["z", 3], [None, None], [None, None]]})
    assert isinstance(load_file(tmp_path / "two.xlsx"), Document)  # 3 filled rows: empty ones do not count
    write_xlsx(tmp_path / "four.xlsx", {"A": [["x", 1], ["y", 2]], "B": [["z", 3], ["w", 4]]})  # across sheets
    assert load_file(tmp_path / "four.xlsx").reason == "a table of more than 3 rows: data rather than a document"


def test_a_password_protected_office_file_says_so(tmp_path: Path):
    # Word, Excel and PowerPoint encrypt a protected document into a compound (OLE) file, as a .doc is
    for name in ("secret.docx", "budget.xlsx", "deck.pptx"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    suffix = ".xlsx"
    assert load_file(tmp_path / "budget.xlsx").reason == (
        f"password-protected, or an older binary Office file named {suffix}: save it as {suffix} without a password"
    )
    assert all("password-protected" in load_file(tmp_path / n).reason for n in ("secret.docx", "deck.pptx"))


def test_a_common_file_qa_does_not_read_says_what_to_do(tmp_path: Path):
    for name in ("budget.numbers", "deck.key", "photo.JPG", "backup.zip"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0 not read")
    assert load_file(tmp_path / "budget.numbers").reason == (
        "unsupported file type '.numbers' (export it as .xlsx or CSV to have it read)"
    )
    assert load_file(tmp_path / "deck.key").reason.endswith("(export it as .pptx or PDF to have it read)")
    assert load_file(tmp_path / "photo.JPG").reason.endswith("(an image: qa reads text, not pictures, and has no OCR)")
    assert load_file(tmp_path / "backup.zip").reason.endswith("(archives are not opened: unpack it into the folder)")


def test_opendocument_spreadsheets_and_presentations_are_read_as_workbooks_and_decks_are(tmp_path: Path):
    from docfactory import write_opendocument
    from test_structure import heading_of

    def row(*cells, repeated=""):
        return "<table:table-row>" + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in cells) + (
            f'<table:table-cell table:number-columns-repeated="{repeated}"/>' if repeated else ""
        ) + "</table:table-row>"  # fmt: skip

    sheets = (
        f'<table:table table:name="Budget">{row("Quarter", "Owner", "Region", "Budget")}'
        '<table:table-row><table:table-cell><text:p>Q1</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>12000</text:p>'
        '</table:table-cell><table:table-cell table:number-columns-repeated="16380"/></table:table-row>'
        f'<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row></table:table>'
        f'<table:table table:name="Notes">{row("Travel is included.")}</table:table>'
    )
    write_opendocument(tmp_path / "budget.ods", "spreadsheet", "Budget 2024", sheets)
    doc = load_file(tmp_path / "budget.ods")
    assert isinstance(doc, Document), doc
    assert (doc.title, doc.text) == ("Budget 2024", "Quarter: Q1; Budget: 12000\n\nTravel is included.")
    assert heading_of(doc, "Travel") == "Notes"
    slides = (
        '<draw:page draw:name="page1"><draw:frame presentation:class="title"><draw:text-box><text:p>Fleet</text:p>'
        "</draw:text-box></draw:frame><draw:frame presentation:class=\"outline\"><draw:text-box>"
        "<text:p>The club owns three boats.</text:p><text:p>A fourth is on order.</text:p></draw:text-box></draw:frame>"
        '<draw:frame presentation:class="page-number"><draw:text-box><text:p>1</text:p></draw:text-box></draw:frame>'
        "<presentation:notes><draw:frame><draw:text-box><text:p>Say who donated it.</text:p></draw:text-box>"
        "</draw:frame></presentation:notes></draw:page>"
        '<draw:page draw:name="page2"><draw:frame presentation:class="title"><draw:text-box>'
        "<text:p>Questions welcome.</text:p></draw:text-box></draw:frame></draw:page>"
    )
    write_opendocument(tmp_path / "fleet.odp", "presentation", "", slides)
    deck = load_file(tmp_path / "fleet.odp")
    assert isinstance(deck, Document), deck
    assert deck.title == "Fleet"
    assert deck.text == "The club owns three boats.\n\nA fourth is on order.\n\nSay who donated it.\n\nQuestions welcome."
    assert heading_of(deck, "A fourth") == "Fleet" and heading_of(deck, "Questions") == ""
    assert [s.page for s in chunk_document(deck)[0]] == [1, 1, 1, 2]


def test_a_table_row_is_one_sentence_whatever_full_stops_its_cells_hold(tmp_path: Path):
    """A row's second half would lose the column names it is read with ("Costs fell." of which quarter?)."""
    from docfactory import write_xlsx

    (tmp_path / "q.csv").write_text("quarter,notes\nQ3,Revenue rose. Costs fell.\n")
    write_xlsx(tmp_path / "q.xlsx", {"Q": [["quarter", "notes"], ["Q3", "Revenue rose. Costs fell."]]})
    (tmp_path / "q.md").write_text("| quarter | notes |\n|---|---|\n| Q3 | Revenue rose. Costs fell. |\n\nIt rained. It snowed.\n")
    (tmp_path / "q.html").write_text(
        "<html><body><table><tr><th>quarter</th><th>notes</th></tr><tr><td>Q3</td><td>Revenue rose. Costs fell.</td>"
        "</tr></table><p>It rained. It snowed.</p></body></html>"
    )
    for name in ("q.csv", "q.xlsx", "q.md", "q.html"):
        doc = load_file(tmp_path / name)
        texts = [s.text for s in chunk_document(doc)[0]]
        assert texts[0] == "quarter: Q3; notes: Revenue rose. Costs fell.", (name, texts)
        if name in ("q.md", "q.html"):
            assert texts[1:] == ["It rained.", "It snowed."]  # prose around the table is still split


def test_every_reader_names_a_parser_that_exists():
    """The reader table names its parsers by module and function (imported when first needed): each resolves."""
    from importlib import import_module

    from qa.ingest.loaders import READERS

    for suffix, reader in READERS.items():
        assert callable(getattr(import_module(f"qa.ingest.formats.{reader.module}"), reader.function)), suffix


# As Word writes a document saved as RTF: a stylesheet whose heading styles have outline levels (one holding a
# nested group), the information group, a picture, Unicode escapes with their fallbacks, a table
WORD_RTF = r"""{\rtf1\ansi\ansicpg1252\uc1\deff0{\fonttbl{\f0\froman Times New Roman;}}
{\stylesheet{\ql \widctlpar\fs24 \snext0 Normal;}{\s1\ql\outlinelevel0\b\fs32\sbasedon0\snext0 heading 1;}
{\s2\ql\outlinelevel1\b\fs28\sbasedon0\snext0 heading 2;}{\s15\ql\fs20\sbasedon0 {\*\keycode \shift\ctrl n}footnote;}}
{\info{\title Harbour \'e9t\'e9 guide}{\author Ann}{\creatim\yr2024\mo6\dy3\hr9\min5}}
\pard\plain \s1\ql\outlinelevel0\b\fs32 Moorings\par
\pard\plain \ql\fs24 Visitors moor at the east pontoon. The caf\'e9 opens at \u8203\'3f8 am.\par
{\pict\pngblip\picw10\pich10 89504e470d0a1a0a0000000d4948445200}
\pard\plain \s2\ql\outlinelevel1\b\fs28 Fees\par
\trowd\cellx3000\cellx6000\pard\intbl Boat\cell Fee per night\cell\row
\trowd\cellx3000\cellx6000\pard\intbl Dinghy. Small.\cell 5 euros\cell\row
\pard\plain \ql Fees are paid at the office.\par
}"""


def test_an_rtf_document_is_read_with_its_headings_tables_title_and_date(tmp_path: Path):
    from test_structure import heading_of

    (tmp_path / "guide.rtf").write_text(WORD_RTF)
    doc = load_file(tmp_path / "guide.rtf")
    assert isinstance(doc, Document), doc
    assert (doc.title, doc.date) == ("Harbour été guide", "2024-06-03")
    assert doc.text == (
        "Visitors moor at the east pontoon. The café opens at \u200b8 am.\n\n"
        "Boat: Dinghy. Small.; Fee per night: 5 euros\n\nFees are paid at the office."
    )
    assert heading_of(doc, "Visitors") == "Moorings" and heading_of(doc, "Fees are") == "Moorings › Fees"
    row = doc.text.index("Boat:")
    assert (row, row + len("Boat: Dinghy. Small.; Fee per night: 5 euros")) in doc.records  # one unit
    # without a stylesheet, headings are found by their look, as in a text file
    (tmp_path / "plain.rtf").write_text(r"{\rtf1\ansi INTRODUCTION TO SAILING\par The tide turns twice a day.\par}")
    plain = load_file(tmp_path / "plain.rtf")
    assert plain.text.endswith("The tide turns twice a day.") and heading_of(plain, "The tide") == "INTRODUCTION TO SAILING"
    # a bulleted list as Word and LibreOffice write it: each item's bullet the Symbol font's U+F0B7, which
    # stayed in the item's text ("\uf0b7 Gloves and a hand fork")
    item = r"\pard\plain {\listtext\pard\plain \u61623\'3f\tab}\ls1 \li360\fi-360 "
    listed = r"{\rtf1\ansi What to bring:\par " + item + r"Gloves\par " + item + r"A hand fork\par}"
    (tmp_path / "list.rtf").write_text(listed)
    assert [s.text for s in chunk_document(load_file(tmp_path / "list.rtf"))[0]] == ["What to bring:", "Gloves", "A hand fork"]


def test_a_mailbox_is_read_message_by_message_each_under_its_subject(tmp_path: Path):
    from test_structure import heading_of

    (tmp_path / "club.mbox").write_bytes(
        b"From ann@example.org Mon Jun  3 10:00:00 2024\nFrom: Ann <ann@example.org>\nSubject: Boat rota\n"
        b"Date: Mon, 3 Jun 2024 10:00:00 +0200\n\nTom sails the Petrel on Saturdays.\n>From now on, bring life jackets.\n\n"
        b"From bob@example.org Tue Jun  4 08:00:00 2024\nFrom: Bob <bob@example.org>\nSubject: Re: Boat rota\n\n"
        b"Ines takes Sundays.\n\nOn Mon, 3 Jun 2024, Ann wrote:\n> Tom sails the Petrel on Saturdays.\n"
    )
    doc = load_file(tmp_path / "club.mbox")
    assert isinstance(doc, Document), doc
    assert doc.title == "club"
    assert doc.text == (
        "From: Ann <ann@example.org>; Date: Mon, 03 Jun 2024 10:00:00 +0200\n\n"
        "Tom sails the Petrel on Saturdays. From now on, bring life jackets.\n\n"
        "From: Bob <bob@example.org>\n\nInes takes Sundays."
    )
    assert heading_of(doc, "Tom sails") == "Boat rota" and heading_of(doc, "Ines") == "Re: Boat rota"
    assert heading_of(doc, "From: Bob") == ""


def test_a_latex_source_is_read_as_it_typesets_with_its_sections_as_headings(tmp_path: Path):
    from test_structure import heading_of

    (tmp_path / "tides.tex").write_text(
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\title{Tide tables for \\emph{Lisbon}}\n"
        "\\newcommand{\\unit}[1]{\\,\\mathrm{#1}}\n\\begin{document}\n\\maketitle\n"
        "\\section{Harbour}\\label{sec:h}\nThe harbour has 40 berths~\\cite{pilot}. % 38 in winter\n"
        "Fees are \\emph{5 EUR} per night\\footnote{Since 2020.}.\n\n"
        "The caf\\'e opens at 8 am.\n\\subsection[Tides]{Tides \\& currents}\n"
        "The tide range is $3.2\\,\\mathrm{m}$ at springs.\n"
        "\\begin{itemize}\n\\item Low tide is at 6 am.\n\\end{itemize}\n"
        "\\begin{verbatim}\nsecret = 1\n\\end{verbatim}\n"
        "\\begin{figure}\\includegraphics{dawn.png}\\caption{The harbour at dawn.}\\end{figure}\n\\end{document}\n"
    )
    doc = load_file(tmp_path / "tides.tex")
    assert isinstance(doc, Document), doc
    assert doc.title == "Tide tables for Lisbon"
    assert doc.text == (
        "The harbour has 40 berths. Fees are 5 EUR per night.\n\nThe café opens at 8 am.\n\n"
        "The tide range is 3.2 m at springs.\n\n* Low tide is at 6 am.\n\nThe harbour at dawn."
    )
    assert heading_of(doc, "The café") == "Harbour" and heading_of(doc, "* Low") == "Harbour › Tides & currents"
    # a chapter included by a main file has no document environment: all of it is text
    (tmp_path / "chapter.tex").write_text("\\chapter{Boats}\nThe club owns \\textbf{three} boats.\n")
    chapter = load_file(tmp_path / "chapter.tex")
    assert chapter.text == "The club owns three boats." and heading_of(chapter, "The club") == "Boats"


def test_cookie_notices_sign_ups_and_share_buttons_are_not_read_as_a_pages_text(tmp_path: Path):
    long_text = "The club was founded in 1921 by six fishermen who pooled their boats. " * 8  # over 500 characters
    (tmp_path / "page.html").write_text(
        "<html><body>"
        '<div id="cookie-banner" role="dialog"><p>We use cookies. Accept all cookies?</p></div>'
        '<div class="consent"><p>Manage your privacy choices.</p></div>'
        "<p>The tide range at springs is 3.2 metres.</p>"
        '<div class="share-buttons">Share on Facebook Share on Twitter</div>'
        f'<div class="modal-body"><p>{long_text}</p></div>'  # long: text, whatever its class says
        '<section class="newsletter"><p>Subscribe to our newsletter!</p></section>'
        '<p class="ad-hoc shared-note">Mooring is free for the first night.</p>'  # names that only look alike
        '<div class="advertisement">Buy a boat today.</div>'
        '<div id="footer"><div id="footer-text">Last updated 2024-05-31 00:35:55 UTC</div></div>'  # AsciiDoc's
        '<p class="footnote">Tides are given for Dover.</p>'  # a footnote is text
        "</body></html>"
    )
    doc = load_file(tmp_path / "page.html")
    assert "cookies" not in doc.text and "privacy" not in doc.text and "Facebook" not in doc.text
    assert "newsletter" not in doc.text and "Buy a boat" not in doc.text and "Last updated" not in doc.text
    assert "Tides are given for Dover." in doc.text
    assert "The tide range at springs is 3.2 metres." in doc.text and "founded in 1921" in doc.text
    assert "Mooring is free for the first night." in doc.text


def test_a_word_97_document_is_read(tmp_path: Path):
    from docfactory import REAL_DOC
    from test_structure import heading_of

    doc = load_file(REAL_DOC)  # saved by Word itself
    assert isinstance(doc, Document), doc
    assert doc.text == "Test OLE file, saved as Word 97-2003 Document."
    real = Path(__file__).parent / "fixtures" / "real"
    german = load_file(real / "oletools-harmless-clean.doc")  # its heading in Word's "Überschrift 1" style
    assert isinstance(german, Document), german
    assert german.text.startswith("This is a harmless test document.\n\nIt contains neither macros")
    assert "ünicöde-ßtringß" in german.text
    assert german.title == "Test" and heading_of(german, "It contains neither") == "Test"
    assert "password-protected" in load_file(real / "oletools-encrypted.doc").reason


def test_a_doc_is_read_with_its_headings_fields_tables_and_unicode_but_not_its_notes(tmp_path: Path):
    from docfactory import write_doc
    from test_structure import heading_of

    main = [
        ("Harbour rules\r", 1),
        ("Boats moor at the east pontoon.\r", 0),
        ("Fees\r", 2),
        ('See \x13 HYPERLINK "http://example.org/fees" \x14the fee list\x15 online.\r', 3),
        ("Dinghy\x075 EUR\x07\x07", 0),
        ("Call\x0bthe harbour master.\x0c", 0),
    ]
    unicode = "Zürich visitors pay twice \u2014 東京 ones too.\r"
    note = "A footnote nobody should read.\r"
    path = tmp_path / "harbour.doc"
    eight_bit = "".join(text for text, _ in main)
    write_doc(
        path,
        [(eight_bit, True), (unicode + note, False)],
        main=len(eight_bit) + len(unicode),
        styles=[(len(text), style) for text, style in main] + [(len(unicode), 0), (len(note), 0)],
    )
    doc = load_file(path)
    assert isinstance(doc, Document), doc
    assert doc.text == (
        "Boats moor at the east pontoon.\n\nSee the fee list online.\n\nDinghy\n\n5 EUR\n\n"
        "Call the harbour master.\n\nZürich visitors pay twice \u2014 東京 ones too."
    )
    assert doc.title == "Harbour rules"  # the first heading: the file's metadata has no title
    assert heading_of(doc, "Boats moor") == "Harbour rules"  # "Überschrift 1": Word's heading 1, in German
    assert heading_of(doc, "See the fee list") == "Harbour rules › Fees"
    assert heading_of(doc, "Zürich") == "Harbour rules › Fees"


def test_what_word_saves_as_doc_is_read_as_what_it_is(tmp_path: Path):
    from docfactory import write_docx

    (tmp_path / "rtf.doc").write_bytes(rb"{\rtf1\ansi The ferry leaves at noon.\par}")
    (tmp_path / "web.doc").write_text("<html><body><p>The ferry leaves at noon.</p></body></html>")
    write_docx(tmp_path / "new.doc", "Ferry", ["The ferry leaves at noon."])
    for name in ("rtf.doc", "web.doc", "new.doc"):
        doc = load_file(tmp_path / name)
        assert isinstance(doc, Document), doc
        assert "The ferry leaves at noon." in doc.text, name


def test_a_doc_that_cannot_be_read_says_why(tmp_path: Path):
    import struct

    import olefile
    from docfactory import REAL_DOC

    def variant(name: str, change) -> Path:
        path = tmp_path / name
        path.write_bytes(REAL_DOC.read_bytes())
        with olefile.OleFileIO(str(path), write_mode=True) as ole:
            word = bytearray(ole.openstream("WordDocument").read())
            change(word)
            ole.write_stream("WordDocument", bytes(word))
        return path

    def pieces_elsewhere(word: bytearray) -> None:  # fcClx (FibRgFcLcb97 entry 33) past the table stream
        csw = struct.unpack_from("<H", word, 32)[0]
        cslw = struct.unpack_from("<H", word, 34 + 2 * csw)[0]
        struct.pack_into("<I", word, 34 + 2 * csw + 2 + 4 * cslw + 2 + 8 * 33, 1 << 20)

    assert "Word 6 or 95" in load_file(variant("old.doc", lambda w: struct.pack_into("<H", w, 2, 0x0065))).reason
    locked = variant("locked.doc", lambda w: struct.pack_into("<H", w, 10, struct.unpack_from("<H", w, 10)[0] | 0x0100))
    assert "password-protected" in load_file(locked).reason
    (tmp_path / "text.doc").write_text("plain words in a file named .doc")
    assert "not a Word document" in load_file(tmp_path / "text.doc").reason
    broken = load_file(variant("broken.doc", pieces_elsewhere))
    assert broken.reason == "could not read DOC: ValueError: no piece table"
    gone = bytearray(REAL_DOC.read_bytes())
    gone[2048:] = bytes(len(gone) - 2048)  # the directory and the streams gone, the header kept
    (tmp_path / "gone.doc").write_bytes(bytes(gone))
    assert "without a WordDocument stream" in load_file(tmp_path / "gone.doc").reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.integers(0, 4095), st.integers(0, 255)), min_size=1, max_size=40))
def test_a_damaged_word_97_document_never_raises_or_hangs(tmp_path_factory, changes):
    import olefile
    from docfactory import REAL_DOC

    path = tmp_path_factory.mktemp("damaged") / "damaged.doc"
    path.write_bytes(REAL_DOC.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:  # bytes of the FIB and the text changed
        word = bytearray(ole.openstream("WordDocument").read())
        for at, value in changes:
            word[at] = value
        ole.write_stream("WordDocument", bytes(word))
    item = load_file(path)
    assert isinstance(item, Document | Skipped)


def test_an_outlook_message_is_read_as_an_eml_is(tmp_path: Path):
    from docfactory import write_msg
    from test_structure import heading_of

    sent = (1_717_404_000 + 11_644_473_600) * 10_000_000  # 2024-06-03 08:40 UTC as a FILETIME
    write_msg(
        tmp_path / "ferry.msg",
        {
            0x0037: "Ferry timetable",
            0x0C1A: "Ann Lee",
            0x0C1F: "ann@example.org",
            0x0E04: "Harbour office",
            0x1000: "The summer ferry leaves at noon.\r\n\r\nAnn\r\n\r\n-----Original Message-----\r\n"
            "From: Bob\r\nWhen does the ferry leave?",
            0x1009: b"compressed RTF, not read",
        },
        {0x0039: sent},
    )
    import olefile

    olefile.OleFileIO(str(tmp_path / "ferry.msg"), raise_defects=olefile.DEFECT_INCORRECT).close()  # a sound file
    doc = load_file(tmp_path / "ferry.msg")
    assert isinstance(doc, Document), doc
    assert doc.title == "Ferry timetable" and doc.date == "2024-06-03"
    assert doc.text.startswith("From: Ann Lee <ann@example.org>; To: Harbour office; Date: Mon, 03 Jun 2024 08:40:00")
    assert "The summer ferry leaves at noon." in doc.text and "When does the ferry leave" not in doc.text
    assert heading_of(doc, "The summer ferry") == "Ferry timetable"

    write_msg(  # no plain body: the HTML one; 8-bit strings in the message's code page (Cyrillic, 1251)
        tmp_path / "html.msg",
        {
            0x0037: "Паром".encode("cp1251"),
            0x1013: b"<html><body><p>The ferry is late.</p><blockquote>Quoted words.</blockquote></body></html>",
        },
        codepage=1251,
    )
    html = load_file(tmp_path / "html.msg")
    assert isinstance(html, Document), html
    assert html.title == "Паром" and "The ferry is late." in html.text and "Quoted" not in html.text

    # a sent time past the year 9999 is no date: the time it was delivered is
    write_msg(tmp_path / "late.msg", {0x0037: "Late", 0x1000: "Hello."}, {0x0039: 2**63, 0x0E06: sent})
    assert load_file(tmp_path / "late.msg").date == "2024-06-03"
    write_msg(tmp_path / "rtf.msg", {0x0037: "Only RTF", 0x1009: b"compressed RTF"})
    assert "only in compressed RTF" in load_file(tmp_path / "rtf.msg").reason
    (tmp_path / "text.msg").write_text("a note, not a message")
    assert "not an Outlook message" in load_file(tmp_path / "text.msg").reason


def test_transcripts_and_subtitles_are_read_as_what_was_said(tmp_path: Path):
    (tmp_path / "teams.vtt").write_text(
        "WEBVTT - Weekly sync\n\nNOTE exported by the meeting tool\n\n"
        "1\n00:00:01.000 --> 00:00:04.200\n<v Ann Lee>The budget for the harbour</v>\n\n"
        "2\n00:00:04.200 --> 00:00:07.000 align:start\n<v Ann Lee>is twelve thousand euros.</v>\n\n"
        "00:00:07.500 --> 00:00:09.000\n<v Bob>We agree &amp; sign on <00:00:08.000>Friday.</v>\n"
    )
    teams = load_file(tmp_path / "teams.vtt")
    assert isinstance(teams, Document), teams
    assert teams.title == "Weekly sync"
    assert teams.text == "Ann Lee: The budget for the harbour is twelve thousand euros.\n\nBob: We agree & sign on Friday."

    (tmp_path / "zoom.vtt").write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nAnn Lee: Who books the ferry?\n\n"
        "2\n00:00:03.000 --> 00:00:05.000\nBob Stone: I do,\nevery Monday.\n"
    )
    zoom = load_file(tmp_path / "zoom.vtt")
    assert zoom.text == "Ann Lee: Who books the ferry?\n\nBob Stone: I do, every Monday."
    assert zoom.title == "zoom"  # no title in the header: the file's name

    (tmp_path / "film.srt").write_text(
        "1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>The lighthouse was built</i>\r\n\r\n"
        "2\r\n00:00:02,500 --> 00:00:04,000\r\nin 1852.\r\n\r\n3\r\n00:00:05,000 --> 00:00:06,000\r\nIt still works.\r\n",
        newline="",
    )
    film = load_file(tmp_path / "film.srt")
    assert film.text == "The lighthouse was built in 1852.\n\nIt still works."
    sentences = [s.text for s in chunk_document(film)[0]]
    assert "The lighthouse was built in 1852." in sentences
    cues = "".join(f"{k}\n00:00:0{k},000 --> 00:00:0{k},900\nwords without an end {k}\n\n" for k in range(1, 10))
    (tmp_path / "auto.srt").write_text(cues)  # automatic captions: no punctuation, joined MAX_JOINED at most
    assert load_file(tmp_path / "auto.srt").text.count("\n\n") == 1


def test_an_excel_97_workbook_is_read_as_an_xlsx_is(tmp_path: Path):
    from docfactory import write_xlsx
    from test_structure import heading_of

    fixtures = Path(__file__).parent / "fixtures"
    book = load_file(fixtures / "xls" / "harbour.xls")  # written by xlwt (fixtures/xls/make_harbour_xls.py)
    assert isinstance(book, Document), book
    assert book.text == (
        "Boat: Dinghy; Night: 5; Week: 30; Since: 2021-04-01\n\nBoat: Yacht; Night: 12.5; Week: 80; Since: 2023-06-15"
        "\n\nName: Åsa Berg; Role: harbour master\n\nName: Tom Reed; Role: night watch"
    )
    assert heading_of(book, "Boat: Yacht") == "Fees" and heading_of(book, "Name: Tom Reed") == "Staff"
    excel = load_file(fixtures / "real" / "oletools-embedded-simple-2007.xls")  # saved by Excel
    assert isinstance(excel, Document), excel
    assert excel.text == "This spreadsheet contains an embedded object: Have fun parsing :-)"
    assert "password-protected" in load_file(fixtures / "real" / "oletools-encrypted.xls").reason

    # what web applications and Excel export under .xls: a web page's table, tab-separated text, an .xlsx
    (tmp_path / "web.xls").write_text("<table><tr><th>Boat</th><th>Fee</th></tr><tr><td>Kayak</td><td>3</td></tr></table>")
    (tmp_path / "tabs.xls").write_text("Boat\tFee\nKayak\t3\nCanoe\t4\n")
    write_xlsx(tmp_path / "new.xls", {"Fees": [["Boat", "Fee"], ["Kayak", 3]]})
    for name in ("web.xls", "tabs.xls", "new.xls"):
        doc = load_file(tmp_path / name)
        assert isinstance(doc, Document), doc
        assert "Boat: Kayak; Fee: 3" in doc.text, name


def test_a_powerpoint_97_deck_is_read_slide_by_slide_as_a_pptx_is(tmp_path: Path):
    from docfactory import write_ppt
    from test_structure import heading_of

    real = Path(__file__).parent / "fixtures" / "real"
    saved = load_file(real / "oletools-embedded-simple-2007.ppt")  # saved by PowerPoint
    assert isinstance(saved, Document), saved
    assert saved.text == "This slide contains an embedded object\n\nIt is a simple harmless ASCII text file"
    assert saved.title == "Embedded Objects" and heading_of(saved, "It is a simple") == "Embedded Objects"
    assert "password-protected" in load_file(real / "oletools-encrypted.ppt").reason

    write_ppt(tmp_path / "guide.ppt")
    deck = load_file(tmp_path / "guide.ppt")
    assert isinstance(deck, Document), deck
    assert deck.text == (
        "Boats moor at the east pontoon. Visitors welcome.\n\nFerries leave hourly.\n\nTickets cost 5 EUR.\n\n"
        "Remind them of the ferry strike."
    )  # the current slide 1, not the version a fast save left behind ("Old title"); no slide number; notes last
    assert deck.title == "Harbour guide"
    assert heading_of(deck, "Boats moor") == "Harbour guide" and heading_of(deck, "Tickets") == "Second slide"
    assert heading_of(deck, "Remind them") == "Second slide"
    assert deck.pages == (0, deck.text.index("Ferries"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.integers(0, 700), st.integers(0, 255)), min_size=1, max_size=30))
def test_a_damaged_powerpoint_97_deck_never_raises_or_hangs(tmp_path_factory, changes):
    import olefile
    from docfactory import write_ppt

    path = tmp_path_factory.mktemp("damaged") / "damaged.ppt"
    write_ppt(path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:  # bytes of the records changed, sizes included
        stream = bytearray(ole.openstream("PowerPoint Document").read())
        for at, value in changes:
            stream[at % len(stream)] = value
        ole.write_stream("PowerPoint Document", bytes(stream))
    assert isinstance(load_file(path), Document | Skipped)


SITE_TEMPLATES = """---
layout: page
title: Getting started
---

# Getting started
{: .no_toc }

1. TOC
{:toc}

[TOC]

> [!IMPORTANT]
> Back up your data before upgrading.

Install it from PyPI, as `{% include pip.md %}` shows.
{: .note }

{% highlight bash %}
pip install --upgrade mytool
{% endhighlight %}

{% comment %}
Not shown on the site.
{% endcomment %}

{% include warning.html %}

{{< note >}}
Run it as a normal user.
{{< /note >}}

The default port is 8080.[^port]

=== "Linux"

    Run the installer from a terminal.

    ```bash
    ./install.sh
    ```

=== "Windows"

    Run the installer from PowerShell.

```liquid
{% if user %}Hello{% endif %}
```

## Upgrading

Upgrades keep the settings.

[^port]: Set the PORT environment variable to change it.
"""


def test_documentation_site_templates_are_read_as_the_site_renders_them(tmp_path: Path):
    """Jekyll (Liquid, kramdown), Hugo and MkDocs Material write their machinery into the Markdown: none of
    it is text, a highlight block is code, a content tab is a section under its label; a GitHub alert reads
    with its kind, a footnote's text without its marker, after the text and under no heading."""
    doc, paragraphs = paragraphs_of(tmp_path, "start.md", SITE_TEMPLATES)
    assert doc.title == "Getting started"
    assert paragraphs == [
        "Important: Back up your data before upgrading.",
        "Install it from PyPI, as {% include pip.md %} shows.",  # inline code keeps its tags
        "Run it as a normal user.",
        "The default port is 8080.",
        "Run the installer from a terminal.",
        "Run the installer from PowerShell.",
        "Upgrades keep the settings.",
        "Set the PORT environment variable to change it.",
    ]
    path_of = heading_paths(doc, paragraphs)
    assert path_of["Run the installer from a terminal."] == "Getting started \u203a Linux"
    assert path_of["Run the installer from PowerShell."] == "Getting started \u203a Windows"
    assert path_of["Upgrades keep the settings."] == "Getting started \u203a Upgrading"
    assert path_of["Set the PORT environment variable to change it."] == ""


MKDOCS_PAGE = """# Configuration

The site_name setting is required. It names the site. { #site-name }

[Get started](start.md){ .md-button .md-button--primary } Read the [guide](guide.md){ target=_blank } first.

*[HTML]: Hyper Text Markup Language

::: mkdocs.config.defaults.MkDocsConfig
    options:
      show_root_heading: true

::: {.note}
A Pandoc div's body is prose.
:::

The theme must be installed first. (1)
{ .annotate }

A dict is written {x} or { 'a': 1 } in code, and `{ .x }` stays as written.
"""


def test_an_mkdocs_pages_attributes_abbreviations_and_api_stubs_read_as_the_site_shows_them(tmp_path: Path):
    """MkDocs' attribute lists without kramdown's colon ("{ .md-button }", "{ target=_blank }", a line of
    "{ .annotate }") are no text, an abbreviation's definition reads "HTML: Hyper Text Markup Language",
    mkdocstrings' "::: package.Class" with its options is no text (the site builds API pages there), a
    Pandoc div with attributes ("::: {.note}") is prose, and an annotation's mark "(1)" is no unit. Braces
    that are no attributes stay."""
    doc, paragraphs = paragraphs_of(tmp_path, "configuration.md", MKDOCS_PAGE)
    assert paragraphs == [
        "The site_name setting is required. It names the site.",
        "Get started Read the guide first.",
        "HTML: Hyper Text Markup Language",
        "A Pandoc div's body is prose.",
        "The theme must be installed first. (1)",
        "A dict is written {x} or { 'a': 1 } in code, and { .x } stays as written.",
    ]
    sentences, _ = chunk_document(doc)
    assert "(1)" not in [s.text for s in sentences]
    assert "The theme must be installed first." in [s.text for s in sentences]


MARKDOWN_IN_HTML_PAGE = """# Testing

Here is the test command at work:

<figure markdown>
  ![Testing example](release/testing.gif){ loading=lazy role="img" }
</figure>

<div class="grid cards" markdown>
- __Quick start__ gets you running in five minutes.
</div>

<div class="note">
Plain HTML keeps its text.
</div>
"""


def test_markdown_inside_an_html_element_marked_markdown_reads_as_markdown(tmp_path: Path):
    """MkDocs Material's pages wrap Markdown in HTML elements marked `markdown` (Python-Markdown's md_in_html):
    a picture in a `<figure markdown>` says nothing, as a picture in Markdown does; a list in a `<div ...
    markdown>` reads as a list. Read as CommonMark's raw HTML, the picture's Markdown was a unit of its own:
    "![Testing example](release/testing.gif)"."""
    _, paragraphs = paragraphs_of(tmp_path, "testing.md", MARKDOWN_IN_HTML_PAGE)
    assert paragraphs == [
        "Here is the test command at work:",
        "Quick start gets you running in five minutes.",
        "Plain HTML keeps its text.",
    ]


PROFILES_PAGE = """Built-in profiles
========

The profiles below ship with the tool.

#black

 - **line_length**: `88`

#google

 - **line_length**: `1000`

#1234

#meeting #budget

### 9.0.0 August 26 2026

 - Compile the extension module.
"""


def test_a_heading_without_a_space_after_its_marks_heads_as_mkdocs_shows_it(tmp_path: Path):
    """Python-Markdown (MkDocs) reads "#google" alone between blank lines as a heading; CommonMark reads a
    paragraph, so "line_length: 1000" was read under no profile and "#google" was a unit. A number ("#1234")
    or a line of tags stays text. A release's heading dated after its version without a comma ("9.0.0 August
    26 2026") is dated August 26, not "0 August": it is a unit of its own, as a dated release's heading is."""
    doc, paragraphs = paragraphs_of(tmp_path, "profiles.md", PROFILES_PAGE)
    path_of = heading_paths(doc, paragraphs)
    assert path_of["line_length: 88"] == "black"
    assert path_of["line_length: 1000"] == "google"
    assert "#1234" in paragraphs and "#meeting #budget" in paragraphs
    units = [s.text for s in chunk_document(doc)[0]]
    assert "9.0.0 August 26 2026" in units and "#google" not in units


DOCUSAURUS = """---
sidebar_position: 1
---

import Tabs from '@theme/Tabs';
import {
  Highlight,
} from '@site/src/components';

# Introduction

:::tip

Use the CLI to create a new site.

```bash
npx create-site
```

:::

:::warning Watch out
Node 18 or newer is required.
:::

::: details More
VuePress containers read the same way.
:::

:::{toctree}
install
:::

export const versions = {
  stable: '3.1',
};

<Tabs>
  <TabItem value="npm" label="npm">

Install it with npm.

  </TabItem>
</Tabs>

The site builds in <Highlight>two seconds</Highlight>.
"""


def test_docusaurus_and_vuepress_markdown_keep_their_admonitions_and_leave_out_their_modules(tmp_path: Path):
    """`:::tip` (no braces) is a Docusaurus admonition or a VuePress container: prose, whose title is not
    text and whose code is left out (the body was dropped with the fence); MDX's import and export lines,
    over several lines too, are not text; .mdx, .qmd and .Rmd files are read as Markdown."""
    for name in ("intro.mdx", "intro.md", "intro.qmd", "intro.Rmd"):
        doc, paragraphs = paragraphs_of(tmp_path, name, DOCUSAURUS)
        assert doc.title == "Introduction", name
        assert paragraphs == [
            "Use the CLI to create a new site.",
            "Node 18 or newer is required.",
            "VuePress containers read the same way.",
            "Install it with npm.",
            "The site builds in two seconds.",
        ], name


NOTES_APP = """+++
title = "Trip to Lyon"
draft = false
+++

# Trip notes

See [[Packing list]] and [[Budget 2024#Hotels|the budget]] before leaving. ![[map.png]]

> [!info] Flight
> The flight leaves at 07:40 from gate B12.

> [!todo]-
> Book the hotel.

> [!NOTE]
> Lyon is one hour ahead of London.

The museum is closed on Tuesdays. ^museum-note

--8<-- "includes/abbreviations.md"

- [ ] Renew the passport
- [x] Buy an adapter

```python
links = "[[not a link]]"  # - [ ] not a task
```
"""


def test_personal_notes_read_as_the_notes_app_shows_them(tmp_path: Path):
    """Obsidian-style notes: a wiki link reads as its text or alias, an embed and a block id are not text, a
    callout reads as "Title: ..." (or its kind, when it has no title), a task says whether it is done; Hugo's
    TOML front matter names the title; code is left as it is (and out)."""
    doc, paragraphs = paragraphs_of(tmp_path, "trip.md", NOTES_APP)
    assert doc.title == "Trip to Lyon"
    assert paragraphs == [
        "See Packing list and the budget before leaving.",
        "Flight: The flight leaves at 07:40 from gate B12.",
        "Todo: Book the hotel.",
        "Note: Lyon is one hour ahead of London.",
        "The museum is closed on Tuesdays.",
        "To do: Renew the passport",
        "Done: Buy an adapter",
    ]


LOGSEQ = """title:: Project Apollo
owner:: [[Ann Lee]]
id:: 64f1c2a0-1b2c-4d5e-8f90-123456789abc

- Kickoff was on [[Jul 3rd, 2024]].
	- TODO Book the venue
	- DONE Hire a designer
		- collapsed:: true
	- Vendor delay on the API. ((64f1c2a0-1b2c-4d5e-8f90-123456789abc))
- std::vector holds the rows::
"""


def test_an_outliners_page_reads_its_properties_and_markers_as_they_show(tmp_path: Path):
    """Logseq: each "key:: value" property is a unit ("owner: Ann Lee"), its bookkeeping (id, collapsed) is not
    text, a block reference is not text, TODO and DONE read as "To do" and "Done"; "std::vector" is no
    property."""
    assert paragraphs_of(tmp_path, "Project Apollo.md", LOGSEQ)[1] == [
        "title: Project Apollo",
        "owner: Ann Lee",
        "Kickoff was on Jul 3rd, 2024.",
        "To do: Book the venue",
        "Done: Hire a designer",
        "Vendor delay on the API.",
        "std::vector holds the rows::",
    ]


RST_README = """MyTool
======

MyTool syncs folders. See `the docs <https://example.com>`_ for more.

Installation
------------

Install it with pip::

    pip install mytool

Use :func:`mytool.sync` from Python, or ``mytool sync a b`` from a shell.

.. note::

   Python 3.9 or newer is required.
"""

MARKDOWN_README = """# Tool

A small tool for [syncing](https://example.com) folders.

```
pip install tool
```
"""


def test_a_plain_text_name_written_in_markup_is_read_as_that_markup(tmp_path: Path):
    """A README.txt in reStructuredText (a directive, or an underlined heading with roles, literals, links or
    a literal block) and an extension-less README in Markdown (fenced code, or a "# Heading" with links, inline
    code or bold) are read by their markup's reader: code out (a short block after a colon ends the paragraph
    that leads into it), links and roles as text. Plain text with underlined headings alone stays plain text,
    its offsets those of the file."""
    doc, paragraphs = paragraphs_of(tmp_path, "README.txt", RST_README)
    assert doc.title == "MyTool"
    assert paragraphs == [
        "MyTool syncs folders. See the docs for more.",
        "Install it with pip: pip install mytool",
        "Use mytool.sync() from Python, or mytool sync a b from a shell.",
        "Python 3.9 or newer is required.",
    ]
    doc, paragraphs = paragraphs_of(tmp_path, "README", MARKDOWN_README)
    assert doc.title == "Tool" and paragraphs == ["A small tool for syncing folders."]
    plain = "Usage\n=====\n\nRun it daily. Keep `backups` of **everything**.\n"
    doc, _ = paragraphs_of(tmp_path, "notes.txt", plain)
    assert doc.text == plain and doc.sections == ((0, "Usage"),)


def test_an_html_definition_lists_terms_lead_what_they_define(tmp_path: Path):
    """<dt> terms (a glossary's, a DocBook variable list's, a Sphinx page's signatures) are written before the
    first text of their <dd>, a term's own colon not doubled; a term without a definition stays as it is."""
    html = (
        "<html><body><main><h1>Glossary</h1><dl>"
        "<dt>context</dt><dd>The state of one invocation.</dd>"
        "<dt>Freedom:</dt><dt><code>--free</code></dt><dd><p>Debian stays free.</p><p>Always.</p></dd>"
        "<dt>orphan</dt></dl></main></body></html>"
    )
    doc, paragraphs = paragraphs_of(tmp_path, "glossary.html", html)
    assert paragraphs == [
        "context: The state of one invocation.",
        "Freedom, --free: Debian stays free.",
        "Always.",
        "orphan",
    ]


ORG_NOTES = """#+TITLE: Team /handbook/
#+TODO: TODO NEXT | DONE CANCELLED(c@)

* Leave policy                                                  :hr:
Staff get *25 days* of leave a year. See [[https://intra.example.org/leave][the leave page]] for the form.
Requests go to your manager[fn:1].

** NEXT [#A] Carry over [1/2]
   SCHEDULED: <2024-03-01 Fri>
   :PROPERTIES:
   :OWNER: Ann
   :END:
Up to /five days/ can be carried over to the next year, until <2025-03-31 Mon>.
   - [X] ask HR about the deadline
   - [ ] update the form at /usr/local/forms/
   - Deadline :: the end of March

#+BEGIN_SRC sh
ls -la ~/leave
#+END_SRC

: $ leave --days 5

* COMMENT Drafts
Nothing here should be read.
** Old idea
Neither this.

* Offices
| City   | Desks | Manager |
|--------+-------+---------|
| Berlin |    40 | Ann Lee |

#+BEGIN_QUOTE
Work is what you do, not where you go.
#+END_QUOTE
# a comment line
* CANCELLED Holidays
Public holidays follow the office's city.
"""


def test_an_org_file_is_read_as_its_notes_under_their_headings(tmp_path: Path):
    """Org mode: headings without their TODO keywords (the file's own too), priority, cookie and tags;
    links as their description, emphasis without marks; a list item and a table row are units; code blocks,
    fixed-width output, drawers, planning lines, comments and a COMMENT subtree are not read."""
    from test_structure import heading_of

    path = tmp_path / "handbook.org"
    path.write_text(ORG_NOTES)
    doc = load_file(path)
    assert isinstance(doc, Document), doc
    assert doc.title == "Team handbook"
    assert doc.text.startswith("Staff get 25 days of leave a year. See the leave page for the form. Requests go")
    assert heading_of(doc, "Staff get") == "Leave policy"
    assert heading_of(doc, "Up to five days can be carried over to the next year, until 2025-03-31 Mon.") == (
        "Leave policy › Carry over"
    )
    assert "\n\nask HR about the deadline\n\nupdate the form at /usr/local/forms/\n\nDeadline: the end of March" in doc.text
    row = "City: Berlin; Desks: 40; Manager: Ann Lee"
    assert heading_of(doc, row) == "Offices" and (doc.text.index(row), doc.text.index(row) + len(row)) in doc.records
    assert heading_of(doc, "Work is what you do") == "Offices"
    assert heading_of(doc, "Public holidays") == "Holidays"
    for unread in ("SCHEDULED", "OWNER", "ls -la", "leave --days", "Nothing here", "Neither this", "comment", "#+", "[fn"):
        assert unread not in prose(doc)


def test_an_org_or_asciidoc_table_under_a_header_row_keeps_its_column_names(tmp_path: Path):
    """A two-column table whose header row the markup marks (Org's rule under it, AsciiDoc's blank line after
    it) was read as labels beside values ("Variable: Meaning", "DISPLAY: The X display."), as a table without
    one must be; its rows are read with its column names, as every other format's are."""
    (tmp_path / "env.org").write_text("* Environment\n| Variable | Meaning |\n|---+---|\n| DISPLAY | The X display. |\n| SHELL | The shell run. |\n")
    (tmp_path / "env.adoc").write_text("= Environment\n\n|===\n| Variable | Meaning\n\n| DISPLAY | The X display.\n| SHELL | The shell run.\n|===\n")
    for name in ("env.org", "env.adoc"):
        text = load_file(tmp_path / name).text
        assert "Variable: DISPLAY; Meaning: The X display." in text, (name, text)
        assert "Variable: Meaning" not in text


def test_a_real_org_agenda_file_is_read_without_its_planning_and_drawers():
    """tests/fixtures/real/orgparse-01_attributes.org (orgparse's test data): headings with DONE and a
    priority, SCHEDULED/DEADLINE/CLOSED and CLOCK lines, a property drawer."""
    doc = load_file(Path(__file__).parent / "fixtures" / "real" / "orgparse-01_attributes.org")
    assert isinstance(doc, Document), doc
    assert [path for _, path in doc.sections] == [
        "A node with a lot of attributes",
        "range in deadline",
        "node with a second line but no date",
    ]
    assert doc.text.startswith("2010-08-16 Mon DateList\n\n2010-08-07 Sat--2010-08-08 Sun\n\n")
    for unread in ("SCHEDULED", "DEADLINE", "CLOCK", "Effort", "PROPERTIES", "hidestars", "[#A]"):
        assert unread not in doc.text


ASCIIDOC_GUIDE = """= Harbour Guide
Ann Lee <ann@example.org>
v1.2, 2024-03-01
:fee: 12 EUR

A short guide for visiting boats. See <<fees,the fee table>> and xref:rules.adoc[the rules].

== Mooring

Boats moor at the *east pontoon*; the `max_length` setting is 14 m.
Long boats +
use the outer berth.

NOTE: The harbour master answers on channel 9.

[TIP]
====
Arrive before dusk.
====

[source,sh]
----
harbour --berth east
----

[source,python]
print("not prose")

  an indented literal line

////
A comment block nobody reads.
////

// a comment line
include::extra.adoc[]

.Fees per night
[[fees]]
[cols="2,1",options="header"]
|===
|Boat |Fee
|Under 10 m
|{fee}
|Over 10 m |20 EUR
|===

Showers:: in the blue building
Wi-Fi::
  the password is on the board

* first item with `snake_case_name`
** nested item

=== Safety

WARNING: No swimming in the harbour.
"""


def test_an_asciidoc_file_is_read_as_its_prose_under_its_sections(tmp_path: Path):
    """AsciiDoc: the title and its header lines, attribute values, cross-references and links as their text,
    admonitions with their kind, a table's rows with their column names (cells on lines of their own, as the
    cols attribute counts them), definitions, list items; listings, [source] and indented literal
    paragraphs, comments and directives are not read."""
    from test_structure import heading_of

    path = tmp_path / "guide.adoc"
    path.write_text(ASCIIDOC_GUIDE)
    doc = load_file(path)
    assert isinstance(doc, Document), doc
    assert doc.title == "Harbour Guide"
    assert doc.text.startswith("A short guide for visiting boats. See the fee table and the rules.\n\n")
    mooring = "Boats moor at the east pontoon; the max_length setting is 14 m. Long boats use the outer berth."
    assert heading_of(doc, mooring) == "Harbour Guide › Mooring"
    for unit in (
        "Note: The harbour master answers on channel 9.",
        "Tip: Arrive before dusk.",
        "Boat: Under 10 m; Fee: 12 EUR",
        "Boat: Over 10 m; Fee: 20 EUR",
        "Showers: in the blue building",
        "Wi-Fi: the password is on the board",
        "first item with snake_case_name",
        "nested item",
    ):
        assert f"\n\n{unit}\n\n" in doc.text, unit
    assert heading_of(doc, "Warning: No swimming") == "Harbour Guide › Mooring › Safety"
    for unread in ("Ann Lee", "v1.2", "harbour --berth", "not prose", "literal line", "comment", "include", "Fees per"):
        assert unread not in prose(doc)


def test_asciidoc_two_line_titles_and_question_terms(tmp_path: Path):
    """Older AsciiDoc (git's manuals) underlines its titles ("Configuration" over "-------------", which is not
    a listing fence); a question as a definition's term reads as the question before its answer; an escaped
    "\\--" and a macro's manual-section number ("linkgit:git-config[1]") read as shown."""
    from test_structure import heading_of

    path = tmp_path / "faq.adoc"
    path.write_text(
        "gitfaq(7)\n=========\n\nConfiguration\n-------------\n\nWhat should I put in `user.name`?::\n"
        "\tYour personal name.\n+\nSee `credential.username` in linkgit:git-config[1].\n\n\\--quiet::\n"
        "\tSay less.\n\n----\ngit config user.name\n----\n"
    )
    doc = load_file(path)
    assert isinstance(doc, Document), doc
    assert doc.title == "gitfaq(7)"
    assert prose(doc) == (
        "What should I put in user.name? Your personal name.\n\nSee credential.username in git-config.\n\n"
        "--quiet: Say less."
    )
    assert heading_of(doc, "Say less") == "gitfaq(7) › Configuration"


def test_a_real_asciidoc_readme_is_read():
    """tests/fixtures/real/jetty-README.adoc (Eclipse Jetty 12's README): link macros, passthroughs,
    listing blocks (a one-line command ends the sentence that leads into it), tag comments."""
    from test_structure import heading_of

    doc = load_file(Path(__file__).parent / "fixtures" / "real" / "jetty-README.adoc")
    assert isinstance(doc, Document), doc
    assert doc.title == "ECLIPSE JETTY"
    assert doc.text.startswith("The Eclipse Jetty Project provides a:\n\nJava HTTP (HTTP/1.1, HTTP/2 and HTTP/3)")
    assert "Jetty is available under an open source license, and the full source code is available at GitHub." in doc.text
    assert "supports deployment of EE10 *.war files and a clear-text HTTP connector:" in doc.text
    assert heading_of(doc, "The Jetty server can be stopped with ctrl+c") == "ECLIPSE JETTY › Quick Setup"
    assert "Now you can start the Jetty server with: $ java -jar $JETTY_HOME/start.jar" in doc.text
    for unread in ("tag::", "link:", "----", "+*"):
        assert unread not in doc.text


_LINE_MARKUP = [
    "* ", "** TODO [#A] ", ":PROPERTIES:", ":END:", "#+BEGIN_SRC", "#+END_SRC", "#+TITLE: ", "| a | b |", "|---+---|",
    "- [X] ", ":: ", "SCHEDULED: <2024-01-01>", "[[x][y]]", "*b*", "/i/", ": ", "# ", "= ", "== ", "----", "====",
    "|===", "[source]", "[cols=\"2*\"]", "NOTE: ", ":attr: v", "{attr}", "<<a,b>>", "link:x[y]", "+", "////", "term:: ",
    ". ", "  ", "",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_LINE_MARKUP), st.text("ab .|*:=+-", max_size=8)), max_size=30))
def test_org_and_asciidoc_readers_never_raise_and_place_their_sections(lines):
    """Any sequence of their line syntaxes (blocks left open, tables cut short, fences unmatched): both readers
    give a document whose sections start inside its text, in order."""
    from qa.ingest.formats.asciidoc import parse_asciidoc
    from qa.ingest.formats.org import parse_org

    data = "\n".join(mark + words for mark, words in lines).encode()
    for parse in (parse_org, parse_asciidoc):
        doc = parse("x", data)
        starts = [start for start, _ in doc.sections]
        assert starts == sorted(starts) and all(0 <= start <= len(doc.text) for start in starts)
        chunk_document(doc)


def test_web_pages_saved_as_one_file_are_read_as_their_page(tmp_path: Path):
    """Chrome's and Edge's "Webpage, Single File" (.mhtml: MIME, the page quoted-printable, pictures as other
    parts), Safari's .webarchive (a binary property list) and an .xhtml page read as the same .html would."""
    import plistlib

    page = (
        "<html><head><title>Harbour</title></head><body><nav>Home | Fees</nav><h1>Harbour</h1>"
        "<h2>Mooring</h2><p>Boats moor at the east pontoon, caf\u00e9 open at 8.</p></body></html>"
    )
    (tmp_path / "page.html").write_text(page)
    expected = load_file(tmp_path / "page.html")
    assert isinstance(expected, Document) and "east pontoon" in expected.text
    quoted = page.replace("=", "=3D").replace("\u00e9", "=C3=A9")
    (tmp_path / "page.mhtml").write_text(
        "From: <Saved by Blink>\nSnapshot-Content-Location: https://example.org/\nSubject: Harbour\n"
        "MIME-Version: 1.0\nContent-Type: multipart/related;\n\ttype=\"text/html\";\n\tboundary=\"--B--\"\n\n"
        "----B--\nContent-Type: image/png\nContent-ID: <logo@mhtml.blink>\nContent-Transfer-Encoding: base64\n\n"
        "iVBORw0KGgo=\n"
        "----B--\nContent-Type: text/html; charset=\"utf-8\"\nContent-ID: <frame-1@mhtml.blink>\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{quoted}\n----B----\n"
    )
    archive = {
        "WebMainResource": {
            "WebResourceData": page.encode("utf-8"),
            "WebResourceMIMEType": "text/html",
            "WebResourceTextEncodingName": "UTF-8",
            "WebResourceURL": "https://example.org/",
        },
        "WebSubresources": [{"WebResourceData": b"\x89PNG", "WebResourceMIMEType": "image/png"}],
    }
    (tmp_path / "page.webarchive").write_bytes(plistlib.dumps(archive, fmt=plistlib.FMT_BINARY))
    (tmp_path / "page.xhtml").write_text('<?xml version="1.0" encoding="utf-8"?>\n' + page)
    for name in ("page.mhtml", "page.webarchive", "page.xhtml"):
        doc = load_file(tmp_path / name)
        assert isinstance(doc, Document), (name, doc)
        assert (doc.text, doc.title, doc.sections) == (expected.text, expected.title, expected.sections), name
    (tmp_path / "pictures.mhtml").write_text("MIME-Version: 1.0\nContent-Type: image/png\n\niVBORw0KGgo=\n")
    assert "no HTML page" in load_file(tmp_path / "pictures.mhtml").reason
    (tmp_path / "broken.webarchive").write_bytes(b"bplist00 not really")
    assert isinstance(load_file(tmp_path / "broken.webarchive"), Skipped)


def _retyped(source: Path, target: Path, content_type: str) -> None:
    """`source`, an OOXML package, saved as `target` with its main part's content type changed (as Office
    writes a macro-enabled file, a template or a slide show)."""
    import zipfile

    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in package.infolist():
            content = package.read(member)
            if member.filename == "[Content_Types].xml":
                content = re.sub(rb'(PartName="/(?:word/document|ppt/presentation|xl/workbook)\.xml" ContentType=")[^"]+', rb"\g<1>" + content_type.encode(), content)
            copy.writestr(member, content)


def test_macro_enabled_files_templates_and_slide_shows_are_read_as_their_documents(tmp_path: Path):
    """.docm/.dotx/.dotm, .pptm/.ppsx/.ppsm/.potx/.potm and .xlsm/.xltx/.xltm hold the same XML as .docx, .pptx
    and .xlsx under another content type (which python-docx and python-pptx refuse): read as those are."""
    import zipfile

    from docfactory import write_pptx

    write_docx(tmp_path / "plain.docx", "Fees", ["Dinghies pay 5 EUR a night."])
    write_pptx(tmp_path / "plain.pptx", [{"title": "Fees", "bullets": ["Dinghies pay 5 EUR a night.", "Cash only."]}])
    write_xlsx(tmp_path / "plain.xlsx", {"Fees": [["boat", "fee"], ["dinghy", "5 EUR a night"]]})
    word = "application/vnd.{}.main+xml"
    variants = {
        "docx": {
            "docm": word.format("ms-word.document.macroEnabled"),
            "dotx": word.format("openxmlformats-officedocument.wordprocessingml.template"),
            "dotm": word.format("ms-word.template.macroEnabledTemplate"),
        },
        "pptx": {
            "pptm": word.format("ms-powerpoint.presentation.macroEnabled"),
            "ppsx": word.format("openxmlformats-officedocument.presentationml.slideshow"),
            "ppsm": word.format("ms-powerpoint.slideshow.macroEnabled"),
            "potx": word.format("openxmlformats-officedocument.presentationml.template"),
            "potm": word.format("ms-powerpoint.template.macroEnabled"),
        },
        "xlsx": {
            "xlsm": word.format("ms-excel.sheet.macroEnabled"),
            "xltx": word.format("openxmlformats-officedocument.spreadsheetml.template"),
            "xltm": word.format("ms-excel.template.macroEnabled"),
        },
    }
    for plain, kinds in variants.items():
        expected = load_file(tmp_path / f"plain.{plain}")
        assert isinstance(expected, Document) and "5 EUR a night" in expected.text, plain
        for suffix, content_type in kinds.items():
            target = tmp_path / f"file.{suffix}"
            _retyped(tmp_path / f"plain.{plain}", target, content_type)
            with zipfile.ZipFile(target) as package:
                assert content_type.encode() in package.read("[Content_Types].xml")
            doc = load_file(target)
            assert isinstance(doc, Document), (suffix, doc)
            assert (doc.text, doc.sections) == (expected.text, expected.sections), suffix


def test_an_emails_attachments_are_read_under_its_subject(tmp_path: Path, monkeypatch):
    """A message's attachments of kinds qa reads (here a PDF, a Word document, a CSV and a plain text with a
    heading of its own) are read as those files would be, each under "Attachment: <name>" below the subject,
    their own headings below that, a table row still one unit; a picture, an attached message and an
    attachment over its size limit are not read. A mailbox's messages bring theirs too."""
    from email.message import EmailMessage

    from docfactory import write_pdf
    from test_structure import heading_of

    from qa.ingest.formats.common import FILE_MB

    write_pdf(tmp_path / "report.pdf", [["The audit found no issues in the harbour accounts."]])
    write_docx(tmp_path / "plan.docx", "Budget", ["The dredging costs 40,000 EUR."])
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "Ann <ann@example.org>", "Bob <bob@example.org>", "Q3 papers"
    message.set_content("Hi Bob,\n\nThe papers are attached.\n")
    message.add_attachment((tmp_path / "report.pdf").read_bytes(), "application", "pdf", filename="report.pdf")
    message.add_attachment(
        (tmp_path / "plan.docx").read_bytes(),
        "application",
        "vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="plan.docx",
    )
    message.add_attachment("berth,fee\nA1,12 EUR\n", subtype="csv", filename="fees.csv")
    message.add_attachment("Opening hours\n=============\n\nThe office opens at 8.\n", filename="hours.txt")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(64), "image", "png", filename="logo.png")
    inner = EmailMessage()
    inner["Subject"] = "Old thread"
    inner.set_content("Nothing to read here.\n")
    message.add_attachment(inner)
    (tmp_path / "papers.eml").write_bytes(bytes(message))
    doc = load_file(tmp_path / "papers.eml")
    assert isinstance(doc, Document), doc
    assert heading_of(doc, "The papers are attached.") == "Q3 papers"
    assert heading_of(doc, "The audit found no issues") == "Q3 papers › Attachment: report.pdf"
    assert heading_of(doc, "The dredging costs") == "Q3 papers › Attachment: plan.docx › Budget"
    row = "berth: A1; fee: 12 EUR"
    assert heading_of(doc, row) == "Q3 papers › Attachment: fees.csv"
    assert any(doc.text[s:e] == row for s, e in doc.records)
    assert heading_of(doc, "The office opens at 8.") == "Q3 papers › Attachment: hours.txt › Opening hours"
    assert "=====" not in doc.text and "Opening hours" not in doc.text  # a plain text's heading is its context
    assert "Nothing to read" not in doc.text and "PNG" not in doc.text
    monkeypatch.setitem(FILE_MB, "pdf", 100 / 2**20)  # 100 bytes: the PDF is over its limit, the rest not
    small = load_file(tmp_path / "papers.eml")
    assert isinstance(small, Document) and "audit" not in small.text and "dredging" in small.text
    assert "The office opens at 8." in small.text
    monkeypatch.setitem(FILE_MB, "text", 300 / 2**20)  # room for the message, not for every attachment
    roomy = load_file(tmp_path / "papers.eml")
    assert isinstance(roomy, Document) and "The papers are attached." in roomy.text and len(roomy.text) <= 300
    monkeypatch.setitem(FILE_MB, "text", 8)
    (tmp_path / "box.mbox").write_bytes(b"From ann@example.org Mon Jun  3 10:00:00 2024\n" + bytes(message) + b"\n")
    box = load_file(tmp_path / "box.mbox")
    assert isinstance(box, Document) and heading_of(box, "The dredging costs") == "Q3 papers › Attachment: plan.docx › Budget"


def test_an_outlook_messages_attachments_are_read_as_an_emls_are(tmp_path: Path):
    from docfactory import write_msg
    from test_structure import heading_of

    write_docx(tmp_path / "plan.docx", "Budget", ["The dredging costs 40,000 EUR."])
    write_msg(
        tmp_path / "plan.msg",
        {0x0037: "Dredging plan", 0x0C1A: "Ann Lee", 0x1000: "The plan is attached."},
        attachments=[("plan.docx", (tmp_path / "plan.docx").read_bytes()), ("logo.png", b"\x89PNG\r\n\x1a\n")],
    )
    doc = load_file(tmp_path / "plan.msg")
    assert isinstance(doc, Document), doc
    assert heading_of(doc, "The plan is attached.") == "Dredging plan"
    assert heading_of(doc, "The dredging costs 40,000 EUR.") == "Dredging plan › Attachment: plan.docx › Budget"
    assert "PNG" not in doc.text


def test_an_evernote_export_is_read_note_by_note_with_its_files(tmp_path: Path):
    """.enex: each note under its title, its ENML headings one level below it, check boxes as "Done"/"To do",
    entities decoded; a PDF resource read under "Attachment: <name>", a picture not; one note's export takes
    its title and creation date."""
    import base64

    from docfactory import write_pdf
    from test_structure import heading_of

    write_pdf(tmp_path / "tariff.pdf", [["Yachts over 12 m pay 30 EUR a night."]])
    pdf = base64.b64encode((tmp_path / "tariff.pdf").read_bytes()).decode()
    note = (
        "<note><title>Harbour fees</title><created>20240603T100000Z</created><tag>boats</tag>"
        "<content><![CDATA[<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>"
        "<!DOCTYPE en-note SYSTEM \"http://xml.evernote.com/pub/enml2.dtd\">"
        "<en-note><h1>Dinghies</h1><div>Dinghies pay 5 EUR a night.</div>"
        "<div><en-todo checked=\"true\"/>Call Bob about the berth</div><div><en-todo/>Pay the deposit</div>"
        "</en-note>]]></content>"
        f"<resource><data encoding=\"base64\">\n{pdf}\n</data><mime>application/pdf</mime>"
        "<resource-attributes><file-name>tariff.pdf</file-name></resource-attributes></resource>"
        "<resource><data encoding=\"base64\">iVBORw0KGgo=</data><mime>image/png</mime>"
        "<resource-attributes><file-name>logo.png</file-name></resource-attributes></resource></note>"
    )
    other = (
        "<note><title>Ferry</title><created>20240604T100000Z</created>"
        "<content><![CDATA[<en-note><div>The ferry leaves at noon &amp; returns at six.</div></en-note>]]></content></note>"
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE en-export SYSTEM "http://xml.evernote.com/pub/evernote-export3.dtd">\n'
    (tmp_path / "notes.enex").write_text(f'{head}<en-export application="Evernote">{note}{other}</en-export>')
    doc = load_file(tmp_path / "notes.enex")
    assert isinstance(doc, Document), doc
    assert (doc.title, doc.date) == ("notes", "")
    assert doc.text.startswith("Dinghies pay 5 EUR a night.\n\nDone: Call Bob about the berth\n\nTo do: Pay the deposit")
    assert heading_of(doc, "Dinghies pay") == "Harbour fees › Dinghies"
    assert heading_of(doc, "Yachts over 12 m pay 30 EUR a night.") == "Harbour fees › Attachment: tariff.pdf"
    assert heading_of(doc, "The ferry leaves at noon & returns at six.") == "Ferry"
    assert "PNG" not in doc.text and "boats" not in doc.text
    (tmp_path / "one.enex").write_text(f"{head}<en-export>{other}</en-export>")
    one = load_file(tmp_path / "one.enex")
    assert isinstance(one, Document) and (one.title, one.date) == ("Ferry", "2024-06-04")


def test_a_chat_export_is_read_message_by_message(tmp_path: Path):
    """WhatsApp (both of its export formats) and IRC logs: each message, with the lines it goes on over, is
    one unit; sentences no longer run from one message into the next. Two stamped lines are not a chat."""
    chats = {
        "phone.txt": (
            "[03/06/2024, 10:00:12] Ann Lee: The ferry leaves at noon tomorrow\n"
            "[03/06/2024, 10:01:40] Bob: ok. Who brings the life jackets\n"
            "[03/06/2024, 10:02:05] Ann Lee: Carla does\n"
            "and the cooler too\n"
            "[03/06/2024, 10:05:51] Carla: Yes I'll bring 6 of them.\n"
        ),
        "desktop.txt": (
            "03/06/2024, 10:00 - Ann Lee: The ferry leaves at noon tomorrow\n"
            "03/06/2024, 10:01 - Bob: ok. Who brings the life jackets\n"
            "03/06/2024, 10:02 - Ann Lee: Carla does\nand the cooler too\n"
            "03/06/2024, 10:05 - Carla: Yes I'll bring 6 of them.\n"
        ),
    }
    for name, text in chats.items():
        (tmp_path / name).write_text(text)
        doc = load_file(tmp_path / name)
        assert isinstance(doc, Document), doc
        sentences = [s.text for s in chunk_document(doc)[0]]
        assert len(sentences) == 4, (name, sentences)
        assert sentences[1].endswith("Bob: ok. Who brings the life jackets"), name
        assert sentences[2].endswith("Ann Lee: Carla does\nand the cooler too"), name
    (tmp_path / "irc.txt").write_text(
        "[10:00] <ann> the ferry leaves at noon\n[10:01] <bob> ok. who brings the jackets\n[10:02] <ann> carla does\n"
        "\nNotes after the log. They are prose.\n"
    )
    irc = [s.text for s in chunk_document(load_file(tmp_path / "irc.txt"))[0]]
    assert irc == [
        "[10:00] <ann> the ferry leaves at noon",
        "[10:01] <bob> ok. who brings the jackets",
        "[10:02] <ann> carla does",
        "Notes after the log.",
        "They are prose.",
    ]
    (tmp_path / "two.txt").write_text("[03/06/2024, 10:00] Ann: Hi. All well\n[03/06/2024, 10:01] Bob: Yes. Fine\n")
    assert [s.text for s in chunk_document(load_file(tmp_path / "two.txt"))[0]][0] == "[03/06/2024, 10:00] Ann: Hi."


def test_asciidoc_behind_a_txt_name_is_read_as_asciidoc(tmp_path: Path):
    """git's manuals are AsciiDoc in .txt files: two kinds of what only AsciiDoc writes (a block attribute
    line, a "|===" fence, a directive, an inline macro, an attribute entry, a lone "+") make a text read as
    AsciiDoc, its listings left out; one alone does not."""
    from test_structure import heading_of

    (tmp_path / "git-notes.txt").write_text(
        "git-notes(1)\n============\n\nDESCRIPTION\n-----------\nAdds notes to objects; see linkgit:git-log[1].\n\n"
        "[source,sh]\n----\ngit notes add -m 'Tested'\n----\n"
    )
    doc = load_file(tmp_path / "git-notes.txt")
    assert isinstance(doc, Document), doc
    assert prose(doc) == "Adds notes to objects; see git-log."
    assert heading_of(doc, "Adds notes") == "git-notes(1) › DESCRIPTION"
    (tmp_path / "plain.txt").write_text("Prices\n======\n\nSee link:prices.html[the list]\n\nThe list is long.\n")
    plain = load_file(tmp_path / "plain.txt")
    assert "link:prices.html[the list]" in plain.text  # one marker: plain text as it is
