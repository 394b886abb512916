"""Build a question set from FAQs whose questions are taken out of the documents: the FAQ's own questions are
asked of its answers alone.

    .venv/bin/python eval/faq_headings/build.py [--out eval/faq_headings]
    .venv/bin/qa eval eval/faq_headings/questions.jsonl --corpus eval/faq_headings/docs
    .venv/bin/qa eval eval/faq_headings/as_is/questions.jsonl --corpus eval/faq_headings/as_is/docs
    .venv/bin/python eval/faq_headings/build.py --train      # other projects' FAQs, the same way, to train on

A FAQ is a set of real questions, each written by the people who answer them, over the text that answers
it. This script takes the FAQs of four Python projects from their source distributions on PyPI (pinned,
checked against their sha256): Django (docs/faq/*.txt, BSD-3-Clause), SQLAlchemy (doc/build/faq/*.rst, MIT),
Celery (docs/faq.rst, BSD-3-Clause) and Scrapy (docs/faq.rst, BSD-3-Clause). None of them is a development-set
document. Each FAQ is read with qa's own loader; a section whose innermost heading ends with "?" is a
question. The corpus written to `docs/` keeps every FAQ's other headings and the text of its answers, but
not the questions: with them, the heading path would hand the answer to the search. Every fourth question's
answer is left out of the corpus too (deterministic), so about a quarter of the questions are about the
documents' topic but not answered in them, as the development set's unanswerable ones are.

`questions.jsonl` is the usual question file: `answers` lists the sentences of the question's answer (those of
three words or more, as qa's chunker splits them), so "right" means the top sentence is one of its answer's
sentences; `doc` is the corpus file. Nothing is committed: the files keep their projects' licences (the
LICENSE of each source distribution, which the script copies beside them). The questions ask about a FAQ's
own words less often than a user does ("How can I see the raw SQL queries Django is running?" over "Make
sure your Django DEBUG setting is set to True. Then do this: ..."), and many answers open with a word of
their own ("Yes.", "See ..."): a check of how well a question finds its answer's sentences in technical
documentation, with questions nobody here wrote.

`as_is/` holds the same FAQ files unchanged, with every question asked of them (none held out): there the
question is the heading of its answer, so it checks how qa reads the FAQs' reStructuredText rather than how
it judges a sentence.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent / "devset"))  # before this folder: `build` is eval/devset/build.py

from build import sdist  # noqa: E402  (eval/devset/build.py: PyPI's simple index, the sha256 checked)

from qa.ingest.chunking import chunk_document  # noqa: E402
from qa.ingest.formats.common import HEADING_SEPARATOR  # noqa: E402
from qa.ingest.loaders import load_file  # noqa: E402

# (distribution file, sha256, FAQ files inside it, its licence file)
BENCH = [
    (
        "django-6.1.3.tar.gz",
        "b5d2d9e35295065d13b1927b3f19a59bd119f737aa6299def14ccca1ae3c8c0d",
        [f"django-6.1.3/docs/faq/{name}.txt" for name in
         ("admin", "contributing", "general", "help", "install", "models", "troubleshooting", "usage")],
        "django-6.1.3/LICENSE",
    ),
    (
        "sqlalchemy-2.1.9.tar.gz",
        "d700a8b2edfb26282a470333d6bc4a454c4acda4d201a3bea7b72fa76c217d28",
        [f"sqlalchemy-2.1.9/doc/build/faq/{name}.rst" for name in
         ("connections", "metadata_schema", "ormconfiguration", "performance", "sessions", "sqlexpressions")],
        "sqlalchemy-2.1.9/LICENSE",
    ),
    (
        "celery-5.7.0.tar.gz",
        "6a5dfcf6662287204f009a02002b9e66c83d4105e47ebabdc7079108772fc6f0",
        ["celery-5.7.0/docs/faq.rst"],
        "celery-5.7.0/LICENSE",
    ),
    (
        "scrapy-2.19.0.tar.gz",
        "34130726582b64c91531162ab277c4053e558876d49ba219cb43679e71d80a87",
        ["scrapy-2.19.0/docs/faq.rst"],
        "scrapy-2.19.0/LICENSE",
    ),
]  # fmt: skip
# Other projects' FAQs, for training only (eval/train_reader.py --extra eval/faq_headings/train): none of them
# is a development-set document, none is in BENCH, and nothing of them is asked in an evaluation
TRAIN = [
    ("cython-3.3.1.tar.gz", "e0e45989e821bef6aa9ae15c7d583ab5e055f7406c4b3624e49e06d24e90375a",
     ["cython-3.3.1/docs/src/userguide/faq.rst"], "cython-3.3.1/LICENSE.txt"),
    ("dask-2026.8.0.tar.gz", "8a94c37b5de6d869343340dc26c3c3acca7ec48a3abdabe00ea3abb1125884d5",
     ["dask-2026.8.0/docs/source/faq.rst"], "dask-2026.8.0/LICENSE.txt"),
    ("fabric-3.2.3.tar.gz", "dcbd2c47ad87688facaef5cc11aab6d1ec9ed05645fed97a5de7204d5d17cc44",
     ["fabric-3.2.3/sites/www/faq.rst"], "fabric-3.2.3/LICENSE"),
    ("gunicorn-27.0.1.tar.gz", "b1514965361c8b7e8107a80aa2a92636878df1ccfac6dd204a676426e04d9e3e",
     ["gunicorn-27.0.1/docs/content/faq.md"], "gunicorn-27.0.1/LICENSE"),
    ("invoke-3.0.3.tar.gz", "437b6a622223824380bfb4e64f612711a6b648c795f565efc8625af66fb57f0c",
     ["invoke-3.0.3/sites/www/faq.rst"], "invoke-3.0.3/LICENSE"),
    ("jinja2-3.1.6.tar.gz", "0137fb05990d35f1275a587e9aee6d56da821fc83491a0fb838183be43f66d6d",
     ["jinja2-3.1.6/docs/faq.rst"], "jinja2-3.1.6/LICENSE.txt"),
    ("lxml-6.2.0.tar.gz", "07f185a5757e24bef8ebfe1eeeae4ea903f0a168b647f2b9bd1c88193ca0c412",
     ["lxml-6.2.0/doc/FAQ.txt"], "lxml-6.2.0/LICENSE.txt"),
    ("numba-0.68.1.tar.gz", "9de461812470173a14eeb7e0bbd27c897dffe835402a33861166842fc5f6ea57",
     ["numba-0.68.1/docs/source/user/faq.rst"], "numba-0.68.1/LICENSE"),
    ("salt-3008.5.tar.gz", "0259deafd601d783721e5aa8ed10677d8c4d6cc12f5de17499af71590d593315",
     ["salt-3008.5/doc/faq.rst"], "salt-3008.5/LICENSE"),
    ("tornado-6.6.1.tar.gz", "28e6311402af59c8b02e3fa0f5e7d8eb465b25081381803b127d97e6a4395d5a",
     ["tornado-6.6.1/docs/faq.rst"], "tornado-6.6.1/LICENSE"),
]  # fmt: skip
HELD_OUT = 4  # every fourth question's answer is left out of the corpus: it is asked, unanswerable
MIN_WORDS = 3  # an answer sentence shorter than this ("Yes.", "No!") would be found inside unrelated sentences


def _markdown_escaped(text: str) -> str:
    """Text as Markdown reads it back unchanged: no emphasis, code spans, headings or list marks made of it."""
    return re.sub(r"([\\`*_#<>\[\]])", r"\\\1", text)


def questions_of(path: Path, name: str, project: str, first: int) -> tuple[str, list[dict], list[dict]]:
    """One FAQ: the Markdown document of its headings and answers (held-out answers and every question
    heading left out, with the headings of the sections inside an answer), its questions with their
    answers' sentences, and the same questions asked of the FAQ as it is (every one answered there)."""
    doc = load_file(path)
    sentences, _ = chunk_document(doc)
    bounds = [start for start, _ in doc.sections] + [len(doc.text)]
    # consecutive sections under one question (its own and those inside its answer) are one answer
    groups: list[tuple[list[str], str, list[tuple[int, int]]]] = []  # (headings above, question, spans)
    for k, (start, heading) in enumerate(doc.sections):
        parts = [part.strip() for part in heading.split(HEADING_SEPARATOR)]
        at = next((i for i, part in enumerate(parts) if part.endswith("?")), None)
        above, question = (parts, "") if at is None else (parts[:at], parts[at])
        span = (start, bounds[k + 1])
        if question and groups and groups[-1][1] == question and groups[-1][0] == above:
            groups[-1][2].append(span)
        else:
            groups.append((above, question, [span]))
    lines: list[str] = []
    shown: list[str] = []  # the heading path written so far, level by level
    asked: list[dict] = []
    as_is: list[dict] = []
    for above, question, spans in groups:
        for level, part in enumerate(above):
            if level >= len(shown) or shown[level] != part:
                shown = shown[:level] + [part]
                lines.append(f"{'#' * (level + 1)} {_markdown_escaped(part)}\n")
        shown = shown[: len(above)]
        body = "\n\n".join(doc.text[a:b].strip() for a, b in spans if doc.text[a:b].strip())
        answer = [
            s.text
            for s in sentences
            if any(a <= s.start < b for a, b in spans) and len(s.text.split()) >= MIN_WORDS
        ]
        if not question or not answer:  # a section of its own, or an answer of short sentences only ("Yes.")
            if body:
                lines.append(_markdown_escaped(body) + "\n")
            continue
        number = first + len(asked)
        held_out = number % HELD_OUT == HELD_OUT - 1
        if not held_out:
            lines.append(_markdown_escaped(body) + "\n")
        asked.append({
            "id": f"{project}-{number:03d}",
            "question": question,
            "answers": [] if held_out else answer,
            "answerable": not held_out,
            "doc": name,
        })
        as_is.append({**asked[-1], "answers": answer, "answerable": True, "doc": f"{project}-{path.name}"})
    return "\n".join(lines), asked, as_is


