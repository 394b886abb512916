"""Tier 1: answer-type rules, lexical terms and follow-up detection on hand-written strings."""

import numpy as np
import pytest
from conftest import SEEDS

from qa.answer.kinds import expected_type, has_type, named_step, names_used
from qa.conversation import Conversation, needs_context, reply_to
from qa.retrieve.lexical import LexicalIndex, acronyms, focus_term, terms
from qa.types import Turn


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many horses were on the train?", "number"),
        ("How old are the dogs?", "number"),
        ("How long did the visit last?", "duration"),
        ("How much did the car cost?", "money"),
        ("When was the pact signed?", "date"),
        ("And when did they meet?", "date"),
        ("The pact was signed when?", "date"),
        ("What does Click print when an Abort is raised?", None),  # "when" opens a clause
        ("Who led Debian when Woody was released?", "name"),
        ("In what year did he ride?", "date"),
        ("Who received the dogs?", "name"),
        ("Where is the guesthouse?", "place"),
        ("What gift did Kim give?", None),
        ("Which flag turns off Black's safety check?", "code"),
        ("Which environment variable moves the cache?", "code"),
        ("Which environment variable changes where Black keeps its cache?", "code"),  # "where" opens a clause
        ("Which city is the guesthouse in, and where?", "place"),
        ("How do I make Valgrind show where a leak was allocated?", None),  # a clause of a "how" question
        ("And where was he working?", "place"),
        ("Can you tell me where the config file is?", "place"),  # no other question word opens it
        ("Which HTTP header sets the line length?", "code"),
        ("Which Black option formats only some lines?", "code"),
        ("What is a document class?", None),  # a definition, not "which class"
    ],
)
def test_expected_type(question, kind):
    assert expected_type(question) == kind


def test_has_type():
    # "how old" asks for an age, not any number: a release's number is none
    assert not has_type("number", "The Debian 9 release was dedicated in his memory.", "How old was he?")
    for aged in ("the 13-year-old Toghun Temur", "members must be over the age of 18", "two months old", "aged thirty"):
        assert has_type("number", aged, "How old was he?"), aged
    assert has_type("number", "A train carried 30 horses.")
    assert has_type("number", "He bought two dogs.")
    assert not has_type("number", "Pungsans are hunting dogs.")
    assert has_type("date", "They met on Wednesday.")
    assert has_type("date", "It happened in 2019.")
    # a date written in figures counts nothing: "New description 2019/07/10" (a margin note) does not answer
    # "How many attributes does a font have?"
    for dated_only in ("New description 2019/07/10", "Released 2023-08-17", "Paid on 17.06.1996."):
        assert not has_type("number", dated_only, "How many attributes does a font have?"), dated_only
    assert has_type("number", "Version 1.2.3 of 2024-05-02.", "How many parts has it?")
    # "may" dates a sentence only where it is the month: a licence's "You may distribute" is none
    for dated in ("It shipped in May.", "Released on 2 May.", "May 2013 brought the installer."):
        assert has_type("date", dated), dated
    for undated in ("You may distribute the software under the same licence.", "YOU MAY NOT USE IT.", "May I ask?"):
        assert not has_type("date", undated), undated
    assert has_type("duration", "The visit lasted three days.")
    assert not has_type("duration", "Putin visited China.")
    assert has_type("money", "It cost $4 million.")
    assert not has_type("money", "They drove a limousine.")
    assert has_type("name", "The dogs went to Moon Jae-in.", "Who got the dogs?")
    assert not has_type("name", "the dogs went home.", "Who got the dogs?")
    # the question's own names and a month or weekday name no one
    asked = "Who led Debian after Ian Murdock?"
    assert not has_type("name", "Ian Murdock founded Debian in August 1993 and led it until March.", asked)
    assert has_type("name", "Bruce Perens led Debian from April 1996.", asked)
    # a sentence's first word is capitalised whatever it is: a name there only where it is written as one
    # elsewhere ("Josie Park" in the minutes' list of those present)
    minutes = ["Present: Lena Vogt (chair), Josie Park. Apologies: The Gardener.", "Josie: order the tools by 20 April."]
    names = names_used(minutes)
    assert {"Lena", "Vogt", "Josie", "Park", "Gardener"} <= names and "The" not in names and "Present" not in names
    assert not has_type("name", minutes[1], "Who orders the tools?")
    assert has_type("name", minutes[1], "Who orders the tools?", names)
    assert not has_type("name", "Josie: order the tools.", "What did Josie order?", names)  # the question's own
    assert not has_type("name", "Order the tools by 20 April.", "Who orders the tools?", names)
    # "where" in documentation: a web or e-mail address or a file's path is a place too, a name still is
    where = "Where should I send questions?"
    assert expected_type(where) == "place"
    for place in (
        "Use the mailing list for questions: http://mailing-list.libusb.info",
        "Send them to debian-user@lists.debian.org.",
        "They are kept in /var/cache/apt/archives.",
        "Edit ~/.ssh/config for that.",
        "Send them to Ann Lee.",
    ):
        assert has_type("place", place, where), place
    for nowhere in ("Use the mailing list for that.", "Ask him and/or her at 50 km/h.", "Split it (/) in two."):
        assert not has_type("place", nowhere, where), nowhere
    assert not has_type("place", "See /etc/hosts.", "Where is /etc/hosts?")  # the question's own
    assert has_type(None, "anything")
    for written_as_code in (
        "The --fast flag turns it off.",
        "Set BLACK_CACHE_DIR to move it.",
        "Pass required=True to the decorator.",
        "Use the CliRunner for that.",
        "It is in click.testing now.",
        "Call getchar() to read it.",
        "Install httpx[http2] first.",
        "X-Line-Length: the line length.",
        "Send the Content-Type header with it.",
        "Use \\sbox instead.",
    ):
        assert has_type("code", written_as_code, "Which option is it?"), written_as_code
    assert not has_type("code", "A well-known tool, e.g. this one - or Moon Jae-in's.", "Which option is it?")
    # a double-barrelled name among other names (a paper's byline) has a header's shape, but is no code
    byline = "Marie Laure Delignette-Muller Université de Lyon Christophe Dutang Université de Strasbourg"
    assert not has_type("code", byline, "Which function fits mixtures?")
    assert not has_type("code", "The --fast flag is fast.", "What does the --fast flag do?")  # the question's own


