"""Lexical matching of question terms to sentences: BM25 search for candidates and stemmed, IDF-weighted
term coverage for scoring them.

Pure term functions (used at index time to fill the store's lexical tables) plus one class that searches the
tables; PyStemmer (Snowball, C) does the suffixes, a table the irregular verbs,
numpy the BM25 scores over postings lists. Acronyms that a document spells out somewhere ("KCNA" and
"Korean Central News Agency") match each other within that document."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np

from qa.store.base import LexicalTables
from qa.store.lexicon import build_tables, term_id

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves also s t many much one ones way kind type name called""".split()
)
# irregular form:base form, for the forms Snowball cannot reduce
IRREGULAR = dict(
    pair.split(":")
    for pair in """gave:give given:give took:take taken:take made:make went:go gone:go saw:see seen:see came:come got:get
    gotten:get knew:know known:know thought:think told:tell found:find became:become began:begin begun:begin
    brought:bring bought:buy built:build held:hold kept:keep left:leave led:lead lost:lose meant:mean
    met:meet paid:pay ran:run said:say sent:send sold:sell spent:spend stood:stand taught:teach wore:wear
    worn:wear won:win wrote:write written:write rode:ride ridden:ride drove:drive driven:drive fed:feed
    fell:fall fallen:fall felt:feel fought:fight flew:fly flown:fly grew:grow grown:grow heard:hear hid:hide
    hidden:hide laid:lay lay:lie rose:rise risen:rise sang:sing sung:sing sank:sink shot:shoot shown:show
    slept:sleep spoke:speak spoken:speak stole:steal stolen:steal struck:strike swore:swear threw:throw
    thrown:throw understood:understand woke:wake chose:choose chosen:choose ate:eat eaten:eat drew:draw
    drawn:draw broke:break broken:break forgot:forget forgotten:forget froze:freeze frozen:freeze
    sought:seek caught:catch dealt:deal dug:dig fled:flee hung:hang lent:lend lit:light shook:shake
    shaken:shake signed:sign did:do done:do was:be were:be is:be are:be been:be had:have has:have men:man
    women:woman children:child people:person mice:mouse feet:foot""".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)
