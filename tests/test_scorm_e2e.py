"""End to end in headless Chromium: the player inside a scorm-again LMS page, driven by keyboard only.

The LMS page (scorm_support/lms.html) is served from 127.0.0.1 with ``Permissions-Policy: unload=()``,
gets its mastery score from the manifest, records every API call with the error code it left, and
closes the course as an LMS does (frame -> about:blank).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from scorm_support import build, minimal_course, practice_course, serve
from scorm_support.drive import (
    answer,
    answer_evaluation,
    answer_quiz,
    correct_response,
    css,
    next_screen,
    next_step,
    press,
    start,
    tab_to,
    text_starts,
    wrong_response,
)
from scorm_support.lms import manifest_mastery

from course.compiled import compile_edition
from exporters.scorm import worst_case_suspend_data

FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}
COMMIT = {"1.2": "LMSCommit", "2004": "Commit"}
# The player reads suspend_data on every launch (it does not trust cmi.entry); unset, 2004 answers 403.
FIRST_READ = ("GetValue", "cmi.suspend_data", "403")
# The questions shown and every control's state.
FORM_STATE = """Array.from(document.querySelectorAll('legend, input, select')).map(
  el => el.tagName === 'LEGEND' ? el.textContent : [el.id, el.value, el.checked])"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """Unpacked packages: (edition, version) -> folder."""
    out = tmp_path_factory.mktemp("e2e")
    return {(e, v): build(minimal_course(), e, v, out) for e in ("staff", "ce") for v in ("1.2", "2004")}


def items(edition: str) -> dict:
    """Quiz items by bank id for an edition."""
    return {b.id: b.items_for(edition) for b in minimal_course().quizzes}


class Session:
    """One launch of the course inside the LMS page."""

    def __init__(self, browser, base: str, version: str, sco, query: str = "", seed: dict | None = None):
        self.version = version
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        if seed is not None:
            self.page.add_init_script(f"window.__seed = {json.dumps(seed)};")
        self.page.goto(f"{base}/lms.html?v={version}&mastery={manifest_mastery(sco, version)}{query}")
        self.frame = self.page.frame(url=lambda u: "/sco/" in u) if "popup" not in query else None
        if self.frame:
            self.frame.wait_for_selector("#screen-title")
            start(self.page, self.frame)

    def close(self) -> dict:
        """Unload the SCO like an LMS does; returns the LMS's CMI."""
        self.page.evaluate("closeCourse()")
        self.page.wait_for_function(f"lmsCalls.some(c => c[0] === {FINISH[self.version]!r})")
        cmi = self.page.evaluate("cmiJSON()")
        self.calls = self.page.evaluate("lmsCalls")
        self.context.close()
        assert not self.errors, self.errors
        return cmi

    def assert_clean_calls(self, allow_commit_errors: bool = False) -> None:
        """Every API call succeeded; Finish/Terminate once, last, with no Commit in the unload path."""
        bad = [c for c in self.calls if c[4] != "0" and not (allow_commit_errors and c[0] == COMMIT[self.version])
               and (c[0], c[1], c[4]) != FIRST_READ]
        assert not bad, bad
        finishes = [n for n, c in enumerate(self.calls) if c[0] == FINISH[self.version]]
        assert finishes == [len(self.calls) - 1]
        tail = self.calls[-4:-1]
        assert all(c[0].endswith("SetValue") for c in tail), tail


def complete(s: Session, edition: str, correct_final: bool = True) -> None:
    """Go through the whole course with the keyboard."""
    bank = items(edition)
    if edition == "ce":  # the generated accreditor pages: credit and hours, references, disclosure, policies
        for _ in range(4):
            next_screen(s.page, s.frame)
    next_screen(s.page, s.frame)  # lesson
    next_screen(s.page, s.frame)  # lesson quiz
    answer_quiz(s.page, s.frame, bank["basics-quiz"], True)
    next_screen(s.page, s.frame)  # final test
    answer_quiz(s.page, s.frame, bank["final"], correct_final)
    next_screen(s.page, s.frame)
    if edition == "ce":  # the evaluation
        answer_evaluation(s.page, s.frame)
        next_screen(s.page, s.frame)


