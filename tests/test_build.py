"""`course build`: atomic (a failure leaves dist/ as it was) and deterministic (byte-identical rebuilds)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from course.cli import main
from exporters import Format

MINIMAL = Path(__file__).parent / "fixtures" / "courses" / "minimal"
FORMATS = "json,report"


def tree_hash(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``root``."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def run_build(source: Path, out: Path, *extra: str) -> tuple[int, str]:
    """`course build` in-process; exit code and output."""
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(out), *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def assert_failed_untouched(course: Path, dist: Path, before: dict[str, str], message: str, *extra: str) -> None:
    """Build again: exit 1 with ``message``, no traceback, dist/ unchanged and no temp folder left."""
    code, output = run_build(course, dist, "--format", FORMATS, *extra)
    assert code == 1
    assert message in output
    assert "Traceback" not in output
    assert tree_hash(dist) == before
    assert [p.name for p in dist.parent.iterdir() if p.name.startswith(".dist")] == []


@pytest.fixture()
def course(tmp_path: Path) -> Path:
    """A private copy of the minimal course that a test may break."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "course"))


@pytest.fixture()
def good_dist(course: Path, tmp_path: Path) -> Path:
    """dist/ after one good build."""
    out = tmp_path / "dist"
    code, output = run_build(course, out, "--format", FORMATS)
    assert code == 0, output
    return out


def test_good_build_writes_every_edition(good_dist: Path) -> None:
    """One json per edition, named by the artifact rule, and the report."""
    files = set(tree_hash(good_dist))
    for edition in ("staff", "family", "ce"):
        assert f"{edition}/mini-course-{edition}-json.json" in files
    assert any("report" in f for f in files)


def test_failed_check_leaves_dist_untouched(course: Path, good_dist: Path) -> None:
    """Break a source after a good build: the build fails and dist/ is byte-for-byte as it was."""
    before = tree_hash(good_dist)
    quiz = course / "quizzes" / "basics.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("    key: true\n", "    key: true\n    corect: 1\n"),
                    encoding="utf-8")
    assert_failed_untouched(course, good_dist, before, "[schema.extra_forbidden]")


def test_failing_exporter_leaves_dist_untouched(course: Path, good_dist: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """An exporter that raises midway (after others wrote files) changes nothing in dist/."""
    before = tree_hash(good_dist)
    original = Format.run

    def explode(self: Format, ed, out_dir, **extra):
        if self.name == "report" and ed.edition == "ce":
            (out_dir / "half-written.tmp").write_text("partial", encoding="utf-8")
            raise RuntimeError("disk on fire")
        return original(self, ed, out_dir, **extra)

    monkeypatch.setattr(Format, "run", explode)
    # --no-cache: nothing changed, so the report would otherwise be reused rather than exported again.
    assert_failed_untouched(course, good_dist, before, "error: report (ce): RuntimeError: disk on fire", "--no-cache")


def test_two_builds_are_byte_identical(course: Path, tmp_path: Path) -> None:
    """Deterministic output: no clocks, no random order."""
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_build(course, first, "--format", FORMATS)[0] == 0
    assert run_build(course, second, "--format", FORMATS)[0] == 0
    assert tree_hash(first) == tree_hash(second)
    assert tree_hash(first)


def test_rebuild_in_place_is_identical(good_dist: Path, course: Path) -> None:
    """Rebuilding over the last dist/ gives the same bytes."""
    before = tree_hash(good_dist)
    assert run_build(course, good_dist, "--format", FORMATS)[0] == 0
    assert tree_hash(good_dist) == before


def test_partial_build_keeps_other_artifacts(good_dist: Path, course: Path) -> None:
    """--edition builds one edition and keeps the others from the last good build."""
    before = tree_hash(good_dist)
    code, output = run_build(course, good_dist, "--format", "json", "--edition", "staff")
    assert code == 0, output
    assert tree_hash(good_dist) == before


def test_unknown_format(course: Path, tmp_path: Path) -> None:
    """An unknown --format is a clear error, exit 1, nothing written."""
    out = tmp_path / "dist"
    code, output = run_build(course, out, "--format", "json,pfd")
    assert code == 1
    assert "error: unknown format(s): pfd (known: json, report," in output
    assert "Traceback" not in output
    assert not out.exists()


def test_unknown_edition(course: Path, tmp_path: Path) -> None:
    """An unknown --edition is a clear error too."""
    code, output = run_build(course, tmp_path / "dist", "--format", "json", "--edition", "staf")
    assert code == 1
    assert "unknown edition(s): staf" in output
