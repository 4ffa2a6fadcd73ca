"""Read what a PDF contains: text, outline, TOC page numbers, fonts, tagging, page sizes."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from course.loader import load_course
from course.model import Course

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "courses"


@cache
def course(name: str = "pdf-two-lessons") -> Course:
    """A fixture course (loaded once per test session)."""
    loaded, found = load_course(FIXTURES / name)
    assert loaded is not None, found.items
    return loaded


def text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """Plain text via poppler, whitespace collapsed (lines rejoined so phrases match)."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def page_texts(path: Path) -> list[str]:
    """Text of each page, in order."""
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return raw.split("\f")[:-1] if raw.endswith("\f") else raw.split("\f")


def outline_titles(path: Path) -> list[str]:
    """Every outline (bookmark) title, depth first."""
    def walk(nodes: list) -> list[str]:
        titles = []
        for node in nodes:
            titles += walk(node) if isinstance(node, list) else [node.title]
        return titles
    return walk(PdfReader(path).outline)


def toc_numbers(path: Path) -> list[tuple[str, int]]:
    """(label, page) pairs of the contents page: lines ending in a dotted leader and a number."""
    page = next(t for t in page_texts(path) if "Contents" in t)
    pairs = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", page, flags=re.M)
    return [(label, int(number)) for label, number in pairs]


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def fonts(path: Path) -> dict[str, bool]:
    """Base font name -> whether its program is embedded, for every font on every page."""
    found: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources = _resolve(page.get("/Resources")) or {}
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            descendants = [_resolve(d) for d in _resolve(font.get("/DescendantFonts", []))] or [font]
            for desc in descendants:
                descriptor: DictionaryObject = _resolve(desc.get("/FontDescriptor")) or DictionaryObject()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(desc.get("/BaseFont", font.get("/BaseFont")))] = embedded
    return found


def catalog(path: Path) -> DictionaryObject:
    """The document catalog."""
    return PdfReader(path).trailer["/Root"].get_object()


def page_sizes_mm(path: Path) -> set[tuple[int, int]]:
    """Distinct page sizes, rounded to whole millimetres."""
    sizes = set()
    for page in PdfReader(path).pages:
        box = page.mediabox
        sizes.add((round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)))
    return sizes
