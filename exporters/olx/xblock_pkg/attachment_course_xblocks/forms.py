"""The block's own copy of the kit's seeded draw (the kit's course package is not installed in the LMS).

Same PRNG as ``course.scoring`` and the SCORM player (FNV-1a 32-bit hash of a seed string feeding
mulberry32, then Fisher-Yates), so a form drawn here is the form the kit would draw for that seed.
tests/test_xblock_forms.py proves it against the ``shuffles`` and ``stratified`` entries of
tests/vectors/scoring.json.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

_M32 = 0xFFFFFFFF


def seed_hash(text: str) -> int:
    """FNV-1a 32-bit over the UTF-8 bytes of ``text``."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & _M32
    return h


def _mulberry32(state: int) -> Callable[[], float]:
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


def stratified_draw(pool: Sequence[tuple[str, str]], per_objective: int, total: int | None,
                    seed: str) -> list[str]:
    """The blueprint draw: ``per_objective`` items from every objective, then random ones up to ``total``.

    ``pool`` is (item id, objective id) in bank order; objectives count in order of first appearance.
    The result keeps pool order (presentation order is shuffled separately).
    """
    objectives = list(dict.fromkeys(obj for _, obj in pool))
    chosen: list[str] = []
    for obj in objectives:
        ids = [i for i, o in pool if o == obj]
        chosen += shuffled(ids, f"{seed}:form:{obj}")[:per_objective]
    picked = set(chosen)
    rest = [i for i, _ in pool if i not in picked]
    k = max(0, (total if total is not None else len(pool)) - len(chosen))
    picked |= set(shuffled(rest, f"{seed}:form:rest")[:k])
    return [i for i, _ in pool if i in picked]
