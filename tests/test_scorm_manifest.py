"""SCORM packages: manifests valid against the official XSDs, complete file lists, golden manifests,
deterministic zips, the suspend_data budget and the size budget."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pydantic import TypeAdapter
from scorm_support import ROOT, minimal_course, schema

from course.compiled import compile_edition
from course.diagnostics import ExportError
from course.model import Item, QuizBank
from exporters.scorm import SUSPEND_LIMIT_12, export, worst_case_suspend_data

GOLDEN = ROOT / "tests" / "golden"
VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}
EDITIONS = ("staff", "family", "ce")
NS = {"12": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
      "adlcp12": "http://www.adlnet.org/xsd/adlcp_rootv1p2", "imsss": "http://www.imsglobal.org/xsd/imsss"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every edition x version of the minimal course."""
    out = tmp_path_factory.mktemp("scorm")
    return {(e, v): export(compile_edition(minimal_course(), e), out, version=v) for e in EDITIONS for v in VERSIONS}


def _manifest(zip_path: Path) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(zip_path).read("imsmanifest.xml"))


@pytest.mark.parametrize("version", list(VERSIONS))
@pytest.mark.parametrize("edition", EDITIONS)
def test_manifest_is_valid_and_lists_every_file(packages, edition, version):
    path = packages[(edition, version)]
    assert path.name == f"mini-course-{edition}-{VERSIONS[version]}.zip"
    doc = _manifest(path)
    xsd = schema(version)
    assert xsd.validate(doc), xsd.error_log
    names = set(zipfile.ZipFile(path).namelist())
    listed = {f.get("href") for f in doc.iter("{*}file")}
    assert listed == names - {"imsmanifest.xml"}
    resource = next(doc.iter("{*}resource"))
    assert resource.get("href") in names
    assert all(not n.startswith("/") and ".." not in n and "\\" not in n for n in names)
    assert doc.find(".//{*}organization/{*}title").text == "A minimal course"


def test_schema_rejects_a_broken_manifest(packages):
    """The validator is real: an unknown element and a resource without identifier fail."""
    for version, ns in (("1.2", NS["12"]), ("2004", NS["cp"])):
        doc = _manifest(packages[("staff", version)])
        doc.find(f"{{{ns}}}organizations").append(etree.Element(f"{{{ns}}}bogus"))
        assert not schema(version).validate(doc)
        doc = _manifest(packages[("staff", version)])
        del doc.find(f".//{{{ns}}}resource").attrib["identifier"]
        assert not schema(version).validate(doc)


def test_pass_mark_reaches_both_manifests(packages):
    doc12 = _manifest(packages[("ce", "1.2")])
    assert doc12.find(f".//{{{NS['adlcp12']}}}masteryscore").text == "80"
    doc04 = _manifest(packages[("ce", "2004")])
    objective = doc04.find(f".//{{{NS['imsss']}}}primaryObjective")
    assert objective.get("satisfiedByMeasure") == "true"
    assert objective.find(f"{{{NS['imsss']}}}minNormalizedMeasure").text == "0.8"
    # The family edition has no graded assessment: no mastery score at all.
    assert _manifest(packages[("family", "1.2")]).find(f".//{{{NS['adlcp12']}}}masteryscore") is None
    assert _manifest(packages[("family", "2004")]).find(f".//{{{NS['imsss']}}}sequencing") is None


def test_builds_are_byte_identical(packages, tmp_path):
    again = export(compile_edition(minimal_course(), "ce"), tmp_path, version="2004")
    assert again.read_bytes() == packages[("ce", "2004")].read_bytes()


def _normalized(data: bytes) -> str:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(data, parser), pretty_print=True, encoding="unicode")


@pytest.mark.parametrize("version", list(VERSIONS))
def test_golden_manifests(packages, version):
    """Normalized manifests match tests/golden/<format>/; UPDATE_GOLDEN=1 rewrites them."""
    for edition in EDITIONS:
        zf = zipfile.ZipFile(packages[(edition, version)])
        for name in sorted(n for n in zf.namelist() if n.endswith(".xml")):
            golden = GOLDEN / VERSIONS[version] / edition / name
            text = _normalized(zf.read(name))
            if os.environ.get("UPDATE_GOLDEN"):
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_text(text, encoding="utf-8")
            assert golden.exists(), f"missing {golden}; run with UPDATE_GOLDEN=1"
            assert text == golden.read_text(encoding="utf-8"), f"{golden} differs; run with UPDATE_GOLDEN=1"


