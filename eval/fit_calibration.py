"""Fit the sentence-scoring weights, the confidence calibration and the abstention threshold.

Uses ONLY the training questions of the SQuAD 2.0 split-A benchmark (never questions.jsonl), and the
development set (eval/devset) where steps 2 and 8 say so:

    .venv/bin/python eval/fit_calibration.py [--bench ../shared/bench/squad2-a] [--rerank] [--write]

1. Grid-search the weights of score = (1-p)*sentence_sim + p*passage_sim + l*lexical - t*type_miss for
   ans@1 on the answerable training questions.
2. With --rerank, grid-search the ranker's reordering (how many of the best candidates it reads, how close
   to the best they must be, the weight of its rank logit) for ans@1 on SQuAD train and the development set
   together, half the weight each (the development set's sentences have heading paths for the ranker to
   read, SQuAD's have none), on out-of-fold ranker logits (eval/results/ranker_oof.json) and the shipped
   ranker's logits for the development questions, which it never saw.
3. Fit the retrieval probability sigmoid(b + w_top*top + w_margin*(top - second)) by weighted logistic
   regression, label = "the top sentence holds a gold answer", each question weighted so that the
   answerable share matches the evaluation prior (train is 35% answerable, the evaluation questions 67%).
4. Choose the threshold: the most cautious one whose reweighted end-to-end accuracy on train is within
   one standard error of the best.
5. Fit the reading probability: the same plus the reader's answer logit for the top sentence, an
   out-of-fold logit from eval/results/reader_oof.json (written by eval/train_reader.py: a model that never saw the
   question). The shipped confidence is min(retrieval, reading). Without that file the reader is off.
6. Choose the veto's strength: the reading probability's bias shifted by delta in 0 .. -1; as for the
   threshold, the most cautious shift whose end-to-end accuracy at the threshold is within one standard error
   of the best.
7. Map the minimum back to a probability, sigmoid(c_bias + c_scale*logit(min)), by the same weighted logistic
   regression, and state the threshold on that scale (no decision changes).
8. Fit w_unseen and w_elsewhere, the logit's shifts when the question names something the documents never
   mention (qa.retrieve.lexical.unseen_words), and when it names something that other documents mention but
   not the top sentence's (qa.retrieve.lexical.named_terms), by the same regression with the map of step 7
   held fixed, on SQuAD train and the development set (eval/devset, built by eval/devset/build.py)
   together, half the weight each: SQuAD alone is one genre, and most of its questions' unseen words are typos.
   Steps 1 and 3-7 use SQuAD train only (the development set's weight is zero there), unless --devset fits all
   of them on the mix. --shifts-only fits step 8 alone, under the calibration as it is (its weights,
   reordering, probabilities, map and threshold kept): for a change to what the shifts read, which should not
   move anything else.
Deterministic: no randomness anywhere. Writes qa/answer/calibration.json with --write, keeping its
w_follow_up (the follow-up shift): eval/fit_follow_up.py fits that one afterwards, on the conversations.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dataclasses import fields as dataclass_fields

from qa.answer.calibration import CALIBRATION_FILE, Calibration, load_calibration
from qa.answer.extract import (
    answer,
    for_reader,
    paragraph_before,
    reading_logit,
    rivals,
    score,
    top_and_second,
    type_misses,
)
from qa.config import load_settings
from qa.evaluation.metrics import Question, auroc, calibration_error, holds_answer, load_questions
from qa.models.cross import ANSWER, RANK
from qa.retrieve.hybrid import LEXICAL_CANDIDATES, Candidates
from qa.retrieve.spelling import corrected
from qa.service import Service
from qa.types import Sentence, with_context

CALIBRATION_FIELDS = {f.name for f in dataclass_fields(Calibration)}
OOF_FILE = ROOT / "eval" / "results" / "reader_oof.json"
RANKER_OOF_FILE = ROOT / "eval" / "results" / "ranker_oof.json"
OOF_PER_QUESTION = 6  # eval/train_reader.py writes out-of-fold logits for this many best candidates
EVAL_ANSWERABLE_SHARE = 800 / 1200  # prior of the evaluation questions (from the benchmark README)
SHIFTS_ONLY = " && python eval/fit_calibration.py --rerank --shifts-only --write"  # its step in a command
VETO_SHIFTS = [round(-0.05 * i, 2) for i in range(21)]  # 0 .. -1: how much more the reader may veto


def fit_logistic(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1e-3, steps: int = 50, offset: np.ndarray | None = None
) -> np.ndarray:
    """Weighted logistic regression by Newton's method; x gets a bias column unless an `offset` (a fixed
    part of each logit) is given."""
    X = x if offset is not None else np.hstack([np.ones((len(x), 1)), x])
    fixed = np.zeros(len(x)) if offset is None else offset
    beta = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(fixed + X @ beta)))
        grad = X.T @ (w * (p - y)) + l2 * beta
        hess = (X * (w * p * (1 - p))[:, None]).T @ X + l2 * np.eye(X.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta


@dataclass(frozen=True)
class TrainingSet:
    """The training questions with their candidate sentences, as the pipeline retrieves them."""

    questions: list[Question]
    candidates: list[Candidates]
    texts: list[list[str]]  # candidate sentence texts, in candidate order
    right: list[np.ndarray]  # which candidates hold a gold answer
    misses: list[np.ndarray]  # type misses (qa.answer.extract.type_misses)
    model_id: str
    # per question: its index's sentence by id (a candidate's neighbours too: a sentence that points back
    # reads the ones before it in its paragraph)
    sentences: list[Callable[[int], Sentence]]

    def plus(self, other: TrainingSet) -> TrainingSet:
        return TrainingSet(
            self.questions + other.questions, self.candidates + other.candidates, self.texts + other.texts,
            self.right + other.right, self.misses + other.misses, self.model_id, self.sentences + other.sentences,
        )  # fmt: skip

    def subset(self, keep: np.ndarray) -> TrainingSet:
        pick = [k for k in range(len(self.questions)) if keep[k]]
        fields = ("questions", "candidates", "texts", "right", "misses")
        return TrainingSet(
            *([getattr(self, f)[k] for k in pick] for f in fields), self.model_id, [self.sentences[k] for k in pick]
        )


def training_set(bench: Path, lexical_k: int = LEXICAL_CANDIDATES, read_slips: bool = False) -> TrainingSet:
    """The candidates as `qa` retrieves them; lexical_k=0 leaves out the BM25 candidates."""
    return collect(bench / "corpus", load_questions(bench / "train.jsonl"), lexical_k, read_slips)[0]


def collect(
    corpus: Path, questions: list[Question], lexical_k: int = LEXICAL_CANDIDATES, read_slips: bool = False
) -> tuple[TrainingSet, Service]:
    """The questions' candidates, the questions read as typed (the shipped calibration's fit), or with
    `read_slips` as `qa` reads them: a typing slip as the documents' word (qa.retrieve.spelling)."""
    engine = Service(load_settings(corpus=str(corpus)))
    index, retriever = engine.live()
    if read_slips:
        questions = [replace(q, question=corrected(q.question, retriever.frequencies)[0]) for q in questions]
    vectors = engine.models.embedder.embed([q.question for q in questions])
    k = engine.settings.candidates
    cands = [retriever.candidates(v, q.question, k, lexical_k) for q, v in zip(questions, vectors)]
    texts = [index.texts([int(i) for i in c.ids]) for c in cands]
    right = [np.array([holds_answer(t, q.answers) for t in ts], dtype=bool) for q, ts in zip(questions, texts)]
    misses = [
        type_misses(
            q.question,
            ts,
            lambda i, c=c: index.sentence(int(c.ids[i])).heading,
            c.continues,
            lambda i, c=c: paragraph_before(index.sentence, int(c.ids[i])),
        )
        for q, ts, c in zip(questions, texts, cands)
    ]
    fetch = [index.sentence] * len(questions)
    return TrainingSet(questions, cands, texts, right, misses, engine.models.model_id, fetch), engine