def test_terms_stem_lemmatise_and_drop_stopwords():
    assert terms("What gift did Kim give?") == ["gift", "kim", "give"]
    assert terms("Kim gave the dogs") == ["kim", "give", "dog"]
    assert terms("North Korea's horses") == ["north", "korea", "hors"]


def test_a_verb_in_ify_and_its_noun_in_ification_are_one_term():
    """Snowball stems "modify" to "modifi" and "modification" to "modif": "Can it modify the context?" did not
    match "... not to perform any modifications on it"."""
    assert terms("modify modified modifications") == ["modif"] * 3
    assert terms("Verify the verification.") == ["verif", "verif"]
    assert terms("notify, notification") == ["notif", "notif"]


def test_a_shell_special_variable_is_a_term_a_price_is_not():
    assert terms("What does $? expand to?") == ["$?", "expand"]
    assert terms("$# and $@ ($$), $_.") == ["$#", "$@", "$$", "$_"]
    assert terms("It cost $5 and $HOME is set, $_x too.") == ["cost", "5", "home", "set", "x"]
    stats = LexicalIndex.from_texts(
        [
            "# ($#) Expands to the number of positional parameters in decimal.",
            "? ($?) Expands to the exit status of the most recently executed foreground pipeline.",
            "Parameter expansion expands to the value of the parameter.",
        ]
    )
    assert stats.search("What does $? expand to?", 3)[0].tolist()[0] == 1


def test_a_one_letter_option_is_a_term_as_written():
    """ssh's -N and -n are different options, and an "n" anywhere is neither: "What does ssh -N do?" was
    answered with "... a value of the form “hostname:n” ...", which held every term the question had."""
    assert terms("What does ssh -N do?") == ["ssh", "n", "-N"]
    assert terms("pre-N, x-1, a - b, --follow") == ["pre", "n", "x", "1", "b", "follow"]
    texts = [
        "It is set to a value of the form hostname:n.",
        "-N: Do not execute a remote command.",
        "This implies -n.",
    ]
    stats = LexicalIndex.from_texts(texts)
    assert stats.coverage("What does ssh -N do?", [0, 1, 2])[1] > max(stats.coverage("What does ssh -N do?", [0, 1, 2])[::2])


def test_a_version_with_two_points_is_a_term_of_its_own():
    """"0.27.1" is "0", "27" and "1" as well, which every other version holds; "1.1" and "2.5" are not: as a
    term of their own they drew questions away from the sentences after the one naming them."""
    assert terms("What changed in 0.27.1?") == ["chang", "0", "27", "1", "0.27.1"]
    assert terms("v24.1.0, Debian 1.1, 2.5x and 1.0.0rc1.") == ["v24", "1", "0", "debian", "1", "1", "2", "5x", "1", "0", "0rc1", "24.1.0"]
    # a changelog's entries count the release heading above them (the index reads each after its heading path)
    stats = LexicalIndex.from_texts(
        [
            "0.27.2 (27th August, 2024) › Fixed: Reintroduced the URLTypes shortcut.",
            "0.27.1 (27th August, 2024) › Fixed: Improved error messaging for InvalidURL exceptions.",
            "0.27.0 (21st February, 2024) › Fixed: Fix digest authentication.",
            "0.21.0 (21st November, 2021) › Fixed: Fix the transport.",
        ]
    )
    cover = stats.coverage("What was fixed in 0.27.1?", [0, 1, 2, 3])
    assert cover[1] > max(cover[0], cover[2], cover[3])


def test_coverage_is_idf_weighted_share():
    stats = LexicalIndex.from_texts(["Kim gave dogs.", "Kim rode a horse.", "Putin smiled."])
    cover = stats.coverage("Which dogs did Kim give?", [0, 1, 2])
    assert cover[0] == pytest.approx(1.0)
    assert 0.0 < cover[1] < cover[0]
    assert cover[2] == 0.0


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("What gift did Kim give?", "gift"),
        ("Which dogs did Kim give?", "dog"),
        ("What kind of dogs are they?", "dog"),
        ("What areas of cooperation did the pact include?", "area"),
        ("Which term as president did Putin begin?", "term"),
        ("What mythical creature is the effort named after?", "creatur"),
        ("What did Putin do to the horse?", None),  # no noun after the wh-word
        ("What is the capital?", None),
        ("Which news agency reported it?", None),  # no auxiliary: where the noun phrase ends is unknown
        ("Who gave Putin dogs?", None),
    ],
)
def test_focus_term_is_the_noun_the_question_asks_for(question, focus):
    assert focus_term(question) == focus


def test_the_focus_term_counts_less_than_the_other_terms():
    stats = LexicalIndex.from_texts(["Kim gave Putin two dogs.", "The gift came after Kim signed a pact.", "Rain fell."])
    cover = stats.coverage("What gift did Kim give?", [0, 1])
    assert cover[0] > cover[1]  # the sentence naming what Kim gave beats the one repeating "gift"
    plain = stats.coverage("What did Kim give as a gift?", [0, 1])
    assert plain[0] == pytest.approx(plain[1])  # no focus: "gift" and "give" weigh their IDF alike


def test_bm25_search_ranks_rare_terms_and_skips_unrelated():
    stats = LexicalIndex.from_texts(
        ["Kim gave Putin two Pungsan dogs.", "Kim rode a horse.", "Putin smiled at Kim.", "Rain fell.", ""]
    )
    assert stats.search("Which Pungsan dogs did Kim give?", 10)[0].tolist()[0] == 0
    assert set(stats.search("Kim", 10)[0].tolist()) == {0, 1, 2}  # never a sentence without the term
    assert len(stats.search("Kim", 2)[0].tolist()) == 2
    assert stats.search("What about zebras?", 5)[0].tolist() == []
    assert LexicalIndex.from_texts([]).search("Kim", 5)[0].tolist() == []


