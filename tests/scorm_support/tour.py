"""A keyboard tour of every screen type of the standalone player, calling ``visit(name)`` on each.

Used by the accessibility test (axe on each screen type) and by ``make screens`` (screenshots).
The tour fails a quiz on purpose, so the review list and the retry path are shown too.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from course.model import Course
from scorm_support.drive import (
    answer,
    answer_quiz,
    css,
    next_step,
    press,
    shown_item,
    start,
    wrong_response,
)

Visit = Callable[[str], None]


def _button(text: str) -> str:
    """A predicate for a button whose text starts with ``text``."""
    return f"el => el.tagName === 'BUTTON' && el.textContent.startsWith({text!r})"


def tour(page: Page, course: Course, edition: str, visit: Visit) -> list[str]:
    """From the start screen to the results, every lesson and quiz on the way; returns the names visited."""
    bank = {b.id: b.items_for(edition) for b in course.quizzes}
    seen: list[str] = []

    def once(name: str) -> bool:
        if name in seen:
            return False
        seen.append(name)
        visit(name)
        return True

    def screen() -> str:
        return page.evaluate("document.getElementById('main').dataset.screen")

    page.wait_for_selector("#screen-title")
    once("start")
    start(page, page)
    once("page")
    final = page.locator("#toc-list a[href='#q-final']")
    if final.count():
        final.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".result.locked")
        once("final-locked")
        press(page, page, css(".result.locked a"))  # back to the first lesson left to do
    while screen() != "lesson":
        next_step(page, page)
    once("lesson")
    while True:
        kind = screen()
        if kind == "lesson":
            if "glossary" not in seen and page.locator(".terms button").count():
                press(page, page, css(".terms button"))
                page.wait_for_selector("dialog[open]")
                once("glossary")
                page.keyboard.press("Escape")
                # Closing hands focus back to the term's button; wait, or the next Tab races it.
                page.wait_for_function("!document.querySelector('dialog[open]') && "
                                       "document.activeElement.closest('.terms') !== null")
            if "reflection" not in seen and page.locator(".blk.reflection textarea").count():
                page.locator(".blk.reflection textarea").first.focus()
                page.keyboard.type("A note that stays in this browser.")
                once("reflection")
            next_step(page, page)
        elif kind == "quiz" and page.locator("#submit-test").count():
            once("test")
            press(page, page, css("#submit-test"))
            page.wait_for_function("document.activeElement && document.activeElement.id === 'confirm-h'")
            once("test-confirm")
            press(page, page, _button("Go to question"))
            once("test-error")
            answer_quiz(page, page, bank["final"], False)
            once("test-result")
            next_step(page, page)
        elif kind == "quiz":
            quiz = page.evaluate("document.querySelector('#toc-list a[aria-current]').hash.slice(3)")
            items = bank[quiz]
            if "practice" not in seen:
                once("practice")
                press(page, page, _button("Check"))
                once("practice-error")
                fid = page.locator("fieldset.q").get_attribute("id")
                item = shown_item(page, fid, items)
                answer(page, page, fid, item, wrong_response(item))
                press(page, page, _button("Check"))
                page.wait_for_selector(".fb")
                once("practice-feedback")
                press(page, page, "el => el.tagName === 'BUTTON' && /^(Next question|See how)/.test(el.textContent)")
            answer_quiz(page, page, items, True)
            once("practice-summary")
            next_step(page, page)
        elif kind == "eval":
            once("evaluation")
            press(page, page, _button("Submit evaluation"))
            once("evaluation-error")
            page.keyboard.press("ArrowDown")
            press(page, page, _button("Submit evaluation"))
            page.wait_for_selector("#eval-done")
            next_step(page, page)
        else:
            once("results")
            return seen