def _get(cmi: dict, version: str, key: str):
    names = {"status": ("core.lesson_status", "success_status"), "raw": ("core.score.raw", "score.raw"),
             "exit": ("core.exit", "exit"), "location": ("core.lesson_location", "location"),
             "response": ("student_response", "learner_response")}
    value = cmi
    for part in names[key][0 if version == "1.2" else 1].split("."):
        value = value[part]
    return value


@pytest.mark.parametrize(("edition", "version"), [("staff", "1.2"), ("ce", "2004")])
def test_complete_course_by_keyboard(browser, packages, edition, version):
    sco = packages[(edition, version)]
    with serve(sco) as base:
        s = Session(browser, base, version, sco)
        complete(s, edition)
        assert "You passed with 100%" in s.frame.locator("main").inner_text()
        cmi = s.close()
    s.assert_clean_calls()
    assert _get(cmi, version, "status") == "passed"
    assert _get(cmi, version, "raw") == "100"
    interactions = cmi["interactions"]
    scored = [i for i in interactions.values() if i["result"] != "neutral"]
    assert len(scored) == 4 + 2 and all(i["result"] == "correct" for i in scored)
    if version == "2004":
        assert cmi["completion_status"] == "completed" and cmi["score"]["scaled"] == "1"
        assert cmi["exit"] == "normal"
        assert all(i["description"] for i in interactions.values())
        survey = [i for i in interactions.values() if i["result"] == "neutral"]
        assert {i["type"] for i in survey} == {"likert", "long-fill-in"}
        assert cmi["session_time"].startswith("PT")
    else:
        assert cmi["core"]["exit"] == "" and ":" in cmi["core"]["session_time"]
    # Score is written before status, and each status change is committed.
    names = [c[1] for c in s.calls if c[0].endswith("SetValue")]
    status_key = "cmi.core.lesson_status" if version == "1.2" else "cmi.success_status"
    raw_key = "cmi.core.score.raw" if version == "1.2" else "cmi.score.raw"
    assert names.index(raw_key) < len(names) - 1 - names[::-1].index(status_key)
    assert len(sco.joinpath("course-data.js").read_text()) > 0
    # Fixed width: the state written is exactly the build-time worst case of this edition.
    assert len(cmi["suspend_data"]) == worst_case_suspend_data(compile_edition(minimal_course(), edition))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_failing_run_records_failed_and_score(browser, packages, version):
    sco = packages[("staff", version)]
    with serve(sco) as base:
        s = Session(browser, base, version, sco)
        complete(s, "staff", correct_final=False)
        text = s.frame.locator("main").inner_text()
        assert "You did not pass" in text
        cmi = s.close()
    s.assert_clean_calls()
    assert _get(cmi, version, "status") == "failed"
    assert float(_get(cmi, version, "raw")) < 80
    assert _get(cmi, version, "exit") == "suspend"  # a second attempt is left
    wrong = "wrong" if version == "1.2" else "incorrect"
    assert [i["result"] for i in cmi["interactions"].values()][-2:] == [wrong, wrong]


def _reseed(cmi: dict, version: str) -> dict:
    """What an LMS hands the SCO on relaunch after exit=suspend."""
    seed = json.loads(json.dumps(cmi))
    if version == "1.2":
        seed["core"].pop("session_time", None)
        seed["core"]["entry"] = "resume"
    else:
        seed.pop("session_time", None)
        seed["entry"] = "resume"
    return seed


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_reload_resumes_at_bookmark_with_answers(browser, packages, version):
    sco = packages[("staff", version)]
    bank = items("staff")
    with serve(sco) as base:
        s = Session(browser, base, version, sco)
        next_screen(s.page, s.frame)
        next_screen(s.page, s.frame)
        answer_quiz(s.page, s.frame, bank["basics-quiz"], True)
        next_screen(s.page, s.frame)  # final test: answer the first shown question, do not submit
        first = s.frame.locator("fieldset.q").first
        legend = first.locator("legend").inner_text()
        item = next(i for i in bank["final"] if i.stem in legend)
        answer(s.page, s.frame, first.get_attribute("id"), item, correct_response(item))
        before = s.frame.evaluate(FORM_STATE)
        cmi = s.close()
        s.assert_clean_calls()
        assert _get(cmi, version, "exit") == "suspend"
        assert _get(cmi, version, "location") == "q-final"

        again = Session(browser, base, version, sco, seed=_reseed(cmi, version))
        assert again.frame.locator("h1").inner_text() == "Final test"
        assert again.frame.evaluate(FORM_STATE) == before  # same draw, same answer restored
        again.frame.locator("#toc-list a[href='#q-basics-quiz']").focus()
        again.page.keyboard.press("Enter")
        assert "You got 4 of 4 right" in again.frame.locator("#quiz-result").inner_text()
        cmi2 = again.close()
    again.assert_clean_calls()
    assert len(cmi2["interactions"]) == 4  # earlier interactions kept, none duplicated


