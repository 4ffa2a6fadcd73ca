"""OLX archives of the fixture course: olxcleaner at its strictest, structure, grading, determinism."""

from __future__ import annotations

from pathlib import Path

import olxcleaner
import pytest
from olx_support.olx import CUSTOM, extract, lms_grade, problem_errors, run_of, scored_components, walk

from course.compiled import compile_edition
from course.loader import load_course
from course.scoring import passed
from exporters.olx import export

FIXTURE = Path(__file__).parent / "fixtures" / "courses" / "minimal"
CASES = [(e, f) for e in ("staff", "family", "ce") for f in ("builtin", "xblock")]


@pytest.fixture(scope="module")
def course():
    """The fixture course, loaded once."""
    loaded, diagnostics = load_course(FIXTURE)
    assert loaded is not None, diagnostics
    return loaded


@pytest.fixture(scope="module")
def archives(course, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every edition x flavour, exported and extracted."""
    out = {}
    for edition, flavour in CASES:
        base = tmp_path_factory.mktemp(f"{edition}-{flavour}")
        tarball = export(compile_edition(course, edition), base, flavour=flavour)
        out[(edition, flavour)] = extract(tarball, base / "x")
    return out


@pytest.mark.parametrize("edition,flavour", CASES)
def test_olxcleaner_strictest_level_passes(archives, edition, flavour):
    """All 8 stages, and no warning either (edx-cleaner -p 8 -f 2); only our own tags are allowed extra."""
    root = archives[(edition, flavour)]
    _, errors, url_names = olxcleaner.validate(str(root), steps=8, allowed_xblocks=list(CUSTOM))
    problems = [f"{e.__class__.__name__}: {e.description}" for e in errors.errors]
    assert problems == []
    assert url_names  # stage 3 ran


@pytest.mark.parametrize("edition,flavour", CASES)
def test_every_url_name_resolves_and_is_unique(archives, edition, flavour):
    """Pointers resolve to files of the right tag; no url_name is used twice."""
    blocks = walk(archives[(edition, flavour)])
    names = [(tag, name) for tag, name, _ in blocks]
    assert len(names) == len(set(names))
    tags = {tag for tag, _ in names}
    assert {"chapter", "sequential", "vertical", "html"} <= tags
    if flavour == "xblock":
        assert "problem" not in tags
    else:
        assert not tags & set(CUSTOM)


@pytest.mark.parametrize("edition", ["staff", "ce"])
def test_capa_problems_follow_the_rules(archives, course, edition):
    """One correct choice per single choice, a key per response, labels, and every drawn item present."""
    root = archives[(edition, "builtin")]
    problems = [el for tag, _, el in walk(root) if tag == "problem"]
    assert problems
    for el in problems:
        assert problem_errors(el) == [], el.get("display_name")
    kinds = {r.tag for el in problems for r in el if r.tag.endswith("response")}
    assert kinds == {"multiplechoiceresponse", "choiceresponse", "optionresponse"}


def test_single_choice_check_catches_two_keys():
    """The structural check itself: a problem with two correct choices is reported."""
    from lxml import etree

    bad = etree.fromstring('<problem><multiplechoiceresponse><label>Q</label><choicegroup>'
                           '<choice correct="true">a</choice><choice correct="true">b</choice>'
                           '</choicegroup></multiplechoiceresponse></problem>')
    assert problem_errors(bad) == ["multiplechoiceresponse with 2 correct of 2 choices"]


@pytest.mark.parametrize("edition,flavour", CASES)
def test_graded_formats_exist_in_grading_policy(archives, edition, flavour):
    """A graded sequential's format must be a GRADER type, or its grade never reaches the Progress page."""
    import json

    root = archives[(edition, flavour)]
    policy = json.loads((root / "policies" / run_of(root) / "grading_policy.json").read_text())
    types = {g["type"] for g in policy["GRADER"]}
    graded = [el for tag, _, el in walk(root) if tag == "sequential" and el.get("graded") == "true"]
    for seq in graded:
        assert seq.get("format") in types
    if edition == "family":
        assert graded == []  # practice only: no pass/fail status comes from quiz results
    else:
        assert {seq.get("format") for seq in graded} == types
        assert abs(sum(g["weight"] for g in policy["GRADER"]) - 1) < 1e-9
        assert policy["GRADE_CUTOFFS"] == {"Pass": course_pass_mark(edition) / 100}


def course_pass_mark(edition: str) -> int:
    """The fixture's edition pass mark."""
    loaded, _ = load_course(FIXTURE)
    return loaded.edition(edition).pass_mark


@pytest.mark.parametrize("edition,flavour", [c for c in CASES if c[0] != "family"])
def test_lms_grade_reproduces_the_pass_rule(archives, edition, flavour):
    """A perfect learner passes; missing items one by one, LMS pass/fail agrees with the kit's rule,
    and the first learner below the pass mark fails."""
    root = archives[(edition, flavour)]
    comps = scored_components(root)
    weights = {iid: c.weight * share for c in comps for iid, share in c.shares.items()}
    total = sum(weights.values())
    assert lms_grade(root, set()) == (1.0, True)
    missed: set[str] = set()
    crossed = False
    for iid in sorted(weights, key=lambda i: (weights[i], i)):
        missed.add(iid)
        kit_percent = round(100 * (total - sum(weights[i] for i in missed)) / total, 2)
        percent, lms_passed = lms_grade(root, missed)
        assert lms_passed == passed(kit_percent, course_pass_mark(edition)), (missed, kit_percent, percent)
        if not lms_passed:
            crossed = True
            break
    assert crossed, "no learner below the pass mark was reached"


def test_archives_are_deterministic(course, tmp_path):
    """Two exports of the same edition are byte-identical."""
    for flavour in ("builtin", "xblock"):
        a = export(compile_edition(course, "ce"), _mk(tmp_path / f"a-{flavour}"), flavour=flavour).read_bytes()
        b = export(compile_edition(course, "ce"), _mk(tmp_path / f"b-{flavour}"), flavour=flavour).read_bytes()
        assert a == b


def test_policy_dates_image_and_about(archives):
    """Course start/end, course image and the about page with objectives and CE contact hours."""
    import json

    root = archives[("ce", "builtin")]
    settings = json.loads((root / "policies" / run_of(root) / "policy.json").read_text())[f"course/{run_of(root)}"]
    assert settings["start"] == "2026-01-15T00:00:00Z" and settings["end"] > settings["start"]
    assert (root / "static" / settings["course_image"]).read_bytes().startswith(b"\x89PNG")
    overview = (root / "about" / "overview.html").read_text()
    assert "Identify how unreliable early care affects trust." in overview
    assert "0.25 contact hours" in overview
    assert "contact hours" not in (archives[("staff", "builtin")] / "about" / "overview.html").read_text()
    xsettings = json.loads((archives[("ce", "xblock")] / "policies" / run_of(root) / "policy.json").read_text())
    assert xsettings[f"course/{run_of(root)}"]["advanced_modules"] == ["attachment_quiz", "attachment_lesson"]


def _mk(path: Path) -> Path:
    path.mkdir(parents=True)
    return path
