"""PDF/UA-1 structure of every book and the certificate of the real course, on A4 and US Letter."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from pdf_support.structcheck import check

from course.cli import main

ROOT = Path(__file__).resolve().parent.parent
BOOKS = [(edition, kind) for edition in ("staff", "family", "ce") for kind in ("workbook", "facilitator-guide")]


@pytest.fixture(scope="module", params=["a4", "letter"])
def dist(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six books and the sample certificate, built once per paper size."""
    out = tmp_path_factory.mktemp(f"books-{request.param}")
    result = CliRunner().invoke(main, ["build", "--source", str(ROOT), "--out", str(out), "--paper", request.param,
                                       "--format", "workbook,facilitator-guide,certificate"])
    assert result.exit_code == 0, result.output
    return out


def _pdfs(dist: Path) -> list[Path]:
    paths = [dist / e / f"attachment-trauma-addiction-{e}-{k}.pdf" for e, k in BOOKS]
    return [*paths, dist / "ce" / "attachment-trauma-addiction-ce-certificate.pdf"]


def test_every_pdf_passes_the_structure_checks(dist: Path) -> None:
    failures = {path.name: check(path) for path in _pdfs(dist)}
    assert {name: found[:10] for name, found in failures.items() if found} == {}


def test_contents_entries_are_one_described_link_each(dist: Path) -> None:
    with pikepdf.open(dist / "staff" / "attachment-trauma-addiction-staff-workbook.pdf") as pdf:
        toc = next(p for p in pdf.pages if "/Annots" in p.obj)
        described = [str(a.Contents) for a in toc.obj.Annots]
    assert len(described) == len(set(described)) >= 8  # one annotation per entry
    assert any(d.startswith("Lesson 1: ") and d.rsplit(", page ", 1)[1].isdigit() for d in described), described


def _elements(pdf: pikepdf.Pdf):
    stack = [pdf.Root.StructTreeRoot.K[0]]
    while stack:
        elem = stack.pop()
        yield elem
        kids = elem.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)


def test_box_titles_are_headings_and_soft_line_breaks_read_as_spaces(dist: Path) -> None:
    with pikepdf.open(dist / "staff" / "attachment-trauma-addiction-staff-workbook.pdf") as pdf:
        elements = list(_elements(pdf))
        tags = [str(e.S) for e in elements]
        spaced = [str(e.ActualText) for e in elements if "/ActualText" in e]
    assert tags.count("/H3") >= 30  # Vignette, Reflection, Key points, Activity… titles
    assert tags.count("/Part") == 1
    assert len(spaced) > 500 and all(t.endswith(" ") and not t.endswith("  ") for t in spaced)


def test_a_paragraph_broken_across_pages_reads_with_a_space_at_the_break(tmp_path: Path) -> None:
    """The last word before a page break inside a paragraph carries its space, like any soft line break."""
    import datetime as dt

    from exporters.pdf import render

    words = " ".join(f"word{i}" for i in range(300))
    html = (f'<!DOCTYPE html><html lang="en"><head><title>Break</title><style>@page {{ size: A6 }}</style>'
            f"</head><body><h1>Break</h1><p>{words}</p></body></html>")
    path = render.write(render.render(html, "break"), tmp_path / "break.pdf", "break", dt.date(2026, 1, 1))
    with pikepdf.open(path) as pdf:
        page_of = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        paragraph = next(e for e in _elements(pdf) if str(e.S) == "/P")
        spans = [(page_of[k.Pg.objgen], str(k.get("/ActualText", ""))) for k in paragraph.K
                 if isinstance(k, pikepdf.Dictionary) and "/Pg" in k]
    before_breaks = [text for (page, text), (after, _) in zip(spans, spans[1:], strict=False)
                     if after != page]
    assert len(before_breaks) >= 3  # the paragraph runs over four pages or more
    assert all(text.endswith(" ") and text.strip() for text in before_breaks), before_breaks
