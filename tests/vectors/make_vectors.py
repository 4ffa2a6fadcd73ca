"""Generate tests/vectors/scoring.json from hand-written cases, with expected values from course.scoring.

Run: ``.venv/bin/python tests/vectors/make_vectors.py``. The browser player runs the same file,
so every case is plain JSON: items exactly as written in quiz YAML, responses as the player sends them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from course import scoring
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
    return {"items": items, "quizzes": quizzes, "shuffles": shuffles, "draws": draws}


def main() -> None:
    """Write the vectors file."""
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
