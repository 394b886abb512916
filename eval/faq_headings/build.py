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
    ("aiohttp-3.14.5.tar.gz", "5558a7f5a05af9ecf744af91e5baefc436f93c9333e656c27ec253f9a6bbe178",
     ["aiohttp-3.14.5/docs/faq.rst"], "aiohttp-3.14.5/LICENSE.txt"),
    ("astropy-8.0.2.tar.gz", "e6af35823099ad6a40b57dbe5ff845f577374ea131925c9fa4b49eeab06c5310",
     ["astropy-8.0.2/docs/io/fits/appendix/faq.rst"], "astropy-8.0.2/LICENSE.rst"),
    ("asyncpg-0.32.0.tar.gz", "45e64e56714d888330b884aad1dfb363d0bf43fb343e3d1a8968525f3bade478",
     ["asyncpg-0.32.0/docs/faq.rst"], "asyncpg-0.32.0/LICENSE"),
    ("coverage-7.18.0.tar.gz", "dd7258fab7dbc3bedcc94d6e9d4431408e390f080687b3463dbee3147715867f",
     ["coverage-7.18.0/doc/faq.rst"], "coverage-7.18.0/LICENSE.txt"),
    ("docutils-0.23.1.tar.gz", "8a83ac8810e41228b6f20e96a183abd2460a1757f78e2603e3d4b31fe7d29622",
     ["docutils-0.23.1/FAQ.rst"], "docutils-0.23.1/COPYING.rst"),
    ("emcee-3.1.6.tar.gz", "11af4daf6ab8f9ca69681e3c29054665db7bbd87fd4eb8e437d2c3a1248c637d",
     ["emcee-3.1.6/docs/user/faq.rst"], "emcee-3.1.6/LICENSE"),
    ("falcon-4.4.0.tar.gz", "9f3ffbddc8baed4573295642eddb18a37eea37baba9f20c5be379c8b3d3d79e6",
     ["falcon-4.4.0/docs/user/faq.rst"], "falcon-4.4.0/LICENSE"),
    ("h5py-3.16.0.tar.gz", "a0dbaad796840ccaa67a4c144a0d0c8080073c34c76d5a6941d6818678ef2738",
     ["h5py-3.16.0/docs/faq.rst"], "h5py-3.16.0/LICENSE"),
    ("igraph-1.0.0.tar.gz", "2414d0be2e4d77ee5357807d100974b40f6082bb1bb71988ec46cfb6728651ee",
     ["igraph-1.0.0/doc/source/faq.rst"], "igraph-1.0.0/LICENSE"),
    ("jupyterlab-4.6.6.tar.gz", "5f6fbb409158167aeefb5781d6f0b228e24b493cb6e6f1320fb5bc8897acc223",
     ["jupyterlab-4.6.6/docs/source/getting_started/faq.md"], "jupyterlab-4.6.6/LICENSE"),
    ("lmfit-1.3.4.tar.gz", "3c22c28c43f717f6c5b4a3bd81e893a2149739c26a592c046f2e33c23cfbe497",
     ["lmfit-1.3.4/doc/faq.rst"], "lmfit-1.3.4/LICENSE"),
    ("matplotlib-3.11.2.tar.gz", "cec596316640f2b394b8f0daa0ea61a8eae82d017b620b9f202befb972a59ea4",
     ["matplotlib-3.11.2/doc/api/toolkits/mplot3d/faq.rst", "matplotlib-3.11.2/doc/users/faq.rst"], "matplotlib-3.11.2/LICENSE/LICENSE"),
    ("mypy-2.4.1.tar.gz", "63b590965691e540a335fa74dadf31a7069142f6b72e234689bbd244edf55623",
     ["mypy-2.4.1/docs/source/faq.rst"], "mypy-2.4.1/LICENSE"),
    ("numcodecs-0.17.1.tar.gz", "5069dc01b0087c6135cbb3b043707aaf927c992fcd325248d15d907c51dd3747",
     ["numcodecs-0.17.1/c-blosc/internal-complibs/zlib-1.3.1/FAQ", "numcodecs-0.17.1/c-blosc/internal-complibs/zlib-1.3.1/win32/DLL_FAQ.txt"], "numcodecs-0.17.1/c-blosc/internal-complibs/zlib-1.3.1/LICENSE"),
    ("numpy-2.5.5.tar.gz", "5cddc243c75114ba845f01b1f87aca1572dbf7b6c2d88636ed3e1d2bccd7f1bf",
     ["numpy-2.5.5/vendored-meson/meson/docs/markdown/FAQ.md"], "numpy-2.5.5/vendored-meson/meson/COPYING"),
    ("pexpect-4.9.0.tar.gz", "ee7d41123f3c9911050ea2c2dac107568dc43b2d3b0c7557a33212c398ead30f",
     ["pexpect-4.9.0/doc/FAQ.rst"], "pexpect-4.9.0/LICENSE"),
    ("pygments-2.21.0.tar.gz", "610ca751c9bc2492b38eb9a38a7fbc93edbbb2d7182edaf34e66ae493dee5c8c",
     ["pygments-2.21.0/doc/faq.rst"], "pygments-2.21.0/LICENSE"),
    ("pylint-4.1.5.tar.gz", "e6f1b42eefe7ac926ea0eb50f9528466610e6d77144a3e32357b992aa1adc6d5",
     ["pylint-4.1.5/doc/faq.rst"], "pylint-4.1.5/LICENSE"),
    ("rasterio-1.5.2.tar.gz", "e65a15b7bd22ce8f8ce8159856669dc9fafabf66cde6156e8f8e71d55abcd515",
     ["rasterio-1.5.2/docs/faq.rst"], "rasterio-1.5.2/LICENSE.txt"),
    ("scikit_learn-1.9.1.tar.gz", "629cada3e33e2b9bf376cdc7614a47a4140b8aedc1d836579e359736fbd82977",
     ["scikit_learn-1.9.1/doc/faq.rst"], "scikit_learn-1.9.1/COPYING"),
    ("seaborn-0.13.2.tar.gz", "93e60a40988f4d65e9f4885df477e2fdaff6b73a9ded434c1ab356dd57eefff7",
     ["seaborn-0.13.2/doc/faq.rst"], "seaborn-0.13.2/LICENSE.md"),
    ("sh-2.4.0.tar.gz", "a250aef68509ed93419c9a1d90b0647cd5cbe26107ba94d3717ef5b6d595ffd9",
     ["sh-2.4.0/docs/source/sections/faq.rst"], "sh-2.4.0/LICENSE.txt"),
    ("shapely-2.2.0.tar.gz", "e8865e553d874a1ec4a032057ea81fca9def37b188cd8fb550af3b3480b3f88c",
     ["shapely-2.2.0/docs/faq.rst"], "shapely-2.2.0/LICENSE.txt"),
    ("statsmodels-0.15.0.tar.gz", "5d257fe58d0772bc46a557880ca78e2a8e07fec7bfd9d11074aef8e33e1aecbc",
     ["statsmodels-0.15.0/docs/source/faq.rst"], "statsmodels-0.15.0/LICENSE.txt"),
    ("tables-3.11.1.tar.gz", "78abcf413091bc7c1e4e8c10fbbb438d1ac0b5a87436c5b972c3e8253871b6fb",
     ["tables-3.11.1/doc/source/FAQ.rst"], "tables-3.11.1/LICENSE.txt"),
    ("xarray-2026.9.0.tar.gz", "6abc69694c22fa1f0fb2f357ff4e41d88beb4477ed71091f944b7dbf67ed54fe",
     ["xarray-2026.9.0/doc/get-help/faq.md"], "xarray-2026.9.0/LICENSE"),
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
