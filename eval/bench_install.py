"""Benchmark (not a test): "How do I install X?" asked of the READMEs of the packages installed beside qa.

    .venv/bin/python eval/bench_install.py [--show] [--keep DIR]

Every distribution installed in this Python environment whose metadata holds a long description of 20 lines
or more gives one README (README.md, README.rst or README.txt, by its Description-Content-Type) in a folder of
its own, and one question, "How do I install <name>?". The folder is indexed as one corpus (one person's
folder of READMEs) and each question asked through the service as `qa ask` asks it. The top sentence counts
as right when it holds the word "install" and the distribution's name (case, "-" and "_" aside): a crude
judge, the same for every state compared. Prints how many questions have a right top sentence, how many are
answered, and how many answered right. --show prints each question's top sentence; --keep writes the
READMEs to DIR instead of a temporary folder (the index is always a temporary one).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from importlib import metadata
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import load_settings  # noqa: E402
from qa.service import Service  # noqa: E402

SUFFIX = {"text/markdown": ".md", "text/x-rst": ".rst"}


def write_readmes(folder: Path) -> list[str]:
    """One README per installed distribution with a long description; their names, sorted."""
    names = []
    for dist in metadata.distributions():
        name = dist.metadata.get("Name") or ""
        body = dist.metadata.get_payload() or dist.metadata.get("Description") or ""
        if not name or name in names or len(body.splitlines()) < 20:
            continue
        kind = (dist.metadata.get("Description-Content-Type") or "").split(";")[0].strip().lower()
        target = folder / name / f"README{SUFFIX.get(kind, '.txt')}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        names.append(name)
    return sorted(names)


def squashed(text: str) -> str:
    return re.sub(r"[-_.]", "", text.lower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each question's top sentence")
    parser.add_argument("--keep", type=Path, help="write the READMEs here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "readmes"
        folder.mkdir(parents=True, exist_ok=True)
        names = write_readmes(folder)
        service = Service(load_settings(corpus=str(folder), index_dir=str(Path(tmp) / "index")))
        service.ensure_index()
        right = answered = answered_right = 0
        for name in names:
            result = service.ask(f"How do I install {name}?")
            top = result.sentences[0].sentence.text if result.sentences else ""
            good = "install" in top.lower() and squashed(name) in squashed(top)
            right += good
            answered += result.answered
            answered_right += good and result.answered
            if args.show:
                print(f"{'right' if good else 'wrong'} {result.confidence:.2f} {name}: {top[:100]}")
        print(
            f"{len(names)} READMEs: right sentence first {right}, answered {answered}, answered and right {answered_right}"
        )


if __name__ == "__main__":
    main()
