"""Item-writing and language lint, and the cross-file course checks, on small modified courses."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from course import checks, lint
from course.diagnostics import Collector
from course.loader import load_course
from course.model import Course, Item, ItemLintRules

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


@pytest.mark.parametrize(("rationale", "flagged"), [
    ("Trust is the link taught (F01).", True),
    ("Trust is the link taught (F01, G02).", True),
    ("Trust is the link taught (see lesson 1).", False),
])
def test_rationale_shows_no_fact_ids(minimal_course: Course, rationale: str, flagged: bool) -> None:
    codes = _codes(_with_items(minimal_course, _single(rationale=rationale)))
    assert (codes.get("item.rationale-code") == "error") is flagged


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


# ---------------------------------------------------------------- cue lint (issue 11)

def _rules(course: Course, **changes: Any) -> Course:
    return course.model_copy(update={"item_lint": ItemLintRules.model_validate(changes)})


def _ranked(n: int, rank: int) -> Item:
    """A four-option single-choice item whose key has the given length rank (1 = longest)."""
    lengths = {1: "x" * 30, 2: "x" * 20, 3: "x" * 15, 4: "x" * 10}
    texts = [lengths[r] for r in (1, 2, 3, 4) if r != rank]
    options = [{"id": "k", "text": f"Key {lengths[rank]}", "feedback": "Yes."}]
    options += [{"id": f"d{i}", "text": f"Key {t}", "feedback": "No."} for i, t in enumerate(texts)]
    return _single(id=f"r-{n:02d}", options=options, key="k")


def _rank_findings(course: Course, *ranks: int) -> list[str]:
    out = Collector()
    lint.run(_with_items(course, *[_ranked(n, r) for n, r in enumerate(ranks)]), out)
    return [d.message for d in out.items if d.code == "item.key-rank"]


def test_key_rank_balanced_bank_passes(minimal_course: Course) -> None:
    assert _rank_findings(minimal_course, 1, 1, 2, 2, 3, 3, 4, 4) == []


def test_key_never_longest_is_flagged_per_bank_and_edition(minimal_course: Course) -> None:
    found = _rank_findings(minimal_course, 2, 2, 2, 3, 3, 3, 4, 4)
    assert any("bank basics-quiz" in m and "longest option in 0 of 8" in m for m in found)
    assert any("editions staff, ce, all banks" in m and "longest option in 0 of 9" in m for m in found)


def test_key_too_often_longest_is_flagged(minimal_course: Course) -> None:
    found = _rank_findings(minimal_course, 1, 1, 1, 1, 2, 3, 4, 4)  # 4 of 8 = 50 % > 40 %
    assert any("longest option in 4 of 8 single-choice items (50%)" in m for m in found)


def test_one_rank_holding_too_many_keys_is_flagged(minimal_course: Course) -> None:
    found = _rank_findings(minimal_course, 1, 1, 2, 2, 2, 2, 3, 4)  # rank 2: 4 of 8 = 50 % > 45 %
    assert any("length rank 2 in 4 of 8" in m for m in found)
    assert not any("longest option in" in m for m in found)


def test_small_bank_is_not_judged(minimal_course: Course) -> None:
    found = _rank_findings(minimal_course, 2, 2, 2, 2, 2, 2, 2)  # 7 < min_items: the bank is not judged ...
    assert found and not any(m.startswith("bank") for m in found)  # ... but its edition (8 with the final) is
    strict = _rules(minimal_course, key_length={"min_items": 3})
    assert _rank_findings(strict, 2, 2, 2)


def test_key_length_rank_counts_ties_as_longest() -> None:
    item = _single(options=[{"id": "a", "text": "same length", "feedback": "x"},
                            {"id": "b", "text": "same length", "feedback": "x"}])
    assert lint.key_length_rank(item) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(("key", "other"), [
    ("Trusting other people", "Reading street maps."),
    ("\"Trusting other people\"", "\"Reading street maps.\""),
])
def test_key_alone_differing_in_final_punctuation_is_an_error(minimal_course: Course, key: str, other: str) -> None:
    item = _single(options=[
        {"id": "a", "text": key, "feedback": "Yes."},
        {"id": "b", "text": other, "feedback": "No."},
        {"id": "c", "text": other.replace("Reading street maps", "Learning to swim"), "feedback": "No."},
    ])
    assert _codes(_with_items(minimal_course, item))["item.key-punctuation"] == "error"


def test_mixed_punctuation_among_distractors_is_a_warning(minimal_course: Course) -> None:
    item = _single(options=[
        {"id": "a", "text": "Trusting other people.", "feedback": "Yes."},
        {"id": "b", "text": "Reading street maps", "feedback": "No."},
        {"id": "c", "text": "Learning to swim.", "feedback": "No."},
    ])
    codes = _codes(_with_items(minimal_course, item))
    assert codes["item.punctuation"] == "warning"
    assert "item.key-punctuation" not in codes


def test_final_mark_reads_quotations() -> None:
    assert lint.final_mark('"It ends here."') == '."'
    assert lint.final_mark("No mark") == ""
    assert lint.final_mark("A question?  ") == "?"


def _multiple(*texts: str) -> Item:
    """A multiple-response item whose first two options are the keys."""
    return ITEM.validate_python({
        "id": "m-01", "kind": "multiple_response", "stem": "Which ideas does the lesson connect?",
        "options": [{"id": f"o{n}", "text": t, "feedback": "Why."} for n, t in enumerate(texts)],
        "key": ["o0", "o1"], "rationale": "Both links are taught.", "objective": "obj-b-1", "facts": ["F01"],
    })


def test_multiple_response_keys_alone_differing_in_punctuation(minimal_course: Course) -> None:
    item = _multiple("Early care and trust.", "Distress and use.", "Diet and sleep", "Maps and roads")
    assert _codes(_with_items(minimal_course, item))["item.key-punctuation"] == "error"


def _valence_course(course: Course) -> Course:
    return _rules(course, negative_words=["fear", "trouble", "hard"], positive_words=["calm", "easy", "enjoy"])


def test_all_keys_negative_all_distractors_positive_is_a_warning(minimal_course: Course) -> None:
    item = _multiple("Fear of being left", "Trouble being on one's own", "Calm comfort with time apart",
                     "Easy confidence with strangers")
    assert _codes(_with_items(_valence_course(minimal_course), item))["item.valence"] == "warning"


def test_mixed_valence_passes(minimal_course: Course) -> None:
    item = _single(options=[
        {"id": "a", "text": "Fear of being left", "feedback": "Yes."},
        {"id": "b", "text": "Trouble with reading", "feedback": "No."},
        {"id": "c", "text": "Calm comfort with time apart", "feedback": "No."},
    ])
    assert "item.valence" not in _codes(_with_items(_valence_course(minimal_course), item))


@pytest.mark.parametrize(("key", "distractor", "flagged"), [
    ("Trusting other people", "Only reading maps", True),        # only in a distractor
    ("Trusting people always", "Reading street maps", True),     # only in the key
    ("Trusting people always", "Never reading maps", False),     # on both sides: no cue
    ("Trusting other people", "Reading street maps", False),
])
def test_qualifier_on_one_side_only(minimal_course: Course, key: str, distractor: str, flagged: bool) -> None:
    item = _single(options=[
        {"id": "a", "text": key, "feedback": "Yes."},
        {"id": "b", "text": distractor, "feedback": "No."},
        {"id": "c", "text": "Learning to swim", "feedback": "No."},
    ])
    assert ("item.absolute" in _codes(_with_items(minimal_course, item))) is flagged


@pytest.mark.parametrize(("stem", "key", "flagged"), [
    ("Is dependence explained by the drug's reward alone?", False, True),
    ("Is dependence explained by the drug's reward alone?", True, False),
    ("Is dependence more than the drug's reward?", False, False),
])
def test_qualifier_in_a_false_statement(minimal_course: Course, stem: str, key: bool, flagged: bool) -> None:
    item = ITEM.validate_python({
        "id": "t-01", "kind": "true_false", "stem": stem, "key": key, "feedback_true": "x",
        "feedback_false": "y", "rationale": "Taught.", "objective": "obj-b-1", "facts": ["F01"],
    })
    assert ("item.absolute" in _codes(_with_items(minimal_course, item))) is flagged


def test_implausible_distractor_patterns_are_data(minimal_course: Course) -> None:
    item = _single()  # "Reading street maps" is a distractor
    assert "item.implausible" not in _codes(_with_items(minimal_course, item))
    course = _rules(minimal_course, implausible=[{"pattern": r"\bstreet maps?\b", "reason": "trivia"}])
    assert _codes(_with_items(course, item))["item.implausible"] == "warning"
    keyed = _single(key="b")  # a pattern never flags the key itself
    assert "item.implausible" not in _codes(_with_items(course, keyed))


def test_item_lint_rules_validate() -> None:
    with pytest.raises(ValueError, match="regular expression"):
        ItemLintRules.model_validate({"implausible": [{"pattern": "(unclosed", "reason": "broken"}]})
    with pytest.raises(ValueError, match="longest_min"):
        ItemLintRules.model_validate({"key_length": {"longest_min": 0.5, "longest_max": 0.4}})


def test_shipped_item_lint_file_is_loaded(real_course: Course) -> None:
    assert real_course.item_lint.implausible
    assert "alone" in real_course.item_lint.qualifiers


def test_broken_item_lint_file_is_reported_at_its_line(tmp_path: Path, repo_root: Path) -> None:
    course_dir = tmp_path / "course"
    shutil.copytree(repo_root / "tests" / "fixtures" / "courses" / "minimal", course_dir)
    (course_dir / "lessons" / "item-lint.yaml").write_text("key_length:\n  longest_max: 2\n", encoding="utf-8")
    course, found = load_course(course_dir)
    assert course is None
    assert [(d.path, d.line) for d in found.items] == [("lessons/item-lint.yaml", 2)]
