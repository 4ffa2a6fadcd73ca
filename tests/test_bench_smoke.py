"""The benchmark scripts still run (on the minimal course); their figures are read by people, not asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = str(ROOT / "tests" / "fixtures" / "courses" / "minimal")


@pytest.mark.parametrize(("script", "args", "expect"), [
    ("engine.py", ["--sizes", "2", "--formats", "json,report", "--preview-runs", "1"], "ms/lesson"),
    ("pdf.py", ["--editions", "family", "--repeat", "1"], "facilitator-guide"),
    ("scorm_first_screen.py", ["--runs", "1"], "first interactive screen"),
])
def test_benchmark_runs(script: str, args: list[str], expect: str) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--source", MINIMAL, *args],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert expect in result.stdout
