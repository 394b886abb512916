"""The service core: one thread-safe object that the CLI, the tests and a server share. It composes the
stages (store, models, retrieval, answering, index building) and owns the index's lifecycle.

- `ensure_index()` builds or updates the index explicitly.
- `ask(question, conversation)` answers from the index it has. With `freshness="once"` (a single `qa ask`) the
  corpus is checked once per process, before the first answer, and an out-of-date index is updated then. With
  `freshness="background"` (chat, a server) `watch()` checks in a thread and swaps in the new index when it is
  ready; questions keep answering from the old one meanwhile and never wait on a rebuild.
- `stats()` says what is indexed."""

from __future__ import annotations

import bisect
import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from qa.answer.calibration import CALIBRATION_FILE, Calibration, load_calibration
from qa.answer.extract import agrees, answer, wording
from qa.answer.kinds import asked_what_it_is
from qa.config import Settings
from qa.conversation import Conversation, reply_to
from qa.errors import IndexError_, QuestionError
from qa.ingest.build import BuildReport, build_index, index_settings, is_current
from qa.ingest.chunking import ChunkSettings, largest_fit
from qa.ingest.loaders import ReadRules
from qa.models.encoder import Embedder
from qa.models.loading import Models
from qa.retrieve import Retriever, retriever_for
from qa.retrieve.lexical import terms
from qa.retrieve.spelling import corrected, written_in_a_row
from qa.store import open_store
from qa.store.base import CorruptIndex, IndexWriteError, Snapshot
from qa.types import Answer, ScoredSentence, Sentence, Turn, Verdict


def _quiet(_: str) -> None:
    pass


def display_path(corpus: str | Path, rel: str) -> str:
    """The `doc` shown to users: the corpus path as they gave it, joined with the file's path in it
    (relative to the working folder when it lies inside it)."""
    corpus = Path(corpus)
    path = (corpus if corpus.is_dir() else corpus.parent) / rel
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            return path.relative_to(Path.cwd()).as_posix()
    return path.as_posix()


DEFAULT_RULES = ReadRules()


