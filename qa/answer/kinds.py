"""What kind of answer a question asks for, and whether a sentence holds anything of that kind.

Pure regular-expression rules. qa/answer/extract.py uses them as a ranking feature (its weight fitted on
training questions, not trusted blindly) and to locate the likely answer inside the top sentence."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from qa.ingest.formats.common import DATE, LINKS_SHOWN, VERSION
from qa.retrieve.lexical import AUXILIARY, STOPWORDS, normalize_term

NUMBER_WORDS = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"million|billion|trillion|dozen|dozens|hundreds|thousands|millions|half|several|few|pair|couple"
)
MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow"
UNITS = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century|millennia|millennium"

_NUMBER = re.compile(rf"\d|\b(?:{NUMBER_WORDS})\b", re.I)
# an age: "the 13-year-old", "aged 42", "at the age of 18", "two months old"
_ASKS_AGE = re.compile(r"\bhow\s+old\b", re.I)
_AGE = re.compile(
    rf"\b(?:\d+|{NUMBER_WORDS})[\s-]*(?:years?|months?|weeks?|days?)[\s-]*old\b|\baged?\s+(?:of\s+)?(?:\d|{NUMBER_WORDS})",
    re.I,
)
# "may" is the month only where written as one ("May 2013", "in May", "2 May"): "You may distribute" dated
# every licence's sentence for a "when" question
_MONTHS_BUT_MAY = MONTHS.replace("|may|", "|")
_MAY = r"(?-i:\bMay\b)(?=,?[ \t]+\d)|(?<=\d[ \t])(?-i:May\b)|(?<=\b(?:in|of|by) )(?-i:May\b)"
_YEAR = r"(?:1\d{3}|20\d{2})"  # a year: 1000 to 2099
_DATE = re.compile(
    rf"\b(?:{_YEAR}|\d{{1,2}}(?:st|nd|rd|th)|\d+s)\b|\b(?:{_MONTHS_BUT_MAY}|{DAYS})\b|{_MAY}|"
    rf"\b(?:century|centuries|decade|era|period|age|dynasty|season|spring|summer|autumn|winter|ago|since|until|"
    rf"during|after|before|later|earlier|early|late|mid)\b",
    re.I,
)
_DURATION = re.compile(rf"(?:\d|\b(?:{NUMBER_WORDS}|a|an|several|many)\b)[\s-]*(?:{UNITS})\b|\bsince\b|\buntil\b", re.I)
_MONEY = re.compile(
    r"[$€£¥]|\b(?:dollars?|euros?|pounds?|yen|yuan|rubles?|roubles?|won|cents?|usd|eur|gbp|price|cost|costs|"
    r"paid|budget|worth)\b",
    re.I,
)
_CALENDAR = re.compile(rf"(?:{MONTHS}|{DAYS})", re.I)
# a date written in figures: year first ("2024-05-02", "2019/07/10": a release's, a margin note's), or last
# ("17/06/1996", "17.06.1996"); not a version ("2021.4.4")
NUMERIC_DATE = (
    rf"\b{_YEAR}([-/])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])\b|"
    rf"\b(?:0?[1-9]|[12]\d|3[01])([-/.])(?:0?[1-9]|[12]\d|3[01])\2{_YEAR}\b"
)
# the numbers of a date: a year, an ordinal day, days beside a month ("14 to 28 July", "June 17"), a time of
# day ("08:00", "9:30 am")
_DATE_NUMBERS = re.compile(
    rf"{NUMERIC_DATE}|\b{_YEAR}\b|\b\d{{1,2}}(?:st|nd|rd|th)\b|"
    rf"\b\d{{1,2}}(?:\s*(?:-|\u2013|to|and)\s*\d{{1,2}})?\s+(?:{MONTHS})\b|\b(?:{MONTHS})\.?\s+\d{{1,2}}\b|"
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?",
    re.I,
)
# a heading that opens with a calendar date, as a log's, a diary's, a service record's or a history's entries do
# ("12 April 2020 - 42,310 miles", "Monday 4 March", "2024-05-02: release day", "June 3rd, 2021", "March 2024",
# "1996"), not one that mentions a date after its subject ("Appointment confirmation - Tuesday 18 November")
_OPENS_WITH_DATE = re.compile(
    rf"^\W*(?:(?:{DAYS}),?\s+)?(?:{NUMERIC_DATE}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b\.?,?(?:\s+{_YEAR}\b)?|"
    rf"(?:{MONTHS})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\b,?(?:\s+{_YEAR}\b)?|{_YEAR}\b)|{_YEAR}\b(?![.,]?\d))",
    re.I,
)
DATED_ENTRY_WORDS = 4  # words a dated entry's heading may have after its date ("- 42,310 miles")


def dated_entry(heading: str) -> bool:
    """Does a heading open with a date and say little else ("12 April 2020 - 42,310 miles")? The entries
    under it (a log's, a diary's, a service record's) happened then."""
    found = _OPENS_WITH_DATE.match(heading)
    return found is not None and len(re.findall(r"[^\W\d_]+", heading[found.end() :])) <= DATED_ENTRY_WORDS


_CAPITALIZED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
# a unit of one to four words in capitals and nothing else: a byline or a signature ("HAMILTON", "JOHN JAY.")
_IN_CAPITALS = re.compile(r"[A-Z][A-Z'.-]+(?:[ \t]+[A-Z][A-Z'.-]+){0,3}[.,]?")
# Things written as code: a command-line flag (--fast, -C), a setting (required=True), a snake_case or
# CONSTANT_CASE name, a call (getchar(), Client(...)), a dotted name (click.testing, ltxdoc.cls; not "e.g"),
# a CamelCase name (CliRunner), an extra (httpx[http2]), a LaTeX command (\sbox) or an HTTP header
# (X-Line-Length)
_CODE = re.compile(
    r"(?<![\w-])--?[A-Za-z][\w-]*|\b\w+=[\w.'\"-]+|\b[A-Za-z_][\w.]*\([^()]{0,40}\)|\b[A-Za-z_]\w*\(|\b[A-Za-z]\w*_\w+|"
    r"\b[A-Za-z_]\w+(?:\.[A-Za-z_]\w+)+\b|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b|\b[a-z]+[A-Z]\w*|"
    r"\b\w+\[[\w,-]+\]|\\[A-Za-z@]+|\b[A-Z][A-Za-z0-9]*(?:-[A-Z][A-Za-z0-9]*)+\b"
)

# (pattern on the question, answer type) - first match wins
_QUESTION_TYPES = [
    (re.compile(r"\bhow\s+much\b.*\b(?:cost|pay|paid|price|worth|spend|spent|charge)", re.I), "money"),
    (re.compile(r"\bhow\s+(?:old)\b", re.I), "number"),
    (re.compile(r"\bhow\s+(?:long|often)\b", re.I), "duration"),
    (re.compile(r"\bhow\s+(?:many|much|far|big|large|tall|high|deep|wide|fast|heavy)\b", re.I), "number"),
    (re.compile(r"\b(?:what|which)\s+(?:percentage|percent|proportion|number|amount|fraction)\b", re.I), "number"),
    (
        # "when" as the question's word ("When did …", "… founded when?"), not a clause ("What does it print
        # when an Abort is raised?")
        re.compile(
            r"^\W*(?:(?:and|but|so|then|also)\s+)?when\b|\bwhen\W*$|\b(?:since|until|till|from|by)\s+when\b|"
            r"\b(?:what|which)\s+(?:year|years|century|decade|date|day|month|time|era|period)\b",
            re.I,
        ),
        "date",
    ),
    (re.compile(r"\b(?:who|whom|whose)\b", re.I), "name"),
    # before "where": "Which environment variable changes where Black keeps its cache?" asks for a name in code
    (
        re.compile(
            r"\b(?:what|which)\s+(?:(?!(?:is|are|was|were|do|does|did|can|could|should|would|will|has|have|had)\b)[\w'./-]+\s+){0,3}?(?:flags?|options?|switch(?:es)?|environment\s+variables?|"
            r"(?:http\s+)?headers?|functions?|methods?|class(?:es)?|decorators?|exceptions?|modules?|commands?|extras?)\b",
            re.I,
        ),
        "code",
    ),
    (
        # "where" as the question's word, or after a verb ("Can you tell me where ...?"), not in a clause of a
        # question another word opens ("How do I make Valgrind show where a leak was allocated?", "What is
        # the expression set called where three integers are multiplied?")
        re.compile(
            r"^(?!\W*(?:(?:and|but|so|then|also)\s+)?(?:how|what|which|who|whom|whose|why|when)\b).*\bwhere\b|"
            r"\b(?:what|which)\s+(?:country|city|town|region|state|place|continent|island)\b",
            re.I,
        ),
        "place",
    ),
]
# where a document sends its reader: a web address, an e-mail address, a file's path ("/etc/debian_version",
# "~/.ssh/config"); for a "where" question in documentation as much a place as a city is
_LOCATION = re.compile(
    r"\b(?:https?|ftp)://[^\s<>\"')\]]*[^\s<>\"')\].,;:]|\bwww\.[\w-]+(?:\.[\w-]+)+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    r"(?<![\w/.])~?/(?:[\w.+-]+/)*[\w+-](?:[\w.+-]*[\w+-])?"
)


# the label an address follows in a list of links read as where they lead ("Documentation: https://...")
_LABEL_BEFORE = re.compile(r"(\w[\w ]{0,30}):\s*$")


def _located(sentence: str, question: str) -> re.Match[str] | None:
    """The first address or path in the sentence that the question does not hold; of several, the first
    whose label the question names ("Where is the documentation?" in "GitHub: https://...; Documentation:
    https://...")."""
    found = [m for m in _LOCATION.finditer(sentence) if m.group(0) not in question]
    if len(found) > 1:
        asked = _terms_of(question)
        for m in found:
            label = _LABEL_BEFORE.search(sentence, max(0, m.start() - 40), m.start())
            if label and any(normalize_term(w) in asked for w in label.group(1).split()):
                return m
    return found[0] if found else None


def expected_type(question: str) -> str | None:
    """'number', 'duration', 'money', 'date', 'name', 'place', 'code' or None (anything)."""
    for pattern, kind in _QUESTION_TYPES:
        if pattern.search(question):
            return kind
    return None


_OPENING = re.compile(r"^\W*([A-Z][a-z]+)\b")


def names_used(texts: list[str]) -> frozenset[str]:
    """The capitalised words these sentences use inside a sentence (not at its start, where every word is
    capitalised), stop words and months aside: names, as their documents write them."""
    return frozenset(
        m.group(0)
        for t in texts
        for m in _CAPITALIZED.finditer(t)
        if m.group(0).lower() not in STOPWORDS and not _CALENDAR.fullmatch(m.group(0))
    )


def has_type(kind: str | None, sentence: str, question: str = "", names: frozenset[str] = frozenset()) -> bool:
    """Does the sentence contain something of the expected kind (that the question does not already hold)?
    `names` (`names_used`) are words written as names elsewhere: one opening the sentence is a name too
    ("Josie: order the tools by 20 April." after "Present: ... Josie Park ...")."""
    if kind is None:
        return True
    if kind == "number" and _ASKS_AGE.search(question):
        return bool(_AGE.search(sentence))  # "How old was he?": an age, not any number ("Debian 9")
    if kind == "number":
        # a count or an amount: not a date's numbers, nor the numbers the question itself names
        rest = _DATE_NUMBERS.sub(" ", sentence)
        for pattern in figures(question):
            rest = pattern.sub(" ", rest)
        return bool(_NUMBER.search(rest))
    if kind == "duration":
        return bool(_DURATION.search(sentence))
    if kind == "money":
        return bool(_MONEY.search(sentence)) and bool(_NUMBER.search(sentence))
    if kind == "date":
        return bool(_DATE.search(sentence))
    if kind == "place":
        if _located(sentence, question):
            return True
        kind = "name"
    if kind == "name":
        asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
        if _IN_CAPITALS.fullmatch(sentence.strip()):  # a byline or a signature: "HAMILTON", "JOHN JAY."
            return any(w.lower() not in asked for w in sentence.split())
        opening = _OPENING.match(sentence)
        if opening and opening.group(1) in names and opening.group(1).lower() not in asked:
            return True
        # a month or a weekday is capitalised but names no one and nowhere
        return any(
            m.group(0).lower() not in asked and not _CALENDAR.fullmatch(m.group(0)) for m in _CAPITALIZED.finditer(sentence)
        )
    if kind == "code":
        return any(m.group(0) not in question and not _double_barrelled(m, sentence) for m in _CODE.finditer(sentence))
    return True


# a name of two capitalised parts joined by a hyphen has an HTTP header's shape ("Content-Type"); beside another
# capitalised word it is a person's or a place's name ("Marie Laure Delignette-Muller Université de Lyon", a
# paper's byline), no code
_HYPHENED = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)+")
_TITLE_WORD = re.compile(r"[A-Z][a-z]+\W*")


