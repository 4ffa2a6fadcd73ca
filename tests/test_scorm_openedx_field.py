"""The CE packages in the SCORM component Open edX sites run: openedx-scorm-xblock 19.0.5 in the
xblock-sdk workbench on 127.0.0.1, played in Debian's Chromium.

That runtime never sets cmi.entry, answers "" for _count and undefined for status reads, and queues
every SetValue. One learner fails the final test and starts the retake, closes the tab, comes back,
passes, sends the evaluation, exits, and comes back once more; the block's stored record must follow.
"""

from __future__ import annotations

import pytest
from scorm_support import minimal_course
from scorm_support.drive import (
    answer_evaluation,
    answer_first,
    answer_quiz,
    next_screen,
    retake,
    save_and_exit,
    screen_title,
    start,
    to_first_lesson,
)
from scorm_support.lms import seconds
from scorm_support.openedx import ScormBlock, workbench

from course.compiled import compile_edition
from exporters.scorm import export

LEARNER = "learner1"


@pytest.fixture(scope="module")
def lms(tmp_path_factory):
    """The workbench with openedx-scorm-xblock, served for this module."""
    with workbench(tmp_path_factory.mktemp("openedx-lms")) as base:
        yield base


@pytest.fixture(scope="module")
def bank():
    """CE quiz items by bank id."""
    return {b.id: b.items_for("ce") for b in minimal_course().quizzes}


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_openedx_scorm_xblock_keeps_the_learner_record(lms, browser, bank, tmp_path, version):
    block = ScormBlock(lms, "scorm_12" if version == "1.2" else "scorm_2004")
    block.upload(export(compile_edition(minimal_course(), "ce"), tmp_path, version=version))
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def launch():
        page.goto(f"{block.page}?student={LEARNER}")
        frame = page.frame(url=lambda u: "/media/" in u)
        frame.wait_for_function("window.CoursePlayer && document.activeElement")
        start(page, frame)
        return frame

    def leave() -> None:
        page.wait_for_load_state("networkidle")  # the block's SetValue queue has reached the server
        page.goto("about:blank")

    def stored() -> tuple:
        return (block.value("cmi.completion_status", LEARNER), block.value("cmi.success_status", LEARNER),
                block.value("cmi.score.raw", LEARNER))

    # 1. Lesson quiz, final test failed, retake begun with one answer; the tab goes away.
    frame = launch()
    to_first_lesson(page, frame)
    next_screen(page, frame)  # the lesson quiz
    sent = answer_quiz(page, frame, bank["basics-quiz"], True)
    next_screen(page, frame)
    sent += answer_quiz(page, frame, bank["final"], False)
    retake(page, frame)
    answer_first(page, frame, bank["final"])
    answered = frame.evaluate("CoursePlayer.state()")
    leave()
    # 1.2 sends neither score nor status before the evaluation (CE); 2004 keeps success apart.
    assert stored() == (("incomplete", "unknown", 0) if version == "1.2" else ("incomplete", "failed", 0))

    # 2. Back again (no cmi.entry): the retake with its answer; pass, evaluate, "Save and exit".
    frame = launch()
    assert screen_title(frame) == "Final test" and frame.evaluate("CoursePlayer.state()") == answered
    assert stored()[:2] == (("incomplete", "unknown") if version == "1.2" else ("incomplete", "failed"))
    sent += answer_quiz(page, frame, bank["final"], True)
    next_screen(page, frame)
    sent += answer_evaluation(page, frame)
    next_screen(page, frame)
    save_and_exit(page, frame)
    finished = frame.evaluate("CoursePlayer.state()")
    leave()
    assert stored() == ("completed", "passed", 100)

    # 3. Back after exit: the finished course; the block's record is not lowered; every answer kept once.
    frame = launch()
    assert screen_title(frame) == "Your results" and frame.evaluate("CoursePlayer.state()") == finished
    leave()
    context.close()
    assert stored() == ("completed", "passed", 100)
    ids = []
    while block.value(f"cmi.interactions.{len(ids)}.id", LEARNER):
        ids.append(block.value(f"cmi.interactions.{len(ids)}.id", LEARNER))
    assert len(ids) == sent and len(set(ids)) == sent, ids
    assert seconds(block.value("cmi.core.session_time" if version == "1.2" else "cmi.session_time", LEARNER)) > 0
    assert not errors, errors
