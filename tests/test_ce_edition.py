"""The CE edition is its own course (issue #10): own text, measurable objectives, accreditor pages,
hours per delivery format, and realistic quiz timing in the facilitator plans."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest

from course.checks import run
from course.compiled import compile_edition, objective_text
from course.loader import load_course
from course.model import Course
from course.overlap import overlap
from course.sessions import delivery, plan_quiz, quiz_minutes

BANNED_IN_CE = ("new staff", "your loved one", "stay within your role")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_less_than_half_of_the_ce_lesson_text_is_shared_with_staff(real_course: Course) -> None:
    found = overlap(real_course, "ce", "staff")
    print(f"\nCE lesson text shared with staff: {found.shared_words} of {found.total_words} words "
          f"({found.share:.1%}); per lesson {found.per_lesson}")
    assert found.total_words > 4000  # a real edition, not an empty one
    assert found.share < 0.5


def test_overlap_counts_a_copied_sentence(real_course: Course) -> None:
    same = overlap(real_course, "staff", "staff")
    assert same.share == 1.0


def test_ce_text_has_no_staff_or_family_framing(real_course: Course) -> None:
    ed = compile_edition(real_course, "ce")
    texts = [p.html for p in ed.pages]
    texts += [x for lesson in ed.lessons for x in (lesson.learner_html, lesson.facilitator_html)]
    for phrase in BANNED_IN_CE:
        assert not [t for t in texts if phrase in _text(t).lower()], phrase


def test_ce_case_names_are_unique_within_the_edition(real_course: Course) -> None:
    ed = compile_edition(real_course, "ce")
    names = {lesson.id: re.findall(r'<p class="blk-title">[^<]*?:?\s*([A-Z][a-z]+), \d+', lesson.learner_html)
             for lesson in ed.lessons}
    assert all(names.values()), names
    items = {lesson.id: " ".join(i.model_dump_json() for i in (lesson.quiz.items if lesson.quiz else []))
             for lesson in ed.lessons}
    final = " ".join(i.model_dump_json() for i in ed.final_test.items) if ed.final_test else ""
    for owner, found in names.items():
        for name in found:
            elsewhere = [lid for lid, lesson in ((x.id, x) for x in ed.lessons)
                         if lid != owner and re.search(rf"\b{name}\b", _text(lesson.learner_html) + items[lid])]
            assert not elsewhere and not re.search(rf"\b{name}\b", final), (name, elsewhere)


def test_ce_shows_measurable_objectives_and_family_plain(real_course: Course) -> None:
    lesson = real_course.lessons[0]
    objective = next(o for o in lesson.objectives if o.plain)
    assert objective_text(objective, "ce", workbook=True) == objective.text
    assert objective_text(objective, "family") == objective.plain
    assert objective_text(objective, "staff", workbook=True) == objective.plain
    assert objective_text(objective, "staff") == objective.text


def test_ce_accreditor_pages(real_course: Course) -> None:
    ed = compile_edition(real_course, "ce")
    pages = {p.id: _text(p.html) for p in ed.pages}
    assert {"contact-hours", "references", "financial-disclosure", "policies"} <= set(pages)
    credit = pages["contact-hours"]
    assert f"Home study (self-paced): {ed.contact.hours:g} contact hours" in credit
    assert ed.live_contact is not None
    assert f"Live group sessions: {ed.live_contact.hours:g} contact hours" in credit
    assert ed.contact.method in credit and ed.live_contact.method in credit
    assert all(o.text in credit for lesson in ed.lessons for o in lesson.objectives)
    assert "SAMPLE" in credit  # the shipped provider values are placeholders
    assert real_course.manifest.source.title in pages["references"]
    assert "endorses no treatment provider" in pages["financial-disclosure"]
    assert real_course.manifest.policies.expires.isoformat() in pages["policies"]
    assert "contact-hours" not in {p.id for p in compile_edition(real_course, "staff").pages}
    assert "references" not in {p.id for p in compile_edition(real_course, "family").pages}
    assert "references" not in {p.id for p in compile_edition(real_course, "staff").pages}


def test_hours_count_drawn_post_test_items_not_the_pool(real_course: Course) -> None:
    ed = compile_edition(real_course, "ce")
    assert ed.final_test is not None and ed.final_test.draw
    lesson_items = sum(len(lesson.quiz.items) for lesson in ed.lessons if lesson.quiz)
    assert ed.contact.items == lesson_items + ed.final_test.draw
    assert ed.live_contact is not None and ed.live_contact.test_items == ed.final_test.draw
    assert ed.live_contact.session_minutes == sum(lesson.minutes for lesson in ed.lessons)
    print(f"\nCE hours: home study {ed.contact.hours:g} ({ed.contact.method}); "
          f"live {ed.live_contact.hours:g} ({ed.live_contact.method})")


@pytest.mark.parametrize("edition", ["staff", "family", "ce"])
def test_session_quiz_timing_rule(real_course: Course, edition: str) -> None:
    ed = compile_edition(real_course, edition)
    plans = delivery(ed).plans
    for lesson in ed.lessons:
        for plan in plans[lesson.id]:
            assert sum(s.minutes for s in plan.steps) == plan.length
            if not (plan.quiz and lesson.quiz):
                continue
            q, n = plan.quiz, len(plan.quiz.answered)
            assert q.answer_minutes >= n and q.debrief_minutes >= 2 * math.ceil(n / 3)
            assert q.answer_minutes + q.debrief_minutes == q.slot
            assert q.covers_objectives
            assert sorted(q.answered + q.homework) == sorted(i.id for i in lesson.quiz.items)
        assert len(plans[lesson.id][1].quiz.answered) >= len(plans[lesson.id][0].quiz.answered)


def test_quiz_subset_is_seeded_and_covers_objectives(real_course: Course) -> None:
    items = real_course.lesson_quiz(real_course.lessons[0].id).items_for("ce")
    first, again = plan_quiz(items, 10, "seed"), plan_quiz(items, 10, "seed")
    assert first == again and first.homework
    assert {i.objective for i in items if i.id in first.answered} == {i.objective for i in items}
    assert quiz_minutes(len(first.answered)) <= 10 < quiz_minutes(len(first.answered) + 1)


def _copy(tmp_path: Path, repo_root: Path) -> Path:
    for part in ("lessons", "quizzes"):
        shutil.copytree(repo_root / part, tmp_path / part)
    return tmp_path


def test_check_rejects_a_quiz_slot_too_short_for_the_objectives(tmp_path: Path, repo_root: Path) -> None:
    root = _copy(tmp_path, repo_root)
    lesson = next((root / "lessons").glob("01-*.md"))
    text = lesson.read_text(encoding="utf-8")
    text = text.replace('::::: activity minutes=10 title="Check your learning and debrief" editions=ce',
                        '::::: activity minutes=4 title="Check your learning and debrief" editions=ce')
    lesson.write_text(text, encoding="utf-8")
    course, found = load_course(root)
    assert course is not None, found.items
    codes = [(d.code, d.message) for d in run(course).diagnostics.items if d.code == "time.quiz"]
    assert codes and "4 min cannot hold one item for each of 4 objectives in the ce edition" in codes[0][1]


def test_unset_planners_disclosure_warns(tmp_path: Path, repo_root: Path) -> None:
    root = _copy(tmp_path, repo_root)
    manifest = root / "lessons" / "course.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r"  planners_disclosure: >-\n(    .*\n)+", "", text)
    manifest.write_text(text, encoding="utf-8")
    course, found = load_course(root)
    assert course is not None, found.items
    report = run(course)
    warned = [d for d in report.diagnostics.items if d.code == "ce.accreditation"]
    assert [d.message.split(":")[0] for d in warned] == ["provider.planners_disclosure"]
    assert report.diagnostics.errors(strict=True)
