"""Formats ``olx`` and ``olx-xblock``: a Studio-importable Open edX course archive of one edition.

``flavour="builtin"`` uses only Open edX's built-in blocks (html, capa problems); ``flavour="xblock"``
places this project's attachment_lesson / attachment_quiz blocks (package built by exporters.olx.wheel)
and lists them in ``advanced_modules``. Layout, grading and caveats: docs/openedx.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course.compiled import CompiledEdition
from course.diagnostics import ExportError
from exporters._archive import write_tar_gz

FLAVOURS = {"builtin": "olx", "xblock": "olx-xblock"}


BANKS = ("fixed", "itembank")


def files(ed: CompiledEdition, flavour: str = "builtin", banks: str = "fixed") -> dict[str, str | bytes]:
    """The archive's files (names start with ``course/``) for one edition.

    ``banks="itembank"`` (builtin flavour, Open edX releases with the Problem Bank block) turns each drawn
    quiz into Problem Banks that draw per learner; the default ``"fixed"`` exports one fixed form.
    """
    from exporters.olx.tree import OlxTree

    if flavour not in FLAVOURS:
        raise ExportError(f"unknown OLX flavour '{flavour}' (known: {', '.join(FLAVOURS)})")
    if banks not in BANKS:
        raise ExportError(f"unknown OLX bank mode '{banks}' (known: {', '.join(BANKS)})")
    return OlxTree(ed, flavour, banks).build()


def export(ed: CompiledEdition, out_dir: Path, *, strict: bool = False,
           flavour: str = "builtin", olx_banks: str = "fixed", **options: Any) -> Path:
    """Write ``<course-id>-<edition>-olx.tar.gz`` (or ``-olx-xblock.tar.gz``)."""
    content = files(ed, flavour, olx_banks)
    return write_tar_gz(out_dir / ed.artifact(FLAVOURS[flavour], "tar.gz"), content)
