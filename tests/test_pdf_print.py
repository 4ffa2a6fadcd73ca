"""Print quality on A4 and US Letter: margins on the sheet, measure, lettered options, metadata, no blanks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pdf_support.layout import document, holes, lines, list_parts
from pdf_support.pdfcheck import course, page_texts, text
from PIL import Image
from pypdf import PdfReader

from course.compiled import compile_edition
from course.loader import load_course
from exporters.pdf import export
from exporters.pdf.html import THIRD_PAGE_MM, box_height_mm, mark_long_boxes

MM_PER_INCH = 25.4


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Workbooks and guides of two editions on US Letter."""
    out = tmp_path_factory.mktemp("letter")
    paths = {}
    for edition in ("staff", "family"):
        (out / edition).mkdir()
        for kind in ("workbook", "facilitator-guide"):
            paths[edition, kind] = export(compile_edition(course(), edition), out / edition, kind=kind,
                                          paper="letter", strict=True)
    return paths


def _ink_rows(path: Path, page: int, dpi: int = 72) -> tuple[list[bool], float]:
    """For each pixel row of a rendered page: does it hold ink? And pixels per mm."""
    png = path.with_name(f"{path.stem}-{page}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-gray", "-singlefile",
                    str(path), str(png)], check=True)
    image = Image.open(png.with_suffix(".png")).convert("L")
    width, height = image.size
    pixels = image.load()
    rows = [any(pixels[x, y] < 200 for x in range(width)) for y in range(height)]
    return rows, dpi / MM_PER_INCH


@pytest.mark.parametrize("page", [3, 4])  # a right-hand and a left-hand page
def test_letter_heads_and_page_numbers_are_on_the_sheet(letter, page: int) -> None:
    path = letter["staff", "workbook"]
    rows, per_mm = _ink_rows(path, page)
    height_mm = len(rows) / per_mm
    assert round(height_mm) == 279  # US Letter
    ink_mm = [y / per_mm for y, ink in enumerate(rows) if ink]
    # the running head sits in the top margin and the page number in the bottom one, both well inside the sheet
    assert any(6 <= y <= 20 for y in ink_mm), "no running head in the top margin"
    assert any(height_mm - 20 <= y <= height_mm - 6 for y in ink_mm), "no page number in the bottom margin"
    assert min(ink_mm) >= 6 and max(ink_mm) <= height_mm - 6, "ink within 6 mm of the edge may be cut"
    texts = page_texts(path)[page - 1]
    assert f"Page {page} of " in texts


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("kind", ["workbook", "facilitator-guide"])
def test_measure_is_at_most_80_characters(paper: str, kind: str) -> None:
    longest = max(lines(document(course(), "ce", kind, paper)), key=lambda line: len(line[1]))
    assert len(longest[1]) <= 80, longest


@pytest.fixture(scope="module")
def real_layouts() -> dict[str, object]:
    """The real course's family workbook and staff guide laid out on Letter (the fixture is too short to show
    page-break problems)."""
    real, _ = load_course(Path(__file__).resolve().parent.parent)
    assert real is not None
    return {"workbook": document(real, "family", "workbook", "letter"),
            "guide": document(real, "staff", "facilitator-guide", "letter")}


def test_no_list_leaves_a_single_item_alone(real_layouts) -> None:
    for doc in real_layouts.values():
        parts = list_parts(doc)
        assert parts, "no list crosses a page: the check would prove nothing"
        assert all(min(counts) >= 2 for counts in parts.values()), parts


def test_no_page_is_left_largely_empty_before_a_box(real_layouts) -> None:
    # A box up to a third of a page moves whole (with its spacing, the gap it leaves stays under 40 %); taller
    # boxes and answer-key items split. Pages before a forced break (a new lesson, the answer key) do not count.
    for doc in real_layouts.values():
        assert holes(doc, 0.4) == []


def test_options_are_lettered_like_the_answer_key(letter) -> None:
    ed = compile_edition(course(), "staff")
    workbook = text(letter["staff", "workbook"])
    guide = text(letter["staff", "facilitator-guide"])
    item = next(i for lesson in ed.lessons if lesson.quiz for i in lesson.quiz.items if i.kind == "single_choice")
    for letter_, option in zip("ABCDEFG", item.options, strict=False):
        assert f"{letter_} {option.text}" in workbook
    key = "ABCDEFG"[[o.id for o in item.options].index(item.key_id)]
    assert f"Answer key: {key}" in guide


def test_each_edition_has_its_own_title_and_a_real_author(letter) -> None:
    titles = set()
    for (edition, _kind), path in letter.items():
        info = PdfReader(path).metadata
        assert compile_edition(course(), edition).settings.title in info.title
        assert info.author and "PLACEHOLDER" not in info.author.upper()
        titles.add(info.title)
    assert len(titles) == len(letter)


def test_no_blank_pages(letter) -> None:
    for path in letter.values():
        for number, page in enumerate(page_texts(path), start=1):
            words = [w for w in page.split() if w not in ("Page", "of") and not w.isdigit()]
            if words[:1] == ["Notes"]:
                continue  # the workbook's writing page: a heading and ruled lines by design
            assert len(words) >= 3, (path.name, number, page)


def test_course_page_title_printed_once(letter) -> None:
    page = page_texts(letter["family", "workbook"])[1]
    assert page.count("Introduction") == 1


def test_long_boxes_may_split_short_ones_stay_whole() -> None:
    para = "<p>" + "word " * 60 + "</p>"
    short = f'<section class="blk vignette">{para}</section>'
    long = f'<section id="x" class="blk vignette">{para * 5}</section>'
    assert box_height_mm(para) < THIRD_PAGE_MM < box_height_mm(para * 5)
    assert mark_long_boxes(short) == short
    assert mark_long_boxes(long).startswith('<section id="x" class="blk vignette long">')
    nested = f'<section class="blk edition">{short}<aside class="blk facilitator">{para * 5}</aside></section>'
    assert mark_long_boxes(nested) == (f'<section class="blk edition long">{short}'
                                       f'<aside class="blk facilitator long">{para * 5}</aside></section>')
