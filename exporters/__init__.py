"""Exporter registry: format name -> how to call it. Exporters read a ``Course`` and write files."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from course.model import Course


class Exporter(Protocol):
    """``export(course, edition, out_dir, *, strict=False, **options) -> Path`` of the main artifact.

    ``strict`` turns the exporter's own warnings (e.g. WeasyPrint's) into errors.
    """

    def __call__(self, course: Course, edition: str | None, out_dir: Path, *, strict: bool = False,
                 **options: Any) -> Path: ...


@dataclass(frozen=True)
class Format:
    """One output format. ``per_edition=False`` formats are written once, to ``dist/<name>/``."""

    name: str
    target: str  # "package.module:function"
    options: dict[str, Any] = field(default_factory=dict)
    per_edition: bool = True
    editions: tuple[str, ...] | None = None  # None: every edition
    accepts: tuple[str, ...] = ()  # build options this exporter takes (e.g. "paper")
    description: str = ""

    def load(self) -> Callable[..., Path]:
        """Import the export function (lazily, so one broken exporter cannot stop the others' import)."""
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)

    def available(self) -> bool:
        """Whether the exporter's module is installed (formats land one by one)."""
        import importlib.util

        module = self.target.partition(":")[0]
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    def run(self, course: Course, edition: str | None, out_dir: Path, **extra: Any) -> Path:
        """Call the exporter."""
        extra = {k: v for k, v in extra.items() if k == "strict" or k in self.accepts}
        return self.load()(course, edition, out_dir, **{**self.options, **extra})


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("json", "exporters.compiled:export", description="compiled course, one JSON per edition"),
        Format("report", "exporters.report:export", description="check report with the alignment matrix"),
        Format("scorm12", "exporters.scorm:export", {"version": "1.2"}, description="SCORM 1.2 zip"),
        Format("scorm2004", "exporters.scorm:export", {"version": "2004"}, description="SCORM 2004 4th Ed. zip"),
        Format("cmi5", "exporters.scorm.cmi5:export", description="cmi5 course package (xAPI to an LRS)"),
        Format("olx", "exporters.olx:export", {"flavour": "builtin"}, accepts=("olx_banks",),
               description="Open edX course archive"),
        Format("olx-xblock", "exporters.olx:export", {"flavour": "xblock"},
               description="Open edX archive using this project's XBlocks"),
        Format("xblock", "exporters.olx.wheel:export", per_edition=False,
               description="installable XBlock wheel (dist/xblock/)"),
        Format("workbook", "exporters.pdf:export", {"kind": "workbook"}, accepts=("paper",),
               description="learner workbook PDF"),
        Format("facilitator-guide", "exporters.pdf:export", {"kind": "facilitator-guide"}, accepts=("paper",),
               description="facilitator guide PDF"),
        Format("certificate", "exporters.pdf.certificate:export_sample", editions=("ce",),
               description="sample CE certificate PDF"),
    ]
}


def artifact_name(course: Course, edition: str, fmt: str, ext: str) -> str:
    """``<course-id>-<edition>-<format>.<ext>``: the one naming rule for artifacts."""
    return f"{course.id}-{edition}-{fmt}.{ext}"
