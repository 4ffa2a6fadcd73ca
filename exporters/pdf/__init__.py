"""Formats ``workbook`` and ``facilitator-guide``: printable PDFs laid out by WeasyPrint."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from course.compiled import CompiledEdition
from course.diagnostics import ExportError
from exporters._templates import environment
from exporters.pdf import context, render

KINDS = {"workbook": "workbook.html", "facilitator-guide": "guide.html"}
STYLESHEETS = {
    "workbook": ["fonts.css", "page.css", "base.css", "components.css"],
    "facilitator-guide": ["fonts.css", "page.css", "base.css", "components.css", "facilitator.css"],
}
# Workbook anchor -> page maps, keyed by the workbook HTML's hash: the guide of the same build reuses the
# workbook's layout instead of laying it out a second time.
_PAGE_MAPS: dict[str, dict[str, int]] = {}


def _toc(ctx: dict[str, Any], kind: str) -> list[tuple[str, str, int]]:
    """Contents entries: (anchor, label, level)."""
    ed: CompiledEdition = ctx["ed"]
    lessons = [(lesson["anchor"], f"{'Lesson' if kind == 'workbook' else 'Session'} "
                f"{lesson['lesson'].number}: {lesson['lesson'].title}", 1) for lesson in ctx["lessons"]]
    if kind == "workbook":
        tail = [("glossary", "Glossary", 1)]
        if ctx["answers_at_back"]:
            tail.insert(0, ("answers", "Answers", 1))
        if ed.evaluation:
            tail.append(("evaluation", ed.evaluation.title, 1))
        return [("about", "About this workbook", 1), ("how-to-use", "How to use this workbook", 1),
                *lessons, *tail, ("notes", "Notes", 1)]
    tail = [("delivery-plans", "Session plans: 60 and 90 minutes, one-day workshop", 1),
            ("preparation", "Preparation, qualifications and the final test", 1),
            *([("hard-questions", "Questions groups ask", 1)] if "guide-hard-questions" in ed.snippets else []),
            ("answer-key", "Answer key", 1), ("alignment", "Objectives and items", 1)]
    if ed.settings.certificate:
        tail.append(("attendance", "Attendance and contact-hours record", 1))
    return [("overview", "Programme overview", 1), ("disclosure", "Responding to a personal disclosure", 2),
            *lessons, *tail]


def build_html(ed: CompiledEdition, kind: str, paper: str | None = None,
               pages: dict[str, int] | None = None) -> str:
    """The final HTML of one PDF (``paper``: the edition's unless given; ``pages``: workbook page map,
    facilitator guide only)."""
    if kind not in KINDS:
        raise ExportError(f"unknown PDF kind '{kind}' (known: {', '.join(KINDS)})")
    paper = context.paper_of(ed, paper)
    ctx = context.build(ed, kind, paper, pages)
    ctx["toc_entries"] = _toc(ctx, kind)
    ctx["stylesheets"] = STYLESHEETS[kind]
    ctx["doc_title"] = context.KIND_TITLES[kind]
    ctx["doc_author"] = context.document_author(ed)
    return environment("exporters.pdf", "templates").get_template(KINDS[kind]).render(**ctx)


def workbook_pages(ed: CompiledEdition, paper: str | None = None, strict: bool = False) -> dict[str, int]:
    """Anchor -> page number in the learner workbook (laid out once per build and reused)."""
    html = build_html(ed, "workbook", paper)
    key = hashlib.sha256(html.encode()).hexdigest()
    if key not in _PAGE_MAPS:
        _PAGE_MAPS[key] = render.render(html, f"workbook ({ed.edition})", strict, ed.assets).anchors
    return _PAGE_MAPS[key]


def export(ed: CompiledEdition, out_dir: Path, *, strict: bool = False, kind: str = "workbook",
           paper: str | None = None, pages: dict[str, int] | None = None, **_: Any) -> Path:
    """Write ``<course-id>-<edition>-<kind>.pdf`` (on the edition's paper unless ``paper`` is given)."""
    what = f"{kind} ({ed.edition})"
    if kind == "facilitator-guide" and pages is None:
        pages = workbook_pages(ed, paper, strict)
    html = build_html(ed, kind, paper, pages)
    rendered = render.render(html, what, strict, ed.assets)
    if kind == "workbook":
        _PAGE_MAPS[hashlib.sha256(html.encode()).hexdigest()] = rendered.anchors
    path = out_dir / ed.artifact(kind, "pdf")
    return render.write(rendered, path, what, ed.date, strict)
