"""The built wheel installs next to xblock-sdk in a fresh venv, and the workbench drives the blocks.

The venv is made once per test session (about 15 s with a warm pip cache); the checks run as a
subprocess inside it (tests/olx_support/workbench_check.py) and report JSON.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import sync_playwright
from scorm_support import CHROMIUM, CHROMIUM_ARGS

from exporters.olx.wheel import export as export_wheel
from exporters.olx.xblock_pkg.attachment_course_xblocks import QuizBlock
from exporters.olx.xblock_pkg.attachment_course_xblocks.forms import stratified_draw

SCRIPT = Path(__file__).parent / "olx_support" / "workbench_check.py"
# xblock-sdk 0.14 lists plain XBlock but its settings need djpyfs: XBlock[django] brings it (reference §6).
REQUIREMENTS = ["xblock-sdk==0.14.*", "XBlock[django]"]


@pytest.fixture(scope="session")
def workbench_python(tmp_path_factory) -> Path:
    """A fresh venv holding the built wheel, xblock-sdk and ``XBlock[django]``; returns its python."""
    base = tmp_path_factory.mktemp("xblock-sdk")
    wheel = export_wheel(base)  # the wheel does not depend on the course
    env_dir = base / "venv"
    started = time.monotonic()
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              str(wheel), *REQUIREMENTS], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    print(f"\nxblock-sdk venv ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return python


@pytest.fixture(scope="session")
def workbench_report(workbench_python, tmp_path_factory) -> dict:
    """Run the workbench checks inside the venv."""
    scratch = tmp_path_factory.mktemp("workbench-check")
    run = subprocess.run([str(workbench_python), str(SCRIPT)], cwd=scratch, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_entry_points_registered(workbench_report):
    """Both blocks load through the xblock.v1 entry-point group of the installed wheel."""
    assert workbench_report["entry_points"] == ["attachment_lesson", "attachment_quiz"]


def test_every_scenario_renders(workbench_report):
    """Each workbench scenario page answers 200 and shows the block."""
    pages = workbench_report["scenarios"]
    assert sorted(pages) == ["attachment_lesson.0", "attachment_quiz.0", "attachment_quiz.1"]
    for scenario, page in pages.items():
        assert page["status"] == 200, scenario
    assert "Name how early care can affect trust." in pages["attachment_lesson.0"]["html"]
    assert "Put the cycle in order." in pages["attachment_quiz.0"]["html"]
    assert pages["attachment_quiz.1"]["html"].count('<fieldset class="quiz-item"') == 4  # a drawn form of 4


def test_rendered_quiz_has_no_answer_key(workbench_report):
    """Neither the scenario page nor the student view carries feedback, rationale or keys.

    The workbench's own debug panel (below the block) dumps every field; a learner never sees it.
    """
    page = workbench_report["scenarios"]["attachment_quiz.0"]["html"].split('<section class="debug">')[0]
    assert "Put the cycle in order." in page
    for html in (workbench_report["student_view"], page):
        for secret in ("Yes. Unreliable care can make trust hard.", "The lesson links early care",
                       "Relief keeps the cycle going.", "feedback_true", '"key"', 'value="care"'):
            assert secret not in html


def test_wrong_submission_publishes_a_lower_grade(workbench_report):
    """Two of five items wrong: 3 of 5 points, published as the grade, with per-item feedback."""
    wrong = workbench_report["wrong"]
    assert wrong["status"] == 200
    assert wrong["events"] == [["grade", {"value": 3.0, "max_value": 5.0}]]
    items = {i["id"]: i for i in wrong["body"]["items"]}
    assert items["s-01"]["feedback"] == ["No. The lesson is about trust."] and "rationale" not in items["s-01"]


def test_correct_submission_publishes_the_full_grade(workbench_report):
    """All right: the full grade, and the learner passes."""
    correct = workbench_report["correct"]
    assert correct["status"] == 200
    assert correct["events"] == [["grade", {"value": 5.0, "max_value": 5.0}]]
    assert correct["body"]["passed"] is True and workbench_report["max_score"] == 5.0


def test_attempt_past_the_limit_is_refused(workbench_report):
    """max_attempts=2: the third submission gets 403 and publishes nothing."""
    assert workbench_report["past_limit"]["status"] == 403
    assert workbench_report["past_limit"]["events"] == []


@pytest.mark.parametrize("case", ["malformed_json", "malformed_shape", "unknown_choice"])
def test_malformed_payload_gets_400_and_no_grade(workbench_report, case):
    """Bad JSON, a wrong response type or an unknown choice: 400, no grade event, no attempt used."""
    assert workbench_report[case]["status"] == 400
    assert workbench_report[case]["events"] == []
    assert workbench_report["wrong"]["body"]["attempts"] == 1  # the 400s before it consumed no attempt


# ------------------------------------------------------------------ the live workbench in Chromium

LEARNER = "learner-a"
DRAWN = "attachment_quiz.1"  # the drawn final-test scenario (scenario_final.xml)
SNAPSHOT = """() => {
  const q = document.querySelector('.attachment-quiz');
  const all = sel => Array.from(q.querySelectorAll(sel));
  return {
    legends: all('legend').map(e => e.textContent),
    controls: all('input, select').map(e => [e.name, e.value, e.checked, e.matches(':disabled')]),
    feedback: all('.feedback').map(e => e.textContent),
    result: q.querySelector('.result').textContent,
    attempts: q.querySelector('.attempts').textContent,
    submit: !!q.querySelector('button.submit'),
    retry: !!q.querySelector('button.retry'),
  };
}"""


@pytest.fixture(scope="module")
def workbench_url(workbench_python, tmp_path_factory):
    """The workbench served on 127.0.0.1 with its handler views behind the LMS's CSRF check."""
    scratch = tmp_path_factory.mktemp("workbench-serve")
    log = (scratch / "server.log").open("w")
    proc = subprocess.Popen([str(workbench_python), str(SCRIPT), "serve"], cwd=scratch, stdout=subprocess.PIPE,
                            stderr=log, text=True)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        port = proc.stdout.readline().strip() if ready else ""
        assert port.isdigit(), (scratch / "server.log").read_text()[-3000:]
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def _snapshot(page) -> dict:
    return page.evaluate(SNAPSHOT)


