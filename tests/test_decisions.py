"""The fast tier's guard on decision logic: exact values and boundaries of every rule that decides what qa
answers, so that a changed penalty, weight, threshold or rule fails here (no model, no torch)."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import numpy as np
import pytest
from conftest import build

from qa.answer.calibration import CALIBRATION_FILE, Calibration, load_calibration
from qa.answer.extract import (
    CONTINUATION,
    DEFINES,
    DEFINITION,
    HEADING_DATE_MISS,
    MAYBE,
    SAME_DOCUMENT,
    SAME_SECTION,
    UNCLOSED_READER_FLOOR,
    answer,
    in_release_notes,
    paragraph_before,
    reading_logit,
    rivals,
    score,
    top_and_second,
    type_misses,
    under_references,
    verdict,
)
from qa.answer.kinds import asked_definition, asked_role, dated_entry, defined_term, defines, does_what, opens_with
from qa.conversation import Conversation, needs_context
from qa.errors import ModelError
from qa.ingest.formats.common import dated_release, release_heading
from qa.retrieve.hybrid import Candidates, HybridRetriever, points_back
from qa.retrieve.lexical import FOCUS_WEIGHT, LexicalIndex
from qa.store.local import CorruptIndex, checksum, flat_index
from qa.types import Answer, ScoredSentence, Sentence, Turn, Verdict


def candidates(sentence_sim, passage_sim=None, lexical=None) -> Candidates:
    n = len(sentence_sim)
    return Candidates(
        np.arange(n, dtype=np.int64),
        np.asarray(sentence_sim, dtype=np.float32),
        np.asarray(passage_sim if passage_sim is not None else [0.0] * n, dtype=np.float32),
        np.asarray(lexical if lexical is not None else [0.0] * n, dtype=np.float32),
    )


# ---- the sentence score and the type-miss penalty -------------------------------------------------------
def test_score_is_the_documented_weighted_sum_minus_the_type_penalty():
    cal = Calibration(passage_weight=0.2, lexical_weight=0.65, type_weight=0.3)
    c = candidates([0.5, 0.5], [0.4, 0.4], [1.0, 1.0])
    miss = np.array([0.0, 1.0], dtype=np.float32)
    s = score(c, cal, miss)
    assert s[0] == pytest.approx(0.8 * 0.5 + 0.2 * 0.4 + 0.65 * 1.0)
    assert s[0] - s[1] == pytest.approx(0.3)  # the penalty, exactly type_weight, only where the type is missing


def test_type_misses_mark_sentences_without_the_kind_asked_for():
    texts = ["Kim gave Putin two dogs.", "Kim gave Putin dogs.", "The dogs arrived in 2018."]
    # a year says when, not how many
    assert type_misses("How many dogs did Kim give?", texts).tolist() == [0.0, 1.0, 1.0]
    assert type_misses("When did the dogs arrive?", texts).tolist() == [1.0, 1.0, 0.0]
    assert type_misses("Why did Kim give dogs?", texts).tolist() == [0.0, 0.0, 0.0]  # no kind: no penalty


def test_a_name_opening_a_sentence_counts_where_the_candidates_write_it_as_a_name():
    """"Josie: order the tools by 20 April." answers "Who orders the tools?": the minutes name Josie Park."""
    texts = ["Josie: order the tools by 20 April.", "Present: Lena Vogt, Josie Park.", "Order new tools in May."]
    assert type_misses("Who orders the tools?", texts).tolist() == [0.0, 0.0, 1.0]
    assert type_misses("Who orders the tools?", [texts[0], texts[2]]).tolist() == [1.0, 1.0]  # nowhere a name


def test_a_path_or_an_address_answers_where_in_documentation():
    texts = [
        "To subscribe to any list, send mail to the list's request address with the word subscribe.",
        "On a system with the doc-debian package installed there is a complete list in /usr/share/doc/debian/mailing-lists.txt.",
    ]
    assert type_misses("Where is the list of Debian mailing lists on my system?", texts).tolist() == [1.0, 0.0]


def test_a_count_is_not_a_date_nor_a_number_the_question_names():
    texts = [
        "DebConf19 took place in Curitiba from 14 to 28 July 2019.",
        "Debian 1.1 Buzz (June 17th, 1996) was the first release with a code name.",
        "With 301 attendees DebConf14 was the largest so far.",
        "Debian 1.1 contained 474 packages.",
    ]
    assert type_misses("How many people attended DebConf19?", texts[:1]).tolist() == [1.0]
    assert type_misses("How many packages did Debian 1.1 have?", texts[1:]).tolist() == [1.0, 1.0, 0.0]
    assert type_misses("How many people attended DebConf14?", texts[2:3]).tolist() == [0.0]
    # a time of day is no amount either
    fire = [
        "Around 08:00 CET on November 20th, 2002, the University of Twente's network centre caught fire.",
        "The fire of 2002 caused 1.5 million euros of damage by 9:30 am.",
    ]
    assert type_misses("How much damage did the 2002 fire cause?", fire).tolist() == [1.0, 0.0]
    assert type_misses("How many servers burned at 08:00?", ["At 08:00 two servers burned."]).tolist() == [0.0]


def test_a_continuation_names_the_number_of_the_sentence_it_continues():
    """ "With 301 attendees it was the largest" continues the sentence naming DebConf14: for "How many people
    attended DebConf14?" it lacks no number the question names; a sentence continuing nothing still does."""
    texts = [
        "The fifteenth DebConf, DebConf14, was held in Portland in August.",
        "With 301 attendees it was the largest DebConf in the Western hemisphere.",
        "With 459 attendees it was the largest DebConf so far.",
    ]
    question = "How many people attended DebConf14 in Portland?"
    assert type_misses(question, texts).tolist() == [1.0, 1.0, 1.0]
    assert type_misses(question, texts, continues=np.array([-1, 0, -1])).tolist() == [1.0, 0.0, 1.0]


def test_a_sentence_pointing_back_takes_its_number_from_the_opening_of_its_paragraph():
    """ "This release ... contained 474 packages." is about the release its paragraph opened with ("Debian 1.1
    Buzz ..."), two sentences back; a sentence that does not point back, or another paragraph, does not."""
    paragraph = [
        "Debian 1.1 Buzz (June 17th, 1996): This was the first Debian release with a code name.",
        "By that year, Bruce Perens had taken over leadership of the Project.",
        "This release was fully ELF, used Linux kernel 2.0, and contained 474 packages.",
        "Debian 0.93 came out with 250 packages.",
    ]
    sentences = [Sentence("r.html", 100 * i, 100 * i + 90, t, paragraph=0) for i, t in enumerate(paragraph[:3])]
    sentences.append(Sentence("r.html", 400, 440, paragraph[3], paragraph=1))
    assert paragraph_before(sentences.__getitem__, 2) == [paragraph[1], paragraph[0]]
    assert paragraph_before(sentences.__getitem__, 3) == []
    question = "How many packages did Debian 1.1 have?"
    texts = paragraph[2:]
    assert type_misses(question, texts).tolist() == [1.0, 1.0]
    earlier = [paragraph_before(sentences.__getitem__, i) for i in (2, 3)]
    assert type_misses(question, texts, earlier=earlier.__getitem__).tolist() == [0.0, 1.0]
    plain = ["The release contained 474 packages."]  # it names its subject: another release, for all it says
    assert type_misses(question, plain, earlier=lambda i: [paragraph[0]]).tolist() == [1.0]


def test_a_name_in_capitals_alone_is_a_name():
    """A byline or a signature in capitals ("HAMILTON", "JOHN JAY.") names someone; a word in capitals inside
    a sentence (an acronym) still does not count, nor a name the question holds."""
    texts = ["HAMILTON", "JOHN JAY.", "To the People of the State of New York:", "The NASA budget grew.", "EASTON"]
    assert type_misses("Who wrote the second essay?", texts).tolist() == [0.0, 0.0, 0.0, 1.0, 0.0]
    assert type_misses("Who wrote to the people of Easton?", texts).tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]


def test_a_number_the_question_names_may_stand_in_the_heading_path():
    """A changelog's entry names its release only in the heading above it: it does not lack "0.27.1"."""
    texts = ["Improved error messaging for InvalidURL exceptions.", "Fix digest authentication."]
    headings = ["Changelog › 0.27.1 (27th August, 2024) › Fixed", "Changelog › 0.27.0 (21st February, 2024) › Fixed"]
    assert type_misses("What was fixed in 0.27.1?", texts).tolist() == [1.0, 1.0]
    assert type_misses("What was fixed in 0.27.1?", texts, headings.__getitem__).tolist() == [0.0, 1.0]
    # and its date: "When was 0.27.1 released?" finds no date in the entries themselves, and one in the
    # heading above the right one (half a miss: a sentence stating the date is a plainer answer)
    assert type_misses("When was 0.27.1 released?", texts).tolist() == [1.0, 1.0]
    assert type_misses("When was 0.27.1 released?", texts, headings.__getitem__).tolist() == [HEADING_DATE_MISS, 1.0]


