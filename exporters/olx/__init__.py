"""Formats ``olx`` and ``olx-xblock``: a Studio-importable Open edX course archive of one edition.

``flavour="builtin"`` uses only Open edX's built-in blocks (html, capa problems); ``flavour="xblock"``
places this project's attachment_lesson / attachment_quiz blocks (package built by exporters.olx.wheel)
and lists them in ``advanced_modules``. Layout, grading and caveats: docs/openedx.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course.compiled import compile_edition
from course.diagnostics import ExportError
from course.model import Course
from exporters import artifact_name
from exporters._archive import write_tar_gz

FLAVOURS = {"builtin": "olx", "xblock": "olx-xblock"}


def files(course: Course, edition: str, flavour: str = "builtin") -> dict[str, str | bytes]:
    """The archive's files (names start with ``course/``) for one edition."""
    from exporters.olx.tree import OlxTree

    if flavour not in FLAVOURS:
        raise ExportError(f"unknown OLX flavour '{flavour}' (known: {', '.join(FLAVOURS)})")
    return OlxTree(compile_edition(course, edition), flavour).build()


def export(course: Course, edition: str | None, out_dir: Path, *, strict: bool = False,
           flavour: str = "builtin", **options: Any) -> Path:
    """Write ``<course-id>-<edition>-olx.tar.gz`` (or ``-olx-xblock.tar.gz``)."""
    if edition is None:
        raise ExportError("the OLX archive is built per edition")
    content = files(course, edition, flavour)
    return write_tar_gz(out_dir / artifact_name(course, edition, FLAVOURS[flavour], "tar.gz"), content)
