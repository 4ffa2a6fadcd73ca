"""Scoring: the shared vectors hold for course.scoring, plus values worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from course import forms, scoring
from course.model import Item

VECTORS = json.loads((Path(__file__).parent / "vectors" / "scoring.json").read_text(encoding="utf-8"))
ITEM = TypeAdapter(Item)


def _names(cases: list[dict[str, Any]]) -> list[str]:
    return [c["name"] for c in cases]


def test_vector_file_shape() -> None:
    """The contract: five sections, ≥ 30 cases, every item kind present, unique names, ≥ 10 stratified draws."""
    assert set(VECTORS) == {"items", "quizzes", "shuffles", "draws", "stratified"}
    assert len(VECTORS["stratified"]) >= 10
    total = sum(len(v) for v in VECTORS.values())
    assert total >= 30
    kinds = {c["item"]["kind"] for c in VECTORS["items"]}
    assert kinds == {"single_choice", "multiple_response", "true_false", "matching", "ordering"}
    for section in VECTORS.values():
        assert len(set(_names(section))) == len(section)


def test_vector_file_is_current() -> None:
    """The committed JSON is what make_vectors.py produces today."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_vectors", Path(__file__).parent / "vectors" / "make_vectors.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == VECTORS


@pytest.mark.parametrize("case", VECTORS["items"], ids=_names(VECTORS["items"]))
def test_item_vector(case: dict[str, Any]) -> None:
    """Credit and points of one response."""
    item = ITEM.validate_python(case["item"])
    assert round(scoring.credit(item, case["response"]), 4) == case["credit"]
    assert scoring.points(item, case["response"]) == case["points"]


@pytest.mark.parametrize("case", VECTORS["quizzes"], ids=_names(VECTORS["quizzes"]))
def test_quiz_vector(case: dict[str, Any]) -> None:
    """Percentage and pass/fail of a whole quiz."""
    items = [ITEM.validate_python(i) for i in case["items"]]
    percent = scoring.percentage(items, case["responses"])
    assert percent == case["percentage"]
    assert scoring.passed(percent, case["pass_mark"]) is case["passed"]


@pytest.mark.parametrize("case", VECTORS["shuffles"], ids=_names(VECTORS["shuffles"]))
def test_shuffle_vector(case: dict[str, Any]) -> None:
    """Seeded shuffles are reproducible permutations."""
    out = scoring.shuffled(case["values"], case["seed"])
    assert out == case["expected"]
    assert sorted(out) == sorted(case["values"])


@pytest.mark.parametrize("case", VECTORS["draws"], ids=_names(VECTORS["draws"]))
def test_draw_vector(case: dict[str, Any]) -> None:
    """Seeded draws pick n ids and keep pool order."""
    out = scoring.draw(case["ids"], case["n"], case["seed"])
    assert out == case["expected"]
    n = case["n"] if case["n"] is not None else len(case["ids"])
    assert len(out) == min(n, len(case["ids"]))
    assert out == [i for i in case["ids"] if i in out]


@pytest.mark.parametrize("case", VECTORS["stratified"], ids=_names(VECTORS["stratified"]))
def test_stratified_vector(case: dict[str, Any]) -> None:
    """Stratified draws match the vectors, keep pool order and honour the blueprint where the pool allows."""
    pool = [(i, o) for i, o in case["pool"]]
    out = forms.stratified_draw(pool, case["per_objective"], case["total"], case["seed"])
    assert out == case["expected"]
    assert out == [i for i, _ in pool if i in out]
    for obj in {o for _, o in pool}:
        have = sum(1 for _, o in pool if o == obj)
        assert sum(1 for i, o in pool if o == obj and i in out) >= min(have, case["per_objective"])


# ------------------------------------------------------------------ independent, hand-computed values


def _vector(name: str) -> dict[str, Any]:
    return next(c for c in VECTORS["items"] if c["name"] == name)


@pytest.mark.parametrize(
    ("name", "credit"),
    [
        ("multiple response: two of three keys", 2 / 3),  # 2 hits, 0 false alarms, 3 keys
        ("multiple response: all keys plus one non-key", 2 / 3),  # (3 - 1) / 3
        ("multiple response: over-complete (all options)", 1 / 3),  # (3 - 2) / 3
        ("multiple response: one key and one non-key", 0.0),  # (1 - 1) / 3
        ("multiple response: only non-keys", 0.0),  # max(0, -2/3)
        ("matching: a distractor chosen", 0.75),  # 3 of 4 prompts
        ("matching: one answer chosen for every prompt", 0.25),  # only p1 is right
        ("ordering: first two swapped", 0.5),  # s3, s4 in place
        ("ordering: rotated by one", 0.0),  # no step in place
        ("ordering: duplicate step (not a permutation)", 0.0),
    ],
)
def test_hand_computed_credit(name: str, credit: float) -> None:
    """Credit values worked out by hand from the rules table, not by the scorer."""
    case = _vector(name)
    item = ITEM.validate_python(case["item"])
    assert scoring.credit(item, case["response"]) == pytest.approx(credit)
    assert case["credit"] == pytest.approx(credit, abs=1e-4)


def test_hand_computed_points_and_percentage() -> None:
    """Weighted points and a mixed quiz: (2/3 + 1 + 0.5 + 3) of 7 points = 73.81%."""
    case = _vector("multiple response: 2 points, two of three keys")
    assert case["points"] == 1.3333  # 2 x 2/3, rounded to 4 decimals
    mixed = next(c for c in VECTORS["quizzes"] if c["name"].startswith("quiz: fractional credits (mixed"))
    # m-1: 2/3 of 1; m-2: 2 of 4 pairs x 2 points = 1; m-3: 2 of 4 steps in place = 0.5; m-4: 3
    earned = 2 / 3 + 1 + 0.5 + 3
    assert mixed["percentage"] == round(100 * earned / 7, 2) == 73.81
    assert mixed["passed"] is False


def test_pass_mark_edge() -> None:
    """At the mark passes, a hair below fails."""
    assert scoring.passed(80.0, 80) is True
    assert scoring.passed(79.99, 80) is False
    assert scoring.passed(0.0, 0) is True


def test_prng_reference_values() -> None:
    """FNV-1a and mulberry32 match published reference values."""
    assert scoring.seed_hash("") == 0x811C9DC5
    assert scoring.seed_hash("a") == 0xE40C292C  # FNV-1a 32 test vector
    assert scoring.seed_hash("foobar") == 0xBF9CF968
    # mulberry32(0): first output 1144304738 / 2**32 (common reference implementation)
    first = scoring._mulberry32(0)()
    assert first == pytest.approx(1144304738 / 4294967296)


def test_empty_quiz_scores_zero() -> None:
    """No items means no points possible, not a division by zero."""
    assert scoring.percentage([], {}) == 0.0
