"""A real LRS (Ralph, filesystem backend) and a small cmi5 LMS fixture, both on 127.0.0.1.

Ralph stores and validates statements but has no Activity State API, so the fixture plays the LMS's part
of cmi5: it registers a launch, writes ``LMS.LaunchData``, sends the LMS-defined ``launched`` statement,
answers the ``fetch`` URL with an auth token, keeps State API documents, and forwards ``/xapi/statements``
to Ralph. The AU sees one endpoint, as it would in an LMS that fronts its LRS.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RALPH = "ralph-malph[lrs,cli]==5.1.0"
RALPH_USER, RALPH_PASSWORD = "lms", "lms-secret"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
VERBS = "http://adlnet.gov/expapi/verbs/"


def ralph_venv(base: Path) -> Path:
    """A venv holding Ralph (its pinned web stack stays out of the project's own environment)."""
    env_dir = base / "ralph-venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # `requests` is imported by Ralph's auth module but not declared by the lrs extra.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", RALPH,
                    "requests"], check=True, timeout=600, capture_output=True)
    return env_dir


# Ralph 5.1.0's filesystem LRS backend writes every POST in "create" mode, so the second POST of a session
# fails ("fs_lrs.jsonl already exists"). Start it with that backend appending instead; everything else
# (validation, storage, queries) is Ralph's own.
_RALPH_MAIN = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend
FSDataBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def ralph(env_dir: Path, data: Path) -> Iterator[str]:
    """Run Ralph on a free loopback port; yields its xAPI base URL and stops it afterwards."""
    env = {**os.environ, "RALPH_APP_DIR": str(data / "app"), "RALPH_AUTH_FILE": str(data / "auth.json"),
           "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data / "fs")}
    (data / "fs").mkdir(parents=True, exist_ok=True)
    subprocess.run([str(env_dir / "bin" / "ralph"), "auth", "-u", RALPH_USER, "-p", RALPH_PASSWORD, "-s", "all",
                    "-M", "mailto:lms@example.org", "-w"], env=env, check=True, capture_output=True, timeout=60)
    port = _free_port()
    log = (data / "ralph.log").open("w")
    proc = subprocess.Popen([str(env_dir / "bin" / "python"), "-c", _RALPH_MAIN, str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=data)
    base = f"http://127.0.0.1:{port}/xAPI/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Ralph did not start:\n" + (data / "ralph.log").read_text()) from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _ralph_auth() -> str:
    return "Basic " + base64.b64encode(f"{RALPH_USER}:{RALPH_PASSWORD}".encode()).decode()


def ralph_statements(base: str, registration: str) -> list[dict[str, Any]]:
    """Every statement Ralph stored for a registration, in the order it stored them."""
    url = base + "statements?" + urllib.parse.urlencode({"registration": registration, "limit": 500})
    req = urllib.request.Request(url, headers={"Authorization": _ralph_auth(), "X-Experience-API-Version": "1.0.3"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = json.load(resp)
    return sorted(data["statements"], key=lambda s: s["stored"])


class LMS:
    """The LMS side of a cmi5 launch, served with the AU on one loopback origin."""

    def __init__(self, au_dir: Path, lrs: str, course_iri: str, au_iri: str, mastery: float | None, move_on: str):
        self.au_dir, self.lrs, self.course_iri, self.au_iri = au_dir, lrs, course_iri, au_iri
        self.mastery, self.move_on = mastery, move_on
        self.state: dict[tuple[str, str, str, str], bytes] = {}
        self.tokens: set[str] = set()
        self.fetch_keys: dict[str, bool] = {}
        self.received: list[dict[str, Any]] = []  # statements the AU sent, in arrival order
        self.rejected: list[tuple[int, str]] = []
        self.lock = threading.Lock()
        self.base = ""

    @staticmethod
    def _state_key(q: dict[str, list[str]]) -> tuple[str, str, str, str]:
        agent = json.dumps(json.loads(q["agent"][0]), sort_keys=True)
        return (q["activityId"][0], agent, q.get("registration", [""])[0], q["stateId"][0])

    def launch(self, actor: dict[str, Any], registration: str, launch_mode: str = "Normal") -> str:
        """Write LaunchData, send ``launched`` and return the launch URL (what an LMS does before launching)."""
        session = str(uuid.uuid4())
        template = {"contextActivities": {"grouping": [{"id": self.course_iri, "objectType": "Activity"}]},
                    "extensions": {SESSION: session}}
        launch_data = {"contextTemplate": template, "launchMode": launch_mode, "launchMethod": "AnyWindow",
                       "moveOn": self.move_on, "returnURL": f"{self.base}/returned"}
        if self.mastery is not None:
            launch_data["masteryScore"] = self.mastery
        agent = json.dumps(actor, sort_keys=True)
        self.state[(self.au_iri, agent, registration, "LMS.LaunchData")] = json.dumps(launch_data).encode()
        url = (f"{self.base}/au/index.html?" + urllib.parse.urlencode({
            "endpoint": f"{self.base}/xapi/", "fetch": f"{self.base}/fetch/{self._fetch_key()}",
            "registration": registration, "activityId": self.au_iri, "actor": json.dumps(actor)}))
        launched = {
            "id": str(uuid.uuid4()), "actor": actor,
            "verb": {"id": VERBS + "launched", "display": {"en-US": "launched"}},
            "object": {"id": self.au_iri, "objectType": "Activity"},
            "context": {**json.loads(json.dumps(template)), "registration": registration},
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        }
        launched["context"]["contextActivities"]["category"] = [{"id": CMI5, "objectType": "Activity"}]
        launched["context"]["extensions"].update({
            "https://w3id.org/xapi/cmi5/context/extensions/launchmode": launch_mode,
            "https://w3id.org/xapi/cmi5/context/extensions/launchurl": url.split("?")[0],
            "https://w3id.org/xapi/cmi5/context/extensions/moveon": self.move_on})
        status, body = self._forward("POST", "statements", json.dumps(launched).encode(), "")
        assert status == 200, body
        return url

    def _fetch_key(self) -> str:
        key = secrets.token_hex(8)
        self.fetch_keys[key] = False
        return key

    def _forward(self, method: str, path: str, body: bytes | None, query: str) -> tuple[int, bytes]:
        req = urllib.request.Request(self.lrs + path + (f"?{query}" if query else ""), data=body, method=method,
                                     headers={"Authorization": _ralph_auth(), "X-Experience-API-Version": "1.0.3",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        lms = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(lms.au_dir), **kwargs)

            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: bytes = b"", ctype: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Experience-API-Version", "1.0.3")
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self) -> bool:
                auth = self.headers.get("Authorization", "")
                return auth.startswith("Basic ") and auth[6:] in lms.tokens

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def translate_path(self, path: str) -> str:
                rel = urllib.parse.urlsplit(path).path.removeprefix("/au")
                return super().translate_path(rel)

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                parts = urllib.parse.urlsplit(self.path)
                if parts.path.startswith("/au/"):
                    return super().do_GET()
                if parts.path == "/returned":
                    return self._reply(200, b"<!DOCTYPE html><title>Back in the LMS</title><p>returned</p>",
                                       "text/html")
                if parts.path == "/xapi/activities/state":
                    if not self._authorised():
                        return self._reply(401)
                    doc = lms.state.get(lms._state_key(urllib.parse.parse_qs(parts.query)))
                    return self._reply(200, doc) if doc is not None else self._reply(404)
                return self._reply(404)

            def do_PUT(self) -> None:  # noqa: N802
                self._write()

            def do_POST(self) -> None:  # noqa: N802
                self._write()

            def _write(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                body = self._body()
                if parts.path.startswith("/fetch/"):
                    key = parts.path.rsplit("/", 1)[1]
                    if key not in lms.fetch_keys or lms.fetch_keys[key]:
                        return self._reply(200, json.dumps({"error-code": "1", "error-text": "used"}).encode())
                    lms.fetch_keys[key] = True
                    token = base64.b64encode(f"au:{secrets.token_hex(12)}".encode()).decode()
                    lms.tokens.add(token)
                    return self._reply(200, json.dumps({"auth-token": token}).encode())
                if not self._authorised():
                    return self._reply(401)
                if parts.path == "/xapi/activities/state":
                    lms.state[lms._state_key(urllib.parse.parse_qs(parts.query))] = body
                    return self._reply(204)
                if parts.path == "/xapi/statements":
                    status, answer = lms._forward(self.command, "statements", body, parts.query)
                    with lms.lock:
                        if status == 200 or status == 204:
                            sent = json.loads(body)
                            lms.received += sent if isinstance(sent, list) else [sent]
                        else:
                            lms.rejected.append((status, answer.decode("utf-8", "replace")))
                    return self._reply(status, answer)
                return self._reply(404)

        return Handler

    @contextmanager
    def serve(self) -> Iterator[LMS]:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.base = f"http://127.0.0.1:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


@functools.cache
def node_available() -> bool:
    return shutil.which("node") is not None


def xapi_warnings(statements: list[dict[str, Any]], root: Path) -> list[str]:
    """Validate statements with the xapi-validation npm package (xAPI 1.0.3 rules); returns the findings."""
    script = ("const v = require('@learninglocker/xapi-validation').default;"
              "const s = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "const out = s.map((x, i) => v(x).map(w => i + ': ' + w.path.join('.') + ': ' + w.constructor.name"
              " + ' ' + JSON.stringify(w.data).slice(0, 80)));"
              "console.log(JSON.stringify([].concat(...out)));")
    proc = subprocess.run(["node", "-e", script], input=json.dumps(statements), capture_output=True, text=True,
                          cwd=root, timeout=60, check=False)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        raise AssertionError("xapi-validation failed to run")
    return json.loads(proc.stdout)
