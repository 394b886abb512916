"""What a new user hit on first use: options out of range, the terminal rendering (wrapping, context, the top
sentence's score), evaluation files without gold sentences or with a bad line, and a missing corpus."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
from conftest import FakeEmbedder, service

from qa.config import load_settings
from qa.errors import CorpusError, QAError, QuestionError
from qa.types import Answer, ScoredSentence, Sentence, Verdict

LONG = (
    "North Korean leader Kim Jong Un gave Russian President Vladimir Putin a pair of Pungsan dogs, a local "
    "breed, state media KCNA reported Thursday as the two nations pledged mutual defense."
)


@pytest.mark.parametrize("k", [0, -1])
def test_top_k_below_one_is_refused(k: int):
    with pytest.raises(QAError, match="at least 1"):
        load_settings(top_k=k)


def test_top_k_below_one_is_one_line_from_the_cli():
    from typer.testing import CliRunner

    from qa.interfaces.cli import app

    for k in ("0", "-1"):
        result = CliRunner().invoke(app, ["ask", "What gift did Kim give?", "-k", k])
        assert result.exit_code != 0
        assert isinstance(result.exception, QAError) and "at least 1" in str(result.exception)


def _answer(verdict: Verdict = Verdict.ANSWERED) -> Answer:
    top = ScoredSentence(Sentence("seeds/a.txt", 110, 110 + len(LONG), LONG, line=3), 1.23, 0)
    other = ScoredSentence(Sentence("seeds/a.txt", 906, 960, "The canine gift came after Putin and Kim signed.", line=11), 0.81, 5)
    return Answer(
        "What gift did Kim give?", verdict is Verdict.ANSWERED, 0.9 if verdict is Verdict.ANSWERED else 0.5,
        [top, other], verdict=verdict, threshold=0.56,
        context=("Kim met Putin in Pyongyang.", "The dogs were tied to a post."),
    )  # fmt: skip


def _render(answer: Answer, terminal: bool, width: int = 60) -> str:
    from rich.console import Console

    from qa.interfaces.render import print_answer

    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=terminal, no_color=True, highlight=False, soft_wrap=True)
    print_answer(answer, 3, console=console)
    return out.getvalue()


@pytest.mark.parametrize("verdict", [Verdict.ANSWERED, Verdict.NOT_SURE])
def test_on_a_terminal_long_sentences_wrap_between_words_with_an_indent(verdict: Verdict):
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", _render(_answer(verdict), terminal=True))
    lines = text.splitlines()
    assert all(len(line) <= 60 for line in lines), lines
    words = set(LONG.split())
    body = [line for line in lines if line.strip() and line.strip().split()[0] in words]
    assert len(body) >= 3  # the long sentence took several lines
    assert all(line.startswith("  ") for line in body[1:]), body  # continuation lines are indented
    joined = " ".join(line.strip() for line in lines)
    assert LONG in joined  # no word was cut in two


def test_piped_output_keeps_each_sentence_on_one_line():
    text = _render(_answer(), terminal=False, width=60)
    assert LONG in text.splitlines()[0]


def test_the_top_sentence_shows_its_score_and_its_context_is_labelled():
    text = _render(_answer(), terminal=False, width=300)
    source = next(line for line in text.splitlines() if line.strip().startswith("source:"))
    assert "score 1.23" in source and "confidence 0.90" in source
    assert "  before: Kim met Putin in Pyongyang." in text
    assert "  after: The dogs were tied to a post." in text
    assert "[…]" not in text and "context:" not in text


def test_eval_without_gold_sentences_prints_no_nan(tmp_path: Path, monkeypatch):
    from qa.evaluation.metrics import Outcome, Question, summarize

    q = Question(id="1", question="q?", answers=["dogs"], answerable=True, gold_sentence=None, doc=None)
    summary = summarize([Outcome(q, ["two dogs"], True, 0.9, 1.0)])
    assert summary["gold_sentence@1"] is None  # not measured, rather than nan
    assert not any(isinstance(v, float) and math.isnan(v) for v in summary.values())
    json.loads(json.dumps(summary, allow_nan=False))


def test_a_bad_eval_line_names_the_missing_field(tmp_path: Path):
    from qa.evaluation.metrics import load_questions

    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "1", "question": "ok?", "answers": []}\n{"id": "2", "answers": ["x"]}\n')
    with pytest.raises(QuestionError) as err:
        load_questions(path)
    message = str(err.value)
    assert message == f"{path}:2: not a question line: it has no \"question\" field"
    path.write_text('{"id": "1", "question": "ok?", "answers": 3}\n')
    with pytest.raises(QuestionError, match=r':1: not a question line: "answers" must be a list'):
        load_questions(path)


def test_a_missing_corpus_leaves_nothing_behind(tmp_path: Path):
    index_dir = tmp_path / "idx"
    svc = service(tmp_path / "no-such-folder", index_dir, FakeEmbedder())
    with pytest.raises(CorpusError, match="does not exist"):
        svc.ensure_index()
    assert not index_dir.exists() or not any(index_dir.rglob("*"))


@pytest.mark.parametrize("terminal", [True, False])
def test_the_commands_a_sentence_ends_with_are_shown_line_by_line_under_it(terminal: bool):
    """An example's caption over its commands (a GNU manual's "• Save the server headers ..." over two
    command lines) is one sentence; flowed into one line, the two commands read as one. The lead-in is
    flowed, the block's lines are shown as written under it (their indentation relative to one another
    kept); the answer's mark stays in the lead-in."""
    import re

    text = (
        "Save the server\n     headers with the file.\n\n          wget --save-headers \\\n"
        "               http://example.com/\n          more index.html"
    )
    top = ScoredSentence(Sentence("wget.info", 100, 100 + len(text), text, line=4), 1.1, 0)
    start = 100 + text.index("headers")
    answer = Answer("Save what?", True, 0.8, [top], verdict=Verdict.ANSWERED, answer_span=(start, start + 7))
    shown = re.sub(r"\x1b\[[0-9;]*m", "", _render(answer, terminal=terminal, width=120)).splitlines()
    assert shown[:4] == [
        "Save the server headers with the file.",
        "    wget --save-headers \\",
        "         http://example.com/",
        "    more index.html",
    ]
    from rich.console import Console

    from qa.interfaces.render import print_answer, shown_block

    out = io.StringIO()
    print_answer(answer, 3, console=Console(file=out, width=120, force_terminal=True, color_system="standard"))
    assert re.findall(r"\x1b\[1;7m([^\x1b]*)\x1b", out.getvalue()) == ["headers"]
    assert shown_block("One line.\nTwo lines, no block.") == ("One line.\nTwo lines, no block.", [])
    assert shown_block("Trailing blank lines.\n\n  \n") == ("Trailing blank lines.\n\n  \n", [])


