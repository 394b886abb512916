"""Candidate sentences -> ranked supporting sentences, a confidence and the answer/abstain decision."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

import numpy as np

from qa.answer.calibration import Calibration
from qa.answer.kinds import (
    answer_span,
    asked_head,
    asked_things,
    asked_what_it_is,
    asks_about_releases,
    asks_when_it_happened,
    dated_entry,
    defined_term,
    expected_type,
    figures,
    has_type,
    lacks_figure,
    named_step,
    names_used,
    negates_what_is_asked,
    only_announces_what_is_asked,
    only_dates_what_is_asked,
    only_points_elsewhere,
    only_repeats_what_is_asked,
    only_reports_it_done,
    only_states_the_need,
    opens_with,
    presupposes_asked,
    refers_to_asked,
    swaps_roles,
)
from qa.ingest.formats.common import HEADING_SEPARATOR, dated_release, release_heading
from qa.models.cross import ANSWER, RANK
from qa.retrieve.hybrid import Candidates, points_back
from qa.retrieve.lexical import content_words
from qa.types import Answer, ScoredSentence, Sentence, Turn, Verdict, with_context

# The confidence is a calibrated probability that the top sentence holds the answer. Below the threshold but
# at least this, the sentence is more likely right than not: the verdict is "not sure" rather than "no".
MAYBE = 0.5
# A follow-up is ranked with this bonus for the sentences of the document its conversation was last
# answered from: a ranking prior only (the confidence reads the score without it). On the development set's
# conversations (0.8.0's ranking) 0.05, 0.1 and 0.2 all gave 14 of 21 follow-ups right, 0 gave 13 (docs/design.md).
SAME_DOCUMENT = 0.1
# A sentence under a release's heading (a changelog's entry, a release post's paragraph) is ranked this much
# lower for a question that asks nothing of releases ("Which tool does hatch fmt run?"): the documentation
# answers it, and the release notes that changed it repeat its words ("Add fmt command"). A ranking prior
# only, like SAME_DOCUMENT. One run each (docs/benchmarks.md, "A packaging tool's MkDocs site"): 0.1 won one
# question of Hatch's documentation and one of isort's and moved no other; 0.2 lost one FAQ question.
RELEASE_NOTE = 0.1
# A work cited in a document's list of references ("Delignette-Muller, M., ... (2014). fitdistrplus: Help to
# Fit of a Parametric Distribution to Non-Censored or Censored Data.") is ranked this much lower for a question
# that asks nothing of what was written or published: its title repeats the words of the text that cites it.
# A ranking prior only, like RELEASE_NOTE (docs/benchmarks.md, "Research papers in PDF")
REFERENCE_LIST = 0.2
# A question asking what a thing written as code does ("What does \\selectfont do?") ranks a sentence that opens
# with it (a reference's entry for it) this much higher: a ranking prior only (docs/design.md)
DEFINES = 0.1
# "What is X?" ranks a sentence that says what X is ("Flask is a lightweight WSGI web application framework.")
# this much higher: a ranking prior only (kinds.defines). eval/definitions: ans@1 0.50 -> 0.69 (development
# documents), 0.40 -> 1.00 (Flask's; 0.90 at 0.1); every other set the same but one prose question and one of
# split A gained (docs/benchmarks.md)
DEFINITION = 0.2
# A follow-up asking what came next ("And who came after him?") ranks the sentence after the last answer, in
# its document, with this bonus: a ranking prior only, like SAME_DOCUMENT (docs/design.md)
FOLLOWING = 0.3
# ... and a request to read on ("Tell me more", "Go on") this much: the sentence after the last answer comes
# first, however little it matches the topic (the candidates always hold it: service._stepped_to)
READ_ON = 10.0
# A follow-up asking a figure, a date or a place of what was just answered ranks the sentences under that
# answer's heading path, in its document, with this bonus: a ranking prior only (docs/design.md)
SAME_SECTION = 0.1


# The reader learned from SQuAD's sentences, every one closed by a full stop or the like. A unit that is not
# one (a slide's bullet "Support tickets up 35% after launch", a table row, a line of notes) is outside what it
# learned, and its "no" there is weak evidence: its logit counts at least this much. The personal files'
# end-to-end 0.750 -> 0.783 (two right answers withheld at 0.16 and 0.12), everyday notes 0.812 -> 0.875;
# the development set's genres, SQuAD split A, the seeds and the conversations unchanged; -3 changed nothing,
# -1 gave one more wrong FAQ answer (docs/benchmarks.md)
UNCLOSED_READER_FLOOR = -2.0
_CLOSED = re.compile(r"[.!?:;\"'\u201d)]\s*$")


def reading_logit(logit: float, text: str) -> float:
    """The reader's logit as the confidence uses it: at least UNCLOSED_READER_FLOOR for a unit that does not
    end as a sentence does."""
    return logit if _CLOSED.search(text) else max(logit, UNCLOSED_READER_FLOOR)


class CrossEncoder(Protocol):
    def logits(self, question: str, sentences: Sequence[str]) -> np.ndarray: ...


def for_reader(heading: str, text: str) -> str:
    """What the reader reads of a sentence: the sentence after its innermost heading ("Rent and deposit:
    Item: Deposit; Amount: £1,326"), which says what a short sentence or a table row is about. Not the whole
    path: the document's title and outer headings name the topic that questions the documents do not answer
    share with them too (docs/benchmarks.md)."""
    return with_context(heading.rsplit(HEADING_SEPARATOR, 1)[-1], text)


def verdict(confidence: float, threshold: float) -> Verdict:
    if confidence >= threshold:
        return Verdict.ANSWERED
    return Verdict.NOT_SURE if confidence >= MAYBE else Verdict.ABSTAINED


# a sentence that points back may take the number it is about from this many sentences before it in its paragraph
PARAGRAPH_BEFORE = 6
HEADING_DATE_MISS = 0.5  # the type miss of a sentence dated only by a heading above it, for a "when" question


def under_dated_heading(path: str) -> bool:
    """Is one of the headings above a sentence a release's that gives its date ("0.27.1 (27th August,
    2024)"), or an entry's that opens with its date ("12 April 2020 - 42,310 miles", `dated_entry`)? What is
    under it came out, or happened, then. A date in any other heading (an e-mail's subject, "Appointment
    confirmation - Tuesday 18 November") dates nothing under it: the signature under that subject does not
    say when the appointment is."""
    return any(dated_release(part) or dated_entry(part) for part in path.split(HEADING_SEPARATOR)) if path else False


# the heading of a list of works cited: "References", "Bibliography", "7 Works Cited", "Further reading"
_REFERENCES = re.compile(
    r"(?:\d+(?:\.\d+)*\.?\s+)?(?:references|bibliography|works\s+cited|literature(?:\s+cited)?|"
    r"cited\s+(?:works|literature)|further\s+reading|reference\s+list)",
    re.I,
)
# a question about what was written or published, which a list of references answers ("Who wrote ...?", "Which
# paper introduced ...?", "When was it published?")
_ASKS_SOURCES = re.compile(
    r"\b(?:who\s+(?:wrote|authored|published|edited)|authors?|cit(?:e[sd]?|ing|ation)|references?|papers?|"
    r"articles?|journals?|publish\w*|books?|doi|isbn|bibliograph\w*)\b",
    re.I,
)


def under_references(path: str) -> bool:
    """Is one of the headings above a sentence a list of works cited's ("References")?"""
    return any(_REFERENCES.fullmatch(part.strip()) for part in path.split(HEADING_SEPARATOR)) if path else False


# a heading that names a list of releases without a version: "D. CxxTest Releases", "Release History", "Change
# Log", "What's New" (a project's history is read under it when its versions are no headings of their own)
_RELEASES = re.compile(
    r"(?:[A-Z\d]{1,3}[.)]?\s+)?(?:[\w.-]+\s+)?(?:releases|release\s+(?:notes|history)|change\s*log|version\s+history|"
    r"what['\u2019]?s\s+new)",
    re.I,
)


def under_release(path: str) -> bool:
    """Is one of the headings above a sentence a release's ("Hatch history › 1.10.0 - 2024-05-02 › Added")?"""
    return any(release_heading(part) for part in path.split(HEADING_SEPARATOR)) if path else False


def in_release_notes(path: str) -> bool:
    """Is a sentence a release's note: under a release's heading, or a list of releases' ("D. CxxTest
    Releases", whose versions are no headings of their own)?"""
    return under_release(path) or (bool(path) and any(_RELEASES.fullmatch(p.strip()) for p in path.split(HEADING_SEPARATOR)))


def dated_by_heading(path: str, question: str) -> bool:
    """Does a heading above a sentence say when, for a "when" question? A dated release's or entry's does
    (`under_dated_heading`); under a release heading that gives no date ("Changes › Version 7.0") the release
    itself answers when something happened ("When did Click add native Zsh completion?": in 7.0), but not
    under which condition something happens ("When does \\IfBlankTF return true?")."""
    return under_dated_heading(path) or (asks_when_it_happened(question) and under_release(path))


def paragraph_before(sentence: Callable[[int], Sentence], i: int) -> list[str]:
    """The texts of the sentences before sentence `i` in its paragraph, nearest first (at most PARAGRAPH_BEFORE)."""
    own = sentence(i)
    found = []
    for j in range(i - 1, max(-1, i - 1 - PARAGRAPH_BEFORE), -1):
        before = sentence(j)
        if (before.doc, before.paragraph) != (own.doc, own.paragraph):
            break
        found.append(before.text)
    return found


def type_misses(
    question: str,
    texts: list[str],
    heading: Callable[[int], str] | None = None,
    continues: np.ndarray | None = None,
    earlier: Callable[[int], list[str]] | None = None,
    leads_into_code: Callable[[int], bool] | None = None,
    kind: str | None = None,
) -> np.ndarray:
    """Per sentence: 1.0 when the question asks for a kind of answer (number, date, ...) and the sentence
    holds nothing of that kind, or when the sentence is itself a question (it asks, it does not state: a
    FAQ's questions and a text's rhetorical ones match a question's words best of all), or when it lacks a
    number the question names ("Python 3.11": it is about another version) and so does its heading path
    (`heading(i)`, where given: a changelog's entries name their version and date only in the heading above
    them, "0.27.1 (27th August, 2024)"; such a release's date there counts half for a "when" question, as does a
    log entry's ("3 May 2021 — 51,870 miles") and the release for one asking when something happened:
    HEADING_DATE_MISS, `dated_by_heading`), and, for a
    sentence that points back ("This release contained 474 packages"), the sentences before it in its
    paragraph (`earlier(i)`, where given: "Debian 1.1 Buzz (June 17th, 1996): This was the first Debian
    release with a code name." opens the paragraph it is about),
    or when it says nothing but the question's words and a date (that release's own heading) and the
    question asks no date, or, for a how-to question, that it is needed or done ("Flask is now installed."),
    or that an example follows, an example it is not shown with (`leads_into_code(i)`,
    where given: the code block it leads into is), else 0.0."""
    kind = kind or expected_type(question)
    # a date may stand in the heading path too: a changelog's entries are dated by their release's heading
    names = names_used(texts) if kind in ("name", "place") else frozenset()
    own = [has_type(kind, t, question, names) for t in texts]
    holds = [
        h or (kind == "date" and heading is not None and dated_by_heading(heading(i), question)) for i, h in enumerate(own)
    ]
    if kind == "code" and not any(holds):
        # "What class of ships ...", "What function is used ...": words that name code in a manual and other
        # things in prose; among candidates where no sentence shows code, they ask for no kind at all
        holds = [True] * len(texts)
    asked = asked_things(question)
    if asked:
        holds = [h and not refers_to_asked(asked, t) for h, t in zip(holds, texts)]
    wanted = figures(question)
    if wanted:

        def names_elsewhere(i: int) -> bool:  # its heading path, or the sentence it continues, names the number
            if heading is not None and not lacks_figure(wanted, heading(i)):
                return True
            if continues is not None and continues[i] >= 0 and not lacks_figure(wanted, texts[continues[i]]):
                return True
            return earlier is not None and points_back(texts[i]) and any(not lacks_figure(wanted, t) for t in earlier(i))

        holds = [h and not (lacks_figure(wanted, t) and not names_elsewhere(i)) for i, (h, t) in enumerate(zip(holds, texts))]
    holds = [
        h and not only_points_elsewhere(t, question) and not only_repeats_what_is_asked(t, question) and not swaps_roles(question, t)
        for h, t in zip(holds, texts)
    ]
    holds = [
        h
        and not (
            (
                only_announces_what_is_asked(t, question)
                or only_states_the_need(t, question)
                or only_reports_it_done(t, question)
            )
            and not (leads_into_code and leads_into_code(i))
        )
        and not negates_what_is_asked(t, question)
        for i, (h, t) in enumerate(zip(holds, texts))
    ]
    if kind != "date":
        holds = [h and not only_dates_what_is_asked(t, question) for h, t in zip(holds, texts)]
    misses = np.array([0.0 if h and not t.rstrip().endswith("?") else 1.0 for h, t in zip(holds, texts)], dtype=np.float32)
    # a date only in the heading path dates the sentence less plainly than one it states ("0.27.0 (21st
    # February, 2024)", the release's own heading, against an entry under it for "When was 0.27.0 released?")
    if kind == "date":
        misses[(misses == 0) & ~np.array(own, dtype=bool)] = HEADING_DATE_MISS
    return misses


_WORDS = re.compile(r"\w+")


def wording(text: str) -> tuple[str, ...]:
    """A sentence's words, case, width and punctuation aside: two copies of a file, or a line a changelog
    repeats, say the same thing in the same words."""
    return tuple(_WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


# A revision's edit that can change what a sentence says: a negation ("don't" reads as "don", "t")
_TURNING = frozenset("not no nor never t cannot none nothing without".split())
REVISED = 0.9  # the least share of words two versions of one sentence have in common, in order
_REVISED_WORDS = 8  # a shorter sentence changed by a word may say something else: it must be the same


def _revision(words: tuple[str, ...], other: tuple[str, ...]) -> difflib.SequenceMatcher | None:
    """The match of two sentences (their `wording`) when one is the other revised, as another version of a
    document holds it: at least 8 words, at least REVISED of them in common, in order; else None."""
    shorter, longer = sorted((len(words), len(other)))
    if shorter < _REVISED_WORDS or shorter < REVISED * longer:
        return None
    matcher = difflib.SequenceMatcher(None, words, other, autojunk=False)
    return matcher if matcher.ratio() >= REVISED else None


def agrees(words: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Do two sentences (their `wording`) say the same thing? The same words, or one version of the other
    in another version of its document ("a pair of Pungsan dogs" in report.txt, "a pair of Pungsan hunting
    dogs" in report_v2.txt: `_revision`) with no edit that changes a number or a negation (then the versions
    answer differently, and are rivals)."""
    if words == other:
        return True
    matcher = _revision(words, other)
    if matcher is None:
        return False
    edited = [w for tag, i, j, k, m in matcher.get_opcodes() if tag != "equal" for w in words[i:j] + other[k:m]]
    return not any(w in _TURNING or any(c.isdigit() for c in w) for w in edited)


NEWER = 86_400 * 10**9  # nanoseconds: a version of a file modified more than a day after another is the newer one


def newest_version_first(order: list[int], texts: list[str], modified: Callable[[int], int] | None) -> list[int]:
    """`order` (best first) with the newest version of its top sentence first: of the candidates that are the
    top sentence in another version of its document, the same or revised (`_revision`: "25 days" in
    policy_2023.pdf, "27 days" in policy_2024.pdf), the one whose file was modified last, when that is more
    than a day after the top's file (`modified(candidate)`: nanoseconds). Files copied or unpacked together
    carry about the same time, and their order stays the ranking's."""
    if modified is None or len(order) < 2:
        return order
    words = wording(texts[order[0]])
    versions = [i for i in order[1:] if (other := wording(texts[i])) == words or _revision(other, words) is not None]
    if not versions:
        return order
    newest = max(versions, key=modified)
    if modified(newest) - modified(order[0]) <= NEWER:
        return order
    return [newest, *(i for i in order if i != newest)]


def rivals(question: str, texts: list[str], first: int | None = None) -> np.ndarray:
    """Per candidate: could it be another answer than the one at `first`? Not the same sentence found again
    (another copy of its file, a line repeated, the sentence in another version of its document: `agrees`),
    which agrees with it. Not a sentence that takes the thing asked for as already known ("The canine gift
    came after ..." for "What gift did Kim give?", `presupposes_asked`): it follows on from an answer rather
    than competing with it, so the margin of the top sentence's lead does not count it. Every other
    candidate, for a question that asks for no thing."""
    head = asked_head(question)
    rival = np.array([not (head and presupposes_asked(head, t)) for t in texts], dtype=bool)
    if first is not None:
        same = wording(texts[first])
        rival &= np.array([not agrees(wording(t), same) for t in texts], dtype=bool)
    return rival


def distinct(order: Sequence[int], texts: list[str], limit: int | None = None) -> list[int]:
    """The first `limit` of `order` without a candidate that an earlier one already said (`agrees`: its
    first, best-ranked copy or version stays)."""
    kept: list[int] = []
    said: list[tuple[str, ...]] = []
    for i in order:
        if limit is not None and len(kept) >= limit:
            break
        words = wording(texts[i])
        if not any(agrees(words, other) for other in said):
            said.append(words)
            kept.append(i)
    return kept


def unrepeated_first(order: list[int], texts: list[str], depth: int) -> list[int]:
    """`order` (best first) with its first `depth` different statements first: a copy of a better candidate
    (the same manual as HTML and as PDF, a file and its backup, a line a changelog repeats) or a version of
    it (`agrees`) waits behind them, so that the ranker compares `depth` different sentences rather than one
    sentence twice. Nothing is dropped: `newest_version_first` still finds the versions."""
    head = distinct(order, texts, depth)
    first = set(head)
    return head + [i for i in order if i not in first]


def top_and_second(scores: np.ndarray, first: int, rival: np.ndarray | None = None) -> tuple[float, float]:
    """The score of the sentence ranked first and the best score of any other candidate (of those `rival`
    marks, where given; 0 if none)."""
    others = np.ones(len(scores), dtype=bool) if rival is None else rival.copy()
    others[first] = False
    return float(scores[first]), float(scores[others].max()) if others.any() else 0.0


# A sentence that continues the one before it (Candidates.continues: "He called it packet switching" after a
# sentence about Davies) scores at least that one's score less this: it is about what that one is about,
# and the type check and the ranker then choose between them. SQuAD split A ans@1 0.826 -> 0.839 with 0.05,
# 0.836 with 0.1 and 0.15, 0.831 with 0.2 (docs/benchmarks.md)
CONTINUATION = 0.05


def takes_follow_up_shift(turn: Turn, unseen: tuple[str, ...]) -> bool:
    """Does the confidence take the follow-up shift (`Calibration.w_follow_up`)? It says a follow-up's own few
    words match the sentence that answers it less well than a question standing alone, the conversation
    saying the rest. Not when one of those words is one the documents never hold (that is why they match
    less well), nor when the conversation has found nothing yet (its topic abstained on: "How much does it
    cost?" after "When is the car insurance due?" in a folder with no car insurance)."""
    return turn.follow_up and turn.near is not None and not unseen


def score(candidates: Candidates, calibration: Calibration, miss: np.ndarray | None = None) -> np.ndarray:
    p, lex = calibration.passage_weight, calibration.lexical_weight
    s = (1.0 - p) * candidates.sentence_sim + p * candidates.passage_sim + lex * candidates.lexical
    if candidates.continues is not None:
        s = inherited(s, candidates.continues)
    if miss is not None and calibration.type_weight:
        s = s - calibration.type_weight * miss
    return s


def inherited(scores: np.ndarray, continues: np.ndarray) -> np.ndarray:
    """Each score raised to the score of the candidate it continues less CONTINUATION, where that is higher."""
    linked = continues >= 0
    if not linked.any():
        return scores
    base = np.asarray(scores, dtype=np.float64)
    out = base.copy()
    out[linked] = np.maximum(base[linked], base[continues[linked]] - CONTINUATION)
    return out


def one_statement(continues: np.ndarray | None, first: int) -> np.ndarray | None:
    """Per candidate: is it the sentence the one at `first` continues, or one continuing it? The two say one
    thing between them and are not rivals for the confidence's margin; None where nothing was looked up."""
    if continues is None:
        return None
    together = continues == first
    if continues[first] >= 0:
        together[continues[first]] = True
    return together


NAMED_ANCHORS = 8  # the best candidates looked at for the item on the name a question steps from
ALIKE = 2  # the words besides the name that two items of one list share at least ("... led Debian from ...")


def step_from_name(
    question: str, order: list[int], scored: list[int], ids: np.ndarray, texts: list[str], item: Callable[[int], Sentence]
) -> tuple[list[int], int | None]:
    """`order` with the item after (before) the one on a name first, and that anchor's position (None, and
    `order` as it is, where no step is taken), for a question asking what came after
    (before) it ("Who led Debian after Ian Murdock?": "Bruce Perens led Debian from April 1996 until December
    1997." after "Ian Murdock founded Debian in August 1993 and led it until March 1996."). The anchor is the
    best of the first NAMED_ANCHORS candidates, as `scored` ranks them (before the ranker, which prefers a
    sentence on the name alone: "Ian Murdock ... died in December 2015"), that holds the name and whose
    neighbour in its document is a candidate too, under the same headings but in a paragraph of its own (a
    list's next item: not the sentence going on, nor the next section's first after the list's last item),
    sharing ALIKE words besides the name with it."""
    step, name = named_step(question)
    if not step:
        return order, None
    named = set(content_words(name))
    position = {int(i): k for k, i in enumerate(ids)}
    for k in scored[:NAMED_ANCHORS]:
        words = set(content_words(texts[k]))
        neighbour = position.get(int(ids[k]) + step)
        if not named <= words or neighbour is None:
            continue
        here, there = item(k), item(neighbour)
        if there.doc == here.doc and there.heading == here.heading and there.paragraph != here.paragraph:
            if len((set(content_words(texts[neighbour])) & words) - named) >= ALIKE:
                return [neighbour] + [i for i in order if i != neighbour], k
    return order, None


def answer(
    question: str,
    candidates: Candidates,
    texts: list[str],
    sentence: Callable[[int], Sentence],
    calibration: Calibration,
    threshold: float,
    limit: int = 10,
    reader: CrossEncoder | None = None,
    ranker: Callable[[], CrossEncoder | None] | None = None,
    turn: Turn = Turn(),
    modified: Callable[[int], int] | None = None,
    gone: frozenset[int] = frozenset(),
) -> Answer:
    """Rank (the ranker, fetched only when needed, reordering the closest candidates when the calibration
    says so), score the confidence (with the reader's logit for the top sentence), decide whether to answer.
    `texts` are the candidates' texts; `sentence(id)` fetches a sentence (with its heading path, where the
    store keeps one: the ranker reads it). `turn` is what the question's conversation adds: the reader
    reads its query (a follow-up with its topic), the ranker its focus (a follow-up's own words and what it
    points at); its `following` sentence is ranked up for a follow-up asking what came next; a follow-up's
    confidence is shifted (Calibration.confidence). `modified(id)` (a sentence's file's modification time,
    nanoseconds) puts the newest version of the top sentence first (`newest_version_first`). The sentences
    `gone` (ids: what a follow-up must not be answered with again) are left out once scored, so that a
    sentence continuing one of them keeps the score it inherits."""
    query, focus, following = turn.query or question, turn.focus or question, turn.following
    # a sentence (its heading path, its code), fetched once: the type check, the ranker and the reader may each
    # read it
    fetched = cache(sentence)

    def at(position: int) -> Sentence:  # the candidate at this position (of the candidates kept, below)
        return fetched(int(candidates.ids[position]))

    def heading(position: int) -> str:
        return at(position).heading

    miss = type_misses(
        question, texts, heading, candidates.continues, lambda k: paragraph_before(sentence, int(candidates.ids[k])),
        lambda k: at(k).code is not None, turn.expects,
    )  # fmt: skip
    scores = score(candidates, calibration, miss)
    if gone:  # left out after scoring: a sentence continuing one of them keeps what it inherits
        keep = np.array([int(i) not in gone for i in candidates.ids], dtype=bool)
        candidates, scores, texts = candidates.kept(keep), scores[keep], [t for t, k in zip(texts, keep) if k]
    if len(candidates.ids) == 0:
        return Answer(question, False, 0.0, [], query, threshold=threshold, unseen=candidates.unseen)
    ranking = scores if candidates.same_document is None else scores + SAME_DOCUMENT * candidates.same_document
    if not asks_about_releases(question):
        ranking = ranking - RELEASE_NOTE * np.array([in_release_notes(heading(i)) for i in range(len(texts))])
    if not _ASKS_SOURCES.search(question):
        ranking = ranking - REFERENCE_LIST * np.array([under_references(heading(i)) for i in range(len(texts))])
    what = asked_what_it_is(turn.about or question)
    if what is not None:
        thing, says = what
        ranking = ranking + DEFINITION * np.array([says(thing, t) for t in texts])
    defined = defined_term(turn.about or question)
    if defined:
        ranking = ranking + DEFINES * np.array([opens_with(defined, t) for t in texts])
    section = fetched(turn.near).heading if turn.same_section and turn.near is not None else ""
    if section and candidates.same_document is not None:  # a document without headings has no sections
        ranking = ranking + SAME_SECTION * np.array(
            [near > 0 and heading(i) == section for i, near in enumerate(candidates.same_document)]
        )
    if following is not None and candidates.same_document is not None:
        bonus = READ_ON if turn.reads_on else FOLLOWING
        ranking = ranking + bonus * ((candidates.ids == following) & (candidates.same_document > 0))
    order = [int(i) for i in np.argsort(-ranking, kind="stable")]
    scored = order  # as the scores and the priors rank them, before the ranker reads any
    if calibration.reranks:
        order = unrepeated_first(order, texts, calibration.rerank_depth)
    n = calibration.to_read(ranking[order])
    model = ranker() if n > 1 and ranker is not None else None
    if model is not None:
        # the ranker reads each sentence after its heading path, as the encoder did ("Line length: ...")
        shown = [with_context(heading(i), texts[i]) for i in order[:n]]
        order = calibration.rerank(order, ranking, model.logits(focus, shown)[:, RANK])
    if modified is not None:
        order = newest_version_first(order, texts, lambda i: modified(int(candidates.ids[i])))
    anchor = None
    if not turn.follow_up or turn.named_step:
        asked = turn.named_step or question
        order, anchor = step_from_name(asked, order, scored, candidates.ids, texts, at)
    logit = None
    if calibration.uses_reader and reader is not None:
        read = for_reader(heading(order[0]), texts[order[0]])
        # a follow-up naming what the documents never mention ("Can it retry over HTTP/3?" after "How many
        # times does wget retry by default?") is read without its topic question, which the sentence answers
        asked = focus if turn.follow_up and candidates.unseen else query
        logit = reading_logit(float(reader.logits(asked, [read])[0, ANSWER]), texts[order[0]])
    rival = rivals(question, texts, order[0])
    together = one_statement(candidates.continues, order[0])
    rival = rival if together is None else rival & ~together
    if anchor is None:
        top, second = top_and_second(scores, order[0], rival)
    else:  # the item stepped to is as sure as the one on the name that it follows: its lead over the others
        rival[order[0]] = False
        top, second = top_and_second(scores, anchor, rival)
    missing = candidates.missing_names
    elsewhere = missing(int(candidates.ids[order[0]])) if missing is not None else ()
    follow_up = takes_follow_up_shift(turn, candidates.unseen)
    confidence = calibration.confidence(top, second, logit, bool(candidates.unseen), bool(elsewhere), follow_up)
    shown_ids = distinct(order, texts, limit)
    chosen = [ScoredSentence(sentence(int(candidates.ids[i])), float(scores[i]), int(candidates.ids[i])) for i in shown_ids]
    top_sentence = chosen[0].sentence
    span = answer_span(question, top_sentence.text)
    located = (top_sentence.start + span[0], top_sentence.start + span[1]) if span else None
    decided = verdict(confidence, threshold)
    return Answer(
        question,
        decided is Verdict.ANSWERED,
        confidence,
        chosen,
        query,
        located,
        verdict=decided,
        threshold=threshold,
        unseen=candidates.unseen,
        elsewhere=elsewhere,
        read_on=turn.reads_on and following is not None and int(candidates.ids[order[0]]) == following,
    )