def test_standalone_without_lms(browser, packages):
    sco = packages[("staff", "2004")]
    with serve(sco) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/sco/index.html")
        page.wait_for_selector("#screen-title")
        assert page.evaluate("CoursePlayer.mode") == "standalone"
        start(page, page)
        bank = items("staff")
        next_screen(page, page)
        next_screen(page, page)
        answer_quiz(page, page, bank["basics-quiz"], True)
        next_screen(page, page)
        answer_quiz(page, page, bank["final"], True)
        next_screen(page, page)
        assert "You passed with 100%" in page.locator("main").inner_text()
        stored = page.evaluate("JSON.parse(localStorage.getItem('course-kit:mini-course:0.1.0:staff'))")
        assert stored["completion"] == "completed" and stored["success"] == "passed" and stored["score"] == 100
        _reload(page)
        assert page.locator("h1").inner_text() == "Your results"
        context.close()


def test_failed_commit_shows_notice_and_does_not_block(browser, packages):
    sco = packages[("staff", "2004")]
    with serve(sco) as base:
        s = Session(browser, base, "2004", sco, query="&commit=fail")
        notice = s.frame.locator("#notice")
        assert notice.is_visible() and "could not be saved" in notice.inner_text()
        next_screen(s.page, s.frame)
        next_screen(s.page, s.frame)
        answer_quiz(s.page, s.frame, items("staff")["basics-quiz"], True)
        assert notice.is_visible()
        cmi = s.close()
    s.assert_clean_calls(allow_commit_errors=True)
    assert len(cmi["interactions"]) == 4


def test_popup_launch_finds_api_through_opener(browser, packages):
    sco = packages[("staff", "1.2")]
    with serve(sco) as base:
        s = Session(browser, base, "1.2", sco, query="&launch=popup")
        with s.page.expect_popup() as info:
            s.page.locator("#open").focus()
            s.page.keyboard.press("Enter")
        popup = info.value
        popup.wait_for_selector("#screen-title")
        assert popup.evaluate("CoursePlayer.mode") == "1.2"
        start(popup, popup)
        next_screen(popup, popup)
        popup.close(run_before_unload=True)
        s.page.wait_for_function("lmsCalls.some(c => c[0] === 'LMSFinish')")
        calls = s.page.evaluate("lmsCalls")
        cmi = s.page.evaluate("cmiJSON()")
        s.context.close()
    assert [c for c in calls if c[4] != "0"] == []
    assert cmi["core"]["lesson_location"] == "l-basics" and cmi["core"]["lesson_status"] == "incomplete"


def test_scorm12_relaunch_after_passing_keeps_status(browser, packages):
    """1.2 re-entry after a normal exit (entry "") restores the state and never downgrades "passed"."""
    sco = packages[("staff", "1.2")]
    with serve(sco) as base:
        s = Session(browser, base, "1.2", sco)
        complete(s, "staff")
        cmi = s.close()
        assert cmi["core"]["exit"] == "" and cmi["core"]["lesson_status"] == "passed"
        seed = _reseed(cmi, "1.2")
        seed["core"]["entry"] = ""
        again = Session(browser, base, "1.2", sco, seed=seed)
        assert again.frame.locator("h1").inner_text() == "Your results"
        assert "You passed with 100%" in again.frame.locator("main").inner_text()
        cmi2 = again.close()
    again.assert_clean_calls()
    assert cmi2["core"]["lesson_status"] == "passed"


