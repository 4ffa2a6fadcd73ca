"""What every command shares: the error console, option parsing, loading and checking, failing cleanly.

Commands that exporters contribute (exporters/*/cli.py) import this module, never ``course.cli``, so the
command line has no import cycle and each command imports only what it runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from course.diagnostics import CourseError, SourceError

console = Console(stderr=True, highlight=False, soft_wrap=True)

source_option = click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                             show_default=True, help="folder holding lessons/ and quizzes/")
strict_option = click.option("--strict", is_flag=True, help="treat warnings as errors")
debug_option = click.option("--debug", is_flag=True, help="show tracebacks")


def csv(value: str | None) -> list[str] | None:
    """``"a, b"`` -> ``["a", "b"]``; None for an empty option."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def load_checked(source: Path, strict: bool, editions: list[str] | None = None, quiet: bool = False):
    """Load and check the course; raises SourceError with every diagnostic (``quiet``: no summary, no warnings)."""
    from course import checks
    from course.loader import load_course

    course, found = load_course(source)
    if course is None:
        found.raise_if_errors()
        raise SourceError(found.items)
    report = checks.run(course, editions=editions)
    if not quiet:
        checks.print_summary(report, console)
    report.diagnostics.raise_if_errors(strict)
    for d in [] if quiet else report.diagnostics.items:
        if d.level == "warning":
            console.print(str(d), style="yellow", markup=False)
    return course, report


def fail(exc: CourseError, debug: bool) -> NoReturn:
    """Print the error (every diagnostic of a SourceError) and exit 1."""
    if debug:
        console.print_exception()
    if isinstance(exc, SourceError):
        for d in exc.diagnostics:
            console.print(str(d), style="red" if d.level == "error" else "yellow", markup=False)
        n = sum(1 for d in exc.diagnostics if d.level == "error")
        console.print(f"{n} error(s), {len(exc.diagnostics) - n} warning(s); nothing was written.", markup=False)
    else:
        console.print(f"error: {exc}", style="red", markup=False)
    sys.exit(1)
