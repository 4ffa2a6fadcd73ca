"""Learner-facing HTML of a quiz and the opaque tokens it uses: no key, no feedback, no hint of the order."""

from __future__ import annotations

import hashlib
import random
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


def _select(name: str, options: list[tuple[str, str]], label: str) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in options)
    return (f'<select name="{escape(name)}" aria-label="{escape(label)}">'
            f'<option value="">Choose…</option>{opts}</select>')


def item_html(salt: str, item: dict[str, Any], number: int, rng: random.Random, shuffle: bool) -> str:
    """One item as a fieldset; choice order is shuffled per learner when the quiz shuffles."""
    iid, kind = item["id"], item["kind"]
    picks = [(token(salt, iid, cid), text) for cid, text in choices(item)]
    if shuffle or kind in ("matching", "ordering"):  # matching answers and steps are never in key order
        rng.shuffle(picks)
    field = f"item-{number}"
    head = (f'<fieldset class="quiz-item" data-item="{escape(iid)}" data-kind="{kind}">'
            f'<legend>Question {number}. {escape(item["stem"])}</legend>')
    if kind == "true_false":
        body = "".join(f'<label><input type="radio" name="{field}" value="{v}"> {t}</label>'
                       for v, t in (("true", "True"), ("false", "False")))
    elif kind in ("single_choice", "multiple_response"):
        kind_input = "radio" if kind == "single_choice" else "checkbox"
        body = "".join(f'<label><input type="{kind_input}" name="{field}" value="{v}"> {escape(t)}</label>'
                       for v, t in picks)
    elif kind == "matching":
        rows = [(token(salt, iid, "row:" + p["id"]), p["prompt"]) for p in item["pairs"]]
        body = "".join(f'<div class="row" data-row="{r}"><span>{escape(prompt)}</span> '
                       f'{_select(field, picks, prompt)}</div>' for r, prompt in rows)
    else:  # ordering: one drop-down per position
        body = "".join(f'<div class="row" data-position="{n}"><span>Step {n}</span> '
                       f'{_select(field, picks, f"Step {n}")}</div>' for n in range(1, len(picks) + 1))
    return f'{head}{body}<div class="feedback" aria-live="polite"></div></fieldset>'


def quiz_html(salt: str, title: str, items: list[dict[str, Any]], seed: str, shuffle: bool,
              attempts_left: str) -> str:
    """The whole quiz form."""
    rng = random.Random(seed)
    order = list(items)
    if shuffle:
        rng.shuffle(order)
    body = "".join(item_html(salt, item, n, rng, shuffle) for n, item in enumerate(order, start=1))
    return (f'<div class="attachment-quiz"><h2>{escape(title)}</h2><form>{body}'
            f'<p class="attempts">{escape(attempts_left)}</p>'
            f'<button type="submit" class="submit">Submit</button>'
            f'<p class="result" aria-live="polite"></p></form></div>')
