"""reStructuredText and extension-less text files, on a real file (tests/fixtures/real/NOTICE.md)."""

from __future__ import annotations

from pathlib import Path

from conftest import heading_paths, paragraphs_of

from qa.ingest.chunking import chunk_document
from qa.ingest.loaders import Skipped, load_file

REAL = Path(__file__).parent / "fixtures" / "real"


def sentences(path: Path) -> list[str]:
    doc = load_file(path)
    assert not isinstance(doc, Skipped), doc
    return [s.text for s in chunk_document(doc)[0]]


def test_rst_prose_is_read_and_code_blocks_are_not_sentences():
    doc = load_file(REAL / "boto3-s3-examples.rst")
    assert not isinstance(doc, Skipped)
    assert doc.title == "List objects in an Amazon S3 bucket"
    texts = sentences(REAL / "boto3-s3-examples.rst")
    assert any(t.startswith("The following example shows how to use an Amazon S3 bucket resource") for t in texts)
    joined = " ".join(texts)
    for code in ("import boto3", "s3.Bucket(", "print(obj.key)", "code-block"):
        assert code not in joined
    assert "List top-level common prefixes" not in joined  # section titles are not sentences
    # offsets point into the extracted text
    for s in chunk_document(doc)[0]:
        assert doc.text[s.start : s.end] == s.text


