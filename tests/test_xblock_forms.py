"""The XBlock's own draw: the kit's PRNG and blueprint draw, per learner and attempt, kept in user state.

The shared vectors (tests/vectors/scoring.json, ``shuffles`` and ``stratified``, made by the engine's
course/forms.py) pin the block's copy to the kit's rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import webob
from lxml import etree
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from course.compiled import compile_edition
from exporters.olx import files as olx_files
from exporters.olx.xblock_pkg.attachment_course_xblocks import QuizBlock, render
from exporters.olx.xblock_pkg.attachment_course_xblocks import forms as block_forms

VECTORS = json.loads((Path(__file__).parent / "vectors" / "scoring.json").read_text(encoding="utf-8"))
STRATIFIED = VECTORS["stratified"]
FINAL = QuizBlock.workbench_scenarios()[1][1]  # 6 items, 3 objectives, draw 4, one per objective, 3 attempts


class _Runtime(TestRuntime):
    def load_block_type(self, block_type: str):
        return QuizBlock


def _block(xml: str = FINAL, learner: str = "learner-1") -> QuizBlock:
    """A quiz on a fresh store, as ``learner`` sees it (one store per block: its own user state)."""
    rt = _Runtime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    block = rt.get_block(rt.parse_xml_string(xml))
    block.scope_ids = block.scope_ids._replace(user_id=learner)
    block.runtime.publish = lambda blk, kind, data: block.runtime.published.append((kind, data))
    block.runtime.published = []
    return block


def _call(block: QuizBlock, handler: str, payload: object) -> tuple[int, dict]:
    resp = block.runtime.handle(block, handler, webob.Request.blank("/", method="POST",
                                                                    body=json.dumps(payload).encode()))
    return resp.status_code, json.loads(resp.body)


def _view(block: QuizBlock) -> str:
    return block.runtime.render(block, "student_view", {}).body_html()


def _answers(block: QuizBlock, right: bool) -> dict:
    """Token answers for every item of the form on screen: all keys, or all wrong."""
    salt = str(block.scope_ids.usage_id)
    out = {}
    for item in block._items(block._on_screen()):
        if item["kind"] == "true_false":
            out[item["id"]] = item["key"] if right else not item["key"]
        else:
            pick = item["key"] if right else next(o["id"] for o in item["options"] if o["id"] != item["key"])
            out[item["id"]] = render.token(salt, item["id"], pick)
    return out


def _objectives(block: QuizBlock, ids: list[str]) -> set[str]:
    return {i["objective"] for i in block.items if i["id"] in ids}


@pytest.mark.parametrize("case", VECTORS["shuffles"], ids=[c["name"] for c in VECTORS["shuffles"]])
def test_block_shuffle_matches_shared_vectors(case):
    """The block's PRNG copy shuffles as the kit and the player do."""
    assert block_forms.shuffled(case["values"], case["seed"]) == case["expected"]


@pytest.mark.parametrize("case", STRATIFIED, ids=[c["name"] for c in STRATIFIED])
def test_block_stratified_draw_matches_vectors(case):
    """The blueprint draw gives the vector's form, in pool order."""
    pool = [tuple(pair) for pair in case["pool"]]
    assert block_forms.stratified_draw(pool, case["per_objective"], case["total"], case["seed"]) == case["expected"]


def test_stratified_vectors_cover_the_rule():
    """The vectors exercise the blueprint's parts: strata, random rest, no blueprint, no total."""
    assert any(c["per_objective"] == 0 for c in STRATIFIED) and any(c["total"] is None for c in STRATIFIED)
    assert any(c["total"] and c["total"] > len({o for _, o in c["pool"]}) * c["per_objective"] for c in STRATIFIED)


def test_every_learner_form_follows_the_blueprint():
    """200 learners x 3 attempts: every form has 4 items with every objective, and forms vary."""
    forms = set()
    for n in range(200):
        block = _block(learner=f"learner-{n}")
        for attempt in (1, 2, 3):
            form = block._draw_form(attempt)
            assert len(form) == 4 and _objectives(block, form) == {"obj-trust", "obj-calm", "obj-help"}
            forms.add(tuple(form))
    assert len(forms) == 12  # every possible form turns up: one objective twice (3 ways) x 2 x 2 single picks


def test_seed_is_usage_learner_and_attempt():
    """The documented seed: ``<usage id>|<learner>|attempt-<n>``; the same inputs give the same form."""
    block = _block(learner="learner-7")
    pool = [(i["id"], i["objective"]) for i in block.items]
    for attempt in (1, 2):
        seed = f"{block.scope_ids.usage_id}|learner-7|attempt-{attempt}"
        assert block._draw_form(attempt) == block_forms.stratified_draw(pool, 1, 4, seed)
    assert _block(learner="learner-7")._draw_form(1) == block._draw_form(1)


def test_form_is_kept_in_user_state_and_reload_shows_it():
    """The first view stores the drawn form; later views show the same items in the same order."""
    block = _block()
    first = _view(block)
    assert block.form == block._draw_form(1) and block.form_attempt == 1
    assert _view(block) == first and first.count('<fieldset class="quiz-item"') == 4