def test_only_a_release_heading_dates_the_sentences_under_it():
    """A date in an e-mail's subject ("Appointment confirmation - Tuesday 18 November") dates nothing under
    it: "When is my appointment?" is not answered by the signature under it, but by the sentence giving the
    date. The entries under a release's dated heading came out then."""
    texts = ["Kind regards, Reception team", "Your check-up is confirmed for Tuesday 18 November at 08:45."]
    subject = "Appointment confirmation - Tuesday 18 November"
    assert type_misses("When is my appointment?", texts, lambda i: subject).tolist() == [1.0, 0.0]
    release = "Changelog › 1.2.0 (Tuesday 18 November 2025)"
    assert type_misses("When is my appointment?", texts, lambda i: release).tolist() == [HEADING_DATE_MISS, 0.0]


def test_a_turn_may_ask_for_a_kind_of_answer_its_words_do_not():
    """A follow-up asking how to change a default ("How do I change that?", `Turn.expects`) asks for code."""
    texts = ["It is best not to change the default timeout settings.", "Set the number of tries with --tries=NUMBER."]
    assert type_misses("How do I change that?", texts).tolist() == [0.0, 0.0]
    assert type_misses("How do I change that?", texts, kind="code").tolist() == [1.0, 0.0]


def test_a_release_heading_without_a_date_answers_when_with_the_release():
    """Click's changelog heads its entries "Version 7.0" and gives the date in a line below: "When did Click
    add native Zsh completion?" is answered by the entry, in 7.0 (half a miss, as a dated heading is), not
    by a section of the documentation that says nothing of when."""
    texts = ["Add native ZSH autocompletion support.", "Zsh completion is enabled by adding a line to ~/.zshrc."]
    headings = ["Changes › Version 7.0", "Shell Completion › Enabling Completion"]
    assert type_misses("When did Click add native Zsh completion?", texts, headings.__getitem__).tolist() == [
        HEADING_DATE_MISS,
        1.0,
    ]
    # a numbered section is no release: "2.1 Text font attributes" dates nothing under it
    numbered = ["Font selection › 2.1 Text font attributes", "Shell Completion"]
    assert type_misses("When did Click add native Zsh completion?", texts, numbered.__getitem__).tolist() == [1.0, 1.0]
    assert type_misses("When was native Zsh completion added?", texts, headings.__getitem__)[0] == HEADING_DATE_MISS
    # nor does a release answer "when" in the sense of "under which condition"
    assert type_misses("When does Zsh completion run?", texts, headings.__getitem__).tolist() == [1.0, 1.0]
    # headings that call a release's notes by its version are a release's
    assert all(map(release_heading, ("Git 2.23 Release Notes", "What's New In Python 3.12", "Changes in 1.2")))
    assert not any(map(release_heading, ("Python 3.12", "Release notes", "2.1 Text font attributes")))


def test_a_heading_that_opens_with_a_date_dates_the_entries_under_it():
    """A service record heads each visit with its date ("3 May 2021 — 51,870 miles"): "When were the brake
    discs replaced?" is answered by the line under it (half a miss, as under a dated release), not by an
    undated line elsewhere. A date after a heading's subject (an e-mail's) dates nothing under it."""
    texts = ["The front brake pads and discs were replaced.", "The brake pads were checked at every service."]
    headings = ["Car service record › Service history › 3 May 2021 — 51,870 miles", "Car service record › Notes"]
    assert type_misses("When were the brake discs replaced?", texts, headings.__getitem__).tolist() == [
        HEADING_DATE_MISS,
        1.0,
    ]
    subject = ["Appointment confirmation - Tuesday 18 November", "Notes"]
    assert type_misses("When were the brake discs replaced?", texts, subject.__getitem__).tolist() == [1.0, 1.0]
    assert all(map(dated_entry, ("Monday 4 March", "2024-05-02: release day", "June 3rd, 2021", "March 2024", "1996")))
    assert not any(map(dated_entry, ("2.1 Text font attributes", "May the force be with you", "12 Angry Men")))
    assert not dated_entry("2019 annual report of the committee on finance and its members")


def test_a_sentence_saying_the_reverse_of_who_did_what_to_whom_does_not_answer():
    """"What did Putin give Kim?" of an article saying "Kim Jong Un gave Putin a pair of Pungsan dogs": the
    same words, the roles reversed, so the sentence misses; "What did Kim give Putin?" it answers, and so it does
    a question whose subject is the agent of a passive ("Putin was given ... by Kim")."""
    gave = "North Korean leader Kim Jong Un gave Russian President Vladimir Putin a pair of Pungsan dogs."
    assert type_misses("What did Putin give Kim?", [gave]).tolist() == [1.0]
    assert type_misses("What did Kim give Putin?", [gave]).tolist() == [0.0]
    assert type_misses("What did Kim Jong Un give Vladimir Putin?", [gave]).tolist() == [0.0]
    assert type_misses("What did Putin give Kim?", ["Kim was given a sword by Putin."]).tolist() == [0.0]
    assert type_misses("What did Putin give Kim?", ["In return Kim got a car, which Putin gave him."]).tolist() == [0.0]
    assert type_misses("What gift did Kim give?", [gave]).tolist() == [0.0]


def test_a_release_heading_answers_when_the_release_came_out_and_nothing_else():
    """A release's dated heading is a sentence of its own ("0.27.1 (27th August, 2024)", under "Changelog"):
    it states the date "When was 0.27.1 released?" asks for, better than an entry dated only by the heading
    above it; it says nothing about what changed, so it misses "What was fixed in 0.27.1?"."""
    texts = ["0.27.1 (27th August, 2024)", "Improved error messaging for InvalidURL exceptions."]
    headings = ["Changelog", "Changelog › 0.27.1 (27th August, 2024) › Fixed"]
    assert type_misses("When was 0.27.1 released?", texts, headings.__getitem__).tolist() == [0.0, HEADING_DATE_MISS]
    assert type_misses("What was fixed in 0.27.1?", texts, headings.__getitem__).tolist() == [1.0, 0.0]
    assert type_misses("What changed in version 2.32.3?", ["2.32.3 (2024-05-29)"]).tolist() == [1.0]
    # a line among the entries that says when it came out is left as it ranks
    under = ["Version 8.1.6"].__getitem__
    assert type_misses("What changed in Click 8.1.6?", ["Released 2023-07-18"], under).tolist() == [0.0]


def tops(sentences: list[Sentence], scores: list[float], questions: tuple[str, ...], field: str = "doc") -> list[str]:
    """For each question, the `field` of the sentence ranked first, the sentences scored `scores` by their
    similarity alone."""
    texts = [x.text for x in sentences]
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0)
    found = [answer(q, candidates(scores), texts, sentences.__getitem__, cal, 0.5) for q in questions]
    return [getattr(a.sentences[0].sentence, field) for a in found]


def test_release_notes_rank_below_the_documentation_unless_the_question_asks_about_releases():
    """A changelog's entry repeats the words of the documentation it changed ("Add fmt command"); for a question
    about the tool it ranks below the documentation's sentence, for one about a release as it scores."""
    sentences = [
        Sentence("history.md", 0, 15, "Add fmt command", heading="Hatch history › 1.8.0 - 2023-12-11 › Added"),
        Sentence("fmt.md", 0, 40, "The fmt command is backed by Ruff.", heading="Static analysis › Formatting"),
    ]
    asked = tops(sentences, [0.50, 0.45], (
        "Which tool does the fmt command run?", "When was the fmt command added?", "What is new in 1.8.0?",
        "How do I add the fmt command to CI?",  # how to do it: "add" is the asker's, not a release's
        "How do I migrate the fmt command to 1.8.0?",
    ))  # fmt: skip
    assert asked == ["fmt.md", "history.md", "history.md", "fmt.md", "history.md"]
    # a list of releases whose versions are no headings ("D. CxxTest Releases"), or a beta's under the changelog's
    # title ("Change Log › 21.8b0"), is release notes too
    for path in ("D. CxxTest Releases", "Change Log \u203a 21.8b0 \u203a Black"):
        moved = [replace(sentences[0], heading=path), sentences[1]]
        assert tops(moved, [0.50, 0.45], ("Which tool does the fmt command run?",)) == ["fmt.md"]
    assert in_release_notes("Black Change Log") and not in_release_notes("Changes to the tenancy \u203a History")
    # numbered sections are no releases, nor titles naming a version of something else
    assert not any(map(release_heading, ("2.1 Text font attributes", "Added", "HTTP/1.1 Semantics", "Python 3.12")))
    assert all(map(release_heading, ("1.10.0 - 2024-05-02", "Version 2.0", "Hatch v1.10.0", "0.27.1 (27th August, 2024)")))
    # a pre-release is a release too ("7.6.0b1", "v2.14.0rc2 (2026-09-09)", "7.6.0-beta.1", "1.0.dev3")
    assert all(map(release_heading, ("7.6.0b1", "v2.14.0rc2 (2026-09-09)", "7.6.0-beta.1", "1.0.dev3", "21.8b0", "2.0rc1")))
    assert not any(map(release_heading, ("2.1a Overview", "3.13")))  # a section's number, a bare decimal
    assert dated_release("v2.14.0b2 (2026-09-09)") == ("v2.14.0b2", "2026-09-09")


