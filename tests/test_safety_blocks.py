"""Issue #9 blocks: the get-help box, delivery group/self, callouts, per-edition titles and course-added facts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from course import checks
from course.compiled import compile_edition
from course.contact import contact_hours
from course.loader import load_course
from course.model import Course

MINIMAL = Path(__file__).parent / "fixtures" / "courses" / "minimal"

LESSON_EXTRA = """
::: callout title="If you are a parent"
Patterns are not blame.
:::

::::: delivery group
Talk about the case with a partner in the room.

::: activity minutes=10 title="Pair talk" selfstudy=yes
Groupwork only.
:::
:::::

::: delivery self
Write down one idea from the case on your own.
:::

::: gethelp
:::

:::: edition family
::: facilitator
Note for family groups only.
:::
::::

::: facilitator editions=staff
Note for staff groups only.
:::
"""
ADDED = """added:
  - id: G01
    statement: Signs of withdrawal after stopping call for medical help at once.
    basis: Standard safety practice in treatment settings; not from the source.
    needs_gethelp: true
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """The minimal course plus every new block, a family title and a course-added fact."""
    root = tmp_path_factory.mktemp("safety") / "course"
    shutil.copytree(MINIMAL, root)
    lesson = root / "lessons" / "01-basics.md"
    text = lesson.read_text(encoding="utf-8").replace("title: The basics\n",
                                                      'title: The basics\ntitles: {family: "Trust, step by step"}\n')
    text = text.replace("facts: [F01, F02]", "facts: [F01, F02, G01]")
    lesson.write_text(text + LESSON_EXTRA, encoding="utf-8")
    facts = root / "lessons" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
    intro = root / "lessons" / "pages" / "introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n## What the course adds\n\n::: additions\n:::\n",
                     encoding="utf-8")
    loaded, found = load_course(root)
    assert loaded is not None, "\n".join(map(str, found.items))
    return loaded


def test_the_extended_course_passes_every_check(course: Course) -> None:
    """Added facts are citable and need no source paragraph; the needs_gethelp lesson has its box."""
    errors = [str(d) for d in checks.run(course).diagnostics.items if d.level == "error"]
    assert errors == []


def test_gethelp_box_has_a_heading_and_the_editions_own_wording(course: Course) -> None:
    staff, family = (compile_edition(course, e) for e in ("staff", "family"))
    for ed, own, other in ((staff, "tell the medical team", "step away"), (family, "step away", "medical team")):
        page = ed.pages[0]
        for html in (page.html, page.workbook_html, ed.lessons[0].learner_html, ed.lessons[0].facilitator_html):
            assert '<section class="blk gethelp">\n<h3 class="blk-title">When to get help now</h3>' in html
            assert own in html and other not in html


def test_delivery_blocks_per_format(course: Course) -> None:
    """Self-paced HTML shows 'self' only; the workbook and the guide show both, labelled."""
    lesson = compile_edition(course, "staff").lessons[0]
    assert "one idea from the case on your own" in lesson.learner_html
    assert "partner in the room" not in lesson.learner_html and "Pair talk" not in lesson.learner_html
    for html in (lesson.workbook_html, lesson.facilitator_html):
        assert '<p class="blk-title">In a group session</p>' in html and "partner in the room" in html
        assert '<p class="blk-title">If you study on your own</p>' in html and "on your own" in html
    assert [a.title for a in lesson.activities] == ["Read and discuss", "Pair talk"]


def test_contact_hours_leave_group_work_out(course: Course) -> None:
    """Group-only words and a group activity's self-study minutes do not count for a self-paced learner."""
    lesson = course.lessons[0]
    assert "partner in the room" not in lesson.views["ce"].text
    assert "on your own" in lesson.views["ce"].text
    assert contact_hours(course, "ce").activity_minutes == 15  # the minimal lesson's own activity, not Pair talk


def test_callout_and_family_title(course: Course) -> None:
    staff, family = (compile_edition(course, e) for e in ("staff", "family"))
    callout = '<section class="blk callout">\n<p class="blk-title">If you are a parent</p>'
    assert callout in staff.lessons[0].learner_html
    assert staff.lessons[0].title == "The basics"
    assert family.lessons[0].title == "Trust, step by step"


