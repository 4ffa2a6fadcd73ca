"""Lesson HTML cannot run script in the player, even if a tampered model carries it past the loader."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright
from scorm_support import CHROMIUM, CHROMIUM_ARGS, build, minimal_course, serve
from scorm_support.drive import next_screen, start

HOSTILE = ('<p>Before.</p><script>window.pwned = "script"; alert("script")</script>'
           '<img src="missing.png" onerror="window.pwned = \'onerror\'; alert(\'onerror\')" alt="">'
           '<p><a id="bad" href="javascript:window.pwned=\'link\';alert(\'link\')">a link</a></p>'
           '<p onclick="alert(\'click\')" onmouseover="window.pwned=\'hover\'">After.</p>'
           '<svg><script>window.pwned = "svg"</script></svg><iframe src="javascript:alert(1)"></iframe>')


def hostile_course():
    """The minimal course with script-bearing HTML in every edition's view of its lesson."""
    course = minimal_course()
    lesson = course.lessons[0]
    views = {e: v.model_copy(update={"learner_html": HOSTILE + v.learner_html}) for e, v in lesson.views.items()}
    return course.model_copy(update={"lessons": [lesson.model_copy(update={"views": views})]})


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "player-sanitizer-only"])
def test_lesson_html_runs_nothing(tmp_path, bypass_csp):
    sco = build(hostile_course(), "staff", "2004", tmp_path)
    assert "onerror" in (sco / "course-data.js").read_text()  # the hostile markup really is in the package
    with serve(sco) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(bypass_csp=bypass_csp).new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{base}/sco/index.html")
        page.wait_for_selector("#screen-title")
        start(page, page)
        next_screen(page, page)
        assert "After." in page.locator("main").inner_text()
        link = page.locator("main a", has_text="a link")
        assert link.get_attribute("href") is None
        link.hover()
        page.locator("main p", has_text="After.").click()
        page.wait_for_timeout(200)
        assert dialogs == []
        assert page.evaluate("window.pwned") is None
        assert page.locator("main script, main iframe, main svg, main [onerror], main [onclick]").count() == 0
        browser.close()