def test_bm25_matches_the_bm25s_library_on_the_seed_article():
    import bm25s

    from qa.ingest.chunking import split_sentences
    from qa.retrieve.lexical import BM25_B, BM25_K1

    text = next(SEEDS.glob("*.txt")).read_text()
    sentences = [text[a:b] for a, b in split_sentences(text)]
    stats = LexicalIndex.from_texts(sentences)
    library = bm25s.BM25(k1=BM25_K1, b=BM25_B, method="lucene")
    library.index([terms(s) or [""] for s in sentences], show_progress=False)
    for question in ["What gift did Kim give?", "Which news agency reported it?", "Putin horse stallion ride", "zebra"]:
        known = [t for t in dict.fromkeys(terms(question)) if t in library.vocab_dict]
        expected = library.get_scores(known) if known else np.zeros(len(sentences))
        np.testing.assert_allclose(stats.bm25(question), expected, rtol=1e-4, atol=1e-6)
        best = stats.search(question, 3)[0].tolist()
        assert best == [int(i) for i in np.argsort(-expected, kind="stable")[: len(best)]]
        assert len(best) == min(3, int((expected > 0).sum()))


def test_follow_up_detection_and_topic_chain():
    assert needs_context("What kind of dogs are they?")
    assert needs_context("Why?")
    assert not needs_context("Which country did Putin visit last month?")
    c = Conversation()
    assert c.query_for("When did he go?") == "When did he go?"  # nothing to lean on yet
    c.add("Which country did Putin visit?")
    assert c.query_for("When did he go?") == "Which country did Putin visit? When did he go?"
    c.add("When did he go?")
    assert c.query_for("Why did he go there?").startswith("Which country did Putin visit?")
    c.add("What did Kim feed the horse?")  # a new standalone question changes the topic
    assert c.query_for("Who patted it?") == "What did Kim feed the horse? Who patted it?"
    c.reset()
    assert c.query_for("Who patted it?") == "Who patted it?"


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        ("Is there a mobile app?", False),  # "there" that says something exists
        ("Who stands in for the leader when there is none?", False),
        ("How many were there?", True),  # ... or that points back
        ("What happened there?", True),
        ("How do I test a view that needs a logged-in user?", False),  # "that" opening a clause
        ("Where does Debian put packages that are not free?", False),
        ("Which character declares that an argument is a series of keyvals?", False),
        ("Who chose that number?", True),  # "that" pointing back
        ("Why isn't that the default?", True),
        ("Can I change that class?", True),  # a singular noun ending in s is no verb
        ("How do I turn that off?", True),
        ("Which function reads one character from the terminal?", False),  # "one" that counts
        ("How do I generate a good one?", True),  # "one" that stands for a thing
        ("Which methods can be overridden to build one?", True),
        ("Do I need the first one?", True),
        ("How do I add options, such as the table type?", False),  # "such as" gives an example
        ("May my package have the same name as a file of the standard distribution?", False),
        ("Is it the same on Windows?", True),
        ("Can Click read its options from a YAML file?", False),  # a possessive after a name the question gives
        ("How do I keep its configuration?", True),
        ("How do I make it keep its configuration?", True),  # "I" names no one
        ("What did Kim give her?", True),  # "her" may be whom a thing is given to
        ("What is sed?", False),  # short, but asks what a thing it names is
        ("Who is Kim?", False),
        ("What are Pungsans?", False),
        ("What's the price?", True),  # ... of something said before
        ("What is it?", True),
        ("Who was she?", True),
    ],
)
def test_referring_words_point_back_only_as_references(question, leans):
    assert needs_context(question) is leans


def test_a_follow_up_asking_what_it_is_or_does_is_asked_of_the_topic_s_subject():
    """"What does it do?" after "How do I turn on debug mode?" asks what debug mode does: the topic's last run of
    words that are not stop words, without the verb a how-to question opens with. The definition rules read it
    so (`Turn.about`); any other turn, or a question that stands alone, leaves it empty."""
    c = Conversation()
    c.add("How do I turn on debug mode?")
    assert c.about("What does it do?") == "What does debug mode do?"
    assert c.about("What is it for?") == "What is debug mode for?"
    assert c.turn("What does it do?").about == "What does debug mode do?"
    assert c.about("Why?") == "" and c.turn("Why?").about == ""
    c.add("What is Flask?")  # a new topic
    assert c.about("What is it?") == "What is Flask?"
    assert Conversation().about("What does it do?") == ""  # nothing to lean on
    c.add("Which class is used to test Click commands?", "CliRunner", 3, "The basic functionality is the CliRunner.")
    assert c.about("What does it do?") == "What does CliRunner do?"  # the code answered


def test_a_follow_up_asking_to_go_on_has_no_words_of_its_own():
    c = Conversation()
    c.add("Who can propose a general resolution?", "", sentence=40, said="Propose General Resolutions.")
    # "tell" says nothing of the documents: matched by it, "... tells the user ..." answered "Tell me more"
    for question in ("Tell me more", "Please tell me more.", "Keep going", "Continue"):
        turn = c.turn(question)
        assert turn.following == 41
        assert turn.focus == f"Who can propose a general resolution? {question}"
        assert turn.words == "Who can propose a general resolution?"  # matched by its topic's words alone
        assert question.split()[0] not in turn.names.split()  # "Tell", "Keep": no name the answer must hold
    assert c.turn("Tell me more about the sponsors").words == ""  # words of its own: matched with them


def test_who_else_asks_past_what_was_shown_and_has_no_words_of_its_own():
    c = Conversation()
    c.add("Who received Pungsan dogs?", "", None, "", shown=5)  # not sure: shown, not given
    assert c.excluded("Who else?") == {5}
    who_else = c.turn("Who else?")  # "else" says nothing of the documents: matched by the topic
    assert who_else.words == who_else.focus == "Who received Pungsan dogs? Who else?"
    assert c.turn("Who else got dogs from Kim?").words == ""  # words of its own
    c.add("Who founded Debian?", "Ian Murdock", 7, "Ian Murdock founded Debian.", shown=7)  # a new topic
    assert c.excluded("Who else?") == {7}


