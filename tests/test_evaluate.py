"""Tier 1: metrics on hand-made outcomes."""

import json
import math

import pytest

from qa.errors import QuestionError
from qa.evaluation.metrics import (
    Outcome,
    Question,
    auroc,
    first_hit,
    load_questions,
    percentile,
    same_sentence,
    summarize,
    summarize_conversations,
)


def q(answers, gold=None, id_="q"):
    return Question(id_, "?", answers, bool(answers), gold)


def test_first_hit_and_case_insensitive_match():
    assert first_hit(["no", "The Pungsan dogs", "dogs"], ["pungsan dogs"]) == 2
    assert first_hit(["no", "nothing"], ["x"]) is None


def test_same_sentence_tolerates_splitter_differences():
    assert same_sentence("Kim gave dogs.", "kim  gave dogs.")
    assert same_sentence("Kim gave dogs to Putin.", "Kim gave dogs to Putin. He smiled.")
    assert not same_sentence("Kim", "Kim gave dogs to Putin on Thursday morning.")


def test_auroc_known_values():
    assert auroc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert auroc([0.1, 0.2, 0.9, 0.8], [True, True, False, False]) == 0.0
    assert auroc([0.5, 0.5], [True, False]) == 0.5
    assert math.isnan(auroc([0.3], [True]))


def test_percentile_interpolates():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([5], 0.95) == 5


def test_summarize_counts_every_metric():
    outcomes = [
        Outcome(q(["dogs"], "Kim gave dogs."), ["Kim gave dogs.", "x"], True, 0.9, 10.0),
        Outcome(q(["cats"], "Cats sleep."), ["x", "y", "Cats sleep."], True, 0.6, 20.0),
        Outcome(q(["owls"], "Owls hoot."), ["x"], False, 0.2, 30.0),
        Outcome(q([]), ["whatever"], False, 0.1, 40.0),
        Outcome(q([]), ["whatever"], True, 0.7, 50.0),
    ]
    s = summarize(outcomes)
    assert s["ans@1"] == pytest.approx(1 / 3)
    assert s["ans@3"] == pytest.approx(2 / 3)
    assert s["mrr@10"] == pytest.approx((1 + 1 / 3) / 3)
    assert s["gold_sentence@1"] == pytest.approx(1 / 3)
    assert s["abstention_unanswerable"] == pytest.approx(0.5)
    assert s["false_abstention"] == pytest.approx(1 / 3)
    # right: answered+right (1st), abstained on unanswerable (4th) -> 2 of 5
    assert s["end_to_end_accuracy"] == pytest.approx(2 / 5)
    # answered: the 1st (right), the 2nd (its top sentence lacks "cats"), the 5th (unanswerable) -> 1 of 3
    assert s["answers_right"] == pytest.approx(1 / 3) and s["answered"] == 3
    assert s["latency_p50_ms"] == 30.0


def test_an_answer_shown_in_the_code_a_sentence_leads_into_counts_and_its_gold_sentence_is_the_sentence():
    """Flask's "A minimal Flask application looks something like this:" is shown with its code, which holds
    the answer ("Flask(__name__)"): that answer was given. Gold sentences are matched with the sentence alone."""
    lead = "A minimal application looks like this:"
    shown = f"{lead}\nfrom flask import Flask\napp = Flask(__name__)"
    right = Outcome(q(["Flask(__name__)"], lead), [lead, "x"], True, 0.9, 10.0, [shown, "x"])
    plain = Outcome(q(["Flask(__name__)"], lead), [lead, "x"], True, 0.9, 10.0)
    with_code, without = summarize([right]), summarize([plain])
    assert with_code["ans@1"] == 1.0 and with_code["answers_right"] == 1.0 and with_code["gold_sentence@1"] == 1.0
    assert without["ans@1"] == 0.0 and without["answers_right"] == 0.0 and without["gold_sentence@1"] == 1.0


