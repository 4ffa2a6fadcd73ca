"""Lesson images travel from lessons/images/ into every package that shows lessons."""

from __future__ import annotations

import io
import shutil
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from course.compiled import compile_edition
from course.loader import load_course
from course.model import Course
from exporters import FORMATS

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "courses" / "minimal"


def _png() -> bytes:
    """A valid 2 x 2 red PNG, made here so no binary file is committed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _course_with(tmp_path: Path, markdown: str, name: str = "dot.png", folder: str = "images") -> Path:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    (root / "lessons" / folder).mkdir(exist_ok=True)
    (root / "lessons" / folder / name).write_bytes(_png())
    lesson = root / "lessons" / "01-basics.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n" + markdown + "\n", encoding="utf-8")
    return root


@pytest.fixture
def course_with_image(tmp_path: Path) -> Course:
    course, found = load_course(_course_with(tmp_path, "![A small red square](images/dot.png)"))
    assert course is not None, [str(d) for d in found.items]
    return course


def test_loader_keeps_the_image_bytes(course_with_image: Course) -> None:
    assert course_with_image.assets == {"images/dot.png": _png()}
    assert 'src="images/dot.png"' in course_with_image.lessons[0].views["staff"].learner_html


@pytest.mark.parametrize(("markdown", "name", "folder", "message"), [
    ("![x](images/dot.svg)", "dot.svg", "images", "put PNG, JPEG, GIF or WebP files in lessons/images/"),
    ("![x](pictures/dot.png)", "dot.png", "pictures", "put PNG, JPEG, GIF or WebP files in lessons/images/"),
])
def test_unsupported_images_are_errors(tmp_path: Path, markdown: str, name: str, folder: str, message: str) -> None:
    course, found = load_course(_course_with(tmp_path, markdown, name, folder))
    assert course is None
    assert [d.code for d in found.items] == ["lesson.image"]
    assert message in found.items[0].message


def test_image_without_alt_text_is_an_error(tmp_path: Path) -> None:
    course, found = load_course(_course_with(tmp_path, "![](images/dot.png)"))
    assert course is None
    assert [d.code for d in found.items] == ["lesson.image-alt"]


def test_scorm_package_lists_and_ships_the_image(course_with_image: Course, tmp_path: Path) -> None:
    path = FORMATS["scorm2004"].run(compile_edition(course_with_image, "staff"), tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert zf.read("images/dot.png") == _png()
        assert 'href="images/dot.png"' in zf.read("imsmanifest.xml").decode()


def test_olx_archive_serves_the_image_from_static(course_with_image: Course, tmp_path: Path) -> None:
    path = FORMATS["olx"].run(compile_edition(course_with_image, "staff"), tmp_path)
    with tarfile.open(path) as tar:
        assert tar.extractfile("course/static/images/dot.png").read() == _png()
        html = tar.extractfile("course/html/html-basics.html").read().decode()
    assert 'src="/static/images/dot.png"' in html


def test_workbook_embeds_the_image(course_with_image: Course, tmp_path: Path) -> None:
    path = FORMATS["workbook"].run(compile_edition(course_with_image, "family"), tmp_path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    images = [img for page in reader.pages for img in page.images]
    assert images, "no image XObject in the workbook"
