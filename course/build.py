"""``course build``: check, export every edition x format into a temporary folder, then swap it in.

Each edition is compiled once per build (course/compiled.py) and the checks run once; every exporter gets
that ``CompiledEdition`` (and the report exporter the check report), never the course itself.

Each artifact has a key (course/cache.py): the hash of the inputs it is made from. An artifact whose key
matches the last good build is taken from it as it is; the others are rendered, in up to ``jobs`` processes
at once (WeasyPrint is CPU-bound), each into a folder of its own, and moved into place. Whatever the number
of processes and whatever was reused, the output is the bytes a clean build gives.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course import cache
from course.checks import Report
from course.compiled import CompiledEdition, compile_edition
from course.diagnostics import CourseError, ExportError
from course.model import Course

Progress = Callable[[str], None]
Job = tuple[str, str | None]  # (format, edition); edition None for edition-less formats


@dataclass
class Decision:
    """Why one artifact was built or reused (``course build --explain``)."""

    label: str
    built: bool
    reason: str
    seconds: float | None = None  # render time of a built artifact


@dataclass
class BuildResult:
    """What a build wrote (paths relative to the output folder)."""

    artifacts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class Outcome:
    """What one export did in its own folder (sent back from a worker process)."""

    artifact: str = ""
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    trace: str = ""
    handoff: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


class ExporterTraceback(Exception):
    """The traceback of an exporter that failed (perhaps in a worker process), as the failure's cause."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan(course: Course, editions: Sequence[str] | None, formats: Sequence[str] | None) -> list[Job]:
    """(format, edition) pairs to build, in a stable order; edition None for edition-less formats."""
    from exporters import FORMATS

    names = list(formats) if formats else list(FORMATS)
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise CourseError(f"unknown format(s): {', '.join(unknown)} (known: {', '.join(FORMATS)})")
    eds = list(editions) if editions else list(course.manifest.editions)
    bad = [e for e in eds if e not in course.manifest.editions]
    if bad:
        raise CourseError(f"unknown edition(s): {', '.join(bad)} (known: {', '.join(course.manifest.editions)})")
    jobs: list[Job] = []
    for edition in eds:
        for name in names:
            fmt = FORMATS[name]
            if fmt.per_edition and (fmt.editions is None or edition in fmt.editions):
                jobs.append((name, edition))
    jobs += [(n, None) for n in names if not FORMATS[n].per_edition]
    return jobs


def job_id(job: Job) -> str:
    """``<edition>/<format>`` (``<format>/<format>`` for edition-less formats): the artifact's record name."""
    name, edition = job
    return f"{edition or name}/{name}"


