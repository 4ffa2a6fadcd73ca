"""Classical item statistics over first attempts: difficulty, discrimination, options, reliability.

Every response is re-scored with course/scoring.py against the course's current key, so a miskeyed item
shows up as negative discrimination whatever the LMS recorded at the time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from course.analysis.inputs import Response
from course.model import Course, Item, MultipleResponse, SingleChoice, TrueFalse
from course.scoring import credit

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.yaml")


class Thresholds(BaseModel):
    """When an item is flagged (``thresholds.yaml``; a reviewer may pass their own with --thresholds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_responses: int = Field(30, ge=1, description="no flags below this many first-attempt responses")
    too_easy: float = Field(0.9, description="p above this")
    too_hard: float = Field(0.3, description="p below this")
    weak: float = Field(0.2, description="corrected item-total r below this (and not negative)")
    negative: float = Field(0.0, description="r below this: likely miskeyed")
    dead_distractor: float = Field(0.02, description="a wrong option chosen by fewer than this share")


def load_thresholds(path: Path | None = None) -> Thresholds:
    data = yaml.safe_load((path or THRESHOLDS_FILE).read_text(encoding="utf-8")) or {}
    return Thresholds(**data)


class OptionStat(BaseModel):
    id: str
    text: str
    key: bool
    rate: float
    discrimination: float | None


class ItemStat(BaseModel):
    id: str
    bank: str
    kind: str
    objective: str
    facts: list[str]
    source: str
    n: int
    p: float
    r: float | None
    seconds: float | None
    options: list[OptionStat]
    flags: list[str]


class FormStat(BaseModel):
    bank: str
    attempts: int
    items: int
    mean: float
    sd: float
    histogram: list[int] = Field(description="attempts per 10-point band of the percent score, 0-9 … 90-100")
    alpha: float | None = Field(description="Cronbach's alpha (KR-20 for 0/1 items) over complete attempts")
    alpha_n: int
    alpha_k: int


class ObjectiveStat(BaseModel):
    id: str
    text: str
    items: int
    responses: int
    mean: float


class Analysis(BaseModel):
    course_id: str
    version: str
    inputs: dict[str, int]
    thresholds: Thresholds
    items: list[ItemStat]
    forms: list[FormStat]
    objectives: list[ObjectiveStat]

    @property
    def flagged(self) -> list[ItemStat]:
        return [i for i in self.items if i.flags]


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson r (point-biserial when ``x`` is 0/1); None when either side does not vary."""
    n = len(x)
    if n < 3:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Alpha over rows = attempts, columns = items (KR-20 when every entry is 0 or 1)."""
    if len(matrix) < 3 or not matrix or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    cols = list(zip(*matrix, strict=True))

    def var(values: Sequence[float]) -> float:
        m = sum(values) / len(values)
        return sum((v - m) ** 2 for v in values) / (len(values) - 1)

    total = var([sum(row) for row in matrix])
    if total == 0:
        return None
    return k / (k - 1) * (1 - sum(var(c) for c in cols) / total)


def _chosen(item: Item, value: object) -> set[str]:
    if isinstance(item, SingleChoice):
        return {value} if isinstance(value, str) else set()
    if isinstance(item, MultipleResponse):
        return set(value) if isinstance(value, list) else set()
    if isinstance(item, TrueFalse):
        return {"true" if value is True else "false"} if isinstance(value, bool) else set()
    return set()


def _options(item: Item) -> list[tuple[str, str, bool]]:
    if isinstance(item, SingleChoice):
        return [(o.id, o.text, o.id == item.key_id) for o in item.options]
    if isinstance(item, MultipleResponse):
        return [(o.id, o.text, o.id in item.key) for o in item.options]
    if isinstance(item, TrueFalse):
        return [("true", "True", item.key is True), ("false", "False", item.key is False)]
    return []


def first_attempts(responses: Sequence[Response]) -> list[Response]:
    """Each learner's first attempt at each bank: later attempts have seen the feedback."""
    first: dict[tuple[str, str], int] = {}
    for r in responses:
        key = (r.learner, r.bank)
        first[key] = min(first.get(key, r.attempt), r.attempt)
    return [r for r in responses if r.attempt == first[(r.learner, r.bank)]]


def analyze(course: Course, responses: Sequence[Response], inputs: dict[str, int],
            thresholds: Thresholds) -> Analysis:
    items = {i.id: i for b in course.quizzes for i in b.items}
    bank_of = {i.id: b.id for b in course.quizzes for i in b.items}
    objectives = {o.id: o.text for lesson in course.lessons for o in lesson.objectives}
    used = first_attempts(responses)

    # attempt → item → (credit, response, seconds); the last answer to an item in an attempt counts.
    attempts: dict[tuple[str, str], dict[str, tuple[float, object, float | None]]] = defaultdict(dict)
    for r in used:
        attempts[(r.learner, r.bank)][r.item] = (credit(items[r.item], r.value), r.value, r.seconds)

    rest: dict[tuple[tuple[str, str], str], float] = {}
    for key, answered in attempts.items():
        total, n = sum(c for c, _, _ in answered.values()), len(answered)
        for item_id, (c, _, _) in answered.items():
            if n > 1:
                rest[(key, item_id)] = (total - c) / (n - 1)

    per_item: dict[str, list[tuple[tuple[str, str], float, object, float | None]]] = defaultdict(list)
    for key, answered in attempts.items():
        for item_id, (c, value, seconds) in answered.items():
            per_item[item_id].append((key, c, value, seconds))

    stats: list[ItemStat] = []
    for item_id in sorted(per_item, key=lambda i: (bank_of[i], i)):
        item, rows = items[item_id], per_item[item_id]
        scored = [(c, rest[(k, item_id)]) for k, c, _, _ in rows if (k, item_id) in rest]
        r = pearson([c for c, _ in scored], [s for _, s in scored])
        n = len(rows)
        p = sum(c for _, c, _, _ in rows) / n
        times = [s for _, _, _, s in rows if s is not None]
        options = []
        for oid, text, is_key in _options(item):
            picks = [(1.0 if oid in _chosen(item, v) else 0.0, rest.get((k, item_id))) for k, _, v, _ in rows]
            with_rest = [(a, b) for a, b in picks if b is not None]
            options.append(OptionStat(
                id=oid, text=text, key=is_key, rate=sum(a for a, _ in picks) / n,
                discrimination=pearson([a for a, _ in with_rest], [b for _, b in with_rest]),
            ))
        where = course.locations.get(f"item:{item_id}")
        stats.append(ItemStat(
            id=item_id, bank=bank_of[item_id], kind=item.kind, objective=item.objective, facts=list(item.facts),
            source=f"{where.path}:{where.line}" if where else "", n=n, p=p, r=r,
            seconds=sum(times) / len(times) if times else None, options=options,
            flags=_flags(n, p, r, options, thresholds),
        ))

    return Analysis(
        course_id=course.manifest.id, version=course.manifest.version, inputs=inputs, thresholds=thresholds,
        items=stats, forms=_forms(course, attempts, items), objectives=_objectives(stats, objectives),
    )


def _flags(n: int, p: float, r: float | None, options: list[OptionStat], t: Thresholds) -> list[str]:
    if n < t.min_responses:
        return []
    flags = []
    if p > t.too_easy:
        flags.append("too easy")
    if p < t.too_hard:
        flags.append("too hard")
    if r is not None and r < t.negative:
        flags.append("negative discrimination (likely miskeyed)")
    elif r is not None and r < t.weak:
        flags.append("weak discrimination")
    flags += [f"distractor {o.id} chosen by {o.rate:.1%}" for o in options
              if not o.key and o.rate < t.dead_distractor]
    return flags


def _forms(course: Course, attempts: dict[tuple[str, str], dict[str, tuple[float, object, float | None]]],
           items: dict[str, Item]) -> list[FormStat]:
    out = []
    for bank in course.quizzes:
        rows = {k: v for k, v in attempts.items() if k[1] == bank.id}
        if not rows:
            continue
        scores = []
        for answered in rows.values():
            possible = sum(items[i].points for i in answered)
            scores.append(100 * sum(items[i].points * c for i, (c, _, _) in answered.items()) / possible)
        mean = sum(scores) / len(scores)
        sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores))
        histogram = [0] * 10
        for s in scores:
            histogram[min(int(s // 10), 9)] += 1
        # Alpha needs one item set: use the most common form and the attempts that answered exactly it.
        form, _ = Counter(tuple(sorted(a)) for a in rows.values()).most_common(1)[0]
        complete = [[a[i][0] for i in form] for a in rows.values() if tuple(sorted(a)) == form]
        out.append(FormStat(bank=bank.id, attempts=len(rows), items=len({i for a in rows.values() for i in a}),
                            mean=mean, sd=sd, histogram=histogram, alpha=cronbach_alpha(complete),
                            alpha_n=len(complete), alpha_k=len(form)))
    return out


def _objectives(stats: list[ItemStat], texts: dict[str, str]) -> list[ObjectiveStat]:
    by: dict[str, list[ItemStat]] = defaultdict(list)
    for s in stats:
        by[s.objective].append(s)
    return [ObjectiveStat(id=o, text=texts.get(o, ""), items=len(v), responses=sum(s.n for s in v),
                          mean=sum(s.p * s.n for s in v) / sum(s.n for s in v))
            for o, v in sorted(by.items())]
