"""The home-study answers at the back of the family workbook (issue #9); graded editions print none."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html
from pdf_support.pdfcheck import course as fixture_course
from pdf_support.pdfcheck import page_texts

from course.compiled import compile_edition
from course.model import Course
from exporters.pdf import build_html, export


def _flat(text: str) -> str:
    return " ".join(text.split())


def _parts(course: Course, edition: str) -> tuple[str, str | None]:
    """Text of the workbook before the answers section, and of the answers section (None if absent)."""
    root = lxml_html.fromstring(build_html(compile_edition(course, edition), "workbook"))
    answers = root.get_element_by_id("answers", None)
    if answers is None:
        return _flat(root.text_content()), None
    text = _flat(answers.text_content())
    answers.getparent().remove(answers)
    return _flat(root.text_content()), text


def _key_texts(item) -> list[str]:  # noqa: ANN001 - any item kind
    if item.kind == "single_choice":
        return [next(o.text for o in item.options if o.id == item.key_id)]
    if item.kind == "multiple_response":
        return [o.text for o in item.options if o.id in item.key]
    if item.kind == "true_false":
        return ["True" if item.key else "False"]
    if item.kind == "matching":
        return [s for p in item.pairs for s in (p.prompt, p.match)]
    return [s.text for s in item.steps]


def test_family_workbook_answers_every_practice_item(real_course: Course) -> None:
    """Key and rationale of every family practice item, only in the answers section."""
    questions, answers = _parts(real_course, "family")
    assert answers is not None and answers.startswith("Answers")
    items = [i for lesson in compile_edition(real_course, "family").lessons if lesson.quiz for i in lesson.quiz.items]
    assert len(items) >= 20
    for item in items:
        rationale = _flat(item.rationale)
        assert rationale in answers, item.id
        assert rationale not in questions, item.id
        for key in _key_texts(item):
            assert _flat(key) in answers, (item.id, key)


@pytest.mark.parametrize("edition", ["staff", "ce"])
def test_graded_workbooks_print_no_answers(real_course: Course, edition: str) -> None:
    questions, answers = _parts(real_course, edition)
    assert answers is None
    assert "Your facilitator will go through the answers" in questions


def test_family_pdf_answers_start_on_their_own_page(tmp_path: Path) -> None:
    """In the PDF the answers follow the lessons on a new page, and the knowledge check points at that page."""
    path = export(compile_edition(fixture_course(), "family"), tmp_path, kind="workbook", strict=True)
    pages = [_flat(p) for p in page_texts(path)]
    start = next(n for n, p in enumerate(pages, start=1) if p.startswith("Answers ") or " Answers Try the" in p)
    item = next(i for lesson in compile_edition(fixture_course(), "family").lessons if lesson.quiz
                for i in lesson.quiz.items)
    assert _flat(item.rationale) in " ".join(pages[start - 1:])
    assert _flat(item.rationale) not in " ".join(pages[:start - 1])
    check = next(p for p in pages if "Knowledge check" in p and "check your answers on page" in p)
    assert f"check your answers on page {start}." in check
