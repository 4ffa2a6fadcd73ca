"""``course preview`` serves the standalone player on 127.0.0.1 and prints its URL."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request

from scorm_support import MINIMAL, ROOT


def test_preview_serves_the_player():
    command = [sys.executable, "-m", "course", "preview", "--source", str(MINIMAL), "--edition", "family",
               "--port", "0"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/index\.html", line)
        assert url, line
        page = urllib.request.urlopen(url.group(0), timeout=10).read().decode()
        assert '<html lang="en">' in page and "course-data.js" in page
        data = urllib.request.urlopen(url.group(0).replace("index.html", "course-data.js"), timeout=10).read()
        assert b'"edition":"family"' in data
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_preview_rejects_an_unknown_edition():
    run = subprocess.run([sys.executable, "-m", "course", "preview", "--source", str(MINIMAL), "--edition", "nope"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "unknown edition 'nope'" in run.stderr