def test_rst_include_and_raw_directives_read_nothing(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The launch code is swordfish.\n")
    path = tmp_path / "doc.rst"
    path.write_text(
        f"Title\n=====\n\nA harmless paragraph about lighthouses.\n\n.. include:: {secret}\n\n"
        ".. raw:: html\n\n   <b>Raw passthrough text.</b>\n\n.. tabs::\n\n   .. group-tab:: Bash\n\n      Add this to your shell.\n"
    )
    texts = " ".join(sentences(path))
    assert "harmless paragraph about lighthouses" in texts
    assert "swordfish" not in texts and "Raw passthrough" not in texts and "group-tab" not in texts


def test_rst_lists_and_tables_are_read(tmp_path: Path):
    path = tmp_path / "faq.rst"
    path.write_text(
        "FAQ\n===\n\n- The ferry leaves at nine.\n- The ferry returns at five.\n\n"
        "+--------+----------------------------+\n| Port   | Description                |\n+========+============================+\n"
        "| Dover  | Dover has white cliffs.    |\n+--------+----------------------------+\n"
    )
    texts = sentences(path)
    assert "The ferry leaves at nine." in texts and "The ferry returns at five." in texts
    assert any("Dover has white cliffs." in t for t in texts)


def test_the_generated_table_of_contents_is_no_sentence_and_a_topic_is_read(tmp_path: Path):
    """`.. contents::` repeats the section titles as links: read as text, a title that is a FAQ's question
    became a sentence, the best match for that question, instead of its answer."""
    path = tmp_path / "faq.rst"
    path.write_text(
        "Lighthouse FAQ\n==============\n\n.. contents::\n    :local:\n\nAbout the keepers and their lamps.\n\n"
        "How often is the lamp cleaned?\n------------------------------\n\nThe keeper polishes the lens every morning.\n\n"
        "Who keeps the light?\n--------------------\n\n.. contents:: In this answer\n\nTwo keepers share the watch.\n\n"
        "Their names\n~~~~~~~~~~~\n\nThey are Ada and Bram.\n\n.. topic:: Old lamps\n\n   The first lamp burned whale oil.\n"
    )
    assert sentences(path) == [
        "About the keepers and their lamps.",
        "The keeper polishes the lens every morning.",
        "Two keepers share the watch.",
        "They are Ada and Bram.",
        "The first lamp burned whale oil.",
    ]


def test_an_object_description_under_a_generated_table_of_contents_is_read(tmp_path: Path):
    """`.. contents::` links to every section; an object's description (`.. class::`, read as a section
    headed by its signature) had no id to link to, and the whole file was skipped (docutils' own FAQ, which
    uses `.. class::` for docutils' meaning of it, was)."""
    path = tmp_path / "api.rst"
    path.write_text(
        "Lamps\n=====\n\n.. contents::\n\nThe lamp module.\n\n"
        "Classes\n-------\n\n.. class:: Lamp(oil)\n\n   A lamp that burns oil.\n\n"
        ".. class:: details\n\nThe end of the page.\n"
    )
    doc, paragraphs = paragraphs_of(tmp_path, "api.rst", path.read_text())
    assert paragraphs == ["The lamp module.", "A lamp that burns oil.", "The end of the page."]
    assert heading_paths(doc, paragraphs)["A lamp that burns oil."] == "Lamps \u203a Classes \u203a Lamp(oil)"


def test_a_file_without_an_extension_is_read_when_its_content_is_text(tmp_path: Path):
    (tmp_path / "README").write_text("This project counts puffins on the island.\n")
    (tmp_path / "blob").write_bytes(bytes(range(1, 32)) * 200)  # control bytes, no NUL
    (tmp_path / "program").write_bytes(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100)
    assert sentences(tmp_path / "README") == ["This project counts puffins on the island."]
    for name in ("blob", "program"):
        item = load_file(tmp_path / name)
        assert isinstance(item, Skipped) and item.reason == "binary content"
    # a script is a program too ("nginx_modsite" in nginx's examples): its code is no prose
    (tmp_path / "nginx_modsite").write_text("#!/bin/bash\n##\n#  File:\n#    nginx_modsite\n##\nls /etc\n")
    (tmp_path / "NOTES").write_text("# A heading\n\nA note that opens with a hash, not a script.\n")
    script = load_file(tmp_path / "nginx_modsite")
    assert isinstance(script, Skipped) and script.reason == "a script (it opens with #!), not a document"
    assert "A note that opens with a hash, not a script." in sentences(tmp_path / "NOTES")


def test_a_documentation_file_named_by_convention_is_read_whatever_its_ending(tmp_path: Path):
    (tmp_path / "README.Debian").write_text("This package drops the bundled copy of certifi.\n")
    (tmp_path / "NEWS.source").write_text("The upstream tarball is repacked.\n")
    (tmp_path / "LICENSE.APACHE").write_text("Licensed under the Apache License, Version 2.0.\n")  # packaging's
    (tmp_path / "CHANGES.py").write_text("print('not prose')\n")  # code, whatever its name
    (tmp_path / "notes.bin").write_bytes(bytes(range(1, 32)) * 200)  # control bytes: not text
    (tmp_path / "Installer.exe").write_text("a name that only begins like INSTALL\n")
    assert sentences(tmp_path / "README.Debian") == ["This package drops the bundled copy of certifi."]
    assert sentences(tmp_path / "NEWS.source") == ["The upstream tarball is repacked."]
    assert sentences(tmp_path / "LICENSE.APACHE") == ["Licensed under the Apache License, Version 2.0."]
    assert load_file(tmp_path / "CHANGES.py").reason == "unsupported file type '.py'"
    assert load_file(tmp_path / "notes.bin").reason == "binary content"
    assert load_file(tmp_path / "Installer.exe").reason == "unsupported file type '.exe'"


def test_markdown_and_html_code_blocks_are_not_sentences(tmp_path: Path):
    md = tmp_path / "guide.md"
    md.write_text(
        "# Install\n\nRun the installer once.\n\n```bash\npip install lighthouse --upgrade\n```\n\n"
        "    indented_code_line = 1\n\nThen restart the shell.\n"
    )
    texts = " ".join(sentences(md))
    assert "Run the installer once." in texts and "Then restart the shell." in texts
    assert "pip install" not in texts and "indented_code_line" not in texts
    html = tmp_path / "guide.html"
    html.write_text("<main><p>Use the <code>--upgrade</code> flag.</p><pre>pip install lighthouse</pre></main>")
    texts = " ".join(sentences(html))
    assert "Use the --upgrade flag." in texts and "pip install" not in texts


def test_sphinx_version_notes_and_see_also_are_read_as_sphinx_renders_them(tmp_path: Path):
    """Plain docutils drops the text of directives it does not know; Sphinx's version notes and "see also"
    hold prose: their text on the directive's lines and in its body is read after what Sphinx writes."""
    _, paragraphs = paragraphs_of(
        tmp_path,
        "options.rst",
        "Choices\n=======\n\n"
        ".. versionchanged:: 7.1\n    The resulting value is one of the ``choices``.\n\n"
        ".. versionadded:: 8.0\n\n    Case folding.\n\n    Second paragraph.\n\n"
        ".. deprecated:: 9.0\n\n"
        ".. seealso::\n\n   The :func:`prompt` function.\n\n"
        ".. toctree::\n\n   options\n",
    )
    assert paragraphs == [
        "Changed in version 7.1: The resulting value is one of the choices.",
        "New in version 8.0: Case folding.",
        "Second paragraph.",
        "Deprecated since version 9.0.",
        "See also: The prompt() function.",
    ]


def test_sphinx_tabs_glossaries_and_object_descriptions_are_read_under_their_labels(tmp_path: Path):
    """A tab (sphinx-tabs' group-tab) and an object's description (`.. function::`, `.. option::`) are
    sections headed by their label, their code left out but for a short block a colon leads into; a
    glossary's body is read, each term before its definition, as an option list's options are; text after a
    tab is under the section's own title again; a code tab and a toctree stay out."""
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "completion.rst",
        "Completion\n==========\n\n"
        ".. tabs::\n\n"
        "    .. group-tab:: Bash\n\n        Add this to ``~/.bashrc``:\n\n"
        "        .. code-block:: bash\n\n            eval x\n\n"
        "    .. code-tab:: python\n\n        print(1)\n\n"
        "After the tabs.\n\n"
        ".. function:: getchar(echo=False)\n\n   Reads one character.\n\n"
        ".. option:: --verbose\n\n   Print more.\n\n"
        ".. glossary::\n\n   context\n      The state of one invocation.\n\n"
        "-v, --verbose  Print more lines.\n\n"
        ".. toctree::\n\n   api\n",
    )
    assert paragraphs == [
        "Add this to ~/.bashrc: eval x",  # a short code block ends the paragraph that leads into it
        "After the tabs.",
        "Reads one character.",
        "Print more.",
        "context: The state of one invocation.",
        "-v, --verbose: Print more lines.",
    ]
    heading = heading_paths(doc, paragraphs)
    assert heading["Add this to ~/.bashrc: eval x"] == "Completion \u203a Bash"
    assert heading["After the tabs."] == "Completion"
    assert heading["Reads one character."] == "Completion \u203a getchar(echo=False)"
    assert heading["Print more."] == "Completion \u203a --verbose"


