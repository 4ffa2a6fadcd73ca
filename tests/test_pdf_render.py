"""The WeasyPrint wrapper: log capture, strict mode, restricted resource loading."""

from __future__ import annotations

import pytest

from course.diagnostics import ExportError
from exporters.pdf import render

PAGE = '<html lang="en"><head><title>t</title>{head}</head><body><p>Hello</p>{body}</body></html>'


def test_clean_html_renders_without_records() -> None:
    with render.captured_log() as log:
        doc = render.render(PAGE.format(head="", body=""), "test")
    assert doc.pages == 1 and log.records == []


def test_css_warning_is_reported_and_fails_under_strict(caplog: pytest.LogCaptureFixture) -> None:
    html = PAGE.format(head="<style>p { color: nope; }</style>", body="")
    with caplog.at_level("WARNING", logger="exporters.pdf"):
        render.render(html, "test")
    assert any("color: nope" in r.getMessage() for r in caplog.records if r.name == "exporters.pdf")
    with pytest.raises(ExportError, match="color: nope"):
        render.render(html, "test", strict=True)


@pytest.mark.parametrize("url", ["file:///etc/hostname", "https://example.org/x.png", "../../../../etc/passwd"])
def test_resources_outside_the_package_are_refused(url: str) -> None:
    with pytest.raises(ExportError, match="refused|Failed to load"):
        render.render(PAGE.format(head="", body=f'<img src="{url}" alt="x">'), "test")


def test_package_fonts_and_data_urls_load() -> None:
    svg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E"
    head = '<link rel="stylesheet" href="css/fonts.css"><style>p { font-family: "Atkinson Hyperlegible" }</style>'
    assert render.render(PAGE.format(head=head, body=f'<img src="{svg}" alt="dot">'), "test", strict=True).pages == 1