def test_works_cited_rank_below_the_text_unless_the_question_asks_what_was_written():
    """A paper's reference list repeats the words of the text that cites it in its works' titles ("fitdistrplus:
    Help to Fit of a Parametric Distribution to Non-Censored or Censored Data" was the top sentence for "Which
    function fits a distribution to censored data?"); for a question about what was written it ranks as it scores."""
    sentences = [
        Sentence("p.pdf", 0, 60, "Delignette-Muller M (2014). Fitting censored data.", heading="References"),
        Sentence("p.pdf", 70, 120, "The fitdistcens function fits censored data.", heading="3 Censored data"),
    ]
    asked = tops(sentences, [0.50, 0.35], ("Which function fits censored data?", "Who wrote about fitting censored data?"), "heading")
    assert asked == ["3 Censored data", "References"]
    assert under_references("Bibliography") and under_references("fitdistrplus \u203a 7 Works Cited")
    assert not under_references("Using references") and not under_references("")


def test_a_question_for_code_prefers_sentences_showing_code_only_where_some_do():
    texts = ["By default, Black performs a safety check.", "The --fast flag turns off this check."]
    assert type_misses("Which flag turns off the safety check?", texts).tolist() == [1.0, 0.0]
    # "What class of ships ...": among sentences that show no code, the words name no kind at all
    prose = ["Liners were large ships.", "Small liners carried passengers."]
    assert type_misses("What class of ships were the liners?", prose).tolist() == [0.0, 0.0]


def test_a_sentence_that_points_at_the_thing_asked_for_instead_of_naming_it_is_a_miss():
    texts = [
        "Unfortunately, these TeX primitives do not change the case of characters.",
        "TeX provides two primitives, uppercase and lowercase, for changing case.",
        "This release introduced systemd as the default.",
    ]
    assert type_misses("Which TeX primitives change case?", texts).tolist() == [1.0, 0.0, 0.0]
    # a name before the thing asked for is kept with it: "Which Debian release" asks for a release
    assert type_misses("Which Debian release first made systemd the default?", texts).tolist() == [0.0, 0.0, 1.0]
    # "this" as a pronoun, or a question that asks for no thing, is no miss
    assert type_misses("Which function reads a character?", ["Note that this reads raw input."]).tolist() == [0.0]
    assert type_misses("What is the default?", texts).tolist() == [0.0, 0.0, 0.0]
    # late in a sentence a demonstrative points back at what the sentence itself has named
    named = ["Since E203 is not PEP 8 compliant, you should tell Flake8 to ignore these warnings."]
    assert type_misses("Which Flake8 warning should be ignored?", named).tolist() == [0.0]


def test_a_sentence_taking_the_thing_asked_for_as_known_is_no_rival_to_the_top_one():
    """"The canine gift came after ..." speaks of the gift asked for as already known: the top sentence's
    lead (the confidence's margin) is measured over the candidates that could be another answer, which a
    sentence saying what the thing is ("The gift was ...", "The gift of ...", "The gift that ...") can."""
    gift = "What gift did Kim give?"
    texts = [
        "Kim gave Putin a pair of Pungsan dogs.",
        "The canine gift came after the two signed a pact.",
        "The gift was a pair of dogs.",
        "The gift of two dogs pleased Putin.",
        "The cycle used here is called the Rankine cycle.",
        "A horse was fed carrots.",
    ]
    assert rivals(gift, texts).tolist() == [True, False, True, True, True, True]
    assert rivals("Which cycle is used?", texts[4:5]).tolist() == [True]  # "-ed" may open a clause naming it
    assert rivals("Which Debian release used systemd first?", ["The Debian project grew fast."]).tolist() == [True]
    assert rivals("What is the gift?", texts).all()  # asks for no thing
    scores = np.array([0.9, 0.85, 0.2], dtype=np.float32)
    assert top_and_second(scores, 0) == pytest.approx((0.9, 0.85))
    assert top_and_second(scores, 0, np.array([True, False, True])) == pytest.approx((0.9, 0.2))
    assert top_and_second(scores, 0, np.array([True, False, False])) == pytest.approx((0.9, 0.0))  # no rival left
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0)
    sentences = [Sentence("a.txt", 0, 9, t) for t in texts[:2]]
    found = answer(gift, candidates([0.9, 0.85]), texts[:2], sentences.__getitem__, cal, 0.5)
    assert found.confidence == pytest.approx(cal.confidence(0.9, 0.0))  # the canine-gift sentence is no rival
    assert found.confidence > cal.confidence(0.9, 0.85)


def test_the_same_sentence_found_twice_is_no_rival_and_is_shown_once():
    """Two copies of one file (report.txt and "copy of report.txt") or a line a changelog repeats: the second
    copy agrees with the first, so it neither narrows the top sentence's lead (which made every answer from a
    copied file "not sure") nor takes a place in the list. Case, width and punctuation aside."""
    texts = [
        "Kim gave Putin a pair of Pungsan dogs.",
        "KIM gave Putin a pair of Pungsan dogs",
        "Kim gave Putin a pair of ＰＵＮＧＳＡＮ dogs!",
        "Kim gave Putin a horse.",
    ]
    assert rivals("Who got the dogs?", texts, 0).tolist() == [False, False, False, True]
    assert rivals("Who got the dogs?", texts).tolist() == [True, True, True, True]  # no first: every candidate
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0)
    sentences = [Sentence(f"{i}.txt", 0, len(t), t) for i, t in enumerate(texts)]
    found = answer("Who got the dogs?", candidates([0.9, 0.9, 0.88, 0.3]), texts, sentences.__getitem__, cal, 0.5)
    assert [s.sentence.text for s in found.sentences] == [texts[0], texts[3]]  # the best copy, cited once
    assert found.confidence == pytest.approx(cal.confidence(0.9, 0.3))
    alone = answer("Who got the dogs?", candidates([0.9, 0.3]), texts[::3], sentences[::3].__getitem__, cal, 0.5)
    assert found.confidence == pytest.approx(alone.confidence)


def test_the_sentence_in_another_version_of_its_document_is_no_rival():
    """report.txt and report_v2.txt: a sentence revised by a word agrees with its other version, so three
    versions of a file do not turn an answer into "not sure" (0.59 alone, 0.48 with two versions beside it),
    and it is cited once. A revision that changes a number or a negation answers differently: a rival, and
    shown. A short sentence changed by a word may say something else: a rival."""
    texts = [
        "North Korean leader Kim Jong Un gave Russian President Vladimir Putin a pair of Pungsan dogs, a local breed.",
        "North Korean leader Kim Jong Un gave Russian President Vladimir Putin a pair of Pungsan hunting dogs, a local breed.",
        "North Korean leader Kim Jong Un gave Russian President Vladimir Putin a pair of Pungsan dogs, a rare breed.",
        "North Korean leader Kim Jong Un gave Russian President Vladimir Putin three Pungsan dogs, a local breed.",
        "North Korean leader Kim Jong Un gave Russian President Vladimir Putin 2 Pungsan dogs, a local breed.",
        "North Korean leader Kim Jong Un didn't give Russian President Vladimir Putin a pair of Pungsan dogs, a local breed.",
        "The dogs are a local breed.",
        "The dogs are a rare breed.",
        "Kim gave Putin a horse.",
    ]
    assert rivals("Who got the dogs?", texts, 0).tolist() == [False, False, False, True, True, True, True, True, True]
    assert rivals("Who got the dogs?", texts[6:], 0).tolist() == [False, True, True]
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0)
    sentences = [Sentence(f"{i}.txt", 0, len(t), t) for i, t in enumerate(texts)]

    def asked(picked: list[int]) -> Answer:
        chosen = [texts[i] for i in picked]
        return answer("Who got the dogs?", candidates([0.9, 0.89, 0.88, 0.3]), chosen, lambda i: sentences[picked[i]], cal, 0.5)

    found = asked([0, 1, 2, 8])
    assert [s.sentence.text for s in found.sentences] == [texts[0], texts[8]]  # one version, cited once
    assert found.confidence == pytest.approx(cal.confidence(0.9, 0.3))
    figure = asked([0, 4, 5, 8])
    assert len(figure.sentences) == 4
    assert figure.confidence == pytest.approx(cal.confidence(0.9, 0.89))


