"""A question's typing slips, read as the word the documents use ("Pungsen" as "Pungsan", "quootes" as
"quotes").

A slip costs more than its word: a word no sentence holds says the question is about something the documents
never mention (lexical.unseen_words), so a question with one slip was abstained on about twice as often
(`eval/bench_typos.py`). A word is read as another only when all of these hold:

- it has four letters or more (three, not in capitals: then only a letter added or two swapped count), no
  digit, and is no stop word;
- no sentence of the documents holds its term, and it is not an ordinary English word (lexical.common_stems):
  "present" for "gift" is a paraphrase, not a slip;
- one edit that keeps its first letter (a letter dropped, added, replaced, or two neighbours swapped) makes it
  a word whose term the documents hold, or a stop word ("wich"). Of several, the stop word, else the term most
  sentences hold.

A name the documents never use that is not one edit from one they do ("Jinping") stays as typed, and still
counts as unseen. The search, the ranker, the reader and the conversation read the corrected question; the
answer says what was read as what."""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.retrieve.lexical import STOPWORDS, common_stems, common_words, content_words, normalize_term

MIN_LENGTH = 4  # below it, one edit from a word is another word too often ("gpu", "gnu"): see correction
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_QUESTION_WORDS = frozenset("what which who whom whose when where why how".split())


def one_edit(word: str) -> list[str]:
    """Every string one edit from `word` that keeps its first letter (a slip seldom hits it, and a name that
    differs there is another name: "Cython", "Python"), lowercase ASCII letters inserted or replaced; the
    likelier slips first: a letter dropped, two swapped, one replaced, one added."""
    splits = [(word[:i], word[i:]) for i in range(1, len(word) + 1)]
    dropped = [a + b[1:] for a, b in splits if b]
    swapped = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]]
    replaced = [a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]]
    added = [a + c + b for a, b in splits for c in _LETTERS]
    return list(dict.fromkeys(dropped + swapped + replaced + added))


def _cased(fix: str, typed: str) -> str:
    if typed.isupper():
        return fix.upper()
    return fix[:1].upper() + fix[1:] if typed[:1].isupper() else fix


_ENDINGS = ("s", "es", "ed", "d", "ing", "er", "ly")


def _inflected(word: str, known: frozenset[str]) -> bool:
    """A known word with a regular ending ("tabs", "quoted"): the encoder's vocabulary holds few inflections."""
    for ending in _ENDINGS:
        base = word.removesuffix(ending)
        if base != word and len(base) >= 3 and (base in known or base + "e" in known):
            return True
    return False


def correction(word: str, frequencies: Callable[[list[str]], dict[str, int]], name: bool = False) -> str | None:
    """What `word` (a word the documents do not hold, not an ordinary English word; `name`: capitalised inside
    the question, or with an inner capital) was meant to be, or None. `frequencies(terms)` gives how many
    sentences hold each term (absent: none). An edit counts when it is a word the encoder knows (or one with a
    regular ending: "tabs"), a word the stemmer leaves whole (a name), or one whose term is one edit from the
    typed word's; not a made-up word whose suffix the stemmer strips ("hyperref" -> "hyperred" -> "hyper")."""
    edits = one_edit(word.lower())
    if len(word) < MIN_LENGTH:  # three letters: a letter left out or two swapped ("nws", "teh"), as replacing
        edits = [e for e in edits if len(e) > len(word) or sorted(e) == sorted(word.lower())]  # one is another word
    if not name:  # "wich", "Wich breed...", not a name ("Theo" is no "the")
        stops = [e for e in edits if e in STOPWORDS]
        if word[0].isupper():  # the question's first word, a question word: "Wich" is "Which", not "With"
            stops.sort(key=lambda e: e not in _QUESTION_WORDS)
        if stops:
            return _cased(stops[0], word)
    known = common_words()
    near = set(one_edit(normalize_term(word)))
    by_term: dict[str, list[str]] = {}
    for edit in edits:
        term = normalize_term(edit)
        if edit in known or _inflected(edit, known) or term == edit or term in near:
            by_term.setdefault(term, []).append(edit)
    held = {term: n for term, n in frequencies(sorted(by_term)).items() if n > 0 and term in by_term}
    if not held:
        return None
    best = max(held, key=lambda term: (held[term], term))
    # of two spellings of it ("characterized", "charactered"), the one the encoder knows
    spelled = next((e for e in by_term[best] if e in known), by_term[best][0])
    return _cased(spelled, word)