def _double_barrelled(found: re.Match[str], sentence: str) -> bool:
    if not _HYPHENED.fullmatch(found.group(0)):
        return False
    before = sentence[: found.start()].split()
    after = sentence[found.end() :].split()
    return bool(
        (len(before) > 1 and _TITLE_WORD.fullmatch(before[-1])) or (after and _TITLE_WORD.fullmatch(after[0]))
    )


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=256)
def figures(question: str) -> tuple[re.Pattern[str], ...]:
    """Patterns for the numbers a question names ("Python 3.11", "Debian 1.1", "in 2016"), each matching that
    number alone in a sentence ("3.11", not "3.1" or "13.11"). Cached: every candidate of a question asks."""
    return tuple(re.compile(rf"(?<![\d.,]){re.escape(f)}(?!\d|[.,]\d)") for f in dict.fromkeys(_FIGURE.findall(question)))


def lacks_figure(wanted: tuple[re.Pattern[str], ...], sentence: str) -> bool:
    """Does the sentence lack a number the question names? It is then about another version, year or amount."""
    return any(not pattern.search(sentence) for pattern in wanted)


_ASKED = re.compile(r"\b(?:which|what)\s+([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?", re.I)
SUBJECT_WORDS = 3  # words before the demonstrative: "Note that this function", "Unfortunately, these primitives"
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those)\s+([\w-]+)(?:\s+([\w-]+))?", re.I)