def test_no_answer_key_in_the_package(packages):
    """Feedback and rationale are masked; the data file carries no key field."""
    data = zipfile.ZipFile(packages[("ce", "2004")]).read("course-data.js").decode()
    for clear in ("Yes. Unreliable care can make trust hard.", "The lesson links unreliable early care",
                  "Correct. This is one reason", '"key"'):
        assert clear not in data


def test_size_budget(packages):
    static = ROOT / "exporters" / "scorm" / "static"
    # Issue #15's budget, "player JS + CSS <= 80 KB unminified": the player every delivery runs (core.js,
    # player.js, player.css). The delivery adapters, lms.js (SCORM, standalone) and cmi5.js, are one
    # per launch kind and are budgeted on their own.
    player = sum((static / n).stat().st_size for n in ("core.js", "player.js", "player.css"))
    assert player <= 80 * 1024, f"player JS + CSS is {player} bytes"
    adapters = sum((static / n).stat().st_size for n in ("lms.js", "cmi5.js"))
    assert adapters <= 32 * 1024, f"the LMS adapters are {adapters} bytes"
    for path in packages.values():
        assert path.stat().st_size <= 1024 * 1024


def _big_course():
    """5 lessons x 10 items + a 30-item final, every item at its largest state size."""
    course = minimal_course()
    item = TypeAdapter(Item)
    base = {"stem": "S", "rationale": "R", "objective": "obj-b-1", "facts": ["F01"]}
    opts = [{"id": f"o{n}", "text": f"O{n}", "feedback": "F"} for n in range(8)]
    kinds = [
        {"kind": "single_choice", "options": opts, "key": "o1"},
        {"kind": "multiple_response", "options": opts, "key": ["o1", "o2"]},
        {"kind": "true_false", "key": True, "feedback_true": "T", "feedback_false": "F"},
        {"kind": "matching", "pairs": [{"id": f"p{n}", "prompt": f"P{n}", "match": f"M{n}", "feedback": "F"}
                                       for n in range(8)]},
        {"kind": "ordering", "steps": [{"id": f"s{n}", "text": f"S{n}", "feedback": "F"} for n in range(8)]},
    ]

    def bank(bank_id: str, role: str, n: int, lesson: str | None) -> QuizBank:
        items = [item.validate_python({**base, **kinds[i % 5], "id": f"{bank_id}-{i}"}) for i in range(n)]
        return QuizBank(id=bank_id, title=bank_id, role=role, lesson=lesson, editions=["staff", "ce"], items=items)

    lessons = [course.lessons[0].model_copy(update={"id": f"lesson-{n}"}) for n in range(5)]
    quizzes = [bank(f"q{n}", "lesson", 10, f"lesson-{n}") for n in range(5)] + [bank("final", "final", 30, None)]
    manifest = course.manifest.model_copy(update={"lessons": [lesson.id for lesson in lessons]})
    return course.model_copy(update={"lessons": lessons, "quizzes": quizzes, "manifest": manifest})


def test_worst_case_suspend_data_fits_scorm_12():
    small = worst_case_suspend_data(compile_edition(minimal_course(), "ce"))
    big = worst_case_suspend_data(compile_edition(_big_course(), "ce"))
    print(f"worst-case suspend_data: minimal ce {small}, 5x10+30 ce {big} characters")
    assert small <= big <= 3000 < SUSPEND_LIMIT_12


def test_export_fails_when_suspend_data_could_overflow(monkeypatch, tmp_path):
    monkeypatch.setattr("exporters.scorm.SUSPEND_LIMIT_12", 10)
    with pytest.raises(ExportError, match="suspend_data"):
        export(compile_edition(minimal_course(), "ce"), tmp_path, version="1.2")
