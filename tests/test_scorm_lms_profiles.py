"""The learner's record under LMS behaviours seen in the field (profiles in scorm_support/lms.html).

For every profile and both SCORM versions, one learner goes through the CE edition over four
launches: closed by the LMS during a retake, the tab killed before the evaluation, "Save and exit",
and a last relaunch.
What the LMS holds (its store, written on Commit/Finish or as queued calls arrive) must show the
resume, no lowered status, score or attempts, every interaction, CE 1.2 "passed" only after the
evaluation, and the session time of a session that never finished.
"""

from __future__ import annotations

import pytest
from scorm_support import build, minimal_course, serve
from scorm_support.drive import (
    answer_evaluation,
    answer_first,
    answer_quiz,
    focus_next,
    next_screen,
    retake,
    save_and_exit,
    screen_title,
    to_first_lesson,
)
from scorm_support.lms import PROFILES, Learner, core, relaunch_seed, seconds

from exporters.scorm.data import LMS_HEADER, course_signature
from exporters.scorm.digest import b36


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """The CE edition (final test and evaluation) unpacked once per SCORM version."""
    out = tmp_path_factory.mktemp("profiles")
    return {v: build(minimal_course(), "ce", v, out) for v in ("1.2", "2004")}


@pytest.fixture(scope="module")
def bank():
    """CE quiz items by bank id."""
    return {b.id: b.items_for("ce") for b in minimal_course().quizzes}


def result(store: dict, version: str) -> tuple:
    """The stored status and raw score: (lesson_status, raw) in 1.2, (completion, success, raw) in 2004."""
    c = core(store, version)
    raw = c.get("score", {}).get("raw", "")
    return (c["lesson_status"], raw) if version == "1.2" else (c["completion_status"], c["success_status"], raw)


def session_time(store: dict, version: str) -> float:
    """The stored session time in seconds (the LMS adds it to total_time once per session)."""
    return seconds(core(store, version).get("session_time", ""))


def interaction_ids(store: dict) -> list[str]:
    """The ids of every interaction the LMS holds, in index order."""
    return [i["id"] for _, i in sorted(store["interactions"].items(), key=lambda kv: int(kv[0]))]


# What the LMS holds at each step: (lesson_status, raw) in 1.2, (completion, success, raw) in 2004.
# 1.2 with an evaluation stays incomplete, and sends no score, until the evaluation is in: an LMS
# may derive passed/failed from score.raw (Moodle's default "Mastery score overrides status").
FAILED = {"1.2": ("incomplete", ""), "2004": ("incomplete", "failed", "0")}
PASSED = {"1.2": ("incomplete", ""), "2004": ("incomplete", "passed", "100")}
DONE = {"1.2": ("passed", "100"), "2004": ("completed", "passed", "100")}


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("profile", PROFILES)
def test_learner_record_survives_the_lms(browser, packages, bank, profile, version):
    sco, v = packages[version], version
    with serve(sco) as base:
        # 1. First launch: lesson quiz, final test failed, retake begun with one answer; the LMS closes the course.
        s = Learner(browser, base, v, sco, profile)
        s.launch()
        to_first_lesson(s.page, s.frame)  # past the introduction and the CE pages
        focus_next(s.page, s.frame)  # at the end of the lesson, also in a 450 px frame
        assert s.focused_visible()
        if profile in ("small", "openedx"):
            assert s.frame.evaluate("innerHeight <= 450 && document.documentElement.scrollHeight > innerHeight")
        next_screen(s.page, s.frame)
        sent = answer_quiz(s.page, s.frame, bank["basics-quiz"], True)
        next_screen(s.page, s.frame)
        sent += answer_quiz(s.page, s.frame, bank["final"], False)
        assert result(s.store(), v) == FAILED[v]
        retake(s.page, s.frame)
        answer_first(s.page, s.frame, bank["final"])
        answered = s.state()
        kept = s.close()
        assert core(kept, v)["lesson_location" if v == "1.2" else "location"] == "q-final"
        assert result(kept, v) == FAILED[v]  # also after Finish in the moodle profile
        assert len(interaction_ids(kept)) == sent
        assert 0 < session_time(kept, v) <= s.seconds

        # 2. Relaunch, whatever entry says: at the bookmark with the unsubmitted answer; pass; the tab dies.
        s.launch(relaunch_seed(kept, v))
        assert screen_title(s.frame) == "Final test"
        assert s.state() == answered
        assert result(s.store(), v) == FAILED[v]  # not lowered by the relaunch
        sent += answer_quiz(s.page, s.frame, bank["final"], True)
        assert result(s.store(), v) == PASSED[v]  # CE: the evaluation is still to come
        passed = s.state()
        kept = s.close(crash=True)
        # No Finish arrived, yet this session's time is there, and it is this session's alone.
        assert 0 < session_time(kept, v) <= s.seconds
        assert result(kept, v) == PASSED[v]

        # 3. Relaunch after the crash: the pass is kept; the evaluation completes the course; "Save and exit".
        s.launch(relaunch_seed(kept, v))
        assert s.state() == passed
        assert result(s.store(), v) == PASSED[v]
        next_screen(s.page, s.frame)
        assert screen_title(s.frame) == "Course evaluation"
        sent += answer_evaluation(s.page, s.frame)
        assert result(s.store(), v) == DONE[v]
        next_screen(s.page, s.frame)
        save_and_exit(s.page, s.frame)
        finished = s.state()
        kept = s.close()
        assert core(kept, v)["exit"] == ("" if v == "1.2" else "normal")
        assert 0 < session_time(kept, v) <= s.seconds

        # 4. Relaunch after exit: the finished course (both attempts used), nothing lowered, every interaction once.
        s.launch(relaunch_seed(kept, v))
        assert screen_title(s.frame) == "Your results"
        assert s.state() == finished
        now = s.store()
        assert result(now, v) == DONE[v]
        ids = interaction_ids(now)
        assert len(ids) == sent and len(set(ids)) == sent, ids
        assert {"final.f-01.1", "final.f-01.2", "evaluation.objectives-met"} <= set(ids)
        s.close(crash=True)
        s.leave()