def _asked(question: str) -> list[str]:
    """The stems a "which/what <thing>" question names its thing with: the thing, after a name before it
    ("Which function ..." -> ["function"], "Which Debian release ..." -> ["debian", "releas"]); none for "What
    is ...", "What does ..." (the auxiliaries are stop words)."""
    match = _ASKED.search(question)
    if match is None or match.group(1).lower() in STOPWORDS:
        return []
    first, second = match.groups()
    if first[0].isupper() and second and second.lower() not in STOPWORDS:
        return [normalize_term(first), normalize_term(second)]
    return [normalize_term(first)]


def asked_things(question: str) -> set[str]:
    """The stems of the thing a "which/what <thing>" question asks for, a name before it kept with it."""
    return set(_asked(question))


def asked_head(question: str) -> str:
    """The stem of the noun a "which/what <thing>" question asks for, without a name before it ("Which Debian
    release ..." -> "releas"); "" when it asks for no thing ("What is ...")."""
    named = _asked(question)
    return named[-1] if named else ""


# "The canine gift came after the pact" (for "What gift did Kim give?") opens with the thing asked for as
# something already known and says something else about it; "The gift was a pair of dogs", "The gift of two
# dogs", "The gift that ..." go on to say what it is
_STATES_WHAT = frozenset(
    "is are was were be been being called named means meant refers consists includes included contains "
    "contained comprises became becomes remains remained of that which who whose".split()
)


def presupposes_asked(head: str, sentence: str) -> bool:
    """Does the sentence open with "the" and the asked-for thing (after at most two modifiers), and go on with
    something other than what it is?"""
    words = re.findall(r"[\w'-]+", sentence[:200])
    if not head or len(words) < 3 or words[0].lower() != "the":
        return False
    for i in range(1, min(4, len(words) - 1)):
        if normalize_term(words[i]) == head:
            then = words[i + 1].lower()
            # "-ed" may open a clause that names it ("The cycle used here is called ..."): not counted
            return then not in _STATES_WHAT and not then.endswith("ed")
    return False


def refers_to_asked(asked: set[str], sentence: str) -> bool:
    """Does the sentence open by pointing at the asked-for thing with a demonstrative instead of naming it
    ("Note that this function will always read from the terminal" for "Which function reads one
    character?", "This release introduced systemd" for "Which Debian release first made systemd the
    default?"): the name is in another sentence."""
    for match in _DEMONSTRATIVE.finditer(sentence):
        if len(sentence[: match.start()].split()) > SUBJECT_WORDS:
            break  # later in the sentence it points back at what the sentence has named ("E203 ... these warnings")
        if any(word and normalize_term(word) in asked for word in match.groups()):
            return True
    return False