@pytest.fixture(scope="module")
def journey(workbench_url) -> dict:
    """One learner in Chromium: open the drawn quiz, reload, answer, submit, reload, a forged POST,
    reload, try again, reload. Returns what the page showed at each step and what went over the wire."""
    seen: dict = {"errors": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and not msg.location["url"].endswith("/favicon.ico")
                and seen["errors"].append(f"{msg.text} {msg.location['url']}"))  # the SDK has no favicon
        page.goto(f"{workbench_url}/scenario/{DRAWN}/?student={LEARNER}")
        page.wait_for_selector(".attachment-quiz fieldset")
        seen["fresh"] = _snapshot(page)
        page.reload()
        seen["fresh_reloaded"] = _snapshot(page)
        for fieldset in page.locator("fieldset.quiz-item").all():
            fieldset.locator("input").first.check()
        with page.expect_response(lambda r: "/submit/" in r.url) as submitted:
            page.click("button.submit")
        response = submitted.value
        page.wait_for_selector("button.retry")
        seen["submit"] = {"status": response.status, "url": response.url, "body": response.json(),
                          "token_sent": response.request.headers.get("x-csrftoken"),
                          "cookie": {c["name"]: c["value"] for c in page.context.cookies()}.get("csrftoken")}
        seen["submitted"] = _snapshot(page)
        page.reload()
        seen["submitted_reloaded"] = _snapshot(page)
        # The same POST without the header (the cookie still goes along), as the old quiz.js sent it.
        forged = page.request.post(response.url, data=json.dumps({"answers": {}}),
                                   headers={"Content-Type": "application/json"})
        seen["forged"] = {"status": forged.status, "text": forged.text()}
        page.reload()
        seen["after_forged"] = _snapshot(page)
        with page.expect_response(lambda r: "/retry/" in r.url) as retried:
            page.click("button.retry")
        seen["retry_status"] = retried.value.status
        page.wait_for_selector("button.submit")
        seen["second"] = _snapshot(page)
        page.reload()
        seen["second_reloaded"] = _snapshot(page)
        browser.close()
    return seen


