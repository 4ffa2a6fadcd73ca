"""Scoring rules: pure functions, the one definition the player, OLX and answer keys follow.

Rules (points are the item's ``points``; credit is a fraction in [0, 1]):

| kind              | response                      | credit                                            |
|-------------------|-------------------------------|---------------------------------------------------|
| single_choice     | option id                     | 1 if it is the key, else 0                        |
| true_false        | true / false                  | 1 if it equals the key, else 0                    |
| multiple_response | list of option ids            | max(0, (keys chosen - non-keys chosen) / keys); 0 |
|                   |                               | when nothing is chosen                            |
| matching          | {pair id: chosen answer id}   | prompts matched to their own pair / prompts       |
| ordering          | list of step ids (a full      | steps in their correct position / steps; 0 if     |
|                   | permutation)                  | the list is not a permutation of the steps        |

Unknown ids and duplicates never earn credit. A quiz's percentage is earned / possible x 100,
rounded to 2 decimals; it passes when percentage >= pass mark.

Randomness is a seeded PRNG (FNV-1a 32-bit hash of the seed string feeding mulberry32) so that
the browser player reproduces draws and shuffles exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from course.model import Item, Matching, MultipleResponse, Ordering, SingleChoice, TrueFalse

_M32 = 0xFFFFFFFF


def credit(item: Item, response: Any) -> float:
    """Fraction of the item's points earned by ``response`` (None = unanswered)."""
    if response is None:
        return 0.0
    if isinstance(item, SingleChoice):
        return 1.0 if response == item.key_id else 0.0
    if isinstance(item, TrueFalse):
        return 1.0 if response is item.key else 0.0
    if isinstance(item, MultipleResponse):
        if not isinstance(response, list) or not response:
            return 0.0
        chosen = {r for r in response if isinstance(r, str)}
        options = {o.id for o in item.options}
        hits = len(chosen & set(item.key))
        false_alarms = len((chosen & options) - set(item.key))
        return max(0.0, (hits - false_alarms) / len(item.key))
    if isinstance(item, Matching):
        if not isinstance(response, Mapping):
            return 0.0
        right = sum(1 for p in item.pairs if response.get(p.id) == p.id)
        return right / len(item.pairs)
    if isinstance(item, Ordering):
        ids = [s.id for s in item.steps]
        if not isinstance(response, list) or sorted(map(str, response)) != sorted(ids):
            return 0.0
        return sum(1 for a, b in zip(response, ids, strict=True) if a == b) / len(ids)
    raise TypeError(f"unknown item kind: {type(item).__name__}")


def points(item: Item, response: Any) -> float:
    """Points earned, rounded to 4 decimals so Python and JavaScript agree."""
    return round(item.points * credit(item, response), 4)


def max_points(items: Sequence[Item]) -> float:
    """Points available in ``items``."""
    return round(sum(i.points for i in items), 4)


def percentage(items: Sequence[Item], responses: Mapping[str, Any]) -> float:
    """Score of a quiz in percent, 2 decimals."""
    possible = max_points(items)
    if possible == 0:
        return 0.0
    earned = sum(points(i, responses.get(i.id)) for i in items)
    return round(100 * earned / possible, 2)


def passed(percent: float, pass_mark: float) -> bool:
    """Pass rule: at or above the mark."""
    return percent >= pass_mark


# --------------------------------------------------------------------------- seeded randomness


def seed_hash(text: str) -> int:
    """FNV-1a 32-bit over the UTF-8 bytes of ``text``."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & _M32
    return h


def _mulberry32(state: int):
    def next_float() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & _M32
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & _M32
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & _M32)) & _M32
        return ((t ^ (t >> 14)) & _M32) / 4294967296

    return next_float


def shuffled(values: Sequence[Any], seed: str) -> list[Any]:
    """Fisher-Yates shuffle driven by mulberry32(seed_hash(seed))."""
    out = list(values)
    rand = _mulberry32(seed_hash(seed))
    for i in range(len(out) - 1, 0, -1):
        j = int(rand() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def draw(ids: Sequence[str], n: int | None, seed: str) -> list[str]:
    """Pick ``n`` ids from the pool, returned in pool order (all of them when n is None)."""
    if n is None or n >= len(ids):
        return list(ids)
    picked = set(shuffled(ids, seed + ":draw")[:n])
    return [i for i in ids if i in picked]