def _long_enough(word: str) -> bool:
    """Four letters or more; or three, not in capitals ("GPU" is a name, "nws" may be "news")."""
    return len(word) >= MIN_LENGTH or (len(word) == MIN_LENGTH - 1 and not word.isupper())


def suspects(question: str, frequencies: Callable[[list[str]], dict[str, int]]) -> list[tuple[str, bool]]:
    """The question's words that may be slips, each with whether it is name-like (lexical.content_words: no
    stop word, no contraction, a possessive without its 's): long enough, letters only, their term held by
    no sentence and not an ordinary English word."""
    words = {t: (w, name) for t, (w, name) in content_words(question).items() if _long_enough(w) and w.isalpha()}
    if not words:
        return []
    held = frequencies(sorted(words))
    common = common_stems()
    return [word for t, word in words.items() if not held.get(t, 0) and t not in common]


# contractions typed without their apostrophe ("Why doesnt it start?"): read as a word no sentence holds, "doesnt"
# made the question look as if it asked about something the documents never mention (its confidence 0.03),
# and "isnt" was read as the slip it is one edit from ("int"). Those that are words without it ("well", "its",
# "lets", "ill", "were", "shell") are left out; "cant" and "wont" are in: a question hardly means them.
_UNWRITTEN = {
    word.replace("'", "").lower(): word
    for word in """don't doesn't didn't isn't aren't wasn't weren't can't couldn't won't wouldn't shouldn't
    hasn't haven't hadn't mustn't needn't what's that's who's where's how's there's here's I'm I've you're
    you've they're they've we've it'll""".split()
}


def _apostrophes(question: str) -> dict[str, str]:
    """The question's contractions typed without their apostrophe, each with how it is written; not a word in
    capitals ("IM" is a name)."""
    found = re.findall(r"(?<![\w'\u2019])[A-Za-z]+(?![\w'\u2019])", question)
    return {w: _cased(_UNWRITTEN[w.lower()], w) for w in found if w.lower() in _UNWRITTEN and not w.isupper()}


# British and American spellings of one word, each way ("customise"/"customize", "behaviour"/"behavior",
# "defence"/"defense", "centre"/"center", "catalogue"/"catalog", "travelled"/"traveled", "judgement"/"judgment",
# "grey"/"gray"): a question spelled the other way than its documents matched none of their sentences by that
# word, and a word such as "customise" (in no word list) counted as one the documents never mention
_SPELLINGS = [
    (re.compile(r"(?<=\w\w)our(?=s?$|ed$|ing$|ite|ites$|able$|ful$|less$|er$|ers$)"), "or"),
    (re.compile(r"(?<=\w\w)or(?=s?$|ed$|ing$|ite|ites$|able$|ful$|less$)"), "our"),
    (re.compile(r"(?<=\w\w)is(?=e$|es$|ed$|ing$|er$|ers$|ation$|ations$)"), "iz"),
    (re.compile(r"(?<=\w\w)iz(?=e$|es$|ed$|ing$|er$|ers$|ation$|ations$)"), "is"),
    (re.compile(r"(?<=\w)ys(?=e$|es$|ed$|ing$)"), "yz"),
    (re.compile(r"(?<=\w)yz(?=e$|es$|ed$|ing$)"), "ys"),
    (re.compile(r"(?<=\w\w)ence(?=s?$)"), "ense"),
    (re.compile(r"(?<=\w\w)ense(?=s?$)"), "ence"),
    (re.compile(r"(?<=\w[bcdfgklmnpstv])re(?=s?$)"), "er"),
    (re.compile(r"(?<=\w[bcdfgklmnpstv])er(?=s?$)"), "re"),
    (re.compile(r"(?<=\w\w)ogue(?=s?$)"), "og"),
    (re.compile(r"(?<=\w\w)og(?=s?$)"), "ogue"),
    (re.compile(r"(?<=\we)ll(?=ed$|ing$|er$|ers$)"), "l"),
    (re.compile(r"(?<=\we)l(?=ed$|ing$|er$|ers$)"), "ll"),
    (re.compile(r"(?<=dg)ement(?=s?$)"), "ment"),
    (re.compile(r"(?<=dg)ment(?=s?$)"), "ement"),
    (re.compile(r"^grey$"), "gray"),
    (re.compile(r"^gray$"), "grey"),
]


