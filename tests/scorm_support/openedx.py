"""openedx-scorm-xblock (pinned) in the xblock-sdk workbench: a field LMS for the SCORM packages.

The block and the workbench go into a fresh venv; the workbench runs on 127.0.0.1 with the settings
in openedx_lms/ (packages served from /media/). :class:`ScormBlock` uploads a package as Studio does
and reads what the block stored for a learner through its own ``scorm_get_value`` handler.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import time
import urllib.request
import uuid
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REQUIREMENTS = ["openedx-scorm-xblock==19.0.5", "xblock-sdk==0.14.*", "XBlock[django]"]
SETTINGS = Path(__file__).resolve().parent / "openedx_lms"


@contextmanager
def workbench(scratch: Path) -> Iterator[str]:
    """Install the block and the workbench into ``scratch``/venv, serve them; yields the base URL."""
    python = scratch / "venv" / "bin" / "python"
    venv.EnvBuilder(with_pip=True).create(python.parents[1])
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              *REQUIREMENTS], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    run = scratch / "run"
    (run / "var").mkdir(parents=True)  # the workbench logs to var/ under its working folder
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="field_settings", PYTHONPATH=str(SETTINGS),
               EXCLUDE_SAMPLE_XBLOCKS="yes")
    django = [str(python), "-m", "django"]
    migrate = subprocess.run([*django, "migrate", "--run-syncdb", "-v", "0"], cwd=run, env=env,
                             capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (run / "server.log").open("w")
    server = subprocess.Popen([*django, "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=run,
                              env=dict(env, FIELD_SCENARIOS="1"), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None, (run / "server.log").read_text()[-3000:]
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


class ScormBlock:
    """The SCORM block of one workbench scenario, spoken to over HTTP with Django's CSRF token."""

    def __init__(self, base: str, scenario: str):
        self.base = base
        self.page = f"{base}/scenario/{scenario}/"
        self.jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        html = self.http.open(self.page).read().decode()
        self.usage = re.search(r"data-usage='([^']+)'", html).group(1)
        self.token = next(c.value for c in self.jar if c.name == "csrftoken")

    def _post(self, handler: str, student: str, body: bytes, content_type: str) -> bytes:
        request = urllib.request.Request(
            f"{self.base}/handler/{self.usage}/{handler}/?student={student}", data=body,
            headers={"Content-Type": content_type, "X-CSRFToken": self.token, "Referer": self.page})
        return self.http.open(request).read()

    def upload(self, package: Path) -> None:
        """Upload a package through the Studio form's handler (graded, weight 1, default display)."""
        fields = {"display_name": "Course", "width": "", "height": "", "has_score": "1",
                  "enable_navigation_menu": "0", "enable_fullscreen_button": "1", "navigation_menu_width": "",
                  "weight": "1", "popup_on_launch": "0"}
        b = uuid.uuid4().hex
        body = b"".join(f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                        for k, v in fields.items())
        body += (f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{package.name}"\r\n'
                 "Content-Type: application/zip\r\n\r\n").encode() + package.read_bytes() + f"\r\n--{b}--\r\n".encode()
        answer = json.loads(self._post("studio_submit", "staff", body, f"multipart/form-data; boundary={b}"))
        assert answer == {"result": "success", "errors": []}, answer

    def value(self, name: str, student: str):
        """What the block answers for ``name`` (status and score from its own fields, the rest as stored)."""
        body = json.dumps({"name": name, "url": self.page}).encode()
        return json.loads(self._post("scorm_get_value", student, body, "application/json"))["value"]
