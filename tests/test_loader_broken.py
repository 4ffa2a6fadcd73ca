"""Broken sources: minimal + one defect each; `course check` prints the exact diagnostic and exits 1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from course.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "courses"
MINIMAL = FIXTURES / "minimal"

# A patch maps a path inside the course to new text, a text edit, bytes, or None (delete).
Patch = dict[str, "str | bytes | Callable[[str], str] | None"]


def sub(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    """A text edit replacing ``old`` (which must occur) by ``new``."""

    def edit(text: str) -> str:
        assert old in text, f"patch target not found: {old!r}"
        return text.replace(old, new, count)

    return edit


def append(extra: str) -> Callable[[str], str]:
    """A text edit appending ``extra``."""
    return lambda text: text + extra


def make_course(dest: Path, patch: Patch, base: Path = MINIMAL) -> Path:
    """Copy ``base`` to ``dest`` and apply ``patch``; returns ``dest``."""
    shutil.copytree(base, dest)
    for rel, change in patch.items():
        path = dest / rel
        if change is None:
            path.unlink()
        elif isinstance(change, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(change)
        elif isinstance(change, str):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change, encoding="utf-8")
        else:
            path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


LESSON = "lessons/01-basics.md"
BASICS = "quizzes/basics.yaml"
FINAL = "quizzes/final.yaml"
MANIFEST = "lessons/course.yaml"
FACTS = "lessons/facts.yaml"
EXTRA_LESSON = """---
id: extra
title: An extra lesson
minutes: 10
objectives:
  - id: obj-x-1
    text: Name one extra idea.
facts: [F01]
---

