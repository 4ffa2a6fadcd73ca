"""Accessibility: axe-core finds no WCAG 2.2 A/AA or best-practice violation on any screen type of the
staff, family and CE players, at desktop, phone and 320 px widths and with forced colours emulated.

The walk is scorm_support/tour.py. Set SCORM_SHOTS=<folder> to also save a screenshot of every screen
type at each width (``make screens`` does, for the real course: SCORM_COURSE=.).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from scorm_support import AXE, build, practice_course, serve
from scorm_support.tour import tour

from course.loader import load_course

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SIZES = {"desktop": (1366, 768), "phone": (390, 844), "narrow": (320, 700)}
SHOTS = os.environ.get("SCORM_SHOTS")
# Screen types every tour must reach (the family edition has no final test and no evaluation).
COMMON = {"start", "page", "lesson", "reflection", "glossary", "practice", "practice-error", "practice-feedback",
          "practice-summary", "results"}
GRADED = {"final-locked", "test", "test-confirm", "test-error", "test-result"}


def course():
    """The course toured: the minimal fixture, or SCORM_COURSE (``make screens`` uses the real one)."""
    if not os.environ.get("SCORM_COURSE"):
        return practice_course()
    loaded, found = load_course(Path(os.environ["SCORM_COURSE"]))
    assert loaded is not None, [str(d) for d in found.items]
    return loaded


@pytest.mark.parametrize("edition", ["staff", "family", "ce"])
def test_every_screen_type_has_no_violation(browser, tmp_path, edition):
    src = course()
    sco = build(src, edition, "2004", tmp_path)
    found: dict = {}
    with serve(sco) as base:
        context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        def visit(name: str) -> None:
            if not page.evaluate("typeof axe !== 'undefined'"):  # one page: inject axe once
                page.add_script_tag(path=str(AXE))
            text = page.locator("main").inner_text()
            # The family edition is ungraded: no score, percentage or pass mark anywhere.
            if edition == "family":
                assert "%" not in text and "score" not in text.lower() and "pass mark" not in text.lower(), (name, text)
            for size, (w, h) in SIZES.items():
                page.set_viewport_size({"width": w, "height": h})
                page.evaluate(f"document.getElementById('toc').open = {str(w >= 900).lower()}")  # as on load
                run(page, f"{name}@{size}", found)
                # Reflow: nothing wider than the viewport.
                assert page.evaluate("document.documentElement.scrollWidth") <= w, (name, size)
                if SHOTS:
                    folder = Path(SHOTS) / edition
                    folder.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
            page.emulate_media(forced_colors="active")
            run(page, f"{name}@forced-colours", found)
            if SHOTS:
                page.screenshot(path=str(Path(SHOTS) / edition / f"{name}-forced-colours.png"), full_page=True)
            page.emulate_media(forced_colors="none")
            page.set_viewport_size({"width": 1366, "height": 768})
            page.evaluate("document.getElementById('toc').open = true")

        page.goto(f"{base}/sco/index.html")
        assert page.evaluate("document.documentElement.lang") == "en"
        seen = set(tour(page, src, edition, visit))
        context.close()
    assert not errors, errors
    assert seen >= (COMMON | (GRADED if edition != "family" else set())), seen
    if edition == "ce":
        assert {"evaluation", "evaluation-error"} <= seen
    bad = {k: v for k, v in found.items() if v}
    assert bad == {}, sorted({(v[0], str(v[2])) for vs in bad.values() for v in vs})


def run(page, name: str, found: dict) -> None:
    """Run axe on the current screen and record its violations."""
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    found[name] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
