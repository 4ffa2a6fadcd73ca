"""A synthetic cohort from a known model (2PL), written as xAPI, SCORM, Moodle and Open edX exports.

Two defects are planted: one item whose course key is wrong (learners who know the content pick another
option) and one distractor that nobody chooses. Everything else is a healthy item, so an analysis should
flag exactly those two.
"""

from __future__ import annotations

import csv
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.model import Course, Item, MultipleResponse, SingleChoice, TrueFalse

ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


@dataclass
class Cohort:
    bank: str
    items: list[Item]
    miskeyed: str
    dead_item: str
    dead_option: str
    # (learner, attempt, item id, response in scoring form, seconds)
    rows: list[tuple[str, int, str, Any, float]] = field(default_factory=list)


def _choice_items(course: Course, edition: str) -> tuple[str, list[Item]]:
    bank = course.final_test()
    assert bank is not None
    items = [i for i in bank.items_for(edition) if isinstance(i, SingleChoice | MultipleResponse | TrueFalse)]
    return bank.id, items


def simulate(course: Course, learners: int = 500, seed: int = 7, edition: str = "staff") -> Cohort:
    rng = random.Random(seed)
    bank, items = _choice_items(course, edition)
    singles = [i for i in items if isinstance(i, SingleChoice) and len(i.options) >= 4]
    miskeyed, dead = singles[0], singles[1]
    true_key = next(o.id for o in miskeyed.options if o.id != miskeyed.key_id)
    dead_option = [o.id for o in dead.options if o.id != dead.key_id][-1]
    cohort = Cohort(bank=bank, items=items, miskeyed=miskeyed.id, dead_item=dead.id, dead_option=dead_option)
    params = {i.id: (rng.uniform(1.3, 2.0), rng.uniform(-0.5, 0.4)) for i in items}
    for n in range(learners):
        theta = rng.gauss(0, 1)
        learner = f"learner-{n:04d}@example.org"
        for item in items:
            a, b = params[item.id]
            right = rng.random() < 1 / (1 + math.exp(-1.7 * a * (theta - b)))
            cohort.rows.append((learner, 1, item.id, _respond(item, right, rng, cohort, true_key),
                                round(rng.uniform(10, 60), 1)))
        if n % 10 == 0:  # a second attempt that a correct analysis must ignore
            for item in items:
                cohort.rows.append((learner, 2, item.id, _respond(item, True, rng, cohort, true_key), 5.0))
    return cohort


def _respond(item: Item, right: bool, rng: random.Random, cohort: Cohort, true_key: str) -> Any:
    if isinstance(item, TrueFalse):
        return item.key if right else not item.key
    if isinstance(item, SingleChoice):
        # Learners who know the content pick the right answer, which is not the key of the miskeyed item.
        key = true_key if item.id == cohort.miskeyed else item.key_id
        if right:
            return key
        unused = cohort.dead_option if item.id == cohort.dead_item else None
        return rng.choice([o.id for o in item.options if o.id not in {key, unused}])
    assert isinstance(item, MultipleResponse)
    if right:
        return list(item.key)
    others = [o.id for o in item.options if o.id not in item.key]
    chosen = set(item.key)
    if len(chosen) > 1 and rng.random() < 0.5:
        chosen.discard(rng.choice(sorted(chosen)))
    if others and (rng.random() < 0.7 or chosen == set(item.key)):
        chosen.add(rng.choice(others))
    return [o.id for o in item.options if o.id in chosen]


def _pattern(item: Item, value: Any, v2004: bool = True) -> str:
    sep = "[,]" if v2004 else ","
    if isinstance(item, TrueFalse):
        return ("true" if value else "false") if v2004 else ("t" if value else "f")
    return value if isinstance(value, str) else sep.join(value)


def write_xapi(cohort: Cohort, path: Path) -> Path:
    by_id = {i.id: i for i in cohort.items}
    with path.open("w", encoding="utf-8") as f:
        for learner, attempt, item_id, value, seconds in cohort.rows:
            st = {
                "actor": {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": learner}},
                "verb": {"id": ANSWERED, "display": {"en-US": "answered"}},
                "object": {"id": f"https://example.org/course/items/{item_id}", "objectType": "Activity",
                           "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction"}},
                "result": {"response": _pattern(by_id[item_id], value), "duration": f"PT{seconds}S"},
                "context": {"registration": f"00000000-0000-4000-8000-{abs(hash(learner)) % 10**12:012d}",
                            "extensions": {"https://example.org/xapi/extensions/attempt": attempt}},
            }
            f.write(json.dumps(st) + "\n")
    return path


def write_scorm(cohort: Cohort, path: Path) -> Path:
    by_id = {i.id: i for i in cohort.items}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["learner", "attempt", "interaction_id", "type", "response", "result", "latency"])
        for n, (learner, attempt, item_id, value, seconds) in enumerate(cohort.rows):
            v2004 = n % 2 == 0  # both SCORM versions' separators appear in one export
            w.writerow([learner, attempt, f"{cohort.bank}.{item_id}.{attempt}", "choice",
                        _pattern(by_id[item_id], value, v2004), "", f"PT{seconds}S"])
    return path


def write_moodle(cohort: Cohort, path: Path) -> Path:
    """Moodle's SCORM interactions report: one row per learner attempt, Question N / Response N columns."""
    by_id = {i.id: i for i in cohort.items}
    rows: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for learner, attempt, item_id, value, _ in cohort.rows:
        rows.setdefault((learner, attempt), []).append(
            (f"{cohort.bank}.{item_id}.{attempt}", _pattern(by_id[item_id], value, False)))
    width = max(len(v) for v in rows.values())
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        header = ["Username", "Attempt"]
        for q in range(1, width + 1):
            header += [f"Question {q}", f"Response {q}", f"Right answer {q}", f"Result {q}"]
        w.writerow(header)
        for (learner, attempt), answers in rows.items():
            line = [learner, attempt]
            for iid, response in answers:
                line += [iid, response, "", ""]
            w.writerow(line)
    return path


def write_openedx(cohort: Cohort, path: Path) -> Path:
    """Open edX problem responses report (first attempts: the report holds each learner's current answer)."""
    by_id = {i.id: i for i in cohort.items}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Username", "Title", "Question", "Answer", "Location"])
        for learner, attempt, item_id, value, _ in cohort.rows:
            if attempt != 1:
                continue
            item = by_id[item_id]
            if isinstance(item, TrueFalse):
                answer = item.labels[0] if value else item.labels[1]  # as the OLX problem labels them
            else:
                texts = {o.id: o.text for o in item.options}  # type: ignore[union-attr]
                answer = texts[value] if isinstance(value, str) else ", ".join(texts[v] for v in value)
            w.writerow([learner.split("@")[0], "Question", item.stem, answer,
                        f"block-v1:Org+C1+run+type@problem+block@p-{cohort.bank}-{item_id}"])
    return path