def test_a_follow_up_pointing_at_the_answer_is_searched_with_it():
    c = Conversation()
    c.add("What gift did Kim give?", "a pair of Pungsan dogs", sentence=7)
    # a pronoun points at the topic; a demonstrative with a noun at what was answered
    assert c.query_for("What kind of dogs are they?") == "What gift did Kim give? What kind of dogs are they?"
    assert c.query_for("Where is that breed native to?") == (
        "What gift did Kim give? a pair of Pungsan dogs Where is that breed native to?"
    )
    assert c.query_for("What is that?") == "What gift did Kim give? What is that?"  # no noun after "that"
    assert c.query_for("How do I turn that off?") == "What gift did Kim give? How do I turn that off?"
    assert c.query_for("Is this in Korea?") == "What gift did Kim give? Is this in Korea?"
    c.add("Where is that breed native to?", "")  # an abstention leaves nothing to point at
    assert c.query_for("Who bred those dogs?") == "What gift did Kim give? Who bred those dogs?"


def test_it_after_a_question_answered_with_a_thing_is_that_thing():
    """"it" after "Which class ...?" answered with CliRunner is CliRunner, for as long as the topic lasts; after
    a count or a date it stays the topic ("How many were there?" asks about the dogs, not about "two")."""
    c = Conversation()
    c.add("Which class is used to test Click commands?", "CliRunner", sentence=5)
    topic = "Which class is used to test Click commands?"
    assert c.query_for("How do I give it an empty working directory?") == (
        f"{topic} CliRunner How do I give it an empty working directory?"
    )
    c.add("How do I give it an empty working directory?", "", sentence=6)  # no span: the thing stays
    assert c.query_for("Can it measure coverage?") == f"{topic} CliRunner Can it measure coverage?"
    c.add("Where is the list of mailing lists?", "/usr/share/doc/debian/mailing-lists.txt", sentence=9)
    assert c.query_for("Who reads them?") == (
        "Where is the list of mailing lists? /usr/share/doc/debian/mailing-lists.txt Who reads them?"
    )
    c.add("How many dogs did Kim give?", "two", sentence=3)
    assert c.query_for("Where are they from?") == "How many dogs did Kim give? Where are they from?"
    c.reset()
    c.add("Which class is used to test Click commands?", "CliRunner", sentence=5)
    c.reset()
    assert c.thing == "" and c.query_for("Can it measure coverage?") == "Can it measure coverage?"


def test_how_to_change_a_default_just_answered_asks_for_the_option_that_does_it():
    """"How do I change that?" after "How many times does wget retry a download by default?" is answered by the
    option (`--tries=NUMBER`), not by another sentence about changing ("it is best not to change the default
    timeout settings"): the turn asks for code, as "Which flag ...?" does. Not after a question about no default,
    nor for a follow-up asking something else of it."""
    c = Conversation()
    c.add("How many times does wget retry a download by default?", "20 times", sentence=3, said="The default is to retry 20 times.")
    assert c.turn("How do I change that?").expects == "code"
    assert c.turn("Can I turn it off?").expects == "code"
    assert c.turn("Why that number?").expects is None
    c.add("Which quotes does Black prefer?", "double quotes", sentence=8, said="Black prefers double quotes.")
    assert c.turn("How do I turn that off?").expects == "code"
    c.add("How do I get unified output from diff?", "-u", sentence=12, said="Use the unified output format.")
    assert c.turn("How do I change it?").expects is None


def test_he_after_a_who_question_is_the_person_answered():
    c = Conversation()
    c.add("Who led Debian after Ian Murdock?", "Bruce Perens", sentence=5)
    assert c.query_for("Where was he working at the time?") == (
        "Who led Debian after Ian Murdock? Bruce Perens Where was he working at the time?"
    )
    c.add("Where was he working at the time?", "Pixar", sentence=6)  # not a "who": the person stays
    assert c.query_for("Who led it after him?") == "Who led Debian after Ian Murdock? Bruce Perens Who led it after him?"
    # no "he": not the person; "it" is the place answered last
    assert c.query_for("When did it start?") == "Who led Debian after Ian Murdock? Pixar When did it start?"
    # "after him" steps from the sentence that answered who he is, not from the last answer (Pixar's)
    assert (c.near("Who led it after him?"), c.following("Who led it after him?")) == (5, 6)
    assert c.excluded("Who led it after him?") == {5}
    assert (c.near("What happened next?"), c.following("What happened next?")) == (6, 7)  # no person: the last answer
    c.add("Where was Kim pictured riding a horse?", "Mount Paektu", sentence=9)  # a new topic, not a "who"
    assert c.query_for("When was he seen again?") == "Where was Kim pictured riding a horse? When was he seen again?"
    c.add("Who did Kim meet?")  # abstained: no person to point at
    assert c.query_for("Where did he go?") == "Who did Kim meet? Where did he go?"


def test_who_else_leaves_out_what_the_topic_was_answered_with():
    c = Conversation()
    c.add("Who did Kim give Pungsan dogs to?", "Vladimir Putin", sentence=3)
    assert c.excluded("Who else received them?") == {3}
    # naming its subject does not make it a new question: "else" asks past what was answered
    assert c.excluded("Who else got Pungsan dogs from Kim?") == {3}
    assert c.excluded("When did he receive them?") == set()  # not asking for more
    c.add("Who else received them?", "Moon Jae-in", sentence=12)
    assert c.excluded("Who else got one?") == {3, 12}
    c.add("What did Kim feed the horse?", "carrots", sentence=20)  # a new topic starts afresh
    assert c.excluded("What else did he feed it?") == {20}
    c.reset()
    assert (c.topic, c.answer, c.answered) == ("", "", set())
    assert c.excluded("Who else?") == set() and c.query_for("Who else?") == "Who else?"