# --------------------------------------------------------------------------- the learning experience


def _reload(page) -> None:
    page.reload()
    page.wait_for_selector("#screen-title")


def _write_reflection(page, frame, text: str) -> None:
    """From the first page, on to the lesson's first reflection box, and write ``text`` in it."""
    next_screen(page, frame)
    while not frame.locator(".blk.reflection textarea").count():
        next_step(page, frame)
    frame.locator(".blk.reflection textarea").first.focus()
    page.keyboard.type(text)


def _standalone(browser, base: str):
    """A fresh browser context on the package without an LMS; returns (context, page)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/sco/index.html")
    page.wait_for_selector("#screen-title")
    return context, page


def _to_final(page, version_frame=None) -> None:
    frame = version_frame or page
    next_screen(page, frame)  # lesson
    next_screen(page, frame)  # practice
    answer_quiz(page, frame, items("staff")["basics-quiz"], True)
    next_screen(page, frame)  # final test


def test_practice_checks_each_question_and_marks_the_key(browser, packages):
    sco = packages[("staff", "2004")]
    bank = items("staff")["basics-quiz"]
    with serve(sco) as base:
        s = Session(browser, base, "2004", sco)
        next_screen(s.page, s.frame)
        next_screen(s.page, s.frame)
        assert s.frame.locator("fieldset.q").count() == 1  # one question per screen
        fid = s.frame.locator("fieldset.q").get_attribute("id")
        item = next(i for i in bank if i.stem in s.frame.locator("legend").inner_text())
        answer(s.page, s.frame, fid, item, wrong_response(item))
        press(s.page, s.frame, text_starts("button", "Check"))
        fb = s.frame.locator(".fb")
        assert s.frame.evaluate("document.activeElement.classList.contains('fb')")  # focus on the feedback
        text = fb.inner_text()
        assert text.startswith("Not correct") and "Why:" in text and "Review this section" in text
        assert not re.search(r"\(F\d+", text)
        key = s.frame.locator(".option.key")
        assert key.count() == 1 and "correct answer" in key.inner_text()
        assert item.options[0].text in key.inner_text()  # b-01's key is its first option
        # The answer was recorded as soon as it was checked.
        s.page.wait_for_function("lmsCalls.some(c => c[1] === 'cmi.interactions.0.result' && c[2] === 'incorrect')")
        cmi = s.close()
    s.assert_clean_calls()
    assert cmi["interactions"]["0"]["result"] == "incorrect"


def test_final_test_never_submits_on_enter_and_names_unanswered_items(browser, packages):
    sco = packages[("staff", "2004")]
    bank = items("staff")["final"]
    with serve(sco) as base:
        s = Session(browser, base, "2004", sco)
        _to_final(s.page, s.frame)
        fid = s.frame.locator("fieldset.q").first.get_attribute("id")
        item = next(i for i in bank if i.stem in s.frame.locator(f"#{fid} legend").inner_text())
        answer(s.page, s.frame, fid, item, correct_response(item))
        s.page.keyboard.press("Enter")  # on the radio: must not submit anything
        assert s.frame.locator("#quiz-result").count() == 0 and s.frame.locator("#confirm").is_hidden()
        press(s.page, s.frame, css("#submit-test"))
        confirm = s.frame.locator("#confirm")
        assert "Not answered: question 2." in confirm.inner_text()
        assert s.frame.evaluate("document.activeElement.id") == "confirm-h"
        press(s.page, s.frame, text_starts("button", "Go to question 2"))
        # The error sits in question 2 and focus is on its first control.
        assert s.frame.locator(f"#{fid.rsplit('-', 1)[0]}-1 .q-err").inner_text() == "Please answer this question."
        assert s.frame.evaluate("document.activeElement.closest('fieldset').id") == f"{fid.rsplit('-', 1)[0]}-1"
        cmi = s.close()
    assert "score" not in cmi or cmi["score"].get("raw", "") == ""


def test_failed_test_results_show_requirements_review_links_and_last_attempt(browser, packages):
    sco = packages[("staff", "2004")]
    bank = items("staff")
    with serve(sco) as base:
        s = Session(browser, base, "2004", sco)
        _to_final(s.page, s.frame)
        answer_quiz(s.page, s.frame, bank["final"], False)
        result = s.frame.locator("#quiz-result")
        assert result.locator("h2").inner_text() == "Your score: 0%"  # the score leads
        assert "1 attempt left" in result.inner_text() and "What to review" in result.inner_text()
        press(s.page, s.frame, text_starts("button", "Try again"))
        answer_quiz(s.page, s.frame, bank["final"], False)
        text = s.frame.locator("#quiz-result").inner_text()
        assert "used every attempt" in text and "contact your trainer" in text and "Try again" not in text
        next_screen(s.page, s.frame)  # results
        main = s.frame.locator("main").inner_text()
        assert "You did not pass this time. Your score is 0%; the pass mark is 80%." in main
        reqs = s.frame.eval_on_selector_all(".reqs li", "els => els.map(e => [e.className, e.textContent])")
        assert [r[0] for r in reqs] == ["met", "open"]
        assert "Lessons: 1 of 1 completed" in reqs[0][1] and "no attempts left" in reqs[1][1]
        assert "contact your trainer" in main
        tab_to(s.page, s.frame, "el => el.tagName === 'A' && el.closest('#main .review-list') !== null")
        s.page.keyboard.press("Enter")
        assert s.frame.locator("h1").inner_text() == "Lesson 1: The basics"
        cmi = s.close()
    s.assert_clean_calls()
    assert cmi["success_status"] == "failed" and cmi["exit"] == "normal"


def test_final_test_opens_once_every_lesson_is_done(browser, packages):
    sco = packages[("staff", "2004")]
    with serve(sco) as base:
        context, page = _standalone(browser, base)
        start(page, page)
        page.locator("#toc-list a[href='#q-final']").focus()
        page.keyboard.press("Enter")
        assert "opens when you have completed every lesson" in page.locator("main").inner_text()
        assert page.locator("fieldset.q").count() == 0
        assert "(locked)" in page.locator("#toc-list a[href='#q-final']").inner_text()
        press(page, page, css(".result.locked a"))
        assert page.locator("h1").inner_text() == "Lesson 1: The basics"
        page.locator("#toc-list a[href='#q-final']").focus()
        page.keyboard.press("Enter")
        assert "Still to do" in page.locator("main").inner_text()  # one lesson screen is not all of them
        page.locator("#toc-list a[href='#l-basics']").focus()
        page.keyboard.press("Enter")
        while page.evaluate("!!document.querySelector('main[data-screen=lesson]')"):
            press(page, page, text_starts("button", "Next:"))
        page.locator("#toc-list a[href='#q-final']").focus()
        page.keyboard.press("Enter")
        assert page.locator("fieldset.q").count() == 2
        context.close()


def test_standalone_banner_start_over_and_local_reflections(browser, packages):
    sco = packages[("staff", "2004")]
    key = "course-kit:mini-course:0.1.0:staff"
    with serve(sco) as base:
        context, page = _standalone(browser, base)
        banner = page.locator("#banner")
        assert "Not connected to a learning system: your progress is kept in this browser only" in banner.inner_text()
        start(page, page)
        assert page.locator("#saved").inner_text() == "Saved in this browser"
        _write_reflection(page, page, "My private answer")
        notes = page.evaluate(f"localStorage.getItem({key + ':notes'!r})")
        assert "My private answer" in notes
        assert "My private answer" not in page.evaluate(f"localStorage.getItem({key!r})")
        with page.expect_download() as download:
            press(page, page, text_starts("button", "Download my notes"))
        assert "My private answer" in Path(download.value.path()).read_text()
        page.evaluate("window.print = () => { window.printed = true; }")  # no print dialog in a test
        press(page, page, text_starts("button", "Print my notes"))
        page.emulate_media(media="print")
        assert page.evaluate("window.printed") and page.locator("main").is_hidden()
        assert "My private answer" in page.locator("#print-notes").inner_text()
        page.emulate_media(media="screen")
        page.evaluate("dispatchEvent(new Event('afterprint'))")
        asked: list[str] = []
        page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
        press(page, page, text_starts("button", "Start over"))
        page.wait_for_function("document.activeElement && document.activeElement.id === 'screen-title'")
        assert "clears your answers" in asked[0]
        assert page.locator("h1").inner_text() == "A minimal course"
        assert page.locator("#progress-text").inner_text().startswith("0 of ")
        assert "My private answer" in page.evaluate(f"localStorage.getItem({key + ':notes'!r})")  # notes stay
        _reload(page)
        assert page.locator(".start-btn").inner_text() == "Start the course"
        context.close()


def test_reflections_never_reach_the_lms(browser, packages):
    sco = packages[("staff", "1.2")]
    with serve(sco) as base:
        s = Session(browser, base, "1.2", sco)
        assert s.frame.locator("#banner").is_hidden()
        _write_reflection(s.page, s.frame, "Only for me")
        next_step(s.page, s.frame)
        assert s.frame.locator("#saved").inner_text() == "Saved"
        cmi = s.close()
    s.assert_clean_calls()
    assert not any("Only for me" in str(c) for c in s.calls)
    assert "Only for me" not in json.dumps(cmi)


def test_blank_evaluation_does_not_count(browser, packages):
    sco = packages[("ce", "2004")]
    with serve(sco) as base:
        context, page = _standalone(browser, base)
        page.locator("#toc-list a[href='#evaluation']").focus()
        page.keyboard.press("Enter")
        press(page, page, text_starts("button", "Submit evaluation"))
        assert page.locator(".q-err").inner_text() == "Please answer at least one question before you submit."
        assert page.locator("#eval-done").count() == 0
        assert page.evaluate("document.activeElement.closest('.q') !== null")
        context.close()


def test_family_edition_shows_no_score_and_always_offers_try_again(browser, tmp_path):
    sco = build(practice_course(), "family", "2004", tmp_path)
    bank = {b.id: b.items_for("family") for b in practice_course().quizzes}
    with serve(sco) as base:
        s = Session(browser, base, "2004", sco)
        next_screen(s.page, s.frame)
        next_screen(s.page, s.frame)
        assert s.frame.locator("button", has_text="Check my answer").count() == 1
        answer_quiz(s.page, s.frame, bank["basics-quiz"], False)
        summary = s.frame.locator("#quiz-result").inner_text()
        assert "%" not in summary and "score" not in summary.lower() and "Try again" in summary
        next_screen(s.page, s.frame)
        main = s.frame.locator("main").inner_text()
        assert "You have completed the course" in main and "%" not in main and "pass" not in main.lower()
        cmi = s.close()
    s.assert_clean_calls()
    assert cmi["completion_status"] == "completed" and cmi["success_status"] == "unknown"
    assert cmi["score"]["raw"] == ""


def test_box_titles_that_open_a_screen_become_its_h2(browser, tmp_path):
    course = minimal_course()
    lesson = course.lessons[0]
    html = ('<h2>Early care</h2><p>Text.</p><section class="blk keypoints"><h3 class="blk-title">Key points</h3>'
            "<h4>More</h4><ul><li>Point.</li></ul></section>")
    views = {e: v.model_copy(update={"learner_html": html}) for e, v in lesson.views.items()}
    changed = course.model_copy(update={"lessons": [lesson.model_copy(update={"views": views})]})
    sco = build(changed, "staff", "2004", tmp_path)
    with serve(sco) as base:
        context, page = _standalone(browser, base)
        start(page, page)
        next_screen(page, page)
        next_step(page, page)
        heads = page.eval_on_selector_all("main h1, main h2, main h3, main h4",
                                          "els => els.map(e => [e.tagName, e.textContent])")
        assert heads[:3] == [["H1", "Lesson 1: The basics"], ["H2", "Key points"], ["H3", "More"]]
        context.close()
