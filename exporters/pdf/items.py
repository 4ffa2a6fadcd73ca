"""Quiz items as printable rows: lettered choices for learners, key and feedback for facilitators."""

from __future__ import annotations

from dataclasses import dataclass, field
from string import ascii_uppercase

from course.model import Item
from course.scoring import shuffled

KIND_HINT = {
    "single_choice": "Tick one answer.",
    "multiple_response": "Tick all that apply.",
    "true_false": "Tick true or false.",
    "matching": "Write the letter of the matching answer on each line.",
    "ordering": "Number the steps in order, starting with 1.",
}


@dataclass(frozen=True)
class Choice:
    """One printed answer: its letter, text, whether it is (part of) the key, and its feedback."""

    letter: str
    text: str
    correct: bool = False
    feedback: str = ""
    answer: str = ""  # facilitator view: the expected answer for matching prompts / ordering steps


@dataclass(frozen=True)
class PrintItem:
    """A quiz item laid out for paper."""

    id: str
    number: int
    kind: str
    stem: str
    hint: str
    rationale: str
    objective: str
    points: float
    choices: list[Choice]
    prompts: list[Choice] = field(default_factory=list)  # matching: prompts to fill in
    key_text: str = ""


def _letters(n: int) -> list[str]:
    return list(ascii_uppercase[:n])


def print_item(item: Item, number: int) -> PrintItem:
    """Lay out one item; matching answers and ordering steps are shuffled (seeded) so print gives nothing away."""
    base = {"id": item.id, "number": number, "kind": item.kind, "stem": item.stem, "hint": KIND_HINT[item.kind],
                "rationale": item.rationale, "objective": item.objective, "points": item.points}
    if item.kind in ("single_choice", "multiple_response"):
        keys = {item.key_id} if item.kind == "single_choice" else set(item.key)
        choices = [Choice(letter, o.text, o.id in keys, o.feedback)
                   for letter, o in zip(_letters(len(item.options)), item.options, strict=True)]
        key_text = ", ".join(c.letter for c in choices if c.correct)
        return PrintItem(**base, choices=choices, key_text=key_text)
    if item.kind == "true_false":
        yes, no = item.labels
        choices = [Choice("A", yes, item.key is True, item.feedback_true),
                   Choice("B", no, item.key is False, item.feedback_false)]
        return PrintItem(**base, choices=choices, key_text=yes if item.key else no)
    if item.kind == "matching":
        answers = [(p.id, p.match, p.feedback) for p in item.pairs] + [
            (d.id, d.text, "Belongs to no prompt.") for d in item.distractors]
        order = shuffled(answers, f"print:{item.id}")
        letter_of = {aid: letter for letter, (aid, _, _) in zip(_letters(len(order)), order, strict=True)}
        choices = [Choice(letter_of[aid], text, aid in {p.id for p in item.pairs}, fb) for aid, text, fb in order]
        prompts = [Choice(str(i), p.prompt, True, p.feedback, letter_of[p.id])
                   for i, p in enumerate(item.pairs, start=1)]
        key_text = ", ".join(f"{p.letter}–{p.answer}" for p in prompts)
        return PrintItem(**base, choices=choices, prompts=prompts, key_text=key_text)
    # ordering: steps are listed in the correct order in the source
    position = {s.id: i for i, s in enumerate(item.steps, start=1)}
    order = shuffled(list(item.steps), f"print:{item.id}")
    choices = [Choice(letter, s.text, True, s.feedback, str(position[s.id]))
               for letter, s in zip(_letters(len(order)), order, strict=True)]
    key_text = ", ".join(c.letter for c in sorted(choices, key=lambda c: int(c.answer)))
    return PrintItem(**base, choices=choices, key_text=key_text)


def print_items(items: list[Item]) -> list[PrintItem]:
    """Number and lay out the items of one quiz in source order."""
    return [print_item(item, n) for n, item in enumerate(items, start=1)]