def build(out: Path, sdists: list) -> None:
    docs, original = out / "docs", out / "as_is" / "docs"
    for folder in (docs, original):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    questions: list[dict] = []
    whole: list[dict] = []
    with tempfile.TemporaryDirectory() as scratch:
        for filename, sha256, members, licence in sdists:
            project = re.sub(r"-\d.*$", "", filename)
            first = 0
            with tarfile.open(fileobj=io.BytesIO(sdist(filename, sha256)), mode="r:gz") as archive:
                for member in [*members, licence]:
                    extracted = archive.extractfile(member)
                    if extracted is None:
                        raise SystemExit(f"{member} is not a file in {filename}")
                    source = Path(scratch) / member
                    source.parent.mkdir(parents=True, exist_ok=True)
                    source.write_bytes(extracted.read())
            for folder in (docs, original):
                shutil.copy(Path(scratch) / licence, folder / f"{project}-LICENSE.txt")
            for member in members:
                name = f"{project}-{Path(member).stem}.md"
                text, asked, asked_as_is = questions_of(Path(scratch) / member, name, project, first)
                (docs / name).write_text(text, encoding="utf-8")
                shutil.copy(Path(scratch) / member, original / f"{project}-{Path(member).name}")
                questions += asked
                whole += asked_as_is
                first += len(asked)
    # an answer sentence as qa reads it back from the written Markdown (one in a few hundred is split or
    # joined otherwise there): only those count, and a question left with none is not asked
    read_back = {s.text for path in sorted(docs.glob("*.md")) for s in chunk_document(load_file(path))[0]}
    for q in questions:
        q["answers"] = [a for a in q["answers"] if a in read_back]
    questions = [q for q in questions if q["answers"] or not q["answerable"]]
    for path, rows in ((out / "questions.jsonl", questions), (out / "as_is" / "questions.jsonl", whole)):
        with open(path, "w", encoding="utf-8") as f:
            for q in rows:
                f.write(json.dumps(q, ensure_ascii=False) + "\n")
    answerable = sum(q["answerable"] for q in questions)
    print(f"{len(questions)} questions ({answerable} answerable) over {len(list(docs.glob('*.md')))} FAQ files in {docs}")
    print(f"{len(whole)} questions over the FAQs as they are in {original}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="where to write (default: this folder, or its train/ for --train)")
    parser.add_argument("--train", action="store_true", help="the training FAQs (TRAIN) instead of the benchmark's")
    args = parser.parse_args()
    build(args.out or (HERE / "train" if args.train else HERE), TRAIN if args.train else BENCH)


if __name__ == "__main__":
    main()