def build(course: Course, out: Path, editions: Sequence[str] | None = None,
          formats: Sequence[str] | None = None, strict: bool = False,
          progress: Progress | None = None, options: dict[str, object] | None = None,
          jobs: int | None = None, reuse: bool = True, checks: Report | None = None) -> BuildResult:
    """Export into a sibling temp folder and replace ``out`` only when every export succeeded.

    ``progress`` is called with each artifact's label once it is done (built or reused); ``jobs`` is the
    number of export processes (default: the cores); ``reuse=False`` renders everything again; ``checks``:
    the check report the caller already has (else the checks run here, once, if a format needs them).
    """
    from exporters import FORMATS

    todo = plan(course, editions, formats)
    options = {k: v for k, v in (options or {}).items() if v is not None}
    names = list(dict.fromkeys(e for _, e in todo if e))
    compiled = {name: compile_edition(course, name) for name in names}
    needs_checks = [e for f, e in todo if e and FORMATS[f].reads == "checks"]
    if needs_checks and (checks is None or any(e not in checks.editions for e in needs_checks)):
        from course import checks as check_module

        checks = check_module.run(course, editions=names)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    result = BuildResult()
    # Exporters report figures (e.g. SCORM's worst-case suspend_data) on this logger.
    notes = _NoteHandler(result.notes)
    logger = logging.getLogger("course.build")
    logger.addHandler(notes)
    logger.setLevel(logging.INFO)
    certifying = [e for _, e in todo if e and course.edition(e).certificate]
    if certifying and course.manifest.provider.sample:
        # Declared placeholders are not a check failure (CI builds the sample), but the build says so.
        logger.warning("warning: the CE provider details in lessons/course.yaml are placeholders; the "
                       f"{', '.join(sorted(set(certifying)))} artifacts are stamped SAMPLE [ce.sample]")
    try:
        previous = cache.load(out) if out.is_dir() else {}
        if out.is_dir():
            # A partial build (--edition/--format) keeps the other artifacts of the last good build, and a
            # reused one stays as it is. Hard links: nothing here writes into a file, only replaces files.
            shutil.copytree(out, tmp, dirs_exist_ok=True, copy_function=_link)
        inputs = cache.Inputs(compiled, options, strict, checks)
        entries = dict(previous)  # artifacts outside this build keep their record
        keys: dict[Job, cache.Key] = {}
        decisions: dict[Job, Decision] = {}
        render: list[Job] = []
        for job in todo:
            keys[job] = inputs.key(FORMATS[job[0]], job[1])
            old = previous.get(job_id(job))
            reason = cache.why(old, keys[job], tmp) if reuse else "--no-cache"
            decisions[job] = Decision(_label(job), reason is not None,
                                      reason or f"unchanged (key {keys[job].digest[:12]})")
            if reason is None:
                if progress:
                    progress(_label(job))
                continue
            render.append(job)
            for rel in old.files if old else ():
                (tmp / rel).unlink(missing_ok=True)  # a rebuilt artifact leaves nothing stale behind
            entries.pop(job_id(job), None)
        work = tmp / ".work"
        logger.removeHandler(notes)  # from here on, each export's notes are kept with its record

        def finished(job: Job, outcome: Outcome) -> None:
            if outcome.error is not None:
                if outcome.trace:  # an exporter bug: --debug shows where, even from another process
                    raise ExportError(outcome.error) from ExporterTraceback(outcome.trace)
                raise CourseError(outcome.error)
            entries[job_id(job)] = _place(job, outcome, work, tmp, keys[job])
            decisions[job].seconds = outcome.seconds
            if progress:
                progress(_label(job))

        _execute(Shared(compiled, checks), render, work, jobs or default_jobs(), strict, options, finished)
        shutil.rmtree(work, ignore_errors=True)
        for job in todo:
            entry = entries[job_id(job)]
            result.artifacts.append(Path(entry.artifact))
            result.notes.extend(entry.notes)
            result.decisions.append(decisions[job])
        cache.save(tmp, entries)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(notes)
    return result


def _label(job: Job) -> str:
    return f"{job[1] or '-'} / {job[0]}"


@dataclass(frozen=True)
class Shared:
    """What every export of a build reads: the compiled editions and the check report."""

    editions: dict[str, CompiledEdition]
    checks: Report | None