_SPAN_PATTERNS = {
    "number": re.compile(
        rf"[$€£]?\d(?:[\d,.]*\d)?(?:\s*(?:%|percent|million|billion|thousand))?|\b(?:{NUMBER_WORDS})\b", re.I
    ),
    "money": re.compile(
        r"[$€£¥]\s?\d(?:[\d,.]*\d)?(?:\s*(?:million|billion|thousand))?|\d(?:[\d,.]*\d)?\s*(?:dollars?|euros?|pounds?|yen|yuan|rubles?)",
        re.I,
    ),
    "duration": re.compile(rf"(?:\d(?:[\d,.]*\d)?|\b(?:{NUMBER_WORDS}|a|an|several|many))[\s-]*(?:{UNITS})\b", re.I),
    "date": re.compile(
        rf"{NUMERIC_DATE}|\b(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?|"
        # a decade ("the 1990s", "1060s"), centuries ("10th and 11th centuries"), a year, a time of day ("06:40")
        rf"\d{{3}}0s|\d{{1,2}}(?:st|nd|rd|th)(?:\s+(?:and|to|or)\s+\d{{1,2}}(?:st|nd|rd|th))?\s+centur(?:y|ies)|{_YEAR}|"
        rf"{DAYS})\b|\b\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\b\.?)?",
        re.I,
    ),
    "name": re.compile(r"\b[A-Z][\w'\u2019-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'\u2019-]*)*"),
    "code": _CODE,
}


# a capitalised word that names no one: an adverb or a participle opening the sentence ("Strictly speaking",
# "Starting in 1965"), a word of nationality or faith before a noun ("the Spanish inventor", "British engineer");
# not every "-an" or "-ian" word: "Brian said", "Christian wrote" name someone
_OPENING_WORD = re.compile(r"[A-Z][a-z]+(?:ly|ing)")
_NATIONALITY = re.compile(
    r"[A-Z][a-z]+(?:ish|ese)|(?:American|African|Asian|European|German|Mexican|Korean|Roman|Russian|Italian|Indian|"
    r"Canadian|Australian|Brazilian|Egyptian|Persian|Norwegian|Hungarian|Austrian|Belgian|Syrian|Iranian|Arabian|"
    r"Byzantine|Mongol|Mongolian|Arab|Arabic|Greek|French|Dutch|Swiss|Thai|Islamic|Jewish|Catholic|"
    r"Protestant|Muslim|Soviet|Israeli|Iraqi|Pakistani|Saudi|Nepali|Bengali|Slavic|Celtic|Nordic|Baltic|Atlantic)"
)


def _names_no_one(sentence: str, start: int, end: int) -> bool:
    word = sentence[start:end]
    if _OPENING_WORD.fullmatch(word) and not sentence[:start].strip(" \t\"'‘“("):
        return True
    return bool(_NATIONALITY.fullmatch(word) and re.match(r"\s+[a-z]", sentence[end:]))


# the words that lead into a place, just before its name ("in", "at", "to the", "from northern")
_LEADS_TO_PLACE = re.compile(
    r"\b(?:in|at|on|to|from|near|into|inside|outside|across|through|within|toward|towards|around|off|via|of)"
    r"(?:\s+(?:the|a|an|[a-z][\w-]*))?\s+$"
)


def _name_start(sentence: str, start: int, end: int) -> int | None:
    """Where a capitalised run really starts as a name: past the function words a sentence or clause opens
    with ("By this time", "The dogs"); None when nothing of it is a name, or it is only a month or a day."""
    for word in re.finditer(r"[\w'\u2019-]+", sentence[start:end]):
        if word.group(0).lower() not in STOPWORDS:
            rest = sentence[start + word.start() : end]
            return None if _CALENDAR.fullmatch(rest) else start + word.start()
    return None


def _question_names(question: str) -> list[re.Pattern[str]]:
    """The names a question gives (as a sentence's names are found, past its first word: "Ian Murdock",
    "Harold II"), each as a pattern finding its words one after another, case aside."""
    runs = [m.group(0) for m in _SPAN_PATTERNS["name"].finditer(question) if m.start() > 0]
    return [re.compile(r"\b" + r"\W+".join(map(re.escape, re.findall(r"\w+", run))) + r"\b", re.I) for run in runs]


def answer_span(question: str, sentence: str) -> tuple[int, int] | None:
    """Where in the sentence the answer most likely is, for questions that ask for a kind of thing
    (number, amount, duration, date, name): the first such span whose words the question does not hold."""
    kind = expected_type(question)
    if kind is None:
        return None
    place = kind == "place"
    if place:  # an address or a path the question does not hold, else a name
        located = _located(sentence, question)
        if located:
            return located.span()
        kind = "name"
    asked = {w.lower() for w in re.findall(r"\w+", question)}
    # a count or an amount is not a date's numbers ("in 1849", "June 17") nor a time of day
    dated = {(m.start(), m.end()) for m in _DATE_NUMBERS.finditer(sentence)} if kind in ("number", "money") else set()
    found = []
    for match in _SPAN_PATTERNS[kind].finditer(sentence):
        start: int | None = match.start()
        end = match.end()
        if kind == "name":
            start = _name_start(sentence, match.start(), end)
        if start is None:
            continue
        words = {w.lower() for w in re.findall(r"\w+", sentence[start:end])}
        if words and not words <= asked and (start, end) not in dated:
            found.append((start, end))
    if kind == "name" and len(found) > 1:
        # a capitalised word that only opens the sentence ("Strictly speaking", "Starting in ...") or describes
        # the noun after it ("the Spanish inventor") names no one: a name after it comes first
        named = [(start, end) for start, end in found if not _names_no_one(sentence, start, end)]
        found = named or found
        # a name that holds one the question gives ("The Debian Project was officially founded by Ian Murdock"
        # for "Who founded Debian?") is what the question is about, not its answer: another comes first
        given = _question_names(question)
        apart = [(s, e) for s, e in found if not any(name.search(sentence[s:e]) for name in given)]
        found = apart or found
    if kind == "name" and place and len(found) > 1:
        # "where": a name a place-word leads into ("... riding a white stallion in North Korea's Mount Paektu"),
        # not the sentence's subject ("Kim, a horseman, ...")
        for start, end in found:
            if _LEADS_TO_PLACE.search(sentence, max(0, start - 40), start):
                return start, end
    if kind == "number" and len(found) > 1:
        # "how many horses": prefer the number that directly counts a word of the question
        # ("30 grey thoroughbred horses"), not one across punctuation ("In 2022, a freight train")
        for start, end in found:
            following = re.match(r"\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", sentence[end:])
            if following and any(
                w.lower().rstrip("s") in {a.rstrip("s") for a in asked} for w in following.group(1).split()
            ):
                return start, end
    return found[0] if found else None


