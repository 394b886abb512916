"""A question naming what the documents never mention: which words count, what the confidence does with
them, and what a user is told (no model: the fake encoder)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from conftest import service

from qa.answer.calibration import Calibration
from qa.retrieve.lexical import LexicalIndex, named_terms, terms, unseen_words

TEXTS = [
    "The zlib module compresses data at level 6 by default.",
    "Kim gave Putin a pair of Pungsan dogs in Pyongyang.",
]


def in_texts(question: str) -> tuple[str, ...]:
    return unseen_words(question, LexicalIndex.from_texts(TEXTS).df)


def test_a_rare_word_or_a_name_the_documents_never_use_is_unseen():
    assert in_texts("What is the default zstd compression level?") == ("zstd",)
    assert in_texts("Which dogs did Kim give to Moon Jae-in?") == ("Moon", "Jae")
    assert in_texts("What did Putin receive in 2018?") == ("2018",)  # a number is a name here


def test_a_name_with_its_version_after_a_slash_is_a_name_of_its_own():
    """"HTTP/3" was the term "http" (the "3" too short to count): documents about HTTP/2 held it, and a
    question about HTTP/3 was answered from them as surely as one they answer."""
    texts = ["HTTP/2 support is available with the h2 extra.", "HTTP/1.1 connections are kept alive."]
    df = LexicalIndex.from_texts(texts).df
    assert unseen_words("Does it support HTTP/3?", df) == ("HTTP/3",)
    assert unseen_words("Does it support HTTP/2?", df) == ()
    assert named_terms("Does it support HTTP/2?", df) == {"http": "HTTP", "http/2": "HTTP/2"}
    assert terms(texts[1])[-1] == "http/1.1" and terms("See github.com/encode/httpx/pull/168.")[-1] == "168"


def test_ordinary_words_short_words_and_words_the_documents_use_are_not():
    assert in_texts("What present did Kim give?") == ()  # 'present' is common English: a paraphrase
    # not in the encoder's vocabulary (WordPiece splits them), but ordinary English all the same
    assert in_texts("When does the plumber come, and is there a refund?") == ()
    assert in_texts("Where are Pungsans from?") == ()  # the plural of a word they use
    assert in_texts("What did the TV show?") == ()  # two letters say too little
    assert in_texts("Why wasn't the zlib level 9?") == ()  # a contraction is not a name
    assert in_texts("Zlib: what is its default level?") == ()  # capitalised as the question's first word


def test_the_names_of_a_question_that_the_documents_hold():
    df = LexicalIndex.from_texts(TEXTS).df
    assert named_terms("Which dogs did Kim give to Moon Jae-in?", df) == {"kim": "Kim"}  # Moon, Jae: held by none
    assert named_terms("What did Kim give?", df) == {"kim": "Kim"}
    assert named_terms("Kim gave what?", df) == {}  # the question's first word is not taken for a name
    assert named_terms("What is the default compression level?", df) == {}


def test_the_confidence_map_lowers_a_question_with_unseen_words_and_nothing_else():
    cal = Calibration(bias=-1.0, w_top=2.0, w_margin=1.0, c_bias=0.3, c_scale=1.1, w_unseen=-1.5)
    plain, unseen = cal.confidence(0.8, 0.5), cal.confidence(0.8, 0.5, unseen=True)
    z = 0.3 + 1.1 * (-1.0 + 2.0 * 0.8 + 1.0 * 0.3)
    assert plain == pytest.approx(1 / (1 + pow(2.718281828459045, -z)))
    assert unseen == pytest.approx(1 / (1 + pow(2.718281828459045, -(z - 1.5))))
    assert replace(cal, w_unseen=0.0).confidence(0.8, 0.5, unseen=True) == pytest.approx(plain)
    elsewhere = replace(cal, w_elsewhere=-0.7)
    assert elsewhere.confidence(0.8, 0.5, elsewhere=True) == pytest.approx(1 / (1 + pow(2.718281828459045, -(z - 0.7))))
    assert elsewhere.confidence(0.8, 0.5, unseen=True, elsewhere=True) == pytest.approx(
        1 / (1 + pow(2.718281828459045, -(z - 1.5 - 0.7)))
    )
    assert elsewhere.confidence(0.8, 0.5) == pytest.approx(plain)


def test_the_shipped_calibration_counts_unseen_words_against_an_answer():
    from qa.answer.calibration import load_calibration

    assert load_calibration().w_unseen < 0


@pytest.fixture
def zlib_corpus(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zlib.txt").write_text(" ".join(TEXTS[:1]) + "\n\nThe gzip format wraps the same deflate stream.\n")
    return docs


def test_an_answer_reports_the_unseen_words_and_is_less_sure(zlib_corpus, tmp_path, fake_embedder):
    engine = service(zlib_corpus, tmp_path / "index", fake_embedder)
    asked = engine.ask("What is the default zstd compression level?")
    plain = engine.ask("What is the default compression level?")
    assert asked.unseen == ("zstd",) and plain.unseen == ()
    assert asked.confidence < plain.confidence
    assert asked.to_json()["unseen"] == ["zstd"]
    assert "unseen" not in plain.to_json()  # the key is there only when there is something to say


def test_the_terminal_names_the_unseen_words(zlib_corpus, tmp_path, fake_embedder):
    from rich.console import Console

    from qa.interfaces.render import print_answer

    engine = service(zlib_corpus, tmp_path / "index", fake_embedder, settings={"threshold": 0.99})  # not answered
    shown = io.StringIO()
    print_answer(engine.ask("What is the default zstd or brotli level?"), 3, Console(file=shown, width=200))
    assert "They never mention 'zstd' or 'brotli'." in shown.getvalue()


def test_the_vocabulary_is_read_only_for_a_word_the_documents_lack():
    from qa.retrieve.lexical import common_stems, english_words

    common_stems.cache_clear()
    english_words.cache_clear()
    assert in_texts("What level does zlib compress data at by default?") == ()
    assert common_stems.cache_info().currsize == 0  # every word is in the documents: nothing loaded
    assert in_texts("What level does zlib compress pictures at?") == ()  # 'pictures' is common English
    assert common_stems.cache_info().currsize == 1 and english_words.cache_info().currsize == 0
    assert in_texts("Can zlib compress an itinerary?") == ()  # not in the vocabulary: the larger list is read
    assert english_words.cache_info().currsize == 1


def with_and_without_elsewhere(tmp_path, fake_embedder, files: dict[str, str]):
    """Services over these files with the shipped calibration and with its `w_elsewhere` at 0."""
    from qa.answer.calibration import load_calibration

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).write_text(text)
    fitted = replace(load_calibration(), model="fake-bow@1")
    shipped = service(docs, tmp_path / "index", fake_embedder, calibration=fitted)
    return shipped, service(docs, tmp_path / "index", fake_embedder, calibration=replace(fitted, w_elsewhere=0.0))


def test_an_answer_from_a_document_without_the_question_s_name_is_less_sure(tmp_path, fake_embedder):
    shipped, without = with_and_without_elsewhere(
        tmp_path,
        fake_embedder,
        {
            "zlib.txt": "In Python the zlib module compresses data at level 6 by default.\n",
            "brotli.txt": "Brotli came from Google in 2013.\n",
        },
    )
    question = "Which compression level does Brotli use by default?"  # "Brotli": only brotli.txt says it
    asked, plain = shipped.ask(question), without.ask(question)
    assert asked.sentences[0].sentence.doc.endswith("zlib.txt") and asked.unseen == ()
    assert asked.elsewhere == ("Brotli",) and asked.to_json()["elsewhere"] == ["Brotli"]
    assert asked.confidence < plain.confidence
    other = "Which compression level does Python use by default?"  # its name is in the answering document
    assert shipped.ask(other).sentences[0].sentence.doc.endswith("zlib.txt")
    assert shipped.ask(other).confidence == pytest.approx(without.ask(other).confidence)
    assert shipped.ask(other).elsewhere == () and "elsewhere" not in shipped.ask(other).to_json()


def test_the_terminal_names_what_the_sentence_s_document_never_mentions(tmp_path, fake_embedder):
    from rich.console import Console

    from qa.interfaces.render import print_answer

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zlib.txt").write_text("In Python the zlib module compresses data at level 6 by default.\n")
    (docs / "brotli.txt").write_text("Brotli came from Google in 2013.\n")
    engine = service(docs, tmp_path / "index", fake_embedder, settings={"threshold": 0.99})  # not answered
    shown = io.StringIO()
    print_answer(engine.ask("Which compression level does Brotli use by default?"), 3, Console(file=shown, width=200))
    assert "The sentence's document never mentions 'Brotli'." in shown.getvalue()


@pytest.mark.parametrize(
    "leaders, first, person, missing",
    [
        # the person answered, then the topic's names
        ("Bob Stone led the project after Ann Lee stepped down.", "Who led the project after Ann Lee?",
         "Bob Stone", ("Bob", "Stone", "Ann", "Lee")),
        # no person answered (a "when" question): the topic's names alone
        ("Steve Lang led the project from 2008 until 2010.", "When did Steve Lang lead the project?", "",
         ("Steve", "Lang")),
    ],
)  # fmt: skip
def test_a_follow_up_is_less_sure_from_a_document_that_never_names_whom_it_is_about(
    tmp_path, fake_embedder, leaders, first, person, missing
):
    """"Where did he study?" asks about the person answered ("Who led the project after Ann Lee?"), or the
    topic's ("When did Steve Lang lead the project?"): a sentence about studying from a document that never
    names them is less likely to be about them, as a sentence from a document without a name the question
    itself says is. The follow-up's names are its own, whom it points at and its topic question's."""
    from qa.conversation import Conversation

    shipped, without = with_and_without_elsewhere(
        tmp_path,
        fake_embedder,
        {"leaders.txt": leaders + "\n", "history.txt": "The naming of the releases was studied in a paper from Lisbon.\n"},
    )
    asked = {}
    for name, engine in (("shipped", shipped), ("without", without)):
        talk = Conversation()
        assert engine.ask(first, talk).sentences[0].sentence.doc.endswith("leaders.txt") and talk.person == person
        asked[name] = engine.ask("Where did he study?", talk)
    follow_up = asked["shipped"]
    assert follow_up.sentences[0].sentence.doc.endswith("history.txt")
    assert follow_up.elsewhere == missing
    assert follow_up.confidence < asked["without"].confidence