def test_a_hard_wrapped_sentence_is_shown_on_one_line_with_its_answer_marked():
    import re

    text = "Full-time  staff receive\n    25 days of leave per year,     plus\npublic holidays."
    top = ScoredSentence(Sentence("h.txt", 100, 100 + len(text), text, line=4), 1.1, 0)
    other = ScoredSentence(Sentence("h.txt", 200, 214, "Sick\nleave too.", line=9), 0.5, 1)
    start = 100 + text.index("25")
    answer = Answer("How many days?", True, 0.8, [top, other], verdict=Verdict.ANSWERED, answer_span=(start, start + 2))
    plain = _render(answer, terminal=False, width=200)
    assert "Full-time staff receive 25 days of leave per year, plus public holidays." in plain
    assert "2. Sick leave too." in plain
    from rich.console import Console

    from qa.interfaces.render import print_answer

    out = io.StringIO()
    print_answer(answer, 3, console=Console(file=out, width=200, force_terminal=True, color_system="standard"))
    marked = re.findall(r"\x1b\[1;7m([^\x1b]*)\x1b", out.getvalue())
    assert marked == ["25"]  # the answer span, found again after the line breaks and spaces before it were joined
    text = "Committee member             who has served for  6 years."
    start = 100 + text.index("6")
    spaced = ScoredSentence(Sentence("c.txt", 100, 100 + len(text), text), 1.0, 0)
    answer = Answer("How long?", True, 0.8, [spaced], verdict=Verdict.ANSWERED, answer_span=(start, start + 1))
    out = io.StringIO()
    print_answer(answer, 3, console=Console(file=out, width=200, force_terminal=True, color_system="standard"))
    assert "Committee member who has served for " in out.getvalue()
    assert re.findall(r"\x1b\[1;7m([^\x1b]*)\x1b", out.getvalue()) == ["6"]