def test_a_bare_why_is_not_answered_with_the_statement_it_asks_about():
    """"Why?" after "What is Black's default line length?" matches the topic best with the answer itself
    ("Black defaults to 88 characters per line"), which gives no reason: it is left out. An answer that
    already gives a reason ("..., because ...") stays, and so does everything for a "why" with words of its
    own ("Why that number?")."""
    c = Conversation()
    c.add("What is Black's default line length?", "88", sentence=7, said="Black defaults to 88 characters per line.")
    assert c.excluded("Why?") == {7}
    assert c.excluded("And why is that?") == {7}
    assert c.excluded("Why that number?") == set()
    assert c.excluded("When?") == set()
    # the text may go on to give the reason: the sentence after the answer is ranked up, as for "What next?"
    assert c.following("Why?") == 8 and c.following("And why is that?") == 8
    assert c.following("Why that number?") is None
    c.add("What gift did Kim give?", "Pungsan dogs", sentence=3, said="Kim gave Putin two dogs because they bonded.")
    assert c.excluded("Why?") == set() and c.following("Why?") is None
    c.add("Where did Kim and Putin meet?")  # a new topic, abstained on: nothing was said in it
    assert c.excluded("Why?") == set() and c.following("Why?") is None


def chatting(corpus, tmp_path, files: dict[str, str] | None = None):
    """A service over these files (name: text; the corpus fixture's when none) that answers whatever its
    confidence, with the bag-of-words embedder, and a new conversation."""
    from conftest import FakeEmbedder, service

    for name, text in (files or {}).items():
        (corpus / name).write_text(text)
    return service(corpus, tmp_path / "idx", FakeEmbedder(), settings={"threshold": 0.0}), Conversation()


def test_a_bare_why_is_answered_with_what_goes_on_from_the_answer(corpus, tmp_path):
    """The answer gives no reason and the sentence after it, which continues it ("This number ..."), does.
    It is scored before the answer is left out, so it keeps the score it inherits from it; left out first,
    it lost that, and the other sentence about the line length came first."""
    text = (
        "The default line length of Black is 88 characters. This number was found to produce shorter files.\n\n"
        "Black can change the line length.\n"
    )
    svc, c = chatting(corpus, tmp_path, {"d.txt": text})
    first = svc.ask("What is Black's default line length?", c)
    assert first.sentences[0].sentence.text == "The default line length of Black is 88 characters."
    why = svc.ask("Why?", c)
    assert why.sentences[0].sentence.text == "This number was found to produce shorter files."


def test_the_service_does_not_repeat_an_answer_to_who_else(corpus, tmp_path):
    svc, c = chatting(corpus, tmp_path, {"d.txt": "Anna gave a red kite to Ben. Later Anna gave a red kite to Carl as well.\n"})
    first = svc.ask("Who did Anna give a red kite to?", c)
    again = svc.ask("Who else got a red kite from her?", c)
    assert first.sentences and again.sentences
    assert again.sentences[0].index != first.sentences[0].index
    assert first.sentences[0].index not in {s.index for s in again.sentences}


def test_who_else_is_not_answered_with_a_copy_of_the_answer(corpus, tmp_path):
    """The folder holds the file twice: the copy of what was answered is no new answer to "who else"."""
    text = "Anna gave a red kite to Ben. Later Anna gave a red kite to Carl as well.\n"
    svc, c = chatting(corpus, tmp_path, {"d.txt": text, "d copy.txt": text})
    first = svc.ask("Who did Anna give a red kite to?", c)
    again = svc.ask("Who else got a red kite from her?", c)
    said = first.sentences[0].sentence.text
    assert [s.sentence.text for s in first.sentences].count(said) == 1  # shown once, not once per copy
    assert again.sentences and said not in {s.sentence.text for s in again.sentences}


def test_a_follow_up_asking_what_came_next_points_past_the_last_answer():
    c = Conversation()
    assert c.following("And who came after him?") is None  # nothing answered yet
    c.add("When did Steve McIntyre lead Debian?", "April 2008", sentence=40)
    assert c.following("And who came after him?") == 41
    assert c.following("What happened next?") == 41
    assert c.following("Who led it before him?") == 39
    assert c.following("And after?") == 41 and c.following("What about before?") == 39
    assert c.following("Where was he working?") is None  # not about the order
    assert c.excluded("And who came after him?") == {40}  # the one answered is not what came after it
    assert c.excluded("Where was he working?") == set()
    c.add("Who founded Debian after leaving Purdue?", "Ian Murdock", sentence=7)  # "after" in a new question
    assert c.following("Who founded Debian after leaving Purdue?") is None


def test_a_table_row_counts_what_only_its_heading_holds_at_half_weight():
    from qa.retrieve.lexical import HEADING_ONLY, rows_in_own_words, term_weights

    weights = term_weights("When is the deposit due?", lambda term: 1.0)
    texts = [
        "Item: Deposit; Amount: £1,326; Due: Before the tenancy starts",  # holds both terms itself
        "Item: Monthly rent; Amount: £1,150; Due: 1st of each month",  # "deposit" only under its heading
        "The deposit is due before the tenancy starts.",  # no table row: its heading counts in full
        "Rent | £1,150 | monthly",  # a row without a header, cells joined by " | "
    ]
    held = [1.0, 1.0, 1.0, 1.0]  # each with its heading path "Rent and deposit"
    out = rows_in_own_words(weights, texts, held)
    assert out[0] == 1.0 and out[2] == 1.0
    assert out[1] == 1.0 - HEADING_ONLY * 0.5  # half of the weight is "deposit"'s
    assert out[3] == 1.0 - HEADING_ONLY * 1.0


def test_a_step_from_the_person_answered_names_them():
    c = Conversation()
    c.add("Who founded Debian?", "Ian Murdock", sentence=3, said="Debian was founded by Ian Murdock in 1993.")
    assert c.turn("Who led it after him?").named_step == "Who led it after Ian Murdock?"
    assert c.turn("And before him?").named_step == "And before Ian Murdock?"
    assert c.turn("Where did he study?").named_step == ""  # no step
    c.add("When was Debian founded?", "1993", sentence=3)  # no one answered in this topic
    assert c.turn("Who led it after him?").named_step == ""


