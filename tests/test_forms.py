"""Blueprint-driven forms: one stratified draw (course/forms.py) followed by the check, `course test-form`,
the SCORM player (core.js under node and the real player in Chromium), the OLX archive and the report."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import olxcleaner
import pytest
from click.testing import CliRunner
from lxml import etree

from course import checks, forms
from course.cli import main
from course.compiled import CompiledEdition, compile_edition
from course.lint import key_length_rank
from course.loader import load_course
from course.model import Course
from exporters.olx import files as olx_files
from exporters.olx.tree import quiz_items
from exporters.report import bank_statistics

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
CORE = ROOT / "exporters" / "scorm" / "static" / "core.js"
GRADED = ("staff", "ce")
SEEDS = range(200)


@pytest.fixture(scope="module")
def editions(real_course: Course) -> dict[str, CompiledEdition]:
    """The shipped course's staff and CE editions, compiled once."""
    return {name: compile_edition(real_course, name) for name in GRADED}


def objective_ids(ed: CompiledEdition) -> set[str]:
    """Every objective of an edition."""
    return {o.id for lesson in ed.lessons for o in lesson.objectives}


def test_final_test_declares_a_blueprint(editions):
    """The shipped final test draws 20 of its pool, one item per objective first."""
    for ed in editions.values():
        quiz = ed.final_test
        assert quiz is not None and quiz.blueprint is not None
        assert quiz.blueprint.per_objective == 1 and quiz.draw == 20
        assert {i.objective for i in quiz.items} == objective_ids(ed)


# ------------------------------------------------------------------ course check


def _fixture_with(tmp_path: Path, settings: str) -> Path:
    """The minimal fixture course with the final test's settings block replaced."""
    root = tmp_path / "course"
    shutil.copytree(MINIMAL, root)
    final = root / "quizzes" / "final.yaml"
    text = final.read_text(encoding="utf-8")
    final.write_text(text.replace("settings:\n  draw: 2\n", settings, 1), encoding="utf-8")
    return root


def _blueprint_errors(root: Path) -> list[str]:
    course, found = load_course(root)
    assert course is not None, [str(d) for d in found.items]
    report = checks.run(course)
    return [str(d) for d in report.diagnostics.items if d.code == "quiz.blueprint"]


def test_check_accepts_a_satisfiable_blueprint(tmp_path):
    """Two objectives, one item each, in a form of 2: fine."""
    root = _fixture_with(tmp_path, "settings:\n  draw: 2\n  blueprint: {per_objective: 1}\n")
    assert _blueprint_errors(root) == []


def test_check_rejects_an_objective_short_of_items(tmp_path):
    """obj-b-2 has one item in the pool; two per objective cannot be met. Reported at the blueprint's line."""
    root = _fixture_with(tmp_path, "settings:\n  draw: 3\n  blueprint:\n    per_objective: 2\n")
    errors = _blueprint_errors(root)
    assert errors
    assert all(e.startswith("quizzes/final.yaml:7: error: settings.blueprint:") for e in errors), errors
    assert any("objective 'obj-b-2' has 1 item(s)" in e for e in errors)


def test_check_rejects_a_blueprint_larger_than_the_form(tmp_path):
    """One item for each of two objectives does not fit a form of one."""
    root = _fixture_with(tmp_path, "settings:\n  draw: 1\n  blueprint: {per_objective: 1}\n")
    errors = _blueprint_errors(root)
    assert any("2 objectives = 2 is more than the 1 items a form holds" in e for e in errors), errors
    result = CliRunner().invoke(main, ["check", "--source", str(root)])
    assert result.exit_code == 1 and "[quiz.blueprint]" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------ course test-form


@pytest.mark.parametrize("edition", GRADED)
def test_test_form_seeds_0_to_199_cover_every_objective(editions, edition):
    """The figure of the issue: every form of seeds 0..199 tests every objective, with 20 distinct items."""
    ed = editions[edition]
    wanted = objective_ids(ed)
    seen_forms = set()
    for n in SEEDS:
        data = forms.form_json(ed, n)
        assert data["seed"] == n
        ids = [i["id"] for i in data["items"]]
        assert len(ids) == len(set(ids)) == 20
        assert {i["objective"] for i in data["items"]} == wanted, n
        seen_forms.add(frozenset(ids))
    assert len(seen_forms) > 150  # forms really vary with the seed


