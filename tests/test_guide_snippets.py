"""The facilitator guide's own prose lives in lessons/snippets/guide-*.md, not in templates: it is checked like
lesson text (lint, retired phrases, reading ceiling), each guide prints its own edition's wording, and a course
without those files still builds its guide (the parts are optional)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_loader_broken import MINIMAL, Patch, check, make_course, sub

from course.compiled import compile_edition
from course.loader import SNIPPETS, load_course

ROOT = Path(__file__).parent.parent
SNIPPET_DIR = ROOT / "lessons" / "snippets"
TEMPLATES = ROOT / "exporters" / "pdf" / "templates"
QUESTIONS = "lessons/snippets/guide-hard-questions.md"
GUIDE_TEXTS = sorted(p.name for p in SNIPPET_DIR.glob("guide-*.md"))


def with_guide_texts(dest: Path) -> Path:
    """The minimal course plus the real course's guide texts."""
    shutil.copytree(MINIMAL, dest)
    for name in GUIDE_TEXTS:
        shutil.copy(SNIPPET_DIR / name, dest / "lessons" / "snippets" / name)
    return dest


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the one line of ``path`` holding ``text``."""
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1) if text in line]
    assert len(lines) == 1, lines
    return lines[0]


def guide(root: Path, edition: str) -> str:
    from exporters.pdf import build_html

    course, found = load_course(root)
    assert course is not None, "\n".join(map(str, found.items))
    return build_html(compile_edition(course, edition), "facilitator-guide")


def test_the_course_keeps_its_guide_texts_in_sources() -> None:
    """Every snippet is shown by a block or printed by a template (a misspelt file name would print nothing),
    and no template picks prose by edition name any more."""
    templates = "".join(p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.html"))
    assert GUIDE_TEXTS == ["guide-checklist.md", "guide-contacts.md", "guide-facilitators.md",
                           "guide-hard-questions.md"]
    for path in SNIPPET_DIR.glob("*.md"):
        assert path.stem in SNIPPETS.values() or f'"{path.stem}"' in templates, path.name
    assert not re.search(r"ed\.edition\s*==", templates)


@pytest.mark.parametrize(("edition", "own", "others"), [
    ("family", "no parent gets everything right", ["note it for the formulation", "Pass the conversation on"]),
    ("staff", "Pass the conversation on to the team.", ["note it for the formulation", "no parent gets"]),
    ("ce", "note it for the formulation", ["Pass the conversation on", "no parent gets everything right"]),
])
def test_each_guide_prints_its_own_editions_answers(tmp_path: Path, edition: str, own: str,
                                                    others: list[str]) -> None:
    html = guide(with_guide_texts(tmp_path / "course"), edition)
    section = html[html.index('<section class="back hard-questions"'):html.index('<section class="back answer-key"')]
    assert "<h1>Questions groups ask</h1>" in section and '<h2>"Did I cause this?"</h2>' in section
    assert own in section and not any(o in html for o in others)
    assert 'class="blk' not in section  # printed as the guide's own text, not as boxes
    assert '<a href="#hard-questions">Questions groups ask' in html


def test_contacts_and_checklist_items_take_the_guides_layout(tmp_path: Path) -> None:
    """A snippet's list becomes the rows of the fill-in contacts table and items of the checklist."""
    html = guide(with_guide_texts(tmp_path / "course"), "ce")
    assert ('<tr><th scope="row">Emergency services</th><td></td></tr>\n'
            '        <tr><th scope="row">Clinical or medical team on duty</th><td></td></tr>') in html
    assert '<tr><th scope="row">Clinical supervision or employee support</th><td></td></tr>' in html
    assert "<li>Print the quiz pages and, for the final test, the paper forms (see below).</li>" in html
    assert "<h2>Who can facilitate this edition</h2>\n  <p>A licensed or certified addiction counselor" in html
    assert "Read-aloud" not in html and "Staff support" not in html