def test_the_newest_version_of_the_top_sentence_comes_first():
    """policy_2023.pdf and policy_2024.pdf: the sentence in the file modified last comes first, whichever the
    ranking preferred, when it was modified more than a day later; files copied together keep the ranking's
    order. A revision that changes a number moves too (it is still a rival for the confidence)."""
    from qa.answer.extract import NEWER, newest_version_first

    texts = [
        "Full-time staff receive 25 days of paid leave per year, plus public holidays.",  # policy_2023
        "Staff may carry five unused days over into the next year.",
        "Full-time staff receive 27 days of paid leave per year, plus public holidays.",  # policy_2024
    ]
    day = 86_400 * 10**9
    old, new = {0: 0, 1: 0, 2: 3 * day}, {0: 3 * day, 1: 0, 2: 0}
    assert newest_version_first([0, 1, 2], texts, old.__getitem__) == [2, 0, 1]
    assert newest_version_first([0, 1, 2], texts, new.__getitem__) == [0, 1, 2]  # the top is the newest
    together = {0: 0, 1: 0, 2: NEWER}  # within a day: copied or unpacked together
    assert newest_version_first([0, 1, 2], texts, together.__getitem__) == [0, 1, 2]
    assert newest_version_first([1, 0, 2], texts, old.__getitem__) == [1, 0, 2]  # no version of the top
    assert newest_version_first([0, 1, 2], texts, None) == [0, 1, 2]
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0)
    sentences = [Sentence(f"{i}.txt", 0, len(t), t) for i, t in enumerate(texts)]
    found = answer("How many days of leave?", candidates([0.9, 0.5, 0.85]), texts, sentences.__getitem__, cal, 0.5,
                   modified=old.__getitem__)  # fmt: skip
    assert found.sentences[0].sentence.text == texts[2]
    assert found.confidence == pytest.approx(cal.confidence(0.85, 0.9))  # the 2023 version still a rival


def test_a_sentence_lacking_a_number_the_question_names_is_a_miss():
    texts = [
        "On Python 3.11 and newer, use the standard library's tomllib instead of tomli.",
        "Python 3.1 support was removed.",
        "Black reads pyproject.toml with tomli.",
        "Python 13.11 is far away.",
    ]
    # the number alone: not a prefix ("3.1"), not inside a longer one ("13.11")
    assert type_misses("What does Black read TOML with on Python 3.11?", texts).tolist() == [0.0, 1.0, 1.0, 1.0]
    assert type_misses("What does Black read TOML with?", texts).tolist() == [0.0, 0.0, 0.0, 0.0]  # names none
    # every number named must be there; the sentence's own other numbers do not matter
    both = ["Debian 1.1 contained 474 packages in 1996.", "Debian 1.1 was released."]
    assert type_misses("How many packages did Debian 1.1 have in 1996?", both).tolist() == [0.0, 1.0]


def test_a_sentence_that_only_sends_the_reader_elsewhere_is_a_miss_unless_asked_where_to_read():
    texts = [
        "See below for more details.",
        "For more information, see callback-evaluation-order.",
        "To turn this behavior off, see optional-value.",
        "Please refer to the Debian Java FAQ for more information.",
        "Click here for full installation instructions.",
        "Check out the quickstart or go to the overview.",
        "Black is strictly about formatting, nothing else.",
        "If you see an error, stop the build.",  # "see" in a clause of its own, not the main verb
    ]
    assert type_misses("Is Black safe to use?", texts).tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    assert type_misses("How can I learn more about Java on Debian?", texts).tolist() == [0.0] * 8
    # a paragraph of links read as where they lead answers where to find something, and nothing else
    listed = [
        "GitHub: https://example.org/wick; Documentation: https://wick.example.org",
        "Wick: Rate limiting for Lamps, with Redis or memory backends.",
        "Wick: adapted from https://example.org/limiter, with Redis backends.",
    ]
    assert type_misses("Which package adds rate limiting?", listed).tolist() == [1.0, 0.0, 0.0]
    for asked in ("Where is Wick's documentation?", "What is Wick's GitHub repository?", "Link to Wick's source?"):
        assert type_misses(asked, listed)[0] == 0.0, asked


def test_a_sentence_that_reports_done_what_a_how_to_question_asks_is_a_miss_unless_shown_with_code():
    """"Flask is now installed." follows the command that installs it: for "How do I install Flask?" it says
    nothing but the question's words and small ones. The sentence before the command tells how."""
    texts = ["Flask is now installed.", "Use the following command to install Flask:", "Install Flask with pip."]
    assert type_misses("How do I install Flask?", texts).tolist() == [1.0, 0.0, 0.0]
    assert type_misses("Is Flask installed?", texts).tolist() == [0.0, 0.0, 0.0]  # no how-to question
    shown = type_misses("How do I install Flask?", texts, leads_into_code=lambda i: i == 0)
    assert shown.tolist() == [0.0, 0.0, 0.0]  # its code is the answer


def test_a_sentence_of_nothing_but_the_question_s_words_is_a_miss_unless_it_asks_whether():
    """An essay's byline ("HARGREAVE") stands as a unit of its own and matches the name a question asks about
    best of all; it says nothing the asker did not. A sentence with one word more ("on", "one") may be the
    answer, and a question asking whether something holds is answered in its own words."""
    texts = [
        "HARGREAVE",
        "By a quarrel, I understand a dispute between two or more plot holders.",
        'The BOOL type accepts the values "on" and "off".',
    ]
    assert type_misses("How does Hargreave define a quarrel?", texts).tolist() == [1.0, 0.0, 0.0]
    assert type_misses("Which values does the BOOL type accept?", texts).tolist() == [0.0, 0.0, 0.0]
    assert type_misses("Is Hargreave the author?", ["Hargreave is the author."]).tolist() == [0.0]
    assert type_misses("Who is the author?", ["The author."]).tolist() == [1.0]


def test_a_sentence_that_only_leads_into_an_example_of_what_is_asked_is_a_miss():
    """Flask's documentation answers how-to questions with an example after a sentence that leads into it;
    the example, too long to show, is left out, and the sentence alone restates the question: "Here's a
    simple example of how to render a template:" came first for "How do I render a template?", "So how do
    you register that blueprint? Like this:" for "How do I register a blueprint?". A sentence that says more
    than that, or does not lead into anything, is no miss; nor is one shown with the code it leads into."""
    texts = [
        "Here's a simple example of how to render a template:",
        "To render a template you can use the render_template() method.",
        "An alternative is to render a template with a context manager in the following way:",
        "Here's a simple example of how to render a template.",
    ]
    assert type_misses("How do I render a template?", texts).tolist() == [1.0, 0.0, 0.0, 0.0]
    blueprint = ["So how do you register that blueprint? Like this:"]
    assert type_misses("How do I register a blueprint?", blueprint).tolist() == [1.0]
    assert type_misses("What fields does an object have?", ["Each object has four fields:"]).tolist() == [0.0]
    shown = lambda i: i == 0  # noqa: E731 - the first is shown with its code
    assert type_misses("How do I render a template?", texts, leads_into_code=shown).tolist() == [0.0, 0.0, 0.0, 0.0]


def test_a_sentence_that_only_says_one_needs_to_do_what_is_asked_is_a_miss_for_a_how_to_question():
    """"Sometimes however you will need to disable autoescaping in templates." came first for "How do I turn
    off autoescaping in a template?": it restates the need, and the way ("you can use the {% autoescape %}
    block") follows it. A sentence that goes on to say what to do, shows code, or is asked something other
    than how to do it is no miss; nor is one shown with the code it leads into."""
    texts = [
        "Sometimes however you will need to disable autoescaping in templates.",
        "To disable autoescaping in templates, you can use the autoescape block.",
        "If you want to disable autoescaping, set the autoescape option to false.",
        "If you want to disable autoescaping, pass autoescape=False.",
        "Let's say you want to disable autoescaping. You would run: flask render --raw",
        "Most users want to disable autoescaping in templates.",
    ]
    assert type_misses("How do I turn off autoescaping in a template?", texts).tolist() == [1, 0, 0, 0, 0, 1]
    assert type_misses("Does Flask escape templates?", texts).tolist() == [0, 0, 0, 0, 0, 0]
    shown = lambda i: i == 0  # noqa: E731 - the first is shown with its code
    assert type_misses("How can I turn off autoescaping?", texts, leads_into_code=shown).tolist() == [0, 0, 0, 0, 0, 1]


