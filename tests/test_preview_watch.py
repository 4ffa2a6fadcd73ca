"""``course preview --watch``: a save reloads the open page with the change; a broken source shows its
diagnostics over the page while the last good player stays served; the packages carry no reload script."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from scorm_support import CHROMIUM, CHROMIUM_ARGS, MINIMAL, ROOT, minimal_course

from course.compiled import compile_edition

TITLE = "title: The basics\n"
EDITED = "The basics of trust"
BROKEN = ("    key: true\n", "    key: true\n    corect: 1\n")


@pytest.fixture()
def course(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINIMAL, tmp_path / "course"))


@pytest.fixture()
def url(course: Path) -> Iterator[str]:
    """A running ``course preview --watch`` of the copied course; its URL."""
    proc = subprocess.Popen([sys.executable, "-m", "course", "preview", "--watch", "--source", str(course),
                             "--edition", "staff", "--port", "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/index\.html", line)
        assert found, line
        yield found.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture()
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_save_reloads_the_page_and_broken_sources_show_diagnostics(course: Path, url: str, page: Page) -> None:
    page.goto(url)
    page.wait_for_function("() => document.body.innerText.includes('The basics')")
    assert EDITED not in page.inner_text("body")

    edit(course / "lessons" / "01-basics.md", TITLE, f"title: {EDITED}\n")
    page.wait_for_function(f"() => document.body.innerText.includes({EDITED!r})", timeout=20_000)
    assert EDITED in page.evaluate("() => JSON.stringify(window.COURSE_DATA)")

    edit(course / "quizzes" / "basics.yaml", *BROKEN)
    panel = page.wait_for_selector("#preview-diagnostics", timeout=20_000)
    text = panel.inner_text()
    assert re.search(r"quizzes/basics\.yaml:\d+: error: .*corect.*\[schema\.extra_forbidden\]", text), text
    # The last good player is still what the server hands out.
    data = urllib.request.urlopen(url.replace("index.html", "course-data.js"), timeout=10).read().decode()
    assert EDITED in data

    edit(course / "quizzes" / "basics.yaml", BROKEN[1], BROKEN[0])
    page.wait_for_selector("#preview-diagnostics", state="detached", timeout=20_000)
    assert EDITED in page.inner_text("body")


def test_packages_carry_no_reload_script(tmp_path: Path) -> None:
    from exporters.scorm import package

    files = package(compile_edition(minimal_course(), "staff"), "2004")
    assert "index.html" in files
    assert not [name for name, content in files.items()
                if "__preview__" in name or b"__preview__" in (content.encode() if isinstance(content, str)
                                                               else content)]
