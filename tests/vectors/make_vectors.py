"""Generate tests/vectors/scoring.json from hand-written cases, with expected values from course.scoring.

Run: ``.venv/bin/python tests/vectors/make_vectors.py``. The browser player runs the same file,
so every case is plain JSON: items exactly as written in quiz YAML, responses as the player sends them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from course import forms, scoring
from course.model import Item

OUT = Path(__file__).with_name("scoring.json")
ITEM = TypeAdapter(Item)


def _common(item_id: str, points: float = 1.0) -> dict[str, Any]:
    """Fields every item needs, besides its kind-specific ones."""
    base: dict[str, Any] = {
        "id": item_id,
        "stem": f"Stem of {item_id}?",
        "rationale": "Why the key is right.",
        "objective": "obj-1",
        "facts": ["F01"],
    }
    if points != 1.0:
        base["points"] = points
    return base


def _options(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "text": f"Option {i}", "feedback": f"Feedback {i}."} for i in ids]


def single(item_id: str = "sc-1", key: Any = "b", points: float = 1.0) -> dict[str, Any]:
    """A single-choice item with options a-d."""
    return {**_common(item_id, points), "kind": "single_choice", "options": _options("a", "b", "c", "d"), "key": key}


def true_false(item_id: str = "tf-1", key: bool = True, points: float = 1.0) -> dict[str, Any]:
    """A true/false item."""
    return {
        **_common(item_id, points),
        "kind": "true_false",
        "key": key,
        "feedback_true": "Feedback for true.",
        "feedback_false": "Feedback for false.",
    }


def multiple(item_id: str = "mr-1", key: list[str] | None = None, points: float = 1.0) -> dict[str, Any]:
    """A multiple-response item with options a-e, keys a, b, c by default."""
    return {
        **_common(item_id, points),
        "kind": "multiple_response",
        "options": _options("a", "b", "c", "d", "e"),
        "key": key or ["a", "b", "c"],
    }


def matching(item_id: str = "ma-1", points: float = 1.0) -> dict[str, Any]:
    """A matching item with four pairs and one distractor."""
    pairs = [
        {"id": p, "prompt": f"Prompt {p}", "match": f"Match {p}", "feedback": f"Feedback {p}."}
        for p in ("p1", "p2", "p3", "p4")
    ]
    return {
        **_common(item_id, points),
        "kind": "matching",
        "pairs": pairs,
        "distractors": [{"id": "x1", "text": "A distractor"}],
    }


def ordering(item_id: str = "or-1", points: float = 1.0) -> dict[str, Any]:
    """An ordering item with steps s1-s4 (listed in the correct order)."""
    steps = [{"id": s, "text": f"Step {s}", "feedback": f"Feedback {s}."} for s in ("s1", "s2", "s3", "s4")]
    return {**_common(item_id, points), "kind": "ordering", "steps": steps}


ITEM_CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("single choice: key chosen", single(), "b"),
    ("single choice: wrong option", single(), "a"),
    ("single choice: unanswered", single(), None),
    ("single choice: unknown id", single(), "z"),
    ("single choice: wrong type (list)", single(), ["b"]),
    ("single choice: wrong type (number)", single(), 1),
    ("single choice: key written as a one-element list", single(key=["c"]), "c"),
    ("single choice: 3 points, key chosen", single(points=3), "b"),
    ("single choice: 3 points, wrong", single(points=3), "d"),
    ("true/false: key true, true chosen", true_false(), True),
    ("true/false: key true, false chosen", true_false(), False),
    ("true/false: key false, false chosen", true_false(key=False), False),
    ("true/false: unanswered", true_false(), None),
    ("true/false: string 'true' is not a boolean", true_false(), "true"),
    ("true/false: number 1 is not a boolean", true_false(), 1),
    ("multiple response: exactly the keys", multiple(), ["a", "b", "c"]),
    ("multiple response: keys in another order", multiple(), ["c", "a", "b"]),
    ("multiple response: two of three keys", multiple(), ["a", "b"]),
    ("multiple response: one key", multiple(), ["a"]),
    ("multiple response: all keys plus one non-key", multiple(), ["a", "b", "c", "d"]),
    ("multiple response: over-complete (all options)", multiple(), ["a", "b", "c", "d", "e"]),
    ("multiple response: one key and one non-key", multiple(), ["a", "d"]),
    ("multiple response: only non-keys", multiple(), ["d", "e"]),
    ("multiple response: empty list", multiple(), []),
    ("multiple response: unanswered", multiple(), None),
    ("multiple response: duplicate key counted once", multiple(), ["a", "a", "a"]),
    ("multiple response: unknown ids are ignored", multiple(), ["a", "b", "zz", "yy"]),
    ("multiple response: wrong type (string)", multiple(), "a"),
    ("multiple response: non-string entries ignored", multiple(), ["a", 1, None]),
    ("multiple response: 2 points, two of three keys", multiple(points=2), ["a", "b"]),
    ("multiple response: single key item, key chosen", multiple(key=["e"]), ["e"]),
    ("matching: all pairs right", matching(), {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}),
    ("matching: two swapped", matching(), {"p1": "p2", "p2": "p1", "p3": "p3", "p4": "p4"}),
    ("matching: a distractor chosen", matching(), {"p1": "x1", "p2": "p2", "p3": "p3", "p4": "p4"}),
    ("matching: partly answered", matching(), {"p1": "p1"}),
    ("matching: empty mapping", matching(), {}),
    ("matching: unanswered", matching(), None),
    ("matching: unknown prompt and answer ids", matching(), {"zz": "zz", "p2": "qq"}),
    ("matching: one answer chosen for every prompt", matching(), {"p1": "p1", "p2": "p1", "p3": "p1", "p4": "p1"}),
    ("matching: wrong type (list)", matching(), ["p1", "p2", "p3", "p4"]),
    ("matching: 4 points, three right", matching(points=4), {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "x1"}),
    ("ordering: correct order", ordering(), ["s1", "s2", "s3", "s4"]),
    ("ordering: reversed", ordering(), ["s4", "s3", "s2", "s1"]),
    ("ordering: first two swapped", ordering(), ["s2", "s1", "s3", "s4"]),
    ("ordering: rotated by one", ordering(), ["s2", "s3", "s4", "s1"]),
    ("ordering: missing a step (not a permutation)", ordering(), ["s1", "s2", "s3"]),
    ("ordering: duplicate step (not a permutation)", ordering(), ["s1", "s1", "s3", "s4"]),
    ("ordering: extra unknown step", ordering(), ["s1", "s2", "s3", "s4", "s5"]),
    ("ordering: empty list", ordering(), []),
    ("ordering: unanswered", ordering(), None),
    ("ordering: wrong type (string)", ordering(), "s1,s2,s3,s4"),
    ("ordering: 2 points, first two swapped", ordering(points=2), ["s2", "s1", "s3", "s4"]),
]


def _quiz_items() -> list[dict[str, Any]]:
    """Five one-point items for pass-mark cases."""
    return [single("q-1"), true_false("q-2"), single("q-3", key="a"), true_false("q-4", key=False),
            single("q-5", key="c")]


ALL_RIGHT = {"q-1": "b", "q-2": True, "q-3": "a", "q-4": False, "q-5": "c"}

QUIZ_CASES: list[tuple[str, list[dict[str, Any]], dict[str, Any], float]] = [
    ("quiz: all right", _quiz_items(), ALL_RIGHT, 80),
    ("quiz: exactly at the pass mark passes (4/5 = 80%)", _quiz_items(), {**ALL_RIGHT, "q-5": "a"}, 80),
    ("quiz: below the pass mark fails (3/5 = 60%)", _quiz_items(), {**ALL_RIGHT, "q-4": True, "q-5": "a"}, 80),
    ("quiz: weighted, exactly at the mark passes (80/100)",
     [single("w-1", points=80), single("w-2", points=20)], {"w-1": "b"}, 80),
    ("quiz: weighted, one point below the mark fails (79/100)",
     [single("w-1", points=79), single("w-2", points=21)], {"w-1": "b"}, 80),
    ("quiz: nothing answered", _quiz_items(), {}, 80),
    ("quiz: pass mark 0 passes with nothing answered", _quiz_items(), {}, 0),
    ("quiz: pass mark 100 needs everything", _quiz_items(), {**ALL_RIGHT, "q-1": "a"}, 100),
    ("quiz: responses for unknown items are ignored", _quiz_items(), {**ALL_RIGHT, "nope": "b", "q-1": None}, 80),
    (
        "quiz: fractional credits (mixed kinds, weighted points)",
        [multiple("m-1"), matching("m-2", points=2), ordering("m-3"), single("m-4", points=3)],
        {
            "m-1": ["a", "b"],
            "m-2": {"p1": "p1", "p2": "p2", "p3": "x1", "p4": "p3"},
            "m-3": ["s1", "s2", "s4", "s3"],
            "m-4": "b",
        },
        80,
    ),
    (
        "quiz: fractional credits above the mark (repeating decimals)",
        [multiple("m-1"), multiple("m-2"), multiple("m-3")],
        {"m-1": ["a"], "m-2": ["a", "b"], "m-3": ["a", "b", "c", "d"]},
        50,
    ),
    ("quiz: 2 of 3 right rounds to 66.67", [single("r-1"), single("r-2"), single("r-3")], {"r-1": "b", "r-2": "b"}, 67),
]

SHUFFLE_CASES: list[tuple[str, str, list[str]]] = [
    ("shuffle: four options", "abc", ["a", "b", "c", "d"]),
    ("shuffle: same values, another seed", "abd", ["a", "b", "c", "d"]),
    ("shuffle: eight ids", "final:attempt-1", [f"i{n}" for n in range(1, 9)]),
    ("shuffle: non-ASCII seed", "leçon-ü", ["a", "b", "c", "d", "e"]),
    ("shuffle: empty seed", "", ["a", "b", "c"]),
    ("shuffle: one value", "abc", ["only"]),
    ("shuffle: no values", "abc", []),
]

DRAW_CASES: list[tuple[str, str, list[str], int | None]] = [
    ("draw: 3 of 5", "abc", ["i1", "i2", "i3", "i4", "i5"], 3),
    ("draw: 3 of 5, another seed", "xyz", ["i1", "i2", "i3", "i4", "i5"], 3),
    ("draw: 1 of 5", "learner-42", ["i1", "i2", "i3", "i4", "i5"], 1),
    ("draw: 5 of 10", "final:attempt-2", [f"f-{n:02d}" for n in range(1, 11)], 5),
    ("draw: n equals the pool", "abc", ["i1", "i2", "i3"], 3),
    ("draw: n larger than the pool", "abc", ["i1", "i2", "i3"], 7),
    ("draw: n null takes all", "abc", ["i1", "i2", "i3"], None),
]


def _final_pool() -> list[list[str]]:
    """The shape of the course's final-test pool: 18 objectives (lessons 1-5), two items each, in bank order."""
    objectives = [f"obj-{lesson}-{n}" for lesson, count in ((1, 4), (2, 4), (3, 3), (4, 4), (5, 3))
                  for n in range(1, count + 1)]
    return [[f"pt-{2 * k + j + 1:02d}", obj] for k, obj in enumerate(objectives) for j in range(2)]