def test_an_entry_that_does_the_opposite_of_what_a_how_to_question_asks_is_a_miss():
    """"How do I make grep ignore case?" got "‘--no-ignore-case’ Do not ignore case distinctions ...", grep's
    manual's entry just before the one asked for: every word the question's, the meaning the reverse. It is a
    miss for a question asking how to do the thing, not for one asking how not to, and not where the
    negated verb is another."""
    texts = [
        "‘--no-ignore-case’      Do not ignore case distinctions in patterns and input data.",
        "‘-i’ ‘-y’ ‘--ignore-case’      Ignore case distinctions in patterns and input data.",
        "--no-messages: Never print messages about unreadable files.",
        "You need not ignore case.",
    ]
    assert type_misses("How do I make grep ignore case?", texts).tolist() == [1, 0, 0, 0]
    assert type_misses("How do I stop grep ignoring case?", texts).tolist() == [0, 0, 0, 0]
    assert type_misses("How can I make grep print messages?", texts).tolist() == [0, 0, 1, 0]
    assert type_misses("Does grep ignore case?", texts).tolist() == [0, 0, 0, 0]  # not a how-to question


def _asked_of_two(first: Sentence, second: Sentence, prior: float):
    """`answer` for a question over two candidates, the first scoring higher by less than `prior`, a ranking
    prior the second may take; and the top sentence's document."""
    sentences = [first, second]
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0)
    texts = [s.text for s in sentences]
    c = candidates([0.5 + prior * 0.9, 0.5])

    def ask(question: str) -> Answer:
        return answer(question, c, texts, sentences.__getitem__, cal, 0.5)

    def top(question: str) -> str:  # the top sentence's document
        return ask(question).sentences[0].sentence.doc

    return ask, top


def test_a_question_asking_what_an_option_does_ranks_its_entry_first():
    """A reference's entry for an option or a command opens with it, alone or among its aliases ("‘-c’
    ‘--continue’ Continue getting ...", "-l, --line-length: ...", "\\selectfont Selects ..."): for "What does
    --continue do?" it goes before a sentence that only mentions it, by DEFINES, for the ranking only. A
    question about a word that is not code, or any other question, ranks as before."""
    _, top = _asked_of_two(
        Sentence("bc.info", 0, 40, "The continue statement: POSIX bc does not have --continue."),
        Sentence("wget.info", 0, 40, "‘-c’ ‘--continue’ Continue getting a partially-downloaded file."),
        DEFINES,
    )
    assert top("What does --continue do?") == "wget.info"
    assert top("What is --continue for?") == "wget.info"
    assert top("What does wget --continue mean?") == "wget.info"
    assert top("What does the --continue option do?") == "wget.info"
    assert top("When was --continue added?") == "bc.info"
    assert top("What does continue do?") == "bc.info"  # not written as code
    assert defined_term("What does \\selectfont do?") == "\\selectfont"
    assert opens_with("--line-length", "-l, --line-length: How many characters per line to allow.")
    assert opens_with("--tries=NUMBER", "‘-t NUMBER’ ‘--tries=NUMBER’ Set number of tries to NUMBER.")
    assert not opens_with("--fast", "The --fast flag turns off this check.")
    assert not opens_with("-c", "-config sets the file.")


def test_a_question_asking_what_a_thing_is_ranks_the_sentence_saying_it_first():
    """"What is Flask?" puts a sentence that says what Flask is (it opens with it and goes on with a copula
    and an article, or with a verb that defines) before one that only mentions it, by DEFINITION, for the
    ranking only; an abbreviation's long form before it in brackets says what it is too. Any other question
    ranks as before."""
    ask, top = _asked_of_two(
        Sentence("changes.rst", 0, 30, "Flask is now tested with Python 3.13."),
        Sentence("index.rst", 0, 50, "Flask is a lightweight WSGI web application framework."),
        DEFINITION,
    )
    assert top("What is Flask?") == top("what's flask") == top("What is the Flask?") == "index.rst"
    assert top("When was Flask tested?") == top("What is it?") == "changes.rst"
    plain, asked = ask("When was Flask tested?"), ask("What is Flask?")
    assert asked.sentences[0].score == plain.sentences[1].score  # the score, and so the confidence, is its own
    assert asked_definition("What does NFSS stand for?") == "NFSS"
    assert asked_definition("What are virtual packages?") == "virtual packages"
    assert asked_definition("What does \"magic trailing comma\" mean?") == "magic trailing comma"  # quotes aside
    assert asked_definition("What is `blackd`?") == "blackd"
    assert asked_definition("What is the default line length of Black?") == ""  # more than a name
    assert defines("package pool", "A package pool is just a collection of versions of a package.")
    assert defines("Black", "Black is fundamentally a command line tool.")
    assert defines("Werkzeug", "Werkzeug implements WSGI, the standard Python interface.")
    assert defines("NFSS", "It was released as the 'New Font Selection Scheme' (NFSS) in 1989.")
    assert defines("Debian Edu", "Debian Edu aka Skolelinux is a Linux distribution based on Debian.")
    assert defines("virtual packages", "A virtual package is a generic name for a group of packages.")
    assert defines("environment", "Environments are the isolated workspaces of a project.")
    assert defines("Kim", "Kim, a horseman, was famously pictured riding a white stallion.")  # in apposition
    assert defines("patent license", 'A "patent license" is any express agreement not to enforce a patent.')
    assert defines("Contributor", '"Contributor" shall mean Licensor and any individual or Legal Entity.')
    assert defines("trigger", "A dpkg trigger is a facility that allows events to be recorded.")  # of a kind
    assert defines("Click", "Click is designed to assist with the creation of CLI tools.")  # what it is for
    assert defines("Putin", "North Korean leader Kim Jong Un gave Russian President Vladimir Putin dogs.")  # a role
    assert defines("Kim", "North Korean leader Kim Jong Un gave Russian President Vladimir Putin dogs.")
    assert not defines("Putin", "Kim and Putin were seen looking at the dogs.")
    assert defines("test suite", "test suite: A collection of test cases.")  # a glossary's entry
    assert not defines("test suite", "test suite::run() starts the tests.")


def test_a_question_asking_what_a_thing_does_ranks_the_sentence_saying_it_first():
    """"What does debug mode do?" (or "What is the reloader for?") puts a sentence that says what the thing
    does first, by DEFINITION, as "What is X?" does: one saying what it is, one in which it does something
    (after an opening clause too), or one saying what enabling it does. One written as code is
    `defined_term`'s."""
    ask, top = _asked_of_two(
        Sentence("config.rst", 0, 30, "DEBUG: Whether debug mode is enabled."),
        Sentence("quickstart.rst", 0, 50, "By enabling debug mode, the server will automatically reload."),
        DEFINITION,
    )
    assert top("What does debug mode do?") == top("What is debug mode for?") == "quickstart.rst"
    assert top("How do I turn on debug mode?") == top("What does it do?") == "config.rst"
    assert asked_role("What does the reloader do exactly?") == "reloader"
    assert asked_role("What does --continue do?") == ""  # written as code: an entry opening with it
    assert does_what("debugger", "The debugger allows executing arbitrary Python code.")
    assert does_what("reloader", "When using debug mode, the reloader will trigger whenever code changes.")
    assert does_what("run command", "The run command will start the development server.")
    assert not does_what("debugger", "The debugger is enabled by default.")  # only says how it is
    assert not does_what("reloader", "The reloader has been removed.")
    assert not defines("Black", "Black is now tested with Python 3.13.")
    assert not defines("Black", "Black is timid about formatting notebooks.")
    assert not defines("Flask", "A Flask application is an instance of the Flask class.")


def _widget_docs(root):
    """A changelog naming Widget in its heading above many short entries, and a guide that says what it is."""
    root.mkdir()
    entries = "\n\n".join(f"## 1.{n}.0\n\n- Fixed crash number {n} in the parser." for n in range(60))
    (root / "CHANGES.md").write_text(f"# Widget history\n\n{entries}\n")
    (root / "guide.md").write_text(
        "# Guide\n\nThe tool reads files.\n\nWidget is a small tool that converts files to text.\n\n"
        "Widget is a good place to start.\n"
    )
    return root


def test_what_is_x_finds_the_sentences_saying_what_x_is_whatever_the_search_finds(tmp_path, fake_embedder):
    """The sentences that say what X is are candidates for "What is X?" (`service._defining`), however many
    short entries under a heading naming X match the question better."""
    from conftest import service

    from qa.service import _defining

    engine = service(_widget_docs(tmp_path / "docs"), tmp_path / "index", fake_embedder)
    snapshot, retriever = engine.live()
    found = snapshot.texts(list(_defining(snapshot, retriever, "What is Widget?")))
    assert found == ["Widget is a small tool that converts files to text."]  # not "a good place to start"
    assert _defining(snapshot, retriever, "When was Widget released?") == ()
    assert "Widget is a small tool that converts files to text." in [
        s.sentence.text for s in engine.ask("What is Widget?").sentences
    ]


def test_a_sentence_that_asks_is_a_miss_for_every_question():
    texts = ["How does one pronounce Debian?", "Debian is pronounced 'deb ee n'.", "Is it stable? "]
    assert type_misses("How is Debian pronounced?", texts).tolist() == [1.0, 0.0, 1.0]
    assert type_misses("When was Debian founded?", ["When was Debian founded?", "In 1993."]).tolist() == [1.0, 0.0]