def test_conversation_follow_ups_are_judged_by_their_answers_else_their_gold_sentence():
    first = [Outcome(q(["dogs"], "Kim gave dogs."), ["Kim gave dogs."], True, 0.9, 1.0)]
    follow_ups = [
        Outcome(q(["north"]), ["They are native to the north."], True, 0.8, 1.0),  # answers: held -> right
        Outcome(q([], "Moon got two."), ["Moon got two."], True, 0.7, 1.0),  # a gold sentence only: it -> right
        Outcome(q([], "Moon got two."), ["Kim gave dogs."], True, 0.6, 1.0),  # another sentence -> wrong
        Outcome(q([]), ["Kim gave dogs."], False, 0.3, 1.0),  # neither: not answered there, abstained
        Outcome(q([]), ["Kim gave dogs."], True, 0.6, 1.0),  # ... answered: wrong
    ]
    s = summarize_conversations(first, follow_ups)
    assert s["follow_up_turns"] == 5 and s["follow_up_answered"] == 4
    assert s["follow_up_answers_right"] == pytest.approx(2 / 4)
    assert s["follow_up_unanswerable_abstained"] == pytest.approx(1 / 2)
    assert s["follow_up_gold_sentence@1"] == pytest.approx(1 / 2)  # of the two with a gold sentence
    assert s["follow_up_right@1"] == pytest.approx(2 / 3)  # of the three with answers or a gold sentence
    assert 0.0 <= s["follow_up_calibration_error"] <= 1.0


def test_the_ece_a_perfectly_calibrated_confidence_would_show_shrinks_with_the_questions():
    import numpy as np

    from qa.evaluation.metrics import CHANCE_DRAWS, calibration_error, chance_calibration_error

    few, many = [0.3, 0.6, 0.9] * 10, [0.3, 0.6, 0.9] * 400
    # the same draws, one at a time, through the ECE itself: each question right with its confidence
    rng = np.random.default_rng(0)
    draws = [calibration_error(few, list(rng.random(len(few)) < np.array(few))) for _ in range(CHANCE_DRAWS)]
    assert chance_calibration_error(few) == pytest.approx(float(np.median(draws)))
    assert chance_calibration_error(few) > 0.08 > 3 * chance_calibration_error(many)  # 30 questions against 1,200
    assert chance_calibration_error([1.0, 1.0, 0.0]) == 0.0  # certain confidences are right or wrong for sure
    assert math.isnan(chance_calibration_error([]))
    outcomes = [Outcome(q(["dogs"]), ["Kim gave dogs."], True, c, 1.0) for c in few]
    assert summarize(outcomes)["calibration_error_by_chance"] == pytest.approx(chance_calibration_error(few))
    s = summarize_conversations(outcomes[:1], outcomes)
    assert s["follow_up_calibration_error_by_chance"] == pytest.approx(chance_calibration_error(few))


def test_load_questions_and_errors(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text(json.dumps({"id": "a", "question": "Why?", "answers": []}) + "\n\n")
    (only,) = load_questions(f)
    assert only.answerable is False
    f.write_text("{not json\n")
    with pytest.raises(QuestionError, match="q.jsonl:1"):
        load_questions(f)
    with pytest.raises(QuestionError, match="does not exist"):
        load_questions(tmp_path / "missing.jsonl")


def test_seed_question_file_is_well_formed():
    from conftest import SEED_QUESTIONS, SEEDS

    questions = load_questions(SEED_QUESTIONS)
    unanswerable = [x for x in questions if not x.answerable]
    assert len(questions) >= 40 and len(unanswerable) >= 8
    text = next(SEEDS.glob("*.txt")).read_text()
    for x in questions:
        if x.answerable:
            assert x.gold_sentence in text  # gold sentences are verbatim from the article
            assert any(a.lower() in x.gold_sentence.lower() for a in x.answers)


def test_reliability_bins_and_plot(tmp_path):
    from qa.evaluation.metrics import calibration_error, plot_reliability, reliability

    outcomes = [
        Outcome(q(["dogs"]), ["Kim gave dogs."], True, 0.95, 1.0),
        Outcome(q(["dogs"]), ["nothing"], True, 0.92, 1.0),
        Outcome(q([]), ["whatever"], False, 0.15, 1.0),
        Outcome(q(["cats"]), ["cats"], True, 1.0, 1.0),
    ]
    rows = reliability(outcomes)
    assert len(rows) == 10 and sum(r["n"] for r in rows) == 4
    last = rows[-1]
    assert last["n"] == 3 and last["accuracy"] == pytest.approx(2 / 3)
    assert rows[1]["n"] == 1 and rows[1]["accuracy"] == 0.0
    # ECE: top bin 3 questions at mean 0.9567 with 2/3 right, bin 1 one at 0.15 with none right
    expected = (3 * abs((0.95 + 0.92 + 1.0) / 3 - 2 / 3) + 1 * 0.15) / 4
    right = [True, False, False, True]
    assert calibration_error([o.confidence for o in outcomes], right) == pytest.approx(expected)
    assert summarize(outcomes)["calibration_error"] == pytest.approx(expected)
    assert math.isnan(calibration_error([], []))
    out = tmp_path / "calibration.png"
    plot_reliability(rows, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