def test_who_came_after_the_person_answered_is_the_next_in_their_list(corpus, tmp_path):
    """The sentence that answered who it was ("founded by Ian Murdock") is not the person's item in a list
    of them: the item after theirs is the answer, not the sentence after that one."""
    history = "Debian was founded by Ian Murdock in 1993. The first release followed soon after.\n"
    leaders = (
        "Leaders\n\nIan Murdock led Debian from 1993 until 1996.\n\n"
        "Bruce Perens led Debian from 1996 until 1997.\n\nIan Jackson led Debian from 1998 until 1998.\n"
    )
    svc, c = chatting(corpus, tmp_path, {"history.txt": history, "leaders.md": leaders})
    assert "Ian Murdock" in svc.ask("Who founded Debian?", c).sentences[0].sentence.text
    assert svc.ask("Who led it after him?", c).sentences[0].sentence.text.startswith("Bruce Perens")


def test_tell_me_more_goes_on_after_the_last_answer():
    c = Conversation()
    c.add("Who rode a white stallion?", "Kim", sentence=17)
    for more in ("Tell me more", "tell me more.", "Go on", "More?", "Continue"):
        assert c.following(more) == 18, more
    assert c.following("Tell me more about the pact") is None  # a new question, not a step
    assert c.following("Is there more?") is None


def test_reading_on_goes_through_the_text_after_the_answer(corpus, tmp_path):
    """"Tell me more" and "Go on" read on from the last sentence shown, sure or not, however little the next
    sentence matches the topic, and never go back to what was already shown."""
    text = (
        "Any developer may propose a general resolution. The proposal needs five sponsors. "
        "Votes are counted by the secretary. Ballots close after two weeks.\n"
    )
    other = "A general resolution proposed by a developer is discussed on the mailing list.\n"
    svc, c = chatting(corpus, tmp_path, {"rules.txt": text, "list.txt": other})
    first = svc.ask("Who may propose a general resolution?", c)
    assert first.sentences[0].sentence.text.startswith("Any developer may propose")
    shown = [svc.ask(more, c).sentences[0].sentence.text for more in ("Tell me more", "Go on", "Keep going")]
    assert shown == [
        "The proposal needs five sponsors.",
        "Votes are counted by the secretary.",
        "Ballots close after two weeks.",
    ]
    assert svc.ask("Go on", c).sentences  # past the index's last sentence: answered as a question, no step


def test_a_follow_up_with_no_words_of_its_own_is_read_as_its_topic_question():
    c = Conversation()
    c.add("Who founded Debian?", "Ian Murdock", sentence=3)
    why = c.turn("Why?")
    assert why.focus == why.words == "Who founded Debian? Why?"  # "Why?" alone matches any reason given
    assert why.query == "Who founded Debian? Why?"
    asked = c.turn("How is its name pronounced?")  # words of its own: the ranker and the lexical search read them
    assert (asked.focus, asked.words) == ("How is its name pronounced?", "")


def test_an_acknowledgement_is_no_follow_up_and_keeps_the_conversation():
    c = Conversation()
    c.add("What gift did Kim give?", "a pair of Pungsan dogs", sentence=7)
    for said in ("ok", "Thanks!", "great, thank you", "Got it"):
        assert c.turn(said) == Turn()  # read as a follow-up, "ok" re-asked the last question
        c.add(said)
    assert c.turn("Why?").focus == "What gift did Kim give? Why?"  # the topic and the answer are kept
    assert c.anchor == 7
    assert c.turn("Thanks to whom?").follow_up  # words of its own beyond thanks: a question


def test_a_chat_replies_to_thanks_greetings_and_acknowledgements_only():
    assert reply_to("Thanks!") == reply_to("great, thank you") == "You're welcome."
    assert reply_to("hi").startswith("Hello") and reply_to("bye") == "Goodbye."
    assert reply_to("ok") == reply_to("Got it") == "Ask another question whenever you like."
    for asked in ("Thanks to whom?", "Who said hello?", "Why?", "Is it ok to use tabs?"):
        assert reply_to(asked) == ""


def test_the_service_matches_a_wordless_follow_up_with_its_topic(corpus, tmp_path):
    svc, c = chatting(corpus, tmp_path)
    _, retriever = svc.live()
    searched: list[str] = []
    search = retriever.candidates

    def recorded(vector, question="", *args, **kwargs):
        searched.append(question)
        return search(vector, question, *args, **kwargs)

    retriever.candidates = recorded  # type: ignore[method-assign]
    for question in ("What gift did Kim give?", "When?", "What breed are they?"):
        svc.ask(question, c)
    assert searched == ["What gift did Kim give?", "What gift did Kim give? When?", "What breed are they?"]


def test_the_service_answers_what_came_next_with_the_following_sentence(corpus, tmp_path):
    leaders = (
        "Anna Berg led the club from 1990 until 1995. Carl Dahl led the club from 1996 until 2001. "
        "Erik Falk led the club from 2002 until 2010. Gina Holm led the club from 2011 until 2020.\n"
    )
    svc, c = chatting(corpus, tmp_path, {"leaders.txt": leaders})
    first = svc.ask("When did Carl Dahl lead the club?", c)
    assert first.sentences[0].sentence.text.startswith("Carl Dahl")
    after = svc.ask("And who came after him?", c)
    assert after.sentences[0].sentence.text.startswith("Erik Falk")
    before = svc.ask("Who led it before him?", c)  # before the last answer (Erik Falk): Carl Dahl again
    assert before.sentences[0].sentence.text.startswith("Carl Dahl")