def _pool(*sizes: int) -> list[list[str]]:
    """Objectives o1, o2, ... with the given numbers of items, items i1, i2, ... grouped by objective."""
    out, n = [], 0
    for o, size in enumerate(sizes, start=1):
        for _ in range(size):
            n += 1
            out.append([f"i{n}", f"o{o}"])
    return out


# (name, pool [[item id, objective id]], per_objective, total, seed); see course/forms.py stratified_draw.
STRATIFIED_CASES: list[tuple[str, list[list[str]], int, int | None, str]] = [
    ("stratified: final pool, 1 per objective, 20 of 36", _final_pool(), 1, 20, "learner-1|final|1"),
    ("stratified: final pool, second attempt", _final_pool(), 1, 20, "learner-1|final|2"),
    ("stratified: final pool, paper form seed 0", _final_pool(), 1, 20, "0|final|1"),
    ("stratified: final pool, paper form seed 199", _final_pool(), 1, 20, "199|final|1"),
    ("stratified: final pool, OLX fixed form", _final_pool(), 1, 20, "olx:final"),
    ("stratified: final pool, exactly one per objective", _final_pool(), 1, 18, "abc"),
    ("stratified: final pool, total null takes all", _final_pool(), 1, None, "abc"),
    ("stratified: 2 per objective, 4 objectives of 3", _pool(3, 3, 3, 3), 2, 9, "xyz"),
    ("stratified: uneven objectives", _pool(1, 4, 2, 5), 1, 7, "learner-42|q|1"),
    ("stratified: total below the blueprint keeps the blueprint", _pool(2, 2, 2), 1, 2, "abc"),
    ("stratified: objective with fewer items than per_objective", _pool(1, 3), 2, 3, "abc"),
    ("stratified: interleaved objectives keep first-appearance order",
     [["a", "o2"], ["b", "o1"], ["c", "o2"], ["d", "o3"], ["e", "o1"], ["f", "o3"]], 1, 4, "interleave"),
    ("stratified: non-ASCII seed and ids", [["é1", "ö"], ["é2", "ö"], ["é3", "ü"], ["é4", "ü"]], 1, 3, "leçon-ü"),
    ("stratified: single objective", _pool(5), 1, 3, "solo"),
    ("stratified: empty pool", [], 1, 5, "abc"),
    # per_objective 0 is how the XBlock stores "no blueprint": the whole form is the random rest.
    ("stratified: per_objective 0 draws at random", _pool(3, 3, 3), 0, 4, "xblock-no-blueprint"),
]