def test_the_shipped_type_penalty_reorders_a_number_question():
    cal = load_calibration()
    assert cal.type_weight == pytest.approx(0.3)
    texts = ["Kim gave Putin dogs.", "Kim gave Putin two dogs."]
    c = candidates([0.60, 0.55], [0.5, 0.5], [1.0, 1.0])
    s = score(c, cal, type_misses("How many dogs did Kim give?", texts))
    assert s[1] > s[0]  # 0.05 behind on similarity, 0.3 ahead on the penalty


# ---- the threshold and the verdict ----------------------------------------------------------------------
def test_the_verdict_boundaries():
    assert MAYBE == 0.5
    assert verdict(0.56, 0.56) is Verdict.ANSWERED  # at the threshold: answered
    assert verdict(0.5599, 0.56) is Verdict.NOT_SURE
    assert verdict(0.5, 0.56) is Verdict.NOT_SURE  # more likely right than not
    assert verdict(0.4999, 0.56) is Verdict.ABSTAINED
    assert verdict(0.3, 0.2) is Verdict.ANSWERED


def test_the_shipped_threshold_and_confidence_map():
    shipped = json.loads(CALIBRATION_FILE.read_text())
    cal = load_calibration()
    assert cal.threshold == shipped["threshold"] == pytest.approx(0.550458)
    # pinned points of the fitted confidence (retrieval top/second score, reader logit, unseen words, a name
    # only other documents hold)
    assert cal.confidence(0.90, 0.80, 0.0) == pytest.approx(0.5386, abs=1e-4)
    assert cal.confidence(1.10, 0.80, 2.0) == pytest.approx(0.7281, abs=1e-4)
    assert cal.confidence(1.10, 0.80, -3.0) == pytest.approx(0.2338, abs=1e-4)
    assert cal.confidence(1.10, 0.80, 2.0, unseen=True) == pytest.approx(0.4631, abs=1e-4)
    assert cal.confidence(1.10, 0.80, 2.0, elsewhere=True) == pytest.approx(0.3665, abs=1e-4)


def _answer(threshold: float, cal: Calibration) -> Answer:
    sentences = [Sentence("a.txt", 0, 9, "Two dogs."), Sentence("a.txt", 10, 19, "A horse.")]
    c = candidates([0.9, 0.5], [0.9, 0.5], [1.0, 0.0])
    return answer("What did Kim give?", c, [s.text for s in sentences], sentences.__getitem__, cal, threshold)


def test_a_follow_up_ranks_the_answered_document_first_but_its_confidence_is_unchanged():
    sentences = [Sentence("a.txt", 0, 9, "It costs 5."), Sentence("b.txt", 0, 9, "It costs 6.")]
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0)
    texts = [s.text for s in sentences]
    lead = SAME_DOCUMENT * 0.9  # a.txt's sentence scores higher, by less than the prior
    plain = candidates([0.5 + lead, 0.5])
    alone = answer("How much?", plain, texts, sentences.__getitem__, cal, 0.5)
    in_b = np.array([0.0, 1.0], dtype=np.float32)
    near_b = answer("How much?", replace(plain, same_document=in_b), texts, sentences.__getitem__, cal, 0.5)
    assert alone.sentences[0].sentence.doc == "a.txt"
    assert near_b.sentences[0].sentence.doc == "b.txt"
    assert near_b.confidence == pytest.approx(cal.confidence(0.5, 0.5 + lead))  # the score without the prior
    far = replace(candidates([0.5 + 1.1 * SAME_DOCUMENT, 0.5]), same_document=in_b)
    assert answer("How much?", far, texts, sentences.__getitem__, cal, 0.5).sentences[0].sentence.doc == "a.txt"


def test_a_follow_up_asking_a_figure_of_the_answer_ranks_the_answer_s_section_first():
    """"How much did it cost?" after "When was the cambelt replaced?": the service record's entry that was
    answered holds the cost, not another entry of the same file. Only for a follow-up that asks a figure, a
    date or a place of "it", only under a heading (a file without headings has no sections)."""
    sentences = [
        Sentence("car.md", 0, 30, "Cambelt replaced.", heading="Service › 20 June 2022"),
        Sentence("car.md", 40, 70, "Brake pads checked. Cost £189.", heading="Service › 12 April 2020"),
        Sentence("car.md", 80, 99, "Cost £640.", heading="Service › 20 June 2022"),
        Sentence("car.txt", 0, 30, "Cambelt replaced."),
        Sentence("car.txt", 40, 70, "Brake pads checked. Cost £189."),
        Sentence("car.txt", 80, 99, "Cost £640."),
    ]
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0)
    in_doc = np.array([1.0, 1.0], dtype=np.float32)

    def top(question: str, ids: list[int], near: int, scores=(0.5 + SAME_SECTION * 0.9, 0.5), same=in_doc) -> str:
        c = replace(candidates(list(scores)), ids=np.array(ids, dtype=np.int64), same_document=same)
        turn = Conversation(topic="When was the cambelt replaced?", anchor=near).turn(question)
        assert turn.near == near
        texts = [sentences[i].text for i in ids]
        return answer(question, c, texts, sentences.__getitem__, cal, 0.5, turn=turn).sentences[0].sentence.text

    assert top("How much did it cost?", [1, 2], 0) == "Cost £640."
    assert top("And how much did the brakes cost?", [1, 2], 0) == "Brake pads checked. Cost £189."  # not of the answer
    assert top("How much did it cost?", [4, 5], 3) == "Brake pads checked. Cost £189."  # no headings
    # ... nor is the whole of such a file ranked up a second time against another file's sentence
    elsewhere = top("How much did it cost?", [5, 1], 3, (0.5, 0.5 + SAME_DOCUMENT + SAME_SECTION / 2), in_doc * [1, 0])
    assert elsewhere == "Brake pads checked. Cost £189."


class _Asked:
    """A cross-encoder that notes what it was asked and has no opinion (logits 0)."""

    def __init__(self) -> None:
        self.questions: list[str] = []

    def logits(self, question, sentences):
        self.questions.append(question)
        return np.zeros((len(sentences), 2), dtype=np.float32)


class _Reader:
    """A reader that says "no" firmly to every sentence."""

    def logits(self, question, sentences):
        return np.tile(np.array([-4.8, 0.0], dtype=np.float32), (len(sentences), 1))


def test_the_readers_no_counts_less_on_a_unit_that_is_not_a_sentence():
    """The reader learned from SQuAD's sentences: on a slide's bullet or a table row (no closing punctuation)
    its "no" is bounded at UNCLOSED_READER_FLOOR; on a sentence it counts in full."""
    assert reading_logit(-4.8, "Support tickets up 35% after launch") == UNCLOSED_READER_FLOOR
    assert reading_logit(-4.8, "Category: Gym; January: 29; Notes: Cancelled from April") == UNCLOSED_READER_FLOOR
    assert reading_logit(-1.0, "Support tickets up 35% after launch") == -1.0  # a milder "no" as it is
    for closed in ("Support tickets rose 35% after launch.", "Did tickets rise?", "Tickets rose (35%)", "Notes:"):
        assert reading_logit(-4.8, closed) == -4.8
    cal = load_calibration()

    c = candidates([0.8, 0.3], [0.8, 0.3], [0.7, 0.0])

    def confidence(text: str) -> float:
        sentences = [Sentence("slides.pptx", 0, len(text), text), Sentence("slides.pptx", 40, 50, "Q3 plan.")]
        texts = [s.text for s in sentences]
        return answer("What happened to support tickets?", c, texts, sentences.__getitem__, cal, 0.5, reader=_Reader()).confidence

    bullet, sentence = confidence("Support tickets up 35% after launch"), confidence("Support tickets up 35% after launch.")
    assert bullet > sentence
    top, second = score(c, cal)
    assert bullet == pytest.approx(cal.confidence(float(top), float(second), UNCLOSED_READER_FLOOR))


def test_answer_applies_the_threshold_it_is_given():
    cal = Calibration(passage_weight=0.2, lexical_weight=0.65)
    confidence = _answer(0.0, cal).confidence
    at = _answer(confidence, cal)
    assert at.answered and at.verdict is Verdict.ANSWERED and at.threshold == confidence
    above = _answer(confidence + 1e-6, cal)
    assert not above.answered and above.verdict is not Verdict.ANSWERED


def test_a_settings_threshold_overrides_the_calibration(corpus, tmp_path, fake_embedder, fake_calibration):
    from qa.config import load_settings
    from qa.service import Service

    default = Service(load_settings(corpus=str(corpus), index_dir=str(tmp_path)), fake_embedder, fake_calibration)
    assert default.threshold == fake_calibration.threshold
    strict = Service(
        load_settings(corpus=str(corpus), index_dir=str(tmp_path), threshold=0.99), fake_embedder, fake_calibration
    )
    assert strict.threshold == 0.99
    result = strict.ask("What is the capital of Germany?")
    assert result.threshold == 0.99 and result.answered == (result.confidence >= 0.99)