DEVSET = ROOT / "eval" / "devset"
GENRES = ("tech", "prose", "manuals", "faq")


def devset_pool(read_slips: bool = False) -> tuple[TrainingSet, dict, dict]:
    """The development set's questions over its corpus (eval/devset/build.py makes it), with the reader's and
    the ranker's logits for every candidate: neither model saw these questions, so they are out of sample as
    the SQuAD ones are out of fold."""
    if not (DEVSET / "docs").is_dir():
        sys.exit("eval/devset/docs is missing: run eval/devset/build.py first")
    questions = [q for genre in GENRES for q in load_questions(DEVSET / f"{genre}.jsonl")]
    dev, engine = collect(DEVSET / "docs", questions, read_slips=read_slips)
    snapshot, _ = engine.live()
    reader, ranker = engine.models.cross_encoder("reader"), engine.models.cross_encoder("ranker")
    reading: dict[str, dict] = {}
    ranking: dict[str, dict] = {}
    for q, c, ts in zip(dev.questions, dev.candidates, dev.texts):
        if not ts:
            continue
        headings = [snapshot.sentence(int(i)).heading for i in c.ids]
        headed = [with_context(h, t) for h, t in zip(headings, ts)]  # as qa reranks
        read = [for_reader(h, t) for h, t in zip(headings, ts)]  # as qa reads the top sentence
        answer, rank = reader.logits(q.question, read), ranker.logits(q.question, headed)
        reading[q.id] = {sentence_key(t): float(a[ANSWER]) for t, a in zip(ts, answer)}
        ranking[q.id] = {sentence_key(t): [float(v) for v in r] for t, r in zip(ts, rank)}
    return dev, reading, ranking