@pytest.mark.parametrize("seed", [0, 17, 199])
def test_test_form_cli_json(editions, seed):
    """`course test-form --json` prints exactly form_json, as one JSON document on stdout."""
    result = CliRunner().invoke(main, ["test-form", "--source", str(ROOT), "--edition", "ce", "--seed", str(seed),
                                       "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == forms.form_json(editions["ce"], seed)


def test_test_form_is_the_players_form_for_that_learner(editions):
    """Seed N is learner id N on attempt 1: the same items in the same order as the player's draw."""
    quiz = editions["staff"].final_test
    for n in (0, 5, 42):
        seed, items = forms.paper_form(editions["staff"], n)
        assert seed == forms.attempt_seed(str(n), quiz.id, 1) == f"{n}|final|1"
        assert items == forms.presented(quiz, seed)


@pytest.mark.parametrize(("args", "message"), [
    (["--edition", "nope", "--seed", "1"], "error: unknown edition 'nope' (known: staff, family, ce)"),
    (["--edition", "family", "--seed", "1"], "error: the family edition has no final test"),
    (["--edition", "staff", "--seed", "-1"], "Invalid value for '--seed'"),
])
def test_test_form_errors_are_clean(args, message):
    """Bad requests end with a one-line error and exit status 1 or 2, never a traceback."""
    result = CliRunner().invoke(main, ["test-form", "--source", str(ROOT), *args])
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_test_form_pdf_paper_test_and_separate_answer_sheet(editions, tmp_path):
    """The paper test has every question of the form in order and no key; the answer sheet has key, rationale and
    full objective coverage; the same form gives the same bytes."""
    out = tmp_path / "form.pdf"
    result = CliRunner().invoke(main, ["test-form", "--source", str(ROOT), "--edition", "staff", "--seed", "3",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    answers = tmp_path / "form-answers.pdf"
    assert out.read_bytes().startswith(b"%PDF") and answers.read_bytes().startswith(b"%PDF")
    test_text = " ".join(_pdf_text(out).split())
    sheet_text = " ".join(_pdf_text(answers).split())
    _, items = forms.paper_form(editions["staff"], 3)
    positions = [test_text.find(" ".join(i.stem.split())[:60]) for i in items]
    assert -1 not in positions and positions == sorted(positions)
    for item in items:
        assert " ".join(item.rationale.split())[:50] not in test_text
        assert item.id in sheet_text
    assert "ANSWER SHEET" not in test_text and "Do not hand this sheet to learners" in sheet_text
    assert "18 of 18 objectives are tested on this form" in sheet_text
    again = tmp_path / "again.pdf"
    from exporters import testform

    testform.write(editions["staff"], 3, again)
    assert again.read_bytes() == out.read_bytes()


def test_paper_key_letters_follow_the_printed_order(editions):
    """On paper, the key letter of a single-choice item names the key option in the printed (player) order."""
    from exporters.testform import questions

    seed, qs = questions(editions["ce"], 11)
    checked = 0
    for q in qs:
        if q.item.kind != "single_choice":
            continue
        order = forms.shuffled(list(q.item.options), f"{seed}:{q.item.id}")
        assert order[ord(q.key) - ord("A")].id == q.item.key_id
        assert [c.text for c in q.choices] == [o.text for o in order]
        checked += 1
    assert checked


# ------------------------------------------------------------------ the SCORM player


NODE_DRAW = """
const CK = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const q = input.quiz;
// exporters/scorm/static/player.js shownItems(): the same calls, with the same player data.
const out = input.learners.map((learner) => {
  const s = learner + "|" + q.id + "|1";
  let ids = q.per ? CK.stratifiedDraw(q.items.map((i) => [i.id, i.obj]), q.per, q.draw, s)
    : CK.draw(q.items.map((i) => i.id), q.draw, s);
  if (q.shuf) ids = CK.shuffled(ids, s + ":order");
  return ids;
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
@pytest.mark.parametrize("edition", GRADED)
def test_player_core_draws_the_same_forms(editions, edition):
    """core.js, fed the player's own data for the final test, draws the forms of `course test-form` (seeds
    0..199), and each covers every objective."""
    from exporters.scorm.data import player_data

    ed = editions[edition]
    quiz = next(q for q in player_data(ed, "2004")["quizzes"] if q["role"] == "final")
    assert quiz["per"] == 1 and all("obj" in i for i in quiz["items"])
    run = subprocess.run(["node", "-e", NODE_DRAW, str(CORE)], capture_output=True, text=True, check=True, timeout=60,
                         input=json.dumps({"quiz": quiz, "learners": [str(n) for n in SEEDS]}))
    drawn = json.loads(run.stdout)
    objective = {i.id: i.objective for i in ed.final_test.items}
    for n, ids in zip(SEEDS, drawn, strict=True):
        assert ids == [i["id"] for i in forms.form_json(ed, n)["items"]], n
        assert {objective[i] for i in ids} == objective_ids(ed)


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed")
def test_player_in_chromium_shows_the_paper_form(editions, real_course, tmp_path):
    """The real player (SCORM 1.2 in the scorm-again test LMS) shows learner id "4" the questions and choice order
    of `course test-form --seed 4`, covering every objective."""
    from playwright.sync_api import sync_playwright
    from scorm_support import CHROMIUM, CHROMIUM_ARGS, build, serve

    ed = editions["staff"]
    # The draw is under test, not the unlock rule: open the final test without walking every lesson.
    manifest = real_course.manifest
    staff = manifest.editions["staff"].model_copy(update={"lock_final_test": False})
    unlocked = real_course.model_copy(update={"manifest": manifest.model_copy(
        update={"editions": {**manifest.editions, "staff": staff}})})
    sco = build(unlocked, "staff", "1.2", tmp_path)
    _, items = forms.paper_form(ed, 4)
    by_stem = {" ".join(i.stem.split()): i for i in ed.final_test.items}
    with serve(sco) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script("window.__seed = " + json.dumps({"core": {"student_id": "4"}}) + ";")
        page.goto(f"{base}/lms.html?v=1.2")
        frame = page.frame(url=lambda u: "/sco/" in u)
        frame.wait_for_selector("#toc-list a")
        frame.locator("#toc-list a", has_text=ed.final_test.title).first.click()
        frame.wait_for_selector("fieldset.q legend")
        shown = frame.evaluate("""Array.from(document.querySelectorAll('fieldset.q')).map(f => [
            f.querySelector('legend').textContent, Array.from(f.querySelectorAll('input')).map(i => i.value)])""")
        browser.close()
    assert not errors, errors
    def item_of(legend: str) -> str:
        found = [i.id for stem, i in by_stem.items() if stem in " ".join(legend.split())]
        assert len(found) == 1, legend
        return found[0]

    assert [item_of(legend) for legend, _ in shown] == [i.id for i in items]
    assert {i.objective for i in items} == objective_ids(ed)
    from exporters.testform import questions

    seed, printed = questions(ed, 4)
    for (_, values), q in zip(shown, printed, strict=True):
        if q.item.kind == "single_choice":
            assert values == [o.id for o in forms.shuffled(list(q.item.options), f"{seed}:{q.item.id}")]


# ------------------------------------------------------------------ Open edX


@pytest.mark.parametrize("edition", GRADED)
def test_olx_fixed_form_follows_the_blueprint(real_course, editions, edition):
    """The built-in archive's final test holds the stratified form of seed olx:final: every objective, 20 items."""
    ed = editions[edition]
    fixed = quiz_items(ed.final_test)
    assert [i.id for i in fixed] == forms.form_ids(ed.final_test, "olx:final")
    archive = olx_files(compile_edition(real_course, edition))
    vertical = etree.fromstring(archive["course/vertical/vert-final.xml"].encode())
    problems = [c.get("url_name") for c in vertical if c.tag == "problem"]
    ids = [p.removeprefix("p-final-") for p in problems]
    assert sorted(ids) == sorted(i.id for i in fixed) and len(ids) == 20
    objective = {i.id: i.objective for i in ed.final_test.items}
    assert {objective[i] for i in ids} == objective_ids(ed)


@pytest.mark.parametrize("edition", GRADED)
def test_olx_itembank_flag_draws_per_learner_and_stays_stratified(real_course, editions, edition, tmp_path):
    """--olx-banks itembank: one Problem Bank per objective, every pool item in exactly one bank of its objective,
    max_count adding up to the form size with at least per_objective each; olxcleaner stays clean."""
    ed = editions[edition]
    archive = olx_files(compile_edition(real_course, edition), "builtin", "itembank")
    vertical = etree.fromstring(archive["course/vertical/vert-final.xml"].encode())
    banks = [c.get("url_name") for c in vertical if c.tag == "itembank"]
    assert not [c for c in vertical if c.tag == "problem"]
    objective = {i.id: i.objective for i in ed.final_test.items}
    placed, total = [], 0
    for name in banks:
        bank = etree.fromstring(archive[f"course/itembank/{name}.xml"].encode())
        ids = [c.get("url_name").removeprefix("p-final-") for c in bank]
        assert len({objective[i] for i in ids}) == 1
        assert 1 <= int(bank.get("max_count")) <= len(ids)
        total += int(bank.get("max_count"))
        placed += ids
        for i in ids:
            assert f"course/problem/p-final-{i}.xml" in archive
    assert sorted(placed) == sorted(objective) and total == 20
    assert {b.removeprefix("ib-final-") for b in banks} == objective_ids(ed)
    # the fixed default is untouched by the flag's existence
    assert "course/itembank/ib-final-obj-1-1.xml" not in olx_files(compile_edition(real_course, edition))
    root = tmp_path / "course"
    for rel, content in archive.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    _, errors, _ = olxcleaner.validate(str(root), steps=8, allowed_xblocks=["itembank"])
    assert [f"{e.__class__.__name__}: {e.description}" for e in errors.errors] == []


def test_build_passes_the_itembank_flag_to_the_olx_archive(real_course, tmp_path):
    """`course build --olx-banks itembank` reaches the exporter; the default build keeps the fixed form."""
    import tarfile

    for flag, expect in (("itembank", True), ("fixed", False)):
        out = tmp_path / flag
        result = CliRunner().invoke(main, ["build", "--source", str(ROOT), "--out", str(out), "--edition", "staff",
                                           "--format", "olx", "--olx-banks", flag])
        assert result.exit_code == 0, result.output
        with tarfile.open(next(out.glob("staff/*-olx.tar.gz"))) as tar:
            names = tar.getnames()
        assert any("/itembank/" in n for n in names) is expect


# ------------------------------------------------------------------ report


def test_report_statistics_of_the_final_test(editions):
    """With the blueprint no form leaves an objective untested; without it, the exact expectation is the
    hypergeometric one (3.4 for the issue's 36-item pool) and the enumeration of forms 0..999 agrees with it."""
    quiz = editions["staff"].final_test
    stats = bank_statistics(quiz)
    assert stats["form"]["expected_untested"] == 0 and stats["form"]["observed_untested"] == 0
    assert sum(stats["objectives"].values()) == len(quiz.items) and len(stats["objectives"]) == 18
    assert sum(stats["key_position"].values()) == stats["single_choice"] == sum(stats["key_length_rank"].values())
    plain = bank_statistics(quiz.model_copy(update={"blueprint": None}))
    from collections import Counter
    from math import comb

    pool, n = len(quiz.items), quiz.draw
    per_objective = Counter(i.objective for i in quiz.items).values()
    exact = sum(comb(pool - k, n) / comb(pool, n) for k in per_objective)
    assert plain["form"]["expected_untested"] == pytest.approx(exact, abs=0.001) and exact > 3
    assert abs(plain["form"]["observed_untested"] - plain["form"]["expected_untested"]) < 0.15


def test_key_length_rank():
    """Rank 1 is the longest option; ties share the better rank."""
    from pydantic import TypeAdapter

    from course.model import Item

    def item(texts: list[str], key: str):
        return TypeAdapter(Item).validate_python({
            "id": "x", "kind": "single_choice", "stem": "s", "rationale": "r", "objective": "o", "facts": ["F"],
            "options": [{"id": c, "text": t, "feedback": "f"} for c, t in zip("abcd", texts, strict=False)],
            "key": key})

    assert key_length_rank(item(["aaaa", "bb", "c"], "a")) == 1
    assert key_length_rank(item(["aaaa", "bb", "c"], "b")) == 2
    assert key_length_rank(item(["aa", "bb", "c"], "b")) == 1
    assert key_length_rank(item(["aaaa", "bbb", "cc", "d"], "d")) == 4


def test_report_html_and_json_carry_the_statistics(real_course, tmp_path):
    """The built report states the statistics per bank."""
    from exporters.report import export

    path = export(compile_edition(real_course, "ce"), tmp_path, checks=checks.run(real_course))
    data = json.loads(path.read_text())
    final = next(b for b in data["banks"] if b["id"] == "final")
    assert final["form"] == {"size": 20, "per_objective": 1, "expected_untested": 0.0, "observed_untested": 0.0,
                             "forms_enumerated": 1000}
    html = path.with_suffix(".html").read_text()
    assert "Item statistics" in html and "Key length rank" in html and "1 per objective" in html
