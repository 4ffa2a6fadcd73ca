"""Language and item-writing lint (shared/reference/item-writing.md)."""

from __future__ import annotations

from course.diagnostics import Collector
from course.model import Course


def run(course: Course, out: Collector) -> None:
    """Record lint findings for the whole course."""
