"""Print-specific rewrites of the sanitized lesson HTML (writing lines, block anchors)."""

from __future__ import annotations

import re

from markupsafe import Markup

LINE_MM = 9.0  # height of one handwriting line
_WRITING = re.compile(r'<div class="writing-lines" data-lines="(\d+)"></div>')
_BLOCK = re.compile(r'<section class="blk (\w+)"([^>]*)>')
# Box titles (Vignette, Reflection, Key points, …) arrive as <p class="blk-title"> or <h3 class="blk-title">.
_BOX_TITLE = re.compile(r'<(p|h[1-6]) class="blk-title"([^>]*)>(.*?)</\1>', re.S)
BOX_TITLE_LEVEL = 3  # under the lesson's H2 sections (the lesson title is the H1)


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


# A third of the text area, in mm (Letter, the shorter page), and what one line and one ruled line take.
THIRD_PAGE_MM = 235 / 3
TEXT_LINE_MM, WORDS_PER_LINE, BOX_FRAME_MM = 6.2, 13, 14
_BOX_EDGE = re.compile(r'<(section|aside)((?: id="[^"]*")?) class="blk (\w+)"([^>]*)>|<(/?)(section|aside)\b[^>]*>')
_TAG = re.compile(r"<[^>]+>")


def box_height_mm(inner: str) -> float:
    """Rough printed height of a box: its text lines, its ruled writing lines and its frame."""
    words = len(_TAG.sub(" ", inner).split())
    ruled = sum(int(n) for n in re.findall(r'data-lines="(\d+)"', inner))
    return BOX_FRAME_MM + (words / WORDS_PER_LINE + inner.count("<p") + inner.count("<li")) * TEXT_LINE_MM \
        + ruled * LINE_MM


def mark_long_boxes(html: str) -> str:
    """Boxes taller than a third of a page get the class ``long`` (they may split across pages); shorter boxes
    stay whole, so moving one never leaves more than a third of a page empty. Boxes may nest (an edition
    block around a vignette), so openings and closings are paired with a stack."""
    stack: list[re.Match[str] | None] = []
    long: list[re.Match[str]] = []
    for m in _BOX_EDGE.finditer(html):
        if m.group(1):  # a box opens
            stack.append(m)
        elif m.group(5) != "/":  # another section or aside opens
            stack.append(None)
        elif stack:
            opened = stack.pop()
            if opened is not None and box_height_mm(html[opened.end():m.start()]) > THIRD_PAGE_MM:
                long.append(opened)
    for m in sorted(long, key=lambda m: m.start(), reverse=True):
        tag, anchor, kind, attrs = m.group(1, 2, 3, 4)
        html = f'{html[:m.start()]}<{tag}{anchor} class="blk {kind} long"{attrs}>{html[m.end():]}'
    return html


def box_title_headings(html: str) -> str:
    """Box titles become headings one level below the lesson's sections, so a screen reader can jump to them."""
    h = f"h{BOX_TITLE_LEVEL}"
    return _BOX_TITLE.sub(lambda m: f'<{h} class="blk-title"{m.group(2)}>{m.group(3)}</{h}>', html)


def learner(html: str, lesson_id: str) -> Markup:
    """Learner HTML ready for print."""
    return Markup(mark_long_boxes(anchor_blocks(box_title_headings(expand_writing_lines(html)), lesson_id)))


def facilitator(html: str, lesson_id: str, pages: dict[str, int]) -> Markup:
    """Facilitator HTML ready for print, with "Workbook p. N" notes."""
    return Markup(mark_long_boxes(reference_blocks(box_title_headings(summarise_writing_lines(html)), lesson_id,
                                                   pages)))
