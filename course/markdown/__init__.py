"""Lesson Markdown: parse once, then render per edition and audience, always sanitized.

Raw HTML is disabled in the parser (it renders as text) and nh3 cleans the result again, so
``<script>``, event-handler attributes and ``javascript:`` URLs never reach an output.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from course.markdown.blocks import BLOCKS, blocks_plugin, parse_info

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


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one Markdown parser of the project."""
    return MarkdownIt("commonmark", {"html": False}).use(blocks_plugin).enable("table")


def parse(text: str) -> list[Token]:
    """Token stream of a lesson body."""
    return parser().parse(text)


def block_kind(token: Token) -> str | None:
    """The block kind of a container token, else None."""
    if token.type.startswith("container_") and token.type.endswith(("_open", "_close")):
        kind = token.type[len("container_"):].rsplit("_", 1)[0]
        return kind if kind in BLOCKS else None
    return None


def visible(token: Token, edition: str, facilitator: bool) -> bool:
    """Whether a container opened by ``token`` shows in this edition and audience."""
    kind = block_kind(token)
    if kind is None:
        return True
    if BLOCKS[kind][1] and not facilitator:
        return False
    if kind == "edition":
        _, words, _ = parse_info(token.info)
        return edition in words
    _, _, attrs = parse_info(token.info)
    if "editions" in attrs:
        return edition in attrs["editions"].split(",")
    return True


def select(tokens: list[Token], edition: str, facilitator: bool) -> list[Token]:
    """Drop the containers that do not show for this edition and audience."""
    out: list[Token] = []
    skip_depth = 0
    for token in tokens:
        if skip_depth:
            if block_kind(token) is not None:
                skip_depth += token.nesting
            continue
        if token.nesting == 1 and block_kind(token) is not None and not visible(token, edition, facilitator):
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


def render(tokens: list[Token], edition: str, facilitator: bool) -> str:
    """Sanitized HTML of the tokens that show for this edition and audience."""
    md = parser()
    html = md.renderer.render(select(tokens, edition, facilitator), md.options, {})
    return sanitize(html)


def plain_text(tokens: list[Token]) -> str:
    """Text of the inline tokens, one line per paragraph, heading or list item."""
    lines = []
    for token in tokens:
        if token.type == "inline":
            text = "".join(
                c.content for c in (token.children or []) if c.type in ("text", "code_inline")
            ).strip()
            if text:
                lines.append(text)
    return "\n".join(lines)
