"""Read WeasyPrint's layout (before PDF output): printed lines and how lists fall across pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from weasyprint.formatting_structure import boxes

from course.compiled import compile_edition
from course.model import Course
from exporters.pdf import build_html, render


def document(course: Course, edition: str, kind: str, paper: str):  # noqa: ANN201 - a WeasyPrint Document
    """The laid-out book."""
    return render.render(build_html(compile_edition(course, edition), kind, paper), f"{kind} ({edition})").document


def _walk(box) -> Iterator:  # noqa: ANN001
    yield box
    for child in getattr(box, "children", []):
        yield from _walk(child)


def _text(box) -> str:  # noqa: ANN001
    return box.text if isinstance(box, boxes.TextBox) else "".join(_text(c) for c in getattr(box, "children", []))


def lines(doc) -> Iterator[tuple[int, str]]:  # noqa: ANN001
    """(page, text) of every printed line, leaders excluded."""
    for number, page in enumerate(doc.pages, start=1):
        for box in _walk(page._page_box):
            if isinstance(box, boxes.LineBox) and not any(getattr(b, "is_leader", False) for b in _walk(box)):
                yield number, _text(box).strip()


def list_parts(doc) -> dict[int, list[int]]:  # noqa: ANN001
    """For every list that crosses a page: items on each page it covers (id of the list -> counts)."""
    parts: dict[int, list[int]] = defaultdict(list)
    for page in doc.pages:
        for box in _walk(page._page_box):
            if box.element_tag in ("ul", "ol") and isinstance(box, boxes.BlockBox):
                items = [c for c in box.children if c.element_tag == "li" and c.element is not None]
                parts[id(box.element)].append(len({id(c.element) for c in items}))
    return {key: counts for key, counts in parts.items() if len(counts) > 1}


PX_PER_MM = 96 / 25.4
FORCED = ("page", "left", "right", "recto", "verso")


def _first_chain(box) -> Iterator:  # noqa: ANN001
    """The box and its first descendants: what opens a page."""
    while box is not None:
        yield box
        children = [c for c in getattr(box, "children", []) if not isinstance(c, boxes.LineBox)]
        box = children[0] if children else None


def holes(doc, fraction: float = 1 / 3) -> list[tuple[int, float]]:  # noqa: ANN001
    """(page, empty mm) of pages left more than ``fraction`` empty although the next page was not forced."""
    found = []
    pages = doc.pages
    for number, (page, following) in enumerate(zip(pages, pages[1:], strict=False), start=1):
        root = page._page_box
        area_top = root.content_box_y()
        area = root.height
        # what is drawn: lines of text and leaf blocks (writing space); containers may stretch to the page foot
        body = [b for child in root.children if not isinstance(child, boxes.MarginBox) for b in _walk(child)]
        bottoms = [b.position_y + b.margin_height() for b in body
                   if isinstance(b, boxes.LineBox) or (isinstance(b, boxes.BlockBox) and not b.children)]
        empty = area_top + area - max(bottoms, default=area_top)
        here = {id(b.element) for b in body if b.element is not None}
        forced = any(b.style["break_before"] in FORCED for b in _first_chain(following._page_box)
                     if not isinstance(b, boxes.PageBox) and id(b.element) not in here)  # not a continuation
        if empty > area * fraction and not forced:
            found.append((number, round(empty / PX_PER_MM)))
    return found
