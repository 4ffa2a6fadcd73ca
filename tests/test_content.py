"""The shipped course meets the content bar: strict checks, reading levels, originality, key balance."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import MATERIAL

from course import checks
from course.model import Course, SingleChoice


def test_strict_check_passes_for_every_edition(real_course: Course) -> None:
    report = checks.run(real_course)
    problems = [str(d) for d in report.diagnostics.items if d.level in ("error", "warning")]
    assert problems == []


def test_alignment_every_objective_has_two_items_tied_to_taught_facts(real_course: Course) -> None:
    report = checks.run(real_course)
    for name, rep in report.editions.items():
        if not real_course.edition(name).assess_objectives:
            continue
        assert all(len(items) >= 2 for items in rep.matrix.values()), rep.matrix
        taught = {f for lesson in real_course.lessons for f in lesson.facts}
        assert all(set(facts) <= taught for facts in rep.item_facts.values())


def test_every_paragraph_cited_or_excluded(real_course: Course) -> None:
    cited = {p for f in real_course.facts.facts for p in f.paragraphs}
    excluded = {e.paragraph for e in real_course.facts.excluded if not e.partial}
    assert {f"P{n:02d}" for n in range(1, 41)} <= cited | excluded
    assert all(len(e.reason) >= 10 for e in real_course.facts.excluded)


def test_reading_levels(real_course: Course) -> None:
    for lesson in real_course.lessons:
        assert lesson.views["family"].grade <= 8, (lesson.id, lesson.views["family"].grade)
        assert lesson.views["staff"].grade <= 12, (lesson.id, lesson.views["staff"].grade)


def test_key_positions_balanced_without_shuffle(real_course: Course) -> None:
    positions = Counter(
        [o.id for o in item.options].index(item.key_id)
        for bank in real_course.quizzes for item in bank.items if isinstance(item, SingleChoice)
    )
    total = sum(positions.values())
    assert total >= 10
    assert max(positions.values()) / total <= 0.35, positions


def _grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not MATERIAL.is_file(), reason="../shared/material/ is not present; originality not checked")
def test_no_sentence_repeats_eight_words_of_the_material(repo_root) -> None:
    source = _grams(MATERIAL.read_text(encoding="utf-8"))
    files = sorted((repo_root / "lessons").rglob("*.md")) + sorted((repo_root / "quizzes").glob("*.yaml"))
    files += [repo_root / "lessons" / "glossary.yaml", repo_root / "lessons" / "facts.yaml"]
    hits = {f.name: sorted(" ".join(g) for g in _grams(f.read_text(encoding="utf-8")) & source) for f in files}
    assert {k: v for k, v in hits.items() if v} == {}