Extra text.
"""

# name -> (patch, the exact diagnostic line expected in `course check` output)
CASES: dict[str, tuple[Patch, str]] = {
    "yaml-syntax": (
        {BASICS: sub("    stem: What can unreliable", "    stem: [What can unreliable")},
        "quizzes/basics.yaml:12: error: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts at line 11) [yaml.syntax]",
    ),
    "missing-key": (
        {BASICS: sub("    rationale: The lesson links unreliable early care with later trust problems.\n", "")},
        "quizzes/basics.yaml:9: error: items[0].rationale: required field is missing [schema.missing]",
    ),
    "wrong-type": (
        {LESSON: sub("minutes: 15", "minutes: fifteen")},
        "lessons/01-basics.md:4: error: minutes: Input should be a valid integer, unable to parse string as "
        "an integer (got 'fifteen') [schema.int_parsing]",
    ),
    "unknown-field": (
        {BASICS: sub("    key: true\n", "    key: true\n    corect: true\n")},
        "quizzes/basics.yaml:24: error: items[1].corect: unknown field (check the spelling) "
        "[schema.extra_forbidden]",
    ),
    "duplicate-id": (
        {BASICS: sub("  - id: b-02", "  - id: b-01")},
        "quizzes/basics.yaml:20: error: items[1].id: duplicate item id 'b-01' (first at line 9) "
        "[schema.duplicate-id]",
    ),
    "duplicate-key": (
        {FINAL: sub("role: final\n", "role: final\nrole: final\n")},
        "quizzes/final.yaml:4: error: role: key written twice in one mapping (first at line 3) "
        "[yaml.duplicate-key]",
    ),
    "dangling-objective": (
        {BASICS: sub("    objective: obj-b-2\n    facts: [F02]\n  - id: b-03",
                     "    objective: obj-b-9\n    facts: [F02]\n  - id: b-03")},
        "quizzes/basics.yaml:20: error: objective: unknown objective 'obj-b-9' [ref.objective]",
    ),
    "dangling-fact": (
        {BASICS: sub("    facts: [F01]\n", "    facts: [F99]\n")},
        "quizzes/basics.yaml:9: error: facts: unknown fact 'F99' [ref.fact]",
    ),
    "single-choice-no-key": (
        {BASICS: sub("    key: a\n", "    key: []\n")},
        "quizzes/basics.yaml:16: error: items[0].key: a single_choice item needs exactly one key, found 0 "
        "[schema.value_error]",
    ),
    "single-choice-two-keys": (
        {BASICS: sub("    key: a\n", "    key: [a, b]\n")},
        "quizzes/basics.yaml:16: error: items[0].key: a single_choice item needs exactly one key, found 2 "
        "[schema.value_error]",
    ),
    "unknown-item-kind": (
        {FINAL: sub("kind: matching", "kind: matchin")},
        "quizzes/final.yaml:9: error: items[0].kind: unknown kind 'matchin' (expected one of: single_choice, "
        "multiple_response, true_false, matching, ordering) [schema.union_tag_invalid]",
    ),
    "matching-incomplete-pair": (
        {FINAL: sub(" match: Calming distress,", "")},
        "quizzes/final.yaml:13: error: items[0].pairs[1].match: required field is missing [schema.missing]",
    ),
    "empty-quiz": (
        {FINAL: lambda text: text.split("items:")[0] + "items: []\n"},
        "quizzes/final.yaml:7: error: items: List should have at least 1 item after validation, not 0 "
        "[schema.too_short]",
    ),
    "empty-file": (
        {FINAL: ""},
        "quizzes/final.yaml:1: error: file is empty [source.empty]",
    ),
    "not-a-mapping": (
        {"lessons/glossary.yaml": "- attachment\n- trust\n"},
        "lessons/glossary.yaml:1: error: expected a mapping of fields (key: value lines), found a list "
        "[schema.not-a-mapping]",
    ),
    "unlisted-lesson": (
        {"lessons/02-extra.md": EXTRA_LESSON},
        "lessons/02-extra.md:2: error: id: lesson 'extra' is not listed under 'lessons' in lessons/course.yaml "
        "[ref.unlisted-lesson]",
    ),
    "certificate-ungraded": (
        {MANIFEST: sub("audience: Counselors\n    graded: true", "audience: Counselors\n    graded: false")},
        "lessons/course.yaml:43: error: editions.ce.certificate: true needs graded: true (a certificate states "
        "the passing score) [schema.value_error]",
    ),
    "listed-lesson-missing": (
        {MANIFEST: sub("lessons: [basics]", "lessons: [basics, advanced]")},
        "lessons/course.yaml:14: error: lessons: no lesson file has id 'advanced' [ref.lesson]",
    ),
    "missing-front-matter": (
        {LESSON: "# The basics\n\nNo front matter here.\n"},
        "lessons/01-basics.md:1: error: missing front matter: the file must start with a '---' line "
        "[lesson.front-matter]",
    ),
    "raw-script": (
        {LESSON: append("\n<script>alert(1)</script>\n")},
        "lessons/01-basics.md:50: error: raw HTML <script> is not allowed in lessons: write Markdown or a ::: "
        "block instead [lesson.raw-html]",
    ),
    "onerror": (
        {LESSON: append("\nA picture <img src=x onerror=alert(1)> here.\n")},
        "lessons/01-basics.md:50: error: raw HTML <img> with event handler 'onerror' is not allowed in lessons: "
        "write Markdown or a ::: block instead [lesson.raw-html]",
    ),
    "javascript-link": (
        {LESSON: append("\nSee [this](javascript:alert(1)).\n")},
        "lessons/01-basics.md:50: error: javascript: links are not allowed [lesson.link]",
    ),
    "javascript-second-line": (
        {LESSON: append("\nA first line,\nthen a [link](JavaScript:alert(1)) on the second.\n")},
        "lessons/01-basics.md:51: error: javascript: links are not allowed [lesson.link]",
    ),
    "image-outside": (
        {LESSON: append("\n![secret](../../outside.png)\n")},
        "lessons/01-basics.md:50: error: image '../../outside.png' is outside the course: use a path inside "
        "lessons/ [lesson.image]",
    ),
    "unknown-block": (
        {LESSON: append("\n::: quizz\nWhat?\n:::\n")},
        "lessons/01-basics.md:50: error: unknown block 'quizz' (known: edition, facilitator, reflection, "
        "vignette, discussion, themes, keypoints, activity, gethelp, callout, delivery, additions) [lesson.block]",
    ),
    "unknown-block-attribute": (
        {LESSON: sub("::: reflection lines=4", "::: reflection lnes=4")},
        "lessons/01-basics.md:30: error: block 'reflection': unknown attribute 'lnes' (allowed: editions, "
        "facts, lines) [lesson.block-attr]",
    ),
    "non-utf8": (
        {"lessons/glossary.yaml": b"terms:\n  - id: attachment\n    term: Attachment\n"
         b"    definition: Caf\xe9 bond.\n    facts: [F01]\n"},
        "lessons/glossary.yaml:4: error: not valid UTF-8 (byte 0xe9 at offset 66); save the file as UTF-8 "
        "[source.encoding]",
    ),
    "untaught-fact": (
        {FACTS: sub("excluded:", "  - id: F03\n    statement: A third fact no lesson teaches.\n"
                    "    paragraphs: [P01]\nexcluded:"),
         BASICS: sub("    facts: [F01]\n", "    facts: [F03]\n")},
        "quizzes/basics.yaml:9: error: facts: 'F03' is not taught in lesson 'basics' (never test what was not "
        "taught) [align.untaught]",
    ),
    # ---- issue #9: safety, wording and source checks
    "gethelp-missing": (
        {"lessons/pages/introduction.md": sub("\n::: gethelp\n:::\n", "")},
        "lessons/pages/introduction.md:1: error: the first page in the staff, family, ce editions does not show the "
        "get-help box: add '::: gethelp' (an empty block) near its top [safety.gethelp]",
    ),
    "gethelp-needed": (
        {FACTS: sub("    paragraphs: [P02]\n", "    paragraphs: [P02]\n    needs_gethelp: true\n")},
        "lessons/01-basics.md:1: error: the lesson teaches F02 (needs_gethelp in lessons/facts.yaml) but shows no "
        "get-help box in the staff, family, ce editions: add '::: gethelp' beside that passage [safety.gethelp]",
    ),
    "gethelp-group-only": (
        {"lessons/pages/introduction.md": sub("::: gethelp\n:::\n", ":::: delivery group\n::: gethelp\n:::\n::::\n")},
        "lessons/pages/introduction.md:1: error: the first page in the staff, family, ce editions does not show the "
        "get-help box: add '::: gethelp' (an empty block) near its top [safety.gethelp]",
    ),
    "gethelp-not-empty": (
        {LESSON: append("\n::: gethelp\nCall us.\n:::\n")},
        "lessons/01-basics.md:50: error: block 'gethelp' is written empty (':::' on the next line): its text comes "
        "from lessons/snippets/get-help.md [lesson.block]",
    ),
    "gethelp-snippet-missing": (
        {"lessons/snippets/get-help.md": None},
        "lessons/pages/introduction.md:8: error: block 'gethelp': lessons/snippets/get-help.md is missing (the box's "
        "text lives there) [lesson.gethelp]",
    ),
    "gethelp-snippet-edition": (
        {"lessons/snippets/get-help.md": sub("::: edition family", "::: edition staff")},
        "lessons/snippets/get-help.md:1: error: the text shows nothing in the family edition: give every edition its "
        "wording (::: edition ...) [lesson.gethelp]",
    ),
    "retired-phrase": (
        {"lessons/retired-phrases.yaml": "phrases:\n  - phrase: HARD to  trust staff\n"
                                         "    reason: a test phrase the course retired\n"},
        "lessons/01-basics.md:27: error: retired phrase 'HARD to  trust staff': a test phrase the course retired "
        "[text.retired-phrase]",
    ),
    "case-name": (
        {LESSON: append("\n::: vignette title=\"Sam, 40 (fictional)\" editions=family,ce\nSam again.\n:::\n")},
        "lessons/01-basics.md:50: error: case name 'Sam' is already used by the vignette at lessons/01-basics.md:26 "
        "in the family, ce editions: give each case its own name [lesson.case-name]",
    ),
    "additions-missing": (
        {FACTS: append("added:\n  - id: G01\n    statement: Tell the team at once about signs of withdrawal.\n"
                       "    basis: Standard safety practice, not from the source.\n")},
        "lessons/facts.yaml:12: error: added: the course adds 1 fact(s) of its own, but no page lists them in the "
        "staff, family, ce editions: add '::: additions' to the source page [source.additions]",
    ),
    "callout-without-title": (
        {LESSON: append("\n::: callout\nIf you are a parent.\n:::\n")},
        "lessons/01-basics.md:50: error: block 'callout': 'title' is required (callout title=\"...\") "
        "[lesson.block-attr]",
    ),
    "delivery-unknown": (
        {LESSON: append("\n::: delivery online\nAt home.\n:::\n")},
        "lessons/01-basics.md:50: error: block 'delivery' needs 'group' or 'self'; got 'online' [lesson.block-attr]",
    ),
    "paragraph-not-covered": (
        {FACTS: sub("paragraphs: 3", "paragraphs: 4")},
        "lessons/facts.yaml:1: error: paragraphs: P04 is neither cited by a fact nor excluded with a reason "
        "[source.paragraph]",
    ),
}


def check(source: Path) -> tuple[int, str]:
    """Run `course check --source` in-process; exit code and combined output."""
    result = CliRunner().invoke(main, ["check", "--source", str(source)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an internal bug: let pytest show it
    return result.exit_code, result.output


def assert_fails_with(source: Path, expected: str) -> None:
    """Exit status 1, the exact diagnostic line, and no traceback."""
    code, output = check(source)
    assert code == 1, output
    assert "Traceback" not in output
    assert expected in output.splitlines(), output


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_source(name: str, tmp_path: Path) -> None:
    """Each generated defect gives its one exact diagnostic."""
    patch, expected = CASES[name]
    assert_fails_with(make_course(tmp_path / f"broken-{name}", patch), expected)


def _committed() -> list[Path]:
    return sorted(FIXTURES.glob("broken-*"))


@pytest.mark.parametrize("folder", _committed(), ids=[p.name for p in _committed()])
def test_committed_broken_course(folder: Path) -> None:
    """The committed broken-* folders (readable examples) fail with the line in their EXPECTED file."""
    expected = (folder / "EXPECTED").read_text(encoding="utf-8").strip()
    assert_fails_with(folder, expected)


def test_committed_folders_match_generated_cases() -> None:
    """Every committed example is one of the generated cases, with the same expectation."""
    assert len(_committed()) >= 3
    for folder in _committed():
        name = folder.name.removeprefix("broken-")
        assert name in CASES
        assert (folder / "EXPECTED").read_text(encoding="utf-8").strip() == CASES[name][1]


def test_minimal_course_passes() -> None:
    """The base of every broken variant is itself clean."""
    code, output = check(MINIMAL)
    assert code == 0, output
    assert "check passed" in output


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    """Defects in several files are collected before failing, not one per run."""
    patch: Patch = {}
    for name in ("unknown-field", "wrong-type", "non-utf8", "duplicate-key"):
        patch.update(CASES[name][0])
    code, output = check(make_course(tmp_path / "many", patch))
    assert code == 1
    lines = output.splitlines()
    for name in ("unknown-field", "wrong-type", "non-utf8", "duplicate-key"):
        assert CASES[name][1] in lines
    assert "4 error(s), 0 warning(s); nothing was written." in lines


# ------------------------------------------------------------------ files that cannot be read


def test_huge_file(tmp_path: Path) -> None:
    """A 20 MB lesson is refused without reading it."""
    course = make_course(tmp_path / "huge", {})
    with open(course / "lessons" / "02-huge.md", "wb") as fh:
        fh.truncate(20 * 1024 * 1024)
    assert_fails_with(course, "lessons/02-huge.md:1: error: file is too large (20.0 MB; the limit is 2 MB) "
                      "[source.too-large]")


def test_unreadable_folder_named_like_a_lesson(tmp_path: Path) -> None:
    """A folder where a lesson file is expected."""
    course = make_course(tmp_path / "folder", {})
    (course / "lessons" / "02-folder.md").mkdir()
    assert_fails_with(course, "lessons/02-folder.md:1: error: cannot read file: it is a folder [source.unreadable]")


def test_unreadable_broken_link(tmp_path: Path) -> None:
    """A required file that is a dangling symlink."""
    course = make_course(tmp_path / "link", {})
    facts = course / "lessons" / "facts.yaml"
    facts.unlink()
    facts.symlink_to(tmp_path / "nowhere.yaml")
    assert_fails_with(course, f"lessons/facts.yaml:1: error: cannot read file: it is a broken link "
                      f"(to {tmp_path / 'nowhere.yaml'}) [source.unreadable]")


def test_unreadable_pipe(tmp_path: Path) -> None:
    """A named pipe would block a naive reader forever."""
    course = make_course(tmp_path / "pipe", {})
    os.mkfifo(course / "lessons" / "02-pipe.md")
    assert_fails_with(course, "lessons/02-pipe.md:1: error: cannot read file: it is not a regular file "
                      "[source.unreadable]")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files despite chmod 000")
def test_unreadable_permissions(tmp_path: Path) -> None:
    """A file without read permission."""
    course = make_course(tmp_path / "chmod", {})
    glossary = course / "lessons" / "glossary.yaml"
    glossary.chmod(0)
    assert_fails_with(course, "lessons/glossary.yaml:1: error: cannot read file: Permission denied "
                      "[source.unreadable]")


def test_missing_required_file(tmp_path: Path) -> None:
    """A missing register is named (it has no line to point at)."""
    course = make_course(tmp_path / "missing", {"lessons/glossary.yaml": None})
    assert_fails_with(course, "lessons/glossary.yaml: error: required file is missing [source.missing]")


def test_debug_shows_traceback_only_on_request(tmp_path: Path) -> None:
    """--debug adds the traceback; the diagnostics are still printed."""
    course = make_course(tmp_path / "debug", CASES["unknown-field"][0])
    result = CliRunner().invoke(main, ["check", "--source", str(course), "--debug"])
    assert result.exit_code == 1
    assert CASES["unknown-field"][1] in result.output.splitlines()
    assert "Traceback" in result.output
