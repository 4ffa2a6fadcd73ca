"""Format ``json``: the compiled edition as one JSON document (what the browser player reads)."""

from __future__ import annotations

import json
from pathlib import Path

from course.compiled import compile_edition
from course.model import Course
from exporters import artifact_name


def export(course: Course, edition: str | None, out_dir: Path, *, strict: bool = False) -> Path:
    """Write ``<course-id>-<edition>-json.json``."""
    assert edition is not None
    data = compile_edition(course, edition).model_dump(mode="json")
    path = out_dir / artifact_name(course, edition, "json", "json")
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
