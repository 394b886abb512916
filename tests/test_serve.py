"""`qa serve`'s API through the framework's test client: the contract's shape, follow-ups, context, the
token, bad input, and a refresh while serving. The fake encoder keeps it instant; the page itself is tested
in a real browser in tests/test_page.py."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from conftest import service

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from qa.interfaces.web import MAX_BODY, Conversations, create_app


@pytest.fixture
def engine(corpus: Path, tmp_path: Path, fake_embedder):
    engine = service(corpus, tmp_path / "idx", fake_embedder, freshness="background")
    engine.live()
    yield engine
    engine.close()


@pytest.fixture
def client(engine) -> TestClient:
    return TestClient(create_app(engine), raise_server_exceptions=False)


def test_ask_returns_the_contract_shape_and_a_conversation_id(client: TestClient):
    response = client.post("/api/ask", json={"question": "What is the capital of Germany?"})
    assert response.status_code == 200
    body = response.json()
    assert {"question", "answered", "confidence", "sentences", "conversation", "verdict"} <= set(body)
    assert isinstance(body["answered"], bool) and 0.0 <= body["confidence"] <= 1.0
    top = body["sentences"][0]
    assert top["text"] == "Berlin is the capital of Germany."
    assert top["doc"].endswith("b.txt") and set(top) >= {"text", "doc", "start", "end", "score"}
    assert body["verdict"] in {"answered", "not sure", "abstained"}


def test_k_limits_the_sentences(client: TestClient):
    body = client.post("/api/ask", json={"question": "What is the capital?", "k": 1}).json()
    assert len(body["sentences"]) == 1


def test_a_follow_up_with_the_conversation_id_resolves(client: TestClient, engine):
    first = client.post("/api/ask", json={"question": "Which river is long and flows north?"}).json()
    follow = client.post("/api/ask", json={"question": "Where is it?", "conversation": first["conversation"]}).json()
    assert follow["conversation"] == first["conversation"]
    alone = client.post("/api/ask", json={"question": "Where is it?"}).json()
    assert alone["conversation"] != first["conversation"]
    # the follow-up was searched with its topic: the Nile sentences, not whatever "where is it" matches alone
    assert "Nile" in follow["sentences"][0]["text"] or "flows north" in follow["sentences"][0]["text"]


def test_conversations_are_bounded_and_expire():
    store = Conversations(limit=2, idle=0.05)
    a, _ = store.get(None)
    b, _ = store.get(None)
    c, _ = store.get(None)
    assert len(store) == 2 and store.get(a)[0] != a  # the oldest was dropped: a new one starts
    time.sleep(0.1)
    assert store.get(c)[0] != c and len(store) == 1  # expired while idle
    assert b


def test_health_counts_the_index(client: TestClient, engine):
    body = client.get("/api/health").json()
    stats = engine.stats()
    assert body == {"status": "ok", "documents": stats["documents"], "sentences": stats["sentences"]}


def test_context_returns_the_sentences_around_a_cited_span(client: TestClient):
    top = client.post("/api/ask", json={"question": "Which river flows north?"}).json()["sentences"][0]
    body = client.get("/api/context", params={"doc": top["doc"], "start": top["start"], "end": top["end"]}).json()
    texts = [s["text"] for s in body["sentences"]]
    assert top["text"] in texts and "The Nile is a long river in Africa." in texts


@pytest.mark.parametrize(
    "doc", ["../../etc/passwd", "/etc/passwd", "%2e%2e%2fetc%2fpasswd", "..%2F..%2Fetc%2Fpasswd", "sub/../../a.txt"]
)
def test_context_never_serves_a_file_outside_the_index(client: TestClient, doc: str):
    response = client.get("/api/context", params={"doc": doc, "start": 0, "end": 10})
    assert response.status_code == 404 and "root:" not in response.text
    raw = client.get(f"/api/context?doc={doc}&start=0&end=10")
    assert raw.status_code == 404 and "root:" not in raw.text


@pytest.mark.parametrize("path", ["/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd", "/nope"])
def test_unknown_paths_are_404_json(client: TestClient, path: str):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["error"] and "root:" not in response.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"{}", 422),
        (b'{"question": ""}', 422),
        (b'{"question": "   "}', 422),
        (b'{"question": 7}', 422),
        (b'{"question": "Why?", "k": 0}', 422),
        (b"[1, 2]", 422),
        (b'{"question": "Why?\\ud800"}', 400),  # a lone surrogate: not text JSON can carry
    ],
)
def test_bad_requests_answer_json_without_a_traceback(client: TestClient, body: bytes, status: int):
    response = client.post("/api/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    error = response.json()["error"]
    assert isinstance(error, str) and "\n" not in error and "Traceback" not in response.text
    assert client.get("/api/health").status_code == 200  # still up


def test_a_body_over_64_kb_is_refused(client: TestClient):
    big = json.dumps({"question": "x" * (MAX_BODY + 10)})
    assert client.post("/api/ask", content=big, headers={"Content-Type": "application/json"}).status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b"x" * 8192

    assert client.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"}).status_code == 413
    assert client.get("/api/health").status_code == 200


def test_a_token_is_required_when_configured(engine):
    client = TestClient(create_app(engine, token="s3cret"))
    assert client.get("/api/health").status_code == 401
    assert client.post("/api/ask", json={"question": "Why?"}).status_code == 401
    assert client.get("/api/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    page = client.get("/?token=s3cret")
    assert page.status_code == 200 and "qa_token" in page.headers["set-cookie"]
    assert client.get("/api/health").status_code == 200  # the cookie the page set


def test_cors_is_off(client: TestClient):
    response = client.get("/api/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    assert client.options("/api/ask", headers={"Origin": "https://evil.example"}).status_code in {404, 405}


def test_page_and_docs_are_served_from_the_package(client: TestClient):
    page = client.get("/")
    assert page.status_code == 200 and "<form id=\"ask\"" in page.text
    for name in ("app.js", "app.css"):
        assert client.get(f"/static/{name}").status_code == 200
    assert "http" not in "".join(line for line in page.text.splitlines() if "src=" in line or "href=" in line)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "https://" not in docs.text and "http://" not in docs.text  # offline
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/docs-assets/{asset}").status_code == 200
    assert "/api/ask" in client.get("/openapi.json").json()["paths"]


def test_parallel_requests_are_answered_correctly(client: TestClient):
    questions = {
        "What is the capital of Germany?": "Berlin is the capital of Germany.",
        "What is the capital of France?": "Paris is the capital of France.",
        "Which river flows north?": "It flows north.",
    }
    errors: list[str] = []

    def worker(question: str, expected: str) -> None:
        for _ in range(10):
            response = client.post("/api/ask", json={"question": question})
            if response.status_code != 200:
                errors.append(response.text)
            elif expected not in [s["text"] for s in response.json()["sentences"][:2]]:
                errors.append(f"{question}: {response.json()['sentences'][0]['text']}")

    threads = [threading.Thread(target=worker, args=item) for item in questions.items() for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_an_edit_while_serving_is_indexed_in_the_background(client: TestClient, engine, corpus: Path):
    engine.watch(interval=0.05)
    (corpus / "new.txt").write_text("Oslo is the capital of Norway.\n")
    assert engine.refreshed.wait(20)
    body = client.post("/api/ask", json={"question": "What is the capital of Norway?"}).json()
    assert body["sentences"][0]["text"] == "Oslo is the capital of Norway."


def test_no_request_waits_on_a_rebuild(corpus: Path, tmp_path: Path):
    from conftest import FakeEmbedder

    building, release = threading.Event(), threading.Event()

    class SlowToIndex(FakeEmbedder):
        def embed(self, texts):
            if len(texts) > 1 and building.is_set() is False and self.calls:  # the rebuild's first batch
                building.set()
                release.wait(20)
            return super().embed(texts)

    engine = service(corpus, tmp_path / "idx", SlowToIndex(), freshness="background")
    engine.live()
    client = TestClient(create_app(engine))
    (corpus / "new.txt").write_text("Oslo is the capital of Norway. It lies on a fjord.\n")
    refresher = threading.Thread(target=engine.refresh)
    refresher.start()
    try:
        assert building.wait(20)  # the rebuild is embedding, and stays there until released
        started = time.monotonic()
        body = client.post("/api/ask", json={"question": "What is the capital of Germany?"}).json()
        assert time.monotonic() - started < 5
        assert body["sentences"][0]["text"] == "Berlin is the capital of Germany."  # from the old index
        assert "Oslo" not in json.dumps(body)
    finally:
        release.set()
        refresher.join(20)
    body = client.post("/api/ask", json={"question": "What is the capital of Norway?"}).json()
    assert body["sentences"][0]["text"] == "Oslo is the capital of Norway."
    engine.close()

