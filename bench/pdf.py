"""PDF benchmark: seconds per page, peak RSS, and export overhead over WeasyPrint's own render-and-write.

Run: ``.venv/bin/python bench/pdf.py [--source DIR] [--editions ce,family] [--paper a4]``.
Each PDF is exported in a fresh subprocess, so ru_maxrss is that PDF's own peak. The facilitator guide gets the
workbook's page map from the workbook's run (as in ``course build``, where the workbook is laid out once).
The ratio compares ``exporters.pdf.export`` (compile, templates, layout, write) with WeasyPrint alone on the
same final HTML and options (best of ``--repeat`` runs each); "html s" is the exporter's own share (compile and
templates), the one part WeasyPrint does not do. Prints figures; asserts nothing.
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

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "courses" / "pdf-two-lessons"
KINDS = ("workbook", "facilitator-guide")


def default_source() -> Path:
    """The real course when it has lessons and quizzes, else the PDF fixture course."""
    if list((ROOT / "lessons").glob("*.md")) and list((ROOT / "quizzes").glob("*.yaml")):
        return ROOT
    return FIXTURE


def one(source: Path, edition: str, kind: str, paper: str, maps: Path, repeat: int) -> dict:
    """Export one PDF in this process and time it against WeasyPrint alone."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from course.compiled import compile_edition
    from course.loader import load_course
    from exporters.pdf import build_html, export, render

    course, found = load_course(source)
    assert course is not None, found.items
    ed = compile_edition(course, edition)
    pages = json.loads(maps.read_text()) if kind == "facilitator-guide" else None
    out = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    export_times, weasy_times, html_times = [], [], []
    peak_kib = 0
    for run in range(repeat):
        started = time.perf_counter()
        path = export(ed, out, kind=kind, paper=paper, pages=pages)
        export_times.append(time.perf_counter() - started)
        if run == 0:  # the first export alone sets the peak RSS reported for this PDF
            peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        html = build_html(ed, kind, paper, pages)
        html_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        HTML(string=html, base_url=render.BASE_URL, url_fetcher=render._fetcher_class(ed.assets)()).write_pdf(
            font_config=FontConfiguration(), **render.PDF_OPTIONS)
        weasy_times.append(time.perf_counter() - started)
    if kind == "workbook":
        maps.write_text(json.dumps(render.render(build_html(ed, "workbook", paper), "map").anchors))
    n_pages = len(__import__("pypdf").PdfReader(path).pages)
    return {"edition": edition, "kind": kind, "pages": n_pages, "export_s": min(export_times),
            "weasy_s": min(weasy_times), "html_s": min(html_times), "peak_mib": peak_kib / 1024,
            "bytes": path.stat().st_size}


def main() -> None:
    """Run every (edition, kind) in its own subprocess and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=default_source())
    parser.add_argument("--editions", default="staff,family,ce")
    parser.add_argument("--paper", default="a4", choices=["a4", "letter"])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--one", nargs=3, metavar=("EDITION", "KIND", "MAPS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        edition, kind, maps = args.one
        print(json.dumps(one(args.source, edition, kind, args.paper, Path(maps), args.repeat)))
        return
    print(f"source: {args.source}  paper: {args.paper}  repeat: {args.repeat} (best run)")
    print(f"{'edition':<8} {'pdf':<18} {'pages':>5} {'export s':>9} {'s/page':>7} {'weasy s':>8} "
          f"{'ratio':>6} {'html s':>7} {'peak MiB':>9} {'KB':>6}")
    for edition in args.editions.split(","):
        with tempfile.NamedTemporaryFile(suffix=".json") as maps:
            for kind in KINDS:
                cmd = [sys.executable, __file__, "--source", str(args.source), "--paper", args.paper,
                       "--repeat", str(args.repeat), "--one", edition, kind, maps.name]
                r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
                print(f"{edition:<8} {kind:<18} {r['pages']:>5} {r['export_s']:>9.2f} "
                      f"{r['export_s'] / r['pages']:>7.3f} {r['weasy_s']:>8.2f} "
                      f"{r['export_s'] / r['weasy_s']:>6.2f} {r['html_s']:>7.3f} {r['peak_mib']:>9.0f} "
                      f"{r['bytes'] / 1000:>6.0f}")


if __name__ == "__main__":
    main()
