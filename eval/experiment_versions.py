"""Questions that name a release of a changelog: "What changed in HTTPX 0.27.1?" is right when the top sentence
stands under that release's heading (any entry of the release answers it); "When was HTTPX 0.27.1 released?",
asked of the releases whose heading gives their date, when the top sentence states that version and date.

    .venv/bin/python eval/devset/build.py               # once: the development documents
    .venv/bin/python eval/experiment_versions.py [--per-file 12] [--seed 7]

The releases are drawn at random (seeded) from the headings of the development set's four changelogs (Black,
Click, HTTPX, Requests) that name a version with two points or more ("24.1.0", "Version 8.1.7"), and every
question is asked of the whole development corpus, as `qa eval` asks its questions. It prints, per changelog,
how many questions have a sentence of the named release first and among the first three; then, for the
changelogs whose release headings are dated ("0.27.1 (27th August, 2024)", "2.32.3 (2024-05-29)"; drawn the
same way), how many "when" questions have that date first, and how many of those are answered (not "not sure").
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import load_settings  # noqa: E402
from qa.ingest.formats.common import HEADING_SEPARATOR, dated_release  # noqa: E402
from qa.ingest.loaders import Skipped, load_file  # noqa: E402
from qa.service import Service  # noqa: E402

DOCS = ROOT / "eval" / "devset" / "docs"
CHANGELOGS = {
    "Black": "faq/black_CHANGES.md",
    "Click": "faq/click_CHANGES.rst",
    "HTTPX": "faq/httpx_CHANGELOG.md",
    "Requests": "faq/requests_HISTORY.md",
}
_RELEASE = re.compile(r"(?<![\w.])(\d+(?:\.\d+){2,})(?![\w.])")


def heading_parts(path: Path) -> list[str]:
    """Every heading of the changelog, in order, one path part each."""
    doc = load_file(path)
    if isinstance(doc, Skipped):
        raise SystemExit(f"{path}: {doc.reason}: run eval/devset/build.py first")
    return [part for _, path_text in doc.sections for part in path_text.split(HEADING_SEPARATOR)]


def releases(parts: list[str]) -> list[str]:
    """The versions a changelog's release headings (`heading_parts`) name, in order, each once."""
    return list(dict.fromkeys(v for part in parts for v in _RELEASE.findall(part)))


def dated_releases(parts: list[str]) -> list[tuple[str, str]]:
    """(version, date) of each release heading (`heading_parts`) that gives its date, in order, each once."""
    return list(dict.fromkeys(found for part in parts if (found := dated_release(part))))


def under(heading: str, version: str) -> bool:
    """Does a sentence's heading path name the release?"""
    return any(version in _RELEASE.findall(part) for part in heading.split(HEADING_SEPARATOR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-file", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    service = Service(load_settings(corpus=str(DOCS)))
    service.live()
    rng = random.Random(args.seed)
    parts = {name: heading_parts(DOCS / rel) for name, rel in CHANGELOGS.items()}  # each changelog read once
    total = first = three = 0
    for name in CHANGELOGS:
        versions = releases(parts[name])
        picked = rng.sample(versions, min(args.per_file, len(versions)))
        hits = tops = 0
        for version in picked:
            answer = service.ask(f"What changed in {name} {version}?")
            shown = [s.sentence.heading for s in answer.sentences[:3]]
            tops += bool(shown) and under(shown[0], version)
            hits += any(under(h, version) for h in shown)
        print(f"{name:9s} {len(picked):3d} releases: named release first {tops:3d}, in the first three {hits:3d}")
        total, first, three = total + len(picked), first + tops, three + hits
    print(f"{'all':9s} {total:3d} releases: named release first {first:3d}, in the first three {three:3d}")
    total = first = given = 0
    for name in CHANGELOGS:
        dated = dated_releases(parts[name])
        if not dated:
            continue
        picked = rng.sample(dated, min(args.per_file, len(dated)))
        tops = said = 0
        for version, date in picked:
            answer = service.ask(f"When was {name} {version} released?")
            top = answer.sentences[0].sentence.text if answer.sentences else ""
            right = version in top and date in top
            tops, said = tops + right, said + (right and answer.answered)
        print(f"{name:9s} {len(picked):3d} dated releases: 'when' answered by its date first {tops:3d}, answered {said:3d}")
        total, first, given = total + len(picked), first + tops, given + said
    print(f"{'all':9s} {total:3d} dated releases: 'when' answered by its date first {first:3d}, answered {given:3d}")


if __name__ == "__main__":
    main()
