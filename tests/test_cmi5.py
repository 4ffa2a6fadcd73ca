"""cmi5 end to end: the package launched in Chromium by a small LMS fixture, statements stored by a real LRS
(Ralph, started and stopped here on 127.0.0.1), each checked against the xAPI 1.0.3 rules (xapi-validation)
and the cmi5 statement rules (order, context, categories, results, once-per-registration verbs)."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cmi5_support import CMI5, LMS, MOVEON, SESSION, VERBS, ralph, ralph_statements, ralph_venv, xapi_warnings
from lxml import etree
from playwright.sync_api import sync_playwright
from scorm_support import CHROMIUM, CHROMIUM_ARGS, ROOT, minimal_course
from scorm_support.drive import answer_quiz, next_screen, start

from course.compiled import compile_edition
from exporters.scorm.cmi5 import course_iri, export

ACTOR = {"objectType": "Agent", "name": "Test Learner", "account": {"homePage": "https://lms.example.org",
                                                                   "name": "learner-1"}}
CMI5_DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}


@pytest.fixture(scope="module")
def lrs(tmp_path_factory):
    base = tmp_path_factory.mktemp("ralph")
    env_dir = ralph_venv(base)
    with ralph(env_dir, base / "data") as url:
        yield url


@pytest.fixture(scope="module")
def au(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cmi5")
    path = export(compile_edition(minimal_course(), "staff"), out)
    with zipfile.ZipFile(path) as zf:
        zf.extractall(out / "au")
    return out / "au"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _lms(au: Path, lrs: str) -> LMS:
    doc = etree.parse(str(au / "cmi5.xml"))
    node = doc.find("{*}au")
    mastery = node.get("masteryScore")
    return LMS(au, lrs, doc.find("{*}course").get("id"), node.get("id"), float(mastery) if mastery else None,
               node.get("moveOn"))


def _name(statement: dict[str, Any]) -> str:
    return statement["verb"]["id"].removeprefix(VERBS)


def check_cmi5(statements: list[dict[str, Any]], lms: LMS, registration: str) -> None:
    """The cmi5 rules for AU statements, per session and across the registration."""
    sessions: dict[str, list[dict[str, Any]]] = {}
    for s in statements:
        sessions.setdefault(s["context"]["extensions"][SESSION], []).append(s)
    items = {i.id: i for b in minimal_course().quizzes for i in b.items}
    for session in sessions.values():
        names = [_name(s) for s in session]
        assert names[:2] == ["launched", "initialized"], names
        assert names[-1] == "terminated" and names.count("terminated") == 1, names
        for s in session:
            name = _name(s)
            assert s["actor"] == ACTOR
            assert s["context"]["registration"] == registration
            assert s["context"]["contextActivities"]["grouping"] == [{"id": lms.course_iri, "objectType": "Activity"}]
            cats = [c["id"] for c in s["context"]["contextActivities"].get("category", [])]
            if name in CMI5_DEFINED | {"launched"}:
                assert s["object"]["id"] == lms.au_iri and CMI5 in cats, s
            else:
                assert CMI5 not in cats
            if name in {"completed", "passed", "failed"}:
                assert MOVEON in cats and s["result"]["duration"].startswith("PT")
            if name == "completed":
                assert s["result"]["completion"] is True
            if name in {"passed", "failed"}:
                scaled = s["result"]["score"]["scaled"]
                assert s["result"]["success"] is (name == "passed")
                assert (scaled >= lms.mastery) is (name == "passed")
            if name == "terminated":
                assert s["result"]["duration"].startswith("PT")
            if name == "answered":
                item = items[s["object"]["id"].rsplit("/", 1)[1]]
                assert s["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
                ext = s["context"]["extensions"]
                assert ext["urn:x-course-kit:xapi:objective"] == item.objective
                assert ext["urn:x-course-kit:xapi:facts"] == list(item.facts)
                assert "response" in s["result"]
    names = [_name(s) for s in statements]
    assert names.count("completed") <= 1 and names.count("passed") <= 1
    if "passed" in names:
        assert "failed" not in names[names.index("passed"):]


class Launch:
    def __init__(self, browser, lms: LMS, registration: str):
        self.lms, self.errors = lms, []
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(lms.launch(ACTOR, registration))
        self.page.wait_for_selector("#screen-title")
        start(self.page, self.page)

    def adapter(self) -> dict[str, Any]:
        return self.page.evaluate("({mode: CoursePlayer.mode, errors: CoursePlayer.errors})")

    def close(self) -> None:
        """The learner closes the tab: only the keepalive request of pagehide gets out."""
        sent = len(self.lms.received)
        self.page.goto("about:blank")
        self.page.wait_for_timeout(200)
        for _ in range(50):
            if any(_name(s) == "terminated" for s in self.lms.received[sent:]):
                break
            self.page.wait_for_timeout(100)
        self.context.close()
        assert not self.errors, self.errors


def _finish_course(launch: Launch, correct: bool) -> None:
    bank = {b.id: b.items_for("staff") for b in minimal_course().quizzes}
    page = launch.page
    next_screen(page, page)  # lesson
    next_screen(page, page)  # lesson quiz
    answer_quiz(page, page, bank["basics-quiz"], True)
    next_screen(page, page)  # final test
    answer_quiz(page, page, bank["final"], correct)
    next_screen(page, page)  # results


def _validate(lrs: str, lms: LMS, registration: str) -> list[dict[str, Any]]:
    stored = ralph_statements(lrs, registration)
    assert not lms.rejected, lms.rejected
    assert xapi_warnings(stored, ROOT) == []
    check_cmi5(stored, lms, registration)
    return stored


def test_package_structure(au):
    doc = etree.parse(str(au / "cmi5.xml"))
    node = doc.find("{*}au")
    ed = compile_edition(minimal_course(), "staff")
    assert doc.getroot().tag == "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}courseStructure"
    assert doc.find("{*}course").get("id") == course_iri(ed.course_id, "staff")
    assert node.get("moveOn") == "CompletedAndPassed" and float(node.get("masteryScore")) == 0.8
    assert node.find("{*}url").text == "index.html" and (au / "index.html").is_file()
    meta = json.loads((au / "cmi5-meta.js").read_text().split("=", 1)[1].rstrip(";\n"))
    first = ed.lessons[0].quiz.items[0]
    assert meta["items"][first.id] == {"obj": first.objective, "facts": list(first.facts)}


def test_pass(browser, lrs, au):
    lms, registration = _lms(au, lrs), str(uuid.uuid4())
    with lms.serve():
        s = Launch(browser, lms, registration)
        assert s.adapter()["mode"] == "cmi5"
        _finish_course(s, True)
        assert "You passed" in s.page.locator("main").inner_text()
        s.close()
        stored = _validate(lrs, lms, registration)
    names = [_name(x) for x in stored]
    assert names[:2] == ["launched", "initialized"] and names[-1] == "terminated"
    assert "passed" in names and "completed" in names and "failed" not in names
    assert names.count("answered") == len(lms.received) - 4  # initialized, completed, passed, terminated


def test_fail(browser, lrs, au):
    lms, registration = _lms(au, lrs), str(uuid.uuid4())
    with lms.serve():
        s = Launch(browser, lms, registration)
        _finish_course(s, False)
        assert "You did not pass" in s.page.locator("main").inner_text()
        s.close()
        stored = _validate(lrs, lms, registration)
    names = [_name(x) for x in stored]
    assert "failed" in names and "passed" not in names
    failed = next(x for x in stored if _name(x) == "failed")
    assert failed["result"]["score"]["scaled"] < 0.8


def test_suspend_and_resume(browser, lrs, au):
    lms, registration = _lms(au, lrs), str(uuid.uuid4())
    with lms.serve():
        s = Launch(browser, lms, registration)
        next_screen(s.page, s.page)  # lesson
        next_screen(s.page, s.page)  # lesson quiz
        title = s.page.locator("#screen-title").inner_text()
        state_before = s.page.evaluate("CoursePlayer.state()")
        s.close()
        # Relaunch in the same registration: a new session resumes where the learner left off.
        s2 = Launch(browser, lms, registration)
        assert s2.page.locator("#screen-title").inner_text() == title
        assert s2.page.evaluate("CoursePlayer.state()") == state_before
        bank = {b.id: b.items_for("staff") for b in minimal_course().quizzes}
        answer_quiz(s2.page, s2.page, bank["basics-quiz"], True)
        next_screen(s2.page, s2.page)
        answer_quiz(s2.page, s2.page, bank["final"], True)
        next_screen(s2.page, s2.page)
        s2.close()
        stored = _validate(lrs, lms, registration)
    sessions = {x["context"]["extensions"][SESSION] for x in stored}
    assert len(sessions) == 2
    assert [_name(x) for x in stored].count("passed") == 1


def test_browse_mode_sends_no_result(browser, lrs, au):
    lms, registration = _lms(au, lrs), str(uuid.uuid4())
    with lms.serve():
        lms_launch = lms.launch
        lms.launch = lambda actor, reg: lms_launch(actor, reg, "Browse")  # type: ignore[method-assign]
        s = Launch(browser, lms, registration)
        _finish_course(s, True)
        s.close()
        stored = _validate(lrs, lms, registration)
    names = {_name(x) for x in stored}
    assert not names & {"completed", "passed", "failed"}


def test_the_validator_catches_a_broken_statement():
    broken = {"actor": {"objectType": "Agent"}, "verb": {"id": "not an iri"},
              "object": {"id": "urn:x", "objectType": "Activity"}}
    assert xapi_warnings([broken], ROOT)
