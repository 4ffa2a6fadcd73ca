"""Engine benchmark: build times per format, no-change rebuild, and scaling to 50/200/500 lessons.

Run: ``.venv/bin/python bench/engine.py [--source DIR] [--sizes 50,200,500] [--formats json,report]``.
Prints figures; asserts nothing. Each synthetic size runs in a fresh subprocess so ru_maxrss is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
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
    (dest / "lessons" / "pages").mkdir(parents=True)
    (dest / "quizzes").mkdir()
    for name in ("facts.yaml", "glossary.yaml"):
        (dest / "lessons" / name).write_bytes((source / "lessons" / name).read_bytes())
    for page in (source / "lessons" / "pages").glob("*.md"):
        (dest / "lessons" / "pages" / page.name).write_bytes(page.read_bytes())
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


def child(source: Path, n: int) -> dict[str, Any]:
    """In a fresh process: generate n lessons, then time load + check + json export."""
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
        build(course, Path(tmp) / "dist", formats=["json"])
        done = time.perf_counter()
    return {
        "n": n, "lessons": len(course.lessons),
        "items": sum(len(q.items) for q in course.quizzes),
        "load_s": loaded - started, "check_s": checked - loaded, "json_s": done - checked,
        "total_s": done - started, "per_lesson_ms": 1000 * (done - started) / n,
        "check_errors": len(report.diagnostics.errors()), "peak_rss_mb": _peak_rss_mb(),
    }


def _course_build(source: Path, out: Path, formats: str) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "course", "build", "--source", str(source), "--out", str(out),
           "--format", formats]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    return elapsed, "ok" if proc.returncode == 0 else f"failed (exit {proc.returncode})"


def format_times(source: Path, formats: list[str]) -> None:
    """Clean build per format, then a clean build of all and a no-change rebuild."""
    print(f"source: {source}")
    print("clean build per format (all editions, includes load + check, fresh process):")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            elapsed, status = _course_build(source, Path(tmp) / fmt, fmt)
            print(f"  {fmt:<18} {elapsed:7.2f} s  {status}")
        everything = ",".join(formats)
        out = Path(tmp) / "all"
        elapsed, status = _course_build(source, out, everything)
        print(f"  {'(all together)':<18} {elapsed:7.2f} s  {status}")
        elapsed, status = _course_build(source, out, everything)
        print(f"no-change rebuild:   {elapsed:7.2f} s  {status}")


def scaling(source: Path, sizes: list[int]) -> None:
    """Per-lesson time and peak RSS of synthetic courses, one subprocess each."""
    print("synthetic course (load + check + json export, fresh process per size):")
    print(f"  {'lessons':>7} {'items':>6} {'load s':>7} {'check s':>8} {'json s':>7} {'ms/lesson':>10} "
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
              f"{row['json_s']:7.2f} {row['per_lesson_ms']:10.2f} {row['peak_rss_mb']:12.1f}")
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
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    source = (args.source or default_source()).resolve()
    if args.child:
        print(json.dumps(child(source, args.child)))
        return
    if not args.skip_formats:
        from exporters import FORMATS

        formats = args.formats.split(",") if args.formats else list(FORMATS)
        format_times(source, formats)
    scaling(source, [int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
