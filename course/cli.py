"""The ``course`` command line: parse arguments, call the library, map outcomes to exit codes.

Each command imports what it runs when it runs (``course check`` never loads an exporter); the commands
that exporters contribute are listed in LAZY and imported only when called or listed.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import click

from course.console import console, debug_option, source_option, strict_option
from course.console import csv as _csv
from course.console import fail as _fail
from course.console import load_checked as _load_checked
from course.diagnostics import CourseError

# Commands that exporters contribute: name -> "module:attribute".
LAZY = {
    "preview": "exporters.scorm.cli:preview",
    "certificate": "exporters.pdf.cli:certificate",
    "verify-certificate": "exporters.pdf.cli:verify_certificate",
    "certificate-keygen": "exporters.pdf.cli:certificate_keygen",
}


class _Commands(click.Group):
    """A group whose exporter commands are imported on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY:
            module, _, attr = LAZY[cmd_name].partition(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build the attachment-trauma course from its plain-text sources."""


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
@click.option("--olx-banks", type=click.Choice(["fixed", "itembank"]), default="fixed", show_default=True,
              help="olx archive: one fixed final-test form, or Problem Banks (itembank) that draw per learner")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="export processes at once (default: the number of cores)")
@click.option("--explain", is_flag=True, help="say for each artifact whether it was built or reused, and why")
@click.option("--no-cache", is_flag=True, help="render every artifact, even those unchanged since the last build")
@strict_option
@debug_option
def build(source: Path, out: Path, edition: str | None, formats: str | None, paper: str | None, olx_banks: str,
          jobs: int | None, explain: bool, no_cache: bool, strict: bool, debug: bool) -> None:
    """Check, then export every edition and format into OUT (atomically; unchanged artifacts are reused)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from course.build import build as run_build
    from course.build import plan

    try:
        course, report = _load_checked(source, strict, _csv(edition))
        todo = plan(course, _csv(edition), _csv(formats))
        started = time.perf_counter()
        with Progress(TextColumn("{task.description:<34}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=not console.is_terminal) as bar:
            task = bar.add_task("building", total=len(todo))

            def advance(label: str) -> None:
                bar.update(task, advance=1, description=label)

            result = run_build(course, out, _csv(edition), _csv(formats), strict=strict, progress=advance,
                               options={"paper": paper, "olx_banks": olx_banks},
                               jobs=jobs, reuse=not no_cache, checks=report)
            bar.update(task, completed=len(todo), description="done")
    except CourseError as exc:
        _fail(exc, debug)
    for path in result.artifacts:
        console.print(f"  {out / path}", markup=False)
    for note in result.notes:
        console.print(note, markup=False)
    if explain:
        for decision in result.decisions:
            took = f" ({decision.seconds:.1f} s)" if decision.seconds is not None else ""
            console.print(f"{'built ' if decision.built else 'reused'}  {decision.label:<28} {decision.reason}{took}",
                          markup=False)
    built = sum(1 for d in result.decisions if d.built)
    console.print(f"built {len(result.artifacts)} artifact(s) in {time.perf_counter() - started:.1f} s "
                  f"({built} rendered, {len(result.decisions) - built} reused)", markup=False)


@main.command("test-form")
@source_option
@click.option("--edition", required=True, help="the edition whose final test is drawn (staff, ce)")
@click.option("--seed", type=click.IntRange(min=0), required=True,
              help="form number N: the form the player gives learner id N on attempt 1 (seed 'N|<quiz id>|1')")
@click.option("--json", "as_json", is_flag=True, help='print {"seed": N, "items": [{"id", "objective"}, ...]}')
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="write the paper test here as PDF, and the answer sheet beside it as <name>-answers.pdf")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@debug_option
def test_form(source: Path, edition: str, seed: int, as_json: bool, out: Path | None, paper: str,
              debug: bool) -> None:
    """Print one drawn form of the final test (paper test and answer sheet), as the player would draw it."""
    import json

    from course.compiled import compile_edition
    from course.forms import form_json, paper_seed

    try:
        course, _ = _load_checked(source, strict=False, editions=[edition], quiet=True)
        if edition not in course.manifest.editions:
            raise CourseError(f"unknown edition '{edition}' (known: {', '.join(course.manifest.editions)})")
        ed = compile_edition(course, edition)
        data = form_json(ed, seed)
        if out is not None:
            from exporters import testform

            for path in testform.write(ed, seed, out, paper):
                console.print(f"  {path}", markup=False)
    except CourseError as exc:
        _fail(exc, debug)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
    elif out is None:
        click.echo(f"form {seed} of the {edition} final test (seed {paper_seed(seed, ed.final_test.id)}):")
        for number, entry in enumerate(data["items"], start=1):  # type: ignore[arg-type]
            click.echo(f"{number:>3}. {entry['id']:<12} {entry['objective']}")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@source_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("analysis"),
              show_default=True, help="folder for analysis.html and analysis.json")
@click.option("--thresholds", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="YAML with flag thresholds (default: course/analysis/thresholds.yaml)")
@click.option("--lrs", help="read 'answered' statements from this LRS (xAPI base URL)")
@click.option("--auth", envvar="COURSE_LRS_AUTH", help="LRS basic auth as key:secret (or COURSE_LRS_AUTH)")
@debug_option
def analyze(inputs: tuple[Path, ...], source: Path, out: Path, thresholds: Path | None, lrs: str | None,
            auth: str | None, debug: bool) -> None:
    """Item statistics from learners' responses (xAPI JSON, SCORM or Moodle CSV, Open edX CSV)."""
    from course.analysis import InputError, run, write

    if not inputs and not lrs:
        raise click.UsageError("give at least one input file or --lrs URL")
    try:
        course, _ = _load_checked(source, False)
        for path in inputs:
            if not path.is_file():
                raise InputError(f"{path}: no such file")
        analysis = run(course, list(inputs), thresholds=thresholds, lrs=lrs, auth=auth)
        written = write(analysis, out, source)
    except InputError as exc:
        console.print(f"error: {exc}", style="red", markup=False)
        sys.exit(1)
    except CourseError as exc:
        _fail(exc, debug)
    responses = sum(analysis.inputs.values())
    console.print(f"{responses} response(s), {len(analysis.items)} item(s), {len(analysis.flagged)} flagged",
                  markup=False)
    for item in analysis.flagged:
        console.print(f"  {item.source}: {item.id}: {'; '.join(item.flags)}", markup=False)
    for path in written:
        console.print(f"  {path}", markup=False)


@main.command("formats")
def list_formats() -> None:
    """List the output formats."""
    from exporters import FORMATS

    for fmt in FORMATS.values():
        click.echo(f"{fmt.name:<18} {fmt.description}")
