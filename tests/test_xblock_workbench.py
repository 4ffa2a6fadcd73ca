"""The built wheel installs next to xblock-sdk in a fresh venv, and the workbench drives the blocks.

The venv is made once per test session (about 15 s with a warm pip cache); the checks run as a
subprocess inside it (tests/olx_support/workbench_check.py) and report JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from exporters.olx.wheel import export as export_wheel

SCRIPT = Path(__file__).parent / "olx_support" / "workbench_check.py"
# xblock-sdk 0.14 lists plain XBlock but its settings need djpyfs: XBlock[django] brings it (reference §6).
REQUIREMENTS = ["xblock-sdk==0.14.*", "XBlock[django]"]


@pytest.fixture(scope="session")
def workbench_report(tmp_path_factory) -> dict:
    """Install the wheel and xblock-sdk into a fresh venv and run the workbench checks there."""
    base = tmp_path_factory.mktemp("xblock-sdk")
    wheel = export_wheel(None, None, base)  # the wheel does not depend on the course
    env_dir = base / "venv"
    started = time.monotonic()
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              str(wheel), *REQUIREMENTS], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    print(f"\nxblock-sdk venv ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
    scratch = base / "run"
    scratch.mkdir()
    run = subprocess.run([str(python), str(SCRIPT)], cwd=scratch, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_entry_points_registered(workbench_report):
    """Both blocks load through the xblock.v1 entry-point group of the installed wheel."""
    assert workbench_report["entry_points"] == ["attachment_lesson", "attachment_quiz"]


def test_every_scenario_renders(workbench_report):
    """Each workbench scenario page answers 200 and shows the block."""
    pages = workbench_report["scenarios"]
    assert sorted(pages) == ["attachment_lesson.0", "attachment_quiz.0"]
    for scenario, page in pages.items():
        assert page["status"] == 200, scenario
    assert "Name how early care can affect trust." in pages["attachment_lesson.0"]["html"]
    assert "Put the cycle in order." in pages["attachment_quiz.0"]["html"]


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
