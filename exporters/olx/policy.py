"""Course policies: grading policy reproducing the edition's pass rule, policy.json, and the course image."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass

from course.compiled import CompiledEdition

PRACTICE = "Practice"


@dataclass(frozen=True)
class GradedQuiz:
    """A graded subsection: its assignment type (one per quiz) and the points it carries."""

    fmt: str
    short_label: str
    points: float


def grading_policy(edition: CompiledEdition, graded: list[GradedQuiz]) -> dict:
    """GRADER with one type per graded quiz, weighted by its points, so the LMS course percentage equals
    points earned / points possible across every graded quiz; GRADE_CUTOFFS holds the result's pass mark.

    An ungraded edition (family) has nothing graded: a single unused placeholder type keeps the policy valid,
    so no learner ever gets a pass/fail status from quiz results.
    """
    cutoff = round((edition.result_pass_mark or 0) / 100, 4) or 0.01
    total = sum(g.points for g in graded)
    if not graded or total <= 0:
        grader = [{"type": PRACTICE, "short_label": "P", "min_count": 1, "drop_count": 0, "weight": 1.0}]
        return {"GRADER": grader, "GRADE_CUTOFFS": {"Pass": cutoff}}
    weights = [round(g.points / total, 6) for g in graded]
    weights[-1] = round(1.0 - sum(weights[:-1]), 6)  # weights must add up to exactly 1
    grader = [{"type": g.fmt, "short_label": g.short_label, "min_count": 1, "drop_count": 0, "weight": w}
              for g, w in zip(graded, weights, strict=True)]
    return {"GRADER": grader, "GRADE_CUTOFFS": {"Pass": cutoff}}


def course_dates(release: dt.date) -> tuple[str, str]:
    """Course start (the release date) and end (five years on): only the manifest date reaches the output."""
    end = release.replace(year=release.year + 5) if not (release.month == 2 and release.day == 29) \
        else release.replace(year=release.year + 5, day=28)
    return f"{release.isoformat()}T00:00:00Z", f"{end.isoformat()}T00:00:00Z"


def policy(edition: CompiledEdition, run: str, *, image: str, advanced_modules: list[str]) -> dict:
    """``policies/<run>/policy.json``: course settings that Studio keeps outside course/<run>.xml."""
    start, end = course_dates(edition.date)
    settings = {
        "display_name": f"{edition.title} ({edition.settings.title})",
        "start": start,
        "end": end,
        "course_image": image,
        "language": edition.language,
        "advanced_modules": advanced_modules,
        "showanswer": "finished",
        "show_calculator": False,
        "cert_html_view_enabled": edition.settings.certificate,
        "tabs": [
            {"type": "courseware", "name": "Course"},
            {"type": "course_info", "name": "Home"},
            {"type": "progress", "name": "Progress"},
        ],
    }
    return {f"course/{run}": settings}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def course_image(width: int = 378, height: int = 225) -> bytes:
    """A small deterministic PNG (soft gradient) for the course card; olxcleaner requires one."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes((40 + 60 * x // width, 90 + 60 * y // height, 120))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(rows), 9)) \
        + _chunk(b"IEND", b"")
