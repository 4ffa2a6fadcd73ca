"""Raw HTML, event handlers and javascript: URLs in lesson Markdown never reach any output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course import markdown as md
from course.build import build
from course.loader import load_course
from course.model import Course, LessonView

MINIMAL = Path(__file__).parent / "fixtures" / "courses" / "minimal"
FORBIDDEN = ("<script", "onerror", "javascript:")

HOSTILE = """\
## Hostile lesson

Plain text, then <script>alert('x')</script> inline.

<script src="https://evil.example/x.js"></script>

A picture <img src=x onerror=alert(1)> and <a href="javascript:alert(2)" onclick="go()">a link</a>.

See [this](javascript:alert(3)), [that](JAVASCRIPT:alert(4)) and [entity](java&#115;cript:alert(5)).

![pic](javascript:alert(6))

[ref][1] and <javascript:alert(7)>

[1]: javascript:alert(8)

<div onmouseover="alert(9)">hover</div>

::: vignette title="<script>x</script>"
Case text <svg onload=alert(10)>.
:::

::: activity minutes=5 title="Act"
Do <iframe src="javascript:alert(11)"></iframe> this.
:::

::: facilitator
Notes <script>alert(12)</script> here.
:::
"""


def _assert_clean(text: str, where: str) -> None:
    lowered = text.lower()
    for bad in FORBIDDEN:
        assert bad not in lowered, f"{bad!r} reached {where}"


@pytest.mark.parametrize("edition", ["staff", "family", "ce"])
@pytest.mark.parametrize("facilitator", [False, True])
def test_render_drops_hostile_markup(edition: str, facilitator: bool) -> None:
    """course.markdown.render never emits the forbidden markup, for any edition or audience."""
    html = md.render(md.parse(HOSTILE), edition, facilitator)
    _assert_clean(html, f"{edition} html")
    assert "Plain text" in html  # the surrounding text survives
    assert "Case text" in html


def test_plain_text_drops_hostile_markup() -> None:
    """The plain text used for word counts and block text is clean too."""
    _assert_clean(md.plain_text(md.parse(HOSTILE)), "plain text")


def test_sanitize_is_a_second_line_of_defence() -> None:
    """nh3 alone strips scripts, handlers and script URLs from HTML that got past the parser."""
    dirty = ('<p onclick="x()">a<script>alert(1)</script><img src="x" onerror="y()">'
             '<a href="javascript:alert(1)">b</a><iframe src="https://e.example"></iframe></p>')
    _assert_clean(md.sanitize(dirty), "sanitize()")
    assert "onclick" not in md.sanitize(dirty)


def _hostile_course() -> Course:
    """The minimal course with every lesson and page body replaced by HOSTILE (bypassing the loader)."""
    course, found = load_course(MINIMAL)
    assert course is not None, [str(d) for d in found.items]
    tokens = md.parse(HOSTILE)
    text = md.plain_text(tokens)
    views = {
        ed: LessonView(learner_html=md.render(tokens, ed, False), facilitator_html=md.render(tokens, ed, True),
                       text=text, words=len(text.split()), grade=5.0)
        for ed in course.manifest.editions
    }
    lessons = [lesson.model_copy(update={"views": views}) for lesson in course.lessons]
    pages = [page.model_copy(update={"views": views}) for page in course.pages]
    return course.model_copy(update={"lessons": lessons, "pages": pages})


def test_the_loader_refuses_the_hostile_body(tmp_path: Path) -> None:
    """First line of defence: the same body is a check error."""
    course_dir = tmp_path / "c"
    shutil.copytree(MINIMAL, course_dir)
    lesson = course_dir / "lessons" / "01-basics.md"
    front = lesson.read_text(encoding="utf-8").split("---\n")[1]
    lesson.write_text(f"---\n{front}---\n{HOSTILE}", encoding="utf-8")
    course, found = load_course(course_dir)
    assert course is None
    codes = {d.code for d in found.items}
    assert {"lesson.raw-html", "lesson.link"} <= codes


def test_exported_files_are_clean(tmp_path: Path) -> None:
    """json and report exports of a course carrying the hostile body contain none of the forbidden markup."""
    out = tmp_path / "dist"
    result = build(_hostile_course(), out, formats=["json", "report"])
    assert result.artifacts
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".json"}
    texts = {p: p.read_bytes().decode("utf-8", errors="replace") for p in files}
    assert any("Plain text, then" in t for t in texts.values())  # the hostile body really was exported
    for path, text in texts.items():
        _assert_clean(text, str(path.relative_to(out)))
