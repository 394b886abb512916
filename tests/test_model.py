"""Tier 3: the real MiniLM model on the seed article (loaded once per session)."""

from pathlib import Path

import pytest
from conftest import SEED_QUESTIONS

from qa.config import load_settings
from qa.conversation import Conversation
from qa.evaluation.metrics import Outcome, load_questions, summarize
from qa.service import Service

pytestmark = pytest.mark.model


@pytest.fixture(scope="session")
def seed_engine(seed_copy, real_embedder, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("seedindex")
    return Service(load_settings(corpus=str(seed_copy), index_dir=str(index_dir)), embedder=real_embedder)


def test_kim_gift_names_pungsan_dogs_and_cites_seed(seed_engine, seed_copy):
    result = seed_engine.ask("What gift did Kim give?")
    hit = result.sentences[0]  # first, not merely among the top three
    assert "Pungsan dogs" in hit.sentence.text
    assert result.answered  # answered, not "not sure": "The canine gift came after ..." is no rival to it
    assert Path(hit.sentence.doc).parent.name == "seeds"
    source = Path(hit.sentence.doc).read_text()
    assert source[hit.sentence.start : hit.sentence.end] == hit.sentence.text


def test_rerun_with_unchanged_documents_embeds_only_the_question(seed_engine, real_embedder):
    seed_engine.ensure_index()
    fresh = Service(seed_engine.settings, embedder=real_embedder)
    before = real_embedder.calls
    fresh.ask("Where are Pungsan dogs native to?")
    assert real_embedder.calls - before == 1  # the question, nothing of the corpus


def test_real_encoder_vectors_are_normalised(real_embedder):
    import numpy as np

    v = real_embedder.embed(["Kim gave Putin two dogs.", "A horse."])
    assert v.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_seed_eval_floor(seed_engine):
    """Pinned floor: fails if answer quality on the seed question set regresses."""
    outcomes = []
    for q in load_questions(SEED_QUESTIONS):
        r = seed_engine.ask(q.question)
        outcomes.append(Outcome(q, [s.sentence.text for s in r.sentences], r.answered, r.confidence, 0.0))
    s = summarize(outcomes)
    assert s["gold_sentence@1"] == 1.0  # issue #3: every answerable seed question, right sentence first
    assert s["ans@3"] >= 0.95
    assert s["abstention_unanswerable"] >= 0.90


def test_follow_up_uses_the_conversation(seed_engine):
    conversation = Conversation()
    seed_engine.ask("Which former South Korean president also received Pungsan dogs?", conversation)
    follow = seed_engine.ask("When did he receive them?", conversation)
    assert "Pungsan dogs" in follow.query  # the topic travelled with the follow-up
    assert "2018" in follow.sentences[0].sentence.text
    names = seed_engine.ask("What were their names?", conversation)  # a chain keeps the topic
    assert "Gomi" in names.sentences[0].sentence.text
    conversation.reset()
    assert conversation.query_for("When did he receive them?") == "When did he receive them?"


def test_and_asks_the_last_follow_up_of_a_new_name(seed_engine):
    """"And Putin's?" after "What colour was it?" (Kim's horse) is answered with Putin's brown horse, not with
    Putin patting Kim's horse."""
    conversation = Conversation()
    for question in ("Tell me about Kim's horses", "What colour was it?"):
        seed_engine.ask(question, conversation)
    answer = seed_engine.ask("And Putin's?", conversation)
    assert "brown horse" in answer.sentences[0].sentence.text


def _conversations_summary(engine, name: str) -> dict:
    """eval/NAME's conversations asked of `engine`, summarised as `qa eval` does."""
    from conftest import REPO

    from qa.evaluation.metrics import Outcome, load_conversations, summarize_conversations

    first, follow_ups = [], []
    conversations = load_conversations(REPO / "eval" / name)
    assert len(conversations) >= 4 and all(2 <= len(c.turns) <= 4 for c in conversations)
    for conversation in conversations:
        state = Conversation()
        for k, q in enumerate(conversation.turns):
            r = engine.ask(q.question, state)
            (follow_ups if k else first).append(
                Outcome(q, [s.sentence.text for s in r.sentences], r.answered, r.confidence, 0.0)
            )
    return summarize_conversations(first, follow_ups)


def test_scripted_seed_conversations_floor(seed_engine):
    """Pinned floor on eval/seed_conversations.jsonl: follow-up turns put the right sentence first."""
    summary = _conversations_summary(seed_engine, "seed_conversations.jsonl")
    assert summary["conversations"] >= 8
    assert summary["follow_up_gold_sentence@1"] >= 0.9
    # the follow-ups answered are mostly right (12 of 14 measured), and of the turns the article does not
    # answer ("How much are they worth?") most are abstained on (3 of 4)
    assert summary["follow_up_answers_right"] >= 0.8
    assert summary["follow_up_unanswerable_abstained"] >= 0.5


def test_short_follow_ups_floor(seed_engine):
    """Pinned floor on eval/seed_short_turns.jsonl: follow-ups of a word or two ("Why?", "When?", "Tell me
    more") put a sentence holding their answer first (6 of 8 measured)."""
    summary = _conversations_summary(seed_engine, "seed_short_turns.jsonl")
    assert summary["follow_up_right@1"] >= 0.7
    assert summary["follow_up_unanswerable_abstained"] == 1.0  # "How much did they cost?"


def test_a_question_after_a_name_is_answered_with_the_next_item_of_its_list(real_embedder, tmp_path):
    """"Who led the club after Carl Dahl?" asks for the item after Carl Dahl's in a list run in order, not for
    the sentence that says most about him (his death, which the ranker prefers); "before" for the one before.
    A sentence going on in his paragraph is no next item, nor is the next section's first after the list's
    last."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "club.md").write_text(
        "# The rowing club\n\n## Chairs\n\n"
        "Anna Berg founded the club in 1961 and led it until 1970.\n\n"
        "Carl Dahl led the club from 1970 until 1984.\n\n"
        "Erik Falk led the club from 1984 until 1999.\n\n"
        "Maja Holm led the club from 1999 until 2015.\n\n"
        "## Events\n\n"
        "Carl Dahl, who led the club for fourteen years, died in 2003. "
        "The regatta of 2004 was held in his memory.\n"
    )
    engine = Service(load_settings(corpus=str(corpus), index_dir=str(tmp_path / "index")), embedder=real_embedder)
    after = engine.ask("Who led the club after Carl Dahl?")
    assert after.sentences[0].sentence.text.startswith("Erik Falk")
    # as sure as the item on the name it follows ("Carl Dahl led the club from 1970 until 1984."), not as its own
    # words match the question (it names neither Carl Dahl nor what "after" asks)
    assert after.confidence >= 0.5
    # the list's last item is followed by another section: no step out of the list
    last = engine.ask("Who led the club after Maja Holm?").sentences[0].sentence.text
    assert not last.startswith("Carl Dahl, who")
    before = engine.ask("Who led the club before Carl Dahl?").sentences[0].sentence.text
    assert before.startswith("Anna Berg")
    assert engine.ask("Who was succeeded by Erik Falk?").sentences[0].sentence.text.startswith("Carl Dahl led")


def test_a_package_list_answers_what_each_package_does_and_where_it_is(real_embedder, tmp_path):
    """A list of packages, each a name over its links and a line on what it does: "which package does X"
    is answered by the line, read after the package's name; "where are its docs" by the links, read as the
    addresses they lead to (no text of their own otherwise)."""
    corpus = tmp_path / "docs"
    corpus.mkdir()
    entries = [
        ("Ratelimitly", "A rate limiting library with Redis and memory backends."),
        ("Sessionary", "Server-side sessions stored in a database of your choice."),
        ("Metricsy", "Exports request counts and latencies as Prometheus metrics."),
    ]
    (corpus / "third-party.md").write_text(
        "# Third party packages\n\nOthers built these on our framework.\n\n## Plugins\n\n"
        + "".join(
            f'### {name}\n\n<a href="https://github.com/example/{name.lower()}">GitHub</a> |\n'
            f'<a href="https://{name.lower()}.example.org">Documentation</a>\n\n{text}\n\n'
            for name, text in entries
        )
    )
    engine = Service(load_settings(corpus=str(corpus), index_dir=str(tmp_path / "index")), embedder=real_embedder)
    top = engine.ask("Which package adds rate limiting?").sentences[0].sentence
    assert top.text == "Ratelimitly: A rate limiting library with Redis and memory backends."
    top = engine.ask("Where is the documentation for Sessionary?").sentences[0].sentence
    assert "https://sessionary.example.org" in top.text and top.heading.endswith("Sessionary")
