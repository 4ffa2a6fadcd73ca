"""Format ``xblock``: the attachment_course_xblocks package as a wheel, written directly as a zip.

No build backend and no network: METADATA, WHEEL, entry_points.txt and a RECORD with sha256 hashes,
fixed timestamps via exporters._archive.write_zip, so rebuilds are byte-identical.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

from exporters._archive import write_zip

PACKAGE = "attachment_course_xblocks"
DISTRIBUTION = "attachment-course-xblocks"
SOURCE = Path(__file__).parent / "xblock_pkg" / PACKAGE
ENTRY_POINTS = {
    "attachment_lesson": f"{PACKAGE}.lesson:LessonBlock",
    "attachment_quiz": f"{PACKAGE}.quiz:QuizBlock",
}
REQUIRES = ["XBlock>=1.2", "web-fragments>=0.3"]


def version() -> str:
    """The package version, read from its ``__init__`` (importing it would need the XBlock runtime)."""
    text = (SOURCE / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    assert match, "attachment_course_xblocks/__init__.py lacks __version__"
    return match.group(1)


def wheel_name() -> str:
    """``attachment_course_xblocks-<version>-py3-none-any.whl``."""
    return f"{PACKAGE}-{version()}-py3-none-any.whl"


def _sources() -> dict[str, bytes]:
    out = {}
    for path in sorted(SOURCE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            out[f"{PACKAGE}/{path.relative_to(SOURCE).as_posix()}"] = path.read_bytes()
    return out


def _metadata(ver: str) -> str:
    lines = [
        "Metadata-Version: 2.1", f"Name: {DISTRIBUTION}", f"Version: {ver}",
        "Summary: Open edX XBlocks of the attachment course: a lesson page and a server-scored quiz",
        "License: Proprietary", "Requires-Python: >=3.9",
        *[f"Requires-Dist: {r}" for r in REQUIRES],
        "Classifier: Framework :: Django", "Classifier: Programming Language :: Python :: 3",
    ]
    return "\n".join(lines) + "\n"


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def files() -> dict[str, bytes]:
    """Every member of the wheel, RECORD included."""
    ver = version()
    info = f"{PACKAGE}-{ver}.dist-info"
    members = _sources()
    members[f"{info}/METADATA"] = _metadata(ver).encode()
    members[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: attachment-course-kit (exporters.olx.wheel)\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    members[f"{info}/entry_points.txt"] = (
        "[xblock.v1]\n" + "".join(f"{k} = {v}\n" for k, v in sorted(ENTRY_POINTS.items()))).encode()
    members[f"{info}/top_level.txt"] = f"{PACKAGE}\n".encode()
    record = [f"{name},{_digest(data)},{len(data)}" for name, data in sorted(members.items())]
    members[f"{info}/RECORD"] = ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode()
    return members


def export(out_dir: Path, *, strict: bool = False, **options: Any) -> Path:
    """Write the wheel into ``out_dir`` (dist/xblock/); the course content does not enter it."""
    return write_zip(out_dir / wheel_name(), files())