# a shell's or make's special variable ("$?", "$#", "$@", "$$", "$_"), a term of its own: it has no letters for
# _TOKEN, and a manual names it only where it explains it ("? ($?) Expands to the exit status ..."). Not a
# price ("$5"), nor a named variable ("$HOME", "$_x": their name is a term already)
_SPECIAL = re.compile(r"\$[?#@*!<^$_](?![\w$])")
_TERM = re.compile(f"{_SPECIAL.pattern}|{_TOKEN.pattern}", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def normalize_term(word: str) -> str:
    word = word.lower().replace("\u2019", "'")
    if not word.isascii():  # fold accents so that "Mongke" finds "Möngke"
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    word = word.removesuffix("'s")
    word = IRREGULAR.get(word, word)
    stem = _stemmer().stemWord(word)
    # Snowball leaves a verb in -ify apart from its noun in -ification ("modifi", "modif"): one term for both,
    # so "Can it modify the context?" finds "... not to perform any modifications on it"
    return stem[:-1] if stem.endswith("ifi") else stem


# a version written with two points or more ("0.27.1", "24.1.0"): a term of its own as well as its numbers'
# ("0", "27", "1" match every other version), so a changelog's "0.27.1 (27th August, 2024)" heading counts
# for the entries beneath it when a question names 0.27.1. Not "3.11" or "2.5": as a term of its own, a
# version or a decimal named once in a paragraph drew the question away from the paragraph's later sentences
# ("How many packages did Debian 1.1 contain?": docs/benchmarks.md)
_VERSION = re.compile(r"(?<![\w.])[vV]?(\d+(?:\.\d+){2,})(?!\.?\w)")


# a name with its version after a slash ("HTTP/2", "HTTP/1.1"): a term of its own as well as its parts', so that
# a question about HTTP/3 is not one about "HTTP" alone (documents about HTTP/2 answered it, and sure of it)
_SLASHED = re.compile(r"(?<![\w/.])[A-Za-z][A-Za-z0-9]*/\d+(?:\.\d+)?(?![\w/]|\.\d)")


# a command's one-letter option as written ("-N", "-p"): a term of its own, as written (ssh's -N and -n differ),
# as well as its letter's, which every "n" holds ("hostname:n" answered "What does ssh -N do?")
_OPTION = re.compile(r"(?<![\w-])-[A-Za-z0-9](?![\w-])")


def slashed(text: str) -> list[str]:
    """The names with a version after a slash in a text, lower-cased ("http/2")."""
    return [found.lower() for found in _SLASHED.findall(text)]


def terms(text: str, keep_stopwords: bool = False, names: bool = True) -> list[str]:
    """Normalized content terms of a text, in order, then its versions written with two points or more,
    whole (`_VERSION`), its one-letter options as written (`_OPTION`), and (with `names`) its names with a
    version after a slash (`slashed`). A question is matched without the last: "HTTP" and "2" count
    already, and counting "http/2" as well drew "Which extra installs HTTP/2 support?" to any sentence saying
    "HTTP/2"; the documents' are counted to tell whether they name what a question names (`unseen_words`)."""
    out = []
    for match in _TERM.finditer(text):
        word = match.group(0)
        if word[0] == "$":
            out.append(word)
            continue
        if not keep_stopwords and word.lower() in STOPWORDS:
            continue
        out.append(normalize_term(word))
    return out + _VERSION.findall(text) + _OPTION.findall(text) + (slashed(text) if names else [])


# words an acronym's letters may skip ("Federal Bureau of Investigation": FBI)
ACRONYM_SKIPS = frozenset("of the and for de du des la le on in to".split())
ACRONYM_MAX_WORDS = 8
_ACRONYM = re.compile(rf"\b[A-Z]{{2,{ACRONYM_MAX_WORDS}}}\b")


def acronyms(text: str) -> dict[str, tuple[str, ...]]:
    """The acronyms a text spells out somewhere in it: normalized acronym term -> normalized terms of its
    expansion, a run of capitalized words whose initials are the acronym's letters (function words such
    as "of" and "and" may sit between them unspelled). "KCNA" and "Korean Central News Agency" in the same
    text give {"kcna": ("korean", "central", "news", "agenc")}."""
    wanted = {m.group(0) for m in _ACRONYM.finditer(text)}
    if not wanted:
        return {}
    words = [m.group(0) for m in _TOKEN.finditer(text)]
    found: dict[str, tuple[str, ...]] = {}
    for i, first in enumerate(words):
        if not first[0].isupper() or first.isupper():
            continue
        letters, run = "", list[str]()
        for word in words[i : i + 2 * ACRONYM_MAX_WORDS]:
            if word.lower() in ACRONYM_SKIPS and run:
                run.append(word)
                continue
            if not word[0].isupper() or word.isupper() or len(letters) == ACRONYM_MAX_WORDS:
                break
            letters += word[0]
            run.append(word)
            if len(letters) >= 2 and letters in wanted and letters not in found:
                found[letters] = tuple(terms(" ".join(run)))
    return {normalize_term(acronym): expansion for acronym, expansion in found.items()}


def with_acronyms(term_list: list[str], known: dict[str, tuple[str, ...]]) -> list[str]:
    """A sentence's terms plus, for each known acronym it uses, its expansion's terms, and for each
    expansion it spells in full, the acronym."""
    if not known:
        return term_list
    present = set(term_list)
    extra: list[str] = []
    for acronym, expansion in known.items():
        if acronym in present:
            extra.extend(t for t in expansion if t not in present)
        elif expansion and present.issuperset(expansion):
            extra.append(acronym)
    return term_list + extra


# "What gift did Kim give?": the noun after the wh-word is the question's focus, the kind of thing asked for.
# A sentence repeating it ("The canine gift came after...") need not name an instance of it ("a pair of Pungsan
# dogs"), so it counts FOCUS_WEIGHT times its IDF in term coverage (README: "The question's focus").
FOCUS_WEIGHT = 0.5
AUXILIARY = r"(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would|shall|should|may|might|must)"
_FOCUS = re.compile(rf"^\W*(?:what|which)\s+(?!{AUXILIARY}\b)((?:[\w'\u2019-]+\s+){{1,4}}?){AUXILIARY}\b", re.I)
_CLASSIFIER = re.compile(r"^(?:kind|kinds|type|types|sort|sorts|form|forms)\s+of\s+", re.I)
_PREPOSITIONS = frozenset("of as in on at for from with to by about".split())


def focus_term(question: str) -> str | None:
    """The normalized head noun of a "What/Which <noun phrase> <auxiliary> ..." question: "What gift did
    Kim give?" -> "gift", "What kind of force did ..." -> "forc", "Which term as president did ..." -> "term";
    None when the question has no such shape ("What did Kim give?")."""
    match = _FOCUS.match(question)
    if not match:
        return None
    head: list[str] = []
    for word in _CLASSIFIER.sub("", match.group(1).strip()).split():
        if word.lower() in _PREPOSITIONS:
            break
        head.append(word)
    found = terms(head[-1]) if head else []
    return found[0] if found else None


# Words a question names that the documents never use. A name ("Bookworm", "2023", "LuaLaTeX") or a rare
# word ("zstd", "biblatex") that occurs nowhere in the documents means they are about
# something else: the confidence takes it into account (qa.answer.calibration). An ordinary English word
# that is absent ("present" for "gift") is only a paraphrase and does not count. What is ordinary
# (is_ordinary): a word whose stem is the stem of a whole word in the default encoder's WordPiece vocabulary
# (about 21,000 common English words, shipped with the model), or a word of pyspellchecker's English list.
MIN_UNSEEN_LENGTH = 3  # "TV", "PO": too short to say what a document is about


def _whole_words(words: Iterable[str]) -> frozenset[str]:
    """The words of a list made of letters only, ASCII, two or more."""
    return frozenset(w for w in words if w.isalpha() and w.isascii() and len(w) > 1)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The whole words (letters only, two or more) of the default encoder's vocabulary, lowercase."""
    from qa.config import DEFAULT_MODEL
    from qa.models.encoder import resolve_model

    try:
        lines = (resolve_model(DEFAULT_MODEL) / "vocab.txt").read_text(encoding="utf-8").split()
    except OSError:
        return frozenset()
    return _whole_words(lines)


@lru_cache(maxsize=1)
def common_stems() -> frozenset[str]:
    """Stems of the whole words in the default encoder's vocabulary."""
    return frozenset(normalize_term(w) for w in common_words())


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The words of pyspellchecker's English word-frequency list (about 160,000, from film and TV subtitles:
    everyday words, their inflections and common names), lowercase; empty when it cannot be read."""
    import gzip
    import json
    from importlib.resources import files

    try:
        with (files("spellchecker") / "resources" / "en.json.gz").open("rb") as raw, gzip.open(raw, "rt") as text:
            return _whole_words(json.load(text))
    except (OSError, ValueError, ModuleNotFoundError):
        return frozenset()


def is_ordinary(word: str, term: str) -> bool:
    """An ordinary English word: its stem is a whole word's of the encoder's vocabulary (common_stems), or the
    word is in a larger English word list (english_words): "plumber", "refund", "warranty", "itinerary" are
    not in the vocabulary (WordPiece splits them), and a question asking about an electrician of documents
    that say "Electrics" paraphrases them, as one asking about a present does of a text about a gift.
    Technical names ("zstd", "httpx", "biblatex") are in neither. The larger list is read only when a word
    is in neither the documents nor the vocabulary."""
    return term in common_stems() or word.lower() in english_words()


def is_name_like(word: str, first: bool) -> bool:
    """A capitalised word that does not open the question, or one with a digit or an inner capital."""
    return (word[0].isupper() and not first) or any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:])


def content_words(question: str) -> dict[str, tuple[str, bool]]:
    """The question's words that could say what it is about, by term: (the word, whether it is name-like)."""
    words: dict[str, tuple[str, bool]] = {}
    for match in _TOKEN.finditer(question):
        word = match.group(0).replace("\u2019", "'").removesuffix("'s")
        if len(word) < MIN_UNSEEN_LENGTH or word.lower() in STOPWORDS or "'" in word:  # "wasn't": not a name
            continue
        words.setdefault(normalize_term(word), (word, is_name_like(word, match.start() == 0)))
    for found in _SLASHED.findall(question):  # "HTTP/3" names a thing of its own
        words.setdefault(found.lower(), (found, True))
    return words