def test_a_course_without_guide_texts_builds_its_guide_without_those_parts() -> None:
    """The guide texts are optional: the minimal course has none, and its guide leaves those parts out."""
    html = guide(MINIMAL, "family")
    assert 'id="hard-questions"' not in html and "Questions groups ask" not in html
    assert "Who can facilitate" not in html
    assert '<tr><th scope="row">Emergency services</th><td></td></tr>\n      </tbody>' in html
    assert "<h2>Preparation checklist</h2>" in html


# A defect put into the guide's answers: the patch, a text on the line it must be reported at (None: line 1),
# and the diagnostic after "path:line: ".
DEFECTS: dict[str, tuple[Patch, str | None, str]] = {
    "retired-phrase": (
        {"lessons/retired-phrases.yaml": "phrases:\n  - phrase: the guilt weighs heavily\n"
                                         "    reason: a test phrase the course retired\n"},
        "the guilt weighs heavily",
        "error: retired phrase 'the guilt weighs heavily': a test phrase the course retired [text.retired-phrase]",
    ),
    "stigmatizing-word": (
        {QUESTIONS: sub("Pass the conversation on to the team.", "Pass the addict's worries on to the team.")},
        "the addict's worries",
        "error: stigmatizing term 'addict': say a person with a substance use disorder [lang.stigma]",
    ),
    "edition-missing": (
        {QUESTIONS: sub("::: edition ce\n", "::: edition staff\n")},
        None,
        "error: the text shows nothing in the ce edition: give every edition its wording (::: edition ...) "
        "[snippet.edition]",
    ),
}


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_a_defect_in_the_guide_answers_fails_the_check_at_its_line(tmp_path: Path, name: str) -> None:
    patch, needle, message = DEFECTS[name]
    root = make_course(tmp_path / "course", patch, base=with_guide_texts(tmp_path / "base"))
    code, output = check(root)
    line = line_of(root / QUESTIONS, needle) if needle else 1
    assert code == 1
    assert f"{QUESTIONS}:{line}: {message}" in output.splitlines(), output


def test_the_reading_ceiling_covers_what_readers_hear_not_facilitator_notes(tmp_path: Path) -> None:
    """The family answers are held to the family ceiling; the qualifications text, inside ::: facilitator, is
    not (it would be above the minimal course's family ceiling of 10)."""
    root = with_guide_texts(tmp_path / "course")
    course, _ = load_course(root)
    assert course is not None
    facilitators = next(s for s in course.snippets if s.name == "guide-facilitators")
    assert facilitators.grades == {"staff": 0.0, "family": 0.0, "ce": 0.0}
    code, output = check(root)
    assert code == 0 and "text.reading-level" not in output, output
    path = root / QUESTIONS
    hard = ("Intergenerational transmission of insecure attachment organisation characteristically "
            "necessitates comprehensive multidisciplinary psychotherapeutic intervention.")
    text = path.read_text(encoding="utf-8")
    family = text[text.index("::: edition family\n"):text.index("\n:::\n") + 5]  # the family answers, whole
    path.write_text(text.replace(family, f"::: edition family\n{hard}\n:::\n"), encoding="utf-8")
    _, output = check(root)
    assert re.search(rf"^{QUESTIONS}:1: warning: reading level: Flesch-Kincaid grade [\d.]+ is above the family "
                     r"edition's ceiling of 10 \[text.reading-level\]$", output, re.MULTILINE), output


def test_a_snippet_file_name_must_be_an_id(tmp_path: Path) -> None:
    root = with_guide_texts(tmp_path / "course")
    (root / "lessons" / "snippets" / "guide-facilitators.md").rename(root / "lessons" / "snippets" / "Guide_Who.md")
    code, output = check(root)
    assert code == 1
    assert ("lessons/snippets/Guide_Who.md:1: error: a snippet's file name is its id: lower-case letters, digits "
            "and '-', at most 64 (got 'Guide_Who') [snippet.name]") in output.splitlines()
