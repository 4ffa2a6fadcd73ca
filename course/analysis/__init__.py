"""``course analyze``: item statistics from learners' real responses, tied to objectives and facts.

inputs.py reads and pseudonymises responses; stats.py computes the statistics; this module writes
``analysis.json`` and a one-page ``analysis.html`` (inline SVG, no server needed).
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from course.analysis.inputs import ANSWERED, InputError, read
from course.analysis.stats import Analysis, Thresholds, analyze, load_thresholds
from course.model import Course

__all__ = ["Analysis", "InputError", "Thresholds", "fetch_statements", "run", "write"]

_ENV = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
MAX_PAGES = 1000  # an LRS that keeps sending `more` links must not keep us forever


def fetch_statements(lrs: str, auth: str | None) -> list[dict[str, Any]]:
    """Every ``answered`` statement from an LRS (xAPI 1.0.3 GET /statements, following ``more``)."""
    base = lrs.rstrip("/")
    url = base + "/statements?" + urllib.parse.urlencode({"verb": ANSWERED, "limit": 500})
    headers = {"X-Experience-API-Version": "1.0.3"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")
    out: list[dict[str, Any]] = []
    origin = urllib.parse.urlsplit(base)
    for _ in range(MAX_PAGES):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as resp:
                page = json.load(resp)
        except (urllib.error.URLError, OSError, json.JSONDecodeError) as exc:
            raise InputError(f"{lrs}: cannot read statements: {exc}") from None
        out += page.get("statements", [])
        more = page.get("more")
        if not more:
            return out
        url = urllib.parse.urlunsplit((origin.scheme, origin.netloc, "", "", "")) + more if more.startswith("/") \
            else more
    raise InputError(f"{lrs}: more than {MAX_PAGES} pages of statements")


def run(course: Course, paths: list[Path], *, thresholds: Path | None = None, lrs: str | None = None,
        auth: str | None = None) -> Analysis:
    statements = fetch_statements(lrs, auth) if lrs else []
    responses, kinds = read(paths, course, statements)
    if not responses:
        raise InputError("no responses found in the inputs (only 'answered' statements and quiz interactions count)")
    return analyze(course, responses, kinds, load_thresholds(thresholds))


def write(analysis: Analysis, out: Path, source_root: Path) -> list[Path]:
    """``analysis.json`` and ``analysis.html`` in ``out``; items link to their source file and line."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out / "analysis.json", out / "analysis.html"
    json_path.write_text(analysis.model_dump_json(indent=2) + "\n", encoding="utf-8")

    def link(source: str) -> str:
        path = source.rsplit(":", 1)[0]
        return Path(os.path.relpath(source_root.resolve() / path, out.resolve())).as_posix()

    html = _ENV.get_template("analysis.html").render(a=analysis, link=link)
    html_path.write_text(html, encoding="utf-8")
    return [json_path, html_path]