def _execute(shared: Shared, render: list[Job], work: Path, jobs: int, strict: bool,
             options: dict[str, Any], finished: Callable[[Job, Outcome], None]) -> None:
    """Export ``render``, longest first, in-process for one job at a time, else in a process pool.

    A format with ``after`` (the facilitator guide) waits for that format's export of its edition (the
    workbook) when both are built, and receives its handoff (the workbook's page map) instead of laying
    the workbook out again; when the other is reused, it computes the handoff itself."""
    from exporters import FORMATS

    blocked: dict[Job, Job] = {}  # follower -> the job it waits for
    follower: dict[Job, Job] = {}
    for job in render:
        after = FORMATS[job[0]].after
        if after and (after, job[1]) in render:
            blocked[job], follower[(after, job[1])] = (after, job[1]), job
    order = sorted(render, key=lambda j: -FORMATS[j[0]].cost)  # stable: plan order among equals
    extras: dict[Job, dict[str, Any]] = {job: {} for job in render}

    def task(job: Job) -> tuple[Job, Path, bool, dict[str, Any], dict[str, Any], str | None]:
        order.remove(job)
        return job, work, strict, options, extras[job], follower[job][0] if job in follower else None

    def done(job: Job, outcome: Outcome) -> None:
        finished(job, outcome)
        if job in follower:
            del blocked[follower[job]]
            extras[follower[job]] = outcome.handoff

    def ready() -> list[Job]:
        return [j for j in order if j not in blocked]

    if jobs <= 1 or len(render) <= 1:
        while order:
            job = ready()[0]
            done(job, run_job(shared, *task(job)))
        return
    for name in {job[0] for job in render}:
        FORMATS[name].load()  # imported once here, not once per worker (WeasyPrint takes a while)
    # fork: workers start at once and inherit the compiled editions and exporters instead of loading them again.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=min(jobs, len(render)), mp_context=context,
                             initializer=_init_worker, initargs=(shared,)) as pool:
        running: dict[Future[Outcome], Job] = {}
        try:
            while order or running:
                for job in ready()[:max(0, jobs - len(running))]:
                    running[pool.submit(_pooled_job, *task(job))] = job
                complete, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in complete:
                    job = running.pop(future)
                    try:
                        outcome = future.result()
                    except Exception as exc:  # noqa: BLE001 - a dead worker is an export failure, not a traceback
                        raise ExportError(f"{job[0]} ({job[1] or 'all editions'}): the export process failed: "
                                          f"{type(exc).__name__}: {exc}") from exc
                    done(job, outcome)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


_WORKER_SHARED: Shared | None = None


def _init_worker(shared: Shared) -> None:
    global _WORKER_SHARED
    _WORKER_SHARED = shared


def _pooled_job(*args: Any) -> Outcome:
    assert _WORKER_SHARED is not None
    return run_job(_WORKER_SHARED, *args)


def run_job(shared: Shared, job: Job, work: Path, strict: bool, options: dict[str, Any],
            extra: dict[str, Any], provide: str | None) -> Outcome:
    """Export ``job`` into ``work/<edition>/<format>/`` (``extra``: a handoff it received; ``provide``: the
    format whose handoff to compute here afterwards)."""
    from exporters import FORMATS

    name, edition = job
    logger = logging.getLogger("course.build")
    logger.setLevel(logging.INFO)
    folder = work / job_id(job)
    folder.mkdir(parents=True)
    outcome = Outcome()
    handler = _NoteHandler(outcome.notes)
    logger.addHandler(handler)
    started = time.perf_counter()
    try:
        ed = shared.editions[edition] if edition else None
        path = FORMATS[name].run(ed, folder, checks=shared.checks, strict=strict, **options, **extra)
        outcome.artifact = path.relative_to(folder).as_posix()
        outcome.files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        if provide:
            assert ed is not None
            outcome.handoff = FORMATS[provide].hand_off(ed, strict=strict, **options)
    except CourseError as exc:
        outcome.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - an exporter bug must still leave dist/ intact
        outcome.error = f"{name} ({edition or 'all editions'}): {type(exc).__name__}: {exc}"
        outcome.trace = traceback.format_exc()
    finally:
        logger.removeHandler(handler)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _place(job: Job, outcome: Outcome, work: Path, tmp: Path, key: cache.Key) -> cache.Entry:
    """Move a job's files from its work folder to ``tmp/<edition or format>/`` and record them."""
    folder, target = work / job_id(job), tmp / (job[1] or job[0])
    files = {}
    for rel in outcome.files:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder / rel, dest)
        files[dest.relative_to(tmp).as_posix()] = cache.sha256(dest.read_bytes())
    artifact = (target / outcome.artifact).relative_to(tmp).as_posix()
    return cache.Entry(key=key.digest, inputs=key.inputs, artifact=artifact, files=files, notes=outcome.notes)


class _NoteHandler(logging.Handler):
    """Collects INFO records of the ``course.build`` logger as build notes."""

    def __init__(self, notes: list[str]):
        super().__init__(logging.INFO)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append(record.getMessage())


def _link(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links
        shutil.copy2(src, dst)


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
