"""The index survives what people do: kill -9 mid-build, two indexers at once, damaged files,
documents edited or deleted between questions."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest
from conftest import REPO, SEEDS, interruptible

from qa.config import load_settings
from qa.interfaces import cli
from qa.service import Service
from qa.store.local import LocalStore

pytestmark = pytest.mark.model


def qa(*args, env):
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=REPO, env=env)


def start_qa(*args, env):
    return subprocess.Popen(
        [sys.executable, "-m", "qa", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
        preexec_fn=interruptible,
    )


def wait_until_indexing(store: LocalStore, proc, timeout: float = 120.0) -> None:
    """Return as soon as `proc` holds the store's write lock (it is inside its build), polling the lock."""
    import fcntl

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the build ended before it took the lock"
        store.root.mkdir(parents=True, exist_ok=True)
        with open(store.root / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            fcntl.flock(handle, fcntl.LOCK_UN)
        time.sleep(0.01)
    raise AssertionError("the build never took the lock")


def add_filler(corpus: Path, n: int) -> None:
    for d in range(n):
        body = "\n\n".join(
            f"Filler document {d} paragraph {p} talks about bridges, rivers and the weather in town {d}. "
            f"It mentions that the mayor of town {d} likes paragraph {p} best."
            for p in range(6)
        )
        (corpus / f"filler_{d:03}.txt").write_text(body)


@pytest.fixture
def seed_env(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    return corpus, {**os.environ, "QA_INDEX_DIR": str(tmp_path / "idx")}


def ask_top(corpus, env, question="Where are Pungsan dogs native to?"):
    result = qa("ask", question, "--corpus", str(corpus), "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["sentences"][0]["text"]


def build_interrupted_soon(corpus: Path, env: dict):
    """An index of the corpus, then 150 new documents and a second `qa index` that is inside its build:
    (store, the first build's version folder, the running process)."""
    assert qa("index", str(corpus), env=env).returncode == 0
    store = LocalStore(corpus, env["QA_INDEX_DIR"])
    before = store.current()
    add_filler(corpus, 150)
    proc = start_qa("index", str(corpus), env=env)
    wait_until_indexing(store, proc)
    return store, before, proc


def test_kill_9_during_indexing_leaves_the_previous_index_usable(seed_env):
    corpus, env = seed_env
    store, before, proc = build_interrupted_soon(corpus, env)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store.current() == before  # the old version is still the live one, complete
    for filler in corpus.glob("filler_*.txt"):
        filler.unlink()
    assert "northern North Korea" in ask_top(corpus, env)
    assert store.current() == before  # documents as before: nothing was rebuilt
    assert not list(store.root.glob(".tmp-*"))  # what the killed build wrote went with the next command


def test_two_indexers_never_interleave(seed_env):
    corpus, env = seed_env
    add_filler(corpus, 80)
    first = start_qa("index", str(corpus), "--force", env=env)
    wait_until_indexing(LocalStore(corpus, env["QA_INDEX_DIR"]), first)
    second = start_qa("index", str(corpus), "--force", env=env)
    out1, err1 = first.communicate()
    out2, err2 = second.communicate()
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert "waiting for it to finish" in err1 + err2
    store = LocalStore(corpus, env["QA_INDEX_DIR"])
    loaded = store.open()
    assert loaded.manifest["counts"]["documents"] == 81
    assert len([p for p in store.root.iterdir() if p.name.startswith(("v-", ".tmp-"))]) == 1


def test_damaged_index_file_is_detected_and_rebuilt(seed_env):
    corpus, env = seed_env
    assert qa("index", str(corpus), env=env).returncode == 0
    live = LocalStore(corpus, env["QA_INDEX_DIR"]).current()
    faiss_file = live / "sentences.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])  # truncated
    result = qa("ask", "Where are Pungsan dogs native to?", "--corpus", str(corpus), "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert "damaged" in result.stderr and "rebuilding" in result.stderr
    assert "northern North Korea" in json.loads(result.stdout)["sentences"][0]["text"]


def test_edited_and_deleted_files_between_questions(seed_env, real_embedder):
    corpus, env = seed_env
    (corpus / "zoo.txt").write_text("The zoo keeps three red pandas in the north enclosure.")
    settings = load_settings(corpus=str(corpus), index_dir=env["QA_INDEX_DIR"])
    engine = Service(settings, embedder=real_embedder, freshness="background")
    question = "How many red pandas does the zoo keep?"
    assert "three red pandas" in engine.ask(question).sentences[0].sentence.text
    (corpus / "zoo.txt").write_text("The zoo now keeps five red pandas in the south enclosure.")
    assert "three red pandas" in engine.ask(question).sentences[0].sentence.text  # until the refresh is ready
    assert engine.refresh()  # what the background watcher does
    assert "five red pandas" in engine.ask(question).sentences[0].sentence.text
    assert not engine.refresh()  # nothing changed since
    (corpus / "zoo.txt").unlink()
    assert engine.refresh()
    result = engine.ask(question)
    assert all(not s.sentence.doc.endswith("zoo.txt") for s in result.sentences)


def test_background_watch_swaps_in_the_new_index(seed_env, real_embedder):
    corpus, env = seed_env
    settings = load_settings(corpus=str(corpus), index_dir=env["QA_INDEX_DIR"])
    engine = Service(settings, embedder=real_embedder, freshness="background")
    engine.ask("Where are Pungsan dogs native to?")
    engine.watch(interval=0.05)
    try:
        (corpus / "zoo.txt").write_text("The zoo keeps seven snow leopards.")
        assert engine.refreshed.wait(timeout=60), "the watcher never swapped in the new index"
        assert "snow leopards" in engine.ask("How many snow leopards does the zoo keep?").sentences[0].sentence.text
    finally:
        engine.close()


def test_one_ask_per_process_checks_freshness_once(seed_env, real_embedder, monkeypatch):
    import qa.service

    corpus, env = seed_env
    calls = []
    real = qa.service.is_current
    monkeypatch.setattr(qa.service, "is_current", lambda *a: calls.append(1) or real(*a))
    engine = Service(load_settings(corpus=str(corpus), index_dir=env["QA_INDEX_DIR"]), embedder=real_embedder)
    for _ in range(3):
        engine.ask("Where are Pungsan dogs native to?")
    assert len(calls) == 1


def test_a_stop_that_ends_inside_an_exec_still_exits_130(tmp_path):
    """CPython marks a Ctrl-C that ends an `exec` of a string as unhandled (dataclasses run one for each class
    a module defines: a Ctrl-C during a lazy import lands there), and a `python -m` program then dies by
    SIGINT, exit -2, whatever it exits with. qa's report of the stop clears the mark: the interrupted build's
    test above once saw "qa: interrupted" with exit -2."""
    program = tmp_path / "stopped"
    program.mkdir()
    (program / "__main__.py").write_text(
        "import sys\nfrom qa.interfaces import cli\ntry:\n    exec('raise KeyboardInterrupt')\n"
        "except KeyboardInterrupt:\n    cli._stopping('qa: interrupted')\n    sys.exit(130)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    done = subprocess.run([sys.executable, "-m", "stopped"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "qa: interrupted"


@pytest.mark.parametrize(("sig", "code", "word"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_an_interrupted_build_says_so_and_exits_non_zero(seed_env, sig, code, word):
    corpus, env = seed_env
    store, before, proc = build_interrupted_soon(corpus, env)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert err.strip().splitlines() == [f"qa: {word}"]
    assert store.current() == before  # the previous index is still the live one
    assert not list(store.root.glob(".tmp-*"))  # the half-written version went with the interrupted build


@pytest.mark.parametrize("stop", [cli.Terminated, KeyboardInterrupt])
def test_a_stop_python_swallowed_is_raised_again_at_the_next_progress_report(monkeypatch, stop):
    # a signal's exception raised inside a weakref callback (as during an import) is only reported by Python
    # and the command ran on; it must still stop the build before it publishes
    monkeypatch.setattr(sys, "unraisablehook", cli._keep_stops)
    monkeypatch.setattr(cli, "_swallowed", [])

    class Held:
        pass

    held = Held()

    def callback(_):
        raise stop()

    ref = weakref.ref(held, callback)
    del held
    assert ref() is None and cli._swallowed == [stop]
    with pytest.raises(stop):
        cli._progress(show=False)(1, 2, 0)
    cli._progress(show=False)(2, 2, 0)  # raised once, then the build is unwound


def test_a_stop_that_comes_while_another_is_reported_still_exits_as_interrupted(monkeypatch, capsys):
    # a second Ctrl-C (or a stop Python kept) raised while the first stop is being reported escaped main()
    # as a KeyboardInterrupt, and Python ended the process by SIGINT (exit -2), not with 130
    said = []

    def echo(message, err=False):
        said.append(message)
        if len(said) == 1:
            raise KeyboardInterrupt  # arrives as the first report begins
        print(message, file=sys.stderr)

    def interrupted(**_):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.typer, "echo", echo)
    monkeypatch.setattr(cli, "app", interrupted)
    monkeypatch.setattr(cli.signal, "signal", lambda *a: None)  # this process's own handlers stay as they are
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 130 and capsys.readouterr().err == "qa: interrupted\n"  # said once


def test_other_unraisable_errors_are_still_reported(monkeypatch, capsys):
    monkeypatch.setattr(sys, "unraisablehook", cli._keep_stops)
    monkeypatch.setattr(cli, "_swallowed", [])

    class Broken:
        def __del__(self):
            raise ValueError("broken finaliser")

    Broken()
    assert cli._swallowed == []
    assert "broken finaliser" in capsys.readouterr().err
