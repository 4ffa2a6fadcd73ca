"""The player's JavaScript scorer (exporters/scorm/static/core.js) against the shared scoring vectors.

Each vector item goes through the exporter's own ``player_item``/``player_response`` (so the JS sees
digests, opaque answer ids and scrambled steps, as in a package) and is scored by node.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from course.model import Item
from exporters.scorm.data import player_item, player_response
from exporters.scorm.digest import digest, item_salt, mask, unmask

ROOT = Path(__file__).resolve().parents[1]
VECTORS = Path(os.environ.get("SCORING_VECTORS", ROOT / "tests" / "vectors" / "scoring.json"))
CORE = ROOT / "exporters" / "scorm" / "static" / "core.js"
RUNNER = ROOT / "tests" / "scorm_support" / "score.js"
COURSE, VERSION = "vector-course", "1.0"
ITEM = TypeAdapter(Item)


def _player(raw: dict, response) -> tuple[dict, str, object]:
    item = ITEM.validate_python(raw)
    return (player_item(COURSE, VERSION, item), item_salt(COURSE, VERSION, item.id),
            player_response(COURSE, VERSION, item, response))


@pytest.fixture(scope="module")
def results() -> tuple[dict, dict]:
    """The vectors and what core.js computes for them."""
    if not VECTORS.exists():
        pytest.skip(f"{VECTORS} does not exist yet (the engine tests create it)")
    if not shutil.which("node"):
        pytest.skip("node is not installed")
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    payload: dict = {"items": [], "quizzes": [], "shuffles": vectors.get("shuffles", []),
                     "draws": vectors.get("draws", []), "stratified": vectors.get("stratified", [])}
    for v in vectors.get("items", []):
        item, salt, response = _player(v["item"], v["response"])
        payload["items"].append({"item": item, "salt": salt, "response": response})
    for q in vectors.get("quizzes", []):
        converted = [_player(raw, q["responses"].get(raw["id"])) for raw in q["items"]]
        payload["quizzes"].append({
            "items": [c[0] for c in converted], "salts": [c[1] for c in converted],
            "responses": {c[0]["id"]: c[2] for c in converted}, "pass_mark": q["pass_mark"]})
    run = subprocess.run(["node", str(RUNNER), str(CORE)], input=json.dumps(payload), capture_output=True,
                         text=True, check=True, timeout=60)
    return vectors, json.loads(run.stdout)


def test_item_credit_and_points(results):
    vectors, got = results
    assert vectors["items"], "no item vectors"
    for v, g in zip(vectors["items"], got["items"], strict=True):
        assert round(g["credit"], 4) == v["credit"], v["name"]  # the vectors store credit to 4 places
        assert g["points"] == v["points"], v["name"]


def test_quiz_percentage_and_pass(results):
    vectors, got = results
    for v, g in zip(vectors.get("quizzes", []), got["quizzes"], strict=True):
        assert g["percentage"] == v["percentage"], v["name"]
        assert g["passed"] is v["passed"], v["name"]


def test_shuffles_and_draws(results):
    vectors, got = results
    for v, g in zip(vectors.get("shuffles", []), got["shuffles"], strict=True):
        assert g == v["expected"], v["name"]
    for v, g in zip(vectors.get("draws", []), got["draws"], strict=True):
        assert g == v["expected"], v["name"]


def test_stratified_draws(results):
    """core.js stratifiedDraw gives course/forms.py's forms (the player's final-test draw)."""
    vectors, got = results
    assert len(vectors.get("stratified", [])) >= 10
    for v, g in zip(vectors["stratified"], got["stratified"], strict=True):
        assert g == v["expected"], v["name"]


def test_player_item_hides_the_key():
    """No key in clear text: digests differ per option, steps never ship in the correct order."""
    raw = {"id": "k1", "kind": "ordering", "stem": "Order", "rationale": "r", "objective": "o", "facts": ["F"],
           "steps": [{"id": s, "text": s.upper(), "feedback": "f"} for s in ("a", "b", "c")]}
    item = player_item(COURSE, VERSION, ITEM.validate_python(raw))
    assert [s["id"] for s in item["s"]] != ["a", "b", "c"]
    assert "key" not in json.dumps(item)
    salt = item_salt(COURSE, VERSION, "k1")
    assert item["s"][0]["d"] == digest(salt, f"s:{item['s'][0]['id']}@{'abc'.index(item['s'][0]['id'])}")
    assert unmask("k", mask("k", "Ünïcode feedback ✓")) == "Ünïcode feedback ✓"