# "See below for more details.", "For more information, see callback-evaluation-order.", "To turn this off,
# see optional-value.", "Click here for full installation instructions.", "Check out the quickstart.": a sentence
# whose main clause sends the reader elsewhere states nothing itself
_POINTER = re.compile(r"^(?:[^,.;:]{0,80},\s*)?(?:please\s+)?(?:see|refer\s+to|click\s+here|check\s+out)\b", re.I)
# ... which is just what a question asking where to read about something wants
_ASKS_WHERE_TO_READ = re.compile(r"\b(?:where|documentation|docs|read|learn|details|information|more\s+about)\b", re.I)


# a paragraph of links read as where they lead ("GitHub: https://...; Documentation: https://...",
# `LINKS_SHOWN`) too only sends the reader elsewhere, unless the question asks for one of them
_ASKS_FOR_ADDRESS = re.compile(r"\b(?:link|url|address|website|site|page|repo|repository|source|github|homepage|home\s+page)s?\b", re.I)


def only_points_elsewhere(sentence: str, question: str) -> bool:
    if LINKS_SHOWN.fullmatch(sentence.strip()):
        return not (_ASKS_WHERE_TO_READ.search(question) or _ASKS_FOR_ADDRESS.search(question))
    return bool(_POINTER.match(sentence)) and not _ASKS_WHERE_TO_READ.search(question)


# what a sentence leading into an example says of it ("Here's a simple example of how to render a template:",
# "... looks something like this:", "So how do you register that blueprint? Like this:")
_ANNOUNCES = frozenset(
    normalize_term(w) for w in "example sample like follows following below here simple something snippet way so".split()
)


def only_announces_what_is_asked(sentence: str, question: str) -> bool:
    """Does the sentence lead into what follows it (it ends with a colon) and say nothing but the question's
    own words and that an example follows? The example is the answer, and the sentence states nothing
    itself: "Here's a simple example of how to render a template:" for "How do I render a template?", unless
    it is shown with its example (`extract.type_misses` asks). One that says more ("... is to use
    contextlib.ExitStack in the following way:") is left as it ranks."""
    if not sentence.rstrip().endswith(":"):
        return False
    return _says_only(sentence, _terms_of(question) | _ANNOUNCES)


# "Sometimes however you will need to disable autoescaping in templates.", "The first thing to do when you
# want to put some new commands in a file is to decide ...": a sentence that says someone needs or wants to do
# something sets up the way that follows; a later clause that tells what to do ("If you want X, use Y", "...
# You would run: ...") gives it
_NEEDS_TO = re.compile(r"\b(?:needs?|wants?|would\s+like|wish(?:es)?)\s+to\b|^\W*sometimes\b", re.I)
_TELLS_WHAT_TO_DO = re.compile(
    r"\b(?:use|using|set|setting|pass|run|call|add|install|enable|disable|specify|define|configure|provide|create|put)\b",
    re.I,
)


def only_states_the_need(sentence: str, question: str) -> bool:
    """For a question asking how to do something ("How do I turn off autoescaping in a template?"): does the
    sentence say only that one needs or wants to do it, with no code and no later clause telling what to do?
    It restates the question; the way is in the sentences after it."""
    need = _NEEDS_TO.search(sentence)
    if need is None or not _HOW_TO.match(question) or has_type("code", sentence, question):
        return False
    later = re.split(r"[,;:.]", sentence[need.end() :], maxsplit=1)
    return not (len(later) > 1 and _TELLS_WHAT_TO_DO.search(later[1]))


def only_reports_it_done(sentence: str, question: str) -> bool:
    """For a question asking how to do something ("How do I install Flask?"): does the sentence say nothing but
    the question's own words and small ones ("Flask is now installed.", after the command that does it)? It
    reports the thing done, not how; unless it is shown with code (`extract.type_misses` asks)."""
    if not _HOW_TO.match(question) or has_type("code", sentence, question):
        return False
    return _says_only(sentence, _terms_of(question))


# what a how-to question says when it asks how not to do something ("How do I stop grep ignoring case?", "How do
# I turn off colours?", "Can I run it without a config file?")
_ASKS_NOT = re.compile(
    r"\b(?:not|no|never|without|off|disabl\w*|stop\w*|prevent\w*|avoid\w*|suppress\w*|skip\w*|exclud\w*|unset"
    r"|cannot)\b|n['\u2019]t\b",
    re.I,
)
# what an entry that does the opposite of what is asked says after its names: "Do not ignore case distinctions
# ..." under "‘--no-ignore-case’", "Never verify ..." under "--no-verify:"
_NEGATED = re.compile(r"(?:do\s+not|don['\u2019]t|never)\s+(\w+)", re.I)


def negates_what_is_asked(sentence: str, question: str) -> bool:
    """For a question asking how to do something ("How do I make grep ignore case?"): is the sentence an entry
    that does the opposite ("‘--no-ignore-case’ Do not ignore case distinctions in patterns and input
    data.")? Its words are the question's, its meaning the reverse; not for a question asking how not to."""
    if not _HOW_TO.match(question) or _ASKS_NOT.search(question):
        return False
    found = _NEGATED.match(sentence, _entry_names(sentence)[1])
    return found is not None and normalize_term(found.group(1)) in _terms_of(question)


# "What does \\selectfont do?", "What is --line-ranges for?", "What does ssh -N mean?": asks what a thing written
# as code does or is; a reference's entry for it opens with it ("\\selectfont Selects a text font ...",
# "‘-c’ ‘--continue’ Continue getting a partially-downloaded file.")
_WHAT_DOES = re.compile(
    r"^\W*what\s+(?:is|are|does|do)\s+(?:an?\s+|the\s+)?(?:[\w.-]+\s+(?=-))?(\S+?)\s*"
    r"(?:(?:flag|option|switch|command|macro|function|method|class|setting|variable)\s*)?"
    r"(?:(?:do|does|mean|stand\s+for|for)\s*)?\?*\s*$",
    re.I,
)