def unseen_words(question: str, df: Callable[[str], int]) -> tuple[str, ...]:
    """The question's names and rare words (see above) whose term no sentence of the documents holds;
    `df(term)` is the number of sentences holding it. The vocabulary is read only when a word is absent from
    the documents, so most questions never load it."""
    words = content_words(question)
    return tuple(word for term, (word, name) in words.items() if not df(term) and (name or not is_ordinary(word, term)))


# A name the question shares with the documents, but not with the document of the sentence answering it
# ("Which version of Click removed Python 2 support?" answered from Black's FAQ, which never says "Click"),
# is a sign the sentence is about something else: the confidence takes it into account too.
def named_terms(question: str, df: Callable[[str], int]) -> dict[str, str]:
    """The question's name-like words that some sentence of the documents holds, by their term."""
    return {term: word for term, (word, name) in content_words(question).items() if name and df(term)}


BM25_K1 = 1.2
BM25_B = 0.75


def sentence_terms(texts: Sequence[str], known: dict[str, tuple[str, ...]] | None = None) -> list[dict[str, int]]:
    """Each sentence's lexical terms with their counts: its content terms, plus the terms of the acronyms
    `known` to its document (see with_acronyms)."""
    return [dict(Counter(with_acronyms(terms(t), known or {}))) for t in texts]