class Service:
    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        calibration: Calibration | None = None,
        freshness: str = "once",
        on_build: Callable[[str], None] | None = None,
        on_notice: Callable[[str], None] = _quiet,
        on_progress: Callable[[int, int, int], None] | None = None,
    ) -> None:
        if freshness not in {"once", "background"}:
            raise ValueError(f"freshness {freshness!r} is not 'once' or 'background'")
        self.settings = settings
        self.freshness = freshness
        self.on_build = on_build
        self.on_notice = on_notice
        self.on_progress = on_progress
        self.models = Models(settings, embedder, on_notice)
        self.store = open_store(settings)
        if calibration is None:
            calibration = load_calibration(settings.calibration or CALIBRATION_FILE)
        calibration.check_model(self.models.model_id)
        self.calibration = calibration
        self._lock = threading.Lock()  # guards the live snapshot and its retriever
        self._build_lock = threading.Lock()  # one build at a time in this process
        self._live: tuple[Snapshot, Retriever] | None = None
        self._by_path: tuple[Snapshot | None, dict] = (None, {})  # documents by shown path, per snapshot
        self._checked = False
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()
        self.refreshed = threading.Event()  # set each time a background refresh swaps in a new index
        self.check_seconds = 0.0  # how long the last freshness check took

    @property
    def threshold(self) -> float:
        return self.calibration.threshold if self.settings.threshold is None else self.settings.threshold

    @property
    def chunk_settings(self) -> ChunkSettings:
        return ChunkSettings(self.settings.passage_tokens, self.settings.passage_overlap)

    @property
    def rules(self) -> ReadRules:
        """How the corpus is read: the settings' explicit values, else as the existing index was made (so
        `qa index --follow-symlinks` is not undone by the next `qa ask`), else the defaults."""
        recorded = (self.store.settings() or {}).get("reading") or {}
        chosen = {}
        for name in ("max_file_mb", "max_pdf_pages", "follow_symlinks"):
            value = getattr(self.settings, name)
            if value is None:
                value = recorded.get(name, getattr(DEFAULT_RULES, name))
            chosen[name] = value
        return ReadRules(**chosen)

    def _index_settings(self, rules: ReadRules | None = None) -> dict:
        return index_settings(self.models.embedder, self.chunk_settings, rules or self.rules)

    def _current(self) -> bool:
        rules = self.rules
        return is_current(self.store, self.settings.corpus, self._index_settings(rules), rules)

    # ---- the index ---------------------------------------------------------------------------------------
    def ensure_index(self, force: bool = False) -> BuildReport:
        """Build or update the index now; the service answers from the result."""
        with self._build_lock:
            if self.on_build is not None:
                self.on_build(str(self.settings.corpus))
            encoder, extra = self.models.indexing_encoder()
            report = build_index(
                self.store,
                self.settings.corpus,
                encoder,
                self.chunk_settings,
                force=force,
                extra=extra,
                progress=self.on_progress,
                on_wait=self.on_notice,
                rules=self.rules,
            )
        self._swap(self._open())
        self._checked = True
        return report

    def _open(self) -> tuple[Snapshot, Retriever]:
        snapshot = self.store.open()
        return snapshot, retriever_for(snapshot)

    def _swap(self, live: tuple[Snapshot, Retriever]) -> None:
        with self._lock:
            self._live = live

    def live(self) -> tuple[Snapshot, Retriever]:
        """The index questions are answered from. The first call makes sure there is one: built when
        missing, updated when out of date (checked once per process in "once" mode), rebuilt with a notice
        when damaged."""
        with self._lock:
            live = self._live
        if live is not None:
            return live
        with self._build_lock:  # one opener at a time; a second caller finds it open
            with self._lock:
                if self._live is not None:
                    return self._live
            stale = not self._checked and not self._current()
        if stale:
            try:
                self.ensure_index()
            except IndexWriteError as exc:
                try:  # the documents changed but the update cannot be written: the intact index answers
                    self._swap(self._open())
                except IndexError_:
                    raise exc from None
                self.on_notice(f"{exc}; answering from the previous index")
        else:
            try:
                self._swap(self._open())
            except IndexError_ as exc:
                if isinstance(exc, CorruptIndex):
                    self.on_notice(f"{exc}; rebuilding the index")
                self.ensure_index(force=isinstance(exc, CorruptIndex))
        self._checked = True
        with self._lock:
            assert self._live is not None
            return self._live

    def refresh(self) -> bool:
        """Check the corpus now and, if it changed, build the new index and swap it in (the old one answers
        until then). True when a new index was swapped in."""
        started = time.monotonic()
        current = self._current()
        self.check_seconds = time.monotonic() - started
        if current:
            return False
        self.ensure_index()
        self.refreshed.set()
        return True

    def watch(self, interval: float = 2.0) -> None:
        """Check the corpus in a background thread (chat, a server): every `interval` seconds, or less often
        when one check takes long (at least ten times its own duration apart, so that the checks of a
        corpus of very many files take at most a tenth of a core; a rebuild does not count)."""
        if self._watcher is not None:
            return

        def loop() -> None:
            wait = interval
            while not self._stop.wait(wait):
                try:
                    self.refresh()
                except Exception as exc:  # noqa: BLE001 - a failed refresh keeps the old index answering
                    self.on_notice(f"could not update the index: {exc}")
                wait = max(interval, 10 * self.check_seconds)

        self._watcher = threading.Thread(target=loop, name="qa-watch", daemon=True)
        self._watcher.start()

    def close(self) -> None:
        self._stop.set()

    def stats(self) -> dict:
        snapshot, _ = self.live()
        s = snapshot.stats()
        return {
            "corpus": str(self.settings.corpus),
            "store": s.backend,
            "location": s.location,
            "documents": s.documents,
            "sentences": s.sentences,
            "passages": s.passages,
            "vector_index": s.vector_index,
            "created": s.created,
        }

    def around(self, doc: str, start: int, end: int, sentences: int = 2) -> list[Sentence] | None:
        """The sentences of an indexed document that overlap [start, end), with `sentences` more on each
        side; None when `doc` (as answers show it, or relative to the corpus) is not an indexed document.
        Only the index is read: nothing named by `doc` is ever opened."""
        snapshot, _ = self.live()
        with self._lock:
            if self._by_path[0] is not snapshot:
                paths = {}
                for item in snapshot.documents():
                    paths[item.path] = item
                    paths[display_path(self.settings.corpus, item.path)] = item
                self._by_path = (snapshot, paths)
            entry = self._by_path[1].get(doc)
        if entry is None:
            return None
        first, stop = entry.sentences
        ids = range(first, stop)
        starts_at = bisect.bisect_right(ids, start, key=lambda i: snapshot.sentence(i).end) + first
        ends_at = bisect.bisect_left(ids, max(end, start + 1), key=lambda i: snapshot.sentence(i).start) + first
        lo, hi = max(first, starts_at - sentences), min(stop, max(ends_at, starts_at + 1) + sentences)
        shown = display_path(self.settings.corpus, entry.path)
        return [replace(snapshot.sentence(i), doc=shown) for i in range(lo, hi)]

    # ---- questions ---------------------------------------------------------------------------------------
    def _fit_question(self, question: str) -> str:
        """A question longer than the model's window is cut to fit, with a notice (never silently)."""
        encoder = self.models.query_encoder
        limit = getattr(encoder, "max_tokens", 0)
        if not limit or encoder.count_tokens(question) <= limit:
            return question
        words = question.split()
        lo = largest_fit(len(words), lambda n: encoder.count_tokens(" ".join(words[:n])) <= limit)
        self.on_notice(f"the question is longer than the model's {limit}-token window; using its first {lo} words")
        return " ".join(words[:lo])

    def ask(self, question: str, conversation: Conversation | None = None, limit: int = 10) -> Answer:
        question = plain_text(question).strip()
        if not question:
            raise QuestionError('the question is empty: type a question, e.g. qa ask "What gift did Kim give?"')
        if conversation is not None and (reply := reply_to(question)):  # "thanks", "ok": no search, no state
            return Answer(question, False, 0.0, threshold=self.threshold, reply=reply)
        if self.calibration.uses_reader:
            self.models.load_soon("reader")  # every question reads: start loading it beside everything else
        typed = question = self._fit_question(question)
        snapshot, retriever = self.live()
        written = written_in_a_row(lambda term: retriever.holding(term, WRITTEN_HOLDERS), snapshot.texts)
        question, corrections = corrected(question, retriever.frequencies, written)
        turn = conversation.turn(question) if conversation is not None else Turn()
        vector = self.models.query_encoder.embed([turn.query or question])[0]
        # A follow-up is embedded with its topic (that resolves "they", "he"), but its words alone say what
        # it asks now: the lexical signal uses only them (and its topic's, when it has none: "Why?"). The
        # names it must find in the answer's document are its own and those of whom it points at.
        candidates = retriever.candidates(
            vector,
            turn.words or question,
            self.settings.candidates,
            near=turn.near,
            names=turn.names or question,
            also=_stepped_to(snapshot, turn) + _defining(snapshot, retriever, turn.about or question),
        )
        texts = snapshot.texts([int(i) for i in candidates.ids])
        # "who else...": not what this topic was already answered with, nor a copy or version of it; left out by
        # `answer` once scored, so that what continues it keeps the score it inherits ("Why?" steps to it)
        gone: frozenset[int] = frozenset()
        if turn.excluded:
            said = [wording(t) for t in snapshot.texts(sorted(turn.excluded))]
            found = [wording(t) for t in texts]
            gone = frozenset(
                int(i)
                for i, words in zip(candidates.ids, found)
                if int(i) in turn.excluded or any(agrees(words, other) for other in said)
            )

        def sentence(i: int):
            s = snapshot.sentence(i)
            return replace(s, doc=display_path(self.settings.corpus, s.doc))

        reader = self.models.cross_encoder("reader") if self.calibration.uses_reader else None
        ranker = (lambda: self.models.cross_encoder("ranker")) if self.calibration.reranks else None
        def modified(i: int) -> int:  # when the sentence's file was last changed, as the index recorded it
            return int(snapshot.files().get(snapshot.sentence(i).doc, {}).get("mtime_ns", 0))

        result = answer(
            question, candidates, texts, sentence, self.calibration, self.threshold, limit, reader, ranker, turn, modified, gone
        )
        if conversation is not None:
            shown = result.sentences[0].index if result.sentences else None
            conversation.add(question, *_remembered(result, turn.following), shown=shown)
        if corrections:
            result = replace(result, question=typed, corrections=corrections)
        if result.sentences:
            result = replace(result, context=_context(snapshot, result.sentences[0]))
        return result


