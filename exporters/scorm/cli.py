"""``course preview``: serve the standalone player of one edition on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import tempfile
import zipfile
from pathlib import Path

import click

from course.diagnostics import CourseError


def serve_folder(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``folder`` bound to loopback only (port 0 picks a free one)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@click.command()
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="folder holding lessons/ and quizzes/")
@click.option("--edition", default="staff", show_default=True, help="edition to preview")
@click.option("--port", type=int, default=8000, show_default=True, help="port on 127.0.0.1 (0: any free port)")
@click.option("--debug", is_flag=True, help="show tracebacks")
def preview(source: Path, edition: str, port: int, debug: bool) -> None:
    """Check the course, build the SCORM 2004 player of EDITION and serve it (no LMS: standalone mode)."""
    from course.console import fail as _fail
    from course.console import load_checked as _load_checked
    from exporters.scorm import export

    try:
        course, _ = _load_checked(source, strict=False, editions=[edition])
        if edition not in course.manifest.editions:
            raise CourseError(f"unknown edition {edition!r} (known: {', '.join(course.manifest.editions)})")
        with tempfile.TemporaryDirectory(prefix="course-preview-") as tmp:
            folder = Path(tmp) / "site"
            with zipfile.ZipFile(export(course, edition, Path(tmp), version="2004")) as zf:
                zf.extractall(folder)
            server = serve_folder(folder, port)
            click.echo(f"Previewing the {edition} edition at http://127.0.0.1:{server.server_address[1]}/index.html"
                       " (Ctrl+C stops)")
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            finally:
                server.server_close()
    except CourseError as exc:
        _fail(exc, debug)


COMMANDS = [preview]
