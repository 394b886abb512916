"""Research papers as PDFs: four articles from the Journal of Statistical Software as the R packages they
describe ship them (Debian packages `r-cran-bridgesampling`, `r-cran-fitdistrplus`, `r-cran-powerlaw`,
`r-cran-elliptic`). A paper's layout: a title block with authors and an abstract, running headers that differ
on even and odd pages, footnotes at the foot of a page, displayed equations, R code with its output, figures
whose labels are text, and a list of references. `questions.jsonl` asks them as a reader of those papers
would (8 of 39 not answered there); `conversations.jsonl` follows three of them up.

    .venv/bin/python eval/papers/build.py            # writes eval/papers/docs (not committed)
    .venv/bin/qa eval eval/papers/questions.jsonl --corpus eval/papers/docs
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devset"))

from build import rebuild  # noqa: E402  (eval/devset/build.py: apt-get download of pinned versions)

LIBRARY = "usr/lib/R/site-library"
DEBS = [
    ("r-cran-bridgesampling", "1.1-2-1", {f"{LIBRARY}/bridgesampling/doc/bridgesampling_paper.pdf": "bridgesampling.pdf"}),
    ("r-cran-fitdistrplus", "1.1-8-1", {f"{LIBRARY}/fitdistrplus/doc/paper2JSS.pdf": "fitdistrplus.pdf"}),
    ("r-cran-powerlaw", "0.70.6-2", {f"{LIBRARY}/poweRlaw/doc/d_jss_paper.pdf": "powerlaw.pdf"}),
    ("r-cran-elliptic", "1.4-0-2", {f"{LIBRARY}/elliptic/doc/ellipticpaper.pdf": "elliptic.pdf"}),
]


def main() -> None:
    rebuild(HERE / "docs", DEBS)


if __name__ == "__main__":
    main()
