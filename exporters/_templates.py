"""The one jinja2 environment factory: autoescape always on, undefined names are errors."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


def environment(package: str, folder: str = "templates") -> Environment:
    """Environment loading templates from ``package/folder``."""
    env = Environment(
        loader=PackageLoader(package, folder),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_html"] = sanitized
    return env


def sanitized(html: str) -> Markup:
    """Mark lesson HTML as safe: it was sanitized by course.markdown at load time (the one place)."""
    return Markup(html)
