"""The ``::: kind attrs`` containers of the lesson format, registered on markdown-it-py."""

from __future__ import annotations

import shlex
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

# kind -> (learner-visible heading, facilitator only)
BLOCKS: dict[str, tuple[str, bool]] = {
    "edition": ("", False),
    "facilitator": ("Facilitator notes", True),
    "reflection": ("Reflection", False),
    "vignette": ("Case vignette", False),
    "discussion": ("Discussion questions", False),
    "themes": ("Expected themes", True),
    "keypoints": ("Key points", False),
    "activity": ("Activity", False),
    "gethelp": ("When to get help now", False),
    "callout": ("", False),
    "delivery": ("", False),
    "additions": ("", False),  # sits under the source page's own heading
}
# Blocks written empty in the source: the loader fills them (get-help snippet, the added-facts register).
FILLED = ("gethelp", "additions")
# ``::: delivery group|self``: the label each shows where both are printed (workbook, facilitator guide).
DELIVERY_LABELS = {"group": "In a group session", "self": "If you study on your own"}


def parse_info(info: str) -> tuple[str, list[str], dict[str, str]]:
    """Split ``'activity minutes=10 title="Pair share"'`` into kind, bare words and attributes."""
    kind, words, attrs = _parse_info(info)
    return kind, list(words), dict(attrs)  # copies: the cached values must not be changed by callers


@lru_cache(maxsize=4096)  # rendering asks again for every edition and audience; shlex is slow
def _parse_info(info: str) -> tuple[str, tuple[str, ...], dict[str, str]]:
    try:
        parts = shlex.split(info.strip())
    except ValueError as exc:
        raise ValueError(f"cannot read block attributes '{info.strip()}': {exc}") from None
    if not parts:
        return "", (), {}
    words, attrs = [], {}
    for part in parts[1:]:
        if "=" in part:
            key, _, value = part.partition("=")
            attrs[key] = value
        else:
            words.append(part)
    return parts[0], tuple(words), attrs


def _render_open(kind: str):
    heading, facilitator_only = BLOCKS[kind]

    def render(self, tokens: list[Token], idx: int, _options, env) -> str:
        token = tokens[idx]
        if token.nesting != 1:
            return "</aside>\n" if facilitator_only else "</section>\n"
        if kind == "edition":
            return '<section class="blk edition">\n'
        _, words, attrs = parse_info(token.info)
        if kind == "delivery":
            # Self-paced formats show only 'self' blocks, unlabelled; print shows both, each labelled.
            mode = words[0] if words else "self"
            if env.get("delivery") != "all":
                return f'<div class="delivery {mode}">\n'
            return (f'<section class="blk delivery-{mode}">\n'
                    f'<p class="blk-title">{escape(DELIVERY_LABELS.get(mode, ""))}</p>\n')
        if kind == "gethelp":
            # A real heading: the box must be found by screen-reader heading navigation and in PDF tags.
            return f'<section class="blk gethelp">\n<h3 class="blk-title">{escape(heading)}</h3>\n'
        tag = "aside" if facilitator_only else "section"
        extra = ""
        title = heading
        if kind == "reflection":
            extra = f' data-lines="{int(attrs.get("lines", "4") or 4)}"'
        elif kind == "activity":
            minutes = int(attrs.get("minutes", "0") or 0)
            extra = f' data-minutes="{minutes}"'
            title = f"Activity: {attrs['title']}" if attrs.get("title") else heading
            title += f" ({minutes} minutes)" if minutes else ""
        elif kind == "callout":
            title = attrs.get("title", "")
        elif kind == "vignette" and attrs.get("title"):
            title = f"Case vignette: {attrs['title']}"
        out = f'<{tag} class="blk {kind}"{extra}>\n' + (f'<p class="blk-title">{escape(title)}</p>\n' if title else "")
        if kind == "vignette":
            out += '<p class="blk-label">A fictional case for learning. Any likeness to real people is chance.</p>\n'
        if kind == "reflection":
            # The close tag draws the writing space, so remember how many lines were asked for.
            lines = int(attrs.get("lines", "4") or 4)
            env.setdefault("_reflection_lines", []).append(lines)
        return out

    return render


def _close_extra(kind: str):
    def render(self, tokens: list[Token], idx: int, _options, env) -> str:
        if kind == "reflection":
            lines = env.get("_reflection_lines", [4]).pop() if env.get("_reflection_lines") else 4
            return f'<div class="writing-lines" data-lines="{lines}"></div>\n</section>\n'
        if kind == "delivery" and env.get("delivery") != "all":
            return "</div>\n"
        return "</aside>\n" if BLOCKS[kind][1] else "</section>\n"

    return render


def blocks_plugin(md: MarkdownIt) -> None:
    """Register every block kind as a markdown-it container."""
    for kind in BLOCKS:
        container_plugin(md, kind, validate=lambda params, *_a, k=kind: params.strip().split(" ", 1)[0] == k)
        md.add_render_rule(f"container_{kind}_open", _render_open(kind))
        md.add_render_rule(f"container_{kind}_close", _close_extra(kind))
