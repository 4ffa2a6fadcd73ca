"""Format ``json``: the compiled edition as one JSON document (what the browser player reads)."""

from __future__ import annotations

import json
from pathlib import Path

from course.compiled import CompiledEdition


def export(ed: CompiledEdition, out_dir: Path, *, strict: bool = False) -> Path:
    """Write ``<course-id>-<edition>-json.json``."""
    path = out_dir / ed.artifact("json", "json")
    path.write_text(json.dumps(ed.model_dump(mode="json"), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