def plain_text(text: str) -> str:
    """A question as the models can read it: bytes that were not UTF-8 (kept by Python as lone surrogates:
    an argument or a piped line) become U+FFFD, and a lone surrogate a question file's JSON escapes
    ("\\ud800") a "?", instead of failing in the tokenizer."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that no undecodable byte made ("\ud800" in JSON)
        return text.encode("utf-8", "replace").decode("utf-8")


def _stepped_to(snapshot: Snapshot, turn: Turn) -> tuple[int, ...]:
    """The sentence a follow-up steps to ("Tell me more", "Who came after him?"), where the last answer's
    document holds one there: a candidate whatever the search finds."""
    step, near = turn.following, turn.near
    if step is None or near is None or step < 0:
        return ()
    try:
        step_doc, near_doc = snapshot.document_of([step, near])  # -1 for an id a remote store does not hold
    except IndexError:  # past the last sentence of a local index, whose ids are its rows
        return ()
    return (step,) if step_doc == near_doc != -1 else ()


WRITTEN_HOLDERS = 20_000  # a compound's part held by more sentences than this is too common to read them for it
DEFINING_SCAN = 20_000  # the most sentences holding a word that are read for one saying what it is
DEFINING_CANDIDATES = 20  # ... and the most of those kept as candidates, in document order


def _defining(snapshot: Snapshot, retriever: Retriever, question: str) -> tuple[int, ...]:
    """For "What is X?" or "What does X do?": the sentences that say what X is or does (`kinds.defines`:
    "Hatchling is a standards-compliant build backend ..."; `kinds.does_what`), candidates whatever the search
    finds. A short question about a thing a changelog names in its headings matched hundreds of the
    changelog's short entries better than its definition, which the search left out. Looked for among the
    sentences holding X's rarest word."""
    asked = asked_what_it_is(question)
    if asked is None:
        return ()
    thing, says = asked
    held = {t: n for t, n in retriever.frequencies(terms(thing, names=False)).items() if n}
    if not held:
        return ()
    ids = retriever.holding(min(held, key=held.__getitem__), DEFINING_SCAN)
    texts = snapshot.texts(ids) if ids else []
    return tuple(i for i, text in zip(ids, texts) if says(thing, text))[:DEFINING_CANDIDATES]


def _remembered(result: Answer, following: int | None = None) -> tuple[str, int | None, str]:
    """What a conversation keeps of an answer: its likely answer span, the top sentence's id and its text;
    nothing of an abstention, unless its top sentence is the one a follow-up stepped to (`following`: "Tell me
    more" shows what comes next, and "Go on" after it goes on from there, sure or not). (A follow-up is not
    searched with the whole sentence: it would draw it back to it; on the seed conversations, 10 of 13
    follow-ups were right when every follow-up was.)"""
    if not result.sentences:
        return "", None, ""
    top = result.sentences[0]
    if result.verdict is Verdict.ABSTAINED and top.index != following:
        return "", None, ""
    if result.answer_span is not None:
        start, end = (offset - top.sentence.start for offset in result.answer_span)
        return top.sentence.text[start:end], top.index, top.sentence.text
    return "", top.index, top.sentence.text


def _context(snapshot: Snapshot, top: ScoredSentence) -> tuple[str, str]:
    """The sentences just before and after the top one, when they are in its paragraph."""
    out = []
    for other in (top.index - 1, top.index + 1):
        inside = snapshot.same_paragraph(top.index, other)
        out.append(snapshot.texts([other])[0] if inside else "")
    return out[0], out[1]
