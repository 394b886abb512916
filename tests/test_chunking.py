"""Tier 1: the chunker on hand-written strings."""

import pytest

from qa.ingest.chunking import ChunkSettings, chunk_document, paragraphs, split_sentences
from qa.ingest.formats.text import parse_document


def sentences_of(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# (text, expected sentences) - abbreviations, initials, decimals, quotes, dashes, ellipses...
CASES = [
    ("Mr. Smith went to Washington. He arrived late.", ["Mr. Smith went to Washington.", "He arrived late."]),
    ("Dr. Jones met Mrs. Brown at St. Mary's.", ["Dr. Jones met Mrs. Brown at St. Mary's."]),
    ("The U.S. economy grew. Prices rose.", ["The U.S. economy grew.", "Prices rose."]),
    ("Tensions with the U.S. The talks ended.", ["Tensions with the U.S.", "The talks ended."]),
    ("He lives in the U.S. with his family.", ["He lives in the U.S. with his family."]),
    ("J. R. R. Tolkien wrote books. They sold well.", ["J. R. R. Tolkien wrote books.", "They sold well."]),
    ("J.R.R. Tolkien was born in 1892.", ["J.R.R. Tolkien was born in 1892."]),
    ("George W. Bush spoke. Then he left.", ["George W. Bush spoke.", "Then he left."]),
    ("Pi is about 3.14159. It is irrational.", ["Pi is about 3.14159.", "It is irrational."]),
    ("It costs $4.50 today. Tomorrow $5.", ["It costs $4.50 today.", "Tomorrow $5."]),
    ("Growth was 2.5% in 2023. It slowed.", ["Growth was 2.5% in 2023.", "It slowed."]),
    ('"Stop!" he shouted. Nobody did.', ['"Stop!" he shouted.', "Nobody did."]),
    ('She said, "It is over." Then she left.', ['She said, "It is over."', "Then she left."]),
    ("\u201cWe agree,\u201d he said. \u201cWe do.\u201d", ["\u201cWe agree,\u201d he said.", "\u201cWe do.\u201d"]),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    ("Wait... What happened?", ["Wait...", "What happened?"]),
    ("He paused \u2026 and went on.", ["He paused \u2026 and went on."]),
    ("The war \u2014 a long one \u2014 ended. Peace came.", ["The war \u2014 a long one \u2014 ended.", "Peace came."]),
    ("SEOUL \u2212 Kim met Putin. They talked.", ["SEOUL \u2212 Kim met Putin.", "They talked."]),
    ("Apple Inc. makes phones. It is big.", ["Apple Inc. makes phones.", "It is big."]),
    ("Apples, pears, etc. are fruit.", ["Apples, pears, etc. are fruit."]),
    ("He bought apples, pears, etc. The shop closed.", ["He bought apples, pears, etc.", "The shop closed."]),
    ("See Fig. 3 for details. It shows growth.", ["See Fig. 3 for details.", "It shows growth."]),
    ("Item No. 5 was sold. Item 6 was not.", ["Item No. 5 was sold.", "Item 6 was not."]),
    ("Art. 3, Sect. 2 of the charter applies. Paras. 4 and 5 do not.", ["Art. 3, Sect. 2 of the charter applies.", "Paras. 4 and 5 do not."]),
    ("He left the sect. They never spoke of modern art. The end.", ["He left the sect.", "They never spoke of modern art.", "The end."]),
    ("We met at 5 p.m. on Monday.", ["We met at 5 p.m. on Monday."]),
    ("We met at 5 p.m. The meeting ran long.", ["We met at 5 p.m.", "The meeting ran long."]),
    ("Smith et al. found it. They published.", ["Smith et al. found it.", "They published."]),
    ("He was born on Jan. 5, 1990. He grew up fast.", ["He was born on Jan. 5, 1990.", "He grew up fast."]),
    ("The 1950-53 Korean War ended. Talks followed.", ["The 1950-53 Korean War ended.", "Talks followed."]),
    ("It ended in 2019. 2020 was different.", ["It ended in 2019.", "2020 was different."]),
    ("Version 2.0.1 shipped. Users upgraded.", ["Version 2.0.1 shipped.", "Users upgraded."]),
    ("See e.g. the appendix. It helps.", ["See e.g. the appendix.", "It helps."]),
    ("Gen. Lee surrendered. The war ended.", ["Gen. Lee surrendered.", "The war ended."]),
    ("The ship (the U.S.S. Maine) sank. War followed.", ["The ship (the U.S.S. Maine) sank.", "War followed."]),
    ("He left (quietly.) Then he returned.", ["He left (quietly.)", "Then he returned."]),
    ("no final punctuation here", ["no final punctuation here"]),
    ("One.Two is not split.", ["One.Two is not split."]),
    ("Visit www.example.com today. It is free.", ["Visit www.example.com today.", "It is free."]),
    # a period after a space is the character itself; "eg." and "ie." (written without their dots) go on
    (
        "It returns the part after the last . (period) character. Then it stops.",
        ["It returns the part after the last . (period) character.", "Then it stops."],
    ),
    ("It runs slower (eg. 20 to 30 times) than normal. Memory grows.", ["It runs slower (eg. 20 to 30 times) than normal.", "Memory grows."]),
    ("It is compatible (ie. Cachegrind uses a subset). Good.", ["It is compatible (ie. Cachegrind uses a subset).", "Good."]),
    # a shell's special variable ends no sentence: the Bash manual's list of them
    ("? ($?) Expands to the exit status. Then it stops.", ["?", "($?) Expands to the exit status.", "Then it stops."]),
    ("Use $! (the last job). Then wait.", ["Use $! (the last job).", "Then wait."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sentence_split(text, expected):
    assert sentences_of(text) == expected


def test_splitter_case_count():
    assert len(CASES) >= 30


def test_spans_map_back_and_trim():
    text = "  First one.   Second one!  \n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!"]


def test_paragraphs_split_on_blank_lines():
    text = "A b.\nC d.\n\n  \nE f.\n"
    assert [text[s:e] for s, e in paragraphs(text)] == ["A b.\nC d.", "E f."]


def test_each_list_item_of_plain_text_is_a_unit_without_its_marker():
    text = (
        "Release notes:\n  * New upstream release.\n  * Ship the binary again\n    as before.\n"
        "- a dash item\n1. The path to a Python executable.\n2) A virtual environment.\n\n"
        "In 1984. It was a year, e-mail - or not.\n"
    )
    units = [text[s:e] for s, e in paragraphs(text)]
    assert units == [
        "Release notes:",
        "New upstream release.",
        "Ship the binary again\n    as before.",  # an item's wrapped line stays with it
        "a dash item",
        "The path to a Python executable.",  # "1." is no sentence of its own
        "A virtual environment.",
        "In 1984. It was a year, e-mail - or not.",  # a number or a dash inside a line is no marker
    ]


def test_a_numbered_list_run_into_one_paragraph_reads_its_items_without_their_numbers():
    """A PDF's lines are joined into paragraphs, and so were a numbered list's items: "2." stood as a unit of
    its own between them ("... Package Writers. 1. Should it become a class or a package? See Section 2.3 ...
    2. If it uses ...")."""
    text = (
        "Section references below are to the guide. 1. Should it become a class or a package? See Section 2.3 "
        "for how to answer this question. 2. If it uses another style file, get an updated one. 3. Try it. 4."
        " Footnotes."
    )
    doc = parse_document("summary.txt", text.encode())
    assert [s.text for s in chunk_document(doc)[0]] == [
        "Section references below are to the guide.",
        "Should it become a class or a package?",
        "See Section 2.3 for how to answer this question.",
        "If it uses another style file, get an updated one.",
        "Try it.",
        "Footnotes.",  # an item's title, no end to the item before
    ]


def test_header_becomes_metadata_not_sentence():
    doc = parse_document("x.txt", b" date 2024-06-20 Putin gets dogs\n\nKim gave dogs. Putin smiled.\n")
    assert doc.date == "2024-06-20"
    assert doc.title == "Putin gets dogs"
    sentences, _ = chunk_document(doc)
    assert [s.text for s in sentences] == ["Kim gave dogs.", "Putin smiled."]
    for s in sentences:
        assert doc.text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("dateline", "rest"),
    [
        ("SEOUL \u2212 ", "North Korean leader Kim gave dogs."),
        ("NEW YORK (AP) \u2014 ", "The mayor spoke."),
        ("WASHINGTON, D.C. \u2013 ", "Officials met."),
        ("LONDON, June 20 (Reuters) - ", "Britain voted."),
    ],
)
def test_a_news_dateline_is_not_part_of_the_first_sentence(dateline, rest):
    doc = parse_document("n.txt", f" date 2024-06-20 Title\n\n{dateline}{rest} It rained.\n\nBERLIN \u2212 Not a dateline here.\n".encode())
    sentences, passages = chunk_document(doc)
    assert [s.text for s in sentences] == [rest, "It rained.", "BERLIN \u2212 Not a dateline here."]
    assert doc.text[sentences[0].start : sentences[0].end] == rest  # offsets still point into the full text
    assert doc.text[: sentences[0].start].endswith(dateline)
    assert passages[0].text.startswith(rest)


@pytest.mark.parametrize(
    "opening",
    ["UN - the body met.", "FBI agents met - and left.", "Seoul - The city met.", "I - We met."],
)
def test_an_opening_that_is_no_dateline_is_kept(opening):
    doc = parse_document("n.txt", f"{opening}\n".encode())
    sentences, _ = chunk_document(doc)
    assert sentences[0].text == opening


def test_passages_stay_in_paragraphs_fit_window_and_overlap():
    para1 = " ".join(f"Sentence number {i} is here." for i in range(10))
    doc = parse_document("p.txt", (para1 + "\n\nAnother paragraph starts. It ends.").encode())
    settings = ChunkSettings(passage_tokens=20, overlap=1)
    sentences, passages = chunk_document(doc, settings)
    count = lambda t: len(t.split()) + 2  # noqa: E731 - the default counter
    for p in passages:
        assert count(p.text) <= 20
        paras = {sentences[i].paragraph for i in range(p.first_sentence, p.last_sentence + 1)}
        assert len(paras) == 1
        assert doc.text[p.start : p.end] == p.text
    first_para = [p for p in passages if sentences[p.first_sentence].paragraph == 0]
    for a, b in zip(first_para, first_para[1:]):
        assert b.first_sentence == a.last_sentence  # one sentence of overlap
    covered = {i for p in passages for i in range(p.first_sentence, p.last_sentence + 1)}
    assert covered == set(range(len(sentences)))


def test_overlong_sentence_is_cut_not_truncated():
    words = " ".join(f"w{i}" for i in range(100))
    doc = parse_document("long.txt", words.encode())
    sentences, passages = chunk_document(doc, ChunkSettings(passage_tokens=12, overlap=0))
    assert all(len(s.text.split()) + 2 <= 12 for s in sentences)
    assert " ".join(s.text for s in sentences) == words  # nothing lost
    assert all(doc.text[s.start : s.end] == s.text for s in sentences)


def test_unbroken_run_of_characters_is_cut():
    doc = parse_document("blob.txt", b"x" * 5000)
    count = lambda t: len(t) // 10 + 2  # noqa: E731 - a counter where one long word overflows
    sentences, _ = chunk_document(doc, ChunkSettings(passage_tokens=50, overlap=0), count)
    assert "".join(s.text for s in sentences) == "x" * 5000
    assert all(count(s.text) <= 50 for s in sentences)


def test_a_one_word_sentence_is_joined_to_the_sentence_it_introduces_or_ends():
    text = (
        "Yes. Black is strictly about formatting. It checks the AST.\n\n"
        "It works. Why? Because it is fast.\n\n"
        "The build passed. Done.\n\n"
        "Bash\n\n"
        "Use Python 3.12.6 instead.\n(#4447)\n\n"
        "Use a middleware that needs less memory. For example:\n\n"
        "Make sure that:\n\n"
        "The check runs twice. For example: once at start.\n"
    )
    sentences, _ = chunk_document(parse_document("faq.txt", text.encode()))
    assert [s.text for s in sentences] == [
        "Yes. Black is strictly about formatting.",  # a reply opens the paragraph: joined to what follows
        "It checks the AST.",
        "It works.",
        "Why? Because it is fast.",  # a question word before its answer
        "The build passed. Done.",  # closing the paragraph: joined to the sentence before
        "Bash",  # alone in its paragraph (a list item's one word): kept
        "Use Python 3.12.6 instead.",  # its changelog reference "(#4447)" is no unit (test below)
        "Use a middleware that needs less memory. For example:",  # a short label closing it: joined too
        "Make sure that:",  # alone in its paragraph: kept
        "The check runs twice.",
        "For example: once at start.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_a_closing_label_with_the_command_or_value_it_shows_is_part_of_the_sentence_before():
    """"You would run: hatch new" (a short code block the Markdown reader joins to the label leading into it)
    and Node's "Default: false" said nothing of what they run or set as units of their own: they end the
    sentence before them. A label with a sentence after it ("For example: once at start.") or opening its
    paragraph stays as it was."""
    md = (
        "# Setup\n\nLet's say you want to create a project named Demo. You would run:\n\n"
        "```\nhatch new Demo\n```\n\n"
        "* `verbatimSymlinks` {boolean} When true, path resolution for symlinks will be skipped.\n"
        "  **Default:** `false`\n\n"
        "Default: 8080\n\n"
        "The check runs twice. For example: once at start.\n"
    )
    sentences, _ = chunk_document(parse_document("setup.md", md.encode()))
    assert [s.text for s in sentences] == [
        "Let's say you want to create a project named Demo. You would run: hatch new Demo",
        "verbatimSymlinks {boolean} When true, path resolution for symlinks will be skipped. Default: false",
        "Default: 8080",  # alone in its paragraph: kept
        "The check runs twice.",
        "For example: once at start.",
    ]


def test_a_changelog_entrys_issue_numbers_are_no_unit():
    """An entry's "(#3250)" after its last sentence says nothing: as a unit of its own it was cited as the
    answer to "What changed in 0.27.1?"; nor does a feature's tracking issue after its notice (rustdoc's
    "(box_vec_non_null #130364)"). A number alone stays (it could be an answer), and so does a sentence
    that opens with a number sign."""
    text = (
        "* Improved error messaging for InvalidURL exceptions. (#3250)\n"
        "* Add bytes to the request data type. [#2510, #2511]\n"
        "* Fix the digest mode. (Issue #1234)\n"
        "* Use the explicit style instead. (#12, #13)\n"
        "* This is a nightly-only experimental API. (box_vec_non_null #130364)\n\n"
        "The answer is 1649.\n\n"
        "1649\n\n"
        "#1 priority is speed.\n"
    )
    sentences, _ = chunk_document(parse_document("CHANGES.md", text.encode()))
    assert [s.text for s in sentences] == [
        "Improved error messaging for InvalidURL exceptions.",
        "Add bytes to the request data type.",
        "Fix the digest mode.",
        "Use the explicit style instead.",
        "This is a nightly-only experimental API.",
        "The answer is 1649.",
        "1649",
        "#1 priority is speed.",
    ]


def test_a_unit_without_a_letter_or_a_digit_is_not_a_sentence():
    """A rule between parts of a licence ("-----"), a section break ("* * *"), a lone "..." or "!" a reader
    left behind, a FAQ's "Answer:" standing alone over its answer: nothing to answer with."""
    from qa.types import Document

    text = "Part one applies.\n\n" + "-" * 60 + "\n\nAnswer:\n\nPart two too.\n\n* * *\n\n...\n\nThe end, 2024!\n"
    doc = Document("licence.txt", text, "0" * 64)
    sentences, passages = chunk_document(doc)
    assert [s.text for s in sentences] == ["Part one applies.", "Part two too.", "The end, 2024!"]
    assert all("---" not in p.text for p in passages)


def test_a_short_block_set_deeper_under_a_sentence_ending_in_a_colon_ends_that_sentence():
    """Plain text keeps a command where it stands: indented under the sentence that leads into it with a
    colon, three lines at most, it ends that sentence. A list's item, prose (a full stop at its end), a block
    at the same depth and a long block stay apart."""
    from qa.types import Document

    long_code = "\n".join(f"\t\tstep {i}" for i in range(4))
    text = (
        "\tThe easy way is to specify the width:\n\n\t\tps -o pid,user:19,comm\n\n"
        "\tSome common uses are:\n\n\t\t- sorting\n\n"
        "\tSecurity related changes:\n\n\t\tCVE-1: A loop was fixed.\n\n"
        "\tIt reads:\n\n\tsame depth\n\n"
        f"\tRun all of this:\n\n{long_code}\n"
    )
    doc = Document("FAQ", text, "0" * 64)
    sentences = [s.text for s in chunk_document(doc)[0]]
    assert sentences[0] == "The easy way is to specify the width:\n\n\t\tps -o pid,user:19,comm"
    assert sentences[1:7] == [
        "Some common uses are:",
        "sorting",
        "Security related changes:",
        "CVE-1: A loop was fixed.",
        "It reads:",
        "same depth",
    ]
    assert sentences[7] == "Run all of this:"


def test_an_example_s_caption_in_a_list_ends_with_the_command_set_under_it():
    """A GNU manual's examples are list items, each a caption ending in a full stop over its command: the
    command is what the caption promises, so it ends that sentence. A paragraph that is no list item, a
    release's heading under a list's last item and prose set deeper stay apart."""
    from qa.types import Document

    text = (
        "   Here are some examples.\n\n"
        "   • Sort in descending (reverse) numeric order.\n\n          sort -n -r\n\n"
        "   • Save the server headers with the file.\n\n          wget --save-headers http://example.com/\n\n"
        "   Not an item.\n\n          ls -l\n\n"
        "* Added a glob.\n\n\t\t\tVersion 0.9 (29-Jul-2002)\n\n"
        "   • An item.\n\n          More about it, set deeper\n"
    )
    sentences = [s.text for s in chunk_document(Document("coreutils.info", text, "0" * 64))[0]]
    assert sentences == [
        "Here are some examples.",
        "Sort in descending (reverse) numeric order.\n\n          sort -n -r",
        "Save the server headers with the file.\n\n          wget --save-headers http://example.com/",
        "Not an item.",
        "ls -l",
        "Added a glob.",
        "Version 0.9 (29-Jul-2002)",
        "An item.",
        "More about it, set deeper",
    ]


def test_a_labelled_answer_or_a_new_section_is_no_block_that_ends_the_sentence_before_it(tmp_path):
    """An answer's label ("Answer: ") is cut off its paragraph, which then looked set deeper than the
    sentence before it, and a short answer was read as the command that sentence leads into ("... use the
    signature method:" + "Answer: Yes, the current id is in the task request: ..."), across the heading of
    the next question of a reStructuredText FAQ."""
    from qa.ingest.loaders import load_file
    from qa.types import Document

    text = "Which command lists the jobs? Use this:\n\nAnswer: jobs -l\n"
    assert [s.text for s in chunk_document(Document("FAQ", text, "0" * 64))[0]] == [
        "Which command lists the jobs? Use this:",
        "jobs -l",
    ]
    code = "\n".join(f"        step({i})," for i in range(4))
    path = tmp_path / "faq.rst"
    path.write_text(
        "Tasks\n=====\n\nCan I call a task by name?\n--------------------------\n\n"
        f"To chain tasks called by name, use the signature method:\n\n.. code-block:: python\n\n    chain(\n{code}\n    )\n\n"
        "Can I get the id of the current task?\n-------------------------------------\n\n"
        "**Answer**: Yes, the current id is in the task request::\n\n    self.request.id\n"
    )
    assert [s.text for s in chunk_document(load_file(path))[0]] == [
        "To chain tasks called by name, use the signature method:",
        "Yes, the current id is in the task request: self.request.id",
    ]