def test_the_renderer_words_each_verdict(capsys):
    from rich.console import Console

    from qa.interfaces.render import print_answer

    top = ScoredSentence(Sentence("a.txt", 0, 9, "Two dogs.", line=1), 0.9, 0)

    def shown(confidence: float, threshold: float = 0.56) -> str:
        out = io.StringIO()
        v = verdict(confidence, threshold)
        result = Answer("q?", v is Verdict.ANSWERED, confidence, [top], verdict=v, threshold=threshold)
        print_answer(result, 3, console=Console(file=out, width=200, no_color=True))
        return out.getvalue()

    assert shown(0.5).startswith("Not sure the documents answer this (confidence 0.50; it answers from 0.56).")
    assert shown(0.49).startswith("The documents do not seem to answer this (confidence 0.49;")
    assert shown(0.60).startswith("Two dogs.\n  source: a.txt:0-9 (line 1)  score 0.90  confidence 0.60")


# ---- lexical coverage and the focus weight --------------------------------------------------------------
def test_the_focus_term_weighs_half_its_idf():
    assert FOCUS_WEIGHT == 0.5
    index = LexicalIndex.from_texts(["The gift came after Kim signed.", "Kim gave dogs.", "Rain fell.", "Snow."])
    idf = {t: index.idf(t) for t in ("gift", "kim", "give")}
    (cover,) = index.coverage("What gift did Kim give?", [0])
    assert cover == pytest.approx((0.5 * idf["gift"] + idf["kim"]) / (0.5 * idf["gift"] + idf["kim"] + idf["give"]))


def test_bm25_idf_is_lucenes():
    index = LexicalIndex.from_texts(["Kim gave dogs.", "Kim rode a horse.", "Putin smiled."])
    assert index.df("kim") == 2 and index.df("zebra") == 0
    assert index.idf("kim") == pytest.approx(np.log(1 + (3 - 2 + 0.5) / (2 + 0.5)))


# ---- candidates: passage expansion ----------------------------------------------------------------------
class StubSnapshot:
    """Four sentences, two passages (0-2 and 2-3); the dense searches return what they are told."""

    n_sentences, n_passages = 4, 2

    def __init__(self, sentence_hits, passage_hits) -> None:
        self.sentence_hits, self.passage_hits = sentence_hits, passage_hits
        self.vectors = np.eye(4, dtype=np.float32)

    def search_sentences(self, vector, k):
        return np.array(self.sentence_hits[:k], dtype=np.int64), np.ones(len(self.sentence_hits[:k]), np.float32)

    def search_passages(self, vector, k):
        return np.array(self.passage_hits[:k], dtype=np.int64), np.ones(len(self.passage_hits[:k]), np.float32)

    def passage_sentences(self, ids):
        return [[(0, 2), (2, 3)][p] for p in ids]

    def texts(self, ids):
        return [["Cats sleep.", "Dogs bark.", "Birds sing.", "Fish swim."][i] if 0 <= i < 4 else "" for i in ids]

    def same_paragraph(self, a, b):
        return True

    def passages_holding(self, ids):
        return [[p for p, (a, b) in enumerate([(0, 2), (2, 3)]) if a <= s <= b] for s in ids]

    def sentence_vectors(self, ids):
        return self.vectors[ids]

    def passage_vectors(self, ids):
        return np.array([self.vectors[0:3].sum(0) / 3, self.vectors[2:4].sum(0) / 2], dtype=np.float32)[ids]


def test_a_passage_brings_every_one_of_its_sentences():
    lexical = LexicalIndex.from_texts(["a", "b", "c", "d"])
    retriever = HybridRetriever(StubSnapshot([3], [0]), lexical)  # type: ignore[arg-type]
    found = retriever.candidates(np.eye(4, dtype=np.float32)[1], "", k=1)
    assert found.ids.tolist() == [0, 1, 2, 3]  # 0, 1, 2 through passage 0 (its last one too); 3 by itself
    # a sentence's passage similarity is the best of the passages holding it: sentence 2 is in both
    assert found.passage_sim.tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 0.0])


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("He called it packet switching, a more accessible name.", True),
        ("Its purpose was to extend networking benefits.", True),
        ("With 301 attendees it was the largest Debconf to date.", True),
        ("There is a simple reason for this: they are neither easy nor glamorous.", True),
        ("This number was found to produce significantly shorter files.", True),
        ("Such a release is called stable.", True),
        ("Donald Davies developed the same message routing methodology in 1965.", False),
        ("The stator consists of a similar, but fixed, series of blades that redirect the steam.", False),
        ("Note that only one argument can be set to nargs=-1.", False),  # "that" counts only as the first word
    ],
)
def test_a_sentence_points_back_with_an_early_pronoun_or_demonstrative(text, back):
    assert points_back(text) is back


def test_a_sentence_pointing_back_is_a_candidate_beside_the_one_it_continues(corpus, tmp_path, fake_embedder):
    (corpus / "d.txt").write_text(
        "Donald Davies developed message routing at the laboratory in 1965. He called it packet switching. "
        "Cats sleep most of the day.\n\nIt rains in April."
    )
    _, _, snap = build(corpus, tmp_path / "idx", fake_embedder)
    texts = snap.texts(list(range(snap.n_sentences)))
    davies, called, cats, rains = (
        texts.index(t)
        for t in (
            "Donald Davies developed message routing at the laboratory in 1965.",
            "He called it packet switching.",
            "Cats sleep most of the day.",
            "It rains in April.",
        )
    )
    from qa.retrieve.hybrid import continuations

    # the sentence after Davies points back at him; "It rains" points back too, but opens another paragraph
    assert continuations(snap, {davies}) == {called: davies}
    assert continuations(snap, {called}) == {called: davies}  # found alone, it brings the sentence it continues
    assert continuations(snap, {cats, rains}) == {}
    # the index's last sentence has no sentence after it: an id past the end is no text, not an error
    assert snap.texts([snap.n_sentences]) == [""]
    assert set(continuations(snap, {snap.n_sentences - 1})) <= {snap.n_sentences - 1}


def test_a_continuation_scores_at_least_what_it_continues_less_the_step():
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0, type_weight=0.3)
    plain = candidates([0.8, 0.2, 0.5])
    linked = replace(plain, continues=np.array([-1, 0, -1], dtype=np.int64))  # 1 continues 0
    assert score(plain, cal).tolist() == pytest.approx([0.8, 0.2, 0.5])
    assert score(linked, cal).tolist() == pytest.approx([0.8, 0.8 - CONTINUATION, 0.5])
    # the type check then chooses between them: "How many attended?" and only the continuation holds a count
    sentences = [
        Sentence("a.txt", 0, 40, "The fifteenth DebConf was held in Portland."),
        Sentence("a.txt", 41, 80, "With 301 attendees it was the largest."),
        Sentence("b.txt", 0, 30, "Portland has many bridges."),
    ]
    texts = [s.text for s in sentences]
    alone = answer("How many people attended?", plain, texts, sentences.__getitem__, cal, 0.5)
    together = answer("How many people attended?", linked, texts, sentences.__getitem__, cal, 0.5)
    assert alone.sentences[0].sentence.text.startswith("The fifteenth")  # no count, but nothing scores higher
    assert together.sentences[0].sentence.text.startswith("With 301")
    # the sentence it continues is no rival for the margin: the next best is b.txt's
    assert together.confidence == pytest.approx(cal.confidence(0.8 - CONTINUATION, 0.5 - 0.3))


def test_leaving_candidates_out_keeps_what_each_continues():
    c = replace(candidates([0.1, 0.2, 0.3, 0.4]), continues=np.array([-1, 0, -1, 2], dtype=np.int64))
    assert c.kept(c.ids != 0).continues.tolist() == [-1, -1, 1]  # 1 lost its sentence; 3 continues 2, now at 1
    assert c.kept(c.ids != 1).continues.tolist() == [-1, -1, 1]


def test_passages_holding_are_exact(corpus, tmp_path, fake_embedder):
    (corpus / "d.txt").write_text("Cats sleep most of the day. Dogs bark at the mailman. He delivers letters on Monday.")
    _, _, snap = build(corpus, tmp_path / "idx", fake_embedder, passage_tokens=16, overlap=1)
    spans = snap.passage_sentences(list(range(snap.n_passages)))
    holding = snap.passages_holding(list(range(snap.n_sentences)))
    for s, row in enumerate(holding):
        assert row == [p for p, (a, b) in enumerate(spans) if a <= s <= b]
    assert any(len(row) == 2 for row in holding)  # the overlap: a sentence in two passages


