"""Print-specific rewrites of the sanitized lesson HTML (writing lines, block anchors)."""

from __future__ import annotations

import re

from markupsafe import Markup

LINE_MM = 9.0  # height of one handwriting line
_WRITING = re.compile(r'<div class="writing-lines" data-lines="(\d+)"></div>')
_BLOCK = re.compile(r'<section class="blk (\w+)"([^>]*)>')


def writing_lines(count: int, label: str = "Space to write") -> Markup:
    """A labelled box of ``count`` ruled lines (one element, lines drawn by the CSS background)."""
    count = max(1, min(count, 30))
    return Markup(
        f'<div class="writing-lines" data-lines="{count}" style="height: {count * LINE_MM:.1f}mm" '
        f'role="img" aria-label="{label}: {count} lines"></div>'
    )


def expand_writing_lines(html: str) -> str:
    """Give every ``writing-lines`` placeholder its height, so N ruled lines are printed."""
    return _WRITING.sub(lambda m: str(writing_lines(int(m.group(1)))), html)


def block_anchor(lesson_id: str, index: int) -> str:
    """Id of the ``index``-th shared block of a lesson in the workbook."""
    return f"wb-{lesson_id}-b{index}"


def summarise_writing_lines(html: str) -> str:
    """In the guide, name the writing space instead of printing it (it only costs pages there)."""
    return _WRITING.sub(lambda m: f'<p class="lines-note">Workbook: {int(m.group(1))} ruled lines to write on.</p>',
                        html)


def anchor_blocks(html: str, lesson_id: str) -> str:
    """Give each shared block (a ``<section class="blk …">``) a stable id for page references."""
    counter = iter(range(1, 10_000))
    return _BLOCK.sub(
        lambda m: f'<section id="{block_anchor(lesson_id, next(counter))}" class="blk {m.group(1)}"{m.group(2)}>', html)


def reference_blocks(html: str, lesson_id: str, pages: dict[str, int]) -> str:
    """Prefix each shared block of the facilitator HTML with its workbook page (same order as the workbook)."""
    counter = iter(range(1, 10_000))

    def ref(m: re.Match[str]) -> str:
        page = pages.get(block_anchor(lesson_id, next(counter)))
        note = f'\n<p class="wb-ref">Workbook p. {page}</p>' if page and m.group(1) != "edition" else ""
        return f'<section class="blk {m.group(1)}"{m.group(2)}>{note}'

    return _BLOCK.sub(ref, html)


def learner(html: str, lesson_id: str) -> Markup:
    """Learner HTML ready for print."""
    return Markup(anchor_blocks(expand_writing_lines(html), lesson_id))


def facilitator(html: str, lesson_id: str, pages: dict[str, int]) -> Markup:
    """Facilitator HTML ready for print, with "Workbook p. N" notes."""
    return Markup(reference_blocks(summarise_writing_lines(html), lesson_id, pages))
