"""Exporter registry: format name -> how to call it, and what its output is made from.

An exporter is ``export(ed, out_dir, *, strict=False, **options) -> Path`` of its main artifact, where ``ed``
is the build's one ``CompiledEdition`` of that edition (course/compiled.py): it reads nothing else of the
course. An edition-less format (the XBlock wheel) is ``export(out_dir, *, strict=False)``. ``strict`` turns
the exporter's own warnings (e.g. WeasyPrint's) into errors. The build cache (course/cache.py) keys each
artifact on the inputs a format declares here (``reads`` and ``sources``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from course.checks import Report
from course.compiled import CompiledEdition


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
    # What the output depends on besides the exporter's code: "edition" = the compiled edition and its
    # assets; "checks" = that and the build's check report (which the exporter receives as ``checks``);
    # "code" = nothing of the course (the XBlock wheel).
    reads: Literal["edition", "checks", "code"] = "edition"
    # The exporter's own code and data, relative to this package (default: the target's subpackage or module).
    sources: tuple[str, ...] = ()
    # Built after this format of the same edition, taking ``handoff`` from it: (function "module:name",
    # keyword). The process that exported ``after`` calls the function (ed, options, strict)
    # and this format's exporter receives the result, so the workbook is laid out once for both PDFs.
    after: str | None = None
    handoff: tuple[str, str] | None = None
    cost: int = 1  # rough relative render time, for scheduling the longest artifacts first

    def source_paths(self) -> tuple[str, ...]:
        """The files and folders under exporters/ that hold this format's code and data."""
        if self.sources:
            return self.sources
        part = self.target.partition(":")[0].split(".")[1]
        return (part,) if (Path(__file__).parent / part).is_dir() else (f"{part}.py",)

    def load(self) -> Callable[..., Path]:
        """Import the export function (lazily, so one broken exporter cannot stop the others' import)."""
        return _function(self.target)

    def run(self, ed: CompiledEdition | None, out_dir: Path, *, checks: Report | None = None,
            **extra: Any) -> Path:
        """Call the exporter on the build's compiled edition (None for edition-less formats); ``extra``:
        build options, those it does not take dropped; ``checks``: the build's check report."""
        handed = self.handoff[1] if self.handoff else None
        extra = {k: v for k, v in extra.items() if k in ("strict", handed) or k in self.accepts}
        if self.reads == "checks":
            if checks is None:
                raise ValueError(f"{self.name} needs the build's check report")
            extra["checks"] = checks
        args = (ed, out_dir) if self.per_edition else (out_dir,)
        return self.load()(*args, **{**self.options, **extra})

    def hand_off(self, ed: CompiledEdition, **extra: Any) -> dict[str, Any]:
        """What this format takes from the ``after`` format's process, as exporter keywords."""
        if not self.handoff:
            return {}
        extra = {k: v for k, v in extra.items() if k == "strict" or k in self.accepts}
        return {self.handoff[1]: _function(self.handoff[0])(ed, **extra)}


def _function(target: str) -> Callable[..., Any]:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("json", "exporters.compiled:export", description="compiled course, one JSON per edition"),
        Format("report", "exporters.report:export", reads="checks",
               sources=("report.py", "report_templates"), description="check report with the alignment matrix"),
        Format("scorm12", "exporters.scorm:export", {"version": "1.2"}, description="SCORM 1.2 zip"),
        Format("scorm2004", "exporters.scorm:export", {"version": "2004"}, description="SCORM 2004 4th Ed. zip"),
        Format("cmi5", "exporters.scorm.cmi5:export", description="cmi5 course package (xAPI to an LRS)"),
        Format("olx", "exporters.olx:export", {"flavour": "builtin"}, accepts=("olx_banks",),
               description="Open edX course archive"),
        Format("olx-xblock", "exporters.olx:export", {"flavour": "xblock"},
               description="Open edX archive using this project's XBlocks"),
        Format("xblock", "exporters.olx.wheel:export", per_edition=False, reads="code",
               description="installable XBlock wheel (dist/xblock/)"),
        Format("workbook", "exporters.pdf:export", {"kind": "workbook"}, accepts=("paper",), cost=3,
               description="learner workbook PDF"),
        Format("facilitator-guide", "exporters.pdf:export", {"kind": "facilitator-guide"}, accepts=("paper",),
               after="workbook", handoff=("exporters.pdf:workbook_pages", "pages"), cost=4,
               description="facilitator guide PDF"),
        Format("certificate", "exporters.pdf.certificate:export_sample", editions=("ce",), accepts=("paper",),
               description="sample CE certificate PDF"),
    ]
}