ENTRY_ALIASES = 4  # the names an entry may open with: "‘-t NUMBER’ ‘--tries=NUMBER’" is three words


def defined_term(question: str) -> str:
    """The thing written as code that a "What does X do?" question asks about ("" for any other question)."""
    found = _WHAT_DOES.match(question)
    return found.group(1) if found and _CODE.fullmatch(found.group(1)) else ""


def _entry_names(sentence: str) -> tuple[list[str], int]:
    """The names a reference's entry opens with (at most ENTRY_ALIASES words written as code: "-0", "‘-t
    NUMBER’", "\\selectfont"; quotes and punctuation around them left out), and where the text after them
    starts: ([], its first word's offset) for a sentence that opens with none."""
    names: list[str] = []
    for found in re.finditer(r"\S+", sentence):
        word = found.group(0).strip("'\"‘’“”`,:;")
        if len(names) == ENTRY_ALIASES or not (word.startswith("-") or word.isupper() or _CODE.fullmatch(word)):
            return names, found.start()
        names.append(word)
    return names, len(sentence)


# "What is Flask?", "What's a package pool?", "What are virtual packages?", "What does NFSS stand for?": a question
# asking what a thing is, named in at most four words and nothing more
_WHAT_IS = re.compile(
    r"^\W*(?:what|who)(?:'s|\u2019s|\s+(?:is|are|was|were))\s+(?:(?:an?|the)\s+)?([^\s?]+(?:\s+[^\s?]+){0,3}?)\s*\?*\s*$"
    r"|^\W*what\s+(?:does|do)\s+(?:(?:an?|the)\s+)?([^\s?]+(?:\s+[^\s?]+){0,3}?)\s+(?:mean|stand\s+for)\s*\?*\s*$",
    re.I,
)
# what a sentence saying what that thing is goes on with: a copula and an article ("Flask is a lightweight WSGI
# web application framework.", "A package pool is just a collection of ...", "Black is fundamentally a command
# line tool.", after an alias: "Debian Edu aka Skolelinux is a Linux distribution ..."), an apposition ("Kim, a
# horseman, ..."), what it is for ("Click is designed to assist with ..."), or a verb that says what it stands
# for or does as a whole ("APT stands for ...", "Werkzeug implements WSGI ...", a licence's '"Contributor" shall
# mean ...'); not a judgement of what it is good for ("The application context is a good place to store ...",
# "... an excellent way of using ...", "... just an example")
_JUDGED = (
    r"(?!\s+(?:good|great|nice|bad|better|best|excellent|ideal|important|popular|common|useful|easy|convenient|handy"
    r"|perfect|example)\b)"
)
_DEFINING = (
    r"(?:\s*\([^()]{1,60}\))?(?:\s+(?:aka|a\.k\.a\.|also\s+(?:known|called)\s+as)\s+[\w.-]+(?:\s+[A-Z][\w.-]*)*)?"
    rf"(?:,?\s+(?:is|are|was|were)\s+(?:(?:just|simply|also|\w+ly)\s+)?(?:an?|the|one|any)\b{_JUDGED}"
    rf"|,\s+(?:an?|the)\b{_JUDGED}"  # "Kim, a horseman, ..."
    r"|,?\s+(?:is|are)\s+(?:(?:mainly|mostly|primarily)\s+)?(?:designed|used|meant|intended)\s+(?:to|for)\b"
    r"|,?\s+(?:means|shall\s+mean|refers\s+to|stands\s+for|implements|provides)\b)"
)


# the role a news story introduces a person by, at first mention, before the name
_ROLES = (
    r"leader|president|prime\s+minister|minister|chancellor|king|queen|emperor|pope|senator|governor|mayor|chair"
    r"|chairman|chairwoman|ceo|founder|co-founder|director|professor|dr\.|spokesman|spokeswoman|spokesperson"
    r"|secretary|general|ambassador|author|maintainer|inventor|coach|captain"
)
_ENDS_ASKING_MORE = frozenset("for of in on about with to from like at by".split())


def asked_definition(question: str) -> str:
    """The thing a "What is X?" question asks to have defined ("" for any other question, and for one whose
    X is no more than a pronoun: "What is it?")."""
    thing = _thing_asked(_WHAT_IS.match(question))
    if thing and thing.split()[-1].lower() in _ENDS_ASKING_MORE:  # "What is debug mode for?", "What is it like?"
        return ""
    return thing


def _thing_asked(found: re.Match[str] | None) -> str:
    """The thing a what-is question's pattern found, quotes aside ("What is `blackd`?"); "" where it found
    none, or only a pronoun ("What is it?")."""
    if not found:
        return ""
    thing = (found.group(1) or found.group(2)).strip("\"'`\u2018\u2019\u201c\u201d")
    return thing if any(w.lower() not in STOPWORDS for w in re.findall(r"\w+", thing)) else ""