def test_and_a_new_name_asks_the_topic_question_of_that_name():
    """"And Putin?" after "What horse did Kim ride on Mount Paektu?" asks which horse Putin rode: the topic is
    searched without its own names, or the sentence naming Kim and Putin together answers it (on the seed
    article: "The two bonded over animals as Kim fed carrots to a horse while Putin patted it")."""
    c = Conversation()
    c.add("What horse did Kim ride on Mount Paektu?", "a white stallion", 7, "Kim, a horseman, was ...")
    assert c.query_for("And Putin?") == "What horse did ride on? And Putin?"
    assert c.query_for("And the third one?").startswith("What horse did Kim ride on Mount Paektu?")
    assert c.query_for("What about that horse?").startswith("What horse did Kim ride on Mount Paektu?")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who led Debian after Ian Murdock?", (1, "Ian Murdock")),
        ("Which company hosted the server after HP?", (1, "HP")),
        ("What architecture type came before Norman in England?", (-1, "Norman")),
        ("Who succeeded Ian Jackson?", (1, "Ian Jackson")),
        ("Who was succeeded by Ian Jackson?", (-1, "Ian Jackson")),  # the passive turns it round
        ("Who preceded Bruce Perens?", (-1, "Bruce Perens")),
        ("What is Bullseye named after?", (0, "")),
        ("Which release was named after Woody?", (0, "")),  # a name's origin, not a sequence
        ("Who became Secretary after Ian Murdock resigned?", (0, "")),  # an event: not the next item
        ("What happened after the war?", (0, "")),  # no name
        ("Does Black break lines before or after a binary operator?", (0, "")),
    ],
)
def test_a_question_asking_what_came_after_a_name(question, expected):
    assert named_step(question) == expected


def test_and_continues_the_last_follow_up_not_only_the_topic():
    """"And Putin's?" after "Tell me about Kim's horses" and "What colour was it?" asks the colour of Putin's
    horse: the last follow-up's words are searched too (without the names the new one replaces), not the
    topic alone ("Tell me about horses And Putin's?" found the sentence on Putin patting Kim's horse first).
    A new topic forgets them."""
    c = Conversation()
    c.add("Tell me about Kim's horses", "", 9, "The horses Kim rode are symbolic ...")
    c.add("What colour was it?", "", 7, "Kim, a horseman, was famously pictured riding a white stallion ...")
    assert c.query_for("And Putin's?") == "Tell me about horses What colour was it? And Putin's?"
    assert c.query_for("And the third one?") == "Tell me about Kim's horses What colour was it? And the third one?"
    assert c.query_for("Where was he seen?") == "Tell me about Kim's horses Where was he seen?"  # no "and": the topic
    c.add("Who gave Putin dogs?", "Kim Jong Un", 1, "North Korean leader Kim Jong Un gave ...")
    assert c.query_for("And Moon?") == "Who gave dogs? And Moon?"



def test_a_name_after_a_preposition_adds_to_the_topic_instead_of_replacing_its_names():
    """"What about with Jupyter support?" after "How do I install Black?" asks how to install Black with
    Jupyter support: searched without "Black" (as "And Putin's?" is searched without "Kim"), it matched
    Jupyter's changelog entries."""
    c = Conversation()
    c.add("How do I install Black?", "", 3, "If you use pipx, you can install Black with pipx install black.")
    assert c.query_for("What about with Jupyter support?") == "How do I install Black? What about with Jupyter support?"
    assert c.query_for("And on Windows?") == "How do I install Black? And on Windows?"
    assert c.query_for("What about Click?") == "How do I install? What about Click?"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "How many horses did the train carry?",
            "In 2022, a freight train carrying 30 grey thoroughbred horses left.",
            "30",
        ),
        (
            "When was Kim seen riding again?",
            "He was seen riding a white horse again in a propaganda video in 2022.",
            "2022",
        ),
        ("How much did it cost?", "The car cost $4.5 million in 2019.", "$4.5 million"),
        # a count is not a year
        ("How many valves did the engine use?", "In 1849 the Corliss engine used four valves.", "four"),
        ("How long did the visit last?", "The visit lasted three days in June.", "three days"),
        ("Who received the dogs?", "The dogs went to Moon Jae-in in 2018.", "Moon Jae-in"),
        # a clause's opening word is not a name, nor is a month
        ("Who had taken over?", "By this time, Bruce Perens had taken over, working at Pixar.", "Bruce Perens"),
        # nor is an opening adverb or participle, nor a word of nationality before a noun
        ("Who developed it?", "Starting in 1965, Donald Davies developed the same idea.", "Donald Davies"),
        ("Who designed the building?", "The Spanish architect Enric Miralles designed it.", "Enric Miralles"),
        ("Who designed the building?", "Brian designed it with Tom.", "Brian"),
        # nor a name holding one the question gives: what it asks about, not who
        ("Who founded Debian?", "The Debian Project was officially founded by Ian Murdock in 1993.", "Ian Murdock"),
        ("Who took over from Ian Murdock?", "Ian Jackson took over from Ian Murdock.", "Ian Jackson"),
        # for "where", a name a place-word leads into, not the subject
        ("Where was he working?", "By this time, Bruce Perens had taken over, working at Pixar.", "Pixar"),
        ("Where was the garden?", "Putin and Kim walked in the garden of the Kumsusan Guesthouse in Pyongyang.", "Kumsusan Guesthouse"),
        ("Where are the dogs from?", "Pungsans are dogs native to a region in northern North Korea.", "North Korea"),
        ("Where was Kim pictured?", "Putin said Kim was pictured on a horse.", "Putin"),  # none: the first
        ("Who led Debian after Ian Murdock?", "Ian Murdock founded Debian in August 1993.", None),
        ("What gift did Kim give?", "Kim gave dogs.", None),
        ("Which flag turns the check off?", "The --fast flag turns this check off, --safe on.", "--fast"),
        ("Which option makes it required?", "Simply pass required=True to the decorator.", "required=True"),
        # where a document sends its reader: an address or a path, without the full stop after it
        ("Where is the list of mailing lists?", "There is a list in /usr/share/doc/debian/mailing-lists.txt.", "/usr/share/doc/debian/mailing-lists.txt"),
        ("Where can I ask about it?", "Use the mailing list: http://mailing-list.libusb.info.", "http://mailing-list.libusb.info"),
        ("Where can I ask about it?", "Write to debian-user@lists.debian.org, in English.", "debian-user@lists.debian.org"),
        ("Where was the first DebConf held?", "The first DebConf took place in Bordeaux, France.", "Bordeaux"),
        # of a list of links read as addresses, the one whose label the question names
        ("Where are Wick's docs?", "GitHub: https://example.org/wick; Docs: https://wick.example.org", "https://wick.example.org"),
        ("Where is Wick's code?", "GitHub: https://example.org/wick; Docs: https://wick.example.org", "https://example.org/wick"),
        # a date in figures is one date, not a year and two counts; a version is not a date
        ("When was 2.3.0 released?", "Released 2023-08-17", "2023-08-17"),
        ("When did it open?", "It opened on 17/06/1996 in Paris.", "17/06/1996"),
        ("When was it bumped?", "Bumped regex version minimum to 2021.4.4.", "2021"),
        # a decade, centuries, a time of day
        ("When did Herve serve as a general?", "In the 1050s Herve served as a Byzantine general.", "1050s"),
        ("When were the Normans in Normandy?", "They lived there in the 10th and 11th centuries.", "10th and 11th centuries"),
        ("What time does the flight leave?", "Flight TP 571 leaves at 06:40 from gate 12.", "06:40"),
    ],
)
def test_answer_span(question, sentence, expected):
    from qa.answer.kinds import answer_span

    span = answer_span(question, sentence)
    assert (sentence[span[0] : span[1]] if span else None) == expected