def document_terms(texts: Sequence[str]) -> list[dict[str, int]]:
    """sentence_terms for the sentences of one document, with the acronyms that document spells out."""
    return sentence_terms(texts, acronyms("\n".join(texts)))


def idf(n: int, df: int) -> float:
    """BM25's inverse document frequency of a term in `df` of `n` sentences."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def term_weights(question: str, idf_of) -> dict[str, float]:
    """The weight of each distinct question term in term coverage: its IDF, FOCUS_WEIGHT times that for the
    question's focus term (focus_term)."""
    focus = focus_term(question)
    return {t: idf_of(t) * (FOCUS_WEIGHT if t == focus else 1.0) for t in set(terms(question, names=False))}


def coverage(weights: dict[str, float], sentence_terms: Sequence[set[str]]) -> list[float]:
    """IDF-weighted share of the question's terms (weights from term_weights) each sentence holds."""
    total = sum(weights.values())
    if total <= 0:
        return [0.0 for _ in sentence_terms]
    return [sum(w for t, w in weights.items() if t in held) / total for held in sentence_terms]


# A table row as the readers write it ("Item: Deposit; Amount: £1,326; Due: Before the tenancy starts", or its
# cells joined by " | ": formats.common.row_text)
_TABLE_ROW = re.compile(r"[^:;\n]{1,40}: [^;\n]+(?:; [^:;\n]{1,40}: [^;\n]+)+|[^|\n]+(?: \| [^|\n]+)+")
# ... whose terms only its heading path holds count this much of their weight in term coverage: under "2. Rent
# and deposit" every row of the table holds "deposit", and only the row on the deposit holds it itself
HEADING_ONLY = 0.5


def rows_in_own_words(weights: dict[str, float], texts: Sequence[str], held: Sequence[float]) -> list[float]:
    """Term coverage (`held`, each sentence's with its heading path) with a table row's terms that only its
    heading path holds counted at HEADING_ONLY of their weight. A sentence that is no table row keeps its
    coverage: its heading says what it is about ("Line length" over "Black defaults to 88 characters")."""
    rows = [i for i, text in enumerate(texts) if _TABLE_ROW.fullmatch(text.strip())]
    if not rows:
        return list(held)
    own = coverage(weights, [set(terms(texts[i])) for i in rows])
    out = list(held)
    for i, mine in zip(rows, own):
        out[i] = held[i] - HEADING_ONLY * max(0.0, held[i] - mine)
    return out


