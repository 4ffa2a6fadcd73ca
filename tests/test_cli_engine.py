"""The `course` command line: exit codes, messages, and no tracebacks for expected failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from course.cli import main

MINIMAL = Path(__file__).parent / "fixtures" / "courses" / "minimal"


def test_check_passes_on_minimal() -> None:
    """Exit 0 and a one-line verdict."""
    result = CliRunner().invoke(main, ["check", "--source", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert "check passed: 0 errors" in result.output


def test_check_on_an_empty_folder(tmp_path: Path) -> None:
    """A folder without sources names every missing file; exit 1."""
    result = CliRunner().invoke(main, ["check", "--source", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for name in ("course.yaml", "facts.yaml", "glossary.yaml"):
        assert f"lessons/{name}: error: required file is missing [source.missing]" in lines
    assert "Traceback" not in result.output


def test_formats_lists_json_and_report() -> None:
    """`course formats` names the built-in formats."""
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines() if line.strip()]
    assert {"json", "report"} <= set(names)


def test_real_process_exit_status(tmp_path: Path) -> None:
    """As a real process: diagnostics on the terminal, exit status 1, no traceback."""
    lesson = tmp_path / "lessons"
    lesson.mkdir()
    (lesson / "course.yaml").write_bytes(b"id: x\ntitle: \xff\n")
    proc = subprocess.run([sys.executable, "-m", "course", "check", "--source", str(tmp_path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    output = proc.stdout + proc.stderr
    assert ("lessons/course.yaml:2: error: not valid UTF-8 (byte 0xff at offset 13); save the file as UTF-8 "
            "[source.encoding]") in output.splitlines()
    assert "Traceback" not in output
