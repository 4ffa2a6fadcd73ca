"""``course preview``: serve the standalone player of one edition on 127.0.0.1.

With ``--watch`` the sources are polled for changes; each save rebuilds the edition's player files (the
compiled edition and course-data.js, no other format) and the open page reloads itself. A source that no
longer loads or checks leaves the last good player served, with its ``path:line`` diagnostics laid over
the page until the next good save. The reload script exists only in this server: the packages never
contain it.
"""

from __future__ import annotations

import functools
import http.server
import json
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from course.diagnostics import CourseError

PREVIEW = "__preview__/"  # URL prefix of the preview's own endpoints (never a package file name)
POLL_SECONDS = 0.2
# Polls the server's state: reloads when a newer build is served, shows diagnostics while the sources are
# broken. External (not inline) because the player's Content-Security-Policy allows only 'self' scripts.
RELOAD_JS = """(function () {
  "use strict";
  var version = new URL(document.currentScript.src).searchParams.get("v");
  var panel = null;
  function show(errors) {
    if (!errors.length) { if (panel) { panel.remove(); panel = null; } return; }
    if (!panel) {
      panel = document.createElement("section");
      panel.id = "preview-diagnostics";
      panel.setAttribute("role", "alert");
      panel.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
        "background:#fff;color:#600;font:15px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(panel);
    }
    panel.textContent = "Preview: the sources do not build. The last good version stays served behind " +
      "this notice, which goes away by itself with the next good save.\\n\\n" +
      errors.join("\\n");
  }
  function poll() {
    fetch("__preview__/state.json", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (state) {
        if (String(state.version) !== version) { location.reload(); return; }
        show(state.errors);
        setTimeout(poll, 250);
      }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
NO_COURSE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Course preview</title>
<script src="__preview__/reload.js?v={version}" defer></script></head>
<body><h1>Course preview</h1><p>Waiting for the sources to build.</p></body></html>
"""


def serve_folder(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``folder`` bound to loopback only (port 0 picks a free one)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@dataclass
class Site:
    """What the preview serves: the last good player files, their build number and the current diagnostics."""

    watch: bool
    files: dict[str, str | bytes] = field(default_factory=dict)
    version: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, files: dict[str, str | bytes] | None, errors: list[str]) -> None:
        """A good build (``files``) replaces what is served; a failed one (None) only shows its errors."""
        with self.lock:
            if files is not None:
                self.files, self.version = files, self.version + 1
            self.errors = errors

    def get(self, name: str) -> tuple[bytes, str] | None:
        """(content, media type) of a URL path, or None."""
        with self.lock:
            if name == PREVIEW + "state.json" and self.watch:
                return json.dumps({"version": self.version, "errors": self.errors}).encode(), "application/json"
            if name == PREVIEW + "reload.js" and self.watch:
                return RELOAD_JS.encode(), "text/javascript"
            if name == "index.html" and not self.files:
                return NO_COURSE.format(version=self.version).encode(), "text/html; charset=utf-8"
            content = self.files.get(name)
            if content is None:
                return None
            data = content.encode("utf-8") if isinstance(content, str) else content
            if name == "index.html" and self.watch:
                tag = f'<script src="{PREVIEW}reload.js?v={self.version}" defer></script>\n'
                data = data.replace(b"</head>", tag.encode() + b"</head>", 1)
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return data, kind + ("; charset=utf-8" if kind.startswith("text/") else "")


def serve_site(site: Site, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``site`` on 127.0.0.1 (port 0 picks a free one); nothing is cached by the browser."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server naming
            name = self.path.split("?", 1)[0].lstrip("/") or "index.html"
            found = site.get(name)
            if found is None:
                self.send_error(404)
                return
            data, kind = found
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the page went away (a reload) while it was being served

        def log_message(self, *args) -> None:
            pass

    return http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)


def player(source: Path, edition: str) -> tuple[dict[str, str | bytes] | None, list[str]]:
    """Load and check the course, then make the edition's player files; (None, diagnostics) when it fails."""
    from course import checks
    from course.compiled import compile_edition
    from course.loader import load_course
    from exporters.scorm import package

    course, found = load_course(source)
    if course is None:
        return None, [str(d) for d in found.items if d.level == "error"]
    if edition not in course.manifest.editions:
        raise CourseError(f"unknown edition {edition!r} (known: {', '.join(course.manifest.editions)})")
    errors = [str(d) for d in checks.run(course, editions=[edition]).diagnostics.items if d.level == "error"]
    if errors:
        return None, errors
    try:
        return package(compile_edition(course, edition), "2004"), []
    except CourseError as exc:
        return None, [f"error: {exc}"]


def snapshot(source: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every source file: what a save changes."""
    out = {}
    for folder in (source / "lessons", source / "quizzes"):
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    stat = path.stat()
                    out[str(path)] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue  # removed while we looked
    return out


def watch(source: Path, edition: str, site: Site, stop: threading.Event,
          report: Callable[[str], None]) -> None:
    """Rebuild the player whenever a source file changes, until ``stop`` is set."""
    seen = snapshot(source)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(source)
        if now == seen:
            continue
        seen = now
        started = time.perf_counter()
        try:
            files, errors = player(source, edition)
        except Exception as exc:  # noqa: BLE001 - a bug in a rebuild must not stop the preview
            files, errors = None, [f"error: {type(exc).__name__}: {exc}"]
        site.publish(files, errors)
        if files is None:
            report(f"sources do not build ({len(errors)} error(s)); still serving build {site.version}")
        else:
            report(f"rebuilt in {time.perf_counter() - started:.2f} s (build {site.version})")


@click.command()
@click.option("--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="folder holding lessons/ and quizzes/")
@click.option("--edition", default="staff", show_default=True, help="edition to preview")
@click.option("--port", type=int, default=8000, show_default=True, help="port on 127.0.0.1 (0: any free port)")
@click.option("--watch", "watching", is_flag=True,
              help="rebuild on every save of a source file and reload the open page")
@click.option("--debug", is_flag=True, help="show tracebacks")
def preview(source: Path, edition: str, port: int, watching: bool, debug: bool) -> None:
    """Check the course, build the SCORM 2004 player of EDITION and serve it (no LMS: standalone mode)."""
    from course.console import fail as _fail
    from course.console import load_checked as _load_checked

    site = Site(watch=watching)
    try:
        if watching:
            files, errors = player(source, edition)
            site.publish(files, errors)
            for line in errors:
                click.echo(line, err=True)
        else:
            from course.compiled import compile_edition
            from exporters.scorm import package

            course, _ = _load_checked(source, strict=False, editions=[edition])
            if edition not in course.manifest.editions:
                raise CourseError(f"unknown edition {edition!r} (known: {', '.join(course.manifest.editions)})")
            site.publish(package(compile_edition(course, edition), "2004"), [])
    except CourseError as exc:
        _fail(exc, debug)
    server = serve_site(site, port)
    stop = threading.Event()
    if watching:
        threading.Thread(target=watch, args=(source, edition, site, stop, lambda m: click.echo(m, err=True)),
                         daemon=True).start()
    click.echo(f"Previewing the {edition} edition at http://127.0.0.1:{server.server_address[1]}/index.html"
               + (" (watching the sources; Ctrl+C stops)" if watching else " (Ctrl+C stops)"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
