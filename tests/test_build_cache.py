"""The build cache and parallel exports: reused and rebuilt artifacts are the bytes of a clean build.

Every format of the minimal course: a clean build in one process, a clean build in two, a no-change rebuild
(renders nothing), and an edit of one edition's text (rebuilds that edition and what reads the whole
course, reuses the rest) must all agree byte for byte with a clean build of the same sources.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from test_build import MINIMAL, run_build, tree_hash

from course.cache import KEYS_FILE
from course.compiled import compile_edition

FAMILY_LINE = "Some people use drugs or alcohol to feel calm."
EDITED_LINE = "Some people use drugs or alcohol to feel calm for a while."


def decisions(output: str) -> dict[str, tuple[str, str]]:
    """``--explain`` lines: label -> (built|reused, reason); a built artifact's render time is dropped."""
    found = re.findall(r"^(built |reused)  (\S+ / \S+)\s+(.*?)(?: \(\d+\.\d s\))?$", output, re.M)
    return {label: (status.strip(), reason) for status, label, reason in found}


def build_ok(source: Path, out: Path, *extra: str) -> dict[str, tuple[str, str]]:
    code, output = run_build(source, out, "--explain", *extra)
    assert code == 0, output
    return decisions(output)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]]]:
    """A clean build of every format of the minimal course, in one process."""
    out = tmp_path_factory.mktemp("clean") / "dist"
    return out, build_ok(MINIMAL, out, "--jobs", "1")


def test_clean_build_renders_everything(clean: tuple[Path, dict]) -> None:
    out, explained = clean
    assert len(explained) == 29  # 9 formats x 3 editions + the CE certificate + the XBlock wheel
    assert {status for status, _ in explained.values()} == {"built"}
    assert {reason for _, reason in explained.values()} == {"not built before"}
    keys = json.loads((out / KEYS_FILE).read_text(encoding="utf-8"))["artifacts"]
    assert set(keys) == {label.replace(" / ", "/").replace("-/", "xblock/") for label in explained}


