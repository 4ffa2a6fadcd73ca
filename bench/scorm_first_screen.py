"""Time from navigation to the player's first interactive screen, in headless Chromium over loopback.

Usage: .venv/bin/python bench/scorm_first_screen.py [--source DIR] [--edition E] [--runs N]
Builds the SCORM 2004 package of the edition (default: the real course, staff), serves it from
127.0.0.1 and prints the median and worst time until the first screen's heading and its Next (or Start) button exist.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from course.compiled import compile_edition
from course.loader import load_course
from exporters.scorm import export
from exporters.scorm.cli import serve_folder

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("."))
    parser.add_argument("--edition", default="staff")
    parser.add_argument("--runs", type=int, default=10)
    opts = parser.parse_args()
    course, found = load_course(opts.source)
    if course is None:
        raise SystemExit("\n".join(str(d) for d in found.items))
    with tempfile.TemporaryDirectory() as tmp:
        package = export(compile_edition(course, opts.edition), Path(tmp), version="2004")
        site = Path(tmp) / "site"
        with zipfile.ZipFile(package) as zf:
            zf.extractall(site)
        server = serve_folder(site, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(opts.runs):
                context = browser.new_context()  # fresh: no cache, no localStorage
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_selector("#screen-title")
                page.wait_for_selector("main button.next")
                times.append((time.perf_counter() - start) * 1000)
                context.close()
            browser.close()
        server.shutdown()
        print(f"package {package.name}: {package.stat().st_size / 1024:.0f} KiB")
        print(f"first interactive screen over loopback, {opts.runs} runs: median {statistics.median(times):.0f} ms, "
              f"worst {max(times):.0f} ms")


if __name__ == "__main__":
    main()
