"""The chat page in a real headless Chromium (Debian's `chromium`, driven by Playwright), against a real
`qa serve` on loopback with the real model over the seed article: type a question, see the answer and its
citation, open the context, ask a follow-up, start a new conversation."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (.ci/run installs Debian's chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(seed_copy: Path, index_dir: Path, embedder, **settings):
    """`qa serve`'s app over the seed article on a free port, in a thread: its address."""
    import uvicorn

    from qa.config import load_settings
    from qa.interfaces.web import create_app
    from qa.service import Service

    settings = load_settings(corpus=str(seed_copy), index_dir=str(index_dir), **settings)
    engine = Service(settings, embedder=embedder, freshness="background")
    engine.live()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        engine.close()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def opened(browser, address: str):
    page = browser.new_page()
    page.set_default_timeout(30_000)
    page.goto(address)
    return page


@pytest.fixture(scope="module")
def server(seed_copy: Path, tmp_path_factory, real_embedder):
    with serving(seed_copy, tmp_path_factory.mktemp("idx"), real_embedder) as address:
        yield address


@pytest.fixture(scope="module")
def page(server: str, browser):
    page = opened(browser, server)
    yield page
    page.close()


def _ask(page, question: str):
    """Type a question into the page, press Enter, and give the reply of that turn."""
    page.get_by_label("Your question").fill(question)
    page.keyboard.press("Enter")
    return page.locator(".turn").last.locator(".reply")


def test_the_page_answers_a_typed_question_with_its_citation_and_a_follow_up(page):
    page.get_by_label("Your question").fill("What gift did Kim give?")
    page.keyboard.press("Enter")
    first = page.locator(".turn").nth(0)
    first.locator(".sentence").wait_for()
    assert "Pungsan" in first.locator(".sentence").inner_text()
    assert first.locator(".cite .source").inner_text().endswith("seeds/000_9b1f5fc848f7d4ab.txt · line 3")
    first.get_by_role("button", name="Show context").click()
    first.locator(".context").wait_for()
    assert len(first.locator(".context").inner_text()) > len(first.locator(".sentence").inner_text())

    page.get_by_label("Your question").fill("What breed were they?")
    page.keyboard.press("Enter")
    second = page.locator(".turn").nth(1)
    second.locator(".sentence").wait_for()
    assert "Pungsan" in second.locator(".sentence").inner_text()  # "they" resolved to the dogs

    page.get_by_label("Your question").press("ArrowUp")
    assert page.get_by_label("Your question").input_value() == "What breed were they?"
    page.get_by_role("button", name="New conversation").click()
    assert page.locator(".turn").count() == 0


def test_the_answer_span_is_highlighted(page):
    page.get_by_role("button", name="New conversation").click()
    page.get_by_label("Your question").fill("When did KCNA report the gift?")
    with page.expect_response("**/api/ask") as response:
        page.keyboard.press("Enter")
    assert response.value.json()["answer"]["text"] == "Thursday"
    turn = page.locator(".turn").last
    turn.locator(".sentence").wait_for()
    assert turn.locator(".sentence mark").inner_text() == "Thursday"


def test_the_page_says_when_the_documents_do_not_answer(page):
    reply = _ask(page, "What is the boiling point of mercury on Mars?")
    reply.locator(".verdict").wait_for()
    # the seed article never names Mars: the page says so after the verdict
    assert (
        reply.locator(".verdict").inner_text() == "The documents do not seem to answer this. They never mention 'Mars'."
    )


def test_the_page_shows_reading_on_as_what_follows(seed_copy: Path, tmp_path, real_embedder, browser):
    """Where the confidence does not answer it, "Tell me more" shows what follows in the document as that, not
    as a sentence that fails to answer."""
    with serving(seed_copy, tmp_path / "idx", real_embedder, threshold=0.99) as address:
        page = opened(browser, address)
        _ask(page, "Who rode a white stallion?").locator(".sentence").wait_for()
        page.get_by_label("Your question").fill("Tell me more")
        with page.expect_response("**/api/ask") as response:
            page.keyboard.press("Enter")
        body = response.value.json()
        assert body["read_on"] is True and not body["answered"]
        reply = page.locator(".turn").last.locator(".reply")
        reply.locator(".sentence").wait_for()
        assert reply.locator(".verdict").inner_text() == "Next in the document:"
        assert reply.locator(".sentence").inner_text().startswith("He was seen riding a white horse again")


