"""``course build``: check, export every edition x format into a temporary folder, then swap it in."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from course.diagnostics import CourseError, ExportError
from course.model import Course

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build wrote (paths relative to the output folder)."""

    artifacts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def plan(course: Course, editions: Sequence[str] | None, formats: Sequence[str] | None) -> list[tuple[str, str | None]]:
    """(format, edition) pairs to build, in a stable order; edition None for edition-less formats."""
    from exporters import FORMATS

    names = list(formats) if formats else [n for n, f in FORMATS.items() if f.available()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise CourseError(f"unknown format(s): {', '.join(unknown)} (known: {', '.join(FORMATS)})")
    eds = list(editions) if editions else list(course.manifest.editions)
    bad = [e for e in eds if e not in course.manifest.editions]
    if bad:
        raise CourseError(f"unknown edition(s): {', '.join(bad)} (known: {', '.join(course.manifest.editions)})")
    jobs: list[tuple[str, str | None]] = []
    for edition in eds:
        for name in names:
            fmt = FORMATS[name]
            if fmt.per_edition and (fmt.editions is None or edition in fmt.editions):
                jobs.append((name, edition))
    jobs += [(n, None) for n in names if not FORMATS[n].per_edition]
    return jobs


def build(course: Course, out: Path, editions: Sequence[str] | None = None,
          formats: Sequence[str] | None = None, strict: bool = False,
          progress: Progress | None = None, options: dict[str, object] | None = None) -> BuildResult:
    """Export into a sibling temp folder and replace ``out`` only when every export succeeded."""
    from exporters import FORMATS

    jobs = plan(course, editions, formats)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    result = BuildResult()
    # Exporters report figures (e.g. SCORM's worst-case suspend_data) on this logger.
    notes = _NoteHandler(result.notes)
    logger = logging.getLogger("course.build")
    logger.addHandler(notes)
    logger.setLevel(logging.INFO)
    certifying = [e for _, e in jobs if e and course.edition(e).certificate]
    if certifying and course.manifest.provider.sample:
        # Declared placeholders are not a check failure (CI builds the sample), but the build says so.
        logger.warning("warning: the CE provider details in lessons/course.yaml are placeholders; the "
                       f"{', '.join(sorted(set(certifying)))} artifacts are stamped SAMPLE [ce.sample]")
    try:
        if out.is_dir():
            # A partial build (--edition/--format) keeps the other artifacts of the last good build.
            shutil.copytree(out, tmp, dirs_exist_ok=True)
        for name, edition in jobs:
            target = tmp / (edition or name)
            target.mkdir(parents=True, exist_ok=True)
            if progress:
                progress(f"{edition or '-'} / {name}")
            try:
                path = FORMATS[name].run(course, edition, target, strict=strict, **(options or {}))
            except CourseError:
                raise
            except Exception as exc:  # noqa: BLE001 - an exporter bug must still leave dist/ intact
                logging.getLogger(__name__).debug("exporter failed", exc_info=True)
                raise ExportError(f"{name} ({edition or 'all editions'}): {type(exc).__name__}: {exc}") from exc
            result.artifacts.append(path.relative_to(tmp))
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(notes)
    return result


class _NoteHandler(logging.Handler):
    """Collects INFO records of the ``course.build`` logger as build notes."""

    def __init__(self, notes: list[str]):
        super().__init__(logging.INFO)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append(record.getMessage())


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new`` using renames, so a reader never sees a half-written tree."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        old.rmdir()
        os.replace(out, old)
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
