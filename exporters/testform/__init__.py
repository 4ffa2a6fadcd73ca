"""``course test-form``: one drawn final-test form as a paper test and a separate answer sheet (PDF).

The form is ``course.forms.paper_form`` (the items and item order the player shows learner id N on
attempt 1); choices are printed in the player's order for that seed. The answer sheet (key, rationale,
objective of every item, and the objective coverage of the form) is a separate file so the test can be
handed out without it. Self-contained: it only borrows the PDF exporter's font files, by path.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from string import ascii_uppercase

from course.compiled import CompiledEdition
from course.diagnostics import ExportError
from course.forms import paper_form
from course.model import Item, SingleChoice
from course.scoring import shuffled
from exporters._templates import environment

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "pdf" / "fonts"
HINTS = {
    "single_choice": "Circle the letter of one answer.",
    "multiple_response": "Circle the letters of all answers that apply.",
    "true_false": "Circle True or False.",
    "matching": "Write the letter of the matching answer after each statement.",
    "ordering": "Number the steps in the order they happen, starting with 1.",
}


@dataclass(frozen=True)
class Line:
    """One printed choice, matching statement or step: letter (or number) and text; ``answer`` for the key."""

    mark: str
    text: str
    answer: str = ""


@dataclass(frozen=True)
class Question:
    """An item as printed on the form, with its key for the answer sheet."""

    number: int
    item: Item
    hint: str
    choices: list[Line]
    prompts: list[Line] = field(default_factory=list)
    key: str = ""


def _letters(values: list) -> list[tuple[str, object]]:
    return list(zip(ascii_uppercase, values, strict=False))


def question(item: Item, number: int, seed: str, shuffle: bool) -> Question:
    """Lay one item out in the player's choice order for ``seed`` (``<seed>:<item id>``, player.js ``choices``)."""
    def order(values: list) -> list:
        return shuffled(values, f"{seed}:{item.id}") if shuffle else list(values)

    hint = HINTS[item.kind]
    if item.kind in ("single_choice", "multiple_response"):
        keys = {item.key_id} if isinstance(item, SingleChoice) else set(item.key)  # type: ignore[union-attr]
        lettered = _letters(order(list(item.options)))  # type: ignore[union-attr]
        return Question(number, item, hint, [Line(m, o.text) for m, o in lettered],
                        key=", ".join(m for m, o in lettered if o.id in keys))
    if item.kind == "true_false":
        return Question(number, item, hint, [Line("", "True"), Line("", "False")],
                        key="True" if item.key else "False")  # type: ignore[union-attr]
    if item.kind == "matching":
        answers = [(p.id, p.match) for p in item.pairs] + [(d.id, d.text) for d in item.distractors]  # type: ignore[union-attr]
        lettered = _letters(order(answers))
        letter = {aid: m for m, (aid, _) in lettered}
        prompts = [Line(str(n), p.prompt, letter[p.id]) for n, p in enumerate(item.pairs, 1)]  # type: ignore[union-attr]
        hint += " Some answers are not used." if item.distractors else ""  # type: ignore[union-attr]
        return Question(number, item, hint, [Line(m, text) for m, (_, text) in lettered], prompts,
                        key=", ".join(f"{p.mark}–{p.answer}" for p in prompts))
    steps = list(item.steps)  # type: ignore[union-attr]  # the source lists steps in the correct order
    shown = shuffled(steps, f"{seed}:{item.id}")
    if shown == steps and len(steps) > 1:
        shown = shown[1:] + shown[:1]  # never print the answer as the question
    lettered = _letters(shown)
    return Question(number, item, hint, [Line(m, s.text, str(steps.index(s) + 1)) for m, s in lettered],
                    key=", ".join(m for m, s in sorted(lettered, key=lambda ms: steps.index(ms[1]))))


def questions(ed: CompiledEdition, n: int) -> tuple[str, list[Question]]:
    """(seed string, printed questions) of form ``n``."""
    seed, items = paper_form(ed, n)
    shuffle = bool(ed.final_test and ed.final_test.shuffle)
    return seed, [question(item, k, seed, shuffle) for k, item in enumerate(items, start=1)]


def _objectives(ed: CompiledEdition, qs: list[Question]) -> list[dict[str, object]]:
    """Every objective of the edition with the question numbers that test it on this form."""
    return [{"lesson": lesson.number, "id": o.id, "text": o.text,
             "numbers": [q.number for q in qs if q.item.objective == o.id]}
            for lesson in ed.lessons for o in lesson.objectives]


def html(ed: CompiledEdition, n: int, sheet: str, paper: str = "a4") -> str:
    """The HTML of the paper test (``sheet="test"``) or the answer sheet (``sheet="answers"``)."""
    seed, qs = questions(ed, n)
    assert ed.final_test is not None  # questions() raised otherwise
    return environment("exporters.testform").get_template(f"{sheet}.html").render(
        ed=ed, quiz=ed.final_test, form=n, seed=seed, questions=qs, objectives=_objectives(ed, qs),
        points=sum(q.item.points for q in qs), paper=paper, fonts=FONTS.as_uri(), sheet=sheet)


def _fetcher():
    """A fetcher that loads only the shipped fonts (the HTML refers to nothing else)."""
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        def fetch(self, url: str, headers=None):  # noqa: ANN001 - WeasyPrint's signature
            if url.startswith(FONTS.as_uri() + "/"):
                return super().fetch(url, headers)
            raise ValueError(f"resource refused: {url}")

    return FontsOnly()


@contextmanager
def _pinned_clock(ed: CompiledEdition) -> Iterator[None]:
    """Font subsets carry a timestamp; pin it to the course date so the same form gives the same bytes."""
    import calendar

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(ed.date.timetuple()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def write(ed: CompiledEdition, n: int, out: Path, paper: str = "a4") -> tuple[Path, Path]:
    """Write the paper test to ``out`` and the answer sheet beside it (``<stem>-answers.pdf``)."""
    from weasyprint import HTML

    answers = out.with_name(f"{out.stem}-answers{out.suffix or '.pdf'}")
    with _pinned_clock(ed):
        for sheet, path in (("test", out), ("answers", answers)):
            try:
                data = HTML(string=html(ed, n, sheet, paper), base_url=HERE.as_uri() + "/",
                            url_fetcher=_fetcher()).write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)
            except OSError as exc:
                raise ExportError(f"test form: cannot render the PDF: {exc}") from exc
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise ExportError(f"test form: cannot write {path}: {exc.strerror}") from exc
    return out, answers
