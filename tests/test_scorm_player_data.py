"""What the player is given: lessons cut into short screens, learner-facing text without author codes,
no placeholder provider text, and a suspend_data figure that matches the encoding."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from scorm_support import minimal_course

from course.compiled import compile_edition
from course.model import TrueFalse
from exporters.scorm.data import (
    LMS_HEADER,
    SCREEN_WORDS,
    lesson_sections,
    player_data,
    player_item,
    suspend_length,
)

ROOT = Path(__file__).resolve().parents[1]




def test_lesson_is_cut_at_sections_and_boxes():
    html = ("<p>Intro.</p><h2>One</h2><p>" + "word " * 400 + "</p><h2>Two</h2><p>" + "word " * 400 + "</p>"
            '<section class="blk edition"><h2>Three</h2><p>' + "word " * 900 + "</p><p>" + "word " * 300
            + "</p></section>"
            '<section class="blk vignette"><p class="blk-title">Case</p><p>Sam.</p></section>'
            '<section class="blk discussion"><p>Talk.</p></section>'
            '<section class="blk reflection"><p>Think.</p></section>'
            '<section class="blk reflection"><p>Write.</p></section>'
            '<section class="blk keypoints"><ul><li>Point.</li></ul></section>')
    sections = lesson_sections(html)
    titles = [t for t, _ in sections]
    assert titles == ["One", "Two", "Three", "Three", "Case vignette", "Reflection", "Key points"]
    assert [len(nodes) for _, nodes in sections][-3:] == [2, 2, 1]  # discussion stays with its vignette
    assert sections[0][1][1].text_content() == "One"  # a short opening shares the first section's screen


@pytest.mark.parametrize("edition", ["staff", "family", "ce"])
def test_real_lesson_screens_are_short(real_course, edition):
    data = player_data(compile_edition(real_course, edition), "1.2")
    lessons = [s for s in data["screens"] if s["t"] == "lesson"]
    assert len(lessons) > 5 * 3
    for s in lessons:
        words = len(re.sub(r"<[^>]+>", " ", s["html"]).split())
        assert words <= SCREEN_WORDS * 1.25, (s["id"], words)
        assert s["left"] >= 1 and 1 <= s["part"] <= s["parts"]


def test_no_placeholder_reaches_a_learner_screen_once_the_provider_is_set(real_course):
    manifest = real_course.manifest
    filled = {k: "Example Provider" for k, v in manifest.provider.model_dump().items()
              if isinstance(v, str) and "PLACEHOLDER" in v}
    provider = manifest.provider.model_copy(update=filled)
    course = real_course.model_copy(update={"manifest": manifest.model_copy(
        update={"provider": provider, "author": "A. Author, PhD"})})
    data = player_data(compile_edition(course, "ce"), "2004")
    text = json.dumps([data["screens"], data["title"], data["edTitle"], data["help"]])
    assert "PLACEHOLDER" not in text


def test_true_false_reads_yes_no_for_questions():
    item = next(i for b in minimal_course().quizzes for i in b.items if isinstance(i, TrueFalse))
    statement = player_item("c", "1", item)
    question = player_item("c", "1", item.model_copy(update={"stem": "Can care shape trust?"}))
    assert [o["t"] for o in statement["o"]] == ["True", "False"]
    assert [o["t"] for o in question["o"]] == ["Yes", "No"]


@pytest.mark.parametrize("edition", ["staff", "family", "ce"])
def test_suspend_length_is_what_the_encoder_writes(real_course, edition, tmp_path):
    data = player_data(compile_edition(real_course, edition), "1.2")
    core = ROOT / "exporters" / "scorm" / "static" / "core.js"
    (tmp_path / "data.json").write_text(json.dumps(data))
    script = ("const CK = require(process.argv[1]); const D = require(process.argv[2]);"
              "const st = CK.emptyState(D); st.visited = st.visited.map(() => true);"
              "st.quizzes.forEach((q) => { q.chk = q.chk.map(() => true); q.sub = true; q.att = 2; });"
              "const s = CK.encodeState(D, st); const back = CK.decodeState(D, s);"
              "const all = back.quizzes.every(q => q.chk.every(Boolean));"
              "console.log(JSON.stringify([s.length, back.visited.every(Boolean), all]));")
    out = subprocess.run(["node", "-e", script, str(core), str(tmp_path / "data.json")], capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == [suspend_length(data) - LMS_HEADER, True, True]  # lms.js adds its header
    assert suspend_length(data) <= 4096


def test_start_screen_gets_the_help_box_and_pages_lose_a_repeated_title(real_course):
    ed = compile_edition(real_course, "staff")
    data = player_data(ed, "2004")
    assert "gethelp" in data["help"] and data["help"] == ed.gethelp_html  # the engine's own box
    page = ed.pages[0].model_copy(update={"html": f"<h2>{ed.pages[0].title}</h2><p>Hello.</p>"})
    first = next(s for s in player_data(ed.model_copy(update={"pages": [page]}), "2004")["screens"] if s["t"] == "page")
    assert first["html"] == "<p>Hello.</p>"  # the screen's h1 already says the title
