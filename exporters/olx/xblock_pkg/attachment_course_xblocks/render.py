"""Learner-facing HTML of a quiz and the opaque tokens it uses: no key, no feedback, no hint of the order."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from html import escape
from typing import Any


def token(salt: str, item_id: str, value: str) -> str:
    """An opaque stand-in for an option, pair or step id (ids like ``s1`` would give the order away)."""
    return hashlib.sha256(f"{salt}|{item_id}|{value}".encode()).hexdigest()[:12]


def choices(item: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, text) of what a learner can pick: options, matching answers or ordering steps."""
    kind = item["kind"]
    if kind in ("single_choice", "multiple_response"):
        return [(o["id"], o["text"]) for o in item["options"]]
    if kind == "matching":
        return [(p["id"], p["match"]) for p in item["pairs"]] + \
            [(d["id"], d["text"]) for d in item.get("distractors", [])]
    if kind == "ordering":
        return [(s["id"], s["text"]) for s in item["steps"]]
    return []


def decode(salt: str, item: dict[str, Any]) -> dict[str, str]:
    """token -> id for every choice of ``item``."""
    return {token(salt, item["id"], cid): cid for cid, _ in choices(item)}


def row_decode(salt: str, item: dict[str, Any]) -> dict[str, str]:
    """token -> pair id for the rows of a matching item."""
    return {token(salt, item["id"], "row:" + p["id"]): p["id"] for p in item.get("pairs", [])}


@dataclass(frozen=True)
class Submitted:
    """The last submission as the view shows it again: responses by item id, the scored result
    (QuizBlock._result) and whether another attempt may start."""

    answers: dict[str, Any]
    result: dict[str, Any]
    can_retry: bool


def _attr(on: bool, name: str) -> str:
    return f" {name}" if on else ""


def _select(name: str, options: list[tuple[str, str]], label: str, chosen: str | None) -> str:
    opts = "".join(f'<option value="{escape(v)}"{_attr(v == chosen, "selected")}>{escape(t)}</option>'
                   for v, t in options)
    return (f'<select name="{escape(name)}" aria-label="{escape(label)}">'
            f'<option value="">Choose…</option>{opts}</select>')


def _num(x: float) -> str:
    return f"{x:g}"


def feedback_html(outcome: dict[str, Any] | None) -> str:
    """One item's feedback box: its points, the feedback on what was chosen, the rationale once allowed."""
    if outcome is None:
        return '<div class="feedback" aria-live="polite"></div>'
    head = "Correct." if outcome["correct"] else "Not fully correct."
    unit = "point" if outcome["max_points"] == 1 else "points"
    texts = [f'{head} {_num(outcome["points"])} of {_num(outcome["max_points"])} {unit}.',
             *outcome["feedback"], *([outcome["rationale"]] if outcome.get("rationale") else [])]
    return '<div class="feedback" aria-live="polite">' + "".join(f"<p>{escape(t)}</p>" for t in texts) + "</div>"


def item_html(salt: str, item: dict[str, Any], number: int, rng: random.Random, shuffle: bool,
              response: Any = None, outcome: dict[str, Any] | None = None) -> str:
    """One item as a fieldset; choice order is shuffled per learner when the quiz shuffles.

    With an ``outcome`` (a submitted item) the learner's ``response`` is shown checked, read-only,
    with its feedback.
    """
    iid, kind = item["id"], item["kind"]
    picks = [(token(salt, iid, cid), text) for cid, text in choices(item)]
    if shuffle or kind in ("matching", "ordering"):  # matching answers and steps are never in key order
        rng.shuffle(picks)
    locked = outcome is not None  # a disabled fieldset makes every control in it read-only

    def tok(cid: Any) -> str | None:
        return token(salt, iid, cid) if isinstance(cid, str) else None

    field = f"item-{number}"
    state = "" if outcome is None else (" correct" if outcome["correct"] else " incorrect")
    head = (f'<fieldset class="quiz-item{state}" data-item="{escape(iid)}" data-kind="{kind}"'
            f'{_attr(locked, "disabled")}>'
            f'<legend>Question {number}. {escape(item["stem"])}</legend>')
    if kind == "true_false":
        # The engine's TrueFalse.labels rule (this package cannot import the engine): a question is Yes/No.
        yes, no = ("Yes", "No") if item["stem"].rstrip().endswith("?") else ("True", "False")
        body = "".join(f'<label><input type="radio" name="{field}" value="{v}"{_attr(response is b, "checked")}>'
                       f' {t}</label>' for v, t, b in (("true", yes, True), ("false", no, False)))
    elif kind in ("single_choice", "multiple_response"):
        kind_input = "radio" if kind == "single_choice" else "checkbox"
        chosen = {tok(r) for r in (response if isinstance(response, list) else [response])}
        body = "".join(f'<label><input type="{kind_input}" name="{field}" value="{v}"{_attr(v in chosen, "checked")}>'
                       f' {escape(t)}</label>' for v, t in picks)
    elif kind == "matching":
        given = response if isinstance(response, dict) else {}
        body = "".join(f'<div class="row" data-row="{token(salt, iid, "row:" + p["id"])}"><span>{escape(p["prompt"])}'
                       f'</span> {_select(field, picks, p["prompt"], tok(given.get(p["id"])))}</div>'
                       for p in item["pairs"])
    else:  # ordering: one drop-down per position
        given = response if isinstance(response, list) else []
        body = "".join(f'<div class="row" data-position="{n}"><span>Step {n}</span> '
                       f'{_select(field, picks, f"Step {n}", tok(given[n - 1]) if n <= len(given) else None)}'
                       f'</div>' for n in range(1, len(picks) + 1))
    return f"{head}{body}{feedback_html(outcome)}</fieldset>"


def quiz_html(salt: str, title: str, items: list[dict[str, Any]], seed: str, shuffle: bool,
              attempts_left: str, submitted: Submitted | None = None, last_percent: float | None = None) -> str:
    """The whole quiz: an empty form (noting the score that stands, ``last_percent``, on a new attempt),
    or the ``submitted`` one with answers, feedback and score."""
    rng = random.Random(seed)
    order = list(items)
    if shuffle:
        rng.shuffle(order)
    outcomes = {r["id"]: r for r in submitted.result["items"]} if submitted else {}
    answers = submitted.answers if submitted else {}
    body = "".join(item_html(salt, item, n, rng, shuffle, answers.get(item["id"]), outcomes.get(item["id"]))
                   for n, item in enumerate(order, start=1))
    if submitted is None:
        action = '<button type="submit" class="submit">Submit</button>'
        result = "" if last_percent is None else \
            f"Your score so far: {_num(last_percent)}%. It stands until you submit this attempt."
    else:
        action = '<button type="button" class="retry">Try again</button>' if submitted.can_retry else ""
        result = f"Score: {_num(submitted.result['percent'])}%."
    return (f'<div class="attachment-quiz"><h2>{escape(title)}</h2><form>{body}'
            f'<p class="attempts">{escape(attempts_left)}</p>{action}'
            f'<p class="result" aria-live="polite" tabindex="-1">{escape(result)}</p></form></div>')
