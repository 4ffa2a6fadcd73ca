"""Format ``report``: the check report of one edition as JSON and HTML (alignment matrix included)."""

from __future__ import annotations

import json
from pathlib import Path

from course import checks
from course.model import Course
from exporters import artifact_name
from exporters._templates import environment


def export(course: Course, edition: str | None, out_dir: Path, *, strict: bool = False) -> Path:
    """Write ``<id>-<edition>-report.json`` and ``.html``; returns the JSON path."""
    assert edition is not None
    report = checks.run(course, editions=[edition])
    rep = report.editions[edition]
    objectives = [
        {"id": o.id, "lesson": lesson.id, "text": o.text, "items": rep.matrix.get(o.id, []),
         "final_items": rep.final_matrix.get(o.id, [])}
        for lesson, o in course.objectives()
    ]
    data = {
        "course": course.id, "version": course.manifest.version, "edition": edition,
        "diagnostics": [str(d) for d in report.diagnostics.items],
        "objectives": objectives, "item_facts": rep.item_facts,
        "reading_grade": rep.grades, "words": rep.words, "items": rep.items,
        "contact_hours": rep.contact_hours, "contact_method": rep.contact_method,
        "added_facts": [{"id": f.id, "statement": f.statement, "basis": f.basis} for f in course.facts.added],
    }
    path = out_dir / artifact_name(course, edition, "report", "json")
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    html = environment("exporters", "report_templates").get_template("report.html").render(
        course=course, data=data, edition=edition)
    (out_dir / artifact_name(course, edition, "report", "html")).write_text(html, encoding="utf-8")
    return path
