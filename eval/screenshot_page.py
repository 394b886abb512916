"""The README's screenshot of the chat page (not a test): `qa serve` on a copy of the seed article, asked
"What gift did Kim give?" and then "What breed were they?" in headless Chromium, with the context opened.

    .venv/bin/python eval/screenshot_page.py [--out docs/serve.png]"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "serve.png"))
    args = parser.parse_args()
    args.out = os.path.abspath(args.out)
    import uvicorn
    from playwright.sync_api import sync_playwright

    from qa.config import load_settings
    from qa.interfaces.web import create_app
    from qa.service import Service

    work = Path(tempfile.mkdtemp(prefix="qa-shot-"))
    try:
        shutil.copytree(ROOT / "seeds", work / "seeds")
        os.chdir(work)  # citations show paths relative to the working folder, as a user sees them
        engine = Service(load_settings(corpus="seeds", index_dir=str(work / "idx")), freshness="background")
        engine.live()
        server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=8765, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto("http://127.0.0.1:8765/")
            for question in ("What gift did Kim give?", "What breed were they?"):
                page.get_by_label("Your question").fill(question)
                page.keyboard.press("Enter")
                page.locator(".turn").last.locator(".sentence").wait_for()
            page.locator(".turn").first.get_by_role("button", name="Show context").click()
            page.locator(".context").wait_for()
            page.screenshot(path=args.out)
            browser.close()
        server.should_exit = True
        engine.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