def _foreign_header(version: str, count: int, passed: bool) -> str:
    """The header another course (here: another version) wrote into this activity: ``count``
    interactions sent and, if ``passed``, a pass with 90 % (format: static/lms.js, parseHead)."""
    status = ("50" if version == "1.2" else "43") if passed else "00"
    header = "~" + course_signature("mini-course", "0.0.9", "ce") + b36(count).rjust(3, "0") + status
    header += b36(9001 if passed else 0).rjust(3, "0")
    assert len(header) == LMS_HEADER
    return header


# strict: the LMS reports the stored pass and _count; openedx: it reports neither (status and score
# read as undefined, _count as ""), so only the header carries them.
@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("profile", ["strict", "openedx"])
def test_fresh_start_never_lowers_what_the_lms_holds(browser, packages, bank, profile, version):
    """State written by another version is not restored, but numbering continues and a stored pass stays."""
    sco, v = packages[version], version
    with serve(sco) as base:
        s = Learner(browser, base, v, sco, profile)
        s.launch()
        to_first_lesson(s.page, s.frame)
        next_screen(s.page, s.frame)  # the lesson quiz
        payload = s.state()  # valid for this layout: only the header's signature says "not this course"
        s.close(crash=True)
        earlier = {str(n): {"id": f"old.{n}", "type": "choice", "result": "neutral"} for n in range(5)}
        if v == "1.2":
            seed = {"core": {"lesson_status": "passed", "score": {"raw": "90"}, "exit": "", "entry": ""}}
        else:
            seed = {"completion_status": "completed", "success_status": "passed",
                    "score": {"raw": "90", "scaled": "0.9"}}
        header = _foreign_header(v, 3 if profile == "strict" else 5, profile == "openedx")
        seed.update(interactions=earlier, suspend_data=header + payload)
        s.launch(seed)
        assert screen_title(s.frame) == "Introduction" and s.state() != payload
        to_first_lesson(s.page, s.frame)
        next_screen(s.page, s.frame)
        sent = answer_quiz(s.page, s.frame, bank["basics-quiz"], True)
        next_screen(s.page, s.frame)
        sent += answer_quiz(s.page, s.frame, bank["final"], False)  # a fresh, failed attempt
        kept = s.close(crash=True)
        s.leave()
    want = ("passed", "90") if v == "1.2" else ("completed", "passed", "90")
    assert result(kept, v) == want
    ids = interaction_ids(kept)
    assert ids[:5] == [f"old.{n}" for n in range(5)] and len(ids) == 5 + sent
    # This course's header replaces the other's, carrying the floors and the count forward.
    mine = "~" + course_signature("mini-course", "0.1.0", "ce")
    assert kept["suspend_data"].startswith(mine + b36(5 + sent).rjust(3, "0"))