def test_parallel_build_is_byte_identical(clean: tuple[Path, dict], tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_ok(MINIMAL, out, "--jobs", "2")
    assert tree_hash(out) == tree_hash(clean[0])


def test_no_change_rebuild_reuses_every_artifact(clean: tuple[Path, dict], tmp_path: Path) -> None:
    out = Path(shutil.copytree(clean[0], tmp_path / "dist"))
    explained = build_ok(MINIMAL, out)
    assert len(explained) == 29
    assert {status for status, _ in explained.values()} == {"reused"}
    assert all(reason.startswith("unchanged (key ") for _, reason in explained.values())
    assert tree_hash(out) == tree_hash(clean[0])


def test_edit_rebuilds_what_it_changes_and_matches_a_clean_build(clean: tuple[Path, dict], tmp_path: Path) -> None:
    course = Path(shutil.copytree(MINIMAL, tmp_path / "course"))
    lesson = course / "lessons" / "01-basics.md"
    text = lesson.read_text(encoding="utf-8")
    assert FAMILY_LINE in text
    lesson.write_text(text.replace(FAMILY_LINE, EDITED_LINE), encoding="utf-8")
    out = Path(shutil.copytree(clean[0], tmp_path / "dist"))
    explained = build_ok(course, out, "--jobs", "2")
    built = {label for label, (status, _) in explained.items() if status == "built"}
    family = {label for label in explained if label.startswith("family / ")}
    # Only the family edition changed: its compiled edition and its check figures (words, reading grade).
    # Every exporter reads only its compiled edition (and the report its edition's check results).
    assert built == family
    assert explained["family / scorm12"][1] == "changed: compiled edition"
    assert explained["family / report"][1] == "changed: check results, compiled edition"
    assert explained["staff / report"][0] == explained["ce / certificate"][0] == "reused"
    assert explained["staff / workbook"][0] == "reused"
    fresh = tmp_path / "fresh"
    build_ok(course, fresh, "--jobs", "1")
    assert tree_hash(out) == tree_hash(fresh)


def test_option_change_rebuilds_only_the_formats_that_take_it(clean: tuple[Path, dict], tmp_path: Path) -> None:
    out = Path(shutil.copytree(clean[0], tmp_path / "dist"))
    explained = build_ok(MINIMAL, out, "--format", "json,olx,olx-xblock", "--olx-banks", "itembank")
    assert {label for label, (status, _) in explained.items() if status == "built"} == {
        f"{edition} / olx" for edition in ("staff", "family", "ce")}
    assert explained["staff / olx"][1] == "changed: options"


def test_modified_output_is_rebuilt(clean: tuple[Path, dict], tmp_path: Path) -> None:
    out = Path(shutil.copytree(clean[0], tmp_path / "dist"))
    target = out / "staff" / "mini-course-staff-json.json"
    target.write_text("{}\n", encoding="utf-8")
    explained = build_ok(MINIMAL, out, "--format", "json")
    assert explained["staff / json"] == ("built", "its files in the output folder are missing or were modified")
    assert explained["family / json"][0] == "reused"
    assert tree_hash(out) == tree_hash(clean[0])


def test_no_cache_renders_everything_again(clean: tuple[Path, dict], tmp_path: Path) -> None:
    out = Path(shutil.copytree(clean[0], tmp_path / "dist"))
    explained = build_ok(MINIMAL, out, "--format", "json,report", "--no-cache")
    assert {status for status, _ in explained.values()} == {"built"}
    assert tree_hash(out) == tree_hash(clean[0])


def test_failure_in_a_worker_process(clean: tuple[Path, dict], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An exporter failing in a worker process: a clean error, dist/ untouched; --debug shows where it failed."""
    from exporters import Format

    out = Path(shutil.copytree(clean[0], tmp_path / "dist"))
    before = tree_hash(out)
    original = Format.run

    def explode(self: Format, ed, out_dir, **extra):
        if self.name == "olx" and ed.edition == "family":
            raise RuntimeError("worker on fire")
        return original(self, ed, out_dir, **extra)

    monkeypatch.setattr(Format, "run", explode)
    code, output = run_build(MINIMAL, out, "--format", "json,olx,scorm12", "--no-cache", "--jobs", "2")
    assert code == 1
    assert "error: olx (family): RuntimeError: worker on fire" in output
    assert "Traceback" not in output
    assert tree_hash(out) == before
    code, output = run_build(MINIMAL, out, "--format", "json,olx,scorm12", "--no-cache", "--jobs", "2", "--debug")
    assert code == 1
    assert "in explode" in output and "worker on fire" in output
    assert tree_hash(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".dist")] == []  # no temp folder left


def test_exporter_code_keys_only_its_own_formats(minimal_course, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A change under exporters/pdf/ changes the PDF keys (reason: exporter code) and no other format's."""
    from course import cache
    from exporters import FORMATS

    copy = Path(shutil.copytree(cache.EXPORTERS, tmp_path / "exporters",
                                ignore=shutil.ignore_patterns("__pycache__")))
    monkeypatch.setattr(cache, "EXPORTERS", copy)
    editions = {"ce": compile_edition(minimal_course, "ce")}
    before = cache.Inputs(editions, {"paper": "a4"})
    keys = {name: before.key(FORMATS[name], "ce") for name in ("json", "scorm12", "olx", "workbook", "certificate")}
    css = copy / "pdf" / "css" / "base.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    after = cache.Inputs(editions, {"paper": "a4"})
    changed = {name for name, key in keys.items() if after.key(FORMATS[name], "ce").digest != key.digest}
    assert changed == {"workbook", "certificate"}
    entry = cache.Entry(key=keys["workbook"].digest, inputs=keys["workbook"].inputs, artifact="x", files={"x": "0"})
    assert cache.why(entry, after.key(FORMATS["workbook"], "ce"), tmp_path) == "changed: exporter code"
    letter = cache.Inputs(editions, {"paper": "letter"})
    assert letter.key(FORMATS["json"], "ce").digest == after.key(FORMATS["json"], "ce").digest
    assert cache.why(entry, letter.key(FORMATS["workbook"], "ce"), tmp_path) == "changed: exporter code, options"