def test_a_changelog_of_the_sqlalchemy_family_is_read_under_its_versions(tmp_path: Path):
    """Alembic's and Mako's changelogs are `.. changelog::` blocks of `.. change::` entries (their Sphinx
    extension's): unknown to docutils, the whole 266 KB file read as empty. Each version is a section headed
    by its number and date; an entry's tags and tickets are options, not text."""
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "changelog.rst",
        "Changelog\n=========\n\n"
        ".. changelog::\n    :version: 1.2.0\n    :released: May 1, 2026\n\n"
        "    .. change::\n        :tags: bug, autogenerate\n        :tickets: 1085\n\n"
        "        Fixed an empty comment seen as changed on every run.\n\n"
        ".. changelog::\n    :version: 1.1.9\n    :include_notes_from: unreleased\n\n"
        "    .. change::\n        :tags: feature\n\n        Added the :class:`.Operations` shortcut.\n",
    )
    assert paragraphs == [
        "1.2.0 (May 1, 2026)",  # the release and its date: a sentence too, under the headings above it
        "Fixed an empty comment seen as changed on every run.",
        "Added the Operations shortcut.",
    ]
    heading = heading_paths(doc, paragraphs)
    assert heading["1.2.0 (May 1, 2026)"] == "Changelog"
    assert heading["Fixed an empty comment seen as changed on every run."] == "Changelog \u203a 1.2.0 (May 1, 2026)"
    assert heading["Added the Operations shortcut."] == "Changelog \u203a 1.1.9"


def test_an_issue_role_reads_as_its_number_and_is_no_sentence(tmp_path: Path):
    """Click's and Flask's changelogs end entries with sphinx-issues' :issue:`2558` and :pr:`77`, rendered
    "#2558": read as a bare "2558" after the entry's full stop, it was a unit of its own under the release.
    As "#2558" it is a reference after the entry, as a Markdown changelog's "(#2558)" is: no unit."""
    path = tmp_path / "CHANGES.rst"
    path.write_text(
        "Version 8.1.6\n-------------\n\nReleased 2023-07-18\n\n"
        "-   Fix an issue with type hints for ``@click.group()``. :issue:`2558`\n"
        "-   Fix two things. :issue:`2559, 2560` :pr:`#77`\n"
        "-   See :issue:`the tracker <123>` for details.\n"
    )
    found = sentences(path)
    assert not [s for s in found if not any(c.isalpha() for c in s)], found
    assert found == [
        "Released 2023-07-18",
        "Fix an issue with type hints for @click.group().",
        "Fix two things.",
        "See the tracker for details.",
    ]


