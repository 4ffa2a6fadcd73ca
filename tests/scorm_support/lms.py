"""The test side of lms.html: launch the course under an LMS profile, read what the LMS kept, relaunch.

A profile (see lms.html) wraps scorm-again with a behaviour seen in the field. ``store`` is what the
LMS server holds (the CMI after every successful Commit/Finish, or every delivered batch for the
asynchronous profiles); :func:`relaunch_seed` turns it into the next session's start, as an LMS does.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from lxml import etree
from playwright.sync_api import Browser

from scorm_support.drive import start

PROFILES = ("strict", "noentry", "emptycount", "noerror", "async", "moodle", "small", "openedx")
FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}


def manifest_mastery(sco: Path, version: str) -> str:
    """The pass mark as the package's manifest states it (0-100), as an LMS hands it on."""
    doc = etree.parse(str(sco / "imsmanifest.xml"))
    mark = doc.find(".//{*}masteryscore" if version == "1.2" else ".//{*}minNormalizedMeasure")
    if mark is None:  # an ungraded edition (family) has no pass mark
        return ""
    return mark.text if version == "1.2" else str(round(float(mark.text) * 100))


def seconds(span: str) -> float:
    """A SCORM time span in seconds: 1.2 ``HHHH:MM:SS.SS`` or 2004 ``PT#H#M#S``; "" is 0."""
    if not span:
        return 0.0
    if ":" in span:
        h, m, s = span.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    found = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?", span)
    assert found, f"not an ISO 8601 duration: {span!r}"
    d, h, m, s = (float(x or 0) for x in found.groups())
    return d * 86400 + h * 3600 + m * 60 + s


def span(total: float, version: str) -> str:
    """Seconds as a SCORM time span of ``version``."""
    h, rest = divmod(round(total, 2), 3600)
    m, s = divmod(rest, 60)
    return f"{int(h):02d}:{int(m):02d}:{s:05.2f}" if version == "1.2" else f"PT{int(h)}H{int(m)}M{s:.2f}S"


def core(cmi: dict, version: str) -> dict:
    """Where status, score, exit, entry and times live: ``cmi.core`` in 1.2, ``cmi`` in 2004."""
    return cmi["core"] if version == "1.2" else cmi


def relaunch_seed(store: dict, version: str) -> dict:
    """What the LMS hands the course at the next launch: its record, the last session's time added
    to total_time, and entry from the last exit ("resume" after suspend, else "")."""
    seed = json.loads(json.dumps(store))
    c = core(seed, version)
    total = seconds(c.get("total_time", "")) + seconds(c.pop("session_time", ""))
    c["total_time"] = span(total, version)
    c["entry"] = "resume" if c.get("exit") == "suspend" else ""
    return seed


class Learner:
    """One learner's browser tab on the test LMS page under ``profile``; each :meth:`launch` is a
    fresh load of the LMS page, handed what the LMS kept (as an LMS does on the next visit)."""

    def __init__(self, browser: Browser, base: str, version: str, sco: Path, profile: str):
        self.version = version
        self.url = f"{base}/lms.html?v={version}&mastery={manifest_mastery(sco, version)}&profile={profile}"
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # The seed survives the reload in sessionStorage (this tab, this origin only).
        self.page.add_init_script("window.__seed = JSON.parse(sessionStorage.getItem('lms-seed') || 'null')"
                                  " || undefined;")
        self.frame = None
        self.started = 0.0
        self.seconds = 0.0

    def launch(self, seed: dict | None = None) -> None:
        """Load the LMS page (seeded with ``seed``, the LMS's record) and wait for the course."""
        if seed is not None:
            if self.page.url == "about:blank":  # sessionStorage needs a page of the LMS's origin
                self.page.goto(self.url.split("/lms.html")[0] + "/no-course-yet")
            self.page.evaluate("s => sessionStorage.setItem('lms-seed', s)", json.dumps(seed))
        self.started = time.monotonic()
        self.page.goto(self.url)
        self.frame = self.page.frame(url=lambda u: "/sco/" in u)
        self.frame.wait_for_function("window.CoursePlayer && document.activeElement")
        self.page.wait_for_function("lmsCalls.some(c => c[0].endsWith('Commit'))")  # the launch is recorded
        start(self.page, self.frame)

    def state(self) -> str:
        """The player's state as it would save it now (its own encoding, through the test hook)."""
        return self.frame.evaluate("CoursePlayer.state()")

    def store(self) -> dict:
        """What the LMS holds now, once everything the course has sent so far has arrived."""
        self.page.wait_for_function("lmsIdle()")
        return self.page.evaluate("lmsStore")

    def focused_visible(self) -> bool:
        """The focused control is inside the course frame's viewport and nothing covers it."""
        return self.frame.evaluate("""(() => {
          const el = document.activeElement, r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
          return r.top >= 0 && r.bottom <= innerHeight + 1 && !!hit && (hit === el || el.contains(hit));
        })()""")

    def close(self, crash: bool = False) -> dict:
        """Close the course as an LMS does (frame -> about:blank) after the learner's pause; with
        ``crash`` nothing sent while unloading arrives. Returns what the LMS kept."""
        self.page.wait_for_function("lmsIdle()")
        self.page.evaluate(f"closeCourse({json.dumps(crash)})")
        self.page.wait_for_function(f"lmsCalls.some(c => c[0] === {FINISH[self.version]!r})")
        self.seconds = time.monotonic() - self.started
        assert not self.errors, self.errors
        return self.page.evaluate("lmsStore")

    def leave(self) -> None:
        """Close the tab."""
        self.context.close()
