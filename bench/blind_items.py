"""Blind item review: can a careful adult who skipped the course reason out the key?

Run: ``.venv/bin/python bench/blind_items.py print [--source DIR] [--banks final,04-recovery-patterns]``
prints every single-choice, multiple-response and true/false item of the staff and ce editions with only its
stem and options (no key, feedback, rationale, objective or facts). Options appear in a stable order mixed by
a hash of the item and option ids, as a shuffled player would show them, so the file order gives nothing away.
A reviewer answers each item *before* reading the lessons and writes the picks to a JSON file
``{"item-id": "option-id" | ["option-id", ...] | true | false}``.

``.venv/bin/python bench/blind_items.py score PICKS.json [--source DIR]`` then scores the picks against the keys:
hit rate overall, per bank and per edition, next to the rate pure chance gives (1 / options for single choice
and true/false, 1 / (2^options - 1) for multiple response, averaged) with its 95 % range, and lists the items
the picks got right (the candidates for review, see docs/item-review.md). For the final assessment it also
draws ``--forms`` forms per edition the way the player does (course/forms.py) and reports the reader's mean
form score and the share of forms at or above the pass mark. Items that are not reviewed blind (matching,
ordering) count as answered, so that share is an upper bound. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.forms import stratified_draw  # noqa: E402
from course.loader import load_course  # noqa: E402
from course.model import Course, MultipleResponse, QuizBank, SingleChoice, TrueFalse  # noqa: E402

EDITIONS = ("staff", "ce")
Blind = SingleChoice | MultipleResponse | TrueFalse


def _load(source: Path) -> Course:
    course, collector = load_course(source)
    if course is None:
        sys.exit(f"{source}: the course does not load; run `course check` first")
    return course


def blind_items(course: Course, banks: set[str] | None = None) -> list[tuple[str, Blind, list[str]]]:
    """(bank id, item, editions among staff/ce) for every blind-reviewable item, in bank then file order."""
    out: list[tuple[str, Blind, list[str]]] = []
    for bank in sorted(course.quizzes, key=lambda b: b.id):
        if banks and bank.id not in banks:
            continue
        for item in bank.items:
            if not isinstance(item, Blind):
                continue
            editions = [e for e in EDITIONS if e in (item.editions or bank.editions)]
            if editions:
                out.append((bank.id, item, editions))
    return out


def _mixed(item_id: str, option_ids: list[str]) -> list[str]:
    return sorted(option_ids, key=lambda o: hashlib.sha256(f"{item_id}/{o}".encode()).hexdigest())


def print_blind(course: Course, banks: set[str] | None) -> None:
    for bank_id, item, editions in blind_items(course, banks):
        kind = {"single_choice": "pick one", "multiple_response": "pick all that apply",
                "true_false": "true or false"}[item.kind]
        print(f"## {item.id}  [{bank_id}; {', '.join(editions)}; {kind}]")
        print(item.stem.strip())
        if not isinstance(item, TrueFalse):
            texts = {o.id: o.text for o in item.options}
            for oid in _mixed(item.id, list(texts)):
                print(f"  - {oid}: {texts[oid].strip()}")
        print()


def _chance(item: Blind) -> float:
    if isinstance(item, TrueFalse):
        return 0.5
    if isinstance(item, MultipleResponse):
        return 1 / (2 ** len(item.options) - 1)
    return 1 / len(item.options)


def _hit(item: Blind, pick: object) -> bool:
    if isinstance(item, TrueFalse):
        return pick is item.key
    if isinstance(item, MultipleResponse):
        return isinstance(pick, list) and set(pick) == set(item.key)
    return pick == item.key_id


def _row(label: str, rows: list[tuple[Blind, bool]]) -> str:
    n = len(rows)
    hits = sum(h for _, h in rows)
    chance = [_chance(i) for i, _ in rows]
    mean = sum(chance) / n
    sd = math.sqrt(sum(p * (1 - p) for p in chance))  # hits under pure chance: a sum of Bernoulli draws
    lo, hi = max(0.0, mean * n - 1.96 * sd) / n, min(n, mean * n + 1.96 * sd) / n
    return f"{label:32} {hits:3}/{n:<3} {hits / n:6.0%}   chance {mean:5.0%} (95 % {lo:4.0%}-{hi:4.0%})"


def form_pass_share(course: Course, bank: QuizBank, edition: str, picks: dict[str, object],
                    forms: int) -> tuple[float, float, int]:
    """(mean form score, share of forms at or above the pass mark, pass mark) for a reader who answers
    as ``picks`` says, over ``forms`` forms drawn as the player draws them."""
    items = bank.items_for(edition)
    by_id = {i.id: i for i in items}
    pool = [(i.id, i.objective) for i in items]
    per = bank.settings.blueprint.per_objective if bank.settings.blueprint else 0
    mark = bank.settings.pass_mark
    if mark is None:
        mark = course.manifest.editions[edition].pass_mark
    total, passed = 0.0, 0
    for n in range(forms):
        seed = f"blind:{n}"
        ids = stratified_draw(pool, per, bank.settings.draw, seed)  # per 0: a plain seeded draw
        right = sum(_hit(by_id[i], picks.get(i)) if isinstance(by_id[i], Blind) else True for i in ids)
        total += right / len(ids)
        passed += 100 * right >= mark * len(ids)
    return total / forms, passed / forms, mark


def score(course: Course, picks: dict[str, object], banks: set[str] | None, forms: int = 2000) -> None:
    rows = [(b, i, e, _hit(i, picks.get(i.id))) for b, i, e in blind_items(course, banks)]
    missing = [i.id for _, i, _, _ in rows if i.id not in picks]
    if missing:
        print(f"no pick for {len(missing)} item(s): {', '.join(missing)}")
    print(_row("all items", [(i, h) for _, i, _, h in rows]))
    for bank_id in sorted({b for b, *_ in rows}):
        print(_row(f"  bank {bank_id}", [(i, h) for b, i, _, h in rows if b == bank_id]))
    for edition in EDITIONS:
        print(_row(f"  edition {edition}", [(i, h) for _, i, e, h in rows if edition in e]))
    for bank in course.quizzes:
        if bank.role != "final" or (banks and bank.id not in banks):
            continue
        for edition in EDITIONS:
            if edition in bank.editions:
                mean, share, mark = form_pass_share(course, bank, edition, picks, forms)
                print(f"  {bank.id} forms, {edition}: mean score {mean:.0%}; {share:.0%} of {forms} forms "
                      f"reach the pass mark ({mark} %)")
    print("\nhit (candidates for review):")
    for bank_id, item, _, hit in rows:
        if hit:
            print(f"  {bank_id:32} {item.id}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("print", "score"))
    parser.add_argument("picks", nargs="?", type=Path, help="JSON picks (score mode)")
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--banks", default="", help="comma-separated bank ids (default: all)")
    parser.add_argument("--forms", type=int, default=2000, help="final-assessment forms to draw (score mode)")
    args = parser.parse_args()
    banks = {b for b in args.banks.split(",") if b} or None
    course = _load(args.source)
    if args.mode == "print":
        print_blind(course, banks)
    else:
        if args.picks is None:
            parser.error("score needs the picks file")
        score(course, json.loads(args.picks.read_text(encoding="utf-8")), banks, args.forms)


if __name__ == "__main__":
    main()
