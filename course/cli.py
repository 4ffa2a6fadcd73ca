"""The ``course`` command line: parse arguments, call the library, map outcomes to exit codes."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from course.diagnostics import CourseError, SourceError

console = Console(stderr=True, highlight=False, soft_wrap=True)
# Commands that exporters contribute (each module exposes COMMANDS: list[click.Command]).
EXTENSIONS = ("exporters.scorm.cli", "exporters.pdf.cli")


def _csv(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _load_checked(source: Path, strict: bool, editions: list[str] | None = None):
    """Load and check the course; raises SourceError with every diagnostic."""
    from course import checks
    from course.loader import load_course

    course, found = load_course(source)
    if course is None:
        found.raise_if_errors()
        raise SourceError(found.items)
    report = checks.run(course, editions=editions)
    checks.print_summary(report, console)
    report.diagnostics.raise_if_errors(strict)
    for d in report.diagnostics.items:
        if d.level == "warning":
            console.print(str(d), style="yellow", markup=False)
    return course, report


def _fail(exc: CourseError, debug: bool) -> None:
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build the attachment-trauma course from its plain-text sources."""


source_option = click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                             show_default=True, help="folder holding lessons/ and quizzes/")
strict_option = click.option("--strict", is_flag=True, help="treat warnings as errors")
debug_option = click.option("--debug", is_flag=True, help="show tracebacks")


@main.command()
@source_option
@click.option("--edition", help="comma-separated editions (default: all)")
@strict_option
@debug_option
def check(source: Path, edition: str | None, strict: bool, debug: bool) -> None:
    """Validate the sources and run every course check."""
    try:
        _, report = _load_checked(source, strict, _csv(edition))
    except CourseError as exc:
        _fail(exc, debug)
    warnings = sum(1 for d in report.diagnostics.items if d.level == "warning")
    console.print(f"check passed: 0 errors, {warnings} warning(s)", markup=False)


@main.command()
@source_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"), show_default=True)
@click.option("--edition", help="comma-separated editions (default: all)")
@click.option("--format", "formats", help="comma-separated formats (default: all; see `course formats`)")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default=None,
              help="paper size of the PDFs (default: `paper` in lessons/course.yaml)")
@strict_option
@debug_option
def build(source: Path, out: Path, edition: str | None, formats: str | None, paper: str | None, strict: bool,
          debug: bool) -> None:
    """Check, then export every edition and format into OUT (atomically)."""
    from course.build import build as run_build
    from course.build import plan

    try:
        course, _ = _load_checked(source, strict, _csv(edition))
        jobs = plan(course, _csv(edition), _csv(formats))
        started = time.perf_counter()
        with Progress(TextColumn("{task.description:<34}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=not console.is_terminal) as bar:
            task = bar.add_task("building", total=len(jobs))
            started_jobs = 0

            def advance(label: str) -> None:
                # Called as each job starts: the previous one has finished.
                nonlocal started_jobs
                bar.update(task, completed=started_jobs, description=label)
                started_jobs += 1

            result = run_build(course, out, _csv(edition), _csv(formats), strict=strict, progress=advance,
                               options={"paper": paper or course.manifest.paper})
            bar.update(task, completed=len(jobs), description="done")
    except CourseError as exc:
        _fail(exc, debug)
    for path in result.artifacts:
        console.print(f"  {out / path}", markup=False)
    for note in result.notes:
        console.print(note, markup=False)
    console.print(f"built {len(result.artifacts)} artifact(s) in {time.perf_counter() - started:.1f} s", markup=False)


@main.command("formats")
def list_formats() -> None:
    """List the output formats."""
    from exporters import FORMATS

    for fmt in FORMATS.values():
        click.echo(f"{fmt.name:<18} {fmt.description}")


def _add_extensions() -> None:
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that exporter is not installed yet
            raise
        for command in getattr(module, "COMMANDS", []):
            main.add_command(command)


_add_extensions()
