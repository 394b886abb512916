"""Typer CLI: parse, call the library, render. Nothing else lives here."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path

import typer

from qa.config import Settings, default_questions, load_settings
from qa.errors import QAError, QuestionError

app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Answer questions from your own documents, offline, with cited supporting sentences.",
)

CorpusOpt = typer.Option(None, "--corpus", "-c", help="File or folder of documents [env QA_CORPUS; default: the seed article]")
IndexDirOpt = typer.Option(
    None, "--index-dir", help="Where indexes live [env QA_INDEX_DIR; default: embeddings/ in a checkout, else ~/.cache/qa]"
)
ModelOpt = typer.Option(None, "--model", help="Model: 'all-MiniLM-L6-v2' (packaged) or a local folder [env QA_MODEL]")
JsonOpt = typer.Option(False, "--json", help="Machine-readable JSON output")
TopKOpt = typer.Option(None, "--top-k", "-k", help="Supporting sentences to return [default: 3]")
StoreOpt = typer.Option(
    None, "--store", help="Where the index lives: local, a milvus-lite file (x.db) or http(s)://milvus:19530 [env QA_STORE]"
)


def _service(settings: Settings, quiet: bool = False, freshness: str = "once"):
    from qa.service import Service

    def notice(corpus: str) -> None:
        if not quiet and sys.stderr.isatty():
            typer.echo(f"Indexing {corpus} ...", err=True)

    def warn(message: str) -> None:
        typer.echo(f"qa: notice: {message}", err=True)

    return Service(
        settings,
        freshness=freshness,
        on_build=notice,
        on_notice=warn,
        on_progress=_progress(show=not quiet),
    )


def _watching_service(settings: Settings, quiet: bool = False):
    """The service of a long-running command (chat, serve): the index built or loaded and the question
    encoder loaded before the first question, so none waits on them; edited documents re-indexed in the
    background while the old index answers."""
    service = _service(settings, quiet=quiet, freshness="background")
    service.live()
    service.models.query_encoder.embed(["warm-up"])
    service.watch()
    return service


def _progress(show: bool):
    """What follows a build: a stop signal that Python swallowed is raised again here (`_keep_stops`), and,
    when `show` and stderr is a terminal, a rich progress bar of files read, with texts embedded and texts/s."""
    show = show and sys.stderr.isatty()
    state: dict = {}

    def update(files: int, total: int, embedded: int) -> None:
        _stop_if_swallowed()
        if not show:
            return
        if "bar" not in state:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            bar = Progress(
                TextColumn("indexing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files, {task.fields[embedded]} texts embedded ({task.fields[rate]}/s)"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            task = bar.add_task("index", total=total, embedded=0, rate="-")
            state.update(bar=bar, task=task, started=time.perf_counter())
        bar = state["bar"]
        rate = embedded / max(time.perf_counter() - state["started"], 1e-9)
        bar.update(state["task"], completed=files, embedded=f"{embedded:,}", rate=f"{rate:.0f}")
        if files >= total:
            bar.stop()

    return update


# ---- rendering ------------------------------------------------------------------------------
def _shown(path: str) -> str:
    """A path as short as it can honestly be: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_line(obj: object) -> str:
    """One line of JSON, UTF-8 text as it is. A file name that is not valid UTF-8 holds lone surrogates
    (Python's surrogateescape); they are written as \\udcXX escapes, so the line is valid UTF-8 and
    `os.fsencode(json.loads(line)["sentences"][0]["doc"])` gives the name's bytes back."""
    text = json.dumps(obj, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _emit_json(obj: object) -> None:
    sys.stdout.write(json_line(obj) + "\n")
    sys.stdout.flush()


def _count(n: int, noun: str) -> str:
    """"1 text", "3 texts"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


# ---- commands -------------------------------------------------------------------------------
@app.command()
def ask(
    question: str = typer.Argument(..., help="The question, in quotes"),
    corpus: str | None = CorpusOpt,
    index_dir: str | None = IndexDirOpt,
    model: str | None = ModelOpt,
    store: str | None = StoreOpt,
    top_k: int | None = TopKOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Answer one question with cited supporting sentences."""
    settings = load_settings(corpus=corpus, index_dir=index_dir, model=model, store=store, top_k=top_k)
    _show(_service(settings).ask(question), settings.top_k, as_json)


def _show(result, top_k: int, as_json: bool) -> None:
    if as_json:
        _emit_json(result.to_json(top_k))
    else:
        from qa.interfaces.render import print_answer

        print_answer(result, top_k)


CHAT_HELP = """Type a question and press Enter. Follow-up questions ("what kind are they?") use the conversation.
  :help          this text
  :reset         forget the conversation
  :quit, exit    leave (Ctrl-D works too)"""


def _chat_lines(interactive: bool):
    """Yield input lines: a prompt_toolkit prompt with history on a terminal, plain stdin otherwise."""
    if interactive:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, History, InMemoryHistory

        state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "qa"
        try:
            state.mkdir(parents=True, exist_ok=True)
            history: History = FileHistory(str(state / "chat_history"))
        except OSError:
            history = InMemoryHistory()
        session: PromptSession[str] = PromptSession(history=history)
        while True:
            try:
                yield session.prompt("qa> ")
            except KeyboardInterrupt:
                continue
            except EOFError:
                return
    else:
        for line in sys.stdin:
            yield line.rstrip("\n")


@app.command()
def chat(
    corpus: str | None = CorpusOpt,
    index_dir: str | None = IndexDirOpt,
    model: str | None = ModelOpt,
    store: str | None = StoreOpt,
    top_k: int | None = TopKOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Interactive questions and answers; follow-ups use the conversation."""
    from qa.conversation import Conversation

    settings = load_settings(corpus=corpus, index_dir=index_dir, model=model, store=store, top_k=top_k)
    service = _watching_service(settings, quiet=as_json)
    interactive = sys.stdin.isatty() and not as_json
    conversation = Conversation()
    if interactive:
        typer.echo(f"qa chat over {_shown(settings.corpus)} - :help for commands, :quit to leave")
    for raw in _chat_lines(interactive):
        line = raw.strip()
        if not line:
            continue
        if line in {":quit", ":q", "exit", "quit", ":exit"}:
            break
        if line in {":help", ":h", "help", "?"}:
            typer.echo(CHAT_HELP, err=as_json)
            continue
        if line == ":reset":
            conversation.reset()
            typer.echo("(conversation forgotten)", err=as_json)
            continue
        if line.startswith(":"):
            typer.echo(f"unknown command {line!r}; :help lists the commands", err=True)
            continue
        try:
            result = service.ask(line, conversation)
        except QAError as exc:
            if as_json:
                _emit_json({"question": line, "error": str(exc)})
            typer.echo(f"qa: error: {exc}", err=True)
            continue
        _show(result, settings.top_k, as_json)
        if not as_json:
            typer.echo("")
    service.close()


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@app.command()
def serve(
    corpus: str | None = CorpusOpt,
    index_dir: str | None = IndexDirOpt,
    model: str | None = ModelOpt,
    store: str | None = StoreOpt,
    top_k: int | None = TopKOpt,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; any but loopback needs QA_TOKEN"),
    port: int = typer.Option(8000, "--port", help="Port to listen on"),
) -> None:
    """Serve the chat page and the HTTP API (/api/ask, /api/health, /api/context, /docs)."""
    token = os.environ.get("QA_TOKEN") or None
    if host not in LOOPBACK and token is None:
        raise QAError(f"serving on {host} needs a token: set QA_TOKEN, and send it as 'Authorization: Bearer …'")
    import socket

    import uvicorn

    from qa.interfaces.web import create_app

    try:  # bound here, so a port in use is one line before anything starts
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(2048)  # connections made from now on wait in the queue until uvicorn serves them
    except OSError as exc:
        raise QAError(f"could not listen on {host}:{port}: {exc.strerror or exc}") from None
    settings = load_settings(corpus=corpus, index_dir=index_dir, model=model, store=store, top_k=top_k)
    service = _watching_service(settings)
    stats = service.stats()
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"qa serving {stats['documents']} documents from {_shown(settings.corpus)}")
    typer.echo(f"  open http://{shown}:{port}/ (API docs at /docs); Ctrl-C stops")
    config = uvicorn.Config(create_app(service, token), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    try:
        # uvicorn takes Ctrl-C and SIGTERM: it stops accepting, finishes the requests in flight, then passes
        # the signal on, so qa exits as every interrupted command does (one line, 130 or 143)
        server.run(sockets=[listener])
    finally:
        service.close()
    if not server.started:
        raise QAError(f"could not serve on {host}:{port}")


@app.command("index")
def index_cmd(
    path: str | None = typer.Argument(None, help="File or folder of documents [default: seeds/]"),
    index_dir: str | None = IndexDirOpt,
    model: str | None = ModelOpt,
    store: str | None = StoreOpt,
    force: bool = typer.Option(False, "--force", help="Re-embed everything"),
    ray: str | None = typer.Option(
        None, "--ray", help="Embed on Ray (qa[scale]): alone, a local Ray; or a cluster's address [env QA_RAY_ADDRESS]"
    ),
    device: str | None = typer.Option(
        None, "--device", help="Encoder device: cpu, cuda, ... [default: cuda if present]"
    ),
    max_file_mb: float | None = typer.Option(
        None, "--max-file-mb", help="Skip files larger than this (every format) [default: 8 text/CSV, 128 PDF/slides, 32 the rest]"
    ),
    max_pdf_pages: int | None = typer.Option(None, "--max-pdf-pages", help="Skip longer PDFs [default: 10000]"),
    follow_symlinks: bool | None = typer.Option(
        None, "--follow-symlinks/--no-follow-symlinks", help="Index links to files outside the corpus folder"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Build or update the index of a corpus. Reading options are kept with the index for later commands."""
    settings = load_settings(
        corpus=path,
        index_dir=index_dir,
        model=model,
        store=store,
        ray=ray,
        device=device,
        max_file_mb=max_file_mb,
        max_pdf_pages=max_pdf_pages,
        follow_symlinks=follow_symlinks,
    )
    service = _service(settings, quiet=as_json)
    report = service.ensure_index(force=force)
    stats = service.stats()
    location = stats["location"]
    if as_json:
        _emit_json(
            {
                "corpus": settings.corpus,
                "index": location,
                "store": stats["store"],
                "documents": report.documents,
                "sentences": report.sentences,
                "passages": report.passages,
                "embedded": report.embedded,
                "encoded": report.encoded,
                "reused_documents": report.reused_documents,
                "reused_texts": report.reused_texts,
                "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
                "seconds": round(report.seconds, 3),
                "rebuilt": report.rebuilt,
            }
        )
        return
    counts = f"{report.documents} documents, {report.sentences} sentences, {report.passages} passages"
    if report.rebuilt:
        kinds = ((report.reused_documents, "document"), (report.reused_texts, "text"))
        reused = [_count(n, f"unchanged {what}") for n, what in kinds if n]
        kept = f"; {' and '.join(reused)} reused" if reused else ""
        typer.echo(f"Index built: {counts} ({_count(report.encoded, 'text')} encoded{kept}) in {report.seconds:.1f}s")
    else:
        typer.echo(f"Index already up to date: {counts}")
    typer.echo(f"  at {location} [{stats['store']} store]")
    for line in skipped_lines(report.skipped):
        typer.echo(f"  {line}")


GROUPED = 3  # files skipped for one type they are of, from which one line names them all


def skipped_lines(skipped) -> list[str]:
    """A line per skipped file and its reason, except that files skipped only for their type (a folder of
    photos, a project's code) or as a saved web page's resources share one line per reason once there are
    GROUPED of them, naming the first few."""
    from collections import defaultdict

    from qa.ingest.loaders import SAVED_PAGE_FILES
    from qa.interfaces.render import path_shown

    by_type: dict[str, list[str]] = defaultdict(list)
    for item in skipped:
        if item.reason.startswith("unsupported file type") or item.reason == SAVED_PAGE_FILES:
            by_type[item.reason].append(path_shown(item.path))
    lines, said = [], set()
    for item in skipped:
        paths = by_type.get(item.reason, [])
        if len(paths) < GROUPED:
            lines.append(f"skipped {path_shown(item.path)}: {item.reason}")
        elif item.reason not in said:
            said.add(item.reason)
            named = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
            lines.append(f"skipped {len(paths)} files, {item.reason}: {named}")
    return lines


METRIC_ROWS = [
    ("ans@1", "ans@1 (gold answer in top sentence)"),
    ("ans@3", "ans@3"),
    ("ans@5", "ans@5"),
    ("mrr@10", "MRR@10"),
    ("gold_sentence@1", "gold sentence @1"),
    ("end_to_end_accuracy", "end-to-end accuracy"),
    ("confidence_auroc", "confidence AUROC"),
    ("calibration_error", "calibration error (ECE)"),
    ("calibration_error_by_chance", "  ECE if perfectly calibrated (chance)"),
    ("answers_right", "answers given that are right"),
    ("abstention_unanswerable", "abstention on unanswerable"),
    ("false_abstention", "false abstention on answerable"),
    ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
]


@app.command("eval")
def eval_cmd(
    file: str | None = typer.Argument(None, help="Questions JSONL [default: eval/seed_questions.jsonl]"),
    corpus: str | None = CorpusOpt,
    index_dir: str | None = IndexDirOpt,
    model: str | None = ModelOpt,
    store: str | None = StoreOpt,
    top_k: int | None = TopKOpt,
    as_json: bool = JsonOpt,
    predictions: str | None = typer.Option(None, "--predictions", help="Write one JSON line per question here"),
    plot: str | None = typer.Option(None, "--plot", help="Write a calibration plot (PNG) here"),
) -> None:
    """Score the system on a question set (answer hits, abstention, latency) or, for a file of
    conversations ({"turns": [...]} lines), on its follow-up questions."""
    from qa.evaluation.metrics import is_conversation_file, load_questions, plot_reliability, reliability, summarize
    from qa.evaluation.runner import measure

    default = default_questions()
    if file is None and default is None:
        raise QuestionError("no question file given: qa eval QUESTIONS.jsonl (one JSON object per line)")
    path = file or str(default)
    settings = load_settings(corpus=corpus, index_dir=index_dir, model=model, store=store, top_k=top_k)
    conversations = Path(path).is_file() and is_conversation_file(path)
    questions = None if conversations else load_questions(path)
    outcomes = []
    with contextlib.ExitStack() as stack:
        # both output files are opened before any question is asked: a path that cannot be written fails now
        out = stack.enter_context(_output(predictions, "predictions")) if predictions else None
        if plot:
            stack.enter_context(_output(plot, "plot", binary=True))
        if questions is None:
            _eval_conversations(path, settings, as_json, out, plot)
            return
        service = _service(settings, quiet=as_json)
        service.live()
        for q in questions:
            result, outcome = measure(service.ask, q)
            outcomes.append(outcome)
            if out is not None:
                out.write(_prediction(result, outcome, settings.top_k))
    summary = summarize(outcomes)
    table = reliability(outcomes)
    if plot:
        plot_reliability(table, plot, f"{Path(path).name}: confidence calibration")
    if as_json:
        _emit_json({"questions_file": path, "corpus": settings.corpus, **summary, "reliability": table})
        return
    typer.echo(
        f"{summary['questions']} questions ({summary['answerable']} answerable, {summary['unanswerable']} unanswerable)"
        f" on {_shown(settings.corpus)}"
    )
    for key, label in METRIC_ROWS:
        value = summary[key]
        if value is None:
            shown = "     n/a" + ("  (no gold_sentence in the file)" if key == "gold_sentence@1" else "")
        else:
            shown = f"{value:8.1f}" if key.startswith("latency") else f"{value:8.3f}"
        typer.echo(f"  {label:<38}{shown}")
    typer.echo("  reliability (confidence bin: questions, mean confidence, top sentence right)")
    for row in table:
        if row["n"]:
            typer.echo(
                f"    {row['lo']:.1f}-{row['hi']:.1f}: {row['n']:5d}  {row['mean_confidence']:.2f}  {row['accuracy']:.2f}"
            )
    if plot:
        typer.echo(f"  calibration plot written to {plot}")


def _output(path: str, what: str, binary: bool = False):
    """A file `qa eval` writes, opened (created) now; one that cannot be is a one-line error."""
    try:
        return open(path, "wb") if binary else open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise QuestionError(f"cannot write the {what} file {path!r}: {exc.strerror or exc}") from None


def _prediction(result, outcome, top_k: int) -> str:
    """One line of `qa eval --predictions`: the question's id and what `qa ask --json` says of it, timed."""
    row = result.to_json(top_k)
    keep = {"id": outcome.question.id, **{k: row[k] for k in ("answered", "confidence", "sentences")}}
    return json_line({**keep, "latency_ms": round(outcome.latency_ms, 2)}) + "\n"


def _eval_conversations(path: str, settings: Settings, as_json: bool, out=None, plot: str | None = None) -> None:
    """Follow-up accuracy on a file of conversations; `out`, when given, gets each turn's prediction line
    (its id "CONVERSATION/TURN", turns counted from 0); `plot`, the follow-ups' calibration plot."""
    from qa.conversation import Conversation
    from qa.evaluation.metrics import (
        Outcome,
        load_conversations,
        plot_reliability,
        reliability,
        summarize_conversations,
    )
    from qa.evaluation.runner import measure

    conversations = load_conversations(path)
    service = _service(settings, quiet=as_json)
    service.live()
    first: list[Outcome] = []
    follow_ups: list[Outcome] = []
    for conversation in conversations:
        state = Conversation()
        for k, q in enumerate(conversation.turns):
            result, outcome = measure(service.ask, q, state)
            (follow_ups if k else first).append(outcome)
            if out is not None:
                out.write(_prediction(result, outcome, settings.top_k))
    summary = summarize_conversations(first, follow_ups)
    if plot:
        plot_reliability(reliability(follow_ups), plot, f"{Path(path).name}: follow-ups' confidence calibration")
    if as_json:
        _emit_json({"conversations_file": path, "corpus": settings.corpus, **summary})
        return
    typer.echo(
        f"{summary['conversations']} conversations, {summary['follow_up_turns']} follow-up turns on {_shown(settings.corpus)}"
    )
    for key, label in (("first_turn_gold_sentence@1", "first turns"), ("follow_up_gold_sentence@1", "follow-ups")):
        value = summary[key]
        typer.echo(f"  {label + ': gold sentence @1':<38}" + ("     n/a" if value is None else f"{value:8.3f}"))
    right = summary["follow_up_right@1"]  # by the gold answers where a turn has them
    typer.echo(f"  {'follow-ups: right sentence first':<38}" + ("     n/a" if right is None else f"{right:8.3f}"))
    typer.echo(f"  {'follow-ups answered':<38}{summary['follow_up_answered']:8d}")
    for key, label in (
        ("follow_up_answers_right", "follow-up answers given that are right"),
        ("follow_up_calibration_error", "follow-ups: calibration error (ECE)"),
        ("follow_up_calibration_error_by_chance", "  ECE if perfectly calibrated (chance)"),
        ("follow_up_unanswerable_abstained", "unanswerable follow-ups: abstained"),
    ):
        value = summary[key]
        typer.echo(f"  {label:<38}" + ("     n/a" if value is None else f"{value:8.3f}"))
    typer.echo(f"  {'latency p50 (ms)':<38}{summary['latency_p50_ms']:8.1f}")
    if plot:
        typer.echo(f"  calibration plot written to {plot}")


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that what is being written is cleaned up on the way out."""


_RAY_ADDRESS = re.compile(r"^(?:ray://\S+|auto|local|[\w.-]+:\d+)$")


def _ray_alone(args: list[str]) -> list[str]:
    """`qa index --ray` with no address means a local Ray: the option's value is supplied when the word after
    it is not an address (`qa index --ray docs/`)."""
    out = list(args)
    for i, arg in enumerate(out):
        if arg == "--ray" and (i + 1 == len(out) or not _RAY_ADDRESS.match(out[i + 1])):
            out[i] = "--ray=local"
    return out


def _terminate(signum, frame) -> None:
    raise Terminated()


_swallowed: list[type[BaseException]] = []


def _keep_stops(unraisable) -> None:
    """`sys.unraisablehook`: a Ctrl-C or SIGTERM whose exception was raised where Python cannot raise one (in
    a weakref callback during an import, in a `__del__`) is kept, to be raised again at the next safe point
    (`_stop_if_swallowed`), instead of printed and lost while the command runs on; anything else is
    reported as Python does."""
    if unraisable.exc_type in (Terminated, KeyboardInterrupt):
        _swallowed.append(unraisable.exc_type)
    else:
        sys.__unraisablehook__(unraisable)


def _stop_if_swallowed() -> None:
    """Raise the stop `_keep_stops` kept, in the main thread (a background refresh never takes it)."""
    if _swallowed and threading.current_thread() is threading.main_thread():
        raise _swallowed.pop()()


def main() -> None:
    """Entry point: every failure becomes one line on stderr and a non-zero exit code; an interrupted
    command (Ctrl-C, SIGTERM) says so and exits 130 or 143, once: a stop that comes while an earlier one is
    being reported (a second Ctrl-C, or one Python kept, `_keep_stops`) ends the same way, not as Python's
    own death by SIGINT (exit -2)."""
    _said.clear()
    try:
        _main()
    except KeyboardInterrupt:
        _stopping("qa: interrupted")
        sys.exit(130)


_said: list[str] = []  # the stop already reported, if any


def _stopping(message: str) -> None:
    """Report a stop, once: further Ctrl-C and SIGTERM are ignored while the command exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _handled_interrupt()
    if not _said:
        typer.echo(message, err=True)
        _said.append(message)


def _handled_interrupt() -> None:
    """CPython marks a Ctrl-C that ends an `exec` of a string as unhandled (dataclasses and namedtuple run
    one for each class a module defines, so a Ctrl-C during a lazy import often lands there), and `python -m
    qa` then dies by SIGINT (exit -2) however it exits: this command handled it, so the mark is cleared and
    it exits 130. Where the interpreter does not expose the mark, it stays."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.c_int.in_dll(ctypes.pythonapi, "_Py_UnhandledKeyboardInterrupt").value = 0


def _main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    sys.unraisablehook = _keep_stops
    stdout = sys.stdout
    try:
        try:
            code = app(args=_ray_alone(sys.argv[1:]), standalone_mode=False)
            _stop_if_swallowed()
        except SystemExit as exc:
            # Click and Rich meet a closed pipe by muting the streams and exiting 1
            if sys.stdout is not stdout or isinstance(exc.__context__, BrokenPipeError):
                raise BrokenPipeError from None
            raise
        if code == 130:  # Typer's own report of a Ctrl-C it caught
            raise KeyboardInterrupt
        if isinstance(code, int) and code:
            sys.exit(code)
    except Terminated:
        _stopping("qa: terminated")
        sys.exit(143)
    except QAError as exc:
        from qa.interfaces.render import for_terminal

        typer.echo(f"qa: error: {for_terminal(str(exc))}", err=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _stopping("qa: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # the reader stopped reading (`qa ask ... | head -1`): it has what it wanted; leave quietly, with
        # stdout pointed at /dev/null so that the interpreter's last flush does not fail again
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        sys.exit(0)
    except Exception as exc:
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # usage errors from Typer/Click
            if type(exc).__name__ != "NoArgsIsHelpError":  # that one has already printed the help
                typer.echo(f"qa: error: {exc.format_message()} (see qa --help)", err=True)
            sys.exit(exc.exit_code)
        # last resort: still one line, never a traceback
        typer.echo(f"qa: unexpected error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(3)
