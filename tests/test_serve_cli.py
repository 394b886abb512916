"""`qa serve` as a user runs it: a real process on loopback with the real model over the seed article,
asked with the README's curl body, followed up, loaded by 16 parallel clients, then stopped with Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, interruptible

pytestmark = pytest.mark.model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: bytes, content_type: str = "application/x-www-form-urlencoded") -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture(scope="module")
def served(seed_copy: Path, tmp_path_factory):
    port = free_port()
    env = {**os.environ, "QA_INDEX_DIR": str(tmp_path_factory.mktemp("idx")), "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa", "serve", "--corpus", str(seed_copy), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        preexec_fn=interruptible,
    )
    banner = [proc.stdout.readline(), proc.stdout.readline()]  # type: ignore[union-attr]
    assert f"http://127.0.0.1:{port}/" in banner[1], banner + [proc.stderr.read() if proc.poll() is not None else ""]  # type: ignore[union-attr]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    yield proc, f"http://127.0.0.1:{port}"
    if proc.poll() is None:
        proc.kill()


def test_the_readme_curl_body_answers_and_a_follow_up_resolves(served):
    _, url = served
    status, body = post(f"{url}/api/ask", b'{"question":"What gift did Kim give?"}')  # as curl -d sends it
    assert status == 200 and "Pungsan" in body["sentences"][0]["text"]
    assert set(body) >= {"question", "answered", "confidence", "sentences", "conversation"}
    follow = json.dumps({"question": "What breed were they?", "conversation": body["conversation"]}).encode()
    status, again = post(f"{url}/api/ask", follow, "application/json")
    assert status == 200 and again["conversation"] == body["conversation"]
    assert "Pungsan" in again["sentences"][0]["text"]


def test_sixteen_clients_twenty_questions_each_without_an_error(served):
    _, url = served
    questions = [q["question"] for q in map(json.loads, (REPO / "eval" / "seed_questions.jsonl").read_text().splitlines())][:20]
    errors: list[str] = []
    answered = []

    def client() -> None:
        conversation = None
        for question in questions:
            status, body = post(f"{url}/api/ask", json.dumps({"question": question, "conversation": conversation}).encode())
            if status != 200 or "sentences" not in body:
                errors.append(f"{status}: {body}")
                continue
            conversation = body["conversation"]
            answered.append(body["sentences"][0]["text"] if body["sentences"] else "")

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(answered) == 16 * 20
    health = json.loads(urllib.request.urlopen(f"{url}/api/health", timeout=10).read())
    assert health["status"] == "ok"


def test_ctrl_c_stops_the_server_cleanly(served):
    proc, url = served
    proc.send_signal(signal.SIGINT)
    code = proc.wait(20)
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert code == 130, err  # as every interrupted qa command: one line, no traceback
    assert err.strip().splitlines() == ["qa: interrupted"], err
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/api/health", timeout=2)


def test_another_host_without_a_token_is_refused_in_one_line(seed_copy: Path, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "QA_TOKEN"}
    proc = subprocess.run(
        [sys.executable, "-m", "qa", "serve", "--corpus", str(seed_copy), "--host", "0.0.0.0", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env={**env, "QA_INDEX_DIR": str(tmp_path / "idx")},
        cwd=REPO,
        timeout=60,
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == [
        "qa: error: serving on 0.0.0.0 needs a token: set QA_TOKEN, and send it as 'Authorization: Bearer …'"
    ]


def test_a_port_in_use_is_one_line(seed_copy: Path, tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "qa", "serve", "--corpus", str(seed_copy), "--port", str(port)],
            capture_output=True,
            text=True,
            env={**os.environ, "QA_INDEX_DIR": str(tmp_path / "idx")},
            cwd=REPO,
            timeout=120,
        )
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1] == f"qa: error: could not listen on 127.0.0.1:{port}: Address already in use"
    assert "Traceback" not in proc.stderr