def defines(thing: str, sentence: str) -> bool:
    """Does the sentence say what `thing` is: open with it (after "The", "A" or "An"; in quotes or not) and go
    on as a definition does (`_DEFINING`), or with a colon as a glossary's entry does; or give it as the short
    form of the words before it ("the 'New Font Selection Scheme' (NFSS)")? Its last word may be singular or
    plural ("What are virtual packages?": "A virtual package is a generic name ...")."""
    name = r"\s+".join(re.escape(w) for w in thing.split())
    *words, last = thing.split()
    if last.isalpha() and last.islower() and len(last) > 3:
        last = last[:-1] if last.endswith("s") and not last.endswith("ss") else last
        named = r"\s+".join([*(re.escape(w) for w in words), re.escape(last) + "(?:s|es)?"])
    else:
        named = name
    quoted = rf"[\"'\u2018\u201c]?{named}[\"'\u2019\u201d]?"  # a licence's 'A "patent license" is any ...'
    # after the article, a word may say which kind ("A dpkg trigger is a facility ..." for "What is a trigger?")
    if re.match(rf"^\W*(?:(?:the|an?)\s+(?:[\w-]+\s+)?)?{quoted}{_DEFINING}", sentence, re.I):
        return True
    if re.match(rf"^\W*{quoted}\s*:\s+\w", sentence, re.I):  # a glossary's entry: "test suite: A collection of ..."
        return True
    if thing[:1].isupper() and re.search(rf"\b(?:{_ROLES})\s+(?:[A-Z][\w'-]*\s+){{0,2}}{name}\b", sentence, re.I):
        return True  # a person introduced by their role: "North Korean leader Kim Jong Un", "President Vladimir Putin"
    return thing.isupper() and re.search(rf"[A-Za-z][\w\u2019']*\s*\({name}\)", sentence) is not None


# "What does debug mode do?", "What is the reloader for?": a question asking what a thing does, named in at most
# four words (one written as code is `defined_term`'s)
_WHAT_DOES_IT = re.compile(
    r"^\W*what\s+(?:does|do)\s+(?:(?:an?|the)\s+)?([^\s?]+(?:\s+[^\s?]+){0,3}?)\s+(?:do|does)(?:\s+exactly)?\s*\?*\s*$"
    r"|^\W*what(?:'s|\u2019s|\s+(?:is|are))\s+(?:(?:an?|the)\s+)?([^\s?]+(?:\s+[^\s?]+){0,3}?)\s+(?:used\s+)?for\s*\?*\s*$",
    re.I,
)
# what a sentence saying what a thing does goes on with, after it: a verb in the present ("The debugger allows
# executing ...", "The session object works like ...") or "will"/"can" and one ("The run command will start the
# development server."); not one that only says it is, has or does something ("is enabled", "has been removed")
_DOING = r"\s+(?:(?:also|only|then|now|still|always|usually|simply)\s+)?(?:(?:will|can)\s+[a-z]+|(?!(?:is|was|has|does|needs)\b)[a-z]+[^s\W]s)\b"


def asked_role(question: str) -> str:
    """The thing a "What does X do?" (or "What is X for?") question asks about, X not written as code ("" for
    any other question, and for "What does it do?")."""
    return "" if defined_term(question) else _thing_asked(_WHAT_DOES_IT.match(question))


def does_what(thing: str, sentence: str) -> bool:
    """Does the sentence say what `thing` does: say what it is (`defines`), or have it do something, opening
    the sentence or after an opening clause ("The debugger allows executing ...", "When using debug mode, the
    reloader will trigger whenever ..."), or say what enabling it does ("By enabling debug mode, the server
    will automatically reload ...")?"""
    if defines(thing, sentence):
        return True
    name = r"\s+".join(re.escape(w) for w in thing.split())
    if re.match(rf"^(?:[^,.;:]{{0,60}},\s+)?(?:(?:the|an?)\s+)?{name}{_DOING}", sentence, re.I):
        return True
    return re.match(rf"^\W*(?:by|when|with|after)\s+(?:enabling|using|turning\s+on)\s+(?:the\s+)?{name}\b", sentence, re.I) is not None


def asked_what_it_is(question: str) -> tuple[str, Callable[[str, str], bool]] | None:
    """For "What is X?" (`asked_definition`) or "What does X do?" (`asked_role`): X, and whether a sentence says
    what X is (`defines`) or does (`does_what`); None for any other question."""
    thing = asked_definition(question)
    if thing:
        return thing, defines
    role = asked_role(question)
    return (role, does_what) if role else None


def opens_with(term: str, sentence: str) -> bool:
    """Does the sentence open with the term, alone or among its aliases, as a reference's entry for it does
    ("\\selectfont Selects ...", "-l, --line-length: How many ...", "‘-0’ ‘--null’ Output a zero byte ...")?"""
    return term in _entry_names(sentence)[0]


# a question asking whether something holds opens with its verb ("Is Black fast?", "Does httpx support zstd?")
_ASKS_WHETHER = re.compile(rf"^\W*(?:am|{AUXILIARY})\b", re.I)


def only_repeats_what_is_asked(sentence: str, question: str) -> bool:
    """Does the sentence say nothing but the question's own words? An essay's byline ("HAMILTON") for "How
    does Hamilton define energy in the executive?", a title line standing as a unit: it tells the asker
    nothing they did not say. Not for a question asking whether something holds, which a sentence in its own
    words confirms ("Black is fast." for "Is Black fast?")."""
    if _ASKS_WHETHER.match(question) or not re.search(r"[^\W\d_]", sentence):
        return False
    # every word, small ones too: "The BOOL type accepts the values "on" and "off"."
    return _says_only(sentence, _terms_of(question), small_words=False)


# "What did Putin give Kim?": a thing one named party did to another. The subject is the name after the
# auxiliary, the verb the word after it, the other party a name after the verb
_DID_TO = re.compile(
    r"^\W*(?i:what|which)\b(?:\s+[\w-]+){0,2}?\s+(?i:did|does|do|will|would|could|can|has|have|had)\s+"
    r"((?:[A-Z][\w.'-]*\s+){1,4}?)([a-z]+)\b(.*)$"
)
_NAMED = re.compile(r"\b[A-Z][\w'-]*")
_PASSIVE_BEFORE = frozenset("am is are was were be been being get gets got gotten".split())


@lru_cache(maxsize=256)  # asked once per candidate sentence: parsed once
def _roles(question: str) -> tuple[frozenset[str], str, frozenset[str]] | None:
    """The subject's terms, the verb's and the other party's of a "What did Putin give Kim?" question (`_DID_TO`);
    None for a question of any other shape, or one naming no other party."""
    asked = _DID_TO.match(question)
    if asked is None or asked.group(2).lower() in STOPWORDS:
        return None
    subject, other = (frozenset(normalize_term(w) for w in _NAMED.findall(part) if w.lower() not in STOPWORDS) for part in asked.group(1, 3))
    other -= subject
    return (subject, normalize_term(asked.group(2)), other) if subject and other else None


