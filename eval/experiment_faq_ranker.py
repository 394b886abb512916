"""Experiment (not a test, nothing shipped): does a ranker that also learns from real FAQ pages rank better?

    .venv/bin/python eval/experiment_faq_ranker.py [--reuse]   # about 75 minutes on 2 CPU cores

SQuAD's 1,830 training questions are all the ranker learns from, and none is about software. Technical FAQs
hold real users' questions with their answers: each question is a heading ("How do I check for a keypress
without blocking?") and the first sentence under it answers it ("Use the msvcrt module."). This script fetches
the documentation packages of Debian listed in PACKAGES (`apt-get download`, current versions, into a
temporary folder; none of them is a development-set source), reads them with qa's own readers and keeps every
English heading that asks a question of three words or more, with the first sentence under it (six words or
more, not ending in a colon: "Here is how:" answers nothing) as the sentence the question is about. Its
candidates are the same document's other sentences that MiniLM finds closest to the question (its own
section's left out: their role is unknown), each read, as qa's ranker reads a sentence, after its heading path,
with the asking heading itself removed (or the question would be found by its words).

A ranker is trained as eval/train_reader.py trains the shipped one (listwise, two epochs), on SQuAD train plus
these lists, and written to /tmp/ranker_faq.int8.onnx; then every answerable development question (none of
whose documents it read) and every answerable question of SQuAD split A is reordered with the shipped and
the new ranker by the shipped calibration's rule, and ans@1 printed per set. --reuse: test the ranker
already written."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

import train_reader as tr  # noqa: E402
from fit_calibration import DEVSET, GENRES, collect, source_of  # noqa: E402

from qa.answer.calibration import load_calibration  # noqa: E402
from qa.answer.extract import score  # noqa: E402
from qa.config import DEFAULT_MODEL  # noqa: E402
from qa.evaluation.metrics import Question, load_questions  # noqa: E402
from qa.ingest.chunking import chunk_document  # noqa: E402
from qa.ingest.loaders import list_files, load_file  # noqa: E402
from qa.models.cross import RANK, RANKER_FILE, Reader  # noqa: E402
from qa.models.encoder import resolve_model  # noqa: E402
from qa.types import Document, heading_at, with_context  # noqa: E402

OUT = Path("/tmp/ranker_faq.int8.onnx")
BENCH = ROOT.parent / "shared" / "bench" / "squad2-a"
PACKAGES = ("python3.11-doc", "apache2-doc", "zsh-doc", "sqlite3-doc", "nano", "git-doc", "postgresql-doc-15", "bash-doc")
NEGATIVES = 5
REPEATS = 2  # the FAQ lists are seen twice per epoch, as many as SQuAD's answerable questions
_ASKS = re.compile(r"^(?:\(?[\d.]+[):.]?\s*|Q[.:]\s*)?(?:how|what|why|when|where|which|who|is|are|can|do|does|should|will|may|i|my)\b", re.I)
_SEP = " \u203a "
_NUMBER = re.compile(r"^(?:\(?[\d.]+[):.]?|Q[.:])\s*")


def _unasked(path: str) -> str:
    return _SEP.join(p for p in path.split(_SEP) if p and not p.strip().endswith("?"))


def _plain(text: str) -> bool:
    """A sentence that can be a negative: a statement of four words or more (not a contents entry)."""
    return len(text.split()) >= 4 and not text.rstrip().endswith("?")


def fetch(into: Path) -> Path:
    for package in PACKAGES:
        done = subprocess.run(["apt-get", "download", "-q", package], cwd=into, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"apt-get download {package} failed: {done.stderr.strip()}")
    root = into / "x"
    for deb in into.glob("*.deb"):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root / "usr" / "share" / "doc"


def english(path: Path) -> bool:
    parts = path.parts
    if "_sources" in parts:  # Python's docs ship each page's reStructuredText beside its HTML
        return False
    if "apache2-doc" in parts:  # the manual in eleven languages
        return "en" in parts
    return True


def faq_items(docs: Path, encoder) -> list[tuple[Question, list[str], list[bool], list[bool]]]:
    items = []
    for path in list_files(docs):
        if path.suffix.lower() not in {".html", ".htm", ".md", ".rst", ".txt", ""} or not english(path):
            continue
        if path.stat().st_size > 3_000_000:
            continue
        doc = load_file(path)
        if not isinstance(doc, Document) or not doc.sections:
            continue
        sentences, _ = chunk_document(doc)
        paths = [heading_at(doc.sections, s.start) for s in sentences]
        firsts: dict[str, int] = {}
        for i, h in enumerate(paths):
            firsts.setdefault(h, i)
        asked = []
        for h, i in firsts.items():
            inner = h.split(_SEP)[-1].strip()
            text = sentences[i].text
            if inner.endswith("?") and len(inner.split()) >= 3 and _ASKS.match(inner):
                if len(text.split()) >= 6 and not text.rstrip().endswith(":"):
                    asked.append((h, inner, i))
        if not asked:
            continue

        # each sentence as the ranker reads it, without any asking heading in its path
        texts = [with_context(_unasked(p), s.text) for p, s in zip(paths, sentences)]
        answering = {h for h, _, _ in asked}  # negatives: what the page says in answer to its other questions
        vectors = encoder.encode(texts, batch_size=64, normalize_embeddings=True)
        questions = encoder.encode([a[1] for a in asked], normalize_embeddings=True)
        for (h, inner, first), qv in zip(asked, questions):
            sims = vectors @ qv
            others = [
                int(j) for j in np.argsort(-sims) if paths[j] != h and paths[j] in answering and _plain(sentences[j].text)
            ][:NEGATIVES]
            if len(others) < 2:
                continue
            ranked = sorted(others + [first], key=lambda j: -sims[j])
            right = [j == first for j in ranked]
            q = Question(f"faq-{len(items)}", _NUMBER.sub("", inner), [sentences[first].text], True)
            items.append((q, [texts[j] for j in ranked], right, [False] * len(ranked)))
    return items


def reordered(model, cal, q, ranked, s) -> int:
    n = cal.to_read(s)
    if n <= 1:
        return 0
    logits = model.logits(q.question, ranked[:n])[:, RANK]
    return cal.rerank(list(range(len(ranked))), s, logits)[0]


def main() -> None:
    torch.set_num_threads(2)
    cal = load_calibration()
    model_dir = resolve_model(DEFAULT_MODEL)
    if not ("--reuse" in sys.argv and OUT.is_file()):
        from sentence_transformers import SentenceTransformer

        started = time.time()
        with tempfile.TemporaryDirectory() as tmp:
            items = faq_items(fetch(Path(tmp)), SentenceTransformer(str(model_dir), device="cpu"))
        print(f"{len(items)} FAQ questions mined in {time.time() - started:.0f} s", flush=True)
        for q, ranked, right, _ in random.Random(0).sample(items, 5):
            print(f"  {q.question} -> {ranked[right.index(True)][:100]}", flush=True)
        started = time.time()
        squad = tr.candidate_pairs(BENCH)
        net = tr.train_ranker(tr.candidate_lists(squad + items * REPEATS), model_dir, 2.0, tr.SEED)
        tr.export_int8(net, OUT)
        print(f"trained in {time.time() - started:.0f} s", flush=True)
    tokenizer = model_dir / "tokenizer.json"
    models = {"shipped": Reader(RANKER_FILE, tokenizer), "with FAQs": Reader(OUT, tokenizer)}
    sets = [(DEVSET / "docs", [q for g in GENRES for q in load_questions(DEVSET / f"{g}.jsonl")])]
    sets.append((BENCH / "corpus", load_questions(BENCH / "questions.jsonl")))
    hits: dict[str, dict[str, list[bool]]] = {name: {} for name in models}
    for corpus, questions in sets:
        pool, engine = collect(corpus, [q for q in questions if q.answerable])
        snapshot, _ = engine.live()
        for q, c, texts, right, miss in zip(pool.questions, pool.candidates, pool.texts, pool.right, pool.misses):
            if not len(c.ids):
                continue
            s = score(c, cal, miss)
            order = np.argsort(-s, kind="stable")
            ranked = [with_context(snapshot.sentence(int(c.ids[i])).heading, texts[i]) for i in order]
            for name, model in models.items():
                pick = reordered(model, cal, q, ranked, s[order])
                hits[name].setdefault(source_of(q), []).append(bool(right[order[pick]]))
    for name, by_set in hits.items():
        print(f"{name:10} " + " ".join(f"{g} {np.mean(h):.3f} ({len(h)})" for g, h in by_set.items()), flush=True)


if __name__ == "__main__":
    main()