def build() -> dict[str, list[dict[str, Any]]]:
    """Compute every vector's expected values with course.scoring."""
    items = []
    for name, raw, response in ITEM_CASES:
        item = ITEM.validate_python(raw)
        items.append(
            {
                "name": name,
                "item": raw,
                "response": response,
                "credit": round(scoring.credit(item, response), 4),
                "points": scoring.points(item, response),
            }
        )
    quizzes = []
    for name, raws, responses, mark in QUIZ_CASES:
        parsed = [ITEM.validate_python(r) for r in raws]
        percent = scoring.percentage(parsed, responses)
        quizzes.append(
            {
                "name": name,
                "items": raws,
                "responses": responses,
                "pass_mark": mark,
                "percentage": percent,
                "passed": scoring.passed(percent, mark),
            }
        )
    shuffles = [
        {"name": name, "seed": seed, "values": values, "expected": scoring.shuffled(values, seed)}
        for name, seed, values in SHUFFLE_CASES
    ]
    draws = [
        {"name": name, "seed": seed, "ids": ids, "n": n, "expected": scoring.draw(ids, n, seed)}
        for name, seed, ids, n in DRAW_CASES
    ]
    stratified = [
        {"name": name, "pool": pool, "per_objective": per, "total": total, "seed": seed,
         "expected": forms.stratified_draw([(i, o) for i, o in pool], per, total, seed)}
        for name, pool, per, total, seed in STRATIFIED_CASES
    ]
    return {"items": items, "quizzes": quizzes, "shuffles": shuffles, "draws": draws, "stratified": stratified}


def main() -> None:
    """Write the vectors file."""
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
