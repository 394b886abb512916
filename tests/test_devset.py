"""The development set's question files are well formed (their documents are rebuilt by eval/devset/build.py,
which checks every gold sentence against the corpus as qa reads it; here only the files themselves)."""

import json
from pathlib import Path

from qa.evaluation.metrics import holds_answer, is_conversation_file, load_conversations, load_questions

DEVSET = Path(__file__).resolve().parent.parent / "eval" / "devset"
GENRES = ("tech", "prose", "manuals", "faq")


def test_four_genres_of_fifty_questions_a_quarter_unanswerable():
    total = unanswerable = 0
    ids: set[str] = set()
    for genre in GENRES:
        questions = load_questions(DEVSET / f"{genre}.jsonl")
        assert len(questions) >= 50
        ids |= {q.id for q in questions}
        total += len(questions)
        unanswerable += sum(not q.answerable for q in questions)
        for q in questions:
            assert q.id.startswith(f"{genre}-")
            if q.answerable:
                assert q.answers and q.gold_sentence and q.doc and q.doc.split("/")[0] in GENRES, q.id
                assert holds_answer(q.gold_sentence or "", q.answers), q.id  # the answer is in its sentence
            else:
                assert not q.answers and not q.gold_sentence
    assert len(ids) == total >= 200
    assert 0.2 <= unanswerable / total <= 0.3


def test_at_least_twelve_conversations_with_follow_ups():
    path = DEVSET / "conversations.jsonl"
    assert is_conversation_file(path)
    conversations = load_conversations(path)
    assert len(conversations) >= 12
    assert all(len(c.turns) >= 2 for c in conversations)
    unanswerable = 0
    for row in map(json.loads, path.read_text().splitlines()):
        for k, turn in enumerate(row["turns"]):
            if turn["answers"]:
                assert holds_answer(turn["gold_sentence"], turn["answers"]), turn["question"]
            else:  # about the topic, not in the documents: a follow-up, with no gold sentence
                assert k > 0 and "gold_sentence" not in turn, turn["question"]
                unanswerable += 1
    assert unanswerable >= 5  # the follow-up shift is fitted on these too (eval/fit_follow_up.py)
