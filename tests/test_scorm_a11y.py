"""Accessibility: axe-core finds no WCAG 2.1 A/AA violation on any screen of the staff and family players.

Set SCORM_SHOTS=/tmp/scorm-shots to also save screenshots of each screen at 1280 and 320 px.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from scorm_support import AXE, CHROMIUM, CHROMIUM_ARGS, build, minimal_course, serve
from scorm_support.drive import answer_quiz, css, next_screen, start, tab_to, text_starts

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = os.environ.get("SCORM_SHOTS")


def check(page, name: str, found: dict) -> None:
    """Run axe on the current screen and record violations (and screenshots when asked)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    found[name] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    if SHOTS:
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("edition", ["staff", "family"])
def test_every_screen_has_no_wcag_violation(tmp_path, edition):
    sco = build(minimal_course(), edition, "2004", tmp_path)
    bank = {b.id: b.items_for(edition) for b in minimal_course().quizzes}
    found: dict = {}
    with serve(sco) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/sco/index.html")
        page.wait_for_selector("#screen-title")
        assert page.evaluate("document.documentElement.lang") == "en"
        start(page, page)
        check(page, f"{edition}-page", found)
        next_screen(page, page)
        check(page, f"{edition}-lesson", found)
        if edition == "staff":
            next_screen(page, page)
            tab_to(page, page, css("button[type=submit]"))
            page.keyboard.press("Enter")  # nothing answered: the form explains what is missing
            assert "Please answer questions 1, 2, 3" in page.locator("#form-msg").inner_text()
            check(page, f"{edition}-quiz", found)
            answer_quiz(page, page, bank["basics-quiz"], False)
            check(page, f"{edition}-feedback", found)
            next_screen(page, page)
            answer_quiz(page, page, bank["final"], True)
            check(page, f"{edition}-final-feedback", found)
        next_screen(page, page)
        check(page, f"{edition}-results", found)
        tab_to(page, page, text_starts("button", "Save and exit"))
        page.keyboard.press("Enter")
        check(page, f"{edition}-exited", found)
        page.set_viewport_size({"width": 320, "height": 700})
        # Reflow: nothing wider than the viewport at 320 px.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        browser.close()
    assert {k: v for k, v in found.items() if v} == {}
