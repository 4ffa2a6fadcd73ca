"""Learner workbook and facilitator guide PDFs, built from the two-lesson fixture course."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pdf_support.pdfcheck import (
    catalog,
    course,
    fonts,
    outline_titles,
    page_sizes_mm,
    page_texts,
    text,
    toc_numbers,
)

from course.compiled import compile_edition
from exporters.pdf import export, workbook_pages


class Records(logging.Handler):
    """Collects every record the ``weasyprint`` logger emits."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep it."""
        if not record.name.startswith("weasyprint.progress"):
            self.records.append(record)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[tuple[str, str], Path], list]:
    """Workbook and guide of the CE and family editions (A4), with WeasyPrint's log records."""
    out = tmp_path_factory.mktemp("pdf")
    handler = Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        paths = {}
        for edition in ("ce", "family"):
            (out / edition).mkdir()
            for kind in ("workbook", "facilitator-guide"):
                paths[edition, kind] = export(compile_edition(course(), edition), out / edition, kind=kind, strict=True)
    finally:
        logger.removeHandler(handler)
    return paths, handler.records


def _lesson_titles() -> list[str]:
    return [lesson.title for lesson in course().lessons]


def test_no_weasyprint_log_records(built) -> None:
    _, records = built
    assert [r.getMessage() for r in records] == []


@pytest.mark.parametrize("kind", ["workbook", "facilitator-guide"])
def test_outline_lists_every_lesson(built, kind: str) -> None:
    titles = outline_titles(built[0]["ce", kind])
    for number, title in enumerate(_lesson_titles(), start=1):
        assert any(t.endswith(title) and str(number) in t for t in titles), (title, titles)


@pytest.mark.parametrize("kind", ["workbook", "facilitator-guide"])
def test_toc_numbers_are_real_and_ascending(built, kind: str) -> None:
    path = built[0]["ce", kind]
    entries = toc_numbers(path)
    numbers = [n for _, n in entries]
    assert len(entries) >= 4
    assert all(n > 0 for n in numbers) and numbers == sorted(numbers), entries
    pages = page_texts(path)
    for label, number in entries:  # the entry's heading really is on that page
        if label.startswith(("Lesson", "Session")):
            assert label.split(": ", 1)[1] in " ".join(pages[number - 1].split()), (label, number)


def test_workbook_gives_no_answers_away(built) -> None:
    ed = compile_edition(course(), "ce")
    wb = text(built[0]["ce", "workbook"])
    items = [i for lesson in ed.lessons if lesson.quiz for i in lesson.quiz.items]
    items += ed.final_test.items if ed.final_test else []
    assert items
    for item in items:
        assert " ".join(item.rationale.split()) not in wb
        for option in getattr(item, "options", []):
            assert option.feedback not in wb
    for marker in ("(key)", "Answer key", "Rationale", "Facilitator notes", "Expected themes",
                   "offer a private talk"):
        assert marker not in wb
    # the knowledge check is there, without answers
    assert "Knowledge check" in wb and "Tick one answer." in wb


def test_guide_has_every_rationale_and_key(built) -> None:
    for edition in ("ce", "family"):
        ed = compile_edition(course(), edition)
        guide = text(built[0][edition, "facilitator-guide"])
        items = [i for lesson in ed.lessons if lesson.quiz for i in lesson.quiz.items]
        items += ed.final_test.items if ed.final_test else []
        assert items
        for item in items:
            assert " ".join(item.rationale.split()) in guide, item.id
            for option in getattr(item, "options", []):
                assert option.feedback in guide, (item.id, option.id)
        assert "(key)" in guide
        assert "Expected themes" in guide and "Facilitator notes" in guide


def test_every_objective_appears(built) -> None:
    wb, guide = (text(built[0]["ce", k]) for k in ("workbook", "facilitator-guide"))
    for _, objective in course().objectives():
        assert objective.text in wb  # CE shows the measurable wording (course.compiled.objective_text)
        assert not objective.plain or objective.plain not in wb
        assert objective.text in guide
        assert objective.id in guide  # the alignment table


def test_family_edition_uses_its_items_and_plain_glossary(built) -> None:
    wb = text(built[0]["family", "workbook"])
    assert "There are ways to feel calm without drugs or alcohol." in wb
    assert "Which is a way to calm down without substances?" not in wb
    term = course().term("attachment")
    assert term.plain in wb and term.definition not in wb


def test_session_plan_adds_up(built) -> None:
    guide = text(built[0]["ce", "facilitator-guide"])
    for lesson in course().lessons:
        assert f"Session total {lesson.minutes} of {lesson.minutes}" in guide


def test_guide_workbook_references_match_the_workbook(built) -> None:
    pages = workbook_pages(compile_edition(course(), "ce"))
    guide = text(built[0]["ce", "facilitator-guide"])
    wb_pages = page_texts(built[0]["ce", "workbook"])
    for lesson in course().lessons:
        number = pages[f"lesson-{lesson.id}"]
        assert lesson.title in " ".join(wb_pages[number - 1].split())
        assert "intentionally left blank" not in wb_pages[number - 2], "no blank page is forced before a lesson"
        assert f"Workbook p. {number}" in guide


@pytest.mark.parametrize("kind", ["workbook", "facilitator-guide"])
def test_fonts_are_embedded_and_packaged(built, kind: str) -> None:
    found = fonts(built[0]["ce", kind])
    assert found and all(found.values()), found
    assert all("Atkinson" in name for name in found), found


@pytest.mark.parametrize("kind", ["workbook", "facilitator-guide"])
def test_tagged_with_language_and_metadata(built, kind: str) -> None:
    from pypdf import PdfReader

    path = built[0]["ce", kind]
    root = catalog(path)
    assert "/StructTreeRoot" in root and "/Metadata" in root
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "en"
    info = PdfReader(path).metadata
    assert course().manifest.title in info.title
    assert info.author and info.subject
    assert info["/CreationDate"].startswith("D:20260115")


def test_a4_by_default(built) -> None:
    assert page_sizes_mm(built[0]["ce", "workbook"]) == {(210, 297)}


def test_letter_on_request(tmp_path: Path) -> None:
    path = export(compile_edition(course(), "staff"), tmp_path, kind="workbook", paper="letter", strict=True)
    assert page_sizes_mm(path) == {(216, 279)}


def test_two_exports_are_byte_identical(built, tmp_path: Path) -> None:
    again = export(compile_edition(course(), "ce"), tmp_path, kind="facilitator-guide", strict=True)
    assert again.read_bytes() == built[0]["ce", "facilitator-guide"].read_bytes()


def test_unknown_paper_is_an_export_error(tmp_path: Path) -> None:
    from course.diagnostics import ExportError

    with pytest.raises(ExportError, match="paper"):
        export(compile_edition(course(), "ce"), tmp_path, kind="workbook", paper="a5")
