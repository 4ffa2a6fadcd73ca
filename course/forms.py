"""Test forms: which items of a quiz pool one attempt delivers. The one definition every format follows.

A *form* is the set of items drawn from a quiz's pool for one attempt. Without a blueprint it is the
plain seeded draw (``course.scoring.draw``). With a blueprint (``settings.blueprint`` of the bank) it is
the stratified draw below: ``per_objective`` items of every objective first, then the rest of the
``draw`` total at random from what is left, so every form covers every objective.

The browser player (``exporters/scorm/static/core.js`` ``stratifiedDraw``) and the XBlock reproduce
``stratified_draw`` exactly; ``tests/vectors/scoring.json`` (section ``stratified``) holds the shared
vectors.

Seeds: the player seeds an attempt with ``<learner id>|<quiz id>|<attempt>`` (``attempt_seed``);
``course test-form --seed N`` prints the form of learner id ``N`` on attempt 1 (``paper_seed``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from math import comb

from course.compiled import CompiledEdition, CompiledQuiz
from course.diagnostics import CourseError
from course.model import Item
from course.scoring import draw, shuffled


def stratified_draw(pool: Sequence[tuple[str, str]], per_objective: int, total: int | None,
                    seed: str) -> list[str]:
    """Item ids of one form: ``per_objective`` per objective, then the rest up to ``total``, in pool order.

    ``pool`` is ``[(item id, objective id)]`` in bank order; ``total`` None means the whole pool.
    An objective with fewer than ``per_objective`` items contributes what it has (``course check``
    rejects such a blueprint, so a built course never relies on this).
    """
    objectives = list(dict.fromkeys(obj for _, obj in pool))  # first appearance order
    chosen: list[str] = []
    for obj in objectives:
        ids = [i for i, o in pool if o == obj]
        chosen += shuffled(ids, f"{seed}:form:{obj}")[:per_objective]
    taken = set(chosen)
    rest = [i for i, _ in pool if i not in taken]
    k = max(0, (total if total is not None else len(pool)) - len(chosen))
    taken.update(shuffled(rest, f"{seed}:form:rest")[:k])
    return [i for i, _ in pool if i in taken]  # pool order: the presentation shuffle stays separate


def attempt_seed(learner: str, quiz_id: str, attempt: int) -> str:
    """The seed of one learner's attempt at a quiz, as the player builds it (player.js ``seed``)."""
    return f"{learner}|{quiz_id}|{attempt}"


def paper_seed(n: int, quiz_id: str) -> str:
    """``course test-form --seed N``: the form the player gives learner id ``N`` on attempt 1."""
    return attempt_seed(str(n), quiz_id, 1)


def form_ids(quiz: CompiledQuiz, seed: str) -> list[str]:
    """Ids of the items one attempt delivers (pool order): the blueprint's draw, else the plain draw."""
    if quiz.blueprint is None:
        return draw([i.id for i in quiz.items], quiz.draw, seed)
    pool = [(i.id, i.objective) for i in quiz.items]
    return stratified_draw(pool, quiz.blueprint.per_objective, quiz.draw, seed)


def form_items(quiz: CompiledQuiz, seed: str) -> list[Item]:
    """The items of ``form_ids`` (pool order)."""
    picked = set(form_ids(quiz, seed))
    return [i for i in quiz.items if i.id in picked]


def presented(quiz: CompiledQuiz, seed: str) -> list[Item]:
    """The form in the order the player shows it (shuffled with ``<seed>:order`` when the quiz shuffles)."""
    items = form_items(quiz, seed)
    return shuffled(items, f"{seed}:order") if quiz.shuffle else items


def expected_untested(quiz: CompiledQuiz) -> float:
    """Expected number of objectives a form leaves untested, computed exactly.

    With a blueprint every objective is drawn ``per_objective`` times: 0. A plain draw of n from N
    leaves objective o (k_o pool items) untested with the hypergeometric probability C(N-k_o, n) / C(N, n).
    """
    if quiz.blueprint is not None:
        return 0.0
    per_objective = Counter(item.objective for item in quiz.items)
    size = len(quiz.items)
    n = quiz.draw if quiz.draw is not None else size
    return sum(comb(size - k, n) / comb(size, n) for k in per_objective.values())


def paper_form(ed: CompiledEdition, n: int) -> tuple[str, list[Item]]:
    """(seed string, items in presentation order) of ``course test-form --seed n`` for one edition."""
    if ed.final_test is None:
        raise CourseError(f"the {ed.edition} edition has no final test")
    seed = paper_seed(n, ed.final_test.id)
    return seed, presented(ed.final_test, seed)


def form_json(ed: CompiledEdition, n: int) -> dict[str, object]:
    """``course test-form --json``: ``{"seed": n, "items": [{"id": ..., "objective": ...}, ...]}``."""
    _, items = paper_form(ed, n)
    return {"seed": n, "items": [{"id": i.id, "objective": i.objective} for i in items]}
