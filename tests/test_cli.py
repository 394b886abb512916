"""Tier 4: the CLI through Typer's runner (real model), and error paths through a real subprocess."""

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO, SEED_QUESTIONS
from typer.testing import CliRunner

from qa.interfaces.cli import app

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def env(seed_copy, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("cli-index")
    return {"QA_INDEX_DIR": str(index_dir), "QA_CORPUS": str(seed_copy), "NO_COLOR": "1"}


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_ask_human_output_names_the_dogs_and_the_file(runner, env):
    result = runner.invoke(app, ["ask", "What gift did Kim give?"], env=env)
    assert result.exit_code == 0, result.output
    assert "Pungsan dogs" in result.stdout
    assert "000_9b1f5fc848f7d4ab.txt:" in result.stdout


def test_abstention_says_the_confidence_it_would_need(runner, env):
    result = runner.invoke(app, ["ask", "How many people live in Pyongyang?"], env={**env, "QA_THRESHOLD": "0.99"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("The documents do not seem to answer this (confidence 0.")
    assert "; it answers from 0.99). Closest sentence:" in result.stdout


def test_an_abstention_more_likely_right_than_not_says_not_sure(runner, env):
    result = runner.invoke(app, ["ask", "Where are Pungsan dogs native to?"], env={**env, "QA_THRESHOLD": "0.99"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Not sure the documents answer this (confidence 0.")  # at least 0.5, under 0.99
    assert "; it answers from 0.99). This sentence may:" in result.stdout
    assert "native to a region in northern North Korea" in result.stdout


def test_ask_json_has_the_contract_shape(runner, env):
    result = runner.invoke(app, ["ask", "Where are Pungsan dogs native to?", "--json"], env=env)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) - {"answer"} == {"question", "answered", "confidence", "sentences"}
    assert isinstance(payload["answered"], bool) and 0.0 <= payload["confidence"] <= 1.0
    assert len(payload["sentences"]) == 3
    first = payload["sentences"][0]
    assert set(first) == {"text", "doc", "start", "end", "score"}
    assert "native to a region in northern North Korea" in first["text"]
    with open(first["doc"], encoding="utf-8") as handle:
        source = handle.read()
    assert source[first["start"] : first["end"]] == first["text"]
    if "answer" in payload:  # the likely answer, located in the same document text
        answer = payload["answer"]
        assert source[answer["start"] : answer["end"]] == answer["text"]
        assert first["start"] <= answer["start"] < answer["end"] <= first["end"]


def test_chat_transcript_two_questions_help_bad_command_and_quit(runner, env):
    script = (
        "What did Kim feed to the horse?\n:help\n:bogus\n\nWhere are Pungsan dogs native to?\n:quit\nNever asked?\n"
    )
    result = runner.invoke(app, ["chat"], input=script, env=env)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "carrots" in out and "northern North Korea" in out
    assert ":reset" in out  # the help text
    assert "unknown command ':bogus'" in result.stderr
    assert "Never asked" not in out  # :quit ended the session


def test_chat_json_one_object_per_line_with_context(runner, env):
    script = (
        "Which former South Korean president also received Pungsan dogs?\nWhen did he receive them?\n:reset\nexit\n"
    )
    result = runner.invoke(app, ["chat", "--json"], input=script, env=env)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert "Moon Jae-in" in lines[0]["sentences"][0]["text"]
    assert "2018" in lines[1]["sentences"][0]["text"]


def test_chat_replies_to_thanks_without_searching_and_keeps_the_conversation(runner, env):
    script = "Which former South Korean president also received Pungsan dogs?\nthanks!\nWhen did he receive them?\n"
    result = runner.invoke(app, ["chat", "--json"], input=script, env=env)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    thanks = {"question": "thanks!", "answered": False, "confidence": 0.0, "sentences": [], "reply": "You're welcome."}
    assert lines[1] == thanks
    assert "2018" in lines[2]["sentences"][0]["text"]  # the topic outlived the thanks
    shown = runner.invoke(app, ["chat"], input="Hello\nok\n", env=env)
    assert shown.exit_code == 0, shown.output
    assert "Hello. Ask me" in shown.stdout and "Ask another question" in shown.stdout
    assert "do not seem to answer" not in shown.stdout and "source:" not in shown.stdout


def test_chat_reading_on_shows_what_follows_in_the_document(runner, env):
    script = "Who rode a white stallion?\nTell me more\n"
    strict = {**env, "QA_THRESHOLD": "0.99"}  # nothing answered: reading on is shown as what follows, not judged
    result = runner.invoke(app, ["chat", "--json"], input=script, env=strict)
    assert result.exit_code == 0, result.output
    first, more = [json.loads(line) for line in result.stdout.splitlines()]
    assert "read_on" not in first and more["read_on"] is True
    assert more["sentences"][0]["text"].startswith("He was seen riding a white horse again")
    shown = runner.invoke(app, ["chat"], input=script, env=strict)
    assert shown.exit_code == 0, shown.output
    last = shown.stdout.split("Next in the document:", 1)
    assert len(last) == 2 and "He was seen riding a white horse again" in last[1]
    assert "do not seem to answer" not in last[1] and "Not sure" not in last[1]


def test_chat_who_else_goes_past_a_sentence_shown_but_not_given(runner, env):
    script = "Who received Pungsan dogs?\nWho else?\n"
    strict = {**env, "QA_THRESHOLD": "0.99"}  # neither answered: the first is shown, not given
    result = runner.invoke(app, ["chat", "--json"], input=script, env=strict)
    assert result.exit_code == 0, result.output
    first, other = [json.loads(line) for line in result.stdout.splitlines()]
    assert "Putin" in first["sentences"][0]["text"]
    assert other["sentences"][0]["text"].startswith("Former South Korean president Moon Jae-in also received")


def test_index_says_what_it_encoded_and_what_it_reused(runner, env, tmp_path):
    corpus = tmp_path / "notes"
    corpus.mkdir()
    (corpus / "boats.txt").write_text("The club owns two boats. Both are moored at the east pier.\n")
    (corpus / "dues.txt").write_text("Members pay their dues in March.\n")
    first = runner.invoke(app, ["index", str(corpus)], env=env)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Index built: 2 documents, 3 sentences") and "reused" not in first.stdout
    with (corpus / "boats.txt").open("a") as handle:
        handle.write("\nA third boat arrives in May.\n")
    again = runner.invoke(app, ["index", str(corpus)], env=env)
    assert again.exit_code == 0, again.output
    # the new sentence (also a passage of its own) is encoded; the rest of the edited file's texts are reused
    assert "(1 text encoded; 1 unchanged document and 3 unchanged texts reused)" in again.stdout


def test_index_then_eval_with_predictions(runner, env, tmp_path):
    result = runner.invoke(app, ["index", env["QA_CORPUS"], "--json"], env=env)
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["index", env["QA_CORPUS"], "--json"], env=env)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["documents"] == 1 and summary["embedded"] == summary["encoded"] == 0  # nothing changed
    assert not summary["rebuilt"]
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["eval", str(SEED_QUESTIONS), "--json", "--predictions", str(out)], env=env)
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    for key in (
        "ans@1",
        "ans@3",
        "ans@5",
        "mrr@10",
        "gold_sentence@1",
        "abstention_unanswerable",
        "false_abstention",
        "latency_p50_ms",
        "latency_p95_ms",
        "calibration_error_by_chance",
    ):
        assert key in metrics
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == metrics["questions"]
    assert set(rows[0]) == {"id", "answered", "confidence", "sentences", "latency_ms"}


def test_eval_table_output(runner, env):
    result = runner.invoke(app, ["eval"], env=env)
    assert result.exit_code == 0, result.output
    assert "gold sentence @1" in result.stdout and "latency p95 (ms)" in result.stdout
    # the ECE beside what chance alone gives a perfectly calibrated confidence on as many questions
    ece, chance = (float(line.split()[-1]) for line in result.stdout.splitlines() if "ECE" in line)
    assert 0.0 < chance < 0.5 and 0.0 <= ece <= 1.0


def run_qa(*args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=REPO, env=full_env)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "   "], "question is empty"),
        (["ask", "Why?", "--corpus", "/nonexistent/folder"], "does not exist"),
        (["ask", "Why?", "--model", "/nonexistent/model"], "no sentence-transformers model"),
        (["eval", "/nonexistent/q.jsonl"], "does not exist"),
        (["ask"], "Missing argument"),
        (["ask", "x", "--nope"], "No such option"),
    ],
)
def test_errors_are_one_line_never_a_traceback(args, message, tmp_path):
    result = run_qa(*args, env={"QA_INDEX_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_empty_corpus_is_one_line(tmp_path):
    (tmp_path / "docs").mkdir()
    result = run_qa("ask", "Why?", "--corpus", str(tmp_path / "docs"), env={"QA_INDEX_DIR": str(tmp_path / "i")})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"qa: error: no readable text documents in '{tmp_path / 'docs'}'"]


def test_help_imports_nothing_heavy():
    code = "import sys; import qa.interfaces.cli; print(sorted(m for m in ('torch','sentence_transformers','faiss') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "[]"
    help_run = run_qa("--help")
    assert help_run.returncode == 0 and "ask" in help_run.stdout and "eval" in help_run.stdout


def test_chat_keeps_going_through_errors(runner, env):
    long_question = "Where are the dogs native to " + "and what else " * 200 + "?"
    script = f":bogus\n{long_question}\n\nWhere are Pungsan dogs native to?\n:quit\n"
    result = runner.invoke(app, ["chat"], input=script, env=env)
    assert result.exit_code == 0, result.output
    assert "unknown command ':bogus'" in result.stderr
    assert "longer than the model's 256-token window" in result.stderr
    assert result.stdout.count("source:") >= 2  # the long question was answered too, then the next one
    assert "northern North Korea" in result.stdout


def test_long_question_is_cut_with_a_notice(env):
    question = "Where are Pungsan dogs native to? " + "Tell me more. " * 150
    result = run_qa("ask", question, "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().startswith("qa: notice: the question is longer than the model's")
    assert "northern North Korea" in json.loads(result.stdout)["sentences"][0]["text"]


def test_corpus_of_one_broken_file_is_one_line(tmp_path):
    broken = tmp_path / "scan.pdf"
    broken.write_bytes(b"%PDF-1.4 truncated garbage")
    result = run_qa("ask", "Why?", "--corpus", str(broken), env={"QA_INDEX_DIR": str(tmp_path / "i")})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("qa: error: no readable text documents") and "scan.pdf: could not read PDF" in line


def test_eval_conversation_file(runner, env, tmp_path):
    predictions = tmp_path / "turns.jsonl"
    result = runner.invoke(
        app, ["eval", str(REPO / "eval" / "seed_conversations.jsonl"), "--json", "--predictions", str(predictions)],
        env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["conversations"] == 12 and summary["follow_up_turns"] == 20
    assert summary["first_turn_gold_sentence@1"] == 1.0 and summary["follow_up_gold_sentence@1"] >= 0.9
    assert summary["follow_up_answered"] > 0 and summary["follow_up_unanswerable_abstained"] is not None
    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(rows) == 32 and rows[0]["id"] == "conv-01/0" and rows[1]["id"] == "conv-01/1"  # every turn
    assert set(rows[1]) == {"id", "answered", "confidence", "sentences", "latency_ms"}
    assert sum(row["answered"] for row in rows if not row["id"].endswith("/0")) == summary["follow_up_answered"]


@pytest.mark.parametrize("option", ["--predictions", "--plot"])
def test_an_output_file_that_cannot_be_written_fails_before_any_question(option, tmp_path):
    target = tmp_path / "missing-folder" / "out"
    result = run_qa("eval", option, str(target), env={"QA_INDEX_DIR": str(tmp_path / "idx")})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"qa: error: cannot write the {option[2:]} file {str(target)!r}: No such file or directory"
    ]
    assert not (tmp_path / "idx").exists()  # failed before the index was built


def test_a_file_name_that_is_not_utf8_breaks_nothing(tmp_path):
    import shutil

    from conftest import SEEDS

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / os.fsdecode(b"bad\xff\xfe.txt")).write_text("The lighthouse at Cape Wrath was built in 1828.")
    env = {"QA_INDEX_DIR": str(tmp_path / "idx"), "NO_COLOR": "1"}
    asked = run_qa("ask", "When was the lighthouse at Cape Wrath built?", "--corpus", str(corpus), "--json", env=env)
    assert asked.returncode == 0, asked.stderr
    assert os.fsencode(json.loads(asked.stdout)["sentences"][0]["doc"]).endswith(b"bad\xff\xfe.txt")
    shown = run_qa("ask", "When was the lighthouse at Cape Wrath built?", "--corpus", str(corpus), env=env)
    assert shown.returncode == 0 and "bad\ufffd\ufffd.txt" in shown.stdout, shown.stderr
    assert "Pungsan dogs" in json.loads(run_qa("ask", "What gift did Kim give?", "--corpus", str(corpus), "--json", env=env).stdout)["sentences"][0]["text"]


def test_parser_bombs_beside_the_seeds_are_skipped_and_the_seeds_answer(tmp_path):
    import shutil

    from conftest import SEEDS
    from test_hostile import docx_bomb, nested_html

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    nested_html(corpus / "nested.html")
    docx_bomb(corpus / "bomb.docx", 1024)  # about 1 MB on disk, 1 GB unzipped
    with open(corpus / "huge.txt", "wb") as huge:
        huge.truncate(200 * 2**20)  # 200 MB (sparse: nothing is written)
    env = {"QA_INDEX_DIR": str(tmp_path / "idx")}
    indexed = run_qa("index", str(corpus), env=env)
    assert indexed.returncode == 0, indexed.stderr
    assert "skipped nested.html: HTML nested deeper than" in indexed.stdout
    assert "skipped bomb.docx: DOCX expands to 1024 MB unzipped" in indexed.stdout
    assert "skipped huge.txt: 200 MB, over the 8 MB limit for text files (QA_MAX_FILE_MB)" in indexed.stdout
    asked = run_qa("ask", "What gift did Kim give?", "--corpus", str(corpus), "--json", env=env)
    assert "Pungsan dogs" in json.loads(asked.stdout)["sentences"][0]["text"], asked.stderr


def test_index_follow_symlinks_is_kept_for_later_commands(tmp_path):
    import shutil

    from conftest import SEEDS

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    outside = tmp_path / "shared-notes.txt"
    outside.write_text("The spare office key hangs behind the blue door of the boiler room.\n")
    (corpus / "notes.txt").symlink_to(outside)
    env = {"QA_INDEX_DIR": str(tmp_path / "idx")}
    plain = json.loads(run_qa("index", str(corpus), "--json", env=env).stdout)
    assert {"path": "notes.txt", "reason": "a link that points outside the corpus"} in plain["skipped"]
    followed = run_qa("index", str(corpus), "--follow-symlinks", "--json", env=env)
    assert followed.returncode == 0 and json.loads(followed.stdout)["skipped"] == [], followed.stderr
    asked = run_qa("ask", "Where does the spare office key hang?", "--corpus", str(corpus), "--json", env=env)
    answer = json.loads(asked.stdout)
    assert answer["sentences"][0]["doc"].endswith("notes.txt") and "blue door" in answer["sentences"][0]["text"]
    again = json.loads(run_qa("index", str(corpus), "--json", env=env).stdout)  # no flag: the index's own rules
    assert again["rebuilt"] is False and again["skipped"] == []


def test_the_installed_version_is_the_package_version():
    from importlib.metadata import version

    import qa

    assert version("qa") == qa.__version__  # pyproject reads it from qa/__init__.py


@pytest.mark.parametrize("args", [["ask", "What gift did Kim give?"], ["ask", "What gift did Kim give?", "--json"]])
def test_a_reader_that_stops_reading_ends_qa_quietly(env, args):
    """`qa ask ... | head -1`: the reader has what it wanted and closed the pipe; qa leaves with 0 and says
    nothing (Rich and Click would exit 1, silently). The read end is closed before qa writes, so every write
    meets the closed pipe."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa", *args], stdout=write, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, **env},
    )
    os.close(write)
    os.close(read)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert stderr == ""


def test_a_question_with_bytes_that_are_not_utf8_is_answered(env, tmp_path):
    """From a terminal or a pipe in another encoding: the undecodable bytes become U+FFFD, the rest is asked."""
    asked = subprocess.run(
        [sys.executable, "-m", "qa", "ask", b"Where are Pungsan dogs native to?\xff", "--json"],
        capture_output=True, cwd=REPO, env={**os.environ, **env},
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["question"] == "Where are Pungsan dogs native to?\ufffd"
    assert "northern North Korea" in answer["sentences"][0]["text"]
    chatted = subprocess.run(
        [sys.executable, "-m", "qa", "chat", "--json"], input=b"Where are Pungsan dogs native to?\xfe\nWhy?\n",
        capture_output=True, cwd=REPO, env={**os.environ, **env},
    )  # fmt: skip
    assert chatted.returncode == 0, chatted.stderr
    assert len(chatted.stdout.decode().splitlines()) == 2


def test_a_question_file_that_is_not_utf8_names_its_line_and_a_bom_is_read(env, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "1", "question": "Why?", "answers": []}\n{"id": "2", "question": "Caf\xe9?", "answers": []}\n')
    result = run_qa("eval", str(bad), env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"qa: error: {bad}:2: not UTF-8 text (byte 0xe9)"]
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b'\xef\xbb\xbf{"id": "1", "question": "Where are Pungsan dogs native to?", "answers": ["northern"]}\n')
    result = run_qa("eval", str(bom), "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["questions"] == 1


def test_files_skipped_for_their_type_share_a_line_once_there_are_three():
    from qa.ingest.formats.common import Skipped
    from qa.interfaces.cli import skipped_lines

    image = "unsupported file type '.png' (an image: qa reads text, not pictures, and has no OCR)"
    skipped = [Skipped("a.js", "unsupported file type '.js'"), Skipped("b.js", "unsupported file type '.js'")]
    skipped += [Skipped(f"photos/{n}.png", image) for n in "pqrst"] + [Skipped("scan.pdf", "no text on its page")]
    assert skipped_lines(skipped) == [
        "skipped a.js: unsupported file type '.js'",
        "skipped b.js: unsupported file type '.js'",
        f"skipped 5 files, {image}: photos/p.png, photos/q.png, photos/r.png and 2 more",
        "skipped scan.pdf: no text on its page",
    ]
    three = [Skipped(f"{n}.zip", "unsupported file type '.zip'") for n in "xyz"]
    assert skipped_lines(three) == ["skipped 3 files, unsupported file type '.zip': x.zip, y.zip, z.zip"]
