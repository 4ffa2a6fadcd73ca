"""WeasyPrint wrapper: restricted resource loading, captured log, reproducible tagged PDF output."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import mimetypes
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from course.diagnostics import ExportError
from exporters.pdf import tagging

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_URL = PACKAGE_DIR.as_uri() + "/"
LOG = logging.getLogger("exporters.pdf")
# PDF/UA-1 adds the structure tree, MarkInfo and XMP; it implies pdf_tags=True.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "custom_metadata": True}


def _fetcher_class(assets: Mapping[str, bytes]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackageFetcher(URLFetcher):
        """Loads only ``data:`` URLs, files inside this package (fonts, CSS) and the course's images."""

        def fetch(self, url: str, headers=None):  # noqa: ANN001 - WeasyPrint's signature
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(PACKAGE_DIR):
                    asset = path.relative_to(PACKAGE_DIR).as_posix()
                    if asset in assets:  # lesson images resolve against the base URL, served from memory
                        mime = mimetypes.guess_type(asset)[0] or "application/octet-stream"
                        return URLFetcherResponse(url, assets[asset], {"Content-Type": mime})
                    return super().fetch(url, headers)
            raise ValueError(f"resource outside the PDF exporter refused: {url}")

    return PackageFetcher


@dataclass
class LogRecords(logging.Handler):
    """Collects WeasyPrint's warnings and errors during one render."""

    records: list[logging.LogRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        logging.Handler.__init__(self, level=logging.WARNING)

    def __hash__(self) -> int:
        return id(self)

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)

    def messages(self, level: int) -> list[str]:
        """Formatted messages at exactly ``level``."""
        return [f"{r.levelname}: {r.getMessage()}" for r in self.records if r.levelno == level]


@contextmanager
def captured_log() -> Iterator[LogRecords]:
    """Attach a collecting handler to the ``weasyprint`` logger (silent as a library otherwise)."""
    logger = logging.getLogger("weasyprint")
    handler = LogRecords()
    old_level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def check_log(handler: LogRecords, what: str, strict: bool) -> None:
    """ERROR records fail the export; WARNING records are reported, and fail it under ``strict``."""
    errors = handler.messages(logging.ERROR) + handler.messages(logging.CRITICAL)
    warnings = handler.messages(logging.WARNING)
    if errors or (strict and warnings):
        raise ExportError(f"{what}: WeasyPrint reported problems:\n  " + "\n  ".join(errors + warnings))
    for message in warnings:
        LOG.warning("%s: %s", what, message)


@dataclass
class Rendered:
    """A laid-out document and the page (1-based) each anchor landed on."""

    document: object
    anchors: dict[str, int]

    @property
    def pages(self) -> int:
        """Number of pages."""
        return len(self.document.pages)  # type: ignore[attr-defined]


def render(html: str, what: str, strict: bool = False, assets: Mapping[str, bytes] | None = None) -> Rendered:
    """Lay ``html`` out with the package as the only resource root."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    with captured_log() as log:
        fonts = FontConfiguration()
        doc = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class(assets or {})()).render(
            font_config=fonts, **PDF_OPTIONS)
    check_log(log, what, strict)
    anchors: dict[str, int] = {}
    for number, page in enumerate(doc.pages, start=1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)  # a box split across pages is listed on each: keep the first
    return Rendered(doc, anchors)


SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


@contextmanager
def pinned_clock(date: dt.date) -> Iterator[None]:
    """Every timestamp a library takes from the clock is ``date`` instead (midnight UTC).

    fontTools stamps each subset font's ``head.modified`` with the build time unless
    ``SOURCE_DATE_EPOCH`` is set (reproducible-builds.org); WeasyPrint uses it when HarfBuzz-subset is
    missing. The variable is restored afterwards so nothing else in the process sees it.
    """
    old = os.environ.get(SOURCE_DATE_EPOCH)
    os.environ[SOURCE_DATE_EPOCH] = str(calendar.timegm(date.timetuple()))
    try:
        yield
    finally:
        if old is None:
            del os.environ[SOURCE_DATE_EPOCH]
        else:
            os.environ[SOURCE_DATE_EPOCH] = old



def write(rendered: Rendered, path: Path, what: str, date: dt.date, strict: bool = False,
          **options: object) -> Path:
    """Write the PDF; the same HTML always gives the same bytes (no clock, no random ids).

    ``date`` (the course date) replaces the clock wherever a library would read it.
    """
    with captured_log() as log, pinned_clock(date), tagging.annotated(rendered.document, rendered.anchors):
        data = rendered.document.write_pdf(**PDF_OPTIONS, **options)  # type: ignore[attr-defined]
    data = tagging.finish(data)
    check_log(log, what, strict)
    path.write_bytes(data)
    return path
