"""Shared fixtures: the repository root, the shipped course, the minimal fixture course, a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from scorm_support import chromium

from course.loader import load_course
from course.model import Course

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "courses"
MATERIAL = ROOT.parent / "shared" / "material" / "attachment-trauma-in-addiction.md"


def _load(path: Path) -> Course:
    course, found = load_course(path)
    assert course is not None, "\n".join(str(d) for d in found.items)
    return course


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def real_course() -> Course:
    """The shipped course (lessons/ and quizzes/ at the repository root)."""
    return _load(ROOT)


@pytest.fixture(scope="session")
def minimal_course() -> Course:
    """The smallest fixture course that passes every check."""
    return _load(FIXTURES / "minimal")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium (Debian's, through Playwright) for the test module."""
    with chromium() as b:
        yield b
