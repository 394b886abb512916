"""A question's typing slips read as the documents' words: which words are read as which, which are left as
typed, and what the answer and the terminal say (no model: the fake encoder)."""

from __future__ import annotations

import io

from conftest import service

from qa.retrieve.lexical import LexicalIndex
from qa.retrieve.spelling import corrected, one_edit, spelled_otherwise, written_in_a_row

TEXTS = [
    "Kim gave Putin a pair of Pungsan dogs in Pyongyang.",
    "Black prefers double quotes over single quotes.",
    "The zlib module compresses data at level 6 by default.",
    "Python 3.12 is supported; hyper links are kept.",
    "A character is read as it is written.",
    "Indent with four spaces, not a tab.",
    "Customize the colour of the defense pact's catalog.",
]
FREQUENCIES = LexicalIndex.from_texts(TEXTS).frequencies


def read(question: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return corrected(question, FREQUENCIES)


def test_a_slip_in_a_name_or_a_word_is_read_as_the_documents_word():
    assert read("Where are Pungsen dogs from?") == ("Where are Pungsan dogs from?", (("Pungsen", "Pungsan"),))
    assert read("Which quootes does Black prefer?")[0] == "Which quotes does Black prefer?"  # a letter doubled
    assert read("Where did Kim meet Ptuin?")[0] == "Where did Kim meet Putin?"  # two letters swapped
    assert read("What does the zlib modle do?")[0] == "What does the zlib module do?"  # a letter dropped
    assert read("How is a charecter read?")[0] == "How is a character read?"  # a letter replaced
    assert read("Can I indent with tabss?")[0] == "Can I indent with tabs?"  # a known word with its ending
    assert read("Does Kim own a dgo?")[0] == "Does Kim own a dog?"  # three letters: two swapped
    assert read("Did Kim give Ptin dogs?")[0] == "Did Kim give Putin dogs?"  # or one left out


def test_a_possessive_is_read_without_its_s_and_a_contraction_is_left_alone():
    assert read("Where are Pungsen's dogs?")[0] == "Where are Pungsan's dogs?"
    assert read("Why wasn't Kim there?")[1] == ()  # "wasn" is one edit from "was", but it is not a word here


def test_a_contraction_typed_without_its_apostrophe_is_read_with_it():
    assert read("Why doesnt Kim give dogs?") == ("Why doesn't Kim give dogs?", (("doesnt", "doesn't"),))
    assert read("Whats the zlib level?")[0] == "What's the zlib level?"  # its capital kept
    assert read("Why isnt a tab read?")[0] == "Why isn't a tab read?"  # not "int", one edit from it
    assert read("Is IM supported? Im not sure")[0] == "Is IM supported? I'm not sure"  # in capitals: a name
    assert read("Can Kim give its dogs? Well, lets see")[1] == ()  # words as they are without an apostrophe


def test_a_word_spelled_the_british_or_the_american_way_is_read_as_the_documents_spell_it():
    assert read("How do I customise the color?") == (
        "How do I customize the colour?",
        (("customise", "customize"), ("color", "colour")),
    )
    assert read("Which catalogue lists the Defence pact?")[0] == "Which catalog lists the Defense pact?"
    assert read("Which colour is the catalog?")[1] == ()  # spelled as the documents spell it
    assert read("Is the centre of the tab grey?")[1] == ()  # neither spelling in the documents


def test_spelled_otherwise_gives_the_other_spelling_only():
    assert spelled_otherwise("behaviours") == ["behaviors"] and spelled_otherwise("analyzed") == ["analysed"]
    assert spelled_otherwise("travelled") == ["traveled"] and spelled_otherwise("judgment") == ["judgement"]
    assert spelled_otherwise("centres") == ["centers"] and spelled_otherwise("grey") == ["gray"]
    assert spelled_otherwise("four") == spelled_otherwise("filled") == spelled_otherwise("size") == []


def test_a_slipped_stop_word_is_read_as_it():
    assert read("Wich dogs did Kim give?")[0] == "Which dogs did Kim give?"
    assert read("Did Kim give thier dogs?")[0] == "Did Kim give their dogs?"


def test_what_is_left_as_typed():
    assert read("Which breed did Kim give to Jinping?") == ("Which breed did Kim give to Jinping?", ())  # no near word
    assert read("Does Black format Cython files?")[1] == ()  # a first letter differs: another name
    assert read("What present did Kim give?")[1] == ()  # an ordinary English word: a paraphrase
    assert read("What is the default zstd level?")[1] == ()  # two edits from zlib
    assert read("Is Python 3.13 supported by Flake8?")[1] == ()  # a word with a digit is code or a version
    assert read("Did Kym give dogs?")[1] == ()  # three letters: a letter replaced is too often another name
    assert read("Is the ZIP level 6?")[1] == ()  # three capitals: a name, as typed
    assert read("Who wrote the hyperref package?")[1] == ()  # "hyperred" is no word, its stem "hyper" is


def test_a_capitalised_word_inside_a_question_is_never_read_as_a_stop_word():
    assert read("Did Theo give Kim dogs?")[1] != (("Theo", "The"),)


def test_one_edit_keeps_the_first_letter_and_puts_the_likelier_slips_first():
    edits = one_edit("dgo")
    assert "dog" in edits and all(e.startswith("d") for e in edits)
    assert edits.index("dg") < edits.index("dog") < edits.index("dga") < edits.index("dago")


def test_the_answer_reads_the_corrected_question_and_says_so(tmp_path, fake_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "dogs.txt").write_text(
        "Kim gave Putin a pair of Pungsan dogs in Pyongyang.\n\nPungsans are hunting dogs from the north.\n"
    )
    engine = service(docs, tmp_path / "index", fake_embedder)
    slipped = engine.ask("Where are Pungsen dogs from?")
    typed = engine.ask("Where are Pungsan dogs from?")
    assert slipped.question == "Where are Pungsen dogs from?"  # the question as asked is what the answer echoes
    assert slipped.corrections == (("Pungsen", "Pungsan"),) and slipped.unseen == ()
    assert slipped.to_json()["corrected"] == {"Pungsen": "Pungsan"} and "corrected" not in typed.to_json()
    assert [s.index for s in slipped.sentences] == [s.index for s in typed.sentences]
    assert slipped.confidence == typed.confidence
    assert "Where are Pungsan dogs from?" in fake_embedder.seen  # what the encoder read
    informal = engine.ask("Where dont Pungsan dogs come from?")  # no word the documents never mention
    assert informal.corrections == (("dont", "don't"),) and informal.unseen == ()

    from rich.console import Console

    from qa.interfaces.render import print_answer

    shown = io.StringIO()
    print_answer(slipped, 1, Console(file=shown, width=200))
    assert shown.getvalue().startswith("(read \u201cPungsen\u201d as \u201cPungsan\u201d)\n")


COMPOUND_TEXTS = [
    "The pass phrase must be at least 20 characters long.",
    "Mount the filesystem read-only before the check.",
    "Log in to the router's web page as admin.",
    "The session ends after a timeout; a time out of 15 minutes is the default.",
    "Keep the lock file beside the project; lockfiles are not read.",
    "The book is on the shelf and the worm in the garden.",
    "The termination of a contract needs notice; redhat.com hosts the mirror.",
    "Forms go by e-mail to the office, which is open on-line; each coauthor signs.",
    "We are now here at the desk, ticket/system in hand.",
]
COMPOUNDS = LexicalIndex.from_texts(COMPOUND_TEXTS)
WRITTEN = written_in_a_row(lambda term: COMPOUNDS.postings(term)[0].tolist(), lambda ids: [COMPOUND_TEXTS[i] for i in ids])


def joined_or_split(question: str) -> tuple[tuple[str, str], ...]:
    return corrected(question, COMPOUNDS.frequencies, WRITTEN)[1]


def test_a_compound_is_read_as_one_word_or_two_as_the_documents_write_it():
    assert corrected("How long is the passphrase?", COMPOUNDS.frequencies, WRITTEN) == (
        "How long is the pass phrase?",
        (("passphrase", "pass phrase"),),
    )
    assert joined_or_split("Which file system is mounted read-only?") == (("file system", "filesystem"),)
    assert joined_or_split("Which file-system is mounted?") == (("file-system", "filesystem"),)
    assert joined_or_split("Where do I login?") == (("login", "log in"),)  # a stop word as its second part
    assert joined_or_split("Login where?") == (("Login", "Log in"),)  # its capital kept
    # after a prefix (a letter or two, a stop word) only as the documents hyphenate it
    assert joined_or_split("Can I send it by email or online?") == (("email", "e-mail"), ("online", "on-line"))
    assert joined_or_split("Which co-author signs?") == (("co-author", "coauthor"),)


def test_a_compound_is_left_as_typed_unless_the_documents_write_it_only_the_other_way():
    assert joined_or_split("Is there a bookworm?") == ()  # both words held, never one after the other
    assert joined_or_split("How long is the timeout?") == () == joined_or_split("How long is the time out?")
    assert joined_or_split("Where are lock files kept?") == ()  # "lock file" is written too
    assert joined_or_split("When does the term in office end?") == ()  # "termin" is only the stem of "termination"
    assert joined_or_split("Who hosts Red Hat's mirror?") == ()  # a name, not a compound
    assert joined_or_split("Is nowhere open?") == ()  # "now here", but a prefix counts only hyphenated
    assert joined_or_split("Which ticketsystem?") == ()  # "ticket/system" is no compound written apart
    assert corrected("How long is the passphrase?", COMPOUNDS.frequencies)[1] == ()  # no way to read the documents
    both = ["Book online or by phone.", "The desk is open on-line."]  # a stop word's prefix written both ways
    index = LexicalIndex.from_texts(both)
    written = written_in_a_row(lambda term: index.postings(term)[0].tolist(), lambda ids: [both[i] for i in ids])
    assert corrected("Is the desk open on-line?", index.frequencies, written)[1] == ()
    assert corrected("Is the desk open online?", index.frequencies, written)[1] == ()


def test_a_compound_written_the_other_way_gets_the_answer_written_the_documents_way(tmp_path, fake_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "accounts.txt").write_text(
        "The pass phrase must be at least 20 characters long.\n\nThe file server keeps a copy every night.\n"
    )
    engine = service(docs, tmp_path / "index", fake_embedder)
    typed = engine.ask("How long must the passphrase be?")
    theirs = engine.ask("How long must the pass phrase be?")
    assert typed.corrections == (("passphrase", "pass phrase"),) and typed.unseen == ()
    assert [s.index for s in typed.sentences] == [s.index for s in theirs.sentences]
    assert typed.confidence == theirs.confidence and typed.sentences[0].sentence.text.startswith("The pass phrase")
