"""Byte-identical builds across processes and time: no clock reaches dist/ (font subsets included)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from pdf_support.pdfcheck import FIXTURES

from exporters import FORMATS as REGISTRY

# Every registered format of the small fixture course: the whole of dist/ (issue #12), build-key record included.
FORMATS = ",".join(REGISTRY)
# Runs `course build` in a fresh interpreter. With FONTTOOLS set, WeasyPrint subsets fonts with fontTools
# (its fallback when HarfBuzz-subset is missing, as on a fresh machine), which stamps each subset's
# `head.modified` with the clock unless SOURCE_DATE_EPOCH is pinned.
BUILD = """
import sys
if sys.argv[1] == "fonttools":
    import weasyprint.pdf.fonts
    weasyprint.pdf.fonts.harfbuzz_subset = None
from course.cli import main
main(["build", "--source", sys.argv[2], "--out", sys.argv[3], "--format", sys.argv[4]], standalone_mode=True)
"""


def _build(subsetter: str, out: Path) -> None:
    result = subprocess.run([sys.executable, "-c", BUILD, subsetter, str(FIXTURES / "pdf-two-lessons"), str(out),
                             FORMATS], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_builds_in_separate_processes_are_byte_identical(subsetter: str, tmp_path: Path) -> None:
    _build(subsetter, tmp_path / "first")
    time.sleep(2.1)  # the font timestamp has one-second resolution: a clock would show
    _build(subsetter, tmp_path / "second")
    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")
    assert sum(name.endswith(".pdf") for name in first) >= 7  # 3 editions x 2 books + the certificate
    assert ".build-keys.json" in first and any(name.endswith("-cmi5.zip") for name in first)
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