# ---- the index's own consistency checks -----------------------------------------------------------------
def _forge(live, name: str, data_or_index) -> None:
    import faiss

    if isinstance(data_or_index, bytes):
        (live / name).write_bytes(data_or_index)
    else:
        faiss.write_index(data_or_index, str(live / name))
    manifest = json.loads((live / "manifest.json").read_text())
    manifest["checksums"][name] = checksum(live / name)
    (live / "manifest.json").write_text(json.dumps(manifest))


def test_vector_counts_must_match_the_tables(corpus, tmp_path, fake_embedder):
    store, _, snap = build(corpus, tmp_path / "idx", fake_embedder)
    vectors = snap.passage_vectors(list(range(snap.n_passages)))
    _forge(store.current(), "passages.faiss", flat_index(vectors[:-1], vectors.shape[1]))  # checksums updated
    with pytest.raises(CorruptIndex, match="inconsistent"):
        store.open()


def test_a_passage_pointing_past_the_sentences_is_refused(corpus, tmp_path, fake_embedder):
    store, _, snap = build(corpus, tmp_path / "idx", fake_embedder)
    table = np.array(snap._passages)
    table["last"][-1] = snap.n_sentences + 5
    buffer = io.BytesIO()
    np.save(buffer, table)
    _forge(store.current(), "passages.npy", buffer.getvalue())
    with pytest.raises(CorruptIndex, match="points past"):
        store.open()


# ---- the follow-up rule ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("Why?", True),
        ("Where was Kim?", True),  # three words: too short to stand alone
        ("Who founded Debian?", False),  # three words, but a name and what is asked of it
        ("Which breed?", True),
        ("Founded when?", True),
        ("Where was Kim born?", False),  # four words, no reference back
        ("What did they eat in Pyongyang?", True),  # "they"
        ("Which country did Putin visit last month?", False),
        ("And on a desktop if I am new?", True),  # continues the last question
        ("What about the default line length?", True),
        ("Andrew Jackson led which army in 1815?", False),  # "And" only as a word of its own
        ("", False),
    ],
)
def test_needs_context_boundaries(question, follow_up):
    assert needs_context(question) is follow_up


def test_a_follow_up_is_searched_with_the_last_standalone_question():
    c = Conversation()
    c.add("Which country did Putin visit last month?")
    assert c.query_for("Where was Kim born?") == "Where was Kim born?"  # standalone: searched alone
    assert c.query_for("Why?") == "Which country did Putin visit last month? Why?"
    c.add("Why?")  # a follow-up does not become the topic
    assert c.topic == "Which country did Putin visit last month?"


def test_the_ranker_reads_a_follow_up_without_its_topic_question():
    c = Conversation()
    c.add("Who founded Debian?", "Ian Murdock", 7)
    assert c.query_for("How is its name pronounced?") == "Who founded Debian? How is its name pronounced?"
    assert c.focus_for("How is its name pronounced?") == "How is its name pronounced?"  # ranked by its own words
    assert c.focus_for("Where was he working?") == "Ian Murdock Where was he working?"  # and what it points at
    c.add("Which breed did Kim give?", "Pungsan dogs", 3)
    assert c.focus_for("Where is that breed native to?") == "Pungsan dogs Where is that breed native to?"
    assert c.focus_for("Which country did Putin visit?") == "Which country did Putin visit?"  # standalone

    sentences = [Sentence("a.txt", 0, 9, "Said deb ee n."), Sentence("a.txt", 10, 19, "Ian founded it.")]
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0, rank_weight=0.1, rerank_depth=2, rerank_margin=0.5)
    ranker = _Asked()
    c = Conversation()
    c.add("Who founded Debian?", "Ian Murdock", 1)
    turn = c.turn("How is its name pronounced?")
    assert (turn.query, turn.focus, turn.follow_up) == (
        "Who founded Debian? How is its name pronounced?", "How is its name pronounced?", True
    )
    answer("How is its name pronounced?", candidates([0.5, 0.45]), [x.text for x in sentences],
           sentences.__getitem__, cal, 0.5, ranker=lambda: ranker, turn=turn)  # fmt: skip
    assert ranker.questions == ["How is its name pronounced?"]
    assert Conversation().turn("Who founded Debian?") == Turn()  # a question alone adds nothing


def test_a_follow_up_naming_what_the_documents_never_mention_is_read_and_trusted_as_a_question_alone():
    """"Can it retry over HTTP/3?" after "How many times does wget retry by default?": read with its topic
    question, the reader found the retry sentence an answer (0.84, answered). A follow-up with an unseen word
    is read as its focus, and its confidence takes no follow-up shift; one without is read with its topic."""

    sentences = [Sentence("wget.info", 0, 9, "Retries enabled by this option are performed."), Sentence("a", 9, 20, "No.")]
    texts = [s.text for s in sentences]
    cal = Calibration(passage_weight=0.0, lexical_weight=0.0, r_bias=1.0, r_top=1.0, r_reader=1.0, w_follow_up=0.5)
    c = Conversation()
    c.add("How many times does wget retry by default?", "20 times", 0)
    seen = candidates([0.8, 0.4])
    results = {}
    for question, found in (("Can it retry over HTTP/3?", replace(seen, unseen=("HTTP/3",))), ("Can it retry?", seen)):
        reader, turn = _Asked(), c.turn(question)
        got = answer(question, found, texts, sentences.__getitem__, cal, 0.5, reader=reader, turn=turn)
        results[question] = (reader.questions, got.confidence, turn)
    (read, sure, turn), (read_plain, sure_plain, plain) = results.values()
    assert read == [turn.focus] and read_plain == [plain.query] and turn.focus != turn.query
    assert sure == pytest.approx(cal.confidence(0.8, 0.4, 0.0, unseen=True))  # no follow-up shift
    assert sure_plain == pytest.approx(cal.confidence(0.8, 0.4, 0.0, follow_up=True))


def test_a_follow_up_to_a_topic_nothing_was_found_for_takes_no_follow_up_shift():
    """"How much does it cost?" after "When is the car insurance due?" was abstained on (a folder without car
    insurance): the conversation holds nothing that says what "it" is, so the follow-up is trusted no more
    than a question alone ("Cost £640.", a car's repair, was answered at 0.77)."""
    from qa.answer.extract import takes_follow_up_shift

    c = Conversation()
    c.add("When is the car insurance due for renewal?")  # abstained: no answer, no sentence
    lost = c.turn("How much does it cost?")
    assert lost.follow_up and lost.near is None and not takes_follow_up_shift(lost, ())
    c.add("When is the home insurance due for renewal?", "1 November", 4)
    found = c.turn("How much does it cost?")
    assert found.near == 4 and takes_follow_up_shift(found, ()) and not takes_follow_up_shift(found, ("HTTP/3",))
    assert not takes_follow_up_shift(Turn(), ())  # a question alone

def test_a_follow_up_s_it_is_ranked_as_the_topic_it_stands_for():
    c = Conversation()
    c.add("Does httpx support zstd?")  # abstained on: nothing answered to point at
    # alone, "How do I make it follow redirects?" matched any sentence about redirects
    assert c.focus_for("How do I make it follow redirects?") == "How do I make httpx support zstd follow redirects?"
    assert c.focus_for("How do I turn that off?") == "How do I turn httpx support zstd off?"  # "that" standing alone
    assert c.focus_for("Does it support HTTP/2?") == "Does httpx zstd support HTTP/2?"  # the topic's words it lacks
    # a possessive refers to what the question names itself; "that" before a noun is no pronoun
    assert c.focus_for("How do I remove a package but keep its settings?") == (
        "How do I remove a package but keep its settings?"
    )
    assert c.focus_for("Is there a flag that disables redirects?") == "Is there a flag that disables redirects?"
    assert c.focus_for("Is it faster than it was?") == "Is httpx support zstd faster than it was?"  # the first "it"
    c.add("Who led the Debian project after Ian Murdock?", "Bruce Perens", 4)
    assert c.focus_for("Where was he working then?") == "Bruce Perens Where was he working then?"  # the person


# ---- the calibration file -------------------------------------------------------------------------------
def test_a_missing_or_incomplete_calibration_is_an_error(tmp_path):
    with pytest.raises(ModelError, match="missing"):
        load_calibration(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_calibration(tmp_path / "bad.json")
    shipped = json.loads(CALIBRATION_FILE.read_text())
    del shipped["w_top"]
    (tmp_path / "part.json").write_text(json.dumps(shipped))
    with pytest.raises(ModelError, match="lacks w_top"):
        load_calibration(tmp_path / "part.json")


def test_a_calibration_for_another_model_is_refused(corpus, tmp_path, fake_embedder):
    from qa.config import load_settings
    from qa.service import Service

    with pytest.raises(ModelError, match="fitted for model"):
        Service(load_settings(corpus=str(corpus), index_dir=str(tmp_path)), fake_embedder, load_calibration())
    fitted = replace(load_calibration(), model="fake-bow@1")
    assert Service(load_settings(corpus=str(corpus), index_dir=str(tmp_path)), fake_embedder, fitted).threshold > 0
