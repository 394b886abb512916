"""Follow-up questions in a chat: carry the topic of earlier turns, and what was answered, into the search."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.answer.kinds import AFTER_WORDS, BEFORE_WORDS, asked_definition, expected_type
from qa.retrieve.lexical import STOPWORDS, content_words, is_name_like
from qa.types import Turn

_REFERRING = frozenset(
    """he she it they them him her his hers its their theirs this that these those there then
    one ones such same other another""".split()
)
_WORD = re.compile(r"[A-Za-z']+")


# "And on a desktop?", "What about the third one?": an opening that continues the last question
_CONTINUES = re.compile(r"^\s*(?:and|but|also|so|then|what\s+about|how\s+about)\b", re.I)


# the words before a name that add it to a question rather than put it in place of another ("with Jupyter")
_ADDS = r"\b(?:with|for|on|in|under|using|via|inside|through|over|behind|without)\s+(?:(?:the|a|an)\s+)?"


def _added(word: str, question: str) -> bool:
    """Does the question add this name to the one before it ("What about with Jupyter support?")?"""
    return re.search(_ADDS + re.escape(word), question, re.I) is not None


# "Who else got dogs from Kim?": someone or something besides what was answered
_ELSE = re.compile(r"\belse\b", re.I)


# "ok", "thanks", "great, thank you": a reply to an answer, not a question about the documents
_ACKNOWLEDGING = frozenset(
    "ok okay k fine thanks thank you thx ty great cool nice good perfect got it i see alright right sure yes yep no "
    "nope hi hello hey bye goodbye cheers awesome understood".split()
)


def _acknowledging_words(question: str) -> set[str]:
    """The words of a turn that only acknowledges, thanks or greets (four words at most, all of that kind);
    none for any other turn."""
    words = [w.lower() for w in _WORD.findall(question)]
    return set(words) if 0 < len(words) <= 4 and all(w in _ACKNOWLEDGING for w in words) else set()


def acknowledges(question: str) -> bool:
    """A turn that only acknowledges, thanks or greets (four words at most, all of that kind)."""
    return bool(_acknowledging_words(question))


_THANKS = frozenset("thanks thank thx ty cheers".split())
_GREETINGS = frozenset("hi hello hey".split())
_FAREWELLS = frozenset("bye goodbye".split())


def reply_to(question: str) -> str:
    """What a chat says to an acknowledgement, a thank-you or a greeting ("" for anything else): such a turn
    asks nothing of the documents, and answering it with their closest sentence was noise."""
    words = _acknowledging_words(question)
    if not words:
        return ""
    if words & _THANKS:
        return "You're welcome."
    if words & _FAREWELLS:
        return "Goodbye."
    if words & _GREETINGS:
        return "Hello. Ask me anything the documents might answer."
    return "Ask another question whenever you like."


def needs_context(question: str) -> bool:
    """A question that leans on an earlier turn: it refers back (pronouns), continues the last question
    ("And ...", "What about ...") or is too short to stand alone. An acknowledgement ("ok", "thanks") is
    none: read as a follow-up it re-asked the last question."""
    written = _WORD.findall(question)
    words = [w.lower() for w in written]
    if not words or acknowledges(question):
        return False
    short = len(words) <= 3 and not _says_what_about(question) and not _asks_what_it_is(question)
    refers = any(w in _REFERRING and _refers_at(written, words, k) for k, w in enumerate(words))
    return refers or short or reads_on(question) or bool(_CONTINUES.match(question) or _ELSE.search(question))


_BE = frozenset("is are was were be been isn't aren't wasn't weren't".split())
_AUXILIARY = _BE | frozenset("do does did has have had can could will would should may might must".split())
_DETERMINER = frozenset("a an the many some all no each every any".split())
_POSSESSIVE = frozenset("its their his".split())  # not "her", which may be whom a thing is done to
_ORDINAL_BEFORE = frozenset("that this which first second third last next other the".split())
# "that needs", "that takes": after "that", a word ending in -s is a verb ("that" takes no plural noun), unless
# the word is a singular noun ending so ("that class", "that status", "that alias", "that basis")
_THIRD_PERSON = re.compile(r"[a-z]+[^su'\W]s|[a-z]+ies")


def _refers_at(written: list[str], words: list[str], k: int) -> bool:
    """Is the referring word `written[k]` (the question's words as written; `words` the same in lower case)
    one that points outside the question? Not "there" that says something exists ("Is there a mobile app?",
    "when there is none"; "How many were there?" still points back), nor "that" opening a clause after a noun
    or a verb ("a view that needs a logged-in user", "packages that are not free", "declares that an argument
    is ..."), nor "one" that counts, "such as" or "the same ... as", nor a possessive after a name the question
    gives ("Can Click read its options ...?"): asked in a chat, such a question was searched with the topic
    before it."""
    word = words[k]
    before = words[k - 1] if k else ""
    after = words[k + 1] if k + 1 < len(words) else ""
    if word == "there":
        return not (after in _BE or (before in _BE and after))
    if word == "that" and k and _content(before):
        return not (after in _AUXILIARY or after in _DETERMINER or _THIRD_PERSON.fullmatch(after))
    if word == "one" and _content(after) and before not in _ORDINAL_BEFORE:
        return False  # a count: "in one call", "reads one character" ("that one", "the first one" point back)
    if word == "such":
        return after != "as"  # "such as MyISAM" gives an example
    if word == "same":
        return "as" not in words[k + 1 :]  # "the same name as a file of ...": compared within the question
    if word in _POSSESSIVE:  # "I" is capitalised but names no one
        return not any(is_name_like(w, j == 0) and w != "I" for j, w in enumerate(written[:k]))
    return True


def _content(word: str) -> bool:
    """A word that could be a noun or a verb: not a stop word, an auxiliary or a contraction ("isn't")."""
    return bool(word) and word not in STOPWORDS and word not in _AUXILIARY and "'" not in word


def _asks_what_it_is(question: str) -> bool:
    """"What is sed?", "Who is Kim?", "What are Pungsans?": a question asking what a thing it names is, in one
    word without an article (with one, "What's the price?" asks it of something said before). Read as a
    follow-up, "What is sed?" after a question about sed's one-liners was searched with that question and got
    its answer again, at 0.93."""
    thing = asked_definition(question)
    with_article = re.match(r"^\W*\w+(?:'s|\u2019s|\s+\w+)\s+(?:the|an?)\s", question, re.I)
    return bool(thing) and " " not in thing and not with_article


def _says_what_about(question: str) -> bool:
    """A short question that names its subject and asks something of it ("Who founded Debian?", "Install
    Black 24?"): two content words, one of them a name. Read as a follow-up, "Who founded Debian?" after
    questions about Black was searched with them, and answered with a Black sentence. "Where was Kim?"
    (one content word) still leans on the turn before."""
    words = content_words(question).values()
    return len(words) >= 2 and any(name_like for _, name_like in words)


# "Who else...", "What other...": the question asks for something not answered yet
_MORE = re.compile(r"\b(?:else|other|others|another|more)\b", re.I)


def asks_for_more(question: str) -> bool:
    return bool(_MORE.search(question))


# "Who came after him?", "What happened next?": the answer follows the last one in its document (a history,
# a list of leaders, a changelog run in order); "Tell me more", "Go on": the text goes on after it; "before
# him", "previously", "And before?": it comes before it
_BACK = r"\s+(?:him|her|them|that|this|it)\b"
_GOES_ON = r"^\W*(?:(?:please\s+)?tell\s+me\s+more|go\s+on|continue|keep\s+going|(?:and\s+)?more)\W*$"
_NEXT = re.compile(rf"\b(?:(?:{AFTER_WORDS}){_BACK}|next\b|afterwards?\b|after\W*$)|{_GOES_ON}", re.I)
_PREVIOUS = re.compile(rf"\b(?:(?:{BEFORE_WORDS}){_BACK}|previous(?:ly)?\b|earlier\b|before\W*$)", re.I)


def reads_on(question: str) -> bool:
    """A request to read on after the last answer ("Tell me more", "Please tell me more.", "Go on")."""
    return re.match(_GOES_ON, question, re.I) is not None


# the words that ask for something besides what was answered ("Who else?"), not what it is
_ASKS_BESIDES = frozenset("else other others another".split())


def own_words(question: str) -> dict[str, tuple[str, bool]]:
    """A follow-up's words that say what it is about (`content_words`), not "else" or "other"; none for a
    request to read on: matched by its word "tell", "Tell me more" after a question about the Debian
    constitution was answered with the GPL's "... tells the user ..." (0.75), and "Who else?" by "else"
    alone matched nothing."""
    if reads_on(question):
        return {}
    return {term: found for term, found in content_words(question).items() if found[0].lower() not in _ASKS_BESIDES}


def sequence_step(question: str) -> int:
    """+1 for a question asking what came next, -1 for what came before, else 0."""
    if _NEXT.search(question):
        return 1
    return -1 if _PREVIOUS.search(question) else 0


# "that breed", "this country": a demonstrative with a noun points at what was just answered; a pronoun
# ("they", "he") points at the topic, and so does a demonstrative standing alone, before a verb or a particle
# ("turn that off", "is this in...")
_NOT_A_NOUN = (
    "is|was|are|were|do|does|did|has|have|had|can|could|will|would|should|may|might|must|"
    "off|on|up|out|in|into|down|over|away|back|again|to|for|with|about|from|by|at|of|too|as|and|or|but|if|when"
)
_DEMONSTRATIVE = re.compile(rf"\b(?:that|this|these|those)\s+(?!(?:{_NOT_A_NOUN})\b)[a-z]", re.I)


# "it", "they", "them", and "that" or "this" standing alone (before a verb or a particle, or last: "turn that
# off", "Is this in ...", "What about that?"), but no possessive: what a follow-up refers to by it
_STANDS_FOR_TOPIC = re.compile(
    rf"\b(?:it|they|them)\b|\b(?:that|this)\b(?=\s+(?:{_NOT_A_NOUN})\b|\W*$)", re.I
)


def points_at_the_answer(question: str) -> bool:
    return bool(_DEMONSTRATIVE.search(question))


# "Why?", "But why is that?": a follow-up asking for the reason of what was just answered, with no words of
# its own; an answer that already gives one ("..., because ...") may be its answer too
_ASKS_WHY = re.compile(r"^\W*(?:(?:and|but|so|then)\W+)?why\b", re.I)
_GIVES_REASON = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|thanks\s+to|so\s+that|in\s+order\s+to|as\s+a\s+result|reasons?|"
    r"therefore|hence|to\s+(?:avoid|ensure|prevent|allow|make|keep|help))\b",
    re.I,
)


def asks_why(question: str) -> bool:
    """A "why" follow-up without words of its own ("Why?", "And why is that?")."""
    return bool(_ASKS_WHY.match(question)) and not content_words(question)


# After "Who led Debian after Ian Murdock?" was answered, "he" in "Where was he working?" is the person
# answered, not one named in the question
_ASKS_WHO = re.compile(r"\b(?:who|whom|whose)\b", re.I)
_PERSONAL = re.compile(r"\b(?:he|him|his|she|her|hers)\b", re.I)
# ... and "it", "they" in "How do I give it an empty working directory?" after "Which class is used to test
# Click commands?" is the thing answered (CliRunner): a place or a thing written as code; not a person, a
# number or a date ("How many were there?" asks about the dogs, not about "a pair")
_IMPERSONAL = re.compile(r"\b(?:it|its|they|them|their)\b", re.I)
_THINGS = frozenset({"place", "code"})
# "What does it do?", "What is it?", "What is it for?", "What does that mean?": asks what the topic's subject is
_WHAT_IS_IT = re.compile(
    r"^\W*(?:and\s+)?what\s+(?:does|do|is|are)\s+(it|that|this|they)(?:\s+(?:do|mean|for|used\s+for))?\W*$", re.I
)
# "How do I turn on ...", "How can I enable ...": the verb (and its particle) a how-to question opens with
_HOW_TO_VERB = re.compile(r"^\W*how\s+(?:do|can|could|should|would)\s+(?:i|you|we|one)\s+\w+(?:\s+(?:on|off|up|out|in))?\b", re.I)


# "How do I change it?", "Can I turn that off?", "How would I set them?": asks how to change what was just
# talked about, pointing at it
_CHANGES_IT = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:how\s+(?:do|can|could|would|should)|can|could)\s+(?:i|you|we|one)\s+"
    r"(?:change|set|turn|switch|override|disable|enable|increase|decrease|raise|lower|adjust|configure|customi[sz]e)\b"
    r".*\b(?:it|that|this|them|those|these)\b",
    re.I,
)
# what a program does unless told otherwise: "What is Black's default line length?", "How many times does wget
# retry by default?", "Which quotes does Black prefer?"
_A_DEFAULT = re.compile(r"\b(?:defaults?|by\s+default|prefers?|preferred)\b", re.I)


def changes_the_default(question: str, topic: str, said: str) -> bool:
    """Does a follow-up ask how to change a default the conversation is about ("How do I change it?" after
    "What is Black's default line length?")? A program's documentation answers it with the option or
    setting that does it (`--line-length`, `--tries=NUMBER`), not with another sentence about changing."""
    return bool(_CHANGES_IT.search(question)) and bool(_A_DEFAULT.search(topic) or _A_DEFAULT.search(said))


# "How much did it cost?", "When was that?", "Where was it done?": a figure, a date or a place of the thing just
# answered ("it", "that", not a possessive: "Where does its name come from?" asks of something else)
_OF_IT = re.compile(r"\b(?:it|that|this|they|them)\b", re.I)
_RECORDED = frozenset({"money", "number", "date", "duration", "place"})


def asks_of_the_answer(question: str) -> bool:
    return expected_type(question) in _RECORDED and bool(_OF_IT.search(question))


@dataclass
class Conversation:
    """Remembers the topic of the conversation and what was answered; `query_for` builds the text actually
    searched. A follow-up is searched with the topic question, and with the last answer's likely answer span
    when it points at it ("Where is that breed native to?" after an answer naming Pungsan dogs searches for
    Pungsan); sentences already answered in this topic are left out when the follow-up asks for more."""

    topic: str = ""  # the last question that stood on its own
    answer: str = ""  # what the last answer said: its answer span, else its top sentence
    answered: set[int] = field(default_factory=set)  # index ids of the top sentences given in this topic
    shown: set[int] = field(default_factory=set)  # ... and of those shown though not given (abstentions)
    anchor: int | None = None  # the id of the last top sentence given in this topic: its document is searched
    person: str = ""  # the answer span of the last "who" question answered in this topic
    person_at: int | None = None  # the id of the sentence that answered it
    thing: str = ""  # the answer span of the last question in this topic answered with a place or code
    said: str = ""  # the last top sentence given in this topic
    asked: str = ""  # the last follow-up asked in this topic, as it was searched without its topic

    def near(self, question: str) -> int | None:
        """The sentence whose document a follow-up is searched in as well (None for a new question)."""
        return self.stepped_from(question) if self.is_follow_up(question) else None

    def stepped_from(self, question: str) -> int | None:
        """The answer a follow-up starts from: the one that named the person it asks about ("Who led it
        after him?" after "Where was he working?" steps from the sentence that answered who he is), else
        the last answer."""
        if self.person_at is not None and sequence_step(question) and _PERSONAL.search(question):
            return self.person_at
        return self.anchor

    def following(self, question: str) -> int | None:
        """The sentence a follow-up asking what came next (or before) points at: the one after (before) the
        answer it steps from, in its document; for a bare "Why?" after an answer that gives no reason, the
        one after it (the text may go on to give the reason: "Black defaults to 88 characters per line ...
        This number was found to produce significantly shorter files ..."); None otherwise."""
        base = self.stepped_from(question)
        if base is None or not self.is_follow_up(question):
            return None
        step = sequence_step(question) or int(self._unexplained(question))
        return base + step if step else None

    def _unexplained(self, question: str) -> bool:
        """A bare "Why?" after an answer that gives no reason (or after none: then there is nothing to step from)."""
        return asks_why(question) and not _GIVES_REASON.search(self.said)

    def is_follow_up(self, question: str) -> bool:
        return bool(self.topic) and needs_context(question)

    def pointed_at(self, question: str) -> str:
        """What a follow-up points at of the last answers: the answer span for "that breed", the person
        answered for "he", the place or code answered for "it" ("CliRunner"); "" otherwise."""
        if not self.is_follow_up(question):
            return ""
        if points_at_the_answer(question) and self.answer:
            return self.answer
        if _PERSONAL.search(question):
            return self.person
        return self.thing if _IMPERSONAL.search(question) else ""

    def query_for(self, question: str) -> str:
        """A follow-up is searched together with the topic question and the last answer; a chain of
        follow-ups keeps that topic."""
        return f"{self._topic_for(question)} {self._own(question)}" if self.is_follow_up(question) else question

    def _topic_for(self, question: str) -> str:
        """The topic question as a follow-up is searched with it: "And Putin?" after "What horse did Kim ride
        on Mount Paektu?" asks the same of another name, so the topic's names are left out ("What horse did
        ride on?"); with them, a sentence naming Kim and Putin together matched it best. After a follow-up,
        "And ..." continues that one as well: "And Putin's?" after "Tell me about Kim's horses" and "What colour
        was it?" is searched as "Tell me about horses What colour was it? And Putin's?". A name after a
        preposition adds to the question ("What about with Jupyter support?" after "How do I install Black?"):
        the topic keeps its names."""
        if not _CONTINUES.match(question):
            return self.topic
        asked = f"{self.topic} {self.asked}".strip()
        topic = content_words(asked)
        new = [word for term, (word, name) in content_words(question).items() if name and term not in topic]
        # "What about with Jupyter support?", "And on Windows?": a name after a preposition adds to the topic
        # ("How do I install Black?"); it does not stand for the topic's names as "And Putin's?" does
        if all(_added(word, question) for word in new):  # none new, or each added
            return asked
        names = [re.escape(word) for word, name in topic.values() if name]
        if not names:
            return asked
        left = " ".join(re.sub(rf"\b(?:{'|'.join(names)})(?:'s)?\b", " ", asked).split())
        return re.sub(r"\s+(?=[?!.,])", "", left)

    def _own(self, question: str) -> str:
        """A follow-up's own words and what it points at."""
        return " ".join(part for part in (self.pointed_at(question), question) if part)

    def focus_for(self, question: str) -> str:
        """What the ranker reads of a follow-up: its own words and what it points at, not the topic question
        (the candidates were found with the topic; among them, the words of the last question would draw the
        ranker back to what was already answered). A follow-up with no words of its own that say what it is
        about ("Why?", "When?", "Where was it?") is read as its topic question with them: alone it matches
        any sentence that gives a reason or a time, and nothing lexically (`turn` has the lexical search
        match it too)."""
        if not self.is_follow_up(question):
            return question
        own = self._own(question)
        words = own_words(own)
        if not words:
            return f"{self.topic} {own}"
        return self._named(own, words) if own == question else own

    def _named(self, question: str, own: dict[str, tuple[str, bool]]) -> str:
        """A follow-up whose "it" ("How do I make it follow redirects?" after "Does httpx support zstd?")
        points at nothing answered, with "it" read as the topic's words it does not repeat ("How do I make
        httpx support zstd follow redirects?"): alone, its own words matched any sentence about redirects.
        A possessive ("keep its configuration") refers to a thing the question names itself, and "he" or
        "she" to the person answered (`pointed_at`): both are left as they are. `own`: the question's
        `content_words`."""
        pronoun = _STANDS_FOR_TOPIC.search(question)
        if pronoun is None or _PERSONAL.search(question):
            return question
        topic = [word for term, (word, _) in content_words(self.topic).items() if term not in own]
        if not topic:
            return question
        return question[: pronoun.start()] + " ".join(topic) + question[pronoun.end() :]

    def named_step(self, question: str) -> str:
        """A follow-up asking who came after (before) the person answered, with that person's name in place
        of "him" or "her" ("Who led it after him?" after "Who founded Debian?": "Who led it after Ian
        Murdock?"); "" for any other turn. The sentence that answered who it was need not be the person's
        item in a list of them (a history's "founded by Ian Murdock on August 16th, 1993"): the sentence after
        it was no successor."""
        if not (self.person and self.is_follow_up(question) and sequence_step(question)):
            return ""
        step = rf"\b((?:{AFTER_WORDS}|{BEFORE_WORDS})\s+)(?:him|her)\b"
        named = re.sub(step, lambda found: found.group(1) + self.person, question, count=1, flags=re.I)
        return named if named != question else ""

    def about(self, question: str) -> str:
        """A follow-up asking what "it" is or does ("What does it do?", "What is it?") with what "it" stands for in
        place of it: the code or place last answered, else the topic's subject, its last run of words that are
        not stop words but the verb a how-to question opens with ("debug mode" in "How do I turn on debug
        mode?", "Flask" in "What is Flask?"); "" for any other turn."""
        found = _WHAT_IS_IT.match(question)
        if not (found and self.is_follow_up(question)):
            return ""
        # the code or the place answered ("CliRunner" for "Which class tests Click commands?"), else the subject
        subject = self.thing or self._subject()
        return question[: found.start(1)] + subject + question[found.end(1) :] if subject else ""

    def _subject(self) -> str:
        """The topic's last run of words that are not stop words, but the verb a how-to question opens with."""
        runs: list[list[str]] = [[]]
        for word in re.findall(r"[\w'-]+|[^\w\s]", _HOW_TO_VERB.sub(" ", self.topic)):
            if word.lower() in STOPWORDS or not word[0].isalnum():
                runs.append([])
            else:
                runs[-1].append(word)
        return next((" ".join(run) for run in reversed(runs) if run), "")

    def excluded(self, question: str) -> set[int]:
        """Sentences a follow-up must not be answered with again: what the topic was answered with, for one
        asking for more ("who else", "tell me more", "go on"); the last answer, for one asking what came next
        (or before), and for a bare "Why?" when that answer gives no reason (it matches the topic best, and
        only states again what was asked about: "Black defaults to 88 characters per line" for "Why?" after
        "What is Black's default line length?")."""
        if not self.is_follow_up(question):
            return set()
        if asks_for_more(question):  # "who else" after "not sure" of a sentence asks past it too
            return self.answered | self.shown
        if reads_on(question):  # "Go on" asks for more as well
            return set(self.answered)
        if self._unexplained(question) and self.anchor is not None:
            return {self.anchor}
        base = self.stepped_from(question)
        return {base} if sequence_step(question) and base is not None else set()

    def turn(self, question: str) -> Turn:
        """Everything this conversation adds to the question, for the search, the ranking and the confidence."""
        if not self.is_follow_up(question):
            return Turn()
        focus = self.focus_for(question)
        # what the lexical search matches: none of a request to read on's words ("Tell", mid-text, read as a
        # name the documents never mention), its topic's; a follow-up's own words where it has some
        words = "" if own_words(question) else self.topic if reads_on(question) else focus
        return Turn(
            self.query_for(question),
            focus,
            self.near(question),
            frozenset(self.excluded(question)),
            self.following(question),
            follow_up=True,
            words=words,
            # what it is matched with (its topic, when it has no words of its own: "Tell me more" names no
            # "Tell"), and whom it points at (after it: a first word is taken for no name)
            names=" ".join(
                (self.topic if words else question, self.pointed_at(question), self._topic_for(question))
            ).strip(),
            expects="code" if changes_the_default(question, self.topic, self.said) else None,
            same_section=asks_of_the_answer(question),
            reads_on=reads_on(question),
            named_step=self.named_step(question),
            about=self.about(question),
        )

    def add(
        self, question: str, answer_text: str = "", sentence: int | None = None, said: str = "", shown: int | None = None
    ) -> None:
        """Record an asked question and what it was answered with (nothing, for an abstention): its answer
        span, the top sentence's id and text; `shown`, the top sentence shown, answered or not (a "who else"
        after it asks past it too). One that stands on its own becomes the topic; an acknowledgement ("ok",
        "thanks") changes nothing."""
        if acknowledges(question):
            return
        if not self.is_follow_up(question):
            self.topic = question
            self.answered = set()
            self.shown = set()
            self.anchor = None
            self.person = ""
            self.person_at = None
            self.said = self.thing = self.asked = ""
        else:
            self.asked = self._own(question)
        self.answer = answer_text
        if answer_text and expected_type(question) in _THINGS:
            self.thing = answer_text
        if answer_text and _ASKS_WHO.search(question):
            self.person, self.person_at = answer_text, sentence
        if sentence is not None:
            self.answered.add(sentence)
            self.anchor, self.said = sentence, said
        if shown is not None:
            self.shown.add(shown)

    def reset(self) -> None:
        self.topic, self.answer, self.answered, self.anchor, self.person, self.person_at = "", "", set(), None, "", None
        self.said = self.thing = self.asked = ""
        self.shown = set()
