"""A command imports only what it runs: `course check` loads no exporter and no WeasyPrint; no import cycle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"


def imported_modules(*args: str) -> set[str]:
    """Modules imported by ``python -m course ARGS`` (from ``-X importtime``, which lists every import)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "course", *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}


def test_check_imports_no_exporter_and_no_weasyprint() -> None:
    modules = imported_modules("check", "--source", str(MINIMAL))
    assert "course.checks" in modules  # the listing is real: check's own modules are in it
    assert not {m for m in modules if m.split(".")[0] in {"weasyprint", "exporters", "pypdf", "lxml"}}


def test_formats_lists_the_registry_without_loading_exporters() -> None:
    modules = imported_modules("formats")
    assert "exporters" in modules
    assert not {m for m in modules if m.startswith(("exporters.", "weasyprint"))}


def test_exporter_commands_do_not_import_the_main_cli() -> None:
    """exporters/*/cli.py use course.console, so neither side of the command line imports the other."""
    code = ("import sys, exporters.scorm.cli, exporters.pdf.cli; "
            "print('course.cli' in sys.modules, 'weasyprint' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=True)
    assert run.stdout.split() == ["False", "False"]


def test_help_lists_the_exporter_commands() -> None:
    run = subprocess.run([sys.executable, "-m", "course", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    for command in ("build", "check", "preview", "certificate", "verify-certificate", "test-form"):
        assert f"  {command} " in run.stdout


def test_every_exporter_command_is_reachable() -> None:
    """Each click command an exporter's cli module defines is listed in course.cli.LAZY (else it is unreachable)."""
    import importlib

    import click

    from course.cli import LAZY

    for name in ("exporters.scorm.cli", "exporters.pdf.cli"):
        module = importlib.import_module(name)
        defined = {obj.name for obj in vars(module).values() if isinstance(obj, click.Command)}
        assert defined <= set(LAZY), (name, defined - set(LAZY))
