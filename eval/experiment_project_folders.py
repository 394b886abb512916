"""Questions that name a project's release, asked of a folder of projects: "What changed in attrs 26.1.0?" is
right when the top sentence is from attrs' changelog and stands under that release's heading.

    .venv/bin/python eval/experiment_project_folders.py [--cache DIR] [--into DIR] [--per-project 6] [--seed 7]

The README and the changelog of 18 projects (their PyPI sdists, pinned by sha256 in eval/sweep_docs.py, unpacked
into `--cache` as that script does) are copied into `--into`/<project>/, as a user keeping checkouts or release
notes side by side has them: each changelog is named by convention (CHANGES.rst, CHANGELOG.md, HISTORY.rst,
NEWS.rst), and its headings name releases, not the project. Releases with two points or more are drawn at random
(seeded) from each changelog's headings, and every question is asked of the whole folder. It prints, per
project, how many have a sentence of the named release first, among the first three, and how many have a
sentence of the right project first.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from experiment_versions import heading_parts  # noqa: E402
from sweep_docs import SDISTS, unpack  # noqa: E402

from qa.config import load_settings  # noqa: E402
from qa.ingest.formats.common import HEADING_SEPARATOR  # noqa: E402
from qa.service import Service  # noqa: E402

_RELEASE = re.compile(r"(?<![\w.])v?(\d+(?:\.\d+){2,})(?![\w.])")  # "26.1.0", CherryPy's "v18.10.0"


def releases(parts: list[str]) -> list[str]:
    """The versions a changelog's headings name, in order, each once."""
    return list(dict.fromkeys(v for part in parts for v in _RELEASE.findall(part)))


def under(heading: str, version: str) -> bool:
    """Does a sentence's heading path name the release?"""
    return any(version in _RELEASE.findall(part) for part in heading.split(HEADING_SEPARATOR))

# project (as its folder and the questions name it) -> its changelog's file name in the sdist
PROJECTS = {
    "attrs": "CHANGELOG.md", "babel": "CHANGES.rst", "cherrypy": "CHANGES.rst", "dateparser": "HISTORY.rst",
    "fiona": "CHANGES.txt", "flask": "CHANGES.rst", "gevent": "CHANGES.rst", "httpie": "CHANGELOG.md",
    "igraph": "CHANGELOG.md", "isort": "CHANGELOG.md", "marshmallow": "CHANGELOG.rst", "nbformat": "CHANGELOG.md",
    "nox": "CHANGELOG.md", "plumbum": "CHANGELOG.rst", "pyflakes": "NEWS.rst", "sh": "CHANGELOG.md",
    "shapely": "CHANGES.txt", "werkzeug": "CHANGES.rst"
}


def project_folder(cache: Path, into: Path) -> None:
    """`into`/<project>/ holding the project's README and changelog, copied from its unpacked sdist."""
    pinned = {re.sub(r"-\d.*$", "", name).lower(): (name, sha) for name, sha in SDISTS}
    for project, changelog in PROJECTS.items():
        source = unpack(*pinned[project], cache)
        target = into / project
        target.mkdir(parents=True, exist_ok=True)
        for path in [source / changelog, *sorted(source.glob("README*"))]:
            shutil.copyfile(path, target / path.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "qa" / "sweep")
    parser.add_argument("--into", type=Path, default=Path("/tmp/qa-projects"))
    parser.add_argument("--per-project", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    project_folder(args.cache, args.into)
    service = Service(load_settings(corpus=str(args.into)))
    service.live()
    rng = random.Random(args.seed)
    totals = [0, 0, 0, 0]
    for project, changelog in sorted(PROJECTS.items()):
        path = args.into / project / changelog
        versions = releases(heading_parts(path))
        picked = rng.sample(versions, min(args.per_project, len(versions)))
        first = three = right = 0
        for version in picked:
            shown = service.ask(f"What changed in {project} {version}?").sentences[:3]
            named = [str(s.sentence.doc) == str(path) and under(s.sentence.heading, version) for s in shown]
            first += bool(named) and named[0]
            three += any(named)
            right += bool(shown) and Path(shown[0].sentence.doc).parent == path.parent
        print(f"{project:12s} {len(picked):3d} releases: named release first {first:3d}, first three {three:3d}, "
              f"right project first {right:3d}")
        totals = [a + b for a, b in zip(totals, (len(picked), first, three, right))]
    print(f"{'all':12s} {totals[0]:3d} releases: named release first {totals[1]:3d}, first three {totals[2]:3d}, "
          f"right project first {totals[3]:3d}")


if __name__ == "__main__":
    main()