def source_of(question: Question) -> str:
    head = question.id.split("-", 1)[0]
    return head if head in GENRES else "squad"


class _Logged:
    """A cross-encoder whose logits for one question were computed beforehand (by sentence key)."""

    def __init__(self, table: dict) -> None:
        self.table = table

    def logits(self, question: str, sentences) -> np.ndarray:
        rows = [self.table[sentence_key(s)] for s in sentences]
        return np.array([row if isinstance(row, list) else [row] for row in rows], dtype=float)


def report(train: TrainingSet, cal: Calibration, oof: dict, ranker_oof: dict | None, title: str) -> None:
    """How a fitted calibration does on each genre, decided by qa.answer.extract.answer itself (first turns
    only; the logits as computed beforehand): ans@1, end-to-end, how often an answer given is right, how many
    were given, ECE and AUROC of the confidence."""
    groups: dict[str, list[tuple[bool, bool, bool, float]]] = {}
    for q, c, ts, right, fetch in zip(train.questions, train.candidates, train.texts, train.right, train.sentences):
        position = {int(i): k for k, i in enumerate(c.ids)}
        ranker = _Logged(ranker_oof[q.id]) if ranker_oof is not None and q.id in ranker_oof else None
        # each sentence as its index holds it (its paragraph, for what points back), without its heading path:
        # the logits were logged by the sentence's text alone
        got = answer(
            q.question, c, ts, lambda i, fetch=fetch: replace(fetch(i), heading=""), cal, cal.threshold,
            reader=_Logged(oof.get(q.id, {})), ranker=lambda chosen=ranker: chosen,
        )  # fmt: skip
        hit = bool(got.sentences) and bool(right[position[got.sentences[0].index]])
        groups.setdefault(source_of(q), []).append((q.answerable, hit, got.answered, got.confidence))
    print(f"\n{title}")
    print("| set | questions | ans@1 | end-to-end | answers right | answered | ECE | AUROC |")
    print("|---|---|---|---|---|---|---|---|")
    for name in [*GENRES, "squad"]:
        rows = groups.get(name)
        if not rows:
            continue
        asked, hit, said, conf = (np.array(col) for col in zip(*rows))
        good = np.where(said, hit, ~asked)
        given = said.sum()
        print(
            f"| {name} | {len(rows)} | {hit[asked].mean():.3f} | {good.mean():.3f} | "
            f"{(hit[said].mean() if given else float('nan')):.3f} | {given} | "
            f"{calibration_error(conf, hit):.3f} | {auroc(conf, hit):.3f} |"
        )


