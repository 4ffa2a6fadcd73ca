"""Quiz-level overrides (attempts, pass mark, draw, shuffle) and the course's paper reach every format the
same way (issue #13).

A copy of the minimal course sets the final test to 3 attempts, a 95 % pass mark, a draw of 2 of its 3
items and no shuffling, against the edition defaults of 2, 80, the whole pool and shuffled; and its
course.yaml sets Letter paper. Every artifact that states one of these must state the course's own value.
"""

from __future__ import annotations

import json
import re
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from pdf_support.pdfcheck import page_sizes_mm, text

from course.build import build
from course.loader import load_course

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("override") / "course"
    shutil.copytree(MINIMAL, src)
    final = src / "quizzes" / "final.yaml"
    settings = "settings:\n  attempts: 3\n  pass_mark: 95\n  shuffle: false\n"
    assert "settings:\n  draw: 2\n" in final.read_text()  # the fixture's own override of the whole pool
    final.write_text(final.read_text().replace("settings:\n", settings, 1))
    manifest = src / "lessons" / "course.yaml"
    assert "paper:" not in manifest.read_text()  # the default is A4
    manifest.write_text(manifest.read_text() + "paper: letter\n")
    course, found = load_course(src)
    assert course is not None, [str(d) for d in found.items]
    out = src.parent / "dist"
    build(course, out, editions=["staff", "ce"],
          formats=["scorm2004", "olx", "olx-xblock", "workbook", "facilitator-guide", "certificate", "json"],
          options={"olx_banks": "fixed"}, jobs=1, reuse=False)
    return out


def _one(folder: Path, suffix: str) -> Path:
    return next(p for p in folder.iterdir() if p.name.endswith(suffix))


@pytest.mark.parametrize("edition", ["staff", "ce"])
def test_pdfs_state_the_final_tests_own_values(built, edition):
    workbook = " ".join(text(_one(built / edition, "-workbook.pdf")).split())
    guide = " ".join(text(_one(built / edition, "-facilitator-guide.pdf")).split())
    assert "Score at least 95%" in workbook and "up to 3 attempts" in workbook
    assert "Pass mark 95%, up to 3 attempts" in guide
    assert "Pass mark 95%; each attempt draws 2 of these 3 items" in guide
    assert "up to 2 attempts" not in workbook + guide and "80%" not in workbook + guide


@pytest.mark.parametrize("edition", ["staff", "ce"])
def test_scorm_and_olx_state_the_same_values(built, edition):
    with zipfile.ZipFile(_one(built / edition, "-scorm2004.zip")) as zf:
        data = json.loads(zf.read("course-data.js").decode().split("=", 1)[1].rstrip(";\n"))
        manifest = zf.read("imsmanifest.xml").decode()
    final = next(q for q in data["quizzes"] if q["role"] == "final")
    assert (data["pass"], final["att"], final["pass"], final["draw"], final["shuf"]) == (95, 3, 95, 2, False)
    assert "<imsss:minNormalizedMeasure>0.95</imsss:minNormalizedMeasure>" in manifest
    with tarfile.open(_one(built / edition, "-olx.tar.gz")) as tf:
        files = {m.name: tf.extractfile(m).read().decode() for m in tf.getmembers()
                 if m.isfile() and m.name.endswith((".xml", ".json"))}
    policy = next(v for k, v in files.items() if k.endswith("grading_policy.json"))
    assert json.loads(policy)["GRADE_CUTOFFS"] == {"Pass": 0.95}
    finals = [v for k, v in files.items() if re.search(r"problem/p-final-", k)]
    assert len(finals) == 2 and all('max_attempts="3"' in v for v in finals)
    assert not any('shuffle="true"' in v for v in finals)
    with tarfile.open(_one(built / edition, "-olx-xblock.tar.gz")) as tf:
        blocks = "".join(tf.extractfile(m).read().decode() for m in tf.getmembers()
                         if m.isfile() and m.name.endswith(".xml"))
    quiz = re.search(r"<attachment_quiz [^>]*url_name=\"xq-final\"[^>]*>", blocks)
    assert quiz, "the final test's block"
    for attribute in ('max_attempts="3"', 'pass_mark="95"', 'shuffle="false"', 'draw="2"'):
        assert attribute in quiz.group(0)


@pytest.mark.parametrize("edition", ["staff", "ce"])
def test_every_pdf_is_on_the_courses_paper(built, edition):
    pdfs = sorted((built / edition).glob("*.pdf"))
    assert len(pdfs) == (3 if edition == "ce" else 2)  # workbook, guide (and the sample certificate)
    for pdf in pdfs:
        assert page_sizes_mm(pdf) in ({(216, 279)}, {(279, 216)}), pdf.name  # Letter (the certificate: landscape)


def test_sample_certificate_builds_above_a_90_pass_mark(built):
    cert = " ".join(text(_one(built / "ce", "-certificate.pdf")).split())
    assert "95%" in cert and "SAMPLE" in cert