def spelled_otherwise(word: str) -> list[str]:
    """`word` (lower case) spelled the other way, British or American, by each rule that applies."""
    return [pattern.sub(replacement, word, 1) for pattern, replacement in _SPELLINGS if pattern.search(word)]


def _respelled(question: str, frequencies: Callable[[list[str]], dict[str, int]]) -> dict[str, str]:
    """The question's words that no sentence of the documents holds, spelled as the documents spell them
    (`spelled_otherwise`), where they do."""
    words = {w: spelled_otherwise(w.lower()) for t, (w, _) in content_words(question).items() if w.isalpha()}
    words = {w: other for w, other in words.items() if other}
    if not words:
        return {}
    terms = {normalize_term(w) for w in words} | {normalize_term(o) for other in words.values() for o in other}
    held = frequencies(sorted(terms))
    found = {}
    for word, other in words.items():
        if held.get(normalize_term(word), 0):
            continue
        best = max(other, key=lambda o: held.get(normalize_term(o), 0))
        if held.get(normalize_term(best), 0):
            found[word] = _cased(best, word)
    return found


# One word or two: "passphrase" or "pass phrase", "filesystem" or "file system", "timeout" or "time out", "log
# in" or "login". A question that writes it the other way than its documents matched none of their sentences by
# it, and a compound that no word list holds ("filesystem") counted as a name the documents never mention: "What
# filesystem is on the external disk?" was abstained on (0.43) where "What file system ..." was answered (0.88)
COMPOUND_FIRST = 3  # the least letters of a compound's first part ("log" of "login") ...
COMPOUND_SECOND = 2  # ... and of its second ("in")
APART_SCAN = 500  # the most sentences holding both parts read for the two written one after the other
_LETTER_WORD = re.compile(r"(?<![^\W_])[A-Za-z]+(?![^\W_])")

Written = Callable[..., "int | None"]
_BETWEEN = re.compile(r"[ \t\n]+|-")  # what stands between two words written one after the other
PREFIX_REST = 3  # the least letters after a prefix written with a hyphen ("e-mail", "on-line", "re-booking")


def _as_written(token: str, word: str) -> bool:
    """A word of a text is `word` (lower case) as written, or one of them is the other with a regular ending
    ("names", "name"); not another word that only stems the same ("termination" is not "termin")."""
    shorter, longer = sorted((token, word), key=len)
    return longer.startswith(shorter) and (longer == shorter or longer[len(shorter) :] in _ENDINGS)


def _in_a_row(text: str, words: list[str], hyphen: bool) -> bool:
    """Does `text` write `words` (lower case) one after the other (`_as_written`), a space or a hyphen between
    each two (with `hyphen`, a hyphen)?"""
    tokens = list(_LETTER_WORD.finditer(text))
    n = len(words)

    def joined(a: re.Match[str], b: re.Match[str]) -> bool:
        return text[a.end() : b.start()] == "-" if hyphen else bool(_BETWEEN.fullmatch(text, a.end(), b.start()))

    return any(
        all(_as_written(t.group(0).lower(), w) for t, w in zip(tokens[i : i + n], words))
        and all(joined(a, b) for a, b in zip(tokens[i : i + n - 1], tokens[i + 1 : i + n]))
        for i in range(len(tokens) - n + 1)
    )


def written_in_a_row(holding: Callable[[str], list[int]], texts: Callable[[list[int]], list[str]]) -> Written:
    """`written(words, hyphen=False)`: in how many sentences the documents write these words one after the
    other, as written or with a regular ending, a space or a hyphen between them (with `hyphen`, a hyphen), of
    the first APART_SCAN holding them all (stop words aside); None when every one is a stop word or too common
    to read its sentences. `holding(term)` gives the sentences holding a term (none when too many do)."""

    def written(words: tuple[str, ...], hyphen: bool = False) -> int | None:
        found = [set(ids) for ids in (holding(normalize_term(w)) for w in words if w.lower() not in STOPWORDS) if ids]
        if not found:
            return None
        wanted = [w.lower() for w in words]
        return sum(_in_a_row(text, wanted, hyphen) for text in texts(sorted(set.intersection(*found))[:APART_SCAN]))

    return written