def test_additions_block_lists_the_register_with_its_basis(course: Course) -> None:
    html = compile_edition(course, "family").pages[0].html
    assert '<section class="blk additions">' in html
    for text in ("<strong>Definitions.</strong>", "<strong>Cases and activities.</strong>",
                 "<strong>Practice tips.</strong>", "<strong>Safety guidance.</strong>",
                 "Signs of withdrawal after stopping call for medical help at once.",
                 "Standard safety practice in treatment settings; not from the source."):
        assert text in html


def test_report_lists_added_facts(course: Course, tmp_path: Path) -> None:
    from exporters import report

    path = report.export(compile_edition(course, "staff"), tmp_path, checks=checks.run(course))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["added_facts"] == [{"id": "G01", "statement": "Signs of withdrawal after stopping call for medical "
                                    "help at once.", "basis": "Standard safety practice in treatment settings; not "
                                    "from the source."}]
    html = path.with_suffix(".html").read_text(encoding="utf-8")
    assert "Standard safety practice in treatment settings" in html


def test_snippet_text_is_linted_at_its_own_line(tmp_path: Path) -> None:
    """Stigmatizing words in the get-help snippet are reported at the snippet's line, not the lesson's."""
    root = tmp_path / "course"
    shutil.copytree(MINIMAL, root)
    snippet = root / "lessons" / "snippets" / "get-help.md"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace("step away", "keep the addict away"),
                       encoding="utf-8")
    loaded, _ = load_course(root)
    assert loaded is not None
    found = [str(d) for d in checks.run(loaded).diagnostics.items if d.code == "lang.stigma"]
    assert found == ["lessons/snippets/get-help.md:6: error: stigmatizing term 'addict': say a person with a "
                     "substance use disorder [lang.stigma]"]


def test_each_guide_shows_only_its_own_editions_notes(course: Course) -> None:
    """Facilitator notes inside an edition block or with editions= reach only that edition's guide."""
    from exporters.pdf import build_html

    guides = {e: build_html(compile_edition(course, e), "facilitator-guide") for e in ("staff", "family", "ce")}
    assert "Note for family groups only." in guides["family"]
    assert "Note for staff groups only." in guides["staff"]
    assert "Note for family groups only." not in guides["staff"] + guides["ce"]
    assert "Note for staff groups only." not in guides["family"] + guides["ce"]


def test_olx_html_styles_the_boxes_inline(course: Course) -> None:
    """Open edX html components carry no stylesheet: the get-help box and callouts get inline styles."""
    from exporters.olx.tree import BOX_STYLES, static_urls

    html = static_urls(compile_edition(course, "family").lessons[0].learner_html)
    for kind, style in BOX_STYLES.items():
        assert f'<section class="blk {kind}" style="{style}">' in html


def test_retired_phrases_are_found_in_facts_and_items_whatever_the_quotes(tmp_path: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(MINIMAL, root)
    (root / "lessons" / "retired-phrases.yaml").write_text(
        "phrases:\n  - phrase: \"can't calm another way\"\n    reason: a test\n"
        "  - phrase: the lesson is about trust\n    reason: a test\n", encoding="utf-8")
    facts = root / "lessons" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("cannot calm another way", "can\u2019t  calm\n"
                     "      another way"), encoding="utf-8")
    loaded, found = load_course(root)
    assert loaded is not None, "\n".join(map(str, found.items))
    hits = sorted(str(d) for d in checks.run(loaded).diagnostics.items if d.code == "text.retired-phrase")
    assert hits == [
        "lessons/facts.yaml:6: error: retired phrase 'can't calm another way': a test [text.retired-phrase]",
        "quizzes/basics.yaml:9: error: retired phrase 'the lesson is about trust': a test [text.retired-phrase]",
    ]


def test_each_guide_opens_with_its_editions_get_help_box(course: Course) -> None:
    """The guide has no course pages, so its overview carries the box (before the first session)."""
    from exporters.pdf import build_html

    wording = (("staff", "tell the medical team", "step away"), ("family", "step away", "medical team"))
    for edition, own, other in wording:
        guide = build_html(compile_edition(course, edition), "facilitator-guide")
        front = guide[:guide.index('id="lesson-')]
        box = front[front.index('<section class="blk gethelp">'):]
        assert '<h3 class="blk-title">When to get help now</h3>' in box
        assert own in box and other not in box[:box.index("</section>\n</section>")]
