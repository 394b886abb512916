"""`qa serve`: the HTTP API and the chat page, over the same service core as the CLI.

Routes: `POST /api/ask`, `GET /api/health`, `GET /api/context`, the page at `/` (files shipped in
qa/interfaces/static, no network), OpenAPI docs at `/docs`. Safe by default: a token is required when one is
configured (any host but loopback), bodies over 64 KB are refused before they are read whole, errors are JSON
with one line and no traceback, no route reads a file that is not in the index, and CORS stays off."""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from swagger_ui_bundle import swagger_ui_path

from qa.conversation import Conversation
from qa.errors import QAError, QuestionError
from qa.service import Service
from qa.types import Answer, Sentence

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 64 * 1024
MAX_QUESTION = 2000  # characters; longer questions are cut to the model window anyway
log = logging.getLogger("qa.serve")


class Conversations:
    """Follow-up state per conversation id: at most `limit` kept, each dropped after `idle` seconds unused."""

    def __init__(self, limit: int = 1000, idle: float = 3600.0) -> None:
        self.limit, self.idle = limit, idle
        self._items: OrderedDict[str, tuple[Conversation, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str | None) -> tuple[str, Conversation]:
        """The conversation of `key`, or a new one (an unknown or expired id starts afresh)."""
        now = time.monotonic()
        with self._lock:
            while self._items:
                oldest, (_, used) = next(iter(self._items.items()))
                if now - used <= self.idle:
                    break
                del self._items[oldest]
            if key is not None and key in self._items:
                conversation = self._items.pop(key)[0]
            else:
                key, conversation = secrets.token_urlsafe(12), Conversation()
            self._items[key] = (conversation, now)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
            return key, conversation

    def __len__(self) -> int:
        return len(self._items)


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    conversation: str | None = Field(default=None, max_length=100)
    k: int | None = Field(default=None, ge=1, le=20)


def _sentence(s: Sentence) -> dict:
    return {"text": s.text, "doc": s.doc, "start": s.start, "end": s.end, "page": s.page, "line": s.line}


def answer_json(result: Answer, k: int, conversation: str) -> dict:
    """`qa ask --json`'s object, plus what the page shows: the conversation id, the verdict, the line of
    each sentence, and the sentences around the top one."""
    body = result.to_json(k)
    for row, item in zip(body["sentences"], result.sentences, strict=False):
        row["line"] = item.sentence.line
    body["conversation"] = conversation
    body["verdict"] = result.verdict.value
    body["context"] = {"before": result.context[0], "after": result.context[1]}
    return body


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _invalid(errors) -> JSONResponse:
    """The first validation error as one line: 400 for JSON that does not parse, else 422."""
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = str(first.get("msg", "invalid request"))
    return _error(400 if first.get("type") == "json_invalid" else 422, f"{where}: {message}" if where else message)


class _Guard:
    """ASGI middleware: the token check and the body limit, before any route runs. A body is refused as
    soon as its declared length or the bytes received pass MAX_BODY, so a large one is never held whole."""

    def __init__(self, app, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if self.token is not None and not self._authorized(scope, headers):
            return await _error(401, "missing or wrong token (Authorization: Bearer QA_TOKEN)")(scope, receive, send)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return await _error(413, f"the request body is over {MAX_BODY // 1024} KB")(scope, receive, send)
        body, more = b"", True
        while more:  # at most MAX_BODY bytes are ever held: past it the request is refused
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, receive, send)  # the client left
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                return await _error(413, f"the request body is over {MAX_BODY // 1024} KB")(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)

    def _authorized(self, scope, headers: dict[str, str]) -> bool:
        assert self.token is not None
        offered = ""
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            offered = auth[7:].strip()
        elif "cookie" in headers:
            for part in headers["cookie"].split(";"):
                name, _, value = part.strip().partition("=")
                if name == "qa_token":
                    offered = value
        if not offered:
            from urllib.parse import parse_qs

            offered = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token") or [""])[0]
        return hmac.compare_digest(offered.encode(), self.token.encode())


def create_app(service: Service, token: str | None = None, conversations: Conversations | None = None) -> _Guard:
    """The ASGI app over `service`; with `token`, every request must carry it."""
    conversations = conversations or Conversations()
    app = FastAPI(
        title="qa",
        summary="Answers from your documents, with the supporting sentences cited.",
        version=_version(),
        docs_url=None,  # served below from the swagger-ui-bundle package: FastAPI's default loads it from a CDN
        redoc_url=None,
    )

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid(exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s: %s", type(exc).__name__, exc)
        return _error(500, f"unexpected error: {type(exc).__name__}")

    schema = {"content": {"application/json": {"schema": AskRequest.model_json_schema()}}, "required": True}

    @app.post("/api/ask", summary="Answer a question from the documents", openapi_extra={"requestBody": schema})
    async def ask(request: Request) -> JSONResponse:
        # the body is JSON whatever Content-Type says: `curl -d '{"question": …}'` sends a form type
        try:
            asked = AskRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            return _invalid(exc.errors())
        key, conversation = conversations.get(asked.conversation)
        try:
            result = await run_in_threadpool(service.ask, asked.question, conversation)
        except QuestionError as exc:
            return _error(422, str(exc))
        except QAError as exc:
            return _error(503, str(exc))
        return JSONResponse(answer_json(result, asked.k or service.settings.top_k, key))

    @app.get("/api/health", summary="Whether qa is up, and what it has indexed")
    def health() -> dict:
        stats = service.stats()
        return {"status": "ok", "documents": stats["documents"], "sentences": stats["sentences"]}

    @app.get("/api/context", summary="The sentences around a cited span of an indexed document")
    def context(
        doc: str = Query(max_length=4096),
        start: int = Query(ge=0),
        end: int = Query(ge=0),
        sentences: int = Query(2, ge=0, le=20),
    ) -> JSONResponse:
        found = service.around(doc, start, end, sentences)
        if found is None:
            return _error(404, "no such document in the index")
        return JSONResponse({"doc": doc, "start": start, "end": end, "sentences": [_sentence(s) for s in found]})

    @app.get("/", include_in_schema=False)
    def page(request: Request) -> FileResponse:
        response = FileResponse(STATIC / "index.html", media_type="text/html")
        offered = request.query_params.get("token")
        if token is not None and offered:
            response.set_cookie("qa_token", offered, httponly=True, samesite="strict")
        return response

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="qa API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    for name, kind in (("swagger-ui-bundle.js", "text/javascript"), ("swagger-ui.css", "text/css")):
        app.add_api_route(
            f"/docs-assets/{name}",
            (lambda path=Path(str(swagger_ui_path)) / name, kind=kind: FileResponse(path, media_type=kind)),
            include_in_schema=False,
        )
    for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css")):
        app.add_api_route(
            f"/static/{name}",
            (lambda path=STATIC / name, kind=kind: FileResponse(path, media_type=kind)),
            include_in_schema=False,
        )
    return _Guard(app, token)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qa")
    except PackageNotFoundError:
        return "0"
