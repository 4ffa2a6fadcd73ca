"""Quiz items as capa problems (Open edX's built-in problem type), scored like course/scoring.py.

single choice and true/false -> multiplechoiceresponse; multiple response -> choiceresponse;
matching -> one optionresponse per prompt; ordering -> one optionresponse per position. Capa gives
each response one point and scales the problem to its ``weight``, so equal-weight rows reproduce
"share of prompts matched" and "share of steps in place".
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from course.diagnostics import ExportError
from course.model import Item, Matching, MultipleResponse, Ordering, SingleChoice, TrueFalse
from course.scoring import shuffled


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _solution(parent: etree._Element, rationale: str, extra: Sequence[str] = ()) -> None:
    div = _sub(_sub(parent, "solution"), "div", **{"class": "detailed-solution"})
    _sub(div, "p", "Explanation")
    _sub(div, "p", rationale)
    for line in extra:
        _sub(div, "p", line)


def _choice(group: etree._Element, text: str, correct: bool, hint: str, fixed: bool = False) -> None:
    attrs = {"correct": "true" if correct else "false"}
    if fixed:
        attrs["fixed"] = "true"
    choice = _sub(group, "choice", text, **attrs)
    _sub(choice, "choicehint", hint)


def _dropdowns(problem: etree._Element, rows: list[tuple[str, str, str]], answers: list[str]) -> None:
    """One optionresponse per (label, correct answer, hint) row, every row offering ``answers``."""
    if len({a.strip().lower() for a in answers}) != len(answers):
        raise ExportError(f"problem '{problem.get('display_name')}': two drop-down answers share a text, "
                          "which capa cannot tell apart")
    for label, correct, hint in rows:
        response = _sub(problem, "optionresponse")
        _sub(response, "label", label)
        box = _sub(response, "optioninput")
        for answer in answers:
            option = _sub(box, "option", answer, correct="True" if answer == correct else "False")
            if answer == correct:
                _sub(option, "optionhint", hint)


def problem(item: Item, *, display_name: str, attempts: int, shuffle: bool) -> etree._Element:
    """The ``<problem>`` element of one item."""
    root = etree.Element("problem", {
        "display_name": display_name, "max_attempts": str(attempts), "weight": f"{item.points:g}",
        "showanswer": "finished", "rerandomize": "never",
    })
    if isinstance(item, (SingleChoice, TrueFalse)):
        response = _sub(root, "multiplechoiceresponse")
        _sub(response, "label", item.stem)
        if isinstance(item, SingleChoice):
            group = _sub(response, "choicegroup", type="MultipleChoice", shuffle="true" if shuffle else "false")
            for option in item.options:
                _choice(group, option.text, option.id == item.key_id, option.feedback)
        else:
            group = _sub(response, "choicegroup", type="MultipleChoice")
            yes, no = item.labels
            _choice(group, yes, item.key is True, item.feedback_true)
            _choice(group, no, item.key is False, item.feedback_false)
        _solution(response, item.rationale)
    elif isinstance(item, MultipleResponse):
        response = _sub(root, "choiceresponse")
        _sub(response, "label", item.stem)
        _sub(response, "description", "Select all that apply.")
        group = _sub(response, "checkboxgroup")
        for option in item.options:
            choice = _sub(group, "choice", option.text, correct="true" if option.id in item.key else "false")
            # Feedback only for what was ticked: the option feedback explains that choice.
            _sub(choice, "choicehint", option.feedback, selected="true")
        _solution(response, item.rationale)
    elif isinstance(item, Matching):
        _sub(root, "p", item.stem)
        answers = shuffled([p.match for p in item.pairs] + [d.text for d in item.distractors], f"olx:{item.id}")
        _dropdowns(root, [(p.prompt, p.match, p.feedback) for p in item.pairs], answers)
        _solution(root, item.rationale, [f"{p.prompt}: {p.match}" for p in item.pairs])
    elif isinstance(item, Ordering):
        _sub(root, "p", item.stem)
        n = len(item.steps)
        answers = shuffled([s.text for s in item.steps], f"olx:{item.id}")
        rows = [(f"Step {i} of {n}", s.text, s.feedback) for i, s in enumerate(item.steps, start=1)]
        _dropdowns(root, rows, answers)
        _solution(root, item.rationale, [f"{i}. {s.text}" for i, s in enumerate(item.steps, start=1)])
    else:  # pragma: no cover - the model admits no other kind
        raise ExportError(f"item {item.id}: no capa form for kind {item.kind}")
    return root