def test_sphinx_design_cards_and_icons_read_as_they_render(tmp_path: Path):
    """A card's header (before `^^^`) heads its body; its footer (after `+++`, a button) and an icon role's
    spec (`:octicon:`heart;1em``) are no text; a role in a title reads as its text; a directive's options
    (`:sync: wsgi`) are not part of its label."""
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "index.rst",
        "Guide to :mod:`lamps`\n=====================\n\n"
        ".. grid:: 2\n\n"
        "    .. grid-item-card::\n        :img-top: start.svg\n\n        Getting started\n        ^^^\n\n"
        "        New to lamps? Read the beginner's guide.\n\n        +++\n\n"
        "        .. button-ref:: beginners\n\n            To the beginner's guide\n\n"
        "    .. grid-item-card:: :octicon:`heart;1em;sd-text-info` Contribute code\n        :link: code\n\n"
        "        Write code that helps everyone.\n\n"
        ".. tab-set::\n\n    .. tab-item:: WSGI\n        :sync: wsgi\n\n        The WSGI way.\n",
    )
    # three titles over a paragraph each: a catalogue, each read after its title (`Outline.name_entries`)
    started, code, wsgi = (
        "Getting started: New to lamps? Read the beginner's guide.",
        "Contribute code: Write code that helps everyone.",
        "WSGI: The WSGI way.",
    )
    assert paragraphs == [started, code, wsgi]
    heading = heading_paths(doc, paragraphs)
    assert heading[started] == "Guide to lamps \u203a Getting started"
    assert heading[code] == "Guide to lamps \u203a Contribute code"
    assert heading[wsgi] == "Guide to lamps \u203a WSGI"


def test_a_file_docutils_transforms_fail_on_is_read_as_parsed(tmp_path: Path):
    """A substitution whose own substitutions are defined in an included file (include is off) made
    docutils' substitution transform raise KeyError and the file was skipped; a labelled directive with
    no label (a changelog naming only options) made a section without a title, and the title transform
    raise IndexError. The first is read as parsed, the second reads its body where it stands; a Python name
    in bare backquotes reads as Sphinx's default role renders it, an undefined substitution as its name."""
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "extras.rst",
        "Extras\n======\n\nLamps adapt Python objects to the |jsons|_ types.\n\n"
        ".. |jsons| replace:: |json| and |jsonb|\n.. _jsons: https://example.org/json\n\n"
        "Pass `~lamps.cursor.DictCursor` to `!connect()` for rows as dictionaries.\n",
    )
    assert paragraphs == [
        "Lamps adapt Python objects to the jsons types.",
        "Pass DictCursor to connect() for rows as dictionaries.",
    ]
    assert doc.title == "Extras"
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "changelog.rst",
        "**************\nFull Changelog\n**************\n\n"
        ".. changelog::\n   :towncrier: ../\n\n   Lamps no longer flicker.\n\n"
        "A |Lamp| is defined in the project's settings, not here; `<name>` is left as written.\n",
    )
    assert paragraphs == [
        "Lamps no longer flicker.",
        "A Lamp is defined in the project's settings, not here; <name> is left as written.",
    ]
    assert heading_paths(doc, paragraphs)["Lamps no longer flicker."] == "Full Changelog"