def _scenario_items() -> list[dict]:
    xml = QuizBlock.workbench_scenarios()[1][1]
    return [json.loads(el.text) for el in etree.fromstring(xml).findall("item")]


def _stems(snapshot: dict) -> set[str]:
    return {legend.split(". ", 1)[1] for legend in snapshot["legends"]}


def test_block_js_sends_the_csrf_token(journey):
    """quiz.js sends X-CSRFToken from the csrftoken cookie, and the CSRF-checked handler accepts it."""
    assert journey["submit"]["cookie"], "the scenario page set no csrftoken cookie"
    assert journey["submit"]["token_sent"] == journey["submit"]["cookie"]
    assert journey["submit"]["status"] == 200 and journey["submit"]["body"]["attempts"] == 1
    assert journey["errors"] == []


def test_post_without_the_token_is_refused(journey):
    """A handler POST without the header gets Django's 403 and uses no attempt."""
    assert journey["forged"]["status"] == 403 and "CSRF" in journey["forged"]["text"]
    assert journey["after_forged"] == journey["submitted"]


def test_reload_keeps_the_drawn_form(journey):
    """Before any answer, a reload shows the same items in the same order, empty."""
    fresh = journey["fresh"]
    assert fresh == journey["fresh_reloaded"]
    assert len(fresh["legends"]) == 4 and fresh["submit"] and not fresh["retry"]
    assert not any(checked for _, _, checked, _ in fresh["controls"]) and not any(fresh["feedback"])


def test_reload_shows_stored_answers_score_feedback_and_attempts_left(journey):
    """After submit and reload: the same answers checked (read-only), per-item feedback, score, attempts."""
    shown, body = journey["submitted"], journey["submit"]["body"]
    assert journey["submitted_reloaded"] == shown
    assert shown["legends"] == journey["fresh"]["legends"]
    assert sum(checked for _, _, checked, _ in shown["controls"]) == 4
    assert all(disabled for *_, disabled in shown["controls"])
    assert all(text.startswith(("Correct.", "Not fully correct.")) for text in shown["feedback"])
    for item in body["items"]:  # the feedback on screen is the server's feedback for that item
        assert any(all(f in text for f in item["feedback"]) for text in shown["feedback"])
    assert shown["attempts"] == "Attempts left: 2 of 3."
    assert shown["result"] == f"Score: {body['percent']:g}%."
    assert shown["retry"] and not shown["submit"]


def test_each_attempt_draws_its_own_blueprint_form(journey):
    """Try again: a new, empty form drawn for attempt 2 (kept over a reload); every form takes one
    item from each objective, as forms.stratified_draw gives for this learner's seed."""
    second = journey["second"]
    assert journey["retry_status"] == 200 and journey["second_reloaded"] == second
    assert second["submit"] and not any(checked for _, _, checked, _ in second["controls"])
    assert second["attempts"] == "Attempts left: 2 of 3."
    assert second["result"] == f"Your score so far: {journey['submit']['body']['percent']:g}%. " \
        "It stands until you submit this attempt."
    items = _scenario_items()
    stem_of = {i["id"]: i["stem"] for i in items}
    pool = [(i["id"], i["objective"]) for i in items]
    usage = journey["submit"]["url"].split("/handler/")[1].split("/")[0]
    for attempt, shown in ((1, journey["fresh"]), (2, second)):
        drawn = stratified_draw(pool, 1, 4, f"{usage}|{LEARNER}|attempt-{attempt}")
        assert _stems(shown) == {stem_of[i] for i in drawn}
        assert {o for i, o in pool if i in drawn} == {o for _, o in pool}
    assert _stems(journey["fresh"]) != _stems(second)
