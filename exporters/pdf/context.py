"""Template data for the workbook and the facilitator guide, built from one ``CompiledEdition``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from course.compiled import CompiledEdition, CompiledLesson, CompiledQuiz, objective_text
from course.diagnostics import ExportError
from course.sessions import clock, delivery
from exporters.pdf import html as print_html
from exporters.pdf.items import PrintItem, print_items

PAPERS = {"a4": "A4", "letter": "letter"}


def paper_of(ed: CompiledEdition, paper: str | None) -> str:
    """The paper a PDF of ``ed`` is laid out on: the build's ``--paper`` if given, else the edition's."""
    paper = paper or ed.paper
    if paper not in PAPERS:
        raise ExportError(f"unknown paper size '{paper}' (known: {', '.join(PAPERS)})")
    return paper


KIND_TITLES = {"workbook": "Learner workbook", "facilitator-guide": "Facilitator guide"}


@dataclass(frozen=True)
class PlanRow:
    """One row of a session plan."""

    title: str
    minutes: int
    remainder: bool = False


def document_author(ed: CompiledEdition) -> str:
    """The PDFs' Author: the CE provider once filled in, else the course author, else the publisher; never a
    PLACEHOLDER value."""
    candidates = [ed.provider.name if ed.settings.certificate and not ed.provider.placeholder else "",
                  ed.author, ed.publisher]
    return next((c for c in candidates if c and "PLACEHOLDER" not in c.upper()), f"{ed.title} course authors")


def opens_with_title(html: str, title: str) -> bool:
    """Whether a course page's text starts with its own title as a heading (then it is not printed twice)."""
    return html.lstrip().startswith(f"<h2>{escape(title)}</h2>")


def session_plan(lesson: CompiledLesson) -> tuple[list[PlanRow], int]:
    """Activities with their minutes, plus a remainder row so the plan adds up to the lesson's time."""
    rows = [PlanRow(a.title or "Activity", a.minutes) for a in lesson.activities]
    used = sum(r.minutes for r in rows)
    if used < lesson.minutes:
        rows.append(PlanRow("Discussion, questions and knowledge check", lesson.minutes - used, remainder=True))
    return rows, used


def quiz_items(quiz: CompiledQuiz | None) -> list[PrintItem]:
    """Printable items of a quiz (none when the edition has no quiz for the lesson)."""
    return print_items(quiz.items) if quiz else []


def alignment(ed: CompiledEdition) -> list[dict[str, Any]]:
    """Objectives x items: which lesson and final-test items assess each objective."""
    rows = []
    final = ed.final_test.items if ed.final_test else []
    for lesson in ed.lessons:
        lesson_items = lesson.quiz.items if lesson.quiz else []
        for o in lesson.objectives:
            rows.append({"lesson": lesson, "objective": o,
                         "lesson_items": [i.id for i in lesson_items if i.objective == o.id],
                         "final": [i.id for i in final if i.objective == o.id]})
    return rows


_LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.DOTALL)
_PARAGRAPH = re.compile(r"</?p>")


def list_items(html: str) -> list[Markup]:
    """The items of a snippet's list, each as sanitized inline HTML, for a template that lays them out itself
    (the guide's contacts table rows, its checklist items). Not nested: a snippet list is flat."""
    return [Markup(_PARAGRAPH.sub("", m.group(1)).strip()) for m in _LIST_ITEM.finditer(html)]


def build(ed: CompiledEdition, kind: str, paper: str, pages: dict[str, int] | None = None) -> dict[str, Any]:
    """Everything a template needs; ``pages`` maps workbook anchors to page numbers (guide only)."""
    learner = kind == "workbook"
    pages = pages or {}
    lessons = []
    for lesson in ed.lessons:
        plan, used = session_plan(lesson)
        lessons.append({
            "lesson": lesson,
            "anchor": f"lesson-{lesson.id}",
            "objectives": [objective_text(o, ed.edition, workbook=learner) for o in lesson.objectives],
            "terms": [(t.term, ed.definition(t)) for t in lesson.terms],
            "body": (print_html.learner(lesson.workbook_html, lesson.id) if learner
                     else print_html.facilitator(lesson.facilitator_html, lesson.id, pages)),
            "check_items": quiz_items(lesson.quiz),
            "plan": plan,
            "plan_used": used,
            "workbook_page": pages.get(f"lesson-{lesson.id}"),
            "check_page": pages.get(f"check-{lesson.id}"),
        })
    return {
        "ed": ed,
        "kind": kind,
        "kind_title": KIND_TITLES[kind],
        "learner": learner,
        "paper": PAPERS[paper],
        "lessons": lessons,
        "final_items": quiz_items(ed.final_test),
        "course_pages": [(page, opens_with_title(page.html, page.title)) for page in ed.pages],
        "glossary": [(t.id, t.term, ed.definition(t)) for t in ed.glossary],
        "alignment": alignment(ed),
        "total_minutes": sum(lesson.minutes for lesson in ed.lessons),
        "writing_lines": print_html.writing_lines,
        "pages": pages,
        # Ungraded editions (family) are also home study: their workbook prints the answers at the back.
        "answers_at_back": learner and not ed.settings.graded,
        "delivery": None if learner else delivery(ed),
        "clock": clock,
        "list_items": list_items,
    }