def test_a_table_under_a_header_row_is_read_row_by_row_and_only_the_html_build_is_read(tmp_path: Path):
    """pytest's plugin list: a table whose header names its columns, some summaries long, was read cell by
    cell ("N/A" a unit that no longer said whose status it was), with docutils' report on its unknown role
    inside each name; the same list again under `.. only:: latex` was read twice over. Each row is read with
    its column names (a row with a long cell as a paragraph, split where its sentences end), and only what
    Sphinx's HTML build shows."""
    long = "Record lamp trims. " * 12
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "plugins.rst",
        "Plugins\n=======\n\n.. only:: not latex\n\n"
        "   ==================  ======  =======\n"
        "   name                status  summary\n"
        "   ==================  ======  =======\n"
        "   :pypi:`lamp-wick`   N/A     Trims wicks.\n"
        f"   :pypi:`lamp-log`    Beta    {long.strip()}\n"
        "   ==================  ======  =======\n\n"
        ".. only:: latex\n\n   :pypi:`lamp-wick`\n      *status*: N/A\n",
    )
    texts = [" ".join(p.split()) for p in paragraphs]
    assert texts[0] == "name: lamp-wick; status: N/A; summary: Trims wicks."
    assert texts[1].startswith("name: lamp-log; status: Beta; summary: Record lamp trims. Record lamp trims.")
    assert len(texts) == 2
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert sentences[1] == "name: lamp-log; status: Beta; summary: Record lamp trims."  # split as prose is


def test_a_table_of_terms_and_what_they_mean_without_a_header_reads_each_term_before_its_text(tmp_path: Path):
    """Flask's route parameters: a table with no header row, a parameter's name beside a long text, was read
    cell by cell, so "wick" and "flame" were units of their own and their texts said of nothing. Each term
    stands before its text, as a definition list's does, the text split where its sentences end."""
    long = "The wick's length in millimetres, measured from the holder. " * 4
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "lamp.rst",
        "Lamp\n====\n\nThe lamp takes these parameters.\n\n"
        "=========  ===========\n"
        f"``wick``   {long.strip()}\n"
        "``flame``  the flame's colour. Red by default.\n"
        "=========  ===========\n",
    )
    texts = [" ".join(p.split()) for p in paragraphs]
    assert texts[1].startswith("wick: The wick's length in millimetres, measured from the holder. The wick's")
    assert texts[2] == "flame: the flame's colour. Red by default."
    assert len(texts) == 3
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert sentences[1] == "wick: The wick's length in millimetres, measured from the holder."


def test_fields_are_read_with_their_names(tmp_path: Path):
    """A field's body was read without its name ("the length of the wick" for ":wick:"), and the document's
    bibliographic fields (":Author: Ann Lee"), which docutils takes out of the text, not at all: "Who wrote
    the lamp manual?" had nothing to find. Sphinx's info fields read as its HTML names them; a version
    control keyword never expanded ("$Date$") and Sphinx's build settings (":tocdepth: 2") are no text."""
    doc, paragraphs = paragraphs_of(
        tmp_path,
        "manual.rst",
        ":tocdepth: 2\n\nLamp manual\n===========\n\n:Author: Ann Lee\n:Version: 1.2\n:Revision: $Revision$\n\nIntro.\n\n"
        "Options\n-------\n\n:wick: the length of the wick, in millimetres.\n:LastChangedBy: $LastChangedBy$\n\n"
        ".. function:: trim(wick)\n\n   Trims the wick.\n\n   :param int wick: how much to trim.\n"
        "   :rtype: bool\n   :raises ValueError: when the wick is gone.\n",
    )
    assert paragraphs == [
        "Author: Ann Lee",
        "Version: 1.2",
        "Intro.",
        "wick: the length of the wick, in millimetres.",
        "Trims the wick.",
        "Parameter wick (int): how much to trim.",
        "Return type: bool",
        "Raises ValueError: when the wick is gone.",
    ]
    assert heading_paths(doc, paragraphs)["Author: Ann Lee"] == "Lamp manual"


def test_a_function_role_reads_as_the_call_sphinx_writes(tmp_path: Path):
    """Sphinx shows :func:`getchar` as "getchar()" (its default add_function_parentheses): written so, the
    name reads as code, which "Which function reads one character?" asks for; a title stays as written."""
    path = tmp_path / "utils.rst"
    path.write_text(
        "Utilities\n=========\n\n"
        "Click provides the :func:`getchar` function. Call :meth:`~click.Context.invoke` or :py:func:`echo()`. "
        "See :func:`the prompt helper <prompt>` and :class:`Context`.\n"
    )
    assert sentences(path) == [
        "Click provides the getchar() function.",
        "Call invoke() or echo().",
        "See the prompt helper and Context.",
    ]
