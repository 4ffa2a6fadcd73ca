"""Compile once: a build compiles each edition once and runs the checks once; exporters read only the
``CompiledEdition`` they are given (and the report exporter the check report), never the course."""

from __future__ import annotations

import ast
import inspect
import re
import typing
from pathlib import Path

import pytest
from test_build import MINIMAL, run_build

from course import build as build_module
from course import checks, compiled
from course.compiled import CompiledEdition
from exporters import FORMATS

EXPORTERS = Path(__file__).resolve().parent.parent / "exporters"
# The command modules load sources for the commands they add (preview, certificate); the XBlock package is
# installed into Open edX on its own and cannot import the engine.
NOT_EXPORTERS = {"scorm/cli.py", "pdf/cli.py"}
# What only the build may use: loading and compiling sources, running the checks, the course itself.
FORBIDDEN_NAMES = {"compile_edition", "load_course", "Course"}
FORBIDDEN_MODULES = {"course.loader", "course.build", "course.cache"}


def _exporter_modules() -> list[Path]:
    return [p for p in sorted(EXPORTERS.rglob("*.py"))
            if "xblock_pkg" not in p.parts and p.relative_to(EXPORTERS).as_posix() not in NOT_EXPORTERS]


@pytest.mark.parametrize("path", _exporter_modules(), ids=lambda p: p.relative_to(EXPORTERS).as_posix())
def test_exporter_modules_cannot_reach_the_course(path: Path) -> None:
    """No exporter module imports the loader, the compiler or the Course model, nor calls the checks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [f"{node.module}.{a.name}" for a in node.names if a.name in FORBIDDEN_NAMES]
            if node.module in FORBIDDEN_MODULES:
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in FORBIDDEN_MODULES]
        elif isinstance(node, ast.Attribute) and node.attr == "run" and isinstance(node.value, ast.Name) \
                and node.value.id == "checks":
            found.append("checks.run")
    assert found == []


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_exporter_takes_the_compiled_edition(name: str) -> None:
    """Per-edition exporters are ``export(ed: CompiledEdition, out_dir, ...)``; the wheel takes no edition."""
    fmt = FORMATS[name]
    function = fmt.load()
    hints = typing.get_type_hints(function)
    params = list(inspect.signature(function).parameters)
    if fmt.per_edition:
        assert params[:2] == ["ed", "out_dir"] and hints["ed"] is CompiledEdition
    else:
        assert params[0] == "out_dir"
    assert ("checks" in params) == (fmt.reads == "checks")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Record every compile_edition and checks.run call, wherever it comes from."""
    calls: dict[str, list] = {"compile": [], "checks": []}
    real_compile, real_run = compiled.compile_edition, checks.run

    def compile_edition(course, edition):  # noqa: ANN001, ANN202
        calls["compile"].append(edition)
        return real_compile(course, edition)

    def run(course, editions=None):  # noqa: ANN001, ANN202
        calls["checks"].append(editions)
        return real_run(course, editions)

    for module in (compiled, build_module):
        monkeypatch.setattr(module, "compile_edition", compile_edition)
    monkeypatch.setattr(checks, "run", run)
    return calls


FORMATS_NO_LAYOUT = "json,report,scorm12,scorm2004,cmi5,olx,olx-xblock,certificate,xblock"


def test_a_build_compiles_each_edition_once_and_checks_once(counted: dict[str, list], tmp_path: Path) -> None:
    code, output = run_build(MINIMAL, tmp_path / "dist", "--format", FORMATS_NO_LAYOUT, "--jobs", "1", "--no-cache")
    assert code == 0, output
    assert sorted(counted["compile"]) == ["ce", "family", "staff"]
    assert len(counted["checks"]) == 1  # `course build` checks before it exports; the reports get that result
    assert len(list((tmp_path / "dist").glob("*/*-report.json"))) == 3


def test_the_build_api_runs_the_checks_itself_only_when_a_format_needs_them(counted: dict[str, list],
                                                                          tmp_path: Path) -> None:
    from course.loader import load_course

    course, _ = load_course(MINIMAL)
    assert course is not None
    build_module.build(course, tmp_path / "a", formats=["json", "olx"], jobs=1)
    assert counted["checks"] == []
    build_module.build(course, tmp_path / "b", editions=["staff"], formats=["report"], jobs=1)
    assert counted["checks"] == [["staff"]]
    assert counted["compile"] == ["staff", "family", "ce", "staff"]


def test_a_reports_diagnostics_are_its_own_editions_whichever_editions_were_checked() -> None:
    """The report of one edition lists the course-wide findings and its own, not another edition's."""
    from course.loader import load_course

    course, _ = load_course(MINIMAL)
    assert course is not None
    together = checks.run(course)
    assert all(together.editions[e].diagnostics for e in ("staff", "ce"))  # the fixture has edition findings
    for edition in course.manifest.editions:
        alone = checks.run(course, editions=[edition])
        assert [str(d) for d in together.diagnostics_for(edition)] == [str(d) for d in alone.diagnostics.items]


# Edition settings that a quiz or the course result can override: the compiled edition resolves them
# (CompiledQuiz.pass_mark/attempts, CompiledEdition.result_pass_mark/result_attempts/home_study_hours).
OVERRIDDEN_SETTINGS = ("pass_mark", "attempts", "contact_hours", "draw", "shuffle", "paper")


def test_no_exporter_or_template_reads_an_edition_default() -> None:
    """Templates and exporter code state resolved values only, never the edition's default for them."""
    pattern = re.compile(r"settings\.(" + "|".join(OVERRIDDEN_SETTINGS) + r")\b")
    found = [f"{p.relative_to(EXPORTERS)}: {m.group(0)}"
             for p in sorted(EXPORTERS.rglob("*")) if p.suffix in (".py", ".html", ".xml", ".js")
             and "xblock_pkg" not in p.parts
             for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