def test_acronyms_are_found_where_the_text_spells_them_out():
    text = (
        "The Federal Bureau of Investigation was told. Later the FBI said so. NASA, the National Aeronautics "
        "and Space Administration, flew. KCNA reported it. An image by the Korean Central News Agency. The UN met."
    )
    found = acronyms(text)
    assert found == {
        "fbi": ("feder", "bureau", "investig"),
        "nasa": ("nation", "aeronaut", "space", "administr"),
        "kcna": ("korean", "central", "news", "agenc"),
    }  # "UN" is never spelled out, so it stays as it is
    assert acronyms("No capitals here at all.") == {}
    assert acronyms("SEOUL - Kim met Putin.") == {}


def test_an_acronym_matches_its_expansion_within_its_own_document_only():
    sentences = [
        "State media KCNA reported the gift.",  # a.txt
        "An image released by the Korean Central News Agency.",  # a.txt
        "KCNA is a radio station in Kansas.",  # b.txt: never spells it out
    ]
    plain = LexicalIndex.from_texts(sentences)
    linked = LexicalIndex.from_texts(sentences, ["a.txt", "a.txt", "b.txt"])
    question = "Which news agency reported the gift?"
    assert plain.coverage(question, [0])[0] == pytest.approx(0.5)  # report, gift: "news agency" unseen
    assert linked.coverage(question, [0])[0] == pytest.approx(1.0)  # news, agency (via KCNA), report, gift
    assert linked.coverage("What did KCNA release?", [1])[0] > 0.5  # the spelled-out form answers for KCNA
    assert linked.coverage(question, [2])[0] == 0.0
    assert linked.search(question, 3)[0].tolist()[0] == 0


def test_a_follow_up_is_searched_near_the_last_answer_given():
    c = Conversation()
    assert c.near("When did he receive them?") is None  # nothing asked yet
    c.add("Who did Kim give Pungsan dogs to?", "Vladimir Putin", sentence=3)
    assert c.near("When did he receive them?") == 3
    assert c.near("What did Kim feed the horse?") is None  # stands on its own
    c.add("When did he receive them?")  # abstained: the answer before still anchors the topic
    assert c.near("Where are they from?") == 3
    c.add("What did Kim feed the horse?")  # a new topic, abstained: nothing to search near
    assert c.near("What colour was it?") is None
    c.add("What did Kim feed the horse?", "carrots", sentence=20)
    c.reset()
    assert c.near("What colour was it?") is None and c.anchor is None


def test_search_document_stays_in_the_document(corpus, tmp_path):
    from conftest import FakeEmbedder, service

    svc = service(corpus, tmp_path / "idx", FakeEmbedder())
    snapshot, _ = svc.live()
    vector = svc.models.query_encoder.embed(["capital"])[0]
    paris = next(i for i in range(snapshot.n_sentences) if snapshot.texts([i])[0].startswith("Paris"))
    found = [int(i) for i in snapshot.search_document(vector, paris, 10)]
    assert sorted(found) == list(snapshot.document_range(paris)) and len(found) == 2
    assert set(snapshot.document_of(found)) == {snapshot.document_of([paris])[0]}


def test_a_follow_up_answered_with_its_context_shifts_the_confidence_and_nothing_else(corpus, tmp_path):
    import math
    from dataclasses import replace

    from conftest import FakeEmbedder, service

    from qa.answer.calibration import load_calibration

    assert load_calibration().w_follow_up > 0  # fitted: a follow-up's own words under-state a right answer
    (corpus / "dogs.txt").write_text(
        "Kim gave Putin a pair of Pungsan dogs. Pungsans are hunting dogs native to northern Korea.\n"
    )
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    answers = {}
    for w in (0.0, 0.9):
        cal = replace(load_calibration(), model="fake-bow@1", w_follow_up=w)
        svc = service(corpus, tmp_path / "idx", FakeEmbedder(), calibration=cal, settings={"threshold": 0.0})
        c = Conversation()
        answers[w] = (svc.ask("What did Kim give Putin?", c), svc.ask("Where are they native to?", c))
    (first_plain, follow_plain), (first_shifted, follow_shifted) = answers[0.0], answers[0.9]
    assert first_shifted.confidence == pytest.approx(first_plain.confidence)  # a question standing alone: unchanged
    assert logit(follow_shifted.confidence) - logit(follow_plain.confidence) == pytest.approx(0.9, abs=1e-6)
    assert [s.index for s in follow_shifted.sentences] == [s.index for s in follow_plain.sentences]  # no ranking moves
