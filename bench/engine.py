"""Engine benchmark: build times per format, --jobs 2 against --jobs 1, the no-change rebuild, the work one
build does (editions compiled, check passes), preview save-to-reload, and scaling to 50/200/500 lessons.

Run: ``.venv/bin/python bench/engine.py [--source DIR] [--sizes 50,200,500] [--formats json,report]
[--preview-runs 10]``. Prints figures; asserts nothing. Each build and each synthetic size runs in a fresh
process (so ru_maxrss is its own); the figures are only as steady as the machine is idle.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "courses" / "minimal"


def default_source() -> Path:
    """The real course when it has lessons and quizzes, else the fixture course."""
    if list((ROOT / "lessons").glob("*.md")) and list((ROOT / "quizzes").glob("*.yaml")):
        return ROOT
    return FIXTURE


# ------------------------------------------------------------------ synthetic course


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def make_synthetic(source: Path, dest: Path, n: int) -> Path:
    """Write a course of ``n`` lessons into ``dest`` by repeating the lessons of ``source`` under new ids."""
    (dest / "lessons").mkdir(parents=True)
    (dest / "quizzes").mkdir()
    # Everything but the lessons and the manifest as it is: facts, glossary, pages, snippets, images, rules.
    for path in (source / "lessons").iterdir():
        if path.is_dir():
            shutil.copytree(path, dest / "lessons" / path.name)
        elif path.suffix == ".yaml" and path.name != "course.yaml":
            (dest / "lessons" / path.name).write_bytes(path.read_bytes())
    lessons = []
    for path in sorted((source / "lessons").glob("*.md")):
        meta, body = _split_front_matter(path.read_text(encoding="utf-8"))
        lessons.append((meta, body))
    banks = {}
    for path in sorted((source / "quizzes").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.stem == "evaluation" or data.get("role") == "final":
            (dest / "quizzes" / path.name).write_bytes(path.read_bytes())
        elif data.get("lesson"):
            banks[data["lesson"]] = data
    ids = []
    for i in range(n):
        meta, body = lessons[i % len(lessons)]
        copy = i // len(lessons)
        suffix = f"-r{copy}" if copy else ""
        new = {**meta, "id": f"{meta['id']}{suffix}",
               "objectives": [{**o, "id": f"{o['id']}{suffix}"} for o in meta["objectives"]]}
        ids.append(new["id"])
        (dest / "lessons" / f"{i:04d}-{new['id']}.md").write_text(
            f"---\n{_dump(new)}---\n{body}", encoding="utf-8")
        bank = banks.get(meta["id"])
        if bank:
            items = [{**item, "id": f"{item['id']}{suffix}", "objective": f"{item['objective']}{suffix}"}
                     for item in bank["items"]]
            quiz = {**bank, "id": f"{bank['id']}{suffix}", "lesson": new["id"], "items": items}
            (dest / "quizzes" / f"{i:04d}-{quiz['id']}.yaml").write_text(_dump(quiz), encoding="utf-8")
    manifest = yaml.safe_load((source / "lessons" / "course.yaml").read_text(encoding="utf-8"))
    manifest["lessons"] = ids
    for edition in manifest["editions"].values():
        edition.pop("contact_hours", None)  # the declared hours no longer match: not what we measure
    (dest / "lessons" / "course.yaml").write_text(_dump(manifest), encoding="utf-8")
    return dest


# ------------------------------------------------------------------ measurements


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# The SCORM packages refuse a course whose worst-case suspend_data exceeds SCORM 1.2's 4096 characters
# (500 lessons do), so the player package is measured as cmi5: the same player files and course data.
SCALING_FORMATS = ["json", "cmi5", "olx"]


def child(source: Path, n: int) -> dict[str, Any]:
    """In a fresh process: generate n lessons, then time load + check + the json, player and OLX exports."""
    from course import checks
    from course.build import build
    from course.loader import load_course

    with tempfile.TemporaryDirectory() as tmp:
        course_dir = make_synthetic(source, Path(tmp) / "course", n)
        started = time.perf_counter()
        course, found = load_course(course_dir)
        loaded = time.perf_counter()
        if course is None:
            return {"n": n, "error": "; ".join(str(d) for d in found.errors()[:3])}
        report = checks.run(course)
        checked = time.perf_counter()
        build(course, Path(tmp) / "dist", formats=SCALING_FORMATS, jobs=1)
        done = time.perf_counter()
    return {
        "n": n, "lessons": len(course.lessons),
        "items": sum(len(q.items) for q in course.quizzes),
        "load_s": loaded - started, "check_s": checked - loaded, "export_s": done - checked,
        "total_s": done - started, "per_lesson_ms": 1000 * (done - started) / n,
        "check_errors": len(report.diagnostics.errors()), "peak_rss_mb": _peak_rss_mb(),
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _course_build(source: Path, out: Path, formats: str, *extra: str) -> tuple[float, str]:
    """Wall time of one ``course build``, and a status with its CPU time (steadier on a busy machine)."""
    cmd = [sys.executable, "-m", "course", "build", "--source", str(source), "--out", str(out),
           "--format", formats, *extra]
    started, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    if proc.returncode != 0:
        return elapsed, f"failed (exit {proc.returncode})"
    counts = re.search(r"\((\d+) rendered, (\d+) reused\)", proc.stderr)
    done = f"{counts.group(1)} rendered, {counts.group(2)} reused" if counts else "ok"
    return elapsed, f"cpu {cpu:6.2f} s; {done}"


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def format_times(source: Path, formats: list[str]) -> None:
    """Clean build per format, clean builds of all with --jobs 1 and 2, then a no-change rebuild."""
    print(f"source: {source}")
    print("clean build per format (all editions, --jobs 1, includes load + check, fresh process):")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            elapsed, status = _course_build(source, Path(tmp) / fmt, fmt, "--jobs", "1")
            print(f"  {fmt:<18} {elapsed:7.2f} s  {status}")
        everything = ",".join(formats)
        one, two = Path(tmp) / "jobs1", Path(tmp) / "jobs2"
        serial, status = _course_build(source, one, everything, "--jobs", "1")
        print(f"clean build, all formats, --jobs 1: {serial:7.2f} s  {status}")
        parallel, status = _course_build(source, two, everything, "--jobs", "2")
        print(f"clean build, all formats, --jobs 2: {parallel:7.2f} s  {status}")
        print(f"  --jobs 2 / --jobs 1: {parallel / serial:.2f} (target <= 0.6)")
        rebuild, status = _course_build(source, two, everything, "--jobs", "2")
        print(f"no-change rebuild (--jobs 2):       {rebuild:7.2f} s  {status}")
        print(f"  no-change rebuild / clean build: {100 * rebuild / parallel:.1f} % (target <= 3 %)")
        same = _tree(one) == _tree(two)
        print(f"  --jobs 1, --jobs 2 and the rebuilt output byte-identical: {'yes' if same else 'NO'}")


def work_per_build(source: Path, formats: str) -> dict[str, Any]:
    """In a fresh process: one clean ``course build --jobs 1`` (everything in this process), counting the
    edition compilations and check passes it makes, wherever they are called from."""
    from click.testing import CliRunner

    from course import build as build_module
    from course import checks, compiled
    from course.cli import main as cli

    calls = {"compile": 0, "checks": 0}
    real_compile, real_run = compiled.compile_edition, checks.run

    def counted_compile(*args: Any, **kwargs: Any) -> Any:
        calls["compile"] += 1
        return real_compile(*args, **kwargs)

    def counted_run(*args: Any, **kwargs: Any) -> Any:
        calls["checks"] += 1
        return real_run(*args, **kwargs)

    compiled.compile_edition = build_module.compile_edition = counted_compile  # type: ignore[assignment]
    checks.run = counted_run  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        result = CliRunner().invoke(cli, ["build", "--source", str(source), "--out", str(Path(tmp) / "dist"),
                                          "--format", formats, "--jobs", "1", "--no-cache"])
        artifacts = len(list((Path(tmp) / "dist").rglob("*"))) if result.exit_code == 0 else 0
    return {"exit": result.exit_code, "artifacts": artifacts, **calls}


def print_work_per_build(source: Path, formats: list[str]) -> None:
    proc = subprocess.run([sys.executable, __file__, "--work", ",".join(formats), "--source", str(source)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"work per build: failed: {proc.stderr.strip().splitlines()[-1:]}")
        return
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"work per clean build ({len(formats)} formats, --jobs 1): {row['compile']} edition compilation(s), "
          f"{row['checks']} check pass(es) (target: one per edition, one)")


LESSON_TITLE = re.compile(r"^title: .*$", re.M)


def preview_reload(source: Path, runs: int, edition: str = "staff") -> None:
    """Median time from saving a lesson to the open preview page showing the change (course preview --watch)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        for part in ("lessons", "quizzes"):
            shutil.copytree(source / part, course / part)
        lesson = sorted((course / "lessons").glob("*.md"))[0]
        original = lesson.read_text(encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "course", "preview", "--watch", "--source", str(course),
                                 "--edition", edition, "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        times = []
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            url = re.search(r"http://127\.0\.0\.1:\d+/index\.html", line)
            if not url:
                print(f"preview did not start: {line.strip()}")
                return
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
                page = browser.new_page()
                page.goto(url.group(0))
                page.wait_for_selector("main")
                for run in range(1, runs + 1):
                    marker = f"Edited title {run}"
                    text = LESSON_TITLE.sub(f"title: {marker}", original, count=1)
                    started = time.perf_counter()
                    lesson.write_text(text, encoding="utf-8")
                    page.wait_for_function(f"() => document.body.innerText.includes({marker!r})", timeout=60_000)
                    times.append(time.perf_counter() - started)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"preview --watch, save -> reloaded page shows the change, {runs} saves: "
          f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s (target <= 2 s)")


def scaling(source: Path, sizes: list[int]) -> None:
    """Per-lesson time and peak RSS of synthetic courses, one subprocess each."""
    print(f"synthetic course (load + check + {', '.join(SCALING_FORMATS)} exports, fresh process per size):")
    print(f"  {'lessons':>7} {'items':>6} {'load s':>7} {'check s':>8} {'export s':>8} {'ms/lesson':>10} "
          f"{'peak RSS MB':>12}")
    rows = []
    for n in sizes:
        proc = subprocess.run([sys.executable, __file__, "--child", str(n), "--source", str(source)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"  {n:>7} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        if "error" in row:
            print(f"  {n:>7} does not load: {row['error']}")
            continue
        rows.append(row)
        print(f"  {row['lessons']:>7} {row['items']:>6} {row['load_s']:7.2f} {row['check_s']:8.2f} "
              f"{row['export_s']:8.2f} {row['per_lesson_ms']:10.2f} {row['peak_rss_mb']:12.1f}")
    if len(rows) >= 2:
        ratio = rows[-1]["per_lesson_ms"] / rows[0]["per_lesson_ms"]
        print(f"time per lesson, {rows[-1]['n']} vs {rows[0]['n']} lessons: {ratio:.2f}x (target <= 1.3x); "
              f"peak RSS {rows[-1]['peak_rss_mb']:.0f} MB (target < 1024 MB)")


def main() -> None:
    """Parse arguments and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--formats", default=None, help="default: every installed format")
    parser.add_argument("--skip-formats", action="store_true", help="only the synthetic scaling")
    parser.add_argument("--preview-runs", type=int, default=10, help="saves timed in preview (0: skip)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    source = (args.source or default_source()).resolve()
    if args.child:
        print(json.dumps(child(source, args.child)))
        return
    if args.work:
        print(json.dumps(work_per_build(source, args.work)))
        return
    if not args.skip_formats:
        from exporters import FORMATS

        formats = args.formats.split(",") if args.formats else list(FORMATS)
        format_times(source, formats)
        print_work_per_build(source, formats)
    if args.preview_runs:
        preview_reload(source, args.preview_runs)
    scaling(source, [int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
