"""The block's own copy of the course scoring rule (the kit's course.scoring is not installed in the LMS).

Items are plain dicts shaped as in the quiz YAML. tests/test_xblock_scoring.py proves this copy
agrees with tests/vectors/scoring.json.
"""

from __future__ import annotations

from typing import Any

KINDS = ("single_choice", "multiple_response", "true_false", "matching", "ordering")


def item_points(item: dict[str, Any]) -> float:
    """Points the item is worth (1 when the YAML leaves it out)."""
    return float(item.get("points", 1.0))


def _key_id(item: dict[str, Any]) -> str:
    key = item["key"]
    return key[0] if isinstance(key, list) else key


def credit(item: dict[str, Any], response: Any) -> float:
    """Fraction of the item's points that ``response`` earns (None = unanswered)."""
    if response is None:
        return 0.0
    kind = item["kind"]
    if kind == "single_choice":
        return 1.0 if response == _key_id(item) else 0.0
    if kind == "true_false":
        return 1.0 if response is item["key"] else 0.0
    if kind == "multiple_response":
        if not isinstance(response, list) or not response:
            return 0.0
        chosen = {r for r in response if isinstance(r, str)}
        keys = set(item["key"])
        options = {o["id"] for o in item["options"]}
        hits = len(chosen & keys)
        false_alarms = len((chosen & options) - keys)
        return max(0.0, (hits - false_alarms) / len(keys))
    if kind == "matching":
        if not isinstance(response, dict):
            return 0.0
        pairs = item["pairs"]
        return sum(1 for p in pairs if response.get(p["id"]) == p["id"]) / len(pairs)
    if kind == "ordering":
        ids = [s["id"] for s in item["steps"]]
        if not isinstance(response, list) or sorted(map(str, response)) != sorted(ids):
            return 0.0
        return sum(1 for a, b in zip(response, ids, strict=True) if a == b) / len(ids)
    raise ValueError(f"unknown item kind: {kind}")


def points(item: dict[str, Any], response: Any) -> float:
    """Points earned, rounded to 4 decimals like the kit."""
    return round(item_points(item) * credit(item, response), 4)


def max_points(items: list[dict[str, Any]]) -> float:
    """Points available in ``items``."""
    return round(sum(item_points(i) for i in items), 4)


def well_formed(item: dict[str, Any], response: Any) -> bool:
    """Whether ``response`` has the shape the item's kind expects (None = unanswered is fine)."""
    if response is None:
        return True
    kind = item["kind"]
    if kind == "single_choice":
        return isinstance(response, str)
    if kind == "true_false":
        return isinstance(response, bool)
    if kind in ("multiple_response", "ordering"):
        return isinstance(response, list) and all(isinstance(r, str) for r in response)
    if kind == "matching":
        return isinstance(response, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in response.items())
    return False