def sentence_key(text: str) -> str:
    """How reader_oof.json names a sentence: a hash, so no benchmark text is committed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench" / "squad2-a"))
    parser.add_argument("--write", action="store_true", help="write qa/answer/calibration.json (or --out)")
    parser.add_argument("--out", type=Path, default=CALIBRATION_FILE, help="where --write writes")
    parser.add_argument("--oof", default=str(OOF_FILE), help="the reader's out-of-fold logits (eval/train_reader.py)")
    parser.add_argument("--ranker-oof", default=str(RANKER_OOF_FILE), help="the ranker's out-of-fold logits")
    parser.add_argument(
        "--rerank", action="store_true", help="fit the ranker's reordering too (off: see the README on reranking)"
    )
    parser.add_argument(
        "--devset",
        action="store_true",
        help="fit on SQuAD train together with eval/devset (half the weight each); see docs/benchmarks.md",
    )
    parser.add_argument(
        "--cross-fit",
        action="store_true",
        help="also fit twice on SQuAD train + one half of the development set and report the other half",
    )
    parser.add_argument(
        "--shifts-only",
        action="store_true",
        help="fit only w_unseen and w_elsewhere, under the calibration as it is, its reordering included"
        " (after a change to what they read)",
    )
    parser.add_argument(
        "--read-slips",
        action="store_true",
        help="read the questions' typing slips as qa does before fitting (measured, not shipped: docs/design.md)",
    )
    args = parser.parse_args()
    squad = training_set(Path(args.bench), read_slips=args.read_slips)
    oof_file, ranker_file = Path(args.oof), Path(args.ranker_oof)
    oof = json.loads(oof_file.read_text())["logits"] if oof_file.is_file() else None
    ranker_oof = json.loads(ranker_file.read_text())["logits"] if (args.rerank or args.shifts_only) and ranker_file.is_file() else None
    prior = prior_weights(squad.questions)
    dev, dev_reader, dev_ranker = devset_pool(args.read_slips)
    oof = {**oof, **dev_reader} if oof is not None else None
    ranker_oof = {**ranker_oof, **dev_ranker} if ranker_oof is not None else None
    train = squad.plus(dev)
    mixed = np.concatenate([prior / prior.sum() / 2, np.full(len(dev.questions), 0.5 / len(dev.questions))])
    mixed *= len(mixed)  # mean 1: the tolerances below count questions
    if not args.devset:
        weights = np.concatenate([prior, np.zeros(len(dev.questions))])
        fitted_on = (
            "squad2-a train.jsonl, reweighted to a 2/3 answerable prior; w_unseen and w_elsewhere on it and"
            " eval/devset, half the weight each; w_follow_up on eval/devset/conversations.jsonl"
        )
        title = "development set (w_unseen and w_elsewhere were fitted on it too)"
    else:
        weights = mixed
        fitted_on = (
            "squad2-a train.jsonl (reweighted to a 2/3 answerable prior) and eval/devset, half the weight each;"
            " w_follow_up on eval/devset/conversations.jsonl"
        )
        title = "development set (fitted on all of it, in-sample)"
    keep = load_calibration() if args.shifts_only else None
    result = fit(train, weights, oof, ranker_oof, oof_file, ranker_file, squad.model_id, fitted_on, mixed, keep=keep)
    report(dev, calibration_of(result), oof, ranker_oof, title)
    if args.cross_fit:
        half = np.array([int(hashlib.sha256(q.id.encode()).hexdigest(), 16) % 2 for q in dev.questions])
        for fold in (0, 1):
            keep = np.concatenate([np.ones(len(squad.questions), bool), half != fold])
            part = fit(
                train.subset(keep), weights[keep], oof, ranker_oof, oof_file, ranker_file, squad.model_id,
                map_weights=mixed[keep], quiet=True,
            )  # fmt: skip
            title = f"half {fold} held out (fitted on SQuAD + the other half)"
            report(dev.subset(half == fold), calibration_of(part), oof, ranker_oof, title)
    print(json.dumps(result, indent=1))
    if args.write:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {args.out}")


def prior_weights(questions: list[Question]) -> np.ndarray:
    """Each training question weighted so that the answerable share matches the evaluation prior."""
    answerable = np.array([q.answerable for q in questions])
    share = answerable.mean()
    return np.where(answerable, EVAL_ANSWERABLE_SHARE / share, (1 - EVAL_ANSWERABLE_SHARE) / (1 - share))


def fit(
    train: TrainingSet,
    weights: np.ndarray,
    oof: dict | None,
    ranker_oof: dict | None,
    oof_file: Path,
    ranker_file: Path,
    model_id: str,
    fitted_on: str = "squad2-a train.jsonl, reweighted to a 2/3 answerable prior",
    map_weights: np.ndarray | None = None,
    quiet: bool = False,
    keep: Calibration | None = None,
) -> dict:
    """Steps 1-8 of the module docstring on `train`, each question counted with its weight (steps 7 and 8
    with `map_weights` where given): the calibration file's contents. With `keep`, steps 1-7 are not fitted:
    its weights, reordering, probabilities, map and threshold stay, and only step 8's shifts are fitted
    under them."""
    say = (lambda *a, **k: None) if quiet else print
    questions, cands, texts, right, misses = train.questions, train.candidates, train.texts, train.right, train.misses
    map_weights = weights if map_weights is None else map_weights
    fitted = weights > 0  # the questions steps 1-6 count (the tolerances count them)
    answerable = np.array([q.answerable for q in questions])
    asked = weights * answerable

    def top1(cal: Calibration) -> float:
        """Weighted ans@1 of the answerable training questions under the score weights of `cal`."""
        hits = np.array(
            [
                bool(r[int(np.argmax(score(c, cal, m)))]) if len(c.ids) else False
                for c, r, m in zip(cands, right, misses)
            ]
        )
        return float(np.sum(asked * hits) / np.sum(asked))

    best = None if keep is None else (top1(keep), keep.passage_weight, keep.lexical_weight, keep.type_weight)
    for p in np.arange(0.0, 1.01, 0.1) if keep is None else []:
        for lex in np.arange(0.0, 1.01, 0.05):
            for tw in (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0):
                acc = top1(Calibration(passage_weight=float(p), lexical_weight=float(lex), type_weight=tw))
                if best is None or acc > best[0] + 1e-9:
                    best = (acc, float(p), float(lex), tw)
    assert best is not None
    acc, p, lex, tw = best
    # Weights within one standard error of the best cannot be told apart on 647 questions (the rule the
    # threshold and the veto follow too): a refit keeps the current ones then, so that the out-of-fold logits
    # (written for each question's best candidates under them) still cover it.
    current = load_calibration()
    current_acc = top1(current)
    weights_tolerance = float(np.sqrt(acc * (1 - acc) / (answerable & fitted).sum()))
    if keep is None and current_acc >= acc - weights_tolerance - 1e-9:
        acc, p, lex, tw = current_acc, current.passage_weight, current.lexical_weight, current.type_weight
        say(
            f"best weights in the grid: train ans@1 {best[0]:.4f}; within one standard error ({weights_tolerance:.4f})"
            " of it, the current weights stay"
        )
    say(
        f"weights: passage {p:.2f}, lexical {lex:.2f}, type {tw:.2f}: train ans@1 {acc:.4f}"
        f" ({int((answerable & fitted).sum())} answerable)"
    )

    cal = Calibration(passage_weight=p, lexical_weight=lex, type_weight=tw)
    scored = [score(c, cal, miss) for c, miss in zip(cands, misses)]
    orders = [[int(i) for i in np.argsort(-s, kind="stable")] for s in scored]

    uncovered: dict[Path, set[str]] = {}

    def logits(table: dict, source: Path, k: int, ids: list[int]) -> np.ndarray | None:
        """Out-of-fold logits of question k's candidates `ids` (the ranker's: its RANK unit); None when the
        file lacks one (it holds each question's best candidates as they were scored when it was written)."""
        q, ts = questions[k], texts[k]
        if q.id not in table:
            sys.exit(f"{source} has no logits for question {q.id}: rerun eval/train_reader.py")
        try:
            rows = [table[q.id][sentence_key(ts[i])] for i in ids]
        except KeyError:
            uncovered.setdefault(source, set()).add(q.id)
            return None
        return np.array([row[RANK] if isinstance(row, list) else row for row in rows], dtype=float)

    def reranked(rule: Calibration) -> tuple[list[list[int]], list[int]]:
        """Each question's order after the ranker's reordering, and how many pairs it read."""
        out, read = [], []
        for k, s in enumerate(scored):
            n = rule.to_read(s[orders[k]]) if ranker_oof is not None else 0
            found = logits(ranker_oof, ranker_file, k, orders[k][:n]) if n > 1 else None
            # as qa.answer.extract.answer: the ranker reads only when there is something to compare
            if found is not None:
                out.append(rule.rerank(orders[k], s, found))
                read.append(n)
            else:
                out.append(orders[k])
                read.append(0)
        return out, read

    rerank = dict(rank_weight=0.0, rerank_depth=1, rerank_margin=0.0)
    if keep is not None:
        rerank = dict(rank_weight=keep.rank_weight, rerank_depth=keep.rerank_depth, rerank_margin=keep.rerank_margin)
    elif ranker_oof is not None:
        # Reranking: grid over how many candidates the ranker may read, how close to the best they must be
        # and the rank logit's weight, for ans@1 on the mix of genres (`map_weights`: SQuAD train and the
        # development set, whose sentences have headings for the ranker to read). Configurations within one
        # question of the best ans@1 cannot be told apart, and among them the one reading the fewest pairs
        # is fastest.
        mix = map_weights * answerable

        def mix_hit(found: list[list[int]]) -> float:
            return float(sum(mix[k] * right[k][o[0]] for k, o in enumerate(found) if o) / np.sum(mix))

        grid = [(mix_hit(orders), 0.0, 1, 0.0, 0.0)]  # no reranking
        for depth in range(2, OOF_PER_QUESTION + 1):
            for margin in (0.05, 0.1, 0.15, 0.2, 0.3, 0.5):
                for weight in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5):
                    rule = Calibration(rank_weight=weight, rerank_depth=depth, rerank_margin=margin)
                    new, read = reranked(rule)
                    grid.append((mix_hit(new), float(np.mean(read)), depth, margin, weight))
        best_hit = max(g[0] for g in grid)
        hit, pairs, depth, margin, weight = min(
            (g for g in grid if g[0] >= best_hit - 1 / (answerable & (mix > 0)).sum()), key=lambda g: (g[1], -g[0])
        )
        rerank = dict(rank_weight=weight, rerank_depth=depth, rerank_margin=margin)
        say(
            f"reranking: depth {depth}, margin {margin}, weight {weight}: ans@1 on the mix {grid[0][0]:.4f} -> {hit:.4f}"
            f" (out-of-fold ranker logits; best in grid {best_hit:.4f}), the ranker reads {pairs:.2f} pairs per question"
        )
        if uncovered:
            gaps = len(set().union(*uncovered.values()))
            say(f"  ({gaps} questions lacked ranker logits at some setting of the grid and kept their order there)")
    uncovered.clear()  # from here on: gaps at the chosen setting
    final, _ = reranked(Calibration(**rerank))
    if ranker_oof is not None:
        acc = float(sum(asked[k] * right[k][o[0]] for k, o in enumerate(final) if o) / np.sum(asked))
        say(f"  train ans@1 with the reranking {acc:.4f}")
    feats, labels = [], []
    for k, (s, order) in enumerate(zip(scored, final)):
        if not order:
            feats.append([0.0, 0.0] + ([0.0] if oof is not None else []))
            labels.append(False)
            continue
        top, second = top_and_second(s, order[0], rivals(questions[k].question, texts[k], order[0]))
        row = [top, top - second]
        if oof is not None:
            found = logits(oof, oof_file, k, order[:1])
            # as qa reads it: a unit that does not end as a sentence does bounds the reader's "no"
            row.append(float("nan") if found is None else reading_logit(float(found[0]), texts[k][order[0]]))
        feats.append(row)
        labels.append(bool(right[k][order[0]]))
    x, y = np.array(feats), np.array(labels, dtype=float)
    for source, ids in uncovered.items():
        say(f"{source.name} lacks logits for the candidates of {len(ids)} questions at this setting: {sorted(ids)[:5]}")

    def sigmoid(z: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-z))

    def end_to_end(conf: np.ndarray, t: float) -> float:
        answered = conf >= t
        correct = (answered & (y > 0)) | (~answered & ~answerable)
        return float(np.sum(weights * correct) / np.sum(weights))

    def reading_z(b: np.ndarray) -> np.ndarray:
        """The reading probability's logit with coefficients `b` (no reader logit: no veto, +inf)."""
        return np.where(np.isfinite(x[:, 2]), b[0] + np.nan_to_num(x) @ b[1:], np.inf)

    if keep is not None:
        # steps 3-7 kept as they are: the confidence's logit before its shifts, as qa computes it
        beta = np.array([keep.bias, keep.w_top, keep.w_margin])
        reading_beta = np.array([keep.r_bias, keep.r_top, keep.r_margin, keep.r_reader])
        raw_logit = beta[0] + x[:, :2] @ beta[1:]
        if oof is not None and keep.uses_reader:
            raw_logit = np.minimum(raw_logit, reading_z(reading_beta))
        c_bias, c_scale, shipped_threshold = keep.c_bias, keep.c_scale, keep.threshold
        e2e = end_to_end(sigmoid(c_bias + c_scale * raw_logit), shipped_threshold)
        say(f"steps 3-7 as in the calibration kept: reweighted train end-to-end {e2e:.3f} at its threshold")
    else:
        beta = fit_logistic(x[:, :2], y, weights)
        retrieval_z = beta[0] + x[:, :2] @ beta[1:]
        retrieval = sigmoid(retrieval_z)
        curve = [(float(t), end_to_end(retrieval, t)) for t in np.arange(0.0, 1.0001, 0.01)]
        top_e2e = max(e for _, e in curve)
        # Thresholds within one standard error of the best cannot be told apart on 1,830 questions (the
        # one-standard-error rule): among them take the most cautious, since a wrong answer costs a user more
        # than an honest "the documents do not seem to answer".
        tolerance = float(np.sqrt(top_e2e * (1 - top_e2e) / fitted.sum()))
        threshold, e2e = max((t, e) for t, e in curve if e >= top_e2e - tolerance)
        always = float(np.sum(weights * (y > 0)) / np.sum(weights))
        say(f"retrieval probability: {np.round(beta, 3).tolist()} (bias, top, margin)")
        say(
            f"threshold {threshold:.2f} (best {top_e2e:.4f}; most cautious within one standard error, {tolerance:.4f}): reweighted train"
            f" end-to-end {e2e:.3f} (always answering: {always:.3f}), AUROC {auroc(retrieval, y > 0, weights):.3f}"
        )
        reading_beta, raw_logit = np.zeros(4), retrieval_z  # the confidence before the final map, as a logit
        if oof is not None:
            # The reading probability adds the reader's logit. Confidence = min(retrieval, reading), judged at
            # the same threshold: the reader may veto an answer, never create one.
            # A question whose top sentence has no out-of-fold reader logit is answered as qa does without a
            # reader: by the retrieval probability alone.
            read = np.isfinite(x[:, 2])
            reading_beta = fit_logistic(x[read], y[read], weights[read])
            say(f"reading probability: {np.round(reading_beta, 3).tolist()} (bias, top, margin, reader logit)")
            # The veto's strength: the reading probability's bias shifted by delta <= 0. Shifts whose reweighted
            # end-to-end accuracy at the threshold is within one standard error of the best cannot be told apart;
            # as for the threshold, take the most cautious of them (the strongest veto).
            fitted_z = reading_z(reading_beta)
            shifts = [(d, end_to_end(np.minimum(retrieval, sigmoid(fitted_z + d)), threshold)) for d in VETO_SHIFTS]
            best_shift = max(e for _, e in shifts)
            shift_tolerance = float(np.sqrt(best_shift * (1 - best_shift) / fitted.sum()))
            delta = min(d for d, e in shifts if e >= best_shift - shift_tolerance)
            reading_beta[0] += delta
            raw_logit = np.minimum(retrieval_z, fitted_z + delta)
            conf = sigmoid(raw_logit)
            e2e = end_to_end(conf, threshold)
            say(f"veto shift {delta:+.2f} (end-to-end at the threshold: best {best_shift:.4f}, this {e2e:.4f})")
            say(
                f"with the reader's veto: reweighted train end-to-end {e2e:.3f}, AUROC {auroc(conf, y > 0, weights):.3f}"
                " (out-of-fold reader logits)"
            )
        # The minimum of two probabilities under-states: one monotone map, fitted by the same weighted logistic
        # regression on its logit, makes the shipped confidence a probability again. The threshold moves with it,
        # so every decision and the AUROC stay as they are.
        c_bias, c_scale = fit_logistic(raw_logit[:, None], y, weights)
        shipped = sigmoid(c_bias + c_scale * raw_logit)
        shipped_threshold = float(sigmoid(c_bias + c_scale * np.log(threshold / (1 - threshold))))
        before, after = (calibration_error(c, y > 0, weights) for c in (sigmoid(raw_logit), shipped))
        say(
            f"confidence map: sigmoid({c_bias:.3f} + {c_scale:.3f} logit(min)); threshold {threshold:.2f} -> {shipped_threshold:.4f};"
            f" calibration error {before:.3f} -> {after:.3f}"
        )
    # A question naming what the documents never mention, or what only other documents than the top
    # sentence's mention: their shifts, on the mix of genres (step 8).
    unseen = np.array([bool(c.unseen) for c in cands], dtype=float)
    elsewhere = np.array(
        [
            bool(o) and c.missing_names is not None and bool(c.missing_names(int(c.ids[o[0]])))
            for c, o in zip(cands, final)
        ],
        dtype=float,
    )
    mapped = c_bias + c_scale * raw_logit
    w_unseen, w_elsewhere = fit_logistic(np.c_[unseen, elsewhere], y, map_weights, offset=mapped)
    before, after = (
        calibration_error(sigmoid(mapped + w * unseen + v * elsewhere), y > 0, map_weights)
        for w, v in ((0.0, 0.0), (w_unseen, w_elsewhere))
    )
    say(
        f"unseen words: shift {w_unseen:+.3f}; questions with them: {int(unseen[answerable].sum())} answerable,"
        f" {int(unseen[~answerable].sum())} not"
    )
    say(
        f"names only elsewhere: shift {w_elsewhere:+.3f}; questions with them: {int(elsewhere[answerable].sum())}"
        f" answerable ({int((elsewhere * (y > 0)).sum())} with the top sentence right), {int(elsewhere[~answerable].sum())} not"
    )
    say(f"calibration error on the mix {before:.3f} -> {after:.3f}")
    written = json.loads(CALIBRATION_FILE.read_text())
    command = (
        "python eval/devset/build.py && python eval/train_reader.py && python eval/fit_calibration.py --rerank"
        + (" --devset" if fitted.all() else "")
        + " --write && python eval/fit_follow_up.py --write"
    )
    if keep is not None:  # a shifts-only fit: the rest was made as the file says, and its step is added
        fitted_on, command = written["fitted_on"], written["command"].removesuffix(SHIFTS_ONLY) + SHIFTS_ONLY
    result = {
        "passage_weight": round(p, 4),
        "lexical_weight": round(lex, 4),
        "type_weight": round(tw, 4),
        "bias": round(float(beta[0]), 5),
        "w_top": round(float(beta[1]), 5),
        "w_margin": round(float(beta[2]), 5),
        "r_bias": round(float(reading_beta[0]), 5),
        "r_top": round(float(reading_beta[1]), 5),
        "r_margin": round(float(reading_beta[2]), 5),
        "r_reader": round(float(reading_beta[3]), 5),
        "rank_weight": rerank["rank_weight"],
        "rerank_depth": rerank["rerank_depth"],
        "rerank_margin": rerank["rerank_margin"],
        "c_bias": round(float(c_bias), 5),
        "c_scale": round(float(c_scale), 5),
        "w_unseen": round(float(w_unseen), 5),
        "w_elsewhere": round(float(w_elsewhere), 5),
        # fitted afterwards on the scripted conversations by eval/fit_follow_up.py: kept as it is
        "w_follow_up": written.get("w_follow_up", 0.0),
        "threshold": round(shipped_threshold, 6),
        "model": model_id,
        "fitted_on": fitted_on,
        "command": command,
        "train_ans@1": round(acc, 4),
        "train_end_to_end_reweighted": round(e2e, 4),
    }
    return result


def calibration_of(result: dict) -> Calibration:
    return Calibration(**{k: v for k, v in result.items() if k in CALIBRATION_FIELDS})


if __name__ == "__main__":
    main()