def test_reload_after_submit_shows_answers_feedback_score_and_attempts():
    """After a submission the view renders the stored state: checked answers, feedback, score, attempts left,
    no rationale for wrong items while attempts remain, and a Try again button instead of Submit."""
    block = _block()
    _view(block)
    status, body = _call(block, "submit", {"answers": _answers(block, right=False)})
    assert status == 200 and block.runtime.published == [("grade", {"value": 0.0, "max_value": 4.0})]
    html = _view(block)
    assert body["html"] in html
    assert html.count(" checked") == 4 and html.count('class="quiz-item incorrect" ') == 4
    assert html.count("<fieldset") == html.count(" disabled>")
    for item in block._items(block.answered_form):
        assert item["rationale"] not in html
        texts = item.get("options") and [o["feedback"] for o in item["options"] if o["id"] != item["key"]]
        assert any(t in html for t in (texts or [item["feedback_true"], item["feedback_false"]]))
    assert "Score: 0%." in html and "Attempts left: 2 of 3." in html
    assert 'class="retry"' in html and 'class="submit"' not in html


def test_try_again_draws_the_next_form_and_keeps_the_grade():
    """Retry draws the form of attempt 2 (stored, empty); the last grade stays; the old form's items that
    are not in the new form are refused; the last attempt shows rationales and no Try again."""
    block = _block()
    _view(block)
    _call(block, "submit", {"answers": _answers(block, right=True)})
    first = list(block.answered_form)
    status, body = _call(block, "retry", {})
    assert status == 200 and block.form == block._draw_form(2) and block.form_attempt == 2
    assert body["html"] in _view(block) and " checked" not in body["html"] and 'class="submit"' in body["html"]
    assert block.raw_earned == 4.0 and block.get_score().raw_earned == 4.0
    assert "Your score so far: 100%." in body["html"]
    stale = [i for i in first if i not in block.form]
    assert stale, "attempts 1 and 2 of this learner drew the same form"
    status, _ = _call(block, "submit", {"answers": {stale[0]: True}})
    assert status == 400 and block.attempts == 1
    _call(block, "submit", {"answers": _answers(block, right=False)})
    _call(block, "retry", {})
    _call(block, "submit", {"answers": _answers(block, right=False)})
    assert block.attempts == 3 and _call(block, "retry", {})[0] == 403
    html = _view(block)
    assert 'class="retry"' not in html and "Attempts left: 0 of 3." in html
    assert all(i["rationale"] in html for i in block._items(block.answered_form))


def test_rescoring_uses_the_submitted_form():
    """calculate_score scores the stored answers on the form they were given for, even after a retry."""
    block = _block()
    _view(block)
    _call(block, "submit", {"answers": _answers(block, right=True)})
    _call(block, "retry", {})
    assert block.calculate_score().raw_earned == 4.0 and block.calculate_score().raw_possible == 4.0


def test_quiz_without_draw_keeps_every_item_and_resubmits():
    """No draw: the form is the whole quiz for every attempt, so the old resubmit flow still works."""
    xml = QuizBlock.workbench_scenarios()[0][1]
    block = _block(xml)
    assert block._draw_form(1) == block._draw_form(2) == [i["id"] for i in block.items]
    assert etree.fromstring(xml).get("draw") is None


@pytest.mark.parametrize("edition", ["staff", "ce"])
def test_shipped_final_test_block_follows_its_blueprint(real_course, edition):
    """The olx-xblock archive's final test carries the whole pool, the draw and the blueprint; for 200
    learners every form has ``draw`` items and at least ``per_objective`` from each objective."""
    compiled = compile_edition(real_course, edition).final_test
    vertical = olx_files(compile_edition(real_course, edition), "xblock")[f"course/vertical/vert-{compiled.id}.xml"]
    el = etree.fromstring(vertical.encode()).find("attachment_quiz")
    block = _block(etree.tostring(el, encoding="unicode"))
    assert [i["id"] for i in block.items] == [i.id for i in compiled.items] and block.draw == compiled.draw
    assert compiled.blueprint is not None and block.per_objective == compiled.blueprint.per_objective >= 1
    objectives = {i.objective for i in compiled.items}
    for n in range(200):
        block.scope_ids = block.scope_ids._replace(user_id=f"learner-{n}")
        form = block._items(block._draw_form(1))
        assert len(form) == compiled.draw
        for objective in objectives:
            assert sum(i["objective"] == objective for i in form) >= block.per_objective


def test_reload_restores_every_kind_of_answer():
    """Matching rows and ordering positions come back selected, checkboxes ticked, as submitted."""
    block = _block(QuizBlock.workbench_scenarios()[0][1])
    salt = str(block.scope_ids.usage_id)

    def tok(item_id: str, value: str) -> str:
        return render.token(salt, item_id, value)

    answers = {"s-01": tok("s-01", "b"), "s-02": False, "s-03": [tok("s-03", "a"), tok("s-03", "c")],
               "s-04": {tok("s-04", "row:care"): tok("s-04", "calm"), tok("s-04", "row:calm"): tok("s-04", "x")},
               "s-05": [tok("s-05", s) for s in ("use", "distress", "relief")]}
    assert _call(block, "submit", {"answers": answers})[0] == 200
    html = _view(block)
    for value in (answers["s-01"], *answers["s-03"]):
        assert f'value="{value}" checked' in html
    assert 'value="false" checked' in html and html.count(" checked") == 4
    rows = etree.fromstring(html, etree.HTMLParser()).xpath("//fieldset[@data-item='s-04']//div[@data-row]")
    chosen = {row.get("data-row"): row.xpath(".//option[@selected]/@value") for row in rows}
    assert chosen == {row: [value] for row, value in answers["s-04"].items()}
    steps = etree.fromstring(html, etree.HTMLParser()).xpath("//fieldset[@data-item='s-05']//select")
    assert [s.xpath("./option[@selected]/@value") for s in steps] == [[v] for v in answers["s-05"]]
