"""Item-writing and language lint, and the cross-file course checks, on small modified courses."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from course import checks, lint
from course.diagnostics import Collector
from course.model import Course, Item

ITEM = TypeAdapter(Item)


def _single(**changes: Any) -> Item:
    data: dict[str, Any] = {
        "id": "x-01", "kind": "single_choice", "stem": "What can unreliable early care make harder later?",
        "options": [
            {"id": "a", "text": "Trusting other people", "feedback": "Yes."},
            {"id": "b", "text": "Reading street maps", "feedback": "No."},
            {"id": "c", "text": "Learning to swim", "feedback": "No."},
        ],
        "key": "a", "rationale": "Trust is the link taught.", "objective": "obj-b-1", "facts": ["F01"],
    }
    data.update(changes)
    return ITEM.validate_python(data)


def _with_items(course: Course, *items: Item) -> Course:
    bank = course.quizzes[0].model_copy(update={"items": list(items)})
    return course.model_copy(update={"quizzes": [bank, *course.quizzes[1:]]})


def _codes(course: Course) -> dict[str, str]:
    out = Collector()
    lint.run(course, out)
    return {d.code: d.level for d in out.items}


def test_clean_item_has_no_findings(minimal_course: Course) -> None:
    assert _codes(_with_items(minimal_course, _single())) == {}


@pytest.mark.parametrize(("option", "code", "level"), [
    ("All of the above", "item.all-above", "error"),
    ("None of the above", "item.none-of-the-above", "warning"),
    ("Both a and b", "item.all-above", "error"),
    ("Only when it rains", "item.absolute", "warning"),
    ("Trusting other people", "item.duplicate-option", "error"),
])
def test_option_rules(minimal_course: Course, option: str, code: str, level: str) -> None:
    item = _single(options=[
        {"id": "a", "text": "Trusting other people", "feedback": "Yes."},
        {"id": "b", "text": "Reading street maps", "feedback": "No."},
        {"id": "c", "text": option, "feedback": "No."},
    ])
    assert _codes(_with_items(minimal_course, item)).get(code) == level


def test_negative_stem_must_be_capitalised(minimal_course: Course) -> None:
    lower = _single(stem="Which response is not helpful here?")
    upper = _single(stem="Which response is NOT helpful here?")
    assert _codes(_with_items(minimal_course, lower)).get("item.negative-stem") == "warning"
    assert "item.negative-stem" not in _codes(_with_items(minimal_course, upper))


def test_negation_in_stem_and_option_is_a_double_negative(minimal_course: Course) -> None:
    item = _single(stem="Which response is NOT helpful here?", options=[
        {"id": "a", "text": "Do not listen at all to them", "feedback": "x"},
        {"id": "b", "text": "Reading street maps", "feedback": "x"},
        {"id": "c", "text": "Learning to swim", "feedback": "x"},
    ])
    assert _codes(_with_items(minimal_course, item))["item.double-negative"] == "error"


def test_long_key_is_flagged_and_can_be_suppressed(minimal_course: Course) -> None:
    options = [
        {"id": "a", "text": "Trusting other people, feeling safe with them and relying on them", "feedback": "Yes."},
        {"id": "b", "text": "Maps", "feedback": "No."},
        {"id": "c", "text": "Swimming", "feedback": "No."},
    ]
    assert _codes(_with_items(minimal_course, _single(options=options)))["item.key-length"] == "warning"
    ignored = _single(options=options, lint_ignore=[{"rule": "item.key-length", "reason": "Testing suppression."}])
    assert "item.key-length" not in _codes(_with_items(minimal_course, ignored))


def test_stem_without_question_mark_and_true_false_opener(minimal_course: Course) -> None:
    codes = _codes(_with_items(minimal_course, _single(stem="Which of the following is true about trust")))
    assert codes["item.opener"] == "warning"
    assert codes["item.stem-question"] == "warning"


def test_key_position_imbalance(minimal_course: Course) -> None:
    items = [_single(id=f"x-{n:02d}") for n in range(12)]  # every key in position a
    codes = _codes(_with_items(minimal_course, *items))
    assert codes["item.key-position"] == "warning"


def _with_lesson_text(course: Course, text: str) -> Course:
    changed = course.lessons[0].model_copy(update={"text_lines": ((12, text),)})
    return course.model_copy(update={"lessons": [changed]})


@pytest.mark.parametrize(("text", "code", "level"), [
    ("Every addict needs support.", "lang.stigma", "error"),
    ("She has been clean for a month.", "lang.stigma", "error"),
    ("Substance abuse is common.", "lang.stigma", "error"),
    ("Programs such as Siam Rehab help.", "lang.provider", "error"),
    ("About 40% of people relapse.", "lang.statistic", "warning"),
    ("Research shows that this works.", "lang.statistic", "warning"),
])
def test_language_lint(minimal_course: Course, text: str, code: str, level: str) -> None:
    assert _codes(_with_lesson_text(minimal_course, text)).get(code) == level


def test_person_first_text_passes_language_lint(minimal_course: Course) -> None:
    text = "A person with a substance use disorder deserves steady, respectful care in recovery."
    assert not [c for c in _codes(_with_lesson_text(minimal_course, text)) if c.startswith("lang.")]


def _check_codes(course: Course) -> set[str]:
    return {d.code for d in checks.run(course).diagnostics.items if d.level == "error"}


def test_minimal_course_has_no_check_errors(minimal_course: Course) -> None:
    assert _check_codes(minimal_course) == set()


def test_objective_with_one_item_is_an_alignment_error(minimal_course: Course) -> None:
    bank = minimal_course.quizzes[0]
    fewer = bank.model_copy(update={"items": [i for i in bank.items if i.objective != "obj-b-2"][:2]})
    course = minimal_course.model_copy(update={"quizzes": [fewer, *minimal_course.quizzes[1:]]})
    assert "align.objective" in _check_codes(course)


def test_item_citing_an_untaught_fact_is_an_error(minimal_course: Course) -> None:
    lesson = minimal_course.lessons[0].model_copy(update={"facts": ["F01"]})
    course = minimal_course.model_copy(update={"lessons": [lesson]})
    assert "align.untaught" in _check_codes(course)


def test_uncovered_paragraph_is_an_error(minimal_course: Course) -> None:
    facts = minimal_course.facts.model_copy(update={"excluded": []})
    assert "source.paragraph" in _check_codes(minimal_course.model_copy(update={"facts": facts}))


def test_declared_contact_hours_must_match(minimal_course: Course) -> None:
    manifest = minimal_course.manifest
    ce = manifest.editions["ce"].model_copy(update={"contact_hours": 5.0})
    changed = manifest.model_copy(update={"editions": {**manifest.editions, "ce": ce}})
    assert "time.contact-hours" in _check_codes(minimal_course.model_copy(update={"manifest": changed}))


def test_report_has_alignment_matrix(minimal_course: Course) -> None:
    rep = checks.run(minimal_course).editions["staff"]
    assert rep.matrix == {"obj-b-1": ["b-01", "b-03"], "obj-b-2": ["b-02", "b-04"]}
    assert set(rep.final_matrix) == {"obj-b-1", "obj-b-2"}
    assert rep.contact_hours == 0.25


def test_language_finding_is_reported_once_at_its_source_line(minimal_course: Course) -> None:
    out = Collector()
    lint.language(_with_lesson_text(minimal_course, "Every addict needs support."), out)
    assert [(d.path, d.line, d.code) for d in out.items] == [("lessons/01-basics.md", 12, "lang.stigma")]


def test_lesson_text_lines_point_at_the_source(minimal_course: Course) -> None:
    lines = dict(minimal_course.lessons[0].text_lines)
    assert lines[23] == "When care in childhood is not steady, trust can be hard later. Some people use drugs or " \
                        "alcohol to feel calm."