def _plain(word: re.Match[str]) -> bool:
    """A word that may be part of a compound: in lower case, or with a capital first as the question's first
    word ("Log in"); not a name ("Red Hat")."""
    text = word.group(0)
    return not any(c.isupper() for c in text[1:]) and (text[0].islower() or word.start() == 0)


def _prefix(part: str) -> bool:
    """A compound's first part that says too little alone to count written apart: a letter or two ("e", "re",
    "co") or a stop word ("on"). It counts only written with a hyphen ("e-mail", "on-line", "re-booking")."""
    return len(part) < COMPOUND_FIRST or part.lower() in STOPWORDS


def _held(word: str, held: dict[str, int]) -> bool:
    return bool(held.get(normalize_term(word), 0))


def _written_apart(first: str, second: str, held: dict[str, int], written: Written) -> tuple[int, str, str, str]:
    """How often the documents write a word's two parts apart (a prefix only with a hyphen: `_prefix`), with
    the parts and what stands between them; 0 where a part no sentence holds makes it impossible."""
    if _prefix(first):
        possible = len(second) >= PREFIX_REST and _held(second, held)
        return (written((first, second), hyphen=True) or 0) if possible else 0, first, "-", second
    possible = _held(first, held) and (second.lower() in STOPWORDS or _held(second, held))
    return (written((first, second)) or 0) if possible else 0, first, " ", second


def _compounds(question: str, frequencies: Callable[[list[str]], dict[str, int]], written: Written) -> dict[str, str]:
    """The question's compounds written as its documents write them: a word no sentence holds as two words
    they write one after the other ("filesystem" as "file system"; after a prefix, only as they hyphenate it:
    "email" as "e-mail"), and two words they never write so as one word they hold ("pass phrase" as
    "passphrase", "e-mail" as "email")."""
    words = [w for w in _LETTER_WORD.finditer(question) if _plain(w)]
    splits = {
        w.group(0): [(w.group(0)[:i], w.group(0)[i:]) for i in range(1, len(w.group(0)) - COMPOUND_SECOND + 1)]
        for w in words
        if len(w.group(0)) >= COMPOUND_FIRST + COMPOUND_SECOND and w.group(0).lower() not in STOPWORDS
    }
    joins = {  # two words with a space or a hyphen between them; after a prefix, a hyphen
        question[a.start() : b.end()]: (a.group(0), b.group(0))
        for a, b in zip(words, words[1:])
        if (between := question[a.end() : b.start()]) in (" ", "-")
        and len(b.group(0)) >= (PREFIX_REST if _prefix(a.group(0)) else COMPOUND_SECOND)
        and (between == "-" or not _prefix(a.group(0)))
    }
    wanted = {w.group(0) for w in words} | {part for parts in splits.values() for pair in parts for part in pair}
    held = frequencies(sorted({normalize_term(w) for w in wanted | {a + b for a, b in joins.values()}}))
    fixes: dict[str, str] = {}
    for word, parts in splits.items():
        if _held(word, held):
            continue
        best = max((_written_apart(a, b, held, written) for a, b in parts), default=(0, "", "", ""))
        if best[0]:
            fixes[word] = f"{best[1]}{best[2]}{best[3].lower()}"
    for typed, (first, second) in joins.items():
        never = any(w.lower() not in STOPWORDS and not _held(w, held) for w in (first, second))
        if _held(first + second, held) and (never or written((first, second)) == 0) and written((first + second,)):
            fixes[typed] = first + second
    return fixes


def corrected(
    question: str, frequencies: Callable[[list[str]], dict[str, int]], written: Written | None = None
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The question with its slips read as the documents' words, and each (typed, read as) pair: a contraction
    typed without its apostrophe is read with it, a word spelled the British or the American way as its
    documents spell it, a compound as one word or two as they write it (with `written`: `written_in_a_row`)."""
    fixes: dict[str, str] = _apostrophes(question) | _respelled(question, frequencies)
    if written is not None:
        fixes = _compounds(question, frequencies, written) | fixes
    for word, name in suspects(question, frequencies):
        if word in fixes:
            continue
        fix = correction(word, frequencies, name)
        if fix is not None and fix != word:
            fixes.setdefault(word, fix)
    for typed, fix in fixes.items():
        question = re.sub(rf"(?<![^\W_]){re.escape(typed)}(?![^\W_])", fix, question)
    return question, tuple(fixes.items())