def swaps_roles(question: str, sentence: str) -> bool:
    """Does the sentence say the reverse of what the question asks, the other party doing it to the
    question's subject ("Kim Jong Un gave Putin a pair of dogs" for "What did Putin give Kim?")? It does
    when it names the other party before the verb (in the active voice) and the subject only after it, not
    as its agent ("by Putin"). The encoder, the word match and both cross-encoders read the two alike."""
    roles = _roles(question)
    if roles is None:
        return False
    subject, verb, other = roles
    words = re.findall(r"[\w'-]+", sentence)
    found = [normalize_term(w) for w in words]
    if verb not in found:
        return False
    at = found.index(verb)
    if any(w.lower() in _PASSIVE_BEFORE for w in words[max(0, at - 2) : at]):
        return False
    before, after = set(found[:at]), found[at + 1 :]
    agent = {found[i + 1] for i in range(at, len(found) - 1) if words[i].lower() in ("by", "from")}
    return bool(other & before) and not subject & before and bool(subject & set(after)) and not subject & agent


# a question about releases: one that names a version ("0.27.1") or asks what changed, was added, removed,
# deprecated, fixed or released, since when, or what is new; first the words that name a release or a move
# between releases, which a how-to question asks of releases too (`_NAMES_RELEASES`)
_RELEASE_NAMES = r"releas\w*|versions?|changelog|history|upgrad\w*|migrat\w*|what's\s+new|new\s+in"
_ASKS_RELEASE = re.compile(
    rf"\b(?:{_RELEASE_NAMES}|chang\w*|add(?:ed|s)?|remov\w*|deprecat\w*|fix\w*|introduc\w*|drop\w*|since|when|break\w*)\b",
    re.I,
)
_WHEN_IT_HAPPENED = re.compile(r"\bwhen\s+(?:did|was|were|had|has|have)\b", re.I)


def asks_when_it_happened(question: str) -> bool:
    """Does a "when" question ask when something happened ("When did Click add native Zsh completion?",
    "When was it added?"), which the release that did it answers, rather than under which condition
    something happens or when it will ("When does \\IfBlankTF return true?", "When will 3.0 be released?")?"""
    return bool(_WHEN_IT_HAPPENED.search(question))


# "How do I change the line length?", "Can I add a plugin?": asks how to do it, where "change" and "add" are what
# the asker does, not what a release did
_HOW_TO = re.compile(
    r"^\W*(?:(?:and|so|but)\s+)?(?:how\s+(?:do|can|could|would|should|to)\b|(?:can|could|may)\s+(?:i|you|we|one)\b)", re.I
)
# ... unless it names a release or a move between them all the same ("How do I migrate from 7.x?")
_NAMES_RELEASES = re.compile(rf"\b(?:{_RELEASE_NAMES})\b", re.I)


def asks_about_releases(question: str) -> bool:
    """Does the question ask about a release, or what changed in one? A changelog's entries answer it; any
    other question is asked of the documentation they change. A question asking how to do something asks it
    of the documentation even when it says "change", "add" or "remove", unless it names a version or a release."""
    if VERSION.search(question):
        return True
    return bool((_NAMES_RELEASES if _HOW_TO.match(question) else _ASKS_RELEASE).search(question))


_RELEASED = frozenset(normalize_term(w) for w in ("version", "v"))


def only_dates_what_is_asked(sentence: str, question: str) -> bool:
    """Does the sentence say nothing but the question's own words and a date? A release's heading ("0.27.0
    (21st February, 2024)") answers when that version came out, and nothing else asked about it ("What
    changed in 0.27.0?"). A line under it that says "Released 2023-07-18" is left as it ranks: it stands
    among the release's entries."""
    rest = _DATE.sub(" ", DATE.sub(" ", sentence))
    if rest == sentence:
        return False
    return _says_only(rest, _terms_of(question) | _RELEASED)


def _says_only(text: str, terms: frozenset[str], small_words: bool = True) -> bool:
    """Is every word of the text one of these (normalized) terms, or (with `small_words`) a stopword?"""
    return all((small_words and w.lower() in STOPWORDS) or normalize_term(w) in terms for w in re.findall(r"\w+", text))


@lru_cache(maxsize=64)
def _terms_of(question: str) -> frozenset[str]:  # asked once per candidate sentence: read once
    return frozenset(normalize_term(w) for w in re.findall(r"\w+", question))


# "Who led Debian after Ian Murdock?", "Which company hosted the server after HP?", "What came before Norman
# in England?": the answer follows (precedes) the sentence on the name, in a history or a list run in order.
# The name ends the question or a place or time follows it; not "named after", not an event ("after Ian
# Murdock resigned": the question asks about what happened then, in the same sentence as often as not)
AFTER_WORDS = "after|following|succeeded|followed"  # what came next (`conversation.sequence_step` too)
BEFORE_WORDS = "before|preceded"  # what came before
_AFTER_NAME = re.compile(
    rf"(?<!named\s)(?<!called\s)\b(?:(?P<after>{AFTER_WORDS})|(?P<before>{BEFORE_WORDS}|preceding))\s+"
    r"(?:by\s+)?(?P<name>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})(?=\W*$|\s+(?:in|at|on|as|for|of)\s)"
)
# "Who was succeeded by Ian Jackson?" asks for the one before him
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been)\s+(?:succeeded|followed|preceded)\s+by\b", re.I)


def named_step(question: str) -> tuple[int, str]:
    """(+1, name) for a question asking what came after a name ("Who led Debian after Ian Murdock?"), (-1,
    name) for before it, (0, "") otherwise."""
    found = _AFTER_NAME.search(question)
    if found is None:
        return 0, ""
    step = 1 if found["after"] else -1
    return (-step if _PASSIVE.search(question) else step), found["name"]