class LexicalIndex:
    """BM25 search and IDF-weighted term coverage over a store's lexical tables (sentences are the
    "documents" of BM25). Nothing is built here: the tables were made at index time."""

    def __init__(self, tables: LexicalTables) -> None:
        self.tables = tables
        self.n = len(tables.forward_ptr) - 1
        lengths = np.asarray(tables.sentence_lengths)
        mean = float(lengths.mean()) if self.n and lengths.mean() > 0 else 1.0
        self._length_norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / mean)  # per sentence, fixed
        self._ids: dict[str, int] = {}

    @classmethod
    def from_texts(cls, texts: Iterable[str], docs: Iterable[str] | None = None) -> LexicalIndex:
        """An in-memory index of `texts` (tests, benchmarks); with `docs`, acronyms are scoped by document."""
        texts = list(texts)
        if docs is None:
            return cls(build_tables(sentence_terms(texts)))
        by_doc: dict[str, list[int]] = {}
        for i, doc in enumerate(docs):
            by_doc.setdefault(doc, []).append(i)
        counts: list[dict[str, int]] = [{} for _ in texts]
        for rows in by_doc.values():
            for i, c in zip(rows, document_terms([texts[i] for i in rows])):
                counts[i] = c
        return cls(build_tables(counts))

    def _term(self, term: str) -> int:
        if term not in self._ids:
            self._ids[term] = term_id(self.tables, term)
        return self._ids[term]

    def _held_by(self, t: int) -> int:
        """How many sentences hold the vocabulary's term `t` (-1: none)."""
        return 0 if t < 0 else int(self.tables.postings_ptr[t + 1] - self.tables.postings_ptr[t])

    def df(self, term: str) -> int:
        return self._held_by(self._term(term))

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many sentences hold each term, for terms looked up once (a question's possible slips): not
        kept in the cache `df` fills."""
        return {t: self._held_by(self._ids[t] if t in self._ids else term_id(self.tables, t)) for t in terms}

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        t = self._term(term)
        if t < 0:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        lo, hi = self.tables.postings_ptr[t], self.tables.postings_ptr[t + 1]
        return self.tables.postings_ids[lo:hi], self.tables.postings_tf[lo:hi]

    def idf(self, term: str) -> float:
        return idf(self.n, self.df(term))

    def bm25(self, question: str) -> np.ndarray:
        """BM25 of every sentence for the question's distinct terms, as Lucene scores it:
        sum of idf * tf / (tf + k1 * (1 - b + b * length / mean length)), idf = ln(1 + (N - df + 0.5) / (df + 0.5))."""
        scores = np.zeros(self.n, dtype=np.float32)
        for term in dict.fromkeys(terms(question, names=False)):
            ids, tf = self.postings(term)
            if len(ids):
                scores[ids] += self.idf(term) * tf / (tf + self._length_norm[ids])
        return scores

    def search(self, question: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, BM25 scores) of the (up to) k best sentences for the question's terms, best first;
        sentences sharing no term with the question are never returned."""
        if k <= 0 or self.n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self.bm25(question)
        k = min(k, self.n)
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.lexsort((best, -scores[best]))]
        best = best[scores[best] > 0]
        return best.astype(np.int64), scores[best]

    def coverage(self, question: str, ids: Sequence[int]) -> list[float]:
        """IDF-weighted share of the question's terms that each sentence contains (0..1); the question's
        focus term (focus_term) weighs FOCUS_WEIGHT times its IDF."""
        return self.covered(term_weights(question, self.idf), ids)

    def covered(self, weights: dict[str, float], ids: Sequence[int]) -> list[float]:
        """`coverage` for the question's term weights (term_weights) computed already."""
        total = sum(weights.values())
        if total <= 0:
            return [0.0 for _ in ids]
        wanted = np.asarray(ids, dtype=np.int64)
        held = np.zeros(len(wanted), dtype=np.float64)
        for term, weight in weights.items():
            posting, _ = self.postings(term)
            if len(posting):
                at = np.minimum(np.searchsorted(posting, wanted), len(posting) - 1)
                held += weight * (posting[at] == wanted)
        return (held / total).tolist()
