"""Lesson Markdown: parse once, then render per edition and audience, always sanitized.

Raw HTML is disabled in the parser (it would render as escaped text); text that looks like an HTML
tag or a script URL is dropped from the output (the loader reports it as an error), and nh3 cleans
the result again, so ``<script>``, event-handler attributes and ``javascript:`` URLs never reach an
output, not even as visible text.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from html import escape
from typing import Literal

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from course.markdown.blocks import BLOCKS, blocks_plugin, parse_info

# What a rendering serves: "self" = self-paced formats (SCORM, OLX, contact-hour text) show
# ``::: delivery self`` and never ``::: delivery group``; "all" = print (workbook, facilitator guide)
# shows both, each labelled.
Delivery = Literal["self", "all"]

_TAGS = {
    "a", "abbr", "aside", "blockquote", "br", "code", "div", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "section", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_ATTRS = {
    "*": {"class", "data-lines", "data-minutes"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"scope"},
}


# An HTML start or end tag as markdown-it leaves it in text when raw HTML is disabled.
RAW_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
EVENT_HANDLER = re.compile(r"\b(on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"\b(javascript|vbscript)\s*:", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Text with raw HTML tags and script-URL schemes removed (they are authoring errors)."""
    if "<" not in text and ":" not in text:
        return text  # the common case, and rendering calls this for every text token
    return SCRIPT_URL.sub("", RAW_TAG.sub("", text))


def _render_text(self, tokens: list[Token], idx: int, _options, _env) -> str:
    return escape(clean_text(tokens[idx].content), quote=False)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one Markdown parser of the project."""
    md = MarkdownIt("commonmark", {"html": False}).use(blocks_plugin).enable("table")
    md.add_render_rule("text", _render_text)
    return md


def parse(text: str) -> list[Token]:
    """Token stream of a lesson body."""
    return parser().parse(text)


def block_kind(token: Token) -> str | None:
    """The block kind of a container token, else None."""
    if token.type.startswith("container_") and token.type.endswith(("_open", "_close")):
        kind = token.type[len("container_"):].rsplit("_", 1)[0]
        return kind if kind in BLOCKS else None
    return None


def visible(token: Token, edition: str, facilitator: bool, delivery: Delivery = "self") -> bool:
    """Whether a container opened by ``token`` shows in this edition, audience and delivery."""
    kind = block_kind(token)
    if kind is None:
        return True
    if BLOCKS[kind][1] and not facilitator:
        return False
    if kind == "edition":
        _, words, _ = parse_info(token.info)
        return edition in words
    if kind == "delivery":
        _, words, _ = parse_info(token.info)
        return delivery == "all" or words == ["self"]
    _, _, attrs = parse_info(token.info)
    if "editions" in attrs:
        return edition in attrs["editions"].split(",")
    return True


def select(tokens: list[Token], edition: str, facilitator: bool, delivery: Delivery = "self") -> list[Token]:
    """Drop the containers that do not show for this edition, audience and delivery."""
    out: list[Token] = []
    skip_depth = 0
    for token in tokens:
        if skip_depth:
            if block_kind(token) is not None:
                skip_depth += token.nesting
            continue
        if token.nesting == 1 and block_kind(token) is not None and not visible(token, edition, facilitator,
                                                                                delivery):
            skip_depth = 1
            continue
        out.append(token)
    return out


def sanitize(html: str) -> str:
    """Whitelist-clean HTML (defence in depth behind the parser's own escaping)."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render(tokens: list[Token], edition: str, facilitator: bool, delivery: Delivery = "self") -> str:
    """Sanitized HTML of the tokens that show for this edition, audience and delivery."""
    md = parser()
    html = md.renderer.render(select(tokens, edition, facilitator, delivery), md.options, {"delivery": delivery})
    return sanitize(html)


def fill(tokens: list[Token], contents: dict[str, list[Token]]) -> list[Token]:
    """Put ``contents[kind]`` inside every (empty) container of that kind, e.g. the get-help text.

    The inserted tokens are copies without source lines: their lines belong to another file."""
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        kind = block_kind(token)
        if token.nesting == 1 and kind in contents:
            for inner in contents[kind]:
                inner = copy.copy(inner)
                inner.map = None
                out.append(inner)
    return out


def plain_text(tokens: list[Token]) -> str:
    """Text of the inline tokens, one line per paragraph, heading or list item."""
    lines = []
    for token in tokens:
        if token.type == "inline":
            text = "".join(
                clean_text(c.content) if c.type == "text" else " " if c.type.endswith("break") else c.content
                for c in (token.children or []) if c.type in ("text", "code_inline", "softbreak", "hardbreak")
            ).strip()
            if text:
                lines.append(text)
    return "\n".join(lines)
