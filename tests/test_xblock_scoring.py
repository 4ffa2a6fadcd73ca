"""The XBlock package: its scoring copy agrees with the kit, it imports cleanly, and OLX round-trips."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest
from lxml import etree
from xblock.fields import Scope
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from course import scoring as kit
from course.compiled import compile_edition
from course.loader import load_course
from exporters.olx import files as olx_files
from exporters.olx.wheel import SOURCE
from exporters.olx.xblock_pkg.attachment_course_xblocks import LessonBlock, QuizBlock
from exporters.olx.xblock_pkg.attachment_course_xblocks import scoring as block_scoring

VECTORS = Path(__file__).parent / "vectors" / "scoring.json"
FIXTURE = Path(__file__).parent / "fixtures" / "courses" / "minimal"
TAGS = {"attachment_quiz": QuizBlock, "attachment_lesson": LessonBlock}


class _Runtime(TestRuntime):
    """A test runtime that knows our tags without the package being pip-installed."""

    def load_block_type(self, block_type: str):
        return TAGS[block_type]


def _runtime() -> _Runtime:
    return _Runtime(services={"field-data": KvsFieldData(DictKeyValueStore())})


def test_block_scoring_agrees_with_vectors():
    """Every item vector: the block's copy of the rule gives the kit's credit and points."""
    vectors = json.loads(VECTORS.read_text())["items"]
    assert vectors
    for v in vectors:
        assert block_scoring.credit(v["item"], v["response"]) == pytest.approx(v["credit"], abs=5e-5), v["name"]
        assert block_scoring.points(v["item"], v["response"]) == pytest.approx(v["points"], abs=5e-5), v["name"]


def test_block_scoring_agrees_with_kit_on_quiz_vectors():
    """Quiz vectors: points summed by the block equal the kit's percentage."""
    for q in json.loads(VECTORS.read_text())["quizzes"]:
        possible = block_scoring.max_points(q["items"])
        earned = sum(block_scoring.points(i, q["responses"].get(i["id"])) for i in q["items"])
        assert round(100 * earned / possible, 2) == pytest.approx(q["percentage"]), q["name"]


def test_block_scoring_agrees_with_kit_on_fixture_items():
    """Odd responses too (wrong types, duplicates, unknown ids) score alike in both copies."""
    course, _ = load_course(FIXTURE)
    odd = [None, "a", "zzz", True, False, [], ["a"], ["a", "a"], ["a", "b", "c"], {"care": "care"},
           {"care": "calm", "calm": "care"}, ["distress", "use", "relief"], ["use", "distress", "relief"],
           ["distress", "distress", "relief"], 3]
    for bank in course.quizzes:
        for item in bank.items:
            data = item.model_dump(mode="json")
            for response in odd:
                assert block_scoring.credit(data, response) == kit.credit(item, response), (item.id, response)


def test_package_is_import_clean():
    """Only xblock, web_fragments and the standard library: an LMS has neither pydantic nor the kit."""
    allowed = {"xblock", "web_fragments"} | set(sys.stdlib_module_names)
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module.split(".")[0] in allowed, (path.name, node.module)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] in allowed, (path.name, alias.name)


def _fields(block) -> dict:
    return {n: getattr(block, n) for n, f in block.fields.items()
            if f.scope in (Scope.content, Scope.settings) and n not in ("parent", "children")}


def _round_trip(block):
    node = etree.Element("placeholder")
    block.add_xml_to_node(node)
    rt = _runtime()
    return rt.get_block(rt.parse_xml_string(etree.tostring(node, encoding="unicode")))


@pytest.mark.parametrize("tag", sorted(TAGS))
def test_every_field_survives_export_and_import(tag):
    """Set every content/settings field to a non-default value, export to OLX, import, compare."""
    rt = _runtime()
    block = rt.get_block(rt.parse_xml_string(TAGS[tag].workbench_scenarios()[0][1]))
    values = {
        "display_name": "Renamed <&> \"quoted\"", "name": "n", "tags": [],
        "weight": 7.5, "max_attempts": 5, "shuffle": True, "pass_mark": 65, "draw": 3, "per_objective": 2,
        "objectives": ["First", "Second <b>"], "body": "<p>Body &amp; more</p>",
        "items": [{"id": "x", "kind": "true_false", "stem": "S", "key": False, "feedback_true": "t",
                   "feedback_false": "f", "rationale": "r", "points": 2.0}],
    }
    for name in _fields(block):
        if name in values and name not in ("name", "tags"):
            setattr(block, name, values[name])
    before = _fields(block)
    assert _fields(_round_trip(block)) == before
    assert before["display_name"] == values["display_name"]


def test_exported_blocks_import_with_the_model_items():
    """The olx-xblock archive's inline quiz parses back to exactly the compiled items, keys and objectives
    included; a drawing quiz carries its whole pool and its draw, and each learner's form is worth the
    block's weight."""
    course, _ = load_course(FIXTURE)
    edition = compile_edition(course, "ce")
    content = olx_files(compile_edition(course, "ce"), "xblock")
    quizzes = []
    for name, data in content.items():
        if name.startswith("course/vertical/"):
            quizzes += etree.fromstring(data.encode()).findall("attachment_quiz")
    compiled = {q.id: q for q in [*(lesson.quiz for lesson in edition.lessons), edition.final_test] if q}
    assert sorted(el.get("url_name") for el in quizzes) == sorted(f"xq-{q}" for q in compiled)
    rt = _runtime()
    draws = []
    for el in quizzes:
        block = rt.get_block(rt.parse_xml_string(etree.tostring(el, encoding="unicode")))
        quiz = compiled[el.get("url_name").removeprefix("xq-")]
        draws.append(block.draw)
        assert block.items == [i.model_dump(mode="json", exclude={"lint_ignore", "editions"}) for i in quiz.items]
        assert all(data["objective"] for data in block.items)
        assert block.draw == quiz.draw
        for learner in ("learner-1", "learner-2", "learner-3"):
            block.scope_ids = block.scope_ids._replace(user_id=learner)
            form = block._on_screen()
            assert len(form) == (quiz.draw or len(quiz.items))
            assert block.max_score() == sum(i.points for i in quiz.items if i.id in form) == block.weight
        assert _fields(_round_trip(block)) == _fields(block)
    assert any(draws), "the fixture has no drawing quiz"


def test_student_view_hides_keys_and_feedback():
    """The rendered quiz carries no option ids, keys, feedback or rationale."""
    rt = _runtime()
    block = rt.get_block(rt.parse_xml_string(QuizBlock.workbench_scenarios()[0][1]))
    html = block.student_view({}).body_html()
    for item in block.items:
        assert item["rationale"] not in html
        for option in item.get("options", []):
            assert option["feedback"] not in html and f'value="{option["id"]}"' not in html
        for pair in item.get("pairs", []):
            assert pair["feedback"] not in html and f'"{pair["id"]}"' not in html
        for step in item.get("steps", []):
            assert step["feedback"] not in html and f'"{step["id"]}"' not in html
    assert '"key"' not in html and "feedback_true" not in html
