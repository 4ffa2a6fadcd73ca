"""Diagnostics: located messages, the error types that carry them, and a collector."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, printed as ``path:line: level: message [code]``."""

    path: str
    line: int
    level: Level
    message: str
    code: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message} [{self.code}]"


class CourseError(Exception):
    """Base of every expected failure (bad sources, failed checks, failed export)."""


class SourceError(CourseError):
    """Sources could not be loaded or failed checks; holds every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.path, d.line, d.code, d.message))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class ExportError(CourseError):
    """An exporter could not write its artifact."""


@dataclass
class Collector:
    """Collects diagnostics so one run reports every problem."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str, line: int, level: Level, message: str, code: str) -> None:
        """Record one finding."""
        self.items.append(Diagnostic(path, line, level, message, code))

    def error(self, path: str, line: int, message: str, code: str) -> None:
        """Record an error."""
        self.add(path, line, "error", message, code)

    def warning(self, path: str, line: int, message: str, code: str) -> None:
        """Record a warning."""
        self.add(path, line, "warning", message, code)

    def errors(self, strict: bool = False) -> list[Diagnostic]:
        """Diagnostics that fail the run (warnings too under ``strict``)."""
        fatal = {"error", "warning"} if strict else {"error"}
        return [d for d in self.items if d.level in fatal]

    def raise_if_errors(self, strict: bool = False) -> None:
        """Raise SourceError with everything collected if anything is fatal."""
        if self.errors(strict):
            raise SourceError(self.items if strict else [d for d in self.items if d.level == "error"])