def test_the_page_answers_thanks_with_a_reply_not_a_sentence(page):
    reply = _ask(page, "thanks!")
    reply.locator(".said").wait_for()
    assert reply.locator(".said").inner_text() == "You're welcome."
    assert reply.locator(".sentence").count() == 0 and reply.locator(".verdict").count() == 0


def test_the_page_says_what_a_typing_slip_was_read_as(page):
    reply = _ask(page, "Where are Pungsen dogs native to?")
    reply.locator(".sentence").wait_for()
    assert reply.locator(".read-as").inner_text() == "(read \u201cPungsen\u201d as \u201cPungsan\u201d)"
    assert "native to a region in northern North Korea" in reply.locator(".sentence").inner_text()


def test_the_page_names_what_the_sentence_s_document_never_mentions(page):
    # the seed corpus is one document, so the server's real reply is given the field a larger corpus gives
    def with_elsewhere(route):
        body = route.fetch().json()
        route.fulfill(json={**body, "elsewhere": ["Abort", "Click"]})

    page.route("**/api/ask", with_elsewhere)
    try:
        reply = _ask(page, "What is the boiling point of mercury on Mars?")
        reply.locator(".verdict").wait_for()
        assert reply.locator(".verdict").inner_text() == (
            "The documents do not seem to answer this. They never mention 'Mars'."
            " The sentence's document never mentions 'Abort' or 'Click'."
        )
    finally:
        page.unroute("**/api/ask")


def test_the_page_fits_a_phone_screen(page, server: str):
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(server)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert page.get_by_label("Your question").is_visible() and page.get_by_role("button", name="Ask").is_visible()


def test_the_page_follows_the_light_or_dark_preference(page, server: str):
    colours = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(server)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colours["light"] != colours["dark"]
    assert page.get_by_label("Your question").get_attribute("id") == "question"  # labelled for screen readers
    assert page.get_by_role("list", name="Conversation").count() == 1


def test_the_page_shows_the_code_a_sentence_leads_into_as_written(page):
    # the seed article holds no code: the server's real reply is given the code a technical document's gives
    code = 'app = Flask(__name__)\n\n@app.route("/")\ndef hello():\n    return "<b>Hello</b>"'

    def with_code(route):
        body = route.fetch().json()
        for s in body["sentences"][:2]:
            s["code"] = {"text": code, "start": 10, "end": 10 + len(code)}
        route.fulfill(json=body)

    page.route("**/api/ask", with_code)
    try:
        reply = _ask(page, "What gift did Kim give?")
        reply.locator("pre.code").first.wait_for()
        shown = reply.locator(":scope > pre.code")  # the top sentence's, under it
        assert shown.inner_text() == code  # its lines and indentation, its markup as text
        assert reply.locator("pre.code b").count() == 0
        reply.locator(".others summary").click()  # another supporting sentence's, in the list of the others
        assert reply.locator(".others li pre.code").first.inner_text() == code
    finally:
        page.unroute("**/api/ask")


def test_the_page_shows_the_commands_a_sentence_ends_with_line_by_line(page):
    # a GNU manual's example: its caption and, after a blank line, its two commands (in one sentence's text)
    caption = "Save the server headers with the file."
    text = f"{caption}\n\n          wget --save-headers \\\n               http://example.com/\n          more index.html"

    def with_commands(route):
        body = route.fetch().json()
        top = body["sentences"][0]
        top["text"], top["end"] = text, top["start"] + len(text)
        body["answer"] = {"start": top["start"] + 9, "end": top["start"] + 15}  # "server"
        route.fulfill(json=body)

    page.route("**/api/ask", with_commands)
    try:
        reply = _ask(page, "What gift did Kim give?")
        reply.locator("pre.code").first.wait_for()
        assert reply.locator("blockquote.sentence").first.inner_text() == caption
        assert reply.locator("blockquote.sentence mark").first.inner_text() == "server"
        shown = reply.locator(":scope > pre.code").first.inner_text()
        assert shown == "wget --save-headers \\\n     http://example.com/\nmore index.html"
    finally:
        page.unroute("**/api/ask")
